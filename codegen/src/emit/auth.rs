//! `auth.rs`: one `ClientBuilder` method per security scheme, and the crate docs' list of them.
//!
//! The runtime stores each credential under its scheme's index (`ClientBuilder::credential`);
//! operations name the schemes they accept by the same indices.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{docs, ident};
use crate::ir::{Api, ParamLocation, SecurityKind, SecurityScheme, TokenSource};

/// Spec text inside inline code in the docs: no backticks or control characters.
fn code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
        .collect();
    format!("`{clean}`")
}

/// How the credential travels, for the docs (never the value itself).
fn placement(s: &SecurityScheme) -> String {
    match &s.kind {
        SecurityKind::Bearer => "sent as `Authorization: Bearer <token>`".to_owned(),
        SecurityKind::Basic => "sent as `Authorization: Basic <base64(user:password)>`".to_owned(),
        SecurityKind::ApiKey { location, name } => match location {
            ParamLocation::Query => format!("sent as the {} query parameter", code(name)),
            ParamLocation::Cookie => format!("sent in the {} cookie", code(name)),
            _ => format!("sent in the {} header", code(name)),
        },
    }
}

/// The first paragraph of a setter's docs.
fn summary(s: &SecurityScheme) -> String {
    let key = code(&s.key);
    let what = match (&s.kind, &s.source) {
        (SecurityKind::Basic, _) => "User name and password",
        (SecurityKind::ApiKey { .. }, _) => "Key",
        (_, TokenSource::OAuth2 { .. }) => "OAuth 2.0 access token",
        (_, TokenSource::OpenIdConnect { .. }) => "OpenID Connect token",
        (_, TokenSource::Given { .. }) => "Token",
    };
    let mut out = format!("{what} for the {key} security scheme, {}.", placement(s));
    match &s.source {
        TokenSource::Given { bearer_format: Some(f) } if !f.trim().is_empty() => {
            out.push_str(&format!(" Token format: {}.", code(f)))
        }
        TokenSource::Given { .. } => {}
        TokenSource::OAuth2 { token_urls } => {
            out.push_str(" Obtaining the token is up to the caller; a provider setter can refresh it");
            if !token_urls.is_empty() {
                let urls: Vec<String> = token_urls.iter().map(|u| code(u)).collect();
                out.push_str(&format!(" (token URL: {})", urls.join(", ")));
            }
            out.push('.');
        }
        TokenSource::OpenIdConnect { url } => out.push_str(&format!(
            " Obtaining the token is up to the caller; a provider setter can refresh it (discovery: {}).",
            code(url)
        )),
    }
    out
}

