//! Parameters common to (nearly) all operations (`ir::ClientParam`): a header or query parameter
//! that at least 80% of the operations and at least two declare, always with the same wire name
//! (headers: ignoring case), location, type, style and explode, and never required; in an API of
//! one operation, its optional headers (the optional query parameters of a single operation are
//! that call's own arguments, such as `limit`, rather than a setting of the client). The
//! `ClientBuilder` gets a typed setter for a default value that those operations send when a call
//! sets none (Modbox's `x-workspace-id`).
//!
//! A parameter that some operation requires is left alone: its default would not reach the
//! operations that need it most, since a required parameter is an argument of the call. Reserved
//! headers (`Authorization`, ...) never reach the IR as parameters, so they cannot become defaults;
//! other credential-like ones (`X-API-Key`) do, and the runtime never prints their values.

use std::collections::BTreeMap;

use crate::ir::{Api, ClientParam, ParamLocation};
use crate::naming::{self, Namespace};

/// Methods of `ClientBuilder` (and trait methods that an inherent method would shadow) that a
/// setter must not take.
const BUILDER_METHODS: &[&str] = &[
    "api_key",
    "base_url",
    "basic_auth",
    "bearer_token",
    "borrow",
    "build",
    "clone",
    "connect_timeout",
    "default",
    "default_header",
    "fmt",
    "from",
    "http_client",
    "into",
    "max_retries",
    "new",
    "param_default",
    "retry_policy",
    "timeout",
    "try_from",
    "try_into",
    "type_id",
    "user_agent",
];

/// Share of the operations (in percent) that must declare a parameter, when not all do.
const MIN_SHARE_PERCENT: usize = 80;

pub fn find(api: &mut Api) {
    let total = api.operations.len();
    // (location, name as compared) -> (operation, parameter) of each declaration, in spec order.
    let mut seen: BTreeMap<(u8, String), Vec<(usize, usize)>> = BTreeMap::new();
    for (i, op) in api.operations.iter().enumerate() {
        for (j, p) in op.params.iter().enumerate() {
            let key = match p.location {
                ParamLocation::Header => (0, p.wire_name.to_ascii_lowercase()),
                ParamLocation::Query => (1, p.wire_name.clone()),
                ParamLocation::Path | ParamLocation::Cookie => continue,
            };
            seen.entry(key).or_default().push((i, j));
        }
    }
    let mut common: Vec<Vec<(usize, usize)>> = seen
        .into_values()
        .filter(|decls| {
            let (i0, j0) = decls[0];
            let first = &api.operations[i0].params[j0];
            let count = decls.len();
            // One declaration per operation (two spellings of a header in one operation: no).
            let distinct = decls.windows(2).all(|w| w[0].0 != w[1].0);
            let alike = decls.iter().all(|&(i, j)| {
                let p = &api.operations[i].params[j];
                !p.required && p.ty == first.ty && p.style == first.style && p.explode == first.explode
            });
            let enough = if total == 1 {
                first.location == ParamLocation::Header
            } else {
                count >= 2 && count * 100 >= total * MIN_SHARE_PERCENT
            };
            distinct && alike && enough
        })
        .collect();
    // In the order the spec first declares them, which also decides who wins a name.
    common.sort_by_key(|decls| decls[0]);
    let mut names = Namespace::with_reserved(BUILDER_METHODS);
    // The runtime's builder methods, and the generated credential setters (`emit/auth.rs`).
    let schemes = api.security_schemes.iter();
    let setters = schemes.flat_map(|s| s.setters());
    for taken in super::security::BUILDER_METHODS.iter().copied().chain(setters) {
        if !names.is_taken(taken) {
            names.claim(taken.to_owned());
        }
    }
    for decls in common {
        let index = api.client_params.len();
        let (i0, j0) = decls[0];
        let first = &api.operations[i0].params[j0];
        let base = naming::snake(&first.wire_name);
        let setter = if names.is_taken(&base) {
            names.claim(format!("default_{}", base.trim_start_matches("r#")))
        } else {
            names.claim(base)
        };
        api.client_params.push(ClientParam {
            setter,
            wire_name: first.wire_name.clone(),
            location: first.location,
            ty: first.ty.clone(),
            style: first.style,
            explode: first.explode,
            docs: first.docs.clone(),
            ops: decls.iter().map(|&(i, _)| i).collect(),
        });
        for (i, j) in decls {
            api.operations[i].params[j].client_param = Some(index);
        }
    }
}
