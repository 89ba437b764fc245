//! A prompt cache in the API's terms, so that `cache_creation_input_tokens` and
//! `cache_read_input_tokens` behave: a `cache_control` breakpoint on a prefix of at least
//! 1024 tokens writes it (5 minutes, or 1 hour with `ttl: "1h"`); a later request with the same
//! prefix (same model, tools, system and blocks up to the breakpoint) reads it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::tokens::InputCount;

/// The smallest prefix the API caches.
pub const MIN_CACHEABLE: usize = 1024;

/// Prefix hash → expiry.
#[derive(Default)]
pub struct PromptCache(Mutex<HashMap<u64, Instant>>);

/// How the input tokens of one request split up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheUsage {
    pub input_tokens: u64,
    pub cache_creation_input_tokens: u64,
    pub cache_read_input_tokens: u64,
    /// Of the creation tokens, those written with the 1-hour TTL.
    pub one_hour_creation: u64,
}

impl PromptCache {
    /// Reads and writes the cache for a request's breakpoints.
    pub fn apply(&self, count: &InputCount) -> CacheUsage {
        let now = Instant::now();
        let mut entries = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        entries.retain(|_, expiry| *expiry > now);
        let cacheable: Vec<_> = count
            .breakpoints
            .iter()
            .filter(|point| point.tokens >= MIN_CACHEABLE)
            .collect();
        let read = cacheable
            .iter()
            .filter(|point| entries.contains_key(&point.hash))
            .map(|point| point.tokens)
            .max()
            .unwrap_or(0);
        let longest = cacheable.iter().max_by_key(|point| point.tokens);
        let (created, one_hour) = match longest {
            Some(point) if point.tokens > read => (point.tokens - read, point.one_hour),
            _ => (0, false),
        };
        for point in &cacheable {
            let ttl = Duration::from_secs(if point.one_hour { 3600 } else { 300 });
            entries.insert(point.hash, now + ttl);
        }
        let total = count.total as u64;
        let (read, created) = (read as u64, created as u64);
        CacheUsage {
            input_tokens: total - read - created,
            cache_creation_input_tokens: created,
            cache_read_input_tokens: read,
            one_hour_creation: if one_hour { created } else { 0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Breakpoint;

    #[test]
    fn writes_then_reads_a_long_prefix() {
        let cache = PromptCache::default();
        let count = InputCount {
            total: 1500,
            breakpoints: vec![Breakpoint {
                tokens: 1200,
                hash: 9,
                one_hour: false,
            }],
        };
        let first = cache.apply(&count);
        assert_eq!(
            (
                first.input_tokens,
                first.cache_creation_input_tokens,
                first.cache_read_input_tokens
            ),
            (300, 1200, 0)
        );
        let second = cache.apply(&count);
        assert_eq!(
            (
                second.input_tokens,
                second.cache_creation_input_tokens,
                second.cache_read_input_tokens
            ),
            (300, 0, 1200)
        );
    }

    #[test]
    fn short_prefixes_are_not_cached() {
        let cache = PromptCache::default();
        let count = InputCount {
            total: 50,
            breakpoints: vec![Breakpoint {
                tokens: 40,
                hash: 1,
                one_hour: true,
            }],
        };
        assert_eq!(
            cache.apply(&count),
            CacheUsage {
                input_tokens: 50,
                ..CacheUsage::default()
            }
        );
    }
}
