//! Spec examples, checked against the generated types. Every `example` of a schema, property,
//! parameter, request body and response body is decoded the way the generated crate decodes it;
//! one that does not fit is a located warning (a bug in the spec, or in what the types make of
//! it). For each parameter and request body, the first example that fits (its own, else its
//! type's) becomes a [`Literal`], from which `emit::examples` writes the operation's doc example.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use crate::diag::{join, Diagnostics};
use crate::ir::{Api, EnumRepr, Example, IntTy, Literal, Presence, Ty, TypeKind};

/// The extension normalization sets on a schema whose `example` is the first of its `examples`.
pub const EXAMPLE_FROM_LIST: &str = "x-apigen-example-from-examples";

/// Where a schema's `example` is written: `examples/0` when it came from a 3.1 `examples` list.
pub(super) fn schema_example_at(s: &Schema, pointer: &str) -> String {
    if s.schema_data.extensions.contains_key(EXAMPLE_FROM_LIST) {
        join(&join(pointer, "examples"), "0")
    } else {
        join(pointer, "example")
    }
}

/// The examples of a parameter or media type: `example`, then each of `examples` (a `$ref` to
/// `#/components/examples/...` is followed; external values are not fetched).
pub(super) fn collect(
    spec: &OpenAPI,
    example: Option<&Value>,
    examples: &IndexMap<String, ReferenceOr<openapiv3::Example>>,
    pointer: &str,
) -> Vec<Example> {
    let mut out = Vec::new();
    if let Some(v) = example {
        out.push(Example {
            pointer: join(pointer, "example"),
            value: v.clone(),
        });
    }
    for (name, e) in examples {
        let (ex, at) = match e {
            ReferenceOr::Item(ex) => (Some(ex), join(&join(pointer, "examples"), name)),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/examples/")
                    .and_then(|n| spec.components.as_ref()?.examples.get(&crate::diag::unescape(n)));
                match found {
                    Some(ReferenceOr::Item(ex)) => (Some(ex), reference[1..].to_owned()),
                    _ => (None, String::new()),
                }
            }
        };
        if let Some(value) = ex.and_then(|ex| ex.value.clone()) {
            out.push(Example {
                pointer: join(&at, "value"),
                value,
            });
        }
    }
    out
}

/// Why an example does not decode: where in the value, and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// `tags[0].name`; empty for the value itself.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "at `{}`: {}", self.path, self.problem)
        }
    }
}

/// Checks every example of the API, warning once per example that does not decode, and sets the
/// `example` of each parameter and request body.
pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    let mut warned = BTreeSet::new();
    let mut report = |diags: &mut Diagnostics, at: &str, what: &str, m: &Mismatch| {
        if warned.insert(at.to_owned()) {
            diags.warn(at, format!("this example does not decode into {what}: {m}"));
        }
    };
    for t in &api.types {
        if let Some((text, at)) = t.docs.example.as_ref().zip(t.docs.example_at.as_ref()) {
            let what = format!("`{}`", t.name);
            if let Err(m) = parse(text).and_then(|v| decode_named_kind(api, &t.kind, &v)) {
                report(diags, at, &what, &m);
            }
        }
        if let TypeKind::Struct(s) = &t.kind {
            for f in &s.fields {
                let Some((text, at)) = f.docs.example.as_ref().zip(f.docs.example_at.as_ref()) else {
                    continue;
                };
                let what = format!("the type of `{}.{}`", t.name, f.name);
                if let Err(m) = parse(text).and_then(|v| field_value(api, &f.ty, &f.presence, &v)) {
                    report(diags, at, &what, &m);
                }
            }
        }
    }
    let mut literals = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        for (j, p) in op.params.iter().enumerate() {
            let what = format!("the type of parameter `{}`", p.wire_name);
            let mut report = |at: &str, m: &Mismatch| report(diags, at, &what, m);
            if let Some(lit) = first_fit(api, &p.ty, &p.examples, true, &mut report) {
                literals.push((i, Some(j), lit));
            }
        }
        if let Some(b) = &op.body {
            let what = "the request body's type";
            let text = matches!(b.kind, crate::ir::BodyKind::Form | crate::ir::BodyKind::Multipart);
            if let Some(lit) = first_fit(api, &b.ty, &b.examples, text, &mut |at, m| report(diags, at, what, m)) {
                literals.push((i, None, lit));
            }
        }
        for r in &op.responses {
            let Some(b) = &r.body else { continue };
            if !matches!(b.kind, crate::ir::BodyKind::Json) {
                continue;
            }
            let what = format!("the type of the {} response", r.variant);
            first_fit(api, &b.ty, &b.examples, false, &mut |at, m| report(diags, at, &what, m));
        }
    }
    for (op, param, lit) in literals {
        let op = &mut api.operations[op];
        match param {
            Some(j) => op.params[j].example = Some(lit),
            None => {
                if let Some(b) = op.body.as_mut() {
                    b.example = Some(lit);
                }
            }
        }
    }
}

