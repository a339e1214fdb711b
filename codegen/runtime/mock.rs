//! Typed test doubles of the API on [`wiremock`] (feature `mock`).
//!
//! [`MockApi`] owns a local `wiremock::MockServer`; the generated module `mock` adds one method
//! per operation that returns an [`Expectation`] already holding the operation's method and path
//! template. The expectation's typed answers (`respond_created(&body)`, ...) are generated per
//! documented response; everything else is here, once.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::matchers::{body_json, header, method, query_param};
use wiremock::{Match, Mock, MockBuilder, MockGuard, MockServer, Request, ResponseTemplate, Times};

use super::{Client, ClientBuilder};

/// A local mock of the API: a `wiremock::MockServer` plus typed expectations per operation.
///
/// ```no_run
/// # async fn demo() {
/// let api = modbox::mock::MockApi::start().await;
/// let client = api.client();
/// # let _ = client;
/// # }
/// ```
///
/// Call counts set with [`Expectation::expect`] are checked when the `MockApi` is dropped (as
/// `wiremock` does) or earlier with [`MockApi::verify`].
pub struct MockApi {
    server: MockServer,
}

impl fmt::Debug for MockApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockApi")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl MockApi {
    /// Starts a mock server on a random loopback port.
    pub async fn start() -> Self {
        Self::on(MockServer::start().await)
    }

    /// Wraps a server started elsewhere (`MockServer::builder()...start()`).
    pub fn on(server: MockServer) -> Self {
        Self { server }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The underlying server, to mount plain `wiremock` mocks or read the received requests.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// A client builder pointed at the mock (set credentials or retries on it).
    pub fn client_builder(&self) -> ClientBuilder {
        ClientBuilder::default()
            .base_url(self.server.uri())
            .expect("a wiremock server's URI is a valid base URL")
    }

    /// A client pointed at the mock, otherwise configured as `Client::builder()` is.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("a client with only a base URL set builds")
    }

    /// Panics unless every mounted expectation was met (its call count, when set).
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// An expectation for one operation (called by the generated per-operation methods).
    pub(crate) fn operation<Op>(
        &self,
        name: &'static str,
        verb: &'static str,
        path: &'static [PathPiece],
    ) -> Expectation<'_, Op> {
        Expectation {
            api: self,
            name,
            verb,
            path,
            path_values: BTreeMap::new(),
            matchers: Vec::new(),
            response: None,
            times: None,
            op: PhantomData,
        }
    }
}

/// A piece of an operation's path template.
#[derive(Debug, Clone, Copy)]
pub enum PathPiece {
    Literal(&'static str),
    /// A path parameter, by wire name.
    Param(&'static str),
}

/// What the mock should expect of one operation's requests and how it answers them. Built by
/// the per-operation methods of [`MockApi`]; ends with [`Expectation::mount`].
///
/// Without any matcher every request with the operation's method and path matches. Without a
/// `respond_*` call the mock answers 500 with a text naming the operation.
#[must_use = "an expectation does nothing until it is mounted"]
pub struct Expectation<'a, Op> {
    api: &'a MockApi,
    name: &'static str,
    verb: &'static str,
    path: &'static [PathPiece],
    path_values: BTreeMap<&'static str, String>,
    matchers: Vec<Box<dyn Match>>,
    response: Option<ResponseTemplate>,
    times: Option<Times>,
    op: PhantomData<fn() -> Op>,
}

impl<Op> fmt::Debug for Expectation<'_, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &self.name)
            .field("method", &self.verb)
            .field("path_values", &self.path_values)
            .finish_non_exhaustive()
    }
}

/// An operation whose request body is JSON, so that it can be matched as its typed value.
pub trait JsonRequest {
    type Body: Serialize + DeserializeOwned + 'static;
}

