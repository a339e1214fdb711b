//! Structs, enums, unions and aliases of `types.rs`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{docs, ident, ty_tokens};
use crate::ir::{Api, DefaultValue, EnumDef, EnumRepr, Field, Presence, StructDef, Ty, TypeDef, TypeKind, UnionDef};

pub fn emit(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|t| type_def(api, t));
    quote! {
        //! Data types of the API: one per schema of the spec, plus one per inline schema that needs a name.
        #![allow(deprecated)]
        #(#items)*
    }
}

fn type_def(api: &Api, t: &TypeDef) -> TokenStream {
    let doc = docs::attrs(&t.docs);
    let name = ident(&t.name);
    match &t.kind {
        TypeKind::Struct(s) => struct_def(api, t, s, doc),
        TypeKind::Enum(e) => enum_def(&name, e, doc),
        TypeKind::Union(u) => union_def(api, &name, u, doc),
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(api, ty, true);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

fn rename_attr(f_name: &str, wire: &str) -> TokenStream {
    if f_name.trim_start_matches("r#") == wire {
        quote!()
    } else {
        quote!(#[serde(rename = #wire)])
    }
}

fn default_fn_name(field: &Field) -> proc_macro2::Ident {
    format_ident!("default_{}", field.name.trim_start_matches("r#"))
}

/// The field's full Rust type, `Option` layers included.
fn field_ty(api: &Api, f: &Field) -> TokenStream {
    let inner = ty_tokens(api, &f.ty, true);
    match f.presence {
        Presence::Required | Presence::Defaulted(_) => inner,
        Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullableLoose => quote!(Option<#inner>),
        Presence::OptionalNullable => quote!(Option<Option<#inner>>),
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
        DefaultValue::Variant(id, v) => {
            let t = ident(&api.types[id.0].name);
            let v = ident(v);
            quote!(#t::#v)
        }
    }
}

fn struct_def(api: &Api, t: &TypeDef, s: &StructDef, doc: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let mut fields = Vec::new();
    let mut default_fns = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    let mut has_consts = false;
    for f in &s.fields {
        let fname = ident(&f.name);
        let fdoc = docs::attrs(&f.docs);
        let rename = rename_attr(&f.name, &f.wire_name);
        let ty = field_ty(api, f);
        let serde = match &f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(),
            Presence::Optional | Presence::OptionalNullableLoose => {
                quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
            }
            Presence::OptionalNullable => quote!(
                #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::nullable")]
            ),
            Presence::Defaulted(d) => {
                let fn_name = default_fn_name(f);
                let path = format!("{}::{}", t.name.trim_start_matches("r#"), fn_name);
                let inner = ty_tokens(api, &f.ty, true);
                let value = default_expr(api, &f.ty, d);
                default_fns.push(quote! { fn #fn_name() -> #inner { #value } });
                quote!(#[serde(default = #path)])
            }
        };
        fields.push(quote! { #fdoc #rename #serde pub #fname: #ty, });
        if let Some(only) = single_variant(api, f) {
            // A `const` (one-value enum) field needs no argument: it can only hold that value.
            ctor_inits.push(quote!(#fname: #only));
            has_consts = true;
            continue;
        }
        match &f.presence {
            Presence::Required | Presence::RequiredNullable => {
                if matches!(f.presence, Presence::Required) && f.ty == Ty::String {
                    ctor_args.push(quote!(#fname: impl Into<String>));
                    ctor_inits.push(quote!(#fname: #fname.into()));
                } else {
                    ctor_args.push(quote!(#fname: #ty));
                    ctor_inits.push(quote!(#fname));
                }
            }
            Presence::Defaulted(_) => {
                let fn_name = default_fn_name(f);
                ctor_inits.push(quote!(#fname: Self::#fn_name()));
            }
            _ => ctor_inits.push(quote!(#fname: None)),
        }
    }
    if let Some(extra) = &s.additional {
        let ty = ty_tokens(api, extra, true);
        let fname = ident(&extra_field_name(s));
        fields.push(quote! {
            /// Properties not named by the schema.
            #[serde(flatten)]
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
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)])
    };
    quote! {
        #doc
        #derives
        pub struct #name { #(#fields)* }
        #inherent
        #default_impl
    }
}

/// `Enum::Variant` when a required field's type is an enum with exactly one known value.
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

fn enum_def(name: &proc_macro2::Ident, e: &EnumDef, doc: TokenStream) -> TokenStream {
    let vnames: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let vdocs: Vec<_> = e.variants.iter().map(|v| docs::attrs(&v.docs)).collect();
    match e.repr {
        EnumRepr::String => {
            let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
                pub enum #name {
                    #( #vdocs #[serde(rename = #values)] #vnames, )*
                    /// A value this version of the client does not know; kept as sent.
                    #[serde(untagged)]
                    Unknown(String),
                }
                impl #name {
                    /// The value as it appears on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#vnames => #values, )*
                            Self::Unknown(value) => value,
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        }
        EnumRepr::Integer => {
            let values: Vec<Literal> = e
                .variants
                .iter()
                .map(|v| Literal::i64_unsuffixed(v.value.parse::<i64>().unwrap_or_default()))
                .collect();
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(from = "i64", into = "i64")]
                pub enum #name {
                    #( #vdocs #vnames, )*
                    /// A value this version of the client does not know; kept as sent.
                    Unknown(i64),
                }
                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #values => Self::#vnames, )*
                            other => Self::Unknown(other),
                        }
                    }
                }
                impl From<#name> for i64 {
                    fn from(value: #name) -> Self {
                        match value {
                            #( #name::#vnames => #values, )*
                            #name::Unknown(other) => other,
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&i64::from(*self), f)
                    }
                }
            }
        }
    }
}

fn union_def(api: &Api, name: &proc_macro2::Ident, u: &UnionDef, doc: TokenStream) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = ty_tokens(api, &v.ty, true);
        quote!(#vname(#ty),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name { #(#variants)* }
    }
}
