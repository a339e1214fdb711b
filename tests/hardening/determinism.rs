//! The output depends only on the spec's meaning, the configuration and the generator version.

use std::collections::BTreeMap;

use serde_json::Value;

fn modbox_config() -> codegen::Config {
    codegen::Config::new(crate::root().join("specs/modbox.yaml"), "specs/modbox.yaml", "modbox")
}

fn as_json(path: &str) -> Value {
    let bytes = std::fs::read(crate::root().join(path)).expect("spec");
    codegen::load::parse(path, &bytes).expect("parses")
}

fn reverse(map: &mut Value) {
    if let Value::Object(m) = map {
        let reversed: serde_json::Map<String, Value> = std::mem::take(m).into_iter().rev().collect();
        *m = reversed;
    }
}

fn generate(config: &codegen::Config, doc: &Value) -> BTreeMap<String, String> {
    let bytes = serde_json::to_vec_pretty(doc).expect("json");
    codegen::generate_from_bytes(config, &bytes).expect("generates").files
}

/// Maps whose order means nothing: reversing each gives the same bytes.
#[test]
fn reordered_unordered_maps_give_identical_output() {
    for (path, crate_name) in [
        ("specs/modbox.yaml", "modbox"),
        ("tests/fixtures/ops-security.yaml", "fixture"),
        ("tests/fixtures/headers-auth-31.yaml", "fixture"),
        ("tests/fixtures/ops-responses.yaml", "fixture"),
        ("tests/fixtures/ops-params.yaml", "fixture"),
        ("tests/fixtures/dedup-31.yaml", "fixture"),
    ] {
        let config = codegen::Config::new(crate::root().join(path), path, crate_name);
        let doc = as_json(path);
        let expected = generate(&config, &doc);
        for map in [
            "schemas",
            "securitySchemes",
            "responses",
            "parameters",
            "requestBodies",
            "headers",
            "examples",
        ] {
            let mut doc = doc.clone();
            let Some(target) = doc.pointer_mut(&format!("/components/{map}")) else {
                continue;
            };
            reverse(target);
            // Properties inside each component too (their order is kept in structs, but the
            // components around them must not matter).
            assert_eq!(
                expected,
                generate(&config, &doc),
                "{path}: reversing components.{map} changed the output"
            );
        }
        // Keys of every `security` requirement object and of every mapping of media types.
        let mut doc2 = doc.clone();
        if let Some(Value::Object(paths)) = doc2.get_mut("paths") {
            for item in paths.values_mut() {
                let Value::Object(item) = item else { continue };
                for op in item.values_mut() {
                    if let Some(Value::Array(reqs)) = op.get_mut("security") {
                        reqs.iter_mut().for_each(reverse);
                    }
                }
            }
        }
        assert_eq!(
            expected,
            generate(&config, &doc2),
            "{path}: security requirement key order"
        );
    }
}

/// The order of an operation's responses is the spec's: it orders the documented error variants.
#[test]
fn response_order_is_respected() {
    let config = modbox_config();
    let doc = as_json("specs/modbox.yaml");
    let mut reversed = doc.clone();
    let mut touched = 0;
    if let Some(Value::Object(paths)) = reversed.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for op in item.values_mut() {
                if let Some(responses) = op.get_mut("responses") {
                    if responses.as_object().is_some_and(|m| m.len() >= 2) {
                        reverse(responses);
                        touched += 1;
                    }
                }
            }
        }
    }
    assert!(touched > 0, "the Modbox spec has operations with several responses");
    let before = generate(&config, &doc);
    let after = generate(&config, &reversed);
    let ops_before = &before["src/operations.rs"];
    let ops_after = &after["src/operations.rs"];
    // Same items, possibly in another order: the variant list of each error enum follows the spec.
    let mut a: Vec<&str> = ops_before.lines().collect();
    let mut b: Vec<&str> = ops_after.lines().collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "reordering responses must not add or drop anything");
    for (name, text) in [("spec order", ops_before), ("reversed", ops_after)] {
        let first = text.find("pub enum CreateSandboxImageError").expect("error enum");
        let body = &text[first..first + text[first..].find("\n}").expect("enum end")];
        let variants: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| l.ends_with("),") || l.ends_with(','))
            .filter(|l| !l.starts_with("///") && !l.starts_with("#["))
            .collect();
        println!("{name}: {variants:?}");
        assert!(!variants.is_empty(), "{body}");
    }
}

/// Several threads generating at once produce the same bytes as one thread alone.
#[test]
fn concurrent_generation_is_identical() {
    let specs = [
        "specs/modbox.yaml",
        "tests/fixtures/types-unions-31.yaml",
        "tests/fixtures/ops-params.yaml",
    ];
    let expected: Vec<BTreeMap<String, String>> = specs
        .iter()
        .map(|p| {
            codegen::generate(&codegen::Config::new(crate::root().join(p), *p, "c"))
                .expect("generates")
                .files
        })
        .collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|t| {
                s.spawn(move || {
                    let p = specs[t % specs.len()];
                    (
                        t % specs.len(),
                        codegen::generate(&codegen::Config::new(crate::root().join(p), p, "c")),
                    )
                })
            })
            .collect();
        for h in handles {
            let (i, out) = h.join().expect("no panic");
            assert_eq!(
                expected[i],
                out.expect("generates").files,
                "{} differs under concurrency",
                specs[i]
            );
        }
    });
}

/// The xtask binary writes the same bytes whatever the thread count, hash seeds (a new process
/// each time) or environment.
#[test]
fn xtask_output_is_independent_of_the_environment() {
    let base = crate::temp_dir("env");
    let mut outputs = Vec::new();
    for (i, env) in [
        vec![],
        vec![("RUST_TEST_THREADS", "1"), ("RAYON_NUM_THREADS", "1"), ("LC_ALL", "C")],
        vec![
            ("RUST_TEST_THREADS", "7"),
            ("TZ", "Pacific/Kiritimati"),
            ("LANG", "tr_TR.UTF-8"),
            ("HOME", "/nonexistent"),
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let out = base.join(format!("run{i}"));
        let result = crate::xtask(
            &[
                "gen",
                "--spec",
                "specs/modbox.yaml",
                "--out",
                out.to_str().expect("utf-8"),
                "--crate-name",
                "modbox",
            ],
            &env,
        );
        assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
        outputs.push(crate::failpoint::snapshot(&out, &out));
    }
    assert!(!outputs[0].is_empty());
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "output depends on the environment"
    );
    // And it is what the library produces in this process.
    let lib = codegen::generate(&codegen::Config {
        command: "cargo xtask gen --spec specs/modbox.yaml --out <dir>".into(),
        ..modbox_config()
    })
    .expect("generates");
    for (rel, text) in &lib.files {
        assert_eq!(outputs[0].get(rel).map(Vec::as_slice), Some(text.as_bytes()), "{rel}");
    }
}
