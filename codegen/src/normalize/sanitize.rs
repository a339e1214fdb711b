//! Repairs what real specs get wrong but still mean clearly, so the typed model accepts them. Each
//! repair is a warning with a pointer; generation goes on.

use serde_json::{Map, Value};

use super::{lenient, walk};
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
    property_flags(s, pointer, diags);
    if s.get("type").and_then(Value::as_str) == Some("file") {
        diags.warn(
            format!("{pointer}/type"),
            "`type: file` is Swagger 2; read as `type: string, format: binary`",
        );
        s.insert("type".into(), "string".into());
        s.insert("format".into(), "binary".into());
    }
    numeric_strings(s, pointer, diags);
    null_in_enum(s, pointer, diags);
}

/// `enum: [a, b, null]` without `nullable: true`: by the letter of 3.0.3 the `null` is not
/// allowed, but it is there to say that it is; read as nullable, as other generators do.
fn null_in_enum(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Array(values)) = s.get("enum") else {
        return;
    };
    if !values.iter().any(Value::is_null)
        || s.get("nullable") == Some(&Value::Bool(true))
        || s.get("type").and_then(Value::as_str) == Some("null")
    {
        return;
    }
    diags.warn(
        join(pointer, "enum"),
        "`null` in `enum` without `nullable: true`; read as nullable",
    );
    s.insert("nullable".into(), Value::Bool(true));
}

/// `properties: {a: {type: string, required: true}}`: a per-property flag (Swagger 1 and many
/// hand-written specs) instead of the parent's `required` list. A true flag adds the property to
/// the list; either way the flag leaves the property, where it is not a keyword.
fn property_flags(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(Value::Object(props)) = s.get_mut("properties") else {
        return;
    };
    let mut lifted = Vec::new();
    for (name, prop) in props.iter_mut() {
        let Value::Object(prop) = prop else { continue };
        if prop.get("required").is_none_or(Value::is_array) {
            continue;
        }
        let Some(written) = prop.remove("required") else {
            continue;
        };
        let (value, recognised) = lenient::flag(&written);
        let at = format!("{}/required", join(&join(pointer, "properties"), name));
        let message = lenient::flag_message(&written, value, recognised);
        if value {
            diags.warn(
                at,
                format!("{message}: the property is added to the object's `required` list"),
            );
            lifted.push(name.clone());
        } else {
            diags.warn(at, format!("{message}: the property stays optional"));
        }
    }
    if lifted.is_empty() {
        return;
    }
    let list = s.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = list {
        for name in lifted {
            if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                list.push(Value::String(name));
            }
        }
    }
}

/// Keywords whose value must be a non-negative integer, and those that take any number.
const SIZE_KEYWORDS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];
const NUMBER_KEYWORDS: &[&str] = &["minimum", "maximum", "multipleOf"];

/// `maxLength: "64"`, `minimum: "0"`: numbers written as strings are read as the numbers; strings
/// that are no number are dropped (these keywords only constrain, so the types stay right).
fn numeric_strings(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    for key in SIZE_KEYWORDS.iter().chain(NUMBER_KEYWORDS) {
        let Some(Value::String(text)) = s.get(*key) else {
            continue;
        };
        let text = text.trim();
        let number = if SIZE_KEYWORDS.contains(key) {
            text.parse::<u64>().ok().map(serde_json::Number::from)
        } else if let Ok(i) = text.parse::<i64>() {
            Some(i.into())
        } else {
            text.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
        };
        let at = join(pointer, key);
        match number {
            Some(n) => {
                diags.warn(
                    at,
                    format!("`{key}` must be a number; the string `{text}` is read as {n}"),
                );
                s.insert((*key).into(), Value::Number(n));
            }
            None => {
                diags.warn(at, format!("`{key}` must be a number; `{text}` is not one, ignored"));
                s.remove(*key);
            }
        }
    }
}
