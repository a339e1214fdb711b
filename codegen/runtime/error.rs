//! Error types returned by operations and by [`ClientBuilder::build`](super::ClientBuilder::build).

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::provider::CredentialError;

/// Everything that can go wrong when calling an operation.
///
/// `E` is the operation's own error enum: one variant per error response
/// documented in the API description (for example `CreateSandboxImageError`).
///
/// ```
/// # fn demo<E: std::fmt::Debug>(err: modbox::Error<E>) {
/// if let Some(body) = err.api_body() {
///     eprintln!("documented error response: {body:?}");
/// } else if err.is_timeout() {
///     eprintln!("timed out after {} attempt(s)", err.attempts());
/// } else {
///     eprintln!("request failed: {err}");
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status that the API documents; the
    /// decoded body is available through [`Error::api_body`].
    Api(ApiError<E>),
    /// The server answered with a status the API does not document for this
    /// operation (including an error status left over after all retries).
    UnexpectedStatus(UnexpectedResponse),
    /// The server answered with a documented status but the body could not be
    /// decoded.
    Decode(DecodeError),
    /// No response arrived within the configured timeout.
    Timeout(TimeoutError),
    /// The connection failed or broke before a complete response arrived.
    Transport(TransportError),
    /// The request could not be built (for example a header value containing
    /// a line break); nothing was sent.
    InvalidRequest(InvalidRequest),
    /// A credential provider failed (see `CredentialProvider`); the request
    /// was not sent, or not sent again.
    Credential(CredentialError),
    /// A paginated stream (`into_stream()`, `into_pages()`) was stopped
    /// because the server repeated a cursor of an earlier page; the pages
    /// before it were delivered.
    Pagination(super::paginate::PaginationError),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status()),
            Self::UnexpectedStatus(e) => Some(e.status()),
            Self::Decode(e) => Some(e.status()),
            Self::Timeout(_)
            | Self::Transport(_)
            | Self::InvalidRequest(_)
            | Self::Credential(_)
            | Self::Pagination(_) => None,
        }
    }

    /// The decoded body of a documented error response.
    #[must_use]
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Self::Api(e) => Some(e.body()),
            _ => None,
        }
    }

    /// Like [`Error::api_body`], taking ownership.
    #[must_use]
    pub fn into_api_body(self) -> Option<E> {
        match self {
            Self::Api(e) => Some(e.into_body()),
            _ => None,
        }
    }

    /// The raw response body, when a response was received.
    #[must_use]
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Self::Api(e) => Some(e.raw_body()),
            Self::UnexpectedStatus(e) => Some(e.body()),
            Self::Decode(e) => Some(e.body()),
            _ => None,
        }
    }

    /// The response headers, when a response was received.
    #[must_use]
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(e) => Some(e.headers()),
            Self::UnexpectedStatus(e) => Some(e.headers()),
            Self::Decode(e) => Some(e.headers()),
            _ => None,
        }
    }

    /// The server's request id (`x-request-id` or `request-id` header), when a
    /// response was received. Handy in bug reports.
    pub fn request_id(&self) -> Option<&str> {
        self.headers().and_then(super::response::request_id)
    }

    /// Whether the call ran out of time.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Whether trying the same call again later might succeed: timeouts,
    /// connection failures, and statuses 408, 409, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout(_) | Self::Transport(_) => true,
            Self::InvalidRequest(_) | Self::Decode(_) | Self::Credential(_) | Self::Pagination(_) => {
                false
            }
            Self::Api(_) | Self::UnexpectedStatus(_) => {
                self.status().is_some_and(super::retry::is_retryable_status)
            }
        }
    }

    /// How many HTTP attempts were made (0 when the request was never sent).
    #[must_use]
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Api(e) => e.attempts(),
            Self::UnexpectedStatus(e) => e.attempts(),
            Self::Decode(e) => e.attempts(),
            Self::Timeout(e) => e.attempts,
            Self::Transport(e) => e.attempts,
            Self::InvalidRequest(_) | Self::Pagination(_) => 0,
            Self::Credential(e) => e.attempts(),
        }
    }
}

