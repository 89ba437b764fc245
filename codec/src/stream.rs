//! The stream codec: the bytes of a streamed Messages API response in, one batch per network
//! chunk out, telling the caller what each event does to the message. The message itself is
//! accumulated by the caller on the wire JSON (in JavaScript, the objects `JSON.parse` made
//! of the events), so it keeps every field and `null` as received; the codec holds only what
//! its decisions need: the kind of each block and where the stream is.
//!
//! A batch is the text of one JSON array, flat: `[op, index, payload, op, index, payload, …]`.
//! The payload is the event's own data as received (never re-serialized), or, for the hot
//! deltas, only the string literal that the delta adds, again as received: always when the
//! caller does not need whole events (`full` is false), and with `full` when the event is
//! exactly `{"type","index","delta":{"type",<text field>}}`, which the caller rebuilds from
//! the op, the index and the literal without losing anything. Every event put into a batch was checked
//! to be valid JSON, so parsing a batch cannot fail. [`Op`] is the table of what each item
//! means; the JS shell reads the same numbers.

use crate::prelude::*;

use crate::json::{self, JsonError};
use crate::sse::{RawEvent, SseDecoder};
use crate::text;

/// What one batch item tells the accumulator to do: the one table the codec and the JS
/// shell share (the shell gets it from the wasm export `ops`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Op {
    /// An event that changes nothing in the message (unknown types, events out of place
    /// that the official SDK also passes over): for iterators and `streamEvent` only.
    Raw = 0,
    /// `message_start`: its `message` is the snapshot from now on.
    MessageStart = 1,
    /// `content_block_start`: a copy of its `content_block` is appended to the content.
    BlockStart = 2,
    /// A `text_delta` for the text block at `index`: append its text.
    Text = 3,
    /// An `input_json_delta` for the tool block at `index`: append to its input's JSON text.
    InputJson = 4,
    /// A `thinking_delta` for the thinking block at `index`: append its thinking.
    Thinking = 5,
    /// A `signature_delta` for the thinking block at `index`: set its signature.
    Signature = 6,
    /// A `citations_delta` for the text block at `index`: append its citation.
    Citation = 7,
    /// A `compaction_delta` for the compaction block at `index`: append its `content`, set
    /// its `encrypted_content`.
    Compaction = 8,
    /// `content_block_stop` for the block at `index`: a tool block's input is parsed.
    BlockStop = 9,
    /// `message_delta`: stop reason and usage (see the message-delta rule in the JS shell).
    MessageDelta = 10,
    /// `message_stop`: the message is complete.
    MessageStop = 11,
    /// An `error` event: the payload is its body (JSON as received, or the text as a JSON
    /// string when it is not JSON). Ends the stream.
    Error = 12,
    /// The stream broke the protocol (bad JSON, events out of order): the payload is
    /// `{"message": …, "excerpt": …}`. Ends the stream.
    Invalid = 13,
    /// The body ended before `message_stop`: the payload is `{"message": …}`. Ends the stream.
    Incomplete = 14,
    /// An event or a tool input passed its [`Limits`]: the payload is `{"limit": "event" |
    /// "tool_input", "max": bytes}`. Ends the stream; the event that passed
    /// is not applied.
    TooLarge = 15,
}

impl Op {
    /// Every op with its name, for the JS shell's table.
    pub const ALL: [(Op, &'static str); 16] = [
        (Op::Raw, "RAW"),
        (Op::MessageStart, "MESSAGE_START"),
        (Op::BlockStart, "BLOCK_START"),
        (Op::Text, "TEXT"),
        (Op::InputJson, "INPUT_JSON"),
        (Op::Thinking, "THINKING"),
        (Op::Signature, "SIGNATURE"),
        (Op::Citation, "CITATION"),
        (Op::Compaction, "COMPACTION"),
        (Op::BlockStop, "BLOCK_STOP"),
        (Op::MessageDelta, "MESSAGE_DELTA"),
        (Op::MessageStop, "MESSAGE_STOP"),
        (Op::Error, "ERROR"),
        (Op::Invalid, "INVALID"),
        (Op::Incomplete, "INCOMPLETE"),
        (Op::TooLarge, "TOO_LARGE"),
    ];
}

/// How `message_delta` changes the message, as the official SDK applies it: fields always
/// assigned from its `delta` (even when absent there), fields assigned only when not null,
/// and the same two lists for its `usage` onto the message's `usage` (whole-message totals,
/// so they overwrite). The JS shell and the Rust API apply this table, nothing else.
pub struct MessageDeltaRule {
    /// Assigned from `delta` in every case.
    pub assign: &'static [&'static str],
    /// Assigned from `delta` when present and not null.
    pub assign_if_set: &'static [&'static str],
    /// Assigned from `usage` in every case.
    pub usage_assign: &'static [&'static str],
    /// Assigned from `usage` when present and not null.
    pub usage_assign_if_set: &'static [&'static str],
}

