//! Sans-IO decoder for Server-Sent Events (`text/event-stream`).
//!
//! The decoder does no I/O of its own: push the bytes of the response body in as they
//! arrive ([`SseDecoder::push`]), pull complete events out ([`SseDecoder::next_event`]),
//! and call [`SseDecoder::finish`] once the body has ended. This keeps it usable from any
//! runtime (browser `fetch`, Workers, native HTTP clients) and trivially testable.
//!
//! Parsing follows the WHATWG SSE specification as the official TypeScript SDK applies it:
//!
//! * lines end with LF, CRLF or a lone CR; a CR ends its line at once (an event it
//!   completes is out without waiting for the next byte), and an LF right after it is
//!   skipped as the second half of a CRLF, so network chunking never creates an extra
//!   empty line;
//! * a UTF-8 byte order mark is stripped at the very start of the stream only;
//! * text is decoded per complete line, so multi-byte characters split across chunks are
//!   fine, and invalid UTF-8 is replaced by U+FFFD rather than reported as an error;
//! * an event is dispatched on an empty line exactly as the spec's dispatch step says: only
//!   when its data buffer is not empty, that is when it had at least one `data` line (a
//!   `data:` line with an empty value counts, and gives an event with empty data); an
//!   `event:` line without any `data` line dispatches nothing;
//! * the data is kept as the bytes received ([`SseDecoder::next_raw`] lends them without a
//!   copy, for a caller that embeds them in JSON text as the npm codec does), and decoded
//!   to text only by [`SseDecoder::next_event`];
//! * an event that is not terminated by an empty line when the input ends is not
//!   dispatched; [`SseDecoder::finish`] reports it as an [`UnterminatedEvent`] instead.
//!
//! The decoder never panics on any input and its work is linear in the number of input
//! bytes, however the input is chunked: every byte is examined for a line end once, and
//! consumed bytes are discarded in amortized O(1) per byte.

use crate::prelude::*;

use core::fmt;

/// The UTF-8 encoding of U+FEFF, stripped once at the start of the stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Above this capacity an emptied buffer is shrunk, so one huge event does not pin its
/// memory for the rest of a long-lived stream.
const RETAINED_CAPACITY: usize = 64 * 1024;

/// One dispatched Server-Sent Event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field (last one wins), or `None` when the event had no name or an
    /// empty one. Anthropic streams always name their events; unnamed events are kept so
    /// the caller can decide what to do with them.
    pub event: Option<String>,
    /// All `data:` lines of the event joined with `\n` (no trailing newline). Empty when
    /// the event only had a name.
    pub data: String,
    /// The last event id seen so far in the stream (`id:` fields persist across events, as
    /// the spec requires), or `None` if no id was set or it was reset by an empty `id:`.
    pub id: Option<String>,
}

/// The input ended inside an event: fields or an unfinished line were pending and no
/// empty line terminated them.
///
/// Such an event is deliberately not delivered as an [`SseEvent`] (the spec discards it,
/// and so do the official SDKs), but its contents are returned so the caller can log them
/// or report a truncated stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnterminatedEvent {
    /// The pending event name, if one was set.
    pub event: Option<String>,
    /// The pending `data:` lines, joined with `\n` (empty if there were none).
    pub data: String,
    /// Number of bytes of an unfinished last line (one with no line end), which is not
    /// parsed at all; 0 if the input ended with a line end.
    pub partial_line: usize,
}

impl fmt::Display for UnterminatedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stream ended in the middle of an event")
    }
}

impl core::error::Error for UnterminatedEvent {}

