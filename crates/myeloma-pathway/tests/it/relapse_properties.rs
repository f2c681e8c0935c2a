//! Relapse properties over many dated histories (issue 10), run through the whole plan, not only
//! the history unit: no offered option holds a drug of a class the disease is refractory to
//! unless a verified source allows it (pomalidomide after lenalidomide: the EU Darzalex SmPC §4.1
//! DPd indication "were lenalidomide-refractory", relapse-labels.md Deliverable A; carfilzomib
//! after bortezomib: the CANDOR population, 28% bortezomib-refractory, `candor-population`);
//! refractoriness at 59, 60 and 61 days after the last dose; every relapse option names its
//! label (jurisdiction, version) and cites it; lines never decrease as the history grows.

use std::collections::BTreeSet;

use crate::kb;
use myeloma_pathway::api;
use myeloma_pathway::drugs::{Drug, DrugClass};
use myeloma_pathway::{recommend, Guideline, Patient, Plan};
use serde_json::{json, Value};

const TEMPLATES: [&[&str]; 9] = [
    &["bortezomib", "lenalidomide", "dexamethasone"],
    &["daratumumab_iv", "carfilzomib", "dexamethasone"],
    &["carfilzomib", "dexamethasone"],
    &["elotuzumab", "pomalidomide", "dexamethasone"],
    &["daratumumab_sc", "pomalidomide", "dexamethasone"],
    &["teclistamab"],
    &["venetoclax", "dexamethasone"],
    &["lenalidomide", "dexamethasone"],
    &["pomalidomide", "bortezomib", "dexamethasone"],
];

fn base() -> Value {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/relapse-dated-first-relapse-len-refractory-eu.json");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let mut patient = case["patient"].clone();
    patient.as_object_mut().unwrap().remove("treatment_history");
    patient
}

fn date(d: jiff::civil::Date) -> String {
    d.to_string()
}

/// A history of the given lines, each 200 days long; `gap` = None: progression on therapy;
/// Some(n): completed, progression n days after the last dose. The next line starts 10 days
/// after the progression.
fn history(lines: &[usize], gap: Option<i64>) -> Value {
    let mut start: jiff::civil::Date = "2020-01-01".parse().unwrap();
    let mut therapies = Vec::new();
    let mut progressions = Vec::new();
    for &l in lines {
        let stop = start.checked_add(jiff::Span::new().days(200)).unwrap();
        let prog = stop.checked_add(jiff::Span::new().days(gap.unwrap_or(0))).unwrap();
        for d in TEMPLATES[l] {
            therapies.push(json!({
                "drug": d, "start": date(start), "stop": date(stop),
                "reason_stopped": if gap.is_none() { "progression" } else { "completion" }
            }));
        }
        progressions.push(date(prog));
        start = prog.checked_add(jiff::Span::new().days(10)).unwrap();
    }
    json!({"therapies": therapies, "progressions": progressions})
}

fn plan(th: Value, g: &Guideline) -> Plan {
    let mut p = base();
    p["treatment_history"] = th;
    recommend(&Patient::from_json(&p.to_string()).unwrap(), g).unwrap()
}

