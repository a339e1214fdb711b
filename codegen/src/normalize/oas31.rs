//! Rewrites JSON Schema 2020-12 constructs (OpenAPI 3.1/3.2) into the OpenAPI 3.0 shapes that the
//! `openapiv3` model reads, without losing meaning. What 3.0 cannot say is kept in `x-` keys that the
//! lower stage reads (`x-prefixItems`, `x-patternProperties`, `x-const`).
//!
//! Some of these rewrites also run on 3.0 documents, where real specs use them anyway
//! (`$ref` with siblings, `type` arrays, boolean schemas).

use serde_json::{Map, Value};

use super::walk::{self, is_null_schema};
use crate::diag::Diagnostics;

/// Keywords that belong to one JSON type, moved along when a multi-type schema is split.
fn keywords_for(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &[
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
        _ => &[],
    }
}

fn json_type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Applies every rewrite to every schema of the document.
pub fn rewrite(doc: &mut Value, diags: &mut Diagnostics) {
    walk::schemas_mut(doc, &mut |schema, pointer| rewrite_schema(schema, pointer, diags));
}

fn rewrite_schema(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    ref_with_siblings(s);
    const_to_enum(s);
    type_arrays(s, pointer, diags);
    null_alternatives(s);
    numeric_exclusive_bounds(s);
    if let Some(Value::Array(examples)) = s.get("examples") {
        if !s.contains_key("example") {
            if let Some(first) = examples.first().cloned() {
                s.insert("example".into(), first);
                // Messages about the example then point at where it is written.
                s.insert(crate::lower::EXAMPLE_FROM_LIST.into(), true.into());
            }
        }
    }
    if s.get("contentEncoding").and_then(Value::as_str) == Some("base64") && !s.contains_key("format") {
        s.insert("format".into(), "byte".into());
    }
    if let Some(media) = s.get("contentMediaType").and_then(Value::as_str).map(str::to_owned) {
        if !s.contains_key("format") && !media.contains("json") && !media.starts_with("text/") {
            s.insert("format".into(), "binary".into());
        }
        // The typed model keeps only `x-` keys: a multipart file part's default type.
        s.insert("x-contentMediaType".into(), media.into());
    }
    // JSON Schema's tuple forms; 3.0 has neither.
    if let Some(items) = s.get("items") {
        if items.is_array() && !s.contains_key("prefixItems") {
            if let Some(items) = s.remove("items") {
                s.insert("prefixItems".into(), items);
            }
        }
    }
    for key in ["prefixItems", "patternProperties"] {
        if let Some(v) = s.remove(key) {
            s.insert(format!("x-{key}"), v);
        }
    }
}

/// `{$ref: X, description: ...}` -> `{allOf: [{$ref: X}], description: ...}`: 3.1 gives siblings
/// meaning, and the typed model would drop them.
fn ref_with_siblings(s: &mut Map<String, Value>) {
    if s.len() < 2 || !s.contains_key("$ref") {
        return;
    }
    let Some(reference) = s.remove("$ref") else { return };
    let mut r = Map::new();
    r.insert("$ref".into(), reference);
    match s.get_mut("allOf") {
        Some(Value::Array(list)) => list.insert(0, Value::Object(r)),
        _ => {
            s.insert("allOf".into(), Value::Array(vec![Value::Object(r)]));
        }
    }
}

/// `const: v` -> `enum: [v]` with the type inferred when missing; `x-const` remembers it was a const.
fn const_to_enum(s: &mut Map<String, Value>) {
    let Some(value) = s.remove("const") else { return };
    if value.is_null() {
        s.insert("type".into(), "null".into());
        return;
    }
    if !s.contains_key("type") {
        s.insert("type".into(), json_type_of(&value).into());
    }
    if !s.contains_key("enum") {
        s.insert("enum".into(), Value::Array(vec![value.clone()]));
    }
    s.insert("x-const".into(), value);
}

