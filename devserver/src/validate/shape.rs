//! The request schema: top-level fields, messages and the scalar parameters.

use serde_json::{Map, Value};

use super::blocks::{content, text_block};
use super::check::*;
use super::tools::{output_config, thinking, tool_choice, tools};

/// Top-level fields of `POST /v1/messages`.
const CREATE_FIELDS: &[&str] = &[
    "model",
    "messages",
    "max_tokens",
    "cache_control",
    "container",
    "diagnostics",
    "inference_geo",
    "metadata",
    "output_config",
    "service_tier",
    "speed",
    "stop_sequences",
    "stream",
    "system",
    "temperature",
    "thinking",
    "tool_choice",
    "tools",
    "top_k",
    "top_p",
];

/// Top-level fields of `POST /v1/messages/count_tokens`.
const COUNT_FIELDS: &[&str] = &[
    "model",
    "messages",
    "cache_control",
    "output_config",
    "speed",
    "system",
    "thinking",
    "tool_choice",
    "tools",
];

/// Checks a `POST /v1/messages` body.
pub fn create(body: &Value) -> Checked {
    let map = object(body, "")?;
    params(map, "", CREATE_FIELDS)
}

/// Checks a `POST /v1/messages/count_tokens` body.
pub fn count_tokens(body: &Value) -> Checked {
    let map = object(body, "")?;
    params(map, "", COUNT_FIELDS)
}

/// Checks the `params` of one batch request (`path` is `requests.N.params`).
pub fn batch_params(value: &Value, path: &str) -> Checked {
    let map = object(value, path)?;
    params(map, path, CREATE_FIELDS)?;
    if map.get("stream") == Some(&Value::Bool(true)) {
        return fail(
            &join(path, "stream"),
            "streaming is not supported in Message Batches",
        );
    }
    Ok(())
}

fn params(map: &Map<String, Value>, path: &str, fields: &[&str]) -> Checked {
    let model = required(map, "model", path)?;
    string(model, &join(path, "model"))?;
    let counting = !fields.contains(&"max_tokens");
    if !counting {
        let max_tokens = required(map, "max_tokens", path)?;
        let at = join(path, "max_tokens");
        if integer(max_tokens, &at)? < 0 {
            return fail(&at, "Input should be greater than or equal to 0");
        }
    }
    messages(required(map, "messages", path)?, &join(path, "messages"))?;
    no_extra(map, fields, path)?;
    for (key, value) in map {
        field(key, value, &join(path, key), map)?;
    }
    Ok(())
}

/// One optional top-level field.
fn field(key: &str, value: &Value, at: &str, map: &Map<String, Value>) -> Checked {
    match key {
        "system" => system(value, at),
        "stream" => boolean(value, at).map(drop),
        "stop_sequences" => stop_sequences(value, at),
        "temperature" | "top_p" => number_in(value, at, 0.0, 1.0).map(drop),
        "top_k" => match integer(value, at)? {
            k if k < 0 => fail(at, "Input should be greater than or equal to 0"),
            _ => Ok(()),
        },
        "metadata" => metadata(value, at),
        "tools" => tools(value, at),
        "tool_choice" => tool_choice(value, at, map.get("tools")),
        "thinking" => thinking(value, at),
        "output_config" => output_config(value, at),
        "service_tier" => one_of(value, at, &["auto", "standard_only"]).map(drop),
        "cache_control" => cache_control(value, at),
        "inference_geo" if !value.is_null() => string(value, at).map(drop),
        "speed" if !value.is_null() => one_of(value, at, &["standard", "fast"]).map(drop),
        "diagnostics" if !value.is_null() => {
            let map = object(value, at)?;
            no_extra(map, &["previous_message_id"], at)?;
            match map.get("previous_message_id") {
                None | Some(Value::Null) => Ok(()),
                Some(id) => string(id, &join(at, "previous_message_id")).map(drop),
            }
        }
        "container" if !(value.is_null() || value.is_string() || value.is_object()) => {
            fail(at, "Input should be a valid string")
        }
        _ => Ok(()),
    }
}

