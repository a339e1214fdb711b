//! Swagger 2.0 -> OpenAPI 3.0 conversion on the JSON tree.
//!
//! The conversion follows the usual mapping (the one `swagger2openapi` implements): `definitions`,
//! root `parameters`, `responses` and `securityDefinitions` move under `components`; body and form
//! parameters become request bodies; `consumes`/`produces` become the media types of request and
//! response content; `host`/`basePath`/`schemes` become `servers`. Every warning points into the
//! original 2.0 document, since that is the file the user can edit.
//!
//! [`operation`] converts paths, operations and parameters, [`response`] responses and [`schema`]
//! schemas; this file holds the document-level parts (servers, components, security schemes).

mod operation;
mod response;
mod schema;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use super::refs;
use crate::diag::{join, Diagnostics, Error};

/// The media type assumed when neither the operation nor the document names one.
const DEFAULT_MEDIA_TYPE: &str = "application/json";

/// Nesting depth beyond which schemas are left as they are; real specs stay far below it, and the
/// bound keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 128;

/// What converting one part of the document needs to know about the rest of it.
struct Ctx {
    /// Root-level `consumes`, the default for operations that do not name their own.
    consumes: Vec<String>,
    /// Root-level `produces`, likewise.
    produces: Vec<String>,
    /// Root-level `parameters`, as written: a `$ref` to a body parameter becomes a request body
    /// reference and a `$ref` to a form parameter is inlined into the form body.
    parameters: Map<String, Value>,
    host: Option<String>,
    base_path: Option<String>,
    /// Root-level `schemes`, as written (empty when missing).
    schemes: Vec<String>,
}

impl Ctx {
    fn new(root: &Map<String, Value>, diags: &mut Diagnostics) -> Ctx {
        let parameters = root
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        Ctx {
            consumes: media_types(root.get("consumes"), "/consumes", diags).unwrap_or_default(),
            produces: media_types(root.get("produces"), "/produces", diags).unwrap_or_default(),
            parameters,
            host: string_field(root, "host", "", diags),
            base_path: string_field(root, "basePath", "", diags),
            schemes: media_types(root.get("schemes"), "/schemes", diags).unwrap_or_default(),
        }
    }

    /// Rewrites a 2.0 `$ref` to where its target lives in the 3.0 document.
    fn rewrite_ref(&self, reference: &str) -> String {
        if let Some(rest) = reference.strip_prefix("#/definitions/") {
            return format!("#/components/schemas/{rest}");
        }
        if let Some(rest) = reference.strip_prefix("#/responses/") {
            return format!("#/components/responses/{rest}");
        }
        if let Some(rest) = reference.strip_prefix("#/parameters/") {
            let section = match self
                .root_parameter(reference)
                .and_then(|p| p.get("in"))
                .and_then(Value::as_str)
            {
                Some("body") => "requestBodies",
                _ => "parameters",
            };
            return format!("#/components/{section}/{rest}");
        }
        reference.to_owned()
    }

    /// The root-level parameter that `reference` names, with its name, if it names one.
    fn root_parameter(&self, reference: &str) -> Option<&Map<String, Value>> {
        self.root_parameter_named(reference).map(|(_, p)| p)
    }

    fn root_parameter_named(&self, reference: &str) -> Option<(&str, &Map<String, Value>)> {
        let tokens = refs::parse_local(reference).ok()?;
        match tokens.as_slice() {
            [section, name] if section == "parameters" => {
                let (key, value) = self.parameters.get_key_value(name)?;
                Some((key.as_str(), value.as_object()?))
            }
            _ => None,
        }
    }

    /// Server objects for `schemes` (falling back to the document's) on the document's host.
    fn servers(&self, schemes: &[String]) -> Vec<Value> {
        let base = self.base_path.as_deref().unwrap_or("");
        let Some(host) = self.host.as_deref().filter(|h| !h.is_empty()) else {
            return if base.is_empty() {
                Vec::new()
            } else {
                vec![server(base.to_owned())]
            };
        };
        let host = host.trim_end_matches('/');
        // `basePath: /` would otherwise make every joined path start with `//`.
        let base = if base == "/" { "" } else { base };
        if host.contains("://") {
            return vec![server(format!("{host}{base}"))];
        }
        let schemes: Vec<&str> = if schemes.is_empty() {
            vec!["https"]
        } else {
            schemes.iter().map(String::as_str).collect()
        };
        schemes
            .into_iter()
            .map(|scheme| server(format!("{scheme}://{host}{base}")))
            .collect()
    }
}

/// `{"$ref": target}`.
fn reference(target: String) -> Value {
    let mut m = Map::new();
    m.insert("$ref".into(), Value::String(target));
    Value::Object(m)
}

