//! No request makes the server fail: valid requests mutated at random (keys dropped, values
//! replaced by other JSON types, strings and numbers bent) always get 200, 400 or 404 with a
//! well-formed body, and the connection stays usable.

mod common;

use common::*;
use serde_json::{json, Value};

/// xorshift64*: enough randomness for mutations, fixed seed for repeatability.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Value> {
    let png = image_base64(image::ImageFormat::Png, 3, 2, [10, 200, 10]);
    vec![
        json!({"model": "claude-haiku-4-5", "max_tokens": 50, "system": "S", "stop_sequences": ["x"],
            "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "{\"a\": ["}]}),
        json!({"model": "claude-haiku-4-5", "max_tokens": 200, "stream": true, "tool_choice": {"type": "any"},
            "tools": [{"name": "t", "input_schema": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 3}, "l": {"type": "array", "items": {"$ref": "#/properties/n"}}}, "required": ["n"]}}],
            "messages": [{"role": "user", "content": [{"type": "text", "text": "use t"}, {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}}]}]}),
        json!({"model": "claude-opus-4-5", "max_tokens": 3000, "thinking": {"type": "enabled", "budget_tokens": 1024},
            "messages": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "t", "input": {}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "r"}]}]}]}),
    ]
}

fn random_value(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1e300),
        4 => json!(""),
        5 => json!("\u{0}\u{2028}é🙂 (A) {\""),
        6 => json!([]),
        7 => json!({"type": "text"}),
        _ => json!(u64::MAX),
    }
}

/// Changes one random place in the value.
fn mutate(value: &mut Value, rng: &mut Rng) {
    match value {
        Value::Object(map) if !map.is_empty() && rng.below(4) != 0 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            match rng.below(3) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    map.insert(key.clone(), random_value(rng));
                }
                _ => mutate(map.get_mut(key).unwrap(), rng),
            }
        }
        Value::Array(items) if !items.is_empty() && rng.below(4) != 0 => {
            let index = rng.below(items.len());
            if rng.below(3) == 0 {
                items.remove(index);
            } else {
                mutate(&mut items[index], rng);
            }
        }
        Value::String(text) => text.push_str([" ", "}", "\\", "(", "  "][rng.below(5)]),
        _ => *value = random_value(rng),
    }
}

#[test]
fn mutated_requests_never_break_the_server() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let seeds = seeds();
    let mut statuses = std::collections::BTreeMap::new();
    for round in 0..300 {
        let mut body = seeds[round % seeds.len()].clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut body, &mut rng);
        }
        let reply = create(body.clone());
        *statuses.entry(reply.status).or_insert(0) += 1;
        assert!(
            matches!(reply.status, 200 | 400 | 404),
            "{} for {body}: {}",
            reply.status,
            reply.text()
        );
        assert!(reply.complete, "{body}");
        if reply.status == 200 {
            if reply.header("content-type") == Some("application/json") {
                assert_eq!(reply.json()["type"], "message");
            } else {
                assert_eq!(reply.events().last().unwrap().0, "message_stop", "{body}");
            }
        } else {
            assert_eq!(reply.json()["type"], "error");
        }
    }
    assert!(statuses.len() >= 2, "{statuses:?}");
}
