//! Credentials and how they are attached to requests.

use std::collections::BTreeMap;
use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

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

/// One security scheme an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key; `name` is the scheme's key in the API description (what
    /// `ClientBuilder::api_key` is called with), `param` the header, query
    /// or cookie name.
    ApiKey {
        name: &'static str,
        location: ApiKeyLocation,
        param: &'static str,
    },
}

/// The credentials configured on a client.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) bearer: Option<Secret>,
    pub(crate) basic: Option<(Secret, Secret)>,
    pub(crate) api_keys: BTreeMap<String, Secret>,
}

impl Credentials {
    /// Builds the header values once, so that calls only clone them.
    pub(crate) fn resolve(self) -> ResolvedCredentials {
        let bearer = self
            .bearer
            .as_ref()
            .map(|token| sensitive(&format!("Bearer {}", token.expose()), "bearer token"));
        let basic = self.basic.as_ref().map(|(user, password)| {
            let raw = format!("{}:{}", user.expose(), password.expose());
            sensitive(
                &format!("Basic {}", base64(raw.as_bytes())),
                "basic credentials",
            )
        });
        let api_key_values = self
            .api_keys
            .iter()
            .map(|(name, key)| (name.clone(), sensitive(key.expose(), "API key")))
            .collect();
        ResolvedCredentials {
            secrets: self,
            bearer,
            basic,
            api_key_values,
        }
    }
}

/// The credentials of a built client, with their header values prepared.
/// Values that are not valid in a header are kept as the error each call
/// reports when it needs them (building the client does not fail for them).
pub(crate) struct ResolvedCredentials {
    secrets: Credentials,
    bearer: Option<Result<HeaderValue, String>>,
    basic: Option<Result<HeaderValue, String>>,
    api_key_values: BTreeMap<String, Result<HeaderValue, String>>,
}

impl fmt::Debug for ResolvedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.secrets.fmt(f)
    }
}

impl ResolvedCredentials {
    fn has(&self, scheme: &AuthScheme) -> bool {
        match scheme {
            AuthScheme::Bearer => self.secrets.bearer.is_some(),
            AuthScheme::Basic => self.secrets.basic.is_some(),
            AuthScheme::ApiKey { name, .. } => self.secrets.api_keys.contains_key(*name),
        }
    }

    /// Applies the first alternative whose credentials are all configured.
    /// Sends without credentials when none is: the server then answers 401,
    /// which is clearer than a client-side error.
    pub(crate) fn apply(
        &self,
        alternatives: &[&[AuthScheme]],
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        let Some(chosen) = alternatives
            .iter()
            .find(|alt| alt.iter().all(|s| self.has(s)))
        else {
            return Ok(());
        };
        for scheme in *chosen {
            match scheme {
                AuthScheme::Bearer => {
                    if let Some(value) = &self.bearer {
                        headers.insert(AUTHORIZATION, value.clone()?);
                    }
                }
                AuthScheme::Basic => {
                    if let Some(value) = &self.basic {
                        headers.insert(AUTHORIZATION, value.clone()?);
                    }
                }
                AuthScheme::ApiKey {
                    name,
                    location,
                    param,
                } => {
                    let Some(key) = self.secrets.api_keys.get(*name) else {
                        continue;
                    };
                    match location {
                        ApiKeyLocation::Header => {
                            let header = HeaderName::from_bytes(param.as_bytes())
                                .map_err(|_| format!("invalid header name `{param}`"))?;
                            let value = match self.api_key_values.get(*name) {
                                Some(value) => value.clone()?,
                                None => sensitive(key.expose(), "API key")?,
                            };
                            headers.insert(header, value);
                        }
                        ApiKeyLocation::Query => {
                            query.push(((*param).to_owned(), key.expose().to_owned()));
                        }
                        ApiKeyLocation::Cookie => {
                            let pair = format!("{param}={}", key.expose());
                            let joined = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                                Some(existing) => format!("{existing}; {pair}"),
                                None => pair,
                            };
                            headers.insert(COOKIE, sensitive(&joined, "API key")?);
                        }
                    }
                }
            }
        }
        Ok(())
    }
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
