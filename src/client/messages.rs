//! `messages.create`, `messages.stream` and `messages.count_tokens`.

use core::future::Future;
use core::pin::Pin;
use core::time::Duration;

use futures_util::future::{self, Either};

use futures_util::stream::{self, Stream};

use super::transport::{ResponseBody, Transport};
use super::{ApiResponse, Body, Client, RequestOptions, DEFAULT_TIMEOUT};
use crate::accumulate::{HelperEvent, Step, StreamParser};
use crate::error::{Error, ValidationError, ValidationRule};
use crate::headers::Headers;
use crate::types::{
    CountTokensParams, CountTokensResponse, Message, MessageCreateParams, StreamEvent,
};
use crate::validate::{to_checked_json, to_json};
use anthropic_wasm_core::json;
use anthropic_wasm_core::request;
use anthropic_wasm_core::validate::{validate_count_tokens_request, validate_message_request};
use serde_json::value::RawValue;

/// The messages resource.
pub struct Messages<T: Transport> {
    client: Client<T>,
}

impl<T: Transport> Messages<T> {
    pub(super) fn new(client: Client<T>) -> Self {
        Self { client }
    }

    /// Sends a request and returns the whole reply (`stream` is forced off).
    pub async fn create(
        &self,
        params: &MessageCreateParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<Message>, Error> {
        let mut params = params.clone();
        params.stream = None;
        let body = self.body(&params)?;
        let timeout = match options.timeout.or(self.client.options().timeout) {
            Some(timeout) => timeout,
            None => nonstreaming_guard(&params.model, params.max_tokens)?,
        };
        let request = self
            .client
            .request("POST", "/v1/messages", Some(body), options);
        self.client.json(request, options, timeout).await
    }

    /// [`create`](Self::create) for a body that is JSON text already, sent exactly as given
    /// (key order, `null`s, fields this version does not know), with the reply's JSON text
    /// checked but not decoded: for the JS layer and proxies, whose callers must get what
    /// the official SDK gives them. Validation, when on, reads that same text.
    pub async fn create_json(
        &self,
        body: String,
        options: &RequestOptions,
    ) -> Result<ApiResponse<Box<RawValue>>, Error> {
        let (model, max_tokens) = self.check_json(&body)?;
        let timeout = match options.timeout.or(self.client.options().timeout) {
            Some(timeout) => timeout,
            None => nonstreaming_guard(&model, max_tokens)?,
        };
        let request = self
            .client
            .request("POST", "/v1/messages", Some(body), options);
        self.client.json(request, options, timeout).await
    }

    /// Sends a request and streams the reply (`stream` is forced on). Retries happen only
    /// before the body starts; after that a failure ends the stream and keeps what arrived.
    pub async fn stream(
        &self,
        params: &MessageCreateParams,
        options: &RequestOptions,
    ) -> Result<MessageStream<T>, Error> {
        let mut params = params.clone();
        params.stream = Some(true);
        let body = self.body(&params)?;
        self.send_stream(body, options).await
    }

    /// [`stream`](Self::stream) for a body that is JSON text already, sent exactly as given:
    /// it must say `"stream": true` itself.
    pub async fn stream_json(
        &self,
        body: String,
        options: &RequestOptions,
    ) -> Result<MessageStream<T>, Error> {
        self.check_json(&body)?;
        self.send_stream(body, options).await
    }

    async fn send_stream(
        &self,
        body: String,
        options: &RequestOptions,
    ) -> Result<MessageStream<T>, Error> {
        let timeout = self.client.timeout(options);
        let request = self
            .client
            .request("POST", "/v1/messages", Some(body), options);
        let (response, _) = self
            .client
            .execute(request, options, timeout, Body::Streamed)
            .await?;
        Ok(MessageStream {
            reader: BodyReader {
                client: self.client.clone(),
                body: Some(response.body),
                idle_timeout: self.client.stall_bound(options, timeout),
                timer: None,
            },
            parser: StreamParser::with_limits(
                response.headers.clone(),
                self.client.options().limits(),
            ),
            headers: response.headers,
            received: 0,
        })
    }

    /// Counts the tokens a request's input would use.
    pub async fn count_tokens(
        &self,
        params: &CountTokensParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<CountTokensResponse>, Error> {
        let body = to_json(params)?;
        if let Some(rules) = &self.client.options().validation {
            validate_count_tokens_request(body.as_bytes(), rules).map_err(ValidationError::from)?;
        }
        let request = self
            .client
            .request("POST", "/v1/messages/count_tokens", Some(body), options);
        self.client
            .json(request, options, self.client.timeout(options))
            .await
    }

    /// The request's JSON text, checked when validation is on.
    fn body(&self, params: &MessageCreateParams) -> Result<String, Error> {
        match &self.client.options().validation {
            Some(rules) => Ok(to_checked_json(params, rules)?),
            None => Ok(to_json(params)?),
        }
    }

    /// Checks a JSON body (fully when validation is on, else only that it is a JSON object)
    /// and returns its model and `max_tokens`, which the non-streaming guard needs.
    fn check_json(&self, body: &str) -> Result<(String, u32), Error> {
        let bytes = body.as_bytes();
        if let Some(rules) = &self.client.options().validation {
            validate_message_request(bytes, rules).map_err(ValidationError::from)?;
        }
        let (start, _) = json::value_span(bytes).map_err(|e| {
            ValidationError::new("", ValidationRule::Shape, format!("invalid JSON: {e}"))
        })?;
        if bytes.get(start) != Some(&b'{') {
            return Err(ValidationError::new(
                "",
                ValidationRule::Shape,
                "the request must be a JSON object",
            )
            .into());
        }
        let model = json::field(bytes, start, "model")
            .and_then(|span| json::string(bytes, span))
            .map(|model| String::from_utf8_lossy(&model).into_owned())
            .unwrap_or_default();
        let max_tokens = json::field(bytes, start, "max_tokens")
            .and_then(|span| json::index(bytes, span))
            .unwrap_or(0);
        Ok((model, u32::try_from(max_tokens).unwrap_or(u32::MAX)))
    }
}

/// A streamed reply: raw events as they arrive, the message so far at any moment, and the
/// final message. Dropping it cancels the request.
pub struct MessageStream<T: Transport> {
    reader: BodyReader<T>,
    parser: StreamParser,
    headers: Headers,
    /// Bytes of the body read so far.
    received: u64,
}

/// A streaming body read chunk by chunk, each within the idle timeout. Dropping it cancels the
/// request.
pub struct BodyReader<T: Transport> {
    client: Client<T>,
    body: Option<T::Body>,
    /// The longest wait for the next chunk.
    idle_timeout: Duration,
    /// One timer for the whole stream, re-armed only when it fires before the deadline: a
    /// timer per chunk would cost more than reading a small chunk.
    timer: Option<Pin<Box<dyn Future<Output = ()>>>>,
}

impl<T: Transport> BodyReader<T> {
    /// The next chunk; `Ok(None)` at the end of the body (and after a failure).
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let Self {
            client,
            body,
            idle_timeout,
            timer,
        } = self;
        let Some(reading) = body.as_mut() else {
            return Ok(None);
        };
        let idle_ms = idle_timeout.as_secs_f64() * 1000.0;
        let deadline = client.transport().now_unix_ms() + idle_ms;
        let outcome = {
            let read = reading.next_chunk();
            futures_util::pin_mut!(read);
            loop {
                let armed = timer.get_or_insert_with(|| {
                    let client = client.clone();
                    let wait = *idle_timeout;
                    Box::pin(async move { client.transport().sleep(wait).await })
                });
                match future::select(read.as_mut(), armed.as_mut()).await {
                    Either::Left((chunk, _)) => break chunk,
                    Either::Right(((), _)) => {
                        *timer = None;
                        if client.transport().now_unix_ms() >= deadline {
                            break Some(Err(Error::Timeout));
                        }
                    }
                }
            }
        };
        if !matches!(outcome, Some(Ok(_))) {
            // The body is over: so is its timer (a platform timer would outlive it otherwise,
            // and keep a Node process alive for the rest of the idle timeout).
            *body = None;
            *timer = None;
        }
        match outcome {
            Some(Ok(chunk)) => Ok(Some(chunk)),
            Some(Err(error)) => Err(client.redact(error)),
            None => Ok(None),
        }
    }

    /// Whether the body has ended (or failed).
    pub fn is_done(&self) -> bool {
        self.body.is_none()
    }

    /// The body itself, for a caller that reads it another way (the JS layer reads the
    /// platform's stream directly). The idle timeout is then the caller's.
    pub fn into_body(self) -> Option<T::Body> {
        self.body
    }

    /// Removes the client's credentials from an error's text.
    pub fn redact(&self, error: Error) -> Error {
        self.client.redact(error)
    }
}

impl<T: Transport> MessageStream<T> {
    /// The next event, or `None` when the stream is over. An `error` event, a cut connection,
    /// an idle timeout or bad bytes end the stream with a typed error; [`Self::snapshot`] still
    /// holds everything that arrived.
    pub async fn next_event(&mut self) -> Option<Result<StreamEvent, Error>> {
        // Events are typed here, so the codec need not send whole hot deltas.
        self.parser.set_whole_events(false);
        loop {
            if let Some(step) = self.parser.next_step() {
                return Some(
                    step.and_then(|step| step.event())
                        .map_err(|e| self.reader.redact(e)),
                );
            }
            if self.parser.is_ended() {
                return None;
            }
            if let Err(error) = self.fill().await {
                return Some(Err(error));
            }
        }
    }

