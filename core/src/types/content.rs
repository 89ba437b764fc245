//! Content blocks, their sources, citations and cache control (request and response side:
//! one type serves both, so a reply can be sent back as history unchanged).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{open_tagged_enum, JsonMap};

/// `cache_control` on a block, tool or system entry: marks the end of a cacheable prefix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheControl {
    /// Always `ephemeral` today.
    #[serde(rename = "type")]
    pub kind: String,
    /// `5m` (default) or `1h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl CacheControl {
    /// The ephemeral cache with the default TTL.
    pub fn ephemeral() -> Self {
        Self {
            kind: "ephemeral".into(),
            ..Self::default()
        }
    }
}

open_tagged_enum! {
    /// One content block of a message, on either side of the conversation.
    ContentBlock {
        /// Text, with citations when the reply cites documents.
        Text(TextBlock) = "text",
        /// An image (base64, URL or file).
        Image(ImageBlock) = "image",
        /// A document: PDF, plain text, custom content, URL or file.
        Document(DocumentBlock) = "document",
        /// A search result supplied by the caller, citable like a document.
        SearchResult(SearchResultBlock) = "search_result",
        /// The model calls a client tool.
        ToolUse(ToolUseBlock) = "tool_use",
        /// The caller's answer to a `tool_use`.
        ToolResult(ToolResultBlock) = "tool_result",
        /// Extended thinking, with the signature that must be sent back unchanged.
        Thinking(ThinkingBlock) = "thinking",
        /// Thinking the safety systems encrypted; send it back unchanged.
        RedactedThinking(RedactedThinkingBlock) = "redacted_thinking",
        /// The model calls a server tool (web search, code execution…).
        ServerToolUse(ServerToolUseBlock) = "server_tool_use",
        /// Results of the web search server tool.
        WebSearchToolResult(WebSearchToolResultBlock) = "web_search_tool_result",
    }
}

impl ContentBlock {
    /// A plain text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(TextBlock {
            text: text.into(),
            ..TextBlock::default()
        })
    }

    /// A base64 image block.
    pub fn image_base64(media_type: impl Into<String>, data: impl Into<String>) -> Self {
        Self::Image(ImageBlock {
            source: ImageSource::Base64(Base64Source {
                media_type: media_type.into(),
                data: data.into(),
                extra: JsonMap::new(),
            }),
            cache_control: None,
            extra: JsonMap::new(),
        })
    }

    /// An image block fetched by the API from a URL.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self::Image(ImageBlock {
            source: ImageSource::Url(UrlSource {
                url: url.into(),
                extra: JsonMap::new(),
            }),
            cache_control: None,
            extra: JsonMap::new(),
        })
    }
}

/// A `text` block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextBlock {
    /// The text.
    pub text: String,
    /// Citations backing this text (responses), or citations replayed in a request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<Vec<Citation>>,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// An `image` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageBlock {
    /// Where the image comes from.
    pub source: ImageSource,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know (e.g. 2026 `transformations`).
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_tagged_enum! {
    /// The source of an image.
    ImageSource {
        /// Inline bytes: `image/jpeg`, `image/png`, `image/gif` or `image/webp`.
        Base64(Base64Source) = "base64",
        /// A URL the API fetches.
        Url(UrlSource) = "url",
        /// A file uploaded with the Files API.
        File(FileSource) = "file",
    }
}

