//! Checks every `$ref` and makes the reference graph simple for the lower stage:
//! after this pass, every schema `$ref` points at `#/components/schemas/<name>` and every other
//! `$ref` points at a direct child of its `components` section. Deeper targets (`$defs`,
//! properties of other schemas, parts of paths) are hoisted into `components/schemas` (schemas) or
//! inlined (everything else).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::walk;
use crate::diag::{escape, unescape, Diagnostics, Error};

/// Rounds of hoisting before we give up; each round handles the refs that the previous one copied.
const MAX_ROUNDS: usize = 64;

const COMPONENT_KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Parses a local `$ref` into reference tokens, or explains why it cannot be followed.
pub fn parse_local(reference: &str) -> Result<Vec<String>, String> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(if reference.contains('#') || !reference.is_empty() {
            format!("`$ref: {reference}` points outside this file; only references within the file are supported")
        } else {
            "empty `$ref`".to_owned()
        });
    };
    let decoded = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .map_err(|_| format!("`$ref: {reference}` is not valid UTF-8 after percent-decoding"))?;
    if decoded.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = decoded.strip_prefix('/') else {
        return Err(format!(
            "`$ref: {reference}` is not a JSON pointer (anchors are not supported)"
        ));
    };
    Ok(rest.split('/').map(unescape).collect())
}

fn to_pointer(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", escape(t))).collect()
}

