//! Credentials never show up in `Debug` output, error messages or traces.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use runtime_wire::{AsyncProvider, Client, CredentialFuture, CredentialProvider, RequestOptions};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{body, builder, Behaviour, RawServer, TOKEN};

const API_KEY: &str = "ak-SECRET-0c1d2e";
const PASSWORD: &str = "pw-SECRET-3f4a5b";

fn secret_client(base: &str) -> Client {
    builder(base)
        .bearer_token(TOKEN)
        .basic_auth("alice", PASSWORD)
        .api_key_header(API_KEY)
        .api_key_query(API_KEY)
        .default_header("x-api-key", API_KEY)
        .unwrap()
        .build()
        .unwrap()
}

fn assert_clean(text: &str) {
    for secret in [TOKEN, API_KEY, PASSWORD] {
        assert!(!text.contains(secret), "leaked {secret} in:\n{text}");
    }
}

#[test]
fn debug_output_is_redacted() {
    let client = secret_client("http://127.0.0.1:1");
    let shown = format!("{client:?} {client:#?}");
    assert_clean(&shown);
    assert!(shown.contains("<redacted>"), "{shown}");

    let builder = Client::builder()
        .bearer_token(TOKEN)
        .api_key_header(API_KEY)
        .basic_auth("u", PASSWORD);
    let shown = format!("{builder:?}");
    assert_clean(&shown);
    // Which schemes are configured is shown, by their keys in the spec; their values are not.
    for scheme in ["BearerAuth", "ApiKeyHeader", "BasicAuth"] {
        assert!(shown.contains(scheme), "{shown}");
    }
    assert!(shown.contains("<redacted>"), "{shown}");

    let options = RequestOptions::new()
        .header("Authorization", format!("Bearer {TOKEN}"))
        .header("x-api-key", API_KEY)
        .header("cookie", format!("s={PASSWORD}"))
        .header("x-session-token", TOKEN)
        .query("api_key", API_KEY)
        .idempotency_key(TOKEN)
        .header("x-trace", "visible");
    let shown = format!("{options:?}");
    assert_clean(&shown);
    assert!(shown.contains("visible"), "{shown}");
}

/// Collects every span and event field, formatted, into one string.
#[derive(Clone, Default)]
struct Collector {
    out: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Collector {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nspan {}:", span.metadata().name());
        span.record(&mut Fields(&mut out));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.out.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut out = self.out.lock().unwrap();
        out.push_str("\nevent:");
        event.record(&mut Fields(&mut out));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn traces_and_errors_never_contain_credentials() {
    let collector = Collector::default();
    let _guard = tracing::subscriber::set_default(collector.clone());

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("nope"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = secret_client(&server.uri());
    // `tracing` caches per callsite whether anyone listens. Another test's thread, running without
    // a subscriber, may have registered the client's span while this collector was being
    // installed, leaving a stale "never" for it; recompute now that the collector is in place.
    tracing::callsite::rebuild_interest_cache();

    client.delete_sandbox_image("img_secret_id").send().await.unwrap();
    let err = client
        .create_sandbox_image(&body())
        .header("x-token", TOKEN)
        .send()
        .await
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"));

    // Transport errors: reqwest's own messages include the URL, which here
    // carries an API key in the query string.
    let dead = RawServer::start(Behaviour::TruncateBody).await;
    let err = secret_client(&dead.url())
        .upload_archive("i", b"archive")
        .send_with_response()
        .await
        .unwrap_err();
    let mut chain = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        let _ = write!(chain, " | {s} {s:?}");
        source = s.source();
    }
    assert_clean(&chain);

    let trace = collector.out.lock().unwrap().clone();
    assert_clean(&trace);
    assert!(trace.contains("path=\"/sandbox-images/{id}\""), "{trace}");
    assert!(
        !trace.contains("img_secret_id"),
        "filled path must not be logged:\n{trace}"
    );
    assert!(
        trace.contains("attempt=1") && trace.contains("attempt=2") && trace.contains("status=204"),
        "{trace}"
    );
}

const PROVIDED: [&str; 2] = ["pv-SECRET-1a2b3c", "pv-SECRET-4d5e6f"];

/// Gives the first token until it is rejected, then the second.
struct Refreshing(Mutex<usize>);

impl CredentialProvider for Refreshing {
    fn credential(&self) -> CredentialFuture<'_> {
        let token = PROVIDED[(*self.0.lock().unwrap()).min(1)].to_owned();
        Box::pin(async move { Ok(token) })
    }
    fn invalidate(&self, _rejected: &str) {
        *self.0.lock().unwrap() += 1;
    }
}

fn assert_no_provided(text: &str) {
    for secret in PROVIDED {
        assert!(!text.contains(secret), "leaked {secret} in:\n{text}");
    }
}

#[tokio::test]
async fn provided_credentials_never_leak() {
    let collector = Collector::default();
    let _guard = tracing::subscriber::set_default(collector.clone());
    let server = RawServer::start(Behaviour::json("401 Unauthorized", "{}")).await;
    let builder = builder(&server.url())
        .bearer_token_provider(Refreshing(Mutex::new(0)))
        .api_key_header_provider(AsyncProvider(|| async { Ok::<_, String>(PROVIDED[0].to_owned()) }))
        .on_request(|_| {});
    let shown = format!("{builder:?} {builder:#?}");
    assert_no_provided(&shown);
    assert!(shown.contains("<provider>"), "{shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert_no_provided(&shown);
    assert!(shown.contains("<provider>") && shown.contains("hooks: 1"), "{shown}");
    tracing::callsite::rebuild_interest_cache();

    // Token 1, a 401, token 2, a 401: both tokens went out, and neither shows anywhere.
    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert_eq!(err.attempts(), 2);
    let mut chain = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        let _ = write!(chain, " | {s} {s:?}");
        source = s.source();
    }
    assert_no_provided(&chain);
    let sent: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").to_owned())
        .collect();
    assert_eq!(sent, PROVIDED.map(|t| format!("Bearer {t}")));

    // A provided value that cannot be a header value: the error names the credential, not it.
    let client = crate::common::builder(&server.url())
        .bearer_token_provider(|| Ok::<_, String>(format!("{}\n", PROVIDED[1])))
        .build()
        .unwrap();
    let err = client.get_sandbox_image("i").send().await.unwrap_err();
    assert!(matches!(err, runtime_wire::Error::InvalidRequest(_)), "{err:?}");
    assert_no_provided(&format!("{err} {err:?}"));

    let trace = collector.out.lock().unwrap().clone();
    assert_no_provided(&trace);
    assert!(trace.contains("retrying with refreshed credentials"), "{trace}");
}
