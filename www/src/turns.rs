//! The conversation as shown: each turn (a reply as Markdown or plain text, its thinking
//! folded, images, the parsed JSON of a prefilled reply), the reply while it streams, and the
//! details under each reply and its figures in its head.

use anthropic_wasm::types::{ContentBlock, MessageContent, Role};
use leptos::html;
use leptos::prelude::*;
use web_sys::HtmlDetailsElement;

use crate::chat::{ReplyInfo, Turn};
use crate::figures::FiguresLine;
use crate::images::thumbnail;
use crate::markdown::Markdown;
use crate::prefill::as_json;
use crate::state::State;

#[component]
pub fn Conversation(state: State) -> impl IntoView {
    let list = NodeRef::<html::Ol>::new();
    // Whether the live reply's thinking is unfolded: kept across its re-renders.
    let thinking_open = RwSignal::new(true);
    // Follow the reply as it grows.
    Effect::new(move |_| {
        state.live.track();
        state.turns.track();
        if let Some(list) = list.get() {
            list.set_scroll_top(list.scroll_height());
        }
    });
    view! {
        <ol class="turns" node_ref=list aria-live="polite">
            <Show when=move || state.turns.with(Vec::is_empty) && !state.streaming()>
                <li class="empty">"Say hello, attach an image, or try a prefill preset below."</li>
            </Show>
            <For each=move || state.turns.get() key=|turn| turn.id let(turn)>
                <TurnView state turn />
            </For>
            {move || {
                state.live.get().map(|live| {
                    view! {
                        <li class="turn assistant live" aria-busy="true">
                            <div class="turn-head">
                                <span class="role">"Claude"</span>
                                <FiguresLine figures=live.figures output_tokens=None />
                            </div>
                            <Thinking thinking=live.thinking redacted=live.redacted open=thinking_open streaming=true />
                            <ReplyText prefill=live.prefill text=format!("{}{}", live.continuing.trim_end(), live.text) formatted=true />
                            <p class="info status" id="live-status">{live.status}</p>
                        </li>
                    }
                })
            }}
        </ol>
    }
}

/// A reply's text: as Markdown when `formatted` and not prefilled; otherwise as written, the
/// prefill (sent by the user) set apart from what the model wrote.
#[component]
fn ReplyText(prefill: String, text: String, formatted: bool) -> impl IntoView {
    if formatted && prefill.is_empty() {
        return view! { <div class="text continuation"><Markdown text /></div> }.into_any();
    }
    view! {
        <p class="text plain">
            {(!prefill.is_empty())
                .then(|| {
                    view! {
                        <mark class="prefill" title="Prefill: written by you as the start of the reply">
                            {prefill}
                        </mark>
                    }
                })}
            <span class="continuation">{text}</span>
        </p>
    }
    .into_any()
}

/// A reply's thinking, folded unless `open` says otherwise, and its redacted blocks.
#[component]
fn Thinking(
    thinking: String,
    redacted: u32,
    #[prop(optional)] open: Option<RwSignal<bool>>,
    #[prop(optional)] streaming: bool,
) -> impl IntoView {
    let shown = (!thinking.is_empty()).then(|| {
        let words = thinking.split_whitespace().count();
        let summary = if streaming {
            format!("Thinking… ({words} words)")
        } else {
            format!("Thinking ({words} words)")
        };
        view! {
            <details
                class="thinking"
                prop:open=move || open.is_some_and(|open| open.get())
                on:toggle=move |ev| {
                    if let Some(open) = open {
                        open.set(event_target::<HtmlDetailsElement>(&ev).open());
                    }
                }
            >
                <summary>{summary}</summary>
                <p class="thinking-text">{thinking}</p>
            </details>
        }
    });
    let redacted = (redacted > 0).then(|| {
        let blocks = if redacted == 1 { "1 block".to_owned() } else { format!("{redacted} blocks") };
        view! {
            <p class="thinking redacted" role="note">
                {format!("Redacted thinking ({blocks}): encrypted by the API's safety systems; sent back unchanged with the conversation.")}
            </p>
        }
    });
    (shown, redacted)
}

