//! Status codes: `MP_STATUS_OK`, the core's error codes, and the boundary's own.

use std::ffi::c_char;

use mp_core::Error;

use crate::boundary::ffi;

/// Status returned by every fallible function of the API.
///
/// `MP_STATUS_OK` (0) is success. Codes 10–99 are the core library's stable error codes (the
/// `code` of the error JSON): they concern the clinical input and name the field, unit and
/// accepted range in the message. Codes 100 and above are raised by the C boundary itself.
/// After any status other than `MP_STATUS_OK`, `mp_last_error()` and `mp_last_error_json()`
/// describe the error. Values are stable: a code is never reused with another meaning; new
/// codes may be added, so treat an unknown non-zero value as an error.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_status {
    /// Success; the outputs have been written.
    Ok = 0,
    /// The text is not valid JSON, a value has the wrong JSON type, or a key is unknown.
    InvalidJson = 10,
    /// A required value is absent where the operation cannot proceed without it.
    MissingField = 11,
    /// A value is outside the accepted, physiologically plausible range (refused, never clamped).
    OutOfRange = 12,
    /// A unit that the field does not accept.
    UnsupportedUnit = 13,
    /// A value that is well-formed but inconsistent with another value.
    Inconsistent = 14,
    /// Input larger, deeper or longer than the core's documented limits.
    LimitExceeded = 15,
    /// An identifier (regimen, drug, abnormality) that the knowledge base does not contain.
    UnknownIdentifier = 16,
    /// A pathway event that the state machine refuses in the current phase.
    TransitionRefused = 20,
    /// The core reported an error whose code this version of the C API does not know.
    OtherCoreError = 99,
    /// A required pointer argument was NULL.
    NullArgument = 100,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 101,
    /// A string argument is longer than its limit (`MP_MAX_JSON_BYTES` for JSON,
    /// `MP_MAX_NAME_BYTES` for units and identifiers), or has no terminating NUL within it.
    TooLarge = 102,
    /// An index argument is not below the matching count.
    IndexOutOfRange = 103,
    /// An enumeration argument (sex, finding status, assessment kind) has no defined meaning.
    InvalidArgument = 104,
    /// A Rust panic was caught at the boundary: a bug in the library, never in the input.
    /// The handles passed to the call are unchanged and may still be freed.
    Panic = 255,
}

impl mp_status {
    /// The status for a core error, by its stable code.
    pub(crate) fn from_core(e: &Error) -> Self {
        Self::from_code(e.code())
    }

    /// The status for a core error code (`ErrorKind::code`).
    pub(crate) fn from_code(code: u32) -> Self {
        match code {
            10 => Self::InvalidJson,
            11 => Self::MissingField,
            12 => Self::OutOfRange,
            13 => Self::UnsupportedUnit,
            14 => Self::Inconsistent,
            15 => Self::LimitExceeded,
            16 => Self::UnknownIdentifier,
            20 => Self::TransitionRefused,
            _ => Self::OtherCoreError,
        }
    }

    /// The constant's name, NUL-terminated.
    fn name(code: u32) -> &'static str {
        match code {
            0 => "MP_STATUS_OK\0",
            10 => "MP_STATUS_INVALID_JSON\0",
            11 => "MP_STATUS_MISSING_FIELD\0",
            12 => "MP_STATUS_OUT_OF_RANGE\0",
            13 => "MP_STATUS_UNSUPPORTED_UNIT\0",
            14 => "MP_STATUS_INCONSISTENT\0",
            15 => "MP_STATUS_LIMIT_EXCEEDED\0",
            16 => "MP_STATUS_UNKNOWN_IDENTIFIER\0",
            20 => "MP_STATUS_TRANSITION_REFUSED\0",
            99 => "MP_STATUS_OTHER_CORE_ERROR\0",
            100 => "MP_STATUS_NULL_ARGUMENT\0",
            101 => "MP_STATUS_INVALID_UTF8\0",
            102 => "MP_STATUS_TOO_LARGE\0",
            103 => "MP_STATUS_INDEX_OUT_OF_RANGE\0",
            104 => "MP_STATUS_INVALID_ARGUMENT\0",
            255 => "MP_STATUS_PANIC\0",
            _ => "MP_STATUS_UNKNOWN\0",
        }
    }
}

/// Largest JSON document accepted (bytes, excluding the terminating NUL): the core's limit.
/// A longer string, or one without a NUL within this many bytes, gives `MP_STATUS_TOO_LARGE`.
pub const MP_MAX_JSON_BYTES: usize = 1048576;

/// Longest error text the library gives (`mp_last_error`, the `message` of `mp_last_error_json`,
/// the log callback), in bytes excluding the NUL. Input values are echoed only as a short
/// escaped prefix (at most 32 characters).
pub const MP_MAX_ERROR_BYTES: usize = 512;

/// Largest unit or identifier string accepted (bytes, excluding the terminating NUL).
pub const MP_MAX_NAME_BYTES: usize = 256;

/// The name of a status code, e.g. `"MP_STATUS_OUT_OF_RANGE"`; `"MP_STATUS_UNKNOWN"` for a
/// value this version does not define.
///
/// The string is static: never free it. Never returns NULL.
#[no_mangle]
pub extern "C" fn mp_status_name(status: u32) -> *const c_char {
    ffi(|| mp_status::name(status).as_ptr().cast())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_json_limit_is_the_cores() {
        assert_eq!(MP_MAX_JSON_BYTES, mp_core::json::MAX_JSON_BYTES);
    }

    #[test]
    fn every_core_error_kind_has_its_own_status_with_the_same_code_and_name() {
        // The core's one code table (ErrorKind::ALL): a kind the core adds fails here until
        // mp_status has a constant for it (OtherCoreError is only for a newer core).
        for k in mp_core::ErrorKind::ALL {
            let s = mp_status::from_code(k.code());
            assert_ne!(s, mp_status::OtherCoreError, "{k}");
            assert_eq!(s as u32, k.code(), "{k}");
            let want = format!("MP_STATUS_{}\0", k.as_str().to_ascii_uppercase());
            assert_eq!(mp_status::name(k.code()), want, "{k}");
        }
        let e = Error::OutOfRange { field: "f".into(), value: 1.0, unit: "u".into(), accepted_range: "r".into() };
        assert_eq!(mp_status::from_core(&e), mp_status::OutOfRange);
    }

    #[test]
    fn every_status_has_a_name_that_ends_in_nul() {
        for code in [0, 10, 11, 12, 13, 14, 15, 16, 20, 99, 100, 101, 102, 103, 104, 255, 7] {
            let n = mp_status::name(code);
            assert!(n.ends_with('\0') && n.starts_with("MP_STATUS_"));
        }
    }
}
