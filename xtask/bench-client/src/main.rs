//! Client overhead, run by `cargo xtask bench` (in release mode): the same `POST /sandbox-images`
//! calls made through the generated `modbox` client and with plain reqwest + serde, against one
//! loopback server, sequentially and concurrently, in alternating rounds. Prints a Markdown table.
//!
//! Usage: `bench-client [--requests N] [--concurrency C] [--rounds R] [--only generated|plain]`.
//!
//! `--only` runs one client alone and prints its times: run it under
//! `valgrind --tool=callgrind` once per client to compare instruction counts, which a loaded
//! machine does not disturb.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use modbox::types::{SandboxImageCreate, SandboxImageDetail};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const RESPONSE_BODY: &str = r#"{"created_at":"2025-01-02T03:04:05Z","description":null,"enabled":true,"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","image":"python:3.12-slim","is_default":false,"memory_mb":1024,"name":"py312","tag":"latest","updated_at":"2025-01-02T03:04:05Z","workspace_id":"0b7b2b9c-1d2e-4f3a-8b5c-6d7e8f9a0b1c"}"#;

struct Args {
    requests: usize,
    concurrency: usize,
    rounds: usize,
    only: Option<Mode>,
}

fn parse_args() -> Result<Args, BoxError> {
    let mut args = Args {
        requests: 2000,
        concurrency: 16,
        rounds: 7,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        if flag == "--only" {
            args.only = Some(match value.as_str() {
                "generated" => Mode::Generated,
                "plain" => Mode::Plain,
                _ => return Err(format!("--only takes `generated` or `plain`, not `{value}`").into()),
            });
            continue;
        }
        let value: usize = value.parse()?;
        match flag.as_str() {
            "--requests" => args.requests = value.max(1),
            "--concurrency" => args.concurrency = value.max(1),
            "--rounds" => args.rounds = value.max(1),
            _ => return Err(format!("unknown argument `{flag}`").into()),
        }
    }
    Ok(args)
}

/// A minimal HTTP/1.1 keep-alive server on its own threads: reads each request (headers and
/// `content-length` body) and answers with the same prebuilt `201` response.
fn start_server() -> Result<SocketAddr, BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let response: Arc<[u8]> = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{RESPONSE_BODY}",
        RESPONSE_BODY.len()
    )
    .into_bytes()
    .into();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let response = Arc::clone(&response);
            std::thread::spawn(move || {
                let _ = serve_connection(stream, &response);
            });
        }
    });
    Ok(addr)
}

fn serve_connection(mut stream: TcpStream, response: &[u8]) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let (head_end, body_len) = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break (pos + 4, content_length(&buf[..pos]));
            }
            let n = stream.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        while buf.len() < head_end + body_len {
            let n = stream.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf.drain(..head_end + body_len);
        stream.write_all(response)?;
    }
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    Generated,
    Plain,
}

#[derive(Clone)]
struct Clients {
    modbox: modbox::Client,
    plain: reqwest::Client,
    url: Arc<str>,
    body: Arc<SandboxImageCreate>,
}

