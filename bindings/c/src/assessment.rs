//! `mp_assessment`: one assessment (staging, risk, eligibility, diagnosis, response, ...) as JSON.

use std::ffi::{c_char, CString};

use mp_core::api::{self, Assessment};

use crate::boundary::{arg_ref, cstring, ffi, ffi_status, free_handle, into_handle, FfiError, Out, Text};
use crate::guideline::{default_guideline, mp_guideline};
use crate::kb::{kb_or_embedded, mp_kb};
use crate::patient::mp_patient;
use crate::status::{mp_status, MP_MAX_JSON_BYTES};

/// Which assessment `mp_assess` and `mp_assess_json` run: every assessment of the core
/// (`api::Assessment::ALL`, checked by a test), with the core's name
/// (`mp_assessment_kind_name`). Values are stable.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_assessment_kind {
    /// The full plan, as JSON (the same bytes as `mp_plan_json`) — `"plan"`.
    Plan = 1,
    /// ISS, R-ISS and R2-ISS with their breakdown — `"stage"`.
    Stage = 2,
    /// Cytogenetic risk under the guideline's definition — `"risk"`.
    Risk = 3,
    /// Cytogenetic risk under every definition, side by side — `"risk-compare"`.
    RiskCompare = 4,
    /// Transplant eligibility, frailty scores and creatinine clearance — `"eligibility"`.
    Eligibility = 5,
    /// IMWG 2014 diagnosis (myeloma, smouldering, MGUS, solitary plasmacytoma) with the
    /// 20/2/20 risk of smouldering myeloma — `"diagnose"`.
    Diagnose = 6,
    /// IMWG 2016 response over the record's response assessments, with MRD — `"response"`.
    Response = 7,
}

/// The C kinds, the core's assessments and their names, in the core's order.
const KINDS: [(mp_assessment_kind, Assessment, &str); 7] = [
    (mp_assessment_kind::Plan, Assessment::Plan, "plan\0"),
    (mp_assessment_kind::Stage, Assessment::Stage, "stage\0"),
    (mp_assessment_kind::Risk, Assessment::Risk, "risk\0"),
    (mp_assessment_kind::RiskCompare, Assessment::RiskCompare, "risk-compare\0"),
    (mp_assessment_kind::Eligibility, Assessment::Eligibility, "eligibility\0"),
    (mp_assessment_kind::Diagnose, Assessment::Diagnose, "diagnose\0"),
    (mp_assessment_kind::Response, Assessment::Response, "response\0"),
];

fn kind(k: u32) -> Result<Assessment, FfiError> {
    KINDS
        .iter()
        .find(|(c, ..)| *c as u32 == k)
        .map(|(_, a, _)| *a)
        .ok_or_else(|| FfiError::invalid_argument("kind", k, "an mp_assessment_kind (1-7)"))
}

/// The core's name of an assessment kind (`"stage"`, `"risk-compare"`, `"diagnose"`, ...: the
/// `mmpath` subcommand), or `""` for a value this version does not define.
///
/// The string is static: never free it. Never returns NULL.
#[no_mangle]
pub extern "C" fn mp_assessment_kind_name(kind: u32) -> *const c_char {
    ffi(|| {
        KINDS
            .iter()
            .find(|(c, ..)| *c as u32 == kind)
            .map_or(crate::boundary::EMPTY.as_ptr().cast(), |(.., n)| n.as_ptr().cast())
    })
}

/// The result of one assessment, as JSON with its basis (library version, knowledge-base
/// version and hash, guideline). Immutable; free with `mp_assessment_free`.
pub struct mp_assessment {
    json: CString,
}

fn make(json: String, out: Out<*mut mp_assessment>) {
    // SAFETY: `out` was checked non-NULL by `Out::new`; the caller guarantees it is writable.
    unsafe { out.write(into_handle(mp_assessment { json: cstring(json) })) }
}

/// Run one assessment on a patient with a knowledge base (NULL: the embedded one). `kind` is
/// an `mp_assessment_kind` (any other value: `MP_STATUS_INVALID_ARGUMENT`); `guideline` may be
/// NULL for the default guideline.
///
/// On `MP_STATUS_OK`, `*assessment_out` is a new assessment owned by the caller (free with
/// `mp_assessment_free`); on error it is not written.
///
/// # Safety
/// `kb`, `patient` and `guideline` are NULL or live; `assessment_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_assess_with_kb(
    kb: *const mp_kb,
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    kind: u32,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { arg_ref(patient, "patient") }?;
        // SAFETY: the caller's contract; NULL means the default guideline.
        let g = unsafe { guideline.as_ref() }.map_or_else(default_guideline, mp_guideline::core);
        let out = Out::new(assessment_out, "assessment_out")?;
        let what = self::kind(kind)?;
        // SAFETY: the caller's contract; NULL means the embedded knowledge base.
        let kb = unsafe { kb_or_embedded(kb) };
        make(api::run_with(kb, what, p.core(), g)?, out);
        Ok(())
    })
}

