//! `tests/fixtures/adversarial.yaml`: quotes, `*/`, `"#]`, backslashes, NUL, newlines, keywords,
//! empty names, names equal up to case or punctuation, non-ASCII, std/prelude names, operationIds
//! with spaces and slashes. The output parses, holds exactly the items the spec describes and
//! keeps every doc string verbatim. (That it compiles without warnings is checked with every
//! other fixture by `tests/generator.rs`.)

use std::collections::BTreeSet;

use quote::ToTokens as _;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/adversarial.yaml";

fn generate() -> (codegen::Output, Value) {
    let path = crate::root().join(FIXTURE);
    let out = codegen::generate(&codegen::Config::new(&path, FIXTURE, "adversarial")).expect("generates");
    let bytes = std::fs::read(&path).expect("fixture");
    (out, codegen::load::parse(FIXTURE, &bytes).expect("parses"))
}

fn parse(out: &codegen::Output, file: &str) -> syn::File {
    syn::parse_file(&out.files[file]).unwrap_or_else(|e| panic!("{file} does not parse: {e}"))
}

fn ident_of(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(i) => Some(i.ident.to_string()),
        syn::Item::Enum(i) => Some(i.ident.to_string()),
        syn::Item::Type(i) => Some(i.ident.to_string()),
        _ => None,
    }
}

/// Every identifier anywhere in the file: text that escaped a string literal would show up here.
fn idents(file: &syn::File) -> BTreeSet<String> {
    fn walk(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
        for t in tokens {
            match t {
                proc_macro2::TokenTree::Ident(i) => {
                    out.insert(i.to_string());
                }
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(file.to_token_stream(), &mut out);
    out
}

#[test]
fn adversarial_types_are_exactly_the_schemas() {
    let (out, _) = generate();
    let file = parse(&out, "src/types.rs");
    let mut named = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Type(_) => {
                named.push(ident_of(item).expect("named"))
            }
            // Inherent and trait impls of the types above (enum `as_str`, `Display`, `Default`).
            syn::Item::Impl(i) => {
                let self_ty = i.self_ty.to_token_stream().to_string();
                assert!(
                    out.api.types.iter().any(|t| t.name == self_ty),
                    "impl for something that is not a generated type: {self_ty}"
                );
            }
            // The runtime's serde macros, applied to a generated type (their first argument); the
            // identifiers in their arguments are checked with the rest of the file below.
            syn::Item::Macro(m) => {
                let path = m.mac.path.to_token_stream().to_string().replace(' ', "");
                assert!(
                    [
                        "crate::runtime::de::deserialize_struct",
                        "crate::runtime::de::string_enum_serialize",
                        "crate::runtime::de::string_enum_deserialize",
                    ]
                    .contains(&path.as_str()),
                    "unexpected macro in types.rs: {path}"
                );
                let first = m.mac.tokens.clone().into_iter().next().map(|t| t.to_string());
                assert!(
                    out.api.types.iter().any(|t| Some(&t.name) == first.as_ref()),
                    "macro for something that is not a generated type: {first:?}"
                );
            }
            other => panic!("unexpected item in types.rs: {}", other.to_token_stream()),
        }
    }
    let expected: Vec<String> = out.api.types.iter().map(|t| t.name.clone()).collect();
    assert_eq!(named.len(), expected.len(), "one item per type: {named:?}");
    assert_eq!(
        named.iter().collect::<BTreeSet<_>>(),
        expected.iter().collect::<BTreeSet<_>>()
    );
    // 15 component schemas, nothing inline in this fixture.
    assert_eq!(expected.len(), 15, "{expected:?}");
    let all = idents(&file);
    for injected in ["injected", "Evil"] {
        assert!(!all.contains(injected), "doc text became code: `{injected}`");
    }
}

#[test]
fn adversarial_operations_are_exactly_the_spec_operations() {
    let (out, _) = generate();
    let file = parse(&out, "src/operations.rs");
    let mut methods = Vec::new();
    for item in &file.items {
        if let syn::Item::Impl(i) = item {
            if i.trait_.is_none() && i.self_ty.to_token_stream().to_string() == "Client" {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        methods.push(f.sig.ident.to_string());
                    }
                }
            }
        }
        let runtime_macro =
            matches!(item, syn::Item::Macro(m) if m.mac.path.segments.first().is_some_and(|s| s.ident == "runtime"));
        assert!(
            runtime_macro
                || !matches!(
                    item,
                    syn::Item::Macro(_) | syn::Item::Mod(_) | syn::Item::ExternCrate(_) | syn::Item::Static(_)
                ),
            "unexpected item: {}",
            item.to_token_stream()
        );
    }
    assert_eq!(methods.len(), 4, "one method per operation: {methods:?}");
    assert_eq!(methods.len(), out.api.operations.len());
    let all = idents(&file);
    for injected in ["injected", "Evil"] {
        assert!(!all.contains(injected), "doc text became code: `{injected}`");
    }
    let lib = parse(&out, "src/lib.rs");
    let all = idents(&lib);
    assert!(!all.contains("injected"), "crate docs became code");
}

/// The doc attributes of every item, field and variant (and the crate), joined line by line.
fn doc_blocks(file: &syn::File) -> Vec<String> {
    fn block(attrs: &[syn::Attribute], out: &mut Vec<String>) {
        let lines: Vec<String> = attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s), ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            })
            .map(|l| l.strip_prefix(' ').map(str::to_owned).unwrap_or(l))
            .collect();
        if !lines.is_empty() {
            out.push(lines.join("\n"));
        }
    }
    let mut out = Vec::new();
    block(&file.attrs, &mut out);
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                block(&s.attrs, &mut out);
                s.fields.iter().for_each(|f| block(&f.attrs, &mut out));
            }
            syn::Item::Enum(e) => {
                block(&e.attrs, &mut out);
                e.variants.iter().for_each(|v| block(&v.attrs, &mut out));
            }
            syn::Item::Type(t) => block(&t.attrs, &mut out),
            syn::Item::Impl(i) => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        block(&f.attrs, &mut out);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every `description` and `summary` in the spec, with the pointer it came from.
fn spec_docs(v: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (k.as_str(), child) {
                    ("description" | "summary", Value::String(s)) if !p.contains("/properties/description") => {
                        out.push((p, s.clone()));
                    }
                    _ => spec_docs(child, p, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                spec_docs(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn adversarial_docs_survive_verbatim() {
    let (out, spec) = generate();
    let mut blocks = Vec::new();
    for file in ["src/lib.rs", "src/types.rs", "src/operations.rs"] {
        blocks.extend(doc_blocks(&parse(&out, file)));
    }
    let mut docs = Vec::new();
    spec_docs(&spec, String::new(), &mut docs);
    assert!(docs.len() >= 10, "{docs:?}");
    let mut missing = Vec::new();
    for (pointer, text) in &docs {
        if !blocks.iter().any(|b| b.contains(text.as_str())) {
            missing.push(format!("{pointer}: {text:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "doc strings not found verbatim in any doc attribute:\n{}",
        missing.join("\n")
    );
}
