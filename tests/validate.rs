//! Request checks: one test per rule (exact path and rule), a valid complex request, size and
//! magic-number edges, prefill per model, `normalize`, JSON types and missing fields, and
//! never-panic properties. Each case runs on the request's JSON text through the core
//! validator (`anthropic_wasm_core::validate`); the typed `validate` serializes and does the same.

use anthropic_wasm::error::{ValidationError, ValidationRule};
use anthropic_wasm::types::*;
use anthropic_wasm::validate::*;
use proptest::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard padded base64, written here so the tests do not trust the code under test.
fn b64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A 1×1 PNG: signature and IHDR chunk (CRC not computed: only the magic matters here).
fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(&[0, 0, 0, 13]);
    bytes.extend_from_slice(b"IHDR");
    bytes.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    bytes.extend_from_slice(&[0x1F, 0x15, 0xC4, 0x89]);
    bytes
}

/// A 1×1 GIF89a header with an empty global color table and the trailer.
fn gif() -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend_from_slice(&[1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B]);
    bytes
}

/// A JPEG start: SOI, a JFIF APP0 segment, EOI.
fn jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    bytes.extend_from_slice(b"JFIF\0");
    bytes.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]);
    bytes
}

/// A WebP RIFF header with a lossless (VP8L) chunk for a 1×1 image.
fn webp() -> Vec<u8> {
    let mut bytes = b"RIFF".to_vec();
    bytes.extend_from_slice(&26u32.to_le_bytes());
    bytes.extend_from_slice(b"WEBPVP8L");
    bytes.extend_from_slice(&[
        13, 0, 0, 0, 0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0,
    ]);
    bytes
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
}

fn image(media_type: &str, bytes: &[u8]) -> Value {
    json!({"type": "image", "source": {"type": "base64", "media_type": media_type, "data": b64(bytes)}})
}

fn request(messages: Value) -> Value {
    json!({"model": "claude-sonnet-4-5", "max_tokens": 2048, "messages": messages})
}

fn user(content: Value) -> Value {
    request(json!([{"role": "user", "content": content}]))
}

fn with(mut value: Value, key: &str, field: Value) -> Value {
    value
        .as_object_mut()
        .expect("object")
        .insert(key.to_owned(), field);
    value
}

/// The core validator over the JSON text `value` serializes to (as the JS layer sends it).
fn core_check(value: &Value, options: &ValidateOptions) -> Result<(), ValidationError> {
    let json = serde_json::to_vec(value).expect("serializable");
    anthropic_wasm_core::validate::validate_message_request(&json, options)
        .map_err(ValidationError::from)
}

fn parse(value: Value) -> MessageCreateParams {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("does not parse: {e}"))
}

fn check(value: Value) -> Result<(), ValidationError> {
    core_check(&value, &ValidateOptions::default())
}

fn passes(value: Value) {
    if let Err(e) = check(value) {
        panic!("expected to pass, failed: {e} ({:?})", e.rule);
    }
}

/// Expects `path`, `rule` and a message mentioning `word` (what the typed validator gave
/// before validation moved to core: the cases below were run through both, which agreed).
#[track_caller]
fn fails(value: Value, path: &str, rule: ValidationRule, word: &str) -> ValidationError {
    expect_error(
        check(value).expect_err("expected a validation error"),
        path,
        rule,
        word,
    )
}

/// Checks that an error names `path`, breaks `rule`, and mentions `word`.
#[track_caller]
fn expect_error(
    error: ValidationError,
    path: &str,
    rule: ValidationRule,
    word: &str,
) -> ValidationError {
    assert_eq!(
        (error.path.as_str(), error.rule),
        (path, rule),
        "message: {}",
        error.message
    );
    assert!(
        error.message.contains(word),
        "{word:?} not in {:?}",
        error.message
    );
    error
}

// ---------------------------------------------------------------------------------------------
// A valid request.

#[test]
fn complex_valid_request_passes() {
    let value = json!({
        "model": "claude-opus-4-6",
        "max_tokens": 8000,
        "system": [
            {"type": "text", "text": "You are terse."},
            {"type": "text", "text": "Long reference text.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
        ],
        "messages": [
            {"role": "user", "content": [
                {"type": "text", "text": "Compare these."},
                image("image/png", &png()),
                image("image/gif", &gif()),
                image("image/jpeg", &jpeg()),
                image("image/webp", &webp()),
                {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
                {"type": "image", "source": {"type": "file", "file_id": "file_011"}},
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": b64(&pdf())},
                 "citations": {"enabled": true}},
                {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "plain"}},
                {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "a"}, image("image/png", &png())]}},
                {"type": "future_block", "anything": 1}
            ]},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "Let me look.", "signature": "sig"},
                {"type": "redacted_thinking", "data": "opaque"},
                {"type": "text", "text": "Calling the tool."},
                {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01", "content": [
                    {"type": "text", "text": "sunny"}, image("image/jpeg", &jpeg())
                ]},
                {"type": "text", "text": "Thanks.", "cache_control": {"type": "ephemeral"}}
            ]},
            {"role": "system", "content": "Mid-conversation system note."},
            {"role": "user", "content": "Go on."}
        ],
        "stop_sequences": ["\n\nHuman:", "END"],
        "temperature": 1.0,
        "top_p": 0.99,
        "top_k": 0,
        "tools": [
            {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object", "properties": {}},
             "cache_control": {"type": "ephemeral"}},
            {"type": "web_search_20250305", "name": "web_search", "max_uses": 3},
            {"type": "some_builtin_without_name_20990101"}
        ],
        "tool_choice": {"type": "tool", "name": "get_weather"},
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "output_config": {"effort": "high"}
    });
    passes(value);
}

#[test]
fn constructed_params_pass() {
    let params = MessageCreateParams {
        model: "claude-haiku-4-5".into(),
        max_tokens: 16,
        messages: vec![
            MessageParam::user("Hi"),
            MessageParam::assistant("Hello"),
            MessageParam::user("Bye"),
        ],
        ..MessageCreateParams::default()
    };
    assert_eq!(validate(&params, &ValidateOptions::default()), Ok(()));
}

// ---------------------------------------------------------------------------------------------
// Top-level fields.

#[test]
fn model_must_not_be_empty() {
    fails(
        with(user(json!("hi")), "model", json!("")),
        "model",
        ValidationRule::Required,
        "model",
    );
}

