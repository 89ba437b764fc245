//! A conversation: the system prompt, the history, the model and its parameters, one call per
//! user turn. The history changes only when a reply arrives, so a failed call can simply be
//! made again.
//!
//! ```no_run
//! # async fn demo<T: anthropic_wasm::client::transport::Transport>(client: anthropic_wasm::client::Client<T>) -> Result<(), anthropic_wasm::helpers::HelperError> {
//! use anthropic_wasm::client::RequestOptions;
//! use anthropic_wasm::helpers::{Conversation, TokenBudget, TokenCounter};
//! use anthropic_wasm::types::ContentBlock;
//!
//! let mut chat = Conversation::new(client, "claude-sonnet-4-5", 1024)
//!     .with_system("You are terse.")
//!     .with_token_budget(TokenBudget { max_input_tokens: 50_000, counter: TokenCounter::CountTokens });
//! let reply = chat.send("Hello!", &RequestOptions::default()).await?;
//! println!("{}", reply.text());
//! let photo = ContentBlock::image_base64("image/png", "iVBORw0KGgo…");
//! let mut stream = chat.stream(vec![ContentBlock::text("What is this?"), photo], &RequestOptions::default()).await?;
//! while let Some(event) = stream.next_event().await { event?; }
//! stream.final_message().await?; // the reply joins the history here
//! let saved = chat.export_json();
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};

use super::history::{self, estimate_tokens, Fit};
use super::HelperError;
use crate::client::transport::Transport;
use crate::client::{Client, MessageStream, RequestOptions};
use crate::error::{Error, ValidationError, ValidationRule};
use crate::types::{
    ContentBlock, CountTokensParams, Message, MessageContent, MessageCreateParams, MessageParam,
    StreamEvent, SystemPrompt,
};
use crate::validate::normalize;

/// How input tokens are counted for a budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenCounter {
    /// `messages.count_tokens`: exact, one small request per probe (about 1 + log₂(turns)).
    CountTokens,
    /// [`history::estimate_tokens`]: offline and free, an estimate (leave a margin).
    Estimate,
}

/// The most input tokens a request may use; the oldest turns are dropped to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenBudget {
    /// Input tokens (system prompt, tools and messages).
    pub max_input_tokens: u64,
    /// How they are counted.
    pub counter: TokenCounter,
}

/// What [`Conversation::trim`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trimmed {
    /// Turns dropped from the start of the history.
    pub dropped: usize,
    /// Input tokens of the history left, as counted.
    pub tokens: u64,
}

/// The part of a conversation that is saved and restored: the system prompt and the turns.
#[derive(Serialize, Deserialize)]
struct Saved {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    system: Option<SystemPrompt>,
    messages: Vec<MessageParam>,
}

/// A conversation with a model. Parameters other than the history (`tools`, `temperature`,
/// `thinking`, …) are set through [`Self::params_mut`] and sent with every turn.
pub struct Conversation<T: Transport> {
    client: Client<T>,
    params: MessageCreateParams,
    budget: Option<TokenBudget>,
    keep_partial_replies: bool,
}

impl<T: Transport> Conversation<T> {
    /// An empty conversation with `model`, replies of at most `max_tokens`.
    pub fn new(client: Client<T>, model: impl Into<String>, max_tokens: u32) -> Self {
        Self::from_params(
            client,
            MessageCreateParams {
                model: model.into(),
                max_tokens,
                ..MessageCreateParams::default()
            },
        )
    }

    /// A conversation whose every turn is sent with `params`; its `messages` are the history.
    pub fn from_params(client: Client<T>, params: MessageCreateParams) -> Self {
        Self {
            client,
            params,
            budget: None,
            keep_partial_replies: false,
        }
    }

    /// Sets a plain-text system prompt.
    pub fn with_system(mut self, system: impl Into<String>) -> Self {
        self.params.system = Some(SystemPrompt::Text(system.into()));
        self
    }

    /// Drops the oldest turns before each call so that its input fits `budget`.
    pub fn with_token_budget(mut self, budget: TokenBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// When a streamed reply fails midway, keep the user turn and the text that arrived as the
    /// assistant turn (tool calls and thinking of the unfinished reply are left out: they
    /// cannot be sent back incomplete). Off by default: a failure leaves the history unchanged.
    pub fn keep_partial_replies(mut self, keep: bool) -> Self {
        self.keep_partial_replies = keep;
        self
    }

    /// The parameters sent with every turn; `messages` is the history.
    pub fn params(&self) -> &MessageCreateParams {
        &self.params
    }

    /// The parameters, to change the model, tools, sampling, system prompt or history.
    pub fn params_mut(&mut self) -> &mut MessageCreateParams {
        &mut self.params
    }

    /// The history.
    pub fn messages(&self) -> &[MessageParam] {
        &self.params.messages
    }

    /// Sends a user turn (text, or blocks with images and documents) and returns the reply,
    /// which joins the history with the turn. On failure the history is unchanged.
    pub async fn send(
        &mut self,
        content: impl Into<MessageContent>,
        options: &RequestOptions,
    ) -> Result<Message, HelperError> {
        let request = self.request(content.into(), options).await?;
        let reply = self.client.messages().create(&request, options).await?;
        let message = reply.into_inner();
        self.commit(request.messages, &message.content);
        Ok(message)
    }

    /// Sends a user turn and streams the reply; [`ConversationStream::final_message`] adds
    /// both to the history. Dropping the stream cancels the request and leaves the history as
    /// it was.
    pub async fn stream(
        &mut self,
        content: impl Into<MessageContent>,
        options: &RequestOptions,
    ) -> Result<ConversationStream<'_, T>, HelperError> {
        let request = self.request(content.into(), options).await?;
        let stream = self.client.messages().stream(&request, options).await?;
        Ok(ConversationStream {
            conversation: self,
            sent: request.messages,
            stream,
        })
    }

