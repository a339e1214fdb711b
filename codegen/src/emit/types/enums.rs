//! Enums: string, integer and mixed. All are open: an unknown value decodes into `Unknown`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::SerdeTraits;
use crate::emit::{docs, ident};
use crate::ir::{EnumDef, EnumRepr};

pub(super) fn enum_def(name: &Ident, e: &EnumDef, doc: TokenStream, serde: SerdeTraits) -> TokenStream {
    let vnames: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let vdocs: Vec<_> = e.variants.iter().map(|v| docs::attrs(&v.docs)).collect();
    match e.repr {
        EnumRepr::String => string_enum(name, e, doc, &vnames, &vdocs, serde),
        EnumRepr::Integer => integer_enum(name, e, doc, &vnames, &vdocs, serde),
        EnumRepr::Mixed => mixed_enum(name, e, doc, &vnames, &vdocs, serde),
    }
}

fn string_enum(
    name: &Ident,
    e: &EnumDef,
    doc: TokenStream,
    vnames: &[Ident],
    vdocs: &[TokenStream],
    serde: SerdeTraits,
) -> TokenStream {
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    // Decoding matches the first variant of each value (the lower stage keeps values unique).
    let mut seen = std::collections::BTreeSet::new();
    let (de_values, de_names): (Vec<&str>, Vec<&Ident>) = values
        .iter()
        .zip(vnames)
        .filter(|(v, _)| seen.insert(**v))
        .map(|(v, n)| (*v, n))
        .unzip();
    let (ser_gate, de_gate) = (serde.ser_gate(), serde.de_gate());
    // Serde impls written out rather than derived: a derived enum with an untagged `Unknown`
    // variant buffers its input and tries every variant, which is slow to compile and to run.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #vdocs #vnames, )*
            /// A value this version of the client does not know; kept as sent.
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
        impl From<String> for #name {
            /// The variant of a wire value (`Unknown` for a value this version does not know).
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #de_values => Self::#de_names, )*
                    _ => Self::Unknown(value),
                }
            }
        }
        #ser_gate
        crate::runtime::de::string_enum_serialize!(#name);
        #de_gate
        crate::runtime::de::string_enum_deserialize!(#name);
    }
}

fn integer_enum(
    name: &Ident,
    e: &EnumDef,
    doc: TokenStream,
    vnames: &[Ident],
    vdocs: &[TokenStream],
    serde: SerdeTraits,
) -> TokenStream {
    let values: Vec<Literal> = e
        .variants
        .iter()
        .map(|v| Literal::i64_unsuffixed(v.value.parse::<i64>().unwrap_or_default()))
        .collect();
    let derive = serde.derive(quote!(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord));
    quote! {
        #doc
        #derive
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

/// Values of several JSON types. Conversions go through `serde_json::Value`; `Display` shows strings
/// without quotes, like the other enums, so the value can be a parameter.
fn mixed_enum(
    name: &Ident,
    e: &EnumDef,
    doc: TokenStream,
    vnames: &[Ident],
    vdocs: &[TokenStream],
    serde: SerdeTraits,
) -> TokenStream {
    let mut patterns = Vec::new();
    let mut builds = Vec::new();
    let mut texts = Vec::new();
    for v in &e.variants {
        let (pattern, build, text) = match serde_json::from_str::<Value>(&v.value) {
            Ok(Value::String(s)) => (
                quote!(::serde_json::Value::String(ref s) if s == #s),
                quote!(::serde_json::Value::from(#s)),
                s,
            ),
            Ok(Value::Bool(b)) => (
                quote!(::serde_json::Value::Bool(#b)),
                quote!(::serde_json::Value::Bool(#b)),
                b.to_string(),
            ),
            Ok(Value::Number(n)) if n.is_i64() => {
                let i = n.as_i64().unwrap_or_default();
                let lit = Literal::i64_suffixed(i);
                (
                    quote!(::serde_json::Value::Number(ref n) if n.as_i64() == Some(#lit)),
                    quote!(::serde_json::Value::from(#lit)),
                    i.to_string(),
                )
            }
            // The lower stage only makes variants of the forms above.
            _ => (quote!(_ if false), quote!(::serde_json::Value::Null), String::new()),
        };
        patterns.push(pattern);
        builds.push(build);
        texts.push(text);
    }
    let derive = serde.derive(quote!(Debug, Clone, PartialEq));
    quote! {
        #doc
        #derive
        #[serde(from = "::serde_json::Value", into = "::serde_json::Value")]
        pub enum #name {
            #( #vdocs #vnames, )*
            /// A value this version of the client does not know; kept as sent.
            Unknown(::serde_json::Value),
        }
        impl From<::serde_json::Value> for #name {
            fn from(value: ::serde_json::Value) -> Self {
                match value {
                    #( #patterns => Self::#vnames, )*
                    other => Self::Unknown(other),
                }
            }
        }
        impl From<#name> for ::serde_json::Value {
            fn from(value: #name) -> Self {
                match value {
                    #( #name::#vnames => #builds, )*
                    #name::Unknown(other) => other,
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #( Self::#vnames => f.write_str(#texts), )*
                    Self::Unknown(::serde_json::Value::String(s)) => f.write_str(s),
                    Self::Unknown(other) => ::std::fmt::Display::fmt(other, f),
                }
            }
        }
    }
}