impl<Op> Expectation<'_, Op> {
    /// Matches only requests whose path parameter `name` (wire name) is `value` (compared with
    /// the percent-decoded segment text).
    pub fn path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        if let Some(wire) = self.path.iter().find_map(|p| match p {
            PathPiece::Param(w) if *w == name => Some(*w),
            _ => None,
        }) {
            self.path_values.insert(wire, value.to_string());
        } else {
            // An unknown name can never match: say so at mount time instead of silently
            // matching every path.
            self.matchers.push(Box::new(Never));
        }
        self
    }

    /// Matches only requests with query parameter `name` equal to `value`.
    pub fn query_param(mut self, name: &str, value: &str) -> Self {
        self.matchers.push(Box::new(query_param(name, value)));
        self
    }

    /// Matches only requests with header `name` equal to `value`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.matchers.push(Box::new(header(name, value)));
        self
    }

    /// Adds any `wiremock` matcher.
    pub fn matching(mut self, matcher: impl Match + 'static) -> Self {
        self.matchers.push(Box::new(matcher));
        self
    }

    /// The call count the mock must see (`1`, `0`, `1..`, `2..=3`), checked on drop or by
    /// [`MockApi::verify`].
    pub fn expect(mut self, times: impl Into<Times>) -> Self {
        self.times = Some(times.into());
        self
    }

    /// Answers with any `wiremock` response (for undocumented statuses or raw bodies).
    pub fn respond_with(mut self, response: ResponseTemplate) -> Self {
        self.response = Some(response);
        self
    }

    /// Answers `status` with `body` as JSON (the generated `respond_*` methods call this with
    /// the documented status and body type).
    pub fn respond_json<T: Serialize + ?Sized>(self, status: u16, body: &T) -> Self {
        self.respond_with(ResponseTemplate::new(status).set_body_json(body))
    }

    /// Answers `status` without a body.
    pub fn respond_status(self, status: u16) -> Self {
        self.respond_with(ResponseTemplate::new(status))
    }

    fn into_mock(self) -> (Mock, &'static str) {
        let given: MockBuilder = Mock::given(method(self.verb)).and(PathMatcher {
            pieces: self.path,
            values: self.path_values,
        });
        let given = self.matchers.into_iter().fold(given, |g, m| g.and(BoxedMatch(m)));
        let response = self.response.unwrap_or_else(|| {
            ResponseTemplate::new(500)
                .set_body_string(format!("mock: no response set for `{}`", self.name))
        });
        let mut mock = given.respond_with(response).named(self.name);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        (mock, self.name)
    }

    /// Mounts the expectation on the server for the server's lifetime.
    pub async fn mount(self) {
        let api = self.api;
        let (mock, _) = self.into_mock();
        mock.mount(&api.server).await;
    }

    /// Mounts the expectation until the returned guard is dropped (its count is checked then).
    pub async fn mount_as_scoped(self) -> MockGuard {
        let api = self.api;
        let (mock, _) = self.into_mock();
        mock.mount_as_scoped(&api.server).await
    }
}

impl<Op: JsonRequest> Expectation<'_, Op> {
    /// Matches only requests whose JSON body equals `body` as this crate serialises it.
    pub fn body(mut self, body: &Op::Body) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.matchers.push(Box::new(body_json(value))),
            Err(_) => self.matchers.push(Box::new(Never)),
        }
        self
    }

    /// Matches only requests whose body decodes as the operation's body type and passes `check`.
    pub fn body_matches(mut self, check: impl Fn(&Op::Body) -> bool + Send + Sync + 'static) -> Self {
        self.matchers.push(Box::new(BodyMatcher::<Op::Body, _> {
            check,
            body: PhantomData,
        }));
        self
    }
}

struct BoxedMatch(Box<dyn Match>);

impl Match for BoxedMatch {
    fn matches(&self, request: &Request) -> bool {
        self.0.matches(request)
    }
}

struct Never;

impl Match for Never {
    fn matches(&self, _: &Request) -> bool {
        false
    }
}

struct BodyMatcher<B, F> {
    check: F,
    body: PhantomData<fn() -> B>,
}

impl<B, F> Match for BodyMatcher<B, F>
where
    B: DeserializeOwned,
    F: Fn(&B) -> bool + Send + Sync,
{
    fn matches(&self, request: &Request) -> bool {
        serde_json::from_slice::<B>(&request.body).is_ok_and(|b| (self.check)(&b))
    }
}

/// The operation's path template: literals exactly, each parameter one or more characters of a
/// segment (or, when given, the exact percent-decoded value).
struct PathMatcher {
    pieces: &'static [PathPiece],
    values: BTreeMap<&'static str, String>,
}

impl PathMatcher {
    fn matches_from(&self, pieces: &[PathPiece], path: &str) -> bool {
        match pieces.split_first() {
            None => path.is_empty(),
            Some((PathPiece::Literal(lit), rest)) => path
                .strip_prefix(lit)
                .is_some_and(|tail| self.matches_from(rest, tail)),
            Some((PathPiece::Param(name), rest)) => {
                let segment_end = path.find('/').unwrap_or(path.len());
                // Shortest capture first, so a literal suffix in the same segment (`{id}.json`)
                // can still match.
                (1..=segment_end).filter(|&end| path.is_char_boundary(end)).any(|end| {
                    let captured = &path[..end];
                    self.value_ok(name, captured) && self.matches_from(rest, &path[end..])
                })
            }
        }
    }

    fn value_ok(&self, name: &str, captured: &str) -> bool {
        match self.values.get(name) {
            None => true,
            Some(want) => percent_encoding::percent_decode_str(captured)
                .decode_utf8()
                .is_ok_and(|got| got == want.as_str()),
        }
    }
}

impl Match for PathMatcher {
    fn matches(&self, request: &Request) -> bool {
        self.matches_from(self.pieces, request.url.path())
    }
}
