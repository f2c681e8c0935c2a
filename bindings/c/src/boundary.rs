//! The panic boundary, the thread-local last error, and argument checks.
//!
//! Every `extern "C"` function's body runs inside [`ffi`]: the one place where a Rust panic is
//! caught (`catch_unwind`) and turned into `MP_STATUS_PANIC` (or a harmless default for the few
//! functions that return no status). Fallible functions go through [`ffi_status`], which also
//! clears and sets the thread's last error.

use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use mp_core::api;
use mp_core::Error;

use crate::status::mp_status;

/// An error on its way to C: either the core's (with its field, unit and range) or the
/// boundary's own (NULL, UTF-8, length, index, enumeration, panic).
#[derive(Debug)]
pub(crate) enum FfiError {
    /// An error of the core library, passed through unchanged.
    Core(Error),
    /// An error of the C boundary.
    Boundary {
        /// Its status code.
        status: mp_status,
        /// Short stable name, as in the error JSON (`null_argument`, ...).
        kind: &'static str,
        /// The argument concerned.
        field: Option<&'static str>,
        /// What went wrong.
        message: String,
    },
}

impl From<Error> for FfiError {
    fn from(e: Error) -> Self {
        FfiError::Core(e)
    }
}

impl FfiError {
    pub(crate) fn boundary(
        status: mp_status,
        kind: &'static str,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        FfiError::Boundary { status, kind, field: Some(field), message: message.into() }
    }

    pub(crate) fn null(arg: &'static str) -> Self {
        Self::boundary(
            mp_status::NullArgument,
            "null_argument",
            arg,
            format!("{arg}: NULL pointer where a value is required"),
        )
    }

    pub(crate) fn invalid_argument(arg: &'static str, value: u32, accepted: &str) -> Self {
        Self::boundary(
            mp_status::InvalidArgument,
            "invalid_argument",
            arg,
            format!("{arg}: {value} is not one of {accepted}"),
        )
    }

    pub(crate) fn index(arg: &'static str, index: usize, count: usize) -> Self {
        Self::boundary(
            mp_status::IndexOutOfRange,
            "index_out_of_range",
            arg,
            format!("{arg}: index {index} is not below the count {count}"),
        )
    }

    fn status(&self) -> mp_status {
        match self {
            FfiError::Core(e) => mp_status::from_core(e),
            FfiError::Boundary { status, .. } => *status,
        }
    }

    fn message(&self) -> String {
        match self {
            FfiError::Core(e) => e.to_string(),
            FfiError::Boundary { message, .. } => message.clone(),
        }
    }

    /// The same shape as the core's `api::error_json`, so callers parse one format.
    fn json(&self) -> String {
        match self {
            FfiError::Core(e) => api::error_json(e),
            FfiError::Boundary { status, kind, field, message } => serde_json::json!({
                "error": {
                    "kind": kind,
                    "code": *status as u32,
                    "field": field,
                    "unit": null,
                    "accepted_range": null,
                    "message": message,
                }
            })
            .to_string(),
        }
    }
}

/// A C string from Rust text. A NUL inside the text (possible only if the caller put `\u0000`
/// into a JSON string) is shown as U+FFFD so that C never sees a truncated string.
pub(crate) fn cstring(s: impl Into<String>) -> CString {
    let s: String = s.into();
    let s = if s.contains('\0') { s.replace('\0', "\u{FFFD}") } else { s };
    CString::new(s).unwrap_or_default()
}

struct LastError {
    message: CString,
    json: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn set_last_error(e: Option<&FfiError>) {
    let value = e.map(|e| LastError { message: cstring(e.message()), json: cstring(e.json()) });
    // `try_with`: during thread teardown there is nowhere to keep the message; the status
    // code still reaches the caller.
    let _ = LAST_ERROR.try_with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            *slot = value;
        }
    });
}

