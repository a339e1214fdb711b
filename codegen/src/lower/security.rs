//! Security schemes -> IR schemes, each with the `ClientBuilder` method that sets its credential.

use openapiv3::{ReferenceOr, SecurityScheme as OaScheme};

use super::Lowerer;
use crate::diag::{escape, Approx};
use crate::ir::{ParamLocation, SecurityKind, SecurityScheme, TokenSource};
use crate::naming::{self, Namespace};

/// Methods of the runtime's `ClientBuilder` (and of the traits it implements, which an inherent
/// method would shadow) that a scheme's setter must not take.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "credential",
    "default_header",
    "user_agent",
    "timeout",
    "connect_timeout",
    "retry_policy",
    "max_retries",
    "http_client",
    "refresh_on_unauthorized",
    "hook",
    "on_request",
    "on_response",
    "build",
    "default",
    "fmt",
    "new",
    "clone",
    "into",
    "try_into",
    "from",
    "type_id",
    "try_from",
    "borrow",
    // The runtime's store of client-level parameter defaults (`runtime/defaults.rs`).
    "param_default",
];

/// The generic setter offered when the spec has exactly one bearer-token scheme.
const BEARER_SHORTHAND: &str = "bearer_token";
/// The generic setter offered when the spec has exactly one HTTP Basic scheme.
const BASIC_SHORTHAND: &str = "basic_auth";

pub fn security_schemes(l: &mut Lowerer<'_>) -> Vec<SecurityScheme> {
    let mut out = Vec::new();
    let Some(components) = &l.spec.components else {
        return out;
    };
    // Sorted by key: the order of keys in the file must not change the output (scheme indices,
    // which setter wins a name).
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by(|a, b| a.0.cmp(b.0));
    for (key, scheme) in schemes {
        let pointer = format!("/components/securitySchemes/{}", escape(key));
        let ReferenceOr::Item(scheme) = scheme else {
            l.diags.approx(
                Approx::Simplified,
                pointer,
                "referenced security schemes are not supported; skipped",
            );
            continue;
        };
        let given = |bearer_format: &Option<String>| TokenSource::Given {
            bearer_format: bearer_format.clone(),
        };
        if let OaScheme::APIKey {
            location: openapiv3::APIKeyLocation::Cookie,
            name,
            ..
        } = scheme
        {
            if !naming::is_cookie_name(name) {
                l.diags.warn(pointer.clone(), naming::bad_cookie_name(name));
            }
        }
        let (kind, source, description) = match scheme {
            OaScheme::HTTP {
                scheme,
                bearer_format,
                description,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "bearer" => (SecurityKind::Bearer, given(bearer_format), description),
                "basic" => (SecurityKind::Basic, given(&None), description),
                other => {
                    l.diags.approx(
                        Approx::Simplified,
                        pointer,
                        format!("HTTP auth scheme `{other}` is not supported; skipped"),
                    );
                    continue;
                }
            },
            OaScheme::APIKey {
                location,
                name,
                description,
                ..
            } => (
                SecurityKind::ApiKey {
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    },
                    name: name.clone(),
                },
                given(&None),
                description,
            ),
            // OAuth2 and OpenID Connect end in a bearer token; obtaining it is the caller's business.
            OaScheme::OAuth2 { flows, description, .. } => {
                let mut token_urls: Vec<String> = Vec::new();
                let urls = [
                    flows.authorization_code.as_ref().map(|f| &f.token_url),
                    flows.client_credentials.as_ref().map(|f| &f.token_url),
                    flows.password.as_ref().map(|f| &f.token_url),
                ];
                for url in urls.into_iter().flatten() {
                    if !token_urls.contains(url) {
                        token_urls.push(url.clone());
                    }
                }
                (SecurityKind::Bearer, TokenSource::OAuth2 { token_urls }, description)
            }
            OaScheme::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => (
                SecurityKind::Bearer,
                TokenSource::OpenIdConnect {
                    url: open_id_connect_url.clone(),
                },
                description,
            ),
        };
        out.push(SecurityScheme {
            key: key.clone(),
            method: String::new(),
            shorthand: None,
            provider_method: None,
            provider_shorthand: None,
            kind,
            source,
            description: description.clone(),
        });
    }
    name_setters(&mut out);
    out
}

/// Names each scheme's setter. The spec's only bearer-token scheme and its only Basic scheme also
/// get the generic `bearer_token` / `basic_auth`, unless their own name is already that; the
/// generic names are taken first, so a scheme called `bearerToken` next to them gets a suffix.
fn name_setters(schemes: &mut [SecurityScheme]) {
    let mut methods = Namespace::with_reserved(BUILDER_METHODS);
    for (shorthand, kind) in [
        (BEARER_SHORTHAND, SecurityKind::Bearer),
        (BASIC_SHORTHAND, SecurityKind::Basic),
    ] {
        let mut of_kind = schemes.iter_mut().filter(|s| s.kind == kind);
        if let (Some(only), None) = (of_kind.next(), of_kind.next()) {
            methods.claim(shorthand.to_owned());
            if naming::snake(&only.key) == shorthand {
                only.method = shorthand.to_owned();
            } else {
                only.shorthand = Some(shorthand.to_owned());
            }
        }
    }
    for s in schemes.iter_mut().filter(|s| s.method.is_empty()) {
        s.method = naming::member(&s.key, "auth", &mut methods);
    }
    // After every plain setter, so that a scheme's own name never moves because another has a
    // provider setter.
    for s in schemes.iter_mut().filter(|s| s.kind != SecurityKind::Basic) {
        s.provider_method = Some(methods.claim(format!("{}_provider", s.method)));
        s.provider_shorthand = s
            .shorthand
            .as_ref()
            .map(|short| methods.claim(format!("{short}_provider")));
    }
}

#[cfg(test)]
mod tests {
    use super::name_setters;
    use crate::ir::{ParamLocation, SecurityKind, SecurityScheme, TokenSource};

    fn scheme(key: &str, kind: SecurityKind) -> SecurityScheme {
        SecurityScheme {
            key: key.to_owned(),
            method: String::new(),
            shorthand: None,
            provider_method: None,
            provider_shorthand: None,
            kind,
            source: TokenSource::Given { bearer_format: None },
            description: None,
        }
    }

    /// Provider setters are named after every plain setter, so they never displace one; Basic
    /// has none.
    #[test]
    fn provider_setters_take_the_names_left() {
        let key = SecurityKind::ApiKey {
            location: ParamLocation::Header,
            name: "x-key".to_owned(),
        };
        let mut schemes = vec![
            scheme("Token", SecurityKind::Bearer),
            scheme("token_provider", key),
            scheme("Basic", SecurityKind::Basic),
        ];
        name_setters(&mut schemes);
        let names: Vec<Vec<&str>> = schemes.iter().map(|s| s.setters().collect()).collect();
        assert_eq!(
            names,
            [
                vec!["token", "bearer_token", "token_provider_2", "bearer_token_provider"],
                vec!["token_provider", "token_provider_provider"],
                vec!["basic", "basic_auth"],
            ]
        );
    }
}
