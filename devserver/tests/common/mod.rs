//! Test harness: the server started in-process on port 0, and a small blocking HTTP/1.1 client
//! over `TcpStream` that keeps what a careful client needs to see (status, headers, body, the
//! times bytes arrived, whether the body ended properly).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use devserver::Config;
use serde_json::Value;

/// Starts a server with `config` (port forced to 0) on its own runtime thread.
pub fn start(config: Config) -> SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let server = devserver::serve(Config {
                port: 0,
                log: false,
                ..config
            })
            .await
            .expect("bind");
            sender.send(server.local_addr()).expect("send addr");
            server.wait().await;
        });
    });
    receiver
        .recv_timeout(Duration::from_secs(5))
        .expect("server started")
}

/// One shared server with the default configuration (no key, no pacing).
pub fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start(Config {
            batch_request_delay: Duration::from_millis(20),
            ..Config::default()
        })
    })
}

/// A response as received.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When each piece of the body arrived, from the moment the request was sent.
    pub arrivals: Vec<(Duration, usize)>,
    /// When the status line arrived.
    pub head_after: Duration,
    /// The body ended as framed (Content-Length reached or the final chunk seen).
    pub complete: bool,
    /// HTTP chunk sizes, for chunked bodies.
    pub chunks: Vec<usize>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The error message of an API error body.
    pub fn error_message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// SSE events as `(event name, data)`.
    pub fn events(&self) -> Vec<(String, String)> {
        sse_events(&self.text())
    }

    /// The events' data parsed as JSON (all must be JSON).
    pub fn event_json(&self) -> Vec<(String, Value)> {
        self.events()
            .into_iter()
            .map(|(name, data)| {
                let value = serde_json::from_str(&data)
                    .unwrap_or_else(|e| panic!("{name}: bad JSON {data:?}: {e}"));
                (name, value)
            })
            .collect()
    }
}

/// Splits an SSE body into `(event, data)` pairs.
pub fn sse_events(text: &str) -> Vec<(String, String)> {
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let mut name = String::new();
            let mut data = Vec::new();
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event: ") {
                    name = value.to_owned();
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data.push(value);
                }
            }
            (name, data.join("\n"))
        })
        .collect()
}

/// A request to send.
pub struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl<'a> Call<'a> {
    /// With `anthropic-version` and a JSON content type, as every SDK sends.
    pub fn new(method: &'a str, path: &'a str) -> Self {
        Self {
            method,
            path,
            headers: vec![
                ("anthropic-version".into(), "2023-06-01".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Vec::new(),
        }
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.body = serde_json::to_vec(body).expect("json");
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self
    }

    pub fn send(self, addr: SocketAddr) -> Reply {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        self.send_on(&mut stream, &mut reader, addr)
    }

    /// Sends on an open connection (keep-alive tests).
    pub fn send_on(
        self,
        stream: &mut TcpStream,
        reader: &mut BufReader<TcpStream>,
        addr: SocketAddr,
    ) -> Reply {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\n",
            self.method,
            self.path,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let sent = Instant::now();
        stream.write_all(head.as_bytes()).expect("write head");
        stream.write_all(&self.body).expect("write body");
        read_reply(reader, sent)
    }
}

fn read_reply(reader: &mut BufReader<TcpStream>, sent: Instant) -> Reply {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let head_after = sent.elapsed();
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header");
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':').expect("header colon");
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v): &(String, String)| v.clone())
    };
    let mut body = Vec::new();
    let mut arrivals = Vec::new();
    let mut chunks = Vec::new();
    let mut complete = false;
    if find("transfer-encoding").is_some_and(|te| te.contains("chunked")) {
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let Ok(size) = usize::from_str_radix(line.trim(), 16) else {
                break;
            };
            if size == 0 {
                line.clear();
                let _ = reader.read_line(&mut line);
                complete = true;
                break;
            }
            let mut chunk = vec![0; size];
            let mut got = 0;
            while got < size {
                match reader.read(&mut chunk[got..]) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        arrivals.push((sent.elapsed(), n));
                        got += n;
                    }
                }
            }
            body.extend_from_slice(&chunk[..got]);
            chunks.push(size);
            if got < size {
                break;
            }
            let mut crlf = [0; 2];
            if reader.read_exact(&mut crlf).is_err() {
                break;
            }
        }
    } else if let Some(length) = find("content-length").and_then(|l| l.parse::<usize>().ok()) {
        let mut buffer = vec![0; length];
        let mut got = 0;
        while got < length {
            match reader.read(&mut buffer[got..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    arrivals.push((sent.elapsed(), n));
                    got += n;
                }
            }
        }
        complete = got == length;
        buffer.truncate(got);
        body = buffer;
    }
    Reply {
        status,
        headers,
        body,
        arrivals,
        head_after,
        complete,
        chunks,
    }
}

/// `POST /v1/messages` with `body` on the shared server.
pub fn create(body: Value) -> Reply {
    Call::new("POST", "/v1/messages").json(&body).send(server())
}

