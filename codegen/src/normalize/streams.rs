//! OpenAPI 3.2's `itemSchema` on the sequential media types of responses (`text/event-stream`,
//! JSON Lines, JSON text sequences), which FastAPI already writes into 3.1 documents. The typed
//! model drops unknown keys, so the item's schema is moved into `schema` and the media type is
//! marked with [`MARK`], whose value is the JSON pointer the schema came from (for diagnostics).
//! From `schema`, the later passes rewrite it and check its `$ref`s like any other schema.
//!
//! For `text/event-stream`, `itemSchema` describes the whole event (`data`, `event`, `id`,
//! `retry`); what moves is the schema of its `data`: `data.contentSchema` when given (the JSON
//! that the `data` text holds, as FastAPI writes it), else `data` itself.

use serde_json::Value;

use super::model::{self, Kind};
use crate::diag::{unescape, Approx, Diagnostics};
use crate::ir::StreamKind;

/// Marks a media type whose `schema` is the schema of one item (not of the whole body).
pub const MARK: &str = "x-apigen-item-schema";

const KEYS: [&str; 2] = ["itemSchema", "x-oai-itemSchema"];

pub fn carry(doc: &mut Value, diags: &mut Diagnostics) {
    let mut found: Vec<String> = Vec::new();
    model::objects_mut(doc, &mut |kind, object, pointer| {
        // Only responses: a request body's `itemSchema` (multipart parts) means something else.
        if kind == Kind::MediaType && pointer.contains("/responses/") && KEYS.iter().any(|k| object.contains_key(*k)) {
            found.push(pointer.to_owned());
        }
    });
    for pointer in found {
        let media = unescape(pointer.rsplit('/').next().unwrap_or(""));
        let Some(kind) = crate::lower::sequential(&media) else {
            continue;
        };
        let Some(Value::Object(mt)) = doc.pointer(&pointer) else {
            continue;
        };
        let Some((key, item)) = KEYS.iter().find_map(|k| mt.get(*k).map(|v| (*k, v))) else {
            continue;
        };
        let from = format!("{pointer}/{key}");
        let (schema, from) = if kind == StreamKind::Events {
            event_data(doc, item, from, diags)
        } else {
            (item.clone(), from)
        };
        if let Some(Value::Object(mt)) = doc.pointer_mut(&pointer) {
            for k in KEYS {
                mt.remove(k);
            }
            // `schema` of a sequential media type describes the complete body; a client that
            // reads item by item needs only the item's schema.
            mt.insert("schema".into(), schema);
            mt.insert(MARK.into(), Value::String(from));
        }
    }
}

/// The schema of an event's `data`, and where it was found.
fn event_data(doc: &Value, item: &Value, from: String, diags: &mut Diagnostics) -> (Value, String) {
    let (mut target, mut at) = (item, from.clone());
    for _ in 0..16 {
        let Some(reference) = target.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match local(doc, reference) {
            Some(t) => (target, at) = (t, reference.trim_start_matches('#').to_owned()),
            None => break,
        }
    }
    let event = target.get("properties").and_then(|p| p.get("event"));
    let constrained = |key: &str| target.get(key).is_some() || event.is_some_and(|e| e.get(key).is_some());
    if ["oneOf", "anyOf", "enum", "const"].iter().any(|k| constrained(k)) {
        diags.note(
            Approx::Simplified,
            from.clone(),
            "the event's `event`, `id` and `retry` are kept as sent (strings, a duration); only `data` is typed, \
             and which `data` goes with which `event` is not checked",
        );
    }
    let data = target.get("properties").and_then(|p| p.get("data"));
    match data {
        Some(data) => match data.get("contentSchema") {
            Some(content) => (content.clone(), format!("{at}/properties/data/contentSchema")),
            None => (data.clone(), format!("{at}/properties/data")),
        },
        None => {
            if target.as_object().is_some_and(|o| !o.is_empty()) {
                diags.warn(
                    from.clone(),
                    "`itemSchema` of `text/event-stream` has no `data` property (OpenAPI 3.2 describes the whole \
                     event with it: `data`, `event`, `id`, `retry`); taken as the type of each event's `data`",
                );
            }
            (item.clone(), from)
        }
    }
}

