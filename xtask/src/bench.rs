//! `cargo xtask bench`: generation time per stage against the bare-parse floor, peak memory,
//! generated code size, debug build time of the generated crates, and the generated client's
//! overhead over plain reqwest. The figures and the targets are recorded in BENCHMARKS.md.

mod build;
pub mod generate;
mod scaling;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use crate::gen::repo_root;
use generate::{Measured, RunTimes};

const LONG_ABOUT: &str = "\
Measures the generator on a fixed list of specs (the largest of the corpus in
../shared/corpus/specs, progenitor's nexus, and specs/modbox.yaml) and prints Markdown tables:

  1. time per pipeline stage (median over --runs), the bare serde parse of the same bytes and the
     ratio total/parse, and the generator's peak memory (each spec in a child process);
  2. generated lines, items and bytes, in total and per operation;
  3. debug `cargo build` time of each generated crate: one warm-up, then --build-runs rebuilds of
     the crate alone after touching it (non-incremental), with the compiler's peak memory;
  4. client overhead: the generated Modbox client against plain reqwest + serde, sequential and
     concurrent calls to a loopback server (built in release mode).

--scaling instead generates (and with --build, builds) every spec of the corpus, and prints how
time grows with spec size. Nothing here asserts a time; see BENCHMARKS.md for the targets.";

/// The fixed list: the four largest inputs named by the benchmark's targets, and Modbox.
const DEFAULT_SPECS: [&str; 5] = [
    "../shared/corpus/specs/progenitor-github-api.json",
    "../shared/corpus/specs/stripe-api-2022-30.json",
    "../shared/corpus/specs/openai-api.yaml",
    "../shared/corpus/specs/progenitor-nexus.json",
    "specs/modbox.yaml",
];

