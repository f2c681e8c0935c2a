//! CAR-T as its own course (relapse-labels.md Deliverable E; docs/relapse.md): the steps, the
//! stages a dated history places a patient in, and the label timing rules at their edges.

use crate::kb;
use myeloma_pathway::api;
use myeloma_pathway::{recommend, Guideline, Patient, Plan};
use serde_json::{json, Value};

/// First relapse on lenalidomide maintenance (1 prior line, lenalidomide-refractory).
fn base() -> Value {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/relapse-dated-first-relapse-len-refractory-us.json");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    case["patient"].clone()
}

fn guideline(j: &str) -> Guideline {
    api::guideline_from(Some(&format!(r#"{{"jurisdiction": "{j}"}}"#))).unwrap()
}

fn with_course(course: Value, as_of: &str) -> Value {
    let mut p = base();
    p["treatment_history"]["car_t_courses"] = json!([course]);
    p["treatment_history"]["as_of"] = json!(as_of);
    p
}

fn plan(p: &Value, j: &str) -> Plan {
    recommend(&Patient::from_json(&p.to_string()).unwrap(), &guideline(j)).unwrap()
}

fn codes(plan: &Plan) -> Vec<&'static str> {
    plan.warnings.iter().map(|w| w.code).collect()
}

/// Lymphodepletion 2024-05-01 to 2024-05-03, read `days` after its last day.
fn lymphodepleted(product: &str, days: i64) -> Value {
    let end: jiff::civil::Date = "2024-05-03".parse().unwrap();
    let as_of = end.checked_add(jiff::Span::new().days(days)).unwrap().to_string();
    with_course(
        json!({"product": product, "apheresis": "2024-04-01", "lymphodepletion_start": "2024-05-01", "lymphodepletion_end": "2024-05-03"}),
        &as_of,
    )
}

#[test]
fn cilta_cel_us_repeat_lymphodepletion_is_raised_after_more_than_14_days_not_at_14() {
    for (days, warned) in [(13, false), (14, false), (15, true), (16, true)] {
        let p = plan(&lymphodepleted("ciltacabtagene_autoleucel", days), "us");
        assert_eq!(codes(&p).contains(&"car_t_repeat_lymphodepletion"), warned, "{days} days: {:?}", codes(&p));
        assert!(p.options.is_empty(), "a course under way offers no option");
    }
}

#[test]
fn cilta_cel_eu_has_no_repeat_lymphodepletion_rule_because_none_was_read() {
    let p = plan(&lymphodepleted("ciltacabtagene_autoleucel", 20), "eu");
    assert!(!codes(&p).contains(&"car_t_repeat_lymphodepletion"));
}

#[test]
fn ide_cel_us_infusion_delay_is_raised_past_seven_days_after_the_planned_day() {
    // Planned day: completion (2024-05-03) + 2 = 2024-05-05; up to 7 days later = 2024-05-12.
    for (days, warned) in [(9, false), (10, true)] {
        let p = plan(&lymphodepleted("idecabtagene_vicleucel", days), "us");
        assert_eq!(codes(&p).contains(&"car_t_infusion_delay"), warned, "{days} days: {:?}", codes(&p));
    }
}

#[test]
fn apheresis_only_names_bridging_if_needed_as_the_next_step() {
    let p = plan(
        &with_course(json!({"product": "ciltacabtagene_autoleucel", "apheresis": "2024-04-01"}), "2024-04-05"),
        "us",
    );
    let c = p.car_t_course.as_ref().unwrap();
    let next: Vec<&str> = c
        .steps
        .iter()
        .filter(|s| matches!(s.status, myeloma_pathway::CarTStepStatus::Next))
        .map(|s| s.step.id())
        .collect();
    assert_eq!(next, ["bridging"]);
    assert!(p.next_decision.action.contains("then lymphodepletion"), "{}", p.next_decision.action);
    assert_eq!(p.position.line, 2);
}

#[test]
fn a_therapy_started_car_t_event_is_a_course_never_continue() {
    let mut p = base();
    p.as_object_mut().unwrap().remove("treatment_history");
    p["history"] = json!([
        {"event": "therapy_started", "regimen": "vrd"},
        {"event": "response_assessed", "response": "vgpr"},
        {"event": "transplant_done"},
        {"event": "maintenance_started", "regimen": "len-maintenance"},
        {"event": "progression"},
        {"event": "therapy_started", "regimen": "cilta-cel"}
    ]);
    let plan = plan(&p, "us");
    assert!(plan.options.iter().all(|o| o.action != "continue"), "{:?}", plan.options);
    assert!(plan.missing_inputs.iter().any(|m| m.field == "treatment_history.car_t_courses"));
    p["history"].as_array_mut().unwrap().push(json!({"event": "cycle_completed"}));
    let after = recommend(&Patient::from_json(&p.to_string()).unwrap(), &guideline("us")).unwrap();
    assert_eq!(after.car_t_course.as_ref().unwrap().stage, myeloma_pathway::CarTStage::Infused);
    assert!(after.options.is_empty());
}

#[test]
fn a_car_t_exposure_without_a_stop_is_one_infusion_and_a_later_progression_opens_the_next_line() {
    let mut p = base();
    let th = p["treatment_history"].as_object_mut().unwrap();
    th["therapies"].as_array_mut().unwrap().push(json!({"drug": "ciltacabtagene_autoleucel", "start": "2024-05-06"}));
    th["therapies"]
        .as_array_mut()
        .unwrap()
        .push(json!({"drug": "fludarabine", "start": "2024-05-01", "stop": "2024-05-03", "role": "lymphodepletion"}));
    th["therapies"].as_array_mut().unwrap().push(
        json!({"drug": "cyclophosphamide", "start": "2024-05-01", "stop": "2024-05-03", "role": "lymphodepletion"}),
    );
    th.insert("as_of".into(), json!("2024-06-01"));
    let infused = plan(&p, "us");
    assert_eq!(infused.car_t_course.as_ref().unwrap().stage, myeloma_pathway::CarTStage::Infused);
    assert_eq!(infused.position.line, 2);
    p["treatment_history"]["progressions"].as_array_mut().unwrap().push(json!("2024-11-01"));
    p["treatment_history"]["as_of"] = json!("2024-11-05");
    let next = plan(&p, "us");
    assert!(next.car_t_course.is_none());
    assert_eq!(next.position.line, 3);
    let refr = next.position.state.refractory();
    assert!(!refr.iter().any(|d| matches!(d.id(), "fludarabine" | "cyclophosphamide")), "{refr:?}");
    assert!(!next.options.is_empty());
}

#[test]
fn a_car_t_course_must_name_a_car_t_product_and_run_forward_in_time() {
    let bad = with_course(json!({"product": "teclistamab", "apheresis": "2024-04-01"}), "2024-04-05");
    let e = Patient::from_json(&bad.to_string()).unwrap_err();
    assert_eq!(e.field(), Some("treatment_history.car_t_courses[0].product"));
    let backwards = with_course(
        json!({"product": "ciltacabtagene_autoleucel", "apheresis": "2024-04-10", "lymphodepletion_start": "2024-04-01"}),
        "2024-04-15",
    );
    let e = Patient::from_json(&backwards.to_string()).unwrap_err();
    assert_eq!(e.field(), Some("treatment_history.car_t_courses[0].lymphodepletion_start"));
}

#[test]
fn every_car_t_regimen_has_all_five_steps_in_both_jurisdictions() {
    use myeloma_pathway::kb::regimen::CarTStepKind;
    for id in ["cilta-cel", "ide-cel"] {
        let c = kb().regimen(id).unwrap().car_t_course.as_ref().unwrap();
        for j in [myeloma_pathway::kb::Jurisdiction::Us, myeloma_pathway::kb::Jurisdiction::Eu] {
            let steps: Vec<CarTStepKind> = c.steps_for(j).iter().map(|s| s.step).collect();
            assert_eq!(steps, CarTStepKind::ALL, "{id} {j:?}");
            assert!(c.steps_for(j).iter().all(|s| !s.citations.is_empty()), "{id}: a step without a citation");
        }
    }
}

#[test]
fn the_calendar_of_a_car_t_course_dates_lymphodepletion_days_1_to_3_and_the_infusion_by_the_label() {
    let p = Patient::from_json(&base().to_string()).unwrap();
    // US cilta-cel: completion (day 3) + 2 = day 5; US ide-cel: completion + 2 = day 5; EU cilta-cel: start + 5 = day 6.
    for (id, j, infusion) in
        [("cilta-cel", "us", "2026-12-11"), ("ide-cel", "us", "2026-12-11"), ("cilta-cel", "eu", "2026-12-12")]
    {
        let r = kb().regimen(id).unwrap();
        let cal =
            myeloma_pathway::dosing::calendar::expand(kb(), &p, &guideline(j), r, "2026-12-07".parse().unwrap(), None)
                .unwrap();
        let ld: Vec<&str> =
            cal.administrations.iter().filter(|a| a.drug.id() == "fludarabine").map(|a| a.date.as_str()).collect();
        assert_eq!(ld, ["2026-12-07", "2026-12-08", "2026-12-09"], "{id} {j}");
        let inf: Vec<&str> = cal
            .administrations
            .iter()
            .filter(|a| a.drug.class() == myeloma_pathway::drugs::DrugClass::BcmaCarT)
            .map(|a| a.date.as_str())
            .collect();
        assert_eq!(inf, [infusion], "{id} {j}");
    }
    // EU ide-cel: no interval read, so the infusion is not dated.
    let r = kb().regimen("ide-cel").unwrap();
    let cal =
        myeloma_pathway::dosing::calendar::expand(kb(), &p, &guideline("eu"), r, "2026-12-07".parse().unwrap(), None)
            .unwrap();
    assert!(cal.administrations.iter().all(|a| a.drug.class() != myeloma_pathway::drugs::DrugClass::BcmaCarT));
    assert!(cal.notes.iter().any(|n| n.starts_with("infusion not dated")));
}

#[test]
fn a_bcma_car_t_after_a_bcma_bispecific_says_the_interval_since_its_last_dose() {
    // Session 8 (docs/evidence/tcr-sequencing.md): IMWG sequencing (Costa 2025) as summarised,
    // bispecific-to-CAR-T "acceptable if ≥6 months elapse" (V2): said, not ruled on.
    let mut p = base();
    let th = &mut p["treatment_history"];
    th["therapies"].as_array_mut().unwrap().push(json!({
        "drug": "teclistamab", "start": "2024-03-20", "stop": "2024-09-01", "last_dose": "2024-08-20",
        "reason_stopped": "progression"}));
    th["progressions"] = json!(["2024-03-01", "2024-09-01"]);
    let note = |as_of: &str| {
        let mut q = p.clone();
        q["treatment_history"]["as_of"] = json!(as_of);
        let plan = plan(&q, "us");
        let o = plan.options.iter().find(|o| o.regimen_id == "cilta-cel").expect("cilta-cel offered");
        o.notes.iter().find(|n| n.starts_with("CAR-T after a BCMA bispecific")).cloned().expect("interval note")
    };
    let within = note("2025-02-19");
    assert!(
        within.contains("last BCMA bispecific dose 2024-08-20")
            && within.contains("within 6 months (until 2025-02-20)"),
        "{within}"
    );
    let at = note("2025-02-20");
    assert!(at.contains("6 months or more") && at.contains("acceptable if ≥6 months elapse"), "{at}");
}
