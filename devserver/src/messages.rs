//! `POST /v1/messages` and `POST /v1/messages/count_tokens`.

use anthropic_wasm_core::types::{
    CountTokensParams, CountTokensResponse, JsonMap, MessageCreateParams,
};
use serde_json::Value;

use crate::apierror::ApiError;
use crate::cache::CacheUsage;
use crate::catalog;
use crate::faults::Faults;
use crate::http::{Body, Response};
use crate::ids::new_id;
use crate::model::{self, Reply};
use crate::render::{full_message, stream_events, Envelope};
use crate::tokens::{count_input, Input};
use crate::validate::{self, rules};
use crate::State;

/// Shape, parse, model and rules, in the API's order (400, then 404, then 400).
pub fn check_create(
    body: Value,
    shape: impl FnOnce(&Value) -> Result<(), ApiError>,
) -> Result<MessageCreateParams, ApiError> {
    shape(&body)?;
    let params: MessageCreateParams = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid(format!("invalid request: {e}")))?;
    let model =
        catalog::find(&params.model).ok_or_else(|| catalog::unknown_model(&params.model))?;
    rules::create(&params, model)?;
    Ok(params)
}

/// Runs the model and counts the input (reading and writing the prompt cache).
pub fn run(state: &State, params: &MessageCreateParams) -> Result<(Reply, CacheUsage), ApiError> {
    let reply = model::respond(params).map_err(|model::Oversized| {
        ApiError::invalid(format!(
            "the devserver generates at most {} values and characters for the schemas of one reply (tool input_schema, output_config.format); this one asks for more (minItems, minProperties, minLength or references that multiply)",
            model::MAX_STEPS
        ))
    })?;
    let count = count_input(&Input {
        model: &params.model,
        tools: params.tools.as_deref(),
        system: params.system.as_ref(),
        messages: &params.messages,
        cache_control: params.cache_control.as_ref(),
    });
    let usage = state.cache.apply(&count);
    state
        .limits
        .record_tokens(count.total as u64, reply.output_tokens as u64);
    Ok((reply, usage))
}

/// `POST /v1/messages`.
pub async fn create(
    state: &std::sync::Arc<State>,
    body: Value,
    faults: &Faults,
) -> Result<Response, ApiError> {
    let params = check_create(body, validate::create)?;
    let worker = state.clone();
    // Images are decoded here: keep that off the connection tasks' threads.
    let (params, reply, usage) = tokio::task::spawn_blocking(move || {
        run(&worker, &params).map(|(reply, usage)| (params, reply, usage))
    })
    .await
    .map_err(|_| ApiError::internal())??;
    let id = new_id("msg_");
    let envelope = Envelope {
        id: &id,
        model: &params.model,
        usage,
        service_tier: "standard",
    };
    if params.stream == Some(true) {
        let pieces = crate::sse::encode(stream_events(&reply, &envelope), faults);
        return Ok(Response {
            status: 200,
            headers: vec![
                (
                    "content-type".into(),
                    "text/event-stream; charset=utf-8".into(),
                ),
                ("cache-control".into(), "no-cache".into()),
            ],
            body: Body::Events(pieces),
            delivery: Default::default(),
        });
    }
    Ok(Response::json(200, &full_message(&reply, &envelope)))
}

/// `POST /v1/messages/count_tokens`: the same count as `usage` of a create request (input,
/// cache writes and cache reads added up).
pub fn count_tokens(body: Value) -> Result<Response, ApiError> {
    validate::count_tokens(&body)?;
    let params: CountTokensParams = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid(format!("invalid request: {e}")))?;
    catalog::find(&params.model).ok_or_else(|| catalog::unknown_model(&params.model))?;
    rules::conversation(&params.messages)?;
    let count = count_input(&Input {
        model: &params.model,
        tools: params.tools.as_deref(),
        system: params.system.as_ref(),
        messages: &params.messages,
        cache_control: params.cache_control.as_ref(),
    });
    Ok(Response::json(
        200,
        &CountTokensResponse {
            input_tokens: count.total as u64,
            extra: JsonMap::new(),
        },
    ))
}
