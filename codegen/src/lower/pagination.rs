//! Which list operations page, and how: `Operation::pagination`.
//!
//! An explicit extension wins (`x-pagination`, `x-fern-pagination`, `x-speakeasy-pagination`);
//! otherwise the shape is read off the names, in this order: a `Link` response header, a cursor
//! query parameter with a next-cursor field in the body, an offset parameter, a page-number
//! parameter. Every shape needs the items: the body itself when it is an array, else its one array
//! field (or the one conventionally named `data`, `items`, `results`, ...). An operation that
//! looks paginated but matches no shape gets a report note saying why; an extension that cannot be
//! honoured gets a warning.

use openapiv3::{OpenAPI, ReferenceOr, StatusCode};
use serde_json::Value;

use crate::diag::{join, Approx, Diagnostics};
use crate::ir::{Api, BodyKind, FieldStep, Operation, PageKind, Pagination, ParamLocation, Presence, Ty, TypeKind};
use crate::lower::resolve_alias;

/// Query parameters that carry a cursor (names compared without case, `_`, `-`, `.`, `[`, `]`).
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "nextpagetoken",
    "nexttoken",
    "nextcursor",
    "pagecursor",
    "after",
    "pageafter",
    "startingafter",
    "continuation",
    "continuationtoken",
    "marker",
    "starttoken",
];
/// Body fields that carry the next cursor.
const NEXT_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextpage",
    "nextpagecursor",
    "next",
    "cursor",
    "continuationtoken",
    "nextmarker",
    "endcursor",
    "after",
    "lastid",
];
/// Body fields that carry the next page's URL (`next` itself only with `format: uri`).
const NEXT_URL_FIELDS: &[&str] = &["nextpageuri", "nextpageurl", "nexturl", "nexturi", "nextlink", "next"];
/// Boolean body fields that say whether there is a next page.
const HAS_MORE_FIELDS: &[&str] = &["hasmore", "hasnextpage", "hasnext", "more"];
/// Cursor parameters whose value is the last item's id, when the page names no next cursor.
const AFTER_ITEM_PARAMS: &[&str] = &["after", "startingafter"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
const LIMIT_PARAMS: &[&str] = &[
    "limit",
    "pagesize",
    "perpage",
    "size",
    "maxresults",
    "maxitems",
    "top",
    "take",
    "count",
];
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pagenum", "pageindex"];
/// Array fields that hold a page's items, when a page has several arrays.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "records", "entries", "values", "elements", "list", "content", "nodes", "objects",
];
const EXTENSIONS: &[&str] = &["x-pagination", "x-fern-pagination", "x-speakeasy-pagination"];

fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | '[' | ']' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Sets `pagination` on every operation that pages.
pub fn detect(api: &mut Api, spec: &OpenAPI, diags: &mut Diagnostics) {
    for i in 0..api.operations.len() {
        let op = &api.operations[i];
        let found = match spec_operation(spec, op) {
            Some(raw) => of_operation(api, op, spec, raw, diags),
            None => None,
        };
        api.operations[i].pagination = found;
    }
}

fn spec_operation<'s>(spec: &'s OpenAPI, op: &Operation) -> Option<&'s openapiv3::Operation> {
    let ReferenceOr::Item(item) = spec.paths.paths.get(&op.path)? else {
        return None;
    };
    item.iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(&op.method))
        .map(|(_, o)| o)
}

