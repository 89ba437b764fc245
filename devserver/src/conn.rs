//! One connection: requests in, responses out, until either side closes. One log line per
//! request: method, path, status, request id, duration (never a key or a body).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::BufReader;
use tokio::net::TcpStream;

use crate::apierror::ApiError;
use crate::http::{read_request, write_response, Outcome, ReadError};
use crate::ids::request_id;
use crate::{router, State};

/// How long a keep-alive connection may sit idle (or a request take to arrive).
const IDLE: Duration = Duration::from_secs(75);

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
    let _ = write_response(stream.get_mut(), response, true).await;
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
