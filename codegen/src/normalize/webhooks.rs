//! Webhooks (3.1) and callbacks describe requests the *server* sends, so the client has no method
//! for them. Their payload types are still useful to receivers: inline payload schemas are moved
//! into `components/schemas` (named after the webhook or callback) so they are generated like any
//! other type, and the rest is dropped with a warning.

use serde_json::{Map, Value};

use crate::diag::{join, Approx, Diagnostics};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub fn extract(doc: &mut Value, diags: &mut Diagnostics) {
    let Value::Object(root) = doc else { return };
    let mut payloads: Vec<(String, Value)> = Vec::new();
    if let Some(Value::Object(hooks)) = root.remove("webhooks") {
        for (name, item) in hooks {
            let pointer = join("/webhooks", &name);
            collect_payloads(&item, &name, &pointer, &mut payloads);
            diags.approx(
                Approx::SkippedCallback,
                pointer,
                "webhook: its payload types are generated; the client has no method for it",
            );
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for method in METHODS {
                let Some(Value::Object(op)) = item.get_mut(*method) else {
                    continue;
                };
                let Some(Value::Object(callbacks)) = op.remove("callbacks") else {
                    continue;
                };
                let op_ptr = join(&join("/paths", path), method);
                for (name, callback) in callbacks {
                    let pointer = join(&join(&op_ptr, "callbacks"), &name);
                    if let Value::Object(expressions) = &callback {
                        for (expr, cb_item) in expressions {
                            collect_payloads(cb_item, &name, &join(&pointer, expr), &mut payloads);
                        }
                    }
                    diags.approx(
                        Approx::SkippedCallback,
                        pointer,
                        "callback: its payload types are generated; the client has no method for it",
                    );
                }
            }
        }
    }
    if payloads.is_empty() {
        return;
    }
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else { return };
    let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    let Value::Object(schemas) = schemas else { return };
    for (stem, schema) in payloads {
        let name = if schemas.contains_key(&stem) {
            (2u32..)
                .map(|i| format!("{stem}{i}"))
                .find(|n| !schemas.contains_key(n))
                .unwrap_or(stem)
        } else {
            stem
        };
        schemas.insert(name, schema);
    }
}

/// The inline JSON request-body schemas of a path item (`$ref`s to components need no copy).
fn collect_payloads(item: &Value, name: &str, _pointer: &str, out: &mut Vec<(String, Value)>) {
    let Value::Object(item) = item else { return };
    for method in METHODS {
        let Some(schema) = item
            .get(*method)
            .and_then(|op| op.get("requestBody"))
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
            .and_then(|c| c.iter().find(|(m, _)| m.contains("json")).or_else(|| c.iter().next()))
            .and_then(|(_, media)| media.get("schema"))
        else {
            continue;
        };
        if schema.get("$ref").is_none() {
            let mut schema = schema.clone();
            if let Value::Object(m) = &mut schema {
                m.entry("description")
                    .or_insert_with(|| Value::String(format!("Request body of the `{name}` webhook or callback.")));
            }
            out.push((format!("{name}_payload"), schema));
        }
    }
}
