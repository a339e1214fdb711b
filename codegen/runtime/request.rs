//! The request that generated operations describe, and per-call options.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, COOKIE};
use reqwest::Method;
use serde::Serialize;

use super::encoding::{self, Multipart, Style};

/// Options for a single call, set through the operation builder's methods
/// (`.timeout(..)`, `.max_retries(..)`, `.header(..)`, `.query(..)`,
/// `.idempotency_key(..)`) or built up front and reused.
///
/// ```
/// use std::time::Duration;
/// use modbox::RequestOptions;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-trace", "abc");
/// assert!(format!("{options:?}").contains("x-trace"));
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) idempotency_key: Option<String>,
    /// A body that replaces the operation's own: content type and bytes, or
    /// why it could not be encoded.
    pub(crate) body: Option<Result<(String, Bytes), String>>,
}

impl RequestOptions {
    /// No overrides.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Per-attempt timeout for this call, instead of the client's.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Maximum number of retries for this call, instead of the client's
    /// [`RetryPolicy`](super::RetryPolicy) value.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// An extra header; replaces a header of the same name that the client or
    /// the operation would send. An invalid name or value makes the call fail
    /// with [`Error::InvalidRequest`](super::Error::InvalidRequest).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// An extra query parameter, appended after the operation's own.
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The idempotency key to send (in the operation's idempotency header, or
    /// `Idempotency-Key`). With a key, `POST` and `PATCH` calls are retried
    /// and every retry carries the same key.
    #[must_use]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sends these bytes with this content type instead of the operation's
    /// typed body: the way to use a media type other than the one the
    /// generated method encodes.
    #[must_use]
    pub fn raw_body(mut self, content_type: impl Into<String>, body: impl Into<Bytes>) -> Self {
        self.body = Some(Ok((content_type.into(), body.into())));
        self
    }

    /// Sends this `multipart/form-data` body instead of the operation's
    /// typed body: parts the typed body cannot express (extra fields, a part
    /// with its own headers) or a form built elsewhere.
    #[must_use]
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Some(form.encode().map(|(boundary, data)| {
            (format!("multipart/form-data; boundary={boundary}"), data)
        }));
        self
    }
}

/// Header names whose values are never printed.
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "authorization"
        || name == "proxy-authorization"
        || name.contains("cookie")
        || name.contains("key")
        || name.contains("token")
        || name.contains("secret")
        || name.contains("password")
}

struct Redacted<'a>(&'a [(String, String)]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| {
                let shown: &dyn fmt::Debug = if is_sensitive_name(name) {
                    &"<redacted>"
                } else {
                    value
                };
                (name, shown)
            }))
            .finish()
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &Redacted(&self.headers))
            .field("query", &Redacted(&self.query))
            .field(
                "idempotency_key",
                &self.idempotency_key.as_ref().map(|_| "<set>"),
            )
            .field(
                "body",
                &self.body.as_ref().map(|body| match body {
                    Ok((ct, data)) => format!("{} bytes of {ct}", data.len()),
                    Err(e) => e.clone(),
                }),
            )
            .finish()
    }
}

/// Generates the per-call option methods on an operation builder that has a
/// field `options: RequestOptions`.
#[allow(unused_macros)] // a spec without operations has no builders
macro_rules! request_options {
    ($builder:ty) => {
        impl $builder {
            /// Per-attempt timeout for this call, instead of the client's.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options = self.options.timeout(timeout);
                self
            }

            /// Maximum number of retries for this call, instead of the client's.
            pub fn max_retries(mut self, n: u32) -> Self {
                self.options = self.options.max_retries(n);
                self
            }

            /// Sends an extra header, replacing any same-named header the
            /// client or this operation would send.
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options = self.options.header(name, value);
                self
            }

            /// Appends an extra query parameter.
            pub fn query(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options = self.options.query(name, value);
                self
            }

            /// Idempotency key for this call; makes `POST`/`PATCH` calls
            /// retryable, with the same key on every attempt.
            pub fn idempotency_key(
                mut self,
                key: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options = self.options.idempotency_key(key);
                self
            }

            /// Sends these bytes with this content type instead of the typed
            /// body: how a media type other than the one this builder encodes
            /// is sent.
            pub fn raw_body(
                mut self,
                content_type: impl ::std::convert::Into<::std::string::String>,
                body: impl ::std::convert::Into<::bytes::Bytes>,
            ) -> Self {
                self.options = self.options.raw_body(content_type, body);
                self
            }
        }
    };
}
pub(crate) use request_options;

