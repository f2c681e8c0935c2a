//! `mp_plan`: where the patient is on the pathway, the ranked options now, and why.

use std::ffi::{c_char, CString};

use mp_core::fitness::Eligibility;
use mp_core::pathway::Phase;
use mp_core::risk::RiskLevel;
use mp_core::{recommend, Plan};

use crate::boundary::{arg_ref, cstring, ffi, ffi_status, free_handle, into_handle, FfiError, Out};
use crate::guideline::{default_guideline, mp_guideline};
use crate::patient::mp_patient;
use crate::status::mp_status;

/// A plan made by `mp_recommend`: immutable, so it may be read from several threads at once.
/// Every string a getter returns is owned by the plan and stays valid until `mp_plan_free`.
pub struct mp_plan {
    plan: Plan,
    json: CString,
    text: CString,
    phase_id: CString,
    eligibility_id: CString,
    risk_level_id: CString,
    option_ids: Vec<CString>,
    option_names: Vec<CString>,
    missing_fields: Vec<CString>,
}

/// The phase of care (`mp_plan_phase`). Values are stable; new phases get new numbers.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_phase {
    /// Diagnosed, not yet treated (`"work_up"`).
    WorkUp = 1,
    /// First-line induction (`"induction"`).
    Induction = 2,
    /// Consolidation by autologous stem-cell transplant (`"consolidation_transplant"`).
    ConsolidationTransplant = 3,
    /// Consolidation by further induction cycles, transplant-ineligible
    /// (`"consolidation_extended_induction"`).
    ConsolidationExtendedInduction = 4,
    /// Maintenance (`"maintenance"`).
    Maintenance = 5,
    /// Off therapy after fixed-duration maintenance, under monitoring (`"observation"`).
    Observation = 6,
    /// Relapsed/refractory disease, line 2 or later (`"relapse"`).
    Relapse = 7,
}

impl From<Phase> for mp_phase {
    fn from(p: Phase) -> Self {
        match p {
            Phase::WorkUp => Self::WorkUp,
            Phase::Induction => Self::Induction,
            Phase::ConsolidationTransplant => Self::ConsolidationTransplant,
            Phase::ConsolidationExtendedInduction => Self::ConsolidationExtendedInduction,
            Phase::Maintenance => Self::Maintenance,
            Phase::Observation => Self::Observation,
            Phase::Relapse => Self::Relapse,
        }
    }
}

/// Transplant eligibility (`mp_plan_eligibility`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_eligibility {
    /// Eligible for autologous stem-cell transplant (`"eligible"`).
    Eligible = 1,
    /// Not eligible (`"ineligible"`).
    Ineligible = 2,
    /// Cannot be decided with the inputs given; see the missing inputs (`"undetermined"`).
    Undetermined = 3,
}

impl From<Eligibility> for mp_eligibility {
    fn from(e: Eligibility) -> Self {
        match e {
            Eligibility::Eligible => Self::Eligible,
            Eligibility::Ineligible => Self::Ineligible,
            Eligibility::Undetermined => Self::Undetermined,
        }
    }
}

/// Cytogenetic risk under the guideline's definition (`mp_plan_risk_level`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mp_risk_level {
    /// No criterion met and every assessable criterion decided (`"standard"`).
    Standard = 1,
    /// A needed input is missing and nothing met decides it (`"undetermined"`).
    Undetermined = 2,
    /// At least one criterion met (`"high"`).
    High = 3,
}

impl From<RiskLevel> for mp_risk_level {
    fn from(r: RiskLevel) -> Self {
        match r {
            RiskLevel::Standard => Self::Standard,
            RiskLevel::Undetermined => Self::Undetermined,
            RiskLevel::High => Self::High,
        }
    }
}

