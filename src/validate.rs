//! Request checks before anything is sent: the mistakes the API would answer with a 400,
//! caught locally with the exact field path (`messages[2].content[0].source.media_type`) and
//! a message that says what to change.
//!
//! Nothing here panics, whatever the input, and large inputs cost one linear pass: a 5 MB
//! base64 image is scanned once, its decoded size is computed arithmetically and only its
//! first bytes are decoded (for the magic number).
//!
//! Forward compatible: block, source and tool types this version does not know pass
//! unchecked, as long as they are objects with a string `type`.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{ValidationError, ValidationRule};
use crate::types::{
    CacheControl, Citation, ContentBlock, DiagnosticsParam, DocumentSource, ImageSource,
    MessageContent, MessageCreateParams, MessageParam, Metadata, OutputConfig, OutputFormat, Role,
    SystemPrompt, ThinkingConfig, Tool, ToolChoice,
};

/// The largest decoded image the API accepts: 5 MB (5 × 1024 × 1024 bytes).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// The media types the API accepts for base64 images.
pub const IMAGE_MEDIA_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// The smallest `thinking.budget_tokens` the API accepts.
pub const MIN_THINKING_BUDGET: u32 = 1024;

/// The most messages one request may carry.
pub const MAX_MESSAGES: usize = 100_000;

/// Model families that answer a prefill with a 400 (see [`model_rejects_prefill`]).
const NO_PREFILL_FAMILIES: [&str; 4] = ["opus-4-7", "opus-4-6", "sonnet-4-6", "mythos-preview"];

/// Longest excerpt of a caller's string quoted in a message.
const QUOTE_LIMIT: usize = 40;

/// Which optional checks [`validate`] applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Reject a final assistant turn (prefill) when [`model_rejects_prefill`] says the model
    /// answers it with a 400. On by default; turn it off for a model id this library
    /// misjudges, or to let the API decide.
    pub reject_prefill_for_models_without_support: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        Self {
            reject_prefill_for_models_without_support: true,
        }
    }
}

/// Checks a request before it is sent, returning the first problem in document order (the
/// order the request serializes in: `model`, `max_tokens`, `messages`, `system`, …).
///
/// Only mistakes the API would reject are reported; unknown block, source and tool types
/// pass, so a newer request shape is never blocked.
pub fn validate(
    params: &MessageCreateParams,
    options: &ValidateOptions,
) -> Result<(), ValidationError> {
    let root = Path::ROOT;
    if params.model.trim().is_empty() {
        return Err(root.field("model").error(
            ValidationRule::Required,
            "model is required: a model id such as `claude-sonnet-4-5`",
        ));
    }
    check_messages(&root, params, options)?;
    if let Some(system) = &params.system {
        check_system(&root.field("system"), system)?;
    }
    if let Some(stops) = &params.stop_sequences {
        let stops_path = root.field("stop_sequences");
        for (k, stop) in stops.iter().enumerate() {
            if stop.trim().is_empty() {
                return Err(stops_path.index(k).error(
                    ValidationRule::Required,
                    "stop sequences must be non-empty and not all whitespace; remove this one",
                ));
            }
        }
    }
    check_unit_interval(&root.field("temperature"), params.temperature)?;
    check_unit_interval(&root.field("top_p"), params.top_p)?;
    if let Some(top_k) = params.top_k {
        if top_k < 0 {
            return Err(root.field("top_k").error(
                ValidationRule::OutOfRange,
                format!("top_k must be 0 or more; got {top_k}"),
            ));
        }
    }
    let tools = params.tools.as_deref().unwrap_or(&[]);
    check_tools(&root.field("tools"), tools)?;
    if let Some(choice) = &params.tool_choice {
        check_tool_choice(&root.field("tool_choice"), choice, tools)?;
    }
    if let Some(thinking) = &params.thinking {
        check_thinking(&root.field("thinking"), thinking, params.max_tokens)?;
    }
    if let Some(OutputConfig {
        format: Some(OutputFormat::Unknown(value)),
        ..
    }) = &params.output_config
    {
        check_tagged(
            &root.field("output_config").field("format"),
            value,
            "an output format",
        )?;
    }
    Ok(())
}

/// True when the model answers a prefilled final assistant turn with a 400 error: Claude
/// Opus 4.7, Opus 4.6, Sonnet 4.6 and Mythos Preview. Anthropic's documentation: prefilling
/// returns a 400 error on Claude 4.6 models and later.
///
/// Matches the ids as the Anthropic API and the cloud platforms spell them: `claude-opus-4-6`,
/// dated `claude-opus-4-6-20260205`, Bedrock `us.anthropic.claude-opus-4-6-v1`, Vertex
/// `claude-opus-4-6@20260205`, `anthropic/claude-opus-4.6`. The family must end where the id
/// ends or at a separator, so `claude-opus-4-60` is not `claude-opus-4-6`. Models not listed
/// (including future ones) are assumed to accept prefill: a wrong guess there costs one 400
/// from the API, a wrong guess the other way would block a valid request.
pub fn model_rejects_prefill(model: &str) -> bool {
    const PREFIX: &[u8] = b"claude-";
    let bytes = model.as_bytes();
    (0..bytes.len()).any(|at| {
        let boundary = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| !b.is_ascii_alphanumeric());
        let Some(rest) = bytes.get(at..) else {
            return false;
        };
        boundary
            && starts_with_ignore_case(rest, PREFIX)
            && rest.get(PREFIX.len()..).is_some_and(|rest| {
                NO_PREFILL_FAMILIES
                    .iter()
                    .any(|family| is_family(rest, family))
            })
    })
}

