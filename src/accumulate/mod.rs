//! A streamed reply decoded by the core's stream codec (`anthropic_wasm_core::stream`) and
//! accumulated on the wire JSON (see [`snapshot`]), with the helper-level events (`text`,
//! `inputJson`, `contentBlock`, …) the Rust API exposes. The partial message can be taken at
//! any moment, so a failed stream loses nothing; a `Message` is typed only where one is handed
//! out, and an event only when a caller asks for it ([`Step::event`]).
//!
//! Tool input is kept as the raw JSON text while it streams and parsed once, at the block's
//! end; previews of the unfinished input are computed only when asked for (the official SDK
//! re-parses the whole buffer on every fragment, which is quadratic in the input's size).

mod snapshot;

use std::collections::VecDeque;

use anthropic_wasm_core::stream::{Item, Limits, Op, StreamCodec};
use serde_json::Value;

use crate::error::{Error, StreamLimit};
use crate::headers::Headers;
use crate::partial_json::parse_partial;
use crate::types::{
    Citation, ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent, ErrorEvent, InputJsonDelta,
    Message, StreamEvent, TextDelta, ThinkingDelta,
};
use snapshot::Snapshot;

/// What one stream event meant for the message, beyond the raw event itself.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum HelperEvent<'a> {
    /// Text was appended to the text block at `index`.
    Text {
        /// The block's index.
        index: usize,
        /// The text added.
        delta: &'a str,
        /// The block's whole text so far.
        snapshot: &'a str,
    },
    /// A fragment of a tool call's input arrived.
    InputJson {
        /// The block's index.
        index: usize,
        /// The fragment.
        partial_json: &'a str,
        /// All of the input's JSON text so far; see [`HelperEvent::partial_input`].
        buffer: &'a str,
    },
    /// Thinking was appended to the thinking block at `index`.
    Thinking {
        /// The block's index.
        index: usize,
        /// The thinking added.
        delta: &'a str,
        /// The block's whole thinking so far.
        snapshot: &'a str,
    },
    /// The thinking block at `index` got its signature.
    Signature {
        /// The block's index.
        index: usize,
        /// The signature.
        signature: &'a str,
    },
    /// A citation was added to the text block at `index`.
    Citation {
        /// The block's index.
        index: usize,
        /// The new citation.
        citation: &'a Citation,
        /// All the block's citations so far.
        citations: &'a [Citation],
    },
    /// The block at `index` is complete (tool input parsed).
    ContentBlock {
        /// The block's index.
        index: usize,
        /// The finished block.
        block: &'a ContentBlock,
    },
    /// A tool block ended with input that is not valid JSON. The block keeps the best-effort
    /// parse of it; the stream can go on.
    InvalidToolInput {
        /// The block's index.
        index: usize,
        /// The raw input text.
        raw_json: String,
        /// The JSON parser's complaint.
        message: String,
    },
    /// `message_stop`: the message is complete.
    Message(&'a Message),
}

impl HelperEvent<'_> {
    /// For `InputJson`: a best-effort parse of the unfinished input, for live previews.
    pub fn partial_input(&self) -> Option<Value> {
        match self {
            Self::InputJson { buffer, .. } => parse_partial(buffer),
            _ => None,
        }
    }
}

/// Decodes a whole response body: bytes in, steps and the message out. The one pipeline the
/// transports, the benchmarks and the fuzzers share.
///
/// Use: [`push`](Self::push) bytes and drain [`next_step`](Self::next_step) after each push; at
/// the end of the body call [`end`](Self::end), drain `next_step` once more (the end can
/// complete a last event), then [`finish`](Self::finish).
#[derive(Debug)]
pub struct StreamParser {
    codec: StreamCodec,
    headers: Headers,
    /// Whether steps carry whole events for the hot deltas too (see [`Self::set_whole_events`]).
    whole_events: bool,
    /// The codec's batches whose items are not all handed out yet.
    batch: Vec<u8>,
    /// Those items, their spans moved to `batch`.
    pending: VecDeque<Item>,
    /// The payload and the literal of the current step when they are not UTF-8 as received
    /// (then with U+FFFD).
    repaired: (String, String),
    snapshot: Snapshot,
    /// Why the stream failed: an `error` event, a broken protocol, or an early end.
    failure: Option<Error>,
    /// The body has ended ([`StreamParser::end`]).
    ended: bool,
}

