//! Runtime behaviour (request encoding, response decoding, retries, credential
//! providers and hooks, secret redaction), exercised through `runtime-wire`: a client generated from
//! `specs/fixtures/runtime-wire.yaml`, one operation per request shape.

mod common;
mod credentials;
mod redaction;
mod responses;
mod retries;
mod wire;
