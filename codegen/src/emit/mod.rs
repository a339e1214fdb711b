//! Stage 4: IR -> token streams, one per part of each generated Rust file (see [`plan`]), plus the
//! crate manifest.
//!
//! Spec text only ever enters the output as string literals (docs, wire names) or through the
//! naming module (identifiers).

mod accepts;
mod auth;
mod client_params;
mod constraints;
pub mod contract;
mod docs;
mod examples;
mod manifest;
mod mock;
mod operations;
mod pagination;
pub mod surface;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, FloatTy, IntTy, Ty};
use crate::Config;

pub use manifest::manifest;

/// Types per part of `types.rs` and operations per part of `operations.rs`. Fixed, so the split
/// never depends on the machine; prettyplease formats items one by one, so neither does the text.
const TYPES_PER_PART: usize = 48;
const OPERATIONS_PER_PART: usize = 16;

/// One Rust file to emit, as parts that are emitted and formatted independently (on any thread)
/// and whose formatted texts, concatenated in order, are the file.
pub struct RustFile {
    pub path: &'static str,
    pub parts: Vec<Part>,
}

/// A piece of a Rust file that can be emitted on its own: the head (inner attributes, imports)
/// or a range of the IR's types or operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Lib,
    /// `ClientBuilder` setters of common parameters, at the end of `lib.rs`.
    ClientParams,
    TypesHead,
    Types {
        start: usize,
        end: usize,
    },
    OperationsHead,
    Operations {
        start: usize,
        end: usize,
    },
    /// The error enums shared by several operations, after all operations.
    SharedErrors,
    /// The `ClientBuilder` setters of the security schemes (`src/auth.rs`).
    Auth,
    /// The head of `src/mock.rs` (feature `mock`) and its per-operation expectations.
    MockHead,
    Mock {
        start: usize,
        end: usize,
    },
}

/// The Rust files of the crate and their parts, `per_part` items (types or operations) per part
/// (`None`: the default sizes).
pub fn plan(api: &Api, per_part: Option<usize>) -> Vec<RustFile> {
    let split = |n: usize, per: usize, make: fn(usize, usize) -> Part| {
        let per = per_part.unwrap_or(per).max(1);
        (0..n.div_ceil(per)).map(move |i| make(i * per, (i + 1).saturating_mul(per).min(n)))
    };
    let auth = (!api.security_schemes.is_empty()).then_some(RustFile {
        path: "src/auth.rs",
        parts: vec![Part::Auth],
    });
    let mut files = vec![
        RustFile {
            path: "src/lib.rs",
            parts: std::iter::once(Part::Lib)
                .chain((!api.client_params.is_empty()).then_some(Part::ClientParams))
                .collect(),
        },
        RustFile {
            path: "src/types.rs",
            parts: std::iter::once(Part::TypesHead)
                .chain(split(api.types.len(), TYPES_PER_PART, |start, end| Part::Types {
                    start,
                    end,
                }))
                .collect(),
        },
        RustFile {
            path: "src/operations.rs",
            parts: std::iter::once(Part::OperationsHead)
                .chain(split(api.operations.len(), OPERATIONS_PER_PART, |start, end| {
                    Part::Operations { start, end }
                }))
                .chain((!api.shared_errors.is_empty()).then_some(Part::SharedErrors))
                .collect(),
        },
        RustFile {
            path: "src/mock.rs",
            parts: std::iter::once(Part::MockHead)
                .chain(split(api.operations.len(), OPERATIONS_PER_PART, |start, end| {
                    Part::Mock { start, end }
                }))
                .collect(),
        },
    ];
    files.extend(auth);
    files
}

/// The tokens of one part (see [`plan`]).
pub fn emit_part(api: &Api, config: &Config, part: Part) -> TokenStream {
    match part {
        Part::Lib => lib_rs(api, config),
        Part::ClientParams => client_params::emit(api),
        Part::TypesHead => types::head(),
        Part::Types { start, end } => types::emit(api, start..end, &config.crate_name.replace('-', "_")),
        Part::OperationsHead => operations::head(api),
        Part::Operations { start, end } => operations::emit(api, start..end, &config.crate_name.replace('-', "_")),
        Part::SharedErrors => operations::shared_errors(api, &config.crate_name.replace('-', "_")),
        Part::Auth => auth::emit(api, &config.crate_name.replace('-', "_")).unwrap_or_default(),
        Part::MockHead => mock::head(),
        Part::Mock { start, end } => mock::emit(api, start..end),
    }
}

