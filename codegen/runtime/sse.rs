//! `text/event-stream` responses as a stream of typed events.
//!
//! Compiled only with the `sse` feature, which the generator turns on (and adds the
//! `eventsource-stream` parser for) only when the API has event-stream responses.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use eventsource_stream::Eventsource as _;
use futures_util::Stream;
use serde::de::DeserializeOwned;

use super::error::{Error, TransportError};
use super::response::{Response, StreamingResponse};

/// One server-sent event whose `data` was decoded as `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent<T> {
    /// The `event:` field (`"message"` when the server sent none).
    pub event: String,
    /// The `id:` field, empty when absent.
    pub id: String,
    /// The decoded `data:` field.
    pub data: T,
    /// The `retry:` field: how long the server asks a client to wait before reconnecting.
    pub retry: Option<std::time::Duration>,
}

/// Why an event stream stopped or an event could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError {
    /// The connection failed while reading.
    Transport(TransportError),
    /// The bytes were not a valid event stream (for example invalid UTF-8).
    Parse(String),
    /// An event's `data` did not decode into the documented type; the raw text is kept, with the
    /// JSON path of the value that failed (`None` at the top level). The stream goes on.
    Decode { data: String, path: Option<String>, error: serde_json::Error },
}

impl std::fmt::Display for EventStreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventStreamError::Transport(e) => write!(f, "event stream interrupted: {e}"),
            EventStreamError::Parse(e) => write!(f, "invalid event stream: {e}"),
            EventStreamError::Decode { path: Some(path), error, .. } => {
                write!(f, "could not decode event data at {path}: {error}")
            }
            EventStreamError::Decode { error, .. } => write!(f, "could not decode event data: {error}"),
        }
    }
}

impl std::error::Error for EventStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventStreamError::Transport(e) => Some(e),
            EventStreamError::Decode { error, .. } => Some(error),
            EventStreamError::Parse(_) => None,
        }
    }
}

type RawEvents = Pin<
    Box<dyn Stream<Item = Result<eventsource_stream::Event, eventsource_stream::EventStreamError<reqwest::Error>>> + Send>,
>;

/// A stream of [`ServerEvent`]s, read as they arrive (nothing is buffered beyond one event).
///
/// A `data: [DONE]` event, the end marker several APIs send, ends the stream.
pub struct EventStream<T> {
    inner: RawEvents,
    done: bool,
    attempts: u32,
    _data: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("done", &self.done).finish_non_exhaustive()
    }
}

/// Event data is JSON; a plain-text payload is accepted where `T` is a string.
fn decode<T: DeserializeOwned>(data: &str) -> Result<T, (serde_json::Error, Option<Box<str>>)> {
    super::de::from_slice(data.as_bytes())
        .or_else(|e| serde_json::from_value(serde_json::Value::String(data.to_owned())).map_err(|_| e))
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<ServerEvent<T>, EventStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => {
                self.done = true;
                Poll::Ready(Some(Err(match e {
                    eventsource_stream::EventStreamError::Transport(t) => {
                        EventStreamError::Transport(TransportError::new(t, self.attempts))
                    }
                    other => EventStreamError::Parse(other.to_string()),
                })))
            }
            Poll::Ready(Some(Ok(event))) => {
                if event.data.trim() == "[DONE]" {
                    self.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(match decode::<T>(&event.data) {
                    Ok(data) => Ok(ServerEvent { event: event.event, id: event.id, data, retry: event.retry }),
                    Err((error, path)) => {
                        Err(EventStreamError::Decode { data: event.data, path: path.map(String::from), error })
                    }
                }))
            }
        }
    }
}

impl StreamingResponse {
    /// Hands the body over as a stream of typed events.
    pub(crate) fn into_events<T, E>(self) -> Result<Response<EventStream<T>>, Error<E>> {
        let (mut response, attempts) = (self.response, self.attempts);
        // The body stream does not need the headers: move them out.
        let (status, headers) = (response.status(), std::mem::take(response.headers_mut()));
        let events = EventStream { inner: Box::pin(response.bytes_stream().eventsource()), done: false, attempts, _data: PhantomData };
        Ok(Response::from_parts(status, headers, events, attempts))
    }
}
