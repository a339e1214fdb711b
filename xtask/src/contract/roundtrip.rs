//! The round-trip comparison of the contract run: a decoded success body, serialised back
//! (`serde_json::to_value`, the client built with `serde-all`), against the JSON the server sent.
//!
//! The walk follows the IR type alongside both values, so that it knows what the generated code
//! does with each key: which fields are skipped when `None` or never serialised (`readOnly`),
//! which are filled with a default, which keys a flattened `additional` map takes, which variant
//! of a union the value was decoded as. What the generated types are documented to lose (unknown
//! keys, `null` versus absent, the spelling of dates, uuids and base64) is a lossy [`Finding`], a
//! note; anything else that differs is a mismatch.

use std::collections::BTreeSet;

use codegen::ir::{Api, DefaultValue, EnumDef, EnumRepr, FloatTy, Presence, StructDef, Ty, TypeKind, UnionDef};
use serde_json::{Map, Number, Value};

/// Nesting (of values, and of aliases and unions at one position) followed by the typed walk;
/// below it the values are compared structurally without recursion.
const MAX_DEPTH: usize = 64;

/// How deep (unions in unions, options) and how many steps the look at one union position's
/// variants may take: a union can contain itself, several times.
const UNION_NESTING: usize = 16;
const UNION_STEPS: usize = 4096;

/// One difference between the served body and the decoded value.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// JSON pointer into the served body (`""` is the root); for a key only the decoded value
    /// has, where that key would be.
    pub pointer: String,
    /// A documented lossy spot of the generated types (a note), not a mismatch.
    pub lossy: bool,
    pub what: String,
}

/// Every difference between what the server sent and what the client decoded (serialised back).
pub fn compare(api: &Api, ty: &Ty, served: &Value, decoded: &Value) -> Vec<Finding> {
    let mut walk = Walk { api, out: Vec::new() };
    walk.value(ty, served, decoded, "", 0, None);
    walk.out
}

static ANY: Ty = Ty::Any;