/// The rule of [`MessageDeltaRule`].
pub const MESSAGE_DELTA: MessageDeltaRule = MessageDeltaRule {
    assign: &["stop_reason", "stop_sequence", "stop_details"],
    assign_if_set: &["container"],
    usage_assign: &["output_tokens"],
    usage_assign_if_set: &[
        "input_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "server_tool_use",
        "output_tokens_details",
    ],
};

/// The codec's tables as one JSON object for the JS shell:
/// `{"ops": {"TEXT": 3, …}, "messageDelta": {"assign": […], …}}`.
pub fn rules_json() -> String {
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"ops\":{");
    for (i, (op, name)) in Op::ALL.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_string(&mut out, name.as_bytes());
        out.push(b':');
        write_decimal(&mut out, *op as usize);
    }
    out.extend_from_slice(b"},\"messageDelta\":{");
    let lists = [
        ("assign", MESSAGE_DELTA.assign),
        ("assignIfSet", MESSAGE_DELTA.assign_if_set),
        ("usageAssign", MESSAGE_DELTA.usage_assign),
        ("usageAssignIfSet", MESSAGE_DELTA.usage_assign_if_set),
    ];
    for (i, (name, fields)) in lists.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_string(&mut out, name.as_bytes());
        out.extend_from_slice(b":[");
        for (j, field) in fields.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            json_string(&mut out, field.as_bytes());
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}}");
    String::from_utf8(out).unwrap_or_default()
}

/// The default of both [`Limits`]: 16 MiB, far above what the API sends (an event is one
/// delta; a tool input is bounded by `max_tokens`), and far below what would exhaust a
/// Worker's 128 MB.
pub const DEFAULT_LIMIT_BYTES: usize = 16 << 20;

/// The most one streamed response may make the client hold, so that a hostile or broken
/// upstream cannot exhaust memory: past either, the stream ends with a [`Op::TooLarge`] item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most one event may hold: its data plus the line being read (any one line too).
    pub max_event_bytes: usize,
    /// The most the `input_json_delta` literals of one tool block may add up to, in bytes as
    /// received.
    pub max_tool_input_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_event_bytes: DEFAULT_LIMIT_BYTES,
            max_tool_input_bytes: DEFAULT_LIMIT_BYTES,
        }
    }
}

/// The bytes of tool input received per block, against its limit.
#[derive(Debug)]
struct ToolInputs {
    max: usize,
    /// By block index; grown when a tool block's first delta comes.
    received: Vec<usize>,
}

/// The [`Op::TooLarge`] payload's `limit` for each of the [`Limits`].
const EVENT_LIMIT: &[u8] = b"event";
const TOOL_INPUT_LIMIT: &[u8] = b"tool_input";

/// Writes the [`Op::TooLarge`] item of `limit` (for block `index`) with its payload. Cold:
/// once per stream at most, kept out of the hot path and its inlining.
#[cold]
#[inline(never)]
fn too_large(out: &mut Vec<u8>, items: &mut Vec<Item>, index: usize, limit: &[u8], max: usize) {
    item(out, Op::TooLarge, index);
    let at = out.len();
    out.extend_from_slice(b"{\"limit\":\"");
    out.extend_from_slice(limit);
    out.extend_from_slice(b"\",\"max\":");
    write_decimal(out, max);
    out.push(b'}');
    items.push(Item {
        op: Op::TooLarge,
        index,
        payload: (at, out.len()),
        text: None,
    });
}

