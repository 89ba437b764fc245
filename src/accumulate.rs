//! Folds stream events into a `Message`, with the official SDK's `MessageStream` rules, and
//! reports the helper-level events (`text`, `inputJson`, `contentBlock`, …) the JS and Rust
//! APIs expose. The partial message can be taken at any moment, so a failed stream loses
//! nothing.
//!
//! Tool input is kept as the raw JSON text while it streams and parsed once, at the block's
//! end; previews of the unfinished input are computed only when asked for (the official SDK
//! re-parses the whole buffer on every fragment, which is quadratic in the input's size).

use serde_json::Value;

use crate::error::Error;
use crate::headers::Headers;
use crate::partial_json::parse_partial;
use crate::sse::{SseDecoder, SseEvent};
use crate::types::{
    Citation, ContentBlock, ContentBlockDelta, Message, MessageDeltaEvent, MessageDeltaUsage,
    StreamEvent, Usage,
};
use crate::wire_shape::WireShape;

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

/// Builds a `Message` from stream events.
#[derive(Clone, Debug, Default)]
pub struct MessageAccumulator {
    snapshot: Option<Message>,
    /// Raw input JSON of tool blocks that have not ended, by block index.
    open_inputs: Vec<(usize, String)>,
    complete: bool,
}

impl MessageAccumulator {
    /// An accumulator waiting for `message_start`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one event. An `error` event becomes [`Error::MidStream`]; an impossible order
    /// (a delta for a block that never started, a second `message_start`…) becomes
    /// [`Error::Decode`]. Either way the snapshot so far stays available.
    pub fn apply<'a>(
        &'a mut self,
        event: &'a StreamEvent,
        headers: &Headers,
    ) -> Result<Option<HelperEvent<'a>>, Error> {
        match event {
            StreamEvent::MessageStart(start) => {
                if self.snapshot.is_some() {
                    return Err(order_error("a second message_start arrived"));
                }
                self.snapshot = Some(start.message.clone());
                Ok(None)
            }
            StreamEvent::ContentBlockStart(start) => {
                let snapshot = self.started_snapshot("content_block_start")?;
                if start.index != snapshot.content.len() {
                    return Err(order_error(format_args!(
                        "content_block_start for index {} while the message has {} blocks",
                        start.index,
                        snapshot.content.len()
                    )));
                }
                snapshot.content.push(start.content_block.clone());
                if takes_input_json(&start.content_block) {
                    self.open_inputs.push((start.index, String::new()));
                }
                Ok(None)
            }
            StreamEvent::ContentBlockDelta(delta) => self.apply_delta(delta.index, &delta.delta),
            StreamEvent::ContentBlockStop(stop) => self.stop_block(stop.index),
            StreamEvent::MessageDelta(delta) => {
                apply_message_delta(self.started_snapshot("message_delta")?, delta);
                Ok(None)
            }
            StreamEvent::MessageStop => {
                self.started_snapshot("message_stop")?;
                self.close_open_inputs();
                self.complete = true;
                Ok(self.snapshot.as_ref().map(HelperEvent::Message))
            }
            StreamEvent::Error(error) => Err(Error::mid_stream(error.error.clone(), headers)),
            StreamEvent::Ping | StreamEvent::Unknown { .. } => Ok(None),
        }
    }

    /// Whether `message_stop` has arrived.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The message so far (tool inputs still streaming are given as their best-effort
    /// parse), or `None` before `message_start`.
    pub fn snapshot(&self) -> Option<Message> {
        let mut message = self.snapshot.clone()?;
        fill_previews(&mut message, &self.open_inputs);
        Some(message)
    }

    /// The finished message, or [`Error::IncompleteStream`] if `message_stop` never came.
    pub fn finish(&self) -> Result<Message, Error> {
        match (&self.snapshot, self.complete) {
            (Some(message), true) => Ok(message.clone()),
            (None, _) => Err(Error::IncompleteStream {
                message: "the stream ended before message_start".into(),
            }),
            (Some(_), false) => Err(Error::IncompleteStream {
                message: "the stream ended without message_stop".into(),
            }),
        }
    }

    fn started_snapshot(&mut self, event: &str) -> Result<&mut Message, Error> {
        self.snapshot
            .as_mut()
            .ok_or_else(|| order_error(format_args!("{event} arrived before message_start")))
    }

    fn apply_delta<'a>(
        &'a mut self,
        index: usize,
        delta: &'a ContentBlockDelta,
    ) -> Result<Option<HelperEvent<'a>>, Error> {
        let snapshot = self
            .snapshot
            .as_mut()
            .ok_or_else(|| order_error("content_block_delta arrived before message_start"))?;
        let Some(block) = snapshot.content.get_mut(index) else {
            return Err(order_error(format_args!(
                "content_block_delta for index {index}, which never started"
            )));
        };
        // A delta of a type the block does not take is ignored, as in the official SDK.
        Ok(match (block, delta) {
            (ContentBlock::Text(text), ContentBlockDelta::TextDelta(delta)) => {
                text.text.push_str(&delta.text);
                Some(HelperEvent::Text {
                    index,
                    delta: &delta.text,
                    snapshot: &text.text,
                })
            }
            (ContentBlock::Text(text), ContentBlockDelta::CitationsDelta(delta)) => {
                let citations = text.citations.get_or_insert_with(Vec::new);
                citations.push(delta.citation.clone());
                Some(HelperEvent::Citation {
                    index,
                    citation: &delta.citation,
                    citations,
                })
            }
            (ContentBlock::Thinking(thinking), ContentBlockDelta::ThinkingDelta(delta)) => {
                thinking.thinking.push_str(&delta.thinking);
                Some(HelperEvent::Thinking {
                    index,
                    delta: &delta.thinking,
                    snapshot: &thinking.thinking,
                })
            }
            (ContentBlock::Thinking(thinking), ContentBlockDelta::SignatureDelta(delta)) => {
                thinking.signature.clone_from(&delta.signature);
                Some(HelperEvent::Signature {
                    index,
                    signature: &delta.signature,
                })
            }
            (
                ContentBlock::Unknown(Value::Object(block)),
                ContentBlockDelta::CompactionDelta(delta),
            ) if block.get("type").and_then(Value::as_str) == Some("compaction") => {
                if let Some(content) = &delta.content {
                    let mut text = block
                        .get("content")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    text.push_str(content);
                    block.insert("content".into(), Value::String(text));
                }
                if let Some(encrypted) = &delta.encrypted_content {
                    block.insert("encrypted_content".into(), Value::String(encrypted.clone()));
                }
                None
            }
            (_, ContentBlockDelta::InputJsonDelta(delta)) => {
                let Some((_, buffer)) =
                    self.open_inputs.iter_mut().find(|(open, _)| *open == index)
                else {
                    return Ok(None);
                };
                buffer.push_str(&delta.partial_json);
                Some(HelperEvent::InputJson {
                    index,
                    partial_json: &delta.partial_json,
                    buffer,
                })
            }
            _ => None,
        })
    }

    fn stop_block(&mut self, index: usize) -> Result<Option<HelperEvent<'_>>, Error> {
        let snapshot = self
            .snapshot
            .as_mut()
            .ok_or_else(|| order_error("content_block_stop arrived before message_start"))?;
        if index >= snapshot.content.len() {
            return Err(order_error(format_args!(
                "content_block_stop for index {index}, which never started"
            )));
        }
        let mut invalid = None;
        if let Some(position) = self.open_inputs.iter().position(|(open, _)| *open == index) {
            let (_, buffer) = self.open_inputs.swap_remove(position);
            if let Some(input) = snapshot.content.get_mut(index).and_then(input_slot) {
                if let Err(problem) = finish_input(&buffer, input) {
                    invalid = Some((buffer, problem));
                }
            }
        }
        let Some(block) = snapshot.content.get(index) else {
            return Ok(None);
        };
        Ok(Some(match invalid {
            None => HelperEvent::ContentBlock { index, block },
            Some((raw_json, message)) => HelperEvent::InvalidToolInput {
                index,
                raw_json,
                message,
            },
        }))
    }

    /// At `message_stop`, tool blocks that never got `content_block_stop` keep their preview.
    fn close_open_inputs(&mut self) {
        if let Some(snapshot) = self.snapshot.as_mut() {
            fill_previews(snapshot, &self.open_inputs);
        }
        self.open_inputs.clear();
    }
}

