//! The page's state (signals, all `Copy`) and what its buttons do: send, stop, resend, edit,
//! load models, attach images, import and export.

use anthropic_wasm::client::RequestOptions;
use anthropic_wasm::types::{ContentBlock, ListParams, MessageContent, MessageParam};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, File};

use crate::chat::{export_json, import_json, request_messages, Live, Settings, Turn};
use crate::connection::{local_url_from_page, stored_key, Connection, Mode};
use crate::errors::Shown;
use crate::images::{read_image, url_image, Attachment};
use crate::prefill::Preset;

/// The model chosen before the list arrives (the local server has it too).
const DEFAULT_MODEL: &str = "claude-sonnet-4-5";

/// Everything the page shows and edits.
#[derive(Clone, Copy)]
pub struct State {
    pub mode: RwSignal<Mode>,
    pub local_url: RwSignal<String>,
    pub proxy_url: RwSignal<String>,
    pub api_key: RwSignal<String>,
    /// Model ids from `models.list`.
    pub models: RwSignal<Vec<String>>,
    /// Why the list is missing, or empty.
    pub models_note: RwSignal<String>,
    pub model: RwSignal<String>,
    /// A devserver fault spec sent as the model suffix (local server only).
    pub fault: RwSignal<String>,
    pub system: RwSignal<String>,
    pub max_tokens: RwSignal<String>,
    pub temperature: RwSignal<String>,
    pub top_p: RwSignal<String>,
    pub top_k: RwSignal<String>,
    pub stop_sequences: RwSignal<String>,
    /// Extended thinking on, and its budget in tokens.
    pub thinking: RwSignal<bool>,
    pub thinking_budget: RwSignal<String>,
    /// The demo tools (calculator, clock, periodic table) offered, run by the tool runner.
    pub tools: RwSignal<bool>,
    /// Structured outputs: the JSON Schema (text) replies must follow, when set.
    pub output_schema: RwSignal<Option<String>>,
    pub prefill: RwSignal<String>,
    /// The message being typed.
    pub draft: RwSignal<String>,
    pub attachments: RwSignal<Vec<Attachment>>,
    /// Why files were not attached.
    pub attachment_errors: RwSignal<Vec<String>>,
    pub image_url: RwSignal<String>,
    pub turns: RwSignal<Vec<Turn>>,
    /// The reply while it streams.
    pub live: RwSignal<Option<Live>>,
    pub error: RwSignal<Option<Shown>>,
    /// The turn being edited and its text.
    pub editing: RwSignal<Option<(u64, String)>>,
    /// Aborts the reply in flight.
    pub(crate) abort: StoredValue<Option<AbortController>, LocalStorage>,
}

impl State {
    pub fn new() -> Self {
        let key = stored_key();
        Self {
            mode: RwSignal::new(if key.is_empty() {
                Mode::Local
            } else {
                Mode::Key
            }),
            local_url: RwSignal::new(local_url_from_page()),
            proxy_url: RwSignal::new(String::new()),
            api_key: RwSignal::new(key),
            models: RwSignal::new(Vec::new()),
            models_note: RwSignal::new("Loading models…".into()),
            model: RwSignal::new(DEFAULT_MODEL.into()),
            fault: RwSignal::new(String::new()),
            system: RwSignal::new(String::new()),
            max_tokens: RwSignal::new("1024".into()),
            temperature: RwSignal::new(String::new()),
            top_p: RwSignal::new(String::new()),
            top_k: RwSignal::new(String::new()),
            stop_sequences: RwSignal::new(String::new()),
            thinking: RwSignal::new(false),
            thinking_budget: RwSignal::new("1024".into()),
            tools: RwSignal::new(false),
            output_schema: RwSignal::new(None),
            prefill: RwSignal::new(String::new()),
            draft: RwSignal::new(String::new()),
            attachments: RwSignal::new(Vec::new()),
            attachment_errors: RwSignal::new(Vec::new()),
            image_url: RwSignal::new(String::new()),
            turns: RwSignal::new(Vec::new()),
            live: RwSignal::new(None),
            error: RwSignal::new(None),
            editing: RwSignal::new(None),
            abort: StoredValue::new_local(None),
        }
    }