/// The core's JSON name of an enum value (`"eligible"`, `"high"`): one spelling everywhere.
fn json_name<T: serde::Serialize>(v: &T) -> CString {
    cstring(serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
}

impl mp_plan {
    fn new(plan: Plan) -> Self {
        Self {
            json: cstring(plan.to_json()),
            text: cstring(plan.to_text()),
            phase_id: cstring(plan.position.phase.id()),
            eligibility_id: json_name(&plan.transplant_eligibility.eligibility),
            risk_level_id: json_name(&plan.risk.level),
            option_ids: plan.options.iter().map(|o| cstring(o.regimen_id.clone())).collect(),
            option_names: plan.options.iter().map(|o| cstring(o.name.clone())).collect(),
            missing_fields: plan.missing_inputs.iter().map(|m| cstring(m.field.clone())).collect(),
            plan,
        }
    }
}

/// Recommend: place the patient on the pathway and rank the options now, with the basis,
/// citations, exclusions ("why not"), missing inputs and counterfactuals.
///
/// `guideline` may be NULL for the default guideline. The patient and guideline are only
/// read; the plan keeps its own copy of everything it needs, so either may be freed first.
/// On `MP_STATUS_OK`, `*plan_out` is a new plan owned by the caller (free with
/// `mp_plan_free`); on error it is not written (e.g. `MP_STATUS_TRANSITION_REFUSED` when the
/// history contains an event the pathway refuses).
///
/// # Safety
/// `patient` is NULL or live; `guideline` is NULL or live; `plan_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_recommend(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    plan_out: *mut *mut mp_plan,
) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { arg_ref(patient, "patient") }?;
        // SAFETY: the caller's contract; NULL means the default guideline.
        let g = unsafe { guideline.as_ref() }.map_or_else(default_guideline, mp_guideline::core);
        let out = Out::new(plan_out, "plan_out")?;
        let plan = mp_plan::new(recommend(p.core(), g)?);
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(into_handle(plan)) };
        Ok(())
    })
}

/// Make a plan: the conventional `mp_<type>_new` name for [`mp_recommend`], with the same
/// arguments, behaviour, status codes and ownership (free the plan with `mp_plan_free`).
///
/// # Safety
/// As [`mp_recommend`].
#[no_mangle]
pub unsafe extern "C" fn mp_plan_new(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    plan_out: *mut *mut mp_plan,
) -> mp_status {
    // SAFETY: the caller's contract is mp_recommend's; it runs inside the panic boundary.
    unsafe { mp_recommend(patient, guideline, plan_out) }
}

/// Free a plan. NULL is accepted and ignored. Every string borrowed from the plan is invalid
/// afterwards.
///
/// # Safety
/// `plan` is NULL or a plan from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_free(plan: *mut mp_plan) {
    // SAFETY: the caller's contract.
    ffi(|| unsafe { free_handle(plan) })
}

/// A getter body: the plan checked for NULL, the out-parameter checked, the value written.
///
/// # Safety
/// `plan` is NULL or live; `out` is NULL or writable.
unsafe fn get<T>(
    plan: *const mp_plan,
    out: *mut T,
    out_name: &'static str,
    read: impl FnOnce(&mp_plan) -> Result<T, FfiError>,
) -> mp_status {
    ffi_status(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { arg_ref(plan, "plan") }?;
        let out = Out::new(out, out_name)?;
        let v = read(p)?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(v) };
        Ok(())
    })
}

fn nth(list: &[CString], index: usize) -> Result<*const c_char, FfiError> {
    list.get(index).map(|s| s.as_ptr()).ok_or_else(|| FfiError::index("index", index, list.len()))
}

/// The plan as JSON: byte-for-byte what Rust (`Plan::to_json`), Python and `mmpath plan
/// --json` give for the same input.
///
/// On `MP_STATUS_OK`, `*json_out` is a NUL-terminated string owned by the plan: do not free
/// it; valid until `mp_plan_free`.
///
/// # Safety
/// `plan` is NULL or live; `json_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_json(plan: *const mp_plan, json_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, json_out, "json_out", |p| Ok(p.json.as_ptr())) }
}

