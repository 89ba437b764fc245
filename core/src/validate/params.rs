//! The request's own fields: model, max_tokens, system, sampling ranges, thinking, metadata,
//! output_config…, in the order the Rust API serializes them; and the batch wrapper.

use crate::prelude::*;

use super::blocks::{check_shape, check_text_not_empty};
use super::messages::check_messages;
use super::tools::{check_tool_choice, check_tools};
use super::{
    check_fields, check_object_body, kind, required_array, tag, Check, Fail, Kind, Options, Owner,
    Path, Rule, Want,
};
use crate::numbers::{parse_i64, parse_u64, Decimal};
use crate::text;
use crate::tree::Value;

/// The smallest `thinking.budget_tokens` the API accepts.
pub const MIN_THINKING_BUDGET: u32 = 1024;

/// A message request (`Create` or `CountTokens`) at `root`.
pub(super) fn check(root: &Path, request: &Value, options: &Options, kind_of: Kind) -> Check {
    check_object_body(root, request)?;
    let model_path = root.field("model");
    let model = match request.get("model") {
        None | Some(Value::Null) => return model_path.fail(Rule::Required, "model is required"),
        Some(model @ Value::String(_)) => model.text().unwrap_or_default(),
        Some(other) => {
            return model_path.fail(
                Rule::Shape,
                text!("model must be a string; got ", kind(other)),
            )
        }
    };
    if model.trim().is_empty() {
        return model_path.fail(
            Rule::Required,
            "model is required: a model id such as `claude-sonnet-4-5`",
        );
    }
    let max_tokens = match kind_of {
        Kind::Create => Some(check_max_tokens(
            &root.field("max_tokens"),
            request.get("max_tokens"),
        )?),
        Kind::CountTokens => None,
    };
    let field = |name| request.get(name).filter(|value| **value != Value::Null);
    check_messages(
        &root.field("messages"),
        request.get("messages"),
        &model,
        options,
    )?;
    check_system(&root.field("system"), field("system"))?;
    expect(root, field("stream"), "stream", Want::OptBool)?;
    check_stop_sequences(&root.field("stop_sequences"), field("stop_sequences"))?;
    check_unit_interval(&root.field("temperature"), field("temperature"))?;
    check_unit_interval(&root.field("top_p"), field("top_p"))?;
    check_top_k(&root.field("top_k"), field("top_k"))?;
    check_object(
        root,
        field("metadata"),
        "metadata",
        &[("user_id", Want::OptText)],
    )?;
    let tools = check_tools(&root.field("tools"), field("tools"))?;
    check_tool_choice(&root.field("tool_choice"), field("tool_choice"), &tools)?;
    check_thinking(&root.field("thinking"), field("thinking"), max_tokens)?;
    check_output_config(&root.field("output_config"), field("output_config"))?;
    expect(root, field("service_tier"), "service_tier", Want::OptText)?;
    expect(
        root,
        field("cache_control"),
        "cache_control",
        Want::OptCacheControl,
    )?;
    expect(root, field("inference_geo"), "inference_geo", Want::OptText)?;
    check_object(
        root,
        field("diagnostics"),
        "diagnostics",
        &[("previous_message_id", Want::OptText)],
    )
}

/// `{"requests": [{"custom_id", "params"}, …]}`, each `params` a create request.
pub(super) fn check_batch(batch: &Value, options: &Options) -> Check {
    let root = Path::ROOT;
    let path = root.field("requests");
    check_object_body(&root, batch)?;
    let requests = required_array(
        &path,
        batch.get("requests"),
        "requests",
        "{ custom_id, params } objects",
    )?;
    for (i, request) in requests.iter().enumerate() {
        let request_path = path.index(i);
        if !matches!(request, Value::Object(_)) {
            return request_path.fail(
                Rule::Shape,
                text!(
                    "a batch request must be an object with `custom_id` and `params`; got ",
                    kind(request)
                ),
            );
        }
        check_fields(
            &request_path,
            Owner("", ""),
            request,
            &[("custom_id", Want::Text), ("params", Want::Any)],
        )?;
        let params = request.get("params").unwrap_or(&Value::Null);
        check(&request_path.field("params"), params, options, Kind::Create)?;
    }
    Ok(())
}

