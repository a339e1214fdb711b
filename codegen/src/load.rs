//! Stage 1: bytes -> JSON value tree. The only module that names the YAML crate.

pub mod locate;

use serde_json::{Map, Number, Value};

use crate::diag::{Error, Location};

/// The input format, decided from the file extension or, failing that, the first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

pub fn detect(file: &str, bytes: &[u8]) -> Format {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return Format::Json;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Format::Yaml;
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// Parses a spec document. Errors carry the file and, where the parser knows it, the line and column.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Value, Error> {
    match detect(file, bytes) {
        Format::Json => serde_json::from_slice(bytes).map_err(|e| Error::Parse {
            location: Location {
                file: file.to_owned(),
                pointer: String::new(),
                line_col: Some((e.line(), e.column())),
            },
            format: "JSON",
            message: e.to_string(),
        }),
        Format::Yaml => {
            let JsonFromYaml(value) = serde_yaml::from_slice(bytes).map_err(|e| Error::Parse {
                location: Location {
                    file: file.to_owned(),
                    pointer: String::new(),
                    line_col: e.location().map(|l| (l.line(), l.column())),
                },
                format: "YAML",
                message: e.to_string(),
            })?;
            Ok(value)
        }
    }
}

/// Builds a JSON value straight from YAML events: no intermediate YAML tree, integers beyond 64
/// bits become floats (real specs write `minimum: -9223372036854776000`), scalar mapping keys become
/// strings (`200:` is a common unquoted key), and `<<` merge keys are applied.
struct JsonFromYaml(Value);

impl<'de> serde::Deserialize<'de> for JsonFromYaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(JsonFromYaml)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(JsonFromYaml(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged: Vec<Value> = Vec::new();
        while let Some(JsonFromYaml(key)) = map.next_key()? {
            let JsonFromYaml(value) = map.next_value()?;
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_owned(),
                _ => {
                    return Err(serde::de::Error::custom(
                        "mapping keys must be scalars (strings or numbers)",
                    ))
                }
            };
            if key == "<<" {
                merged.push(value);
            } else {
                out.insert(key, value);
            }
        }
        // `<<: *base` (or a list of them): keys written here win over merged ones.
        for m in merged {
            let sources = match m {
                Value::Array(list) => list,
                other => vec![other],
            };
            for source in sources {
                if let Value::Object(src) = source {
                    for (k, v) in src {
                        out.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged YAML node (`!tag value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (JsonFromYaml(_tag), variant) = data.variant()?;
        variant.newtype_variant::<JsonFromYaml>().map(|JsonFromYaml(v)| v)
    }
}

fn float(f: f64) -> Value {
    // NaN and infinities have no JSON form; keep their text.
    Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

/// Reads another file that a `$ref` points into (`display` is how messages name it).
pub fn read_external(path: &std::path::Path, display: &str) -> Result<Value, Error> {
    let io = |e| Error::Io {
        file: display.to_owned(),
        source: e,
    };
    // A `$ref` can name any relative path, `../../dev/zero` included: read only regular files of
    // a sane size, so a hostile spec cannot make generation hang or exhaust memory.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() || meta.len() > MAX_EXTERNAL_BYTES {
        return Err(io(std::io::Error::other(format!(
            "not a regular file of at most {} MiB",
            MAX_EXTERNAL_BYTES >> 20
        ))));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    parse(display, &bytes)
}

const MAX_EXTERNAL_BYTES: u64 = 64 << 20;
