//! Error classification and messages, and the API key's absence from every error.

use std::time::Duration;

use anthropic_wasm::error::{
    excerpt, ApiErrorKind, ApiKey, Error, ValidationError, ValidationRule, EXCERPT_LIMIT,
};
use anthropic_wasm::headers::Headers;
use anthropic_wasm::types::{ErrorObject, ErrorType};
use serde_json::json;

fn body(kind: &str, message: &str) -> Vec<u8> {
    json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_body"})
        .to_string()
        .into_bytes()
}

#[test]
fn statuses_are_classified_like_the_official_sdk() {
    let cases = [
        (400, "invalid_request_error", ApiErrorKind::BadRequest),
        (401, "authentication_error", ApiErrorKind::Authentication),
        (402, "billing_error", ApiErrorKind::Billing),
        (403, "permission_error", ApiErrorKind::PermissionDenied),
        (404, "not_found_error", ApiErrorKind::NotFound),
        (409, "conflict_error", ApiErrorKind::Conflict),
        (413, "request_too_large", ApiErrorKind::RequestTooLarge),
        (
            422,
            "invalid_request_error",
            ApiErrorKind::UnprocessableEntity,
        ),
        (429, "rate_limit_error", ApiErrorKind::RateLimit),
        (500, "api_error", ApiErrorKind::InternalServer),
        (503, "api_error", ApiErrorKind::InternalServer),
        (504, "timeout_error", ApiErrorKind::GatewayTimeout),
        (529, "overloaded_error", ApiErrorKind::Overloaded),
        (418, "overloaded_error", ApiErrorKind::Overloaded), // unknown status: the type decides
        (418, "teapot_error", ApiErrorKind::Other),
    ];
    for (status, kind, expected) in cases {
        let error = Error::from_response(status, &Headers::new(), &body(kind, "m"));
        let Error::Api(api) = &error else {
            panic!("{status}: {error:?}")
        };
        assert_eq!(api.kind, expected, "{status} {kind}");
        assert_eq!(api.status, Some(status));
        assert_eq!(api.error.kind, ErrorType::from(kind));
        assert_eq!(error.status(), Some(status));
        assert!(
            error
                .to_string()
                .starts_with(&format!("{status} {kind}: m; ")),
            "{error}"
        );
    }
}

#[test]
fn api_errors_carry_request_id_and_retry_after() {
    let headers = Headers::from_iter([("request-id", "req_header"), ("retry-after", "2.5")]);
    let error = Error::from_response(
        429,
        &headers,
        &body(
            "rate_limit_error",
            "Number of requests has exceeded your rate limit",
        ),
    );
    let api = error.api_error().unwrap();
    assert_eq!(
        api.request_id.as_deref(),
        Some("req_header"),
        "the header wins over the body"
    );
    assert_eq!(api.retry_after, Some(Duration::from_millis(2500)));
    let text = error.to_string();
    assert!(
        text.contains("rate_limit_error")
            && text.contains("retry after the delay")
            && text.contains("2.5 s"),
        "{text}"
    );
    assert!(text.ends_with("(request-id req_header)"), "{text}");
    let ms = Headers::from_iter([("retry-after-ms", "120"), ("retry-after", "9")]);
    assert_eq!(
        Error::from_response(529, &ms, &body("overloaded_error", "x"))
            .api_error()
            .unwrap()
            .retry_after,
        Some(Duration::from_millis(120))
    );
    // without the header, the body's request_id is used
    assert_eq!(
        Error::from_response(400, &Headers::new(), &body("invalid_request_error", "x"))
            .request_id(),
        Some("req_body")
    );
}

#[test]
fn spend_limit_details_are_shown() {
    let raw = json!({"type": "error", "error": {"type": "rate_limit_error", "message": "limit", "details": {"error_code": "enforced_spend_limit_reached"}}});
    let error = Error::from_response(429, &Headers::new(), raw.to_string().as_bytes());
    assert_eq!(
        error.api_error().unwrap().error.error_code(),
        Some("enforced_spend_limit_reached")
    );
    assert!(error.to_string().contains("[enforced_spend_limit_reached]"));
}