/// Incremental, sans-IO Server-Sent Events decoder.
///
/// Feed it the body bytes with [`push`](Self::push), drain events with
/// [`next_event`](Self::next_event) after each push, and call [`finish`](Self::finish) at
/// the end of the body. The events produced never depend on how the body was split into
/// chunks.
pub struct SseDecoder {
    /// Buffered input. `buf[start..]` is not consumed yet.
    buf: Vec<u8>,
    /// Start of the current (unfinished) line in `buf`.
    start: usize,
    /// First byte of `buf` not yet examined for a line end (`start <= scan <= buf.len()`).
    /// It is what keeps scanning linear when a long line arrives in many chunks.
    scan: usize,
    /// Whether the start of the stream has been checked for a byte order mark.
    bom_done: bool,
    /// Field state of the event being assembled.
    fields: Fields,
    /// Total bytes examined by line-end scans; see [`bytes_scanned`](Self::bytes_scanned).
    scanned: u64,
    /// The most an event may hold: see [`with_max_event_bytes`](Self::with_max_event_bytes).
    max_event_bytes: usize,
    /// An event passed `max_event_bytes`: the input is dropped from then on.
    too_large: bool,
    /// The last line ended with a CR that was the last byte buffered: an LF that comes next
    /// is that line end's second half.
    after_cr: bool,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            scan: 0,
            bom_done: false,
            fields: Fields::default(),
            scanned: 0,
            max_event_bytes: usize::MAX,
            too_large: false,
            after_cr: false,
        }
    }
}

impl fmt::Debug for SseDecoder {
    // Hand-written so that a large buffered line is summarized, not dumped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SseDecoder")
            .field("buffered", &self.buf.len().saturating_sub(self.start))
            .field("event", &self.fields.event)
            .field("data_len", &self.fields.data.len())
            .field("data_seen", &self.fields.data_seen)
            .field("id", &self.fields.id)
            .field("retry", &self.fields.retry)
            .finish()
    }
}

/// One dispatched event, borrowed from the decoder until its next call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawEvent<'a> {
    /// The `event:` field as received (last one wins); empty when the event had no name.
    pub name: &'a [u8],
    /// All `data:` lines joined with `\n`, as received (possibly invalid UTF-8).
    pub data: &'a [u8],
}

/// Per-stream field state, kept apart from the byte buffer so a line borrowed from the
/// buffer can be applied without copying it.
#[derive(Default, Debug)]
struct Fields {
    /// Pending event name; empty means "no name".
    event: Vec<u8>,
    /// Pending data lines joined with `\n`.
    data: Vec<u8>,
    /// Whether at least one `data` line was seen (`data:` with an empty value counts,
    /// which `data.is_empty()` cannot tell).
    data_seen: bool,
    /// Last event id; persists across events.
    id: Option<String>,
    /// Last valid `retry:` value in milliseconds.
    retry: Option<u64>,
    /// `event` and `data` hold a dispatched event, to be cleared before the next line.
    dispatched: bool,
}

impl Fields {
    /// Applies one complete line (without its line end). Returns whether it dispatched an
    /// event (now in `event` and `data`, until the next line).
    fn line(&mut self, line: &[u8]) -> bool {
        if line.is_empty() {
            return self.dispatch();
        }
        // Every field we act on has a name of at most 5 bytes, so only the first 6 bytes
        // need to be searched for the colon: if none is there, the field name is at least
        // 6 bytes long (or the whole, short, line) and is handled below without scanning
        // the rest of a possibly very long line.
        let head = line.get(..6).unwrap_or(line);
        let (name, value) = match head.iter().position(|&b| b == b':') {
            Some(0) => return false, // comment
            Some(colon) => {
                let name = line.get(..colon).unwrap_or_default();
                let mut value = line.get(colon + 1..).unwrap_or_default();
                if let Some(rest) = value.strip_prefix(b" ") {
                    value = rest;
                }
                (name, value)
            }
            None if line.len() < 6 => (line, &[][..]),
            None => return false, // unknown field with a long name
        };
        match name {
            b"data" => {
                if self.data_seen {
                    self.data.push(b'\n');
                }
                self.data_seen = true;
                self.data.extend_from_slice(value);
            }
            b"event" => {
                self.event.clear();
                self.event.extend_from_slice(value);
            }
            // An id containing NUL is ignored (spec); an empty one resets the id.
            b"id" if !value.contains(&0) => {
                self.id = if value.is_empty() {
                    None
                } else {
                    let mut id = String::with_capacity(value.len());
                    crate::text::push_lossy(&mut id, value);
                    Some(id)
                };
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // Saturate rather than ignore absurdly large values.
                let ms = value.iter().fold(0u64, |acc, &d| {
                    acc.saturating_mul(10)
                        .saturating_add(u64::from(d.wrapping_sub(b'0')))
                });
                self.retry = Some(ms);
            }
            _ => {}
        }
        false
    }

