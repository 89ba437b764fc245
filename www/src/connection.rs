//! Where requests go: the local Messages API server (no key), the Anthropic API with a key
//! typed into the page (kept in this tab's sessionStorage only), or a proxy that adds the key.

use anthropic_wasm::client::{Client, ClientOptions, DEFAULT_BASE_URL};
use anthropic_wasm::error::ApiKey;
use anthropic_wasm::fetch::FetchTransport;
use web_sys::AbortSignal;

/// The sessionStorage entry of the key: gone when the tab closes, never in localStorage.
const KEY_STORAGE: &str = "anthropic-wasm-demo.api-key";

/// The local server's address when the page's URL does not name one (`?api=…`).
const DEFAULT_LOCAL_URL: &str = "http://127.0.0.1:8787";

/// The three ways to reach a Messages API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The local devserver: deterministic replies, fault injection, no key.
    Local,
    /// api.anthropic.com with the user's key, straight from the browser.
    Key,
    /// A server (e.g. the Cloudflare Worker) that adds the key.
    Proxy,
}

impl Mode {
    /// Every mode, in the order the page lists them.
    pub const ALL: [Mode; 3] = [Mode::Local, Mode::Key, Mode::Proxy];

    /// The radio button's label.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Local => "Local server (no key)",
            Mode::Key => "Anthropic API with my key",
            Mode::Proxy => "Proxy that adds the key",
        }
    }
}

/// What the connection settings say.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    /// Which API.
    pub mode: Mode,
    /// The local server's base URL.
    pub local_url: String,
    /// The proxy's base URL.
    pub proxy_url: String,
    /// The user's key (key mode only).
    pub api_key: String,
}

impl Connection {
    /// The client's options, or what is missing.
    pub fn client_options(&self) -> Result<ClientOptions, String> {
        let base = |url: &str, what: &str| {
            let url = url.trim();
            if url.starts_with("http://") || url.starts_with("https://") {
                Ok(url.to_owned())
            } else {
                Err(format!(
                    "Enter the {what} as an http:// or https:// URL in Connection."
                ))
            }
        };
        Ok(match self.mode {
            Mode::Local => ClientOptions {
                base_url: base(&self.local_url, "local server's address")?,
                // The server, like the API, wants the opt-in from any page.
                dangerously_allow_browser: true,
                ..ClientOptions::default()
            },
            Mode::Key => {
                let key = self.api_key.trim();
                if key.is_empty() {
                    return Err(
                        "Enter an API key in Connection, or choose the local server.".into(),
                    );
                }
                ClientOptions {
                    api_key: Some(ApiKey::new(key)),
                    dangerously_allow_browser: true,
                    ..ClientOptions::default()
                }
            }
            // The proxy holds the key: nothing secret is in the page, no opt-in needed.
            Mode::Proxy => ClientOptions {
                base_url: base(&self.proxy_url, "proxy's address")?,
                ..ClientOptions::default()
            },
        })
    }

    /// A client whose every request obeys `signal` (the Stop button).
    pub fn client(&self, signal: Option<AbortSignal>) -> Result<Client<FetchTransport>, String> {
        Ok(Client::new(
            FetchTransport::new(None, signal),
            self.client_options()?,
        ))
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        match self.mode {
            Mode::Local => &self.local_url,
            Mode::Key => DEFAULT_BASE_URL,
            Mode::Proxy => &self.proxy_url,
        }
    }
}

/// The local server named by the page's `?api=` parameter (scripts/demo.sh and the tests set
/// it), else the default port.
pub fn local_url_from_page() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("api"))
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| DEFAULT_LOCAL_URL.into())
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The key this tab stored, if any.
pub fn stored_key() -> String {
    session_storage()
        .and_then(|storage| storage.get_item(KEY_STORAGE).ok()?)
        .unwrap_or_default()
}

/// Keeps the key for this tab only (an empty key removes it).
pub fn store_key(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = if key.is_empty() {
            storage.remove_item(KEY_STORAGE)
        } else {
            storage.set_item(KEY_STORAGE, key)
        };
    }
}