/// The media types of a list, or the default when it is empty.
fn media_or_default(list: &[String]) -> Vec<&str> {
    if list.is_empty() {
        vec![DEFAULT_MEDIA_TYPE]
    } else {
        list.iter().map(String::as_str).collect()
    }
}

fn server(url: String) -> Value {
    let mut m = Map::new();
    m.insert("url".into(), Value::String(url));
    Value::Object(m)
}

/// Reads an optional string field, warning when it has another type.
fn string_field(map: &Map<String, Value>, key: &str, base: &str, diags: &mut Diagnostics) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => Some(s.clone()),
        _ => {
            diags.warn(join(base, key), format!("`{key}` must be a string; ignored"));
            None
        }
    }
}

/// Reads a list of strings (`consumes`, `produces`, `schemes`); `None` when the key is missing or
/// unusable, so that the caller falls back to the outer default.
fn media_types(value: Option<&Value>, pointer: &str, diags: &mut Diagnostics) -> Option<Vec<String>> {
    match value? {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if !out.contains(s) => out.push(s.clone()),
                    Value::String(_) => {}
                    _ => diags.warn(join(pointer, &i.to_string()), "must be a string; ignored"),
                }
            }
            Some(out)
        }
        _ => {
            diags.warn(pointer, "must be a list of strings; ignored");
            None
        }
    }
}

/// Converts a Swagger 2.0 document into an equivalent OpenAPI 3.0.3 document.
pub fn convert(doc: Value, diags: &mut Diagnostics) -> Result<Value, Error> {
    let Value::Object(root) = doc else {
        return Err(diags.error("", "a Swagger document must be a mapping"));
    };
    match root.get("swagger") {
        Some(Value::String(v)) if v.starts_with("2.") || v == "2" => {}
        Some(Value::Number(n)) if n.as_f64().is_some_and(|f| (2.0..3.0).contains(&f)) => {}
        Some(other) => {
            let shown = other.as_str().map_or_else(|| other.to_string(), str::to_owned);
            return Err(diags.error(
                "/swagger",
                format!("unsupported Swagger version `{shown}` (only 2.0 is accepted)"),
            ));
        }
        None => return Err(diags.error("", "not a Swagger document: no `swagger` field")),
    }
    let ctx = Ctx::new(&root, diags);

    let mut kept = Map::new();
    let mut extensions = Map::new();
    let mut paths = None;
    let mut schemas = Map::new();
    let mut parameters = Map::new();
    let mut request_bodies = Map::new();
    let mut responses = Map::new();
    let mut security_schemes = Map::new();
    for (key, value) in root {
        let pointer = join("", &key);
        match key.as_str() {
            // Read by `Ctx::new`.
            "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            "info" | "tags" | "externalDocs" | "security" => {
                kept.insert(key, value);
            }
            "paths" => paths = Some(operation::paths(&ctx, value, &pointer, diags)),
            "definitions" => match value {
                Value::Object(defs) => {
                    for (name, def) in defs {
                        let p = join(&pointer, &name);
                        schemas.insert(name, schema::convert(&ctx, def, &p, diags));
                    }
                }
                _ => diags.warn(pointer, "`definitions` must be a mapping; ignored"),
            },
            "parameters" => match value {
                Value::Object(params) => {
                    for (name, param) in params {
                        let p = join(&pointer, &name);
                        operation::root_parameter(&ctx, &name, param, &p, &mut parameters, &mut request_bodies, diags);
                    }
                }
                _ => diags.warn(pointer, "`parameters` must be a mapping; ignored"),
            },
            "responses" => match value {
                Value::Object(items) => {
                    for (name, response) in items {
                        let p = join(&pointer, &name);
                        if let Some(r) = response::response(&ctx, response, &ctx.produces, &p, diags) {
                            responses.insert(name, r);
                        }
                    }
                }
                _ => diags.warn(pointer, "`responses` must be a mapping; ignored"),
            },
            "securityDefinitions" => match value {
                Value::Object(items) => {
                    for (name, scheme) in items {
                        let p = join(&pointer, &name);
                        if let Some(s) = security_scheme(scheme, &p, diags) {
                            security_schemes.insert(name, s);
                        }
                    }
                }
                _ => diags.warn(pointer, "`securityDefinitions` must be a mapping; ignored"),
            },
            k if k.starts_with("x-") => {
                extensions.insert(key, value);
            }
            _ => diags.warn(pointer, format!("`{key}` is not a Swagger 2.0 field; dropped")),
        }
    }

    let mut out = Map::new();
    out.insert("openapi".into(), Value::String("3.0.3".into()));
    for key in ["info", "externalDocs"] {
        if let Some(v) = kept.remove(key) {
            out.insert(key.into(), v);
        }
    }
    let servers = ctx.servers(&ctx.schemes);
    if !servers.is_empty() {
        out.insert("servers".into(), Value::Array(servers));
    }
    for key in ["tags", "security"] {
        if let Some(v) = kept.remove(key) {
            out.insert(key.into(), v);
        }
    }
    let paths = paths.unwrap_or_else(|| {
        diags.warn("", "the document has no `paths`; it describes no operations");
        Value::Object(Map::new())
    });
    out.insert("paths".into(), paths);
    let mut components = Map::new();
    for (key, section) in [
        ("schemas", schemas),
        ("responses", responses),
        ("parameters", parameters),
        ("requestBodies", request_bodies),
        ("securitySchemes", security_schemes),
    ] {
        if !section.is_empty() {
            components.insert(key.into(), Value::Object(section));
        }
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    out.extend(extensions);
    Ok(Value::Object(out))
}