/// One step of [`StreamParser::next_step`]: one event, what it did, and what it meant.
#[derive(Debug)]
pub struct Step<'a> {
    /// What the event did to the message (the codec's table).
    pub op: Op,
    /// The block it concerns, for block events.
    pub index: usize,
    /// The event's JSON as received; for a hot delta (text, input JSON, thinking) when the
    /// parser does not keep whole events, only the string literal it adds.
    pub data: &'a str,
    /// The helper-level event it produced, if any.
    pub helper: Option<HelperEvent<'a>>,
    /// For a hot delta, the text it adds (unescaped): the event is made from it when `data`
    /// is only the literal.
    hot: Option<&'a str>,
}

impl Step<'_> {
    /// The event, typed: read from [`data`](Self::data), or for a hot delta sent alone, made
    /// from the text it adds.
    pub fn event(&self) -> Result<StreamEvent, Error> {
        if let Some(text) = self.hot.filter(|_| self.data.starts_with('"')) {
            let text = text.to_owned();
            let delta = match self.op {
                Op::Text => ContentBlockDelta::TextDelta(TextDelta { text }),
                Op::Thinking => ContentBlockDelta::ThinkingDelta(ThinkingDelta { thinking: text }),
                _ => ContentBlockDelta::InputJsonDelta(InputJsonDelta { partial_json: text }),
            };
            return Ok(StreamEvent::ContentBlockDelta(ContentBlockDeltaEvent {
                index: self.index,
                delta,
            }));
        }
        let name = match self.op {
            Op::MessageStart => "message_start",
            Op::BlockStart => "content_block_start",
            Op::BlockStop => "content_block_stop",
            Op::MessageDelta => "message_delta",
            Op::MessageStop => "message_stop",
            Op::Text
            | Op::InputJson
            | Op::Thinking
            | Op::Signature
            | Op::Citation
            | Op::Compaction => "content_block_delta",
            Op::Raw | Op::Error | Op::Invalid | Op::Incomplete | Op::TooLarge => {
                return Ok(raw_event(self.data))
            }
        };
        StreamEvent::from_sse(name, self.data)
            .map_err(|e| Error::decode(format_args!("`{name}` event: {e}"), self.data.as_bytes()))
    }
}

/// An event that changes nothing, typed by its `type` when it has one.
fn raw_event(data: &str) -> StreamEvent {
    let data = serde_json::from_str::<Value>(data).unwrap_or_else(|_| Value::String(data.into()));
    serde_json::from_value(data.clone()).unwrap_or_else(|_| StreamEvent::Unknown {
        event: String::new(),
        data,
    })
}

impl StreamParser {
    /// A parser for a response with these headers (their `request-id` goes into errors),
    /// keeping whole events, with the default [`Limits`].
    pub fn new(headers: Headers) -> Self {
        Self::with_limits(headers, Limits::default())
    }

    /// [`new`](Self::new) with these limits on an event's and a tool input's size.
    pub fn with_limits(headers: Headers, limits: Limits) -> Self {
        Self {
            codec: StreamCodec::with_limits(limits),
            headers,
            whole_events: true,
            batch: Vec::new(),
            pending: VecDeque::new(),
            repaired: (String::new(), String::new()),
            snapshot: Snapshot::default(),
            failure: None,
            ended: false,
        }
    }

    /// Whether the steps of later pushes carry whole events for the hot deltas too (the
    /// default), or only the string literal they add, which is faster when nobody reads the
    /// events' JSON ([`Step::event`] works either way).
    pub fn set_whole_events(&mut self, whole: bool) {
        self.whole_events = whole;
    }

    /// Feeds bytes from the body.
    pub fn push(&mut self, bytes: &[u8]) {
        if !self.ended {
            self.codec.push(bytes, self.whole_events);
            self.take_batch();
        }
    }

    /// Marks the end of the body. Drain [`next_step`](Self::next_step) afterwards: the end of
    /// input can complete a last event.
    pub fn end(&mut self) {
        if !self.ended {
            self.ended = true;
            self.codec.end(self.whole_events);
            self.take_batch();
        }
    }

