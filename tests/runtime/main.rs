//! Runtime behaviour (request encoding, response decoding, retries, secret
//! redaction), exercised through `runtime-wire`: a client generated from
//! `specs/fixtures/runtime-wire.yaml`, one operation per request shape.

mod common;
mod redaction;
mod responses;
mod retries;
mod wire;
