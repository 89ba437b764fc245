//! One error type for everything that can go wrong, classified like the official SDK's error
//! classes, with messages a person can act on.

use core::fmt;
use core::time::Duration;

use crate::headers::Headers;
use crate::types::{ErrorObject, ErrorResponse};
use anthropic_wasm_core::api_error;

/// What can go wrong talking to the Messages API.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (4xx/5xx) and a JSON error body.
    Api(Box<ApiError>),
    /// The API sent an `error` event inside a stream that had started (HTTP 200); classified by
    /// the event's `error.type`. The partial message so far is kept by the stream.
    MidStream(Box<ApiError>),
    /// No response: the connection failed (DNS, TLS, CORS refusal, reset…).
    Connection {
        /// What the platform reported.
        message: String,
    },
    /// No response (or, for streams, no bytes) within the timeout.
    Timeout,
    /// The caller aborted the request.
    Aborted,
    /// The response was not what the API sends: invalid JSON or an impossible event order.
    Decode {
        /// What was wrong.
        message: String,
        /// The start of the offending bytes.
        excerpt: String,
    },
    /// The body ended before the reply was complete (mid-event, or without `message_stop`).
    IncompleteStream {
        /// What was missing.
        message: String,
    },
    /// An error status whose body is not JSON, e.g. an HTML page from a proxy.
    NonJsonResponse {
        /// The HTTP status.
        status: u16,
        /// The first bytes of the body.
        body_start: String,
        /// The `request-id` header, if any.
        request_id: Option<String>,
        /// The response headers.
        headers: Headers,
    },
    /// The request failed a check before it was sent.
    InvalidRequest(ValidationError),
    /// The stream passed one of the client's limits (`max_event_bytes`,
    /// `max_tool_input_bytes`) and was ended there, before more was buffered; the message so
    /// far is kept by the stream (the event that passed is not applied).
    LimitExceeded {
        /// Which limit.
        limit: StreamLimit,
        /// Its value, in bytes.
        max: usize,
    },
    /// A reply named a URL to fetch (a batch's `results_url`) on another origin than the base
    /// URL's: not fetched, since the request would carry the credentials there.
    CrossOrigin {
        /// The URL named.
        url: String,
    },
}

pub use anthropic_wasm_core::api_error::{excerpt, EXCERPT_LIMIT};

/// The limits of [`Error::LimitExceeded`], as the client options name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamLimit {
    /// `max_event_bytes`: the size of one event.
    EventBytes,
    /// `max_tool_input_bytes`: the size of one tool block's input.
    ToolInputBytes,
}

impl StreamLimit {
    /// The client option that sets it.
    pub fn option(self) -> &'static str {
        match self {
            Self::EventBytes => "max_event_bytes",
            Self::ToolInputBytes => "max_tool_input_bytes",
        }
    }
}

impl Error {
    /// Classifies an error response from its status, headers and body bytes.
    pub fn from_response(status: u16, headers: &Headers, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorResponse>(body) {
            Ok(response) => Self::Api(Box::new(ApiError::new(
                Some(status),
                response.error,
                headers,
                response.request_id,
            ))),
            Err(_) => Self::NonJsonResponse {
                status,
                body_start: excerpt(body),
                request_id: headers.request_id().map(str::to_owned),
                headers: headers.clone(),
            },
        }
    }

    /// An `error` event received mid-stream.
    pub fn mid_stream(error: ErrorObject, headers: &Headers) -> Self {
        Self::MidStream(Box::new(ApiError::new(None, error, headers, None)))
    }

    /// A decode failure, with an excerpt of the bytes that failed.
    pub fn decode(message: impl fmt::Display, bytes: &[u8]) -> Self {
        Self::Decode {
            message: message.to_string(),
            excerpt: excerpt(bytes),
        }
    }

    /// The error with every occurrence of `key` removed from the text it carries (messages from
    /// the platform, a proxy's page, the API's own words), so that it can be shown or logged.
    pub fn redacted(self, key: &ApiKey) -> Self {
        let scrub = |text: String| key.redact(&text);
        match self {
            Self::Api(error) => Self::Api(Box::new(error.redacted(key))),
            Self::MidStream(error) => Self::MidStream(Box::new(error.redacted(key))),
            Self::Connection { message } => Self::Connection {
                message: scrub(message),
            },
            Self::Decode { message, excerpt } => Self::Decode {
                message: scrub(message),
                excerpt: scrub(excerpt),
            },
            Self::IncompleteStream { message } => Self::IncompleteStream {
                message: scrub(message),
            },
            Self::NonJsonResponse {
                status,
                body_start,
                request_id,
                headers,
            } => Self::NonJsonResponse {
                status,
                body_start: scrub(body_start),
                request_id: request_id.map(scrub),
                headers: redacted_headers(&headers, key),
            },
            Self::InvalidRequest(error) => Self::InvalidRequest(ValidationError {
                path: scrub(error.path),
                message: scrub(error.message),
                rule: error.rule,
            }),
            Self::CrossOrigin { url } => Self::CrossOrigin { url: scrub(url) },
            Self::Timeout | Self::Aborted | Self::LimitExceeded { .. } => self,
        }
    }