/// The first of `examples` that decodes into `ty`, else the example of `ty`'s named type; each
/// that does not decode is passed to `report`. `text`: the value travels as text (a parameter, a
/// form field), so a scalar may be given as its string form (`"true"`, `"5"`).
fn first_fit(
    api: &Api,
    ty: &Ty,
    examples: &[Example],
    text: bool,
    report: &mut dyn FnMut(&str, &Mismatch),
) -> Option<Literal> {
    let mut found = None;
    for e in examples {
        match (Decoder { api, depth: 0, text }).ty(ty, &e.value) {
            Ok(lit) => {
                found.get_or_insert(lit);
            }
            Err(m) => report(&e.pointer, &m),
        }
    }
    if found.is_none() {
        if let Ty::Named(id) = ty {
            let t = &api.types[id.0];
            found = t.docs.example.as_deref().and_then(|json| {
                let v = parse(json).ok()?;
                (Decoder { api, depth: 0, text }).ty(ty, &v).ok()
            });
        }
    }
    found
}

fn parse(text: &str) -> Result<Value, Mismatch> {
    serde_json::from_str(text).map_err(|e| Mismatch {
        path: String::new(),
        problem: format!("not JSON: {e}"),
    })
}

/// The depth past which an example is not followed (a recursive type with a deep example).
const MAX_DEPTH: usize = 64;

/// Decodes `value` as the generated crate would decode a `ty`.
pub fn decode(api: &Api, ty: &Ty, value: &Value) -> Result<Literal, Mismatch> {
    Decoder {
        api,
        depth: 0,
        text: false,
    }
    .ty(ty, value)
}

fn decode_named_kind(api: &Api, kind: &TypeKind, value: &Value) -> Result<Literal, Mismatch> {
    Decoder {
        api,
        depth: 0,
        text: false,
    }
    .kind(kind, value)
}

/// A field's example: `null` is fine where the field is an `Option` or `Nullable`.
fn field_value(api: &Api, ty: &Ty, presence: &Presence, value: &Value) -> Result<Literal, Mismatch> {
    Decoder {
        api,
        depth: 0,
        text: false,
    }
    .field(ty, presence, false, value)
}

struct Decoder<'a> {
    api: &'a Api,
    depth: usize,
    /// Scalars may come as strings (values sent as text: parameters, form fields).
    text: bool,
}

fn found(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(37).collect();
        format!("`{cut}...`")
    } else {
        format!("`{text}`")
    }
}

fn mismatch(expected: &str, value: &Value) -> Mismatch {
    Mismatch {
        path: String::new(),
        problem: format!("expected {expected}, found {}", found(value)),
    }
}

/// Prefixes the path of a mismatch inside a part of the value.
fn inside(m: Mismatch, step: &str) -> Mismatch {
    let path = if m.path.is_empty() {
        step.to_owned()
    } else {
        format!("{step}{}", dotted(&m.path))
    };
    Mismatch { path, ..m }
}

fn dotted(path: &str) -> String {
    if path.starts_with('[') {
        path.to_owned()
    } else {
        format!(".{path}")
    }
}

