//! `mp_patient`: a validated patient record, from JSON or built with typed setters.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use mp_core::cytogenetics::{Abnormality, Finding, Status};
use mp_core::{Error, FrailtyInputs, LabsInput, Patient, PatientRecord, RawQuantity, Sex};

use crate::boundary::{arg_mut, arg_ref, arg_str, cstring, ffi, ffi_status, free_handle, into_handle, FfiError, Out};
use crate::status::{mp_status, MP_MAX_JSON_BYTES, MP_MAX_NAME_BYTES};

/// A patient: a record that the core has parsed and validated (units, plausible ranges,
/// consistency). Every value not given is *unknown*, never assumed normal.
///
/// Create with `mp_patient_new` or `mp_patient_from_json`; free with `mp_patient_free`.
/// A patient may be read from several threads at once, but a setter must not run while any
/// other thread uses the same patient.
pub struct mp_patient {
    record: PatientRecord,
    patient: Patient,
    json: OnceLock<CString>,
}

impl mp_patient {
    fn new(record: PatientRecord, patient: Patient) -> Self {
        Self { record, patient, json: OnceLock::new() }
    }

    /// The validated patient (for `mp_recommend` and `mp_assess`).
    pub(crate) fn core(&self) -> &Patient {
        &self.patient
    }

    /// Change a copy of the record, validate it with the core, and keep it only if valid: a
    /// refused value leaves the patient as it was.
    fn update(&mut self, change: impl FnOnce(&mut PatientRecord) -> Result<(), FfiError>) -> Result<(), FfiError> {
        let mut record = self.record.clone();
        change(&mut record)?;
        let patient = record.validate()?;
        *self = Self::new(record, patient);
        Ok(())
    }
}

/// Sex, as needed by Cockcroft-Gault and ideal body weight (`mp_patient_set_sex`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_sex {
    /// Female.
    Female = 1,
    /// Male.
    Male = 2,
}

/// The status of a cytogenetic finding (`mp_patient_set_finding`). An abnormality never set
/// is *not tested*, which is never read as negative.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_finding_status {
    /// Looked for and found (by the laboratory's cut-off).
    Detected = 1,
    /// Looked for and not found.
    NotDetected = 2,
    /// Not looked for, or no result.
    NotTested = 3,
}

fn quantity(value: f64, unit: &str) -> RawQuantity {
    RawQuantity { value, unit: unit.to_string() }
}

fn labs(record: &mut PatientRecord) -> &mut LabsInput {
    record.labs.get_or_insert_with(LabsInput::default)
}

/// A new, empty patient: every field unknown.
///
/// On `MP_STATUS_OK`, `*patient_out` is a new patient that the caller owns and frees with
/// `mp_patient_free`. On error `*patient_out` is not written.
///
/// # Safety
/// `patient_out` is NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_new(patient_out: *mut *mut mp_patient) -> mp_status {
    ffi_status(|| {
        let out = Out::new(patient_out, "patient_out")?;
        let record = PatientRecord::default();
        let patient = record.validate()?;
        // SAFETY: `out` was checked non-NULL; the caller guarantees it is writable.
        unsafe { out.write(into_handle(mp_patient::new(record, patient))) };
        Ok(())
    })
}

/// Parse and validate a full patient record given as JSON (the schema of
/// `docs/patient.schema.json`; unknown keys are refused).
///
/// `json` is NUL-terminated UTF-8 of at most `MP_MAX_JSON_BYTES` bytes; it is only read during
/// the call. On `MP_STATUS_OK`, `*patient_out` is a new patient owned by the caller (free with
/// `mp_patient_free`). On error `*patient_out` is not written and `mp_last_error()` names the
/// field, the unit and the accepted range.
///
/// # Safety
/// `json` is NULL or a NUL-terminated string; `patient_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_from_json(json: *const c_char, patient_out: *mut *mut mp_patient) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract on `json`.
        let json = unsafe { arg_str(json, "json", MP_MAX_JSON_BYTES) }?;
        let out = Out::new(patient_out, "patient_out")?;
        let record = PatientRecord::from_json(json)?;
        let patient = record.validate()?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(into_handle(mp_patient::new(record, patient))) };
        Ok(())
    })
}

