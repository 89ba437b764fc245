//! The SSE decoder never panics, and the events it gives do not depend on how the bytes were
//! split: the first byte of the input picks a chunk size for the rest.
#![no_main]

use anthropic_wasm::sse::{SseDecoder, SseEvent, UnterminatedEvent};
use libfuzzer_sys::fuzz_target;

fn decode<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<SseEvent>, Result<Option<SseEvent>, UnterminatedEvent>) {
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(event) = decoder.next_event() {
            events.push(event);
        }
    }
    let mut end = decoder.finish();
    while let Ok(Some(event)) = end {
        events.push(event);
        end = decoder.finish();
    }
    (events, end)
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let size = usize::from(first % 16) + 1;
    let whole = decode(std::iter::once(rest));
    let split = decode(rest.chunks(size));
    assert_eq!(whole, split, "chunk size {size} changed the events");
});
