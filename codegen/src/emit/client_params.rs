//! The `ClientBuilder` setters of parameters common to (nearly) all operations
//! (`ir::ClientParam`), at the end of `lib.rs`: each stores a typed default in the runtime, which
//! the declaring operations send when a call sets no value of its own.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::accepts::Accepts;
use super::{docs, ident};
use crate::ir::{Api, ClientParam, Docs, Gate, ParamLocation};

pub fn emit(api: &Api) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, c) in api.client_params.iter().enumerate() {
        // Compiled whenever one of the declaring operations is, and so are the types it names.
        let gates: Vec<Gate> = c
            .ops
            .iter()
            .map(|&op| super::operation_gate(api, op).to_vec())
            .collect();
        let gate = crate::lower::gate_union(&gates.iter().collect::<Vec<_>>());
        out.extend(super::gated(api, &gate, setter(api, i, c)));
    }
    out
}

fn setter(api: &Api, index: usize, c: &ClientParam) -> TokenStream {
    let accepts = Accepts::of(api, &c.ty, false);
    let (name, arg) = (ident(&c.setter), &accepts.arg);
    let value = format_ident!("value");
    let stored = if accepts.is_same() {
        quote!()
    } else {
        let ty = super::ty_tokens(api, &c.ty, false);
        let converted = accepts.convert(&value);
        quote!(let value: #ty = #converted;)
    };
    let (location, where_) = match c.location {
        ParamLocation::Header => (quote!(runtime::ParamIn::Header), "header"),
        _ => (quote!(runtime::ParamIn::Query), "query"),
    };
    let (wire, style, explode) = (c.wire_name.as_str(), super::operations::style(c.style), c.explode);
    let total = api.operations.len();
    let which = if c.ops.len() == total {
        "every operation".to_owned()
    } else {
        format!("the {} of {total} operations that declare it", c.ops.len())
    };
    let mut text = format!(
        "Default for the `{}` {where_} parameter, sent by {which} when a call sets no value of its own \
         (a call's value replaces it).",
        wire.replace('`', "'")
    );
    if let Some(d) = c.docs.description.as_deref().filter(|d| !d.trim().is_empty()) {
        text.push_str("\n\n");
        text.push_str(d);
    }
    let doc = docs::attrs(&Docs {
        description: Some(text),
        ..c.docs.clone()
    });
    let index = Literal::usize_unsuffixed(index);
    quote! {
        impl ClientBuilder {
            #doc
            #[must_use]
            pub fn #name(self, value: #arg) -> Self {
                #stored
                self.param_default(#index, #location, #wire, &value, #style, #explode)
            }
        }
    }
}
