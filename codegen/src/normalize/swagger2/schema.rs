//! Schemas: 2.0 schema objects, and the schema hidden in the fields of non-body parameters and
//! headers, -> 3.0 schema objects.

use serde_json::{Map, Value};

use super::{Ctx, MAX_DEPTH};
use crate::diag::{join, Diagnostics};

/// Keys of a non-body parameter, an items object or a header that describe its value, and so move
/// into its 3.0 `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Converts one schema (and every subschema inside it).
pub(super) fn convert(ctx: &Ctx, value: Value, pointer: &str, diags: &mut Diagnostics) -> Value {
    convert_at(ctx, value, pointer, 0, diags)
}

fn convert_at(ctx: &Ctx, value: Value, pointer: &str, depth: usize, diags: &mut Diagnostics) -> Value {
    let Value::Object(map) = value else {
        // Boolean schemas are not 2.0, but the later passes understand them; anything else is
        // reported there with a pointer.
        return value;
    };
    if depth >= MAX_DEPTH {
        diags.approx(
            crate::diag::Approx::Simplified,
            pointer,
            format!("schema nested more than {MAX_DEPTH} levels deep; left unconverted"),
        );
        return Value::Object(map);
    }
    let mut out = Map::new();
    let mut file = false;
    for (key, v) in map {
        let p = join(pointer, &key);
        match key.as_str() {
            "$ref" => match v {
                Value::String(r) => {
                    out.insert(key, Value::String(ctx.rewrite_ref(&r)));
                }
                _ => diags.warn(p, "`$ref` must be a string; dropped"),
            },
            "x-nullable" => match v {
                Value::Bool(true) => {
                    out.insert("nullable".into(), Value::Bool(true));
                }
                Value::Bool(false) => {}
                _ => diags.warn(p, "`x-nullable` must be a boolean; dropped"),
            },
            "type" if v == "file" => {
                file = true;
                out.insert(key, Value::String("string".into()));
            }
            "discriminator" => match v {
                Value::String(name) => {
                    let mut d = Map::new();
                    d.insert("propertyName".into(), Value::String(name));
                    out.insert(key, Value::Object(d));
                }
                Value::Object(_) => {
                    out.insert(key, v);
                }
                _ => diags.warn(p, "`discriminator` must name a property; dropped"),
            },
            "items" | "additionalProperties" | "not" => {
                let converted = match v {
                    Value::Array(items) if key == "items" => Value::Array(convert_list(ctx, items, &p, depth, diags)),
                    other => convert_at(ctx, other, &p, depth + 1, diags),
                };
                out.insert(key, converted);
            }
            "allOf" | "anyOf" | "oneOf" => match v {
                Value::Array(items) => {
                    out.insert(key, Value::Array(convert_list(ctx, items, &p, depth, diags)));
                }
                _ => diags.warn(p, format!("`{key}` must be a list of schemas; dropped")),
            },
            "properties" | "patternProperties" | "definitions" => match v {
                Value::Object(props) => {
                    let mut converted = Map::new();
                    for (name, prop) in props {
                        let pp = join(&p, &name);
                        converted.insert(name, convert_at(ctx, prop, &pp, depth + 1, diags));
                    }
                    out.insert(key, Value::Object(converted));
                }
                _ => diags.warn(p, format!("`{key}` must be a mapping of schemas; dropped")),
            },
            _ => {
                out.insert(key, v);
            }
        }
    }
    if file {
        // 2.0's `file` is "the bytes of an uploaded or downloaded file"; any `format` it carried
        // was meaningless.
        out.insert("format".into(), Value::String("binary".into()));
    }
    Value::Object(out)
}

fn convert_list(ctx: &Ctx, items: Vec<Value>, pointer: &str, depth: usize, diags: &mut Diagnostics) -> Vec<Value> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| convert_at(ctx, item, &join(pointer, &i.to_string()), depth + 1, diags))
        .collect()
}

/// The parts of a non-body parameter (or a header, or a form field) once its value description has
/// been split off into a schema.
pub(super) struct Split {
    /// Every key that does not describe the value, in the original order.
    pub rest: Map<String, Value>,
    /// The 3.0 schema of the value.
    pub schema: Value,
    /// `collectionFormat`, when the value is an array (2.0's default, `csv`, made explicit).
    pub collection_format: Option<String>,
    /// The value was `type: file`.
    pub is_file: bool,
}

/// Splits a non-body parameter, form field or header into its schema and the remaining keys.
pub(super) fn split(ctx: &Ctx, map: Map<String, Value>, pointer: &str, diags: &mut Diagnostics) -> Split {
    let mut rest = Map::new();
    let mut schema = Map::new();
    let mut explicit_schema = None;
    let mut collection_format = None;
    for (key, v) in map {
        if VALUE_KEYS.contains(&key.as_str()) {
            schema.insert(key, v);
        } else if key == "collectionFormat" {
            match v {
                Value::String(s) => collection_format = Some(s),
                _ => diags.warn(join(pointer, &key), "`collectionFormat` must be a string; ignored"),
            }
        } else if key == "schema" {
            explicit_schema = Some(v);
        } else {
            rest.insert(key, v);
        }
    }
    let is_file = schema.get("type").is_some_and(|t| t == "file");
    let is_array = schema.get("type").is_some_and(|t| t == "array");
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        strip_nested_collection_formats(items, &join(pointer, "items"), diags);
    }
    let schema = match explicit_schema {
        // Not 2.0, but some specs give non-body parameters a `schema`; it means what it says.
        Some(s) if schema.is_empty() => convert(ctx, s, &join(pointer, "schema"), diags),
        Some(_) => {
            diags.warn(
                join(pointer, "schema"),
                "`schema` next to `type` on a non-body parameter; `schema` dropped",
            );
            convert(ctx, Value::Object(schema), pointer, diags)
        }
        None => {
            if schema.is_empty() {
                diags.warn(pointer, "no `type`; any value is accepted");
            }
            convert(ctx, Value::Object(schema), pointer, diags)
        }
    };
    let collection_format = if is_array {
        Some(collection_format.unwrap_or_else(|| "csv".into()))
    } else {
        None
    };
    Split {
        rest,
        schema,
        collection_format,
        is_file,
    }
}

/// Items objects may carry their own `collectionFormat` for nested arrays; 3.0 has no way to say
/// that, so it is dropped (with a warning unless it is the default).
fn strip_nested_collection_formats(items: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let mut cur = Some(items);
    let mut pointer = pointer.to_owned();
    // A loop, not recursion: the nesting depth comes from the input.
    while let Some(items) = cur.take() {
        if let Some(v) = items.shift_remove("collectionFormat") {
            if v != "csv" {
                diags.warn(
                    join(&pointer, "collectionFormat"),
                    "nested arrays cannot keep their `collectionFormat` in OpenAPI 3; dropped",
                );
            }
        }
        pointer = join(&pointer, "items");
        cur = match items.get_mut("items") {
            Some(Value::Object(next)) => Some(next),
            _ => None,
        };
    }
}