/// `mp_assess_with_kb` with the embedded knowledge base.
///
/// # Safety
/// As [`mp_assess_with_kb`].
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_assess(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    kind: u32,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    // SAFETY: forwarded contract; it runs inside the panic boundary.
    unsafe { mp_assess_with_kb(std::ptr::null(), patient, guideline, kind, assessment_out) }
}

/// Make an assessment: the conventional `mp_<type>_new` name for [`mp_assess`], with the same
/// arguments, behaviour, status codes and ownership (free it with `mp_assessment_free`).
///
/// # Safety
/// As [`mp_assess`].
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_assessment_new(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    kind: u32,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    // SAFETY: the caller's contract is mp_assess's; it runs inside the panic boundary.
    unsafe { mp_assess_with_kb(std::ptr::null(), patient, guideline, kind, assessment_out) }
}

fn assess_json(
    kb: *const mp_kb,
    kind: u32,
    patient_json: Text,
    guideline_json: Text,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    ffi_status(|| {
        let what = self::kind(kind)?;
        // SAFETY: the caller's contract (forwarded by the exports).
        let patient_json = unsafe { patient_json.read("patient_json", MP_MAX_JSON_BYTES) }?;
        let guideline_json = if guideline_json.is_null() {
            None
        } else {
            // SAFETY: the caller's contract (non-NULL here).
            Some(unsafe { guideline_json.read("guideline_json", MP_MAX_JSON_BYTES) }?)
        };
        let out = Out::new(assessment_out, "assessment_out")?;
        // SAFETY: the caller's contract; NULL means the embedded knowledge base.
        let kb = unsafe { kb_or_embedded(kb) };
        make(api::run_json_with(kb, what, patient_json, guideline_json)?, out);
        Ok(())
    })
}

/// Run one assessment on a patient record given as JSON, with an optional guideline as JSON
/// (NULL or an empty string: the default guideline), with the embedded knowledge base. The
/// JSON entry point: the same as the core's `api::run_json`, `mmpath <stage|risk|...> --json`
/// and the Python package.
///
/// Both strings are only read during the call. Ownership of `*assessment_out` as for
/// `mp_assess`.
///
/// # Safety
/// `patient_json` is NULL or NUL-terminated; `guideline_json` is NULL or NUL-terminated;
/// `assessment_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_assess_json(
    kind: u32,
    patient_json: *const c_char,
    guideline_json: *const c_char,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    assess_json(std::ptr::null(), kind, Text::Nul(patient_json), Text::Nul(guideline_json), assessment_out)
}

/// As `mp_assess_json`, with a knowledge base (NULL: the embedded one) and both documents
/// given as pointer + length (no terminating NUL needed, never read past the length; a NULL
/// `guideline_json` is the default guideline).
///
/// # Safety
/// `kb` is NULL or live; `patient_json` is NULL or `patient_len` readable bytes;
/// `guideline_json` is NULL or `guideline_len` readable bytes; `assessment_out` is NULL or
/// writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_assess_json_len(
    kb: *const mp_kb,
    kind: u32,
    patient_json: *const c_char,
    patient_len: usize,
    guideline_json: *const c_char,
    guideline_len: usize,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    assess_json(
        kb,
        kind,
        Text::Len(patient_json, patient_len),
        Text::Len(guideline_json, guideline_len),
        assessment_out,
    )
}

/// The assessment as JSON. On `MP_STATUS_OK`, `*json_out` is owned by the assessment: do not
/// free it; valid until `mp_assessment_free`.
///
/// # Safety
/// `assessment` is NULL or live; `json_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_assessment_json(
    assessment: *const mp_assessment,
    json_out: *mut *const c_char,
) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let a = unsafe { arg_ref(assessment, "assessment") }?;
        let out = Out::new(json_out, "json_out")?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(a.json.as_ptr()) };
        Ok(())
    })
}

/// Free an assessment. NULL is accepted and ignored.
///
/// # Safety
/// `assessment` is NULL or an assessment from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn mp_assessment_free(assessment: *mut mp_assessment) {
    // SAFETY: the caller's contract.
    ffi(|| unsafe { free_handle(assessment) })
}

