//! Replies rendered as Markdown, safely: pulldown-cmark's events folded into a small tree
//! ([`parse`], plain Rust, unit-tested), then Leptos views ([`Markdown`]). Nothing the model
//! writes becomes HTML: raw HTML is shown as text, links keep only `http(s):` and `mailto:`
//! targets, and images are links (the page loads nothing a reply names).

use leptos::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};

/// One piece of a rendered reply.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    /// Inline code.
    Code(String),
    /// A fenced or indented code block; an unclosed fence runs to the end (as while it streams).
    CodeBlock {
        language: String,
        code: String,
    },
    HardBreak,
    Rule,
    /// A task list item's box.
    Task(bool),
    Element(Kind, Vec<Node>),
}

/// What an element node is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Paragraph,
    /// 1–6, as written.
    Heading(u8),
    Quote,
    /// Ordered from this number, or a bullet list.
    List(Option<u64>),
    Item,
    Emphasis,
    Strong,
    Strike,
    /// A link with a target the page may open.
    Link(String),
    /// An image: a link to it, its alt text the label (`None`: a target the page may not open).
    Image(Option<String>),
    /// Anything shown only for its content (a link with an unsafe target, raw HTML, a footnote).
    Span,
    Table,
    TableHead,
    TableRow,
    TableCell,
}

/// The link target, if the page may open it: `http:`, `https:` or `mailto:` only (no
/// `javascript:`, `data:` or relative targets).
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        .then(|| url.to_owned())
}

/// An element being built, or a code block collecting its text.
enum Frame {
    Element(Kind, Vec<Node>),
    CodeBlock(String, String),
}

/// The tree of `text` as CommonMark with GitHub's tables, strikethrough and task lists.
pub fn parse(text: &str) -> Vec<Node> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut root = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    fn push(stack: &mut [Frame], root: &mut Vec<Node>, node: Node) {
        match stack.last_mut() {
            Some(Frame::Element(_, children)) => children.push(node),
            Some(Frame::CodeBlock(_, code)) => {
                if let Node::Text(text) = node {
                    code.push_str(&text);
                }
            }
            None => root.push(node),
        }
    }
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                stack.push(Frame::CodeBlock(language, String::new()));
            }
            Event::Start(tag) => stack.push(Frame::Element(kind_of(tag), Vec::new())),
            Event::End(_) => {
                let node = match stack.pop() {
                    Some(Frame::Element(kind, children)) => Node::Element(kind, children),
                    Some(Frame::CodeBlock(language, code)) => Node::CodeBlock { language, code },
                    None => continue,
                };
                push(&mut stack, &mut root, node);
            }
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => {
                push(&mut stack, &mut root, Node::Text(text.into_string()))
            }
            Event::Code(code) => push(&mut stack, &mut root, Node::Code(code.into_string())),
            Event::SoftBreak => push(&mut stack, &mut root, Node::Text("\n".into())),
            Event::HardBreak => push(&mut stack, &mut root, Node::HardBreak),
            Event::Rule => push(&mut stack, &mut root, Node::Rule),
            Event::TaskListMarker(done) => push(&mut stack, &mut root, Node::Task(done)),
        }
    }
    // The parser closes every tag it opens; this keeps a tree even if it did not.
    while let Some(frame) = stack.pop() {
        let node = match frame {
            Frame::Element(kind, children) => Node::Element(kind, children),
            Frame::CodeBlock(language, code) => Node::CodeBlock { language, code },
        };
        push(&mut stack, &mut root, node);
    }
    root
}

fn kind_of(tag: Tag<'_>) -> Kind {
    match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Heading { level, .. } => Kind::Heading(match level {
            HeadingLevel::H1 => 1,
            HeadingLevel::H2 => 2,
            HeadingLevel::H3 => 3,
            HeadingLevel::H4 => 4,
            HeadingLevel::H5 => 5,
            HeadingLevel::H6 => 6,
        }),
        Tag::BlockQuote(_) => Kind::Quote,
        Tag::List(start) => Kind::List(start),
        Tag::Item => Kind::Item,
        Tag::Emphasis => Kind::Emphasis,
        Tag::Strong => Kind::Strong,
        Tag::Strikethrough => Kind::Strike,
        Tag::Link { dest_url, .. } => match safe_href(&dest_url) {
            Some(href) => Kind::Link(href),
            None => Kind::Span,
        },
        Tag::Image { dest_url, .. } => Kind::Image(safe_href(&dest_url)),
        Tag::Table(_) => Kind::Table,
        Tag::TableHead => Kind::TableHead,
        Tag::TableRow => Kind::TableRow,
        Tag::TableCell => Kind::TableCell,
        // An HTML block's text is shown as a paragraph of text.
        Tag::HtmlBlock => Kind::Paragraph,
        Tag::CodeBlock(_)
        | Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::Superscript
        | Tag::Subscript
        | Tag::MetadataBlock(_) => Kind::Span,
    }
}