/// A type with aliases and boxes looked through.
enum Shape<'a> {
    Struct(&'a StructDef),
    Union(&'a UnionDef),
    Enum(&'a EnumDef),
    Other(&'a Ty),
}

fn shape<'a>(api: &'a Api, ty: &'a Ty) -> Shape<'a> {
    let mut cur = ty;
    // Bounded: an alias can name itself.
    for _ in 0..api.types.len() + 8 {
        match cur {
            Ty::Boxed(inner) => cur = inner,
            Ty::Named(id) => match api.types.get(id.0).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => cur = inner,
                Some(TypeKind::Struct(s)) => return Shape::Struct(s),
                Some(TypeKind::Union(u)) => return Shape::Union(u),
                Some(TypeKind::Enum(e)) => return Shape::Enum(e),
                None => return Shape::Other(&ANY),
            },
            other => return Shape::Other(other),
        }
    }
    Shape::Other(&ANY)
}

/// What a union position knows beyond the chosen variant's own type.
struct UnionCtx<'a> {
    variant: &'a str,
    /// The keys any variant declares.
    keys: BTreeSet<&'a str>,
    /// The tag property and the variant's tag values, when serialising the variant adds the tag.
    injected_tag: Option<(&'a str, &'a [String])>,
}

struct Walk<'a> {
    api: &'a Api,
    out: Vec<Finding>,
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// A value in a message: scalars as JSON, containers by kind (never serialised whole).
fn show(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("an array of {}", a.len()),
        Value::Object(o) => format!("an object of {} keys", o.len()),
        Value::String(s) if s.chars().count() > 60 => {
            format!("{:?}...", s.chars().take(60).collect::<String>())
        }
        other => other.to_string(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Walk<'a> {
    fn push(&mut self, pointer: &str, lossy: bool, what: String) {
        self.out.push(Finding {
            pointer: pointer.to_owned(),
            lossy,
            what,
        });
    }

    fn changed(&mut self, pointer: &str, served: &Value, decoded: &Value) {
        let what = if kind(served) == kind(decoded) {
            format!("value changed: served {}, decoded {}", show(served), show(decoded))
        } else {
            format!("JSON type changed: served {}, decoded {}", kind(served), kind(decoded))
        };
        self.push(pointer, false, what);
    }

    fn value(&mut self, ty: &'a Ty, s: &Value, d: &Value, ptr: &str, depth: usize, ctx: Option<&UnionCtx<'a>>) {
        if depth > MAX_DEPTH {
            if !deep_equal(s, d) {
                let what = format!("differs below the comparison's depth limit ({MAX_DEPTH}), compared untyped");
                self.push(ptr, false, what);
            }
            return;
        }
        match shape(self.api, ty) {
            Shape::Struct(sd) => match (s, d) {
                (Value::Object(so), Value::Object(dobj)) => self.object(sd, so, dobj, ptr, depth, ctx),
                _ => self.scalar(s, d, ptr, depth, false),
            },
            Shape::Union(u) => self.union(u, s, d, ptr, depth, ctx),
            Shape::Enum(_) => self.scalar(s, d, ptr, depth, false),
            Shape::Other(t) => self.other(t, s, d, ptr, depth, ctx),
        }
    }

    fn other(&mut self, ty: &'a Ty, s: &Value, d: &Value, ptr: &str, depth: usize, ctx: Option<&UnionCtx<'a>>) {
        match (ty, s, d) {
            (Ty::Option(_), Value::Null, Value::Null) => {}
            (Ty::Option(inner), _, _) => self.value(inner, s, d, ptr, depth + 1, ctx),
            (Ty::Vec(item), Value::Array(sa), Value::Array(da)) => {
                self.array(sa, da, ptr, depth, |_| Some(&**item));
            }
            (Ty::Tuple(items), Value::Array(sa), Value::Array(da)) => {
                self.array(sa, da, ptr, depth, |i| items.get(i));
            }
            (Ty::Map(item), Value::Object(so), Value::Object(dobj)) => self.map(item, so, dobj, ptr, depth),
            (Ty::DateTime, Value::String(a), Value::String(b)) => {
                self.respelt(s, d, ptr, instant(a).is_some() && instant(a) == instant(b), "date-time")
            }
            (Ty::Date, Value::String(a), Value::String(b)) => {
                self.respelt(s, d, ptr, date(a).is_some() && date(a) == date(b), "date")
            }
            (Ty::Uuid, Value::String(a), Value::String(b)) => {
                self.respelt(s, d, ptr, uuid(a).is_some() && uuid(a) == uuid(b), "uuid")
            }
            (Ty::Bytes, Value::String(a), Value::String(b)) => self.respelt(
                s,
                d,
                ptr,
                base64(a).is_some() && base64(a) == base64(b),
                "base64 string",
            ),
            (Ty::Float(FloatTy::F32), _, _) => self.scalar(s, d, ptr, depth, true),
            // `Any`, and whatever else a JSON body can hold: compared as JSON.
            _ => self.scalar(s, d, ptr, depth, false),
        }
    }

    /// Equal, a lossy re-spelling (`same`: the same date, instant, uuid or bytes), or a mismatch.
    fn respelt(&mut self, s: &Value, d: &Value, ptr: &str, same: bool, what: &str) {
        if s == d {
            return;
        }
        if same {
            let what = format!("{what} reformatted: served {}, decoded {}", show(s), show(d));
            self.push(ptr, true, what);
        } else {
            self.changed(ptr, s, d);
        }
    }

    /// Untyped comparison (JSON values, scalars, and values of the wrong JSON type).
    fn scalar(&mut self, s: &Value, d: &Value, ptr: &str, depth: usize, f32: bool) {
        match (s, d) {
            (Value::Number(a), Value::Number(b)) => match numbers(a, b, f32) {
                Num::Same => {}
                Num::Rounded(to) => {
                    let what = format!("number rounded to {to}: served {a}, decoded {b}");
                    self.push(ptr, true, what);
                }
                Num::Different => self.changed(ptr, s, d),
            },
            (Value::Array(sa), Value::Array(da)) => self.array(sa, da, ptr, depth, |_| Some(&ANY)),
            (Value::Object(so), Value::Object(dobj)) => self.map(&ANY, so, dobj, ptr, depth),
            _ if s == d => {}
            _ => self.changed(ptr, s, d),
        }
    }

    fn array(&mut self, sa: &[Value], da: &[Value], ptr: &str, depth: usize, item: impl Fn(usize) -> Option<&'a Ty>) {
        if sa.len() != da.len() {
            let what = format!("array length changed: served {}, decoded {}", sa.len(), da.len());
            self.push(ptr, false, what);
        }
        for (i, (s, d)) in sa.iter().zip(da).enumerate() {
            let ty = item(i).unwrap_or(&ANY);
            self.value(ty, s, d, &child(ptr, &i.to_string()), depth + 1, None);
        }
    }

    /// A map (or a JSON object of `Any`): key by key.
    fn map(&mut self, item: &'a Ty, so: &Map<String, Value>, dobj: &Map<String, Value>, ptr: &str, depth: usize) {
        for (k, s) in so {
            let at = child(ptr, k);
            match dobj.get(k) {
                Some(d) => self.value(item, s, d, &at, depth + 1, None),
                None => self.push(&at, false, format!("entry lost: served {}, not decoded", show(s))),
            }
        }
        for (k, d) in dobj {
            if !so.contains_key(k) {
                let what = format!("entry invented: not served, decoded {}", show(d));
                self.push(&child(ptr, k), false, what);
            }
        }
    }

    fn object(
        &mut self,
        sd: &'a StructDef,
        so: &Map<String, Value>,
        dobj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        ctx: Option<&UnionCtx<'a>>,
    ) {
        let mut declared = BTreeSet::new();
        for f in &sd.fields {
            if !declared.insert(f.wire_name.as_str()) {
                continue;
            }
            let at = child(ptr, &f.wire_name);
            match (so.get(&f.wire_name), dobj.get(&f.wire_name)) {
                (None, None) => {}
                (Some(_), None) if f.read_only => {
                    self.push(&at, true, "read-only field: never serialised, so not compared".into());
                }
                (Some(Value::Null), None) => {
                    self.push(&at, true, "served null, decoded as absent (None is skipped)".into());
                }
                (Some(s), None) => {
                    self.push(&at, false, format!("field lost: served {}, not decoded", show(s)));
                }
                (None, Some(Value::Null)) => {
                    self.push(
                        &at,
                        true,
                        "not served, serialised as null (a nullable field's None)".into(),
                    );
                }
                (None, Some(d)) => match &f.presence {
                    Presence::Defaulted(dv) if self.is_default(&f.ty, dv, d, depth) => {
                        self.push(
                            &at,
                            true,
                            format!("not served, filled with the spec's default {}", show(d)),
                        );
                    }
                    _ => self.push(&at, false, format!("field invented: not served, decoded {}", show(d))),
                },
                (Some(s), Some(d)) => self.value(&f.ty, s, d, &at, depth + 1, None),
            }
        }
        let tag = ctx.and_then(|c| c.injected_tag);
        for (k, s) in so {
            if declared.contains(k.as_str()) {
                continue;
            }
            let at = child(ptr, k);
            match (&sd.additional, dobj.get(k)) {
                (Some(extra), Some(d)) => self.value(extra, s, d, &at, depth + 1, None),
                (Some(_), None) => {
                    let what = format!("additional property lost: served {}, not decoded", show(s));
                    self.push(&at, false, what);
                }
                (None, Some(d)) => match tag {
                    Some((key, values)) if key == k => self.tag(values, s, d, &at),
                    _ => self.value(&ANY, s, d, &at, depth + 1, None),
                },
                (None, None) => match ctx {
                    Some(c) if c.keys.contains(k.as_str()) && !s.is_null() => {
                        let what = format!(
                            "wrong variant: decoded as `{}`, which has no `{k}` (another variant declares it)",
                            c.variant
                        );
                        self.push(&at, false, what);
                    }
                    _ => self.push(&at, true, "unknown field dropped".into()),
                },
            }
        }
        for (k, d) in dobj {
            if declared.contains(k.as_str()) || so.contains_key(k) {
                continue;
            }
            let at = child(ptr, k);
            match tag {
                Some((key, _)) if key == k => {
                    self.push(
                        &at,
                        true,
                        format!("union tag added by the variant's serialisation: {}", show(d)),
                    );
                }
                _ => self.push(&at, false, format!("field invented: not served, decoded {}", show(d))),
            }
        }
    }

    /// The tag a variant's serialisation writes: the first of its tag values.
    fn tag(&mut self, values: &[String], s: &Value, d: &Value, at: &str) {
        if s == d {
            return;
        }
        let selects = |v: &Value| v.as_str().is_some_and(|v| values.iter().any(|t| t == v));
        if selects(s) && selects(d) {
            let what = format!(
                "tag written as the variant's first tag value: served {}, decoded {}",
                show(s),
                show(d)
            );
            self.push(at, true, what);
        } else {
            self.changed(at, s, d);
        }
    }

    /// Does `d` equal the default that decoding fills in for an absent field?
    fn is_default(&self, ty: &'a Ty, dv: &DefaultValue, d: &Value, depth: usize) -> bool {
        let Some(default) = default_json(self.api, ty, dv) else {
            return false;
        };
        let mut sub = Walk {
            api: self.api,
            out: Vec::new(),
        };
        sub.value(ty, &default, d, "", depth + 1, None);
        sub.out.iter().all(|f| f.lossy)
    }

    fn union(&mut self, u: &'a UnionDef, s: &Value, d: &Value, ptr: &str, depth: usize, outer: Option<&UnionCtx<'a>>) {
        let candidates: Vec<usize> = match &u.tag {
            Some(tag) => {
                let value = d.get(tag).and_then(Value::as_str);
                let picked: Vec<usize> = (0..u.variants.len())
                    .filter(|&i| value.is_some_and(|v| u.variants[i].tag_values.iter().any(|t| t == v)))
                    .collect();
                picked
            }
            None => (0..u.variants.len()).collect(),
        };
        // An unknown tag keeps the value as sent; a value no variant can have made is compared as JSON.
        let Some(best) = self.pick(u, &candidates, d) else {
            return self.scalar(s, d, ptr, depth, false);
        };
        let v = &u.variants[best];
        let (mut keys, mut budget) = (BTreeSet::new(), UNION_STEPS);
        for variant in &u.variants {
            self.declared_keys(&variant.ty, 0, &mut budget, &mut keys);
        }
        if let Some(tag) = &u.tag {
            keys.insert(tag.as_str());
        }
        if let Some(o) = outer {
            keys.extend(o.keys.iter().copied());
        }
        let ctx = UnionCtx {
            variant: &v.name,
            keys,
            injected_tag: match &u.tag {
                Some(tag) if v.injects_tag => Some((tag.as_str(), v.tag_values.as_slice())),
                _ => outer.and_then(|o| o.injected_tag),
            },
        };
        self.value(&v.ty, s, d, ptr, depth + 1, Some(&ctx));
    }

    /// The variant that best explains the decoded value: its JSON type fits, it has every field
    /// its serialisation always writes, and its declared keys cover the decoded keys best. The
    /// first such variant on a tie (untagged unions decode the first variant that fits).
    fn pick(&self, u: &'a UnionDef, candidates: &[usize], d: &Value) -> Option<usize> {
        let mut best: Option<(usize, (bool, i64))> = None;
        let mut budget = UNION_STEPS;
        for &i in candidates {
            let Some(score) = self.fit(&u.variants[i].ty, d, 0, &mut budget) else {
                continue;
            };
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Could `ty` serialise to `d`, and how well do its keys explain `d`'s: `None` when the JSON
    /// type does not fit; else (every always-written field present, covered minus other keys).
    fn fit(&self, ty: &'a Ty, d: &Value, nest: usize, budget: &mut usize) -> Option<(bool, i64)> {
        if nest > UNION_NESTING || *budget == 0 {
            return None;
        }
        *budget -= 1;
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        match shape(self.api, ty) {
            Shape::Struct(sd) => {
                let obj = d.as_object()?;
                let always = sd.fields.iter().filter(|f| {
                    !f.read_only
                        && match f.presence {
                            Presence::Required => !f.write_only,
                            Presence::RequiredNullable | Presence::Defaulted(_) => true,
                            _ => false,
                        }
                });
                let complete = always.into_iter().all(|f| obj.contains_key(&f.wire_name));
                let covered = obj
                    .keys()
                    .filter(|k| sd.additional.is_some() || sd.fields.iter().any(|f| &f.wire_name == *k))
                    .count();
                Some((complete, count(covered) - count(obj.len() - covered)))
            }
            Shape::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| self.fit(&v.ty, d, nest + 1, budget))
                .max()
                // A tagged union keeps a value of unknown tag as it is.
                .or_else(|| u.tag.is_some().then_some((true, 0))),
            Shape::Enum(e) => match (e.repr, d) {
                (EnumRepr::String, Value::String(_)) | (EnumRepr::Integer, Value::Number(_)) => Some((true, 0)),
                (EnumRepr::Mixed, Value::String(_) | Value::Number(_) | Value::Bool(_)) => Some((true, 0)),
                _ => None,
            },
            Shape::Other(t) => match (t, d) {
                (Ty::Option(_), Value::Null) => Some((true, 0)),
                (Ty::Option(inner), _) => self.fit(inner, d, nest + 1, budget),
                (Ty::Vec(_) | Ty::Tuple(_), Value::Array(_)) | (Ty::Map(_), Value::Object(_)) => Some((true, 0)),
                (Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Bytes, Value::String(_)) => Some((true, 0)),
                (Ty::Int(_), Value::Number(n)) if n.is_i64() || n.is_u64() => Some((true, 0)),
                (Ty::Float(_), Value::Number(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::Unit, Value::Null) => {
                    Some((true, 0))
                }
                (Ty::Any | Ty::Binary | Ty::File, _) => Some((true, 0)),
                _ => None,
            },
        }
    }

    /// The keys the object types at this position declare (through aliases and nested unions).
    fn declared_keys(&self, ty: &'a Ty, nest: usize, budget: &mut usize, out: &mut BTreeSet<&'a str>) {
        if nest > UNION_NESTING || *budget == 0 {
            return;
        }
        *budget -= 1;
        match shape(self.api, ty) {
            Shape::Struct(sd) => out.extend(sd.fields.iter().map(|f| f.wire_name.as_str())),
            Shape::Union(u) => {
                out.extend(u.tag.as_deref());
                for v in &u.variants {
                    self.declared_keys(&v.ty, nest + 1, budget, out);
                }
            }
            Shape::Other(Ty::Option(inner)) => self.declared_keys(inner, nest + 1, budget, out),
            Shape::Enum(_) | Shape::Other(_) => {}
        }
    }
}

/// The JSON of the value decoding fills in for an absent `Defaulted` field.
fn default_json(api: &Api, ty: &Ty, dv: &DefaultValue) -> Option<Value> {
    Some(match dv {
        DefaultValue::Bool(b) => Value::Bool(*b),
        DefaultValue::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
            (Ok(i), _) => Value::from(i),
            (_, Ok(u)) => Value::from(u),
            _ => return None,
        },
        DefaultValue::Float(f) => Value::Number(Number::from_f64(*f)?),
        DefaultValue::Str(s) => Value::String(s.clone()),
        DefaultValue::Variant(id, name) => {
            let Some(TypeKind::Enum(e)) = api.types.get(id.0).map(|t| &t.kind) else {
                return None;
            };
            let v = e.variants.iter().find(|v| &v.name == name)?;
            match e.repr {
                EnumRepr::String => Value::String(v.value.clone()),
                EnumRepr::Integer | EnumRepr::Mixed => serde_json::from_str(&v.value).ok()?,
            }
        }
        // Decoded as the field's type, falling back to the type's `Default` (see `emit::types`).
        DefaultValue::Json(text) => {
            let (walk, mut budget) = (Walk { api, out: Vec::new() }, UNION_STEPS);
            match serde_json::from_str::<Value>(text) {
                Ok(v) if walk.fit(ty, &v, 0, &mut budget).is_some() => v,
                _ => match shape(api, ty) {
                    Shape::Other(Ty::Vec(_)) => Value::Array(Vec::new()),
                    Shape::Other(Ty::Map(_)) => Value::Object(Map::new()),
                    Shape::Other(Ty::String) => Value::String(String::new()),
                    Shape::Other(Ty::Any | Ty::Option(_)) => Value::Null,
                    _ => return None,
                },
            }
        }
    })
}

enum Num {
    Same,
    Rounded(&'static str),
    Different,
}

fn integer(n: &Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// Integers exactly, an integer and a float numerically (`1` == `1.0`); a float field's rounding
/// of what it was sent is lossy.
fn numbers(a: &Number, b: &Number, f32: bool) -> Num {
    if let (Some(x), Some(y)) = (integer(a), integer(b)) {
        return if x == y { Num::Same } else { Num::Different };
    }
    let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) else {
        return if a == b { Num::Same } else { Num::Different };
    };
    let exact = match (integer(a), integer(b)) {
        (Some(i), None) => whole(y) == Some(i),
        (None, Some(i)) => whole(x) == Some(i),
        _ => x == y,
    };
    if exact {
        Num::Same
    } else if x == y {
        Num::Rounded("a 64-bit float")
    } else if f32 && x as f32 == y as f32 {
        Num::Rounded("a 32-bit float")
    } else {
        Num::Different
    }
}

/// The integer a float holds exactly, if any.
fn whole(f: f64) -> Option<i128> {
    // 2^126: well inside i128, beyond any JSON integer serde_json keeps as an integer.
    (f.fract() == 0.0 && f.abs() < 8.507_059_173_023_462e37).then_some(f as i128)
}

/// Equality without recursion, numbers compared as [`numbers`] does (exactly).
fn deep_equal(s: &Value, d: &Value) -> bool {
    let mut stack = vec![(s, d)];
    while let Some((s, d)) = stack.pop() {
        match (s, d) {
            (Value::Number(a), Value::Number(b)) => {
                if !matches!(numbers(a, b, false), Num::Same) {
                    return false;
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                stack.extend(a.iter().zip(b));
            }
            (Value::Object(a), Value::Object(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                for (k, v) in a {
                    let Some(w) = b.get(k) else { return false };
                    stack.push((v, w));
                }
            }
            (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => return false,
            _ if s == d => {}
            _ => return false,
        }
    }
    true
}

fn digits(text: &str) -> Option<u32> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Year, month and day of `YYYY-MM-DD`.
fn date(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d) = (digits(y).filter(|_| y.len() >= 4)?, digits(m)?, digits(d)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let max = *days.get(usize::try_from(m).ok()?.checked_sub(1)?)?;
    (1..=max).contains(&d).then_some((y, m, d))
}

/// Days from 1970-01-01 to a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The instant of a date-time as the client reads it (RFC 3339 with `T`, `t` or a space; `Z`,
/// `z`, `UTC` or a numeric offset; without an offset, UTC): seconds since the epoch and nanoseconds.
fn instant(text: &str) -> Option<(i64, u32)> {
    let (day, rest) = (text.get(..10)?, text.get(10..)?);
    let (y, mo, d) = date(day)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (h, mi, s) = (rest.get(..2)?, rest.get(3..5)?, rest.get(6..8)?);
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" {
        return None;
    }
    let (h, mi, s) = (
        digits(h).filter(|&h| h < 24)?,
        digits(mi).filter(|&m| m < 60)?,
        digits(s).filter(|&s| s <= 60)?,
    );
    let mut rest = rest.get(8..)?;
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let first: String = frac[..n].chars().take(9).collect();
        nanos = digits(&format!("{first:0<9}"))?;
        rest = &frac[n..];
    }
    let offset: i64 = match rest {
        "" | "Z" | "z" | "UTC" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let body = rest[1..].replace(':', "");
            if body.len() != 4 && body.len() != 2 {
                return None;
            }
            let oh = i64::from(digits(body.get(..2)?)?);
            let om = match body.get(2..)? {
                "" => 0,
                m => i64::from(digits(m)?),
            };
            sign * (oh * 3600 + om * 60)
        }
    };
    let days = days_from_civil(i64::from(y), i64::from(mo), i64::from(d));
    let secs = days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s) - offset;
    Some((secs, nanos))
}

/// The 32 lowercase hex digits of a uuid (hyphenated, simple, braced or URN, any case).
fn uuid(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let bare = lower.strip_prefix("urn:uuid:").unwrap_or(&lower);
    let bare = bare.strip_prefix('{').and_then(|b| b.strip_suffix('}')).unwrap_or(bare);
    let hex: String = bare.chars().filter(|&c| c != '-').collect();
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}

/// The bytes of base64 text, standard or URL-safe alphabet, padding optional.
fn base64(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    if text.len() - trimmed.len() > 2 || trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in trimmed.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = ((acc << 6) | u32::from(v)) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
