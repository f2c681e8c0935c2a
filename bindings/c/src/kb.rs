//! `mp_kb`: a knowledge base loaded from JSON (a centre's reviewed copy), or the embedded one.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use mp_core::KnowledgeBase;

use crate::boundary::{cstring, ffi, ffi_status, free_handle, into_handle, FfiError, Out, Text};
use crate::status::{mp_status, MP_MAX_JSON_BYTES};

/// A knowledge base (citations, regimens, labels, rankings), checked when loaded: every
/// reference resolves and everything the library's rules name is present. Immutable, so it
/// may be shared between threads freely.
///
/// Every function that takes a `const mp_kb *` accepts NULL for the embedded knowledge base.
/// Create with `mp_kb_from_json`; free with `mp_kb_free` after the last call that uses it
/// (plans and assessments keep their own copy of what they cite).
pub struct mp_kb {
    kb: KnowledgeBase,
    version: CString,
    sha256: CString,
    fhir: OnceLock<CString>,
}

impl mp_kb {
    fn new(kb: KnowledgeBase) -> Self {
        Self { version: cstring(kb.version()), sha256: cstring(kb.sha256()), fhir: OnceLock::new(), kb }
    }
}

/// The knowledge base a `const mp_kb *` argument stands for: NULL is the embedded one.
///
/// # Safety
/// `kb` is NULL or a live knowledge base.
pub(crate) unsafe fn kb_or_embedded<'a>(kb: *const mp_kb) -> &'a KnowledgeBase {
    // SAFETY: the caller's contract.
    unsafe { kb.as_ref() }.map_or_else(KnowledgeBase::embedded, |k| &k.kb)
}

fn from_json(json: Text, kb_out: *mut *mut mp_kb) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract on `json` (forwarded by the exports).
        let json = unsafe { json.read("json", MP_MAX_JSON_BYTES) }?;
        let out = Out::new(kb_out, "kb_out")?;
        let kb = KnowledgeBase::from_json(json)?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(into_handle(mp_kb::new(kb))) };
        Ok(())
    })
}

/// Load a knowledge base from JSON (the format of the embedded `kb/knowledge-base.json`;
/// strict: unknown and duplicate keys refused). A knowledge base that does not parse, that
/// refers to a citation, drug or regimen it lacks, or that lacks one the rules name, is refused
/// naming the entry (`MP_STATUS_INVALID_JSON`, `MP_STATUS_UNKNOWN_IDENTIFIER`,
/// `MP_STATUS_INCONSISTENT`); it never becomes an empty knowledge base.
///
/// `json` is NUL-terminated UTF-8 of at most `MP_MAX_JSON_BYTES` bytes, only read during the
/// call. On `MP_STATUS_OK`, `*kb_out` is a new knowledge base owned by the caller (free with
/// `mp_kb_free`); on error it is not written.
///
/// # Safety
/// `json` is NULL or NUL-terminated; `kb_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_kb_from_json(json: *const c_char, kb_out: *mut *mut mp_kb) -> mp_status {
    from_json(Text::Nul(json), kb_out)
}

/// As `mp_kb_from_json`, with the JSON given as `len` bytes (no terminating NUL needed; never
/// read past `len`; a NUL byte inside is refused with `MP_STATUS_INVALID_UTF8`).
///
/// # Safety
/// `json` is NULL or points to `len` readable bytes; `kb_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_kb_from_json_len(json: *const c_char, len: usize, kb_out: *mut *mut mp_kb) -> mp_status {
    from_json(Text::Len(json, len), kb_out)
}

/// Free a knowledge base. NULL is accepted and ignored.
///
/// # Safety
/// `kb` is NULL or a knowledge base from `mp_kb_from_json` not yet freed, used by no other
/// call in progress.
#[no_mangle]
pub unsafe extern "C" fn mp_kb_free(kb: *mut mp_kb) {
    // SAFETY: the caller's contract.
    ffi(|| unsafe { free_handle(kb) })
}

/// A getter body for a knowledge base (NULL = embedded).
///
/// # Safety
/// `kb` is NULL or live; `out` is NULL or writable.
unsafe fn kb_get(
    kb: *const mp_kb,
    out: *mut *const c_char,
    pick: fn(&mp_kb) -> *const c_char,
    embedded: fn() -> *const c_char,
) -> mp_status {
    ffi_status(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: the caller's contract; NULL means the embedded knowledge base.
        let v = match unsafe { kb.as_ref() } {
            Some(k) => pick(k),
            None => embedded(),
        };
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(v) };
        Ok::<(), FfiError>(())
    })
}

