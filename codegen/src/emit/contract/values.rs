//! Argument values of the contract driver: candidate JSON texts for each parameter and body, the
//! spec's examples first, then simple valid values built from the type.

use proc_macro2::Literal;
use serde_json::{Map, Value};

use crate::ir::{Api, BodyKind, EnumRepr, Param, Presence, RequestBody, Ty, TypeId, TypeKind};

/// Values nest at most this deep; deeper required structure is sent as `null`.
const MAX_DEPTH: usize = 12;

pub(super) fn literals(candidates: &[String]) -> Vec<Literal> {
    candidates.iter().map(|c| Literal::string(c)).collect()
}

/// Candidate texts, deduplicated, order kept.
fn push(out: &mut Vec<String>, text: String) {
    if !out.contains(&text) {
        out.push(text);
    }
}

pub(super) fn param_candidates(api: &Api, p: &Param) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &p.docs.example {
        push(&mut out, e.clone());
    }
    push(&mut out, sample(api, &p.ty, true, 0).to_string());
    push(&mut out, sample(api, &p.ty, false, 0).to_string());
    out
}

pub(super) fn body_candidates(api: &Api, body: &RequestBody) -> Vec<String> {
    let mut out = Vec::new();
    match body.kind {
        BodyKind::Binary => push(&mut out, Value::from(b"contract".to_vec()).to_string()),
        BodyKind::Text => {
            if let Some(e) = body.docs.example.as_ref().filter(|e| e.starts_with('"')) {
                push(&mut out, e.clone());
            }
            push(&mut out, "\"contract\"".to_owned());
        }
        _ => {
            if let Some(e) = &body.docs.example {
                push(&mut out, e.clone());
            }
            push(&mut out, sample(api, &body.ty, true, 0).to_string());
            push(&mut out, sample(api, &body.ty, false, 0).to_string());
        }
    }
    out
}

/// The example the spec gives for a named type, when it is valid JSON.
fn type_example(api: &Api, id: TypeId) -> Option<Value> {
    let text = api.types[id.0].docs.example.as_ref()?;
    serde_json::from_str(text).ok()
}

/// A simple valid JSON value of the type: with `examples`, the spec's examples where it has them.
/// Objects carry their required properties (or, when none is required, their first writable
/// one, so that an object parameter is never empty); enums their first value; unions their first
/// variant, tagged when discriminated.
fn sample(api: &Api, ty: &Ty, examples: bool, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match ty {
        Ty::Bool => Value::Bool(true),
        Ty::Int(_) => Value::from(1),
        Ty::Float(_) => Value::from(1.5),
        Ty::String => Value::from("contract"),
        Ty::Date => Value::from("2024-01-02"),
        Ty::DateTime => Value::from("2024-01-02T03:04:05Z"),
        Ty::Uuid => Value::from("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        // `format: byte` is a base64 string on the wire.
        Ty::Bytes => Value::from("Y29udHJhY3Q="),
        Ty::Binary | Ty::File => Value::from(b"contract".to_vec()),
        Ty::Tuple(items) => Value::Array(items.iter().map(|t| sample(api, t, examples, depth + 1)).collect()),
        // Schemas without a type that the IR models as any JSON value are most often objects
        // (`type: object` without properties); `{}` is valid for both.
        Ty::Any => Value::Object(Map::new()),
        Ty::Unit => Value::Null,
        Ty::Vec(inner) => Value::Array(vec![sample(api, inner, examples, depth + 1)]),
        Ty::Map(inner) => {
            let mut m = Map::new();
            m.insert("key".into(), sample(api, inner, examples, depth + 1));
            Value::Object(m)
        }
        Ty::Option(inner) | Ty::Boxed(inner) => sample(api, inner, examples, depth),
        Ty::Named(id) => {
            if examples {
                if let Some(v) = type_example(api, *id) {
                    return v;
                }
            }
            named_sample(api, *id, examples, depth)
        }
    }
}

fn named_sample(api: &Api, id: TypeId, examples: bool, depth: usize) -> Value {
    match &api.types[id.0].kind {
        TypeKind::Alias(t) => sample(api, t, examples, depth + 1),
        TypeKind::Enum(e) => match e.variants.first() {
            None => Value::Null,
            Some(v) => match e.repr {
                EnumRepr::String => Value::from(v.value.clone()),
                EnumRepr::Integer | EnumRepr::Mixed => {
                    serde_json::from_str(&v.value).unwrap_or_else(|_| Value::from(v.value.clone()))
                }
            },
        },
        TypeKind::Struct(s) => {
            let required = |p: &Presence| matches!(p, Presence::Required | Presence::RequiredNullable);
            let any_required = s.fields.iter().any(|f| required(&f.presence) && !f.read_only);
            let mut m = Map::new();
            for f in s.fields.iter().filter(|f| !f.read_only) {
                if !required(&f.presence) && (any_required || !m.is_empty()) {
                    continue;
                }
                let field_example = f
                    .docs
                    .example
                    .as_ref()
                    .filter(|_| examples)
                    .and_then(|e| serde_json::from_str(e).ok());
                let v = field_example.unwrap_or_else(|| sample(api, &f.ty, examples, depth + 1));
                m.insert(f.wire_name.clone(), v);
            }
            Value::Object(m)
        }
        TypeKind::Union(u) => match u.variants.first() {
            None => Value::Null,
            Some(v) => {
                let mut value = sample(api, &v.ty, examples, depth + 1);
                if let (Some(tag), Some(tag_value), Value::Object(m)) = (&u.tag, v.tag_values.first(), &mut value) {
                    m.insert(tag.clone(), Value::from(tag_value.clone()));
                }
                value
            }
        },
    }
}

