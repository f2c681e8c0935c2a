//! The panic boundary, the thread-local last error, and argument checks.
//!
//! Every `extern "C"` function's body runs inside [`ffi`]: the one place where a Rust panic is
//! caught (`catch_unwind`) and turned into `MP_STATUS_PANIC` (or a harmless default for the few
//! functions that return no status). Fallible functions go through [`ffi_status`], which also
//! clears and sets the thread's last error.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::{Mutex, Once};

use mp_core::Error;

use crate::status::{mp_status, MP_MAX_ERROR_BYTES};

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

    /// The message, bounded ([`bounded`]): a core message that quotes a 1 MB input value is
    /// cut to `MP_MAX_ERROR_BYTES`.
    fn message(&self) -> String {
        match self {
            FfiError::Core(e) => bounded(&e.to_string()),
            FfiError::Boundary { message, .. } => bounded(message),
        }
    }

    /// The message before bounding.
    fn raw_message(&self) -> String {
        match self {
            FfiError::Core(e) => e.to_string(),
            FfiError::Boundary { message, .. } => message.clone(),
        }
    }

    /// The same shape (and, for text within the bound, the same bytes) as the core's
    /// `api::error_json`, so callers parse one format; every string in it cut to the bound
    /// (control characters are left to JSON's own escaping, `\u0000`, as the core does).
    fn json(&self) -> String {
        let (kind, code, field, unit, range) = match self {
            FfiError::Core(e) => (
                e.kind().to_string(),
                e.code(),
                e.field().map(truncated),
                e.unit().map(truncated),
                e.accepted_range().map(truncated),
            ),
            FfiError::Boundary { status, kind, field, .. } => {
                ((*kind).to_string(), *status as u32, field.map(truncated), None, None)
            }
        };
        serde_json::json!({
            "error": {
                "kind": kind,
                "code": code,
                "field": field,
                "unit": unit,
                "accepted_range": range,
                "message": truncated(&self.raw_message()),
            }
        })
        .to_string()
    }
}

/// At most `MP_MAX_ERROR_BYTES` bytes, cut on a character boundary and marked `…`.
pub(crate) fn truncated(s: &str) -> String {
    if s.len() <= MP_MAX_ERROR_BYTES {
        return s.to_string();
    }
    let mut end = MP_MAX_ERROR_BYTES - '…'.len_utf8();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s.get(..end).unwrap_or_default().to_string();
    out.push('…');
    out
}

/// Error text as the host receives it: control characters escaped (`\n`, `\u{1b}`) and at most
/// `MP_MAX_ERROR_BYTES` bytes, cut on a character boundary and marked `…`. Text within the
/// bound and without control characters is returned unchanged (the same bytes as Rust and
/// the CLI give).
pub(crate) fn bounded(s: &str) -> String {
    let clean = !s.chars().any(char::is_control);
    if clean && s.len() <= MP_MAX_ERROR_BYTES {
        return s.to_string();
    }
    let mut out = String::with_capacity(MP_MAX_ERROR_BYTES);
    for c in s.chars() {
        let piece: String = if c.is_control() { c.escape_default().collect() } else { c.to_string() };
        // Room for the marker (3 bytes).
        if out.len() + piece.len() > MP_MAX_ERROR_BYTES - 3 {
            out.push('…');
            return out;
        }
        out.push_str(&piece);
    }
    out
}

/// A short escaped prefix of an input value for an error message: at most 32 characters,
/// control characters and quotes escaped, `…` when cut. Error text never echoes more.
pub(crate) fn echo(s: &str) -> String {
    const MAX_CHARS: usize = 32;
    let mut out: String = s.chars().take(MAX_CHARS).flat_map(char::escape_debug).collect();
    if s.chars().nth(MAX_CHARS).is_some() {
        out.push('…');
    }
    out
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

/// The host's log callback (`mp_set_log_callback`): the function and its user data.
pub type mp_log_callback = Option<unsafe extern "C" fn(level: u32, message: *const c_char, user_data: *mut c_void)>;

/// Severity passed to the log callback. Values are stable.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_log_level {
    /// A Rust panic caught at the boundary (a bug in the library); the call returned
    /// `MP_STATUS_PANIC`.
    Error = 1,
}

struct LogSink {
    callback: unsafe extern "C" fn(u32, *const c_char, *mut c_void),
    user_data: usize,
}