    /// The next event, or `None` when more bytes are needed. An `error` event or a broken
    /// protocol is returned once as the error; after it, and after an early end (which
    /// [`finish`](Self::finish) reports), it returns `None`.
    pub fn next_step(&mut self) -> Option<Result<Step<'_>, Error>> {
        if self.failure.is_some() {
            return None;
        }
        let Item {
            op,
            index,
            payload,
            text,
        } = self.pending.pop_front()?;
        let (repaired_data, repaired_text) = &mut self.repaired;
        let data = utf8(self.batch.get(payload.0..payload.1), repaired_data);
        let literal = text.map(|(start, end)| utf8(self.batch.get(start..end), repaired_text));
        let applied = match op {
            Op::Error | Op::Invalid | Op::TooLarge => {
                let error = codec_failure(op, data, &self.headers);
                self.failure = Some(error.clone());
                return Some(Err(error));
            }
            Op::Incomplete => {
                self.failure = Some(codec_failure(op, data, &self.headers));
                return None;
            }
            _ => self.snapshot.apply(op, index, data, literal),
        };
        match applied {
            Ok(applied) => Some(Ok(Step {
                op,
                index,
                data,
                helper: self.snapshot.helper(applied, index),
                hot: matches!(op, Op::Text | Op::InputJson | Op::Thinking)
                    .then(|| self.snapshot.delta()),
            })),
            Err(error) => {
                self.failure = Some(error.clone());
                Some(Err(error))
            }
        }
    }

    /// The finished message, or why there is none (the first failure, or a stream that ended
    /// without `message_stop`). Ends the input if [`end`](Self::end) was not called; steps
    /// not drained by then are applied without being reported.
    pub fn finish(&mut self) -> Result<Message, Error> {
        self.end();
        while let Some(step) = self.next_step() {
            step?;
        }
        match (&self.failure, self.snapshot.finished()) {
            (Some(error), _) => Err(error.clone()),
            (None, Some(message)) => Ok(message.clone()),
            (None, None) => Err(Error::IncompleteStream {
                message: "the stream ended without message_stop".into(),
            }),
        }
    }

    /// Whether [`end`](Self::end) was called.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The message so far, typed (tool inputs still streaming are given as their best-effort
    /// parse), or `None` before `message_start` or while what arrived is not a `Message`.
    pub fn snapshot(&self) -> Option<Message> {
        self.snapshot.typed()
    }

    /// The message so far as the wire sent it: every field and `null` kept at any depth,
    /// unknown fields too (tool inputs still streaming as their best-effort parse). `None`
    /// before `message_start`.
    pub fn snapshot_json(&self) -> Option<Value> {
        self.snapshot.json()
    }

    /// Queues the items of the codec's last batch.
    fn take_batch(&mut self) {
        if self.pending.is_empty() {
            self.batch.clear();
        }
        let base = self.batch.len();
        let shift = |(start, end): (usize, usize)| (base + start, base + end);
        self.batch.extend_from_slice(self.codec.batch());
        self.pending
            .extend(self.codec.items().iter().map(|item| Item {
                payload: shift(item.payload),
                text: item.text.map(shift),
                ..*item
            }));
    }
}

/// The text of `bytes`; when they are not UTF-8, a copy in `repaired` with U+FFFD.
fn utf8<'a>(bytes: Option<&'a [u8]>, repaired: &'a mut String) -> &'a str {
    let bytes = bytes.unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            *repaired = String::from_utf8_lossy(bytes).into_owned();
            repaired
        }
    }
}

/// The typed error of a terminal item (`Error`, `Invalid`, `Incomplete`) and its payload.
pub fn codec_failure(op: Op, payload: &str, headers: &Headers) -> Error {
    let value = serde_json::from_str::<Value>(payload).ok();
    let member = |name: &str| value.as_ref().and_then(|value| value.get(name));
    let field = |name: &str| {
        member(name)
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    match op {
        Op::Error => match serde_json::from_str::<ErrorEvent>(payload) {
            Ok(event) => Error::mid_stream(event.error, headers),
            Err(problem) => Error::decode(
                format_args!("an error event that is not the API's error: {problem}"),
                payload.as_bytes(),
            ),
        },
        Op::Incomplete => Error::IncompleteStream {
            message: field("message"),
        },
        Op::TooLarge => Error::LimitExceeded {
            limit: match field("limit").as_str() {
                "tool_input" => StreamLimit::ToolInputBytes,
                _ => StreamLimit::EventBytes,
            },
            max: member("max")
                .and_then(Value::as_u64)
                .and_then(|max| usize::try_from(max).ok())
                .unwrap_or(usize::MAX),
        },
        _ => Error::Decode {
            message: field("message"),
            excerpt: field("excerpt"),
        },
    }
}
