//! The incremental partial-JSON parser of `core` (`partial_json::PartialJson`): fed random
//! documents in random fragments (cut anywhere, also inside UTF-8 characters), its ops give
//! `parse_partial` of the text so far after every fragment; and its work is linear in the
//! input, counted in the ops it sends.

mod common;

use anthropic_wasm::partial_json::parse_partial;
use anthropic_wasm_core::partial_json::PartialJson;
use common::arb_json::{arb_json, serializations};
use common::preview_ops::{check_splits, Applied};
use proptest::prelude::*;
use serde_json::json;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_fragments_agree_with_parse_partial_after_each(
        value in arb_json(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
    ) {
        for text in serializations(&value) {
            let mut ends: Vec<usize> = cuts.iter().map(|cut| cut.index(text.len() + 1)).collect();
            ends.sort_unstable();
            check_splits(&text, ends);
            if text.len() <= 1_000 {
                check_splits(&text, 1..text.len());
            }
        }
    }
}

/// A 1 MB string value with escapes and multi-byte characters, as a tool input.
fn megabyte_input() -> String {
    let piece = "word é \\n \\u00e9 \\ud83d\\ude00 😀 \\\" ";
    format!(
        "{{\"content\": \"{}\"}}",
        piece.repeat(1_000_000 / piece.len())
    )
}

/// Feeds `text` in fragments of `size` bytes; returns the preview and the ops' total and
/// largest batch length.
fn feed(text: &str, size: usize) -> (Applied, usize) {
    let mut parser = PartialJson::new();
    let mut applied = Applied::default();
    let mut largest = 0;
    for fragment in text.as_bytes().chunks(size) {
        let ops = parser.push(fragment);
        largest = largest.max(ops.len());
        applied.apply(ops);
    }
    (applied, largest)
}

#[test]
fn a_megabyte_string_in_one_byte_fragments_is_sent_once() {
    let text = megabyte_input();
    let want = parse_partial(&text);
    let (whole, _) = feed(&text, text.len());
    let (bytewise, _) = feed(&text, 1);
    assert_eq!(whole.preview(), want);
    assert_eq!(bytewise.preview(), want);
    // Either way the string is sent once, when its closing quote arrives.
    for ops_bytes in [whole.ops_bytes, bytewise.ops_bytes - 2 * text.len()] {
        assert!(ops_bytes < text.len() + 100, "{ops_bytes}");
    }
}

#[test]
fn an_unfinished_megabyte_string_is_left_out_without_sending_anything() {
    let text = megabyte_input();
    let unfinished = &text[..text.len() - 2];
    let mut parser = PartialJson::new();
    let mut applied = Applied::default();
    let mut fed = 0;
    for fragment in unfinished.as_bytes().chunks(997) {
        let ops = parser.push(fragment);
        fed += fragment.len();
        assert!(ops.len() < 40, "{} bytes of ops after {fed}", ops.len());
        applied.apply(ops);
    }
    assert_eq!(applied.preview(), Some(json!({})));
    assert_eq!(applied.preview(), parse_partial(unfinished));
}

#[test]
fn ops_of_a_small_tool_input() {
    // The op format, spelled out once: values are sent when complete.
    let mut parser = PartialJson::new();
    assert_eq!(parser.push(b" "), "[]");
    assert_eq!(parser.push(b"{\"loc"), "[1,0,0,1]");
    assert_eq!(parser.push(b"ation\": \"Pa"), "[]");
    assert_eq!(
        parser.push(b"ris\", \"n\": [1"),
        "[0,1,\"location\",\"Paris\",2,1,\"n\",2]"
    );
    assert_eq!(parser.push(b"2, tr"), "[0,2,0,12]");
    assert_eq!(parser.push(b"ue]}"), "[0,2,1,true]");
    assert_eq!(parser.push(b" x"), "[3]");
    assert_eq!(parser.push(b"{}"), "[]");
    let mut applied = Applied::default();
    applied.apply("[1,0,0,1,0,1,\"a\",\"b\",2,1,\"c\",2,0,2,0,null]");
    assert_eq!(applied.preview(), Some(json!({"a": "b", "c": [null]})));
}