/// `securityDefinitions` entry -> security scheme object.
fn security_scheme(value: Value, pointer: &str, diags: &mut Diagnostics) -> Option<Value> {
    let Value::Object(def) = value else {
        diags.warn(pointer, "a security definition must be a mapping; dropped");
        return None;
    };
    let ty = def.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
    let mut out = Map::new();
    match ty.as_str() {
        "basic" => {
            out.insert("type".into(), "http".into());
            out.insert("scheme".into(), "basic".into());
        }
        "apiKey" => {
            let name = def.get("name").and_then(Value::as_str);
            let location = def.get("in").and_then(Value::as_str);
            let (Some(name), Some(location @ ("query" | "header"))) = (name, location) else {
                diags.warn(
                    pointer,
                    "an `apiKey` security definition needs a string `name` and `in: query` or `in: header`; dropped",
                );
                return None;
            };
            out.insert("type".into(), "apiKey".into());
            out.insert("name".into(), name.into());
            out.insert("in".into(), location.into());
        }
        "oauth2" => {
            let flow = oauth2_flow(&def, pointer, diags)?;
            out.insert("type".into(), "oauth2".into());
            out.insert("flows".into(), Value::Object(flow));
        }
        _ => {
            diags.warn(
                join(pointer, "type"),
                format!("unknown security definition type `{ty}` (expected basic, apiKey or oauth2); dropped"),
            );
            return None;
        }
    }
    for (key, v) in def {
        match key.as_str() {
            "description" if v.is_string() => {
                out.insert(key, v);
            }
            k if k.starts_with("x-") => {
                out.insert(key, v);
            }
            "type" | "name" | "in" | "flow" | "authorizationUrl" | "tokenUrl" | "scopes" => {}
            _ => diags.warn(
                join(pointer, &key),
                format!("`{key}` is not a field of a {ty} security definition; dropped"),
            ),
        }
    }
    Some(Value::Object(out))
}

/// The `flows` object for a 2.0 oauth2 definition (one flow), or `None` after a warning.
fn oauth2_flow(def: &Map<String, Value>, pointer: &str, diags: &mut Diagnostics) -> Option<Map<String, Value>> {
    let flow = def.get("flow").and_then(Value::as_str).unwrap_or("");
    let (name, urls): (&str, &[&str]) = match flow {
        "implicit" => ("implicit", &["authorizationUrl"]),
        "password" => ("password", &["tokenUrl"]),
        "application" => ("clientCredentials", &["tokenUrl"]),
        "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        _ => {
            diags.warn(
                join(pointer, "flow"),
                format!(
                    "unknown oauth2 flow `{flow}` (expected implicit, password, application or accessCode); dropped"
                ),
            );
            return None;
        }
    };
    let mut out = Map::new();
    for url in urls {
        let Some(v) = def.get(*url).and_then(Value::as_str) else {
            diags.warn(
                pointer,
                format!("the oauth2 `{flow}` flow needs a string `{url}`; dropped"),
            );
            return None;
        };
        out.insert((*url).into(), v.into());
    }
    let mut scopes = Map::new();
    match def.get("scopes") {
        None => {}
        Some(Value::Object(m)) => {
            for (scope, description) in m {
                match description {
                    Value::String(_) => {
                        scopes.insert(scope.clone(), description.clone());
                    }
                    _ => diags.warn(
                        join(&join(pointer, "scopes"), scope),
                        "a scope description must be a string; scope dropped",
                    ),
                }
            }
        }
        Some(_) => diags.warn(join(pointer, "scopes"), "`scopes` must be a mapping; ignored"),
    }
    out.insert("scopes".into(), Value::Object(scopes));
    let mut flows = Map::new();
    flows.insert(name.into(), Value::Object(out));
    Some(flows)
}
