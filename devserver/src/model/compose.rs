//! The text of a reply: it answers the last user turn from what it contains (a greeting, a sum,
//! "count to N", "say exactly: …", images, documents, tool results) and reflects the system
//! prompt and the conversation so far. Deterministic: the same request, the same words.

use serde_json::Value;

use super::facts::{excerpt, Facts};

/// The reply to the last user turn.
pub fn reply(facts: &Facts) -> String {
    let text = facts.user_text.trim();
    if let Some(exact) = say_exactly(text) {
        return exact;
    }
    if let Some(counting) = count_to(text) {
        return counting;
    }
    let mut parts: Vec<String> = Vec::new();
    if is_greeting(text) {
        parts.push("Hello! I am the devserver's deterministic model.".into());
    }
    if !text.is_empty() {
        let verb = if text.ends_with('?') {
            "You asked:"
        } else {
            "You said:"
        };
        parts.push(quoted(verb, &excerpt(text, 200)));
    }
    if let Some((expression, result)) = arithmetic(text) {
        parts.push(format!("{expression} = {result}."));
    }
    if text.to_lowercase().contains("story") {
        parts.push(story(facts));
    }
    parts.extend(numbered("image", &facts.images));
    parts.extend(numbered("document", &facts.documents));
    if !facts.system.is_empty() {
        parts.push(quoted(
            "I am following the system prompt:",
            &excerpt(&facts.system, 120),
        ));
    }
    if facts.user_turns > 1 {
        parts.push(format!(
            "This is your message number {} in our conversation.",
            facts.user_turns
        ));
    }
    let words = text.split_whitespace().count();
    if words > 0 {
        parts.push(format!(
            "Your message has {words} word{}.",
            if words == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        return "I received your message, but it has no text I can quote.".into();
    }
    let mut reply = parts.join(" ");
    if text.to_lowercase().contains("markdown") {
        reply.push_str("\n\n");
        reply.push_str(MARKDOWN_SAMPLE);
    }
    reply
}

/// What a reply asked for Markdown adds: a little of each construct a chat page renders.
const MARKDOWN_SAMPLE: &str = "## A Markdown sample\n\n\
Text can be **bold**, *italic*, ~~struck~~ or `code`, with a [link](https://docs.anthropic.com).\n\n\
- a list item\n\
- [x] a done task\n\
- [ ] an open one\n\n\
1. first\n\
2. second\n\n\
> A quotation.\n\n\
```rust\n\
fn main() {\n    println!(\"Hello from the devserver\");\n}\n\
```\n\n\
| Format | Rendered |\n\
| --- | --- |\n\
| Markdown | as views |\n\
| HTML like <b>this</b> | as text |\n";

/// The answer once tools have run: what each returned, then the question it answers.
pub fn tool_answer(facts: &Facts) -> String {
    let mut parts = Vec::new();
    for outcome in &facts.tool_outcomes {
        let content = outcome.content.trim();
        let described = match serde_json::from_str::<Value>(content) {
            Ok(Value::Object(map)) if !map.is_empty() => map
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k} is {s}"),
                    other => format!("{k} is {other}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ if content.is_empty() => "nothing".into(),
            _ => excerpt(content, 300),
        };
        parts.push(if outcome.is_error {
            format!("The {} tool reported an error: {described}. I cannot complete that step without it.", outcome.tool)
        } else {
            format!("The {} tool returned: {described}.", outcome.tool)
        });
    }
    if !facts.question.trim().is_empty() {
        parts.push(quoted(
            "That is my answer to",
            &excerpt(&facts.question, 120),
        ));
    }
    parts.join(" ")
}

/// `lead "text".`, without a second full stop when the quote ends a sentence itself.
fn quoted(lead: &str, text: &str) -> String {
    let end = if text.ends_with(['.', '!', '?', '…']) {
        ""
    } else {
        "."
    };
    format!("{lead} \"{text}\"{end}")
}

fn numbered(kind: &str, descriptions: &[String]) -> Vec<String> {
    match descriptions {
        [] => Vec::new(),
        [one] => vec![format!("The {kind} is {one}.")],
        many => many
            .iter()
            .enumerate()
            .map(|(i, d)| {
                format!(
                    "{}{} {} is {d}.",
                    kind[..1].to_uppercase(),
                    &kind[1..],
                    i + 1
                )
            })
            .collect(),
    }
}

fn is_greeting(text: &str) -> bool {
    let first = text
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(first.as_str(), "hi" | "hello" | "hey" | "greetings")
}

/// "Say exactly: X", "Repeat after me: X", "Echo: X" → X.
fn say_exactly(text: &str) -> Option<String> {
    ["say exactly:", "repeat after me:", "echo:"]
        .iter()
        .find_map(|prefix| {
            let head = text.get(..prefix.len())?;
            let rest = &text[prefix.len()..];
            head.eq_ignore_ascii_case(prefix)
                .then(|| rest.strip_prefix(' ').unwrap_or(rest).to_owned())
        })
}

/// "Count to N" / "count from A to B" → "1, 2, …, N." (at most 1000 numbers).
fn count_to(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let rest = &lower[lower.find("count ")? + 6..];
    let numbers: Vec<i64> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .take(2)
        .filter_map(|t| t.parse().ok())
        .collect();
    let (from, to) = if rest.starts_with("from") && numbers.len() == 2 {
        (numbers[0], numbers[1])
    } else if rest.starts_with("to") {
        (1, *numbers.first()?)
    } else {
        return None;
    };
    if to < from || to - from >= 1000 {
        return None;
    }
    let list: Vec<String> = (from..=to).map(|n| n.to_string()).collect();
    Some(format!("{}.", list.join(", ")))
}

/// The first `a op b` in the text, worked out: `("2 + 2", "4")`.
pub fn arithmetic(text: &str) -> Option<(String, String)> {
    let normalized = text
        .replace(" plus ", " + ")
        .replace(" minus ", " - ")
        .replace(" times ", " * ")
        .replace(" divided by ", " / ")
        .replace(['×', 'x'], "*")
        .replace('÷', "/");
    let chars: Vec<char> = normalized.chars().collect();
    let number_at = |mut i: usize| -> Option<(f64, usize)> {
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let text = text.trim_end_matches('.');
        (start < i)
            .then(|| text.parse().ok().map(|n| (n, start + text.len())))
            .flatten()
    };
    let mut i = 0;
    while i < chars.len() {
        let at_boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if chars[i].is_ascii_digit() && at_boundary {
            if let Some((a, mut j)) = number_at(i) {
                while j < chars.len() && chars[j] == ' ' {
                    j += 1;
                }
                if let Some(&op) = chars.get(j).filter(|c| "+-*/".contains(**c)) {
                    let mut k = j + 1;
                    while k < chars.len() && chars[k] == ' ' {
                        k += 1;
                    }
                    if let Some((b, _)) = number_at(k) {
                        let result = match op {
                            '+' => a + b,
                            '-' => a - b,
                            '*' => a * b,
                            _ if b == 0.0 => {
                                return Some((format!("{} / 0", show(a)), "undefined".into()))
                            }
                            _ => a / b,
                        };
                        let symbol = if op == '*' { '×' } else { op };
                        return Some((format!("{} {symbol} {}", show(a), show(b)), show(result)));
                    }
                }
                i = j.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
    None
}

/// A number as people write it: no `.0`, at most 6 decimals.
pub fn show(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        let text = format!("{number:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn story(facts: &Facts) -> String {
    let hero = super::hints::Hints::from_text(&facts.user_text)
        .proper_nouns
        .last()
        .cloned()
        .unwrap_or_else(|| "a curious traveller".into());
    format!(
        "Here is a short story. Once upon a time, {hero} set out at dawn with a map that had one corner missing. \
         By noon the road forked three times, and each time {hero} chose the path that sounded like running water. \
         At dusk the river led to a small town where every window was lit, and a stranger said: \"We have been expecting you.\" \
         {hero} stayed for supper, traded the torn map for a whole one, and in the morning walked on, lighter than before. The end."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use anthropic_wasm_core::types::MessageCreateParams;

    fn facts(user: &str, system: Option<&str>) -> Facts {
        let mut body = serde_json::json!({"model": "m", "max_tokens": 10,
            "messages": [{"role": "user", "content": user}]});
        if let Some(system) = system {
            body["system"] = system.into();
        }
        Facts::read(&serde_json::from_value::<MessageCreateParams>(body).unwrap())
    }

    #[test]
    fn answers_from_the_turn() {
        assert_eq!(
            reply(&facts("What is 2+2?", None)),
            "You asked: \"What is 2+2?\" 2 + 2 = 4. Your message has 3 words."
        );
        assert_eq!(
            reply(&facts("Hello there", Some("Be a pirate."))),
            "Hello! I am the devserver's deterministic model. You said: \"Hello there\". I am following the system prompt: \"Be a pirate.\" Your message has 2 words."
        );
        assert_eq!(reply(&facts("Say exactly: one, two", None)), "one, two");
        assert_eq!(reply(&facts("Please count to 5", None)), "1, 2, 3, 4, 5.");
        assert_eq!(reply(&facts("count from 3 to 5", None)), "3, 4, 5.");
        assert!(reply(&facts("Tell me a story about Lisbon", None))
            .contains("Once upon a time, Lisbon"));
    }

    #[test]
    fn a_request_for_markdown_gets_a_sample_of_it() {
        let answer = reply(&facts("Show me some Markdown", None));
        let (said, sample) = answer.split_once("\n\n").unwrap();
        assert_eq!(
            said,
            "You said: \"Show me some Markdown\". Your message has 4 words."
        );
        assert_eq!(sample, MARKDOWN_SAMPLE);
        for construct in [
            "## ",
            "**bold**",
            "- [x] ",
            "1. first",
            "> ",
            "```rust\n",
            "| --- |",
        ] {
            assert!(sample.contains(construct), "{construct}");
        }
        assert!(!reply(&facts("Show me some text", None)).contains("##"));
    }

    #[test]
    fn works_out_sums() {
        assert_eq!(
            arithmetic("what is 12 * 3?"),
            Some(("12 × 3".into(), "36".into()))
        );
        assert_eq!(
            arithmetic("7 divided by 2"),
            Some(("7 / 2".into(), "3.5".into()))
        );
        assert_eq!(
            arithmetic("1/0"),
            Some(("1 / 0".into(), "undefined".into()))
        );
        assert_eq!(arithmetic("version 3 is out"), None);
        assert_eq!(show(0.1 + 0.2), "0.3");
    }
}
