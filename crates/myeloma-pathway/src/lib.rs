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
//! ```
//! use myeloma_pathway::{recommend, Guideline, Patient};
//! let json = r#"{
//!   "age_years": 60, "sex": "male", "weight_kg": 80, "height_cm": 178, "ecog": 0,
//!   "frailty": {"charlson": 0, "katz_adl": 6, "lawton_iadl": 8},
//!   "organ_function": {"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6, "nyha_class": 0,
//!                      "peripheral_neuropathy_grade": 0},
//!   "labs": {"creatinine": {"value": 1.0, "unit": "mg/dL"}},
//!   "cytogenetics": [
//!     {"abnormality": "del_17p", "status": "not_detected"},
//!     {"abnormality": "t_4_14", "status": "not_detected"},
//!     {"abnormality": "gain_1q", "status": "not_detected"}
//!   ]
//! }"#;
//! let patient = Patient::from_json(json).unwrap();
//! let plan = recommend(&patient, &Guideline::default()).unwrap();
//! assert_eq!(plan.options[0].regimen_id, "vrd");
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
pub mod citation;
pub mod cytogenetics;
pub mod date;
pub mod diagnosis;
pub mod drugs;
pub mod engine;
pub mod error;
pub mod fitness;
pub mod guideline;
pub mod kb;
pub mod labs;
pub mod missing;
pub mod pathway;
pub mod patient;
pub mod regimen;
mod render;
pub mod response;
pub mod risk;
pub mod staging;

pub use engine::{recommend, Plan};
pub use error::{Error, Result};
pub use guideline::Guideline;
pub use kb::KnowledgeBase;
pub use patient::{Patient, PatientRecord};
