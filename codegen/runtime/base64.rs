//! Serde support for `format: byte` values: `Vec<u8>` in Rust, a base64 string (RFC 4648, standard
//! alphabet) on the wire. Decoding accepts the string with or without `=` padding.
//!
//! Used as `#[serde(with = "crate::runtime::base64")]` on any field whose type is `Vec<u8>` nested in
//! `Option`, `Nullable`, `Vec`, `BTreeMap<String, _>` or `Box`.

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

/// A value made of base64-encoded byte strings.
pub(crate) trait Base64: Sized {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Adapts a `Base64` value to serde's traits, for nesting.
struct Wrap<T>(T);

impl<T: Base64> Serialize for Wrap<&T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.encode_into(serializer)
    }
}

impl<'de, T: Base64> Deserialize<'de> for Wrap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode_from(deserializer).map(Wrap)
    }
}

impl Base64 for Vec<u8> {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(self))
    }
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text).map_err(D::Error::custom)
    }
}

impl<T: Base64> Base64 for Option<T> {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&Wrap(v)),
            None => serializer.serialize_none(),
        }
    }
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Wrap<T>>::deserialize(deserializer).map(|v| v.map(|w| w.0))
    }
}

impl<T: Base64> Base64 for super::Nullable<T> {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => serializer.serialize_some(&Wrap(v)),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::decode_from(deserializer).map(Self::from)
    }
}

impl<T: Base64> Base64 for Box<T> {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).encode_into(serializer)
    }
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode_from(deserializer).map(Box::new)
    }
}

impl<T: Base64> Base64 for Vec<T> {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Wrap))
    }
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Wrap<T>>::deserialize(deserializer).map(|v| v.into_iter().map(|w| w.0).collect())
    }
}

impl<T: Base64> Base64 for BTreeMap<String, T> {
    fn encode_into<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Wrap(v))))
    }
    fn decode_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, Wrap<T>>::deserialize(deserializer).map(|m| m.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
}

pub(crate) fn serialize<T: Base64, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.encode_into(serializer)
}

pub(crate) fn deserialize<'de, T: Base64, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::decode_from(deserializer)
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
