//! Writing one response, byte by byte as the delivery asks: pacing, varied write sizes (events
//! split across writes, or several in one), a stall, a connection dropped after N body bytes.

use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::{reason, Body, Delivery, Piece, Response};
use crate::ids::SplitMix;

/// How a response went out.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Complete; the connection may carry another request.
    Complete,
    /// Cut on purpose (`drop-after`): the connection must be closed now.
    Dropped,
}

/// Writes `response`. `close` adds `connection: close`.
pub async fn write_response<W: AsyncWrite + Unpin>(
    stream: &mut W,
    response: Response,
    close: bool,
) -> std::io::Result<Outcome> {
    let Response {
        status,
        headers,
        body,
        delivery,
    } = response;
    if let Some(wait) = delivery.slow_headers {
        tokio::time::sleep(wait).await;
    }
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in &headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("connection: close\r\n");
    } else {
        head.push_str("connection: keep-alive\r\n");
    }
    match body {
        Body::Full(bytes) => {
            head.push_str(&format!("content-length: {}\r\n\r\n", bytes.len()));
            write_full(stream, head.as_bytes(), &bytes, &delivery).await
        }
        Body::Events(pieces) => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.flush().await?;
            EventWriter::new(stream, &delivery).write(&pieces).await
        }
    }
}

async fn write_full<W: AsyncWrite + Unpin>(
    stream: &mut W,
    head: &[u8],
    body: &[u8],
    delivery: &Delivery,
) -> std::io::Result<Outcome> {
    let (body, dropped) = match delivery.drop_after {
        Some(limit) if limit < body.len() => (&body[..limit], true),
        _ => (body, false),
    };
    match delivery.stall {
        Some(stall) => {
            let half = body.len() / 2;
            stream.write_all(head).await?;
            stream.write_all(&body[..half]).await?;
            stream.flush().await?;
            tokio::time::sleep(stall).await;
            stream.write_all(&body[half..]).await?;
        }
        None => {
            let mut all = head.to_vec();
            all.extend_from_slice(body);
            stream.write_all(&all).await?;
        }
    }
    stream.flush().await?;
    if dropped {
        stream.shutdown().await?;
        return Ok(Outcome::Dropped);
    }
    Ok(Outcome::Complete)
}

/// Writes SSE pieces as HTTP chunks, choosing write boundaries with a seeded generator.
struct EventWriter<'a, W> {
    stream: &'a mut W,
    delivery: &'a Delivery,
    rng: SplitMix,
    pending: Vec<u8>,
    /// Body bytes written so far (without chunk framing), for `drop-after`.
    sent: usize,
}

impl<'a, W: AsyncWrite + Unpin> EventWriter<'a, W> {
    fn new(stream: &'a mut W, delivery: &'a Delivery) -> Self {
        Self {
            stream,
            delivery,
            rng: SplitMix::new(delivery.seed),
            pending: Vec::new(),
            sent: 0,
        }
    }

    async fn write(mut self, pieces: &[Piece]) -> std::io::Result<Outcome> {
        let mut stalled = self.delivery.stall.is_none();
        // The tail of an event split across writes is pending: when pacing, it waits out the
        // pause, so a client sees half an event for a while.
        let mut partial = false;
        for piece in pieces {
            if let (Some(rate), true) = (self.delivery.tokens_per_second, piece.tokens > 0) {
                // `Config` from code skips the flag's range check: saturate instead of panicking.
                let pause = Duration::try_from_secs_f64(piece.tokens as f64 / rate)
                    .unwrap_or(Duration::MAX);
                if partial {
                    tokio::time::sleep(pause).await;
                }
                if self.flush().await? == Outcome::Dropped {
                    return Ok(Outcome::Dropped);
                }
                if !partial {
                    tokio::time::sleep(pause).await;
                }
            }
            let bytes = &piece.bytes;
            partial = false;
            match self.rng.below(4) {
                // Split this event across two writes.
                0 if bytes.len() > 1 => {
                    let cut = 1 + self.rng.below(bytes.len() as u64 - 1) as usize;
                    self.pending.extend_from_slice(&bytes[..cut]);
                    if self.flush().await? == Outcome::Dropped {
                        return Ok(Outcome::Dropped);
                    }
                    self.pending.extend_from_slice(&bytes[cut..]);
                    partial = true;
                }
                // Keep it to share a write with the next event.
                1 => self.pending.extend_from_slice(bytes),
                _ => {
                    self.pending.extend_from_slice(bytes);
                    if self.flush().await? == Outcome::Dropped {
                        return Ok(Outcome::Dropped);
                    }
                }
            }
            if !stalled && piece.tokens > 0 {
                stalled = true;
                partial = false;
                if self.flush().await? == Outcome::Dropped {
                    return Ok(Outcome::Dropped);
                }
                if let Some(stall) = self.delivery.stall {
                    tokio::time::sleep(stall).await;
                }
            }
        }
        if self.flush().await? == Outcome::Dropped {
            return Ok(Outcome::Dropped);
        }
        self.stream.write_all(b"0\r\n\r\n").await?;
        self.stream.flush().await?;
        Ok(Outcome::Complete)
    }

