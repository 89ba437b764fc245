//! The JavaScript boundary: a thin layer the npm package's JS shell calls. Values cross as JSON
//! text, which the shell reads with `JSON.parse` (faster than building objects field by field
//! from wasm, and it gives `null` where JSON has null); errors cross as a JSON descriptor the
//! shell turns into the official error classes. Nothing here can panic.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use js_sys::{Function, Promise};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{AbortSignal, ReadableStreamDefaultReader};

use crate::client::{
    batch_path, ApiResponse, BodyReader, Client, ClientOptions, MessageStream, RequestOptions,
    BATCHES,
};
use crate::error::{ApiKey, Error};
use crate::fetch::{AbortGuard, FetchTransport};
use crate::headers::Headers;
use crate::partial_json::parse_partial;
use crate::types::{percent_encode, ListParams};
use crate::validate::ValidateOptions;
use anthropic_wasm_core::stream::{Op, StreamCodec};

/// Client options as the shell passes them (the official SDK's names).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsClientOptions {
    api_key: Option<String>,
    auth_token: Option<String>,
    #[serde(rename = "baseURL")]
    base_url: Option<String>,
    max_retries: Option<u32>,
    /// Milliseconds.
    timeout: Option<f64>,
    default_headers: Option<Map<String, Value>>,
    dangerously_allow_browser: bool,
    /// `false` turns the request checks off; `{ rejectPrefill: false }` keeps them but allows
    /// prefill on every model.
    validation: Option<Value>,
}

/// Per-request options as the shell passes them.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsRequestOptions {
    timeout: Option<f64>,
    max_retries: Option<u32>,
    headers: Option<Map<String, Value>>,
    betas: Option<Vec<String>>,
}

/// A client for the JS shell.
#[wasm_bindgen]
pub struct WasmClient {
    options: ClientOptions,
    fetch: Option<Function>,
}

#[wasm_bindgen]
impl WasmClient {
    /// A client from JSON options and an optional `fetch` to use instead of the global one.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str, fetch: Option<Function>) -> Result<WasmClient, JsValue> {
        let js: JsClientOptions = from_json(options, "client options")?;
        let validation = match js.validation {
            Some(Value::Bool(false)) => None,
            Some(Value::Object(rules)) => Some(ValidateOptions {
                reject_prefill_for_models_without_support: rules
                    .get("rejectPrefill")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            }),
            _ => Some(ValidateOptions::default()),
        };
        let defaults = ClientOptions::default();
        let options = ClientOptions {
            api_key: js.api_key.map(ApiKey::new),
            auth_token: js.auth_token.map(ApiKey::new),
            base_url: js.base_url.unwrap_or(defaults.base_url),
            max_retries: js.max_retries.unwrap_or(defaults.max_retries),
            timeout: js.timeout.and_then(milliseconds),
            default_headers: header_list(js.default_headers),
            dangerously_allow_browser: js.dangerously_allow_browser,
            validation,
        };
        Ok(WasmClient { options, fetch })
    }

    /// `messages.create` without streaming: resolves to `{data, requestId, headers}` as JSON.
    /// The body is sent and the reply handed back as JSON text, unchanged.
    pub fn create(&self, params: String, options: String, signal: Option<AbortSignal>) -> Promise {
        self.call(options, signal, move |client, options| async move {
            client.messages().create_json(params, &options).await
        })
    }

    /// `messages.create({stream: true})` and `messages.stream`: resolves to a stream once the
    /// response headers have arrived (retries happen before that). `params` says
    /// `"stream": true` and is sent unchanged.
    pub fn stream(&self, params: String, options: String, signal: Option<AbortSignal>) -> Promise {
        let client = self.client(signal);
        future_to_promise(async move {
            let connect = async {
                client
                    .messages()
                    .stream_json(params, &request_options(&options)?)
                    .await
            };
            match connect.await {
                Ok(stream) => Ok(WasmMessageStream::new(client, stream).into()),
                Err(error) => Err(error_value(&error)),
            }
        })
    }

    /// `messages.countTokens`.
    #[wasm_bindgen(js_name = countTokens)]
    pub fn count_tokens(
        &self,
        params: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        self.send(
            "POST",
            "/v1/messages/count_tokens".into(),
            Some(params),
            options,
            signal,
        )
    }

    /// `models.list` (one page; the shell pages).
    #[wasm_bindgen(js_name = listModels)]
    pub fn list_models(
        &self,
        query: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        self.list("/v1/models", &query, options, signal)
    }

    /// `models.retrieve`.
    #[wasm_bindgen(js_name = retrieveModel)]
    pub fn retrieve_model(
        &self,
        id: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        let path = format!("/v1/models/{}", percent_encode(&id));
        self.send("GET", path, None, options, signal)
    }

    /// `messages.batches.create`.
    #[wasm_bindgen(js_name = createBatch)]
    pub fn create_batch(
        &self,
        params: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        self.send("POST", BATCHES.into(), Some(params), options, signal)
    }

    /// `messages.batches.retrieve`, `cancel` (`action` "cancel") and `delete` ("delete").
    #[wasm_bindgen(js_name = batchAction)]
    pub fn batch_action(
        &self,
        action: String,
        id: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        let (method, suffix) = match action.as_str() {
            "cancel" => ("POST", "/cancel"),
            "delete" => ("DELETE", ""),
            _ => ("GET", ""),
        };
        self.send(method, batch_path(&id, suffix), None, options, signal)
    }

    /// `messages.batches.list` (one page; the shell pages).
    #[wasm_bindgen(js_name = listBatches)]
    pub fn list_batches(
        &self,
        query: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        self.list(BATCHES, &query, options, signal)
    }

    /// `messages.batches.results`: resolves to all result lines as a JSON array.
    #[wasm_bindgen(js_name = batchResults)]
    pub fn batch_results(
        &self,
        id: String,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        let client = self.client(signal);
        respond(async move {
            let results = client
                .batches()
                .results(&id, &request_options(&options)?)
                .await?;
            let lines = results.raw().all().await?;
            serde_json::to_string(&lines).map_err(|e| Error::decode(e, b""))
        })
    }

    /// A client for one operation: the caller's signal aborts everything it does.
    fn client(&self, signal: Option<AbortSignal>) -> Client<FetchTransport> {
        Client::new(
            FetchTransport::new(self.fetch.clone(), signal),
            self.options.clone(),
        )
    }
}

