//! A structure-aware mutator for OpenAPI documents, driven by a seeded `fastrand::Rng` so every
//! case can be replayed from its seed: it deletes keys, swaps types, breaks `$ref`s, creates `$ref`
//! cycles, nests schemas very deep, adds huge enums and numbers no Rust type holds, and renames keys
//! to hostile text. A byte-level mutator (flip, insert, delete, splice) covers the parsers.

use serde_json::{json, Map, Value};

/// Text spliced in after serialization, for what a `serde_json::Value` cannot hold (numbers out of
/// range) or should not hold (10,000 levels: building and dropping such a tree is itself recursive).
const DEEP: &str = "__hardening_deep__";
const BIGNUM: &str = "__hardening_bignum__";

/// One mutated document, ready to generate from.
pub struct Mutant {
    pub bytes: Vec<u8>,
    /// `spec.json` or `spec.yaml`: decides how the generator parses it.
    pub display: &'static str,
    pub ops: Vec<&'static str>,
}

/// Applies 1-4 random mutations to a copy of `doc` and serializes it as JSON or YAML.
pub fn structural(doc: &Value, rng: &mut fastrand::Rng) -> Mutant {
    let mut doc = doc.clone();
    let mut ops = Vec::new();
    let mut splices: Vec<(String, String)> = Vec::new();
    for _ in 0..rng.usize(1..=4) {
        ops.push(mutate_once(&mut doc, rng, &mut splices));
    }
    let yaml = rng.u8(0..4) == 0;
    let mut text = if yaml {
        serde_yaml::to_string(&doc).unwrap_or_default()
    } else {
        serde_json::to_string(&doc).unwrap_or_default()
    };
    for (placeholder, replacement) in splices {
        // A placeholder is a string value; YAML writes it bare, JSON in quotes.
        let quoted = format!("\"{placeholder}\"");
        if text.contains(&quoted) {
            text = text.replacen(&quoted, &replacement, 1);
        } else {
            text = text.replacen(&placeholder, &replacement, 1);
        }
    }
    Mutant {
        bytes: text.into_bytes(),
        display: if yaml { "spec.yaml" } else { "spec.json" },
        ops,
    }
}

/// libFuzzer-style byte mutations of an already serialized document.
pub fn bytes(base: &[u8], rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut out = base.to_vec();
    for _ in 0..rng.usize(1..=8) {
        let len = out.len();
        match rng.u8(0..6) {
            0 if len > 0 => {
                let i = rng.usize(0..len);
                out[i] ^= 1 << rng.u8(0..8);
            }
            1 => {
                let i = rng.usize(0..=len);
                let b = *rng.choice(b"{}[]\":,'&*!|>-#\n\\ 0\x00\xff".iter()).unwrap_or(&b'x');
                out.insert(i, b);
            }
            2 if len > 0 => {
                let i = rng.usize(0..len);
                let n = rng.usize(1..=16.min(len - i));
                out.drain(i..i + n);
            }
            3 if len > 0 => {
                // Copy a chunk elsewhere (duplicates keys, unbalances brackets).
                let i = rng.usize(0..len);
                let n = rng.usize(1..=64.min(len - i));
                let chunk = out[i..i + n].to_vec();
                let at = rng.usize(0..=len);
                out.splice(at..at, chunk);
            }
            4 if len > 0 => out.truncate(rng.usize(0..len)),
            _ => {
                let i = rng.usize(0..=len);
                let junk = *rng
                    .choice(["1e999", "-0", "null", "\"$ref\"", "~1", "%", "\u{feff}"].iter())
                    .unwrap_or(&"");
                out.splice(i..i, junk.bytes());
            }
        }
    }
    out
}