static LOG: Mutex<Option<LogSink>> = Mutex::new(None);

/// Send one line to the host's callback, if it installed one; otherwise say nothing.
pub(crate) fn log(level: mp_log_level, message: &str) {
    let Ok(sink) = LOG.lock() else { return };
    if let Some(sink) = sink.as_ref() {
        let text = cstring(bounded(message));
        // SAFETY: the host registered this function for exactly this signature and promised
        // (docs/c-api.md) that it may be called from any thread and does not unwind; the string
        // lives for the call.
        unsafe { (sink.callback)(level as u32, text.as_ptr(), sink.user_data as *mut c_void) }
    }
}

thread_local! {
    /// How many library calls this thread is inside (exports may call exports).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Install, once per process, a panic hook that keeps the library's panics off the host's
/// stderr (sent to the log callback instead, if any) and passes every other panic, raised
/// outside a library call, to the hook that was there before.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if DEPTH.try_with(Cell::get).unwrap_or(0) > 0 {
                let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                log(
                    mp_log_level::Error,
                    &format!("myeloma_pathway: internal error{at}: {}", payload_text(info.payload())),
                );
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Install (or, with NULL, remove) the host's log callback. The library logs only panics it
/// caught (bugs, never input errors: those are in `mp_last_error`), at `MP_LOG_LEVEL_ERROR`.
/// Without a callback (the default) the library writes nothing to stdout or stderr.
///
/// The callback may be called from any thread that calls into the library, during that call;
/// it must not call back into the library and must not unwind (C++: catch everything). The
/// message is only valid during the callback. `user_data` is passed back unchanged.
///
/// # Safety
/// `callback` is NULL or a function that stays callable until it is replaced.
#[no_mangle]
pub unsafe extern "C" fn mp_set_log_callback(callback: mp_log_callback, user_data: *mut c_void) {
    ffi(|| {
        if let Ok(mut slot) = LOG.lock() {
            *slot = callback.map(|callback| LogSink { callback, user_data: user_data as usize });
        }
    })
}

/// The panic boundary. Every export's body runs inside it.
pub(crate) fn ffi<T: OnPanic>(body: impl FnOnce() -> T) -> T {
    install_panic_hook();
    let _ = DEPTH.try_with(|d| d.set(d.get().saturating_add(1)));
    // AssertUnwindSafe: after a panic no handle is left half-updated, because every mutation
    // is built on a copy and committed by a single assignment at the end of the call.
    let result = catch_unwind(AssertUnwindSafe(body));
    let _ = DEPTH.try_with(|d| d.set(d.get().saturating_sub(1)));
    match result {
        Ok(v) => v,
        Err(payload) => {
            let what = payload_text(payload.as_ref());
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

/// A string argument as C gives it: NUL-terminated, or pointer + length (the `_len` entry
/// points, no terminator needed, never read past `len`).
#[derive(Clone, Copy)]
pub(crate) enum Text {
    /// NUL-terminated.
    Nul(*const c_char),
    /// `len` bytes at the pointer.
    Len(*const c_char, usize),
}

impl Text {
    /// The UTF-8 text, at most `limit` bytes.
    ///
    /// # Safety
    /// `Nul`: as [`arg_str`]. `Len(p, n)`: `p` is NULL or `n` readable bytes unchanged for `'a`.
    pub(crate) unsafe fn read<'a>(self, name: &'static str, limit: usize) -> Result<&'a str, FfiError> {
        match self {
            // SAFETY: forwarded contract.
            Text::Nul(p) => unsafe { arg_str(p, name, limit) },
            // SAFETY: forwarded contract.
            Text::Len(p, n) => unsafe { arg_str_len(p, n, name, limit) },
        }
    }

    /// NULL (either form) stands for "absent".
    pub(crate) fn is_null(self) -> bool {
        match self {
            Text::Nul(p) | Text::Len(p, _) => p.is_null(),
        }
    }
}

/// A pointer + length UTF-8 string argument of at most `limit` bytes; an embedded NUL is refused.
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn arg_str_len<'a>(
    p: *const c_char,
    len: usize,
    name: &'static str,
    limit: usize,
) -> Result<&'a str, FfiError> {
    if p.is_null() {
        return Err(FfiError::null(name));
    }
    if len > limit {
        return Err(FfiError::boundary(
            mp_status::TooLarge,
            "too_large",
            name,
            format!("{name}: {len} bytes is longer than the limit of {limit} bytes"),
        ));
    }
    // SAFETY: the caller's contract: `len` readable bytes, unchanged for 'a.
    let slice = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    if let Some(at) = slice.iter().position(|b| *b == 0) {
        return Err(FfiError::boundary(
            mp_status::InvalidUtf8,
            "invalid_utf8",
            name,
            format!("{name}: contains a NUL byte (at byte {at})"),
        ));
    }
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
    use mp_core::api;
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
    fn a_caught_panic_goes_to_the_log_callback_and_nowhere_else() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        unsafe extern "C" fn sink(level: u32, message: *const c_char, user: *mut c_void) {
            // SAFETY: the library passes a NUL-terminated message valid for the call.
            let m = unsafe { CStr::from_ptr(message) }.to_string_lossy();
            assert_eq!(level, mp_log_level::Error as u32);
            assert!(m.contains("logged-boom") && m.len() <= MP_MAX_ERROR_BYTES, "{m}");
            assert_eq!(user as usize, 42);
            CALLS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: `sink` stays callable for the whole test binary.
        unsafe { mp_set_log_callback(Some(sink), 42 as *mut c_void) };
        let status = ffi_status(|| panic!("logged-boom {}", "x".repeat(2000)));
        // SAFETY: as above (NULL removes the callback).
        unsafe { mp_set_log_callback(None, std::ptr::null_mut()) };
        assert_eq!(status, mp_status::Panic);
        assert!(CALLS.load(Ordering::SeqCst) >= 1);
        assert!(last().len() <= MP_MAX_ERROR_BYTES);
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
    fn error_text_is_bounded_and_escaped() {
        let long = "x".repeat(1 << 20);
        let b = bounded(&long);
        assert!(b.len() <= MP_MAX_ERROR_BYTES && b.ends_with('…'), "{}", b.len());
        assert_eq!(bounded("age_years: 121 years"), "age_years: 121 years");
        assert_eq!(bounded("a\nb"), "a\\nb");
        let e = FfiError::Core(Error::UnknownIdentifier { field: "f".into(), kind: "k".into(), id: long.clone() });
        assert!(e.message().len() <= MP_MAX_ERROR_BYTES);
        assert!(e.json().len() <= 3 * MP_MAX_ERROR_BYTES, "{}", e.json().len());
        assert!(truncated(&"é".repeat(600)).len() <= MP_MAX_ERROR_BYTES);
        assert_eq!(echo(&"y".repeat(40)), format!("{}…", "y".repeat(32)));
        assert_eq!(echo("a\"b\n"), "a\\\"b\\n");
    }

    #[test]
    fn a_core_error_within_the_bound_has_the_cores_json_bytes() {
        let e = Error::OutOfRange {
            field: "age_years".into(),
            value: 121.0,
            unit: "years".into(),
            accepted_range: "18..=120 years".into(),
        };
        assert_eq!(FfiError::Core(e.clone()).json(), api::error_json(&e));
        let nul = Error::UnsupportedUnit {
            field: "labs.creatinine.unit".into(),
            unit: "mg\0dL".into(),
            accepted: "mg/dL".into(),
        };
        assert_eq!(FfiError::Core(nul.clone()).json(), api::error_json(&nul));
        assert!(!FfiError::Core(nul).message().contains('\0'));
    }

    #[test]
    fn length_delimited_strings_are_never_read_past_their_length() {
        let buf = b"mg/dLXXXX";
        // SAFETY: 9 readable bytes.
        unsafe {
            assert_eq!(arg_str_len(buf.as_ptr().cast(), 5, "unit", 256).unwrap(), "mg/dL");
            assert!(matches!(
                arg_str_len(buf.as_ptr().cast(), 9, "unit", 4),
                Err(FfiError::Boundary { status: mp_status::TooLarge, .. })
            ));
            assert!(matches!(
                arg_str_len(b"a\0b".as_ptr().cast(), 3, "unit", 4),
                Err(FfiError::Boundary { status: mp_status::InvalidUtf8, .. })
            ));
            assert_eq!(arg_str_len(buf.as_ptr().cast(), 0, "unit", 4).unwrap(), "");
        }
    }

    #[test]
    fn interior_nul_is_replaced_not_truncated() {
        assert_eq!(cstring("a\0b").to_str().unwrap(), "a\u{FFFD}b");
    }
}
