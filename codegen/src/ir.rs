//! The intermediate representation: plain data between `lower` and `emit`.
//!
//! Names are final Rust identifiers; wire names are kept next to them. No `openapiv3` types and no
//! tokens live here, so the IR can be snapshotted and reviewed on its own.

mod examples;
pub use examples::{Example, Literal};

use serde::Serialize;

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub title: String,
    pub api_version: String,
    pub description: Option<String>,
    /// Base URL of the first server, variables substituted by their defaults.
    pub default_base_url: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Error enums shared by operations with identical documented errors.
    pub shared_errors: Vec<SharedError>,
    /// The typed headers views of the operations whose responses declare headers, by operation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub header_views: Vec<OperationHeaders>,
    /// One cargo feature per operation tag, and which items each gates; `None` when the operations
    /// carry fewer than two distinct tags (or the configuration turns tag features off).
    pub tag_features: Option<TagFeatures>,
    /// Parameters common to (nearly) all operations, which get a typed default on the
    /// `ClientBuilder` (see `lower::client_params`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub client_params: Vec<ClientParam>,
}

/// A header or query parameter that (nearly) every operation declares the same way: the
/// `ClientBuilder` gets a setter for a default value, sent by each of `ops` when the call sets none.
#[derive(Debug, Clone, Serialize)]
pub struct ClientParam {
    /// The `ClientBuilder` method.
    pub setter: String,
    /// As the first declaring operation spells it.
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: Ty,
    pub style: ParamStyle,
    pub explode: bool,
    /// The first declaration's docs.
    pub docs: Docs,
    /// The operations that declare it (indices into `Api::operations`), in order.
    pub ops: Vec<usize>,
}

/// Cargo features by operation tag, so that a user compiles only the operations (and the types
/// they use) of the tags they enable. Untagged operations, types no operation uses, and whatever
/// those contain are always compiled.
#[derive(Debug, Clone, Serialize)]
pub struct TagFeatures {
    /// Sorted by name.
    pub features: Vec<Feature>,
    /// The gate of each operation (parallel to `Api::operations`).
    pub operations: Vec<Gate>,
    /// The gate of each type (parallel to `Api::types`).
    pub types: Vec<Gate>,
    /// The gate of each shared error enum (parallel to `Api::shared_errors`).
    pub shared_errors: Vec<Gate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    /// The cargo feature name.
    pub name: String,
    /// The spec's tags that map to it (several tags can spell the same name), in first-seen order.
    pub tags: Vec<String>,
    /// How many operations it enables.
    pub operations: usize,
}

/// Indices into `TagFeatures::features`, sorted: the item is compiled when any of them is on.
/// Empty: always compiled.
pub type Gate = Vec<usize>;

/// One error enum for several operations whose documented errors are the same (statuses, variants,
/// bodies, descriptions); each operation's own error name becomes an alias of it.
#[derive(Debug, Clone, Serialize)]
pub struct SharedError {
    pub name: String,
    /// The operations using it (indices into `Api::operations`), in spec order; the first one's
    /// responses define it.
    pub ops: Vec<usize>,
}

/// Documentation carried from the spec; emitted only as `#[doc = "..."]` string literals.
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<String>,
    /// Where `example` is written (JSON pointer), for messages about it.
    #[serde(skip)]
    pub example_at: Option<String>,
    pub deprecated: bool,
}

/// `example_at` only where there is an example: IR snapshots stay about what the spec says.
impl std::fmt::Debug for Docs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Docs");
        d.field("title", &self.title)
            .field("description", &self.description)
            .field("example", &self.example);
        if let Some(at) = &self.example_at {
            d.field("example_at", at);
        }
        d.field("deprecated", &self.deprecated).finish()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    /// Where the type was defined (JSON pointer).
    pub origin: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Reachable from a request (body or parameter). Decides how optional nullable fields are modelled.
    pub in_request: bool,
    /// Reachable from a response body (success, error or event stream) or from a default value
    /// given as JSON: the type is decoded.
    pub in_response: bool,
    /// Implements `Serialize` (without the generated crate's `serde-all` feature): request types,
    /// types used in neither direction, and everything they contain.
    pub serialize: bool,
    /// Implements `Deserialize` (without `serde-all`): response types, types used in neither
    /// direction, and everything they contain.
    pub deserialize: bool,
    /// Validation keywords of a component schema (an alias's `maxLength`, an object's
    /// `minProperties`, ...): documented, not enforced.
    pub constraints: Option<Box<Constraints>>,
}

