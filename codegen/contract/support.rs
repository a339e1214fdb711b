//! What every contract driver shares: argument decoding, the verdict on a response, the replay of
//! the last request for the round-trip check, and the result records `cargo xtask contract` reads.
//! Written into each driver crate as `src/support.rs` (from `codegen/contract/support.rs`).

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::api;

/// The first candidate (JSON text) that decodes into `T`: the spec's examples come first.
pub fn value<T: serde::de::DeserializeOwned>(what: &str, candidates: &[&str]) -> Result<T, Outcome> {
    let mut errors = Vec::new();
    for text in candidates {
        match serde_json::from_str::<T>(text) {
            Ok(v) => return Ok(v),
            Err(e) => errors.push(format!("{text}: {e}")),
        }
    }
    Err(Outcome::fail(
        "no_value",
        format!("no value for the {what} decodes into its Rust type ({})", errors.join("; ")),
    ))
}

const PRISM_ERRORS: &str = "https://stoplight.io/prism/errors#";

fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(600) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// What happened to one call: the facts `cargo xtask contract` classifies.
#[derive(Debug, Default)]
pub struct Outcome {
    pub passed: bool,
    /// `pass`, `prism` (the mock server answered by itself), `decode`, `undocumented_status`,
    /// `no_value`, `transport`, `other`.
    pub kind: &'static str,
    pub note: String,
    pub status: Option<u16>,
    /// The mock server's problem type (after `#`), when it answered by itself.
    pub prism_type: Option<String>,
    /// Its `sl-violations` header.
    pub violations: Option<String>,
    /// The success body serialised back, for the round-trip check.
    pub decoded: Option<Value>,
}

impl Outcome {
    fn pass(note: String) -> Outcome {
        Outcome {
            passed: true,
            kind: "pass",
            note,
            ..Outcome::default()
        }
    }

    pub fn fail(kind: &'static str, note: String) -> Outcome {
        Outcome {
            kind,
            note,
            ..Outcome::default()
        }
    }
}

/// The problem type and text when the response is the mock server's own error (a request
/// violation, an unmatched route, missing credentials), not a response from the spec.
fn prism_problem(headers: &reqwest::header::HeaderMap, body: &[u8]) -> (Option<String>, Option<String>, String) {
    let violations = headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let problem: Option<Value> = serde_json::from_slice(body).ok();
    let kind = problem
        .as_ref()
        .and_then(|p| p.get("type"))
        .and_then(|t| t.as_str())
        .and_then(|t| t.strip_prefix(PRISM_ERRORS))
        .map(str::to_owned);
    let mut text = String::new();
    if kind.is_some() {
        if let Some(p) = &problem {
            for key in ["title", "detail"] {
                if let Some(s) = p.get(key).and_then(|v| v.as_str()).filter(|s| !s.is_empty()) {
                    text.push_str(s);
                    text.push_str(". ");
                }
            }
            if let Some(v) = p.get("validation") {
                text.push_str(&v.to_string());
            }
        }
    }
    (kind, violations, shorten(&text))
}

/// The mock server answered by itself (its problem document `kind`).
fn mock_server_problem(
    status: reqwest::StatusCode,
    kind: String,
    text: String,
    violations: Option<String>,
) -> Outcome {
    Outcome {
        status: Some(status.as_u16()),
        note: format!("{status} from the mock server: {kind} {text}"),
        prism_type: Some(kind),
        violations,
        ..Outcome::fail("prism", String::new())
    }
}

