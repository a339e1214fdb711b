//! Typed streams over real HTTP on loopback (`tests/fixtures/streams-31.yaml`): server-sent events
//! with an item type, JSON Lines, NDJSON and JSON text sequences, sent in chunks.

use std::sync::Arc;
use std::time::Duration;

use e2e_tests::{Behaviour, Chunked, RawServer};
use futures_util::StreamExt as _;
use streams::types::{Item, Tick};
use streams::{Client, JsonStreamError};

fn client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn item(name: &str, description: Option<&str>) -> Item {
    Item {
        name: name.into(),
        description: description.map(Into::into),
    }
}

/// The server sends the first chunk, then waits for `gate`, which the test fires only after it has
/// received the first item: the first item cannot have waited for the end of the body.
fn gated(content_type: &str, first: &[u8], rest: &[&[u8]]) -> (Behaviour, Arc<tokio::sync::Notify>) {
    let gate = Arc::new(tokio::sync::Notify::new());
    let behaviour = Behaviour::Chunked(Chunked {
        head: format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\n"),
        before: vec![first.to_vec()],
        gate: Some(gate.clone()),
        after: rest.iter().map(|c| c.to_vec()).collect(),
        complete: true,
    });
    (behaviour, gate)
}

#[tokio::test]
async fn typed_events_arrive_before_the_body_ends() {
    let (behaviour, gate) = gated(
        "text/event-stream; charset=utf-8",
        b"event: created\nid: 7\nretry: 1500\ndata: {\"name\": \"Plumbus\", \"description\": null}\n\n",
        &[
            b"data: {\"name\": \"Portal Gun\",",
            b" \"description\": \"A portal opening device.\"}\n\n",
        ],
    );
    let server = RawServer::start(behaviour).await;
    let resp = client(&server).sse_items().send_events().await.expect("stream opens");
    assert_eq!(resp.status().as_u16(), 200);
    let mut events = resp.into_body();

    let first = events.next().await.expect("an event").expect("it decodes");
    assert_eq!(first.data, item("Plumbus", None));
    assert_eq!((first.event.as_str(), first.id.as_str()), ("created", "7"));
    assert_eq!(first.retry, Some(Duration::from_millis(1500)));
    gate.notify_one();

    let second = events.next().await.expect("a second event").expect("it decodes");
    assert_eq!(second.data, item("Portal Gun", Some("A portal opening device.")));
    // `id` carries over from the previous event, as the SSE standard says; `event` does not.
    assert_eq!(
        (second.event.as_str(), second.id.as_str(), second.retry),
        ("message", "7", None)
    );
    assert!(events.next().await.is_none(), "the stream ends with the body");

    let req = &server.requests()[0];
    assert_eq!(req.request_line, "GET /items/events HTTP/1.1");
    assert_eq!(req.header("accept"), "text/event-stream");
}

#[tokio::test]
async fn event_itemschema_by_ref_and_plain_text_events() {
    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "text/event-stream",
        &[b"event: tick\ndata: {\"symbol\": \"ABC\", \"price\": 1.5}\n\n"],
    )))
    .await;
    let events: Vec<_> = client(&server)
        .ticks()
        .send_events()
        .await
        .expect("opens")
        .into_body()
        .collect()
        .await;
    let tick = events.into_iter().next().expect("one event").expect("decodes");
    assert_eq!(
        tick.data,
        Tick {
            symbol: "ABC".into(),
            price: 1.5
        }
    );
    assert_eq!(tick.event, "tick");

    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "text/event-stream",
        &[b"data: started\n\ndata: {\"not\": \"parsed\"}\n\n"],
    )))
    .await;
    let events: Vec<String> = client(&server)
        .sse_logs()
        .send_events()
        .await
        .expect("opens")
        .into_body()
        .map(|e| e.expect("text data").data)
        .collect()
        .await;
    assert_eq!(events, ["started", "{\"not\": \"parsed\"}"]);
}

