//! Repairs of OpenAPI objects (not schemas: `sanitize.rs` has those) that are invalid by the letter
//! of the standard but whose meaning is clear, and that other generators accept: each is read the
//! way they read it, with a warning that points at the place. Runs before the 3.1 rewrites, so a
//! schema made here gets them too.

use serde_json::{Map, Value};

use super::model::{self, Kind};
use crate::diag::{join, Diagnostics};

pub fn repair(doc: &mut Value, diags: &mut Diagnostics) {
    // OpenAPI 3.2 made a response's `description` optional.
    let description_optional = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.2"));
    model::objects_mut(doc, &mut |kind, object, pointer| match kind {
        Kind::Parameter | Kind::Header => {
            required(object, pointer, diags);
            examples(object, pointer, diags);
            schema_less(kind, object, pointer, diags);
        }
        Kind::RequestBody => required(object, pointer, diags),
        Kind::MediaType => examples(object, pointer, diags),
        Kind::Response => description(object, pointer, diags, description_optional),
        _ => {}
    });
}

/// Reads a `required` flag written as something other than a boolean: `"true"`/`"yes"` are true,
/// `"false"`/`"optional"`/`"no"` false (case and surrounding blanks ignored). Anything else is
/// false too, and the second value says it was not recognised.
pub fn flag(value: &Value) -> (bool, bool) {
    match value {
        Value::Bool(b) => (*b, true),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" => (true, true),
            "false" | "optional" | "no" => (false, true),
            _ => (false, false),
        },
        _ => (false, false),
    }
}

/// The warning for a non-boolean `required` read as `value`.
pub fn flag_message(written: &Value, value: bool, recognised: bool) -> String {
    if recognised {
        format!("`required` must be a boolean; `{written}` is read as `{value}`")
    } else {
        format!("`required` must be a boolean; `{written}` is not one of true/yes/false/no/optional, read as `false`")
    }
}

fn required(object: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(written) = object.get("required").filter(|v| !v.is_boolean()) else {
        return;
    };
    let (value, recognised) = flag(written);
    diags.warn(join(pointer, "required"), flag_message(written, value, recognised));
    object.insert("required".into(), Value::Bool(value));
}

/// A response without `description` (required in 3.0 and 3.1) gets an empty one, which the docs
/// leave out.
fn description(object: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics, optional: bool) {
    if object.get("description").is_some_and(|d| !d.is_null()) {
        return;
    }
    if !optional {
        diags.warn(
            pointer,
            "response without a `description` (required before OpenAPI 3.2); generated without one",
        );
    }
    object.insert("description".into(), Value::String(String::new()));
}

/// `examples` of a parameter, header or media type is a map of Example Objects. Two misuses are
/// common: a list of values (JSON Schema's `examples`), read as `example: <first>`, and bare
/// values in the map (not an object, or an object with none of the Example Object's fields),
/// read as the Example Object's `value`.
fn examples(object: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let at = join(pointer, "examples");
    match object.get_mut("examples") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (name, example) in map.iter_mut() {
                if is_bare(example) {
                    diags.warn(
                        join(&at, name),
                        "an Example Object is expected here; the bare value is read as its `value`",
                    );
                    let mut wrapped = Map::new();
                    wrapped.insert("value".into(), example.take());
                    *example = Value::Object(wrapped);
                }
            }
        }
        Some(Value::Array(list)) => {
            let first = list.first().cloned();
            object.remove("examples");
            diags.warn(
                at,
                "`examples` here is a map of Example Objects, not a list; the first item is read as `example`",
            );
            if let Some(first) = first {
                object.entry("example").or_insert(first);
            }
        }
        Some(_) => {
            object.remove("examples");
            diags.warn(at, "`examples` must be a map of Example Objects; ignored");
        }
    }
}

fn is_bare(example: &Value) -> bool {
    match example {
        Value::Object(m) => {
            !m.is_empty()
                && !m.keys().any(|k| {
                    matches!(
                        k.as_str(),
                        "summary" | "description" | "value" | "externalValue" | "$ref"
                    ) || k.starts_with("x-")
                })
        }
        _ => true,
    }
}

/// Keywords that Swagger 2 put on the parameter itself and OpenAPI 3 puts in its `schema`.
const SWAGGER2_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "nullable",
];

/// A parameter or header needs `schema` or `content`. Without either, Swagger 2 style keywords
/// on the object itself (`type: integer`) are moved into a `schema`; with none of those, the value
/// is taken as a string, the form every parameter has on the wire.
fn schema_less(kind: Kind, object: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if object.contains_key("schema") || object.contains_key("content") {
        return;
    }
    if kind == Kind::Parameter && !(object.contains_key("name") && object.contains_key("in")) {
        return; // dropped with a warning by `sanitize`
    }
    let what = if kind == Kind::Header { "header" } else { "parameter" };
    let mut schema = Map::new();
    for key in SWAGGER2_SCHEMA_KEYS {
        if let Some(v) = object.remove(*key) {
            schema.insert((*key).into(), v);
        }
    }
    if schema.is_empty() {
        diags.warn(
            pointer,
            format!("{what} without `schema` or `content`; its value is taken as a string"),
        );
        schema.insert("type".into(), "string".into());
    } else {
        let keys: Vec<String> = schema.keys().map(|k| format!("`{k}`")).collect();
        diags.warn(
            pointer,
            format!(
                "{what} without `schema` or `content`; {} (Swagger 2 style) moved into its `schema`",
                keys.join(", ")
            ),
        );
    }
    object.insert("schema".into(), Value::Object(schema));
}