impl Decoder<'_> {
    fn ty(&mut self, ty: &Ty, value: &Value) -> Result<Literal, Mismatch> {
        if self.depth > MAX_DEPTH {
            return Ok(Literal::Unwritten);
        }
        self.depth += 1;
        let out = self.ty_inner(ty, value);
        self.depth -= 1;
        out
    }

    fn ty_inner(&mut self, ty: &Ty, value: &Value) -> Result<Literal, Mismatch> {
        match ty {
            Ty::Bool | Ty::Int(_) | Ty::Float(_) if self.text && value.is_string() => {
                let parsed = value
                    .as_str()
                    .and_then(|s| serde_json::from_str::<Value>(s.trim()).ok());
                match parsed.filter(|v| v.is_number() || v.is_boolean()) {
                    Some(v) => self.ty_inner(ty, &v).map_err(|_| mismatch(scalar_name(ty), value)),
                    None => Err(mismatch(scalar_name(ty), value)),
                }
            }
            Ty::Bool => value
                .as_bool()
                .map(Literal::Bool)
                .ok_or_else(|| mismatch("a boolean", value)),
            Ty::Int(int) => integer(*int, value),
            Ty::Float(_) => match value {
                Value::Number(n) => Ok(Literal::Number(n.to_string())),
                _ => Err(mismatch("a number", value)),
            },
            Ty::String => string(value).map(|s| Literal::Str(s.to_owned())),
            Ty::Date => {
                let s = string(value)?;
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|_| Literal::Str(s.to_owned()))
                    .map_err(|_| mismatch("a date (`YYYY-MM-DD`)", value))
            }
            Ty::DateTime => date_time(value),
            Ty::Uuid => {
                let s = string(value)?;
                uuid::Uuid::parse_str(s)
                    .map(|u| Literal::Str(u.hyphenated().to_string()))
                    .map_err(|_| mismatch("a UUID", value))
            }
            Ty::Bytes => string(value).map(|_| Literal::Unwritten),
            Ty::Binary | Ty::File => Ok(Literal::Unwritten),
            Ty::Tuple(items) => {
                let Value::Array(values) = value else {
                    return Err(mismatch(&format!("an array of {} items", items.len()), value));
                };
                if values.len() != items.len() {
                    return Err(mismatch(&format!("an array of {} items", items.len()), value));
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, (t, v)) in items.iter().zip(values).enumerate() {
                    out.push(self.ty(t, v).map_err(|m| inside(m, &format!("[{i}]")))?);
                }
                Ok(Literal::List(out))
            }
            Ty::Any => Ok(Literal::Json(value.clone())),
            Ty::Unit => match value {
                Value::Null => Ok(Literal::Null),
                _ => Err(mismatch("`null`", value)),
            },
            Ty::Named(id) => {
                let kind = &self.api.types[id.0].kind;
                self.kind(kind, value)
            }
            // As text, one value of a list is the list of one (`a=x` in a form or a query).
            Ty::Vec(item) if self.text && !value.is_array() && !value.is_object() => {
                let one = self.ty(item, value).map_err(|_| mismatch("an array", value))?;
                Ok(Literal::List(vec![one]))
            }
            Ty::Vec(item) => {
                let Value::Array(values) = value else {
                    return Err(mismatch("an array", value));
                };
                let mut out = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    out.push(self.ty(item, v).map_err(|m| inside(m, &format!("[{i}]")))?);
                }
                Ok(Literal::List(out))
            }
            Ty::Map(item) => {
                let Value::Object(map) = value else {
                    return Err(mismatch("an object", value));
                };
                let mut out = Vec::with_capacity(map.len());
                for (k, v) in map {
                    out.push((k.clone(), self.ty(item, v).map_err(|m| inside(m, k))?));
                }
                Ok(Literal::Map(out))
            }
            Ty::Option(inner) => match value {
                Value::Null => Ok(Literal::Null),
                v => self.ty(inner, v),
            },
            Ty::Boxed(inner) => self.ty(inner, value),
        }
    }

    fn kind(&mut self, kind: &TypeKind, value: &Value) -> Result<Literal, Mismatch> {
        match kind {
            TypeKind::Alias(ty) => self.ty(ty, value),
            TypeKind::Enum(e) => {
                let hit = e.variants.iter().find(|v| match e.repr {
                    EnumRepr::String => value.as_str() == Some(v.value.as_str()),
                    EnumRepr::Integer => value.as_i64().is_some_and(|n| v.value.parse::<i64>() == Ok(n)),
                    EnumRepr::Mixed => serde_json::from_str::<Value>(&v.value).ok().as_ref() == Some(value),
                });
                match hit {
                    Some(v) => Ok(Literal::Variant(v.name.clone())),
                    None => Err(Mismatch {
                        path: String::new(),
                        problem: format!(
                            "{} is not one of the enum's values (it would decode as `Unknown`)",
                            found(value)
                        ),
                    }),
                }
            }
            TypeKind::Union(u) => {
                let candidates: Vec<_> = match &u.tag {
                    Some(tag) => {
                        let Some(t) = value.get(tag).and_then(Value::as_str) else {
                            return Err(mismatch(&format!("an object with a string `{tag}`"), value));
                        };
                        let hits: Vec<_> = u
                            .variants
                            .iter()
                            .filter(|v| v.tag_values.iter().any(|x| x == t))
                            .collect();
                        if hits.is_empty() {
                            return Err(Mismatch {
                                path: tag.clone(),
                                problem: format!("`{t}` selects no variant (it would decode as `Unknown`)"),
                            });
                        }
                        hits
                    }
                    None => u.variants.iter().collect(),
                };
                let mut first_err = None;
                for v in candidates {
                    match self.ty(&v.ty, value) {
                        Ok(lit) => return Ok(Literal::Union(v.name.clone(), Box::new(lit))),
                        Err(m) => {
                            first_err.get_or_insert((v.name.clone(), m));
                        }
                    }
                }
                match first_err {
                    Some((name, m)) if u.tag.is_some() => Err(Mismatch {
                        problem: format!("as variant `{name}`: {}", m.problem),
                        ..m
                    }),
                    _ => Err(Mismatch {
                        path: String::new(),
                        problem: format!(
                            "{} matches none of the variants ({})",
                            found(value),
                            u.variants
                                .iter()
                                .map(|v| format!("`{}`", v.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }),
                }
            }
            TypeKind::Struct(s) => {
                let Value::Object(map) = value else {
                    return Err(mismatch("an object", value));
                };
                let mut fields = Vec::new();
                for (i, f) in s.fields.iter().enumerate() {
                    let one_way = (f.read_only || f.write_only) && f.presence == Presence::Required;
                    match map.get(&f.wire_name) {
                        Some(v) => {
                            let lit = self
                                .field(&f.ty, &f.presence, one_way, v)
                                .map_err(|m| inside(m, &f.wire_name))?;
                            fields.push((i, lit));
                        }
                        None if matches!(f.presence, Presence::Required | Presence::RequiredNullable) && !one_way => {
                            return Err(Mismatch {
                                path: String::new(),
                                problem: format!("the required property `{}` is missing", f.wire_name),
                            });
                        }
                        None => {}
                    }
                }
                let mut extra = Vec::new();
                if let Some(add) = &s.additional {
                    for (k, v) in map {
                        if s.fields.iter().any(|f| &f.wire_name == k) {
                            continue;
                        }
                        extra.push((k.clone(), self.ty(add, v).map_err(|m| inside(m, k))?));
                    }
                }
                Ok(Literal::Struct { fields, extra })
            }
        }
    }

    /// A field's value: `null` decodes into every field that is an `Option` or `Nullable`.
    fn field(&mut self, ty: &Ty, presence: &Presence, one_way: bool, value: &Value) -> Result<Literal, Mismatch> {
        let nullable = one_way
            || matches!(
                presence,
                Presence::RequiredNullable
                    | Presence::Optional
                    | Presence::OptionalNullable
                    | Presence::OptionalNullableLoose
            );
        if value.is_null() && nullable {
            return Ok(Literal::Null);
        }
        self.ty(ty, value)
    }
}

fn scalar_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::Bool => "a boolean",
        Ty::Int(_) => "an integer",
        _ => "a number",
    }
}

