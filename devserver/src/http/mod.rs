//! A small HTTP/1.1 server layer written for this server's needs: it must control every byte it
//! writes (chunk sizes, a stall, a connection dropped after N bytes, a late status line), which
//! a general-purpose server hides. Reading handles keep-alive, `Content-Length` and chunked
//! bodies, and `Expect: 100-continue`; the head is parsed by `httparse`, every part bounded.

mod read;
mod write;

use std::time::Duration;

pub use read::{read_request, ReadError};
pub use write::{write_response, Outcome};

/// The largest request body accepted: the API's 32 MB limit for Messages requests.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// A request, read whole.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// The raw query string (without `?`).
    pub query: String,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The client asked to close the connection after this exchange.
    pub close: bool,
}

impl Request {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a query parameter, percent-decoded, in order.
    pub fn query_params(&self, name: &str) -> Vec<String> {
        self.query
            .split('&')
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(key) == name).then(|| percent_decode(value))
            })
            .collect()
    }

    /// The value of a query parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key) == name).then(|| percent_decode(value))
        })
    }
}

/// Decodes `%XX` escapes and `+` (as in form-encoded queries); bad escapes stay as they are.
fn percent_decode(text: &str) -> String {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte)
            .to_digit(16)
            .and_then(|digit| u8::try_from(digit).ok())
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, byte) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response: status, headers and a body, plus how to deliver its bytes.
pub struct Response {
    pub status: u16,
    /// Headers other than `content-length`/`transfer-encoding`, which the writer sets.
    pub headers: Vec<(String, String)>,
    pub body: Body,
    pub delivery: Delivery,
}

/// The body of a response.
pub enum Body {
    /// Sent with `Content-Length`.
    Full(Vec<u8>),
    /// Server-Sent Events, sent chunked; each piece is one event's bytes.
    Events(Vec<Piece>),
}

/// One SSE event's bytes and the output tokens it carries (for pacing).
#[derive(Clone, Debug)]
pub struct Piece {
    pub bytes: Vec<u8>,
    pub tokens: usize,
}

/// How the bytes of a response go out: pacing and the byte-level faults.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    /// Wait this long before the status line.
    pub slow_headers: Option<Duration>,
    /// Close the connection after this many body bytes.
    pub drop_after: Option<usize>,
    /// Send nothing for this long in the middle of the body.
    pub stall: Option<Duration>,
    /// Stream output tokens at this rate.
    pub tokens_per_second: Option<f64>,
    /// Seeds the choice of write sizes, so a given request id always splits the same way.
    pub seed: u64,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, body: &impl serde::Serialize) -> Self {
        let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Full(bytes),
            delivery: Delivery::default(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Sets a header, replacing any of the same name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(key, _)| key != name);
        self.headers.push((name.to_owned(), value.into()));
    }
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        529 => "Site Overloaded",
        _ => "Unknown",
    }
}

/// Runs a future to completion on a fresh runtime (unit tests; no `tokio::test` macro, so the
/// build needs no proc-macro crate from tokio).
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query_values() {
        assert_eq!(percent_decode("a%20b+c%2F"), "a b c/");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        let request = Request {
            method: "GET".into(),
            path: "/v1/models".into(),
            query: "limit=2&after_id=claude%2Dx".into(),
            headers: vec![],
            body: vec![],
            close: false,
        };
        assert_eq!(request.query_param("after_id").as_deref(), Some("claude-x"));
        assert_eq!(request.query_param("limit").as_deref(), Some("2"));
        assert_eq!(request.query_param("before_id"), None);
    }
}
