//! The engine's rules, each stated as the sentence it checks. Written after mutation testing
//! showed which rules no golden case decided.

use myeloma_pathway::guideline::Jurisdiction;
use myeloma_pathway::pathway::typed::{Pathway, TransplantEligible};
use myeloma_pathway::pathway::{transition, Event, PathwayState, Phase, Refusal};
use myeloma_pathway::{fitness::Eligibility, recommend, Guideline, PatientRecord};
use myeloma_pathway::{Drug, Plan, RankedOption};
use serde_json::{json, Value};

fn base() -> Value {
    serde_json::from_str(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap()
}

fn frail() -> Value {
    let mut v = base();
    v["age_years"] = json!(78);
    v["ecog"] = json!(1);
    v["frailty"] = json!({"charlson": 2, "katz_adl": 5, "lawton_iadl": 6});
    v
}

fn plan_with(v: &Value, g: &Guideline) -> Plan {
    recommend(&PatientRecord::from_json(&v.to_string()).unwrap().validate().unwrap(), g).unwrap()
}

fn plan(v: &Value) -> Plan {
    plan_with(v, &Guideline::default())
}

fn history(v: &mut Value, events: Vec<Value>) {
    v["history"] = Value::Array(events);
}

fn ev(kind: &str) -> Value {
    json!({"event": kind})
}

fn start(regimen: &str) -> Value {
    json!({"event": "therapy_started", "regimen": regimen})
}

fn cycles(n: usize) -> Vec<Value> {
    vec![ev("cycle_completed"); n]
}

fn induction(reg: &str, n: usize, response: Option<&str>) -> Vec<Value> {
    let mut h = vec![start(reg)];
    h.extend(cycles(n));
    if let Some(r) = response {
        h.push(json!({"event": "response_assessed", "response": r}));
    }
    h
}

fn option<'a>(p: &'a Plan, id: &str) -> &'a RankedOption {
    p.options.iter().find(|o| o.regimen_id == id).unwrap_or_else(|| panic!("{id} not offered"))
}

fn codes(p: &Plan) -> Vec<&'static str> {
    p.warnings.iter().map(|w| w.code).collect()
}

fn missing(p: &Plan) -> Vec<String> {
    p.missing_inputs.iter().map(|m| m.field.clone()).collect()
}

#[test]
fn grade_4_neuropathy_excludes_bortezomib_because_the_label_says_discontinue() {
    let mut v = base();
    v["organ_function"]["peripheral_neuropathy_grade"] = json!(4);
    let p = plan(&v);
    let x = p.excluded.iter().find(|x| x.regimen_id == "vrd").unwrap();
    assert!(x.reason.contains("grade 4") && x.reason.contains("discontinue"), "{}", x.reason);
}

#[test]
fn painful_grade_2_neuropathy_withholds_bortezomib_and_painless_grade_2_reduces_it_to_1_0() {
    let mut v = base();
    v["organ_function"]["peripheral_neuropathy_grade"] = json!(2);
    v["organ_function"]["neuropathy_with_pain"] = json!(true);
    assert!(plan(&v).excluded.iter().any(|x| x.regimen_id == "vrd" && x.reason.contains("withhold")));
    v["organ_function"]["neuropathy_with_pain"] = json!(false);
    let p = plan(&v);
    assert!(option(&p, "vrd")
        .schedule
        .iter()
        .any(|s| s.starts_with("bortezomib") && s.ends_with("→ 1.0 mg/m² (neuropathy)")));
    v["organ_function"]["peripheral_neuropathy_grade"] = json!(1);
    v["organ_function"]["neuropathy_with_pain"] = json!(true);
    let p = plan(&v);
    assert!(option(&p, "vrd").schedule.iter().any(|s| s.ends_with("→ 1.0 mg/m² (neuropathy)")));
    v["organ_function"]["neuropathy_with_pain"] = json!(false);
    let p = plan(&v);
    assert!(!option(&p, "vrd").schedule.iter().any(|s| s.contains("(neuropathy)")), "grade 1 without pain: no change");
}

