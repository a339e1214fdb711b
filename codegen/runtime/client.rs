//! The client and how it sends requests: URL and header assembly, retries,
//! timeouts and tracing.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use tracing::Instrument as _;

use super::auth::Credentials;
use super::builder::ClientBuilder;
use super::encoding;
use super::error::{root_cause, Failure, InvalidRequest, TimeoutError, TransportError};
use super::request::{self, ApiRequest, Body, RequestOptions};
use super::response::{RawResponse, StreamingResponse};
use super::retry::RetryPolicy;

/// The API client. Cheap to clone: clones share one connection pool and
/// configuration.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = modbox::Client::builder()
///     .bearer_token(std::env::var("MODBOX_TOKEN")?)
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Without a trailing slash, so that operation paths (which start with
    /// `/`) can be appended.
    pub(crate) base_url: String,
    pub(crate) default_headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) credentials: Credentials,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("default_headers", &HeaderNames(&inner.default_headers))
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("credentials", &inner.credentials)
            .finish_non_exhaustive()
    }
}

/// Shows header names only: default headers may carry credentials.
pub(crate) struct HeaderNames<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k.as_str(), "<redacted>")))
            .finish()
    }
}

impl Client {
    /// Starts configuring a client.
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to (without a trailing slash).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request, retrying as configured, and reads the whole body.
    pub(crate) async fn execute(
        &self,
        req: ApiRequest,
        options: RequestOptions,
    ) -> Result<RawResponse, Failure> {
        let span = tracing::debug_span!(
            "http_request",
            method = %req.method,
            path = req.path_template,
        );
        match self.run(req, options, true).instrument(span).await? {
            Outcome::Buffered(raw) => Ok(raw),
            Outcome::Streaming(s) => s.buffer().await,
        }
    }

    /// Like [`Client::execute`] but leaves the body unread, for downloads.
    /// Retries happen only before the body is handed over.
    pub(crate) async fn execute_stream(
        &self,
        req: ApiRequest,
        options: RequestOptions,
    ) -> Result<StreamingResponse, Failure> {
        let span = tracing::debug_span!(
            "http_request",
            method = %req.method,
            path = req.path_template,
        );
        match self.run(req, options, false).instrument(span).await? {
            Outcome::Streaming(s) => Ok(s),
            // Not produced with `buffer == false`; kept total rather than
            // panicking.
            Outcome::Buffered(raw) => Err(Failure::InvalidRequest(InvalidRequest::new(format!(
                "internal error: response {} was buffered",
                raw.status
            )))),
        }
    }

