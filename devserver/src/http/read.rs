//! Reading one request from a connection: the head parsed by `httparse`, the body framed by
//! `Content-Length` or chunked. Every part is bounded (head bytes, header count, chunk-size
//! lines, body bytes), and the body is read as it arrives, so a client only costs the memory of
//! the bytes it really sends.

use httparse::Status;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Request, MAX_BODY};

/// The most bytes of request line and headers accepted (and of trailers after a chunked body).
const MAX_HEAD: usize = 64 * 1024;

/// The most header fields one request may carry.
const MAX_HEADERS: usize = 128;

/// The most bytes of one chunk-size line (the size and its extensions).
const MAX_CHUNK_LINE: usize = 4 * 1024;

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection between requests (the normal end of keep-alive).
    Closed,
    /// The connection failed, or closed inside a body.
    Io,
    /// Not HTTP/1.x as this server reads it: answer 400 and close.
    Malformed(&'static str),
    /// The request line and headers (or the trailers) are over [`MAX_HEAD`] bytes or
    /// [`MAX_HEADERS`] fields: answer 431 and close.
    HeadTooLarge,
    /// The body is larger than [`MAX_BODY`]: answer 413 and close.
    TooLarge,
}

impl From<std::io::Error> for ReadError {
    fn from(_: std::io::Error) -> Self {
        Self::Io
    }
}

/// Reads the next request. `Expect: 100-continue` is answered before the body is read.
pub async fn read_request<S>(stream: &mut S) -> Result<Request, ReadError>
where
    S: AsyncBufRead + AsyncWrite + Unpin,
{
    let head = read_head(stream).await?;
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut fields);
    match parsed.parse(&head) {
        Ok(Status::Complete(_)) => {}
        Ok(Status::Partial) => return Err(ReadError::Malformed("incomplete request head")),
        Err(httparse::Error::TooManyHeaders) => return Err(ReadError::HeadTooLarge),
        Err(error) => return Err(ReadError::Malformed(parse_error(error))),
    }
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(ReadError::Malformed("incomplete request head"));
    };
    let mut headers = Vec::with_capacity(parsed.headers.len());
    for field in parsed.headers.iter() {
        let value = std::str::from_utf8(field.value)
            .map_err(|_| ReadError::Malformed("header is not UTF-8"))?;
        headers.push((field.name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: Vec::new(),
        close: false,
    };
    let framing = framing(&request)?;
    let connection = lower(request.header("connection"));
    request.close = match version {
        0 => !connection.contains("keep-alive"),
        _ => connection.contains("close"),
    };
    let expects_body = !matches!(framing, Framing::Length(0));
    if expects_body && lower(request.header("expect")) == "100-continue" {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        stream.flush().await?;
    }
    request.body = match framing {
        Framing::Length(length) => read_exactly(stream, length, Vec::new()).await?,
        Framing::Chunked => read_chunked(stream).await?,
    };
    Ok(request)
}

/// How the body is delimited.
enum Framing {
    Length(usize),
    Chunked,
}

/// The body's framing by RFC 9112 §6: chunked when it is the last transfer coding (any other
/// is refused), else `Content-Length` (copies must agree), else none.
fn framing(request: &Request) -> Result<Framing, ReadError> {
    let field = |name: &'static str| request.headers.iter().filter(move |(key, _)| key == name);
    let codings: Vec<String> = field("transfer-encoding")
        .flat_map(|(_, value)| value.split(','))
        .map(|coding| coding.trim().to_ascii_lowercase())
        .filter(|coding| !coding.is_empty())
        .collect();
    if let Some(last) = codings.last() {
        return match last.as_str() {
            "chunked" => Ok(Framing::Chunked),
            _ => Err(ReadError::Malformed("unsupported transfer-encoding")),
        };
    }
    let mut length = None;
    for text in field("content-length").flat_map(|(_, value)| value.split(',')) {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReadError::Malformed("bad content-length"));
        }
        // All digits: only too many of them fail to parse.
        let value = text.parse::<usize>().map_err(|_| ReadError::TooLarge)?;
        if length.is_some_and(|seen| seen != value) {
            return Err(ReadError::Malformed("conflicting content-length"));
        }
        length = Some(value);
    }
    match length.unwrap_or(0) {
        length if length > MAX_BODY => Err(ReadError::TooLarge),
        length => Ok(Framing::Length(length)),
    }
}

fn lower(value: Option<&str>) -> String {
    value.unwrap_or_default().to_ascii_lowercase()
}

