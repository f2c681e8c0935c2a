//! The native half of the `myeloma_pathway` Python package (`myeloma_pathway._native`).
//!
//! Translation only: JSON text and columns in, the core's JSON text and columns out. Every
//! clinical answer comes from the `myeloma-pathway` core; nothing here decides. Errors are raised
//! as the exception classes of `myeloma_pathway.errors` (one per core error kind), each carrying
//! the core's error JSON, and every call into the core runs inside `catch_unwind`, so no input
//! can surface as a `PanicException`.

#![forbid(unsafe_code)]

mod arrow;
mod cohort;
mod knowledge;
use myeloma_pathway::error::plain;
mod tables;

use knowledge::{kb_of, PyKnowledgeBase};

use std::panic::{catch_unwind, AssertUnwindSafe};

use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::cytogenetics::Abnormality;
use myeloma_pathway::fitness::Eligibility;
use myeloma_pathway::json::parse as parse_json;
use myeloma_pathway::pathway::{self, Event, PathwayState, Phase};
use myeloma_pathway::risk::RiskDefinition;
use myeloma_pathway::{Error, KnowledgeBase, Patient};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Raise `myeloma_pathway.errors.<class>(message, json)`.
fn raise(py: Python<'_>, class: &str, message: String, json: String) -> PyErr {
    raise_with(py, class, message, json, None)
}

/// Raise `myeloma_pathway.errors.<class>(message, json, extra)`.
fn raise_with(py: Python<'_>, class: &str, message: String, json: String, extra: Option<String>) -> PyErr {
    // A kind without its own class (the generated `errors.py` is behind the core) is raised as
    // the base class, never lost.
    let made = py.import("myeloma_pathway.errors").and_then(|m| {
        let cls = m.getattr(class).or_else(|_| m.getattr("MyelomaPathwayError"))?;
        cls.call1((message, json, extra))
    });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// A core error as the matching Python exception (a refusal also carries its typed reason).
pub(crate) fn core_err(py: Python<'_>, e: &Error) -> PyErr {
    let extra = match e {
        Error::TransitionRefused { refusal, .. } => serde_json::to_string(refusal).ok(),
        _ => None,
    };
    let e = plain::error(e);
    raise_with(py, &tables::class_name(e.kind()), e.to_string(), api::error_json(&e), extra)
}

/// A panic in the core (a bug) as a `MyelomaPathwayError`, never a `PanicException`.
pub(crate) fn internal(py: Python<'_>) -> PyErr {
    let json = serde_json::json!({"error": {"kind": "internal", "code": 1, "field": null, "unit": null,
        "accepted_range": null, "message": "internal error in myeloma-pathway (a bug: please report it)"}});
    raise(
        py,
        "MyelomaPathwayError",
        "internal error in myeloma-pathway (a bug: please report it)".into(),
        json.to_string(),
    )
}

/// Run `f` with the GIL released and panics caught.
pub(crate) fn guarded<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(core_err(py, &e)),
        Err(_) => Err(internal(py)),
    }
}

fn assessment(name: &str) -> PyResult<Assessment> {
    Assessment::from_name(name).ok_or_else(|| PyValueError::new_err(format!("unknown assessment `{name}`")))
}

/// Run an assessment (`plan`, `stage`, `risk`, `risk-compare`, `eligibility`) on a patient record
/// given as JSON; returns the core's JSON text.
#[pyfunction]
#[pyo3(signature = (assessment_name, patient_json, guideline_json=None, kb=None))]
fn run(
    py: Python<'_>,
    assessment_name: &str,
    patient_json: &str,
    guideline_json: Option<&str>,
    kb: Option<&Bound<'_, PyKnowledgeBase>>,
) -> PyResult<String> {
    let what = assessment(assessment_name)?;
    let kb = kb_of(kb);
    guarded(py, || api::run_json_with(kb.get(), what, patient_json, guideline_json))
}

/// Run an assessment and return `(ok, json)`: the result JSON, or the core's error JSON. This is
/// what the golden runner compares byte for byte with `mmpath case`.
#[pyfunction]
#[pyo3(signature = (assessment_name, patient_json, guideline_json=None, kb=None))]
fn run_or_error_json(
    py: Python<'_>,
    assessment_name: &str,
    patient_json: &str,
    guideline_json: Option<&str>,
    kb: Option<&Bound<'_, PyKnowledgeBase>>,
) -> PyResult<(bool, String)> {
    let what = assessment(assessment_name)?;
    let kb = kb_of(kb);
    let out = py.detach(|| {
        catch_unwind(AssertUnwindSafe(|| match api::run_json_with(kb.get(), what, patient_json, guideline_json) {
            Ok(s) => (true, s),
            Err(e) => (false, api::error_json(&e)),
        }))
    });
    out.map_err(|_| internal(py))
}

/// The plan as the core's plain-text rendering (what `mmpath plan` prints).
#[pyfunction]
#[pyo3(signature = (patient_json, guideline_json=None, kb=None))]
fn plan_text(
    py: Python<'_>,
    patient_json: &str,
    guideline_json: Option<&str>,
    kb: Option<&Bound<'_, PyKnowledgeBase>>,
) -> PyResult<String> {
    let kb = kb_of(kb);
    guarded(py, || {
        let g = api::guideline_from(guideline_json)?;
        let p = Patient::from_json(patient_json)?;
        myeloma_pathway::recommend_with(kb.get(), &p, &g).map(|plan| plan.to_text())
    })
}

