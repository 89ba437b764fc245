//! The Files API, in memory: upload (multipart, one `file` part), list (newest first, by
//! `page` cursor, `ids[]` filter), metadata, download, delete, with the API's errors and their
//! `error_code`s. Messages may name an uploaded file in an image or document source.

use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};

use crate::apierror::ApiError;
use crate::http::{Body, Request, Response};
use crate::ids::{new_id, now_unix, rfc3339};
use crate::State;

/// The API's largest file.
const MAX_FILE_BYTES: usize = 500 * 1024 * 1024;

/// Every file held, newest first.
#[derive(Default)]
pub struct Store(Mutex<Vec<File>>);

struct File {
    /// The metadata as the API sends it.
    meta: Value,
    bytes: Vec<u8>,
}

impl File {
    fn id(&self) -> &str {
        self.meta["id"].as_str().unwrap_or_default()
    }
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Vec<File>> {
        self.0.lock().unwrap_or_else(|poison| poison.into_inner())
    }

    /// The MIME type of the file `id`, if it is held.
    pub fn mime_type(&self, id: &str) -> Option<String> {
        let files = self.lock();
        let file = files.iter().find(|f| f.id() == id)?;
        file.meta["mime_type"].as_str().map(str::to_owned)
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("File not found: {id}"))
}

/// `POST /v1/files`.
pub fn upload(state: &Arc<State>, request: &Request) -> Result<Response, ApiError> {
    let part = file_part(request)?;
    if part.bytes.len() > MAX_FILE_BYTES {
        return Err(ApiError::new(
            413,
            anthropic_wasm_core::types::ErrorType::RequestTooLarge,
            format!("File exceeds the maximum size of {MAX_FILE_BYTES} bytes"),
        ));
    }
    let mut files = state.files.lock();
    let held: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    if held + part.bytes.len() as u64 > state.config.files_quota {
        return Err(ApiError::invalid(format!(
            "Storage quota exceeded: {held} of {} bytes are in use",
            state.config.files_quota
        ))
        .with_details(json!({"error_code": "storage_quota_exceeded"})));
    }
    let meta = json!({
        "id": new_id("file_"),
        "type": "file",
        "filename": part.filename,
        "mime_type": part.mime_type,
        "size_bytes": part.bytes.len(),
        "created_at": rfc3339(now_unix()),
        "downloadable": state.config.downloadable_uploads,
    });
    files.insert(
        0,
        File {
            meta: meta.clone(),
            bytes: part.bytes,
        },
    );
    Ok(Response::json(200, &meta))
}

/// `GET /v1/files`: `limit` (1–1000, default 20), `page` (the cursor of `next_page`), `ids`.
pub fn list(state: &Arc<State>, request: &Request) -> Result<Response, ApiError> {
    let limit = match request.query_param("limit") {
        None => 20,
        Some(text) => match text.parse::<usize>() {
            Ok(limit) if (1..=1000).contains(&limit) => limit,
            _ => return Err(ApiError::invalid(
                "limit: Input should be greater than or equal to 1 and less than or equal to 1000",
            )),
        },
    };
    // `ids[]=a&ids[]=b`, as SDK 1.15 sends a list, or `ids=a,b`.
    let mut ids = request.query_params("ids[]");
    ids.extend(
        request
            .query_params("ids")
            .iter()
            .flat_map(|v| v.split(',').map(str::to_owned)),
    );
    let wanted = (!ids.is_empty()).then_some(ids);
    let files = state.files.lock();
    let chosen: Vec<&File> = files
        .iter()
        .filter(|f| {
            wanted
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| id == f.id()))
        })
        .collect();
    let start = match request.query_param("page") {
        None => 0,
        Some(cursor) => chosen
            .iter()
            .position(|f| f.id() == cursor)
            .ok_or_else(|| ApiError::invalid(format!("page: no page starts at '{cursor}'")))?,
    };
    let end = (start + limit).min(chosen.len());
    let data: Vec<&Value> = chosen[start..end].iter().map(|f| &f.meta).collect();
    Ok(Response::json(
        200,
        &json!({
            "data": data,
            "has_more": end < chosen.len(),
            "first_id": data.first().map(|m| &m["id"]),
            "last_id": data.last().map(|m| &m["id"]),
            "next_page": chosen.get(end).map(|f| f.id()),
        }),
    ))
}

/// `GET /v1/files/{id}`.
pub fn metadata(state: &Arc<State>, id: &str) -> Result<Response, ApiError> {
    let files = state.files.lock();
    let file = files
        .iter()
        .find(|f| f.id() == id)
        .ok_or_else(|| not_found(id))?;
    Ok(Response::json(200, &file.meta))
}

