//! The generated crate's `Cargo.toml`. TOML, not Rust: strings are escaped as TOML basic strings.

use crate::emit::uses;
use crate::ir::{Api, Ty};
use crate::Config;

fn toml_str(s: &str) -> String {
    // A JSON string literal is a valid TOML basic string.
    serde_json::Value::String(s.to_owned()).to_string()
}

pub fn manifest(api: &Api, config: &Config) -> String {
    let chrono = uses(api, &|t| matches!(t, Ty::Date | Ty::DateTime));
    let uuid = uses(api, &|t| matches!(t, Ty::Uuid));
    let description = format!(
        "Client for the {} API, generated from {}",
        api.title, config.spec_display
    );
    let mut out = String::new();
    out.push_str("[package]\n");
    out.push_str(&format!("name = {}\n", toml_str(&config.crate_name)));
    out.push_str(&format!("version = {}\n", toml_str(&config.crate_version)));
    out.push_str("edition = \"2021\"\nrust-version = \"1.80\"\n");
    out.push_str(&format!("description = {}\n", toml_str(&description)));
    out.push_str("publish = false\n\n");
    let sse = api.operations.iter().any(|op| op.event_stream.is_some());
    out.push_str(if sse {
        "[features]\ndefault = [\"rustls\", \"sse\"]\n"
    } else {
        "[features]\ndefault = [\"rustls\"]\n"
    });
    out.push_str("# `text/event-stream` responses as typed event streams (on by default when the API has them).\n");
    out.push_str("sse = [\"dep:eventsource-stream\"]\n");
    out.push_str("# `Serialize` and `Deserialize` on every type. Without it, types that are only sent implement\n");
    out.push_str("# `Serialize` and types that are only received `Deserialize` (less code to compile).\n");
    out.push_str("serde-all = []\n");
    out.push_str("# TLS through rustls with the ring provider: pure Rust plus a C compiler, no system OpenSSL.\n");
    out.push_str("rustls = [\"reqwest/rustls-tls\"]\n");
    out.push_str("# The platform's TLS library instead (OpenSSL on Linux).\n");
    out.push_str("native-tls = [\"reqwest/native-tls\"]\n\n");
    out.push_str("[dependencies]\n");
    out.push_str("bytes = \"1\"\n");
    if chrono {
        out.push_str("chrono = { version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    out.push_str("eventsource-stream = { version = \"0.2\", optional = true }\n");
    out.push_str("fastrand = \"2\"\n");
    out.push_str("futures-util = { version = \"0.3\", default-features = false }\n");
    out.push_str("httpdate = \"1\"\n");
    out.push_str("percent-encoding = \"2.3\"\n");
    out.push_str("reqwest = { version = \"0.12\", default-features = false, features = [\"stream\"] }\n");
    out.push_str("serde = { version = \"1.0.200\", features = [\"derive\"] }\n");
    out.push_str("serde_json = \"1\"\n");
    out.push_str("tokio = { version = \"1\", features = [\"time\"] }\n");
    out.push_str("tracing = \"0.1\"\n");
    if uuid {
        out.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
    }
    out
}
