//! `operations.rs`: one method on `Client`, one request builder and one error enum per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{docs, ident, ty_tokens};
use crate::ir::{
    Api, BodyKind, Docs, Operation, Param, ParamLocation, PathPart, Response, SecurityKind, StatusMatch, Ty, TypeKind,
};

pub fn emit(api: &Api) -> TokenStream {
    let ops: Vec<TokenStream> = api.operations.iter().map(|op| operation(api, op)).collect();
    let imports = if ops.is_empty() {
        quote!()
    } else {
        quote!(
            use crate::runtime::{self, ApiRequest, Client, Error, RequestOptions, Response};
        )
    };
    quote! {
        //! Request builders and per-operation error types. Start from the methods on [`crate::Client`].
        #![allow(deprecated)]
        #imports
        #(#ops)*
    }
}

/// How the value of a parameter is held by the builder and passed as a call argument.
fn param_ty(api: &Api, p: &Param) -> (TokenStream, TokenStream, bool) {
    let ty = ty_tokens(api, &p.ty, false);
    if p.ty == Ty::String {
        (quote!(String), quote!(impl Into<String>), true)
    } else {
        (ty.clone(), ty, false)
    }
}

/// An expression (given a reference `value`) that implements `Display` as the parameter's wire text.
fn to_text(api: &Api, ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::DateTime => quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true)),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum(_) => value,
            TypeKind::Alias(inner) => to_text(api, inner, value),
            _ => quote!(::serde_json::to_string(#value).unwrap_or_default()),
        },
        Ty::Any | Ty::Map(_) | Ty::Vec(_) | Ty::Binary | Ty::Unit => {
            quote!(::serde_json::to_string(#value).unwrap_or_default())
        }
        Ty::Option(inner) | Ty::Boxed(inner) => to_text(api, inner, value),
        _ => value,
    }
}

/// Copy types are passed by value where a `Display` argument is expected (clippy wants no needless borrow).
fn is_copy(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Uuid | Ty::Date => true,
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum(e) => e.repr == crate::ir::EnumRepr::Integer,
            TypeKind::Alias(inner) => is_copy(api, inner),
            _ => false,
        },
        _ => false,
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let error = ident(&op.error_name);
    let method = ident(&op.method);
    let template = op.path.as_str();

    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();

    let mut struct_fields = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    for p in &required {
        let name = ident(&p.name);
        let (held, arg, into) = param_ty(api, p);
        struct_fields.push(quote!(#name: #held,));
        ctor_args.push(quote!(#name: #arg));
        ctor_inits.push(if into {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
    }
    let mut setters = Vec::new();
    for p in &optional {
        let name = ident(&p.name);
        let (held, arg, into) = param_ty(api, p);
        struct_fields.push(quote!(#name: Option<#held>,));
        ctor_inits.push(quote!(#name: None));
        let value = if into { quote!(value.into()) } else { quote!(value) };
        let doc = docs::attrs(&Docs {
            description: Some(param_doc(p)),
            ..p.docs.clone()
        });
        setters.push(quote! {
            #doc
            pub fn #name(mut self, value: #arg) -> Self { self.#name = Some(#value); self }
        });
    }
    if let Some(body) = &op.body {
        let ty = body_ty(api, &body.ty, body.kind);
        if body_is_required(api, body) {
            struct_fields.push(quote!(body: &'a #ty,));
            ctor_args.push(quote!(body: &'a #ty));
            ctor_inits.push(quote!(body));
        } else {
            struct_fields.push(quote!(body: Option<&'a #ty>,));
            ctor_inits.push(quote!(body: None));
            setters.push(quote! {
                /// Sets the (optional) request body.
                pub fn body(mut self, value: &'a #ty) -> Self { self.body = Some(value); self }
            });
        }
    }

    // Building the request.
    let mut build = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => build.push(quote!(req.push_path(#text);)),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let name = ident(&p.name);
                let value = if is_copy(api, &p.ty) {
                    quote!(self.#name)
                } else {
                    quote!(&self.#name)
                };
                let text = to_text(api, &p.ty, value);
                build.push(quote!(req.push_path_param(#text);))
            }
        }
    }
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let name = ident(&p.name);
        let wire = p.wire_name.as_str();
        let (value_ref, place, wrap_some) = if p.required && is_copy(api, &p.ty) {
            (quote!(self.#name), quote!(self.#name), false)
        } else if p.required {
            (quote!(&self.#name), quote!(self.#name), false)
        } else {
            (quote!(value), quote!(value), true)
        };
        let emit_one = match (&p.location, &p.ty) {
            (ParamLocation::Query, Ty::Vec(inner)) if p.explode => {
                let t = to_text(api, inner, quote!(item));
                quote!(for item in #place.iter() { req.query(#wire, #t); })
            }
            (_, Ty::Vec(inner)) => {
                let t = to_text(api, inner, quote!(item));
                let call = location_call(p.location, wire, quote!(&joined));
                quote!({ let joined = #place.iter().map(|item| #t.to_string()).collect::<Vec<String>>().join(","); #call })
            }
            _ => {
                let t = to_text(api, &p.ty, value_ref);
                location_call(p.location, wire, t)
            }
        };
        build.push(if wrap_some {
            quote!(if let Some(value) = &self.#name { #emit_one })
        } else {
            emit_one
        });
    }
    if let Some(body) = &op.body {
        let call = body_call(body.kind, &body.content_type);
        build.push(if body_is_required(api, body) {
            quote!({ let body = self.body; #call })
        } else {
            quote!(if let Some(body) = self.body { #call })
        });
    }
    let auth = auth_tokens(api, op);
    build.push(quote!(req.auth(#auth);));
    if let Some(h) = &op.idempotency_header {
        build.push(quote!(req.idempotency_header(#h);));
    }

    // Responses.
    let (success_ty, success_enum, arms) = responses(api, op);
    let error_variants = op.responses.iter().filter(|r| !is_success(op, r)).map(|r| {
        let v = ident(&r.variant);
        let doc = docs::attr_str(&response_doc(r));
        match error_body(api, r) {
            Some(ty) => quote!(#doc #v(#ty),),
            None => quote!(#doc #v,),
        }
    });
    let error_doc = docs::lines(&format!(
        "Documented error responses of [`Client::{}`].",
        op.fn_name.trim_start_matches("r#")
    ));

    let op_doc = docs::attrs(&op.docs);
    let summary = docs::lines(&format!("`{} {}`", op.method, op.path));
    let builder_doc = docs::lines(&format!(
        "Request builder for [`Client::{}`]: set optional parameters, then `.send().await` (or `.await` it).",
        op.fn_name.trim_start_matches("r#")
    ));

    quote! {
        impl Client {
            #op_doc
            #[doc = ""]
            #summary
            pub fn #fn_name<'a>(&'a self, #(#ctor_args),*) -> #builder<'a> {
                #builder { client: self, #(#ctor_inits,)* options: RequestOptions::default() }
            }
        }

        #builder_doc
        #[must_use = "a request builder does nothing until it is sent"]
        #[derive(Debug)]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#struct_fields)*
            options: RequestOptions,
        }

        runtime::request_options!(#builder<'_>);

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Sends the request and decodes the response body.
            pub async fn send(self) -> Result<#success_ty, Error<#error>> {
                self.send_with_response().await.map(Response::into_body)
            }

            /// Sends the request; the result also carries the status and headers.
            pub async fn send_with_response(self) -> Result<Response<#success_ty>, Error<#error>> {
                let mut req = ApiRequest::new(::reqwest::Method::#method, #template);
                #(#build)*
                let resp = self.client.execute(req, self.options).await?;
                match resp.status().as_u16() {
                    #(#arms)*
                }
            }
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = Result<#success_ty, Error<#error>>;
            type IntoFuture = runtime::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture { Box::pin(self.send()) }
        }

        #error_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error { #(#error_variants)* }

        #success_enum
    }
}

/// A body is an argument when the spec requires it, or when its schema requires properties (no
/// request without it could be valid); otherwise it is set with the builder's `body` method.
fn body_is_required(api: &Api, body: &crate::ir::RequestBody) -> bool {
    body.required
        || match crate::lower::resolve_alias(api, &body.ty) {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| {
                    matches!(
                        f.presence,
                        crate::ir::Presence::Required | crate::ir::Presence::RequiredNullable
                    )
                }),
                _ => false,
            },
            _ => false,
        }
}

fn param_doc(p: &Param) -> String {
    let loc = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let mut s = format!("`{}` ({loc} parameter).", p.wire_name.replace('`', "'"));
    if let Some(d) = &p.docs.description {
        s.push_str("\n\n");
        s.push_str(d);
    }
    s
}

fn location_call(loc: ParamLocation, wire: &str, value: TokenStream) -> TokenStream {
    match loc {
        ParamLocation::Query => quote!(req.query(#wire, #value);),
        ParamLocation::Header => quote!(req.header(#wire, #value);),
        ParamLocation::Cookie => quote!(req.cookie(#wire, #value);),
        ParamLocation::Path => quote!(req.push_path_param(#value);),
    }
}

fn body_ty(api: &Api, ty: &Ty, kind: BodyKind) -> TokenStream {
    match kind {
        BodyKind::Binary => quote!([u8]),
        BodyKind::Text => quote!(str),
        _ => ty_tokens(api, ty, false),
    }
}

fn body_call(kind: BodyKind, content_type: &str) -> TokenStream {
    match kind {
        BodyKind::Json => quote!(req.json(body);),
        BodyKind::Form => quote!(req.form(body);),
        BodyKind::Multipart => quote!(req.json(body);),
        BodyKind::Binary => quote!(req.bytes(#content_type, body.to_vec());),
        BodyKind::Text => quote!(req.text(#content_type, body.to_owned());),
    }
}

fn auth_tokens(api: &Api, op: &Operation) -> TokenStream {
    let alts = op.security.iter().map(|alt| {
        let schemes = alt.iter().map(|i| {
            let s = &api.security_schemes[*i];
            match &s.kind {
                SecurityKind::Bearer => quote!(runtime::AuthScheme::Bearer),
                SecurityKind::Basic => quote!(runtime::AuthScheme::Basic),
                SecurityKind::ApiKey { location, name } => {
                    let key = s.key.as_str();
                    let loc = match location {
                        ParamLocation::Query => quote!(runtime::ApiKeyLocation::Query),
                        ParamLocation::Cookie => quote!(runtime::ApiKeyLocation::Cookie),
                        _ => quote!(runtime::ApiKeyLocation::Header),
                    };
                    quote!(runtime::AuthScheme::ApiKey { name: #key, location: #loc, param: #name })
                }
            }
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alts),*])
}

/// Which responses are the success type: the 2xx ones, or `default` when no 2xx is documented.
fn is_success(op: &Operation, r: &Response) -> bool {
    if op.responses.iter().any(|r| r.status.is_success()) {
        r.status.is_success()
    } else {
        r.status == StatusMatch::Default
    }
}

fn response_doc(r: &Response) -> String {
    let status = match &r.status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(x) => format!("{x}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
    };
    match &r.description {
        Some(d) => format!("{status}: {d}"),
        None => status,
    }
}

/// Only JSON error bodies are decoded; others stay reachable as raw bytes on the error.
fn error_body(api: &Api, r: &Response) -> Option<TokenStream> {
    let b = r.body.as_ref()?;
    (b.kind == BodyKind::Json).then(|| ty_tokens(api, &b.ty, false))
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

fn decode_call(api: &Api, r: &Response) -> (TokenStream, TokenStream) {
    match &r.body {
        None => (quote!(()), quote!(resp.empty())),
        Some(b) => match b.kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                (ty_tokens(api, &b.ty, false), quote!(resp.json()))
            }
            BodyKind::Text => (quote!(String), quote!(resp.text())),
            BodyKind::Binary => (quote!(::bytes::Bytes), quote!(resp.bytes())),
        },
    }
}

/// The success type, an optional success enum (when 2xx bodies differ), and the match arms.
fn responses(api: &Api, op: &Operation) -> (TokenStream, TokenStream, Vec<TokenStream>) {
    let mut ordered: Vec<&Response> = op.responses.iter().collect();
    // Exact codes before ranges before `default`, so the most specific arm wins.
    ordered.sort_by_key(|r| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let successes: Vec<&Response> = ordered.iter().copied().filter(|r| is_success(op, r)).collect();
    let decoded: Vec<(TokenStream, TokenStream)> = successes.iter().map(|r| decode_call(api, r)).collect();
    let all_same = decoded.windows(2).all(|w| w[0].0.to_string() == w[1].0.to_string());
    let mut arms = Vec::new();
    let (success_ty, success_enum) = if successes.is_empty() {
        arms.push(quote!(200..=299 => resp.empty(),));
        (quote!(()), quote!())
    } else if all_same {
        for r in &successes {
            let (_, call) = decode_call(api, r);
            let pat = if r.status == StatusMatch::Default {
                quote!(200..=299)
            } else {
                pattern(&r.status)
            };
            arms.push(quote!(#pat => #call,));
        }
        (decoded[0].0.clone(), quote!())
    } else {
        let enum_name = ident(&op.success_name);
        let mut variants = Vec::new();
        for (r, (ty, call)) in successes.iter().zip(&decoded) {
            let v = ident(&r.variant);
            let doc = docs::attr_str(&response_doc(r));
            let pat = if r.status == StatusMatch::Default {
                quote!(200..=299)
            } else {
                pattern(&r.status)
            };
            variants.push(quote!(#doc #v(#ty),));
            arms.push(quote!(#pat => #call.map(|r| r.map(#enum_name::#v)),));
        }
        let doc = docs::lines(&format!(
            "The success responses of [`Client::{}`], which carry different bodies.",
            op.fn_name.trim_start_matches("r#")
        ));
        (
            quote!(#enum_name),
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                pub enum #enum_name { #(#variants)* }
            },
        )
    };
    let mut has_default = false;
    for r in ordered.iter().filter(|r| !is_success(op, r)) {
        let v = ident(&r.variant);
        let error = ident(&op.error_name);
        let pat = pattern(&r.status);
        has_default |= r.status == StatusMatch::Default;
        let value = if error_body(api, r).is_some() {
            quote!(resp.api_error(#error::#v))
        } else {
            quote!(resp.api_error_empty(|| #error::#v))
        };
        arms.push(quote!(#pat => Err(#value),));
    }
    if !has_default {
        arms.push(quote!(_ => Err(resp.unexpected()),));
    }
    (success_ty, success_enum, arms)
}
