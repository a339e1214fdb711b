//! `API.md`: the public API of the generated crate as sorted, one-fact-per-line text, so that a
//! diff of the file is the change of the API.
//!
//! Computed from the IR (and the manifest's `[features]` table), not from the emitted tokens. Type
//! spelling follows [`super::ty_tokens`], shortened: no `crate::types::`, `::chrono::` or `::uuid::`
//! paths. Each line is an [`Entry`] whose key names the item it belongs to and whose `origin` is a
//! JSON pointer into the spec (empty for cargo features), so other tools can compare two surfaces
//! entry by entry; the pointers are kept in memory only, so that the file changes only when the
//! API does.

use super::operations::body_is_required;
use crate::ir::{Api, EnumRepr, FloatTy, IntTy, Operation, Presence, Ty, TypeKind};

/// One line of the surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Identifies the fact independently of its details: `op create_image`, `op create_image/arg body`,
    /// `type Foo/field bar`, `feature sse`. Unique within a surface.
    pub key: String,
    /// The line as written to `API.md` (indented for members).
    pub line: String,
    /// JSON pointer of the spec object the fact comes from (empty when it has none).
    pub origin: String,
}

/// The surface model: operations (sorted by method name), then types (sorted by name), then
/// cargo features (as the manifest lists them); members in declaration order.
pub fn entries(api: &Api, manifest: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut ops: Vec<&Operation> = api.operations.iter().collect();
    ops.sort_by(|a, b| plain(&a.fn_name).cmp(plain(&b.fn_name)));
    for op in ops {
        operation(api, op, &mut out);
    }
    let mut types: Vec<usize> = (0..api.types.len()).collect();
    types.sort_by(|&a, &b| api.types[a].name.cmp(&api.types[b].name));
    for i in types {
        type_def(api, i, &mut out);
    }
    for (name, value) in features(manifest) {
        // The default set is part of the API (dropping one breaks `default-features = true` users).
        let line = match name {
            "default" => format!("feature default = {value}"),
            _ => format!("feature {name}"),
        };
        out.push(Entry {
            key: format!("feature {name}"),
            line,
            origin: String::new(),
        });
    }
    out
}

/// The text of `API.md` after its header line.
pub fn render(crate_name: &str, entries: &[Entry]) -> String {
    let mut out = format!("# API surface of `{crate_name}`\n\n");
    out.push_str(
        "The public API of this crate, one fact per line, sorted: a diff of this file is the change of the API.\n\n",
    );
    out.push_str("```text\n");
    let mut last_kind = "";
    for e in entries {
        let kind = e.key.split(' ').next().unwrap_or_default();
        if !e.line.starts_with(' ') && !last_kind.is_empty() && (kind != last_kind || kind != "feature") {
            out.push('\n');
        }
        last_kind = kind;
        out.push_str(&e.line);
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

fn plain(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// The feature names of the manifest's `[features]` table, in its order.
fn features(manifest: &str) -> Vec<(&str, &str)> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[features]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && !l.starts_with(']'))
        .filter_map(|l| l.split_once(" = ").map(|(name, value)| (name.trim(), value.trim())))
        .collect()
}

fn push(out: &mut Vec<Entry>, key: String, line: String, origin: &str) {
    out.push(Entry {
        key,
        line,
        origin: origin.to_owned(),
    });
}

/// A JSON pointer token (RFC 6901).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn status(s: &crate::ir::StatusMatch) -> String {
    match s {
        crate::ir::StatusMatch::Code(c) => c.to_string(),
        crate::ir::StatusMatch::Range(x) => format!("{x}XX"),
        crate::ir::StatusMatch::Default => "default".to_owned(),
    }
}