fn of_operation(
    api: &Api,
    op: &Operation,
    spec: &OpenAPI,
    raw: &openapiv3::Operation,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    let body = page_body(op);
    for &name in EXTENSIONS {
        let Some(value) = raw.extensions.get(name) else {
            continue;
        };
        let pointer = join(&op.origin, name);
        // `x-fern-pagination: true` uses the document's own `x-fern-pagination`.
        let value = match value {
            Value::Bool(true) => match spec.extensions.get(name) {
                Some(v) => v,
                None => {
                    diags.warn(
                        pointer,
                        format!("`{name}: true` but the document sets no `{name}`; ignored"),
                    );
                    continue;
                }
            },
            Value::Bool(false) => return None,
            v => v,
        };
        let result = body
            .ok_or_else(|| "the operation has no single JSON success body".to_owned())
            .and_then(|body| from_extension(api, op, body, name, value));
        match result {
            Ok(p) => return Some(p),
            Err(why) => diags.warn(
                pointer,
                format!("`{name}` not honoured: {why}; no paginator generated from it"),
            ),
        }
    }
    if op.method != "GET" {
        return None;
    }
    let link = declares_link_header(spec, raw);
    let query: Vec<(String, usize)> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Query)
        .map(|(i, p)| (norm(&p.wire_name), i))
        .collect();
    let find = |names: &[&str], int: bool| {
        names.iter().find_map(|n| {
            query
                .iter()
                .find(|(q, i)| q == n && (!int || matches!(resolve_alias(api, &op.params[*i].ty), Ty::Int(_))))
                .map(|(_, i)| *i)
        })
    };
    let cursor = find(CURSOR_PARAMS, false);
    let offset = find(OFFSET_PARAMS, true);
    let page = find(PAGE_PARAMS, true);
    if !link && cursor.is_none() && offset.is_none() && page.is_none() {
        return None;
    }
    let looked = |diags: &mut Diagnostics, why: String| {
        diags.note(
            Approx::Pagination,
            op.origin.clone(),
            format!("looks paginated but no paginator was generated: {why}"),
        );
    };
    let Some(body) = body else {
        looked(diags, "the operation has no single JSON success body".to_owned());
        return None;
    };
    let (items, item_ty) = match find_items(api, body) {
        Ok(found) => found,
        Err(why) => {
            looked(diags, why);
            return None;
        }
    };
    let wire = |i: usize| op.params[i].wire_name.clone();
    let size = find(LIMIT_PARAMS, true).map(wire);
    let has_more = find_has_more(api, body);
    let next_url = find_next_url(api, body);
    let kind = if link {
        PageKind::LinkHeader
    } else if let Some(c) = cursor {
        let name = norm(&op.params[c].wire_name);
        match find_next(api, body, &name) {
            Ok(next) => PageKind::Cursor {
                param: wire(c),
                next,
                from_last_item: false,
            },
            Err(why) => match (last_item_id(api, &item_ty), &has_more, &next_url) {
                (Some(id), Some(_), _) if AFTER_ITEM_PARAMS.contains(&name.as_str()) => PageKind::Cursor {
                    param: wire(c),
                    next: vec![id],
                    from_last_item: true,
                },
                (_, _, Some(url)) => PageKind::NextUrl { next: url.clone() },
                _ => {
                    looked(
                        diags,
                        format!("cursor parameter `{}`, but {why}", op.params[c].wire_name),
                    );
                    return None;
                }
            },
        }
    } else if let Some(url) = next_url {
        PageKind::NextUrl { next: url }
    } else if let Some(o) = offset {
        PageKind::Offset {
            param: wire(o),
            limit: size,
        }
    } else if let Some(p) = page {
        PageKind::Page {
            param: wire(p),
            size,
            first: first_page(op, p),
        }
    } else {
        return None;
    };
    let has_more = has_more.filter(|_| matches!(kind, PageKind::Cursor { .. }));
    Some(Pagination {
        kind,
        items,
        item_ty,
        extension: None,
        has_more,
    })
}

/// A top-level boolean `has_more`-like field.
fn find_has_more(api: &Api, body: &Ty) -> Option<FieldStep> {
    let fields = fields_of(api, body)?;
    let mut found = fields
        .iter()
        .filter(|f| HAS_MORE_FIELDS.contains(&norm(&f.wire_name).as_str()))
        .filter(|f| matches!(resolve_alias(api, &f.ty), Ty::Bool));
    match (found.next(), found.next()) {
        (Some(f), None) => step(f),
        _ => None,
    }
}

/// The `id` field of an item (string or integer).
fn last_item_id(api: &Api, item: &Ty) -> Option<FieldStep> {
    let f = fields_of(api, item)?.iter().find(|f| f.wire_name == "id")?;
    matches!(resolve_alias(api, &f.ty), Ty::String | Ty::Int(_))
        .then(|| step(f))
        .flatten()
}

/// A field (top level, else one level down) with the next page's URL.
fn find_next_url(api: &Api, body: &Ty) -> Option<Vec<FieldStep>> {
    let is_url = |f: &crate::ir::Field| {
        let n = norm(&f.wire_name);
        let uri = f
            .constraints
            .as_ref()
            .and_then(|c| c.format.as_deref())
            .is_some_and(|fmt| fmt == "uri" || fmt == "url" || fmt == "uri-reference");
        matches!(resolve_alias(api, &f.ty), Ty::String)
            && step(f).is_some()
            && (n != "next" || uri)
            && NEXT_URL_FIELDS.contains(&n.as_str())
    };
    let fields = fields_of(api, body)?;
    let mut found: Vec<Vec<FieldStep>> = fields
        .iter()
        .filter(|f| is_url(f))
        .filter_map(step)
        .map(|s| vec![s])
        .collect();
    if found.is_empty() {
        for f in fields {
            if let (Some(inner), Some(outer)) = (fields_of(api, &f.ty), step(f)) {
                found.extend(
                    inner
                        .iter()
                        .filter(|g| is_url(g))
                        .filter_map(step)
                        .map(|s| vec![outer.clone(), s]),
                );
            }
        }
    }
    match found.len() {
        1 => found.pop(),
        _ => None,
    }
}

