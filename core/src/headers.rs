//! Response headers as the core sees them: an ordered list of name/value pairs with
//! case-insensitive lookup. The transports copy `fetch`'s `Headers` into this so that retry
//! decisions and errors are computed by pure code.

use crate::prelude::*;

/// HTTP headers with case-insensitive lookup. Names keep the case they arrived in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(String, String)>,
}

impl Headers {
    /// An empty header list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a header; an existing header of the same name is kept (lookups return the first).
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.entries.push((name.into(), value.into()));
    }

    /// The first value of `name`, compared without regard to ASCII case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All headers in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The `request-id` the API puts on every response, used in error reports.
    pub fn request_id(&self) -> Option<&str> {
        self.get("request-id")
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Self {
            entries: iter
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_returns_first() {
        let h: Headers = [
            ("Retry-After", "3"),
            ("retry-after", "9"),
            ("Request-Id", "req_1"),
        ]
        .into_iter()
        .collect();
        assert_eq!(h.get("retry-after"), Some("3"));
        assert_eq!(h.request_id(), Some("req_1"));
        assert_eq!(h.get("x-missing"), None);
    }
}
