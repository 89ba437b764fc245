//! Shared by the integration tests: the fixtures, their line-ending variants, and a run of the
//! whole pipeline (bytes → codec → wire JSON → message) that records everything it saw.
#![allow(dead_code)] // each test binary uses a different part of this module

pub mod arb_json;
pub mod preview_ops;
pub mod scripted;

use std::path::PathBuf;

use anthropic_wasm::accumulate::StreamParser;
use anthropic_wasm::error::Error;
use anthropic_wasm::headers::Headers;
use anthropic_wasm::sse::{SseDecoder, SseEvent, UnterminatedEvent};
use anthropic_wasm::types::{Message, StreamEvent};

/// The shared fixtures: `$ANTHROPIC_WASM_FIXTURES`, else `../shared/fixtures/sse` beside the
/// repository (where CI puts them).
pub fn fixtures_dir() -> PathBuf {
    match std::env::var_os("ANTHROPIC_WASM_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/sse"),
    }
}

/// One fixture's bytes. Panics (failing the test) when it is missing: a missing fixture must
/// never pass silently.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {} unreadable: {e}", path.display()))
}

/// Every `.sse` fixture, by name, sorted.
pub fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = fixtures_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures dir {} unreadable: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".sse"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 12,
        "expected the 12 shared fixtures, found {}",
        names.len()
    );
    names
        .into_iter()
        .map(|name| {
            let bytes = fixture(&name);
            (name, bytes)
        })
        .collect()
}

/// The same stream with every LF replaced by `eol` (`b"\r\n"`, `b"\r"`).
pub fn with_line_ends(bytes: &[u8], eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        if byte == b'\n' {
            out.extend_from_slice(eol);
        } else {
            out.push(byte);
        }
    }
    out
}

/// The same stream with CRLF line ends.
pub fn crlf(bytes: &[u8]) -> Vec<u8> {
    with_line_ends(bytes, b"\r\n")
}

/// The same stream with lone-CR line ends.
pub fn lone_cr(bytes: &[u8]) -> Vec<u8> {
    with_line_ends(bytes, b"\r")
}

/// `input` cut into chunks whose sizes cycle through `sizes` (each clamped to at least 1).
pub fn split<'a>(input: &'a [u8], sizes: &'a [usize]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = input;
    let mut sizes = sizes.iter().copied().cycle();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = sizes.next().unwrap_or(1).clamp(1, rest.len());
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Some(head)
    })
}

/// What the SSE decoder alone produced for one input: the events `next_event` returned
/// (drained after every push), the first `finish()` result, and the `retry` value.
#[derive(Clone, Debug, PartialEq)]
pub struct SseOutcome {
    pub events: Vec<SseEvent>,
    pub end: Result<Option<SseEvent>, UnterminatedEvent>,
    pub retry: Option<u64>,
}

impl SseOutcome {
    /// All delivered events, including one completed by `finish()`.
    pub fn all_events(&self) -> Vec<SseEvent> {
        let mut all = self.events.clone();
        if let Ok(Some(ev)) = &self.end {
            all.push(ev.clone());
        }
        all
    }

    /// The end state, with a `finish()`-delivered event counted in `all_events`.
    pub fn end_state(&self) -> Result<(), UnterminatedEvent> {
        self.end.clone().map(|_| ())
    }

    /// The event names, in order.
    pub fn names(&self) -> Vec<Option<String>> {
        self.all_events().into_iter().map(|e| e.event).collect()
    }
}

/// Runs the SSE decoder over `chunks` in order.
pub fn sse_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> SseOutcome {
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(ev) = decoder.next_event() {
            events.push(ev);
        }
    }
    let end = decoder.finish();
    // After a clean end or an error the decoder must be drained.
    if !matches!(end, Ok(Some(_))) {
        assert_eq!(
            decoder.finish(),
            Ok(None),
            "finish must leave a clean decoder"
        );
    }
    SseOutcome {
        events,
        end,
        retry: decoder.retry(),
    }
}

/// Runs the SSE decoder over the whole input at once.
pub fn sse_whole(input: &[u8]) -> SseOutcome {
    sse_chunks([input])
}

/// Everything a run of the pipeline produced, comparable across chunkings.
#[derive(Debug, PartialEq)]
pub struct Trace {
    pub events: Vec<StreamEvent>,
    /// Helper events, as their Debug text (they borrow from the parser).
    pub helpers: Vec<String>,
    /// The error `next()` reported, if any.
    pub error: Option<Error>,
    pub result: Result<Message, Error>,
    pub snapshot: Option<Message>,
    /// The snapshot as the wire sent it.
    pub snapshot_json: Option<serde_json::Value>,
}

/// Runs the pipeline over `chunks` in order.
pub fn run_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Trace {
    let mut parser = StreamParser::new(Headers::from_iter([("request-id", "req_fixture")]));
    let mut events = Vec::new();
    let mut helpers = Vec::new();
    let mut error = None;
    let mut drain = |parser: &mut StreamParser| {
        while let Some(step) = parser.next_step() {
            match step {
                Ok(step) => {
                    match step.event() {
                        Ok(event) => events.push(event),
                        Err(e) => error = Some(e),
                    }
                    if let Some(helper) = step.helper {
                        helpers.push(format!("{helper:?}"));
                    }
                }
                Err(e) => error = Some(e),
            }
        }
    };
    for chunk in chunks {
        parser.push(chunk);
        drain(&mut parser);
    }
    parser.end();
    drain(&mut parser);
    let result = parser.finish();
    Trace {
        events,
        helpers,
        error,
        result,
        snapshot: parser.snapshot(),
        snapshot_json: parser.snapshot_json(),
    }
}

/// Runs the pipeline over the whole input at once.
pub fn run_whole(bytes: &[u8]) -> Trace {
    run_chunks([bytes])
}

/// Runs the pipeline with the input cut at the given sizes (cycled).
pub fn run_split(bytes: &[u8], sizes: &[usize]) -> Trace {
    run_chunks(split(bytes, sizes))
}
