//! Whether to retry a failed attempt, and after how long: the official SDKs' policy as a pure
//! function. Time and randomness are passed in, so the transports (browser, Workers, Node)
//! share one tested implementation and tests are deterministic.
//!
//! Rules, in order:
//! 1. A failure after a 2xx body began ([`Failure::BodyStarted`]) or a user abort is never
//!    retried, and nothing is once `retries_done >= max_retries`.
//! 2. A status response: `x-should-retry: true` retries and `x-should-retry: false` does not,
//!    whatever the status. Otherwise 408, 409, 429 and every status ≥ 500 are retried, except a
//!    429 whose `error.details.error_code` is `enforced_spend_limit_reached` (waiting cannot
//!    help). Connection errors and timeouts are retried.
//! 3. Delay: `retry-after-ms` (float milliseconds), else `retry-after` as float seconds, else
//!    `retry-after` as an HTTP date minus now (a past date gives 0; the date is read by
//!    [`RetryContext::read_http_date`], which the npm package leaves to JS). Values that are
//!    negative, NaN, infinite or unparsable are skipped; any header delay is capped at 60 s.
//!    Without a usable header: `min(0.5 s × 2^retries_done, 8 s) × (1 − jitter × 0.25)`.

use crate::prelude::*;

use core::time::Duration;

use crate::numbers::{parse_u64, powi, round_to_u64};

use crate::headers::Headers;
use crate::text;

/// Retries after the first attempt unless the caller configures otherwise (the SDKs' default:
/// up to 3 attempts).
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Longest delay taken from a response header; a server asking for more is not waited on longer.
pub const MAX_HEADER_DELAY: Duration = Duration::from_secs(60);

/// The body error code of a 429 that no amount of waiting fixes.
const SPEND_LIMIT_CODE: &str = "enforced_spend_limit_reached";

/// How an attempt failed, as far as the retry decision cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure<'a> {
    /// The server answered with a non-success status.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response headers (`x-should-retry`, `retry-after-ms`, `retry-after`).
        headers: &'a Headers,
        /// `error.details.error_code` from the error body, if there was one.
        error_code: Option<&'a str>,
    },
    /// The request never got a response (network error, DNS, refused connection).
    Connection,
    /// The client's own timeout fired before the response headers arrived.
    Timeout,
    /// The failure came after a 2xx body began; retrying would replay output already delivered.
    BodyStarted,
    /// The caller aborted the request.
    UserAbort,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after waiting this long.
    RetryAfter(Duration),
    /// Report the failure to the caller.
    DontRetry,
}

/// Everything besides the failure that the decision depends on, injected so it stays pure.
#[derive(Clone, Copy, Debug)]
pub struct RetryContext {
    /// Retries already made for this request (0 after the first attempt fails).
    pub retries_done: u32,
    /// The most retries allowed (see [`DEFAULT_MAX_RETRIES`]).
    pub max_retries: u32,
    /// The current time in Unix milliseconds, to turn an HTTP-date `retry-after` into a delay.
    pub now_unix_ms: f64,
    /// How an HTTP-date `retry-after` is read into Unix milliseconds: [`parse_http_date`] in
    /// Rust. The npm package's shell reads dates with JS's `Date.parse`, as SDK 1.15 does, and
    /// passes the delay as `retry-after-ms`, so its wasm need not link a date parser.
    pub read_http_date: fn(&str) -> Option<f64>,
    /// A uniform random number in `[0, 1)` that shortens the backoff by up to 25 % so clients
    /// do not retry in lockstep. Values outside the range are clamped, NaN counts as 0.
    pub jitter: f64,
}

/// Decides whether to retry `failure` and after how long. Never panics.
pub fn decide(failure: &Failure<'_>, ctx: &RetryContext) -> Decision {
    if ctx.retries_done >= ctx.max_retries {
        return Decision::DontRetry;
    }
    match *failure {
        Failure::BodyStarted | Failure::UserAbort => Decision::DontRetry,
        Failure::Connection | Failure::Timeout => {
            Decision::RetryAfter(backoff_delay(ctx.retries_done, ctx.jitter))
        }
        Failure::Status {
            status,
            headers,
            error_code,
        } => {
            if !should_retry_status(status, headers, error_code) {
                return Decision::DontRetry;
            }
            let delay = header_delay(headers, ctx)
                .unwrap_or_else(|| backoff_delay(ctx.retries_done, ctx.jitter));
            Decision::RetryAfter(delay)
        }
    }
}

