//! The usage example of an operation: its required arguments and its body, written from the spec's
//! own examples where `lower::examples` found ones that decode, and taken as (hidden) parameters of
//! the example's function otherwise, so that it never needs made-up values.
//!
//! Values become Rust expressions of the generated types (constructor, then struct update syntax
//! for the other fields). Spec text only ever appears inside string literals (`{:?}`-escaped), so
//! an example cannot inject code into the doctest.

use std::collections::BTreeSet;

use super::operations::body_ty;
use super::types::{extra_field_name, is_ctor_arg};
use super::{ident, ty_tokens};
use crate::ir::{Api, Literal, Operation, Presence, Ty, TypeKind};

/// A body example longer than this (formatted) is taken as a parameter instead: the doc shows the
/// call, not a page of data.
const MAX_LINES: usize = 80;

/// Names that a `use` of the generated types must not shadow in the example.
const PRELUDE: &[&str] = &["Box", "Default", "None", "Nullable", "Option", "Some", "String", "Vec"];

/// The parts of a usage example.
pub(crate) struct Parts {
    /// The example function's parameters (`client: &krate::Client, id: i64`).
    pub inputs: String,
    /// Statements before the call (`use` of the types, `let body = ...;`), each line ending in `\n`.
    pub setup: String,
    /// `client.op(args)`.
    pub call: String,
}

/// The example's parts; with `literals`, from the spec's examples where they fit.
pub(crate) fn parts(api: &Api, op: &Operation, body_required: bool, krate: &str, literals: bool) -> Parts {
    let mut w = Writer {
        api,
        krate,
        used: BTreeSet::new(),
        nullable: false,
    };
    let mut inputs = vec![format!("client: &{krate}::Client")];
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let literal = p
            .example
            .as_ref()
            .filter(|_| literals)
            .and_then(|l| w.attempt(|w| w.arg(&p.ty, l)));
        match literal {
            Some(expr) => args.push(expr),
            None => {
                let ty = if p.ty == Ty::String {
                    "&str".to_owned()
                } else {
                    type_text(ty_tokens(api, &p.ty, false), krate)
                };
                inputs.push(format!("{}: {ty}", p.name));
                args.push(p.name.clone());
            }
        }
    }
    let mut setup = w.setup("").unwrap_or_default();
    if let (Some(body), true) = (&op.body, body_required) {
        let statement = body.example.as_ref().filter(|_| literals).and_then(|l| {
            w.attempt(|w| {
                let expr = w.expr(&body.ty, l)?;
                w.setup(&format!("let body = {expr};"))
            })
        });
        match statement {
            Some(text) => {
                setup = text;
                args.push("&body".to_owned());
            }
            None => {
                inputs.push(format!("body: &{}", type_text(body_ty(api, body), krate)));
                args.push("body".to_owned());
            }
        }
    }
    Parts {
        inputs: inputs.join(", "),
        setup,
        call: format!("client.{}({})", op.fn_name, args.join(", ")),
    }
}

/// A type as example text: `krate::types::Pet`, not `crate :: types :: Pet`.
pub(crate) fn type_text(t: proc_macro2::TokenStream, krate: &str) -> String {
    t.to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace("& ", "&")
        .replace("crate::", &format!("{krate}::"))
}

struct Writer<'a> {
    api: &'a Api,
    krate: &'a str,
    /// Generated types named in the example, imported by a `use`.
    used: BTreeSet<String>,
    /// The example uses `Nullable`.
    nullable: bool,
}

