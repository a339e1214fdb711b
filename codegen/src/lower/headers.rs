//! Response headers: each response's declared headers (while lowering operations), then one typed
//! view per operation of the headers of its success responses and one of its error responses
//! (a pass over the finished IR).

use openapiv3::{ParameterSchemaOrContent, ReferenceOr, Response as OaResponse};

use super::{Lowerer, Slot};
use crate::diag::{join, Diagnostics};
use crate::ir::{
    Api, Docs, EnumRepr, HeaderAccessor, HeaderView, Operation, OperationHeaders, ResponseHeader, StatusMatch, Ty,
    TypeKind,
};
use crate::naming::{self, Namespace};

/// Methods a view has besides its accessors: those of the `HeaderMap` it dereferences to and of
/// the traits it implements. An accessor never shadows one.
const VIEW_MEMBERS: &[&str] = &[
    "append",
    "as_ref",
    "borrow",
    "capacity",
    "clear",
    "clone",
    "contains_key",
    "deref",
    "drain",
    "entry",
    "eq",
    "extend",
    "fmt",
    "from",
    "get",
    "get_all",
    "get_mut",
    "insert",
    "into",
    "into_iter",
    "is_empty",
    "iter",
    "iter_mut",
    "keys",
    "keys_len",
    "len",
    "new",
    "remove",
    "reserve",
    "to_owned",
    "try_append",
    "try_entry",
    "try_insert",
    "try_reserve",
    "try_with_capacity",
    "type_id",
    "values",
    "values_mut",
    "with_capacity",
];

/// The headers `resp` declares. `ptr` points at the response, `hint` names inline types.
pub(super) fn of_response<'a>(l: &mut Lowerer<'a>, resp: &'a OaResponse, hint: &str, ptr: &str) -> Vec<ResponseHeader> {
    let spec = l.spec;
    let mut out = Vec::new();
    for (wire, h) in &resp.headers {
        let hptr = join(&join(ptr, "headers"), wire);
        // OpenAPI: a response header named `Content-Type` is ignored.
        if wire.eq_ignore_ascii_case("content-type") {
            continue;
        }
        if wire.trim().is_empty() || reqwest_name_invalid(wire) {
            l.diags
                .warn(hptr, format!("`{wire}` is not a valid header name; ignored"));
            continue;
        }
        let Some(header) = super::operation::resolve(h, |c| &c.headers, spec) else {
            l.diags.warn(hptr, "header `$ref` could not be resolved; skipped");
            continue;
        };
        // A shared header is lowered where it is written, not at each `$ref` to it.
        let hptr = match h {
            ReferenceOr::Reference { reference } if reference.starts_with("#/") => reference[1..].to_owned(),
            _ => hptr,
        };
        let hint = format!("{hint} {wire}");
        let (ty, json) = match &header.format {
            ParameterSchemaOrContent::Schema(s) => (l.lower_schema(s, Slot::Hint(hint), &join(&hptr, "schema")), false),
            ParameterSchemaOrContent::Content(content) => match content.first() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => {
                        let sptr = join(&join(&join(&hptr, "content"), media), "schema");
                        (l.lower_schema(s, Slot::Hint(hint), &sptr), true)
                    }
                    None => (Ty::String, false),
                },
                None => (Ty::String, false),
            },
        };
        out.push(ResponseHeader {
            wire_name: wire.clone(),
            ty: ty.split_option().0,
            json,
            required: header.required,
            docs: Docs {
                title: None,
                description: header.description.clone().filter(|d| !d.trim().is_empty()),
                example: header.example.as_ref().map(|e| e.to_string()),
                example_at: None,
                deprecated: header.deprecated.unwrap_or(false),
            },
        });
    }
    out
}