impl<E: super::ErrorHeaders> Error<E> {
    /// The documented headers of the error response, typed (a copy of
    /// [`Error::headers`]), when a response was received: one accessor per
    /// header the operation's error responses declare, `None` when a header
    /// is absent or does not parse.
    #[must_use]
    pub fn typed_headers(&self) -> Option<E::Headers> {
        self.headers().map(|h| E::Headers::from(h.clone()))
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => write!(f, "API error: {e}"),
            Self::UnexpectedStatus(e) => write!(f, "unexpected response: {e}"),
            Self::Decode(e) => e.fmt(f),
            Self::Timeout(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
            Self::InvalidRequest(e) => e.fmt(f),
            Self::Credential(e) => e.fmt(f),
            Self::Pagination(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + 'static> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Api(_) | Self::UnexpectedStatus(_) | Self::Timeout(_) => None,
            Self::Pagination(e) => Some(e),
            Self::Decode(e) => e.source(),
            Self::Transport(e) => e.source(),
            Self::InvalidRequest(e) => e.source(),
            Self::Credential(e) => Some(e),
        }
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        Self::Transport(e)
    }
}

/// Writes " (gave up after N attempts)" when the call was retried.
fn attempts_suffix(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (gave up after {attempts} attempts)")?;
    }
    Ok(())
}

/// Status, headers and raw body of a response, boxed inside the error types
/// so that `Result<T, Error<E>>` stays small.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
}

/// A documented error response, decoded into the operation's error enum `E`.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    inner: Box<(Parts, E)>,
}

impl<E> ApiError<E> {
    pub(crate) fn new(parts: Parts, body: E) -> Self {
        Self {
            inner: Box::new((parts, body)),
        }
    }
    /// The response status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.inner.0.status
    }
    /// The response headers.
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.0.headers
    }
    /// The decoded body.
    #[must_use]
    pub fn body(&self) -> &E {
        &self.inner.1
    }
    /// The decoded body, taking ownership.
    #[must_use]
    pub fn into_body(self) -> E {
        self.inner.1
    }
    /// The body exactly as received.
    #[must_use]
    pub fn raw_body(&self) -> &Bytes {
        &self.inner.0.body
    }
    /// How many HTTP attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.inner.0.attempts
    }
}

impl<E: super::ErrorHeaders> ApiError<E> {
    /// The documented headers, typed (a copy of [`ApiError::headers`]).
    #[must_use]
    pub fn typed_headers(&self) -> E::Headers {
        E::Headers::from(self.headers().clone())
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status())?;
        attempts_suffix(f, self.attempts())
    }
}

/// A response whose status the operation does not document.
#[derive(Debug, Clone)]
pub struct UnexpectedResponse {
    parts: Box<Parts>,
}

impl UnexpectedResponse {
    pub(crate) fn new(parts: Parts) -> Self {
        Self {
            parts: Box::new(parts),
        }
    }
    /// The response status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.parts.status
    }
    /// The response headers.
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }
    /// The body exactly as received.
    #[must_use]
    pub fn body(&self) -> &Bytes {
        &self.parts.body
    }
    /// How many HTTP attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.parts.attempts
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status())?;
        attempts_suffix(f, self.attempts())
    }
}

impl StdError for UnexpectedResponse {}

#[derive(Debug)]
pub(crate) enum DecodeKind {
    /// The JSON error, and the path of the value that failed (`None` at the top level).
    Json(serde_json::Error, Option<Box<str>>),
    Utf8(std::str::Utf8Error),
}

/// A response body that did not match the documented schema.
///
/// Its message names the value that failed by its JSON path, what was
/// expected there, and where it is in the body:
///
/// ```text
/// could not decode 200 OK response body as JSON at items[3].owner.id: invalid type: string "7", expected i64 at line 1 column 214
/// ```
#[derive(Debug)]
pub struct DecodeError {
    parts: Box<Parts>,
    kind: DecodeKind,
}