#[test]
fn unknown_neuropathy_and_heart_failure_status_are_asked_for_not_assumed() {
    let mut v = base();
    v["organ_function"] = json!({"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6});
    let m = missing(&plan(&v));
    assert!(m.contains(&"organ_function.peripheral_neuropathy_grade".to_string()));
    assert!(m.contains(&"organ_function.nyha_class".to_string()));
    v["organ_function"]["peripheral_neuropathy_grade"] = json!(2);
    assert!(missing(&plan(&v)).contains(&"organ_function.neuropathy_with_pain".to_string()));
}

#[test]
fn with_eligibility_undetermined_setting_specific_regimens_carry_their_condition() {
    let mut v = base();
    v["organ_function"].as_object_mut().unwrap().remove("dlco_pct");
    let p = plan(&v);
    assert_eq!(p.transplant_eligibility.eligibility, Eligibility::Undetermined);
    assert_eq!(option(&p, "d-vrd-perseus").condition.as_deref(), Some("if transplant-eligible"));
    assert_eq!(option(&p, "drd").condition.as_deref(), Some("if transplant-ineligible"));
    assert_eq!(option(&p, "vrd").condition, None);
    // After induction: transplant if eligible, extended induction if not, both conditional.
    history(&mut v, induction("vrd", 4, Some("vgpr")));
    let p = plan(&v);
    assert_eq!(option(&p, "mel200-asct").condition.as_deref(), Some("if transplant-eligible"));
    let ext = p.options.iter().find(|o| o.action == "extend_induction").unwrap();
    assert_eq!(ext.condition.as_deref(), Some("if transplant-ineligible"));
}

#[test]
fn triplet_and_quadruplet_rationales_say_which_they_are() {
    let p = plan(&base());
    assert!(option(&p, "vrd").rationale.iter().any(|r| r.starts_with("triplet induction")));
    let q = option(&p, "d-vrd-perseus");
    assert!(!q.rationale.iter().any(|r| r.starts_with("triplet induction")));
    assert!(q.rationale.iter().any(|r| r.starts_with("anti-CD38 quadruplet with trial evidence: PERSEUS")));
    assert!(!option(&p, "vcd").rationale.iter().any(|r| r.starts_with("triplet induction")), "VCd has no IMiD");
}

#[test]
fn stem_cell_collection_is_flagged_for_lenalidomide_induction_only_when_transplant_is_possible() {
    assert!(codes(&plan(&base())).contains(&"stem_cell_collection"));
    assert!(!codes(&plan(&frail())).contains(&"stem_cell_collection"));
}

#[test]
fn consolidation_is_decided_only_after_the_studied_pre_transplant_cycles_and_a_response() {
    // VRd before a transplant: 3 cycles (DETERMINATION), not the guideline's 4.
    let mut v = base();
    history(&mut v, induction("vrd", 2, Some("pr")));
    let p = plan(&v);
    assert_eq!((p.options[0].action, p.options[0].regimen_id.as_str()), ("continue", "vrd"));
    assert_eq!(p.next_decision.when, "after cycle 3 (1 to go)");
    history(&mut v, induction("vrd", 3, None));
    let p = plan(&v);
    assert_eq!(p.options[0].action, "continue");
    assert_eq!(p.next_decision.when, "now");
    history(&mut v, induction("vrd", 3, Some("pr")));
    assert_eq!(plan(&v).options[0].regimen_id, "mel200-asct");
    // PERSEUS D-VRd: 4 cycles before the transplant.
    history(&mut v, induction("d-vrd-perseus", 3, Some("pr")));
    assert_eq!(plan(&v).next_decision.when, "after cycle 4 (1 to go)");
    history(&mut v, induction("d-vrd-perseus", 4, Some("pr")));
    assert_eq!(plan(&v).options[0].regimen_id, "mel200-asct");
}

#[test]
fn without_a_studied_course_the_guideline_sets_the_cycles_before_assessment() {
    // VCd has no pre-transplant course in the knowledge base: the guideline's number decides.
    let mut v = base();
    history(&mut v, induction("vcd", 3, Some("pr")));
    let p = plan(&v);
    assert_eq!(p.next_decision.when, "after cycle 4 (1 to go)");
    let g = Guideline::default().with_induction_cycles_before_assessment(3).unwrap();
    assert_eq!(plan_with(&v, &g).options[0].regimen_id, "mel200-asct");
}

#[test]
fn the_next_decision_at_work_up_follows_the_first_option_s_own_course_and_names_the_others() {
    let p = plan_with(&base(), &Guideline::default().with_profile(myeloma_pathway::guideline::Profile::Article));
    assert!(p.next_decision.when.starts_with("after cycle 3 of induction (VRd;"), "{}", p.next_decision.when);
    assert!(p.next_decision.when.contains("D-VRd (PERSEUS): after cycle 4"), "{}", p.next_decision.when);
    let p = plan(&base());
    assert!(
        p.next_decision.when.starts_with("after cycle 4 of induction (D-VRd (PERSEUS);"),
        "{}",
        p.next_decision.when
    );
    assert!(p.next_decision.when.contains("VRd: after cycle 3"), "{}", p.next_decision.when);
    // Transplant-ineligible, DRd first: it continues until progression.
    let p = plan(&frail());
    assert_eq!(p.options[0].regimen_id, "drd");
    assert_eq!(p.next_decision.action, "assess response (IMWG); continue as studied until progression");
}

#[test]
fn the_default_profile_follows_the_current_guidelines_and_the_plan_says_which_ranking_ordered_it() {
    let p = plan(&base());
    let ids: Vec<&str> = p.options.iter().map(|o| o.regimen_id.as_str()).collect();
    assert_eq!(&ids[..3], ["d-vrd-perseus", "isa-vrd-gmmg-hd7", "vrd"]);
    let r = p.basis.ranking.as_ref().unwrap();
    assert_eq!((r.profile.id(), r.phase.id(), r.setting.id()), ("guideline_2026", "induction", "transplant_eligible"));
    assert!(r.citations.contains(&"nccn-mm-v1-2025".to_string()) && r.citations.contains(&"asco-oh-2026".to_string()));
    assert!(p.options.iter().all(|o| o
        .rationale
        .iter()
        .any(|l| l.starts_with("order: guideline_2026 profile") && l.contains("NCCN Multiple Myeloma V.1.2025"))));
    let p = plan(&frail());
    let ids: Vec<&str> = p.options.iter().map(|o| o.regimen_id.as_str()).collect();
    assert_eq!(&ids[..4], ["drd", "d-vrd-cepheus", "isa-vrd-imroz", "vrd"]);
    assert_eq!(p.basis.ranking.as_ref().unwrap().setting.id(), "transplant_ineligible");
    // The article stays a named profile, recorded as such.
    let g = Guideline::default().with_profile(myeloma_pathway::guideline::Profile::Article);
    let p = plan_with(&base(), &g);
    assert_eq!(p.options[0].regimen_id, "vrd");
    assert_eq!(p.basis.ranking.as_ref().unwrap().profile.id(), "article");
    // A continued regimen is not ordered by a ranking.
    let mut v = base();
    history(&mut v, induction("vrd", 1, None));
    assert!(plan(&v).basis.ranking.is_none());
}

#[test]
fn continuous_first_line_therapy_continues_as_studied_not_a_maintenance_switch() {
    // CEPHEUS: D-Rd after exactly 8 cycles; D-VRd continues at 7.
    let mut v = frail();
    history(&mut v, induction("d-vrd-cepheus", 7, Some("vgpr")));
    let p = plan(&v);
    assert_eq!((p.options[0].action, p.options[0].regimen_id.as_str()), ("continue", "d-vrd-cepheus"));
    assert_eq!(p.next_decision.when, "after cycle 8 (1 to go)");
    assert!(p.next_decision.action.starts_with("start D-Rd continuation (CEPHEUS) as studied"));
    history(&mut v, induction("d-vrd-cepheus", 8, None));
    let p = plan(&v);
    assert_eq!(p.options.len(), 1);
    assert_eq!((p.options[0].action, p.options[0].regimen_id.as_str()), ("continuation", "d-rd-continuation"));
    assert!(p.options[0].rationale[0].starts_with("continue as studied until progression: CEPHEUS"));
    // IMROZ: Isa-Rd after 4 x 42-day cycles.
    history(&mut v, induction("isa-vrd-imroz", 4, Some("pr")));
    assert_eq!(plan(&v).options[0].regimen_id, "isa-rd-continuation");
    // MAIA: DRd itself continues; no maintenance option.
    history(&mut v, induction("drd", 4, Some("vgpr")));
    let p = plan(&v);
    assert_eq!(p.options.iter().map(|o| (o.action, o.regimen_id.as_str())).collect::<Vec<_>>(), [("continue", "drd")]);
    // VRd has no continuation: the article's 4–6 further cycles.
    history(&mut v, induction("vrd", 4, Some("vgpr")));
    assert_eq!(plan(&v).options[0].action, "extend_induction");
}

#[test]
fn a_continuation_excluded_for_the_patient_falls_back_to_the_article_path() {
    let mut v = frail();
    let mut h = induction("d-vrd-cepheus", 8, Some("vgpr"));
    h.push(json!({"event": "intolerance", "drug": "daratumumab_sc"}));
    history(&mut v, h);
    let p = plan(&v);
    assert!(p.excluded.iter().any(|e| e.regimen_id == "d-rd-continuation"));
    assert!(p.options.iter().all(|o| o.regimen_id != "d-rd-continuation"));
}

#[test]
fn only_the_high_risk_choice_says_which_finding_decided_the_risk() {
    let mut v = base();
    v["cytogenetics"][1] = json!({"abnormality": "t_4_14", "status": "detected"});
    history(&mut v, [induction("vrd", 4, Some("vgpr")), vec![ev("transplant_done")]].concat());
    let p = plan(&v);
    assert!(option(&p, "bortezomib-maintenance").rationale.iter().any(|r| r.starts_with("risk decided by: t(4;14)")));
    assert!(!option(&p, "len-maintenance").rationale.iter().any(|r| r.starts_with("risk decided by")));
}

#[test]
fn undetermined_risk_is_a_warning_and_standard_risk_is_not() {
    let mut v = base();
    history(&mut v, [induction("vrd", 4, Some("vgpr")), vec![ev("transplant_done")]].concat());
    assert!(!codes(&plan(&v)).contains(&"risk_undetermined"));
    v["cytogenetics"] = json!([{"abnormality": "del_17p", "status": "not_detected"}]);
    assert!(codes(&plan(&v)).contains(&"risk_undetermined"));
}

#[test]
fn extended_induction_may_go_to_six_cycles_and_no_further() {
    let mut v = frail();
    let mut h = induction("vrd", 4, Some("pr"));
    h.push(json!({"event": "consolidation_started", "route": "extended_induction"}));
    history(&mut v, [h.clone(), cycles(5)].concat());
    let p = plan(&v);
    let cont = p.options.iter().find(|o| o.action == "continue").unwrap();
    assert!(cont.rationale[0].starts_with("up to 1 more cycle(s)"));
    assert!(cont.rank > p.options.iter().filter(|o| o.action == "maintenance").map(|o| o.rank).max().unwrap());
    history(&mut v, [h, cycles(6)].concat());
    assert!(!plan(&v).options.iter().any(|o| o.action == "continue"));
}

fn on_maintenance(mut v: Value, regimen: &str, n: usize) -> Value {
    history(
        &mut v,
        [
            induction("vrd", 4, Some("vgpr")),
            vec![ev("transplant_done"), json!({"event": "maintenance_started", "regimen": regimen})],
            cycles(n),
        ]
        .concat(),
    );
    v
}

#[test]
fn maintenance_that_does_not_fit_the_risk_is_flagged_both_ways() {
    assert!(!codes(&plan(&on_maintenance(base(), "len-maintenance", 3))).contains(&"maintenance_risk_mismatch"));
    let mut high = base();
    high["cytogenetics"][0] = json!({"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": 60});
    let w = plan(&on_maintenance(high.clone(), "len-maintenance", 3));
    assert!(w.warnings.iter().any(|w| w.code == "maintenance_risk_mismatch" && w.message.contains("risk is high")));
    assert!(!codes(&plan(&on_maintenance(high, "bortezomib-maintenance", 3))).contains(&"maintenance_risk_mismatch"));
    let w = plan(&on_maintenance(base(), "bortezomib-maintenance", 3));
    assert!(w.warnings.iter().any(|w| w.code == "maintenance_risk_mismatch" && w.message.contains("risk is standard")));
}

#[test]
fn fixed_duration_maintenance_is_flagged_when_two_years_of_cycles_are_done() {
    // Bortezomib every 2 weeks for 24 months: 52 cycles; ixazomib 28-day cycles: 26.
    assert!(!codes(&plan(&on_maintenance(base(), "bortezomib-maintenance", 51))).contains(&"fixed_duration_reached"));
    assert!(codes(&plan(&on_maintenance(base(), "bortezomib-maintenance", 52))).contains(&"fixed_duration_reached"));
    assert!(!codes(&plan(&on_maintenance(base(), "ixazomib-maintenance", 25))).contains(&"fixed_duration_reached"));
    assert!(codes(&plan(&on_maintenance(base(), "ixazomib-maintenance", 26))).contains(&"fixed_duration_reached"));
    assert!(!codes(&plan(&on_maintenance(base(), "len-maintenance", 200))).contains(&"fixed_duration_reached"));
}

fn dr_with_mrd(n: usize, sustained: bool) -> Value {
    let mut v = base();
    history(
        &mut v,
        [
            induction("d-vrd-perseus", 4, Some("cr")),
            vec![ev("transplant_done"), json!({"event": "maintenance_started", "regimen": "dr-maintenance"})],
            cycles(n),
        ]
        .concat(),
    );
    let second = if sustained { "2026-02-01" } else { "2025-12-01" };
    v["mrd"] = json!([
        {"date": "2025-02-01", "method": "ngs", "sensitivity_log10": 5, "sample": "bone_marrow", "result": "negative"},
        {"date": second, "method": "ngs", "sensitivity_log10": 5, "sample": "bone_marrow", "result": "negative"}
    ]);
    v
}

#[test]
fn daratumumab_may_stop_after_24_months_of_dr_with_sustained_mrd_negativity_as_in_perseus() {
    assert!(codes(&plan(&dr_with_mrd(26, true))).contains(&"daratumumab_may_stop"));
    assert!(!codes(&plan(&dr_with_mrd(25, true))).contains(&"daratumumab_may_stop"), "fewer than 24 months");
    assert!(!codes(&plan(&dr_with_mrd(30, false))).contains(&"daratumumab_may_stop"), "not sustained 12 months");
}

#[test]
fn bispecifics_need_triple_class_exposure_not_just_enough_lines() {
    let mut v = base();
    // Three prior lines (VRd, SVd, Elo-Pd) without an anti-CD38 antibody.
    history(
        &mut v,
        [
            induction("vrd", 4, None),
            vec![ev("progression"), start("svd")],
            cycles(3),
            vec![ev("progression"), start("elo-pd")],
            cycles(3),
            vec![ev("progression")],
        ]
        .concat(),
    );
    let p = plan(&v);
    assert_eq!(p.position.line, 4);
    let x = p.excluded.iter().find(|x| x.regimen_id == "teclistamab").unwrap();
    assert!(x.reason.contains("triple-class exposed"), "{}", x.reason);
    assert!(!p.position.state.triple_class_exposed());
}

#[test]
fn step_up_dosing_follows_the_jurisdiction_and_says_when_the_kb_has_none() {
    let v: Value =
        serde_json::from_str(include_str!("../../../../tests/golden/relapse-line-4-triple-class-exposed.json"))
            .unwrap();
    let patient = &v["patient"];
    // US label: at least four prior lines; EU: at least three and progression on the last.
    let mut us_patient = patient.clone();
    if let Some(h) = us_patient["history"].as_array_mut() {
        h.extend([
            json!({"event": "therapy_started", "regimen": "elo-pd"}),
            json!({"event": "cycle_completed"}),
            json!({"event": "progression"}),
        ]);
    }
    let days = |j: Jurisdiction| -> Vec<u16> {
        let who = if j == Jurisdiction::Us { &us_patient } else { patient };
        let p = plan_with(who, &Guideline::default().with_jurisdiction(j));
        option(&p, "teclistamab").step_up.as_ref().unwrap().doses.iter().map(|d| d.day).collect()
    };
    assert_eq!(days(Jurisdiction::Us), [1, 4, 7]);
    assert_eq!(days(Jurisdiction::Eu), [1, 3, 5]);
    let tec = plan(&us_patient);
    assert!(option(&tec, "teclistamab").rationale.iter().any(|r| r.starts_with("bispecific antibody")));
    assert!(!codes(&tec).contains(&"step_up_not_in_kb"));
}

#[test]
fn option_notes_state_trial_age_range_dexamethasone_over_75_thromboprophylaxis_and_unchecked_lines() {
    let mut v = base();
    v["age_years"] = json!(72);
    let g = Guideline::default().with_transplant_age_limit_years(75).unwrap();
    let p = plan_with(&v, &g);
    assert!(option(&p, "isa-vrd-gmmg-hd7")
        .notes
        .iter()
        .any(|n| n == "age 72 is outside the trial population (18–70 years)"));
    assert!(!option(&p, "vrd").notes.iter().any(|n| n.contains("outside the trial population")));
    assert!(option(&p, "vrd").notes.iter().any(|n| n.starts_with("IMiD: VTE thromboprophylaxis")));
    assert!(!option(&p, "vcd").notes.iter().any(|n| n.starts_with("IMiD")));
    assert!(option(&p, "vrd").notes.iter().any(|n| n.starts_with("some schedule lines are unchecked")));
    assert!(!option(&p, "vcd").notes.iter().any(|n| n.starts_with("some schedule lines are unchecked")));
    assert!(!option(&p, "vrd").notes.iter().any(|n| n.contains("dexamethasone rule")));
    // VRd has no verified age rule: the plan says so instead of claiming a reduction (issue 11).
    let old = plan(&frail());
    assert!(option(&old, "vrd")
        .notes
        .iter()
        .any(|n| n.contains("no age-based dexamethasone rule for VRd is verified")));
}

#[test]
fn the_renal_dose_note_names_the_clearance_and_the_label() {
    let mut v = base();
    v["labs"]["creatinine_clearance_ml_min"] = json!(45);
    let p = plan(&v);
    assert!(option(&p, "vrd")
        .notes
        .iter()
        .any(|n| n == "lenalidomide starting dose for CrCl 45 mL/min (reported): 10 mg once daily [len-renal-us]"));
    assert!(option(&p, "vrd")
        .schedule
        .iter()
        .any(|s| s.starts_with("lenalidomide") && s.ends_with("→ renal dose: 10 mg once daily")));
    let eu = plan_with(&v, &Guideline::default().with_jurisdiction(Jurisdiction::Eu));
    assert!(option(&eu, "vrd").notes.iter().any(|n| n.ends_with("10 mg once daily [len-renal-eu]")));
}

#[test]
fn confirmed_progression_in_the_series_is_flagged_at_work_up_too() {
    let case: Value = serde_json::from_str(include_str!(
        "../../../../tests/golden/response-pd-confirmed-on-lenalidomide-maintenance-opens-line-2.json"
    ))
    .unwrap();
    let mut v = case["patient"].clone();
    v.as_object_mut().unwrap().remove("history");
    let p = plan(&v);
    assert_eq!(p.position.phase, Phase::WorkUp);
    assert!(codes(&p).contains(&"unrecorded_progression"));
}

#[test]
fn the_position_course_and_counterfactual_are_said_in_words() {
    let mut v = base();
    history(&mut v, induction("vrd", 2, None));
    assert_eq!(plan(&v).position.description, "first-line induction with VRd, 2 cycle(s) completed");
    let m = plan(&on_maintenance(base(), "bortezomib-maintenance", 1));
    assert_eq!(option(&m, "bortezomib-maintenance").course, "14-day cycles, for 24 months");
    let mut t = base();
    t["cytogenetics"][1] = json!({"abnormality": "t_4_14", "status": "detected"});
    history(&mut t, [induction("vrd", 4, Some("vgpr")), vec![ev("transplant_done")]].concat());
    let c = plan(&t).counterfactuals.into_iter().find(|c| c.change == "if t(4;14) were not detected").unwrap();
    assert_eq!(c.effect, "first option: Lenalidomide maintenance");
    assert_eq!(c.first_options, ["len-maintenance"]);
}

#[test]
fn the_typed_pathway_tracks_regimen_line_and_transplants() {
    assert!(TransplantEligible::from_assessment(Eligibility::Ineligible).is_none());
    assert!(TransplantEligible::from_assessment(Eligibility::Undetermined).is_none());
    let proof = TransplantEligible::from_assessment(Eligibility::Eligible).unwrap();
    let ind = Pathway::diagnosed(Eligibility::Eligible).start_induction("vrd").unwrap();
    assert_eq!((ind.regimen(), ind.line(), ind.transplants()), (Some("vrd"), 1, 0));
    let cons = ind.transplant(proof).unwrap().tandem_transplant(proof).unwrap();
    assert_eq!(cons.transplants(), 2);
    let maint = cons.start_maintenance("len-maintenance").unwrap();
    assert_eq!(maint.regimen(), Some("len-maintenance"));
    let rel = maint.progression().unwrap().start_therapy("dkd").unwrap();
    assert_eq!((rel.regimen(), rel.line()), (Some("dkd"), 2));
    assert_eq!(rel.progression().unwrap().line(), 3);
}

#[test]
fn phase_ids_and_refusal_messages_are_stable() {
    let ids: Vec<&str> = Phase::ALL.iter().map(|p| p.id()).collect();
    assert_eq!(
        ids,
        [
            "work_up",
            "induction",
            "consolidation_transplant",
            "consolidation_extended_induction",
            "maintenance",
            "observation",
            "relapse"
        ]
    );
    let e = transition(&PathwayState::new(Eligibility::Eligible), &Event::TransplantDone).unwrap_err();
    assert_eq!(e, Refusal::ConsolidationBeforeInduction);
    assert_eq!(e.to_string(), "consolidation cannot precede induction");
}

#[test]
fn trial_age_notes_are_inclusive_of_the_trial_bounds() {
    let note = |age: u16, id: &str| {
        let mut v = frail();
        v["age_years"] = json!(age);
        // Transplant-ineligible at any age (LVEF below the centre's gate).
        v["organ_function"]["lvef_pct"] = json!(35);
        let p = plan(&v);
        option(&p, id).notes.iter().any(|n| n.contains("outside the trial population"))
    };
    // CEPHEUS 31–80, IMROZ 18–80 (transplant-ineligible patients here).
    assert!(note(30, "d-vrd-cepheus"));
    assert!(!note(31, "d-vrd-cepheus"));
    assert!(!note(80, "isa-vrd-imroz"));
    assert!(note(81, "isa-vrd-imroz"));
}

#[test]
fn a_regimen_without_a_verified_dexamethasone_age_rule_says_so_from_75() {
    // The sources' comparators differ (> 75 for Rd, ≥ 75 for CANDOR/APOLLO; docs/evidence/dosing.md item 7),
    // so the "not verified" note starts at 75, the lower of the two.
    let has = |age: u16| {
        let mut v = frail();
        v["age_years"] = json!(age);
        option(&plan(&v), "vrd").notes.iter().any(|n| n.contains("no age-based dexamethasone rule"))
    };
    assert!(!has(74));
    assert!(has(75));
}

#[test]
fn an_anti_cd38_triplet_is_called_a_combination_not_a_quadruplet() {
    let p = plan(&frail());
    assert!(option(&p, "drd").rationale.iter().any(|r| r == "anti-CD38 combination with trial evidence: MAIA"));
}

#[test]
fn stem_cell_collection_is_flagged_when_krd_is_the_lenalidomide_induction_offered() {
    let mut v = base();
    v["organ_function"]["peripheral_neuropathy_grade"] = json!(3);
    let p = plan(&v);
    assert!(p.options.iter().all(|o| !o.regimen_id.contains("vrd")));
    assert!(codes(&p).contains(&"stem_cell_collection"));
}

#[test]
fn a_transplant_offered_while_eligibility_is_undetermined_says_so() {
    let mut v = base();
    v["organ_function"].as_object_mut().unwrap().remove("dlco_pct");
    history(&mut v, induction("vrd", 4, Some("vgpr")));
    let p = plan(&v);
    assert!(option(&p, "mel200-asct").rationale.iter().any(|r| r == "eligibility undetermined: see missing inputs"));
    let mut e = base();
    history(&mut e, induction("vrd", 4, Some("vgpr")));
    assert!(!option(&plan(&e), "mel200-asct").rationale.iter().any(|r| r.starts_with("eligibility undetermined")));
}

#[test]
fn the_ims_2025_what_if_for_del17p_uses_a_clonal_fraction_that_decides() {
    let mut v = base();
    history(&mut v, [induction("vrd", 4, Some("vgpr")), vec![ev("transplant_done")]].concat());
    v["cytogenetics"] = json!([
        {"abnormality": "del_17p", "status": "not_detected"}, {"abnormality": "tp53_mutation", "status": "not_detected"},
        {"abnormality": "t_4_14", "status": "not_detected"}, {"abnormality": "t_14_16", "status": "not_detected"},
        {"abnormality": "t_14_20", "status": "not_detected"}, {"abnormality": "gain_1q", "status": "not_detected"},
        {"abnormality": "del_1p32", "status": "not_detected"}
    ]);
    let g = Guideline::default().with_risk_definition(myeloma_pathway::risk::RiskDefinition::Ims2025);
    let p = plan_with(&v, &g);
    assert_eq!(p.options[0].regimen_id, "len-maintenance");
    let c = p.counterfactuals.iter().find(|c| c.change == "if del(17p) were detected").unwrap();
    assert_eq!(c.first_options, ["vr-maintenance"]);
}

#[test]
fn high_risk_maintenance_ranks_the_vr_doublet_first_then_bortezomib_and_single_agent_ixazomib_last() {
    let mut v = base();
    history(&mut v, [induction("vrd", 3, Some("vgpr")), vec![ev("transplant_done")]].concat());
    v["cytogenetics"] = json!([
        {"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": 60},
        {"abnormality": "t_4_14", "status": "not_detected"}, {"abnormality": "gain_1q", "status": "not_detected"}
    ]);
    // Mayo review 2022 / NCI PDQ 2025: bortezomib + lenalidomide for high risk (session 8); the US
    // Ninlaro label's limitation of use excludes ixazomib maintenance there.
    let p = plan(&v);
    let ranks: Vec<(&str, u8)> = p.options.iter().map(|o| (o.regimen_id.as_str(), o.rank)).collect();
    assert_eq!(&ranks[..3], [("vr-maintenance", 1), ("bortezomib-maintenance", 2), ("len-maintenance", 3)]);
    let vr = option(&p, "vr-maintenance");
    assert!(vr
        .rationale
        .iter()
        .any(|r| r.contains("bortezomib plus lenalidomide maintenance is needed for high-risk myeloma")));
    assert!(vr.notes.iter().any(|n| n.contains("unchecked ([M]")));
    let ixa = p.excluded.iter().find(|e| e.regimen_id == "ixazomib-maintenance").unwrap();
    assert!(ixa.reason.contains("not recommended for use in the maintenance setting"), "{}", ixa.reason);
    assert!(ixa.citations.iter().any(|c| c.key == "ninlaro-us-indication"));
    let eu = plan_with(&v, &Guideline::default().with_jurisdiction(myeloma_pathway::guideline::Jurisdiction::Eu));
    let ranks: Vec<(&str, u8)> = eu.options.iter().map(|o| (o.regimen_id.as_str(), o.rank)).collect();
    assert_eq!(
        &ranks[..4],
        [("vr-maintenance", 1), ("bortezomib-maintenance", 2), ("ixazomib-maintenance", 3), ("len-maintenance", 4)]
    );
    let ixa = option(&eu, "ixazomib-maintenance");
    assert!(ixa
        .rationale
        .iter()
        .any(|r| r.starts_with("ranked after Bortezomib maintenance: no cited guideline grade")
            && r.contains("no OS difference (HR 1.025)")));
    assert!(ixa.rationale.iter().any(|r| r.starts_with("not within an EU label")));
    assert!(ixa.label.is_none());
    // Risk undetermined: each risk's first choice at rank 1.
    v["cytogenetics"] = json!([]);
    let p = plan(&v);
    assert_eq!(option(&p, "len-maintenance").rank, 1);
    assert_eq!(option(&p, "vr-maintenance").rank, 1);
    assert_eq!(option(&p, "bortezomib-maintenance").rank, 2);
}

#[test]
fn progression_during_typed_induction_opens_line_2() {
    assert_eq!(
        Pathway::diagnosed(Eligibility::Eligible).start_induction("vrd").unwrap().progression().unwrap().line(),
        2
    );
}

#[test]
fn a_regimen_without_an_anti_cd38_antibody_claims_no_anti_cd38_evidence() {
    let p = plan(&base());
    assert!(!option(&p, "vrd").rationale.iter().any(|r| r.contains("anti-CD38")));
    assert!(!option(&p, "vcd").rationale.iter().any(|r| r.contains("anti-CD38")));
}

#[test]
fn no_stem_cell_flag_when_no_lenalidomide_induction_is_offered() {
    let mut v = base();
    history(&mut v, vec![json!({"event": "intolerance", "drug": "lenalidomide"})]);
    let p = plan(&v);
    let offered: Vec<&str> = p.options.iter().map(|o| o.regimen_id.as_str()).collect();
    assert_eq!(offered, ["vcd"], "only VCd has no lenalidomide");
    assert!(!codes(&p).contains(&"stem_cell_collection"));
}

fn golden(name: &str) -> (Value, Guideline) {
    let path = format!("{}/../../tests/golden/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let g = Guideline::from_json(&v["guideline"].to_string()).unwrap();
    (v["patient"].clone(), g)
}

#[test]
fn every_relapse_option_names_the_label_version_it_rests_on_in_the_guideline_jurisdiction() {
    for (name, j) in [
        ("relapse-dated-first-relapse-len-refractory-us", Jurisdiction::Us),
        ("relapse-dated-first-relapse-len-refractory-eu", Jurisdiction::Eu),
    ] {
        let (p, g) = golden(name);
        let plan = plan_with(&p, &g);
        assert!(!plan.options.is_empty());
        for o in &plan.options {
            if o.regimen_id == "salvage-asct" {
                // A consensus statement (Giralt 2015, V2), not a label, decides the salvage ASCT.
                assert!(o.label.is_none() && o.rationale.iter().any(|r| r.contains("consensus statement")));
                continue;
            }
            let l = o.label.as_ref().unwrap_or_else(|| panic!("{} has no label", o.regimen_id));
            assert_eq!(l.jurisdiction, j);
            assert!(!l.version.is_empty());
            assert!(o.citations.iter().any(|c| c.key == l.citation));
        }
    }
}

#[test]
fn after_cilta_cel_the_plan_never_says_bcma_naive_and_lymphodepletion_is_not_refractory() {
    let (p, g) = golden("relapse-dated-after-cilta-cel-eu");
    let plan = plan_with(&p, &g);
    // The trial population may be quoted as evidence; the patient is never called BCMA-naive.
    let elra = option(&plan, "elranatamab");
    assert!(elra.rationale.iter().any(|r| r.starts_with("this patient is outside that BCMA-naive trial population")));
    for o in &plan.options {
        for r in &o.rationale {
            assert!(
                !r.to_lowercase().contains("bcma-naive")
                    || r.contains("outside")
                    || r.starts_with("evidence (trial population"),
                "{r}"
            );
        }
    }
    assert!(codes(&plan).contains(&"bcma_retargeting"));
    let th = plan.treatment_history.as_ref().unwrap();
    assert_eq!(th.lines.len(), 3);
    assert!(th.drugs.iter().all(|d| d.drug != "fludarabine" && d.drug != "cyclophosphamide"));
    assert!(!plan.position.state.refractory().contains(&Drug::Fludarabine));
    assert!(!plan.position.state.refractory().contains(&Drug::Cyclophosphamide));
    assert!(th.derivation.iter().any(|s| s.starts_with("line 3 began on 2025-08-06")));
}

#[test]
fn lines_never_decrease_as_the_dated_history_grows() {
    let (p, g) = golden("relapse-dated-after-cilta-cel-eu");
    let all = p["treatment_history"]["therapies"].as_array().unwrap().clone();
    let mut last = 0;
    for n in 1..=all.len() {
        let mut q = p.clone();
        q["treatment_history"]["therapies"] = Value::Array(all[..n].to_vec());
        let plan = plan_with(&q, &g);
        let lines = plan.treatment_history.as_ref().map_or(0, |t| t.lines.len());
        assert!(lines >= last, "{n} exposures: {lines} lines after {last}");
        last = lines;
    }
    assert_eq!(last, 3);
}

/// A maintenance option for the other risk says so: lenalidomide alone after a transplant for
/// del(17p) is the article's standard-risk choice, ranked after the proteasome-inhibitor ones.
#[test]
fn maintenance_for_the_other_risk_says_the_patients_risk() {
    let g: Value =
        serde_json::from_str(include_str!("../../../../tests/golden/article-fit-60-del17p-after-transplant.json"))
            .unwrap();
    let p = plan_with(&g["patient"], &Guideline::default());
    let len = p.options.iter().find(|o| o.regimen_id == "len-maintenance").unwrap();
    assert!(len.rationale.iter().any(|w| w.contains("this patient's cytogenetic risk is high")), "{:?}", len.rationale);
    let btz = p.options.iter().find(|o| o.regimen_id == "bortezomib-maintenance").unwrap();
    assert!(btz.rationale.iter().all(|w| !w.contains("this patient's cytogenetic risk")), "{:?}", btz.rationale);
    assert!(btz.rank < len.rank);
}

#[test]
fn high_dose_melphalan_on_dialysis_says_the_labels_differ_and_who_decides() {
    // Session 8 (docs/evidence/renal-melphalan-and-dexamethasone.md): no guideline threshold was
    // read; the US Evomela label (9/2017) needs no adjustment for conditioning, the EU Phelinun
    // leaflet says reduce. Shown below CrCl 60 or on dialysis, when the centre sets no threshold.
    let mut v = base();
    history(&mut v, induction("vrd", 3, Some("vgpr")));
    v["labs"]["creatinine"] = json!({"value": 6.5, "unit": "mg/dL"});
    v["organ_function"]["on_dialysis"] = json!(true);
    let code = |p: &Plan| p.warnings.iter().find(|w| w.code == "melphalan_renal").map(|w| w.message.clone());
    let us = code(&plan(&v)).expect("US warning");
    assert!(us.contains("No dose adjustment is necessary") && us.contains("on dialysis"), "{us}");
    let eu = plan_with(&v, &Guideline::default().with_jurisdiction(myeloma_pathway::guideline::Jurisdiction::Eu));
    let eu = code(&eu).expect("EU warning");
    assert!(eu.contains("must be reduced") && eu.contains("guideline.melphalan_140_below_crcl_ml_min"), "{eu}");
    // The centre's threshold decides instead: no warning, one option.
    let g = Guideline::default().with_melphalan_140_below_crcl_ml_min(Some(30.0)).unwrap();
    let p = plan_with(&v, &g);
    assert!(code(&p).is_none());
    assert_eq!(p.options.iter().map(|o| o.regimen_id.as_str()).collect::<Vec<_>>(), ["mel140-asct"]);
    // Normal renal function: silent.
    let mut n = base();
    history(&mut n, induction("vrd", 3, Some("vgpr")));
    assert!(code(&plan(&n)).is_none());
}
