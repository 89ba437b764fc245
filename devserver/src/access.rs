//! Who may call: CORS (which pages, preflight, the browser opt-in header), the API key, and the
//! `anthropic-version` header, checked in that order like the API.
//!
//! Unlike the API (`access-control-allow-origin: *`), only loopback pages may call by default:
//! the server spends what it is given (and a proxy in front of it may spend a key), so a page
//! from elsewhere must be allowed by `--cors-origin` or `--cors-any`.

use anthropic_wasm_core::types::ErrorType;

use crate::apierror::ApiError;
use crate::config::Config;
use crate::http::{Request, Response};

/// The versions the API accepts (2026-10-21 is what the official SDK 1.x sends).
const VERSIONS: [&str; 3] = ["2023-06-01", "2026-10-21", "2023-01-01"];

/// The answer to a CORS preflight (`OPTIONS` with `Origin`): every method and the headers the
/// browser asked for. `*` is not enough for `Authorization`, which a wildcard never covers.
pub fn preflight(request: &Request, config: &Config) -> Result<Response, ApiError> {
    check_origin(request, config)?;
    let allow_headers = request
        .header("access-control-request-headers")
        .filter(|asked| !asked.is_empty())
        .unwrap_or("*")
        .to_owned();
    let headers = match is_browser(request) {
        true => cors_headers(request, config),
        false => Vec::new(),
    };
    Ok(Response {
        status: 200,
        headers,
        body: crate::http::Body::Full(Vec::new()),
        delivery: Default::default(),
    }
    .with_header("access-control-allow-methods", "GET, POST, DELETE, OPTIONS")
    .with_header("access-control-allow-headers", allow_headers)
    .with_header("access-control-max-age", "86400"))
}

/// A request from a browser (it carries `Origin`).
pub fn is_browser(request: &Request) -> bool {
    request.header("origin").is_some()
}

/// The CORS headers for an allowed browser request: its origin echoed (`*` under `--cors-any`).
pub fn cors_headers(request: &Request, config: &Config) -> Vec<(String, String)> {
    let origin = request.header("origin").unwrap_or_default();
    let mut headers = vec![("access-control-expose-headers".into(), "*".into())];
    if config.cors_any {
        headers.push(("access-control-allow-origin".into(), "*".into()));
    } else {
        headers.push(("access-control-allow-origin".into(), origin.into()));
        headers.push(("vary".into(), "origin".into()));
    }
    headers
}

/// A request without `Origin` (not from a page), or from a page the configuration allows.
pub fn origin_allowed(request: &Request, config: &Config) -> bool {
    request.header("origin").is_none_or(|origin| {
        config.cors_any
            || is_loopback(origin)
            || config.cors_origins.iter().any(|allowed| allowed == origin)
    })
}

/// 403 `permission_error` for a page not allowed, naming the flag that allows it.
fn check_origin(request: &Request, config: &Config) -> Result<(), ApiError> {
    if origin_allowed(request, config) {
        return Ok(());
    }
    let origin = request.header("origin").unwrap_or_default();
    Err(ApiError::new(
        403,
        ErrorType::Permission,
        format!("Origin {origin} may not call this server: only loopback pages may by default; start devserver with --cors-origin {origin} (or --cors-any)"),
    ))
}

