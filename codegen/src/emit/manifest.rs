//! The generated crate's `Cargo.toml`. TOML, not Rust: strings are escaped as TOML basic strings.

use crate::emit::uses;
use crate::ir::{Api, StreamKind, Ty};
use crate::Config;

fn toml_str(s: &str) -> String {
    // A JSON string literal is a valid TOML basic string.
    serde_json::Value::String(s.to_owned()).to_string()
}

/// A TOML array of strings, on one line when short, one entry per line otherwise.
fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| toml_str(i)).collect();
    let line = format!("[{}]", quoted.join(", "));
    if line.len() <= 80 {
        line
    } else {
        format!(
            "[\n{}]",
            quoted.iter().map(|q| format!("    {q},\n")).collect::<String>()
        )
    }
}

/// Spec text for a TOML comment: one line, no control characters (TOML forbids most in comments).
fn comment_text(s: &str) -> String {
    const MAX: usize = 60;
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX)
        .collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    out
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
    let sse = api
        .operations
        .iter()
        .any(|op| op.streams.iter().any(|s| s.kind == StreamKind::Events));
    let mut default = vec!["rustls"];
    if sse {
        default.push("sse");
    }
    if api.tag_features.is_some() {
        default.push("all-tags");
    }
    out.push_str("[features]\n");
    out.push_str(&format!("default = {}\n", toml_list(&default)));
    out.push_str("# `text/event-stream` responses as typed event streams (on by default when the API has them).\n");
    out.push_str("sse = [\"dep:eventsource-stream\"]\n");
    out.push_str("# `Serialize` and `Deserialize` on every type. Without it, types that are only sent implement\n");
    out.push_str("# `Serialize` and types that are only received `Deserialize` (less code to compile).\n");
    out.push_str("serde-all = []\n");
    out.push_str(
        "# `mock::MockApi`: typed test doubles of the API on a local wiremock server (implies `serde-all`).\n",
    );
    out.push_str("mock = [\"serde-all\", \"dep:wiremock\"]\n");
    out.push_str("# TLS through rustls with the ring provider: pure Rust plus a C compiler, no system OpenSSL.\n");
    out.push_str("rustls = [\"reqwest/rustls-tls\"]\n");
    out.push_str("# The platform's TLS library instead (OpenSSL on Linux).\n");
    out.push_str("native-tls = [\"reqwest/native-tls\"]\n");
    if let Some(tf) = &api.tag_features {
        let names: Vec<&str> = tf.features.iter().map(|f| f.name.as_str()).collect();
        out.push_str("# Every operation tag's feature (below).\n");
        out.push_str(&format!("all-tags = {}\n", toml_list(&names)));
        out.push_str("# One feature per operation tag: the tag's operations and the types they use. Untagged\n");
        out.push_str("# operations and types that no operation uses are always compiled.\n");
        for f in &tf.features {
            let tags: Vec<String> = f.tags.iter().map(|t| format!("\"{}\"", comment_text(t))).collect();
            let ops = if f.operations == 1 { "operation" } else { "operations" };
            out.push_str(&format!(
                "# {} {} ({} {ops}).\n{} = []\n",
                if f.tags.len() == 1 { "Tag" } else { "Tags" },
                tags.join(", "),
                f.operations,
                f.name
            ));
        }
    }
    out.push('\n');
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
    // The JSON path of a value that fails to decode, found on failure only (see `runtime/de.rs`).
    out.push_str("serde_path_to_error = \"0.1\"\n");
    out.push_str("tokio = { version = \"1\", features = [\"time\"] }\n");
    out.push_str("tracing = \"0.1\"\n");
    if uuid {
        out.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
    }
    out.push_str("wiremock = { version = \"0.6.5\", optional = true }\n");
    out
}
