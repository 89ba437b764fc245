//! The one token rule, used for input (`count_tokens`, `usage.input_tokens`) and output
//! (`max_tokens`, `usage.output_tokens`, stream deltas) alike.
//!
//! A token is optional leading white space followed by either a run of letters and digits or
//! one other character; white space at the very end is a token of its own. So `Hello, world!`
//! is `Hello` `,` ` world` `!` (4 tokens) and the tokens of a text always concatenate back to
//! it. An image costs `ceil(width × height / 750)` tokens (the API's published estimate), a
//! message 1 token for its role, a tool the tokens of its JSON definition.

use anthropic_wasm_core::types::{
    CacheControl, ContentBlock, DocumentSource, ImageSource, MessageContent, MessageParam,
    SystemPrompt, Tool,
};

use crate::ids::stable_hash;
use crate::vision;

/// Splits `text` into tokens (see the module docs).
pub fn split(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some(&(_, c)) = chars.peek() {
        // Leading white space belongs to the token that follows it.
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let (_, first) = chars.next().unwrap_or((0, c));
        if first.is_alphanumeric() {
            while chars.peek().is_some_and(|&(_, c)| c.is_alphanumeric()) {
                chars.next();
            }
        }
        let end = chars.peek().map_or(text.len(), |&(i, _)| i);
        tokens.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// The number of tokens in `text`.
pub fn count(text: &str) -> usize {
    split(text).len()
}

/// The input side of a request, counted.
#[derive(Debug, Default, PartialEq)]
pub struct InputCount {
    pub total: usize,
    /// Cache breakpoints in order: tokens up to and including the marked block, a hash of that
    /// prefix (model included), and the TTL asked for.
    pub breakpoints: Vec<Breakpoint>,
}

/// A prefix marked with `cache_control`.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakpoint {
    pub tokens: usize,
    pub hash: u64,
    pub one_hour: bool,
}

/// What is counted, in the order the API builds its prompt: tools, system, messages.
pub struct Input<'a> {
    pub model: &'a str,
    pub tools: Option<&'a [Tool]>,
    pub system: Option<&'a SystemPrompt>,
    pub messages: &'a [MessageParam],
    /// Top-level `cache_control`: a breakpoint at the last block.
    pub cache_control: Option<&'a CacheControl>,
}

struct Counter {
    total: usize,
    hash: u64,
    breakpoints: Vec<Breakpoint>,
}

impl Counter {
    fn add(
        &mut self,
        tokens: usize,
        content: &impl serde::Serialize,
        cache: Option<&CacheControl>,
    ) {
        self.total += tokens;
        let bytes = serde_json::to_vec(content).unwrap_or_default();
        self.hash = stable_hash(&[self.hash.to_le_bytes().as_slice(), &bytes].concat());
        if let Some(cache) = cache {
            self.mark(cache);
        }
    }

    fn mark(&mut self, cache: &CacheControl) {
        self.breakpoints.push(Breakpoint {
            tokens: self.total,
            hash: self.hash,
            one_hour: cache.ttl.as_deref() == Some("1h"),
        });
    }
}

/// Counts the input of a request.
pub fn count_input(input: &Input) -> InputCount {
    let mut counter = Counter {
        total: 0,
        hash: stable_hash(input.model.as_bytes()),
        breakpoints: Vec::new(),
    };
    for tool in input.tools.unwrap_or_default() {
        let json = serde_json::to_string(tool).unwrap_or_default();
        let cache = match tool {
            Tool::Custom(tool) => tool.cache_control.clone(),
            Tool::Builtin(value) => value
                .get("cache_control")
                .and_then(|c| serde_json::from_value(c.clone()).ok()),
        };
        counter.add(count(&json), tool, cache.as_ref());
    }
    match input.system {
        Some(SystemPrompt::Text(text)) => counter.add(count(text), text, None),
        Some(SystemPrompt::Blocks(blocks)) => {
            for block in blocks {
                counter.add(block_tokens(block), block, block_cache(block));
            }
        }
        None => {}
    }
    for message in input.messages {
        counter.add(1, &message.role, None);
        match &message.content {
            MessageContent::Text(text) => counter.add(count(text), text, None),
            MessageContent::Blocks(blocks) => {
                for block in blocks {
                    counter.add(block_tokens(block), block, block_cache(block));
                }
            }
        }
    }
    if let Some(cache) = input.cache_control {
        counter.mark(cache);
    }
    InputCount {
        total: counter.total,
        breakpoints: counter.breakpoints,
    }
}

