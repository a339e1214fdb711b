//! The fuzz harness: seeded mutations of real specs through the whole pipeline.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::mutate;

/// Any single generation slower than this is a failure ("never runs for minutes on a small input").
/// Generous: the largest corpus specs take a few seconds, and CI shares two cores. Measured in CPU
/// time of the generating thread where available (see `thread_cpu_time`).
const SLOW: Duration = Duration::from_secs(60);

/// The default seed of the CI run; `HARDENING_SEED` overrides it.
const DEFAULT_SEED: u64 = 0x0A91_6E11;

/// Generation runs on threads with this stack, the main thread's usual size being larger: passing
/// here proves there is headroom.
const STACK: usize = 2 << 20;

struct Seed {
    name: String,
    doc: serde_json::Value,
    /// The document as JSON text, for byte-level mutations.
    json: Vec<u8>,
    /// How long one generation of the unmutated spec took.
    cost: Duration,
}

fn config(display: &str) -> codegen::Config {
    // A spec path inside a directory that does not exist: relative `$ref`s to other files fail
    // (as a located error) instead of reading whatever lies around.
    codegen::Config::new(format!("/nonexistent-hardening-dir/{display}"), display, "fuzzed")
}

/// Runs one input; `Err` describes a property violation.
pub fn check(display: &str, bytes: &[u8]) -> Result<(), String> {
    let config = config(display);
    let start = Instant::now();
    let cpu_start = thread_cpu_time();
    let result = std::panic::catch_unwind(|| codegen::generate_from_bytes(&config, bytes));
    // CPU time of this thread where the OS tells it, so that a loaded machine (or a `nice`d run)
    // does not turn waiting for a core into a finding; wall time otherwise.
    let took = match (cpu_start, thread_cpu_time()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => start.elapsed(),
    };
    if took > SLOW {
        return Err(format!("took {took:?} (wall {:?})", start.elapsed()));
    }
    match result {
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("panicked: {msg}"))
        }
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            let located = match &e {
                codegen::Error::Parse { location, .. } | codegen::Error::Spec { location, .. } => {
                    location.file == display
                        && (location.pointer.is_empty() || location.pointer.starts_with('/'))
                        && location.line_col.is_some()
                }
                _ => false,
            };
            if located {
                Ok(())
            } else {
                Err(format!("error without a location in the spec: {e:?}"))
            }
        }
    }
}

/// User plus system CPU time of the calling thread (Linux: `/proc/thread-self/stat`, in clock
/// ticks of 10 ms), or `None` elsewhere.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn load_seeds(include_corpus: bool, max_cost: Option<Duration>) -> Vec<Seed> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let fixtures = crate::root().join("tests/fixtures");
    for dir in [fixtures.clone(), fixtures.join("errors")] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
            .collect();
        found.sort();
        paths.extend(found);
    }
    paths.push(crate::root().join("specs/modbox.yaml"));
    if include_corpus && std::env::var_os("HARDENING_NO_CORPUS").is_none() {
        if let Some(dir) = crate::corpus_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                .expect("corpus")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            found.sort();
            paths.extend(found);
        }
    }
    // Timing the unmutated specs is a good part of the work: two threads, like the cases.
    let (even, odd): (Vec<_>, Vec<_>) = paths.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let load = |part: Vec<(usize, PathBuf)>| -> Vec<(usize, Seed)> {
        part.into_iter()
            .filter_map(|(i, p)| load_seed(p, max_cost).map(|s| (i, s)))
            .collect()
    };
    let mut seeds: Vec<(usize, Seed)> = std::thread::scope(|s| {
        let a = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, || load(even))
            .expect("spawn");
        let b = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, || load(odd))
            .expect("spawn");
        let mut all = a.join().expect("seeds load");
        all.extend(b.join().expect("seeds load"));
        all
    });
    seeds.sort_by_key(|(i, _)| *i);
    seeds.into_iter().map(|(_, s)| s).collect()
}

fn load_seed(path: PathBuf, max_cost: Option<Duration>) -> Option<Seed> {
    {
        let name = path.file_name().expect("file name").to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("seed spec");
        // Specs that do not even parse (the broken-YAML fixture) only seed byte mutations.
        let doc = codegen::load::parse(&name, &bytes).unwrap_or(serde_json::Value::Null);
        let start = Instant::now();
        let _ = codegen::generate(&codegen::Config::new(&path, &name, "seed"));
        let cost = start.elapsed();
        if max_cost.is_some_and(|m| cost > m) {
            return None;
        }
        let json = serde_json::to_vec(&doc).unwrap_or_else(|_| bytes.clone());
        Some(Seed { name, doc, json, cost })
    }
}

/// One case: which seed, which mutation, from which rng seed.
struct Case {
    seed: usize,
    rng_seed: u64,
    bytes_only: bool,
}

struct Failure {
    seed_name: String,
    rng_seed: u64,
    what: String,
    ops: Vec<&'static str>,
}