/// The name of the marker module that groups the items of one gated type or operation in the
/// emitted tokens: the format stage dissolves it, giving each item the module's `#[cfg]` (see
/// [`crate::format`]). The generated files declare no modules of their own, so the name is free.
pub(crate) const GATE_MODULE: &str = "__gated";

/// The feature names of a gate, in order.
pub(crate) fn gate_features<'a>(api: &'a Api, gate: &[usize]) -> Vec<&'a str> {
    match &api.tag_features {
        Some(tf) => gate
            .iter()
            .filter_map(|&f| tf.features.get(f))
            .map(|f| f.name.as_str())
            .collect(),
        None => Vec::new(),
    }
}

/// `items` compiled only when a feature of `gate` is on (see [`GATE_MODULE`]); as they are when
/// the gate is empty.
pub(crate) fn gated(api: &Api, gate: &[usize], items: TokenStream) -> TokenStream {
    let names = gate_features(api, gate);
    let cfg = match names.as_slice() {
        [] => return items,
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    };
    let module = Ident::new(GATE_MODULE, Span::call_site());
    quote! { #cfg mod #module { #items } }
}

/// The gate of type `i`, operation `i` or shared error `i` (empty without tag features).
pub(crate) fn type_gate(api: &Api, i: usize) -> &[usize] {
    api.tag_features
        .as_ref()
        .and_then(|t| t.types.get(i))
        .map_or(&[], Vec::as_slice)
}

pub(crate) fn operation_gate(api: &Api, i: usize) -> &[usize] {
    api.tag_features
        .as_ref()
        .and_then(|t| t.operations.get(i))
        .map_or(&[], Vec::as_slice)
}

pub(crate) fn shared_error_gate(api: &Api, i: usize) -> &[usize] {
    api.tag_features
        .as_ref()
        .and_then(|t| t.shared_errors.get(i))
        .map_or(&[], Vec::as_slice)
}

/// An identifier produced by the naming module (possibly raw, `r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for `ty`. Inside `types.rs` named types need no module prefix.
pub(crate) fn ty_tokens(api: &Api, ty: &Ty, in_types: bool) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::Int(i) => match i {
            IntTy::I8 => quote!(i8),
            IntTy::I16 => quote!(i16),
            IntTy::I32 => quote!(i32),
            IntTy::I64 => quote!(i64),
            IntTy::U8 => quote!(u8),
            IntTy::U16 => quote!(u16),
            IntTy::U32 => quote!(u32),
            IntTy::U64 => quote!(u64),
        },
        Ty::Float(FloatTy::F32) => quote!(f32),
        Ty::Float(FloatTy::F64) => quote!(f64),
        Ty::String => quote!(String),
        Ty::Date => quote!(::chrono::NaiveDate),
        Ty::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Ty::Uuid => quote!(::uuid::Uuid),
        Ty::Binary | Ty::Bytes => quote!(Vec<u8>),
        Ty::File => quote!(crate::runtime::FilePart),
        Ty::Tuple(items) => {
            let items = items.iter().map(|t| ty_tokens(api, t, in_types));
            quote!((#(#items,)*))
        }
        Ty::Any => quote!(::serde_json::Value),
        Ty::Unit => quote!(()),
        Ty::Named(id) => {
            let name = ident(&api.types[id.0].name);
            if in_types {
                quote!(#name)
            } else {
                quote!(crate::types::#name)
            }
        }
        Ty::Vec(inner) => {
            let inner = ty_tokens(api, inner, in_types);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(api, inner, in_types);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(api, inner, in_types);
            quote!(Option<#inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty_tokens(api, inner, in_types);
            quote!(Box<#inner>)
        }
    }
}

/// Does the type (transitively through the IR) use chrono / uuid? Decides the crate's dependencies.
pub(crate) fn uses(api: &Api, pred: &dyn Fn(&Ty) -> bool) -> bool {
    fn walk(ty: &Ty, pred: &dyn Fn(&Ty) -> bool) -> bool {
        pred(ty)
            || match ty {
                Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => walk(t, pred),
                Ty::Tuple(items) => items.iter().any(|t| walk(t, pred)),
                _ => false,
            }
    }
    use crate::ir::TypeKind;
    api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| walk(&f.ty, pred)) || s.additional.as_ref().is_some_and(|a| walk(a, pred))
        }
        TypeKind::Union(u) => u.variants.iter().any(|v| walk(&v.ty, pred)),
        TypeKind::Alias(t) => walk(t, pred),
        TypeKind::Enum(_) => false,
    }) || api.operations.iter().any(|op| {
        op.params.iter().any(|p| walk(&p.ty, pred))
            || op.body.as_ref().is_some_and(|b| walk(&b.ty, pred))
            || op.responses.iter().any(|r| {
                r.body.as_ref().is_some_and(|b| walk(&b.ty, pred)) || r.headers.iter().any(|h| walk(&h.ty, pred))
            })
    })
}

/// The crate docs' list of tag features, after the guide's `## Cargo features`.
fn tag_features_doc(api: &Api, crate_name: &str) -> String {
    let Some(tf) = &api.tag_features else {
        return String::new();
    };
    let inline = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
            .collect()
    };
    let mut out = String::from(
        "- One feature per operation tag of the spec, all on by default (feature `all-tags`): each \
         compiles the operations with that tag and the types they use. Operations without a tag and \
         types no operation uses are always compiled. To compile only what you call, turn the defaults \
         off and name the tags (plus a TLS feature):\n\n",
    );
    let first = &tf.features[0].name;
    out.push_str(&format!(
        "  ```toml\n  [dependencies]\n  {crate_name} = {{ path = \"...\", default-features = false, features = [\"rustls\", \"{first}\"] }}\n  ```\n\n"
    ));
    for f in &tf.features {
        let tags: Vec<String> = f.tags.iter().map(|t| format!("`{}`", inline(t))).collect();
        out.push_str(&format!(
            "  - `{}`: tag{} {}, {} operation{}\n",
            f.name,
            if f.tags.len() == 1 { "" } else { "s" },
            tags.join(", "),
            f.operations,
            if f.operations == 1 { "" } else { "s" }
        ));
    }
    out
}

fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let crate_ident = ident(&config.crate_name.replace('-', "_"));
    let mut guide = format!(
        "# {title} client\n\nA typed Rust client for the {title} API (version {version}), generated from `{spec}`.\n",
        title = api.title,
        version = api.api_version,
        spec = config.spec_display,
    );
    if let Some(d) = &api.description {
        guide.push('\n');
        guide.push_str(&docs::sanitize(d));
        guide.push('\n');
    }
    let example = match api.security_schemes.first() {
        Some(s) => format!(
            "    {:<41} // one setter per security scheme, listed below\n",
            auth::example_call(s)
        ),
        None => String::new(),
    };
    // Only the guide's own text is filled in: spec text (title, scheme keys) stays as written.
    guide.push_str(
        &include_str!("guide.md")
            .replace("CRATE", &crate_ident.to_string())
            .replace("    AUTH_EXAMPLE\n", &example)
            .replace("AUTH_SCHEMES\n", &auth::guide_section(api)),
    );
    guide.push_str(&tag_features_doc(api, &config.crate_name));
    let base = match &api.default_base_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    let base_doc = docs::lines(&match &api.default_base_url {
        Some(url) => format!("The base URL used when none is configured: the spec's first server, `{url}`."),
        None => "The spec names no absolute server URL, so `ClientBuilder::base_url` must be called.".to_owned(),
    });
    let reexports = crate::runtime::reexports();
    let auth_mod = (!api.security_schemes.is_empty()).then(|| {
        quote!(
            mod auth;
        )
    });
    quote! {
        #![doc = #guide]
        // Doc text comes from the spec verbatim (tabs, bare URLs, markdown that is not rustdoc's).
        #![allow(clippy::tabs_in_doc_comments)]
        #![allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks)]
        mod runtime;
        #auth_mod
        pub use runtime::{#(#reexports),*};
        #[cfg(feature = "sse")]
        pub use runtime::{EventStream, EventStreamError, ServerEvent};
        pub mod operations;
        pub mod types;
        #[cfg(feature = "mock")]
        pub mod mock;
        #base_doc
        pub const DEFAULT_BASE_URL: Option<&str> = #base;
    }
}
