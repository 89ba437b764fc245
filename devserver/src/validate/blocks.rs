//! Content blocks. Paths name the block's tag as the API does:
//! `messages.0.content.1.image.source.base64.media_type`.

use serde_json::{Map, Value};

use super::check::*;
use crate::vision;

/// Block types a request may carry.
const BLOCK_TAGS: &[&str] = &[
    "text",
    "image",
    "document",
    "search_result",
    "thinking",
    "redacted_thinking",
    "tool_use",
    "tool_result",
    "server_tool_use",
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "tool_search_tool_result",
    "container_upload",
];

/// Media types the API accepts for images.
pub const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];

/// The largest image the API accepts, decoded.
const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// A message's `content`: a string or blocks. `final_assistant` allows it to be empty (and
/// only there), as the API does for a prefill.
pub fn content(value: &Value, path: &str, role: &str, final_assistant: bool) -> Checked {
    let message = path.trim_end_matches(".content");
    let empty_error = || {
        fail(
            message,
            "all messages must have non-empty content except for the optional final assistant message",
        )
    };
    match value {
        Value::String(text) => {
            if text.is_empty() && !final_assistant {
                return empty_error();
            }
            Ok(())
        }
        Value::Array(blocks) => {
            if blocks.is_empty() && !final_assistant {
                return empty_error();
            }
            for (i, block) in blocks.iter().enumerate() {
                let at = join(path, i);
                let map = object(block, &at)?;
                let kind = tag(map, BLOCK_TAGS, &at)?;
                placement(kind, role, &at)?;
                block_body(kind, map, &join(&at, kind))?;
            }
            Ok(())
        }
        _ => fail(
            path,
            "Input should be a valid string or a list of content blocks",
        ),
    }
}

/// Blocks that belong to one side of the conversation only.
fn placement(kind: &str, role: &str, path: &str) -> Checked {
    let only = match kind {
        "tool_use" | "thinking" | "redacted_thinking" | "server_tool_use" => "assistant",
        "tool_result" => "user",
        _ => {
            return if role == "system" && kind != "text" {
                fail(path, "system messages may only contain text blocks")
            } else {
                Ok(())
            }
        }
    };
    if role != only {
        return fail(
            path,
            format!("`{kind}` blocks can only be in `{only}` messages"),
        );
    }
    Ok(())
}

fn block_body(kind: &str, map: &Map<String, Value>, path: &str) -> Checked {
    match kind {
        "text" => text_block(map, path),
        "image" => image_block(map, path),
        "document" => document_block(map, path),
        "search_result" => search_result_block(map, path),
        "thinking" => {
            no_extra(map, &["type", "thinking", "signature"], path)?;
            string(required(map, "thinking", path)?, &join(path, "thinking"))?;
            string(required(map, "signature", path)?, &join(path, "signature"))?;
            Ok(())
        }
        "redacted_thinking" => {
            no_extra(map, &["type", "data"], path)?;
            string(required(map, "data", path)?, &join(path, "data")).map(drop)
        }
        "tool_use" | "server_tool_use" => {
            no_extra(
                map,
                &["type", "id", "name", "input", "cache_control", "caller"],
                path,
            )?;
            identifier(
                required(map, "id", path)?,
                &join(path, "id"),
                usize::MAX,
                "^[a-zA-Z0-9_-]+$",
            )?;
            let name = string(required(map, "name", path)?, &join(path, "name"))?;
            if name.is_empty() || name.chars().count() > 200 {
                return fail(
                    &join(path, "name"),
                    "String should have between 1 and 200 characters",
                );
            }
            object(required(map, "input", path)?, &join(path, "input"))?;
            optional_cache(map, path)
        }
        "tool_result" => tool_result_block(map, path),
        // Server-tool results and uploads are replayed as the API sent them: only their link
        // to the call is checked.
        _ => {
            if let Some(id) = map.get("tool_use_id") {
                string(id, &join(path, "tool_use_id"))?;
            }
            Ok(())
        }
    }
}

fn optional_cache(map: &Map<String, Value>, path: &str) -> Checked {
    match map.get("cache_control") {
        Some(value) => cache_control(value, &join(path, "cache_control")),
        None => Ok(()),
    }
}

/// A `text` block (also used for `system` blocks).
pub fn text_block(map: &Map<String, Value>, path: &str) -> Checked {
    no_extra(map, &["type", "text", "cache_control", "citations"], path)?;
    let text = string(required(map, "text", path)?, &join(path, "text"))?;
    if text.is_empty() {
        return fail(path, "text content blocks must be non-empty");
    }
    if text.trim().is_empty() {
        return fail(path, "text content blocks must contain non-whitespace text");
    }
    if let Some(citations) = map.get("citations") {
        if !citations.is_null() {
            array(citations, &join(path, "citations"))?;
        }
    }
    optional_cache(map, path)
}

