//! Blood-count start thresholds, pregnancy and pregnancy prevention: hard exclusions at the edge
//! and just past it (docs/dosing.md, "Start thresholds", "Pregnancy", "Pregnancy prevention").

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

fn offered(plan: &Value, regimen: &str) -> bool {
    plan["options"].as_array().unwrap().iter().any(|o| o["regimen_id"] == regimen)
}

/// The start-threshold exclusion of `regimen`, if any.
fn threshold_exclusion(plan: &Value, regimen: &str) -> Option<Value> {
    plan["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["regimen_id"] == regimen && x["reason"].as_str().unwrap().contains("threshold not met"))
        .cloned()
}

/// Excluded by a start threshold, and then never offered.
fn held(plan: &Value, regimen: &str) -> bool {
    let x = threshold_exclusion(plan, regimen).is_some();
    assert!(!(x && offered(plan, regimen)), "{regimen} both excluded and offered");
    x
}

/// No option contains `drug` (by its doses).
fn no_option_contains(plan: &Value, drug: &str) -> bool {
    plan["options"].as_array().unwrap().iter().all(|o| o["doses"].as_array().unwrap().iter().all(|d| d["drug"] != drug))
}

fn missing(plan: &Value) -> Vec<String> {
    plan["missing_inputs"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap().to_string()).collect()
}

const WORK_UP: &str = "renal-impairment-lenalidomide-dose";

#[test]
fn eu_lenalidomide_must_not_start_below_platelets_50_and_starts_at_50() {
    let at = plan(&with_counts(golden(WORK_UP), per_l(2.0), per_l(50.0), Some("eu")));
    assert!(!held(&at, "vrd") && offered(&at, "vrd"));
    let past = plan(&with_counts(golden(WORK_UP), per_l(2.0), per_l(49.9), Some("eu")));
    assert!(held(&past, "vrd") && !offered(&past, "vrd"));
    assert!(no_option_contains(&past, "lenalidomide"));
    // The exclusion names the lab, its value and unit, the threshold, the label and its version.
    let x = threshold_exclusion(&past, "vrd").unwrap();
    let reason = x["reason"].as_str().unwrap();
    for part in ["lenalidomide start threshold not met", "platelets 49.9 × 10⁹/L < 50 × 10⁹/L", "eu label", "2024"]
    {
        assert!(reason.contains(part), "{part}: {reason}");
    }
    assert!(x["citations"].to_string().contains("revlimid-smpc-2024"), "{x}");
    // No hold remains: the start threshold is an exclusion now, not a dose adjustment.
    assert!(!past["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "start_threshold_not_met"));
}

#[test]
fn eu_lenalidomide_anc_in_per_microlitre_reads_as_10_9_per_litre() {
    let at = plan(&with_counts(golden(WORK_UP), Some(json!({"value": 1000, "unit": "/µL"})), per_l(100.0), Some("eu")));
    assert!(!held(&at, "vrd") && offered(&at, "vrd"));
    let past =
        plan(&with_counts(golden(WORK_UP), Some(json!({"value": 999, "unit": "/mcL"})), per_l(100.0), Some("eu")));
    assert!(held(&past, "vrd"));
    let reason = threshold_exclusion(&past, "vrd").unwrap()["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("ANC 0.999 × 10⁹/L (entered 999 /mcL) < 1 × 10⁹/L"), "{reason}");
}

#[test]
fn eu_lenalidomide_counts_unknown_are_reported_missing_neither_excluded_nor_cleared() {
    let none = plan(&with_counts(golden(WORK_UP), None, None, Some("eu")));
    let m = missing(&none);
    assert!(m.contains(&"labs.anc".to_string()) && m.contains(&"labs.platelets".to_string()), "{m:?}");
    assert!(!held(&none, "vrd") && offered(&none, "vrd"));
    // ... and on the dose the count gates.
    let vrd = none["options"].as_array().unwrap().iter().find(|o| o["regimen_id"] == "vrd").unwrap();
    let len = vrd["doses"].as_array().unwrap().iter().find(|d| d["drug"] == "lenalidomide").unwrap();
    assert!(len["missing_inputs"].to_string().contains("labs.anc"), "{len}");
    // ANC below the threshold already excludes: the platelet count cannot change that.
    let low = plan(&with_counts(golden(WORK_UP), per_l(0.5), None, Some("eu")));
    assert!(held(&low, "vrd"));
    assert!(!missing(&low).contains(&"labs.platelets".to_string()));
}

#[test]
fn us_lenalidomide_25_mg_has_no_verified_start_gate_so_counts_are_not_asked() {
    let p = plan(&with_counts(golden(WORK_UP), None, None, Some("us")));
    let m = missing(&p);
    assert!(!m.contains(&"labs.anc".to_string()) && !m.contains(&"labs.platelets".to_string()), "{m:?}");
    let low = plan(&with_counts(golden(WORK_UP), per_l(0.1), per_l(10.0), Some("us")));
    assert!(!held(&low, "vrd") && offered(&low, "vrd"));
}

#[test]
fn eu_start_gate_does_not_apply_to_a_course_under_way() {
    let p = plan(&with_counts(golden("article-fit-60-mid-induction"), per_l(0.5), per_l(20.0), Some("eu")));
    let vrd = p["options"].as_array().unwrap().iter().find(|o| o["regimen_id"] == "vrd").unwrap();
    assert_eq!(vrd["action"], "continue");
    assert!(!held(&p, "vrd"));
}

const AFTER_ASCT: &str = "article-fit-60-after-transplant-standard-risk";

#[test]
fn us_lenalidomide_maintenance_starts_at_anc_1000_and_platelets_75000_and_is_excluded_just_below_either() {
    let at = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(75.0), Some("us")));
    assert!(!held(&at, "len-maintenance") && offered(&at, "len-maintenance"));
    for (anc, plt) in [(0.99, 75.0), (1.0, 74.9)] {
        let past = plan(&with_counts(golden(AFTER_ASCT), per_l(anc), per_l(plt), Some("us")));
        assert!(held(&past, "len-maintenance"), "ANC {anc}, platelets {plt}");
        assert!(no_option_contains(&past, "lenalidomide"), "ANC {anc}, platelets {plt}");
        let x = threshold_exclusion(&past, "len-maintenance").unwrap();
        // The label's "and/or" is read as both, and the output says so.
        assert!(x["reason"].as_str().unwrap().contains("read as both"), "{x}");
        assert!(x["citations"].to_string().contains("revlimid-uspi"), "{x}");
    }
}

#[test]
fn lenalidomide_maintenance_platelets_60_start_in_the_eu_and_are_excluded_in_the_us() {
    // EU SmPC 2024: < 50 × 10⁹/L for all indications; US maintenance: ≥ 75,000/mcL.
    let eu = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(60.0), Some("eu")));
    assert!(!held(&eu, "len-maintenance") && offered(&eu, "len-maintenance"));
    let us = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(60.0), Some("us")));
    assert!(held(&us, "len-maintenance"));
    // EU edge and just past it for maintenance too.
    let eu_at = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(50.0), Some("eu")));
    assert!(offered(&eu_at, "len-maintenance"));
    let eu_past = plan(&with_counts(golden(AFTER_ASCT), per_l(1.0), per_l(49.9), Some("eu")));
    assert!(held(&eu_past, "len-maintenance"));
}

