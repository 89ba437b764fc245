//! The partial-JSON parser never panics, agrees with serde_json on complete documents (a
//! top-level number once something follows it), and gives a value for every prefix of a
//! document serde_json accepts.
#![no_main]

use anthropic_wasm::partial_json::parse_partial;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let partial = parse_partial(text);
    if let Ok(full) = serde_json::from_str::<serde_json::Value>(text) {
        // A number at the very end may still grow: it shows once something follows it.
        let partial = if full.is_number() { parse_partial(&format!("{text}\n")) } else { partial };
        assert_eq!(partial.as_ref(), Some(&full), "complete document parsed differently");
        for (cut, _) in text.char_indices().skip(1) {
            let prefix = &text[..cut];
            if !prefix.trim().is_empty() {
                assert!(parse_partial(prefix).is_some(), "prefix {prefix:?} of valid JSON rejected");
            }
        }
    }
});
