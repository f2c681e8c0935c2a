//! Engine behaviours that the golden format does not express.

use myeloma_pathway::Plan;
use myeloma_pathway::{recommend, Guideline, PatientRecord};
use serde_json::Value;

fn golden_patient(name: &str) -> PatientRecord {
    let path = format!("{}/../../tests/golden/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    PatientRecord::from_json(&case["patient"].to_string()).unwrap()
}

fn plan(r: &PatientRecord) -> Plan {
    recommend(&r.validate().unwrap(), &Guideline::default()).unwrap()
}

fn codes(p: &Plan) -> Vec<&str> {
    p.warnings.iter().map(|w| w.code).collect()
}

#[test]
fn confirmed_progression_in_the_series_without_a_progression_event_is_flagged() {
    let recorded = golden_patient("response-pd-confirmed-on-lenalidomide-maintenance-opens-line-2");
    assert!(!codes(&plan(&recorded)).contains(&"unrecorded_progression"));
    let mut unrecorded = recorded.clone();
    let last = unrecorded.history.pop().unwrap();
    assert_eq!(last.event.kind(), "progression");
    let p = plan(&unrecorded);
    assert_eq!(p.position.phase, myeloma_pathway::pathway::Phase::Maintenance);
    assert!(codes(&p).contains(&"unrecorded_progression"), "{:?}", p.warnings);
    assert!(p.response.as_ref().unwrap().progression_confirmed);
}

#[test]
fn a_plan_without_response_assessments_has_no_response_section() {
    let r = PatientRecord::from_json(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap();
    let p = plan(&r);
    assert!(p.response.is_none());
    assert!(!p.to_json().contains("\"response\":"));
}

#[test]
fn the_text_rendering_states_the_disclaimer_position_and_basis() {
    let r = PatientRecord::from_json(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap();
    let text = plan(&r).to_text();
    assert!(text.contains("not a medical device"));
    assert!(text.contains("Position: newly diagnosed"));
    assert!(text.contains("Diagnosis: multiple myeloma — "));
    assert!(text.contains(myeloma_pathway::KnowledgeBase::embedded().sha256()));
}

#[test]
fn frailty_feeds_the_dose_choice_with_the_imwg_cohort_figures_only_when_not_fit() {
    let note = |charlson: u8, adl: u8| {
        let mut r =
            PatientRecord::from_json(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap();
        r.frailty = Some(myeloma_pathway::FrailtyInputs {
            charlson: Some(charlson),
            katz_adl: Some(adl),
            lawton_iadl: Some(8),
        });
        let p = plan(&r);
        p.options[0].notes.iter().find(|n| n.contains("IMWG frailty score")).cloned()
    };
    assert_eq!(note(0, 6), None, "fit: no frailty note");
    assert!(note(2, 6).unwrap().starts_with("intermediate-fit by the IMWG frailty score (1 points)"));
    let frail = note(2, 4).unwrap();
    assert!(frail.starts_with("frail by the IMWG frailty score (2 points)"));
    assert!(frail.contains("34.0% (frail)") && frail.contains("31.2%") && frail.ends_with("[imwg-frailty-2015]"));
}