/// The version of a knowledge base (NULL: the embedded one, as `mp_kb_version()`), as every
/// plan made with it gives in `basis.knowledge_base.version`.
///
/// On `MP_STATUS_OK`, `*version_out` is owned by the knowledge base (static for NULL): do not
/// free it; valid until `mp_kb_free`.
///
/// # Safety
/// `kb` is NULL or live; `version_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_kb_get_version(kb: *const mp_kb, version_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { kb_get(kb, version_out, |k| k.version.as_ptr(), || crate::version::mp_kb_version()) }
}

/// The SHA-256 of a knowledge base's JSON (NULL: the embedded one), 64 lowercase hex digits,
/// as in every plan's `basis.knowledge_base.sha256`. Ownership as for `mp_kb_get_version`.
///
/// # Safety
/// `kb` is NULL or live; `sha256_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_kb_get_sha256(kb: *const mp_kb, sha256_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { kb_get(kb, sha256_out, |k| k.sha256.as_ptr(), || crate::version::mp_kb_sha256()) }
}

/// The FHIR JSON of a knowledge base, made once and kept (`cell`).
fn fhir_of(kb: &KnowledgeBase, cell: &OnceLock<CString>) -> Result<*const c_char, FfiError> {
    if let Some(c) = cell.get() {
        return Ok(c.as_ptr());
    }
    let text = mp_fhir::knowledge_base_fhir_json(kb)?;
    Ok(cell.get_or_init(|| cstring(text)).as_ptr())
}

/// A knowledge base's regimens as FHIR R4 (NULL: the embedded one): a `Bundle` of
/// `PlanDefinition` / `ActivityDefinition` resources, byte for byte what `mmpath kb --fhir`
/// and Python's `KnowledgeBase.to_fhir_json()` give for the same knowledge base
/// (`docs/fhir.md`).
///
/// On `MP_STATUS_OK`, `*fhir_out` is a NUL-terminated string owned by the knowledge base (kept
/// for the life of the process for NULL): do not free it; valid until `mp_kb_free`.
///
/// # Safety
/// `kb` is NULL or live; `fhir_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_kb_fhir_json(kb: *const mp_kb, fhir_out: *mut *const c_char) -> mp_status {
    static EMBEDDED: OnceLock<CString> = OnceLock::new();
    ffi_status(|| {
        let out = Out::new(fhir_out, "fhir_out")?;
        // SAFETY: the caller's contract; NULL means the embedded knowledge base.
        let v = match unsafe { kb.as_ref() } {
            Some(k) => fhir_of(&k.kb, &k.fhir)?,
            None => fhir_of(KnowledgeBase::embedded(), &EMBEDDED)?,
        };
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(v) };
        Ok::<(), FfiError>(())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn the_embedded_knowledge_base_loads_from_c_with_its_own_hash() {
        let json = mp_core::kb::EMBEDDED_JSON;
        let mut kb = std::ptr::null_mut();
        // SAFETY: `json` is `len` readable bytes; outputs are local.
        unsafe {
            assert_eq!(mp_kb_from_json_len(json.as_ptr().cast(), json.len(), &mut kb), mp_status::Ok);
            let mut h = std::ptr::null();
            assert_eq!(mp_kb_get_sha256(kb, &mut h), mp_status::Ok);
            assert_eq!(CStr::from_ptr(h).to_str().unwrap(), mp_core::kb::EMBEDDED_SHA256);
            let mut e = std::ptr::null();
            assert_eq!(mp_kb_get_sha256(std::ptr::null(), &mut e), mp_status::Ok);
            assert_eq!(CStr::from_ptr(e), CStr::from_ptr(h));
            mp_kb_free(kb);
        }
    }

    #[test]
    fn a_knowledge_base_that_lacks_a_regimen_the_rules_name_is_refused() {
        let renamed = mp_core::kb::EMBEDDED_JSON.replace(r#""id": "vrd""#, r#""id": "vrd-renamed""#);
        let mut kb = std::ptr::null_mut();
        // SAFETY: as above.
        let s = unsafe { mp_kb_from_json_len(renamed.as_ptr().cast(), renamed.len(), &mut kb) };
        assert_ne!(s, mp_status::Ok);
        assert!(kb.is_null());
    }
}