/// Passes when the response decoded into the success type, or was a documented error whose body
/// decoded; fails on anything the mock server itself answered (it rejected the request).
/// `documented`: the spec documents at least one response. `roundtrip`: the decoded body serialised
/// back for the round-trip check (JSON bodies), or `None`.
pub fn check<T, E, H: std::borrow::Borrow<reqwest::header::HeaderMap>>(
    result: Result<api::Response<T, H>, api::Error<E>>,
    documented: bool,
    roundtrip: impl FnOnce(&T) -> Option<Value>,
) -> Outcome {
    match result {
        Ok(resp) => {
            let (_, violations, _) = prism_problem(resp.headers().borrow(), b"");
            let mut out = Outcome::pass(format!("{} decoded", resp.status()));
            out.status = Some(resp.status().as_u16());
            if let Some(v) = &violations {
                out.note.push_str(&format!(" (mock server notes: {v})"));
            }
            out.violations = violations;
            out.decoded = roundtrip(resp.body());
            out
        }
        Err(api::Error::Api(e)) => {
            let (kind, violations, text) = prism_problem(e.headers(), e.raw_body());
            let status = Some(e.status().as_u16());
            match kind {
                Some(kind) => mock_server_problem(e.status(), kind, text, violations),
                None => Outcome {
                    status,
                    violations,
                    ..Outcome::pass(format!("{} documented error decoded", e.status()))
                },
            }
        }
        Err(api::Error::UnexpectedStatus(e)) => {
            let (kind, violations, text) = prism_problem(e.headers(), e.body());
            let status = Some(e.status().as_u16());
            match kind {
                // The spec documents no response at all: the request was validated and accepted,
                // and there is no response model to decode into.
                Some(kind) if kind == "NO_RESPONSE_RESPONSE_DEFINED" && !documented => Outcome {
                    status,
                    ..Outcome::pass("request accepted; the spec documents no response".to_owned())
                },
                Some(kind) => mock_server_problem(e.status(), kind, text, violations),
                None => Outcome {
                    status,
                    violations,
                    ..Outcome::fail(
                        "undocumented_status",
                        format!(
                            "undocumented status {}: {}",
                            e.status(),
                            shorten(&String::from_utf8_lossy(e.body()))
                        ),
                    )
                },
            }
        }
        Err(api::Error::Decode(e)) => {
            let (kind, violations, text) = prism_problem(e.headers(), e.body());
            // The mock server's own problem document at a status the spec documents with another
            // body: what it says, not the decoding, is the outcome.
            if let Some(kind) = kind {
                return mock_server_problem(e.status(), kind, text, violations);
            }
            Outcome {
                status: Some(e.status().as_u16()),
                violations,
                ..Outcome::fail(
                    "decode",
                    format!("{e}; body: {}", shorten(&String::from_utf8_lossy(e.body()))),
                )
            }
        }
        Err(e @ (api::Error::Transport(_) | api::Error::Timeout(_))) => Outcome::fail("transport", e.to_string()),
        Err(other) => Outcome::fail("other", other.to_string()),
    }
}

/// The last request the client sent (a copy taken by an `on_request` hook), replayed with a plain
/// HTTP client to read the exact body the mock server serves for it: its responses are
/// deterministic (static examples, or a fixed seed).
#[derive(Clone, Default)]
pub struct LastRequest(Arc<Mutex<Option<reqwest::Request>>>);

impl LastRequest {
    pub fn record(&self, request: &reqwest::Request) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = request.try_clone();
        }
    }

    fn take(&self) -> Option<reqwest::Request> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }

    /// The served body as JSON, or why there is none.
    async fn replay(&self, http: &reqwest::Client) -> Result<Value, String> {
        let request = self.take().ok_or("no request was recorded")?;
        let resp = http.execute(request).await.map_err(|e| format!("replay failed: {e}"))?;
        let bytes = resp.bytes().await.map_err(|e| format!("replay failed: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("the served body is not JSON: {e}"))
    }
}

/// Counts outcomes, prints one line per operation and writes one JSON record per operation to
/// the file named by `CONTRACT_RESULTS` (when set).
pub struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    skip: Vec<String>,
    last: LastRequest,
    http: reqwest::Client,
    records: Option<std::fs::File>,
}

impl Tally {
    pub fn new(skip: Vec<String>, last: LastRequest) -> Tally {
        let records = std::env::var_os("CONTRACT_RESULTS").and_then(|p| std::fs::File::create(p).ok());
        Tally {
            passed: 0,
            failed: 0,
            skipped: 0,
            skip,
            last,
            http: reqwest::Client::new(),
            records,
        }
    }

    /// `call` is an operation's driver function: `Err` when no argument value could be built.
    pub async fn run(
        &mut self,
        name: &str,
        label: &str,
        call: impl std::future::Future<Output = Result<Outcome, Outcome>>,
    ) {
        let mut record = json!({ "fn": name, "label": label });
        if self.skip.iter().any(|s| s == name) {
            self.skipped += 1;
            println!("skip {label}");
            record["outcome"] = json!("skip");
            self.write(&record);
            return;
        }
        let outcome = call.await.unwrap_or_else(|failed| failed);
        if outcome.passed {
            self.passed += 1;
            println!("ok   {label}: {}", outcome.note);
        } else {
            self.failed += 1;
            println!("FAIL {label}: {}", outcome.note);
        }
        record["outcome"] = json!(if outcome.passed { "pass" } else { "fail" });
        record["kind"] = json!(outcome.kind);
        record["note"] = json!(outcome.note);
        record["status"] = json!(outcome.status);
        record["prism_type"] = json!(outcome.prism_type);
        record["violations"] = json!(outcome.violations);
        if let Some(decoded) = outcome.decoded {
            match self.last.replay(&self.http).await {
                Ok(served) => {
                    record["served"] = served;
                    record["decoded"] = decoded;
                }
                Err(why) => record["roundtrip_skipped"] = json!(why),
            }
        }
        self.write(&record);
    }

    fn write(&mut self, record: &Value) {
        use std::io::Write as _;
        if let Some(f) = &mut self.records {
            let _ = writeln!(f, "{record}");
        }
    }

    /// Prints `N passed, M failed, K skipped`; true when nothing failed.
    pub fn finish(&self) -> bool {
        println!("{} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped);
        self.failed == 0
    }
}
