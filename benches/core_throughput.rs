//! Throughput of the Rust stream: the core codec plus accumulation on the wire JSON and the
//! typed `Message` at the end (`StreamParser`), on a
//! synthetic stream of 100 000 text deltas and a large tool-input block, fed in 64 KiB
//! chunks and in 1–7-byte chunks, beside a plain byte scan (counting `\n\n`) of the same
//! chunks in the same run.
//!
//! Run: `cargo bench --bench core_throughput`. Figures are recorded in `bench/README.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use anthropic_wasm::accumulate::StreamParser;
use anthropic_wasm::headers::Headers;
use anthropic_wasm::types::ContentBlock;

const TEXT_DELTAS: usize = 100_000;
const TOOL_FRAGMENTS: usize = 20_000;
const ROUNDS: usize = 7;

fn synthetic_stream() -> Vec<u8> {
    let mut out = String::new();
    let mut event = |name: &str, data: &str| {
        out.push_str("event: ");
        out.push_str(name);
        out.push_str("\ndata: ");
        out.push_str(data);
        out.push_str("\n\n");
    };
    event(
        "message_start",
        r#"{"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","content":[],"model":"claude-bench","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}"#,
    );
    event(
        "content_block_start",
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
    );
    for i in 0..TEXT_DELTAS {
        if i % 1000 == 0 {
            event("ping", r#"{"type": "ping"}"#);
        }
        let text = match i % 4 {
            0 => format!(" word{i}"),
            1 => " caf\\u00e9 \u{2014} ".to_owned(),
            2 => "\\n\\\"quoted\\\"".to_owned(),
            _ => " and".to_owned(),
        };
        event(
            "content_block_delta",
            &format!(
                r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"{text}"}}}}"#
            ),
        );
    }
    event(
        "content_block_stop",
        r#"{"type":"content_block_stop","index":0}"#,
    );
    event(
        "content_block_start",
        r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_bench","name":"write","input":{}}}"#,
    );
    let mut input = String::from(r#"{"lines": ["#);
    for i in 0..TOOL_FRAGMENTS {
        input.push_str(&format!(r#""line {i} of the file, with some text","#));
    }
    input.push_str(r#""end"]}"#);
    let bytes = input.as_bytes();
    for piece in bytes.chunks(bytes.len() / TOOL_FRAGMENTS + 1) {
        let fragment = serde_json::to_string(std::str::from_utf8(piece).unwrap()).unwrap();
        event(
            "content_block_delta",
            &format!(
                r#"{{"type":"content_block_delta","index":1,"delta":{{"type":"input_json_delta","partial_json":{fragment}}}}}"#
            ),
        );
    }
    event(
        "content_block_stop",
        r#"{"type":"content_block_stop","index":1}"#,
    );
    event(
        "message_delta",
        r#"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":123456}}"#,
    );
    event("message_stop", r#"{"type":"message_stop"}"#);
    out.into_bytes()
}

/// The input cut into chunks of `sizes`, cycled.
fn chunked<'a>(bytes: &'a [u8], sizes: &[usize]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::new();
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (head, tail) = rest.split_at(size.min(rest.len()));
        chunks.push(head);
        rest = tail;
    }
    chunks
}

/// Decodes and accumulates; returns the number of events. `whole`: steps carry whole events
/// (as `next_steps`), else hot deltas come as their text alone (as `final_message`).
fn decode(chunks: &[&[u8]], whole: bool) -> usize {
    let mut parser = StreamParser::new(Headers::new());
    parser.set_whole_events(whole);
    let mut events = 0;
    for chunk in chunks {
        parser.push(chunk);
        while let Some(step) = parser.next_step() {
            black_box(step.expect("the synthetic stream is valid"));
            events += 1;
        }
    }
    parser.end();
    while parser.next_step().is_some() {
        events += 1;
    }
    let message = parser.finish().expect("complete");
    assert_eq!(message.content.len(), 2);
    let ContentBlock::ToolUse(tool) = &message.content[1] else {
        panic!("tool block")
    };
    assert_eq!(
        tool.input["lines"].as_array().map(Vec::len),
        Some(TOOL_FRAGMENTS + 1)
    );
    events
}

/// The baseline: counts event ends (`\n\n`) across chunk boundaries and touches every byte.
fn byte_scan(chunks: &[&[u8]]) -> usize {
    let mut count = 0;
    let mut previous_newline = false;
    for chunk in chunks {
        for &byte in *chunk {
            let newline = byte == b'\n';
            if newline && previous_newline {
                count += 1;
            }
            previous_newline = newline;
        }
    }
    count
}

fn best_of(rounds: usize, mut run: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut result = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        result = black_box(run());
        best = best.min(start.elapsed());
    }
    (best, result)
}

fn main() {
    let stream = synthetic_stream();
    let megabytes = stream.len() as f64 / 1e6;
    let tiny_sizes: Vec<usize> = (0..997).map(|i| 1 + (i * 7919 + 13) % 7).collect();
    println!(
        "stream: {:.2} MB, {} text deltas, {} tool-input fragments; best of {ROUNDS} runs",
        megabytes, TEXT_DELTAS, TOOL_FRAGMENTS
    );
    println!(
        "{:<26} {:>10} {:>10} {:>12} {:>12}",
        "chunking", "ms", "MB/s", "events/s", "vs scan"
    );
    for (label, sizes) in [
        ("64 KiB chunks", vec![64 * 1024]),
        ("1-7 byte chunks", tiny_sizes),
    ] {
        let chunks = chunked(&stream, &sizes);
        let (scan_time, scan_events) = best_of(ROUNDS, || byte_scan(&chunks));
        let (time, events) = best_of(ROUNDS, || decode(&chunks, true));
        let (hot_time, hot_events) = best_of(ROUNDS, || decode(&chunks, false));
        // The codec drops pings (one per 1000 deltas), as the official SDK does.
        assert_eq!(
            events,
            scan_events - TEXT_DELTAS / 1000,
            "every event decoded"
        );
        assert_eq!(hot_events, events);
        for (name, elapsed) in [
            (format!("{label}: decode"), time),
            (format!("{label}: decode hot"), hot_time),
            (format!("{label}: scan"), scan_time),
        ] {
            let seconds = elapsed.as_secs_f64();
            println!(
                "{:<26} {:>10.1} {:>10.1} {:>12.0} {:>11.1}x",
                name,
                seconds * 1e3,
                megabytes / seconds,
                events as f64 / seconds,
                seconds / scan_time.as_secs_f64()
            );
        }
    }
}
