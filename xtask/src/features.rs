//! `cargo xtask features`: build generated crates with one operation tag's cargo feature at a
//! time (and with none), so that a missing or wrong `#[cfg]` shows up as an error or a warning.
//! `cargo xtask corpus` does the same for the corpus crates. Also the cargo JSON-diagnostics
//! reader both use.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;

use crate::gen::repo_root;

#[derive(Args)]
pub struct FeaturesArgs {
    /// Only the configured clients with these package names (default: every one with tag features).
    #[arg(long, num_args = 1..)]
    only: Vec<String>,
}

/// The features of `all-tags` in a generated crate's manifest (empty when it has none).
pub fn tag_features(crate_dir: &Path) -> anyhow::Result<Vec<String>> {
    let path = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let list = manifest
        .get("features")
        .and_then(|f| f.get("all-tags"))
        .and_then(|t| t.as_array());
    Ok(list
        .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default())
}

/// Which feature sets to build: none of the tags, then each of `tags` alone.
pub fn combinations(tags: &[String]) -> Vec<Option<String>> {
    std::iter::once(None).chain(tags.iter().cloned().map(Some)).collect()
}

/// The `--features` value of a build with the TLS default and at most one tag.
pub fn feature_arg(tag: Option<&str>) -> String {
    match tag {
        Some(t) => format!("rustls,{t}"),
        None => "rustls".to_owned(),
    }
}

/// What the compiler said in one `cargo build --message-format=json`, by
/// package directory name.
#[derive(Default)]
pub struct BuildReport {
    pub success: bool,
    /// First line of the first error of each package.
    pub errors: BTreeMap<String, String>,
    pub warnings: BTreeMap<String, usize>,
    /// Cargo's stderr and every rendered error and warning.
    pub log: String,
}

impl BuildReport {
    /// Whether `package_dir` built without errors or warnings; if not, why.
    pub fn verdict(&self, package_dir: &str) -> Result<(), String> {
        if let Some(e) = self.errors.get(package_dir) {
            return Err(e.clone());
        }
        if !self.success {
            return Err("cargo build failed (see its output)".into());
        }
        match self.warnings.get(package_dir) {
            Some(&n) if n > 0 => Err(format!("{n} warning(s)")),
            _ => Ok(()),
        }
    }
}

/// Runs a `cargo build` given with `--message-format=json` and collects the
/// errors and warnings per package.
pub fn run_build(cmd: &mut Command) -> anyhow::Result<BuildReport> {
    let output = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .context("running cargo build")?;
    let mut report = BuildReport {
        success: output.status.success(),
        log: String::from_utf8_lossy(&output.stderr).into_owned(),
        ..BuildReport::default()
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let Some(pkg) = package_dir(&msg["package_id"]) else {
            continue;
        };
        let rendered = msg["message"]["rendered"].as_str().unwrap_or("");
        match msg["message"]["level"].as_str() {
            Some("error") => {
                let _ = writeln!(report.log, "[{pkg}] {rendered}");
                report
                    .errors
                    .entry(pkg)
                    .or_insert_with(|| crate::corpus::first_line(if rendered.is_empty() { "error" } else { rendered }));
            }
            Some("warning") => {
                let _ = writeln!(report.log, "[{pkg}] {rendered}");
                if !rendered.contains("warning(s) emitted") && !rendered.starts_with("warning: `") {
                    *report.warnings.entry(pkg).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    Ok(report)
}

/// The crate directory name from a cargo package id (`path+file:///…/corpus/<name>#corpus-<name>@0.1.0`).
fn package_dir(id: &serde_json::Value) -> Option<String> {
    let id = id.as_str()?;
    let path = id.split('#').next()?;
    let name = path.rsplit('/').next()?;
    Some(name.to_owned())
}

/// `cargo build -p package --no-default-features --features <features>` in `dir`, with JSON
/// diagnostics.
pub fn build_command(dir: &Path, target: Option<&Path>, package: &str, features: &str) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["build", "-p", package, "--no-default-features", "--features", features])
        .arg("--message-format=json")
        .current_dir(dir);
    if let Some(t) = target {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    cmd
}

pub fn run(args: FeaturesArgs) -> anyhow::Result<ExitCode> {
    let root = repo_root();
    let clients = codegen::project::load(&root)?;
    let mut table = String::from("| crate | features | result | s |\n| --- | --- | --- | --- |\n");
    let (mut passed, mut failed) = (0, 0);
    for client in clients {
        let package = client.config.crate_name.clone();
        if !args.only.is_empty() && !args.only.contains(&package) {
            continue;
        }
        let tags = tag_features(&client.out)?;
        if tags.is_empty() {
            continue;
        }
        let dir_name = client
            .out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for tag in combinations(&tags) {
            let features = feature_arg(tag.as_deref());
            eprintln!("building {package} --no-default-features --features {features} ...");
            let started = Instant::now();
            let report = run_build(&mut build_command(&root, None, &package, &features))?;
            let secs = started.elapsed().as_secs_f64();
            let result = match report.verdict(&dir_name) {
                Ok(()) => {
                    passed += 1;
                    "ok".to_owned()
                }
                Err(e) => {
                    failed += 1;
                    eprint!("{}", report.log);
                    format!("FAILED: {}", e.replace('|', "\\|"))
                }
            };
            let _ = writeln!(table, "| {package} | {features} | {result} | {secs:.1} |");
        }
    }
    if passed + failed == 0 {
        println!("no configured client has cargo features per operation tag");
    } else {
        print!("{table}");
    }
    println!("features: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
