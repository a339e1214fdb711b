//! Validation keywords (`minimum`, `maxLength`, `pattern`, `uniqueItems`, ...) -> `ir::Constraints`.
//!
//! The generated types enforce none of them (a server does), so each one is documented where the
//! value is set (fields, parameters, aliases) and noted once, by the keyword's pointer, for the
//! "lost in translation" report.

use openapiv3::{NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use crate::diag::{join, Approx, Diagnostics};
use crate::ir::{Api, Bound, Constraints, Ty, TypeKind};

/// How deep single-member wrappers, array items and alias chains are followed.
const MAX_DEPTH: usize = 16;

/// String formats the Rust type already says (`chrono`, `uuid`, bytes).
const TYPED_STRING_FORMATS: &[&str] = &["date", "date-time", "uuid", "binary", "byte"];
/// Integer formats that pick the Rust integer type.
const TYPED_INT_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "uint",
];

/// The keywords of this schema itself (not of what it wraps or contains).
pub(super) fn own(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    let len = |v: Option<usize>| v.map(|v| v as u64);
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            c.pattern.clone_from(&t.pattern);
            c.min_length = len(t.min_length);
            c.max_length = len(t.max_length);
            c.format = match &t.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password".to_owned()),
                VariantOrUnknownOrEmpty::Unknown(f) => untyped(f, TYPED_STRING_FORMATS),
                _ => None,
            };
        }
        SchemaKind::Type(Type::Integer(t)) => {
            let int = |v: i64| v.to_string();
            c.minimum = bound(t.minimum.map(int), t.exclusive_minimum);
            c.maximum = bound(t.maximum.map(int), t.exclusive_maximum);
            c.multiple_of = t.multiple_of.map(int);
            c.format = match &t.format {
                VariantOrUnknownOrEmpty::Unknown(f) => untyped(f, TYPED_INT_FORMATS),
                _ => None,
            };
        }
        SchemaKind::Type(Type::Number(t)) => {
            c.minimum = bound(t.minimum.map(number), t.exclusive_minimum);
            c.maximum = bound(t.maximum.map(number), t.exclusive_maximum);
            c.multiple_of = t.multiple_of.map(number);
            c.format = match &t.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float | NumberFormat::Double) => None,
                VariantOrUnknownOrEmpty::Unknown(f) => untyped(f, &[]),
                VariantOrUnknownOrEmpty::Empty => None,
            };
        }
        SchemaKind::Type(Type::Array(t)) => {
            c.min_items = len(t.min_items);
            c.max_items = len(t.max_items);
            c.unique_items = t.unique_items;
        }
        SchemaKind::Type(Type::Object(t)) => {
            c.min_properties = len(t.min_properties);
            c.max_properties = len(t.max_properties);
        }
        SchemaKind::Any(a) => {
            c.pattern.clone_from(&a.pattern);
            c.min_length = len(a.min_length);
            c.max_length = len(a.max_length);
            c.minimum = bound(a.minimum.map(number), a.exclusive_minimum == Some(true));
            c.maximum = bound(a.maximum.map(number), a.exclusive_maximum == Some(true));
            c.multiple_of = a.multiple_of.map(number);
            c.min_items = len(a.min_items);
            c.max_items = len(a.max_items);
            c.unique_items = a.unique_items == Some(true);
            c.min_properties = len(a.min_properties);
            c.max_properties = len(a.max_properties);
            // Such a schema lowers to `f64` for numbers and `i64` unless the format picks another.
            let typed: &[&str] = match a.typ.as_deref() {
                Some("string") => TYPED_STRING_FORMATS,
                Some("integer") => TYPED_INT_FORMATS,
                Some("number") => &["double"],
                _ => &[],
            };
            c.format = a.format.as_deref().and_then(|f| untyped(f, typed));
        }
        SchemaKind::Type(Type::Boolean(_)) | SchemaKind::OneOf { .. } | SchemaKind::AllOf { .. } => {}
        SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {}
    }
    c
}

/// What a field or parameter of this schema is documented with: its own keywords, those of the one
/// schema it wraps (`anyOf: [X, null]`, `allOf: [X]`), and its array items'. What comes through a
/// `$ref` is added by [`inherit`], once every alias is known.
pub(super) fn of_schema(schema: &Schema) -> Option<Box<Constraints>> {
    of_schema_within(schema, MAX_DEPTH)
}

fn of_schema_within(schema: &Schema, depth: usize) -> Option<Box<Constraints>> {
    let depth = depth.checked_sub(1)?;
    let mut c = own(schema);
    let (wrapped, items) = match &schema.schema_kind {
        SchemaKind::AllOf { all_of: l } | SchemaKind::AnyOf { any_of: l } | SchemaKind::OneOf { one_of: l } => {
            (single(l), None)
        }
        SchemaKind::Any(a) if a.properties.is_empty() => {
            let lists = [&a.all_of, &a.any_of, &a.one_of];
            let wrapped = match lists.iter().map(|l| l.len()).sum::<usize>() {
                1 => lists.iter().find_map(|l| single(l)),
                _ => None,
            };
            (wrapped, a.items.as_ref())
        }
        SchemaKind::Type(Type::Array(t)) => (None, t.items.as_ref()),
        _ => (None, None),
    };
    if let Some(inner) = wrapped.and_then(|s| of_schema_within(s, depth)) {
        merge(&mut c, &inner);
    }
    if let Some(ReferenceOr::Item(item)) = items {
        let inner = of_schema_within(item, depth);
        match (&mut c.items, inner) {
            (Some(mine), Some(inner)) => merge(mine, &inner),
            (mine @ None, inner) => *mine = inner,
            (Some(_), None) => {}
        }
    }
    (!c.is_empty()).then(|| Box::new(c))
}