fn parse_error(error: httparse::Error) -> &'static str {
    match error {
        httparse::Error::HeaderName => "bad header name",
        httparse::Error::HeaderValue => "bad header value",
        httparse::Error::NewLine => "bad line ending",
        httparse::Error::Version => "unsupported HTTP version",
        _ => "bad request line",
    }
}

/// The request line and headers up to and with the empty line that ends them (leading empty
/// lines included, as RFC 9112 §2.2 lets a client send them). Reads no byte past the head.
async fn read_head<S: AsyncBufRead + Unpin>(stream: &mut S) -> Result<Vec<u8>, ReadError> {
    let mut head = Vec::new();
    let mut scan = HeadEnd::default();
    loop {
        let available = stream.fill_buf().await?;
        if available.is_empty() {
            return Err(match scan.seen_line {
                false => ReadError::Closed,
                true => ReadError::Malformed("connection closed inside the headers"),
            });
        }
        let room = MAX_HEAD + 1 - head.len();
        let take = available.len().min(room);
        let end = scan.find(&available[..take]);
        let used = end.unwrap_or(take);
        head.extend_from_slice(&available[..used]);
        stream.consume(used);
        if end.is_some() {
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(ReadError::HeadTooLarge);
        }
    }
}

/// Finds the empty line that ends a head, across reads, in one pass over the bytes.
#[derive(Default)]
struct HeadEnd {
    /// A line with content was seen (the request line): empty lines before it are skipped.
    seen_line: bool,
    /// The current line has bytes other than `\r`.
    line_has_content: bool,
}

impl HeadEnd {
    /// The count of `bytes` up to and with the head's last `\n`, if it is among them.
    fn find(&mut self, bytes: &[u8]) -> Option<usize> {
        for (index, &byte) in bytes.iter().enumerate() {
            match byte {
                b'\n' if self.line_has_content => {
                    self.seen_line = true;
                    self.line_has_content = false;
                }
                b'\n' if self.seen_line => return Some(index + 1),
                b'\n' | b'\r' => {}
                _ => self.line_has_content = true,
            }
        }
        None
    }
}

/// Reads `length` more bytes onto `body`, as they arrive (no allocation ahead of the data).
async fn read_exactly<S: AsyncBufRead + Unpin>(
    stream: &mut S,
    length: usize,
    mut body: Vec<u8>,
) -> Result<Vec<u8>, ReadError> {
    let wanted = body.len() + length;
    (&mut *stream)
        .take(length as u64)
        .read_to_end(&mut body)
        .await?;
    if body.len() < wanted {
        return Err(ReadError::Io);
    }
    Ok(body)
}

/// Reads one line with its `\n`, at most `limit` bytes; `None` at the end of the stream.
async fn read_line<S: AsyncBufRead + Unpin>(
    stream: &mut S,
    limit: usize,
) -> Result<Option<Vec<u8>>, ReadError> {
    let mut line = Vec::new();
    (&mut *stream)
        .take(limit as u64 + 1)
        .read_until(b'\n', &mut line)
        .await?;
    match line.last() {
        None => Ok(None),
        Some(b'\n') => Ok(Some(line)),
        Some(_) if line.len() > limit => Err(ReadError::HeadTooLarge),
        Some(_) => Err(ReadError::Io),
    }
}

