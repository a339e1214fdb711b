//! JSON Lines (`application/jsonl`, `application/x-ndjson`) and JSON text sequences
//! (`application/json-seq`, RFC 7464) as a stream of typed items, read as the bytes arrive.
//!
//! No parser dependency: the body is split here, one item at a time. The splitting is not
//! generic; only decoding an item is, so each item type adds one small `poll_next`.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use serde::de::DeserializeOwned;

use super::error::{DecodeKind, Error, TransportError};
use super::response::{RawResponse, Response, StreamingResponse};

/// How the items of a body are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One JSON value per line (`\n`; a `\r` before it is ignored).
    Lines,
    /// RFC 7464: each JSON text starts with the record separator `0x1E` and may span lines.
    RecordSeparator,
}

const RS: u8 = 0x1e;

impl Framing {
    fn separator(self) -> u8 {
        match self {
            Framing::Lines => b'\n',
            Framing::RecordSeparator => RS,
        }
    }
}

/// An item that is only whitespace (an empty line, the text before the first `0x1E`) is no item.
fn trimmed(raw: &[u8]) -> &[u8] {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(raw.len());
    let end = raw.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
    &raw[start..end]
}

/// Splits a whole body into its items (the buffered `send()` path).
fn split(body: &[u8], framing: Framing) -> impl Iterator<Item = &[u8]> {
    body.split(move |b| *b == framing.separator())
        .map(trimmed)
        .filter(|item| !item.is_empty())
}

/// One item of a [`JsonStream`] that could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum JsonStreamError {
    /// The connection failed while reading. The stream ends after this item.
    Transport(TransportError),
    /// An item did not decode into the documented type. The stream goes on with the next item.
    Decode {
        /// The item as received, lossily UTF-8, without its line end (or record separator).
        raw: String,
        /// Position of the item in the stream, from 0 (blank lines are not items).
        index: usize,
        /// JSON path of the value that failed inside the item (`owner.id`), `None` at its top level.
        path: Option<String>,
        error: serde_json::Error,
    },
}

impl std::fmt::Display for JsonStreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonStreamError::Transport(e) => write!(f, "JSON stream interrupted: {e}"),
            JsonStreamError::Decode { index, path: Some(path), error, .. } => {
                write!(f, "could not decode item {index} of the JSON stream at {path}: {error}")
            }
            JsonStreamError::Decode { index, path: None, error, .. } => {
                write!(f, "could not decode item {index} of the JSON stream: {error}")
            }
        }
    }
}

impl std::error::Error for JsonStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonStreamError::Transport(e) => Some(e),
            JsonStreamError::Decode { error, .. } => Some(error),
        }
    }
}

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The untyped part of a [`JsonStream`]: bytes in, one raw item out.
struct Records {
    chunks: Chunks,
    framing: Framing,
    /// Bytes received but not yet handed out: the start of the next item.
    pending: Vec<u8>,
    /// How much of `pending` is known to hold no separator.
    searched: usize,
    /// The body has ended; what is left in `pending` is the last item.
    eof: bool,
    /// Nothing more will be handed out (the body is used up, or the connection failed).
    done: bool,
    attempts: u32,
}

impl Records {
    /// The next non-blank item, as soon as its separator (or the end of the body) has arrived.
    fn poll_record(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<u8>, TransportError>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let sep = self.framing.separator();
            if let Some(i) = self.pending[self.searched..].iter().position(|b| *b == sep) {
                let end = self.searched + i;
                let rest = self.pending.split_off(end + 1);
                let mut item = std::mem::replace(&mut self.pending, rest);
                item.truncate(end);
                self.searched = 0;
                if !trimmed(&item).is_empty() {
                    return Poll::Ready(Some(Ok(item)));
                }
                continue;
            }
            self.searched = self.pending.len();
            if self.eof {
                // A last item without a trailing newline is still an item.
                self.done = true;
                let item = std::mem::take(&mut self.pending);
                return Poll::Ready((!trimmed(&item).is_empty()).then_some(Ok(item)));
            }
            match self.chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.pending.extend_from_slice(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    self.pending = Vec::new();
                    return Poll::Ready(Some(Err(TransportError::new(e, self.attempts))));
                }
                Poll::Ready(None) => self.eof = true,
            }
        }
    }
}

/// A stream of JSON items decoded as `T`, read as they arrive: only the item being received is
/// held in memory, never the whole body.
///
/// Blank lines are skipped, `\r\n` line ends are accepted, and a last line without a newline is
/// an item. A malformed item is a [`JsonStreamError::Decode`] carrying the raw text, and the
/// stream goes on; a broken connection is a [`JsonStreamError::Transport`], and the stream ends.
pub struct JsonStream<T> {
    records: Records,
    index: usize,
    _item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonStream")
            .field("framing", &self.records.framing)
            .field("items", &self.index)
            .finish_non_exhaustive()
    }
}

fn decode_item<T: DeserializeOwned>(raw: &[u8], index: usize) -> Result<T, JsonStreamError> {
    super::de::from_slice(trimmed(raw)).map_err(|(error, path)| JsonStreamError::Decode {
        raw: String::from_utf8_lossy(raw).trim_end_matches(['\r', '\n']).to_owned(),
        index,
        path: path.map(String::from),
        error,
    })
}

impl<T: DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T, JsonStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.records.poll_record(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(JsonStreamError::Transport(e)))),
            Poll::Ready(Some(Ok(raw))) => {
                let index = this.index;
                this.index += 1;
                Poll::Ready(Some(decode_item(&raw, index)))
            }
        }
    }
}

impl StreamingResponse {
    /// Hands the body over as a stream of typed items.
    #[allow(clippy::unnecessary_wraps)] // same shape as `json`, for generated code
    pub(crate) fn into_json_stream<T, E>(self, framing: Framing) -> Result<Response<JsonStream<T>>, Error<E>> {
        let (mut response, attempts) = (self.response, self.attempts);
        let (status, headers) = (response.status(), std::mem::take(response.headers_mut()));
        let records = Records {
            chunks: Box::pin(response.bytes_stream()),
            framing,
            pending: Vec::new(),
            searched: 0,
            eof: false,
            done: false,
            attempts,
        };
        let stream = JsonStream { records, index: 0, _item: PhantomData };
        Ok(Response::from_parts(status, headers, stream, attempts))
    }
}

impl RawResponse {
    /// Decodes a whole JSON Lines / JSON text sequence body into its items. The first item that
    /// fails is the error, its path prefixed with the item's index (`[2].owner.id`), as if the
    /// items were a JSON array (which is how OpenAPI 3.2 models a sequential body).
    pub(crate) fn json_items<T: DeserializeOwned, E>(self, framing: Framing) -> Result<Response<Vec<T>>, Error<E>> {
        let mut items = Vec::new();
        let mut failure = None;
        for (index, raw) in split(&self.body, framing).enumerate() {
            match super::de::from_slice(raw) {
                Ok(item) => items.push(item),
                Err((error, path)) => {
                    let path = match path {
                        Some(p) if p.starts_with('[') => format!("[{index}]{p}"),
                        Some(p) => format!("[{index}].{p}"),
                        None => format!("[{index}]"),
                    };
                    failure = Some(DecodeKind::Json(error, Some(path.into_boxed_str())));
                    break;
                }
            }
        }
        match failure {
            None => Ok(Response::from_parts(self.status, self.headers, items, self.attempts)),
            Some(kind) => Err(Error::Decode(self.decode_error(kind))),
        }
    }
}
