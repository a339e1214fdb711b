//! The client and how it sends requests: URL and header assembly, retries,
//! timeouts and tracing.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use tracing::Instrument as _;

use super::auth::{Fetched, ResolvedCredentials};
use super::builder::ClientBuilder;
use super::defaults::ParamDefaults;
use super::encoding;
use super::error::{root_cause, Failure, InvalidRequest, TimeoutError, TransportError};
use super::provider::{Hook, ResponseInfo};
use super::request::{self, ApiRequest, Body, RequestOptions};
use super::response::{RawResponse, StreamingResponse};
use super::retry::RetryPolicy;

/// The API client. Cheap to clone: clones share one connection pool and
/// configuration.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = modbox::Client::builder()
///     .base_url(std::env::var("API_URL")?)?
///     .build()?;
/// let shared = client.clone(); // same connections and credentials
/// # let _ = shared;
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
    /// `base_url` parsed once: request URLs are this with the path and query
    /// replaced, which spares parsing the scheme and host on every call.
    pub(crate) base: RequestUrlBase,
    pub(crate) default_headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) credentials: ResolvedCredentials,
    /// Whether a 401 to a request with a provider's credential is answered
    /// by asking the provider again and resending once.
    pub(crate) refresh_on_unauthorized: bool,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) param_defaults: ParamDefaults,
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
            .field("refresh_on_unauthorized", &inner.refresh_on_unauthorized)
            .field("hooks", &inner.hooks.len())
            .field("param_defaults", &inner.param_defaults)
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
        mut req: ApiRequest,
        options: RequestOptions,
        buffer: bool,
    ) -> Result<Outcome, Failure> {
        if let Some(problem) = req.problem.take() {
            return Err(Failure::InvalidRequest(InvalidRequest::new(problem)));
        }
        // Chosen once, so that every retry carries the same key.
        let generated_key;
        let idempotency_key = match (&options.idempotency_key, req.idempotency_header) {
            (Some(key), header) => Some((header.unwrap_or("idempotency-key"), key.as_str())),
            (None, Some(header)) => {
                generated_key = request::new_idempotency_key();
                Some((header, generated_key.as_str()))
            }
            (None, None) => None,
        };
        let inner = &self.inner;
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let max_retries = options.max_retries.unwrap_or(inner.retry.get_max_retries());
        let method_ok = inner
            .retry
            .method_allows_retry(&req.method, idempotency_key.is_some());

        let mut attempt: u32 = 0;
        // The resend after a 401 is not one of the `max_retries`.
        let mut refreshes: u32 = 0;
        // Credentials fetched ahead, when a 401 made the client ask again.
        let mut fresh: Option<Fetched> = None;
        loop {
            attempt += 1;
            let credentials = match fresh.take() {
                Some(c) => c,
                None => self.fetch_credentials(&req, attempt - 1).await?,
            };
            // Built anew for every attempt (the same request each time)
            // rather than copied: the first attempt, usually the only one,
            // then copies nothing.
            let request = self
                .prepare(&req, &options, idempotency_key, &credentials)
                .map_err(Failure::InvalidRequest)?;
            let retries_left = attempt - refreshes <= max_retries;
            let started = Instant::now();
            let result = tokio::time::timeout(timeout, self.attempt(request, buffer)).await;
            // Only read the clock when an event is recorded.
            let elapsed_ms = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

            let delay = match result {
                Ok(Ok(response)) => {
                    let status = response.status();
                    tracing::debug!(
                        attempt,
                        status = status.as_u16(),
                        elapsed_ms = elapsed_ms(),
                        "response"
                    );
                    for hook in &inner.hooks {
                        hook.after_response(&ResponseInfo {
                            method: &req.method,
                            path_template: req.path_template,
                            status,
                            headers: response.headers(),
                            attempt,
                            elapsed: started.elapsed(),
                        });
                    }
                    // A 401 means the server rejected the request before
                    // acting on it, so resending is safe whatever the method.
                    if status == StatusCode::UNAUTHORIZED
                        && inner.refresh_on_unauthorized
                        && refreshes == 0
                        && credentials.is_live()
                    {
                        refreshes = 1;
                        inner.credentials.invalidate(&credentials);
                        let renewed = self.fetch_credentials(&req, attempt).await?;
                        // Nothing new to send: the 401 is the answer.
                        if renewed != credentials {
                            tracing::debug!(attempt, "retrying with refreshed credentials");
                            fresh = Some(renewed);
                            continue;
                        }
                    }
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
                    tracing::debug!(attempt, elapsed_ms = elapsed_ms(), error = %root_cause(&e), "transport error");
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
                    tracing::debug!(attempt, elapsed_ms = elapsed_ms(), "timed out");
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

    /// The providers' credentials for the next attempt, after `attempts`.
    async fn fetch_credentials(&self, req: &ApiRequest, attempts: u32) -> Result<Fetched, Failure> {
        self.inner
            .credentials
            .fetch(req.auth)
            .await
            .map_err(|mut e| {
                e.attempts = attempts;
                Failure::Credential(e)
            })
    }

    /// One attempt: send, and with `buffer` read the whole body.
    async fn attempt(&self, p: Prepared, buffer: bool) -> reqwest::Result<Attempted> {
        // Through the builder, like `RequestBuilder::send`, for its checks of
        // the URL; the headers are then moved in rather than copied.
        let mut request = self.inner.http.request(p.method, p.url).build()?;
        if request.headers().is_empty() {
            *request.headers_mut() = p.headers;
        } else {
            // Only a URL with user info gets a header here: ours replace it.
            let mut headers = p.headers;
            for (name, value) in request.headers() {
                if !headers.contains_key(name) {
                    headers.append(name.clone(), value.clone());
                }
            }
            *request.headers_mut() = headers;
        }
        if let Some(data) = p.body {
            *request.body_mut() = Some(data.into());
        }
        for hook in &self.inner.hooks {
            hook.before_send(&mut request);
        }
        let mut response = self.inner.http.execute(request).await?;
        if !buffer {
            return Ok(Attempted::Streaming(response));
        }
        let status = response.status();
        // Reading the body does not look at the headers: move them out
        // rather than copy them.
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Attempted::Buffered(RawResponse {
            status,
            headers,
            body,
            attempts: 0,
        }))
    }

    /// What one attempt sends: validates the request and resolves URL,
    /// headers and credentials.
    fn prepare(
        &self,
        req: &ApiRequest,
        options: &RequestOptions,
        idempotency_key: Option<(&str, &str)>,
        credentials: &Fetched,
    ) -> Result<Prepared, InvalidRequest> {
        let body = match &options.body {
            Some(Err(problem)) => return Err(InvalidRequest::new(problem.clone())),
            Some(Ok((content_type, data))) => {
                let content_type = HeaderValue::from_str(content_type).map_err(|_| {
                    InvalidRequest::new(format!("invalid content type `{content_type}`"))
                })?;
                Some((content_type, data))
            }
            None => match &req.body {
                Body::Empty => None,
                Body::Bytes { content_type, data } => Some((content_type.clone(), data)),
            },
        };
        let inner = &self.inner;
        let mut headers = HeaderMap::with_capacity(
            inner.default_headers.len() + req.headers.len() + options.headers.len() + 3,
        );
        for (name, value) in &inner.default_headers {
            headers.append(name.clone(), value.clone());
        }
        for (name, value) in &req.headers {
            headers.insert(name.clone(), value.clone());
        }
        let body = body.map(|(content_type, data)| {
            headers.insert(CONTENT_TYPE, content_type);
            data.clone()
        });

        if let Some((name, key)) = idempotency_key {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| InvalidRequest::new(format!("invalid header name `{name}`")))?;
            let value = HeaderValue::from_str(key).map_err(|_| {
                InvalidRequest::new(
                    "idempotency key contains characters not allowed in HTTP headers",
                )
            })?;
            headers.insert(name, value);
        }

        let mut auth_query = Vec::new();
        inner
            .credentials
            .apply(req.auth, credentials, &mut headers, &mut auth_query)
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

        let query = [&req.query[..], &auth_query, &options.query];
        let url = inner.base.join(&inner.base_url, &req.path, &query)?;

        Ok(Prepared {
            method: req.method.clone(),
            url,
            headers,
            body,
        })
    }
}

/// The parsed base URL that request URLs are made from.
pub(crate) struct RequestUrlBase {
    url: Url,
    /// The base URL's path without its trailing slashes (empty for `/`).
    path_prefix: String,
}

impl RequestUrlBase {
    /// `url` is the base URL as kept by the builder, parsed.
    pub(crate) fn new(url: Url) -> Self {
        let path_prefix = url.path().trim_end_matches('/').to_owned();
        Self { url, path_prefix }
    }

    /// The URL of `base_url` followed by `path` and the percent-encoded
    /// `query`: the same URL as parsing the concatenated text.
    fn join(
        &self,
        base_url: &str,
        path: &str,
        query: &[&[(String, String)]],
    ) -> Result<Url, InvalidRequest> {
        let mut query_text = String::new();
        for (i, (name, value)) in query.iter().copied().flatten().enumerate() {
            if i > 0 {
                query_text.push('&');
            }
            query_text.push_str(&encoding::encode(name));
            query_text.push('=');
            query_text.push_str(&encoding::encode(value));
        }
        // Setting the path treats `?` and `#` as path characters and keeps
        // trailing spaces, where parsing the whole text would not; such
        // (unusual) literal paths take the slow way.
        let plain_path =
            path.starts_with('/') && !path.bytes().any(|b| b <= b' ' || b == b'?' || b == b'#');
        if !plain_path {
            let mut text = format!("{base_url}{path}");
            if !query_text.is_empty() {
                text.push('?');
                text.push_str(&query_text);
            }
            // The message leaves the URL out: its query may hold an API key.
            return Url::parse(&text)
                .map_err(|e| InvalidRequest::new(format!("could not build the request URL: {e}")));
        }
        let mut url = self.url.clone();
        if self.path_prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&format!("{}{path}", self.path_prefix));
        }
        if !query_text.is_empty() {
            url.set_query(Some(&query_text));
        }
        Ok(url)
    }
}

