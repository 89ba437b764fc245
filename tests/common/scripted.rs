//! A scripted transport for the client's tests: replies queued in advance, every request
//! recorded, and virtual timers (every sleep is recorded, ends at once and advances the clock,
//! so a request that never answers times out immediately).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use anthropic_wasm::client::transport::{HttpRequest, HttpResponse, ResponseBody, Transport};
use anthropic_wasm::client::{Client, ClientOptions};
use anthropic_wasm::error::{ApiKey, Error};
use anthropic_wasm::types::{MessageCreateParams, MessageParam};
use serde_json::Value;

/// Runs a future whose every wait ends at once (the scripted transport never parks).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..100_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("the future never finished");
}

pub enum Reply {
    Response {
        status: u16,
        headers: Vec<(&'static str, String)>,
        chunks: Vec<Chunk>,
    },
    ConnectionError,
    Hang,
}

pub enum Chunk {
    Bytes(Vec<u8>),
    Fail,
    Stall,
}

#[derive(Default)]
pub struct Script {
    pub replies: RefCell<VecDeque<Reply>>,
    pub requests: RefCell<Vec<HttpRequest>>,
    pub sleeps: RefCell<Vec<Duration>>,
    /// Virtual time: advanced by every sleep that runs.
    pub clock_ms: std::cell::Cell<f64>,
}

#[derive(Clone, Default)]
pub struct Scripted(pub Rc<Script>);

impl Scripted {
    pub fn reply(&self, reply: Reply) -> &Self {
        self.0.replies.borrow_mut().push_back(reply);
        self
    }
    pub fn json(&self, status: u16, body: Value) -> &Self {
        self.reply(Reply::Response {
            status,
            headers: vec![
                ("request-id", format!("req_{status}")),
                ("content-type", "application/json".into()),
            ],
            chunks: vec![Chunk::Bytes(body.to_string().into_bytes())],
        })
    }
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.0.requests.borrow().clone()
    }
    /// The sleeps that were not timers (timers last the timeout).
    pub fn backoffs(&self, timeout: Duration) -> Vec<Duration> {
        self.0
            .sleeps
            .borrow()
            .iter()
            .copied()
            .filter(|d| *d != timeout)
            .collect()
    }
}

pub struct ScriptedBody(VecDeque<Chunk>);

impl ResponseBody for ScriptedBody {
    async fn next_chunk(&mut self) -> Option<Result<Vec<u8>, Error>> {
        match self.0.pop_front()? {
            Chunk::Bytes(bytes) => Some(Ok(bytes)),
            Chunk::Fail => Some(Err(Error::Connection {
                message: "connection reset".into(),
            })),
            Chunk::Stall => std::future::pending().await,
        }
    }
}

impl Transport for Scripted {
    type Body = ScriptedBody;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse<ScriptedBody>, Error> {
        self.0.requests.borrow_mut().push(request);
        let reply = self
            .0
            .replies
            .borrow_mut()
            .pop_front()
            .expect("a scripted reply for every request");
        match reply {
            Reply::Response {
                status,
                headers,
                chunks,
            } => Ok(HttpResponse {
                status,
                headers: headers.into_iter().collect(),
                body: ScriptedBody(chunks.into()),
            }),
            Reply::ConnectionError => Err(Error::Connection {
                message: "ECONNREFUSED".into(),
            }),
            Reply::Hang => std::future::pending().await,
        }
    }

    async fn sleep(&self, duration: Duration) {
        self.0.sleeps.borrow_mut().push(duration);
        self.0
            .clock_ms
            .set(self.0.clock_ms.get() + duration.as_secs_f64() * 1000.0);
    }

    fn now_unix_ms(&self) -> f64 {
        1_700_000_000_000.0 + self.0.clock_ms.get()
    }

    fn random(&self) -> f64 {
        0.0
    }
}

pub fn sse(status: u16, chunks: Vec<Chunk>) -> Reply {
    Reply::Response {
        status,
        headers: vec![
            ("request-id", "req_stream".into()),
            ("content-type", "text/event-stream".into()),
        ],
        chunks,
    }
}

pub fn chunks_of(bytes: &[u8], size: usize) -> Vec<Chunk> {
    bytes
        .chunks(size)
        .map(|c| Chunk::Bytes(c.to_vec()))
        .collect()
}

/// The key of the scripted clients.
pub const KEY: &str = "sk-ant-test-SECRET-KEY-123";

/// A client with [`KEY`] over `script`.
pub fn client(script: &Scripted) -> Client<Scripted> {
    client_with(
        script,
        ClientOptions {
            api_key: Some(ApiKey::new(KEY)),
            ..ClientOptions::default()
        },
    )
}

pub fn client_with(script: &Scripted, options: ClientOptions) -> Client<Scripted> {
    Client::new(script.clone(), options)
}

/// A small valid request.
pub fn params() -> MessageCreateParams {
    MessageCreateParams {
        model: "claude-sonnet-4-5".into(),
        max_tokens: 64,
        messages: vec![MessageParam::user("Hello")],
        ..Default::default()
    }
}

/// Pending once, then ready: lets other futures run in between, as real I/O would.
pub struct YieldOnce(pub bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
