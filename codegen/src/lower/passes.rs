//! Passes over the finished IR: merging identical types, usage marking, recursion boxing, alias
//! cycles, invariant checks.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostics, Error};
use crate::ir::{Api, DefaultValue, Presence, Ty, TypeId, TypeKind};

/// `components`: the spec's component schemas (spec name, id).
pub fn run(api: &mut Api, components: &[(String, TypeId)], diags: &mut Diagnostics) -> Result<(), Error> {
    // First: every later pass then sees one type per meaning, with the union of its uses.
    let split_aliases = super::dedup::run(api, components);
    super::files::run(api, diags);
    mark_request_types(api);
    mark_response_types(api);
    inherit_usage(api, &split_aliases);
    mark_serde_traits(api);
    loosen_response_nullables(api);
    break_alias_cycles(api, diags);
    break_recursive_aliases(api, diags);
    box_recursion(api);
    order_untagged(api);
    super::headers::views(api, diags);
    share_errors(api);
    super::client_params::find(api);
    super::features::assign(api, &split_aliases);
    super::examples::run(api, diags);
    check(api)
}

/// The aliases left under the names of merged `X-Input`/`X-Output` halves are used where their
/// type is: no direction (and so no serde trait) of their own.
fn inherit_usage(api: &mut Api, aliases: &[(TypeId, TypeId)]) {
    for &(alias, target) in aliases {
        let (req, resp) = (api.types[target.0].in_request, api.types[target.0].in_response);
        api.types[alias.0].in_request = req;
        api.types[alias.0].in_response = resp;
    }
}

pub(super) fn named_in(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => named_in(t, out),
        Ty::Tuple(items) => items.iter().for_each(|t| named_in(t, out)),
        _ => {}
    }
}

pub(super) fn children(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                named_in(&f.ty, &mut out);
            }
            if let Some(a) = &s.additional {
                named_in(a, &mut out);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| named_in(&v.ty, &mut out)),
        TypeKind::Alias(t) => named_in(t, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Marks `roots` and every type they contain with `flag`.
fn mark_reachable(api: &mut Api, mut stack: Vec<TypeId>, flag: fn(&mut crate::ir::TypeDef) -> &mut bool) {
    while let Some(id) = stack.pop() {
        let t = &mut api.types[id.0];
        let marked = flag(t);
        if *marked {
            continue;
        }
        *marked = true;
        stack.extend(children(&t.kind));
    }
}

fn mark_request_types(api: &mut Api) {
    let mut roots = Vec::new();
    for op in &api.operations {
        if let Some(b) = &op.body {
            named_in(&b.ty, &mut roots);
        }
        for p in &op.params {
            named_in(&p.ty, &mut roots);
        }
    }
    mark_reachable(api, roots, |t| &mut t.in_request);
}

fn mark_response_types(api: &mut Api) {
    let mut roots = Vec::new();
    for op in &api.operations {
        for r in &op.responses {
            if let Some(b) = &r.body {
                named_in(&b.ty, &mut roots);
            }
            r.headers.iter().for_each(|h| named_in(&h.ty, &mut roots));
        }
        for s in &op.streams {
            named_in(&s.item, &mut roots);
        }
    }
    // Default values given as JSON are decoded at run time.
    for t in &api.types {
        if let TypeKind::Struct(s) = &t.kind {
            for f in &s.fields {
                if matches!(f.presence, Presence::Defaulted(DefaultValue::Json(_))) {
                    named_in(&f.ty, &mut roots);
                }
            }
        }
    }
    mark_reachable(api, roots, |t| &mut t.in_response);
}

/// A type that is only sent needs `Serialize`, one only received `Deserialize`; a type used both
/// ways or neither (webhook payloads, unused components) both. A type needs what any type containing
/// it needs.
fn mark_serde_traits(api: &mut Api) {
    let mut ser: Vec<TypeId> = Vec::new();
    let mut de: Vec<TypeId> = Vec::new();
    for (i, t) in api.types.iter().enumerate() {
        if t.in_request || !t.in_response {
            ser.push(TypeId(i));
        }
        if t.in_response || !t.in_request {
            de.push(TypeId(i));
        }
    }
    mark_reachable(api, ser, |t| &mut t.serialize);
    mark_reachable(api, de, |t| &mut t.deserialize);
}

/// Only request types need the three states of an optional nullable field; response-only types read
/// absent and null the same way, which is easier to use.
fn loosen_response_nullables(api: &mut Api) {
    for t in &mut api.types {
        if t.in_request {
            continue;
        }
        if let TypeKind::Struct(s) = &mut t.kind {
            for f in &mut s.fields {
                if f.presence == Presence::OptionalNullable {
                    f.presence = Presence::OptionalNullableLoose;
                }
            }
        }
    }
}

/// `A = B`, `B = A` (possible through single-member `allOf`s) would not compile; the cycle becomes a JSON value.
fn break_alias_cycles(api: &mut Api, diags: &mut Diagnostics) {
    for start in 0..api.types.len() {
        let mut seen = BTreeSet::new();
        let mut cur = start;
        loop {
            if !seen.insert(cur) {
                if cur == start {
                    diags.approx(
                        crate::diag::Approx::JsonValue,
                        api.types[start].origin.clone(),
                        "this schema is defined only in terms of itself; using a JSON value",
                    );
                    api.types[start].kind = TypeKind::Alias(Ty::Any);
                }
                break;
            }
            match &api.types[cur].kind {
                TypeKind::Alias(Ty::Named(next)) => cur = next.0,
                TypeKind::Alias(Ty::Option(inner)) => match inner.as_ref() {
                    Ty::Named(next) => cur = next.0,
                    _ => break,
                },
                _ => break,
            }
        }
    }
}

/// Does following aliases only (through `Vec`, maps, `Option`, ...) from `from` lead to `target`?
fn alias_reaches(api: &Api, from: TypeId, target: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        if let TypeKind::Alias(t) = &api.types[id.0].kind {
            named_in(t, &mut stack);
        }
    }
    false
}

