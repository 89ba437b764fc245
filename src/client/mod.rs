//! The client: builds requests, sends them through a [`Transport`] with the official retry and
//! timeout rules, and decodes what comes back. Pure Rust: the wasm build plugs in `fetch`,
//! tests plug in scripted responses.

mod batches;
mod messages;
mod models;
pub mod transport;
mod url;

use core::future::Future;
use core::ops::Deref;
use core::time::Duration;
use std::rc::Rc;

use futures_util::future::{self, Either};
use serde::de::DeserializeOwned;

pub use batches::{batch_path, BatchResults, Batches, BATCHES};
pub use messages::{BodyReader, MessageStream, Messages};
pub use models::{Models, Paginator};
use transport::{HttpRequest, HttpResponse, ResponseBody, Transport};
use url::join_url;

use crate::error::{ApiKey, Credentials, Error, ValidationError, ValidationRule};
use crate::headers::Headers;
use crate::retry::{self, Decision, Failure, RetryContext};
use crate::stream::Limits;
use crate::validate::ValidateOptions;

/// The API's address unless configured otherwise.
pub use anthropic_wasm_core::request::{API_VERSION, DEFAULT_BASE_URL};

/// `prefix` + `id` as one path segment + `suffix` (core's rule, for every resource with an id),
/// or the refusal as an [`Error::InvalidRequest`] of the id.
fn resource_path(prefix: &str, id: &str, suffix: &str) -> Result<String, Error> {
    anthropic_wasm_core::request::resource_path(prefix, id, suffix).map_err(|message| {
        Error::InvalidRequest(ValidationError::new("id", ValidationRule::Shape, message))
    })
}

/// How long a request may take, as in the official SDK: 10 minutes.
pub const DEFAULT_TIMEOUT: Duration =
    Duration::from_millis(anthropic_wasm_core::request::DEFAULT_TIMEOUT_MS);
/// The stall watchdog's default: see [`ClientOptions::stall_timeout`].
pub const DEFAULT_STALL_TIMEOUT: Duration =
    Duration::from_millis(anthropic_wasm_core::request::DEFAULT_STALL_TIMEOUT_MS);

/// How a client talks to the API. `Debug` shows no credential, also not one among the
/// `default_headers`.
#[derive(Clone)]
pub struct ClientOptions {
    /// Sent as `x-api-key`.
    pub api_key: Option<ApiKey>,
    /// Sent as `Authorization: Bearer …` (OAuth-style tokens).
    pub auth_token: Option<ApiKey>,
    /// Where the API is; a proxy (e.g. a Worker that adds the key) may need no key at all.
    pub base_url: String,
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// Per-attempt time limit. `None` means the default 10 minutes, and then non-streaming
    /// requests too large to finish in that time are refused, as the official SDK does.
    pub timeout: Option<Duration>,
    /// How long a stream's body may send no byte (pings count) before it ends with
    /// [`Error::Timeout`], the message so far kept in the stream's snapshot: by default
    /// [`DEFAULT_STALL_TIMEOUT`] (a minute; the API pings a quiet stream). `None` turns the
    /// watchdog off: a stream then waits up to `timeout` for each chunk.
    pub stall_timeout: Option<Duration>,
    /// Headers added to every request; `None` removes a header the client would send.
    pub default_headers: Vec<(String, Option<String>)>,
    /// Sends `anthropic-dangerous-direct-browser-access: true`: needed for calls from a browser.
    pub dangerously_allow_browser: bool,
    /// Checks requests before sending them (`None` turns the checks off).
    pub validation: Option<ValidateOptions>,
    /// The largest event a stream may send, in bytes (default 16 MiB): past it the stream ends
    /// with [`Error::LimitExceeded`], so a hostile upstream cannot exhaust memory.
    pub max_event_bytes: usize,
    /// The largest input of one tool block a stream may send, in bytes as received (default
    /// 16 MiB); past it, as for `max_event_bytes`.
    pub max_tool_input_bytes: usize,
}

