//! The history rules of the helpers over the JSON text of the messages, for the npm package
//! (no typed model): where a history may start, the offline token estimate, normalisation,
//! and the first JSON value of a text. The Rust API has the same rules over its types (`helpers::history`,
//! `validate::normalize`); these give the same results, and keep every field and `null` of a
//! turn or block as received, because nothing is re-typed.

use crate::prelude::*;

use alloc::borrow::Cow;

use crate::json::{self, JsonError, Span};
use crate::text;

/// Why the text is not a list of messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotMessages {
    /// What was wrong.
    pub message: String,
}

impl core::fmt::Display for NotMessages {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<JsonError> for NotMessages {
    fn from(error: JsonError) -> Self {
        NotMessages {
            message: text!(
                "messages are not JSON: ",
                error.reason,
                " at byte ",
                error.at
            ),
        }
    }
}

fn shape(message: &str) -> NotMessages {
    NotMessages {
        message: message.to_owned(),
    }
}

/// The indices where the history may start, in increasing order: user turns without
/// `tool_result` blocks (so no `tool_use` loses its result and no result its call).
pub fn cut_points(messages: &str) -> Result<Vec<usize>, NotMessages> {
    let b = messages.as_bytes();
    let mut points = Vec::new();
    for (index, turn) in turns(b)?.into_iter().enumerate() {
        let answers_a_call = match turn.content {
            Content::Text(_) => false,
            Content::Blocks(blocks) => blocks
                .iter()
                .any(|&block| block_type(b, block).as_deref() == Some(b"tool_result")),
        };
        if turn.role.as_ref() == b"user" && !answers_a_call {
            points.push(index);
        }
    }
    Ok(points)
}

/// The messages with empty text blocks and empty turns dropped and consecutive turns of the
/// same role merged (a string content becomes a text block; a later turn's fields are added
/// where the earlier one lacks them), as the JSON text of the new list.
pub fn normalize(messages: &str) -> Result<String, NotMessages> {
    let b = messages.as_bytes();
    let mut merged: Vec<Turn<'_>> = Vec::new();
    for mut turn in turns(b)? {
        if let Content::Blocks(blocks) = &mut turn.content {
            blocks.retain(|&block| !is_empty_text(b, block));
        }
        let empty = match &turn.content {
            // `""`: only an empty string literal has no characters.
            Content::Text((start, end)) => end - start == 2,
            Content::Blocks(blocks) => blocks.is_empty(),
        };
        if empty {
            continue;
        }
        match merged.last_mut() {
            Some(previous) if previous.role == turn.role => previous.merge(turn),
            _ => merged.push(turn),
        }
    }
    let mut out = String::from("[");
    for (n, turn) in merged.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        turn.write(messages, &mut out);
    }
    out.push(']');
    Ok(out)
}

/// The text of the first JSON value that starts `text` (after white space), whatever follows
/// it, as `serde_json`'s stream reader finds it: a number or literal must be followed by white
/// space, a bracket, a quote, `,`, `:` or nothing. `None` when there is no complete value.
pub fn first_json_value(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let start = json::skip_ws(b, 0);
    let end = json::skip_value(b, start).ok()?;
    let delimited = matches!(b.get(start), Some(b'{' | b'[' | b'"'))
        || matches!(
            b.get(end),
            None | Some(
                b' ' | b'\n' | b'\t' | b'\r' | b'"' | b'[' | b']' | b'{' | b'}' | b',' | b':'
            )
        );
    if delimited {
        text.get(start..end)
    } else {
        None
    }
}

/// The declared offline estimate: one token per this many characters of text.
pub const ESTIMATE_CHARS_PER_TOKEN: u64 = 4;
/// The declared offline estimate for an image (the largest image the API keeps at full size).
pub const ESTIMATE_IMAGE_TOKENS: u64 = 1600;
/// The declared offline estimate of each turn's framing (role and separators).
pub const ESTIMATE_TURN_TOKENS: u64 = 3;

