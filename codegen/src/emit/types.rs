//! Structs and aliases of `types.rs`; enums and unions are in `types/enums.rs` and `types/unions.rs`.

mod enums;
mod unions;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::accepts::Accepts;
use super::{constraints, docs, ident, ty_tokens};
use crate::ir::{Api, DefaultValue, Field, Presence, StructDef, Ty, TypeDef, TypeKind};

/// The inner attributes that open `types.rs`.
pub fn head() -> TokenStream {
    quote! {
        //! Data types of the API: one per schema of the spec, plus one per inline schema that needs a name.
        #![allow(deprecated)]
    }
}

/// The serde traits a type implements: a type that is only sent implements `Serialize`, one that
/// is only received `Deserialize`, any other both. The generated crate's `serde-all` feature adds
/// the missing one everywhere (for users who store, log or mock API values).
#[derive(Clone, Copy)]
pub(crate) struct SerdeTraits {
    ser: bool,
    de: bool,
}

impl SerdeTraits {
    fn of(t: &TypeDef) -> Self {
        Self {
            ser: t.serialize,
            de: t.deserialize,
        }
    }

    /// The `derive` attribute: the given traits, then the serde traits.
    fn derive(self, traits: TokenStream) -> TokenStream {
        let ser = self.ser.then(|| quote!(, ::serde::Serialize));
        let de = self.de.then(|| quote!(, ::serde::Deserialize));
        let missing = self.feature_only();
        quote! {
            #[derive(#traits #ser #de)]
            #missing
        }
    }