fn last_error_ptr(pick: fn(&LastError) -> *const c_char) -> *const c_char {
    LAST_ERROR
        .try_with(|cell| cell.try_borrow().ok().and_then(|slot| slot.as_ref().map(pick)))
        .ok()
        .flatten()
        .unwrap_or(EMPTY.as_ptr().cast())
}

/// The empty C string returned where there is nothing to say.
pub(crate) const EMPTY: &[u8; 1] = b"\0";

/// What a function without a status returns when a panic was caught.
pub(crate) trait OnPanic {
    /// The value.
    fn on_panic() -> Self;
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

impl OnPanic for *const c_char {
    fn on_panic() -> Self {
        EMPTY.as_ptr().cast()
    }
}

impl OnPanic for mp_status {
    fn on_panic() -> Self {
        mp_status::Panic
    }
}

/// The panic boundary. Every export's body runs inside it.
pub(crate) fn ffi<T: OnPanic>(body: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: after a panic no handle is left half-updated, because every mutation
    // is built on a copy and committed by a single assignment at the end of the call.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_last_error(Some(&FfiError::Boundary {
                status: mp_status::Panic,
                kind: "panic",
                field: None,
                message: format!("internal error (a bug, not your input): {what}"),
            }));
            T::on_panic()
        }
    }
}

/// The boundary for fallible functions: clears the last error, runs `body`, maps its error to a
/// status and records the message.
pub(crate) fn ffi_status(body: impl FnOnce() -> Result<(), FfiError>) -> mp_status {
    ffi(|| {
        set_last_error(None);
        match body() {
            Ok(()) => mp_status::Ok,
            Err(e) => {
                set_last_error(Some(&e));
                e.status()
            }
        }
    })
}

/// A shared reference from a pointer argument, or `MP_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `p` is NULL or points to a live `T` that nobody mutates for `'a`.
pub(crate) unsafe fn arg_ref<'a, T>(p: *const T, name: &'static str) -> Result<&'a T, FfiError> {
    // SAFETY: the caller's contract: NULL (checked by `as_ref`) or valid for 'a.
    unsafe { p.as_ref() }.ok_or_else(|| FfiError::null(name))
}

/// An exclusive reference from a pointer argument, or `MP_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `p` is NULL or points to a live `T` that nothing else reads or writes for `'a`.
pub(crate) unsafe fn arg_mut<'a, T>(p: *mut T, name: &'static str) -> Result<&'a mut T, FfiError> {
    // SAFETY: the caller's contract: NULL (checked by `as_mut`) or valid and unaliased for 'a.
    unsafe { p.as_mut() }.ok_or_else(|| FfiError::null(name))
}