/// `rest` starts with `family` (case-insensitive; `4.6` may stand for `4-6`) followed by the
/// end of the id or a separator.
fn is_family(rest: &[u8], family: &str) -> bool {
    let family = family.as_bytes();
    let mut previous = 0u8;
    for (k, &want) in family.iter().enumerate() {
        let Some(&got) = rest.get(k) else {
            return false;
        };
        let dotted = want == b'-' && got == b'.' && previous.is_ascii_digit();
        if !(got.eq_ignore_ascii_case(&want) || dotted) {
            return false;
        }
        previous = want;
    }
    rest.get(family.len())
        .is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// Reads a request from JSON (what the JS layer holds), reporting a missing or mistyped
/// field with its path instead of serde's pathless message. It checks shape only; run
/// [`validate`] on the result for the API's rules.
///
/// `model`, `max_tokens` and `messages` are checked first (`Required` when missing or null,
/// `Shape` when of the wrong JSON type); each message and block is then read on its own, so
/// an error names it: ``messages[1].content[0]: ImageSource `base64`: missing field `data` ``.
/// Blocks are moved, never copied, so a large image is not duplicated.
pub fn parse_params(value: Value) -> Result<MessageCreateParams, ValidationError> {
    let root = Path::ROOT;
    let Value::Object(mut object) = value else {
        return Err(root.error(
            ValidationRule::Shape,
            format!(
                "the request must be a JSON object; got {}",
                json_kind(&value)
            ),
        ));
    };
    match object.get("model") {
        None | Some(Value::Null) => {
            return Err(root
                .field("model")
                .error(ValidationRule::Required, "model is required"))
        }
        Some(Value::String(_)) => {}
        Some(other) => {
            return Err(root.field("model").error(
                ValidationRule::Shape,
                format!("model must be a string; got {}", json_kind(other)),
            ))
        }
    }
    check_max_tokens_json(&root.field("max_tokens"), object.get("max_tokens"))?;
    let messages_path = root.field("messages");
    let raw_messages = match object.remove("messages") {
        None | Some(Value::Null) => {
            return Err(messages_path.error(ValidationRule::Required, "messages is required"))
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(messages_path.error(
                ValidationRule::Shape,
                format!(
                    "messages must be an array of {{ role, content }} objects; got {}",
                    json_kind(&other)
                ),
            ))
        }
    };
    let mut messages = Vec::with_capacity(raw_messages.len());
    for (i, raw) in raw_messages.into_iter().enumerate() {
        messages.push(parse_message(&messages_path.index(i), raw)?);
    }
    object.insert("messages".to_owned(), Value::Array(Vec::new()));
    let rest = Value::Object(object);
    // Every read goes through the owned `Value` deserializer, which the types' tagged enums
    // use anyway: a second, by-reference one would compile every type's reader twice.
    let mut params = MessageCreateParams::deserialize(rest.clone())
        .map_err(|error| locate_params_error(&rest, &error))?;
    params.messages = messages;
    Ok(params)
}

/// Merges consecutive turns of the same role into one and drops empty text blocks; a turn
/// left with no content is removed. This mirrors what the API does server-side with
/// consecutive same-role turns, so the request means the same and passes [`validate`]'s
/// empty-content rules. It does nothing else (no trimming, no reordering).
///
/// When merging, string content becomes a text block (two strings become two blocks, never
/// one joined string), and unknown fields of the later turn are kept unless the first turn
/// already has them.
pub fn normalize(messages: &mut Vec<MessageParam>) {
    let mut merged: Vec<MessageParam> = Vec::with_capacity(messages.len());
    for mut message in messages.drain(..) {
        if let MessageContent::Blocks(blocks) = &mut message.content {
            blocks
                .retain(|block| !matches!(block, ContentBlock::Text(text) if text.text.is_empty()));
        }
        let empty = match &message.content {
            MessageContent::Text(text) => text.is_empty(),
            MessageContent::Blocks(blocks) => blocks.is_empty(),
        };
        if empty {
            continue;
        }
        match merged.last_mut() {
            Some(previous) if previous.role == message.role => merge_turn(previous, message),
            _ => merged.push(message),
        }
    }
    *messages = merged;
}

fn merge_turn(into: &mut MessageParam, from: MessageParam) {
    if let MessageContent::Text(text) = &mut into.content {
        let text = std::mem::take(text);
        into.content = MessageContent::Blocks(vec![ContentBlock::text(text)]);
    }
    if let MessageContent::Blocks(blocks) = &mut into.content {
        match from.content {
            MessageContent::Text(text) => blocks.push(ContentBlock::text(text)),
            MessageContent::Blocks(more) => blocks.extend(more),
        }
    }
    for (key, value) in from.extra {
        into.extra.entry(key).or_insert(value);
    }
}

// ---------------------------------------------------------------------------------------------
// Paths: built on the stack while walking, rendered to a string only for an error.

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl<'a> Path<'a> {
    const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut current = Some(self);
        while let Some(path) = current {
            segments.push(path.segment);
            current = path.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    fn error(&self, rule: ValidationRule, message: impl Into<String>) -> ValidationError {
        ValidationError::new(self.render(), rule, message)
    }
}

// ---------------------------------------------------------------------------------------------
// Messages and blocks.

/// Where a block sits: a turn of some role, or inside another block.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    User,
    Assistant { last: bool },
    System,
    ToolResult,
    DocumentContent,
    SearchResult,
}

impl Place {
    fn describe(self) -> &'static str {
        match self {
            Self::User => "a user turn",
            Self::Assistant { .. } => "an assistant turn",
            Self::System => "a system turn",
            Self::ToolResult => "tool_result content",
            Self::DocumentContent => "a document's content source",
            Self::SearchResult => "search_result content",
        }
    }

    fn is_turn(self) -> bool {
        matches!(self, Self::User | Self::Assistant { .. } | Self::System)
    }

    fn is_prefill(self) -> bool {
        self == Self::Assistant { last: true }
    }
}

