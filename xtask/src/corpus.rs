//! `cargo xtask corpus`: generate a crate for every spec of a directory, build them all in one
//! workspace, and report per spec what worked.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;

use crate::features;
use crate::gen::repo_root;
use crate::paging::{self, Paging};

/// Which specs of a directory: shared by `cargo xtask corpus` and `cargo xtask contract`.
#[derive(Args)]
pub struct Selection {
    /// Directory of specs (`.yaml`, `.yml`, `.json`).
    #[arg(default_value = "../shared/corpus/specs")]
    pub dir: PathBuf,
    /// Only these specs (file names with or without extension).
    #[arg(long, num_args = 1..)]
    pub only: Vec<String>,
    /// Skip these specs (file names with or without extension).
    #[arg(long, num_args = 1..)]
    pub exclude: Vec<String>,
}

#[derive(Args)]
pub struct CorpusArgs {
    #[command(flatten)]
    selection: Selection,
    /// Generate only; do not compile.
    #[arg(long)]
    no_build: bool,
    /// Also write the table to this Markdown file (for example COVERAGE.md).
    #[arg(long)]
    write: Option<PathBuf>,
    /// After the build, build each crate that has cargo features per operation tag again with
    /// tag features off, and with single tags: `sample` (the first and the last tag), `all`
    /// (every tag) or `none`.
    #[arg(long, value_enum, default_value_t = TagMode::Sample)]
    tag_features: TagMode,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TagMode {
    None,
    Sample,
    All,
}

struct Row {
    name: String,
    generated: Result<(), String>,
    warnings: usize,
    lines: usize,
    gen_ms: f64,
    compiled: Option<Result<(), String>>,
    rust_warnings: usize,
    /// The number of tag features, and the builds with one tag's feature (or none).
    tag_features: Option<(usize, Vec<TagBuild>)>,
    paging: Paging,
}

/// A build with tag features off but one: the `--features` value and the verdict.
type TagBuild = (String, Result<(), String>);

pub(crate) fn crate_dir_name(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .replace(['.', '_', ' '], "-")
}

pub(crate) fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    if line.len() > 160 {
        let mut cut = 160;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &line[..cut])
    } else {
        line.to_owned()
    }
}

