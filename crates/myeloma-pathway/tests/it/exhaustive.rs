//! Exhaustive rule check (safety hazard "two rules contradict, or a patient gets no answer"):
//! the input space partitioned at the thresholds the rules use — age (transplant limit, frailty
//! bands), frailty, organ function and contraindications, renal function, cytogenetic findings,
//! diagnosis, the position on the pathway (history shape), jurisdiction and ranking profile — is
//! enumerated in full, and every state must get exactly one outcome, with no conflict, no
//! contraindicated option and no uncited option; every regimen a ranking names must be offered in
//! some state (no unreachable rule).
//!
//! The number of states is printed (`cargo test -p myeloma-pathway exhaustive -- --nocapture`)
//! and reported in docs/safety.md.

use std::collections::{BTreeMap, BTreeSet};

use myeloma_pathway::{recommend_with, DrugClass, Guideline, KnowledgeBase, Patient, Plan};
use serde_json::{json, Value};

use crate::kb;

const AGES: [u16; 4] = [60, 70, 76, 81];

/// (name, frailty inputs): fit, frail, unknown.
fn frailty() -> Vec<(&'static str, Value)> {
    vec![
        ("fit", json!({"charlson": 0, "katz_adl": 6, "lawton_iadl": 8})),
        ("frail", json!({"charlson": 2, "katz_adl": 4, "lawton_iadl": 5})),
        ("unknown", json!({})),
    ]
}

/// (name, organ function): normal, and each contraindication the rules know.
fn organ() -> Vec<(&'static str, Value)> {
    let ok = json!({"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6, "nyha_class": 0,
                    "peripheral_neuropathy_grade": 0, "active_infection": false, "on_dialysis": false});
    let with = |k: &str, v: Value| {
        let mut o = ok.clone();
        o[k] = v;
        o
    };
    vec![
        ("normal", ok.clone()),
        ("nyha3", with("nyha_class", json!(3))),
        ("neuropathy3", with("peripheral_neuropathy_grade", json!(3))),
        ("infection", with("active_infection", json!(true))),
        // Not organ function, but contraindications the rules know too (patched into the record
        // in `states`): counts below every encoded start threshold, and a woman of childbearing
        // potential without the programme's contraception; a man with a partner of childbearing
        // potential who has not agreed to the programme's condom use.
        ("counts_low", ok.clone()),
        ("no_contraception", ok.clone()),
        ("male_no_condom", ok.clone()),
    ]
}

const CREATININE_MG_DL: [f64; 2] = [1.0, 2.6];

/// (name, findings).
fn cytogenetics() -> Vec<(&'static str, Value)> {
    let f = |a: &str, s: &str| json!({"abnormality": a, "status": s});
    let neg = |except: &str, s: &str| {
        let v: Vec<Value> = ["del_17p", "t_4_14", "gain_1q", "t_14_16", "t_14_20"]
            .iter()
            .map(|a| if *a == except { f(a, s) } else { f(a, "not_detected") })
            .collect();
        Value::Array(v)
    };
    vec![
        ("standard", neg("", "")),
        ("t_4_14", neg("t_4_14", "detected")),
        (
            "del_17p",
            json!([{"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": 60},
                           f("t_4_14", "not_detected"), f("gain_1q", "not_detected"),
                           f("t_14_16", "not_detected"), f("t_14_20", "not_detected")]),
        ),
        ("untested", json!([])),
    ]
}

/// (name, labs and diagnosis inputs): active myeloma established, and not classifiable.
fn diagnosis() -> Vec<(&'static str, Value)> {
    vec![
        ("myeloma", json!({"biopsy_proven_plasmacytoma": false, "osteolytic_lesions": 3, "crab_attributable": true})),
        ("unclassified", json!({})),
    ]
}

fn ev(kind: &str) -> Value {
    json!({"event": kind})
}
fn cycles(n: usize) -> Vec<Value> {
    (0..n).map(|_| ev("cycle_completed")).collect()
}

