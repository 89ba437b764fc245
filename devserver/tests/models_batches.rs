//! `GET /v1/models[/{id}]` with pagination, and the Message Batches lifecycle.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

fn get(path: &str) -> Reply {
    Call::new("GET", path).send(server())
}

#[test]
fn models_list_pages_both_ways() {
    let all = get("/v1/models").json();
    let ids: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 8);
    for id in [
        "claude-opus-4-7",
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        "claude-mythos-preview",
        "claude-haiku-4-5-20251001",
        "claude-sonnet-4-5-20250929",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    assert_eq!(
        (
            all["has_more"].as_bool(),
            all["first_id"].as_str(),
            all["last_id"].as_str()
        ),
        (Some(false), Some(ids[0]), ids.last().copied())
    );
    let model = &all["data"][0];
    assert_eq!(model["type"], "model");
    assert!(model["display_name"]
        .as_str()
        .unwrap()
        .starts_with("Claude"));
    assert!(model["created_at"]
        .as_str()
        .unwrap()
        .ends_with("T00:00:00Z"));

    // Forwards in pages of 3, following last_id.
    let mut seen = Vec::new();
    let mut query = "/v1/models?limit=3".to_owned();
    loop {
        let page = get(&query).json();
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 3);
        seen.extend(data.iter().map(|m| m["id"].as_str().unwrap().to_owned()));
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
        query = format!(
            "/v1/models?limit=3&after_id={}",
            page["last_id"].as_str().unwrap()
        );
    }
    assert_eq!(seen, ids);
    // Backwards from the end, following first_id.
    let mut back = Vec::new();
    let mut before = ids.last().unwrap().to_string();
    back.push(before.clone());
    loop {
        let page = get(&format!("/v1/models?limit=4&before_id={before}")).json();
        let data: Vec<String> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect();
        back.splice(0..0, data);
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
        before = page["first_id"].as_str().unwrap().to_owned();
    }
    assert_eq!(back, ids);
    assert_eq!(get("/v1/models?limit=0").status, 400);
    assert_eq!(get("/v1/models?limit=1001").status, 400);
}

#[test]
fn model_by_id_or_alias() {
    let model = get("/v1/models/claude-sonnet-4-5").json();
    assert_eq!(model["id"], "claude-sonnet-4-5-20250929");
    assert_eq!(
        get("/v1/models/claude-opus-4-7").json()["display_name"],
        "Claude Opus 4.7"
    );
    let missing = get("/v1/models/claude-unknown");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json()["error"],
        json!({"type": "not_found_error", "message": "model: claude-unknown"})
    );
}

fn params(model: &str, text: &str) -> Value {
    json!({"model": model, "max_tokens": 100, "messages": [{"role": "user", "content": text}]})
}

fn create_batch(requests: Value) -> Reply {
    Call::new("POST", "/v1/messages/batches")
        .json(&json!({"requests": requests}))
        .send(server())
}

