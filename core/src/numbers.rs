//! Numbers without the parsers of `core`: the two float operations std has from its math
//! library (a `no_std` build does not link it), unsigned decimals, and the decisions on a JSON
//! number's value made on its digits. `str::parse` would bring a parser per integer type into
//! the npm wasm, and the float one 14 KB of tables and code.

use crate::prelude::*;

/// `base` to the integer power `exponent`, by repeated squaring: the same steps as compiler-rt's
/// `__powidf2`, which `f64::powi` lowers to, so the results are the same bits.
pub(crate) fn powi(mut base: f64, exponent: i32) -> f64 {
    let reciprocal = exponent < 0;
    let mut left = exponent.unsigned_abs();
    let mut result = 1.0;
    loop {
        if left & 1 == 1 {
            result *= base;
        }
        left /= 2;
        if left == 0 {
            break;
        }
        base *= base;
    }
    if reciprocal {
        1.0 / result
    } else {
        result
    }
}

/// `x` rounded half away from zero, as `f64::round`, then cast to `u64`: 0 for NaN and anything
/// below 0.5, `u64::MAX` at and past 2^64.
pub(crate) fn round_to_u64(x: f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    let whole = x as u64;
    if x - whole as f64 >= 0.5 {
        whole.saturating_add(1)
    } else {
        whole
    }
}

/// `text` as `str::parse::<u64>` reads it: an optional `+`, then at least one ASCII digit;
/// `None` past `u64::MAX`.
pub(crate) fn parse_u64(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u64, |n, byte| {
        let digit = byte.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// `text` as `str::parse::<i64>` reads it: an optional `-` or `+`, then ASCII digits.
pub(crate) fn parse_i64(text: &str) -> Option<i64> {
    match text.strip_prefix('-') {
        Some(magnitude) if !magnitude.starts_with('+') => {
            0i64.checked_sub_unsigned(parse_u64(magnitude)?)
        }
        _ => i64::try_from(parse_u64(text)?).ok(),
    }
}

/// A JSON number's value as `±0.digits × 10^point`, read from its text: `digits` has no
/// leading or trailing zeros (none at all for zero) and `point` saturates, so that range
/// decisions need no float parsing.
pub(crate) struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    point: i64,
}

impl Decimal {
    /// Reads `[-]int[.fraction][(e|E)[+|-]exponent]`, the grammar of a checked JSON number.
    pub(crate) fn of(number: &str) -> Decimal {
        let bytes = number.as_bytes();
        let (negative, body) = match bytes.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let (mantissa, exponent) = split_at_byte(body, |b| b == b'e' || b == b'E');
        let (int, fraction) = split_at_byte(mantissa, |b| b == b'.');
        let mut digits: Vec<u8> = int.iter().chain(fraction).copied().collect();
        let leading = digits.iter().take_while(|&&d| d == b'0').count();
        digits.drain(..leading);
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        let point = (int.len() as i64 - leading as i64).saturating_add(exponent_value(exponent));
        Decimal {
            negative,
            digits,
            point,
        }
    }

    /// Whether the number is from 0 to 1 (a signed zero included).
    pub(crate) fn in_unit_interval(&self) -> bool {
        self.digits.is_empty()
            || (!self.negative && (self.point <= 0 || (self.point == 1 && self.digits == b"1")))
    }

    /// Whether the number parses to a finite `f64`: below the midpoint between `f64::MAX` and
    /// 2^1024, `2^1024 - 2^970 = 0.1797… × 10^309`; at or above it, it rounds to infinity.
    pub(crate) fn fits_f64(&self) -> bool {
        match self.point.cmp(&309) {
            core::cmp::Ordering::Less => true,
            core::cmp::Ordering::Greater => false,
            core::cmp::Ordering::Equal => self.digits < f64_overflow_digits(),
        }
    }
}

/// `bytes` before and after the first byte that `is_split` picks (empty after when none).
fn split_at_byte(bytes: &[u8], is_split: impl Fn(u8) -> bool) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&b| is_split(b)) {
        Some(at) => (
            bytes.get(..at).unwrap_or_default(),
            bytes.get(at + 1..).unwrap_or_default(),
        ),
        None => (bytes, &[]),
    }
}

/// A JSON exponent (`+12`, `-3`, `7`), saturating; empty is 0.
fn exponent_value(text: &[u8]) -> i64 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let value = digits.iter().fold(0i64, |n, d| {
        n.saturating_mul(10)
            .saturating_add(i64::from(d.wrapping_sub(b'0')))
    });
    if negative {
        -value
    } else {
        value
    }
}

