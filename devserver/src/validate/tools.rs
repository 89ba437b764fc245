//! `tools`, `tool_choice`, `thinking` and `output_config`.

use serde_json::Value;

use super::check::*;

/// Built-in tools: `(type, name)`; a toolset (`name` empty) has no name field.
const BUILTIN_TOOLS: &[(&str, &str)] = &[
    ("browser_toolset_20260801", ""),
    ("computer_toolset_20260801", ""),
    ("code_execution_20260521", "code_execution"),
    ("web_search_20260318", "web_search"),
    ("web_fetch_20260318", "web_fetch"),
    ("bash_20250124", "bash"),
    ("code_execution_20250522", "code_execution"),
    ("code_execution_20250825", "code_execution"),
    ("code_execution_20260120", "code_execution"),
    ("memory_20250818", "memory"),
    ("text_editor_20250124", "str_replace_editor"),
    ("text_editor_20250429", "str_replace_based_edit_tool"),
    ("text_editor_20250728", "str_replace_based_edit_tool"),
    ("web_search_20250305", "web_search"),
    ("web_search_20260209", "web_search"),
    ("web_fetch_20250910", "web_fetch"),
    ("web_fetch_20260209", "web_fetch"),
    ("web_fetch_20260309", "web_fetch"),
    ("tool_search_tool_bm25_20251119", "tool_search_tool_bm25"),
    ("tool_search_tool_bm25", "tool_search_tool_bm25"),
    ("tool_search_tool_regex_20251119", "tool_search_tool_regex"),
    ("tool_search_tool_regex", "tool_search_tool_regex"),
];

const CUSTOM_TOOL_FIELDS: &[&str] = &[
    "type",
    "name",
    "description",
    "input_schema",
    "cache_control",
    "strict",
    "eager_input_streaming",
    "allowed_callers",
    "defer_loading",
    "input_examples",
];

const NAME_PATTERN: &str = "^[a-zA-Z0-9_-]{1,128}$";

pub fn tools(value: &Value, path: &str) -> Checked {
    let mut names: Vec<String> = Vec::new();
    for (i, tool) in array(value, path)?.iter().enumerate() {
        let at = join(path, i);
        let map = object(tool, &at)?;
        let name = match map.get("type") {
            None | Some(Value::Null) => custom_tool(tool, &join(&at, "custom"))?,
            Some(Value::String(kind)) if kind == "custom" => {
                custom_tool(tool, &join(&at, "custom"))?
            }
            Some(Value::String(kind)) => {
                let Some((_, expected)) = BUILTIN_TOOLS.iter().find(|(t, _)| t == kind) else {
                    let mut tags = vec!["custom"];
                    tags.extend(BUILTIN_TOOLS.iter().map(|(t, _)| *t));
                    return tag(map, &tags, &at).map(drop);
                };
                let at = join(&at, kind);
                if expected.is_empty() {
                    no_extra(map, &["type", "cache_control", "configs"], &at)?;
                } else {
                    one_of(required(map, "name", &at)?, &join(&at, "name"), &[expected])?;
                }
                if let Some(cache) = map.get("cache_control") {
                    cache_control(cache, &join(&at, "cache_control"))?;
                }
                if expected.is_empty() {
                    kind.clone()
                } else {
                    (*expected).to_owned()
                }
            }
            Some(_) => return fail(&join(&at, "type"), "Input should be a valid string"),
        };
        if names.contains(&name) {
            return fail(path, "Tool names must be unique.");
        }
        names.push(name);
    }
    Ok(())
}

fn custom_tool(tool: &Value, path: &str) -> Checked<String> {
    let map = object(tool, path)?;
    no_extra(map, CUSTOM_TOOL_FIELDS, path)?;
    let name = identifier(
        required(map, "name", path)?,
        &join(path, "name"),
        128,
        NAME_PATTERN,
    )?;
    if let Some(description) = map.get("description") {
        string(description, &join(path, "description"))?;
    }
    let at = join(path, "input_schema");
    let schema = object(required(map, "input_schema", path)?, &at)?;
    one_of(
        required(schema, "type", &at)?,
        &join(&at, "type"),
        &["object"],
    )?;
    if let Some(properties) = schema.get("properties").filter(|p| !p.is_null()) {
        object(properties, &join(&at, "properties"))?;
    }
    if let Some(required_list) = schema.get("required").filter(|r| !r.is_null()) {
        for (i, item) in array(required_list, &join(&at, "required"))?
            .iter()
            .enumerate()
        {
            string(item, &join(&join(&at, "required"), i))?;
        }
    }
    if let Some(cache) = map.get("cache_control") {
        cache_control(cache, &join(path, "cache_control"))?;
    }
    for key in ["strict", "defer_loading"] {
        if let Some(flag) = map.get(key) {
            boolean(flag, &join(path, key))?;
        }
    }
    Ok(name)
}

