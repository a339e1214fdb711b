//! Percent-encoding, `application/x-www-form-urlencoded` bodies and
//! `multipart/form-data` bodies.

use std::fmt::Write as _;

use bytes::{BufMut, Bytes, BytesMut};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};
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

/// The bytes that are not RFC 6265 `cookie-octet`s: controls, space, `"`,
/// `,`, `;`, `\` (and, as `utf8_percent_encode` always does, non-ASCII).
const NOT_COOKIE_OCTET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\');

/// A cookie value: made of RFC 6265 `cookie-octet`s it goes out as it is
/// (`tok+/=abc` stays `tok+/=abc`); any other byte is percent-encoded
/// (`a b;c` becomes `a%20b%3Bc`), so the value cannot end its pair or the
/// header. `%` itself is a `cookie-octet` and is not encoded.
pub(crate) fn cookie_value(value: &str) -> String {
    utf8_percent_encode(value, NOT_COOKIE_OCTET).to_string()
}

/// Is `name` an RFC 6265 cookie name (an RFC 9110 `token`)?
pub(crate) fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `name=value` for the `Cookie` header, or why the name cannot be sent.
pub(crate) fn cookie_pair(name: &str, value: &str) -> Result<String, String> {
    if is_cookie_name(name) {
        Ok(format!("{name}={}", cookie_value(value)))
    } else {
        Err(format!(
            "cookie name `{}` is not an RFC 6265 token",
            name.escape_debug()
        ))
    }
}

/// An `OpenAPI` parameter serialization style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// A `content` parameter: the value as JSON text.
    Json,
}

impl Style {
    fn delimiter(self, explode: bool) -> &'static str {
        match self {
            Self::SpaceDelimited => " ",
            Self::PipeDelimited => "|",
            Self::Label if explode => ".",
            _ => ",",
        }
    }
}

fn to_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| format!("could not serialize parameter `{name}`: {e}"))
}

/// Scalars as text, nested arrays and objects as JSON text, `null` as nothing.
fn item_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// A query parameter as unencoded `(name, value)` pairs. `null` (an unset
/// optional parameter) gives no pair. Delimiters are encoded with the values
/// later, like any other character of the value.
pub(crate) fn query_pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<Vec<(String, String)>, String> {
    let value = to_json(name, value)?;
    let mut out = Vec::new();
    match (style, value) {
        (_, serde_json::Value::Null) => {}
        (Style::Json, v) => out.push((name.to_owned(), v.to_string())),
        (Style::DeepObject, v) => deep_object(name.to_owned(), v, &mut out),
        (_, serde_json::Value::Array(items)) => {
            let items = items.into_iter().filter_map(item_text);
            if style == Style::Form && explode {
                out.extend(items.map(|item| (name.to_owned(), item)));
            } else {
                let joined: Vec<String> = items.collect();
                out.push((name.to_owned(), joined.join(style.delimiter(false))));
            }
        }
        (_, serde_json::Value::Object(map)) => {
            let entries = map.into_iter().filter_map(|(k, v)| Some((k, item_text(v)?)));
            if style == Style::Form && explode {
                out.extend(entries);
            } else {
                let flat: Vec<String> = entries.flat_map(|(k, v)| [k, v]).collect();
                out.push((name.to_owned(), flat.join(style.delimiter(false))));
            }
        }
        (_, scalar) => out.extend(item_text(scalar).map(|text| (name.to_owned(), text))),
    }
    Ok(out)
}

/// `name[key]=value`, nesting for nested objects; array items repeat the key.
fn deep_object(prefix: String, value: serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                deep_object(format!("{prefix}[{k}]"), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                deep_object(prefix.clone(), item, out);
            }
        }
        other => out.extend(item_text(other).map(|text| (prefix, text))),
    }
}

