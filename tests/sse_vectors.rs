//! Test vectors for `crate::sse`: the official TypeScript SDK's SSE and line-decoder
//! tests ported to event level, spec rules, the recorded API fixtures, and linearity.

use std::time::{Duration, Instant};

mod common;

use anthropic_wasm::sse::*;
use common::*;

// ---------------------------------------------------------------------------------------
// helpers

fn decode_strs(chunks: &[&str]) -> SseOutcome {
    sse_chunks(chunks.iter().map(|c| c.as_bytes()))
}

fn ev(event: Option<&str>, data: &str) -> SseEvent {
    SseEvent {
        event: event.map(str::to_owned),
        data: data.to_owned(),
        id: None,
    }
}

fn data_ev(data: &str) -> SseEvent {
    ev(None, data)
}

fn unterminated(event: Option<&str>, data: &str, partial_line: usize) -> UnterminatedEvent {
    UnterminatedEvent {
        event: event.map(str::to_owned),
        data: data.to_owned(),
        partial_line,
    }
}

// ---------------------------------------------------------------------------------------
// ported from anthropic-sdk-typescript tests/streaming.test.ts

#[test]
fn ts_basic() {
    let out = decode_strs(&["event: completion\n", "data: {\"foo\":true}\n", "\n"]);
    assert_eq!(out.events, vec![ev(Some("completion"), "{\"foo\":true}")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_data_without_event() {
    let out = decode_strs(&["data: {\"foo\":true}\n", "\n"]);
    assert_eq!(out.events, vec![ev(None, "{\"foo\":true}")]);
    assert_eq!(out.events[0].event, None);
    assert_eq!(out.end, Ok(None));
}

/// WHATWG dispatch: an event whose data buffer is empty (no `data` line) is not dispatched,
/// and its name does not leak into the next event. (The TS SDK's own decoder dispatches it
/// with empty data, then skips it because the data is empty: the same events reach callers.)
#[test]
fn event_without_data_is_not_dispatched() {
    let out = decode_strs(&["event: foo\n", "\n"]);
    assert_eq!(out.events, vec![]);
    assert_eq!(out.end, Ok(None));
    let out = decode_strs(&["event: foo\n", "\n", "data: 1\n", "\n"]);
    assert_eq!(out.events, vec![ev(None, "1")]);
}

/// A `data:` line with an empty value makes the data buffer "\n", not empty: dispatched,
/// with empty data.
#[test]
fn empty_data_line_is_dispatched_with_empty_data() {
    let out = decode_strs(&[
        "event: foo\n",
        "data:\n",
        "\n",
        "event: ping\n",
        "data\n",
        "\n",
    ]);
    assert_eq!(out.events, vec![ev(Some("foo"), ""), ev(Some("ping"), "")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_multiple_events_with_data() {
    let out = decode_strs(&[
        "event: foo\n",
        "data: {\"foo\":true}\n",
        "\n",
        "event: ping\n",
        "data: {\"bar\":false}\n",
        "\n",
    ]);
    assert_eq!(
        out.events,
        vec![
            ev(Some("foo"), "{\"foo\":true}"),
            ev(Some("ping"), "{\"bar\":false}")
        ]
    );
    assert_eq!(out.end, Ok(None));
}

#[test]
fn several_events_in_one_chunk() {
    let out = sse_whole(
        b"event: foo\ndata: {\"foo\":true}\n\nevent: ping\ndata: {\"bar\":false}\n\ndata: x\n\n",
    );
    assert_eq!(
        out.events,
        vec![
            ev(Some("foo"), "{\"foo\":true}"),
            ev(Some("ping"), "{\"bar\":false}"),
            data_ev("x"),
        ]
    );
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_multiple_data_lines_with_empty_line() {
    let out = decode_strs(&[
        "event: ping\n",
        "data: {\n",
        "data: \"foo\":\n",
        "data: \n",
        "data:\n",
        "data: true}\n",
        "\n\n",
    ]);
    assert_eq!(out.events, vec![ev(Some("ping"), "{\n\"foo\":\n\n\ntrue}")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_json_escaped_double_newline_does_not_end_event() {
    let out = decode_strs(&[
        "event: ping\n",
        "data: {\"foo\": \"my long\\n\\ncontent\"}",
        "\n\n",
    ]);
    assert_eq!(
        out.events,
        vec![ev(Some("ping"), r#"{"foo": "my long\n\ncontent"}"#)]
    );
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_special_new_line_characters_u2028() {
    let out = sse_chunks([
        &b"data: {\"content\": \"culpa \"}\n"[..],
        b"\n",
        b"data: {\"content\": \"",
        &[0xe2, 0x80, 0xa8],
        b"\"}\n",
        b"\n",
        b"data: {\"content\": \"foo\"}\n",
        b"\n",
    ]);
    assert_eq!(
        out.events,
        vec![
            data_ev("{\"content\": \"culpa \"}"),
            data_ev("{\"content\": \"\u{2028}\"}"),
            data_ev("{\"content\": \"foo\"}"),
        ]
    );
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_multi_byte_characters_across_chunks() {
    let out = sse_chunks([
        &b"event: completion\n"[..],
        b"data: {\"content\": \"",
        &[0xd0],
        &[0xb8, 0xd0, 0xb7, 0xd0],
        &[
            0xb2, 0xd0, 0xb5, 0xd1, 0x81, 0xd1, 0x82, 0xd0, 0xbd, 0xd0, 0xb8,
        ],
        b"\"}\n",
        b"\n",
    ]);
    assert_eq!(
        out.events,
        vec![ev(Some("completion"), "{\"content\": \"известни\"}")]
    );
    assert_eq!(out.end, Ok(None));
}

#[test]
fn ts_error_event() {
    let out = decode_strs(&[
        "event: error\n",
        "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
        "\n\n",
    ]);
    assert_eq!(
        out.events,
        vec![ev(
            Some("error"),
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        )]
    );
    assert_eq!(out.end, Ok(None));
}

// ---------------------------------------------------------------------------------------
// ported from anthropic-sdk-typescript tests/internal/decoders/line.test.ts
// (each raw line `x` becomes `data: x`, so line boundaries show up in the events)

#[test]
fn line_no_line_until_newline() {
    let mut d = SseDecoder::new();
    d.push(b"data: foo");
    assert_eq!(d.next_event(), None);
    d.push(b" bar\n");
    assert_eq!(d.next_event(), None, "a data line alone is not an event");
    d.push(b"data: baz");
    assert_eq!(d.next_event(), None);
    d.push(b"\n");
    assert_eq!(d.next_event(), None);
    d.push(b"\n");
    assert_eq!(d.next_event(), Some(data_ev("foo bar\nbaz")));
    assert_eq!(d.next_event(), None);
    assert_eq!(d.finish(), Ok(None));
}

#[test]
fn line_basic_partial_line_is_unterminated() {
    // ['foo', ' bar\nbaz'] -> ['foo bar'] ("baz" never ends)
    let out = decode_strs(&["data: foo", " bar\ndata: baz"]);
    assert!(out.events.is_empty());
    assert_eq!(out.end, Err(unterminated(None, "foo bar", 9)));
}

#[test]
fn line_basic_with_crlf() {
    let out = decode_strs(&["data: foo", " bar\r\ndata: baz"]);
    assert!(out.events.is_empty());
    assert_eq!(out.end, Err(unterminated(None, "foo bar", 9)));

    let out = decode_strs(&["data: foo", " bar\r\n", "\r\n"]);
    assert_eq!(out.events, vec![data_ev("foo bar")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn line_trailing_newlines() {
    let out = decode_strs(&["data: foo", " bar", "baz\n", "data: thing\n", "\n"]);
    assert_eq!(out.events, vec![data_ev("foo barbaz\nthing")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn line_trailing_newlines_with_crlf() {
    let out = decode_strs(&["data: foo", " bar", "baz\r\n", "data: thing\r\n", "\r\n"]);
    assert_eq!(out.events, vec![data_ev("foo barbaz\nthing")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn line_escaped_newlines_are_not_newlines() {
    let out = decode_strs(&["data: foo", " bar\\nbaz\n\n"]);
    assert_eq!(out.events, vec![data_ev("foo bar\\nbaz")]);
    let out = decode_strs(&["data: foo", " bar\\r\\nbaz\n\n"]);
    assert_eq!(out.events, vec![data_ev("foo bar\\r\\nbaz")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn line_cr_and_lf_split_across_chunks_is_one_line_end() {
    // ['foo\r', '\n', 'bar'] -> ['foo', 'bar']: no empty line in between.
    let out = decode_strs(&["data: foo\r", "\n", "data: bar"]);
    assert!(out.events.is_empty(), "split CRLF must not dispatch");
    assert_eq!(out.end, Err(unterminated(None, "foo", 9)));

    let out = decode_strs(&["data: foo\r", "\n", "data: bar\r", "\n", "\r", "\n"]);
    assert_eq!(out.events, vec![data_ev("foo\nbar")]);
    assert_eq!(out.end, Ok(None));
}

#[test]
fn line_single_cr() {
    // ['foo\r', 'bar'] -> ['foo', 'bar']
    let out = decode_strs(&["data: foo\r", "data: bar"]);
    assert!(out.events.is_empty());
    assert_eq!(out.end, Err(unterminated(None, "foo", 9)));
}

#[test]
fn line_double_cr() {
    // ['foo\r', 'bar\r'] + flush -> ['foo', 'bar']: the final CR is a line end at EOF.
    let out = decode_strs(&["data: foo\r", "data: bar\r"]);
    assert!(out.events.is_empty());
    assert_eq!(out.end, Err(unterminated(None, "foo\nbar", 0)));

    // ['foo\r', '\r', 'bar'] -> ['foo', '', 'bar']
    let out = decode_strs(&["data: foo\r", "\r", "data: bar"]);
    assert_eq!(out.events, vec![data_ev("foo")]);
    assert_eq!(out.end, Err(unterminated(None, "", 9)));

    // A CR ends its line at once, so the event is out without waiting for the next byte
    // (a server that then pauses must not hold it back) ...
    let mut d = SseDecoder::new();
    d.push(b"data: foo\r");
    d.push(b"\r");
    assert_eq!(d.next_event(), Some(data_ev("foo")));
    assert_eq!(d.next_event(), None);
    // ... and an LF that then arrives is the second half of that CRLF, not another line.
    d.push(b"\n");
    d.push(b"data: bar\r\r");
    assert_eq!(d.next_event(), Some(data_ev("bar")));
    d.push(b"\n");
    assert_eq!(d.next_event(), None);
    assert_eq!(d.finish(), Ok(None));
}

#[test]
fn line_double_cr_then_crlf() {
    // ['foo\r', '\r', '\r', '\n', 'bar', '\n'] -> ['foo', '', '', 'bar']
    let expected_end = Err(unterminated(None, "bar", 0));
    let out = decode_strs(&["data: foo\r", "\r", "\r", "\n", "data: bar", "\n"]);
    assert_eq!(out.events, vec![data_ev("foo")]);
    assert_eq!(out.end, expected_end);
    let out = sse_whole(b"data: foo\r\r\r\ndata: bar\n");
    assert_eq!(out.events, vec![data_ev("foo")]);
    assert_eq!(out.end, expected_end);
    // ['foo\n', '\n', '\n', 'bar', '\n'] -> same lines
    let out = decode_strs(&["data: foo\n", "\n", "\n", "data: bar", "\n"]);
    assert_eq!(out.events, vec![data_ev("foo")]);
    assert_eq!(out.end, expected_end);
}

#[test]
fn line_double_newline() {
    for chunks in [
        &["data: foo\n\ndata: bar"][..],
        &["data: foo", "\n", "\ndata: bar"],
        &["data: foo\n", "\n", "data: bar"],
        &["data: foo", "\n", "\n", "data: bar"],
    ] {
        let out = decode_strs(chunks);
        assert_eq!(out.events, vec![data_ev("foo")], "{chunks:?}");
        assert_eq!(out.end, Err(unterminated(None, "", 9)), "{chunks:?}");
    }
}

#[test]
fn line_multi_byte_characters_across_chunks() {
    let out = sse_chunks([
        &b"data: "[..],
        &[0xd0],
        &[0xb8, 0xd0, 0xb7, 0xd0],
        &[
            0xb2, 0xd0, 0xb5, 0xd1, 0x81, 0xd1, 0x82, 0xd0, 0xbd, 0xd0, 0xb8,
        ],
        &[0x0a],
        &[0x0a],
    ]);
    assert_eq!(out.events, vec![data_ev("известни")]);
}

#[test]
fn line_flushing_trailing_newlines() {
    // ['foo\n', '\nbar'] + flush -> ['foo', '', 'bar']
    let out = decode_strs(&["data: foo\n", "\ndata: bar"]);
    assert_eq!(out.events, vec![data_ev("foo")]);
    assert_eq!(out.end, Err(unterminated(None, "", 9)));
}

#[test]
fn flush_of_partial_last_line_is_unterminated() {
    let out = decode_strs(&["event: x\n", "data: abc"]);
    assert!(out.events.is_empty());
    assert_eq!(out.end, Err(unterminated(Some("x"), "", 9)));
    let err = out.end.unwrap_err();
    assert_eq!(err.to_string(), "stream ended in the middle of an event");
}

#[test]
fn empty_input_finish_is_clean() {
    assert_eq!(sse_chunks([]).end, Ok(None));
    assert_eq!(sse_whole(b"").end, Ok(None));
    let out = sse_whole(b"\n\n\r\n\r");
    assert!(out.events.is_empty());
    assert_eq!(out.end, Ok(None));
}

// ---------------------------------------------------------------------------------------
// spec rules

#[test]
fn bom_is_stripped_at_start_only() {
    let out = sse_whole("\u{FEFF}data: x\n\n".as_bytes());
    assert_eq!(out.events, vec![data_ev("x")]);

    // split inside the BOM
    let out = sse_chunks([&b"\xEF"[..], b"\xBB", b"\xBFdata: x\n\n"]);
    assert_eq!(out.events, vec![data_ev("x")]);

    // a second BOM is part of the field name, so the field is unknown
    let out = sse_whole("\u{FEFF}\u{FEFF}data: x\n\n".as_bytes());
    assert!(out.events.is_empty());
    assert_eq!(out.end, Ok(None));

    // not stripped after the start of the stream
    let out = sse_whole("data: a\n\n\u{FEFF}data: b\n\n".as_bytes());
    assert_eq!(out.events, vec![data_ev("a")]);

    // inside a value it is data
    let out = sse_whole("data: \u{FEFF}x\n\n".as_bytes());
    assert_eq!(out.events, vec![data_ev("\u{FEFF}x")]);

    // a lone BOM is an empty stream; a BOM prefix at EOF is an unfinished line
    assert_eq!(sse_whole(b"\xEF\xBB\xBF").end, Ok(None));
    assert_eq!(sse_whole(b"\xEF\xBB").end, Err(unterminated(None, "", 2)));
    // a BOM prefix followed by something else is not stripped
    let out = sse_whole(b"\xEF\xBBdata: x\n\n");
    assert!(out.events.is_empty());
}

#[test]
fn comments_are_ignored() {
    let out = sse_whole(b": hello\ndata: a\n:\n: more\ndata: b\n\n");
    assert_eq!(out.events, vec![data_ev("a\nb")]);
    // a comment alone does not make an event and does not leave one pending
    let out = sse_whole(b": keep-alive\n\n: tail\n");
    assert!(out.events.is_empty());
    assert_eq!(out.end, Ok(None));
}

#[test]
fn id_persists_and_nul_is_ignored() {
    let out = sse_whole(
        b"id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid: x\0y\ndata: d\n\nid\ndata: e\n\nid: 3\n\ndata: f\n\n",
    );
    let ids: Vec<_> = out.events.iter().map(|e| e.id.as_deref()).collect();
    let data: Vec<_> = out.events.iter().map(|e| e.data.as_str()).collect();
    assert_eq!(data, ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(
        ids,
        [Some("1"), Some("1"), Some("2"), Some("2"), None, Some("3")]
    );
    assert_eq!(out.end, Ok(None));
}

#[test]
fn retry_only_digits() {
    let mut d = SseDecoder::new();
    assert_eq!(d.retry(), None);
    d.push(b"retry: 1500\n\n");
    assert_eq!(d.next_event(), None, "retry alone is not an event");
    assert_eq!(d.retry(), Some(1500));
    for bad in [
        &b"retry: 15a\n"[..],
        b"retry: -1\n",
        b"retry:\n",
        b"retry: 1 \n",
        b"retry:  2\n",
        b"retry: +3\n",
    ] {
        d.push(bad);
        assert_eq!(d.next_event(), None);
        assert_eq!(d.retry(), Some(1500), "{:?}", String::from_utf8_lossy(bad));
    }
    d.push(b"retry:0\n");
    assert_eq!(d.next_event(), None);
    assert_eq!(d.retry(), Some(0));
    d.push(b"retry: 99999999999999999999999\n");
    assert_eq!(d.next_event(), None);
    assert_eq!(d.retry(), Some(u64::MAX));
    assert_eq!(d.finish(), Ok(None));
}

#[test]
fn field_without_colon() {
    assert_eq!(sse_whole(b"data\n\n").events, vec![data_ev("")]);
    assert_eq!(sse_whole(b"data\ndata\n\n").events, vec![data_ev("\n")]);
    // `event` with no value means no name, so nothing is dispatched
    assert!(sse_whole(b"event\n\n").events.is_empty());
    // unknown fields, short and long, are ignored
    let out = sse_whole(b"foo\nfoobarbaz\nfoobarbaz: 1\nDATA: x\n\n");
    assert!(out.events.is_empty());
    assert_eq!(out.end, Ok(None));
}

#[test]
fn value_space_handling() {
    assert_eq!(sse_whole(b"data:x\n\n").events, vec![data_ev("x")]);
    assert_eq!(sse_whole(b"data:  x \n\n").events, vec![data_ev(" x ")]);
    assert_eq!(
        sse_whole(b"data: a:b: c\n\n").events,
        vec![data_ev("a:b: c")]
    );
    assert_eq!(
        sse_whole(b"event:foo\ndata:\n\n").events,
        vec![ev(Some("foo"), "")]
    );
}

#[test]
fn event_name_last_wins_and_empty_clears() {
    assert_eq!(
        sse_whole(b"event: a\nevent: b\ndata: x\n\n").events,
        vec![ev(Some("b"), "x")]
    );
    assert_eq!(
        sse_whole(b"event: a\nevent:\ndata: x\n\n").events,
        vec![ev(None, "x")]
    );
    // the name does not leak into the next event
    assert_eq!(
        sse_whole(b"event: a\ndata: 1\n\ndata: 2\n\n").events,
        vec![ev(Some("a"), "1"), ev(None, "2")]
    );
}

#[test]
fn invalid_utf8_is_replaced() {
    assert_eq!(
        sse_whole(b"data: \xFF\xFEok\n\n").events,
        vec![data_ev("\u{FFFD}\u{FFFD}ok")]
    );
    // a truncated multi-byte sequence at the end of a line
    assert_eq!(
        sse_whole(b"data: a\xE2\x80\ndata: b\n\n").events,
        vec![data_ev("a\u{FFFD}\nb")]
    );
    assert_eq!(
        sse_whole(b"event: \xC3\ndata:\n\n").events,
        vec![ev(Some("\u{FFFD}"), "")]
    );
}

#[test]
fn finish_drains_undrained_events() {
    let mut d = SseDecoder::new();
    d.push(b"data: 1\n\ndata: 2\n\ndata: 3");
    assert_eq!(d.finish(), Ok(Some(data_ev("1"))));
    assert_eq!(d.finish(), Ok(Some(data_ev("2"))));
    // "data: 3" has no line end: an unparsed partial line of 7 bytes
    assert_eq!(d.finish(), Err(unterminated(None, "", 7)));
    assert_eq!(d.finish(), Ok(None));

    let mut d = SseDecoder::new();
    d.push(b"data: 1\n\ndata: 3\n");
    assert_eq!(d.finish(), Ok(Some(data_ev("1"))));
    assert_eq!(d.finish(), Err(unterminated(None, "3", 0)));
    assert_eq!(d.finish(), Ok(None));
}

#[test]
fn unterminated_event_reports_pending_fields() {
    let out = sse_whole(b"event: message_stop\ndata: {\"type\":\"message_stop\"}\n");
    assert!(out.events.is_empty());
    assert_eq!(
        out.end,
        Err(unterminated(
            Some("message_stop"),
            "{\"type\":\"message_stop\"}",
            0
        ))
    );
    // id or retry alone at the end is not an unfinished event
    assert_eq!(sse_whole(b"data: a\n\nid: 7\nretry: 5\n").end, Ok(None));
}

// ---------------------------------------------------------------------------------------
// fixtures

fn names(list: &[&str]) -> Vec<Option<String>> {
    list.iter().map(|n| Some((*n).to_owned())).collect()
}

/// Fixtures whose last event has no terminating blank line (checked by hand with `od -c`).
const UNTERMINATED: &[&str] = &[
    "docs-error-event.sse",
    "docs-extended-thinking.sse",
    "docs-tool-use.sse",
    "sdk-py-beta-compaction.sse",
    "sdk-py-refusal-stop-details.sse",
];

#[test]
fn fixture_event_names_match_hand_read_lists() {
    let out = sse_whole(&fixture("sdk-ts-basic-text.sse"));
    assert_eq!(
        out.names(),
        names(&[
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ])
    );
    assert_eq!(out.end, Ok(None));

    let out = sse_whole(&fixture("sdk-ts-tool-use.sse"));
    assert_eq!(
        out.names(),
        names(&[
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ])
    );
    assert_eq!(out.end, Ok(None));

    let out = sse_whole(&fixture("composed-error-mid-stream.sse"));
    assert_eq!(
        out.names(),
        names(&[
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "error",
        ])
    );
    assert!(out.events[4].data.contains("overloaded_error"));
    assert_eq!(out.end, Ok(None));

    // ends without a blank line: the last event is reported, not delivered
    let out = sse_whole(&fixture("sdk-py-refusal-stop-details.sse"));
    assert_eq!(
        out.names(),
        names(&[
            "message_start",
            "content_block_start",
            "content_block_stop",
            "message_delta",
        ])
    );
    assert!(out.events[3].data.contains("\"stop_reason\":\"refusal\""));
    assert_eq!(
        out.end,
        Err(unterminated(
            Some("message_stop"),
            "{\"type\":\"message_stop\"}",
            0
        ))
    );

    // the docs' error example has no blank line at all: nothing is delivered
    let out = sse_whole(&fixture("docs-error-event.sse"));
    assert!(out.events.is_empty());
    let err = out.end.unwrap_err();
    assert_eq!(err.event.as_deref(), Some("error"));
    assert_eq!(
        err.data,
        r#"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#
    );

    // multi-byte text survives
    let out = sse_whole(&fixture("docs-extended-thinking.sse"));
    assert!(out.events[2].data.contains("1071 = 2 \u{d7} 462 + 147"));
}

#[test]
fn fixture_every_event_is_named_after_its_json_type() {
    for (name, bytes) in all_fixtures() {
        let out = sse_whole(&bytes);
        assert!(
            !out.events.is_empty() || name == "docs-error-event.sse",
            "{name}"
        );
        for e in out.all_events() {
            let event = e
                .event
                .as_deref()
                .unwrap_or_else(|| panic!("{name}: unnamed"));
            let compact = format!("{{\"type\":\"{event}\"");
            let spaced = format!("{{\"type\": \"{event}\"");
            assert!(
                e.data.starts_with(&compact) || e.data.starts_with(&spaced),
                "{name}: event {event} has data {}",
                e.data
            );
            assert_eq!(e.id, None);
        }
    }
}

#[test]
fn fixture_unterminated_ones_report_unterminated() {
    for (name, bytes) in all_fixtures() {
        let out = sse_whole(&bytes);
        let blank_lines = bytes.windows(2).filter(|w| w == b"\n\n").count();
        if UNTERMINATED.contains(&name.as_str()) {
            let err = out.end.clone().expect_err(&name);
            assert_eq!(err.partial_line, 0, "{name}");
            assert!(err.event.is_some() && !err.data.is_empty(), "{name}");
            // every complete event before it is delivered
            assert_eq!(out.events.len(), blank_lines, "{name}");
        } else {
            assert_eq!(out.end, Ok(None), "{name}");
            assert_eq!(out.events.len(), blank_lines, "{name}");
        }
    }
}

#[test]
fn fixture_crlf_and_cr_variants_give_identical_events() {
    for (name, lf) in all_fixtures() {
        let base = sse_whole(&lf);
        for eol in [&b"\r\n"[..], b"\r"] {
            let variant = sse_whole(&with_line_ends(&lf, eol));
            assert_eq!(variant.all_events(), base.all_events(), "{name} {eol:?}");
            assert_eq!(variant.end_state(), base.end_state(), "{name} {eol:?}");
        }
        // No CR is held back at the end of a chunk, so even the split is identical
        assert_eq!(sse_whole(&with_line_ends(&lf, b"\r\n")), base, "{name}");
        assert_eq!(sse_whole(&with_line_ends(&lf, b"\r")), base, "{name}");
    }
}

#[test]
fn fixture_byte_by_byte_is_identical() {
    for (name, lf) in all_fixtures() {
        for eol in [&b"\n"[..], b"\r\n", b"\r"] {
            let input = with_line_ends(&lf, eol);
            let whole = sse_whole(&input);
            let bytewise = sse_chunks(input.chunks(1));
            assert_eq!(bytewise, whole, "{name} {eol:?}");
        }
    }
}

#[test]
fn fixture_every_single_split_position_is_identical() {
    for (name, lf) in all_fixtures() {
        for eol in [&b"\n"[..], b"\r\n", b"\r"] {
            let input = with_line_ends(&lf, eol);
            let whole = sse_whole(&input);
            for at in 0..=input.len() {
                let (a, b) = input.split_at(at);
                assert_eq!(sse_chunks([a, b]), whole, "{name} {eol:?} split at {at}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// linearity

fn scanned_for<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> (u64, Vec<SseEvent>) {
    let mut d = SseDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        d.push(chunk);
        while let Some(e) = d.next_event() {
            events.push(e);
        }
    }
    assert_eq!(d.finish(), Ok(None));
    (d.bytes_scanned(), events)
}

#[test]
fn linear_scan_of_one_8_mib_line() {
    const PAYLOAD: usize = 8 << 20;
    let mut input = Vec::with_capacity(PAYLOAD + 16);
    input.extend_from_slice(b"data: ");
    input.extend(std::iter::repeat_n(b'x', PAYLOAD));
    input.extend_from_slice(b"\n\n");
    let len = input.len() as u64;

    let t = Instant::now();
    let (whole_scanned, whole_events) = scanned_for([&input[..]]);
    let whole_time = t.elapsed();

    let chunk_len = input.len().div_ceil(1024);
    let t = Instant::now();
    let (chunked_scanned, chunked_events) = scanned_for(input.chunks(chunk_len));
    let chunked_time = t.elapsed();

    assert_eq!(whole_events.len(), 1);
    assert_eq!(whole_events[0].data.len(), PAYLOAD);
    assert_eq!(chunked_events, whole_events);
    assert!(
        whole_scanned <= 2 * len,
        "whole: {whole_scanned} > 2 * {len}"
    );
    assert!(
        chunked_scanned <= 2 * len,
        "chunked: {chunked_scanned} > 2 * {len}"
    );
    // Every byte is looked at exactly once here (no CRs are held).
    assert_eq!(whole_scanned, len);
    assert_eq!(chunked_scanned, len);

    // Wall-clock sanity only, with a very generous bound; the counter is the real check.
    assert!(
        chunked_time <= whole_time * 10 + Duration::from_millis(50),
        "chunked {chunked_time:?} vs whole {whole_time:?}"
    );
}

#[test]
fn linear_scan_for_fixtures_fed_byte_by_byte() {
    for (name, lf) in all_fixtures() {
        for eol in [&b"\n"[..], b"\r\n", b"\r"] {
            let input = with_line_ends(&lf, eol);
            let mut d = SseDecoder::new();
            for b in input.chunks(1) {
                d.push(b);
                while d.next_event().is_some() {}
            }
            let _ = d.finish();
            let len = input.len() as u64;
            assert!(
                d.bytes_scanned() <= 2 * len,
                "{name} {eol:?}: scanned {} of {len}",
                d.bytes_scanned()
            );
        }
    }
}
