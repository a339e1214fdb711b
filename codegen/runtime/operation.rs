//! How every operation is sent: one generic implementation instead of one
//! per operation.
//!
//! A generated request builder implements [`Operation`] (how its request is
//! built and how its response is read, both plain functions) and gets its
//! `send`, `send_with_response` and `IntoFuture` from [`operation!`]. The
//! `async` code lives here once; the compiler instantiates it only for the
//! operations a program actually sends, so a crate with hundreds of
//! operations does not compile hundreds of state machines up front.
//!
//! The per-operation functions (`into_parts`, `decode`, the error enums'
//! `from_response` and the methods below) are `#[inline]` for the same
//! reason: an inline function is compiled where it is used, not in this
//! crate, so the response decoding code of an operation (serde's
//! deserializers for its types) is only generated for the operations a
//! program calls.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::client::Client;
use super::error::Error;
use super::request::{ApiRequest, RequestOptions};
use super::response::{RawResponse, Response};

/// A request builder of one operation.
pub(crate) trait Operation: Sized {
    /// What `send` returns on success.
    type Output;
    /// The operation's documented errors.
    type Error;

    /// The request and the per-call options.
    fn into_parts(self) -> (ApiRequest, RequestOptions);

    /// Reads a buffered response: the success body or the documented error.
    fn decode(resp: RawResponse) -> Result<Response<Self::Output>, Error<Self::Error>>;
}

/// Sends the operation's request (with retries) and decodes the response.
pub(crate) async fn send_with_response<O: Operation>(
    client: &Client,
    op: O,
) -> Result<Response<O::Output>, Error<O::Error>> {
    let (req, options) = op.into_parts();
    let resp = client.execute(req, options).await?;
    O::decode(resp)
}

/// Like [`send_with_response`], with the headers behind the operation's typed
/// view `H`.
pub(crate) async fn send_with_headers<O: Operation, H: From<reqwest::header::HeaderMap>>(
    client: &Client,
    op: O,
) -> Result<Response<O::Output, H>, Error<O::Error>> {
    send_with_response(client, op).await.map(Response::typed)
}

/// Like [`send_with_response`], keeping the body only.
pub(crate) async fn send<O: Operation>(client: &Client, op: O) -> Result<O::Output, Error<O::Error>> {
    send_with_response(client, op).await.map(Response::into_body)
}

/// The future of `builder.await` (`IntoFuture` needs a named type): sends
/// the request the first time it is polled and resolves to what `send()`
/// does. `T` is the success body, `E` the operation's documented errors.
///
/// The request's state machine is boxed on the first poll (one allocation
/// per call), inside generic code that is compiled only for the operations a
/// program sends. `send()` returns the same state machine unboxed.
#[must_use = "futures do nothing unless polled"]
pub struct SendFuture<'a, O, T, E> {
    state: State<'a, O, T, E>,
}

type Boxed<'a, T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send + 'a>>;

enum State<'a, O, T, E> {
    Ready(Option<(&'a Client, O)>),
    Sending(Boxed<'a, T, E>),
}

/// The future of `builder.await`: resolves to the decoded body.
pub(crate) fn send_future<O: Operation>(client: &Client, op: O) -> SendFuture<'_, O, O::Output, O::Error> {
    SendFuture {
        state: State::Ready(Some((client, op))),
    }
}

impl<O, T, E> std::fmt::Debug for SendFuture<'_, O, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}

// The builder is only moved into the boxed future, never pinned itself.
impl<O, T, E> Unpin for SendFuture<'_, O, T, E> {}

impl<'a, O, T, E> Future for SendFuture<'a, O, T, E>
where
    O: Operation<Output = T, Error = E> + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let State::Ready(ready) = &mut this.state {
            // `Ready(None)` cannot be observed: the state is replaced at once.
            if let Some((client, op)) = ready.take() {
                this.state = State::Sending(Box::pin(send(client, op)));
            }
        }
        match &mut this.state {
            State::Sending(fut) => fut.as_mut().poll(cx),
            State::Ready(_) => Poll::Pending,
        }
    }
}

/// The per-call options (`request_options!`), `send`, `send_with_response` and `IntoFuture` of a
/// request builder that implements [`Operation`]: `operation!(Builder, Output, Error)`, or
/// `operation!(Builder, Output, Error, Headers)` when `send_with_response` returns the typed
/// headers view `Headers` (see `typed_headers!`).
#[allow(unused_macros)] // a spec without operations has no builders
macro_rules! operation {
    ($builder:ident, $output:ty, $error:ty) => {
        $crate::runtime::operation!(@impl $builder, $output, $error, ::reqwest::header::HeaderMap, send_with_response);
    };
    ($builder:ident, $output:ty, $error:ty, $headers:ty) => {
        $crate::runtime::operation!(@impl $builder, $output, $error, $headers, send_with_headers);
    };
    (@impl $builder:ident, $output:ty, $error:ty, $headers:ty, $send_with_response:ident) => {
        $crate::runtime::request_options!($builder<'_>);

        impl<'a> $builder<'a> {
            /// Sends the request and decodes the response body. The future is `Send` when the
            /// builder's arguments are.
            #[inline]
            pub fn send(
                self,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<$output, $crate::Error<$error>>> + 'a {
                $crate::runtime::send(self.client, self)
            }

            /// Sends the request; the result also carries the status and headers.
            #[inline]
            pub fn send_with_response(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<$crate::Response<$output, $headers>, $crate::Error<$error>>,
            > + 'a {
                $crate::runtime::$send_with_response(self.client, self)
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::std::result::Result<$output, $crate::Error<$error>>;
            type IntoFuture = $crate::runtime::SendFuture<'a, Self, $output, $error>;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                $crate::runtime::send_future(self.client, self)
            }
        }
    };
}
pub(crate) use operation;
