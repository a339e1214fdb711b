//! `cargo xtask gen`: regenerate the configured clients, check them for drift, or generate any spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use codegen::write::Change;
use codegen::Location;

pub const LONG_ABOUT: &str = "\
Without --spec, regenerates every client listed in clients.toml at the repository root
(today: specs/modbox.yaml -> generated/, crate `modbox`) and lists the files that changed.
Clients marked `test = true` there (the repository's own test clients) are regenerated and
checked like the others, but their warnings and up-to-date lines are shown only with --verbose.

With --spec PATH --out DIR, writes a complete standalone crate (Cargo.toml included) for any
OpenAPI 3.0/3.1 spec, YAML or JSON.

--check writes nothing: it names every stale, missing or extra file, prints a diff, and exits
with status 2 if anything differs. CI runs `cargo xtask gen --check`.

Files are only written after the whole crate was generated in memory, each atomically; files that
carry the generated-file header but are no longer produced are removed; other files are left alone.

Every error and warning names the spec file, a JSON pointer into it and the line and column, and
shows the lines of the spec it is about.

Before writing (and with --check), each crate whose directory has an API.md gets a change report:
the new API surface against the committed one, every change breaking or additive with its JSON
pointer, and a suggested semver bump. --deny-breaking turns breaking changes into an error. --report adds the \"lost in translation\" report: every
place, by JSON pointer, where the generated code means less than the spec (ignored `not`,
constraints the types do not enforce, `serde_json::Value` fallbacks, callbacks without a method).

Exit status:
  0  success (or no drift with --check)
  1  the spec could not be read or generated, --deny-warnings saw a warning, or --deny-breaking saw
     a breaking API change (without --allow-breaking); nothing was written
  2  drift found by --check
  3  the files could not be written (I/O error) or the generator failed internally; files already
     on disk are left as they were";

#[derive(Args)]
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
    /// With --spec: no cargo feature per operation tag (every operation always compiled). For the
    /// configured clients, `tag-features = false` in clients.toml does the same.
    #[arg(long, requires = "spec")]
    no_tag_features: bool,
    /// With --spec: keep framework-generated names as the spec spells them (FastAPI's
    /// `read_item_items__item_id__get` instead of `read_item`). For the configured clients,
    /// `clean-names = false` in clients.toml does the same.
    #[arg(long, requires = "spec")]
    no_clean_names: bool,
    /// Treat warnings about the spec as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Do not print warnings.
    #[arg(long, short)]
    quiet: bool,
    /// Also print the warnings and up-to-date lines of the clients marked `test = true` in
    /// clients.toml (the repository's own test clients, whose specs have warts on purpose).
    #[arg(long, short, conflicts_with = "quiet")]
    verbose: bool,
    /// Also print the "lost in translation" report: every approximation, by JSON pointer.
    #[arg(long)]
    report: bool,
    /// Breaking changes of the API (against the committed API.md) are an error: exit 1, nothing written.
    #[arg(long)]
    deny_breaking: bool,
    /// With --deny-breaking: let breaking changes through (`allow-breaking = true` in clients.toml does
    /// the same for one client).
    #[arg(long)]
    allow_breaking: bool,
}