#[derive(Args)]
#[command(long_about = LONG_ABOUT)]
pub struct BenchArgs {
    /// Specs to measure, relative to the repository root (default: the fixed list).
    #[arg(long, num_args = 1..)]
    specs: Vec<PathBuf>,
    /// Generation runs per spec (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Measured rebuilds per generated crate (after one warm-up build).
    #[arg(long, default_value_t = 3)]
    build_runs: usize,
    /// Skip building the generated crates.
    #[arg(long)]
    no_build: bool,
    /// Skip the client-overhead measurement.
    #[arg(long)]
    no_client: bool,
    /// Requests per client-overhead round.
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Client-overhead rounds (the median is reported).
    #[arg(long, default_value_t = 7)]
    rounds: usize,
    /// Measure every spec of the corpus instead and print the scaling table.
    #[arg(long)]
    scaling: bool,
    /// With --scaling: also build every generated crate.
    #[arg(long, requires = "scaling")]
    build: bool,
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let root = repo_root();
    print_machine();
    if args.scaling {
        return scaling::run(&root, args.runs, args.build.then_some(args.build_runs));
    }
    let specs: Vec<PathBuf> = if args.specs.is_empty() {
        DEFAULT_SPECS.iter().map(PathBuf::from).collect()
    } else {
        args.specs.clone()
    };
    let mut results = Vec::new();
    for display in &specs {
        let name = crate_name(display);
        let spec = root.join(display);
        let display = display.display().to_string();
        let out = root.join("target").join("bench").join("ws").join(&name);
        eprintln!("generating {display} ({} runs) ...", args.runs);
        let measured = generate::measure(&spec, &display, &format!("bench-{name}"), &out, args.runs)?;
        let spec_bytes = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
        results.push((name, spec_bytes, measured));
    }
    print!("{}", stage_table(&results, args.runs));
    println!();
    print!("{}", size_table(&results));
    if !args.no_build {
        let members: Vec<String> = results.iter().map(|(n, ..)| n.clone()).collect();
        let ws = build::Workspace::create(&root, &members)?;
        let mut table = format!(
            "Debug build of each generated crate (dependencies built; non-incremental rebuild of the crate alone, median of {})\n\n\
             | spec | lines (with runtime) | warm-up s | rebuild s | rebuild s per 10k lines | peak MiB |\n| --- | --- | --- | --- | --- | --- |\n",
            args.build_runs
        );
        for (name, _, m) in &results {
            eprintln!("building {name} ...");
            let t = ws.time_builds(&format!("bench-{name}"), name, None, args.build_runs.max(1))?;
            let lines = m.size.lines + m.size.runtime_lines;
            let rebuild = median(t.rebuilds.clone()).as_secs_f64();
            let _ = writeln!(
                table,
                "| {name} | {lines} | {:.1} | {rebuild:.1} | {:.2} | {} |",
                t.warmup.as_secs_f64(),
                rebuild / (lines as f64 / 10_000.0),
                t.peak_kib.map_or("-".into(), |k| format!("{:.0}", k as f64 / 1024.0)),
            );
        }
        println!();
        print!("{table}");
        let tags = tag_builds(&root, &ws, &specs, &results, args.build_runs.max(1))?;
        if !tags.is_empty() {
            println!();
            print!("{tags}");
        }
    }
    if !args.no_client {
        println!();
        client_overhead(&root, args.requests, args.rounds)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Build times of the crates that have cargo features per operation tag, with the tags off and
/// with only the largest tag (most operations) and a median one, next to the full crate.
fn tag_builds(
    root: &Path,
    ws: &build::Workspace,
    specs: &[PathBuf],
    results: &[(String, u64, Measured)],
    runs: usize,
) -> anyhow::Result<String> {
    let mut table = format!(
        "Debug build with cargo features per operation tag (`--no-default-features --features rustls,<tag>`; \
         non-incremental rebuild of the crate alone, median of {runs})\n\n\
         | spec | features | operations compiled | rebuild s | peak MiB |\n| --- | --- | --- | --- | --- |\n"
    );
    let mut any = false;
    for (display, (name, _, _)) in specs.iter().zip(results) {
        let config = codegen::Config::new(root.join(display), display.display().to_string(), "bench");
        let api = codegen::generate(&config)?.api;
        let Some(tf) = &api.tag_features else { continue };
        any = true;
        let total = api.operations.len();
        let untagged = tf.operations.iter().filter(|g| g.is_empty()).count();
        let mut by_size: Vec<&codegen::ir::Feature> = tf.features.iter().collect();
        by_size.sort_by_key(|f| std::cmp::Reverse(f.operations));
        let mut configs: Vec<(String, Option<String>, usize)> =
            vec![("tags off".into(), Some("rustls".into()), untagged)];
        for f in [by_size.first(), by_size.get(by_size.len() / 2)].into_iter().flatten() {
            let label = format!("`{}` alone", f.name);
            if configs.iter().all(|(l, ..)| *l != label) {
                configs.push((label, Some(format!("rustls,{}", f.name)), f.operations + untagged));
            }
        }
        configs.push(("all (default)".into(), None, total));
        for (label, features, ops) in configs {
            eprintln!("building {name} ({label}) ...");
            let t = ws.time_builds(&format!("bench-{name}"), name, features.as_deref(), runs)?;
            let _ = writeln!(
                table,
                "| {name} | {label} | {ops} of {total} | {:.1} | {} |",
                median(t.rebuilds.clone()).as_secs_f64(),
                t.peak_kib.map_or("-".into(), |k| format!("{:.0}", k as f64 / 1024.0)),
            );
        }
    }
    Ok(if any { table } else { String::new() })
}

/// `cargo xtask bench-one` (hidden; the child process of the generation measurement).
pub fn run_one(args: generate::BenchOneArgs) -> anyhow::Result<ExitCode> {
    generate::run_one(args)
}

pub fn crate_name(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

pub fn median_stage(runs: &[RunTimes], stage: &str) -> Duration {
    median(runs.iter().map(|r| r.stage(stage)).collect())
}

pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

fn stage_table(results: &[(String, u64, Measured)], runs: usize) -> String {
    let mut out = format!(
        "Generation time per stage, ms (median of {runs} runs; `parse` is serde_json/serde_yaml to a `Value` on the same bytes)\n\n\
         | spec | MB | load | normalize | lower | emit | format | write | total | parse | total/parse | peak MiB |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for (name, bytes, m) in results {
        let total = median_stage(&m.runs, "total");
        let parse = median_stage(&m.runs, "parse");
        let stages: Vec<String> = RunTimes::STAGES.iter().map(|s| ms(median_stage(&m.runs, s))).collect();
        let _ = writeln!(
            out,
            "| {name} | {:.2} | {} | {} | {} | {:.1} | {:.0} |",
            *bytes as f64 / 1e6,
            stages.join(" | "),
            ms(total),
            if m.parse_builds_tree {
                ms(parse)
            } else {
                format!("{}*", ms(parse))
            },
            total.as_secs_f64() / parse.as_secs_f64().max(1e-9),
            m.peak_kib as f64 / 1024.0
        );
    }
    if results.iter().any(|(_, _, m)| !m.parse_builds_tree) {
        out.push_str(
            "\n\\* `serde_yaml::Value` cannot hold this document (an integer beyond 64 bits): parsed into `IgnoredAny` (no tree), a lower floor.\n",
        );
    }
    out
}

fn size_table(results: &[(String, u64, Measured)]) -> String {
    let runtime = results.first().map_or(0, |(_, _, m)| m.size.runtime_lines);
    let mut out = format!(
        "Generated code (API files; the runtime module adds {runtime} lines to every crate)\n\n\
         | spec | operations | types | lines | items | bytes | lines/op | items/op | bytes/op |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for (name, _, m) in results {
        let s = m.size;
        let per = |x: usize| x as f64 / s.operations.max(1) as f64;
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {:.0} | {:.1} | {:.0} |",
            s.operations,
            s.types,
            s.lines,
            s.items,
            s.bytes,
            per(s.lines),
            per(s.items),
            per(s.bytes)
        );
    }
    out
}

fn client_overhead(root: &Path, requests: usize, rounds: usize) -> anyhow::Result<()> {
    eprintln!("building the client-overhead benchmark (release) ...");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--release", "-p", "bench-client", "--"])
        .args(["--requests", &requests.to_string(), "--rounds", &rounds.to_string()])
        .current_dir(root)
        .status()
        .context("running the client-overhead benchmark")?;
    anyhow::ensure!(status.success(), "the client-overhead benchmark failed");
    Ok(())
}

/// The machine, as the first lines of every report.
fn print_machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Machine: {cpu}, {cores} cores, {mem_gib:.1} GiB; load average {}\n",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
}
