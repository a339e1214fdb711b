//! The generation measurement, run in a child process (`cargo xtask bench-one`, hidden) so that its
//! peak memory (`VmHWM`) belongs to one spec alone: each run times the bare parse of the spec's bytes
//! into a `Value` (the floor), then every pipeline stage, then the write stage into an empty directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args)]
pub struct BenchOneArgs {
    /// The spec to generate.
    #[arg(long)]
    spec: PathBuf,
    /// How the spec is named in generated headers.
    #[arg(long)]
    display: String,
    /// Package name of the generated crate.
    #[arg(long)]
    crate_name: String,
    /// Where the crate is written (emptied before every run).
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

/// One run's wall-clock times.
#[derive(Debug, Default, Clone, Copy)]
pub struct RunTimes {
    pub parse: Duration,
    pub load: Duration,
    pub normalize: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
    pub write: Duration,
    /// The whole pipeline, `generate_timed` plus the write stage.
    pub total: Duration,
}

impl RunTimes {
    pub const STAGES: [&'static str; 6] = ["load", "normalize", "lower", "emit", "format", "write"];

    pub fn stage(&self, name: &str) -> Duration {
        match name {
            "load" => self.load,
            "normalize" => self.normalize,
            "lower" => self.lower,
            "emit" => self.emit,
            "format" => self.format,
            "write" => self.write,
            "parse" => self.parse,
            _ => self.total,
        }
    }

    fn to_json(self) -> Value {
        let mut map = serde_json::Map::new();
        for name in Self::STAGES.iter().chain(&["parse", "total"]) {
            map.insert((*name).to_owned(), json!(self.stage(name).as_secs_f64()));
        }
        Value::Object(map)
    }

    fn from_json(v: &Value) -> Self {
        let d = |k: &str| Duration::from_secs_f64(v[k].as_f64().unwrap_or(0.0));
        RunTimes {
            parse: d("parse"),
            load: d("load"),
            normalize: d("normalize"),
            lower: d("lower"),
            emit: d("emit"),
            format: d("format"),
            write: d("write"),
            total: d("total"),
        }
    }
}

/// Size of the generated crate's API code (the copied runtime module is counted apart).
#[derive(Debug, Default, Clone, Copy)]
pub struct CodeSize {
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub items: usize,
    pub bytes: usize,
    pub runtime_lines: usize,
}

/// What the child reports.
pub struct Measured {
    pub runs: Vec<RunTimes>,
    pub peak_kib: u64,
    /// Whether the bare parse built a `Value` (see [`bare_parse`]).
    pub parse_builds_tree: bool,
    pub size: CodeSize,
}

/// `cargo xtask bench-one`: prints one JSON object on stdout.
pub fn run_one(args: BenchOneArgs) -> anyhow::Result<std::process::ExitCode> {
    let bytes = std::fs::read(&args.spec).with_context(|| format!("reading {}", args.spec.display()))?;
    let mut config = codegen::Config::new(&args.spec, &args.display, &args.crate_name);
    config.command = "cargo xtask bench".into();
    let yaml = codegen::load::detect(&args.display, &bytes) == codegen::load::Format::Yaml;
    let mut runs = Vec::new();
    let mut size = CodeSize::default();
    let mut parse_builds_tree = true;
    for i in 0..args.runs.max(1) {
        let (parse, tree) = bare_parse(&bytes, yaml)?;
        parse_builds_tree &= tree;
        if args.out.exists() {
            std::fs::remove_dir_all(&args.out).with_context(|| format!("emptying {}", args.out.display()))?;
        }
        let started = Instant::now();
        let (out, stages) = codegen::generate_timed(&config, &bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
        let written = Instant::now();
        codegen::write::sync(&args.out, &out.files, false).map_err(|e| anyhow::anyhow!("{e}"))?;
        let write = written.elapsed();
        let total = started.elapsed();
        runs.push(RunTimes {
            parse,
            load: stages.load,
            normalize: stages.normalize,
            lower: stages.lower,
            emit: stages.emit,
            format: stages.format,
            write,
            total,
        });
        if i == 0 {
            size = code_size(&out)?;
        }
    }
    let report = json!({
        "runs": runs.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
        "peak_kib": peak_kib(),
        "parse_builds_tree": parse_builds_tree,
        "size": {
            "operations": size.operations,
            "types": size.types,
            "lines": size.lines,
            "items": size.items,
            "bytes": size.bytes,
            "runtime_lines": size.runtime_lines,
        },
    });
    println!("{report}");
    Ok(std::process::ExitCode::SUCCESS)
}

/// The floor: the same bytes parsed by serde_json / serde_yaml into their own `Value`. A YAML
/// document that `serde_yaml::Value` cannot hold (an integer beyond 64 bits, as in
/// `openai-api.yaml`) is parsed into `IgnoredAny` instead (same parser, no tree: a lower floor),
/// and the returned flag is false.
fn bare_parse(bytes: &[u8], yaml: bool) -> anyhow::Result<(Duration, bool)> {
    // The pipeline's own parse runs on an allocator warmed by the previous stages and runs; give
    // the floor the same chance (a first parse after the previous run freed everything is slower).
    bare_parse_once(bytes, yaml)?;
    bare_parse_once(bytes, yaml)
}

fn bare_parse_once(bytes: &[u8], yaml: bool) -> anyhow::Result<(Duration, bool)> {
    // The tree is dropped after the clock stops: the pipeline's load stage does not drop its tree either.
    let started = Instant::now();
    if !yaml {
        let tree = serde_json::from_slice::<Value>(bytes).context("bare parse")?;
        let elapsed = started.elapsed();
        drop(tree);
        return Ok((elapsed, true));
    }
    if let Ok(tree) = serde_yaml::from_slice::<serde_yaml::Value>(bytes) {
        let elapsed = started.elapsed();
        drop(tree);
        return Ok((elapsed, true));
    }
    let started = Instant::now();
    serde_yaml::from_slice::<serde::de::IgnoredAny>(bytes).context("bare parse")?;
    Ok((started.elapsed(), false))
}

/// Runs `bench-one` for a spec in a child process and reads its report.
pub fn measure(spec: &Path, display: &str, crate_name: &str, out: &Path, runs: usize) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe().context("locating the xtask binary")?;
    let spawn = || {
        std::process::Command::new(&exe)
            .arg("bench-one")
            .arg("--spec")
            .arg(spec)
            .args(["--display", display, "--crate-name", crate_name])
            .arg("--out")
            .arg(out)
            .args(["--runs", &runs.to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
    };
    // A concurrent `cargo build` may be replacing the binary right now: try again once.
    let output = spawn()
        .or_else(|_| {
            std::thread::sleep(Duration::from_secs(5));
            spawn()
        })
        .context("running `xtask bench-one`")?;
    anyhow::ensure!(output.status.success(), "generating {display} failed");
    let v: Value = serde_json::from_slice(&output.stdout).context("reading the report of `xtask bench-one`")?;
    let n = |k: &str| v["size"][k].as_u64().unwrap_or(0) as usize;
    Ok(Measured {
        runs: v["runs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(RunTimes::from_json)
            .collect(),
        peak_kib: v["peak_kib"].as_u64().unwrap_or(0),
        parse_builds_tree: v["parse_builds_tree"].as_bool().unwrap_or(true),
        size: CodeSize {
            operations: n("operations"),
            types: n("types"),
            lines: n("lines"),
            items: n("items"),
            bytes: n("bytes"),
            runtime_lines: n("runtime_lines"),
        },
    })
}

/// This process's peak resident set (`VmHWM`), in KiB; 0 where `/proc` is missing.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn code_size(out: &codegen::Output) -> anyhow::Result<CodeSize> {
    let mut size = CodeSize {
        operations: out.api.operations.len(),
        types: out.api.types.len(),
        ..CodeSize::default()
    };
    for (path, text) in out.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        if path.starts_with("src/runtime/") {
            size.runtime_lines += text.lines().count();
            continue;
        }
        size.lines += text.lines().count();
        size.bytes += text.len();
        let file = syn::parse_file(text).with_context(|| format!("parsing generated {path}"))?;
        size.items += count_items(&file.items);
    }
    Ok(size)
}

/// Items, counting those inside inline modules and the functions, constants and types of `impl`
/// and `trait` blocks (what the compiler has to check one by one).
fn count_items(items: &[syn::Item]) -> usize {
    items
        .iter()
        .map(|item| {
            1 + match item {
                syn::Item::Mod(m) => m.content.as_ref().map_or(0, |(_, items)| count_items(items)),
                syn::Item::Impl(i) => i.items.len(),
                syn::Item::Trait(t) => t.items.len(),
                _ => 0,
            }
        })
        .sum()
}
