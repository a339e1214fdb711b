//! Wire behaviour of generated operations over loopback HTTP (fixture client `ops-wire`, spec
//! `specs/fixtures/ops-wire.yaml`): every request is captured byte for byte by a raw TCP server.

use e2e_tests::{Behaviour, RawRequest, RawServer};
use ops_wire::operations::{GetThingError, GetThingResponse};
use ops_wire::types::{Filter, Kind, Patch, Pet, Point, Status, Tree, TreeInput, TreeOutput, UploadBody};
use ops_wire::{Client, Error, Nullable};

fn no_content() -> Behaviour {
    Behaviour::Respond("HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned())
}

fn respond(status_line: &str, content_type: &str, body: &str) -> Behaviour {
    Behaviour::Respond(format!(
        "HTTP/1.1 {status_line}\r\ncontent-type: {content_type}\r\nx-rate-limit: 7\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
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

/// A client with every kind of credential configured.
fn client_with_credentials(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .bearer("tok")
        .basic("user", "pw")
        .header_key("hk")
        .query_key("qk")
        .cookie_key("ck")
        .oauth("oauth-tok")
        .build()
        .expect("client builds")
}

fn only(server: &RawServer) -> RawRequest {
    let mut reqs = server.requests();
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    reqs.remove(0)
}

#[tokio::test]
async fn every_query_style() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let filter = Filter {
        color: Some("red".into()),
        size: Some(3),
    };
    client
        .query_styles()
        .tags(["a", "b c"])
        .ids([1, 2, 3])
        .point(Point::new(1, 2))
        .r#box(Point::new(3, 4))
        .filter(filter.clone())
        .words(vec!["x", "y"])
        .pipes(["p", "q"].iter().copied())
        .r#where(filter)
        .kind(Kind::Large)
        .flag(false)
        .send()
        .await
        .expect("204");
    client.query_styles().send().await.expect("204");
    assert_eq!(
        server.request_lines(),
        [
            concat!(
                "GET /query?",
                "tags=a&tags=b%20c",                         // form, explode: one pair per item
                "&ids=1%2C2%2C3",                            // form, no explode: joined with ","
                "&x=1&y=2",                                  // form object, explode: one pair per property
                "&box=x%2C3%2Cy%2C4",                        // form object, no explode: k,v,k,v
                "&filter%5Bcolor%5D=red&filter%5Bsize%5D=3", // deepObject: filter[color]
                "&words=x%20y",                              // spaceDelimited
                "&pipes=p%7Cq",                              // pipeDelimited
                "&where=%7B%22color%22%3A%22red%22%2C%22size%22%3A3%7D", // content: JSON text
                "&kind=large&flag=false",
                " HTTP/1.1"
            ),
            // Unset optional parameters are left out.
            "GET /query HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn path_values_are_one_encoded_segment() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    for id in ["../x", "a/b", "?", "#", "%", "é x"] {
        client.get_item(id).send().await.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    // The operation-level `verbose` (an integer) replaces the path-level boolean.
    client.get_item("v").verbose(2).send().await.expect("204");
    assert_eq!(
        server.request_lines(),
        [
            "GET /items/..%2Fx HTTP/1.1",
            "GET /items/a%2Fb HTTP/1.1",
            "GET /items/%3F HTTP/1.1",
            "GET /items/%23 HTTP/1.1",
            "GET /items/%25 HTTP/1.1",
            "GET /items/%C3%A9%20x HTTP/1.1",
            "GET /items/v?verbose=2 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn header_and_cookie_params_including_optional_nullable_ones() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    client.header_params("req", "s1").send().await.expect("204");
    client
        .header_params("req", "s 2;x")
        .x_maybe("maybe")
        .x_list(vec![1, 2])
        .theme("dark")
        .send()
        .await
        .expect("204");
    let reqs = server.requests();
    assert_eq!(reqs[0].header("x-required"), "req");
    assert!(reqs[0].header_values("x-maybe").is_empty(), "unset: no header");
    assert!(reqs[0].header_values("x-list").is_empty());
    assert_eq!(reqs[0].header("cookie"), "session-id=s1");
    assert_eq!(reqs[1].header("x-maybe"), "maybe");
    assert_eq!(reqs[1].header("x-list"), "1,2");
    // Bytes that are not RFC 6265 cookie-octets are percent-encoded, so they cannot end the pair.
    assert_eq!(reqs[1].header("cookie"), "session-id=s%202%3Bx; theme=dark");
}

/// RFC 6265 `cookie-octet`s (`%x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E`) go out verbatim:
/// a session token with `+`, `/` or `=` arrives byte for byte. Only other bytes are encoded.
#[tokio::test]
async fn cookie_values_are_sent_verbatim_unless_rfc_6265_forbids_a_byte() {
    let rows = [
        ("tok+/=abc", "tok+/=abc"),
        ("a+b", "a+b"),
        ("a/b", "a/b"),
        ("a=b==", "a=b=="),
        ("a b", "a%20b"),
        ("a;b", "a%3Bb"),
        ("a,b", "a%2Cb"),
        ("\"quoted\"", "%22quoted%22"),
        ("a\\b", "a%5Cb"),
        ("caf\u{e9}", "caf%C3%A9"),
        ("50%", "50%"),
        ("!#$&'()*-.:<>?@[]^_`{|}~", "!#$&'()*-.:<>?@[]^_`{|}~"),
    ];
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    for (value, _) in rows {
        client.header_params("req", value).send().await.expect("204");
    }
    let reqs = server.requests();
    for ((value, want), req) in rows.iter().zip(&reqs) {
        assert_eq!(req.header("cookie"), format!("session-id={want}"), "{value:?}");
    }
}

/// A cookie name must be an RFC 6265 token (the generator warns about `bad name`): the call fails
/// before anything is sent.
#[tokio::test]
async fn a_cookie_whose_name_is_not_a_token_is_refused() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let err = client
        .header_params("req", "s")
        .bad_name("v")
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("`bad name`"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_cookie_api_key_is_encoded_like_a_cookie_parameter() {
    let server = RawServer::start(no_content()).await;
    let client = Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .cookie_key("k+/=v w;x")
        .header_key("hk")
        .query_key("qk")
        .build()
        .expect("client builds");
    client.auth_keys().send().await.expect("204");
    assert_eq!(only(&server).header("cookie"), "session=k+/=v%20w%3Bx");
}

fn multipart_boundary(req: &RawRequest) -> String {
    let ct = req.header("content-type");
    ct.strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("multipart content type, got {ct}"))
        .to_owned()
}

#[tokio::test]
async fn multipart_with_a_file_part_and_text_fields() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let mut body = UploadBody::new(
        ops_wire::FilePart::new(b"\x89PNG\x00".to_vec()).file_name("cat.png"),
        "a cat",
    );
    body.labels = Some(vec!["x".into(), "y".into()]);
    body.meta = Some(Point::new(1, 2));
    client.upload(&body).send().await.expect("204");
    // Without a file name the property name is sent.
    client.upload(&UploadBody::new(b"1", "d")).send().await.expect("204");
    let reqs = server.requests();
    assert_eq!(reqs[0].request_line, "POST /upload HTTP/1.1");
    let b = multipart_boundary(&reqs[0]);
    let mut want = Vec::new();
    want.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    want.extend_from_slice(b"\x89PNG\x00\r\n");
    want.extend_from_slice(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\na cat\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\nx\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\ny\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"x\":1,\"y\":2}}\r\n\
             --{b}--\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(String::from_utf8_lossy(&reqs[0].body), String::from_utf8_lossy(&want));
    assert_eq!(reqs[0].body, want);
    let b = multipart_boundary(&reqs[1]);
    assert_eq!(
        reqs[1].body_text(),
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: image/png\r\n\r\n1\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nd\r\n--{b}--\r\n"
        )
    );
}

#[tokio::test]
async fn form_octet_stream_and_text_bodies() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let mut pet = Pet::new("Rex & co");
    pet.tags = Some(vec!["a".into(), "b".into()]);
    client.post_form(&pet).send().await.expect("204");
    client.put_octet(&[0, 1, 255]).send().await.expect("204");
    client.put_text("héllo\n").send().await.expect("204");
    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-type"), "application/x-www-form-urlencoded");
    assert_eq!(reqs[0].body_text(), "name=Rex%20%26%20co&tags=a&tags=b");
    assert_eq!(reqs[1].request_line, "PUT /octet HTTP/1.1");
    assert_eq!(reqs[1].header("content-type"), "application/octet-stream");
    assert_eq!(reqs[1].body, [0, 1, 255]);
    assert_eq!(reqs[2].header("content-type"), "text/plain");
    assert_eq!(reqs[2].body_text(), "héllo\n");
}

#[tokio::test]
async fn optional_body_absent_empty_null_and_other_json_media_types() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    client.optional_body().send().await.expect("204");
    client
        .optional_body()
        .body(&Patch::default())
        .send()
        .await
        .expect("204");
    let clear = Patch {
        name: Nullable::Null,
        ..Patch::default()
    };
    client.optional_body().body(&clear).send().await.expect("204");
    let set = Patch {
        name: "n".to_owned().into(),
        ..Patch::default()
    };
    client.merge_patch(&set).send().await.expect("204");
    let reqs = server.requests();
    assert!(
        reqs[0].header_values("content-type").is_empty(),
        "no body: {:#?}",
        reqs[0]
    );
    assert_eq!(reqs[0].body, b"");
    assert_eq!(reqs[1].header("content-type"), "application/json");
    assert_eq!(reqs[1].body_text(), "{}");
    assert_eq!(reqs[2].body_text(), r#"{"name":null}"#);
    assert_eq!(reqs[3].request_line, "PATCH /patch HTTP/1.1");
    assert_eq!(reqs[3].header("content-type"), "application/merge-patch+json");
    assert_eq!(reqs[3].body_text(), r#"{"name":"n"}"#);
}

#[tokio::test]
async fn several_media_types_json_first_others_through_raw_body() {
    let server = RawServer::start(no_content()).await;
    let client = client(&server);
    let pet = Pet::new("Rex");
    client.several(&pet).send().await.expect("204");
    client
        .several(&pet)
        .raw_body("text/csv", "name\nRex\n")
        .send()
        .await
        .expect("204");
    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-type"), "application/json");
    assert_eq!(reqs[0].body_text(), r#"{"name":"Rex"}"#);
    assert_eq!(reqs[1].header("content-type"), "text/csv");
    assert_eq!(reqs[1].body_text(), "name\nRex\n");
}

#[tokio::test]
async fn credentials_go_only_where_the_spec_asks() {
    let server = RawServer::start(no_content()).await;
    let client = client_with_credentials(&server);
    client.auth_global().send().await.expect("204");
    client.auth_public().send().await.expect("204");
    client.auth_basic().send().await.expect("204");
    client.auth_keys().send().await.expect("204");
    client.auth_oauth().send().await.expect("204");
    client.query_styles().send().await.expect("204");
    let reqs = server.requests();
    // Global requirement: bearer.
    assert_eq!(reqs[0].header("authorization"), "Bearer tok");
    // `security: []` sends nothing although credentials are configured.
    for r in [&reqs[1], &reqs[5]] {
        assert!(r.header_values("authorization").is_empty(), "{r:#?}");
        assert!(r.header_values("x-api-key").is_empty(), "{r:#?}");
        assert!(r.header_values("cookie").is_empty(), "{r:#?}");
        assert!(!r.request_line.contains("api_key"), "{r:#?}");
    }
    assert_eq!(reqs[2].header("authorization"), "Basic dXNlcjpwdw==");
    // All three keys of one requirement, each in its place, and no bearer token.
    assert_eq!(reqs[3].request_line, "GET /auth/keys?api_key=qk HTTP/1.1");
    assert_eq!(reqs[3].header("x-api-key"), "hk");
    assert_eq!(reqs[3].header("cookie"), "session=ck");
    assert!(reqs[3].header_values("authorization").is_empty());
    // OAuth2 is a bearer token of its own, not the `bearer` scheme's.
    assert_eq!(reqs[4].header("authorization"), "Bearer oauth-tok");
}

/// Each scheme has its own setter and its own credential: two bearer-token schemes (`bearer`,
/// `oauth`) do not share a token, and an operation with alternatives uses the first whose
/// credentials are all set.
#[tokio::test]
async fn each_scheme_has_its_own_credential() {
    let server = RawServer::start(no_content()).await;
    let only_key = Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .header_key("hk")
        .build()
        .expect("client builds");
    only_key.auth_global().send().await.expect("204");
    only_key.auth_oauth().send().await.expect("204");
    only_key.auth_either().send().await.expect("204");
    let both = client_with_credentials(&server);
    both.auth_either().send().await.expect("204");
    let replaced = Client::builder()
        .base_url(server.url())
        .expect("base url")
        .max_retries(0)
        .oauth("first")
        .oauth("second")
        .basic_auth("u", "p")
        .build()
        .expect("client builds");
    replaced.auth_oauth().send().await.expect("204");
    replaced.auth_basic().send().await.expect("204");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 6, "{reqs:#?}");
    // Neither bearer scheme has a token: nothing is sent (the server answers 401).
    for r in &reqs[..2] {
        assert!(r.header_values("authorization").is_empty(), "{r:#?}");
        assert!(r.header_values("x-api-key").is_empty(), "{r:#?}");
    }
    // `oauth` or `headerKey`: only the key is configured, so the key goes.
    assert_eq!(reqs[2].header("x-api-key"), "hk");
    assert!(reqs[2].header_values("authorization").is_empty());
    // Both configured: the first alternative wins, and only it is sent.
    assert_eq!(reqs[3].header("authorization"), "Bearer oauth-tok");
    assert!(reqs[3].header_values("x-api-key").is_empty());
    // A second call of a setter replaces the credential; `basic_auth` is the only Basic scheme's
    // shorthand.
    assert_eq!(reqs[4].header("authorization"), "Bearer second");
    assert_eq!(reqs[5].header("authorization"), "Basic dTpw");
}

#[tokio::test]
async fn responses_are_typed_per_status_and_headers_are_reachable() {
    let ok = RawServer::start(respond("200 OK", "application/json", r#"{"id":"t1"}"#)).await;
    let resp = client(&ok).get_thing("t1").send_with_response().await.expect("200");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["x-rate-limit"], "7");
    assert_eq!(resp.body(), &GetThingResponse::Ok(ops_wire::types::Thing::new("t1")));

    let pending = RawServer::start(respond("202 Accepted", "application/json", r#"{"eta":5}"#)).await;
    match client(&pending).get_thing("t1").send().await.expect("202") {
        GetThingResponse::Accepted(p) => assert_eq!(p.eta, Some(5)),
        other => panic!("{other:?}"),
    }

    let cases: [(&str, &str, &str, GetThingError); 4] = [
        (
            "404 Not Found",
            "application/json",
            r#"{"message":"gone"}"#,
            GetThingError::NotFound(ops_wire::types::NotFound {
                message: Some("gone".into()),
            }),
        ),
        (
            "429 Too Many Requests",
            "text/plain",
            "slow down",
            GetThingError::TooManyRequests("slow down".into()),
        ),
        (
            "418 I'm a teapot",
            "application/json",
            r#"{"current":"tea"}"#,
            GetThingError::ClientError(ops_wire::types::Conflict {
                current: Some("tea".into()),
            }),
        ),
        (
            "503 Service Unavailable",
            "application/json",
            r#"{"message":"down"}"#,
            GetThingError::Default(ops_wire::types::NotFound {
                message: Some("down".into()),
            }),
        ),
    ];
    for (status, ct, body, want) in cases {
        let server = RawServer::start(respond(status, ct, body)).await;
        let err = client(&server).get_thing("t1").send().await.expect_err(status);
        assert_eq!(err.api_body(), Some(&want), "{status}");
        assert_eq!(
            err.headers().map(|h| h["x-rate-limit"].clone()),
            Some("7".parse().expect("value"))
        );
    }
}

#[tokio::test]
async fn ranges_no_content_binary_and_text() {
    let range = RawServer::start(respond(
        "203 Non-Authoritative Information",
        "application/json",
        r#"{"id":"r"}"#,
    ))
    .await;
    assert_eq!(client(&range).get_range().send().await.expect("2XX").id, "r");

    let gone = RawServer::start(no_content()).await;
    client(&gone).delete_thing("t1").send().await.expect("204");
    assert_eq!(gone.request_lines(), ["DELETE /things/t1 HTTP/1.1"]);

    let text = RawServer::start(respond("200 OK", "text/plain; charset=utf-8", "héllo")).await;
    assert_eq!(client(&text).readme().send().await.expect("text"), "héllo");

    let bin = RawServer::start(respond("200 OK", "application/octet-stream", "\u{1}\u{2}bytes")).await;
    let bytes = client(&bin).download().send().await.expect("binary");
    assert_eq!(&bytes[..], b"\x01\x02bytes");
    let _ = only(&bin);
}

#[tokio::test]
async fn streaming_download_and_its_errors() {
    let bin = RawServer::start(respond("200 OK", "application/octet-stream", "streamed body")).await;
    let resp = client(&bin).download().send_streaming().await.expect("stream");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["x-rate-limit"], "7");
    let body = resp.into_body().collect_bytes().await.expect("read");
    assert_eq!(&body[..], b"streamed body");

    let missing = RawServer::start(respond("404 Not Found", "application/json", r#"{"message":"no"}"#)).await;
    let err = client(&missing).download().send_streaming().await.expect_err("404");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(
        err.api_body(),
        Some(&ops_wire::operations::DownloadError::NotFound(
            ops_wire::types::NotFound {
                message: Some("no".into())
            }
        ))
    );
}

#[tokio::test]
async fn server_sent_events_arrive_typed_and_stop_at_done() {
    use futures_util::StreamExt as _;
    let body = "event: progress\nid: 1\ndata: {\"done\": 1}\n\n: a comment\ndata: {\"done\": 2}\n\ndata: [DONE]\n\n";
    let server = RawServer::start(respond("200 OK", "text/event-stream", body)).await;
    let resp = client(&server).events().send_events().await.expect("stream opens");
    assert_eq!(resp.status().as_u16(), 200);
    let events: Vec<_> = resp.into_body().collect().await;
    let events: Vec<_> = events.into_iter().map(|e| e.expect("event decodes")).collect();
    assert_eq!(events.len(), 2, "[DONE] ends the stream");
    assert_eq!(
        (events[0].event.as_str(), events[0].id.as_str(), events[0].data.done),
        ("progress", "1", 1)
    );
    assert_eq!((events[1].event.as_str(), events[1].data.done), ("message", 2));
    assert_eq!(only(&server).header("accept"), "text/event-stream");
}

#[tokio::test]
async fn undecodable_event_keeps_its_raw_data() {
    use futures_util::StreamExt as _;
    let server = RawServer::start(respond("200 OK", "text/event-stream", "data: {\"done\": \"x\"}\n\n")).await;
    let mut events = client(&server)
        .events()
        .send_events()
        .await
        .expect("stream opens")
        .into_body();
    match events.next().await {
        Some(Err(ops_wire::EventStreamError::Decode { data, .. })) => assert_eq!(data, "{\"done\": \"x\"}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// `send_streaming` hands over the first bytes while the server is still holding back the rest:
/// the body is not buffered before the caller sees it.
#[tokio::test]
async fn streaming_download_is_not_buffered() {
    use futures_util::StreamExt as _;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (first_seen_tx, first_seen_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.expect("accept");
        let mut buf = vec![0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        sock.write_all(head.as_bytes()).await.expect("write head");
        sock.write_all(b"5\r\nfirst\r\n").await.expect("write first chunk");
        sock.flush().await.expect("flush");
        // The rest (1 MiB) is only sent once the client has seen the first chunk.
        let _ = first_seen_rx.await;
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..16 {
            sock.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await
                .expect("size");
            sock.write_all(&chunk).await.expect("chunk");
            sock.write_all(b"\r\n").await.expect("crlf");
        }
        sock.write_all(b"0\r\n\r\n").await.expect("end");
    });
    let client = Client::builder()
        .base_url(url)
        .expect("url")
        .max_retries(0)
        .build()
        .expect("client");
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let mut stream = client
            .download()
            .send_streaming()
            .await
            .expect("stream opens")
            .into_body();
        let first = stream.next().await.expect("a first chunk").expect("chunk ok");
        assert_eq!(&first[..], b"first");
        let _ = first_seen_tx.send(());
        let mut total = first.len();
        while let Some(chunk) = stream.next().await {
            total += chunk.expect("chunk ok").len();
        }
        total
    })
    .await
    .expect("a buffering client would wait for the whole body and time out here");
    assert_eq!(outcome, 5 + 16 * 64 * 1024);
    server.await.expect("server task");
}

/// A newer server may add enum values and fields: the response still decodes.
#[tokio::test]
async fn unknown_enum_values_and_extra_fields_are_accepted() {
    let body = r#"{"kind": "medium", "label": "x", "added_later": {"nested": [1, 2]}}"#;
    let server = RawServer::start(respond("200 OK", "application/json", body)).await;
    let status = client(&server).get_status().send().await.expect("decodes");
    assert_eq!(status.kind, Kind::Unknown("medium".to_owned()));
    assert_eq!(status.label.as_deref(), Some("x"));
}

/// `send()` and `send_with_response()` return unboxed `impl Future` without a declared `Send`
/// bound (proving it per operation was a fifth of a large crate's build); the futures are `Send`
/// all the same, which the compiler checks here, where they are used, for operations with
/// parameters, JSON, multipart and binary bodies, streaming and every security kind.
#[test]
fn operation_futures_are_send() {
    fn send<T: Send>(_: T) {}
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .expect("base url")
        .build()
        .expect("client builds");
    let upload = UploadBody::new(b"1".to_vec(), "d");
    let pet = Pet::new("Rex");
    send(client.get_item("1").send());
    send(client.get_item("1").send_with_response());
    send(client.upload(&upload).send());
    send(client.several(&pet).send_with_response());
    send(client.put_octet(b"x").send());
    send(client.auth_keys().send());
    send(client.download().send());
    send(client.download().send_streaming());
    send(client.get_thing("t").send());
    send(std::future::IntoFuture::into_future(client.get_item("1")));
}

/// An enum spelled inline in a response and in a filter is one type, and so are pydantic's
/// identical `Tree-Input`/`Tree-Output`: what one operation returns goes into the next as it is.
#[tokio::test]
async fn received_values_go_back_without_conversion() {
    let tickets = RawServer::start(respond("200 OK", "application/json", r#"[{"id":1,"status":"done"}]"#)).await;
    let client = client(&tickets);
    let listed = client.list_tickets().send().await.expect("lists");
    let status: Status = listed[0].status.clone();
    assert_eq!(status, Status::Done);
    client.list_tickets().status(status).send().await.expect("lists");
    assert_eq!(
        tickets.request_lines(),
        ["GET /tickets HTTP/1.1", "GET /tickets?status=done HTTP/1.1"]
    );

    let stored = r#"{"label":"root","children":[{"label":"leaf"}]}"#;
    let trees = RawServer::start(respond("200 OK", "application/json", stored)).await;
    let client = self::client(&trees);
    let planted: TreeOutput = client.plant_tree(&Tree::new("root")).send().await.expect("plants");
    let again: &TreeInput = &planted;
    client.plant_tree(again).send().await.expect("plants");
    let reqs = trees.requests();
    assert_eq!(reqs[0].body_text(), r#"{"label":"root"}"#);
    assert_eq!(reqs[1].body_text(), stored);
}

/// Setters take what a caller has: arrays, iterators and `Vec`s of `&str` or `String` for string
/// lists, integer literals for integer lists (checked by compiling).
#[test]
fn list_setters_take_any_iterator_of_convertible_items() {
    let server_url = "http://127.0.0.1:9";
    let client = Client::builder()
        .base_url(server_url)
        .expect("url")
        .build()
        .expect("client");
    let owned = vec!["a".to_owned()];
    let _ = client
        .query_styles()
        .tags(["a", "b"])
        .tags(owned.iter().cloned())
        .tags(owned)
        .tags(std::iter::once("x"))
        .ids([1, 2])
        .ids(vec![5_000_000_000_i64])
        .ids(1..3);
    let _ = client.header_params("r", "s").x_list([1, 2]);
}

#[path = "ops_wire/client_defaults.rs"]
mod client_defaults;