impl Clients {
    async fn one(&self, mode: Mode) -> Result<(), BoxError> {
        let detail = match mode {
            Mode::Generated => self.modbox.create_sandbox_image(&self.body).send().await?,
            Mode::Plain => {
                let resp = self
                    .plain
                    .post(&*self.url)
                    .header(reqwest::header::AUTHORIZATION, "Bearer bench-token")
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(&*self.body)?)
                    .send()
                    .await?;
                if resp.status().as_u16() != 201 {
                    return Err(format!("unexpected status {}", resp.status()).into());
                }
                let bytes = resp.bytes().await?;
                serde_json::from_slice::<SandboxImageDetail>(&bytes)?
            }
        };
        if detail.name != "py312" {
            return Err("unexpected body".into());
        }
        Ok(())
    }

    async fn sequential(&self, mode: Mode, n: usize) -> Result<Duration, BoxError> {
        let started = Instant::now();
        for _ in 0..n {
            self.one(mode).await?;
        }
        Ok(started.elapsed())
    }

    async fn concurrent(&self, mode: Mode, n: usize, c: usize) -> Result<Duration, BoxError> {
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for worker in 0..c {
            let share = n / c + usize::from(worker < n % c);
            let clients = self.clone();
            tasks.spawn(async move {
                for _ in 0..share {
                    clients.one(mode).await?;
                }
                Ok::<(), BoxError>(())
            });
        }
        while let Some(done) = tasks.join_next().await {
            done??;
        }
        Ok(started.elapsed())
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> Result<(), BoxError> {
    let args = parse_args()?;
    let addr = start_server()?;
    let base = format!("http://{addr}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let clients = Clients {
        modbox: modbox::Client::builder()
            .base_url(&base)?
            .bearer_token("bench-token")
            .build()?,
        // The same request as the generated client's: it also sends `User-Agent` and `Accept`
        // (set once, as default headers, the way a careful hand-written client would).
        plain: reqwest::Client::builder()
            .default_headers(reqwest::header::HeaderMap::from_iter([
                (
                    reqwest::header::USER_AGENT,
                    reqwest::header::HeaderValue::from_static(concat!("modbox/", env!("CARGO_PKG_VERSION"))),
                ),
                (
                    reqwest::header::ACCEPT,
                    reqwest::header::HeaderValue::from_static("application/json, */*;q=0.8"),
                ),
            ]))
            .build()?,
        url: format!("{base}/sandbox-images").into(),
        body: Arc::new(SandboxImageCreate::new("python:3.12-slim", "py312")),
    };
    let (n, c) = (args.requests, args.concurrency);
    let mut seq = [Vec::new(), Vec::new()];
    let mut conc = [Vec::new(), Vec::new()];
    if let Some(mode) = args.only {
        return rt.block_on(async {
            clients.concurrent(mode, n.min(500), c).await?;
            for _ in 0..args.rounds {
                let seq = clients.sequential(mode, n).await?;
                let conc = clients.concurrent(mode, n, c).await?;
                println!("{mode:?}: {n} sequential calls in {seq:?}, {n} concurrent calls in {conc:?}");
            }
            Ok(())
        });
    }
    rt.block_on(async {
        // Warm-up: open the pooled connections and fault in the code paths.
        for mode in [Mode::Generated, Mode::Plain] {
            clients.concurrent(mode, n.min(500), c).await?;
        }
        for round in 0..args.rounds {
            // Alternate which client goes first, so drift over time hits both alike.
            let order = if round % 2 == 0 {
                [Mode::Generated, Mode::Plain]
            } else {
                [Mode::Plain, Mode::Generated]
            };
            for mode in order {
                let i = usize::from(mode == Mode::Plain);
                seq[i].push(clients.sequential(mode, n).await?);
                conc[i].push(clients.concurrent(mode, n, c).await?);
            }
        }
        Ok::<(), BoxError>(())
    })?;
    println!(
        "Client overhead: {n} `POST /sandbox-images` calls (JSON body, bearer auth, JSON response), median of {} alternating rounds, loopback server",
        args.rounds
    );
    println!();
    println!(
        "| pattern | generated client req/s | plain reqwest + serde req/s | time ratio generated/plain | overhead |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for (label, times) in [("sequential", seq), (&format!("concurrent ({c} tasks)"), conc)] {
        let [generated, plain] = times.map(median);
        let ratio = generated.as_secs_f64() / plain.as_secs_f64();
        println!(
            "| {label} | {:.0} | {:.0} | {ratio:.3} | {:+.1}% |",
            n as f64 / generated.as_secs_f64(),
            n as f64 / plain.as_secs_f64(),
            (ratio - 1.0) * 100.0
        );
    }
    Ok(())
}
