//! Values generated from a JSON Schema, for tool inputs and structured outputs: valid for the
//! schema (types, enums, consts, required fields, ranges, lengths, array sizes, nested objects,
//! local `$ref`s) and, where a property's name says what it wants, taken from the conversation
//! (a place for `location`, the user's words for `query`, a number they wrote for `count`).

use std::cell::Cell;
use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::hints::Hints;
use scalars::{number, number_value, text_for};

mod scalars;

/// Deepest nesting generated; deeper optional parts are left out.
const MAX_DEPTH: usize = 12;

/// The most work one reply may ask of the generator, in steps: each value generated, property
/// looked at, alternative or enum option weighed, schema node merged and string character costs
/// one. A schema that needs more (`minItems: 1e12`, a million-character `minLength`, references
/// that multiply) gets a 400 rather than a value that breaks its own schema.
pub const MAX_STEPS: usize = 200_000;

/// A schema asked for more than [`MAX_STEPS`].
#[derive(Debug, PartialEq, Eq)]
pub struct Oversized;

/// The steps left for one reply (shared by all the values it generates).
pub struct Budget(Cell<usize>);

impl Default for Budget {
    fn default() -> Self {
        Self(Cell::new(MAX_STEPS))
    }
}

impl Budget {
    fn spend(&self, steps: usize) -> Result<(), Oversized> {
        let left = self.0.get().checked_sub(steps).ok_or(Oversized)?;
        self.0.set(left);
        Ok(())
    }
}

/// A value valid for `schema` (`root` resolves `#/…` references), within `budget`.
pub fn generate(
    schema: &Value,
    root: &Value,
    hints: &Hints,
    budget: &Budget,
) -> Result<Value, Oversized> {
    Gen {
        root,
        hints,
        budget,
    }
    .value(schema, "", 0, 0)
}

/// The generator: the root schema (for references), the hints and the budget.
struct Gen<'a> {
    root: &'a Value,
    hints: &'a Hints,
    budget: &'a Budget,
}

impl Gen<'_> {
    /// A value for `schema`; `variant` > 0 asks for a different value than variant 0 (the items of a
    /// `uniqueItems` array).
    fn value(
        &self,
        schema: &Value,
        key: &str,
        depth: usize,
        variant: usize,
    ) -> Result<Value, Oversized> {
        self.budget.spend(1)?;
        let Some(map) = schema.as_object() else {
            // `true` or an empty schema: anything goes.
            return self.text(key, &Map::new(), variant).map(Value::String);
        };
        if depth > MAX_DEPTH {
            return Ok(Value::Null);
        }
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return match resolve(self.root, reference) {
                Some(target) => self.value(target, key, depth + 1, variant),
                None => Ok(Value::Null),
            };
        }
        if let Some(constant) = map.get("const") {
            self.budget.spend(weight(constant))?;
            return Ok(constant.clone());
        }
        if let Some(options) = map.get("enum").and_then(Value::as_array) {
            if let Some(choice) = self.pick_enum(options, variant)? {
                self.budget.spend(weight(choice))?;
                return Ok(choice.clone());
            }
        }
        for combinator in ["anyOf", "oneOf"] {
            if let Some(alternatives) = map.get(combinator).and_then(Value::as_array) {
                self.budget.spend(alternatives.len())?;
                let first = alternatives
                    .iter()
                    .find(|a| a.get("type") != Some(&json!("null")))
                    .or(alternatives.first());
                if let Some(first) = first {
                    return self.value(first, key, depth + 1, variant);
                }
            }
        }
        if let Some(parts) = map.get("allOf").and_then(Value::as_array) {
            let merged = merge(parts, self.root, self.budget)?;
            return self.value(&merged, key, depth + 1, variant);
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
        let hints = self.hints;
        Ok(match kind {
            "object" => self.object(map, depth)?,
            "array" => self.array(map, key, depth)?,
            "integer" => json!(number(map, key, hints, true, variant) as i64),
            "number" => number_value(number(map, key, hints, false, variant)),
            "boolean" => Value::Bool(variant.is_multiple_of(2)),
            "null" => Value::Null,
            _ => Value::String(self.text(key, map, variant)?),
        })
    }

    fn object(&self, map: &Map<String, Value>, depth: usize) -> Result<Value, Oversized> {
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        self.budget.spend(required.len())?;
        let required_set: HashSet<&str> = required.iter().copied().collect();
        let mut out = Map::new();
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                self.budget.spend(1)?;
                let is_required = required_set.contains(name.as_str());
                // Optional properties too, while shallow: a model fills what it knows.
                if is_required || depth < 3 {
                    let generated = self.value(schema, name, depth + 1, 0)?;
                    if generated.is_null() && !is_required {
                        continue;
                    }
                    out.insert(name.clone(), generated);
                }
            }
        }
        // Required names the properties do not describe still get a value.
        for name in required {
            if !out.contains_key(name) {
                let text = self.text(name, &Map::new(), 0)?;
                out.insert(name.to_owned(), Value::String(text));
            }
        }
        let min = map
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if min > MAX_STEPS as u64 {
            return Err(Oversized);
        }
        let mut extra = 1;
        while out.len() < min as usize {
            let text = self.text("", &Map::new(), extra)?;
            out.insert(format!("extra_{extra}"), Value::String(text));
            extra += 1;
        }
        Ok(Value::Object(out))
    }

    fn array(&self, map: &Map<String, Value>, key: &str, depth: usize) -> Result<Value, Oversized> {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(1);
        let max = map
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        let count = min.max(2).min(max);
        // Each item costs at least a step: fail before allocating for more than the budget.
        if count > MAX_STEPS as u64 {
            return Err(Oversized);
        }
        let singular = key.strip_suffix('s').unwrap_or(key);
        let any = json!({});
        let items = map.get("items").unwrap_or(&any);
        let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count as usize {
            let item = self.value(items, singular, depth + 1, i)?;
            if unique && !seen.insert(item.to_string()) {
                break;
            }
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    /// The option the text names (as a whole word; the longest if several), else the first.
    fn pick_enum<'a>(
        &self,
        options: &'a [Value],
        variant: usize,
    ) -> Result<Option<&'a Value>, Oversized> {
        let hints = self.hints;
        self.budget.spend(options.len())?;
        let mut mentioned: Option<(&Value, usize)> = None;
        for option in options {
            let Some(text) = option.as_str().map(str::to_lowercase) else {
                continue;
            };
            // A phrase is looked for in the whole text: that costs its length.
            let named = !text.is_empty()
                && (hints.lower_words.contains(&text)
                    || (text.contains(' ') && {
                        self.budget.spend(hints.lower.len() / 64)?;
                        hints.lower.contains(&text)
                    }));
            if named && mentioned.is_none_or(|(_, len)| text.len() >= len) {
                mentioned = Some((option, text.len()));
            }
        }
        Ok(match (variant, mentioned) {
            (0, Some((option, _))) => Some(option),
            _ => options.get(variant % options.len().max(1)),
        })
    }

    /// A string for a property, by its name and format, within its length limits.
    fn text(
        &self,
        key: &str,
        map: &Map<String, Value>,
        variant: usize,
    ) -> Result<String, Oversized> {
        let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        if min > MAX_STEPS as u64 {
            return Err(Oversized);
        }
        let max = map.get("maxLength").and_then(Value::as_u64);
        let mut text = text_for(key, self.hints, map, variant);
        let length = text.chars().count();
        if length < min as usize {
            text.extend(std::iter::repeat_n('x', min as usize - length));
        }
        if let Some(max) = max.filter(|&max| max < length as u64) {
            text = text.chars().take(max as usize).collect();
        }
        self.budget.spend(text.len())?;
        Ok(text)
    }
}

