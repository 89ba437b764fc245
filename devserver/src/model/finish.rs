//! From drafted blocks to the reply actually sent: `max_tokens` across all blocks (thinking,
//! then text, then tool input, in order), `stop_sequences` in text, and the split of each block
//! into stream deltas.

use anthropic_wasm_core::types::StopReason;
use serde_json::Value;

use super::thinking::signature;
use crate::ids::{new_id, stable_hash, SplitMix};
use crate::tokens;

/// A block the model wants to write.
#[derive(Debug)]
pub enum Draft {
    Thinking(String),
    /// Thinking the safety systems would encrypt: counted as thinking, sent as opaque data.
    RedactedThinking(String),
    Text(String),
    ToolUse {
        name: String,
        input: Value,
    },
}

/// A block as sent: its deltas concatenate to its content.
#[derive(Debug)]
pub enum Block {
    Thinking {
        /// Thinking deltas (none with `display: "omitted"`).
        deltas: Vec<String>,
        signature: String,
    },
    /// Encrypted thinking: no deltas, its `data` in the block start.
    RedactedThinking {
        data: String,
    },
    Text {
        deltas: Vec<String>,
    },
    ToolUse {
        id: String,
        name: String,
        /// `input_json_delta` fragments; the first is `""`.
        deltas: Vec<String>,
        /// The input, or `None` when `max_tokens` cut it off.
        input: Option<Value>,
    },
}

impl Block {
    /// The whole text of a thinking or text block (its deltas joined).
    pub fn text(&self) -> String {
        match self {
            Self::Thinking { deltas, .. }
            | Self::Text { deltas }
            | Self::ToolUse { deltas, .. } => deltas.concat(),
            Self::RedactedThinking { .. } => String::new(),
        }
    }
}

/// The reply.
#[derive(Debug)]
pub struct Reply {
    pub blocks: Vec<Block>,
    pub stop_reason: StopReason,
    pub stop_sequence: Option<String>,
    pub output_tokens: usize,
}

/// Limits that shape the reply.
pub struct Limits<'a> {
    pub max_tokens: usize,
    pub stop_sequences: &'a [String],
    /// `thinking.budget_tokens`, when thinking is `enabled`.
    pub thinking_budget: Option<usize>,
    /// `display: "omitted"`: thinking is counted but not sent.
    pub omit_thinking: bool,
}

/// Applies the limits to the drafts.
pub fn finish(drafts: Vec<Draft>, limits: &Limits) -> Reply {
    let mut remaining = limits.max_tokens;
    let mut blocks = Vec::new();
    let mut stop: Option<(StopReason, Option<String>)> = None;
    for draft in drafts {
        match draft {
            Draft::Thinking(ref text) | Draft::RedactedThinking(ref text) => {
                let all = tokens::split(text);
                let allowed = limits.thinking_budget.unwrap_or(usize::MAX).min(remaining);
                let kept = &all[..all.len().min(allowed)];
                remaining -= kept.len();
                blocks.push(if matches!(draft, Draft::RedactedThinking(_)) {
                    // Opaque, stable bytes: the API's are encrypted thinking.
                    Block::RedactedThinking {
                        data: signature(&kept.concat()),
                    }
                } else {
                    let sent = if limits.omit_thinking {
                        String::new()
                    } else {
                        kept.concat()
                    };
                    Block::Thinking {
                        deltas: group(&tokens::split(&sent), 2, 6),
                        signature: signature(&sent),
                    }
                });
                if kept.len() < all.len() && remaining == 0 {
                    stop = Some((StopReason::MaxTokens, None));
                }
            }
            Draft::Text(text) => {
                let (kept, used, hit) = cut_text(&text, remaining, limits.stop_sequences);
                remaining -= used;
                if !kept.is_empty() {
                    blocks.push(Block::Text {
                        deltas: group(&tokens::split(&kept), 1, 3),
                    });
                }
                stop = hit;
            }
            Draft::ToolUse { name, input } => {
                let json = serde_json::to_string(&input).unwrap_or_else(|_| "{}".into());
                let all = tokens::split(&json);
                let kept = &all[..all.len().min(remaining)];
                remaining -= kept.len();
                let complete = kept.len() == all.len();
                blocks.push(Block::ToolUse {
                    id: new_id("toolu_"),
                    name,
                    deltas: fragments(&kept.concat()),
                    input: complete.then_some(input),
                });
                if !complete {
                    stop = Some((StopReason::MaxTokens, None));
                }
            }
        }
        if stop.is_some() {
            break;
        }
    }
    let (stop_reason, stop_sequence) = stop.unwrap_or_else(|| {
        let tool = blocks.iter().any(|b| matches!(b, Block::ToolUse { .. }));
        (
            if tool {
                StopReason::ToolUse
            } else {
                StopReason::EndTurn
            },
            None,
        )
    });
    Reply {
        blocks,
        stop_reason,
        stop_sequence,
        output_tokens: limits.max_tokens - remaining,
    }
}