/// The setter's parameters and the runtime credential it builds from them.
fn signature(s: &SecurityScheme) -> (TokenStream, TokenStream) {
    match &s.kind {
        SecurityKind::Bearer => (
            quote!(token: impl Into<String>),
            quote!(runtime::Credential::bearer(token.into())),
        ),
        SecurityKind::Basic => (
            quote!(user: impl Into<String>, password: impl Into<String>),
            quote!(runtime::Credential::basic(user.into(), password.into())),
        ),
        SecurityKind::ApiKey { location, name } => {
            let loc = match location {
                ParamLocation::Query => quote!(runtime::ApiKeyLocation::Query),
                ParamLocation::Cookie => quote!(runtime::ApiKeyLocation::Cookie),
                _ => quote!(runtime::ApiKeyLocation::Header),
            };
            (
                quote!(key: impl Into<String>),
                quote!(runtime::Credential::api_key(#loc, #name, key.into())),
            )
        }
    }
}

/// The runtime credential a provider setter builds from `provider`; `None` for HTTP Basic, which
/// has no provider setter.
fn provider_credential(s: &SecurityScheme) -> Option<TokenStream> {
    match &s.kind {
        SecurityKind::Bearer => Some(quote!(runtime::Credential::bearer_provider(provider))),
        SecurityKind::Basic => None,
        SecurityKind::ApiKey { location, name } => {
            let loc = match location {
                ParamLocation::Query => quote!(runtime::ApiKeyLocation::Query),
                ParamLocation::Cookie => quote!(runtime::ApiKeyLocation::Cookie),
                _ => quote!(runtime::ApiKeyLocation::Header),
            };
            Some(quote!(runtime::Credential::api_key_provider(#loc, #name, provider)))
        }
    }
}

/// The docs of a provider setter, with a compiled example.
fn provider_doc(s: &SecurityScheme, method: &str, crate_ident: &str) -> String {
    let what = match s.kind {
        SecurityKind::ApiKey { .. } => "key",
        _ => "token",
    };
    format!(
        "Like [`{plain}`](Self::{plain}), but the {what} comes from `provider`, asked before every \
         attempt (retries included): a closure returning `Result<String, E>`, an \
         [`AsyncProvider`](crate::AsyncProvider), or a [`CredentialProvider`](crate::CredentialProvider) \
         that caches and refreshes it. After a `401 Unauthorized` the client asks once more and resends \
         (see [`refresh_on_unauthorized`](Self::refresh_on_unauthorized)); a provider's error fails \
         the call with `Error::Credential`.\n\n\
         ```no_run\n\
         # fn demo() -> Result<{crate_ident}::Client, {crate_ident}::BuildError> {{\n\
         let client = {crate_ident}::Client::builder()\n    .{method}(|| std::env::var(\"API_{upper}\"))\n    .build()?;\n\
         # Ok(client)\n# }}\n```\n\n\
         Replaces a credential set before for this scheme.",
        plain = s.method,
        upper = what.to_ascii_uppercase(),
    )
}

/// What a call of the setter looks like in the docs: `http_basic(user, password)`.
fn call_shape(s: &SecurityScheme, method: &str) -> String {
    let args = match s.kind {
        SecurityKind::Bearer => "token",
        SecurityKind::Basic => "user, password",
        SecurityKind::ApiKey { .. } => "key",
    };
    format!("{method}({args})")
}

/// The file `src/auth.rs`; `None` when the spec declares no security scheme.
pub fn emit(api: &Api, crate_ident: &str) -> Option<TokenStream> {
    if api.security_schemes.is_empty() {
        return None;
    }
    let methods = api.security_schemes.iter().enumerate().map(|(i, s)| {
        let index = Literal::usize_unsuffixed(i);
        let key = s.key.as_str();
        let name = ident(&s.method);
        let (params, credential) = signature(s);
        let mut text = summary(s);
        if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
            text.push_str("\n\n");
            text.push_str(d);
        }
        text.push_str("\n\nReplaces a credential set before for this scheme.");
        let doc = docs::attr_str(&text);
        let shorthand = s.shorthand.as_deref().map(|short| {
            let short_name = ident(short);
            let what = match s.kind {
                SecurityKind::Basic => "HTTP Basic scheme",
                _ => "bearer-token scheme",
            };
            let doc = docs::lines(&format!(
                "Same as [`{method}`](Self::{method}): {key} is the API's only {what}.",
                method = s.method,
                key = code(key)
            ));
            let args = match s.kind {
                SecurityKind::Basic => quote!(user, password),
                _ => quote!(token),
            };
            quote! {
                #doc
                #[must_use]
                pub fn #short_name(self, #params) -> Self {
                    self.#name(#args)
                }
            }
        });
        let providers = s
            .provider_method
            .as_deref()
            .zip(provider_credential(s))
            .map(|(method, live)| {
                let provider_name = ident(method);
                let doc = docs::lines(&provider_doc(s, method, crate_ident));
                let shorthand = s.provider_shorthand.as_deref().map(|short| {
                    let short_name = ident(short);
                    let doc = docs::lines(&format!("Same as [`{method}`](Self::{method})."));
                    quote! {
                        #doc
                        #[must_use]
                        pub fn #short_name(self, provider: impl runtime::CredentialProvider) -> Self {
                            self.#provider_name(provider)
                        }
                    }
                });
                quote! {
                    #doc
                    #[must_use]
                    pub fn #provider_name(self, provider: impl runtime::CredentialProvider) -> Self {
                        self.credential(#index, #key, #live)
                    }
                    #shorthand
                }
            });
        quote! {
            #doc
            #[must_use]
            pub fn #name(self, #params) -> Self {
                self.credential(#index, #key, #credential)
            }
            #shorthand
            #providers
        }
    });
    Some(quote! {
        //! Credentials: one [`ClientBuilder`] method per security scheme of the API description.
        use crate::runtime::{self, ClientBuilder};

        impl ClientBuilder {
            #(#methods)*
        }
    })
}

/// A setter call with placeholder credentials, for examples: `.http_bearer("my-token")`.
pub fn example_call(s: &SecurityScheme) -> String {
    let args = match s.kind {
        SecurityKind::Bearer => "\"my-token\"",
        SecurityKind::Basic => "\"user\", \"password\"",
        SecurityKind::ApiKey { .. } => "\"my-key\"",
    };
    format!(".{}({args})", s.method)
}

/// The crate docs' list of credential setters.
pub fn guide_section(api: &Api) -> String {
    if api.security_schemes.is_empty() {
        return "The API description declares no security scheme, so the client sends no credentials of \
                its own; `ClientBuilder::default_header` can add a header to every call.\n"
            .to_owned();
    }
    let mut out =
        String::from("Credentials are set with one builder method per security scheme of the API description:\n\n");
    for s in &api.security_schemes {
        let mut line = format!(
            "- [`{}`](ClientBuilder::{}): {}",
            call_shape(s, &s.method),
            s.method,
            summary(s)
        );
        if let Some(short) = &s.shorthand {
            line.push_str(&format!(" Also `{}`.", call_shape(s, short)));
        }
        if let Some(provider) = &s.provider_method {
            line.push_str(&format!(
                " [`{provider}(provider)`](ClientBuilder::{provider}) takes a provider instead."
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}
