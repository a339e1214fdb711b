//! OpenAPI 3.0 / 3.1 description in, typed Rust client crate out.
//!
//! The pipeline has six named stages, each in its own module:
//! [`load`] (bytes -> JSON tree), [`normalize`] (dialects -> the `openapiv3` model, `$ref` checks),
//! [`lower`] (model -> [`ir`]), [`emit`] (IR -> tokens), [`format`] (tokens -> text) and
//! [`write`] (text -> files, atomically). Only `load` and `write` touch the file system.
//! Emit and format run part by part of each file, on one thread per core (`parallel.rs`).

pub mod diag;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
mod parallel;
pub mod project;
pub mod runtime;
pub mod surface_diff;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diag::{Approx, Diagnostic, Error, Location, Severity};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to read the spec from.
    pub spec_path: PathBuf,
    /// How the spec is named in headers and messages (keep it relative so output is machine-independent).
    pub spec_display: String,
    /// The generated crate's package name.
    pub crate_name: String,
    pub crate_version: String,
    /// The command that regenerates the crate, named in every file header.
    pub command: String,
    /// Fail on any warning.
    pub deny_warnings: bool,
    /// One cargo feature per operation tag (when the operations carry two tags or more).
    pub tag_features: bool,
    /// Shorten names a framework generated mechanically (FastAPI's `read_item_items__item_id__get`
    /// -> `read_item`, `Body_read_item_...` -> `ReadItemBody`); wire names never change.
    pub clean_names: bool,
}

impl Config {
    pub fn new(spec_path: impl Into<PathBuf>, spec_display: impl Into<String>, crate_name: impl Into<String>) -> Self {
        Config {
            spec_path: spec_path.into(),
            spec_display: spec_display.into(),
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            command: "cargo xtask gen".into(),
            deny_warnings: false,
            tag_features: true,
            clean_names: true,
        }
    }
}

/// The generated crate, in memory.
#[derive(Debug)]
pub struct Output {
    /// File contents by path relative to the crate directory (`/`-separated, sorted).
    pub files: BTreeMap<String, String>,
    /// Warnings, without line and column (see [`Output::locate`]).
    pub warnings: Vec<Diagnostic>,
    /// Approximations not worth a warning (dropped constraints, ...): the report lists them.
    pub notes: Vec<Diagnostic>,
    pub api: ir::Api,
}

impl Output {
    /// Fills in the line and column of every warning and note from the spec's bytes. Kept out of
    /// generation itself, so the extra scan of the text is only paid for messages that are shown.
    pub fn locate(&mut self, spec_display: &str, bytes: &[u8]) {
        let all = self.warnings.iter_mut().chain(self.notes.iter_mut());
        load::locate::locate_all(spec_display, bytes, all.map(|d| &mut d.location));
    }
}

/// Reads the spec named by the config and generates the crate in memory.
pub fn generate(config: &Config) -> Result<Output, Error> {
    let bytes = std::fs::read(&config.spec_path).map_err(|e| Error::Io {
        file: config.spec_display.clone(),
        source: e,
    })?;
    generate_from_bytes(config, &bytes)
}

/// Wall-clock time of each in-memory stage of one generation (the `write` stage is the caller's).
/// Emit and format run together, part by part on several threads: their shares of that wall-clock
/// time are in proportion to the thread time each took.
#[derive(Debug, Default, Clone, Copy)]
pub struct StageTimes {
    pub load: std::time::Duration,
    pub normalize: std::time::Duration,
    pub lower: std::time::Duration,
    pub emit: std::time::Duration,
    pub format: std::time::Duration,
    /// Of `emit`: computing and rendering `API.md`.
    pub surface: std::time::Duration,
}

/// Generates the crate from spec bytes. Never panics on any input; errors name the file and a JSON pointer.
pub fn generate_from_bytes(config: &Config, bytes: &[u8]) -> Result<Output, Error> {
    generate_timed(config, bytes).map(|(out, _)| out)
}

