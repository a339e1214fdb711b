//! Cargo features per operation tag (see `ir::TagFeatures`): which feature compiles which
//! operation, shared error enum and type.

use std::collections::BTreeMap;

use super::passes::{children, named_in};
use crate::ir::{Api, Feature, Gate, TagFeatures, TypeId};
use crate::naming;

/// Fills in `api.tag_features` when the operations carry at least two distinct feature names.
/// `aliases` (alias, type): aliases no operation names that stand for a type that operations use;
/// they are compiled with it.
pub fn assign(api: &mut Api, aliases: &[(TypeId, TypeId)]) {
    // Feature name -> the tags spelling it, in first-seen order.
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &api.operations {
        for tag in &op.tags {
            let tags = by_name.entry(naming::feature(tag)).or_default();
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
    }
    if by_name.len() < 2 {
        api.tag_features = None;
        return;
    }
    let index: BTreeMap<&str, usize> = by_name.keys().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let operations: Vec<Gate> = api
        .operations
        .iter()
        .map(|op| {
            let mut gate: Gate = op.tags.iter().map(|t| index[naming::feature(t).as_str()]).collect();
            gate.sort_unstable();
            gate.dedup();
            gate
        })
        .collect();
    let mut features: Vec<Feature> = by_name
        .into_iter()
        .map(|(name, tags)| Feature {
            name,
            tags,
            operations: 0,
        })
        .collect();
    for gate in &operations {
        for &f in gate {
            features[f].operations += 1;
        }
    }

    // A type is needed by the features of every operation that uses it, directly or through other
    // types. `None`: not reached yet; `Some(empty)`: always compiled.
    let mut types: Vec<Option<Gate>> = vec![None; api.types.len()];
    for (op, gate) in api.operations.iter().zip(&operations) {
        let mut roots = Vec::new();
        for p in &op.params {
            named_in(&p.ty, &mut roots);
        }
        if let Some(b) = &op.body {
            named_in(&b.ty, &mut roots);
        }
        for r in &op.responses {
            if let Some(b) = &r.body {
                named_in(&b.ty, &mut roots);
            }
            r.headers.iter().for_each(|h| named_in(&h.ty, &mut roots));
        }
        for s in &op.streams {
            named_in(&s.item, &mut roots);
        }
        spread(api, &mut types, roots, gate);
    }
    for &(alias, target) in aliases {
        if types[alias.0].is_none() {
            types[alias.0] = types[target.0].clone();
        }
    }
    // Types no operation uses are part of the API's model: always compiled, with what they contain.
    let unused: Vec<TypeId> = (0..types.len()).filter(|&i| types[i].is_none()).map(TypeId).collect();
    spread(api, &mut types, unused, &Gate::new());
    let types: Vec<Gate> = types.into_iter().map(Option::unwrap_or_default).collect();

    let shared_errors = api
        .shared_errors
        .iter()
        .map(|group| {
            let gates: Vec<&Gate> = group.ops.iter().map(|&i| &operations[i]).collect();
            union(&gates)
        })
        .collect();
    api.tag_features = Some(TagFeatures {
        features,
        operations,
        types,
        shared_errors,
    });
}

/// Adds `gate` to the gates of `roots` and of every type they contain (an empty gate, "always",
/// absorbs any other). Stops where nothing changes, so cycles end.
fn spread(api: &Api, types: &mut [Option<Gate>], mut stack: Vec<TypeId>, gate: &Gate) {
    while let Some(id) = stack.pop() {
        let merged = match &types[id.0] {
            None => gate.clone(),
            Some(old) => {
                let merged = union(&[old, gate]);
                if merged == *old {
                    continue;
                }
                merged
            }
        };
        types[id.0] = Some(merged);
        stack.extend(children(&api.types[id.0].kind));
    }
}

/// The gate enabled by any of `gates`: empty (always) if one of them is.
pub(crate) fn union(gates: &[&Gate]) -> Gate {
    if gates.iter().any(|g| g.is_empty()) {
        return Gate::new();
    }
    let mut out: Gate = gates.iter().flat_map(|g| g.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    out
}
