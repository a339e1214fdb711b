//! Paths and operations -> IR operations; servers.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response as OaResponse,
    StatusCode,
};

use super::streams::{self, sequential};
use super::{Lowerer, Slot};
use crate::diag::{join, Diagnostics};
use crate::ir::{
    BodyKind, Docs, FileField, ItemStream, Operation, Param, ParamLocation, ParamStyle, PathPart,
    RequestBody as IrBody, Response, ResponseBody, SecurityKind, SecurityScheme, StatusMatch, StreamKind, Ty, TypeKind,
};
use crate::naming::{self, Namespace};

/// Methods of `Client` that operations must not shadow.
pub(super) const CLIENT_METHODS: &[&str] = &[
    "builder",
    "new",
    "clone",
    "fmt",
    "base_url",
    "http_client",
    "execute",
    "execute_stream",
];
/// Names used by every request builder (its fields and the methods the runtime adds).
const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_with_response",
    "into_future",
    "timeout",
    "max_retries",
    "header",
    "query",
    "idempotency_key",
    "raw_body",
    "multipart",
    "send_streaming",
    "send_events",
    "send_items",
    "request",
    "error_of",
];

pub fn default_base_url(spec: &OpenAPI, diags: &mut Diagnostics) -> Option<String> {
    let server = spec.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        Some(url.trim_end_matches('/').to_owned())
    } else {
        diags.warn(
            "/servers/0/url",
            format!("server URL `{url}` is not absolute; clients must set a base URL"),
        );
        None
    }
}

pub(super) fn resolve<'s, T>(
    item: &'s ReferenceOr<T>,
    section: impl Fn(&'s openapiv3::Components) -> &'s IndexMap<String, ReferenceOr<T>>,
    spec: &'s OpenAPI,
) -> Option<&'s T> {
    let mut cur = item;
    for _ in 0..16 {
        match cur {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next()?;
                cur = section(spec.components.as_ref()?).get(&crate::diag::unescape(name))?;
            }
        }
    }
    None
}

/// Picks the media type the client uses: JSON first, then forms, then text, then raw bytes.
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(BodyKind, &String, &MediaType)> {
    let kind_of = |m: &str| {
        let m = m.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if m == "application/json" || m.ends_with("+json") {
            (0, BodyKind::Json)
        } else if m.ends_with("/json") || m.contains("json") {
            (1, BodyKind::Json)
        } else if m == "application/x-www-form-urlencoded" {
            (2, BodyKind::Form)
        } else if m == "multipart/form-data" {
            (3, BodyKind::Multipart)
        } else if m.starts_with("text/") {
            (4, BodyKind::Text)
        } else {
            (5, BodyKind::Binary)
        }
    };
    content
        .iter()
        .map(|(k, v)| (kind_of(k), k, v))
        .min_by_key(|((rank, _), _, _)| *rank)
        .map(|((_, kind), k, v)| (kind, k, v))
}