fn replace_named(ty: &mut Ty, replace: &dyn Fn(TypeId) -> bool) {
    match ty {
        Ty::Named(id) if replace(*id) => *ty = Ty::Any,
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => replace_named(t, replace),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| replace_named(t, replace)),
        _ => {}
    }
}

/// `A = Vec<A>` (an array schema whose items are itself, or a map of itself) would be a type alias
/// of infinite size, which Rust rejects. The inner reference becomes a JSON value.
fn break_recursive_aliases(api: &mut Api, diags: &mut Diagnostics) {
    for i in 0..api.types.len() {
        let me = TypeId(i);
        let TypeKind::Alias(body) = &api.types[i].kind else {
            continue;
        };
        let mut inner = Vec::new();
        named_in(body, &mut inner);
        let cyclic: BTreeSet<TypeId> = inner.into_iter().filter(|id| alias_reaches(api, *id, me)).collect();
        if cyclic.is_empty() {
            continue;
        }
        if let TypeKind::Alias(body) = &mut api.types[i].kind {
            replace_named(body, &|id| cyclic.contains(&id));
        }
        diags.approx(
            crate::diag::Approx::JsonValue,
            api.types[i].origin.clone(),
            "this schema contains itself only through arrays or maps; the inner values are JSON values",
        );
    }
}

/// Edges along which a type contains another by value (no `Vec`/`Map` indirection).
fn direct_edges(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Option(t) => direct_edges(t, out),
        Ty::Tuple(items) => items.iter().for_each(|t| direct_edges(t, out)),
        _ => {}
    }
}

fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| direct_edges(&f.ty, &mut out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| direct_edges(&v.ty, &mut out)),
        TypeKind::Alias(t) => direct_edges(t, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

fn reaches(api: &Api, from: TypeId, to: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if seen.insert(id) {
            stack.extend(direct_children(&api.types[id.0].kind));
        }
    }
    false
}

fn boxed(ty: &Ty) -> Ty {
    match ty {
        Ty::Option(inner) => Ty::Option(Box::new(boxed(inner))),
        other => Ty::Boxed(Box::new(other.clone())),
    }
}

