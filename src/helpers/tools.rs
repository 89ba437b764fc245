//! The tool runner: sends the request, runs the tools the model calls, sends their results
//! back, and repeats until the model answers without calling a tool — the official SDK's
//! `toolRunner`, for Rust closures.
//!
//! ```no_run
//! # async fn demo<T: anthropic_wasm::client::transport::Transport>(client: anthropic_wasm::client::Client<T>) -> Result<(), anthropic_wasm::helpers::HelperError> {
//! use anthropic_wasm::client::RequestOptions;
//! use anthropic_wasm::helpers::{RunnableTool, ToolRunner};
//! use anthropic_wasm::types::{MessageCreateParams, MessageParam};
//! use serde::Deserialize;
//! use serde_json::json;
//!
//! #[derive(Deserialize)]
//! struct City { city: String }
//!
//! let weather = RunnableTool::new(
//!     "get_weather",
//!     "The current weather in a city",
//!     json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
//!     |input: City| async move { Ok::<_, String>(format!("18°C and sunny in {}", input.city)) },
//! );
//! let params = MessageCreateParams {
//!     model: "claude-sonnet-4-5".into(),
//!     max_tokens: 1024,
//!     messages: vec![MessageParam::user("What is the weather in Paris?")],
//!     ..Default::default()
//! };
//! let mut runner = ToolRunner::new(client, params).tool(weather).max_iterations(5);
//! let answer = runner.run_until_done(&RequestOptions::default()).await?;
//! println!("{}", answer.text());
//! # Ok(()) }
//! ```

use core::fmt::Display;
use core::future::Future;
use core::pin::Pin;
use std::rc::Rc;

use futures_util::future::join_all;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::HelperError;
use crate::client::transport::Transport;
use crate::client::{Client, RequestOptions};
use crate::error::Error;
use crate::types::{
    ContentBlock, CustomTool, JsonMap, Message, MessageContent, MessageCreateParams, MessageParam,
    StopReason, StreamEvent, Tool, ToolResultBlock, ToolUseBlock,
};

/// The requests a runner makes unless told otherwise.
pub const DEFAULT_MAX_ITERATIONS: u32 = 10;

/// What a tool's future resolves to: the result, or the error text the model is shown.
type ToolFuture = Pin<Box<dyn Future<Output = Result<MessageContent, String>>>>;

/// A tool definition with the function that runs it.
#[derive(Clone)]
pub struct RunnableTool {
    definition: CustomTool,
    run: Rc<dyn Fn(Value) -> ToolFuture>,
}

impl RunnableTool {
    /// A tool the model may call by `name`, whose input follows `input_schema`. `run` gets the
    /// input deserialized into `I` (`serde_json::Value` takes it as is); an `Err` is sent to the
    /// model as an `is_error` result, as is an input that does not deserialize.
    pub fn new<I, F, Fut, O, E>(
        name: impl Into<String>,
        description: impl Into<String>,
        input_schema: Value,
        run: F,
    ) -> Self
    where
        I: DeserializeOwned + 'static,
        F: Fn(I) -> Fut + 'static,
        Fut: Future<Output = Result<O, E>> + 'static,
        O: Into<MessageContent>,
        E: Display,
    {
        let run = Rc::new(run);
        Self {
            definition: CustomTool {
                name: name.into(),
                description: Some(description.into()),
                input_schema,
                cache_control: None,
                extra: JsonMap::new(),
            },
            run: Rc::new(move |input: Value| -> ToolFuture {
                let run = Rc::clone(&run);
                Box::pin(async move {
                    let input = serde_json::from_value::<I>(input)
                        .map_err(|e| format!("Error: invalid input: {e}"))?;
                    run(input)
                        .await
                        .map(Into::into)
                        .map_err(|e| format!("Error: {e}"))
                })
            }),
        }
    }

    /// The definition sent to the API, e.g. to add `cache_control` or `strict`.
    pub fn definition_mut(&mut self) -> &mut CustomTool {
        &mut self.definition
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        &self.definition.name
    }
}

