//! `mp_plan`: where the patient is on the pathway, the ranked options now, and why — every
//! part of the plan readable through getters (warnings, exclusions with their reason, each
//! option's rationale and notes, the missing inputs grouped by field, counterfactuals, the
//! basis), and the JSON and text rendered only when asked for.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use mp_core::fitness::Eligibility;
use mp_core::pathway::Phase;
use mp_core::risk::RiskLevel;
use mp_core::{recommend_with, Plan};

use crate::boundary::{arg_ref, cstring, ffi, ffi_status, free_handle, into_handle, FfiError, Out};
use crate::guideline::{default_guideline, mp_guideline};
use crate::kb::{kb_or_embedded, mp_kb};
use crate::patient::mp_patient;
use crate::status::mp_status;

/// A plan made by `mp_recommend`: immutable, so it may be read from several threads at once.
/// Every string a getter returns is owned by the plan and stays valid until `mp_plan_free`.
/// Nothing is rendered when the plan is made: the JSON, the text and the strings the getters
/// return are each built on first use (once, thread-safely).
pub struct mp_plan {
    plan: Plan,
    json: OnceLock<CString>,
    text: OnceLock<CString>,
    fhir: OnceLock<CString>,
    inputs_json: OnceLock<CString>,
    views: OnceLock<Views>,
}

struct OptionView {
    id: CString,
    name: CString,
    action: CString,
    course: CString,
    condition: CString,
    rationale: Vec<CString>,
    notes: Vec<CString>,
}

struct MissingView {
    field: CString,
    test: CString,
    needed_for: Vec<CString>,
}

struct CounterfactualView {
    change: CString,
    effect: CString,
    first_options: Vec<CString>,
}

/// The plan's strings as C reads them, built together on the first getter call.
struct Views {
    phase_id: CString,
    eligibility_id: CString,
    risk_level_id: CString,
    options: Vec<OptionView>,
    warnings: Vec<(CString, CString)>,
    exclusions: Vec<(CString, CString, CString)>,
    missing: Vec<MissingView>,
    counterfactuals: Vec<CounterfactualView>,
    next_when: CString,
    next_action: CString,
    library_version: CString,
    kb_version: CString,
    kb_sha256: CString,
    guideline_json: CString,
}

fn cstrings(list: &[String]) -> Vec<CString> {
    list.iter().map(|s| cstring(s.as_str())).collect()
}

impl Views {
    fn of(plan: &Plan) -> Self {
        Self {
            phase_id: cstring(plan.position.phase.id()),
            eligibility_id: json_name(&plan.transplant_eligibility.eligibility),
            risk_level_id: json_name(&plan.risk.level),
            options: plan
                .options
                .iter()
                .map(|o| OptionView {
                    id: cstring(o.regimen_id.as_str()),
                    name: cstring(o.name.as_str()),
                    action: cstring(o.action),
                    course: cstring(o.course.as_str()),
                    condition: cstring(o.condition.clone().unwrap_or_default()),
                    rationale: cstrings(&o.rationale),
                    notes: cstrings(&o.notes),
                })
                .collect(),
            warnings: plan.warnings.iter().map(|w| (cstring(w.code), cstring(w.message.as_str()))).collect(),
            exclusions: plan
                .excluded
                .iter()
                .map(|e| (cstring(e.regimen_id.as_str()), cstring(e.name.as_str()), cstring(e.reason.as_str())))
                .collect(),
            missing: plan
                .missing_inputs_by_field()
                .into_iter()
                .map(|m| MissingView {
                    field: cstring(m.field),
                    test: cstring(m.test),
                    needed_for: cstrings(&m.needed_for),
                })
                .collect(),
            counterfactuals: plan
                .counterfactuals
                .iter()
                .map(|c| CounterfactualView {
                    change: cstring(c.change.as_str()),
                    effect: cstring(c.effect.as_str()),
                    first_options: cstrings(&c.first_options),
                })
                .collect(),
            next_when: cstring(plan.next_decision.when.as_str()),
            next_action: cstring(plan.next_decision.action.as_str()),
            library_version: cstring(plan.basis.library_version),
            kb_version: cstring(plan.basis.knowledge_base.version.as_str()),
            kb_sha256: cstring(plan.basis.knowledge_base.sha256.as_str()),
            guideline_json: cstring(serde_json::to_string(&plan.basis.guideline).unwrap_or_default()),
        }
    }
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
            plan,
            json: OnceLock::new(),
            text: OnceLock::new(),
            fhir: OnceLock::new(),
            inputs_json: OnceLock::new(),
            views: OnceLock::new(),
        }
    }

    fn views(&self) -> &Views {
        self.views.get_or_init(|| Views::of(&self.plan))
    }
}

