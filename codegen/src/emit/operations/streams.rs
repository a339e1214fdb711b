//! `send_events()` (`text/event-stream`) and `send_items()` (JSON Lines, JSON text sequences): the
//! builder methods that read a success body item by item instead of buffering it.
//!
//! Both are a few lines per operation; splitting and decoding live in `runtime/sse.rs` and
//! `runtime/stream.rs`, generic over the item type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::{docs, ty_tokens};
use crate::ir::{Api, BodyKind, ItemStream, Operation, StreamKind};

/// The stream methods of `op`'s builder. `example` is the example's `client.op(args)` text and
/// the example function's parameters; `headers` as for [`method`].
pub fn methods(
    api: &Api,
    op: &Operation,
    patterns: &[TokenStream],
    error: &Ident,
    example: (&str, &str),
    headers: (&TokenStream, &TokenStream),
) -> TokenStream {
    op.streams
        .iter()
        .map(|s| method(api, s, patterns, error, example, headers))
        .collect()
}

/// `example` is `(call, inputs)`; `headers` the typed headers view's type argument and the call
/// that converts to it (both empty without declared headers).
fn method(
    api: &Api,
    s: &ItemStream,
    patterns: &[TokenStream],
    error: &Ident,
    (call, inputs): (&str, &str),
    (headers_ty, typed): (&TokenStream, &TokenStream),
) -> TokenStream {
    let ty = ty_tokens(api, &s.item, false);
    let accept = s.content_type.as_str();
    let media = accept.replace('`', "'");
    let (name, what, into, gate) = match s.kind {
        StreamKind::Events => (
            "send_events",
            format!(
                "Sends the request asking for `{media}` and returns the events as they arrive, each `data` \
                 decoded (with the event's `id`, `event` and `retry`). A `data: [DONE]` event ends the stream."
            ),
            quote!(resp.into_events()),
            quote!(#[cfg(feature = "sse")]),
        ),
        StreamKind::JsonLines | StreamKind::JsonSeq => (
            "send_items",
            format!(
                "Sends the request asking for `{media}` and returns the items as they arrive, each decoded, \
                 without buffering the body. A malformed item is an error item carrying its raw text, and \
                 the stream goes on; a broken connection ends it ([`JsonStreamError`](crate::JsonStreamError))."
            ),
            if s.kind == StreamKind::JsonSeq {
                quote!(resp.into_json_stream(runtime::Framing::RecordSeparator))
            } else {
                quote!(resp.into_json_stream(runtime::Framing::Lines))
            },
            quote!(),
        ),
    };
    let stream_ty = match s.kind {
        StreamKind::Events => quote!(runtime::EventStream<#ty>),
        _ => quote!(runtime::JsonStream<#ty>),
    };
    let binding = if s.kind == StreamKind::Events {
        "events"
    } else {
        "items"
    };
    let doc = docs::lines(&format!(
        "{what} Error responses are read and decoded as with `send`.\n\n# Example\n\n```no_run\n\
         # async fn example({inputs}) -> Result<(), Box<dyn std::error::Error>> {{\n\
         use futures_util::StreamExt as _;\n\
         let mut {binding} = {call}.{name}().await?.into_body();\n\
         while let Some(item) = {binding}.next().await {{\n    let item = item?;\n    # let _ = item;\n}}\n\
         # Ok(())\n# }}\n```"
    ));
    let name = quote::format_ident!("{name}");
    quote! {
        #doc
        #gate
        pub async fn #name(mut self) -> Result<Response<#stream_ty #headers_ty>, Error<#error>> {
            self.options = self.options.header("accept", #accept);
            let client = self.client;
            let (req, options) = runtime::Operation::into_parts(self);
            let resp = client.execute_stream(req, options).await?;
            match resp.status().as_u16() {
                #(#patterns)|* => #into #typed,
                _ => Err(#error::from_response(resp.buffer().await?)),
            }
        }
    }
}

/// What `send()` does with a sequential success body, for the operation's docs.
pub fn send_note(op: &Operation) -> String {
    let body = op
        .responses
        .iter()
        .filter(|r| op.is_success(r))
        .find_map(|r| r.body.as_ref());
    let Some(body) = body else { return String::new() };
    let media = body.content_type.replace('`', "'");
    match body.kind {
        BodyKind::JsonLines | BodyKind::JsonSeq => format!(
            "\n\n`send()` reads the whole `{media}` body and returns its items in a `Vec`; `send_items()` hands \
             them over one by one as they arrive."
        ),
        BodyKind::Text
            if op
                .streams
                .iter()
                .any(|s| s.kind == StreamKind::Events && s.content_type == body.content_type) =>
        {
            format!(
                "\n\n`send()` returns the `{media}` body as text; `send_events()` decodes its events as they arrive."
            )
        }
        _ => String::new(),
    }
}
