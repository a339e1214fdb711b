//! `oneOf`/`anyOf` unions: untagged enums, or enums tagged by a property (`discriminator`, `const`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{is_base64, SerdeTraits};
use crate::emit::{ident, ty_tokens};
use crate::ir::{Api, UnionDef};

pub(super) fn union_def(api: &Api, name: &Ident, u: &UnionDef, doc: TokenStream, serde: SerdeTraits) -> TokenStream {
    match &u.tag {
        Some(tag) => tagged(api, name, u, tag, doc, serde),
        None => untagged(api, name, u, doc, serde),
    }
}

fn untagged(api: &Api, name: &Ident, u: &UnionDef, doc: TokenStream, serde: SerdeTraits) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = ty_tokens(api, &v.ty, true);
        let with = if is_base64(api, &v.ty) {
            quote!(#[serde(with = "crate::runtime::base64")])
        } else {
            quote!()
        };
        quote!(#vname(#with #ty),)
    });
    let derive = serde.derive(quote!(Debug, Clone, PartialEq));
    quote! {
        #doc
        #derive
        #[serde(untagged)]
        pub enum #name { #(#variants)* }
    }
}

/// Decoding reads a JSON value, picks the variant by the tag and decodes the whole value (tag
/// included) into it; an unknown or missing tag keeps the value in `Unknown`. Encoding writes the
/// variant as it is, adding the tag when the variant's type does not declare it.
fn tagged(api: &Api, name: &Ident, u: &UnionDef, tag: &str, doc: TokenStream, serde: SerdeTraits) -> TokenStream {
    let mut defs = Vec::new();
    let mut de_arms = Vec::new();
    let mut ser_arms = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name);
        let ty = ty_tokens(api, &v.ty, true);
        let values = &v.tag_values;
        let doc = format!(
            " Selected by `{tag}`: {}.",
            values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        );
        defs.push(quote!(#[doc = #doc] #vname(#ty),));
        de_arms.push(quote!(Some(#(#values)|*) => crate::runtime::union::variant(value).map(Self::#vname),));
        ser_arms.push(match values.first() {
            Some(first) if v.injects_tag => {
                quote!(Self::#vname(v) => crate::runtime::union::with_tag(v, #tag, #first, serializer),)
            }
            _ => quote!(Self::#vname(v) => ::serde::Serialize::serialize(v, serializer),),
        });
    }
    let (ser_gate, de_gate) = (serde.ser_gate(), serde.de_gate());
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#defs)*
            /// A tag value this version of the client does not know; the object is kept as sent.
            Unknown(::serde_json::Value),
        }
        #de_gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match crate::runtime::union::tag(&value, #tag) {
                    #(#de_arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
        #ser_gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::Unknown(v) => ::serde::Serialize::serialize(v, serializer),
                }
            }
        }
    }
}