#[test]
fn us_ixazomib_maintenance_is_excluded_by_its_label_whatever_the_counts() {
    // Ninlaro US PI §1, Limitations of Use: "not recommended for use in the maintenance setting …
    // outside of controlled clinical trials" (session 8). Before, the US new-cycle gate (ANC ≥ 1000,
    // platelets ≥ 75,000) held it; now the label excludes it at any count.
    for (anc, plt) in [(1.0, 75.0), (0.99, 75.0), (1.0, 74.9)] {
        let us = plan(&with_counts(golden(AFTER_ASCT), per_l(anc), per_l(plt), Some("us")));
        assert!(!offered(&us, "ixazomib-maintenance") && no_option_contains(&us, "ixazomib"));
        let e = us["excluded"].as_array().unwrap().iter().find(|e| e["regimen_id"] == "ixazomib-maintenance").unwrap();
        assert!(e["reason"].as_str().unwrap().contains("Limitations of Use"), "{e}");
    }
    // No EU ixazomib gate was read: the same low counts do not exclude it there.
    let eu = plan(&with_counts(golden(AFTER_ASCT), per_l(0.5), per_l(40.0), Some("eu")));
    assert!(!held(&eu, "ixazomib-maintenance") && offered(&eu, "ixazomib-maintenance"));
}

