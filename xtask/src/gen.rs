//! `cargo xtask gen`: regenerate the configured clients, check them for drift, or generate any spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;
use codegen::write::Change;

const LONG_ABOUT: &str = "\
Without --spec, regenerates every client listed in clients.toml at the repository root
(today: specs/modbox.yaml -> generated/, crate `modbox`) and lists the files that changed.

With --spec PATH --out DIR, writes a complete standalone crate (Cargo.toml included) for any
OpenAPI 3.0/3.1 spec, YAML or JSON.

--check writes nothing: it names every stale, missing or extra file, prints a diff, and exits
with status 2 if anything differs. CI runs `cargo xtask gen --check`.

Files are only written after the whole crate was generated in memory, each atomically; files that
carry the generated-file header but are no longer produced are removed; other files are left alone.

Exit status: 0 success, 1 error (the spec could not be read or generated; nothing was written),
2 drift found by --check.";

#[derive(Args)]
#[command(long_about = LONG_ABOUT)]
pub struct GenArgs {
    /// Compare with what is on disk instead of writing; exit 2 on drift.
    #[arg(long)]
    check: bool,
    /// Generate from this spec instead of the configured ones (needs --out).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Output directory of the crate generated from --spec.
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// Package name of the crate generated from --spec (default: derived from the spec file name).
    #[arg(long, requires = "spec")]
    crate_name: Option<String>,
    /// Treat warnings about the spec as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Do not print warnings.
    #[arg(long, short)]
    quiet: bool,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn crate_name_from(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_owned();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "api-");
    }
    name
}

pub fn run(args: GenArgs) -> anyhow::Result<ExitCode> {
    let jobs = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let display = spec.to_string_lossy().into_owned();
            let crate_name = args.crate_name.clone().unwrap_or_else(|| crate_name_from(spec));
            let mut config = codegen::Config::new(spec, display.clone(), crate_name);
            config.command = format!("cargo xtask gen --spec {display} --out <dir>");
            vec![codegen::project::Client {
                config,
                out: out.clone(),
                out_display: out.to_string_lossy().into_owned(),
            }]
        }
        _ => codegen::project::load(&repo_root())?,
    };
    // Generate everything in memory before writing anything.
    let mut outputs = Vec::new();
    let mut failed = false;
    for mut job in jobs {
        job.config.deny_warnings = args.deny_warnings;
        match codegen::generate(&job.config) {
            Ok(out) => {
                if !args.quiet {
                    for w in &out.warnings {
                        eprintln!("{w}");
                    }
                }
                outputs.push((job, out));
            }
            Err(e) => {
                eprintln!("error: {e}");
                if let codegen::Error::DeniedWarnings(ws) = &e {
                    for w in ws {
                        eprintln!("{w}");
                    }
                }
                failed = true;
            }
        }
    }
    if failed {
        bail!("generation failed; no file was written");
    }
    let mut drift = false;
    for (job, out) in &outputs {
        let report = codegen::write::sync(&job.out, &out.files, args.check)
            .with_context(|| format!("writing {}", job.out_display))?;
        let verb = if args.check { "is stale" } else { "updated" };
        for (file, change) in &report.changes {
            let what = match (change, args.check) {
                (Change::Added, true) => "missing (would be created)",
                (Change::Modified, true) => "stale (differs from the spec)",
                (Change::Removed, true) => "extra (no longer generated; would be removed)",
                (Change::Added, false) => "created",
                (Change::Modified, false) => "updated",
                (Change::Removed, false) => "removed",
            };
            println!("{}/{file}: {what}", job.out_display);
        }
        if args.check {
            for diff in report.diffs.values() {
                let lines: Vec<&str> = diff.lines().collect();
                for l in lines.iter().take(400) {
                    println!("{l}");
                }
                if lines.len() > 400 {
                    println!("... ({} more diff lines)", lines.len() - 400);
                }
            }
        }
        if args.spec.is_none() && !is_workspace_member(&job.out_display) {
            println!(
                "note: add \"{}\" to `members` in the root Cargo.toml so the crate is built and tested",
                job.out_display
            );
        }
        if report.is_clean() {
            println!(
                "{}: up to date with {} ({} files)",
                job.out_display, job.config.spec_display, report.unchanged
            );
        } else {
            drift = true;
            if !args.check {
                println!(
                    "{}: {} {verb} from {}",
                    job.out_display,
                    report.changes.len(),
                    job.config.spec_display
                );
            }
        }
    }
    if args.check && drift {
        eprintln!("error: generated code is out of date; run `cargo xtask gen` and commit the result");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether the root manifest lists `dir` as a workspace member (a plain text check is enough here).
fn is_workspace_member(dir: &str) -> bool {
    std::fs::read_to_string(repo_root().join("Cargo.toml")).is_ok_and(|m| m.contains(&format!("\"{dir}\"")))
}
