//! Response handling of a builder: the success type (or enum), the error enum's variants, the match
//! arms of `decode`, and the error enum's `from_response` that turns a non-success response into
//! the operation's error.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{docs, ident, ty_tokens};
use crate::ir::{Api, BodyKind, Operation, Response, StatusMatch};

/// `201`, `4XX`, `Any other status`.
pub fn status_text(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(x) => format!("{x}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}

pub fn response_doc(r: &Response) -> String {
    let status = status_text(&r.status);
    match &r.description {
        Some(d) => format!("{status}: {d}"),
        None => status,
    }
}

/// JSON error bodies are decoded into their type and text ones into a `String`; binary ones stay
/// reachable as raw bytes on the error.
pub fn error_body(api: &Api, r: &Response) -> Option<TokenStream> {
    let b = r.body.as_ref()?;
    match b.kind {
        BodyKind::Json => Some(ty_tokens(api, &b.ty, false)),
        BodyKind::Text => Some(quote!(String)),
        _ => None,
    }
}

fn pattern(status: &StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusMatch::Range(x) => {
            let lo = Literal::u16_unsuffixed(u16::from(*x) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(*x) * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// A success `default` matches the 2xx statuses only; anything else is an error.
fn success_pattern(status: &StatusMatch) -> TokenStream {
    if *status == StatusMatch::Default {
        quote!(200..=299)
    } else {
        pattern(status)
    }
}

fn decode_call(api: &Api, r: &Response) -> (TokenStream, TokenStream) {
    match &r.body {
        None => (quote!(()), quote!(resp.empty())),
        Some(b) => match b.kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                (ty_tokens(api, &b.ty, false), quote!(resp.json()))
            }
            BodyKind::Text => (quote!(String), quote!(resp.text())),
            BodyKind::Binary => (quote!(::bytes::Bytes), quote!(resp.bytes())),
            BodyKind::JsonLines => (
                ty_tokens(api, &b.ty, false),
                quote!(resp.json_items(runtime::Framing::Lines)),
            ),
            BodyKind::JsonSeq => (
                ty_tokens(api, &b.ty, false),
                quote!(resp.json_items(runtime::Framing::RecordSeparator)),
            ),
        },
    }
}

/// Exact codes before ranges before `default`, so the most specific arm wins.
fn ordered(op: &Operation) -> Vec<&Response> {
    let mut ordered: Vec<&Response> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    ordered
}

pub struct Success {
    /// The type `send()` returns.
    pub ty: TokenStream,
    /// The success enum, when 2xx bodies differ.
    pub enum_def: TokenStream,
    /// Match arms of `decode` for the success statuses.
    pub arms: Vec<TokenStream>,
    /// Patterns of the success statuses, for `send_streaming`.
    pub patterns: Vec<TokenStream>,
}

pub fn success(api: &Api, op: &Operation) -> Success {
    let successes: Vec<&Response> = ordered(op).into_iter().filter(|r| op.is_success(r)).collect();
    let decoded: Vec<(TokenStream, TokenStream)> = successes.iter().map(|r| decode_call(api, r)).collect();
    let patterns: Vec<TokenStream> = successes.iter().map(|r| success_pattern(&r.status)).collect();
    if successes.is_empty() {
        return Success {
            ty: quote!(()),
            enum_def: quote!(),
            arms: vec![quote!(200..=299 => resp.empty(),)],
            patterns: vec![quote!(200..=299)],
        };
    }
    let all_same = decoded.windows(2).all(|w| w[0].0.to_string() == w[1].0.to_string());
    if all_same {
        let arms = patterns
            .iter()
            .zip(&decoded)
            .map(|(pat, (_, call))| quote!(#pat => #call,))
            .collect();
        return Success {
            ty: decoded[0].0.clone(),
            enum_def: quote!(),
            arms,
            patterns,
        };
    }
    let enum_name = ident(&op.success_name);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for ((r, (ty, call)), pat) in successes.iter().zip(&decoded).zip(&patterns) {
        let v = ident(&r.variant);
        let doc = docs::attr_str(&response_doc(r));
        variants.push(quote!(#doc #v(#ty),));
        arms.push(quote!(#pat => #call.map(|r| r.map(#enum_name::#v)),));
    }
    let doc = docs::lines(&format!(
        "The success responses of [`Client::{}`], which carry different bodies.",
        op.fn_name.trim_start_matches("r#")
    ));
    Success {
        ty: quote!(#enum_name),
        enum_def: quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #enum_name { #(#variants)* }
        },
        arms,
        patterns,
    }
}

/// The variants of the operation's error enum.
pub fn error_variants(api: &Api, op: &Operation) -> Vec<TokenStream> {
    op.responses
        .iter()
        .filter(|r| !op.is_success(r))
        .map(|r| {
            let v = ident(&r.variant);
            let doc = docs::attr_str(&response_doc(r));
            match error_body(api, r) {
                Some(ty) => quote!(#doc #v(#ty),),
                None => quote!(#doc #v,),
            }
        })
        .collect()
}

/// The body of the error enum's `from_response(resp)`: the documented error for the status, else
/// `UnexpectedStatus`.
pub fn error_of_body(api: &Api, op: &Operation, error: &proc_macro2::Ident) -> TokenStream {
    let mut arms = Vec::new();
    let mut fallback = quote!(resp.unexpected());
    for r in ordered(op).into_iter().filter(|r| !op.is_success(r)) {
        let v = ident(&r.variant);
        let value = match r.body.as_ref().map(|b| b.kind) {
            _ if error_body(api, r).is_none() => quote!(resp.api_error_empty(|| #error::#v)),
            Some(BodyKind::Text) => quote!(resp.api_error_text(#error::#v)),
            _ => quote!(resp.api_error(#error::#v)),
        };
        if r.status == StatusMatch::Default {
            fallback = value;
        } else {
            let pat = pattern(&r.status);
            arms.push(quote!(#pat => #value,));
        }
    }
    if arms.is_empty() {
        fallback
    } else {
        quote! {
            match resp.status().as_u16() {
                #(#arms)*
                _ => #fallback,
            }
        }
    }
}