fn mutate_once(doc: &mut Value, rng: &mut fastrand::Rng, splices: &mut Vec<(String, String)>) -> &'static str {
    match rng.u8(0..11) {
        0 => {
            delete_key(doc, rng);
            "delete-key"
        }
        1 => {
            swap_type(doc, rng);
            "swap-type"
        }
        2 => {
            break_ref(doc, rng);
            "break-ref"
        }
        3 => {
            ref_cycle(doc, rng);
            "ref-cycle"
        }
        4 => {
            let depth = *rng.choice([10usize, 40, 60, 63, 64, 200, 10_000].iter()).unwrap_or(&10);
            let placeholder = format!("{DEEP}{}", splices.len());
            if let Some(slot) = random_schema_slot(doc, rng) {
                *slot = Value::String(placeholder.clone());
                splices.push((placeholder, deep_text(depth, rng)));
            }
            "deep-nesting"
        }
        5 => {
            huge_enum(doc, rng);
            "huge-enum"
        }
        6 => {
            let placeholder = format!("{BIGNUM}{}", splices.len());
            if let Some(slot) = random_number_slot(doc, rng) {
                *slot = Value::String(placeholder.clone());
                let n = *rng
                    .choice(
                        [
                            "1e400",
                            "-1e400",
                            "18446744073709551616",
                            "-9223372036854775809",
                            "1e-400",
                            "123456789012345678901234567890",
                        ]
                        .iter(),
                    )
                    .unwrap_or(&"1e400");
                splices.push((placeholder, n.to_owned()));
            }
            "number-out-of-range"
        }
        7 => {
            rename_key(doc, rng);
            "hostile-key"
        }
        8 => {
            copy_subtree(doc, rng);
            "copy-subtree"
        }
        9 => {
            constraint_noise(doc, rng);
            "constraint-noise"
        }
        _ => {
            combinator_noise(doc, rng);
            "combinator-noise"
        }
    }
}

