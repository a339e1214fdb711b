//! `API.md`, the generated crate's API surface: its text for a small fixture (a reviewed
//! snapshot), and that `cargo xtask gen --check` flags a stale one.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("cargo runs")
}

#[test]
fn surface_of_small_fixture() {
    let spec = root().join("tests/fixtures/surface/small.yaml");
    let config = codegen::Config::new(&spec, "tests/fixtures/surface/small.yaml", "small");
    let out = codegen::generate(&config).expect("the fixture generates");
    let api = out.files.get("API.md").expect("API.md is generated");
    assert!(
        api.lines().next().is_some_and(|l| l.contains(codegen::write::MARKER)),
        "the first line marks the file as generated: {api}"
    );
    insta::assert_snapshot!("surface_small", api);
}

/// The surface is the same whatever the thread count and part size of the Rust files.
#[test]
fn surface_is_deterministic() {
    let spec = root().join("specs/modbox.yaml");
    let config = codegen::Config::new(&spec, "specs/modbox.yaml", "modbox");
    let a = codegen::generate(&config).expect("generates");
    let b = codegen::generate(&config).expect("generates");
    assert_eq!(a.files.get("API.md"), b.files.get("API.md"));
}

#[test]
fn check_flags_a_stale_api_md() {
    let dir = root().join("target").join("surface-tests").join("stale");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = root().join("tests/fixtures/surface/small.yaml");
    let out = dir.join("crate");
    let (spec_s, out_s) = (spec.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    assert!(xtask(&["gen", "--spec", spec_s, "--out", out_s]).status.success());
    let path = out.join("API.md");
    let fresh = std::fs::read_to_string(&path).expect("API.md is written next to Cargo.toml");
    assert!(
        fresh.contains("op create_pet  POST /pets\n  arg body: NewPet\n"),
        "{fresh}"
    );

    // An API.md that no longer matches the spec: the committed surface lost an operation's line.
    let stale = fresh.replace("  err 404 NotFound\n", "");
    assert_ne!(stale, fresh, "the edit applies");
    std::fs::write(&path, &stale).expect("write");
    let check = xtask(&["gen", "--check", "--spec", spec_s, "--out", out_s]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(2), "a stale API.md is drift: {stdout}");
    assert!(stdout.contains("API.md: stale"), "names the file: {stdout}");
    assert!(
        stdout.contains("+  err 404 NotFound"),
        "shows the missing line: {stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        stale,
        "--check writes nothing"
    );

    // Removing it is drift too, and `gen` writes it back.
    std::fs::remove_file(&path).expect("remove");
    let check = xtask(&["gen", "--check", "--spec", spec_s, "--out", out_s]);
    assert_eq!(check.status.code(), Some(2), "a missing API.md is drift");
    assert!(xtask(&["gen", "--spec", spec_s, "--out", out_s]).status.success());
    assert_eq!(std::fs::read_to_string(&path).expect("read"), fresh);
}
