//! The page's markup: settings, the conversation with the live reply, the composer with images
//! and prefill, and the code panel. Every control has a label and works from the keyboard.

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::code::{snippets, Language};
use crate::connection::{store_key, Mode};
use crate::errors::Shown;
use crate::images::{files_of, thumbnail};
use crate::prefill::{rejection_notice, structured_alternative, PRESETS};
use crate::state::State;
use crate::turns::Conversation;

/// Faults the local server can inject, offered as a menu (the value is the model suffix spec).
const FAULTS: [(&str, &str); 6] = [
    ("", "None"),
    ("fail-first=1", "Overloaded (529) once, then the answer"),
    ("529", "Overloaded (529) every time"),
    ("error-after=5", "Error event mid-stream"),
    ("drop-after=1500", "Connection cut mid-stream"),
    ("429:retry-after=2", "Rate limited (429), retry after 2 s"),
];

#[component]
pub fn App() -> impl IntoView {
    let state = State::new();
    state.load_models();
    view! {
        <header class="top">
            <h1>"anthropic-wasm demo"</h1>
            <p class="tagline">
                "The Messages API from Rust compiled to WebAssembly: streaming Markdown, thinking, images, prefill."
            </p>
        </header>
        <main class="layout">
            <Settings state />
            <section class="chat" aria-label="Conversation">
                <Conversation state />
                <ErrorBox state />
                <Composer state />
                <CodePanel state />
            </section>
        </main>
    }
}

/// A labelled text field bound to `value`.
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] step: &'static str,
) -> impl IntoView {
    view! {
        <label class="field" for=id>
            <span>{label}</span>
            <input id=id type=kind placeholder=placeholder step=step bind:value=value />
        </label>
    }
}

