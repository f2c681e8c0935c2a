//! `mp_patient`: a validated patient record, from JSON or built with typed setters.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use mp_core::cytogenetics::{Abnormality, Finding, Status};
use mp_core::{check_integer, Error, FrailtyInputs, LabsInput, Patient, PatientRecord, RawQuantity, Sex};

use crate::boundary::{
    arg_mut, arg_ref, cstring, echo, ffi, ffi_status, free_handle, into_handle, FfiError, Out, Text,
};
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
    /// The FHIR import report, for a patient read by `mp_patient_from_fhir_json`.
    fhir_report: Option<CString>,
}

impl mp_patient {
    fn new(record: PatientRecord, patient: Patient) -> Self {
        Self { record, patient, json: OnceLock::new(), fhir_report: None }
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
#[must_use]
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

fn from_json(json: Text, patient_out: *mut *mut mp_patient) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract on `json` (forwarded by the exports).
        let json = unsafe { json.read("json", MP_MAX_JSON_BYTES) }?;
        let out = Out::new(patient_out, "patient_out")?;
        let record = PatientRecord::from_json(json)?;
        let patient = record.validate()?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(into_handle(mp_patient::new(record, patient))) };
        Ok(())
    })
}

/// Parse and validate a full patient record given as JSON (the schema of
/// `docs/patient.schema.json`; strict: unknown keys, duplicate keys and arrays in place of
/// objects are refused, naming the key path).
///
/// `json` is NUL-terminated UTF-8 of at most `MP_MAX_JSON_BYTES` bytes; it is only read during
/// the call. On `MP_STATUS_OK`, `*patient_out` is a new patient owned by the caller (free with
/// `mp_patient_free`). On error `*patient_out` is not written and `mp_last_error()` names the
/// field, the unit and the accepted range.
///
/// # Safety
/// `json` is NULL or a NUL-terminated string; `patient_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_from_json(json: *const c_char, patient_out: *mut *mut mp_patient) -> mp_status {
    from_json(Text::Nul(json), patient_out)
}

/// As `mp_patient_from_json`, with the JSON given as `len` bytes (no terminating NUL needed;
/// never read past `len`; a NUL byte inside is refused with `MP_STATUS_INVALID_UTF8`).
///
/// # Safety
/// `json` is NULL or points to `len` readable bytes; `patient_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_from_json_len(
    json: *const c_char,
    len: usize,
    patient_out: *mut *mut mp_patient,
) -> mp_status {
    from_json(Text::Len(json, len), patient_out)
}

fn from_fhir(
    json: Text,
    reference_date: *const c_char,
    patient_out: *mut *mut mp_patient,
    report_json_out: *mut *const c_char,
) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract on `json` (forwarded by the exports).
        let json = unsafe { json.read("json", MP_MAX_JSON_BYTES) }?;
        let date = if reference_date.is_null() {
            None
        } else {
            // SAFETY: the caller's contract on `reference_date`.
            Some(unsafe { Text::Nul(reference_date).read("reference_date", MP_MAX_NAME_BYTES) }?)
        };
        let out = Out::new(patient_out, "patient_out")?;
        // The mapping is the FHIR crate's; this only translates.
        let import = mp_fhir::read_bundle_at(json, date)?;
        let patient = import.record.validate()?;
        let mut handle = mp_patient::new(import.record, patient);
        handle.fhir_report = Some(cstring(import.report.to_json_value().to_string()));
        let report = handle.fhir_report.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(into_handle(handle)) };
        if !report_json_out.is_null() {
            // SAFETY: non-NULL and writable per the contract; the string lives in the handle.
            unsafe { report_json_out.write(report) };
        }
        Ok(())
    })
}

/// Read a FHIR R4 `Bundle` (JSON) into a patient, by the FHIR mapping of `docs/fhir.md`
/// (Patient, Observations by LOINC with UCUM units, mCODE ECOG, cytogenetic findings,
/// Conditions, and the dated treatment history from MedicationAdministration /
/// MedicationStatement / Procedure).
///
/// `json` is NUL-terminated UTF-8 of at most `MP_MAX_JSON_BYTES` bytes. `reference_date` is the
/// date age is computed at, `YYYY-MM-DD`, or NULL for today's UTC date. On `MP_STATUS_OK`,
/// `*patient_out` is a new patient owned by the caller (free with `mp_patient_free`) and, when
/// `report_json_out` is not NULL, `*report_json_out` points to the import report as JSON
/// (`used`, `superseded`, `ignored`, `diagnosis_codes`, `reference_date`), a NUL-terminated
/// string owned by the patient: do not free it; it stays valid until the patient is changed by
/// a setter or freed. Resources the mapping does not read are listed in `ignored`, never
/// dropped. On error nothing is written and `mp_last_error()` names the resource, the code and
/// the unit (as for records: `MP_STATUS_UNSUPPORTED_UNIT`, `MP_STATUS_INVALID_JSON`, …).
///
/// # Safety
/// `json` and `reference_date` are NULL or NUL-terminated strings; `patient_out` and
/// `report_json_out` are NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_from_fhir_json(
    json: *const c_char,
    reference_date: *const c_char,
    patient_out: *mut *mut mp_patient,
    report_json_out: *mut *const c_char,
) -> mp_status {
    from_fhir(Text::Nul(json), reference_date, patient_out, report_json_out)
}