/// Decodes a whole response body: bytes in, events and the message out. The one pipeline the
/// transports, the benchmarks and the fuzzers share.
///
/// Use: [`push`](Self::push) bytes and drain [`next_step`](Self::next_step) after each push; at the end
/// of the body call [`end`](Self::end), drain `next` once more (the end can complete a last
/// event), then [`finish`](Self::finish).
#[derive(Debug, Default)]
pub struct StreamParser {
    sse: SseDecoder,
    accumulator: MessageAccumulator,
    headers: Headers,
    current: Option<StreamEvent>,
    /// The SSE data `current` was read from.
    current_data: String,
    /// Why the stream failed: a decode error, an `error` event, or a cut mid-event.
    failure: Option<Error>,
    /// The body has ended ([`StreamParser::end`]).
    ended: bool,
    /// Every event the end of input completed has been handed out.
    drained: bool,
    /// Where the wire sent `null` and what it left out, for the JS layer.
    shape: WireShape,
}

/// One step of [`StreamParser::next_step`]: the raw event and what it meant.
#[derive(Debug)]
pub struct Step<'a> {
    /// The event as received.
    pub event: &'a StreamEvent,
    /// Its SSE data: the JSON text the event was read from.
    pub data: &'a str,
    /// The helper-level event it produced, if any.
    pub helper: Option<HelperEvent<'a>>,
    /// The wire's nulls so far, to give serialized messages and blocks back their shape.
    pub shape: &'a WireShape,
}

