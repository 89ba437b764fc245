//! Models and list pagination.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::JsonMap;

/// One model, from `GET /v1/models`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// The model id.
    pub id: String,
    /// Always `model`.
    #[serde(rename = "type", default = "model_kind")]
    pub kind: String,
    /// A name for people.
    #[serde(default)]
    pub display_name: String,
    /// RFC 3339 release time.
    #[serde(default)]
    pub created_at: String,
    /// Context window (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_tokens: Option<u64>,
    /// Output limit (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u64>,
    /// Capability flags, each `{ supported: bool }` (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Value>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

fn model_kind() -> String {
    "model".into()
}

/// One page of a list (`models`, `batches`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Whether another page follows in the direction paged.
    #[serde(default)]
    pub has_more: bool,
    /// Id of the first item, the cursor for the previous page.
    #[serde(default)]
    pub first_id: Option<String>,
    /// Id of the last item, the cursor for the next page.
    #[serde(default)]
    pub last_id: Option<String>,
}

/// Query parameters of a list call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListParams {
    /// Items per page (1–1000, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Items before this id (paging backwards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_id: Option<String>,
    /// Items after this id (paging forwards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_id: Option<String>,
}

impl ListParams {
    /// The query string, with `?` when not empty. Ids are percent-encoded.
    pub fn query(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(format!("limit={limit}"));
        }
        if let Some(id) = &self.before_id {
            pairs.push(format!("before_id={}", percent_encode(id)));
        }
        if let Some(id) = &self.after_id {
            pairs.push(format!("after_id={}", percent_encode(id)));
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// The parameters for the page after `page` in the same direction, or `None` at the end.
    /// Paging backwards (`before_id` given) continues from `first_id`, forwards from `last_id`.
    pub fn next<T>(&self, page: &Page<T>) -> Option<Self> {
        if !page.has_more {
            return None;
        }
        let mut next = self.clone();
        if self.before_id.is_some() {
            next.before_id = Some(page.first_id.clone()?);
        } else {
            next.after_id = Some(page.last_id.clone()?);
        }
        Some(next)
    }
}

pub use crate::request::percent_encode;
