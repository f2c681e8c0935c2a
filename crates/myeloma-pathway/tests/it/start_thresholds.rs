//! Blood-count start thresholds and the pregnancy exclusion, at the edge and just past it
//! (docs/dosing.md, "Start thresholds", "Pregnancy").

use myeloma_pathway::{api, recommend, Patient};
use serde_json::{json, Value};

fn golden(name: &str) -> Value {
    let f = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/golden/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()
}

fn plan(case: &Value) -> Value {
    let g = api::guideline_from(case.get("guideline").map(|g| g.to_string()).as_deref()).unwrap();
    let p = Patient::from_json(&case["patient"].to_string()).unwrap();
    serde_json::from_str(&recommend(&p, &g).unwrap().to_json()).unwrap()
}

fn with_counts(mut case: Value, anc: Option<Value>, platelets: Option<Value>, jurisdiction: Option<&str>) -> Value {
    if let Some(a) = anc {
        case["patient"]["labs"]["anc"] = a;
    }
    if let Some(p) = platelets {
        case["patient"]["labs"]["platelets"] = p;
    }
    if let Some(j) = jurisdiction {
        if case.get("guideline").is_none() {
            case["guideline"] = json!({});
        }
        case["guideline"]["jurisdiction"] = json!(j);
    }
    case
}

fn per_l(v: f64) -> Option<Value> {
    Some(json!({"value": v, "unit": "10^9/L"}))
}

/// The adjustment codes on `drug`'s doses in option `regimen`.
fn codes(plan: &Value, regimen: &str, drug: &str) -> Vec<String> {
    let o = plan["options"].as_array().unwrap().iter().find(|o| o["regimen_id"] == regimen).unwrap();
    o["doses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["drug"] == drug)
        .flat_map(|d| d["adjustments"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap().to_string()))
        .collect()
}

fn held(plan: &Value, regimen: &str, drug: &str) -> bool {
    codes(plan, regimen, drug).iter().any(|c| c == "start_threshold_hold")
}

fn warned(plan: &Value) -> bool {
    plan["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "start_threshold_not_met")
}

fn missing(plan: &Value) -> Vec<String> {
    plan["missing_inputs"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap().to_string()).collect()
}

const WORK_UP: &str = "renal-impairment-lenalidomide-dose";

#[test]
fn eu_lenalidomide_must_not_start_below_platelets_50_and_starts_at_50() {
    let at = plan(&with_counts(golden(WORK_UP), per_l(2.0), per_l(50.0), Some("eu")));
    assert!(!held(&at, "vrd", "lenalidomide") && !warned(&at));
    let past = plan(&with_counts(golden(WORK_UP), per_l(2.0), per_l(49.9), Some("eu")));
    assert!(held(&past, "vrd", "lenalidomide") && warned(&past));
    // The option stays, with the hold in its notes and the label's citation.
    let o = past["options"].as_array().unwrap().iter().find(|o| o["regimen_id"] == "vrd").unwrap();
    let note = o["notes"].as_array().unwrap().iter().find(|n| n.as_str().unwrap().starts_with("hold:")).unwrap();
    assert!(note.as_str().unwrap().contains("revlimid-smpc-2024"), "{note}");
}

#[test]
fn eu_lenalidomide_anc_in_per_microlitre_reads_as_10_9_per_litre() {
    let at = plan(&with_counts(golden(WORK_UP), Some(json!({"value": 1000, "unit": "/µL"})), per_l(100.0), Some("eu")));
    assert!(!held(&at, "vrd", "lenalidomide"));
    let past =
        plan(&with_counts(golden(WORK_UP), Some(json!({"value": 999, "unit": "/mcL"})), per_l(100.0), Some("eu")));
    assert!(held(&past, "vrd", "lenalidomide"));
}

#[test]
fn eu_lenalidomide_counts_unknown_are_reported_missing_and_a_low_anc_makes_platelets_irrelevant() {
    let none = plan(&with_counts(golden(WORK_UP), None, None, Some("eu")));
    let m = missing(&none);
    assert!(m.contains(&"labs.anc".to_string()) && m.contains(&"labs.platelets".to_string()), "{m:?}");
    // ANC below the threshold already holds the start: the platelet count cannot change that.
    let low = plan(&with_counts(golden(WORK_UP), per_l(0.5), None, Some("eu")));
    assert!(held(&low, "vrd", "lenalidomide"));
    assert!(!missing(&low).contains(&"labs.platelets".to_string()));
}

#[test]
fn us_lenalidomide_25_mg_has_no_verified_start_gate_so_counts_are_not_asked() {
    let p = plan(&with_counts(golden(WORK_UP), None, None, Some("us")));
    let m = missing(&p);
    assert!(!m.contains(&"labs.anc".to_string()) && !m.contains(&"labs.platelets".to_string()), "{m:?}");
    let low = plan(&with_counts(golden(WORK_UP), per_l(0.1), per_l(10.0), Some("us")));
    assert!(!held(&low, "vrd", "lenalidomide"));
}

#[test]
fn eu_start_gate_does_not_apply_to_a_course_under_way() {
    let p = plan(&with_counts(golden("article-fit-60-mid-induction"), per_l(0.5), per_l(20.0), Some("eu")));
    let vrd = p["options"].as_array().unwrap().iter().find(|o| o["regimen_id"] == "vrd").unwrap();
    assert_eq!(vrd["action"], "continue");
    assert!(!held(&p, "vrd", "lenalidomide"));
}

const AFTER_ASCT: &str = "article-fit-60-after-transplant-standard-risk";

#[test]
fn us_lenalidomide_maintenance_starts_at_anc_1000_and_platelets_75000_and_is_held_just_below_either() {
    let at = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(75.0), Some("us")));
    assert!(!held(&at, "len-maintenance", "lenalidomide"));
    for (anc, plt) in [(0.99, 75.0), (1.0, 74.9)] {
        let past = plan(&with_counts(golden(AFTER_ASCT), per_l(anc), per_l(plt), Some("us")));
        assert!(held(&past, "len-maintenance", "lenalidomide"), "ANC {anc}, platelets {plt}");
        let w = past["warnings"].as_array().unwrap().iter().find(|w| {
            w["code"] == "start_threshold_not_met" && w["message"].as_str().unwrap().starts_with("lenalidomide")
        });
        let w = w.unwrap();
        // The label's "and/or" is read as both, and the output says so.
        assert!(w["message"].as_str().unwrap().contains("read as both"), "{w}");
    }
}

