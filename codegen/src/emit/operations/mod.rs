//! `operations.rs`: one method on `Client`, one request builder and one error enum per operation.
//!
//! `request.rs` emits how the request is built, `responses.rs` how the response is read.

mod headers;
mod request;
mod responses;
mod streams;

pub(crate) use request::{body_ty, style};

use proc_macro2::TokenStream;
use quote::quote;

use super::accepts::Accepts;
use super::{constraints, docs, ident, ty_tokens};
use crate::ir::{Api, BodyKind, Docs, Operation, Param, ParamLocation, SharedError, Ty, TypeKind};

/// The inner attributes and imports that open `operations.rs`.
pub fn head(api: &Api) -> TokenStream {
    let imports = if api.operations.is_empty() {
        quote!()
    } else {
        // With tag features, a build may leave out every operation that uses one of these.
        let allow = api.tag_features.as_ref().map(|_| quote!(#[allow(unused_imports)]));
        quote!(
            #allow
            use crate::runtime::{self, ApiRequest, Client, Error, RawResponse, RequestOptions, Response};
        )
    };
    quote! {
        //! Request builders and per-operation error types. Start from the methods on [`crate::Client`].
        #![allow(deprecated)]
        #imports
    }
}

/// The items of the operations in `range` (indices into `api.operations`).
pub fn emit(api: &Api, range: std::ops::Range<usize>, crate_ident: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for i in range {
        let op = &api.operations[i];
        let shared = op.shared_error.map(|g| api.shared_errors[g].name.as_str());
        let gate = super::operation_gate(api, i);
        out.extend(super::gated(api, gate, operation(api, i, gate, shared, crate_ident)));
    }
    out
}

/// The error enums shared by several operations (see `ir::SharedError`).
pub fn shared_errors(api: &Api, crate_ident: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, group) in api.shared_errors.iter().enumerate() {
        out.extend(super::gated(
            api,
            super::shared_error_gate(api, i),
            shared_error(api, group, crate_ident),
        ));
    }
    out
}

/// A shared error enum with its `from_response`.
fn shared_error(api: &Api, group: &SharedError, crate_ident: &str) -> TokenStream {
    let op = &api.operations[group.ops[0]];
    let name = ident(&group.name);
    const LISTED: usize = 8;
    let mut users: Vec<String> = group
        .ops
        .iter()
        .take(LISTED)
        .map(|&i| format!("[`Client::{}`]", api.operations[i].fn_name.trim_start_matches("r#")))
        .collect();
    if group.ops.len() > LISTED {
        users.push(format!("and {} more", group.ops.len() - LISTED));
    }
    let doc = docs::lines(&format!(
        "Documented error responses shared by {} operations: {}.",
        group.ops.len(),
        users.join(", ")
    ));
    let view = api
        .header_views_of(group.ops[0])
        .and_then(|v| v.errors.as_ref())
        .map(|v| headers::errors(api, v, &group.name, crate_ident));
    let items = error_enum(doc, &name, api, op);
    quote!(#items #view)
}

/// An error enum: the documented error responses of `op` as variants, and `from_response`, which
/// turns a non-success response into the operation's error.
fn error_enum(doc: TokenStream, name: &proc_macro2::Ident, api: &Api, op: &Operation) -> TokenStream {
    let variants = responses::error_variants(api, op);
    let from_response = responses::error_of_body(api, op, name);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }

        impl #name {
            #[inline]
            fn from_response(resp: RawResponse) -> Error<Self> { #from_response }
        }
    }
}

/// How the value of a parameter is held by the builder, and what a call argument accepts.
fn param_ty(api: &Api, p: &Param) -> (TokenStream, Accepts) {
    (ty_tokens(api, &p.ty, false), Accepts::of(api, &p.ty, false))
}

/// A compile-checked usage example of `send()`, with the spec's example values where they fit
/// (and of the paginator, where there is one, with `plain`'s parameters).
fn example(op: &Operation, with_values: &super::examples::Parts, plain: &super::examples::Parts) -> String {
    let super::examples::Parts { inputs, setup, call } = with_values;
    format!(
        "# Example\n\n```no_run\n# async fn example({inputs}) -> Result<(), Box<dyn std::error::Error>> {{\n{setup}let response = {call}.send().await?;\n# let _ = response;\n# Ok(())\n# }}\n```{}",
        super::pagination::doc_section(op, &plain.inputs, &plain.call)
    )
}

