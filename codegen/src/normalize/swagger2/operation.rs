//! Paths, operations, parameters and request bodies.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{media_or_default, media_types, reference, response, schema, Ctx};
use crate::diag::{join, Diagnostics};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// `paths` -> `paths`.
pub(super) fn paths(ctx: &Ctx, value: Value, pointer: &str, diags: &mut Diagnostics) -> Value {
    let Value::Object(items) = value else {
        diags.warn(pointer, "`paths` must be a mapping; ignored");
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (path, item) in items {
        let p = join(pointer, &path);
        if path.starts_with("x-") {
            out.insert(path, item);
            continue;
        }
        match item {
            Value::Object(item) => {
                out.insert(path, Value::Object(path_item(ctx, item, &p, diags)));
            }
            _ => diags.warn(p, "a path item must be a mapping; dropped"),
        }
    }
    Value::Object(out)
}

/// A parameter list entry with the pointer to where it was written.
type Located = (Value, String);

fn path_item(ctx: &Ctx, item: Map<String, Value>, pointer: &str, diags: &mut Diagnostics) -> Map<String, Value> {
    // Path-level body and form parameters have no 3.0 counterpart at path level: they join each
    // operation's request body instead.
    let mut shared_params = Vec::new();
    let mut shared_bodies = Vec::new();
    if let Some(list) = item.get("parameters") {
        let p = join(pointer, "parameters");
        for (i, entry) in entries(list, &p, diags) {
            let ep = join(&p, &i.to_string());
            match location(ctx, &entry) {
                Some("body" | "formData") => shared_bodies.push((entry, ep)),
                _ => shared_params.push((entry, ep)),
            }
        }
    }
    let mut out = Map::new();
    for (key, v) in item {
        let p = join(pointer, &key);
        match key.as_str() {
            "parameters" => {
                let mut params = Vec::new();
                let mut bodies = Bodies::default();
                for (entry, ep) in std::mem::take(&mut shared_params) {
                    classify(ctx, entry, &ep, &[], &mut params, &mut bodies, diags);
                }
                if !params.is_empty() {
                    out.insert(key, Value::Array(params));
                }
            }
            "$ref" => match v {
                Value::String(r) => {
                    out.insert(key, Value::String(ctx.rewrite_ref(&r)));
                }
                _ => diags.warn(p, "`$ref` must be a string; dropped"),
            },
            k if METHODS.contains(&k) => match v {
                Value::Object(op) => {
                    out.insert(key, Value::Object(operation(ctx, op, &shared_bodies, &p, diags)));
                }
                _ => diags.warn(p, "an operation must be a mapping; dropped"),
            },
            k if k.starts_with("x-") => {
                out.insert(key, v);
            }
            _ => diags.warn(p, format!("`{key}` is not a field of a Swagger 2.0 path item; dropped")),
        }
    }
    out
}

/// The entries of a `parameters` list, with their indices.
fn entries(list: &Value, pointer: &str, diags: &mut Diagnostics) -> Vec<(usize, Value)> {
    match list {
        Value::Array(items) => items.iter().cloned().enumerate().collect(),
        _ => {
            diags.warn(pointer, "`parameters` must be a list; ignored");
            Vec::new()
        }
    }
}

/// `in` of a parameter entry, following a `$ref` to the root `parameters`.
fn location<'a>(ctx: &'a Ctx, entry: &'a Value) -> Option<&'a str> {
    identity(ctx, entry).map(|(_, location)| location)
}

/// `(name, in)` of a parameter entry, following a `$ref` to the root `parameters`.
fn identity<'a>(ctx: &'a Ctx, entry: &'a Value) -> Option<(&'a str, &'a str)> {
    let m = entry.as_object()?;
    let target = match m.get("$ref") {
        Some(r) => ctx.root_parameter(r.as_str()?)?,
        None => m,
    };
    let location = target.get("in")?.as_str()?;
    let name = target.get("name").and_then(Value::as_str).unwrap_or("");
    Some((name, location))
}