/// A reply's text as Markdown.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    view! { <div class="markdown">{views(parse(&text), false)}</div> }
}

fn views(nodes: Vec<Node>, in_head: bool) -> Vec<AnyView> {
    nodes
        .into_iter()
        .map(|node| node_view(node, in_head))
        .collect()
}

/// `in_head`: inside a table's head, whose cells are headers.
fn node_view(node: Node, in_head: bool) -> AnyView {
    let (kind, children) = match node {
        Node::Text(text) => return text.into_any(),
        Node::Code(code) => return view! { <code>{code}</code> }.into_any(),
        Node::CodeBlock { language, code } => {
            return view! { <CodeBlock language code /> }.into_any()
        }
        Node::HardBreak => return view! { <br /> }.into_any(),
        Node::Rule => return view! { <hr /> }.into_any(),
        Node::Task(done) => {
            return view! { <input type="checkbox" disabled=true checked=done aria-label="task" /> }
                .into_any()
        }
        Node::Element(kind, children) => (kind, children),
    };
    let head = kind == Kind::TableHead;
    let inner = views(children, in_head || head);
    match kind {
        Kind::Paragraph => view! { <p>{inner}</p> }.into_any(),
        // A reply's headings sit under the page's own (h1) and the conversation's.
        Kind::Heading(1) => view! { <h3>{inner}</h3> }.into_any(),
        Kind::Heading(2) => view! { <h4>{inner}</h4> }.into_any(),
        Kind::Heading(3) => view! { <h5>{inner}</h5> }.into_any(),
        Kind::Heading(_) => view! { <h6>{inner}</h6> }.into_any(),
        Kind::Quote => view! { <blockquote>{inner}</blockquote> }.into_any(),
        Kind::List(Some(start)) => view! { <ol start=start.to_string()>{inner}</ol> }.into_any(),
        Kind::List(None) => view! { <ul>{inner}</ul> }.into_any(),
        Kind::Item => view! { <li>{inner}</li> }.into_any(),
        Kind::Emphasis => view! { <em>{inner}</em> }.into_any(),
        Kind::Strong => view! { <strong>{inner}</strong> }.into_any(),
        Kind::Strike => view! { <del>{inner}</del> }.into_any(),
        Kind::Link(href) => {
            view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{inner}</a> }
                .into_any()
        }
        Kind::Image(Some(href)) => view! {
            <a class="image-link" href=href target="_blank" rel="noopener noreferrer nofollow">
                "image: " {inner}
            </a>
        }
        .into_any(),
        Kind::Image(None) | Kind::Span => view! { <span>{inner}</span> }.into_any(),
        Kind::Table => view! { <div class="table-wrap"><table>{inner}</table></div> }.into_any(),
        Kind::TableHead => view! { <thead><tr>{inner}</tr></thead> }.into_any(),
        Kind::TableRow => view! { <tr>{inner}</tr> }.into_any(),
        Kind::TableCell if in_head => view! { <th>{inner}</th> }.into_any(),
        Kind::TableCell => view! { <td>{inner}</td> }.into_any(),
    }
}

