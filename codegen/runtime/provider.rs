//! Credentials that change during the client's life, and hooks on every
//! request and response.
//!
//! A provider is asked for the credential before every attempt, so a
//! refreshed OAuth 2.0 token is picked up by the next call and by retries of
//! the current one. Only the scheme's setters in `src/auth.rs` and the
//! builder's hook methods are generic over these traits: the client stores
//! them as trait objects, so the code that sends requests is compiled once.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Why a provider could not produce a credential.
pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

/// What [`CredentialProvider::credential`] returns: the current credential
/// (a bearer token or an API key), or why none could be had.
pub type CredentialFuture<'a> =
    Pin<Box<dyn Future<Output = Result<String, Box<dyn StdError + Send + Sync>>> + Send + 'a>>;

/// A source of a security scheme's credential, asked before every attempt
/// of every call (retries included).
///
/// A closure `Fn() -> Result<String, E>` is a provider; wrap an async
/// closure in [`AsyncProvider`]. Implement the trait for a provider that
/// caches a token and fetches a new one when told the old one was rejected:
///
/// ```no_run
/// use std::sync::Mutex;
/// use modbox::{CredentialFuture, CredentialProvider};
///
/// struct OAuth {
///     cached: Mutex<Option<String>>,
/// }
///
/// async fn fetch_token() -> Result<String, std::io::Error> {
///     Ok("token from the token endpoint".to_owned())
/// }
///
/// impl CredentialProvider for OAuth {
///     fn credential(&self) -> CredentialFuture<'_> {
///         Box::pin(async move {
///             if let Some(token) = self.cached.lock().unwrap().clone() {
///                 return Ok(token);
///             }
///             let token = fetch_token().await?;
///             *self.cached.lock().unwrap() = Some(token.clone());
///             Ok(token)
///         })
///     }
///
///     fn invalidate(&self, rejected: &str) {
///         let mut cached = self.cached.lock().unwrap();
///         // Another call may have refreshed it already.
///         if cached.as_deref() == Some(rejected) {
///             *cached = None;
///         }
///     }
/// }
/// ```
pub trait CredentialProvider: Send + Sync + 'static {
    /// The credential to send now. Called before every attempt: keep it
    /// cheap (cache the value) and let it fail only when no credential can
    /// be had; the call then fails with `Error::Credential`.
    fn credential(&self) -> CredentialFuture<'_>;

    /// The server answered `401 Unauthorized` to a request carrying
    /// `rejected`. The client then asks for the credential once more and,
    /// if it changed, sends the request again (see
    /// `ClientBuilder::refresh_on_unauthorized`). Does nothing by default.
    fn invalidate(&self, rejected: &str) {
        let _ = rejected;
    }
}

impl<F, E> CredentialProvider for F
where
    F: Fn() -> Result<String, E> + Send + Sync + 'static,
    E: Into<BoxError>,
{
    fn credential(&self) -> CredentialFuture<'_> {
        Box::pin(std::future::ready(self().map_err(Into::into)))
    }
}

/// Makes an async closure a [`CredentialProvider`].
///
/// ```no_run
/// # async fn fetch_token() -> Result<String, std::io::Error> { Ok(String::new()) }
/// let provider = modbox::AsyncProvider(|| async { fetch_token().await });
/// # let _ = provider;
/// ```
pub struct AsyncProvider<F>(pub F);

impl<F, Fut, E> CredentialProvider for AsyncProvider<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn credential(&self) -> CredentialFuture<'_> {
        let fetching = (self.0)();
        Box::pin(async move { fetching.await.map_err(Into::into) })
    }
}

/// A credential provider failed; the request was not sent (again).
#[derive(Debug)]
pub struct CredentialError {
    scheme: &'static str,
    source: BoxError,
    pub(crate) attempts: u32,
}

impl CredentialError {
    pub(crate) fn new(scheme: &'static str, source: BoxError) -> Self {
        Self {
            scheme,
            source,
            attempts: 0,
        }
    }
    /// The key of the security scheme in the API description.
    #[must_use]
    pub fn scheme(&self) -> &str {
        self.scheme
    }
    /// How many HTTP attempts were made before the provider failed.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not obtain the credential of security scheme `{}`: {}",
            self.scheme, self.source
        )
    }
}

impl StdError for CredentialError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Sees every request the client sends and every response it receives,
/// retries included: to sign requests, log, or count.
///
/// ```no_run
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use modbox::{Hook, ResponseInfo};
///
/// #[derive(Default)]
/// struct Metrics {
///     errors: AtomicU64,
/// }
///
/// impl Hook for Metrics {
///     fn after_response(&self, response: &ResponseInfo<'_>) {
///         if !response.status.is_success() {
///             self.errors.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called with each attempt's request just before it is sent, after
    /// credentials, headers and body are in place; may change it (add a
    /// signature header, say). The body is in memory:
    /// `request.body().and_then(|b| b.as_bytes())`.
    fn before_send(&self, request: &mut reqwest::Request) {
        let _ = request;
    }

    /// Called when each attempt's response arrives (status and headers),
    /// before the client decides whether to retry.
    fn after_response(&self, response: &ResponseInfo<'_>) {
        let _ = response;
    }
}

/// A response as [`Hook::after_response`] sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The request's method.
    pub method: &'a Method,
    /// The operation's path as in the API description (`/items/{id}`):
    /// path parameters, which may be identifying, are not filled in.
    pub path_template: &'static str,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// 1 for the first attempt of a call, 2 for its first retry, ...
    pub attempt: u32,
    /// From sending the request until the response arrived (with its whole
    /// body, except for downloads and event streams).
    pub elapsed: Duration,
}

/// `ClientBuilder::on_request`'s closure as a hook.
pub(crate) struct OnRequest<F>(pub(crate) F);

impl<F: Fn(&mut reqwest::Request) + Send + Sync + 'static> Hook for OnRequest<F> {
    fn before_send(&self, request: &mut reqwest::Request) {
        (self.0)(request);
    }
}

/// `ClientBuilder::on_response`'s closure as a hook.
pub(crate) struct OnResponse<F>(pub(crate) F);

impl<F: Fn(&ResponseInfo<'_>) + Send + Sync + 'static> Hook for OnResponse<F> {
    fn after_response(&self, response: &ResponseInfo<'_>) {
        (self.0)(response);
    }
}
