//! Request and response types: serde decides the wire format, utoipa describes it.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The body of every error: the handlers' own and axum's extractor rejections.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code (`invalid_body`, `not_found`, ...).
    pub code: String,
    /// What went wrong, as axum or the handler said it.
    pub message: String,
}

/// What an item is (a path parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Gadget,
    SmallPart,
}

/// A colour (query, header and body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Color {
    Red,
    Green,
    DarkBlue,
}

/// The query string of `echo_params`.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// How many results (required).
    pub limit: u32,
    /// Where to start; may be negative.
    pub offset: Option<i64>,
    /// Exact matches only.
    pub exact: Option<bool>,
    /// A ratio.
    pub ratio: Option<f64>,
    /// One colour.
    pub color: Option<Color>,
    /// Tags, one `tag=` pair each.
    #[serde(default)]
    pub tag: Vec<String>,
    /// A UUID.
    pub since: Option<Uuid>,
}

/// The headers of `echo_params`.
#[derive(Debug, Clone, Serialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Header)]
pub struct EchoHeaders {
    /// The caller's request id.
    #[param(rename = "x-request-id")]
    pub request_id: Uuid,
    /// How often the caller retried.
    #[param(rename = "x-retries")]
    pub retries: Option<i32>,
    /// Whether nothing should change.
    #[param(rename = "x-dry-run")]
    pub dry_run: Option<bool>,
    /// A colour, as in the query.
    #[param(rename = "x-color")]
    pub color: Option<Color>,
}

/// What `echo_params` parsed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParamsEcho {
    pub item_id: i64,
    pub kind: Kind,
    pub query: SearchQuery,
    pub headers: EchoHeaders,
}

/// The query string of `list_widgets`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u8>,
}

/// One page of widgets.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WidgetPage {
    pub items: Vec<Widget>,
    /// The cursor of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A width and height (a nested object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub width: u32,
    pub height: u32,
    pub unit: Unit,
}

/// A unit of length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Mm,
    Inch,
}

/// A shape: an internally tagged enum (`{"type": "circle", "radius": 1.0}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Shape {
    Circle { radius: f64 },
    Rect { width: f64, height: f64 },
}

/// A label: an untagged enum (a string or an integer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Label {
    Text(String),
    Code(i64),
}

/// A finish: an externally tagged enum, serde's default (`"raw"` or `{"painted": {...}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    Raw,
    Painted { color: Color, coats: u8 },
}

/// The body of `create_widget`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWidget {
    pub name: String,
    pub size: Size,
    pub shape: Shape,
    pub label: Label,
    pub finish: Finish,
    /// Optional; `null` and absent both mean no note.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Optional.
    #[serde(default)]
    pub parent: Option<Uuid>,
}

/// A stored widget.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Widget {
    pub id: Uuid,
    /// The bearer token that created it.
    pub owner: String,
    pub name: String,
    pub size: Size,
    pub shape: Shape,
    pub label: Label,
    pub finish: Finish,
    /// `null` when the widget has no note.
    pub note: Option<String>,
    pub tags: Vec<String>,
    /// Absent when the widget has no parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Uuid>,
    /// 1 when created, one more per update.
    pub revision: u32,
}

impl Widget {
    pub(crate) fn create(id: Uuid, owner: String, new: NewWidget) -> Self {
        Self {
            id,
            owner,
            name: new.name,
            size: new.size,
            shape: new.shape,
            label: new.label,
            finish: new.finish,
            note: new.note,
            tags: new.tags,
            parent: new.parent,
            revision: 1,
        }
    }

    pub(crate) fn apply(&mut self, patch: WidgetPatch) {
        if let Some(name) = patch.name {
            self.name = name;
        }
        if let Some(note) = patch.note {
            self.note = note;
        }
        if let Some(size) = patch.size {
            self.size = size;
        }
        if let Some(label) = patch.label {
            self.label = label;
        }
        self.revision += 1;
    }
}

/// The body of `update_widget`: every field optional; `note` also nullable.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WidgetPatch {
    /// A new name (not nullable: `null` is rejected).
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = String)]
    pub name: Option<String>,
    /// Left out: unchanged; `null`: cleared; a string: replaced.
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    /// A new size.
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Size)]
    pub size: Option<Size>,
    /// A new label.
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Label)]
    pub label: Option<Label>,
}

/// A present field, whose value is `T` (for `T = Option<_>`, `null` is `Some(None)`).
fn some<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}
