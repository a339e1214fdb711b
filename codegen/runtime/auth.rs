//! Credentials and how they are attached to requests.
//!
//! The generated crate gives `ClientBuilder` one setter per security scheme
//! of the API description (`src/auth.rs`); each stores a [`Credential`]
//! under the scheme's index, and operations name the schemes they accept by
//! those indices. Nothing here is keyed by a string the user types, so a
//! misspelt scheme is a compile error.
//!
//! A bearer token or API key can also come from a [`CredentialProvider`],
//! asked before every attempt (`Credential::Live`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::provider::{CredentialError, CredentialProvider};

/// A credential; its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// The credential of one security scheme, and how it is sent.
#[derive(Debug, Clone)]
pub(crate) enum Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2.0, OpenID Connect).
    Bearer(Secret),
    /// `Authorization: Basic <base64(user:password)>`.
    Basic(Secret, Secret),
    /// An API key in the header, query parameter or cookie `param`.
    ApiKey {
        location: ApiKeyLocation,
        param: &'static str,
        key: Secret,
    },
    /// A bearer token (`api_key: None`) or an API key from a provider.
    Live {
        api_key: Option<(ApiKeyLocation, &'static str)>,
        provider: Provider,
    },
}

/// A provider; shown as `<provider>`.
#[derive(Clone)]
pub(crate) struct Provider(Arc<dyn CredentialProvider>);

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<provider>")
    }
}

impl Credential {
    pub(crate) fn bearer_provider(provider: impl CredentialProvider) -> Self {
        Self::Live {
            api_key: None,
            provider: Provider(Arc::new(provider)),
        }
    }
    pub(crate) fn api_key_provider(
        location: ApiKeyLocation,
        param: &'static str,
        provider: impl CredentialProvider,
    ) -> Self {
        Self::Live {
            api_key: Some((location, param)),
            provider: Provider(Arc::new(provider)),
        }
    }
    pub(crate) fn bearer(token: String) -> Self {
        Self::Bearer(Secret::new(token))
    }
    pub(crate) fn basic(user: String, password: String) -> Self {
        Self::Basic(Secret::new(user), Secret::new(password))
    }
    pub(crate) fn api_key(location: ApiKeyLocation, param: &'static str, key: String) -> Self {
        Self::ApiKey {
            location,
            param,
            key: Secret::new(key),
        }
    }
}

/// The credentials configured on a client, by security scheme index; the
/// scheme's key in the API description is kept for `Debug` output.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    by_scheme: BTreeMap<usize, (&'static str, Credential)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.by_scheme.values().map(|(key, c)| (key, c)))
            .finish()
    }
}

impl Credentials {
    /// Sets (or replaces) the credential of scheme `index`, whose key in the
    /// API description is `key`.
    pub(crate) fn set(&mut self, index: usize, key: &'static str, credential: Credential) {
        self.by_scheme.insert(index, (key, credential));
    }

    /// Builds the header values once, so that calls only clone them.
    pub(crate) fn resolve(self) -> ResolvedCredentials {
        let slots = self
            .by_scheme
            .iter()
            .map(|(index, (key, credential))| {
                let slot = match credential {
                    Credential::Live { api_key, provider } => Slot::Live {
                        key,
                        api_key: *api_key,
                        provider: provider.0.clone(),
                    },
                    fixed => Slot::Fixed(Prepared::of(fixed)),
                };
                (*index, slot)
            })
            .collect();
        ResolvedCredentials {
            secrets: self,
            slots,
        }
    }
}

