//! From a request to a response: CORS preflight, access checks, faults, routing, and the
//! headers every response carries (`request-id`, `anthropic-ratelimit-*`, CORS).

use std::sync::Arc;

use serde_json::Value;

use crate::access;
use crate::apierror::ApiError;
use crate::faults::{self, Faults};
use crate::http::{Body, Request, Response};
use crate::ids::{request_id, stable_hash};
use crate::{batches, catalog, files, messages, State};

/// The organization id every response names.
const ORGANIZATION_ID: &str = "00000000-0000-4000-8000-00000000de75";

/// Answers one request.
pub async fn handle(state: &Arc<State>, request: &Request) -> Response {
    let request_id = request_id();
    let mut faults = Faults::default();
    let answer = if request.method == "OPTIONS" {
        access::preflight(request, &state.config)
    } else {
        dispatch(state, request, &mut faults).await
    };
    let mut response = answer.unwrap_or_else(|error| error.response(&request_id));
    if let (Some(retry), true) = (faults.should_retry, response.status >= 400) {
        response.set_header("x-should-retry", retry.to_string());
    }
    if faults.malformed {
        if let Body::Full(bytes) = &mut response.body {
            bytes.truncate(bytes.len() / 2);
        }
    }
    response.delivery.slow_headers = faults.slow_headers;
    response.delivery.drop_after = faults.drop_after;
    response.delivery.stall = faults.stall;
    response.delivery.tokens_per_second = state.config.tokens_per_second;
    response.delivery.seed = stable_hash(request_id.as_bytes());
    response.headers.push(("request-id".into(), request_id));
    response
        .headers
        .push(("anthropic-organization-id".into(), ORGANIZATION_ID.into()));
    response.headers.extend(state.limits.request_headers());
    // A browser that did not opt in, or from a page not allowed, gets no CORS headers (so it
    // cannot read the error either).
    let opted_in = request
        .header("anthropic-dangerous-direct-browser-access")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if access::is_browser(request)
        && opted_in
        && request.method != "OPTIONS"
        && access::origin_allowed(request, &state.config)
    {
        response
            .headers
            .extend(access::cors_headers(request, &state.config));
    }
    response
}

async fn dispatch(
    state: &Arc<State>,
    request: &Request,
    faults: &mut Faults,
) -> Result<Response, ApiError> {
    access::check(request, &state.config)?;
    let spec = request.header(faults::HEADER).unwrap_or("").to_owned();
    *faults = Faults::parse(&spec)
        .map_err(|why| ApiError::invalid(format!("{}: {why}", faults::HEADER)))?;
    // An upload is multipart, not JSON.
    let upload = request.path.trim_end_matches('/') == "/v1/files";
    let mut body = if request.method == "POST" && !request.body.is_empty() && !upload {
        Some(parse_json(&request.body)?)
    } else {
        None
    };
    // Faults in the model name (the whole batch's requests keep theirs: they apply per request).
    let mut full_spec = spec;
    if !request.path.starts_with("/v1/messages/batches") {
        if let Some(model_spec) = body.as_mut().and_then(strip_model_faults) {
            let extra = Faults::parse(&model_spec)
                .map_err(|why| ApiError::invalid(format!("model: {why}")))?;
            faults.merge(extra);
            full_spec.push_str(&model_spec);
        }
    }
    if faults.html_502 {
        return Ok(Response {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: Body::Full(faults::HTML_502.as_bytes().to_vec()),
            delivery: Default::default(),
        });
    }
    if let Some(n) = faults.fail_first {
        if state.fail_first.should_fail(
            n,
            &request.method,
            &request.path,
            &request.body,
            &full_spec,
        ) {
            return Err(ApiError::overloaded());
        }
    }
    if let Some(fault) = &faults.status {
        // Parsing accepted only statuses `for_status` knows.
        let mut error = ApiError::for_status(fault.status).unwrap_or_else(ApiError::overloaded);
        if let Some((name, value)) = &fault.retry_after {
            error = error.with_header(name, value.clone());
        }
        return Err(error);
    }
    route(state, request, body, faults).await
}

