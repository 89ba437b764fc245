//! Continuing a prefill (a trailing assistant turn): the reply picks up where the prefill stops.
//! A JSON prefix (`{"name": "`, `[`) gets a continuation that makes prefill + reply parse; an
//! open parenthesis (`The answer is (`) gets a multiple-choice letter; an open quote gets the
//! quote closed; anything else gets the ordinary reply after a space. A prefill that is the
//! start of the ordinary reply (a reply cut short, sent again to be resumed) gets its rest.

use super::compose::{arithmetic, reply};
use super::facts::{excerpt, Facts};
use super::hints::Hints;
use super::json_complete::{complete, is_open_prefix, Values};

/// The continuation of `prefill`.
pub fn continue_prefill(prefill: &str, facts: &Facts) -> String {
    let ordinary = reply(facts);
    if let Some(rest) = ordinary
        .strip_prefix(prefill)
        .filter(|rest| !rest.is_empty())
    {
        return rest.to_owned();
    }
    let values = ConversationValues::new(facts);
    let json_start = prefill
        .char_indices()
        .filter(|(_, c)| *c == '{' || *c == '[')
        .map(|(i, _)| i)
        .find(|&i| is_open_prefix(&prefill[i..]));
    if let Some(rest) = json_start.and_then(|start| complete(&prefill[start..], &values)) {
        return rest;
    }
    if prefill.ends_with('(') {
        return multiple_choice(&facts.user_text);
    }
    if prefill.matches('"').count() % 2 == 1 {
        return format!("{}\".", excerpt(&facts.user_text, 80));
    }
    format!(" {ordinary}")
}

/// "B) the option": the option whose number is the sum in the question, else the longest
/// option (the test-taker's heuristic), else A.
fn multiple_choice(question: &str) -> String {
    let options = options(question);
    let sum = arithmetic(question).map(|(_, result)| result);
    let chosen = sum
        .and_then(|sum| {
            options
                .iter()
                .find(|(_, text)| text.trim_end_matches('.') == sum)
        })
        .or_else(|| {
            options
                .iter()
                .rev()
                .max_by_key(|(_, text)| text.chars().count())
        });
    match chosen {
        Some((letter, text)) => format!("{letter}) {text}"),
        None => "A)".into(),
    }
}

/// Options written `(A) text`, `A) text` or `A. text`, in the order given.
fn options(question: &str) -> Vec<(char, String)> {
    let mut found: Vec<(char, String)> = Vec::new();
    let chars: Vec<char> = question.chars().collect();
    let mut i = 0;
    while i + 1 < chars.len() {
        let letter = chars[i];
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        let (close, start) = match (chars.get(i.wrapping_sub(1)), chars.get(i + 1)) {
            (Some('('), Some(')')) if letter.is_ascii_uppercase() => (true, i + 2),
            (_, Some(')' | '.')) if letter.is_ascii_uppercase() && boundary => (true, i + 2),
            _ => (false, 0),
        };
        let expected = char::from(b'A' + found.len() as u8);
        if close && letter == expected {
            let mut end = start;
            while end < chars.len() && chars[end] != '\n' && !starts_option(&chars, end) {
                end += 1;
            }
            let text: String = chars[start..end].iter().collect();
            found.push((letter, text.trim().trim_end_matches(',').to_owned()));
            i = end;
            continue;
        }
        i += 1;
    }
    found
}

/// Whether an option marker (` (B)`, ` B)`) starts at `i`.
fn starts_option(chars: &[char], i: usize) -> bool {
    let at = |k: usize| chars.get(k).copied();
    at(i) == Some(' ')
        && (matches!((at(i + 1), at(i + 2), at(i + 3)), (Some('('), Some(c), Some(')')) if c.is_ascii_uppercase())
            || matches!((at(i + 1), at(i + 2)), (Some(c), Some(')')) if c.is_ascii_uppercase()))
}

/// Values for a JSON continuation, from the conversation.
struct ConversationValues {
    hints: Hints,
    answer: String,
    sum: Option<String>,
}

impl ConversationValues {
    fn new(facts: &Facts) -> Self {
        Self {
            hints: Hints::from_text(&facts.user_text),
            answer: reply(facts),
            sum: arithmetic(&facts.user_text).map(|(_, result)| result),
        }
    }

    fn text_for(&self, key: &str, depth: usize) -> String {
        let lower = key.to_lowercase();
        let words: Vec<&str> = self
            .hints
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .collect();
        if lower.contains("name") {
            return self
                .hints
                .proper_nouns
                .last()
                .cloned()
                .unwrap_or_else(|| "Claude".into());
        }
        if [
            "answer",
            "response",
            "reply",
            "summary",
            "text",
            "description",
            "message",
            "explanation",
        ]
        .iter()
        .any(|k| lower.contains(k))
        {
            return self.answer.clone();
        }
        if key.is_empty() && !words.is_empty() {
            return words[depth % words.len()].to_owned();
        }
        if self.hints.text.is_empty() {
            return format!("item {depth}");
        }
        self.hints.excerpt.clone()
    }
}