    /// Reads until at least one event is ready, then hands every ready step (its op, its
    /// data as received, its helper event) to `visit`: one call per network chunk rather than
    /// per event. `Ok(false)` once the stream is over.
    pub async fn next_steps(&mut self, mut visit: impl FnMut(Step<'_>)) -> Result<bool, Error> {
        self.parser.set_whole_events(true);
        self.steps(&mut visit).await
    }

    /// [`next_steps`](Self::next_steps) as the parser is set.
    async fn steps(&mut self, visit: &mut impl FnMut(Step<'_>)) -> Result<bool, Error> {
        loop {
            let mut visited = false;
            while let Some(step) = self.parser.next_step() {
                visit(step.map_err(|e| self.reader.redact(e))?);
                visited = true;
            }
            if visited {
                return Ok(true);
            }
            if self.parser.is_ended() {
                return Ok(false);
            }
            self.fill().await?;
        }
    }

    /// Feeds the parser the next chunk, or tells it the body ended.
    async fn fill(&mut self) -> Result<(), Error> {
        match self.reader.next_chunk().await {
            Ok(Some(chunk)) => {
                self.received += chunk.len() as u64;
                self.parser.push(&chunk);
            }
            Ok(None) => self.parser.end(),
            Err(error) => {
                self.parser.end();
                return Err(error);
            }
        }
        Ok(())
    }

    /// The events as a `futures::Stream`; after it is dropped the stream can still be asked
    /// for its snapshot.
    pub fn events(&mut self) -> impl Stream<Item = Result<StreamEvent, Error>> + '_ {
        stream::unfold(self, |stream| async move {
            stream.next_event().await.map(|event| (event, stream))
        })
    }

    /// Only the text as it arrives.
    pub fn text_stream(&mut self) -> impl Stream<Item = Result<String, Error>> + '_ {
        self.parser.set_whole_events(false);
        stream::unfold(
            (self, std::collections::VecDeque::new()),
            |(stream, mut texts)| async move {
                loop {
                    if let Some(text) = texts.pop_front() {
                        return Some((Ok(text), (stream, texts)));
                    }
                    let more = stream
                        .steps(&mut |step| {
                            if let Some(HelperEvent::Text { delta, .. }) = step.helper {
                                texts.push_back(delta.to_owned());
                            }
                        })
                        .await;
                    match more {
                        Ok(true) => {}
                        Ok(false) => return None,
                        Err(error) => return Some((Err(error), (stream, texts))),
                    }
                }
            },
        )
    }

