//! Helpers over the client, for what most applications write around `messages.create`: a
//! [`Conversation`] that keeps its history (within a token budget if asked), a [`ToolRunner`]
//! that loops `create → tool_use → run the tools → tool_result` until the model answers,
//! structured outputs parsed into a serde type ([`structured`]), prefill ([`prefill`]), and a
//! reply that failed part-way resumed as a prefill continuation ([`resume`]).
//!
//! The rules that decide what a valid history is ([`history`]) are pure and shared with the JS
//! helpers through the wasm boundary.

pub mod conversation;
mod error;
pub mod history;
pub mod prefill;
pub mod resume;
pub mod structured;
pub mod tools;

pub use conversation::{Conversation, ConversationStream, TokenBudget, TokenCounter, Trimmed};
pub use error::{HelperError, ParseError};
pub use structured::Parsed;
pub use tools::{RunnableTool, RunnerEvent, ToolRunner};
