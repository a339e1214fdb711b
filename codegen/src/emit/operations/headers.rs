//! The typed headers views of an operation (`ir::HeaderView`): a `HeaderMap` wrapper declared by
//! the runtime's `typed_headers!` (conversions, `Deref`), with one accessor per documented header, each a one-line call
//! into the runtime's parse helpers.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{docs, ident, ty_tokens};
use super::responses::status_text;
use crate::ir::{Api, Docs, HeaderAccessor, HeaderView, Ty};

/// The view of the success responses' headers of [`Client::<plain_fn>`].
pub fn success(api: &Api, view: &HeaderView, plain_fn: &str, crate_ident: &str) -> TokenStream {
    let name = ident(&view.name);
    let first = &view.accessors[0].method;
    let doc = docs::lines(&format!(
        "The headers of a success response of [`Client::{plain_fn}`](crate::Client::{plain_fn}), from \
         `send_with_response()`: one accessor per header the API documents. {NOTE}\n\n\
         ```no_run\n# fn example(response: &{crate_ident}::Response<(), {crate_ident}::operations::{name}>) {{\n\
         let value = response.headers().{first}();\n# let _ = value;\n# }}\n```"
    ));
    let accessors = view.accessors.iter().map(|a| accessor(api, a));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name(::reqwest::header::HeaderMap);

        runtime::typed_headers!(#name);

        impl #name { #(#accessors)* }
    }
}

/// The view of the documented error responses' headers, which `Error::typed_headers` returns for
/// the error enum `error`.
pub fn errors(api: &Api, view: &HeaderView, error: &str, crate_ident: &str) -> TokenStream {
    let name = ident(&view.name);
    let error_ident = ident(error);
    let first = &view.accessors[0].method;
    let doc = docs::lines(&format!(
        "The headers of a documented error response ([`{error}`]), from `Error::typed_headers()`: one \
         accessor per header the API documents. {NOTE}\n\n\
         ```no_run\n# fn example(err: &{crate_ident}::Error<{crate_ident}::operations::{error}>) {{\n\
         if let Some(headers) = err.typed_headers() {{\n    let value = headers.{first}();\n    # let _ = value;\n}}\n# }}\n```"
    ));
    let accessors = view.accessors.iter().map(|a| accessor(api, a));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name(::reqwest::header::HeaderMap);

        runtime::typed_headers!(#name, errors of #error_ident);

        impl #name { #(#accessors)* }
    }
}

const NOTE: &str = "An accessor returns `None` when the header is absent or its value does not parse; \
    the view dereferences to the [`HeaderMap`](::reqwest::header::HeaderMap), so every header \
    (declared or not) is also reachable as text by name: `headers.get(\"etag\")`.";

fn accessor(api: &Api, a: &HeaderAccessor) -> TokenStream {
    let method = ident(&a.method);
    let wire = a.wire_name.to_ascii_lowercase();
    let statuses: Vec<String> = a.statuses.iter().map(status_text).collect();
    let title = format!(
        "`{}` header ({} {}{}).",
        a.wire_name.replace('`', "'"),
        if a.statuses.len() == 1 { "status" } else { "statuses" },
        statuses.join(", "),
        if a.required { ", always sent" } else { "" }
    );
    let doc = docs::attrs(&Docs {
        title: Some(title),
        ..a.docs.clone()
    });
    let (ret, call) = match (&a.ty, a.json) {
        (Ty::String, false) => (quote!(&str), quote!(runtime::header_str(&self.0, #wire))),
        (ty, json) => {
            let call = if json {
                quote!(runtime::header_json(&self.0, #wire))
            } else if *crate::lower::resolve_alias(api, ty) == Ty::DateTime {
                quote!(runtime::header_date_time(&self.0, #wire))
            } else {
                quote!(runtime::header(&self.0, #wire))
            };
            (ty_tokens(api, ty, false), call)
        }
    };
    quote! {
        #doc
        #[inline]
        pub fn #method(&self) -> Option<#ret> { #call }
    }
}
