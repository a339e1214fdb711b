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

// --- The change report (`codegen::surface_diff`) ---

const BASE: &str = r##"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: create_pet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        kind: {$ref: "#/components/schemas/Kind"}
    Kind:
      type: string
      enum: [cat, dog]
"##;

const FISH: &str = "    Fish:\n      type: object\n      required: [fins]\n      properties: {fins: {type: integer}}\n";

const PING: &str =
    "paths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        \"204\": {description: ok}\n";

/// Generates `yaml` (written under target/) and returns its output.
fn gen_yaml(name: &str, yaml: &str) -> codegen::Output {
    let dir = root().join("target").join("surface-tests").join("diff");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, yaml).expect("write spec");
    let config = codegen::Config::new(&path, format!("{name}.yaml"), "pets");
    codegen::generate(&config).expect("the spec generates")
}

/// The changes from `old` to `new`, as (key, breaking, what), and both bump suggestions (0.x, 1.x).
fn changes(name: &str, old: &str, new: &str) -> (Vec<(String, bool, String)>, String, String) {
    let old = gen_yaml(&format!("{name}-old"), old);
    let new = gen_yaml(&format!("{name}-new"), new);
    let committed = codegen::surface_diff::parse(old.files.get("API.md").expect("API.md"));
    let entries = codegen::emit::surface::entries(&new.api, new.files.get("Cargo.toml").expect("manifest"));
    let cs = codegen::surface_diff::diff(&committed, &entries);
    for c in &cs {
        // Features come from the tags of many operations: no one place in the spec to point at.
        let is_removal = c.new.is_none();
        if !is_removal && !c.key.starts_with("feature ") {
            assert!(c.pointer.as_deref().is_some_and(|p| p.starts_with("/")), "{c:?}");
        }
    }
    let bumps = (
        codegen::surface_diff::suggested_bump(&cs, "0.3.1").to_owned(),
        codegen::surface_diff::suggested_bump(&cs, "1.2.0").to_owned(),
    );
    let list = cs.into_iter().map(|c| (c.key, c.breaking, c.what)).collect();
    (list, bumps.0, bumps.1)
}

/// Name, old spec, new spec, expected (key, breaking, what), bump for 0.x, bump for 1.x.
type Row = (
    &'static str,
    String,
    String,
    Vec<(&'static str, bool, &'static str)>,
    &'static str,
    &'static str,
);

