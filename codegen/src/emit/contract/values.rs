//! Argument values of the contract driver: candidate JSON texts for each parameter and body, the
//! spec's examples first, then simple valid values built from the type.

use proc_macro2::Literal;
use serde_json::{Map, Value};

use crate::ir::{Api, BodyKind, Constraints, EnumRepr, Param, Presence, RequestBody, Ty, TypeId, TypeKind};

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
    for examples in [true, false] {
        let mut value = constrained(api, &p.ty, p.constraints.as_deref(), examples, 0);
        // One item in a path: a second would put a `,` into the path, which Prism 5.x crashes on.
        if let (crate::ir::ParamLocation::Path, Value::Array(items)) = (&p.location, &mut value) {
            items.truncate(1);
        }
        push(&mut out, value.to_string());
    }
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
        // `format: binary` inside JSON is UTF-8 text; a file part is built from its bytes.
        Ty::Binary => Value::from("contract"),
        Ty::File => Value::from(b"contract".to_vec()),
        Ty::Tuple(items) => Value::Array(items.iter().map(|t| sample(api, t, examples, depth + 1)).collect()),
        // Schemas without a type that the IR models as any JSON value are most often objects
        // (`type: object` without properties); `{}` is valid for both.
        Ty::Any => Value::Object(Map::new()),
        Ty::Unit => Value::Null,
        // Two items: one value of an exploded query or form array (`tag=a`) reads like a scalar to
        // a server that does not know the parameter's schema.
        // Deep down, an empty array ends a recursive structure (a trigger of triggers).
        Ty::Vec(_) if depth > MAX_DEPTH / 2 => Value::Array(Vec::new()),
        Ty::Vec(inner) => {
            let item = sample(api, inner, examples, depth + 1);
            Value::Array(vec![item.clone(), item])
        }
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
        TypeKind::Alias(t) => constrained(api, t, api.types[id.0].constraints.as_deref(), examples, depth + 1),
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
                let v = field_example
                    .unwrap_or_else(|| constrained(api, &f.ty, f.constraints.as_deref(), examples, depth + 1));
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

/// [`sample`], then fitted to the schema's validation keywords where the simple value breaks them:
/// a string matching `pattern` (for the simple patterns of real specs: literals, classes, `\\d`,
/// `\\w`, quantifiers), of `minLength`..`maxLength`, an `email` or `uri`; a number within
/// `minimum`..`maximum`.
fn constrained(api: &Api, ty: &Ty, c: Option<&Constraints>, examples: bool, depth: usize) -> Value {
    let value = sample(api, ty, examples, depth);
    let Some(c) = c else { return value };
    match value {
        Value::Array(mut items) if c.unique_items || c.max_items.is_some_and(|m| m < 2) => {
            items.truncate(1);
            Value::Array(items)
        }
        Value::String(text) if plain_string(ty) => Value::String(fit_string(text, c)),
        Value::Number(n) => {
            let bound = |b: &Option<crate::ir::Bound>| {
                b.as_ref()
                    .and_then(|b| b.value.parse::<f64>().ok().map(|v| (v, b.exclusive)))
            };
            let mut v = n.as_f64().unwrap_or(1.0);
            if let Some((min, exclusive)) = bound(&c.minimum) {
                if v < min || (exclusive && v <= min) {
                    v = if exclusive { min + 1.0 } else { min };
                }
            }
            if let Some((max, exclusive)) = bound(&c.maximum) {
                if v > max || (exclusive && v >= max) {
                    v = if exclusive { max - 1.0 } else { max };
                }
            }
            if n.is_f64() {
                Value::from(v)
            } else {
                Value::from(v.ceil() as i64)
            }
        }
        other => other,
    }
}

/// `String` or `Option<String>`: not a date, UUID or enum spelled as a string.
fn plain_string(ty: &Ty) -> bool {
    match ty {
        Ty::String => true,
        Ty::Option(inner) | Ty::Boxed(inner) => plain_string(inner),
        _ => false,
    }
}

