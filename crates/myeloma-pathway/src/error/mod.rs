//! The one error type of the library.
//!
//! Every variant has a stable numeric [`Error::code`] that the Python exception hierarchy and the C
//! status codes are derived from. Codes are never reused; new variants get new numbers.

use serde::Serialize;

pub mod plain;

use crate::record::Refusal;

/// Everything that can go wrong when reading input or running an assessment.
///
/// Bad input is refused, never clamped: the error names the field (as a dotted JSON path), the
/// unit and the accepted range, so a caller can correct the record without guessing.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "error_kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Error {
    /// The text is not valid JSON, or a value has the wrong JSON type, or a key is unknown.
    #[error("{field}: {message}")]
    InvalidJson {
        /// Dotted path of the offending key (`.` for the document itself).
        field: String,
        /// What the parser said.
        message: String,
    },
    /// A required value is absent where the operation cannot proceed without it.
    #[error("{field}: required value is missing ({message})")]
    MissingField {
        /// Dotted path of the missing key.
        field: String,
        /// What it is needed for.
        message: String,
    },
    /// A value is outside the accepted, physiologically plausible range.
    #[error("{field}: {value} {unit} is outside the accepted range {accepted_range}")]
    OutOfRange {
        /// Dotted path of the offending key.
        field: String,
        /// The value as entered.
        value: f64,
        /// The unit the value was entered in.
        unit: String,
        /// The accepted range in that unit, e.g. `0.1..=25 mg/dL`.
        accepted_range: String,
    },
    /// A unit that this field does not accept.
    #[error("{field}: unit `{unit}` is not accepted; accepted units: {accepted}")]
    UnsupportedUnit {
        /// Dotted path of the offending key.
        field: String,
        /// The unit as entered.
        unit: String,
        /// The accepted units, comma-separated.
        accepted: String,
    },
    /// A value that is well-formed but inconsistent with another value.
    #[error("{field}: {message}")]
    Inconsistent {
        /// Dotted path of the offending key.
        field: String,
        /// What is inconsistent.
        message: String,
    },
    /// Input larger or deeper than the documented limits.
    #[error("{what}: {actual} exceeds the limit of {limit}")]
    LimitExceeded {
        /// What was too large.
        what: String,
        /// The limit.
        limit: usize,
        /// The size seen.
        actual: usize,
    },
    /// An identifier (regimen, drug, option) that the knowledge base does not contain.
    #[error("{field}: unknown {kind} `{id}`")]
    UnknownIdentifier {
        /// Dotted path of the offending key.
        field: String,
        /// What kind of identifier.
        kind: String,
        /// The identifier as given.
        id: String,
    },
    /// A pathway event that the state machine refuses in the current phase.
    #[error("{field}: event refused: {refusal}")]
    TransitionRefused {
        /// Dotted path of the refused event, e.g. `history[3]`.
        field: String,
        /// The typed reason.
        refusal: Refusal,
    },
}