/// A malformed event keeps its raw `data` and the path of the failing value; the next event still
/// arrives.
#[tokio::test]
async fn malformed_event_then_the_next_one() {
    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "text/event-stream",
        &[b"data: {\"symbol\": \"A\", \"price\": \"high\"}\n\ndata: {\"symbol\": \"B\", \"price\": 2}\n\n"],
    )))
    .await;
    let events: Vec<_> = client(&server)
        .ticks()
        .send_events()
        .await
        .expect("opens")
        .into_body()
        .collect()
        .await;
    assert_eq!(events.len(), 2, "{events:?}");
    match &events[0] {
        Err(streams::EventStreamError::Decode { data, path, .. }) => {
            assert_eq!(data, "{\"symbol\": \"A\", \"price\": \"high\"}");
            assert_eq!(path.as_deref(), Some("price"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(
        events[1].as_ref().expect("decodes").data,
        Tick {
            symbol: "B".into(),
            price: 2.0
        }
    );
}

#[tokio::test]
async fn json_lines_arrive_before_the_body_ends() {
    let (behaviour, gate) = gated(
        "application/jsonl",
        b"{\"name\": \"Plumbus\", \"description\": null}\n{\"name\": \"Portal",
        &[b" Gun\", \"description\": \"A portal opening device.\"}\n"],
    );
    let server = RawServer::start(behaviour).await;
    let resp = client(&server)
        .stream_items()
        .limit(2)
        .send_items()
        .await
        .expect("stream opens");
    let mut items = resp.into_body();

    let first = items.next().await.expect("an item").expect("it decodes");
    assert_eq!(first, item("Plumbus", None));
    gate.notify_one();
    let second = items.next().await.expect("a second item").expect("it decodes");
    assert_eq!(second, item("Portal Gun", Some("A portal opening device.")));
    assert!(items.next().await.is_none());

    let req = &server.requests()[0];
    assert_eq!(req.request_line, "GET /items/lines?limit=2 HTTP/1.1");
    assert_eq!(req.header("accept"), "application/jsonl");
}

/// A malformed line is an error item with the raw line, the path and the serde error; the stream
/// goes on with the next line. Blank lines are skipped, `\r\n` ends are accepted, and a last line
/// without a newline is an item.
#[tokio::test]
async fn malformed_line_blank_lines_crlf_and_last_line_without_newline() {
    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "application/x-ndjson",
        &[
            b"{\"name\": \"a\", \"description\": null}\r\n\r\n",
            b"\n{\"name\": 5, \"description\": null}\r\n",
            b"not json\n   \n",
            b"{\"name\": \"b\", \"description\": \"last\"}",
        ],
    )))
    .await;
    let items: Vec<_> = client(&server)
        .items_ndjson()
        .send_items()
        .await
        .expect("opens")
        .into_body()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(items[0].as_ref().expect("first decodes"), &item("a", None));
    match &items[1] {
        Err(JsonStreamError::Decode {
            raw,
            index,
            path,
            error,
        }) => {
            assert_eq!(raw, "{\"name\": 5, \"description\": null}");
            assert_eq!(*index, 1);
            assert_eq!(path.as_deref(), Some("name"));
            assert!(error.to_string().contains("invalid type: integer `5`"), "{error}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let message = items[1].as_ref().expect_err("error").to_string();
    assert!(
        message.starts_with("could not decode item 1 of the JSON stream at name: "),
        "{message}"
    );
    match &items[2] {
        Err(JsonStreamError::Decode { raw, path: None, .. }) => assert_eq!(raw, "not json"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(items[3].as_ref().expect("last decodes"), &item("b", Some("last")));
}

/// RFC 7464: each record starts with RS (0x1E) and may span lines; the record is split across
/// chunks.
#[tokio::test]
async fn json_seq_records() {
    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "application/json-seq",
        &[
            b"\x1e{\"name\": \"a\",\n \"description\": null}\n\x1e{\"name\"",
            b": \"b\", \"description\": \"x\"}\n\x1e{\"name\": \n",
            b"\x1e{\"name\": \"c\", \"description\": null}\n",
        ],
    )))
    .await;
    let items: Vec<_> = client(&server)
        .items_seq()
        .send_items()
        .await
        .expect("opens")
        .into_body()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(items[0].as_ref().expect("a"), &item("a", None));
    assert_eq!(items[1].as_ref().expect("b"), &item("b", Some("x")));
    match &items[2] {
        Err(JsonStreamError::Decode { raw, index: 2, .. }) => assert_eq!(raw, "{\"name\": "),
        other => panic!("a truncated record is an error item, got {other:?}"),
    }
    assert_eq!(items[3].as_ref().expect("c"), &item("c", None));
    assert_eq!(server.requests()[0].header("accept"), "application/json-seq");
}

/// A connection that breaks in the middle of the body ends the stream with a transport error.
#[tokio::test]
async fn broken_connection_ends_the_stream() {
    let server = RawServer::start(Behaviour::Chunked(Chunked {
        complete: false,
        ..Chunked::ok(
            "application/jsonl",
            &[b"{\"name\": \"a\", \"description\": null}\n{\"na"],
        )
    }))
    .await;
    let items: Vec<_> = client(&server)
        .stream_items()
        .send_items()
        .await
        .expect("opens")
        .into_body()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(JsonStreamError::Transport(_))), "{:?}", items[1]);
}

/// `send()` reads the whole body and returns its items; a bad item fails with its index in the path.
#[tokio::test]
async fn send_collects_the_items() {
    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "application/jsonl",
        &[b"{\"name\": \"a\", \"description\": null}\n\n{\"name\": \"b\", \"description\": null}"],
    )))
    .await;
    let items = client(&server).stream_items().send().await.expect("items");
    assert_eq!(items, [item("a", None), item("b", None)]);

    let server = RawServer::start(Behaviour::Chunked(Chunked::ok(
        "application/json-seq",
        &[b"\x1e{\"name\": \"a\", \"description\": null}\n\x1e{\"name\": 5, \"description\": null}\n"],
    )))
    .await;
    let err = client(&server)
        .items_seq()
        .send()
        .await
        .expect_err("the second item's name is a number");
    let streams::Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path(), Some("[1].name"), "{err}");

    let server = RawServer::start(Behaviour::json("404 Not Found", r#"{"detail":"none"}"#)).await;
    let err = client(&server).stream_items().send_items().await.expect_err("404");
    assert_eq!(
        err.api_body(),
        Some(&streams::operations::StreamItemsError::NotFound(
            streams::types::Problem {
                detail: Some("none".into())
            }
        ))
    );
}
