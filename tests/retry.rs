//! Tests for `retry::decide`: which failures are retried, which header sets the delay, the
//! backoff curve, and a property that it never panics and never waits more than 60 s.

use core::time::Duration;

use anthropic_wasm::headers::Headers;
use anthropic_wasm::retry::{
    backoff_delay, decide, parse_http_date, Decision, Failure, RetryContext, DEFAULT_MAX_RETRIES,
    MAX_HEADER_DELAY,
};
use proptest::prelude::*;

/// 1994-11-06T08:49:37Z, the RFC example date, in Unix milliseconds.
const RFC_EXAMPLE_MS: f64 = 784_111_777_000.0;

fn ctx() -> RetryContext {
    RetryContext {
        retries_done: 0,
        max_retries: DEFAULT_MAX_RETRIES,
        now_unix_ms: RFC_EXAMPLE_MS,
        read_http_date: parse_http_date,
        jitter: 0.0,
    }
}

fn headers(pairs: &[(&str, &str)]) -> Headers {
    pairs.iter().copied().collect()
}

fn status(code: u16, headers: &Headers) -> Decision {
    decide(
        &Failure::Status {
            status: code,
            headers,
            error_code: None,
        },
        &ctx(),
    )
}

fn ms(n: u64) -> Decision {
    Decision::RetryAfter(Duration::from_millis(n))
}

const FIRST_BACKOFF: Decision = Decision::RetryAfter(Duration::from_millis(500));

#[test]
fn status_classes() {
    let none = Headers::new();
    for code in [408, 409, 429, 500, 502, 503, 504, 529, 599, 600] {
        assert_eq!(status(code, &none), FIRST_BACKOFF, "{code}");
    }
    for code in [200, 301, 400, 401, 403, 404, 413, 418, 422, 499] {
        assert_eq!(status(code, &none), Decision::DontRetry, "{code}");
    }
}

#[test]
fn x_should_retry_wins() {
    let yes = headers(&[("X-Should-Retry", "true")]);
    let no = headers(&[("x-should-retry", "false")]);
    assert_eq!(status(400, &yes), FIRST_BACKOFF);
    assert_eq!(status(404, &yes), FIRST_BACKOFF);
    assert_eq!(status(529, &no), Decision::DontRetry);
    assert_eq!(status(429, &no), Decision::DontRetry);
    assert_eq!(status(500, &no), Decision::DontRetry);
    // Other values are ignored: the status decides.
    for value in ["1", "yes", "TRUE?", ""] {
        let h = headers(&[("x-should-retry", value)]);
        assert_eq!(status(400, &h), Decision::DontRetry, "{value:?}");
        assert_eq!(status(529, &h), FIRST_BACKOFF, "{value:?}");
    }
    // The retry budget still applies.
    let spent = RetryContext {
        retries_done: 2,
        ..ctx()
    };
    let failure = Failure::Status {
        status: 400,
        headers: &yes,
        error_code: None,
    };
    assert_eq!(decide(&failure, &spent), Decision::DontRetry);
}

#[test]
fn x_should_retry_true_uses_retry_headers() {
    let h = headers(&[("x-should-retry", "true"), ("retry-after", "3")]);
    assert_eq!(status(400, &h), ms(3000));
}

#[test]
fn spend_limit_429_is_not_retried() {
    let none = Headers::new();
    let spend = |h: &Headers, code: u16| {
        decide(
            &Failure::Status {
                status: code,
                headers: h,
                error_code: Some("enforced_spend_limit_reached"),
            },
            &ctx(),
        )
    };
    assert_eq!(spend(&none, 429), Decision::DontRetry);
    // Even with a retry-after, waiting cannot help.
    assert_eq!(
        spend(&headers(&[("retry-after", "1")]), 429),
        Decision::DontRetry
    );
    // x-should-retry is checked first and wins.
    assert_eq!(
        spend(&headers(&[("x-should-retry", "true")]), 429),
        FIRST_BACKOFF
    );
    // Another error code on a 429 is retried; the code does not matter on other statuses.
    let other = Failure::Status {
        status: 429,
        headers: &none,
        error_code: Some("rate_limit"),
    };
    assert_eq!(decide(&other, &ctx()), FIRST_BACKOFF);
    assert_eq!(spend(&none, 529), FIRST_BACKOFF);
}

#[test]
fn retry_after_ms_takes_precedence() {
    let h = headers(&[("retry-after", "10"), ("retry-after-ms", "1500")]);
    assert_eq!(status(429, &h), ms(1500));
    let h = headers(&[("Retry-After-Ms", "250.5")]);
    assert_eq!(
        status(429, &h),
        Decision::RetryAfter(Duration::from_micros(250_500))
    );
    // An unusable retry-after-ms falls through to retry-after.
    for bad in ["-5", "NaN", "inf", "soon", "", "1,5"] {
        let h = headers(&[("retry-after-ms", bad), ("retry-after", "2")]);
        assert_eq!(status(429, &h), ms(2000), "{bad:?}");
    }
}