fn check_messages(
    root: &Path,
    params: &MessageCreateParams,
    options: &ValidateOptions,
) -> Result<(), ValidationError> {
    let path = root.field("messages");
    let messages = &params.messages;
    if messages.is_empty() {
        return Err(path.error(
            ValidationRule::Required,
            "messages must contain at least one turn",
        ));
    }
    if messages.len() > MAX_MESSAGES {
        return Err(path.error(
            ValidationRule::OutOfRange,
            format!(
                "{} messages is more than the API accepts ({MAX_MESSAGES})",
                messages.len()
            ),
        ));
    }
    let last = messages.len() - 1;
    for (i, message) in messages.iter().enumerate() {
        let message_path = path.index(i);
        let place = match &message.role {
            Role::User => Place::User,
            Role::Assistant => Place::Assistant { last: i == last },
            Role::Other(role) if role == "system" => Place::System,
            other => {
                return Err(message_path.field("role").error(
                    ValidationRule::OutOfRange,
                    format!(
                        "role must be `user` or `assistant` (or `system` for a mid-conversation system turn); got {}",
                        quote(other.as_str())
                    ),
                ))
            }
        };
        if place.is_prefill()
            && options.reject_prefill_for_models_without_support
            && model_rejects_prefill(&params.model)
        {
            return Err(message_path.error(
                ValidationRule::PrefillUnsupported,
                format!(
                    "{} does not support prefill (a final assistant turn): the API answers it with a 400 error. \
                     To shape the reply, use structured outputs (`output_config.format`) or instructions in the \
                     system prompt; this check can be turned off in the validation options",
                    quote(&params.model)
                ),
            ));
        }
        check_content(&message_path.field("content"), &message.content, place)?;
    }
    Ok(())
}

fn check_content(
    path: &Path,
    content: &MessageContent,
    place: Place,
) -> Result<(), ValidationError> {
    match content {
        MessageContent::Text(text) => {
            if !place.is_prefill() {
                check_text_not_empty(path, text, "content")?;
            }
            check_no_trailing_whitespace(path, text, place)
        }
        MessageContent::Blocks(blocks) => {
            if blocks.is_empty() && !place.is_prefill() {
                return Err(path.error(
                    ValidationRule::Required,
                    "content must not be an empty array (only a final assistant turn may be empty)",
                ));
            }
            for (j, block) in blocks.iter().enumerate() {
                check_block(&path.index(j), block, place)?;
            }
            match blocks.last() {
                Some(ContentBlock::Text(text)) => {
                    let block_path = path.index(blocks.len() - 1);
                    check_no_trailing_whitespace(&block_path.field("text"), &text.text, place)
                }
                _ => Ok(()),
            }
        }
    }
}

fn check_text_not_empty(path: &Path, text: &str, what: &str) -> Result<(), ValidationError> {
    if text.is_empty() {
        return Err(path.error(
            ValidationRule::Required,
            format!("{what} must be non-empty: the API rejects empty text (only a final assistant turn may be empty)"),
        ));
    }
    if text.trim().is_empty() {
        return Err(path.error(
            ValidationRule::Required,
            format!("{what} must contain non-whitespace text"),
        ));
    }
    Ok(())
}

fn check_no_trailing_whitespace(
    path: &Path,
    text: &str,
    place: Place,
) -> Result<(), ValidationError> {
    if place.is_prefill() && text.chars().next_back().is_some_and(char::is_whitespace) {
        return Err(path.error(
            ValidationRule::TrailingWhitespace,
            "a final assistant turn (prefill) cannot end with whitespace: the API rejects it; trim the end of the text",
        ));
    }
    Ok(())
}