fn string(value: &Value) -> Result<&str, Mismatch> {
    value.as_str().ok_or_else(|| mismatch("a string", value))
}

fn integer(int: IntTy, value: &Value) -> Result<Literal, Mismatch> {
    let (lo, hi): (i128, i128) = match int {
        IntTy::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntTy::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntTy::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntTy::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntTy::U8 => (0, u8::MAX.into()),
        IntTy::U16 => (0, u16::MAX.into()),
        IntTy::U32 => (0, u32::MAX.into()),
        IntTy::U64 => (0, u64::MAX.into()),
    };
    let n = value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
        .ok_or_else(|| mismatch("an integer", value))?;
    if n < lo || n > hi {
        return Err(mismatch(&format!("an integer from {lo} to {hi}"), value));
    }
    Ok(Literal::Number(n.to_string()))
}

/// What the generated crate parses (chrono's `DateTime<Utc>` from a string), with a missing offset
/// read as UTC: the literal then says so with a `Z`.
fn date_time(value: &Value) -> Result<Literal, Mismatch> {
    let s = string(value)?;
    if s.parse::<chrono::DateTime<chrono::Utc>>().is_ok() {
        return Ok(Literal::Str(s.to_owned()));
    }
    let utc = format!("{s}Z");
    match utc.parse::<chrono::DateTime<chrono::Utc>>() {
        Ok(_) => Ok(Literal::Str(utc)),
        Err(_) => Err(mismatch("a date-time (RFC 3339)", value)),
    }
}

#[cfg(test)]
mod tests;