fn operation(
    ctx: &Ctx,
    op: Map<String, Value>,
    shared_bodies: &[Located],
    pointer: &str,
    diags: &mut Diagnostics,
) -> Map<String, Value> {
    let consumes =
        media_types(op.get("consumes"), &join(pointer, "consumes"), diags).unwrap_or_else(|| ctx.consumes.clone());
    let produces =
        media_types(op.get("produces"), &join(pointer, "produces"), diags).unwrap_or_else(|| ctx.produces.clone());

    let own: Vec<Located> = match op.get("parameters") {
        Some(list) => {
            let p = join(pointer, "parameters");
            entries(list, &p, diags)
                .into_iter()
                .map(|(i, e)| (e, join(&p, &i.to_string())))
                .collect()
        }
        None => Vec::new(),
    };
    let own_ids: BTreeSet<(String, String)> = own
        .iter()
        .filter_map(|(e, _)| identity(ctx, e))
        .map(|(n, l)| (n.to_owned(), l.to_owned()))
        .collect();
    let own_has_body = own_ids.iter().any(|(_, l)| l == "body");
    let mut params = Vec::new();
    let mut bodies = Bodies::default();
    for (entry, ep) in shared_bodies {
        // An operation's parameter overrides the path's one with the same name and location.
        let overridden = identity(ctx, entry)
            .is_some_and(|(n, l)| (l == "body" && own_has_body) || own_ids.contains(&(n.to_owned(), l.to_owned())));
        if !overridden {
            classify(ctx, entry.clone(), ep, &consumes, &mut params, &mut bodies, diags);
        }
    }
    for (entry, ep) in own {
        classify(ctx, entry, &ep, &consumes, &mut params, &mut bodies, diags);
    }
    let request_body = bodies.finish(&consumes, diags);

    let mut out = Map::new();
    let mut body_placed = false;
    for (key, v) in op {
        let p = join(pointer, &key);
        match key.as_str() {
            "consumes" | "produces" => {}
            "parameters" => {
                if !params.is_empty() {
                    out.insert(key, Value::Array(std::mem::take(&mut params)));
                }
                if let Some(body) = request_body.clone() {
                    out.insert("requestBody".into(), body);
                }
                body_placed = true;
            }
            "responses" => {
                if !body_placed {
                    // Path-level bodies only: keep the 3.0 order (request body before responses).
                    if let Some(body) = request_body.clone() {
                        out.insert("requestBody".into(), body);
                    }
                    body_placed = true;
                }
                out.insert(key, response::responses(ctx, v, &produces, &p, diags));
            }
            "schemes" => {
                let schemes = media_types(Some(&v), &p, diags).unwrap_or_default();
                if !schemes.is_empty() && schemes != ctx.schemes {
                    let servers = ctx.servers(&schemes);
                    if !servers.is_empty() && ctx.host.is_some() {
                        out.insert("servers".into(), Value::Array(servers));
                    }
                }
            }
            "tags" | "summary" | "description" | "externalDocs" | "operationId" | "deprecated" | "security" => {
                out.insert(key, v);
            }
            k if k.starts_with("x-") => {
                out.insert(key, v);
            }
            _ => diags.warn(p, format!("`{key}` is not a field of a Swagger 2.0 operation; dropped")),
        }
    }
    if !body_placed {
        if let Some(body) = request_body {
            out.insert("requestBody".into(), body);
        }
    }
    if !out.contains_key("responses") {
        diags.warn(pointer, "the operation has no `responses`; assuming an empty response");
        out.insert("responses".into(), Value::Object(Map::new()));
    }
    out
}

/// What an operation's body and form parameters add up to.
#[derive(Default)]
struct Bodies {
    /// The request body from a body parameter (or a `$ref` to one).
    body: Option<Value>,
    /// The form fields, in order.
    form: Vec<FormField>,
    has_file: bool,
}

struct FormField {
    name: String,
    schema: Value,
    required: bool,
    collection_format: Option<String>,
    pointer: String,
}

