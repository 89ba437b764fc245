//! Auth, `anthropic-version`, CORS, the headers every response carries, keep-alive, and the
//! binary itself (start-up time, log lines).

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use devserver::Config;
use serde_json::json;

fn keyed() -> std::net::SocketAddr {
    static ADDR: OnceLock<std::net::SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start(Config {
            api_key: Some("sk-test-key".into()),
            ..Config::default()
        })
    })
}

fn models(call: Call) -> Reply {
    call.send(keyed())
}

#[test]
fn key_by_x_api_key_or_bearer() {
    let ok = models(Call::new("GET", "/v1/models").header("x-api-key", "sk-test-key"));
    assert_eq!(ok.status, 200);
    let bearer =
        models(Call::new("GET", "/v1/models").header("authorization", "Bearer sk-test-key"));
    assert_eq!(bearer.status, 200);
    let wrong = models(Call::new("GET", "/v1/models").header("x-api-key", "sk-wrong"));
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json(),
        json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            "request_id": wrong.header("request-id").unwrap()})
    );
    let missing = models(Call::new("GET", "/v1/models"));
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json()["error"]["type"], "authentication_error");
    // Without --api-key, any key or none is accepted.
    assert_eq!(Call::new("GET", "/v1/models").send(server()).status, 200);
    assert_eq!(
        Call::new("GET", "/v1/models")
            .header("x-api-key", "anything")
            .send(server())
            .status,
        200
    );
}

#[test]
fn anthropic_version_is_required() {
    let reply = Call::new("GET", "/v1/models")
        .without("anthropic-version")
        .send(server());
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["error"],
        json!({"type": "invalid_request_error", "message": "anthropic-version: header is required"})
    );
    for version in ["2023-06-01", "2026-10-21"] {
        assert_eq!(
            Call::new("GET", "/v1/models")
                .header("anthropic-version", version)
                .send(server())
                .status,
            200
        );
    }
}

#[test]
fn cors_preflight_and_browser_opt_in() {
    let preflight = Call::new("OPTIONS", "/v1/messages")
        .without("anthropic-version")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "x-api-key,anthropic-version,content-type,anthropic-dangerous-direct-browser-access",
        )
        .send(keyed());
    assert_eq!(preflight.status, 200);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert_eq!(preflight.header("vary"), Some("origin"));
    assert_eq!(preflight.header("access-control-expose-headers"), Some("*"));
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .contains("anthropic-dangerous-direct-browser-access"));

    let refused = create_from_browser(None);
    assert_eq!(refused.status, 401);
    assert_eq!(
        refused.error_message(),
        "CORS requests must set 'anthropic-dangerous-direct-browser-access' header"
    );
    assert_eq!(refused.header("access-control-allow-origin"), None);

    let allowed = create_from_browser(Some("true"));
    assert_eq!(allowed.status, 200, "{}", allowed.text());
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert_eq!(allowed.header("access-control-expose-headers"), Some("*"));
}

fn preflight_from(origin: &str, addr: std::net::SocketAddr) -> Reply {
    Call::new("OPTIONS", "/v1/messages")
        .without("anthropic-version")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .send(addr)
}

/// Finding 5: `access-control-allow-origin: *` let any web page drive the server (and spend what
/// it proxies). Loopback pages are allowed by default; others only by `--cors-origin` or
/// `--cors-any`.
#[test]
fn cors_is_limited_to_loopback_origins_by_default() {
    for origin in [
        "http://localhost:3000",
        "http://127.0.0.1:8080",
        "http://[::1]:5173",
        "http://localhost",
        "https://127.0.0.1:8443",
    ] {
        let reply = preflight_from(origin, server());
        assert_eq!(reply.status, 200, "{origin}");
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some(origin),
            "{origin}"
        );
    }
    for origin in [
        "https://evil.example",
        "http://localhost.evil.example",
        "http://127.0.0.1.evil.example:80",
        "http://localhost:3000@evil.example",
        "http://[::1]evil",
        "null",
    ] {
        let reply = preflight_from(origin, server());
        assert_eq!(reply.status, 403, "{origin}");
        assert_eq!(
            reply.header("access-control-allow-origin"),
            None,
            "{origin}"
        );
    }
    let refused = Call::new("POST", "/v1/messages")
        .header("origin", "https://evil.example")
        .header("anthropic-dangerous-direct-browser-access", "true")
        .json(&ask("claude-haiku-4-5", "hi", 10))
        .send(server());
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert_eq!(refused.json()["error"]["type"], "permission_error");
    assert!(refused.error_message().contains("--cors-origin"));
    assert_eq!(refused.header("access-control-allow-origin"), None);

    let widened = start(Config {
        cors_origins: vec!["https://app.example".into()],
        ..Config::default()
    });
    let reply = preflight_from("https://app.example", widened);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert_eq!(preflight_from("https://evil.example", widened).status, 403);
    let any = start(Config {
        cors_any: true,
        ..Config::default()
    });
    let reply = preflight_from("https://evil.example", any);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

