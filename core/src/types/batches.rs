//! Message Batches.

use serde::{Deserialize, Serialize};

use super::{
    open_string_enum, open_tagged_enum, ErrorResponse, JsonMap, Message, MessageCreateParams,
};

/// The body of `POST /v1/messages/batches`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchCreateParams {
    /// The requests, each with an id unique in the batch.
    pub requests: Vec<BatchRequest>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One request of a batch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchRequest {
    /// The caller's id for matching results (results come in any order).
    pub custom_id: String,
    /// A non-streaming create body.
    pub params: MessageCreateParams,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_string_enum! {
    /// Where a batch is in its life.
    ProcessingStatus {
        /// Requests are being processed.
        InProgress = "in_progress",
        /// Cancellation was asked for and is under way.
        Canceling = "canceling",
        /// Processing ended; results are available.
        Ended = "ended",
    }
}

/// A Message Batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageBatch {
    /// `msgbatch_…`.
    pub id: String,
    /// Always `message_batch`.
    #[serde(rename = "type", default = "batch_kind")]
    pub kind: String,
    /// Where the batch is in its life.
    pub processing_status: ProcessingStatus,
    /// Requests by state.
    #[serde(default)]
    pub request_counts: RequestCounts,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created_at: String,
    /// RFC 3339 expiry (24 h after creation).
    #[serde(default)]
    pub expires_at: String,
    /// When processing ended.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// When cancellation was asked for.
    #[serde(default)]
    pub cancel_initiated_at: Option<String>,
    /// When the batch was archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Where the JSONL results are, once processing ended.
    #[serde(default)]
    pub results_url: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

fn batch_kind() -> String {
    "message_batch".into()
}

/// Requests of a batch by state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestCounts {
    /// Still processing.
    #[serde(default)]
    pub processing: u64,
    /// Succeeded.
    #[serde(default)]
    pub succeeded: u64,
    /// Failed.
    #[serde(default)]
    pub errored: u64,
    /// Canceled before processing.
    #[serde(default)]
    pub canceled: u64,
    /// Expired before processing.
    #[serde(default)]
    pub expired: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The reply of `DELETE /v1/messages/batches/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeletedMessageBatch {
    /// The deleted batch's id.
    pub id: String,
    /// Always `message_batch_deleted`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One line of a batch's JSONL results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchResultLine {
    /// The request's `custom_id`.
    pub custom_id: String,
    /// How it went.
    pub result: BatchResult,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl BatchResultLine {
    /// Reads one JSONL line (surrounding white space, such as `\r`, is ignored).
    pub fn from_line(line: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(line.trim())
    }
}

open_tagged_enum! {
    /// The outcome of one batch request.
    BatchResult {
        /// The reply.
        Succeeded(Box<SucceededResult>) = "succeeded",
        /// The error the request met.
        Errored(ErroredResult) = "errored",
        /// The batch was canceled before this request ran.
        Canceled(JsonMap) = "canceled",
        /// The batch expired before this request ran.
        Expired(JsonMap) = "expired",
    }
}

/// `{ "type": "succeeded", "message": … }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SucceededResult {
    /// The reply.
    pub message: Message,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `{ "type": "errored", "error": … }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErroredResult {
    /// The error body.
    pub error: ErrorResponse,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}