impl ClientOptions {
    /// The stream codec's limits of these options.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_event_bytes: self.max_event_bytes,
            max_tool_input_bytes: self.max_tool_input_bytes,
        }
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            api_key: None,
            auth_token: None,
            base_url: DEFAULT_BASE_URL.into(),
            max_retries: retry::DEFAULT_MAX_RETRIES,
            timeout: None,
            stall_timeout: Some(DEFAULT_STALL_TIMEOUT),
            default_headers: Vec::new(),
            dangerously_allow_browser: false,
            validation: Some(ValidateOptions::default()),
            max_event_bytes: Limits::default().max_event_bytes,
            max_tool_input_bytes: Limits::default().max_tool_input_bytes,
        }
    }
}

impl core::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let keys = self.api_key.iter().chain(&self.auth_token);
        let credentials = Credentials::new(header_pairs(&self.default_headers), keys);
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key)
            .field("auth_token", &self.auth_token)
            .field("base_url", &credentials.text(&self.base_url))
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("stall_timeout", &self.stall_timeout)
            .field(
                "default_headers",
                &credentials.headers(header_pairs(&self.default_headers)),
            )
            .field("dangerously_allow_browser", &self.dangerously_allow_browser)
            .field("validation", &self.validation)
            .field("max_event_bytes", &self.max_event_bytes)
            .field("max_tool_input_bytes", &self.max_tool_input_bytes)
            .finish()
    }
}

/// Header entries as `(name, value)` of `str`s.
fn header_pairs(
    headers: &[(String, Option<String>)],
) -> impl Iterator<Item = (&str, Option<&str>)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_deref()))
}

/// Options of one request, over the client's. `Debug` shows no credential among the headers.
#[derive(Clone, Default)]
pub struct RequestOptions {
    /// Per-attempt time limit for this request.
    pub timeout: Option<Duration>,
    /// The stall watchdog for this stream (see [`ClientOptions::stall_timeout`]); `None`: the
    /// client's; `Some(Duration::ZERO)`: off for this request.
    pub stall_timeout: Option<Duration>,
    /// Retries for this request.
    pub max_retries: Option<u32>,
    /// Extra headers; `None` removes one.
    pub headers: Vec<(String, Option<String>)>,
    /// Beta features, sent as `anthropic-beta`.
    pub betas: Vec<String>,
    /// Told about each retry before its wait, so a user interface can show it.
    pub on_retry: Option<OnRetry>,
}

impl core::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let credentials = Credentials::new(header_pairs(&self.headers), []);
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("stall_timeout", &self.stall_timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &credentials.headers(header_pairs(&self.headers)))
            .field("betas", &self.betas)
            .field("on_retry", &self.on_retry)
            .finish()
    }
}

/// A retry about to happen, as [`RequestOptions::on_retry`] hears of it.
#[derive(Debug)]
pub struct RetryNotice<'a> {
    /// The failure being retried, credentials removed; [`Error::status`] gives its status.
    pub error: &'a Error,
    /// Which retry this is: 1 for the first.
    pub attempt: u32,
    /// How long the client waits before sending again.
    pub delay: Duration,
}

/// A callback for [`RetryNotice`]s; a shared closure so that options stay cheap to clone.
#[derive(Clone)]
pub struct OnRetry(pub Rc<dyn Fn(&RetryNotice<'_>)>);

impl OnRetry {
    /// Wraps a closure.
    pub fn new(callback: impl Fn(&RetryNotice<'_>) + 'static) -> Self {
        Self(Rc::new(callback))
    }
}

impl core::fmt::Debug for OnRetry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("OnRetry(..)")
    }
}

/// A decoded response with what came with it.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub data: T,
    /// The `request-id` header, for support requests and logs.
    pub request_id: Option<String>,
    /// All response headers (rate limits, organization id…).
    pub headers: Headers,
}

impl<T> Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T> ApiResponse<T> {
    /// The decoded body, without the headers.
    pub fn into_inner(self) -> T {
        self.data
    }
}

/// An Anthropic API client. Cheap to clone: clones share the transport and options.
pub struct Client<T: Transport> {
    inner: Rc<Inner<T>>,
}

impl<T: Transport> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Rc::clone(&self.inner),
        }
    }
}

struct Inner<T> {
    transport: T,
    options: ClientOptions,
}

