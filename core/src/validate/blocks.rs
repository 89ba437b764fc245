//! Content blocks: which blocks may go where, text rules, tool_use / tool_result, search
//! results and the blocks nested in them; sources are in [`super::media`].

use crate::prelude::*;

use super::media::{check_document_source, check_image_source};
use super::{check_fields, kind, tag, Check, Owner, Path, Rule, Spec, Want};
use crate::text;
use crate::tree::Value;

/// Where a block sits: a turn of some role, or inside another block.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
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

    pub(super) fn is_prefill(self) -> bool {
        self == Self::Assistant { last: true }
    }
}

const CACHE: (&str, Want) = ("cache_control", Want::OptCacheControl);

/// The known block types and their plain fields (sources, nested content, citations and
/// `input` are checked in [`check_block`]). Types not listed pass.
const BLOCKS: &[(&str, Spec)] = &[
    ("text", &[("text", Want::Text), CACHE]),
    ("image", &[("source", Want::Any), CACHE]),
    (
        "document",
        &[
            ("source", Want::Any),
            ("title", Want::OptText),
            ("context", Want::OptText),
            CACHE,
        ],
    ),
    (
        "search_result",
        &[
            ("source", Want::Text),
            ("title", Want::Text),
            ("content", Want::Any),
            CACHE,
        ],
    ),
    (
        "tool_use",
        &[("id", Want::Text), ("name", Want::Text), CACHE],
    ),
    (
        "tool_result",
        &[
            ("tool_use_id", Want::Text),
            ("is_error", Want::OptBool),
            CACHE,
        ],
    ),
    (
        "thinking",
        &[("thinking", Want::Text), ("signature", Want::Text)],
    ),
    ("redacted_thinking", &[("data", Want::Text)]),
    (
        "server_tool_use",
        &[
            ("id", Want::Text),
            ("name", Want::Text),
            ("input", Want::Any),
            CACHE,
        ],
    ),
    (
        "web_search_tool_result",
        &[("tool_use_id", Want::Text), ("content", Want::Any), CACHE],
    ),
];

const CITATION_INDEX: (&str, Want) = ("document_index", Want::Count);
const CITATION_TITLE: (&str, Want) = ("document_title", Want::OptText);
const CITED: (&str, Want) = ("cited_text", Want::Text);

/// The known citation types and their fields.
const CITATIONS: &[(&str, Spec)] = &[
    (
        "char_location",
        &[
            CITED,
            CITATION_INDEX,
            CITATION_TITLE,
            ("start_char_index", Want::Count),
            ("end_char_index", Want::Count),
        ],
    ),
    (
        "page_location",
        &[
            CITED,
            CITATION_INDEX,
            CITATION_TITLE,
            ("start_page_number", Want::Count),
            ("end_page_number", Want::Count),
        ],
    ),
    (
        "content_block_location",
        &[
            CITED,
            CITATION_INDEX,
            CITATION_TITLE,
            ("start_block_index", Want::Count),
            ("end_block_index", Want::Count),
        ],
    ),
    (
        "web_search_result_location",
        &[
            CITED,
            ("url", Want::Text),
            ("title", Want::OptText),
            ("encrypted_index", Want::Text),
        ],
    ),
    (
        "search_result_location",
        &[
            CITED,
            ("search_result_index", Want::Count),
            ("source", Want::Text),
            ("title", Want::OptText),
            ("start_block_index", Want::Count),
            ("end_block_index", Want::Count),
        ],
    ),
];

fn spec(table: &[(&str, Spec)], name: &str) -> Option<Spec> {
    table
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, spec)| *spec)
}