#[derive(Debug, Clone, Serialize)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// `pub type Name = Ty;`
    Alias(Ty),
}

#[derive(Debug, Clone, Serialize)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to named properties: a flattened map of the remaining keys.
    pub additional: Option<Ty>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    /// The value type, without the `Option` layers that `presence` adds.
    pub ty: Ty,
    pub presence: Presence,
    pub docs: Docs,
    pub read_only: bool,
    pub write_only: bool,
    /// What the server checks of the value (its own schema's and, through aliases, its type's).
    pub constraints: Option<Box<Constraints>>,
}

/// Validation keywords of a schema. The generated types do not enforce them (a server does); the
/// docs show them and `--report` lists each one.
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// Decimal text, as the spec wrote the number.
    pub multiple_of: Option<String>,
    /// In characters (Unicode code points), as JSON Schema counts them.
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    /// A `format` the Rust type does not already say (`email`, `uri`, `int32` on a number, ...).
    pub format: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// The constraints of each item of an array.
    pub items: Option<Box<Constraints>>,
}

/// A numeric bound: `value` as decimal text; `exclusive` for `<`/`>` instead of `<=`/`>=`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    pub value: String,
    pub exclusive: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// Only the keywords that are set, so IR snapshots stay short.
impl std::fmt::Debug for Constraints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Constraints");
        let bound = |b: &Bound| format!("{}{}", if b.exclusive { "exclusive " } else { "" }, b.value);
        if let Some(b) = &self.minimum {
            d.field("minimum", &format_args!("{}", bound(b)));
        }
        if let Some(b) = &self.maximum {
            d.field("maximum", &format_args!("{}", bound(b)));
        }
        let opt = [
            ("multiple_of", self.multiple_of.as_ref().map(|v| v.to_string())),
            ("min_length", self.min_length.map(|v| v.to_string())),
            ("max_length", self.max_length.map(|v| v.to_string())),
            ("pattern", self.pattern.as_ref().map(|v| format!("{v:?}"))),
            ("format", self.format.as_ref().map(|v| format!("{v:?}"))),
            ("min_items", self.min_items.map(|v| v.to_string())),
            ("max_items", self.max_items.map(|v| v.to_string())),
            ("unique_items", self.unique_items.then(|| "true".to_owned())),
            ("min_properties", self.min_properties.map(|v| v.to_string())),
            ("max_properties", self.max_properties.map(|v| v.to_string())),
        ];
        for (name, value) in opt {
            if let Some(v) = value {
                d.field(name, &format_args!("{v}"));
            }
        }
        if let Some(items) = &self.items {
            d.field("items", items);
        }
        d.finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, `null` is sent for `None`.
    RequiredNullable,
    /// Optional, not nullable: `Option<T>`, omitted when `None`.
    Optional,
    /// Optional and nullable in a request type: the runtime's `Nullable<T>` (absent, null, value).
    OptionalNullable,
    /// Optional and nullable in a response-only type: `Option<T>` (absent and null both read as `None`).
    OptionalNullableLoose,
    /// Optional with a default the spec gives: `T`, filled with the default when absent.
    Defaulted(DefaultValue),
}

