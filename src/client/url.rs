//! URLs of requests: the base URL joined with a path, and the one rule for URLs a reply names
//! (a batch's `results_url`): the client's credentials go to the base URL's origin only.

use crate::error::Error;

/// `base` and `path` joined with exactly one `/`.
pub(super) fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// The absolute URL for `url`, a URL a reply named (a path is on `base`, as in the official
/// SDK), if it is on `base`'s origin; else [`Error::CrossOrigin`], before anything is sent: the
/// API names its own origin, so another one is a proxy's rewrite or a hostile server, and the
/// request would carry the key there.
pub(super) fn on_base_origin(base: &str, url: String) -> Result<String, Error> {
    let url = match url.strip_prefix('/') {
        Some(path) if !path.starts_with(['/', '\\']) => join_url(base, path),
        _ => url,
    };
    let target = origin(&url);
    if target.is_some() && target == origin(base) {
        Ok(url)
    } else {
        Err(Error::CrossOrigin { url })
    }
}

/// The origin of an absolute `http(s)` URL as `(scheme, host, port)`, lowercased, the default
/// port made explicit; `None` for anything else, also for a URL with user info (`a@host`),
/// which is never the API's. The authority ends at `/`, `?`, `#` or `\` (as browsers read it).
fn origin(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    if authority.contains('@') {
        return None;
    }
    // A colon after an IPv6 literal's `]` (or in a name) starts the port.
    let (host, port) = match authority.rfind(':') {
        Some(colon) if !authority.get(colon..)?.contains(']') => {
            let port = authority.get(colon + 1..)?;
            (authority.get(..colon)?, port.parse().ok()?)
        }
        _ => (authority, default_port),
    };
    (!host.is_empty()).then(|| (scheme, host.to_ascii_lowercase(), port))
}