impl Values for ConversationValues {
    fn value_for(&self, key: &str, depth: usize) -> String {
        let lower = key.to_lowercase();
        let numeric = [
            "age", "count", "number", "total", "result", "sum", "year", "score", "quantity",
            "price",
        ];
        if numeric.iter().any(|k| lower.contains(k)) {
            let number = self
                .sum
                .clone()
                .or_else(|| self.hints.numbers.first().map(|n| super::compose::show(*n)))
                .unwrap_or_else(|| "42".into());
            if number.parse::<f64>().is_ok() {
                return number;
            }
        }
        if lower.starts_with("is_")
            || lower.starts_with("has_")
            || ["valid", "ok", "success", "correct"].contains(&lower.as_str())
        {
            return "true".into();
        }
        let plural = key
            .strip_suffix(['s', 'S'])
            .filter(|stem| stem.len() > 2 && !lower.ends_with("ss") && !lower.ends_with("status"));
        if let Some(singular) = plural {
            let items = [self.text_for(singular, 0), self.text_for(singular, 1)];
            return serde_json::to_string(&items).unwrap_or_else(|_| "[]".into());
        }
        serde_json::to_string(&self.text_for(key, depth)).unwrap_or_else(|_| "\"\"".into())
    }

    fn string_rest(&self, key: &str, started: &str) -> String {
        if !started.is_empty() {
            return String::new();
        }
        let json = serde_json::to_string(&self.text_for(key, 0)).unwrap_or_else(|_| "\"\"".into());
        json[1..json.len() - 1].to_owned()
    }

    fn key_for(&self, members: usize) -> String {
        match members {
            0 => "answer".into(),
            1 => "note".into(),
            n => format!("extra_{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anthropic_wasm_core::types::MessageCreateParams;

    fn facts(user: &str) -> Facts {
        let body = serde_json::json!({"model": "m", "max_tokens": 10,
            "messages": [{"role": "user", "content": user}]});
        Facts::read(&serde_json::from_value::<MessageCreateParams>(body).unwrap())
    }

    fn parses(prefill: &str, user: &str) -> serde_json::Value {
        let whole = format!("{prefill}{}", continue_prefill(prefill, &facts(user)));
        serde_json::from_str(&whole).unwrap_or_else(|e| panic!("{whole:?}: {e}"))
    }

    #[test]
    fn the_start_of_the_reply_gets_the_rest_of_it() {
        let facts = facts("Tell me a story about resuming");
        let whole = reply(&facts);
        let cut = whole.char_indices().nth(40).unwrap().0;
        let start = whole[..cut].trim_end();
        assert_eq!(format!("{start}{}", continue_prefill(start, &facts)), whole);
        // Anything else still gets the reply after it.
        assert_eq!(continue_prefill("Arr!", &facts), format!(" {whole}"));
    }

    #[test]
    fn json_prefills_become_valid_json() {
        let value = parses("{\"name\": \"", "Tell me about Marie Curie");
        assert_eq!(value["name"], "Curie");
        let value = parses("[", "List fruits: apple, banana");
        assert_eq!(value.as_array().unwrap().len(), 2);
        let value = parses("{", "What is 6 * 7?");
        assert!(value["answer"].as_str().unwrap().contains("6 × 7 = 42"));
        let value = parses("{\"result\":", "What is 6 * 7?");
        assert_eq!(value["result"], 42);
        let value = parses("{\"tags\": [\"a\", ", "x");
        assert_eq!(value["tags"].as_array().unwrap().len(), 2);
        let whole = format!(
            "Here is the JSON: {{\"ok\":{}",
            continue_prefill("Here is the JSON: {\"ok\":", &facts("hi"))
        );
        assert!(whole.ends_with("true}"), "{whole}");
    }

    #[test]
    fn multiple_choice_gets_a_letter() {
        let question = "What is 2+2? (A) 3 (B) 4 (C) 22";
        assert_eq!(
            continue_prefill("The answer is (", &facts(question)),
            "B) 4"
        );
        let lines = "Which is largest?\nA) a cat\nB) an elephant\nC) a mouse";
        assert_eq!(
            continue_prefill("The answer is (", &facts(lines)),
            "B) an elephant"
        );
        assert_eq!(continue_prefill("(", &facts("no options here")), "A)");
    }

    #[test]
    fn text_prefills_continue_after_a_space() {
        let continued = continue_prefill("Sure, here you go:", &facts("Say exactly: done"));
        assert_eq!(continued, " done");
        assert_eq!(
            continue_prefill("He said \"", &facts("hello world")),
            "hello world\"."
        );
    }
}