/// Exit status for a write or internal failure (see the long help).
const EXIT_WRITE_FAILED: u8 = 3;

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
            config.tag_features = !args.no_tag_features;
            config.clean_names = !args.no_clean_names;
            vec![codegen::project::Client {
                config,
                out: out.clone(),
                out_display: out.to_string_lossy().into_owned(),
                test: false,
                allow_breaking: false,
            }]
        }
        _ => codegen::project::load(&repo_root())?,
    };
    // Generate everything in memory before writing anything.
    let mut outputs = Vec::new();
    let mut failed = false;
    let mut internal = false;
    for mut job in jobs {
        job.config.deny_warnings = args.deny_warnings;
        let spec = job.config.spec_display.clone();
        let bytes = match std::fs::read(&job.config.spec_path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {spec}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        match codegen::generate_from_bytes(&job.config, &bytes) {
            Ok(mut out) => {
                if !args.quiet || args.report {
                    out.locate(&spec, &bytes);
                }
                if !args.quiet && (!job.test || args.verbose) {
                    for w in &out.warnings {
                        print_diagnostic(&w.to_string(), &w.location, &spec, &bytes);
                    }
                }
                if args.report {
                    print_report(&job, &out);
                }
                outputs.push((job, out));
            }
            Err(e) => {
                print_diagnostic(&format!("error: {e}"), e.location().unwrap_or(&NOWHERE), &spec, &bytes);
                if let codegen::Error::DeniedWarnings(ws) = &e {
                    for w in ws {
                        print_diagnostic(&w.to_string(), &w.location, &spec, &bytes);
                    }
                }
                internal |= matches!(e, codegen::Error::Internal(_));
                failed = true;
            }
        }
    }
    if failed {
        eprintln!("error: generation failed; no file was written");
        return Ok(ExitCode::from(if internal { EXIT_WRITE_FAILED } else { 1 }));
    }
    // The change report against each committed API.md, before anything is written.
    let mut denied = false;
    for (job, out) in &outputs {
        let Ok(committed) = std::fs::read_to_string(job.out.join("API.md")) else {
            continue;
        };
        let manifest = out.files.get("Cargo.toml").map(String::as_str).unwrap_or_default();
        let new = codegen::emit::surface::entries(&out.api, manifest);
        let changes = codegen::surface_diff::diff(&codegen::surface_diff::parse(&committed), &new);
        if changes.is_empty() {
            continue;
        }
        let on_disk = std::fs::read_to_string(job.out.join("Cargo.toml")).unwrap_or_default();
        let version = codegen::surface_diff::package_version(&on_disk)
            .or_else(|| codegen::surface_diff::package_version(manifest))
            .unwrap_or_default();
        print!(
            "{}",
            codegen::surface_diff::render(&job.out_display, &job.config.spec_display, &changes, &version)
        );
        denied |=
            args.deny_breaking && !args.allow_breaking && !job.allow_breaking && changes.iter().any(|c| c.breaking);
    }
    if denied {
        eprintln!("error: breaking API changes (--deny-breaking); no file was written");
        return Ok(ExitCode::from(1));
    }
    let mut drift = false;
    let mut quiet_test_clients = Vec::new();
    for (job, out) in &outputs {
        let report = match codegen::write::sync(&job.out, &out.files, args.check) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: writing {}: {e}", job.out_display);
                eprintln!("error: {} was left as it was", job.out_display);
                return Ok(ExitCode::from(EXIT_WRITE_FAILED));
            }
        };
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
        if report.is_clean() && job.test && !args.verbose {
            quiet_test_clients.push(job.out_display.as_str());
        } else if report.is_clean() {
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
    if !quiet_test_clients.is_empty() {
        println!(
            "test clients up to date ({}; `--verbose` shows their warnings)",
            quiet_test_clients.join(", ")
        );
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

static NOWHERE: Location = Location {
    file: String::new(),
    pointer: String::new(),
    line_col: None,
};

/// Prints a message and, when it points into `bytes`, the spec's lines around that place.
fn print_diagnostic(message: &str, location: &Location, spec: &str, bytes: &[u8]) {
    eprintln!("{message}");
    if location.file != spec {
        return;
    }
    if let Some((line, col)) = location.line_col {
        eprint!("{}", excerpt(&String::from_utf8_lossy(bytes), line, col));
    }
}

/// Up to two lines of text ending at `line`, with a caret under `col` (both 1-based). Long lines
/// (minified JSON) are cut to a window around the column.
pub fn excerpt(text: &str, line: usize, col: usize) -> String {
    const WIDTH: usize = 100;
    let mut lines: Vec<&str> = text.lines().collect();
    if line == 0 || line > lines.len() + 1 {
        return String::new();
    }
    if line > lines.len() {
        lines.push("<end of file>");
    }
    let gutter = line.to_string().len();
    let mut out = format!("{:gutter$} |\n", "");
    let chars = lines[line - 1].chars().count();
    let start = col.saturating_sub(WIDTH / 2).min(chars.saturating_sub(WIDTH));
    for n in line.saturating_sub(1).max(1)..=line {
        let full = lines[n - 1];
        let cut: String = full.chars().skip(start).take(WIDTH).collect();
        let cut = cut.replace('\t', " ");
        let more = if full.chars().count() > start + WIDTH {
            " ..."
        } else {
            ""
        };
        let less = if start > 0 { "... " } else { "" };
        out.push_str(&format!("{n:>gutter$} | {less}{cut}{more}\n"));
    }
    let ellipsis = if start > 0 { 4 } else { 0 };
    let pad = ellipsis + col.saturating_sub(1).saturating_sub(start);
    out.push_str(&format!("{:gutter$} | {}^\n", "", " ".repeat(pad)));
    out
}

/// The "lost in translation" report: every approximation, grouped by kind, by JSON pointer.
fn print_report(job: &codegen::project::Client, out: &codegen::Output) {
    let mut items: Vec<&codegen::Diagnostic> = out
        .warnings
        .iter()
        .chain(&out.notes)
        .filter(|d| d.approx.is_some())
        .collect();
    items.sort_by(|a, b| (a.approx, &a.location.pointer).cmp(&(b.approx, &b.location.pointer)));
    println!(
        "lost in translation: {} -> {}: {} approximation(s)",
        job.config.spec_display,
        job.out_display,
        items.len()
    );
    let mut current = None;
    for d in items {
        if current != d.approx {
            current = d.approx;
            let n = out
                .warnings
                .iter()
                .chain(&out.notes)
                .filter(|x| x.approx == current)
                .count();
            println!("  {} ({n}):", current.map(codegen::Approx::label).unwrap_or_default());
        }
        let at = match d.location.line_col {
            Some((l, c)) => format!(" (line {l}, column {c})"),
            None => String::new(),
        };
        println!("    #{}{at}: {}", d.location.pointer, d.message);
    }
}