impl WasmClient {
    /// A request whose JSON body and reply cross unchanged, as JSON text.
    fn send(
        &self,
        method: &'static str,
        path: String,
        body: Option<String>,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        self.call(options, signal, move |client, options| async move {
            client
                .send::<Box<RawValue>>(method, &path, body, &options)
                .await
        })
    }

    /// One page of a list: `query` is the list parameters as JSON.
    fn list(
        &self,
        path: &str,
        query: &str,
        options: String,
        signal: Option<AbortSignal>,
    ) -> Promise {
        match from_json::<ListParams>(query, "list params") {
            Ok(query) => self.send(
                "GET",
                format!("{path}{}", query.query()),
                None,
                options,
                signal,
            ),
            Err(error) => Promise::reject(&error),
        }
    }

    /// One request for the shell: a client obeying `signal`, the request options read from
    /// their JSON, and the reply wrapped as `{data, requestId, headers}`.
    fn call<T, F, Fut>(&self, options: String, signal: Option<AbortSignal>, operation: F) -> Promise
    where
        T: serde::Serialize,
        F: FnOnce(Client<FetchTransport>, RequestOptions) -> Fut + 'static,
        Fut: Future<Output = Result<ApiResponse<T>, Error>>,
    {
        let client = self.client(signal);
        respond(async move {
            let options = request_options(&options)?;
            operation(client, options)
                .await
                .map(|reply| envelope(&reply))
        })
    }
}

/// A streamed reply for the JS shell, which reads the body's stream itself (one `await` per
/// chunk, as any JS client pays) and hands each chunk to the stream codec
/// (`anthropic_wasm_core::stream`) synchronously: one call per chunk, whose batch JS reads
/// out of wasm memory and accumulates on the wire JSON. No message is built here.
#[wasm_bindgen]
pub struct WasmMessageStream {
    client: Client<FetchTransport>,
    body: RefCell<Option<BodyReader<FetchTransport>>>,
    codec: RefCell<StreamCodec>,
    /// The last batch behind its 4-byte little-endian length (see `push`).
    batch: RefCell<Vec<u8>>,
    /// Keeps the request abortable while JS reads; dropped (aborting it) by `cancel`.
    guard: RefCell<Option<AbortGuard>>,
    headers: Headers,
}

impl WasmMessageStream {
    fn new(client: Client<FetchTransport>, stream: MessageStream<FetchTransport>) -> Self {
        let (body, _, headers) = stream.into_parts();
        Self {
            client,
            body: RefCell::new(Some(body)),
            codec: RefCell::new(StreamCodec::new()),
            batch: RefCell::new(Vec::new()),
            guard: RefCell::new(None),
            headers,
        }
    }
}

