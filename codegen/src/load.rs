//! Stage 1: bytes -> JSON value tree. The only module that names the YAML crate.

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
            let mut yaml: serde_yaml::Value = serde_yaml::from_slice(bytes).map_err(|e| Error::Parse {
                location: Location {
                    file: file.to_owned(),
                    pointer: String::new(),
                    line_col: e.location().map(|l| (l.line(), l.column())),
                },
                format: "YAML",
                message: e.to_string(),
            })?;
            yaml.apply_merge().map_err(|e| Error::Parse {
                location: Location::new(file, ""),
                format: "YAML",
                message: e.to_string(),
            })?;
            yaml_to_json(file, yaml, &mut String::new())
        }
    }
}

/// Converts YAML to JSON values. Scalar mapping keys become strings (`200:` is a common unquoted key).
fn yaml_to_json(file: &str, value: serde_yaml::Value, pointer: &mut String) -> Result<Value, Error> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                // NaN and infinities have no JSON form; keep their text.
                let f = n.as_f64().unwrap_or(f64::NAN);
                Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                out.push(yaml_to_json(file, item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err(Error::spec(
                            file,
                            pointer.clone(),
                            "mapping keys must be scalars (strings or numbers)",
                        ))
                    }
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::diag::escape(&key));
                let v = yaml_to_json(file, v, pointer)?;
                pointer.truncate(len);
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(file, tagged.value, pointer)?,
    })
}
