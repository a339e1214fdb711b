//! What a contract run found: each driver record classified (client, spec or Prism bug), the
//! round-trip check of each decoded JSON body, the printed report and the COVERAGE.md section.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use serde::Deserialize;
use serde_json::Value;

use super::known::{Class, ContractConfig};
use super::roundtrip::{self, Finding};
use super::ContractArgs;

/// One operation's record, as the driver writes it (`codegen/contract/support.rs`).
#[derive(Debug, Deserialize)]
pub struct Record {
    #[serde(rename = "fn")]
    pub fn_name: String,
    pub label: String,
    /// `pass`, `fail` or `skip`.
    pub outcome: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub prism_type: Option<String>,
    #[serde(default)]
    pub violations: Option<String>,
    #[serde(default)]
    pub served: Option<Value>,
    #[serde(default)]
    pub decoded: Option<Value>,
    #[serde(default)]
    pub roundtrip_skipped: Option<String>,
}

/// The round trip of a passed operation's JSON body.
pub struct RoundTrip {
    pub mismatches: Vec<Finding>,
    pub lossy: Vec<Finding>,
}

pub struct OpReport {
    pub record: Record,
    /// For a failure (or a round-trip mismatch): whose bug, and why.
    pub verdict: Option<(Class, String)>,
    pub roundtrip: Option<RoundTrip>,
    /// A known failure that passed: its entry should go.
    pub stale_known: bool,
    /// The verdict comes from a `[[known]]` entry.
    pub known: bool,
}

impl OpReport {
    fn failed(&self) -> bool {
        self.verdict.is_some()
    }
}

pub struct SpecReport {
    pub name: String,
    pub operations: usize,
    pub ops: Vec<OpReport>,
}

pub struct Unservable {
    pub spec: String,
    pub reason: String,
}

/// `#/paths/~1pets~1{id}/get/responses/200`: where a response is described.
fn response_pointer(op: &codegen::ir::Operation, status: Option<u16>) -> String {
    let path = op.path.replace('~', "~0").replace('/', "~1");
    let mut pointer = format!("#/paths/{path}/{}", op.method.to_ascii_lowercase());
    if let Some(s) = status {
        let _ = write!(pointer, "/responses/{s}");
    }
    pointer
}

/// Whose bug a failed record is, when no known entry says.
fn classify(
    record: &Record,
    api: &codegen::ir::Api,
    op: Option<&codegen::ir::Operation>,
    dynamic: bool,
) -> (Class, String) {
    let note = record.note.clone().unwrap_or_default();
    match record.kind.as_deref() {
        // json-schema-faker ignores integer formats (`uint16`, `int8`, ...) and makes up values
        // beyond their range; the client's integer type is the format's.
        Some("decode") if dynamic && note.contains("invalid value: integer") => (
            Class::Prism,
            format!("Prism made up an integer outside the range of the schema's integer `format`: {note}"),
        ),
        Some("transport") => (
            Class::Prism,
            format!("the mock server closed the connection or did not answer: {note}"),
        ),
        Some("prism") if record.status.is_some_and(|s| s >= 500) || record.prism_type.as_deref() == Some("UNKNOWN") => {
            (Class::Prism, format!(
                "the mock server failed by itself (with `VIOLATIONS`: it rejects a response it made up or took from the spec): {note}"
            ))
        }
        Some("decode") if record.violations.is_some() => {
            let pointer = op.map(|op| response_pointer(op, record.status)).unwrap_or_default();
            (
                Class::Spec,
                format!(
                    "the served body violates the spec's own response schema ({pointer}; Prism: {}): {note}",
                    record.violations.as_deref().unwrap_or_default()
                ),
            )
        }
        // JSON Schema's `oneOf` wants exactly one match; OpenAPI's discriminator picks the variant,
        // and Prism ignores it, so a value of one variant that another also accepts is rejected.
        Some("prism") if note.contains("must match exactly one schema in oneOf") && op.is_some_and(|op| discriminated_body(api, op)) => (
            Class::Prism,
            format!("Prism validates the discriminated `oneOf` as plain JSON Schema, ignoring the discriminator: {note}"),
        ),
        _ => (Class::Client, note),
    }
}

