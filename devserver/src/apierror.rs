//! Errors as the API sends them: `{"type":"error","error":{"type":…,"message":…},"request_id":…}`
//! with the status that goes with the type.

use anthropic_wasm_core::types::{ErrorObject, ErrorResponse, ErrorType, JsonMap};

use crate::http::Response;

/// An error answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub kind: ErrorType,
    pub message: String,
    /// Machine-readable `error.details` (`{"error_code": …}`), when the API gives them.
    pub details: Option<serde_json::Value>,
    /// Extra response headers (`retry-after`, `x-should-retry`…).
    pub headers: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(status: u16, kind: ErrorType, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            message: message.into(),
            details: None,
            headers: Vec::new(),
        }
    }

    /// 400 `invalid_request_error`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, ErrorType::InvalidRequest, message)
    }

    /// 404 `not_found_error`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, ErrorType::NotFound, message)
    }

    /// 401 `authentication_error`.
    pub fn authentication(message: impl Into<String>) -> Self {
        Self::new(401, ErrorType::Authentication, message)
    }

    /// 500 `api_error`.
    pub fn internal() -> Self {
        Self::new(500, ErrorType::Api, "Internal server error")
    }

    /// 413 `request_too_large`, as the API's edge answers an oversized body.
    pub fn too_large() -> Self {
        Self::new(
            413,
            ErrorType::RequestTooLarge,
            "Request exceeds the maximum allowed number of bytes.",
        )
    }

    /// 529 `overloaded_error`, "Overloaded".
    pub fn overloaded() -> Self {
        Self::new(529, ErrorType::Overloaded, "Overloaded")
    }

    /// The error the API answers with that status, with its usual message; `None` for a status
    /// the API does not use for errors.
    pub fn for_status(status: u16) -> Option<Self> {
        let (kind, message) = match status {
            400 => (ErrorType::InvalidRequest, "Invalid request"),
            401 => (ErrorType::Authentication, "invalid x-api-key"),
            402 => (
                ErrorType::Billing,
                "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
            ),
            403 => (
                ErrorType::Permission,
                "Your API key does not have permission to use the specified resource.",
            ),
            404 => (ErrorType::NotFound, "The requested resource could not be found."),
            408 => (ErrorType::Timeout, "Request timed out"),
            409 => (ErrorType::Conflict, "Conflict"),
            413 => (
                ErrorType::RequestTooLarge,
                "Request exceeds the maximum allowed number of bytes.",
            ),
            429 => (
                ErrorType::RateLimit,
                "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.",
            ),
            500 => (ErrorType::Api, "Internal server error"),
            504 => (ErrorType::Timeout, "Request timed out"),
            529 => (ErrorType::Overloaded, "Overloaded"),
            _ => return None,
        };
        Some(Self::new(status, kind, message))
    }

    /// Sets `error.details`.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The error body.
    pub fn body(&self, request_id: &str) -> ErrorResponse {
        ErrorResponse {
            kind: "error".into(),
            error: ErrorObject {
                kind: self.kind.clone(),
                message: self.message.clone(),
                details: self.details.clone(),
                extra: JsonMap::new(),
            },
            request_id: Some(request_id.to_owned()),
            extra: JsonMap::new(),
        }
    }

    /// The whole response.
    pub fn response(&self, request_id: &str) -> Response {
        let mut response = Response::json(self.status, &self.body(request_id));
        response.headers.extend(self.headers.iter().cloned());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_the_api_shape() {
        let body = ApiError::authentication("invalid x-api-key").body("req_1");
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            serde_json::json!({
                "type": "error",
                "error": {"type": "authentication_error", "message": "invalid x-api-key"},
                "request_id": "req_1"
            })
        );
        assert_eq!(
            ApiError::for_status(529).unwrap().kind,
            ErrorType::Overloaded
        );
        assert!(ApiError::for_status(418).is_none());
    }
}