/// A code block with its language and a copy button.
#[component]
fn CodeBlock(language: String, code: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = code.clone();
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&text);
        copied.set(true);
    };
    let label = if language.is_empty() {
        "code".to_owned()
    } else {
        language
    };
    view! {
        <figure class="code-block">
            <figcaption>
                <span class="language">{label}</span>
                <button type="button" class="copy-code" aria-label="Copy the code" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </figcaption>
            <pre><code>{code}</code></pre>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn text(s: &str) -> Node {
        Node::Text(s.into())
    }

    fn element(kind: Kind, children: Vec<Node>) -> Node {
        Node::Element(kind, children)
    }

    #[test]
    fn paragraphs_emphasis_and_inline_code() {
        assert_eq!(
            parse("Hello **bold** and *it* `x`\n\nNext"),
            vec![
                element(
                    Kind::Paragraph,
                    vec![
                        text("Hello "),
                        element(Kind::Strong, vec![text("bold")]),
                        text(" and "),
                        element(Kind::Emphasis, vec![text("it")]),
                        text(" "),
                        Node::Code("x".into()),
                    ]
                ),
                element(Kind::Paragraph, vec![text("Next")]),
            ]
        );
    }

    #[test]
    fn raw_html_stays_text() {
        let nodes = parse("<script>alert(1)</script>\n\nhi <b onclick=\"x()\">there</b>");
        let flat = format!("{nodes:?}");
        assert!(flat.contains("Text(\"<script>alert(1)</script>"), "{flat}");
        assert!(flat.contains("Text(\"<b onclick=\\\"x()\\\">\")"), "{flat}");
        // Never an element made from the HTML: only paragraphs and text.
        fn only_text(nodes: &[Node]) -> bool {
            nodes.iter().all(|node| match node {
                Node::Text(_) => true,
                Node::Element(Kind::Paragraph, children) => only_text(children),
                _ => false,
            })
        }
        assert!(only_text(&nodes), "{flat}");
    }

    #[test]
    fn links_keep_only_web_and_mail_targets() {
        assert_eq!(
            parse(
                "[a](https://example.com) [b](javascript:alert(1)) [c](mailto:x@y.z) [d](/local)"
            ),
            vec![element(
                Kind::Paragraph,
                vec![
                    element(Kind::Link("https://example.com".into()), vec![text("a")]),
                    text(" "),
                    element(Kind::Span, vec![text("b")]),
                    text(" "),
                    element(Kind::Link("mailto:x@y.z".into()), vec![text("c")]),
                    text(" "),
                    element(Kind::Span, vec![text("d")]),
                ]
            )]
        );
        assert_eq!(safe_href(" JavaScript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
        assert_eq!(
            safe_href("HTTPS://Example.com"),
            Some("HTTPS://Example.com".into())
        );
    }

    #[test]
    fn images_are_links_not_loads() {
        assert_eq!(
            parse("![a cat](https://example.com/cat.png) ![x](javascript:1)"),
            vec![element(
                Kind::Paragraph,
                vec![
                    element(
                        Kind::Image(Some("https://example.com/cat.png".into())),
                        vec![text("a cat")]
                    ),
                    text(" "),
                    element(Kind::Image(None), vec![text("x")]),
                ]
            )]
        );
    }

    #[test]
    fn code_blocks_keep_their_text_and_language_even_unclosed() {
        assert_eq!(
            parse("```rust\nfn main() {}\n<b>\n```\nafter"),
            vec![
                Node::CodeBlock {
                    language: "rust".into(),
                    code: "fn main() {}\n<b>\n".into()
                },
                element(Kind::Paragraph, vec![text("after")]),
            ]
        );
        // While a reply streams, its fence is open: it is a code block already.
        assert_eq!(
            parse("```py\nprint(1)"),
            vec![Node::CodeBlock {
                language: "py".into(),
                code: "print(1)".into()
            }]
        );
    }

    #[test]
    fn lists_tasks_headings_tables() {
        assert_eq!(
            parse("# T\n\n3. a\n4. b\n\n- [x] done"),
            vec![
                element(Kind::Heading(1), vec![text("T")]),
                element(
                    Kind::List(Some(3)),
                    vec![
                        element(Kind::Item, vec![text("a")]),
                        element(Kind::Item, vec![text("b")])
                    ]
                ),
                element(
                    Kind::List(None),
                    vec![element(Kind::Item, vec![Node::Task(true), text("done")])]
                ),
            ]
        );
        assert_eq!(
            parse("| a | b |\n|---|---|\n| 1 | 2 |"),
            vec![element(
                Kind::Table,
                vec![
                    element(
                        Kind::TableHead,
                        vec![
                            element(Kind::TableCell, vec![text("a")]),
                            element(Kind::TableCell, vec![text("b")]),
                        ]
                    ),
                    element(
                        Kind::TableRow,
                        vec![
                            element(Kind::TableCell, vec![text("1")]),
                            element(Kind::TableCell, vec![text("2")]),
                        ]
                    ),
                ]
            )]
        );
    }
}