/// Every node's path from the root (as indices into objects and arrays), for random picks.
fn nodes(doc: &Value) -> Vec<Vec<PathSeg>> {
    let mut out = Vec::new();
    let mut stack = vec![(doc, Vec::new())];
    while let Some((v, path)) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let mut p = path.clone();
                    p.push(PathSeg::Key(k.clone()));
                    stack.push((child, p));
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(PathSeg::Index(i));
                    stack.push((child, p));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

#[derive(Clone)]
enum PathSeg {
    Key(String),
    Index(usize),
}

fn at<'v>(doc: &'v mut Value, path: &[PathSeg]) -> Option<&'v mut Value> {
    let mut cur = doc;
    for seg in path {
        cur = match (seg, cur) {
            (PathSeg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (PathSeg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A random node; biased towards the interesting parts (schemas, paths) by sampling a few.
fn random_node<'v>(
    doc: &'v mut Value,
    rng: &mut fastrand::Rng,
    want: impl Fn(&Value) -> bool,
) -> Option<&'v mut Value> {
    let all = nodes(doc);
    let candidates: Vec<&Vec<PathSeg>> = {
        let probe: &Value = doc;
        all.iter().filter(|p| lookup(probe, p).is_some_and(&want)).collect()
    };
    let path = (*rng.choice(candidates.iter())?).clone();
    at(doc, &path)
}

fn lookup<'v>(doc: &'v Value, path: &[PathSeg]) -> Option<&'v Value> {
    let mut cur = doc;
    for seg in path {
        cur = match (seg, cur) {
            (PathSeg::Key(k), Value::Object(m)) => m.get(k)?,
            (PathSeg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn delete_key(doc: &mut Value, rng: &mut fastrand::Rng) {
    if let Some(Value::Object(m)) = random_node(doc, rng, |v| v.as_object().is_some_and(|m| !m.is_empty())) {
        let i = rng.usize(0..m.len());
        if let Some(k) = m.keys().nth(i).cloned() {
            m.shift_remove(&k);
        }
    }
}

fn swap_type(doc: &mut Value, rng: &mut fastrand::Rng) {
    // Half the time change a `type` keyword, else replace any node by a value of another kind.
    if rng.bool() {
        if let Some(Value::Object(m)) = random_node(doc, rng, |v| v.get("type").is_some()) {
            let ty = *rng
                .choice(
                    [
                        "string", "integer", "number", "boolean", "array", "object", "null", "file", "bogus",
                    ]
                    .iter(),
                )
                .unwrap_or(&"string");
            let new = match rng.u8(0..4) {
                0 => json!([ty, "null"]),
                1 => json!(7),
                _ => json!(ty),
            };
            m.insert("type".into(), new);
        }
        return;
    }
    if let Some(v) = random_node(doc, rng, |_| true) {
        *v = match rng.u8(0..7) {
            0 => Value::Null,
            1 => json!(true),
            2 => json!(-1),
            3 => json!("text"),
            4 => json!([]),
            5 => json!({}),
            _ => json!([{"$ref": "#/"}]),
        };
    }
}

fn break_ref(doc: &mut Value, rng: &mut fastrand::Rng) {
    let target = *rng
        .choice(
            [
                "#/components/schemas/DoesNotExist",
                "#/components/schemas/",
                "#",
                "#/",
                "#/paths",
                "#/info/title",
                "#/components/schemas/A/properties/~2",
                "#/components/schemas/%ZZ",
                "other.yaml#/components/schemas/A",
                "../../../../../../dev/zero",
                "https://example.invalid/x.yaml#/A",
                "#/components/parameters/0",
                "",
                "#/components/schemas/A~1B",
            ]
            .iter(),
        )
        .unwrap_or(&"#");
    if let Some(Value::Object(m)) = random_node(doc, rng, |v| v.get("$ref").is_some()) {
        m.insert("$ref".into(), json!(target));
    } else if let Some(v) = random_node(doc, rng, Value::is_object) {
        *v = json!({ "$ref": target });
    }
}

fn schema_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn ref_to(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")) })
}

fn ref_cycle(doc: &mut Value, rng: &mut fastrand::Rng) {
    let names = schema_names(doc);
    let (a, b) = match (rng.choice(names.iter()), rng.choice(names.iter())) {
        (Some(a), Some(b)) => (a.clone(), b.clone()),
        _ => ("A".to_owned(), "B".to_owned()),
    };
    let Some(Value::Object(schemas)) = ensure_schemas(doc) else {
        return;
    };
    match rng.u8(0..5) {
        // A -> B -> A, pure references: no type can be built from it.
        0 => {
            schemas.insert(a.clone(), ref_to(&b));
            schemas.insert(b, ref_to(&a));
        }
        // A -> A.
        1 => {
            schemas.insert(a.clone(), ref_to(&a));
        }
        // Through allOf / anyOf / items / additionalProperties, mixing legal recursion in.
        2 => {
            schemas.insert(a.clone(), json!({ "allOf": [ref_to(&b)] }));
            schemas.insert(b, json!({ "allOf": [ref_to(&a)], "type": "object" }));
        }
        3 => {
            schemas.insert(a.clone(), json!({ "type": "array", "items": ref_to(&a) }));
        }
        _ => {
            schemas.insert(
                a.clone(),
                json!({ "anyOf": [ref_to(&a), { "type": "object", "additionalProperties": ref_to(&b) }] }),
            );
            schemas.insert(b, json!({ "oneOf": [ref_to(&a)], "discriminator": { "propertyName": "kind", "mapping": { "x": "#/components/schemas/Nope" } } }));
        }
    }
}

fn ensure_schemas(doc: &mut Value) -> Option<&mut Value> {
    let root = doc.as_object_mut()?;
    let components = root.entry("components").or_insert_with(|| json!({}));
    let components = components.as_object_mut()?;
    Some(components.entry("schemas").or_insert_with(|| json!({})))
}

/// Slots that hold a schema: component schemas, properties, `items`, or any object at all.
fn random_schema_slot<'v>(doc: &'v mut Value, rng: &mut fastrand::Rng) -> Option<&'v mut Value> {
    if rng.bool() {
        random_node(doc, rng, |v| v.get("type").is_some() || v.get("$ref").is_some())
    } else {
        random_node(doc, rng, Value::is_object)
    }
}

fn random_number_slot<'v>(doc: &'v mut Value, rng: &mut fastrand::Rng) -> Option<&'v mut Value> {
    if rng.bool() {
        random_node(doc, rng, Value::is_number)
    } else {
        // Put the number where a number is expected: a constraint, a default or an enum.
        let m = random_node(doc, rng, |v| v.get("type").is_some())?.as_object_mut()?;
        let key = *rng
            .choice(
                [
                    "minimum",
                    "maximum",
                    "maxLength",
                    "minItems",
                    "default",
                    "multipleOf",
                    "exclusiveMinimum",
                    "const",
                ]
                .iter(),
            )
            .unwrap_or(&"minimum");
        m.insert(key.into(), Value::Null);
        m.get_mut(key)
    }
}