/// The request body, kept as bytes so that retries can replay it.
#[derive(Debug, Clone, Default)]
pub(crate) enum Body {
    #[default]
    Empty,
    Bytes {
        content_type: HeaderValue,
        data: Bytes,
    },
}

/// A request as described by a generated operation. Problems found while
/// building it are recorded and reported by `Client::execute` before anything
/// is sent, so the building methods never fail or panic.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    pub(crate) auth: &'static [&'static [usize]],
    pub(crate) idempotency_header: Option<&'static str>,
    pub(crate) problem: Option<String>,
}

impl ApiRequest {
    /// `path_template` is the spec's path (e.g. `/images/{id}`), used only
    /// for tracing so that ids never end up in logs.
    pub(crate) fn new(method: Method, path_template: &'static str) -> Self {
        Self {
            method,
            path_template,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            auth: &[],
            idempotency_header: None,
            problem: None,
        }
    }

    fn fail(&mut self, message: String) {
        self.problem.get_or_insert(message);
    }

    /// Appends literal path text from the API description.
    pub(crate) fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter, percent-encoding everything but unreserved
    /// characters so that the value stays one segment.
    pub(crate) fn push_path_param(&mut self, value: impl fmt::Display) {
        let value = value.to_string();
        // "." and ".." cannot be expressed: URL parsers collapse them (even
        // percent-encoded), which would change the request's target.
        if value == "." || value == ".." {
            self.fail(format!(
                "path parameter `{value}` cannot be sent as a path segment"
            ));
            return;
        }
        self.path.push_str(&encoding::encode(&value));
    }

