//! Messages built from pieces without `core::fmt`. `format!` pulls Rust's formatting machinery
//! (`fmt::write`, `Formatter::pad`, the integer `Display`s: about 6 KB of the npm package's
//! wasm, and an `Arguments` table per call site) into a module whose messages only ever join
//! text and decimal integers. [`text!`](crate::text!) joins them directly.

use crate::prelude::*;

/// What [`text!`](crate::text!) can join: text, and integers written in decimal.
pub trait Piece {
    /// Appends this piece to `out`.
    fn append_to(&self, out: &mut String);
}

impl Piece for str {
    fn append_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn append_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for alloc::borrow::Cow<'_, str> {
    fn append_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn append_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn append_to(&self, out: &mut String) {
        (**self).append_to(out);
    }
}

/// Unsigned integers in decimal, through one `u64` routine.
macro_rules! unsigned_pieces {
    ($($int:ty),*) => {$(
        impl Piece for $int {
            fn append_to(&self, out: &mut String) {
                push_decimal(out, u64::from(*self));
            }
        }
    )*};
}
unsigned_pieces!(u8, u16, u32, u64);

impl Piece for usize {
    fn append_to(&self, out: &mut String) {
        // usize is at most 64 bits on every target this crate builds for.
        push_decimal(out, *self as u64);
    }
}

impl Piece for i64 {
    fn append_to(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_decimal(out, self.unsigned_abs());
    }
}

/// Appends `n` in decimal.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// Appends `n` in hexadecimal, at least `width` digits (`0`-padded), upper or lower case.
pub fn push_hex(out: &mut String, n: u32, width: usize, upper: bool) {
    let alphabet: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let digits = (1..8)
        .rev()
        .find(|d| n >> (4 * d) != 0)
        .map_or(1, |d| d + 1);
    for d in (0..digits.max(width)).rev() {
        let nibble = if d < 8 { (n >> (4 * d)) & 0xf } else { 0 };
        out.push(char::from(alphabet[nibble as usize]));
    }
}

/// Joins its arguments ([`Piece`]s: `&str`, `String`, `char`, integers) into a new `String`,
/// or with `into OUT;` first, appends them to the `String` OUT.
#[macro_export]
macro_rules! text {
    (into $out:expr; $($piece:expr),* $(,)?) => {{
        let out: &mut String = $out;
        $( $crate::text::Piece::append_to(&$piece, out); )*
    }};
    ($($piece:expr),* $(,)?) => {{
        let mut out = String::new();
        $crate::text!(into &mut out; $($piece),*);
        out
    }};
}

/// Appends `bytes` to `out` as UTF-8, each invalid sequence replaced with U+FFFD: the result of
/// `String::from_utf8_lossy`, on `str::from_utf8` alone (whose ASCII fast path valid input takes),
/// so the npm wasm links no second UTF-8 decoder (`Utf8Chunks`, about 1.1 KB).
pub fn push_lossy(out: &mut String, mut bytes: &[u8]) {
    loop {
        match core::str::from_utf8(bytes) {
            Ok(valid) => return out.push_str(valid),
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                out.push_str(core::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                bytes = rest
                    .get(error.error_len().unwrap_or(rest.len())..)
                    .unwrap_or_default();
            }
        }
    }
}

/// `bytes` as UTF-8, as [`push_lossy`] makes it.
pub fn lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_lossy(&mut out, bytes);
    out
}

/// The pieces of `text` between the ASCII bytes `separator`, as `str::split` gives them: one
/// iterator type for every separator, where each `split(char)` and `split_ascii_whitespace`
/// linked a searcher of its own into the npm wasm.
pub fn split_on(text: &str, separator: u8) -> SplitOn<'_> {
    SplitOn {
        rest: Some(text),
        separator,
    }
}

/// See [`split_on`].
pub struct SplitOn<'a> {
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Iterator for SplitOn<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == self.separator) {
            // An ASCII separator is a character boundary on both sides.
            Some(at) => {
                self.rest = rest.get(at + 1..);
                rest.get(..at)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{lossy, push_decimal, push_hex, split_on};

    #[test]
    fn joins_text_and_decimal_integers_as_format_does() {
        let name = String::from("tool");
        for n in [0u64, 7, 10, 99, 4_294_967_295, u64::MAX] {
            assert_eq!(
                text!("n=", n, " of ", &name, '!'),
                format!("n={n} of {name}!")
            );
        }
        for n in [0i64, -1, 42, i64::MIN, i64::MAX] {
            assert_eq!(text!(n), n.to_string());
        }
        let mut out = String::from("[");
        text!(into &mut out; 3usize, ",", 255u8, "]");
        assert_eq!(out, "[3,255]");
    }

    #[test]
    fn hex_pads_to_the_width_and_picks_the_case() {
        for (n, width) in [
            (0u32, 0),
            (0, 2),
            (0xab, 2),
            (0x5, 2),
            (0x1f980, 0),
            (u32::MAX, 2),
            (0x10, 6),
        ] {
            let mut upper = String::new();
            push_hex(&mut upper, n, width, true);
            assert_eq!(upper, format!("{n:0width$X}"));
            let mut lower = String::new();
            push_hex(&mut lower, n, width, false);
            assert_eq!(lower, format!("{n:0width$x}"));
        }
        let mut decimal = String::new();
        push_decimal(&mut decimal, 1024);
        assert_eq!(decimal, "1024");
    }

    #[test]
    fn lossy_text_is_std_s_from_utf8_lossy() {
        let mut cases: Vec<Vec<u8>> = [
            &b""[..],
            b"plain",
            "h\u{e9}llo \u{1f980}".as_bytes(),
            b"\xff",
            b"a\xc3",
            b"\xe2\x82",
            b"\xf0\x9f\xa6",
            b"\xed\xa0\x80x",
            b"\xc0\xaf",
            b"\xf4\x90\x80\x80",
            b"ok\x80\x80ok\xf0\x9f\xa6\x80",
        ]
        .iter()
        .map(|c| c.to_vec())
        .collect();
        // And pseudo-random bytes, biased towards UTF-8 lead and continuation bytes.
        let mut state = 0x2545_f491_u32;
        for _ in 0..2000 {
            let case = (0..(state % 12))
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    [b'a', 0x80, 0xbf, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xff][(state % 9) as usize]
                })
                .collect();
            cases.push(case);
        }
        for case in cases {
            assert_eq!(lossy(&case), String::from_utf8_lossy(&case), "{case:?}");
        }
    }

    #[test]
    fn split_on_is_str_split() {
        for text in ["", "a", "a b", " a  b ", "sk-1\nsk-2\n", "\u{e9} \u{1f980}"] {
            for separator in [b' ', b'\n'] {
                let ours: Vec<&str> = split_on(text, separator).collect();
                let std: Vec<&str> = text.split(char::from(separator)).collect();
                assert_eq!(ours, std, "{text:?}");
            }
        }
    }
}
