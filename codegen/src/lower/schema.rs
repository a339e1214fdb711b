//! Schemas -> IR types.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Lowerer;
use crate::diag::join;
use crate::ir::{
    DefaultValue, Docs, EnumDef, EnumRepr, EnumVariant, Field, FloatTy, IntTy, Presence, StructDef, Ty, TypeId,
    TypeKind, UnionDef, UnionVariant,
};
use crate::naming::{self, Namespace};

/// Where a named type produced while lowering a schema should go.
#[derive(Debug, Clone)]
pub enum Slot {
    /// A component schema, whose id and name were reserved up front.
    Reserved(TypeId),
    /// An inline schema: a new type named from this hint (UpperCamelCase words).
    Hint(String),
}

/// Properties gathered from an object schema and, through `allOf`, from everything it includes.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: IndexMap<String, (&'a ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
    pattern_properties: bool,
}

/// Recursion guard for pathological nesting the parser allowed.
const MAX_DEPTH: usize = 64;

impl<'a> Lowerer<'a> {
    pub(super) fn docs_of(&self, s: &Schema) -> Docs {
        let d = &s.schema_data;
        Docs {
            title: d.title.clone(),
            description: d.description.clone(),
            example: d.example.as_ref().map(|e| e.to_string()),
            deprecated: d.deprecated,
        }
    }

    /// Lowers a schema or reference. Nullability comes back as an outer `Ty::Option`.
    pub fn lower_schema(&mut self, s: &'a ReferenceOr<Schema>, slot: Slot, pointer: &str) -> Ty {
        match s {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.lower_item(schema, slot, pointer),
        }
    }

    pub fn lower_boxed(&mut self, s: &'a ReferenceOr<Box<Schema>>, slot: Slot, pointer: &str) -> Ty {
        match s {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.lower_item(schema, slot, pointer),
        }
    }

    fn lower_ref(&mut self, reference: &str, pointer: &str) -> Ty {
        match self.component_of(reference) {
            Some((id, nullable)) => {
                let ty = Ty::Named(id);
                if nullable {
                    ty.option()
                } else {
                    ty
                }
            }
            None => {
                self.diags.warn(
                    pointer,
                    format!("`$ref: {reference}` is not a component schema; using a JSON value"),
                );
                Ty::Any
            }
        }
    }

    fn lower_item(&mut self, schema: &'a Schema, slot: Slot, pointer: &str) -> Ty {
        self.depth += 1;
        let ty = if self.depth > MAX_DEPTH {
            self.diags.warn(pointer, "schema nests too deeply; using a JSON value");
            Ty::Any
        } else {
            self.lower_kind(schema, slot, pointer)
        };
        self.depth -= 1;
        if schema.schema_data.nullable {
            ty.option()
        } else {
            ty
        }
    }

