//! A small axum server whose OpenAPI document is written by utoipa from the handlers and types
//! below. `tests/interop_axum.rs` generates a client from that document
//! (`tests/interop/axum/openapi.json`) and drives every operation through it.
//!
//! Requests are validated as strictly as axum and serde allow: typed extractors, enums, UUIDs,
//! `deny_unknown_fields` on every request body and query string. Every rejection, the
//! framework's own included, answers with an [`ErrorBody`] whose status is the one axum chose,
//! and the handlers answer with what they parsed, so a test sees what the server saw.

mod extract;
mod models;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub use extract::ApiError;
pub use models::*;

use extract::{ApiKeyAuth, AppJson, AppPath, AppQuery, BearerAuth};

/// The bearer token [`create_widget`] and [`update_widget`] accept.
pub const BEARER_TOKEN: &str = "token-ann";
/// The API key [`delete_widget`] accepts.
pub const API_KEY: &str = "key-admin";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Interop axum",
        version = "1.0.0",
        description = "Widgets served by axum, described by utoipa"
    ),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
        );
    }
}

/// The widgets created so far, by id (ids count up from 1, so listing in id order is creation
/// order).
#[derive(Clone, Default)]
struct Store {
    widgets: Arc<Mutex<BTreeMap<Uuid, Widget>>>,
}

impl Store {
    fn with<R>(&self, f: impl FnOnce(&mut BTreeMap<Uuid, Widget>) -> R) -> R {
        f(&mut self.widgets.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

fn parts() -> (axum::Router, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(echo_params))
        .routes(routes!(list_widgets, create_widget))
        .routes(routes!(get_widget, update_widget, delete_widget))
        .with_state(Store::default())
        .split_for_parts()
}

/// The application, with an empty store.
pub fn router() -> axum::Router {
    parts().0
}

/// The OpenAPI document utoipa builds from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    parts().1
}

/// [`openapi`] as the JSON committed in `tests/interop/axum/openapi.json` (pretty, with a final
/// line break).
pub fn openapi_json() -> String {
    let mut text = openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// Serves [`router`] on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router()).await
}

/// Echoes the path, query and header parameters as the server parsed them.
#[utoipa::path(
    get,
    path = "/echo/{item_id}/{kind}",
    params(
        ("item_id" = i64, Path, description = "Any 64-bit integer"),
        ("kind" = Kind, Path, description = "What the item is"),
        SearchQuery,
        EchoHeaders,
    ),
    responses(
        (status = 200, description = "What the server parsed", body = ParamsEcho),
        (status = 400, description = "A parameter did not parse", body = ErrorBody),
    )
)]
async fn echo_params(
    AppPath((item_id, kind)): AppPath<(i64, Kind)>,
    AppQuery(query): AppQuery<SearchQuery>,
    headers: EchoHeaders,
) -> Json<ParamsEcho> {
    Json(ParamsEcho {
        item_id,
        kind,
        query,
        headers,
    })
}

/// Lists widgets in creation order, a page at a time.
#[utoipa::path(
    get,
    path = "/widgets",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = WidgetPage),
        (status = 400, description = "A parameter did not parse", body = ErrorBody),
    )
)]
async fn list_widgets(
    State(store): State<Store>,
    AppQuery(page): AppQuery<PageQuery>,
) -> Result<Json<WidgetPage>, ApiError> {
    let after = match page.cursor.as_deref() {
        None => None,
        Some(cursor) => {
            Some(Uuid::parse_str(cursor).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_cursor", e))?)
        }
    };
    let limit = usize::from(page.limit.unwrap_or(10).clamp(1, 100));
    let mut items: Vec<Widget> = store.with(|widgets| {
        let mut rest = widgets.values().filter(|w| after.is_none_or(|a| w.id > a));
        rest.by_ref().take(limit + 1).cloned().collect()
    });
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|w| w.id.to_string())
    } else {
        None
    };
    Ok(Json(WidgetPage { items, next_cursor }))
}

/// Creates a widget owned by the caller.
#[utoipa::path(
    post,
    path = "/widgets",
    request_body = NewWidget,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Widget),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = ErrorBody),
        (status = 422, description = "The body does not match `NewWidget`", body = ErrorBody),
    )
)]
async fn create_widget(
    State(store): State<Store>,
    BearerAuth(owner): BearerAuth,
    AppJson(new): AppJson<NewWidget>,
) -> (StatusCode, Json<Widget>) {
    let widget = store.with(|widgets| {
        let next = u128::try_from(widgets.len()).unwrap_or(u128::MAX - 1) + 1;
        let widget = Widget::create(Uuid::from_u128(next), owner, new);
        widgets.insert(widget.id, widget.clone());
        widget
    });
    (StatusCode::CREATED, Json(widget))
}

/// Reads one widget.
#[utoipa::path(
    get,
    path = "/widgets/{widget_id}",
    params(("widget_id" = Uuid, Path, description = "The widget's id")),
    responses(
        (status = 200, description = "The widget", body = Widget),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such widget", body = ErrorBody),
    )
)]
async fn get_widget(State(store): State<Store>, AppPath(widget_id): AppPath<Uuid>) -> Result<Json<Widget>, ApiError> {
    store
        .with(|widgets| widgets.get(&widget_id).cloned())
        .map(Json)
        .ok_or_else(|| ApiError::not_found(widget_id))
}

/// Changes the fields the body sets: a field left out stays, `note: null` clears the note.
#[utoipa::path(
    patch,
    path = "/widgets/{widget_id}",
    params(("widget_id" = Uuid, Path, description = "The widget's id")),
    request_body = WidgetPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The widget after the change", body = Widget),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such widget", body = ErrorBody),
        (status = 422, description = "The body does not match `WidgetPatch`", body = ErrorBody),
    )
)]
async fn update_widget(
    State(store): State<Store>,
    BearerAuth(_): BearerAuth,
    AppPath(widget_id): AppPath<Uuid>,
    AppJson(patch): AppJson<WidgetPatch>,
) -> Result<Json<Widget>, ApiError> {
    store
        .with(|widgets| {
            let widget = widgets.get_mut(&widget_id)?;
            widget.apply(patch);
            Some(widget.clone())
        })
        .map(Json)
        .ok_or_else(|| ApiError::not_found(widget_id))
}

/// Deletes a widget.
#[utoipa::path(
    delete,
    path = "/widgets/{widget_id}",
    params(("widget_id" = Uuid, Path, description = "The widget's id")),
    security(("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid API key", body = ErrorBody),
        (status = 404, description = "No such widget", body = ErrorBody),
    )
)]
async fn delete_widget(
    State(store): State<Store>,
    ApiKeyAuth: ApiKeyAuth,
    AppPath(widget_id): AppPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    store
        .with(|widgets| widgets.remove(&widget_id))
        .map(|_| StatusCode::NO_CONTENT)
        .ok_or_else(|| ApiError::not_found(widget_id))
}
