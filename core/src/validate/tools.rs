//! Tools: custom and built-in definitions, names (pattern, uniqueness) and `tool_choice`.

use crate::prelude::*;

use crate::text;
use alloc::borrow::Cow;

use super::{
    check_fields, kind, quote, quote_char, tag, Check, Fail, Owner, Path, Rule, Spec, Want,
};
use crate::tree::Value;

/// The longest tool name: the official OpenAPI spec's `Tool.name` is `^[a-zA-Z0-9_-]{1,128}$`
/// (older documentation said 64; checking for less than the API accepts would refuse valid
/// requests).
pub const MAX_TOOL_NAME_LEN: usize = 128;

const CUSTOM_TOOL: Spec = &[
    ("name", Want::Text),
    ("description", Want::OptText),
    ("input_schema", Want::Any),
    ("cache_control", Want::OptCacheControl),
];

/// The tools' names in order (`None`: a built-in tool without one), for `tool_choice`.
pub(super) type ToolNames<'a> = Vec<Option<Cow<'a, str>>>;

/// `tools`: each definition, its name, and that no two share one.
pub(super) fn check_tools<'a>(
    path: &Path,
    tools: Option<&Value<'a>>,
) -> Result<ToolNames<'a>, Fail> {
    let tools = match tools {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(tools)) => tools,
        Some(other) => {
            return Err(path.error(
                Rule::Shape,
                text!(
                    "invalid type: ",
                    kind(other),
                    ", expected an array of tools"
                ),
            ))
        }
    };
    let mut names: ToolNames = Vec::with_capacity(tools.len());
    // Open addressing over indexes into `names` (FNV-1a): linear in the tools, and a fraction
    // of a BTreeMap's or HashMap's code in wasm.
    let mut slots = vec![usize::MAX; tools.len().saturating_mul(2).next_power_of_two()];
    let mask = slots.len() - 1;
    for (i, tool) in tools.iter().enumerate() {
        let tool_path = path.index(i);
        let name = check_tool(&tool_path, tool)?;
        if let Some(name) = &name {
            let mut slot = fnv1a(name) & mask;
            while let Some(taken) = slots.get_mut(slot) {
                if *taken == usize::MAX {
                    *taken = i;
                    break;
                }
                if names.get(*taken).and_then(Option::as_deref) == Some(name) {
                    return Err(tool_path.field("name").error(
                        Rule::DuplicateToolName,
                        text!(
                            "tool name ",
                            quote(name),
                            " is already used by tools[",
                            *taken,
                            "]; tool names must be unique"
                        ),
                    ));
                }
                slot = (slot + 1) & mask;
            }
        }
        names.push(name);
    }
    Ok(names)
}

fn fnv1a(text: &str) -> usize {
    let hash = text.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash as usize
}

fn check_tool<'a>(path: &Path, tool: &Value<'a>) -> Result<Option<Cow<'a, str>>, Fail> {
    if !matches!(tool, Value::Object(_)) {
        return Err(path.error(
            Rule::Shape,
            text!("a tool must be an object; got ", kind(tool)),
        ));
    }
    let name_path = path.field("name");
    match tool.get("type") {
        None | Some(Value::Null | Value::String("custom")) => {
            check_fields(path, Owner("custom tool", ""), tool, CUSTOM_TOOL)?;
            let name = tool.get("name").and_then(Value::text).unwrap_or_default();
            check_tool_name(&name_path, &name)?;
            match tool.get("input_schema") {
                Some(Value::Object(_)) => Ok(Some(name)),
                other => Err(path.field("input_schema").error(
                    Rule::Shape,
                    text!("input_schema must be a JSON Schema object such as {\"type\":\"object\",\"properties\":{}}; got ", other.map_or("nothing", kind)),
                )),
            }
        }
        Some(Value::String(_)) => match tool.get("name") {
            None | Some(Value::Null) => Ok(None),
            Some(name @ Value::String(_)) => {
                let name = name.text().unwrap_or_default();
                check_tool_name(&name_path, &name)?;
                Ok(Some(name))
            }
            Some(other) => Err(name_path.error(
                Rule::ToolName,
                text!("a tool name must be a string; got ", kind(other)),
            )),
        },
        Some(_) => Err(path.field("type").error(
            Rule::Shape,
            "a built-in tool needs a string `type` such as `web_search_20250305`",
        )),
    }
}

fn check_tool_name(path: &Path, name: &str) -> Check {
    let problem = if name.is_empty() {
        Some("is empty".to_owned())
    } else if name.len() > MAX_TOOL_NAME_LEN {
        Some(text!(
            "is ",
            name.len(),
            " bytes long (at most ",
            MAX_TOOL_NAME_LEN,
            ")"
        ))
    } else {
        name.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map(|c| {
                text!(
                    "contains ",
                    quote_char(c),
                    " (only letters, digits, `_` and `-`)"
                )
            })
    };
    match problem {
        Some(problem) => path.fail(
            Rule::ToolName,
            text!(
                "tool name ",
                quote(name),
                " ",
                problem,
                "; names must match ^[a-zA-Z0-9_-]{1,128}$"
            ),
        ),
        None => Ok(()),
    }
}

const PARALLEL: (&str, Want) = ("disable_parallel_tool_use", Want::OptBool);

/// `tool_choice`: its shape, and that a forced tool exists.
pub(super) fn check_tool_choice(path: &Path, choice: Option<&Value>, tools: &ToolNames) -> Check {
    let Some(choice) = choice.filter(|choice| **choice != Value::Null) else {
        return Ok(());
    };
    let kind = tag(path, choice, "tool_choice")?;
    let owner = Owner("ToolChoice", kind);
    match kind {
        "any" => check_fields(path, owner, choice, &[PARALLEL])?,
        "tool" => check_fields(path, owner, choice, &[("name", Want::Text), PARALLEL])?,
        "auto" => return check_fields(path, owner, choice, &[PARALLEL]),
        _ => return Ok(()),
    }
    if tools.is_empty() {
        return path.fail(
            Rule::Required,
            text!("tool_choice `", kind, "` makes the model call a tool, but `tools` is empty; define the tools or drop tool_choice"),
        );
    }
    let Some(name) = choice
        .get("name")
        .and_then(Value::text)
        .filter(|_| kind == "tool")
    else {
        return Ok(());
    };
    let mut known = tools.iter().flatten();
    if known.clone().any(|tool| *tool == name) {
        return Ok(());
    }
    let mut listed: Vec<String> = known.by_ref().take(10).map(|name| quote(name)).collect();
    if known.next().is_some() {
        listed.push("…".to_owned());
    }
    path.field("name").fail(
        Rule::UnknownTool,
        text!(
            "tool_choice names ",
            quote(&name),
            " but no tool has that name; tools are: ",
            listed.join(", ")
        ),
    )
}