/// The kinds of [`Error`]: the one table of error codes and names that every front end's
/// mirror is generated from or checked against (Python's exception classes by
/// `scripts/gen-python-tables.py`, C's `MP_STATUS_*` by a test of the C crate, the error JSON's
/// `error_kind`). A code is never reused; a new kind gets a new number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`Error::InvalidJson`].
    InvalidJson,
    /// See [`Error::MissingField`].
    MissingField,
    /// See [`Error::OutOfRange`].
    OutOfRange,
    /// See [`Error::UnsupportedUnit`].
    UnsupportedUnit,
    /// See [`Error::Inconsistent`].
    Inconsistent,
    /// See [`Error::LimitExceeded`].
    LimitExceeded,
    /// See [`Error::UnknownIdentifier`].
    UnknownIdentifier,
    /// See [`Error::TransitionRefused`].
    TransitionRefused,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::InvalidJson,
        ErrorKind::MissingField,
        ErrorKind::OutOfRange,
        ErrorKind::UnsupportedUnit,
        ErrorKind::Inconsistent,
        ErrorKind::LimitExceeded,
        ErrorKind::UnknownIdentifier,
        ErrorKind::TransitionRefused,
    ];

    /// The stable numeric code (`code` of the error JSON, `MP_STATUS_*` in C).
    pub const fn code(self) -> u32 {
        match self {
            ErrorKind::InvalidJson => 10,
            ErrorKind::MissingField => 11,
            ErrorKind::OutOfRange => 12,
            ErrorKind::UnsupportedUnit => 13,
            ErrorKind::Inconsistent => 14,
            ErrorKind::LimitExceeded => 15,
            ErrorKind::UnknownIdentifier => 16,
            ErrorKind::TransitionRefused => 20,
        }
    }

    /// The stable name (`error_kind` of the error JSON; `out_of_range` → Python's
    /// `OutOfRangeError`, C's `MP_STATUS_OUT_OF_RANGE`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::OutOfRange => "out_of_range",
            ErrorKind::UnsupportedUnit => "unsupported_unit",
            ErrorKind::Inconsistent => "inconsistent",
            ErrorKind::LimitExceeded => "limit_exceeded",
            ErrorKind::UnknownIdentifier => "unknown_identifier",
            ErrorKind::TransitionRefused => "transition_refused",
        }
    }

    /// One line saying what the kind means (the documentation of every front end's mirror).
    pub const fn summary(self) -> &'static str {
        match self {
            ErrorKind::InvalidJson => "Not valid JSON, a value of the wrong type, or an unknown key",
            ErrorKind::MissingField => "A value the operation cannot proceed without is absent",
            ErrorKind::OutOfRange => "A value outside its accepted, plausible range; never clamped",
            ErrorKind::UnsupportedUnit => "A unit the field does not accept; the error lists the accepted units",
            ErrorKind::Inconsistent => "A well-formed value that contradicts another",
            ErrorKind::LimitExceeded => "Input larger or deeper than the documented limits",
            ErrorKind::UnknownIdentifier => "A regimen, drug or option id the knowledge base does not hold",
            ErrorKind::TransitionRefused => "A pathway event the state machine refuses in the current phase",
        }
    }

    /// The kind with this code, if any.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of this error: its row in the one code table, [`ErrorKind::ALL`].
    pub fn error_kind(&self) -> ErrorKind {
        match self {
            Error::InvalidJson { .. } => ErrorKind::InvalidJson,
            Error::MissingField { .. } => ErrorKind::MissingField,
            Error::OutOfRange { .. } => ErrorKind::OutOfRange,
            Error::UnsupportedUnit { .. } => ErrorKind::UnsupportedUnit,
            Error::Inconsistent { .. } => ErrorKind::Inconsistent,
            Error::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Error::UnknownIdentifier { .. } => ErrorKind::UnknownIdentifier,
            Error::TransitionRefused { .. } => ErrorKind::TransitionRefused,
        }
    }

    /// Stable numeric code of this error. The C API returns these values (`MP_STATUS_*`).
    pub fn code(&self) -> u32 {
        self.error_kind().code()
    }

    /// Short stable name of the error kind (`out_of_range`, ...), as used in JSON output.
    pub fn kind(&self) -> &'static str {
        self.error_kind().as_str()
    }

    /// The dotted path of the offending field, where the error concerns one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidJson { field, .. }
            | Error::MissingField { field, .. }
            | Error::OutOfRange { field, .. }
            | Error::UnsupportedUnit { field, .. }
            | Error::Inconsistent { field, .. }
            | Error::UnknownIdentifier { field, .. }
            | Error::TransitionRefused { field, .. } => Some(field),
            Error::LimitExceeded { .. } => None,
        }
    }

    /// The unit involved, for unit and range errors.
    pub fn unit(&self) -> Option<&str> {
        match self {
            Error::OutOfRange { unit, .. } | Error::UnsupportedUnit { unit, .. } => Some(unit),
            _ => None,
        }
    }

    /// The accepted range (or accepted units), for range and unit errors.
    pub fn accepted_range(&self) -> Option<&str> {
        match self {
            Error::OutOfRange { accepted_range, .. } => Some(accepted_range),
            Error::UnsupportedUnit { accepted, .. } => Some(accepted),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Inconsistent { field: field.into(), message: message.into() }
    }
}

impl Error {
    /// This error with every input value it echoes cut to a short, escaped prefix: values in the
    /// message (between backticks or double quotes, as serde writes them), the unit and the
    /// identifier to [`MAX_ECHO_CHARS`] characters, the field path to [`MAX_FIELD_CHARS`], and the
    /// whole message to [`MAX_MESSAGE_BYTES`]. Control characters and backticks are written as
    /// `\u{..}`.
    #[must_use]
    pub fn bounded(self) -> Self {
        let field = |f: String| echo_n(&f, MAX_FIELD_CHARS);
        match self {
            Error::InvalidJson { field: f, message } => {
                Error::InvalidJson { field: field(f), message: bound_message(&message) }
            }
            Error::MissingField { field: f, message } => {
                Error::MissingField { field: field(f), message: bound_message(&message) }
            }
            Error::Inconsistent { field: f, message } => {
                Error::Inconsistent { field: field(f), message: bound_message(&message) }
            }
            Error::OutOfRange { field: f, value, unit, accepted_range } => {
                Error::OutOfRange { field: field(f), value, unit: echo(&unit), accepted_range }
            }
            Error::UnsupportedUnit { field: f, unit, accepted } => {
                Error::UnsupportedUnit { field: field(f), unit: echo(&unit), accepted }
            }
            Error::UnknownIdentifier { field: f, kind, id } => {
                Error::UnknownIdentifier { field: field(f), kind, id: echo(&id) }
            }
            Error::TransitionRefused { field: f, refusal } => Error::TransitionRefused { field: field(f), refusal },
            e @ Error::LimitExceeded { .. } => e,
        }
    }
}