fn image_block(map: &Map<String, Value>, path: &str) -> Checked {
    no_extra(map, &["type", "source", "cache_control"], path)?;
    optional_cache(map, path)?;
    let at = join(path, "source");
    let source = object(required(map, "source", path)?, &at)?;
    let kind = tag(source, &["base64", "url", "file"], &at)?;
    let at = join(&at, kind);
    if kind == "file" {
        return file_source(source, &at);
    }
    if kind == "url" {
        no_extra(source, &["type", "url"], &at)?;
        return string(required(source, "url", &at)?, &join(&at, "url")).map(drop);
    }
    no_extra(source, &["type", "media_type", "data"], &at)?;
    let media_type = one_of(
        required(source, "media_type", &at)?,
        &join(&at, "media_type"),
        IMAGE_TYPES,
    )?;
    let data = string(required(source, "data", &at)?, &join(&at, "data"))?;
    image_bytes(data, &media_type, &at)
}

/// `{"type": "file", "file_id"}` (the router checks that the file is held and readable).
fn file_source(source: &Map<String, Value>, at: &str) -> Checked {
    no_extra(source, &["type", "file_id"], at)?;
    string(required(source, "file_id", at)?, &join(at, "file_id")).map(drop)
}

/// The bytes behind a base64 image: decodable, small enough, of the declared type, readable,
/// and within the API's size limit.
fn image_bytes(data: &str, media_type: &str, path: &str) -> Checked {
    let Ok(bytes) = vision::decode_base64(data) else {
        return fail(&join(path, "data"), "invalid base64 data");
    };
    if bytes.len() > MAX_IMAGE_BYTES {
        return fail(
            path,
            format!(
                "image exceeds 5 MB maximum: {} bytes > {MAX_IMAGE_BYTES} bytes",
                bytes.len()
            ),
        );
    }
    match vision::sniff(&bytes) {
        None => return fail(path, "Could not process image"),
        Some(actual) if actual != media_type => {
            return fail(
                path,
                format!(
                    "The image was specified using the {media_type} media type, but the image appears to be a {actual} image"
                ),
            )
        }
        Some(_) => {}
    }
    match vision::dimensions(&bytes) {
        Ok((width, height)) if width.max(height) > vision::MAX_SIDE => {
            // The block's own path (`messages.0.content.1`), as the API lists it in `details`.
            let block = path.split(".image.").next().unwrap_or(path);
            let error = fail::<()>(
                path,
                format!(
                    "image dimensions exceed max allowed size: {} pixels",
                    vision::MAX_SIDE
                ),
            )
            .unwrap_err()
            .with_details(serde_json::json!({
                "error_code": "image_dimensions_too_large",
                "max_side_length_pixels": vision::MAX_SIDE,
                "paths": [block],
            }));
            Err(error)
        }
        Ok(_) => Ok(()),
        Err(_) => fail(path, "Could not process image"),
    }
}

fn document_block(map: &Map<String, Value>, path: &str) -> Checked {
    no_extra(
        map,
        &[
            "type",
            "source",
            "title",
            "context",
            "citations",
            "cache_control",
        ],
        path,
    )?;
    optional_cache(map, path)?;
    for key in ["title", "context"] {
        if let Some(value) = map.get(key).filter(|v| !v.is_null()) {
            string(value, &join(path, key))?;
        }
    }
    if let Some(citations) = map.get("citations").filter(|v| !v.is_null()) {
        let at = join(path, "citations");
        let config = object(citations, &at)?;
        no_extra(config, &["enabled"], &at)?;
        if let Some(enabled) = config.get("enabled") {
            boolean(enabled, &join(&at, "enabled"))?;
        }
    }
    let at = join(path, "source");
    let source = object(required(map, "source", path)?, &at)?;
    let kind = tag(source, &["base64", "text", "content", "url", "file"], &at)?;
    let at = join(&at, kind);
    match kind {
        "file" => file_source(source, &at),
        "base64" | "text" => {
            no_extra(source, &["type", "media_type", "data"], &at)?;
            let media = if kind == "base64" {
                "application/pdf"
            } else {
                "text/plain"
            };
            one_of(
                required(source, "media_type", &at)?,
                &join(&at, "media_type"),
                &[media],
            )?;
            let data = string(required(source, "data", &at)?, &join(&at, "data"))?;
            if kind == "base64" && vision::decode_base64(data).is_err() {
                return fail(&join(&at, "data"), "invalid base64 data");
            }
            Ok(())
        }
        "content" => {
            no_extra(source, &["type", "content"], &at)?;
            let inner = required(source, "content", &at)?;
            if let Value::Array(blocks) = inner {
                nested_blocks(blocks, &join(&at, "content"), &["text", "image"])
            } else {
                string(inner, &join(&at, "content")).map(drop)
            }
        }
        _ => {
            no_extra(source, &["type", "url"], &at)?;
            string(required(source, "url", &at)?, &join(&at, "url")).map(drop)
        }
    }
}

