//! [`Nullable`]: the value of an optional, nullable field of a request type.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The value of a field that may be left out, sent as `null`, or set: the three
/// states a `PATCH` needs ("leave unchanged", "clear", "set to").
///
/// Fields of this type start [`Absent`](Nullable::Absent) and are not sent
/// then. A value converts with `.into()`, and an `Option` does too (`None`
/// becomes [`Null`](Nullable::Null)):
///
/// ```
/// use modbox::Nullable;
///
/// let port: Nullable<i64> = 8080.into();
/// assert_eq!(port, Nullable::Value(8080));
/// assert_eq!(Nullable::<i64>::from(None), Nullable::Null);
/// assert!(Nullable::<i64>::default().is_absent());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Nullable<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent as the value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out (used by serde's `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if one is set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if one is set, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// A borrowing view of the same state.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(v),
        }
    }

    /// Applies `f` to the value, keeping `Absent` and `Null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some(v)` is the value, `None` is `null`: the field is sent either way.
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => serializer.serialize_some(v),
            // `Absent` is skipped by the field's `skip_serializing_if`; where it is
            // not (a list item, say), `null` is the closest the wire has.
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// A present `null` is `Null`; an absent key takes the field's
    /// `#[serde(default)]`, `Absent`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::from)
    }
}
