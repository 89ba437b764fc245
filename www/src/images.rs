//! Images for the next turn: files (picker, drop, paste) read as base64 and URLs, each checked
//! before it is attached — the media type and the 5 MB limit before reading, then the core's
//! own request checks (`validate`: base64, size, the bytes against the declared type).

use anthropic_wasm::types::{ContentBlock, ImageSource, MessageCreateParams, MessageParam};
use anthropic_wasm::validate::{validate, ValidateOptions, IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES};
use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList, FileReader};

use crate::chat::next_id;

/// An image waiting to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    /// Key in the page's list.
    pub id: u64,
    /// The file name or URL, for people.
    pub name: String,
    /// The block sent.
    pub block: ContentBlock,
}

/// Where a thumbnail of the block comes from: a `data:` URL or the image's URL.
pub fn thumbnail(block: &ContentBlock) -> Option<String> {
    match block {
        ContentBlock::Image(image) => match &image.source {
            ImageSource::Base64(base64) => {
                Some(format!("data:{};base64,{}", base64.media_type, base64.data))
            }
            ImageSource::Url(url) => Some(url.url.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The files of a picker, a drop or a paste.
pub fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads and checks an image file; the error says which file and what is wrong with it.
pub async fn read_image(file: File) -> Result<Attachment, String> {
    let name = if file.name().is_empty() {
        "pasted image".to_owned()
    } else {
        file.name()
    };
    let media_type = file.type_();
    if !IMAGE_MEDIA_TYPES.contains(&media_type.as_str()) {
        let declared = if media_type.is_empty() {
            "of an unknown type".to_owned()
        } else {
            format!("of type {media_type}")
        };
        return Err(format!(
            "{name} is {declared}: only JPEG, PNG, GIF and WebP images can be sent."
        ));
    }
    let size = file.size();
    if size > MAX_IMAGE_BYTES as f64 {
        return Err(format!(
            "{name} is {:.1} MB: images can be at most 5 MB. Resize or compress it.",
            size / (1024.0 * 1024.0)
        ));
    }
    let data_url = read_data_url(&file)
        .await
        .map_err(|e| format!("{name} could not be read: {e}"))?;
    let data = data_url
        .split_once("base64,")
        .map(|(_, data)| data.to_owned())
        .ok_or_else(|| format!("{name} could not be read as base64."))?;
    checked(name, ContentBlock::image_base64(media_type, data))
}

/// An image the API fetches by URL.
pub fn url_image(url: &str) -> Result<Attachment, String> {
    let url = url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!(
            "{url:?} is not an http(s) URL: the API fetches images by URL; upload a file instead."
        ));
    }
    checked(url.to_owned(), ContentBlock::image_url(url))
}

/// Runs the core's request checks on a request holding just this image.
fn checked(name: String, block: ContentBlock) -> Result<Attachment, String> {
    let probe = MessageCreateParams {
        model: "probe".into(),
        max_tokens: 1,
        messages: vec![MessageParam::user(vec![block.clone()])],
        ..MessageCreateParams::default()
    };
    match validate(&probe, &ValidateOptions::default()) {
        Ok(()) => Ok(Attachment {
            id: next_id(),
            name,
            block,
        }),
        Err(error) => Err(format!("{name} cannot be sent: {}", error.message)),
    }
}

/// The file as a `data:…;base64,…` URL, through a `FileReader`.
async fn read_data_url(file: &File) -> Result<String, String> {
    let reader = FileReader::new().map_err(|_| "no FileReader".to_owned())?;
    let done = Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader
        .read_as_data_url(file)
        .map_err(|_| "the browser refused to read it".to_owned())?;
    JsFuture::from(done)
        .await
        .map_err(|_| "the browser could not read it".to_owned())?;
    reader
        .result()
        .ok()
        .and_then(|result| result.dyn_into::<js_sys::JsString>().ok())
        .map(String::from)
        .ok_or_else(|| "it gave no data".to_owned())
}
