//! Events to bytes (`event: NAME\ndata: JSON\n\n`), with the stream faults applied:
//! `error-after=N` and `malformed`.

use anthropic_wasm_core::types::StreamEvent;

use crate::faults::Faults;
use crate::http::Piece;

/// One event: its name, its data line, and the output tokens it carries.
#[derive(Clone, Debug)]
pub struct Event {
    pub name: String,
    pub data: String,
    pub tokens: usize,
}

impl Event {
    /// An event from the client's own stream types.
    pub fn typed(event: StreamEvent, tokens: usize) -> Self {
        Self {
            name: event.name().to_owned(),
            data: serde_json::to_string(&event).unwrap_or_else(|_| "{}".into()),
            tokens,
        }
    }

    /// `ping`, spelled as the API spells it (with a space).
    pub fn ping() -> Self {
        Self {
            name: "ping".into(),
            data: "{\"type\": \"ping\"}".into(),
            tokens: 0,
        }
    }

    /// The mid-stream `overloaded_error`.
    fn overloaded() -> Self {
        Self {
            name: "error".into(),
            data: "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}".into(),
            tokens: 0,
        }
    }

    fn is_delta(&self) -> bool {
        self.name == "content_block_delta"
    }

    fn bytes(&self) -> Vec<u8> {
        format!("event: {}\ndata: {}\n\n", self.name, self.data).into_bytes()
    }
}

/// Where the deltas are among `events`.
fn delta_indices(events: &[Event]) -> Vec<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_delta())
        .map(|(i, _)| i)
        .collect()
}

/// The bytes to send, one piece per event, after the stream faults.
pub fn encode(mut events: Vec<Event>, faults: &Faults) -> Vec<Piece> {
    if let Some(after) = faults.error_after {
        // The error replaces everything after the N-th delta (or after the last one).
        let deltas = delta_indices(&events);
        let cut = match after {
            0 => deltas.first().copied(),
            n => deltas.get(n - 1).or(deltas.last()).map(|i| i + 1),
        };
        let cut = cut.unwrap_or(events.len().saturating_sub(2));
        events.truncate(cut);
        events.push(Event::overloaded());
    }
    if faults.malformed {
        let deltas = delta_indices(&events);
        let target = deltas
            .get(1)
            .or(deltas.first())
            .copied()
            .or_else(|| events.iter().position(|e| e.name == "message_delta"));
        if let Some(event) = target.and_then(|i| events.get_mut(i)) {
            // Half of a JSON object is never JSON.
            let mut half = event.data.len() / 2;
            while !event.data.is_char_boundary(half) {
                half -= 1;
            }
            event.data.truncate(half);
        }
    }
    events
        .iter()
        .map(|event| Piece {
            bytes: event.bytes(),
            tokens: event.tokens,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Event> {
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
        .iter()
        .map(|name| Event {
            name: (*name).into(),
            data: format!("{{\"type\":\"{name}\"}}"),
            tokens: 1,
        })
        .collect()
    }

    fn names(pieces: &[Piece]) -> Vec<String> {
        pieces
            .iter()
            .map(|p| {
                String::from_utf8_lossy(&p.bytes)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("event: ")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn error_after_replaces_the_rest() {
        let faults = Faults {
            error_after: Some(2),
            ..Faults::default()
        };
        let pieces = encode(sample(), &faults);
        assert_eq!(
            names(&pieces),
            [
                "message_start",
                "content_block_start",
                "content_block_delta",
                "content_block_delta",
                "error"
            ]
        );
        let last = String::from_utf8(pieces.last().unwrap().bytes.clone()).unwrap();
        assert_eq!(last, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        let zero = encode(
            sample(),
            &Faults {
                error_after: Some(0),
                ..Faults::default()
            },
        );
        assert_eq!(
            names(&zero),
            ["message_start", "content_block_start", "error"]
        );
    }

    #[test]
    fn malformed_breaks_one_data_line() {
        let pieces = encode(
            sample(),
            &Faults {
                malformed: true,
                ..Faults::default()
            },
        );
        let broken: Vec<usize> = pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let text = String::from_utf8_lossy(&p.bytes);
                let data = text.lines().nth(1).unwrap().trim_start_matches("data: ");
                serde_json::from_str::<serde_json::Value>(data).is_err()
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(broken, [3]);
    }
}
