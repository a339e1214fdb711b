//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};
use reqwest::{Method, StatusCode};

// Looked up on every response: as names, not strings, which would be parsed
// on each lookup.
static X_SHOULD_RETRY: HeaderName = HeaderName::from_static("x-should-retry");
static RETRY_AFTER_MS: HeaderName = HeaderName::from_static("retry-after-ms");

/// How failed attempts are retried.
///
/// A call is retried on connection failures, timeouts, and responses with
/// status 408, 409, 429 or 5xx, at most [`max_retries`](Self::max_retries)
/// times. Only idempotent methods (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`,
/// `TRACE`) are retried, plus `POST`/`PATCH` calls that carry an idempotency
/// key; [`retry_non_idempotent`](Self::retry_non_idempotent) lifts that
/// restriction. A failure to connect and a `429 Too Many Requests` are retried
/// whatever the method, since the request was not processed.
///
/// Between attempts the client waits for an exponentially growing, jittered
/// delay, or for what the server asks in `Retry-After` (seconds or an HTTP
/// date) or `retry-after-ms`. If the server asks for longer than
/// [`max_retry_after`](Self::max_retry_after), the response is returned
/// instead of waiting. A response header `x-should-retry: true|false`
/// overrides the status- and method-based decision.
///
/// Request bodies are kept in memory, so every retry sends the same bytes.
///
/// ```
/// use std::time::Duration;
/// use modbox::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(4));
/// assert_eq!(policy.get_max_retries(), 5);
/// assert_eq!(RetryPolicy::none().get_max_retries(), 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 2 retries, 500 ms initial backoff, 8 s maximum backoff, `Retry-After`
    /// honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    #[must_use]
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// Maximum number of retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Delay before the first retry; doubled for each further retry.
    #[must_use]
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Upper bound of the computed backoff delay.
    #[must_use]
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Longest server-requested delay (`Retry-After`) the client will wait;
    /// a longer request ends the retries.
    #[must_use]
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Also retry `POST` and `PATCH` calls without an idempotency key. Only
    /// safe when the server is known to process such calls at most once.
    #[must_use]
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// The configured maximum number of retries.
    #[must_use]
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether a request with this method may be replayed.
    pub(crate) fn method_allows_retry(&self, method: &Method, has_idempotency_key: bool) -> bool {
        self.retry_non_idempotent
            || has_idempotency_key
            || matches!(
                *method,
                Method::GET
                    | Method::HEAD
                    | Method::OPTIONS
                    | Method::PUT
                    | Method::DELETE
                    | Method::TRACE
            )
    }

    /// Jittered exponential delay before retry number `retry` (1-based).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        // Up to 25 % less, so that clients failing together spread out.
        base.mul_f64(1.0 - fastrand::f64() * 0.25)
    }

    /// Decides what to do after a response: `None` to stop, or the delay.
    pub(crate) fn delay_after_response(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        method_ok: bool,
        retry: u32,
    ) -> Option<Duration> {
        let wanted = match should_retry_header(headers) {
            Some(explicit) => explicit,
            // A 429 means the request was turned away unprocessed, so it is
            // safe to repeat whatever the method.
            None => {
                (method_ok || status == StatusCode::TOO_MANY_REQUESTS)
                    && is_retryable_status(status)
            }
        };
        if !wanted {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(d) if d > self.max_retry_after => None,
            Some(d) => Some(d),
            None => Some(self.backoff(retry)),
        }
    }
}

/// Statuses that are worth retrying.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    let v = headers.get(&X_SHOULD_RETRY)?.to_str().ok()?.trim();
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The delay the server asked for, from `retry-after-ms` or `Retry-After`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = headers
        .get(&RETRY_AFTER_MS)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    type Case = (&'static [(&'static str, &'static str)], Option<Duration>);

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let cases: [Case; 6] = [
            (&[("retry-after", "3")], Some(Duration::from_secs(3))),
            (
                &[("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")],
                Some(Duration::from_secs(10)),
            ),
            (
                &[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")],
                Some(Duration::ZERO),
            ),
            (&[("retry-after", "soon")], None),
            (
                &[("retry-after-ms", "250"), ("retry-after", "9")],
                Some(Duration::from_millis(250)),
            ),
            (&[], None),
        ];
        for (pairs, want) in cases {
            assert_eq!(retry_after(&headers(pairs), now), want, "{pairs:?}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        for retry in 1..40 {
            let d = p.backoff(retry);
            let base = (Duration::from_millis(500) * 2u32.saturating_pow(retry - 1))
                .min(Duration::from_secs(8));
            assert!(d <= base && d >= base.mul_f64(0.75), "{retry}: {d:?}");
        }
    }

    #[test]
    fn methods_and_statuses() {
        let p = RetryPolicy::default();
        assert!(p.method_allows_retry(&Method::GET, false));
        assert!(!p.method_allows_retry(&Method::POST, false));
        assert!(p.method_allows_retry(&Method::POST, true));
        assert!(p
            .clone()
            .retry_non_idempotent(true)
            .method_allows_retry(&Method::PATCH, false));
        for (code, want) in [
            (408, true),
            (409, true),
            (429, true),
            (500, true),
            (503, true),
            (400, false),
            (404, false),
        ] {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            assert_eq!(is_retryable_status(status), want, "{code}");
        }
        let none = HeaderMap::new();
        assert!(p
            .delay_after_response(StatusCode::TOO_MANY_REQUESTS, &none, false, 1)
            .is_some());
        assert!(p
            .delay_after_response(StatusCode::SERVICE_UNAVAILABLE, &none, false, 1)
            .is_none());
    }
}
