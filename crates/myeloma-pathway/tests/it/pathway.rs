//! The transition function is total: every (phase, event) pair gives a new state or a typed
//! refusal, never a panic; and the expected outcome of each pair is stated here, by hand.

use myeloma_pathway::drugs::Drug;
use myeloma_pathway::fitness::Eligibility;
use myeloma_pathway::pathway::{
    transition, ConsolidationRoute, Event, PathwayState, PathwayStateRecord, Phase, Refusal,
};
use myeloma_pathway::response::{MrdStatus, ResponseCategory};

/// A canonical state in each phase (eligible, regimen running where the phase has one, one
/// response assessed, one transplant given in transplant consolidation, 4 cycles done), as
/// plain data to vary; [`state`] checks it.
fn canonical_record(phase: Phase) -> PathwayStateRecord {
    let mut s = PathwayState::new(Eligibility::Eligible).to_record();
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
            s.current_regimen = Some("vrd".into());
            s.induction_regimen = Some("vrd".into());
            s.last_response = Some(ResponseCategory::Vgpr);
            s.transplants_in_consolidation = 1;
            s.transplants_total = 1;
        }
        Phase::ConsolidationExtendedInduction => {
            s.induction_regimen = Some("vrd".into());
            s.current_regimen = Some("vrd".into());
            s.last_response = Some(ResponseCategory::Vgpr);
            s.cycles_in_phase = 4;
        }
        Phase::Maintenance => {
            s.induction_regimen = Some("vrd".into());
            s.current_regimen = Some("len-maintenance".into());
            s.transplants_in_consolidation = 1;
            s.transplants_total = 1;
        }
        Phase::Observation => {
            s.induction_regimen = Some("vrd".into());
        }
        Phase::Relapse => {
            s.line = 2;
            s.current_regimen = Some("dkd".into());
        }
    }
    s
}

/// The state a record describes (the test fails if the record is not a valid state).
fn state(r: PathwayStateRecord) -> PathwayState {
    PathwayState::try_from(r).unwrap()
}

fn canonical(phase: Phase) -> PathwayState {
    state(canonical_record(phase))
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
            let got = transition(&s, &ev).map(|n| n.phase()).map_err(|r| refusal_kind(&r));
            let want = expected(phase, name).map_err(str::to_string);
            assert_eq!(got, want, "({phase:?}, {name})");
            checked += 1;
        }
    }
    assert_eq!(checked, Phase::ALL.len() * events().len());
}

#[test]
fn transplant_is_refused_for_a_patient_assessed_ineligible() {
    let mut s = canonical_record(Phase::Induction);
    s.transplant_eligibility = Eligibility::Ineligible;
    let s = state(s);
    for ev in [Event::TransplantDone, Event::ConsolidationStarted { route: ConsolidationRoute::Transplant }] {
        assert_eq!(transition(&s, &ev).unwrap_err(), Refusal::TransplantIneligible);
    }
    let mut r = canonical_record(Phase::Relapse);
    r.transplant_eligibility = Eligibility::Ineligible;
    let r = state(r);
    assert_eq!(transition(&r, &Event::TransplantDone).unwrap_err(), Refusal::TransplantIneligible);
}

#[test]
fn consolidation_needs_an_induction_response_assessment() {
    let mut s = canonical_record(Phase::Induction);
    s.last_response = None;
    let e = transition(&state(s), &Event::ConsolidationStarted { route: ConsolidationRoute::ExtendedInduction })
        .unwrap_err();
    assert_eq!(e, Refusal::ResponseNotAssessed);
}

#[test]
fn a_third_transplant_in_one_consolidation_is_refused() {
    let s = canonical(Phase::ConsolidationTransplant);
    let s2 = transition(&s, &Event::TransplantDone).unwrap();
    assert_eq!(s2.transplants_in_consolidation(), 2);
    assert_eq!(transition(&s2, &Event::TransplantDone).unwrap_err(), Refusal::TandemLimitReached);
}

#[test]
fn maintenance_after_extended_induction_needs_four_cycles() {
    let mut s = canonical_record(Phase::ConsolidationExtendedInduction);
    s.cycles_in_phase = 3;
    let ev = Event::MaintenanceStarted { regimen: "len-maintenance".into() };
    assert!(matches!(transition(&state(s.clone()), &ev).unwrap_err(), Refusal::ConsolidationIncomplete { .. }));
    s.cycles_in_phase = 4;
    assert_eq!(transition(&state(s), &ev).unwrap().phase(), Phase::Maintenance);
}

