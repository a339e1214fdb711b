//! Serde support for generated structs: their `Deserialize` impls are written
//! out by the generator (a visitor over the object's keys) instead of
//! derived, which is less code to compile per type; the key lookup they share
//! lives here, compiled once.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, Visitor};

/// Reads an object key and finds it among a struct's wire names: `Some(index)`,
/// or `None` for a key the struct does not declare (its value is skipped).
#[derive(Clone, Copy)]
pub(crate) struct Field(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key))
    }
}

/// The error for a required property the object lacks.
pub(crate) fn missing<E: Error>(name: &'static str) -> E {
    E::missing_field(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_by_wire_name() {
        let fields = Field(&["id", "display_name"]);
        let mut de = serde_json::Deserializer::from_str("\"display_name\"");
        assert_eq!(fields.deserialize(&mut de).ok(), Some(Some(1)));
        let mut de = serde_json::Deserializer::from_str("\"other\"");
        assert_eq!(fields.deserialize(&mut de).ok(), Some(None));
        // Escaped keys are unescaped before the lookup.
        let mut de = serde_json::Deserializer::from_str("\"\\u0069d\"");
        assert_eq!(fields.deserialize(&mut de).ok(), Some(Some(0)));
    }
}