pub fn operations(l: &mut Lowerer<'_>, schemes: &[SecurityScheme]) -> Vec<Operation> {
    let spec = l.spec;
    let mut fn_names = Namespace::with_reserved(CLIENT_METHODS);
    let mut type_names = Namespace::new();
    let mut out = Vec::new();
    // `operationId`s must be unique (OpenAPI 3.x); a repeated one names the first operation's method.
    let mut seen_ids: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let item_pointer = join("/paths", path);
        let ReferenceOr::Item(item) = item else {
            l.diags
                .warn(item_pointer, "path item `$ref` could not be resolved; skipped");
            continue;
        };
        for (method, op) in item.iter() {
            let pointer = join(&item_pointer, method);
            let raw_name = match &op.operation_id {
                Some(id) if !id.trim().is_empty() => l.plan.operations.get(id).unwrap_or(id).clone(),
                _ => format!("{method} {path}"),
            };
            let fn_name = fn_names.claim(naming::snake(&raw_name));
            if let Some(id) = op.operation_id.as_deref().filter(|id| !id.trim().is_empty()) {
                match seen_ids.get(id) {
                    Some(first) => l.diags.warn(
                        join(&pointer, "operationId"),
                        format!(
                            "`operationId` `{id}` is also the id of the operation at #{first}; ids must be unique, so this \
                             operation's method is `{}`",
                            fn_name.trim_start_matches("r#")
                        ),
                    ),
                    None => {
                        seen_ids.insert(id, pointer.clone());
                    }
                }
            }
            let stem = fn_name.trim_start_matches("r#").to_owned();
            let builder_name = type_names.claim(naming::type_name(&stem));
            let error_name = type_names.claim(naming::type_name(&format!("{stem} error")));
            let success_name = type_names.claim(naming::type_name(&format!("{stem} response")));
            let mut op_ir = Operation {
                fn_name,
                builder_name: builder_name.clone(),
                error_name,
                success_name,
                operation_id: op.operation_id.clone(),
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                path_parts: Vec::new(),
                docs: Docs {
                    title: op.summary.clone(),
                    description: op.description.clone(),
                    example: None,
                    example_at: None,
                    deprecated: op.deprecated,
                },
                params: Vec::new(),
                body: None,
                responses: Vec::new(),
                security: Vec::new(),
                idempotency_header: None,
                streams: Vec::new(),
                origin: pointer.clone(),
                shared_error: None,
                tags: clean_tags(&op.tags),
                pagination: None,
            };
            let mut authorization_param = false;
            // Path-level parameters first; an operation-level one with the same name and location replaces it.
            let mut merged: IndexMap<(String, &'static str), (&Parameter, String)> = IndexMap::new();
            let sources = item
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("{item_pointer}/parameters/{i}")))
                .chain(
                    op.parameters
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
                );
            for (p, ptr) in sources {
                let Some(param) = resolve(p, |c| &c.parameters, spec) else {
                    l.diags.warn(ptr, "parameter `$ref` could not be resolved; skipped");
                    continue;
                };
                // A shared parameter is lowered (and its schema's notes located) where it is
                // written, not at each `$ref` to it.
                let ptr = match p {
                    ReferenceOr::Reference { reference } if reference.starts_with("#/") => reference[1..].to_owned(),
                    _ => ptr,
                };
                let loc = match param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                merged.insert((param.parameter_data_ref().name.clone(), loc), (param, ptr));
            }
            let mut member_names = Namespace::with_reserved(BUILDER_MEMBERS);
            for ((wire, loc), (param, ptr)) in &merged {
                let data = param.parameter_data_ref();
                if *loc == "header" {
                    let lower = wire.to_ascii_lowercase();
                    if lower == "authorization" {
                        authorization_param = true;
                        continue;
                    }
                    if lower == "accept" || lower == "content-type" {
                        continue;
                    }
                    if lower == "idempotency-key" {
                        op_ir.idempotency_header = Some(wire.clone());
                        continue;
                    }
                }
                if wire.is_empty() {
                    l.diags.warn(ptr.clone(), "parameter without a name; skipped");
                    continue;
                }
                if *loc == "cookie" && !naming::is_cookie_name(wire) {
                    l.diags.warn(ptr.clone(), naming::bad_cookie_name(wire));
                }
                let hint = format!("{builder_name} {wire}");
                let ty = match &data.format {
                    ParameterSchemaOrContent::Schema(s) => l.lower_schema(s, Slot::Hint(hint), &join(ptr, "schema")),
                    ParameterSchemaOrContent::Content(content) => match content.first() {
                        Some((media, mt)) => match &mt.schema {
                            Some(s) => l.lower_schema(
                                s,
                                Slot::Hint(hint),
                                &join(&join(&join(ptr, "content"), media), "schema"),
                            ),
                            None => Ty::String,
                        },
                        None => Ty::String,
                    },
                };
                let (ty, nullable) = ty.split_option();
                let location = match *loc {
                    "path" => ParamLocation::Path,
                    "query" => ParamLocation::Query,
                    "header" => ParamLocation::Header,
                    _ => ParamLocation::Cookie,
                };
                let style = match (&data.format, param) {
                    (ParameterSchemaOrContent::Content(_), _) => ParamStyle::Content,
                    (_, Parameter::Query { style, .. }) => match style {
                        openapiv3::QueryStyle::Form => ParamStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                    (_, Parameter::Path { style, .. }) => match style {
                        openapiv3::PathStyle::Simple => ParamStyle::Simple,
                        openapiv3::PathStyle::Label => ParamStyle::Label,
                        openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
                    },
                    (_, Parameter::Header { .. }) => ParamStyle::Simple,
                    (_, Parameter::Cookie { .. }) => ParamStyle::Form,
                };
                let (constraints, default) = schema_facts(&data.format);
                // `form` explodes by default, every other style does not; deepObject always does.
                let explode = style == ParamStyle::DeepObject || data.explode.unwrap_or(style == ParamStyle::Form);
                op_ir.params.push(Param {
                    name: member_names.claim(naming::snake(wire)),
                    wire_name: wire.clone(),
                    location,
                    ty,
                    required: location == ParamLocation::Path || data.required && !nullable,
                    explode,
                    style,
                    docs: Docs {
                        title: None,
                        description: data.description.clone(),
                        example: data.example.as_ref().map(|e| e.to_string()),
                        example_at: None,
                        deprecated: data.deprecated.unwrap_or(false),
                    },
                    constraints,
                    default,
                    client_param: None,
                    examples: super::examples::collect(l.spec, data.example.as_ref(), &data.examples, ptr),
                    example: None,
                });
            }
            op_ir.path_parts = path_parts(path, &mut op_ir.params, &mut member_names, l.diags, &pointer);
            if let Some(body) = &op.request_body {
                let body_ptr = join(&pointer, "requestBody");
                match resolve(body, |c| &c.request_bodies, spec) {
                    Some(b) => op_ir.body = request_body(l, b, &builder_name, &body_ptr),
                    None => l
                        .diags
                        .warn(body_ptr, "request body `$ref` could not be resolved; skipped"),
                }
            }
            let responses_ptr = join(&pointer, "responses");
            let mut variants = Namespace::new();
            let mut entries: Vec<(StatusMatch, &ReferenceOr<OaResponse>, String)> = op
                .responses
                .responses
                .iter()
                .map(|(code, r)| {
                    let (m, key) = match code {
                        StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                        StatusCode::Range(r) => (StatusMatch::Range(u8::try_from(*r).unwrap_or(0)), format!("{r}XX")),
                    };
                    (m, r, join(&responses_ptr, &key))
                })
                .collect();
            if let Some(d) = &op.responses.default {
                entries.push((StatusMatch::Default, d, join(&responses_ptr, "default")));
            }
            for (status, r, ptr) in entries {
                let Some(resp) = resolve(r, |c| &c.responses, spec) else {
                    l.diags.warn(ptr, "response `$ref` could not be resolved; skipped");
                    continue;
                };
                let variant = variants.claim(match &status {
                    StatusMatch::Code(c) => naming::status_name(*c),
                    StatusMatch::Range(r) => match r {
                        2 => "Success".to_owned(),
                        3 => "Redirection".to_owned(),
                        4 => "ClientError".to_owned(),
                        5 => "ServerError".to_owned(),
                        _ => format!("Status{r}xx"),
                    },
                    StatusMatch::Default => "Default".to_owned(),
                });
                let mut body = None;
                if let Some((kind, media, mt)) = pick_media(&resp.content) {
                    let hint = if status.is_success() {
                        format!("{builder_name} response")
                    } else {
                        format!("{builder_name} {variant}")
                    };
                    let mptr = join(&join(&ptr, "content"), media);
                    let sequence = sequential(media).filter(|_| kind == BodyKind::Json);
                    let (kind, ty) = match (kind, sequence) {
                        // `send()` collects the items; `send_items()` streams them.
                        (_, Some(seq)) => {
                            let item = streams::item_type(l, seq, mt, format!("{builder_name} item"), &mptr);
                            if status.is_success() && !op_ir.streams.iter().any(|s| s.kind != StreamKind::Events) {
                                op_ir.streams.push(ItemStream {
                                    kind: seq,
                                    content_type: media.clone(),
                                    item: item.clone(),
                                });
                            }
                            let kind = if seq == StreamKind::JsonSeq {
                                BodyKind::JsonSeq
                            } else {
                                BodyKind::JsonLines
                            };
                            (kind, Ty::Vec(Box::new(item)))
                        }
                        (BodyKind::Text, _) => (kind, Ty::String),
                        (BodyKind::Binary, _) => (kind, Ty::Binary),
                        _ => (
                            kind,
                            match &mt.schema {
                                Some(s) => l.lower_schema(s, Slot::Hint(hint), &join(&mptr, "schema")),
                                None => Ty::Any,
                            },
                        ),
                    };
                    body = Some(ResponseBody {
                        kind,
                        content_type: media.clone(),
                        ty,
                        examples: super::examples::collect(l.spec, mt.example.as_ref(), &mt.examples, &mptr),
                    });
                }
                if status.is_success() {
                    for (media, mt) in &resp.content {
                        let Some(seq) = sequential(media) else { continue };
                        let events = seq == StreamKind::Events;
                        if op_ir.streams.iter().any(|s| (s.kind == StreamKind::Events) == events) {
                            continue;
                        }
                        let hint = format!("{builder_name} {}", if events { "event" } else { "item" });
                        let mptr = join(&join(&ptr, "content"), media);
                        let item = streams::item_type(l, seq, mt, hint, &mptr);
                        op_ir.streams.push(ItemStream {
                            kind: seq,
                            content_type: media.clone(),
                            item,
                        });
                    }
                }
                let headers = super::headers::of_response(l, resp, &format!("{builder_name} {variant}"), &ptr);
                op_ir.responses.push(Response {
                    status,
                    variant,
                    body,
                    description: Some(resp.description.clone()).filter(|d| !d.is_empty()),
                    headers,
                });
            }
            op_ir.security = security_for(
                l,
                op.security.as_ref().or(spec.security.as_ref()),
                schemes,
                authorization_param,
                &pointer,
            );
            out.push(op_ir);
        }
    }
    out
}

