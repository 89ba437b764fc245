//! The leaves of a generated value: numbers within their bounds and strings by the property's
//! name and format.

use serde_json::{json, Map, Value};

use crate::model::hints::Hints;

pub fn number(
    map: &Map<String, Value>,
    key: &str,
    hints: &Hints,
    integer: bool,
    variant: usize,
) -> f64 {
    let bound = |name: &str| map.get(name).and_then(Value::as_f64);
    let mut low = bound("minimum").unwrap_or(f64::MIN);
    let mut high = bound("maximum").unwrap_or(f64::MAX);
    if let Some(exclusive) = bound("exclusiveMinimum") {
        low = low.max(if integer {
            exclusive.floor() + 1.0
        } else {
            exclusive + 0.5
        });
    }
    if let Some(exclusive) = bound("exclusiveMaximum") {
        high = high.min(if integer {
            exclusive.ceil() - 1.0
        } else {
            exclusive - 0.5
        });
    }
    let wanted = hints.numbers.first().copied().unwrap_or(match key {
        k if k.contains("year") => 2025.0,
        k if k.contains("age") => 30.0,
        k if k.contains("count") || k.contains("limit") || k.contains("days") => 3.0,
        _ => 42.0,
    });
    let mut chosen = (wanted + variant as f64).clamp(low.min(high), high.max(low));
    if integer {
        chosen = chosen.round();
        if chosen < low {
            chosen = low.ceil();
        }
        if chosen > high {
            chosen = high.floor();
        }
    }
    if let Some(step) = bound("multipleOf").filter(|s| *s > 0.0) {
        let snapped = (chosen / step).ceil() * step;
        if snapped <= high {
            chosen = snapped;
        }
    }
    chosen
}

pub fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        json!(number as i64)
    } else {
        json!(number)
    }
}

/// A string for a property, by its name and format (lengths are [`Gen::text`]'s).
pub fn text_for(key: &str, hints: &Hints, map: &Map<String, Value>, variant: usize) -> String {
    let lower = key.to_lowercase();
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    let noun = hints.proper_nouns.last().cloned();
    let words = hints.excerpt.clone();
    let mut text = match format {
        "date" => "2025-01-15".to_owned(),
        "date-time" => "2025-01-15T12:00:00Z".to_owned(),
        "time" => "12:00:00".to_owned(),
        "email" => "user@example.com".to_owned(),
        "uri" | "url" => "https://example.com/".to_owned(),
        "uuid" => "123e4567-e89b-12d3-a456-426614174000".to_owned(),
        _ => match lower.as_str() {
            k if [
                "location",
                "city",
                "place",
                "country",
                "destination",
                "region",
            ]
            .iter()
            .any(|w| k.contains(w)) =>
            {
                noun.unwrap_or_else(|| "San Francisco, CA".into())
            }
            k if k.contains("name") => noun.unwrap_or_else(|| "Ada".into()),
            k if [
                "query", "question", "prompt", "text", "message", "input", "content", "search",
            ]
            .iter()
            .any(|w| k.contains(w)) =>
            {
                if words.is_empty() {
                    "hello".into()
                } else {
                    words
                }
            }
            k if k.contains("unit") => "celsius".into(),
            k if k.contains("lang") => "en".into(),
            "" => {
                if words.is_empty() {
                    "item".into()
                } else {
                    words
                }
            }
            k => format!("example {k}"),
        },
    };
    if variant > 0 {
        text = format!("{variant} {text}");
    }
    text
}
