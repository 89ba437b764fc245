//! The module's boundary: plain wasm exports over numbers and this module's memory, read and
//! written by `js/core/wasm.js`. No generated glue: wasm-bindgen's was 2.7 KB gzip of JS (a
//! wrapper, string copies and a finalizer per export) for what is, here, one input buffer,
//! one answer buffer and two kinds of handle.
//!
//! A call: JS asks `input(n)` for room (only when its last answer is too small), writes the
//! arguments there, and calls `call(n)` (or a decoder's or preview's export). An answer is
//! `[length u32 LE][tag u8][length bytes]` at the returned address, valid until the next call.
//! Arguments are `[tag u8]` + `[length u32 LE][UTF-8]` (text) or `[f64 LE]` (number), or the
//! tag alone (`undefined`); `call`'s first argument is the operation's name.

use anthropic_wasm_core::prelude::*;

use anthropic_wasm_core::stream::{Limits, StreamCodec};

/// How JS reads an answer's bytes.
#[derive(Clone, Copy)]
pub enum Tag {
    Undefined = 0,
    Text = 1,
    /// JSON text, which JS parses (numbers, booleans, arrays).
    Json = 2,
    /// An error's message: JS throws it.
    Error = 3,
}

const ARG_TEXT: u8 = 1;
const ARG_NUMBER: u8 = 2;

/// A call's arguments, read in order. Anything malformed reads as `undefined` or NaN: the
/// operation then answers as it does for a missing argument, never panics.
pub struct Args<'a>(&'a [u8]);

impl<'a> Args<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self(bytes)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    /// The next argument if it is text.
    pub fn text(&mut self) -> Option<&'a str> {
        let tag = *self.take(1)?.first()?;
        match tag {
            ARG_TEXT => {
                let length = u32::from_le_bytes(self.take(4)?.try_into().ok()?);
                core::str::from_utf8(self.take(usize::try_from(length).ok()?)?).ok()
            }
            ARG_NUMBER => self.take(8).and(None),
            _ => None,
        }
    }

    /// The next argument's text, or "" when it is not text.
    pub fn str(&mut self) -> &'a str {
        self.text().unwrap_or_default()
    }

    /// The next argument if it is a number, else NaN.
    pub fn number(&mut self) -> f64 {
        match self.take(1).and_then(|tag| tag.first().copied()) {
            Some(ARG_NUMBER) => self
                .take(8)
                .and_then(|bytes| bytes.try_into().ok())
                .map_or(f64::NAN, f64::from_le_bytes),
            Some(ARG_TEXT) => {
                self.text_after_tag();
                f64::NAN
            }
            _ => f64::NAN,
        }
    }

    fn text_after_tag(&mut self) {
        let length = self
            .take(4)
            .and_then(|bytes| bytes.try_into().ok())
            .map_or(0, u32::from_le_bytes);
        self.take(usize::try_from(length).unwrap_or(usize::MAX));
    }

    /// The next argument as an unsigned integer (saturating; NaN and negatives are 0).
    pub fn uint(&mut self) -> u32 {
        self.number() as u32
    }
}

/// Writes an answer frame into `out` (cleared first).
pub fn answer(out: &mut Vec<u8>, tag: Tag, bytes: &[u8]) {
    out.clear();
    let length = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&length.to_le_bytes());
    out.push(tag as u8);
    out.extend_from_slice(bytes);
}

/// The decoder of one streamed response: the stream codec and the batch JS reads.
pub struct StreamDecoder {
    codec: StreamCodec,
    /// The last batch behind its 4-byte little-endian length (see `push`).
    batch: Vec<u8>,
    /// The credentials to remove from text that came from elsewhere (error events, excerpts).
    secrets: Vec<String>,
}

impl StreamDecoder {
    /// A decoder; `secrets` are the request's credentials, one a line; the limits are the
    /// client's `maxEventBytes` and `maxToolInputBytes`.
    pub fn new(secrets: &str, limits: Limits) -> StreamDecoder {
        StreamDecoder {
            codec: StreamCodec::with_limits(limits),
            batch: Vec::new(),
            secrets: crate::secret_list(secrets),
        }
    }

    /// Feeds a chunk of the body; returns the batch of the events it completed behind its
    /// length (`[length: u32 LE][batch]`, length 0: none), valid until the next call. `full`:
    /// whole events for the hot deltas too (someone iterates the events or listens to
    /// `streamEvent`). See `anthropic_wasm_core::stream`.
    pub fn push(&mut self, chunk: &[u8], full: bool) -> &[u8] {
        self.batch.clear();
        self.batch.extend_from_slice(&[0; 4]);
        self.batch.extend_from_slice(self.codec.push(chunk, full));
        self.frame()
    }