fn operation(api: &Api, index: usize, gate: &[usize], shared_error: Option<&str>, crate_ident: &str) -> TokenStream {
    let op = &api.operations[index];
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let error = ident(&op.error_name);
    let method = ident(&op.method);
    let template = op.path.as_str();
    let plain_fn = op.fn_name.trim_start_matches("r#");

    let mut struct_fields = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.name);
        let (held, accepts) = param_ty(api, p);
        let arg = &accepts.arg;
        struct_fields.push(quote!(#name: #held,));
        ctor_args.push(quote!(#name: #arg));
        ctor_inits.push(if accepts.is_same() {
            quote!(#name)
        } else {
            let value = accepts.convert(&name);
            quote!(#name: #value)
        });
    }
    let mut setters = Vec::new();
    for p in op.params.iter().filter(|p| !p.required) {
        let name = ident(&p.name);
        let (held, accepts) = param_ty(api, p);
        let arg = &accepts.arg;
        struct_fields.push(quote!(#name: Option<#held>,));
        ctor_inits.push(quote!(#name: None));
        let value = accepts.convert(&quote::format_ident!("value"));
        let mut description = param_doc(p);
        if let Some(c) = p.client_param.and_then(|i| api.client_params.get(i)) {
            let setter = c.setter.trim_start_matches("r#");
            description.push_str(&format!(
                "\n\nWithout a value here, the client's default is sent (see [`ClientBuilder::{setter}`](crate::ClientBuilder::{setter}))."
            ));
        }
        let doc = docs::attrs(&Docs {
            description: Some(description),
            ..p.docs.clone()
        });
        setters.push(quote! {
            #doc
            pub fn #name(mut self, value: #arg) -> Self { self.#name = Some(#value); self }
        });
    }
    let body_required = op.body.as_ref().is_some_and(|b| body_is_required(api, b));
    let mut builder_notes = String::new();
    if let Some(body) = &op.body {
        let ty = request::body_ty(api, body);
        if body_required {
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
        if body.kind == BodyKind::Multipart {
            setters.push(quote! {
                /// Sends this form instead of the typed body (see [`crate::Multipart`]).
                pub fn multipart(mut self, form: crate::Multipart) -> Self { self.options = self.options.multipart(form); self }
            });
        }
        if !body.alternatives.is_empty() {
            builder_notes.push_str(&format!(
                "\n\nThe body is sent as `{}`.",
                body.content_type.replace('`', "'")
            ));
            let others: Vec<String> = body
                .alternatives
                .iter()
                .map(|a| format!("`{}`", a.replace('`', "'")))
                .collect();
            builder_notes.push_str(&format!(
                " The API also accepts {}: send those with `.raw_body(content_type, bytes)`, which replaces the typed body.",
                others.join(", ")
            ));
        }
    }

    let build = request::build(api, op, body_required);
    let success = responses::success(api, op);
    let (success_ty, success_enum, arms) = (&success.ty, &success.enum_def, &success.arms);
    // With typed headers, what `send_streaming`/`send_events` return carries them too.
    let views = api.header_views_of(index);
    let success_headers = views.and_then(|v| v.success.as_ref());
    let (headers_ty, typed) = match success_headers {
        Some(v) => {
            let name = ident(&v.name);
            (quote!(, #name), quote!(.map(Response::typed)))
        }
        None => (quote!(), quote!()),
    };
    let streaming = op
        .responses
        .iter()
        .any(|r| op.is_success(r) && r.body.as_ref().is_some_and(|b| b.kind == BodyKind::Binary));
    let send_streaming = if streaming {
        let patterns = &success.patterns;
        quote! {
            /// Sends the request and hands a success body over as a stream, unread, instead of buffering it.
            /// Error responses are read and decoded as with `send`.
            pub async fn send_streaming(self) -> Result<Response<runtime::ByteStream #headers_ty>, Error<#error>> {
                let client = self.client;
                let (req, options) = runtime::Operation::into_parts(self);
                let resp = client.execute_stream(req, options).await?;
                match resp.status().as_u16() {
                    #(#patterns)|* => resp.into_stream()#typed,
                    _ => Err(#error::from_response(resp.buffer().await?)),
                }
            }
        }
    } else {
        quote!()
    };

    let plain = super::examples::parts(api, op, body_required, crate_ident, false);
    let with_values = super::examples::parts(api, op, body_required, crate_ident, true);
    let send_items = streams::methods(
        api,
        op,
        &success.patterns,
        &error,
        (&plain.call, &plain.inputs),
        (&headers_ty, &typed),
    );

    let methods = if setters.is_empty() && send_streaming.is_empty() && send_items.is_empty() {
        quote!()
    } else {
        quote! {
            impl<'a> #builder<'a> {
                #(#setters)*
                #send_streaming
                #send_items
            }
        }
    };
    let paginated = super::pagination::emit(api, op, success_ty, &error);
    let error_doc = docs::lines(&format!("Documented error responses of [`Client::{plain_fn}`]."));
    let error_def = match shared_error {
        Some(target) => {
            let target = ident(target);
            quote! {
                #error_doc
                pub type #error = #target;
            }
        }
        None => {
            let view = views
                .and_then(|v| v.errors.as_ref())
                .map(|v| headers::errors(api, v, &op.error_name, crate_ident));
            let items = error_enum(error_doc, &error, api, op);
            quote!(#items #view)
        }
    };
    let success_view = success_headers.map(|v| headers::success(api, v, plain_fn, crate_ident));
    let op_doc = if op.docs == Docs::default() {
        quote!()
    } else {
        let attrs = docs::attrs(&op.docs);
        quote!(#attrs #[doc = ""])
    };
    let summary = docs::lines(&format!(
        "`{} {}`{}{}{}\n\n{}",
        op.method,
        op.path,
        feature_note(api, gate),
        method_sections(op),
        streams::send_note(op),
        example(op, &with_values, &plain)
    ));
    let builder_doc = docs::lines(&format!(
        "Request builder for [`Client::{plain_fn}`]: set optional parameters, then `.send().await` (or `.await` it).{builder_notes}"
    ));

    // Clippy counts `&self` too: seven required parameters make eight arguments.
    let allow = if ctor_args.len() >= 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        impl Client {
            #op_doc
            #summary
            #allow
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

        runtime::operation!(#builder, #success_ty, #error #headers_ty);

        impl runtime::Operation for #builder<'_> {
            type Output = #success_ty;
            type Error = #error;

            #[inline]
            fn into_parts(self) -> (ApiRequest, RequestOptions) {
                let mut req = ApiRequest::new(::reqwest::Method::#method, #template);
                #(#build)*
                (req, self.options)
            }

            #[inline]
            fn decode(resp: RawResponse) -> Result<Response<Self::Output>, Error<Self::Error>> {
                match resp.status().as_u16() {
                    #(#arms)*
                    _ => Err(#error::from_response(resp)),
                }
            }
        }

        #methods

        #paginated

        #error_def

        #success_enum

        #success_view
    }
}

/// Which crate feature compiles the operation, for readers of the docs.
fn feature_note(api: &Api, gate: &[usize]) -> String {
    let names: Vec<String> = super::gate_features(api, gate)
        .iter()
        .map(|n| format!("`{n}`"))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("\n\nNeeds the crate feature {one} (on by default)."),
        many => format!(
            "\n\nNeeds one of the crate features {} (on by default).",
            many.join(", ")
        ),
    }
}

/// `# Arguments` (the required parameters' descriptions) and `# Responses` (the success
/// responses' descriptions; error responses are documented on their error enum's variants), so that
/// no description of the spec is lost.
fn method_sections(op: &Operation) -> String {
    let mut out = String::new();
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| {
            let d = p.docs.description.as_deref().filter(|d| !d.trim().is_empty());
            let mut text = d.map(docs::sanitize).unwrap_or_default();
            for note in constraints::param_notes(p) {
                // A multi-paragraph description ends in anything (a list, a code block): start anew.
                text.push_str(match text.as_str() {
                    "" => "",
                    t if t.contains('\n') => "\n\n",
                    _ => " ",
                });
                text.push_str(&note);
            }
            (!text.is_empty()).then(|| format!("`{}`: {text}", p.name.trim_start_matches("r#")))
        })
        .collect();
    if !args.is_empty() {
        out.push_str("\n\n# Arguments\n\n");
        out.push_str(&args.join("\n\n"));
    }
    let successes: Vec<String> = op
        .responses
        .iter()
        .filter(|r| op.is_success(r) && r.description.as_deref().is_some_and(|d| !d.trim().is_empty()))
        .map(|r| docs::sanitize(&responses::response_doc(r)))
        .collect();
    if !successes.is_empty() {
        out.push_str("\n\n# Responses\n\n");
        out.push_str(&successes.join("\n\n"));
    }
    out
}

/// A body is an argument when the spec requires it, or when its schema requires properties (no
/// request without it could be valid); otherwise it is set with the builder's `body` method.
/// The contract driver and the API surface follow the same rule through this function.
pub(crate) fn body_is_required(api: &Api, body: &crate::ir::RequestBody) -> bool {
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
    for note in constraints::param_notes(p) {
        s.push_str("\n\n");
        s.push_str(&note);
    }
    if p.location == ParamLocation::Cookie {
        s.push_str(
            "\n\nSent in the `Cookie` header: RFC 6265 `cookie-octet`s as they are, any other byte (space, `\"`, `,`, `;`, `\\`, controls, non-ASCII) percent-encoded.",
        );
    }
    s
}
