//! Where the parser's edits go: the ops text for JavaScript, or a small tree for the one-shot
//! [`preview`].

use crate::prelude::*;

use super::{PartialJson, ARRAY, INVALID, OBJECT, PUT};
use crate::text;

/// A member of a container: an array index or an object key (a JSON string literal).
pub(super) enum Key<'a> {
    Index(usize),
    Name(&'a str),
}

/// Where an edit applies: container `container`'s member `key`.
pub(super) struct Slot<'a> {
    pub(super) container: u32,
    pub(super) key: Key<'a>,
}

/// The edits of the preview, one method per op.
pub(super) trait Edits {
    /// `value` is JSON text of a string, number, `true`, `false` or `null`.
    fn put(&mut self, at: Slot<'_>, value: &str);
    fn open(&mut self, at: Slot<'_>, id: u32, array: bool);
    fn invalid(&mut self);
}

/// The ops as the text of one flat JSON array.
pub(super) struct OpsText {
    text: String,
}

impl Default for OpsText {
    fn default() -> Self {
        OpsText {
            text: String::from("[]"),
        }
    }
}

impl OpsText {
    /// Starts the next batch.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.text.push('[');
    }

    /// Ends the batch.
    pub(super) fn close(&mut self) {
        self.text.push(']');
    }

    pub(super) fn text(&self) -> &str {
        &self.text
    }

    fn op(&mut self, code: u8, at: Slot<'_>) {
        if self.text.len() > 1 {
            self.text.push(',');
        }
        text!(into &mut self.text; code, ",", at.container, ",");
        match at.key {
            Key::Index(index) => text!(into &mut self.text; index),
            Key::Name(name) => self.text.push_str(name),
        }
    }
}

impl Edits for OpsText {
    fn put(&mut self, at: Slot<'_>, value: &str) {
        self.op(PUT, at);
        self.text.push(',');
        self.text.push_str(value);
    }

    fn open(&mut self, at: Slot<'_>, id: u32, array: bool) {
        self.op(if array { ARRAY } else { OBJECT }, at);
        text!(into &mut self.text; ",", id);
    }

    fn invalid(&mut self) {
        if self.text.len() > 1 {
            self.text.push(',');
        }
        text!(into &mut self.text; INVALID);
    }
}

/// The preview of a whole text at once, as JSON text: `None` when the text is empty or
/// whitespace, or not a prefix of JSON; `null` when the top-level value shows nothing yet.
pub fn preview(text: &str) -> Option<String> {
    preview_with_root(text).map(|(preview, _)| preview)
}

/// [`preview`], and whether the top-level value shows something of its own (is not the
/// `null` of a value that has started but shows nothing yet).
pub(super) fn preview_with_root(text: &str) -> Option<(String, bool)> {
    let mut tree = Tree {
        containers: vec![Container::default()],
        invalid: false,
    };
    let mut parser = PartialJson::new();
    parser.feed(text.as_bytes(), &mut tree);
    if tree.invalid {
        return None;
    }
    let (_, root) = tree.containers.first()?.members.first()?;
    let mut out = String::new();
    tree.write(root, &mut out);
    Some((out, parser.shows_root()))
}

/// The preview as a tree of containers indexed by id (0 holds the top-level value).
struct Tree {
    containers: Vec<Container>,
    invalid: bool,
}

#[derive(Default)]
struct Container {
    array: bool,
    /// Members in order, with their key literals (objects); a repeated key is kept twice,
    /// which JSON readers resolve to the last, as `parse_partial` does.
    members: Vec<(String, Node)>,
}

enum Node {
    /// JSON text of a string, number, `true`, `false` or `null`.
    Scalar(String),
    Container(usize),
}

impl Tree {
    /// The member at `at`, created when it is the container's next one.
    fn member(&mut self, at: Slot<'_>) -> Option<&mut Node> {
        let members = &mut self.container(at.container)?.members;
        let existing = match at.key {
            Key::Index(index) => index < members.len(),
            Key::Name(name) => members.last().is_some_and(|(key, _)| key == name),
        };
        if !existing {
            let key = match at.key {
                Key::Name(name) => name.to_owned(),
                Key::Index(_) => String::new(),
            };
            members.push((key, Node::Scalar(String::from("null"))));
        }
        match at.key {
            Key::Index(index) => members.get_mut(index).map(|(_, node)| node),
            Key::Name(_) => members.last_mut().map(|(_, node)| node),
        }
    }

    fn container(&mut self, id: u32) -> Option<&mut Container> {
        self.containers.get_mut(usize::try_from(id).ok()?)
    }

    fn write(&self, node: &Node, out: &mut String) {
        match node {
            Node::Scalar(text) => out.push_str(text),
            Node::Container(id) => {
                let Some(container) = self.containers.get(*id) else {
                    return;
                };
                out.push(if container.array { '[' } else { '{' });
                for (n, (key, member)) in container.members.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    if !container.array {
                        out.push_str(key);
                        out.push(':');
                    }
                    self.write(member, out);
                }
                out.push(if container.array { ']' } else { '}' });
            }
        }
    }
}

impl Edits for Tree {
    fn put(&mut self, at: Slot<'_>, value: &str) {
        if let Some(member) = self.member(at) {
            *member = Node::Scalar(value.to_owned());
        }
    }

    fn open(&mut self, at: Slot<'_>, id: u32, array: bool) {
        // Ids are handed out in order from 1, so a container's id is its index here.
        let _ = id;
        let index = self.containers.len();
        self.containers.push(Container {
            array,
            members: Vec::new(),
        });
        if let Some(member) = self.member(at) {
            *member = Node::Container(index);
        }
    }

    fn invalid(&mut self) {
        self.invalid = true;
    }
}
