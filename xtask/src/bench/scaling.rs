//! `cargo xtask bench --scaling`: every spec of the corpus, smallest to largest, with the growth
//! exponent of each stage (the slope of log time over log size; 1 is linear).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use super::generate::{Measured, RunTimes};
use super::{build, crate_name, median, median_stage, ms};

const CORPUS: &str = "../shared/corpus/specs";

/// Specs below this size are dominated by fixed costs (the runtime module, `lib.rs`) and left out
/// of the fitted exponents.
const FIT_MIN_BYTES: u64 = 20_000;

struct Row {
    name: String,
    bytes: u64,
    measured: Option<Measured>,
    build_s: Option<f64>,
}

pub fn run(root: &Path, runs: usize, build_runs: Option<usize>) -> anyhow::Result<ExitCode> {
    let dir = root.join(CORPUS);
    let mut specs: Vec<(PathBuf, u64)> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
        .map(|p| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p, len)
        })
        .collect();
    specs.sort_by_key(|(p, len)| (*len, p.clone()));
    let mut rows = Vec::new();
    for (i, (spec, bytes)) in specs.iter().enumerate() {
        let name = crate_name(spec);
        let display = format!("{CORPUS}/{}", spec.file_name().unwrap_or_default().to_string_lossy());
        let out = root.join("target").join("bench").join("ws").join(&name);
        eprintln!("[{}/{}] generating {name} ...", i + 1, specs.len());
        // A spec the generator refuses is listed without figures (the corpus report says why).
        let measured = super::generate::measure(spec, &display, &format!("bench-{name}"), &out, runs).ok();
        rows.push(Row {
            name,
            bytes: *bytes,
            measured,
            build_s: None,
        });
    }
    if let Some(build_runs) = build_runs {
        let members: Vec<String> = rows
            .iter()
            .filter(|r| r.measured.is_some())
            .map(|r| r.name.clone())
            .collect();
        let ws = build::Workspace::create(root, &members)?;
        for row in rows.iter_mut().filter(|r| r.measured.is_some()) {
            eprintln!("building {} ...", row.name);
            match ws.time_builds(&format!("bench-{}", row.name), &row.name, None, build_runs.max(1)) {
                Ok(t) => row.build_s = Some(median(t.rebuilds).as_secs_f64()),
                Err(e) => eprintln!("warning: {e:#}"),
            }
        }
    }
    print!("{}", render(&rows, runs, build_runs.is_some()));
    Ok(ExitCode::SUCCESS)
}

fn render(rows: &[Row], runs: usize, built: bool) -> String {
    let mut out = format!(
        "Scaling over the corpus (generation: median of {runs} runs, ms; build: non-incremental debug rebuild of the crate alone, s)\n\n\
         | spec | KB | operations | lines | load | normalize | lower | emit | format | write | total | µs/KB |{}\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |{}\n",
        if built { " build s | ms/1k lines |" } else { "" },
        if built { " --- | --- |" } else { "" },
    );
    for r in rows {
        let _ = write!(out, "| {} | {:.0} |", r.name, r.bytes as f64 / 1000.0);
        let Some(m) = &r.measured else {
            let _ = writeln!(out, " (not generated) |");
            continue;
        };
        let lines = m.size.lines + m.size.runtime_lines;
        let _ = write!(out, " {} | {lines} |", m.size.operations);
        for stage in RunTimes::STAGES.iter().chain(&["total"]) {
            let _ = write!(out, " {} |", ms(median_stage(&m.runs, stage)));
        }
        let total = median_stage(&m.runs, "total").as_secs_f64();
        let _ = write!(out, " {:.0} |", total * 1e6 / (r.bytes as f64 / 1000.0).max(0.001));
        if built {
            match r.build_s {
                Some(s) => {
                    let _ = write!(out, " {s:.1} | {:.0} |", s * 1000.0 / (lines as f64 / 1000.0));
                }
                None => out.push_str(" - | - |"),
            }
        }
        out.push('\n');
    }
    let fitted: Vec<&Row> = rows
        .iter()
        .filter(|r| r.measured.is_some() && r.bytes >= FIT_MIN_BYTES)
        .collect();
    let _ = writeln!(
        out,
        "\nGrowth exponent k in time ~ size^k (least squares on log-log, {} specs of at least {} KB; 1.0 is linear)\n",
        fitted.len(),
        FIT_MIN_BYTES / 1000
    );
    out.push_str("| measure | over | k |\n| --- | --- | --- |\n");
    for stage in RunTimes::STAGES.iter().chain(&["total", "parse"]) {
        let points: Vec<(f64, f64)> = fitted
            .iter()
            .filter_map(|r| {
                let m = r.measured.as_ref()?;
                Some((r.bytes as f64, median_stage(&m.runs, stage).as_secs_f64()))
            })
            .collect();
        let _ = writeln!(out, "| {stage} | spec bytes | {} |", exponent(&points));
    }
    let lines_over_bytes: Vec<(f64, f64)> = fitted
        .iter()
        .filter_map(|r| Some((r.bytes as f64, r.measured.as_ref()?.size.lines as f64)))
        .collect();
    let _ = writeln!(
        out,
        "| generated lines | spec bytes | {} |",
        exponent(&lines_over_bytes)
    );
    // Emitting and formatting work on the output, so their own size measure is the generated lines.
    for stage in ["emit", "format"] {
        let points: Vec<(f64, f64)> = fitted
            .iter()
            .filter_map(|r| {
                let m = r.measured.as_ref()?;
                Some((m.size.lines as f64, median_stage(&m.runs, stage).as_secs_f64()))
            })
            .collect();
        let _ = writeln!(out, "| {stage} | generated lines | {} |", exponent(&points));
    }
    if built {
        let build: Vec<(f64, f64)> = fitted
            .iter()
            .filter_map(|r| {
                let m = r.measured.as_ref()?;
                Some(((m.size.lines + m.size.runtime_lines) as f64, r.build_s?))
            })
            .collect();
        let _ = writeln!(out, "| build | generated lines | {} |", exponent(&build));
    }
    out
}

/// The least-squares slope of `ln y` over `ln x`, as text ("-" with fewer than 3 usable points).
fn exponent(points: &[(f64, f64)]) -> String {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if logs.len() < 3 {
        return "-".into();
    }
    let n = logs.len() as f64;
    let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = logs.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    if sxx == 0.0 {
        return "-".into();
    }
    format!("{:.2}", sxy / sxx)
}
