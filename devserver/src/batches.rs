//! Message Batches, processed in memory by a background task: one request every
//! `batch_request_delay`, in a shuffled order (results are not in request order, as with the
//! API). A `+fault=STATUS` model suffix makes that one request `errored`.

use std::sync::{Arc, Mutex, MutexGuard};

use anthropic_wasm_core::types::{
    BatchResult, BatchResultLine, DeletedMessageBatch, ErroredResult, JsonMap, MessageBatch,
    ProcessingStatus, RequestCounts, SucceededResult,
};
use serde_json::Value;

use crate::apierror::ApiError;
use crate::faults::{split_model, Faults};
use crate::http::{Body, Request, Response};
use crate::ids::{new_id, now_unix, request_id, rfc3339, stable_hash, SplitMix};
use crate::messages::{check_create, run};
use crate::page::paginate;
use crate::render::{full_message, Envelope};
use crate::validate::{self, check};
use crate::State;

/// All batches, newest first.
#[derive(Default)]
pub struct Store(Mutex<Vec<Batch>>);

pub struct Batch {
    info: MessageBatch,
    /// `http://host`, from the request that created the batch.
    base_url: String,
    results: Vec<BatchResultLine>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Vec<Batch>> {
        self.0.lock().unwrap_or_else(|poison| poison.into_inner())
    }

    fn with<T>(&self, id: &str, f: impl FnOnce(&mut Batch) -> T) -> Result<T, ApiError> {
        let mut batches = self.lock();
        let batch = batches
            .iter_mut()
            .find(|b| b.info.id == id)
            .ok_or_else(|| ApiError::not_found(format!("No batch found with id '{id}'")))?;
        Ok(f(batch))
    }
}

/// `POST /v1/messages/batches`.
pub fn create(state: &Arc<State>, request: &Request, body: Value) -> Result<Response, ApiError> {
    let requests = check_body(&body)?;
    let now = now_unix();
    let id = new_id("msgbatch_");
    let info = MessageBatch {
        id: id.clone(),
        kind: "message_batch".into(),
        processing_status: ProcessingStatus::InProgress,
        request_counts: RequestCounts {
            processing: requests.len() as u64,
            ..RequestCounts::default()
        },
        created_at: rfc3339(now),
        expires_at: rfc3339(now + 86_400.0),
        ended_at: None,
        cancel_initiated_at: None,
        archived_at: None,
        results_url: None,
        extra: JsonMap::new(),
    };
    let host = request.header("host").unwrap_or("127.0.0.1");
    state.batches.lock().insert(
        0,
        Batch {
            info: info.clone(),
            base_url: format!("http://{host}"),
            results: Vec::new(),
        },
    );
    tokio::spawn(process(state.clone(), id, requests));
    Ok(Response::json(200, &info))
}

/// Checks the body; returns `(custom_id, params)` of each request.
fn check_body(body: &Value) -> Result<Vec<(String, Value)>, ApiError> {
    let map = check::object(body, "")?;
    check::no_extra(map, &["requests"], "")?;
    let list = check::array(check::required(map, "requests", "")?, "requests")?;
    if list.is_empty() {
        return check::fail(
            "requests",
            "List should have at least 1 item after validation, not 0",
        );
    }
    if list.len() > 100_000 {
        return check::fail(
            "requests",
            "List should have at most 100000 items after validation",
        );
    }
    let mut out: Vec<(String, Value)> = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = format!("requests.{i}");
        let entry = check::object(item, &at)?;
        check::no_extra(entry, &["custom_id", "params"], &at)?;
        let custom_id = check::identifier(
            check::required(entry, "custom_id", &at)?,
            &format!("{at}.custom_id"),
            64,
            "^[a-zA-Z0-9_-]{1,64}$",
        )?;
        if out.iter().any(|(seen, _)| *seen == custom_id) {
            return check::fail(
                &format!("{at}.custom_id"),
                format!("duplicate custom_id '{custom_id}': each request needs its own"),
            );
        }
        let params = check::required(entry, "params", &at)?;
        validate::batch_params(params, &format!("{at}.params"))?;
        out.push((custom_id, params.clone()));
    }
    Ok(out)
}

/// Works through a batch in the background.
async fn process(state: Arc<State>, id: String, requests: Vec<(String, Value)>) {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    let mut rng = SplitMix::new(stable_hash(id.as_bytes()));
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for (done, &index) in order.iter().enumerate() {
        tokio::time::sleep(state.config.batch_request_delay).await;
        let canceling = state
            .batches
            .with(&id, |b| {
                b.info.processing_status == ProcessingStatus::Canceling
            })
            .unwrap_or(true);
        if canceling {
            let rest: Vec<String> = order[done..]
                .iter()
                .map(|&i| requests[i].0.clone())
                .collect();
            let _ = state.batches.with(&id, |batch| {
                for custom_id in rest {
                    batch
                        .results
                        .push(line(custom_id, BatchResult::Canceled(JsonMap::new())));
                    batch.info.request_counts.processing -= 1;
                    batch.info.request_counts.canceled += 1;
                }
            });
            break;
        }
        let (custom_id, params) = &requests[index];
        let result = answer(&state, params.clone());
        let _ = state.batches.with(&id, |batch| {
            let counts = &mut batch.info.request_counts;
            counts.processing -= 1;
            match &result {
                BatchResult::Succeeded(_) => counts.succeeded += 1,
                _ => counts.errored += 1,
            }
            batch.results.push(line(custom_id.clone(), result));
        });
    }
    let _ = state.batches.with(&id, |batch| {
        batch.info.processing_status = ProcessingStatus::Ended;
        batch.info.ended_at = Some(rfc3339(now_unix()));
        batch.info.results_url = Some(format!(
            "{}/v1/messages/batches/{}/results",
            batch.base_url, batch.info.id
        ));
    });
}

