//! Fault injection, chosen per request.
//!
//! Syntax (the same in both places): a comma-separated list of faults, in the header
//! `x-devserver-fault: 529` or as a model suffix `claude-sonnet-4-5+fault=529` (for clients that
//! cannot set headers; the suffix is removed before the model is looked up or echoed).
//!
//! | fault | effect |
//! | --- | --- |
//! | `429`, `529`, `500`, `408`, any API error status | that error, with the API's body |
//! | `429:retry-after=1`, `429:retry-after-ms=200` | …with `retry-after` (s) / `retry-after-ms` |
//! | `should-retry=true` / `should-retry=false` | `x-should-retry` on the error response |
//! | `fail-first=N` | the first N attempts of the same request (same method, path, body and faults) get 529 |
//! | `error-after=N` | stream: an `error` event (`overloaded_error`) after N deltas, HTTP 200 |
//! | `drop-after=N` | the connection closes after N bytes of body |
//! | `stall=MS` | nothing is sent for MS milliseconds mid-body (after the first delta of a stream) |
//! | `malformed` | invalid JSON: in one `data:` line of a stream, or the whole JSON body |
//! | `html-502` | a 502 with an HTML body, as from a proxy |
//! | `slow-headers=MS` | wait MS milliseconds before the status line |

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::apierror::ApiError;
use crate::ids::stable_hash;

/// The header that carries faults.
pub const HEADER: &str = "x-devserver-fault";
/// What separates a model id from its faults.
pub const MODEL_SUFFIX: &str = "+fault=";

/// The faults asked for by one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Answer with this error.
    pub status: Option<StatusFault>,
    /// `x-should-retry` on error responses.
    pub should_retry: Option<bool>,
    pub fail_first: Option<u32>,
    pub error_after: Option<usize>,
    pub drop_after: Option<usize>,
    pub stall: Option<Duration>,
    pub malformed: bool,
    pub html_502: bool,
    pub slow_headers: Option<Duration>,
}

/// An error status with its retry hint.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusFault {
    pub status: u16,
    /// `(header name, value)`: `retry-after` in seconds or `retry-after-ms`.
    pub retry_after: Option<(&'static str, String)>,
}

impl Faults {
    /// Parses a fault list; the error names the item that is wrong.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut faults = Self::default();
        for item in spec
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            faults
                .add(item)
                .map_err(|why| format!("fault '{item}': {why}"))?;
        }
        Ok(faults)
    }

    /// Adds the faults of `other` (the model suffix's to the header's).
    pub fn merge(&mut self, other: Self) {
        let Self {
            status,
            should_retry,
            fail_first,
            error_after,
            drop_after,
            stall,
            malformed,
            html_502,
            slow_headers,
        } = other;
        self.status = status.or(self.status.take());
        self.should_retry = should_retry.or(self.should_retry);
        self.fail_first = fail_first.or(self.fail_first);
        self.error_after = error_after.or(self.error_after);
        self.drop_after = drop_after.or(self.drop_after);
        self.stall = stall.or(self.stall);
        self.malformed |= malformed;
        self.html_502 |= html_502;
        self.slow_headers = slow_headers.or(self.slow_headers);
    }

    fn add(&mut self, item: &str) -> Result<(), String> {
        let number = |text: &str| {
            text.parse::<u64>()
                .map_err(|_| format!("'{text}' is not a whole number"))
        };
        let millis = |text: &str| number(text).map(Duration::from_millis);
        match item.split_once('=') {
            Some(("should-retry", value)) => {
                self.should_retry = Some(match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err("should-retry is true or false".into()),
                })
            }
            Some(("fail-first", n)) => {
                self.fail_first = Some(number(n)?.try_into().unwrap_or(u32::MAX))
            }
            Some(("error-after", n)) => self.error_after = Some(number(n)? as usize),
            Some(("drop-after", n)) => self.drop_after = Some(number(n)? as usize),
            Some(("stall", ms)) => self.stall = Some(millis(ms)?),
            Some(("slow-headers", ms)) => self.slow_headers = Some(millis(ms)?),
            None if item == "malformed" => self.malformed = true,
            None if item == "html-502" => self.html_502 = true,
            _ => self.status = Some(parse_status(item)?),
        }
        Ok(())
    }
}