impl Bodies {
    fn set_body(&mut self, body: Value, pointer: &str, diags: &mut Diagnostics) {
        if self.body.is_some() {
            diags.warn(pointer, "an operation can have only one body parameter; dropped");
        } else {
            self.body = Some(body);
        }
    }

    fn finish(self, consumes: &[String], diags: &mut Diagnostics) -> Option<Value> {
        if let Some(body) = self.body {
            if let Some(field) = self.form.first() {
                diags.warn(
                    &field.pointer,
                    "form parameters cannot be combined with a body parameter; dropped",
                );
            }
            return Some(body);
        }
        if self.form.is_empty() {
            return None;
        }
        let media = if self.has_file || consumes.iter().any(|c| c == MULTIPART) {
            MULTIPART
        } else {
            URLENCODED
        };
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in self.form {
            if field.required {
                required.push(Value::String(field.name.clone()));
            }
            if let Some(format) = field.collection_format {
                match style(&format, "formData") {
                    Ok(Some(s)) => {
                        encoding.insert(field.name.clone(), Value::Object(s));
                    }
                    Ok(None) => {}
                    Err(msg) => diags.warn(join(&field.pointer, "collectionFormat"), msg),
                }
            }
            properties.insert(field.name, field.schema);
        }
        let any_required = !required.is_empty();
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if any_required {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut media_type = Map::new();
        media_type.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            media_type.insert("encoding".into(), Value::Object(encoding));
        }
        let mut content = Map::new();
        content.insert(media.into(), Value::Object(media_type));
        let mut out = Map::new();
        out.insert("content".into(), Value::Object(content));
        if any_required {
            out.insert("required".into(), Value::Bool(true));
        }
        Some(Value::Object(out))
    }
}

/// Sorts one operation parameter into a 3.0 parameter, the request body or a form field.
fn classify(
    ctx: &Ctx,
    entry: Value,
    pointer: &str,
    consumes: &[String],
    params: &mut Vec<Value>,
    bodies: &mut Bodies,
    diags: &mut Diagnostics,
) {
    let Value::Object(m) = entry else {
        diags.warn(pointer, "a parameter must be a mapping; dropped");
        return;
    };
    if let Some(r) = m.get("$ref") {
        let Some(r) = r.as_str() else {
            diags.warn(join(pointer, "$ref"), "`$ref` must be a string; dropped");
            return;
        };
        match ctx.root_parameter_named(r) {
            Some((_, target)) if target.get("in").is_some_and(|l| l == "body") => {
                bodies.set_body(reference(ctx.rewrite_ref(r)), pointer, diags);
            }
            Some((name, target)) if target.get("in").is_some_and(|l| l == "formData") => {
                // A form field cannot be referenced from a 3.0 schema's properties; inline it.
                let target_pointer = join("/parameters", name);
                form_field(ctx, target.clone(), &target_pointer, bodies, diags);
            }
            _ => params.push(reference(ctx.rewrite_ref(r))),
        }
        return;
    }
    match m.get("in").and_then(Value::as_str) {
        Some("body") => {
            let body = request_body(ctx, m, consumes, pointer, diags);
            bodies.set_body(body, pointer, diags);
        }
        Some("formData") => form_field(ctx, m, pointer, bodies, diags),
        Some("query" | "path" | "header") => {
            if let Some(p) = parameter(ctx, m, pointer, diags) {
                params.push(p);
            }
        }
        Some(other) => diags.warn(
            join(pointer, "in"),
            format!("unknown parameter location `{other}`; dropped"),
        ),
        None => diags.warn(pointer, "a parameter needs `in`; dropped"),
    }
}