fn operation(api: &Api, op: &Operation, out: &mut Vec<Entry>) {
    let name = plain(&op.fn_name);
    let key = format!("op {name}");
    push(
        out,
        key.clone(),
        format!("op {name}  {} {}", op.method.to_uppercase(), op.path),
        &op.origin,
    );
    // Parameters are an array in the spec (and may come from the path item): point at the operation.
    let param_origin = |_: &crate::ir::Param| op.origin.clone();
    for p in op.params.iter().filter(|p| p.required) {
        let n = plain(&p.name);
        push(
            out,
            format!("{key}/arg {n}"),
            format!("  arg {n}: {}", ty(api, &p.ty)),
            &param_origin(p),
        );
    }
    let body_origin = format!("{}/requestBody", op.origin);
    let body_required = op.body.as_ref().is_some_and(|b| body_is_required(api, b));
    if let (Some(b), true) = (&op.body, body_required) {
        push(
            out,
            format!("{key}/arg body"),
            format!("  arg body: {}", body_ty(api, b)),
            &body_origin,
        );
    }
    for p in op.params.iter().filter(|p| !p.required) {
        let n = plain(&p.name);
        push(
            out,
            format!("{key}/opt {n}"),
            format!("  opt {n}: {}", ty(api, &p.ty)),
            &param_origin(p),
        );
    }
    if let (Some(b), false) = (&op.body, body_required) {
        push(
            out,
            format!("{key}/opt body"),
            format!("  opt body: {}", body_ty(api, b)),
            &body_origin,
        );
    }
    let response_origin = |r: &crate::ir::Response| format!("{}/responses/{}", op.origin, token(&status(&r.status)));
    for r in op.responses.iter().filter(|r| op.is_success(r)) {
        let s = status(&r.status);
        push(
            out,
            format!("{key}/ok {s}"),
            format!("  ok {s}: {}", response_ty(api, r)),
            &response_origin(r),
        );
    }
    if !op.responses.iter().any(|r| op.is_success(r)) {
        push(out, format!("{key}/ok 2XX"), "  ok 2XX: ()".to_owned(), &op.origin);
    }
    for r in op.responses.iter().filter(|r| !op.is_success(r)) {
        let s = status(&r.status);
        let body = match r.body.as_ref().map(|b| b.kind) {
            Some(crate::ir::BodyKind::Json) => format!(": {}", response_ty(api, r)),
            Some(crate::ir::BodyKind::Text) => ": String".to_owned(),
            _ => String::new(),
        };
        push(
            out,
            format!("{key}/err {s}"),
            format!("  err {s} {}{body}", plain(&r.variant)),
            &response_origin(r),
        );
    }
    for s in &op.streams {
        let method = if s.kind == crate::ir::StreamKind::Events {
            "send_events"
        } else {
            "send_items"
        };
        push(
            out,
            format!("{key}/stream {method}"),
            format!("  stream {method}: {}", ty(api, &s.item)),
            &op.origin,
        );
    }
    if op.pagination.is_some() {
        push(out, format!("{key}/pages"), "  pages".to_owned(), &op.origin);
    }
}

fn body_ty(api: &Api, b: &crate::ir::RequestBody) -> String {
    match b.kind {
        crate::ir::BodyKind::Binary => "bytes".to_owned(),
        crate::ir::BodyKind::Text => "String".to_owned(),
        _ => ty(api, &b.ty),
    }
}

fn response_ty(api: &Api, r: &crate::ir::Response) -> String {
    match &r.body {
        None => "()".to_owned(),
        Some(b) => match b.kind {
            crate::ir::BodyKind::Text => "String".to_owned(),
            crate::ir::BodyKind::Binary => "Bytes".to_owned(),
            _ => ty(api, &b.ty),
        },
    }
}

