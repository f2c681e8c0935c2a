//! The one error type of the library.
//!
//! Every variant has a stable numeric [`Error::code`] that the Python exception hierarchy and the C
//! status codes are derived from. Codes are never reused; new variants get new numbers.

use serde::Serialize;

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

impl Error {
    /// Stable numeric code of this error. The C API returns these values (`MP_STATUS_*`).
    pub fn code(&self) -> u32 {
        match self {
            Error::InvalidJson { .. } => 10,
            Error::MissingField { .. } => 11,
            Error::OutOfRange { .. } => 12,
            Error::UnsupportedUnit { .. } => 13,
            Error::Inconsistent { .. } => 14,
            Error::LimitExceeded { .. } => 15,
            Error::UnknownIdentifier { .. } => 16,
            Error::TransitionRefused { .. } => 20,
        }
    }

    /// Short stable name of the error kind (`out_of_range`, ...), as used in JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidJson { .. } => "invalid_json",
            Error::MissingField { .. } => "missing_field",
            Error::OutOfRange { .. } => "out_of_range",
            Error::UnsupportedUnit { .. } => "unsupported_unit",
            Error::Inconsistent { .. } => "inconsistent",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::UnknownIdentifier { .. } => "unknown_identifier",
            Error::TransitionRefused { .. } => "transition_refused",
        }
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