fn messages(value: &Value, path: &str) -> Checked {
    let items = array(value, path)?;
    if items.is_empty() {
        return fail(path, "at least one message is required");
    }
    if items.len() > 100_000 {
        return fail(path, "too many messages: at most 100000 are allowed");
    }
    let last = items.len() - 1;
    for (i, item) in items.iter().enumerate() {
        let at = join(path, i);
        let map = object(item, &at)?;
        let role = one_of(
            required(map, "role", &at)?,
            &join(&at, "role"),
            &["user", "assistant", "system"],
        )?;
        let body = required(map, "content", &at)?;
        no_extra(map, &["role", "content"], &at)?;
        if i == 0 && role != "user" {
            return fail(path, "first message must use the \"user\" role");
        }
        let final_assistant = i == last && role == "assistant";
        content(body, &join(&at, "content"), &role, final_assistant)?;
    }
    Ok(())
}

fn system(value: &Value, path: &str) -> Checked {
    match value {
        Value::String(_) => Ok(()),
        Value::Array(blocks) => {
            for (i, block) in blocks.iter().enumerate() {
                let at = join(path, i);
                let map = object(block, &at)?;
                tag(map, &["text"], &at)?;
                text_block(map, &at)?;
            }
            Ok(())
        }
        _ => fail(
            path,
            "Input should be a valid string or a list of text blocks",
        ),
    }
}

fn stop_sequences(value: &Value, path: &str) -> Checked {
    for (i, item) in array(value, path)?.iter().enumerate() {
        let text = string(item, &join(path, i))?;
        if text.trim().is_empty() {
            return fail(path, "each stop sequence must contain non-whitespace");
        }
    }
    Ok(())
}

fn metadata(value: &Value, path: &str) -> Checked {
    let map = object(value, path)?;
    no_extra(map, &["user_id"], path)?;
    match map.get("user_id") {
        Some(Value::String(id)) if id.chars().count() > 512 => fail(
            &join(path, "user_id"),
            "String should have at most 512 characters",
        ),
        Some(Value::String(_) | Value::Null) | None => Ok(()),
        Some(_) => fail(&join(path, "user_id"), "Input should be a valid string"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(body: Value) -> String {
        create(&body).unwrap_err().message
    }

    fn ok() -> Value {
        json!({"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]})
    }

    fn with(key: &str, value: Value) -> Value {
        let mut body = ok();
        body[key] = value;
        body
    }

    #[test]
    fn accepts_a_minimal_request() {
        assert!(create(&ok()).is_ok());
        assert!(create(&with("max_tokens", json!(0))).is_ok());
    }

    #[test]
    fn names_the_field() {
        assert_eq!(
            message(json!({"max_tokens": 1, "messages": []})),
            "model: Field required"
        );
        assert_eq!(
            message(json!({"model": "m", "messages": []})),
            "max_tokens: Field required"
        );
        assert_eq!(
            message(json!({"model": "m", "max_tokens": 1})),
            "messages: Field required"
        );
        assert_eq!(
            message(with("messages", json!([]))),
            "messages: at least one message is required"
        );
        assert_eq!(
            message(with("max_tokens", json!(-1))),
            "max_tokens: Input should be greater than or equal to 0"
        );
        assert_eq!(
            message(with("max_tokens", json!("9"))),
            "max_tokens: Input should be a valid integer"
        );
        assert_eq!(
            message(with("temperature", json!(1.5))),
            "temperature: Input should be less than or equal to 1"
        );
        assert_eq!(
            message(with("frobnicate", json!(1))),
            "frobnicate: Extra inputs are not permitted"
        );
        assert_eq!(
            message(with("messages", json!([{"role": "robot", "content": "x"}]))),
            "messages.0.role: Input should be 'user', 'assistant' or 'system'"
        );
        assert_eq!(
            message(with(
                "messages",
                json!([{"role": "assistant", "content": "x"}])
            )),
            "messages: first message must use the \"user\" role"
        );
        assert_eq!(
            message(with("stop_sequences", json!(["  "]))),
            "stop_sequences: each stop sequence must contain non-whitespace"
        );
        assert_eq!(message(json!([1])), "Input should be a valid dictionary");
    }

    #[test]
    fn count_tokens_has_its_own_fields() {
        let body = json!({"model": "m", "messages": [{"role": "user", "content": "Hi"}]});
        assert!(count_tokens(&body).is_ok());
        let mut with_max = body.clone();
        with_max["max_tokens"] = json!(5);
        assert_eq!(
            count_tokens(&with_max).unwrap_err().message,
            "max_tokens: Extra inputs are not permitted"
        );
    }
}
