//! The contract-test driver: a small binary that calls every operation of a generated client once,
//! with arguments built from the spec, against a mock server that validates requests (Stoplight
//! Prism, run by `cargo xtask contract`), and reports per operation whether the server accepted
//! the request and the response decoded into its typed model.
//!
//! Argument values are JSON texts decoded at run time into the client's own types, so this module
//! needs to know only the wire shape of each type, never its Rust constructors. Each argument gets
//! a list of candidates, first the spec's examples, then simple valid values; the first that
//! decodes is sent.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::body_is_required;
use super::{docs, ident, ty_tokens};
use crate::diag::Error;
use crate::ir::{Api, BodyKind, Operation, Param, Ty};

mod values;

use values::{body_candidates, literals, param_candidates};

/// The support module every driver shares (`src/support.rs`).
const SUPPORT: &str = include_str!("../../../contract/support.rs");

/// The type of the operation's success body when every success response is that one JSON type:
/// the responses whose decoded value the driver serialises back for the round-trip check.
pub fn json_success_ty(op: &Operation) -> Option<&Ty> {
    let mut found: Option<&Ty> = None;
    for r in op.responses.iter().filter(|r| op.is_success(r)) {
        let body = r.body.as_ref().filter(|b| b.kind == BodyKind::Json)?;
        match found {
            Some(ty) if *ty != body.ty => return None,
            _ => found = Some(&body.ty),
        }
    }
    found
}

/// The driver's source files (`src/main.rs`, `src/support.rs`) for the client crate `crate_ident`
/// (its Rust name, `_` not `-`).
///
/// Run it as `DRIVER BASE_URL [FN_NAME...]`: the named operations are skipped. It prints one line
/// per operation and ends with `N passed, M failed, K skipped`; the exit status is 1 when any
/// operation failed. With `CONTRACT_RESULTS=FILE` it also writes one JSON record per operation
/// (outcome, status, the mock server's problem type and violations, and for passed JSON bodies
/// the served and the decoded value) for `cargo xtask contract` to classify and compare.
pub fn contract_driver(api: &Api, crate_ident: &str) -> Result<Vec<(String, String)>, Error> {
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
        let roundtrip = if json_success_ty(op).is_some() {
            quote!(|b| ::serde_json::to_value(b).ok())
        } else {
            quote!(|_| None)
        };
        // A paginated operation is called through its paginator: up to two pages, each checked
        // (the round trip compares the last one, whose request is the one replayed).
        let call = if op.pagination.is_some() {
            quote! {
                let mut pages = ::futures_util::StreamExt::take(client.#method(#(#args),*)#(#setters)*.into_pages(), 2);
                let mut outcome = Outcome::fail("other", "no page".to_owned());
                let mut n = 0;
                while let Some(page) = ::futures_util::StreamExt::next(&mut pages).await {
                    n += 1;
                    outcome = check(page, #documented, #roundtrip);
                    outcome.note.push_str(&format!(" ({n} page(s) through into_pages)"));
                    if !outcome.passed {
                        break;
                    }
                }
                Ok(outcome)
            }
        } else {
            quote!(Ok(check(client.#method(#(#args),*)#(#setters)*.send_with_response().await, #documented, #roundtrip)))
        };
        fns.push(quote! {
            #doc
            async fn #driver_fn(client: &api::Client) -> Result<Outcome, Outcome> {
                #(#lets)*
                #call
            }
        });
        calls.push(quote!(tally.run(#plain, #label, #driver_fn(&client)).await;));
    }
    let credentials = credentials(api);
    let header = format!(
        " Contract driver for the {} API: calls each operation once against a spec-validating mock server.",
        api.title
    );
    let tokens = quote! {
        #![doc = #header]
        #![allow(deprecated, dead_code, unused_mut, unused_imports, unused_variables, clippy::all)]

        use ::std::process::ExitCode;
        use ::#krate as api;

        /// The client's own code names its types `crate::types::...`; the same paths work here.
        #[allow(unused_imports)]
        mod types {
            pub use ::#krate::types::*;
        }

        mod support;
        use support::{check, value, LastRequest, Outcome, Tally};

        #(#fns)*

        #[::tokio::main(flavor = "current_thread")]
        async fn main() -> ExitCode {
            let mut args = ::std::env::args().skip(1);
            let Some(base_url) = args.next() else {
                eprintln!("usage: contract-driver BASE_URL [OPERATION_FN_NAME_TO_SKIP...]");
                return ExitCode::from(2);
            };
            let skip: Vec<String> = args.collect();
            let last = LastRequest::default();
            let recorder = last.clone();
            let built = api::Client::builder()
                .base_url(&base_url)
                .map(|b| {
                    b #credentials
                        .max_retries(0)
                        .timeout(::std::time::Duration::from_secs(30))
                        .on_request(move |req| recorder.record(req))
                })
                .and_then(|b| b.build());
            let client = match built {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("error: cannot build the client: {e}");
                    return ExitCode::from(2);
                }
            };
            let mut tally = Tally::new(skip, last);
            #(#calls)*
            if tally.finish() { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
    };
    let main = crate::format::format("src/main.rs", tokens)?;
    Ok(vec![
        ("src/main.rs".to_owned(), main),
        ("src/support.rs".to_owned(), SUPPORT.to_owned()),
    ])
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

#[cfg(test)]
mod tests {
    fn driver(spec: &str) -> String {
        let config = crate::Config::new("contract.yaml", "contract.yaml", "contract-api");
        let out = crate::generate_from_bytes(&config, spec.as_bytes()).expect("generates");
        let files = super::contract_driver(&out.api, "contract_api").expect("driver formats");
        files
            .into_iter()
            .find(|(name, _)| name == "src/main.rs")
            .expect("main.rs")
            .1
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
            has(r#"tally.run("put_pet", "put_pet (PUT /pets/{petId})", op_put_pet(&client))"#),
            "{text}"
        );
    }

    #[test]
    fn driver_is_deterministic() {
        assert_eq!(driver(SPEC), driver(SPEC));
    }
}