#[test]
fn max_tokens_zero_prewarms_the_cache() {
    // The 2026 API accepts 0 (the prompt cache is written, nothing generated).
    passes(with(user(json!("hi")), "max_tokens", json!(0)));
}

#[test]
fn messages_must_not_be_empty() {
    fails(
        request(json!([])),
        "messages",
        ValidationRule::Required,
        "at least one",
    );
}

#[test]
fn roles_user_assistant_and_system_only() {
    passes(request(
        json!([{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]),
    ));
    fails(
        request(json!([{"role": "user", "content": "hi"}, {"role": "tool", "content": "x"}])),
        "messages[1].role",
        ValidationRule::OutOfRange,
        "\"tool\"",
    );
    fails(
        request(json!([{"role": "User", "content": "hi"}])),
        "messages[0].role",
        ValidationRule::OutOfRange,
        "user",
    );
}

#[test]
fn first_problem_in_document_order_wins() {
    let value = json!({
        "model": "claude-sonnet-4-5", "max_tokens": 10, "temperature": 7,
        "messages": [{"role": "user", "content": "ok"}, {"role": "user", "content": ""}],
        "system": [{"type": "image", "source": {"type": "url", "url": "https://x"}}]
    });
    fails(
        value,
        "messages[1].content",
        ValidationRule::Required,
        "non-empty",
    );
}

// ---------------------------------------------------------------------------------------------
// Content.

#[test]
fn empty_string_content_is_rejected() {
    fails(
        user(json!("")),
        "messages[0].content",
        ValidationRule::Required,
        "non-empty",
    );
    fails(
        user(json!("  \n")),
        "messages[0].content",
        ValidationRule::Required,
        "non-whitespace",
    );
}

#[test]
fn empty_array_content_is_rejected_except_final_assistant() {
    fails(
        user(json!([])),
        "messages[0].content",
        ValidationRule::Required,
        "empty array",
    );
    fails(
        request(
            json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": []}, {"role": "user", "content": "b"}]),
        ),
        "messages[1].content",
        ValidationRule::Required,
        "empty",
    );
    passes(request(
        json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": []}]),
    ));
    passes(request(
        json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": ""}]),
    ));
}

#[test]
fn empty_text_blocks_are_rejected_except_final_assistant() {
    fails(
        user(json!([{"type": "text", "text": "a"}, {"type": "text", "text": ""}])),
        "messages[0].content[1].text",
        ValidationRule::Required,
        "non-empty",
    );
    passes(request(
        json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": [{"type": "text", "text": ""}]}]),
    ));
}

#[test]
fn prefill_must_not_end_with_whitespace() {
    fails(
        request(
            json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": "The answer is "}]),
        ),
        "messages[1].content",
        ValidationRule::TrailingWhitespace,
        "whitespace",
    );
    fails(
        request(
            json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": [{"type": "text", "text": "{\n"}]}]),
        ),
        "messages[1].content[0].text",
        ValidationRule::TrailingWhitespace,
        "trim",
    );
    // Not final: trailing whitespace is fine.
    passes(request(json!([
        {"role": "user", "content": "a"}, {"role": "assistant", "content": "b "}, {"role": "user", "content": "c"}
    ])));
    passes(request(
        json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": "{"}]),
    ));
}

#[test]
fn unknown_block_needs_a_string_type() {
    fails(
        user(json!([{"type": "text", "text": "a"}, {"text": "no type"}])),
        "messages[0].content[1]",
        ValidationRule::Shape,
        "type",
    );
    fails(
        user(json!([{"type": 7}])),
        "messages[0].content[0]",
        ValidationRule::Shape,
        "string `type`",
    );
    fails(
        user(json!(["just a string"])),
        "messages[0].content[0]",
        ValidationRule::Shape,
        "object",
    );
    passes(user(
        json!([{"type": "text", "text": "a"}, {"type": "from_the_future"}]),
    ));
}

#[test]
fn tool_result_only_in_user_turns() {
    fails(
        request(json!([
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "x"}]}
        ])),
        "messages[1].content[0]",
        ValidationRule::Shape,
        "user turns",
    );
}

#[test]
fn tool_use_and_thinking_only_in_assistant_turns() {
    fails(
        user(json!([{"type": "tool_use", "id": "toolu_1", "name": "t", "input": {}}])),
        "messages[0].content[0]",
        ValidationRule::Shape,
        "assistant turns",
    );
    fails(
        user(
            json!([{"type": "text", "text": "a"}, {"type": "thinking", "thinking": "t", "signature": "s"}]),
        ),
        "messages[0].content[1]",
        ValidationRule::Shape,
        "`thinking`",
    );
    fails(
        request(
            json!([{"role": "system", "content": [{"type": "redacted_thinking", "data": "x"}]}, {"role": "user", "content": "a"}]),
        ),
        "messages[0].content[0]",
        ValidationRule::Shape,
        "system turn",
    );
}

#[test]
fn tool_use_input_must_be_an_object() {
    fails(
        request(json!([
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "t", "input": "x"}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1"}]}
        ])),
        "messages[1].content[0].input",
        ValidationRule::Shape,
        "object",
    );
}

// ---------------------------------------------------------------------------------------------
// Images.

#[test]
fn image_media_type_must_be_one_of_four() {
    let error = fails(
        user(json!([image("image/bmp", &png())])),
        "messages[0].content[0].source.media_type",
        ValidationRule::ImageMediaType,
        "image/jpeg, image/png, image/gif, image/webp",
    );
    assert!(error.message.contains("image/bmp"));
    fails(
        user(json!([image("image/jpg", &jpeg())])),
        "messages[0].content[0].source.media_type",
        ValidationRule::ImageMediaType,
        "image/jpeg",
    );
}