/// The offline estimate of a request's input tokens (`{model, system, tools, messages}`):
/// text and the compact JSON of every non-text block at [`ESTIMATE_CHARS_PER_TOKEN`]
/// characters per token, [`ESTIMATE_IMAGE_TOKENS`] per image, [`ESTIMATE_TURN_TOKENS`] per
/// turn, the system prompt and the tool definitions as their text. The Rust API counts the
/// JSON its types write; this counts the JSON as received, written compactly (the same
/// unless a field is `null` or unknown to the types, or a number is written differently).
pub fn estimate_tokens(params: &str) -> Result<u64, NotMessages> {
    let b = params.as_bytes();
    let (start, _) = json::value_span(b)?;
    if b.get(start) != Some(&b'{') {
        return Err(shape("the request must be an object"));
    }
    let system = match json::field(b, start, "system") {
        None => 0,
        Some(span) if b.get(span.0) == Some(&b'"') => string_chars(b, span),
        Some(span) => elements(b, span)
            .ok_or_else(|| shape("`system` must be a string or an array"))?
            .into_iter()
            .map(|block| block_chars(b, block))
            .sum(),
    };
    let tools = json::field(b, start, "tools").map_or(0, |span| compact_chars(b, span));
    let messages = json::field(b, start, "messages").ok_or_else(|| shape("no `messages`"))?;
    let messages = b.get(messages.0..messages.1).unwrap_or_default();
    let mut tokens = (system + tools).div_ceil(ESTIMATE_CHARS_PER_TOKEN);
    for turn in turns(messages)? {
        tokens += ESTIMATE_TURN_TOKENS
            + match turn.content {
                Content::Text(span) => {
                    string_chars(messages, span).div_ceil(ESTIMATE_CHARS_PER_TOKEN)
                }
                Content::Blocks(blocks) => {
                    let spans = blocks.iter().filter_map(|block| match block {
                        Block::Raw(span) => Some(*span),
                        Block::TextOf(_) => None,
                    });
                    let (mut images, mut chars) = (0, 0);
                    for span in spans {
                        if block_type(messages, Block::Raw(span)).as_deref() == Some(b"image") {
                            images += 1;
                        }
                        chars += block_chars(messages, span);
                    }
                    images * ESTIMATE_IMAGE_TOKENS + chars.div_ceil(ESTIMATE_CHARS_PER_TOKEN)
                }
            };
    }
    Ok(tokens)
}

/// Characters a block counts for: its text or thinking, nothing for an image, else its JSON.
fn block_chars(b: &[u8], block: Span) -> u64 {
    let counted_field = match block_type(b, Block::Raw(block)).as_deref() {
        Some(b"image") => return 0,
        Some(b"text") => "text",
        Some(b"thinking") => "thinking",
        _ => return compact_chars(b, block),
    };
    json::field(b, block.0, counted_field).map_or(0, |span| string_chars(b, span))
}

/// Characters of a string value, escapes resolved (0 when it is not a string).
fn string_chars(b: &[u8], span: Span) -> u64 {
    json::string(b, span).map_or(0, |text| chars(&text).count() as u64)
}

/// The first byte of each character of UTF-8 text (the text is JSON's, so valid): counted
/// without decoding, which would link the decoder for an estimate.
fn chars(text: &[u8]) -> impl Iterator<Item = u8> + '_ {
    text.iter().copied().filter(|b| b & 0xC0 != 0x80)
}

/// Characters of the value at `span` written as `serde_json` writes it compactly: no white
/// space, strings with only the quote, the backslash and control characters escaped.
fn compact_chars(b: &[u8], (start, end): Span) -> u64 {
    let mut count = 0;
    let mut i = start;
    while i < end {
        match b.get(i) {
            Some(b'"') => {
                let string_end = json::skip_string(b, i).unwrap_or(end);
                let text = json::string(b, (i, string_end)).unwrap_or_default();
                count += 2 + chars(&text)
                    .map(|c| match c {
                        b'"' | b'\\' | 8 | 12 | b'\n' | b'\r' | b'\t' => 2,
                        0..=0x1f => 6,
                        _ => 1,
                    })
                    .sum::<u64>();
                i = string_end;
            }
            Some(b' ' | b'\n' | b'\r' | b'\t') => i += 1,
            _ => {
                count += 1;
                i += 1;
            }
        }
    }
    count
}

/// One turn, as spans into the messages' text.
struct Turn<'a> {
    role: Cow<'a, [u8]>,
    role_span: Span,
    content: Content,
    /// Every other member, in order: the raw key (between its quotes) and the value.
    fields: Vec<(&'a [u8], Span)>,
}

enum Content {
    /// A string (its span, quotes included).
    Text(Span),
    Blocks(Vec<Block>),
}

#[derive(Clone, Copy)]
enum Block {
    /// A block as received.
    Raw(Span),
    /// A text block made of a string content (its span).
    TextOf(Span),
}

