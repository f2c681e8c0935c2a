//! Issue 9 items 7–13: risk definitions that disagree, age as the only barrier, frailty and
//! staging concluded when the missing items cannot change them, the response criteria version,
//! loss of MRD negativity and dialysis status. Each rule at its edge and just past it.

use crate::kb;
use myeloma_pathway::fitness::{imwg_frailty, simplified_frailty, transplant_eligibility, FrailtyCategory};
use myeloma_pathway::guideline::{Del17pCutoff, ResponseCriteriaVersion};
use myeloma_pathway::response::{assess_response_with, ResponseCategory, ResponseCriteria};
use myeloma_pathway::risk::{self, RiskDefinition, RiskLevel};
use myeloma_pathway::staging::{r2_iss, R2IssStage};
use myeloma_pathway::{recommend, Guideline, Patient};
use serde_json::{json, Value};

fn patient(v: Value) -> Patient {
    Patient::from_json(&v.to_string()).unwrap()
}

fn fit(age: u16) -> Value {
    json!({
        "age_years": age, "ecog": 0,
        "frailty": {"charlson": 0, "katz_adl": 6, "lawton_iadl": 8},
        "organ_function": {"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6}
    })
}

fn warning_codes(p: &Patient, g: &Guideline) -> Vec<&'static str> {
    recommend(p, g).unwrap().warnings.iter().map(|w| w.code).collect()
}

// ---- 7. Risk definitions that disagree ----

fn cyto(findings: Value) -> Patient {
    patient(json!({"age_years": 60, "cytogenetics": findings}))
}

#[test]
fn a_t14_16_under_the_article_default_is_standard_risk_with_a_loud_warning_naming_imwg2016() {
    let p = cyto(json!([
        {"abnormality": "del_17p", "status": "not_detected"},
        {"abnormality": "t_4_14", "status": "not_detected"},
        {"abnormality": "gain_1q", "status": "not_detected"},
        {"abnormality": "t_14_16", "status": "detected"}
    ]));
    let plan = recommend(&p, &Guideline::default()).unwrap();
    assert_eq!(plan.risk.level, RiskLevel::Standard);
    let w: Vec<&str> =
        plan.warnings.iter().filter(|w| w.code == "risk_definition_disagrees").map(|w| w.message.as_str()).collect();
    assert!(w.iter().any(|m| m.starts_with("HIGH RISK under the imwg2016 definition (t(14;16) detected)")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("msmart3")), "{w:?}");
    // Under the definition that says high, nothing disagrees louder.
    let g = Guideline::default().with_risk_definition(RiskDefinition::Imwg2016);
    assert!(!warning_codes(&p, &g).contains(&"risk_definition_disagrees"));
}

#[test]
fn findings_no_definition_calls_high_risk_raise_no_disagreement() {
    let p = cyto(json!([
        {"abnormality": "del_17p", "status": "not_detected"},
        {"abnormality": "t_4_14", "status": "not_detected"},
        {"abnormality": "gain_1q", "status": "not_detected"},
        {"abnormality": "t_14_16", "status": "not_detected"},
        {"abnormality": "t_14_20", "status": "not_detected"},
        {"abnormality": "hyperdiploidy", "status": "detected"}
    ]));
    let plan = recommend(&p, &Guideline::default()).unwrap();
    assert_eq!(plan.risk.level, RiskLevel::Standard);
    assert!(risk::high_elsewhere(kb(), &p, &plan.risk, Del17pCutoff::Above20).is_empty());
    assert!(!plan.warnings.iter().any(|w| w.code == "risk_definition_disagrees"));
}

fn del17p(ccf: f64) -> Patient {
    cyto(json!([{"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": ccf}]))
}

#[test]
fn a_del17p_clonal_fraction_of_exactly_20_pct_is_flagged_as_on_the_ims2025_cut_off() {
    for cut in [Del17pCutoff::Above20, Del17pCutoff::AtLeast20] {
        let r = risk::assess(kb(), &del17p(20.0), RiskDefinition::Ims2025, cut);
        assert_eq!(r.on_cutoff.len(), 1, "{cut:?}");
        assert!(r.on_cutoff[0].contains("exactly on the IMS/IMWG 2025 cut-off of 20%"));
        // The article definition says high either way, and still says the value is on the cut-off.
        let a = risk::assess(kb(), &del17p(20.0), RiskDefinition::Article, cut);
        assert_eq!(a.level, RiskLevel::High);
        assert_eq!(a.on_cutoff.len(), 1);
    }
    let g = Guideline::default().with_risk_definition(RiskDefinition::Ims2025);
    assert!(warning_codes(&del17p(20.0), &g).contains(&"del17p_on_cutoff"));
    for ccf in [19.9, 20.1] {
        assert!(risk::assess(kb(), &del17p(ccf), RiskDefinition::Ims2025, Del17pCutoff::Above20).on_cutoff.is_empty());
    }
}