/// An optional top-level field of a simple kind, checked as a one-field spec on the request
/// but reported at the field.
fn expect(root: &Path, value: Option<&Value>, name: &'static str, want: Want) -> Check {
    let Some(value) = value else { return Ok(()) };
    let path = root.field(name);
    if let (Want::OptCacheControl, Value::Object(_)) = (want, value) {
        return check_fields(&path, Owner("", ""), value, super::CACHE_CONTROL);
    }
    let fits = match want {
        Want::OptBool => matches!(value, Value::Bool(_)),
        Want::OptText => matches!(value, Value::String(_)),
        _ => false,
    };
    let expected = match want {
        Want::OptBool => "a boolean",
        Want::OptText => "a string",
        _ => "an object",
    };
    if fits {
        return Ok(());
    }
    Err(wrong_type(&path, value, expected))
}

fn wrong_type(path: &Path, got: &Value, expected: &str) -> Fail {
    path.error(
        Rule::Shape,
        text!("invalid type: ", kind(got), ", expected ", expected),
    )
}

/// An optional plain object field (`metadata`, `diagnostics`) and its fields.
fn check_object(
    root: &Path,
    value: Option<&Value>,
    name: &'static str,
    spec: super::Spec,
) -> Check {
    let path = root.field(name);
    match value {
        None => Ok(()),
        Some(object @ Value::Object(_)) => check_fields(&path, Owner("", ""), object, spec),
        Some(other) => Err(wrong_type(&path, other, "an object")),
    }
}

fn check_max_tokens(path: &Path, value: Option<&Value>) -> Result<u64, Fail> {
    match value {
        None | Some(Value::Null) => Err(path.error(Rule::Required, "max_tokens is required")),
        Some(Value::Number(number)) => {
            let integer = !number.contains(['.', 'e', 'E']);
            match parse_u64(number) {
                Some(n) if n <= u64::from(u32::MAX) => Ok(n),
                _ if integer => Err(path.error(
                    Rule::OutOfRange,
                    text!("max_tokens must be from 0 to ", u32::MAX, "; got ", number),
                )),
                _ => Err(path.error(
                    Rule::Shape,
                    text!("max_tokens must be an integer; got ", number),
                )),
            }
        }
        Some(other) => Err(path.error(
            Rule::Shape,
            text!("max_tokens must be an integer; got ", kind(other)),
        )),
    }
}

fn check_system(path: &Path, system: Option<&Value>) -> Check {
    let blocks = match system {
        None | Some(Value::String(_)) => return Ok(()),
        Some(Value::Array(blocks)) => blocks,
        Some(other) => {
            return path.fail(
                Rule::Shape,
                text!(
                    "system must be a string or an array of text blocks; got ",
                    kind(other)
                ),
            )
        }
    };
    for (k, block) in blocks.iter().enumerate() {
        let block_path = path.index(k);
        match block.get("type") {
            Some(Value::String("text")) => {
                check_shape(&block_path, block, "text")?;
                let text = block.get("text").and_then(Value::text).unwrap_or_default();
                check_text_not_empty(&block_path.field("text"), &text, "system text blocks")?;
            }
            other => {
                let found = match other {
                    Some(Value::String(kind)) => text!("`", kind, "`"),
                    _ => "a block without a string `type`".to_owned(),
                };
                return block_path.fail(
                    Rule::Shape,
                    text!(
                        "system blocks must be text blocks; got ",
                        found,
                        " (images and documents go in a user turn)"
                    ),
                );
            }
        }
    }
    Ok(())
}