fn lookup<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    let mut cur = doc;
    for t in tokens {
        cur = match cur {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// JSON Schema 2020-12 identifiers inside the document: `$id` resources and `$anchor`s, so that
/// `$ref: /schemas/pet#name` and `$ref: "#name"` resolve like the standard says.
#[derive(Default)]
struct Ids {
    /// `$id` -> reference tokens of the schema that declares it.
    resources: BTreeMap<String, Vec<String>>,
    /// (`$id` of the enclosing resource, or "" for the document) + anchor -> tokens.
    anchors: BTreeMap<(String, String), Vec<String>>,
}

impl Ids {
    fn collect(doc: &Value) -> Ids {
        let mut ids = Ids::default();
        let mut path = Vec::new();
        ids.walk(doc, &mut path, "");
        ids
    }

    /// `path` borrows the keys of `v`: this walk visits every node of the document, and copying
    /// each key was most of its time. Paths are copied only where an `$id` or `$anchor` is found.
    fn walk<'a>(&mut self, v: &'a Value, path: &mut Vec<Cow<'a, str>>, resource: &str) {
        let owned = |path: &[Cow<'a, str>]| path.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        match v {
            Value::Object(m) => {
                let mut resource = Cow::Borrowed(resource);
                if let Some(Value::String(id)) = m.get("$id") {
                    let id = id.trim_end_matches('#');
                    if !self.resources.contains_key(id) {
                        self.resources.insert(id.to_owned(), owned(path));
                    }
                    resource = Cow::Owned(id.to_owned());
                }
                if let Some(Value::String(anchor)) = m.get("$anchor") {
                    self.anchors
                        .entry((resource.to_string(), anchor.clone()))
                        .or_insert_with(|| owned(path));
                }
                for (k, child) in m {
                    if matches!(k.as_str(), "example" | "examples" | "default" | "enum" | "const") {
                        continue;
                    }
                    path.push(Cow::Borrowed(k));
                    self.walk(child, path, &resource);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(Cow::Owned(i.to_string()));
                    self.walk(child, path, resource);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.anchors.is_empty()
    }

    /// Resolves a reference through `$id`/`$anchor`, when the document declares them.
    fn resolve(&self, reference: &str) -> Option<Vec<String>> {
        let (base, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let (resource, mut tokens) = if base.is_empty() {
            (String::new(), Vec::new())
        } else {
            let id = self.resources.get_key_value(base).or_else(|| {
                self.resources
                    .iter()
                    .find(|(k, _)| k.ends_with(base) || base.ends_with(k.as_str()))
            })?;
            (id.0.clone(), id.1.clone())
        };
        if fragment.is_empty() {
            return Some(tokens);
        }
        if let Some(pointer) = fragment.strip_prefix('/') {
            tokens.extend(pointer.split('/').map(unescape));
            return Some(tokens);
        }
        self.anchors.get(&(resource, fragment.to_owned())).cloned()
    }
}

struct RefSite {
    /// Pointer of the object holding the `$ref`.
    at: String,
    /// Reference tokens (into the document, or into the external file for `external`).
    target: Vec<String>,
    in_schema: bool,
    /// The target fetched from another file, its references already made relative to this document.
    external: Option<(String, Value)>,
}

/// Other files that `$ref`s point into, loaded once each.
pub struct External<'a> {
    /// Directory of the spec, against which relative references resolve; `None` disables them.
    pub base_dir: Option<&'a std::path::Path>,
    pub docs: BTreeMap<String, Value>,
}

/// Most external files one spec may pull in.
const MAX_EXTERNAL_FILES: usize = 256;

/// Splits `dir/file.yaml#/a/b` into a lexically normalized relative path and the fragment.
fn external_parts(reference: &str) -> Option<(String, &str)> {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if file.is_empty() || file.contains("://") || file.starts_with('/') || file.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in file.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), fragment))
}

/// Makes the `$ref`s inside a value fetched from `file` valid in the root document.
fn rebase_refs(value: &mut Value, file: &str) {
    let dir = file.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
    match value {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                if r.starts_with('#') {
                    *r = format!("{file}{r}");
                } else if !r.contains("://") && !r.starts_with('/') {
                    *r = format!("{dir}{r}");
                }
            }
            for (k, v) in m.iter_mut() {
                if !matches!(k.as_str(), "example" | "examples" | "default" | "enum" | "const") {
                    rebase_refs(v, file);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rebase_refs(v, file)),
        _ => {}
    }
}

fn fetch_external(
    reference: &str,
    ext: &mut External<'_>,
    diags: &Diagnostics,
    at: &str,
) -> Result<Option<(Vec<String>, String, Value)>, Error> {
    let Some(base) = ext.base_dir else { return Ok(None) };
    let Some((file, fragment)) = external_parts(reference) else {
        return Ok(None);
    };
    if !ext.docs.contains_key(&file) {
        if ext.docs.len() >= MAX_EXTERNAL_FILES {
            return Err(diags.error(format!("{at}/$ref"), "too many external files referenced"));
        }
        let loaded = crate::load::read_external(&base.join(&file), &file)
            .map_err(|e| diags.error(format!("{at}/$ref"), format!("cannot load `{reference}`: {e}")))?;
        ext.docs.insert(file.clone(), loaded);
    }
    let tokens = parse_local(&format!("#{fragment}")).map_err(|m| diags.error(format!("{at}/$ref"), m))?;
    let Some(target) = ext.docs.get(&file).and_then(|d| lookup(d, &tokens)) else {
        return Err(diags.error(
            format!("{at}/$ref"),
            format!("`$ref` target `#{fragment}` does not exist in `{file}`"),
        ));
    };
    let mut copy = target.clone();
    rebase_refs(&mut copy, &file);
    Ok(Some((tokens, format!("{file}#{fragment}"), copy)))
}

fn collect(doc: &mut Value, diags: &Diagnostics, ext: &mut External<'_>) -> Result<Vec<RefSite>, Error> {
    let ids = Ids::collect(doc);
    let mut schema_sites = BTreeSet::new();
    walk::schemas_mut(doc, &mut |s, pointer| {
        if s.contains_key("$ref") {
            schema_sites.insert(pointer.to_owned());
        }
    });
    let mut sites = Vec::new();
    let mut pointer = String::new();
    collect_all(doc, &mut pointer, &mut |at, reference| {
        let mut external = None;
        let target = match parse_local(reference) {
            Ok(t) => t,
            Err(m) => match (!ids.is_empty()).then(|| ids.resolve(reference)).flatten() {
                Some(t) => t,
                None => match fetch_external(reference, ext, diags, at)? {
                    Some((tokens, key, value)) => {
                        external = Some((key, value));
                        tokens
                    }
                    None => return Err(diags.error(format!("{at}/$ref"), m)),
                },
            },
        };
        sites.push(RefSite {
            in_schema: schema_sites.contains(at),
            at: at.to_owned(),
            target,
            external,
        });
        Ok(())
    })?;
    Ok(sites)
}

fn collect_all(
    value: &Value,
    pointer: &mut String,
    f: &mut dyn FnMut(&str, &str) -> Result<(), Error>,
) -> Result<(), Error> {
    match value {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                f(pointer, r)?;
            }
            for (k, v) in m {
                if matches!(k.as_str(), "example" | "examples" | "default" | "enum" | "const")
                    || k.starts_with("x-") && k != "x-prefixItems" && k != "x-patternProperties"
                {
                    continue;
                }
                let len = pointer.len();
                crate::diag::push(pointer, k);
                collect_all(v, pointer, f)?;
                pointer.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                let len = pointer.len();
                let _ = write!(pointer, "/{i}");
                collect_all(v, pointer, f)?;
                pointer.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Structural words that make poor type names for hoisted schemas.
fn is_structural(token: &str) -> bool {
    matches!(
        token,
        "components"
            | "schemas"
            | "properties"
            | "items"
            | "$defs"
            | "definitions"
            | "paths"
            | "content"
            | "schema"
            | "responses"
            | "requestBody"
            | "parameters"
            | "headers"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "additionalProperties"
            | "x-prefixItems"
            | "x-patternProperties"
            | "not"
    ) || token.contains('/')
        || token.chars().all(|c| c.is_ascii_digit())
}

fn hoisted_name(target: &[String], taken: &BTreeSet<String>) -> String {
    let meaningful: Vec<&str> = target
        .iter()
        .map(String::as_str)
        .filter(|t| !is_structural(t))
        .collect();
    let stem = match meaningful.len() {
        0 => "Hoisted".to_owned(),
        1 => meaningful[0].to_owned(),
        n => format!("{}_{}", meaningful[n - 2], meaningful[n - 1]),
    };
    if !taken.contains(&stem) {
        return stem;
    }
    (2u32..)
        .map(|i| format!("{stem}{i}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(stem)
}

/// Checks and simplifies every `$ref` of the document.
pub fn resolve(doc: &mut Value, diags: &mut Diagnostics, ext: &mut External<'_>) -> Result<(), Error> {
    let mut hoisted: BTreeMap<Vec<String>, String> = BTreeMap::new();
    // Inlining copies; references among copied parts can double the document every round.
    let mut inlined = 0usize;
    let max_inlined = count_nodes(doc).saturating_mul(4).max(1_000_000);
    for _ in 0..MAX_ROUNDS {
        let sites = collect(doc, diags, ext)?;
        let mut rewrites: Vec<(String, Rewrite)> = Vec::new();
        for site in sites {
            // External targets are always copied in: hoisted (schemas) or inlined (the rest).
            let (target, memo_key, direct_component) = match &site.external {
                Some((key, value)) => (value.clone(), vec![key.clone()], false),
                None => {
                    let Some(target) = lookup(doc, &site.target) else {
                        return Err(diags.error(
                            format!("{}/$ref", site.at),
                            format!("`$ref` target `#{}` does not exist", to_pointer(&site.target)),
                        ));
                    };
                    let direct = site.target.len() == 3
                        && site.target[0] == "components"
                        && COMPONENT_KINDS.contains(&site.target[1].as_str());
                    if direct && site.in_schema && site.target[1] == "schemas" {
                        continue;
                    }
                    if direct && !site.in_schema {
                        continue;
                    }
                    (target.clone(), site.target.clone(), direct)
                }
            };
            if site.in_schema {
                if direct_component && matches!(site.target[1].as_str(), "parameters" | "headers") {
                    if let Some(schema) = parameter_schema(doc, &site.target) {
                        let what = if site.target[1] == "headers" {
                            "header"
                        } else {
                            "parameter"
                        };
                        diags.warn(
                            format!("{}/$ref", site.at),
                            format!(
                                "a schema `$ref` points at the {what} `#{}`; read as that {what}'s schema",
                                to_pointer(&site.target)
                            ),
                        );
                        rewrites.push((site.at, Rewrite::Ref(schema)));
                        continue;
                    }
                }
                if direct_component {
                    return Err(diags.error(
                        format!("{}/$ref", site.at),
                        format!(
                            "a schema `$ref` points at `#{}`, which is not a schema",
                            to_pointer(&site.target)
                        ),
                    ));
                }
                let name = match hoisted.get(&memo_key) {
                    Some(name) => name.clone(),
                    None => {
                        let taken: BTreeSet<String> = doc
                            .pointer("/components/schemas")
                            .and_then(Value::as_object)
                            .map(|m| m.keys().cloned().collect())
                            .unwrap_or_default();
                        let name = hoisted_name(&site.target, &taken);
                        insert_schema(doc, &name, target);
                        hoisted.insert(memo_key, name.clone());
                        name
                    }
                };
                rewrites.push((site.at, Rewrite::Ref(format!("#/components/schemas/{}", escape(&name)))));
            } else {
                if target.get("$ref").is_some() && site.target.is_empty() && site.external.is_none() {
                    return Err(diags.error(format!("{}/$ref", site.at), "`$ref` to the document root"));
                }
                let target_ptr = to_pointer(&site.target);
                if site.external.is_none() && (site.at == target_ptr || site.at.starts_with(&format!("{target_ptr}/")))
                {
                    // The copy would contain the `$ref` again, and so on without end.
                    return Err(diags.error(
                        format!("{}/$ref", site.at),
                        format!("`$ref` target `#{target_ptr}` contains this `$ref` itself"),
                    ));
                }
                inlined += count_nodes(&target);
                if inlined > max_inlined {
                    return Err(diags.error(
                        format!("{}/$ref", site.at),
                        "`$ref`s expand without bound: inlined copies keep referring to each other",
                    ));
                }
                rewrites.push((site.at, Rewrite::Inline(target)));
            }
        }
        if rewrites.is_empty() {
            check_chains(doc, diags)?;
            return check_depth(doc, diags);
        }
        for (at, rewrite) in rewrites {
            if let Some(slot) = doc.pointer_mut(&at) {
                match rewrite {
                    Rewrite::Ref(r) => {
                        let mut m = Map::new();
                        m.insert("$ref".into(), Value::String(r));
                        *slot = Value::Object(m);
                    }
                    Rewrite::Inline(v) => *slot = v,
                }
            }
        }
    }
    Err(diags.error(
        "",
        "`$ref`s nest too deeply to resolve (more than 64 levels of indirection)",
    ))
}

/// For a schema `$ref` to a component parameter or header: the reference to use instead, to its
/// schema (following `$ref`s between parameters; a schema that is itself a `$ref` is followed too,
/// so no alias type is made). `None` when it has no schema (`content` without one, or a broken chain).
fn parameter_schema(doc: &Value, target: &[String]) -> Option<String> {
    let mut cur = target.to_vec();
    for _ in 0..MAX_ROUNDS {
        let object = lookup(doc, &cur)?;
        if let Some(Value::String(r)) = object.get("$ref") {
            cur = parse_local(r).ok()?;
            continue;
        }
        if object.get("schema").is_some() {
            cur.push("schema".into());
        } else {
            let (media, _) = object
                .get("content")?
                .as_object()?
                .iter()
                .find(|(_, m)| m.get("schema").is_some())?;
            cur.extend(["content".to_owned(), media.clone(), "schema".to_owned()]);
        }
        return match lookup(doc, &cur)?.get("$ref") {
            Some(Value::String(r)) => Some(r.clone()),
            _ => Some(format!("#{}", to_pointer(&cur))),
        };
    }
    None
}

enum Rewrite {
    Ref(String),
    Inline(Value),
}

fn insert_schema(doc: &mut Value, name: &str, schema: Value) {
    let Value::Object(root) = doc else { return };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else { return };
    let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    if let Value::Object(schemas) = schemas {
        schemas.insert(name.to_owned(), schema);
    }
}

/// Rejects component entries that are only a `$ref` to themselves, directly or through a chain.
fn check_chains(doc: &Value, diags: &Diagnostics) -> Result<(), Error> {
    let Some(Value::Object(components)) = doc.get("components") else {
        return Ok(());
    };
    for (kind, section) in components {
        let Value::Object(section) = section else { continue };
        for name in section.keys() {
            let mut seen = BTreeSet::new();
            let mut cur = vec!["components".to_owned(), kind.clone(), name.clone()];
            while let Some(Value::String(r)) = lookup(doc, &cur).and_then(|v| v.get("$ref")) {
                if !seen.insert(cur.clone()) {
                    return Err(diags.error(
                        format!("/components/{}/{}", escape(kind), escape(name)),
                        "`$ref` cycle: this entry refers to itself through a chain of references",
                    ));
                }
                match parse_local(r) {
                    Ok(next) => cur = next,
                    Err(_) => break,
                }
            }
        }
    }
    Ok(())
}

/// Nodes in a JSON tree (without recursion: trees here can be arbitrarily deep).
fn count_nodes(v: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::Object(m) => stack.extend(m.values()),
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    n
}

/// Deepest nesting the later (recursive) stages accept. The parsers stop at 128 levels, but inlining
/// a `$ref` puts one deep part inside another.
const MAX_DOC_DEPTH: usize = 256;

fn check_depth(doc: &Value, diags: &Diagnostics) -> Result<(), Error> {
    let mut stack: Vec<(&Value, usize)> = vec![(doc, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_DOC_DEPTH {
            return Err(diags.error(
                "",
                format!("after inlining `$ref`s the document nests more than {MAX_DOC_DEPTH} levels deep"),
            ));
        }
        match v {
            Value::Object(m) => stack.extend(m.values().map(|c| (c, depth + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}