impl StreamParser {
    /// A parser for a response with these headers (their `request-id` goes into errors).
    pub fn new(headers: Headers) -> Self {
        Self {
            headers,
            ..Self::default()
        }
    }

    /// Feeds bytes from the body.
    pub fn push(&mut self, bytes: &[u8]) {
        self.sse.push(bytes);
    }

    /// The next event, or `None` when more bytes are needed. After an error it returns `None`.
    pub fn next_step(&mut self) -> Option<Result<Step<'_>, Error>> {
        if self.failure.is_some() {
            return None;
        }
        loop {
            let sse = match self.sse.next_event() {
                Some(sse) => sse,
                None => self.next_at_end()?,
            };
            match self.parse(&sse) {
                Ok(Some(event)) => {
                    self.current = Some(event);
                    self.current_data = sse.data;
                    break;
                }
                Ok(None) => {}
                Err(error) => return Some(Err(self.fail(error))),
            }
        }
        let event = self.current.as_ref()?;
        match self.accumulator.apply(event, &self.headers) {
            Ok(helper) => {
                self.shape.observe(event, &self.current_data);
                Some(Ok(Step {
                    event,
                    data: &self.current_data,
                    helper,
                    shape: &self.shape,
                }))
            }
            Err(error) => {
                self.failure = Some(error.clone());
                Some(Err(error))
            }
        }
    }

    /// Marks the end of the body. Drain [`next_step`](Self::next_step) afterwards: the end of input can
    /// complete a last event.
    pub fn end(&mut self) {
        self.ended = true;
    }

    /// After [`end`](Self::end): the events the end of input completes, then `None`. A cut
    /// mid-event becomes the stream's failure.
    fn next_at_end(&mut self) -> Option<SseEvent> {
        if !self.ended || self.drained {
            return None;
        }
        match self.sse.finish() {
            Ok(Some(last)) => Some(last),
            Ok(None) => {
                self.drained = true;
                None
            }
            Err(unterminated) => {
                self.drained = true;
                self.failure.get_or_insert(Error::IncompleteStream {
                    message: unterminated.to_string(),
                });
                None
            }
        }
    }

    /// The finished message, or why there is none (the first failure, or a stream that ended
    /// without `message_stop`). Ends the input if [`end`](Self::end) was not called; events
    /// not drained by then are applied without being reported.
    pub fn finish(&mut self) -> Result<Message, Error> {
        self.end();
        while let Some(step) = self.next_step() {
            step?;
        }
        match &self.failure {
            Some(error) => Err(error.clone()),
            None => self.accumulator.finish(),
        }
    }

    /// Whether [`end`](Self::end) was called.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The message so far (see [`MessageAccumulator::snapshot`]).
    pub fn snapshot(&self) -> Option<Message> {
        self.accumulator.snapshot()
    }

    /// Where the wire sent `null` and what it left out (see [`WireShape`]).
    pub fn shape(&self) -> &WireShape {
        &self.shape
    }

    /// The accumulator, for callers that need more than the snapshot.
    pub fn accumulator(&self) -> &MessageAccumulator {
        &self.accumulator
    }

    /// Events without an `event:` name are ignored, as the official SDK does.
    fn parse(&self, sse: &SseEvent) -> Result<Option<StreamEvent>, Error> {
        let Some(name) = &sse.event else {
            return Ok(None);
        };
        StreamEvent::from_sse(name, &sse.data)
            .map(Some)
            .map_err(|e| Error::decode(format_args!("`{name}` event: {e}"), sse.data.as_bytes()))
    }

    fn fail(&mut self, error: Error) -> Error {
        self.failure = Some(error.clone());
        error
    }
}

