//! Names for the `anthropic-beta` header. Any string is accepted where a beta is expected;
//! these are the ones the API reference lists, so that callers need not copy dated strings.

/// Message Batches (GA now; older deployments wanted the header).
pub const MESSAGE_BATCHES: &str = "message-batches-2024-09-24";
/// Token counting (GA now; older deployments wanted the header).
pub const TOKEN_COUNTING: &str = "token-counting-2024-11-01";
/// The Files API.
pub const FILES_API: &str = "files-api-2025-04-14";
/// Thinking between tool calls.
pub const INTERLEAVED_THINKING: &str = "interleaved-thinking-2025-05-14";
/// The one-hour prompt cache TTL.
pub const EXTENDED_CACHE_TTL: &str = "extended-cache-ttl-2025-04-11";
/// A 1M-token context window on models that offer it.
pub const CONTEXT_1M: &str = "context-1m-2025-08-07";
/// Context editing (`context_management`).
pub const CONTEXT_MANAGEMENT: &str = "context-management-2025-06-27";
/// The MCP connector (`mcp_servers`).
pub const MCP_CLIENT: &str = "mcp-client-2025-11-20";
/// Up to 128k output tokens on models that offer it.
pub const OUTPUT_128K: &str = "output-128k-2025-02-19";
/// Up to 300k output tokens (2026) on models that offer it.
pub const OUTPUT_300K: &str = "output-300k-2026-03-24";
/// Fast mode (`speed: "fast"`, 2026).
pub const FAST_MODE: &str = "fast-mode-2026-02-01";
/// Prompt-cache diagnostics (`diagnostics.previous_message_id`, 2026).
pub const CACHE_DIAGNOSIS: &str = "cache-diagnosis-2026-04-07";
/// `stop_reason: "model_context_window_exceeded"` on older deployments.
pub const MODEL_CONTEXT_WINDOW_EXCEEDED: &str = "model-context-window-exceeded-2025-08-26";