#[test]
fn us_ixazomib_new_cycle_needs_anc_1000_and_platelets_75000() {
    let at = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(75.0), Some("us")));
    assert!(!held(&at, "ixazomib-maintenance", "ixazomib"));
    let past = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(74.0), Some("us")));
    assert!(held(&past, "ixazomib-maintenance", "ixazomib"));
}

const RELAPSE_US: &str = "relapse-candor-bortezomib-refractory-keeps-carfilzomib-regimens-us";

#[test]
fn us_pomalidomide_new_cycle_needs_anc_500_and_platelets_50000() {
    let at = plan(&with_counts(golden(RELAPSE_US), per_l(0.5), per_l(50.0), None));
    assert!(!held(&at, "dpd", "pomalidomide"));
    for (anc, plt) in [(0.49, 50.0), (0.5, 49.0)] {
        let past = plan(&with_counts(golden(RELAPSE_US), per_l(anc), per_l(plt), None));
        assert!(held(&past, "dpd", "pomalidomide"), "ANC {anc}, platelets {plt}");
        // The hold names no dose: the label gives none.
        let o = past["options"].as_array().unwrap().iter().find(|o| o["regimen_id"] == "dpd").unwrap();
        let adj = o["doses"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["adjustments"].as_array().unwrap().clone())
            .find(|a| a["code"] == "start_threshold_hold")
            .unwrap();
        assert!(adj.get("amount_mg").is_none() && adj.get("dose").is_none(), "{adj}");
    }
}

#[test]
fn counts_outside_the_plausible_range_are_refused_with_field_unit_and_range() {
    for (field, v, unit) in [("anc", 100.1, "10^9/L"), ("anc", -1.0, "10^9/L"), ("platelets", 3_000_001.0, "/µL")] {
        let mut case = golden(WORK_UP);
        case["patient"]["labs"][field] = json!({"value": v, "unit": unit});
        let e = Patient::from_json(&case["patient"].to_string()).unwrap_err();
        assert_eq!(e.field(), Some(format!("labs.{field}.value").as_str()), "{e}");
        assert!(e.accepted_range().is_some(), "{e}");
    }
    let mut case = golden(WORK_UP);
    case["patient"]["labs"]["anc"] = json!({"value": 1.0, "unit": "g/L"});
    assert_eq!(Patient::from_json(&case["patient"].to_string()).unwrap_err().kind(), "unsupported_unit");
}

#[test]
fn pregnancy_excludes_lenalidomide_and_pomalidomide_regimens_in_each_jurisdiction() {
    for j in ["us", "eu"] {
        for (name, imid_regimen, key) in [
            (WORK_UP, "vrd", if j == "us" { "len-rems" } else { "len-ppp-eu" }),
            (RELAPSE_US, "dpd", if j == "us" { "pom-rems" } else { "pom-ppp-eu" }),
        ] {
            let mut case = with_counts(golden(name), None, None, Some(j));
            case["patient"]["sex"] = json!("female");
            case["patient"]["pregnant"] = json!(true);
            let p = plan(&case);
            for o in p["options"].as_array().unwrap() {
                for d in o["doses"].as_array().unwrap() {
                    assert!(
                        d["drug"] != "lenalidomide" && d["drug"] != "pomalidomide",
                        "{j}: {} offered",
                        o["regimen_id"]
                    );
                }
            }
            let x = p["excluded"].as_array().unwrap().iter().find(|x| x["regimen_id"] == imid_regimen);
            if let Some(x) = x {
                assert!(x["reason"].as_str().unwrap().starts_with("pregnancy:"), "{x}");
                assert!(x["citations"].to_string().contains(key), "{j}: {x}");
            } else {
                panic!("{j}: {imid_regimen} not in excluded");
            }
            // Not pregnant: offered again.
            case["patient"]["pregnant"] = json!(false);
            let p = plan(&case);
            assert!(!p["excluded"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["reason"].as_str().unwrap().starts_with("pregnancy")));
            assert!(!missing(&p).contains(&"pregnant".to_string()));
        }
    }
}

#[test]
fn pregnant_with_sex_male_is_refused_naming_the_field() {
    let mut case = golden(WORK_UP);
    case["patient"]["pregnant"] = json!(true);
    let e = Patient::from_json(&case["patient"].to_string()).unwrap_err();
    assert_eq!(e.field(), Some("pregnant"));
    // Male and not pregnant is a valid record.
    case["patient"]["pregnant"] = json!(false);
    assert!(Patient::from_json(&case["patient"].to_string()).is_ok());
}

#[test]
fn pregnancy_status_unknown_with_sex_unknown_is_reported_missing() {
    let mut case = golden(WORK_UP);
    case["patient"].as_object_mut().unwrap().remove("sex");
    assert!(missing(&plan(&case)).contains(&"pregnant".to_string()));
}