/// As `mp_patient_from_fhir_json`, with the Bundle given as `len` bytes (no terminating NUL
/// needed; never read past `len`; a NUL byte inside is refused with `MP_STATUS_INVALID_UTF8`).
///
/// # Safety
/// `json` is NULL or points to `len` readable bytes; `reference_date` is NULL or a
/// NUL-terminated string; `patient_out` and `report_json_out` are NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_from_fhir_json_len(
    json: *const c_char,
    len: usize,
    reference_date: *const c_char,
    patient_out: *mut *mut mp_patient,
    report_json_out: *mut *const c_char,
) -> mp_status {
    from_fhir(Text::Len(json, len), reference_date, patient_out, report_json_out)
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
#[must_use]
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

/// An integer from C, checked against the core's range for `field` before it is narrowed to
/// the record's type: 65 596 is refused, never wrapped to 60.
fn narrow<T: TryFrom<i64>>(field: &str, value: i64) -> Result<T, FfiError> {
    check_integer(field, value)?;
    T::try_from(value).map_err(|_| {
        FfiError::Core(Error::OutOfRange {
            field: field.to_string(),
            #[allow(clippy::cast_precision_loss)]
            value: value as f64,
            unit: String::new(),
            accepted_range: String::new(),
        })
    })
}

/// Set the age in whole years. The core accepts 18–120; any other value (the whole `int64_t`
/// range is checked, nothing wraps): `MP_STATUS_OUT_OF_RANGE`, with the same message as the
/// JSON record gives.
///
/// Every setter validates the whole record with the core and keeps the change only if it is
/// accepted: on any error the patient is unchanged. Strings borrowed from the patient
/// (`mp_patient_json`) are invalidated by a successful setter.
///
/// # Safety
/// `patient` is NULL or a live patient used by no other thread during the call.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_age(patient: *mut mp_patient, age_years: i64) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.age_years = Some(narrow("age_years", age_years)?);
            Ok(())
        })
    }
}

/// Set the sex: `MP_SEX_FEMALE` or `MP_SEX_MALE` (any other value: `MP_STATUS_INVALID_ARGUMENT`).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[must_use]
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
#[must_use]
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
#[must_use]
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

/// Set the ECOG performance status (0–4; any other `int64_t`: `MP_STATUS_OUT_OF_RANGE`).
///
/// # Safety
/// As for `mp_patient_set_age`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_ecog(patient: *mut mp_patient, ecog: i64) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.ecog = Some(narrow("ecog", ecog)?);
            Ok(())
        })
    }
}

/// Set the inputs of the IMWG frailty score: Charlson Comorbidity Index (0–37), Katz ADL
/// (0–6) and Lawton IADL (0–8). Any value outside its range (the whole `int64_t` range is
/// checked): `MP_STATUS_OUT_OF_RANGE` naming the first such field; the patient is unchanged.
///
/// # Safety
/// As for `mp_patient_set_age`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_frailty(
    patient: *mut mp_patient,
    charlson: i64,
    katz_adl: i64,
    lawton_iadl: i64,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set(patient, |r| {
            r.frailty = Some(FrailtyInputs {
                charlson: Some(narrow("frailty.charlson", charlson)?),
                katz_adl: Some(narrow("frailty.katz_adl", katz_adl)?),
                lawton_iadl: Some(narrow("frailty.lawton_iadl", lawton_iadl)?),
            });
            Ok(())
        })
    }
}

/// A lab setter: one value with its unit.
///
/// # Safety
/// As for `set`; `unit` is a valid [`Text`] argument.
unsafe fn set_lab(patient: *mut mp_patient, unit: Text, assign: impl FnOnce(&mut LabsInput, &str)) -> mp_status {
    let change = |r: &mut PatientRecord| {
        // SAFETY: the caller's contract on `unit`.
        let unit = unsafe { unit.read("unit", MP_MAX_NAME_BYTES) }?;
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
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_creatinine(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, Text::Nul(unit), |l, u| l.creatinine = Some(quantity(value, u))) }
}