/// Boxes exactly the by-value edges that close a cycle, so recursive types have a finite size.
fn box_recursion(api: &mut Api) {
    for i in 0..api.types.len() {
        let me = TypeId(i);
        let mut edits: Vec<usize> = Vec::new();
        let targets: Vec<(usize, TypeId)> = match &api.types[i].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .flat_map(|(j, f)| direct_targets(&f.ty).into_iter().map(move |t| (j, t)))
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .enumerate()
                .flat_map(|(j, v)| direct_targets(&v.ty).into_iter().map(move |t| (j, t)))
                .collect(),
            _ => Vec::new(),
        };
        for (j, target) in targets {
            if !edits.contains(&j) && reaches(api, target, me) {
                edits.push(j);
            }
        }
        match &mut api.types[i].kind {
            TypeKind::Struct(s) => edits.iter().for_each(|j| s.fields[*j].ty = boxed(&s.fields[*j].ty)),
            TypeKind::Union(u) => edits.iter().for_each(|j| u.variants[*j].ty = boxed(&u.variants[*j].ty)),
            _ => {}
        }
    }
}

fn direct_targets(ty: &Ty) -> Vec<TypeId> {
    let mut out = Vec::new();
    direct_edges(ty, &mut out);
    out
}

/// Untagged variants are tried in order and the first that accepts the value wins: narrower JSON
/// forms go first (integer before number before string), and among objects the ones with more
/// required properties, since serde ignores unknown keys and a struct with fewer required fields
/// would also accept the others' values.
fn order_untagged(api: &mut Api) {
    for i in 0..api.types.len() {
        let TypeKind::Union(u) = &api.types[i].kind else {
            continue;
        };
        if u.tag.is_some() {
            continue;
        }
        let mut keyed: Vec<((u8, i64, i64), usize)> = u
            .variants
            .iter()
            .enumerate()
            .map(|(j, v)| (untagged_rank(api, &v.ty, 0), j))
            .collect();
        keyed.sort();
        let order: Vec<usize> = keyed.into_iter().map(|(_, j)| j).collect();
        if let TypeKind::Union(u) = &mut api.types[i].kind {
            let old = std::mem::take(&mut u.variants);
            let mut slots: Vec<Option<_>> = old.into_iter().map(Some).collect();
            u.variants = order.iter().filter_map(|j| slots[*j].take()).collect();
        }
    }
}

/// `(JSON form, -required fields, -fields)`: smaller is tried first.
fn untagged_rank(api: &Api, ty: &Ty, depth: usize) -> (u8, i64, i64) {
    let form = |f: u8| (f, 0, 0);
    match ty {
        Ty::Unit => form(0),
        Ty::Bool => form(1),
        Ty::Int(_) => form(2),
        Ty::Float(_) => form(3),
        Ty::Uuid | Ty::DateTime | Ty::Date => form(4),
        Ty::String | Ty::Binary | Ty::Bytes | Ty::File => form(7),
        Ty::Tuple(_) => form(8),
        Ty::Vec(_) => form(9),
        Ty::Map(_) => form(11),
        Ty::Any => form(12),
        Ty::Option(inner) | Ty::Boxed(inner) => untagged_rank(api, inner, depth),
        Ty::Named(id) if depth < 8 => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => untagged_rank(api, inner, depth + 1),
            // A string enum before plain strings: it takes the values it knows, the rest as `Unknown`.
            TypeKind::Enum(_) => form(6),
            TypeKind::Struct(s) => {
                let required = s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
                    .count();
                (10, -(required as i64), -(s.fields.len() as i64))
            }
            TypeKind::Union(_) => form(5),
        },
        Ty::Named(_) => form(12),
    }
}

