//! `cargo xtask contract`: contract tests against Stoplight Prism, a mock server nobody here wrote
//! that serves responses from a spec and rejects requests that violate it.
//!
//! For each configured spec: generate the client crate and a driver binary
//! (`codegen::emit::contract::contract_driver`) into `target/contract/<name>/`, build them all in
//! one workspace, start Prism on loopback, run the driver (one call per operation), stop Prism.

mod roundtrip;

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use clap::Args;

use crate::gen::repo_root;

/// An operation left out of a spec's run, and why. Every exclusion is printed on each run.
struct Skip {
    fn_name: &'static str,
    reason: &'static str,
}

struct Spec {
    /// Directory and crate name stem under `target/contract/`.
    name: &'static str,
    /// Relative to the repository root.
    path: &'static str,
    skip: &'static [Skip],
    /// Call only the paginated operations (through `into_pages()`): how a large spec's
    /// paginators are exercised without running all of its operations.
    paginated_only: bool,
}

const PRISM_COMMA_CRASH: &str = "Prism 5.x crashes (TypeError: value.split is not a function) on a path parameter \
     whose serialized value contains a comma, which OpenAPI requires here; stoplightio/prism#2710";

const PRISM_DELIMITED_OBJECT_CRASH: &str = "Prism 5.x crashes (Error: Space/pipe/comma.. delimited style is only \
     applicable to array parameter) on the operation's `spaceDelimited`/`pipeDelimited` object parameter, a style \
     OpenAPI defines for objects too";

const PRISM_MULTIPART_ENCODING_CRASH: &str = "Prism 5.x crashes (Error: Space/pipe/comma.. delimited style is only \
     applicable to array parameter) on this multipart body: it applies the `encoding` entries' \
     `spaceDelimited`/`pipeDelimited` style, which OpenAPI defines for form-urlencoded bodies only, to non-array parts";

const PRISM_OWN_PATTERN: &str = "Prism 5.x generates a mock response whose strings violate the spec's own `pattern` \
     and then rejects that response itself (500, `--errors`); nothing the client sent or decoded";

const BOX_EXAMPLE_NOT_ITS_SCHEMA: &str = "the spec's own example of `Collaboration.created_by` is an array where its \
     schema is an object (`User--Collaborations`); Prism returns the example verbatim, so no client can decode it";

const SPECS: &[Spec] = &[
    Spec {
        name: "modbox",
        path: "specs/modbox.yaml",
        skip: &[],
        paginated_only: false,
    },
    Spec {
        name: "swagger-petstore3-30",
        path: "../shared/corpus/specs/swagger-petstore3-30.yaml",
        skip: &[],
        paginated_only: false,
    },
    Spec {
        name: "oai-tictactoe-31",
        path: "../shared/corpus/specs/oai-tictactoe-31.yaml",
        skip: &[],
        paginated_only: false,
    },
    Spec {
        name: "redocly-museum-31",
        path: "../shared/corpus/specs/redocly-museum-31.yaml",
        skip: &[],
        paginated_only: false,
    },
    Spec {
        name: "oai-petstore-expanded-30",
        path: "../shared/corpus/specs/oai-petstore-expanded-30.yaml",
        skip: &[],
        paginated_only: false,
    },
    Spec {
        name: "readme-parameters-style-31",
        path: "../shared/corpus/specs/readme-parameters-style-31.yaml",
        // Non-exploded object path parameters serialize as `name,value` in every style.
        skip: &[
            Skip {
                fn_name: "paths_standard",
                reason: PRISM_COMMA_CRASH,
            },
            Skip {
                fn_name: "paths_matrix_non_exploded",
                reason: PRISM_COMMA_CRASH,
            },
            Skip {
                fn_name: "paths_label_non_exploded",
                reason: PRISM_COMMA_CRASH,
            },
            Skip {
                fn_name: "paths_simple_non_exploded",
                reason: PRISM_COMMA_CRASH,
            },
            Skip {
                fn_name: "query_space_delimited_non_exploded",
                reason: PRISM_DELIMITED_OBJECT_CRASH,
            },
            Skip {
                fn_name: "query_pipe_delimited_non_exploded",
                reason: PRISM_DELIMITED_OBJECT_CRASH,
            },
            Skip {
                fn_name: "form_data_space_delimited_non_exploded",
                reason: PRISM_MULTIPART_ENCODING_CRASH,
            },
            Skip {
                fn_name: "form_data_pipe_delimited_non_exploded",
                reason: PRISM_MULTIPART_ENCODING_CRASH,
            },
        ],
        paginated_only: false,
    },
    // A second large spec: its 51 paginators (41 cursor: `marker`/`next_marker` and `entries`, 10
    // offset/limit), two pages each.
    Spec {
        name: "box-api-30",
        path: "../shared/corpus/specs/box-api-30.json",
        skip: &[
            Skip {
                fn_name: "get_files_id_collaborations",
                reason: BOX_EXAMPLE_NOT_ITS_SCHEMA,
            },
            Skip {
                fn_name: "get_folders_id_collaborations",
                reason: BOX_EXAMPLE_NOT_ITS_SCHEMA,
            },
            Skip {
                fn_name: "get_collaborations",
                reason: BOX_EXAMPLE_NOT_ITS_SCHEMA,
            },
            Skip {
                fn_name: "get_groups_id_collaborations",
                reason: BOX_EXAMPLE_NOT_ITS_SCHEMA,
            },
        ],
        paginated_only: true,
    },
    // A large spec: its 43 cursor paginators (`page_token`, `items`/`next_page`), two pages each.
    Spec {
        name: "progenitor-nexus",
        path: "../shared/corpus/specs/progenitor-nexus.json",
        skip: &[
            Skip {
                fn_name: "role_list",
                reason: PRISM_OWN_PATTERN,
            },
            Skip {
                fn_name: "timeseries_schema_get",
                reason: PRISM_OWN_PATTERN,
            },
            Skip {
                fn_name: "system_component_version_list",
                reason: PRISM_OWN_PATTERN,
            },
            Skip {
                fn_name: "update_deployments_list",
                reason: PRISM_OWN_PATTERN,
            },
            Skip {
                fn_name: "system_update_list",
                reason: PRISM_OWN_PATTERN,
            },
        ],
        paginated_only: true,
    },
];

