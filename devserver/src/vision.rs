//! Images: base64, the format from the magic number, the size from the header, and a
//! description from the pixels ("a 64×48 PNG image, mostly red (#d01010)").

use std::io::Cursor;

use base64::Engine as _;
use image::{GenericImageView, ImageFormat, ImageReader, Limits};

/// The largest side the API accepts.
pub const MAX_SIDE: u32 = 8000;

/// The most pixels decoded to describe an image (2048 × 2048: 16 MB as RGBA). The API accepts
/// 8000 × 8000, which a 249 KB PNG can claim and which decodes to 245 MB: larger images are
/// described from their header only.
const MAX_DECODED_PIXELS: u64 = 2048 * 2048;

/// The most bytes the decoder may allocate (16-bit RGBA at [`MAX_DECODED_PIXELS`], with room).
const MAX_DECODE_ALLOC: u64 = 64 * 1024 * 1024;

/// Standard base64, padding optional (the API is lenient about it too).
pub fn decode_base64(data: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(data.trim())
}

/// The media type the bytes are, by their magic number.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn format_of(bytes: &[u8]) -> Option<(ImageFormat, &'static str)> {
    Some(match sniff(bytes)? {
        "image/png" => (ImageFormat::Png, "PNG"),
        "image/jpeg" => (ImageFormat::Jpeg, "JPEG"),
        "image/gif" => (ImageFormat::Gif, "GIF"),
        _ => (ImageFormat::WebP, "WebP"),
    })
}

/// A decoder over bytes in memory.
type Reader<'a> = ImageReader<Cursor<&'a [u8]>>;

/// A reader for the bytes' format and its name; `limited` caps the sides at [`MAX_SIDE`] and
/// the allocation at [`MAX_DECODE_ALLOC`] (for decoding).
fn reader(bytes: &[u8], limited: bool) -> Result<(Reader<'_>, &'static str), String> {
    let (format, name) = format_of(bytes).ok_or("not a JPEG, PNG, GIF or WebP image")?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    if limited {
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        reader.limits(limits);
    }
    Ok((reader, name))
}

/// Width and height from the image header.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
    let (reader, _) = reader(bytes, false)?;
    reader.into_dimensions().map_err(|e| e.to_string())
}

/// Tokens an image costs: the API's estimate of width × height / 750.
pub fn image_tokens(width: u32, height: u32) -> usize {
    (u64::from(width) * u64::from(height)).div_ceil(750) as usize
}

/// "a 64×48 PNG image, mostly red (#d01010)", from the decoded pixels; only the size for an
/// image over [`MAX_DECODED_PIXELS`], checked in the header before anything is decoded.
pub fn describe(bytes: &[u8]) -> String {
    let Ok((reader, name)) = reader(bytes, true) else {
        return "an image in a format I cannot read".into();
    };
    if let Ok((width, height)) = dimensions(bytes) {
        if u64::from(width) * u64::from(height) > MAX_DECODED_PIXELS {
            return format!("a {width}×{height} {name} image, too large to look at closely");
        }
    }
    let image = match reader.decode() {
        Ok(image) => image,
        Err(_) => return format!("a {name} image I could not decode"),
    };
    let (width, height) = image.dimensions();
    // At most 128 × 128 samples, spread evenly.
    let step_x = width.div_ceil(128).max(1);
    let step_y = height.div_ceil(128).max(1);
    let mut buckets = vec![(0u64, [0u64; 3]); 512];
    let (mut samples, mut transparent) = (0u64, 0u64);
    for y in (0..height).step_by(step_y as usize) {
        for x in (0..width).step_by(step_x as usize) {
            let [r, g, b, a] = image.get_pixel(x, y).0;
            samples += 1;
            if a < 128 {
                transparent += 1;
                continue;
            }
            let bucket = &mut buckets
                [(usize::from(r >> 5) << 6) | (usize::from(g >> 5) << 3) | usize::from(b >> 5)];
            bucket.0 += 1;
            for (sum, value) in bucket.1.iter_mut().zip([r, g, b]) {
                *sum += u64::from(value);
            }
        }
    }
    let size = format!("a {width}×{height} {name} image");
    let opaque = samples - transparent;
    if opaque == 0 {
        return format!("{size}, fully transparent");
    }
    let Some((count, sums)) = buckets.iter().max_by_key(|(count, _)| *count) else {
        return size;
    };
    let [r, g, b] = sums.map(|sum| (sum / count) as u8);
    let hex = format!("#{r:02x}{g:02x}{b:02x}");
    let colour = colour_name(r, g, b);
    let share = count * 100 / samples;
    let mut text = if share >= 50 {
        format!("{size}, mostly {colour} ({hex})")
    } else {
        format!("{size} in mixed colours, the most common {colour} ({hex}, {share}%)")
    };
    if transparent * 2 > samples {
        text.push_str(", largely transparent");
    }
    text
}