fn single(list: &[ReferenceOr<Schema>]) -> Option<&Schema> {
    match list {
        [ReferenceOr::Item(s)] => Some(s),
        _ => None,
    }
}

/// One note per keyword the generated type does not enforce, at the keyword's pointer.
pub(super) fn note(diags: &mut Diagnostics, schema: &Schema, pointer: &str) {
    let c = own(schema);
    if c.is_empty() {
        return;
    }
    let mut add = |keyword: &str, shown: String| {
        diags.note(
            Approx::DroppedConstraint,
            join(pointer, keyword),
            format!("not enforced by the generated type: `{shown}`"),
        );
    };
    for (b, inclusive, exclusive) in [
        (&c.minimum, "minimum", "exclusiveMinimum"),
        (&c.maximum, "maximum", "exclusiveMaximum"),
    ] {
        if let Some(b) = b {
            // 3.1's numeric form was rewritten into 3.0's; `exclusive...` is in the text either way.
            let keyword = if b.exclusive { exclusive } else { inclusive };
            add(keyword, format!("{keyword}: {}", b.value));
        }
    }
    let counts = [
        ("multipleOf", c.multiple_of.clone()),
        ("minLength", c.min_length.map(|v| v.to_string())),
        ("maxLength", c.max_length.map(|v| v.to_string())),
        ("minItems", c.min_items.map(|v| v.to_string())),
        ("maxItems", c.max_items.map(|v| v.to_string())),
        ("minProperties", c.min_properties.map(|v| v.to_string())),
        ("maxProperties", c.max_properties.map(|v| v.to_string())),
        ("format", c.format.clone()),
    ];
    for (keyword, value) in counts {
        if let Some(v) = value {
            add(keyword, format!("{keyword}: {v}"));
        }
    }
    if c.pattern.is_some() {
        add("pattern", "pattern".to_owned());
    }
    if c.unique_items {
        add("uniqueItems", "uniqueItems".to_owned());
    }
}

/// Adds what fields, parameters and aliases get through aliases (`$ref` to a constrained
/// component, also as array items): a keyword of the value's own schema wins over the alias's.
pub(super) fn inherit(api: &mut Api) {
    let aliases: Vec<Option<(Ty, Option<Box<Constraints>>)>> = api
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Alias(inner) => Some((inner.clone(), t.constraints.clone())),
            _ => None,
        })
        .collect();
    for t in &mut api.types {
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.constraints = through_aliases(&aliases, &f.ty, f.constraints.take(), MAX_DEPTH);
                }
            }
            TypeKind::Alias(inner) => {
                t.constraints = through_aliases(&aliases, inner, t.constraints.take(), MAX_DEPTH);
            }
            TypeKind::Enum(_) | TypeKind::Union(_) => {}
        }
    }
    for op in &mut api.operations {
        for p in &mut op.params {
            p.constraints = through_aliases(&aliases, &p.ty, p.constraints.take(), MAX_DEPTH);
        }
    }
}

type Aliases = [Option<(Ty, Option<Box<Constraints>>)>];

fn through_aliases(
    aliases: &Aliases,
    ty: &Ty,
    own: Option<Box<Constraints>>,
    depth: usize,
) -> Option<Box<Constraints>> {
    let Some(depth) = depth.checked_sub(1) else {
        return own;
    };
    let mut c = own.map(|b| *b).unwrap_or_default();
    let mut cur = ty;
    // Bounded: an alias can (through unions lowered to aliases) name itself.
    for _ in 0..MAX_DEPTH {
        match cur {
            Ty::Option(t) | Ty::Boxed(t) => cur = t,
            Ty::Named(id) => match aliases.get(id.0).and_then(Option::as_ref) {
                Some((inner, from)) => {
                    if let Some(from) = from {
                        merge(&mut c, from);
                    }
                    cur = inner;
                }
                None => break,
            },
            _ => break,
        }
    }
    if let Ty::Vec(item) = cur {
        c.items = through_aliases(aliases, item, c.items.take(), depth);
    }
    (!c.is_empty()).then(|| Box::new(c))
}

/// Fills the keywords `into` lacks from `from`.
fn merge(into: &mut Constraints, from: &Constraints) {
    fn fill<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
        if a.is_none() {
            a.clone_from(b);
        }
    }
    fill(&mut into.minimum, &from.minimum);
    fill(&mut into.maximum, &from.maximum);
    fill(&mut into.multiple_of, &from.multiple_of);
    fill(&mut into.min_length, &from.min_length);
    fill(&mut into.max_length, &from.max_length);
    fill(&mut into.pattern, &from.pattern);
    fill(&mut into.format, &from.format);
    fill(&mut into.min_items, &from.min_items);
    fill(&mut into.max_items, &from.max_items);
    into.unique_items |= from.unique_items;
    fill(&mut into.min_properties, &from.min_properties);
    fill(&mut into.max_properties, &from.max_properties);
    match (&mut into.items, &from.items) {
        (Some(a), Some(b)) => merge(a, b),
        (a @ None, b) => a.clone_from(b),
        (Some(_), None) => {}
    }
}

fn bound(value: Option<String>, exclusive: bool) -> Option<Bound> {
    value.map(|value| Bound { value, exclusive })
}

/// A format the Rust type does not say; `typed` are the ones it does.
fn untyped(format: &str, typed: &[&str]) -> Option<String> {
    (!format.is_empty() && !typed.contains(&format)).then(|| format.to_owned())
}

/// A number as a reader writes it: `256`, `0.5`, `1e-9`.
fn number(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-6..1e16).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(256.0), "256");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-3.25), "-3.25");
        assert_eq!(number(1e-9), "1e-9");
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(0.0), "0");
    }
}