/// Whether a status response may be retried at all (ignoring the retry budget).
fn should_retry_status(status: u16, headers: &Headers, error_code: Option<&str>) -> bool {
    // The server's explicit verdict wins over every rule below, as in both SDKs.
    match headers.get("x-should-retry").map(str::trim) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    if status == 429 && error_code == Some(SPEND_LIMIT_CODE) {
        return false;
    }
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// The exponential backoff used when no header says how long to wait:
/// `min(0.5 s × 2^retries_done, 8 s) × (1 − jitter × 0.25)`, so 0.375–0.5 s, 0.75–1 s, … 6–8 s.
pub fn backoff_delay(retries_done: u32, jitter: f64) -> Duration {
    // 0.5 × 2^4 already reaches the 8 s cap; clamping the exponent avoids overflow.
    let exponent = retries_done.min(4) as i32;
    let base_secs = (0.5 * powi(2.0, exponent)).min(8.0);
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    duration_from_ms(base_secs * 1000.0 * (1.0 - jitter * 0.25))
}

/// The delay the response headers ask for, capped at [`MAX_HEADER_DELAY`], if any is usable.
pub fn header_delay(headers: &Headers, ctx: &RetryContext) -> Option<Duration> {
    if let Some(ms) = headers.get("retry-after-ms").and_then(parse_non_negative) {
        return Some(capped(ms));
    }
    let value = headers.get("retry-after")?;
    if let Some(secs) = parse_non_negative(value) {
        return Some(capped(secs * 1000.0));
    }
    let until = (ctx.read_http_date)(value)? - ctx.now_unix_ms;
    // NaN when `now_unix_ms` is not a real time: skip the header rather than guess.
    if until.is_nan() {
        return None;
    }
    Some(capped(until.max(0.0)))
}

/// A finite, non-negative decimal number (`30`, `1.5`, `.5`, `2e3`), or `None` (so the next
/// source is tried). Parsed by hand: `f64::from_str` would add its 10 KB of power tables to
/// the npm package's wasm, for a header.
fn parse_non_negative(value: &str) -> Option<f64> {
    let n = parse_decimal(value.trim().as_bytes())?;
    (n.is_finite() && n >= 0.0).then_some(n)
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, at least one digit before the exponent; the first
/// 19 significant digits count (more than a delay needs).
fn parse_decimal(text: &[u8]) -> Option<f64> {
    let (negative, mut rest) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let mut mantissa: u64 = 0;
    let mut digits = 0u32;
    let mut exponent: i32 = 0;
    let mut fraction = false;
    while let Some((&byte, tail)) = rest.split_first() {
        match byte {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(byte - b'0');
                    exponent -= i32::from(fraction);
                } else {
                    exponent += i32::from(!fraction);
                }
            }
            b'.' if !fraction => fraction = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        rest = tail;
    }
    if digits == 0 {
        return None;
    }
    if let Some((_, power)) = rest.split_first() {
        let (sign, power) = match power.split_first() {
            Some((b'-', p)) => (-1, p),
            Some((b'+', p)) => (1, p),
            _ => (1, power),
        };
        if power.is_empty() || !power.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = power.iter().fold(0i32, |n, d| {
            n.saturating_mul(10).saturating_add(i32::from(d - b'0'))
        });
        exponent = exponent.saturating_add(sign * value);
    }
    let magnitude = mantissa as f64 * powi(10.0, exponent);
    Some(if negative { -magnitude } else { magnitude })
}

/// Milliseconds (already known to be ≥ 0 or +∞) to a duration no longer than the cap.
fn capped(ms: f64) -> Duration {
    duration_from_ms(ms.min(MAX_HEADER_DELAY.as_secs_f64() * 1000.0))
}

/// Milliseconds to a duration; the float-to-int cast saturates, so this cannot panic.
fn duration_from_ms(ms: f64) -> Duration {
    Duration::from_nanos(round_to_u64(ms * 1_000_000.0))
}

/// Parses an HTTP date (`retry-after`'s other form) into Unix milliseconds.
///
/// Accepts the IMF-fixdate form `Sun, 06 Nov 1994 08:49:37 GMT` that servers must send, and
/// the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
/// (`Sun Nov  6 08:49:37 1994`) forms that recipients must accept. Names match without regard
/// to ASCII case; the weekday is checked to be a weekday name but not against the date. An
/// RFC 850 two-digit year is 19yy from 70 up and 20yy below. Anything else is `None`.
pub fn parse_http_date(value: &str) -> Option<f64> {
    let tokens: Vec<&str> = text::split_on(value, b' ')
        .filter(|token| !token.is_empty())
        .collect();
    let (year, month, day, time) = match tokens.as_slice() {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
        [weekday, day, month, year, time, zone] => {
            let weekday = weekday.strip_suffix(',')?;
            check(is_name(weekday, &SHORT_WEEKDAYS) && is_gmt(zone))?;
            (
                number(year, 4, 4)?,
                month_number(month)?,
                number(day, 2, 2)?,
                *time,
            )
        }
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
        [weekday, date, time, zone] => {
            let weekday = weekday.strip_suffix(',')?;
            check(is_name(weekday, &LONG_WEEKDAYS) && is_gmt(zone))?;
            let mut parts = text::split_on(date, b'-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            check(parts.next().is_none())?;
            let yy = number(year, 2, 2)?;
            let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
            (year, month_number(month)?, number(day, 2, 2)?, *time)
        }
        // asctime: `Sun Nov  6 08:49:37 1994`
        [weekday, month, day, time, year] => {
            check(is_name(weekday, &SHORT_WEEKDAYS))?;
            (
                number(year, 4, 4)?,
                month_number(month)?,
                number(day, 1, 2)?,
                *time,
            )
        }
        _ => return None,
    };
    check(day >= 1 && day <= days_in_month(year, month))?;
    let mut hms = text::split_on(time, b':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    check(hms.next().is_none())?;
    let (h, m, s) = (number(h, 2, 2)?, number(m, 2, 2)?, number(s, 2, 2)?);
    // 60 allows a leap second.
    check(h <= 23 && m <= 59 && s <= 60)?;
    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    let secs = days * 86_400 + i64::from(h * 3600 + m * 60 + s);
    Some(secs as f64 * 1000.0)
}

const SHORT_WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Some(())` when `ok`, so conditions chain with `?`.
fn check(ok: bool) -> Option<()> {
    ok.then_some(())
}

fn is_name(token: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(token))
}

fn is_gmt(token: &str) -> bool {
    token.eq_ignore_ascii_case("GMT") || token.eq_ignore_ascii_case("UTC")
}

fn month_number(token: &str) -> Option<u32> {
    let index = MONTHS.iter().position(|n| n.eq_ignore_ascii_case(token))?;
    u32::try_from(index + 1).ok()
}

/// A decimal of `min..=max` ASCII digits (no sign, no spaces).
fn number(token: &str, min: usize, max: usize) -> Option<u32> {
    check((min..=max).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_digit()))?;
    u32::try_from(parse_u64(token)?).ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_as_f64_does_for_header_values() {
        for text in [
            "30",
            "1.5",
            ".5",
            "5.",
            "2e3",
            "2.5E-1",
            "+7",
            "0",
            "007.250",
            "12345678901234567890123",
        ] {
            let expected: f64 = text.parse().unwrap_or(f64::NAN);
            let got = parse_decimal(text.as_bytes()).unwrap_or(f64::NAN);
            assert!(
                (got - expected).abs() <= expected.abs() * 1e-12,
                "{text}: {got} vs {expected}"
            );
        }
        for text in [
            "", ".", "e3", "1e", "1e+", "1.2.3", "0x10", "inf", "NaN", "1 2",
        ] {
            assert_eq!(parse_decimal(text.as_bytes()), None, "{text}");
        }
        assert_eq!(parse_non_negative("-1"), None);
    }
}
