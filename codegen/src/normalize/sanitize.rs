//! Repairs what real specs get wrong but still mean clearly, so the typed model accepts them. Each
//! repair is a warning with a pointer; generation goes on.

use serde_json::{Map, Value};

use super::walk;
use crate::diag::{join, Approx, Diagnostics};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub fn sanitize(doc: &mut Value, diags: &mut Diagnostics, strict_responses: bool) {
    walk::schemas_mut(doc, &mut |s, pointer| schema(s, pointer, diags));
    document(doc, diags, strict_responses);
}

/// Repairs at the document level: missing `info` fields, operations without `responses` (optional
/// since 3.1), parameters without a name, security scheme types the model does not know.
fn document(doc: &mut Value, diags: &mut Diagnostics, strict_responses: bool) {
    let Value::Object(root) = doc else { return };
    let info = root.entry("info").or_insert_with(|| {
        diags.warn("", "no `info` object; using an empty title");
        Value::Object(Map::new())
    });
    if let Value::Object(info) = info {
        for key in ["title", "version"] {
            if !info.get(key).is_some_and(Value::is_string) {
                diags.warn(
                    format!("/info/{key}"),
                    format!("`info.{key}` is missing or not a string"),
                );
                let fallback = info
                    .get(key)
                    .filter(|v| !v.is_null())
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                info.insert(key.into(), Value::String(fallback.trim_matches('"').to_owned()));
            }
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_ptr = join("/paths", path);
            params(item, &item_ptr, diags);
            for method in METHODS {
                let Some(Value::Object(op)) = item.get_mut(*method) else {
                    continue;
                };
                let op_ptr = join(&item_ptr, method);
                if !op.contains_key("responses") {
                    if strict_responses {
                        diags.warn(
                            op_ptr.clone(),
                            "operation has no `responses`; any 2xx is taken as success without a body",
                        );
                    }
                    op.insert("responses".into(), Value::Object(Map::new()));
                }
                params(op, &op_ptr, diags);
            }
        }
    }
    if let Some(Value::Object(schemes)) = root.get_mut("components").and_then(|c| c.get_mut("securitySchemes")) {
        schemes.retain(|key, scheme| {
            let ty = scheme.get("type").and_then(Value::as_str).unwrap_or("");
            let known = matches!(ty, "apiKey" | "http" | "oauth2" | "openIdConnect") || scheme.get("$ref").is_some();
            if !known {
                diags.approx(
                    Approx::Simplified,
                    join("/components/securitySchemes", key),
                    format!("security scheme type `{ty}` is not supported; skipped"),
                );
            }
            known
        });
    }
}

fn params(holder: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(list)) = holder.get_mut("parameters") else {
        return;
    };
    let mut i = 0;
    list.retain(|p| {
        let ok = p.get("$ref").is_some()
            || p.get("name").and_then(Value::as_str).is_some_and(|n| !n.is_empty())
                && p.get("in").and_then(Value::as_str).is_some();
        if !ok {
            diags.warn(
                format!("{pointer}/parameters/{i}"),
                "parameter without a `name` or `in`; skipped",
            );
        }
        i += 1;
        ok
    });
}

fn schema(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if let Some(required) = s.get_mut("required") {
        match required {
            Value::Array(list) => {
                let mut seen = std::collections::BTreeSet::new();
                let before = list.len();
                list.retain(|v| v.as_str().is_some_and(|k| seen.insert(k.to_owned())));
                if list.len() != before {
                    diags.warn(
                        format!("{pointer}/required"),
                        "duplicate or non-string entries in `required` dropped",
                    );
                }
            }
            _ => {
                diags.warn(
                    format!("{pointer}/required"),
                    "`required` inside a schema must be a list of property names; ignored",
                );
                s.remove("required");
            }
        }
    }
}
