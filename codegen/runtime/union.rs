//! Serde support for discriminated unions (`discriminator`, or `const`-tagged `oneOf` variants).
//!
//! The generated `Deserialize` reads the input once into a JSON value, looks at the tag and hands the
//! whole value, tag included, to the selected variant's type. Serde's internally tagged enums would
//! take the tag out of the variant's input instead, which breaks variant structs that declare the tag
//! as a required field.

use serde::de::{DeserializeOwned, Error};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The tag property of an object, when it is a string.
pub(crate) fn tag<'v>(value: &'v Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(Value::as_str)
}

/// Decodes the whole value into the variant selected by its tag. The value is
/// a fresh deserializer, so the path of a failure inside it (`owner.id`) is
/// found again on failure and put in the message: the caller's path tracking
/// ends at the union.
pub(crate) fn variant<T: DeserializeOwned, E: Error>(value: Value) -> Result<T, E> {
    T::deserialize(&value).map_err(|first| match serde_path_to_error::deserialize::<_, T>(&value) {
        Err(e)
            if e.path()
                .iter()
                .any(|s| !matches!(s, serde_path_to_error::Segment::Unknown)) =>
        {
            E::custom(format_args!("{}: {}", e.path(), e.inner()))
        }
        _ => E::custom(first),
    })
}

/// Serializes a variant whose type does not declare the tag property, adding `property: tag`.
pub(crate) fn with_tag<T: Serialize, S: Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let Value::Object(map) = &mut json {
        map.entry(property).or_insert_with(|| Value::from(tag));
    }
    json.serialize(serializer)
}
