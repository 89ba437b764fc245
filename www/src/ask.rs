//! Asking for a reply: one streamed request, or with the demo tools a run of the library's tool
//! runner (each tool call and its result become turns as they happen); the live reply updated
//! as it arrives, its figures measured, and the turn it leaves.

use anthropic_wasm::client::{OnRetry, RequestOptions};
use anthropic_wasm::error::Error;
use anthropic_wasm::types::MessageParam;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::chat::{request_messages, Live, ReplyInfo, Turn};
use crate::errors::{describe, retry_text, Shown};
use crate::reply::{reply_turn, run_tools, stream_reply, Progress};
use crate::state::State;

/// Milliseconds on the page's clock.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl State {
    /// Asks for a reply to the conversation as it stands.
    pub fn reply(&self) {
        let state = *self;
        let prepared = untrack(|| {
            let prefill = self.prefill.get();
            let messages = request_messages(&self.turns.get(), None, &prefill);
            let params = self.settings().params(messages)?;
            let controller = AbortController::new().map_err(|_| "no AbortController")?;
            let client = self.connection().client(Some(controller.signal()))?;
            Ok::<_, String>((prefill, params, controller, client))
        });
        let (prefill, params, controller, client) = match prepared {
            Ok(prepared) => prepared,
            Err(message) => return self.error.set(Some(Shown::page(message))),
        };
        self.abort.set_value(Some(controller));
        self.error.set(None);
        self.live.set(Some(Live {
            prefill: prefill.clone(),
            status: "Connecting…".into(),
            ..Live::default()
        }));
        let live = self.live;
        let edit = move |change: &mut dyn FnMut(&mut Live)| {
            live.update(|live| {
                if let Some(live) = live {
                    change(live);
                }
            })
        };
        let options = RequestOptions {
            on_retry: Some(OnRetry::new(move |notice| {
                let text = retry_text(notice);
                edit(&mut |live| {
                    live.status = text.clone();
                    live.figures.retries += 1;
                });
            })),
            ..RequestOptions::default()
        };
        let started = now_ms();
        let with_tools = self.tools.get_untracked();
        spawn_local(async move {
            let on = |progress: Progress<'_>| match progress {
                Progress::Started(request_id) => edit(&mut |live| {
                    live.status.clear();
                    live.request_id = request_id.clone();
                }),
                Progress::Text(text) => edit(&mut |live| {
                    live.text.push_str(text);
                    live.figures.arrived(now_ms() - started);
                }),
                Progress::Thinking(thinking) => edit(&mut |live| {
                    live.thinking.push_str(thinking);
                    live.figures.arrived(now_ms() - started);
                }),
                Progress::Redacted => edit(&mut |live| live.redacted += 1),
                Progress::Bytes(bytes) => {
                    // Only when it changed: a signal update re-renders the live reply.
                    let changed = live.with_untracked(|live| {
                        live.as_ref()
                            .is_some_and(|live| live.figures.bytes != bytes)
                    });
                    if changed {
                        edit(&mut |live| live.figures.bytes = bytes);
                    }
                }
                Progress::ToolRound { reply, results } => {
                    // The call and its results become turns; the live reply starts afresh.
                    let figures = live
                        .with_untracked(|live| live.as_ref().map(|live| live.figures.clone()))
                        .unwrap_or_default();
                    let call = Turn {
                        info: Some(ReplyInfo {
                            stop_reason: reply.stop_reason.as_ref().map(|r| r.to_string()),
                            usage: Some(reply.usage.clone()),
                            figures,
                            ..ReplyInfo::default()
                        }),
                        ..Turn::new(MessageParam::assistant(reply.content.clone()))
                    };
                    state.turns.update(|turns| {
                        turns.push(call);
                        turns.push(Turn::new(results.clone()));
                    });
                    edit(&mut |live| {
                        live.text.clear();
                        live.thinking.clear();
                        live.redacted = 0;
                    });
                }
            };
            let outcome = if with_tools {
                run_tools(&client, &params, &options, on).await
            } else {
                stream_reply(&client, &params, &options, on).await
            };
            let mut figures = live
                .get_untracked()
                .map(|live| live.figures)
                .unwrap_or_default();
            figures.end_ms = now_ms() - started;
            let turn = reply_turn(prefill, &outcome, figures);
            let kept = turn.is_some();
            if let Some(turn) = turn {
                state.turns.update(|turns| turns.push(turn));
            }
            // A stop that kept a partial reply says so on the reply itself.
            let error = outcome
                .error
                .filter(|error| !(kept && *error == Error::Aborted));
            let shown = match (error, outcome.runner_failure) {
                (Some(error), _) => Some(describe(&error)),
                (None, Some(failure)) => Some(Shown::page(failure)),
                (None, None) => None,
            };
            state.error.set(shown);
            state.live.set(None);
            state.abort.set_value(None);
        });
    }

    /// Stops the reply in flight; what arrived stays.
    pub fn stop(&self) {
        self.abort.with_value(|controller| {
            if let Some(controller) = controller {
                controller.abort();
            }
        });
    }
}
