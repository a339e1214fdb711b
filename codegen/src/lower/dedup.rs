//! One type per meaning: inline schemas that are spelled several times, and the `X-Input` /
//! `X-Output` halves pydantic splits a model into when both halves are identical, become one type.
//!
//! Runs first among the passes, before usage marking: the merged type's directions, serde traits,
//! nullable-field modelling, recursion boxes and feature gates are then computed once, from the
//! union of its uses.
//!
//! Equality is structural and coinductive (the greatest fixpoint: recursive types compare equal
//! when they unfold the same way). It is computed by partition refinement: types start in classes
//! of equal labels (everything but the ids they refer to and their docs), then each round splits a
//! class whose members refer to different classes, until no class splits. Each round hashes (here:
//! orders) one signature per type, so the pass is linear in the IR's size per round, and the rounds
//! are bounded by the nesting depth.
//!
//! What merges: inline (anonymous) types with each other, never with a component; a component only
//! with its `-Input`/`-Output` twin. `Cat` and `Dog` with the same properties stay two types: the
//! spec's author named them apart.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::{Api, DefaultValue, Docs, Presence, Ty, TypeDef, TypeId, TypeKind};
use crate::naming::{self, Namespace};

/// Which group a type may merge within: inline types among themselves, the two halves of a pair
/// with each other, any other component with nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Inline,
    Pair(usize),
    Alone(usize),
}

/// Merges what is identical. `components` are the spec's component schemas (spec name, id).
/// Returns the ids (after the merge) of the aliases left under the names of merged pair halves,
/// each with the type it stands for.
pub fn run(api: &mut Api, components: &[(String, TypeId)]) -> Vec<(TypeId, TypeId)> {
    let n = api.types.len();
    let groups = groups(api, components);
    let classes = refine(api, &groups);

    // Members of each class that has several, in id order; classes ordered by first member.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, c) in classes.iter().enumerate() {
        members.entry(*c).or_default().push(i);
    }
    let mut merged: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
    if merged.is_empty() {
        return Vec::new();
    }
    merged.sort();

    let pair_stems: BTreeMap<usize, &str> = pair_stems(components);
    let mut names = Namespace::new();
    let mut freed = vec![false; n];
    for m in &merged {
        if groups[m[0]] == Group::Inline {
            m.iter().for_each(|&i| freed[i] = true);
        }
    }
    for (i, t) in api.types.iter().enumerate() {
        if !freed[i] {
            names.claim(t.name.clone());
        }
    }
    // Pair names were checked free of every type name before the merge.
    let mut new_names: Vec<String> = Vec::with_capacity(merged.len());
    let fallbacks: Vec<String> = merged
        .iter()
        .map(|m| {
            let mut cands: Vec<&str> = m.iter().map(|&i| api.types[i].name.as_str()).collect();
            cands.sort_by_key(|s| (s.len(), *s));
            cands[0].to_owned()
        })
        .collect();
    for (m, fallback) in merged.iter().zip(&fallbacks) {
        if groups[m[0]] == Group::Inline {
            names.claim(fallback.clone());
        }
    }
    for (m, fallback) in merged.iter().zip(&fallbacks) {
        match groups[m[0]] {
            Group::Pair(_) => {
                let stem = pair_stems.get(&m[0]).copied().unwrap_or_default();
                new_names.push(names.claim(naming::type_name(stem)));
            }
            _ => {
                let name = match common_name(m.iter().map(|&i| api.types[i].name.as_str())) {
                    Some(c) if c == *fallback => c,
                    Some(c) if !names.is_taken(&c) => {
                        names.release(fallback);
                        names.claim(c)
                    }
                    _ => fallback.clone(),
                };
                new_names.push(name);
            }
        }
    }

    // Old id -> new id, and the new arena in the old order (a merged type where its first member was).
    let mut map: Vec<Option<TypeId>> = vec![None; n];
    let mut class_of_member: BTreeMap<usize, usize> = BTreeMap::new();
    for (k, m) in merged.iter().enumerate() {
        m.iter().for_each(|&i| {
            class_of_member.insert(i, k);
        });
    }
    let old: Vec<Option<TypeDef>> = std::mem::take(&mut api.types).into_iter().map(Some).collect();
    let mut old = old;
    let mut types: Vec<TypeDef> = Vec::with_capacity(n);
    let mut aliases: Vec<(TypeId, usize)> = Vec::new();
    let mut merged_id: Vec<TypeId> = vec![TypeId(usize::MAX); merged.len()];
    for i in 0..n {
        let Some(&k) = class_of_member.get(&i) else {
            map[i] = Some(TypeId(types.len()));
            if let Some(t) = old[i].take() {
                types.push(t);
            }
            continue;
        };
        let m = &merged[k];
        let pair = matches!(groups[i], Group::Pair(_));
        if i == m[0] {
            let docs: Vec<&TypeDef> = m.iter().filter_map(|&j| old[j].as_ref()).collect();
            let mut def = merge_docs(&docs);
            def.name = new_names[k].clone();
            if pair && def.docs.title.as_deref() == pair_stems.get(&m[0]).copied() {
                def.docs.title = None;
            }
            merged_id[k] = TypeId(types.len());
            m.iter().for_each(|&j| map[j] = Some(merged_id[k]));
            types.push(def);
        }
        if pair {
            if let Some(half) = old[i].take() {
                let other = m
                    .iter()
                    .find(|&&j| j != i)
                    .map(|&j| spec_name(components, j))
                    .unwrap_or_default();
                aliases.push((TypeId(types.len()), k));
                types.push(TypeDef {
                    docs: Docs {
                        description: Some(format!(
                            "`{}` in the spec: the same schema as `{other}`, so both are [`{}`].",
                            spec_name(components, i),
                            new_names[k]
                        )),
                        ..Docs::default()
                    },
                    kind: TypeKind::Alias(Ty::Named(merged_id[k])),
                    ..half
                });
            }
        }
    }
    api.types = types;
    let map: Vec<TypeId> = map.into_iter().map(|t| t.unwrap_or(TypeId(usize::MAX))).collect();
    remap(api, &map);
    aliases.into_iter().map(|(a, k)| (a, merged_id[k])).collect()
}

