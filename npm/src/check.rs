//! The request checks, before anything is sent: the JS shell hands over the JSON text it will
//! send, and gets `undefined` or the descriptor of the first violation.

use anthropic_wasm_core::prelude::*;

use anthropic_wasm_core::validate::{
    validate_batch_request, validate_count_tokens_request, validate_message_request, Options,
};

use crate::failure::Descriptor;
use anthropic_wasm_core::text;

/// Checks a request body of `kind` (`message`, `count_tokens` or `batch`): `None` when
/// it passes, else `{"kind": "invalid_request", "message", "path", "rule"}` (rule names are
/// the stable strings of `anthropic_wasm_core::validate::Rule::name`).
pub fn check_request(kind: &str, json: &str, reject_prefill: bool) -> Option<String> {
    let options = Options {
        reject_prefill_for_models_without_support: reject_prefill,
    };
    let check = match kind {
        "count_tokens" => validate_count_tokens_request,
        "batch" => validate_batch_request,
        _ => validate_message_request,
    };
    let violation = check(json.as_bytes(), &options).err()?;
    let message = if violation.path.is_empty() {
        text!("invalid request: ", violation.message)
    } else {
        text!("invalid request: ", violation.path, ": ", violation.message)
    };
    let mut out = Descriptor::new("invalid_request", &message);
    out.string("path", &violation.path);
    out.string("rule", violation.rule.name());
    Some(out.finish())
}