/// The treatment calendar as the core's JSON (`api::calendar_json`): `regimen` (default: the
/// plan's first option) from `start` (`YYYY-MM-DD`) in the course of the patient's setting.
#[pyfunction]
#[pyo3(signature = (patient_json, start, regimen=None, cycles=None, guideline_json=None, kb=None))]
fn calendar_json(
    py: Python<'_>,
    patient_json: &str,
    start: &str,
    regimen: Option<&str>,
    cycles: Option<u16>,
    guideline_json: Option<&str>,
    kb: Option<&Bound<'_, PyKnowledgeBase>>,
) -> PyResult<String> {
    let kb = kb_of(kb);
    guarded(py, || api::calendar_json(kb.get(), patient_json, guideline_json, regimen, start, cycles))
}

/// Panics inside the boundary that every call into the core goes through; the tests call it to
/// show that a panic reaches Python as `MyelomaPathwayError`, never as `PanicException`.
#[pyfunction]
#[allow(clippy::panic)]
fn _boundary_self_test(py: Python<'_>) -> PyResult<()> {
    guarded(py, || -> Result<(), Error> { panic!("boundary self-test") })
}

/// The names of every assessment the core offers, in its order.
#[pyfunction]
fn assessment_names() -> Vec<String> {
    Assessment::ALL.iter().map(|(_, n)| (*n).to_string()).collect()
}

/// Validate a patient record; returns the record as canonical JSON.
#[pyfunction]
fn validate_patient(py: Python<'_>, patient_json: &str) -> PyResult<String> {
    guarded(py, || {
        let record = myeloma_pathway::PatientRecord::from_json(patient_json)?;
        record.validate().map(|_| record.to_json())
    })
}

/// Read a FHIR R4 `Bundle` (JSON) into a patient record with the FHIR crate; returns the
/// record JSON and the import report JSON (used, superseded, ignored, diagnosis codes).
/// `reference_date` (`YYYY-MM-DD`, default today's UTC date) is the date age is computed at.
#[pyfunction]
#[pyo3(signature = (bundle_json, reference_date=None))]
fn patient_from_fhir(py: Python<'_>, bundle_json: &str, reference_date: Option<&str>) -> PyResult<(String, String)> {
    guarded(py, || {
        let import = myeloma_pathway_fhir::read_bundle_at(bundle_json, reference_date)?;
        Ok((import.record.to_json(), import.report.to_json_value().to_string()))
    })
}

/// A plan's JSON (as `recommend` returns it) as FHIR R4: a `Bundle` with a CPG-on-FHIR
/// `RequestGroup` and a `GuidanceResponse` (JSON text), the bytes `mmpath plan --fhir-out` and
/// C's `mp_plan_fhir_json` give.
#[pyfunction]
fn plan_fhir_json(py: Python<'_>, plan_json: &str) -> PyResult<String> {
    guarded(py, || myeloma_pathway_fhir::plan_json_to_fhir_json(plan_json))
}

/// Validate a guideline profile (empty = default); returns it in full as JSON.
#[pyfunction]
#[pyo3(signature = (guideline_json=None))]
fn validate_guideline(py: Python<'_>, guideline_json: Option<&str>) -> PyResult<String> {
    guarded(py, || api::guideline_from(guideline_json).map(|g| serde_json::to_string(&g).unwrap_or_default()))
}

/// Knowledge-base identity: `{"library_version", "version", "sha256"}`.
#[pyfunction]
fn kb_identity() -> String {
    api::kb_identity_json()
}

/// A regimen of the embedded knowledge base as JSON (cycle length, components, days), or `None`.
#[pyfunction]
fn regimen(id: &str) -> Option<String> {
    KnowledgeBase::embedded().regimen(id).and_then(|r| serde_json::to_string(r).ok())
}

/// Every regimen id of the embedded knowledge base.
#[pyfunction]
fn regimen_ids() -> Vec<String> {
    KnowledgeBase::embedded().regimens().iter().map(|r| r.id.clone()).collect()
}

/// The pathway state of a newly diagnosed patient, as JSON.
#[pyfunction]
fn initial_state(py: Python<'_>, eligibility: &str) -> PyResult<String> {
    guarded(py, || {
        let e: Eligibility = parse_json(&serde_json::Value::String(eligibility.to_string()).to_string())?;
        Ok(serde_json::to_string(&PathwayState::new(e)).unwrap_or_default())
    })
}

/// One step of the pathway state machine: the next state as JSON, or `TransitionRefusedError`
/// carrying the typed refusal.
#[pyfunction]
fn transition(py: Python<'_>, state_json: &str, event_json: &str) -> PyResult<String> {
    guarded(py, || {
        let state: PathwayState = parse_json(state_json).map_err(|e| prefix(e, "state"))?;
        let event: Event = parse_json(event_json).map_err(|e| prefix(e, "event"))?;
        pathway::transition(&state, &event)
            .map(|s| serde_json::to_string(&s).unwrap_or_default())
            .map_err(|refusal| Error::TransitionRefused { field: "event".into(), refusal })
    })
}