/// Reads a `Transfer-Encoding: chunked` body (extensions and trailers are skipped).
async fn read_chunked<S: AsyncBufRead + Unpin>(stream: &mut S) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, MAX_CHUNK_LINE)
            .await?
            .ok_or(ReadError::Io)?;
        let size = match httparse::parse_chunk_size(&line) {
            Ok(Status::Complete((_, size))) => size,
            _ => return Err(ReadError::Malformed("bad chunk size")),
        };
        if size == 0 {
            break;
        }
        // Compared in u64: `body.len() + size` could overflow.
        if size > (MAX_BODY - body.len()) as u64 {
            return Err(ReadError::TooLarge);
        }
        body = read_exactly(stream, size as usize, body).await?;
        let mut crlf = [0; 2];
        stream.read_exact(&mut crlf).await?;
        if &crlf != b"\r\n" {
            return Err(ReadError::Malformed("chunk not followed by CRLF"));
        }
    }
    // Trailers, up to the empty line, within the head's bound.
    let mut trailer_bytes = 0;
    while let Some(line) = read_line(stream, MAX_HEAD - trailer_bytes).await? {
        trailer_bytes += line.len();
        if line == b"\r\n" || line == b"\n" {
            break;
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::block_on;

    async fn read(bytes: &[u8]) -> (Result<Request, ReadError>, Vec<u8>) {
        let (mut client, server) = tokio::io::duplex(1 << 20);
        client.write_all(bytes).await.unwrap();
        client.shutdown().await.unwrap();
        let mut server = tokio::io::BufReader::new(server);
        let result = read_request(&mut server).await;
        drop(server);
        let mut written = Vec::new();
        drop(client.read_to_end(&mut written).await);
        (result, written)
    }

    #[test]
    fn reads_content_length_body_and_query() {
        block_on(async {
            let (request, _) =
            read(b"POST /v1/messages?beta=true HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-A:  b \r\n\r\n{}").await;
            let request = request.unwrap();
            assert_eq!(
                (request.method.as_str(), request.path.as_str()),
                ("POST", "/v1/messages")
            );
            assert_eq!(request.query, "beta=true");
            assert_eq!(request.header("x-a"), Some("b"));
            assert_eq!(request.body, b"{}");
            assert!(!request.close);
        });
    }

    #[test]
    fn reads_chunked_body_and_answers_expect_continue() {
        block_on(async {
            let (request, written) = read(
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n",
        )
        .await;
            assert_eq!(request.unwrap().body, b"abcde");
            assert_eq!(written, b"HTTP/1.1 100 Continue\r\n\r\n");
        });
    }

    #[test]
    fn tells_closed_from_malformed_and_too_large() {
        block_on(async {
            assert!(matches!(read(b"").await.0, Err(ReadError::Closed)));
            assert!(matches!(
                read(b"GET /\r\n\r\n").await.0,
                Err(ReadError::Malformed(_))
            ));
            assert!(matches!(
                read(b"GET / HTTP/1.1\r\nbad\r\n\r\n").await.0,
                Err(ReadError::Malformed(_))
            ));
            let huge = format!(
                "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
                MAX_BODY + 1
            );
            assert!(matches!(
                read(huge.as_bytes()).await.0,
                Err(ReadError::TooLarge)
            ));
            let request = read(b"GET / HTTP/1.0\r\n\r\n").await.0.unwrap();
            assert!(request.close);
        });
    }

    #[test]
    fn bounds_the_head_and_its_fields() {
        block_on(async {
            let long = format!("GET / HTTP/1.1\r\nx: {}\r\n\r\n", "a".repeat(MAX_HEAD));
            assert_eq!(
                read(long.as_bytes()).await.0.unwrap_err(),
                ReadError::HeadTooLarge
            );
            let many: String = (0..=MAX_HEADERS).map(|i| format!("h{i}: v\r\n")).collect();
            let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
            assert_eq!(
                read(many.as_bytes()).await.0.unwrap_err(),
                ReadError::HeadTooLarge
            );
            let trailers = format!(
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nt: {}\r\n\r\n",
                "a".repeat(MAX_HEAD)
            );
            assert_eq!(
                read(trailers.as_bytes()).await.0.unwrap_err(),
                ReadError::HeadTooLarge
            );
        });
    }

    #[test]
    fn refuses_ambiguous_framing() {
        block_on(async {
            for (bytes, why) in [
                (
                    &b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"[..],
                    "conflicting content-length",
                ),
                (
                    b"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\na",
                    "bad content-length",
                ),
                (
                    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                    "unsupported transfer-encoding",
                ),
                (
                    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n",
                    "bad chunk size",
                ),
                (b"GET / HTTP/2.0\r\n\r\n", "unsupported HTTP version"),
            ] {
                assert_eq!(read(bytes).await.0.unwrap_err(), ReadError::Malformed(why));
            }
            let huge = b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
            assert_eq!(read(huge).await.0.unwrap_err(), ReadError::TooLarge);
        });
    }

    #[test]
    fn reads_pipelined_requests_one_at_a_time() {
        block_on(async {
            let (mut client, server) = tokio::io::duplex(1 << 16);
            client
                .write_all(b"\r\nPOST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nxGET /b HTTP/1.1\n\n")
                .await
                .unwrap();
            client.shutdown().await.unwrap();
            let mut server = tokio::io::BufReader::new(server);
            let first = read_request(&mut server).await.unwrap();
            assert_eq!(
                (first.path.as_str(), first.body.as_slice()),
                ("/a", &b"x"[..])
            );
            assert_eq!(read_request(&mut server).await.unwrap().path, "/b");
            assert_eq!(
                read_request(&mut server).await.unwrap_err(),
                ReadError::Closed
            );
        });
    }

    /// Finding 1: `body.len() + size` overflowed (a panic in debug, the process gone in release).
    #[test]
    fn chunk_size_ffffffffffffffff_after_a_one_byte_chunk_is_too_large() {
        block_on(async {
            let (result, _) = read(
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n",
            )
            .await;
            assert!(matches!(result, Err(ReadError::TooLarge)), "{result:?}");
        });
    }
}