/// (name, history): every position on the pathway.
fn histories() -> Vec<(&'static str, Vec<Value>)> {
    let start = |r: &str| json!({"event": "therapy_started", "regimen": r});
    let resp = |r: &str| json!({"event": "response_assessed", "response": r});
    let induction: Vec<Value> = [vec![start("vrd")], cycles(4), vec![resp("vgpr")]].concat();
    // The team's eligibility decision is recorded before a transplant (a frail or older patient
    // can be assessed eligible by the team); without it the state machine refuses the transplant.
    let eligible = json!({"event": "transplant_eligibility_assessed", "eligible": true});
    let transplanted: Vec<Value> = [vec![eligible], induction.clone(), vec![ev("transplant_done")]].concat();
    let maintenance: Vec<Value> =
        [transplanted.clone(), vec![json!({"event": "maintenance_started", "regimen": "len-maintenance"})], cycles(6)]
            .concat();
    let line2: Vec<Value> = [maintenance.clone(), vec![ev("progression")]].concat();
    // Line 3 without anti-CD38 exposure (lenalidomide and a PI given): where Isa-Pd's labels apply.
    let line3: Vec<Value> = [line2.clone(), vec![start("svd")], cycles(4), vec![ev("progression")]].concat();
    let line4: Vec<Value> = [
        line2.clone(),
        vec![start("dkd")],
        cycles(6),
        vec![ev("progression"), start("svd")],
        cycles(4),
        vec![ev("progression")],
    ]
    .concat();
    // Line 5, refractory to two PIs, two IMiDs and an anti-CD38 (penta) and never given
    // selinexor (SVd would make Sd a refractory-drug exclusion): where Sd's labels apply.
    let line5: Vec<Value> = [
        line2.clone(),
        vec![start("dkd")],
        cycles(6),
        vec![ev("progression"), start("bvd")],
        cycles(4),
        vec![ev("progression"), start("dpd")],
        cycles(4),
        vec![ev("progression")],
    ]
    .concat();
    vec![
        ("work_up", vec![]),
        ("induction_cycle_2", [vec![start("vrd")], cycles(2)].concat()),
        ("after_induction", induction),
        ("after_transplant", transplanted),
        ("maintenance", maintenance),
        ("relapse_line_2", line2),
        ("relapse_line_3", line3),
        ("relapse_line_4", line4),
        ("relapse_line_5_penta_refractory", line5),
    ]
}

struct State {
    name: String,
    record: Value,
    guideline: Guideline,
    history: &'static str,
    organ: &'static str,
}