/// A schema nested `depth` levels deep, as JSON text (also valid YAML flow style).
fn deep_text(depth: usize, rng: &mut fastrand::Rng) -> String {
    let (open, close) = match rng.u8(0..4) {
        0 => ("{\"type\":\"object\",\"properties\":{\"a\":", "}}"),
        1 => ("{\"type\":\"array\",\"items\":", "}"),
        2 => ("{\"allOf\":[", "]}"),
        _ => ("{\"anyOf\":[{\"type\":\"string\"},", "]}"),
    };
    let mut s = String::with_capacity(depth * (open.len() + close.len()) + 20);
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str("{\"type\":\"string\"}");
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

fn huge_enum(doc: &mut Value, rng: &mut fastrand::Rng) {
    let n = *rng.choice([1_000usize, 20_000, 100_000].iter()).unwrap_or(&1_000);
    let values: Vec<Value> = match rng.u8(0..4) {
        0 => (0..n).map(|i| json!(format!("v{i}"))).collect(),
        1 => (0..n).map(|i| json!(i as i64 * 7 - 3)).collect(),
        // Names that collide after case conversion.
        2 => (0..n)
            .map(|i| {
                json!(if i % 2 == 0 {
                    format!("a-{i}")
                } else {
                    format!("A_{}", i - 1)
                })
            })
            .collect(),
        _ => (0..n)
            .map(|i| if i % 3 == 0 { json!(null) } else { json!(i as f64 / 3.0) })
            .collect(),
    };
    if let Some(Value::Object(m)) = random_schema_slot(doc, rng) {
        m.insert("enum".into(), Value::Array(values));
    }
}

fn rename_key(doc: &mut Value, rng: &mut fastrand::Rng) {
    let hostile = *rng
        .choice(
            [
                "",
                "type",
                "self",
                "Self",
                "*/",
                "\"#]",
                "a\nb",
                "\0",
                "\\",
                "ünïcödé",
                "1st",
                "a b/c",
                "~",
                "/",
                "{x}",
                "__",
            ]
            .iter(),
        )
        .unwrap_or(&"");
    if let Some(Value::Object(m)) = random_node(doc, rng, |v| v.as_object().is_some_and(|m| !m.is_empty())) {
        let i = rng.usize(0..m.len());
        if let Some(k) = m.keys().nth(i).cloned() {
            if let Some(v) = m.shift_remove(&k) {
                m.insert(hostile.to_owned(), v);
            }
        }
    }
}

fn copy_subtree(doc: &mut Value, rng: &mut fastrand::Rng) {
    let all = nodes(doc);
    let (Some(from), Some(to)) = (rng.choice(all.iter()), rng.choice(all.iter())) else {
        return;
    };
    let Some(value) = lookup(doc, from).cloned() else {
        return;
    };
    // Cap the growth: copying the root into itself repeatedly doubles the document.
    if serde_json::to_string(&value).map(|s| s.len()).unwrap_or(0) > 200_000 {
        return;
    }
    if let Some(slot) = at(doc, to) {
        *slot = value;
    }
}

fn constraint_noise(doc: &mut Value, rng: &mut fastrand::Rng) {
    if let Some(Value::Object(m)) = random_node(doc, rng, |v| v.get("type").is_some()) {
        let (k, v) = match rng.u8(0..8) {
            0 => ("pattern", json!("(unclosed[")),
            1 => ("maxLength", json!(-5)),
            2 => ("minimum", json!("not a number")),
            3 => ("format", json!("int128")),
            4 => ("nullable", json!("yes")),
            5 => ("required", json!([1, "x", "x", null])),
            6 => ("default", json!({"deep": [1, 2, {"x": null}]})),
            _ => ("not", json!({"type": "string"})),
        };
        m.insert(k.into(), v);
    }
}

fn combinator_noise(doc: &mut Value, rng: &mut fastrand::Rng) {
    let names = schema_names(doc);
    let pick = |rng: &mut fastrand::Rng| rng.choice(names.iter()).map(|n| ref_to(n)).unwrap_or_else(|| json!({}));
    let mut m = Map::new();
    match rng.u8(0..5) {
        0 => m.insert("oneOf".into(), json!([pick(rng), pick(rng), {"type": "null"}])),
        1 => m.insert(
            "allOf".into(),
            json!([pick(rng), {"type": "string"}, {"type": "integer"}]),
        ),
        2 => m.insert("anyOf".into(), json!([])),
        3 => m.insert("type".into(), json!(["string", "integer", "array", "object", "null"])),
        _ => m.insert("prefixItems".into(), json!([pick(rng), true, false])),
    };
    if let Some(slot) = random_schema_slot(doc, rng) {
        *slot = Value::Object(m);
    }
}
