//! Message Batches: create, retrieve, list, cancel, delete, and the results as a stream of
//! parsed JSONL lines.

use core::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::transport::{ResponseBody, Transport};
use super::url::on_base_origin;
use super::{resource_path, ApiResponse, Body, Client, Paginator, RequestOptions};
use crate::error::{Error, ValidationError};
use crate::types::{
    BatchCreateParams, BatchResultLine, DeletedMessageBatch, ListParams, MessageBatch, Page,
};
use crate::validate::to_json;
use anthropic_wasm_core::validate::validate_batch_request;

/// The batches path, also for callers of [`Client::send`].
pub const BATCHES: &str = "/v1/messages/batches";

/// The Message Batches resource.
pub struct Batches<T: Transport> {
    client: Client<T>,
}

impl<T: Transport> Batches<T> {
    pub(super) fn new(client: Client<T>) -> Self {
        Self { client }
    }

    /// Starts a batch.
    pub async fn create(
        &self,
        params: &BatchCreateParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<MessageBatch>, Error> {
        let body = to_json(params)?;
        if let Some(rules) = &self.client.options().validation {
            validate_batch_request(body.as_bytes(), rules).map_err(ValidationError::from)?;
        }
        let request = self.client.request("POST", BATCHES, Some(body), options);
        self.client
            .json(request, options, self.client.timeout(options))
            .await
    }

    /// A batch's current state (poll this until `processing_status` is `ended`).
    pub async fn retrieve(
        &self,
        id: &str,
        options: &RequestOptions,
    ) -> Result<ApiResponse<MessageBatch>, Error> {
        self.call("GET", &batch_path(id, "")?, options).await
    }

    /// One page of batches, newest first.
    pub async fn list(
        &self,
        params: &ListParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<Page<MessageBatch>>, Error> {
        self.client.page(BATCHES, params, options).await
    }

    /// Every batch, page after page.
    pub fn list_all(
        &self,
        params: ListParams,
        options: RequestOptions,
    ) -> Paginator<T, MessageBatch> {
        Paginator::new(self.client.clone(), BATCHES, params, options)
    }

    /// Asks for a batch to stop; it ends up `canceling`, then `ended`.
    pub async fn cancel(
        &self,
        id: &str,
        options: &RequestOptions,
    ) -> Result<ApiResponse<MessageBatch>, Error> {
        self.call("POST", &batch_path(id, "/cancel")?, options)
            .await
    }

    /// Deletes a batch whose processing has ended.
    pub async fn delete(
        &self,
        id: &str,
        options: &RequestOptions,
    ) -> Result<ApiResponse<DeletedMessageBatch>, Error> {
        self.call("DELETE", &batch_path(id, "")?, options).await
    }

    /// The results of an ended batch, read line by line as they download. Fails when the batch
    /// has no `results_url` yet, and with [`Error::CrossOrigin`] when it is not on the base
    /// URL's origin (the request would carry the key there).
    pub async fn results(
        &self,
        id: &str,
        options: &RequestOptions,
    ) -> Result<BatchResults<T>, Error> {
        let batch = self.retrieve(id, options).await?;
        let Some(url) = batch.data.results_url else {
            return Err(Error::IncompleteStream {
                message: format!(
                    "batch {id} has no results yet (processing_status {})",
                    batch.data.processing_status
                ),
            });
        };
        let mut options = options.clone();
        options
            .headers
            .push(("accept".into(), Some("application/binary".into())));
        let mut request = self.client.request("GET", "", None, &options);
        request.url = on_base_origin(&self.client.options().base_url, url)?;
        let timeout = self.client.timeout(&options);
        let (response, _) = self
            .client
            .execute(request, &options, timeout, Body::Streamed)
            .await?;
        Ok(BatchResults {
            body: Some(response.body),
            pending: Lines::default(),
            client: self.client.clone(),
            line: PhantomData,
        })
    }

    async fn call<R: serde::de::DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        options: &RequestOptions,
    ) -> Result<ApiResponse<R>, Error> {
        let request = self.client.request(method, path, None, options);
        self.client
            .json(request, options, self.client.timeout(options))
            .await
    }
}

/// A batch's path (`suffix`: "", "/cancel"…), its id percent-encoded; an id that cannot be one
/// path segment (empty, `.`, `..`) is refused before anything is sent.
pub fn batch_path(id: &str, suffix: &str) -> Result<String, Error> {
    resource_path(&format!("{BATCHES}/"), id, suffix)
}

/// A batch's results, one parsed JSONL line at a time: a [`BatchResultLine`], or with
/// [`raw`](Self::raw) the line's JSON text as received.
pub struct BatchResults<T: Transport, L = BatchResultLine> {
    client: Client<T>,
    body: Option<T::Body>,
    /// Bytes of lines not yet read.
    pending: Lines,
    line: PhantomData<L>,
}

impl<T: Transport> BatchResults<T> {
    /// The lines as JSON text, checked but not decoded: for callers that hand them on (the
    /// JS layer), which must keep every `null` and unknown field as received.
    pub fn raw(self) -> BatchResults<T, Box<RawValue>> {
        BatchResults {
            client: self.client,
            body: self.body,
            pending: self.pending,
            line: PhantomData,
        }
    }
}

impl<T: Transport, L: DeserializeOwned> BatchResults<T, L> {
    /// The next result, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<L, Error>> {
        loop {
            if let Some(line) = self.pending.next_line() {
                if let Some(result) = parse_line(line) {
                    return Some(result);
                }
                continue;
            }
            let body = self.body.as_mut()?;
            let timeout = self.client.timeout(&RequestOptions::default());
            match self.client.with_timeout(timeout, body.next_chunk()).await {
                Ok(Some(Ok(chunk))) => self.pending.push(&chunk),
                Ok(None) => {
                    self.body = None;
                    return parse_line(self.pending.rest());
                }
                Ok(Some(Err(error))) | Err(error) => {
                    self.body = None;
                    return Some(Err(self.client.redact(error)));
                }
            }
        }
    }

