//! `cargo xtask contract`: contract tests against Stoplight Prism, a mock server nobody here wrote
//! that serves responses from a spec and rejects requests that violate it.
//!
//! For each selected spec (`specs/modbox.yaml` and the corpus): generate the client crate and a
//! driver binary (`codegen::emit::contract::contract_driver`) into `target/contract/<name>/`, build
//! them all in one workspace, then per spec start Prism on loopback, run the driver (one call per
//! operation, one JSON record each), stop Prism, and classify every failure (`report`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context as _};
use clap::Args;

use crate::gen::repo_root;

mod known;
mod prism;
mod report;
mod roundtrip;

use known::ContractConfig;
use prism::{free_port, Prism};
use report::{SpecReport, Unservable};

/// The contract run's configuration: the sample and the known failures.
const CONFIG: &str = "tests/contract/contract.toml";

/// A spec of the run: its name (file stem, as `cargo xtask corpus` names it) and path.
struct Spec {
    name: String,
    path: PathBuf,
    /// As printed and written into generated headers (relative to the repository).
    display: String,
}

#[derive(Args)]
#[command(long_about = "\
Runs the contract tests: for specs/modbox.yaml and every spec of the corpus directory, generates the
client and a driver that calls every operation once, starts Stoplight Prism (`prism mock --errors`,
static examples; `--dynamic`: responses generated from the schemas with a fixed seed) on 127.0.0.1,
and checks that Prism accepted every request, that every response decoded into its typed model, and
that every decoded JSON body serialises back to what was served (up to key order and the documented
lossy spots). Failures are classified as client, spec or Prism bugs (known ones from
tests/contract/contract.toml). Prism comes from `npm ci --prefix tests/prism` (pinned by its
lockfile). Prints one line per operation, `<spec>: N passed, M failed, K skipped` per spec and
`contract: N passed, M failed, K skipped` overall.

Exit status: 0 when no failure is the client's, 1 otherwise (or when Prism is not installed).")]
pub struct ContractArgs {
    /// The corpus specs (`specs/modbox.yaml` is always added; `--only modbox` names it).
    #[command(flatten)]
    selection: crate::corpus::Selection,
    /// Only the fixed sample of tests/contract/contract.toml (what `cargo test` runs).
    #[arg(long)]
    sample: bool,
    /// Responses generated from the schemas (`prism mock --dynamic --seed SEED`) instead of the
    /// spec's examples.
    #[arg(long)]
    dynamic: bool,
    /// The seed of `--dynamic`.
    #[arg(long, default_value = "1")]
    seed: String,
    /// Also write the per-spec table into this Markdown file's `## Contract` section (COVERAGE.md).
    #[arg(long)]
    write: Option<PathBuf>,
    /// The Prism executable (default: tests/prism/node_modules/.bin/prism).
    #[arg(long)]
    prism: Option<PathBuf>,
}

/// The pinned Prism that `npm ci --prefix tests/prism` installs.
pub fn prism_bin(root: &Path) -> PathBuf {
    root.join("tests/prism/node_modules/.bin/prism")
}