/// A root-level `parameters` entry -> `components.parameters` or `components.requestBodies`.
pub(super) fn root_parameter(
    ctx: &Ctx,
    name: &str,
    value: Value,
    pointer: &str,
    parameters: &mut Map<String, Value>,
    request_bodies: &mut Map<String, Value>,
    diags: &mut Diagnostics,
) {
    let Value::Object(m) = value else {
        diags.warn(pointer, "a parameter must be a mapping; dropped");
        return;
    };
    match m.get("in").and_then(Value::as_str) {
        Some("body") => {
            let body = request_body(ctx, m, &ctx.consumes, pointer, diags);
            request_bodies.insert(name.to_owned(), body);
        }
        // Inlined into the form body of each operation that references it.
        Some("formData") => {}
        Some("query" | "path" | "header") => {
            if let Some(p) = parameter(ctx, m, pointer, diags) {
                parameters.insert(name.to_owned(), p);
            }
        }
        Some(other) => diags.warn(
            join(pointer, "in"),
            format!("unknown parameter location `{other}`; dropped"),
        ),
        None => diags.warn(pointer, "a parameter needs `in`; dropped"),
    }
}

/// A body parameter -> request body, with one media type per entry of `consumes`.
fn request_body(
    ctx: &Ctx,
    m: Map<String, Value>,
    consumes: &[String],
    pointer: &str,
    diags: &mut Diagnostics,
) -> Value {
    let mut description = None;
    let mut required = false;
    let mut schema = None;
    let mut name = None;
    let mut extensions = Map::new();
    for (key, v) in m {
        let p = join(pointer, &key);
        match key.as_str() {
            "in" => {}
            "name" => name = v.as_str().map(str::to_owned),
            "description" => description = Some(v),
            "required" => match v {
                Value::Bool(b) => required = b,
                _ => diags.warn(p, "`required` must be a boolean; ignored"),
            },
            "schema" => schema = Some(schema::convert(ctx, v, &p, diags)),
            k if k.starts_with("x-") => {
                extensions.insert(key, v);
            }
            _ => diags.warn(p, format!("`{key}` is not a field of a body parameter; dropped")),
        }
    }
    let schema = schema.unwrap_or_else(|| {
        diags.warn(pointer, "a body parameter needs a `schema`; any value is accepted");
        Value::Object(Map::new())
    });
    let mut content = Map::new();
    for media in media_or_default(consumes) {
        let mut media_type = Map::new();
        media_type.insert("schema".into(), schema.clone());
        content.insert(media.to_owned(), Value::Object(media_type));
    }
    let mut out = Map::new();
    if let Some(d) = description {
        out.insert("description".into(), d);
    }
    out.insert("content".into(), Value::Object(content));
    if required {
        out.insert("required".into(), Value::Bool(true));
    }
    if let Some(name) = name {
        // The conventional place for the 2.0 body parameter's name, which 3.0 has no field for.
        out.insert("x-codegen-request-body-name".into(), Value::String(name));
    }
    out.extend(extensions);
    Value::Object(out)
}

/// A `formData` parameter -> one property of the operation's form body.
fn form_field(ctx: &Ctx, m: Map<String, Value>, pointer: &str, bodies: &mut Bodies, diags: &mut Diagnostics) {
    let split = schema::split(ctx, m, pointer, diags);
    let mut name = None;
    let mut required = false;
    let mut extras = Map::new();
    for (key, v) in split.rest {
        let p = join(pointer, &key);
        match key.as_str() {
            "in" => {}
            "name" => name = v.as_str().map(str::to_owned),
            "required" => match v {
                Value::Bool(b) => required = b,
                _ => diags.warn(p, "`required` must be a boolean; ignored"),
            },
            // Only relaxed validation in 2.0; a form body has no place for it.
            "allowEmptyValue" => {}
            "description" => {
                extras.insert(key, v);
            }
            "example" | "x-example" => {
                extras.insert("example".into(), v);
            }
            k if k.starts_with("x-") => {
                extras.insert(key, v);
            }
            _ => diags.warn(p, format!("`{key}` is not a field of a form parameter; dropped")),
        }
    }
    let Some(name) = name else {
        diags.warn(pointer, "a parameter needs a string `name`; dropped");
        return;
    };
    if bodies.form.iter().any(|f| f.name == name) {
        diags.warn(
            pointer,
            format!("form parameter `{name}` is listed twice; the later one is dropped"),
        );
        return;
    }
    let mut schema = split.schema;
    if let Value::Object(s) = &mut schema {
        for (k, v) in extras {
            s.entry(k).or_insert(v);
        }
    }
    bodies.has_file |= split.is_file;
    bodies.form.push(FormField {
        name,
        schema,
        required,
        collection_format: split.collection_format,
        pointer: pointer.to_owned(),
    });
}

