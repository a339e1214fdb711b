//! Configuring a [`Client`].

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, USER_AGENT};
use reqwest::Url;

use super::auth::{Credential, Credentials};
use super::client::{Client, HeaderNames, Inner, RequestUrlBase};
use super::defaults::ParamDefaults;
use super::provider::{Hook, OnRequest, OnResponse, ResponseInfo};
use super::request;
use super::retry::RetryPolicy;

const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Operations decode JSON whenever the spec offers it, so ask for it: a server that can answer in
/// several media types (`application/xml` listed first, say) otherwise picks its own. Any other
/// type is still accepted for operations that return text or bytes.
const DEFAULT_ACCEPT: &str = "application/json, */*;q=0.8";

/// Configures a [`Client`]. Credentials are set with one method per
/// security scheme of the API description (see the crate docs).
///
/// ```no_run
/// use std::time::Duration;
/// use modbox::{Client, RetryPolicy};
///
/// # fn demo() -> Result<(), modbox::BuildError> {
/// let client = Client::builder()
///     .base_url("http://localhost:8080/api")?
///     .default_header("x-workspace-id", "ws_123")?
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().max_retries(4))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Credentials,
    refresh_on_unauthorized: bool,
    hooks: Vec<Arc<dyn Hook>>,
    default_headers: HeaderMap,
    user_agent: Option<HeaderValue>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    /// Typed defaults of common parameters, set through generated methods.
    pub(super) param_defaults: ParamDefaults,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            credentials: Credentials::default(),
            refresh_on_unauthorized: true,
            hooks: Vec::new(),
            default_headers: HeaderMap::new(),
            user_agent: None,
            timeout: None,
            connect_timeout: None,
            retry: RetryPolicy::default(),
            http: None,
            param_defaults: ParamDefaults::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("refresh_on_unauthorized", &self.refresh_on_unauthorized)
            .field("hooks", &self.hooks.len())
            .field("default_headers", &HeaderNames(&self.default_headers))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("param_defaults", &self.param_defaults)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The server to talk to, e.g. `https://api.example.com/v1`. A trailing
    /// slash makes no difference. Defaults to the API's documented server.
    ///
    /// # Errors
    ///
    /// When the URL does not parse, is not `http`/`https`, or has a query,
    /// fragment or user info.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, BuildError> {
        let raw = url.as_ref();
        let parsed = Url::parse(raw)
            .map_err(|e| BuildError::with_source(format!("invalid base URL `{raw}`"), e))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(BuildError::new(format!(
                "invalid base URL `{raw}`: expected an http:// or https:// URL with a host"
            )));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(BuildError::new(format!(
                "invalid base URL `{raw}`: it must not have a query or fragment"
            )));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(BuildError::new(
                "invalid base URL: set credentials with the builder's security-scheme setters, not in the URL",
            ));
        }
        self.base_url = Some(parsed.as_str().trim_end_matches('/').to_owned());
        Ok(self)
    }

    /// Sets the credential of security scheme `index` (`key` in the API
    /// description). The generated crate's per-scheme setters (`src/auth.rs`)
    /// call this; there is no public setter by name, so a misspelt scheme
    /// does not compile.
    #[must_use]
    pub(crate) fn credential(
        mut self,
        index: usize,
        key: &'static str,
        credential: Credential,
    ) -> Self {
        self.credentials.set(index, key, credential);
        self
    }

    /// Whether a `401 Unauthorized` answer to a request that carried a
    /// provider's credential makes the client tell the provider
    /// ([`CredentialProvider::invalidate`](super::CredentialProvider::invalidate)),
    /// ask it again and, if the credential changed, send the request once
    /// more (on by default). This resend happens at most once per call, for
    /// every method (a 401 means the server did not act on the request), and
    /// is not counted against [`max_retries`](RetryPolicy::max_retries).
    /// Fixed credentials are never resent: there is nothing new to send.
    #[must_use]
    pub fn refresh_on_unauthorized(mut self, yes: bool) -> Self {
        self.refresh_on_unauthorized = yes;
        self
    }

    /// Adds a [`Hook`](super::Hook) that sees every request before it is
    /// sent and every response, retries included. Hooks run in the order
    /// they were added.
    #[must_use]
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Calls `f` with every request (each attempt) just before it is sent,
    /// for example to sign it:
    ///
    /// ```no_run
    /// # fn demo() -> Result<modbox::Client, modbox::BuildError> {
    /// # fn sign(_: &[u8]) -> String { String::new() }
    /// let client = modbox::Client::builder()
    ///     .on_request(|request| {
    ///         let body = request.body().and_then(|b| b.as_bytes()).unwrap_or_default();
    ///         let signature = sign(body);
    ///         if let Ok(value) = signature.parse() {
    ///             request.headers_mut().insert("x-signature", value);
    ///         }
    ///     })
    ///     .build()?;
    /// # Ok(client)
    /// # }
    /// ```
    #[must_use]
    pub fn on_request(self, f: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.hook(OnRequest(f))
    }

    /// Calls `f` with the status and headers of every response (each
    /// attempt), for logging or metrics:
    ///
    /// ```no_run
    /// # fn demo() -> Result<modbox::Client, modbox::BuildError> {
    /// let client = modbox::Client::builder()
    ///     .on_response(|r| eprintln!("{} {} -> {} ({:?})", r.method, r.path_template, r.status, r.elapsed))
    ///     .build()?;
    /// # Ok(client)
    /// # }
    /// ```
    #[must_use]
    pub fn on_response(self, f: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.hook(OnResponse(f))
    }

    /// A header sent with every request, unless an operation parameter or a
    /// per-call `.header(..)` of the same name replaces it. Values of headers
    /// whose names suggest credentials (`*key*`, `*token*`, ...) are never
    /// printed.
    ///
    /// # Errors
    ///
    /// When the name or value is not valid in an HTTP header (for example a
    /// value containing a line break).
    pub fn default_header(
        mut self,
        name: impl AsRef<str>,
        value: impl AsRef<str>,
    ) -> Result<Self, BuildError> {
        let name = name.as_ref();
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| BuildError::with_source(format!("invalid header name `{name}`"), e))?;
        let mut value = HeaderValue::from_str(value.as_ref()).map_err(|e| {
            BuildError::with_source(format!("invalid value for header `{name}`"), e)
        })?;
        value.set_sensitive(request::is_sensitive_name(name));
        self.default_headers.insert(header, value);
        Ok(self)
    }

    /// The `User-Agent` header; defaults to this crate's name and version.
    ///
    /// # Errors
    ///
    /// When the value is not valid in an HTTP header.
    pub fn user_agent(mut self, value: impl AsRef<str>) -> Result<Self, BuildError> {
        let value = HeaderValue::from_str(value.as_ref())
            .map_err(|e| BuildError::with_source("invalid user agent", e))?;
        self.user_agent = Some(value);
        Ok(self)
    }

    /// Time limit for each attempt, from sending until the whole response is
    /// read (60 s by default). Retries get a fresh limit each.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for opening a connection. Ignored with
    /// [`http_client`](Self::http_client), whose own setting applies.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed attempts are retried.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Shorthand for changing only the retry policy's maximum retries.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry = self.retry.max_retries(n);
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS roots, ...). The
    /// timeout, retries, headers and credentials configured here still apply.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// When no base URL was set and the API description names none, or the
    /// HTTP client cannot be created (TLS backend initialisation).
    pub fn build(self) -> Result<Client, BuildError> {
        self.param_defaults.check().map_err(BuildError::new)?;
        let base_url = match self.base_url {
            Some(url) => url,
            None => match crate::DEFAULT_BASE_URL {
                Some(url) => Self::default().base_url(url)?.base_url.unwrap_or_default(),
                None => {
                    return Err(BuildError::new(
                        "no base URL: the API description names no server, so call \
                         `ClientBuilder::base_url`",
                    ))
                }
            },
        };
        let base = Url::parse(&base_url)
            .map(RequestUrlBase::new)
            .map_err(|e| BuildError::with_source(format!("invalid base URL `{base_url}`"), e))?;
        let http = if let Some(http) = self.http {
            http
        } else {
            let mut b = reqwest::Client::builder();
            if let Some(t) = self.connect_timeout {
                b = b.connect_timeout(t);
            }
            b.build()
                .map_err(|e| BuildError::with_source("could not create the HTTP client", e))?
        };
        let mut default_headers = HeaderMap::new();
        default_headers.insert(
            USER_AGENT,
            self.user_agent
                .unwrap_or_else(|| HeaderValue::from_static(DEFAULT_USER_AGENT)),
        );
        default_headers.insert(ACCEPT, HeaderValue::from_static(DEFAULT_ACCEPT));
        default_headers.extend(self.default_headers);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base,
                default_headers,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry,
                credentials: self.credentials.resolve(),
                refresh_on_unauthorized: self.refresh_on_unauthorized,
                hooks: self.hooks,
                param_defaults: self.param_defaults,
            }),
        })
    }
}

/// [`ClientBuilder`] was given an invalid setting.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl BuildError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }
    pub(crate) fn with_source(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
