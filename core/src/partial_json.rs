//! Incremental previews of an unfinished JSON document (streamed tool input).
//!
//! A `tool_use` block's `input` arrives as `input_json_delta` fragments that split anywhere.
//! Re-parsing the whole buffer on every fragment is quadratic (a 200 KB input took 49 s), so
//! [`PartialJson`] is fed only each new fragment and answers with *edit ops* on a preview
//! object. Applying every op so far gives the preview of the text so far, by the rules of the
//! official SDK 1.15's partial-JSON parser (`_vendor/partial-json-parser`: it drops the token
//! the text ends in, then a trailing `:`, key or `,`, and closes the open brackets):
//!
//! | text ends inside… | preview |
//! | --- | --- |
//! | an object or array | closed where the text stops (a trailing `,` dropped) |
//! | a string (value or key) | left out, with its key: shown once its closing quote arrives |
//! | a key, or a key whose value has not started (`{"a"`, `{"a":`) | the key is left out |
//! | a number, also a complete one (`12`, `1.5`) | left out: more digits may follow |
//! | a literal (`tr`) | left out |
//!
//! A number shows once a byte after it arrives (`12,`, `12 `, `12}`). A top-level value with
//! nothing to show yet is `null` (the SDK throws there); text that cannot start a JSON
//! document ends the preview (the `INVALID` op). Every byte is examined once (a number's
//! terminating byte twice), and every value is sent once, when it is complete, so the ops of
//! a whole input are linear in its length.
//!
//! # Ops
//!
//! A batch is the text of one flat JSON array. Containers are named by ids: `0` holds the
//! top-level value at key `0`, every opened object or array gets the next id from 1. A key is
//! a string (object member) or a number (array index; the index of an array's next element
//! is its length, so `c[k] = v` in JS is a push).
//!
//! | op | items | meaning |
//! | --- | --- | --- |
//! | `0` PUT | container, key, value | `c[k] = value` (a string, number, `true`, `false` or `null`) |
//! | `1` OBJECT | container, key, id | `c[k] = {}`, named `id` |
//! | `2` ARRAY | container, key, id | `c[k] = []`, named `id` |
//! | `3` INVALID | | the text is not JSON: there is no preview from now on |

use crate::prelude::*;

mod edits;
mod finish;
mod scan;

use crate::text;
pub use edits::preview;
use edits::{Edits, Key, OpsText, Slot};
pub use finish::{finish_tool_input, finish_tool_input_json, helper_rules_json, ToolInputEnd};
use scan::{Literal, NumberText, StringText};

/// Op code: `c[k] = value`.
pub const PUT: u8 = 0;
/// Op code: `c[k] = {}`, named by the next id.
pub const OBJECT: u8 = 1;
/// Op code: `c[k] = []`, named by the next id.
pub const ARRAY: u8 = 2;
/// Op code: the text is not a prefix of JSON.
pub const INVALID: u8 = 3;

/// Deepest nesting accepted, as `serde_json` (which rejects the 128th level).
const MAX_DEPTH: usize = 127;

/// An incremental partial-JSON parser: feed it fragments, apply the ops it answers with.
#[derive(Default)]
pub struct PartialJson {
    expect: Expect,
    token: Token,
    stack: Vec<Frame>,
    next_id: u32,
    /// A top-level value has started (the preview is no longer "nothing").
    root_started: bool,
    /// Container 0 has its key 0 set to the top-level value (or a part of it).
    root_set: bool,
    /// Container 0 has its key 0 set to the `null` of a value that shows nothing yet.
    root_placeholder: bool,
    dead: bool,
    ops: OpsText,
}

/// What the grammar allows next (whitespace aside), when no token is in progress.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Expect {
    #[default]
    Value,
    ValueOrClose,
    Key,
    KeyOrClose,
    Colon,
    CommaOrClose,
    End,
}

/// The token being read, which may span fragments.
#[derive(Default)]
enum Token {
    #[default]
    None,
    /// A string value, shown once it is complete.
    Value(StringText),
    /// An object key: kept whole until its closing quote.
    Key(StringText),
    Number(NumberText),
    Literal(Literal),
}

/// An open array or object.
struct Frame {
    id: u32,
    array: bool,
    /// Arrays: elements in the preview, not counting one in progress.
    len: usize,
    /// Objects: the key (a JSON string literal) whose value is being read.
    key: Option<String>,
}

/// Why reading stopped: the text is not a prefix of JSON.
struct Invalid;

impl PartialJson {
    /// A parser at the start of a document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next fragment (split anywhere, also inside a UTF-8 sequence) and returns the
    /// ops that bring the preview up to date, as the text of a JSON array.
    pub fn push(&mut self, fragment: &[u8]) -> &str {
        let mut ops = core::mem::take(&mut self.ops);
        ops.clear();
        self.feed(fragment, &mut ops);
        ops.close();
        self.ops = ops;
        self.ops.text()
    }

    /// Feeds a fragment, writing the edits into `edits`.
    fn feed(&mut self, fragment: &[u8], edits: &mut impl Edits) {
        if self.dead {
            return;
        }
        if self.read(fragment, edits).is_err() {
            self.dead = true;
            edits.invalid();
            return;
        }
        self.flush_at_end(edits);
    }

