//! Reading one request from a connection.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Request, MAX_BODY};

/// The most bytes of request line and headers accepted.
const MAX_HEAD: usize = 64 * 1024;

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection between requests (the normal end of keep-alive).
    Closed,
    /// The connection failed.
    Io,
    /// Not HTTP/1.x as this server reads it: answer 400 and close.
    Malformed(&'static str),
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
    let mut head_bytes = 0;
    let mut line = Vec::new();
    // A client may send empty lines before a request (RFC 9112 §2.2).
    let request_line = loop {
        line.clear();
        let read = read_line(stream, &mut line, &mut head_bytes).await?;
        if read == 0 {
            return Err(ReadError::Closed);
        }
        if !line.is_empty() {
            break String::from_utf8(line.clone())
                .map_err(|_| ReadError::Malformed("request line is not UTF-8"))?;
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed("bad request line"));
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Malformed("unsupported HTTP version")),
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut headers = Vec::new();
    loop {
        line.clear();
        if read_line(stream, &mut line, &mut head_bytes).await? == 0 {
            return Err(ReadError::Malformed("connection closed inside the headers"));
        }
        if line.is_empty() {
            break;
        }
        let text =
            std::str::from_utf8(&line).map_err(|_| ReadError::Malformed("header is not UTF-8"))?;
        let (name, value) = text
            .split_once(':')
            .ok_or(ReadError::Malformed("header without a colon"))?;
        if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
            return Err(ReadError::Malformed("bad header name"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.to_ascii_lowercase())
    };
    let connection = header("connection").unwrap_or_default();
    let close = if http10 {
        !connection.contains("keep-alive")
    } else {
        connection.contains("close")
    };
    let chunked = header("transfer-encoding").is_some_and(|te| te.contains("chunked"));
    let length = match header("content-length") {
        Some(text) if !chunked => Some(
            text.parse::<usize>()
                .map_err(|_| ReadError::Malformed("bad content-length"))?,
        ),
        _ => None,
    };
    if length.is_some_and(|length| length > MAX_BODY) {
        return Err(ReadError::TooLarge);
    }
    let expects_body = chunked || length.is_some_and(|length| length > 0);
    if expects_body && header("expect").is_some_and(|expect| expect == "100-continue") {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        stream.flush().await?;
    }
    let body = if chunked {
        read_chunked(stream).await?
    } else {
        let mut body = vec![0; length.unwrap_or(0)];
        stream.read_exact(&mut body).await?;
        body
    };
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body,
        close,
    })
}

/// Reads one line without its `\r\n` (or bare `\n`); returns the bytes consumed (0 at EOF).
async fn read_line<S: AsyncBufRead + Unpin>(
    stream: &mut S,
    line: &mut Vec<u8>,
    head_bytes: &mut usize,
) -> Result<usize, ReadError> {
    let limit = (MAX_HEAD - *head_bytes) as u64 + 1;
    let read = (&mut *stream).take(limit).read_until(b'\n', line).await?;
    *head_bytes += read;
    if *head_bytes > MAX_HEAD {
        return Err(ReadError::Malformed("request head too large"));
    }
    if read > 0 && line.last() != Some(&b'\n') {
        return Err(ReadError::Malformed("connection closed inside a line"));
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(read)
}

/// Reads a `Transfer-Encoding: chunked` body (extensions and trailers are skipped).
async fn read_chunked<S: AsyncBufRead + Unpin>(stream: &mut S) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    let mut line = Vec::new();
    let mut head_bytes = 0;
    loop {
        line.clear();
        if read_line(stream, &mut line, &mut head_bytes).await? == 0 {
            return Err(ReadError::Malformed(
                "connection closed inside a chunked body",
            ));
        }
        let text =
            std::str::from_utf8(&line).map_err(|_| ReadError::Malformed("bad chunk size"))?;
        let size_text = text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| ReadError::Malformed("bad chunk size"))?;
        if size == 0 {
            break;
        }
        if body.len() + size > MAX_BODY {
            return Err(ReadError::TooLarge);
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream.read_exact(&mut body[start..]).await?;
        let mut crlf = [0; 2];
        stream.read_exact(&mut crlf).await?;
        if &crlf != b"\r\n" {
            return Err(ReadError::Malformed("chunk not followed by CRLF"));
        }
        // Chunk-size lines count against the head limit only per chunk.
        head_bytes = 0;
    }
    // Trailers, up to the empty line.
    loop {
        line.clear();
        if read_line(stream, &mut line, &mut head_bytes).await? == 0 || line.is_empty() {
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
}