fn first_page(op: &Operation, param: usize) -> u64 {
    op.params[param]
        .default
        .as_deref()
        .and_then(|d| d.parse().ok())
        .unwrap_or(1)
}

/// The body type shared by all success responses, when they are JSON.
fn page_body(op: &Operation) -> Option<&Ty> {
    let mut bodies = op
        .responses
        .iter()
        .filter(|r| op.is_success(r))
        .map(|r| r.body.as_ref());
    let first = bodies.next()??;
    let same = bodies.all(|b| b.is_some_and(|b| b.ty == first.ty && b.kind == BodyKind::Json));
    (same && first.kind == BodyKind::Json && !matches!(first.ty, Ty::Option(_))).then_some(&first.ty)
}

fn declares_link_header(spec: &OpenAPI, raw: &openapiv3::Operation) -> bool {
    raw.responses.responses.iter().any(|(code, r)| {
        let success = match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        success
            && super::operation::resolve(r, |c| &c.responses, spec)
                .is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
    })
}

/// The fields of a struct type (through aliases and boxes).
fn fields_of<'a>(api: &'a Api, ty: &'a Ty) -> Option<&'a [crate::ir::Field]> {
    match resolve_alias(api, ty) {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        },
        Ty::Boxed(inner) => fields_of(api, inner),
        _ => None,
    }
}

fn array_item<'a>(api: &'a Api, ty: &'a Ty) -> Option<&'a Ty> {
    match resolve_alias(api, ty) {
        Ty::Vec(inner) => Some(inner),
        _ => None,
    }
}

/// A field the generated code can step through: `T` or `Option<T>` (not `Nullable<T>`).
fn step(f: &crate::ir::Field) -> Option<FieldStep> {
    let optional = match f.presence {
        Presence::Required | Presence::Defaulted(_) => false,
        Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullableLoose => true,
        Presence::OptionalNullable => return None,
    };
    Some(FieldStep {
        name: f.name.clone(),
        wire_name: f.wire_name.clone(),
        optional,
    })
}

/// The items array of a page: the body, its one array field, or its one conventionally named one.
fn find_items(api: &Api, body: &Ty) -> Result<(Vec<FieldStep>, Ty), String> {
    if let Some(item) = array_item(api, body) {
        return Ok((Vec::new(), item.clone()));
    }
    let fields = fields_of(api, body).ok_or("the success body is neither an array nor an object")?;
    let arrays: Vec<&crate::ir::Field> = fields
        .iter()
        .filter(|f| array_item(api, &f.ty).is_some() && step(f).is_some())
        .collect();
    let chosen = match arrays.as_slice() {
        [] => return Err("the success body has no array of items".to_owned()),
        [one] => *one,
        many => {
            let named: Vec<&&crate::ir::Field> = many
                .iter()
                .filter(|f| ITEM_FIELDS.contains(&norm(&f.wire_name).as_str()))
                .collect();
            match named.as_slice() {
                [one] => **one,
                _ => {
                    let names: Vec<String> = many.iter().map(|f| format!("`{}`", f.wire_name)).collect();
                    return Err(format!("several candidate item arrays ({})", names.join(", ")));
                }
            }
        }
    };
    let item = array_item(api, &chosen.ty).cloned().unwrap_or(Ty::Any);
    Ok((step(chosen).into_iter().collect(), item))
}

fn is_scalar_cursor(api: &Api, f: &crate::ir::Field) -> bool {
    let url = f
        .constraints
        .as_ref()
        .and_then(|c| c.format.as_deref())
        .is_some_and(|fmt| fmt == "uri" || fmt == "url");
    !url && matches!(resolve_alias(api, &f.ty), Ty::String | Ty::Int(_)) && step(f).is_some()
}