async fn route(
    state: &Arc<State>,
    request: &Request,
    body: Option<Value>,
    faults: &Faults,
) -> Result<Response, ApiError> {
    let segments: Vec<&str> = request
        .path
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .collect();
    let method = request.method.as_str();
    // Each arm takes the body at most once.
    let need = |body: Option<Value>| {
        body.ok_or_else(|| ApiError::invalid("request body is empty; send a JSON object"))
    };
    match (method, segments.as_slice()) {
        ("POST", ["v1", "messages"]) => {
            let body = need(body)?;
            files::check_sources(state, &body)?;
            messages::create(state, body, faults).await
        }
        ("POST", ["v1", "messages", "count_tokens"]) => {
            let body = need(body)?;
            files::check_sources(state, &body)?;
            messages::count_tokens(body)
        }
        ("POST", ["v1", "files"]) => files::upload(state, request),
        ("GET", ["v1", "files"]) => files::list(state, request),
        ("GET", ["v1", "files", id]) => files::metadata(state, id),
        ("GET", ["v1", "files", id, "content"]) => files::download(state, id),
        ("DELETE", ["v1", "files", id]) => files::delete(state, id),
        ("GET", ["v1", "models"]) => catalog::list(request),
        ("GET", ["v1", "models", id]) => catalog::retrieve(id),
        ("POST", ["v1", "messages", "batches"]) => batches::create(state, request, need(body)?),
        ("GET", ["v1", "messages", "batches"]) => batches::list(state, request),
        ("GET", ["v1", "messages", "batches", id]) => batches::retrieve(state, id),
        ("POST", ["v1", "messages", "batches", id, "cancel"]) => batches::cancel(state, id),
        ("DELETE", ["v1", "messages", "batches", id]) => batches::delete(state, id),
        ("GET", ["v1", "messages", "batches", id, "results"]) => batches::results(state, id),
        (_, ["v1", "messages" | "models" | "files", ..]) if known_path(&segments) => {
            Err(ApiError::new(
                405,
                anthropic_wasm_core::types::ErrorType::InvalidRequest,
                format!("Method {method} is not allowed for {}", request.path),
            ))
        }
        _ => Err(ApiError::not_found("Not Found")),
    }
}

fn known_path(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["v1", "messages"]
            | ["v1", "messages", "count_tokens"]
            | ["v1", "models"]
            | ["v1", "models", _]
            | ["v1", "messages", "batches"]
            | ["v1", "messages", "batches", _]
            | ["v1", "messages", "batches", _, "cancel" | "results"]
            | ["v1", "files"]
            | ["v1", "files", _]
            | ["v1", "files", _, "content"]
    )
}

fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::invalid(format!(
            "There was an issue with your request body: invalid JSON: {e}"
        ))
    })
}

/// Removes a `+fault=…` suffix from `model` and returns the spec.
fn strip_model_faults(body: &mut Value) -> Option<String> {
    let model = body.get_mut("model")?;
    let (base, spec) = match faults::split_model(model.as_str()?) {
        (base, Some(spec)) => (base.to_owned(), spec.to_owned()),
        _ => return None,
    };
    *model = Value::String(base);
    Some(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_model_suffix() {
        let mut body = serde_json::json!({"model": "claude-sonnet-4-5+fault=529,stall=10"});
        assert_eq!(
            strip_model_faults(&mut body).as_deref(),
            Some("529,stall=10")
        );
        assert_eq!(body["model"], "claude-sonnet-4-5");
        assert_eq!(strip_model_faults(&mut body), None);
        assert!(known_path(&["v1", "messages", "batches", "x", "cancel"]));
        assert!(!known_path(&["v2"]));
    }
}
