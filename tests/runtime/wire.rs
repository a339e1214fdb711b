//! The exact requests the client puts on the wire.

use runtime_wire::types::TokenForm;
use runtime_wire::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, body, client, ok_json, RawServer, TOKEN, USER_AGENT};

async fn created(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/sandbox-images"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "img_1", "name": "base"})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn create_sends_method_path_headers_and_json_body() {
    let server = MockServer::start().await;
    created(&server).await;
    let client = client(&server.uri());

    let mut described = body();
    described.description = Some("d".into());
    let image = client
        .create_sandbox_image(&described)
        .x_workspace_id("ws_1")
        .send()
        .await
        .expect("created");
    assert_eq!(image.id, "img_1");
    client
        .create_sandbox_image(&body())
        .await
        .expect("created via IntoFuture");

    let reqs = server.received_requests().await.expect("recording on");
    assert_eq!(reqs.len(), 2);
    let first = &reqs[0];
    assert_eq!(first.method.as_str(), "POST");
    assert_eq!(first.url.path(), "/sandbox-images");
    assert_eq!(first.url.query(), None);
    assert_eq!(first.headers["content-type"], "application/json");
    assert_eq!(
        first.headers["authorization"].to_str().unwrap(),
        format!("Bearer {TOKEN}")
    );
    assert_eq!(first.headers["x-workspace-id"], "ws_1");
    assert_eq!(first.headers["user-agent"], USER_AGENT);
    assert!(first.headers.get("idempotency-key").is_none());
    assert_eq!(
        std::str::from_utf8(&first.body).unwrap(),
        r#"{"name":"base","description":"d"}"#
    );

    assert!(reqs[1].headers.get("x-workspace-id").is_none());
    assert_eq!(std::str::from_utf8(&reqs[1].body).unwrap(), r#"{"name":"base"}"#);
}

#[tokio::test]
async fn per_call_options_replace_defaults_and_add_query() {
    let server = MockServer::start().await;
    created(&server).await;
    let client = common::builder(&server.uri())
        .bearer_token(TOKEN)
        .default_header("x-workspace-id", "ws_default")
        .unwrap()
        .user_agent("custom/1")
        .unwrap()
        .build()
        .unwrap();

    client.create_sandbox_image(&body()).send().await.unwrap();
    client
        .create_sandbox_image(&body())
        .x_workspace_id("ws_param")
        .send()
        .await
        .unwrap();
    client
        .create_sandbox_image(&body())
        .x_workspace_id("ws_param")
        .header("x-workspace-id", "ws_option")
        .query("dry run", "yes&no")
        .send()
        .await
        .unwrap();

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].headers["x-workspace-id"], "ws_default");
    assert_eq!(reqs[1].headers["x-workspace-id"], "ws_param");
    assert_eq!(reqs[2].headers["x-workspace-id"], "ws_option");
    assert_eq!(reqs[2].headers.get_all("x-workspace-id").iter().count(), 1);
    assert_eq!(reqs[2].url.query(), Some("dry%20run=yes%26no"));
    assert_eq!(reqs[0].headers["user-agent"], "custom/1");
}

