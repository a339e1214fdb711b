//! Hardening: the generator against hostile and broken input.
//!
//! - `fuzz`: every seed spec (fixtures, Modbox, the shared corpus) mutated many times, structurally
//!   and byte by byte; generation returns `Ok` or an error located by file, pointer, line and
//!   column, never panics, never overflows the stack and never takes long. `HARDENING_EXECS=N`
//!   with `--ignored` runs the long version (see the README's "Hardening" section).
//! - `adversarial`: hostile names and docs produce exactly the items the spec describes.
//! - `determinism`: bytes do not depend on map order, threads, hash seeds or the environment.
//! - `failpoint`: a write that fails midway leaves the previous `generated/` intact.
//! - `diagnostics`: the xtask's located errors, excerpts, `--deny-warnings`, `--report` and exit codes.

mod adversarial;
mod determinism;
mod diagnostics;
mod failpoint;
mod fuzz;
mod mutate;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The shared corpus, or `None` (with a message) when this checkout has none beside it.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/specs");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping the corpus: {} is absent", dir.display());
        None
    }
}

/// `cargo xtask` with the given arguments, from the repository root, with extra environment.
pub fn xtask(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("cargo runs")
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = root().join("target").join("hardening-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
