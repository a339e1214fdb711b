//! `oneOf`/`anyOf` unions: untagged enums, or enums tagged by a property (`discriminator`, `const`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{bytes_with, is_date_time, SerdeTraits};
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
        let with = if let Some(with) = bytes_with(api, &v.ty) {
            quote!(#[serde(with = #with)])
        } else if is_date_time(api, &v.ty) {
            quote!(#[serde(deserialize_with = "crate::runtime::de::date_time")])
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
    // A tag value that several variants claim (a spec can map one value to two schemas): those
    // variants are tried in order, and the first that decodes wins.
    let selects = |value: &String| u.variants.iter().filter(|v| v.tag_values.contains(value)).count();
    let mut shared: Vec<&String> = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name);
        let ty = ty_tokens(api, &v.ty, true);
        let values = &v.tag_values;
        let doc = format!(
            " Selected by `{tag}`: {}.",
            values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        );
        defs.push(quote!(#[doc = #doc] #vname(#ty),));
        let own: Vec<&String> = values.iter().filter(|value| selects(value) == 1).collect();
        if !own.is_empty() {
            de_arms.push(quote!(Some(#(#own)|*) => crate::runtime::union::variant(value).map(Self::#vname),));
        }
        for value in values.iter().filter(|value| selects(value) > 1) {
            if !shared.contains(&value) {
                shared.push(value);
            }
        }
        ser_arms.push(match values.first() {
            Some(first) if v.injects_tag => {
                quote!(Self::#vname(v) => crate::runtime::union::with_tag(v, #tag, #first, serializer),)
            }
            _ => quote!(Self::#vname(v) => ::serde::Serialize::serialize(v, serializer),),
        });
    }
    for value in shared {
        let names: Vec<Ident> = u
            .variants
            .iter()
            .filter(|v| v.tag_values.contains(value))
            .map(|v| ident(&v.name))
            .collect();
        let Some((last, before)) = names.split_last() else {
            continue;
        };
        // `value` is cloned for every attempt but the last, which takes it.
        let attempts = before
            .iter()
            .map(|name| quote!(crate::runtime::union::variant::<_, D::Error>(value.clone()).map(Self::#name)))
            .chain(std::iter::once(
                quote!(crate::runtime::union::variant::<_, D::Error>(value).map(Self::#last)),
            ));
        let mut chain = TokenStream::new();
        for (i, attempt) in attempts.enumerate() {
            chain = if i == 0 {
                attempt
            } else {
                quote!(#chain.or_else(|_| #attempt))
            };
        }
        de_arms.push(quote!(Some(#value) => #chain,));
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
