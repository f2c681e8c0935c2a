//! # myeloma-pathway
//!
//! Multiple myeloma care as types: drugs and regimens, risk markers, staging, response and MRD,
//! fitness, and the phases of care with their transitions — and an engine that answers *where is
//! this patient on the pathway, what are the options now, why, and what would change the
//! answer*, every answer with its basis and citations.
//!
//! **Decision support for clinicians, not a medical device.** Every output must be checked by a
//! qualified clinician against the cited sources and current labels.
//!
//! ## The flow
//!
//! Data flows one way, and the modules are named for each step:
//!
//! ```text
//! JSON text ──json──▶ PatientRecord (record) ──validate──▶ Patient (patient)
//!     ──▶ assessments (assess: diagnosis, staging, risk, fitness, response/MRD)
//!     ──▶ position on the pathway (pathway: the history replayed through `transition`)
//!     ──▶ engine (exclusions, one builder per phase, counterfactuals), with the KnowledgeBase (kb)
//!         and the Guideline (guideline) passed in
//!     ──▶ Plan (plan) ──▶ JSON or text (output); `api` is the JSON-in/JSON-out door of every front end
//! ```
//!
//! Key types: [`PatientRecord`] (the contract), [`Patient`] (validated, private fields),
//! [`KnowledgeBase`] (citations, regimens, rankings; loadable from a file), [`Guideline`] (every
//! caller choice, validated), [`Plan`] (the answer with its basis), [`Error`] (one error enum with
//! stable codes).
//!
//! ```
//! use myeloma_pathway::{recommend, Guideline, Patient};
//! let json = r#"{
//!   "age_years": 60, "sex": "male", "weight_kg": 80, "height_cm": 178, "ecog": 0,
//!   "frailty": {"charlson": 0, "katz_adl": 6, "lawton_iadl": 8},
//!   "organ_function": {"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6, "nyha_class": 0,
//!                      "peripheral_neuropathy_grade": 0},
//!   "labs": {"creatinine": {"value": 1.0, "unit": "mg/dL"},
//!            "bone_marrow_plasma_cells": {"value": 40, "unit": "%"}},
//!   "diagnosis": {"osteolytic_lesions": 3, "crab_attributable": true},
//!   "cytogenetics": [
//!     {"abnormality": "del_17p", "status": "not_detected"},
//!     {"abnormality": "t_4_14", "status": "not_detected"},
//!     {"abnormality": "gain_1q", "status": "not_detected"}
//!   ]
//! }"#;
//! let patient = Patient::from_json(json).unwrap();
//! let plan = recommend(&patient, &Guideline::default()).unwrap();
//! // The default profile follows the current cited guidelines (NCCN V.1.2025, ASCO–Ontario
//! // Health 2026): for the transplant-eligible, D-VRd first.
//! assert_eq!(plan.options[0].regimen_id, "d-vrd-perseus");
//! assert_eq!(plan.basis.ranking.as_ref().unwrap().profile.id(), "guideline_2026");
//! // The seed article's triplet-first order is the `article` profile.
//! let article = Guideline::default().with_profile(myeloma_pathway::guideline::Profile::Article);
//! assert_eq!(recommend(&patient, &article).unwrap().options[0].regimen_id, "vrd");
//! ```
//!
//! A centre's own knowledge base is a value passed in:
//!
//! ```
//! use myeloma_pathway::{recommend_with, Guideline, KnowledgeBase, Patient};
//! let kb = KnowledgeBase::from_json(myeloma_pathway::kb::EMBEDDED_JSON).unwrap();
//! let p = Patient::from_json(r#"{"age_years": 60}"#).unwrap();
//! let plan = recommend_with(&kb, &p, &Guideline::default()).unwrap();
//! assert_eq!(plan.basis.knowledge_base.sha256, kb.sha256());
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod assess;
mod engine;
mod output;
mod patient;
mod plan;
mod record;
mod schema;

pub mod api;
pub mod cohort;
pub mod dosing;
pub mod error;
pub mod guideline;
pub mod history;
pub mod json;
pub mod kb;
pub mod pathway;

pub use assess::{columns, diagnosis, fitness, logic, missing, response, risk, staging};
pub use engine::{recommend, recommend_with, LIBRARY_VERSION};
pub use error::{Error, ErrorKind, Result};
pub use guideline::Guideline;
pub use kb::KnowledgeBase;
pub use patient::{
    check_integer, labs, CytogeneticProfile, Labs, Patient, ResponseValues, INTEGER_FIELDS, NUMBER_FIELDS,
};
pub use plan::{
    Basis, CarTCoursePlan, CarTStage, CarTStepPlan, CarTStepStatus, Counterfactual, Exclusion, KbIdentity, MrdSummary,
    NextDecision, Plan, Position, RankedOption, Warning, PLAN_SCHEMA_VERSION,
};
pub use record::{
    Abnormality, ConsolidationRoute, Date, DiagnosisInputs, Drug, DrugClass, Event, Finding, FrailtyInputs, HeavyChain,
    HistoryEntry, Immunofixation, LabsInput, LightChain, Method, MrdMethod, MrdResult, MrdSample, MrdStatus,
    OrganFunction, PatientRecord, Phase, PregnancyPrevention, RawQuantity, Refusal, ResponseAssessmentInput,
    ResponseCategory, Route, Sex, Status, MAX_LIST_LEN, SCHEMA_VERSION,
};
pub use record::{
    CarTCourseRecord, StatedFact, StatedKind, StopReason, TherapyExposure, TherapyRole, TransplantRecord,
    TreatmentHistory,
};
pub use schema::{outputs_schema, patient_record_schema, plan_schema, OUTPUTS};

/// Cytogenetic findings and the per-patient profile (the record's vocabulary and the validated
/// profile, under one name).
pub mod cytogenetics {
    pub use crate::patient::CytogeneticProfile;
    pub use crate::record::{Abnormality, Finding, Method, Status};
}

/// Drugs, drug classes and routes.
pub mod drugs {
    pub use crate::record::{Drug, DrugClass, Route};
}