pub fn tool_choice(value: &Value, path: &str, tools: Option<&Value>) -> Checked {
    let map = object(value, path)?;
    let kind = tag(map, &["auto", "any", "tool", "none"], path)?;
    let at = join(path, kind);
    let allowed: &[&str] = match kind {
        "tool" => &["type", "name", "disable_parallel_tool_use"],
        "none" => &["type"],
        _ => &["type", "disable_parallel_tool_use"],
    };
    no_extra(map, allowed, &at)?;
    if let Some(flag) = map.get("disable_parallel_tool_use") {
        boolean(flag, &join(&at, "disable_parallel_tool_use"))?;
    }
    let tool_names: Vec<&str> = tools
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|t| t.get("name")?.as_str())
                .collect()
        })
        .unwrap_or_default();
    if matches!(kind, "any" | "tool") && tool_names.is_empty() {
        return fail(
            "",
            "tool_choice may only be specified while providing tools.",
        );
    }
    if kind == "tool" {
        let name = string(required(map, "name", &at)?, &join(&at, "name"))?;
        if !tool_names.contains(&name) {
            return fail(
                &join(&at, "name"),
                format!("Tool '{name}' not found in tools"),
            );
        }
    }
    Ok(())
}

pub fn thinking(value: &Value, path: &str) -> Checked {
    let map = object(value, path)?;
    let kind = tag(
        map,
        &["enabled", "disabled", "adaptive", "between_tools"],
        path,
    )?;
    let at = join(path, kind);
    let allowed: &[&str] = match kind {
        "enabled" => &["type", "budget_tokens", "display"],
        "adaptive" => &["type", "display"],
        _ => &["type"],
    };
    no_extra(map, allowed, &at)?;
    if kind == "enabled" {
        let budget_at = join(&at, "budget_tokens");
        if integer(required(map, "budget_tokens", &at)?, &budget_at)? < 1024 {
            return fail(&budget_at, "Input should be greater than or equal to 1024");
        }
    }
    if let Some(display) = map.get("display").filter(|d| !d.is_null()) {
        one_of(display, &join(&at, "display"), &["summarized", "omitted"])?;
    }
    Ok(())
}

pub fn output_config(value: &Value, path: &str) -> Checked {
    let map = object(value, path)?;
    no_extra(map, &["effort", "format"], path)?;
    if let Some(effort) = map.get("effort").filter(|e| !e.is_null()) {
        one_of(
            effort,
            &join(path, "effort"),
            &["low", "medium", "high", "xhigh", "max"],
        )?;
    }
    if let Some(format) = map.get("format").filter(|f| !f.is_null()) {
        let at = join(path, "format");
        let format_map = object(format, &at)?;
        tag(format_map, &["json_schema"], &at)?;
        no_extra(format_map, &["type", "schema"], &at)?;
        object(required(format_map, "schema", &at)?, &join(&at, "schema"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn weather() -> Value {
        json!([{"name": "get_weather", "input_schema": {"type": "object", "properties": {}}}])
    }

    #[test]
    fn checks_tools() {
        assert!(tools(&weather(), "tools").is_ok());
        let bad_name = json!([{"name": "get weather", "input_schema": {"type": "object"}}]);
        assert_eq!(
            tools(&bad_name, "tools").unwrap_err().message,
            "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"
        );
        let twice = json!([
            {"name": "a", "input_schema": {"type": "object"}},
            {"name": "a", "input_schema": {"type": "object"}}
        ]);
        assert_eq!(
            tools(&twice, "tools").unwrap_err().message,
            "tools: Tool names must be unique."
        );
        let builtin = json!([{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]);
        assert!(tools(&builtin, "tools").is_ok());
        let schema = json!([{"name": "a", "input_schema": {"type": "array"}}]);
        assert_eq!(
            tools(&schema, "tools").unwrap_err().message,
            "tools.0.custom.input_schema.type: Input should be 'object'"
        );
    }

    #[test]
    fn checks_tool_choice_and_thinking() {
        let choice = json!({"type": "tool", "name": "nope"});
        assert_eq!(
            tool_choice(&choice, "tool_choice", Some(&weather()))
                .unwrap_err()
                .message,
            "tool_choice.tool.name: Tool 'nope' not found in tools"
        );
        assert!(tool_choice(
            &json!({"type": "tool", "name": "get_weather"}),
            "tool_choice",
            Some(&weather())
        )
        .is_ok());
        assert!(tool_choice(&json!({"type": "any"}), "tool_choice", None).is_err());
        assert!(tool_choice(&json!({"type": "auto"}), "tool_choice", None).is_ok());
        assert_eq!(
            thinking(
                &json!({"type": "enabled", "budget_tokens": 100}),
                "thinking"
            )
            .unwrap_err()
            .message,
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
        );
        assert!(thinking(
            &json!({"type": "adaptive", "display": "omitted"}),
            "thinking"
        )
        .is_ok());
    }
}