fn type_def(api: &Api, i: usize, out: &mut Vec<Entry>) {
    let t = &api.types[i];
    let name = plain(&t.name);
    let key = format!("type {name}");
    match &t.kind {
        TypeKind::Struct(s) => {
            let direction = match (t.in_request, t.in_response) {
                (true, true) => "  sent received",
                (true, false) => "  sent",
                (false, true) => "  received",
                (false, false) => "",
            };
            push(out, key.clone(), format!("struct {name}{direction}"), &t.origin);
            for f in &s.fields {
                let n = plain(&f.name);
                let (shape, presence) = match &f.presence {
                    Presence::Required => (ty(api, &f.ty), "required"),
                    Presence::RequiredNullable => (format!("Option<{}>", ty(api, &f.ty)), "required nullable"),
                    Presence::Optional => (format!("Option<{}>", ty(api, &f.ty)), "optional"),
                    Presence::OptionalNullable => (format!("Nullable<{}>", ty(api, &f.ty)), "optional nullable"),
                    Presence::OptionalNullableLoose => (format!("Option<{}>", ty(api, &f.ty)), "optional nullable"),
                    Presence::Defaulted(_) => (ty(api, &f.ty), "defaulted"),
                };
                push(
                    out,
                    format!("{key}/field {n}"),
                    format!("  field {n}: {shape}  {presence}"),
                    &format!("{}/properties/{}", t.origin, token(&f.wire_name)),
                );
            }
            if let Some(a) = &s.additional {
                push(
                    out,
                    format!("{key}/additional"),
                    format!("  additional: BTreeMap<String, {}>", ty(api, a)),
                    &format!("{}/additionalProperties", t.origin),
                );
            }
        }
        TypeKind::Enum(e) => {
            let repr = match e.repr {
                EnumRepr::String => "string",
                EnumRepr::Integer => "integer",
                EnumRepr::Mixed => "mixed",
            };
            // Every generated enum is open: an unknown wire value decodes into `Unknown`.
            push(out, key.clone(), format!("enum {name}  {repr} open"), &t.origin);
            for (j, v) in e.variants.iter().enumerate() {
                let n = plain(&v.name);
                let value = match e.repr {
                    EnumRepr::String => format!("{:?}", v.value),
                    _ => v.value.clone(),
                };
                push(
                    out,
                    format!("{key}/variant {n}"),
                    format!("  variant {n} = {value}"),
                    &format!("{}/enum/{j}", t.origin),
                );
            }
        }
        TypeKind::Union(u) => {
            let tag = match &u.tag {
                // A tag value this version does not know decodes into `Unknown`: open, as enums.
                Some(tag) => format!("  tag {tag:?} open"),
                None => "  untagged".to_owned(),
            };
            push(out, key.clone(), format!("union {name}{tag}"), &t.origin);
            for v in &u.variants {
                let n = plain(&v.name);
                let values = if v.tag_values.is_empty() {
                    String::new()
                } else {
                    let quoted: Vec<String> = v.tag_values.iter().map(|s| format!("{s:?}")).collect();
                    format!("  = {}", quoted.join(", "))
                };
                push(
                    out,
                    format!("{key}/variant {n}"),
                    format!("  variant {n}: {}{values}", ty(api, &v.ty)),
                    &t.origin,
                );
            }
        }
        TypeKind::Alias(a) => {
            push(out, key, format!("alias {name} = {}", ty(api, a)), &t.origin);
        }
    }
}

/// The Rust type as the generated code spells it, without module paths.
pub fn ty(api: &Api, t: &Ty) -> String {
    match t {
        Ty::Bool => "bool".into(),
        Ty::Int(i) => match i {
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
        }
        .into(),
        Ty::Float(FloatTy::F32) => "f32".into(),
        Ty::Float(FloatTy::F64) => "f64".into(),
        Ty::String => "String".into(),
        Ty::Date => "NaiveDate".into(),
        Ty::DateTime => "DateTime<Utc>".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Binary | Ty::Bytes => "Vec<u8>".into(),
        Ty::File => "FilePart".into(),
        Ty::Tuple(items) => {
            let items: Vec<String> = items.iter().map(|i| ty(api, i)).collect();
            format!("({})", items.join(", "))
        }
        Ty::Any => "Value".into(),
        Ty::Unit => "()".into(),
        Ty::Named(id) => api.types.get(id.0).map_or("?", |t| plain(&t.name)).to_owned(),
        Ty::Vec(inner) => format!("Vec<{}>", ty(api, inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", ty(api, inner)),
        Ty::Option(inner) => format!("Option<{}>", ty(api, inner)),
        Ty::Boxed(inner) => format!("Box<{}>", ty(api, inner)),
    }
}