/// `http(s)://localhost`, `127.0.0.1` or `[::1]`, with any port or none.
fn is_loopback(origin: &str) -> bool {
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .find_map(|host| authority.strip_prefix(host))
        .is_some_and(|port| {
            port.is_empty()
                || port.strip_prefix(':').is_some_and(|digits| {
                    (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
                })
        })
}

/// Checks the origin, the browser opt-in, the key and the version.
pub fn check(request: &Request, config: &Config) -> Result<(), ApiError> {
    check_origin(request, config)?;
    if is_browser(request)
        && request
            .header("anthropic-dangerous-direct-browser-access")
            .is_none_or(|value| !value.eq_ignore_ascii_case("true"))
    {
        return Err(ApiError::authentication(
            "CORS requests must set 'anthropic-dangerous-direct-browser-access' header",
        ));
    }
    if let Some(expected) = &config.api_key {
        let bearer = request
            .header("authorization")
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim);
        match (request.header("x-api-key"), bearer) {
            (None, None) => return Err(ApiError::authentication("x-api-key header is required")),
            (key, bearer)
                if key != Some(expected.as_str()) && bearer != Some(expected.as_str()) =>
            {
                return Err(ApiError::authentication("invalid x-api-key"))
            }
            _ => {}
        }
    }
    match request.header("anthropic-version") {
        None => Err(ApiError::invalid("anthropic-version: header is required")),
        Some(version) if !VERSIONS.contains(&version) => Err(ApiError::invalid(format!(
            "anthropic-version: invalid version '{version}'; use 2023-06-01"
        ))),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request {
        Request {
            method: "POST".into(),
            path: "/v1/messages".into(),
            query: String::new(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
            close: false,
        }
    }

    fn keyed() -> Config {
        Config {
            api_key: Some("sk-good".into()),
            ..Config::default()
        }
    }

    #[test]
    fn key_by_header_or_bearer() {
        let version = ("anthropic-version", "2023-06-01");
        assert!(check(&request(&[("x-api-key", "sk-good"), version]), &keyed()).is_ok());
        assert!(check(
            &request(&[("authorization", "Bearer sk-good"), version]),
            &keyed()
        )
        .is_ok());
        let wrong = check(&request(&[("x-api-key", "sk-bad"), version]), &keyed()).unwrap_err();
        assert_eq!(
            (wrong.status, wrong.message.as_str()),
            (401, "invalid x-api-key")
        );
        let missing = check(&request(&[version]), &keyed()).unwrap_err();
        assert_eq!(missing.status, 401);
        // Without --api-key anything goes.
        assert!(check(
            &request(&[("x-api-key", "whatever"), version]),
            &Config::default()
        )
        .is_ok());
        assert!(check(&request(&[version]), &Config::default()).is_ok());
    }

    #[test]
    fn version_is_required() {
        let error = check(&request(&[]), &Config::default()).unwrap_err();
        assert_eq!(
            (error.status, error.message.as_str()),
            (400, "anthropic-version: header is required")
        );
        assert!(check(
            &request(&[("anthropic-version", "2099-01-01")]),
            &Config::default()
        )
        .is_err());
    }

    #[test]
    fn loopback_origins_with_any_port() {
        assert!(is_loopback("http://localhost") && is_loopback("http://[::1]:8080"));
        assert!(is_loopback("https://127.0.0.1:65535"));
        for other in [
            "http://localhost:",
            "http://localhost:123456",
            "http://localhost:80/",
            "http://localhost.example",
            "ftp://localhost",
            "localhost",
        ] {
            assert!(!is_loopback(other), "{other}");
        }
    }

    #[test]
    fn browsers_must_opt_in() {
        let error = check(
            &request(&[
                ("origin", "http://localhost:8080"),
                ("anthropic-version", "2023-06-01"),
            ]),
            &Config::default(),
        )
        .unwrap_err();
        assert_eq!(error.status, 401);
        assert!(error
            .message
            .contains("anthropic-dangerous-direct-browser-access"));
        let opted = request(&[
            ("origin", "http://localhost:8080"),
            ("anthropic-dangerous-direct-browser-access", "true"),
            ("anthropic-version", "2023-06-01"),
        ]);
        assert!(check(&opted, &Config::default()).is_ok());
        let pre = preflight(
            &request(&[("access-control-request-headers", "x-api-key,authorization")]),
            &Config::default(),
        )
        .unwrap();
        assert!(pre.headers.contains(&(
            "access-control-allow-headers".into(),
            "x-api-key,authorization".into()
        )));
    }
}