fn spec_name(components: &[(String, TypeId)], id: usize) -> String {
    components
        .iter()
        .find(|(_, c)| c.0 == id)
        .map(|(name, _)| name.clone())
        .unwrap_or_default()
}

/// `X-Input` id -> stem `X`, for every component whose `X-Output` twin exists too.
fn pair_stems(components: &[(String, TypeId)]) -> BTreeMap<usize, &str> {
    let by_name: BTreeMap<&str, TypeId> = components.iter().map(|(n, id)| (n.as_str(), *id)).collect();
    let mut out = BTreeMap::new();
    for (name, id) in components {
        if let Some(stem) = name.strip_suffix("-Input") {
            if let Some(out_id) = by_name.get(format!("{stem}-Output").as_str()) {
                out.insert(id.0.min(out_id.0), stem);
            }
        }
    }
    out
}

fn groups(api: &Api, components: &[(String, TypeId)]) -> Vec<Group> {
    let mut groups = vec![Group::Inline; api.types.len()];
    for (_, id) in components {
        groups[id.0] = Group::Alone(id.0);
    }
    let by_name: BTreeMap<&str, TypeId> = components.iter().map(|(n, id)| (n.as_str(), *id)).collect();
    let rust_names: std::collections::BTreeSet<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    for (name, id) in components {
        let Some(stem) = name.strip_suffix("-Input") else {
            continue;
        };
        let Some(out_id) = by_name.get(format!("{stem}-Output").as_str()) else {
            continue;
        };
        // The merged type takes the stem's name, which must be nobody else's.
        if stem.is_empty() || rust_names.contains(naming::type_name(stem).as_str()) {
            continue;
        }
        let g = Group::Pair(id.0.min(out_id.0));
        groups[id.0] = g;
        groups[out_id.0] = g;
    }
    groups
}

/// The class of every type under the coarsest stable partition.
fn refine(api: &Api, groups: &[Group]) -> Vec<usize> {
    let n = api.types.len();
    let mut kids: Vec<Vec<TypeId>> = Vec::with_capacity(n);
    let mut initial: BTreeMap<(Group, String), usize> = BTreeMap::new();
    let mut classes: Vec<usize> = Vec::with_capacity(n);
    for (i, t) in api.types.iter().enumerate() {
        let mut label = String::new();
        let mut ids = Vec::new();
        // A type alone in its group keeps a class of its own: no label needed.
        if !matches!(groups[i], Group::Alone(_)) {
            label_kind(&t.kind, &mut label, &mut ids);
        }
        let next = initial.len();
        classes.push(*initial.entry((groups[i], label)).or_insert(next));
        kids.push(ids);
    }
    let mut count = initial.len();
    drop(initial);
    loop {
        let mut signatures: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
        let mut next_classes = Vec::with_capacity(n);
        for i in 0..n {
            let mut sig = Vec::with_capacity(kids[i].len() + 1);
            sig.push(classes[i]);
            sig.extend(kids[i].iter().map(|k| classes.get(k.0).copied().unwrap_or(usize::MAX)));
            let next = signatures.len();
            next_classes.push(*signatures.entry(sig).or_insert(next));
        }
        classes = next_classes;
        // Refinement only splits: an unchanged count means an unchanged partition.
        if signatures.len() == count {
            return classes;
        }
        count = signatures.len();
    }
}