#[test]
fn progression_on_therapy_makes_its_drugs_refractory_but_not_dexamethasone() {
    let s = canonical(Phase::Induction);
    let r = transition(&s, &Event::Progression).unwrap();
    assert!(r.refractory().contains(&Drug::Bortezomib) && r.refractory().contains(&Drug::Lenalidomide));
    assert!(!r.refractory().contains(&Drug::Dexamethasone));
    assert_eq!(r.line(), 2);
}

#[test]
fn progression_while_awaiting_relapse_therapy_is_not_a_new_line() {
    let mut s = canonical_record(Phase::Relapse);
    s.current_regimen = None;
    assert_eq!(transition(&state(s), &Event::Progression).unwrap_err(), Refusal::NoTherapyInProgress);
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
    let mut r = PathwayState::new(Eligibility::Ineligible).to_record();
    r.phase = Phase::Induction;
    r.current_regimen = Some("d-vrd-cepheus".into());
    r.induction_regimen = Some("d-vrd-cepheus".into());
    r.cycles_in_phase = 7;
    let dr = Event::MaintenanceStarted { regimen: "d-rd-continuation".into() };
    assert!(matches!(transition(&state(r.clone()), &dr).unwrap_err(), Refusal::NotApplicable { .. }), "7 of 8 cycles");
    r.cycles_in_phase = 8;
    let s = state(r.clone());
    let n = transition(&s, &dr).unwrap();
    assert_eq!((n.phase(), n.current_regimen()), (Phase::Maintenance, Some("d-rd-continuation")));
    // IMROZ's continuation does not follow CEPHEUS; a generic maintenance still needs consolidation.
    let isa = Event::MaintenanceStarted { regimen: "isa-rd-continuation".into() };
    assert_eq!(transition(&s, &isa).unwrap_err(), Refusal::MaintenanceBeforeConsolidation);
    let len = Event::MaintenanceStarted { regimen: "len-maintenance".into() };
    assert_eq!(transition(&s, &len).unwrap_err(), Refusal::MaintenanceBeforeConsolidation);
    // From extended induction the continuation needs no further cycles; another regimen's does not pass.
    r.phase = Phase::ConsolidationExtendedInduction;
    r.cycles_in_phase = 0;
    r.last_response = Some(ResponseCategory::Pr);
    let s = state(r);
    assert_eq!(transition(&s, &dr).unwrap().phase(), Phase::Maintenance);
    assert!(matches!(transition(&s, &isa).unwrap_err(), Refusal::NotApplicable { .. }));
}

/// The error a record gives, as (kind, field).
fn refused(r: PathwayStateRecord) -> (String, String) {
    let e = PathwayState::try_from(r).unwrap_err();
    (e.kind().to_string(), e.field().unwrap_or("").to_string())
}

#[test]
fn a_tandem_is_two_transplants_and_a_third_in_one_consolidation_cannot_be_built() {
    let mut r = canonical_record(Phase::ConsolidationTransplant);
    r.transplants_in_consolidation = 2;
    r.transplants_total = 2;
    assert!(PathwayState::try_from(r.clone()).is_ok());
    r.transplants_in_consolidation = 3;
    r.transplants_total = 3;
    assert_eq!(refused(r), ("out_of_range".into(), "transplants_in_consolidation".into()));
}

#[test]
fn the_extended_induction_route_has_no_transplant_so_a_state_with_one_cannot_be_built() {
    let mut r = canonical_record(Phase::ConsolidationExtendedInduction);
    r.transplants_in_consolidation = 3;
    r.transplants_total = 3;
    assert_eq!(refused(r.clone()), ("out_of_range".into(), "transplants_in_consolidation".into()));
    r.transplants_in_consolidation = 1;
    r.transplants_total = 1;
    assert_eq!(refused(r.clone()), ("inconsistent".into(), "transplants_in_consolidation".into()));
    r.transplants_in_consolidation = 0;
    assert_eq!(refused(r), ("inconsistent".into(), "transplants_total".into()));
}

