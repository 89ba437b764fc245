//! The operations JS calls by name through `call` (see `abi`): each reads its arguments in
//! order and answers text, JSON text, nothing or an error's message.

use anthropic_wasm_core::prelude::*;

use anthropic_wasm_core::text;
use anthropic_wasm_core::{api_error, error_classes, history, partial_json, request, stream};

use crate::abi::{answer, Args, Tag};
use crate::check::check_request;
use crate::failure::{failed_response, retry_delay};

/// An operation's answer, before it is framed.
enum Answer {
    Undefined,
    Text(String),
    Json(String),
    Error(String),
}

impl Answer {
    fn text_or_undefined(text: Option<String>) -> Self {
        text.map_or(Answer::Undefined, Answer::Text)
    }

    fn or_error<T>(result: Result<T, history::NotMessages>, ok: impl FnOnce(T) -> Self) -> Self {
        result.map_or_else(|error| Answer::Error(error.message), ok)
    }
}

/// Runs the operation named by the first argument and writes its answer into `out`.
pub fn run(mut args: Args, out: &mut Vec<u8>) {
    let answer_of = match args.str() {
        "checkRequest" => {
            let (kind, json) = (args.str(), args.str());
            Answer::text_or_undefined(check_request(kind, json, args.number() != 0.0))
        }
        "failedResponse" => Answer::Text(failed_response(&mut args)),
        "retryDelay" => {
            let (done, max) = (args.uint(), args.uint());
            Answer::Json(text!(retry_delay(done, max, args.number())))
        }
        "redact" => {
            let text = args.str();
            let secrets = crate::secret_list(args.str());
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            Answer::Text(api_error::redact(text, &refs))
        }
        "mustStream" => {
            let model = args.str();
            let tokens = args.number();
            let tokens = if tokens.is_finite() && tokens > 0.0 {
                tokens as u64
            } else {
                0
            };
            let must = request::must_stream(model, tokens);
            Answer::Json(if must { "true" } else { "false" }.into())
        }
        "errorClass" => {
            let status = u16::try_from(args.uint()).unwrap_or(0);
            Answer::Text(error_classes::status_class(status).into())
        }
        "resourcePath" => {
            let (prefix, id) = (args.str(), args.str());
            match request::resource_path(prefix, id, args.str()) {
                Ok(path) => Answer::Text(path),
                Err(message) => Answer::Error(message),
            }
        }
        "tables" => Answer::Json(tables()),
        "historyCutPoints" => Answer::or_error(history::cut_points(args.str()), |points| {
            let mut list = String::from("[");
            for (k, point) in points.iter().enumerate() {
                text!(into &mut list; if k > 0 { "," } else { "" }, point);
            }
            list.push(']');
            Answer::Json(list)
        }),
        "estimateTokens" => Answer::or_error(history::estimate_tokens(args.str()), |n| {
            Answer::Json(text!(n))
        }),
        "normalizeMessages" => Answer::or_error(history::normalize(args.str()), Answer::Text),
        "firstJsonValue" => {
            Answer::text_or_undefined(history::first_json_value(args.str()).map(str::to_owned))
        }
        "parsePartialJson" => Answer::text_or_undefined(partial_json::preview(args.str())),
        "finishToolInput" => Answer::Text(partial_json::finish_tool_input_json(args.str())),
        other => Answer::Error(text!("anthropic-wasm: no operation `", other, "`")),
    };
    let (tag, bytes) = match &answer_of {
        Answer::Undefined => (Tag::Undefined, ""),
        Answer::Text(text) => (Tag::Text, text.as_str()),
        Answer::Json(json) => (Tag::Json, json.as_str()),
        Answer::Error(message) => (Tag::Error, message.as_str()),
    };
    answer(out, tag, bytes.as_bytes());
}

/// Every table the shell reads, in one JSON object: the stream codec's ops and message-delta
/// rule (`stream`), the helpers' codes (`helpers`), the client's defaults (`defaults`), the
/// error classes of `error_code`s (`errorCodeClasses`).
fn tables() -> String {
    text!(
        r#"{"stream":"#,
        stream::rules_json(),
        r#","helpers":"#,
        partial_json::helper_rules_json(),
        r#","defaults":"#,
        request::defaults_json(),
        r#","errorCodeClasses":"#,
        error_classes::code_classes_json(),
        "}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `name` on text arguments; the answer's tag and text.
    fn run_on(name: &str, texts: &[&str]) -> (u8, String) {
        let mut input = Vec::new();
        for text in core::iter::once(&name).chain(texts) {
            input.push(1);
            input.extend_from_slice(&(text.len() as u32).to_le_bytes());
            input.extend_from_slice(text.as_bytes());
        }
        let mut out = Vec::new();
        run(Args::new(&input), &mut out);
        let length = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
        assert_eq!(out.len(), 5 + length, "the frame's length is its bytes'");
        (out[4], String::from_utf8(out[5..].to_vec()).unwrap())
    }

    #[test]
    fn operations_answer_by_name_with_their_tags() {
        let (tag, text) = run_on("redact", &["key sk-ant-123 here", "sk-ant-123\n"]);
        assert_eq!(tag, Tag::Text as u8);
        assert!(!text.contains("sk-ant-123"), "{text}");
        let json = r#"[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]"#;
        assert_eq!(
            run_on("historyCutPoints", &[json]),
            (Tag::Json as u8, "[0,2]".into())
        );
        assert_eq!(
            run_on("firstJsonValue", &["nope"]),
            (Tag::Undefined as u8, String::new())
        );
        assert_eq!(
            run_on("firstJsonValue", &[" [1] tail"]),
            (Tag::Text as u8, "[1]".into())
        );
    }

    #[test]
    fn refusals_and_unknown_names_answer_errors() {
        let (tag, text) = run_on("resourcePath", &["/v1/models/", "..", ""]);
        assert_eq!(tag, Tag::Error as u8);
        assert!(!text.is_empty());
        assert_eq!(run_on("historyCutPoints", &["{}"]).0, Tag::Error as u8);
        assert_eq!(
            run_on("noSuchThing", &[]),
            (
                Tag::Error as u8,
                "anthropic-wasm: no operation `noSuchThing`".into()
            )
        );
    }

    #[test]
    fn the_tables_are_one_json_object_of_the_three() {
        let (tag, text) = run_on("tables", &[]);
        assert_eq!(tag, Tag::Json as u8);
        for member in [r#"{"stream":{"#, r#","helpers":{"#, r#","defaults":{"#] {
            assert!(text.contains(member), "{member} in {text}");
        }
    }
}