/// The nodes of `value`, counted only up to one more than the budget (weighing stays cheap).
fn weight(value: &Value) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        count += 1;
        if count > MAX_STEPS {
            break;
        }
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    count
}

fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

/// The `allOf` parts as one schema: their properties and required lists united (the copy is
/// paid for by its nodes).
fn merge(parts: &[Value], root: &Value, budget: &Budget) -> Result<Value, Oversized> {
    let mut merged = Map::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in parts {
        let part = part
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve(root, r))
            .unwrap_or(part);
        budget.spend(weight(part))?;
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
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(schema: Value, text: &str) -> Value {
        generate(
            &schema,
            &schema,
            &Hints::from_text(text),
            &Budget::default(),
        )
        .unwrap()
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
    fn work_beyond_the_budget_is_refused() {
        let oversized = |schema: Value| {
            generate(&schema, &schema, &Hints::from_text(""), &Budget::default()).unwrap_err()
        };
        assert_eq!(
            oversized(json!({"type": "array", "minItems": u64::MAX})),
            Oversized
        );
        assert_eq!(
            oversized(json!({"type": "string", "minLength": 1u64 << 40})),
            Oversized
        );
        // References that multiply at every level (six levels within the depth bound): 2 per
        // level make 64 leaves, 10 per level a million.
        let tree = |width: usize| {
            let names: Vec<String> = (0..width).map(|i| format!("p{i}")).collect();
            let properties: Map<String, Value> = names
                .iter()
                .map(|name| (name.clone(), json!({"$ref": "#"})))
                .collect();
            json!({"type": "object", "properties": properties, "required": names})
        };
        assert!(gen(tree(2), "").is_object());
        assert_eq!(oversized(tree(10)), Oversized);
        // The budget is for the whole reply: two values share it.
        let budget = Budget::default();
        let half =
            json!({"type": "array", "items": {"type": "integer"}, "minItems": MAX_STEPS / 2});
        let hints = Hints::from_text("");
        assert!(generate(&half, &half, &hints, &budget).is_ok());
        assert_eq!(generate(&half, &half, &hints, &budget), Err(Oversized));
    }
}
