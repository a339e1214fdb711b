//! Serde support for bytes inside JSON values, which has no raw bytes:
//!
//! - `format: byte`: `Vec<u8>` in Rust, a base64 string (RFC 4648, standard alphabet) on the wire.
//!   Decoding accepts the string with or without `=` padding. Used as
//!   `#[serde(with = "crate::runtime::base64")]`.
//! - `format: binary` (pydantic's `bytes`): `Vec<u8>` in Rust, the bytes as a UTF-8 string on the
//!   wire, as pydantic writes and reads them. Bytes that are not UTF-8 cannot be sent this way and
//!   fail to serialize. Used as `#[serde(with = "crate::runtime::base64::text")]`.
//!
//! Either works on any field whose type is `Vec<u8>` nested in `Option`, `Nullable`, `Vec`,
//! `BTreeMap<String, _>` or `Box`.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Standard base64 with padding.
pub(crate) fn encode(input: &[u8]) -> String {
    super::auth::base64(input)
}

/// Standard base64, padding optional; whitespace is not allowed.
pub(crate) fn decode(input: &str) -> Result<Vec<u8>, String> {
    let trimmed = input.trim_end_matches('=');
    if input.len() - trimmed.len() > 2 {
        return Err("too much base64 padding".to_owned());
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in trimmed.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("invalid base64 character at offset {i}")),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("truncated base64 input".to_owned());
    }
    Ok(out)
}

/// How bytes are written as a JSON string.
pub(crate) trait Codec {
    fn encode(bytes: &[u8]) -> Result<String, String>;
    fn decode(text: String) -> Result<Vec<u8>, String>;
}

/// `format: byte`: base64.
pub(crate) struct Base64Codec;

impl Codec for Base64Codec {
    fn encode(bytes: &[u8]) -> Result<String, String> {
        Ok(encode(bytes))
    }
    fn decode(text: String) -> Result<Vec<u8>, String> {
        decode(&text)
    }
}

/// `format: binary`: the bytes as UTF-8 text.
pub(crate) struct TextCodec;

impl Codec for TextCodec {
    fn encode(bytes: &[u8]) -> Result<String, String> {
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            format!(
                "`format: binary` bytes are sent in JSON as UTF-8 text, and these are not UTF-8 ({e})"
            )
        })
    }
    fn decode(text: String) -> Result<Vec<u8>, String> {
        Ok(text.into_bytes())
    }
}

/// A value made of byte strings, each written with a codec.
pub(crate) trait ByteStrings: Sized {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Adapts a `ByteStrings` value to serde's traits, for nesting.
struct Wrap<T, C>(T, std::marker::PhantomData<C>);

impl<T: ByteStrings, C: Codec> Serialize for Wrap<&T, C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.encode_into::<C, S>(serializer)
    }
}

impl<'de, T: ByteStrings, C: Codec> Deserialize<'de> for Wrap<T, C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode_from::<C, D>(deserializer).map(wrap)
    }
}

fn wrap<T, C>(value: T) -> Wrap<T, C> {
    Wrap(value, std::marker::PhantomData)
}

impl ByteStrings for Vec<u8> {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&C::encode(self).map_err(serde::ser::Error::custom)?)
    }
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        C::decode(text).map_err(D::Error::custom)
    }
}

impl<T: ByteStrings> ByteStrings for Option<T> {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&wrap::<_, C>(v)),
            None => serializer.serialize_none(),
        }
    }
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Wrap<T, C>>::deserialize(deserializer).map(|v| v.map(|w| w.0))
    }
}

impl<T: ByteStrings> ByteStrings for super::Nullable<T> {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => serializer.serialize_some(&wrap::<_, C>(v)),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::decode_from::<C, D>(deserializer).map(Self::from)
    }
}

impl<T: ByteStrings> ByteStrings for Box<T> {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).encode_into::<C, S>(serializer)
    }
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode_from::<C, D>(deserializer).map(Box::new)
    }
}

impl<T: ByteStrings> ByteStrings for Vec<T> {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(wrap::<_, C>))
    }
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Wrap<T, C>>::deserialize(deserializer).map(|v| v.into_iter().map(|w| w.0).collect())
    }
}

impl<T: ByteStrings> ByteStrings for BTreeMap<String, T> {
    fn encode_into<C: Codec, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, wrap::<_, C>(v))))
    }
    fn decode_from<'de, C: Codec, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, Wrap<T, C>>::deserialize(deserializer).map(|m| m.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
}

pub(crate) fn serialize<T: ByteStrings, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.encode_into::<Base64Codec, S>(serializer)
}

pub(crate) fn deserialize<'de, T: ByteStrings, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::decode_from::<Base64Codec, D>(deserializer)
}

/// `format: binary` inside JSON: the bytes as UTF-8 text.
pub(crate) mod text {
    use serde::{Deserializer, Serializer};

    use super::{ByteStrings, TextCodec};

    pub(crate) fn serialize<T: ByteStrings, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.encode_into::<TextCodec, S>(serializer)
    }

    pub(crate) fn deserialize<'de, T: ByteStrings, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::decode_from::<TextCodec, D>(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn round_trips_with_and_without_padding() {
        for input in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let encoded = encode(input.as_bytes());
            assert_eq!(decode(&encoded).as_deref(), Ok(input.as_bytes()));
            assert_eq!(decode(encoded.trim_end_matches('=')).as_deref(), Ok(input.as_bytes()));
        }
        assert!(decode("Zm9v!").is_err());
        assert!(decode("Z").is_err());
    }
}
