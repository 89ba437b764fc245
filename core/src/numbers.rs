//! The two float operations the core needs that `core` lacks (std has them from its math
//! library, which a `no_std` build does not link).

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

#[cfg(test)]
mod tests {
    use super::{powi, round_to_u64};

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