    /// Reads the stream to its end and returns the message; on failure, the error (the
    /// partial message stays in [`Self::snapshot`]).
    pub async fn final_message(&mut self) -> Result<Message, Error> {
        self.parser.set_whole_events(false);
        while self.steps(&mut |_| {}).await? {}
        self.parser.finish().map_err(|e| self.reader.redact(e))
    }

    /// The message so far, or `None` before `message_start`.
    pub fn snapshot(&self) -> Option<Message> {
        self.parser.snapshot()
    }

    /// The message so far as the wire sent it (every field and `null` kept), or `None` before
    /// `message_start`.
    pub fn snapshot_json(&self) -> Option<serde_json::Value> {
        self.parser.snapshot_json()
    }

    /// The response's `request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.request_id()
    }

    /// How many bytes of the body have been read so far (as they came over the network,
    /// before decoding): for progress and throughput figures.
    pub fn bytes_received(&self) -> u64 {
        self.received
    }

    /// The response headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The body reader and the parser, for callers that read and parse separately (the JS
    /// layer reads asynchronously while keeping the parser free for snapshots).
    pub fn into_parts(self) -> (BodyReader<T>, StreamParser, Headers) {
        (self.reader, self.parser, self.headers)
    }
}

/// The official SDK refuses a non-streaming request that could outlast the default timeout:
/// the default timeout, or the refusal.
fn nonstreaming_guard(model: &str, max_tokens: u32) -> Result<Duration, Error> {
    if request::must_stream(model, u64::from(max_tokens)) {
        return Err(ValidationError::new(
            "max_tokens",
            ValidationRule::StreamingRequired,
            request::MUST_STREAM_MESSAGE,
        )
        .into());
    }
    Ok(DEFAULT_TIMEOUT)
}