#[test]
fn base64_must_be_well_formed() {
    let path = "messages[0].content[0].source.data";
    let raw = |data: &str| {
        user(
            json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}]),
        )
    };
    let good = b64(&png());
    fails(
        raw(&format!("data:image/png;base64,{good}")),
        path,
        ValidationRule::Base64,
        "send only the base64 part",
    );
    fails(
        raw(&good.replacen('A', "*", 1)),
        path,
        ValidationRule::Base64,
        "invalid base64 character '*'",
    );
    fails(
        raw(&good.replacen('A', "-", 1)),
        path,
        ValidationRule::Base64,
        "URL-safe",
    );
    fails(
        raw(&format!("{}\n{}", &good[..8], &good[8..])),
        path,
        ValidationRule::Base64,
        "line break",
    );
    fails(
        raw(&good[..good.len() - 1]),
        path,
        ValidationRule::Base64,
        "multiple of 4",
    );
    fails(raw("iVBO=Rw0"), path, ValidationRule::Base64, "after `=`");
    fails(raw("iVB====="), path, ValidationRule::Base64, "at most 2");
    fails(raw("ébcd"), path, ValidationRule::Base64, "'é'");
    fails(raw(""), path, ValidationRule::Required, "empty");
}

#[test]
fn png_declared_as_jpeg_is_caught() {
    let error = fails(
        user(json!([image("image/jpeg", &png())])),
        "messages[0].content[0].source.data",
        ValidationRule::ImageBytesMismatch,
        "declared image/jpeg but the bytes are PNG",
    );
    assert!(error.message.contains("image/png"));
}

#[test]
fn every_declared_type_checks_its_magic() {
    let path = "messages[0].content[0].source.data";
    fails(
        user(json!([image("image/png", &gif())])),
        path,
        ValidationRule::ImageBytesMismatch,
        "bytes are GIF",
    );
    fails(
        user(json!([image("image/gif", &webp())])),
        path,
        ValidationRule::ImageBytesMismatch,
        "bytes are WebP",
    );
    fails(
        user(json!([image("image/webp", &jpeg())])),
        path,
        ValidationRule::ImageBytesMismatch,
        "bytes are JPEG",
    );
    fails(
        user(json!([image("image/png", &pdf())])),
        path,
        ValidationRule::ImageBytesMismatch,
        "document",
    );
    fails(
        user(json!([image("image/png", b"<html>hello")])),
        path,
        ValidationRule::ImageBytesMismatch,
        "3C 68 74 6D",
    );
    fails(
        user(json!([image("image/webp", b"RIFF\0\0\0\0WAVE")])),
        path,
        ValidationRule::ImageBytesMismatch,
        "WebP",
    );
    fails(
        user(json!([image("image/jpeg", &[0xFF])])),
        path,
        ValidationRule::ImageBytesMismatch,
        "FF D8 FF",
    );
}

fn sized_png(len: usize) -> String {
    let mut bytes = png();
    bytes.resize(len, 0x5A);
    b64(&bytes)
}

#[test]
fn image_of_exactly_5_mb_passes_and_one_byte_more_fails() {
    let exact = sized_png(5 * 1024 * 1024);
    passes(user(
        json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": exact}}]),
    ));
    let over = sized_png(5 * 1024 * 1024 + 1);
    let error = fails(
        user(
            json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": over}}]),
        ),
        "messages[0].content[0].source.data",
        ValidationRule::ImageTooLarge,
        "5242881 bytes",
    );
    assert!(error.message.contains("5 MB"));
    assert_eq!(MAX_IMAGE_BYTES, 5_242_880);
}

#[test]
fn decoded_length_is_exact_for_every_padding() {
    // MAX ± 1 and 2 cover all three padding cases at the boundary.
    for (len, ok) in [
        (MAX_IMAGE_BYTES - 2, true),
        (MAX_IMAGE_BYTES - 1, true),
        (MAX_IMAGE_BYTES + 2, false),
    ] {
        let params = parse(user(
            json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": sized_png(len)}}]),
        ));
        assert_eq!(
            validate(&params, &ValidateOptions::default()).is_ok(),
            ok,
            "{len}"
        );
    }
}

#[test]
fn url_sources_need_an_http_url() {
    let url = |u: &str| user(json!([{"type": "image", "source": {"type": "url", "url": u}}]));
    fails(
        url(""),
        "messages[0].content[0].source.url",
        ValidationRule::Required,
        "empty",
    );
    fails(
        url("ftp://example.com/a.png"),
        "messages[0].content[0].source.url",
        ValidationRule::Shape,
        "http(s)",
    );
    fails(
        url("https://"),
        "messages[0].content[0].source.url",
        ValidationRule::Shape,
        "http(s)",
    );
    fails(
        url("data:image/png;base64,AAAA"),
        "messages[0].content[0].source.url",
        ValidationRule::Shape,
        "base64",
    );
    passes(url("HTTP://example.com/a.png"));
}

#[test]
fn file_and_unknown_sources() {
    fails(
        user(json!([{"type": "image", "source": {"type": "file", "file_id": ""}}])),
        "messages[0].content[0].source.file_id",
        ValidationRule::Required,
        "file_id",
    );
    fails(
        user(json!([{"type": "image", "source": {"url": "https://x"}}])),
        "messages[0].content[0].source",
        ValidationRule::Shape,
        "type",
    );
    passes(user(
        json!([{"type": "image", "source": {"type": "future_source"}}]),
    ));
}

// ---------------------------------------------------------------------------------------------
// Documents.

fn document(source: Value) -> Value {
    user(json!([{"type": "document", "source": source}]))
}

#[test]
fn pdf_documents_are_checked() {
    let path = "messages[0].content[0].source";
    fails(
        document(json!({"type": "base64", "media_type": "application/x-pdf", "data": b64(&pdf())})),
        &format!("{path}.media_type"),
        ValidationRule::DocumentMediaType,
        "application/pdf",
    );
    fails(
        document(json!({"type": "base64", "media_type": "application/pdf", "data": "JVBERi0"})),
        &format!("{path}.data"),
        ValidationRule::Base64,
        "multiple of 4",
    );
    fails(
        document(json!({"type": "base64", "media_type": "application/pdf", "data": b64(&png())})),
        &format!("{path}.data"),
        ValidationRule::DocumentBytesMismatch,
        "bytes are PNG",
    );
    fails(
        document(
            json!({"type": "base64", "media_type": "application/pdf", "data": b64(b"hello world")}),
        ),
        &format!("{path}.data"),
        ValidationRule::DocumentBytesMismatch,
        "%PDF-",
    );
    fails(
        document(json!({"type": "url", "url": "file:///etc/passwd"})),
        &format!("{path}.url"),
        ValidationRule::Shape,
        "http",
    );
}