/// Recommend with a knowledge base (NULL: the embedded one): place the patient on the pathway
/// and rank the options now, with the basis, citations, exclusions ("why not"), missing inputs
/// and counterfactuals.
///
/// `guideline` may be NULL for the default guideline. The knowledge base, patient and
/// guideline are only read; the plan keeps its own copy of everything it needs, so any of them
/// may be freed first. On `MP_STATUS_OK`, `*plan_out` is a new plan owned by the caller (free
/// with `mp_plan_free`); on error it is not written (e.g. `MP_STATUS_TRANSITION_REFUSED` when
/// the history contains an event the pathway refuses).
///
/// # Safety
/// `kb`, `patient` and `guideline` are NULL or live; `plan_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_recommend_with_kb(
    kb: *const mp_kb,
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
        // SAFETY: the caller's contract; NULL means the embedded knowledge base.
        let kb = unsafe { kb_or_embedded(kb) };
        let plan = mp_plan::new(recommend_with(kb, p.core(), g)?);
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(into_handle(plan)) };
        Ok(())
    })
}

/// `mp_recommend_with_kb` with the embedded knowledge base.
///
/// # Safety
/// `patient` is NULL or live; `guideline` is NULL or live; `plan_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_recommend(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    plan_out: *mut *mut mp_plan,
) -> mp_status {
    // SAFETY: forwarded contract; it runs inside the panic boundary.
    unsafe { mp_recommend_with_kb(std::ptr::null(), patient, guideline, plan_out) }
}

/// Make a plan: the conventional `mp_<type>_new` name for [`mp_recommend`], with the same
/// arguments, behaviour, status codes and ownership (free the plan with `mp_plan_free`).
///
/// # Safety
/// As [`mp_recommend`].
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_new(
    patient: *const mp_patient,
    guideline: *const mp_guideline,
    plan_out: *mut *mut mp_plan,
) -> mp_status {
    // SAFETY: the caller's contract is mp_recommend's; it runs inside the panic boundary.
    unsafe { mp_recommend_with_kb(std::ptr::null(), patient, guideline, plan_out) }
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

fn item<'a, T>(list: &'a [T], name: &'static str, index: usize) -> Result<&'a T, FfiError> {
    list.get(index).ok_or_else(|| FfiError::index(name, index, list.len()))
}

fn nth(list: &[CString], name: &'static str, index: usize) -> Result<*const c_char, FfiError> {
    item(list, name, index).map(|s| s.as_ptr())
}

fn option(p: &mp_plan, index: usize) -> Result<&OptionView, FfiError> {
    item(&p.views().options, "index", index)
}

/// The plan as JSON: byte-for-byte what Rust (`Plan::to_json`), Python and `mmpath plan
/// --json` give for the same input.
///
/// On `MP_STATUS_OK`, `*json_out` is a NUL-terminated string owned by the plan: do not free
/// it; valid until `mp_plan_free`.
///
/// # Safety
/// `plan` is NULL or live; `json_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_json(plan: *const mp_plan, json_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, json_out, "json_out", |p| Ok(p.json.get_or_init(|| cstring(p.plan.to_json())).as_ptr())) }
}