    pub fn connection(&self) -> Connection {
        Connection {
            mode: self.mode.get(),
            local_url: self.local_url.get(),
            proxy_url: self.proxy_url.get(),
            api_key: self.api_key.get(),
        }
    }

    pub fn settings(&self) -> Settings {
        let model = self.model.get();
        let fault = self.fault.get();
        Settings {
            model: if self.mode.get() == Mode::Local && !fault.is_empty() {
                format!("{model}+fault={fault}")
            } else {
                model
            },
            system: self.system.get(),
            max_tokens: self.max_tokens.get(),
            temperature: self.temperature.get(),
            top_p: self.top_p.get(),
            top_k: self.top_k.get(),
            stop_sequences: self.stop_sequences.get(),
            thinking: self.thinking.get().then(|| self.thinking_budget.get()),
            output_schema: self.output_schema.get(),
        }
    }

    /// Asks for a JSON preset's reply through structured outputs instead of its prefill (for
    /// models that refuse prefill): its schema becomes `output_config.format`.
    pub fn use_structured(&self, preset: &Preset) {
        let Some(schema) = preset.schema else {
            return;
        };
        let pretty = serde_json::from_str::<serde_json::Value>(schema)
            .and_then(|value| serde_json::to_string_pretty(&value))
            .unwrap_or_else(|_| schema.to_owned());
        self.output_schema.set(Some(pretty));
        self.prefill.set(String::new());
        if self.draft.get_untracked().trim().is_empty() {
            self.draft.set(preset.prompt.into());
        }
    }

    /// Turns extended thinking on or off; on, `max_tokens` is raised above the budget when it
    /// is not (the API requires it).
    pub fn set_thinking(&self, on: bool) {
        self.thinking.set(on);
        if !on {
            return;
        }
        let budget: u32 = self
            .thinking_budget
            .get_untracked()
            .trim()
            .parse()
            .unwrap_or(1024);
        let max: u32 = self.max_tokens.get_untracked().trim().parse().unwrap_or(0);
        if max <= budget {
            self.max_tokens.set((budget * 2).to_string());
        }
    }

    pub fn streaming(&self) -> bool {
        self.live.with(Option::is_some)
    }

    /// The user turn the composer holds: images first, then the text.
    pub fn pending_turn(&self) -> Option<MessageParam> {
        let text = self.draft.get();
        let mut blocks: Vec<ContentBlock> = self
            .attachments
            .get()
            .into_iter()
            .map(|attachment| attachment.block)
            .collect();
        if blocks.is_empty() {
            return (!text.trim().is_empty()).then(|| MessageParam::user(text));
        }
        if !text.trim().is_empty() {
            blocks.push(ContentBlock::text(text));
        }
        Some(MessageParam::user(MessageContent::Blocks(blocks)))
    }

    /// The request the next Send makes, as JSON (for "Show the code").
    pub fn next_request(&self) -> Result<serde_json::Value, String> {
        let messages =
            request_messages(&self.turns.get(), self.pending_turn(), &self.prefill.get());
        let mut params = self.settings().params(messages)?;
        params.stream = Some(true);
        serde_json::to_value(&params).map_err(|e| e.to_string())
    }

    /// Sends the composer's turn and streams the reply.
    pub fn send(&self) {
        if self.streaming() {
            return;
        }
        let Some(turn) = untrack(|| self.pending_turn()) else {
            self.error.set(Some(Shown::page(
                "Type a message or attach an image first.",
            )));
            return;
        };
        self.turns.update(|turns| turns.push(Turn::new(turn)));
        self.draft.set(String::new());
        self.attachments.set(Vec::new());
        self.attachment_errors.set(Vec::new());
        self.reply();
    }