/// A query, path or header parameter -> 3.0 parameter with a `schema`.
fn parameter(ctx: &Ctx, m: Map<String, Value>, pointer: &str, diags: &mut Diagnostics) -> Option<Value> {
    let location = m.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
    let split = schema::split(ctx, m, pointer, diags);
    let mut name = None;
    let mut description = None;
    let mut required = None;
    let mut deprecated = None;
    let mut allow_empty = None;
    let mut example = None;
    let mut extensions = Map::new();
    for (key, v) in split.rest {
        let p = join(pointer, &key);
        match key.as_str() {
            "in" => {}
            "name" => name = v.as_str().map(str::to_owned),
            "description" => description = Some(v),
            "required" => match v {
                Value::Bool(b) => required = Some(b),
                _ => diags.warn(p, "`required` must be a boolean; ignored"),
            },
            "deprecated" => deprecated = Some(v),
            "allowEmptyValue" if location == "query" => allow_empty = Some(v),
            "allowEmptyValue" => diags.warn(
                p,
                format!("`allowEmptyValue` applies only to query parameters, not {location}; dropped"),
            ),
            "example" | "x-example" => example = Some(v),
            k if k.starts_with("x-") => {
                extensions.insert(key, v);
            }
            _ => diags.warn(p, format!("`{key}` is not a field of a {location} parameter; dropped")),
        }
    }
    let Some(name) = name else {
        diags.warn(pointer, "a parameter needs a string `name`; dropped");
        return None;
    };
    if location == "path" && required != Some(true) {
        if required == Some(false) {
            diags.warn(
                join(pointer, "required"),
                "path parameters are always required; `required: false` ignored",
            );
        }
        required = Some(true);
    }
    let mut out = Map::new();
    out.insert("name".into(), Value::String(name));
    out.insert("in".into(), Value::String(location.clone()));
    if let Some(d) = description {
        out.insert("description".into(), d);
    }
    if let Some(r) = required {
        out.insert("required".into(), Value::Bool(r));
    }
    if let Some(d) = deprecated {
        out.insert("deprecated".into(), d);
    }
    if let Some(a) = allow_empty {
        out.insert("allowEmptyValue".into(), a);
    }
    if let Some(format) = &split.collection_format {
        match style(format, &location) {
            Ok(Some(s)) => out.extend(s),
            Ok(None) => {}
            Err(msg) => diags.warn(join(pointer, "collectionFormat"), msg),
        }
    }
    out.insert("schema".into(), split.schema);
    if let Some(e) = example {
        out.insert("example".into(), e);
    }
    out.extend(extensions);
    Some(Value::Object(out))
}

/// `collectionFormat` -> `style` and `explode`; `Ok(None)` when 3.0's default already means it.
fn style(format: &str, location: &str) -> Result<Option<Map<String, Value>>, String> {
    let form_like = matches!(location, "query" | "formData");
    let (style, explode) = match (format, form_like) {
        ("csv", true) => ("form", false),
        // `simple`, not exploded: the 3.0 default for path and header parameters.
        ("csv", false) => return Ok(None),
        ("multi", true) => ("form", true),
        ("ssv", true) => ("spaceDelimited", false),
        ("pipes", true) => ("pipeDelimited", false),
        ("tsv", _) => {
            return Err("`collectionFormat: tsv` has no OpenAPI 3 equivalent; the default serialization is used".into())
        }
        (other, _) => {
            return Err(format!(
            "`collectionFormat: {other}` is not supported for {location} parameters; the default serialization is used"
        ))
        }
    };
    let mut out = Map::new();
    out.insert("style".into(), Value::String(style.into()));
    out.insert("explode".into(), Value::Bool(explode));
    Ok(Some(out))
}