/// The plan as readable text for a clinician (as `mmpath plan` prints it). Ownership as for
/// `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_text(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.text.get_or_init(|| cstring(p.plan.to_text())).as_ptr())) }
}

/// The plan as FHIR R4 (`docs/fhir.md`): a `Bundle` with a CPG-on-FHIR `RequestGroup` (one
/// action per ranked option, each pointing at its regimen's `PlanDefinition`) and a
/// `GuidanceResponse` carrying the basis (knowledge-base version and SHA-256, citations, missing
/// inputs as `dataRequirement`). Byte for byte what `mmpath plan --fhir-out` and Python's
/// `Plan.to_fhir_json()` give for the same input. Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `fhir_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_fhir_json(plan: *const mp_plan, fhir_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, fhir_out, "fhir_out", |p| {
            if let Some(c) = p.fhir.get() {
                return Ok(c.as_ptr());
            }
            let text = mp_fhir::plan_fhir_json(&p.plan)?;
            Ok(p.fhir.get_or_init(|| cstring(text)).as_ptr())
        })
    }
}

/// The phase of care (`position.phase`).
///
/// # Safety
/// `plan` is NULL or live; `phase_out` is NULL or writable.
#[must_use]
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
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_phase_id(plan: *const mp_plan, phase_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, phase_out, "phase_out", |p| Ok(p.views().phase_id.as_ptr())) }
}

/// The line of therapy (`position.line`; 1 = first line).
///
/// # Safety
/// `plan` is NULL or live; `line_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_line(plan: *const mp_plan, line_out: *mut u32) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, line_out, "line_out", |p| Ok(u32::from(p.plan.position.line))) }
}

/// The number of ranked options (`options`); 0 is possible (see the plan's warnings).
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.plan.options.len())) }
}

/// The regimen identifier of option `index` (`options[index].regimen_id`, e.g. `"vrd"`).
/// `index` must be below `mp_plan_option_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`).
/// Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `id_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_regimen_id(
    plan: *const mp_plan,
    index: usize,
    id_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, id_out, "id_out", |p| option(p, index).map(|o| o.id.as_ptr())) }
}

/// The display name of option `index` (`options[index].name`). As `mp_plan_option_regimen_id`.
///
/// # Safety
/// `plan` is NULL or live; `name_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_name(
    plan: *const mp_plan,
    index: usize,
    name_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, name_out, "name_out", |p| option(p, index).map(|o| o.name.as_ptr())) }
}

/// The rank of option `index` (`options[index].rank`; 1 = first choice, ties share a rank).
///
/// # Safety
/// `plan` is NULL or live; `rank_out` is NULL or writable.
#[must_use]
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
#[must_use]
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
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_eligibility_id(
    plan: *const mp_plan,
    eligibility_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, eligibility_out, "eligibility_out", |p| Ok(p.views().eligibility_id.as_ptr())) }
}

/// Cytogenetic risk under the guideline's definition (`risk.level`).
///
/// # Safety
/// `plan` is NULL or live; `risk_out` is NULL or writable.
#[must_use]
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
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_risk_level_id(plan: *const mp_plan, risk_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, risk_out, "risk_out", |p| Ok(p.views().risk_level_id.as_ptr())) }
}

/// What to do with option `index` (`options[index].action`: `"start"`, `"continue"`, `"transplant"`, `"extend_induction"`, `"maintenance"`). `index` must be below `mp_plan_option_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_action(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().options, "index", index).map(|x| x.action.as_ptr())) }
}

/// The course of option `index` (`options[index].course`, e.g. `"14-day cycles, for 24 months"`). `index` must be below `mp_plan_option_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_course(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().options, "index", index).map(|x| x.course.as_ptr())) }
}

