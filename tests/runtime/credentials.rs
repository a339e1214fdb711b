//! Credential providers (asked on every attempt, refreshed after a 401) and request hooks, with
//! the exact requests on the wire.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use runtime_wire::{AsyncProvider, CredentialFuture, CredentialProvider, Error, Hook, ResponseInfo};

use crate::common::{body, builder, ok_json, Behaviour, RawServer};

/// Hands out `tokens` in turn: the current one until the server rejects it.
#[derive(Default)]
struct Rotating {
    tokens: Vec<&'static str>,
    current: Mutex<usize>,
    /// Every `invalidate` call, with the rejected token.
    rejected: Arc<Mutex<Vec<String>>>,
}

impl Rotating {
    fn new(tokens: &[&'static str]) -> Self {
        Self {
            tokens: tokens.to_vec(),
            ..Self::default()
        }
    }
}

impl CredentialProvider for Rotating {
    fn credential(&self) -> CredentialFuture<'_> {
        let i = *self.current.lock().unwrap();
        let token = self.tokens[i.min(self.tokens.len() - 1)].to_owned();
        Box::pin(async move { Ok(token) })
    }

    fn invalidate(&self, rejected: &str) {
        self.rejected.lock().unwrap().push(rejected.to_owned());
        let mut i = self.current.lock().unwrap();
        if self.tokens.get(*i) == Some(&rejected) {
            *i += 1;
        }
    }
}

fn unauthorized() -> Behaviour {
    Behaviour::json("401 Unauthorized", r#"{"detail":"expired"}"#)
}

fn created() -> Behaviour {
    Behaviour::json("201 Created", r#"{"id":"i1","name":"base"}"#)
}

fn authorizations(server: &RawServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("authorization").to_owned())
        .collect()
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_resends_once_even_a_post() {
    let server = RawServer::start(Behaviour::Sequence(vec![unauthorized(), created()])).await;
    let provider = Rotating::new(&["tok-1", "tok-2"]);
    let rejected = provider.rejected.clone();
    let client = builder(&server.url()).bearer_token_provider(provider).build().unwrap();

    // A POST without an idempotency key: not retried on a 5xx, but a 401 was not acted on.
    let resp = client.create_sandbox_image(&body()).send_with_response().await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.attempts(), 2);
    assert_eq!(
        server.request_lines(),
        ["POST /sandbox-images HTTP/1.1", "POST /sandbox-images HTTP/1.1"]
    );
    assert_eq!(authorizations(&server), ["Bearer tok-1", "Bearer tok-2"]);
    let bodies: Vec<_> = server.requests().iter().map(|r| r.body_text().to_owned()).collect();
    assert_eq!(bodies, [r#"{"name":"base"}"#, r#"{"name":"base"}"#]);
    assert_eq!(*rejected.lock().unwrap(), ["tok-1"]);

    // The refreshed token stays in use.
    client.create_sandbox_image(&body()).send().await.unwrap();
    assert_eq!(authorizations(&server)[2], "Bearer tok-2");
}

#[tokio::test]
async fn with_refresh_off_the_401_is_returned() {
    let server = RawServer::start(Behaviour::Sequence(vec![unauthorized(), ok_json()])).await;
    let provider = Rotating::new(&["tok-1", "tok-2"]);
    let rejected = provider.rejected.clone();
    let client = builder(&server.url())
        .bearer_token_provider(provider)
        .refresh_on_unauthorized(false)
        .build()
        .unwrap();

    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), 1);
    assert_eq!(authorizations(&server), ["Bearer tok-1"]);
    assert!(rejected.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_second_401_is_returned_not_retried_again() {
    let server = RawServer::start(unauthorized()).await;
    let provider = Rotating::new(&["tok-1", "tok-2", "tok-3"]);
    let rejected = provider.rejected.clone();
    let client = builder(&server.url()).bearer_token_provider(provider).build().unwrap();

    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), 2);
    assert_eq!(err.raw_body(), Some(&br#"{"detail":"expired"}"#[..]));
    assert_eq!(authorizations(&server), ["Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(*rejected.lock().unwrap(), ["tok-1"]);
}

#[tokio::test]
async fn nothing_new_to_send_means_no_resend() {
    // A fixed token, and a provider that keeps giving the same one.
    let server = RawServer::start(unauthorized()).await;
    let fixed = builder(&server.url()).bearer_token("fixed").build().unwrap();
    let err = fixed.get_sandbox_image("i").send().await.unwrap_err();
    assert_eq!(err.attempts(), 1);

    let same = builder(&server.url())
        .bearer_token_provider(|| Ok::<_, std::io::Error>("same".to_owned()))
        .build()
        .unwrap();
    let err = same.get_sandbox_image("i").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), 1);
    assert_eq!(authorizations(&server), ["Bearer fixed", "Bearer same"]);
}

#[tokio::test]
async fn the_provider_is_asked_on_every_attempt() {
    let server = RawServer::start(Behaviour::Sequence(vec![
        Behaviour::json("503 Service Unavailable", "{}"),
        ok_json(),
    ]))
    .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = builder(&server.url())
        .bearer_token_provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            Ok::<_, std::io::Error>(format!("tok-{n}"))
        })
        .build()
        .unwrap();

    client.get_sandbox_image("i").send().await.unwrap();
    assert_eq!(authorizations(&server), ["Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn async_providers_supply_tokens_and_api_keys() {
    let server = RawServer::start(Behaviour::Respond(
        "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned(),
    ))
    .await;
    let client = builder(&server.url())
        .bearer_token_provider(AsyncProvider(|| async {
            tokio::task::yield_now().await;
            Ok::<_, std::io::Error>("async-token".to_owned())
        }))
        .api_key_header_provider(AsyncProvider(|| async { Ok::<_, String>("async-key".to_owned()) }))
        .build()
        .unwrap();

    client.get_sandbox_image("i").send().await.unwrap_err();
    // The first alternative of `delete` is the API key header.
    client.delete_sandbox_image("i").send().await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("authorization"), "Bearer async-token");
    assert_eq!(reqs[1].header("x-api-key"), "async-key");
    assert!(reqs[1].header_values("authorization").is_empty());
}

#[tokio::test]
async fn a_failing_provider_is_a_typed_error() {
    let server = RawServer::start(ok_json()).await;
    let client = builder(&server.url())
        .bearer_token_provider(|| Err::<String, _>("token endpoint unreachable"))
        .build()
        .unwrap();

    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    let Error::Credential(e) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(e.scheme(), "BearerAuth");
    assert_eq!(err.attempts(), 0);
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "could not obtain the credential of security scheme `BearerAuth`: token endpoint unreachable"
    );
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some(err.to_string().as_str()));
    assert!(server.requests().is_empty());

    // Failing when asked again after a 401: one request was made.
    struct OnceOnly(AtomicUsize);
    impl CredentialProvider for OnceOnly {
        fn credential(&self) -> CredentialFuture<'_> {
            let first = self.0.fetch_add(1, Ordering::SeqCst) == 0;
            Box::pin(async move {
                if first {
                    Ok("tok-1".to_owned())
                } else {
                    Err("refresh token revoked".into())
                }
            })
        }
    }
    let server = RawServer::start(unauthorized()).await;
    let client = builder(&server.url())
        .bearer_token_provider(OnceOnly(AtomicUsize::new(0)))
        .build()
        .unwrap();
    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