    /// The spec's dispatch step at an empty line: an event when the data buffer is not
    /// empty (at least one `data` line was seen), and nothing otherwise; the name is reset
    /// either way. The name and data stay readable until the next line is applied.
    fn dispatch(&mut self) -> bool {
        let dispatched = self.data_seen;
        if !dispatched {
            self.event.clear();
        }
        self.data_seen = false;
        self.dispatched = dispatched;
        dispatched
    }

    /// Clears a dispatched event before the next line is applied.
    fn reset_dispatched(&mut self) {
        if self.dispatched {
            self.dispatched = false;
            self.event.clear();
            self.data.clear();
        }
    }

    /// The dispatched event as an owned [`SseEvent`].
    fn owned(&self) -> SseEvent {
        let text = |bytes: &[u8]| {
            let mut text = String::with_capacity(bytes.len());
            crate::text::push_lossy(&mut text, bytes);
            text
        };
        SseEvent {
            event: (!self.event.is_empty()).then(|| text(&self.event)),
            data: text(&self.data),
            id: self.id.clone(),
        }
    }
}

#[inline]
fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Index of the first LF or CR in `hay`.
///
/// Checks 8 bytes per step with the classic "has zero byte" bit trick on a `u64` (exact:
/// it never reports a word without a match), which is portable to wasm32 and needs no
/// dependency; the exact position inside a matching word is then found bytewise.
fn find_line_end(hay: &[u8]) -> Option<usize> {
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    const LF: u64 = u64::from_ne_bytes([b'\n'; 8]);
    const CR: u64 = u64::from_ne_bytes([b'\r'; 8]);
    #[inline]
    fn has_zero_byte(v: u64) -> bool {
        v.wrapping_sub(LO) & !v & HI != 0
    }

    let mut words = hay.chunks_exact(8);
    let mut base = 0usize;
    for word in &mut words {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else {
            break; // cannot happen: chunks_exact yields 8-byte slices
        };
        let v = u64::from_ne_bytes(bytes);
        if has_zero_byte(v ^ LF) || has_zero_byte(v ^ CR) {
            return word.iter().position(|&b| is_line_end(b)).map(|i| base + i);
        }
        base += 8;
    }
    hay.get(base..)
        .unwrap_or_default()
        .iter()
        .position(|&b| is_line_end(b))
        .map(|i| base + i)
}

impl SseDecoder {
    /// Creates a decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder that holds at most `max` bytes of an event: its data so far plus the line
    /// being read (so also any one line). An event that would pass it is not dispatched; the
    /// decoder drops its buffers and all further input, and [`too_large`](Self::too_large)
    /// says so. Whether it does never depends on how the input is chunked. Checked once per
    /// line and per push, nothing per byte.
    pub fn with_max_event_bytes(max: usize) -> Self {
        Self {
            max_event_bytes: max,
            ..Self::default()
        }
    }

    /// Whether an event passed the limit of [`with_max_event_bytes`](Self::with_max_event_bytes).
    pub fn too_large(&self) -> bool {
        self.too_large
    }

