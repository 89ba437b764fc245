//! What the helpers add to the client's errors.

use core::fmt;

use crate::error::Error;
use crate::types::{Message, MessageParam, StopReason};

/// A helper's failure: the request's own error, or one of the helper's checks.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum HelperError {
    /// The request failed: API error, network, timeout, abort, or a check before sending.
    Client(Error),
    /// The tool runner made its `limit` requests and the model still asked for tools. The
    /// history ends with the results of the last tool calls, so it can be sent again as is.
    MaxIterations {
        /// The bound that was reached.
        limit: u32,
        /// The whole conversation so far.
        messages: Vec<MessageParam>,
        /// The last reply (it asked for tools); `None` when the limit is 0.
        last_message: Option<Box<Message>>,
    },
    /// The reply's text is not the JSON the caller expected.
    Parse(Box<ParseError>),
    /// The shortest history that may be sent (from the last user turn that carries no tool
    /// results) is still over the token budget.
    OverBudget {
        /// The budget.
        budget: u64,
        /// What that shortest history counts.
        tokens: u64,
    },
    /// The model answers a prefill with a 400 error (Claude 4.6 and later).
    PrefillUnsupported {
        /// The model asked for.
        model: String,
    },
    /// A partial reply that a prefill cannot continue ([`super::resume::continuation`]).
    NotResumable {
        /// Why not.
        reason: String,
    },
}

/// Text that should have been JSON of a given shape.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// The text as received (with the prefill, for the prefill helpers).
    pub raw: String,
    /// What serde reported.
    pub reason: String,
    /// Why the reply ended: `max_tokens` explains a cut-off JSON.
    pub stop_reason: Option<StopReason>,
}

impl From<Error> for HelperError {
    fn from(error: Error) -> Self {
        Self::Client(error)
    }
}

impl fmt::Display for HelperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Client(error) => write!(f, "{error}"),
            Self::MaxIterations { limit, .. } => write!(
                f,
                "the tool runner reached its limit of {limit} requests and the model still asks for \
                 tools; the error carries the history, which can be sent again with a higher limit"
            ),
            Self::Parse(error) => write!(f, "{error}"),
            Self::OverBudget { budget, tokens } => write!(
                f,
                "the last user turn alone needs {tokens} input tokens, over the budget of {budget}"
            ),
            Self::PrefillUnsupported { model } => write!(
                f,
                "{model} does not support prefill (a final assistant turn): the API answers it with \
                 a 400 error. Use structured outputs instead (`output_config.format` with a JSON \
                 schema: helpers::structured::parse), or a model that accepts prefill"
            ),
            Self::NotResumable { reason } => write!(f, "the reply cannot be resumed: {reason}"),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the reply is not the JSON expected: {}", self.reason)?;
        if self.stop_reason == Some(StopReason::MaxTokens) {
            f.write_str(" (the reply was cut by max_tokens: raise it)")?;
        }
        Ok(())
    }
}

impl std::error::Error for HelperError {}

impl std::error::Error for ParseError {}
