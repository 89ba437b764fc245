//! The anthropic-wasm demo page: a chat over the crate's Rust client (`Client` on the wasm
//! `fetch` transport) with live streaming rendered as Markdown, extended thinking, the figures
//! of each reply, images, an assistant-prefill playground and the code of the current request.
//! Trunk builds it (`Trunk.toml` at the repository root).

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
mod turns;
mod view;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(view::App);
}
