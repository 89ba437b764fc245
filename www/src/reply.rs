//! One reply: streamed into the page as it arrives (text, thinking, bytes), or run with the demo
//! tools by the library's tool runner, and the turn it becomes (stop reason, usage, request-id,
//! how it arrived, error, or the part that arrived before a stop).

use anthropic_wasm::client::{Client, RequestOptions};
use anthropic_wasm::error::Error;
use anthropic_wasm::fetch::FetchTransport;
use anthropic_wasm::helpers::{HelperError, RunnerEvent, ToolRunner};
use anthropic_wasm::types::{
    ContentBlock, ContentBlockDelta, Message, MessageContent, MessageCreateParams, MessageParam,
    StreamEvent,
};

use crate::chat::{next_id, ReplyInfo, Turn};
use crate::figures::Figures;
use crate::tools::demo_tools;

/// The most requests one tool run makes.
const MAX_TOOL_ROUNDS: u32 = 6;

/// What a reply's stream tells the page as it arrives.
pub enum Progress<'a> {
    /// The response began, with this request-id.
    Started(Option<String>),
    Text(&'a str),
    Thinking(&'a str),
    /// A redacted thinking block began.
    Redacted,
    /// Bytes of the body so far.
    Bytes(u64),
    /// A tool round ended: the reply that called tools, and the results sent back.
    ToolRound {
        reply: &'a Message,
        results: &'a MessageParam,
    },
}

/// How a reply ended.
#[derive(Default)]
pub struct Outcome {
    /// The message, complete or as far as it got.
    pub message: Option<Message>,
    /// Why it did not complete.
    pub error: Option<Error>,
    /// The response's `request-id`, when a response came.
    pub request_id: Option<String>,
    /// Why a tool run stopped, when not for a request's error (its round limit).
    pub runner_failure: Option<String>,
}

/// Streams a reply, telling `on` what arrives.
pub async fn stream_reply(
    client: &Client<FetchTransport>,
    params: &MessageCreateParams,
    options: &RequestOptions,
    mut on: impl FnMut(Progress<'_>),
) -> Outcome {
    let mut stream = match client.messages().stream(params, options).await {
        Ok(stream) => stream,
        Err(error) => {
            return Outcome {
                message: None,
                request_id: error.request_id().map(str::to_owned),
                error: Some(error),
                runner_failure: None,
            }
        }
    };
    let request_id = stream.request_id().map(str::to_owned);
    on(Progress::Started(request_id.clone()));
    let mut failure = None;
    while let Some(event) = stream.next_event().await {
        match event {
            Ok(event) => progress_of(&event, &mut on),
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
        on(Progress::Bytes(stream.bytes_received()));
    }
    let (message, error) = match failure {
        None => match stream.final_message().await {
            Ok(message) => (Some(message), None),
            Err(error) => (stream.snapshot(), Some(error)),
        },
        Some(error) => (stream.snapshot(), Some(error)),
    };
    on(Progress::Bytes(stream.bytes_received()));
    Outcome {
        message,
        error,
        request_id,
        runner_failure: None,
    }
}

/// What a streamed event tells the page.
fn progress_of(event: &StreamEvent, on: &mut impl FnMut(Progress<'_>)) {
    match event {
        StreamEvent::ContentBlockDelta(delta) => match &delta.delta {
            ContentBlockDelta::TextDelta(text) => on(Progress::Text(&text.text)),
            ContentBlockDelta::ThinkingDelta(thinking) => {
                on(Progress::Thinking(&thinking.thinking))
            }
            _ => {}
        },
        StreamEvent::ContentBlockStart(start) => {
            if matches!(start.content_block, ContentBlock::RedactedThinking(_)) {
                on(Progress::Redacted);
            }
        }
        _ => {}
    }
}

/// Runs the conversation with the demo tools: the library's tool runner streams each round,
/// runs the tools the model calls and sends their results back, until the model answers.
pub async fn run_tools(
    client: &Client<FetchTransport>,
    params: &MessageCreateParams,
    options: &RequestOptions,
    mut on: impl FnMut(Progress<'_>),
) -> Outcome {
    let mut runner =
        ToolRunner::new(client.clone(), params.clone()).max_iterations(MAX_TOOL_ROUNDS);
    for tool in demo_tools() {
        runner = runner.tool(tool);
    }
    let mut called: Option<Message> = None;
    let mut started = false;
    let result = runner
        .run_streaming(options, |event| match event {
            RunnerEvent::Stream { event, .. } => {
                if !started {
                    started = true;
                    on(Progress::Started(None));
                }
                progress_of(event, &mut on);
            }
            RunnerEvent::Message { message, .. } => called = Some(message.clone()),
            RunnerEvent::ToolResults { results, .. } => {
                if let Some(reply) = &called {
                    on(Progress::ToolRound { reply, results });
                }
            }
        })
        .await;
    let (message, error, runner_failure) = match result {
        Ok(message) => (Some(message), None, None),
        Err(HelperError::Client(error)) => (None, Some(error), None),
        Err(failure) => (None, None, Some(failure.to_string())),
    };
    Outcome {
        message,
        error,
        request_id: None,
        runner_failure,
    }
}

/// The assistant turn for a reply: its thinking blocks (sent back as they came), then the
/// prefill and what followed it, with its details; `None` when nothing arrived (an empty
/// assistant turn would make the next request invalid).
pub fn reply_turn(prefill: String, outcome: &Outcome, figures: Figures) -> Option<Turn> {
    let message = outcome.message.as_ref()?;
    let text = message.text();
    let mut blocks: Vec<ContentBlock> = message
        .content
        .iter()
        .filter(|block| {
            matches!(
                block,
                ContentBlock::Thinking(_) | ContentBlock::RedactedThinking(_)
            )
        })
        .cloned()
        .collect();
    if text.is_empty() && prefill.is_empty() && blocks.is_empty() {
        return None;
    }
    let cut_short = outcome.error.as_ref().map(|error| match error {
        Error::Aborted => "stopped by you: the reply so far is kept".to_owned(),
        error => format!("cut short ({error}): the reply so far is kept"),
    });
    let full_text = format!("{prefill}{text}");
    let message_param = if blocks.is_empty() {
        MessageParam::assistant(full_text)
    } else {
        if !full_text.is_empty() {
            blocks.push(ContentBlock::text(full_text));
        }
        MessageParam::assistant(MessageContent::Blocks(blocks))
    };
    Some(Turn {
        id: next_id(),
        message: message_param,
        prefill,
        info: Some(ReplyInfo {
            stop_reason: message
                .stop_reason
                .as_ref()
                .map(|reason| reason.to_string()),
            stop_sequence: message.stop_sequence.clone(),
            usage: Some(message.usage.clone()),
            request_id: outcome.request_id.clone(),
            partial: cut_short.is_some().then(|| message.clone()),
            cut_short,
            figures,
            resumed: None,
        }),
    })
}
