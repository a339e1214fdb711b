//! What `cargo xtask gen` prints and how it exits: located errors with an excerpt of the spec,
//! `--deny-warnings`, the "lost in translation" report and the documented exit codes.

use std::path::Path;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = crate::xtask(args, &[]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn gen_args<'a>(spec: &'a str, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "gen",
        "--spec",
        spec,
        "--out",
        out.to_str().expect("utf-8"),
        "--crate-name",
        "diag",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_broken_spec_exits_1_with_pointer_line_and_excerpt_and_writes_nothing() {
    let dir = crate::temp_dir("diagnostics-error");
    let out = dir.join("crate");
    let (code, _, stderr) = run(&gen_args("tests/fixtures/errors/bad-ref.yaml", &out, &[]));
    assert_eq!(code, Some(1), "{stderr}");
    // `file#pointer (line L, column C): message`, then the spec lines with a caret.
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: tests/fixtures/errors/bad-ref.yaml#/"),
        "{stderr}"
    );
    assert!(first.contains("(line ") && first.contains(", column "), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().trim_start_matches('|').trim_start().starts_with('^')),
        "no caret excerpt: {stderr}"
    );
    assert!(
        stderr.contains("$ref"),
        "the excerpt shows the offending line: {stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1_and_writes_nothing() {
    let dir = crate::temp_dir("diagnostics-deny");
    let out = dir.join("crate");
    let spec = "tests/fixtures/recursive-alias.yaml";
    let (code, _, stderr) = run(&gen_args(spec, &out, &["--deny-warnings"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("recursive-alias.yaml#/components/schemas/Tree (line 18, column 5)"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
    // Without the flag the same spec generates, warning on stderr.
    let (code, _, stderr) = run(&gen_args(spec, &out, &[]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("warning: tests/fixtures/recursive-alias.yaml#/components/schemas/Tree"));
    assert!(out.join("src/types.rs").is_file());
}

#[test]
fn report_lists_every_approximation_by_pointer_and_kind() {
    let dir = crate::temp_dir("diagnostics-report");
    let out = dir.join("crate");
    let (code, stdout, stderr) = run(&gen_args(
        "tests/fixtures/recursive-alias.yaml",
        &out,
        &["--report", "-q"],
    ));
    assert_eq!(code, Some(0), "{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("lost in translation"), "{all}");
    assert!(all.contains("3 approximation(s)"), "{all}");
    assert!(all.contains("`serde_json::Value` fallback (3)"), "{all}");
    for schema in ["Forest", "Ping", "Tree"] {
        assert!(
            all.contains(&format!("#/components/schemas/{schema} (line ")),
            "{schema}: {all}"
        );
    }
    // `not` is reported under its own kind.
    let out2 = dir.join("crate2");
    let (code, stdout, stderr) = run(&gen_args(
        "tests/fixtures/types-keywords.yaml",
        &out2,
        &["--report", "-q"],
    ));
    assert_eq!(code, Some(0), "{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("ignored `not` (1)"), "{all}");
}

#[test]
fn report_lists_each_dropped_constraint_once_at_its_keyword() {
    let dir = crate::temp_dir("diagnostics-constraints");
    let out = dir.join("crate");
    let (code, stdout, stderr) = run(&gen_args(
        "tests/fixtures/constraints-31.yaml",
        &out,
        &["--report", "-q"],
    ));
    assert_eq!(code, Some(0), "{stderr}");
    let all = format!("{stdout}{stderr}");
    let f = "not enforced by the generated type";
    for line in [
        // A body field (of a component schema), each keyword with its own pointer and position.
        format!("#/components/schemas/ImageCreate/properties/memory_mb/minimum (line 105, column 11): {f}: `minimum: 256`"),
        format!("#/components/schemas/ImageCreate/properties/memory_mb/maximum (line 106, column 11): {f}: `maximum: 8192`"),
        format!("#/components/schemas/ImageCreate/properties/memory_mb/multipleOf (line 107, column 11): {f}: `multipleOf: 256`"),
        // 3.1's numeric `exclusiveMaximum` is reported where the spec wrote it.
        format!("#/components/schemas/ImageCreate/properties/cpu_share/exclusiveMaximum (line 113, column 11): {f}: `exclusiveMaximum: 1`"),
        // Array items, a nullable `anyOf` member, formats the Rust type does not say.
        format!("#/components/schemas/ImageCreate/properties/tags/uniqueItems (line 122, column 11): {f}: `uniqueItems`"),
        format!("#/components/schemas/ImageCreate/properties/tags/items/pattern (line 123, column 48): {f}: `pattern`"),
        format!("#/components/schemas/ImageCreate/properties/owner_email/anyOf/0/format (line 117, column 30): {f}: `format: email`"),
        // A constrained alias, once, at the component.
        format!("#/components/schemas/Slug/maxLength (line 95, column 7): {f}: `maxLength: 32`"),
        // A field of an inline request body.
        format!("#/paths/~1images~1{{slug}}/patch/requestBody/content/application~1json/schema/properties/note/maxLength (line 80, column 38): {f}: `maxLength: 140`"),
        // Parameters; a shared one once, where it is written.
        format!("#/paths/~1images/get/parameters/0/schema/maximum (line 14, column 47): {f}: `maximum: 100`"),
        format!("#/components/parameters/Page/schema/minimum (line 89, column 31): {f}: `minimum: 1`"),
    ] {
        assert!(all.contains(&line), "missing `{line}`:\n{all}");
    }
    // `Image` includes `ImageCreate` through `allOf`, which lowers its properties again: still
    // one note per place.
    assert_eq!(all.matches("/properties/memory_mb/minimum ").count(), 1, "{all}");
    assert!(all.contains("dropped constraint (27):"), "{all}");
    // `int64` on an integer is what the Rust type says: not a dropped constraint.
    assert!(!all.contains("/id/format"), "{all}");
}

#[test]
fn help_documents_the_exit_codes() {
    let (code, stdout, _) = run(&["gen", "--help"]);
    assert_eq!(code, Some(0));
    for line in [
        "0  success",
        "1  the spec could not be read",
        "2  drift found by --check",
        "3  the files could not be written",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
}