#[component]
fn TurnView(state: State, turn: Turn) -> impl IntoView {
    let id = turn.id;
    let is_user = turn.message.role == Role::User;
    let images: Vec<(String, String)> = match &turn.message.content {
        MessageContent::Blocks(blocks) => blocks
            .iter()
            .filter_map(|block| thumbnail(block).map(|src| (src, "attached image".to_owned())))
            .collect(),
        MessageContent::Text(_) => Vec::new(),
    };
    let text = turn.text();
    let continuation = text
        .strip_prefix(turn.prefill.as_str())
        .unwrap_or(&text)
        .to_owned();
    let json = (!is_user).then(|| as_json(&text)).flatten();
    let (thinking, redacted) = match &turn.message.content {
        MessageContent::Blocks(blocks) => (
            blocks
                .iter()
                .filter_map(|block| match block {
                    ContentBlock::Thinking(thinking) => Some(thinking.thinking.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
            blocks
                .iter()
                .filter(|block| matches!(block, ContentBlock::RedactedThinking(_)))
                .count() as u32,
        ),
        MessageContent::Text(_) => (String::new(), 0),
    };
    // A reply without prefill is shown as Markdown until its toggle asks for the plain text.
    let can_format = !is_user && turn.prefill.is_empty();
    let formatted = RwSignal::new(true);
    let prefill = turn.prefill.clone();
    // In the head, where the live reply showed them: nothing moves when it ends.
    let figures = turn.info.as_ref().map(|info| {
        let output_tokens = info.usage.as_ref().map(|usage| usage.output_tokens);
        view! { <FiguresLine figures=info.figures.clone() output_tokens /> }
    });
    let editing = move || {
        state
            .editing
            .with(|e| e.as_ref().is_some_and(|(e, _)| *e == id))
    };
    let edit_text = turn.text();
    let tools = tool_blocks(&turn.message.content);
    // A user turn that only carries tool results is the tool runner's, not the user's.
    let from_tools = is_user && !tools.is_empty() && text.is_empty();
    // A reply cut short can be continued (the last one only: what follows it would be lost).
    let resumable = turn
        .info
        .as_ref()
        .is_some_and(|info| info.partial.is_some());
    let body = view! {
        <div class="thumbs">
            {images.into_iter().map(|(src, alt)| view! { <img src=src alt=alt width="72" height="72" /> }).collect_view()}
        </div>
        <Thinking thinking redacted />
        {tools}
        {if from_tools {
            ().into_any()
        } else if is_user {
            view! { <p class="text">{text.clone()}</p> }.into_any()
        } else {
            (move || {
                view! { <ReplyText prefill=prefill.clone() text=continuation.clone() formatted=formatted.get() /> }
            })
            .into_any()
        }}
        {json.map(|json| view! {
            <figure class="json">
                <figcaption>"Parsed JSON"</figcaption>
                <pre>{json}</pre>
            </figure>
        })}
        {turn.info.map(|info| view! { <Info info /> })}
    };
    view! {
        <li class="turn" class:user=is_user class:tools=from_tools class:assistant=!is_user>
            <div class="turn-head">
                <span class="role">{if from_tools { "Tools" } else if is_user { "You" } else { "Claude" }}</span>
                {figures}
                <span class="actions">
                    {can_format.then(|| view! {
                        <button
                            type="button"
                            class="format-toggle"
                            aria-pressed=move || (!formatted.get()).to_string()
                            on:click=move |_| formatted.update(|on| *on = !*on)
                        >
                            {move || if formatted.get() { "Plain text" } else { "Formatted" }}
                        </button>
                    })}
                    {resumable.then(|| view! {
                        <Show when=move || !state.streaming() && state.turns.with(|turns| turns.last().map(|t| t.id) == Some(id))>
                            <button
                                type="button"
                                class="continue"
                                aria-label="Continue this reply from where it was cut"
                                on:click=move |_| state.resume()
                            >
                                "Continue"
                            </button>
                        </Show>
                    })}
                    {(!from_tools).then(|| view! {
                        <button
                            type="button"
                            disabled=move || state.streaming()
                            aria-label=if is_user { "Edit this message and resend" } else { "Edit this reply" }
                            on:click=move |_| state.editing.set(Some((id, edit_text.clone())))
                        >
                            "Edit"
                        </button>
                    })}
                    <button
                        type="button"
                        disabled=move || state.streaming()
                        aria-label="Delete this turn"
                        on:click=move |_| state.delete_turn(id)
                    >
                        "Delete"
                    </button>
                </span>
            </div>
            <div hidden=editing>{body}</div>
            <Show when=editing>
                <form class="editor" on:submit=move |ev| { ev.prevent_default(); state.save_edit(); }>
                    <label class="field" for=format!("edit-{id}")>
                        <span>"Edit the text"</span>
                        <textarea
                            id=format!("edit-{id}")
                            rows="3"
                            prop:value=move || state.editing.with(|e| e.as_ref().map(|(_, t)| t.clone()).unwrap_or_default())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                state.editing.update(|e| if let Some((_, t)) = e { *t = text });
                            }
                        ></textarea>
                    </label>
                    <div class="row">
                        <button type="submit">{if is_user { "Save and resend" } else { "Save" }}</button>
                        <button type="button" on:click=move |_| state.editing.set(None)>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </li>
    }
}

/// A turn's tool calls and tool results, as lines of the conversation.
fn tool_blocks(content: &MessageContent) -> Vec<AnyView> {
    let MessageContent::Blocks(blocks) = content else {
        return Vec::new();
    };
    blocks
        .iter()
        .filter_map(|block| match block {
            ContentBlock::ToolUse(call) => Some(
                view! {
                    <p class="tool-call">
                        <span class="tool-label">"Calls "</span>
                        <code>{call.name.clone()}</code>
                        " "
                        <code>{call.input.to_string()}</code>
                    </p>
                }
                .into_any(),
            ),
            ContentBlock::ToolResult(result) => {
                let failed = result.is_error == Some(true);
                let text = result
                    .content
                    .as_ref()
                    .map(MessageContent::text)
                    .unwrap_or_default();
                Some(
                    view! {
                        <p class="tool-result" class:failed=failed>
                            <span class="tool-label">{if failed { "Tool error: " } else { "Tool result: " }}</span>
                            {text}
                        </p>
                    }
                    .into_any(),
                )
            }
            _ => None,
        })
        .collect()
}

/// The line under a reply: stop reason, usage, request-id, and whether it was cut short.
#[component]
fn Info(info: ReplyInfo) -> impl IntoView {
    let mut parts = Vec::new();
    if let Some(reason) = &info.stop_reason {
        parts.push(match &info.stop_sequence {
            Some(stop) => format!("stop: {reason} ({stop:?})"),
            None => format!("stop: {reason}"),
        });
    }
    if let Some(usage) = &info.usage {
        parts.push(format!(
            "tokens in {} · out {} · cache write {} · cache read {}",
            usage.input_tokens,
            usage.output_tokens,
            usage.cache_creation_input_tokens.unwrap_or(0),
            usage.cache_read_input_tokens.unwrap_or(0)
        ));
    }
    if let Some(id) = &info.request_id {
        parts.push(format!("request-id {id}"));
    }
    if let Some((first, second)) = &info.resumed {
        parts.push(format!(
            "continued in a second request: the first in {} · out {}, the continuation in {} · out {}",
            first.input_tokens, first.output_tokens, second.input_tokens, second.output_tokens
        ));
    }
    view! {
        <p class="info">{parts.join(" · ")}</p>
        {info.cut_short.map(|note| view! { <p class="info cut">{note}</p> })}
    }
}