/// The condition under which option `index` applies, where an input is undetermined (`options[index].condition`); `""` when it applies unconditionally. `index` must be below `mp_plan_option_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_condition(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| item(&p.views().options, "index", index).map(|x| x.condition.as_ptr()))
    }
}

/// The number of rationale lines of option `index` (`options[index].rationale`: why it is offered). `index` must be below `mp_plan_option_count`.
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_rationale_count(
    plan: *const mp_plan,
    index: usize,
    count_out: *mut usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, count_out, "count_out", |p| item(&p.views().options, "index", index).map(|x| x.rationale.len()))
    }
}

/// Rationale line `item` of option `index`. `index` must be below `mp_plan_option_count` and `item` below `mp_plan_option_rationale_count` (else
/// `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_rationale(
    plan: *const mp_plan,
    index: usize,
    item: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| {
            self::item(&p.views().options, "index", index).and_then(|x| nth(&x.rationale, "item", item))
        })
    }
}

/// The number of notes of option `index` (`options[index].notes`: dose adjustments and cautions for this patient). `index` must be below `mp_plan_option_count`.
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_note_count(
    plan: *const mp_plan,
    index: usize,
    count_out: *mut usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| item(&p.views().options, "index", index).map(|x| x.notes.len())) }
}

/// Note `item` of option `index`. `index` must be below `mp_plan_option_count` and `item` below `mp_plan_option_note_count` (else
/// `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_option_note(
    plan: *const mp_plan,
    index: usize,
    item: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| {
            self::item(&p.views().options, "index", index).and_then(|x| nth(&x.notes, "item", item))
        })
    }
}

/// The number of warnings (`warnings`). Show them with the options: each is tied to a hazard.
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_warning_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.plan.warnings.len())) }
}

/// The stable code of warning `index` (`warnings[index].code`, e.g. `"lenalidomide_renal_dose"`). `index` must be below `mp_plan_warning_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_warning_code(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().warnings, "index", index).map(|x| x.0.as_ptr())) }
}

/// The message of warning `index` (`warnings[index].message`). `index` must be below `mp_plan_warning_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_warning_message(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().warnings, "index", index).map(|x| x.1.as_ptr())) }
}

/// The number of options considered and not offered (`excluded`).
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_exclusion_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.plan.excluded.len())) }
}

/// The regimen identifier of exclusion `index` (`excluded[index].regimen_id`). `index` must be below `mp_plan_exclusion_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_exclusion_regimen_id(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().exclusions, "index", index).map(|x| x.0.as_ptr())) }
}

/// The regimen name of exclusion `index` (`excluded[index].name`). `index` must be below `mp_plan_exclusion_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_exclusion_name(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().exclusions, "index", index).map(|x| x.1.as_ptr())) }
}

/// Why exclusion `index` is not offered (`excluded[index].reason`). `index` must be below `mp_plan_exclusion_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_exclusion_reason(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().exclusions, "index", index).map(|x| x.2.as_ptr())) }
}

/// The number of fields the plan needed and did not have, each counted once (the plan JSON's `missing_inputs` has one entry per field and purpose; these getters group them by field, in the order each first appears). Unknown is never read as normal.
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.views().missing.len())) }
}

/// The dotted field path of missing input `index` (e.g. `"labs.ldh"`). `index` must be below `mp_plan_missing_input_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_field(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().missing, "index", index).map(|x| x.field.as_ptr())) }
}

/// The test that would supply missing input `index` (distinct tests joined by `"; "`). `index` must be below `mp_plan_missing_input_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_test(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| item(&p.views().missing, "index", index).map(|x| x.test.as_ptr())) }
}

/// How many results missing input `index` is needed for (each purpose once: `"ISS"`, `"R-ISS"`, ...). `index` must be below `mp_plan_missing_input_count`.
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_needed_for_count(
    plan: *const mp_plan,
    index: usize,
    count_out: *mut usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, count_out, "count_out", |p| item(&p.views().missing, "index", index).map(|x| x.needed_for.len()))
    }
}

