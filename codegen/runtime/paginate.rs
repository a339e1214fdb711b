//! Pagination: one generic loop for every paginated list operation.
//!
//! A paginated operation's builder gets `into_pages()` and `into_stream()`
//! from [`paginated!`]. The builder is turned into its request once; every
//! page sends a copy of that request with one query parameter replaced (the
//! cursor, the offset or the page number) or, for `Link` headers, with the
//! path and query of the `rel="next"` URL. Each page goes through
//! `Client::execute`, so retries, timeouts and per-call options apply to
//! every page. What is per operation is only how to find the items and the
//! next cursor in a page (two plain functions).
//!
//! The loop ends on an absent or empty next cursor (or `Link`), on an empty
//! page, and on a page shorter than the requested page size. A server that
//! hands out a cursor (or next link) it already handed out ends the stream
//! with [`Error::Pagination`] instead of looping forever.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use reqwest::header::LINK;
use reqwest::Url;

use super::client::Client;
use super::error::Error;
use super::request::{ApiRequest, RequestOptions};
use super::response::{RawResponse, Response};

/// How the next page is asked for. Names are the query parameters' wire names.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Paging {
    /// The next page's cursor comes from the page body and is sent in this parameter.
    Cursor(&'static str),
    /// `offset` grows by the number of items received; `limit` is the page size.
    Offset {
        offset: &'static str,
        limit: Option<&'static str>,
    },
    /// `page` counts up from `first`; `size` is the page size.
    Page {
        page: &'static str,
        size: Option<&'static str>,
        first: u64,
    },
    /// The `Link: <url>; rel="next"` response header names the next page.
    Link,
    /// The page body names the next page's URL (read like a cursor).
    NextUrl,
}

/// A paginated operation whose stream repeated itself: the server handed out
/// a cursor (or a next-page link) it had already handed out, which would
/// repeat pages forever. Returned as [`Error::Pagination`].
///
/// ```
/// # fn demo<E>(err: modbox::Error<E>) {
/// if let modbox::Error::Pagination(e) = &err {
///     eprintln!("the server repeated itself after page {}", e.page());
/// }
/// # }
/// ```
#[derive(Clone)]
pub struct PaginationError {
    page: u64,
    cursor: String,
}

impl PaginationError {
    /// The number (from 1) of the page that carried the repeated cursor.
    #[must_use]
    pub fn page(&self) -> u64 {
        self.page
    }

    /// The repeated cursor, page number, offset or next-page URL.
    #[must_use]
    pub fn cursor(&self) -> &str {
        &self.cursor
    }
}

impl fmt::Debug for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationError")
            .field("page", &self.page)
            .field("cursor_len", &self.cursor.len())
            .finish()
    }
}

impl fmt::Display for PaginationError {
    // The cursor itself is left out: it can be long, and some APIs put signed tokens in it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "page {} repeated a cursor of an earlier page; stopped instead of looping",
            self.page
        )
    }
}

impl std::error::Error for PaginationError {}

type Decode<T, E> = fn(RawResponse) -> Result<Response<T>, Error<E>>;
type InFlight<'a, T, E> = Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send + 'a>>;

enum State<'a, T, E> {
    /// The next request is ready to be sent.
    Idle,
    Fetching(InFlight<'a, T, E>),
    /// The last page was yielded; this error comes next.
    Failed(Error<E>),
    Done,
}

/// The pages of a paginated operation, as a [`Stream`] of responses (status,
/// headers and the decoded page): from `into_pages()` on the operation's
/// request builder. Pages are fetched one at a time, when polled.
///
/// `T` is the page body, `I` an item of the page, `E` the operation's error.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, T, I, E> {
    client: &'a Client,
    req: ApiRequest,
    options: RequestOptions,
    paging: Paging,
    decode: Decode<T, E>,
    items: fn(&mut T) -> Option<&mut Vec<I>>,
    next_cursor: fn(&T) -> Option<String>,
    /// Every cursor (or next URL) sent so far.
    seen: BTreeSet<String>,
    fetched: u64,
    state: State<'a, T, E>,
}