/// Header names are tokens (RFC 9110): what `HeaderMap::get` could never find is left out.
fn reqwest_name_invalid(name: &str) -> bool {
    !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Gives each operation whose responses declare headers its views (`Api::header_views`), named after its builder (`CreateWidgetHeaders`) and error enum
/// (`CreateWidgetErrorHeaders`). Runs before errors are shared, which keep the first operation's
/// error view under the shared enum's name.
pub(super) fn views(api: &mut Api, diags: &mut Diagnostics) {
    let mut names = Namespace::with_reserved(super::passes::OPERATIONS_MODULE_NAMES);
    for op in &api.operations {
        for n in [&op.builder_name, &op.error_name, &op.success_name] {
            names.claim(n.clone());
        }
    }
    let mut out = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        let success = view(api, op, true, diags).map(|accessors| HeaderView {
            name: names.claim(naming::type_name(&format!("{} headers", op.builder_name))),
            accessors,
        });
        let errors = view(api, op, false, diags).map(|accessors| HeaderView {
            name: names.claim(naming::type_name(&format!("{} headers", op.error_name))),
            accessors,
        });
        if success.is_some() || errors.is_some() {
            out.push(OperationHeaders { op: i, success, errors });
        }
    }
    api.header_views = out;
}

/// The union of the headers of the success (or error) responses, by case-insensitive name, in
/// the order they first appear. A header declared with different types reads as a string.
fn view(api: &Api, op: &Operation, success: bool, diags: &mut Diagnostics) -> Option<Vec<HeaderAccessor>> {
    let mut accessors: Vec<HeaderAccessor> = Vec::new();
    let mut methods = Namespace::with_reserved(VIEW_MEMBERS);
    for r in op.responses.iter().filter(|r| op.is_success(r) == success) {
        let status = match &r.status {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(x) => format!("{x}XX"),
            StatusMatch::Default => "default".to_owned(),
        };
        let rptr = join(&join(&op.origin, "responses"), &status);
        for h in &r.headers {
            let hptr = join(&join(&rptr, "headers"), &h.wire_name);
            let (ty, json) = readable(api, h, &hptr, diags);
            match accessors
                .iter_mut()
                .find(|a| a.wire_name.eq_ignore_ascii_case(&h.wire_name))
            {
                Some(a) => {
                    if (a.ty != ty || a.json != json) && a.ty != Ty::String {
                        diags.warn(
                            hptr.clone(),
                            format!(
                                "header `{}` is declared with different types on different statuses; read as a string",
                                h.wire_name
                            ),
                        );
                        a.ty = Ty::String;
                        a.json = false;
                    }
                    a.statuses.push(r.status.clone());
                    a.required &= h.required;
                    if a.docs.description.is_none() {
                        a.docs.description.clone_from(&h.docs.description);
                    }
                }
                None => accessors.push(HeaderAccessor {
                    method: methods.claim(method_name(&h.wire_name)),
                    wire_name: h.wire_name.clone(),
                    ty,
                    json,
                    docs: h.docs.clone(),
                    statuses: vec![r.status.clone()],
                    required: h.required,
                }),
            }
        }
    }
    (!accessors.is_empty()).then_some(accessors)
}

/// `x_rate_limit_remaining`; `ETag` is one word, not `e_tag`.
fn method_name(wire: &str) -> String {
    if wire.eq_ignore_ascii_case("etag") {
        "etag".to_owned()
    } else {
        naming::snake(wire)
    }
}

/// The type an accessor returns for `h`. A `simple` header holds a scalar (or a comma-separated
/// list of scalars); any other schema reads as the header's text, with a warning.
fn readable(api: &Api, h: &ResponseHeader, ptr: &str, diags: &mut Diagnostics) -> (Ty, bool) {
    if h.json || simple(api, &h.ty, true) {
        return (h.ty.clone(), h.json);
    }
    diags.warn(
        ptr,
        format!(
            "header `{}` has a schema that a `simple` header cannot carry (an object or a nested array); read as a string",
            h.wire_name
        ),
    );
    (Ty::String, false)
}

fn simple(api: &Api, ty: &Ty, list_ok: bool) -> bool {
    match super::resolve_alias(api, ty) {
        Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid | Ty::Any => true,
        Ty::Vec(inner) => list_ok && simple(api, inner, false),
        Ty::Option(inner) | Ty::Boxed(inner) => simple(api, inner, list_ok),
        Ty::Named(id) => matches!(
            &api.types[id.0].kind,
            TypeKind::Enum(e) if e.repr != EnumRepr::Mixed
        ),
        _ => false,
    }
}