/// The body field (top level, else one level down) that carries the next cursor for parameter
/// `param` (normalized name).
fn find_next(api: &Api, body: &Ty, param: &str) -> Result<Vec<FieldStep>, String> {
    let fields = fields_of(api, body).ok_or("the body is not an object")?;
    let score = |wire: &str| {
        let n = norm(wire);
        if n == param || n == format!("next{param}") {
            Some(0)
        } else {
            NEXT_FIELDS.iter().position(|x| *x == n).map(|p| p + 1)
        }
    };
    let mut candidates: Vec<(usize, usize, Vec<FieldStep>)> = Vec::new();
    for f in fields {
        if is_scalar_cursor(api, f) {
            if let (Some(s), Some(st)) = (score(&f.wire_name), step(f)) {
                candidates.push((0, s, vec![st]));
            }
        } else if let (Some(inner), Some(outer)) = (fields_of(api, &f.ty), step(f)) {
            for g in inner.iter().filter(|g| is_scalar_cursor(api, g)) {
                if let (Some(s), Some(st)) = (score(&g.wire_name), step(g)) {
                    candidates.push((1, s, vec![outer.clone(), st]));
                }
            }
        }
    }
    candidates.sort_by_key(|(depth, score, _)| (*score, *depth));
    match candidates.as_slice() {
        [] => Err("no next-cursor field in the response body".to_owned()),
        [(d, s, path), rest @ ..] => {
            if let Some((_, _, other)) = rest.iter().find(|(d2, s2, _)| d2 == d && s2 == s) {
                let show = |p: &[FieldStep]| p.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join(".");
                return Err(format!(
                    "two candidate next-cursor fields (`{}`, `{}`)",
                    show(path),
                    show(other)
                ));
            }
            Ok(path.clone())
        }
    }
}

/// A field path given by an extension: `$response.a.b`, `$.a.b`, `a.b`; `$`/empty: the body.
fn field_path(text: &str) -> Result<Vec<String>, String> {
    let t = text.trim();
    let t = t
        .strip_prefix("$response")
        .or_else(|| t.strip_prefix('$'))
        .unwrap_or(t)
        .trim_start_matches('.');
    if t.contains(['[', '*', '(', ' ']) {
        return Err(format!("path `{text}` is not a plain field path"));
    }
    Ok(t.split('.').filter(|s| !s.is_empty()).map(str::to_owned).collect())
}

/// A request parameter given by an extension: `$request.name` or `name`.
fn request_param(op: &Operation, text: &str) -> Result<String, String> {
    let name = text.trim().strip_prefix("$request.").unwrap_or(text.trim());
    op.params
        .iter()
        .find(|p| p.wire_name == name && p.location == ParamLocation::Query)
        .map(|p| p.wire_name.clone())
        .ok_or_else(|| format!("`{name}` is not a query parameter of the operation"))
}

/// Walks wire names from `ty`; the steps and the type reached.
fn walk(api: &Api, ty: &Ty, path: &[String]) -> Result<(Vec<FieldStep>, Ty), String> {
    let mut cur = ty.clone();
    let mut steps = Vec::new();
    for name in path {
        let fields = fields_of(api, &cur).ok_or_else(|| format!("`{name}`: not an object there"))?;
        let f = fields
            .iter()
            .find(|f| &f.wire_name == name)
            .ok_or_else(|| format!("no field `{name}` in the response body"))?;
        steps.push(step(f).ok_or_else(|| format!("field `{name}` is an optional nullable value"))?);
        cur = f.ty.clone();
    }
    Ok((steps, cur))
}

fn items_at(api: &Api, body: &Ty, text: Option<&str>) -> Result<(Vec<FieldStep>, Ty), String> {
    let Some(text) = text else {
        return find_items(api, body);
    };
    let (steps, ty) = walk(api, body, &field_path(text)?)?;
    let item = array_item(api, &ty).ok_or_else(|| format!("`{text}` is not an array"))?;
    Ok((steps, item.clone()))
}

fn next_at(api: &Api, body: &Ty, text: &str) -> Result<Vec<FieldStep>, String> {
    let (steps, ty) = walk(api, body, &field_path(text)?)?;
    if steps.is_empty() || !matches!(resolve_alias(api, &ty), Ty::String | Ty::Int(_)) {
        return Err(format!("`{text}` is not a string or integer field"));
    }
    Ok(steps)
}

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn from_extension(api: &Api, op: &Operation, body: &Ty, name: &str, v: &Value) -> Result<Pagination, String> {
    let (kind, items) = match name {
        "x-speakeasy-pagination" => speakeasy(api, op, body, v)?,
        "x-fern-pagination" => fern(api, op, body, v)?,
        _ => own(api, op, body, v)?,
    };
    Ok(Pagination {
        kind,
        items: items.0,
        item_ty: items.1,
        extension: Some(name.to_owned()),
        has_more: None,
    })
}

type Found = (PageKind, (Vec<FieldStep>, Ty));