#[test]
fn text_documents_are_text_plain() {
    fails(
        document(json!({"type": "text", "media_type": "text/markdown", "data": "# hi"})),
        "messages[0].content[0].source.media_type",
        ValidationRule::DocumentMediaType,
        "text/plain",
    );
}

#[test]
fn nested_images_and_documents_have_full_paths() {
    fails(
        request(json!([
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "t", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                {"type": "text", "text": "x"}, image("image/tiff", &png())
            ]}]}
        ])),
        "messages[2].content[0].content[1].source.media_type",
        ValidationRule::ImageMediaType,
        "image/tiff",
    );
    fails(
        user(
            json!([{"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": b64(&gif())}}
            ]}]),
        ),
        "messages[0].content[0].content[0].source.data",
        ValidationRule::DocumentBytesMismatch,
        "GIF",
    );
    fails(
        document(json!({"type": "content", "content": [image("image/png", &jpeg())]})),
        "messages[0].content[0].source.content[0].source.data",
        ValidationRule::ImageBytesMismatch,
        "JPEG",
    );
    fails(
        user(
            json!([{"type": "tool_result", "tool_use_id": "t", "content": [{"type": "tool_result", "tool_use_id": "u"}]}]),
        ),
        "messages[0].content[0].content[0]",
        ValidationRule::Shape,
        "inside tool_result",
    );
}

// ---------------------------------------------------------------------------------------------
// System, sampling, stop sequences.

#[test]
fn system_blocks_must_be_text() {
    let base = user(json!("hi"));
    fails(
        with(
            base.clone(),
            "system",
            json!([{"type": "text", "text": "a"}, image("image/png", &png())]),
        ),
        "system[1]",
        ValidationRule::Shape,
        "text blocks",
    );
    fails(
        with(
            base.clone(),
            "system",
            json!([{"type": "text", "text": ""}]),
        ),
        "system[0].text",
        ValidationRule::Required,
        "non-empty",
    );
    fails(
        with(base.clone(), "system", json!([{"no": "type"}])),
        "system[0]",
        ValidationRule::Shape,
        "text blocks",
    );
    passes(with(base, "system", json!("plain string")));
}

#[test]
fn temperature_and_top_p_between_0_and_1() {
    let base = user(json!("hi"));
    fails(
        with(base.clone(), "temperature", json!(1.5)),
        "temperature",
        ValidationRule::OutOfRange,
        "0 to 1",
    );
    fails(
        with(base.clone(), "temperature", json!(-0.1)),
        "temperature",
        ValidationRule::OutOfRange,
        "0 to 1",
    );
    fails(
        with(base.clone(), "top_p", json!(2)),
        "top_p",
        ValidationRule::OutOfRange,
        "0 to 1",
    );
    passes(with(
        with(base.clone(), "temperature", json!(0)),
        "top_p",
        json!(1),
    ));
    let mut params = parse(base);
    params.temperature = Some(f64::NAN);
    let error = validate(&params, &ValidateOptions::default()).unwrap_err();
    assert_eq!(
        (error.path.as_str(), error.rule),
        ("temperature", ValidationRule::OutOfRange)
    );
    params.temperature = None;
    params.top_p = Some(f64::INFINITY);
    assert_eq!(
        validate(&params, &ValidateOptions::default())
            .unwrap_err()
            .path,
        "top_p"
    );
}

#[test]
fn top_k_not_negative() {
    fails(
        with(user(json!("hi")), "top_k", json!(-1)),
        "top_k",
        ValidationRule::OutOfRange,
        "-1",
    );
}

#[test]
fn stop_sequences_not_empty_or_blank() {
    let base = user(json!("hi"));
    fails(
        with(base.clone(), "stop_sequences", json!(["END", ""])),
        "stop_sequences[1]",
        ValidationRule::Required,
        "non-empty",
    );
    fails(
        with(base.clone(), "stop_sequences", json!([" \t"])),
        "stop_sequences[0]",
        ValidationRule::Required,
        "whitespace",
    );
    passes(with(base, "stop_sequences", json!(["\n\nHuman:"])));
}

// ---------------------------------------------------------------------------------------------
// Tools and tool choice.

fn tool(name: &str) -> Value {
    json!({"name": name, "input_schema": {"type": "object"}})
}

#[test]
fn tool_names_match_the_pattern() {
    let base = user(json!("hi"));
    fails(
        with(
            base.clone(),
            "tools",
            json!([tool("ok"), tool("has space")]),
        ),
        "tools[1].name",
        ValidationRule::ToolName,
        "' '",
    );
    fails(
        with(base.clone(), "tools", json!([tool("")])),
        "tools[0].name",
        ValidationRule::ToolName,
        "empty",
    );
    fails(
        with(base.clone(), "tools", json!([tool(&"a".repeat(129))])),
        "tools[0].name",
        ValidationRule::ToolName,
        "128",
    );
    let longest = with(base.clone(), "tools", json!([tool(&"a".repeat(128))]));
    let longest: MessageCreateParams = serde_json::from_value(longest).unwrap();
    assert_eq!(validate(&longest, &ValidateOptions::default()), Ok(()));
    fails(
        with(base.clone(), "tools", json!([tool("héllo")])),
        "tools[0].name",
        ValidationRule::ToolName,
        "'é'",
    );
    fails(
        with(
            base.clone(),
            "tools",
            json!([{"type": "web_search_20250305", "name": "web search"}]),
        ),
        "tools[0].name",
        ValidationRule::ToolName,
        "^[a-zA-Z0-9_-]{1,128}$",
    );
    fails(
        with(base.clone(), "tools", json!([{"type": 3, "name": "x"}])),
        "tools[0].type",
        ValidationRule::Shape,
        "type",
    );
    fails(
        with(
            base.clone(),
            "tools",
            json!([{"name": "t", "input_schema": "object"}]),
        ),
        "tools[0].input_schema",
        ValidationRule::Shape,
        "object",
    );
    passes(with(
        base,
        "tools",
        json!([tool(&"a".repeat(64)), tool("A-z_0-9")]),
    ));
}

#[test]
fn tool_names_are_unique() {
    fails(
        with(
            user(json!("hi")),
            "tools",
            json!([tool("a"), tool("b"), {"type": "bash_20250124", "name": "a"}]),
        ),
        "tools[2].name",
        ValidationRule::DuplicateToolName,
        "tools[0]",
    );
}