#[test]
fn cycles_are_counted_only_while_a_therapy_runs() {
    let mut w = canonical_record(Phase::WorkUp);
    w.cycles_in_phase = 1;
    assert_eq!(refused(w), ("inconsistent".into(), "cycles_in_phase".into()));
    let mut o = canonical_record(Phase::Observation);
    o.cycles_in_phase = 1;
    assert_eq!(refused(o), ("inconsistent".into(), "cycles_in_phase".into()));
    let mut r = canonical_record(Phase::Relapse);
    r.current_regimen = None;
    r.cycles_in_phase = 0;
    assert!(PathwayState::try_from(r.clone()).is_ok());
    r.cycles_in_phase = 1;
    assert_eq!(refused(r), ("inconsistent".into(), "cycles_in_phase".into()));
}

#[test]
fn maintenance_without_a_first_line_induction_and_consolidation_cannot_be_built() {
    let mut r = canonical_record(Phase::Maintenance);
    r.induction_regimen = None;
    assert_eq!(refused(r), ("inconsistent".into(), "induction_regimen".into()));
    // A transplant outside the first-line consolidation is a salvage transplant: relapse only.
    let mut r = canonical_record(Phase::Maintenance);
    r.transplants_total = 2;
    assert_eq!(refused(r), ("inconsistent".into(), "transplants_total".into()));
    let mut r = canonical_record(Phase::Maintenance);
    r.current_regimen = None;
    assert_eq!(refused(r), ("inconsistent".into(), "current_regimen".into()));
}

#[test]
fn consolidation_without_an_assessed_response_and_relapse_in_line_one_cannot_be_built() {
    let mut r = canonical_record(Phase::ConsolidationTransplant);
    r.last_response = None;
    assert_eq!(refused(r), ("inconsistent".into(), "last_response".into()));
    let mut r = canonical_record(Phase::Relapse);
    r.line = 1;
    assert_eq!(refused(r), ("inconsistent".into(), "line".into()));
    let mut r = canonical_record(Phase::WorkUp);
    r.line = 0;
    assert_eq!(refused(r), ("out_of_range".into(), "line".into()));
    let mut r = canonical_record(Phase::WorkUp);
    r.last_mrd = Some(MrdStatus::Negative);
    assert_eq!(refused(r), ("inconsistent".into(), "last_mrd".into()));
}

#[test]
fn a_state_read_from_json_is_checked_as_one_built_in_rust() {
    let mut v = serde_json::to_value(canonical(Phase::ConsolidationExtendedInduction)).unwrap();
    // The JSON shape is the record's: the thirteen keys, in order.
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 13);
    assert!(myeloma_pathway::json::parse::<PathwayState>(&v.to_string()).is_ok());
    v["transplants_in_consolidation"] = 3.into();
    v["transplants_total"] = 3.into();
    let e = myeloma_pathway::json::parse::<PathwayState>(&v.to_string()).unwrap_err();
    assert_eq!(e.kind(), "invalid_json");
    assert!(e.to_string().contains("transplants_in_consolidation"), "{e}");
    let mut v = serde_json::to_value(canonical(Phase::WorkUp)).unwrap();
    v["teleported"] = true.into();
    assert!(myeloma_pathway::json::parse::<PathwayState>(&v.to_string()).is_err());
}

/// Every state the transition function reaches from work-up, within `depth` events from the
/// list above (duplicates visited once).
fn reachable(depth: usize) -> Vec<PathwayState> {
    let mut seen: Vec<PathwayState> = Vec::new();
    let mut frontier = vec![PathwayState::new(Eligibility::Eligible), PathwayState::new(Eligibility::Undetermined)];
    for _ in 0..depth {
        let mut next = Vec::new();
        for s in frontier {
            if seen.contains(&s) {
                continue;
            }
            for (_, ev) in events() {
                if let Ok(n) = transition(&s, &ev) {
                    next.push(n);
                }
            }
            seen.push(s);
        }
        frontier = next;
    }
    seen
}

#[test]
fn every_state_the_transition_function_reaches_passes_the_state_checks() {
    let states = reachable(7);
    assert!(states.len() > 400, "{} states", states.len());
    let phases: std::collections::BTreeSet<&str> = states.iter().map(|s| s.phase().id()).collect();
    assert_eq!(phases.len(), Phase::ALL.len(), "{phases:?}");
    for s in states {
        let back = PathwayState::try_from(s.to_record());
        assert_eq!(back.as_ref(), Ok(&s), "{}", serde_json::to_string(&s).unwrap());
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(myeloma_pathway::json::parse::<PathwayState>(&json).as_ref(), Ok(&s));
    }
}
