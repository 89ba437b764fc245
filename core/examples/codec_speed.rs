//! Codec throughput on a synthetic stream: `cargo run --release -p anthropic-wasm-core --example codec_speed`.
use anthropic_wasm_core::stream::StreamCodec;
use std::time::Instant;

fn main() {
    let mut body = String::from("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"content\":[]}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    let words = [
        "Hello",
        " world",
        " \\\"quoted\\\"",
        "\\nnew line",
        " héllo",
        " 日本語",
        " 😀",
    ];
    for i in 0..100_000 {
        body.push_str(&format!("event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"{}\"}}}}\n\n", words[i % 7]));
    }
    let bytes = body.as_bytes();
    for full in [true, false] {
        for _ in 0..3 {
            let start = Instant::now();
            let mut codec = StreamCodec::new();
            let mut out = 0;
            for chunk in bytes.chunks(65536) {
                out += codec.push(chunk, full).len();
            }
            out += codec.end(full).len();
            let s = start.elapsed().as_secs_f64();
            println!(
                "full={full} {:.1} ms, {:.0} MB/s, {out} bytes out",
                s * 1e3,
                bytes.len() as f64 / 1e6 / s
            );
        }
    }
}