impl DecodeError {
    pub(crate) fn new(parts: Parts, kind: DecodeKind) -> Self {
        Self {
            parts: Box::new(parts),
            kind,
        }
    }
    /// The response status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.parts.status
    }
    /// The response headers.
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }
    /// The body exactly as received.
    #[must_use]
    pub fn body(&self) -> &Bytes {
        &self.parts.body
    }
    /// The JSON error, when the body was expected to be JSON.
    #[must_use]
    pub fn json_error(&self) -> Option<&serde_json::Error> {
        match &self.kind {
            DecodeKind::Json(e, _) => Some(e),
            DecodeKind::Utf8(_) => None,
        }
    }
    /// The JSON path of the value that could not be decoded, such as
    /// `items[3].owner.id` (`None` when the failure is at the top level, or
    /// the body is not JSON).
    ///
    /// The path ends at the value serde reports: a missing required property
    /// names the object that lacks it (`items[3].owner`, with "missing field
    /// `id`" in the message); an untagged union (`oneOf` without a
    /// discriminator) names the union value, since no single variant failed.
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        match &self.kind {
            DecodeKind::Json(_, path) => path.as_deref(),
            DecodeKind::Utf8(_) => None,
        }
    }
    /// Line (1-based) of the JSON error, 0 when not applicable.
    pub fn line(&self) -> usize {
        self.json_error().map_or(0, serde_json::Error::line)
    }
    /// Column (1-based) of the JSON error, 0 when not applicable.
    pub fn column(&self) -> usize {
        self.json_error().map_or(0, serde_json::Error::column)
    }
    /// How many HTTP attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.parts.attempts
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DecodeKind::Json(e, None) => write!(
                f,
                "could not decode {} response body as JSON: {e}",
                self.status()
            ),
            DecodeKind::Json(e, Some(path)) => write!(
                f,
                "could not decode {} response body as JSON at {path}: {e}",
                self.status()
            ),
            DecodeKind::Utf8(e) => write!(
                f,
                "could not decode {} response body as UTF-8 text: {e}",
                self.status()
            ),
        }
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.kind {
            DecodeKind::Json(e, _) => Some(e),
            DecodeKind::Utf8(e) => Some(e),
        }
    }
}

/// No response (or no complete body) arrived within the timeout.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    pub(crate) timeout: Duration,
    pub(crate) attempts: u32,
}

impl TimeoutError {
    /// The per-attempt timeout that elapsed.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// How many HTTP attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request timed out after {:?}", self.timeout)?;
        attempts_suffix(f, self.attempts)
    }
}

impl StdError for TimeoutError {}

/// The connection could not be made, or broke before a complete response
/// arrived.
#[derive(Debug)]
pub struct TransportError {
    /// Stripped of its URL, which may carry credentials in the query string.
    pub(crate) source: reqwest::Error,
    pub(crate) attempts: u32,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, attempts: u32) -> Self {
        Self {
            source: source.without_url(),
            attempts,
        }
    }
    /// Whether the failure happened while connecting (nothing was sent).
    #[must_use]
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
    /// How many HTTP attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.source.is_connect() {
            "could not connect"
        } else if self.source.is_body() || self.source.is_decode() {
            "connection broke while reading the response"
        } else {
            "request failed"
        };
        write!(f, "{what}: {}", root_cause(&self.source))?;
        attempts_suffix(f, self.attempts)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// The innermost cause of a reqwest error ("connection refused"): the most
/// useful part, and unlike reqwest's own message it never contains the URL,
/// whose query may hold an API key.
pub(crate) fn root_cause(e: &reqwest::Error) -> &(dyn StdError + 'static) {
    let mut cause: &(dyn StdError + 'static) = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause
}

/// The request could not be built; nothing was sent.
#[derive(Debug, Clone)]
pub struct InvalidRequest {
    pub(crate) message: String,
}

impl InvalidRequest {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: {}", self.message)
    }
}

impl StdError for InvalidRequest {}

/// What `Client::execute` returns when no response was obtained. Converts
/// into any `Error<E>` so generated code can use `?`.
#[derive(Debug)]
pub(crate) enum Failure {
    Timeout(TimeoutError),
    Transport(TransportError),
    InvalidRequest(InvalidRequest),
    Credential(CredentialError),
}

impl<E> From<Failure> for Error<E> {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Timeout(e) => Self::Timeout(e),
            Failure::Transport(e) => Self::Transport(e),
            Failure::InvalidRequest(e) => Self::InvalidRequest(e),
            Failure::Credential(e) => Self::Credential(e),
        }
    }
}
