//! Points a typed-model failure at the exact place. `openapiv3` reads many objects through untagged
//! enums and flattened fields, which buffer their input: serde's path stops there, so a bad value
//! deep inside one operation used to be reported at `#/paths`. On failure (only then), each sub-tree
//! is deserialized again into its own typed model, descending to the deepest object that still
//! fails; inside it, serde's path or the one key whose removal changes the outcome names the value.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::model::{self, Kind};
use crate::diag::{escape, push};

/// Deepest nesting followed (the document was checked to be at most 256 levels deep already).
const MAX_DEPTH: usize = 300;
/// Largest object whose keys are tried one by one to find the bad one.
const MAX_KEYS_TRIED: usize = 256;

/// The pointer and message of the deepest failing object of a document that does not fit the
/// model, or `None` if the document fits.
pub fn narrow(doc: &Value) -> Option<(String, String)> {
    let mut pointer = String::new();
    descend(doc, Kind::Document, &mut pointer, 0)
}

fn descend(value: &Value, kind: Kind, pointer: &mut String, depth: usize) -> Option<(String, String)> {
    if model::is_ref(kind, value) {
        return None;
    }
    let (inner_path, message) = check(kind, value).err()?;
    if let (Value::Object(object), true) = (value, depth < MAX_DEPTH) {
        for (tokens, child_kind) in model::children(kind, object) {
            let Some(child) = model::get(object, &tokens) else {
                continue;
            };
            let len = pointer.len();
            for t in &tokens {
                push(pointer, t);
            }
            let found = descend(child, child_kind, pointer, depth + 1);
            pointer.truncate(len);
            if found.is_some() {
                return found;
            }
        }
    }
    let mut at = pointer.clone();
    if !inner_path.is_empty() {
        at.push_str(&inner_path);
    } else if let Value::Object(object) = value {
        if let Some(key) = culprit(kind, object, &message) {
            push(&mut at, &key);
        }
    }
    Some((at, message))
}

/// The key of `object` that the failure (`message`) is about: removing it makes the object fit,
/// or the key is a required field whose value the message quotes (`in: bogus`: "unknown variant
/// `bogus`"; without the key, "missing field `in`").
fn culprit(kind: Kind, object: &Map<String, Value>, message: &str) -> Option<String> {
    if object.len() > MAX_KEYS_TRIED {
        return None;
    }
    object.iter().find_map(|(key, value)| {
        let mut rest = object.clone();
        rest.remove(key);
        match check(kind, &Value::Object(rest)) {
            Ok(()) => Some(key.clone()),
            Err((_, m)) if m.starts_with(&format!("missing field `{key}`")) && quotes(message, value) => {
                Some(key.clone())
            }
            Err(_) => None,
        }
    })
}

/// Whether serde's message quotes this scalar (as `x` or "x").
fn quotes(message: &str, value: &Value) -> bool {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return false,
    };
    message.contains(&format!("`{text}`")) || message.contains(&format!("\"{text}\""))
}

/// Deserializes one object into its typed model: the JSON pointer (relative to the object) and
/// the message of the failure.
fn check(kind: Kind, value: &Value) -> Result<(), (String, String)> {
    use openapiv3 as m;
    match kind {
        Kind::Document => typed::<m::OpenAPI>(value),
        Kind::Paths => typed::<m::Paths>(value),
        Kind::PathItem => typed::<m::PathItem>(value),
        Kind::Operation => typed::<m::Operation>(value),
        Kind::Parameter => typed::<m::Parameter>(value),
        Kind::RequestBody => typed::<m::RequestBody>(value),
        Kind::Responses => typed::<m::Responses>(value),
        Kind::Response => typed::<m::Response>(value),
        Kind::Header => typed::<m::Header>(value),
        Kind::MediaType => typed::<m::MediaType>(value),
        Kind::Encoding => typed::<m::Encoding>(value),
        Kind::Schema => typed::<m::Schema>(value),
        Kind::Example => typed::<m::Example>(value),
        Kind::Link => typed::<m::Link>(value),
        Kind::Callback => typed::<m::Callback>(value),
        Kind::SecurityScheme => typed::<m::SecurityScheme>(value),
        Kind::Components => typed::<m::Components>(value),
    }
}

fn typed<T: DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => Ok(()),
        Err(e) => Err((pointer_of(e.path()), e.inner().to_string())),
    }
}

/// serde's path as a JSON pointer.
pub fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::narrow;

    fn doc(paths: serde_json::Value) -> serde_json::Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn names_the_bad_key_of_a_parameter() {
        let d = doc(json!({"/items": {"get": {
            "parameters": [{"name": "q", "in": "query", "schema": {}}, {"name": "r", "in": "bogus", "schema": {}}],
            "responses": {}
        }}}));
        let (at, message) = narrow(&d).expect("does not fit");
        assert_eq!(at, "/paths/~1items/get/parameters/1/in");
        assert!(message.contains("unknown variant `bogus`"), "{message}");
        // Removing a required key that the message does not quote does not make it the culprit.
        let d = doc(json!({"/items": {"get": {"parameters": [{"name": "q", "in": "query"}], "responses": {}}}}));
        assert_eq!(narrow(&d).expect("does not fit").0, "/paths/~1items/get/parameters/0");
    }

    #[test]
    fn a_response_that_is_a_number() {
        let d = doc(json!({"/a": {"post": {"responses": {"200": {"description": "ok"}, "404": 7}}}}));
        let (at, _) = narrow(&d).expect("does not fit");
        assert_eq!(at, "/paths/~1a/post/responses/404");
    }

    #[test]
    fn a_bad_keyword_deep_in_a_schema() {
        let d = doc(
            json!({"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "x": {"type": "array", "items": {"type": "string", "maxLength": "ten"}}
                }}}
            }}}}}}),
        );
        let (at, _) = narrow(&d).expect("does not fit");
        assert_eq!(
            at,
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/x/items/maxLength"
        );
    }

    #[test]
    fn fields_outside_untagged_levels_keep_serde_s_path() {
        let mut d = doc(json!({}));
        d["info"]["title"] = json!(["not", "a", "string"]);
        assert_eq!(narrow(&d).expect("does not fit").0, "/info/title");
        assert_eq!(narrow(&doc(json!({}))), None);
    }
}