fn fit_string(text: String, c: &Constraints) -> String {
    if let Some(generated) = c.pattern.as_deref().and_then(from_pattern) {
        return generated;
    }
    let mut text = match c.format.as_deref() {
        Some("email") => "contract@example.com".to_owned(),
        Some("uri" | "url" | "uri-reference" | "iri") => "https://example.com/contract".to_owned(),
        Some("ipv4") => "192.0.2.1".to_owned(),
        Some("hostname") => "example.com".to_owned(),
        _ => text,
    };
    let min = c.min_length.unwrap_or(0) as usize;
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = c.max_length {
        text = text.chars().take(max as usize).collect();
    }
    text
}

/// A string matching a simple regular expression: literals, `[...]` classes (their first member),
/// `(a|b)` groups (their first alternative),
/// `\\d`, `\\w`, `\\s`, `.`, `^`/`$`, and `{n}`, `{n,m}`, `+`, `*`, `?` quantifiers (their least
/// count, `+` once). `None` for anything else (groups, alternation), so that the caller falls back.
fn from_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let atom: char = match chars[i] {
            '^' | '$' if i == 0 || i == chars.len() - 1 => {
                i += 1;
                continue;
            }
            '\\' => {
                i += 1;
                match *chars.get(i)? {
                    'd' => '0',
                    'w' => 'a',
                    's' => ' ',
                    c if c.is_ascii_punctuation() => c,
                    _ => return None,
                }
            }
            '[' => {
                let end = i + chars[i..].iter().position(|&c| c == ']')?;
                let class = &chars[i + 1..end];
                i = end;
                match class {
                    ['^', ..] | [] => return None,
                    ['\\', 'd', ..] => '0',
                    ['\\', 'w', ..] => 'a',
                    ['\\', ..] => return None,
                    [first, ..] => *first,
                }
            }
            '.' => 'a',
            // A group of alternatives without nesting or quantifier: its first alternative.
            '(' => {
                let end = i + chars[i..].iter().position(|&c| c == ')')?;
                let group: String = chars[i + 1..end].iter().collect();
                let first = group.split('|').next()?;
                if first.contains('(') || matches!(chars.get(end + 1), Some('{' | '+' | '*' | '?')) {
                    return None;
                }
                out.push_str(&from_pattern(first)?);
                i = end + 1;
                continue;
            }
            ')' | '|' | '{' | '}' | '+' | '*' | '?' => return None,
            c => c,
        };
        i += 1;
        // The quantifier of the atom, if any.
        let count = match chars.get(i) {
            Some('{') => {
                let end = i + chars[i..].iter().position(|&c| c == '}')?;
                let spec: String = chars[i + 1..end].iter().collect();
                i = end + 1;
                spec.split(',').next()?.trim().parse::<usize>().ok()?
            }
            Some('+') => {
                i += 1;
                1
            }
            Some('*' | '?') => {
                i += 1;
                0
            }
            _ => 1,
        };
        if count > 256 {
            return None;
        }
        out.extend(std::iter::repeat_n(atom, count));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{fit_string, from_pattern};
    use crate::ir::Constraints;

    #[test]
    fn strings_from_simple_patterns() {
        let rows = [
            ("^AC[0-9a-fA-F]{32}$", Some(format!("AC{}", "0".repeat(32)))),
            ("^[a-z]+-\\d{2,4}$", Some("a-00".to_owned())),
            ("^\\w*\\.json$", Some(".json".to_owned())),
            ("^(SM|MM)[0-9a-fA-F]{2}$", Some("SM00".to_owned())),
            ("^(a|b)+$", None),
            ("^((a))$", None),
            ("^[^x]$", None),
            ("a{9999}", None),
            ("[unclosed", None),
        ];
        for (pattern, want) in rows {
            assert_eq!(from_pattern(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn strings_fit_lengths_and_formats() {
        let c = |f: fn(&mut Constraints)| {
            let mut c = Constraints::default();
            f(&mut c);
            c
        };
        assert_eq!(
            fit_string("contract".into(), &c(|c| c.min_length = Some(10))),
            "contractxx"
        );
        assert_eq!(fit_string("contract".into(), &c(|c| c.max_length = Some(3))), "con");
        assert_eq!(
            fit_string("contract".into(), &c(|c| c.format = Some("uri".into()))),
            "https://example.com/contract"
        );
        // A pattern it cannot read leaves the length rules.
        let both = c(|c| {
            c.pattern = Some("^(x|y)+$".into());
            c.min_length = Some(9);
        });
        assert_eq!(fit_string("contract".into(), &both), "contractx");
    }
}