/// Runs the cases on two threads; returns the failures, each with what replays it.
fn run(seeds: &[Seed], cases: &[Case], progress: bool) -> Vec<Failure> {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let started = Instant::now();
    let threads = env_number("HARDENING_THREADS").unwrap_or(2).max(1);
    std::thread::scope(|s| {
        for _ in 0..threads {
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(s, || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let seed = &seeds[case.seed];
                    let mut rng = fastrand::Rng::with_seed(case.rng_seed);
                    let (bytes, display, ops) = if case.bytes_only || seed.doc.is_null() {
                        (mutate::bytes(&seed.json, &mut rng), "spec.json", vec!["bytes"])
                    } else {
                        let m = mutate::structural(&seed.doc, &mut rng);
                        (m.bytes, m.display, m.ops)
                    };
                    let verbose = std::env::var_os("HARDENING_VERBOSE").is_some();
                    let t = Instant::now();
                    if verbose {
                        eprintln!(
                            "start {} {:#x} {} bytes {}",
                            seed.name,
                            case.rng_seed,
                            bytes.len(),
                            ops.join("+")
                        );
                    }
                    let outcome = check(display, &bytes);
                    if verbose {
                        eprintln!("done {} {:#x} in {:?}", seed.name, case.rng_seed, t.elapsed());
                    }
                    if let Err(what) = outcome {
                        let dir = crate::root().join("target/hardening-failures");
                        let _ = std::fs::create_dir_all(&dir);
                        let _ =
                            std::fs::write(dir.join(format!("{}-{:x}-{display}", seed.name, case.rng_seed)), &bytes);
                        failures.lock().expect("lock").push(Failure {
                            seed_name: seed.name.clone(),
                            rng_seed: case.rng_seed,
                            what,
                            ops,
                        });
                    }
                    if progress && i > 0 && i % 50_000 == 0 {
                        println!("{i} executions, {:?}", started.elapsed());
                    }
                })
                .expect("spawn");
        }
    });
    failures.into_inner().expect("lock")
}

fn report(failures: &[Failure]) -> String {
    failures
        .iter()
        .take(30)
        .map(|f| {
            format!(
                "{} rng seed {:#x} ({}): {}\n",
                f.seed_name,
                f.rng_seed,
                f.ops.join("+"),
                f.what.chars().take(400).collect::<String>()
            )
        })
        .collect()
}

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

