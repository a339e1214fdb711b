//! `enum` (and `const`) schemas -> IR enums: string, integer and mixed.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Slot;
use crate::diag::Approx;
use crate::ir::{Docs, EnumDef, EnumRepr, EnumVariant, Ty, TypeKind};
use crate::lower::Lowerer;
use crate::naming::{self, Namespace};

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
    pub(super) fn string_enum(&mut self, values: &[&str], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|v| seen.insert(**v))
            .map(|v| EnumVariant {
                name: ns.claim(string_variant(v)),
                value: (*v).to_owned(),
                docs: Docs::default(),
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

    pub(super) fn integer_enum(&mut self, values: &[i64], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|v| seen.insert(**v))
            .map(|v| EnumVariant {
                name: ns.claim(integer_variant(*v)),
                value: v.to_string(),
                docs: Docs::default(),
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
    pub(super) fn any_enum(&mut self, values: &[Value], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        let nullable = non_null.len() != values.len();
        let ty = if !strings.is_empty() && strings.len() == non_null.len() {
            self.string_enum(&strings, slot, pointer, docs)
        } else if non_null.iter().all(|v| v.is_i64()) && !non_null.is_empty() {
            let ints: Vec<i64> = non_null.iter().filter_map(|v| v.as_i64()).collect();
            self.integer_enum(&ints, slot, pointer, docs)
        } else {
            self.mixed_enum(&non_null, slot, pointer, docs)
        };
        if nullable {
            ty.option()
        } else {
            ty
        }
    }

    fn mixed_enum(&mut self, values: &[&Value], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for v in values {
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
                    name: ns.claim(name),
                    value: text,
                    docs: Docs::default(),
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
    match (&schema.schema_kind, value) {
        (SchemaKind::Type(Type::String(st)), Value::String(wanted)) => {
            let mut seen = BTreeSet::new();
            for v in st.enumeration.iter().flatten() {
                if seen.insert(v.as_str()) {
                    let name = ns.claim(string_variant(v));
                    if v == wanted {
                        return Some(name);
                    }
                }
            }
            None
        }
        (SchemaKind::Type(Type::Integer(it)), Value::Number(n)) => {
            let wanted = n.as_i64()?;
            let mut seen = BTreeSet::new();
            for v in it.enumeration.iter().flatten() {
                if seen.insert(*v) {
                    let name = ns.claim(integer_variant(*v));
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
