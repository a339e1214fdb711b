//! Typed response headers over loopback HTTP (fixture client `response-headers`, spec
//! `tests/fixtures/response-headers-31.yaml`): the headers a response declares are read through
//! typed accessors, undeclared ones by name.

use chrono::{TimeZone as _, Utc};
use e2e_tests::{Behaviour, RawServer};
use response_headers::operations::{CreateWidgetError, CreateWidgetErrorHeaders, CreateWidgetHeaders};
use response_headers::types::{CreateWidgetCreatedXCache, Widget};
use response_headers::{Client, Error, Response};

/// A raw response: status line, extra header lines, JSON body.
fn respond(status_line: &str, headers: &[&str], body: &str) -> Behaviour {
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    Behaviour::Respond(format!(
        "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ))
}

fn client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds")
}

async fn create(headers: &[&str]) -> Response<Widget, CreateWidgetHeaders> {
    let server = RawServer::start(respond("201 Created", headers, r#"{"name":"w"}"#)).await;
    let body = Widget { name: "w".into() };
    let resp = client(&server)
        .create_widget(&body)
        .send_with_response()
        .await
        .expect("201 decodes");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].request_line, "POST /widgets HTTP/1.1");
    resp
}

#[tokio::test]
async fn declared_headers_are_typed() {
    let resp = create(&[
        "Location: /widgets/7",
        "ETag: \"abc\"",
        "X-RateLimit-Remaining: 42",
        "X-RateLimit-Reset: 2025-01-02T03:04:05Z",
        "X-Cache: hit",
        "X-Tags: red, green,blue",
        "X-Widget-Count: 3",
        "X-Sampled: true",
        "X-Trace: {\"id\":\"t-1\"}",
        "X-Undeclared: kept",
    ])
    .await;
    assert_eq!(resp.body().name, "w");
    let h = resp.headers();
    assert_eq!(h.location(), Some("/widgets/7"));
    assert_eq!(h.etag(), Some("\"abc\""));
    let remaining: Option<i64> = h.x_rate_limit_remaining();
    assert_eq!(remaining, Some(42));
    assert_eq!(
        h.x_rate_limit_reset(),
        Some(Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap())
    );
    assert_eq!(h.x_cache(), Some(CreateWidgetCreatedXCache::Hit));
    assert_eq!(
        h.x_tags(),
        Some(vec!["red".to_owned(), "green".to_owned(), "blue".to_owned()])
    );
    // Declared as an integer on 201 and a string on 202: read as text.
    assert_eq!(h.x_widget_count(), Some("3"));
    assert_eq!(h.x_sampled(), Some(true));
    assert_eq!(h.x_trace().and_then(|t| t.id), Some("t-1".to_owned()));
    // Undeclared headers stay reachable by name, through the `HeaderMap` the view dereferences to.
    assert_eq!(h.get("x-undeclared").map(|v| v.as_bytes()), Some(&b"kept"[..]));
    assert_eq!(resp.request_id(), None);
}

#[tokio::test]
async fn malformed_values_are_none_and_stay_reachable_by_name() {
    let resp = create(&[
        "X-RateLimit-Remaining: lots",
        "X-RateLimit-Reset: tomorrow",
        "X-Cache: stale",
        "X-Sampled: yes",
        "X-Trace: {not json",
    ])
    .await;
    let h = resp.headers();
    assert_eq!(h.x_rate_limit_remaining(), None);
    assert_eq!(h.get("x-ratelimit-remaining").map(|v| v.as_bytes()), Some(&b"lots"[..]));
    assert_eq!(h.x_rate_limit_reset(), None);
    // An enum keeps values it does not know, as in bodies.
    assert_eq!(
        h.x_cache(),
        Some(CreateWidgetCreatedXCache::Unknown("stale".to_owned()))
    );
    assert_eq!(h.x_sampled(), None);
    assert_eq!(h.x_trace(), None);
}

#[tokio::test]
async fn date_time_headers_also_read_http_dates() {
    let resp = create(&["X-RateLimit-Reset: Thu, 02 Jan 2025 03:04:05 GMT"]).await;
    assert_eq!(
        resp.headers().x_rate_limit_reset(),
        Some(Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap())
    );
    let resp = create(&["X-RateLimit-Reset: Tue, 29 Feb 2028 23:59:59 GMT"]).await;
    assert_eq!(
        resp.headers().x_rate_limit_reset(),
        Some(Utc.with_ymd_and_hms(2028, 2, 29, 23, 59, 59).unwrap())
    );
}

#[tokio::test]
async fn absent_headers_are_none_even_when_required() {
    let resp = create(&[]).await;
    let h = resp.headers();
    // `Location` is declared required: a server that leaves it out gets `None`, not a panic.
    assert_eq!(h.location(), None);
    assert_eq!(h.x_rate_limit_remaining(), None);
    assert_eq!(h.x_tags(), None);
    let (status, map, body) = resp.into_parts();
    assert_eq!(status.as_u16(), 201);
    assert!(map.get("location").is_none());
    assert_eq!(body.name, "w");
}

#[tokio::test]
async fn repeated_array_header_lines_are_joined() {
    let resp = create(&[
        "X-Tags: a,b",
        "X-Tags: c",
        "X-RateLimit-Remaining: 5",
        "X-RateLimit-Remaining: 9",
    ])
    .await;
    assert_eq!(
        resp.headers().x_tags(),
        Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
    );
    // A scalar reads its first line.
    assert_eq!(resp.headers().x_rate_limit_remaining(), Some(5));
}

#[tokio::test]
async fn error_response_exposes_its_typed_headers() {
    let server = RawServer::start(respond(
        "429 Too Many Requests",
        &["Retry-After: 30", "X-RateLimit-Reset: 1735787045"],
        r#"{"detail":"slow down"}"#,
    ))
    .await;
    let body = Widget { name: "w".into() };
    let err = client(&server)
        .create_widget(&body)
        .send()
        .await
        .expect_err("429 is an error");
    assert!(matches!(
        err.api_body(),
        Some(CreateWidgetError::TooManyRequests(p)) if p.detail.as_deref() == Some("slow down")
    ));
    let headers: CreateWidgetErrorHeaders = err.typed_headers().expect("a response arrived");
    assert_eq!(headers.retry_after(), Some(30));
    // Declared as a date-time on 201 but as an integer on 429: the error view has its own type.
    assert_eq!(headers.x_rate_limit_reset(), Some(1_735_787_045));
    let Error::Api(api) = err else {
        panic!("documented error expected");
    };
    assert_eq!(api.typed_headers().retry_after(), Some(30));
}

#[tokio::test]
async fn operation_without_declared_headers_keeps_the_header_map() {
    let server = RawServer::start(respond("200 OK", &["X-Anything: 1"], r#"{"name":"w"}"#)).await;
    let resp = client(&server)
        .get_widget("w1")
        .send_with_response()
        .await
        .expect("200");
    // `Response<Widget>` (headers: the `HeaderMap`): no view for this operation.
    let resp: Response<Widget> = resp;
    assert_eq!(resp.headers().get("x-anything").map(|v| v.as_bytes()), Some(&b"1"[..]));
}

#[tokio::test]
async fn shared_error_enum_has_one_headers_view() {
    let server = RawServer::start(respond("429 Too Many Requests", &["Retry-After: 2"], "")).await;
    let client = client(&server);
    let err = client.get_widget("w1").send().await.expect_err("429 is an error");
    // `GetWidgetError` and `DeleteWidgetError` are both `TooManyRequestsError`.
    let headers: response_headers::operations::TooManyRequestsErrorHeaders =
        err.typed_headers().expect("a response arrived");
    let retry_after: Option<i32> = headers.retry_after();
    assert_eq!(retry_after, Some(2));
    assert!(matches!(
        err.api_body(),
        Some(response_headers::operations::DeleteWidgetError::TooManyRequests)
    ));
}
