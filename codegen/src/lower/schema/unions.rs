//! `oneOf`/`anyOf` -> IR unions: untagged, or tagged by a `discriminator` or by `const` properties.

use openapiv3::{Discriminator, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::{ObjectParts, Slot};
use crate::diag::{join, Approx};
use crate::ir::{Docs, Ty, TypeKind, UnionDef, UnionVariant};
use crate::lower::{component_schema, Lowerer};
use crate::naming::{self, Namespace};

/// The tag property of a union and where it comes from.
enum Tagging<'d> {
    Discriminator(&'d Discriminator),
    /// Every variant has this property with a single (`const`) string value.
    Const(String),
}

impl<'d> Tagging<'d> {
    fn property(&self) -> &str {
        match self {
            Tagging::Discriminator(d) => &d.property_name,
            Tagging::Const(p) => p,
        }
    }
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_union<'s>(
        &mut self,
        key: &str,
        list: &'s [ReferenceOr<Schema>],
        discriminator: Option<&'s Discriminator>,
        slot: Slot,
        pointer: &str,
        docs: Docs,
    ) -> Ty
    where
        'a: 's,
    {
        match list.len() {
            0 => return Ty::Any,
            1 => {
                let ty = self.lower_schema(&list[0], slot.clone(), &join(&join(pointer, key), "0"));
                return self.alias_if_reserved(slot, pointer, docs, ty);
            }
            _ => {}
        }
        let mut tagging = match discriminator {
            Some(d) => Some(Tagging::Discriminator(d)),
            None => match inherited_discriminator(self.spec, list) {
                Some(d) => Some(Tagging::Discriminator(d)),
                None if key == "oneOf" => self.const_tag_property(list, pointer).map(Tagging::Const),
                None => None,
            },
        };
        let base = self.hint_of(&slot);
        let mut ns = if tagging.is_some() {
            Namespace::with_reserved(&["Unknown"])
        } else {
            Namespace::new()
        };
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut any_nullable = false;
        for (i, member) in list.iter().enumerate() {
            let p = join(&join(pointer, key), &i.to_string());
            let (tag_values, injects_tag) = match &tagging {
                Some(t) => self.tag_values(t, member, &p),
                None => (Vec::new(), false),
            };
            // An inline variant of a tagged union is named after its tag value (`Shape` + `circle`);
            // of an untagged one after its only property or value (serde's externally tagged
            // enums: `"raw"` and `{"painted": {..}}` give `Raw` and `Painted`).
            let tag_name = match (member, tag_values.first()) {
                (ReferenceOr::Item(_), Some(value)) => Some(naming::camel(value)),
                (ReferenceOr::Item(schema), None) if tagging.is_none() => sole_name(schema),
                _ => None,
            };
            let hint = match &tag_name {
                Some(t) => format!("{base} {t}"),
                None => format!("{base} Variant{i}"),
            };
            let ty = self.lower_schema(member, Slot::Hint(hint), &p);
            let (ty, nullable) = ty.split_option();
            any_nullable |= nullable;
            if let Some(existing) = variants.iter_mut().find(|v| v.ty == ty) {
                existing.tag_values.extend(tag_values);
                continue;
            }
            if tagging.is_some() && tag_values.is_empty() {
                self.diags.approx(
                    Approx::Simplified,
                    &p,
                    format!(
                        "no value of the tag property `{}` selects this variant; the union is decoded untagged",
                        tagging.as_ref().map(Tagging::property).unwrap_or_default()
                    ),
                );
                tagging = None;
            }
            let name = ns.claim(tag_name.unwrap_or_else(|| self.variant_name(&ty)));
            variants.push(UnionVariant {
                name,
                ty,
                tag_values,
                injects_tag,
            });
        }
        let tag = tagging.map(|t| t.property().to_owned());
        if tag.is_some() {
            let mut seen = std::collections::BTreeSet::new();
            let shared: std::collections::BTreeSet<&String> = variants
                .iter()
                .flat_map(|v| &v.tag_values)
                .filter(|value| !seen.insert(*value))
                .collect();
            for value in shared {
                self.diags.approx(
                    Approx::Simplified,
                    join(pointer, key),
                    format!("the tag value `{value}` selects several variants; they are tried in order"),
                );
            }
        }
        if tag.is_none() {
            for v in &mut variants {
                v.tag_values.clear();
                v.injects_tag = false;
            }
        }
        let ty = if variants.len() == 1 && tag.is_none() {
            let only = variants.remove(0).ty;
            self.alias_if_reserved(slot, pointer, docs, only)
        } else {
            // Untagged variants are put in the order serde should try them by `passes::order_untagged`,
            // once every variant's type is known.
            self.define(slot, pointer, docs, TypeKind::Union(UnionDef { variants, tag }))
        };
        if any_nullable {
            ty.option()
        } else {
            ty
        }
    }

    /// The tag values that select `member`, and whether its type lacks the tag property.
    fn tag_values(
        &mut self,
        tagging: &Tagging<'_>,
        member: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> (Vec<String>, bool) {
        let property = tagging.property();
        let mut parts = ObjectParts::default();
        self.collect_part(member, pointer, &mut parts, 0);
        let declared = parts.properties.get(property).map(|(s, _)| *s);
        let constant = declared.and_then(|s| self.single_string(s, 0));
        let mut values = Vec::new();
        if let Tagging::Discriminator(d) = tagging {
            if let ReferenceOr::Reference { reference } = member {
                values.extend(
                    d.mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || format!("#/components/schemas/{target}") == *reference
                        })
                        .map(|(value, _)| value.clone()),
                );
                // Without a mapping entry the tag value is the component's name.
                if values.is_empty() && constant.is_none() {
                    if let Some((name, _)) = component_schema(self.spec, reference) {
                        values.push(name.to_owned());
                    }
                }
            }
        }
        if values.is_empty() {
            values.extend(constant);
        }
        (values, declared.is_none())
    }

    /// For a `oneOf` without a discriminator: a property that every variant declares with one string
    /// value (3.1 `const`), the values all different. The first such property of the first variant.
    fn const_tag_property(&mut self, list: &[ReferenceOr<Schema>], pointer: &str) -> Option<String> {
        let mut per_member = Vec::new();
        for (i, member) in list.iter().enumerate() {
            let mut parts = ObjectParts::default();
            let p = join(&join(pointer, "oneOf"), &i.to_string());
            self.collect_part(member, &p, &mut parts, 0);
            let consts: Vec<(String, String)> = parts
                .properties
                .iter()
                .filter(|(name, _)| parts.required.contains(*name))
                .filter_map(|(name, (s, _))| self.single_string(s, 0).map(|v| (name.clone(), v)))
                .collect();
            per_member.push(consts);
        }
        let first = per_member.first()?;
        first.iter().map(|(name, _)| name.clone()).find(|name| {
            let mut values = std::collections::BTreeSet::new();
            per_member
                .iter()
                .all(|consts| consts.iter().any(|(n, v)| n == name && values.insert(v.clone())))
        })
    }

    /// The one value of a string schema with a single-value `enum` (or `const`), following `$ref`s and
    /// single-member `allOf`s.
    fn single_string(&self, s: &ReferenceOr<Box<Schema>>, depth: usize) -> Option<String> {
        if depth > 16 {
            return None;
        }
        let schema: &Schema = match s {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => match component_schema(self.spec, reference)? {
                (_, ReferenceOr::Item(s)) => s,
                (_, ReferenceOr::Reference { .. }) => return None,
            },
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(st)) => match st.enumeration.as_slice() {
                [Some(only)] => Some(only.clone()),
                _ => None,
            },
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let boxed = match &all_of[0] {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                        reference: reference.clone(),
                    },
                    ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s.clone())),
                };
                self.single_string(&boxed, depth + 1)
            }
            _ => None,
        }
    }

    pub(super) fn variant_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::Bool => "Boolean".into(),
            Ty::Int(_) => "Integer".into(),
            Ty::Float(_) => "Number".into(),
            Ty::String => "String".into(),
            Ty::Date => "Date".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Uuid => "Uuid".into(),
            Ty::Binary | Ty::Bytes | Ty::File => "Bytes".into(),
            Ty::Any => "Value".into(),
            Ty::Unit => "Null".into(),
            Ty::Named(id) => self.name_of(*id),
            Ty::Vec(inner) => format!("{}List", self.variant_name(inner)),
            Ty::Map(inner) => format!("{}Map", self.variant_name(inner)),
            Ty::Tuple(_) => "Tuple".into(),
            Ty::Option(inner) | Ty::Boxed(inner) => self.variant_name(inner),
        }
    }
}