/// The plan as readable text for a clinician (as `mmpath plan` prints it). Ownership as for
/// `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_text(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.text.as_ptr())) }
}

/// The phase of care (`position.phase`).
///
/// # Safety
/// `plan` is NULL or live; `phase_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_phase(plan: *const mp_plan, phase_out: *mut mp_phase) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, phase_out, "phase_out", |p| Ok(p.plan.position.phase.into())) }
}

/// The phase of care as its stable identifier (`"work_up"`, `"induction"`, ...). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `phase_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_phase_id(plan: *const mp_plan, phase_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, phase_out, "phase_out", |p| Ok(p.phase_id.as_ptr())) }
}

/// The line of therapy (`position.line`; 1 = first line).
///
/// # Safety
/// `plan` is NULL or live; `line_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_line(plan: *const mp_plan, line_out: *mut u32) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, line_out, "line_out", |p| Ok(u32::from(p.plan.position.line))) }
}

/// The number of ranked options (`options`); 0 is possible (see the plan's warnings).
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.option_ids.len())) }
}

/// The regimen identifier of option `index` (`options[index].regimen_id`, e.g. `"vrd"`).
/// `index` must be below `mp_plan_option_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`).
/// Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `id_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_regimen_id(
    plan: *const mp_plan,
    index: usize,
    id_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, id_out, "id_out", |p| nth(&p.option_ids, index)) }
}

/// The display name of option `index` (`options[index].name`). As `mp_plan_option_regimen_id`.
///
/// # Safety
/// `plan` is NULL or live; `name_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_name(
    plan: *const mp_plan,
    index: usize,
    name_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, name_out, "name_out", |p| nth(&p.option_names, index)) }
}

/// The rank of option `index` (`options[index].rank`; 1 = first choice, ties share a rank).
///
/// # Safety
/// `plan` is NULL or live; `rank_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_rank(plan: *const mp_plan, index: usize, rank_out: *mut u32) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, rank_out, "rank_out", |p| {
            p.plan
                .options
                .get(index)
                .map(|o| u32::from(o.rank))
                .ok_or_else(|| FfiError::index("index", index, p.plan.options.len()))
        })
    }
}

/// Transplant eligibility (`transplant_eligibility.eligibility`).
///
/// # Safety
/// `plan` is NULL or live; `eligibility_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_eligibility(plan: *const mp_plan, eligibility_out: *mut mp_eligibility) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, eligibility_out, "eligibility_out", |p| Ok(p.plan.transplant_eligibility.eligibility.into())) }
}

/// Transplant eligibility as its identifier (`"eligible"`, `"ineligible"`, `"undetermined"`).
/// Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `eligibility_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_eligibility_id(
    plan: *const mp_plan,
    eligibility_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, eligibility_out, "eligibility_out", |p| Ok(p.eligibility_id.as_ptr())) }
}

/// Cytogenetic risk under the guideline's definition (`risk.level`).
///
/// # Safety
/// `plan` is NULL or live; `risk_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_risk_level(plan: *const mp_plan, risk_out: *mut mp_risk_level) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, risk_out, "risk_out", |p| Ok(p.plan.risk.level.into())) }
}

/// Cytogenetic risk as its identifier (`"standard"`, `"undetermined"`, `"high"`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `risk_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_risk_level_id(plan: *const mp_plan, risk_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, risk_out, "risk_out", |p| Ok(p.risk_level_id.as_ptr())) }
}

/// The number of inputs the plan needed and did not have (`missing_inputs`). Unknown is never
/// read as normal: each is named with the test that would supply it (see the JSON).
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.missing_fields.len())) }
}

/// The dotted field path of missing input `index` (`missing_inputs[index].field`, e.g.
/// `"labs.ldh"`). `index` must be below `mp_plan_missing_input_count`. Ownership as for
/// `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `field_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_field(
    plan: *const mp_plan,
    index: usize,
    field_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, field_out, "field_out", |p| nth(&p.missing_fields, index)) }
}
