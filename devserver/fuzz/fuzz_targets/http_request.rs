//! The devserver's request reader never panics, reads no more than the bytes it is given, and
//! reads the same requests however the bytes arrive: the first byte of the input picks the
//! size of each read for the rest (a keep-alive connection, read until it ends or fails).
#![no_main]

use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use devserver::{read_request, ReadError, Request};
use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncBufRead, AsyncRead, AsyncWrite, ReadBuf};

/// A connection whose bytes arrive `step` at a time; what the server writes (`100 Continue`)
/// is kept.
struct Connection<'a> {
    rest: &'a [u8],
    step: usize,
    written: Vec<u8>,
}

impl AsyncRead for Connection<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let take = self.rest.len().min(self.step).min(buf.remaining());
        buf.put_slice(&self.rest[..take]);
        self.rest = &self.rest[take..];
        Poll::Ready(Ok(()))
    }
}

impl AsyncBufRead for Connection<'_> {
    fn poll_fill_buf(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.get_mut();
        let take = this.rest.len().min(this.step);
        Poll::Ready(Ok(&this.rest[..take]))
    }

    fn consume(mut self: Pin<&mut Self>, amount: usize) {
        self.rest = &self.rest[amount..];
    }
}

impl AsyncWrite for Connection<'_> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.written.extend_from_slice(bytes);
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Every I/O above is ready at once, so one poll finishes the reader (no runtime needed).
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("in-memory I/O is always ready"),
    }
}

/// The requests on a connection, and how it ended.
fn read_all(bytes: &[u8], step: usize) -> (Vec<Request>, ReadError, Vec<u8>) {
    let mut connection = Connection {
        rest: bytes,
        step,
        written: Vec::new(),
    };
    let mut requests = Vec::new();
    loop {
        match now(read_request(&mut connection)) {
            Ok(request) => {
                let close = request.close;
                requests.push(request);
                if close {
                    return (requests, ReadError::Closed, connection.written);
                }
            }
            Err(end) => return (requests, end, connection.written),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let step = usize::from(first % 32) + 1;
    let whole = read_all(rest, usize::MAX);
    let split = read_all(rest, step);
    assert_eq!(whole, split, "reads of {step} bytes changed the requests");
    let body_bytes: usize = whole.0.iter().map(|r| r.body.len()).sum();
    assert!(
        body_bytes <= rest.len(),
        "bodies are made of the bytes given"
    );
});
