//! The rules a violation names, with the stable names other languages see.

/// The rules the request checks apply. Their names ([`Rule::name`]) are stable: the npm
/// package hands them to JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A required field is missing or empty.
    Required,
    /// A value is outside its allowed range or set.
    OutOfRange,
    /// A value has the wrong shape (type, block structure).
    Shape,
    /// An image's media type is not one the API accepts.
    ImageMediaType,
    /// Base64 data is not well formed.
    Base64,
    /// An image is larger than the API accepts.
    ImageTooLarge,
    /// An image's bytes are not of its declared media type.
    ImageBytesMismatch,
    /// A tool name is not `^[a-zA-Z0-9_-]{1,128}$`.
    ToolName,
    /// Two tools share a name.
    DuplicateToolName,
    /// `tool_choice` names a tool that is not defined.
    UnknownTool,
    /// The request ends with an assistant turn (prefill) and the model rejects prefill.
    PrefillUnsupported,
    /// A final assistant turn (prefill) ends with white space, which the API rejects.
    TrailingWhitespace,
    /// A document's media type does not fit its source.
    DocumentMediaType,
    /// A base64 document's bytes are not a PDF.
    DocumentBytesMismatch,
    /// A non-streaming request could outlast the timeout: it must be streamed.
    StreamingRequired,
}

impl Rule {
    /// Every rule, in declaration order (for tables handed to other languages).
    pub const ALL: [Rule; 15] = [
        Rule::Required,
        Rule::OutOfRange,
        Rule::Shape,
        Rule::ImageMediaType,
        Rule::Base64,
        Rule::ImageTooLarge,
        Rule::ImageBytesMismatch,
        Rule::ToolName,
        Rule::DuplicateToolName,
        Rule::UnknownTool,
        Rule::PrefillUnsupported,
        Rule::TrailingWhitespace,
        Rule::DocumentMediaType,
        Rule::DocumentBytesMismatch,
        Rule::StreamingRequired,
    ];

    /// The rule's stable name, e.g. `ImageMediaType`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Required => "Required",
            Rule::OutOfRange => "OutOfRange",
            Rule::Shape => "Shape",
            Rule::ImageMediaType => "ImageMediaType",
            Rule::Base64 => "Base64",
            Rule::ImageTooLarge => "ImageTooLarge",
            Rule::ImageBytesMismatch => "ImageBytesMismatch",
            Rule::ToolName => "ToolName",
            Rule::DuplicateToolName => "DuplicateToolName",
            Rule::UnknownTool => "UnknownTool",
            Rule::PrefillUnsupported => "PrefillUnsupported",
            Rule::TrailingWhitespace => "TrailingWhitespace",
            Rule::DocumentMediaType => "DocumentMediaType",
            Rule::DocumentBytesMismatch => "DocumentBytesMismatch",
            Rule::StreamingRequired => "StreamingRequired",
        }
    }
}