fn request_body<'a>(l: &mut Lowerer<'a>, b: &'a RequestBody, builder: &str, pointer: &str) -> Option<IrBody> {
    let (kind, media, mt) = pick_media(&b.content)?;
    let ty = match kind {
        BodyKind::Text => Ty::String,
        BodyKind::Binary => Ty::Binary,
        _ => match &mt.schema {
            Some(s) => {
                let p = join(&join(&join(pointer, "content"), media), "schema");
                l.lower_schema(s, Slot::Hint(format!("{builder} body")), &p)
            }
            None => Ty::Any,
        },
    };
    let files = if kind == BodyKind::Multipart {
        file_fields(l, &ty, mt)
    } else {
        Vec::new()
    };
    Some(IrBody {
        kind,
        content_type: media.clone(),
        ty,
        required: b.required,
        docs: Docs {
            description: b.description.clone(),
            ..Docs::default()
        },
        alternatives: b.content.keys().filter(|k| *k != media).cloned().collect(),
        files,
        examples: super::examples::collect(
            l.spec,
            mt.example.as_ref(),
            &mt.examples,
            &join(&join(pointer, "content"), media),
        ),
        example: None,
    })
}

/// The binary properties of a multipart body, sent as file parts, with the content type each part
/// gets when the caller sets none (`passes::file_parts` then gives them the runtime's `FilePart`).
fn file_fields(l: &Lowerer<'_>, ty: &Ty, mt: &MediaType) -> Vec<FileField> {
    fn is_file(ty: &Ty) -> bool {
        match ty {
            Ty::Binary => true,
            Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => is_file(t),
            _ => false,
        }
    }
    let mut cur = ty;
    for _ in 0..=l.types.len() {
        let Ty::Named(id) = cur else { break };
        match l.types.get(id.0).and_then(Option::as_ref).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) => cur = inner,
            Some(TypeKind::Struct(s)) => {
                return s
                    .fields
                    .iter()
                    .filter(|f| is_file(&f.ty))
                    .map(|f| {
                        let declared = mt
                            .encoding
                            .get(&f.wire_name)
                            .and_then(|e| e.content_type.as_deref())
                            .map(str::trim)
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned)
                            .or_else(|| property_media(l.spec, mt, &f.wire_name));
                        part_content_type(&f.wire_name, declared)
                    })
                    .collect();
            }
            _ => break,
        }
    }
    Vec::new()
}