/// Free a patient. NULL is accepted and ignored. The patient and every string borrowed from it
/// are invalid afterwards; freeing twice is undefined behaviour.
///
/// # Safety
/// `patient` is NULL or a patient from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_free(patient: *mut mp_patient) {
    // SAFETY: the caller's contract.
    ffi(|| unsafe { free_handle(patient) })
}

/// The patient record as JSON (as given, in the schema's key order).
///
/// On `MP_STATUS_OK`, `*json_out` points to a NUL-terminated string owned by the patient: do
/// not free it; it stays valid until the patient is changed by a setter or freed.
///
/// # Safety
/// `patient` is NULL or a live patient; `json_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_json(patient: *const mp_patient, json_out: *mut *const c_char) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { arg_ref(patient, "patient") }?;
        let out = Out::new(json_out, "json_out")?;
        let s = p.json.get_or_init(|| cstring(p.record.to_json()));
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(s.as_ptr()) };
        Ok(())
    })
}

/// A setter body: the patient argument checked, then the change validated by the core.
///
/// # Safety
/// `patient` is NULL or a live patient used by no other thread during the call.
unsafe fn set(patient: *mut mp_patient, change: impl FnOnce(&mut PatientRecord) -> Result<(), FfiError>) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { arg_mut(patient, "patient") }?;
        p.update(change)
    })
}

/// Set the age in whole years. The core accepts 18–120; outside it: `MP_STATUS_OUT_OF_RANGE`.
///
/// Every setter validates the whole record with the core and keeps the change only if it is
/// accepted: on any error the patient is unchanged. Strings borrowed from the patient
/// (`mp_patient_json`) are invalidated by a successful setter.
///
/// # Safety
/// `patient` is NULL or a live patient used by no other thread during the call.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_age(patient: *mut mp_patient, age_years: u16) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.age_years = Some(age_years);
            Ok(())
        })
    }
}

/// Set the sex: `MP_SEX_FEMALE` or `MP_SEX_MALE` (any other value: `MP_STATUS_INVALID_ARGUMENT`).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_sex(patient: *mut mp_patient, sex: u32) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.sex = Some(match sex {
                s if s == mp_sex::Female as u32 => Sex::Female,
                s if s == mp_sex::Male as u32 => Sex::Male,
                other => return Err(FfiError::invalid_argument("sex", other, "MP_SEX_FEMALE (1), MP_SEX_MALE (2)")),
            });
            Ok(())
        })
    }
}

/// Set the actual body weight in kg (the core's plausible range applies; NaN and infinities
/// are refused).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_weight_kg(patient: *mut mp_patient, weight_kg: f64) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.weight_kg = Some(weight_kg);
            Ok(())
        })
    }
}

/// Set the height in cm (the core's plausible range applies).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_height_cm(patient: *mut mp_patient, height_cm: f64) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.height_cm = Some(height_cm);
            Ok(())
        })
    }
}

/// Set the ECOG performance status (0–4).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_ecog(patient: *mut mp_patient, ecog: u8) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.ecog = Some(ecog);
            Ok(())
        })
    }
}

/// Set the inputs of the IMWG frailty score: Charlson Comorbidity Index (0–37), Katz ADL
/// (0–6) and Lawton IADL (0–8).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_frailty(
    patient: *mut mp_patient,
    charlson: u8,
    katz_adl: u8,
    lawton_iadl: u8,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.frailty = Some(FrailtyInputs {
                charlson: Some(charlson),
                katz_adl: Some(katz_adl),
                lawton_iadl: Some(lawton_iadl),
            });
            Ok(())
        })
    }
}

/// A lab setter: one value with its unit.
///
/// # Safety
/// As for `set`; `unit` is NULL or a NUL-terminated string.
unsafe fn set_lab(
    patient: *mut mp_patient,
    unit: *const c_char,
    assign: impl FnOnce(&mut LabsInput, &str),
) -> mp_status {
    let change = |r: &mut PatientRecord| {
        // SAFETY: the caller's contract on `unit`.
        let unit = unsafe { arg_str(unit, "unit", MP_MAX_NAME_BYTES) }?;
        assign(labs(r), unit);
        Ok(())
    };
    // SAFETY: forwarded contract.
    unsafe { set(patient, change) }
}