#[test]
fn tool_choice_names_an_existing_tool() {
    let base = with(
        user(json!("hi")),
        "tools",
        json!([tool("alpha"), tool("beta")]),
    );
    let error = fails(
        with(
            base.clone(),
            "tool_choice",
            json!({"type": "tool", "name": "gamma"}),
        ),
        "tool_choice.name",
        ValidationRule::UnknownTool,
        "\"gamma\"",
    );
    assert!(error.message.contains("\"alpha\""));
    passes(with(
        base.clone(),
        "tool_choice",
        json!({"type": "tool", "name": "beta"}),
    ));
    passes(with(
        base,
        "tool_choice",
        json!({"type": "any", "disable_parallel_tool_use": true}),
    ));
}

#[test]
fn tool_choice_any_or_tool_needs_tools() {
    let base = user(json!("hi"));
    fails(
        with(base.clone(), "tool_choice", json!({"type": "any"})),
        "tool_choice",
        ValidationRule::Required,
        "tools",
    );
    fails(
        with(
            base.clone(),
            "tool_choice",
            json!({"type": "tool", "name": "x"}),
        ),
        "tool_choice",
        ValidationRule::Required,
        "tools",
    );
    fails(
        with(
            with(base.clone(), "tools", json!([])),
            "tool_choice",
            json!({"type": "any"}),
        ),
        "tool_choice",
        ValidationRule::Required,
        "`any`",
    );
    passes(with(base.clone(), "tool_choice", json!({"type": "auto"})));
    passes(with(base.clone(), "tool_choice", json!({"type": "none"})));
    fails(
        with(base, "tool_choice", json!({"name": "x"})),
        "tool_choice",
        ValidationRule::Shape,
        "type",
    );
}

// ---------------------------------------------------------------------------------------------
// Thinking.

#[test]
fn thinking_budget_at_least_1024_and_below_max_tokens() {
    let base = user(json!("hi"));
    fails(
        with(
            base.clone(),
            "thinking",
            json!({"type": "enabled", "budget_tokens": 1023}),
        ),
        "thinking.budget_tokens",
        ValidationRule::OutOfRange,
        "1024",
    );
    fails(
        with(
            base.clone(),
            "thinking",
            json!({"type": "enabled", "budget_tokens": 2048}),
        ),
        "thinking.budget_tokens",
        ValidationRule::OutOfRange,
        "less than max_tokens",
    );
    passes(with(
        base.clone(),
        "thinking",
        json!({"type": "enabled", "budget_tokens": 2047}),
    ));
    passes(with(base.clone(), "thinking", json!({"type": "adaptive"})));
    fails(
        with(base, "thinking", json!({"budget_tokens": 5})),
        "thinking",
        ValidationRule::Shape,
        "type",
    );
}

// ---------------------------------------------------------------------------------------------
// Prefill.

fn prefill(model: &str) -> MessageCreateParams {
    parse(json!({"model": model, "max_tokens": 100, "messages": [
        {"role": "user", "content": "Give me JSON"}, {"role": "assistant", "content": "{"}
    ]}))
}

#[test]
fn prefill_rejected_on_models_without_support() {
    let off = ValidateOptions {
        reject_prefill_for_models_without_support: false,
    };
    for model in [
        "claude-opus-4-7",
        "claude-opus-4-6",
        "claude-opus-4-6-20260205",
        "claude-sonnet-4-6",
        "claude-mythos-preview",
        "us.anthropic.claude-opus-4-6-v1",
        "anthropic.claude-sonnet-4-6",
        "claude-opus-4-6@20260205",
    ] {
        let error = validate(&prefill(model), &ValidateOptions::default()).expect_err(model);
        assert_eq!(
            (error.path.as_str(), error.rule),
            ("messages[1]", ValidationRule::PrefillUnsupported),
            "{model}"
        );
        assert!(
            error.message.contains("does not support prefill"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("output_config.format"),
            "{}",
            error.message
        );
        assert!(error.message.contains("system prompt"), "{}", error.message);
        assert!(error.message.contains("turned off"), "{}", error.message);
        assert_eq!(
            validate(&prefill(model), &off),
            Ok(()),
            "{model} with the check off"
        );
    }
    assert_eq!(
        validate(&prefill("claude-sonnet-4-5"), &ValidateOptions::default()),
        Ok(())
    );
    assert!(ValidateOptions::default().reject_prefill_for_models_without_support);
}

#[test]
fn prefill_check_only_applies_to_a_final_assistant_turn() {
    let params = parse(
        json!({"model": "claude-opus-4-6", "max_tokens": 100, "messages": [
            {"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}
        ]}),
    );
    assert_eq!(validate(&params, &ValidateOptions::default()), Ok(()));
}

#[test]
fn model_rejects_prefill_matches_ids_exactly() {
    for yes in [
        "claude-opus-4-7",
        "claude-opus-4-7-20260416",
        "claude-opus-4-6",
        "claude-opus-4-6-20260205",
        "claude-sonnet-4-6",
        "claude-sonnet-4-6-20260217",
        "claude-mythos-preview",
        "us.anthropic.claude-opus-4-6-v1",
        "global.anthropic.claude-sonnet-4-6-v1:0",
        "claude-opus-4-6@20260205",
        "claude-sonnet-4-6@default",
        "publishers/anthropic/models/claude-opus-4-7",
        "anthropic/claude-opus-4.6",
        "Claude-Opus-4-6",
    ] {
        assert!(model_rejects_prefill(yes), "{yes}");
    }
    for no in [
        "claude-opus-4-5",
        "claude-sonnet-4-5-20250929",
        "claude-haiku-4-5",
        "claude-3-7-sonnet-latest",
        "claude-opus-4-60",
        "claude-opus-4-61-20270101",
        "claude-sonnet-4-65",
        "claude-opus-4",
        "claude-opus-4-1",
        "claude-mythos-previewer",
        "xclaude-opus-4-6",
        "opus-4-6",
        "claude-",
        "",
        "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    ] {
        assert!(!model_rejects_prefill(no), "{no}");
    }
}

// ---------------------------------------------------------------------------------------------
// normalize.

fn text_blocks(message: &MessageParam) -> Vec<String> {
    match &message.content {
        MessageContent::Blocks(blocks) => blocks
            .iter()
            .map(|block| match block {
                ContentBlock::Text(text) => text.text.clone(),
                other => format!("<{}>", other.type_name().unwrap_or("?")),
            })
            .collect(),
        MessageContent::Text(text) => vec![format!("string:{text}")],
    }
}

#[test]
fn normalize_merges_two_strings_into_blocks() {
    let mut messages = vec![
        MessageParam::user("a"),
        MessageParam::user("b"),
        MessageParam::assistant("c"),
    ];
    normalize(&mut messages);
    assert_eq!(messages.len(), 2);
    assert_eq!(text_blocks(&messages[0]), ["a", "b"]);
    assert_eq!(messages[1], MessageParam::assistant("c"));
}

#[test]
fn normalize_merges_string_with_blocks_in_order() {
    let mut messages = vec![
        MessageParam::user("a"),
        MessageParam::user(vec![
            ContentBlock::image_url("https://x/y.png"),
            ContentBlock::text("b"),
        ]),
        MessageParam::user("c"),
    ];
    normalize(&mut messages);
    assert_eq!(messages.len(), 1);
    assert_eq!(text_blocks(&messages[0]), ["a", "<image>", "b", "c"]);
}

#[test]
fn normalize_drops_empty_text_and_empty_turns() {
    let mut messages = vec![
        MessageParam::user(vec![ContentBlock::text(""), ContentBlock::text("a")]),
        MessageParam::assistant(vec![ContentBlock::text("")]),
        MessageParam::user("b"),
        MessageParam::assistant(""),
        MessageParam::assistant("c"),
        MessageParam::user(Vec::<ContentBlock>::new()),
    ];
    normalize(&mut messages);
    assert_eq!(messages.len(), 2);
    assert_eq!(text_blocks(&messages[0]), ["a", "b"]);
    assert_eq!(messages[1], MessageParam::assistant("c"));
}

#[test]
fn normalize_leaves_a_valid_conversation_alone() {
    let original = vec![
        MessageParam::user("a"),
        MessageParam::assistant(vec![ContentBlock::text("b ")]),
        MessageParam::user(vec![ContentBlock::text(" c")]),
    ];
    let mut messages = original.clone();
    normalize(&mut messages);
    assert_eq!(messages, original);
    let mut empty: Vec<MessageParam> = Vec::new();
    normalize(&mut empty);
    assert!(empty.is_empty());
}

#[test]
fn normalize_keeps_extra_fields_of_merged_turns() {
    let mut first = MessageParam::user("a");
    first.extra.insert("k".into(), json!(1));
    let mut second = MessageParam::user("b");
    second.extra.insert("k".into(), json!(2));
    second.extra.insert("m".into(), json!(3));
    let mut messages = vec![first, second];
    normalize(&mut messages);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].extra.get("k"), Some(&json!(1)));
    assert_eq!(messages[0].extra.get("m"), Some(&json!(3)));
}

