//! Snapshots of the IR and of the emitted code, for the Modbox spec and one small fixture per
//! construct (`tests/fixtures/*.yaml`), plus the error text for broken specs
//! (`tests/fixtures/errors/*.yaml`). Review changes with `cargo insta review` or by reading the
//! `.snap.new` files; on CI (`CI=true`) a mismatch fails.

use std::path::Path;

fn generate(path: &Path) -> Result<codegen::Output, codegen::Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent");
    let display = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    codegen::generate(&codegen::Config::new(path, display, "fixture"))
}

fn code(out: &codegen::Output) -> String {
    ["src/types.rs", "src/operations.rs", "src/auth.rs"]
        .iter()
        .filter_map(|f| out.files.get(*f).map(|text| format!("==> {f}\n{text}")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn warnings(out: &codegen::Output) -> String {
    out.warnings.iter().map(|w| format!("{w}\n")).collect()
}

#[test]
fn modbox() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/modbox.yaml");
    let out = generate(&spec).expect("the Modbox spec generates");
    assert_eq!(warnings(&out), "", "the Modbox spec generates without warnings");
    insta::assert_snapshot!("modbox_ir", format!("{:#?}", out.api));
    insta::assert_snapshot!("modbox_code", code(&out));
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.yaml", |path| {
        let out = generate(path).unwrap_or_else(|e| panic!("{} should generate: {e}", path.display()));
        insta::assert_snapshot!("ir", format!("warnings:\n{}\n{:#?}", warnings(&out), out.api));
        insta::assert_snapshot!("code", code(&out));
    });
}

#[test]
fn broken_specs() {
    insta::glob!("fixtures/errors/*.yaml", |path| {
        let err = generate(path).expect_err("a broken spec must be refused");
        let text = err.to_string();
        assert!(
            text.contains("tests/fixtures/errors/"),
            "the error names the file: {text}"
        );
        assert!(text.contains('#'), "the error carries a JSON pointer: {text}");
        insta::assert_snapshot!("error", text);
    });
}
