//! What setters, constructors and operation arguments accept for a value of a given type: what a
//! caller naturally has. A `String` takes `impl Into<String>` (`&str` works); a list takes any
//! iterator of convertible items (`.tags(["a", "b"])`); anything else takes its own type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ty_tokens;
use crate::ir::{Api, Ty};

/// The argument type of a value and how the argument becomes the stored value.
pub(crate) struct Accepts {
    /// The type written in the argument position.
    pub arg: TokenStream,
    conv: Conv,
}

enum Conv {
    /// Stored as given.
    Same,
    /// `value.into()`.
    Into,
    /// `value.into_iter().collect()`: lists of numbers and booleans, whose items are taken as they
    /// are so that a literal (`[1, 2]`) gets the item type rather than `i32`, and of tuples, which
    /// convert from nothing else.
    Collect,
    /// `value.into_iter().map(Into::into).collect()`.
    CollectInto,
}

impl Accepts {
    /// What an argument for a value of `ty` accepts; `in_types` as for [`ty_tokens`].
    pub(crate) fn of(api: &Api, ty: &Ty, in_types: bool) -> Self {
        if *ty == Ty::String {
            return Self {
                arg: quote!(impl Into<String>),
                conv: Conv::Into,
            };
        }
        if *ty == Ty::File {
            // Bytes (`Vec<u8>`, `b"..."`) convert, a `FilePart` also carries a name and a type.
            return Self {
                arg: quote!(impl Into<crate::runtime::FilePart>),
                conv: Conv::Into,
            };
        }
        if let Ty::Vec(item) = crate::lower::resolve_alias(api, ty) {
            let item_ty = ty_tokens(api, item, in_types);
            return if matches!(
                crate::lower::resolve_alias(api, item),
                Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Tuple(_)
            ) {
                Self {
                    arg: quote!(impl IntoIterator<Item = #item_ty>),
                    conv: Conv::Collect,
                }
            } else {
                Self {
                    arg: quote!(impl IntoIterator<Item = impl Into<#item_ty>>),
                    conv: Conv::CollectInto,
                }
            };
        }
        Self {
            arg: ty_tokens(api, ty, in_types),
            conv: Conv::Same,
        }
    }

    /// The expression that turns the argument `value` into the stored value.
    pub(crate) fn convert(&self, value: &Ident) -> TokenStream {
        match self.conv {
            Conv::Same => quote!(#value),
            Conv::Into => quote!(#value.into()),
            Conv::Collect => quote!(#value.into_iter().collect()),
            Conv::CollectInto => quote!(#value.into_iter().map(Into::into).collect()),
        }
    }

    /// Whether the argument is the stored type itself.
    pub(crate) fn is_same(&self) -> bool {
        matches!(self.conv, Conv::Same)
    }
}
