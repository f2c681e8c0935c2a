//! Error messages in the words of the record, not of Rust: serde's "expected u16" becomes
//! "expected a whole number from 0 to 65535", "expected struct FrailtyInputs" becomes
//! "expected an object". Only the wording changes (kind, code and field stay the core's).
//!
//! The same rewrite belongs in the strict parser (`json::path_error`), so that the CLI and
//! C say it too; until then the Python exceptions and cohort rows use it, while
//! `run_or_error_json` (which the golden runner compares byte for byte with the CLI) does not.

use super::Error;

/// Rust primitive names as serde prints them, and what a record author reads instead.
const PRIMITIVES: [(&str, &str); 14] = [
    ("u8", "a whole number from 0 to 255"),
    ("u16", "a whole number from 0 to 65535"),
    ("u32", "a whole number from 0 to 4294967295"),
    ("u64", "a whole number, 0 or more"),
    ("u128", "a whole number, 0 or more"),
    ("usize", "a whole number, 0 or more"),
    ("i8", "a whole number from -128 to 127"),
    ("i16", "a whole number from -32768 to 32767"),
    ("i32", "a whole number"),
    ("i64", "a whole number"),
    ("i128", "a whole number"),
    ("f32", "a number"),
    ("f64", "a number"),
    ("char", "a single character"),
];

/// The message with Rust type names replaced (see the module docs).
pub fn message(m: &str) -> String {
    let mut out = String::with_capacity(m.len() + 16);
    let mut rest = m;
    while let Some(at) = rest.find("expected ") {
        let (head, tail) = rest.split_at(at + "expected ".len());
        out.push_str(head);
        let word_len = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len());
        let word = tail.get(..word_len).unwrap_or("");
        if let Some((_, plain)) = PRIMITIVES.iter().find(|(rust, _)| *rust == word) {
            out.push_str(plain);
            rest = tail.get(word_len..).unwrap_or("");
        } else if let Some(after) = tail.strip_prefix("struct ").or_else(|| tail.strip_prefix("map")) {
            // `expected struct FrailtyInputs` / `expected map`: the name is Rust's, not the record's.
            let skip = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            out.push_str("an object");
            rest = after.get(skip..).unwrap_or("");
        } else if let Some(after) = tail.strip_prefix("enum ") {
            let skip = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            out.push_str("one of the documented identifiers");
            rest = after.get(skip..).unwrap_or("");
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    if out.starts_with("unknown variant `") || out.contains(": unknown variant `") {
        out.push_str(" (identifiers are lower case and case-sensitive, units are not)");
    }
    out
}

/// The error with its message in the record's words (only `invalid_json` carries serde text).
pub fn error(e: &Error) -> Error {
    match e {
        Error::InvalidJson { field, message: m } => Error::InvalidJson { field: field.clone(), message: message(m) },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::message;

    #[test]
    fn rust_type_names_become_words() {
        assert_eq!(
            message("invalid type: floating point `60.5`, expected u8"),
            "invalid type: floating point `60.5`, expected a whole number from 0 to 255"
        );
        assert_eq!(
            message("invalid type: string \"x\", expected f64"),
            "invalid type: string \"x\", expected a number"
        );
        assert_eq!(
            message("invalid type: integer `1`, expected struct FrailtyInputs"),
            "invalid type: integer `1`, expected an object"
        );
        assert_eq!(message("expected a list, found a number"), "expected a list, found a number");
        assert_eq!(message("expected u16 at line 1"), "expected a whole number from 0 to 65535 at line 1");
    }
}
