//! Runs every golden case under `tests/golden/` (see its README) through the core.

use std::collections::BTreeSet;
use std::path::PathBuf;

use myeloma_pathway::{api, recommend, Patient};
use serde_json::Value;

fn golden_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

fn set(v: &Value) -> BTreeSet<String> {
    strs(v).into_iter().collect()
}

fn check_case(case: &Value) -> Result<(), String> {
    let expect = case.get("expect").ok_or("no `expect`")?;
    let g = api::guideline_from(case.get("guideline").map(|g| g.to_string()).as_deref());
    let parsed = g.and_then(|g| Patient::from_json(&case["patient"].to_string()).and_then(|p| recommend(&p, &g)));
    if let Some(err) = expect.get("error") {
        let e = match parsed {
            Ok(_) => return Err("expected an error, got a plan".into()),
            Err(e) => e,
        };
        for (k, want) in err.as_object().unwrap() {
            let got = match k.as_str() {
                "kind" => Some(e.kind().to_string()),
                "field" => e.field().map(str::to_string),
                "unit" => e.unit().map(str::to_string),
                "accepted_range" => e.accepted_range().map(str::to_string),
                other => return Err(format!("unknown error expectation `{other}`")),
            };
            if got.as_deref() != want.as_str() {
                return Err(format!("error {k}: expected {want}, got {got:?} ({e})"));
            }
        }
        if expect.as_object().unwrap().len() != 1 {
            return Err("an error case expects nothing else".into());
        }
        return Ok(());
    }
    let plan = parsed.map_err(|e| format!("unexpected error: {e}"))?;
    // The engine's state (events replayed, then the dated treatment history read) is one the
    // validating constructor accepts: a front end can hand it back.
    let state = serde_json::to_string(&plan.position.state).unwrap();
    myeloma_pathway::json::parse::<myeloma_pathway::pathway::PathwayState>(&state)
        .map_err(|e| format!("the plan's pathway state does not read back: {e}"))?;
    let out: Value = serde_json::from_str(&plan.to_json()).unwrap();
    let offered: BTreeSet<String> = plan.options.iter().map(|o| o.regimen_id.clone()).collect();
    let excluded: BTreeSet<String> = plan.excluded.iter().map(|o| o.regimen_id.clone()).collect();
    let missing: BTreeSet<String> = plan.missing_inputs.iter().map(|m| m.field.clone()).collect();
    for (key, want) in expect.as_object().unwrap() {
        let got: Value = match key.as_str() {
            "phase" => out["position"]["phase"].clone(),
            "line" => out["position"]["line"].clone(),
            "eligibility" => out["transplant_eligibility"]["eligibility"].clone(),
            "risk" => out["risk"]["level"].clone(),
            "iss" | "r_iss" | "r2_iss" => out["staging"][key.as_str()]["stage"].clone(),
            "first_options" => {
                let got: BTreeSet<String> =
                    plan.options.iter().filter(|o| o.rank == 1).map(|o| o.regimen_id.clone()).collect();
                if got != set(want) {
                    return Err(format!("first_options: expected {want}, got {got:?}"));
                }
                continue;
            }
            "options_include"
            | "options_exclude"
            | "excluded_include"
            | "missing_inputs_include"
            | "missing_inputs_exclude" => {
                let (pool, must) = match key.as_str() {
                    "options_include" => (&offered, true),
                    "options_exclude" => (&offered, false),
                    "excluded_include" => (&excluded, true),
                    "missing_inputs_include" => (&missing, true),
                    _ => (&missing, false),
                };
                for id in strs(want) {
                    if pool.contains(&id) != must {
                        return Err(format!("{key}: `{id}` {} in {pool:?}", if must { "not" } else { "unexpectedly" }));
                    }
                }
                continue;
            }
            "max_warnings" => {
                if plan.warnings.len() as u64 > want.as_u64().unwrap() {
                    return Err(format!("max_warnings {want}: got {:?}", plan.warnings));
                }
                continue;
            }
            "smm_risk_group" => out["diagnosis"]["smm_risk"]["group"].clone(),
            "mgus_risk_stratum" => out["diagnosis"]["mgus_risk"]["stratum"].clone(),
            "option_labels" => {
                // regimen id → the jurisdiction of the label the option rests on (null: none).
                for (id, j) in want.as_object().unwrap() {
                    let o = plan
                        .options
                        .iter()
                        .find(|o| &o.regimen_id == id)
                        .ok_or(format!("option_labels: {id} not offered"))?;
                    let got = o.label.as_ref().map(|l| l.jurisdiction.id().to_string());
                    if got.as_deref() != j.as_str() {
                        return Err(format!("option_labels: {id} expected {j}, got {got:?}"));
                    }
                }
                continue;
            }
            "next_decision_contains" => {
                let text = format!("{} — {}", plan.next_decision.when, plan.next_decision.action);
                for s in strs(want) {
                    if !text.contains(&s) {
                        return Err(format!("next_decision_contains: `{s}` not in `{text}`"));
                    }
                }
                continue;
            }
            "counterfactuals_include" => {
                let got: Vec<String> = plan.counterfactuals.iter().map(|c| c.change.clone()).collect();
                for c in strs(want) {
                    if !got.contains(&c) {
                        return Err(format!("counterfactuals_include: `{c}` not in {got:?}"));
                    }
                }
                continue;
            }
            "doses_include" => {
                for d in want.as_array().ok_or("doses_include: a list")? {
                    check_dose(&out, d)?;
                }
                continue;
            }
            "warnings_include" | "warnings_exclude" => {
                let codes: BTreeSet<String> = plan.warnings.iter().map(|w| w.code.to_string()).collect();
                let must = key == "warnings_include";
                for c in strs(want) {
                    if codes.contains(&c) != must {
                        return Err(format!("{key}: `{c}` {} in {codes:?}", if must { "not" } else { "unexpectedly" }));
                    }
                }
                continue;
            }
            "car_t_course" => {
                check_car_t_course(&out, want)?;
                continue;
            }
            other => return Err(format!("unknown expectation key `{other}`")),
        };
        if got != *want {
            return Err(format!("{key}: expected {want}, got {got}"));
        }
    }
    for o in &plan.options {
        if o.citations.is_empty() {
            return Err(format!("option {} carries no citation", o.regimen_id));
        }
    }
    Ok(())
}