fn guideline(j: &str) -> Guideline {
    api::guideline_from(Some(&format!(r#"{{"jurisdiction": "{j}"}}"#))).unwrap()
}

/// Classes whose refractoriness bars nothing (every regimen has dexamethasone; lymphodepletion).
fn class_rule_applies(c: DrugClass) -> bool {
    !matches!(c, DrugClass::Corticosteroid | DrugClass::PurineAnalogue | DrugClass::AlkylatingAgent)
}

fn check(plan: &Plan, j: &str, what: &str) -> Result<(), String> {
    let d = plan.treatment_history.as_ref().ok_or("no derived history")?;
    let refractory: BTreeSet<Drug> = d.refractory_drugs();
    for o in &plan.options {
        let r = kb().regimen(&o.regimen_id).ok_or("unknown regimen")?;
        // The salvage ASCT rests on a consensus statement (Giralt 2015), not a label: it must
        // say so and cite it.
        if o.regimen_id == "salvage-asct" {
            if o.label.is_some() || !o.citations.iter().any(|c| c.key == "salvage-hct-2015") {
                return Err(format!("{what}: salvage ASCT must cite its consensus statement, not a label"));
            }
            continue;
        }
        // Every drug-regimen relapse option names its label: jurisdiction, version, citation.
        let l = o.label.as_ref().ok_or(format!("{what}: {} names no label", o.regimen_id))?;
        if l.jurisdiction.id() != j || l.version.trim().is_empty() || !o.citations.iter().any(|c| c.key == l.citation) {
            return Err(format!("{what}: {} label {:?} not cited or not {j}", o.regimen_id, l.version));
        }
        // The label's own bounds hold: prior lines within its minimum (and the US "one to three"
        // maximum where it has one), and every drug it requires given before.
        let prior = plan.position.line.saturating_sub(1);
        if prior < l.min_prior_lines || l.max_prior_lines.is_some_and(|m| prior > m) {
            return Err(format!(
                "{what}: {} offered at {prior} prior line(s) outside its label {:?}",
                o.regimen_id, l.version
            ));
        }
        let exposed = d.exposed_drugs();
        if let Some(x) = l.exposed_to.iter().find(|x| !exposed.contains(x)) {
            return Err(format!("{what}: {} offered without the prior {} its label requires", o.regimen_id, x.id()));
        }
        for drug in r.drugs() {
            let c = drug.class();
            if !class_rule_applies(c) || !d.refractory_classes.contains(&c) {
                continue;
            }
            if c == DrugClass::BcmaCarT && matches!(drug, Drug::Fludarabine | Drug::Cyclophosphamide) {
                continue;
            }
            let refr_here: Vec<Drug> = refractory.iter().copied().filter(|x| x.class() == c).collect();
            let pom_after_len = drug == Drug::Pomalidomide
                && !refr_here.is_empty()
                && refr_here.iter().all(|x| *x == Drug::Lenalidomide);
            let carfilzomib_after_bortezomib =
                drug == Drug::Carfilzomib && !refr_here.is_empty() && refr_here.iter().all(|x| *x == Drug::Bortezomib);
            if !pom_after_len && !carfilzomib_after_bortezomib {
                return Err(format!(
                    "{what}: {} offered with {} though the disease is refractory to {:?}",
                    o.regimen_id,
                    drug.id(),
                    refr_here.iter().map(|x| x.id()).collect::<Vec<_>>()
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn no_relapse_option_holds_a_drug_of_a_refractory_class_and_every_option_names_its_label() {
    let mut seqs: Vec<Vec<usize>> = (0..TEMPLATES.len()).map(|a| vec![a]).collect();
    for a in 0..TEMPLATES.len() {
        for b in 0..TEMPLATES.len() {
            seqs.push(vec![a, b]);
            for c in 0..TEMPLATES.len() {
                seqs.push(vec![a, b, c]);
            }
        }
    }
    let mut failures = Vec::new();
    let mut offered = 0usize;
    for j in ["us", "eu"] {
        let g = guideline(j);
        for s in &seqs {
            for gap in [None, Some(59), Some(61)] {
                let p = plan(history(s, gap), &g);
                offered += p.options.len();
                if let Err(e) = check(&p, j, &format!("{j} lines {s:?} gap {gap:?}")) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(offered > 1000, "the histories must offer options for the property to mean anything");
    assert!(failures.is_empty(), "{} failure(s), first: {:?}", failures.len(), failures.first());
}

#[test]
fn carfilzomib_stays_an_option_in_bortezomib_refractory_disease_as_candor_enrolled_such_patients() {
    for j in ["us", "eu"] {
        let p = plan(history(&[0], None), &guideline(j));
        let ids: BTreeSet<&str> = p.options.iter().map(|o| o.regimen_id.as_str()).collect();
        // Progression on VRd: bortezomib and lenalidomide regimens are excluded ...
        for id in ["krd", "svd", "bvd"] {
            assert!(!ids.contains(id), "{j}: {id} offered after progression on VRd");
        }
        // ... but carfilzomib (CANDOR: 28% bortezomib-refractory) and pomalidomide stay.
        assert!(ids.contains("dkd"), "{j}: DKd must stay after bortezomib-refractory disease: {ids:?}");
        assert!(ids.contains("dpd"), "{j}: DPd (pomalidomide after lenalidomide) must stay: {ids:?}");
        let dkd = p.options.iter().find(|o| o.regimen_id == "dkd").unwrap();
        assert!(dkd.notes.iter().any(|n| n.contains("CANDOR enrolled bortezomib-refractory")), "{:?}", dkd.notes);
    }
}

/// VRd, ASCT, lenalidomide maintenance stopped by choice; progression `n` days after the last dose.
fn len_maintenance_then_progression(n: i64) -> Value {
    let stop: jiff::civil::Date = "2024-01-01".parse().unwrap();
    let prog = stop.checked_add(jiff::Span::new().days(n)).unwrap();
    json!({
        "therapies": [
            {"drug": "bortezomib", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "lenalidomide", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "dexamethasone", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "lenalidomide", "start": "2022-08-01", "stop": "2024-01-01", "reason_stopped": "choice",
             "planned_continuation": true}
        ],
        "transplants": [{"date": "2022-06-15"}],
        "progressions": [date(prog)]
    })
}

#[test]
fn progression_59_and_60_days_after_the_last_lenalidomide_dose_is_refractory_through_the_plan_61_is_not() {
    for j in ["us", "eu"] {
        for (n, refractory) in [(59, true), (60, true), (61, false)] {
            let p = plan(len_maintenance_then_progression(n), &guideline(j));
            let d = p.treatment_history.as_ref().unwrap();
            assert_eq!(d.refractory_drugs().contains(&Drug::Lenalidomide), refractory, "{j} {n} days");
            let ids: BTreeSet<&str> = p.options.iter().map(|o| o.regimen_id.as_str()).collect();
            // Cilta-cel's label needs lenalidomide-refractory disease (US and EU); KRd holds lenalidomide.
            assert_eq!(ids.contains("cilta-cel"), refractory, "{j} {n} days: {ids:?}");
            assert_eq!(ids.contains("krd"), !refractory, "{j} {n} days: {ids:?}");
            assert_eq!(p.position.line, 2);
        }
    }
}

/// Lenalidomide stopped for progression on 2024-01-01 and pomalidomide started that day and still
/// given, with a recorded progression `prog_after_start` days after pomalidomide's start.
fn pomalidomide_started_after_a_progression(prog_after_start: i64) -> myeloma_pathway::TreatmentHistory {
    let pom_start: jiff::civil::Date = "2024-01-01".parse().unwrap();
    let prog = pom_start.checked_add(jiff::Span::new().days(prog_after_start)).unwrap();
    let th = json!({
        "therapies": [
            {"drug": "lenalidomide", "start": "2023-01-01", "stop": "2024-01-01", "reason_stopped": "progression"},
            {"drug": "pomalidomide", "start": date(pom_start)},
        ],
        "progressions": [date(prog)],
        "as_of": "2024-06-01",
    });
    serde_json::from_value(th).unwrap()
}

#[test]
fn a_drug_started_on_the_day_of_a_progression_is_not_refractory_to_it_and_one_day_later_it_is() {
    // IMWG 2011 (`imwg-2011-reporting`, relapse-labels.md B2): refractory is progression *while
    // on therapy* (or within 60 days of its last dose). The progression dated on the first day of
    // pomalidomide is the one it was started for; a progression the day after is on pomalidomide.
    // Found by mutation testing (docs/safety.md): `p < start` and `p <= start` gave the same tests.
    let refractory_to_pom = |days| {
        let h = myeloma_pathway::history::derive(
            &pomalidomide_started_after_a_progression(days),
            myeloma_pathway::history::Rules::default(),
        );
        assert!(h.refractory_drugs().contains(&Drug::Lenalidomide), "lenalidomide progressed on therapy");
        h.refractory_drugs().contains(&Drug::Pomalidomide)
    };
    assert!(!refractory_to_pom(0), "a progression on the start day precedes the drug");
    assert!(refractory_to_pom(1), "a progression the day after the start is on the drug");
}

#[test]
fn the_refractory_window_is_a_caller_choice_through_the_plan() {
    let g = api::guideline_from(Some(r#"{"jurisdiction": "us", "refractory_window_days": 90}"#)).unwrap();
    let p = plan(len_maintenance_then_progression(75), &g);
    assert!(p.treatment_history.as_ref().unwrap().refractory_drugs().contains(&Drug::Lenalidomide));
    assert!(p.options.iter().any(|o| o.regimen_id == "cilta-cel"));
    let p = plan(len_maintenance_then_progression(75), &guideline("us"));
    assert!(!p.options.iter().any(|o| o.regimen_id == "cilta-cel"));
}

#[test]
fn lines_never_decrease_as_the_history_grows() {
    let full = [0usize, 1, 3, 6, 5, 2];
    for gap in [None, Some(61)] {
        let mut last = (0u8, 0u8);
        for k in 1..=full.len() {
            let p = plan(history(&full[..k], gap), &guideline("eu"));
            let now = (p.treatment_history.as_ref().unwrap().line_count(), p.position.line);
            assert!(now.0 >= last.0 && now.1 >= last.1, "{k} lines: {now:?} after {last:?}");
            assert_eq!(usize::from(now.0), k);
            last = now;
        }
    }
}

/// VRd + ASCT 2022-06-15 + lenalidomide maintenance stopped for progression on `prog`.
fn asct_then_progression(prog: &str) -> Value {
    json!({
        "therapies": [
            {"drug": "bortezomib", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "lenalidomide", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "dexamethasone", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "lenalidomide", "start": "2022-08-01", "stop": prog, "reason_stopped": "progression",
             "planned_continuation": true}
        ],
        "transplants": [{"date": "2022-06-15"}],
        "progressions": [prog]
    })
}

#[test]
fn salvage_asct_is_offered_only_when_the_remission_after_the_first_asct_lasted_more_than_18_months() {
    for j in ["us", "eu"] {
        // 2022-06-15 + 18 months = 2023-12-15: exactly 18 months is not "more than 18".
        for (prog, offered) in [("2023-12-14", false), ("2023-12-15", false), ("2023-12-16", true)] {
            let p = plan(asct_then_progression(prog), &guideline(j));
            let o = p.options.iter().find(|o| o.regimen_id == "salvage-asct");
            assert_eq!(o.is_some(), offered, "{j} {prog}");
            if let Some(o) = o {
                assert_eq!(o.action, "consolidation by transplant");
                assert!(o.label.is_none());
                assert!(
                    o.rationale.iter().any(|r| r.contains("consensus statement, evidence V2")),
                    "{:?}",
                    o.rationale
                );
                assert!(o.rationale.iter().any(|r| r.contains("18 months and 1 days")), "{:?}", o.rationale);
                // After the labelled regimens: rank is last.
                assert_eq!(o.rank, p.options.iter().map(|x| x.rank).max().unwrap());
            } else {
                assert!(p.excluded.iter().any(|e| e.regimen_id == "salvage-asct"), "{j} {prog}: exclusion says why");
            }
        }
    }
}

#[test]
fn salvage_asct_with_an_unknown_progression_date_is_a_missing_input_neither_given_nor_excluded() {
    let mut th = asct_then_progression("2024-03-01");
    // The progression is known only from a pathway event: drop the dated one.
    th["therapies"][3]["reason_stopped"] = json!("choice");
    th["progressions"] = json!([]);
    let mut p = base();
    p["treatment_history"] = th;
    p["history"] = json!([
        {"event": "therapy_started", "regimen": "vrd"}, {"event": "cycle_completed"},
        {"event": "response_assessed", "response": "vgpr"}, {"event": "transplant_done"},
        {"event": "maintenance_started", "regimen": "len-maintenance"}, {"event": "cycle_completed"},
        {"event": "progression"}
    ]);
    let plan = recommend(&Patient::from_json(&p.to_string()).unwrap(), &guideline("us")).unwrap();
    assert!(!plan.options.iter().any(|o| o.regimen_id == "salvage-asct"));
    assert!(!plan.excluded.iter().any(|e| e.regimen_id == "salvage-asct"));
    let m = plan.missing_inputs.iter().find(|m| m.field == "treatment_history.progressions").expect("missing input");
    assert!(m.needed_for.contains("salvage ASCT"), "{m:?}");
}

#[test]
fn salvage_asct_follows_transplant_eligibility() {
    let mut p = base();
    p["age_years"] = json!(74);
    p["treatment_history"] = asct_then_progression("2024-03-01");
    let plan = recommend(&Patient::from_json(&p.to_string()).unwrap(), &guideline("us")).unwrap();
    assert!(!plan.options.iter().any(|o| o.regimen_id == "salvage-asct"));
    let e = plan.excluded.iter().find(|e| e.regimen_id == "salvage-asct").unwrap();
    assert!(e.reason.contains("transplant-ineligible"), "{}", e.reason);
}

/// D-VRd (last daratumumab 2022-05-01), ASCT, lenalidomide maintenance, progression 2024-03-01,
/// read on `as_of`.
fn prior_daratumumab(as_of: &str) -> Value {
    json!({
        "therapies": [
            {"drug": "daratumumab_sc", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "bortezomib", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "lenalidomide", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "dexamethasone", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
            {"drug": "lenalidomide", "start": "2022-08-01", "stop": "2024-03-01", "reason_stopped": "progression",
             "planned_continuation": true}
        ],
        "transplants": [{"date": "2022-06-15"}],
        "progressions": ["2024-03-01"],
        "as_of": as_of
    })
}

#[test]
fn anti_cd38_retreatment_within_the_centres_interval_is_excluded_and_at_the_interval_is_offered() {
    let g = api::guideline_from(Some(r#"{"jurisdiction": "us", "anti_cd38_retreatment_min_months": 24}"#)).unwrap();
    // Last dose 2022-05-01 + 24 months = 2024-05-01.
    for (as_of, offered) in [("2024-04-30", false), ("2024-05-01", true)] {
        let p = plan(prior_daratumumab(as_of), &g);
        assert_eq!(p.options.iter().any(|o| o.regimen_id == "dkd"), offered, "{as_of}");
        if !offered {
            let e = p.excluded.iter().find(|e| e.regimen_id == "dkd").unwrap();
            assert!(e.reason.contains("the centre's choice"), "{}", e.reason);
            assert!(p.options.iter().any(|o| o.regimen_id == "cilta-cel"), "non-anti-CD38 options stay");
        }
    }
}

#[test]
fn prior_anti_cd38_exposure_adds_the_trial_population_note_and_no_rule_by_default() {
    let p = plan(prior_daratumumab("2024-03-10"), &guideline("us"));
    let dkd = p.options.iter().find(|o| o.regimen_id == "dkd").expect("no interval by default");
    assert!(dkd.notes.iter().any(|n| n.contains("no label sets a retreatment interval") && n.contains("ICARIA-MM")));
    let cilta = p.options.iter().find(|o| o.regimen_id == "cilta-cel").unwrap();
    assert!(!cilta.notes.iter().any(|n| n.contains("anti-CD38 retreatment")), "only on anti-CD38 regimens");
    // Without prior anti-CD38 exposure there is no note.
    let p = plan(asct_then_progression("2024-03-01"), &guideline("us"));
    let dkd = p.options.iter().find(|o| o.regimen_id == "dkd").unwrap();
    assert!(!dkd.notes.iter().any(|n| n.contains("anti-CD38 retreatment")));
}

#[test]
fn an_undated_anti_cd38_exposure_under_a_centre_interval_is_a_missing_input_not_an_exclusion() {
    let g = api::guideline_from(Some(r#"{"jurisdiction": "us", "anti_cd38_retreatment_min_months": 6}"#)).unwrap();
    let mut th = prior_daratumumab("2024-03-10");
    th["therapies"] = json!([
        {"drug": "bortezomib", "start": "2022-01-10", "stop": "2022-05-01", "reason_stopped": "completion"},
        {"drug": "lenalidomide", "start": "2022-01-10", "stop": "2024-03-01", "reason_stopped": "progression"}
    ]);
    th["stated_facts"] = json!([{"fact": "exposed", "class": "anti_cd38", "source": "referral letter"}]);
    let p = plan(th, &g);
    assert!(p.options.iter().any(|o| o.regimen_id == "dkd"));
    assert!(p.missing_inputs.iter().any(|m| m.field == "treatment_history.therapies[].last_dose"));
}

#[test]
fn the_anti_cd38_interval_is_refused_out_of_range() {
    for bad in ["0", "61"] {
        let e = api::guideline_from(Some(&format!(r#"{{"anti_cd38_retreatment_min_months": {bad}}}"#)));
        assert!(e.is_err(), "{bad}");
    }
}
