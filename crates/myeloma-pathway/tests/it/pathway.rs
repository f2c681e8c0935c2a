//! The transition function is total: every (phase, event) pair gives a new state or a typed
//! refusal, never a panic; and the expected outcome of each pair is stated here, by hand.

use myeloma_pathway::drugs::Drug;
use myeloma_pathway::fitness::Eligibility;
use myeloma_pathway::pathway::{transition, ConsolidationRoute, Event, PathwayState, Phase, Refusal};
use myeloma_pathway::response::{MrdStatus, ResponseCategory};

/// A canonical state in each phase (eligible, regimen running where the phase has one, one
/// response assessed, one transplant given in transplant consolidation, 4 cycles done).
fn canonical(phase: Phase) -> PathwayState {
    let mut s = PathwayState::new(Eligibility::Eligible);
    s.phase = phase;
    match phase {
        Phase::WorkUp => {}
        Phase::Induction => {
            s.current_regimen = Some("vrd".into());
            s.induction_regimen = Some("vrd".into());
            s.cycles_in_phase = 4;
            s.last_response = Some(ResponseCategory::Vgpr);
        }
        Phase::ConsolidationTransplant => {
            s.induction_regimen = Some("vrd".into());
            s.transplants_in_consolidation = 1;
            s.transplants_total = 1;
        }
        Phase::ConsolidationExtendedInduction => {
            s.induction_regimen = Some("vrd".into());
            s.current_regimen = Some("vrd".into());
            s.cycles_in_phase = 4;
        }
        Phase::Maintenance => {
            s.current_regimen = Some("len-maintenance".into());
            s.transplants_total = 1;
        }
        Phase::Observation => {}
        Phase::Relapse => {
            s.line = 2;
            s.current_regimen = Some("dkd".into());
        }
    }
    s
}

fn events() -> Vec<(&'static str, Event)> {
    vec![
        ("therapy_started(induction)", Event::TherapyStarted { regimen: "vrd".into() }),
        ("therapy_started(relapse)", Event::TherapyStarted { regimen: "dpd".into() }),
        ("cycle_completed", Event::CycleCompleted),
        ("response_assessed(vgpr)", Event::ResponseAssessed { response: ResponseCategory::Vgpr }),
        ("response_assessed(pd)", Event::ResponseAssessed { response: ResponseCategory::Pd }),
        ("eligibility(false)", Event::TransplantEligibilityAssessed { eligible: false }),
        ("consolidation(transplant)", Event::ConsolidationStarted { route: ConsolidationRoute::Transplant }),
        ("consolidation(extended)", Event::ConsolidationStarted { route: ConsolidationRoute::ExtendedInduction }),
        ("transplant_done", Event::TransplantDone),
        ("maintenance_started", Event::MaintenanceStarted { regimen: "len-maintenance".into() }),
        ("continuation_started", Event::MaintenanceStarted { regimen: "d-rd-continuation".into() }),
        ("maintenance_stopped", Event::MaintenanceStopped),
        ("progression", Event::Progression),
        ("intolerance", Event::Intolerance { drug: Drug::Bortezomib }),
        ("mrd_assessed", Event::MrdAssessed { status: MrdStatus::Negative }),
    ]
}