/// `car_t_course` (tests/golden/README.md): the course of the option `regimen` (or, with
/// `regimen` null, the plan's course under way) has this `stage`, these `steps` in order, this
/// `next` step (the first step whose status is `next` or `current`; null = none) and, for each
/// step named in `dates`, these dates.
fn check_car_t_course(plan: &Value, want: &Value) -> Result<(), String> {
    for k in want.as_object().ok_or("car_t_course: an object")?.keys() {
        if !["regimen", "stage", "steps", "next", "dates"].contains(&k.as_str()) {
            return Err(format!("unknown car_t_course key `{k}`"));
        }
    }
    let course = match &want["regimen"] {
        Value::Null => plan["car_t_course"].clone(),
        id => plan["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["regimen_id"] == *id)
            .ok_or(format!("car_t_course: {id} not offered"))?["car_t_course"]
            .clone(),
    };
    if course.is_null() {
        return Err(format!("car_t_course: no course for {}", want["regimen"]));
    }
    let steps: Vec<Value> = course["steps"].as_array().unwrap().iter().map(|s| s["step"].clone()).collect();
    if let Some(w) = want.get("stage") {
        if course["stage"] != *w {
            return Err(format!("car_t_course.stage: expected {w}, got {}", course["stage"]));
        }
    }
    if let Some(w) = want.get("steps") {
        if Value::Array(steps.clone()) != *w {
            return Err(format!("car_t_course.steps: expected {w}, got {steps:?}"));
        }
    }
    if let Some(w) = want.get("next") {
        let next = course["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["status"] == "next" || s["status"] == "current")
            .map_or(Value::Null, |s| s["step"].clone());
        if next != *w {
            return Err(format!("car_t_course.next: expected {w}, got {next}"));
        }
    }
    if let Some(w) = want.get("dates") {
        for (step, dates) in w.as_object().ok_or("car_t_course.dates: an object")? {
            let got = course["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["step"] == step.as_str())
                .map_or(Value::Null, |s| s["dates"].clone());
            if got != *dates {
                return Err(format!("car_t_course.dates.{step}: expected {dates}, got {got}"));
            }
        }
    }
    Ok(())
}

fn renal_case() -> Value {
    let f =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/renal-impairment-lenalidomide-dose.json");
    serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()
}

/// One `doses_include` entry (tests/golden/README.md): the option `regimen` has a dose of
/// `drug` whose dose for this patient is `dose` (`{"amount", "unit"}`, or `null` = not computed)
/// after the label adjustment `adjustment` (its code; `null` = no adjustment at all).
fn check_dose(plan: &Value, want: &Value) -> Result<(), String> {
    let w = want.as_object().ok_or("doses_include: entries are objects")?;
    for k in w.keys() {
        if !["regimen", "drug", "dose", "adjustment"].contains(&k.as_str()) {
            return Err(format!("doses_include: unknown key `{k}`"));
        }
    }
    let (regimen, drug) = (&want["regimen"], &want["drug"]);
    let option = plan["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["regimen_id"] == *regimen)
        .ok_or_else(|| format!("doses_include: {regimen} is not offered"))?;
    let doses: Vec<&Value> = option["doses"].as_array().unwrap().iter().filter(|d| d["drug"] == *drug).collect();
    if doses.is_empty() {
        return Err(format!("doses_include: {regimen} has no {drug} dose"));
    }
    let mut seen = Vec::new();
    for d in &doses {
        let adjustments = d["adjustments"].as_array().unwrap();
        let got = match &want["adjustment"] {
            Value::Null => {
                if !adjustments.is_empty() {
                    seen.push(format!("adjusted: {adjustments:?}"));
                    continue;
                }
                d["amount"].as_f64().map(|a| (a, d["unit"].as_str().unwrap_or_default().to_string()))
            }
            code => match adjustments.iter().find(|a| a["code"] == *code) {
                Some(a) => a["amount_mg"].as_f64().map(|x| (x, "mg".to_string())),
                None => {
                    seen.push(format!("no {code} adjustment in {adjustments:?}"));
                    continue;
                }
            },
        };
        let ok = match (&want["dose"], &got) {
            (Value::Null, None) => true,
            (w, Some((amount, unit))) if !w.is_null() => {
                (w["amount"].as_f64().unwrap() - amount).abs() < 1e-9 && w["unit"].as_str() == Some(unit.as_str())
            }
            _ => false,
        };
        if ok {
            return Ok(());
        }
        seen.push(format!("dose {got:?}"));
    }
    Err(format!("doses_include: {regimen} {drug}: expected {want}, got {}", seen.join("; ")))
}

#[test]
fn every_golden_case_gives_the_expected_answer() {
    let files = golden_files();
    assert!(files.len() >= 30, "at least 30 golden cases are required, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        if let Err(e) = check_case(&case) {
            failures.push(format!("{}: {e}", f.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(failures.is_empty(), "{} golden case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn a_golden_runner_refuses_an_unknown_key_in_a_dose_expectation() {
    let mut case = renal_case();
    case["expect"] = serde_json::json!({"doses_include": [{"regimen": "vrd", "drug": "lenalidomide", "dose": null, "adjustmen": null}]});
    assert!(check_case(&case).unwrap_err().contains("unknown key `adjustmen`"));
}

#[test]
fn a_golden_dose_expectation_fails_on_another_dose() {
    let mut case = renal_case();
    // CrCl 31.5 mL/min: the label's 10 mg, not the 25 mg as written.
    case["expect"] = serde_json::json!({"doses_include": [{"regimen": "vrd", "drug": "lenalidomide", "dose": {"amount": 25, "unit": "mg"}, "adjustment": null}]});
    assert!(check_case(&case).unwrap_err().contains("doses_include: \"vrd\" \"lenalidomide\""));
    case["expect"] = serde_json::json!({"doses_include": [{"regimen": "vrd", "drug": "lenalidomide", "dose": {"amount": 10, "unit": "mg"}, "adjustment": "lenalidomide_renal"}]});
    assert_eq!(check_case(&case), Ok(()));
}

#[test]
fn a_golden_runner_refuses_unknown_expectation_keys() {
    let case = serde_json::json!({"patient": {"age_years": 60}, "expect": {"phaze": "work_up"}});
    assert!(check_case(&case).unwrap_err().contains("unknown expectation key"));
}

#[test]
fn golden_cases_give_identical_bytes_on_every_run() {
    for f in golden_files() {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let g = case.get("guideline").map(|g| g.to_string());
        let a = api::run_json(api::Assessment::Plan, &case["patient"].to_string(), g.as_deref());
        let b = api::run_json(api::Assessment::Plan, &case["patient"].to_string(), g.as_deref());
        assert_eq!(a, b, "{}", f.display());
    }
}