/// Name which argument a JSON error is in (`state.phase`, `event.regimen`).
fn prefix(e: Error, arg: &str) -> Error {
    match e {
        Error::InvalidJson { field, message } => {
            let field = if field == "." { arg.to_string() } else { format!("{arg}.{field}") };
            Error::InvalidJson { field, message }
        }
        other => other,
    }
}

/// The identifiers of a core enum that has a fixed list (`phase`, `risk_definition`,
/// `abnormality`), so the Python enums can be checked against the core.
#[pyfunction]
fn enum_ids(name: &str) -> PyResult<Vec<String>> {
    Ok(match name {
        "phase" => Phase::ALL.iter().map(|p| p.id().to_string()).collect(),
        "risk_definition" => RiskDefinition::ALL.iter().map(|d| d.id().to_string()).collect(),
        "abnormality" => Abnormality::ALL.iter().map(|a| a.id().to_string()).collect(),
        _ => return Err(PyValueError::new_err(format!("no identifier list for `{name}`"))),
    })
}

/// Assess a cohort given as columns. See `myeloma_pathway.cohort` for the column contract.
#[pyfunction]
#[pyo3(signature = (n_rows, numeric, categorical, guideline_json=None, threads=None, plan=true, kb=None))]
#[allow(clippy::too_many_arguments)]
fn assess_columns<'py>(
    py: Python<'py>,
    n_rows: usize,
    numeric: &Bound<'py, PyDict>,
    categorical: &Bound<'py, PyDict>,
    guideline_json: Option<&str>,
    threads: Option<usize>,
    plan: bool,
    kb: Option<&Bound<'py, PyKnowledgeBase>>,
) -> PyResult<Bound<'py, PyDict>> {
    let kb = kb_of(kb);
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get));
    let guideline = guarded(py, || api::guideline_from(guideline_json))?;
    let input = cohort::input_from_py(py, n_rows, numeric, categorical)?;
    let out = py
        .detach(|| catch_unwind(AssertUnwindSafe(|| cohort::assess(kb.get(), &input, &guideline, threads, plan))))
        .map_err(|_| internal(py))?;
    cohort::output_into_py_dict(py, out, plan)
}

/// The documented cohort columns: `(name, kind, record path)`.
#[pyfunction]
fn cohort_columns() -> Vec<(String, String, String)> {
    cohort::columns()
        .into_iter()
        .map(|c| (c.record_path(), c))
        .map(|(p, c)| (c.name, c.kind.name().to_string(), p))
        .collect()
}

/// The result columns `(name, kind)` in order, from the core's table (`kind`: `string`,
/// `double`, `list`).
#[pyfunction]
#[pyo3(signature = (plan=true))]
fn cohort_output_columns(plan: bool) -> Vec<(String, String)> {
    cohort::output_columns(plan)
}

/// Raise a `ColumnError` (schema problems of a whole batch, not of a row).
pub(crate) fn column_error(py: Python<'_>, column: &str, message: String) -> PyErr {
    let json = serde_json::json!({"error": {"kind": "column", "code": 2, "field": column, "unit": null,
        "accepted_range": null, "message": message}});
    raise(py, "ColumnError", message, json.to_string())
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(run_or_error_json, m)?)?;
    m.add_function(wrap_pyfunction!(assessment_names, m)?)?;
    m.add_function(wrap_pyfunction!(plan_text, m)?)?;
    m.add_function(wrap_pyfunction!(calendar_json, m)?)?;
    m.add_function(wrap_pyfunction!(_boundary_self_test, m)?)?;
    m.add_function(wrap_pyfunction!(validate_patient, m)?)?;
    m.add_function(wrap_pyfunction!(patient_from_fhir, m)?)?;
    m.add_function(wrap_pyfunction!(plan_fhir_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_guideline, m)?)?;
    m.add_function(wrap_pyfunction!(kb_identity, m)?)?;
    m.add_function(wrap_pyfunction!(regimen, m)?)?;
    m.add_function(wrap_pyfunction!(regimen_ids, m)?)?;
    m.add_function(wrap_pyfunction!(initial_state, m)?)?;
    m.add_function(wrap_pyfunction!(transition, m)?)?;
    m.add_function(wrap_pyfunction!(enum_ids, m)?)?;
    m.add_function(wrap_pyfunction!(assess_columns, m)?)?;
    m.add_function(wrap_pyfunction!(cohort_columns, m)?)?;
    m.add_function(wrap_pyfunction!(cohort_output_columns, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::assess_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::assess_columnar, m)?)?;
    m.add_function(wrap_pyfunction!(tables::enum_tables, m)?)?;
    m.add_function(wrap_pyfunction!(tables::error_kinds, m)?)?;
    m.add_class::<PyKnowledgeBase>()?;
    m.add("LIBRARY_VERSION", myeloma_pathway::LIBRARY_VERSION)?;
    Ok(())
}