#[test]
fn change_report_classifies_each_kind_of_change() {
    let renamed = BASE.replace("Kind", "Species");
    let aliased = format!("{renamed}    Kind:\n      $ref: \"#/components/schemas/Species\"\n");
    // A union of three structs, returned by a second operation.
    let union = BASE.replacen("paths:\n", "paths:\n  /animals:\n    get:\n      operationId: animal\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Animal\"}\n", 1)
        + "    Animal:\n      oneOf:\n            - {$ref: \"#/components/schemas/Cat\"}\n            - {$ref: \"#/components/schemas/Dog\"}\n            - {$ref: \"#/components/schemas/Bird\"}\n    Cat:\n      type: object\n      required: [lives]\n      properties: {lives: {type: integer}}\n    Dog:\n      type: object\n      required: [barks]\n      properties: {barks: {type: boolean}}\n    Bird:\n      type: object\n      required: [wings]\n      properties: {wings: {type: integer}}\n";
    let tagged_union = union.replace(
        "      oneOf:\n",
        "      discriminator: {propertyName: kind}\n      oneOf:\n",
    );
    // Operations under two tags: a cargo feature each.
    let tagged = BASE
        .replacen(
            "      operationId: create_pet\n",
            "      operationId: create_pet\n      tags: [pets]\n",
            1,
        )
        .replacen(
            "paths:\n",
            &PING.replace("operationId: ping\n", "operationId: ping\n      tags: [admin]\n"),
            1,
        );
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("unchanged", BASE.into(), BASE.into(), vec![], "none", "none"),
        ("removed operation", BASE.replacen("paths:\n", PING, 1), BASE.into(),
            vec![("op ping", true, "removed")], "minor (0.x)", "major"),
        ("new operation", BASE.into(), BASE.replacen("paths:\n", PING, 1),
            vec![("op ping", false, "added")], "patch (0.x)", "minor"),
        ("new optional field", BASE.into(), BASE.replace("        tag: {type: string}\n", "        tag: {type: string}\n        color: {type: string}\n"),
            vec![("type NewPet/field color", false, "added")], "patch (0.x)", "minor"),
        ("new required field of a sent struct", BASE.into(), BASE.replace("required: [name]", "required: [name, color]").replace("        tag: {type: string}\n", "        tag: {type: string}\n        color: {type: string}\n"),
            vec![("type NewPet/field color", true, "added")], "minor (0.x)", "major"),
        ("optional -> required", BASE.into(), BASE.replace("required: [name]", "required: [name, tag]"),
            vec![("type NewPet/field tag", true, "type changed")], "minor (0.x)", "major"),
        ("defaulted -> required", BASE.replace("tag: {type: string}", "tag: {type: string, default: x}"), BASE.replace("required: [name]", "required: [name, tag]"),
            vec![("type NewPet/field tag", true, "defaulted -> required")], "minor (0.x)", "major"),
        ("type change", BASE.into(), BASE.replace("id: {type: integer}", "id: {type: string}"),
            vec![("type Pet/field id", true, "type changed")], "minor (0.x)", "major"),
        ("enum variant added", BASE.into(), BASE.replace("[cat, dog]", "[cat, dog, bird]"),
            vec![("type Kind/variant Bird", false, "added")], "patch (0.x)", "minor"),
        ("enum variant removed", BASE.into(), BASE.replace("[cat, dog]", "[cat]"),
            vec![("type Kind/variant Dog", true, "removed")], "minor (0.x)", "major"),
        ("renamed schema", BASE.into(), renamed,
            vec![("type Pet/field kind", true, "type changed"), ("type Species", false, "added"), ("type Kind", true, "removed")],
            "minor (0.x)", "major"),
        // `Kind` still names the same type: code that wrote it compiles.
        ("renamed schema with alias", BASE.into(), aliased,
            vec![("type Kind", false, "now an alias"), ("type Pet/field kind", false, "type renamed, the old name kept as an alias"), ("type Species", false, "added")],
            "patch (0.x)", "minor"),
        // An untagged union has no `Unknown` variant: a match over it must learn the new one.
        ("union variant added", union.clone(), union.replace("            - {$ref: \"#/components/schemas/Dog\"}\n", "            - {$ref: \"#/components/schemas/Dog\"}\n            - {$ref: \"#/components/schemas/Fish\"}\n") + FISH,
            vec![("type Animal/variant Fish", true, "added"), ("type Fish", false, "added")], "minor (0.x)", "major"),
        ("tagged union variant added", tagged_union.clone(), tagged_union.replace("            - {$ref: \"#/components/schemas/Dog\"}\n", "            - {$ref: \"#/components/schemas/Dog\"}\n            - {$ref: \"#/components/schemas/Fish\"}\n") + FISH,
            vec![("type Animal/variant Fish", false, "added"), ("type Fish", false, "added")], "patch (0.x)", "minor"),
        ("union variant removed", union.clone(), union.replace("            - {$ref: \"#/components/schemas/Dog\"}\n", ""),
            vec![("type Animal/variant Dog", true, "removed"), ("type Dog", false, "used in more directions")], "minor (0.x)", "major"),
        ("union now an alias of its one variant", union.clone(), union.replace("            - {$ref: \"#/components/schemas/Dog\"}\n", "").replace("            - {$ref: \"#/components/schemas/Bird\"}\n", ""),
            vec![("type Animal", true, "kind changed"), ("type Bird", false, "used in more directions"), ("type Dog", false, "used in more directions")], "minor (0.x)", "major"),
        ("success type changed", BASE.into(), BASE.replace("              schema: {$ref: \"#/components/schemas/Pet\"}", "              schema: {$ref: \"#/components/schemas/NewPet\"}"),
            vec![("op create_pet/ok 200", true, "type changed"), ("type NewPet", false, "used in more directions"), ("type Pet", false, "used in more directions")], "minor (0.x)", "major"),
        ("new optional parameter", BASE.into(), BASE.replace("      requestBody:", "      parameters:\n        - {name: dry_run, in: query, schema: {type: boolean}}\n      requestBody:"),
            vec![("op create_pet/opt dry_run", false, "added")], "patch (0.x)", "minor"),
        ("new required parameter", BASE.into(), BASE.replace("      requestBody:", "      parameters:\n        - {name: dry_run, in: query, required: true, schema: {type: boolean}}\n      requestBody:"),
            vec![("op create_pet/arg dry_run", true, "added")], "minor (0.x)", "major"),
        ("renamed operation", BASE.into(), BASE.replace("operationId: create_pet", "operationId: add_pet"),
            vec![("op add_pet", false, "added"), ("op create_pet", true, "removed")], "minor (0.x)", "major"),
        ("cargo feature removed", tagged.clone(), tagged.replace("tags: [admin]", "tags: [store]"),
            vec![("feature store", false, "added"), ("feature admin", true, "removed")], "minor (0.x)", "major"),
    ];
    let mut failures = Vec::new();
    for (name, old, new, want, bump0, bump1) in rows {
        let slug = name.replace([' ', '>'], "-");
        let (got, b0, b1) = changes(&slug, &old, &new);
        let mut got_sorted: Vec<(String, bool, String)> = got.clone();
        got_sorted.sort();
        let mut want: Vec<(String, bool, String)> = want
            .into_iter()
            .map(|(k, b, w)| (k.to_owned(), b, w.to_owned()))
            .collect();
        want.sort();
        if got_sorted != want || b0 != bump0 || b1 != bump1 {
            failures.push(format!(
                "{name}: got {got:?} bumps {b0} / {b1}; want {want:?} bumps {bump0} / {bump1}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `cargo xtask gen --spec` against the committed `generated/API.md`: a field of `SandboxImageCreate`
/// made required and a new operation read as one breaking and one additive change, with pointers;
/// `--deny-breaking` refuses to write.
#[test]
fn gen_reports_changes_against_committed_api_md() {
    let dir = root().join("target").join("surface-tests").join("modbox");
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("crate");
    std::fs::create_dir_all(&out).expect("temp dir");
    for f in ["API.md", "Cargo.toml"] {
        std::fs::copy(root().join("generated").join(f), out.join(f)).expect("copy");
    }
    let spec = std::fs::read_to_string(root().join("specs/modbox.yaml")).expect("spec");
    let edited = spec
        .replacen(
            "        - image\n        - name\n",
            "        - image\n        - name\n        - tag\n",
            1,
        )
        .replacen("paths:\n", PING, 1);
    assert_ne!(edited, spec);
    let spec_path = dir.join("modbox.yaml");
    std::fs::write(&spec_path, &edited).expect("write spec");
    let (spec_s, out_s) = (spec_path.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let args = ["gen", "--spec", spec_s, "--out", out_s, "--crate-name", "modbox"];

    let denied = xtask(&[&args[..], &["--deny-breaking"]].concat());
    let stdout = String::from_utf8_lossy(&denied.stdout);
    assert_eq!(denied.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 breaking, 1 additive; suggested bump: minor (0.x)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "breaking field SandboxImageCreate.tag: defaulted -> required [field tag: String  defaulted => field tag: String  required] ({spec_s}#/components/schemas/SandboxImageCreate/properties/tag)"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("additive op ping: added [op ping  GET /ping] ("),
        "{stdout}"
    );
    assert!(!out.join("src").exists(), "--deny-breaking writes nothing");

    let allowed = xtask(&[&args[..], &["--deny-breaking", "--allow-breaking"]].concat());
    assert!(allowed.status.success(), "{}", String::from_utf8_lossy(&allowed.stderr));
    assert!(out.join("src").exists(), "--allow-breaking writes");
    let again = xtask(&args);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(!stdout.contains("API changes"), "no change after writing: {stdout}");
}

#[test]
fn clients_toml_reads_allow_breaking() {
    let dir = root().join("target").join("surface-tests").join("clients-toml");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let toml = "[[client]]\nspec = \"a.yaml\"\nout = \"a\"\ncrate = \"a\"\nallow-breaking = true\n\n[[client]]\nspec = \"b.yaml\"\nout = \"b\"\ncrate = \"b\"\n";
    std::fs::write(dir.join("clients.toml"), toml).expect("write");
    let clients = codegen::project::load(&dir).expect("loads");
    let flags: Vec<bool> = clients.iter().map(|c| c.allow_breaking).collect();
    assert_eq!(flags, [true, false]);
}
