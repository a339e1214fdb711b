//! Contract tests against Stoplight Prism: `cargo xtask contract --sample` generates the client
//! and a driver of each spec of the fixed sample (tests/contract/contract.toml), starts Prism on
//! loopback and calls every operation (see README, "Contract tests"); the whole corpus is
//! `cargo xtask contract`, which `.ci/run` runs after the tests. Prism is an npm package pinned in
//! `tests/prism/`; without it the test is skipped locally with a message, and fails on CI
//! (`CI=true`), where `.ci/run` installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

#[test]
fn every_operation_is_accepted_by_prism_and_every_response_decodes() {
    let prism = root().join("tests/prism/node_modules/.bin/prism");
    if !prism.exists() {
        let hint = "install it with `npm ci --prefix tests/prism` (needs node and npm)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("Prism is required on CI but {} is missing: {hint}", prism.display());
        }
        eprintln!(
            "SKIPPED: Prism contract tests, because {} is missing; {hint}",
            prism.display()
        );
        return;
    }
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--", "contract", "--sample"])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "contract tests failed (see the report above)");
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("contract: ") && l.contains(" specs, "))
        .expect("a summary line");
    // Every failure of the sample is a known spec or Prism bug, and every decoded JSON body
    // serialises back to what was served.
    assert!(summary.contains("failed: 0 client"), "{summary}");
    assert!(summary.contains(" 0 mismatched"), "{summary}");
}
