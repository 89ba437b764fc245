//! Validation time on two large requests (a 5 MB image; 10,000 messages):
//! `cargo run --release -p anthropic-wasm-core --example validate_speed`.
use anthropic_wasm_core::validate::{validate_message_request, Options};
use std::time::Instant;

/// A request whose one image is a PNG signature followed by `len` bytes of base64 `A`s.
fn big_image(len: usize) -> String {
    let data = format!("iVBORw0KGgo{}", "A".repeat(len - 11 - len % 4 + 4));
    let data = data
        .get(..data.len() / 4 * 4)
        .unwrap_or_default()
        .to_owned();
    format!(
        r#"{{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{{"role":"user","content":[{{"type":"image","source":{{"type":"base64","media_type":"image/png","data":"{data}"}}}},{{"type":"text","text":"What is this?"}}]}}]}}"#
    )
}

/// A request of `count` alternating turns with a few blocks each.
fn many_messages(count: usize) -> String {
    let mut messages = Vec::with_capacity(count);
    for i in 0..count {
        messages.push(if i % 2 == 0 {
            format!(r#"{{"role":"user","content":[{{"type":"text","text":"Question {i}: what is the weather in Paris?\nThanks."}}]}}"#)
        } else {
            format!(r#"{{"role":"assistant","content":[{{"type":"text","text":"Answer {i}."}},{{"type":"tool_use","id":"toolu_{i}","name":"get_weather","input":{{"city":"Paris"}}}}]}}"#)
        });
    }
    format!(
        r#"{{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{}],"tools":[{{"name":"get_weather","input_schema":{{"type":"object"}}}}]}}"#,
        messages.join(",")
    )
}

fn main() {
    for (name, body) in [
        ("5 MB image", big_image(5 * 1024 * 1024 * 4 / 3 - 64)),
        ("10,000 messages", many_messages(10_000)),
    ] {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            let verdict = validate_message_request(body.as_bytes(), &Options::default());
            best = best.min(start.elapsed().as_secs_f64() * 1000.0);
            assert!(verdict.is_ok(), "{verdict:?}");
        }
        println!("{name}: {:.1} MB, {best:.2} ms", body.len() as f64 / 1e6);
    }
}