/// What a credential adds to a request. Values that are not valid in a
/// header are kept as the error each call reports when it needs them
/// (building the client does not fail for them).
enum Prepared {
    Header(Result<(HeaderName, HeaderValue), String>),
    Query(&'static str, Secret),
    /// `name=value`, encoded like cookie parameters.
    Cookie(Result<String, String>),
}

impl Prepared {
    fn of(credential: &Credential) -> Self {
        match credential {
            // Never prepared: `Credentials::resolve` keeps providers as `Slot::Live`.
            Credential::Live { .. } => {
                Self::Header(Err("internal error: unresolved provider".into()))
            }
            Credential::Bearer(token) => Self::Header(
                sensitive(&format!("Bearer {}", token.expose()), "bearer token")
                    .map(|v| (AUTHORIZATION, v)),
            ),
            Credential::Basic(user, password) => {
                let raw = format!("{}:{}", user.expose(), password.expose());
                Self::Header(
                    sensitive(
                        &format!("Basic {}", base64(raw.as_bytes())),
                        "basic credentials",
                    )
                    .map(|v| (AUTHORIZATION, v)),
                )
            }
            Credential::ApiKey {
                location: ApiKeyLocation::Header,
                param,
                key,
            } => Self::Header(
                HeaderName::from_bytes(param.as_bytes())
                    .map_err(|_| format!("invalid header name `{param}`"))
                    .and_then(|name| Ok((name, sensitive(key.expose(), "API key")?))),
            ),
            Credential::ApiKey {
                location: ApiKeyLocation::Query,
                param,
                key,
            } => Self::Query(param, key.clone()),
            Credential::ApiKey {
                location: ApiKeyLocation::Cookie,
                param,
                key,
            } => Self::Cookie(super::encoding::cookie_pair(param, key.expose())),
        }
    }
}

/// A configured credential: prepared once, or asked from a provider on
/// every attempt.
enum Slot {
    Fixed(Prepared),
    Live {
        key: &'static str,
        api_key: Option<(ApiKeyLocation, &'static str)>,
        provider: Arc<dyn CredentialProvider>,
    },
}

/// The values the providers gave for one attempt, by scheme index.
#[derive(Default, PartialEq, Eq)]
pub(crate) struct Fetched(Vec<(usize, Secret)>);

impl Fetched {
    /// Whether a provider took part (only then can a 401 be answered by
    /// asking again).
    pub(crate) fn is_live(&self) -> bool {
        !self.0.is_empty()
    }
}

/// The credentials of a built client, with their header values prepared.
pub(crate) struct ResolvedCredentials {
    secrets: Credentials,
    slots: BTreeMap<usize, Slot>,
}

impl fmt::Debug for ResolvedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.secrets.fmt(f)
    }
}

impl ResolvedCredentials {
    /// The first alternative (a list of scheme indices) whose credentials
    /// are all configured. With none, requests go without credentials: the
    /// server then answers 401, which is clearer than a client-side error.
    fn choose(&self, alternatives: &[&'static [usize]]) -> Option<&'static [usize]> {
        alternatives
            .iter()
            .copied()
            .find(|alt| alt.iter().all(|s| self.slots.contains_key(s)))
    }

    /// Asks the providers of the chosen alternative for their credentials.
    pub(crate) async fn fetch(
        &self,
        alternatives: &[&'static [usize]],
    ) -> Result<Fetched, CredentialError> {
        let mut fetched = Fetched::default();
        for index in self.choose(alternatives).unwrap_or_default() {
            if let Some(Slot::Live { key, provider, .. }) = self.slots.get(index) {
                let value = provider
                    .credential()
                    .await
                    .map_err(|e| CredentialError::new(key, e))?;
                fetched.0.push((*index, Secret::new(value)));
            }
        }
        Ok(fetched)
    }

    /// Tells the providers that the server rejected what they gave.
    pub(crate) fn invalidate(&self, rejected: &Fetched) {
        for (index, secret) in &rejected.0 {
            if let Some(Slot::Live { provider, .. }) = self.slots.get(index) {
                provider.invalidate(secret.expose());
            }
        }
    }

    /// Adds the chosen alternative's credentials, the providers' as given
    /// in `fetched`.
    pub(crate) fn apply(
        &self,
        alternatives: &[&'static [usize]],
        fetched: &Fetched,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        for index in self.choose(alternatives).unwrap_or_default() {
            match self.slots.get(index) {
                Some(Slot::Fixed(prepared)) => add(prepared, headers, query)?,
                Some(Slot::Live { api_key, .. }) => {
                    let Some((_, value)) = fetched.0.iter().find(|(i, _)| i == index) else {
                        continue;
                    };
                    let credential = match api_key {
                        None => Credential::Bearer(value.clone()),
                        Some((location, param)) => Credential::ApiKey {
                            location: *location,
                            param,
                            key: value.clone(),
                        },
                    };
                    add(&Prepared::of(&credential), headers, query)?;
                }
                None => {}
            }
        }
        Ok(())
    }
}

fn add(
    prepared: &Prepared,
    headers: &mut HeaderMap,
    query: &mut Vec<(String, String)>,
) -> Result<(), String> {
    match prepared {
        Prepared::Header(header) => {
            let (name, value) = header.clone()?;
            headers.insert(name, value);
        }
        Prepared::Query(param, key) => {
            query.push(((*param).to_owned(), key.expose().to_owned()));
        }
        Prepared::Cookie(pair) => {
            let pair = pair.as_ref().map_err(Clone::clone)?;
            let joined = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) => format!("{existing}; {pair}"),
                None => pair.clone(),
            };
            headers.insert(COOKIE, sensitive(&joined, "API key")?);
        }
    }
    Ok(())
}

/// A header value marked sensitive (kept out of `Debug` output and HPACK
/// tables). The error message names the credential, never its value.
fn sensitive(value: &str, what: &str) -> Result<HeaderValue, String> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| format!("the configured {what} is not a valid header value"))?;
    v.set_sensitive(true);
    Ok(v)
}

/// Standard base64 with padding (RFC 4648), for Basic auth.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let idx = (n >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[idx as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want, "{input}");
        }
    }
}
