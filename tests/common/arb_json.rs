//! Random JSON documents for the property tests, and serializations of them that exercise
//! whitespace and escapes.

use proptest::prelude::*;
use serde_json::Value;

/// Short strings rich in characters that need escaping or span several bytes.
pub fn arb_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<char>(),
            2 => prop::char::range('a', 'z'),
            1 => Just('"'),
            1 => Just('\\'),
            1 => Just('\n'),
            1 => Just('\u{1}'),
            1 => Just('/'),
            1 => Just('😀'),
            1 => Just('é'),
            1 => Just('\u{ffff}'),
        ],
        0..12,
    )
    .prop_map(String::from_iter)
}

/// Floats that serde_json (without `float_roundtrip`) parses back to exactly themselves:
/// binary fractions with few enough decimal digits for its exact fast path.
pub fn arb_float() -> impl Strategy<Value = f64> {
    (any::<i16>(), 0..9i32).prop_map(|(m, k)| f64::from(m) / 2f64.powi(k))
}

/// Any JSON value, nested up to 6 deep.
pub fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        arb_float().prop_map(Value::from),
        arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(arb_string(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON object (a tool input).
pub fn arb_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(arb_string(), arb_json(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// Serializes with every non-ASCII character escaped as `\uXXXX` (surrogate pairs above the
/// BMP), which serde_json never does, to exercise the escape paths.
pub fn to_ascii_json(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    ' '..='~' => out.push(c),
                    _ => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            out.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                }
            }
            out.push('"');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_ascii_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_ascii_json(&Value::String(k.clone()), out);
                out.push(':');
                to_ascii_json(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Compact, pretty and ASCII-escaped serializations of a value.
pub fn serializations(value: &Value) -> Vec<String> {
    let mut ascii = String::new();
    to_ascii_json(value, &mut ascii);
    vec![
        serde_json::to_string(value).unwrap_or_default(),
        serde_json::to_string_pretty(value).unwrap_or_default(),
        ascii,
    ]
}