#[test]
fn retry_after_seconds() {
    assert_eq!(status(503, &headers(&[("retry-after", "3")])), ms(3000));
    assert_eq!(status(503, &headers(&[("retry-after", "0.25")])), ms(250));
    assert_eq!(status(503, &headers(&[("retry-after", " 1.5 ")])), ms(1500));
    assert_eq!(status(503, &headers(&[("retry-after", "0")])), ms(0));
    // Negative, NaN, infinite or garbage: backoff.
    for bad in ["-1", "NaN", "Infinity", "-inf", "3s", "later"] {
        let h = headers(&[("retry-after", bad)]);
        assert_eq!(status(503, &h), FIRST_BACKOFF, "{bad:?}");
    }
}

#[test]
fn header_delays_are_capped_at_60_s() {
    assert_eq!(MAX_HEADER_DELAY, Duration::from_secs(60));
    for h in [
        headers(&[("retry-after-ms", "60001")]),
        headers(&[("retry-after-ms", "1e300")]),
        headers(&[("retry-after", "61")]),
        headers(&[("retry-after", "86400")]),
        headers(&[("retry-after", "1e308")]),
        headers(&[("retry-after", "Sun, 06 Nov 1994 09:49:37 GMT")]),
    ] {
        assert_eq!(status(429, &h), ms(60_000), "{h:?}");
    }
    assert_eq!(status(429, &headers(&[("retry-after", "60")])), ms(60_000));
    assert_eq!(
        status(429, &headers(&[("retry-after", "59.5")])),
        ms(59_500)
    );
}

#[test]
fn retry_after_http_date() {
    let at = |value: &str| status(429, &headers(&[("retry-after", value)]));
    // Future: the difference from now.
    assert_eq!(at("Sun, 06 Nov 1994 08:49:47 GMT"), ms(10_000));
    assert_eq!(at("Sunday, 06-Nov-94 08:49:42 GMT"), ms(5_000));
    assert_eq!(at("Sun Nov  6 08:49:40 1994"), ms(3_000));
    // Past or now: zero.
    assert_eq!(at("Sun, 06 Nov 1994 08:49:37 GMT"), ms(0));
    assert_eq!(at("Sat, 05 Nov 1994 08:49:37 GMT"), ms(0));
    assert_eq!(at("Thu, 01 Jan 1970 00:00:00 GMT"), ms(0));
    // Unparsable: backoff.
    for bad in [
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 PST",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "1994-11-06T08:49:47Z",
        "tomorrow",
    ] {
        assert_eq!(at(bad), FIRST_BACKOFF, "{bad:?}");
    }
    // A non-finite `now` makes the date unusable rather than a panic.
    let weird_now = RetryContext {
        now_unix_ms: f64::NAN,
        read_http_date: parse_http_date,
        ..ctx()
    };
    let h = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")]);
    let failure = Failure::Status {
        status: 429,
        headers: &h,
        error_code: None,
    };
    assert_eq!(decide(&failure, &weird_now), FIRST_BACKOFF);
}

