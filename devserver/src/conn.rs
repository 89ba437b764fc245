//! One connection: requests in, responses out, until either side closes. One log line per
//! request: method, path, status, request id, duration (never a key or a body).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anthropic_wasm_core::types::ErrorType;
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::apierror::ApiError;
use crate::http::{read_request, write_response, Outcome, ReadError};
use crate::ids::request_id;
use crate::{router, State};

/// How long a keep-alive connection may sit idle (or a request take to arrive).
const IDLE: Duration = Duration::from_secs(75);

/// After an answer to a request that is not read (refused), how long and how many of its bytes
/// are still read and dropped, so that closing does not reset the connection before the client
/// has read the answer.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: u64 = 1024 * 1024;

/// A connection over `--max-connections`: 503 `overloaded_error` at once, naming the flag.
pub async fn refuse_connection(state: Arc<State>, stream: TcpStream) {
    let error = ApiError::new(
        503,
        ErrorType::Overloaded,
        format!(
            "devserver is serving {} connections, its limit (--max-connections); retry, or close idle connections",
            state.config.max_connections
        ),
    );
    refuse(&state, &mut BufReader::new(stream), error, Instant::now()).await;
}

pub async fn serve_connection(state: Arc<State>, stream: TcpStream) {
    // Every write is meant to leave at once (stream pacing, split events).
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    loop {
        let started = Instant::now();
        let request = match tokio::time::timeout(IDLE, read_request(&mut stream)).await {
            Err(_) | Ok(Err(ReadError::Closed | ReadError::Io)) => return,
            Ok(Err(ReadError::Malformed(why))) => {
                let error = ApiError::invalid(format!("malformed HTTP request: {why}"));
                refuse(&state, &mut stream, error, started).await;
                return;
            }
            Ok(Err(ReadError::TooLarge)) => {
                let error = ApiError::too_large();
                refuse(&state, &mut stream, error, started).await;
                return;
            }
            Ok(Err(ReadError::HeadTooLarge)) => {
                let error = ApiError::new(
                    431,
                    ErrorType::InvalidRequest,
                    "Request header fields too large: at most 64 KiB and 128 fields.",
                );
                refuse(&state, &mut stream, error, started).await;
                return;
            }
            Ok(Ok(request)) => request,
        };
        let started = Instant::now();
        let response = router::handle(&state, &request).await;
        let status = response.status;
        let request_id = response
            .headers
            .iter()
            .find(|(name, _)| name == "request-id")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        let outcome = write_response(stream.get_mut(), response, request.close).await;
        if state.config.log {
            let note = match &outcome {
                Ok(Outcome::Complete) => "",
                Ok(Outcome::Dropped) => " (dropped on purpose)",
                Err(_) => " (client went away)",
            };
            log(
                &request.method,
                &request.path,
                status,
                &request_id,
                started,
                note,
            );
        }
        if request.close || !matches!(outcome, Ok(Outcome::Complete)) {
            return;
        }
    }
}

/// Answers a request that could not be read, and logs it.
async fn refuse(
    state: &State,
    stream: &mut BufReader<TcpStream>,
    error: ApiError,
    started: Instant,
) {
    let id = request_id();
    let mut response = error.response(&id);
    response.headers.push(("request-id".into(), id.clone()));
    response.headers.extend(state.limits.request_headers());
    let written = tokio::time::timeout(LINGER, write_response(stream.get_mut(), response, true));
    if let Ok(Ok(_)) = written.await {
        let _ = stream.get_mut().shutdown().await;
        let mut rest = (&mut *stream).take(LINGER_BYTES);
        let _ =
            tokio::time::timeout(LINGER, tokio::io::copy(&mut rest, &mut tokio::io::sink())).await;
    }
    if state.config.log {
        log(
            "-",
            "-",
            error.status,
            &id,
            started,
            " (unreadable request)",
        );
    }
}

fn log(method: &str, path: &str, status: u16, request_id: &str, started: Instant, note: &str) {
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!("{method} {path} {status} {request_id} {millis:.1}ms{note}");
}