#[derive(Args)]
#[command(long_about = "\
Runs the contract tests: for each configured spec (specs/modbox.yaml and corpus specs), generates the
client and a driver that calls every operation once, starts Stoplight Prism (`prism mock --errors`,
static examples) on 127.0.0.1, and checks that Prism accepted every request and every response
decoded into its typed model. Prism comes from `npm ci --prefix tests/prism` (pinned by its
lockfile). Prints one line per operation, `<spec>: N passed, M failed, K skipped` per spec and
`contract: N passed, M failed, K skipped` overall.

Exit status: 0 when every operation passed, 1 otherwise (or when Prism is not installed).")]
pub struct ContractArgs {
    /// Only these specs (names as printed, e.g. `modbox`).
    #[arg(long, num_args = 1..)]
    only: Vec<String>,
    /// The Prism executable (default: tests/prism/node_modules/.bin/prism).
    #[arg(long)]
    prism: Option<PathBuf>,
}

/// The pinned Prism that `npm ci --prefix tests/prism` installs.
pub fn prism_bin(root: &Path) -> PathBuf {
    root.join("tests/prism/node_modules/.bin/prism")
}

pub fn run(args: ContractArgs) -> anyhow::Result<ExitCode> {
    let root = repo_root();
    let prism = args.prism.clone().unwrap_or_else(|| prism_bin(&root));
    if !prism.exists() {
        bail!(
            "{} not found: install the pinned Prism with `npm ci --prefix tests/prism` (needs node and npm)",
            prism.display()
        );
    }
    let specs: Vec<&Spec> = SPECS
        .iter()
        .filter(|s| args.only.is_empty() || args.only.iter().any(|o| o == s.name))
        .collect();
    if specs.is_empty() {
        bail!("no configured spec matches {:?}", args.only);
    }
    let ws = root.join("target").join("contract");
    std::fs::create_dir_all(&ws).with_context(|| format!("creating {}", ws.display()))?;
    for spec in &specs {
        generate(&root, &ws, spec)?;
    }
    write_workspace(&root, &ws, &specs)?;
    let target = root.join("target").join("contract-target");
    eprintln!("building {} contract drivers in {} ...", specs.len(), ws.display());
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--workspace", "--bins", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&ws)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("the contract drivers did not build (see the compiler output above)");
    }
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for spec in &specs {
        let driver = target.join("debug").join(format!("contract-{}-driver", spec.name));
        let counts = run_spec(&root, &ws, &prism, &driver, spec)?;
        passed += counts.0;
        failed += counts.1;
        skipped += counts.2;
    }
    println!("contract: {passed} passed, {failed} failed, {skipped} skipped");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn generate(root: &Path, ws: &Path, spec: &Spec) -> anyhow::Result<()> {
    let crate_name = format!("contract-{}", spec.name);
    let mut config = codegen::Config::new(root.join(spec.path), spec.path, crate_name.clone());
    config.command = "cargo xtask contract".into();
    let out = codegen::generate(&config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = ws.join(spec.name);
    codegen::write::sync(&dir.join("client"), &out.files, false)
        .with_context(|| format!("writing {}", dir.join("client").display()))?;
    let mut api = out.api.clone();
    if spec.paginated_only {
        api.operations.retain(|op| op.pagination.is_some());
    }
    let main = codegen::emit::contract::contract_driver(&api, &crate_name.replace('-', "_"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let header = format!(
        "// This file is {} `cargo xtask contract` from `{}`. Do not edit it by hand.\n",
        codegen::write::MARKER,
        spec.path
    );
    let mut files = std::collections::BTreeMap::new();
    files.insert("src/main.rs".to_owned(), format!("{header}{main}"));
    files.insert(
        "Cargo.toml".to_owned(),
        format!(
            "# This file is {marker} `cargo xtask contract`. Do not edit it by hand.\n\
             [package]\nname = \"{crate_name}-driver\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{crate_name} = {{ path = \"../client\", features = [\"serde-all\"] }}\n\
             chrono = {{ version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             futures-util = {{ version = \"0.3\", default-features = false }}\n\
             reqwest = {{ version = \"0.12\", default-features = false }}\n\
             serde = \"1.0.200\"\nserde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"time\"] }}\n\
             uuid = {{ version = \"1\", features = [\"serde\"] }}\n",
            marker = codegen::write::MARKER
        ),
    );
    codegen::write::sync(&dir.join("driver"), &files, false)
        .with_context(|| format!("writing {}", dir.join("driver").display()))?;
    Ok(())
}

/// One workspace for every driver, with the repository's lock file and build profiles, so that the
/// dependency versions are the ones the tests use.
fn write_workspace(root: &Path, ws: &Path, specs: &[&Spec]) -> anyhow::Result<()> {
    let members: Vec<String> = specs
        .iter()
        .flat_map(|s| [format!("\"{}/client\"", s.name), format!("\"{}/driver\"", s.name)])
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask contract`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        members.join(", ")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest).context("writing the contract workspace manifest")?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

/// Prism, killed when dropped (also when the run fails half-way).
struct Prism {
    child: Child,
    log: PathBuf,
}

impl Prism {
    fn start(prism: &Path, spec: &Path, port: u16, log: PathBuf, root: &Path) -> anyhow::Result<Prism> {
        let out = std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone()?;
        let child = Command::new(prism)
            .args(["mock", "--errors", "--dynamic=false", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
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

    fn crashed(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!(
                "Prism exited with {status} during the run:\n{}",
                self.log_tail()
            )),
            _ => None,
        }
    }

    fn log_tail(&self) -> String {
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

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("finding a free loopback port")?;
    Ok(listener.local_addr()?.port())
}

fn run_spec(root: &Path, ws: &Path, prism: &Path, driver: &Path, spec: &Spec) -> anyhow::Result<(usize, usize, usize)> {
    println!("\n{} ({})", spec.name, spec.path);
    for s in spec.skip {
        println!("  excluded {}: {}", s.fn_name, s.reason);
    }
    let port = free_port()?;
    let log = ws.join(spec.name).join("prism.log");
    let mut server = Prism::start(prism, &root.join(spec.path), port, log.clone(), root)?;
    let output = Command::new(driver)
        .arg(format!("http://127.0.0.1:{port}"))
        .args(spec.skip.iter().map(|s| s.fn_name))
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {}", driver.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        println!("  {line}");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.trim().is_empty() {
        eprintln!("{stderr}");
    }
    if let Some(crash) = server.crashed() {
        bail!("{}: {crash}", spec.name);
    }
    drop(server);
    let counts = stdout
        .lines()
        .rev()
        .find_map(parse_summary)
        .with_context(|| format!("{}: the driver printed no summary (exit {})", spec.name, output.status))?;
    println!(
        "{}: {} passed, {} failed, {} skipped (Prism log: {})",
        spec.name,
        counts.0,
        counts.1,
        counts.2,
        log.display()
    );
    Ok(counts)
}

/// `N passed, M failed, K skipped`.
fn parse_summary(line: &str) -> Option<(usize, usize, usize)> {
    let mut numbers = line
        .split(", ")
        .map(|part| part.split(' ').next().and_then(|n| n.parse().ok()));
    let (p, f, s) = (numbers.next()??, numbers.next()??, numbers.next()??);
    line.ends_with(" skipped").then_some((p, f, s))
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_line() {
        assert_eq!(super::parse_summary("3 passed, 1 failed, 2 skipped"), Some((3, 1, 2)));
        assert_eq!(super::parse_summary("ok   x: 200 OK decoded"), None);
    }
}
