//! serde types for the Messages API: requests, responses, stream events, errors, models and
//! Message Batches.
//!
//! Every enum is open. A string enum keeps an unknown value in `Other(String)`; a tagged enum
//! (content blocks, sources, deltas, events…) keeps an unknown `type` as its raw JSON in
//! `Unknown(Value)`. Structs keep fields this version does not know in `extra`, so a value
//! read from the wire serializes again without losing anything.

mod batches;
pub mod betas;
mod content;
mod errors;
mod models;
mod request;
mod response;
mod stream;

pub use batches::*;
pub use content::*;
pub use errors::*;
pub use models::*;
pub use request::*;
pub use response::*;
pub use stream::*;

/// A JSON object: the type of every `extra` field.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// A string enum that keeps values it does not know in `Other`.
macro_rules! open_string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of the library does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(text.as_ref()))
            }
        }
    };
}
pub(crate) use open_string_enum;

/// A JSON object tagged by its `type` field that keeps unknown tags as raw JSON in `Unknown`.
/// The payload structs never see `type`: it is removed before they are read and added back
/// when they are written, so it cannot leak into their `extra` maps.
macro_rules! open_tagged_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident($payload:ty) = $tag:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant($payload),)*
            /// A `type` this version of the library does not know, kept as raw JSON.
            Unknown(serde_json::Value),
        }

        impl $name {
            /// The `type` tag on the wire (`None` for an unknown value without a string `type`).
            pub fn type_name(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(_) => Some($tag),)*
                    Self::Unknown(value) => value.get("type").and_then(serde_json::Value::as_str),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(payload) => $crate::types::Tagged { kind: $tag, payload }.serialize(serializer),)*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = serde_json::Value::deserialize(deserializer)?;
                let serde_json::Value::Object(mut object) = value else {
                    return Ok(Self::Unknown(value));
                };
                let tag = match object.get("type") {
                    Some(serde_json::Value::String(tag)) => tag.as_str(),
                    _ => return Ok(Self::Unknown(serde_json::Value::Object(object))),
                };
                match tag {
                    $($tag => {
                        object.remove("type");
                        <$payload as serde::Deserialize>::deserialize(serde_json::Value::Object(object))
                            .map(Self::$variant)
                            .map_err(|e| D::Error::custom(format_args!("{} `{}`: {e}", stringify!($name), $tag)))
                    })*
                    _ => Ok(Self::Unknown(serde_json::Value::Object(object))),
                }
            }
        }
    };
}
pub(crate) use open_tagged_enum;

/// Writes a payload struct with its `type` tag first.
#[derive(serde::Serialize)]
pub(crate) struct Tagged<'a, T> {
    #[serde(rename = "type")]
    pub(crate) kind: &'a str,
    #[serde(flatten)]
    pub(crate) payload: &'a T,
}
