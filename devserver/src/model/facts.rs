//! What the model reads from a request: the last user turn's text, images, documents and tool
//! results, the system prompt, the prefill, the tools.

use anthropic_wasm_core::types::{
    ContentBlock, DocumentSource, ImageSource, MessageContent, MessageCreateParams, Role,
    SystemPrompt, Tool, ToolChoice,
};
use serde_json::Value;

use crate::vision;

/// A tool result in the last user turn, with the name of the tool it answers.
pub struct ToolOutcome {
    pub tool: String,
    pub content: String,
    pub is_error: bool,
}

/// A custom tool the model may call.
pub struct CallableTool {
    pub name: String,
    pub schema: Value,
}

/// The facts of a request.
pub struct Facts {
    /// Text of the last user turn.
    pub user_text: String,
    /// The user's question before the current tool-use round trip, when there is one.
    pub question: String,
    /// Descriptions of the images in the last user turn.
    pub images: Vec<String>,
    /// Descriptions of the documents in the last user turn.
    pub documents: Vec<String>,
    pub tool_outcomes: Vec<ToolOutcome>,
    /// The system prompt and any `system` messages, joined.
    pub system: String,
    /// The trailing assistant text, when the conversation ends with one.
    pub prefill: Option<String>,
    pub tools: Vec<CallableTool>,
    pub tool_choice: Option<ToolChoice>,
    /// Names of the tools the conversation has already called.
    pub called: Vec<String>,
    /// User turns so far.
    pub user_turns: usize,
}

impl Facts {
    pub fn read(params: &MessageCreateParams) -> Self {
        let messages = &params.messages;
        let last_user = messages.iter().rposition(|m| m.role == Role::User);
        let mut facts = Self {
            user_text: String::new(),
            question: String::new(),
            images: Vec::new(),
            documents: Vec::new(),
            tool_outcomes: Vec::new(),
            system: system_text(params),
            prefill: None,
            tools: params
                .tools
                .iter()
                .flatten()
                .filter_map(|tool| match tool {
                    Tool::Custom(custom) => Some(CallableTool {
                        name: custom.name.clone(),
                        schema: custom.input_schema.clone(),
                    }),
                    Tool::Builtin(_) => None,
                })
                .collect(),
            tool_choice: params.tool_choice.clone(),
            called: messages
                .iter()
                .filter(|m| m.role == Role::Assistant)
                .flat_map(|m| match &m.content {
                    MessageContent::Blocks(blocks) => blocks.as_slice(),
                    MessageContent::Text(_) => &[],
                })
                .filter_map(|b| match b {
                    ContentBlock::ToolUse(u) => Some(u.name.clone()),
                    _ => None,
                })
                .collect(),
            user_turns: messages.iter().filter(|m| m.role == Role::User).count(),
        };
        if let Some(last) = messages.last().filter(|m| m.role == Role::Assistant) {
            facts.prefill = Some(content_text(&last.content));
        }
        let Some(index) = last_user else {
            return facts;
        };
        facts.user_text = content_text(&messages[index].content);
        if let MessageContent::Blocks(blocks) = &messages[index].content {
            for block in blocks {
                facts.read_block(block, params, index);
            }
        }
        // During a tool round trip the question is the last user text that was not only results.
        facts.question = messages[..=index]
            .iter()
            .rev()
            .filter(|m| m.role == Role::User)
            .map(|m| content_text(&m.content))
            .find(|text| !text.trim().is_empty())
            .unwrap_or_default();
        facts
    }

    fn read_block(&mut self, block: &ContentBlock, params: &MessageCreateParams, index: usize) {
        match block {
            ContentBlock::Image(image) => self.images.push(describe_image(&image.source)),
            ContentBlock::Document(document) => {
                let title = document
                    .title
                    .as_ref()
                    .map(|t| format!(" titled \"{t}\""))
                    .unwrap_or_default();
                self.documents.push(match &document.source {
                    DocumentSource::Text(text) => format!(
                        "a text document{title} of {} words that begins \"{}\"",
                        text.data.split_whitespace().count(),
                        excerpt(&text.data, 60)
                    ),
                    DocumentSource::Base64(pdf) => {
                        format!("a PDF document{title} of {} bytes", pdf.data.len() * 3 / 4)
                    }
                    DocumentSource::Url(url) => format!("a PDF document{title} at {}", url.url),
                    _ => format!("a document{title}"),
                });
            }
            ContentBlock::ToolResult(result) => {
                let tool = params.messages[..index]
                    .iter()
                    .rev()
                    .find_map(|m| match &m.content {
                        MessageContent::Blocks(blocks) => blocks.iter().find_map(|b| match b {
                            ContentBlock::ToolUse(u) if u.id == result.tool_use_id => {
                                Some(u.name.clone())
                            }
                            _ => None,
                        }),
                        MessageContent::Text(_) => None,
                    })
                    .unwrap_or_else(|| "tool".into());
                self.tool_outcomes.push(ToolOutcome {
                    tool,
                    content: result
                        .content
                        .as_ref()
                        .map(content_text)
                        .unwrap_or_default(),
                    is_error: result.is_error.unwrap_or(false),
                });
            }
            _ => {}
        }
    }
}

fn system_text(params: &MessageCreateParams) -> String {
    let mut parts = Vec::new();
    match &params.system {
        Some(SystemPrompt::Text(text)) => parts.push(text.clone()),
        Some(SystemPrompt::Blocks(blocks)) => parts.extend(blocks.iter().filter_map(|b| match b {
            ContentBlock::Text(t) => Some(t.text.clone()),
            _ => None,
        })),
        None => {}
    }
    for message in &params.messages {
        if message.role == Role::Other("system".into()) {
            parts.push(content_text(&message.content));
        }
    }
    parts.join(" ").trim().to_owned()
}

/// The text blocks of a content, joined.
pub fn content_text(content: &MessageContent) -> String {
    match content {
        MessageContent::Text(text) => text.clone(),
        MessageContent::Blocks(blocks) => blocks
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Text(t) => Some(t.text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn describe_image(source: &ImageSource) -> String {
    match source {
        ImageSource::Base64(data) => match vision::decode_base64(&data.data) {
            Ok(bytes) => vision::describe(&bytes),
            Err(_) => "an image I could not decode".into(),
        },
        ImageSource::Url(url) => format!("an image at {} (I do not fetch URLs)", url.url),
        ImageSource::File(file) => format!("an uploaded image file {}", file.file_id),
        _ => "an image".into(),
    }
}

/// At most `max` characters of `text` on one line, with `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_last_turn_and_the_prefill() {
        let params: MessageCreateParams = serde_json::from_value(serde_json::json!({
            "model": "m", "max_tokens": 10, "system": "Be kind.",
            "messages": [
                {"role": "user", "content": "First"},
                {"role": "assistant", "content": "Reply"},
                {"role": "user", "content": [{"type": "text", "text": "Second"},
                    {"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]},
                {"role": "assistant", "content": "{\"a\":"}
            ]
        }))
        .unwrap();
        let facts = Facts::read(&params);
        assert_eq!(facts.user_text, "Second");
        assert_eq!(facts.system, "Be kind.");
        assert_eq!(facts.prefill.as_deref(), Some("{\"a\":"));
        assert_eq!(
            facts.images,
            ["an image at https://x/y.png (I do not fetch URLs)"]
        );
        assert_eq!(facts.user_turns, 2);
        assert_eq!(excerpt("a  b\nc", 10), "a b c");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}
