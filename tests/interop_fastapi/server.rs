//! The FastAPI app (`tests/interop/fastapi/app.py`) under uvicorn, started once per test binary on a
//! free loopback port, from the venv at the fixed path `tests/interop/fastapi/.venv`.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long uvicorn may take to import the app and listen; a start-up bound, not an assertion.
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/fastapi")
}

/// The venv's Python, or `None` (after printing `SKIPPED: ...`) when it is missing outside CI.
///
/// # Panics
///
/// On CI (`CI=true`) when the venv is missing: `.ci/run` creates it.
pub fn python() -> Option<PathBuf> {
    let python = app_dir().join(".venv/bin/python");
    if python.exists() {
        return Some(python);
    }
    let hint = "create it with `python3 -m venv tests/interop/fastapi/.venv && \
                tests/interop/fastapi/.venv/bin/pip install --require-hashes --no-deps \
                -r tests/interop/fastapi/requirements.txt`";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "the FastAPI venv is required on CI but {} is missing: {hint}",
            python.display()
        );
    }
    eprintln!(
        "SKIPPED: FastAPI interop tests, because {} is missing; {hint}",
        python.display()
    );
    None
}

/// A running uvicorn. Dropping it kills the process; the one shared by the tests lives in a
/// static (never dropped), so the app also exits when its stdin closes, which happens when the
/// test process ends however it ends.
pub struct Server {
    child: Child,
    _stdin: ChildStdin,
    url: String,
}

impl Server {
    fn start(python: &Path) -> Server {
        // The port is free when asked for; uvicorn binds it right after (a collision fails loudly).
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let mut child = Command::new(python)
            .arg("app.py")
            .arg("serve")
            .arg(port.to_string())
            .current_dir(app_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("uvicorn starts");
        let stdin = child.stdin.take().expect("piped stdin");
        // Uvicorn's log goes to the test output (shown for failing tests).
        let stderr = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[uvicorn] {line}");
            }
        });
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Some(status) = child.try_wait().expect("child status") {
                panic!("uvicorn exited before listening on {addr}: {status}");
            }
            assert!(started.elapsed() < START_TIMEOUT, "uvicorn did not listen on {addr}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Server {
            child,
            _stdin: stdin,
            url: format!("http://{addr}"),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shared server, started by the first test that asks; `None` when skipped.
pub fn shared() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<Server>> = OnceLock::new();
    SERVER.get_or_init(|| python().map(|p| Server::start(&p))).as_ref()
}