impl Writer<'_> {
    /// Runs `write`; what it noted as used is kept only when it succeeds.
    fn attempt(&mut self, write: impl FnOnce(&mut Self) -> Option<String>) -> Option<String> {
        let (used, nullable) = (self.used.clone(), self.nullable);
        let out = write(self);
        if out.is_none() {
            (self.used, self.nullable) = (used, nullable);
        }
        out
    }

    /// A generated type's name in the example: imported, unless it would shadow a prelude name.
    fn type_name(&mut self, name: &str) -> String {
        if PRELUDE.contains(&name) {
            format!("{}::types::{name}", self.krate)
        } else {
            self.used.insert(name.to_owned());
            name.to_owned()
        }
    }

    /// An operation argument: what the argument accepts (a string takes `&str`).
    fn arg(&mut self, ty: &Ty, lit: &Literal) -> Option<String> {
        match (ty, lit) {
            (Ty::String, Literal::Str(s)) => Some(format!("{s:?}")),
            _ => self.expr(ty, lit),
        }
    }

    /// The `use` of what the example names, then `statements`, formatted; `None` when that is
    /// longer than [`MAX_LINES`] (or, which would be a bug, does not parse).
    fn setup(&self, statements: &str) -> Option<String> {
        let krate = self.krate;
        let mut raw = String::new();
        let names: Vec<&str> = self.used.iter().map(String::as_str).collect();
        match names.as_slice() {
            [] => {}
            [one] => raw.push_str(&format!("use {krate}::types::{one};")),
            many => raw.push_str(&format!("use {krate}::types::{{{}}};", many.join(", "))),
        }
        if self.nullable {
            raw.push_str(&format!("use {krate}::Nullable;"));
        }
        raw.push_str(statements);
        if raw.is_empty() {
            return Some(String::new());
        }
        let file = syn::parse_file(&format!("fn example() {{ {raw} }}")).ok()?;
        let text = prettyplease::unparse(&file);
        let lines: Vec<&str> = text.lines().collect();
        // `fn example() {`, the statements, `}`.
        let inner = lines.get(1..lines.len().checked_sub(1)?)?;
        if inner.len() > MAX_LINES {
            return None;
        }
        let mut out = String::new();
        for line in inner {
            out.push_str(line.strip_prefix("    ").unwrap_or(line));
            out.push('\n');
        }
        Some(out)
    }

    /// The Rust expression of `lit` as a `ty`; `None` where there is none (bytes, files) or the
    /// literal does not belong to the type.
    fn expr(&mut self, ty: &Ty, lit: &Literal) -> Option<String> {
        Some(match (ty, lit) {
            (Ty::Bool, Literal::Bool(b)) => b.to_string(),
            (Ty::Int(_), Literal::Number(n)) => n.clone(),
            (Ty::Float(_), Literal::Number(n)) => {
                if n.contains(['.', 'e', 'E']) {
                    n.clone()
                } else {
                    format!("{n}.0")
                }
            }
            (Ty::String, Literal::Str(s)) => format!("{s:?}.to_owned()"),
            (Ty::Date | Ty::DateTime | Ty::Uuid, Literal::Str(s)) => format!("{s:?}.parse()?"),
            (Ty::Any, Literal::Json(v)) => format!("serde_json::json!({})", json(v)),
            (Ty::Unit, Literal::Null) => "()".to_owned(),
            (Ty::Vec(item), Literal::List(items)) => {
                if items.is_empty() {
                    "Vec::new()".to_owned()
                } else {
                    // `Vec::from([..])` rather than `vec![..]`: the formatter lays out a call, not
                    // a macro's tokens.
                    let items: Option<Vec<String>> = items.iter().map(|l| self.expr(item, l)).collect();
                    format!("Vec::from([{}])", items?.join(", "))
                }
            }
            (Ty::Tuple(tys), Literal::List(items)) if tys.len() == items.len() => {
                let items: Option<Vec<String>> = tys.iter().zip(items).map(|(t, l)| self.expr(t, l)).collect();
                format!("({},)", items?.join(", "))
            }
            (Ty::Map(item), Literal::Map(entries)) => self.map(item, entries)?,
            (Ty::Option(_), Literal::Null) => "None".to_owned(),
            (Ty::Option(inner), l) => format!("Some({})", self.expr(inner, l)?),
            (Ty::Boxed(inner), l) => format!("Box::new({})", self.expr(inner, l)?),
            (Ty::Named(id), l) => {
                let t = &self.api.types[id.0];
                match (&t.kind, l) {
                    (TypeKind::Alias(inner), l) => self.expr(inner, l)?,
                    (TypeKind::Enum(_), Literal::Variant(v)) => {
                        format!("{}::{}", self.type_name(&t.name), ident(v))
                    }
                    (TypeKind::Union(u), Literal::Union(v, inner)) => {
                        let variant = u.variants.iter().find(|x| &x.name == v)?;
                        let value = self.expr(&variant.ty, inner)?;
                        format!("{}::{}({value})", self.type_name(&t.name), ident(v))
                    }
                    (TypeKind::Struct(s), Literal::Struct { fields, extra }) => {
                        let name = self.type_name(&t.name);
                        let value_of = |i: usize| fields.iter().find(|(j, _)| *j == i).map(|(_, l)| l);
                        let mut args = Vec::new();
                        let mut set = Vec::new();
                        for (i, f) in s.fields.iter().enumerate() {
                            if is_ctor_arg(self.api, f) {
                                let value = match (value_of(i), &f.presence) {
                                    (Some(Literal::Null), Presence::RequiredNullable) => "None".to_owned(),
                                    (Some(l), Presence::RequiredNullable) => format!("Some({})", self.expr(&f.ty, l)?),
                                    (Some(l), _) => self.expr(&f.ty, l)?,
                                    (None, _) => return None,
                                };
                                args.push(value);
                                continue;
                            }
                            let Some(l) = value_of(i) else { continue };
                            if f.read_only {
                                continue;
                            }
                            let value = match (&f.presence, l) {
                                (Presence::Required, _) => continue,
                                (Presence::OptionalNullable, Literal::Null) => {
                                    self.nullable = true;
                                    "Nullable::Null".to_owned()
                                }
                                (Presence::OptionalNullable, l) => {
                                    self.nullable = true;
                                    format!("Nullable::Value({})", self.expr(&f.ty, l)?)
                                }
                                (Presence::Defaulted(_), l) => self.expr(&f.ty, l)?,
                                (_, Literal::Null) => continue,
                                (_, l) => format!("Some({})", self.expr(&f.ty, l)?),
                            };
                            set.push(format!("{}: {value}", ident(&f.name)));
                        }
                        if let (Some(add), false) = (&s.additional, extra.is_empty()) {
                            set.push(format!("{}: {}", extra_field_name(s), self.map(add, extra)?));
                        }
                        let base = if args.is_empty() {
                            if set.is_empty() {
                                return Some(format!("{name}::default()"));
                            }
                            "Default::default()".to_owned()
                        } else {
                            format!("{name}::new({})", args.join(", "))
                        };
                        if set.is_empty() {
                            base
                        } else {
                            format!("{name} {{ {}, ..{base} }}", set.join(", "))
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    fn map(&mut self, item: &Ty, entries: &[(String, Literal)]) -> Option<String> {
        if entries.is_empty() {
            return Some("std::collections::BTreeMap::new()".to_owned());
        }
        let mut out = Vec::with_capacity(entries.len());
        for (k, l) in entries {
            out.push(format!("({k:?}.to_owned(), {})", self.expr(item, l)?));
        }
        Some(format!("std::collections::BTreeMap::from([{}])", out.join(", ")))
    }
}

/// JSON as the tokens of `serde_json::json!`: strings and keys as Rust string literals.
fn json(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!("[{}]", items.iter().map(json).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{ {} }}",
            map.iter()
                .map(|(k, v)| format!("{k:?}: {}", json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests;
