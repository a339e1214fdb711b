//! Runtime support shared by all operations: the [`Client`], request
//! building, retries, authentication, and error types.
//!
//! This module is the same in every generated crate and is not generated
//! from the API description.
//!
//! The crate root re-exports exactly these items publicly:
//!
//! ```text
//! pub use runtime::{
//!     ApiError, BuildError, ByteStream, Client, ClientBuilder, DecodeError, Error,
//!     InvalidRequest, Items, Multipart, Nullable, Pages, PaginationError, Part, RequestOptions,
//!     Response, RetryPolicy, SendFuture, TimeoutError, TransportError, UnexpectedResponse,
//! };
//! ```
//!
//! Everything else here is `pub(crate)` and used only by generated
//! operation code (`ApiRequest`, `Credential`, `request_options!`, ...).

// Each API uses a subset of the request and response helpers (form bodies,
// multipart, streaming downloads, ...); the rest would warn as unused.
#![allow(dead_code)]

mod auth;
pub(crate) mod base64;
mod builder;
mod client;
pub(crate) mod de;
mod defaults;
mod encoding;
mod error;
mod nullable;
mod operation;
mod paginate;
mod request;
mod response;
mod retry;
#[cfg(feature = "sse")]
mod sse;
pub(crate) mod union;

#[allow(unused_imports)]
pub(crate) use auth::{ApiKeyLocation, Credential};
pub use builder::{BuildError, ClientBuilder};
pub use client::Client;
pub use encoding::{Multipart, Part};
#[allow(unused_imports)]
pub(crate) use defaults::ParamIn;
#[allow(unused_imports)]
pub(crate) use encoding::{FileValue, Style};
#[allow(unused_imports)]
pub(crate) use error::Failure;
pub use error::{
    ApiError, DecodeError, Error, InvalidRequest, TimeoutError, TransportError, UnexpectedResponse,
};
pub use nullable::Nullable;
pub use request::RequestOptions;
#[allow(unused_imports)]
pub(crate) use request::{request_options, ApiRequest};
pub use response::{ByteStream, Response};
#[allow(unused_imports)]
pub(crate) use response::{RawResponse, StreamingResponse};
pub use retry::RetryPolicy;
#[allow(unused_imports)]
pub(crate) use operation::{operation, send, send_future, send_with_response, Operation};
pub use operation::SendFuture;
pub use paginate::{Items, Pages, PaginationError};
#[allow(unused_imports)]
pub(crate) use paginate::{paginated, Paging};
#[cfg(feature = "sse")]
pub use sse::{EventStream, EventStreamError, ServerEvent};
