//! Debug-build time of generated crates: all crates sit in one temporary workspace that shares the
//! repository's `Cargo.lock` (so dependencies resolve as in the repository and are built once); each
//! crate gets one warm-up build, then measured rebuilds of the crate alone after touching it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// One crate's build figures.
#[derive(Debug, Clone, Default)]
pub struct BuildTimes {
    pub warmup: Duration,
    pub rebuilds: Vec<Duration>,
    /// Largest resident set of any process of the measured rebuilds (rustc), in KiB.
    pub peak_kib: Option<u64>,
}

pub struct Workspace {
    pub dir: PathBuf,
    target: PathBuf,
}

impl Workspace {
    /// `target/bench/ws`, with a manifest listing `members` (directory names below it).
    pub fn create(root: &Path, members: &[String]) -> anyhow::Result<Self> {
        let dir = root.join("target").join("bench").join("ws");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
        // The same debug profile as the repository's: line tables for the crate, none for dependencies.
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
                list.join(", ")
            ),
        )?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;
        Ok(Workspace {
            dir,
            target: root.join("target").join("bench-target"),
        })
    }

    /// Warm-up build of `package` (building its dependencies when needed), then `rebuilds` timed
    /// builds of the crate alone, each after touching its `src/lib.rs`.
    /// `features`: built with `--no-default-features --features <features>` instead of the defaults.
    pub fn time_builds(
        &self,
        package: &str,
        crate_dir: &str,
        features: Option<&str>,
        rebuilds: usize,
    ) -> anyhow::Result<BuildTimes> {
        let started = Instant::now();
        self.cargo_build(package, features, None)?;
        let mut times = BuildTimes {
            warmup: started.elapsed(),
            ..BuildTimes::default()
        };
        let lib = self.dir.join(crate_dir).join("src").join("lib.rs");
        let gnu_time = Path::new("/usr/bin/time").exists();
        for _ in 0..rebuilds {
            touch(&lib)?;
            let report = self.dir.join(format!("{crate_dir}.time"));
            let started = Instant::now();
            self.cargo_build(package, features, gnu_time.then_some(report.as_path()))?;
            times.rebuilds.push(started.elapsed());
            if gnu_time {
                let text = std::fs::read_to_string(&report).unwrap_or_default();
                let kib = text.split_whitespace().last().and_then(|s| s.parse::<u64>().ok());
                times.peak_kib = times.peak_kib.max(kib);
            }
        }
        Ok(times)
    }

    /// `cargo build -p package`, non-incremental (a touched crate is compiled from scratch, as in a
    /// clean build of the crate alone); with `time_report`, under GNU time, which writes the
    /// largest resident set of cargo and its children (in KiB) to that file.
    fn cargo_build(&self, package: &str, features: Option<&str>, time_report: Option<&Path>) -> anyhow::Result<()> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = match time_report {
            Some(report) => {
                let mut c = Command::new("/usr/bin/time");
                c.args(["-f", "%M", "-o"]).arg(report).arg(&cargo);
                c
            }
            None => Command::new(&cargo),
        };
        cmd.args(["build", "--quiet", "-p", package]);
        if let Some(f) = features {
            cmd.args(["--no-default-features", "--features", f]);
        }
        let output = cmd
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .context("running cargo build")?;
        anyhow::ensure!(
            output.status.success(),
            "building {package} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(())
    }
}

fn touch(path: &Path) -> anyhow::Result<()> {
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .with_context(|| format!("touching {}", path.display()))
}