impl ToolInputs {
    /// Counts `bytes` more for block `index`; whether that passes the limit.
    fn add(&mut self, index: usize, bytes: usize) -> bool {
        if self.received.len() <= index {
            self.grow(index);
        }
        self.received.get_mut(index).is_some_and(|received| {
            *received = received.saturating_add(bytes);
            *received > self.max
        })
    }

    /// Room for block `index` (once per tool block).
    #[cold]
    #[inline(never)]
    fn grow(&mut self, index: usize) {
        self.received.resize(index + 1, 0);
    }
}

/// The kind of a started block, as far as deltas are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Text,
    /// `tool_use` and `server_tool_use`: input streams as JSON text.
    ToolInput,
    Thinking,
    Compaction,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    BeforeStart,
    Streaming,
    Stopped,
    /// An `Error`, `Invalid` or `Incomplete` item was written: nothing more is decoded.
    Ended,
}

/// Where one item of the last batch lies in it: for a Rust caller, which reads the items
/// from these spans instead of parsing the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// What the item does.
    pub op: Op,
    /// Its block index (0 when it has none).
    pub index: usize,
    /// The span of its payload in the batch.
    pub payload: (usize, usize),
    /// For a hot delta, the span in the batch of the string literal it adds (inside the whole
    /// event when the batch carries it).
    pub text: Option<(usize, usize)>,
}

/// The longest excerpt of a bad event quoted in an `Invalid` item.
const EXCERPT_LIMIT: usize = 200;

/// Decodes one streamed response; see the module docs.
#[derive(Debug)]
pub struct StreamCodec {
    sse: SseDecoder,
    max_event_bytes: usize,
    tool_inputs: ToolInputs,
    blocks: Vec<Block>,
    phase: Phase,
    batch: Vec<u8>,
    /// The items of `batch`.
    items: Vec<Item>,
    /// The item that ended the stream and its payload, once one was written.
    terminal: Option<(Op, Vec<u8>)>,
}

