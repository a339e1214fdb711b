//! Stage 5: tokens -> formatted source text.

use proc_macro2::TokenStream;

use crate::diag::Error;

/// Formats a whole file.
pub fn format(path: &str, tokens: TokenStream) -> Result<String, Error> {
    format_with(path, || tokens.clone())
}

/// Formats the tokens `emit` returns. `emit` is called a second time only when they do not parse,
/// for the token dump of the error; parsing consumes them, and keeping a copy would cost a deep
/// copy of every token tree on each call.
///
/// A file formatted in parts (see [`crate::emit::plan`]) is the concatenation of its parts'
/// texts: prettyplease prints each item on its own, after the file's inner attributes.
pub fn format_with(path: &str, mut emit: impl FnMut() -> TokenStream) -> Result<String, Error> {
    let mut file: syn::File = syn::parse2(emit()).map_err(|e| {
        let mut dump = emit().to_string();
        if dump.len() > 4000 {
            let mut cut = 4000;
            while !dump.is_char_boundary(cut) {
                cut -= 1;
            }
            dump.truncate(cut);
            dump.push_str(" ...");
        }
        Error::Internal(format!("emitted tokens for {path} do not parse as Rust: {e}\n{dump}"))
    })?;
    dissolve_gates(path, &mut file)?;
    Ok(prettyplease::unparse(&file))
}

/// Replaces each marker module of [`crate::emit::GATE_MODULE`] by its items, each given the
/// module's `#[cfg]` after its doc comments.
fn dissolve_gates(path: &str, file: &mut syn::File) -> Result<(), Error> {
    let is_gate = |item: &syn::Item| matches!(item, syn::Item::Mod(m) if m.ident == crate::emit::GATE_MODULE);
    if !file.items.iter().any(is_gate) {
        return Ok(());
    }
    let items = std::mem::take(&mut file.items);
    file.items.reserve(items.len());
    for item in items {
        let syn::Item::Mod(m) = item else {
            file.items.push(item);
            continue;
        };
        if m.ident != crate::emit::GATE_MODULE {
            file.items.push(syn::Item::Mod(m));
            continue;
        }
        let Some((_, inner)) = m.content else {
            return Err(Error::Internal(format!("{path}: an empty gate module")));
        };
        for mut inner in inner {
            let attrs = item_attrs(&mut inner)
                .ok_or_else(|| Error::Internal(format!("{path}: an item that cannot carry `#[cfg]` in a gate")))?;
            let docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
            attrs.splice(docs..docs, m.attrs.iter().cloned());
            file.items.push(inner);
        }
    }
    Ok(())
}

/// The outer attributes of an item.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}