    /// The API error, for `Api` and `MidStream`.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) | Self::MidStream(error) => Some(error),
            _ => None,
        }
    }

    /// The `request-id` of the response this error came from, when known.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(error) | Self::MidStream(error) => error.request_id.as_deref(),
            Self::NonJsonResponse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(error) => error.status,
            Self::NonJsonResponse { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => write!(f, "{error}"),
            Self::MidStream(error) => write!(f, "the stream failed after it started: {error}"),
            Self::Connection { message } => {
                write!(f, "could not reach the API ({message}); check the network, the base URL, and CORS settings in a browser")
            }
            Self::Timeout => f.write_str(
                "the API did not answer in time; raise the timeout, or stream long replies",
            ),
            Self::Aborted => f.write_str("the request was aborted"),
            Self::Decode { message, excerpt } => write!(
                f,
                "the response could not be read: {message} (near {excerpt:?})"
            ),
            Self::IncompleteStream { message } => write!(f, "the stream ended early: {message}"),
            Self::NonJsonResponse {
                status,
                body_start,
                request_id,
                ..
            } => f.write_str(&api_error::non_json_message(
                *status,
                body_start,
                request_id.as_deref(),
            )),
            Self::InvalidRequest(error) => write!(f, "invalid request: {error}"),
            Self::LimitExceeded { limit, max } => write!(
                f,
                "the stream passed the client's limit of {max} bytes ({}) and was ended; the \
                 message so far is kept; raise the limit if such replies are expected",
                limit.option()
            ),
            Self::CrossOrigin { url } => write!(
                f,
                "the batch's results_url {url} is not on the base URL's origin, and the client \
                 sends its credentials there only; fetch it yourself if you trust it"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Self::InvalidRequest(error)
    }
}

pub use anthropic_wasm_core::api_error::ApiErrorKind;

/// An error reported by the API itself.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The HTTP status; `None` for an `error` event inside a started stream.
    pub status: Option<u16>,
    /// The class, from the status (or from `error.type` when there is no known status).
    pub kind: ApiErrorKind,
    /// The body's `error` object: `type`, `message`, `details`.
    pub error: ErrorObject,
    /// From the `request-id` header or the body.
    pub request_id: Option<String>,
    /// The delay the API asked for (`retry-after-ms` or `retry-after` in seconds).
    pub retry_after: Option<Duration>,
    /// The response headers.
    pub headers: Headers,
}

impl ApiError {
    /// Builds and classifies an API error.
    pub fn new(
        status: Option<u16>,
        error: ErrorObject,
        headers: &Headers,
        body_request_id: Option<String>,
    ) -> Self {
        let kind = ApiErrorKind::classify(status, error.kind.as_str());
        Self {
            status,
            kind,
            request_id: headers.request_id().map(str::to_owned).or(body_request_id),
            retry_after: retry_after_header(headers),
            error,
            headers: headers.clone(),
        }
    }

    fn redacted(mut self, key: &ApiKey) -> Self {
        self.error.message = key.redact(&self.error.message);
        if let Some(details) = &mut self.error.details {
            redact_json(details, key);
        }
        // Fields this version does not know are the API's (or a proxy's) words too.
        let extra = std::mem::take(&mut self.error.extra);
        self.error.extra = extra
            .into_iter()
            .map(|(name, mut value)| {
                redact_json(&mut value, key);
                (key.redact(&name), value)
            })
            .collect();
        self.request_id = self.request_id.map(|id| key.redact(&id));
        self.headers = redacted_headers(&self.headers, key);
        self
    }

    /// The error's message from the API.
    pub fn message(&self) -> &str {
        &self.error.message
    }
}

