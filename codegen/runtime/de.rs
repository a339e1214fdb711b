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

/// `Deserialize` for a generated struct, as one visitor over the object's keys:
/// `deserialize_struct!(Name, "Name", [index field "wire" kind, ...])`, where
/// `kind` is `required` (absent: an error), `option` (absent: `None`) or
/// `default(path)` (absent: `path()`). Unknown keys are skipped; a repeated
/// key keeps its last value. A macro, so the generated files stay short and
/// the expansion is cheap to compile (no proc macro, no field enum, no
/// sequence form).
#[allow(unused_macros)] // an API without (eligible) structs does not use it
macro_rules! deserialize_struct {
    ($name:ident, $expecting:literal, []) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", $expecting))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        while map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                            map.next_value::<::serde::de::IgnoredAny>()?;
                        }
                        Ok($name {})
                    }
                }
                deserializer.deserialize_struct($expecting, &[], Visitor)
            }
        }
    };
    ($name:ident, $expecting:literal, [$($index:literal $field:ident $wire:literal $kind:ident $(($default:path))?),+ $(,)?]) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$($wire),+];
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", $expecting))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field = None;)+
                        while let Some(key) = map.next_key_seed($crate::runtime::de::Field(FIELDS))? {
                            match key {
                                $(Some($index) => $field = Some(map.next_value()?),)+
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::runtime::de::finish!($kind $(($default))? $field $wire A),)+
                        })
                    }
                }
                deserializer.deserialize_struct($expecting, FIELDS, Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_struct;

/// A field's value once the object is read (see [`deserialize_struct!`]).
#[allow(unused_macros)]
macro_rules! finish {
    (required $field:ident $wire:literal $access:ident) => {
        $field.ok_or_else(|| <$access::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (option $field:ident $wire:literal $access:ident) => {
        $field.unwrap_or_default()
    };
    (default ($default:path) $field:ident $wire:literal $access:ident) => {
        $field.unwrap_or_else($default)
    };
}
#[allow(unused_imports)]
pub(crate) use finish;

/// `Serialize` (as its wire string) and `Deserialize` (through `From<String>`)
/// of a generated string enum: `string_enum_serialize!(Name)`,
/// `string_enum_deserialize!(Name)`.
#[allow(unused_macros)]
macro_rules! string_enum_serialize {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum_serialize;

#[allow(unused_macros)]
macro_rules! string_enum_deserialize {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum_deserialize;

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