/// Signs every request (method, path and body) and records every response.
#[derive(Default)]
struct Signer {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hook for Signer {
    fn before_send(&self, request: &mut reqwest::Request) {
        let body = request.body().and_then(|b| b.as_bytes()).unwrap_or_default();
        let signed = format!(
            "{} {} {} bytes, auth {}",
            request.method(),
            request.url().path(),
            body.len(),
            request.headers().contains_key("authorization"),
        );
        request.headers_mut().insert("x-signature", signed.parse().unwrap());
    }

    fn after_response(&self, response: &ResponseInfo<'_>) {
        self.seen.lock().unwrap().push(format!(
            "{} {} #{} {} {}",
            response.method,
            response.path_template,
            response.attempt,
            response.status.as_u16(),
            response.headers["content-type"].to_str().unwrap(),
        ));
    }
}

#[tokio::test]
async fn hooks_change_every_request_and_see_every_response() {
    let server = RawServer::start(Behaviour::Sequence(vec![
        Behaviour::json("503 Service Unavailable", "{}"),
        created(),
    ]))
    .await;
    let signer = Signer::default();
    let seen = signer.seen.clone();
    let closure_calls = Arc::new(Mutex::new(Vec::new()));
    let (requests, responses) = (closure_calls.clone(), closure_calls.clone());
    let client = builder(&server.url())
        .bearer_token("t")
        .hook(signer)
        .on_request(move |r| requests.lock().unwrap().push(format!("request {}", r.method())))
        .on_response(move |r| {
            responses
                .lock()
                .unwrap()
                .push(format!("response {}", r.status.as_u16()))
        })
        .build()
        .unwrap();

    client
        .create_sandbox_image(&body())
        .idempotency_key("k-1")
        .send()
        .await
        .unwrap();
    let signatures: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-signature").to_owned())
        .collect();
    assert_eq!(
        signatures,
        [
            "POST /sandbox-images 15 bytes, auth true",
            "POST /sandbox-images 15 bytes, auth true"
        ]
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "POST /sandbox-images #1 503 application/json",
            "POST /sandbox-images #2 201 application/json"
        ]
    );
    assert_eq!(
        *closure_calls.lock().unwrap(),
        ["request POST", "response 503", "request POST", "response 201"]
    );
}
