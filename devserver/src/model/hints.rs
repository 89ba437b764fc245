//! What the conversation offers to fill generated values with: the user's words, names and
//! numbers, read once per reply (the schema generator asks for them per value).

use std::collections::HashSet;

/// What the conversation offers to fill values with.
pub struct Hints {
    /// The user's text.
    pub text: String,
    /// Capitalized words that do not start a sentence (likely names and places).
    pub proper_nouns: Vec<String>,
    /// Numbers written in the text.
    pub numbers: Vec<f64>,
    /// The text in lower case, and its words (for enum options the text names).
    pub lower: String,
    pub lower_words: HashSet<String>,
    /// The text's first 80 characters, white space flattened.
    pub excerpt: String,
}

impl Hints {
    pub fn from_text(text: &str) -> Self {
        let mut proper_nouns = Vec::new();
        let mut sentence_start = true;
        for word in text.split_whitespace() {
            let clean: String = word
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            // Capitalized, not all capitals (acronyms such as JSON are not names).
            let acronym = clean.chars().count() > 1 && clean.chars().all(|c| !c.is_lowercase());
            if !sentence_start && !acronym && clean.chars().next().is_some_and(char::is_uppercase) {
                proper_nouns.push(clean.clone());
            }
            sentence_start = word.ends_with(['.', '!', '?', ':']);
        }
        let numbers = text
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter_map(|t| t.trim_matches(['.', '-']).parse::<f64>().ok())
            .collect();
        let lower = text.to_lowercase();
        let lower_words = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        Self {
            text: text.trim().to_owned(),
            proper_nouns,
            numbers,
            lower,
            lower_words,
            excerpt: super::facts::excerpt(text, 80),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hints() {
        let hints = Hints::from_text("Book 3 nights in Lisbon as JSON. Thanks");
        assert_eq!(hints.proper_nouns, ["Lisbon"]);
        assert_eq!(hints.numbers, [3.0]);
        assert!(hints.lower_words.contains("lisbon"));
    }
}
