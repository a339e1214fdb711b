//! `into_stream()` and `into_pages()` on the builder of a paginated operation (see
//! `ir::Pagination`): one `runtime::paginated!` call naming the paging parameter and two small
//! closures that find the items and the next cursor in a page. The loop is the runtime's.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{ident, ty_tokens};
use crate::ir::{Api, FieldStep, Operation, PageKind};

/// The `paginated!` call of `op`, or nothing when it does not page.
pub fn emit(api: &Api, op: &Operation, page_ty: &TokenStream, error: &Ident) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote!();
    };
    let builder = ident(&op.builder_name);
    let item = ty_tokens(api, &p.item_ty, false);
    let paging = match &p.kind {
        PageKind::Cursor { param, .. } => quote!(runtime::Paging::Cursor(#param)),
        PageKind::Offset { param, limit } => {
            let limit = option(limit.as_deref());
            quote!(runtime::Paging::Offset { offset: #param, limit: #limit })
        }
        PageKind::Page { param, size, first } => {
            let size = option(size.as_deref());
            quote!(runtime::Paging::Page { page: #param, size: #size, first: #first })
        }
        PageKind::LinkHeader => quote!(runtime::Paging::Link),
        PageKind::NextUrl { .. } => quote!(runtime::Paging::NextUrl),
    };
    let items = match p.items.split_last() {
        None => quote!(|page| Some(page)),
        Some((last, init)) => {
            let path = path(init, quote!(as_mut));
            let name = ident(&last.name);
            if last.optional {
                quote!(|page| page #path.#name.as_mut())
            } else {
                quote!(|page| Some(&mut page #path.#name))
            }
        }
    };
    let value = match &p.kind {
        PageKind::Cursor {
            next,
            from_last_item: true,
            ..
        } => {
            // The last item of the items array, then the cursor field inside it.
            let (last, init) = match p.items.split_last() {
                None => (quote!(), quote!()),
                Some((l, init)) => {
                    let name = ident(&l.name);
                    let unwrap = if l.optional { quote!(.as_ref()?) } else { quote!() };
                    (quote!(.#name #unwrap), path(init, quote!(as_ref)))
                }
            };
            let field = path(next, quote!(as_ref));
            Some(quote!(page #init #last.last()? #field.to_string()))
        }
        PageKind::Cursor { next, .. } | PageKind::NextUrl { next } => {
            let path = path(next, quote!(as_ref));
            Some(quote!(page #path.to_string()))
        }
        _ => None,
    };
    let next = match (value, &p.has_more) {
        (None, _) => quote!(|_| None),
        (Some(v), None) => quote!(|page| Some(#v)),
        (Some(v), Some(more)) => {
            let name = ident(&more.name);
            let stop = if more.optional {
                quote!(page.#name == Some(false))
            } else {
                quote!(!page.#name)
            };
            quote!(|page| {
                if #stop {
                    return None;
                }
                Some(#v)
            })
        }
    };
    quote! {
        runtime::paginated!(#builder, #page_ty, #item, #error, #paging, #items, #next);
    }
}

fn option(name: Option<&str>) -> TokenStream {
    match name {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

/// `.a.as_mut()?.b`: field accesses, unwrapping optional fields with `?`.
fn path(steps: &[FieldStep], unwrap: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for s in steps {
        let name = ident(&s.name);
        out.extend(quote!(.#name));
        if s.optional {
            out.extend(quote!(.#unwrap()?));
        }
    }
    out
}

/// The `# Pagination` section of the operation's docs: how the pages are asked for and a compiled
/// example. `call` is the example's `client.op(args)` text.
pub fn doc_section(op: &Operation, inputs: &str, call: &str) -> String {
    let Some(p) = &op.pagination else {
        return String::new();
    };
    let code = |s: &str| s.replace('`', "'");
    let how = match &p.kind {
        PageKind::Cursor {
            param,
            next,
            from_last_item,
        } => {
            let field: Vec<&str> = next.iter().map(|s| s.wire_name.as_str()).collect();
            format!(
                "{} `{}` is sent as `{}` for the next one",
                if *from_last_item {
                    "the last item's"
                } else {
                    "each page's"
                },
                code(&field.join(".")),
                code(param)
            )
        }
        PageKind::NextUrl { next } => {
            let field: Vec<&str> = next.iter().map(|s| s.wire_name.as_str()).collect();
            format!("the URL in each page's `{}` is followed", code(&field.join(".")))
        }
        PageKind::Offset { param, .. } => format!("`{}` advances by the number of items received", code(param)),
        PageKind::Page { param, .. } => format!("`{}` counts up by one", code(param)),
        PageKind::LinkHeader => "the `Link` header's `rel=\"next\"` URL is followed".to_owned(),
    };
    let how = match &p.has_more {
        Some(more) => format!("{how}, until `{}` is false", code(&more.wire_name)),
        None => how,
    };
    let source = match &p.extension {
        Some(e) => format!(" (declared by `{e}`)"),
        None => String::new(),
    };
    format!(
        "\n\n# Pagination\n\nThis operation pages{source}: {how}. `.into_stream()` yields every item of every page, \
         `.into_pages()` every page as a `Response`; both end with an error (`Error::Pagination`) if the server \
         repeats a page.\n\n```no_run\n# async fn example({inputs}) -> Result<(), Box<dyn std::error::Error>> {{\n\
         use futures_util::TryStreamExt;\n\nlet mut items = {call}.into_stream();\n\
         while let Some(item) = items.try_next().await? {{\n    # let _ = item;\n}}\n# Ok(())\n# }}\n```"
    )
}
