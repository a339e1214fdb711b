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
    let file: syn::File = syn::parse2(emit()).map_err(|e| {
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
    Ok(prettyplease::unparse(&file))
}