/// Writes everything of `kind` that serde or the Rust API sees, except docs, with each type id
/// replaced by a placeholder and pushed onto `ids`.
fn label_kind(kind: &TypeKind, out: &mut String, ids: &mut Vec<TypeId>) {
    match kind {
        TypeKind::Struct(s) => {
            out.push_str("S{");
            for f in &s.fields {
                let _ = write!(out, "{:?}{:?}{}{}", f.name, f.wire_name, f.read_only, f.write_only);
                match &f.presence {
                    Presence::Defaulted(DefaultValue::Variant(id, v)) => {
                        let _ = write!(out, "DV{v:?}");
                        ids.push(*id);
                    }
                    p => {
                        let _ = write!(out, "{p:?}");
                    }
                }
                label_ty(&f.ty, out, ids);
                out.push(';');
            }
            out.push('}');
            if let Some(a) = &s.additional {
                out.push('+');
                label_ty(a, out, ids);
            }
        }
        TypeKind::Enum(e) => {
            let _ = write!(out, "E{:?}", e.repr);
            for v in &e.variants {
                let _ = write!(out, "{:?}{:?};", v.name, v.value);
            }
        }
        TypeKind::Union(u) => {
            let _ = write!(out, "U{:?}", u.tag);
            for v in &u.variants {
                let _ = write!(out, "{:?}{:?}{}", v.name, v.tag_values, v.injects_tag);
                label_ty(&v.ty, out, ids);
                out.push(';');
            }
        }
        TypeKind::Alias(t) => {
            out.push('A');
            label_ty(t, out, ids);
        }
    }
}

fn label_ty(ty: &Ty, out: &mut String, ids: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => {
            out.push('#');
            ids.push(*id);
        }
        Ty::Vec(t) => wrap(out, "V(", t, ids),
        Ty::Map(t) => wrap(out, "M(", t, ids),
        Ty::Option(t) => wrap(out, "O(", t, ids),
        Ty::Boxed(t) => wrap(out, "B(", t, ids),
        Ty::Tuple(items) => {
            out.push_str("T(");
            for t in items {
                label_ty(t, out, ids);
                out.push(',');
            }
            out.push(')');
        }
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

fn wrap(out: &mut String, open: &str, inner: &Ty, ids: &mut Vec<TypeId>) {
    out.push_str(open);
    label_ty(inner, out, ids);
    out.push(')');
}

/// The first member with the docs all members agree on (a part they disagree on is left out),
/// for the type and for each field and variant.
fn merge_docs(members: &[&TypeDef]) -> TypeDef {
    let mut def = members[0].clone();
    def.docs = agree(members.iter().map(|t| &t.docs));
    match &mut def.kind {
        TypeKind::Struct(s) => {
            for (j, f) in s.fields.iter_mut().enumerate() {
                f.docs = agree(members.iter().filter_map(|t| match &t.kind {
                    TypeKind::Struct(s) => s.fields.get(j).map(|f| &f.docs),
                    _ => None,
                }));
            }
        }
        TypeKind::Enum(e) => {
            for (j, v) in e.variants.iter_mut().enumerate() {
                v.docs = agree(members.iter().filter_map(|t| match &t.kind {
                    TypeKind::Enum(e) => e.variants.get(j).map(|v| &v.docs),
                    _ => None,
                }));
            }
        }
        TypeKind::Union(_) | TypeKind::Alias(_) => {}
    }
    def
}

fn agree<'d>(mut docs: impl Iterator<Item = &'d Docs>) -> Docs {
    let Some(first) = docs.next() else {
        return Docs::default();
    };
    let mut out = first.clone();
    for d in docs {
        if out.title != d.title {
            out.title = None;
        }
        if out.description != d.description {
            out.description = None;
        }
        if out.example != d.example {
            out.example = None;
            out.example_at = None;
        }
        out.deprecated &= d.deprecated;
    }
    out
}

