//! Serde support for generated types: decoding a body with the JSON path of
//! a failure ([`from_slice`]); the written-out `Deserialize` impls of structs
//! (a visitor over the object's keys instead of a derive, less code to compile
//! per type) and the key lookup they share; and lenient date-times
//! ([`date_time`]).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, Error, Unexpected, Visitor};
use serde::Deserialize;

/// Decodes JSON. On failure the body is decoded a second time, tracking the
/// path (`items[3].owner.id`) of the value that failed; the path is `None`
/// when the failure is at the top level. Only failures pay for the tracking.
pub(crate) fn from_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, (serde_json::Error, Option<Box<str>>)> {
    serde_json::from_slice(body).map_err(|first| {
        let mut de = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(e) => {
                // Empty at the top level; `?` segments stand for keys that are not strings.
                let known = e
                    .path()
                    .iter()
                    .any(|s| !matches!(s, serde_path_to_error::Segment::Unknown));
                let path = known.then(|| e.path().to_string().into_boxed_str());
                (e.into_inner(), path)
            }
            // Decoding is deterministic; keep the first error if it was not.
            Ok(_) => (first, None),
        }
    })
}

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
/// `default(path)` (absent: `path()`), optionally followed by `date_time` for
/// a value holding date-times (decoded through [`date_time`]). Unknown keys
/// are skipped; a repeated
/// key keeps its last value. A macro, so the generated files stay short and
/// the expansion is cheap to compile (no proc macro, no field enum, no
/// sequence form).
#[allow(unused_macros)] // an API without (eligible) structs does not use it
macro_rules! deserialize_struct {
    ($name:ident, $expecting:literal, []) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", $expecting))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$name, __A::Error> {
                        while map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                            map.next_value::<::serde::de::IgnoredAny>()?;
                        }
                        Ok($name {})
                    }
                }
                deserializer.deserialize_struct($expecting, &[], __Visitor)
            }
        }
    };
    ($name:ident, $expecting:literal, [$($index:literal $field:ident $wire:literal $kind:ident $(($default:path))? $($date_time:ident)?),+ $(,)?]) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                const FIELDS: &[&str] = &[$($wire),+];
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", $expecting))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field = None;)+
                        while let Some(key) = map.next_key_seed($crate::runtime::de::Field(FIELDS))? {
                            match key {
                                $(Some($index) => $field = Some($crate::runtime::de::value!(map $($date_time)?)),)+
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::runtime::de::finish!($kind $(($default))? $field $wire __A),)+
                        })
                    }
                }
                deserializer.deserialize_struct($expecting, FIELDS, __Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_struct;

/// Reads a field's value (see [`deserialize_struct!`]).
#[allow(unused_macros)]
macro_rules! value {
    ($map:ident) => {
        $map.next_value()?
    };
    ($map:ident date_time) => {
        $map.next_value::<$crate::runtime::de::DateTimes<_, _>>()?.0
    };
}
#[allow(unused_imports)]
pub(crate) use value;

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
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum_deserialize;

/// `deserialize_with` for a value holding date-times (`format: date-time`):
/// `DateTime<Utc>`, possibly inside `Option`, `Vec`, `BTreeMap<String, _>`
/// or `Box`. Reads RFC 3339 as chrono does (`T` or `t` or a space between
/// date and time, `Z`, `z`, `UTC` or a numeric offset, any fraction of a
/// second), and a date-time without an offset (`2025-01-02T03:04:05`, as
/// Python's `datetime.isoformat()` writes naive values) as UTC.
pub(crate) fn date_time<'de, D: Deserializer<'de>, T: LenientDateTime<M>, M>(deserializer: D) -> Result<T, D::Error> {
    T::decode(deserializer)
}

/// A value holding date-times, decoded leniently; `M` tells the shape
/// (a marker, so that the leaf impl over `FromStr` and the container impls
/// cannot overlap) and is always inferred. The leaf is any `FromStr` type:
/// the runtime does not name chrono, which only APIs with dates depend on.
pub(crate) trait LenientDateTime<M>: Sized {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Shape markers of [`LenientDateTime`].
pub(crate) struct Leaf;
pub(crate) struct InOption<M>(PhantomData<M>);
pub(crate) struct InVec<M>(PhantomData<M>);
pub(crate) struct InMap<M>(PhantomData<M>);
pub(crate) struct InBox<M>(PhantomData<M>);
pub(crate) struct InNullable<M>(PhantomData<M>);

/// A [`LenientDateTime`] value as a `Deserialize` one, for nesting.
pub(crate) struct DateTimes<T, M>(pub(crate) T, PhantomData<M>);

impl<'de, T: LenientDateTime<M>, M> Deserialize<'de> for DateTimes<T, M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(|v| DateTimes(v, PhantomData))
    }
}

/// What the error message says a date-time should look like.
const EXPECTED_DATE_TIME: &str = "an RFC 3339 date-time such as 2025-01-02T03:04:05Z";

/// Parses a date-time; without an offset, as UTC. The strict parse comes
/// first, so a well-formed value is parsed once; `Z` is appended only after
/// it failed, and that parse succeeds only when the offset was all that was
/// missing.
pub(crate) fn parse_date_time<T: FromStr>(text: &str) -> Option<T> {
    text.parse().ok().or_else(|| {
        let mut utc = String::with_capacity(text.len() + 1);
        utc.push_str(text);
        utc.push('Z');
        utc.parse().ok()
    })
}

struct DateTimeVisitor<T>(PhantomData<T>);

impl<T: FromStr> Visitor<'_> for DateTimeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED_DATE_TIME)
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
        parse_date_time(text).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

impl<T: FromStr> LenientDateTime<Leaf> for T {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor(PhantomData))
    }
}

impl<M, T: LenientDateTime<M>> LenientDateTime<InOption<M>> for Option<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<DateTimes<T, M>>::deserialize(deserializer).map(|v| v.map(|w| w.0))
    }
}

/// An optional nullable field: a present `null` is `Null`, an absent key the field's default.
impl<M, T: LenientDateTime<M>> LenientDateTime<InNullable<M>> for super::Nullable<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Option<T> as LenientDateTime<InOption<M>>>::decode(deserializer).map(super::Nullable::from)
    }
}

impl<M, T: LenientDateTime<M>> LenientDateTime<InVec<M>> for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<DateTimes<T, M>>::deserialize(deserializer).map(|v| v.into_iter().map(|w| w.0).collect())
    }
}

impl<M, T: LenientDateTime<M>> LenientDateTime<InMap<M>> for BTreeMap<String, T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, DateTimes<T, M>>::deserialize(deserializer)
            .map(|m| m.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
}

impl<M, T: LenientDateTime<M>> LenientDateTime<InBox<M>> for Box<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(Box::new)
    }
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