/// Inline base64 data with its media type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Base64Source {
    /// The declared media type.
    pub media_type: String,
    /// Standard base64 of the bytes.
    pub data: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A URL source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UrlSource {
    /// The URL.
    pub url: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A Files API source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileSource {
    /// The uploaded file's id.
    pub file_id: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `document` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentBlock {
    /// Where the document comes from.
    pub source: DocumentSource,
    /// A title the model may cite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Context about the document that is not cited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `{ "enabled": true }` turns on citations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<CitationsConfig>,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_tagged_enum! {
    /// The source of a document.
    DocumentSource {
        /// A base64 PDF (`application/pdf`).
        Base64(Base64Source) = "base64",
        /// Plain text (`text/plain`).
        Text(TextSource) = "text",
        /// Custom content: a string or text/image blocks, each citable.
        Content(ContentSource) = "content",
        /// A PDF the API fetches.
        Url(UrlSource) = "url",
        /// A file uploaded with the Files API.
        File(FileSource) = "file",
    }
}

/// A plain-text document source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextSource {
    /// `text/plain`.
    pub media_type: String,
    /// The text.
    pub data: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A custom-content document source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentSource {
    /// A string, or text and image blocks.
    pub content: MessageContent,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Whether a document may be cited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CitationsConfig {
    /// Citations on or off.
    #[serde(default)]
    pub enabled: bool,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `search_result` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResultBlock {
    /// Where the result came from (a URL or any identifier).
    pub source: String,
    /// The result's title.
    pub title: String,
    /// The result's text blocks.
    pub content: Vec<ContentBlock>,
    /// `{ "enabled": true }` turns on citations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<CitationsConfig>,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `tool_use` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolUseBlock {
    /// `toolu_…`, echoed by the matching `tool_result`.
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments, an object matching the tool's `input_schema`. When absent (llama.cpp's
    /// `content_block_start` omits it; the official SDK accepts that) it is the empty object the
    /// API would have sent, and the streamed `input_json_delta`s fill it.
    #[serde(default = "empty_object")]
    pub input: Value,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know (`caller`, `toolset_name`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

fn empty_object() -> Value {
    Value::Object(JsonMap::new())
}

/// A `tool_result` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolResultBlock {
    /// The `id` of the `tool_use` this answers.
    pub tool_use_id: String,
    /// The result: a string or blocks (text, image, search_result, document…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<MessageContent>,
    /// True when the tool failed and `content` describes the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `thinking` block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThinkingBlock {
    /// The (summarized) thinking text.
    pub thinking: String,
    /// Proof of origin; must be sent back unmodified.
    pub signature: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `redacted_thinking` block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RedactedThinkingBlock {
    /// Opaque encrypted thinking; send back unchanged.
    pub data: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `server_tool_use` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerToolUseBlock {
    /// `srvtoolu_…`.
    pub id: String,
    /// `web_search`, `web_fetch`, `code_execution`…
    pub name: String,
    /// The server tool's arguments.
    pub input: Value,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know (`caller`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `web_search_tool_result` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebSearchToolResultBlock {
    /// The `server_tool_use` this answers.
    pub tool_use_id: String,
    /// The results, or an error.
    pub content: WebSearchToolResultContent,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Web search results, or the error that replaced them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WebSearchToolResultContent {
    /// The results found.
    Results(Vec<WebSearchResult>),
    /// `{ "type": "web_search_tool_result_error", "error_code": … }` or a shape not known yet.
    Other(Value),
}

/// One `web_search_result`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebSearchResult {
    /// `web_search_result`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The page's URL.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// Encrypted page content; send back unchanged.
    pub encrypted_content: String,
    /// How old the page is, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_age: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Message content: the string shorthand or a list of blocks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageContent {
    /// Shorthand for one text block.
    Text(String),
    /// Content blocks.
    Blocks(Vec<ContentBlock>),
}

impl MessageContent {
    /// The text: the shorthand, or the text blocks joined with no separator.
    pub fn text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Blocks(blocks) => joined_text(blocks),
        }
    }
}

/// The text blocks of `blocks` joined with no separator.
pub(crate) fn joined_text(blocks: &[ContentBlock]) -> String {
    blocks
        .iter()
        .filter_map(|block| match block {
            ContentBlock::Text(text) => Some(text.text.as_str()),
            _ => None,
        })
        .collect()
}

impl From<&str> for MessageContent {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for MessageContent {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<Vec<ContentBlock>> for MessageContent {
    fn from(blocks: Vec<ContentBlock>) -> Self {
        Self::Blocks(blocks)
    }
}

open_tagged_enum! {
    /// A citation: where a piece of text comes from.
    Citation {
        /// Character range in a plain-text document.
        CharLocation(CharLocation) = "char_location",
        /// Page range in a PDF.
        PageLocation(PageLocation) = "page_location",
        /// Block range in a custom-content document.
        ContentBlockLocation(ContentBlockLocation) = "content_block_location",
        /// A web search result.
        WebSearchResultLocation(WebSearchResultLocation) = "web_search_result_location",
        /// A caller-supplied search result.
        SearchResultLocation(SearchResultLocation) = "search_result_location",
    }
}

/// A `char_location` citation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CharLocation {
    /// The cited text.
    pub cited_text: String,
    /// Index of the document in the request.
    pub document_index: u64,
    /// The document's title.
    #[serde(default)]
    pub document_title: Option<String>,
    /// First character (inclusive).
    pub start_char_index: u64,
    /// Last character (exclusive).
    pub end_char_index: u64,
    /// Fields this version does not know (`file_id`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `page_location` citation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageLocation {
    /// The cited text.
    pub cited_text: String,
    /// Index of the document in the request.
    pub document_index: u64,
    /// The document's title.
    #[serde(default)]
    pub document_title: Option<String>,
    /// First page (1-based, inclusive).
    pub start_page_number: u64,
    /// Last page (exclusive).
    pub end_page_number: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `content_block_location` citation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentBlockLocation {
    /// The cited text.
    pub cited_text: String,
    /// Index of the document in the request.
    pub document_index: u64,
    /// The document's title.
    #[serde(default)]
    pub document_title: Option<String>,
    /// First block (inclusive).
    pub start_block_index: u64,
    /// Last block (exclusive).
    pub end_block_index: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `web_search_result_location` citation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebSearchResultLocation {
    /// The cited text.
    pub cited_text: String,
    /// The page's URL.
    pub url: String,
    /// The page's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Opaque index; send back unchanged.
    pub encrypted_index: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A `search_result_location` citation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResultLocation {
    /// The cited text.
    pub cited_text: String,
    /// Index of the search result among the request's search results.
    pub search_result_index: u64,
    /// The search result's source.
    pub source: String,
    /// The search result's title.
    #[serde(default)]
    pub title: Option<String>,
    /// First block (inclusive).
    pub start_block_index: u64,
    /// Last block (exclusive).
    pub end_block_index: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}
