//! What the client needs from the platform: send an HTTP request, read the body in chunks,
//! sleep, tell the time, draw a random number. The wasm build implements this with the global
//! `fetch`; tests implement it with scripted responses. Everything else — headers, retries,
//! timeouts, decoding — is the client's pure code.

use core::fmt;
use core::time::Duration;

use crate::error::{Credentials, Error};
use crate::headers::Headers;

/// An HTTP request as the client builds it. `Debug` shows no credential.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST` or `DELETE`.
    pub method: &'static str,
    /// The absolute URL. Never carries the API key.
    pub url: String,
    /// Request headers (the key travels in `x-api-key` or `authorization`).
    pub headers: Vec<(String, String)>,
    /// The JSON body, if any.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of a request header (names compared without regard to ASCII case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs = || {
            self.headers
                .iter()
                .map(|(n, v)| (n.as_str(), Some(v.as_str())))
        };
        let credentials = Credentials::new(pairs(), []);
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &credentials.text(&self.url))
            .field("headers", &credentials.headers(pairs()))
            .field("body", &self.body.as_deref().map(|b| credentials.text(b)))
            .finish()
    }
}

/// A response whose body has not been read yet.
#[derive(Debug)]
pub struct HttpResponse<B> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: Headers,
    /// The body, read chunk by chunk.
    pub body: B,
}

/// The platform's HTTP client, timers and randomness.
///
/// The futures are not `Send`: in wasm everything runs on one thread, and fetch handles cannot
/// cross threads anyway. `'static`: streams keep their transport's timer alive between reads.
#[allow(async_fn_in_trait)]
pub trait Transport: 'static {
    /// The body of a response.
    type Body: ResponseBody;

    /// Sends a request; resolves when the response headers have arrived. Dropping the future
    /// aborts the request. Fails with [`Error::Connection`] when no response came.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse<Self::Body>, Error>;

    /// Waits for `duration`.
    async fn sleep(&self, duration: Duration);

    /// Milliseconds since the Unix epoch (for `retry-after` dates).
    fn now_unix_ms(&self) -> f64;

    /// A uniform random number in [0, 1) (for retry jitter).
    fn random(&self) -> f64;
}

/// A response body, read in chunks.
#[allow(async_fn_in_trait)]
pub trait ResponseBody {
    /// The next chunk, or `None` at the end. Dropping the body cancels the read.
    async fn next_chunk(&mut self) -> Option<Result<Vec<u8>, Error>>;

    /// The whole remaining body.
    async fn bytes(&mut self) -> Result<Vec<u8>, Error> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next_chunk().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}
