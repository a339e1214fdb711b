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
    let mut tagged = Vec::new();
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
        if let Some(tf) = &out.api.tag_features {
            tagged.push((
                name.clone(),
                tf.features.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
            ));
        }
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        ws.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("workspace manifest");
    // Same dependency versions as the main workspace, so the build cache is shared across runs.
    std::fs::copy(root().join("Cargo.lock"), ws.join("Cargo.lock")).expect("lock file");
    // `cargo clippy --quiet --offline <selection> -- -D warnings` in the fixtures' workspace.
    let clippy = |selection: &[&str]| {
        Command::new(env!("CARGO"))
            .args(["clippy", "--quiet", "--offline"])
            .args(selection)
            .args(["--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root().join("target").join("fixture-crates"))
            .current_dir(&ws)
            .output()
            .expect("cargo runs")
    };
    let result = clippy(&["--workspace"]);
    assert!(
        result.status.success(),
        "fixture crates do not build cleanly:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    // Their docs too, where spec text is densest: patterns full of `[`, `<` and backticks,
    // hostile descriptions. A broken intra-doc link or stray HTML tag is a rustdoc warning.
    let doc = Command::new(env!("CARGO"))
        .args(["doc", "--quiet", "--offline", "--no-deps"])
        .args(["-p", "fixture-constraints-31", "-p", "fixture-adversarial"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root().join("target").join("fixture-crates"))
        .current_dir(&ws)
        .output()
        .expect("cargo runs");
    assert!(
        doc.status.success(),
        "fixture docs have rustdoc warnings:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );
    // Crates with cargo features per operation tag also build cleanly with the tags off and with
    // each tag alone: a missing `#[cfg]` is an error, a superfluous import or helper a warning.
    let mut checked = 0;
    for (name, tags) in &tagged {
        for tag in std::iter::once(None).chain(tags.iter().map(Some)) {
            let features = match tag {
                Some(t) => format!("rustls,{t}"),
                None => "rustls".to_owned(),
            };
            let package = format!("fixture-{name}");
            let result = clippy(&["-p", &package, "--no-default-features", "--features", &features]);
            assert!(
                result.status.success(),
                "{package} with --no-default-features --features {features} does not build cleanly:\n{}",
                String::from_utf8_lossy(&result.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "the tags fixture has four tag features: {tagged:?}");
}

/// The feature names that compile each type, operation and shared error of a generated API.
fn gates(api: &codegen::ir::Api) -> BTreeMap<String, Vec<String>> {
    let tf = api.tag_features.as_ref().expect("tag features");
    let names = |gate: &Vec<usize>| -> Vec<String> { gate.iter().map(|&f| tf.features[f].name.clone()).collect() };
    let mut out = BTreeMap::new();
    for (t, gate) in api.types.iter().zip(&tf.types) {
        out.insert(format!("type {}", t.name), names(gate));
    }
    for (op, gate) in api.operations.iter().zip(&tf.operations) {
        out.insert(format!("fn {}", op.fn_name), names(gate));
    }
    for (e, gate) in api.shared_errors.iter().zip(&tf.shared_errors) {
        out.insert(format!("error {}", e.name), names(gate));
    }
    out
}

#[test]
fn tag_features_compile_what_each_tag_uses() {
    let spec = root().join("tests/fixtures/tags.yaml");
    let out = codegen::generate(&codegen::Config::new(&spec, "tests/fixtures/tags.yaml", "tags")).expect("generates");
    let tf = out.api.tag_features.as_ref().expect("four tags: features");
    let features: Vec<(&str, usize)> = tf.features.iter().map(|f| (f.name.as_str(), f.operations)).collect();
    // `pets` and `Pets` spell one feature; `default` is a name the crate's manifest uses.
    assert_eq!(
        features,
        [("admin-tools", 1), ("pets", 3), ("stores", 2), ("tag-default", 1)]
    );
    let gates = gates(&out.api);
    let expect: &[(&str, &[&str])] = &[
        ("fn list_pets", &["pets"]),
        ("fn create_pet", &["pets"]),
        ("fn delete_pet", &["admin-tools", "pets"]),
        ("fn get_store", &["stores"]),
        ("fn stats", &["tag-default"]),
        ("fn health", &[]),
        ("type NewPet", &["pets"]),
        // Reached from `pets` operations and through `Store.featured`.
        ("type Pet", &["pets", "stores"]),
        ("type PetKind", &["pets", "stores"]),
        ("type Store", &["stores"]),
        // Recursive, one tag.
        ("type Category", &["stores"]),
        // Used by the untagged `health`.
        ("type Health", &[]),
        ("type Status", &[]),
        // Used by no operation, and what that contains.
        ("type Archive", &[]),
        ("type Address", &[]),
        ("type Stats", &["tag-default"]),
        ("type Problem", &["pets", "stores"]),
        // Shared by `list_pets` and `get_store`.
        ("error NotFoundError", &["pets", "stores"]),
        // Shared with the untagged `health` among others.
        ("error NoDocumentedError", &[]),
    ];
    for (item, want) in expect {
        assert_eq!(
            gates.get(*item).map(Vec::as_slice),
            Some(&want.iter().map(|s| s.to_string()).collect::<Vec<_>>()[..]),
            "{item}"
        );
    }
    let manifest = &out.files["Cargo.toml"];
    assert!(
        manifest.contains("default = [\"rustls\", \"all-tags\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("all-tags = [\"admin-tools\", \"pets\", \"stores\", \"tag-default\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("# Tags \"pets\", \"Pets\" (3 operations).\npets = []\n"),
        "{manifest}"
    );
    let operations = &out.files["src/operations.rs"];
    assert!(operations.contains("#[cfg(any(feature = \"admin-tools\", feature = \"pets\"))]\nimpl Client {"));
    assert!(operations.contains("Needs one of the crate features `admin-tools`, `pets` (on by default)."));
    assert!(out.files["src/lib.rs"].contains("`tag-default`: tag `default`, 1 operation"));

    // Turned off in the configuration: no features, nothing gated.
    let mut config = codegen::Config::new(&spec, "tests/fixtures/tags.yaml", "tags");
    config.tag_features = false;
    let off = codegen::generate(&config).expect("generates");
    assert!(off.api.tag_features.is_none());
    assert!(!off.files["src/operations.rs"].contains("#[cfg(feature"));
    assert!(!off.files["Cargo.toml"].contains("all-tags"));
    // One tag (Modbox's operations carry one, empty tag) is not worth a feature.
    let modbox = codegen::generate(&codegen::Config::new(
        root().join("specs/modbox.yaml"),
        "specs/modbox.yaml",
        "modbox",
    ))
    .expect("generates");
    assert!(modbox.api.tag_features.is_none());
}

/// Identical inline schemas are one type, named from what their names share; pydantic's identical
/// `X-Input`/`X-Output` halves are one type `X` (the halves' names stay as aliases); named
/// components stay apart even when identical, and so do halves that differ.
#[test]
fn identical_inline_types_and_split_halves_are_merged() {
    let spec = root().join("tests/fixtures/dedup-31.yaml");
    let out =
        codegen::generate(&codegen::Config::new(&spec, "tests/fixtures/dedup-31.yaml", "fixture")).expect("generates");
    let api = &out.api;
    let kinds: Vec<(String, &str)> = api
        .types
        .iter()
        .map(|t| {
            let kind = match &t.kind {
                codegen::ir::TypeKind::Struct(_) => "struct",
                codegen::ir::TypeKind::Enum(_) => "enum",
                codegen::ir::TypeKind::Union(_) => "union",
                codegen::ir::TypeKind::Alias(codegen::ir::Ty::Named(id)) => &api.types[id.0].name,
                codegen::ir::TypeKind::Alias(_) => "alias",
            };
            (t.name.clone(), kind)
        })
        .collect();
    let expected = [
        ("Cat", "struct"),
        ("Dog", "struct"),
        ("Node", "struct"),
        ("NodeInput", "Node"),
        ("NodeOutput", "Node"),
        ("ReportInput", "struct"),
        ("ReportOutput", "struct"),
        ("Task", "struct"),
        ("TaskCreate", "struct"),
        ("TaskUpdate", "struct"),
        ("NodeShape", "enum"),
        ("Status", "enum"),
        ("TaskPet", "union"),
        ("TaskUpdatePriority", "enum"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(n, k)| ((*n).to_owned(), *k)).collect();
    assert_eq!(kinds, expected);

    // Every use of the status enum (three model fields, one query parameter) is the one type, and
    // the default of `TaskCreate.status` is its variant.
    let status = codegen::ir::TypeId(api.types.iter().position(|t| t.name == "Status").expect("Status"));
    let mut fields = Vec::new();
    for t in &api.types {
        if let codegen::ir::TypeKind::Struct(s) = &t.kind {
            for f in s.fields.iter().filter(|f| f.ty == codegen::ir::Ty::Named(status)) {
                fields.push(format!("{}.{}", t.name, f.name));
                if let codegen::ir::Presence::Defaulted(codegen::ir::DefaultValue::Variant(id, v)) = &f.presence {
                    assert_eq!((*id, v.as_str()), (status, "Open"));
                }
            }
        }
    }
    assert_eq!(
        fields,
        [
            "Task.status",
            "Task.previous_status",
            "TaskCreate.status",
            "TaskUpdate.status"
        ]
    );
    let list = api.operations.iter().find(|o| o.fn_name == "list_tasks").expect("op");
    assert_eq!(list.params[0].ty, codegen::ir::Ty::Named(status));
    // Reachable from requests (the filter, `TaskCreate`) and from responses (`Task`).
    let def = &api.types[status.0];
    assert!(def.in_request && def.in_response && def.serialize && def.deserialize);
    // `Node` is sent and received, so it has both traits; its aliases have the same gate.
    let node = api.types.iter().find(|t| t.name == "Node").expect("Node");
    assert!(node.in_request && node.in_response);
    let gates = out.api.tag_features.as_ref().expect("two tags");
    let gate_of = |name: &str| &gates.types[api.types.iter().position(|t| t.name == name).expect("type")];
    assert_eq!(gate_of("NodeInput"), gate_of("Node"));
    assert_eq!(gate_of("NodeOutput"), gate_of("Node"));
    assert!(
        !gate_of("Node").is_empty(),
        "`Node` is compiled only with the `trees` feature"
    );
}

/// Generates a fixture and returns its warnings as `pointer (line)`, located in the fixture's text.
fn located_warnings(fixture: &str) -> (codegen::Output, Vec<String>) {
    let display = format!("tests/fixtures/{fixture}");
    let path = root().join(&display);
    let bytes = std::fs::read(&path).expect("fixture readable");
    let mut out = codegen::generate(&codegen::Config::new(&path, &display, "fixture"))
        .unwrap_or_else(|e| panic!("{fixture} generates: {e}"));
    out.locate(&display, &bytes);
    let found = out
        .warnings
        .iter()
        .map(|w| {
            assert_eq!(w.location.file, display);
            let (line, _) = w.location.line_col.expect("located");
            format!("{} ({line})", w.location.pointer)
        })
        .collect();
    (out, found)
}

/// A repeated `operationId` (the standard says unique) and `oneOf` next to `properties` (not modelled)
/// are located warnings; the second operation's method gets a suffix.
#[test]
fn duplicate_ids_and_unmodelled_one_of_warn() {
    let (out, found) = located_warnings("lenient-duplicates-30.yaml");
    assert_eq!(
        found,
        [
            "/components/schemas/Mixed/oneOf (25)",
            "/paths/~1b/get/operationId (10)",
        ]
    );
    let names: Vec<&str> = out.api.operations.iter().map(|o| o.fn_name.as_str()).collect();
    assert_eq!(names, ["list", "list_2"]);
    assert!(
        out.warnings[1].message.contains("`list_2`"),
        "{}",
        out.warnings[1].message
    );
}

/// Specs that other generators accept although the standard says otherwise: each repair is a
/// warning at the exact place (pointer and line), and the meaning the README documents.
#[test]
fn lenient_repairs_warn_at_the_place_they_repair() {
    let (_, found) = located_warnings("lenient-response-description.yaml");
    assert_eq!(
        found,
        [
            "/paths/~1items/get/responses/200 (9)",
            "/paths/~1items/get/responses/default (16)",
            "/components/responses/NotFound (19)",
        ]
    );

    let (out, found) = located_warnings("lenient-required-string.yaml");
    let op = "/paths/~1items~1{id}/put";
    assert_eq!(
        found,
        [
            format!("{op}/parameters/0/required (11)"),
            format!("{op}/parameters/1/required (12)"),
            format!("{op}/parameters/2/required (13)"),
            format!("{op}/requestBody/required (16)"),
            format!("{op}/responses/200/headers/X-Rate/required (24)"),
            "/paths/~1items~1{id}/parameters/0/required (7)".to_owned(),
            "/components/parameters/Page/required (27)".to_owned(),
            "/components/schemas/Item/properties/name/required (34)".to_owned(),
            "/components/schemas/Item/properties/size/required (35)".to_owned(),
            "/components/schemas/Item/properties/note/required (36)".to_owned(),
            "/components/schemas/Item/properties/tag/required (37)".to_owned(),
            "/components/schemas/Item/properties/colour/required (38)".to_owned(),
        ]
    );
    let put = out
        .api
        .operations
        .iter()
        .find(|o| o.fn_name == "put_item")
        .expect("put_item");
    let required: BTreeMap<&str, bool> = put.params.iter().map(|p| (p.wire_name.as_str(), p.required)).collect();
    assert_eq!(
        required,
        BTreeMap::from([
            ("X-Trace", false),
            ("id", true),
            ("page", false),
            ("tenant", true),
            ("verbose", false)
        ])
    );
    assert!(
        !put.body.as_ref().expect("a body").required,
        "`required: \"false\"` on the body"
    );
    let item = out.api.types.iter().find(|t| t.name == "Item").expect("Item");
    let codegen::ir::TypeKind::Struct(s) = &item.kind else {
        panic!("Item is a struct")
    };
    let presence: BTreeMap<&str, bool> = s
        .fields
        .iter()
        .map(|f| {
            (
                f.wire_name.as_str(),
                matches!(f.presence, codegen::ir::Presence::Required),
            )
        })
        .collect();
    assert_eq!(
        presence,
        BTreeMap::from([
            ("colour", false),
            ("id", true),
            ("name", true),
            ("note", false),
            ("size", true),
            ("tag", false)
        ])
    );

    let (out, found) = located_warnings("lenient-ref-to-parameter.yaml");
    assert_eq!(
        found,
        [
            "/paths/~1items/get/parameters/1/schema/$ref (12)",
            "/components/schemas/Page/properties/limit/$ref (37)",
            "/components/schemas/Page/properties/order/$ref (38)",
            "/components/schemas/Page/properties/filter/$ref (39)",
            "/components/schemas/Page/properties/remaining/$ref (40)",
        ]
    );
    let names: Vec<&str> = out.api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["Filter", "Limit", "Order", "Page", "RateLimit"],
        "one type per parameter schema"
    );
}

/// A newcomer's `cargo xtask gen` speaks only of their own specs: the test clients' warnings
/// (their fixture specs have warts on purpose) appear only with `--verbose`.
#[test]
fn gen_keeps_test_clients_quiet_unless_verbose() {
    let plain = xtask(&["gen", "--check"]);
    assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
    let (out, err) = (
        String::from_utf8_lossy(&plain.stdout),
        String::from_utf8_lossy(&plain.stderr),
    );
    assert!(!err.contains("specs/fixtures/"), "test-client warnings printed:\n{err}");
    assert!(out.contains("generated: up to date with specs/modbox.yaml"), "{out}");
    assert!(out.contains("test clients up to date (tests/clients/"), "{out}");
    assert!(!out.contains("up to date with specs/fixtures/"), "{out}");
    let verbose = xtask(&["gen", "--check", "--verbose"]);
    assert!(verbose.status.success());
    let (out, err) = (
        String::from_utf8_lossy(&verbose.stdout),
        String::from_utf8_lossy(&verbose.stderr),
    );
    assert!(err.contains("warning: specs/fixtures/types.yaml#/"), "{err}");
    assert!(
        out.contains("tests/clients/types: up to date with specs/fixtures/types.yaml"),
        "{out}"
    );
}