impl Default for StreamCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamCodec {
    /// A codec at the start of a response body, with the default [`Limits`].
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A codec at the start of a response body, with these limits.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            sse: SseDecoder::with_max_event_bytes(limits.max_event_bytes),
            max_event_bytes: limits.max_event_bytes,
            tool_inputs: ToolInputs {
                max: limits.max_tool_input_bytes,
                received: Vec::new(),
            },
            blocks: Vec::new(),
            phase: Phase::BeforeStart,
            batch: Vec::new(),
            items: Vec::new(),
            terminal: None,
        }
    }

    /// Whether the stream is over: a terminal item (`Error`, `Invalid`, `Incomplete`) was
    /// written, or `end` was called.
    pub fn has_ended(&self) -> bool {
        self.phase == Phase::Ended
    }

    /// The item that ended the stream (`Error`, `Invalid` or `Incomplete`) and its payload
    /// JSON, once there is one: for the caller's typed error.
    pub fn terminal(&self) -> Option<(Op, &[u8])> {
        self.terminal
            .as_ref()
            .map(|(op, payload)| (*op, payload.as_slice()))
    }

    /// Decodes one chunk of the body; returns the batch of the events it completed (empty
    /// when none). `full` asks for whole events even for hot deltas (someone iterates the
    /// events or listens to `streamEvent`); those of the standard shape still come as their
    /// literal (see the module doc). The batch is lent until the next call.
    pub fn push(&mut self, chunk: &[u8], full: bool) -> &[u8] {
        self.batch.clear();
        self.items.clear();
        if self.phase != Phase::Ended {
            self.sse.push(chunk);
            self.drain(full);
        }
        close(&mut self.batch)
    }

    /// The body ended: the events its end completes, then an `Incomplete` item if the stream
    /// stopped short of `message_stop` (or inside an event).
    pub fn end(&mut self, full: bool) -> &[u8] {
        self.batch.clear();
        self.items.clear();
        if self.phase != Phase::Ended && !self.drain(full) {
            let message = match self.sse.finish_raw_event() {
                Ok(Some(event)) => {
                    let out = Out {
                        blocks: &mut self.blocks,
                        tool_inputs: &mut self.tool_inputs,
                        phase: &mut self.phase,
                        batch: &mut self.batch,
                        items: &mut self.items,
                        terminal: &mut self.terminal,
                    };
                    out.event(event, full);
                    None
                }
                Ok(None) => None,
                Err(_) => Some("the stream ended in the middle of an event"),
            };
            let message = message.or(match self.phase {
                Phase::BeforeStart => Some("the stream ended before message_start"),
                Phase::Streaming => Some("the stream ended without message_stop"),
                Phase::Stopped | Phase::Ended => None,
            });
            let refused = self.event_too_large();
            if let Some(message) = message.filter(|_| !refused) {
                item(&mut self.batch, Op::Incomplete, 0);
                let at = self.batch.len();
                self.batch.extend_from_slice(b"{\"message\":");
                json_string(&mut self.batch, message.as_bytes());
                self.batch.push(b'}');
                self.items.push(Item {
                    op: Op::Incomplete,
                    index: 0,
                    payload: (at, self.batch.len()),
                    text: None,
                });
                self.terminal = last_item(&self.batch, &self.items);
            }
        }
        self.phase = Phase::Ended;
        close(&mut self.batch)
    }

    /// The batch the last `push` or `end` returned, again.
    pub fn batch(&self) -> &[u8] {
        &self.batch
    }

    /// The items of the batch the last `push` or `end` returned, in order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Writes the items of every complete event; returns whether one ended the stream.
    fn drain(&mut self, full: bool) -> bool {
        while let Some(event) = self.sse.next_raw() {
            let out = Out {
                blocks: &mut self.blocks,
                tool_inputs: &mut self.tool_inputs,
                phase: &mut self.phase,
                batch: &mut self.batch,
                items: &mut self.items,
                terminal: &mut self.terminal,
            };
            if out.event(event, full) {
                return true;
            }
        }
        self.event_too_large()
    }

    /// Once the SSE decoder refused an event over the limit: writes the `TooLarge` item
    /// (once) and says that the stream ended.
    #[inline(never)]
    fn event_too_large(&mut self) -> bool {
        if !self.sse.too_large() || self.phase == Phase::Ended {
            return false;
        }
        let (batch, items) = (&mut self.batch, &mut self.items);
        too_large(batch, items, 0, EVENT_LIMIT, self.max_event_bytes);
        self.terminal = last_item(&self.batch, &self.items);
        self.phase = Phase::Ended;
        true
    }
}

/// The codec's state an event writes to, borrowed apart from the SSE decoder that lends the
/// event.
struct Out<'a> {
    blocks: &'a mut Vec<Block>,
    tool_inputs: &'a mut ToolInputs,
    phase: &'a mut Phase,
    batch: &'a mut Vec<u8>,
    items: &'a mut Vec<Item>,
    terminal: &'a mut Option<(Op, Vec<u8>)>,
}

impl Out<'_> {
    /// Writes the event's item and keeps a terminal one; returns whether it ended the stream.
    fn event(self, event: RawEvent<'_>, full: bool) -> bool {
        let state = (&mut *self.blocks, &mut *self.tool_inputs, &mut *self.phase);
        let ended = apply(state, self.batch, self.items, event, full);
        if ended {
            *self.terminal = last_item(self.batch, self.items);
        }
        ended
    }
}

/// The op and payload of the last item written: the one that ended the stream.
fn last_item(batch: &[u8], items: &[Item]) -> Option<(Op, Vec<u8>)> {
    let item = items.last()?;
    Some((item.op, batch.get(item.payload.0..item.payload.1)?.to_vec()))
}