impl<T, I, E> fmt::Debug for Pages<'_, T, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .field("fetched", &self.fetched)
            .finish_non_exhaustive()
    }
}

// Nothing is pinned in place: the request future is boxed.
impl<T, I, E> Unpin for Pages<'_, T, I, E> {}

impl<'a, T, I, E> Pages<'a, T, I, E> {
    pub(crate) fn new(
        client: &'a Client,
        (req, options): (ApiRequest, RequestOptions),
        paging: Paging,
        decode: Decode<T, E>,
        items: fn(&mut T) -> Option<&mut Vec<I>>,
        next_cursor: fn(&T) -> Option<String>,
    ) -> Self {
        let mut seen = BTreeSet::new();
        if let Paging::Cursor(param) = paging {
            // A cursor the caller started from must not come back either.
            let given = options.query.iter().chain(&req.query).find(|(n, _)| n == param);
            seen.extend(given.map(|(_, v)| v.clone()));
        }
        Self {
            client,
            req,
            options,
            paging,
            decode,
            items,
            next_cursor,
            seen,
            fetched: 0,
            state: State::Idle,
        }
    }

    /// The value of query parameter `name` of the request, as the caller set it.
    fn query_value(&self, name: &str) -> Option<u64> {
        let own = self.req.query.iter().rev().find(|(n, _)| n == name);
        let extra = self.options.query.iter().rev().find(|(n, _)| n == name);
        extra.or(own).and_then(|(_, v)| v.parse().ok())
    }

    fn set_query(&mut self, name: &str, value: String) {
        self.req.query.retain(|(n, _)| n != name);
        self.options.query.retain(|(n, _)| n != name);
        self.req.query.push((name.to_owned(), value));
    }

    /// Prepares the request of the next page after `page`, or says there is none.
    fn advance(&mut self, page: &mut Response<T>) -> State<'a, T, E> {
        let count = (self.items)(page.body_mut()).map_or(0, |v| v.len() as u64);
        let next = match self.paging {
            Paging::Cursor(param) => match (self.next_cursor)(page.body()) {
                Some(c) if !c.is_empty() => Some((param, c)),
                _ => None,
            },
            Paging::Offset { offset, limit } => {
                let short = limit.and_then(|l| self.query_value(l)).is_some_and(|l| count < l);
                let current = self.query_value(offset).unwrap_or(0);
                (count > 0 && !short).then(|| (offset, (current + count).to_string()))
            }
            Paging::Page { page: param, size, first } => {
                let short = size.and_then(|s| self.query_value(s)).is_some_and(|s| count < s);
                let current = self.query_value(param).unwrap_or(first);
                (count > 0 && !short).then(|| (param, (current + 1).to_string()))
            }
            Paging::Link => {
                return match next_link(page.headers()) {
                    None => State::Done,
                    Some(link) => self.follow(&link),
                };
            }
            Paging::NextUrl => {
                return match (self.next_cursor)(page.body()) {
                    Some(url) if !url.is_empty() => self.follow(&url),
                    _ => State::Done,
                };
            }
        };
        let Some((param, value)) = next else {
            return State::Done;
        };
        if !self.seen.insert(value.clone()) {
            return self.repeated(value);
        }
        self.set_query(param, value);
        State::Idle
    }

    fn repeated(&self, cursor: String) -> State<'a, T, E> {
        State::Failed(Error::Pagination(PaginationError {
            page: self.fetched,
            cursor,
        }))
    }

    /// Points the request at a `rel="next"` URL. Only URLs under the client's
    /// base URL are followed, so credentials never go to another server.
    fn follow(&mut self, link: &str) -> State<'a, T, E> {
        let base_text = self.client.base_url();
        let Ok(base) = Url::parse(&format!("{base_text}/")) else {
            return State::Done;
        };
        let Ok(next) = base.join(link) else {
            return State::Done;
        };
        let prefix = base.path().trim_end_matches('/');
        let same_origin = next.origin() == base.origin();
        let Some(path) = next.path().strip_prefix(prefix).filter(|p| same_origin && p.starts_with('/')) else {
            return State::Failed(Error::Pagination(PaginationError {
                page: self.fetched,
                cursor: next.to_string(),
            }));
        };
        if !self.seen.insert(next.to_string()) {
            return self.repeated(next.to_string());
        }
        self.req.path = path.to_owned();
        self.req.query = next.query_pairs().into_owned().collect();
        // The next URL already carries every query parameter of the call.
        self.options.query.clear();
        State::Idle
    }
}

