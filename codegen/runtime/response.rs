//! Responses: the typed [`Response`] users get, and the raw responses that
//! generated operations turn into it.

use std::borrow::Borrow;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{
    ApiError, DecodeError, DecodeKind, Error, Failure, Parts, TimeoutError, TransportError,
    UnexpectedResponse,
};

/// The server's request id, from `x-request-id` or `request-id`.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-request-id")
        .or_else(|| headers.get("request-id"))
        .and_then(|v| v.to_str().ok())
}

/// A successful response: status, headers and the decoded body.
///
/// Operations' `send()` returns just the body; `send_with_response()` returns
/// this. `H` is the headers: the [`HeaderMap`], or for an operation whose
/// responses declare headers its typed view (for example
/// `CreateWidgetHeaders`), which has one accessor per declared header and
/// dereferences to the `HeaderMap`.
#[derive(Debug, Clone)]
pub struct Response<T, H = HeaderMap> {
    status: StatusCode,
    headers: H,
    body: T,
    attempts: u32,
}

impl<T, H> Response<T, H> {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The response headers (typed accessors when the operation declares
    /// headers; any header by name with `get`).
    pub fn headers(&self) -> &H {
        &self.headers
    }
    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }
    pub(crate) fn body_mut(&mut self) -> &mut T {
        &mut self.body
    }
    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
    /// How many HTTP attempts it took (1 when there was no retry).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U, H> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            attempts: self.attempts,
        }
    }
}

impl<T, H: Borrow<HeaderMap>> Response<T, H> {
    /// The server's request id (`x-request-id` or `request-id` header).
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.headers.borrow())
    }
}

impl<T, H: Into<HeaderMap>> Response<T, H> {
    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers.into(), self.body)
    }
}

impl<T> Response<T> {
    pub(crate) fn from_parts(status: StatusCode, headers: HeaderMap, body: T, attempts: u32) -> Self {
        Response { status, headers, body, attempts }
    }
    /// The same response with its headers behind the operation's typed view.
    pub(crate) fn typed<H: From<HeaderMap>>(self) -> Response<T, H> {
        Response {
            status: self.status,
            headers: H::from(self.headers),
            body: self.body,
            attempts: self.attempts,
        }
    }
}

/// A fully read response, before the operation has interpreted it.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
}

impl RawResponse {
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    fn wrap<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
            attempts: self.attempts,
        }
    }

    fn into_parts(self) -> Parts {
        Parts {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts: self.attempts,
        }
    }

    pub(crate) fn decode_error(self, kind: DecodeKind) -> DecodeError {
        DecodeError::new(self.into_parts(), kind)
    }

    /// Decodes a JSON success body.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match super::de::from_slice(&self.body) {
            Ok(body) => Ok(self.wrap(body)),
            Err((e, path)) => Err(Error::Decode(self.decode_error(DecodeKind::Json(e, path)))),
        }
    }

    /// A success without a body (any body sent is ignored).
    #[allow(clippy::unnecessary_wraps)] // same shape as `json`, for generated code
    pub(crate) fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(self.wrap(()))
    }

    /// A binary success body.
    #[allow(clippy::unnecessary_wraps)] // same shape as `json`, for generated code
    pub(crate) fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        let body = self.body.clone();
        Ok(self.wrap(body))
    }

    /// A text success body (must be UTF-8).
    pub(crate) fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(self.wrap(text))
            }
            Err(e) => Err(Error::Decode(self.decode_error(DecodeKind::Utf8(e)))),
        }
    }

    /// A documented error response with a JSON body, wrapped by `f` into the
    /// operation's error enum.
    pub(crate) fn api_error<B: DeserializeOwned, E>(self, f: impl FnOnce(B) -> E) -> Error<E> {
        match super::de::from_slice(&self.body) {
            Ok(body) => self.api_error_with(f(body)),
            Err((e, path)) => Error::Decode(self.decode_error(DecodeKind::Json(e, path))),
        }
    }

    /// A documented error response with a text body.
    pub(crate) fn api_error_text<E>(self, f: impl FnOnce(String) -> E) -> Error<E> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let body = f(text.to_owned());
                self.api_error_with(body)
            }
            Err(e) => Error::Decode(self.decode_error(DecodeKind::Utf8(e))),
        }
    }

    /// A documented error response without a (meaningful) body.
    pub(crate) fn api_error_empty<E>(self, f: impl FnOnce() -> E) -> Error<E> {
        self.api_error_with(f())
    }

    fn api_error_with<E>(self, body: E) -> Error<E> {
        Error::Api(ApiError::new(self.into_parts(), body))
    }

    /// A status the operation does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(UnexpectedResponse::new(self.into_parts()))
    }
}

/// A response body delivered in chunks as they arrive; see
/// [`ByteStream::collect_bytes`] to gather it.
///
/// The per-attempt timeout covers only the wait for the response headers;
/// reading the body has no time limit, so wrap reads in your own timeout if
/// needed.
///
/// ```no_run
/// # async fn demo(mut stream: modbox::ByteStream) -> Result<(), modbox::TransportError> {
/// use futures_util::StreamExt as _;
/// while let Some(chunk) = stream.next().await {
///     let chunk = chunk?;
///     println!("{} bytes", chunk.len());
/// }
/// # Ok(())
/// # }
/// ```
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    attempts: u32,
}

impl ByteStream {
    /// Reads the rest of the body into memory.
    ///
    /// # Errors
    ///
    /// When the connection breaks before the body is complete.
    pub async fn collect_bytes(mut self) -> Result<Bytes, TransportError> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.into())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let attempts = self.attempts;
        self.inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(|e| TransportError::new(e, attempts))))
    }
}

/// A response whose body has not been read yet.
#[derive(Debug)]
pub(crate) struct StreamingResponse {
    pub(crate) response: reqwest::Response,
    pub(crate) attempts: u32,
    /// Limit for [`StreamingResponse::buffer`].
    pub(crate) timeout: Duration,
}

impl StreamingResponse {
    pub(crate) fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// Hands the body to the caller as a stream.
    #[allow(clippy::unnecessary_wraps)] // same shape as `json`, for generated code
    pub(crate) fn into_stream<E>(self) -> Result<Response<ByteStream>, Error<E>> {
        let mut response = self.response;
        let status = response.status();
        // The body stream does not need the headers: move them out.
        let headers = std::mem::take(response.headers_mut());
        let stream = ByteStream {
            inner: Box::pin(response.bytes_stream()),
            attempts: self.attempts,
        };
        Ok(Response {
            status,
            headers,
            body: stream,
            attempts: self.attempts,
        })
    }

    /// Reads the whole body, e.g. to decode an error response.
    pub(crate) async fn buffer(self) -> Result<RawResponse, Failure> {
        let mut response = self.response;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let attempts = self.attempts;
        match tokio::time::timeout(self.timeout, response.bytes()).await {
            Ok(Ok(body)) => Ok(RawResponse {
                status,
                headers,
                body,
                attempts,
            }),
            Ok(Err(e)) => Err(Failure::Transport(TransportError::new(e, attempts))),
            Err(_) => Err(Failure::Timeout(TimeoutError {
                timeout: self.timeout,
                attempts,
            })),
        }
    }

    /// Reads the body and reports an undocumented status.
    pub(crate) async fn into_unexpected<E>(self) -> Error<E> {
        match self.buffer().await {
            Ok(raw) => raw.unexpected(),
            Err(f) => f.into(),
        }
    }
}