fn wait_until_ended(id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let batch = get(&format!("/v1/messages/batches/{id}")).json();
        if batch["processing_status"] == "ended" {
            return batch;
        }
        assert!(Instant::now() < deadline, "batch never ended: {batch}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn batch_lifecycle() {
    let created = create_batch(json!([
        {"custom_id": "ok-1", "params": params("claude-haiku-4-5", "Say exactly: first")},
        {"custom_id": "ok-2", "params": params("claude-haiku-4-5", "Say exactly: second")},
        {"custom_id": "fails", "params": params("claude-haiku-4-5+fault=500", "boom")},
        {"custom_id": "missing", "params": params("claude-unknown", "who?")}
    ]));
    assert_eq!(created.status, 200, "{}", created.text());
    let batch = created.json();
    let id = batch["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("msgbatch_01"));
    assert_eq!(
        (batch["type"].as_str(), batch["processing_status"].as_str()),
        (Some("message_batch"), Some("in_progress"))
    );
    assert_eq!(batch["request_counts"]["processing"], 4);
    assert_eq!(batch["results_url"], Value::Null);
    assert_eq!(
        get(&format!("/v1/messages/batches/{id}/results")).status,
        400,
        "no results while processing"
    );
    assert_eq!(
        Call::new("DELETE", &format!("/v1/messages/batches/{id}"))
            .send(server())
            .status,
        400
    );

    let ended = wait_until_ended(&id);
    assert_eq!(
        ended["request_counts"],
        json!({"processing": 0, "succeeded": 2, "errored": 2, "canceled": 0, "expired": 0})
    );
    assert!(ended["ended_at"].is_string());
    let url = ended["results_url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("http://{}/v1/messages/batches/{id}/results", server())
    );

    let results = get(&format!("/v1/messages/batches/{id}/results"));
    assert_eq!(results.status, 200);
    let lines: Vec<Value> = results
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    let by_id = |custom_id: &str| {
        lines.iter().find(|l| l["custom_id"] == custom_id).unwrap()["result"].clone()
    };
    let first = by_id("ok-1");
    assert_eq!(first["type"], "succeeded");
    assert_eq!(first["message"]["content"][0]["text"], "first");
    assert_eq!(first["message"]["usage"]["service_tier"], "batch");
    assert_eq!(by_id("fails")["error"]["error"]["type"], "api_error");
    assert_eq!(by_id("fails")["error"]["type"], "error");
    assert_eq!(
        by_id("missing")["error"]["error"],
        json!({"type": "not_found_error", "message": "model: claude-unknown"})
    );

    let list = get("/v1/messages/batches?limit=100").json();
    assert!(list["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["id"] == id.as_str()));
    let deleted = Call::new("DELETE", &format!("/v1/messages/batches/{id}")).send(server());
    assert_eq!(
        deleted.json(),
        json!({"id": id, "type": "message_batch_deleted"})
    );
    assert_eq!(get(&format!("/v1/messages/batches/{id}")).status, 404);
}

#[test]
fn batch_cancel_stops_the_rest() {
    let requests: Vec<Value> = (0..30)
        .map(|i| json!({"custom_id": format!("r{i}"), "params": params("claude-haiku-4-5", "hi")}))
        .collect();
    let id = create_batch(Value::Array(requests)).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let canceling = Call::new("POST", &format!("/v1/messages/batches/{id}/cancel"))
        .send(server())
        .json();
    assert_eq!(canceling["processing_status"], "canceling");
    assert!(canceling["cancel_initiated_at"].is_string());
    let ended = wait_until_ended(&id);
    let counts = &ended["request_counts"];
    assert!(counts["canceled"].as_u64().unwrap() > 0, "{counts}");
    assert_eq!(
        counts["canceled"].as_u64().unwrap() + counts["succeeded"].as_u64().unwrap(),
        30
    );
    let lines = get(&format!("/v1/messages/batches/{id}/results")).text();
    assert!(lines.lines().any(|l| l.contains("\"type\":\"canceled\"")));
}

#[test]
fn batch_requests_are_validated() {
    let empty = create_batch(json!([]));
    assert_eq!(empty.status, 400);
    let twice = create_batch(
        json!([{"custom_id": "a", "params": params("claude-haiku-4-5", "x")}, {"custom_id": "a", "params": params("claude-haiku-4-5", "y")}]),
    );
    assert_eq!(twice.status, 400);
    let bad = create_batch(
        json!([{"custom_id": "a", "params": {"model": "claude-haiku-4-5", "messages": []}}]),
    );
    assert_eq!(
        bad.error_message(),
        "requests.0.params.max_tokens: Field required"
    );
    let streamed = create_batch(
        json!([{"custom_id": "a", "params": {"model": "claude-haiku-4-5", "max_tokens": 5, "stream": true, "messages": [{"role": "user", "content": "x"}]}}]),
    );
    assert_eq!(streamed.status, 400);
    let bad_id = create_batch(
        json!([{"custom_id": "has space", "params": params("claude-haiku-4-5", "x")}]),
    );
    assert_eq!(
        bad_id.error_message(),
        "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"
    );
    assert_eq!(get("/v1/messages/batches/msgbatch_nope").status, 404);
}