/// A default value that can be written as a Rust expression of the field's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DefaultValue {
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    /// A variant (by Rust name) of a generated enum.
    Variant(TypeId, String),
    /// Any other value (arrays, objects, dates, ...) as JSON text, decoded when the default is needed.
    Json(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumDef {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EnumRepr {
    String,
    Integer,
    /// Values of several JSON types (strings, integers, booleans); `value` holds the JSON text.
    Mixed,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    pub name: String,
    /// The wire value, as text for string enums or decimal for integer enums.
    pub value: String,
    pub docs: Docs,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    /// `Some(property)` for a discriminated union; `None` for untagged.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    /// Tag values that select this variant (discriminated unions only).
    pub tag_values: Vec<String>,
    /// The variant's type does not declare the tag property, so serializing adds it.
    pub injects_tag: bool,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Ty {
    Bool,
    Int(IntTy),
    Float(FloatTy),
    String,
    Date,
    DateTime,
    Uuid,
    /// Raw bytes (`format: binary`), used for binary bodies.
    Binary,
    /// A binary property of a multipart body, sent as a file part: the runtime's `FilePart`
    /// (bytes, file name, content type).
    File,
    /// Bytes sent as a base64 string (`format: byte`): `Vec<u8>` in Rust.
    Bytes,
    /// A fixed-length array of differently typed items (`prefixItems`): a Rust tuple.
    Tuple(Vec<Ty>),
    /// Any JSON value.
    Any,
    /// No content.
    Unit,
    Named(TypeId),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
    /// Indirection to break a recursive type.
    Boxed(Box<Ty>),
}

impl Ty {
    pub fn option(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    /// Strips one `Option` layer, telling whether there was one.
    pub fn split_option(self) -> (Ty, bool) {
        match self {
            Ty::Option(inner) => (*inner, true),
            other => (other, false),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IntTy {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FloatTy {
    F32,
    F64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// Method name on `Client` (snake case).
    pub fn_name: String,
    /// Request-builder type name.
    pub builder_name: String,
    /// Error-body enum name.
    pub error_name: String,
    /// Success enum name, used only when several success statuses carry different bodies.
    pub success_name: String,
    pub operation_id: Option<String>,
    pub method: String,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub docs: Docs,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives (any one suffices) of scheme sets (all needed), as indices into `Api::security_schemes`.
    pub security: Vec<Vec<usize>>,
    /// The spec declares an `Idempotency-Key` header parameter; the runtime fills it.
    pub idempotency_header: Option<String>,
    /// The success responses the client can read item by item, at most one per [`StreamKind`]
    /// family (events; JSON Lines or JSON text sequences), in that order.
    pub streams: Vec<ItemStream>,
    /// Index into `Api::shared_errors` when the error enum is shared.
    pub shared_error: Option<usize>,
    /// The operation's tags, trimmed, duplicates and empty ones left out.
    pub tags: Vec<String>,
    pub origin: String,
    /// How the list operation pages, when it does (see `lower::pagination`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

/// A paginated list operation: how the next page is asked for, and where the items are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    pub kind: PageKind,
    /// The fields from the success body down to the items array; empty: the body is the array.
    pub items: Vec<FieldStep>,
    /// The type of one item.
    pub item_ty: Ty,
    /// The extension that declared it (`x-speakeasy-pagination`, ...), `None` when detected
    /// from the parameter and field names.
    pub extension: Option<String>,
    /// A boolean field (`has_more`) whose `false` says there is no next page.
    pub has_more: Option<FieldStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PageKind {
    /// The next cursor is read from the page (`next`) and sent in query parameter `param`. With
    /// `from_last_item`, `next` is a field of the page's last item (Stripe's `starting_after`).
    Cursor {
        param: String,
        next: Vec<FieldStep>,
        from_last_item: bool,
    },
    /// The page carries the next page's URL (`next`), followed like a `Link` header.
    NextUrl { next: Vec<FieldStep> },
    /// Query parameter `param` is an item offset; `limit` the page size.
    Offset { param: String, limit: Option<String> },
    /// Query parameter `param` is a page number counting from `first`; `size` the page size.
    Page {
        param: String,
        size: Option<String>,
        first: u64,
    },
    /// The `Link` response header's `rel="next"` URL.
    LinkHeader,
}

impl PageKind {
    /// The query parameter the paginator sets on every page after the first (none when the next
    /// page is a URL).
    pub fn param(&self) -> Option<&str> {
        match self {
            PageKind::Cursor { param, .. } | PageKind::Offset { param, .. } | PageKind::Page { param, .. } => {
                Some(param)
            }
            PageKind::NextUrl { .. } | PageKind::LinkHeader => None,
        }
    }
}

impl PageKind {
    /// The name used in reports and docs.
    pub fn label(&self) -> &'static str {
        match self {
            PageKind::Cursor { .. } => "cursor",
            PageKind::NextUrl { .. } => "next URL",
            PageKind::Offset { .. } => "offset",
            PageKind::Page { .. } => "page",
            PageKind::LinkHeader => "link",
        }
    }
}

/// One struct field on the way to a value inside a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldStep {
    /// The Rust field name.
    pub name: String,
    pub wire_name: String,
    /// The field is an `Option`.
    pub optional: bool,
}

impl Operation {
    /// Which responses are the success type: the 2xx ones, or `default` when no 2xx is documented.
    pub fn is_success(&self, r: &Response) -> bool {
        if self.responses.iter().any(|r| r.status.is_success()) {
            r.status.is_success()
        } else {
            r.status == StatusMatch::Default
        }
    }
}

/// A success response whose body is a sequence of items (OpenAPI 3.2 "sequential media types").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStream {
    pub kind: StreamKind,
    /// The media type as the spec writes it (sent as `Accept`).
    pub content_type: String,
    /// The type of one item: an event's `data`, or one JSON value of the sequence.
    pub item: Ty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StreamKind {
    /// `text/event-stream`: read with `send_events()`.
    Events,
    /// `application/jsonl`, `application/x-ndjson`, ...: one JSON value per line, `send_items()`.
    JsonLines,
    /// `application/json-seq` (RFC 7464): `0x1E`-prefixed JSON texts, `send_items()`.
    JsonSeq,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    /// Value type, without the `Option` that optional parameters get.
    pub ty: Ty,
    pub required: bool,
    pub explode: bool,
    /// How the value is serialized (OpenAPI `style`; `Content` for a `content` parameter).
    pub style: ParamStyle,
    pub docs: Docs,
    /// What the server checks of the value.
    pub constraints: Option<Box<Constraints>>,
    /// The schema's `default` as JSON text: what the server assumes when the parameter is not sent.
    pub default: Option<String>,
    /// Index into `Api::client_params` when the client may hold a default for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_param: Option<usize>,
    /// The spec's examples of the parameter (`example`, `examples`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// The first of `examples` (or of its type's) that decodes: the value of the doc example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Literal>,
}

/// OpenAPI parameter serialization styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamStyle {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    /// A `content` parameter: the value is sent as JSON text.
    Content,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Binary,
    Text,
    /// Responses only: a JSON Lines body, which `send()` collects into a `Vec` of its items
    /// (the body's `ty` is that `Vec`).
    JsonLines,
    /// Responses only: a JSON text sequence (RFC 7464), collected like `JsonLines`.
    JsonSeq,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    pub kind: BodyKind,
    pub content_type: String,
    pub ty: Ty,
    pub required: bool,
    pub docs: Docs,
    /// The other media types the spec offers for this body (reachable through `raw_body`).
    pub alternatives: Vec<String>,
    /// Multipart only: the binary properties, sent as file parts.
    pub files: Vec<FileField>,
    /// The spec's examples of the body (the media type's `example` and `examples`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// The first of `examples` (or of its type's) that decodes: the value of the doc example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Literal>,
}

/// A binary property of a multipart body, sent as file part(s).
#[derive(Debug, Clone, Serialize)]
pub struct FileField {
    pub wire_name: String,
    /// The part's `Content-Type` when the caller sets none: the first concrete type of the spec's
    /// `encoding.<property>.contentType`, else the property's `contentMediaType`, else
    /// `application/octet-stream`.
    pub content_type: String,
    /// What the spec declares when it is not one concrete type (`image/*`, `image/png, image/jpeg`):
    /// shown in the docs, since the caller should then pick the part's type.
    pub accepts: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u8),
    Default,
}

impl StatusMatch {
    pub fn is_success(&self) -> bool {
        match self {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => false,
        }
    }
}

#[derive(Clone, Serialize)]
pub struct Response {
    pub status: StatusMatch,
    /// Variant name in the operation's error (or success) enum.
    pub variant: String,
    pub body: Option<ResponseBody>,
    pub description: Option<String>,
    /// The headers it declares, in spec order (`Content-Type` left out, as OpenAPI says).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<ResponseHeader>,
}

/// `headers` only when there are any, so IR snapshots of responses without headers stay short.
impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Response");
        d.field("status", &self.status)
            .field("variant", &self.variant)
            .field("body", &self.body)
            .field("description", &self.description);
        if !self.headers.is_empty() {
            d.field("headers", &self.headers);
        }
        d.finish()
    }
}

/// A header a response declares (`responses.<status>.headers.<name>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseHeader {
    pub wire_name: String,
    /// The value type, without the `Option` of a nullable schema.
    pub ty: Ty,
    /// A `content` header: the value is JSON text; otherwise OpenAPI's `simple` style.
    pub json: bool,
    pub required: bool,
    pub docs: Docs,
}

/// The typed headers views of one operation (at least one of them is set).
#[derive(Debug, Clone, Serialize)]
pub struct OperationHeaders {
    /// Index into `Api::operations`; `Api::header_views` is sorted by it.
    pub op: usize,
    /// The headers of the success responses.
    pub success: Option<HeaderView>,
    /// The headers of the documented error responses (named after the shared enum when the error
    /// enum is shared).
    pub errors: Option<HeaderView>,
}

impl Api {
    /// The typed headers views of operation `op`, when its responses declare headers.
    pub fn header_views_of(&self, op: usize) -> Option<&OperationHeaders> {
        self.header_views
            .binary_search_by_key(&op, |v| v.op)
            .ok()
            .map(|i| &self.header_views[i])
    }
}

/// The typed view of the headers that an operation's success (or error) responses declare: their
/// union, one accessor each, all returning `Option`.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderView {
    /// The view's type name.
    pub name: String,
    pub accessors: Vec<HeaderAccessor>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeaderAccessor {
    /// The accessor method (snake case, unique among the view's and `HeaderMap`'s methods).
    pub method: String,
    /// As the first declaring response spells it.
    pub wire_name: String,
    /// What the accessor reads (see `lower::headers` for the types a `simple` header may have).
    pub ty: Ty,
    pub json: bool,
    /// The first declaration's docs.
    pub docs: Docs,
    /// The statuses that declare it, in spec order.
    pub statuses: Vec<StatusMatch>,
    /// Declared required by every one of `statuses`.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseBody {
    pub kind: BodyKind,
    pub content_type: String,
    pub ty: Ty,
    /// The spec's examples of the body, checked against `ty` (`lower::examples`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub key: String,
    /// The `ClientBuilder` method that sets this scheme's credential (unique among the builder's
    /// methods).
    pub method: String,
    /// A generic name the builder also offers for this scheme (`bearer_token`, `basic_auth`)
    /// because it is the spec's only scheme of its kind.
    pub shorthand: Option<String>,
    /// The `ClientBuilder` method that sets a `CredentialProvider` for this scheme, asked on every
    /// attempt (`None` for HTTP Basic, whose credentials are fixed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_method: Option<String>,
    /// The provider setter of the shorthand (`bearer_token_provider`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_shorthand: Option<String>,
    pub kind: SecurityKind,
    /// Where a bearer token comes from, for the setter's docs.
    pub source: TokenSource,
    pub description: Option<String>,
}

impl SecurityScheme {
    /// Every `ClientBuilder` method generated for this scheme.
    pub fn setters(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.method.as_str())
            .chain(self.shorthand.as_deref())
            .chain(self.provider_method.as_deref())
            .chain(self.provider_shorthand.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TokenSource {
    /// `type: http` or `type: apiKey`: the caller has the credential.
    Given { bearer_format: Option<String> },
    /// `type: oauth2`: an access token from one of the flows, whose token URLs are listed.
    OAuth2 { token_urls: Vec<String> },
    /// `type: openIdConnect`, discovered at `url`.
    OpenIdConnect { url: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SecurityKind {
    Bearer,
    Basic,
    ApiKey { location: ParamLocation, name: String },
}
