//! The private `request()` method of a builder: path, parameters, body and security as calls on
//! the runtime's `ApiRequest`. Serialization itself lives in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{ident, ty_tokens};
use crate::ir::{Api, BodyKind, Operation, ParamLocation, ParamStyle, PathPart, RequestBody, Ty, TypeKind};

/// The statements that fill `req` from the builder's fields.
pub fn build(api: &Api, op: &Operation, body_required: bool) -> Vec<TokenStream> {
    let mut build = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => build.push(quote!(req.push_path(#text);)),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let (name, wire, style, explode) = (ident(&p.name), p.wire_name.as_str(), style(p.style), p.explode);
                build.push(quote!(req.path_param(#wire, &self.#name, #style, #explode);));
            }
        }
    }
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let (name, wire, style, explode) = (ident(&p.name), p.wire_name.as_str(), style(p.style), p.explode);
        if let Some(index) = p.client_param {
            // The call's value, else the client's default (see `lower::client_params`).
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            build.push(match p.location {
                ParamLocation::Header => {
                    quote!(req.header_param_or_default(self.client, #index, #wire, &self.#name, #style, #explode);)
                }
                _ => quote!(req.query_param_or_default(self.client, #index, #wire, &self.#name, #style, #explode);),
            });
            continue;
        }
        build.push(match p.location {
            ParamLocation::Query => quote!(req.query_param(#wire, &self.#name, #style, #explode);),
            ParamLocation::Header => quote!(req.header_param(#wire, &self.#name, #style, #explode);),
            ParamLocation::Cookie => quote!(req.cookie_param(#wire, &self.#name, #style, #explode);),
            ParamLocation::Path => quote!(),
        });
    }
    if let Some(body) = &op.body {
        let call = body_call(api, body);
        build.push(if body_required {
            quote!(let body = self.body; #call)
        } else {
            quote!(if let Some(body) = self.body { #call })
        });
    }
    // Without security requirements nothing is sent; `ApiRequest::new` starts with none.
    if !op.security.is_empty() {
        let auth = auth_tokens(op);
        build.push(quote!(req.auth(#auth);));
    }
    if let Some(h) = &op.idempotency_header {
        build.push(quote!(req.idempotency_header(#h);));
    }
    build
}

pub(crate) fn style(s: ParamStyle) -> TokenStream {
    match s {
        ParamStyle::Form => quote!(runtime::Style::Form),
        ParamStyle::Simple => quote!(runtime::Style::Simple),
        ParamStyle::Label => quote!(runtime::Style::Label),
        ParamStyle::Matrix => quote!(runtime::Style::Matrix),
        ParamStyle::SpaceDelimited => quote!(runtime::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(runtime::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(runtime::Style::DeepObject),
        ParamStyle::Content => quote!(runtime::Style::Json),
    }
}

/// The Rust type the builder borrows for the body.
pub fn body_ty(api: &Api, body: &RequestBody) -> TokenStream {
    match body.kind {
        BodyKind::Binary => quote!([u8]),
        BodyKind::Text => quote!(str),
        _ => ty_tokens(api, &body.ty, false),
    }
}

/// The `Content-Type` sent: the spec's media type, unless it is a range (`image/*`, `*/*`), which
/// cannot be sent as such.
fn sent_content_type(body: &RequestBody) -> String {
    let ct = body.content_type.as_str();
    if !ct.contains('*') {
        return ct.to_owned();
    }
    match body.kind {
        BodyKind::Json => "application/json".to_owned(),
        BodyKind::Text => "text/plain".to_owned(),
        _ => "application/octet-stream".to_owned(),
    }
}

fn body_call(api: &Api, body: &RequestBody) -> TokenStream {
    let ct = sent_content_type(body);
    match body.kind {
        BodyKind::Json if ct == "application/json" => quote!(req.json(body);),
        // Request bodies are never lowered to the sequence kinds (responses only).
        BodyKind::Json | BodyKind::JsonLines | BodyKind::JsonSeq => quote!(req.json_as(#ct, body);),
        BodyKind::Form => quote!(req.form(body);),
        BodyKind::Multipart => multipart(api, body),
        BodyKind::Binary => quote!(req.bytes(#ct, body.to_vec());),
        BodyKind::Text => quote!(req.text(#ct, body.to_owned());),
    }
}

/// A multipart body built field by field: binary properties as file parts (the spec's content
/// type unless the `FilePart` sets one), the others as text (JSON for objects).
fn multipart(api: &Api, body: &RequestBody) -> TokenStream {
    let mut adds = Vec::new();
    match crate::lower::resolve_alias(api, &body.ty) {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    let (fname, wire) = (ident(&f.name), f.wire_name.as_str());
                    adds.push(match body.files.iter().find(|file| file.wire_name == f.wire_name) {
                        Some(file) => {
                            let ct = file.content_type.as_str();
                            quote!(form.add_file(#wire, &body.#fname, #ct);)
                        }
                        None => quote!(form.add_value(#wire, &body.#fname);),
                    });
                }
                if s.additional.is_some() {
                    let extra = ident(&super::super::types::extra_field_name(s));
                    adds.push(quote!(form.add_object(&body.#extra);));
                }
            }
            _ => adds.push(quote!(form.add_object(body);)),
        },
        _ => adds.push(quote!(form.add_object(body);)),
    }
    quote! {
        let mut form = runtime::Multipart::new();
        #(#adds)*
        req.multipart(&form);
    }
}

/// The operation's security alternatives as indices of `Api::security_schemes`, which number
/// the credentials the generated `ClientBuilder` setters store.
fn auth_tokens(op: &Operation) -> TokenStream {
    let alts = op.security.iter().map(|alt| {
        let schemes = alt.iter().map(|i| proc_macro2::Literal::usize_unsuffixed(*i));
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alts),*])
}