/// Set the serum creatinine with its unit: `"mg/dL"` or `"µmol/L"` (also `"umol/L"`). An
/// unknown unit gives `MP_STATUS_UNSUPPORTED_UNIT`; an implausible value
/// `MP_STATUS_OUT_OF_RANGE`, with the accepted range in that unit in the message.
///
/// `unit` is only read during the call.
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `unit` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_creatinine(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, unit, |l, u| l.creatinine = Some(quantity(value, u))) }
}

/// Set the serum albumin with its unit: `"g/dL"` or `"g/L"`.
///
/// # Safety
/// As for `mp_patient_set_creatinine`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_albumin(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, unit, |l, u| l.albumin = Some(quantity(value, u))) }
}

/// Set the serum β2-microglobulin with its unit (`"mg/L"`).
///
/// # Safety
/// As for `mp_patient_set_creatinine`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_beta2_microglobulin(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, unit, |l, u| l.beta2_microglobulin = Some(quantity(value, u))) }
}

/// Set the serum LDH together with the laboratory's upper limit of normal, both in `unit`
/// (`"U/L"`). LDH is only ever read against its own laboratory's ULN, so the two are set
/// together.
///
/// # Safety
/// As for `mp_patient_set_creatinine`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_ldh(
    patient: *mut mp_patient,
    ldh: f64,
    upper_limit_of_normal: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set_lab(patient, unit, |l, u| {
            l.ldh = Some(quantity(ldh, u));
            l.ldh_upper_limit_of_normal = Some(quantity(upper_limit_of_normal, u));
        })
    }
}

/// A finding setter.
///
/// # Safety
/// As for `set`; `abnormality` is NULL or a NUL-terminated string.
unsafe fn set_finding_impl(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    status: u32,
    clonal_fraction_pct: Option<f64>,
) -> mp_status {
    let change = |r: &mut PatientRecord| {
        // SAFETY: the caller's contract on `abnormality`.
        let name = unsafe { arg_str(abnormality, "abnormality", MP_MAX_NAME_BYTES) }?;
        // The core's own identifiers (`del_17p`, `t_4_14`, `gain_1q`, ...): no list here.
        let abnormality: Abnormality =
            serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
                FfiError::Core(Error::UnknownIdentifier {
                    field: "cytogenetics.abnormality".into(),
                    kind: "abnormality".into(),
                    id: name.to_string(),
                })
            })?;
        let status = match status {
            s if s == mp_finding_status::Detected as u32 => Status::Detected,
            s if s == mp_finding_status::NotDetected as u32 => Status::NotDetected,
            s if s == mp_finding_status::NotTested as u32 => Status::NotTested,
            other => return Err(FfiError::invalid_argument(
                "status",
                other,
                "MP_FINDING_STATUS_DETECTED (1), MP_FINDING_STATUS_NOT_DETECTED (2), MP_FINDING_STATUS_NOT_TESTED (3)",
            )),
        };
        let mut finding = Finding::new(abnormality, status);
        finding.clonal_fraction_pct = clonal_fraction_pct;
        r.cytogenetics.retain(|f| f.abnormality != abnormality);
        r.cytogenetics.push(finding);
        Ok(())
    };
    // SAFETY: forwarded contract.
    unsafe { set(patient, change) }
}

/// Record a cytogenetic finding: `abnormality` is the core's identifier (`"del_17p"`,
/// `"t_4_14"`, `"t_14_16"`, `"t_14_20"`, `"gain_1q"`, `"del_1p32"`, `"tp53_mutation"`,
/// `"t_11_14"`, `"t_6_14"`, `"hyperdiploidy"`; an unknown one gives
/// `MP_STATUS_UNKNOWN_IDENTIFIER`) and `status` one of `mp_finding_status`. Replaces any
/// earlier finding for the same abnormality.
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `abnormality` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_finding(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    status: u32,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_finding_impl(patient, abnormality, status, None) }
}

/// As `mp_patient_set_finding`, with the clonal fraction (% of plasma cells or of positive
/// nuclei, 0–100), which some risk definitions compare with a cut-off. The core accepts a
/// fraction only with `MP_FINDING_STATUS_DETECTED`.
///
/// # Safety
/// As for `mp_patient_set_finding`.
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_finding_with_fraction(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    status: u32,
    clonal_fraction_pct: f64,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_finding_impl(patient, abnormality, status, Some(clonal_fraction_pct)) }
}
