//! Where each kind of OpenAPI object sits inside its parent: the shape of the typed model, written
//! down once. The lenient repairs walk it to find the objects they fix, and the typed-model error
//! path walks it to narrow an error down to the object that caused it.

use serde_json::{Map, Value};

/// The OpenAPI objects that the typed model reads, each at the places the standard puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Header,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Components,
}

impl Kind {
    /// Whether the model accepts a Reference Object (`{$ref: ...}`) in this object's place.
    pub fn may_be_ref(self) -> bool {
        !matches!(
            self,
            Kind::Document | Kind::Paths | Kind::Operation | Kind::Responses | Kind::MediaType | Kind::Encoding
        )
    }
}

/// How a child is reached from its parent.
enum Edge {
    /// The value of one key.
    One(&'static str, Kind),
    /// Every value of the mapping at one key.
    Map(&'static str, Kind),
    /// Every item of the list at one key.
    List(&'static str, Kind),
    /// Every entry of the object itself whose key passes the filter.
    Entries(fn(&str) -> bool, Kind),
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn edges(kind: Kind) -> Vec<Edge> {
    use Edge::*;
    match kind {
        Kind::Document => vec![
            One("paths", Kind::Paths),
            Map("webhooks", Kind::PathItem),
            One("components", Kind::Components),
        ],
        Kind::Paths => vec![Entries(|k| k.starts_with('/'), Kind::PathItem)],
        Kind::PathItem => {
            let mut out: Vec<Edge> = METHODS.iter().map(|m| One(m, Kind::Operation)).collect();
            out.push(List("parameters", Kind::Parameter));
            out
        }
        Kind::Operation => vec![
            List("parameters", Kind::Parameter),
            One("requestBody", Kind::RequestBody),
            One("responses", Kind::Responses),
            Map("callbacks", Kind::Callback),
        ],
        Kind::Callback => vec![Entries(|_| true, Kind::PathItem)],
        Kind::Parameter | Kind::Header => vec![
            One("schema", Kind::Schema),
            Map("content", Kind::MediaType),
            Map("examples", Kind::Example),
        ],
        Kind::RequestBody => vec![Map("content", Kind::MediaType)],
        Kind::Responses => vec![Entries(|k| !k.starts_with("x-"), Kind::Response)],
        Kind::Response => vec![
            Map("headers", Kind::Header),
            Map("content", Kind::MediaType),
            Map("links", Kind::Link),
        ],
        Kind::MediaType => vec![
            One("schema", Kind::Schema),
            Map("examples", Kind::Example),
            Map("encoding", Kind::Encoding),
        ],
        Kind::Encoding => vec![Map("headers", Kind::Header)],
        Kind::Schema => vec![
            Map("properties", Kind::Schema),
            One("items", Kind::Schema),
            One("additionalProperties", Kind::Schema),
            One("not", Kind::Schema),
            List("allOf", Kind::Schema),
            List("anyOf", Kind::Schema),
            List("oneOf", Kind::Schema),
        ],
        Kind::Components => vec![
            Map("schemas", Kind::Schema),
            Map("responses", Kind::Response),
            Map("parameters", Kind::Parameter),
            Map("examples", Kind::Example),
            Map("requestBodies", Kind::RequestBody),
            Map("headers", Kind::Header),
            Map("securitySchemes", Kind::SecurityScheme),
            Map("links", Kind::Link),
            Map("callbacks", Kind::Callback),
        ],
        Kind::Example | Kind::Link | Kind::SecurityScheme => Vec::new(),
    }
}

/// The children of an object: the keys that lead to each (one or two reference tokens) and its kind.
/// `additionalProperties: true/false` is not a schema object and is left out.
pub fn children(kind: Kind, object: &Map<String, Value>) -> Vec<(Vec<String>, Kind)> {
    let mut out = Vec::new();
    for edge in edges(kind) {
        match edge {
            Edge::One(key, child) => {
                if let Some(v) = object.get(key) {
                    if !(key == "additionalProperties" && v.is_boolean()) {
                        out.push((vec![key.to_owned()], child));
                    }
                }
            }
            Edge::Map(key, child) => {
                if let Some(Value::Object(m)) = object.get(key) {
                    out.extend(m.keys().map(|k| (vec![key.to_owned(), k.clone()], child)));
                }
            }
            Edge::List(key, child) => {
                if let Some(Value::Array(a)) = object.get(key) {
                    out.extend((0..a.len()).map(|i| (vec![key.to_owned(), i.to_string()], child)));
                }
            }
            Edge::Entries(filter, child) => {
                out.extend(object.keys().filter(|k| filter(k)).map(|k| (vec![k.clone()], child)));
            }
        }
    }
    out
}

/// True for a Reference Object in a place that allows one.
pub fn is_ref(kind: Kind, value: &Value) -> bool {
    kind.may_be_ref() && value.get("$ref").is_some_and(Value::is_string)
}

/// What [`objects_mut`] calls for each object: its kind, the object, its pointer.
pub type Visitor<'a> = dyn FnMut(Kind, &mut Map<String, Value>, &str) + 'a;

/// Visits every OpenAPI object of the document except schemas (those are `walk::schemas_mut`'s),
/// parents before children; `f` may rewrite an object before its children are visited.
/// Reference Objects are skipped: their targets are visited where they are defined.
pub fn objects_mut(doc: &mut Value, f: &mut Visitor<'_>) {
    let mut pointer = String::new();
    visit_mut(doc, Kind::Document, &mut pointer, f);
}

fn visit_mut(value: &mut Value, kind: Kind, pointer: &mut String, f: &mut Visitor<'_>) {
    if kind == Kind::Schema || is_ref(kind, value) {
        return;
    }
    let Value::Object(object) = value else { return };
    f(kind, object, pointer);
    for (tokens, child_kind) in children(kind, object) {
        let Some(child) = get_mut(object, &tokens) else {
            continue;
        };
        let len = pointer.len();
        for t in &tokens {
            crate::diag::push(pointer, t);
        }
        visit_mut(child, child_kind, pointer, f);
        pointer.truncate(len);
    }
}

/// The value at `tokens` below an object (keys of mappings, indices of lists).
pub fn get<'a>(object: &'a Map<String, Value>, tokens: &[String]) -> Option<&'a Value> {
    let (first, rest) = tokens.split_first()?;
    let mut cur = object.get(first)?;
    for t in rest {
        cur = match cur {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn get_mut<'a>(object: &'a mut Map<String, Value>, tokens: &[String]) -> Option<&'a mut Value> {
    let (first, rest) = tokens.split_first()?;
    let mut cur = object.get_mut(first)?;
    for t in rest {
        cur = match cur {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}
