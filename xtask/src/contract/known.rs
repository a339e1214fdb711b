//! `tests/contract/contract.toml`: the fixed sample of specs that `cargo test` runs, and the
//! failures that were looked at: each with its class, the reason, a JSON pointer into the spec for a
//! spec bug and the upstream issue for a Prism bug. A known client failure is still counted as one,
//! but does not fail the run.

use std::path::Path;

use anyhow::{bail, Context as _};
use serde::Deserialize;

/// Who is at fault when an operation fails the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// The generated client sent a request the spec does not allow, or could not read a response
    /// the spec allows.
    Client,
    /// The spec contradicts itself (an example that violates its own schema, say).
    Spec,
    /// The mock server: a crash, or a known limitation.
    Prism,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Client => "client",
            Class::Spec => "spec",
            Class::Prism => "prism",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    pub spec: String,
    /// Operation function names, as the driver prints them.
    pub operations: Vec<String>,
    pub class: Class,
    pub reason: String,
    /// For spec bugs: where in the spec.
    #[serde(default)]
    pub pointer: Option<String>,
    /// For Prism bugs: the upstream issue (`owner/repo#N`), when there is one.
    #[serde(default)]
    pub issue: Option<String>,
    /// Prism's process dies on these operations: they are not called at all (every later call
    /// would fail), and are reported as skipped.
    #[serde(default)]
    pub crashes: bool,
    /// Only in the run with `--dynamic` (schema-generated responses), or only without it.
    #[serde(default)]
    pub dynamic: Option<bool>,
}

impl Known {
    /// `reason (pointer; issue)`.
    pub fn explain(&self) -> String {
        let mut extra = Vec::new();
        if let Some(p) = &self.pointer {
            extra.push(p.clone());
        }
        if let Some(i) = &self.issue {
            extra.push(i.clone());
        }
        if extra.is_empty() {
            self.reason.clone()
        } else {
            format!("{} ({})", self.reason, extra.join("; "))
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractConfig {
    /// The specs `--sample` runs (names as printed).
    pub sample: Vec<String>,
    #[serde(default)]
    pub known: Vec<Known>,
}

impl ContractConfig {
    pub fn load(path: &Path) -> anyhow::Result<ContractConfig> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let config: ContractConfig = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        for k in &config.known {
            if k.class == Class::Spec && k.pointer.is_none() {
                bail!("{}: the spec bug of `{}` needs a `pointer`", path.display(), k.spec);
            }
        }
        Ok(config)
    }

    /// The entry that explains `op` of `spec` in this run.
    pub fn known(&self, spec: &str, op: &str, dynamic: bool) -> Option<&Known> {
        self.known
            .iter()
            .find(|k| k.spec == spec && k.dynamic.is_none_or(|d| d == dynamic) && k.operations.iter().any(|o| o == op))
    }

    /// The operations of `spec` not to call in this run.
    pub fn crashes(&self, spec: &str, dynamic: bool) -> Vec<&str> {
        self.known
            .iter()
            .filter(|k| k.spec == spec && k.crashes && k.dynamic.is_none_or(|d| d == dynamic))
            .flat_map(|k| k.operations.iter().map(String::as_str))
            .collect()
    }
}
