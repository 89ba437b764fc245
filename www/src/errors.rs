//! Errors and retries as the page shows them: the official SDK's class name, the client's own
//! message (which already says what to do), and a hint about this page.

use anthropic_wasm::client::RetryNotice;
use anthropic_wasm::error::{ApiErrorKind, Error, ValidationRule};

/// An error ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// The class the official SDK would throw, e.g. `OverloadedError`.
    pub class: String,
    /// The client's message: what happened and what to do.
    pub message: String,
    /// What to do on this page, when there is more to say.
    pub hint: Option<String>,
}

impl Shown {
    /// A problem found by the page itself (a setting, a file).
    pub fn page(message: impl Into<String>) -> Self {
        Self {
            class: "Check your input".into(),
            message: message.into(),
            hint: None,
        }
    }
}

/// The error as the page shows it.
pub fn describe(error: &Error) -> Shown {
    let class = match error {
        Error::Api(api) | Error::MidStream(api) => match api.kind {
            ApiErrorKind::Other => "APIError".to_owned(),
            kind => format!("{kind:?}Error"),
        },
        Error::Connection { .. } => "APIConnectionError".into(),
        Error::Timeout => "APIConnectionTimeoutError".into(),
        Error::Aborted => "APIUserAbortError".into(),
        Error::InvalidRequest(_) => "InvalidRequestError (not sent)".into(),
        _ => "APIError".into(),
    };
    let kind = error.api_error().map(|api| api.kind);
    let hint = match error {
        Error::InvalidRequest(invalid) if invalid.rule == ValidationRule::PrefillUnsupported => Some(
            "This model does not accept prefill: clear the prefill box or pick another model; \
             for JSON, structured outputs (output_config.format) are the way on newer models."
                .to_owned(),
        ),
        Error::InvalidRequest(_) => Some("Nothing was sent: fix the field named above.".into()),
        Error::Aborted => Some("Stopped by you; what had arrived is kept.".into()),
        Error::Connection { .. } => Some(
            "Is the server running at the address in Connection? (scripts/demo.sh starts the local one.)"
                .into(),
        ),
        _ if kind == Some(ApiErrorKind::Authentication) => {
            Some("Check the key in Connection, or use the local server.".into())
        }
        _ if error.api_error().is_some_and(|api| api.status.is_none()) => {
            Some("The reply so far is kept: Continue resumes it from where it was cut (a second request, with it as a prefill), or delete it and Resend.".into())
        }
        _ => None,
    };
    Shown {
        class,
        message: error.to_string(),
        hint,
    }
}

/// "overloaded (529), retrying in 0.5 s (retry 1)".
pub fn retry_text(notice: &RetryNotice<'_>) -> String {
    let what = match notice.error {
        Error::Timeout => "timed out".to_owned(),
        Error::Connection { .. } => "connection failed".to_owned(),
        error => {
            let kind = error
                .api_error()
                .map(|api| api.error.kind.to_string())
                .unwrap_or_else(|| "server error".into());
            let words = kind.trim_end_matches("_error").replace('_', " ");
            match error.status() {
                Some(status) => format!("{words} ({status})"),
                None => words,
            }
        }
    };
    format!(
        "{what}, retrying in {:.1} s (retry {})",
        notice.delay.as_secs_f64(),
        notice.attempt
    )
}