impl<'a> Turn<'a> {
    /// Appends `later` (same role) to this turn.
    fn merge(&mut self, later: Turn<'a>) {
        if let Content::Text(text) = self.content {
            self.content = Content::Blocks(vec![Block::TextOf(text)]);
        }
        if let Content::Blocks(blocks) = &mut self.content {
            match later.content {
                Content::Text(text) => blocks.push(Block::TextOf(text)),
                Content::Blocks(more) => blocks.extend(more),
            }
        }
        for (key, value) in later.fields {
            if !self.fields.iter().any(|(known, _)| *known == key) {
                self.fields.push((key, value));
            }
        }
    }

    fn write(&self, text: &str, out: &mut String) {
        let slice = |(start, end): Span| text.get(start..end).unwrap_or("null");
        out.push_str("{\"role\":");
        out.push_str(slice(self.role_span));
        out.push_str(",\"content\":");
        match &self.content {
            Content::Text(span) => out.push_str(slice(*span)),
            Content::Blocks(blocks) => {
                out.push('[');
                for (n, block) in blocks.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    match *block {
                        Block::Raw(span) => out.push_str(slice(span)),
                        Block::TextOf(span) => {
                            out.push_str("{\"type\":\"text\",\"text\":");
                            out.push_str(slice(span));
                            out.push('}');
                        }
                    }
                }
                out.push(']');
            }
        }
        for (key, value) in &self.fields {
            out.push_str(",\"");
            out.push_str(core::str::from_utf8(key).unwrap_or_default());
            out.push_str("\":");
            out.push_str(slice(*value));
        }
        out.push('}');
    }
}

/// Reads the turns of a messages list: each an object with a string `role` and a `content`
/// that is a string or an array.
fn turns(b: &[u8]) -> Result<Vec<Turn<'_>>, NotMessages> {
    let span = json::value_span(b)?;
    let mut turns = Vec::new();
    for turn in elements(b, span).ok_or_else(|| shape("messages must be an array"))? {
        if b.get(turn.0) != Some(&b'{') {
            return Err(shape("each message must be an object"));
        }
        let (mut role, mut content, mut fields) = (None, None, Vec::new());
        for (key, value) in json::members(b, turn.0) {
            match key {
                b"role" if role.is_none() => role = Some(value),
                b"content" if content.is_none() => content = Some(value),
                _ => fields.push((key, value)),
            }
        }
        let role_span = role.ok_or_else(|| shape("a message has no `role`"))?;
        let role = json::string(b, role_span).ok_or_else(|| shape("`role` must be a string"))?;
        let content = content.ok_or_else(|| shape("a message has no `content`"))?;
        let content = match b.get(content.0) {
            Some(b'"') => Content::Text(content),
            Some(b'[') => Content::Blocks(
                elements(b, content)
                    .unwrap_or_default()
                    .into_iter()
                    .map(Block::Raw)
                    .collect(),
            ),
            _ => return Err(shape("`content` must be a string or an array")),
        };
        turns.push(Turn {
            role,
            role_span,
            content,
            fields,
        });
    }
    Ok(turns)
}

/// The elements of the checked array at `span`; `None` when it is not an array.
fn elements(b: &[u8], (start, end): Span) -> Option<Vec<Span>> {
    if b.get(start) != Some(&b'[') {
        return None;
    }
    let mut spans = Vec::new();
    let mut i = json::skip_ws(b, start + 1);
    while i < end && b.get(i) != Some(&b']') {
        let value_end = json::skip_value(b, i).ok()?;
        spans.push((i, value_end));
        let next = json::skip_ws(b, value_end);
        i = if b.get(next) == Some(&b',') {
            json::skip_ws(b, next + 1)
        } else {
            next
        };
    }
    Some(spans)
}

/// A block's `type`, when it is an object with a string `type`.
fn block_type(b: &[u8], block: Block) -> Option<Cow<'_, [u8]>> {
    let Block::Raw((start, _)) = block else {
        return Some(Cow::Borrowed(b"text"));
    };
    if b.get(start) != Some(&b'{') {
        return None;
    }
    json::string(b, json::field(b, start, "type")?)
}

/// A text block whose `text` is the empty string.
fn is_empty_text(b: &[u8], block: Block) -> bool {
    let Block::Raw((start, _)) = block else {
        return false;
    };
    block_type(b, block).as_deref() == Some(b"text")
        && json::field(b, start, "text")
            .is_some_and(|(from, to)| b.get(from) == Some(&b'"') && to - from == 2)
}
