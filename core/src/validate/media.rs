//! Sources: base64 (scanned once, only its head decoded), image media types and sizes, magic
//! numbers, URLs and file ids.

use crate::prelude::*;

use crate::text;

use super::blocks::{check_nested_content, Place};
use super::{
    check_fields, quote, quote_char, starts_with_ignore_case, tag, Check, Fail, Owner, Path, Rule,
    Want,
};
use crate::tree::Value;

/// The largest decoded image the API accepts: 5 MB (5 × 1024 × 1024 bytes).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// The media types the API accepts for base64 images.
pub const IMAGE_MEDIA_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// A base64 source's fields (images and PDFs), also those of a text source.
const MEDIA_AND_DATA: &[(&str, Want)] = &[("media_type", Want::Text), ("data", Want::Text)];

/// A string field checked by [`check_fields`] before: its text.
fn text<'a>(source: &Value<'a>, name: &str) -> alloc::borrow::Cow<'a, str> {
    source.get(name).and_then(Value::text).unwrap_or_default()
}

/// An image block's `source` (at `path`); shape problems are reported at the `block`.
pub(super) fn check_image_source(block: &Path, path: &Path, source: &Value) -> Check {
    let kind = tag(path, source, "an image source")?;
    let owner = Owner("ImageSource", kind);
    match kind {
        "base64" => {
            check_fields(block, owner, source, MEDIA_AND_DATA)?;
            let media_type = text(source, "media_type");
            if !IMAGE_MEDIA_TYPES.contains(&media_type.as_ref()) {
                return path
                    .field("media_type")
                    .fail(Rule::ImageMediaType, image_media_type_message(&media_type));
            }
            let data_path = path.field("data");
            let decoded = check_base64(&data_path, &text(source, "data"))?;
            if decoded.len > MAX_IMAGE_BYTES {
                return data_path.fail(
                    Rule::ImageTooLarge,
                    text!(
                        "the image is ",
                        decoded.len,
                        " bytes (",
                        megabytes(decoded.len),
                        " MB) once decoded; the API accepts at most 5 MB (",
                        MAX_IMAGE_BYTES,
                        " bytes) \
                         per image: downscale or recompress it"
                    ),
                );
            }
            check_magic(&data_path, &media_type, &decoded)
        }
        _ => check_reference(block, path, owner, source),
    }
}

/// A `url` or `file` source (others pass).
fn check_reference(block: &Path, path: &Path, owner: Owner, source: &Value) -> Check {
    match owner.1 {
        "url" => {
            check_fields(block, owner, source, &[("url", Want::Text)])?;
            check_url(&path.field("url"), &text(source, "url"))
        }
        "file" => {
            check_fields(block, owner, source, &[("file_id", Want::Text)])?;
            check_file_id(&path.field("file_id"), &text(source, "file_id"))
        }
        _ => Ok(()),
    }
}

/// A document block's `source` (at `path`); shape problems are reported at the `block`.
pub(super) fn check_document_source(block: &Path, path: &Path, source: &Value) -> Check {
    let kind = tag(path, source, "a document source")?;
    let owner = Owner("DocumentSource", kind);
    match kind {
        "base64" => {
            check_fields(block, owner, source, MEDIA_AND_DATA)?;
            let media_type = text(source, "media_type");
            if media_type != "application/pdf" {
                return path.field("media_type").fail(
                    Rule::DocumentMediaType,
                    text!(
                        "a base64 document must be `application/pdf`; got ",
                        quote(&media_type),
                        " (plain text goes in a `text` source, images in an image block)"
                    ),
                );
            }
            let data_path = path.field("data");
            let decoded = check_base64(&data_path, &text(source, "data"))?;
            let head = decoded.head();
            if !head.starts_with(b"%PDF-") {
                let found = match sniff(head) {
                    Some(kind) => text!("the bytes are ", kind.name),
                    None => text!("the bytes start with ", hex(head)),
                };
                return data_path.fail(
                    Rule::DocumentBytesMismatch,
                    text!(
                        "declared application/pdf but ",
                        found,
                        "; a PDF starts with `%PDF-`"
                    ),
                );
            }
            Ok(())
        }
        "text" => {
            check_fields(block, owner, source, MEDIA_AND_DATA)?;
            let media_type = text(source, "media_type");
            if media_type != "text/plain" {
                return path.field("media_type").fail(
                    Rule::DocumentMediaType,
                    text!(
                        "a text document source must be `text/plain`; got ",
                        quote(&media_type)
                    ),
                );
            }
            Ok(())
        }
        "content" => {
            check_fields(block, owner, source, &[("content", Want::Any)])?;
            let content = source.get("content").unwrap_or(&Value::Null);
            check_nested_content(block, path, owner, content, Place::DocumentContent)
        }
        _ => check_reference(block, path, owner, source),
    }
}