/// Gives an error about the spec the line and column of its pointer (errors are few and always shown).
fn locate_error(config: &Config, bytes: &[u8], mut e: Error) -> Error {
    match &mut e {
        Error::DeniedWarnings(ws) => load::locate::locate_diagnostics(&config.spec_display, bytes, ws),
        other => {
            if let Some(l) = other.location_mut() {
                load::locate::locate_all(&config.spec_display, bytes, [l]);
            }
        }
    }
    e
}

/// [`generate_from_bytes`], also reporting how long each stage took (for `cargo xtask bench`).
pub fn generate_timed(config: &Config, bytes: &[u8]) -> Result<(Output, StageTimes), Error> {
    generate_inner(config, bytes, Split::default()).map_err(|e| locate_error(config, bytes, e))
}

/// How emit and format are split into parts and threads. The output does not depend on it
/// (tests vary it to show that); `None` means the default.
#[derive(Debug, Default, Clone, Copy)]
struct Split {
    threads: Option<usize>,
    per_part: Option<usize>,
}

fn generate_inner(config: &Config, bytes: &[u8], split: Split) -> Result<(Output, StageTimes), Error> {
    use std::time::Instant;
    validate_crate_name(&config.crate_name)?;
    let mut times = StageTimes::default();
    let file = config.spec_display.as_str();
    let mut diags = diag::Diagnostics::new(file);
    let t = Instant::now();
    let doc = load::parse(file, bytes)?;
    times.load = t.elapsed();
    let t = Instant::now();
    let base_dir = config.spec_path.parent();
    let spec = normalize::normalize(doc, &mut diags, base_dir)?;
    times.normalize = t.elapsed();
    let t = Instant::now();
    let mut api = lower::lower(
        &spec,
        &mut diags,
        lower::Options {
            clean_names: config.clean_names,
        },
    )?;
    drop(spec);
    if !config.tag_features {
        api.tag_features = None;
    }
    times.lower = t.elapsed();
    let t = Instant::now();
    let manifest = emit::manifest(&api, config);
    times.emit = t.elapsed();
    let threads = split.threads.unwrap_or_else(|| parallel::default_threads(&api));
    let rendered = parallel::render(&api, config, threads, split.per_part)?;
    times.emit += rendered.emit;
    times.format = rendered.format;
    let header = |comment: &str| {
        format!(
            "{comment} This file is {} `{}` from `{}`. Do not edit it by hand.\n",
            write::MARKER,
            config.command,
            config.spec_display
        )
    };
    let mut files = BTreeMap::new();
    for (path, text) in rendered.files {
        files.insert(path.to_owned(), format!("{}{text}", header("//")));
    }
    let crate_ident = config.crate_name.replace('-', "_");
    for (name, source) in runtime::FILES {
        let source = runtime::for_crate(source, &crate_ident);
        files.insert(format!("src/runtime/{name}"), format!("{}{source}", header("//")));
    }
    let t = Instant::now();
    let surface = emit::surface::render(&config.crate_name, &emit::surface::entries(&api, &manifest));
    times.surface = t.elapsed();
    times.emit += times.surface;
    let md_header = header("<!--");
    files.insert("API.md".into(), format!("{} -->\n{surface}", md_header.trim_end()));
    files.insert("Cargo.toml".into(), format!("{}{manifest}", header("#")));
    let (warnings, notes) = diags.into_parts();
    if config.deny_warnings && !warnings.is_empty() {
        return Err(Error::DeniedWarnings(warnings));
    }
    Ok((
        Output {
            files,
            warnings,
            notes,
            api,
        },
        times,
    ))
}

fn validate_crate_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::Internal(format!(
            "`{name}` is not a valid crate name (ASCII letters, digits, `-`, `_`; starting with a letter)"
        )))
    }
}

/// Test hook: `CODEGEN_FAILPOINT=<name>` makes the named step fail, to prove failures leave no trace.
pub(crate) fn failpoint(name: &str) -> Result<(), Error> {
    match std::env::var("CODEGEN_FAILPOINT") {
        Ok(v) if v == name => Err(Error::Internal(format!("failpoint `{name}` triggered"))),
        _ => Ok(()),
    }
}
