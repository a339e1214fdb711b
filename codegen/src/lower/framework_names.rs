//! Names a web framework derived mechanically, recognised exactly and shortened to what a person
//! wrote. Today: FastAPI's default operation ids and the body schemas it names after them.
//!
//! FastAPI (`fastapi/utils.py`, `generate_unique_id`) gives an operation without an explicit
//! `operation_id` the id `re.sub(r"\W", "_", f"{route.name}{route.path_format}") + "_" + method`,
//! so `read_item` on `GET /items/{item_id}` becomes `read_item_items__item_id__get`. The spec's
//! path key is that same `path_format`, so the suffix can be recomputed from the operation's own
//! path and method: an id that ends with it, after a non-empty function name, is such an id and the
//! function name is what is left. Nothing is guessed: a path that was re-prefixed after export
//! (the spec says `/api/items` where the route was `/items`) no longer reproduces the suffix and the
//! id is kept whole. A mount's `root_path` never shows up in the paths (FastAPI puts it in
//! `servers`), so mounted apps match as they are.
//!
//! An operation with several body parameters or form fields gets the component schema
//! `Body_<unique id>`. When that id is one that was shortened, the schema is named after the
//! function (`Body_update_item_items__item_id__put` -> `UpdateItemBody`).
//!
//! A shortened name must stay unique: when it would meet another operation's name (or a `Client`
//! method), every operation involved keeps its full id; a body schema whose new name is another
//! type's keeps its usual name. Which names are kept never depends on the order of the spec.
//! Only Rust names change: wire names (the operation id, schema references) stay as they are.

use std::collections::BTreeMap;

use crate::naming;

/// One operation of the spec, as far as naming is concerned.
#[derive(Debug, Clone, Copy)]
pub struct OpRef<'s> {
    pub id: Option<&'s str>,
    /// The path template as the spec's key spells it.
    pub path: &'s str,
    /// Lower case, as OpenAPI spells it.
    pub method: &'s str,
}

/// The names to use instead of the spec's.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Operation id -> the name the operation's Rust names are made from.
    pub operations: BTreeMap<String, String>,
    /// Component schema name -> the name its Rust type name is made from.
    pub schemas: BTreeMap<String, String>,
}

/// Python's `\w` on `str` patterns (Unicode letters and digits, and `_`). `char::is_alphanumeric`
/// differs from Python's `str.isalnum` only on combining marks; a path with one of those would not
/// reproduce the id, which then stays whole.
fn python_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Older FastAPI releases replaced `[^0-9a-zA-Z_]` instead of `\W`: the same for ASCII paths.
fn ascii_word(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

fn suffix(path: &str, method: &str, word: fn(char) -> bool) -> String {
    let mut s: String = path.chars().map(|c| if word(c) { c } else { '_' }).collect();
    s.push('_');
    s.push_str(&method.to_ascii_lowercase());
    s
}

/// The function name FastAPI built `id` from, when `id` is exactly FastAPI's default id of the
/// operation at `path` and `method`.
pub fn fastapi_function<'i>(id: &'i str, path: &str, method: &str) -> Option<&'i str> {
    let unicode = suffix(path, method, python_word);
    let ascii = suffix(path, method, ascii_word);
    [unicode, ascii]
        .iter()
        .find_map(|s| id.strip_suffix(s.as_str()))
        .filter(|name| !name.is_empty())
}

/// Drops the shortened names that would not be unique, until the rest are. `full[i]` is item `i`'s
/// name when it keeps its own; `short` maps some items to a shorter one; `key` is the identifier a
/// name becomes (two names clash when their keys are equal); `reserved` keys are always taken.
/// Every shortened name in a clash goes back to its full name, which may clash in turn; each item
/// goes back at most once, and the result does not depend on the items' order.
fn keep_unique(full: &[String], short: &mut BTreeMap<usize, String>, reserved: &[&str], key: fn(&str) -> String) {
    let full_keys: Vec<String> = full.iter().map(|n| key(n)).collect();
    let mut users: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, k) in full_keys.iter().enumerate() {
        let k = short.get(&i).map_or_else(|| k.clone(), |n| key(n));
        users.entry(k).or_default().push(i);
    }
    let clashes = |users: &BTreeMap<String, Vec<usize>>, k: &str| {
        users
            .get(k)
            .is_some_and(|v| v.len() > 1 || (!v.is_empty() && reserved.contains(&k)))
    };
    let mut work: Vec<String> = users.keys().filter(|k| clashes(&users, k)).cloned().collect();
    while let Some(k) = work.pop() {
        if !clashes(&users, &k) {
            continue;
        }
        let Some(at) = users.get_mut(&k) else { continue };
        let (back, stay): (Vec<usize>, Vec<usize>) = at.iter().partition(|i| short.contains_key(i));
        *at = stay;
        for i in back {
            short.remove(&i);
            users.entry(full_keys[i].clone()).or_default().push(i);
            work.push(full_keys[i].clone());
        }
    }
}