fn states() -> Vec<State> {
    let mut out = Vec::new();
    for age in AGES {
        for (fname, fr) in frailty() {
            for (oname, org) in organ() {
                for cr in CREATININE_MG_DL {
                    for (cname, cyto) in cytogenetics() {
                        for (dname, dx) in diagnosis() {
                            for (hname, history) in histories() {
                                for j in ["us", "eu"] {
                                    for profile in ["article", "quadruplet_first"] {
                                        let mut record = json!({
                                            "age_years": age, "sex": "female", "weight_kg": 70, "height_cm": 165,
                                            "ecog": 1, "frailty": fr, "organ_function": org,
                                            "labs": {
                                                "creatinine": {"value": cr, "unit": "mg/dL"},
                                                "bone_marrow_plasma_cells": {"value": 40, "unit": "%"},
                                                "beta2_microglobulin": {"value": 4.0, "unit": "mg/L"},
                                                "albumin": {"value": 3.8, "unit": "g/dL"}
                                            },
                                            "cytogenetics": cyto, "diagnosis": dx, "history": history
                                        });
                                        match oname {
                                            // Below every encoded threshold (lowest: 0.5 and 50 × 10⁹/L).
                                            "counts_low" => {
                                                record["labs"]["anc"] = json!({"value": 0.4, "unit": "10^9/L"});
                                                record["labs"]["platelets"] = json!({"value": 40, "unit": "10^9/L"});
                                            }
                                            "no_contraception" => {
                                                record["pregnant"] = json!(false);
                                                record["pregnancy_prevention"] = json!({"childbearing_potential": true, "reliable_contraception": false});
                                            }
                                            "male_no_condom" => {
                                                record["sex"] = json!("male");
                                                record["pregnancy_prevention"] = json!({"partner_of_childbearing_potential": true, "condom_use_agreed": false});
                                            }
                                            _ => {}
                                        }
                                        let g = Guideline::from_json(
                                            &json!({"jurisdiction": j, "profile": profile}).to_string(),
                                        )
                                        .unwrap();
                                        out.push(State {
                                            name: format!(
                                                "age {age}, {fname}, {oname}, creatinine {cr}, {cname}, {dname}, {hname}, {j}, {profile}"
                                            ),
                                            record,
                                            guideline: g,
                                            history: hname,
                                            organ: oname,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// What a state's plan is: an answer (options), or no options with the reason stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Options,
    /// No options, and the plan says why: what is missing, or that the pathway does not apply.
    NoOptionsExplained,
}

fn check(kb: &KnowledgeBase, s: &State) -> Result<(Outcome, BTreeSet<String>, BTreeSet<&'static str>), String> {
    let p = Patient::from_json(&s.record.to_string()).map_err(|e| format!("{}: record refused: {e}", s.name))?;
    let plan: Plan = recommend_with(kb, &p, &s.guideline).map_err(|e| format!("{}: no plan: {e}", s.name))?;
    let offered: BTreeSet<String> = plan.options.iter().map(|o| o.regimen_id.clone()).collect();
    let excluded: BTreeSet<String> = plan.excluded.iter().map(|e| e.regimen_id.clone()).collect();
    // No conflict: nothing both offered and excluded.
    if let Some(both) = offered.intersection(&excluded).next() {
        return Err(format!("{}: {both} is both offered and excluded", s.name));
    }
    for o in &plan.options {
        if o.citations.is_empty() {
            return Err(format!("{}: {} carries no citation", s.name, o.regimen_id));
        }
        if o.action == "observe" {
            // Active monitoring: no drug, nothing to contraindicate.
            continue;
        }
        let r = kb.regimen(&o.regimen_id).ok_or(format!("{}: unknown regimen {}", s.name, o.regimen_id))?;
        let classes: BTreeSet<DrugClass> = r.drugs().iter().map(|d| d.class()).collect();
        let drugs = r.drugs();
        // No contraindicated option (hard exclusions by the inputs, independent of the engine).
        let bad = match s.organ {
            "nyha3" => drugs.contains(&myeloma_pathway::Drug::Carfilzomib),
            "neuropathy3" => drugs.contains(&myeloma_pathway::Drug::Bortezomib),
            "infection" => {
                o.action == "start"
                    && (classes.contains(&DrugClass::BispecificBcma) || classes.contains(&DrugClass::BispecificGprc5d))
            }
            // Start thresholds (dosing/thresholds.rs), read from the labels independently of the
            // engine: US pomalidomide and ixazomib before every cycle; EU lenalidomide to start
            // (any regimen); US lenalidomide to start maintenance.
            "counts_low" => {
                let us = s.guideline.jurisdiction() == myeloma_pathway::guideline::Jurisdiction::Us;
                let len = drugs.contains(&myeloma_pathway::Drug::Lenalidomide);
                (us && (drugs.contains(&myeloma_pathway::Drug::Pomalidomide)
                    || drugs.contains(&myeloma_pathway::Drug::Ixazomib)))
                    || (!us && len && o.action != "continue")
                    || (us && len && o.action == "maintenance")
            }
            // US REMS / EU Pregnancy Prevention Programme.
            "no_contraception" => {
                drugs.contains(&myeloma_pathway::Drug::Lenalidomide)
                    || drugs.contains(&myeloma_pathway::Drug::Pomalidomide)
            }
            // Male patients: US Lenalidomide REMS and Pomalyst REMS (condom use), EU Imnovid
            // ("male patients unable to follow or comply with the required contraceptive
            // measures"); the EU lenalidomide condition for men was not read, so not excluded.
            "male_no_condom" => {
                let us = s.guideline.jurisdiction() == myeloma_pathway::guideline::Jurisdiction::Us;
                drugs.contains(&myeloma_pathway::Drug::Pomalidomide)
                    || (us && drugs.contains(&myeloma_pathway::Drug::Lenalidomide))
            }
            _ => false,
        };
        if bad {
            return Err(format!("{}: {} is offered although contraindicated ({})", s.name, o.regimen_id, s.organ));
        }
    }
    let outcome = if plan.options.is_empty() {
        let explained = !plan.missing_inputs.is_empty()
            || !plan.warnings.is_empty()
            || !plan.excluded.is_empty()
            || s.history == "maintenance";
        if !explained {
            return Err(format!("{}: no option and no reason (a gap)", s.name));
        }
        Outcome::NoOptionsExplained
    } else {
        Outcome::Options
    };
    Ok((outcome, offered, plan.warnings.iter().map(|w| w.code).collect()))
}

#[test]
fn every_partitioned_state_gets_one_outcome_without_conflict_or_contraindicated_option() {
    let kb = kb();
    let all = states();
    let n = all.len();
    let half = n / 2;
    let (a, b) = all.split_at(half);
    type Acc = (BTreeMap<Outcome, usize>, BTreeSet<String>, BTreeMap<&'static str, usize>, Vec<String>);
    let run = |chunk: &[State]| -> Acc {
        let mut acc: Acc = Default::default();
        for s in chunk {
            match check(kb, s) {
                Ok((o, offered, warnings)) => {
                    *acc.0.entry(o).or_default() += 1;
                    acc.1.extend(offered);
                    for w in warnings {
                        *acc.2.entry(w).or_default() += 1;
                    }
                }
                Err(e) => acc.3.push(e),
            }
        }
        acc
    };
    let (ra, rb) = std::thread::scope(|sc| {
        let ha = sc.spawn(|| run(a));
        let hb = sc.spawn(|| run(b));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    let mut outcomes = ra.0;
    for (k, v) in rb.0 {
        *outcomes.entry(k).or_default() += v;
    }
    let mut offered: BTreeSet<String> = ra.1.union(&rb.1).cloned().collect();
    // Smouldering myeloma (its own ranking): high risk by 20/2/20 in each jurisdiction and profile.
    let smm: Value = serde_json::from_str(include_str!(
        "../../../../tests/golden/smm-high-risk-us-daratumumab-sc-first-on-the-us-label.json"
    ))
    .unwrap();
    for j in ["us", "eu"] {
        for profile in ["article", "quadruplet_first", "guideline_2026"] {
            let s = State {
                name: format!("high-risk smouldering, {j}, {profile}"),
                record: smm["patient"].clone(),
                guideline: Guideline::from_json(&json!({"jurisdiction": j, "profile": profile}).to_string()).unwrap(),
                history: "none",
                organ: "normal",
            };
            let (_, ids, _) = check(kb, &s).unwrap();
            offered.extend(ids);
        }
    }
    let mut warnings = ra.2;
    for (k, v) in rb.2 {
        *warnings.entry(k).or_default() += v;
    }
    let failures: Vec<String> = ra.3.into_iter().chain(rb.3).collect();
    println!("exhaustive rule check: {n} states; outcomes {outcomes:?}");
    println!("warnings reached: {warnings:?}");
    assert!(
        failures.is_empty(),
        "{} of {n} states fail; first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
    assert_eq!(outcomes.values().sum::<usize>(), n, "every state has exactly one outcome");
    // No unreachable rule: every regimen a ranking names is offered in some state.
    let ranked: BTreeSet<String> = kb.rankings().iter().flat_map(|r| r.order.iter().cloned()).collect();
    let unreachable: Vec<&String> = ranked.difference(&offered).collect();
    assert!(unreachable.is_empty(), "ranked regimens never offered in any state: {unreachable:?}");
}
