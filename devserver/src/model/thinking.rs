//! Extended thinking: a short account of what the model read and what it will do, and the
//! signature that proves a thinking block came from this server (checked when it is sent back).

use base64::Engine as _;

use super::facts::{excerpt, Facts};
use crate::ids::{stable_hash, SplitMix};

/// A user turn holding this string, with thinking on, gets its thinking as a
/// `redacted_thinking` block: the string the API documents for testing redacted thinking.
pub const REDACTED_TRIGGER: &str =
    "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253";

/// The signature of a thinking text: 64 bytes derived from it, base64, shaped like the API's.
pub fn signature(thinking: &str) -> String {
    let mut rng = SplitMix::new(stable_hash(thinking.as_bytes()) ^ 0x5349_474e);
    let mut bytes = vec![0x12, 0x40];
    while bytes.len() < 66 {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes.truncate(66);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The thinking for a reply; `plan` says what the reply will be.
pub fn think(facts: &Facts, plan: &str) -> String {
    let mut lines = Vec::new();
    let words = facts.user_text.split_whitespace().count();
    if words > 0 {
        lines.push(format!(
            "The user wrote {words} word{}: \"{}\".",
            if words == 1 { "" } else { "s" },
            excerpt(&facts.user_text, 80)
        ));
    }
    if !facts.images.is_empty() {
        lines.push(format!(
            "They sent {} image(s); I will describe them from their pixels.",
            facts.images.len()
        ));
    }
    if !facts.system.is_empty() {
        lines.push(format!(
            "The system prompt says: \"{}\".",
            excerpt(&facts.system, 80)
        ));
    }
    if !facts.tool_outcomes.is_empty() {
        let tools: Vec<&str> = facts
            .tool_outcomes
            .iter()
            .map(|o| o.tool.as_str())
            .collect();
        lines.push(format!("I have results from {}.", tools.join(", ")));
    }
    lines.push(plan.to_owned());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_stable_and_differ_by_text() {
        assert_eq!(signature("a"), signature("a"));
        assert_ne!(signature("a"), signature("b"));
        assert_eq!(signature("a").len(), 88);
    }
}