#[wasm_bindgen]
impl WasmMessageStream {
    /// The body's `ReadableStreamDefaultReader`, once (`undefined` after that, or when the
    /// response has no body).
    #[wasm_bindgen(js_name = takeReader)]
    pub fn take_reader(&self) -> Option<ReadableStreamDefaultReader> {
        let body = self.body.try_borrow_mut().ok()?.take()?.into_body()?;
        let (reader, guard) = body.into_reader();
        if let Ok(mut slot) = self.guard.try_borrow_mut() {
            *slot = Some(guard);
        }
        reader
    }

    /// Feeds a chunk of the body; returns the address in wasm memory of the batch of the
    /// events it completed, behind its length (`[length: u32 LE][batch]`, length 0: none),
    /// valid until the next call. `full`: whole events for the hot deltas too (someone
    /// iterates the events or listens to `streamEvent`). See `anthropic_wasm_core::stream`.
    pub fn push(&self, chunk: &[u8], full: bool) -> usize {
        self.decode(|codec| codec.push(chunk, full))
    }

    /// The body ended: as `push`, with an `INCOMPLETE` item if it ended short of
    /// `message_stop`.
    pub fn end(&self, full: bool) -> usize {
        self.decode(|codec| codec.end(full))
    }

    /// Why the stream ended early, once a batch ended with a terminal item: the error
    /// descriptor the shell turns into an error class (`undefined` if it did not end so).
    pub fn failure(&self) -> JsValue {
        let Ok(codec) = self.codec.try_borrow() else {
            return JsValue::UNDEFINED;
        };
        let Some((op, payload)) = codec.terminal() else {
            return JsValue::UNDEFINED;
        };
        let field = |name: &str| {
            serde_json::from_slice::<Value>(payload)
                .ok()
                .and_then(|value| value.get(name)?.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let error = match op {
            Op::Error => match serde_json::from_slice::<crate::types::ErrorEvent>(payload) {
                Ok(event) => Error::mid_stream(event.error, &self.headers),
                Err(problem) => Error::decode(
                    format_args!("an error event that is not the API's error: {problem}"),
                    payload,
                ),
            },
            Op::Incomplete => Error::IncompleteStream {
                message: field("message"),
            },
            _ => Error::Decode {
                message: field("message"),
                excerpt: field("excerpt"),
            },
        };
        error_value(&self.client.redact(error))
    }

    /// The response's `request-id`.
    #[wasm_bindgen(getter, js_name = requestId)]
    pub fn request_id(&self) -> Option<String> {
        self.headers.request_id().map(str::to_owned)
    }

    /// The response headers as a JSON object.
    #[wasm_bindgen(getter)]
    pub fn headers(&self) -> String {
        headers_json(&self.headers)
    }

    /// Stops the request: the fetch is aborted.
    pub fn cancel(&self) {
        if let Ok(mut guard) = self.guard.try_borrow_mut() {
            guard.take();
        }
        if let Ok(mut body) = self.body.try_borrow_mut() {
            body.take();
        }
    }
}

impl WasmMessageStream {
    /// Runs one codec step and frames its batch for JS, with the client's credentials removed
    /// once the stream has ended (an error event or a bad event's excerpt is text from
    /// elsewhere, which could echo them).
    fn decode(&self, step: impl FnOnce(&mut StreamCodec) -> &[u8]) -> usize {
        let (Ok(mut codec), Ok(mut out)) =
            (self.codec.try_borrow_mut(), self.batch.try_borrow_mut())
        else {
            return 0;
        };
        out.clear();
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(step(&mut codec));
        if codec.has_ended() {
            let text = self.client.redact_text(&String::from_utf8_lossy(&out[4..]));
            out.truncate(4);
            out.extend_from_slice(text.as_bytes());
        }
        let length = (out.len() - 4) as u32;
        if let Some(head) = out.get_mut(..4) {
            head.copy_from_slice(&length.to_le_bytes());
        }
        out.as_ptr() as usize
    }
}

/// The stream codec's tables (its ops and the message-delta rule) as JSON, for the shell.
#[wasm_bindgen(js_name = streamRules)]
pub fn stream_rules() -> String {
    anthropic_wasm_core::stream::rules_json()
}

/// A best-effort parse of unfinished JSON (tool input previews), as JSON text; `null` when the
/// text is not a prefix of JSON.
#[wasm_bindgen(js_name = parsePartialJson)]
pub fn parse_partial_json(text: &str) -> Option<String> {
    parse_partial(text).map(|value| value.to_string())
}

/// A streaming tool input's preview, fed each fragment once: answers with the edit ops of
/// `anthropic_wasm_core::partial_json` (applied by the shell's `lib/partial-preview.js`), so a
/// preview per fragment costs the fragment, not the whole input so far.
#[wasm_bindgen]
#[derive(Default)]
pub struct PartialJsonPreview(anthropic_wasm_core::partial_json::PartialJson);

#[wasm_bindgen]
impl PartialJsonPreview {
    /// A preview of nothing yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// The ops (the text of a JSON array) that bring the preview up to date with `fragment`.
    pub fn push(&mut self, fragment: &str) -> String {
        self.0.push(fragment.as_bytes()).to_owned()
    }
}

fn json_string(text: &str) -> String {
    Value::from(text).to_string()
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// Runs an operation whose success is JSON text.
fn respond(operation: impl Future<Output = Result<String, Error>> + 'static) -> Promise {
    future_to_promise(async move {
        match operation.await {
            Ok(text) => Ok(JsValue::from_str(&text)),
            Err(error) => Err(error_value(&error)),
        }
    })
}

/// `{data, requestId, headers}` as JSON. Written as text (every value serialized with
/// `to_string`, never through `serde_json::Value`) so each type's serializer is compiled once.
fn envelope<T: serde::Serialize>(reply: &ApiResponse<T>) -> String {
    format!(
        r#"{{"data":{},"requestId":{},"headers":{}}}"#,
        to_json(&reply.data),
        to_json(&reply.request_id),
        headers_json(&reply.headers)
    )
}

/// The headers as a JSON object, names in lower case, the first of repeated names kept.
fn headers_json(headers: &Headers) -> String {
    let mut object = Map::new();
    for (name, value) in headers.iter() {
        object
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| Value::from(value));
    }
    Value::Object(object).to_string()
}

/// The error as the JSON descriptor the shell turns into an error class:
/// `{kind, message, status, requestId, …}` plus what the kind carries.
fn error_value(error: &Error) -> JsValue {
    let mut fields = vec![
        ("message", json_string(&error.to_string())),
        ("status", to_json(&error.status())),
        ("requestId", to_json(&error.request_id())),
    ];
    let kind = match error {
        Error::Api(api) | Error::MidStream(api) => {
            // As it arrived: an HTTP error's body has `request_id`, an `error` event has not.
            let body = match error {
                Error::Api(_) => format!(
                    r#"{{"type":"error","error":{},"request_id":{}}}"#,
                    to_json(&api.error),
                    to_json(&api.request_id)
                ),
                _ => format!(r#"{{"type":"error","error":{}}}"#, to_json(&api.error)),
            };
            fields.push(("error", body));
            fields.push(("headers", headers_json(&api.headers)));
            fields.push(("type", to_json(&api.error.kind)));
            if matches!(error, Error::Api(_)) {
                "api"
            } else {
                "mid_stream"
            }
        }
        Error::NonJsonResponse {
            body_start,
            headers,
            ..
        } => {
            fields.push(("body", json_string(body_start)));
            fields.push(("headers", headers_json(headers)));
            "api"
        }
        Error::Connection { .. } => "connection",
        Error::Timeout => "timeout",
        Error::Aborted => "aborted",
        Error::InvalidRequest(invalid) => {
            fields.push(("path", json_string(&invalid.path)));
            fields.push(("rule", json_string(&format!("{:?}", invalid.rule))));
            "invalid_request"
        }
        Error::IncompleteStream { .. } => "incomplete_stream",
        _ => "decode",
    };
    let mut text = format!(r#"{{"kind":"{kind}""#);
    for (name, value) in fields {
        let _ = write!(text, r#","{name}":{value}"#);
    }
    text.push('}');
    JsValue::from_str(&text)
}

fn parse_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::decode(e, text.as_bytes()))
}

fn from_value<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| {
        crate::error::ValidationError::new(
            "",
            crate::error::ValidationRule::Shape,
            format!("{what}: {e}"),
        )
        .into()
    })
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, JsValue> {
    parse_json(text)
        .and_then(|v| from_value(v, what))
        .map_err(|e| error_value(&e))
}

fn request_options(text: &str) -> Result<RequestOptions, Error> {
    let js: JsRequestOptions = from_value(parse_json(text)?, "request options")?;
    Ok(RequestOptions {
        timeout: js.timeout.and_then(milliseconds),
        max_retries: js.max_retries,
        headers: header_list(js.headers),
        betas: js.betas.unwrap_or_default(),
        on_retry: None,
    })
}

/// Header maps from JS: strings and numbers are sent, `null` removes.
fn header_list(headers: Option<Map<String, Value>>) -> Vec<(String, Option<String>)> {
    headers
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, value)| match value {
            Value::Null => Some((name, None)),
            Value::String(text) => Some((name, Some(text))),
            Value::Number(number) => Some((name, Some(number.to_string()))),
            Value::Bool(flag) => Some((name, Some(flag.to_string()))),
            _ => None,
        })
        .collect()
}

fn milliseconds(ms: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(ms / 1000.0).ok()
}
