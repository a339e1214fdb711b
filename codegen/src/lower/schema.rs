//! Schemas -> IR types. Enums and unions have their own files (`schema/enums.rs`, `schema/unions.rs`).

mod enums;
mod unions;

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Lowerer;
use crate::diag::{join, Approx};
use crate::ir::{DefaultValue, Docs, Field, FloatTy, IntTy, Presence, StructDef, Ty, TypeId, TypeKind};
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
pub(super) struct ObjectParts<'s> {
    pub(super) properties: IndexMap<String, (&'s ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'s AdditionalProperties, String)>,
    /// `patternProperties` (`x-patternProperties` after normalizing): pattern -> schema.
    pattern_properties: Option<(&'s Value, String)>,
}

/// Recursion guard for pathological nesting the parser allowed.
const MAX_DEPTH: usize = 64;

impl<'a> Lowerer<'a> {
    /// Variant names and docs from the schema's `x-enum-*` extensions (warnings for unusable ones).
    fn spec_variants(&mut self, schema: &Schema, len: usize, pointer: &str) -> enums::SpecVariants {
        enums::SpecVariants::read(&schema.schema_data.extensions, len, pointer, Some(self.diags))
    }

    /// The schema's docs; `pointer` is the schema's, for messages about its example.
    pub(super) fn docs_of(&self, s: &Schema, pointer: &str) -> Docs {
        let d = &s.schema_data;
        Docs {
            title: d.title.clone(),
            description: d.description.clone(),
            example: d.example.as_ref().map(|e| e.to_string()),
            example_at: d
                .example
                .as_ref()
                .map(|_| super::examples::schema_example_at(s, pointer)),
            deprecated: d.deprecated,
        }
    }

