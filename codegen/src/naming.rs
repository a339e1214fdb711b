//! All naming: spec names -> Rust identifiers. Table-tested below.
//!
//! Every function returns a string that is a valid, warning-free Rust identifier (possibly raw, `r#type`).
//! Spec text never becomes code except through these functions or as string literals.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of every edition up to 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Type-namespace names the generated code uses unqualified (the std prelude and what we derive).
/// A schema with one of these names gets a suffix so the generated code keeps meaning what it says.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Default",
    "Debug",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "FromIterator",
    "Serialize",
    "Deserialize",
    "Self",
];

/// Splits non-ASCII characters out so identifiers stay ASCII (no confusable-identifier lints, same bytes
/// on every machine): each becomes `u` plus its hex code point, as a separate word.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

fn fix_keyword(name: String, allow_raw: bool) -> String {
    if KEYWORDS.contains(&name.as_str()) || NOT_RAW.contains(&name.as_str()) {
        if allow_raw && !NOT_RAW.contains(&name.as_str()) {
            format!("r#{name}")
        } else {
            format!("{name}_")
        }
    } else {
        name
    }
}

/// "OAuth" is one word to a reader (`oauth2_password_bearer`, not heck's `o_auth2_...`): spelled
/// `Oauth` when no lower-case letter follows (so `OAuthority` is left alone).
fn oauth_as_one_word(words: String) -> String {
    if !words.contains("OAuth") {
        return words;
    }
    let mut out = String::with_capacity(words.len());
    let mut rest = words.as_str();
    while let Some(at) = rest.find("OAuth") {
        let after = &rest[at + 5..];
        out.push_str(&rest[..at]);
        out.push_str(if after.starts_with(|c: char| c.is_ascii_lowercase()) {
            "OAuth"
        } else {
            "Oauth"
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `snake_case` for fields, functions, modules and parameters.
pub fn snake(raw: &str) -> String {
    let mut s = oauth_as_one_word(ascii_words(raw)).to_snake_case();
    if s.is_empty() {
        s = "value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    fix_keyword(s, true)
}

/// `UpperCamelCase` for types and enum variants.
pub fn camel(raw: &str) -> String {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    fix_keyword(s, false)
}

/// A type name: `camel`, and never one of the names the generated code uses unqualified.
pub fn type_name(raw: &str) -> String {
    let s = camel(raw);
    if RESERVED_TYPES.contains(&s.as_str()) {
        format!("{s}Model")
    } else {
        s
    }
}

/// `SCREAMING_SNAKE_CASE` for constants.
pub fn screaming(raw: &str) -> String {
    let s = snake(raw);
    s.trim_start_matches("r#").to_ascii_uppercase()
}

/// Features of the generated crate's manifest that a tag's feature must not take.
pub const CRATE_FEATURES: &[&str] = &["default", "sse", "serde-all", "rustls", "native-tls", "all-tags"];

/// The cargo feature of an operation tag: ASCII `kebab-case` (`Admin Tools` -> `admin-tools`),
/// starting with a letter; `tag-` is put in front of a name the crate's own features use or that
/// would not start with a letter (`tag` alone when nothing is left of the tag).
pub fn feature(tag: &str) -> String {
    let s = ascii_words(tag).to_kebab_case();
    if s.is_empty() {
        "tag".to_owned()
    } else if CRATE_FEATURES.contains(&s.as_str()) || !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("tag-{s}")
    } else {
        s
    }
}

/// Hands out unique names within one namespace: the first taker keeps the name, later ones get
/// `2`, `3`, ... (before any trailing underscore of a keyword fix-up).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Gives `name` back: a later `claim` may take it.
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
    }

    /// Claims `name`, or the first free `name2`, `name3`, ...
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let (stem, raw) = match name.strip_prefix("r#") {
            Some(rest) => (rest.to_owned(), true),
            None => (name.trim_end_matches('_').to_owned(), false),
        };
        let snake_like = stem.contains('_') || stem.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        for n in 2u64.. {
            let candidate = if snake_like || raw {
                format!("{stem}_{n}")
            } else {
                format!("{stem}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("u64 suffixes exhausted")
    }
}

/// A method name in `ns` for a spec name: `snake`, except that a keyword gets `_{suffix}` instead
/// of a raw identifier (`type` -> `type_auth`, `self` -> `self_auth`: callers type these names),
/// and a name already taken gets `_{suffix}` after it; when that is taken too, numbers follow
/// (`base_url` -> `base_url_auth`, then `base_url_auth_2`).
pub fn member(raw: &str, suffix: &str, ns: &mut Namespace) -> String {
    let s = snake(raw);
    let keyword = match s.strip_prefix("r#") {
        Some(stem) => Some(stem.to_owned()),
        None => s
            .strip_suffix('_')
            .filter(|stem| NOT_RAW.contains(stem) || KEYWORDS.contains(stem))
            .map(str::to_owned),
    };
    let name = match keyword {
        Some(stem) => format!("{stem}_{suffix}"),
        None => s,
    };
    if !ns.is_taken(&name) {
        return ns.claim(name);
    }
    ns.claim(format!("{name}_{suffix}"))
}

/// A readable variant name for an HTTP status code (`422` -> `UnprocessableEntity`).
pub fn status_name(code: u16) -> String {
    let name = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    name.to_owned()
}

/// Is `name` an RFC 6265 cookie name (an RFC 9110 `token`)? The runtime refuses to send others.
pub fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The warning for a cookie that cannot be sent under its name.
pub fn bad_cookie_name(name: &str) -> String {
    format!("cookie name `{name}` is not an RFC 6265 token: calls that send it fail with `InvalidRequest`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_rfc_6265_tokens() {
        for ok in ["session", "session-id", "__Host-sid", "a.b", "x!#$%&'*+^_`|~"] {
            assert!(is_cookie_name(ok), "{ok}");
        }
        for bad in [
            "",
            "user id",
            "a=b",
            "a;b",
            "a,b",
            "(x)",
            "\"q\"",
            "caf\u{e9}",
            "a/b",
            "a@b",
        ] {
            assert!(!is_cookie_name(bad), "{bad}");
        }
    }

    #[test]
    fn feature_names() {
        let rows: &[(&str, &str)] = &[
            ("pets", "pets"),
            ("Admin Tools", "admin-tools"),
            ("Api20100401Account", "api20100401-account"),
            ("user_profile", "user-profile"),
            ("default", "tag-default"),
            ("serde-all", "tag-serde-all"),
            ("Native TLS", "tag-native-tls"),
            ("2fa", "tag-2fa"),
            ("", "tag"),
            ("!!!", "tag"),
            ("Ünïcode", "udc-n-uef-code"),
        ];
        for (raw, want) in rows {
            assert_eq!(feature(raw), *want, "{raw}");
        }
    }

    #[test]
    fn snake_table() {
        let rows: &[(&str, &str)] = &[
            ("fooBar", "foo_bar"),
            ("foo-bar", "foo_bar"),
            ("foo_bar", "foo_bar"),
            ("FooBar", "foo_bar"),
            ("x-workspace-id", "x_workspace_id"),
            ("create-sandbox-image", "create_sandbox_image"),
            ("type", "r#type"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("extern", "extern_"),
            ("_", "value"),
            ("", "value"),
            ("1st", "_1st"),
            ("123", "_123"),
            ("\"; } fn evil() { \"", "fn_evil"),
            ("a\nb", "a_b"),
            ("名前", "u540d_u524d"),
            ("café", "caf_ue9"),
            ("$ref", "r#ref"),
            ("@id", "id"),
            // FastAPI's default scheme names.
            ("OAuth2PasswordBearer", "oauth2_password_bearer"),
            ("OAuth2AuthorizationCodeBearer", "oauth2_authorization_code_bearer"),
            ("getOAuthToken", "get_oauth_token"),
            ("OAUTH_TOKEN", "oauth_token"),
            ("OAuthority", "o_authority"),
        ];
        for (input, want) in rows {
            assert_eq!(snake(input), *want, "snake({input:?})");
        }
    }

    #[test]
    fn camel_table() {
        let rows: &[(&str, &str)] = &[
            ("HTTPValidationError", "HttpValidationError"),
            ("sandbox_image", "SandboxImage"),
            ("foo-bar", "FooBar"),
            ("fooBar", "FooBar"),
            ("", "Value"),
            ("1password", "V1password"),
            ("self", "Self_"),
            ("Self", "Self_"),
            ("a b c", "ABC"),
            ("*/", "Value"),
        ];
        for (input, want) in rows {
            assert_eq!(camel(input), *want, "camel({input:?})");
        }
    }

    #[test]
    fn type_names_avoid_prelude() {
        for (input, want) in [
            ("Result", "ResultModel"),
            ("Option", "OptionModel"),
            ("String", "StringModel"),
            ("Box", "BoxModel"),
            ("Vec", "VecModel"),
            ("Client", "Client"),
            ("Error", "Error"),
            ("Self", "Self_"),
        ] {
            assert_eq!(type_name(input), want, "type_name({input:?})");
        }
    }

    #[test]
    fn namespace_suffixes_deterministically() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("foo_bar".into()), "foo_bar");
        assert_eq!(ns.claim("foo_bar".into()), "foo_bar_2");
        assert_eq!(ns.claim("foo_bar".into()), "foo_bar_3");
        assert_eq!(ns.claim("FooBar".into()), "FooBar");
        assert_eq!(ns.claim("FooBar".into()), "FooBar2");
        assert_eq!(ns.claim("r#type".into()), "r#type");
        assert_eq!(ns.claim("r#type".into()), "type_2");
        assert_eq!(ns.claim("self_".into()), "self_");
        assert_eq!(ns.claim("self_".into()), "self_2");
    }

    #[test]
    fn member_table() {
        let mut ns = Namespace::with_reserved(&["base_url", "build", "bearer_token"]);
        let rows: &[(&str, &str)] = &[
            ("HTTPBearer", "http_bearer"),
            ("APIKeyHeader", "api_key_header"),
            ("HTTPBasic", "http_basic"),
            ("api-key", "api_key"),
            ("api_key", "api_key_auth"),
            ("ApiKey", "api_key_auth_2"),
            ("1st", "_1st"),
            ("type", "type_auth"),
            ("self", "self_auth"),
            ("Self", "self_auth_auth"),
            ("crate", "crate_auth"),
            ("clé", "cl_ue9"),
            ("名前", "u540d_u524d"),
            ("", "value"),
            ("base_url", "base_url_auth"),
            ("baseUrl", "base_url_auth_2"),
            ("build", "build_auth"),
            ("bearerToken", "bearer_token_auth"),
            ("\"; } fn evil() { \"", "fn_evil"),
        ];
        for (input, want) in rows {
            let got = member(input, "auth", &mut ns);
            assert_eq!(got, *want, "member({input:?})");
            assert!(syn::parse_str::<syn::Ident>(&got).is_ok(), "{got}");
        }
    }

    #[test]
    fn every_output_is_an_identifier() {
        let inputs = [
            "",
            "_",
            "__",
            "0",
            "a-b",
            "a_b",
            "aB",
            "ß",
            "🎉",
            "type",
            "Self",
            "\0",
            "*/",
            "\"#]",
            "\\",
            "with space",
            "slash/path",
            "gen",
            "r#x",
        ];
        for i in inputs {
            for name in [snake(i), camel(i), type_name(i)] {
                let ident = name.strip_prefix("r#").unwrap_or(&name);
                assert!(!ident.is_empty(), "{i:?}");
                assert!(
                    ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{i:?} -> {name:?}"
                );
                assert!(!ident.starts_with(|c: char| c.is_ascii_digit()), "{i:?} -> {name:?}");
                assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{i:?} -> {name:?}");
            }
        }
    }
}
