//! Spec examples in the IR: as written, and as decoded by `lower::examples`.

use serde::Serialize;

/// A value the spec gives as an example of a parameter or body, with where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub pointer: String,
    pub value: serde_json::Value,
}

/// A spec example decoded against its generated type (`lower::examples`): the value as the
/// generated crate holds it, with unions and enums resolved to their variants. Emitted as the Rust
/// expression of an operation's doc example; the type it belongs to is walked alongside.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    /// `null` where the type allows it (`None`, `Nullable::Null`), or `()`.
    Null,
    Bool(bool),
    /// A JSON number that fits the integer or float type, as written.
    Number(String),
    /// A string; for dates, date-times and UUIDs the text the type parses.
    Str(String),
    /// Any JSON (`serde_json::Value`).
    Json(serde_json::Value),
    /// A variant (Rust name) of a generated enum.
    Variant(String),
    /// A union's variant (Rust name) and its value.
    Union(String, Box<Literal>),
    /// A struct's fields that the example sets (index into its fields) and properties it does
    /// not name (into its additional-properties map).
    Struct {
        fields: Vec<(usize, Literal)>,
        extra: Vec<(String, Literal)>,
    },
    /// A list or tuple.
    List(Vec<Literal>),
    Map(Vec<(String, Literal)>),
    /// A value that fits but has no Rust literal here (bytes, files).
    Unwritten,
}