/// A plain colour name from hue, saturation and value.
pub fn colour_name(r: u8, g: u8, b: u8) -> String {
    let (r, g, b) = (
        f64::from(r) / 255.0,
        f64::from(g) / 255.0,
        f64::from(b) / 255.0,
    );
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let (value, chroma) = (max, max - min);
    let saturation = if max == 0.0 { 0.0 } else { chroma / max };
    if value < 0.15 {
        return "black".into();
    }
    if saturation < 0.15 {
        return match value {
            v if v > 0.85 => "white",
            v if v > 0.6 => "light gray",
            v if v > 0.3 => "gray",
            _ => "dark gray",
        }
        .into();
    }
    let hue = if max == r {
        60.0 * ((g - b) / chroma).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / chroma + 2.0)
    } else {
        60.0 * ((r - g) / chroma + 4.0)
    };
    let name = match hue {
        h if !(15.0..345.0).contains(&h) => "red",
        h if h < 45.0 => "orange",
        h if h < 70.0 => "yellow",
        h if h < 160.0 => "green",
        h if h < 200.0 => "cyan",
        h if h < 260.0 => "blue",
        h if h < 290.0 => "purple",
        _ => "pink",
    };
    if value < 0.45 {
        format!("dark {name}")
    } else {
        name.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, y| image::Rgba(pixel(x, y)));
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn describes_a_png_from_its_pixels() {
        let bytes = png(64, 48, |x, _| {
            if x < 48 {
                [208, 16, 16, 255]
            } else {
                [0, 0, 255, 255]
            }
        });
        assert_eq!(sniff(&bytes), Some("image/png"));
        assert_eq!(dimensions(&bytes).unwrap(), (64, 48));
        assert_eq!(describe(&bytes), "a 64×48 PNG image, mostly red (#d01010)");
        let clear = png(4, 4, |_, _| [0, 0, 0, 0]);
        assert_eq!(describe(&clear), "a 4×4 PNG image, fully transparent");
    }

    /// Finding 4: the pixels of an image over the bound are not decoded (a 249 KB PNG of
    /// 8000 × 8000 decoded to 245 MB).
    #[test]
    fn an_image_over_2048_by_2048_pixels_is_not_decoded() {
        let big = png(4097, 1024, |_, _| [208, 16, 16, 255]);
        assert_eq!(
            describe(&big),
            "a 4097×1024 PNG image, too large to look at closely"
        );
        let edge = png(2048, 2048, |_, _| [208, 16, 16, 255]);
        assert_eq!(
            describe(&edge),
            "a 2048×2048 PNG image, mostly red (#d01010)"
        );
    }

    #[test]
    fn names_colours() {
        assert_eq!(colour_name(0, 128, 0), "green");
        assert_eq!(colour_name(20, 20, 200), "blue");
        assert_eq!(colour_name(250, 250, 250), "white");
        assert_eq!(colour_name(10, 10, 10), "black");
        assert_eq!(colour_name(90, 10, 10), "dark red");
        assert_eq!(colour_name(255, 165, 0), "orange");
    }

    #[test]
    fn sniffs_magic_numbers() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a...."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"hello"), None);
        assert!(decode_base64("aGk").is_ok() && decode_base64("aGk=").is_ok());
        assert!(decode_base64("not base64!").is_err());
        assert_eq!(image_tokens(1000, 1000), 1334);
    }
}