fn line(custom_id: String, result: BatchResult) -> BatchResultLine {
    BatchResultLine {
        custom_id,
        result,
        extra: JsonMap::new(),
    }
}

/// One request of a batch: a message, or the error it met.
fn answer(state: &State, mut params: Value) -> BatchResult {
    let errored = |error: ApiError| {
        BatchResult::Errored(ErroredResult {
            error: error.body(&request_id()),
            extra: JsonMap::new(),
        })
    };
    let faults = match params.get("model").and_then(Value::as_str).map(split_model) {
        Some((base, Some(spec))) => {
            let parsed = Faults::parse(spec);
            params["model"] = Value::String(base.to_owned());
            match parsed {
                Ok(faults) => faults,
                Err(why) => return errored(ApiError::invalid(format!("model: {why}"))),
            }
        }
        _ => Faults::default(),
    };
    if let Some(error) = faults
        .status
        .and_then(|fault| ApiError::for_status(fault.status))
    {
        return errored(error);
    }
    let params = match check_create(params, |_| Ok(())) {
        Ok(params) => params,
        Err(error) => return errored(error),
    };
    let (reply, usage) = match run(state, &params) {
        Ok(done) => done,
        Err(error) => return errored(error),
    };
    let id = new_id("msg_");
    let envelope = Envelope {
        id: &id,
        model: &params.model,
        usage,
        service_tier: "batch",
    };
    BatchResult::Succeeded(Box::new(SucceededResult {
        message: full_message(&reply, &envelope),
        extra: JsonMap::new(),
    }))
}

/// `GET /v1/messages/batches`.
pub fn list(state: &State, request: &Request) -> Result<Response, ApiError> {
    let infos: Vec<MessageBatch> = state
        .batches
        .lock()
        .iter()
        .map(|b| b.info.clone())
        .collect();
    let page = paginate(request, &infos, |info| info.id.as_str())?;
    Ok(Response::json(200, &page))
}

/// `GET /v1/messages/batches/{id}`.
pub fn retrieve(state: &State, id: &str) -> Result<Response, ApiError> {
    let info = state.batches.with(id, |b| b.info.clone())?;
    Ok(Response::json(200, &info))
}

/// `POST /v1/messages/batches/{id}/cancel`: `canceling` until the worker stops; an ended batch
/// is returned unchanged.
pub fn cancel(state: &State, id: &str) -> Result<Response, ApiError> {
    let info = state.batches.with(id, |batch| {
        if batch.info.processing_status == ProcessingStatus::InProgress {
            batch.info.processing_status = ProcessingStatus::Canceling;
            batch.info.cancel_initiated_at = Some(rfc3339(now_unix()));
        }
        batch.info.clone()
    })?;
    Ok(Response::json(200, &info))
}

/// `DELETE /v1/messages/batches/{id}`: only once processing ended.
pub fn delete(state: &State, id: &str) -> Result<Response, ApiError> {
    let ended = state
        .batches
        .with(id, |b| b.info.processing_status == ProcessingStatus::Ended)?;
    if !ended {
        return Err(ApiError::invalid(format!(
            "Batch {id} cannot be deleted while it is still processing; cancel it first"
        )));
    }
    state.batches.lock().retain(|b| b.info.id != id);
    Ok(Response::json(
        200,
        &DeletedMessageBatch {
            id: id.to_owned(),
            kind: "message_batch_deleted".into(),
            extra: JsonMap::new(),
        },
    ))
}

/// `GET /v1/messages/batches/{id}/results`: JSONL, one line per request.
pub fn results(state: &State, id: &str) -> Result<Response, ApiError> {
    let (ended, lines) = state.batches.with(id, |batch| {
        let lines: Vec<String> = batch
            .results
            .iter()
            .filter_map(|line| serde_json::to_string(line).ok())
            .collect();
        (
            batch.info.processing_status == ProcessingStatus::Ended,
            lines,
        )
    })?;
    if !ended {
        return Err(ApiError::invalid(format!(
            "Batch {id} is still processing; results are available once processing_status is ended"
        )));
    }
    let mut body = lines.join("\n");
    body.push('\n');
    Ok(Response {
        status: 200,
        headers: vec![("content-type".into(), "application/binary".into())],
        body: Body::Full(body.into_bytes()),
        delivery: Default::default(),
    })
}