fn check(api: &Api) -> Result<(), Error> {
    let mut names = BTreeSet::new();
    for t in &api.types {
        if !names.insert(t.name.as_str()) {
            return Err(Error::Internal(format!("two types named `{}`", t.name)));
        }
        let mut ids = children(&t.kind);
        if let TypeKind::Struct(s) = &t.kind {
            ids.extend(s.fields.iter().filter_map(|f| match &f.presence {
                Presence::Defaulted(DefaultValue::Variant(id, _)) => Some(*id),
                _ => None,
            }));
        }
        for id in ids {
            if id.0 >= api.types.len() {
                return Err(Error::Internal(format!("type `{}` refers to a missing type", t.name)));
            }
        }
    }
    let mut fns = BTreeSet::new();
    for op in &api.operations {
        if !fns.insert(op.fn_name.as_str()) {
            return Err(Error::Internal(format!("two operations named `{}`", op.fn_name)));
        }
        let mut used = Vec::new();
        op.params.iter().for_each(|p| named_in(&p.ty, &mut used));
        for ty in op
            .body
            .iter()
            .map(|b| &b.ty)
            .chain(op.responses.iter().filter_map(|r| r.body.as_ref().map(|b| &b.ty)))
            .chain(op.responses.iter().flat_map(|r| r.headers.iter().map(|h| &h.ty)))
        {
            named_in(ty, &mut used);
        }
        for s in &op.streams {
            named_in(&s.item, &mut used);
        }
        if used.iter().any(|id| id.0 >= api.types.len()) {
            return Err(Error::Internal(format!(
                "operation `{}` refers to a missing type",
                op.fn_name
            )));
        }
    }
    Ok(())
}

/// Names of the generated `operations` module that a shared error enum must not take.
pub(super) const OPERATIONS_MODULE_NAMES: &[&str] = &[
    "ApiRequest",
    "Client",
    "Error",
    "RawResponse",
    "RequestOptions",
    "Response",
];

/// Operations whose documented errors are identical share one enum, named after its variants
/// (`ClientErrorOrServerError`, `NoDocumentedError` when none is documented). A name that is taken
/// or longer than 64 characters leaves the operations with enums of their own.
fn share_errors(api: &mut Api) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, op) in api.operations.iter().enumerate() {
        let errors: Vec<&crate::ir::Response> = op.responses.iter().filter(|r| !op.is_success(r)).collect();
        groups.entry(format!("{errors:?}")).or_default().push(i);
    }
    let mut taken: BTreeSet<String> = OPERATIONS_MODULE_NAMES.iter().map(|s| (*s).to_owned()).collect();
    for op in &api.operations {
        taken.extend([op.builder_name.clone(), op.error_name.clone(), op.success_name.clone()]);
    }
    for v in &api.header_views {
        taken.extend(v.success.iter().chain(&v.errors).map(|v| v.name.clone()));
    }
    // Named in the order of their first operation, so names never depend on the signature text.
    let mut ordered: Vec<Vec<usize>> = groups.into_values().filter(|ops| ops.len() > 1).collect();
    ordered.sort_by_key(|ops| ops[0]);
    for ops in ordered {
        let op = &api.operations[ops[0]];
        let variants: Vec<&str> = op
            .responses
            .iter()
            .filter(|r| !op.is_success(r))
            .map(|r| r.variant.trim_start_matches("r#"))
            .collect();
        let mut name = if variants.is_empty() {
            "NoDocumentedError".to_owned()
        } else {
            variants.join("Or")
        };
        if !name.ends_with("Error") {
            name.push_str("Error");
        }
        if name.len() > 64 || taken.contains(&name) {
            continue;
        }
        // The first operation's error headers view, under the shared enum's name.
        let view_name = format!("{name}Headers");
        let has_view = api.header_views_of(ops[0]).is_some_and(|v| v.errors.is_some());
        if has_view && !taken.insert(view_name.clone()) {
            continue;
        }
        taken.insert(name.clone());
        for &i in &ops {
            api.operations[i].shared_error = Some(api.shared_errors.len());
            if let Ok(j) = api.header_views.binary_search_by_key(&i, |v| v.op) {
                if let Some(v) = &mut api.header_views[j].errors {
                    v.name.clone_from(&view_name);
                }
            }
        }
        api.shared_errors.push(crate::ir::SharedError { name, ops });
    }
}