/// Purpose `item` of missing input `index`. `index` must be below `mp_plan_missing_input_count` and `item` below `mp_plan_missing_input_needed_for_count` (else
/// `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_missing_input_needed_for(
    plan: *const mp_plan,
    index: usize,
    item: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| {
            self::item(&p.views().missing, "index", index).and_then(|x| nth(&x.needed_for, "item", item))
        })
    }
}

/// The number of counterfactuals (`counterfactuals`: what would change the first option).
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_counterfactual_count(plan: *const mp_plan, count_out: *mut usize) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, count_out, "count_out", |p| Ok(p.plan.counterfactuals.len())) }
}

/// The change of counterfactual `index` (e.g. `"if t(4;14) were not detected"`). `index` must be below `mp_plan_counterfactual_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_counterfactual_change(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| item(&p.views().counterfactuals, "index", index).map(|x| x.change.as_ptr()))
    }
}

/// The effect of counterfactual `index`, in words. `index` must be below `mp_plan_counterfactual_count` (else `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as
/// for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_counterfactual_effect(
    plan: *const mp_plan,
    index: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| item(&p.views().counterfactuals, "index", index).map(|x| x.effect.as_ptr()))
    }
}

/// The number of first options counterfactual `index` would give. `index` must be below `mp_plan_counterfactual_count`.
///
/// # Safety
/// `plan` is NULL or live; `count_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_counterfactual_first_option_count(
    plan: *const mp_plan,
    index: usize,
    count_out: *mut usize,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, count_out, "count_out", |p| {
            item(&p.views().counterfactuals, "index", index).map(|x| x.first_options.len())
        })
    }
}

/// First option `item` that counterfactual `index` would give. `index` must be below `mp_plan_counterfactual_count` and `item` below `mp_plan_counterfactual_first_option_count` (else
/// `MP_STATUS_INDEX_OUT_OF_RANGE`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_counterfactual_first_option(
    plan: *const mp_plan,
    index: usize,
    item: usize,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| {
            self::item(&p.views().counterfactuals, "index", index).and_then(|x| nth(&x.first_options, "item", item))
        })
    }
}

/// When the next decision falls (`next_decision.when`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_next_decision_when(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.views().next_when.as_ptr())) }
}

/// What to decide or do then (`next_decision.action`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_next_decision_action(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.views().next_action.as_ptr())) }
}

/// The library version that made the plan (`basis.library_version`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_basis_library_version(
    plan: *const mp_plan,
    text_out: *mut *const c_char,
) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.views().library_version.as_ptr())) }
}

/// The version of the knowledge base the plan rests on (`basis.knowledge_base.version`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_basis_kb_version(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.views().kb_version.as_ptr())) }
}

/// The SHA-256 of the knowledge base the plan rests on (`basis.knowledge_base.sha256`): record it with the decision. Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_basis_kb_sha256(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.views().kb_sha256.as_ptr())) }
}

/// The guideline applied, every caller choice explicit, as JSON (`basis.guideline`). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_basis_guideline_json(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe { get(plan, text_out, "text_out", |p| Ok(p.views().guideline_json.as_ptr())) }
}

/// The inputs as the plan understood them, after unit conversion, as JSON (`basis.inputs`; built on first call). Ownership as for `mp_plan_json`.
///
/// # Safety
/// `plan` is NULL or live; `text_out` is NULL or writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn mp_plan_basis_inputs_json(plan: *const mp_plan, text_out: *mut *const c_char) -> mp_status {
    // SAFETY: forwarded contract.
    unsafe {
        get(plan, text_out, "text_out", |p| {
            Ok(p.inputs_json
                .get_or_init(|| cstring(serde_json::to_string(&p.plan.basis.inputs).unwrap_or_default()))
                .as_ptr())
        })
    }
}