    /// Whether the last turn is the user's, waiting for a reply.
    pub fn awaiting_reply(&self) -> bool {
        self.turns
            .with(|turns| turns.last().is_some_and(turn_is_user))
    }

    /// Saves the edited text of a turn; a user turn is then answered again, and what followed
    /// it is dropped.
    pub fn save_edit(&self) {
        let Some((id, text)) = self.editing.get_untracked() else {
            return;
        };
        let mut resend = false;
        self.turns.update(|turns| {
            if let Some(index) = turns.iter().position(|turn| turn.id == id) {
                // A new id: the list re-renders a turn only when its key changes.
                turns[index] = Turn::new(turns[index].with_text(&text));
                if turn_is_user(&turns[index]) {
                    turns.truncate(index + 1);
                    resend = true;
                }
            }
        });
        self.editing.set(None);
        if resend {
            self.reply();
        }
    }

    pub fn delete_turn(&self, id: u64) {
        self.turns
            .update(|turns| turns.retain(|turn| turn.id != id));
    }

    /// Fills the model picker from `models.list`.
    pub fn load_models(&self) {
        let state = *self;
        let client = match untrack(|| self.connection().client(None)) {
            Ok(client) => client,
            Err(message) => return self.models_note.set(message),
        };
        self.models_note.set("Loading models…".into());
        spawn_local(async move {
            let params = ListParams {
                limit: Some(100),
                ..ListParams::default()
            };
            match client
                .models()
                .list(&params, &RequestOptions::default())
                .await
            {
                Ok(page) => {
                    let ids: Vec<String> = page
                        .data
                        .data
                        .iter()
                        .map(|model| model.id.clone())
                        .collect();
                    state.models_note.set(format!("{} models", ids.len()));
                    // An alias picks its dated id; an unknown model the newest one.
                    let chosen = state.model.get_untracked();
                    if !ids.contains(&chosen) {
                        let dated = ids.iter().find(|id| id.starts_with(&chosen));
                        if let Some(id) = dated.or(ids.first()) {
                            state.model.set(id.clone());
                        }
                    }
                    state.models.set(ids);
                }
                Err(error) => state
                    .models_note
                    .set(format!("Could not list models: {error}")),
            }
        });
    }

    /// Attaches image files after checking each; refused files are listed with the reason.
    pub fn attach_files(&self, files: Vec<File>) {
        self.attachment_errors.set(Vec::new());
        for file in files {
            let state = *self;
            spawn_local(async move {
                match read_image(file).await {
                    Ok(attachment) => state.attachments.update(|list| list.push(attachment)),
                    Err(message) => state.attachment_errors.update(|list| list.push(message)),
                }
            });
        }
    }

    pub fn attach_url(&self) {
        self.attachment_errors.set(Vec::new());
        match url_image(&self.image_url.get_untracked()) {
            Ok(attachment) => {
                self.attachments.update(|list| list.push(attachment));
                self.image_url.set(String::new());
            }
            Err(message) => self.attachment_errors.set(vec![message]),
        }
    }

    /// Downloads the conversation as `conversation.json` (the API's `messages` array).
    pub fn export(&self) {
        let json = self.turns.with_untracked(|turns| export_json(turns));
        if download("conversation.json", &json).is_err() {
            self.error
                .set(Some(Shown::page("The browser refused the download.")));
        }
    }

    /// Replaces the conversation with an exported one.
    pub fn import(&self, file: File) {
        let state = *self;
        spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string());
            let result = text
                .ok_or_else(|| "The file could not be read.".to_owned())
                .and_then(|text| import_json(&text));
            match result {
                Ok(turns) => {
                    state.turns.set(turns);
                    state.error.set(None);
                }
                Err(message) => state.error.set(Some(Shown::page(message))),
            }
        });
    }
}

fn turn_is_user(turn: &Turn) -> bool {
    turn.message.role == anthropic_wasm::types::Role::User
}

/// Saves `text` as a file through a temporary link.
fn download(name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}