/// The target of a local `$ref`, if there is one.
fn local<'d>(doc: &'d Value, reference: &str) -> Option<&'d Value> {
    let tokens = super::refs::parse_local(reference).ok()?;
    let mut cur = doc;
    for t in &tokens {
        cur = match cur {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Where the item schema of a marked media type came from.
pub fn marked(extensions: &indexmap::IndexMap<String, Value>) -> Option<&str> {
    extensions.get(MARK).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{carry, MARK};
    use crate::diag::Diagnostics;

    fn carried(doc: serde_json::Value) -> (serde_json::Value, Vec<String>) {
        let mut doc = doc;
        let mut diags = Diagnostics::new("spec.yaml");
        carry(&mut doc, &mut diags);
        (doc, diags.into_vec().iter().map(ToString::to_string).collect())
    }

    fn media(content: serde_json::Value) -> serde_json::Value {
        json!({
            "paths": {"/s": {"get": {"responses": {"200": {"description": "", "content": content}}}}},
            "components": {"schemas": {
                "Event": {"type": "object", "properties": {"data": {"type": "string", "contentSchema": {"$ref": "#/components/schemas/Tick"}}}},
                "Tick": {"type": "object"}
            }}
        })
    }

    const AT: &str = "/paths/~1s/get/responses/200/content";

    #[test]
    fn fastapi_event_data_comes_from_content_schema() {
        let (doc, warnings) = carried(media(json!({"text/event-stream": {"itemSchema": {
            "type": "object",
            "properties": {"data": {"type": "string", "contentSchema": {"$ref": "#/components/schemas/Tick"}}, "id": {"type": "string"}},
        }}})));
        let mt = doc.pointer(&format!("{AT}/text~1event-stream")).expect("media type");
        assert_eq!(mt["schema"], json!({"$ref": "#/components/schemas/Tick"}));
        assert_eq!(
            mt[MARK],
            format!("{AT}/text~1event-stream/itemSchema/properties/data/contentSchema")
        );
        assert!(mt.get("itemSchema").is_none());
        assert_eq!(warnings, Vec::<String>::new());
    }

    #[test]
    fn event_item_schema_by_ref_and_without_data() {
        let (doc, _) = carried(media(
            json!({"text/event-stream": {"itemSchema": {"$ref": "#/components/schemas/Event"}}}),
        ));
        let mt = doc.pointer(&format!("{AT}/text~1event-stream")).expect("media type");
        assert_eq!(mt["schema"], json!({"$ref": "#/components/schemas/Tick"}));
        assert_eq!(mt[MARK], "/components/schemas/Event/properties/data/contentSchema");

        let (doc, warnings) = carried(media(
            json!({"text/event-stream": {"itemSchema": {"$ref": "#/components/schemas/Tick"}}}),
        ));
        let mt = doc.pointer(&format!("{AT}/text~1event-stream")).expect("media type");
        assert_eq!(mt["schema"], json!({"$ref": "#/components/schemas/Tick"}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("itemSchema` of `text/event-stream` has no `data` property"),
            "{warnings:?}"
        );
    }

    #[test]
    fn json_lines_item_schema_replaces_schema_and_other_media_types_are_left_alone() {
        let (doc, _) = carried(media(json!({
            "application/jsonl": {"schema": {"type": "array"}, "itemSchema": {"$ref": "#/components/schemas/Tick"}},
            "multipart/mixed": {"itemSchema": {"type": "string"}},
        })));
        let mt = doc.pointer(&format!("{AT}/application~1jsonl")).expect("media type");
        assert_eq!(mt["schema"], json!({"$ref": "#/components/schemas/Tick"}));
        assert_eq!(mt[MARK], format!("{AT}/application~1jsonl/itemSchema"));
        let mixed = doc.pointer(&format!("{AT}/multipart~1mixed")).expect("media type");
        assert_eq!(mixed, &json!({"itemSchema": {"type": "string"}}));

        // The extension that carries `itemSchema` before 3.2.
        let (doc, _) = carried(media(
            json!({"application/x-ndjson": {"x-oai-itemSchema": {"type": "integer"}}}),
        ));
        let mt = doc.pointer(&format!("{AT}/application~1x-ndjson")).expect("media type");
        assert_eq!(mt["schema"], json!({"type": "integer"}));
        assert_eq!(mt[MARK], format!("{AT}/application~1x-ndjson/x-oai-itemSchema"));
        assert!(mt.get("x-oai-itemSchema").is_none());
    }

    #[test]
    fn request_bodies_are_left_alone() {
        let body = json!({"paths": {"/s": {"post": {"requestBody": {"content": {"application/jsonl": {"itemSchema": {"type": "string"}}}}}}}});
        let (doc, _) = carried(body.clone());
        assert_eq!(doc, body);
    }
}