    async fn run(
        &self,
        req: ApiRequest,
        options: RequestOptions,
        buffer: bool,
    ) -> Result<Outcome, Failure> {
        let prepared = self
            .prepare(req, &options)
            .map_err(Failure::InvalidRequest)?;
        let inner = &self.inner;
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let max_retries = options.max_retries.unwrap_or(inner.retry.get_max_retries());
        let method_ok = inner
            .retry
            .method_allows_retry(&prepared.method, prepared.has_idempotency_key);

        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let retries_left = attempt <= max_retries;
            let started = Instant::now();
            let result = tokio::time::timeout(timeout, self.attempt(&prepared, buffer)).await;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

            let delay = match result {
                Ok(Ok(response)) => {
                    let status = response.status();
                    tracing::debug!(attempt, status = status.as_u16(), elapsed_ms, "response");
                    let delay = retries_left
                        .then(|| {
                            let headers = response.headers();
                            inner
                                .retry
                                .delay_after_response(status, headers, method_ok, attempt)
                        })
                        .flatten();
                    match delay {
                        Some(d) => d,
                        None => return Ok(response.finish(attempt, timeout)),
                    }
                }
                Ok(Err(e)) => {
                    let e = e.without_url();
                    tracing::debug!(attempt, elapsed_ms, error = %root_cause(&e), "transport error");
                    // Nothing was sent if the connection could not be made.
                    let retry = retries_left && (method_ok || e.is_connect());
                    let failure = if e.is_timeout() {
                        Failure::Timeout(TimeoutError {
                            timeout,
                            attempts: attempt,
                        })
                    } else {
                        Failure::Transport(TransportError::new(e, attempt))
                    };
                    if !retry {
                        return Err(failure);
                    }
                    inner.retry.backoff(attempt)
                }
                Err(_elapsed) => {
                    tracing::debug!(attempt, elapsed_ms, "timed out");
                    if !(retries_left && method_ok) {
                        return Err(Failure::Timeout(TimeoutError {
                            timeout,
                            attempts: attempt,
                        }));
                    }
                    inner.retry.backoff(attempt)
                }
            };
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(attempt, delay_ms, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: send, and with `buffer` read the whole body.
    async fn attempt(&self, p: &Prepared, buffer: bool) -> reqwest::Result<Attempted> {
        let mut builder = self
            .inner
            .http
            .request(p.method.clone(), p.url.clone())
            .headers(p.headers.clone());
        if let Body::Bytes { data, .. } = &p.body {
            builder = builder.body(data.clone());
        }
        let response = builder.send().await?;
        if !buffer {
            return Ok(Attempted::Streaming(response));
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok(Attempted::Buffered(RawResponse {
            status,
            headers,
            body,
            attempts: 0,
        }))
    }

    /// Validates the request and resolves URL, headers and credentials.
    fn prepare(
        &self,
        mut req: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Prepared, InvalidRequest> {
        if let Some(problem) = req.problem {
            return Err(InvalidRequest::new(problem));
        }
        if let Some((content_type, data)) = &options.body {
            let content_type = HeaderValue::from_str(content_type).map_err(|_| {
                InvalidRequest::new(format!("invalid content type `{content_type}`"))
            })?;
            req.body = Body::Bytes {
                content_type,
                data: data.clone(),
            };
        }
        let inner = &self.inner;
        let mut headers = inner.default_headers.clone();
        for (name, value) in &req.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some((name, value)) = req.content_type() {
            headers.insert(name, value);
        }

        let idempotency_key = match (&options.idempotency_key, req.idempotency_header) {
            (Some(key), header) => Some((header.unwrap_or("idempotency-key"), key.clone())),
            (None, Some(header)) => Some((header, request::new_idempotency_key())),
            (None, None) => None,
        };
        if let Some((name, key)) = &idempotency_key {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| InvalidRequest::new(format!("invalid header name `{name}`")))?;
            let value = HeaderValue::from_str(key).map_err(|_| {
                InvalidRequest::new(
                    "idempotency key contains characters not allowed in HTTP headers",
                )
            })?;
            headers.insert(name, value);
        }

        let mut query = req.query;
        inner
            .credentials
            .apply(req.auth, &mut headers, &mut query)
            .map_err(InvalidRequest::new)?;

        for (name, value) in &options.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| InvalidRequest::new(format!("invalid header name `{name}`")))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                InvalidRequest::new(format!(
                    "value of header `{name}` contains characters not allowed in HTTP headers"
                ))
            })?;
            value.set_sensitive(request::is_sensitive_name(name));
            headers.insert(header, value);
        }
        query.extend(options.query.iter().cloned());

        let mut url = format!("{}{}", inner.base_url, req.path);
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encoding::encode(name));
            url.push('=');
            url.push_str(&encoding::encode(value));
        }
        // The message leaves the URL out: its query may hold an API key.
        let url = Url::parse(&url)
            .map_err(|e| InvalidRequest::new(format!("could not build the request URL: {e}")))?;

        Ok(Prepared {
            method: req.method,
            url,
            headers,
            body: req.body,
            has_idempotency_key: idempotency_key.is_some(),
        })
    }
}

struct Prepared {
    method: reqwest::Method,
    url: Url,
    headers: HeaderMap,
    body: Body,
    has_idempotency_key: bool,
}

enum Attempted {
    Buffered(RawResponse),
    Streaming(reqwest::Response),
}

impl Attempted {
    fn status(&self) -> reqwest::StatusCode {
        match self {
            Self::Buffered(r) => r.status,
            Self::Streaming(r) => r.status(),
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Self::Buffered(r) => &r.headers,
            Self::Streaming(r) => r.headers(),
        }
    }

    fn finish(self, attempts: u32, timeout: Duration) -> Outcome {
        match self {
            Self::Buffered(mut r) => {
                r.attempts = attempts;
                Outcome::Buffered(r)
            }
            Self::Streaming(response) => Outcome::Streaming(StreamingResponse {
                response,
                attempts,
                timeout,
            }),
        }
    }
}

enum Outcome {
    Buffered(RawResponse),
    Streaming(StreamingResponse),
}