/// What the body of a successful response is needed for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Read it whole within the timeout.
    Whole,
    /// Hand it over unread: it streams.
    Streamed,
}

impl<T: Transport> Client<T> {
    /// A client over `transport`.
    pub fn new(transport: T, options: ClientOptions) -> Self {
        Self {
            inner: Rc::new(Inner { transport, options }),
        }
    }

    /// The client's options.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The transport, e.g. for its timers.
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// `messages.create`, `messages.stream`, `messages.count_tokens`.
    pub fn messages(&self) -> Messages<T> {
        Messages::new(self.clone())
    }

    /// `models.list`, `models.retrieve`.
    pub fn models(&self) -> Models<T> {
        Models::new(self.clone())
    }

    /// Message Batches.
    pub fn batches(&self) -> Batches<T> {
        Batches::new(self.clone())
    }

    /// Any API request, with this client's headers, retries and timeout, its JSON reply read
    /// as `R`: for endpoints without a method here, and for callers that hand the reply on
    /// unchanged (`R = Box<RawValue>`: checked to be JSON, not decoded), as the JS layer does.
    pub async fn send<R: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        body: Option<String>,
        options: &RequestOptions,
    ) -> Result<ApiResponse<R>, Error> {
        let request = self.request(method, path, body, options);
        self.json(request, options, self.timeout(options)).await
    }

    /// Builds a request: the URL from the base URL and `path`, and the headers in the official
    /// SDK's order (defaults, auth, client headers, request headers; a later `None` removes).
    fn request(
        &self,
        method: &'static str,
        path: &str,
        body: Option<String>,
        options: &RequestOptions,
    ) -> HttpRequest {
        let client = &self.inner.options;
        let mut headers: Vec<(String, Option<String>)> = vec![
            ("accept".into(), Some("application/json".into())),
            ("anthropic-version".into(), Some(API_VERSION.into())),
        ];
        if body.is_some() {
            headers.push(("content-type".into(), Some("application/json".into())));
        }
        if let Some(key) = &client.api_key {
            headers.push(("x-api-key".into(), Some(key.expose().into())));
        }
        if let Some(token) = &client.auth_token {
            headers.push((
                "authorization".into(),
                Some(format!("Bearer {}", token.expose())),
            ));
        }
        if client.dangerously_allow_browser {
            headers.push((
                "anthropic-dangerous-direct-browser-access".into(),
                Some("true".into()),
            ));
        }
        if !options.betas.is_empty() {
            headers.push(("anthropic-beta".into(), Some(options.betas.join(","))));
        }
        headers.extend(client.default_headers.iter().cloned());
        headers.extend(options.headers.iter().cloned());
        HttpRequest {
            method,
            url: join_url(&client.base_url, path),
            headers: merge_headers(headers),
            body,
        }
    }

    /// Sends with retries; a success's body is read whole (`Body::Whole`, within the timeout)
    /// or left to stream.
    async fn execute(
        &self,
        request: HttpRequest,
        options: &RequestOptions,
        timeout: Duration,
        body: Body,
    ) -> Result<(HttpResponse<T::Body>, Vec<u8>), Error> {
        let transport = &self.inner.transport;
        let max_retries = options
            .max_retries
            .unwrap_or(self.inner.options.max_retries);
        let mut retries_done = 0;
        loop {
            let outcome = self
                .with_timeout(timeout, attempt(transport, request.clone(), body))
                .await
                .and_then(|r| r);
            let (error, decision) = match outcome {
                Ok(Attempt::Success(response, bytes)) => return Ok((response, bytes)),
                Ok(Attempt::Failed {
                    status,
                    headers,
                    bytes,
                }) => {
                    let error = Error::from_response(status, &headers, &bytes);
                    let code = error
                        .api_error()
                        .and_then(|e| e.error.error_code())
                        .map(str::to_owned);
                    let failure = Failure::Status {
                        status,
                        headers: &headers,
                        error_code: code.as_deref(),
                    };
                    let decision =
                        retry::decide(&failure, &self.retry_context(retries_done, max_retries));
                    (error, decision)
                }
                Err(error) => {
                    let failure = match error {
                        Error::Connection { .. } => Failure::Connection,
                        Error::Timeout => Failure::Timeout,
                        _ => return Err(self.redact(error)),
                    };
                    let decision =
                        retry::decide(&failure, &self.retry_context(retries_done, max_retries));
                    (error, decision)
                }
            };
            match decision {
                Decision::RetryAfter(delay) => {
                    retries_done += 1;
                    if let Some(OnRetry(callback)) = &options.on_retry {
                        callback(&RetryNotice {
                            error: &self.redact(error),
                            attempt: retries_done,
                            delay,
                        });
                    }
                    transport.sleep(delay).await;
                }
                Decision::DontRetry => return Err(self.redact(error)),
            }
        }
    }

    /// Sends a request and decodes its JSON body.
    async fn json<R: DeserializeOwned>(
        &self,
        request: HttpRequest,
        options: &RequestOptions,
        timeout: Duration,
    ) -> Result<ApiResponse<R>, Error> {
        let (response, bytes) = self.execute(request, options, timeout, Body::Whole).await?;
        let data =
            serde_json::from_slice(&bytes).map_err(|e| self.redact(Error::decode(e, &bytes)))?;
        Ok(ApiResponse {
            data,
            request_id: response.headers.request_id().map(str::to_owned),
            headers: response.headers,
        })
    }

    /// The per-attempt timeout of a request.
    fn timeout(&self, options: &RequestOptions) -> Duration {
        options
            .timeout
            .or(self.inner.options.timeout)
            .unwrap_or(DEFAULT_TIMEOUT)
    }

    /// The longest wait for a stream's next chunk: the stall watchdog's period when it is on
    /// and shorter than the request's `timeout`, else `timeout`.
    fn stall_bound(&self, options: &RequestOptions, timeout: Duration) -> Duration {
        match options.stall_timeout.or(self.inner.options.stall_timeout) {
            Some(stall) if !stall.is_zero() => stall.min(timeout),
            _ => timeout,
        }
    }

    /// Races `future` against the timer: [`Error::Timeout`] if the timer wins (and `future` is
    /// dropped, which aborts its request).
    async fn with_timeout<F: Future>(
        &self,
        duration: Duration,
        future: F,
    ) -> Result<F::Output, Error> {
        let timer = self.inner.transport.sleep(duration);
        futures_util::pin_mut!(future, timer);
        match future::select(future, timer).await {
            Either::Left((output, _)) => Ok(output),
            Either::Right(((), _)) => Err(Error::Timeout),
        }
    }

    fn retry_context(&self, retries_done: u32, max_retries: u32) -> RetryContext {
        let transport = &self.inner.transport;
        RetryContext {
            retries_done,
            max_retries,
            now_unix_ms: transport.now_unix_ms(),
            read_http_date: retry::parse_http_date,
            jitter: transport.random(),
        }
    }

    /// Removes the API key and auth token from any text an error carries.
    pub fn redact(&self, error: Error) -> Error {
        let options = &self.inner.options;
        let error = match &options.api_key {
            Some(key) => error.redacted(key),
            None => error,
        };
        match &options.auth_token {
            Some(token) => error.redacted(token),
            None => error,
        }
    }
}

/// One attempt's outcome, body included where it was read.
enum Attempt<B> {
    Success(HttpResponse<B>, Vec<u8>),
    Failed {
        status: u16,
        headers: Headers,
        bytes: Vec<u8>,
    },
}

async fn attempt<T: Transport>(
    transport: &T,
    request: HttpRequest,
    body: Body,
) -> Result<Attempt<T::Body>, Error> {
    let mut response = transport.send(request).await?;
    if !(200..300).contains(&response.status) {
        let bytes = response.body.bytes().await.unwrap_or_default();
        return Ok(Attempt::Failed {
            status: response.status,
            headers: response.headers,
            bytes,
        });
    }
    let bytes = match body {
        Body::Whole => response.body.bytes().await?,
        Body::Streamed => Vec::new(),
    };
    Ok(Attempt::Success(response, bytes))
}

/// Later entries win over earlier ones of the same name (ignoring case); `None` removes.
fn merge_headers(entries: Vec<(String, Option<String>)>) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        merged.retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
        if let Some(value) = value {
            merged.push((name, value));
        }
    }
    merged
}