/// Expected outcome: `Ok(phase)` or `Err(refusal kind)`.
fn expected(phase: Phase, event: &str) -> Result<Phase, &'static str> {
    use Phase::*;
    match (phase, event) {
        (_, "eligibility(false)") | (_, "intolerance") => Ok(phase),
        (WorkUp, "mrd_assessed") => Err("not_applicable"),
        (_, "mrd_assessed") => Ok(phase),
        (WorkUp, "therapy_started(induction)") => Ok(Induction),
        (WorkUp, "therapy_started(relapse)") => Err("regimen_not_for_phase"),
        (WorkUp, "cycle_completed" | "response_assessed(vgpr)" | "response_assessed(pd)" | "progression") => {
            Err("no_therapy_in_progress")
        }
        (WorkUp, "consolidation(transplant)" | "consolidation(extended)" | "transplant_done") => {
            Err("consolidation_before_induction")
        }
        (WorkUp | Induction, "maintenance_started") => Err("maintenance_before_consolidation"),
        // The canonical induction is VRd, which has no continuation: D-Rd (CEPHEUS's) is refused
        // as maintenance before consolidation from induction, and as not VRd's elsewhere.
        (WorkUp | Induction, "continuation_started") => Err("maintenance_before_consolidation"),
        (ConsolidationTransplant | ConsolidationExtendedInduction | Maintenance, "continuation_started") => {
            Err("not_applicable")
        }
        (Observation, "continuation_started") => Err("no_return_without_relapse"),
        (Relapse, "continuation_started") => Err("not_applicable"),
        (
            WorkUp | Induction | ConsolidationTransplant | ConsolidationExtendedInduction | Observation | Relapse,
            "maintenance_stopped",
        ) => Err("not_in_maintenance"),
        (Induction, "therapy_started(induction)") => Ok(Induction),
        (Induction, "therapy_started(relapse)") => Err("regimen_not_for_phase"),
        (
            Induction | ConsolidationTransplant | ConsolidationExtendedInduction | Maintenance | Relapse,
            "cycle_completed",
        ) => Ok(phase),
        (Observation, "cycle_completed") => Err("no_therapy_in_progress"),
        (_, "response_assessed(pd)" | "progression") => Ok(Relapse),
        (_, "response_assessed(vgpr)") => Ok(phase),
        (Induction, "consolidation(transplant)") => Ok(ConsolidationTransplant),
        (Induction, "consolidation(extended)") => Ok(ConsolidationExtendedInduction),
        (Induction, "transplant_done") => Ok(ConsolidationTransplant),
        (
            ConsolidationTransplant | ConsolidationExtendedInduction,
            "therapy_started(induction)" | "therapy_started(relapse)",
        ) => Err("therapy_already_in_progress"),
        (
            ConsolidationTransplant | ConsolidationExtendedInduction,
            "consolidation(transplant)" | "consolidation(extended)",
        ) => Err("already_in_consolidation"),
        (ConsolidationTransplant, "transplant_done") => Ok(ConsolidationTransplant),
        (ConsolidationExtendedInduction, "transplant_done") => Err("transplant_not_planned"),
        (ConsolidationTransplant | ConsolidationExtendedInduction | Maintenance, "maintenance_started") => {
            Ok(Maintenance)
        }
        (Maintenance, "maintenance_stopped") => Ok(Observation),
        (
            Maintenance | Observation,
            "therapy_started(induction)"
            | "therapy_started(relapse)"
            | "consolidation(transplant)"
            | "consolidation(extended)"
            | "transplant_done",
        ) => Err("no_return_without_relapse"),
        (Observation, "maintenance_started") => Err("no_return_without_relapse"),
        (Relapse, "therapy_started(relapse)") => Ok(Relapse),
        (Relapse, "therapy_started(induction)") => Err("regimen_not_for_phase"),
        (Relapse, "transplant_done") => Ok(Relapse),
        (Relapse, "consolidation(transplant)" | "consolidation(extended)" | "maintenance_started") => {
            Err("not_applicable")
        }
        (p, e) => panic!("no expectation written for ({p:?}, {e})"),
    }
}

fn refusal_kind(r: &Refusal) -> String {
    serde_json::to_value(r).unwrap()["reason"].as_str().unwrap().to_string()
}

#[test]
fn every_phase_event_pair_gives_the_stated_state_or_refusal() {
    let mut checked = 0;
    for phase in Phase::ALL {
        let s = canonical(phase);
        for (name, ev) in events() {
            let got = transition(&s, &ev).map(|n| n.phase).map_err(|r| refusal_kind(&r));
            let want = expected(phase, name).map_err(str::to_string);
            assert_eq!(got, want, "({phase:?}, {name})");
            checked += 1;
        }
    }
    assert_eq!(checked, Phase::ALL.len() * events().len());
}

#[test]
fn transplant_is_refused_for_a_patient_assessed_ineligible() {
    let mut s = canonical(Phase::Induction);
    s.transplant_eligibility = Eligibility::Ineligible;
    for ev in [Event::TransplantDone, Event::ConsolidationStarted { route: ConsolidationRoute::Transplant }] {
        assert_eq!(transition(&s, &ev).unwrap_err(), Refusal::TransplantIneligible);
    }
    let mut r = canonical(Phase::Relapse);
    r.transplant_eligibility = Eligibility::Ineligible;
    assert_eq!(transition(&r, &Event::TransplantDone).unwrap_err(), Refusal::TransplantIneligible);
}