/// The default part type from what the spec declares: its first concrete media type. A range
/// (`image/*`) names no type a part can carry, so it falls back to `application/octet-stream`
/// and is kept for the docs, which ask the caller to set the real one.
fn part_content_type(wire_name: &str, declared: Option<String>) -> FileField {
    let concrete = declared
        .as_deref()
        .and_then(|c| c.split(',').map(str::trim).find(|c| !c.is_empty() && !c.contains('*')))
        .map(str::to_owned);
    let single = declared
        .as_deref()
        .is_some_and(|d| !d.contains(',') && !d.contains('*'));
    FileField {
        wire_name: wire_name.to_owned(),
        content_type: concrete.unwrap_or_else(|| "application/octet-stream".to_owned()),
        accepts: declared.filter(|_| !single),
    }
}

/// A property's 3.1 `contentMediaType` (kept by normalization as `x-contentMediaType`), for a file
/// or a list of files.
fn property_media(spec: &OpenAPI, mt: &MediaType, wire_name: &str) -> Option<String> {
    let mut schema = mt.schema.as_ref()?;
    for _ in 0..16 {
        match schema {
            ReferenceOr::Reference { reference } => schema = super::component_schema(spec, reference)?.1,
            ReferenceOr::Item(_) => break,
        }
    }
    let ReferenceOr::Item(body) = schema else { return None };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(obj)) = &body.schema_kind else {
        return None;
    };
    let ReferenceOr::Item(prop) = obj.properties.get(wire_name)? else {
        return None;
    };
    let item = match &prop.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Array(a)) => match a.items.as_ref()? {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { .. } => return None,
        },
        _ => prop,
    };
    let media = item.schema_data.extensions.get("x-contentMediaType")?.as_str()?;
    Some(media.trim().to_owned()).filter(|m| !m.is_empty())
}

