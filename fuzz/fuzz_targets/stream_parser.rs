//! Bytes → SSE → events → Message never panics, whatever arrives, and the partial message is
//! always available: after an error, and at the end.
#![no_main]

use anthropic_wasm::accumulate::StreamParser;
use anthropic_wasm::headers::Headers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let mut parser = StreamParser::new(Headers::new());
    for chunk in rest.chunks(usize::from(first % 32) + 1) {
        parser.push(chunk);
        while let Some(step) = parser.next_step() {
            if let Ok(step) = step {
                if let Some(helper) = &step.helper {
                    let _ = helper.partial_input();
                }
                let _ = step.event().map(|event| serde_json::to_string(&event));
            }
        }
    }
    parser.end();
    while parser.next_step().is_some() {}
    let result = parser.finish();
    let snapshot = parser.snapshot();
    let _ = parser.snapshot_json();
    if let Ok(message) = result {
        assert!(snapshot.is_some(), "a finished message has a snapshot");
        let _ = serde_json::to_string(&message).expect("a message always serializes");
    }
});
