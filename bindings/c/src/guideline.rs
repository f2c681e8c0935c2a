//! `mp_guideline`: the guideline profile (ranking profile, risk definition, jurisdiction...).

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use mp_core::api;
use mp_core::Guideline;

use crate::boundary::{arg_ref, cstring, ffi, ffi_status, free_handle, into_handle, Out, Text};
use crate::status::{mp_status, MP_MAX_JSON_BYTES};

/// A guideline profile: which ranking, which definition of high-risk cytogenetics, which
/// jurisdiction's labels. Immutable once made, so it may be shared between threads freely.
///
/// Create with `mp_guideline_new` (the default) or `mp_guideline_from_json`; free with
/// `mp_guideline_free`.
pub struct mp_guideline {
    guideline: Guideline,
    json: OnceLock<CString>,
}

impl mp_guideline {
    pub(crate) fn core(&self) -> &Guideline {
        &self.guideline
    }
}

/// The guideline a NULL `mp_guideline` argument stands for.
pub(crate) fn default_guideline() -> &'static Guideline {
    static DEFAULT: OnceLock<Guideline> = OnceLock::new();
    DEFAULT.get_or_init(Guideline::default)
}

fn make(guideline: Guideline, out: Out<*mut mp_guideline>) {
    // SAFETY: `out` was checked non-NULL by `Out::new`; the caller guarantees it is writable.
    unsafe { out.write(into_handle(mp_guideline { guideline, json: OnceLock::new() })) }
}

/// The default guideline (the core's default profile).
///
/// On `MP_STATUS_OK`, `*guideline_out` is a new guideline owned by the caller (free with
/// `mp_guideline_free`); on error it is not written.
///
/// # Safety
/// `guideline_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_guideline_new(guideline_out: *mut *mut mp_guideline) -> mp_status {
    ffi_status(|| {
        let out = Out::new(guideline_out, "guideline_out")?;
        make(Guideline::default(), out);
        Ok(())
    })
}

fn from_json(json: Text, guideline_out: *mut *mut mp_guideline) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract on `json` (forwarded by the exports).
        let json = unsafe { json.read("json", MP_MAX_JSON_BYTES) }?;
        let out = Out::new(guideline_out, "guideline_out")?;
        make(api::guideline_from(Some(json))?, out);
        Ok(())
    })
}

/// A guideline from JSON (`docs/guideline.md`; strict: unknown and duplicate keys refused,
/// each setting checked by the core's `Guideline::with_*`). An empty or all-blank string gives
/// the default guideline, exactly as the Rust and Python front ends do.
///
/// `json` is only read during the call. On `MP_STATUS_OK`, `*guideline_out` is a new guideline
/// owned by the caller; on error it is not written.
///
/// # Safety
/// `json` is NULL or NUL-terminated; `guideline_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_guideline_from_json(
    json: *const c_char,
    guideline_out: *mut *mut mp_guideline,
) -> mp_status {
    from_json(Text::Nul(json), guideline_out)
}

/// As `mp_guideline_from_json`, with the JSON given as `len` bytes (no terminating NUL needed;
/// never read past `len`).
///
/// # Safety
/// `json` is NULL or points to `len` readable bytes; `guideline_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_guideline_from_json_len(
    json: *const c_char,
    len: usize,
    guideline_out: *mut *mut mp_guideline,
) -> mp_status {
    from_json(Text::Len(json, len), guideline_out)
}

/// The guideline as JSON, every setting explicit.
///
/// On `MP_STATUS_OK`, `*json_out` points to a string owned by the guideline: do not free it;
/// valid until the guideline is freed.
///
/// # Safety
/// `guideline` is NULL or live; `json_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_guideline_json(guideline: *const mp_guideline, json_out: *mut *const c_char) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let g = unsafe { arg_ref(guideline, "guideline") }?;
        let out = Out::new(json_out, "json_out")?;
        let s = g.json.get_or_init(|| cstring(serde_json::to_string(&g.guideline).unwrap_or_default()));
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(s.as_ptr()) };
        Ok(())
    })
}

/// Free a guideline. NULL is accepted and ignored. Plans made with it stay valid (they keep
/// their own copy).
///
/// # Safety
/// `guideline` is NULL or a guideline from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn mp_guideline_free(guideline: *mut mp_guideline) {
    // SAFETY: the caller's contract.
    ffi(|| unsafe { free_handle(guideline) })
}