/// Decides the shorter names for a spec's operations and component schemas. `reserved_fns` are
/// method names an operation must not take.
pub fn plan(ops: &[OpRef<'_>], schemas: &[&str], reserved_fns: &[&str]) -> Plan {
    let mut id_count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ops.iter().filter_map(|o| o.id) {
        *id_count.entry(id).or_default() += 1;
    }
    // The name each operation gets today (see `operation::operations`).
    let full: Vec<String> = ops
        .iter()
        .map(|o| match o.id {
            Some(id) if !id.trim().is_empty() => id.to_owned(),
            _ => format!("{} {}", o.method, o.path),
        })
        .collect();
    let mut short: BTreeMap<usize, String> = BTreeMap::new();
    for (i, o) in ops.iter().enumerate() {
        // An id shared by several operations (one FastAPI route serving several methods) names
        // none of them for sure.
        let Some(id) = o.id.filter(|id| id_count[id] == 1) else {
            continue;
        };
        if let Some(name) = fastapi_function(id, o.path, o.method) {
            short.insert(i, name.to_owned());
        }
    }
    keep_unique(&full, &mut short, reserved_fns, naming::snake);
    let operations: BTreeMap<String, String> = short
        .into_iter()
        .filter_map(|(i, name)| Some((ops[i].id?.to_owned(), name)))
        .collect();

    let full: Vec<String> = schemas.iter().map(|s| (*s).to_owned()).collect();
    let mut short: BTreeMap<usize, String> = BTreeMap::new();
    for (i, s) in schemas.iter().enumerate() {
        if let Some(function) = s.strip_prefix("Body_").and_then(|id| operations.get(id)) {
            short.insert(i, format!("{function} body"));
        }
    }
    keep_unique(&full, &mut short, &[], naming::type_name);
    let schemas = short.into_iter().map(|(i, name)| (full[i].clone(), name)).collect();
    Plan { operations, schemas }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastapi_ids_are_recognised_exactly() {
        // (operation id, path, method, the function name FastAPI built it from)
        let rows: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "read_item_items__item_id__get",
                "/items/{item_id}",
                "get",
                Some("read_item"),
            ),
            (
                "login_for_access_token_token_post",
                "/token",
                "post",
                Some("login_for_access_token"),
            ),
            (
                "get_report_text_reports__report_id__text_get",
                "/reports/{report_id}/text",
                "get",
                Some("get_report_text"),
            ),
            ("root__get", "/", "get", Some("root")),
            (
                "create_work_queue_work_queues__post",
                "/work_queues/",
                "post",
                Some("create_work_queue"),
            ),
            (
                "health_check_health_check_v1_2_get",
                "/health-check/v1.2",
                "get",
                Some("health_check"),
            ),
            (
                "delete_item_items__id__delete",
                "/items/{id}",
                "delete",
                Some("delete_item"),
            ),
            ("patch_it_x_patch", "/x", "patch", Some("patch_it")),
            // A function name that ends in `_` keeps it (the naming module drops it later).
            ("read__items_get", "/items", "get", Some("read_")),
            // The method is part of the id.
            ("read_item_items__item_id__get", "/items/{item_id}", "put", None),
            // Another path.
            ("read_item_items__item_id__get", "/api/items/{item_id}", "get", None),
            // A path that was prefixed after export does not reproduce the id.
            ("read_item_items__item_id__get", "/v1/items/{item_id}", "get", None),
            // Hand-chosen ids.
            ("create-sandbox-image", "/sandbox-images", "post", None),
            ("readItem", "/items/{item_id}", "get", None),
            ("listPets", "/pets", "get", None),
            // Only the suffix: no function name is left.
            ("_items__item_id__get", "/items/{item_id}", "get", None),
            ("__get", "/", "get", None),
            // `\W` is Unicode-aware: `é` is a word character and stays ...
            (
                "lire_caf\u{e9}_caf\u{e9}_get",
                "/caf\u{e9}",
                "get",
                Some("lire_caf\u{e9}"),
            ),
            // ... older FastAPI releases replaced it (ASCII-only class), in the function name too:
            // both are recognised.
            ("lire_caf__caf__get", "/caf\u{e9}", "get", Some("lire_caf_")),
            // A non-word character outside ASCII becomes `_` either way.
            ("f_a_b_get", "/a\u{2192}b", "get", Some("f")),
            ("f_a\u{2192}b_get", "/a\u{2192}b", "get", None),
        ];
        for (id, path, method, want) in rows {
            assert_eq!(fastapi_function(id, path, method), *want, "{id} at {method} {path}");
        }
    }

    fn op<'s>(id: &'s str, path: &'s str, method: &'s str) -> OpRef<'s> {
        OpRef {
            id: Some(id),
            path,
            method,
        }
    }

    fn pairs(m: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
        m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn unique_names_are_shortened_and_clashing_ones_kept_whole() {
        let ops = [
            op("read_item_items__item_id__get", "/items/{item_id}", "get"),
            op("read_stats_v1_stats_get", "/v1/stats", "get"),
            op("read_stats_v2_stats_get", "/v2/stats", "get"),
            op("create-widget", "/widgets", "post"),
            // Would become `create_widget`, the hand-chosen id's name.
            op("create_widget_w_post", "/w", "post"),
            // Would become `new`, a method of `Client`.
            op("new_n_get", "/n", "get"),
            // Would become `listPets`, the same name as the next operation's, up to case.
            op("listPets_pets_get", "/pets", "get"),
            op("list_pets", "/all-pets", "get"),
        ];
        let plan = plan(&ops, &[], &["new"]);
        assert_eq!(
            pairs(&plan.operations),
            [("read_item_items__item_id__get", "read_item")]
        );
    }

    #[test]
    fn a_kept_id_can_make_another_shortened_name_clash() {
        // `a_b_get` (function `a` at `/b`) would free the name `a_b_get` for the function of that
        // name at `/c`, but it cannot be shortened itself (`a` clashes with the hand-chosen `a`),
        // so the second keeps its full id too: two rounds.
        let ops = [
            op("a", "/z", "get"),
            op("a_b_get", "/b", "get"),
            op("a_b_get_c_get", "/c", "get"),
        ];
        let kept = plan(&ops, &[], &[]);
        assert!(kept.operations.is_empty(), "{kept:?}");
        // The same chain, 200 long: every id is kept, each after the one before it.
        let mut ids = vec!["a".to_owned()];
        let paths: Vec<String> = (0..200).map(|i| format!("/p{i}")).collect();
        for p in &paths {
            let prev = ids.last().cloned().unwrap_or_default();
            ids.push(format!("{prev}_{}_get", &p[1..]));
        }
        let mut ops = vec![op("a", "/z", "get")];
        ops.extend(ids[1..].iter().zip(&paths).map(|(id, p)| op(id, p, "get")));
        assert!(plan(&ops, &[], &[]).operations.is_empty());
        // Without the hand-chosen `a` at the root, every one of them is shortened.
        assert_eq!(plan(&ops[1..], &[], &[]).operations.len(), 200);
    }

    #[test]
    fn an_id_on_several_operations_is_kept() {
        // `@app.api_route("/x", methods=["GET", "POST"])` gives both operations one id.
        let ops = [op("both_x_get", "/x", "get"), op("both_x_get", "/x", "post")];
        assert!(plan(&ops, &[], &[]).operations.is_empty());
    }

    #[test]
    fn body_schemas_follow_shortened_operations() {
        let ops = [
            op("update_item_items__item_id__put", "/items/{item_id}", "put"),
            op("login_for_access_token_token_post", "/token", "post"),
            op("create-widget", "/widgets", "post"),
            op("upload_u_post", "/u", "post"),
            op("send_s_post", "/s", "post"),
        ];
        let schemas = [
            "Body_update_item_items__item_id__put",
            "Body_login_for_access_token_token_post",
            // A hand-chosen id: the operation was not shortened.
            "Body_create-widget",
            // No such operation (FastAPI keeps bodies of routes left out of the schema).
            "Body_gone_gone_post",
            // Its new name `UploadBody` is another schema's.
            "Body_upload_u_post",
            "UploadBody",
            // Not FastAPI's prefix.
            "BodySendSPost",
            "body_send_s_post",
        ];
        let plan = plan(&ops, &schemas, &[]);
        assert_eq!(
            pairs(&plan.schemas),
            [
                ("Body_login_for_access_token_token_post", "login_for_access_token body"),
                ("Body_update_item_items__item_id__put", "update_item body"),
            ]
        );
        assert_eq!(
            naming::type_name(&plan.schemas["Body_update_item_items__item_id__put"]),
            "UpdateItemBody"
        );
    }

    #[test]
    fn operations_without_ids_keep_their_derived_names() {
        let ops = [
            OpRef {
                id: None,
                path: "/read",
                method: "get",
            },
            // Would become `read`, but `get /read` is `get_read`: no clash.
            op("read_read2_get", "/read2", "get"),
            // Would become `get_read`, the name of the first operation.
            op("get_read_r_get", "/r", "get"),
        ];
        assert_eq!(pairs(&plan(&ops, &[], &[]).operations), [("read_read2_get", "read")]);
    }
}
