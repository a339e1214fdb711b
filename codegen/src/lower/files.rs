//! Binary properties of multipart bodies become the runtime's `FilePart` (`Ty::File`), so that
//! each file carries its own file name and content type.
//!
//! Only the schema of a multipart body that nothing else uses changes: a type that is also a JSON
//! body, a response or a property of another type keeps `Vec<u8>` there (with a warning), and its
//! files go out with the default name and type.

use std::collections::BTreeSet;

use super::passes::{children, named_in};
use crate::diag::{join, Diagnostics};
use crate::ir::{Api, BodyKind, Ty, TypeId, TypeKind};

pub(super) fn run(api: &mut Api, diags: &mut Diagnostics) {
    let used = used_elsewhere(api);
    let mut rewrite: Vec<(TypeId, Vec<String>)> = Vec::new();
    for op in &api.operations {
        let Some(body) = op
            .body
            .as_ref()
            .filter(|b| b.kind == BodyKind::Multipart && !b.files.is_empty())
        else {
            continue;
        };
        let Ty::Named(id) = super::resolve_alias(api, &body.ty) else {
            continue;
        };
        if used.contains(id) {
            diags.warn(
                join(&op.origin, "requestBody"),
                format!(
                    "the schema of this multipart body (`{}`) is used outside multipart bodies too, so its binary \
                     properties stay `Vec<u8>`: each file is sent with the property name as file name and the \
                     default content type",
                    api.types[id.0].name
                ),
            );
            continue;
        }
        rewrite.push((*id, body.files.iter().map(|f| f.wire_name.clone()).collect()));
    }
    for (id, wires) in rewrite {
        if let TypeKind::Struct(s) = &mut api.types[id.0].kind {
            for f in s.fields.iter_mut().filter(|f| wires.contains(&f.wire_name)) {
                to_file(&mut f.ty);
            }
        }
    }
}

/// `Binary` -> `File`, through `Vec`, `Option` and `Box`.
fn to_file(ty: &mut Ty) {
    match ty {
        Ty::Binary => *ty = Ty::File,
        Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => to_file(t),
        _ => {}
    }
}

/// The types something other than a multipart body names: parameters, other bodies, responses,
/// events, and the members of other types (an alias passes on what uses it).
fn used_elsewhere(api: &Api) -> BTreeSet<TypeId> {
    let mut roots = Vec::new();
    for op in &api.operations {
        if let Some(b) = op.body.as_ref().filter(|b| b.kind != BodyKind::Multipart) {
            named_in(&b.ty, &mut roots);
        }
        for p in &op.params {
            named_in(&p.ty, &mut roots);
        }
        for r in &op.responses {
            if let Some(b) = &r.body {
                named_in(&b.ty, &mut roots);
            }
        }
        for s in &op.streams {
            named_in(&s.item, &mut roots);
        }
    }
    for t in &api.types {
        if !matches!(t.kind, TypeKind::Alias(_)) {
            roots.extend(children(&t.kind));
        }
    }
    let mut used = BTreeSet::new();
    while let Some(id) = roots.pop() {
        if used.insert(id) {
            if let TypeKind::Alias(target) = &api.types[id.0].kind {
                named_in(target, &mut roots);
            }
        }
    }
    used
}