/// Most characters of an input value an error message echoes (a longer value is cut and marked
/// `…`).
pub const MAX_ECHO_CHARS: usize = 64;
/// Most characters of a field path in an error (paths are built from the input's keys).
pub const MAX_FIELD_CHARS: usize = 128;
/// Most bytes of an error's message text (before the closing `…` of a cut message).
pub const MAX_MESSAGE_BYTES: usize = 512;

/// A short, escaped prefix of an input value for an error message: at most [`MAX_ECHO_CHARS`]
/// characters, control characters and backticks as `\u{..}`, `…` appended when cut.
pub fn echo(value: &str) -> String {
    echo_n(value, MAX_ECHO_CHARS)
}

fn echo_n(value: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in value.chars() {
        let piece = if c.is_control() || c == '`' { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() };
        let len = piece.chars().count();
        if n + len > max {
            out.push('…');
            return out;
        }
        n += len;
        out.push_str(&piece);
    }
    out
}

/// Bound the values a message quotes (between backticks or double quotes) and the message.
fn bound_message(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(['`', '"']) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let delim = if from.starts_with('`') { '`' } else { '"' };
        let inner = from.get(1..).unwrap_or("");
        out.push(delim);
        match inner.split_once(delim) {
            Some((value, after)) => {
                out.push_str(&echo(value));
                out.push(delim);
                rest = after;
            }
            None => {
                out.push_str(&echo(inner));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if out.len() > MAX_MESSAGE_BYTES {
        let mut cut = MAX_MESSAGE_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A number as shown in messages: up to six decimals, trailing zeros trimmed.
pub(crate) fn fmt_num(v: f64) -> String {
    // "{:.6}" always has a digit before the point, so trimming never leaves an empty string.
    format!("{v:.6}").trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Refuse a value outside `lo..=hi` (or not finite), naming the field, the unit and the range.
///
/// # Errors
/// [`Error::OutOfRange`].
pub fn check_range(field: &str, value: f64, unit: &str, lo: f64, hi: f64) -> Result<f64> {
    if !value.is_finite() || value < lo || value > hi {
        return Err(Error::OutOfRange {
            field: field.to_string(),
            value,
            unit: unit.to_string(),
            accepted_range: format!("{}..={} {}", fmt_num(lo), fmt_num(hi), unit),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_code_table_has_one_row_per_kind_with_unique_codes_and_names() {
        let mut codes: Vec<u32> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        let mut names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(codes.len(), ErrorKind::ALL.len(), "codes are in order and never shared");
        assert_eq!(names.len(), ErrorKind::ALL.len());
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_code(k.code()), Some(k));
            assert!(!k.summary().is_empty() && !k.summary().ends_with('.'));
        }
        assert_eq!(ErrorKind::from_code(99), None);
    }

    #[test]
    fn an_errors_kind_is_its_serialised_error_kind() {
        let s = String::new;
        let samples = [
            Error::InvalidJson { field: s(), message: s() },
            Error::MissingField { field: s(), message: s() },
            Error::OutOfRange { field: s(), value: 0.0, unit: s(), accepted_range: s() },
            Error::UnsupportedUnit { field: s(), unit: s(), accepted: s() },
            Error::Inconsistent { field: s(), message: s() },
            Error::LimitExceeded { what: s(), limit: 0, actual: 0 },
            Error::UnknownIdentifier { field: s(), kind: s(), id: s() },
            Error::TransitionRefused { field: s(), refusal: Refusal::UnknownRegimen { regimen: s() } },
        ];
        let kinds: Vec<ErrorKind> = samples.iter().map(Error::error_kind).collect();
        assert_eq!(kinds, ErrorKind::ALL.to_vec(), "one sample per kind, in table order");
        for e in &samples {
            let v = serde_json::to_value(e).unwrap();
            assert_eq!(v["error_kind"], e.kind());
        }
    }
}