fn check_block(path: &Path, block: &ContentBlock, place: Place) -> Result<(), ValidationError> {
    let nested = !place.is_turn();
    let misplaced = |wanted: &str| {
        let kind = block.type_name().unwrap_or("?");
        let message = if nested {
            format!(
                "`{kind}` blocks are not allowed inside {}",
                place.describe()
            )
        } else {
            format!(
                "`{kind}` blocks belong in {wanted} turns; this is {}",
                place.describe()
            )
        };
        Err(path.error(ValidationRule::Shape, message))
    };
    match block {
        ContentBlock::Text(text) => {
            if place.is_turn() && !place.is_prefill() {
                check_text_not_empty(&path.field("text"), &text.text, "text blocks")?;
            }
            if let Some(citations) = &text.citations {
                let citations_path = path.field("citations");
                for (k, citation) in citations.iter().enumerate() {
                    if let Citation::Unknown(value) = citation {
                        check_tagged(&citations_path.index(k), value, "a citation")?;
                    }
                }
            }
            Ok(())
        }
        ContentBlock::Image(image) => check_image_source(&path.field("source"), &image.source),
        ContentBlock::Document(document) => {
            if matches!(place, Place::DocumentContent | Place::SearchResult) {
                return misplaced("");
            }
            check_document_source(&path.field("source"), &document.source)
        }
        ContentBlock::SearchResult(result) => {
            if matches!(place, Place::DocumentContent | Place::SearchResult) {
                return misplaced("");
            }
            let content_path = path.field("content");
            for (k, inner) in result.content.iter().enumerate() {
                check_block(&content_path.index(k), inner, Place::SearchResult)?;
            }
            Ok(())
        }
        ContentBlock::ToolUse(tool_use) => {
            if !matches!(place, Place::Assistant { .. }) {
                return misplaced("assistant");
            }
            if !tool_use.input.is_object() {
                return Err(path.field("input").error(
                    ValidationRule::Shape,
                    format!(
                        "tool_use input must be a JSON object; got {}",
                        json_kind(&tool_use.input)
                    ),
                ));
            }
            Ok(())
        }
        ContentBlock::ToolResult(result) => {
            if place != Place::User {
                return misplaced("user");
            }
            if let Some(MessageContent::Blocks(blocks)) = &result.content {
                let content_path = path.field("content");
                for (k, inner) in blocks.iter().enumerate() {
                    check_block(&content_path.index(k), inner, Place::ToolResult)?;
                }
            }
            Ok(())
        }
        ContentBlock::Thinking(_) | ContentBlock::RedactedThinking(_) => {
            if !matches!(place, Place::Assistant { .. }) {
                return misplaced("assistant");
            }
            Ok(())
        }
        ContentBlock::ServerToolUse(_) | ContentBlock::WebSearchToolResult(_) => {
            if nested {
                return misplaced("");
            }
            Ok(())
        }
        ContentBlock::Unknown(value) => check_tagged(path, value, "a content block"),
    }
}

/// An `Unknown` value of a tagged enum passes only as an object with a string `type`.
fn check_tagged(path: &Path, value: &Value, what: &str) -> Result<(), ValidationError> {
    match value {
        Value::Object(object) => match object.get("type") {
            Some(Value::String(_)) => Ok(()),
            None | Some(Value::Null) => Err(path.error(
                ValidationRule::Shape,
                format!("{what} needs a string `type` field; it has none"),
            )),
            Some(other) => Err(path.error(
                ValidationRule::Shape,
                format!(
                    "{what} needs a string `type` field; got {}",
                    json_kind(other)
                ),
            )),
        },
        other => Err(path.error(
            ValidationRule::Shape,
            format!(
                "{what} must be an object with a string `type`; got {}",
                json_kind(other)
            ),
        )),
    }
}