pub fn run(args: CorpusArgs) -> anyhow::Result<ExitCode> {
    let root = repo_root();
    let dir = if args.selection.dir.is_absolute() {
        args.selection.dir.clone()
    } else {
        root.join(&args.selection.dir)
    };
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
        .filter(|p| {
            let named = |list: &[String]| {
                list.iter().any(|o| {
                    p.file_name().is_some_and(|n| n.to_string_lossy() == *o)
                        || p.file_stem().is_some_and(|n| n.to_string_lossy() == *o)
                })
            };
            (args.selection.only.is_empty() || named(&args.selection.only)) && !named(&args.selection.exclude)
        })
        .collect();
    specs.sort();
    anyhow::ensure!(!specs.is_empty(), "no spec matched in {}", dir.display());
    let ws = root.join("target").join("corpus");
    std::fs::create_dir_all(&ws)?;
    let mut rows = Vec::new();
    let total = specs.len();
    for (i, spec) in specs.iter().enumerate() {
        let name = crate_dir_name(spec);
        let display = format!(
            "{}/{}",
            args.selection.dir.display(),
            spec.file_name().unwrap_or_default().to_string_lossy()
        );
        let mut config = codegen::Config::new(spec, display, format!("corpus-{name}"));
        config.command = "cargo xtask corpus".into();
        let started = Instant::now();
        let result = codegen::generate(&config);
        let gen_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut row = Row {
            name: name.clone(),
            gen_ms,
            generated: Ok(()),
            warnings: 0,
            lines: 0,
            compiled: None,
            rust_warnings: 0,
            tag_features: None,
            paging: Paging::default(),
        };
        match result {
            Ok(out) => {
                row.warnings = out.warnings.len();
                row.paging = Paging::of(&out);
                row.lines = out
                    .files
                    .iter()
                    .filter(|(p, _)| p.ends_with(".rs") && !p.contains("/runtime/"))
                    .map(|(_, t)| t.lines().count())
                    .sum();
                codegen::write::sync(&ws.join(&name), &out.files, false).with_context(|| format!("writing {name}"))?;
            }
            Err(e) => row.generated = Err(first_line(&e.to_string())),
        }
        eprintln!(
            "[{:>2}/{total}] {name}: {} ({:.0} ms, {} warnings, {} lines)",
            i + 1,
            if row.generated.is_ok() {
                "generated"
            } else {
                "FAILED to generate"
            },
            row.gen_ms,
            row.warnings,
            row.lines
        );
        rows.push(row);
    }
    if !args.no_build {
        build(&root, &ws, &mut rows, args.tag_features)?;
    }
    let table = render(&rows, !args.no_build);
    print!("{table}");
    let paging_table = paging::render(rows.iter().map(|r| (r.name.as_str(), &r.paging)));
    print!("\n{paging_table}");
    let failed = rows
        .iter()
        .filter(|r| {
            r.generated.is_err()
                || matches!(r.compiled, Some(Err(_)))
                || r.rust_warnings > 0
                || r.tag_features
                    .as_ref()
                    .is_some_and(|(_, checks)| checks.iter().any(|(_, v)| v.is_err()))
        })
        .count();
    let summary = format!("{} passed, {failed} failed", rows.len() - failed);
    if let Some(path) = &args.write {
        let path = if path.is_absolute() {
            path.clone()
        } else {
            root.join(path)
        };
        let doc = format!(
            "# Corpus coverage\n\nWritten by `cargo xtask corpus --write {}` over `{}`: each spec is generated, then all crates are \
             built together (debug, dependencies shared), then each crate with cargo features per operation tag again with \
             the tags off and with single tags (`--tag-features`; by default its first and its last tag). A spec passes when \
             it generates and every build compiles with zero warnings (read from cargo's JSON compiler messages). \
             Generation time is wall-clock for the whole in-memory pipeline on the machine described in BENCHMARKS.md.\n\n{table}\n{summary}\n\n\
             ## Pagination\n\nList operations that got `into_stream()`/`into_pages()`, by shape (see the README's \
             \"Pagination\" section), and those that looked paginated but were left out (listed by `cargo xtask gen \
             --report`). Specs with neither are not listed.\n\n{paging_table}",
            args.write.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            args.selection.dir.display()
        );
        // The `## Contract` section is `cargo xtask contract --write`'s: kept as it is.
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let contract = old.find("\n## Contract\n").map(|at| &old[at..]).unwrap_or_default();
        let doc = format!("{}\n{contract}", doc.trim_end());
        std::fs::write(&path, doc).with_context(|| format!("writing {}", path.display()))?;
    }
    println!("{summary}");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn build(root: &Path, ws: &Path, rows: &mut [Row], tag_mode: TagMode) -> anyhow::Result<()> {
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.generated.is_ok())
        .map(|r| format!("\"{}\"", r.name))
        .collect();
    std::fs::write(
        ws.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
            members.join(", ")
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"))?;
    eprintln!("building {} crates in {} ...", members.len(), ws.display());
    let target = root.join("target").join("corpus-target");
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(["build", "--workspace", "--keep-going", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(ws);
    let report = features::run_build(&mut cmd)?;
    let log_path = ws.join("build.log");
    std::fs::write(&log_path, &report.log)?;
    eprintln!("compiler output: {}", log_path.display());
    for row in rows.iter_mut().filter(|r| r.generated.is_ok()) {
        row.rust_warnings = report.warnings.get(&row.name).copied().unwrap_or(0);
        row.compiled = Some(match report.errors.get(&row.name) {
            Some(e) => Err(e.clone()),
            None if report.success || !report.errors.is_empty() => Ok(()),
            None => Err("cargo build failed (see its output)".into()),
        });
    }
    if tag_mode == TagMode::None {
        return Ok(());
    }
    // Each crate again with tag features off but one: a missing `#[cfg]` is an error, a stray
    // one a warning (unused or dead code).
    let mut log = String::new();
    for row in rows.iter_mut().filter(|r| matches!(r.compiled, Some(Ok(())))) {
        let tags = features::tag_features(&ws.join(&row.name))?;
        if tags.is_empty() {
            continue;
        }
        let sample: Vec<String> = match tag_mode {
            TagMode::All => tags.clone(),
            _ => {
                let mut s: Vec<String> = tags.first().into_iter().chain(tags.last()).cloned().collect();
                s.dedup();
                s
            }
        };
        let mut checks = Vec::new();
        for tag in features::combinations(&sample) {
            let arg = features::feature_arg(tag.as_deref());
            eprintln!("building {} with --no-default-features --features {arg} ...", row.name);
            let package = format!("corpus-{}", row.name);
            let report = features::run_build(&mut features::build_command(ws, Some(&target), &package, &arg))?;
            let verdict = report.verdict(&row.name);
            if verdict.is_err() {
                log.push_str(&report.log);
            }
            checks.push((arg, verdict));
        }
        row.tag_features = Some((tags.len(), checks));
    }
    if !log.is_empty() {
        let path = ws.join("tag-features.log");
        std::fs::write(&path, log)?;
        eprintln!("compiler output of the failed tag-feature builds: {}", path.display());
    }
    Ok(())
}

fn render(rows: &[Row], built: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | generated | compiled | Rust warnings | tag features: builds passed | spec warnings | lines | generation ms |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in rows {
        let generated = match &r.generated {
            Ok(()) => "yes".to_owned(),
            Err(e) => format!("no: {}", e.replace('|', "\\|")),
        };
        let compiled = match (&r.compiled, built) {
            (Some(Ok(())), _) => "yes".to_owned(),
            (Some(Err(e)), _) => format!("no: {}", e.replace('|', "\\|")),
            (None, true) => "-".to_owned(),
            (None, false) => "not built".to_owned(),
        };
        let tags = match &r.tag_features {
            None => "-".to_owned(),
            Some((n, checks)) => {
                let failed: Vec<String> = checks
                    .iter()
                    .filter_map(|(f, v)| v.as_ref().err().map(|e| format!("`{f}`: {}", e.replace('|', "\\|"))))
                    .collect();
                let passed = checks.len() - failed.len();
                let mut cell = format!("{n} features: {passed}/{}", checks.len());
                if !failed.is_empty() {
                    cell.push_str(&format!(" (failed {})", failed.join("; ")));
                }
                cell
            }
        };
        let _ = writeln!(
            out,
            "| {} | {generated} | {compiled} | {} | {tags} | {} | {} | {:.0} |",
            r.name, r.rust_warnings, r.warnings, r.lines, r.gen_ms
        );
    }
    out
}