/// Writes the item of one event; returns whether it ended the stream.
fn apply(
    (blocks, tool_inputs, phase): (&mut Vec<Block>, &mut ToolInputs, &mut Phase),
    out: &mut Vec<u8>,
    items: &mut Vec<Item>,
    event: RawEvent<'_>,
    full: bool,
) -> bool {
    let data = event.data;
    // As the official SDK: pings and unnamed or empty events are not events to callers.
    if event.name.is_empty() || event.name == b"ping" || data.is_empty() {
        return false;
    }
    if event.name == b"error" {
        item(out, Op::Error, 0);
        let at = out.len();
        if json::value_span(data).is_ok() {
            out.extend_from_slice(data);
        } else {
            json_string(out, data);
        }
        items.push(Item {
            op: Op::Error,
            index: 0,
            payload: (at, out.len()),
            text: None,
        });
        *phase = Phase::Ended;
        return true;
    }
    match decide(blocks, phase, data, full) {
        // The guard counts the fragment (its literal without the quotes) whatever it decides.
        Ok((Op::InputJson, index, _, Some((start, end))))
            if tool_inputs.add(index, end.saturating_sub(start).saturating_sub(2)) =>
        {
            too_large(out, items, index, TOOL_INPUT_LIMIT, tool_inputs.max);
            *phase = Phase::Ended;
            true
        }
        Ok((op, index, payload, text)) => {
            item(out, op, index);
            let at = out.len();
            out.extend_from_slice(data.get(payload.0..payload.1).unwrap_or(data));
            // The literal's span, moved from the event's data to the batch.
            let text = text.map(|(start, end)| {
                let shift = |i: usize| (at + i).saturating_sub(payload.0);
                (shift(start), shift(end))
            });
            items.push(Item {
                op,
                index,
                payload: (at, out.len()),
                text,
            });
            false
        }
        Err(problem) => {
            item(out, Op::Invalid, 0);
            let at = out.len();
            out.extend_from_slice(b"{\"message\":");
            json_string(out, problem.message(event.name).as_bytes());
            out.extend_from_slice(b",\"excerpt\":");
            let cut = data.len().min(EXCERPT_LIMIT);
            json_string(out, data.get(..cut).unwrap_or_default());
            out.push(b'}');
            items.push(Item {
                op: Op::Invalid,
                index: 0,
                payload: (at, out.len()),
                text: None,
            });
            *phase = Phase::Ended;
            true
        }
    }
}

/// Why an event cannot be taken.
enum Problem {
    Json(JsonError),
    Order(String),
}

impl Problem {
    fn message(&self, name: &[u8]) -> String {
        let name = crate::text::lossy(name);
        match self {
            Problem::Json(error) => text!(
                "the `",
                name,
                "` event's data is not JSON: ",
                error.reason,
                " at byte ",
                error.at
            ),
            Problem::Order(what) => text!("the stream broke the event order: ", what),
        }
    }
}

fn order<T>(what: impl Into<String>) -> Result<T, Problem> {
    Err(Problem::Order(what.into()))
}

/// The span of a JSON value in an event's data.
type Span = (usize, usize);

/// The op of one event, its block index, the span of the payload to send, and for a hot
/// delta the span of the literal it adds.
fn decide(
    blocks: &mut Vec<Block>,
    phase: &mut Phase,
    data: &[u8],
    full: bool,
) -> Result<(Op, usize, Span, Option<Span>), Problem> {
    match standard_hot_delta(blocks, *phase, data) {
        Some(hot) => Ok(hot),
        None => decide_any(blocks, phase, data, full),
    }
}

