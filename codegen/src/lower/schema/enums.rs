//! `enum` (and `const`) schemas -> IR enums: string, integer and mixed.
//!
//! Variant names come from the spec where it gives them (`x-enum-varnames`, `x-enumNames`),
//! variant docs from `x-enum-descriptions` / `x-enumDescriptions`: arrays parallel to `enum`.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::Value;

use super::Slot;
use crate::diag::{join, Approx, Diagnostics};
use crate::ir::{Docs, EnumDef, EnumRepr, EnumVariant, Ty, TypeKind};
use crate::lower::Lowerer;
use crate::naming::{self, Namespace};

/// Extensions that name the variants, in order of preference.
const NAME_KEYS: &[&str] = &["x-enum-varnames", "x-enumNames"];
/// Extensions that document the variants, in order of preference.
const DOC_KEYS: &[&str] = &["x-enum-descriptions", "x-enumDescriptions"];

/// Variant names and docs a schema's extensions give, by index into its raw `enum` list. Either is
/// empty when the spec gives none, or gives an unusable list (which was warned about).
#[derive(Debug, Default)]
pub(super) struct SpecVariants {
    names: Vec<String>,
    docs: Vec<Option<String>>,
}

impl SpecVariants {
    /// Reads the extensions of a schema whose `enum` has `len` entries. With `diags`, an unusable
    /// list is a warning at the extension's pointer.
    pub(super) fn read(
        extensions: &IndexMap<String, Value>,
        len: usize,
        pointer: &str,
        mut diags: Option<&mut Diagnostics>,
    ) -> Self {
        let mut warn = |key: &str, message: String| {
            if let Some(d) = diags.as_deref_mut() {
                d.approx(
                    Approx::Simplified,
                    join(pointer, key),
                    format!("{message}; variants are named from their values"),
                );
            }
        };
        let mut out = Self::default();
        if let Some((key, value)) = NAME_KEYS.iter().find_map(|k| extensions.get(*k).map(|v| (*k, v))) {
            match parallel(value, len) {
                Err(problem) => warn(key, problem),
                Ok(items) => {
                    let names: Option<Vec<String>> = items
                        .iter()
                        .map(|v| v.as_str().filter(|s| !s.trim().is_empty()).map(str::to_owned))
                        .collect();
                    match names {
                        None => warn(key, "an entry is not a non-empty string".to_owned()),
                        Some(names) => {
                            let mut seen = BTreeSet::new();
                            match names.iter().find(|n| !seen.insert(n.as_str())) {
                                Some(dup) => warn(key, format!("the name `{}` is given twice", dup.escape_debug())),
                                None => out.names = names,
                            }
                        }
                    }
                }
            }
        }
        if let Some((key, value)) = DOC_KEYS.iter().find_map(|k| extensions.get(*k).map(|v| (*k, v))) {
            let warn_docs = |d: &mut Option<&mut Diagnostics>, message: String| {
                if let Some(d) = d.as_deref_mut() {
                    d.approx(
                        Approx::Simplified,
                        join(pointer, key),
                        format!("{message}; the variants are left undocumented"),
                    );
                }
            };
            match parallel(value, len) {
                Err(problem) => warn_docs(&mut diags, problem),
                Ok(items) => {
                    let docs: Option<Vec<Option<String>>> = items
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => Some(Some(s.clone())),
                            Value::Null => Some(None),
                            _ => None,
                        })
                        .collect();
                    match docs {
                        Some(docs) => out.docs = docs,
                        None => warn_docs(&mut diags, "an entry is neither a string nor null".to_owned()),
                    }
                }
            }
        }
        out
    }

    /// The Rust name for the variant of raw `enum` entry `index`, before collision suffixes.
    fn name(&self, index: usize, fallback: impl FnOnce() -> String) -> String {
        match self.names.get(index) {
            Some(name) => naming::camel(name),
            None => fallback(),
        }
    }

    fn docs(&self, index: usize) -> Docs {
        Docs {
            description: self.docs.get(index).cloned().flatten().filter(|d| !d.trim().is_empty()),
            ..Docs::default()
        }
    }
}

/// The entries of an extension that must be an array as long as `enum`.
fn parallel(value: &Value, len: usize) -> Result<&[Value], String> {
    match value {
        Value::Array(items) if items.len() == len => Ok(items),
        Value::Array(items) => Err(format!("{} entries for {len} enum values", items.len())),
        _ => Err("not an array".to_owned()),
    }
}

/// Variant name for a string value: `""` -> `Empty`, `"1"` -> `V1`, `"a-b"` and `"a_b"` collide and
/// the second gets a suffix.
fn string_variant(value: &str) -> String {
    if value.is_empty() {
        "Empty".to_owned()
    } else {
        naming::camel(value)
    }
}

fn integer_variant(value: i64) -> String {
    if value < 0 {
        format!("Minus{}", value.unsigned_abs())
    } else {
        format!("V{value}")
    }
}

