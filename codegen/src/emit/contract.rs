//! The contract-test driver: a small binary that calls every operation of a generated client once,
//! with arguments built from the spec, against a mock server that validates requests (Stoplight
//! Prism, run by `cargo xtask contract`), and reports per operation whether the server accepted
//! the request and the response decoded into its typed model.
//!
//! Argument values are JSON texts decoded at run time into the client's own types, so this module
//! needs to know only the wire shape of each type, never its Rust constructors. Each argument gets
//! a list of candidates, first the spec's examples, then simple valid values; the first that
//! decodes is sent.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::{docs, ident, ty_tokens};
use crate::diag::Error;
use crate::ir::{Api, BodyKind, EnumRepr, Param, Presence, RequestBody, Ty, TypeId, TypeKind};

/// Values nest at most this deep; deeper required structure is sent as `null`.
const MAX_DEPTH: usize = 12;

/// The driver's `src/main.rs` for the client crate `crate_ident` (its Rust name, `_` not `-`).
///
/// Run it as `DRIVER BASE_URL [FN_NAME...]`: the named operations are skipped. It prints one line
/// per operation and ends with `N passed, M failed, K skipped`; the exit status is 1 when any
/// operation failed.
pub fn contract_driver(api: &Api, crate_ident: &str) -> Result<String, Error> {
    let krate = ident(crate_ident);
    let mut fns = Vec::new();
    let mut calls = Vec::new();
    for op in &api.operations {
        let plain = op.fn_name.trim_start_matches("r#");
        let driver_fn = format_ident!("op_{}", plain);
        let method = ident(&op.fn_name);
        let label = format!("{plain} ({} {})", op.method, op.path);
        let doc = docs::lines(&format!("`{} {}`", op.method, op.path));
        let mut lets = Vec::new();
        let mut args = Vec::new();
        let mut setters = Vec::new();
        // A paginated operation starts from the first page: its cursor (offset, page) parameter is
        // the paginator's to set, and a mock server's example cursor would be handed back at once.
        let paging_param = op.pagination.as_ref().and_then(|p| p.kind.param());
        for (i, p) in op.params.iter().enumerate() {
            if !p.required && paging_param == Some(p.wire_name.as_str()) {
                continue;
            }
            let var = format_ident!("p{}", i);
            let ty = ty_tokens(api, &p.ty, false);
            let what = format!("{} parameter `{}`", location(p), p.wire_name);
            let candidates = literals(&param_candidates(api, p));
            lets.push(quote!(let #var: #ty = value(#what, &[#(#candidates),*])?;));
            if p.required {
                args.push(quote!(#var));
            } else {
                let setter = ident(&p.name);
                setters.push(quote!(.#setter(#var)));
            }
        }
        if let Some(body) = &op.body {
            let ty = match body.kind {
                BodyKind::Binary => quote!(Vec<u8>),
                BodyKind::Text => quote!(String),
                _ => ty_tokens(api, &body.ty, false),
            };
            let candidates = literals(&body_candidates(api, body));
            let what = format!("`{}` request body", body.content_type);
            lets.push(quote!(let body: #ty = value(#what, &[#(#candidates),*])?;));
            if body_is_required(api, body) {
                args.push(quote!(&body));
            } else {
                setters.push(quote!(.body(&body)));
            }
        }
        let documented = !op.responses.is_empty();
        // A paginated operation is called through its paginator: up to two pages, each checked.
        let call = if op.pagination.is_some() {
            quote! {
                let mut pages = ::futures_util::StreamExt::take(client.#method(#(#args),*)#(#setters)*.into_pages(), 2);
                let mut outcome = Ok(String::new());
                let mut n = 0;
                while let Some(page) = ::futures_util::StreamExt::next(&mut pages).await {
                    n += 1;
                    outcome = check(page, #documented).map(|o| format!("{o} ({n} page(s) through into_pages)"));
                    if outcome.is_err() {
                        break;
                    }
                }
                outcome
            }
        } else {
            quote!(check(client.#method(#(#args),*)#(#setters)*.send_with_response().await, #documented))
        };
        fns.push(quote! {
            #doc
            async fn #driver_fn(client: &api::Client) -> Outcome {
                #(#lets)*
                #call
            }
        });
        calls.push(quote!(tally.run(#plain, #label, &skip, #driver_fn(&client)).await;));
    }
    let credentials = credentials(api);
    let header = format!(
        " Contract driver for the {} API: calls each operation once against a spec-validating mock server.",
        api.title
    );
    let tokens = quote! {
        #![doc = #header]
        #![allow(deprecated, dead_code, unused_mut, clippy::all)]

        use ::std::process::ExitCode;
        use ::#krate as api;

        /// The client's own code names its types `crate::types::...`; the same paths work here.
        #[allow(unused_imports)]
        mod types {
            pub use ::#krate::types::*;
        }

        /// `Ok(what happened)` or `Err(why the operation fails the contract)`.
        type Outcome = Result<String, String>;

        /// The first candidate (JSON text) that decodes into `T`: the spec's examples come first.
        fn value<T: ::serde::de::DeserializeOwned>(what: &str, candidates: &[&str]) -> Result<T, String> {
            let mut errors = Vec::new();
            for text in candidates {
                match ::serde_json::from_str::<T>(text) {
                    Ok(v) => return Ok(v),
                    Err(e) => errors.push(format!("{text}: {e}")),
                }
            }
            Err(format!("no value for the {what} decodes into its Rust type ({})", errors.join("; ")))
        }

        const PRISM_ERRORS: &str = "https://stoplight.io/prism/errors#";
        const NO_RESPONSE: &str = "https://stoplight.io/prism/errors#NO_RESPONSE_RESPONSE_DEFINED";

        fn shorten(text: &str) -> String {
            let text = text.trim();
            match text.char_indices().nth(600) {
                Some((cut, _)) => format!("{}...", &text[..cut]),
                None => text.to_owned(),
            }
        }

        /// The problem type and text when the response is the mock server's own error (a request
        /// violation, an unmatched route, missing credentials), not a response from the spec.
        fn prism_problem(headers: &::reqwest::header::HeaderMap, body: &[u8]) -> Option<(String, String)> {
            let violations = headers.get("sl-violations").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let problem: Option<::serde_json::Value> = ::serde_json::from_slice(body).ok();
            let kind = problem
                .as_ref()
                .and_then(|p| p.get("type"))
                .and_then(|t| t.as_str())
                .filter(|t| t.starts_with(PRISM_ERRORS))
                .map(str::to_owned);
            if kind.is_none() && violations.is_none() {
                return None;
            }
            let mut text = String::new();
            if let Some(p) = &problem {
                for key in ["title", "detail"] {
                    if let Some(s) = p.get(key).and_then(|v| v.as_str()).filter(|s| !s.is_empty()) {
                        text.push_str(s);
                        text.push_str(". ");
                    }
                }
                if let Some(v) = p.get("validation") {
                    text.push_str(&v.to_string());
                }
            }
            if let Some(v) = violations {
                text.push_str(" sl-violations: ");
                text.push_str(&v);
            }
            Some((kind.unwrap_or_default(), shorten(&text)))
        }

        /// Passes when the response decoded into the success type, or was a documented error whose
        /// body decoded; fails on anything the mock server itself answered (it rejected the request).
        fn check<T, E, H: ::std::borrow::Borrow<::reqwest::header::HeaderMap>>(
            result: Result<api::Response<T, H>, api::Error<E>>,
            documented: bool,
        ) -> Outcome {
            match result {
                Ok(resp) => {
                    let mut note = format!("{} decoded", resp.status());
                    if let Some((_, text)) = prism_problem(resp.headers().borrow(), b"") {
                        note.push_str(&format!(" (mock server notes:{text})"));
                    }
                    Ok(note)
                }
                Err(api::Error::Api(e)) => match prism_problem(e.headers(), e.raw_body()) {
                    Some((kind, text)) => Err(format!("{} from the mock server: {kind} {text}", e.status())),
                    None => Ok(format!("{} documented error decoded", e.status())),
                },
                Err(api::Error::UnexpectedStatus(e)) => match prism_problem(e.headers(), e.body()) {
                    // The spec documents no response at all: the request was validated and accepted,
                    // and there is no response model to decode into.
                    Some((kind, _)) if kind == NO_RESPONSE && !documented => {
                        Ok("request accepted; the spec documents no response".to_owned())
                    }
                    Some((kind, text)) => Err(format!("{} from the mock server: {kind} {text}", e.status())),
                    None => Err(format!(
                        "undocumented status {}: {}",
                        e.status(),
                        shorten(&String::from_utf8_lossy(e.body()))
                    )),
                },
                Err(api::Error::Decode(e)) => Err(format!(
                    "{e}; body: {}",
                    shorten(&String::from_utf8_lossy(e.body()))
                )),
                Err(other) => Err(other.to_string()),
            }
        }

        #[derive(Default)]
        struct Tally {
            passed: usize,
            failed: usize,
            skipped: usize,
        }

        impl Tally {
            async fn run(
                &mut self,
                name: &str,
                label: &str,
                skip: &[String],
                call: impl ::std::future::Future<Output = Outcome>,
            ) {
                if skip.iter().any(|s| s == name) {
                    self.skipped += 1;
                    println!("skip {label}");
                    return;
                }
                match call.await {
                    Ok(note) => {
                        self.passed += 1;
                        println!("ok   {label}: {note}");
                    }
                    Err(why) => {
                        self.failed += 1;
                        println!("FAIL {label}: {why}");
                    }
                }
            }
        }

        #(#fns)*

        #[::tokio::main(flavor = "current_thread")]
        async fn main() -> ExitCode {
            let mut args = ::std::env::args().skip(1);
            let Some(base_url) = args.next() else {
                eprintln!("usage: contract-driver BASE_URL [OPERATION_FN_NAME_TO_SKIP...]");
                return ExitCode::from(2);
            };
            let skip: Vec<String> = args.collect();
            let built = api::Client::builder()
                .base_url(&base_url)
                .map(|b| b #credentials .max_retries(0).timeout(::std::time::Duration::from_secs(30)))
                .and_then(|b| b.build());
            let client = match built {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("error: cannot build the client: {e}");
                    return ExitCode::from(2);
                }
            };
            let mut tally = Tally::default();
            #(#calls)*
            println!("{} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.skipped);
            if tally.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
    };
    crate::format::format("src/main.rs", tokens)
}

/// Builder calls that give the client a credential for every scheme the spec declares.
fn credentials(api: &Api) -> TokenStream {
    use crate::ir::SecurityKind;
    let mut out = TokenStream::new();
    for s in &api.security_schemes {
        let method = super::ident(&s.method);
        out.extend(match &s.kind {
            SecurityKind::Bearer => quote!(.#method("contract-token")),
            SecurityKind::Basic => quote!(.#method("contract-user", "contract-password")),
            SecurityKind::ApiKey { .. } => quote!(.#method("contract-key")),
        });
    }
    out
}

fn location(p: &Param) -> &'static str {
    use crate::ir::ParamLocation;
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Mirrors the rule in `operations`: the body is a method argument when the spec requires it or
/// its schema has required properties; otherwise it is set with `.body(..)`. A mismatch would not
/// compile, so the driver build catches drift.
fn body_is_required(api: &Api, body: &RequestBody) -> bool {
    body.required
        || match crate::lower::resolve_alias(api, &body.ty) {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable)),
                _ => false,
            },
            _ => false,
        }
}

fn literals(candidates: &[String]) -> Vec<Literal> {
    candidates.iter().map(|c| Literal::string(c)).collect()
}

/// Candidate texts, deduplicated, order kept.
fn push(out: &mut Vec<String>, text: String) {
    if !out.contains(&text) {
        out.push(text);
    }
}

fn param_candidates(api: &Api, p: &Param) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &p.docs.example {
        push(&mut out, e.clone());
    }
    push(&mut out, sample(api, &p.ty, true, 0).to_string());
    push(&mut out, sample(api, &p.ty, false, 0).to_string());
    out
}

fn body_candidates(api: &Api, body: &RequestBody) -> Vec<String> {
    let mut out = Vec::new();
    match body.kind {
        BodyKind::Binary => push(&mut out, Value::from(b"contract".to_vec()).to_string()),
        BodyKind::Text => {
            if let Some(e) = body.docs.example.as_ref().filter(|e| e.starts_with('"')) {
                push(&mut out, e.clone());
            }
            push(&mut out, "\"contract\"".to_owned());
        }
        _ => {
            if let Some(e) = &body.docs.example {
                push(&mut out, e.clone());
            }
            push(&mut out, sample(api, &body.ty, true, 0).to_string());
            push(&mut out, sample(api, &body.ty, false, 0).to_string());
        }
    }
    out
}

/// The example the spec gives for a named type, when it is valid JSON.
fn type_example(api: &Api, id: TypeId) -> Option<Value> {
    let text = api.types[id.0].docs.example.as_ref()?;
    serde_json::from_str(text).ok()
}

/// A simple valid JSON value of the type: with `examples`, the spec's examples where it has them.
/// Objects carry their required properties (or, when none is required, their first writable
/// one, so that an object parameter is never empty); enums their first value; unions their first
/// variant, tagged when discriminated.
fn sample(api: &Api, ty: &Ty, examples: bool, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match ty {
        Ty::Bool => Value::Bool(true),
        Ty::Int(_) => Value::from(1),
        Ty::Float(_) => Value::from(1.5),
        Ty::String => Value::from("contract"),
        Ty::Date => Value::from("2024-01-02"),
        Ty::DateTime => Value::from("2024-01-02T03:04:05Z"),
        Ty::Uuid => Value::from("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        // `format: byte` is a base64 string on the wire.
        Ty::Bytes => Value::from("Y29udHJhY3Q="),
        Ty::Binary | Ty::File => Value::from(b"contract".to_vec()),
        Ty::Tuple(items) => Value::Array(items.iter().map(|t| sample(api, t, examples, depth + 1)).collect()),
        Ty::Any => Value::from("contract"),
        Ty::Unit => Value::Null,
        Ty::Vec(inner) => Value::Array(vec![sample(api, inner, examples, depth + 1)]),
        Ty::Map(inner) => {
            let mut m = Map::new();
            m.insert("key".into(), sample(api, inner, examples, depth + 1));
            Value::Object(m)
        }
        Ty::Option(inner) | Ty::Boxed(inner) => sample(api, inner, examples, depth),
        Ty::Named(id) => {
            if examples {
                if let Some(v) = type_example(api, *id) {
                    return v;
                }
            }
            named_sample(api, *id, examples, depth)
        }
    }
}

fn named_sample(api: &Api, id: TypeId, examples: bool, depth: usize) -> Value {
    match &api.types[id.0].kind {
        TypeKind::Alias(t) => sample(api, t, examples, depth + 1),
        TypeKind::Enum(e) => match e.variants.first() {
            None => Value::Null,
            Some(v) => match e.repr {
                EnumRepr::String => Value::from(v.value.clone()),
                EnumRepr::Integer | EnumRepr::Mixed => {
                    serde_json::from_str(&v.value).unwrap_or_else(|_| Value::from(v.value.clone()))
                }
            },
        },
        TypeKind::Struct(s) => {
            let required = |p: &Presence| matches!(p, Presence::Required | Presence::RequiredNullable);
            let any_required = s.fields.iter().any(|f| required(&f.presence) && !f.read_only);
            let mut m = Map::new();
            for f in s.fields.iter().filter(|f| !f.read_only) {
                if !required(&f.presence) && (any_required || !m.is_empty()) {
                    continue;
                }
                let field_example = f
                    .docs
                    .example
                    .as_ref()
                    .filter(|_| examples)
                    .and_then(|e| serde_json::from_str(e).ok());
                let v = field_example.unwrap_or_else(|| sample(api, &f.ty, examples, depth + 1));
                m.insert(f.wire_name.clone(), v);
            }
            Value::Object(m)
        }
        TypeKind::Union(u) => match u.variants.first() {
            None => Value::Null,
            Some(v) => {
                let mut value = sample(api, &v.ty, examples, depth + 1);
                if let (Some(tag), Some(tag_value), Value::Object(m)) = (&u.tag, v.tag_values.first(), &mut value) {
                    m.insert(tag.clone(), Value::from(tag_value.clone()));
                }
                value
            }
        },
    }
}

#[cfg(test)]
mod tests {
    fn driver(spec: &str) -> String {
        let config = crate::Config::new("contract.yaml", "contract.yaml", "contract-api");
        let out = crate::generate_from_bytes(&config, spec.as_bytes()).expect("generates");
        super::contract_driver(&out.api, "contract_api").expect("driver formats")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: { title: T, version: '1' }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: x-key }
  schemas:
    Kind: { type: string, enum: [big, small] }
    Pet:
      type: object
      required: [name, kind]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string, example: Rex }
        kind: { $ref: '#/components/schemas/Kind' }
        tag: { type: string }
paths:
  /pets/{petId}:
    put:
      operationId: put-pet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: integer }, example: 7 }
        - { name: when, in: query, schema: { type: string, format: date-time } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
      responses:
        '200': { description: ok }
"#;

    /// The text without whitespace, so that assertions do not depend on line breaks.
    fn squeeze(text: &str) -> String {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn arguments_come_from_examples_then_simple_values() {
        let text = driver(SPEC);
        let flat = squeeze(&text);
        let has = |needle: &str| flat.contains(&squeeze(needle));
        // The parameter's own example first, then simple values.
        assert!(
            has(r#"let p0: i64 = value("path parameter `petId`", &["7", "1"])?;"#),
            "{text}"
        );
        // Formats get values in their format; optional parameters go through the builder.
        assert!(has(r#"&["\"2024-01-02T03:04:05Z\""]"#), "{text}");
        // Required, writable properties only; property examples first; enums take their first value.
        assert!(
            has(r#"&["{\"name\":\"Rex\",\"kind\":\"big\"}", "{\"name\":\"contract\",\"kind\":\"big\"}""#),
            "{text}"
        );
        assert!(!has(r#"\"id\":"#), "read-only property sent: {text}");
        assert!(has(r#".key("contract-key")"#), "{text}");
        assert!(
            has("client.put_pet(p0, &body).when(p1).send_with_response().await"),
            "{text}"
        );
        assert!(
            has(r#"tally.run("put_pet", "put_pet (PUT /pets/{petId})", &skip, op_put_pet(&client))"#),
            "{text}"
        );
    }

    #[test]
    fn driver_is_deterministic() {
        assert_eq!(driver(SPEC), driver(SPEC));
    }
}