    /// Drops the oldest turns so that a request with the history alone fits `budget`.
    pub async fn trim(
        &mut self,
        budget: &TokenBudget,
        options: &RequestOptions,
    ) -> Result<Trimmed, HelperError> {
        let fit = self.fit(&self.params, budget, options).await?;
        self.params.messages.drain(..fit.dropped);
        Ok(Trimmed {
            dropped: fit.dropped,
            tokens: fit.tokens,
        })
    }

    /// Merges consecutive turns of the same role and drops empty text blocks and empty turns
    /// (what the API would do), see [`crate::validate::normalize`].
    pub fn normalize(&mut self) {
        normalize(&mut self.params.messages);
    }

    /// The system prompt and the history as JSON: `{"system": …, "messages": […]}`.
    pub fn export_json(&self) -> String {
        let saved = Saved {
            system: self.params.system.clone(),
            messages: self.params.messages.clone(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Replaces the system prompt and the history with those of [`Self::export_json`]'s JSON.
    pub fn import_json(&mut self, json: &str) -> Result<(), HelperError> {
        let saved: Saved = serde_json::from_str(json).map_err(|e| {
            Error::InvalidRequest(ValidationError::new(
                "",
                ValidationRule::Shape,
                format!("not a saved conversation ({{\"system\"?, \"messages\"}}): {e}"),
            ))
        })?;
        self.params.system = saved.system;
        self.params.messages = saved.messages;
        Ok(())
    }

    /// The request for a new user turn: the history (cut to the budget) and the turn.
    async fn request(
        &self,
        content: MessageContent,
        options: &RequestOptions,
    ) -> Result<MessageCreateParams, HelperError> {
        let mut request = self.params.clone();
        request.messages.push(MessageParam::user(content));
        if let Some(budget) = &self.budget {
            let fit = self.fit(&request, budget, options).await?;
            request.messages.drain(..fit.dropped);
        }
        Ok(request)
    }

    /// Where `params`' history must start for its input to fit `budget`.
    async fn fit(
        &self,
        params: &MessageCreateParams,
        budget: &TokenBudget,
        options: &RequestOptions,
    ) -> Result<Fit, HelperError> {
        let counting = CountTokensParams::from(params);
        history::fit(&params.messages, budget.max_input_tokens, |start| {
            let mut probe = counting.clone();
            probe.messages.drain(..start);
            async move {
                match budget.counter {
                    TokenCounter::Estimate => Ok(estimate_tokens(&probe)),
                    TokenCounter::CountTokens => Ok(self
                        .client
                        .messages()
                        .count_tokens(&probe, options)
                        .await?
                        .input_tokens),
                }
            }
        })
        .await
    }

    /// The history becomes what was sent and the reply.
    fn commit(&mut self, sent: Vec<MessageParam>, reply: &[ContentBlock]) {
        self.params.messages = sent;
        self.params
            .messages
            .push(MessageParam::assistant(reply.to_vec()));
    }
}

/// A reply streaming into a conversation.
pub struct ConversationStream<'c, T: Transport> {
    conversation: &'c mut Conversation<T>,
    sent: Vec<MessageParam>,
    stream: MessageStream<T>,
}

impl<T: Transport> ConversationStream<'_, T> {
    /// The next event, or `None` at the end (see [`MessageStream::next_event`]).
    pub async fn next_event(&mut self) -> Option<Result<StreamEvent, Error>> {
        self.stream.next_event().await
    }

    /// The reply so far.
    pub fn snapshot(&self) -> Option<Message> {
        self.stream.snapshot()
    }

    /// Reads the rest of the reply and adds the user turn and the reply to the history. On
    /// failure the history is unchanged, or, with [`Conversation::keep_partial_replies`],
    /// holds the user turn and the text that arrived.
    pub async fn final_message(mut self) -> Result<Message, HelperError> {
        match self.stream.final_message().await {
            Ok(message) => {
                self.conversation.commit(self.sent, &message.content);
                Ok(message)
            }
            Err(error) => {
                if self.conversation.keep_partial_replies {
                    let text: Vec<ContentBlock> = self
                        .stream
                        .snapshot()
                        .into_iter()
                        .flat_map(|message| message.content)
                        .filter(
                            |block| matches!(block, ContentBlock::Text(t) if !t.text.is_empty()),
                        )
                        .collect();
                    if !text.is_empty() {
                        self.conversation.commit(self.sent, &text);
                    }
                }
                Err(error.into())
            }
        }
    }
}