    /// Adds a path parameter serialized in `style` (`simple`, `label` or
    /// `matrix`); every value is percent-encoded, `/` included.
    pub(crate) fn path_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        match encoding::param_text(name, value, style, explode, encoding::encode) {
            Ok(Some(text)) if text != "." && text != ".." => self.path.push_str(&text),
            Ok(Some(text)) => self.fail(format!(
                "path parameter `{text}` cannot be sent as a path segment"
            )),
            Ok(None) => self.fail(format!("path parameter `{name}` has no value")),
            Err(e) => self.fail(e),
        }
    }

    /// Adds a query parameter serialized in `style`; an unset optional value
    /// (`None`, serialized as `null`) adds nothing.
    pub(crate) fn query_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        match encoding::query_pairs(name, value, style, explode) {
            Ok(pairs) => self.query.extend(pairs),
            Err(e) => self.fail(e),
        }
    }

    /// Sets a header parameter (`simple` style); `None` sends nothing.
    pub(crate) fn header_param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        match encoding::param_text(name, value, style, explode, encoding::verbatim) {
            Ok(Some(text)) => self.header(name, text),
            Ok(None) => {}
            Err(e) => self.fail(e),
        }
    }

    /// Adds a cookie parameter; `None` sends nothing.
    pub(crate) fn cookie_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        // Cookies have no `form` object syntax; lists and objects are joined
        // with commas like the `simple` style.
        let style = if style == Style::Form { Style::Simple } else { style };
        match encoding::param_text(name, value, style, explode, encoding::verbatim) {
            Ok(Some(text)) => self.cookie(name, text),
            Ok(None) => {}
            Err(e) => self.fail(e),
        }
    }

    /// Adds a query parameter.
    pub(crate) fn query(&mut self, name: &str, value: impl fmt::Display) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds one `name=value` pair per item (form style, exploded).
    pub(crate) fn query_each<I>(&mut self, name: &str, values: I)
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        for v in values {
            self.query(name, v);
        }
    }

    /// Sets a header; replaces a client default of the same name.
    pub(crate) fn header(&mut self, name: &'static str, value: impl fmt::Display) {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("invalid header name `{name}`"));
            return;
        };
        match HeaderValue::from_str(&value.to_string()) {
            Ok(v) => {
                self.headers.insert(header, v);
            }
            // The value itself is not echoed: it may be a credential.
            Err(_) => self.fail(format!(
                "value of header `{name}` contains characters not allowed in HTTP headers"
            )),
        }
    }

    /// Adds a cookie parameter to the `Cookie` header (`name=value`, pairs
    /// joined by `; `). RFC 6265 `cookie-octet`s go out verbatim, any other
    /// byte percent-encoded (see [`encoding::cookie_value`]); a name that is
    /// not an RFC 6265 token fails the call.
    pub(crate) fn cookie(&mut self, name: &str, value: impl fmt::Display) {
        let pair = match encoding::cookie_pair(name, &value.to_string()) {
            Ok(pair) => pair,
            Err(e) => return self.fail(e),
        };
        let joined = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        match HeaderValue::from_str(&joined) {
            Ok(mut v) => {
                // Cookies are often session tokens.
                v.set_sensitive(true);
                self.headers.insert(COOKIE, v);
            }
            Err(_) => self.fail(format!("invalid cookie `{name}`")),
        }
    }

    /// A JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            // A static value: copying it per attempt costs nothing.
            Ok(data) => {
                self.body = Body::Bytes {
                    content_type: HeaderValue::from_static("application/json"),
                    data: data.into(),
                };
            }
            Err(e) => self.fail(format!("could not serialize JSON body: {e}")),
        }
    }

    /// A JSON body sent with another JSON media type (`application/merge-patch+json`, ...).
    pub(crate) fn json_as<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(data) => self.bytes(content_type, data),
            Err(e) => self.fail(format!("could not serialize JSON body: {e}")),
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        match encoding::form_pairs(body) {
            Ok(pairs) => {
                self.body = Body::Bytes {
                    content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
                    data: encoding::form_encode(&pairs).into(),
                };
            }
            Err(e) => self.fail(e),
        }
    }

    /// A raw body with the given content type.
    pub(crate) fn bytes(&mut self, content_type: &str, data: impl Into<Bytes>) {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Body::Bytes {
                    content_type,
                    data: data.into(),
                };
            }
            Err(_) => self.fail(format!("invalid content type `{content_type}`")),
        }
    }

    /// A text body with the given content type.
    pub(crate) fn text(&mut self, content_type: &str, text: impl Into<String>) {
        self.bytes(content_type, text.into());
    }

    /// A `multipart/form-data` body.
    pub(crate) fn multipart(&mut self, form: &Multipart) {
        match form.encode() {
            Ok((boundary, data)) => {
                let ct = format!("multipart/form-data; boundary={boundary}");
                self.bytes(&ct, data);
            }
            Err(e) => self.fail(e),
        }
    }

    /// The accepted security requirements: alternatives (any one of them) of
    /// schemes (all of them), as indices of the API's security schemes (the
    /// numbering of the generated `ClientBuilder` setters). An empty list
    /// means no authentication.
    pub(crate) fn auth(&mut self, alternatives: &'static [&'static [usize]]) {
        self.auth = alternatives;
    }

    /// Declares the operation's idempotency header; a key is then generated
    /// for every call (unless the caller set one) and reused across retries.
    pub(crate) fn idempotency_header(&mut self, name: &'static str) {
        self.idempotency_header = Some(name);
    }
}

/// A random key in the textual layout of a version 4 UUID.
pub(crate) fn new_idempotency_key() -> String {
    let n = fastrand::u128(..);
    let n = (n & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
