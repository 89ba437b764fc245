//! Asking for a reply: one streamed request, or with the demo tools a run of the library's tool
//! runner (each tool call and its result become turns as they happen), or the continuation of a
//! reply cut short; the live reply updated as it arrives, its figures measured, and the turn it
//! leaves.

use anthropic_wasm::client::{OnRetry, RequestOptions};
use anthropic_wasm::error::Error;
use anthropic_wasm::helpers::resume::{continuation, stitch};
use anthropic_wasm::types::{MessageCreateParams, MessageParam};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::chat::{request_messages, Live, ReplyInfo, Turn};
use crate::errors::{describe, retry_text, Shown};
use crate::figures::Figures;
use crate::reply::{reply_turn, run_tools, stream_reply, Outcome, Progress};
use crate::state::State;

/// Milliseconds on the page's clock.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// What a request is for, and what to do with how it ended: `done` gets the outcome and the
/// figures and says whether a turn was kept.
type Done = Box<dyn FnOnce(State, Outcome, Figures) -> bool>;

impl State {
    /// Asks for a reply to the conversation as it stands.
    pub fn reply(&self) {
        let prepared = untrack(|| {
            let prefill = self.prefill.get();
            let messages = request_messages(&self.turns.get(), None, &prefill);
            Ok::<_, String>((prefill.clone(), self.settings().params(messages)?))
        });
        let (prefill, params) = match prepared {
            Ok(prepared) => prepared,
            Err(message) => return self.error.set(Some(Shown::page(message))),
        };
        let live = Live {
            prefill: prefill.clone(),
            ..Live::default()
        };
        let with_tools = self.tools.get_untracked();
        self.ask(
            params,
            live,
            with_tools,
            Box::new(move |state, outcome, figures| {
                let turn = reply_turn(prefill, &outcome, figures);
                let kept = turn.is_some();
                if let Some(turn) = turn {
                    state.turns.update(|turns| turns.push(turn));
                }
                kept
            }),
        );
    }

    /// Resumes the last reply, cut short: the request again with what arrived as a prefill
    /// (`helpers::resume`), the continuation streamed after it, and one reply stitched from
    /// both in its place.
    pub fn resume(&self) {
        let prepared = untrack(|| {
            let mut turns = self.turns.get();
            let turn = turns.pop().ok_or("There is no reply to continue.")?;
            let partial = turn
                .info
                .as_ref()
                .and_then(|info| info.partial.clone())
                .ok_or("Only a reply cut short can be continued.")?;
            let messages = request_messages(&turns, None, &turn.prefill);
            let params = self.settings().params(messages)?;
            let next = continuation(&params, &partial).map_err(|error| error.to_string())?;
            Ok::<_, String>((turn, partial, next))
        });
        let (turn, partial, next) = match prepared {
            Ok(prepared) => prepared,
            Err(message) => return self.error.set(Some(Shown::page(message))),
        };
        // The reply streams on in the live view until it is stitched back in its place.
        self.turns.update(|turns| {
            turns.pop();
        });
        let live = Live {
            prefill: turn.prefill.clone(),
            continuing: partial.text(),
            ..Live::default()
        };
        self.ask(
            next,
            live,
            false,
            Box::new(move |state, mut outcome, figures| {
                let Some(rest) = outcome.message.take() else {
                    // Nothing came back: the reply stays as it was, still to be continued.
                    state.turns.update(|turns| turns.push(turn));
                    return true;
                };
                let resumed = stitch(&partial, &rest);
                outcome.message = Some(resumed.message);
                let mut stitched =
                    reply_turn(turn.prefill.clone(), &outcome, figures).unwrap_or(turn);
                if let Some(info) = &mut stitched.info {
                    info.resumed = Some((resumed.partial_usage, resumed.continuation_usage));
                }
                state.turns.update(|turns| turns.push(stitched));
                true
            }),
        );
    }

    /// Streams `params` into the live view (set up as `live`), with the demo tools when
    /// `with_tools`, measuring how it arrives; then `done` decides what stays.
    fn ask(&self, params: MessageCreateParams, live: Live, with_tools: bool, done: Done) {
        let state = *self;
        let prepared = untrack(|| {
            let controller = AbortController::new().map_err(|_| "no AbortController")?;
            let client = self.connection().client(Some(controller.signal()))?;
            Ok::<_, String>((controller, client))
        });
        let (controller, client) = match prepared {
            Ok(prepared) => prepared,
            Err(message) => {
                // Nothing was sent: what `done` would have put back stays as it was.
                done(state, Outcome::default(), Figures::default());
                return self.error.set(Some(Shown::page(message)));
            }
        };
        self.abort.set_value(Some(controller));
        self.error.set(None);
        self.live.set(Some(Live {
            status: "Connecting…".into(),
            ..live
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
            let error = outcome.error.clone();
            let runner_failure = outcome.runner_failure.clone();
            let kept = done(state, outcome, figures);
            // A stop that kept a partial reply says so on the reply itself.
            let error = error.filter(|error| !(kept && *error == Error::Aborted));
            let shown = match (error, runner_failure) {
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
