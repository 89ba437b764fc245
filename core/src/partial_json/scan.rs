//! The tokens of a partial JSON document that can span fragments: strings, numbers and
//! literals, each read byte by byte from where the last fragment stopped.

use crate::prelude::*;

use super::Invalid;
use crate::numbers::Decimal;

/// A string being read. Its characters are collected as JSON string content (escapes kept
/// as written), so a preview string is the literal `"…"` of what was collected; an escape or
/// a UTF-8 sequence split by the fragment's end waits until it is complete.
#[derive(Default)]
pub(super) struct StringText {
    /// Content not yet taken by the caller.
    content: String,
    escape: Escape,
    /// The escape in progress, as written (`\u00`).
    escape_text: String,
    /// The bytes of a UTF-8 sequence split by a fragment's end.
    utf8: Vec<u8>,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Escape {
    #[default]
    None,
    Backslash,
    /// `\u` and `digits` hex digits of `unit`; `low` for the second half of a surrogate pair.
    Hex {
        digits: u8,
        unit: u32,
        low: bool,
    },
    /// A high surrogate was read: `\u` of the low one must follow (`backslash` once `\` has).
    AfterHigh {
        backslash: bool,
    },
}

impl StringText {
    /// Reads from `i` until the closing quote (then `true` and the index after it) or the end
    /// of `bytes`.
    pub(super) fn read(&mut self, bytes: &[u8], mut i: usize) -> Result<(usize, bool), Invalid> {
        while let Some(&b) = bytes.get(i) {
            if !self.utf8.is_empty() {
                self.utf8_byte(b)?;
                i += 1;
                continue;
            }
            if self.escape != Escape::None {
                self.escape_byte(b)?;
                i += 1;
                continue;
            }
            match b {
                b'"' => return Ok((i + 1, true)),
                b'\\' => {
                    self.escape = Escape::Backslash;
                    self.escape_text.push('\\');
                    i += 1;
                }
                0x00..=0x1f => return Err(Invalid),
                _ => i = self.run(bytes, i)?,
            }
        }
        Ok((i, false))
    }

    /// The content collected since the last call.
    pub(super) fn take(&mut self) -> String {
        core::mem::take(&mut self.content)
    }

    /// Copies the plain characters from `i` to the next quote, backslash, control byte or the
    /// end; an incomplete UTF-8 sequence at its end is kept for the next bytes.
    fn run(&mut self, bytes: &[u8], i: usize) -> Result<usize, Invalid> {
        let rest = bytes.get(i..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .unwrap_or(rest.len());
        let run = rest.get(..len).unwrap_or_default();
        match core::str::from_utf8(run) {
            Ok(text) => self.content.push_str(text),
            Err(error) => {
                let (valid, tail) = run.split_at(error.valid_up_to());
                self.content
                    .push_str(core::str::from_utf8(valid).map_err(|_| Invalid)?);
                if error.error_len().is_some() {
                    return Err(Invalid);
                }
                self.utf8.extend_from_slice(tail);
            }
        }
        Ok(i + len)
    }

    /// The next byte of a split UTF-8 sequence.
    fn utf8_byte(&mut self, b: u8) -> Result<(), Invalid> {
        self.utf8.push(b);
        match core::str::from_utf8(&self.utf8) {
            Ok(text) => {
                self.content.push_str(text);
                self.utf8.clear();
                Ok(())
            }
            Err(error) if error.error_len().is_some() => Err(Invalid),
            Err(_) => Ok(()),
        }
    }

    /// The next byte of an escape. Text that can only lead to a lone surrogate is invalid
    /// as soon as that is certain (`serde_json` rejects lone surrogates).
    fn escape_byte(&mut self, b: u8) -> Result<(), Invalid> {
        self.escape = match self.escape {
            Escape::None => return Ok(()),
            Escape::Backslash => match b {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Escape::None,
                b'u' => Escape::Hex {
                    digits: 0,
                    unit: 0,
                    low: false,
                },
                _ => return Err(Invalid),
            },
            Escape::Hex { digits, unit, low } => {
                let digit = char::from(b).to_digit(16).ok_or(Invalid)?;
                let unit = (unit << 4) | digit;
                let digits = digits + 1;
                if !completable(unit, digits, low) {
                    return Err(Invalid);
                }
                match digits {
                    4 if !low && (0xD800..=0xDBFF).contains(&unit) => {
                        Escape::AfterHigh { backslash: false }
                    }
                    4 => Escape::None,
                    _ => Escape::Hex { digits, unit, low },
                }
            }
            Escape::AfterHigh { backslash: false } if b == b'\\' => {
                Escape::AfterHigh { backslash: true }
            }
            Escape::AfterHigh { backslash: true } if b == b'u' => Escape::Hex {
                digits: 0,
                unit: 0,
                low: true,
            },
            Escape::AfterHigh { .. } => return Err(Invalid),
        };
        self.escape_text.push(char::from(b));
        if self.escape == Escape::None {
            self.content.push_str(&self.escape_text);
            self.escape_text.clear();
        }
        Ok(())
    }
}

/// Whether the first `digits` hex digits (`unit`) of a `\u` escape can still end in an
/// allowed code unit: a low surrogate when `low`, anything but one otherwise.
fn completable(unit: u32, digits: u8, low: bool) -> bool {
    let shift = 4 * u32::from(4 - digits.min(4));
    let lo = unit << shift;
    let hi = lo | ((1 << shift) - 1);
    let allowed = |n: u32| (0xDC00..=0xDFFF).contains(&n) == low;
    // The allowed set is the low-surrogate block or its complement: its edges suffice.
    [lo, hi, 0xDC00, 0xDFFF]
        .into_iter()
        .any(|n| lo <= n && n <= hi && allowed(n))
}

/// A number being read.
pub(super) struct NumberText {
    text: String,
    state: NumberState,
}

#[derive(Clone, Copy)]
enum NumberState {
    Sign,
    Zero,
    Int,
    Dot,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits,
}

impl NumberText {
    /// A number whose first byte (`-` or a digit) is `b`.
    pub(super) fn starting_with(b: u8) -> Self {
        let state = match b {
            b'-' => NumberState::Sign,
            b'0' => NumberState::Zero,
            _ => NumberState::Int,
        };
        NumberText {
            text: char::from(b).to_string(),
            state,
        }
    }

