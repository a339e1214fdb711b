//! axum's extractors with their rejections turned into [`ErrorBody`] responses (the status stays
//! the one axum chose), and the extractors for headers and credentials.

use std::fmt::Display;
use std::str::FromStr;

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;

use crate::models::{Color, EchoHeaders, ErrorBody};
use crate::{API_KEY, BEARER_TOKEN};

/// An error response: a status and an [`ErrorBody`].
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Display) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.to_owned(),
                message: message.to_string(),
            },
        }
    }

    pub fn not_found(id: impl Display) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("no widget {id}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// `axum::Json`, rejecting with an [`ErrorBody`]: 400 for a syntax error, 415 for a missing
/// `content-type: application/json`, 422 for JSON that does not match `T`.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    ApiError::new(rejection.status(), "invalid_body", rejection.body_text())
}

/// `axum_extra::extract::Query` (repeated keys decode into a `Vec`), rejecting with a 400
/// [`ErrorBody`].
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum_extra::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum_extra::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::new(
                rejection.status(),
                "invalid_query",
                rejection.body_text(),
            )),
        }
    }
}

/// `axum::extract::Path`, rejecting with an [`ErrorBody`] (400 for a segment that does not
/// parse).
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(path_rejection(&rejection)),
        }
    }
}

fn path_rejection(rejection: &PathRejection) -> ApiError {
    ApiError::new(rejection.status(), "invalid_path", rejection.body_text())
}

/// One header, decoded by `parse`: `None` when absent, a 400 when present but invalid (not
/// UTF-8, or not what `parse` accepts).
fn header<T, E: Display>(
    headers: &HeaderMap,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, ApiError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let invalid = |e: &dyn Display| ApiError::new(StatusCode::BAD_REQUEST, "invalid_header", format!("{name}: {e}"));
    let text = value.to_str().map_err(|e| invalid(&e))?;
    parse(text).map(Some).map_err(|e| invalid(&e))
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "invalid_header", format!("{name}: missing")))
}

/// The enum's serde name (`dark_blue`), so headers take the same values as the query and bodies.
fn color(text: &str) -> Result<Color, serde_json::Error> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
}

impl<S: Send + Sync> FromRequestParts<S> for EchoHeaders {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let h = &parts.headers;
        Ok(Self {
            request_id: required(header(h, "x-request-id", uuid::Uuid::from_str)?, "x-request-id")?,
            retries: header(h, "x-retries", i32::from_str)?,
            dry_run: header(h, "x-dry-run", bool::from_str)?,
            color: header(h, "x-color", color)?,
        })
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
}

/// `Authorization: Bearer <token>` with the token [`BEARER_TOKEN`]; the token is the owner.
pub struct BearerAuth(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BearerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let value = header(&parts.headers, "authorization", |v| {
            Ok::<_, std::convert::Infallible>(v.to_owned())
        })?
        .ok_or_else(|| unauthorized("no authorization header"))?;
        match value.strip_prefix("Bearer ") {
            Some(token) if token == BEARER_TOKEN => Ok(Self(token.to_owned())),
            Some(_) => Err(unauthorized("unknown bearer token")),
            None => Err(unauthorized("not a bearer token")),
        }
    }
}

/// `x-api-key: <key>` with the key [`API_KEY`].
pub struct ApiKeyAuth;

impl<S: Send + Sync> FromRequestParts<S> for ApiKeyAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        match parts.headers.get("x-api-key") {
            Some(key) if key.as_bytes() == API_KEY.as_bytes() => Ok(Self),
            Some(_) => Err(unauthorized("unknown API key")),
            None => Err(unauthorized("no x-api-key header")),
        }
    }
}
