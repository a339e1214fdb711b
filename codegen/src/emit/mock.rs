//! `src/mock.rs` of the generated crate (feature `mock`): per operation, a `MockApi` method that
//! fills the operation's method and path template into the runtime's generic `Expectation`, and
//! one typed `respond_<status>` answer per documented response. Everything else is in
//! `runtime/mock.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, gated, ident, operation_gate, ty_tokens};
use crate::ir::{Api, BodyKind, Operation, PathPart, Response, StatusMatch};
use crate::naming::{member, Namespace};

/// `MockApi`'s own methods, which operation methods must not shadow.
const RESERVED: &[&str] = &[
    "start",
    "on",
    "uri",
    "server",
    "client_builder",
    "client",
    "verify",
    "operation",
];

pub fn head() -> TokenStream {
    quote! {
        //! Typed test doubles of the API (feature `mock`): start a [`MockApi`], mount one
        //! expectation per operation (`api.create_item().respond_201(&item).expect(1).mount().await`)
        //! and hand `api.client()` to the code under test.
        #![allow(deprecated)]
        pub use crate::runtime::mock::{Expectation, JsonRequest, MockApi};
        pub use ::wiremock;
        // The module defines no items of its own, so these short names cannot collide. Unused
        // when tag features leave no operation compiled.
        #[allow(unused_imports)]
        use crate::operations as op;
        #[allow(unused_imports)]
        use crate::runtime::mock::PathPiece;
    }
}

/// The `MockApi` method names of all operations, in order (unique, none of [`RESERVED`]).
fn method_names(api: &Api) -> Vec<String> {
    let mut ns = Namespace::with_reserved(RESERVED);
    api.operations
        .iter()
        .map(|op| member(&op.fn_name, "op", &mut ns))
        .collect()
}

pub fn emit(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let names = method_names(api);
    range
        .filter_map(|i| Some((i, api.operations.get(i)?, names.get(i)?)))
        .map(|(i, op, name)| gated(api, operation_gate(api, i), operation(api, op, name)))
        .collect()
}

fn operation(api: &Api, op: &Operation, name: &str) -> TokenStream {
    let method = ident(name);
    let builder = ident(&op.builder_name);
    let op_ty = quote!(op::#builder<'static>);
    let verb = op.method.to_uppercase();
    let pieces = op.path_parts.iter().filter_map(|p| match p {
        PathPart::Literal(l) => Some(quote!(PathPiece::Literal(#l))),
        PathPart::Param(i) => {
            let wire = &op.params.get(*i)?.wire_name;
            Some(quote!(PathPiece::Param(#wire)))
        }
    });
    let doc = docs::lines(&format!(
        "Expects `{verb} {}` ([`Client::{}`](crate::Client::{})).",
        op.path.replace('`', "'"),
        op.fn_name,
        op.fn_name
    ));
    let fn_str = op.fn_name.as_str();
    let json_body = op.body.as_ref().filter(|b| b.kind == BodyKind::Json).map(|b| {
        let ty = ty_tokens(api, &b.ty, false);
        quote! {
            impl JsonRequest for #op_ty {
                type Body = #ty;
            }
        }
    });
    let answers: Vec<TokenStream> = op.responses.iter().filter_map(|r| answer(api, r)).collect();
    let answers = (!answers.is_empty()).then(|| {
        quote! {
            impl Expectation<'_, #op_ty> {
                #(#answers)*
            }
        }
    });
    quote! {
        impl MockApi {
            #doc
            pub fn #method(&self) -> Expectation<'_, #op_ty> {
                self.operation(#fn_str, #verb, &[#(#pieces),*])
            }
        }
        #json_body
        #answers
    }
}

/// `respond_201(&body)`, `respond_4xx(status, &body)`, `respond_default(status, &body)`; `None`
/// for bodies the mock cannot type (streams: answer them with `respond_with`).
fn answer(api: &Api, r: &Response) -> Option<TokenStream> {
    let (suffix, status_arg, status, label) = match r.status {
        StatusMatch::Code(c) => (c.to_string(), None, quote!(#c), c.to_string()),
        StatusMatch::Range(x) => (
            format!("{x}xx"),
            Some(quote!(status: u16,)),
            quote!(status),
            format!("{x}XX"),
        ),
        StatusMatch::Default => (
            "default".to_owned(),
            Some(quote!(status: u16,)),
            quote!(status),
            "default".to_owned(),
        ),
    };
    let method = format_ident!("respond_{}", suffix);
    let what = r
        .description
        .as_deref()
        .map(|d| format!(" ({})", d.trim()))
        .unwrap_or_default();
    let doc = docs::lines(&format!("Answers the documented {label} response{what}."));
    let body = match &r.body {
        None => {
            return Some(quote! {
                #doc
                pub fn #method(self, #status_arg) -> Self {
                    self.respond_status(#status)
                }
            })
        }
        Some(b) => b,
    };
    let ct = &body.content_type;
    match body.kind {
        BodyKind::Json => {
            let ty = ty_tokens(api, &body.ty, false);
            Some(quote! {
                #doc
                pub fn #method(self, #status_arg body: &#ty) -> Self {
                    self.respond_json(#status, body)
                }
            })
        }
        BodyKind::Text => Some(quote! {
            #doc
            pub fn #method(self, #status_arg body: &str) -> Self {
                self.respond_with(::wiremock::ResponseTemplate::new(#status).set_body_raw(body, #ct))
            }
        }),
        BodyKind::Binary => Some(quote! {
            #doc
            pub fn #method(self, #status_arg body: &[u8]) -> Self {
                self.respond_with(::wiremock::ResponseTemplate::new(#status).set_body_raw(body.to_vec(), #ct))
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_get_a_suffix() {
        let mut ns = Namespace::with_reserved(RESERVED);
        assert_eq!(member("client", "op", &mut ns), "client_op");
        assert_eq!(member("client_op", "op", &mut ns), "client_op_op");
        assert_eq!(member("create_item", "op", &mut ns), "create_item");
    }
}