/// A parameter schema's validation keywords and its `default` (as JSON text), for the docs.
fn schema_facts(format: &ParameterSchemaOrContent) -> (Option<Box<crate::ir::Constraints>>, Option<String>) {
    let schema = match format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => Some(s),
        ParameterSchemaOrContent::Content(content) => match content.first().map(|(_, mt)| &mt.schema) {
            Some(Some(ReferenceOr::Item(s))) => Some(s),
            _ => None,
        },
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { .. }) => None,
    };
    match schema {
        Some(s) => (
            super::constraints::of_schema(s),
            s.schema_data.default.as_ref().map(|d| d.to_string()),
        ),
        None => (None, None),
    }
}

/// Splits `/images/{id}` into literals and parameter references, adding declared-but-missing ones.
fn path_parts(
    path: &str,
    params: &mut Vec<Param>,
    names: &mut Namespace,
    diags: &mut Diagnostics,
    pointer: &str,
) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            parts.push(PathPart::Literal(rest[..start].to_owned()));
        }
        let var = &rest[start + 1..start + len];
        let idx = match params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == var)
        {
            Some(i) => i,
            None => {
                diags.warn(
                    pointer,
                    format!("path template variable `{{{var}}}` has no parameter; treating it as a required string"),
                );
                params.push(Param {
                    name: names.claim(naming::snake(var)),
                    wire_name: var.to_owned(),
                    location: ParamLocation::Path,
                    ty: Ty::String,
                    required: true,
                    explode: false,
                    style: ParamStyle::Simple,
                    docs: Docs::default(),
                    constraints: None,
                    default: None,
                    client_param: None,
                    examples: Vec::new(),
                    example: None,
                });
                params.len() - 1
            }
        };
        parts.push(PathPart::Param(idx));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    let used: Vec<usize> = parts
        .iter()
        .filter_map(|p| if let PathPart::Param(i) = p { Some(*i) } else { None })
        .collect();
    let unused: Vec<usize> = (0..params.len())
        .filter(|i| params[*i].location == ParamLocation::Path && !used.contains(i))
        .collect();
    for i in unused.into_iter().rev() {
        diags.warn(
            pointer,
            format!(
                "path parameter `{}` does not appear in the path; ignored",
                params[i].wire_name
            ),
        );
        params.remove(i);
        for part in parts.iter_mut() {
            if let PathPart::Param(j) = part {
                if *j > i {
                    *j -= 1;
                }
            }
        }
    }
    parts
}

fn security_for(
    l: &mut Lowerer<'_>,
    requirements: Option<&Vec<openapiv3::SecurityRequirement>>,
    schemes: &[SecurityScheme],
    authorization_param: bool,
    pointer: &str,
) -> Vec<Vec<usize>> {
    match requirements {
        Some(reqs) => {
            let mut out = Vec::new();
            for req in reqs {
                let mut alt = Vec::new();
                // The schemes of one requirement all apply together: their order in the file means nothing.
                let mut keys: Vec<&String> = req.keys().collect();
                keys.sort();
                for key in keys {
                    match schemes.iter().position(|s| &s.key == key) {
                        Some(i) => alt.push(i),
                        None => l.diags.warn(
                            join(pointer, "security"),
                            format!("security scheme `{key}` is not defined; ignored"),
                        ),
                    }
                }
                out.push(alt);
            }
            out
        }
        // No requirement declared, but the operation documents an `Authorization` header: any scheme
        // that writes that header is what it wants.
        None if authorization_param => schemes
            .iter()
            .enumerate()
            .filter(|(_, s)| match &s.kind {
                SecurityKind::Bearer | SecurityKind::Basic => true,
                SecurityKind::ApiKey { location, name } => {
                    *location == ParamLocation::Header && name.eq_ignore_ascii_case("authorization")
                }
            })
            .map(|(i, _)| vec![i])
            .collect(),
        None => Vec::new(),
    }
}

/// The operation's tags without surrounding blanks, empty ones or repeats, in spec order.
fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}
