//! The stream benchmark's loopback server: `sse-writer BODY_FILE CHUNKING WRITES`. Native so
//! that what it costs is the system calls alone (a Node server spent more CPU in JS than the
//! client it fed). Listens on 127.0.0.1 (a free port), prints `{"port":N,"bytes":N}` once ready,
//! answers `GET /health` with `ok` and every `POST /v1/messages` with the body file as
//! `text/event-stream`, chunked transfer encoding like the API, one HTTP chunk per piece. WRITES
//! `piece` is one `writev` per chunk, with `TCP_NODELAY` so each piece leaves as it is written;
//! `coalesced` writes the same chunks in 64 KiB blocks (what a server does that buffers its
//! writes). CHUNKING `64k` is 65 536-byte pieces; `tiny` is 1–7 bytes from the same xorshift as
//! `chunkSizes` in bench/js/synthetic.mjs, so both transports cut alike. Exits when its stdin
//! ends. Built by bench/js/sse-server.mjs with plain rustc (std only).
use std::io::{self, IoSlice, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::{env, fs, process, thread};

/// The next piece size of a chunking, as `chunkSizes` in bench/js/synthetic.mjs.
enum Pieces {
    Fixed(usize),
    Tiny(u32),
}

impl Pieces {
    fn new(chunking: &str) -> Option<Pieces> {
        match chunking {
            "64k" => Some(Pieces::Fixed(65_536)),
            "tiny" => Some(Pieces::Tiny(0x9e37_79b9)),
            _ => None,
        }
    }

    fn next_size(&mut self) -> usize {
        match self {
            Pieces::Fixed(size) => *size,
            Pieces::Tiny(x) => {
                *x ^= *x << 13;
                *x ^= *x >> 17;
                *x ^= *x << 5;
                1 + (*x % 7) as usize
            }
        }
    }
}

const SSE_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\
request-id: req_bench\r\ntransfer-encoding: chunked\r\nconnection: keep-alive\r\n\r\n";
const HEALTH: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok";
const NOT_FOUND: &[u8] =
    b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 73\r\n\r\n\
{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"not found\"}}";

/// Writes every slice whole: one `writev` when the socket takes it all (the usual case).
fn write_all_vectored(stream: &mut TcpStream, parts: &[&[u8]]) -> io::Result<()> {
    let mut skip = 0; // bytes of `parts` already written
    let total: usize = parts.iter().map(|p| p.len()).sum();
    while skip < total {
        let mut slices = Vec::with_capacity(parts.len());
        let mut offset = skip;
        for part in parts {
            if offset >= part.len() {
                offset -= part.len();
            } else {
                slices.push(IoSlice::new(&part[offset..]));
                offset = 0;
            }
        }
        match stream.write_vectored(&slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => skip += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// How the HTTP chunks go to the socket.
#[derive(Clone, Copy)]
enum Writes {
    /// One `writev` of size line, piece and CRLF per chunk.
    Piece,
    /// Chunks gathered into 64 KiB blocks, one `write` per block.
    Coalesced,
}

const BLOCK: usize = 64 * 1024;

/// The body as HTTP chunks of the chunking's sizes, then the last chunk.
fn send_stream(
    stream: &mut TcpStream,
    body: &[u8],
    pieces: &mut Pieces,
    writes: Writes,
) -> io::Result<()> {
    stream.write_all(SSE_HEAD)?;
    let mut block = Vec::with_capacity(BLOCK + 64);
    let mut at = 0;
    while at < body.len() {
        let end = body.len().min(at + pieces.next_size());
        let size_line = format!("{:x}\r\n", end - at);
        match writes {
            Writes::Piece => {
                write_all_vectored(stream, &[size_line.as_bytes(), &body[at..end], b"\r\n"])?
            }
            Writes::Coalesced => {
                block.extend_from_slice(size_line.as_bytes());
                block.extend_from_slice(&body[at..end]);
                block.extend_from_slice(b"\r\n");
                if block.len() >= BLOCK {
                    stream.write_all(&block)?;
                    block.clear();
                }
            }
        }
        at = end;
    }
    block.extend_from_slice(b"0\r\n\r\n");
    stream.write_all(&block)
}

/// The end of the head (after `\r\n\r\n`) and its Content-Length, once the head is all in `buf`.
fn parse_head(buf: &[u8]) -> Option<(usize, &str, usize)> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[..end]).unwrap_or("");
    let request_line = head.lines().next().unwrap_or("");
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    Some((end, request_line, length))
}

/// Serves one keep-alive connection until the client closes it or goes away mid-stream.
fn serve(mut stream: TcpStream, body: &[u8], chunking: &str, writes: Writes) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    let mut read = [0u8; 16 * 1024];
    loop {
        let Some((head_end, request_line, length)) = parse_head(&buf) else {
            let n = stream.read(&mut read)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&read[..n]);
            continue;
        };
        // Read the request body first, as a real server does, then answer.
        if buf.len() < head_end + length {
            let n = stream.read(&mut read)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&read[..n]);
            continue;
        }
        let mut words = request_line.split(' ');
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let path = path.split('?').next().unwrap_or("");
        match (method, path) {
            ("GET", "/health") => stream.write_all(HEALTH)?,
            ("POST", "/v1/messages") => {
                // Every response is cut at the same places.
                let mut pieces = Pieces::new(chunking).expect("chunking checked at start");
                send_stream(&mut stream, body, &mut pieces, writes)?
            }
            _ => stream.write_all(NOT_FOUND)?,
        }
        buf.drain(..head_end + length);
    }
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let usage = "usage: sse-writer BODY_FILE 64k|tiny piece|coalesced";
    let (Some(path), Some(chunking), Some(writes)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("{usage}");
        process::exit(2);
    };
    let writes = match writes.as_str() {
        "piece" => Writes::Piece,
        "coalesced" => Writes::Coalesced,
        _ => {
            eprintln!("{usage}");
            process::exit(2);
        }
    };
    if Pieces::new(chunking).is_none() {
        eprintln!("sse-writer: unknown chunking {chunking} (64k or tiny)");
        process::exit(2);
    }
    let body: &'static [u8] = match fs::read(path) {
        Ok(bytes) => bytes.leak(),
        Err(e) => {
            eprintln!("sse-writer: cannot read {path}: {e}");
            process::exit(2);
        }
    };
    let chunking: &'static str = chunking.clone().leak();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    println!("{{\"port\":{port},\"bytes\":{}}}", body.len());
    // The harness ends this process by closing its stdin; never outlive it.
    thread::spawn(|| {
        let _ = io::copy(&mut io::stdin(), &mut io::sink());
        process::exit(0);
    });
    for stream in listener.incoming().flatten() {
        thread::spawn(move || {
            // A client that goes away mid-stream (the warm request's abort) is not an error.
            let _ = serve(stream, body, chunking, writes);
        });
    }
}