/// [`decide`] for any event.
fn decide_any(
    blocks: &mut Vec<Block>,
    phase: &mut Phase,
    data: &[u8],
    full: bool,
) -> Result<(Op, usize, Span, Option<Span>), Problem> {
    let start = json::skip_ws(data, 0);
    if data.get(start) != Some(&b'{') {
        let whole = json::value_span(data).map_err(Problem::Json)?;
        return Ok((Op::Raw, 0, whole, None));
    }
    // One pass checks the event and finds the members the decision needs.
    let (fields, end) = json::object_fields(
        data,
        start,
        ["type", "index", "delta", "content_block", "message"],
    )
    .map_err(Problem::Json)?;
    let rest = json::skip_ws(data, end);
    if rest != data.len() {
        return Err(Problem::Json(JsonError {
            at: rest,
            reason: "unexpected text after the JSON value",
        }));
    }
    let whole = (start, end);
    let [type_span, index_span, delta_span, block_span, message_span] = fields;
    let kind = type_span.and_then(|span| json::string(data, span));
    let kind = kind.as_deref().unwrap_or_default();
    let index = index_span.and_then(|span| json::index(data, span));
    let raw = Ok((Op::Raw, 0, whole, None));
    if *phase == Phase::BeforeStart && kind != b"message_start" {
        return match kind {
            b"content_block_start"
            | b"content_block_delta"
            | b"content_block_stop"
            | b"message_delta"
            | b"message_stop" => order(text!(
                crate::text::lossy(kind),
                " arrived before message_start"
            )),
            _ => raw,
        };
    }
    let block_index = |index: Option<usize>, blocks: &[Block], what: &str| match index {
        Some(index) if index < blocks.len() => Ok(index),
        Some(index) => order(text!(what, " for index ", index, ", which never started")),
        None => order(text!(what, " without an integer index")),
    };
    match kind {
        b"message_start" => {
            if *phase != Phase::BeforeStart {
                return order("a second message_start arrived");
            }
            if !is_object(data, message_span) {
                return order("message_start without a message object");
            }
            *phase = Phase::Streaming;
            Ok((Op::MessageStart, 0, whole, None))
        }
        _ if *phase == Phase::Stopped => raw,
        b"content_block_start" => {
            let block = block_span;
            if !is_object(data, block) {
                return order("content_block_start without a content_block object");
            }
            if index != Some(blocks.len()) {
                let index = index.map_or("(none)".into(), |i| text!(i));
                return order(text!(
                    "content_block_start for index ",
                    index,
                    " while the message has ",
                    blocks.len(),
                    " blocks"
                ));
            }
            let block_type = block
                .and_then(|span| json::field(data, span.0, "type"))
                .and_then(|span| json::string(data, span));
            blocks.push(match block_type.as_deref().unwrap_or_default() {
                b"text" => Block::Text,
                b"tool_use" | b"server_tool_use" => Block::ToolInput,
                b"thinking" => Block::Thinking,
                b"compaction" => Block::Compaction,
                _ => Block::Other,
            });
            Ok((Op::BlockStart, blocks.len() - 1, whole, None))
        }
        b"content_block_delta" => {
            let index = block_index(index, blocks, "content_block_delta")?;
            let Some(delta) = delta_span.filter(|d| is_object(data, Some(*d))) else {
                return order("content_block_delta without a delta object");
            };
            let (delta_fields, _) =
                json::object_fields(data, delta.0, ["type", "text", "partial_json", "thinking"])
                    .map_err(Problem::Json)?;
            let [delta_type_span, text, partial_json, thinking] = delta_fields;
            let delta_type = delta_type_span.and_then(|s| json::string(data, s));
            let block = blocks.get(index).copied().unwrap_or(Block::Other);
            // A delta of a type the block does not take changes nothing, as in the official SDK.
            let (op, hot) = match (block, delta_type.as_deref().unwrap_or_default()) {
                (Block::Text, b"text_delta") => (Op::Text, Some(("text", text))),
                (Block::ToolInput, b"input_json_delta") => {
                    (Op::InputJson, Some(("partial_json", partial_json)))
                }
                (Block::Thinking, b"thinking_delta") => {
                    (Op::Thinking, Some(("thinking", thinking)))
                }
                (Block::Thinking, b"signature_delta") => (Op::Signature, None),
                (Block::Text, b"citations_delta") => (Op::Citation, None),
                (Block::Compaction, b"compaction_delta") => (Op::Compaction, None),
                _ => return raw,
            };
            let Some((name, span)) = hot else {
                return Ok((op, index, whole, None));
            };
            match span {
                Some(span) if data.get(span.0) == Some(&b'"') => {
                    // A whole event the shell can rebuild from its text alone (exactly these
                    // keys, in this order) is sent as its text: building three objects in JS
                    // costs less than parsing them, and nothing of the event is lost.
                    let canonical = || {
                        let members = |object: Span, spans: &[(Option<Span>, &str)]| {
                            exactly_members(data, object, spans)
                        };
                        members(
                            whole,
                            &[
                                (type_span, "type"),
                                (index_span, "index"),
                                (Some(delta), "delta"),
                            ],
                        ) && members(delta, &[(delta_type_span, "type"), (Some(span), name)])
                    };
                    let payload = if full && !canonical() { whole } else { span };
                    Ok((op, index, payload, Some(span)))
                }
                _ => order(text!("a content_block_delta without a string `", name, "`")),
            }
        }
        b"content_block_stop" => {
            let index = block_index(index, blocks, "content_block_stop")?;
            Ok((Op::BlockStop, index, whole, None))
        }
        b"message_delta" => Ok((Op::MessageDelta, 0, whole, None)),
        b"message_stop" => {
            *phase = Phase::Stopped;
            Ok((Op::MessageStop, 0, whole, None))
        }
        _ => raw,
    }
}