fn order_error(what: impl core::fmt::Display) -> Error {
    Error::Decode {
        message: format!("events out of order: {what}"),
        excerpt: String::new(),
    }
}

/// Blocks whose input streams as `input_json_delta`: tool calls, server tool calls, and
/// unknown blocks with an `input` (e.g. beta `mcp_tool_use`).
fn takes_input_json(block: &ContentBlock) -> bool {
    match block {
        ContentBlock::ToolUse(_) | ContentBlock::ServerToolUse(_) => true,
        ContentBlock::Unknown(value) => value.get("input").is_some(),
        _ => false,
    }
}

/// Gives each tool block whose input is still streaming the best-effort parse of its text.
fn fill_previews(message: &mut Message, open_inputs: &[(usize, String)]) {
    for (index, buffer) in open_inputs {
        let preview = message
            .content
            .get_mut(*index)
            .and_then(input_slot)
            .zip(parse_partial(buffer));
        if let Some((input, preview)) = preview {
            *input = preview;
        }
    }
}

fn input_slot(block: &mut ContentBlock) -> Option<&mut Value> {
    match block {
        ContentBlock::ToolUse(tool) => Some(&mut tool.input),
        ContentBlock::ServerToolUse(tool) => Some(&mut tool.input),
        ContentBlock::Unknown(Value::Object(object)) => object.get_mut("input"),
        _ => None,
    }
}

/// Parses a finished input. No fragments keeps the input the block started with; invalid
/// JSON leaves the best-effort parse in place and reports why.
fn finish_input(buffer: &str, input: &mut Value) -> Result<(), String> {
    if buffer.trim().is_empty() {
        return Ok(());
    }
    match serde_json::from_str(buffer) {
        Ok(value) => {
            *input = value;
            Ok(())
        }
        Err(error) => {
            if let Some(preview) = parse_partial(buffer) {
                *input = preview;
            }
            Err(error.to_string())
        }
    }
}

/// `message_delta`: stop fields, container, and usage where present.
fn apply_message_delta(snapshot: &mut Message, event: &MessageDeltaEvent) {
    let delta = &event.delta;
    snapshot.stop_reason.clone_from(&delta.stop_reason);
    snapshot.stop_sequence.clone_from(&delta.stop_sequence);
    if delta.stop_details.is_some() {
        snapshot.stop_details.clone_from(&delta.stop_details);
    }
    if delta.container.as_ref().is_some_and(|c| !c.is_null()) {
        snapshot.container.clone_from(&delta.container);
    }
    for (key, value) in &delta.extra {
        if !value.is_null() {
            snapshot.extra.insert(key.clone(), value.clone());
        }
    }
    if let Some(usage) = &event.usage {
        merge_usage(&mut snapshot.usage, usage);
    }
}

/// Cumulative usage: each field present (and not null) replaces the snapshot's; nothing adds.
fn merge_usage(usage: &mut Usage, delta: &MessageDeltaUsage) {
    if let Some(output) = delta.output_tokens {
        usage.output_tokens = output;
    }
    if let Some(input) = delta.input_tokens {
        usage.input_tokens = input;
    }
    if delta.cache_creation_input_tokens.is_some() {
        usage.cache_creation_input_tokens = delta.cache_creation_input_tokens;
    }
    if delta.cache_read_input_tokens.is_some() {
        usage.cache_read_input_tokens = delta.cache_read_input_tokens;
    }
    if delta.server_tool_use.as_ref().is_some_and(|v| !v.is_null()) {
        usage.server_tool_use.clone_from(&delta.server_tool_use);
    }
    if delta
        .output_tokens_details
        .as_ref()
        .is_some_and(|v| !v.is_null())
    {
        usage
            .output_tokens_details
            .clone_from(&delta.output_tokens_details);
    }
    for (key, value) in &delta.extra {
        if !value.is_null() {
            usage.extra.insert(key.clone(), value.clone());
        }
    }
}
