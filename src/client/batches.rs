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
            pending: Vec::new(),
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
    /// Bytes of a line not yet complete.
    pending: Vec<u8>,
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
            if let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=end).collect();
                if let Some(result) = parse_line(&line) {
                    return Some(result);
                }
                continue;
            }
            let body = self.body.as_mut()?;
            let timeout = self.client.timeout(&RequestOptions::default());
            match self.client.with_timeout(timeout, body.next_chunk()).await {
                Ok(Some(Ok(chunk))) => self.pending.extend_from_slice(&chunk),
                Ok(None) => {
                    self.body = None;
                    let last = std::mem::take(&mut self.pending);
                    return parse_line(&last);
                }
                Ok(Some(Err(error))) | Err(error) => {
                    self.body = None;
                    return Some(Err(self.client.redact(error)));
                }
            }
        }
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

/// A JSONL line (surrounding white space, such as `\r`, ignored); `None` for a blank one.
fn parse_line<L: DeserializeOwned>(line: &[u8]) -> Option<Result<L, Error>> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(serde_json::from_str(text).map_err(|e| Error::decode(e, line)))
}