// ---- 8. Age alone ----

#[test]
fn a_fit_70_year_old_is_ineligible_by_age_alone_and_the_result_names_the_setting() {
    let p = patient(fit(70));
    let e = transplant_eligibility(kb(), &p, &Guideline::default());
    let msg = e.age_only.as_deref().unwrap();
    assert!(msg.contains("guideline.transplant_age_limit_years") && msg.contains("71"), "{msg}");
    assert!(e.citations.iter().any(|c| c.key == "asco-cco-2019"));
    assert!(warning_codes(&p, &Guideline::default()).contains(&"transplant_age_only"));
    // At 69 age is no barrier: no flag.
    assert!(transplant_eligibility(kb(), &patient(fit(69)), &Guideline::default()).age_only.is_none());
}

#[test]
fn age_is_not_the_only_reason_when_the_patient_is_intermediate_fit_or_fails_a_gate() {
    let mut v = fit(70);
    v["frailty"]["charlson"] = json!(2); // IMWG 1 point: intermediate-fit, not fit
    assert!(transplant_eligibility(kb(), &patient(v), &Guideline::default()).age_only.is_none());
    let mut v = fit(70);
    v["organ_function"]["lvef_pct"] = json!(30);
    assert!(transplant_eligibility(kb(), &patient(v), &Guideline::default()).age_only.is_none());
}

// ---- 9. Frailty concluded when the missing items cannot change it ----

#[test]
fn simplified_frailty_at_2_points_without_charlson_is_frail_and_at_1_is_unknown() {
    let s = simplified_frailty(kb(), &patient(json!({"age_years": 65, "ecog": 2})));
    assert_eq!(s.category, Some(FrailtyCategory::Frail));
    assert!(s.missing_inputs.is_empty());
    assert!(s.breakdown.iter().any(|b| b.contains("cannot change the category")), "{:?}", s.breakdown);
    let s = simplified_frailty(kb(), &patient(json!({"age_years": 65, "ecog": 1})));
    assert_eq!(s.category, None);
    assert_eq!(s.missing_inputs[0].field, "frailty.charlson");
}

#[test]
fn imwg_frailty_at_2_points_with_items_missing_is_frail_and_fit_needs_every_item() {
    // Age 81 gives 2 points: frail whatever the Charlson, ADL and IADL.
    let f = imwg_frailty(kb(), &patient(json!({"age_years": 81})));
    assert_eq!(f.category, Some(FrailtyCategory::Frail));
    // Age 76 (1) + IADL 5 (1) = 2 with Charlson and ADL missing: frail.
    let f = imwg_frailty(kb(), &patient(json!({"age_years": 76, "frailty": {"lawton_iadl": 5}})));
    assert_eq!(f.category, Some(FrailtyCategory::Frail));
    // Age 76 alone: 1 point, the missing items could make it 1 or more: unknown.
    assert_eq!(imwg_frailty(kb(), &patient(json!({"age_years": 76}))).category, None);
    // Everything known but one item at 0 points: fit needs that item too.
    let f = imwg_frailty(kb(), &patient(json!({"age_years": 60, "frailty": {"charlson": 0, "katz_adl": 6}})));
    assert_eq!(f.category, None);
}

// ---- 13. A stage no missing input can change is given ----

fn staged(b2m: f64, findings: Value) -> myeloma_pathway::staging::R2Iss {
    r2_iss(
        kb(),
        &patient(json!({
            "labs": {"beta2_microglobulin": {"value": b2m, "unit": "mg/L"}, "albumin": {"value": 3.0, "unit": "g/dL"}},
            "cytogenetics": findings
        })),
    )
}