    /// Writes the pending bytes as one chunk, cutting the connection at `drop-after`.
    async fn flush(&mut self) -> std::io::Result<Outcome> {
        if self.pending.is_empty() {
            return Ok(Outcome::Complete);
        }
        let mut data = std::mem::take(&mut self.pending);
        let limit = self.delivery.drop_after.unwrap_or(usize::MAX);
        let room = limit.saturating_sub(self.sent);
        let dropping = data.len() >= room && self.delivery.drop_after.is_some();
        if dropping {
            data.truncate(room);
        }
        if !data.is_empty() {
            let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
            chunk.extend_from_slice(&data);
            chunk.extend_from_slice(b"\r\n");
            self.stream.write_all(&chunk).await?;
            self.stream.flush().await?;
            self.sent += data.len();
        }
        if dropping {
            self.stream.shutdown().await?;
            return Ok(Outcome::Dropped);
        }
        Ok(Outcome::Complete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::block_on;
    use tokio::io::AsyncReadExt;

    fn events(count: usize) -> Vec<Piece> {
        (0..count)
            .map(|i| Piece {
                bytes: format!("event: e\ndata: {{\"n\":{i}}}\n\n").into_bytes(),
                tokens: 1,
            })
            .collect()
    }

    async fn run(response: Response) -> (Outcome, Vec<u8>) {
        let (mut client, mut server) = tokio::io::duplex(1 << 20);
        let outcome = write_response(&mut server, response, false).await.unwrap();
        drop(server);
        let mut bytes = Vec::new();
        client.read_to_end(&mut bytes).await.unwrap();
        (outcome, bytes)
    }

    /// Undoes chunked framing; also returns the chunk sizes.
    fn dechunk(body: &[u8]) -> (Vec<u8>, Vec<usize>) {
        let mut out = Vec::new();
        let mut sizes = Vec::new();
        let mut rest = body;
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap(), 16).unwrap();
            rest = &rest[end + 2..];
            if size == 0 {
                break;
            }
            let take = size.min(rest.len());
            out.extend_from_slice(&rest[..take]);
            sizes.push(size);
            rest = &rest[(take + 2).min(rest.len())..];
        }
        (out, sizes)
    }

    fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        bytes.split_at(end)
    }

    #[test]
    fn events_arrive_whole_in_varied_chunks() {
        block_on(async {
            let pieces = events(40);
            let expected: Vec<u8> = pieces.iter().flat_map(|p| p.bytes.clone()).collect();
            let response = Response {
                status: 200,
                headers: vec![],
                body: Body::Events(pieces),
                delivery: Delivery {
                    seed: 7,
                    ..Delivery::default()
                },
            };
            let (outcome, bytes) = run(response).await;
            assert_eq!(outcome, Outcome::Complete);
            let (head, body) = split_head(&bytes);
            assert!(std::str::from_utf8(head)
                .unwrap()
                .contains("transfer-encoding: chunked"));
            assert!(body.ends_with(b"0\r\n\r\n"));
            let (data, sizes) = dechunk(body);
            assert_eq!(data, expected);
            let event_len = events(1)[0].bytes.len();
            assert!(
                sizes.iter().any(|&s| s < event_len),
                "some event split: {sizes:?}"
            );
            assert!(
                sizes.iter().any(|&s| s > event_len + 1),
                "some write shared: {sizes:?}"
            );
        });
    }

    #[test]
    fn drop_after_cuts_the_body_at_that_byte() {
        block_on(async {
            let response = Response {
                status: 200,
                headers: vec![],
                body: Body::Events(events(10)),
                delivery: Delivery {
                    drop_after: Some(50),
                    seed: 3,
                    ..Delivery::default()
                },
            };
            let (outcome, bytes) = run(response).await;
            assert_eq!(outcome, Outcome::Dropped);
            let (data, _) = dechunk(split_head(&bytes).1);
            assert_eq!(data.len(), 50);
            assert!(!bytes.ends_with(b"0\r\n\r\n"));

            let full = Response::json(200, &serde_json::json!({"a": "0123456789"}));
            let full = Response {
                delivery: Delivery {
                    drop_after: Some(5),
                    ..Delivery::default()
                },
                ..full
            };
            let (outcome, bytes) = run(full).await;
            assert_eq!(outcome, Outcome::Dropped);
            assert_eq!(split_head(&bytes).1, b"{\"a\":");
        });
    }
}