    /// Bytes looked at for a line end so far: at most each byte once (for tests).
    #[doc(hidden)]
    pub fn bytes_scanned(&self) -> u64 {
        self.pending.scanned
    }

    /// Every remaining result.
    pub async fn all(mut self) -> Result<Vec<L>, Error> {
        let mut lines = Vec::new();
        while let Some(line) = self.next().await {
            lines.push(line?);
        }
        Ok(lines)
    }
}

/// A buffer of JSONL text split at `\n`, linear however it is chunked: each byte is looked at
/// for a line end once (a long line's start is not scanned again per chunk), and read lines
/// are dropped only when that moves no more than they took (amortized O(1) per byte).
#[derive(Default)]
struct Lines {
    buffer: Vec<u8>,
    /// Where the next line starts.
    start: usize,
    /// The first byte not yet looked at for a line end.
    scan: usize,
    /// Bytes looked at so far.
    scanned: u64,
}

impl Lines {
    fn push(&mut self, chunk: &[u8]) {
        if self.start > 0 && self.start >= self.buffer.len() / 2 {
            self.buffer.drain(..self.start);
            self.scan -= self.start;
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next complete line (without its `\n`).
    fn next_line(&mut self) -> Option<&[u8]> {
        let unscanned = self.buffer.get(self.scan..).unwrap_or_default();
        let Some(offset) = unscanned.iter().position(|&b| b == b'\n') else {
            self.scanned += unscanned.len() as u64;
            self.scan = self.buffer.len();
            return None;
        };
        self.scanned += offset as u64 + 1;
        let (start, end) = (self.start, self.scan + offset);
        self.start = end + 1;
        self.scan = self.start;
        self.buffer.get(start..end)
    }

    /// What is left after the last line end: the last line, at the end of the body.
    fn rest(&mut self) -> &[u8] {
        let start = std::mem::replace(&mut self.start, self.buffer.len());
        self.scan = self.buffer.len();
        self.buffer.get(start..).unwrap_or_default()
    }
}

/// A JSONL line (surrounding white space, such as `\r`, ignored); `None` for a blank one.
fn parse_line<L: DeserializeOwned>(line: &[u8]) -> Option<Result<L, Error>> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(serde_json::from_str(text).map_err(|e| Error::decode(e, line)))
}
