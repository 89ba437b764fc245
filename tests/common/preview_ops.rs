//! Applies the ops of `anthropic_wasm_core::partial_json::PartialJson` to a
//! `serde_json::Value`, independently of the core's own tree, so tests can compare the
//! incremental previews with `parse_partial` after every fragment.

use anthropic_wasm::partial_json::parse_partial;
use anthropic_wasm_core::partial_json::{self, PartialJson};
use serde_json::{Map, Value};

/// The preview built from ops.
pub struct Applied {
    /// Container 0: its element 0 is the top-level value.
    holder: Value,
    /// For each container id, the keys that lead to it from the holder.
    paths: Vec<Vec<Value>>,
    invalid: bool,
    /// Total length of the ops texts applied.
    pub ops_bytes: usize,
}

impl Default for Applied {
    fn default() -> Self {
        Applied {
            holder: Value::Array(Vec::new()),
            paths: vec![Vec::new()],
            invalid: false,
            ops_bytes: 0,
        }
    }
}

impl Applied {
    /// What `parse_partial` of the text so far gives, by the ops applied so far.
    pub fn preview(&self) -> Option<Value> {
        if self.invalid {
            return None;
        }
        self.holder.get(0).cloned()
    }

    /// Applies one batch (the text of a JSON array of ops).
    pub fn apply(&mut self, ops: &str) {
        self.ops_bytes += ops.len();
        let items: Vec<Value> = serde_json::from_str(ops).expect("ops are JSON");
        let mut rest = items.as_slice();
        while let [code, tail @ ..] = rest {
            assert!(!self.invalid, "no ops after INVALID: {ops}");
            let code = code
                .as_u64()
                .and_then(|c| u8::try_from(c).ok())
                .expect("op code");
            if code == partial_json::INVALID {
                self.invalid = true;
                rest = tail;
                continue;
            }
            let (args, after) = tail.split_at(3);
            rest = after;
            let path = self.paths[as_index(&args[0])].clone();
            let key = &args[1];
            let target = path
                .iter()
                .fold(&mut self.holder, |node, k| member(node, k));
            match code {
                partial_json::PUT => *member(target, key) = args[2].clone(),
                partial_json::OBJECT | partial_json::ARRAY => {
                    *member(target, key) = if code == partial_json::ARRAY {
                        Value::Array(Vec::new())
                    } else {
                        Value::Object(Map::new())
                    };
                    assert_eq!(as_index(&args[2]), self.paths.len(), "ids in order");
                    let mut child = path.clone();
                    child.push(key.clone());
                    self.paths.push(child);
                }
                other => panic!("unknown op {other}"),
            }
        }
    }
}

fn as_index(value: &Value) -> usize {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .expect("an index")
}

/// The member `key` of a container; an array's next index or a new key is created (`null`).
fn member<'a>(node: &'a mut Value, key: &Value) -> &'a mut Value {
    match (node, key) {
        (Value::Array(items), Value::Number(_)) => {
            let index = as_index(key);
            assert!(index <= items.len(), "index {index} past the end");
            if index == items.len() {
                items.push(Value::Null);
            }
            &mut items[index]
        }
        (Value::Object(map), Value::String(name)) => map.entry(name.clone()).or_insert(Value::Null),
        (node, key) => panic!("no member {key} in {node}"),
    }
}

/// Feeds `text` in the fragments that `ends` (increasing byte offsets) cut it into, and after
/// each checks the applied preview against `parse_partial` of the text so far. Where a cut
/// splits a UTF-8 character the text so far is not a `str`: the preview is then that of the
/// text up to the character, or `None` when the character makes the text invalid.
pub fn check_splits(text: &str, ends: impl IntoIterator<Item = usize>) -> Applied {
    let mut parser = PartialJson::new();
    let mut applied = Applied::default();
    let mut start = 0;
    for end in ends.into_iter().chain([text.len()]) {
        let end = end.min(text.len());
        if end < start {
            continue;
        }
        applied.apply(parser.push(&text.as_bytes()[start..end]));
        start = end;
        let ours = applied.preview();
        if text.is_char_boundary(end) {
            assert_eq!(
                ours,
                parse_partial(&text[..end]),
                "after {:?}",
                &text[..end]
            );
        } else {
            let floor = (0..end)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let ceil = (end..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            let next = parse_partial(&text[..ceil]);
            assert!(
                ours == parse_partial(&text[..floor]) || (ours.is_none() && next.is_none()),
                "split inside a character after {:?}: {ours:?}",
                &text[..floor]
            );
        }
    }
    applied
}

/// `parse_partial(text)`, after checking that the incremental parser agrees with it: fed the
/// whole text, fed one byte at a time (checked at every step when the text is short), and through
/// the one-shot `preview`.
pub fn checked_parse_partial(text: &str) -> Option<Value> {
    let want = parse_partial(text);
    let one_shot = partial_json::preview(text).map(|json| {
        serde_json::from_str::<Value>(&json).unwrap_or_else(|e| panic!("{json:?}: {e}"))
    });
    assert_eq!(one_shot, want, "preview({text:?})");
    check_splits(text, []);
    if text.len() <= 300 {
        check_splits(text, 1..text.len());
    } else {
        // Long texts: compared at the end only (every step would be quadratic here).
        let piece = if text.len() > 100_000 { 4_099 } else { 1 };
        let mut parser = PartialJson::new();
        let mut applied = Applied::default();
        for chunk in text.as_bytes().chunks(piece) {
            applied.apply(parser.push(chunk));
        }
        assert_eq!(applied.preview(), want, "in pieces of {piece}");
    }
    want
}
