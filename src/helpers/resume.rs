//! Resuming a reply that failed part-way (an error event, a cut connection, a stall): the
//! request is sent again with the text that arrived as a prefill, and the partial reply and its
//! continuation are stitched into one message. Opt-in: the continuation is a second request,
//! billed as one, and only models that accept prefill can continue a reply this way.
//!
//! ```no_run
//! # async fn demo<T: anthropic_wasm::client::transport::Transport>(client: anthropic_wasm::client::Client<T>, params: anthropic_wasm::types::MessageCreateParams) -> Result<(), anthropic_wasm::helpers::HelperError> {
//! use anthropic_wasm::client::RequestOptions;
//! use anthropic_wasm::helpers::resume::{continuation, stitch};
//!
//! let options = RequestOptions::default();
//! let mut stream = client.messages().stream(&params, &options).await?;
//! if let Err(_cut) = stream.final_message().await {
//!     if let Some(partial) = stream.snapshot() {
//!         let next = continuation(&params, &partial)?;
//!         let rest = client.messages().stream(&next, &options).await?.final_message().await?;
//!         let resumed = stitch(&partial, &rest);
//!         println!("{}", resumed.message.text());
//!     }
//! }
//! # Ok(()) }
//! ```

use super::HelperError;
use crate::types::{
    ContentBlock, Message, MessageCreateParams, MessageParam, Role, ThinkingConfig, Usage,
};
use crate::validate::model_rejects_prefill;

/// A reply stitched from a partial reply and its continuation.
#[derive(Clone, Debug, PartialEq)]
pub struct Resumed {
    /// The whole reply: the partial reply's blocks, its last text joined with the
    /// continuation's, then the continuation's other blocks; the continuation's id, stop reason
    /// and stop sequence; the usage of both requests added up.
    pub message: Message,
    /// What the first request used (as far as the partial reply reported it).
    pub partial_usage: Usage,
    /// What the continuation used.
    pub continuation_usage: Usage,
}

/// The request that continues `partial`, a reply to `params` cut short: `params` with the
/// partial text as a prefill (after the request's own prefill, if it had one; trailing white
/// space removed, as the API requires), and `max_tokens` less what the partial reply used.
/// Refused with [`HelperError::NotResumable`] when the reply cannot be continued by a prefill
/// (no text yet, a tool call or thinking in it, thinking on), and with
/// [`HelperError::PrefillUnsupported`] for a model that refuses prefill.
pub fn continuation(
    params: &MessageCreateParams,
    partial: &Message,
) -> Result<MessageCreateParams, HelperError> {
    let refuse = |reason: &str| {
        Err(HelperError::NotResumable {
            reason: reason.to_owned(),
        })
    };
    if model_rejects_prefill(&params.model) {
        return Err(HelperError::PrefillUnsupported {
            model: params.model.clone(),
        });
    }
    if matches!(
        params.thinking,
        Some(ThinkingConfig::Enabled(_) | ThinkingConfig::Adaptive(_))
    ) {
        return refuse("thinking is on");
    }
    if !partial
        .content
        .iter()
        .all(|block| matches!(block, ContentBlock::Text(_)))
    {
        return refuse("it holds a tool call or thinking");
    }
    let text = partial.text();
    if text.trim().is_empty() {
        return refuse("no text arrived");
    }
    let mut next = params.clone();
    let earlier = match next.messages.last() {
        Some(last) if last.role == Role::Assistant => {
            let prefill = last.content.text();
            next.messages.pop();
            prefill
        }
        _ => String::new(),
    };
    next.messages.push(MessageParam::assistant(
        format!("{earlier}{text}").trim_end().to_owned(),
    ));
    let used = u32::try_from(partial.usage.output_tokens).unwrap_or(u32::MAX);
    next.max_tokens = params.max_tokens.saturating_sub(used).max(1);
    Ok(next)
}

/// One reply from `partial` and `continuation` (the reply to [`continuation`]'s request).
pub fn stitch(partial: &Message, continuation: &Message) -> Resumed {
    let mut content = partial.content.clone();
    let mut rest = continuation.content.iter().cloned().peekable();
    // The prefill was sent without its trailing white space; the continuation starts there.
    if let (Some(ContentBlock::Text(last)), Some(ContentBlock::Text(_))) =
        (content.last_mut(), rest.peek())
    {
        if let Some(ContentBlock::Text(first)) = rest.next() {
            let kept = last.text.trim_end().len();
            last.text.truncate(kept);
            last.text.push_str(&first.text);
        }
    }
    content.extend(rest);
    let message = Message {
        content,
        usage: added(&partial.usage, &continuation.usage),
        ..continuation.clone()
    };
    Resumed {
        message,
        partial_usage: partial.usage.clone(),
        continuation_usage: continuation.usage.clone(),
    }
}

/// The tokens of two requests together.
fn added(a: &Usage, b: &Usage) -> Usage {
    let sum = |x: Option<u64>, y: Option<u64>| match (x, y) {
        (None, None) => None,
        (x, y) => Some(x.unwrap_or(0) + y.unwrap_or(0)),
    };
    Usage {
        input_tokens: a.input_tokens + b.input_tokens,
        output_tokens: a.output_tokens + b.output_tokens,
        cache_creation_input_tokens: sum(
            a.cache_creation_input_tokens,
            b.cache_creation_input_tokens,
        ),
        cache_read_input_tokens: sum(a.cache_read_input_tokens, b.cache_read_input_tokens),
        ..b.clone()
    }
}