/// What one attempt sends.
struct Prepared {
    method: reqwest::Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
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

#[cfg(test)]
mod tests {
    use super::{RequestUrlBase, Url};

    /// Setting path and query on the parsed base gives the URL that parsing
    /// the concatenated text gives.
    #[test]
    fn request_urls_match_parsing_the_whole_text() {
        let bases = [
            "http://127.0.0.1:8080",
            "https://api.example.com/v1",
            "https://api.example.com/v1/a%2Fb",
            "http://[::1]:3000/a b",
            "https://bücher.example/ü",
        ];
        let paths = [
            "/sandbox-images",
            "/images/a%2Fb%3F",
            "/a/../b/./c",
            "/a\\b",
            "/a b/ü/%zz/{x}",
            "/a\tb\n",
            "/",
            "",
            "x/y",
            "/q?x=1",
            "/f#frag",
            "/trailing ",
            "//double//",
        ];
        let queries: [&[(&str, &str)]; 3] = [&[], &[("a", "1")], &[("k y", "v&=?#/ü"), ("a", "")]];
        for base_url in bases {
            let Ok(parsed) = Url::parse(base_url) else {
                panic!("{base_url}");
            };
            let base_url = parsed.as_str().trim_end_matches('/');
            let Ok(parsed) = Url::parse(base_url) else {
                panic!("{base_url}");
            };
            let base = RequestUrlBase::new(parsed);
            for path in paths {
                for query in queries {
                    let query: Vec<(String, String)> = query
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect();
                    let mut text = format!("{base_url}{path}");
                    for (i, (k, v)) in query.iter().enumerate() {
                        text.push(if i == 0 { '?' } else { '&' });
                        text.push_str(&super::encoding::encode(k));
                        text.push('=');
                        text.push_str(&super::encoding::encode(v));
                    }
                    let want = Url::parse(&text)
                        .map(String::from)
                        .map_err(|e| e.to_string());
                    let got = base
                        .join(base_url, path, &[&query])
                        .map(String::from)
                        .map_err(|e| e.to_string());
                    assert_eq!(
                        got.is_ok(),
                        want.is_ok(),
                        "{base_url} {path:?} {query:?}: {got:?} {want:?}"
                    );
                    if let (Ok(got), Ok(want)) = (got, want) {
                        assert_eq!(got, want, "{base_url} {path:?} {query:?}");
                    }
                }
            }
        }
    }
}
