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
//!     ApiError, AsyncProvider, BuildError, ByteStream, Client, ClientBuilder, CredentialError,
//!     CredentialFuture, CredentialProvider, DecodeError, Error, ErrorHeaders, FilePart, Hook,
//!     InvalidRequest, Items, JsonStream, JsonStreamError, Multipart, Nullable, Pages,
//!     PaginationError, Part, RequestOptions, Response, ResponseInfo, RetryPolicy, SendFuture,
//!     TimeoutError, TransportError, UnexpectedResponse,
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
mod file;
mod headers;
#[cfg(feature = "mock")]
pub(crate) mod mock;
mod nullable;
mod operation;
mod paginate;
mod provider;
mod request;
mod response;
mod retry;
#[cfg(feature = "sse")]
mod sse;
mod stream;
pub(crate) mod union;

#[allow(unused_imports)]
pub(crate) use auth::{ApiKeyLocation, Credential};
pub use builder::{BuildError, ClientBuilder};
pub use client::Client;
pub use encoding::{Multipart, Part};
pub use file::FilePart;
#[allow(unused_imports)]
pub(crate) use defaults::ParamIn;
#[allow(unused_imports)]
pub(crate) use encoding::Style;
#[allow(unused_imports)]
pub(crate) use file::FileValue;
#[allow(unused_imports)]
pub(crate) use error::Failure;
pub use error::{
    ApiError, DecodeError, Error, InvalidRequest, TimeoutError, TransportError, UnexpectedResponse,
};
pub use headers::ErrorHeaders;
#[allow(unused_imports)]
pub(crate) use headers::{header, header_date_time, header_json, header_str, typed_headers};
pub use nullable::Nullable;
pub use operation::SendFuture;
#[allow(unused_imports)]
pub(crate) use operation::{
    operation, send, send_future, send_with_headers, send_with_response, Operation,
};
pub use provider::{
    AsyncProvider, CredentialError, CredentialFuture, CredentialProvider, Hook, ResponseInfo,
};
pub use request::RequestOptions;
#[allow(unused_imports)]
pub(crate) use request::{request_options, ApiRequest};
pub use response::{ByteStream, Response};
#[allow(unused_imports)]
pub(crate) use response::{RawResponse, StreamingResponse};
pub use retry::RetryPolicy;
pub use paginate::{Items, Pages, PaginationError};
#[allow(unused_imports)]
pub(crate) use paginate::{paginated, Paging};
#[cfg(feature = "sse")]
pub use sse::{EventStream, EventStreamError, ServerEvent};
#[allow(unused_imports)]
pub(crate) use stream::Framing;
pub use stream::{JsonStream, JsonStreamError};