    /// Gives up on the stream at an event over the limit, freeing what it held.
    #[cold]
    #[inline(never)]
    fn refuse_event(&mut self) {
        self.too_large = true;
        self.buf = Vec::new();
        self.fields.data = Vec::new();
        self.fields.event.clear();
        self.fields.data_seen = false;
        self.start = 0;
        self.scan = 0;
    }

    /// Buffers a chunk of the body. Cheap: it only copies the bytes (after discarding
    /// already consumed ones when that is amortized O(1)); parsing happens in
    /// [`next_event`](Self::next_event).
    pub fn push(&mut self, chunk: &[u8]) {
        if chunk.is_empty() || self.too_large {
            return;
        }
        self.compact();
        self.buf.extend_from_slice(chunk);
    }

    /// Drops consumed bytes from the front of the buffer. Only moves the live tail when it
    /// is no longer than the consumed prefix, so each byte's share of the copying is O(1).
    fn compact(&mut self) {
        if self.start == 0 {
            return;
        }
        let len = self.buf.len();
        if self.start >= len {
            self.buf.clear();
            if self.buf.capacity() > RETAINED_CAPACITY {
                self.buf.shrink_to(RETAINED_CAPACITY);
            }
            self.start = 0;
            self.scan = 0;
        } else if self.start >= len / 2 {
            self.buf.drain(..self.start);
            self.scan = self.scan.saturating_sub(self.start);
            self.start = 0;
        }
    }

