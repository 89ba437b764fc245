//! `messages.create`, `messages.stream` and `messages.count_tokens`.

use core::time::Duration;

use futures_util::stream::{self, Stream};

use super::transport::{ResponseBody, Transport};
use super::{ApiResponse, Body, Client, RequestOptions, DEFAULT_TIMEOUT};
use crate::accumulate::StreamParser;
use crate::error::{Error, ValidationError, ValidationRule};
use crate::headers::Headers;
use crate::types::{
    ContentBlockDelta, CountTokensParams, CountTokensResponse, Message, MessageCreateParams,
    StreamEvent,
};
use crate::validate::validate;

/// Output tokens the API produces per hour at worst, for the non-streaming guard.
const NONSTREAMING_TOKENS_PER_HOUR: f64 = 128_000.0;

/// Models whose non-streaming replies are capped lower, as the official SDK lists them.
const NONSTREAMING_TOKEN_CAPS: &[(&str, u32)] = &[
    ("claude-opus-4-20250514", 8192),
    ("claude-opus-4-0", 8192),
    ("claude-4-opus-20250514", 8192),
    ("anthropic.claude-opus-4-20250514-v1:0", 8192),
    ("claude-opus-4@20250514", 8192),
    ("claude-opus-4-1-20250805", 8192),
    ("anthropic.claude-opus-4-1-20250805-v1:0", 8192),
    ("claude-opus-4-1@20250805", 8192),
];

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
        self.check(&params)?;
        let timeout = match options.timeout.or(self.client.options().timeout) {
            Some(timeout) => timeout,
            None => nonstreaming_guard(&params)?,
        };
        let request = self
            .client
            .request("POST", "/v1/messages", Some(to_json(&params)?), options);
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
        self.check(&params)?;
        let timeout = self.client.timeout(options);
        let request = self
            .client
            .request("POST", "/v1/messages", Some(to_json(&params)?), options);
        let (response, _) = self
            .client
            .execute(request, options, timeout, Body::Streamed)
            .await?;
        Ok(MessageStream {
            client: self.client.clone(),
            parser: StreamParser::new(response.headers.clone()),
            headers: response.headers,
            body: Some(response.body),
            idle_timeout: timeout,
            ended: false,
        })
    }

    /// Counts the tokens a request's input would use.
    pub async fn count_tokens(
        &self,
        params: &CountTokensParams,
        options: &RequestOptions,
    ) -> Result<ApiResponse<CountTokensResponse>, Error> {
        let request = self.client.request(
            "POST",
            "/v1/messages/count_tokens",
            Some(to_json(params)?),
            options,
        );
        self.client
            .json(request, options, self.client.timeout(options))
            .await
    }

    fn check(&self, params: &MessageCreateParams) -> Result<(), Error> {
        match &self.client.options().validation {
            Some(rules) => Ok(validate(params, rules)?),
            None => Ok(()),
        }
    }
}

/// A streamed reply: raw events as they arrive, the message so far at any moment, and the
/// final message. Dropping it cancels the request.
pub struct MessageStream<T: Transport> {
    client: Client<T>,
    parser: StreamParser,
    headers: Headers,
    body: Option<T::Body>,
    /// The longest wait for the next chunk.
    idle_timeout: Duration,
    ended: bool,
}

impl<T: Transport> MessageStream<T> {
    /// The next event, or `None` when the stream is over. An `error` event, a cut connection,
    /// an idle timeout or bad bytes end the stream with a typed error; [`Self::snapshot`] still
    /// holds everything that arrived.
    pub async fn next_event(&mut self) -> Option<Result<StreamEvent, Error>> {
        loop {
            if let Some(step) = self.parser.next_step() {
                return Some(
                    step.map(|step| step.event.clone())
                        .map_err(|e| self.client.redact(e)),
                );
            }
            if self.ended {
                return None;
            }
            match self.read_chunk().await {
                Ok(Some(chunk)) => self.parser.push(&chunk),
                Ok(None) => {
                    self.ended = true;
                    self.parser.end();
                }
                Err(error) => {
                    self.ended = true;
                    self.body = None;
                    return Some(Err(self.client.redact(error)));
                }
            }
        }
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
        stream::unfold(self, |stream| async move {
            loop {
                match stream.next_event().await? {
                    Ok(StreamEvent::ContentBlockDelta(delta)) => {
                        if let ContentBlockDelta::TextDelta(text) = delta.delta {
                            return Some((Ok(text.text), stream));
                        }
                    }
                    Ok(_) => {}
                    Err(error) => return Some((Err(error), stream)),
                }
            }
        })
    }

    /// Reads the stream to its end and returns the message; on failure, the error (the
    /// partial message stays in [`Self::snapshot`]).
    pub async fn final_message(&mut self) -> Result<Message, Error> {
        while let Some(event) = self.next_event().await {
            event?;
        }
        self.parser.finish().map_err(|e| self.client.redact(e))
    }

    /// The message so far, or `None` before `message_start`.
    pub fn snapshot(&self) -> Option<Message> {
        self.parser.snapshot()
    }

    /// The response's `request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.request_id()
    }

    /// The response headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The next chunk within the idle timeout; `None` at the end of the body.
    async fn read_chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let Some(body) = self.body.as_mut() else {
            return Ok(None);
        };
        match self
            .client
            .with_timeout(self.idle_timeout, body.next_chunk())
            .await?
        {
            Some(chunk) => chunk.map(Some),
            None => Ok(None),
        }
    }
}

/// The official SDK refuses a non-streaming request that could outlast the default timeout:
/// the default timeout, or the refusal.
fn nonstreaming_guard(params: &MessageCreateParams) -> Result<Duration, Error> {
    let expected_seconds = 3600.0 * f64::from(params.max_tokens) / NONSTREAMING_TOKENS_PER_HOUR;
    let cap = NONSTREAMING_TOKEN_CAPS
        .iter()
        .find(|(model, _)| *model == params.model)
        .map(|(_, cap)| *cap);
    if expected_seconds > DEFAULT_TIMEOUT.as_secs_f64()
        || cap.is_some_and(|cap| params.max_tokens > cap)
    {
        return Err(ValidationError::new(
            "max_tokens",
            ValidationRule::StreamingRequired,
            "streaming is required for operations that may take longer than 10 minutes: use \
             messages.stream (and its final message), lower max_tokens, or set a timeout",
        )
        .into());
    }
    Ok(DEFAULT_TIMEOUT)
}

fn to_json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| {
        ValidationError::new(
            "",
            ValidationRule::Shape,
            format!("the request cannot be written as JSON: {e}"),
        )
        .into()
    })
}