#[test]
fn normalized_conversation_validates() {
    let mut params = parse(request(json!([
        {"role": "user", "content": "a"}, {"role": "user", "content": [{"type": "text", "text": ""}]},
        {"role": "assistant", "content": []}, {"role": "user", "content": "b"}
    ])));
    assert!(validate(&params, &ValidateOptions::default()).is_err());
    normalize(&mut params.messages);
    assert_eq!(validate(&params, &ValidateOptions::default()), Ok(()));
    assert_eq!(params.messages.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// JSON types and missing fields (what serde's typed reading reported, located).

#[test]
fn json_needs_an_object() {
    fails(json!([1, 2]), "", ValidationRule::Shape, "JSON object");
    fails(json!("x"), "", ValidationRule::Shape, "a string");
}

#[test]
fn json_required_fields() {
    fails(
        json!({"max_tokens": 1, "messages": []}),
        "model",
        ValidationRule::Required,
        "model",
    );
    fails(
        json!({"model": null, "max_tokens": 1, "messages": []}),
        "model",
        ValidationRule::Required,
        "required",
    );
    fails(
        json!({"model": 4, "max_tokens": 1, "messages": []}),
        "model",
        ValidationRule::Shape,
        "string",
    );
    fails(
        json!({"model": "m", "messages": []}),
        "max_tokens",
        ValidationRule::Required,
        "max_tokens",
    );
    fails(
        json!({"model": "m", "max_tokens": "10", "messages": []}),
        "max_tokens",
        ValidationRule::Shape,
        "integer",
    );
    fails(
        json!({"model": "m", "max_tokens": 1.5, "messages": []}),
        "max_tokens",
        ValidationRule::Shape,
        "integer",
    );
    fails(
        json!({"model": "m", "max_tokens": -1, "messages": []}),
        "max_tokens",
        ValidationRule::OutOfRange,
        "-1",
    );
    fails(
        json!({"model": "m", "max_tokens": 5_000_000_000u64, "messages": []}),
        "max_tokens",
        ValidationRule::OutOfRange,
        "4294967295",
    );
    fails(
        json!({"model": "m", "max_tokens": 1}),
        "messages",
        ValidationRule::Required,
        "messages",
    );
    fails(
        json!({"model": "m", "max_tokens": 1, "messages": {}}),
        "messages",
        ValidationRule::Shape,
        "array",
    );
}

#[test]
fn json_message_errors_name_the_message() {
    let base = |messages: Value| json!({"model": "m", "max_tokens": 1, "messages": messages});
    fails(
        base(json!(["hi"])),
        "messages[0]",
        ValidationRule::Shape,
        "object",
    );
    fails(
        base(json!([{"content": "x"}])),
        "messages[0].role",
        ValidationRule::Required,
        "role",
    );
    fails(
        base(json!([{"role": 1, "content": "x"}])),
        "messages[0].role",
        ValidationRule::Shape,
        "string",
    );
    fails(
        base(json!([{"role": "user"}])),
        "messages[0].content",
        ValidationRule::Required,
        "content",
    );
    fails(
        base(json!([{"role": "user", "content": 5}])),
        "messages[0].content",
        ValidationRule::Shape,
        "string or an array",
    );
    let error = fails(
        base(json!([
            {"role": "user", "content": "hi"},
            {"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png"}}]}
        ])),
        "messages[1].content[0]",
        ValidationRule::Shape,
        "missing field `data`",
    );
    assert!(
        error.message.starts_with("ImageSource"),
        "{}",
        error.message
    );
    assert!(
        error
            .to_string()
            .starts_with("messages[1].content[0]: ImageSource"),
        "{error}"
    );
    fails(
        base(json!([{"role": "user", "content": [{"type": "text"}]}])),
        "messages[0].content[0]",
        ValidationRule::Shape,
        "missing field `text`",
    );
}

