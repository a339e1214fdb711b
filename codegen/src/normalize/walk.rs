//! Finds every schema object in an OpenAPI document, wherever it sits (components, parameters,
//! bodies, responses, headers, callbacks, webhooks, nested subschemas).

use serde_json::{Map, Value};

use crate::diag::push;

/// Keys whose value, inside a schema, is one subschema.
const SCHEMA_KEYS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
];
/// Keys whose value, inside a schema, is a map of subschemas.
const SCHEMA_MAP_KEYS: &[&str] = &[
    "properties",
    "patternProperties",
    "x-patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keys whose value, inside a schema, is a list of subschemas.
const SCHEMA_LIST_KEYS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "x-prefixItems"];

/// Keys that hold example or extension data in any object, never schemas.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const")
        || key.starts_with("x-") && !matches!(key, "x-patternProperties" | "x-prefixItems")
}

/// Visits every schema in the document, parents before children. `f` may rewrite the schema; the
/// walk then descends into the rewritten children. Boolean schemas are replaced by their object
/// forms (`true` -> `{}`, `false` -> `{"not": {}}`) before `f` sees them.
pub fn schemas_mut(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    let mut pointer = String::new();
    walk_document(doc, &mut pointer, f);
}

fn walk_document(value: &mut Value, pointer: &mut String, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if is_data_key(key) {
                    continue;
                }
                let len = pointer.len();
                push(pointer, key);
                if key == "schema" {
                    walk_schema(child, pointer, f);
                } else if key == "schemas" {
                    walk_schema_map(child, pointer, f);
                } else {
                    walk_document(child, pointer, f);
                }
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let len = pointer.len();
                push_index(pointer, i);
                walk_document(child, pointer, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn walk_schema_map(value: &mut Value, pointer: &mut String, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    if let Value::Object(map) = value {
        for (key, child) in map.iter_mut() {
            let len = pointer.len();
            push(pointer, key);
            walk_schema(child, pointer, f);
            pointer.truncate(len);
        }
    }
}

fn walk_schema(value: &mut Value, pointer: &mut String, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    if let Value::Bool(b) = value {
        *value = if *b {
            Value::Object(Map::new())
        } else {
            let mut m = Map::new();
            m.insert("not".into(), Value::Object(Map::new()));
            Value::Object(m)
        };
    }
    let Value::Object(map) = value else { return };
    f(map, pointer);
    for (key, child) in map.iter_mut() {
        let len = pointer.len();
        push(pointer, key);
        if SCHEMA_KEYS.contains(&key.as_str()) {
            // `additionalProperties: false` stays a boolean: it means "no other keys", not a schema.
            if !(key == "additionalProperties" && child.is_boolean()) {
                walk_schema(child, pointer, f);
            }
        } else if SCHEMA_MAP_KEYS.contains(&key.as_str()) {
            walk_schema_map(child, pointer, f);
        } else if SCHEMA_LIST_KEYS.contains(&key.as_str()) {
            if let Value::Array(items) = child {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    push_index(pointer, i);
                    walk_schema(item, pointer, f);
                    pointer.truncate(len);
                }
            } else if key == "items" {
                walk_schema(child, pointer, f);
            }
        }
        pointer.truncate(len);
    }
}

fn push_index(pointer: &mut String, i: usize) {
    use std::fmt::Write as _;
    let _ = write!(pointer, "/{i}");
}

/// True for a schema that only admits `null`.
pub fn is_null_schema(value: &Value) -> bool {
    let Value::Object(m) = value else { return false };
    match m.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => {
            matches!(m.get("const"), Some(Value::Null)) && m.len() == 1
                || matches!(m.get("enum"), Some(Value::Array(v)) if v.len() == 1 && v[0].is_null())
        }
    }
}