/// As `mp_patient_set_creatinine`, with the unit given as `unit_len` bytes (no NUL needed).
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `unit` is NULL or `unit_len` readable bytes.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_creatinine_len(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
    unit_len: usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, Text::Len(unit, unit_len), |l, u| l.creatinine = Some(quantity(value, u))) }
}

/// Set the serum albumin with its unit: `"g/dL"` or `"g/L"`.
///
/// # Safety
/// As for `mp_patient_set_creatinine`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_albumin(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, Text::Nul(unit), |l, u| l.albumin = Some(quantity(value, u))) }
}

/// As `mp_patient_set_albumin`, with the unit given as `unit_len` bytes (no NUL needed).
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `unit` is NULL or `unit_len` readable bytes.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_albumin_len(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
    unit_len: usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, Text::Len(unit, unit_len), |l, u| l.albumin = Some(quantity(value, u))) }
}

/// Set the serum β2-microglobulin with its unit (`"mg/L"`).
///
/// # Safety
/// As for `mp_patient_set_creatinine`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_beta2_microglobulin(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, Text::Nul(unit), |l, u| l.beta2_microglobulin = Some(quantity(value, u))) }
}

/// As `mp_patient_set_beta2_microglobulin`, with the unit given as `unit_len` bytes (no NUL needed).
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `unit` is NULL or `unit_len` readable bytes.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_beta2_microglobulin_len(
    patient: *mut mp_patient,
    value: f64,
    unit: *const c_char,
    unit_len: usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_lab(patient, Text::Len(unit, unit_len), |l, u| l.beta2_microglobulin = Some(quantity(value, u))) }
}

/// Set the serum LDH together with the laboratory's upper limit of normal, both in `unit`
/// (`"U/L"`). LDH is only ever read against its own laboratory's ULN, so the two are set
/// together.
///
/// # Safety
/// As for `mp_patient_set_creatinine`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_ldh(
    patient: *mut mp_patient,
    ldh: f64,
    upper_limit_of_normal: f64,
    unit: *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set_lab(patient, Text::Nul(unit), |l, u| {
            l.ldh = Some(quantity(ldh, u));
            l.ldh_upper_limit_of_normal = Some(quantity(upper_limit_of_normal, u));
        })
    }
}

/// As `mp_patient_set_ldh`, with the unit given as `unit_len` bytes (no NUL needed).
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `unit` is NULL or `unit_len` readable bytes.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_ldh_len(
    patient: *mut mp_patient,
    ldh: f64,
    upper_limit_of_normal: f64,
    unit: *const c_char,
    unit_len: usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        set_lab(patient, Text::Len(unit, unit_len), |l, u| {
            l.ldh = Some(quantity(ldh, u));
            l.ldh_upper_limit_of_normal = Some(quantity(upper_limit_of_normal, u));
        })
    }
}

/// A finding setter.
///
/// # Safety
/// As for `set`; `abnormality` is a valid [`Text`] argument.
unsafe fn set_finding_impl(
    patient: *mut mp_patient,
    abnormality: Text,
    status: u32,
    clonal_fraction_pct: Option<f64>,
) -> mp_status {
    let change = |r: &mut PatientRecord| {
        // SAFETY: the caller's contract on `abnormality`.
        let name = unsafe { abnormality.read("abnormality", MP_MAX_NAME_BYTES) }?;
        // The core's own identifiers (`del_17p`, `t_4_14`, `gain_1q`, ...): no list here.
        let abnormality: Abnormality =
            serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
                FfiError::Core(Error::UnknownIdentifier {
                    field: "cytogenetics.abnormality".into(),
                    kind: "abnormality".into(),
                    id: echo(name),
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
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_finding(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    status: u32,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_finding_impl(patient, Text::Nul(abnormality), status, None) }
}

/// As `mp_patient_set_finding`, with the abnormality given as `abnormality_len` bytes.
///
/// # Safety
/// `patient` as for `mp_patient_set_age`; `abnormality` is NULL or `abnormality_len` readable
/// bytes.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_finding_len(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    abnormality_len: usize,
    status: u32,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_finding_impl(patient, Text::Len(abnormality, abnormality_len), status, None) }
}

/// As `mp_patient_set_finding`, with the clonal fraction (% of plasma cells or of positive
/// nuclei, 0–100), which some risk definitions compare with a cut-off. The core accepts a
/// fraction only with `MP_FINDING_STATUS_DETECTED`.
///
/// # Safety
/// As for `mp_patient_set_finding`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_finding_with_fraction(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    status: u32,
    clonal_fraction_pct: f64,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_finding_impl(patient, Text::Nul(abnormality), status, Some(clonal_fraction_pct)) }
}