#[test]
fn json_nested_block_errors_name_the_nested_block() {
    let base = |content: Value| json!({"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": content}]});
    fails(
        base(
            json!([{"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "ok"}, {"type": "image", "source": {"type": "url"}}]}]),
        ),
        "messages[0].content[0].content[1]",
        ValidationRule::Shape,
        "missing field `url`",
    );
    fails(
        base(
            json!([{"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": 5}]}}]),
        ),
        "messages[0].content[0].source.content[0]",
        ValidationRule::Shape,
        "invalid type",
    );
}

#[test]
fn json_other_field_errors_name_the_field() {
    let base =
        json!({"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": "x"}]});
    fails(
        with(base.clone(), "temperature", json!("hot")),
        "temperature",
        ValidationRule::Shape,
        "invalid type",
    );
    fails(
        with(base.clone(), "tools", json!([tool("a"), {"name": "b"}])),
        "tools[1]",
        ValidationRule::Shape,
        "input_schema",
    );
    fails(
        with(
            base.clone(),
            "system",
            json!([{"type": "text", "text": "a"}, {"type": "text"}]),
        ),
        "system[1]",
        ValidationRule::Shape,
        "text",
    );
    fails(
        with(base.clone(), "system", json!(5)),
        "system",
        ValidationRule::Shape,
        "string or an array",
    );
    fails(
        with(base.clone(), "stop_sequences", json!(["a", 1])),
        "stop_sequences[1]",
        ValidationRule::Shape,
        "invalid type",
    );
    fails(
        with(base.clone(), "thinking", json!({"type": "enabled"})),
        "thinking",
        ValidationRule::Shape,
        "budget_tokens",
    );
    fails(
        with(base.clone(), "tool_choice", json!({"type": "tool"})),
        "tool_choice",
        ValidationRule::Shape,
        "name",
    );
    fails(
        with(base, "top_k", json!(1.5)),
        "top_k",
        ValidationRule::Shape,
        "invalid type",
    );
}

#[test]
fn valid_json_passes_as_text_and_typed() {
    let value = json!({
        "model": "claude-sonnet-4-5", "max_tokens": 100, "stream": true, "future_param": {"x": 1},
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "hi"}, image("image/png", &png())], "note": 1},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "r"}, image("image/gif", &gif())]},
                {"type": "tool_result", "tool_use_id": "toolu_2", "content": "plain", "is_error": true},
                {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "d"}]}, "title": "t"},
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": b64(&pdf()), "content": [1]}},
                {"type": "search_result", "source": "s", "title": "t", "content": [{"type": "text", "text": "x"}]}
            ]}
        ],
        "system": "s", "tools": [tool("a")], "tool_choice": {"type": "auto"}, "thinking": {"type": "adaptive"}
    });
    assert_eq!(check(value.clone()), Ok(()));
    let typed: MessageCreateParams = serde_json::from_value(value).unwrap();
    assert_eq!(validate(&typed, &ValidateOptions::default()), Ok(()));
}

// ---------------------------------------------------------------------------------------------
// Never panic.

const WORDS: &[&str] = &[
    "user",
    "assistant",
    "system",
    "tool",
    "text",
    "image",
    "document",
    "tool_use",
    "tool_result",
    "thinking",
    "redacted_thinking",
    "search_result",
    "server_tool_use",
    "web_search_tool_result",
    "base64",
    "url",
    "file",
    "content",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "enabled",
    "adaptive",
    "disabled",
    "auto",
    "any",
    "none",
    "ephemeral",
    "https://example.com/a.png",
    "data:image/png;base64,",
    "claude-opus-4-6",
    "claude-sonnet-4-5",
    "",
    " ",
    "\n",
    "é",
    "🦀",
];

const KEYS: &[&str] = &[
    "type",
    "text",
    "source",
    "media_type",
    "data",
    "url",
    "file_id",
    "content",
    "role",
    "name",
    "input",
    "id",
    "tool_use_id",
    "citations",
    "title",
    "cache_control",
    "budget_tokens",
    "thinking",
    "signature",
    "input_schema",
    "is_error",
    "format",
    "schema",
    "enabled",
];

fn base64ish() -> impl Strategy<Value = String> {
    let heads = prop::sample::select(vec![
        "",
        "iVBORw0KGgo",
        "/9j/",
        "R0lGODlh",
        "UklGRhoAAABXRUJQ",
        "JVBERi0",
        "data:image/png;base64,",
        "====",
    ]);
    (
        heads,
        "[A-Za-z0-9+/=_ \n-]{0,24}",
        prop::sample::select(vec!["", "=", "==", "A", "AA="]),
    )
        .prop_map(|(head, body, tail)| format!("{head}{body}{tail}"))
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u32..5000).prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::from),
        base64ish().prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![prop::sample::select(KEYS).prop_map(str::to_owned), ".{0,6}"];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

const BLOCK_TYPES: &[&str] = &[
    "text",
    "image",
    "document",
    "tool_use",
    "tool_result",
    "thinking",
    "redacted_thinking",
    "search_result",
    "future",
    "",
];

