//! Retries, backoff, `Retry-After`, timeouts and broken connections.

use std::time::{Duration, Instant};

use e2e_tests::closed_port_url;
use runtime_wire::{Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, body, builder, client, Behaviour, RawServer, TOKEN};

fn detail() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({"id": "img_1", "name": "base"}))
}

/// Answers `first` `times` times, then `then`.
async fn serve(first: ResponseTemplate, times: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn rate_limited_call_waits_for_retry_after_then_succeeds() {
    let server = serve(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
        detail(),
    )
    .await;
    let started = Instant::now();
    let resp = client(&server.uri())
        .create_sandbox_image(&body())
        .send_with_response()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(resp.attempts(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = serve(
        ResponseTemplate::new(503).insert_header("retry-after-ms", "150"),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let started = Instant::now();
    client(&server.uri()).delete_sandbox_image("i").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(140),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn idempotent_call_gives_up_after_max_retries() {
    let server = serve(ResponseTemplate::new(503).set_body_string("busy"), 10, detail()).await;
    let client = builder(&server.uri())
        .bearer_token(TOKEN)
        .retry_policy(common::fast_retries().max_retries(2))
        .build()
        .unwrap();
    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.raw_body(), Some(&b"busy"[..]));
    assert_eq!(
        err.to_string(),
        "unexpected response: 503 Service Unavailable (gave up after 3 attempts)"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn per_call_max_retries_overrides_the_client() {
    let server = serve(ResponseTemplate::new(503), 10, detail()).await;
    let err = client(&server.uri())
        .get_sandbox_image("i")
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn post_without_idempotency_key_is_not_retried() {
    let server = serve(ResponseTemplate::new(503), 1, detail()).await;
    let err = client(&server.uri())
        .create_sandbox_image(&body())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn post_with_caller_idempotency_key_is_retried_with_the_same_key() {
    let server = serve(ResponseTemplate::new(503), 1, detail()).await;
    client(&server.uri())
        .create_sandbox_image(&body())
        .idempotency_key("key-123")
        .send()
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.headers["idempotency-key"], "key-123");
        assert_eq!(r.body, reqs[0].body, "body replayed byte for byte");
    }
}

#[tokio::test]
async fn declared_idempotency_header_gets_one_generated_key_per_call() {
    let server = serve(ResponseTemplate::new(500), 1, detail()).await;
    let client = client(&server.uri());
    client.create_sandbox(&body()).send().await.unwrap();
    client.create_sandbox(&body()).send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    let keys: Vec<_> = reqs
        .iter()
        .map(|r| r.headers["idempotency-key"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys[0], keys[1], "retry reuses the key");
    assert_ne!(keys[1], keys[2], "a new call gets a new key");
    assert_eq!(keys[0].len(), 36);
}

#[tokio::test]
async fn retry_non_idempotent_opt_in() {
    let server = serve(ResponseTemplate::new(503), 1, detail()).await;
    let client = builder(&server.uri())
        .retry_policy(common::fast_retries().retry_non_idempotent(true))
        .build()
        .unwrap();
    client.create_sandbox_image(&body()).send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_not_waited_for() {
    let server = serve(
        ResponseTemplate::new(503).insert_header("retry-after", "120"),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let client = builder(&server.uri())
        .retry_policy(common::fast_retries().max_retry_after(Duration::from_secs(1)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.delete_sandbox_image("i").send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn x_should_retry_header_overrides_the_status() {
    let server = serve(
        ResponseTemplate::new(503).insert_header("x-should-retry", "false"),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let err = client(&server.uri())
        .delete_sandbox_image("i")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);

    let server = serve(
        ResponseTemplate::new(400).insert_header("x-should-retry", "true"),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    client(&server.uri()).delete_sandbox_image("i").send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn silent_server_times_out() {
    let server = RawServer::start(Behaviour::Hang).await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.get_sandbox_image("i").max_retries(0).send().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(190));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.to_string(), "request timed out after 200ms");

    // Idempotent calls are retried after a timeout; the per-call timeout wins.
    let err = builder(&server.url())
        .build()
        .unwrap()
        .get_sandbox_image("i")
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout() && err.is_retryable(), "{err:?}");
    assert_eq!(err.attempts(), 2);
    assert_eq!(
        err.to_string(),
        "request timed out after 100ms (gave up after 2 attempts)"
    );
}

#[tokio::test]
async fn connection_closed_mid_body_is_an_error_not_a_panic() {
    let server = RawServer::start(Behaviour::TruncateBody).await;
    let client = client(&server.url());
    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_) | Error::Decode(_)), "{err:?}");
    assert_eq!(err.attempts(), 3, "idempotent: retried");
    assert_eq!(server.connection_count(), 3);
    assert!(!err.to_string().contains(TOKEN));

    let err = client.create_sandbox_image(&body()).send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_) | Error::Decode(_)), "{err:?}");
    assert_eq!(err.attempts(), 1, "POST: body may have been processed, not retried");
}

#[tokio::test]
async fn refused_connection_is_retried_even_for_post() {
    let client = builder(&closed_port_url()).build().unwrap();
    let err = client.create_sandbox_image(&body()).send().await.unwrap_err();
    let Error::Transport(t) = &err else { panic!("{err:?}") };
    assert!(t.is_connect());
    assert_eq!(err.attempts(), 3);
    let msg = err.to_string();
    assert!(msg.starts_with("could not connect: "), "{msg}");
    assert!(msg.ends_with("(gave up after 3 attempts)"), "{msg}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn retry_policy_defaults() {
    let p = RetryPolicy::default();
    assert_eq!(p.get_max_retries(), 2);
    assert_eq!(RetryPolicy::none().get_max_retries(), 0);
}
