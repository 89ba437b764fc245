//! Every resource a request can make the server spend is bounded, and the bound is answered the
//! way HTTP and the API say: chunk sizes that overflow (413), a request head too large (431),
//! connections beyond the cap (503), schemas that ask for more values than the generator makes
//! (400), images too large to decode (described by their header only).

mod common;

use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use devserver::Config;
use serde_json::json;

/// Sends raw bytes on a new connection and returns everything the server answers until it
/// closes.
fn raw(bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(server()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(bytes).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(answer: &str) -> Option<u16> {
    answer.split(' ').nth(1)?.parse().ok()
}

/// Finding 1: `body.len() + size` overflowed, which panicked in debug and aborted the process in
/// release (`panic = "abort"`).
#[test]
fn chunk_size_ffffffffffffffff_after_a_one_byte_chunk_gets_413_and_the_server_survives() {
    let answer = raw(b"POST /v1/messages HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\nffffffffffffffff\r\n");
    assert_eq!(status_of(&answer), Some(413), "{answer}");
    assert!(answer.contains("request_too_large"), "{answer}");
    assert_eq!(Call::new("GET", "/v1/models").send(server()).status, 200);
}

fn forced_tool(schema: serde_json::Value) -> serde_json::Value {
    json!({"model": "claude-haiku-4-5", "max_tokens": 32000,
        "tools": [{"name": "t", "input_schema": {"type": "object", "properties": {"items": schema}, "required": ["items"]}}],
        "tool_choice": {"type": "tool", "name": "t"},
        "messages": [{"role": "user", "content": "go"}]})
}

/// Finding 2: `Vec::with_capacity(minItems)` asked for 35 TB and aborted the process.
#[test]
fn forced_tool_with_min_items_1099511627776_gets_a_400() {
    let reply = create(forced_tool(
        json!({"type": "array", "items": {"type": "integer"}, "minItems": 1_099_511_627_776u64}),
    ));
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.json()["error"]["type"], "invalid_request_error");
    assert!(
        reply.error_message().contains("at most 200000"),
        "{}",
        reply.error_message()
    );
}

/// Finding 2: a million unique items took seconds (a quadratic uniqueness check) and hundreds of
/// MB; the same for a million-character string and for recursion that multiplies.
#[test]
fn schemas_that_ask_for_a_million_values_get_a_400() {
    // Ten required references to itself: ten to the sixth values within the depth bound.
    let names: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
    let node: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|name| (name.clone(), json!({"$ref": "#/$defs/node"})))
        .collect();
    let recursive = json!({"type": "object", "$defs": {"node": {"type": "object", "properties": node, "required": names}},
        "properties": {"root": {"$ref": "#/$defs/node"}}, "required": ["root"]});
    let oversized = [
        forced_tool(
            json!({"type": "array", "items": {"type": "integer"}, "minItems": 1_000_000, "uniqueItems": true}),
        ),
        forced_tool(json!({"type": "string", "minLength": 1_000_000})),
        forced_tool(json!({"type": "object", "minProperties": 1_000_000})),
        json!({"model": "claude-haiku-4-5", "max_tokens": 100, "tools": [{"name": "t", "input_schema": recursive}],
            "tool_choice": {"type": "any"}, "messages": [{"role": "user", "content": "go"}]}),
    ];
    for body in oversized {
        let reply = create(body.clone());
        assert_eq!(reply.status, 400, "{body}: {}", reply.text());
        assert!(reply.error_message().contains("at most 200000"));
    }
    // Below the bound the value is generated as the schema asks.
    let reply = create(forced_tool(
        json!({"type": "array", "items": {"type": "integer"}, "minItems": 5000, "uniqueItems": true}),
    ));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let items = reply.json()["content"][0]["input"]["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(5000));
}

/// Finding 3: a request head over the limit got 400; HTTP says 431.
#[test]
fn request_head_over_64_kib_gets_431() {
    let head = format!(
        "GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    let answer = raw(head.as_bytes());
    assert_eq!(status_of(&answer), Some(431), "{answer}");
}

/// Finding 3: a body over the limit, in chunks or by length, gets 413 before it is read.
#[test]
fn body_over_32_mib_gets_413() {
    let answer = raw(b"POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 33554433\r\n\r\n{");
    assert_eq!(status_of(&answer), Some(413), "{answer}");
    let answer = raw(
        b"POST /v1/messages HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n2000001\r\n{",
    );
    assert_eq!(status_of(&answer), Some(413), "{answer}");
}

/// Finding 3: connections were not capped; beyond `--max-connections` they get a 503 at once
/// (the API's `overloaded_error` shape) and a freed slot is used again.
#[test]
fn connections_beyond_the_cap_get_503_until_one_closes() {
    let addr = start(Config {
        max_connections: 2,
        ..Config::default()
    });
    let first = TcpStream::connect(addr).unwrap();
    let mut second = TcpStream::connect(addr).unwrap();
    let mut second_reader = BufReader::new(second.try_clone().unwrap());
    // The second is served (so both are counted) before the third arrives.
    let reply = Call::new("GET", "/v1/models").send_on(&mut second, &mut second_reader, addr);
    assert_eq!(reply.status, 200);
    let refused = Call::new("GET", "/v1/models").send(addr);
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(refused.header("connection"), Some("close"));
    assert!(
        refused.error_message().contains("--max-connections"),
        "{}",
        refused.text()
    );
    drop(first);
    let mut served = None;
    for _ in 0..100 {
        let reply = Call::new("GET", "/v1/models").send(addr);
        if reply.status == 200 {
            served = Some(reply);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(served.is_some(), "a freed slot serves again");
}

/// Finding 4: a 249 KB PNG of 8000 × 8000 decoded to 245 MB. An image over the pixel bound is
/// described from its header (format and size), its pixels never decoded.
#[test]
fn png_over_the_pixel_bound_is_described_from_its_header() {
    let data = image_base64(image::ImageFormat::Png, 2049, 2049, [208, 16, 16]);
    let reply = create(
        json!({"model": "claude-haiku-4-5", "max_tokens": 300, "messages": [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}},
        {"type": "text", "text": "What is in this picture?"}]}]}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let text = reply.json()["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains("The image is a 2049×2049 PNG image, too large to look at closely"),
        "{text}"
    );
}