/// The request body is, or holds (a few levels down), a union with a discriminator.
fn discriminated_body(api: &codegen::ir::Api, op: &codegen::ir::Operation) -> bool {
    fn holds(api: &codegen::ir::Api, ty: &codegen::ir::Ty, depth: usize) -> bool {
        use codegen::ir::{Ty, TypeKind};
        if depth > 4 {
            return false;
        }
        match ty {
            Ty::Option(t) | Ty::Boxed(t) | Ty::Vec(t) | Ty::Map(t) => holds(api, t, depth),
            Ty::Named(id) => match api.types.get(id.0).map(|t| &t.kind) {
                Some(TypeKind::Union(u)) => u.tag.is_some() || u.variants.iter().any(|v| holds(api, &v.ty, depth + 1)),
                Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| holds(api, &f.ty, depth + 1)),
                Some(TypeKind::Alias(t)) => holds(api, t, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }
    op.body.as_ref().is_some_and(|b| holds(api, &b.ty, 0))
}

impl SpecReport {
    pub fn new(
        name: &str,
        api: &codegen::ir::Api,
        records: Vec<Record>,
        config: &ContractConfig,
        dynamic: bool,
    ) -> Self {
        let find_op = |fn_name: &str| {
            api.operations
                .iter()
                .find(|op| op.fn_name.trim_start_matches("r#") == fn_name)
        };
        let mut ops = Vec::new();
        for record in records {
            let op = find_op(&record.fn_name);
            let known = config.known(name, &record.fn_name, dynamic);
            let mut report = OpReport {
                verdict: None,
                roundtrip: None,
                stale_known: false,
                known: known.is_some(),
                record,
            };
            match report.record.outcome.as_str() {
                "fail" => {
                    report.verdict = Some(match known {
                        Some(k) => (k.class, k.explain()),
                        None => classify(&report.record, api, op, dynamic),
                    });
                }
                "pass" => {
                    if let (Some(served), Some(decoded), Some(ty)) = (
                        &report.record.served,
                        &report.record.decoded,
                        op.and_then(codegen::emit::contract::json_success_ty),
                    ) {
                        let (lossy, mismatches): (Vec<Finding>, Vec<Finding>) =
                            roundtrip::compare(api, ty, served, decoded)
                                .into_iter()
                                .partition(|f| f.lossy);
                        if !mismatches.is_empty() {
                            let first = &mismatches[0];
                            let why = format!(
                                "round trip: the decoded body serialises to something else than was served at `{}`: {}",
                                first.pointer, first.what
                            );
                            report.verdict = Some(match known {
                                Some(k) => (k.class, format!("{}; {why}", k.explain())),
                                // Prism said the served body violates its schema.
                                None if report.record.violations.is_some() => (Class::Spec, why),
                                None => (Class::Client, why),
                            });
                        }
                        report.roundtrip = Some(RoundTrip { mismatches, lossy });
                    }
                    report.stale_known = known.is_some_and(|k| !k.crashes) && report.verdict.is_none();
                }
                _ => {}
            }
            ops.push(report);
        }
        SpecReport {
            name: name.to_owned(),
            operations: api.operations.len(),
            ops,
        }
    }

    pub fn count(&self, outcome: &str) -> usize {
        self.ops.iter().filter(|o| o.record.outcome == outcome).count()
    }

    /// Passed with no round-trip mismatch.
    pub fn passed(&self) -> usize {
        self.ops
            .iter()
            .filter(|o| o.record.outcome == "pass" && !o.failed())
            .count()
    }

    pub fn failed(&self, class: Class) -> usize {
        self.ops
            .iter()
            .filter(|o| o.verdict.as_ref().is_some_and(|(c, _)| *c == class))
            .count()
    }

    /// Client failures no `[[known]]` entry explains: these fail the run.
    pub fn new_client_failures(&self) -> usize {
        self.ops
            .iter()
            .filter(|o| !o.known && o.verdict.as_ref().is_some_and(|(c, _)| *c == Class::Client))
            .count()
    }

    pub fn roundtrips(&self) -> (usize, usize) {
        let compared = self.ops.iter().filter(|o| o.roundtrip.is_some()).count();
        let mismatched = self
            .ops
            .iter()
            .filter(|o| o.roundtrip.as_ref().is_some_and(|r| !r.mismatches.is_empty()))
            .count();
        (compared, mismatched)
    }

    pub fn print(&self) {
        for op in &self.ops {
            let r = &op.record;
            let note = r.note.as_deref().unwrap_or_default();
            match (&op.verdict, r.outcome.as_str()) {
                (Some((class, why)), _) => println!("  FAIL [{}] {}: {why}", class.label(), r.label),
                (None, "skip") => println!("  skip {}: not called (Prism crashes on it)", r.label),
                (None, _) => {
                    let rt = match &op.roundtrip {
                        Some(rt) if rt.lossy.is_empty() => "; round trip equal".to_owned(),
                        Some(rt) => format!(
                            "; round trip equal up to {} lossy spot(s) (first: `{}` {})",
                            rt.lossy.len(),
                            rt.lossy[0].pointer,
                            rt.lossy[0].what
                        ),
                        None => match &r.roundtrip_skipped {
                            Some(why) => format!("; round trip not compared: {why}"),
                            None => String::new(),
                        },
                    };
                    println!("  ok   {}: {note}{rt}", r.label);
                }
            }
            if op.stale_known {
                println!("  note: {} passes now: remove it from its [[known]] entry", r.fn_name);
            }
        }
        let (compared, mismatched) = self.roundtrips();
        println!(
            "{}: {} passed, {} failed, {} skipped (failed: {} client, {} spec, {} prism; round trip: {compared} compared, {mismatched} mismatched)",
            self.name,
            self.passed(),
            self.ops.len() - self.passed() - self.count("skip"),
            self.count("skip"),
            self.failed(Class::Client),
            self.failed(Class::Spec),
            self.failed(Class::Prism),
        );
    }
}

/// Prints the overall lines; true when every client failure is a known one.
pub fn print_summary(reports: &[SpecReport], unservable: &[Unservable], elapsed: Duration) -> bool {
    let sum = |f: &dyn Fn(&SpecReport) -> usize| reports.iter().map(f).sum::<usize>();
    let passed = sum(&|r| r.passed());
    let skipped = sum(&|r| r.count("skip"));
    let called = sum(&|r| r.ops.len()) - skipped;
    let client = sum(&|r| r.failed(Class::Client));
    let spec = sum(&|r| r.failed(Class::Spec));
    let prism = sum(&|r| r.failed(Class::Prism));
    let compared = sum(&|r| r.roundtrips().0);
    let mismatched = sum(&|r| r.roundtrips().1);
    println!();
    for u in unservable {
        println!("not servable by Prism: {}: {}", u.spec, u.reason);
    }
    let rate = if passed + client == 0 {
        100.0
    } else {
        100.0 * passed as f64 / (passed + client) as f64
    };
    println!(
        "contract: {} specs, {called} operations called in {:.0} s; failed: {client} client, {spec} spec, {prism} prism; \
         round trip: {compared} compared, {mismatched} mismatched; {rate:.1}% of the operations not failed by a spec or \
         Prism bug passed",
        reports.len(),
        elapsed.as_secs_f64()
    );
    let new_client = sum(&|r| r.new_client_failures());
    if new_client > 0 {
        println!("contract: {new_client} client failure(s) not explained by tests/contract/contract.toml");
    }
    println!(
        "contract: {passed} passed, {} failed, {skipped} skipped",
        called - passed
    );
    new_client == 0
}

/// The first line of an error, shortened.
pub fn first_line(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    crate::corpus::first_line(line)
}

/// Replaces (or appends) the `## Contract` section of a Markdown file: a row per spec.
pub fn write_section(
    path: &Path,
    reports: &[SpecReport],
    unservable: &[Unservable],
    args: &ContractArgs,
) -> anyhow::Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let kept = match old.find("\n## Contract\n") {
        Some(at) => &old[..at],
        None => old.trim_end(),
    };
    let mode = if args.dynamic {
        format!(
            "`--dynamic --seed {}` (responses generated from the schemas)",
            args.seed
        )
    } else {
        "static examples".to_owned()
    };
    let mut doc = format!(
        "{kept}\n\n## Contract\n\nWritten by `cargo xtask contract --write COVERAGE.md` ({mode}): every operation of each \
         spec called through its generated client against Stoplight Prism (README, \"Contract tests\"). \
         *passed*: Prism accepted the request, the response decoded and (JSON bodies) serialised back to what was \
         served; failures by whose bug they are; *round trip*: decoded JSON bodies compared with the served ones.\n\n\
         | spec | operations | called | passed | failed: client | failed: spec | failed: prism | not called (Prism crashes) | round trip compared | round trip mismatched |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for r in reports {
        let skipped = r.count("skip");
        let (compared, mismatched) = r.roundtrips();
        let _ = writeln!(
            doc,
            "| {} | {} | {} | {} | {} | {} | {} | {skipped} | {compared} | {mismatched} |",
            r.name,
            r.operations,
            r.ops.len() - skipped,
            r.passed(),
            r.failed(Class::Client),
            r.failed(Class::Spec),
            r.failed(Class::Prism),
        );
    }
    if !unservable.is_empty() {
        doc.push_str("\nNot servable by Prism (it exits or never listens):\n\n");
        for u in unservable {
            let _ = writeln!(doc, "- {}: {}", u.spec, u.reason);
        }
    }
    std::fs::write(path, doc).with_context(|| format!("writing {}", path.display()))
}
