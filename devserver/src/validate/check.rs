//! Typed accessors that fail with the API's (pydantic-style) messages, and field paths.

use serde_json::{Map, Value};

use crate::apierror::ApiError;

pub type Checked<T = ()> = Result<T, ApiError>;

/// `a.b` (or `b` at the root).
pub fn join(path: &str, key: impl std::fmt::Display) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn fail<T>(path: &str, message: impl std::fmt::Display) -> Checked<T> {
    Err(ApiError::invalid(if path.is_empty() {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }))
}

pub fn object<'a>(value: &'a Value, path: &str) -> Checked<&'a Map<String, Value>> {
    match value.as_object() {
        Some(map) => Ok(map),
        None => fail(path, "Input should be a valid dictionary"),
    }
}

pub fn string<'a>(value: &'a Value, path: &str) -> Checked<&'a str> {
    match value.as_str() {
        Some(text) => Ok(text),
        None => fail(path, "Input should be a valid string"),
    }
}

pub fn array<'a>(value: &'a Value, path: &str) -> Checked<&'a Vec<Value>> {
    match value.as_array() {
        Some(items) => Ok(items),
        None => fail(path, "Input should be a valid list"),
    }
}

pub fn boolean(value: &Value, path: &str) -> Checked<bool> {
    match value.as_bool() {
        Some(flag) => Ok(flag),
        None => fail(path, "Input should be a valid boolean"),
    }
}

pub fn integer(value: &Value, path: &str) -> Checked<i64> {
    match value.as_i64() {
        Some(number) => Ok(number),
        None if value.is_u64() => fail(
            path,
            "Input should be less than or equal to 9223372036854775807",
        ),
        None => fail(path, "Input should be a valid integer"),
    }
}

pub fn number(value: &Value, path: &str) -> Checked<f64> {
    match value.as_f64() {
        Some(number) => Ok(number),
        None => fail(path, "Input should be a valid number"),
    }
}

/// A string that must be one of `allowed`.
pub fn one_of(value: &Value, path: &str, allowed: &[&str]) -> Checked<String> {
    let text = string(value, path)?;
    if allowed.contains(&text) {
        return Ok(text.to_owned());
    }
    fail(path, format!("Input should be {}", alternatives(allowed)))
}

/// `'a', 'b' or 'c'`.
pub fn alternatives(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The value of a required key.
pub fn required<'a>(map: &'a Map<String, Value>, key: &str, path: &str) -> Checked<&'a Value> {
    match map.get(key) {
        Some(value) => Ok(value),
        None => fail(&join(path, key), "Field required"),
    }
}

/// Refuses keys outside `allowed`.
pub fn no_extra(map: &Map<String, Value>, allowed: &[&str], path: &str) -> Checked {
    match map.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => fail(&join(path, key), "Extra inputs are not permitted"),
        None => Ok(()),
    }
}

/// The `type` tag of a discriminated union member, which must be one of `tags`.
pub fn tag<'a>(map: &'a Map<String, Value>, tags: &[&str], path: &str) -> Checked<&'a str> {
    let Some(Value::String(found)) = map.get("type") else {
        return fail(path, "Unable to extract tag using discriminator 'type'");
    };
    if tags.contains(&found.as_str()) {
        return Ok(found);
    }
    let expected: Vec<String> = tags.iter().map(|t| format!("'{t}'")).collect();
    fail(
        path,
        format!(
            "Input tag '{found}' found using 'type' does not match any of the expected tags: {}",
            expected.join(", ")
        ),
    )
}

/// `cache_control`: `{ "type": "ephemeral", "ttl"?: "5m" | "1h" }` or null.
pub fn cache_control(value: &Value, path: &str) -> Checked {
    if value.is_null() {
        return Ok(());
    }
    let map = object(value, path)?;
    tag(map, &["ephemeral"], path)?;
    no_extra(map, &["type", "ttl"], path)?;
    if let Some(ttl) = map.get("ttl") {
        one_of(ttl, &join(path, "ttl"), &["5m", "1h"])?;
    }
    Ok(())
}

/// A number within `[min, max]`.
pub fn number_in(value: &Value, path: &str, min: f64, max: f64) -> Checked<f64> {
    let number = number(value, path)?;
    if number < min {
        return fail(
            path,
            format!("Input should be greater than or equal to {min}"),
        );
    }
    if number > max {
        return fail(path, format!("Input should be less than or equal to {max}"));
    }
    Ok(number)
}

/// `^[a-zA-Z0-9_-]+$` with a length range.
pub fn identifier(value: &Value, path: &str, max: usize, pattern: &str) -> Checked<String> {
    let text = string(value, path)?;
    let ok = (1..=max).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        return fail(path, format!("String should match pattern '{pattern}'"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_the_api() {
        assert_eq!(alternatives(&["a", "b", "c"]), "'a', 'b' or 'c'");
        assert_eq!(alternatives(&["a"]), "'a'");
        let error = one_of(&Value::from("x"), "role", &["user", "assistant"]).unwrap_err();
        assert_eq!(error.message, "role: Input should be 'user' or 'assistant'");
        let map = serde_json::json!({"type": "zip"});
        let error = tag(
            map.as_object().unwrap(),
            &["text", "image"],
            "messages.0.content.0",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "messages.0.content.0: Input tag 'zip' found using 'type' does not match any of the expected tags: 'text', 'image'"
        );
        assert_eq!(join("", "model"), "model");
        assert!(identifier(&Value::from("ok_name-1"), "n", 64, "p").is_ok());
        assert!(identifier(&Value::from("bad name"), "n", 64, "p").is_err());
    }
}