/// `type: [string, "null"]` -> `type: string, nullable: true`; several non-null types become a `oneOf`.
fn type_arrays(s: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let types: Vec<String> = match s.get("type") {
        Some(Value::String(t)) if t == "null" => vec!["null".into()],
        Some(Value::Array(list)) => {
            let mut out = Vec::new();
            for t in list {
                match t.as_str() {
                    Some(t) if !out.iter().any(|o: &String| o == t) => out.push(t.to_owned()),
                    Some(_) => {}
                    None => diags.warn(format!("{pointer}/type"), "non-string entry in `type` ignored"),
                }
            }
            out
        }
        _ => return,
    };
    s.remove("type");
    let nullable = types.iter().any(|t| t == "null");
    let mut rest: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    if rest.len() == 2 && rest.contains(&"integer".to_owned()) && rest.contains(&"number".to_owned()) {
        rest = vec!["number".into()];
    }
    if nullable {
        s.insert("nullable".into(), Value::Bool(true));
    }
    match rest.len() {
        // `type: null` alone admits `null` and nothing else: 3.0's `nullable: true, enum: [null]`.
        0 if nullable && !s.contains_key("enum") => {
            s.insert("enum".into(), Value::Array(vec![Value::Null]));
        }
        0 => {}
        1 => {
            s.insert("type".into(), rest.remove(0).into());
        }
        _ => {
            let enum_values = s.remove("enum");
            let mut variants = Vec::new();
            for t in &rest {
                let mut v = Map::new();
                v.insert("type".into(), t.clone().into());
                for k in keywords_for(t) {
                    if let Some(val) = s.get(*k) {
                        v.insert((*k).into(), val.clone());
                    }
                }
                if let Some(Value::Array(values)) = &enum_values {
                    let mine: Vec<Value> = values
                        .iter()
                        .filter(|x| json_type_of(x) == t || (t == "number" && x.is_number()))
                        .cloned()
                        .collect();
                    if !mine.is_empty() {
                        v.insert("enum".into(), Value::Array(mine));
                    }
                }
                variants.push(Value::Object(v));
            }
            for t in &rest {
                for k in keywords_for(t) {
                    s.remove(*k);
                }
            }
            let key = if s.contains_key("oneOf") { "anyOf" } else { "oneOf" };
            if s.contains_key(key) {
                let inner: Map<String, Value> = [("oneOf".to_owned(), Value::Array(variants))].into_iter().collect();
                match s.get_mut("allOf") {
                    Some(Value::Array(list)) => list.push(Value::Object(inner)),
                    _ => {
                        s.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
                    }
                }
            } else {
                s.insert(key.into(), Value::Array(variants));
            }
        }
    }
}

/// `anyOf: [X, {type: null}]` -> `anyOf: [X], nullable: true`.
fn null_alternatives(s: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(list)) = s.get_mut(key) {
            let before = list.len();
            list.retain(|v| !is_null_schema(v));
            if list.len() != before {
                s.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
}

/// 3.1's numeric `exclusiveMinimum: 5` -> 3.0's `minimum: 5, exclusiveMinimum: true`. Next to a
/// `minimum` both apply, so the stricter one is kept (`minimum: 7, exclusiveMinimum: 5` is `>= 7`).
fn numeric_exclusive_bounds(s: &mut Map<String, Value>) {
    for (excl, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        if let Some(Value::Number(n)) = s.get(excl) {
            let n = n.clone();
            let inclusive_wins = match (s.get(bound).and_then(Value::as_f64), n.as_f64()) {
                (Some(b), Some(e)) => (lower && b > e) || (!lower && b < e),
                _ => false,
            };
            if inclusive_wins {
                s.remove(excl);
            } else {
                s.insert(bound.into(), Value::Number(n));
                s.insert(excl.into(), Value::Bool(true));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    fn bounds(v: Value) -> Value {
        let mut v = v;
        if let Some(map) = v.as_object_mut() {
            super::numeric_exclusive_bounds(map);
        }
        v
    }

    #[test]
    fn numeric_exclusive_bounds_keep_the_stricter_bound() {
        assert_eq!(
            bounds(json!({"exclusiveMinimum": 0, "exclusiveMaximum": 1})),
            json!({"minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": true})
        );
        // Both apply: the inclusive bound is stricter here, the exclusive one there.
        assert_eq!(
            bounds(json!({"minimum": 7, "exclusiveMinimum": 5, "maximum": 9, "exclusiveMaximum": 10})),
            json!({"minimum": 7, "maximum": 9})
        );
        assert_eq!(
            bounds(json!({"minimum": 5, "exclusiveMinimum": 5})),
            json!({"minimum": 5, "exclusiveMinimum": true})
        );
        // 3.0's boolean form is left alone.
        assert_eq!(
            bounds(json!({"minimum": 5, "exclusiveMinimum": true})),
            json!({"minimum": 5, "exclusiveMinimum": true})
        );
    }
}