fn select(root: &Path, args: &ContractArgs, config: &ContractConfig) -> anyhow::Result<Vec<Spec>> {
    let dir = if args.selection.dir.is_absolute() {
        args.selection.dir.clone()
    } else {
        root.join(&args.selection.dir)
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
        .collect();
    found.sort();
    let mut specs = vec![Spec {
        name: "modbox".to_owned(),
        path: root.join("specs/modbox.yaml"),
        display: "specs/modbox.yaml".to_owned(),
    }];
    for path in found {
        let file = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        specs.push(Spec {
            name: crate::corpus::crate_dir_name(&path),
            display: format!("{}/{file}", args.selection.dir.display()),
            path,
        });
    }
    let named = |list: &[String], spec: &Spec| {
        list.iter().any(|o| {
            *o == spec.name
                || spec.path.file_name().is_some_and(|n| n.to_string_lossy() == *o)
                || spec.path.file_stem().is_some_and(|n| n.to_string_lossy() == *o)
        })
    };
    specs.retain(|s| {
        (args.selection.only.is_empty() || named(&args.selection.only, s))
            && !named(&args.selection.exclude, s)
            && (!args.sample || config.sample.contains(&s.name))
    });
    if specs.is_empty() {
        bail!("no spec matches the selection");
    }
    Ok(specs)
}

pub fn run(args: ContractArgs) -> anyhow::Result<ExitCode> {
    let root = repo_root();
    let prism = args.prism.clone().unwrap_or_else(|| prism_bin(&root));
    if !prism.exists() {
        bail!(
            "{} not found: install the pinned Prism with `npm ci --prefix tests/prism` (needs node and npm)",
            prism.display()
        );
    }
    let config = ContractConfig::load(&root.join(CONFIG))?;
    let specs = select(&root, &args, &config)?;
    let ws = root.join("target").join("contract");
    std::fs::create_dir_all(&ws).with_context(|| format!("creating {}", ws.display()))?;
    let started = Instant::now();
    let mut apis = Vec::new();
    for spec in &specs {
        apis.push(generate(&ws, spec)?);
    }
    write_workspace(&root, &ws, &specs)?;
    let target = root.join("target").join("contract-target");
    eprintln!(
        "generated {} clients and drivers in {:.1} s; building them in {} ...",
        specs.len(),
        started.elapsed().as_secs_f64(),
        ws.display()
    );
    let build = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--workspace", "--bins", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&ws)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("the contract drivers did not build (see the compiler output above)");
    }
    eprintln!("built in {:.1} s", build.elapsed().as_secs_f64());
    let seed = args.dynamic.then_some(args.seed.as_str());
    let mut reports = Vec::new();
    let mut unservable = Vec::new();
    for (spec, api) in specs.iter().zip(&apis) {
        let driver = target.join("debug").join(format!("contract-{}-driver", spec.name));
        match run_spec(&root, &ws, &prism, &driver, spec, seed, &config)? {
            Ok(records) => {
                let report = SpecReport::new(&spec.name, api, records, &config, args.dynamic);
                report.print();
                reports.push(report);
            }
            Err(reason) => {
                println!("\n{}: not servable by Prism: {reason}", spec.name);
                unservable.push(Unservable {
                    spec: spec.name.clone(),
                    reason,
                });
            }
        }
    }
    let ok = report::print_summary(&reports, &unservable, started.elapsed());
    if let Some(path) = &args.write {
        let path = if path.is_absolute() {
            path.clone()
        } else {
            root.join(path)
        };
        report::write_section(&path, &reports, &unservable, &args)?;
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn generate(ws: &Path, spec: &Spec) -> anyhow::Result<codegen::ir::Api> {
    let crate_name = format!("contract-{}", spec.name);
    let mut config = codegen::Config::new(&spec.path, spec.display.clone(), crate_name.clone());
    config.command = "cargo xtask contract".into();
    let out = codegen::generate(&config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = ws.join(&spec.name);
    codegen::write::sync(&dir.join("client"), &out.files, false)
        .with_context(|| format!("writing {}", dir.join("client").display()))?;
    let sources = codegen::emit::contract::contract_driver(&out.api, &crate_name.replace('-', "_"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let header = format!(
        "// This file is {} `cargo xtask contract` from `{}`. Do not edit it by hand.\n",
        codegen::write::MARKER,
        spec.display
    );
    let mut files = std::collections::BTreeMap::new();
    for (name, text) in sources {
        files.insert(name, format!("{header}{text}"));
    }
    files.insert(
        "Cargo.toml".to_owned(),
        format!(
            "# This file is {marker} `cargo xtask contract`. Do not edit it by hand.\n\
             [package]\nname = \"{crate_name}-driver\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{crate_name} = {{ path = \"../client\", features = [\"serde-all\"] }}\n\
             chrono = {{ version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             futures-util = {{ version = \"0.3\", default-features = false }}\n\
             reqwest = {{ version = \"0.12\", default-features = false }}\n\
             serde = \"1.0.200\"\nserde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"time\"] }}\n\
             uuid = {{ version = \"1\", features = [\"serde\"] }}\n",
            marker = codegen::write::MARKER
        ),
    );
    codegen::write::sync(&dir.join("driver"), &files, false)
        .with_context(|| format!("writing {}", dir.join("driver").display()))?;
    Ok(out.api)
}

/// One workspace for every driver, with the repository's lock file and build profiles, so that the
/// dependency versions are the ones the tests use.
fn write_workspace(root: &Path, ws: &Path, specs: &[Spec]) -> anyhow::Result<()> {
    let members: Vec<String> = specs
        .iter()
        .flat_map(|s| [format!("\"{}/client\"", s.name), format!("\"{}/driver\"", s.name)])
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask contract`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        members.join(", ")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest).context("writing the contract workspace manifest")?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

/// Runs one spec's driver against a fresh Prism: the driver's records, or why Prism could not
/// serve the spec (it exited, or did not listen, before the first call).
fn run_spec(
    root: &Path,
    ws: &Path,
    prism: &Path,
    driver: &Path,
    spec: &Spec,
    seed: Option<&str>,
    config: &ContractConfig,
) -> anyhow::Result<Result<Vec<report::Record>, String>> {
    println!("\n{} ({})", spec.name, spec.display);
    let port = free_port()?;
    let dir = ws.join(&spec.name);
    let log = dir.join("prism.log");
    let mut server = match Prism::start(prism, &spec.path, port, log.clone(), root, seed) {
        Ok(server) => server,
        Err(e) => return Ok(Err(unservable_reason(&log, &format!("{e:#}")))),
    };
    let results = dir.join("results.jsonl");
    let output = Command::new(driver)
        .arg(format!("http://127.0.0.1:{port}"))
        .args(config.crashes(&spec.name, seed.is_some()))
        .env("CONTRACT_RESULTS", &results)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {}", driver.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.trim().is_empty() {
        eprintln!("{stderr}");
    }
    // The calls after a crash fail with transport errors, classified as Prism's.
    if let Some(crash) = server.crashed() {
        println!("  Prism crashed during the run: {}", report::first_line(&crash));
    }
    drop(server);
    let text = std::fs::read_to_string(&results).with_context(|| {
        format!(
            "{}: the driver wrote no results (exit {}): {}",
            spec.name,
            output.status,
            results.display()
        )
    })?;
    let mut records = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        records.push(serde_json::from_str(line).with_context(|| format!("{}: a malformed record", results.display()))?);
    }
    Ok(Ok(records))
}

/// Why Prism could not serve a spec: the error its log names, else the first line of `error`.
fn unservable_reason(log: &Path, error: &str) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let named = text.lines().map(str::trim).find_map(|l| {
        l.strip_prefix("Error: ")
            .or_else(|| l.strip_prefix("message: "))
            // Node prints a long message as `'first line \n' +`: its first line.
            .map(|m| {
                m.split("\\n")
                    .next()
                    .unwrap_or(m)
                    .trim_matches(|c: char| c == '\'' || c == ',' || c.is_whitespace())
            })
    });
    match named {
        Some(m) => report::first_line(m),
        None => report::first_line(error),
    }
}