fn search_result_block(map: &Map<String, Value>, path: &str) -> Checked {
    no_extra(
        map,
        &[
            "type",
            "source",
            "title",
            "content",
            "citations",
            "cache_control",
        ],
        path,
    )?;
    optional_cache(map, path)?;
    string(required(map, "source", path)?, &join(path, "source"))?;
    string(required(map, "title", path)?, &join(path, "title"))?;
    let at = join(path, "content");
    nested_blocks(array(required(map, "content", path)?, &at)?, &at, &["text"])
}

fn tool_result_block(map: &Map<String, Value>, path: &str) -> Checked {
    no_extra(
        map,
        &[
            "type",
            "tool_use_id",
            "content",
            "is_error",
            "cache_control",
        ],
        path,
    )?;
    optional_cache(map, path)?;
    identifier(
        required(map, "tool_use_id", path)?,
        &join(path, "tool_use_id"),
        usize::MAX,
        "^[a-zA-Z0-9_-]+$",
    )?;
    if let Some(flag) = map.get("is_error") {
        boolean(flag, &join(path, "is_error"))?;
    }
    match map.get("content") {
        None | Some(Value::String(_)) => Ok(()),
        Some(Value::Array(blocks)) => nested_blocks(
            blocks,
            &join(path, "content"),
            &[
                "text",
                "image",
                "search_result",
                "document",
                "tool_reference",
            ],
        ),
        Some(_) => fail(
            &join(path, "content"),
            "Input should be a valid string or a list of content blocks",
        ),
    }
}

/// Blocks inside a block (tool results, documents, search results).
fn nested_blocks(blocks: &[Value], path: &str, tags: &[&str]) -> Checked {
    for (i, block) in blocks.iter().enumerate() {
        let at = join(path, i);
        let map = object(block, &at)?;
        let kind = tag(map, tags, &at)?;
        match kind {
            "tool_reference" => {}
            _ => block_body(kind, map, &join(&at, kind))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use serde_json::json;

    fn check(content_value: Value) -> Result<(), String> {
        content(&content_value, "messages.0.content", "user", false).map_err(|e| e.message)
    }

    fn png_base64() -> String {
        let image = image::RgbaImage::from_pixel(2, 2, image::Rgba([1, 2, 3, 255]));
        let mut bytes = Vec::new();
        image
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn checks_block_shapes() {
        assert!(check(json!([{"type": "text", "text": "hi"}])).is_ok());
        assert_eq!(
            check(json!([{"type": "text"}])).unwrap_err(),
            "messages.0.content.0.text.text: Field required"
        );
        assert_eq!(
            check(json!([{"type": "text", "text": ""}])).unwrap_err(),
            "messages.0.content.0.text: text content blocks must be non-empty"
        );
        assert!(check(json!([{"type": "video"}]))
            .unwrap_err()
            .contains("Input tag 'video'"));
        assert_eq!(
            check(json!([])).unwrap_err(),
            "messages.0: all messages must have non-empty content except for the optional final assistant message"
        );
        assert_eq!(
            check(json!([{"type": "tool_use", "id": "t", "name": "n", "input": {}}])).unwrap_err(),
            "messages.0.content.0: `tool_use` blocks can only be in `assistant` messages"
        );
    }

    #[test]
    fn checks_images_against_their_bytes() {
        let data = png_base64();
        let image = |media: &str, data: &str| json!([{"type": "image", "source": {"type": "base64", "media_type": media, "data": data}}]);
        assert!(check(image("image/png", &data)).is_ok());
        assert_eq!(
            check(image("image/jpeg", &data)).unwrap_err(),
            "messages.0.content.0.image.source.base64: The image was specified using the image/jpeg media type, but the image appears to be a image/png image"
        );
        assert_eq!(
            check(image("image/bmp", &data)).unwrap_err(),
            "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"
        );
        assert_eq!(
            check(image("image/png", "%%%")).unwrap_err(),
            "messages.0.content.0.image.source.base64.data: invalid base64 data"
        );
        assert_eq!(
            check(image("image/png", "aGVsbG8gd29ybGQ=")).unwrap_err(),
            "messages.0.content.0.image.source.base64: Could not process image"
        );
        let url = json!([{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]);
        assert!(check(url).is_ok());
    }
}