/// The calendar's work, inside the caller's `ffi_status`.
///
/// # Safety
/// As the exports: every text is NULL (regimen, guideline: absent) or readable; `kb` NULL or live.
unsafe fn calendar_inner(
    kb: *const mp_kb,
    patient_json: Text,
    guideline_json: Text,
    regimen: Text,
    start: Text,
    cycles: u32,
    calendar_out: *mut *mut mp_assessment,
) -> Result<(), FfiError> {
    // SAFETY: the caller's contract (forwarded by the exports).
    let patient_json = unsafe { patient_json.read("patient_json", MP_MAX_JSON_BYTES) }?;
    // SAFETY: as above.
    let start = unsafe { start.read("start", MP_MAX_JSON_BYTES) }?;
    let guideline_json = if guideline_json.is_null() {
        None
    } else {
        // SAFETY: the caller's contract (non-NULL here).
        Some(unsafe { guideline_json.read("guideline_json", MP_MAX_JSON_BYTES) }?)
    };
    let regimen = if regimen.is_null() {
        None
    } else {
        // SAFETY: the caller's contract (non-NULL here).
        Some(unsafe { regimen.read("regimen", MP_MAX_JSON_BYTES) }?)
    };
    let cycles = match cycles {
        0 => None,
        1..=200 => u16::try_from(cycles).ok(),
        v => return Err(FfiError::invalid_argument("cycles", v, "0 (the course's length) or 1-200")),
    };
    let out = Out::new(calendar_out, "calendar_out")?;
    // SAFETY: the caller's contract; NULL means the embedded knowledge base.
    let kb = unsafe { kb_or_embedded(kb) };
    make(api::calendar_json(kb, patient_json, guideline_json, regimen, start, cycles)?, out);
    Ok(())
}

/// The treatment calendar for a patient given as JSON (docs/dosing.md), with the embedded
/// knowledge base: `regimen` (NULL: the plan's first option) expanded day by day from `start`
/// (`YYYY-MM-DD`, cycle 1 day 1) with this patient's doses, in the course of the patient's
/// setting as the plan offers it. `cycles` 0 = the course's length; 1-200 overrides it (an
/// until-progression regimen needs it); anything else is `MP_STATUS_INVALID_ARGUMENT`.
/// `guideline_json` NULL or empty: the default guideline. The same JSON as
/// `mmpath calendar --json` and Python's `calendar`.
///
/// On `MP_STATUS_OK`, `*calendar_out` is a new `mp_assessment` holding the calendar: read it
/// with `mp_assessment_json`, free it with `mp_assessment_free`. Every string is only read
/// during the call.
///
/// # Safety
/// `patient_json` and `start` are NULL or NUL-terminated; `guideline_json` and `regimen` are
/// NULL or NUL-terminated; `calendar_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_calendar_json(
    patient_json: *const c_char,
    guideline_json: *const c_char,
    regimen: *const c_char,
    start: *const c_char,
    cycles: u32,
    calendar_out: *mut *mut mp_assessment,
) -> mp_status {
    // SAFETY: the caller's contract.
    ffi_status(|| unsafe {
        calendar_inner(
            std::ptr::null(),
            Text::Nul(patient_json),
            Text::Nul(guideline_json),
            Text::Nul(regimen),
            Text::Nul(start),
            cycles,
            calendar_out,
        )
    })
}

/// As `mp_calendar_json`, with a knowledge base (NULL: the embedded one) and every string given
/// as pointer + length (no terminating NUL needed, never read past the length; a NULL
/// `guideline_json` is the default guideline, a NULL `regimen` the plan's first option).
///
/// # Safety
/// `kb` is NULL or live; each string is NULL or its length in readable bytes; `calendar_out`
/// is NULL or writable.
#[must_use]
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn mp_calendar_json_len(
    kb: *const mp_kb,
    patient_json: *const c_char,
    patient_len: usize,
    guideline_json: *const c_char,
    guideline_len: usize,
    regimen: *const c_char,
    regimen_len: usize,
    start: *const c_char,
    start_len: usize,
    cycles: u32,
    calendar_out: *mut *mut mp_assessment,
) -> mp_status {
    // SAFETY: the caller's contract.
    ffi_status(|| unsafe {
        calendar_inner(
            kb,
            Text::Len(patient_json, patient_len),
            Text::Len(guideline_json, guideline_len),
            Text::Len(regimen, regimen_len),
            Text::Len(start, start_len),
            cycles,
            calendar_out,
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_assessment_of_the_core_is_reachable_from_c_under_its_name() {
        assert_eq!(KINDS.len(), Assessment::ALL.len());
        for ((c, a, name), (core, core_name)) in KINDS.iter().zip(Assessment::ALL.iter()) {
            assert_eq!(a, core);
            assert_eq!(name.trim_end_matches('\0'), *core_name);
            assert_eq!(kind(*c as u32).unwrap(), *core);
            // SAFETY: static NUL-terminated string.
            let n = unsafe { CStr::from_ptr(mp_assessment_kind_name(*c as u32)) };
            assert_eq!(n.to_str().unwrap(), *core_name);
        }
        assert!(kind(0).is_err() && kind(8).is_err());
    }
}