    /// Lowers a schema or reference. Nullability comes back as an outer `Ty::Option`.
    pub fn lower_schema<'s>(&mut self, s: &'s ReferenceOr<Schema>, slot: Slot, pointer: &str) -> Ty
    where
        'a: 's,
    {
        match s {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.lower_item(schema, slot, pointer),
        }
    }

    pub fn lower_boxed<'s>(&mut self, s: &'s ReferenceOr<Box<Schema>>, slot: Slot, pointer: &str) -> Ty
    where
        'a: 's,
    {
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
                self.diags.approx(
                    Approx::JsonValue,
                    pointer,
                    format!("`$ref: {reference}` is not a component schema; using a JSON value"),
                );
                Ty::Any
            }
        }
    }

    fn lower_item<'s>(&mut self, schema: &'s Schema, slot: Slot, pointer: &str) -> Ty
    where
        'a: 's,
    {
        if !self.in_progress.insert(pointer.to_owned()) {
            self.diags.approx(
                Approx::JsonValue,
                pointer,
                "schema contains itself without a `$ref` in between; using a JSON value",
            );
            return Ty::Any;
        }
        self.depth += 1;
        let ty = if self.depth > MAX_DEPTH {
            self.diags.approx(
                Approx::JsonValue,
                pointer,
                "schema nests too deeply; using a JSON value",
            );
            Ty::Any
        } else {
            self.lower_kind(schema, slot, pointer)
        };
        self.depth -= 1;
        self.in_progress.remove(pointer);
        super::constraints::note(self.diags, schema, pointer);
        if schema.schema_data.nullable {
            ty.option()
        } else {
            ty
        }
    }

    fn lower_kind<'s>(&mut self, schema: &'s Schema, slot: Slot, pointer: &str) -> Ty
    where
        'a: 's,
    {
        let docs = self.docs_of(schema, pointer);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<(usize, &str)> = st
                    .enumeration
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.as_deref().map(|v| (i, v)))
                    .collect();
                if !values.is_empty() {
                    let spec = self.spec_variants(schema, st.enumeration.len(), pointer);
                    return self.string_enum(&values, &spec, slot, pointer, docs);
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
                let values: Vec<(usize, i64)> = it
                    .enumeration
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i, v)))
                    .collect();
                if !values.is_empty() {
                    let spec = self.spec_variants(schema, it.enumeration.len(), pointer);
                    return self.integer_enum(&values, &spec, slot, pointer, docs);
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
                if let Some(prefix) = schema.schema_data.extensions.get("x-prefixItems") {
                    return self.tuple(prefix, allows_items(at.items.as_ref()), &slot, pointer);
                }
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
            SchemaKind::OneOf { one_of: list } => {
                let d = schema.schema_data.discriminator.as_ref();
                self.lower_union("oneOf", list, d, slot, pointer, docs)
            }
            SchemaKind::AnyOf { any_of: list } => {
                let d = schema.schema_data.discriminator.as_ref();
                self.lower_union("anyOf", list, d, slot, pointer, docs)
            }
            SchemaKind::Not { .. } => {
                self.diags.approx(
                    Approx::IgnoredNot,
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

    /// Objects, `allOf` compositions and schemas without a `type`.
    fn lower_object_like<'s>(&mut self, schema: &'s Schema, slot: Slot, pointer: &str, docs: Docs) -> Ty
    where
        'a: 's,
    {
        if let SchemaKind::Any(any) = &schema.schema_kind {
            // A schema that names no type: decide from the keywords it has.
            let has_members = !any.properties.is_empty() || any.additional_properties.is_some();
            let has_object_keywords = has_members || any.typ.as_deref() == Some("object");
            let has_union = !any.one_of.is_empty() || !any.any_of.is_empty();
            // `type: object` next to `oneOf`/`anyOf` says what the variants already say: a union.
            if has_union && !has_members && any.all_of.is_empty() {
                let (key, list) = if any.one_of.is_empty() {
                    ("anyOf", &any.any_of)
                } else {
                    ("oneOf", &any.one_of)
                };
                let d = schema.schema_data.discriminator.as_ref();
                return self.lower_union(key, list, d, slot, pointer, docs);
            }
            if has_union {
                let key = if any.one_of.is_empty() { "anyOf" } else { "oneOf" };
                self.diags.approx(
                    Approx::Simplified,
                    join(pointer, key),
                    format!(
                        "`{key}` next to `properties` or `allOf` is not modelled: the type has the common \
                         properties only, and the variants' own properties are not sent or decoded"
                    ),
                );
            }
            if !has_object_keywords && any.all_of.is_empty() {
                if let Some(prefix) = schema.schema_data.extensions.get("x-prefixItems") {
                    return self.tuple(prefix, allows_items(any.items.as_ref()), &slot, pointer);
                }
                if let Some(items) = &any.items {
                    let item = self.lower_boxed(
                        items,
                        Slot::Hint(format!("{} Item", self.hint_of(&slot))),
                        &join(pointer, "items"),
                    );
                    return Ty::Vec(Box::new(item));
                }
                let strings: Vec<(usize, &str)> = any
                    .enumeration
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.as_str().map(|v| (i, v)))
                    .collect();
                // `type: null` (or `enum: [null]`): the only value is `null`, which `()` is in serde.
                if any.typ.is_none() && !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_null()) {
                    return Ty::Unit;
                }
                if any.typ.is_none() && !any.enumeration.is_empty() {
                    let spec = self.spec_variants(schema, any.enumeration.len(), pointer);
                    return self.any_enum(&any.enumeration, &spec, slot, pointer, docs);
                }
                return match any.typ.as_deref() {
                    Some("string") if !strings.is_empty() => {
                        let spec = self.spec_variants(schema, any.enumeration.len(), pointer);
                        self.string_enum(&strings, &spec, slot, pointer, docs)
                    }
                    Some("string") => string_format(any.format.as_deref().unwrap_or("")),
                    Some("integer") => integer_format(any.format.as_deref().unwrap_or("")),
                    Some("number") => Ty::Float(FloatTy::F64),
                    Some("boolean") => Ty::Bool,
                    Some("array") => Ty::Vec(Box::new(Ty::Any)),
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
                _ => match parts.pattern_properties {
                    Some((patterns, p)) => {
                        let hint = format!("{} Value", self.hint_of(&slot));
                        Ty::Map(Box::new(self.pattern_value(patterns, hint, &p)))
                    }
                    None => Ty::Any,
                },
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
            // A property that can only be `null` is `()` (required) or `Option<()>`: `Nullable<()>`
            // would spell `null` twice.
            let nullable = nullable && ty != Ty::Unit;
            let required = parts.required.contains(wire);
            let (docs, read_only, write_only, default, constraints) = match prop {
                ReferenceOr::Item(s) => (
                    self.docs_of(s, p),
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.default.clone(),
                    super::constraints::of_schema(s),
                ),
                ReferenceOr::Reference { .. } => (Docs::default(), false, false, None, None),
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
                constraints,
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(s), p)) => {
                Some(self.lower_schema(s, Slot::Hint(format!("{struct_name} Value")), &p))
            }
            Some((AdditionalProperties::Any(true), _)) => Some(Ty::Any),
            _ => parts
                .pattern_properties
                .map(|(patterns, p)| self.pattern_value(patterns, format!("{struct_name} Value"), &p)),
        };
        self.fill(id, docs, TypeKind::Struct(StructDef { fields, additional }));
        named
    }

    pub(super) fn collect_parts<'s>(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        parts: &mut ObjectParts<'s>,
        depth: usize,
    ) where
        'a: 's,
    {
        if depth > MAX_DEPTH {
            self.diags.approx(
                Approx::Simplified,
                pointer,
                "`allOf` nests too deeply; inner parts ignored",
            );
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
        if let Some(patterns) = schema.schema_data.extensions.get("x-patternProperties") {
            parts.pattern_properties = Some((patterns, join(pointer, "patternProperties")));
        }
    }

    pub(super) fn collect_part<'s>(
        &mut self,
        part: &'s ReferenceOr<Schema>,
        pointer: &str,
        parts: &mut ObjectParts<'s>,
        depth: usize,
    ) where
        'a: 's,
    {
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

    /// `prefixItems` -> a tuple. Items after the prefix (`items`) have no place in a tuple.
    fn tuple(&mut self, prefix: &Value, has_items: bool, slot: &Slot, pointer: &str) -> Ty {
        let p = join(pointer, "prefixItems");
        let Some(list) = prefix.as_array().filter(|l| !l.is_empty()) else {
            self.diags.approx(
                Approx::JsonValue,
                p,
                "`prefixItems` is not a non-empty array; using a list of JSON values",
            );
            return Ty::Vec(Box::new(Ty::Any));
        };
        if has_items {
            self.diags.approx(
                Approx::Simplified,
                join(pointer, "items"),
                "items after `prefixItems` are not kept: the tuple holds exactly the prefix",
            );
        }
        let base = self.hint_of(slot);
        let mut items = Vec::new();
        for (i, item) in list.iter().enumerate() {
            let ip = join(&p, &i.to_string());
            items.push(self.lower_value_schema(item, format!("{base} {i}"), &ip));
        }
        Ty::Tuple(items)
    }

    /// The value type of a `patternProperties` map: the pattern's schema when there is one pattern.
    fn pattern_value(&mut self, patterns: &Value, hint: String, pointer: &str) -> Ty {
        match patterns.as_object() {
            Some(map) if map.len() == 1 => match map.iter().next() {
                Some((pattern, schema)) => self.lower_value_schema(schema, hint, &join(pointer, pattern)),
                None => Ty::Any,
            },
            Some(map) if map.is_empty() => Ty::Any,
            _ => {
                self.diags.approx(
                    Approx::JsonValue,
                    pointer,
                    "several `patternProperties` patterns: their values are kept as JSON values, keys unchecked",
                );
                Ty::Any
            }
        }
    }

    /// Lowers a schema kept as JSON in an `x-` key (what the 3.0 model has no place for).
    fn lower_value_schema(&mut self, value: &Value, hint: String, pointer: &str) -> Ty {
        match serde_json::from_value::<ReferenceOr<Schema>>(value.clone()) {
            Ok(schema) => self.lower_schema(&schema, Slot::Hint(hint), pointer),
            Err(e) => {
                self.diags.approx(
                    Approx::JsonValue,
                    pointer,
                    format!("schema not understood ({e}); using a JSON value"),
                );
                Ty::Any
            }
        }
    }

    /// Converts a spec default into a value of the field's type, if it fits.
    fn default_value(&self, ty: &Ty, value: &Value) -> Option<DefaultValue> {
        // Aliases are followed a bounded number of times: `A = B`, `B = A` (or a union of itself
        // lowered to an alias of itself) must not loop.
        self.default_value_within(ty, value, self.types.len() + 1)
    }

    fn default_value_within(&self, ty: &Ty, value: &Value, aliases_left: usize) -> Option<DefaultValue> {
        match (ty, value) {
            (Ty::Bool, Value::Bool(b)) => Some(DefaultValue::Bool(*b)),
            (Ty::Int(_), Value::Number(n)) => n
                .as_i64()
                .map(i128::from)
                .or(n.as_u64().map(i128::from))
                .map(DefaultValue::Int),
            (Ty::Float(_), Value::Number(n)) => n.as_f64().filter(|f| f.is_finite()).map(DefaultValue::Float),
            (Ty::String, Value::String(s)) => Some(DefaultValue::Str(s.clone())),
            (Ty::Date | Ty::DateTime | Ty::Uuid, Value::String(_))
            | (Ty::Vec(_), Value::Array(_))
            | (Ty::Map(_), Value::Object(_))
            | (Ty::Any, _) => Some(DefaultValue::Json(value.to_string())),
            (Ty::Named(id), v) if self.types.get(id.0).is_some_and(Option::is_none) => {
                // A component not lowered yet: name the variant from its schema.
                let (name, _) = self.components.iter().find(|(_, (cid, _))| cid == id)?;
                let spec = self.spec;
                match super::component_schema(spec, &format!("#/components/schemas/{}", crate::diag::escape(name)))? {
                    (_, ReferenceOr::Item(schema)) => {
                        enums::variant_for(schema, v).map(|var| DefaultValue::Variant(*id, var))
                    }
                    (_, ReferenceOr::Reference { .. }) => None,
                }
            }
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
                TypeKind::Alias(inner) => self.default_value_within(inner, v, aliases_left.checked_sub(1)?),
                _ => None,
            },
            _ => None,
        }
    }
}

/// `items` next to `prefixItems`: does it allow items after the prefix? `items: false` does not.
fn allows_items(items: Option<&ReferenceOr<Box<Schema>>>) -> bool {
    match items {
        None => false,
        Some(ReferenceOr::Item(s)) => !matches!(s.schema_kind, SchemaKind::Not { .. }),
        Some(ReferenceOr::Reference { .. }) => true,
    }
}

fn string_format(format: &str) -> Ty {
    match format {
        "date" => Ty::Date,
        "date-time" => Ty::DateTime,
        "uuid" => Ty::Uuid,
        "binary" => Ty::Binary,
        "byte" => Ty::Bytes,
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