/// A NUL-terminated UTF-8 string argument of at most `limit` bytes.
///
/// The terminator is searched for within `limit + 1` bytes only, so an over-long string is
/// refused (`MP_STATUS_TOO_LARGE`) without reading it whole.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string (or at least `limit + 1` readable bytes)
/// that stays unchanged for `'a`.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &'static str, limit: usize) -> Result<&'a str, FfiError> {
    if p.is_null() {
        return Err(FfiError::null(name));
    }
    let bytes = p.cast::<u8>();
    let mut len = 0usize;
    loop {
        if len > limit {
            return Err(FfiError::boundary(
                mp_status::TooLarge,
                "too_large",
                name,
                format!("{name}: longer than the limit of {limit} bytes (or not NUL-terminated)"),
            ));
        }
        // SAFETY: bytes 0..len were readable and non-NUL, and the caller guarantees the string
        // continues to its NUL (or to limit + 1 bytes), so byte `len` is readable.
        if unsafe { *bytes.add(len) } == 0 {
            break;
        }
        len += 1;
    }
    // SAFETY: the `len` bytes before the NUL were just read; they stay unchanged for 'a.
    let slice = unsafe { std::slice::from_raw_parts(bytes, len) };
    std::str::from_utf8(slice).map_err(|e| {
        FfiError::boundary(
            mp_status::InvalidUtf8,
            "invalid_utf8",
            name,
            format!("{name}: not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })
}

/// An output pointer, checked for NULL before any work, written only on success.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Check the out-parameter.
    pub(crate) fn new(p: *mut T, name: &'static str) -> Result<Self, FfiError> {
        NonNull::new(p).map(Out).ok_or_else(|| FfiError::null(name))
    }

    /// Write the result.
    ///
    /// # Safety
    /// The pointer given to [`Out::new`] is valid for a write of `T` (it may be uninitialised).
    pub(crate) unsafe fn write(self, v: T) {
        // SAFETY: non-NULL (checked in `new`) and writable per the caller's contract; `write`
        // does not read or drop the old, possibly uninitialised, value.
        unsafe { self.0.as_ptr().write(v) }
    }
}

/// Move a value to the heap and hand C the pointer: the caller owns it until the matching
/// `mp_*_free`.
pub(crate) fn into_handle<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Drop a handle made by [`into_handle`]; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from [`into_handle`] for the same `T` and has not been freed.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: per the contract, `p` is the unique owner made by Box::into_raw.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// The message of the last error on this thread, or `""` if the last fallible call on this
/// thread succeeded (or none was made).
///
/// The string belongs to the library: do not free it. It stays valid until the next call on
/// the same thread to a function that returns an `mp_status`. Never returns NULL.
#[no_mangle]
pub extern "C" fn mp_last_error() -> *const c_char {
    ffi(|| last_error_ptr(|e| e.message.as_ptr()))
}

/// The last error on this thread as JSON, in the same shape as the Rust and Python error JSON:
/// `{"error":{"kind","code","field","unit","accepted_range","message"}}` (for core errors it
/// is byte-for-byte the core's `api::error_json`); `""` if the last fallible call succeeded.
///
/// Ownership and lifetime as for `mp_last_error()`. Never returns NULL.
#[no_mangle]
pub extern "C" fn mp_last_error_json() -> *const c_char {
    ffi(|| last_error_ptr(|e| e.json.as_ptr()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use std::ffi::CStr;

    fn last() -> String {
        // SAFETY: mp_last_error never returns NULL and the string lives until the next call.
        unsafe { CStr::from_ptr(mp_last_error()) }.to_str().unwrap().to_string()
    }

    #[test]
    fn a_panic_inside_an_export_becomes_mp_status_panic() {
        let status = ffi_status(|| panic!("boom"));
        assert_eq!(status, mp_status::Panic);
        assert!(last().contains("boom"), "{}", last());
        let p: *const c_char = ffi(|| panic!("again"));
        assert!(!p.is_null());
    }

    #[test]
    fn a_success_clears_the_last_error() {
        let _ = ffi_status(|| Err(FfiError::null("x")));
        assert!(last().contains("NULL"));
        assert_eq!(ffi_status(|| Ok(())), mp_status::Ok);
        assert_eq!(last(), "");
    }

    #[test]
    fn strings_are_checked_for_length_and_utf8() {
        let ok = b"mg/dL\0";
        // SAFETY: NUL-terminated literals.
        unsafe {
            assert_eq!(arg_str(ok.as_ptr().cast(), "unit", 5).unwrap(), "mg/dL");
            assert!(matches!(
                arg_str(ok.as_ptr().cast(), "unit", 4),
                Err(FfiError::Boundary { status: mp_status::TooLarge, .. })
            ));
            let bad = b"\xff\xfe\0";
            assert!(matches!(
                arg_str(bad.as_ptr().cast(), "unit", 10),
                Err(FfiError::Boundary { status: mp_status::InvalidUtf8, .. })
            ));
            assert!(matches!(
                arg_str(std::ptr::null(), "unit", 10),
                Err(FfiError::Boundary { status: mp_status::NullArgument, .. })
            ));
        }
    }

    #[test]
    fn interior_nul_is_replaced_not_truncated() {
        assert_eq!(cstring("a\0b").to_str().unwrap(), "a\u{FFFD}b");
    }
}