const RELAPSE_US: &str = "relapse-candor-bortezomib-refractory-keeps-carfilzomib-regimens-us";

#[test]
fn us_pomalidomide_new_cycle_needs_anc_500_and_platelets_50000() {
    let at = plan(&with_counts(golden(RELAPSE_US), per_l(0.5), per_l(50.0), None));
    assert!(!held(&at, "dpd") && offered(&at, "dpd"));
    for (anc, plt) in [(0.49, 50.0), (0.5, 49.0)] {
        let past = plan(&with_counts(golden(RELAPSE_US), per_l(anc), per_l(plt), None));
        assert!(held(&past, "dpd"), "ANC {anc}, platelets {plt}");
        assert!(no_option_contains(&past, "pomalidomide"), "ANC {anc}, platelets {plt}");
        let x = threshold_exclusion(&past, "dpd").unwrap();
        assert!(x["reason"].as_str().unwrap().contains("pomalidomide new-cycle threshold not met"), "{x}");
        assert!(x["citations"].to_string().contains("pomalyst-uspi-new-cycle"), "{x}");
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

/// A woman, not pregnant, with the given pregnancy-prevention fields, in jurisdiction `j`.
fn woman(name: &str, j: &str, pp: Value) -> Value {
    let mut case = with_counts(golden(name), None, None, Some(j));
    case["patient"]["sex"] = json!("female");
    case["patient"]["pregnant"] = json!(false);
    case["patient"]["pregnancy_prevention"] = pp;
    case
}

fn prevention_exclusion(plan: &Value, regimen: &str) -> Option<Value> {
    plan["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["regimen_id"] == regimen && x["reason"].as_str().unwrap().starts_with("pregnancy prevention:"))
        .cloned()
}

#[test]
fn no_reliable_contraception_with_childbearing_potential_excludes_lenalidomide_and_pomalidomide_naming_the_programme() {
    for j in ["us", "eu"] {
        for (name, regimen, drug, key, programme) in [
            (
                WORK_UP,
                "vrd",
                "lenalidomide",
                if j == "us" { "len-rems" } else { "len-ppp-eu" },
                if j == "us" { "Lenalidomide REMS" } else { "Pregnancy Prevention Programme (EU)" },
            ),
            (
                RELAPSE_US,
                "dpd",
                "pomalidomide",
                if j == "us" { "pom-rems" } else { "pom-ppp-eu" },
                if j == "us" { "PS-Pomalidomide REMS" } else { "Pregnancy Prevention Programme (EU)" },
            ),
        ] {
            let p = plan(&woman(name, j, json!({"childbearing_potential": true, "reliable_contraception": false})));
            let x = prevention_exclusion(&p, regimen).unwrap_or_else(|| panic!("{j}: {regimen} not excluded"));
            assert!(x["reason"].as_str().unwrap().contains(programme), "{j}: {x}");
            assert!(x["citations"].to_string().contains(key), "{j}: {x}");
            assert!(!offered(&p, regimen) && no_option_contains(&p, drug), "{j}: {drug} offered");
            if j == "us" {
                assert!(
                    x["reason"].as_str().unwrap().contains(if drug == "lenalidomide" {
                        "Two reliable forms"
                    } else {
                        "2 reliable"
                    }),
                    "{x}"
                );
            }
            // Contraception in place: offered, nothing about pregnancy prevention missing.
            let ok = plan(&woman(name, j, json!({"childbearing_potential": true, "reliable_contraception": true})));
            assert!(prevention_exclusion(&ok, regimen).is_none() && offered(&ok, regimen), "{j}: {regimen}");
            let m = missing(&ok);
            assert!(!m.iter().any(|f| f.starts_with("pregnancy_prevention")), "{j}: {m:?}");
        }
    }
}

#[test]
fn contraception_unknown_with_childbearing_potential_is_reported_missing_neither_excluded_nor_cleared() {
    let p = plan(&woman(WORK_UP, "us", json!({"childbearing_potential": true})));
    assert!(offered(&p, "vrd") && prevention_exclusion(&p, "vrd").is_none());
    let m = missing(&p);
    assert!(m.contains(&"pregnancy_prevention.reliable_contraception".to_string()), "{m:?}");
    assert!(!m.contains(&"pregnancy_prevention.childbearing_potential".to_string()), "{m:?}");
}

#[test]
fn childbearing_potential_unknown_is_reported_missing_unless_contraception_is_in_place() {
    let p = plan(&woman(WORK_UP, "eu", json!({})));
    assert!(offered(&p, "vrd"));
    assert!(missing(&p).contains(&"pregnancy_prevention.childbearing_potential".to_string()));
    // With the programme's contraception in place no value of the potential can exclude.
    let q = plan(&woman(WORK_UP, "eu", json!({"reliable_contraception": true})));
    assert!(!missing(&q).iter().any(|f| f.starts_with("pregnancy_prevention")), "{:?}", missing(&q));
    // Without contraception and with the potential unknown: missing, not excluded.
    let r = plan(&woman(WORK_UP, "eu", json!({"reliable_contraception": false})));
    assert!(offered(&r, "vrd") && prevention_exclusion(&r, "vrd").is_none());
    assert!(missing(&r).contains(&"pregnancy_prevention.childbearing_potential".to_string()));
}

#[test]
fn no_childbearing_potential_needs_neither_contraception_nor_a_pregnancy_test() {
    let mut case = woman(WORK_UP, "us", json!({"childbearing_potential": false, "reliable_contraception": false}));
    case["patient"].as_object_mut().unwrap().remove("pregnant");
    let p = plan(&case);
    assert!(offered(&p, "vrd") && prevention_exclusion(&p, "vrd").is_none());
    let m = missing(&p);
    assert!(!m.contains(&"pregnant".to_string()) && !m.iter().any(|f| f.starts_with("pregnancy_prevention")), "{m:?}");
}

#[test]
fn pregnancy_prevention_fields_are_refused_for_a_man_for_a_contradiction_and_for_a_wrong_type() {
    // WORK_UP is a man.
    for (pp, field) in [
        (json!({"childbearing_potential": true}), "pregnancy_prevention.childbearing_potential"),
        (json!({"reliable_contraception": false}), "pregnancy_prevention.reliable_contraception"),
    ] {
        let mut case = golden(WORK_UP);
        case["patient"]["pregnancy_prevention"] = pp;
        let e = Patient::from_json(&case["patient"].to_string()).unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
    }
    let mut case = woman(WORK_UP, "us", json!({"childbearing_potential": false}));
    case["patient"]["pregnant"] = json!(true);
    let e = Patient::from_json(&case["patient"].to_string()).unwrap_err();
    assert_eq!(e.field(), Some("pregnancy_prevention.childbearing_potential"), "{e}");
    for bad in [
        json!({"childbearing_potential": "yes"}),
        json!({"reliable_contraception": 1}),
        json!({"contraception": true}),
        json!(true),
    ] {
        let case = woman(WORK_UP, "us", bad.clone());
        assert!(Patient::from_json(&case["patient"].to_string()).is_err(), "{bad} accepted");
    }
}

// ---- issue 11: the calendar never lays out a regimen the plan does not offer ---------------

fn calendar(case: &Value, regimen: &str) -> Result<String, myeloma_pathway::Error> {
    let g = case.get("guideline").map(|g| g.to_string());
    api::calendar_json(
        myeloma_pathway::KnowledgeBase::embedded(),
        &case["patient"].to_string(),
        g.as_deref(),
        Some(regimen),
        "2026-12-07",
        Some(2),
    )
}

#[test]
fn the_calendar_refuses_a_regimen_the_plan_excludes_naming_the_exclusion_and_its_citation() {
    // US woman of childbearing potential without the REMS contraception: VRd is in `excluded`.
    let case = golden("pregnancy-prevention-no-contraception-excludes-lenalidomide-us");
    let e = calendar(&case, "vrd").unwrap_err();
    assert_eq!(e.field(), Some("regimen"), "{e}");
    let m = e.to_string();
    assert!(m.contains("`vrd` (VRd) is excluded for this patient"), "{m}");
    assert!(m.contains("Lenalidomide REMS (US)") && m.contains("[len-rems]") && m.contains("len-rems ("), "{m}");
    // Just past it: the same woman with the contraception in place gets the calendar.
    let mut ok = case.clone();
    ok["patient"]["pregnancy_prevention"]["reliable_contraception"] = json!(true);
    assert!(calendar(&ok, "vrd").is_ok());
}

#[test]
fn the_calendar_refuses_a_regimen_of_another_phase_that_contains_a_drug_the_patient_may_not_have() {
    // Lenalidomide maintenance is not considered at induction (not in `excluded`), but the plan's
    // own exclusion rules exclude it for this patient: the same reason is given.
    let case = golden("pregnancy-prevention-no-contraception-excludes-lenalidomide-us");
    let p = plan(&case);
    assert!(!p["excluded"].as_array().unwrap().iter().any(|e| e["regimen_id"] == "len-maintenance"));
    let m = calendar(&case, "len-maintenance").unwrap_err().to_string();
    assert!(m.contains("is excluded for this patient") && m.contains("Lenalidomide REMS (US)"), "{m}");
    // A start threshold is an exclusion too (EU lenalidomide platelets 49.9 × 10⁹/L).
    let low = golden("start-threshold-eu-lenalidomide-platelets-49-9-excludes-vrd");
    let m = calendar(&low, "vrd").unwrap_err().to_string();
    assert!(m.contains("lenalidomide start threshold not met") && m.contains("revlimid-smpc-2024 ("), "{m}");
}

#[test]
fn the_calendar_refuses_a_regimen_not_offered_in_this_phase_and_lays_out_an_offered_one() {
    // A fit 60-year-old at diagnosis: DPd is a relapse regimen, not excluded but not offered.
    let fit = json!({"patient": serde_json::from_str::<Value>(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap()});
    let m = calendar(&fit, "dpd").unwrap_err().to_string();
    assert!(m.contains("`dpd` (DPd (APOLLO)) is not an option for this patient in this phase (work_up)"), "{m}");
    assert!(m.contains("the plan offers "), "{m}");
    let p = plan(&fit);
    let first = p["options"][0]["regimen_id"].as_str().unwrap().to_string();
    assert!(calendar(&fit, &first).is_ok(), "{first}");
}

#[test]
fn a_male_patient_without_the_rems_condom_use_gets_no_lenalidomide_calendar() {
    let case = golden("pregnancy-prevention-male-no-condom-excludes-lenalidomide-us");
    let m = calendar(&case, "vrd").unwrap_err().to_string();
    assert!(m.contains("(condom use), not agreed") && m.contains("len-rems-male ("), "{m}");
    let mut agreed = case.clone();
    agreed["patient"]["pregnancy_prevention"]["condom_use_agreed"] = json!(true);
    assert!(calendar(&agreed, "vrd").is_ok());
}

#[test]
fn a_male_patients_fields_are_refused_unless_the_record_says_male() {
    for sex in [Some("female"), None] {
        for field in ["partner_of_childbearing_potential", "condom_use_agreed"] {
            let mut r = json!({"age_years": 60, "pregnancy_prevention": {field: true}});
            if let Some(s) = sex {
                r["sex"] = json!(s);
            }
            let e = Patient::from_json(&r.to_string()).unwrap_err();
            assert_eq!(e.field(), Some(format!("pregnancy_prevention.{field}").as_str()), "{sex:?}: {e}");
        }
    }
    let male = json!({"age_years": 60, "sex": "male",
                      "pregnancy_prevention": {"partner_of_childbearing_potential": true, "condom_use_agreed": false}});
    assert!(Patient::from_json(&male.to_string()).is_ok());
    // The existing female fields stay refused for a man.
    let e = Patient::from_json(
        &json!({"sex": "male", "pregnancy_prevention": {"reliable_contraception": true}}).to_string(),
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("pregnancy_prevention.reliable_contraception"));
}