/// The name of a merged inline type: the words its members' names share at the end, after the
/// words they share at the start (`TaskStatus`, `TaskCreateStatus`, `ListTasksStatus` -> `Status`;
/// `NodeInputShape`, `NodeOutputShape` -> `NodeShape`). The `VariantN` the generator puts in the
/// middle of a name for a union's members does not count (`PaymentWechatPayClient`,
/// `IntentWechatPayVariant0Client` -> `WechatPayClient`). `None` when the shared end says nothing
/// of the meaning: empty, or only words the generator adds itself (`Item`, `Value`, `Body`,
/// `Response`, `VariantN`, numbers).
fn common_name<'n>(names: impl Iterator<Item = &'n str>) -> Option<String> {
    let words: Vec<Vec<String>> = names.map(words).collect();
    let shortest = words.iter().map(Vec::len).min()?;
    let first = &words[0];
    let shared = |at: &dyn Fn(&Vec<String>, usize) -> &String, k: usize| words.iter().all(|w| at(w, k) == at(first, k));
    let suffix = (0..shortest)
        .take_while(|&k| shared(&|w, k| &w[w.len() - 1 - k], k))
        .count();
    let tail = &first[first.len() - suffix..];
    if !tail.iter().any(|w| !is_structural(w)) {
        return None;
    }
    let prefix = (0..shortest - suffix).take_while(|&k| shared(&|w, k| &w[k], k)).count();
    let kept: Vec<&str> = first[..prefix].iter().chain(tail).map(String::as_str).collect();
    Some(naming::type_name(&kept.join(" ")))
}

/// The lower-case words of a type name, without inner `VariantN`.
fn words(name: &str) -> Vec<String> {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let all: Vec<&str> = snake.split('_').collect();
    let last = all.len().saturating_sub(1);
    all.iter()
        .enumerate()
        .filter(|(i, w)| *i == last || !is_variant(w))
        .map(|(_, w)| (*w).to_owned())
        .collect()
}

fn is_variant(word: &str) -> bool {
    word.strip_prefix("variant")
        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

fn is_structural(word: &str) -> bool {
    matches!(word, "item" | "value" | "body" | "response")
        || is_variant(word)
        || word.chars().all(|c| c.is_ascii_digit())
}

fn remap_ty(ty: &mut Ty, map: &[TypeId]) {
    match ty {
        Ty::Named(id) => *id = map.get(id.0).copied().unwrap_or(*id),
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => remap_ty(t, map),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| remap_ty(t, map)),
        _ => {}
    }
}

/// Rewrites every type id of the IR through `map` (old id -> new id): the one place that knows
/// where ids live.
fn remap(api: &mut Api, map: &[TypeId]) {
    for t in &mut api.types {
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    remap_ty(&mut f.ty, map);
                    if let Presence::Defaulted(DefaultValue::Variant(id, _)) = &mut f.presence {
                        *id = map.get(id.0).copied().unwrap_or(*id);
                    }
                }
                if let Some(a) = &mut s.additional {
                    remap_ty(a, map);
                }
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| remap_ty(&mut v.ty, map)),
            TypeKind::Alias(ty) => remap_ty(ty, map),
            TypeKind::Enum(_) => {}
        }
    }
    for op in &mut api.operations {
        op.params.iter_mut().for_each(|p| remap_ty(&mut p.ty, map));
        if let Some(b) = &mut op.body {
            remap_ty(&mut b.ty, map);
        }
        for r in &mut op.responses {
            if let Some(b) = &mut r.body {
                remap_ty(&mut b.ty, map);
            }
            r.headers.iter_mut().for_each(|h| remap_ty(&mut h.ty, map));
        }
        for s in &mut op.streams {
            remap_ty(&mut s.item, map);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::common_name;

    #[test]
    fn names_of_merged_types() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (
                &["TaskStatus", "TaskCreateStatus", "ListTasksTasksGetStatus"],
                Some("Status"),
            ),
            (
                &["TaskStatus", "TaskCreateStatus", "TaskUpdateStatus"],
                Some("TaskStatus"),
            ),
            (&["NodeInputShape", "NodeOutputShape"], Some("NodeShape")),
            (&["OwnerPet", "AdoptionPet"], Some("Pet")),
            (&["OwnerResult", "AdoptionResult"], Some("ResultModel")),
            (&["ATagsItem", "BLabelsItem"], None),
            (&["ReposCreateBody", "GistsUpdateBody"], None),
            (&["GetCustomersResponse", "GetAccountsResponse"], None),
            (
                &["PaymentWechatPayClient", "IntentWechatPayVariant0Client"],
                Some("WechatPayClient"),
            ),
            (&["ABillingVariant0", "BBillingVariant0"], Some("BillingVariant0")),
            (&["FooBar", "BazQux"], None),
            (&["Shape0", "Form0"], None),
        ];
        for (names, expected) in cases {
            assert_eq!(common_name(names.iter().copied()).as_deref(), *expected, "{names:?}");
        }
    }
}