/// What [`ToolRunner::run_streaming`] reports, round by round (a round is one request).
#[derive(Debug)]
pub enum RunnerEvent<'a> {
    /// An event of the round's streamed reply.
    Stream {
        /// The round, from 1.
        round: u32,
        /// The event.
        event: &'a StreamEvent,
    },
    /// The round's complete reply.
    Message {
        /// The round, from 1.
        round: u32,
        /// The reply.
        message: &'a Message,
    },
    /// The results of the round's tool calls, about to be sent.
    ToolResults {
        /// The round, from 1.
        round: u32,
        /// The user turn carrying the results, in the order of the calls.
        results: &'a MessageParam,
    },
}

/// The loop `create → tool_use → run the tools → tool_result → …` until a final answer.
///
/// Tools called together in one reply run concurrently and are answered in one user turn, in
/// the order of the calls. Unknown tools and failed tools are answered with `is_error` results
/// (`Error: Tool 'name' not found`, `Error: <the error>`), so the model can recover. A reply
/// that pauses (`pause_turn`) is sent back to be continued. Dropping a running future aborts
/// its request.
pub struct ToolRunner<T: Transport> {
    client: Client<T>,
    params: MessageCreateParams,
    tools: Vec<RunnableTool>,
    max_iterations: u32,
    iterations: u32,
    /// The final answer, once the model gave it.
    answer: Option<Message>,
    last_message: Option<Message>,
}

impl<T: Transport> ToolRunner<T> {
    /// A runner for `params`; its tools are those of `params.tools` (which it cannot run) and
    /// those added with [`Self::tool`].
    pub fn new(client: Client<T>, params: MessageCreateParams) -> Self {
        Self {
            client,
            params,
            tools: Vec::new(),
            max_iterations: DEFAULT_MAX_ITERATIONS,
            iterations: 0,
            answer: None,
            last_message: None,
        }
    }

    /// Adds a tool the runner runs.
    pub fn tool(mut self, tool: RunnableTool) -> Self {
        self.params
            .tools
            .get_or_insert_with(Vec::new)
            .push(Tool::Custom(tool.definition.clone()));
        self.tools.push(tool);
        self
    }

    /// The most requests to make ([`DEFAULT_MAX_ITERATIONS`] unless set); one more round past
    /// it fails with [`HelperError::MaxIterations`]. Raising it lets a stopped runner go on.
    pub fn max_iterations(mut self, max_iterations: u32) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Changes the bound of a runner, e.g. after [`HelperError::MaxIterations`].
    pub fn set_max_iterations(&mut self, max_iterations: u32) {
        self.max_iterations = max_iterations;
    }

    /// The conversation so far: the request's messages, each reply and each tool results turn.
    pub fn messages(&self) -> &[MessageParam] {
        &self.params.messages
    }

    /// The parameters of the next request.
    pub fn params(&self) -> &MessageCreateParams {
        &self.params
    }