/// `type: cursor | offsetLimit`, `inputs: [{name, in: parameters, type}]`,
/// `outputs: {results, nextCursor}`.
fn speakeasy(api: &Api, op: &Operation, body: &Ty, v: &Value) -> Result<Found, String> {
    let input = |ty: &str| -> Result<Option<String>, String> {
        let Some(list) = v.get("inputs").and_then(Value::as_array) else {
            return Ok(None);
        };
        match list.iter().find(|i| str_at(i, "type") == Some(ty)) {
            None => Ok(None),
            Some(i) if str_at(i, "in").is_some_and(|w| w != "parameters") => {
                Err(format!("the `{ty}` input is not a parameter"))
            }
            Some(i) => request_param(op, str_at(i, "name").unwrap_or_default()).map(Some),
        }
    };
    let outputs = v.get("outputs").cloned().unwrap_or(Value::Null);
    match str_at(v, "type") {
        Some("cursor" | "offsetLimit") => {}
        Some(other) => return Err(format!("type `{other}` is not supported")),
        None => return Err("no `type`".to_owned()),
    }
    let items = items_at(api, body, str_at(&outputs, "results"))?;
    let kind = match str_at(v, "type") {
        Some("cursor") => {
            let param = input("cursor")?.ok_or("no `cursor` input")?;
            let next = next_at(
                api,
                body,
                str_at(&outputs, "nextCursor").ok_or("no `outputs.nextCursor`")?,
            )?;
            PageKind::Cursor {
                param,
                next,
                from_last_item: false,
            }
        }
        Some("offsetLimit") => match (input("offset")?, input("page")?) {
            (Some(param), _) => PageKind::Offset {
                param,
                limit: input("limit")?,
            },
            (None, Some(param)) => page_numbers(op, param, input("limit")?),
            (None, None) => return Err("no `offset` or `page` input".to_owned()),
        },
        Some(other) => return Err(format!("type `{other}` is not supported")),
        None => return Err("no `type`".to_owned()),
    };
    Ok((kind, items))
}

/// Page-number paging through the query parameter `param`, counting from the first page its
/// schema allows.
fn page_numbers(op: &Operation, param: String, size: Option<String>) -> PageKind {
    let first = op
        .params
        .iter()
        .position(|p| p.wire_name == param)
        .map_or(1, |i| first_page(op, i));
    PageKind::Page { param, size, first }
}

/// `{cursor: $request.x, next_cursor: $response.y, results: $response.z}` or
/// `{offset: $request.x, step: $request.limit, results}` (without `step`, `offset` counts pages).
fn fern(api: &Api, op: &Operation, body: &Ty, v: &Value) -> Result<Found, String> {
    let items = items_at(api, body, str_at(v, "results"))?;
    let kind = if let Some(c) = str_at(v, "cursor") {
        let param = request_param(op, c)?;
        let next = next_at(api, body, str_at(v, "next_cursor").ok_or("no `next_cursor`")?)?;
        PageKind::Cursor {
            param,
            next,
            from_last_item: false,
        }
    } else if let Some(o) = str_at(v, "offset") {
        let param = request_param(op, o)?;
        match str_at(v, "step") {
            Some(s) => PageKind::Offset {
                param,
                limit: Some(request_param(op, s)?),
            },
            None => page_numbers(op, param, None),
        }
    } else {
        return Err("neither `cursor` nor `offset`".to_owned());
    };
    Ok((kind, items))
}

/// `x-pagination` (no single standard): `{cursor, next, items}`, `{offset, limit, items}`,
/// `{page, size, items}` or `{link: true, items}`; names are query parameters, paths are dotted
/// body fields.
fn own(api: &Api, op: &Operation, body: &Ty, v: &Value) -> Result<Found, String> {
    let items = items_at(api, body, str_at(v, "items").or_else(|| str_at(v, "results")))?;
    let param = |k: &str| str_at(v, k).map(|p| request_param(op, p)).transpose();
    let kind = if v.get("link").and_then(Value::as_bool) == Some(true) {
        PageKind::LinkHeader
    } else if let Some(cursor) = param("cursor")? {
        let next = str_at(v, "next")
            .or_else(|| str_at(v, "nextCursor"))
            .ok_or("no `next`")?;
        PageKind::Cursor {
            param: cursor,
            next: next_at(api, body, next)?,
            from_last_item: false,
        }
    } else if let Some(offset) = param("offset")? {
        PageKind::Offset {
            param: offset,
            limit: param("limit")?,
        }
    } else if let Some(p) = param("page")? {
        let first = op
            .params
            .iter()
            .position(|q| q.wire_name == p)
            .map_or(1, |i| first_page(op, i));
        PageKind::Page {
            param: p,
            size: param("size")?.or(param("per_page")?),
            first,
        }
    } else {
        return Err("none of `cursor`, `offset`, `page`, `link`".to_owned());
    };
    Ok((kind, items))
}