    fn read(&mut self, bytes: &[u8], edits: &mut impl Edits) -> Result<(), Invalid> {
        let mut i = 0;
        while i < bytes.len() {
            i = match core::mem::take(&mut self.token) {
                Token::None => self.structural(bytes, i, edits)?,
                Token::Value(mut text) => {
                    let (end, closed) = text.read(bytes, i)?;
                    if closed {
                        self.put(&text!("\"", text.take(), "\""), edits);
                        self.attach();
                    } else {
                        self.token = Token::Value(text);
                    }
                    end
                }
                Token::Key(mut text) => {
                    let (end, closed) = text.read(bytes, i)?;
                    if closed {
                        let frame = self.stack.last_mut().ok_or(Invalid)?;
                        frame.key = Some(text!("\"", text.take(), "\""));
                        self.expect = Expect::Colon;
                    } else {
                        self.token = Token::Key(text);
                    }
                    end
                }
                Token::Number(mut number) => {
                    let end = number.read(bytes, i)?;
                    if end < bytes.len() {
                        // A byte that cannot continue the number: it is complete.
                        let text = number.complete()?;
                        self.put(text, edits);
                        self.attach();
                    } else {
                        self.token = Token::Number(number);
                    }
                    end
                }
                Token::Literal(mut literal) => {
                    let end = literal.read(bytes, i)?;
                    match literal.complete() {
                        Some(word) => {
                            self.put(word, edits);
                            self.attach();
                        }
                        None => self.token = Token::Literal(literal),
                    }
                    end
                }
            };
        }
        Ok(())
    }

    /// Reads one structural byte at `i` (no token in progress) and returns where to go on.
    fn structural(
        &mut self,
        bytes: &[u8],
        i: usize,
        edits: &mut impl Edits,
    ) -> Result<usize, Invalid> {
        let Some(&b) = bytes.get(i) else {
            return Ok(i);
        };
        if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            return Ok(i + 1);
        }
        match self.expect {
            Expect::End => return Err(Invalid),
            Expect::ValueOrClose if b == b']' => self.close(b)?,
            Expect::Value | Expect::ValueOrClose => self.start_value(b, edits)?,
            Expect::KeyOrClose if b == b'}' => self.close(b)?,
            Expect::Key | Expect::KeyOrClose if b == b'"' => {
                self.token = Token::Key(StringText::default());
            }
            Expect::Colon if b == b':' => self.expect = Expect::Value,
            Expect::CommaOrClose if b == b',' => {
                let array = self.stack.last().ok_or(Invalid)?.array;
                self.expect = if array { Expect::Value } else { Expect::Key };
            }
            Expect::CommaOrClose if b == b']' || b == b'}' => self.close(b)?,
            _ => return Err(Invalid),
        }
        Ok(i + 1)
    }

    /// Starts the value whose first byte is `b`.
    fn start_value(&mut self, b: u8, edits: &mut impl Edits) -> Result<(), Invalid> {
        if self.stack.is_empty() {
            self.root_started = true;
        }
        match b {
            b'{' | b'[' => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(Invalid);
                }
                let array = b == b'[';
                self.next_id += 1;
                let id = self.next_id;
                edits.open(self.slot(), id, array);
                self.mark_root_set();
                self.stack.push(Frame {
                    id,
                    array,
                    len: 0,
                    key: None,
                });
                self.expect = if array {
                    Expect::ValueOrClose
                } else {
                    Expect::KeyOrClose
                };
            }
            b'"' => self.token = Token::Value(StringText::default()),
            b't' | b'f' | b'n' => self.token = Token::Literal(Literal::starting_with(b)),
            b'-' | b'0'..=b'9' => self.token = Token::Number(NumberText::starting_with(b)),
            _ => return Err(Invalid),
        }
        Ok(())
    }

    /// Closes the innermost container with the bracket `b`; it is a complete value.
    fn close(&mut self, b: u8) -> Result<(), Invalid> {
        let frame = self.stack.pop().ok_or(Invalid)?;
        if frame.array != (b == b']') {
            return Err(Invalid);
        }
        self.attach();
        Ok(())
    }

    /// A value just completed in the innermost container (or at the top level).
    fn attach(&mut self) {
        self.expect = match self.stack.last_mut() {
            None => Expect::End,
            Some(frame) => {
                frame.len += 1;
                frame.key = None;
                Expect::CommaOrClose
            }
        };
    }

    /// The fragment ended: a top-level value that has started but shows nothing yet is
    /// `null`.
    fn flush_at_end(&mut self, edits: &mut impl Edits) {
        if self.root_started && !self.root_set && !self.root_placeholder {
            edits.put(self.slot(), "null");
            self.root_placeholder = true;
        }
    }

    fn put(&mut self, value: &str, edits: &mut impl Edits) {
        edits.put(self.slot(), value);
        self.mark_root_set();
    }

    /// Whether the top-level value is in the preview by its own value (not as the `null` of
    /// a value that shows nothing yet).
    fn shows_root(&self) -> bool {
        self.root_set
    }

    fn mark_root_set(&mut self) {
        if self.stack.is_empty() {
            self.root_set = true;
        }
    }

    /// Where the value being read goes.
    fn slot(&self) -> Slot<'_> {
        match self.stack.last() {
            None => Slot {
                container: 0,
                key: Key::Index(0),
            },
            Some(frame) => Slot {
                container: frame.id,
                key: match (&frame.key, frame.array) {
                    (Some(name), false) => Key::Name(name),
                    _ => Key::Index(frame.len),
                },
            },
        }
    }
}