impl Lowerer<'_> {
    /// `values` are `(index in the raw enum list, value)`.
    pub(super) fn string_enum(
        &mut self,
        values: &[(usize, &str)],
        spec: &SpecVariants,
        slot: Slot,
        pointer: &str,
        docs: Docs,
    ) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|(_, v)| seen.insert(*v))
            .map(|(i, v)| EnumVariant {
                name: ns.claim(spec.name(*i, || string_variant(v))),
                value: (*v).to_owned(),
                docs: spec.docs(*i),
            })
            .collect();
        self.define(
            slot,
            pointer,
            docs,
            TypeKind::Enum(EnumDef {
                repr: EnumRepr::String,
                variants,
            }),
        )
    }

    /// `values` are `(index in the raw enum list, value)`.
    pub(super) fn integer_enum(
        &mut self,
        values: &[(usize, i64)],
        spec: &SpecVariants,
        slot: Slot,
        pointer: &str,
        docs: Docs,
    ) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|(_, v)| seen.insert(*v))
            .map(|(i, v)| EnumVariant {
                name: ns.claim(spec.name(*i, || integer_variant(*v))),
                value: v.to_string(),
                docs: spec.docs(*i),
            })
            .collect();
        self.define(
            slot,
            pointer,
            docs,
            TypeKind::Enum(EnumDef {
                repr: EnumRepr::Integer,
                variants,
            }),
        )
    }

    /// An `enum` without a single type: strings, integers and booleans, each value a variant; the
    /// variant's `value` is its JSON text. `null` makes the enum nullable; other values are dropped.
    pub(super) fn any_enum(
        &mut self,
        values: &[Value],
        spec: &SpecVariants,
        slot: Slot,
        pointer: &str,
        docs: Docs,
    ) -> Ty {
        let strings: Vec<(usize, &str)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_str().map(|s| (i, s)))
            .collect();
        let non_null: Vec<(usize, &Value)> = values.iter().enumerate().filter(|(_, v)| !v.is_null()).collect();
        let nullable = non_null.len() != values.len();
        let ty = if !strings.is_empty() && strings.len() == non_null.len() {
            self.string_enum(&strings, spec, slot, pointer, docs)
        } else if non_null.iter().all(|(_, v)| v.is_i64()) && !non_null.is_empty() {
            let ints: Vec<(usize, i64)> = non_null
                .iter()
                .filter_map(|(i, v)| v.as_i64().map(|n| (*i, n)))
                .collect();
            self.integer_enum(&ints, spec, slot, pointer, docs)
        } else {
            self.mixed_enum(&non_null, spec, slot, pointer, docs)
        };
        if nullable {
            ty.option()
        } else {
            ty
        }
    }

    fn mixed_enum(
        &mut self,
        values: &[(usize, &Value)],
        spec: &SpecVariants,
        slot: Slot,
        pointer: &str,
        docs: Docs,
    ) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (i, v) in values {
            let name = match v {
                Value::String(s) => string_variant(s),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => integer_variant(i),
                    None => {
                        self.diags.approx(
                            Approx::Simplified,
                            pointer,
                            format!("enum value {v} is not a string, integer or boolean; it decodes as `Unknown`"),
                        );
                        continue;
                    }
                },
                Value::Bool(true) => "True".to_owned(),
                Value::Bool(false) => "False".to_owned(),
                _ => {
                    self.diags.approx(
                        Approx::Simplified,
                        pointer,
                        format!("enum value {v} is not a string, integer or boolean; it decodes as `Unknown`"),
                    );
                    continue;
                }
            };
            let text = v.to_string();
            if seen.insert(text.clone()) {
                variants.push(EnumVariant {
                    name: ns.claim(spec.name(*i, || name)),
                    value: text,
                    docs: spec.docs(*i),
                });
            }
        }
        if variants.is_empty() {
            return Ty::Any;
        }
        self.define(
            slot,
            pointer,
            docs,
            TypeKind::Enum(EnumDef {
                repr: EnumRepr::Mixed,
                variants,
            }),
        )
    }
}

/// The Rust name of the variant that `value` becomes in the enum made from `schema`, computed the
/// way `string_enum`/`integer_enum` name variants. For defaults that refer to a component enum that
/// is lowered later (components are lowered in name order).
pub(super) fn variant_for(schema: &openapiv3::Schema, value: &Value) -> Option<String> {
    use openapiv3::{SchemaKind, Type};
    let mut ns = Namespace::with_reserved(&["Unknown"]);
    let ext = &schema.schema_data.extensions;
    match (&schema.schema_kind, value) {
        (SchemaKind::Type(Type::String(st)), Value::String(wanted)) => {
            let spec = SpecVariants::read(ext, st.enumeration.len(), "", None);
            let mut seen = BTreeSet::new();
            for (i, v) in st.enumeration.iter().enumerate() {
                let Some(v) = v else { continue };
                if seen.insert(v.as_str()) {
                    let name = ns.claim(spec.name(i, || string_variant(v)));
                    if v == wanted {
                        return Some(name);
                    }
                }
            }
            None
        }
        (SchemaKind::Type(Type::Integer(it)), Value::Number(n)) => {
            let wanted = n.as_i64()?;
            let spec = SpecVariants::read(ext, it.enumeration.len(), "", None);
            let mut seen = BTreeSet::new();
            for (i, v) in it.enumeration.iter().enumerate() {
                let Some(v) = v else { continue };
                if seen.insert(*v) {
                    let name = ns.claim(spec.name(i, || integer_variant(*v)));
                    if *v == wanted {
                        return Some(name);
                    }
                }
            }
            None
        }
        _ => None,
    }
}