fn base_seed() -> u64 {
    std::env::var("HARDENING_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or(DEFAULT_SEED)
}

/// The CI run: every fixture and corpus spec, mutated as often as its size allows (~1 minute).
#[test]
fn mutated_specs_give_ok_or_a_located_error() {
    let seeds = load_seeds(true, None);
    let base = base_seed();
    let mut cases = Vec::new();
    let mut rng = fastrand::Rng::with_seed(base);
    for (i, seed) in seeds.iter().enumerate() {
        // About 0.8 s of generation per spec, at least 3 structural mutations each.
        let structural = (800 / seed.cost.as_millis().max(1) as usize).clamp(3, 40);
        for _ in 0..structural {
            cases.push(Case {
                seed: i,
                rng_seed: rng.u64(..),
                bytes_only: false,
            });
        }
        let bytes = if seed.cost < Duration::from_millis(100) { 60 } else { 3 };
        for _ in 0..bytes {
            cases.push(Case {
                seed: i,
                rng_seed: rng.u64(..),
                bytes_only: true,
            });
        }
    }
    let start = Instant::now();
    let failures = run(&seeds, &cases, false);
    println!(
        "{} cases over {} specs (seed {base:#x}) in {:?}: {} failures",
        cases.len(),
        seeds.len(),
        start.elapsed(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} mutated specs broke the property (inputs in target/hardening-failures/):\n{}",
        failures.len(),
        cases.len(),
        report(&failures)
    );
}

/// The long run: `HARDENING_EXECS=1000000 cargo test --release -p e2e-tests --test hardening --
/// --ignored long_fuzz --nocapture`. Seeds are the fixtures, Modbox and the corpus specs that
/// generate in under `HARDENING_MAX_MS` (default 300) ms; half the cases are byte mutations.
#[test]
#[ignore = "long: run by hand, see the README's Hardening section"]
fn long_fuzz() {
    let execs: usize = env_number("HARDENING_EXECS").unwrap_or(100_000);
    let max_ms: u64 = env_number("HARDENING_MAX_MS").unwrap_or(300);
    // The share of structural mutants (the rest are byte mutants); structural ones cost ~100x more.
    let structural: f64 = env_number("HARDENING_STRUCTURAL").unwrap_or(0.5);
    let seeds = load_seeds(true, Some(Duration::from_millis(max_ms)));
    let base = base_seed();
    let mut rng = fastrand::Rng::with_seed(base);
    let cases: Vec<Case> = (0..execs)
        .map(|_| Case {
            seed: rng.usize(0..seeds.len()),
            rng_seed: rng.u64(..),
            bytes_only: rng.f64() >= structural,
        })
        .collect();
    let start = Instant::now();
    let failures = run(&seeds, &cases, true);
    println!(
        "long fuzz: {execs} executions over {} seed specs (seed {base:#x}) in {:?}: {} failures",
        seeds.len(),
        start.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", report(&failures));
}

/// Inputs that once broke the property, and the hand-written extremes of the mutator.
#[test]
fn regressions() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{{}}{}", open.repeat(n), close.repeat(n));
    let wrap = |schema: &str| {
        format!(
            r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"A":{schema}}}}}}}"#
        )
    };
    let mut cases: Vec<(&str, String)> = vec![
        ("spec.json", wrap(&deep(r#"{"type":"object","properties":{"a":"#, "}}", 10_000))),
        ("spec.json", wrap(&deep(r#"{"allOf":["#, "]}", 63))),
        ("spec.json", wrap(&deep(r#"{"type":"array","items":"#, "}", 126))),
        ("spec.yaml", format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {}\n", "[".repeat(10_000))),
        ("spec.json", wrap(r##"{"$ref":"#/components/schemas/A"}"##)),
        ("spec.json", wrap(r#"{"type":"integer","minimum":1e400,"maximum":18446744073709551616,"enum":[1e400,-1e400]}"#)),
        ("spec.json", wrap(r#"{"$ref":"../../../../../../../../dev/zero"}"#)),
        ("spec.yaml", "a: &a [*a]\n".to_owned()),
        (
            "spec.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-l0: &l0 [x, x, x, x, x, x, x, x, x, x]\nx-l1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]\nx-l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\nx-l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\nx-l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]\nx-l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]\nx-l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]\nx-l7: &l7 [*l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6]\n".to_owned(),
        ),
        // Found by the mutator: `paths: {$ref: '#'}` inlined the document into itself every round
        // (stack overflow).
        ("spec.json", r##"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"$ref":"#"}}"##.to_owned()),
        // Found by the mutator: a property that is `allOf` of its own component, twice, expanded into
        // 2^64 inline types (hang).
        ("spec.json", wrap(r##"{"type":"object","properties":{"a":{"allOf":[{"$ref":"#/components/schemas/A"},{"type":"string"}]},"b":{"allOf":[{"$ref":"#/components/schemas/A"},{"type":"integer"}]}}}"##)),
        // Found by the mutator: `A = array of A` inside an untagged union looped forever in emit.
        ("spec.json", r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"A":{"type":"array","items":{"$ref":"#/components/schemas/A"}},"U":{"oneOf":[{"$ref":"#/components/schemas/A"},{"type":"string"}]}}}}"##.to_owned()),
        // Found by the long run: a default on a property whose type is a union of only itself
        // (lowered to an alias of itself) followed the alias forever (hang).
        ("spec.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Mode:\n      oneOf:\n        - $ref: '#/components/schemas/Mode'\n    Settings:\n      type: object\n      properties:\n        mode:\n          allOf:\n            - $ref: '#/components/schemas/Mode'\n          default: safe\n".to_owned()),
        ("spec.json", String::new()),
        ("spec.yaml", "\u{feff}".to_owned()),
        ("spec.json", "[]".to_owned()),
    ];
    let big_enum: Vec<String> = (0..100_000).map(|i| format!("\"v{i}\"")).collect();
    cases.push((
        "spec.json",
        wrap(&format!(r#"{{"type":"string","enum":[{}]}}"#, big_enum.join(","))),
    ));
    let failures: Vec<String> = cases
        .iter()
        .enumerate()
        .filter_map(|(i, (display, text))| {
            let (display, bytes) = (*display, text.as_bytes().to_vec());
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn(move || check(display, &bytes))
                .expect("spawn")
                .join()
                .expect("no panic escapes check")
                .err()
                .map(|e| format!("case {i}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Writes one case's input to `target/hardening-replay.*`: `HARDENING_REPLAY=<seed spec>:<rng seed
/// in hex>[:bytes] cargo test -p e2e-tests --test hardening -- --ignored replay`.
#[test]
#[ignore = "debugging aid"]
fn replay() {
    let Ok(spec) = std::env::var("HARDENING_REPLAY") else {
        return;
    };
    let parts: Vec<&str> = spec.split(':').collect();
    let seeds = load_seeds(true, None);
    let seed = seeds.iter().find(|s| s.name == parts[0]).expect("seed spec");
    let rng_seed = u64::from_str_radix(parts[1].trim_start_matches("0x"), 16).expect("hex seed");
    let mut rng = fastrand::Rng::with_seed(rng_seed);
    let (bytes, display) = if parts.get(2) == Some(&"bytes") {
        (mutate::bytes(&seed.json, &mut rng), "spec.json")
    } else {
        let m = mutate::structural(&seed.doc, &mut rng);
        (m.bytes, m.display)
    };
    let out = crate::root()
        .join("target")
        .join(format!("hardening-replay.{}", &display[5..]));
    std::fs::write(&out, &bytes).expect("write");
    println!("wrote {}", out.display());
}
