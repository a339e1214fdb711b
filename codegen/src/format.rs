//! Stage 5: tokens -> formatted source text.

use proc_macro2::TokenStream;

use crate::diag::Error;

pub fn format(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|e| {
        let mut dump = tokens.to_string();
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