fn create_from_browser(opt_in: Option<&str>) -> Reply {
    let mut call = Call::new("POST", "/v1/messages")
        .header("origin", "http://localhost:3000")
        .json(&ask("claude-haiku-4-5", "hi", 10));
    if let Some(value) = opt_in {
        call = call.header("anthropic-dangerous-direct-browser-access", value);
    }
    call.send(server())
}

#[test]
fn every_response_has_request_id_and_rate_limit_headers() {
    let replies = [
        Call::new("GET", "/v1/models").send(server()),
        Call::new("GET", "/v1/nowhere").send(server()),
        create(ask("claude-haiku-4-5", "hi", 10)),
        create(json!({"model": "x"})),
        Call::new("GET", "/v1/models")
            .header("x-devserver-fault", "529")
            .send(server()),
        Call::new("OPTIONS", "/v1/models")
            .header("origin", "http://x")
            .send(server()),
    ];
    for reply in &replies {
        let id = reply
            .header("request-id")
            .unwrap_or_else(|| panic!("request-id on {}", reply.status));
        assert!(id.starts_with("req_011C") && id.len() > 20, "{id}");
        for kind in ["requests", "tokens", "input-tokens", "output-tokens"] {
            for part in ["limit", "remaining", "reset"] {
                let name = format!("anthropic-ratelimit-{kind}-{part}");
                assert!(reply.header(&name).is_some(), "{name} on {}", reply.status);
            }
        }
    }
    let ids: std::collections::HashSet<_> = replies
        .iter()
        .map(|r| r.header("request-id").unwrap())
        .collect();
    assert_eq!(ids.len(), replies.len(), "request ids are unique");
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let addr = server();
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for i in 0..3 {
        let reply = Call::new("POST", "/v1/messages")
            .json(&ask(
                "claude-haiku-4-5",
                &format!("Say exactly: turn {i}"),
                20,
            ))
            .send_on(&mut stream, &mut reader, addr);
        assert_eq!(reply.json()["content"][0]["text"], format!("turn {i}"));
        let mut streamed = ask("claude-haiku-4-5", "hello", 20);
        streamed["stream"] = json!(true);
        let reply = Call::new("POST", "/v1/messages").json(&streamed).send_on(
            &mut stream,
            &mut reader,
            addr,
        );
        assert!(reply.complete && reply.events().last().unwrap().0 == "message_stop");
    }
}

#[test]
fn the_binary_starts_fast_and_logs_one_line_per_request_without_the_key() {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_devserver"))
        .args([
            "--port",
            "0",
            "--api-key",
            "sk-secret-123",
            "--tokens-per-second",
            "1000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn devserver");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let ready = started.elapsed();
    assert!(ready < Duration::from_secs(1), "ready in {ready:?}");
    assert!(
        line.starts_with("devserver listening on http://127.0.0.1:"),
        "{line}"
    );
    let port: u16 = line
        .split(':')
        .nth(2)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let reply = Call::new("POST", "/v1/messages")
        .header("x-api-key", "sk-secret-123")
        .json(&ask("claude-haiku-4-5", "hi", 10))
        .send(addr);
    assert_eq!(reply.status, 200);
    let request_id = reply.header("request-id").unwrap().to_owned();
    let denied = Call::new("GET", "/v1/models")
        .header("x-api-key", "sk-secret-wrong")
        .send(addr);
    assert_eq!(denied.status, 401);
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    // Each connection logs when its response is written, so the two lines may come in either order.
    assert!(
        lines.iter().any(
            |l| l.starts_with(&format!("POST /v1/messages 200 {request_id} ")) && l.ends_with("ms")
        ),
        "{log}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /v1/models 401 req_")),
        "{log}"
    );
    assert!(!log.contains("sk-secret"), "the key is never logged");
}

#[test]
fn bad_command_lines_are_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_devserver"))
        .args(["--port", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--port"));
    // Finding 6: 1e-300 tokens per second started the server, then panicked on a stream.
    for args in [
        ["--tokens-per-second", "1e-300"],
        ["--max-connections", "0"],
        ["--cors-origin", "evil.example"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_devserver"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with(&format!("devserver: {}", args[0])),
            "{stderr}"
        );
    }
    let help = Command::new(env!("CARGO_BIN_EXE_devserver"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        help.status.success()
            && String::from_utf8_lossy(&help.stdout).contains("--tokens-per-second")
    );
}
