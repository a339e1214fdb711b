//! End-to-end behaviour of the generator and of `cargo xtask gen`: drift, determinism, broken specs,
//! check mode, and that every fixture's output compiles warning-free.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Runs `cargo xtask` with the given arguments from the repository root.
fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("cargo runs")
}

fn snapshot_dir(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable dir") {
            let entry = entry.expect("entry");
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("readable file"));
            }
        }
    }
    out
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = root().join("target").join("generator-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The committed crates match their specs (what `cargo xtask gen --check` checks on CI).
#[test]
fn committed_crates_match_their_specs() {
    for client in codegen::project::load(&root()).expect("clients.toml loads") {
        let out = codegen::generate(&client.config).expect("configured spec generates");
        let report = codegen::write::sync(&client.out, &out.files, true).expect("check reads files");
        assert!(
            report.is_clean(),
            "{} is out of date with {}: {:?}\nrun `cargo xtask gen` and commit the result",
            client.out_display,
            client.config.spec_display,
            report.changes
        );
    }
}

#[test]
fn output_is_deterministic_and_independent_of_schema_order() {
    let spec = root().join("specs/modbox.yaml");
    let config = codegen::Config::new(&spec, "specs/modbox.yaml", "modbox");
    let first = codegen::generate(&config).expect("generates");
    let second = codegen::generate(&config).expect("generates");
    assert_eq!(first.files, second.files);

    // The same document with `components.schemas` in reverse order, as JSON.
    let mut doc: serde_json::Value =
        serde_json::to_value(serde_yaml_value(&std::fs::read(&spec).expect("spec"))).expect("json");
    let schemas = doc["components"]["schemas"].as_object_mut().expect("schemas");
    let mut reversed = serde_json::Map::new();
    for (k, v) in schemas.iter().rev() {
        reversed.insert(k.clone(), v.clone());
    }
    *schemas = reversed;
    let bytes = serde_json::to_vec_pretty(&doc).expect("json");
    let third = codegen::generate_from_bytes(&config, &bytes).expect("generates");
    assert_eq!(first.files, third.files, "schema order must not change the output");
}

fn serde_yaml_value(bytes: &[u8]) -> serde_json::Value {
    codegen::load::parse("spec.yaml", bytes).expect("parses")
}

#[test]
fn broken_spec_changes_nothing_and_names_file_and_pointer() {
    let out = temp_dir("broken");
    let good = root().join("specs/modbox.yaml");
    let status = xtask(&[
        "gen",
        "--spec",
        good.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let before = snapshot_dir(&out);
    for broken in [
        "tests/fixtures/errors/bad-ref.yaml",
        "tests/fixtures/errors/bad-yaml.yaml",
    ] {
        let result = xtask(&[
            "gen",
            "--spec",
            broken,
            "--out",
            out.to_str().expect("utf-8"),
            "--crate-name",
            "modbox",
        ]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("{broken}#")),
            "names the file and a pointer: {stderr}"
        );
        assert_eq!(before, snapshot_dir(&out), "a failed run must not touch the output");
    }
    let stderr =
        String::from_utf8_lossy(&xtask(&["gen", "--spec", "tests/fixtures/errors/bad-ref.yaml", "--out", "x"]).stderr)
            .into_owned();
    assert!(
        stderr.contains("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
        "{stderr}"
    );
}

#[test]
fn check_mode_reports_drift_and_writes_nothing() {
    let dir = temp_dir("drift");
    let spec = dir.join("spec.yaml");
    let original = std::fs::read_to_string(root().join("specs/modbox.yaml")).expect("spec");
    std::fs::write(&spec, &original).expect("write spec");
    let out = dir.join("crate");
    let (spec_s, out_s) = (spec.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    assert!(xtask(&["gen", "--spec", spec_s, "--out", out_s]).status.success());
    let check = xtask(&["gen", "--check", "--spec", spec_s, "--out", out_s]);
    assert_eq!(check.status.code(), Some(0), "fresh output passes the check");

    // A new property on the request body.
    let edited = original.replacen(
        "        tag:\n          type: string\n          default: latest\n",
        "        tag:\n          type: string\n          default: latest\n        gpu_count:\n          type: integer\n",
        1,
    );
    assert_ne!(edited, original, "the edit applies");
    std::fs::write(&spec, &edited).expect("write spec");
    let before = snapshot_dir(&out);
    let check = xtask(&["gen", "--check", "--spec", spec_s, "--out", out_s]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(2), "drift exits 2: {stdout}");
    assert!(stdout.contains("src/types.rs: stale"), "names the stale file: {stdout}");
    assert!(
        stdout.contains("+    pub gpu_count: Option<i64>,"),
        "shows a diff: {stdout}"
    );
    assert_eq!(before, snapshot_dir(&out), "--check writes nothing");

    assert!(xtask(&["gen", "--spec", spec_s, "--out", out_s]).status.success());
    let types = std::fs::read_to_string(out.join("src/types.rs")).expect("types");
    assert!(types.contains("pub gpu_count: Option<i64>,"));
    assert_eq!(
        xtask(&["gen", "--check", "--spec", spec_s, "--out", out_s])
            .status
            .code(),
        Some(0)
    );
}

/// Every fixture's output, and a few corpus specs, build as one workspace with `clippy -D warnings`.
#[test]
fn fixture_outputs_compile_without_warnings() {
    let ws = temp_dir("fixtures-ws");
    let mut members = Vec::new();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    specs.sort();
    // Modbox too: the workspace builds it with the `serde-all` feature (the tests use it), this
    // builds it as users get it by default.
    specs.push(root().join("specs/modbox.yaml"));
    for spec in specs {
        let name = spec.file_stem().expect("stem").to_string_lossy().replace('.', "-");
        let config = codegen::Config::new(&spec, format!("tests/fixtures/{name}.yaml"), format!("fixture-{name}"));
        let out = codegen::generate(&config).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        codegen::write::sync(&ws.join(&name), &out.files, false).expect("write crate");
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        ws.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("workspace manifest");
    // Same dependency versions as the main workspace, so the build cache is shared across runs.
    std::fs::copy(root().join("Cargo.lock"), ws.join("Cargo.lock")).expect("lock file");
    let result = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--workspace", "--offline", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root().join("target").join("fixture-crates"))
        .current_dir(&ws)
        .output()
        .expect("cargo runs");
    assert!(
        result.status.success(),
        "fixture crates do not build cleanly:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
}
