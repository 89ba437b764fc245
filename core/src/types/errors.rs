//! Error bodies as the API sends them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{open_string_enum, JsonMap};

open_string_enum! {
    /// The `error.type` of an error body.
    ErrorType {
        /// 400: the request is malformed (also other 4xx, and spend limits the caller set).
        InvalidRequest = "invalid_request_error",
        /// 401: bad or missing key.
        Authentication = "authentication_error",
        /// 402: a billing problem.
        Billing = "billing_error",
        /// 403: the key may not do this.
        Permission = "permission_error",
        /// 404: no such resource.
        NotFound = "not_found_error",
        /// 409: conflicting state.
        Conflict = "conflict_error",
        /// 413: the request is too large.
        RequestTooLarge = "request_too_large",
        /// 429: rate limited.
        RateLimit = "rate_limit_error",
        /// 500: the API failed.
        Api = "api_error",
        /// 504: the API timed out.
        Timeout = "timeout_error",
        /// 529: the API is overloaded.
        Overloaded = "overloaded_error",
    }
}

/// `{"type":"error","error":{…},"request_id":…}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// Always `error`.
    #[serde(rename = "type", default = "error_kind")]
    pub kind: String,
    /// What went wrong.
    pub error: ErrorObject,
    /// The request's id, as in the `request-id` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

fn error_kind() -> String {
    "error".into()
}

/// The `error` object of an error body or stream `error` event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorObject {
    /// The error's type.
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A message for people.
    #[serde(default)]
    pub message: String,
    /// Machine-readable details, e.g. `{"error_code":"enforced_spend_limit_reached"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl ErrorObject {
    /// `details.error_code`, when present.
    pub fn error_code(&self) -> Option<&str> {
        self.details.as_ref()?.get("error_code")?.as_str()
    }
}