/// As `mp_patient_set_finding_with_fraction`, with the abnormality given as `abnormality_len`
/// bytes.
///
/// # Safety
/// As for `mp_patient_set_finding_len`.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_patient_set_finding_with_fraction_len(
    patient: *mut mp_patient,
    abnormality: *const c_char,
    abnormality_len: usize,
    status: u32,
    clonal_fraction_pct: f64,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { set_finding_impl(patient, Text::Len(abnormality, abnormality_len), status, Some(clonal_fraction_pct)) }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::ffi::CStr;

    fn fresh() -> *mut mp_patient {
        let mut p = std::ptr::null_mut();
        // SAFETY: a local out-pointer.
        assert_eq!(unsafe { mp_patient_new(&mut p) }, mp_status::Ok);
        p
    }

    fn json_refusal(field_json: &str) -> Option<String> {
        PatientRecord::from_json(field_json).and_then(|r| r.validate()).err().map(|e| e.to_string())
    }

    fn last() -> String {
        // SAFETY: never NULL, valid until the next call on this thread.
        unsafe { CStr::from_ptr(crate::mp_last_error()) }.to_str().unwrap().to_string()
    }

    #[test]
    fn integer_setters_accept_the_limit_and_refuse_one_past_as_the_json_record_does() {
        type Setter = unsafe extern "C" fn(*mut mp_patient, i64) -> mp_status;
        let cases: [(&str, Setter, i64, i64); 2] =
            [("age_years", mp_patient_set_age, 18, 120), ("ecog", mp_patient_set_ecog, 0, 4)];
        for (field, setter, lo, hi) in cases {
            let p = fresh();
            // SAFETY: a live patient used by this thread only.
            unsafe {
                for ok in [lo, hi] {
                    assert_eq!(setter(p, ok), mp_status::Ok, "{field} {ok}");
                    assert_eq!(json_refusal(&format!(r#"{{"{field}": {ok}}}"#)), None);
                }
                for bad in [lo - 1, hi + 1] {
                    assert_eq!(setter(p, bad), mp_status::OutOfRange, "{field} {bad}");
                    // The JSON record refuses it too; where the record's type holds the value the
                    // message is the same byte for byte (below 0 for a `u8` field the JSON reader
                    // refuses the type, C the range).
                    let json = json_refusal(&format!(r#"{{"{field}": {bad}}}"#)).unwrap();
                    if json.contains("accepted range") {
                        assert_eq!(last(), json, "{field} {bad}");
                    }
                }
                // Values that a narrower C type would have wrapped into the range.
                for wrap in [65_596, 256, 257, 262, -248, i64::MIN, i64::MAX, 60 + (1 << 32)] {
                    assert_eq!(setter(p, wrap), mp_status::OutOfRange, "{field} {wrap}");
                    assert!(last().contains(field) && last().contains("accepted range"), "{}", last());
                }
                mp_patient_free(p);
            }
        }
    }

    #[test]
    fn frailty_setter_refuses_one_past_each_limit_naming_the_field() {
        let p = fresh();
        // SAFETY: a live patient used by this thread only.
        unsafe {
            assert_eq!(mp_patient_set_frailty(p, 37, 6, 8), mp_status::Ok);
            assert_eq!(mp_patient_set_frailty(p, 0, 0, 0), mp_status::Ok);
            for (c, k, l, field) in [
                (38, 6, 8, "frailty.charlson"),
                (-1, 6, 8, "frailty.charlson"),
                (257, 6, 8, "frailty.charlson"),
                (0, 7, 8, "frailty.katz_adl"),
                (0, 262, 8, "frailty.katz_adl"),
                (0, 6, 9, "frailty.lawton_iadl"),
                (0, 6, -248, "frailty.lawton_iadl"),
            ] {
                assert_eq!(mp_patient_set_frailty(p, c, k, l), mp_status::OutOfRange, "{c} {k} {l}");
                assert!(last().starts_with(field), "{}", last());
            }
            let mut json = std::ptr::null();
            assert_eq!(mp_patient_json(p, &mut json), mp_status::Ok);
            assert!(CStr::from_ptr(json).to_str().unwrap().contains(r#""charlson":0"#));
            mp_patient_free(p);
        }
    }

    #[test]
    fn an_unknown_abnormality_is_echoed_only_as_a_short_prefix() {
        let p = fresh();
        let name = "z".repeat(200);
        // SAFETY: a live patient; `name` is `len` readable bytes.
        unsafe {
            let s = mp_patient_set_finding_len(p, name.as_ptr().cast(), name.len(), 1);
            assert_eq!(s, mp_status::UnknownIdentifier);
            assert!(!last().contains(&"z".repeat(33)), "{}", last());
            mp_patient_free(p);
        }
    }
}