    fn lower_kind(&mut self, schema: &'a Schema, slot: Slot, pointer: &str) -> Ty {
        let docs = self.docs_of(schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<&str> = st.enumeration.iter().flatten().map(String::as_str).collect();
                if !values.is_empty() {
                    return self.string_enum(&values, slot, pointer, docs);
                }
                string_format(match &st.format {
                    VariantOrUnknownOrEmpty::Item(f) => match f {
                        StringFormat::Date => "date",
                        StringFormat::DateTime => "date-time",
                        StringFormat::Byte => "byte",
                        StringFormat::Binary => "binary",
                        StringFormat::Password => "password",
                    },
                    VariantOrUnknownOrEmpty::Unknown(s) => s.as_str(),
                    VariantOrUnknownOrEmpty::Empty => "",
                })
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let values: Vec<i64> = it.enumeration.iter().flatten().copied().collect();
                if !values.is_empty() {
                    return self.integer_enum(&values, slot, pointer, docs);
                }
                integer_format(match &it.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => "int32",
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => "int64",
                    VariantOrUnknownOrEmpty::Unknown(s) => s.as_str(),
                    VariantOrUnknownOrEmpty::Empty => "",
                })
            }
            SchemaKind::Type(Type::Number(nt)) => match &nt.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Ty::Float(FloatTy::F32),
                _ => Ty::Float(FloatTy::F64),
            },
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Array(at)) => {
                let item_hint = format!("{} Item", self.hint_of(&slot));
                let item = match &at.items {
                    Some(items) => self.lower_boxed(items, Slot::Hint(item_hint), &join(pointer, "items")),
                    None => Ty::Any,
                };
                Ty::Vec(Box::new(item))
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_) => {
                self.lower_object_like(schema, slot, pointer, docs)
            }
            SchemaKind::OneOf { one_of: list } => self.lower_union("oneOf", list, slot, pointer, docs),
            SchemaKind::AnyOf { any_of: list } => self.lower_union("anyOf", list, slot, pointer, docs),
            SchemaKind::Not { .. } => {
                self.diags.warn(
                    join(pointer, "not"),
                    "`not` cannot be expressed in Rust types; using a JSON value",
                );
                Ty::Any
            }
        }
    }

    fn hint_of(&self, slot: &Slot) -> String {
        match slot {
            Slot::Reserved(id) => self.name_of(*id),
            Slot::Hint(h) => h.clone(),
        }
    }

    /// Fills the slot with a named type and returns a reference to it.
    pub(super) fn define(&mut self, slot: Slot, pointer: &str, docs: Docs, kind: TypeKind) -> Ty {
        let id = match slot {
            Slot::Reserved(id) => id,
            Slot::Hint(hint) => {
                let name = self.type_names.claim(naming::type_name(&hint));
                self.reserve(name, pointer)
            }
        };
        self.fill(id, docs, kind);
        Ty::Named(id)
    }

    fn string_enum(&mut self, values: &[&str], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|v| seen.insert(**v))
            .map(|v| EnumVariant {
                name: ns.claim(if v.is_empty() {
                    "Empty".to_owned()
                } else {
                    naming::camel(v)
                }),
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

    fn integer_enum(&mut self, values: &[i64], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|v| seen.insert(**v))
            .map(|v| EnumVariant {
                name: ns.claim(if *v < 0 {
                    format!("Minus{}", v.unsigned_abs())
                } else {
                    format!("V{v}")
                }),
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

    fn lower_union(&mut self, key: &str, list: &'a [ReferenceOr<Schema>], slot: Slot, pointer: &str, docs: Docs) -> Ty {
        match list.len() {
            0 => return Ty::Any,
            1 => {
                let ty = self.lower_schema(&list[0], slot.clone(), &join(&join(pointer, key), "0"));
                return self.alias_if_reserved(slot, pointer, docs, ty);
            }
            _ => {}
        }
        let base = self.hint_of(&slot);
        let mut ns = Namespace::new();
        let mut variants = Vec::new();
        let mut any_nullable = false;
        for (i, member) in list.iter().enumerate() {
            let p = join(&join(pointer, key), &i.to_string());
            let ty = self.lower_schema(member, Slot::Hint(format!("{base} Variant{i}")), &p);
            let (ty, nullable) = ty.split_option();
            any_nullable |= nullable;
            let name = ns.claim(self.variant_name(&ty));
            if !variants.iter().any(|v: &UnionVariant| v.ty == ty) {
                variants.push(UnionVariant {
                    name,
                    ty,
                    tag_values: Vec::new(),
                });
            }
        }
        // serde tries untagged variants in order: put the narrower JSON forms first.
        variants.sort_by_key(|v| union_rank(&v.ty));
        let ty = if variants.len() == 1 {
            let only = variants.remove(0).ty;
            self.alias_if_reserved(slot, pointer, docs, only)
        } else {
            self.define(slot, pointer, docs, TypeKind::Union(UnionDef { variants, tag: None }))
        };
        if any_nullable {
            ty.option()
        } else {
            ty
        }
    }

    /// A component whose schema turned out to be another type becomes an alias of it.
    fn alias_if_reserved(&mut self, slot: Slot, pointer: &str, docs: Docs, ty: Ty) -> Ty {
        match slot {
            Slot::Reserved(id) if ty != Ty::Named(id) => {
                let (inner, nullable) = ty.split_option();
                self.fill(id, docs, TypeKind::Alias(inner));
                let _ = pointer;
                let named = Ty::Named(id);
                if nullable {
                    named.option()
                } else {
                    named
                }
            }
            _ => ty,
        }
    }

    fn variant_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::Bool => "Boolean".into(),
            Ty::Int(_) => "Integer".into(),
            Ty::Float(_) => "Number".into(),
            Ty::String => "String".into(),
            Ty::Date => "Date".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Uuid => "Uuid".into(),
            Ty::Binary => "Binary".into(),
            Ty::Any => "Value".into(),
            Ty::Unit => "Null".into(),
            Ty::Named(id) => self.name_of(*id),
            Ty::Vec(inner) => format!("{}List", self.variant_name(inner)),
            Ty::Map(inner) => format!("{}Map", self.variant_name(inner)),
            Ty::Option(inner) | Ty::Boxed(inner) => self.variant_name(inner),
        }
    }

    /// Objects, `allOf` compositions and schemas without a `type`.
    fn lower_object_like(&mut self, schema: &'a Schema, slot: Slot, pointer: &str, docs: Docs) -> Ty {
        if let SchemaKind::Any(any) = &schema.schema_kind {
            // A schema that names no type: decide from the keywords it has.
            let has_object_keywords = !any.properties.is_empty()
                || any.additional_properties.is_some()
                || any.typ.as_deref() == Some("object");
            if !has_object_keywords && any.all_of.is_empty() {
                if !any.one_of.is_empty() || !any.any_of.is_empty() {
                    let (key, list) = if any.one_of.is_empty() {
                        ("anyOf", &any.any_of)
                    } else {
                        ("oneOf", &any.one_of)
                    };
                    return self.lower_union(key, list, slot, pointer, docs);
                }
                if let Some(items) = &any.items {
                    let item = self.lower_boxed(
                        items,
                        Slot::Hint(format!("{} Item", self.hint_of(&slot))),
                        &join(pointer, "items"),
                    );
                    return Ty::Vec(Box::new(item));
                }
                let strings: Vec<&str> = any.enumeration.iter().filter_map(Value::as_str).collect();
                return match any.typ.as_deref() {
                    Some("string") if !strings.is_empty() => self.string_enum(&strings, slot, pointer, docs),
                    Some("string") => string_format(any.format.as_deref().unwrap_or("")),
                    Some("integer") => integer_format(any.format.as_deref().unwrap_or("")),
                    Some("number") => Ty::Float(FloatTy::F64),
                    Some("boolean") => Ty::Bool,
                    Some("array") => Ty::Vec(Box::new(Ty::Any)),
                    None if !strings.is_empty() && strings.len() == any.enumeration.len() => {
                        self.string_enum(&strings, slot, pointer, docs)
                    }
                    _ => Ty::Any,
                };
            }
        }
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            if all_of.len() == 1 {
                let ty = self.lower_schema(&all_of[0], slot.clone(), &join(&join(pointer, "allOf"), "0"));
                return self.alias_if_reserved(slot, pointer, docs, ty);
            }
        }
        let mut parts = ObjectParts::default();
        self.collect_parts(schema, pointer, &mut parts, 0);
        if parts.properties.is_empty() {
            return match parts.additional {
                Some((AdditionalProperties::Schema(s), p)) => {
                    let value = self.lower_schema(s, Slot::Hint(format!("{} Value", self.hint_of(&slot))), &p);
                    Ty::Map(Box::new(value))
                }
                _ if parts.pattern_properties => Ty::Map(Box::new(Ty::Any)),
                _ => Ty::Any,
            };
        }
        // Reserve the name before the fields, so field types named after it come out readable.
        let (id, named) = match slot {
            Slot::Reserved(id) => (id, Ty::Named(id)),
            Slot::Hint(hint) => {
                let name = self.type_names.claim(naming::type_name(&hint));
                let id = self.reserve(name, pointer);
                (id, Ty::Named(id))
            }
        };
        let struct_name = self.name_of(id);
        let mut ns = Namespace::new();
        let mut fields = Vec::new();
        for (wire, (prop, p)) in &parts.properties {
            let ty = self.lower_boxed(prop, Slot::Hint(format!("{struct_name} {wire}")), p);
            let (ty, nullable) = ty.split_option();
            let required = parts.required.contains(wire);
            let (docs, read_only, write_only, default) = match prop {
                ReferenceOr::Item(s) => (
                    self.docs_of(s),
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.default.clone(),
                ),
                ReferenceOr::Reference { .. } => (Docs::default(), false, false, None),
            };
            let presence = match (required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, true) => Presence::OptionalNullable,
                (false, false) => match default.as_ref().and_then(|d| self.default_value(&ty, d)) {
                    Some(d) => Presence::Defaulted(d),
                    None => Presence::Optional,
                },
            };
            fields.push(Field {
                name: ns.claim(naming::snake(wire)),
                wire_name: wire.clone(),
                ty,
                presence,
                docs,
                read_only,
                write_only,
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(s), p)) => {
                Some(self.lower_schema(s, Slot::Hint(format!("{struct_name} Value")), &p))
            }
            Some((AdditionalProperties::Any(true), _)) => Some(Ty::Any),
            _ if parts.pattern_properties => Some(Ty::Any),
            _ => None,
        };
        self.fill(id, docs, TypeKind::Struct(StructDef { fields, additional }));
        named
    }

    fn collect_parts(&mut self, schema: &'a Schema, pointer: &str, parts: &mut ObjectParts<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            self.diags
                .warn(pointer, "`allOf` nests too deeply; inner parts ignored");
            return;
        }
        let (props, required, additional, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, o.additional_properties.as_ref(), None),
            SchemaKind::Any(a) => (
                &a.properties,
                &a.required,
                a.additional_properties.as_ref(),
                Some(&a.all_of),
            ),
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    self.collect_part(part, &join(&join(pointer, "allOf"), &i.to_string()), parts, depth + 1);
                }
                return;
            }
            _ => return,
        };
        if let Some(all_of) = all_of {
            for (i, part) in all_of.iter().enumerate() {
                self.collect_part(part, &join(&join(pointer, "allOf"), &i.to_string()), parts, depth + 1);
            }
        }
        for (name, prop) in props {
            let p = join(&join(pointer, "properties"), name);
            parts.properties.insert(name.clone(), (prop, p));
        }
        parts.required.extend(required.iter().cloned());
        if let Some(ap) = additional {
            parts.additional = Some((ap, join(pointer, "additionalProperties")));
        }
        if schema.schema_data.extensions.contains_key("x-patternProperties") {
            parts.pattern_properties = true;
        }
    }

    fn collect_part(
        &mut self,
        part: &'a ReferenceOr<Schema>,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        depth: usize,
    ) {
        match part {
            ReferenceOr::Item(s) => self.collect_parts(s, pointer, parts, depth),
            ReferenceOr::Reference { reference } => {
                let spec = self.spec;
                if let Some((name, target)) = super::component_schema(spec, reference) {
                    let p = format!("/components/schemas/{}", crate::diag::escape(name));
                    match target {
                        ReferenceOr::Item(s) => self.collect_parts(s, &p, parts, depth + 1),
                        ReferenceOr::Reference { .. } => self.collect_part(target, &p, parts, depth + 1),
                    }
                }
            }
        }
    }

    /// Converts a spec default into a value of the field's type, if it fits.
    fn default_value(&self, ty: &Ty, value: &Value) -> Option<DefaultValue> {
        match (ty, value) {
            (Ty::Bool, Value::Bool(b)) => Some(DefaultValue::Bool(*b)),
            (Ty::Int(_), Value::Number(n)) => n
                .as_i64()
                .map(i128::from)
                .or(n.as_u64().map(i128::from))
                .map(DefaultValue::Int),
            (Ty::Float(_), Value::Number(n)) => n.as_f64().filter(|f| f.is_finite()).map(DefaultValue::Float),
            (Ty::String, Value::String(s)) => Some(DefaultValue::Str(s.clone())),
            (Ty::Named(id), v) => match &self.types.get(id.0)?.as_ref()?.kind {
                TypeKind::Enum(e) => {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        _ => return None,
                    };
                    e.variants
                        .iter()
                        .find(|var| var.value == text)
                        .map(|var| DefaultValue::Variant(*id, var.name.clone()))
                }
                TypeKind::Alias(inner) => self.default_value(inner, v),
                _ => None,
            },
            _ => None,
        }
    }
}