/// `529`, `429:retry-after=1`, `429:retry-after-ms=200`.
fn parse_status(item: &str) -> Result<StatusFault, String> {
    let mut parts = item.split(':');
    let code = parts.next().unwrap_or_default();
    let status: u16 = code.parse().map_err(|_| "unknown fault".to_owned())?;
    if ApiError::for_status(status).is_none() {
        return Err(format!("{status} is not an error status the API sends"));
    }
    let mut retry_after = None;
    for option in parts {
        let number_text = |text: &str| match text.parse::<f64>() {
            Ok(value) if value >= 0.0 && value.is_finite() => Ok(text.to_owned()),
            _ => Err(format!("'{text}' is not a non-negative number")),
        };
        retry_after = Some(match option.split_once('=') {
            Some(("retry-after", seconds)) => ("retry-after", number_text(seconds)?),
            Some(("retry-after-ms", ms)) => ("retry-after-ms", number_text(ms)?),
            _ => return Err(format!("unknown option '{option}'")),
        });
    }
    Ok(StatusFault {
        status,
        retry_after,
    })
}

/// Splits `claude-x+fault=SPEC` into the model and the spec.
pub fn split_model(model: &str) -> (&str, Option<&str>) {
    match model.split_once(MODEL_SUFFIX) {
        Some((base, spec)) => (base, Some(spec)),
        None => (model, None),
    }
}

/// Attempts seen per request, for `fail-first`.
#[derive(Default)]
pub struct Attempts(Mutex<HashMap<u64, u32>>);

impl Attempts {
    /// Counts this attempt and says whether it must fail: true for the first `n` attempts of
    /// the same request. The key covers method, path, body and the fault spec, so a test that
    /// changes any of them starts a fresh count.
    pub fn should_fail(&self, n: u32, method: &str, path: &str, body: &[u8], spec: &str) -> bool {
        let mut key = Vec::with_capacity(method.len() + path.len() + body.len() + spec.len() + 3);
        for part in [method.as_bytes(), path.as_bytes(), body, spec.as_bytes()] {
            key.extend_from_slice(part);
            key.push(0);
        }
        let mut seen = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        let count = seen.entry(stable_hash(&key)).or_insert(0);
        *count = count.saturating_add(1);
        *count <= n
    }
}

/// The body a proxy sends for 502.
pub const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault() {
        let faults = Faults::parse(
            "429:retry-after-ms=200, should-retry=false,fail-first=2,error-after=3,drop-after=100,stall=50,malformed,html-502,slow-headers=10",
        )
        .unwrap();
        assert_eq!(
            faults.status,
            Some(StatusFault {
                status: 429,
                retry_after: Some(("retry-after-ms", "200".into()))
            })
        );
        assert_eq!(faults.should_retry, Some(false));
        assert_eq!(faults.fail_first, Some(2));
        assert_eq!(
            (faults.error_after, faults.drop_after),
            (Some(3), Some(100))
        );
        assert_eq!(faults.stall, Some(Duration::from_millis(50)));
        assert!(faults.malformed && faults.html_502);
        assert_eq!(faults.slow_headers, Some(Duration::from_millis(10)));
        assert_eq!(
            Faults::parse("429:retry-after=1.5")
                .unwrap()
                .status
                .unwrap()
                .retry_after,
            Some(("retry-after", "1.5".into()))
        );
    }

    #[test]
    fn rejects_unknown_faults_naming_them() {
        assert!(Faults::parse("explode").unwrap_err().contains("'explode'"));
        assert!(Faults::parse("418").is_err());
        assert!(Faults::parse("stall=soon").is_err());
        assert!(Faults::parse("429:retry-after=-1").is_err());
        assert_eq!(Faults::parse(" ").unwrap(), Faults::default());
    }

    #[test]
    fn splits_model_suffix() {
        assert_eq!(
            split_model("claude-sonnet-4-5+fault=529"),
            ("claude-sonnet-4-5", Some("529"))
        );
        assert_eq!(
            split_model("claude-sonnet-4-5"),
            ("claude-sonnet-4-5", None)
        );
    }

    #[test]
    fn fail_first_counts_per_request() {
        let attempts = Attempts::default();
        let fails: Vec<bool> = (0..4)
            .map(|_| attempts.should_fail(2, "POST", "/p", b"{}", "fail-first=2"))
            .collect();
        assert_eq!(fails, [true, true, false, false]);
        assert!(attempts.should_fail(2, "POST", "/p", b"{\"a\":1}", "fail-first=2"));
    }
}