/// The name an untagged inline variant carries in its shape: the property of an object whose only
/// property is required, or the value of a one-value string enum.
fn sole_name(schema: &Schema) -> Option<String> {
    let name = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => match (o.properties.len(), o.required.as_slice()) {
            (1, [required]) if o.properties.contains_key(required) => required.as_str(),
            _ => return None,
        },
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => value.as_str(),
            _ => return None,
        },
        _ => return None,
    };
    let name = naming::camel(name);
    (!name.is_empty()).then_some(name)
}

/// A union without a discriminator of its own whose variants all extend (through `allOf`) the same
/// component, which has one: the OpenAPI polymorphism pattern (`Pet` with `discriminator`, `Cat` and
/// `Dog` as `allOf: [Pet, ..]`). The parent's discriminator tags the union; without a mapping the tag
/// value is the variant's component name.
fn inherited_discriminator<'s>(spec: &'s OpenAPI, list: &[ReferenceOr<Schema>]) -> Option<&'s Discriminator> {
    let mut found: Option<(&str, &'s Discriminator)> = None;
    for member in list {
        let ReferenceOr::Reference { reference } = member else {
            return None;
        };
        let (_, ReferenceOr::Item(schema)) = component_schema(spec, reference)? else {
            return None;
        };
        let parts = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) => &any.all_of,
            _ => return None,
        };
        let parent = parts.iter().find_map(|part| {
            let ReferenceOr::Reference { reference } = part else {
                return None;
            };
            match component_schema(spec, reference)? {
                (_, ReferenceOr::Item(p)) => p.schema_data.discriminator.as_ref().map(|d| (reference.as_str(), d)),
                _ => None,
            }
        })?;
        match found {
            Some((seen, _)) if seen != parent.0 => return None,
            _ => found = Some(parent),
        }
    }
    found.map(|(_, d)| d)
}