#[test]
fn an_html_page_is_a_non_json_response_with_its_start() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(1000)
    );
    let error = Error::from_response(
        502,
        &Headers::from_iter([("request-id", "req_proxy")]),
        page.as_bytes(),
    );
    let Error::NonJsonResponse {
        status,
        body_start,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 502);
    assert!(body_start.starts_with("<html><head><title>502 Bad Gateway"));
    assert!(body_start.ends_with('…') && body_start.len() <= EXCERPT_LIMIT + '…'.len_utf8());
    assert_eq!(request_id.as_deref(), Some("req_proxy"));
    assert!(error.to_string().contains("proxy or gateway"));
    // an empty body is not JSON either
    assert!(matches!(
        Error::from_response(500, &Headers::new(), b""),
        Error::NonJsonResponse { .. }
    ));
}

#[test]
fn excerpts_cut_on_a_character_boundary() {
    let text = "é".repeat(EXCERPT_LIMIT); // two bytes each: the limit falls mid-character
    let cut = excerpt(text.as_bytes());
    assert!(cut.ends_with('…') && !cut.contains('\u{FFFD}'), "{cut}");
    assert_eq!(excerpt(b"short"), "short");
    assert_eq!(excerpt(&[0xff, 0xfe]), "\u{FFFD}\u{FFFD}");
}

#[test]
fn mid_stream_errors_are_typed_by_their_error_type() {
    let object: ErrorObject =
        serde_json::from_value(json!({"type": "overloaded_error", "message": "Overloaded"}))
            .unwrap();
    let error = Error::mid_stream(object, &Headers::from_iter([("request-id", "req_stream")]));
    let Error::MidStream(api) = &error else {
        panic!()
    };
    assert_eq!((api.kind, api.status), (ApiErrorKind::Overloaded, None));
    assert_eq!(error.request_id(), Some("req_stream"));
    assert_eq!(error.status(), None);
    assert!(error
        .to_string()
        .starts_with("the stream failed after it started: overloaded_error: Overloaded"));
}

#[test]
fn other_errors_say_what_to_do() {
    assert!(Error::Timeout.to_string().contains("raise the timeout"));
    assert!(Error::Connection {
        message: "getaddrinfo ENOTFOUND".into()
    }
    .to_string()
    .contains("check the network"));
    assert_eq!(Error::Aborted.to_string(), "the request was aborted");
    let invalid: Error = ValidationError::new(
        "messages[0].role",
        ValidationRule::OutOfRange,
        "must be user or assistant",
    )
    .into();
    assert_eq!(
        invalid.to_string(),
        "invalid request: messages[0].role: must be user or assistant"
    );
    let decode = Error::decode("expected value", b"{not json");
    assert!(decode.to_string().contains("{not json"));
}

/// A key-shaped secret put into every text an error can carry never comes out of
/// `Display` or `Debug` once redacted, and the key type itself never shows it.
#[test]
fn the_api_key_never_appears() {
    let secret = "sk-ant-api03-SECRETSECRETSECRET-0123456789";
    let key = ApiKey::new(secret);
    assert!(!format!("{key:?}").contains(secret));
    let echo = format!("invalid x-api-key {secret}");
    let headers = Headers::from_iter([("request-id", "req_1"), ("x-echo", echo.as_str())]);
    let json_body = json!({"type": "error", "error": {"type": "authentication_error", "message": echo, "details": {"key": secret}}, "request_id": secret});
    let errors = vec![
        Error::from_response(401, &headers, json_body.to_string().as_bytes()),
        Error::mid_stream(
            serde_json::from_value(json!({"type": "api_error", "message": echo})).unwrap(),
            &headers,
        ),
        Error::from_response(
            502,
            &Headers::from_iter([("request-id", secret)]),
            format!("<html>{echo}</html>").as_bytes(),
        ),
        Error::Connection {
            message: echo.clone(),
        },
        Error::decode(&echo, echo.as_bytes()),
        Error::IncompleteStream {
            message: echo.clone(),
        },
        ValidationError::new(echo.clone(), ValidationRule::Shape, echo.clone()).into(),
        Error::Timeout,
        Error::Aborted,
    ];
    for error in errors {
        let unredacted = format!("{error} {error:?}");
        let redacted = error.redacted(&key);
        let shown = format!("{redacted} {redacted:?}");
        assert!(!shown.contains(secret), "key leaked: {shown}");
        if unredacted.contains(secret) {
            assert!(shown.contains("[redacted]"), "{shown}");
        }
    }
}
