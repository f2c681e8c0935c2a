//! # myeloma-pathway-fhir
//!
//! HL7 FHIR R4 for [`myeloma_pathway`]: the hospital's language in and out, no clinical logic.
//!
//! - **In**: [`read_bundle`] reads a `Bundle` (Patient, Observations by LOINC with UCUM units,
//!   mCODE ECOG, Genomics Reporting variant observations for the cytogenetic findings,
//!   Conditions, and the dated treatment history from MedicationAdministration /
//!   MedicationStatement / Procedure, progressions as mCODE CancerDiseaseStatus) into a
//!   [`PatientRecord`](myeloma_pathway::PatientRecord), with a report of what
//!   was used, superseded and ignored. Every code read is one row of [`mapping::TABLE`].
//! - **Out**: [`plan_to_fhir`] writes a plan as a CPG-on-FHIR `RequestGroup` with a
//!   `GuidanceResponse`; [`kb_to_fhir`] writes the knowledge base's regimens as
//!   `PlanDefinition` / `ActivityDefinition` resources.
//! - **CDS Hooks**: [`cds`] builds the discovery document and the patient-view cards.
//!
//! Unit conversion is the core's: a UCUM unit is mapped to the record's spelling of the same
//! unit and the core converts and range-checks it. See `docs/fhir.md`.
//!
//! **Decision support for clinicians, not a medical device.**
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cds;
mod json;
pub mod mapping;
mod read;
mod treatment;
mod write;

pub use json::{parse_json_value, MAX_JSON_BYTES, MAX_JSON_DEPTH};
pub use read::{
    history_order, read_bundle, read_bundle_at, read_bundle_value, DiagnosisCode, FhirImport, Ignored, ImportReport,
    Superseded, Used,
};
pub use write::{
    kb_to_fhir, plan_definition_url, plan_to_fhir, record_to_bundle, ACTION_SYSTEM, EXT_DECIDING_TEST, EXT_NEEDED_FOR,
    EXT_RANK, ID_KB_SHA256, ID_KB_VERSION, ID_LIBRARY_VERSION, WARNING_SYSTEM,
};

/// The embedded knowledge base as FHIR (`mmpath kb --fhir`).
///
/// # Errors
/// As [`kb_to_fhir`].
pub fn embedded_kb_to_fhir() -> Result<serde_json::Value, myeloma_pathway::Error> {
    knowledge_base_to_fhir(myeloma_pathway::KnowledgeBase::embedded())
}

/// A loaded knowledge base's regimens as FHIR `PlanDefinition` / `ActivityDefinition`
/// resources (as [`kb_to_fhir`] on its JSON).
///
/// # Errors
/// As [`kb_to_fhir`].
pub fn knowledge_base_to_fhir(
    kb: &myeloma_pathway::KnowledgeBase,
) -> Result<serde_json::Value, myeloma_pathway::Error> {
    let kb = serde_json::to_value(kb)
        .map_err(|e| myeloma_pathway::Error::InvalidJson { field: "knowledge-base".into(), message: e.to_string() })?;
    kb_to_fhir(&kb)
}

/// A loaded knowledge base as FHIR JSON text: the bytes `mmpath kb --fhir`, Python
/// (`KnowledgeBase.to_fhir_json`) and C (`mp_kb_fhir_json`) all return.
///
/// # Errors
/// As [`kb_to_fhir`].
pub fn knowledge_base_fhir_json(kb: &myeloma_pathway::KnowledgeBase) -> Result<String, myeloma_pathway::Error> {
    knowledge_base_to_fhir(kb).map(|v| v.to_string())
}

/// A plan as FHIR JSON text (the `Bundle` of [`plan_to_fhir`], compact, keys in order): the
/// bytes `mmpath plan --fhir-out`, Python (`Plan.to_fhir_json`) and C (`mp_plan_fhir_json`)
/// all return for the same plan.
///
/// # Errors
/// As [`plan_to_fhir`] (a plan the core made always has what it needs).
pub fn plan_fhir_json(plan: &myeloma_pathway::Plan) -> Result<String, myeloma_pathway::Error> {
    plan_json_to_fhir_json(&plan.to_json())
}

/// As [`plan_fhir_json`], from the plan's JSON text (what every front end holds).
///
/// # Errors
/// [`myeloma_pathway::Error::InvalidJson`] if the text is not a plan; as [`plan_to_fhir`].
pub fn plan_json_to_fhir_json(plan_json: &str) -> Result<String, myeloma_pathway::Error> {
    let plan = parse_json_value(plan_json)?;
    plan_to_fhir(&plan).map(|v| v.to_string())
}
