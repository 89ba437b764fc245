//! "Show the code": the current request as JavaScript (the `anthropic-wasm` npm package), as
//! Rust (this crate's client) and as raw JSON. On screen, image data is shortened; the Copy
//! buttons copy the full text.

use serde_json::Value;

use crate::connection::{Connection, Mode};

/// Image data longer than this is shortened on screen.
const SHOWN_STRING_LIMIT: usize = 120;

/// The three snippets.
#[derive(Clone, Debug, PartialEq)]
pub struct Snippets {
    /// JavaScript with `anthropic-wasm`.
    pub js: String,
    /// Rust with `anthropic_wasm::client`.
    pub rust: String,
    /// The request body.
    pub json: String,
}

/// Which snippet, for the tabs and the Copy buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// JavaScript.
    Js,
    /// Rust.
    Rust,
    /// The raw request.
    Json,
}

impl Language {
    /// Every language, in tab order.
    pub const ALL: [Language; 3] = [Language::Js, Language::Rust, Language::Json];

    /// The tab's text.
    pub fn label(self) -> &'static str {
        match self {
            Language::Js => "JavaScript",
            Language::Rust => "Rust",
            Language::Json => "Raw request JSON",
        }
    }
}

impl Snippets {
    /// The snippet in `language`.
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Js => &self.js,
            Language::Rust => &self.rust,
            Language::Json => &self.json,
        }
    }
}

/// The snippets for `request` (the body, with `"stream": true`) over `connection`; `shorten`
/// for the screen.
pub fn snippets(request: &Value, connection: &Connection, shorten: bool) -> Snippets {
    let mut request = request.clone();
    if shorten {
        shorten_strings(&mut request);
    }
    let json = serde_json::to_string_pretty(&request).unwrap_or_default();
    let mut body = request.clone();
    if let Value::Object(object) = &mut body {
        object.remove("stream");
    }
    let body = serde_json::to_string_pretty(&body).unwrap_or_default();
    Snippets {
        js: js_snippet(&body, connection),
        rust: rust_snippet(&body, connection),
        json,
    }
}

fn js_snippet(body: &str, connection: &Connection) -> String {
    let options = match connection.mode {
        Mode::Local => format!(
            "{{ baseURL: {:?}, dangerouslyAllowBrowser: true }}",
            connection.local_url
        ),
        Mode::Key => "{ apiKey: process.env.ANTHROPIC_API_KEY }".to_owned(),
        Mode::Proxy => format!("{{ baseURL: {:?} }}", connection.proxy_url),
    };
    format!(
        "import Anthropic from 'anthropic-wasm';\n\n\
         const client = new Anthropic({options});\n\
         const stream = client.messages.stream({body});\n\
         stream.on('text', (text) => process.stdout.write(text));\n\
         const message = await stream.finalMessage();\n\
         console.log(message.stop_reason, message.usage, stream.request_id);\n"
    )
}

fn rust_snippet(body: &str, connection: &Connection) -> String {
    let (key_import, key_parameter) = match connection.mode {
        Mode::Key => ("use anthropic_wasm::error::ApiKey;\n", "api_key: &str, "),
        Mode::Local | Mode::Proxy => ("", ""),
    };
    let options = match connection.mode {
        Mode::Local => format!(
            "base_url: {:?}.into(),\n    dangerously_allow_browser: true,",
            connection.local_url
        ),
        Mode::Key => {
            "api_key: Some(ApiKey::new(api_key)),\n    dangerously_allow_browser: true,".to_owned()
        }
        Mode::Proxy => format!("base_url: {:?}.into(),", connection.proxy_url),
    };
    let hashes = raw_string_hashes(body);
    let steps = format!(
        "let client = Client::new(FetchTransport::new(None, None), ClientOptions {{\n    \
         {options}\n    ..ClientOptions::default()\n}});\n\
         let params: MessageCreateParams = serde_json::from_str(r{hashes}\"{body}\"{hashes})?;\n\
         let mut stream = client.messages().stream(&params, &RequestOptions::default()).await?;\n\
         while let Some(event) = stream.next_event().await {{\n    \
         if let StreamEvent::ContentBlockDelta(delta) = event? {{\n        \
         if let ContentBlockDelta::TextDelta(text) = delta.delta {{\n            \
         on_text(&text.text);\n        }}\n    }}\n}}\n\
         Ok(stream.final_message().await?)"
    );
    let indented: Vec<String> = steps.lines().map(|line| format!("    {line}")).collect();
    format!(
        "use anthropic_wasm::client::{{Client, ClientOptions, RequestOptions}};\n\
         {key_import}use anthropic_wasm::fetch::FetchTransport;\n\
         use anthropic_wasm::types::{{ContentBlockDelta, Message, MessageCreateParams, StreamEvent}};\n\n\
         async fn ask({key_parameter}mut on_text: impl FnMut(&str)) -> Result<Message, Box<dyn std::error::Error>> {{\n\
         {}\n}}\n",
        indented.join("\n")
    )
}

/// Enough `#`s for a raw string literal holding `text`.
fn raw_string_hashes(text: &str) -> String {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    hashes
}

/// Shortens base64 `data` (images) so that the page stays light; everything else is shown.
fn shorten_strings(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(shorten_strings),
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    Value::String(text) if key == "data" && text.len() > SHOWN_STRING_LIMIT => {
                        let head: String = text.chars().take(40).collect();
                        *text =
                            format!("{head}… ({} characters; Copy copies them all)", text.len());
                    }
                    value => shorten_strings(value),
                }
            }
        }
        _ => {}
    }
}
