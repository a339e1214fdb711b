//! `clients.toml`: which specs become which crates. Shared by `cargo xtask gen` and the drift test.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Config, Error};

/// The file at the repository root that lists the clients.
pub const FILE: &str = "clients.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientsFile {
    client: Vec<ClientEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientEntry {
    spec: String,
    out: String,
    #[serde(rename = "crate")]
    crate_name: String,
    /// One cargo feature per operation tag (default: on).
    #[serde(rename = "tag-features", default = "yes")]
    tag_features: bool,
    /// A client the repository's own tests use (default: no). Its spec exercises warts on purpose,
    /// so `cargo xtask gen` keeps its warnings and up-to-date lines to itself (`--verbose` shows them);
    /// it is regenerated and drift-checked like any other.
    #[serde(default)]
    test: bool,
    /// Shorten framework-generated operation and schema names (default: on).
    #[serde(rename = "clean-names", default = "yes")]
    clean_names: bool,
    /// Breaking API changes pass `cargo xtask gen --deny-breaking` (default: no).
    #[serde(rename = "allow-breaking", default)]
    allow_breaking: bool,
}

fn yes() -> bool {
    true
}

/// One configured client: generate `config` into `out`.
#[derive(Debug, Clone)]
pub struct Client {
    pub config: Config,
    pub out: PathBuf,
    /// `out` as written in the file (relative to the root).
    pub out_display: String,
    /// Used by the repository's own tests (`test = true`): its warnings are deliberate.
    pub test: bool,
    /// `allow-breaking = true`: breaking API changes pass `--deny-breaking`.
    pub allow_breaking: bool,
}

/// Reads `clients.toml` below `root`. Spec and output paths are relative to `root`.
pub fn load(root: &Path) -> Result<Vec<Client>, Error> {
    let path = root.join(FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Io {
        file: FILE.into(),
        source: e,
    })?;
    let file: ClientsFile = toml::from_str(&text).map_err(|e| Error::Parse {
        location: crate::Location::new(FILE, ""),
        format: "TOML",
        message: e.to_string(),
    })?;
    Ok(file
        .client
        .into_iter()
        .map(|c| {
            let mut config = Config::new(root.join(&c.spec), c.spec.clone(), c.crate_name);
            config.tag_features = c.tag_features;
            config.clean_names = c.clean_names;
            Client {
                config,
                out: root.join(&c.out),
                out_display: c.out,
                test: c.test,
                allow_breaking: c.allow_breaking,
            }
        })
        .collect())
}
