//! Doc strings from the spec, as `#[doc = "..."]` literals.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// Keeps spec text as it is, except that code fences without a language become ```` ```text ````:
/// rustdoc would otherwise compile and run them as Rust doctests.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~")) {
            if !in_fence && rest.trim().is_empty() {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push_str(&trimmed[..3]);
                out.push_str("text");
                in_fence = true;
                continue;
            }
            if !in_fence && !rest.trim().is_empty() {
                // A fence with a language: rustdoc tests `rust`-like ones, so mark every one as text
                // unless it is clearly not Rust.
                let lang = rest.trim().to_ascii_lowercase();
                if lang.starts_with("rust")
                    || lang.contains("should_panic")
                    || lang.contains("no_run")
                    || lang.contains("edition")
                {
                    out.push_str(&line[..line.len() - trimmed.len()]);
                    out.push_str(&trimmed[..3]);
                    out.push_str("text");
                    in_fence = true;
                    continue;
                }
            }
            in_fence = !in_fence;
        }
        // Indented blocks are code blocks to rustdoc, and code blocks are doctests.
        if !in_fence && (line.starts_with("    ") || line.starts_with('\t')) {
            out.push_str(line.trim_start());
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The doc text for an item: title, description, example, in that order.
pub fn text(docs: &Docs) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = docs.title.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(sanitize(t));
    }
    if let Some(d) = docs.description.as_deref().filter(|d| !d.trim().is_empty()) {
        if docs.title.as_deref().map(str::trim) != Some(d.trim()) {
            parts.push(sanitize(d));
        }
    }
    if let Some(e) = &docs.example {
        parts.push(format!("Example: `{}`", e.replace('`', "'")));
    }
    parts.join("\n\n")
}

/// `#[doc = "..."]` (nothing for empty docs) plus `#[deprecated]` where the spec says so.
pub fn attrs(docs: &Docs) -> TokenStream {
    attrs_with(docs, &[])
}

/// [`attrs`] with more paragraphs (constraints, defaults) after the spec's text; empty ones are skipped.
pub fn attrs_with(docs: &Docs, more: &[String]) -> TokenStream {
    let mut text = text(docs);
    for m in more.iter().filter(|m| !m.is_empty()) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(m);
    }
    let doc = lines(&text);
    let deprecated = if docs.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    quote!(#doc #deprecated)
}

/// Doc attributes from a plain string.
pub fn attr_str(text: &str) -> TokenStream {
    lines(&sanitize(text))
}

/// One `#[doc = " line"]` per line, so the formatter prints plain `///` comments whatever the text holds.
pub fn lines(text: &str) -> TokenStream {
    if text.trim().is_empty() {
        return quote!();
    }
    let lines = text.trim_end().split('\n').map(|l| {
        let l = l.trim_end_matches('\r');
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}