#[component]
fn Settings(state: State) -> impl IntoView {
    let key_changed = move |ev: ev::Event| {
        let key = event_target_value(&ev);
        store_key(&key);
        state.api_key.set(key);
    };
    let mode_choice = move |mode: Mode| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="mode"
                    prop:checked=move || state.mode.get() == mode
                    on:change=move |_| {
                        state.mode.set(mode);
                        state.load_models();
                    }
                />
                {mode.label()}
            </label>
        }
    };
    let import_file = move |ev: ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(file) = files_of(input.files()).into_iter().next() {
            state.import(file);
        }
        input.set_value("");
    };
    // Open beside the chat on wide screens; one line above it on phones.
    let wide = window()
        .inner_width()
        .ok()
        .and_then(|width| width.as_f64())
        .is_some_and(|width| width >= 900.0);
    view! {
        <aside class="settings">
            <details open=wide>
                <summary>"Settings"</summary>
                <fieldset>
                    <legend>"Connection"</legend>
                    {Mode::ALL.map(mode_choice)}
                    <p class="note" id="base-url">
                        "Requests go to " {move || state.connection().base_url().to_owned()}
                    </p>
                    <Show when=move || state.mode.get() == Mode::Local>
                        <Field id="local-url" label="Local server address" value=state.local_url />
                    </Show>
                    <Show when=move || state.mode.get() == Mode::Key>
                        <label class="field" for="api-key">
                            <span>"API key"</span>
                            <input
                                id="api-key"
                                type="password"
                                autocomplete="off"
                                prop:value=move || state.api_key.get()
                                on:change=key_changed
                            />
                        </label>
                        <p class="warning" role="note">
                            "Warning: a key in a web page can be read by any script on it. "
                            "It is kept in this tab's sessionStorage only and sent straight to "
                            "api.anthropic.com. Use a key you can revoke, or a proxy that adds "
                            "the key on a server."
                        </p>
                    </Show>
                    <Show when=move || state.mode.get() == Mode::Proxy>
                        <Field
                            id="proxy-url"
                            label="Proxy base URL"
                            value=state.proxy_url
                            placeholder="https://my-worker.example.workers.dev"
                        />
                    </Show>
                </fieldset>
                <fieldset>
                    <legend>"Model"</legend>
                    <label class="field" for="model">
                        <span>"Model"</span>
                        <select id="model" on:change=move |ev| state.model.set(event_target_value(&ev))>
                            {move || {
                                let mut ids = state.models.get();
                                let chosen = state.model.get();
                                if !ids.contains(&chosen) {
                                    ids.insert(0, chosen.clone());
                                }
                                ids.into_iter()
                                    .map(|id| {
                                        let selected = id == chosen;
                                        let label = id.clone();
                                        view! { <option value=id selected=selected>{label}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <p class="note" id="models-note">{move || state.models_note.get()}</p>
                    <button type="button" on:click=move |_| state.load_models()>"Reload models"</button>
                    <Show when=move || state.mode.get() == Mode::Local>
                        <label class="field" for="fault">
                            <span>"Simulate a failure (local server)"</span>
                            <select id="fault" on:change=move |ev| state.fault.set(event_target_value(&ev))>
                                {FAULTS.map(|(spec, label)| view! {
                                    <option value=spec selected=move || state.fault.get() == spec>{label}</option>
                                })}
                            </select>
                        </label>
                    </Show>
                </fieldset>
                <fieldset>
                    <legend>"Parameters"</legend>
                    <label class="field" for="system">
                        <span>"System prompt"</span>
                        <textarea id="system" rows="3" bind:value=state.system></textarea>
                    </label>
                    <div class="grid2">
                        <Field id="max-tokens" label="Max tokens" kind="number" value=state.max_tokens step="1" />
                        <Field id="temperature" label="Temperature" kind="number" value=state.temperature step="0.1" placeholder="default" />
                        <Field id="top-p" label="Top p" kind="number" value=state.top_p step="0.05" placeholder="default" />
                        <Field id="top-k" label="Top k" kind="number" value=state.top_k step="1" placeholder="default" />
                    </div>
                    <label class="field" for="stop-sequences">
                        <span>"Stop sequences (one per line)"</span>
                        <textarea id="stop-sequences" rows="2" bind:value=state.stop_sequences></textarea>
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"Thinking and tools"</legend>
                    <label class="choice">
                        <input
                            id="thinking"
                            type="checkbox"
                            prop:checked=move || state.thinking.get()
                            on:change=move |ev| state.set_thinking(event_target_checked(&ev))
                        />
                        "Think before replying (shown live, folded once done)"
                    </label>
                    <Show when=move || state.thinking.get()>
                        <Field id="thinking-budget" label="Thinking budget (tokens, 1024 or more, below max tokens)" kind="number" value=state.thinking_budget step="256" />
                    </Show>
                    <label class="choice">
                        <input
                            id="tools"
                            type="checkbox"
                            prop:checked=move || state.tools.get()
                            on:change=move |ev| state.tools.set(event_target_checked(&ev))
                        />
                        "Demo tools: calculator, clock, periodic table (run in this page by the tool runner)"
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"Conversation"</legend>
                    <div class="row">
                        <button type="button" on:click=move |_| state.export()>"Export JSON"</button>
                        <label class="button" for="import">"Import JSON"</label>
                        <input id="import" class="visually-hidden" type="file" accept=".json,application/json" on:change=import_file />
                        <button
                            type="button"
                            disabled=move || state.streaming()
                            on:click=move |_| {
                                state.turns.set(Vec::new());
                                state.error.set(None);
                            }
                        >
                            "Clear"
                        </button>
                    </div>
                </fieldset>
            </details>
        </aside>
    }
}

#[component]
fn ErrorBox(state: State) -> impl IntoView {
    view! {
        <div class="error-slot" role="alert">
            {move || state.error.get().map(|Shown { class, message, hint }| view! {
                <div class="error" id="error">
                    <strong class="error-class">{class}</strong>
                    <p>{message}</p>
                    {hint.map(|hint| view! { <p class="hint">{hint}</p> })}
                </div>
            })}
        </div>
    }
}

#[component]
fn Composer(state: State) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        state.attach_files(files_of(ev.data_transfer().and_then(|data| data.files())));
    };
    let on_paste = move |ev: ev::ClipboardEvent| {
        let files = files_of(ev.clipboard_data().and_then(|data| data.files()));
        if !files.is_empty() {
            ev.prevent_default();
            state.attach_files(files);
        }
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            state.send();
        }
    };
    let pick_files = move |ev: ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        state.attach_files(files_of(input.files()));
        input.set_value("");
    };
    let notice = move || rejection_notice(&state.model.get(), &state.prefill.get());
    let alternative = move || structured_alternative(&state.model.get(), &state.prefill.get());
    view! {
        <form
            class="composer"
            class:dragging=move || dragging.get()
            on:submit=move |ev| { ev.prevent_default(); state.send(); }
            on:dragover=move |ev: ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <details class="prefill-box" open>
                <summary>"Prefill playground"</summary>
                <div class="row presets" role="group" aria-label="Prefill presets">
                    {PRESETS.iter().map(|preset| view! {
                        <button
                            type="button"
                            on:click=move |_| {
                                state.prefill.set(preset.prefill.into());
                                state.draft.set(preset.prompt.into());
                                if let Some(max) = preset.max_tokens {
                                    state.max_tokens.set(max.to_string());
                                }
                            }
                        >
                            {preset.label}
                        </button>
                    }).collect_view()}
                    <button type="button" on:click=move |_| state.prefill.set(String::new())>"No prefill"</button>
                </div>
                <label class="field" for="prefill">
                    <span>"Start of Claude's reply (sent as the last, assistant turn)"</span>
                    <textarea id="prefill" rows="2" bind:value=state.prefill></textarea>
                </label>
                {move || notice().map(|text| view! { <p class="warning" id="prefill-notice" role="status">{text}</p> })}
                {move || alternative().map(|preset| view! {
                    <button type="button" id="use-structured" on:click=move |_| state.use_structured(preset)>
                        "Use structured outputs instead"
                    </button>
                })}
                {move || state.output_schema.get().map(|schema| view! {
                    <figure class="structured" id="output-schema">
                        <figcaption>
                            "Structured output: the reply follows this JSON Schema (output_config.format) "
                            <button type="button" on:click=move |_| state.output_schema.set(None)>"Remove"</button>
                        </figcaption>
                        <pre>{schema}</pre>
                    </figure>
                })}
            </details>
            <div class="thumbs pending" aria-label="Images to send">
                <For each=move || state.attachments.get() key=|a| a.id let(attachment)>
                    <figure class="thumb">
                        <img src=thumbnail(&attachment.block).unwrap_or_default() alt=attachment.name.clone() width="72" height="72" />
                        <figcaption>{attachment.name.clone()}</figcaption>
                        <button
                            type="button"
                            aria-label=format!("Remove {}", attachment.name)
                            on:click=move |_| state.attachments.update(|list| list.retain(|a| a.id != attachment.id))
                        >
                            "×"
                        </button>
                    </figure>
                </For>
            </div>
            <ul class="attachment-errors" role="alert">
                {move || state.attachment_errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
            <label class="field" for="message">
                <span>"Message (Enter sends, Shift+Enter for a new line; drop or paste images here)"</span>
                <textarea id="message" rows="3" bind:value=state.draft on:keydown=on_keydown on:paste=on_paste></textarea>
            </label>
            <div class="row">
                <label class="button" for="image-files">"Add images…"</label>
                <input id="image-files" class="visually-hidden" type="file" multiple accept="image/jpeg,image/png,image/gif,image/webp" on:change=pick_files />
                <label class="field inline" for="image-url">
                    <span>"Image URL"</span>
                    <input id="image-url" type="url" placeholder="https://…" bind:value=state.image_url />
                </label>
                <button type="button" on:click=move |_| state.attach_url()>"Add URL"</button>
            </div>
            <div class="row send-row">
                <button type="submit" class="primary" id="send" disabled=move || state.streaming()>"Send"</button>
                <button type="button" id="stop" disabled=move || !state.streaming() on:click=move |_| state.stop()>"Stop"</button>
                <Show when=move || !state.streaming() && state.awaiting_reply()>
                    <button type="button" id="resend" on:click=move |_| state.reply()>"Resend"</button>
                </Show>
            </div>
        </form>
    }
}

#[component]
fn CodePanel(state: State) -> impl IntoView {
    let open = RwSignal::new(false);
    let language = RwSignal::new(Language::Js);
    let copied = RwSignal::new(String::new());
    let shown = move || {
        state
            .next_request()
            .map(|request| {
                snippets(&request, &state.connection(), true)
                    .get(language.get())
                    .to_owned()
            })
            .unwrap_or_else(|message| message)
    };
    let copy = move |_| {
        let text = untrack(|| {
            state.next_request().map(|request| {
                snippets(&request, &state.connection(), false)
                    .get(language.get())
                    .to_owned()
            })
        });
        match text {
            Ok(text) => {
                let _ = window().navigator().clipboard().write_text(&text);
                copied.set(format!("Copied {} characters.", text.len()));
            }
            Err(message) => copied.set(message),
        }
    };
    view! {
        <details class="code" on:toggle=move |ev| {
            open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open());
        }>
            <summary>"Show the code"</summary>
            <Show when=move || open.get()>
                <div class="row" role="tablist" aria-label="Language">
                    {Language::ALL.map(|lang| view! {
                        <button
                            type="button"
                            role="tab"
                            aria-selected=move || (language.get() == lang).to_string()
                            on:click=move |_| language.set(lang)
                        >
                            {lang.label()}
                        </button>
                    })}
                    <button type="button" class="copy" on:click=copy>"Copy"</button>
                    <span class="note" role="status">{move || copied.get()}</span>
                </div>
                <pre class="snippet" tabindex="0" aria-label="Code for the current request">{shown}</pre>
            </Show>
        </details>
    }
}
