//! `mp_assessment`: one assessment (staging, risk, eligibility, ...) as JSON.

use std::ffi::{c_char, CString};

use mp_core::api::{self, Assessment};

use crate::boundary::{arg_ref, arg_str, cstring, ffi, ffi_status, free_handle, into_handle, FfiError, Out};
use crate::guideline::{default_guideline, mp_guideline};
use crate::patient::mp_patient;
use crate::status::{mp_status, MP_MAX_JSON_BYTES};

/// Which assessment `mp_assess` and `mp_assess_json` run. Values are stable.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_assessment_kind {
    /// The full plan, as JSON (the same bytes as `mp_plan_json`).
    Plan = 1,
    /// ISS, R-ISS and R2-ISS with their breakdown.
    Stage = 2,
    /// Cytogenetic risk under the guideline's definition.
    Risk = 3,
    /// Cytogenetic risk under every definition, side by side.
    RiskCompare = 4,
    /// Transplant eligibility, frailty scores and creatinine clearance.
    Eligibility = 5,
}

fn kind(k: u32) -> Result<Assessment, FfiError> {
    Ok(match k {
        k if k == mp_assessment_kind::Plan as u32 => Assessment::Plan,
        k if k == mp_assessment_kind::Stage as u32 => Assessment::Stage,
        k if k == mp_assessment_kind::Risk as u32 => Assessment::Risk,
        k if k == mp_assessment_kind::RiskCompare as u32 => Assessment::RiskCompare,
        k if k == mp_assessment_kind::Eligibility as u32 => Assessment::Eligibility,
        other => return Err(FfiError::invalid_argument("kind", other, "an mp_assessment_kind (1-5)")),
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

/// Run one assessment on a patient. `kind` is an `mp_assessment_kind` (any other value:
/// `MP_STATUS_INVALID_ARGUMENT`); `guideline` may be NULL for the default guideline.
///
/// On `MP_STATUS_OK`, `*assessment_out` is a new assessment owned by the caller (free with
/// `mp_assessment_free`); on error it is not written.
///
/// # Safety
/// `patient` is NULL or live; `guideline` is NULL or live; `assessment_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_assess(
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
        make(api::run(what, p.core(), g)?, out);
        Ok(())
    })
}

/// Make an assessment: the conventional `mp_<type>_new` name for [`mp_assess`], with the same
/// arguments, behaviour, status codes and ownership (free it with `mp_assessment_free`).
///
/// # Safety
/// As [`mp_assess`].
#[no_mangle]
pub unsafe extern "C" fn mp_assessment_new(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    kind: u32,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    // SAFETY: the caller's contract is mp_assess's; it runs inside the panic boundary.
    unsafe { mp_assess(patient, guideline, kind, assessment_out) }
}

/// Run one assessment on a patient record given as JSON, with an optional guideline as JSON
/// (NULL or an empty string: the default guideline). The JSON entry point: the same as the
/// core's `api::run_json`, `mmpath <stage|risk|...> --json` and the Python package.
///
/// Both strings are only read during the call. Ownership of `*assessment_out` as for
/// `mp_assess`.
///
/// # Safety
/// `patient_json` is NULL or NUL-terminated; `guideline_json` is NULL or NUL-terminated;
/// `assessment_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_assess_json(
    kind: u32,
    patient_json: *const c_char,
    guideline_json: *const c_char,
    assessment_out: *mut *mut mp_assessment,
) -> mp_status {
    ffi_status(|| {
        let what = self::kind(kind)?;
        // SAFETY: the caller's contract.
        let patient_json = unsafe { arg_str(patient_json, "patient_json", MP_MAX_JSON_BYTES) }?;
        let guideline_json = if guideline_json.is_null() {
            None
        } else {
            // SAFETY: the caller's contract (non-NULL here).
            Some(unsafe { arg_str(guideline_json, "guideline_json", MP_MAX_JSON_BYTES) }?)
        };
        let out = Out::new(assessment_out, "assessment_out")?;
        make(api::run_json(what, patient_json, guideline_json)?, out);
        Ok(())
    })
}

/// The assessment as JSON. On `MP_STATUS_OK`, `*json_out` is owned by the assessment: do not
/// free it; valid until `mp_assessment_free`.
///
/// # Safety
/// `assessment` is NULL or live; `json_out` is NULL or writable.
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