/// A path, header or cookie parameter as text (`simple`, `label` or `matrix`
/// style). Each value is passed through `enc`; the delimiters are not. `None`
/// for `null`.
pub(crate) fn param_text<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
    enc: fn(&str) -> String,
) -> Result<Option<String>, String> {
    let value = to_json(name, value)?;
    let prefix = match style {
        Style::Label => ".".to_owned(),
        Style::Matrix => format!(";{}=", enc(name)),
        _ => String::new(),
    };
    let text = match (style, value) {
        (_, serde_json::Value::Null) => return Ok(None),
        (Style::Json, v) => enc(&v.to_string()),
        (_, serde_json::Value::Array(items)) => {
            let items: Vec<String> = items
                .into_iter()
                .filter_map(item_text)
                .map(|i| enc(&i))
                .collect();
            if style == Style::Matrix && explode {
                return Ok(Some(items.iter().map(|i| format!("{prefix}{i}")).collect()));
            }
            format!("{prefix}{}", items.join(style.delimiter(explode)))
        }
        (_, serde_json::Value::Object(map)) => {
            let entries: Vec<(String, String)> = map
                .into_iter()
                .filter_map(|(k, v)| Some((enc(&k), enc(&item_text(v)?))))
                .collect();
            if explode {
                let sep = match style {
                    Style::Label => ".",
                    Style::Matrix => ";",
                    _ => ",",
                };
                let start = match style {
                    Style::Label => ".",
                    Style::Matrix => ";",
                    _ => "",
                };
                let pairs: Vec<String> = entries.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{start}{}", pairs.join(sep))
            } else {
                let flat: Vec<String> = entries.into_iter().flat_map(|(k, v)| [k, v]).collect();
                format!("{prefix}{}", flat.join(","))
            }
        }
        (_, scalar) => match item_text(scalar) {
            Some(text) => format!("{prefix}{}", enc(&text)),
            None => return Ok(None),
        },
    };
    Ok(Some(text))
}