#[tokio::test]
async fn path_params_stay_in_one_segment_and_query_values_are_encoded() {
    let server = RawServer::start(ok_json()).await;
    let client = client(&server.url());
    for id in ["../admin", "a/b", "?x", "#y", "%41", "é x"] {
        client
            .get_sandbox_image(id)
            .include("a b&c=d/é")
            .tag(["x", "y+z"])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let q = "include=a%20b%26c%3Dd%2F%C3%A9&tag=x&tag=y%2Bz";
    assert_eq!(
        server.request_lines(),
        [
            format!("GET /sandbox-images/..%2Fadmin?{q} HTTP/1.1"),
            format!("GET /sandbox-images/a%2Fb?{q} HTTP/1.1"),
            format!("GET /sandbox-images/%3Fx?{q} HTTP/1.1"),
            format!("GET /sandbox-images/%23y?{q} HTTP/1.1"),
            format!("GET /sandbox-images/%2541?{q} HTTP/1.1"),
            format!("GET /sandbox-images/%C3%A9%20x?{q} HTTP/1.1"),
        ]
    );
}

#[tokio::test]
async fn query_arrays_explode_or_join_and_absent_params_are_left_out() {
    let server = RawServer::start(ok_json()).await;
    let client = client(&server.url());
    client.get_sandbox_image("i").send().await.unwrap();
    client
        .get_sandbox_image("i")
        .fields(["id", "name,x"])
        .tag(["a"])
        .limit(-5)
        .send()
        .await
        .unwrap();
    client
        .get_sandbox_image("i")
        .tag(Vec::<String>::new())
        .fields(Vec::<String>::new())
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.request_lines(),
        [
            "GET /sandbox-images/i HTTP/1.1",
            // In spec order; `explode: false` joins with a (encoded) comma.
            "GET /sandbox-images/i?tag=a&fields=id%2Cname%2Cx&limit=-5 HTTP/1.1",
            "GET /sandbox-images/i?fields= HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn dot_segments_are_rejected_before_sending() {
    let server = RawServer::start(ok_json()).await;
    let client = client(&server.url());
    for id in [".", ".."] {
        let err = client.get_sandbox_image(id).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id}: {err:?}");
        assert_eq!(err.attempts(), 0);
    }
    assert_eq!(server.connection_count(), 0);
}

#[tokio::test]
async fn header_value_with_line_break_is_invalid_and_nothing_is_sent() {
    let server = RawServer::start(ok_json()).await;
    let client = client(&server.url());

    let err = client
        .create_sandbox_image(&body())
        .x_workspace_id("ws\r\nx-injected: 1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("x-workspace-id"), "{err}");
    assert!(!err.to_string().contains("injected"), "value must not be echoed: {err}");
    assert_eq!(err.attempts(), 0);

    let err = client
        .create_sandbox_image(&body())
        .header("x-extra", "a\nb")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    // A request that was sent would have been accepted by now.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(server.connection_count(), 0);
}

#[tokio::test]
async fn base_url_with_or_without_trailing_slash_joins_the_same() {
    let server = RawServer::start(ok_json()).await;
    for base in [format!("{}/api", server.url()), format!("{}/api/", server.url())] {
        let client = client(&base);
        client.get_sandbox_image("x").send().await.unwrap();
    }
    assert_eq!(
        server.request_lines(),
        [
            "GET /api/sandbox-images/x HTTP/1.1",
            "GET /api/sandbox-images/x HTTP/1.1"
        ]
    );
}

#[test]
fn invalid_base_urls_are_rejected() {
    for bad in [
        "not a url",
        "ftp://h/x",
        "http://h/x?q=1",
        "http://u:p@h/",
        "mailto:a@b",
    ] {
        assert!(Client::builder().base_url(bad).is_err(), "{bad}");
    }
    assert!(Client::builder().default_header("x-a", "b\r\nc").is_err());
    assert!(Client::builder().default_header("bad name", "b").is_err());
}

#[test]
fn default_base_url_is_the_specs_first_server() {
    assert_eq!(runtime_wire::DEFAULT_BASE_URL, Some("https://api.modbox.run"));
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://api.modbox.run");
}

#[tokio::test]
async fn auth_alternatives_and_locations() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    // Delete accepts an API key header OR bearer: the first configured wins.
    let both = common::builder(&server.uri())
        .bearer_token(TOKEN)
        .api_key_header("key-1")
        .build()
        .unwrap();
    both.delete_sandbox_image("i").send().await.unwrap();
    let bearer_only = common::client(&server.uri());
    bearer_only.delete_sandbox_image("i").send().await.unwrap();
    let none = common::builder(&server.uri()).build().unwrap();
    none.delete_sandbox_image("i").send().await.unwrap();
    // Cookie API key, text body.
    let cookie = common::builder(&server.uri()).session("s3").build().unwrap();
    cookie.put_logs("i", "line 1\n").send_with_response().await.unwrap();
    // Cookie parameter and cookie API key share one header.
    cookie.put_logs("i", "line 2\n").trace("t 1;x").send().await.unwrap();

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 5);
    assert_eq!(reqs[0].method.as_str(), "DELETE");
    assert_eq!(reqs[0].url.path(), "/sandbox-images/i");
    assert_eq!(reqs[0].headers["x-api-key"], "key-1");
    assert!(reqs[0].headers.get("authorization").is_none());
    assert_eq!(
        reqs[1].headers["authorization"].to_str().unwrap(),
        format!("Bearer {TOKEN}")
    );
    assert!(reqs[1].headers.get("x-api-key").is_none());
    assert!(reqs[2].headers.get("authorization").is_none());
    assert!(reqs[2].headers.get("x-api-key").is_none());
    assert_eq!(reqs[3].method.as_str(), "PUT");
    assert_eq!(reqs[3].url.path(), "/sandbox-images/i/logs");
    assert_eq!(reqs[3].headers["cookie"], "session=s3");
    assert_eq!(reqs[3].headers["content-type"], "text/plain");
    assert_eq!(reqs[3].body, b"line 1\n");
    assert_eq!(reqs[4].headers["cookie"], "trace=t%201%3Bx; session=s3");
    assert_eq!(reqs[4].headers.get_all("cookie").iter().count(), 1);
    assert_eq!(reqs[4].body, b"line 2\n");
}