fn block_cache(block: &ContentBlock) -> Option<&CacheControl> {
    match block {
        ContentBlock::Text(b) => b.cache_control.as_ref(),
        ContentBlock::Image(b) => b.cache_control.as_ref(),
        ContentBlock::Document(b) => b.cache_control.as_ref(),
        ContentBlock::ToolUse(b) => b.cache_control.as_ref(),
        ContentBlock::ToolResult(b) => b.cache_control.as_ref(),
        ContentBlock::SearchResult(b) => b.cache_control.as_ref(),
        _ => None,
    }
}

/// Tokens of one content block.
pub fn block_tokens(block: &ContentBlock) -> usize {
    match block {
        ContentBlock::Text(text) => count(&text.text),
        ContentBlock::Image(image) => match &image.source {
            ImageSource::Base64(source) => vision::decode_base64(&source.data)
                .ok()
                .and_then(|bytes| vision::dimensions(&bytes).ok())
                .map_or(0, |(width, height)| vision::image_tokens(width, height)),
            ImageSource::Url(url) => count(&url.url),
            other => count(&serde_json::to_string(other).unwrap_or_default()),
        },
        ContentBlock::Document(document) => match &document.source {
            DocumentSource::Text(text) => count(&text.data),
            // A PDF: one token per 100 bytes of file, at least one.
            DocumentSource::Base64(pdf) => (pdf.data.len() * 3 / 4).div_ceil(100).max(1),
            other => count(&serde_json::to_string(other).unwrap_or_default()),
        },
        ContentBlock::ToolUse(tool_use) => {
            count(&tool_use.name)
                + count(&serde_json::to_string(&tool_use.input).unwrap_or_default())
        }
        ContentBlock::ToolResult(result) => match &result.content {
            None => 0,
            Some(MessageContent::Text(text)) => count(text),
            Some(MessageContent::Blocks(blocks)) => blocks.iter().map(block_tokens).sum(),
        },
        ContentBlock::Thinking(thinking) => count(&thinking.thinking),
        other => count(&serde_json::to_string(other).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_punctuation_keeping_all_text() {
        assert_eq!(split("Hello, world!"), ["Hello", ",", " world", "!"]);
        assert_eq!(split("  two  words  "), ["  two", "  words", "  "]);
        assert_eq!(
            split("{\"a\": 12}"),
            ["{", "\"", "a", "\"", ":", " 12", "}"]
        );
        assert_eq!(split("naïve café — ok"), ["naïve", " café", " —", " ok"]);
        assert_eq!(split(""), Vec::<&str>::new());
        for text in ["a b\nc", " x", "é\u{2028}é", "1.5e3"] {
            assert_eq!(split(text).concat(), text);
        }
        assert_eq!(count("The answer is (B)."), 7);
    }

    #[test]
    fn counts_messages_system_and_breakpoints() {
        let messages = vec![
            MessageParam::user("Hello there"),
            MessageParam::assistant("Hi"),
        ];
        let system = SystemPrompt::Text("Be brief.".into());
        let count = count_input(&Input {
            model: "m",
            tools: None,
            system: Some(&system),
            messages: &messages,
            cache_control: Some(&CacheControl::ephemeral()),
        });
        // system 3 + (1 + 2) + (1 + 1)
        assert_eq!(count.total, 8);
        assert_eq!(count.breakpoints.len(), 1);
        assert_eq!(count.breakpoints[0].tokens, 8);
    }
}