/// Text within `budget` tokens and the stop sequences: `(text kept, tokens used, stop)`. A stop
/// sequence's own tokens are generated (and counted) but not returned, as with the API.
fn cut_text(
    text: &str,
    budget: usize,
    stops: &[String],
) -> (String, usize, Option<(StopReason, Option<String>)>) {
    let hit = stops
        .iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            text.find(s.as_str())
                .map(|start| (start, start + s.len(), s))
        })
        .min_by_key(|&(start, end, _)| (end, start));
    if let Some((start, end, sequence)) = hit {
        let used = tokens::count(&text[..end]);
        if used <= budget {
            return (
                text[..start].to_owned(),
                used,
                Some((StopReason::StopSequence, Some(sequence.clone()))),
            );
        }
    }
    let all = tokens::split(text);
    if all.len() > budget {
        return (
            all[..budget].concat(),
            budget,
            Some((StopReason::MaxTokens, None)),
        );
    }
    (text.to_owned(), all.len(), None)
}

/// Tokens grouped into deltas of `min..=max` tokens, sizes chosen from the text itself.
fn group(tokens: &[&str], min: usize, max: usize) -> Vec<String> {
    let mut rng = SplitMix::new(stable_hash(tokens.concat().as_bytes()));
    let mut deltas = Vec::new();
    let mut rest = tokens;
    while !rest.is_empty() {
        let size = (min + rng.below((max - min + 1) as u64) as usize).min(rest.len());
        deltas.push(rest[..size].concat());
        rest = &rest[size..];
    }
    deltas
}

/// Tool input JSON in fragments of 1–12 characters, cut anywhere (inside keys, strings and
/// escapes), after an empty first fragment, as the API streams it.
fn fragments(json: &str) -> Vec<String> {
    let mut rng = SplitMix::new(stable_hash(json.as_bytes()));
    let mut out = vec![String::new()];
    let chars: Vec<char> = json.chars().collect();
    let mut rest = chars.as_slice();
    while !rest.is_empty() {
        let size = (1 + rng.below(12) as usize).min(rest.len());
        out.push(rest[..size].iter().collect());
        rest = &rest[size..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_tokens: usize, stops: &[String]) -> Limits<'_> {
        Limits {
            max_tokens,
            stop_sequences: stops,
            thinking_budget: None,
            omit_thinking: false,
        }
    }

    #[test]
    fn max_tokens_cuts_text_on_a_token() {
        let reply = finish(
            vec![Draft::Text("one two three four".into())],
            &limits(2, &[]),
        );
        assert_eq!(reply.blocks[0].text(), "one two");
        assert_eq!(
            (reply.stop_reason, reply.output_tokens),
            (StopReason::MaxTokens, 2)
        );
        let whole = finish(vec![Draft::Text("one two".into())], &limits(10, &[]));
        assert_eq!(
            (whole.stop_reason, whole.output_tokens),
            (StopReason::EndTurn, 2)
        );
        let nothing = finish(vec![Draft::Text("one".into())], &limits(0, &[]));
        assert!(nothing.blocks.is_empty());
        assert_eq!(nothing.stop_reason, StopReason::MaxTokens);
    }

    #[test]
    fn stop_sequences_end_the_text() {
        let stops = vec!["3".to_string(), "zz".to_string()];
        let reply = finish(vec![Draft::Text("1, 2, 3, 4".into())], &limits(100, &stops));
        assert_eq!(reply.blocks[0].text(), "1, 2, ");
        assert_eq!(reply.stop_reason, StopReason::StopSequence);
        assert_eq!(reply.stop_sequence.as_deref(), Some("3"));
        assert_eq!(reply.output_tokens, tokens::count("1, 2, 3"));
        // A stop sequence beyond max_tokens is never reached.
        let short = finish(vec![Draft::Text("1, 2, 3, 4".into())], &limits(2, &stops));
        assert_eq!(short.stop_reason, StopReason::MaxTokens);
    }

    #[test]
    fn tool_input_streams_in_fragments_and_can_be_cut() {
        let input = serde_json::json!({"location": "Paris"});
        let reply = finish(
            vec![Draft::ToolUse {
                name: "w".into(),
                input: input.clone(),
            }],
            &limits(100, &[]),
        );
        let Block::ToolUse {
            deltas,
            input: Some(sent),
            ..
        } = &reply.blocks[0]
        else {
            panic!()
        };
        assert_eq!(deltas[0], "");
        assert_eq!(deltas.concat(), "{\"location\":\"Paris\"}");
        assert_eq!(sent, &input);
        assert_eq!(reply.stop_reason, StopReason::ToolUse);
        let cut = finish(
            vec![Draft::ToolUse {
                name: "w".into(),
                input,
            }],
            &limits(3, &[]),
        );
        assert!(matches!(&cut.blocks[0], Block::ToolUse { input: None, .. }));
        assert_eq!(cut.blocks[0].text(), "{\"location");
        assert_eq!(cut.stop_reason, StopReason::MaxTokens);
    }

    #[test]
    fn thinking_counts_and_can_be_omitted() {
        let drafts = || {
            vec![
                Draft::Thinking("I think so.".into()),
                Draft::Text("Yes.".into()),
            ]
        };
        let reply = finish(drafts(), &limits(100, &[]));
        assert_eq!(reply.output_tokens, 4 + 2);
        let Block::Thinking { signature: sig, .. } = &reply.blocks[0] else {
            panic!()
        };
        assert_eq!(sig, &signature("I think so."));
        let omitted = finish(
            drafts(),
            &Limits {
                omit_thinking: true,
                ..limits(100, &[])
            },
        );
        assert_eq!(omitted.blocks[0].text(), "");
        assert_eq!(omitted.output_tokens, 6);
    }
}
