//! Contract tests against Stoplight Prism: `cargo xtask contract` generates each configured spec's
//! client and a driver, starts Prism on loopback and calls every operation (see README, "Contract
//! tests"). Prism is an npm package pinned in `tests/prism/`; without it the test is skipped
//! locally with a message, and fails on CI (`CI=true`), where `.ci/run` installs it.

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
        .args(["run", "--quiet", "--package", "xtask", "--", "contract"])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "contract tests failed (see the report above)");
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("contract: "))
        .expect("a summary line");
    assert!(summary.contains(" 0 failed"), "{summary}");
}
