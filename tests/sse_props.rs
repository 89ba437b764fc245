//! Property tests for `crate::sse`: chunking never changes the result, arbitrary bytes
//! never panic, and generated streams match a small, independent reference decoder.

use std::sync::OnceLock;

mod common;

use anthropic_wasm::sse::*;
use common::*;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// helpers

/// Every fixture in LF, CRLF and CR form, with its whole-input outcome, loaded once.
/// Fails (never skips) if the fixture directory is missing.
fn fixture_cases() -> &'static [(String, Vec<u8>, SseOutcome)] {
    static CASES: OnceLock<Vec<(String, Vec<u8>, SseOutcome)>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut cases = Vec::new();
        for (file, lf) in all_fixtures() {
            for (tag, eol) in [("LF", &b"\n"[..]), ("CRLF", b"\r\n"), ("CR", b"\r")] {
                let input = with_line_ends(&lf, eol);
                let whole = sse_whole(&input);
                let name = format!("{file} ({tag})");
                cases.push((name, input, whole));
            }
        }
        cases
    })
}

// ---------------------------------------------------------------------------------------
// reference decoder: deliberately naive (whole input, `char`s, `split_once`), used only
// on valid UTF-8 so it can ignore lossy decoding.

fn reference(input: &[u8]) -> (Vec<SseEvent>, Result<(), UnterminatedEvent>, Option<u64>) {
    let text = std::str::from_utf8(input).expect("generator makes valid UTF-8");
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => lines.push(std::mem::take(&mut current)),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut current));
            }
            c => current.push(c),
        }
    }
    let partial_line = current.len();

    let (mut event, mut data, mut id, mut retry) = (
        String::new(),
        Vec::<String>::new(),
        None::<String>,
        None::<u64>,
    );
    let mut events = Vec::new();
    for line in lines {
        if line.is_empty() {
            // The spec's dispatch: only with a non-empty data buffer (a `data` line seen).
            if !data.is_empty() {
                events.push(SseEvent {
                    event: (!event.is_empty()).then(|| event.clone()),
                    data: data.join("\n"),
                    id: id.clone(),
                });
            }
            event.clear();
            data.clear();
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_str(), ""),
        };
        match field {
            "data" => data.push(value.to_owned()),
            "event" => event = value.to_owned(),
            "id" if !value.contains('\0') => {
                id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                retry = Some(value.parse().unwrap_or(u64::MAX));
            }
            _ => {}
        }
    }
    let end = if !event.is_empty() || !data.is_empty() || partial_line > 0 {
        Err(UnterminatedEvent {
            event: (!event.is_empty()).then_some(event),
            data: data.join("\n"),
            partial_line,
        })
    } else {
        Ok(())
    };
    (events, end, retry)
}

// ---------------------------------------------------------------------------------------
// generators

fn chunk_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=64, 1..48)
}

/// Bytes biased towards the ones that matter to the parser.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        4 => any::<u8>(),
        3 => prop::sample::select(b"\r\n\r\n: ".to_vec()),
        3 => prop::sample::select(b"dataeventidretry".to_vec()),
        1 => prop::sample::select(vec![0xEF, 0xBB, 0xBF, 0xD0, 0xB8, 0xE2, 0x80, 0xA8, 0]),
    ]
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a",
        "hello",
        " ",
        "  ",
        ":",
        "é",
        "известни",
        "😀",
        "\u{2028}",
        "\u{FEFF}",
        "\0",
        "123",
        r#"{"type":"content_block_delta","delta":{"text":"a\n\nb"}}"#,
        "data: nested",
    ]);
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (prop::sample::select(vec!["data:", "data: ", "data:  "]), text())
            .prop_map(|(f, t)| format!("{f}{t}")),
        2 => prop::sample::select(vec![
            "event: message_start",
            "event: ping",
            "event:",
            "event: é",
            "event:content_block_delta",
        ])
        .prop_map(str::to_owned),
        1 => text().prop_map(|t| format!("id: {t}")),
        1 => prop::sample::select(vec!["retry: 1000", "retry:250", "retry: 12x", "retry: ", "retry"])
            .prop_map(str::to_owned),
        1 => text().prop_map(|t| format!(":{t}")),
        1 => prop::sample::select(vec!["data", "event", "id", "foo: bar", "eventx: y", "Data: z", "dataa"])
            .prop_map(str::to_owned),
        4 => Just(String::new()),
    ]
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "\r", "\r\n"])
}

/// A plausible event stream: optional BOM, lines with mixed line ends, and an optional
/// unfinished last line.
fn sse_stream() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec((line(), line_end()), 0..40),
        prop::option::of(line()),
    )
        .prop_map(|(bom, lines, tail)| {
            let mut s = String::new();
            if bom {
                s.push('\u{FEFF}');
            }
            for (l, eol) in lines {
                s.push_str(&l);
                s.push_str(eol);
            }
            if let Some(t) = tail {
                s.push_str(&t);
            }
            s.into_bytes()
        })
}

// ---------------------------------------------------------------------------------------
// properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Each case splits every fixture, in LF, CRLF and CR form, at a fresh random set of
    /// points, so every fixture variant sees 1000 split sets.
    #[test]
    fn fixtures_are_split_invariant(sizes in chunk_sizes()) {
        for (name, input, whole) in fixture_cases() {
            let chunked = sse_chunks(split(input, &sizes));
            prop_assert_eq!(&chunked, whole, "{}", name);
        }
    }

    /// Arbitrary bytes in arbitrary chunks: no panic, `finish` returns, and the result
    /// still does not depend on the chunking.
    #[test]
    fn random_bytes_never_panic_and_are_split_invariant(
        bytes in prop::collection::vec(interesting_byte(), 0..600),
        sizes in chunk_sizes(),
    ) {
        let whole = sse_whole(&bytes);
        let chunked = sse_chunks(split(&bytes, &sizes));
        prop_assert_eq!(chunked, whole);
        let bytewise = sse_chunks(bytes.chunks(1));
        prop_assert_eq!(bytewise, sse_whole(&bytes));
    }

    /// Generated streams decode identically however they are split, and match the naive
    /// reference decoder.
    #[test]
    fn generated_streams_match_reference(stream in sse_stream(), sizes in chunk_sizes()) {
        let whole = sse_whole(&stream);
        let chunked = sse_chunks(split(&stream, &sizes));
        prop_assert_eq!(&chunked, &whole);

        let (events, end, retry) = reference(&stream);
        prop_assert_eq!(whole.all_events(), events);
        prop_assert_eq!(whole.end_state(), end);
        prop_assert_eq!(whole.retry, retry);
    }
}