/// The 309 decimal digits of `2^1024 - 2^970 = 2^970 × (2^54 - 1)`, as ASCII: computed when a
/// number is that large (rare), not kept in the wasm as text.
fn f64_overflow_digits() -> Vec<u8> {
    // Little-endian decimal digits, doubled 970 times, then times 2^54 - 1.
    let mut digits = vec![1u8];
    let multiply = |factor: u64, digits: &mut Vec<u8>| {
        let mut carry = 0u64;
        for digit in digits.iter_mut() {
            let product = u64::from(*digit) * factor + carry;
            *digit = (product % 10) as u8;
            carry = product / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    };
    for _ in 0..970 {
        multiply(2, &mut digits);
    }
    multiply((1 << 54) - 1, &mut digits);
    digits.iter().rev().map(|d| b'0' + d).collect()
}

#[cfg(test)]
mod tests {
    use super::{f64_overflow_digits, parse_i64, parse_u64, powi, round_to_u64, Decimal};

    #[test]
    fn integers_parse_as_str_parse_does() {
        for text in [
            "0",
            "7",
            "+7",
            "",
            "+",
            "-1",
            "-0",
            "1.5",
            "1e3",
            " 1",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "007",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "--1",
            "-+1",
        ] {
            assert_eq!(parse_u64(text), text.parse::<u64>().ok(), "u64 {text:?}");
            assert_eq!(parse_i64(text), text.parse::<i64>().ok(), "i64 {text:?}");
        }
    }

    #[test]
    fn the_overflow_midpoint_is_that_of_the_float_parser() {
        let digits = String::from_utf8(f64_overflow_digits()).unwrap();
        assert_eq!(digits.len(), 309);
        assert_eq!(digits.parse::<f64>(), Ok(f64::INFINITY));
        let below = format!("{}1", &digits[..308]);
        assert!(digits.ends_with("2") && below.parse::<f64>() == Ok(f64::MAX));
    }

    #[test]
    fn unit_interval_is_decided_on_the_digits() {
        for inside in [
            "0",
            "-0",
            "-0.0e5",
            "1",
            "1.0",
            "1.000",
            "0.5",
            "0.99",
            "10e-1",
            "100E-2",
            "0.0001e4",
            "5e-324",
            "1e-99999999999999999999",
            "0e99999",
        ] {
            assert!(Decimal::of(inside).in_unit_interval(), "{inside}");
        }
        for outside in [
            "1.01",
            "2",
            "-0.1",
            "-1",
            "10",
            "1e1",
            "0.00011e4",
            "1.0000001",
            "7",
            "1e99999999999999999999",
        ] {
            assert!(!Decimal::of(outside).in_unit_interval(), "{outside}");
        }
    }

    #[test]
    fn finite_exactly_when_the_float_parser_says_so() {
        let midpoint = String::from_utf8(f64_overflow_digits()).unwrap();
        let below = format!("{}1", &midpoint[..308]);
        let cases = [
            "0",
            "-0",
            "0.000",
            "1",
            "1.5e3",
            "1e308",
            "1e309",
            "-1e309",
            "0.1e309",
            "0.18e309",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            &midpoint,
            &below,
            "1e-400",
            "123456789e300",
            "0.0000001e310",
            "1e99999999999999999999",
            "1e-99999999999999999999",
        ];
        for case in cases {
            let expected = case.parse::<f64>().is_ok_and(f64::is_finite);
            assert_eq!(Decimal::of(case).fits_f64(), expected, "{case}");
        }
    }

    #[test]
    fn powi_gives_the_bits_of_f64_powi() {
        for base in [2.0, 10.0, 0.5, 1.5, -3.0, 1e-3] {
            for exponent in [-400, -308, -20, -1, 0, 1, 2, 3, 4, 17, 22, 23, 300, 400] {
                assert_eq!(
                    powi(base, exponent).to_bits(),
                    base.powi(exponent).to_bits(),
                    "{base}^{exponent}"
                );
            }
        }
    }

    #[test]
    fn round_to_u64_rounds_half_away_from_zero_and_saturates() {
        for x in [
            0.0,
            0.49,
            0.5,
            1.5,
            2.5,
            2.4999,
            1e15 + 0.5,
            4_503_599_627_370_495.5,
            1e19,
            1.9e19,
        ] {
            assert_eq!(round_to_u64(x), x.round() as u64, "{x}");
        }
        for x in [f64::NAN, -0.4, -0.6, -1e300, 1e300, f64::INFINITY] {
            assert_eq!(round_to_u64(x), x.round() as u64, "{x}");
        }
    }
}