    /// The body ended: as `push`, with an `INCOMPLETE` item if it ended short of
    /// `message_stop`.
    pub fn end(&mut self, full: bool) -> &[u8] {
        self.batch.clear();
        self.batch.extend_from_slice(&[0; 4]);
        self.batch.extend_from_slice(self.codec.end(full));
        self.frame()
    }

    /// Why the stream ended early, once a batch ended with a terminal item: the JSON
    /// descriptor the shell turns into an error (`None` if it did not end so).
    pub fn failure(&self) -> Option<String> {
        let (op, payload) = self.codec.terminal()?;
        Some(crate::failure::stream_failure(
            op,
            payload,
            &self.secret_refs(),
        ))
    }

    /// Frames the batch written after the 4 bytes of its length, with the credentials
    /// removed once the stream has ended (an error event or a bad event's excerpt is text
    /// from elsewhere, which could echo them).
    fn frame(&mut self) -> &[u8] {
        if self.codec.has_ended() {
            let text = anthropic_wasm_core::text::lossy(self.batch.get(4..).unwrap_or_default());
            let clean = anthropic_wasm_core::api_error::redact(&text, &self.secret_refs());
            self.batch.truncate(4);
            self.batch.extend_from_slice(clean.as_bytes());
        }
        let length = u32::try_from(self.batch.len().saturating_sub(4)).unwrap_or(u32::MAX);
        if let Some(head) = self.batch.get_mut(..4) {
            head.copy_from_slice(&length.to_le_bytes());
        }
        &self.batch
    }

    fn secret_refs(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
    }
}

#[cfg(target_arch = "wasm32")]
mod exports {
    //! The wasm exports. One thread, and JS never calls in while a call runs, so the buffers
    //! behind `STATE` are never borrowed twice; handles are boxes JS holds until it frees
    //! them (a null handle answers nothing).
    use core::cell::UnsafeCell;

    use super::{answer, Args, StreamDecoder, Tag};
    use anthropic_wasm_core::partial_json::PartialJson;
    use anthropic_wasm_core::prelude::*;
    use anthropic_wasm_core::stream::Limits;

    struct Buffers {
        input: Vec<u8>,
        output: Vec<u8>,
    }

    struct State(UnsafeCell<Buffers>);

    // SAFETY: wasm32 without threads: one thread ever touches it.
    unsafe impl Sync for State {}

    static STATE: State = State(UnsafeCell::new(Buffers {
        input: Vec::new(),
        output: Vec::new(),
    }));