#[test]
fn http_date_parser() {
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(
        parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(
        parse_http_date("Sun Nov  6 08:49:37 1994"),
        Some(RFC_EXAMPLE_MS)
    );
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
    assert_eq!(
        parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT"),
        Some(-1000.0)
    );
    // Leap day, end of a 400-year cycle, and a two-digit year after 2000.
    assert_eq!(
        parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"),
        Some(951_782_400_000.0)
    );
    assert_eq!(parse_http_date("Thu, 29 Feb 2001 00:00:00 GMT"), None);
    assert_eq!(
        parse_http_date("Sat, 01 Jan 2000 00:00:00 GMT"),
        parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT")
    );
    assert_eq!(
        parse_http_date("Fri, 13 Nov 2026 10:20:30 GMT"),
        Some(1_794_565_230_000.0)
    );
    assert_eq!(parse_http_date(""), None);
}

#[test]
fn backoff_curve() {
    let expected_ms = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    for (k, want) in expected_ms.iter().enumerate() {
        let k = k as u32;
        assert_eq!(backoff_delay(k, 0.0), Duration::from_millis(*want), "k={k}");
        // jitter 0.999 shortens by 24.975 %.
        let short = backoff_delay(k, 0.999).as_secs_f64();
        let want_short = *want as f64 / 1000.0 * (1.0 - 0.999 * 0.25);
        assert!(
            (short - want_short).abs() < 1e-6,
            "k={k} {short} {want_short}"
        );
        // Same through decide, for a connection failure with a big enough budget.
        let c = RetryContext {
            retries_done: k,
            max_retries: 10,
            now_unix_ms: 0.0,
            read_http_date: parse_http_date,
            jitter: 0.0,
        };
        assert_eq!(
            decide(&Failure::Connection, &c),
            Decision::RetryAfter(Duration::from_millis(*want))
        );
    }
    assert_eq!(backoff_delay(0, 0.999), Duration::from_nanos(375_125_000));
    assert_eq!(backoff_delay(u32::MAX, 0.0), Duration::from_secs(8));
    assert_eq!(backoff_delay(1, 0.5), Duration::from_millis(875));
    // Out-of-range jitter is clamped, NaN counts as none.
    assert_eq!(backoff_delay(0, f64::NAN), Duration::from_millis(500));
    assert_eq!(backoff_delay(0, -3.0), Duration::from_millis(500));
    assert_eq!(backoff_delay(0, 7.0), Duration::from_millis(375));
}

#[test]
fn connection_and_timeout_are_retried_with_backoff() {
    let c = RetryContext {
        retries_done: 1,
        jitter: 0.5,
        ..ctx()
    };
    let want = Decision::RetryAfter(Duration::from_millis(875));
    assert_eq!(decide(&Failure::Connection, &c), want);
    assert_eq!(decide(&Failure::Timeout, &c), want);
}

#[test]
fn max_retries_exhaustion() {
    let none = Headers::new();
    let failure = Failure::Status {
        status: 529,
        headers: &none,
        error_code: None,
    };
    let with = |done, max| RetryContext {
        retries_done: done,
        max_retries: max,
        ..ctx()
    };
    assert_eq!(decide(&failure, &with(0, 2)), ms(500));
    assert_eq!(decide(&failure, &with(1, 2)), ms(1000));
    assert_eq!(decide(&failure, &with(2, 2)), Decision::DontRetry);
    assert_eq!(decide(&failure, &with(7, 2)), Decision::DontRetry);
    assert_eq!(decide(&failure, &with(0, 0)), Decision::DontRetry);
    assert_eq!(
        decide(&Failure::Connection, &with(2, 2)),
        Decision::DontRetry
    );
    assert_eq!(decide(&Failure::Timeout, &with(3, 2)), Decision::DontRetry);
    assert_eq!(DEFAULT_MAX_RETRIES, 2);
}

#[test]
fn body_started_and_user_abort_are_never_retried() {
    let c = RetryContext {
        max_retries: 100,
        ..ctx()
    };
    assert_eq!(decide(&Failure::BodyStarted, &c), Decision::DontRetry);
    assert_eq!(decide(&Failure::UserAbort, &c), Decision::DontRetry);
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "-?[0-9]{0,12}(\\.[0-9]{0,6})?(e-?[0-9]{1,4})?",
        "(Mon|Sun|Sunday|Xyz),? [0-9]{1,2}[ -](Nov|Feb|Foo)[ -][0-9]{2,4} [0-9]{2}:[0-9]{2}:[0-9]{2} (GMT|UTC)?",
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
    ]
}

proptest! {
    #[test]
    fn decide_never_panics_and_never_waits_over_60_s(
        code in any::<u16>(),
        pairs in prop::collection::vec(
            (prop::sample::select(vec!["retry-after", "Retry-After-Ms", "x-should-retry", "x-other"]),
             header_value()),
            0..4,
        ),
        error_code in prop::option::of(prop_oneof![
            Just("enforced_spend_limit_reached".to_string()),
            any::<String>(),
        ]),
        retries_done in any::<u32>(),
        max_retries in any::<u32>(),
        now_unix_ms in prop_oneof![any::<f64>(), -1e13..1e13f64],
        jitter in prop_oneof![any::<f64>(), 0.0..1.0f64],
        kind in 0..5u8,
    ) {
        let headers: Headers = pairs.into_iter().collect();
        let failure = match kind {
            0 => Failure::Connection,
            1 => Failure::Timeout,
            2 => Failure::BodyStarted,
            3 => Failure::UserAbort,
            _ => Failure::Status { status: code, headers: &headers, error_code: error_code.as_deref() },
        };
        let ctx = RetryContext { retries_done, max_retries, now_unix_ms, read_http_date: parse_http_date, jitter };
        match decide(&failure, &ctx) {
            Decision::RetryAfter(delay) => {
                prop_assert!(delay <= MAX_HEADER_DELAY);
                prop_assert!(retries_done < max_retries);
                prop_assert!(!matches!(failure, Failure::BodyStarted | Failure::UserAbort));
            }
            Decision::DontRetry => {}
        }
        let _ = parse_http_date(headers.get("retry-after").unwrap_or(""));
    }
}