/// The target of the `rel="next"` entry of the `Link` headers.
fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(LINK) {
        let Ok(text) = value.to_str() else { continue };
        for entry in text.split(',') {
            let mut parts = entry.split(';');
            let target = parts.next()?.trim();
            let is_next = parts.any(|p| {
                let p = p.trim();
                p.split_once('=').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("rel")
                        && v.trim().trim_matches('"').split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
                })
            });
            if let (true, Some(url)) = (is_next, target.strip_prefix('<').and_then(|t| t.strip_suffix('>'))) {
                return Some(url.to_owned());
            }
        }
    }
    None
}

impl<'a, T, I, E> Stream for Pages<'a, T, I, E>
where
    T: Send + 'a,
    E: Send + 'a,
{
    type Item = Result<Response<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(e) => return Poll::Ready(Some(Err(e))),
                State::Idle => {
                    let (client, decode) = (this.client, this.decode);
                    let (req, options) = (this.req.clone(), this.options.clone());
                    this.state = State::Fetching(Box::pin(async move {
                        let resp = client.execute(req, options).await?;
                        decode(resp)
                    }));
                }
                State::Fetching(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(mut page)) => {
                        this.fetched += 1;
                        this.state = this.advance(&mut page);
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }
}

/// Every item of every page of a paginated operation, as a [`Stream`]: from
/// `into_stream()` on the operation's request builder. Pages are fetched
/// when the items of the previous one are used up; an error ends the stream.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, T, I, E> {
    pages: Pages<'a, T, I, E>,
    buffer: std::vec::IntoIter<I>,
}

impl<T, I, E> fmt::Debug for Items<'_, T, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T, I, E> Unpin for Items<'_, T, I, E> {}

impl<'a, T, I, E> Items<'a, T, I, E> {
    pub(crate) fn new(pages: Pages<'a, T, I, E>) -> Self {
        Self {
            pages,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<'a, T, I, E> Stream for Items<'a, T, I, E>
where
    T: Send + 'a,
    E: Send + 'a,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    let mut body = page.into_body();
                    let items = (this.pages.items)(&mut body).map(std::mem::take).unwrap_or_default();
                    this.buffer = items.into_iter();
                }
            }
        }
    }
}

/// `into_pages()` and `into_stream()` on the request builder of a paginated
/// operation: `paginated!(Builder, Page, Item, Error, paging, items, next_cursor)`.
#[allow(unused_macros)] // most specs have no paginated operations
macro_rules! paginated {
    ($builder:ident, $page:ty, $item:ty, $error:ty, $paging:expr, $items:expr, $next:expr) => {
        impl<'a> $builder<'a> {
            /// Every item of every page, as a `Stream` (use `futures::StreamExt` or
            /// `futures::TryStreamExt` to consume it); pages are requested as the items are
            /// used up, with this builder's parameters and per-call options on every page.
            #[inline]
            pub fn into_stream(self) -> $crate::runtime::Items<'a, $page, $item, $error> {
                $crate::runtime::Items::new(self.into_pages())
            }

            /// Every page as a `Stream` of responses (status, headers and the decoded page),
            /// requested one by one with this builder's parameters and per-call options.
            #[inline]
            pub fn into_pages(self) -> $crate::runtime::Pages<'a, $page, $item, $error> {
                let client = self.client;
                $crate::runtime::Pages::new(
                    client,
                    $crate::runtime::Operation::into_parts(self),
                    $paging,
                    <Self as $crate::runtime::Operation>::decode,
                    $items,
                    $next,
                )
            }
        }
    };
}
pub(crate) use paginated;