#[tokio::test]
async fn optional_security_sends_credentials_when_configured() {
    // `get_sandbox_image` accepts bearer or nothing.
    let server = RawServer::start(ok_json()).await;
    client(&server.url()).get_sandbox_image("i").send().await.unwrap();
    common::builder(&server.url())
        .build()
        .unwrap()
        .get_sandbox_image("i")
        .send()
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("authorization"), format!("Bearer {TOKEN}"));
    assert!(reqs[1].header_values("authorization").is_empty());
}

#[tokio::test]
async fn form_body_with_basic_auth() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("tok"))
        .mount(&server)
        .await;
    let client = common::builder(&server.uri())
        .basic_auth("user", "p@ss:word")
        .build()
        .unwrap();
    let form = TokenForm::new("client credentials", ["a", "b/c"]);
    let resp = client.issue_token(&form).send_with_response().await.unwrap();
    assert_eq!(resp.body(), "tok");

    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(req.headers["authorization"], "Basic dXNlcjpwQHNzOndvcmQ=");
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        "grant_type=client%20credentials&scope=a&scope=b%2Fc"
    );
}

#[tokio::test]
async fn binary_body_with_query_api_key() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![1u8, 2, 3]))
        .mount(&server)
        .await;
    let client = common::builder(&server.uri()).api_key_query("k&1").build().unwrap();
    let archive: Vec<u8> = vec![0, 159, 146, 150, b'\r', b'\n', 255];
    let resp = client.upload_archive("i", &archive).send_with_response().await.unwrap();
    assert_eq!(resp.body().as_ref(), [1, 2, 3]);

    let req = &server.received_requests().await.unwrap()[0];
    assert_eq!(req.url.path(), "/sandbox-images/i/archive");
    assert_eq!(req.url.query(), Some("api_key=k%261"));
    assert_eq!(req.headers["content-type"], "application/x-tar");
    assert!(req.headers.get("authorization").is_none());
    assert_eq!(req.body, archive);
}

/// One client with a credential for each of the spec's five schemes, set through their own
/// setters: each operation sends exactly the credential its requirement names, in its place.
#[tokio::test]
async fn every_scheme_by_its_own_setter() {
    use wiremock::matchers::{header, query_param};
    let server = MockServer::start().await;
    let expect = |m: wiremock::MockBuilder| m.respond_with(ResponseTemplate::new(204)).expect(1);
    expect(
        Mock::given(method("POST"))
            .and(path("/sandbox-images"))
            .and(header("authorization", "Bearer b-1")),
    )
    .mount(&server)
    .await;
    expect(
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(header("authorization", "Basic dTpw")),
    )
    .mount(&server)
    .await;
    expect(
        Mock::given(method("DELETE"))
            .and(path("/sandbox-images/i"))
            .and(header("x-api-key", "h-1")),
    )
    .mount(&server)
    .await;
    expect(
        Mock::given(method("PUT"))
            .and(path("/sandbox-images/i/archive"))
            .and(query_param("api_key", "q-1")),
    )
    .mount(&server)
    .await;
    expect(
        Mock::given(method("PUT"))
            .and(path("/sandbox-images/i/logs"))
            .and(header("cookie", "session=c-1")),
    )
    .mount(&server)
    .await;
    let client = common::builder(&server.uri())
        .bearer_auth("b-1")
        .basic_auth("u", "p")
        .api_key_header("h-1")
        .api_key_query("q-1")
        .session("c-1")
        .max_retries(0)
        .build()
        .unwrap();
    let _ = client.create_sandbox_image(&body()).send().await;
    let form = TokenForm::new("client credentials", vec![]);
    let _ = client.issue_token(&form).send().await;
    client.delete_sandbox_image("i").send().await.unwrap();
    let _ = client.upload_archive("i", b"x").send().await;
    client.put_logs("i", "l").send().await.unwrap();

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 5);
    // Exactly one credential per request: the one its requirement names.
    let credentials = |r: &wiremock::Request| {
        let mut found = Vec::new();
        for h in ["authorization", "x-api-key", "cookie"] {
            if r.headers.get(h).is_some() {
                found.push(h.to_owned());
            }
        }
        if r.url.query_pairs().any(|(k, _)| k == "api_key") {
            found.push("query api_key".to_owned());
        }
        found
    };
    let placed: Vec<Vec<String>> = reqs.iter().map(credentials).collect();
    assert_eq!(
        placed,
        [
            vec!["authorization"],
            vec!["authorization"],
            vec!["x-api-key"],
            vec!["query api_key"],
            vec!["cookie"],
        ]
    );
}