    /// Reads from `i` to the first byte that cannot continue the number (returned), or the
    /// end of `bytes`. Such a byte after an unfinished number (`1.`, `1e`, `-`) is invalid.
    pub(super) fn read(&mut self, bytes: &[u8], mut i: usize) -> Result<usize, Invalid> {
        use NumberState::*;
        while let Some(&b) = bytes.get(i) {
            self.state = match (self.state, b) {
                (Sign, b'0') => Zero,
                (Sign | Int, b'0'..=b'9') => Int,
                (Zero | Int, b'.') => Dot,
                (Zero | Int | Fraction, b'e' | b'E') => Exponent,
                (Dot | Fraction, b'0'..=b'9') => Fraction,
                (Exponent, b'+' | b'-') => ExponentSign,
                (Exponent | ExponentSign | ExponentDigits, b'0'..=b'9') => ExponentDigits,
                (Zero | Int | Fraction | ExponentDigits, _) => return Ok(i),
                _ => return Err(Invalid),
            };
            self.text.push(char::from(b));
            i += 1;
        }
        Ok(i)
    }

    /// The number is complete: its text. A number out of the range of `f64` is invalid, as
    /// in `serde_json`.
    pub(super) fn complete(&self) -> Result<&str, Invalid> {
        if Decimal::of(&self.text).fits_f64() {
            Ok(&self.text)
        } else {
            Err(Invalid)
        }
    }
}

/// A `true`, `false` or `null` being read.
pub(super) struct Literal {
    word: &'static str,
    matched: usize,
}

impl Literal {
    /// The literal starting with `b` (`t`, `f` or `n`).
    pub(super) fn starting_with(b: u8) -> Self {
        let word = match b {
            b't' => "true",
            b'f' => "false",
            _ => "null",
        };
        Literal { word, matched: 1 }
    }

    /// Reads from `i` until the literal is complete or `bytes` end.
    pub(super) fn read(&mut self, bytes: &[u8], mut i: usize) -> Result<usize, Invalid> {
        while let (Some(&expected), Some(&b)) =
            (self.word.as_bytes().get(self.matched), bytes.get(i))
        {
            if b != expected {
                return Err(Invalid);
            }
            self.matched += 1;
            i += 1;
        }
        Ok(i)
    }

    /// The whole literal, once read.
    pub(super) fn complete(&self) -> Option<&'static str> {
        (self.matched == self.word.len()).then_some(self.word)
    }
}