/// Real base64 of a signature (or of nothing known) with a random tail, or base64-ish noise.
fn dataish() -> impl Strategy<Value = Value> {
    let real = (
        prop::sample::select(vec![
            png(),
            gif(),
            jpeg(),
            webp(),
            pdf(),
            vec![],
            vec![0xFF],
        ]),
        prop::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(|(mut head, tail)| {
            head.extend(tail);
            Value::from(b64(&head))
        });
    prop_oneof![6 => real, 3 => base64ish().prop_map(Value::from), 1 => any_json()]
}

/// Blocks that are mostly right: known types and sources with random parts swapped in.
fn blockish() -> impl Strategy<Value = Value> {
    let media =
        prop_oneof![8 => prop::sample::select(WORDS).prop_map(Value::from), 1 => any_json()];
    let source_type =
        prop::sample::select(vec!["base64", "url", "file", "text", "content", "other"]);
    let other =
        prop_oneof![3 => prop::sample::select(WORDS).prop_map(Value::from), 1 => any_json()];
    let source = (source_type, media, dataish(), other).prop_map(|(kind, media, data, other)| {
        json!({"type": kind, "media_type": media, "data": data, "url": other.clone(), "file_id": other, "content": "c"})
    });
    let block_type = prop::sample::select(BLOCK_TYPES);
    let text = prop::sample::select(WORDS);
    let mutation = prop::option::weighted(0.3, (prop::sample::select(KEYS), any_json()));
    let block = (block_type, source, text, mutation)
        .prop_map(|(kind, source, text, mutation)| {
            let mut block = json!({"type": kind, "source": source, "text": text, "id": "toolu_1", "tool_use_id": "toolu_1",
                "name": "n", "input": {}, "thinking": "x", "signature": "s", "data": "d", "title": "t", "content": []});
            if kind == "search_result" {
                block["source"] = json!("https://example.com");
            }
            if let Some((key, value)) = mutation {
                block[key] = value;
            }
            block
        })
        .boxed();
    prop_oneof![
        6 => block.clone(),
        3 => (block.clone(), block).prop_map(|(outer, inner)| {
            let mut outer = outer;
            outer["content"] = json!([inner.clone()]);
            if let Some(source) = outer.get_mut("source").and_then(Value::as_object_mut) {
                source.insert("content".into(), json!([inner]));
            }
            outer
        }),
        1 => any_json(),
    ]
}

fn requestish() -> impl Strategy<Value = Value> {
    let role = prop_oneof![9 => prop::sample::select(vec!["user", "assistant", "system", "tool"]).prop_map(Value::from), 1 => any_json()];
    let content = prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(Value::from),
        6 => prop::collection::vec(blockish(), 0..4).prop_map(Value::Array),
        1 => any_json(),
    ];
    let message =
        (role, content).prop_map(|(role, content)| json!({"role": role, "content": content}));
    let model = prop_oneof![
        9 => prop::sample::select(vec!["claude-opus-4-6", "claude-sonnet-4-5", "us.anthropic.claude-opus-4-7-v1", ""]).prop_map(Value::from),
        1 => any_json(),
    ];
    let max_tokens = prop_oneof![9 => (0u32..5000).prop_map(Value::from), 1 => any_json()];
    let tool = prop_oneof![
        3 => (prop::sample::select(vec!["a", "b", "web_search", "bad name", ""]), any::<bool>()).prop_map(|(name, builtin)| {
            if builtin { json!({"type": "web_search_20250305", "name": name}) } else { json!({"name": name, "input_schema": {}}) }
        }),
        1 => any_json(),
    ];
    let top = prop_oneof![
        prop::sample::select(vec![
            ("tool_choice", json!({"type": "tool", "name": "a"})),
            ("tool_choice", json!({"type": "any"})),
            (
                "thinking",
                json!({"type": "enabled", "budget_tokens": 2000})
            ),
            ("system", json!([{"type": "text", "text": "s"}])),
            ("temperature", json!(0.5)),
            ("stop_sequences", json!(["x", " "])),
        ]),
        (prop::sample::select(KEYS_TOP), any_json()),
    ];
    (
        model,
        max_tokens,
        prop::collection::vec(message, 0..5),
        prop::collection::vec(top, 0..3),
        prop::collection::vec(tool, 0..3),
    )
        .prop_map(|(model, max_tokens, messages, extras, tools)| {
            let mut request = json!({"model": model, "max_tokens": max_tokens, "messages": messages, "tools": tools});
            for (key, value) in extras {
                request[key] = value;
            }
            request
        })
}

const KEYS_TOP: &[&str] = &[
    "system",
    "stop_sequences",
    "temperature",
    "top_p",
    "top_k",
    "tools",
    "tool_choice",
    "thinking",
    "output_config",
    "metadata",
    "stream",
    "cache_control",
    "messages",
    "model",
    "max_tokens",
];

/// Both entry points on `value`: its JSON text, and the typed request serde reads from it.
fn exercise(value: Value) -> Result<(), TestCaseError> {
    let as_text = check(value.clone());
    let Ok(mut params) = serde_json::from_value::<MessageCreateParams>(value.clone()) else {
        // What serde cannot type, the JSON checks reject too.
        prop_assert!(as_text.is_err(), "{}", value);
        return Ok(());
    };
    let typed = validate(&params, &ValidateOptions::default());
    // What serde reads, it writes back with the same meaning: the same verdict.
    prop_assert_eq!(typed.is_ok(), as_text.is_ok(), "{:?} {:?}", typed, as_text);
    let _ = validate(
        &params,
        &ValidateOptions {
            reject_prefill_for_models_without_support: false,
        },
    );
    normalize(&mut params.messages);
    let _ = validate(&params, &ValidateOptions::default());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_json(value in any_json()) {
        exercise(value)?;
    }

    #[test]
    fn never_panics_on_requestish_json(value in requestish()) {
        exercise(value)?;
    }

    #[test]
    fn never_panics_on_blocks_in_a_valid_frame(blocks in prop::collection::vec(blockish(), 1..4), role in prop::sample::select(vec!["user", "assistant"])) {
        exercise(request(json!([{"role": "user", "content": "q"}, {"role": role, "content": blocks}])))?;
    }

    #[test]
    fn model_rejects_prefill_never_panics(model in any::<String>(), suffix in ".{0,8}") {
        let _ = model_rejects_prefill(&model);
        let _ = model_rejects_prefill(&format!("claude-{model}"));
        let id = format!("claude-opus-4-6{suffix}");
        prop_assert!(!model_rejects_prefill(&id) || !suffix.starts_with(|c: char| c.is_ascii_alphanumeric()), "{}", id);
    }

    #[test]
    fn real_base64_passes_and_truncated_fails(tail in prop::collection::vec(any::<u8>(), 0..64), cut in 1usize..4) {
        let mut bytes = png();
        bytes.extend_from_slice(&tail);
        let data = b64(&bytes);
        let value = |data: &str| user(json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}]));
        prop_assert_eq!(check(value(&data)), Ok(()));
        let error = check(value(&data[..data.len() - cut])).unwrap_err();
        prop_assert_eq!(error.rule, ValidationRule::Base64);
    }
}
