//! devserver: a local Anthropic Messages API server.
//!
//! It speaks the real wire format (JSON and SSE, CORS, auth, error bodies, `request-id` and
//! rate-limit headers), answers from a deterministic "model" so that replies are meaningful and
//! repeatable, and injects faults on request (`x-devserver-fault` header or a `+fault=` model
//! suffix). It is the embedded server of the demo and the server of every client test.
//!
//! [`serve`] binds, spawns the accept loop and returns at once with the bound address, so tests
//! can ask for port 0.

mod access;
mod apierror;
mod batches;
mod cache;
mod catalog;
mod config;
mod conn;
mod faults;
mod files;
mod http;
mod ids;
mod messages;
mod model;
mod page;
mod ratelimit;
mod render;
mod router;
mod sse;
mod tokens;
mod validate;
mod vision;

use std::net::SocketAddr;
use std::sync::Arc;

pub use config::{Config, ConfigError, USAGE};
/// The request reader, for the fuzz target (`devserver/fuzz`).
pub use http::{read_request, ReadError, Request};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// State shared by every connection.
pub(crate) struct State {
    pub config: Config,
    pub batches: batches::Store,
    pub files: files::Store,
    pub fail_first: faults::Attempts,
    pub cache: cache::PromptCache,
    pub limits: ratelimit::Window,
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    accept: tokio::task::JoinHandle<()>,
}

impl Server {
    /// The address the server listens on (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Runs until the accept loop ends (it only ends when the runtime shuts down).
    pub async fn wait(mut self) {
        let _ = (&mut self.accept).await;
    }
}

impl Drop for Server {
    /// Stops accepting; connections already open finish on their own.
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Binds `config.host:config.port` and serves in the background of the current tokio runtime,
/// at most `config.max_connections` connections at once (the others get a 503 and are closed).
pub async fn serve(config: Config) -> std::io::Result<Server> {
    let listener = TcpListener::bind((config.host.as_str(), config.port)).await?;
    let addr = listener.local_addr()?;
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let state = Arc::new(State {
        config,
        batches: batches::Store::default(),
        files: files::Store::default(),
        fail_first: faults::Attempts::default(),
        cache: cache::PromptCache::default(),
        limits: ratelimit::Window::default(),
    });
    let accept = tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => match slots.clone().try_acquire_owned() {
                    Ok(slot) => {
                        let state = state.clone();
                        tokio::spawn(async move {
                            conn::serve_connection(state, stream).await;
                            drop(slot);
                        });
                    }
                    Err(_) => {
                        tokio::spawn(conn::refuse_connection(state.clone(), stream));
                    }
                },
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    });
    Ok(Server { addr, accept })
}
