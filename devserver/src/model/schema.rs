//! Values generated from a JSON Schema, for tool inputs and structured outputs: valid for the
//! schema (types, enums, consts, required fields, ranges, lengths, array sizes, nested objects,
//! local `$ref`s) and, where a property's name says what it wants, taken from the conversation
//! (a place for `location`, the user's words for `query`, a number they wrote for `count`).

use serde_json::{json, Map, Value};

/// Deepest nesting generated; deeper optional parts are left out.
const MAX_DEPTH: usize = 12;

/// What the conversation offers to fill values with.
pub struct Hints {
    /// The user's text.
    pub text: String,
    /// Capitalized words that do not start a sentence (likely names and places).
    pub proper_nouns: Vec<String>,
    /// Numbers written in the text.
    pub numbers: Vec<f64>,
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
        Self {
            text: text.trim().to_owned(),
            proper_nouns,
            numbers,
        }
    }
}

/// A value valid for `schema` (`root` resolves `#/…` references).
pub fn generate(schema: &Value, root: &Value, key: &str, hints: &Hints) -> Value {
    Gen { root, hints }.value(schema, key, 0, 0)
}

/// The generator: the root schema (for references) and the hints.
struct Gen<'a> {
    root: &'a Value,
    hints: &'a Hints,
}

impl Gen<'_> {
    /// A value for `schema`; `variant` > 0 asks for a different value than variant 0 (the items of a
    /// `uniqueItems` array).
    fn value(&self, schema: &Value, key: &str, depth: usize, variant: usize) -> Value {
        let (root, hints) = (self.root, self.hints);
        let Some(map) = schema.as_object() else {
            // `true` or an empty schema: anything goes.
            return Value::String(text_for(key, hints, &Map::new(), variant));
        };
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return match resolve(root, reference) {
                Some(target) => self.value(target, key, depth + 1, variant),
                None => Value::Null,
            };
        }
        if let Some(constant) = map.get("const") {
            return constant.clone();
        }
        if let Some(options) = map.get("enum").and_then(Value::as_array) {
            if let Some(choice) = pick_enum(options, hints, variant) {
                return choice.clone();
            }
        }
        for combinator in ["anyOf", "oneOf"] {
            if let Some(first) =
                map.get(combinator)
                    .and_then(Value::as_array)
                    .and_then(|alternatives| {
                        alternatives
                            .iter()
                            .find(|a| a.get("type") != Some(&json!("null")))
                            .or(alternatives.first())
                    })
            {
                return self.value(first, key, depth + 1, variant);
            }
        }
        if let Some(parts) = map.get("allOf").and_then(Value::as_array) {
            return self.value(&merge(parts, root), key, depth + 1, variant);
        }
        let kind = match map.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(Value::Array(kinds)) => kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|k| *k != "null")
                .unwrap_or("null"),
            _ if map.contains_key("properties") => "object",
            _ if map.contains_key("items") => "array",
            _ => "string",
        };
        match kind {
            "object" => self.object(map, depth),
            "array" => self.array(map, key, depth),
            "integer" => json!(number(map, key, hints, true, variant) as i64),
            "number" => number_value(number(map, key, hints, false, variant)),
            "boolean" => Value::Bool(variant.is_multiple_of(2)),
            "null" => Value::Null,
            _ => Value::String(text_for(key, hints, map, variant)),
        }
    }

    fn object(&self, map: &Map<String, Value>, depth: usize) -> Value {
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                // Optional properties too, while shallow: a model fills what it knows.
                if required.contains(&name.as_str()) || depth < 3 {
                    let generated = self.value(schema, name, depth + 1, 0);
                    if generated.is_null() && !required.contains(&name.as_str()) {
                        continue;
                    }
                    out.insert(name.clone(), generated);
                }
            }
        }
        // Required names the properties do not describe still get a value.
        for name in required {
            if !out.contains_key(name) {
                out.insert(
                    name.to_owned(),
                    Value::String(text_for(name, self.hints, &Map::new(), 0)),
                );
            }
        }
        let min = map
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let mut extra = 1;
        while out.len() < min {
            out.insert(
                format!("extra_{extra}"),
                Value::String(text_for("", self.hints, &Map::new(), extra)),
            );
            extra += 1;
        }
        Value::Object(out)
    }

    fn array(&self, map: &Map<String, Value>, key: &str, depth: usize) -> Value {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(1) as usize;
        let max = map
            .get("maxItems")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |m| m as usize);
        let count = min.max(2).min(max);
        let singular = key.strip_suffix('s').unwrap_or(key);
        let items = map.get("items").cloned().unwrap_or(json!({}));
        let mut out: Vec<Value> = Vec::with_capacity(count);
        for i in 0..count {
            let item = self.value(&items, singular, depth + 1, i);
            if map.get("uniqueItems") == Some(&Value::Bool(true)) && out.contains(&item) {
                break;
            }
            out.push(item);
        }
        Value::Array(out)
    }
}

fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

/// The `allOf` parts as one schema: their properties and required lists united.
fn merge(parts: &[Value], root: &Value) -> Value {
    let mut merged = Map::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in parts {
        let part = part
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve(root, r))
            .unwrap_or(part);
        if let Some(map) = part.as_object() {
            for (k, v) in map {
                match k.as_str() {
                    "properties" => properties.extend(v.as_object().cloned().unwrap_or_default()),
                    "required" => required.extend(v.as_array().cloned().unwrap_or_default()),
                    _ => {
                        merged.insert(k.clone(), v.clone());
                    }
                }
            }
        }
    }
    if !properties.is_empty() {
        merged.insert("properties".into(), Value::Object(properties));
        merged.entry("type").or_insert(json!("object"));
    }
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    Value::Object(merged)
}

/// The option the text names (as a whole word; the longest if several), else the first.
fn pick_enum<'a>(options: &'a [Value], hints: &Hints, variant: usize) -> Option<&'a Value> {
    let text = hints.text.to_lowercase();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    let mentioned = options
        .iter()
        .filter_map(|o| Some((o, o.as_str()?.to_lowercase())))
        .filter(|(_, s)| {
            !s.is_empty()
                && (words.contains(&s.as_str()) || (s.contains(' ') && text.contains(s.as_str())))
        })
        .max_by_key(|(_, s)| s.len())
        .map(|(o, _)| o);
    match (variant, mentioned) {
        (0, Some(option)) => Some(option),
        _ => options.get(variant % options.len().max(1)),
    }
}

fn number(
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

fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        json!(number as i64)
    } else {
        json!(number)
    }
}

/// A string for a property, by its name and format, within its length limits.
fn text_for(key: &str, hints: &Hints, map: &Map<String, Value>, variant: usize) -> String {
    let lower = key.to_lowercase();
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    let noun = hints.proper_nouns.last().cloned();
    let words = crate::model::facts::excerpt(&hints.text, 80);
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
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = map
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    while text.chars().count() < min {
        text.push('x');
    }
    if text.chars().count() > max {
        text = text.chars().take(max).collect();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(schema: Value, text: &str) -> Value {
        generate(&schema, &schema, "", &Hints::from_text(text))
    }

    #[test]
    fn fills_properties_by_type_and_name() {
        let schema = json!({
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "City"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 10},
                "detailed": {"type": "boolean"},
                "ratio": {"type": "number", "exclusiveMaximum": 1, "minimum": 0}
            },
            "required": ["location", "unit"]
        });
        let value = gen(schema, "What is the weather in Paris in fahrenheit?");
        assert_eq!(value["location"], "Paris");
        assert_eq!(value["unit"], "fahrenheit");
        assert_eq!(value["days"], 3);
        assert_eq!(value["detailed"], true);
        assert_eq!(value["ratio"], 0.5);
    }

    #[test]
    fn arrays_nested_objects_refs_and_limits() {
        let schema = json!({
            "type": "object",
            "$defs": {"tag": {"type": "string", "maxLength": 3}},
            "properties": {
                "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "minItems": 3, "uniqueItems": true},
                "owner": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}, "required": ["email"]},
                "code": {"type": "string", "minLength": 5},
                "kind": {"const": "fixed"},
                "maybe": {"anyOf": [{"type": "null"}, {"type": "integer"}]}
            },
            "required": ["tags", "owner", "code", "kind"]
        });
        let value = gen(schema, "");
        assert_eq!(value["tags"].as_array().unwrap().len(), 3);
        assert!(value["tags"].as_array().unwrap().iter().all(|t| t
            .as_str()
            .unwrap()
            .chars()
            .count()
            <= 3));
        assert_eq!(value["owner"]["email"], "user@example.com");
        assert!(value["code"].as_str().unwrap().len() >= 5);
        assert_eq!(value["kind"], "fixed");
        assert_eq!(value["maybe"], 42);
    }

    #[test]
    fn finds_hints() {
        let hints = Hints::from_text("Book 3 nights in Lisbon as JSON. Thanks");
        assert_eq!(hints.proper_nouns, ["Lisbon"]);
        assert_eq!(hints.numbers, [3.0]);
    }
}
