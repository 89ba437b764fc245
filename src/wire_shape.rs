//! Which fields of a streamed message the wire sent as `null` and which it left out.
//!
//! Rust reads both as `None`, and the types serialize each optional field one fixed way. The
//! official SDK's callers see the two apart (`null` against `undefined`), so the JS layer gives
//! the messages and blocks it hands over the shape they arrived with: the objects of
//! `message_start`, `content_block_start` and `citations_delta`, and the stop fields that
//! `message_delta` assigns (as the official `MessageStream` does). Only those objects' own keys
//! are shaped, never tool input or other data inside them.

use serde_json::{Map, Value};

use crate::types::{ContentBlockDelta, StreamEvent};

/// The keys one JSON object arrived with, and whether each was `null`.
#[derive(Clone, Debug, Default)]
struct ObjectShape(Vec<(String, bool)>);

impl ObjectShape {
    fn of(value: &Value) -> Self {
        match value {
            Value::Object(map) => Self(map.iter().map(|(k, v)| (k.clone(), v.is_null())).collect()),
            _ => Self::default(),
        }
    }

    /// Records that `key` arrived as `null` (`Some(true)`), with a value (`Some(false)`), or
    /// not at all (`None`).
    fn set(&mut self, key: &str, arrived_null: Option<bool>) {
        self.0.retain(|(k, _)| k != key);
        if let Some(is_null) = arrived_null {
            self.0.push((key.to_owned(), is_null));
        }
    }

    /// A key that arrived as `null` and is missing comes back as `null`; a `null` under a key
    /// the wire never sent goes.
    fn apply(&self, object: &mut Map<String, Value>) {
        for (key, is_null) in &self.0 {
            if *is_null && !object.contains_key(key) {
                object.insert(key.clone(), Value::Null);
            }
        }
        object.retain(|key, value| !value.is_null() || self.0.iter().any(|(k, _)| k == key));
    }
}

/// A content block's own keys, and those of each of its citations.
#[derive(Clone, Debug, Default)]
struct BlockShape {
    block: ObjectShape,
    citations: Vec<ObjectShape>,
}

impl BlockShape {
    fn of(block: &Value) -> Self {
        let citations = match block.get("citations") {
            Some(Value::Array(items)) => items.iter().map(ObjectShape::of).collect(),
            _ => Vec::new(),
        };
        Self {
            block: ObjectShape::of(block),
            citations,
        }
    }

    fn apply(&self, block: &mut Value) {
        let Value::Object(object) = block else {
            return;
        };
        self.block.apply(object);
        if let Some(Value::Array(citations)) = object.get_mut("citations") {
            for (citation, shape) in citations.iter_mut().zip(&self.citations) {
                if let Value::Object(citation) = citation {
                    shape.apply(citation);
                }
            }
        }
    }
}

/// The shape of the message a stream is building; see the module docs.
#[derive(Clone, Debug, Default)]
pub struct WireShape {
    message: ObjectShape,
    usage: ObjectShape,
    blocks: Vec<BlockShape>,
}

impl WireShape {
    /// Records what an event the accumulator accepted says about the shape. `data` is the
    /// event's JSON text; only the few events that bring new objects are parsed again.
    pub fn observe(&mut self, event: &StreamEvent, data: &str) {
        let wanted = match event {
            StreamEvent::MessageStart(_)
            | StreamEvent::ContentBlockStart(_)
            | StreamEvent::MessageDelta(_) => true,
            StreamEvent::ContentBlockDelta(delta) => {
                matches!(delta.delta, ContentBlockDelta::CitationsDelta(_))
            }
            _ => false,
        };
        if !wanted {
            return;
        }
        let Ok(value) = serde_json::from_str::<Value>(data) else {
            return;
        };
        match event {
            StreamEvent::MessageStart(_) => {
                let message = &value["message"];
                self.message = ObjectShape::of(message);
                self.usage = ObjectShape::of(&message["usage"]);
                self.blocks = match message.get("content") {
                    Some(Value::Array(blocks)) => blocks.iter().map(BlockShape::of).collect(),
                    _ => Vec::new(),
                };
            }
            StreamEvent::ContentBlockStart(_) => {
                self.blocks.push(BlockShape::of(&value["content_block"]));
            }
            StreamEvent::ContentBlockDelta(delta) => {
                if let Some(block) = self.blocks.get_mut(delta.index) {
                    block
                        .citations
                        .push(ObjectShape::of(&value["delta"]["citation"]));
                }
            }
            StreamEvent::MessageDelta(_) => {
                let delta = &value["delta"];
                for key in ["stop_reason", "stop_sequence", "stop_details"] {
                    self.message.set(key, delta.get(key).map(Value::is_null));
                }
            }
            _ => {}
        }
    }

    /// Gives a message serialized from the snapshot the shape it arrived with.
    pub fn apply_to_message(&self, message: &mut Value) {
        let Value::Object(object) = message else {
            return;
        };
        self.message.apply(object);
        if let Some(Value::Object(usage)) = object.get_mut("usage") {
            self.usage.apply(usage);
        }
        if let Some(Value::Array(content)) = object.get_mut("content") {
            for (block, shape) in content.iter_mut().zip(&self.blocks) {
                shape.apply(block);
            }
        }
    }

    /// Gives the serialized block at `index` the shape it arrived with.
    pub fn apply_to_block(&self, index: usize, block: &mut Value) {
        if let Some(shape) = self.blocks.get(index) {
            shape.apply(block);
        }
    }
}