/// The hot deltas of exactly the standard bytes, `{"type":"content_block_delta","index":N,
/// "delta":{"type":"text_delta","text":"…"}}` (no white space; likewise `input_json_delta`
/// with `partial_json` and `thinking_delta` with `thinking`), for a started block that takes
/// them: the decision the general path below makes for them, found by comparing bytes and
/// scanning the literal once, where the general path scans the delta object twice. Nearly
/// every event of a stream is one of these. `None`: anything else, for the general path.
fn standard_hot_delta(
    blocks: &[Block],
    phase: Phase,
    data: &[u8],
) -> Option<(Op, usize, Span, Option<Span>)> {
    const HEAD: &[u8] = b"{\"type\":\"content_block_delta\",\"index\":";
    const DELTA: &[u8] = b",\"delta\":{\"type\":\"";
    const KINDS: [(&[u8], Op, Block); 3] = [
        (b"text_delta\",\"text\":", Op::Text, Block::Text),
        (
            b"input_json_delta\",\"partial_json\":",
            Op::InputJson,
            Block::ToolInput,
        ),
        (
            b"thinking_delta\",\"thinking\":",
            Op::Thinking,
            Block::Thinking,
        ),
    ];
    if phase != Phase::Streaming {
        return None;
    }
    let rest = data.strip_prefix(HEAD)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    // JSON has no leading zeros; longer indexes are left to the general path.
    if digits == 0 || digits > 9 || (digits > 1 && rest.first() == Some(&b'0')) {
        return None;
    }
    let index = json::index(rest, (0, digits))?;
    let rest = rest.get(digits..)?.strip_prefix(DELTA)?;
    let (op, block, rest) = KINDS
        .iter()
        .find_map(|(kind, op, block)| Some((*op, *block, rest.strip_prefix(*kind)?)))?;
    if blocks.get(index) != Some(&block) || rest.first() != Some(&b'"') {
        return None;
    }
    let start = data.len() - rest.len();
    let end = json::skip_string(data, start).ok()?;
    if data.get(end..) != Some(b"}}".as_slice()) {
        return None;
    }
    Some((op, index, (start, end), Some((start, end))))
}

/// Whether the checked object at `object` has exactly these members, in this order: `spans`
/// are the values' spans (the first of each name, as `json::object_fields` found them), and
/// only white space, `,`, the keys and `:` may lie between them. Looks at the gaps alone, so it
/// costs nothing per byte of the values (a text delta's literal is not scanned again).
fn exactly_members(data: &[u8], object: Span, spans: &[(Option<Span>, &str)]) -> bool {
    let mut at = object.0 + 1;
    for (i, (span, key)) in spans.iter().enumerate() {
        let Some((value_start, value_end)) = *span else {
            return false;
        };
        let Some(gap) = data.get(at..value_start) else {
            return false;
        };
        let gap = trim_ws(gap);
        let gap = if i == 0 {
            Some(gap)
        } else {
            gap.strip_prefix(b",").map(trim_ws)
        };
        let named = gap
            .and_then(|g| g.strip_prefix(b"\""))
            .and_then(|g| g.strip_prefix(key.as_bytes()))
            .and_then(|g| g.strip_prefix(b"\""))
            .map(trim_ws);
        if named != Some(b":") {
            return false;
        }
        at = value_end;
    }
    data.get(at..object.1.saturating_sub(1))
        .is_some_and(|rest| trim_ws(rest).is_empty())
}

