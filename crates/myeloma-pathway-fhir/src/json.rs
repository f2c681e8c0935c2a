//! Reading input JSON with the documented limits.

use myeloma_pathway::Error;
use serde_json::Value;

pub use myeloma_pathway::json::{MAX_JSON_BYTES, MAX_JSON_DEPTH};

/// Parse input JSON into a value, refusing documents over [`MAX_JSON_BYTES`] or nested deeper
/// than [`MAX_JSON_DEPTH`].
///
/// # Errors
/// [`Error::LimitExceeded`] past a limit; [`Error::InvalidJson`] for a syntax error or a
/// duplicate key (the core's strict parser, which names the key path).
pub fn parse_json_value(json: &str) -> Result<Value, Error> {
    if json.len() > MAX_JSON_BYTES {
        return Err(Error::LimitExceeded {
            what: "JSON document (bytes)".into(),
            limit: MAX_JSON_BYTES,
            actual: json.len(),
        });
    }
    // Checked on the text before parsing, so a deep document never reaches the recursive parser
    // (serde_json's own limit is 128).
    let depth = text_depth(json);
    if depth > MAX_JSON_DEPTH {
        return Err(Error::LimitExceeded { what: "JSON nesting depth".into(), limit: MAX_JSON_DEPTH, actual: depth });
    }
    myeloma_pathway::json::parse_value(json)
}

/// Deepest bracket nesting of a JSON text, brackets inside strings not counted.
fn text_depth(json: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn nested(n: usize) -> String {
        format!("{}{}", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn depth_32_is_accepted_and_33_refused() {
        assert!(parse_json_value(&nested(32)).is_ok());
        assert!(matches!(parse_json_value(&nested(33)), Err(Error::LimitExceeded { limit: 32, actual: 33, .. })));
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let s = format!("{{\"a\": \"{}\"}}", "[".repeat(100));
        assert!(parse_json_value(&s).is_ok());
        assert!(parse_json_value(r#"{"a": "\"[[[[", "b": 1}"#).is_ok());
    }

    #[test]
    fn one_mebibyte_is_accepted_and_one_byte_more_refused() {
        let pad = |n: usize| format!("\"{}\"", "x".repeat(n - 2));
        assert!(parse_json_value(&pad(MAX_JSON_BYTES)).is_ok());
        assert!(matches!(parse_json_value(&pad(MAX_JSON_BYTES + 1)), Err(Error::LimitExceeded { .. })));
    }

    #[test]
    fn syntax_errors_are_invalid_json() {
        assert!(matches!(parse_json_value("{"), Err(Error::InvalidJson { .. })));
    }
}