/// `value` with the key removed from every string and member name, at any depth: the strings
/// as decoded, so a key sent with JSON escapes is found too.
fn redact_json(value: &mut serde_json::Value, key: &ApiKey) {
    use serde_json::Value;
    match value {
        Value::String(text) => *text = key.redact(text),
        Value::Array(items) => items.iter_mut().for_each(|item| redact_json(item, key)),
        Value::Object(members) => {
            *members = std::mem::take(members)
                .into_iter()
                .map(|(name, mut member)| {
                    redact_json(&mut member, key);
                    (key.redact(&name), member)
                })
                .collect();
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Headers with the key removed from every value (a proxy may echo it back).
fn redacted_headers(headers: &Headers, key: &ApiKey) -> Headers {
    headers
        .iter()
        .map(|(name, value)| (name.to_owned(), key.redact(value)))
        .collect()
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&api_error::api_message(&api_error::MessageParts {
            status: self.status,
            error_type: self.error.kind.as_str(),
            message: &self.error.message,
            error_code: self.error.error_code(),
            retry_after_secs: self.retry_after.map(|delay| delay.as_secs_f64()),
            request_id: self.request_id.as_deref(),
        }))
    }
}

/// `retry-after-ms`, else `retry-after` as seconds. (Dates are the retry policy's business.)
fn retry_after_header(headers: &Headers) -> Option<Duration> {
    let millis = headers
        .get("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|ms| ms / 1000.0);
    let seconds = millis.or_else(|| {
        headers
            .get("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
    })?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// A request that fails a check before sending, naming the field that is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The field's path, e.g. `messages[2].content[0].source.media_type`.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
    /// Which rule failed, for callers that act on some rules differently.
    pub rule: ValidationRule,
}

impl ValidationError {
    /// A failed check at `path`.
    pub fn new(path: impl Into<String>, rule: ValidationRule, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            rule,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ValidationError {}

impl From<anthropic_wasm_core::validate::Violation> for ValidationError {
    fn from(violation: anthropic_wasm_core::validate::Violation) -> Self {
        Self::new(violation.path, violation.rule, violation.message)
    }
}

/// The rules the request checks apply (the core's table, with stable names: [`ValidationRule::name`]).
pub use anthropic_wasm_core::validate::Rule as ValidationRule;

/// An API key. It is shown nowhere: not in `Debug`, not in errors; only the transport reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key, without white space around it: a key read from a file or a terminal often
    /// ends in a newline, which is not part of the key and is no valid header byte.
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        match key.trim() {
            trimmed if trimmed.len() == key.len() => Self(key),
            trimmed => Self(trimmed.to_owned()),
        }
    }

    /// The key, for the one header that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced, for text that came from elsewhere
    /// (a platform error message, a proxy's page) before it goes into an error or a log.
    pub fn redact(&self, text: &str) -> String {
        api_error::redact(text, &[&self.0])
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

/// The credentials among some headers (the values of `x-api-key` and `authorization`, the
/// latter also without its `Bearer`) and any known besides, for `Debug` of what carries them:
/// those headers' values shown as `[redacted]`, and every credential removed wherever else it
/// appears (a proxy header, the URL, the body).
pub(crate) struct Credentials<'a>(Vec<&'a str>);

impl<'a> Credentials<'a> {
    /// Header names whose values are credentials.
    fn is_secret(name: &str) -> bool {
        ["x-api-key", "authorization"]
            .iter()
            .any(|secret| name.eq_ignore_ascii_case(secret))
    }

    /// The credentials of `headers` and `known`.
    pub(crate) fn new(
        headers: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
        known: impl IntoIterator<Item = &'a ApiKey>,
    ) -> Self {
        let mut secrets: Vec<&str> = known.into_iter().map(ApiKey::expose).collect();
        for (name, value) in headers {
            if let Some(value) = value.filter(|_| Self::is_secret(name)) {
                let token = match value.get(..7) {
                    Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => value.get(7..),
                    _ => None,
                };
                secrets.push(token.unwrap_or(value));
            }
        }
        Self(secrets)
    }

    /// `text` without the credentials.
    pub(crate) fn text(&self, text: &str) -> String {
        api_error::redact(text, &self.0)
    }

    /// Headers as `Debug` shows them: credential headers' values `[redacted]`, the others
    /// without the credentials.
    pub(crate) fn headers<'h>(
        &self,
        headers: impl IntoIterator<Item = (&'h str, Option<&'h str>)>,
    ) -> Vec<(&'h str, Option<String>)> {
        headers
            .into_iter()
            .map(|(name, value)| {
                let shown = value.map(|value| match Self::is_secret(name) {
                    true => "[redacted]".to_owned(),
                    false => self.text(value),
                });
                (name, shown)
            })
            .collect()
    }
}