/// `bytes` without JSON white space at either end.
fn trim_ws(bytes: &[u8]) -> &[u8] {
    let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let start = bytes.iter().position(|b| !is_ws(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_ws(b))
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

fn is_object(data: &[u8], span: Option<(usize, usize)>) -> bool {
    span.is_some_and(|(start, _)| data.get(start) == Some(&b'{'))
}

/// Starts an item: `[` or `,`, then `op,index,`.
fn item(out: &mut Vec<u8>, op: Op, index: usize) {
    out.push(if out.is_empty() { b'[' } else { b',' });
    write_decimal(out, op as usize);
    out.push(b',');
    write_decimal(out, index);
    out.push(b',');
}

fn write_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

fn close(batch: &mut Vec<u8>) -> &[u8] {
    if !batch.is_empty() {
        batch.push(b']');
    }
    batch
}

/// Writes `text` as a JSON string literal: our own messages and excerpts, never wire JSON.
/// Invalid UTF-8 is passed through (the JS decoder replaces it with U+FFFD).
pub fn json_string(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'"');
    for &byte in text {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 15)]);
            }
            _ => out.push(byte),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variation of a hot delta near the standard bytes: the shortcut must decide as the
    /// general path does, and take the standard ones.
    #[test]
    fn the_standard_hot_delta_shortcut_decides_as_the_general_path() {
        let kinds = [
            ("text_delta", "text"),
            ("input_json_delta", "partial_json"),
            ("thinking_delta", "thinking"),
            ("signature_delta", "signature"),
        ];
        let literals = [
            r#""hi""#,
            r#""""#,
            r#""a\"b\u00e9\n""#,
            r#""bad \x""#,
            "1",
            r#""open"#,
        ];
        let indexes = [
            "0",
            "1",
            "2",
            "01",
            "3",
            "1.0",
            "-1",
            "99999999999999999999",
        ];
        let blocks = [Block::Text, Block::ToolInput, Block::Thinking];
        let mut standard = 0;
        for (kind, field) in kinds {
            for literal in literals {
                for index in indexes {
                    let shapes = [
                        format!(
                            r#"{{"type":"content_block_delta","index":{index},"delta":{{"type":"{kind}","{field}":{literal}}}}}"#
                        ),
                        format!(
                            r#"{{"type":"content_block_delta","index":{index},"delta":{{"type":"{kind}","{field}":{literal}}}}} "#
                        ),
                        format!(
                            r#"{{"type":"content_block_delta", "index":{index},"delta":{{"type":"{kind}","{field}":{literal}}}}}"#
                        ),
                        format!(
                            r#"{{"type":"content_block_delta","index":{index},"delta":{{"type":"{kind}","{field}":{literal},"x":null}}}}"#
                        ),
                        format!(
                            r#"{{"type":"content_block_delta","index":{index},"delta":{{"type":"{kind}","{field}":{literal}}},"index":7}}"#
                        ),
                        format!(
                            r#"{{"type":"content_block_delta","index":{index},"delta":{{"type":"{kind}","{field}":{literal}}}}}}}"#
                        ),
                    ];
                    for data in &shapes {
                        for phase in [Phase::BeforeStart, Phase::Streaming, Phase::Stopped] {
                            for full in [false, true] {
                                let data = data.as_bytes();
                                let Some(hot) = standard_hot_delta(&blocks, phase, data) else {
                                    continue;
                                };
                                standard += 1;
                                let (mut b, mut p) = (blocks.to_vec(), phase);
                                let general = decide_any(&mut b, &mut p, data, full);
                                assert!(
                                    matches!(general, Ok(g) if g == hot)
                                        && b == blocks
                                        && p == phase,
                                    "{}",
                                    String::from_utf8_lossy(data)
                                );
                            }
                        }
                    }
                }
            }
        }
        // The standard shape with a string literal, index 0-2, a block that takes the kind,
        // while streaming: 3 kinds x 3 good literals x 1 shape x 2 (full), one block each.
        assert_eq!(standard, 3 * 3 * 2);
    }
}