/// `bytes` in MB (MiB) with two decimals, in integers (float formatting is large in wasm).
fn megabytes(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    let hundredths = bytes.saturating_mul(100).saturating_add(MIB / 2) / MIB;
    let cents = hundredths % 100;
    text!(
        hundredths / 100,
        ".",
        if cents < 10 { "0" } else { "" },
        cents
    )
}

fn image_media_type_message(media_type: &str) -> String {
    let mut message = text!(
        quote(media_type),
        " is not an image media type the API accepts; use one of ",
        IMAGE_MEDIA_TYPES.join(", ")
    );
    let lower = media_type.trim().to_ascii_lowercase();
    if lower == "image/jpg" {
        message.push_str(" (JPEG is `image/jpeg`)");
    } else if IMAGE_MEDIA_TYPES.contains(&lower.as_str()) {
        text!(into &mut message; " (write it exactly: `", lower, "`)");
    } else if lower == "application/pdf" {
        message.push_str(" (send PDFs as a `document` block)");
    }
    message
}
fn check_url(path: &Path, url: &str) -> Check {
    let url = url.trim();
    if url.is_empty() {
        return Err(path.error(Rule::Required, "url must not be empty"));
    }
    let bytes = url.as_bytes();
    if starts_with_ignore_case(bytes, b"data:") {
        return Err(path.error(
            Rule::Shape,
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
            Rule::Shape,
            text!(
                "url must be an http(s) URL the API can fetch; got ",
                quote(url)
            ),
        )),
    }
}

fn check_file_id(path: &Path, file_id: &str) -> Check {
    if file_id.trim().is_empty() {
        return Err(path.error(Rule::Required, "file_id must not be empty"));
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
fn check_base64(path: &Path, data: &str) -> Result<Decoded, Fail> {
    if data.is_empty() {
        return Err(path.error(
            Rule::Required,
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
            Rule::Base64,
            text!(
                "data starts with a data-URL prefix ",
                quote(prefix),
                "; send only the base64 part (what follows `base64,`)"
            ),
        ));
    }
    let mut padding = 0usize;
    for (position, &byte) in bytes.iter().enumerate() {
        if BASE64_VALUES[usize::from(byte)] != INVALID {
            if padding > 0 {
                return Err(path.error(
                    Rule::Base64,
                    text!(
                        "base64 continues after `=` padding (position ",
                        position,
                        "); `=` may only end the data"
                    ),
                ));
            }
        } else if byte == b'=' {
            padding += 1;
        } else {
            return Err(path.error(Rule::Base64, bad_base64_char(data, position)));
        }
    }
    if padding > 2 {
        return Err(path.error(
            Rule::Base64,
            text!(
                "base64 ends with ",
                padding,
                " `=`; at most 2 padding characters are allowed"
            ),
        ));
    }
    if !bytes.len().is_multiple_of(4) {
        return Err(path.error(
            Rule::Base64,
            text!(
                "base64 length ",
                bytes.len(),
                " is not a multiple of 4: the data is truncated or its `=` padding is missing"
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
        '-' | '_' => text!(
            "URL-safe base64 character ",
            quote_char(found),
            " at position ",
            position,
            "; use the standard alphabet (`+` and `/` instead of `-` and `_`)"
        ),
        c if c.is_whitespace() => {
            text!(
                "whitespace or a line break at position ",
                position,
                "; remove all spaces and line breaks from the base64"
            )
        }
        c => text!(
            "invalid base64 character ",
            quote_char(c),
            " at position ",
            position,
            "; only A-Z, a-z, 0-9, `+`, `/` and trailing `=` are allowed"
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

fn check_magic(path: &Path, media_type: &str, decoded: &Decoded) -> Check {
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
            text!(
                "declared ",
                media_type,
                " but the bytes are ",
                found.name,
                "; send PDFs as a `document` block"
            )
        }
        Some(found) => {
            text!(
                "declared ",
                media_type,
                " but the bytes are ",
                found.name,
                "; set media_type to ",
                found.media_type
            )
        }
        None => text!(
            "declared ",
            media_type,
            " but the bytes do not start with the ",
            expected.name,
            " signature (",
            expected.signature,
            "); they start with ",
            hex(head)
        ),
    };
    Err(path.error(Rule::ImageBytesMismatch, message))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (k, byte) in bytes.iter().take(8).enumerate() {
        if k > 0 {
            out.push(' ');
        }
        text::push_hex(&mut out, u32::from(*byte), 2, true);
    }
    if out.is_empty() {
        out.push_str("nothing");
    }
    out
}