    /// Returns the next complete event, if the buffered input contains one.
    ///
    /// Call it in a loop after every [`push`](Self::push) until it returns `None`. An
    /// event is complete once its terminating empty line has been seen, whichever line end
    /// it has.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        self.next_inner(false).then(|| self.fields.owned())
    }

    /// As [`next_event`](Self::next_event), but lends the event's name and data as the bytes
    /// received, without copying or decoding them; they are valid until the next call.
    pub fn next_raw(&mut self) -> Option<RawEvent<'_>> {
        self.next_inner(false).then(|| RawEvent {
            name: &self.fields.event,
            data: &self.fields.data,
        })
    }

    /// End of input. Call after [`next_event`](Self::next_event) returned `None`.
    ///
    /// `Ok(Some(ev))`: an event left in the buffer (when `next_event` was not drained).
    /// `Ok(None)` means a clean end. `Err` means the input ended inside
    /// an event (an event name or `data` pending, or an unfinished line, with no
    /// terminating empty line); such an event is *not* delivered as an event, following
    /// the spec and the official SDKs. Pending `id`/`retry`/comment lines alone are not
    /// an error: they would not have produced an event anyway.
    ///
    /// If `next_event` was not drained first, `finish` returns the remaining events one
    /// per call; call it until it returns `Ok(None)` or `Err`. Once it has, the buffer is
    /// empty and the decoder behaves as at a new event (the last id and retry value are
    /// kept, and a byte order mark is not stripped again).
    pub fn finish(&mut self) -> Result<Option<SseEvent>, UnterminatedEvent> {
        match self.finish_raw() {
            Ok(true) => Ok(Some(self.fields.owned())),
            Ok(false) => Ok(None),
            Err(unterminated) => Err(unterminated),
        }
    }

    /// As [`finish`](Self::finish), lending the last event (see [`next_raw`](Self::next_raw)).
    pub fn finish_raw_event(&mut self) -> Result<Option<RawEvent<'_>>, UnterminatedEvent> {
        match self.finish_raw() {
            Ok(true) => Ok(Some(RawEvent {
                name: &self.fields.event,
                data: &self.fields.data,
            })),
            Ok(false) => Ok(None),
            Err(unterminated) => Err(unterminated),
        }
    }

    /// `finish`'s work: whether an event was dispatched (it is in `fields`).
    fn finish_raw(&mut self) -> Result<bool, UnterminatedEvent> {
        if self.next_inner(true) {
            return Ok(true);
        }
        self.fields.reset_dispatched();
        let partial_line = self.buf.len().saturating_sub(self.start);
        self.buf.clear();
        self.start = 0;
        self.scan = 0;
        self.after_cr = false;
        let fields = &mut self.fields;
        let pending = fields.data_seen || !fields.event.is_empty();
        if !pending && partial_line == 0 {
            return Ok(false);
        }
        let text = crate::text::lossy;
        let unterminated = UnterminatedEvent {
            event: (!fields.event.is_empty()).then(|| text(&fields.event)),
            data: text(&fields.data),
            partial_line,
        };
        fields.event.clear();
        fields.data.clear();
        fields.data_seen = false;
        Err(unterminated)
    }

    /// The last valid `retry:` value seen in the stream, in milliseconds (a value made of
    /// ASCII digits only; too large values saturate to `u64::MAX`). The Messages API does
    /// not send it today, but a reconnecting caller should honour it if it appears.
    pub fn retry(&self) -> Option<u64> {
        self.fields.retry
    }

    /// Total number of bytes examined by line-end scans since the decoder was created.
    ///
    /// Exposed only so tests can check deterministically (not by wall-clock) that the
    /// decoder never re-scans input: for any chunking it equals the input length. A counter was chosen over
    /// timing because timing tests are flaky on shared CI machines and cannot distinguish
    /// "2x slower" from "quadratic on a bigger input"; the cost is one add per scan, not
    /// per byte. Not part of the stable API.
    #[doc(hidden)]
    pub fn bytes_scanned(&self) -> u64 {
        self.scanned
    }

    /// Strips a BOM at the start of the stream. Returns `false` while the buffered bytes
    /// are a proper prefix of a BOM and more input may follow (no line can be complete in
    /// that case, since a BOM prefix contains no line end).
    fn check_bom(&mut self, eof: bool) -> bool {
        let avail = self.buf.get(self.start..).unwrap_or_default();
        if !eof && avail.len() < BOM.len() && BOM.starts_with(avail) {
            return false;
        }
        if avail.starts_with(BOM) {
            self.start += BOM.len();
            self.scan = self.scan.max(self.start);
        }
        self.bom_done = true;
        true
    }

    /// Processes complete lines until one dispatches an event (then in `fields`). `eof`:
    /// the input has ended (a partial byte order mark is then not waited on).
    fn next_inner(&mut self, eof: bool) -> bool {
        self.fields.reset_dispatched();
        if !self.bom_done && !self.check_bom(eof) {
            return false;
        }
        loop {
            if self.after_cr {
                let Some(&byte) = self.buf.get(self.scan) else {
                    return false;
                };
                self.after_cr = false;
                if byte == b'\n' {
                    self.scanned += 1;
                    self.scan += 1;
                    self.start = self.scan;
                }
            }
            let hay = self.buf.get(self.scan..).unwrap_or_default();
            let Some(offset) = find_line_end(hay) else {
                self.scanned += hay.len() as u64;
                self.scan = self.buf.len();
                // The line so far already passes the limit: stop buffering it.
                let held = self.buf.len().saturating_sub(self.start);
                if held.saturating_add(self.fields.data.len()) > self.max_event_bytes {
                    self.refuse_event();
                }
                return false;
            };
            self.scanned += offset as u64 + 1;
            let end = self.scan + offset;
            let next = match self.buf.get(end) {
                Some(b'\r') => match self.buf.get(end + 1) {
                    Some(b'\n') => {
                        self.scanned += 1;
                        end + 2
                    }
                    Some(_) => end + 1,
                    None => {
                        // The next chunk may start with this line end's LF.
                        self.after_cr = true;
                        end + 1
                    }
                },
                _ => end + 1,
            };
            let line = self.buf.get(self.start..end).unwrap_or_default();
            if line.len().saturating_add(self.fields.data.len()) > self.max_event_bytes {
                self.refuse_event();
                return false;
            }
            let dispatched = self.fields.line(line);
            self.start = next;
            self.scan = next;
            if dispatched {
                return true;
            }
        }
    }
}
