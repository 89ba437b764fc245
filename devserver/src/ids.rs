//! Ids, a small seeded generator and RFC 3339 time, without pulling in `rand` or `chrono`.
//!
//! Replies are deterministic; ids are not (two identical requests must get different
//! `msg_…`/`req_…` ids, as from the real API), so ids mix a process-wide counter with the clock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// SplitMix64: tiny, fast, good enough to choose write sizes and id characters.
#[derive(Clone, Debug)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh seed: counter and clock mixed.
pub fn fresh_seed() -> u64 {
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    SplitMix::new(nanos ^ count.rotate_left(32)).next_u64()
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An id shaped like the API's: `prefix` + `01` + 22 base62 characters
/// (`msg_01…`, `req_011C…` style, `toolu_01…`, `msgbatch_01…`).
pub fn new_id(prefix: &str) -> String {
    id_from_seed(prefix, fresh_seed())
}

/// A request id, shaped like the API's `req_011C…`.
pub fn request_id() -> String {
    format!("req_011C{}", &new_id("")[2..])
}

/// The same shape from a given seed (deterministic, for tool-use ids derived from content).
pub fn id_from_seed(prefix: &str, seed: u64) -> String {
    let mut rng = SplitMix::new(seed);
    let mut id = String::with_capacity(prefix.len() + 24);
    id.push_str(prefix);
    id.push_str("01");
    for _ in 0..22 {
        id.push(char::from(BASE62[rng.below(62) as usize]));
    }
    id
}

/// A stable 64-bit hash of bytes (FNV-1a), the same in every process and version.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// RFC 3339 in UTC with microseconds, as the API writes batch times: `2025-01-02T03:04:05.678901Z`.
pub fn rfc3339(unix: f64) -> String {
    let micros_total = (unix.max(0.0) * 1_000_000.0).round() as i64;
    let secs = micros_total.div_euclid(1_000_000);
    let micros = micros_total.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(rfc3339(1_709_251_200.5), "2024-03-01T00:00:00.500000Z");
        assert_eq!(rfc3339(951_782_400.0), "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn ids_have_the_api_shape_and_differ() {
        let a = new_id("msg_");
        let b = new_id("msg_");
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 24);
        assert!(a.starts_with("msg_01") && a[4..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(id_from_seed("toolu_", 5), id_from_seed("toolu_", 5));
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix::new(1);
        assert!((0..1000).all(|_| rng.below(7) < 7));
    }
}
