//! Shared helpers for the end-to-end tests: a raw loopback HTTP server that
//! records requests byte for byte (or misbehaves on purpose), and the address
//! of a port nobody listens on.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How [`RawServer`] answers each connection.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Reads the request, writes these bytes, closes.
    Respond(String),
    /// Reads the request and never answers.
    Hang,
    /// Reads the request, promises 1000 bytes of body, sends 10, closes.
    TruncateBody,
    /// Reads the request, writes `head` (status line and headers; `transfer-encoding: chunked` is
    /// added), sends each of `before` as one chunk, then waits until `gate` is notified (if any)
    /// before sending each of `after`. Ends with the terminating chunk when `complete`, else
    /// closes the connection in the middle of the body.
    Chunked(Chunked),
    /// The n-th connection (from 0) behaves as the n-th item, later ones as the last.
    Sequence(Vec<Behaviour>),
    /// The n-th request (from 0) gets the n-th of these responses, the last one repeated after;
    /// `{base}` in a response is replaced by the server's URL.
    Replies(Arc<Replies>),
}

/// See [`Behaviour::Chunked`].
#[derive(Clone, Debug)]
pub struct Chunked {
    pub head: String,
    pub before: Vec<Vec<u8>>,
    pub gate: Option<Arc<tokio::sync::Notify>>,
    pub after: Vec<Vec<u8>>,
    pub complete: bool,
}

impl Chunked {
    /// A complete `200 OK` response of `content_type` whose chunks are all sent at once.
    pub fn ok(content_type: &str, chunks: &[&[u8]]) -> Self {
        Self {
            head: format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\n"),
            before: chunks.iter().map(|c| c.to_vec()).collect(),
            gate: None,
            after: Vec::new(),
            complete: true,
        }
    }
}

async fn write_chunk(stream: &mut TcpStream, chunk: &[u8]) {
    let _ = stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await;
    let _ = stream.write_all(chunk).await;
    let _ = stream.write_all(b"\r\n").await;
    let _ = stream.flush().await;
}

/// The responses of [`Behaviour::Replies`] and how many have been used.
#[derive(Debug)]
pub struct Replies {
    responses: Vec<String>,
    next: AtomicUsize,
}

impl Behaviour {
    /// Answers the requests in order with these complete responses (see [`Behaviour::Replies`]).
    pub fn replies(responses: Vec<String>) -> Self {
        Self::Replies(Arc::new(Replies {
            responses,
            next: AtomicUsize::new(0),
        }))
    }

    /// A complete `HTTP/1.1` response with a JSON body and `connection: close`.
    pub fn json(status_line: &str, body: &str) -> Self {
        Self::Respond(format!(
            "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ))
    }
}

/// One request as it arrived on the socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    /// `POST /sandbox-images HTTP/1.1`
    pub request_line: String,
    /// Header names lower-cased, values as sent, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// Every value of the header `name` (case-insensitive).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The single value of header `name`; panics when it is missing or repeated.
    pub fn header(&self, name: &str) -> &str {
        match self.header_values(name).as_slice() {
            [one] => one,
            other => panic!("expected one `{name}` header, got {other:?} in {self:#?}"),
        }
    }

    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
}

/// A loopback HTTP/1.1 server that records each request exactly as received.
pub struct RawServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (reqs, conns) = (requests.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = conns.fetch_add(1, Ordering::SeqCst);
                let mut this = &behaviour;
                while let Behaviour::Sequence(items) = this {
                    match items.get(n).or(items.last()) {
                        Some(item) => this = item,
                        None => break,
                    }
                }
                tokio::spawn(serve(stream, this.clone(), reqs.clone()));
            }
        });
        Self {
            addr,
            requests,
            connections,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().expect("lock").clone()
    }

    /// The request lines (`GET /x HTTP/1.1`) received so far.
    pub fn request_lines(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.request_line).collect()
    }

    pub fn connection_count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn parse(buf: &[u8], head_end: usize) -> RawRequest {
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    RawRequest {
        request_line,
        headers,
        body: buf[head_end + 4..].to_vec(),
    }
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour, requests: Arc<Mutex<Vec<RawRequest>>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Headers, then as much body as Content-Length announces.
    loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let req = parse(&buf, end);
        let len = req
            .header_values("content-length")
            .first()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if buf.len() >= end + 4 + len {
            requests.lock().expect("lock").push(req);
            break;
        }
    }
    match behaviour {
        Behaviour::Replies(seq) => {
            let n = seq.next.fetch_add(1, Ordering::SeqCst);
            let raw = seq
                .responses
                .get(n)
                .or(seq.responses.last())
                .cloned()
                .unwrap_or_default();
            let base = stream.local_addr().map(|a| format!("http://{a}")).unwrap_or_default();
            let raw = raw.replace("{base}", &base);
            let _ = stream.write_all(raw.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Behaviour::Respond(raw) => {
            let _ = stream.write_all(raw.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Behaviour::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
        Behaviour::TruncateBody => {
            let _ = stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\":\"img",
                )
                .await;
            let _ = stream.flush().await;
            drop(stream);
        }
        // Resolved to an item in `RawServer::start`; an empty sequence closes at once.
        Behaviour::Sequence(_) => {}
        Behaviour::Chunked(c) => {
            let head = format!("{}transfer-encoding: chunked\r\nconnection: close\r\n\r\n", c.head);
            let _ = stream.write_all(head.as_bytes()).await;
            for chunk in &c.before {
                write_chunk(&mut stream, chunk).await;
            }
            if let Some(gate) = &c.gate {
                gate.notified().await;
            }
            for chunk in &c.after {
                write_chunk(&mut stream, chunk).await;
            }
            if c.complete {
                let _ = stream.write_all(b"0\r\n\r\n").await;
                let _ = stream.shutdown().await;
            }
        }
    }
}

/// A loopback URL on which nothing listens (the port was just released), so
/// connecting fails with "connection refused".
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}