    /// The `derive` attribute without `Deserialize` (written out instead, behind `de_gate`).
    fn derive_ser_only(self, traits: TokenStream) -> TokenStream {
        let ser = self.ser.then(|| quote!(, ::serde::Serialize));
        let missing = (!self.ser).then(|| quote!(#[cfg_attr(feature = "serde-all", derive(::serde::Serialize))]));
        quote! {
            #[derive(#traits #ser)]
            #missing
        }
    }

    /// `cfg_attr` deriving the traits left out, under the `serde-all` feature.
    fn feature_only(self) -> TokenStream {
        match (self.ser, self.de) {
            (true, true) => quote!(),
            (false, _) => quote!(#[cfg_attr(feature = "serde-all", derive(::serde::Serialize))]),
            (_, false) => quote!(#[cfg_attr(feature = "serde-all", derive(::serde::Deserialize))]),
        }
    }

    /// `cfg` on a hand-written `Serialize` impl.
    fn ser_gate(self) -> TokenStream {
        if self.ser {
            quote!()
        } else {
            quote!(#[cfg(feature = "serde-all")])
        }
    }

    /// `cfg` on a hand-written `Deserialize` impl.
    fn de_gate(self) -> TokenStream {
        if self.de {
            quote!()
        } else {
            quote!(#[cfg(feature = "serde-all")])
        }
    }
}

/// The items of the types in `range` (indices into `api.types`).
pub fn emit(api: &Api, range: std::ops::Range<usize>, crate_ident: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for i in range {
        let t = &api.types[i];
        out.extend(super::gated(
            api,
            super::type_gate(api, i),
            type_def(api, i, t, crate_ident),
        ));
    }
    out
}

fn type_def(api: &Api, id: usize, t: &TypeDef, crate_ident: &str) -> TokenStream {
    let doc = docs::attrs_with(&t.docs, &[constraints::text(t.constraints.as_deref())]);
    let name = ident(&t.name);
    let serde = SerdeTraits::of(t);
    match &t.kind {
        TypeKind::Struct(s) => struct_def(api, t, s, doc, serde, &|f| file_doc(api, id, f, crate_ident)),
        TypeKind::Enum(e) => enums::enum_def(&name, e, doc, serde),
        TypeKind::Union(u) => unions::union_def(api, &name, u, doc, serde),
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(api, ty, true);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

fn default_fn_name(field: &Field) -> proc_macro2::Ident {
    format_ident!("default_{}", field.name.trim_start_matches("r#"))
}

/// The `with` module that writes the bytes of a JSON value as a string, if the value holds any:
/// base64 for `format: byte`, UTF-8 text for `format: binary` (JSON has no raw bytes; pydantic
/// writes its `bytes` this way).
/// Both take `Vec<u8>` inside `Option`, `Vec`, `BTreeMap` or `Box`, through aliases.
pub(crate) fn bytes_with(api: &Api, ty: &Ty) -> Option<&'static str> {
    if holds(api, ty, &Ty::Bytes) {
        Some("crate::runtime::base64")
    } else if holds(api, ty, &Ty::Binary) {
        Some("crate::runtime::base64::text")
    } else {
        None
    }
}

/// Does the value hold date-times in a shape `crate::runtime::de::date_time` decodes (nested as
/// for [`bytes_with`])? Such values are decoded leniently (an offset-less date-time is UTC).
pub(crate) fn is_date_time(api: &Api, ty: &Ty) -> bool {
    holds(api, ty, &Ty::DateTime)
}

/// Is `ty` the `leaf` type inside `Option`, `Vec`, `BTreeMap` or `Box` layers, through aliases?
fn holds(api: &Api, ty: &Ty, leaf: &Ty) -> bool {
    // Bounded: an alias can contain itself (`Patch = Vec<Patch>`), and this walk goes through aliases.
    let mut cur = ty;
    for _ in 0..=api.types.len() + 64 {
        match crate::lower::resolve_alias(api, cur) {
            t if t == leaf => return true,
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => cur = t,
            _ => return false,
        }
    }
    false
}

/// The docs of a file field of the multipart body type `id`: the part's defaults, and an example.
fn file_doc(api: &Api, id: usize, f: &Field, crate_ident: &str) -> String {
    let file = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter(|b| matches!(crate::lower::resolve_alias(api, &b.ty), Ty::Named(t) if t.0 == id))
        .find_map(|b| b.files.iter().find(|file| file.wire_name == f.wire_name));
    let Some(file) = file else { return String::new() };
    let code = |s: &str| s.replace('`', "'");
    let (wire, ct) = (code(&file.wire_name), code(&file.content_type));
    let ct_lit = format!("{:?}", file.content_type);
    let list = if matches!(crate::lower::resolve_alias(api, &f.ty), Ty::Vec(_)) {
        " Each file of the list is its own part, with its own name and type."
    } else {
        ""
    };
    let accepts = match &file.accepts {
        Some(a) => format!(" The API accepts `{}`: set the type of each file.", code(a)),
        None => String::new(),
    };
    format!(
        "Sent as a file part.{list} Without a [`file_name`](crate::FilePart::file_name) the part's file name is \
         `{wire}`; without a [`content_type`](crate::FilePart::content_type) its type is `{ct}`.{accepts}\n\n\
         ```\n# let bytes: Vec<u8> = Vec::new();\nlet file = {crate_ident}::FilePart::new(bytes).file_name(\"upload.bin\").content_type({ct_lit});\n# let _ = file;\n```"
    )
}

/// A required field that one direction leaves out: `readOnly` (never sent) or `writeOnly` (never
/// received). It is an `Option` so that the other direction need not have it.
fn one_way_required(f: &Field) -> bool {
    (f.read_only || f.write_only) && f.presence == Presence::Required
}

/// The field's full Rust type, `Option` layers included.
fn field_ty(api: &Api, f: &Field) -> TokenStream {
    let inner = ty_tokens(api, &f.ty, true);
    if one_way_required(f) {
        return quote!(Option<#inner>);
    }
    match f.presence {
        Presence::Required | Presence::Defaulted(_) => inner,
        Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullableLoose => quote!(Option<#inner>),
        Presence::OptionalNullable => quote!(crate::runtime::Nullable<#inner>),
    }
}

fn default_expr(api: &Api, ty: &Ty, d: &DefaultValue) -> TokenStream {
    match d {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Int(i) => {
            let lit = Literal::i128_unsuffixed(*i);
            quote!(#lit)
        }
        DefaultValue::Float(f) => {
            let lit = Literal::f64_unsuffixed(*f);
            quote!(#lit)
        }
        DefaultValue::Str(s) => {
            if matches!(ty, Ty::String) {
                quote!(String::from(#s))
            } else {
                quote!(#s.into())
            }
        }
        // Only made for types with a `Default` (lists, maps, JSON values, dates, uuids); a default
        // the type cannot hold falls back to that.
        DefaultValue::Json(text) => quote!(::serde_json::from_str(#text).unwrap_or_default()),
        DefaultValue::Variant(id, v) => {
            let t = ident(&api.types[id.0].name);
            let v = ident(v);
            quote!(#t::#v)
        }
    }
}

fn struct_def(
    api: &Api,
    t: &TypeDef,
    s: &StructDef,
    doc: TokenStream,
    serde_traits: SerdeTraits,
    file_doc: &dyn Fn(&Field) -> String,
) -> TokenStream {
    let name = ident(&t.name);
    let mut fields = Vec::new();
    let mut default_fns = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    let mut has_consts = false;
    // Written-out `Deserialize` (see `de_impl`): possible unless a field needs a `with` module or
    // the struct flattens additional properties.
    let hand_de = s.additional.is_none() && s.fields.iter().all(|f| bytes_with(api, &f.ty).is_none());
    let mut de_fields = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let default = match &f.presence {
            Presence::Defaulted(d) => constraints::field_default(api, d),
            _ => String::new(),
        };
        let file = if holds(api, &f.ty, &Ty::File) {
            file_doc(f)
        } else if f.ty == Ty::Unit {
            "Only `null` is allowed here (`type: null`): `Some(())` sends `null`.".to_owned()
        } else {
            String::new()
        };
        let fdoc = docs::attrs_with(&f.docs, &[constraints::text(f.constraints.as_deref()), default, file]);
        let ty = field_ty(api, f);
        let bytes = bytes_with(api, &f.ty);
        let date_time = is_date_time(api, &f.ty);
        let mut serde = Vec::new();
        let wire = f.wire_name.as_str();
        if f.name.trim_start_matches("r#") != wire {
            serde.push(quote!(rename = #wire));
        }
        match &f.presence {
            Presence::Required | Presence::RequiredNullable if !f.read_only && !f.write_only => {}
            // Still sent as `null` when `None`, but a response may leave it out.
            Presence::RequiredNullable => serde.push(quote!(default)),
            Presence::Required | Presence::Optional | Presence::OptionalNullableLoose => {
                serde.push(quote!(default));
                if !f.read_only {
                    serde.push(quote!(skip_serializing_if = "Option::is_none"));
                }
            }
            Presence::OptionalNullable => {
                serde.push(quote!(default));
                if !f.read_only {
                    serde.push(quote!(skip_serializing_if = "crate::runtime::Nullable::is_absent"));
                }
            }
            Presence::Defaulted(d) => {
                let fn_name = default_fn_name(f);
                let path = format!("{}::{}", t.name.trim_start_matches("r#"), fn_name);
                let inner = ty_tokens(api, &f.ty, true);
                let value = default_expr(api, &f.ty, d);
                default_fns.push(quote! { fn #fn_name() -> #inner { #value } });
                serde.push(quote!(default = #path));
            }
        }
        if f.read_only {
            // Set by the server only: decoded from responses, never sent.
            serde.push(quote!(skip_serializing));
        }
        if let Some(with) = bytes {
            serde.push(quote!(with = #with));
        }
        if date_time && !hand_de {
            serde.push(quote!(deserialize_with = "crate::runtime::de::date_time"));
        }
        let finish = match &f.presence {
            _ if is_option(f) => DeFinish::Default,
            Presence::Defaulted(_) => DeFinish::Call(default_fn_name(f)),
            _ => DeFinish::Required,
        };
        de_fields.push(DeField {
            name: fname.clone(),
            wire: f.wire_name.clone(),
            finish,
            date_time,
        });
        let serde_attr = if serde.is_empty() {
            quote!()
        } else if hand_de && !serde_traits.ser {
            // Only a `Serialize` derived under `serde-all` reads these.
            quote!(#[cfg_attr(feature = "serde-all", serde(#(#serde),*))])
        } else {
            quote!(#[serde(#(#serde),*)])
        };
        fields.push(quote! { #fdoc #serde_attr pub #fname: #ty, });
        if f.read_only {
            ctor_inits.push(match &f.presence {
                Presence::Defaulted(_) => {
                    let fn_name = default_fn_name(f);
                    quote!(#fname: Self::#fn_name())
                }
                Presence::OptionalNullable => quote!(#fname: crate::runtime::Nullable::Absent),
                _ => quote!(#fname: None),
            });
            continue;
        }
        if f.write_only && f.presence == Presence::Required {
            // Required in requests: an argument, stored as `Some`.
            let accepts = Accepts::of(api, &f.ty, true);
            let (arg, value) = (&accepts.arg, accepts.convert(&fname));
            ctor_args.push(quote!(#fname: #arg));
            ctor_inits.push(quote!(#fname: Some(#value)));
            continue;
        }
        if let Some(only) = single_variant(api, f) {
            // A `const` (one-value enum) field needs no argument: it can only hold that value.
            ctor_inits.push(quote!(#fname: #only));
            has_consts = true;
            continue;
        }
        match &f.presence {
            Presence::Required | Presence::RequiredNullable => {
                let accepts = Accepts::of(api, &f.ty, true);
                if matches!(f.presence, Presence::Required) && !accepts.is_same() {
                    let (arg, value) = (&accepts.arg, accepts.convert(&fname));
                    ctor_args.push(quote!(#fname: #arg));
                    ctor_inits.push(quote!(#fname: #value));
                } else {
                    ctor_args.push(quote!(#fname: #ty));
                    ctor_inits.push(quote!(#fname));
                }
            }
            Presence::Defaulted(_) => {
                let fn_name = default_fn_name(f);
                ctor_inits.push(quote!(#fname: Self::#fn_name()));
            }
            Presence::OptionalNullable => ctor_inits.push(quote!(#fname: crate::runtime::Nullable::Absent)),
            _ => ctor_inits.push(quote!(#fname: None)),
        }
    }
    if let Some(extra) = &s.additional {
        let ty = ty_tokens(api, extra, true);
        let fname = ident(&extra_field_name(s));
        let with = is_date_time(api, extra).then(|| quote!(, deserialize_with = "crate::runtime::de::date_time"));
        fields.push(quote! {
            /// Properties not named by the schema.
            #[serde(flatten #with)]
            pub #fname: ::std::collections::BTreeMap<String, #ty>,
        });
        ctor_inits.push(quote!(#fname: ::std::collections::BTreeMap::new()));
    }
    let derive_default = ctor_args.is_empty() && default_fns.is_empty() && !has_consts;
    let ctor = if derive_default {
        quote!()
    } else if ctor_args.is_empty() {
        quote! {
            impl Default for #name {
                fn default() -> Self { Self { #(#ctor_inits),* } }
            }
        }
    } else {
        let allow = if ctor_args.len() > 7 {
            quote!(#[allow(clippy::too_many_arguments)])
        } else {
            quote!()
        };
        quote! {
            /// Creates a value from the required fields; the others start absent or at the spec's defaults.
            #allow
            pub fn new(#(#ctor_args),*) -> Self { Self { #(#ctor_inits),* } }
        }
    };
    let (inherent_ctor, default_impl) = if ctor_args.is_empty() {
        (quote!(), ctor)
    } else {
        (ctor, quote!())
    };
    let inherent = if default_fns.is_empty() && inherent_ctor.is_empty() {
        quote!()
    } else {
        quote! { impl #name { #inherent_ctor #(#default_fns)* } }
    };
    let traits = if derive_default {
        quote!(Debug, Clone, Default, PartialEq)
    } else {
        quote!(Debug, Clone, PartialEq)
    };
    let (derives, de) = if hand_de {
        (
            serde_traits.derive_ser_only(traits),
            de_impl(t, &de_fields, serde_traits.de_gate()),
        )
    } else {
        (serde_traits.derive(traits), quote!())
    };
    quote! {
        #doc
        #derives
        pub struct #name { #(#fields)* }
        #inherent
        #default_impl
        #de
    }
}

/// A field of a written-out `Deserialize`.
struct DeField {
    name: proc_macro2::Ident,
    wire: String,
    finish: DeFinish,
    /// The value holds date-times: decoded through `crate::runtime::de::date_time`.
    date_time: bool,
}

/// How a written-out `Deserialize` fills a field when the object is read.
enum DeFinish {
    /// Absent: an error.
    Required,
    /// Absent: `None` (an `Option` field).
    Default,
    /// Absent: the spec's default, from the struct's `default_*` function.
    Call(proc_macro2::Ident),
}

/// Is the field's Rust type an `Option` (absent reads as `None`)?
fn is_option(f: &Field) -> bool {
    one_way_required(f)
        || matches!(
            f.presence,
            Presence::RequiredNullable
                | Presence::Optional
                | Presence::OptionalNullable
                | Presence::OptionalNullableLoose
        )
}

/// `Deserialize` for a struct, written out through the runtime's `deserialize_struct!`: one
/// visitor over the object's keys, unknown keys skipped, a missing required property an error.
/// Behaves as serde's derive with the attributes `struct_def` gives the fields, with less code to
/// compile: no field enum, no sequence form, and a repeated key keeps its last value.
fn de_impl(t: &TypeDef, fields: &[DeField], gate: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let plain = t.name.trim_start_matches("r#");
    let entries = fields.iter().enumerate().map(|(i, f)| {
        let index = Literal::usize_unsuffixed(i);
        let kind = match &f.finish {
            DeFinish::Required => quote!(required),
            DeFinish::Default => quote!(option),
            DeFinish::Call(f) => quote!(default(#name::#f)),
        };
        let date_time = f.date_time.then(|| quote!(date_time));
        let (fname, wire) = (&f.name, f.wire.as_str());
        quote!(#index #fname #wire #kind #date_time)
    });
    quote! {
        #gate
        crate::runtime::de::deserialize_struct!(#name, #plain, [#(#entries),*]);
    }
}

/// `Enum::Variant` when a required field's type is an enum with exactly one known value.
/// Whether the struct's `new` takes the field as an argument (they come in field order).
pub(crate) fn is_ctor_arg(api: &Api, f: &Field) -> bool {
    !f.read_only
        && (f.write_only && f.presence == Presence::Required
            || single_variant(api, f).is_none()
                && matches!(f.presence, Presence::Required | Presence::RequiredNullable))
}

fn single_variant(api: &Api, f: &Field) -> Option<TokenStream> {
    if f.presence != Presence::Required {
        return None;
    }
    let Ty::Named(id) = &f.ty else { return None };
    let t = &api.types[id.0];
    match &t.kind {
        TypeKind::Enum(e) if e.variants.len() == 1 => {
            let ty = ident(&t.name);
            let v = ident(&e.variants[0].name);
            Some(quote!(#ty::#v))
        }
        _ => None,
    }
}

/// Name of the flattened map field: `additional_properties`, unless a property took it.
pub fn extra_field_name(s: &StructDef) -> String {
    let mut name = "additional_properties".to_owned();
    while s.fields.iter().any(|f| f.name == name) {
        name.push('_');
    }
    name
}
