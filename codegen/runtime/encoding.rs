//! Percent-encoding, `application/x-www-form-urlencoded` bodies and
//! `multipart/form-data` bodies.

use std::fmt::Write as _;

use bytes::{BufMut, Bytes, BytesMut};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

/// Everything but RFC 3986 "unreserved" characters gets encoded, so a value
/// can never leave its path segment or query component.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `value` for use inside one path segment or query value.
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// Turns a serializable value into `name=value` pairs for a form body.
///
/// Top-level fields become pairs; arrays repeat the name (form style,
/// exploded); nested objects are sent as JSON text, the `OpenAPI` default for
/// object properties; `null` fields are left out.
pub(crate) fn form_pairs<T: Serialize + ?Sized>(body: &T) -> Result<Vec<(String, String)>, String> {
    let value =
        serde_json::to_value(body).map_err(|e| format!("could not serialize form body: {e}"))?;
    let serde_json::Value::Object(map) = value else {
        return Err("a form body must serialize to an object".to_owned());
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (name, value) in map {
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    if let Some(text) = scalar_text(item) {
                        pairs.push((name.clone(), text));
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(other) {
                    pairs.push((name, text));
                }
            }
        }
    }
    Ok(pairs)
}

fn scalar_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// Encodes pairs as `a=1&b=x%20y`.
pub(crate) fn form_encode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        let _ = write!(out, "{}={}", encode(name), encode(value));
    }
    out
}

/// A `multipart/form-data` request body, built in memory so that retries can
/// send it again.
///
/// ```
/// use modbox::{Multipart, Part};
///
/// let form = Multipart::new()
///     .text("description", "nightly build")
///     .file("file", "image.tar", "application/x-tar", b"...".to_vec())
///     .part("meta", Part::bytes(br#"{"a":1}"#.to_vec()).content_type("application/json"));
/// # let _ = form;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

/// One part of a [`Multipart`] body.
#[derive(Debug, Clone)]
pub struct Part {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Part {
    /// A text part (sent without a content type, which means `text/plain`).
    pub fn text(value: impl Into<String>) -> Self {
        Self::bytes(value.into())
    }

    /// A binary part.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl Multipart {
    /// An empty form.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.part(name, Part::text(value))
    }

    /// Adds a file field.
    #[must_use]
    pub fn file(
        self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.part(
            name,
            Part::bytes(data)
                .file_name(file_name)
                .content_type(content_type),
        )
    }

    /// Adds any part.
    #[must_use]
    pub fn part(mut self, name: impl Into<String>, part: Part) -> Self {
        self.parts.push((name.into(), part));
        self
    }

    /// Encodes the form; returns the boundary and the body.
    pub(crate) fn encode(&self) -> Result<(String, Bytes), String> {
        let boundary = format!(
            "------------------------{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let mut out = BytesMut::new();
        for (name, part) in &self.parts {
            let mut head = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
                quote(name)
            );
            if let Some(file_name) = &part.file_name {
                let _ = write!(head, "; filename=\"{}\"", quote(file_name));
            }
            head.push_str("\r\n");
            if let Some(ct) = &part.content_type {
                if ct.bytes().any(|b| b.is_ascii_control()) {
                    return Err(format!("invalid content type for multipart field `{name}`"));
                }
                let _ = write!(head, "Content-Type: {ct}\r\n");
            }
            head.push_str("\r\n");
            out.put_slice(head.as_bytes());
            out.put_slice(&part.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((boundary, out.freeze()))
    }
}

/// Escapes a name for a quoted `Content-Disposition` parameter the way
/// browsers do (WHATWG HTML: `"` and line breaks are percent-encoded).
fn quote(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_encoding_keeps_only_unreserved() {
        assert_eq!(encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encode("a/b?c#d%e f+g&h=i"),
            "a%2Fb%3Fc%23d%25e%20f%2Bg%26h%3Di"
        );
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn form_pairs_flatten_like_openapi_form_style() {
        // Keys in sorted order, so the result is the same with or without
        // serde_json's `preserve_order`.
        let body = serde_json::json!({
            "b": true, "list": ["x", 2], "n": 1.5, "none": null,
            "obj": {"k": "v"}, "s": "a b"
        });
        let pairs = form_pairs(&body).unwrap_or_default();
        assert_eq!(
            form_encode(&pairs),
            "b=true&list=x&list=2&n=1.5&obj=%7B%22k%22%3A%22v%22%7D&s=a%20b"
        );
        assert!(form_pairs(&serde_json::json!([1, 2])).is_err());
    }
}