/// Checks one block at `path` placed at `place`. Nesting is bounded by the placement rules
/// (a nested block cannot hold another nested block list but one level down), not by input.
pub(super) fn check_block(path: &Path, block: &Value, place: Place) -> Check {
    let kind_name = tag(path, block, "a content block")?;
    if spec(BLOCKS, kind_name).is_none() {
        return Ok(());
    }
    check_shape(path, block, kind_name)?;
    let nested = !place.is_turn();
    let misplaced = |wanted: &str| {
        let message = if nested {
            text!(
                "`",
                kind_name,
                "` blocks are not allowed inside ",
                place.describe()
            )
        } else {
            text!(
                "`",
                kind_name,
                "` blocks belong in ",
                wanted,
                " turns; this is ",
                place.describe()
            )
        };
        path.fail(Rule::Shape, message)
    };
    let assistant = matches!(place, Place::Assistant { .. });
    let in_document = matches!(place, Place::DocumentContent | Place::SearchResult);
    let field = |name| block.get(name).unwrap_or(&Value::Null);
    match kind_name {
        "text" => {
            if place.is_turn() && !place.is_prefill() {
                let text = field("text").text().unwrap_or_default();
                check_text_not_empty(&path.field("text"), &text, "text blocks")?;
            }
            check_citations(path, field("citations"))
        }
        "image" => check_image_source(path, &path.field("source"), field("source")),
        "document" if in_document => misplaced(""),
        "document" => {
            check_citations_config(path, field("citations"))?;
            check_document_source(path, &path.field("source"), field("source"))
        }
        "search_result" if in_document => misplaced(""),
        "search_result" => {
            check_citations_config(path, field("citations"))?;
            match field("content") {
                Value::Array(blocks) => check_blocks(path, blocks, Place::SearchResult),
                other => wrong_content(path, Owner("", ""), other, "an array of content blocks"),
            }
        }
        "tool_use" if !assistant => misplaced("assistant"),
        "tool_use" => match block.get("input") {
            None | Some(Value::Object(_)) => Ok(()),
            Some(other) => path.field("input").fail(
                Rule::Shape,
                text!("tool_use input must be a JSON object; got ", kind(other)),
            ),
        },
        "tool_result" if place != Place::User => misplaced("user"),
        "tool_result" => check_nested_content(
            path,
            path,
            Owner("", ""),
            field("content"),
            Place::ToolResult,
        ),
        "thinking" | "redacted_thinking" if !assistant => misplaced("assistant"),
        _ if nested && matches!(kind_name, "server_tool_use" | "web_search_tool_result") => {
            misplaced("")
        }
        _ => Ok(()),
    }
}

/// The plain fields of a block of a known type (`kind_name`).
pub(super) fn check_shape(path: &Path, block: &Value, kind_name: &str) -> Check {
    match spec(BLOCKS, kind_name) {
        Some(fields) => check_fields(path, Owner("", ""), block, fields),
        None => Ok(()),
    }
}

/// The blocks of a nested `content` (at `holder.content[k]`).
fn check_blocks(holder: &Path, blocks: &[Value], place: Place) -> Check {
    let content = holder.field("content");
    for (k, block) in blocks.iter().enumerate() {
        check_block(&content.index(k), block, place)?;
    }
    Ok(())
}

/// An optional `content` that is a string or a block array (tool_result, a content source).
/// Its shape problems are reported at `block`, the block that holds it.
pub(super) fn check_nested_content(
    block: &Path,
    holder: &Path,
    owner: Owner,
    content: &Value,
    place: Place,
) -> Check {
    match content {
        Value::Null | Value::String(_) => Ok(()),
        Value::Array(blocks) => check_blocks(holder, blocks, place),
        other => wrong_content(
            block,
            owner,
            other,
            "a string or an array of content blocks",
        ),
    }
}

fn wrong_content(holder: &Path, owner: Owner, got: &Value, expected: &str) -> Check {
    holder.fail(
        Rule::Shape,
        text!(
            owner.prefix(),
            "invalid type for `content`: ",
            kind(got),
            ", expected ",
            expected
        ),
    )
}

fn check_citations(block: &Path, citations: &Value) -> Check {
    let items = match citations {
        Value::Null => return Ok(()),
        Value::Array(items) => items,
        other => {
            return block.fail(
                Rule::Shape,
                text!(
                    "invalid type for `citations`: ",
                    kind(other),
                    ", expected an array of citations"
                ),
            )
        }
    };
    let path = block.field("citations");
    for (k, citation) in items.iter().enumerate() {
        let name = tag(&path.index(k), citation, "a citation")?;
        if let Some(fields) = spec(CITATIONS, name) {
            check_fields(block, Owner("Citation", name), citation, fields)?;
        }
    }
    Ok(())
}

/// A document's or search result's `citations: {enabled}`.
fn check_citations_config(block: &Path, config: &Value) -> Check {
    match config {
        Value::Null => Ok(()),
        Value::Object(_) => {
            check_fields(block, Owner("", ""), config, &[("enabled", Want::OptBool)])
        }
        other => block.fail(
            Rule::Shape,
            text!(
                "invalid type for `citations`: ",
                kind(other),
                ", expected an object such as {\"enabled\":true}"
            ),
        ),
    }
}

/// Text the API rejects when empty or blank (`what`: `content`, `text blocks`, …).
pub(super) fn check_text_not_empty(path: &Path, text: &str, what: &str) -> Check {
    if text.is_empty() {
        return path.fail(
            Rule::Required,
            text!(what, " must be non-empty: the API rejects empty text (only a final assistant turn may be empty)"),
        );
    }
    if text.trim().is_empty() {
        return path.fail(
            Rule::Required,
            text!(what, " must contain non-whitespace text"),
        );
    }
    Ok(())
}