    /// Requests made so far.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// One round: sends the conversation, runs the tools the reply calls and adds their results.
    /// `None` once the model has answered. A failed request leaves the conversation as it was,
    /// so calling again retries it.
    pub async fn next_message(
        &mut self,
        options: &RequestOptions,
    ) -> Option<Result<Message, HelperError>> {
        self.round(options, None::<&mut fn(RunnerEvent<'_>)>).await
    }

    /// Rounds until the model answers; the answer.
    pub async fn run_until_done(
        &mut self,
        options: &RequestOptions,
    ) -> Result<Message, HelperError> {
        self.run(options, None::<fn(RunnerEvent<'_>)>).await
    }

    /// [`Self::run_until_done`] with every round streamed: `on_event` sees each event, each
    /// reply and each tool results turn as they happen.
    pub async fn run_streaming(
        &mut self,
        options: &RequestOptions,
        on_event: impl FnMut(RunnerEvent<'_>),
    ) -> Result<Message, HelperError> {
        self.run(options, Some(on_event)).await
    }

    /// Rounds until the model answers; events go to `on_event` when there is one (and then
    /// every request streams).
    async fn run<F: FnMut(RunnerEvent<'_>)>(
        &mut self,
        options: &RequestOptions,
        mut on_event: Option<F>,
    ) -> Result<Message, HelperError> {
        loop {
            if let Some(answer) = &self.answer {
                return Ok(answer.clone());
            }
            if let Some(Err(error)) = self.round(options, on_event.as_mut()).await {
                return Err(error);
            }
        }
    }

    async fn round<F: FnMut(RunnerEvent<'_>)>(
        &mut self,
        options: &RequestOptions,
        mut on_event: Option<&mut F>,
    ) -> Option<Result<Message, HelperError>> {
        if self.answer.is_some() {
            return None;
        }
        if self.iterations >= self.max_iterations {
            return Some(Err(HelperError::MaxIterations {
                limit: self.max_iterations,
                messages: self.params.messages.clone(),
                last_message: self.last_message.clone().map(Box::new),
            }));
        }
        let round = self.iterations + 1;
        let reply = match on_event.as_deref_mut() {
            None => self
                .client
                .messages()
                .create(&self.params, options)
                .await
                .map(|reply| reply.into_inner()),
            Some(on_event) => self.streamed(round, options, on_event).await,
        };
        let message = match reply {
            Ok(message) => message,
            Err(error) => return Some(Err(error.into())),
        };
        self.iterations = round;
        self.params
            .messages
            .push(MessageParam::assistant(message.content.clone()));
        if let Some(on_event) = on_event.as_deref_mut() {
            on_event(RunnerEvent::Message {
                round,
                message: &message,
            });
        }
        self.last_message = Some(message.clone());
        match message.stop_reason {
            Some(StopReason::ToolUse) => match self.tool_results(&message).await {
                Some(results) => {
                    if let Some(on_event) = on_event {
                        on_event(RunnerEvent::ToolResults {
                            round,
                            results: &results,
                        });
                    }
                    self.params.messages.push(results);
                }
                None => self.answer = Some(message.clone()),
            },
            // The server paused a long turn: sending the reply back continues it.
            Some(StopReason::PauseTurn) => {}
            _ => self.answer = Some(message.clone()),
        }
        Some(Ok(message))
    }

    /// A streamed request, its events handed to `on_event`.
    async fn streamed(
        &self,
        round: u32,
        options: &RequestOptions,
        on_event: &mut impl FnMut(RunnerEvent<'_>),
    ) -> Result<Message, Error> {
        let mut stream = self.client.messages().stream(&self.params, options).await?;
        while let Some(event) = stream.next_event().await {
            on_event(RunnerEvent::Stream {
                round,
                event: &event?,
            });
        }
        stream.final_message().await
    }

    /// The user turn answering a reply's tool calls: every call run concurrently, the results
    /// in the order of the calls. `None` when the reply calls no tool.
    pub async fn tool_results(&self, message: &Message) -> Option<MessageParam> {
        let calls: Vec<&ToolUseBlock> = message
            .content
            .iter()
            .filter_map(|block| match block {
                ContentBlock::ToolUse(call) => Some(call),
                _ => None,
            })
            .collect();
        if calls.is_empty() {
            return None;
        }
        let results = join_all(calls.into_iter().map(|call| self.run_tool(call))).await;
        Some(MessageParam::user(MessageContent::Blocks(results)))
    }

    async fn run_tool(&self, call: &ToolUseBlock) -> ContentBlock {
        let outcome = match self.tools.iter().find(|tool| tool.name() == call.name) {
            Some(tool) => (tool.run)(call.input.clone()).await,
            None => Err(format!("Error: Tool '{}' not found", call.name)),
        };
        let (content, is_error) = match outcome {
            Ok(content) => (content, None),
            Err(text) => (MessageContent::Text(text), Some(true)),
        };
        ContentBlock::ToolResult(ToolResultBlock {
            tool_use_id: call.id.clone(),
            content: Some(content),
            is_error,
            cache_control: None,
            extra: JsonMap::new(),
        })
    }
}