/// The identity, for [`param_text`] where the caller encodes (or no encoding applies).
pub(crate) fn verbatim(value: &str) -> String {
    value.to_owned()
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
    /// The first problem met while adding typed fields; reported by `encode`.
    problem: Option<String>,
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

    /// Adds a typed body property: scalars as text parts, arrays as one part
    /// per item, objects as JSON parts; `null` (an unset optional) as nothing.
    pub(crate) fn add_value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    self.add_json(name, item);
                }
            }
            Ok(value) => self.add_json(name, value),
            Err(e) => {
                self.problem
                    .get_or_insert(format!("could not serialize multipart field `{name}`: {e}"));
            }
        }
    }

    fn add_json(&mut self, name: &str, value: serde_json::Value) {
        let part = match value {
            serde_json::Value::Null => return,
            serde_json::Value::String(s) => Part::text(s),
            v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                Part::bytes(v.to_string()).content_type("application/json")
            }
            other => Part::text(other.to_string()),
        };
        self.parts.push((name.to_owned(), part));
    }

    /// Adds every property of a body that is not a declared struct (or its
    /// flattened extra properties) with [`Multipart::add_value`].
    pub(crate) fn add_object<T: Serialize + ?Sized>(&mut self, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => {
                for (name, value) in map {
                    self.add_value(&name, &value);
                }
            }
            Ok(serde_json::Value::Null) => {}
            Ok(_) => {
                self.problem
                    .get_or_insert("a multipart body must serialize to an object".to_owned());
            }
            Err(e) => {
                self.problem
                    .get_or_insert(format!("could not serialize multipart body: {e}"));
            }
        }
    }

    /// Adds a binary property as file part(s): a [`FilePart`](super::FilePart)
    /// without a file name gets the property name (many servers only treat a
    /// part with a file name as a file), without a content type
    /// `content_type`, the API description's default.
    pub(crate) fn add_file<F: super::FileValue + ?Sized>(
        &mut self,
        name: &str,
        value: &F,
        content_type: &str,
    ) {
        let mut parts = Vec::new();
        value.push_parts(name, content_type, &mut parts);
        self.parts
            .extend(parts.into_iter().map(|part| (name.to_owned(), part)));
    }

    /// Encodes the form; returns the boundary and the body.
    pub(crate) fn encode(&self) -> Result<(String, Bytes), String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
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
    fn cookie_values_keep_cookie_octets() {
        let rows = [
            ("tok+/=abc", "tok+/=abc"),
            ("a b", "a%20b"),
            ("a;b", "a%3Bb"),
            ("a,b", "a%2Cb"),
            ("\"q\"", "%22q%22"),
            ("back\\slash", "back%5Cslash"),
            ("é", "%C3%A9"),
            ("tab\there", "tab%09here"),
            ("100%", "100%"),
            ("!#$&'()*-.:<>?@[]^_`{|}~", "!#$&'()*-.:<>?@[]^_`{|}~"),
        ];
        for (value, want) in rows {
            assert_eq!(cookie_value(value), want, "{value:?}");
        }
        assert!(is_cookie_name("session-id"));
        for bad in ["", "a b", "a=b", "a;b", "é", "a\"b", "(x)"] {
            assert!(cookie_pair(bad, "v").is_err(), "{bad:?}");
        }
    }

    fn query(value: &serde_json::Value, style: Style, explode: bool) -> String {
        form_encode(&query_pairs("p", value, style, explode).unwrap_or_default())
    }

    fn text(value: &serde_json::Value, style: Style, explode: bool) -> String {
        param_text("p", value, style, explode, encode)
            .ok()
            .flatten()
            .unwrap_or_else(|| "<none>".to_owned())
    }

    #[test]
    fn query_styles_follow_the_openapi_tables() {
        // Keys in sorted order, so the result is the same with or without
        // serde_json's `preserve_order`.
        use serde_json::json;
        let list = json!(["a", 1]);
        let obj = json!({"a": 1, "b": "x y"});
        let rows = [
            (query(&list, Style::Form, true), "p=a&p=1"),
            (query(&list, Style::Form, false), "p=a%2C1"),
            (query(&obj, Style::Form, true), "a=1&b=x%20y"),
            (query(&obj, Style::Form, false), "p=a%2C1%2Cb%2Cx%20y"),
            (query(&list, Style::SpaceDelimited, false), "p=a%201"),
            (query(&list, Style::PipeDelimited, false), "p=a%7C1"),
            (query(&obj, Style::DeepObject, true), "p%5Ba%5D=1&p%5Bb%5D=x%20y"),
            (query(&json!({"a": {"b": [1, 2]}}), Style::DeepObject, true), "p%5Ba%5D%5Bb%5D=1&p%5Ba%5D%5Bb%5D=2"),
            (query(&obj, Style::Json, false), "p=%7B%22a%22%3A1%2C%22b%22%3A%22x%20y%22%7D"),
            (query(&json!(null), Style::Form, true), ""),
            (query(&json!([]), Style::Form, false), "p="),
        ];
        for (got, want) in rows {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn path_styles_encode_values_but_not_delimiters() {
        use serde_json::json;
        let list = json!(["a/b", 2]);
        let obj = json!({"a": 1, "b": 2});
        let rows = [
            (text(&json!("a/b"), Style::Simple, false), "a%2Fb"),
            (text(&list, Style::Simple, false), "a%2Fb,2"),
            (text(&obj, Style::Simple, false), "a,1,b,2"),
            (text(&obj, Style::Simple, true), "a=1,b=2"),
            (text(&list, Style::Label, false), ".a%2Fb,2"),
            (text(&list, Style::Label, true), ".a%2Fb.2"),
            (text(&obj, Style::Label, true), ".a=1.b=2"),
            (text(&json!(5), Style::Matrix, false), ";p=5"),
            (text(&list, Style::Matrix, false), ";p=a%2Fb,2"),
            (text(&list, Style::Matrix, true), ";p=a%2Fb;p=2"),
            (text(&obj, Style::Matrix, true), ";a=1;b=2"),
            (text(&obj, Style::Matrix, false), ";p=a,1,b,2"),
            (text(&json!(null), Style::Simple, false), "<none>"),
        ];
        for (got, want) in rows {
            assert_eq!(got, want);
        }
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
