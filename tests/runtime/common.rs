//! Client construction for the runtime tests.

use std::time::Duration;

pub use e2e_tests::{Behaviour, RawServer};
use runtime_wire::types::SandboxImageCreate;
use runtime_wire::{Client, ClientBuilder, RetryPolicy};

pub const TOKEN: &str = "sk-test-SECRET-9f8e7d";

/// The `User-Agent` a generated crate sends by default: its name and version.
pub const USER_AGENT: &str = "runtime-wire/0.1.0";

/// A retry policy with millisecond backoffs so that tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

pub fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .expect("valid base URL")
        .retry_policy(fast_retries())
}

pub fn client(base: &str) -> Client {
    builder(base).bearer_token(TOKEN).build().expect("client builds")
}

pub fn body() -> SandboxImageCreate {
    SandboxImageCreate::new("base")
}

/// A 200 answer carrying a `SandboxImageDetail`.
pub fn ok_json() -> Behaviour {
    Behaviour::json("200 OK", r#"{"id":"i1","name":"base"}"#)
}