fn check_stop_sequences(path: &Path, stops: Option<&Value>) -> Check {
    let stops = match stops {
        None => return Ok(()),
        Some(Value::Array(stops)) => stops,
        Some(other) => return Err(wrong_type(path, other, "an array of strings")),
    };
    for (k, stop) in stops.iter().enumerate() {
        let Some(text) = stop.text() else {
            return Err(wrong_type(&path.index(k), stop, "a string"));
        };
        if text.trim().is_empty() {
            return path.index(k).fail(
                Rule::Required,
                "stop sequences must be non-empty and not all whitespace; remove this one",
            );
        }
    }
    Ok(())
}

fn check_unit_interval(path: &Path, value: Option<&Value>) -> Check {
    match value {
        None => Ok(()),
        Some(Value::Number(number)) if Decimal::of(number).in_unit_interval() => Ok(()),
        Some(Value::Number(number)) => path.fail(
            Rule::OutOfRange,
            text!("must be a number from 0 to 1; got ", number),
        ),
        Some(other) => Err(wrong_type(path, other, "a number")),
    }
}

fn check_top_k(path: &Path, value: Option<&Value>) -> Check {
    let top_k = match value {
        None => return Ok(()),
        Some(Value::Number(number)) => parse_i64(number),
        Some(_) => None,
    };
    match (top_k, value) {
        (Some(top_k), _) if top_k < 0 => path.fail(
            Rule::OutOfRange,
            text!("top_k must be 0 or more; got ", top_k),
        ),
        (Some(_), _) => Ok(()),
        (None, Some(other)) => Err(wrong_type(path, other, "an integer")),
        (None, None) => Ok(()),
    }
}

const DISPLAY: (&str, Want) = ("display", Want::OptText);

fn check_thinking(path: &Path, thinking: Option<&Value>, max_tokens: Option<u64>) -> Check {
    let Some(thinking) = thinking else {
        return Ok(());
    };
    let kind = tag(path, thinking, "thinking")?;
    let owner = Owner("ThinkingConfig", kind);
    match kind {
        "enabled" => check_fields(
            path,
            owner,
            thinking,
            &[("budget_tokens", Want::Count), DISPLAY],
        )?,
        "adaptive" => return check_fields(path, owner, thinking, &[DISPLAY]),
        _ => return Ok(()),
    }
    let budget_path = path.field("budget_tokens");
    let budget = match thinking.get("budget_tokens") {
        Some(Value::Number(number)) => parse_u64(number).unwrap_or(u64::MAX),
        _ => u64::MAX,
    };
    if budget > u64::from(u32::MAX) {
        return path.fail(
            Rule::Shape,
            text!(owner.prefix(), "budget_tokens must be at most ", u32::MAX),
        );
    }
    if budget < u64::from(MIN_THINKING_BUDGET) {
        return budget_path.fail(
            Rule::OutOfRange,
            text!(
                "budget_tokens must be at least ",
                MIN_THINKING_BUDGET,
                "; got ",
                budget
            ),
        );
    }
    match max_tokens {
        Some(max_tokens) if budget >= max_tokens => budget_path.fail(
            Rule::OutOfRange,
            text!(
                "budget_tokens (",
                budget,
                ") must be less than max_tokens (",
                max_tokens,
                "); raise max_tokens or lower the budget"
            ),
        ),
        _ => Ok(()),
    }
}

fn check_output_config(path: &Path, config: Option<&Value>) -> Check {
    let Some(config) = config else { return Ok(()) };
    if !matches!(config, Value::Object(_)) {
        return Err(wrong_type(path, config, "an object"));
    }
    check_fields(path, Owner("", ""), config, &[("effort", Want::OptText)])?;
    let format_path = path.field("format");
    match config.get("format") {
        None | Some(Value::Null) => Ok(()),
        Some(format) => match tag(&format_path, format, "an output format")? {
            "json_schema" => check_fields(
                path,
                Owner("OutputFormat", "json_schema"),
                format,
                &[("schema", Want::Any)],
            ),
            _ => Ok(()),
        },
    }
}
