//! The core validator on JSON text: wrong JSON types and missing fields (each case's path and
//! rule are what the typed `parse_params` reported before validation moved to core; the
//! messages are recorded), invalid JSON, count_tokens and batch bodies, the rule names, and
//! never-panic properties over arbitrary and damaged bytes.

use anthropic_wasm_core::validate::{
    validate_batch_request, validate_count_tokens_request, validate_message_request, Options,
    Rule::{self, *},
    Violation,
};
use proptest::prelude::*;

type Expected = Option<(&'static str, Rule, &'static str)>;

fn verdict(result: Result<(), Violation>) -> Option<(String, Rule, String)> {
    result.err().map(|v| (v.path, v.rule, v.message))
}

fn owned(expected: Expected) -> Option<(String, Rule, String)> {
    expected.map(|(path, rule, message)| (path.to_owned(), rule, message.to_owned()))
}

/// One JSON request per line of the typed reader's old cases, with the verdict.
const CASES: &[(&str, Expected)] = &[
    (r#"5"#, Some(("", Shape, "the request must be a JSON object; got a number"))),
    (r#"[]"#, Some(("", Shape, "the request must be a JSON object; got an array"))),
    (r#"{}"#, Some(("model", Required, "model is required"))),
    (r#"{"model":7}"#, Some(("model", Shape, "model must be a string; got a number"))),
    (r#"{"model":"m"}"#, Some(("max_tokens", Required, "max_tokens is required"))),
    (r#"{"model":"m","max_tokens":"10"}"#, Some(("max_tokens", Shape, "max_tokens must be an integer; got a string"))),
    (r#"{"model":"m","max_tokens":1.5}"#, Some(("max_tokens", Shape, "max_tokens must be an integer; got 1.5"))),
    (r#"{"model":"m","max_tokens":-1}"#, Some(("max_tokens", OutOfRange, "max_tokens must be from 0 to 4294967295; got -1"))),
    (r#"{"model":"m","max_tokens":5000000000}"#, Some(("max_tokens", OutOfRange, "max_tokens must be from 0 to 4294967295; got 5000000000"))),
    (r#"{"model":"m","max_tokens":1}"#, Some(("messages", Required, "messages is required"))),
    (r#"{"model":"m","max_tokens":1,"messages":5}"#, Some(("messages", Shape, "messages must be an array of { role, content } objects; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":{}}"#, Some(("messages", Shape, "messages must be an array of { role, content } objects; got an object"))),
    (r#"{"model":"m","max_tokens":1,"messages":[5]}"#, Some(("messages[0]", Shape, "a message must be an object with `role` and `content`; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"content":"x"}]}"#, Some(("messages[0].role", Required, "role is required (`user` or `assistant`)"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":7,"content":"x"}]}"#, Some(("messages[0].role", Shape, "role must be a string; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user"}]}"#, Some(("messages[0].content", Required, "content is required"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":{}}]}"#, Some(("messages[0].content", Shape, "content must be a string or an array of content blocks; got an object"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text"}]}]}"#, Some(("messages[0].content[0]", Shape, "missing field `text`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":5}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `text`: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":5}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `cache_control`: a number, expected an object"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{}}]}]}"#, Some(("messages[0].content[0]", Shape, "missing field `type`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":"x"}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `citations`: a string, expected an array of citations"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":[{"type":"char_location","cited_text":"c"}]}]}]}"#, Some(("messages[0].content[0]", Shape, "Citation `char_location`: missing field `document_index`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":[5]}]}]}"#, Some(("messages[0].content[0].citations[0]", Shape, "a citation must be an object with a string `type`; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image"}]}]}"#, Some(("messages[0].content[0]", Shape, "missing field `source`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":5}]}]}"#, Some(("messages[0].content[0].source", Shape, "an image source must be an object with a string `type`; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":5}}]}]}"#, Some(("messages[0].content[0]", Shape, "ImageSource `base64`: invalid type for `data`: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url"}}]}]}"#, Some(("messages[0].content[0]", Shape, "ImageSource `url`: missing field `url`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain"}}]}]}"#, Some(("messages[0].content[0]", Shape, "DocumentSource `text`: missing field `data`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"content","content":5}}]}]}"#, Some(("messages[0].content[0]", Shape, "DocumentSource `content`: invalid type for `content`: a number, expected a string or an array of content blocks"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":"f"},"title":5}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `title`: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":"f"},"citations":{"enabled":"yes"}}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `enabled`: a string, expected a boolean"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"search_result","source":"s","title":"t","content":"x"}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `content`: a string, expected an array of content blocks"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result"}]}]}"#, Some(("messages[0].content[0]", Shape, "missing field `tool_use_id`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":5}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `content`: a number, expected a string or an array of content blocks"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":"yes"}]}]}"#, Some(("messages[0].content[0]", Shape, "invalid type for `is_error`: a string, expected a boolean"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","name":"t","input":{}}]}]}"#, Some(("messages[1].content[0]", Shape, "missing field `id`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"thinking","thinking":"t"}]}]}"#, Some(("messages[1].content[0]", Shape, "missing field `signature`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"system":5}"#, Some(("system", Shape, "system must be a string or an array of text blocks; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"system":[5]}"#, Some(("system[0]", Shape, "system blocks must be text blocks; got a block without a string `type` (images and documents go in a user turn)"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"system":[{"type":"text"}]}"#, Some(("system[0]", Shape, "missing field `text`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"stream":"yes"}"#, Some(("stream", Shape, "invalid type: a string, expected a boolean"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"stop_sequences":"x"}"#, Some(("stop_sequences", Shape, "invalid type: a string, expected an array of strings"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"temperature":"hot"}"#, Some(("temperature", Shape, "invalid type: a string, expected a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"temperature":null,"top_p":null,"top_k":null,"system":null,"tools":null}"#, None),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"top_k":"x"}"#, Some(("top_k", Shape, "invalid type: a string, expected an integer"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"metadata":5}"#, Some(("metadata", Shape, "invalid type: a number, expected an object"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"metadata":{"user_id":5}}"#, Some(("metadata", Shape, "invalid type for `user_id`: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"tools":{}}"#, Some(("tools", Shape, "invalid type: an object, expected an array of tools"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"tools":[5]}"#, Some(("tools[0]", Shape, "a tool must be an object; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"tools":[{"name":5,"input_schema":{}}]}"#, Some(("tools[0]", Shape, "custom tool: invalid type for `name`: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"tools":[{"type":"web_search_20250305","name":5}]}"#, Some(("tools[0].name", ToolName, "a tool name must be a string; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"tool_choice":5}"#, Some(("tool_choice", Shape, "tool_choice must be an object with a string `type`; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"tool_choice":{"type":"auto","disable_parallel_tool_use":"x"}}"#, Some(("tool_choice", Shape, "ToolChoice `auto`: invalid type for `disable_parallel_tool_use`: a string, expected a boolean"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"thinking":5}"#, Some(("thinking", Shape, "thinking must be an object with a string `type`; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"thinking":{"type":"enabled","budget_tokens":"x"}}"#, Some(("thinking", Shape, "ThinkingConfig `enabled`: invalid type for `budget_tokens`: a string, expected a non-negative integer"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"thinking":{"type":"enabled","budget_tokens":5000000000}}"#, Some(("thinking", Shape, "ThinkingConfig `enabled`: budget_tokens must be at most 4294967295"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"output_config":5}"#, Some(("output_config", Shape, "invalid type: a number, expected an object"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"output_config":{"effort":1}}"#, Some(("output_config", Shape, "invalid type for `effort`: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"output_config":{"format":{"type":"json_schema"}}}"#, Some(("output_config", Shape, "OutputFormat `json_schema`: missing field `schema`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"output_config":{"format":5}}"#, Some(("output_config.format", Shape, "an output format must be an object with a string `type`; got a number"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"service_tier":5}"#, Some(("service_tier", Shape, "invalid type: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"cache_control":{}}"#, Some(("cache_control", Shape, "missing field `type`"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"inference_geo":5}"#, Some(("inference_geo", Shape, "invalid type: a number, expected a string"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"diagnostics":5}"#, Some(("diagnostics", Shape, "invalid type: a number, expected an object"))),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"}],"container":5,"future":[1]}"#, None),
    (r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a \u00e9\n"},{"role":"assistant","content":"b\n"}]}"#, Some(("messages[1].content", TrailingWhitespace, "a final assistant turn (prefill) cannot end with whitespace: the API rejects it; trim the end of the text"))),
];

#[test]
fn json_types_and_missing_fields_are_located() {
    for (json, expected) in CASES {
        let got = validate_message_request(json.as_bytes(), &Options::default());
        assert_eq!(verdict(got), owned(*expected), "{json}");
    }
}

#[test]
fn invalid_json_is_a_shape_violation_at_the_root() {
    let deep = format!(
        r#"{{"model":"m","max_tokens":1,"messages":{}{}}}"#,
        "[".repeat(2000),
        "]".repeat(2000)
    );
    for (json, message) in [
        (
            &br#"{"model":"#[..],
            "invalid JSON: unexpected end of JSON at byte 9",
        ),
        (b"[1,]", "invalid JSON: expected a JSON value at byte 3"),
        (
            b"{\"model\":\"\xff\"}",
            "invalid JSON: not UTF-8 at byte 10",
        ),
        (
            b"{} {}",
            "invalid JSON: unexpected text after the JSON value at byte 3",
        ),
        (
            deep.as_bytes(),
            "invalid JSON: JSON nested too deeply at byte 1062",
        ),
    ] {
        let got = validate_message_request(json, &Options::default());
        assert_eq!(verdict(got), owned(Some(("", Shape, message))));
    }
}

const VALID: &str = r#"{"model":"claude-sonnet-4-5","max_tokens":2048,"messages":[{"role":"user","content":"hi"}]}"#;

#[test]
fn count_tokens_needs_no_max_tokens() {
    let body = r#"{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":2000}}"#;
    let options = Options::default();
    assert_eq!(
        validate_count_tokens_request(body.as_bytes(), &options),
        Ok(())
    );
    assert_eq!(
        verdict(validate_message_request(body.as_bytes(), &options)),
        owned(Some(("max_tokens", Required, "max_tokens is required")))
    );
    let empty = r#"{"model":"m","messages":[{"role":"user","content":""}]}"#;
    assert_eq!(
        verdict(validate_count_tokens_request(empty.as_bytes(), &options)).map(|v| (v.0, v.1)),
        Some(("messages[0].content".to_owned(), Required))
    );
}

#[test]
fn batch_requests_are_checked_with_their_paths() {
    let options = Options::default();
    let bad = r#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image","source":{"type":"url","url":"ftp://x"}}]}]}"#;
    let batch = format!(
        r#"{{"requests":[{{"custom_id":"a","params":{VALID}}},{{"custom_id":"b","params":{bad}}}]}}"#
    );
    assert_eq!(
        verdict(validate_batch_request(batch.as_bytes(), &options)),
        owned(Some((
            "requests[1].params.messages[0].content[1].source.url",
            Shape,
            "url must be an http(s) URL the API can fetch; got \"ftp://x\""
        )))
    );
    let good = format!(r#"{{"requests":[{{"custom_id":"a","params":{VALID}}}]}}"#);
    assert_eq!(validate_batch_request(good.as_bytes(), &options), Ok(()));
    for (json, expected) in [
        ("{}", ("requests", Required, "requests is required")),
        (
            "[]",
            ("", Shape, "the request must be a JSON object; got an array"),
        ),
        (
            r#"{"requests":5}"#,
            (
                "requests",
                Shape,
                "requests must be an array of { custom_id, params } objects; got a number",
            ),
        ),
        (
            r#"{"requests":[7]}"#,
            (
                "requests[0]",
                Shape,
                "a batch request must be an object with `custom_id` and `params`; got a number",
            ),
        ),
        (
            r#"{"requests":[{"params":{}}]}"#,
            ("requests[0]", Shape, "missing field `custom_id`"),
        ),
        (
            r#"{"requests":[{"custom_id":"a"}]}"#,
            ("requests[0]", Shape, "missing field `params`"),
        ),
        (
            r#"{"requests":[{"custom_id":"a","params":{"model":"m"}}]}"#,
            (
                "requests[0].params.max_tokens",
                Required,
                "max_tokens is required",
            ),
        ),
    ] {
        let got = validate_batch_request(json.as_bytes(), &options);
        assert_eq!(verdict(got), owned(Some(expected)), "{json}");
    }
}

#[test]
fn rule_names_are_the_stable_table() {
    let names: Vec<&str> = Rule::ALL.iter().map(|rule| rule.name()).collect();
    assert_eq!(
        names,
        [
            "Required",
            "OutOfRange",
            "Shape",
            "ImageMediaType",
            "Base64",
            "ImageTooLarge",
            "ImageBytesMismatch",
            "ToolName",
            "DuplicateToolName",
            "UnknownTool",
            "PrefillUnsupported",
            "TrailingWhitespace",
            "DocumentMediaType",
            "DocumentBytesMismatch",
            "StreamingRequired",
        ]
    );
}

/// A valid request with most block kinds, for damaging at random.
const RICH: &str = r#"{"model":"claude-opus-4-6","max_tokens":4096,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"a\n\u00e9","citations":[{"type":"char_location","cited_text":"c","document_index":0,"start_char_index":0,"end_char_index":1}]},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUg=="}},{"type":"document","source":{"type":"content","content":[{"type":"text","text":"d"}]}},{"type":"search_result","source":"s","title":"t","content":[{"type":"text","text":"x"}]}]},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"tool_use","id":"toolu_1","name":"get","input":{"q":[1,2.5e3,null,true]}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"r"}]}]}],"tools":[{"name":"get","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}],"tool_choice":{"type":"tool","name":"get"},"thinking":{"type":"enabled","budget_tokens":1024},"temperature":1,"stop_sequences":["x"],"output_config":{"format":{"type":"json_schema","schema":{}}}}"#;

fn all_entry_points(bytes: &[u8]) {
    let options = Options::default();
    let _ = validate_message_request(bytes, &options);
    let _ = validate_count_tokens_request(bytes, &options);
    let _ = validate_batch_request(bytes, &options);
}

#[test]
fn the_rich_request_passes() {
    assert_eq!(
        validate_message_request(RICH.as_bytes(), &Options::default()),
        Ok(())
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        all_entry_points(&bytes);
    }

    #[test]
    fn never_panics_on_damaged_requests(cut in 0..RICH.len(), at in 0..RICH.len(), byte in any::<u8>(), insert in "[\\[\\]{}\",:0-9a-z\\\\ ]{0,4}") {
        let mut bytes = RICH.as_bytes().to_vec();
        bytes[at] = byte;
        all_entry_points(&bytes);
        let mut spliced = RICH.as_bytes()[..cut].to_vec();
        spliced.extend_from_slice(insert.as_bytes());
        spliced.extend_from_slice(&RICH.as_bytes()[cut..]);
        all_entry_points(&spliced);
        all_entry_points(&RICH.as_bytes()[..cut]);
        let batch = format!(r#"{{"requests":[{{"custom_id":"a","params":{}}}]}}"#, String::from_utf8_lossy(&spliced));
        all_entry_points(batch.as_bytes());
    }

    #[test]
    fn never_panics_on_deep_nesting_anywhere(at in 0..RICH.len(), depth in 1000usize..1100, open in prop::sample::select(vec!["[", "{\"a\":"])) {
        let close = if open == "[" { "]" } else { "}" };
        let mut text = RICH.get(..at).unwrap_or("").to_owned();
        text.push_str(&open.repeat(depth));
        text.push_str(&close.repeat(depth));
        text.push_str(RICH.get(at..).unwrap_or(""));
        all_entry_points(text.as_bytes());
    }
}

#[test]
fn duplicate_tool_names_are_found_among_many() {
    let mut tools: Vec<String> = (0..500)
        .map(|i| format!(r#"{{"name":"tool_{i}","input_schema":{{}}}}"#))
        .collect();
    tools.push(r#"{"type":"web_search_20250305","name":"tool_321"}"#.to_owned());
    let body = format!(
        r#"{{"model":"m","max_tokens":1,"messages":[{{"role":"user","content":"a"}}],"tools":[{}]}}"#,
        tools.join(",")
    );
    assert_eq!(
        verdict(validate_message_request(
            body.as_bytes(),
            &Options::default()
        )),
        owned(Some((
            "tools[500].name",
            DuplicateToolName,
            "tool name \"tool_321\" is already used by tools[321]; tool names must be unique"
        )))
    );
    let body = body.replace(r#",{"type":"web_search_20250305","name":"tool_321"}"#, "");
    assert_eq!(
        validate_message_request(body.as_bytes(), &Options::default()),
        Ok(())
    );
}