    fn buffers() -> &'static mut Buffers {
        // SAFETY: see the module's doc: no two live borrows.
        unsafe { &mut *STATE.0.get() }
    }

    fn input_bytes(length: usize) -> &'static [u8] {
        buffers().input.get(..length).unwrap_or_default()
    }

    /// Room for `length` bytes of arguments or chunk: the input buffer's address.
    #[no_mangle]
    pub extern "C" fn input(length: usize) -> *mut u8 {
        let input = &mut buffers().input;
        if input.len() < length {
            input.resize(length, 0);
        }
        input.as_mut_ptr()
    }

    /// Runs the operation the arguments name (see `crate::ops::run`).
    #[no_mangle]
    pub extern "C" fn call(length: usize) -> *const u8 {
        let Buffers { input, output } = buffers();
        let args = Args::new(input.get(..length).unwrap_or_default());
        crate::ops::run(args, output);
        output.as_ptr()
    }

    /// A stream decoder for the argument `secrets` and the two limits.
    #[no_mangle]
    pub extern "C" fn decoder_new(
        length: usize,
        max_event_bytes: usize,
        max_tool_input_bytes: usize,
    ) -> *mut StreamDecoder {
        let mut args = Args::new(input_bytes(length));
        let limits = Limits {
            max_event_bytes,
            max_tool_input_bytes,
        };
        let secrets = args.str();
        Box::into_raw(Box::new(StreamDecoder::new(secrets, limits)))
    }

    /// Feeds the `length` bytes of the input buffer; the batch frame's address.
    ///
    /// # Safety
    /// `decoder` is null or from `decoder_new` and not yet freed.
    #[no_mangle]
    pub unsafe extern "C" fn decoder_push(
        decoder: *mut StreamDecoder,
        length: usize,
        full: u32,
    ) -> *const u8 {
        match unsafe { decoder.as_mut() } {
            Some(decoder) => decoder.push(input_bytes(length), full != 0).as_ptr(),
            None => empty(),
        }
    }

    /// The body ended; the batch frame's address.
    ///
    /// # Safety
    /// As `decoder_push`.
    #[no_mangle]
    pub unsafe extern "C" fn decoder_end(decoder: *mut StreamDecoder, full: u32) -> *const u8 {
        match unsafe { decoder.as_mut() } {
            Some(decoder) => decoder.end(full != 0).as_ptr(),
            None => empty(),
        }
    }

    /// The early end's descriptor as an answer (`undefined` when the stream did not end so).
    ///
    /// # Safety
    /// As `decoder_push`.
    #[no_mangle]
    pub unsafe extern "C" fn decoder_failure(decoder: *mut StreamDecoder) -> *const u8 {
        let failure = unsafe { decoder.as_ref() }.and_then(StreamDecoder::failure);
        let output = &mut buffers().output;
        match failure {
            Some(text) => answer(output, Tag::Text, text.as_bytes()),
            None => answer(output, Tag::Undefined, b""),
        }
        output.as_ptr()
    }

    /// # Safety
    /// As `decoder_push`; the handle is not used again.
    #[no_mangle]
    pub unsafe extern "C" fn decoder_free(decoder: *mut StreamDecoder) {
        unsafe { release(decoder) }
    }

    /// A tool input's preview of nothing yet (`anthropic_wasm_core::partial_json`).
    #[no_mangle]
    pub extern "C" fn preview_new() -> *mut PartialJson {
        Box::into_raw(Box::default())
    }

    /// The edit ops (an answer of JSON text) that bring the preview up to date with the
    /// fragment, the `length` bytes of the input buffer: a preview per fragment costs the
    /// fragment, not the whole input so far.
    ///
    /// # Safety
    /// `preview` is null or from `preview_new` and not yet freed.
    #[no_mangle]
    pub unsafe extern "C" fn preview_push(preview: *mut PartialJson, length: usize) -> *const u8 {
        let Buffers { input, output } = buffers();
        let fragment = input.get(..length).unwrap_or_default();
        match unsafe { preview.as_mut() } {
            Some(preview) => answer(output, Tag::Text, preview.push(fragment).as_bytes()),
            None => answer(output, Tag::Undefined, b""),
        }
        output.as_ptr()
    }

    /// # Safety
    /// As `preview_push`; the handle is not used again.
    #[no_mangle]
    pub unsafe extern "C" fn preview_free(preview: *mut PartialJson) {
        unsafe { release(preview) }
    }

    /// Drops a handle's box (nothing for null).
    ///
    /// # Safety
    /// `handle` is null or from `Box::into_raw` and not used again.
    unsafe fn release<T>(handle: *mut T) {
        if !handle.is_null() {
            drop(unsafe { Box::from_raw(handle) });
        }
    }

    /// The frame of an empty batch.
    fn empty() -> *const u8 {
        static EMPTY: [u8; 4] = [0; 4];
        EMPTY.as_ptr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARG_UNDEFINED: u8 = 0;

    fn text(out: &mut Vec<u8>, value: &str) {
        out.push(ARG_TEXT);
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
        out.extend_from_slice(value.as_bytes());
    }

    fn number(out: &mut Vec<u8>, value: f64) {
        out.push(ARG_NUMBER);
        out.extend_from_slice(&value.to_le_bytes());
    }

    #[test]
    fn arguments_read_in_order_and_wrong_kinds_read_as_missing() {
        let mut bytes = Vec::new();
        text(&mut bytes, "é—x");
        number(&mut bytes, 429.0);
        bytes.push(ARG_UNDEFINED);
        number(&mut bytes, 3.5);
        text(&mut bytes, "after");
        let mut args = Args::new(&bytes);
        assert_eq!(args.text(), Some("é—x"));
        assert_eq!(args.uint(), 429);
        assert_eq!(args.text(), None);
        assert_eq!(args.text(), None, "a number is not text, and is skipped");
        assert!(
            args.number().is_nan(),
            "text is not a number, and is skipped"
        );
        assert_eq!(args.text(), None, "past the end");
        assert!(args.number().is_nan());
    }

    #[test]
    fn truncated_or_invalid_arguments_never_panic() {
        let mut bytes = Vec::new();
        text(&mut bytes, "whole");
        for cut in 0..bytes.len() {
            let mut args = Args::new(&bytes[..cut]);
            assert_eq!(args.text(), None);
        }
        let mut args = Args::new(&[ARG_TEXT, 2, 0, 0, 0, 0xff, 0xfe]);
        assert_eq!(args.text(), None, "not UTF-8");
        let mut args = Args::new(&[ARG_TEXT, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(args.text(), None, "a length past the end");
    }

    #[test]
    fn an_answer_is_its_length_its_tag_and_its_bytes() {
        let mut out = vec![9; 3];
        answer(&mut out, Tag::Json, b"[1]");
        assert_eq!(out, [3, 0, 0, 0, Tag::Json as u8, b'[', b'1', b']']);
    }
}
