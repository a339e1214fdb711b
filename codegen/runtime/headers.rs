//! Typed access to the response headers an API documents.
//!
//! An operation whose responses declare headers gets a headers type (for
//! example `CreateWidgetHeaders`): a wrapper of the [`HeaderMap`] with one
//! accessor per declared header, each a one-line call into [`header`],
//! [`header_str`] or [`header_json`]. The wrapper dereferences to the map, so
//! undeclared headers stay reachable by name.
//!
//! An accessor returns `None` when the header is absent or its value does not
//! parse as the declared type: a header is metadata, and one malformed value
//! should not turn a successful call into an error. The raw value stays
//! reachable through `get(name)`.

use reqwest::header::HeaderMap;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// Error responses whose documented headers have a typed view: implemented by
/// the operations' error enums that declare headers, whose view
/// [`Error::typed_headers`](crate::Error::typed_headers) returns.
pub trait ErrorHeaders {
    /// The typed view of the error responses' headers.
    type Headers: From<HeaderMap>;
}

/// The value of header `name` as UTF-8 text (the first one when the header
/// is repeated).
pub(crate) fn header_str<'a>(map: &'a HeaderMap, name: &str) -> Option<&'a str> {
    map.get(name)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
        .map(str::trim)
}

/// Header `name` read in OpenAPI's `simple` style as `T`: numbers and
/// booleans as written, enums by their wire value, arrays as comma-separated
/// items. All the header's lines count for an array (HTTP joins repeated
/// headers with commas), the first one for anything else.
pub(crate) fn header<T: DeserializeOwned>(map: &HeaderMap, name: &str) -> Option<T> {
    let mut values = map.get_all(name).iter();
    let first = std::str::from_utf8(values.next()?.as_bytes()).ok()?;
    let mut rest = Vec::new();
    for v in values {
        rest.push(std::str::from_utf8(v.as_bytes()).ok()?);
    }
    T::deserialize(Simple {
        value: first.trim(),
        rest: &rest,
    })
    .ok()
}

/// A `date-time` header: RFC 3339 as OpenAPI says, or an HTTP-date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, the format of `Last-Modified`,
/// `Expires` and `Date`), which many APIs send instead.
pub(crate) fn header_date_time<T: DeserializeOwned>(map: &HeaderMap, name: &str) -> Option<T> {
    header(map, name).or_else(|| {
        let at = httpdate::parse_http_date(header_str(map, name)?).ok()?;
        let secs = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        T::deserialize(Simple {
            value: &rfc3339(secs),
            rest: &[],
        })
        .ok()
    })
}

/// Seconds since the Unix epoch as an RFC 3339 UTC date-time (the civil
/// date by Howard Hinnant's `civil_from_days`).
fn rfc3339(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Header `name` whose value is JSON text (a `content` header).
pub(crate) fn header_json<T: DeserializeOwned>(map: &HeaderMap, name: &str) -> Option<T> {
    super::de::from_slice(map.get(name)?.as_bytes()).ok()
}

/// The conversions and `Deref` of a typed headers view `$name`, a
/// `struct $name(HeaderMap)`; with `errors of $err`, also the
/// [`ErrorHeaders`] of the error enum `$err`.
#[allow(unused_macros)] // a spec may declare no response headers
macro_rules! typed_headers {
    ($name:ident) => {
        impl ::std::convert::From<::reqwest::header::HeaderMap> for $name {
            #[inline]
            fn from(map: ::reqwest::header::HeaderMap) -> Self {
                Self(map)
            }
        }

        impl ::std::convert::From<$name> for ::reqwest::header::HeaderMap {
            #[inline]
            fn from(headers: $name) -> Self {
                headers.0
            }
        }

        impl ::std::borrow::Borrow<::reqwest::header::HeaderMap> for $name {
            #[inline]
            fn borrow(&self) -> &::reqwest::header::HeaderMap {
                &self.0
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = ::reqwest::header::HeaderMap;
            #[inline]
            fn deref(&self) -> &::reqwest::header::HeaderMap {
                &self.0
            }
        }
    };
    ($name:ident, errors of $err:ty) => {
        $crate::runtime::typed_headers!($name);

        impl $crate::runtime::ErrorHeaders for $err {
            type Headers = $name;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use typed_headers;

/// A header value as a serde `Deserializer` for OpenAPI's `simple` style.
struct Simple<'a> {
    value: &'a str,
    /// The values of further lines of the same header (arrays only).
    rest: &'a [&'a str],
}

type DeError = de::value::Error;

fn invalid(what: &str) -> DeError {
    de::Error::custom(format_args!("not a valid {what}"))
}

macro_rules! parse_number {
    ($($method:ident $visit:ident $ty:ty,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.value.parse::<$ty>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => Err(invalid(stringify!($ty))),
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for Simple<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.value)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(invalid("boolean")),
        }
    }

    parse_number! {
        deserialize_i8 visit_i8 i8,
        deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64,
        deserialize_i128 visit_i128 i128,
        deserialize_u8 visit_u8 u8,
        deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32,
        deserialize_u64 visit_u64 u64,
        deserialize_u128 visit_u128 u128,
        deserialize_f32 visit_f32 f32,
        deserialize_f64 visit_f64 f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let items = std::iter::once(self.value)
            .chain(self.rest.iter().copied())
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|value| Simple { value, rest: &[] });
        visitor.visit_seq(de::value::SeqDeserializer::new(items))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_enum(self.value.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct tuple_struct map struct identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, DeError> for Simple<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}
