//! The core's closed vocabularies and error kinds as tables, read by
//! `scripts/gen-python-tables.py` to write `myeloma_pathway/enums.py` and `errors.py` (and by the
//! drift test that fails when those files differ from what the core says).
//!
//! Member ids come from the core (its `ALL` arrays, `id()`/`kind()` or its serde names), never
//! from a copy. Where the core has no `ALL` array, the variants are listed with an exhaustive
//! `match` beside them, so a variant added in the core is a compile error here until it is listed.

use myeloma_pathway::diagnosis::DiagnosisClass;
use myeloma_pathway::fitness::{Eligibility, FrailtyCategory};
use myeloma_pathway::guideline::{Del17pCutoff, WeightBasis};
use myeloma_pathway::kb::{Evidence, Jurisdiction, Profile};
use myeloma_pathway::risk::{CriterionState, RiskDefinition, RiskLevel};
use myeloma_pathway::staging::{IssStage, R2IssStage, RIssStage};
use myeloma_pathway::{
    Abnormality, ConsolidationRoute, Drug, Event, Method, MrdStatus, Phase, ResponseCategory, Sex, Status,
};
use pyo3::prelude::*;

/// The serde name of a unit variant (what the JSON contract spells).
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The ids of a closed enum: every variant listed, checked exhaustive by a `match`.
macro_rules! closed {
    ($ty:ident { $($v:ident),+ $(,)? }) => {{
        #[allow(dead_code)]
        fn every(x: $ty) {
            match x {
                $($ty::$v)|+ => {}
            }
        }
        vec![$(serde_name(&$ty::$v)),+]
    }};
}

/// One Python enum: (class name, docstring, member ids in the core's order).
type Table = (&'static str, &'static str, Vec<String>);

/// Every enum the Python package exposes, in the order `enums.py` lists them.
#[pyfunction]
pub fn enum_tables() -> Vec<Table> {
    // EventKind: one event of each kind, with placeholder data, read through `Event::kind`.
    let events = [
        Event::TherapyStarted { regimen: String::new() },
        Event::CycleCompleted,
        Event::ResponseAssessed { response: ResponseCategory::Pd },
        Event::TransplantEligibilityAssessed { eligible: false },
        Event::ConsolidationStarted { route: ConsolidationRoute::Transplant },
        Event::TransplantDone,
        Event::MaintenanceStarted { regimen: String::new() },
        Event::MaintenanceStopped,
        Event::Progression,
        Event::Intolerance { drug: Drug::Lenalidomide },
        Event::MrdAssessed { status: MrdStatus::Negative },
    ];
    #[allow(dead_code)]
    fn every_event(e: &Event) {
        match e {
            Event::TherapyStarted { .. }
            | Event::CycleCompleted
            | Event::ResponseAssessed { .. }
            | Event::TransplantEligibilityAssessed { .. }
            | Event::ConsolidationStarted { .. }
            | Event::TransplantDone
            | Event::MaintenanceStarted { .. }
            | Event::MaintenanceStopped
            | Event::Progression
            | Event::Intolerance { .. }
            | Event::MrdAssessed { .. } => {}
        }
    }
    vec![
        ("Phase", "Where a patient is on the pathway.", Phase::ALL.iter().map(|p| p.id().to_string()).collect()),
        (
            "RiskDefinition",
            "Which definition of high-risk cytogenetics to apply.",
            RiskDefinition::ALL.iter().map(|d| d.id().to_string()).collect(),
        ),
        (
            "Del17pCutoff",
            "IMS/IMWG 2025 del(17p) clonal-fraction comparator (sources differ; the caller chooses).",
            closed!(Del17pCutoff { Above20, AtLeast20 }),
        ),
        ("RiskLevel", "Cytogenetic risk.", closed!(RiskLevel { Standard, Undetermined, High })),
        (
            "CriterionState",
            "State of one risk criterion.",
            closed!(CriterionState { Met, NotMet, Unknown, NotAssessable }),
        ),
        ("Eligibility", "Transplant eligibility.", closed!(Eligibility { Eligible, Ineligible, Undetermined })),
        (
            "FrailtyCategory",
            "Frailty category (IMWG or simplified score).",
            closed!(FrailtyCategory { Fit, IntermediateFit, NonFrail, Frail }),
        ),
        ("Sex", "Sex, as Cockcroft-Gault and ideal body weight need it.", closed!(Sex { Female, Male })),
        (
            "Abnormality",
            "A recurrent cytogenetic or genomic abnormality.",
            Abnormality::ALL.iter().map(|a| a.id().to_string()).collect(),
        ),
        (
            "FindingStatus",
            "Whether an abnormality was looked for and found. Not tested is never negative.",
            closed!(Status { Detected, NotDetected, NotTested }),
        ),
        (
            "FishMethod",
            "How a cytogenetic finding was obtained.",
            closed!(Method { FishCd138, Fish, Karyotype, SnpArray, Ngs }),
        ),
        ("Profile", "How induction options are ranked.", Profile::ALL.iter().map(|p| p.id().to_string()).collect()),
        ("Jurisdiction", "Label jurisdiction where US and EU labels differ.", closed!(Jurisdiction { Us, Eu })),
        ("WeightBasis", "Which body weight Cockcroft-Gault uses.", closed!(WeightBasis { Actual, Ideal, Adjusted })),
        (
            "ResponseCategory",
            "IMWG response category, best first.",
            closed!(ResponseCategory { Scr, Cr, Vgpr, Pr, Mr, Sd, Pd }),
        ),
        ("MrdStatus", "MRD result.", closed!(MrdStatus { Negative, Positive })),
        (
            "ConsolidationRoute",
            "How consolidation is done.",
            closed!(ConsolidationRoute { Transplant, ExtendedInduction }),
        ),
        ("EventKind", "Kinds of pathway event.", events.iter().map(|e| e.kind().to_string()).collect()),
        ("IssStage", "ISS stage.", closed!(IssStage { I, II, III })),
        ("RIssStage", "R-ISS stage.", closed!(RIssStage { I, II, III })),
        ("R2IssStage", "R2-ISS group.", closed!(R2IssStage { I, II, III, IV })),
        ("Evidence", "How a fact was checked, as tagged in the knowledge base.", closed!(Evidence { V1, V2, M, C })),
        (
            "DiagnosisClass",
            "IMWG 2014 diagnostic class.",
            closed!(DiagnosisClass {
                MultipleMyeloma,
                SolitaryPlasmacytoma,
                SmoulderingMyeloma,
                Mgus,
                NotClassifiable
            }),
        ),
    ]
}

/// Every error kind of the core: `(kind, code, summary)`, from the core's one code table
/// (`ErrorKind::ALL`).
#[pyfunction]
pub fn error_kinds() -> Vec<(String, u32, String)> {
    myeloma_pathway::ErrorKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.code(), k.summary().to_string()))
        .collect()
}

/// The Python class name of an error kind: `out_of_range` → `OutOfRangeError`.
pub fn class_name(kind: &str) -> String {
    let mut out = String::new();
    for part in kind.split('_') {
        let mut c = part.chars();
        if let Some(f) = c.next() {
            out.extend(f.to_uppercase());
            out.push_str(c.as_str());
        }
    }
    out.push_str("Error");
    out
}
