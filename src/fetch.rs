//! The wasm transport: the global `fetch` (or one the caller supplies), the body read through a
//! `ReadableStream` reader, timers from the global `setTimeout`. Never `window`: Workers and
//! Node have none. Each request gets its own `AbortController`, aborted when the request or its
//! body is dropped and when the caller's `AbortSignal` fires.

use core::time::Duration;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader, RequestInit, Response};

use crate::client::transport::{HttpRequest, HttpResponse, ResponseBody, Transport};
use crate::error::Error;
use crate::headers::Headers;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, milliseconds: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    /// What `reader.read()` resolves to; typed getters read its fields without passing
    /// property names across on every chunk.
    type ReadResult;
    #[wasm_bindgen(method, getter)]
    fn done(this: &ReadResult) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn value(this: &ReadResult) -> JsValue;
}

/// `fetch` for one operation: the caller's `fetch` function if given, and the caller's
/// `AbortSignal`, which every request and sleep of the operation obeys.
#[derive(Clone)]
pub struct FetchTransport {
    fetch: Option<Function>,
    signal: Option<AbortSignal>,
}

impl FetchTransport {
    /// A transport using `fetch` (the global one when `None`), aborted by `signal`.
    pub fn new(fetch: Option<Function>, signal: Option<AbortSignal>) -> Self {
        Self { fetch, signal }
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

impl Transport for FetchTransport {
    type Body = FetchBody;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse<FetchBody>, Error> {
        if self.aborted() {
            return Err(Error::Aborted);
        }
        let link = AbortLink::new(self.signal.clone())?;
        let init = RequestInit::new();
        init.set_method(request.method);
        let headers = web_sys::Headers::new().map_err(|e| connection_error(&e))?;
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(|e| Error::Connection {
                message: format!("header `{name}` cannot be sent: {}", describe(&e)),
            })?;
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        init.set_signal(Some(&link.controller.signal()));
        let promise = match &self.fetch {
            Some(fetch) => fetch
                .call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init)
                .map(|value| Promise::resolve(&value))
                .map_err(|e| connection_error(&e))?,
            None => global_fetch(&request.url, &init),
        };
        let response = match JsFuture::from(promise).await {
            Ok(response) => response,
            Err(_) if self.aborted() => return Err(Error::Aborted),
            Err(error) => return Err(connection_error(&error)),
        };
        let response: Response = response.dyn_into().map_err(|_| Error::Connection {
            message: "fetch resolved to something that is not a Response".into(),
        })?;
        let reader = response.body().map(|body| {
            body.get_reader()
                .unchecked_into::<ReadableStreamDefaultReader>()
        });
        Ok(HttpResponse {
            status: response.status(),
            headers: read_headers(&response.headers()),
            body: FetchBody {
                reader,
                link,
                signal: self.signal.clone(),
            },
        })
    }

    async fn sleep(&self, duration: Duration) {
        Sleep::new(duration, self.signal.as_ref()).wait().await;
    }

    fn now_unix_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// A response body read through its stream's reader. Dropping it aborts the fetch.
pub struct FetchBody {
    reader: Option<ReadableStreamDefaultReader>,
    link: AbortLink,
    signal: Option<AbortSignal>,
}

impl ResponseBody for FetchBody {
    async fn next_chunk(&mut self) -> Option<Result<Vec<u8>, Error>> {
        let reader = self.reader.as_ref()?;
        let result = match JsFuture::from(reader.read()).await {
            Ok(result) => result,
            Err(_) if self.signal.as_ref().is_some_and(AbortSignal::aborted) => {
                self.reader = None;
                return Some(Err(Error::Aborted));
            }
            Err(error) => {
                self.reader = None;
                return Some(Err(connection_error(&error)));
            }
        };
        let result: ReadResult = result.unchecked_into();
        if result.done().is_truthy() {
            self.reader = None;
            self.link.finished();
            return None;
        }
        match result.value().dyn_into::<Uint8Array>() {
            Ok(bytes) => Some(Ok(bytes.to_vec())),
            Err(_) => Some(Err(Error::Connection {
                message: "the body stream gave something that is not bytes".into(),
            })),
        }
    }
}

/// One request's `AbortController`, aborted when the caller's signal fires (the listener is
/// removed when the request is done, so long-lived signals do not collect closures) and when
/// the request is dropped before it finished.
struct AbortLink {
    controller: AbortController,
    signal: Option<AbortSignal>,
    listener: Option<Closure<dyn FnMut()>>,
    finished: bool,
}

impl AbortLink {
    fn new(signal: Option<AbortSignal>) -> Result<Self, Error> {
        let controller = AbortController::new().map_err(|e| connection_error(&e))?;
        let listener = signal.as_ref().map(|signal| {
            let target = controller.clone();
            let listener = Closure::<dyn FnMut()>::new(move || target.abort());
            let _ =
                signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
            listener
        });
        Ok(Self {
            controller,
            signal,
            listener,
            finished: false,
        })
    }

    /// The body was read to its end: nothing left to abort.
    fn finished(&mut self) {
        self.finished = true;
    }
}

impl Drop for AbortLink {
    fn drop(&mut self) {
        if let (Some(signal), Some(listener)) = (&self.signal, &self.listener) {
            let _ = signal
                .remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
        if !self.finished {
            self.controller.abort();
        }
    }
}

/// A `setTimeout` that ends early when the signal aborts, and is cleared when dropped (an
/// armed timer would keep Node alive).
struct Sleep {
    promise: Promise,
    timer_id: JsValue,
    resolve: Option<Function>,
    signal: Option<AbortSignal>,
}

impl Sleep {
    fn new(duration: Duration, signal: Option<&AbortSignal>) -> Self {
        let mut timer_id = JsValue::UNDEFINED;
        let mut resolve_fn = None;
        let milliseconds = duration.as_secs_f64() * 1000.0;
        let promise = Promise::new(&mut |resolve, _reject| {
            timer_id = set_timeout(&resolve, milliseconds);
            if let Some(signal) = signal {
                let _ = signal.add_event_listener_with_callback("abort", &resolve);
            }
            resolve_fn = Some(resolve);
        });
        Self {
            promise,
            timer_id,
            resolve: resolve_fn,
            signal: signal.cloned(),
        }
    }

    async fn wait(self) {
        let _ = JsFuture::from(self.promise.clone()).await;
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        clear_timeout(&self.timer_id);
        if let (Some(signal), Some(resolve)) = (&self.signal, &self.resolve) {
            let _ = signal.remove_event_listener_with_callback("abort", resolve);
        }
    }
}

fn read_headers(headers: &web_sys::Headers) -> Headers {
    let mut out = Headers::new();
    if let Ok(Some(entries)) = js_sys::try_iter(headers) {
        for entry in entries.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.append(name, value);
            }
        }
    }
    out
}

fn connection_error(error: &JsValue) -> Error {
    Error::Connection {
        message: describe(error),
    }
}

/// A JS error as text: its name and message, and its cause's (Node puts `ECONNREFUSED` there).
pub fn describe(error: &JsValue) -> String {
    let field = |value: &JsValue, name: &str| {
        Reflect::get(value, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let mut text = match (field(error, "name"), field(error, "message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (None, Some(message)) => message,
        _ => error.as_string().unwrap_or_else(|| "unknown error".into()),
    };
    if let Ok(cause) = Reflect::get(error, &"cause".into()) {
        if let Some(detail) = field(&cause, "code").or_else(|| field(&cause, "message")) {
            text.push_str(&format!(" ({detail})"));
        }
    }
    text
}
