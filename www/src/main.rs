//! The anthropic-wasm demo page: a chat over the crate's Rust client (`Client` on the wasm
//! `fetch` transport) with live streaming rendered as Markdown, extended thinking, the figures
//! of each reply, the library's tool runner with demo tools, images, an assistant-prefill
//! playground with structured outputs, and the code of the current request.
//! Trunk builds it (`Trunk.toml` at the repository root).

mod ask;
mod chat;
mod code;
mod connection;
mod errors;
mod figures;
mod images;
mod markdown;
mod prefill;
mod reply;
mod state;
mod tools;
mod turns;
mod view;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(view::App);
}