#[test]
fn r2_iss_with_3_points_and_ldh_missing_is_iv_and_with_2_5_points_is_not_computable() {
    let r = staged(
        6.0,
        json!([
            {"abnormality": "del_17p", "status": "detected"},
            {"abnormality": "t_4_14", "status": "not_detected"},
            {"abnormality": "gain_1q", "status": "detected"}
        ]),
    );
    assert_eq!(r.staging.stage, Some(R2IssStage::IV));
    assert!(r.staging.missing_inputs.is_empty());
    assert!(r.staging.breakdown.iter().any(|b| b.contains("cannot change the group")), "{:?}", r.staging.breakdown);
    let r = staged(
        6.0,
        json!([
            {"abnormality": "del_17p", "status": "not_detected"},
            {"abnormality": "t_4_14", "status": "detected"},
            {"abnormality": "gain_1q", "status": "not_detected"}
        ]),
    );
    assert_eq!(r.staging.stage, None);
    assert!(r.staging.missing_inputs.iter().any(|m| m.field == "labs.ldh"));
}

#[test]
fn r2_iss_with_iss_unknown_but_albumin_low_counts_at_least_one_point() {
    // β2M missing, albumin 3.0 g/dL: ISS II or III (1 to 1.5) + del(17p) 1 + t(4;14) 1 = 3 to 3.5,
    // plus LDH and 1q+ unknown: IV in every case.
    let p = patient(json!({
        "labs": {"albumin": {"value": 3.0, "unit": "g/dL"}},
        "cytogenetics": [
            {"abnormality": "del_17p", "status": "detected"},
            {"abnormality": "t_4_14", "status": "detected"}
        ]
    }));
    assert_eq!(r2_iss(kb(), &p).staging.stage, Some(R2IssStage::IV));
    // With albumin ≥3.5 ISS I is possible: 2 to 5 points spans III and IV.
    let p = patient(json!({
        "labs": {"albumin": {"value": 3.5, "unit": "g/dL"}},
        "cytogenetics": [
            {"abnormality": "del_17p", "status": "detected"},
            {"abnormality": "t_4_14", "status": "detected"}
        ]
    }));
    assert_eq!(r2_iss(kb(), &p).staging.stage, None);
}

// ---- 10. Response criteria version ----

fn serum_series(values: &[f64]) -> Patient {
    let a: Vec<Value> = values.iter().map(|v| json!({"serum_m_protein": {"value": v, "unit": "g/dL"}})).collect();
    patient(json!({"response_assessments": a}))
}

fn with_version(p: &Patient, v: ResponseCriteriaVersion) -> myeloma_pathway::response::ResponseAssessment {
    assess_response_with(kb(), p, &ResponseCriteria { version: v, ..Default::default() }).unwrap()
}

#[test]
fn a_rise_from_a_single_unconfirmed_low_value_is_progression_under_imwg_2006_but_not_2016() {
    // 4.0 → 1.0 (seen once) → 2.0 → 2.0: +100% and +1.0 g/dL from the lowest value (2006);
    // the lowest confirmed value is 2.0 (held twice), so no rise under 2016.
    let p = serum_series(&[4.0, 1.0, 2.0, 2.0]);
    let r16 = with_version(&p, ResponseCriteriaVersion::Imwg2016);
    assert_eq!(r16.criteria_version, "IMWG 2016");
    assert!(!r16.progression_confirmed);
    assert_eq!(r16.confirmed_category, Some(ResponseCategory::Pr));
    let r06 = with_version(&p, ResponseCriteriaVersion::Imwg2006);
    assert_eq!(r06.criteria_version, "IMWG 2006");
    assert!(r06.progression_confirmed);
    assert_eq!(r06.confirmed_category, Some(ResponseCategory::Pd));
    assert!(r06.breakdown.iter().any(|c| c.citation == "imwg-2006-response"));
    // The default is 2016.
    assert_eq!(ResponseCriteria::default().version, ResponseCriteriaVersion::Imwg2016);
}

#[test]
fn a_rise_from_a_confirmed_nadir_is_progression_under_both_versions() {
    // Confirmed nadir 1.0 (held twice), then 1.5 twice: +50% and +0.5 g/dL.
    let p = serum_series(&[4.0, 1.0, 1.0, 1.5, 1.5]);
    for v in [ResponseCriteriaVersion::Imwg2006, ResponseCriteriaVersion::Imwg2016] {
        assert!(with_version(&p, v).progression_confirmed, "{v:?}");
    }
    // Just below: 1.4 is +40% but only +0.4 g/dL: no progression under either.
    let p = serum_series(&[4.0, 1.0, 1.0, 1.4, 1.4]);
    for v in [ResponseCriteriaVersion::Imwg2006, ResponseCriteriaVersion::Imwg2016] {
        assert!(!with_version(&p, v).progression_confirmed, "{v:?}");
    }
}

