//! The Prism process of one spec's run.

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

/// Prism, killed when dropped (also when the run fails half-way).
pub struct Prism {
    child: Child,
    log: PathBuf,
}

impl Prism {
    /// `prism mock --errors` on 127.0.0.1: static examples, or with `seed` responses generated
    /// from the schemas by that fixed seed (`--dynamic --seed`).
    pub fn start(
        prism: &Path,
        spec: &Path,
        port: u16,
        log: PathBuf,
        root: &Path,
        seed: Option<&str>,
    ) -> anyhow::Result<Prism> {
        let out = std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone()?;
        let mut cmd = Command::new(prism);
        cmd.args(["mock", "--errors", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string());
        match seed {
            // No extra properties: they would only be dropped as unknown fields.
            Some(seed) => cmd.args([
                "--dynamic=true",
                "--json-schema-faker-fillProperties=false",
                "--seed",
                seed,
            ]),
            None => cmd.arg("--dynamic=false"),
        };
        let child = cmd
            .arg(spec)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("starting {}", prism.display()))?;
        let mut server = Prism { child, log };
        server.wait_ready(port)?;
        Ok(server)
    }

    /// Prism prints "Prism is listening" once every route is loaded; the port being open is the
    /// same moment, and checking it needs no log parsing.
    fn wait_ready(&mut self, port: u16) -> anyhow::Result<()> {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(90) {
            if let Some(status) = self.child.try_wait()? {
                bail!("Prism exited with {status} before it was ready:\n{}", self.log_tail());
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("Prism did not listen on {addr} within 90 s:\n{}", self.log_tail())
    }

    pub fn crashed(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!(
                "Prism exited with {status} during the run:\n{}",
                self.log_tail()
            )),
            _ => None,
        }
    }

    pub fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("finding a free loopback port")?;
    Ok(listener.local_addr()?.port())
}