/// A one-turn request body.
pub fn ask(model: &str, text: &str, max_tokens: u64) -> Value {
    serde_json::json!({"model": model, "max_tokens": max_tokens, "messages": [{"role": "user", "content": text}]})
}

/// Checks the event grammar of api-surface §6.1:
/// `message_start (block)* message_delta+ message_stop`, `block = start delta* stop`,
/// `ping` anywhere, indices in order; a block may stay open only when `max_tokens` cut it.
/// Returns the event names without pings.
pub fn assert_grammar(events: &[(String, Value)]) -> Vec<String> {
    let names: Vec<String> = events
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n != "ping")
        .collect();
    for (name, data) in events {
        assert_eq!(
            data["type"],
            name.as_str(),
            "type field repeats the event name"
        );
    }
    assert_eq!(
        names.first().map(String::as_str),
        Some("message_start"),
        "{names:?}"
    );
    assert_eq!(
        names.last().map(String::as_str),
        Some("message_stop"),
        "{names:?}"
    );
    let mut open: Option<u64> = None;
    let mut next_index = 0;
    let mut seen_delta = false;
    for (name, data) in events.iter().filter(|(n, _)| n != "ping") {
        match name.as_str() {
            "content_block_start" => {
                assert!(
                    open.is_none() && !seen_delta,
                    "start inside a block: {names:?}"
                );
                assert_eq!(data["index"], next_index);
                open = Some(next_index);
                next_index += 1;
            }
            "content_block_delta" => {
                assert_eq!(Some(data["index"].as_u64().unwrap()), open, "{names:?}")
            }
            "content_block_stop" => {
                assert_eq!(Some(data["index"].as_u64().unwrap()), open);
                open = None;
            }
            "message_delta" => {
                if open.is_some() {
                    assert_eq!(
                        data["delta"]["stop_reason"], "max_tokens",
                        "only max_tokens leaves a block open"
                    );
                    open = None;
                }
                seen_delta = true;
            }
            _ => {}
        }
    }
    names
}

/// Folds stream events into the final message, as the official SDK does.
pub fn accumulate(events: &[(String, Value)]) -> Value {
    let mut message = Value::Null;
    let mut json_buffers: Vec<String> = Vec::new();
    for (name, data) in events {
        match name.as_str() {
            "message_start" => message = data["message"].clone(),
            "content_block_start" => {
                message["content"]
                    .as_array_mut()
                    .unwrap()
                    .push(data["content_block"].clone());
                json_buffers.push(String::new());
            }
            "content_block_delta" => {
                let index = data["index"].as_u64().unwrap() as usize;
                let block = &mut message["content"][index];
                let delta = &data["delta"];
                match delta["type"].as_str().unwrap() {
                    "text_delta" => {
                        block["text"] = Value::String(format!(
                            "{}{}",
                            block["text"].as_str().unwrap(),
                            delta["text"].as_str().unwrap()
                        ))
                    }
                    "thinking_delta" => {
                        block["thinking"] = Value::String(format!(
                            "{}{}",
                            block["thinking"].as_str().unwrap(),
                            delta["thinking"].as_str().unwrap()
                        ))
                    }
                    "signature_delta" => block["signature"] = delta["signature"].clone(),
                    "input_json_delta" => {
                        json_buffers[index].push_str(delta["partial_json"].as_str().unwrap())
                    }
                    other => panic!("unexpected delta {other}"),
                }
            }
            "content_block_stop" => {
                let index = data["index"].as_u64().unwrap() as usize;
                if message["content"][index]["type"] == "tool_use" {
                    let buffer = &json_buffers[index];
                    message["content"][index]["input"] = if buffer.is_empty() {
                        serde_json::json!({})
                    } else {
                        serde_json::from_str(buffer)
                            .unwrap_or_else(|e| panic!("tool input {buffer:?}: {e}"))
                    };
                }
            }
            "message_delta" => {
                message["stop_reason"] = data["delta"]["stop_reason"].clone();
                message["stop_sequence"] = data["delta"]["stop_sequence"].clone();
                message["usage"]["output_tokens"] = data["usage"]["output_tokens"].clone();
            }
            _ => {}
        }
    }
    message
}

/// A small image of one colour, encoded in `format`, as base64.
pub fn image_base64(format: image::ImageFormat, width: u32, height: u32, rgb: [u8; 3]) -> String {
    use base64::Engine as _;
    let image = image::RgbImage::from_pixel(width, height, image::Rgb(rgb));
    let mut bytes = Vec::new();
    match format {
        image::ImageFormat::WebP => {
            let rgba = image::DynamicImage::ImageRgb8(image).to_rgba8();
            rgba.write_to(&mut std::io::Cursor::new(&mut bytes), format)
                .expect("encode webp");
        }
        _ => image
            .write_to(&mut std::io::Cursor::new(&mut bytes), format)
            .expect("encode"),
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
