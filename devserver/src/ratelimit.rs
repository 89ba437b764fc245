//! `anthropic-ratelimit-*` headers from a one-minute window of real usage. Nothing is ever
//! refused for it (a 429 comes only from fault injection); the numbers move so that a client's
//! header parsing sees realistic values.

use std::sync::Mutex;

use crate::ids::{now_unix, rfc3339};

const REQUESTS_LIMIT: u64 = 4_000;
const INPUT_TOKENS_LIMIT: u64 = 2_000_000;
const OUTPUT_TOKENS_LIMIT: u64 = 400_000;

/// Usage in the current minute.
#[derive(Default)]
pub struct Window(Mutex<Counts>);

#[derive(Default)]
struct Counts {
    minute: u64,
    requests: u64,
    input_tokens: u64,
    output_tokens: u64,
}

impl Window {
    fn with_current<T>(&self, f: impl FnOnce(&mut Counts) -> T) -> (T, u64) {
        let minute = (now_unix() / 60.0) as u64;
        let mut counts = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        if counts.minute != minute {
            *counts = Counts {
                minute,
                ..Counts::default()
            };
        }
        (f(&mut counts), minute)
    }

    /// Counts one request and returns the headers to send with its response.
    pub fn request_headers(&self) -> Vec<(String, String)> {
        let ((requests, input, output), minute) = self.with_current(|counts| {
            counts.requests += 1;
            (counts.requests, counts.input_tokens, counts.output_tokens)
        });
        let reset = rfc3339(((minute + 1) * 60) as f64);
        // Whole seconds, as the API writes them.
        let reset = format!("{}Z", &reset[..19]);
        let mut headers = Vec::with_capacity(12);
        let mut add = |kind: &str, limit: u64, used: u64| {
            let prefix = format!("anthropic-ratelimit-{kind}");
            headers.push((format!("{prefix}-limit"), limit.to_string()));
            headers.push((
                format!("{prefix}-remaining"),
                limit.saturating_sub(used).to_string(),
            ));
            headers.push((format!("{prefix}-reset"), reset.clone()));
        };
        add("requests", REQUESTS_LIMIT, requests);
        add(
            "tokens",
            INPUT_TOKENS_LIMIT + OUTPUT_TOKENS_LIMIT,
            input + output,
        );
        add("input-tokens", INPUT_TOKENS_LIMIT, input);
        add("output-tokens", OUTPUT_TOKENS_LIMIT, output);
        headers
    }

    /// Records the tokens of a reply.
    pub fn record_tokens(&self, input: u64, output: u64) {
        self.with_current(|counts| {
            counts.input_tokens += input;
            counts.output_tokens += output;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_goes_down() {
        let window = Window::default();
        let value = |headers: &[(String, String)], name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let first = window.request_headers();
        window.record_tokens(100, 10);
        let second = window.request_headers();
        let remaining = "anthropic-ratelimit-requests-remaining";
        assert_eq!(value(&first, remaining), "3999");
        assert_eq!(value(&second, remaining), "3998");
        assert_eq!(
            value(&second, "anthropic-ratelimit-input-tokens-remaining"),
            "1999900"
        );
        let reset = value(&second, "anthropic-ratelimit-requests-reset");
        assert!(reset.ends_with(":00Z") && reset.len() == 20, "{reset}");
    }
}
