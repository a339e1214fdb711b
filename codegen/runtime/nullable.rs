//! Serde support for optional nullable fields of request types, `Option<Option<T>>`:
//! `None` is omitted, `Some(None)` is sent as `null`, `Some(Some(v))` as the value.
//! Used as `#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::nullable")]`,
//! so a PATCH can tell "leave unchanged" (absent) from "clear" (null).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        // Skipped by `skip_serializing_if`; serialized as `null` if a caller forgets the attribute.
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    // Only called when the key is present (absent keys take `#[serde(default)]`), so a present
    // `null` becomes `Some(None)`.
    Option::<T>::deserialize(deserializer).map(Some)
}
