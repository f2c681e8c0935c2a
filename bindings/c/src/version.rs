//! Library and knowledge-base identity.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use mp_core::KnowledgeBase;
use mp_core::LIBRARY_VERSION;

use crate::boundary::{cstring, ffi};

fn stat(cell: &'static OnceLock<CString>, make: fn() -> String) -> *const c_char {
    cell.get_or_init(|| cstring(make())).as_ptr()
}

/// The library version (semantic versioning), e.g. `"0.1.0"`: the same as every plan's
/// `basis.library_version`.
///
/// The string is static: never free it. Never returns NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn mp_version() -> *const c_char {
    static V: OnceLock<CString> = OnceLock::new();
    ffi(|| stat(&V, || LIBRARY_VERSION.to_string()))
}

/// The version of the embedded knowledge base (regimens, rules, citations): the same as
/// every plan's `basis.knowledge_base.version`.
///
/// Static, never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn mp_kb_version() -> *const c_char {
    static V: OnceLock<CString> = OnceLock::new();
    ffi(|| stat(&V, || KnowledgeBase::embedded().version().to_string()))
}

/// The SHA-256 of the embedded knowledge base, 64 lowercase hex digits: the same as every
/// plan's `basis.knowledge_base.sha256`. Record it with each decision to reproduce it later.
///
/// Static, never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn mp_kb_sha256() -> *const c_char {
    static V: OnceLock<CString> = OnceLock::new();
    ffi(|| stat(&V, || KnowledgeBase::embedded().sha256().to_string()))
}