fn string_format(format: &str) -> Ty {
    match format {
        "date" => Ty::Date,
        "date-time" => Ty::DateTime,
        "uuid" => Ty::Uuid,
        "binary" => Ty::Binary,
        _ => Ty::String,
    }
}

fn integer_format(format: &str) -> Ty {
    Ty::Int(match format {
        "int8" => IntTy::I8,
        "int16" => IntTy::I16,
        "int32" => IntTy::I32,
        "uint8" => IntTy::U8,
        "uint16" => IntTy::U16,
        "uint32" => IntTy::U32,
        "uint64" | "uint" => IntTy::U64,
        _ => IntTy::I64,
    })
}

/// Order of untagged union variants: the first that accepts a value wins, so narrower forms go first.
fn union_rank(ty: &Ty) -> u8 {
    match ty {
        Ty::Unit => 0,
        Ty::Bool => 1,
        Ty::Int(_) => 2,
        Ty::Float(_) => 3,
        Ty::Uuid | Ty::DateTime | Ty::Date => 4,
        Ty::Named(_) | Ty::Boxed(_) => 5,
        Ty::String | Ty::Binary => 6,
        Ty::Vec(_) => 7,
        Ty::Map(_) => 8,
        Ty::Option(inner) => union_rank(inner),
        Ty::Any => 9,
    }
}