#[test]
fn consolidation_needs_an_induction_response_assessment() {
    let mut s = canonical(Phase::Induction);
    s.last_response = None;
    let e = transition(&s, &Event::ConsolidationStarted { route: ConsolidationRoute::ExtendedInduction }).unwrap_err();
    assert_eq!(e, Refusal::ResponseNotAssessed);
}

#[test]
fn a_third_transplant_in_one_consolidation_is_refused() {
    let s = canonical(Phase::ConsolidationTransplant);
    let s2 = transition(&s, &Event::TransplantDone).unwrap();
    assert_eq!(s2.transplants_in_consolidation, 2);
    assert_eq!(transition(&s2, &Event::TransplantDone).unwrap_err(), Refusal::TandemLimitReached);
}

#[test]
fn maintenance_after_extended_induction_needs_four_cycles() {
    let mut s = canonical(Phase::ConsolidationExtendedInduction);
    s.cycles_in_phase = 3;
    let ev = Event::MaintenanceStarted { regimen: "len-maintenance".into() };
    assert!(matches!(transition(&s, &ev).unwrap_err(), Refusal::ConsolidationIncomplete { .. }));
    s.cycles_in_phase = 4;
    assert_eq!(transition(&s, &ev).unwrap().phase, Phase::Maintenance);
}

#[test]
fn progression_on_therapy_makes_its_drugs_refractory_but_not_dexamethasone() {
    let s = canonical(Phase::Induction);
    let r = transition(&s, &Event::Progression).unwrap();
    assert!(r.refractory.contains(&Drug::Bortezomib) && r.refractory.contains(&Drug::Lenalidomide));
    assert!(!r.refractory.contains(&Drug::Dexamethasone));
    assert_eq!(r.line, 2);
}

#[test]
fn progression_while_awaiting_relapse_therapy_is_not_a_new_line() {
    let mut s = canonical(Phase::Relapse);
    s.current_regimen = None;
    assert_eq!(transition(&s, &Event::Progression).unwrap_err(), Refusal::NoTherapyInProgress);
}

#[test]
fn events_parse_from_json_and_unknown_keys_are_refused() {
    let ok: Event = serde_json::from_str(r#"{"event":"therapy_started","regimen":"vrd"}"#).unwrap();
    assert_eq!(ok, Event::TherapyStarted { regimen: "vrd".into() });
    assert!(serde_json::from_str::<Event>(r#"{"event":"therapy_started","regimen":"vrd","dose":1}"#).is_err());
    assert!(serde_json::from_str::<Event>(r#"{"event":"teleport"}"#).is_err());
}

#[test]
fn the_continuation_starts_from_induction_only_after_its_own_regimen_s_fixed_cycles() {
    let mut s = PathwayState::new(Eligibility::Ineligible);
    s.phase = Phase::Induction;
    s.current_regimen = Some("d-vrd-cepheus".into());
    s.induction_regimen = Some("d-vrd-cepheus".into());
    s.cycles_in_phase = 7;
    let dr = Event::MaintenanceStarted { regimen: "d-rd-continuation".into() };
    assert!(matches!(transition(&s, &dr).unwrap_err(), Refusal::NotApplicable { .. }), "7 of 8 cycles");
    s.cycles_in_phase = 8;
    let n = transition(&s, &dr).unwrap();
    assert_eq!((n.phase, n.current_regimen.as_deref()), (Phase::Maintenance, Some("d-rd-continuation")));
    // IMROZ's continuation does not follow CEPHEUS; a generic maintenance still needs consolidation.
    let isa = Event::MaintenanceStarted { regimen: "isa-rd-continuation".into() };
    assert_eq!(transition(&s, &isa).unwrap_err(), Refusal::MaintenanceBeforeConsolidation);
    let len = Event::MaintenanceStarted { regimen: "len-maintenance".into() };
    assert_eq!(transition(&s, &len).unwrap_err(), Refusal::MaintenanceBeforeConsolidation);
    // From extended induction the continuation needs no further cycles; another regimen's does not pass.
    s.phase = Phase::ConsolidationExtendedInduction;
    s.cycles_in_phase = 0;
    assert_eq!(transition(&s, &dr).unwrap().phase, Phase::Maintenance);
    assert!(matches!(transition(&s, &isa).unwrap_err(), Refusal::NotApplicable { .. }));
}