/// `GET /v1/files/{id}/content`: the bytes of a downloadable file.
pub fn download(state: &Arc<State>, id: &str) -> Result<Response, ApiError> {
    let files = state.files.lock();
    let file = files
        .iter()
        .find(|f| f.id() == id)
        .ok_or_else(|| not_found(id))?;
    if file.meta["downloadable"] != Value::Bool(true) {
        return Err(ApiError::invalid(format!(
            "File {id} cannot be downloaded: only files made by the API's tools can"
        ))
        .with_details(json!({"error_code": "file_not_downloadable"})));
    }
    let mime = file.meta["mime_type"]
        .as_str()
        .unwrap_or("application/octet-stream");
    Ok(Response {
        status: 200,
        headers: vec![("content-type".into(), mime.to_owned())],
        body: Body::Full(file.bytes.clone()),
        delivery: Default::default(),
    })
}

/// `DELETE /v1/files/{id}`.
pub fn delete(state: &Arc<State>, id: &str) -> Result<Response, ApiError> {
    let mut files = state.files.lock();
    let at = files
        .iter()
        .position(|f| f.id() == id)
        .ok_or_else(|| not_found(id))?;
    files.remove(at);
    Ok(Response::json(
        200,
        &json!({"id": id, "type": "file_deleted"}),
    ))
}

/// Every `file_id` a message body names in an image or document source: each must be held,
/// and of a type the block can read.
pub fn check_sources(state: &Arc<State>, body: &Value) -> Result<(), ApiError> {
    let mut found = Vec::new();
    file_sources(body, &mut found);
    for (kind, id) in found {
        let mime = state.files.mime_type(&id).ok_or_else(|| not_found(&id))?;
        let readable = match kind.as_str() {
            "image" => mime.starts_with("image/"),
            _ => mime == "application/pdf" || mime.starts_with("text/"),
        };
        if !readable {
            return Err(ApiError::invalid(format!(
                "File {id} has type {mime}, which the {kind} block cannot read"
            )));
        }
    }
    Ok(())
}

/// The `(block type, file_id)` of every `{"type": "image"|"document", "source": {"type": "file"}}`.
fn file_sources(value: &Value, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            let block = map.get("type").and_then(Value::as_str);
            let source = map.get("source");
            if let (Some(kind @ ("image" | "document")), Some(source)) = (block, source) {
                if source["type"] == "file" {
                    if let Some(id) = source["file_id"].as_str() {
                        found.push((kind.to_owned(), id.to_owned()));
                    }
                }
            }
            map.values().for_each(|v| file_sources(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| file_sources(v, found)),
        _ => {}
    }
}

/// One uploaded part.
struct Part {
    filename: String,
    mime_type: String,
    bytes: Vec<u8>,
}

/// The `file` part of a `multipart/form-data` body.
fn file_part(request: &Request) -> Result<Part, ApiError> {
    let content_type = request.header("content-type").unwrap_or_default();
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .filter(|_| content_type.starts_with("multipart/form-data"))
        .ok_or_else(|| ApiError::invalid("Expected a multipart/form-data body with a `file` part"))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut parts = split(body, delimiter.as_bytes());
    parts.next(); // the preamble
    for part in parts {
        let Some(end) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..end]);
        let content = part[end + 4..]
            .strip_suffix(b"\r\n")
            .unwrap_or(&part[end + 4..]);
        let mut name = None;
        let mut filename = None;
        let mut mime = None;
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                name = attribute(line, "name");
                filename = attribute(line, "filename");
            } else if let Some(value) = lower.strip_prefix("content-type:") {
                mime = Some(value.trim().to_owned());
            }
        }
        if name.as_deref() == Some("file") {
            return Ok(Part {
                filename: filename.unwrap_or_else(|| "upload".into()),
                mime_type: mime.unwrap_or_else(|| "application/octet-stream".into()),
                bytes: content.to_vec(),
            });
        }
    }
    Err(ApiError::invalid("file: Field required"))
}

/// `name="value"` of a header line.
fn attribute(line: &str, name: &str) -> Option<String> {
    line.split(';').find_map(|p| {
        let value = p.trim().strip_prefix(name)?.strip_prefix('=')?;
        Some(value.trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The pieces of `body` between occurrences of `delimiter`, each without its leading line end.
fn split<'a>(body: &'a [u8], delimiter: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(body);
    std::iter::from_fn(move || {
        let current = rest?;
        match find(current, delimiter) {
            Some(at) => {
                rest = Some(&current[at + delimiter.len()..]);
                let piece = &current[..at];
                Some(piece.strip_prefix(b"\r\n").unwrap_or(piece))
            }
            None => {
                rest = None;
                // After the last delimiter comes `--`: nothing more.
                None
            }
        }
    })
}