#[test]
fn the_guideline_carries_the_response_criteria_version_into_the_plan() {
    let p = serum_series(&[4.0, 1.0, 2.0, 2.0]);
    let g = Guideline::from_json(r#"{"response_criteria_version": "imwg2006"}"#).unwrap();
    assert_eq!(recommend(&p, &g).unwrap().response.unwrap().criteria_version, "IMWG 2006");
    assert_eq!(recommend(&p, &Guideline::default()).unwrap().response.unwrap().criteria_version, "IMWG 2016");
}

// ---- 11. Loss of MRD negativity ----

fn mrd(date: &str, result: &str, log10: u8) -> Value {
    json!({"date": date, "method": "ngf", "sensitivity_log10": log10, "sample": "bone_marrow", "result": result})
}

fn in_cr_with(mrd: Value) -> Patient {
    let q = |v: f64, u: &str| json!({"value": v, "unit": u});
    let base = json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(80.0, "mg/24h"), "soft_tissue_plasmacytoma": false});
    let cr = json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_immunofixation": "negative",
                    "urine_immunofixation": "negative", "bone_marrow_plasma_cells": q(1.0, "%")});
    patient(json!({
        "response_assessments": [base, cr.clone(), cr],
        "mrd": mrd
    }))
}

#[test]
fn a_positive_mrd_after_a_negative_in_cr_is_flagged_as_loss_of_mrd_negativity() {
    let p = in_cr_with(json!([mrd("2024-01-01", "negative", 5), mrd("2024-07-01", "positive", 5)]));
    let r = myeloma_pathway::response::assess_response(kb(), &p).unwrap();
    assert_eq!(r.confirmed_category, Some(ResponseCategory::Cr));
    assert_eq!(r.mrd.conversions.len(), 1);
    let c = &r.mrd.conversions[0];
    assert!(c.in_cr);
    assert_eq!(c.citation, "mrd-conversion-2021");
    assert!(c.meaning.contains("median of 1.0 year"));
    assert!(!r.progression_confirmed, "conversion is not progression");
    assert!(warning_codes(&p, &Guideline::default()).contains(&"mrd_conversion"));
}

#[test]
fn positive_then_negative_or_negatives_only_is_no_conversion() {
    for m in [
        json!([mrd("2024-01-01", "positive", 5), mrd("2024-07-01", "negative", 5)]),
        json!([mrd("2024-01-01", "negative", 5), mrd("2024-07-01", "negative", 5)]),
        // A negative that does not qualify (10^-4) followed by a positive is not a loss.
        json!([mrd("2024-01-01", "negative", 4), mrd("2024-07-01", "positive", 5)]),
    ] {
        let r = myeloma_pathway::response::assess_response(kb(), &in_cr_with(m.clone())).unwrap();
        assert!(r.mrd.conversions.is_empty(), "{m}");
    }
}

#[test]
fn a_positive_at_a_more_sensitive_threshold_is_flagged_with_its_caveat() {
    let p = in_cr_with(json!([mrd("2024-01-01", "negative", 5), mrd("2024-07-01", "positive", 6)]));
    let r = myeloma_pathway::response::assess_response(kb(), &p).unwrap();
    assert_eq!(r.mrd.conversions.len(), 1);
    assert!(r.mrd.conversions[0].notes.iter().any(|n| n.contains("more sensitive")));
}

// ---- 12. Dialysis unknown ----

#[test]
fn crcl_below_30_with_dialysis_unknown_reports_it_missing_and_shows_both_doses() {
    // An established active myeloma at work-up (the golden case's record), CrCl 29 reported.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/golden/renal-crcl-29-dialysis-unknown-names-dialysis-status.json"
    );
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut v = case["patient"].clone();
    assert_eq!(v["labs"]["creatinine_clearance_ml_min"], json!(29));
    let plan = recommend(&patient(v.clone()), &Guideline::default()).unwrap();
    assert!(plan.missing_inputs.iter().any(|m| m.field == "organ_function.on_dialysis"));
    let vrd = plan.options.iter().find(|o| o.regimen_id == "vrd").unwrap();
    assert!(
        vrd.notes.iter().any(|n| n.contains("if not on dialysis") && n.contains("if on dialysis")),
        "{:?}",
        vrd.notes
    );
    v["organ_function"]["on_dialysis"] = json!(false);
    let plan = recommend(&patient(v), &Guideline::default()).unwrap();
    assert!(!plan.missing_inputs.iter().any(|m| m.field == "organ_function.on_dialysis"));
}