fn check_system(path: &Path, system: &SystemPrompt) -> Result<(), ValidationError> {
    let SystemPrompt::Blocks(blocks) = system else {
        return Ok(());
    };
    for (k, block) in blocks.iter().enumerate() {
        let block_path = path.index(k);
        match block {
            ContentBlock::Text(text) => {
                check_text_not_empty(&block_path.field("text"), &text.text, "system text blocks")?
            }
            other => {
                let kind = other.type_name().map_or_else(
                    || "a block without a string `type`".to_owned(),
                    |kind| format!("`{kind}`"),
                );
                return Err(block_path.error(
                    ValidationRule::Shape,
                    format!("system blocks must be text blocks; got {kind} (images and documents go in a user turn)"),
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Sources.

fn check_image_source(path: &Path, source: &ImageSource) -> Result<(), ValidationError> {
    match source {
        ImageSource::Base64(base64) => {
            let media_type = base64.media_type.as_str();
            if !IMAGE_MEDIA_TYPES.contains(&media_type) {
                return Err(path.field("media_type").error(
                    ValidationRule::ImageMediaType,
                    image_media_type_message(media_type),
                ));
            }
            let data_path = path.field("data");
            let decoded = check_base64(&data_path, &base64.data)?;
            if decoded.len > MAX_IMAGE_BYTES {
                return Err(data_path.error(
                    ValidationRule::ImageTooLarge,
                    format!(
                        "the image is {} bytes ({:.2} MB) once decoded; the API accepts at most 5 MB ({MAX_IMAGE_BYTES} bytes) \
                         per image: downscale or recompress it",
                        decoded.len,
                        decoded.len as f64 / (1024.0 * 1024.0)
                    ),
                ));
            }
            check_magic(&data_path, media_type, &decoded)
        }
        ImageSource::Url(url) => check_url(&path.field("url"), &url.url),
        ImageSource::File(file) => check_file_id(&path.field("file_id"), &file.file_id),
        ImageSource::Unknown(value) => check_tagged(path, value, "an image source"),
    }
}

fn image_media_type_message(media_type: &str) -> String {
    let mut message = format!(
        "{} is not an image media type the API accepts; use one of {}",
        quote(media_type),
        IMAGE_MEDIA_TYPES.join(", ")
    );
    let lower = media_type.trim().to_ascii_lowercase();
    if lower == "image/jpg" {
        message.push_str(" (JPEG is `image/jpeg`)");
    } else if IMAGE_MEDIA_TYPES.contains(&lower.as_str()) {
        message.push_str(&format!(" (write it exactly: `{lower}`)"));
    } else if lower == "application/pdf" {
        message.push_str(" (send PDFs as a `document` block)");
    }
    message
}

fn check_document_source(path: &Path, source: &DocumentSource) -> Result<(), ValidationError> {
    match source {
        DocumentSource::Base64(base64) => {
            if base64.media_type != "application/pdf" {
                return Err(path.field("media_type").error(
                    ValidationRule::DocumentMediaType,
                    format!(
                        "a base64 document must be `application/pdf`; got {} (plain text goes in a `text` source, images in an image block)",
                        quote(&base64.media_type)
                    ),
                ));
            }
            let data_path = path.field("data");
            let decoded = check_base64(&data_path, &base64.data)?;
            let head = decoded.head();
            if !head.starts_with(b"%PDF-") {
                let found = match sniff(head) {
                    Some(kind) => format!("the bytes are {}", kind.name),
                    None => format!("the bytes start with {}", hex(head)),
                };
                return Err(data_path.error(
                    ValidationRule::DocumentBytesMismatch,
                    format!("declared application/pdf but {found}; a PDF starts with `%PDF-`"),
                ));
            }
            Ok(())
        }
        DocumentSource::Text(text) => {
            if text.media_type != "text/plain" {
                return Err(path.field("media_type").error(
                    ValidationRule::DocumentMediaType,
                    format!(
                        "a text document source must be `text/plain`; got {}",
                        quote(&text.media_type)
                    ),
                ));
            }
            Ok(())
        }
        DocumentSource::Content(content) => {
            if let MessageContent::Blocks(blocks) = &content.content {
                let content_path = path.field("content");
                for (k, block) in blocks.iter().enumerate() {
                    check_block(&content_path.index(k), block, Place::DocumentContent)?;
                }
            }
            Ok(())
        }
        DocumentSource::Url(url) => check_url(&path.field("url"), &url.url),
        DocumentSource::File(file) => check_file_id(&path.field("file_id"), &file.file_id),
        DocumentSource::Unknown(value) => check_tagged(path, value, "a document source"),
    }
}

fn check_url(path: &Path, url: &str) -> Result<(), ValidationError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(path.error(ValidationRule::Required, "url must not be empty"));
    }
    let bytes = url.as_bytes();
    if starts_with_ignore_case(bytes, b"data:") {
        return Err(path.error(
            ValidationRule::Shape,
            "a `data:` URL is not fetched; use a `base64` source with only the part after `base64,`",
        ));
    }
    let rest = if starts_with_ignore_case(bytes, b"https://") {
        bytes.get(8..)
    } else if starts_with_ignore_case(bytes, b"http://") {
        bytes.get(7..)
    } else {
        None
    };
    match rest {
        Some(host) if !host.is_empty() => Ok(()),
        _ => Err(path.error(
            ValidationRule::Shape,
            format!(
                "url must be an http(s) URL the API can fetch; got {}",
                quote(url)
            ),
        )),
    }
}

fn check_file_id(path: &Path, file_id: &str) -> Result<(), ValidationError> {
    if file_id.trim().is_empty() {
        return Err(path.error(ValidationRule::Required, "file_id must not be empty"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Base64 and magic numbers.

const INVALID: u8 = 0xFF;

/// The standard base64 alphabet's values; `INVALID` elsewhere (including `=`).
static BASE64_VALUES: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// What a base64 check learns: the decoded length and the first decoded bytes.
struct Decoded {
    len: usize,
    head: [u8; 12],
    head_len: usize,
}

impl Decoded {
    fn head(&self) -> &[u8] {
        self.head.get(..self.head_len).unwrap_or(&self.head)
    }
}

/// Checks standard, padded base64 in one pass without decoding it all.
fn check_base64(path: &Path, data: &str) -> Result<Decoded, ValidationError> {
    if data.is_empty() {
        return Err(path.error(
            ValidationRule::Required,
            "data is empty; it must hold the base64 of the bytes",
        ));
    }
    let bytes = data.as_bytes();
    if starts_with_ignore_case(bytes, b"data:") {
        let prefix_end = bytes
            .iter()
            .take(100)
            .position(|&b| b == b',')
            .map_or(5, |comma| comma + 1);
        let prefix = data.get(..prefix_end).unwrap_or("data:");
        return Err(path.error(
            ValidationRule::Base64,
            format!("data starts with a data-URL prefix {}; send only the base64 part (what follows `base64,`)", quote(prefix)),
        ));
    }
    let mut padding = 0usize;
    for (position, &byte) in bytes.iter().enumerate() {
        if BASE64_VALUES[usize::from(byte)] != INVALID {
            if padding > 0 {
                return Err(path.error(
                    ValidationRule::Base64,
                    format!("base64 continues after `=` padding (position {position}); `=` may only end the data"),
                ));
            }
        } else if byte == b'=' {
            padding += 1;
        } else {
            return Err(path.error(ValidationRule::Base64, bad_base64_char(data, position)));
        }
    }
    if padding > 2 {
        return Err(path.error(
            ValidationRule::Base64,
            format!("base64 ends with {padding} `=`; at most 2 padding characters are allowed"),
        ));
    }
    if !bytes.len().is_multiple_of(4) {
        return Err(path.error(
            ValidationRule::Base64,
            format!(
                "base64 length {} is not a multiple of 4: the data is truncated or its `=` padding is missing",
                bytes.len()
            ),
        ));
    }
    let len = (bytes.len() / 4 * 3).saturating_sub(padding);
    let mut decoded = Decoded {
        len,
        head: [0; 12],
        head_len: 0,
    };
    // 16 characters decode to the 12 bytes the longest signature (WebP) needs.
    for chunk in bytes.chunks(4).take(4) {
        let mut bits = 0u32;
        let mut symbols = 0u32;
        for &byte in chunk {
            let value = BASE64_VALUES[usize::from(byte)];
            if value == INVALID {
                break;
            }
            bits = (bits << 6) | u32::from(value);
            symbols += 1;
        }
        bits <<= 6 * (4 - symbols);
        let produced = symbols.saturating_sub(1);
        for k in 0..produced {
            if let Some(slot) = decoded.head.get_mut(decoded.head_len) {
                *slot = (bits >> (16 - 8 * k)) as u8;
                decoded.head_len += 1;
            }
        }
        if symbols < 4 {
            break;
        }
    }
    Ok(decoded)
}

fn bad_base64_char(data: &str, position: usize) -> String {
    let found = data
        .get(position..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or('?');
    match found {
        '-' | '_' => format!(
            "URL-safe base64 character {found:?} at position {position}; use the standard alphabet (`+` and `/` instead of `-` and `_`)"
        ),
        c if c.is_whitespace() => {
            format!("whitespace or a line break at position {position}; remove all spaces and line breaks from the base64")
        }
        c => format!(
            "invalid base64 character {c:?} at position {position}; only A-Z, a-z, 0-9, `+`, `/` and trailing `=` are allowed"
        ),
    }
}

/// A file format recognised by its first bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Format {
    name: &'static str,
    media_type: &'static str,
    signature: &'static str,
}

const JPEG: Format = Format {
    name: "JPEG",
    media_type: "image/jpeg",
    signature: "FF D8 FF",
};
const PNG: Format = Format {
    name: "PNG",
    media_type: "image/png",
    signature: "89 50 4E 47 0D 0A 1A 0A",
};
const GIF: Format = Format {
    name: "GIF",
    media_type: "image/gif",
    signature: "`GIF87a` or `GIF89a`",
};
const WEBP: Format = Format {
    name: "WebP",
    media_type: "image/webp",
    signature: "`RIFF`, 4 bytes, `WEBP`",
};
const PDF: Format = Format {
    name: "PDF",
    media_type: "application/pdf",
    signature: "`%PDF-`",
};

fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(JPEG)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(PNG)
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some(GIF)
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP".as_slice()) {
        Some(WEBP)
    } else if head.starts_with(b"%PDF-") {
        Some(PDF)
    } else {
        None
    }
}

fn check_magic(path: &Path, media_type: &str, decoded: &Decoded) -> Result<(), ValidationError> {
    let Some(expected) = [JPEG, PNG, GIF, WEBP]
        .into_iter()
        .find(|format| format.media_type == media_type)
    else {
        return Ok(());
    };
    let head = decoded.head();
    let message = match sniff(head) {
        Some(found) if found == expected => return Ok(()),
        Some(found) if found == PDF => {
            format!("declared {media_type} but the bytes are {}; send PDFs as a `document` block", found.name)
        }
        Some(found) => {
            format!("declared {media_type} but the bytes are {}; set media_type to {}", found.name, found.media_type)
        }
        None => format!(
            "declared {media_type} but the bytes do not start with the {} signature ({}); they start with {}",
            expected.name,
            expected.signature,
            hex(head)
        ),
    };
    Err(path.error(ValidationRule::ImageBytesMismatch, message))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (k, byte) in bytes.iter().take(8).enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{byte:02X}");
    }
    if out.is_empty() {
        out.push_str("nothing");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Parameters.

fn check_unit_interval(path: &Path, value: Option<f64>) -> Result<(), ValidationError> {
    match value {
        Some(value) if !(0.0..=1.0).contains(&value) => Err(path.error(
            ValidationRule::OutOfRange,
            format!("must be a number from 0 to 1; got {value}"),
        )),
        _ => Ok(()),
    }
}

fn check_tools(path: &Path, tools: &[Tool]) -> Result<(), ValidationError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, tool) in tools.iter().enumerate() {
        let tool_path = path.index(i);
        let name_path = tool_path.field("name");
        let name = match tool {
            Tool::Custom(custom) => {
                check_tool_name(&name_path, &custom.name)?;
                if !custom.input_schema.is_object() {
                    return Err(tool_path.field("input_schema").error(
                        ValidationRule::Shape,
                        format!(
                            "input_schema must be a JSON Schema object such as {{\"type\":\"object\",\"properties\":{{}}}}; got {}",
                            json_kind(&custom.input_schema)
                        ),
                    ));
                }
                Some(custom.name.as_str())
            }
            Tool::Builtin(value) => {
                let Value::Object(object) = value else {
                    return Err(tool_path.error(
                        ValidationRule::Shape,
                        format!("a tool must be an object; got {}", json_kind(value)),
                    ));
                };
                if !matches!(object.get("type"), Some(Value::String(_))) {
                    return Err(tool_path.field("type").error(
                        ValidationRule::Shape,
                        "a built-in tool needs a string `type` such as `web_search_20250305`",
                    ));
                }
                match object.get("name") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(name)) => {
                        check_tool_name(&name_path, name)?;
                        Some(name.as_str())
                    }
                    Some(other) => {
                        return Err(name_path.error(
                            ValidationRule::ToolName,
                            format!("a tool name must be a string; got {}", json_kind(other)),
                        ))
                    }
                }
            }
        };
        if let Some(name) = name {
            if let Some(first) = seen.insert(name, i) {
                return Err(name_path.error(
                    ValidationRule::DuplicateToolName,
                    format!(
                        "tool name {} is already used by tools[{first}]; tool names must be unique",
                        quote(name)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The longest tool name: the official OpenAPI spec's `Tool.name` is `^[a-zA-Z0-9_-]{1,128}$`
/// (older documentation said 64; checking for less than the API accepts would refuse valid
/// requests).
pub const MAX_TOOL_NAME_LEN: usize = 128;

fn check_tool_name(path: &Path, name: &str) -> Result<(), ValidationError> {
    let problem = if name.is_empty() {
        Some("is empty".to_owned())
    } else if name.len() > MAX_TOOL_NAME_LEN {
        Some(format!(
            "is {} bytes long (at most {MAX_TOOL_NAME_LEN})",
            name.len()
        ))
    } else {
        name.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map(|c| format!("contains {c:?} (only letters, digits, `_` and `-`)"))
    };
    match problem {
        Some(problem) => Err(path.error(
            ValidationRule::ToolName,
            format!(
                "tool name {} {problem}; names must match ^[a-zA-Z0-9_-]{{1,128}}$",
                quote(name)
            ),
        )),
        None => Ok(()),
    }
}

fn check_tool_choice(
    path: &Path,
    choice: &ToolChoice,
    tools: &[Tool],
) -> Result<(), ValidationError> {
    let name = match choice {
        ToolChoice::Auto(_) | ToolChoice::None(_) => return Ok(()),
        ToolChoice::Unknown(value) => return check_tagged(path, value, "tool_choice"),
        ToolChoice::Any(_) => None,
        ToolChoice::Tool(named) => Some(named.name.as_str()),
    };
    if tools.is_empty() {
        let kind = choice.type_name().unwrap_or("?");
        return Err(path.error(
            ValidationRule::Required,
            format!("tool_choice `{kind}` makes the model call a tool, but `tools` is empty; define the tools or drop tool_choice"),
        ));
    }
    let Some(name) = name else { return Ok(()) };
    if tools.iter().any(|tool| tool.name() == Some(name)) {
        return Ok(());
    }
    let mut known: Vec<String> = tools
        .iter()
        .filter_map(Tool::name)
        .take(10)
        .map(quote)
        .collect();
    if tools.iter().filter_map(Tool::name).count() > known.len() {
        known.push("…".to_owned());
    }
    Err(path.field("name").error(
        ValidationRule::UnknownTool,
        format!(
            "tool_choice names {} but no tool has that name; tools are: {}",
            quote(name),
            known.join(", ")
        ),
    ))
}

fn check_thinking(
    path: &Path,
    thinking: &ThinkingConfig,
    max_tokens: u32,
) -> Result<(), ValidationError> {
    match thinking {
        ThinkingConfig::Enabled(enabled) => {
            let budget = enabled.budget_tokens;
            if budget < MIN_THINKING_BUDGET {
                return Err(path.field("budget_tokens").error(
                    ValidationRule::OutOfRange,
                    format!("budget_tokens must be at least {MIN_THINKING_BUDGET}; got {budget}"),
                ));
            }
            if budget >= max_tokens {
                return Err(path.field("budget_tokens").error(
                    ValidationRule::OutOfRange,
                    format!("budget_tokens ({budget}) must be less than max_tokens ({max_tokens}); raise max_tokens or lower the budget"),
                ));
            }
            Ok(())
        }
        ThinkingConfig::Unknown(value) => check_tagged(path, value, "thinking"),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON reading (parse_params).

fn check_max_tokens_json(path: &Path, value: Option<&Value>) -> Result<(), ValidationError> {
    match value {
        None | Some(Value::Null) => {
            Err(path.error(ValidationRule::Required, "max_tokens is required"))
        }
        Some(Value::Number(number)) => {
            if number.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) {
                Ok(())
            } else if number.is_u64() || number.is_i64() {
                Err(path.error(
                    ValidationRule::OutOfRange,
                    format!("max_tokens must be from 0 to {}; got {number}", u32::MAX),
                ))
            } else {
                Err(path.error(
                    ValidationRule::Shape,
                    format!("max_tokens must be an integer; got {number}"),
                ))
            }
        }
        Some(other) => Err(path.error(
            ValidationRule::Shape,
            format!("max_tokens must be an integer; got {}", json_kind(other)),
        )),
    }
}

fn parse_message(path: &Path, raw: Value) -> Result<MessageParam, ValidationError> {
    let Value::Object(mut object) = raw else {
        return Err(path.error(
            ValidationRule::Shape,
            format!(
                "a message must be an object with `role` and `content`; got {}",
                json_kind(&raw)
            ),
        ));
    };
    let role_path = path.field("role");
    let role = match object.remove("role") {
        None | Some(Value::Null) => {
            return Err(role_path.error(
                ValidationRule::Required,
                "role is required (`user` or `assistant`)",
            ))
        }
        Some(Value::String(role)) => Role::from(role.as_str()),
        Some(other) => {
            return Err(role_path.error(
                ValidationRule::Shape,
                format!("role must be a string; got {}", json_kind(&other)),
            ))
        }
    };
    let content_path = path.field("content");
    let content = match object.remove("content") {
        None | Some(Value::Null) => {
            return Err(content_path.error(ValidationRule::Required, "content is required"))
        }
        Some(Value::String(text)) => MessageContent::Text(text),
        Some(Value::Array(items)) => {
            let mut blocks = Vec::with_capacity(items.len());
            for (j, item) in items.into_iter().enumerate() {
                blocks.push(parse_block(&content_path.index(j), item)?);
            }
            MessageContent::Blocks(blocks)
        }
        Some(other) => {
            return Err(content_path.error(
                ValidationRule::Shape,
                format!(
                    "content must be a string or an array of content blocks; got {}",
                    json_kind(&other)
                ),
            ))
        }
    };
    Ok(MessageParam {
        role,
        content,
        extra: object,
    })
}

/// Reads one block by value (its strings are moved, not copied). Nested blocks (tool_result
/// and search_result content, a document's content source) are taken out and read one by one
/// first, so an error names the innermost block at fault, then put back in place.
fn parse_block(path: &Path, mut raw: Value) -> Result<ContentBlock, ValidationError> {
    let nested = match take_nested(&mut raw) {
        Some((items, in_source)) => {
            let outer_path = if in_source {
                path.field("source")
            } else {
                *path
            };
            let items_path = outer_path.field("content");
            let mut blocks = Vec::with_capacity(items.len());
            for (k, item) in items.into_iter().enumerate() {
                blocks.push(parse_block(&items_path.index(k), item)?);
            }
            Some(blocks)
        }
        None => None,
    };
    let mut block = ContentBlock::deserialize(raw)
        .map_err(|error| path.error(ValidationRule::Shape, clean_serde_message(&error)))?;
    if let Some(blocks) = nested {
        match &mut block {
            ContentBlock::ToolResult(result) => {
                result.content = Some(MessageContent::Blocks(blocks))
            }
            ContentBlock::SearchResult(result) => result.content = blocks,
            ContentBlock::Document(document) => {
                if let DocumentSource::Content(source) = &mut document.source {
                    source.content = MessageContent::Blocks(blocks);
                }
            }
            _ => {}
        }
    }
    Ok(block)
}

/// Takes a block's nested block array out (leaving `[]`), with whether it sat in `source`.
fn take_nested(raw: &mut Value) -> Option<(Vec<Value>, bool)> {
    let in_source = match raw.get("type").and_then(Value::as_str)? {
        "tool_result" | "search_result" => false,
        "document" => true,
        _ => return None,
    };
    let holder = if in_source {
        let source = raw.get_mut("source")?;
        if source.get("type").and_then(Value::as_str) != Some("content") {
            return None;
        }
        source
    } else {
        raw
    };
    let slot = holder.as_object_mut()?.get_mut("content")?;
    if !slot.is_array() {
        return None;
    }
    match std::mem::replace(slot, Value::Array(Vec::new())) {
        Value::Array(items) => Some((items, in_source)),
        _ => None,
    }
}

/// serde's message without the outer `ContentBlock `…`: ` prefix the path already implies.
fn clean_serde_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if let Some(rest) = message.strip_prefix("ContentBlock `") {
        if let Some(end) = rest.find("`: ") {
            if let Some(inner) = rest.get(end + 3..) {
                return inner.to_owned();
            }
        }
    }
    message
}

/// After the rest of the request failed to deserialize, finds the field (and element) at
/// fault by reading the known fields one at a time, in document order. Runs only on failure.
fn locate_params_error(rest: &Value, error: &serde_json::Error) -> ValidationError {
    let root = Path::ROOT;
    let located = (|| {
        let system_path = root.field("system");
        match rest.get("system") {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(Value::Array(blocks)) => {
                for (k, block) in blocks.iter().enumerate() {
                    probe::<ContentBlock>(&system_path.index(k), Some(block))?;
                }
            }
            Some(other) => {
                return Err(system_path.error(
                    ValidationRule::Shape,
                    format!(
                        "system must be a string or an array of text blocks; got {}",
                        json_kind(other)
                    ),
                ))
            }
        }
        probe::<bool>(&root.field("stream"), rest.get("stream"))?;
        probe_list::<String>(&root.field("stop_sequences"), rest.get("stop_sequences"))?;
        probe::<f64>(&root.field("temperature"), rest.get("temperature"))?;
        probe::<f64>(&root.field("top_p"), rest.get("top_p"))?;
        probe::<i64>(&root.field("top_k"), rest.get("top_k"))?;
        probe::<Metadata>(&root.field("metadata"), rest.get("metadata"))?;
        probe_list::<Tool>(&root.field("tools"), rest.get("tools"))?;
        probe::<ToolChoice>(&root.field("tool_choice"), rest.get("tool_choice"))?;
        probe::<ThinkingConfig>(&root.field("thinking"), rest.get("thinking"))?;
        probe::<OutputConfig>(&root.field("output_config"), rest.get("output_config"))?;
        probe::<String>(&root.field("service_tier"), rest.get("service_tier"))?;
        probe::<CacheControl>(&root.field("cache_control"), rest.get("cache_control"))?;
        probe::<String>(&root.field("inference_geo"), rest.get("inference_geo"))?;
        probe::<DiagnosticsParam>(&root.field("diagnostics"), rest.get("diagnostics"))?;
        Ok(())
    })();
    match located {
        Err(located) => located,
        Ok(()) => root.error(ValidationRule::Shape, error.to_string()),
    }
}

/// Reads an optional field on its own; null counts as absent.
fn probe<T: DeserializeOwned>(path: &Path, value: Option<&Value>) -> Result<(), ValidationError> {
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(value) => T::deserialize(value.clone())
            .map(drop)
            .map_err(|error| path.error(ValidationRule::Shape, clean_serde_message(&error))),
    }
}

/// Reads an optional array field element by element, naming the element at fault.
fn probe_list<T: DeserializeOwned>(
    path: &Path,
    value: Option<&Value>,
) -> Result<(), ValidationError> {
    match value {
        Some(Value::Array(items)) => {
            for (k, item) in items.iter().enumerate() {
                probe::<T>(&path.index(k), Some(item))?;
            }
            Ok(())
        }
        other => probe::<Vec<T>>(path, other),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A caller's string for a message: at most [`QUOTE_LIMIT`] characters, escaped.
fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(QUOTE_LIMIT).collect();
    if chars.next().is_some() {
        format!("{head:?}…")
    } else {
        format!("{head:?}")
    }
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}
