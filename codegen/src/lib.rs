//! OpenAPI 3.0 / 3.1 description in, typed Rust client crate out.
//!
//! The pipeline has six named stages, each in its own module:
//! [`load`] (bytes -> JSON tree), [`normalize`] (dialects -> the `openapiv3` model, `$ref` checks),
//! [`lower`] (model -> [`ir`]), [`emit`] (IR -> tokens), [`format`] (tokens -> text) and
//! [`write`] (text -> files, atomically). Only `load` and `write` touch the file system.

pub mod diag;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod project;
pub mod runtime;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diag::{Diagnostic, Error, Location, Severity};

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
        }
    }
}

/// The generated crate, in memory.
#[derive(Debug)]
pub struct Output {
    /// File contents by path relative to the crate directory (`/`-separated, sorted).
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
    pub api: ir::Api,
}

/// Reads the spec named by the config and generates the crate in memory.
pub fn generate(config: &Config) -> Result<Output, Error> {
    let bytes = std::fs::read(&config.spec_path).map_err(|e| Error::Io {
        file: config.spec_display.clone(),
        source: e,
    })?;
    generate_from_bytes(config, &bytes)
}

/// Generates the crate from spec bytes. Never panics on any input; errors name the file and a JSON pointer.
pub fn generate_from_bytes(config: &Config, bytes: &[u8]) -> Result<Output, Error> {
    validate_crate_name(&config.crate_name)?;
    let file = config.spec_display.as_str();
    let mut diags = diag::Diagnostics::new(file);
    let doc = load::parse(file, bytes)?;
    let base_dir = config.spec_path.parent();
    let spec = normalize::normalize(doc, &mut diags, base_dir)?;
    let api = lower::lower(&spec, &mut diags)?;
    let mut files = BTreeMap::new();
    let header = |comment: &str| {
        format!(
            "{comment} This file is {} `{}` from `{}`. Do not edit it by hand.\n",
            write::MARKER,
            config.command,
            config.spec_display
        )
    };
    for f in emit::emit(&api, config) {
        let text = format::format(&f.path, f.tokens)?;
        files.insert(f.path, format!("{}{}", header("//"), text));
    }
    let crate_ident = config.crate_name.replace('-', "_");
    for (name, source) in runtime::FILES {
        let source = runtime::for_crate(source, &crate_ident);
        files.insert(format!("src/runtime/{name}"), format!("{}{source}", header("//")));
    }
    files.insert(
        "Cargo.toml".into(),
        format!("{}{}", header("#"), emit::manifest(&api, config)),
    );
    let warnings = diags.into_vec();
    if config.deny_warnings && !warnings.is_empty() {
        return Err(Error::DeniedWarnings(warnings));
    }
    Ok(Output { files, warnings, api })
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
