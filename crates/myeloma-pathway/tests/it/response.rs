//! IMWG 2016 response over a time series, and MRD: every threshold at, just below and just
//! above, in every accepted unit; the confirmation rule; progression from the nadir; worked
//! examples written from the published criteria (`imwg-2016-response`, `imwg-2006-response`, `imwg-2016-mrd`).

use crate::kb;
use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::fitness::Eligibility;
use myeloma_pathway::pathway::{replay, transition, ConsolidationRoute, Event, Phase};
use myeloma_pathway::response::{
    assess_response, assess_response_with, response_events, MrdCategory, ResponseAssessment, ResponseCategory,
    ResponseCriteria,
};
use myeloma_pathway::Patient;
use proptest::prelude::*;
use serde_json::{json, Value};

use ResponseCategory::*;

fn q(v: f64, unit: &str) -> Value {
    json!({"value": v, "unit": unit})
}

fn patient_with(assessments: &[Value], extra: Value) -> Patient {
    let mut rec = json!({ "response_assessments": assessments });
    if let (Some(o), Some(e)) = (rec.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    Patient::from_json(&rec.to_string()).unwrap()
}

fn assess(assessments: &[Value]) -> ResponseAssessment {
    assess_response(kb(), &patient_with(assessments, json!({}))).unwrap()
}

fn missing_fields(r: &ResponseAssessment) -> Vec<String> {
    r.missing_inputs.iter().map(|m| m.field.clone()).collect()
}

/// Baseline, then the same values twice (so the latest category is also confirmed).
fn twice(base: Value, cur: Value) -> Vec<Value> {
    vec![base, cur.clone(), cur]
}

/// Serum-measurable disease, urine present but not measurable (50 → 40 mg/24h).
fn serum(base: f64, cur: f64, unit: &str) -> ResponseAssessment {
    assess(&twice(
        json!({"serum_m_protein": q(base, unit), "urine_m_protein": q(50.0, "mg/24h")}),
        json!({"serum_m_protein": q(cur, unit), "urine_m_protein": q(40.0, "mg/24h"), "serum_immunofixation": "positive"}),
    ))
}

fn both(r: &ResponseAssessment) -> (Option<ResponseCategory>, Option<ResponseCategory>) {
    (r.category, r.confirmed_category)
}

// ---- Serum M-protein thresholds (g/dL and g/L; lab precision 0.1 g/dL = 1 g/L) ----

#[test]
fn pr_needs_a_serum_fall_of_at_least_50_percent() {
    for (b, unit, at, below, above) in [(4.0, "g/dL", 2.0, 2.1, 1.9), (40.0, "g/L", 20.0, 21.0, 19.0)] {
        assert_eq!(both(&serum(b, at, unit)), (Some(Pr), Some(Pr)), "{unit} at");
        assert_eq!(serum(b, below, unit).category, Some(Mr), "{unit} one step short of 50%");
        assert_eq!(serum(b, above, unit).category, Some(Pr), "{unit} beyond 50%");
    }
}

#[test]
fn vgpr_needs_a_serum_fall_of_at_least_90_percent_and_urine_below_100_mg() {
    for (b, unit, at, short, beyond) in [(4.0, "g/dL", 0.4, 0.5, 0.3), (40.0, "g/L", 4.0, 5.0, 3.0)] {
        assert_eq!(serum(b, at, unit).category, Some(Vgpr), "{unit} at 90%");
        assert_eq!(serum(b, short, unit).category, Some(Pr), "{unit} 87.5%");
        assert_eq!(serum(b, beyond, unit).category, Some(Vgpr), "{unit} 92.5%");
    }
}

#[test]
fn vgpr_by_serum_with_urine_at_100_mg_is_only_pr() {
    let mk = |u: f64| {
        assess(&twice(
            json!({"serum_m_protein": q(4.0, "g/dL"), "urine_m_protein": q(150.0, "mg/24h")}),
            json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(u, "mg/24h")}),
        ))
        .category
    };
    assert_eq!(mk(100.0), Some(Pr));
    assert_eq!(mk(99.0), Some(Vgpr));
    assert_eq!(mk(101.0), Some(Pr));
}

#[test]
fn vgpr_by_serum_without_a_urine_value_is_downgraded_and_names_the_24h_urine() {
    let r = assess(&twice(
        json!({"serum_m_protein": q(4.0, "g/dL"), "urine_m_protein": q(50.0, "mg/24h")}),
        json!({"serum_m_protein": q(0.2, "g/dL")}),
    ));
    assert_eq!(r.category, Some(Pr));
    assert!(missing_fields(&r).contains(&"response_assessments[2].urine_m_protein".to_string()));
}

#[test]
fn mr_is_a_serum_fall_of_at_least_25_percent() {
    for (b, unit, at, short, beyond) in [(4.0, "g/dL", 3.0, 3.1, 2.9), (40.0, "g/L", 30.0, 31.0, 29.0)] {
        assert_eq!(serum(b, at, unit).category, Some(Mr), "{unit} at 25%");
        assert_eq!(serum(b, short, unit).category, Some(Sd), "{unit} 22.5%");
        assert_eq!(serum(b, beyond, unit).category, Some(Mr), "{unit} 27.5%");
    }
}

#[test]
fn mr_upper_bound_49_percent_leaves_no_gap_below_pr() {
    // "≥25% but ≤49%": 49% is MR, 50% is PR, and 49.5% (between the published whole-percent
    // bounds) is still MR, never unclassified.
    assert_eq!(serum(10.0, 5.1, "g/dL").category, Some(Mr));
    assert_eq!(serum(10.0, 5.05, "g/dL").category, Some(Mr));
    assert_eq!(serum(10.0, 5.0, "g/dL").category, Some(Pr));
    assert_eq!(serum(100.0, 51.0, "g/L").category, Some(Mr));
    assert_eq!(serum(100.0, 50.0, "g/L").category, Some(Pr));
}

#[test]
fn serum_is_measurable_from_1_g_dl() {
    let r = |b: f64, unit: &str| serum(b, 0.1 * b, unit);
    assert_eq!(r(1.0, "g/dL").category, Some(Vgpr));
    assert_eq!(r(10.0, "g/L").category, Some(Vgpr));
    assert_eq!(r(0.9, "g/dL").category, None, "0.9 g/dL is not measurable");
    assert_eq!(r(9.0, "g/L").category, None);
    assert_eq!(r(1.1, "g/dL").category, Some(Vgpr));
    let lower = ResponseCriteria { serum_measurable_g_dl: 0.5, ..ResponseCriteria::default() };
    let p = patient_with(
        &twice(
            json!({"serum_m_protein": q(0.5, "g/dL"), "urine_m_protein": q(10.0, "mg/24h")}),
            json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(10.0, "mg/24h")}),
        ),
        json!({}),
    );
    assert_eq!(
        assess_response_with(kb(), &p, &lower).unwrap().category,
        Some(Pr),
        "caller threshold 0.5 g/dL (CARTITUDE-4)"
    );
}

// ---- Urine (mg/24h only; lab precision 1 mg/24h, steps of 10 shown) ----

fn urine(base: f64, cur: f64) -> ResponseAssessment {
    assess(&twice(
        json!({"serum_m_protein": q(0.5, "g/dL"), "urine_m_protein": q(base, "mg/24h")}),
        json!({"serum_m_protein": q(0.5, "g/dL"), "urine_m_protein": q(cur, "mg/24h")}),
    ))
}

#[test]
fn urine_is_measurable_from_200_mg_per_24h() {
    assert_eq!(urine(200.0, 150.0).measurable_disease[1].measurable, Some(true));
    assert_eq!(urine(199.0, 150.0).measurable_disease[1].measurable, Some(false));
    assert_eq!(urine(199.0, 150.0).category, None);
    assert_eq!(urine(201.0, 150.0).measurable_disease[1].measurable, Some(true));
}

#[test]
fn pr_by_urine_is_a_fall_of_at_least_90_percent() {
    assert_eq!(urine(2000.0, 200.0).category, Some(Pr), "exactly 90%");
    assert_eq!(urine(2000.0, 210.0).category, Some(Mr), "89.5%: MR (50–89%)");
    assert_eq!(urine(2000.0, 190.0).category, Some(Pr));
}

#[test]
fn pr_by_urine_is_also_a_fall_to_below_200_mg() {
    assert_eq!(urine(300.0, 200.0).category, Some(Sd), "200 is not <200, and 33% is not a response");
    assert_eq!(urine(300.0, 199.0).category, Some(Pr));
    assert_eq!(urine(300.0, 210.0).category, Some(Sd));
}

#[test]
fn vgpr_by_urine_is_below_100_mg_per_24h() {
    assert_eq!(urine(2000.0, 100.0).category, Some(Pr));
    assert_eq!(urine(2000.0, 99.0).category, Some(Vgpr));
    assert_eq!(urine(2000.0, 110.0).category, Some(Pr));
}

#[test]
fn mr_by_urine_is_a_fall_of_50_to_89_percent() {
    assert_eq!(urine(2000.0, 1000.0).category, Some(Mr));
    assert_eq!(urine(2000.0, 1010.0).category, Some(Sd));
    assert_eq!(urine(2000.0, 990.0).category, Some(Mr));
}

#[test]
fn with_serum_and_urine_measurable_the_lower_level_wins() {
    // Serum 92% (VGPR level) but urine only 60% (MR level): MR.
    let r = assess(&twice(
        json!({"serum_m_protein": q(5.0, "g/dL"), "urine_m_protein": q(1000.0, "mg/24h")}),
        json!({"serum_m_protein": q(0.4, "g/dL"), "urine_m_protein": q(400.0, "mg/24h")}),
    ));
    assert_eq!(r.category, Some(Mr));
    // Urine missing where urine is measurable: not assessable, and the 24-h urine is named.
    let r = assess(&twice(
        json!({"serum_m_protein": q(5.0, "g/dL"), "urine_m_protein": q(1000.0, "mg/24h")}),
        json!({"serum_m_protein": q(0.4, "g/dL")}),
    ));
    assert_eq!(r.category, None);
    assert!(missing_fields(&r).contains(&"response_assessments[2].urine_m_protein".to_string()));
}

// ---- FLC-only disease (mg/L and mg/dL; lab precision 1 mg/L = 0.1 mg/dL) ----

fn flc(base_kappa: f64, base_lambda: f64, kappa: f64, lambda: f64, unit: &str) -> ResponseAssessment {
    assess_response(kb(), &patient_with(
        &twice(
            json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(50.0, "mg/24h"), "serum_flc_kappa": q(base_kappa, unit), "serum_flc_lambda": q(base_lambda, unit)}),
            json!({"serum_m_protein": q(0.1, "g/dL"), "urine_m_protein": q(20.0, "mg/24h"), "serum_flc_kappa": q(kappa, unit), "serum_flc_lambda": q(lambda, unit)}),
        ),
        json!({"diagnosis": {"involved_light_chain": "kappa"}}),
    ))
    .unwrap()
}

#[test]
fn flc_only_pr_is_a_dflc_fall_of_at_least_50_percent() {
    // dFLC 490 mg/L at baseline; 245 is exactly 50%.
    assert_eq!(flc(500.0, 10.0, 255.0, 10.0, "mg/L").category, Some(Pr));
    assert_eq!(flc(500.0, 10.0, 256.0, 10.0, "mg/L").category, Some(Sd), "no MR route for FLC-only disease");
    assert_eq!(flc(500.0, 10.0, 254.0, 10.0, "mg/L").category, Some(Pr));
    assert_eq!(flc(50.0, 1.0, 25.5, 1.0, "mg/dL").category, Some(Pr));
    assert_eq!(flc(50.0, 1.0, 25.6, 1.0, "mg/dL").category, Some(Sd));
    assert_eq!(flc(50.0, 1.0, 25.4, 1.0, "mg/dL").category, Some(Pr));
}

#[test]
fn flc_only_vgpr_is_a_dflc_fall_of_more_than_90_percent() {
    assert_eq!(flc(500.0, 10.0, 59.0, 10.0, "mg/L").category, Some(Pr), "exactly 90% is not >90%");
    assert_eq!(flc(500.0, 10.0, 58.0, 10.0, "mg/L").category, Some(Vgpr));
    assert_eq!(flc(500.0, 10.0, 60.0, 10.0, "mg/L").category, Some(Pr));
    assert_eq!(flc(50.0, 1.0, 5.9, 1.0, "mg/dL").category, Some(Pr));
    assert_eq!(flc(50.0, 1.0, 5.8, 1.0, "mg/dL").category, Some(Vgpr));
}

#[test]
fn involved_flc_is_measurable_from_100_mg_l_with_an_abnormal_ratio() {
    let m = |k: f64, l: f64, unit: &str| flc(k, l, k / 2.0, l, unit).measurable_disease[2].measurable;
    assert_eq!(m(100.0, 10.0, "mg/L"), Some(true));
    assert_eq!(m(99.0, 10.0, "mg/L"), Some(false));
    assert_eq!(m(101.0, 10.0, "mg/L"), Some(true));
    assert_eq!(m(10.0, 1.0, "mg/dL"), Some(true));
    assert_eq!(m(9.9, 1.0, "mg/dL"), Some(false));
    // Ratio 1.65 is normal (not measurable); 1.66 is abnormal.
    assert_eq!(m(165.0, 100.0, "mg/L"), Some(false));
    assert_eq!(m(166.0, 100.0, "mg/L"), Some(true));
}

#[test]
fn flc_only_cr_also_needs_a_normal_ratio() {
    let r = assess_response(kb(), &patient_with(
        &twice(
            json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_flc_kappa": q(800.0, "mg/L"), "serum_flc_lambda": q(8.0, "mg/L"), "soft_tissue_plasmacytoma": false}),
            json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_flc_kappa": q(30.0, "mg/L"), "serum_flc_lambda": q(10.0, "mg/L"), "serum_immunofixation": "negative", "urine_immunofixation": "negative", "bone_marrow_plasma_cells": q(2.0, "%"), "clonal_cells_by_ihc": false}),
        ),
        json!({}),
    ))
    .unwrap();
    assert_eq!(r.involved_light_chain_source, "baseline_flc_ratio");
    assert_eq!(r.category, Some(Vgpr), "ratio 3.0 is abnormal: not CR despite negative IFE");
}

#[test]
fn dflc_progression_needs_more_than_10_mg_dl() {
    // Nadir dFLC 100 mg/L (held at two assessments); +100 is not >100.
    let mk = |k: f64, unit: &str, f: f64| {
        let a = |kv: f64| json!({"serum_m_protein": q(0.1, "g/dL"), "urine_m_protein": q(20.0, "mg/24h"), "serum_flc_kappa": q(kv * f, unit), "serum_flc_lambda": q(10.0 * f, unit)});
        assess_response(
            kb(),
            &patient_with(
                &[a(500.0), a(110.0), a(110.0), a(k)],
                json!({"diagnosis": {"involved_light_chain": "kappa"}}),
            ),
        )
        .unwrap()
        .category
    };
    assert_eq!(
        mk(210.0, "mg/L", 1.0),
        Some(Pr),
        "exactly +100 mg/L above the nadir is not >100: still PR (59% below baseline)"
    );
    assert_ne!(mk(210.0, "mg/L", 1.0), Some(Pd));
    assert_eq!(mk(211.0, "mg/L", 1.0), Some(Pd));
    assert_ne!(mk(210.0, "mg/dL", 0.1), Some(Pd));
    assert_eq!(mk(211.0, "mg/dL", 0.1), Some(Pd));
}

// ---- Marrow-only disease (%) ----

fn marrow(series: &[f64]) -> ResponseAssessment {
    let a: Vec<Value> = series
        .iter()
        .map(|b| json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(50.0, "mg/24h"), "serum_flc_kappa": q(30.0, "mg/L"), "serum_flc_lambda": q(20.0, "mg/L"), "bone_marrow_plasma_cells": q(*b, "%")}))
        .collect();
    assess(&a)
}

#[test]
fn marrow_only_pr_is_a_50_percent_fall_from_a_baseline_of_at_least_30_percent() {
    assert_eq!(marrow(&[40.0, 20.0, 20.0]).category, Some(Pr));
    assert_eq!(marrow(&[40.0, 21.0, 21.0]).category, Some(Sd));
    assert_eq!(marrow(&[40.0, 19.0, 19.0]).category, Some(Pr));
    assert_eq!(marrow(&[30.0, 15.0, 15.0]).category, Some(Pr), "baseline 30% is measurable");
    assert_eq!(marrow(&[29.0, 14.0, 14.0]).category, None, "baseline 29% is not");
    assert_eq!(marrow(&[31.0, 15.0, 15.0]).category, Some(Pr));
}

#[test]
fn marrow_progression_is_an_absolute_rise_of_at_least_10_points_when_nothing_else_is_measurable() {
    assert_eq!(marrow(&[40.0, 20.0, 20.0, 30.0]).category, Some(Pd));
    assert_eq!(marrow(&[40.0, 20.0, 20.0, 29.0]).category, Some(Sd));
    assert_eq!(marrow(&[40.0, 20.0, 20.0, 31.0]).category, Some(Pd));
}

#[test]
fn dflc_progression_applies_when_serum_and_urine_are_not_measurable_even_on_the_marrow_route() {
    let a = |k: f64| json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(50.0, "mg/24h"), "serum_flc_kappa": q(k, "mg/L"), "serum_flc_lambda": q(20.0, "mg/L"), "bone_marrow_plasma_cells": q(40.0, "%")});
    let p = |k: f64| {
        patient_with(&[a(30.0), a(30.0), a(30.0), a(k)], json!({"diagnosis": {"involved_light_chain": "kappa"}}))
    };
    // Nadir dFLC 10 mg/L; +101 is >10 mg/dL.
    assert_eq!(assess_response(kb(), &p(131.0)).unwrap().category, Some(Pd));
    assert_ne!(assess_response(kb(), &p(130.0)).unwrap().category, Some(Pd));
}

// ---- CR and sCR ----

fn cr_series(bmpc: f64, uife: Option<&str>, kappa: f64, ihc: Option<bool>) -> ResponseAssessment {
    let mut cur = json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_immunofixation": "negative", "bone_marrow_plasma_cells": q(bmpc, "%"), "serum_flc_kappa": q(kappa, "mg/L"), "serum_flc_lambda": q(100.0, "mg/L")});
    if let Some(u) = uife {
        cur["urine_immunofixation"] = json!(u);
    }
    if let Some(c) = ihc {
        cur["clonal_cells_by_ihc"] = json!(c);
    }
    assess(&twice(
        json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(80.0, "mg/24h"), "soft_tissue_plasmacytoma": false}),
        cur,
    ))
}

#[test]
fn cr_needs_fewer_than_5_percent_marrow_plasma_cells() {
    assert_eq!(cr_series(5.0, Some("negative"), 100.0, None).category, Some(Vgpr), "5% is not <5%");
    assert_eq!(cr_series(4.9, Some("negative"), 100.0, None).category, Some(Cr));
    assert_eq!(cr_series(5.1, Some("negative"), 100.0, None).category, Some(Vgpr));
}

#[test]
fn missing_urine_immunofixation_downgrades_cr_and_names_the_test() {
    let r = cr_series(2.0, None, 100.0, Some(false));
    assert_eq!(r.category, Some(Vgpr));
    let m = r.missing_inputs.iter().find(|m| m.field == "response_assessments[2].urine_immunofixation").unwrap();
    assert_eq!(m.test, "urine immunofixation");
    assert!(m.needed_for.contains("sCR") || m.needed_for.contains("CR"));
    assert_eq!(cr_series(2.0, Some("positive"), 100.0, Some(false)).category, Some(Vgpr));
}

#[test]
fn missing_marrow_downgrades_cr() {
    let r = assess(&twice(
        json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(80.0, "mg/24h"), "soft_tissue_plasmacytoma": false}),
        json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_immunofixation": "negative", "urine_immunofixation": "negative"}),
    ));
    assert_eq!(r.category, Some(Vgpr));
    assert!(missing_fields(&r).contains(&"response_assessments[2].bone_marrow_plasma_cells".to_string()));
}

#[test]
fn scr_needs_a_normal_flc_ratio_of_0_26_to_1_65_inclusive_and_no_clonal_cells() {
    assert_eq!(cr_series(2.0, Some("negative"), 26.0, Some(false)).category, Some(Scr), "0.26 is normal");
    assert_eq!(cr_series(2.0, Some("negative"), 25.0, Some(false)).category, Some(Cr));
    assert_eq!(cr_series(2.0, Some("negative"), 27.0, Some(false)).category, Some(Scr));
    assert_eq!(cr_series(2.0, Some("negative"), 165.0, Some(false)).category, Some(Scr), "1.65 is normal");
    assert_eq!(cr_series(2.0, Some("negative"), 166.0, Some(false)).category, Some(Cr));
    assert_eq!(cr_series(2.0, Some("negative"), 164.0, Some(false)).category, Some(Scr));
    assert_eq!(cr_series(2.0, Some("negative"), 100.0, Some(true)).category, Some(Cr), "clonal cells by IHC");
    let r = cr_series(2.0, Some("negative"), 100.0, None);
    assert_eq!(r.category, Some(Cr));
    assert!(missing_fields(&r).contains(&"response_assessments[2].clonal_cells_by_ihc".to_string()));
}

#[test]
fn a_persisting_soft_tissue_plasmacytoma_blocks_cr() {
    let r = assess(&twice(
        json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(80.0, "mg/24h"), "soft_tissue_plasmacytoma": true}),
        json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_immunofixation": "negative", "urine_immunofixation": "negative", "bone_marrow_plasma_cells": q(1.0, "%"), "soft_tissue_plasmacytoma": true}),
    ));
    assert_ne!(r.category, Some(Cr));
    assert_eq!(r.category, Some(Sd), "its size is not in the record: PR/VGPR cannot be shown");
    assert!(!r.notes.is_empty());
}

// ---- Progression from the nadir ----

fn serum_path(values: &[f64], unit: &str) -> ResponseAssessment {
    let a: Vec<Value> =
        values.iter().map(|v| json!({"serum_m_protein": q(*v, unit), "urine_m_protein": q(50.0, "mg/24h")})).collect();
    assess(&a)
}

#[test]
fn serum_progression_is_25_percent_and_at_least_0_5_g_dl_above_the_nadir() {
    // Nadir 1.0 g/dL (held twice): +0.5 is PD, +0.4 is not.
    assert_eq!(serum_path(&[4.0, 1.0, 1.0, 1.5], "g/dL").category, Some(Pd));
    assert_eq!(serum_path(&[4.0, 1.0, 1.0, 1.4], "g/dL").category, Some(Pr));
    assert_eq!(serum_path(&[4.0, 1.0, 1.0, 1.6], "g/dL").category, Some(Pd));
    assert_eq!(serum_path(&[40.0, 10.0, 10.0, 15.0], "g/L").category, Some(Pd));
    assert_eq!(serum_path(&[40.0, 10.0, 10.0, 14.0], "g/L").category, Some(Pr));
    // Nadir 3.0: +0.7 (23%) is not PD; +0.75 (25%) is.
    assert_eq!(serum_path(&[8.0, 3.0, 3.0, 3.7], "g/dL").category, Some(Pr));
    assert_eq!(serum_path(&[8.0, 3.0, 3.0, 3.75], "g/dL").category, Some(Pd));
    assert_eq!(serum_path(&[80.0, 30.0, 30.0, 37.0], "g/L").category, Some(Pr));
    assert_eq!(serum_path(&[80.0, 30.0, 30.0, 37.5], "g/L").category, Some(Pd));
}

#[test]
fn from_a_nadir_of_5_g_dl_an_increase_of_1_g_dl_is_progression() {
    assert_eq!(serum_path(&[12.0, 5.0, 5.0, 6.0], "g/dL").category, Some(Pd));
    assert_eq!(serum_path(&[12.0, 5.0, 5.0, 5.9], "g/dL").category, Some(Pr));
    assert_eq!(serum_path(&[120.0, 50.0, 50.0, 60.0], "g/L").category, Some(Pd));
    assert_eq!(serum_path(&[120.0, 50.0, 50.0, 59.0], "g/L").category, Some(Pr));
    // Nadir 4.9 (below 5): the 25% rule applies, so +1.0 (20%) is not PD.
    assert_eq!(serum_path(&[12.0, 4.9, 4.9, 5.9], "g/dL").category, Some(Pr));
    assert_eq!(serum_path(&[12.0, 4.9, 4.9, 6.2], "g/dL").category, Some(Pd));
}

#[test]
fn an_unconfirmed_low_value_does_not_set_the_nadir() {
    // 1.0 was seen once, then 2.0 twice: the nadir is 2.0, so 2.4 is not progression.
    assert_eq!(serum_path(&[4.0, 1.0, 2.0, 2.0, 2.4], "g/dL").category, Some(Mr), "40% below baseline: MR, not PD");
    // Held twice, 1.0 is the nadir: 2.4 is progression.
    assert_eq!(serum_path(&[4.0, 1.0, 1.0, 2.0, 2.4], "g/dL").category, Some(Pd));
}

#[test]
fn urine_progression_is_25_percent_and_at_least_200_mg_above_the_nadir() {
    let u = |last: f64| urine_path(&[1000.0, 100.0, 100.0, last]);
    assert_eq!(u(300.0), Some(Pd));
    assert_eq!(u(299.0), Some(Mr), "+199 mg: not PD; 70% below baseline: MR");
    assert_ne!(u(299.0), Some(Pd));
    assert_eq!(u(301.0), Some(Pd));
}

fn urine_path(values: &[f64]) -> Option<ResponseCategory> {
    let a: Vec<Value> =
        values.iter().map(|v| json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(*v, "mg/24h")})).collect();
    assess(&a).category
}

#[test]
fn progression_wins_over_any_response_category() {
    // Serum down 95% from baseline (VGPR level) but a new lesion: PD.
    let r = assess(&[
        json!({"serum_m_protein": q(4.0, "g/dL"), "urine_m_protein": q(50.0, "mg/24h")}),
        json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(10.0, "mg/24h")}),
        json!({"serum_m_protein": q(0.2, "g/dL"), "urine_m_protein": q(10.0, "mg/24h"), "new_lesions": true}),
    ]);
    assert_eq!(r.category, Some(Pd));
    // Still 60% below baseline (PR level) but 0.9 g/dL above a 0.7 nadir: PD.
    assert_eq!(serum_path(&[4.0, 0.7, 0.7, 1.6], "g/dL").category, Some(Pd));
    // Immunofixation-negative CR criteria met at the same time as a new plasmacytoma: PD.
    let r = assess(&[
        json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(50.0, "mg/24h"), "soft_tissue_plasmacytoma": false}),
        json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_immunofixation": "negative", "urine_immunofixation": "negative", "bone_marrow_plasma_cells": q(1.0, "%"), "new_lesions": true}),
    ]);
    assert_eq!(r.category, Some(Pd));
}

// ---- Confirmation ----

#[test]
fn a_category_counts_only_when_two_consecutive_assessments_confirm_it() {
    let r = serum_path(&[4.0, 1.5], "g/dL");
    assert_eq!(both(&r), (Some(Pr), None), "one assessment: not confirmed");
    let r = serum_path(&[4.0, 1.8, 0.3], "g/dL");
    assert_eq!(both(&r), (Some(Vgpr), Some(Pr)), "VGPR once after PR: PR is what both show");
    let r = serum_path(&[4.0, 3.5, 1.5], "g/dL");
    assert_eq!(both(&r), (Some(Pr), Some(Sd)));
}

#[test]
fn progression_needs_confirmation_too() {
    let r = serum_path(&[4.0, 1.0, 1.0, 1.6], "g/dL");
    assert_eq!(both(&r), (Some(Pd), None));
    assert!(!r.progression_confirmed);
    assert!(r.notes.iter().any(|n| n.contains("awaits confirmation")));
    let r = serum_path(&[4.0, 1.0, 1.0, 1.6, 1.7], "g/dL");
    assert_eq!(both(&r), (Some(Pd), Some(Pd)));
    assert!(r.progression_confirmed);
    assert_eq!(r.best_confirmed_category, Some(Pr));
}

// ---- Worked examples, written from the published criteria text ----

#[test]
fn worked_example_igg_serum_35_g_l_to_2_g_l_with_urine_80_mg_is_vgpr() {
    // ≥90% reduction in serum M-protein plus urine M-protein <100 mg/24 h (IMWG VGPR).
    let r = assess(&twice(
        json!({"serum_m_protein": q(35.0, "g/L"), "urine_m_protein": q(120.0, "mg/24h")}),
        json!({"serum_m_protein": q(2.0, "g/L"), "urine_m_protein": q(80.0, "mg/24h"), "serum_immunofixation": "positive"}),
    ));
    assert_eq!(r.confirmed_category, Some(Vgpr));
    assert!(r.breakdown.iter().any(|c| c.category == Vgpr && c.met == Some(true)));
}

#[test]
fn worked_example_light_chain_myeloma_urine_1200_mg_to_150_mg_is_pr() {
    // Urine measurable only: reduction by ≥90% or to <200 mg/24 h is PR; 150 is not <100 (VGPR).
    assert_eq!(urine(1200.0, 150.0).confirmed_category, Some(Pr));
}

#[test]
fn worked_example_serum_and_urine_pr_needs_both() {
    // ≥50% reduction of serum M-protein AND urine ≥90% or <200 mg/24 h: serum 60% with urine
    // only 70% gives MR (urine 50–89%), the lower level.
    let r = assess(&twice(
        json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(1000.0, "mg/24h")}),
        json!({"serum_m_protein": q(1.2, "g/dL"), "urine_m_protein": q(300.0, "mg/24h")}),
    ));
    assert_eq!(r.confirmed_category, Some(Mr));
}

#[test]
fn worked_example_nonsecretory_marrow_60_to_25_percent_is_pr() {
    assert_eq!(marrow(&[60.0, 25.0, 25.0]).confirmed_category, Some(Pr));
}

#[test]
fn worked_example_relapse_from_a_2_g_dl_nadir() {
    // Lowest confirmed value 2.0 g/dL; 2.5 g/dL is +25% and +0.5 g/dL: PD, twice confirmed.
    let r = serum_path(&[5.0, 2.0, 2.0, 2.5, 2.6], "g/dL");
    assert!(r.progression_confirmed);
}

// ---- Inputs and output ----

#[test]
fn no_series_and_no_measurable_disease_are_reported_not_guessed() {
    let r = assess(&[]);
    assert_eq!(r.category, None);
    assert_eq!(missing_fields(&r), vec!["response_assessments".to_string()]);
    let r = assess(&[json!({"serum_m_protein": q(0.3, "g/dL"), "urine_m_protein": q(30.0, "mg/24h")}), json!({})]);
    assert_eq!(r.category, None);
    assert!(r.notes.iter().any(|n| n.contains("no measurable disease")));
    assert!(missing_fields(&r).contains(&"response_assessments[0].serum_flc_kappa".to_string()));
}

#[test]
fn every_result_carries_version_citations_and_evidence() {
    let r = serum(4.0, 1.0, "g/dL");
    assert_eq!(r.criteria_version, "IMWG 2016");
    assert!(r.citations.iter().any(|c| c.key == "imwg-2016-response"));
    assert!(r.citations.iter().all(|c| !c.source.contains("UNKNOWN")));
    assert!(!r.breakdown.is_empty());
    let kb = myeloma_pathway::KnowledgeBase::embedded();
    for c in r.breakdown.iter().chain(r.timeline.iter().flat_map(|t| t.criteria.iter())) {
        assert!(kb.citation(c.citation).is_some(), "unknown citation key {}", c.citation);
    }
    assert!(kb.citation(r.mrd.citation).is_some());
}

#[test]
fn the_response_assessment_runs_through_the_json_api() {
    assert_eq!(Assessment::from_name("response"), Some(Assessment::Response));
    let rec = json!({"response_assessments": [
        {"serum_m_protein": q(30.0, "g/L"), "urine_m_protein": q(50.0, "mg/24h")},
        {"serum_m_protein": q(1.2, "g/dL"), "urine_m_protein": q(40.0, "mg/24h")},
        {"serum_m_protein": q(1.1, "g/dL"), "urine_m_protein": q(30.0, "mg/24h")}
    ]});
    let out: Value =
        serde_json::from_str(&api::run_json(Assessment::Response, &rec.to_string(), None).unwrap()).unwrap();
    assert_eq!(out["criteria_version"], "IMWG 2016");
    assert_eq!(out["confirmed_category"], "pr");
    assert!(out["basis"]["knowledge_base"]["sha256"].is_string());
    let bad = json!({"response_assessments": [{"serum_m_protein": q(3.0, "mg/dL")}]});
    let e = api::run_json(Assessment::Response, &bad.to_string(), None).unwrap_err();
    assert_eq!(e.field(), Some("response_assessments[0].serum_m_protein.unit"));
    let typo = json!({"response_assessments": [{"serum_m_protien": q(3.0, "g/dL")}]});
    assert!(api::run_json(Assessment::Response, &typo.to_string(), None).is_err());
}

// ---- Pathway transitions driven by the response ----

#[test]
fn a_confirmed_response_after_induction_allows_consolidation() {
    let history = json!([{"event": "therapy_started", "regimen": "vrd"}, {"event": "cycle_completed"}, {"event": "cycle_completed"}]);
    let p = patient_with(
        &twice(
            json!({"serum_m_protein": q(4.0, "g/dL"), "urine_m_protein": q(50.0, "mg/24h")}),
            json!({"serum_m_protein": q(1.0, "g/dL"), "urine_m_protein": q(20.0, "mg/24h")}),
        ),
        json!({"history": history}),
    );
    let state = replay(p.history(), Eligibility::Eligible).unwrap();
    assert_eq!(state.phase(), Phase::Induction);
    let consolidate = Event::ConsolidationStarted { route: ConsolidationRoute::Transplant };
    assert!(transition(&state, &consolidate).is_err(), "no assessed response yet");
    let events = response_events(kb(), &p).unwrap();
    assert_eq!(
        events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        vec![Event::ResponseAssessed { response: Pr }]
    );
    let mut s = state;
    for e in &events {
        s = transition(&s, &e.event).unwrap();
    }
    assert_eq!(transition(&s, &consolidate).unwrap().phase(), Phase::ConsolidationTransplant);
}

#[test]
fn confirmed_progression_in_maintenance_opens_the_next_line() {
    let history = json!([
        {"event": "therapy_started", "regimen": "vrd"}, {"event": "response_assessed", "response": "vgpr"},
        {"event": "transplant_done"}, {"event": "maintenance_started", "regimen": "len-maintenance"}
    ]);
    let p = patient_with(
        &[2.0, 0.5, 0.5, 1.0, 1.1]
            .iter()
            .map(
                |v| json!({"date": null, "serum_m_protein": q(*v * 2.0, "g/dL"), "urine_m_protein": q(20.0, "mg/24h")}),
            )
            .collect::<Vec<_>>(),
        json!({"history": history}),
    );
    let mut s = replay(p.history(), Eligibility::Eligible).unwrap();
    assert_eq!(s.phase(), Phase::Maintenance);
    let events = response_events(kb(), &p).unwrap();
    assert_eq!(events.last().map(|e| e.event.clone()), Some(Event::Progression));
    for e in &events {
        s = transition(&s, &e.event).unwrap();
    }
    assert_eq!((s.phase(), s.line()), (Phase::Relapse, 2));
    // An unconfirmed progression gives no event.
    let p2 = patient_with(
        &[4.0, 1.0, 1.0, 2.0]
            .iter()
            .map(|v| json!({"serum_m_protein": q(*v, "g/dL"), "urine_m_protein": q(20.0, "mg/24h")}))
            .collect::<Vec<_>>(),
        json!({}),
    );
    assert!(!response_events(kb(), &p2).unwrap().iter().any(|e| e.event == Event::Progression));
}

// ---- MRD ----

fn mrd(results: Value) -> myeloma_pathway::response::MrdAssessment {
    let cr = twice(
        json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(80.0, "mg/24h"), "soft_tissue_plasmacytoma": false}),
        json!({"serum_m_protein": q(0.0, "g/dL"), "urine_m_protein": q(0.0, "mg/24h"), "serum_immunofixation": "negative", "urine_immunofixation": "negative", "bone_marrow_plasma_cells": q(1.0, "%")}),
    );
    assess_response(kb(), &patient_with(&cr, json!({"mrd": results}))).unwrap().mrd
}

fn neg(date: &str) -> Value {
    json!({"date": date, "method": "ngf", "sensitivity_log10": 5, "sample": "bone_marrow", "result": "negative"})
}

#[test]
fn sustained_mrd_negativity_needs_two_marrow_negatives_at_least_12_months_apart() {
    let m = mrd(json!([neg("2024-01-01"), neg("2024-12-30")]));
    assert!(!m.sustained_negative, "11 months 29 days");
    assert!(m.interpretable);
    let m = mrd(json!([neg("2024-01-01"), neg("2024-12-31")]));
    assert!(!m.sustained_negative, "one day short of 12 calendar months");
    let m = mrd(json!([neg("2024-01-01"), neg("2025-01-01")]));
    assert!(m.sustained_negative);
    assert_eq!(m.negative_span_months, Some(12));
    let m = mrd(json!([neg("2024-01-01"), neg("2025-01-02")]));
    assert!(m.sustained_negative);
}

#[test]
fn a_positive_between_negatives_breaks_sustained_negativity() {
    let mut pos = neg("2024-07-01");
    pos["result"] = json!("positive");
    assert!(!mrd(json!([neg("2024-01-01"), pos, neg("2025-02-01")])).sustained_negative);
}

#[test]
fn blood_samples_and_low_sensitivity_do_not_count() {
    let mut blood = neg("2025-02-01");
    blood["sample"] = json!("peripheral_blood");
    let m = mrd(json!([neg("2024-01-01"), blood]));
    assert!(!m.sustained_negative);
    assert_eq!(m.results[1].categories, vec![MrdCategory::NegativeNotQualifying]);
    let mut low = neg("2025-02-01");
    low["sensitivity_log10"] = json!(4);
    assert!(!mrd(json!([neg("2024-01-01"), low])).sustained_negative);
    let mut ngs6 = neg("2025-02-01");
    ngs6["method"] = json!("ngs");
    ngs6["sensitivity_log10"] = json!(6);
    let m = mrd(json!([neg("2024-01-01"), ngs6]));
    assert!(m.sustained_negative);
    assert_eq!(m.results[1].categories, vec![MrdCategory::SequencingMrdNegative]);
}

#[test]
fn imaging_plus_mrd_negative_needs_a_negative_pet_ct() {
    let mut a = neg("2024-01-01");
    a["pet_ct_negative"] = json!(true);
    let mut b = neg("2025-01-01");
    b["pet_ct_negative"] = json!(true);
    let m = mrd(json!([a, b]));
    assert_eq!(m.results[0].categories, vec![MrdCategory::FlowMrdNegative, MrdCategory::ImagingPlusMrdNegative]);
    assert_eq!(m.sustained_with_imaging, Some(true));
    assert_eq!(mrd(json!([neg("2024-01-01"), neg("2025-01-01")])).sustained_with_imaging, None);
}

#[test]
fn mrd_is_only_interpreted_in_cr_or_scr() {
    let p = patient_with(
        &twice(
            json!({"serum_m_protein": q(4.0, "g/dL"), "urine_m_protein": q(50.0, "mg/24h")}),
            json!({"serum_m_protein": q(1.0, "g/dL"), "urine_m_protein": q(20.0, "mg/24h")}),
        ),
        json!({"mrd": [neg("2024-01-01")]}),
    );
    let m = assess_response(kb(), &p).unwrap().mrd;
    assert!(!m.interpretable);
    assert!(m.notes.iter().any(|n| n.contains("only interpreted in CR or sCR") && n.contains("PR")));
}

#[test]
fn the_plan_mrd_summary_keeps_its_fields() {
    let p = patient_with(&[], json!({"mrd": [neg("2024-01-01"), neg("2025-01-01")]}));
    let s = myeloma_pathway::recommend(&p, &myeloma_pathway::Guideline::default()).unwrap().mrd;
    assert!(s.sustained_negative);
    assert_eq!(s.negative_span_months, Some(12));
    assert_eq!(s.latest.map(|l| l.date.to_string()), Some("2025-01-01".to_string()));
}

// ---- Properties ----

fn serum_series(values: &[f64], unit: &str, factor: f64) -> Vec<Value> {
    values
        .iter()
        .map(|v| json!({"serum_m_protein": q((v * factor * 10.0).round() / 10.0, unit), "urine_m_protein": q(40.0, "mg/24h"), "serum_immunofixation": "positive"}))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_deeper_m_protein_fall_never_gives_a_worse_response(b in 10u32..=100, x in 0u32..=100, y in 0u32..=100) {
        // Serum values in 0.1 g/dL steps; y is the deeper fall.
        let (hi, lo) = (x.max(y).min(b), x.min(y).min(b));
        let f = |c: u32| f64::from(c) / 10.0;
        let shallow = assess(&serum_series(&[f(b), f(hi), f(hi)], "g/dL", 1.0));
        let deep = assess(&serum_series(&[f(b), f(lo), f(lo)], "g/dL", 1.0));
        prop_assert!(deep.category.is_some() && shallow.category.is_some());
        prop_assert!(deep.category <= shallow.category, "{:?} vs {:?}", deep.category, shallow.category);
        prop_assert!(deep.confirmed_category <= shallow.confirmed_category);
    }

    #[test]
    fn the_same_series_in_g_l_and_g_dl_gives_the_same_result(values in proptest::collection::vec(0u32..=150, 1..6)) {
        let v: Vec<f64> = values.iter().map(|c| f64::from(*c) / 10.0).collect();
        let in_g_dl = assess(&serum_series(&v, "g/dL", 1.0));
        let in_g_l = assess(&serum_series(&v, "g/L", 10.0));
        prop_assert_eq!(serde_json::to_string(&in_g_dl).unwrap(), serde_json::to_string(&in_g_l).unwrap());
    }

    #[test]
    fn the_same_flc_series_in_mg_l_and_mg_dl_gives_the_same_result(values in proptest::collection::vec(0u32..=3000, 2..6)) {
        let mk = |unit: &str, f: f64| -> Vec<Value> {
            values.iter().map(|k| json!({"serum_m_protein": q(0.1, "g/dL"), "urine_m_protein": q(10.0, "mg/24h"), "serum_flc_kappa": q(f64::from(*k) * f, unit), "serum_flc_lambda": q(10.0 * f, unit)})).collect()
        };
        let extra = json!({"diagnosis": {"involved_light_chain": "kappa"}});
        let a = assess_response(kb(), &patient_with(&mk("mg/L", 1.0), extra.clone())).unwrap();
        let b = assess_response(kb(), &patient_with(&mk("mg/dL", 0.1), extra)).unwrap();
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    #[test]
    fn every_series_gets_an_answer_or_a_named_missing_input(values in proptest::collection::vec(0u32..=150, 0..6)) {
        let v: Vec<f64> = values.iter().map(|c| f64::from(*c) / 10.0).collect();
        let r = assess(&serum_series(&v, "g/dL", 1.0));
        prop_assert!(r.category.is_some() || !r.missing_inputs.is_empty() || !r.notes.is_empty());
    }
}

// ---- Golden cases: the response series agrees with the history the plan replays ----

#[test]
fn golden_response_cases_agree_with_their_recorded_history() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("response-"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "at least 4 response golden cases");
    let mut checked = 0;
    for f in &files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let Ok(p) = Patient::from_json(&case["patient"].to_string()) else {
            assert!(case["expect"].get("error").is_some(), "{name}: unexpected refusal");
            continue;
        };
        let r = assess_response(kb(), &p).unwrap();
        let expected = match name.as_str() {
            n if n.contains("vgpr-confirmed") => (Some(Vgpr), Some(Vgpr)),
            n if n.contains("pd-confirmed") => (Some(Pd), Some(Pd)),
            n if n.contains("pd-unconfirmed") => (Some(Pd), None),
            n if n.contains("cr-sustained-mrd") => (Some(Cr), Some(Cr)),
            n if n.contains("flc-only-pr") => (Some(Pr), Some(Pr)),
            other => panic!("no response expectation for {other}"),
        };
        assert_eq!(both(&r), expected, "{name}");
        if name.contains("mrd") {
            assert!(r.mrd.sustained_negative && r.mrd.interpretable, "{name}");
        }
        // Every event the series implies is in the history, in order.
        let history: Vec<Event> = p.history().iter().map(|h| h.event.clone()).collect();
        let mut at = 0;
        for e in response_events(kb(), &p).unwrap() {
            let pos = history[at..].iter().position(|h| *h == e.event);
            assert!(pos.is_some(), "{name}: {:?} is not in the history after entry {at}", e.event);
            at += pos.unwrap() + 1;
        }
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn one_assessment_after_baseline_is_enough_and_none_is_then_reported_missing() {
    // Mutation run of session 8 (response/mod.rs `tps.len() < 2`): the edge at exactly two time points.
    let base = json!({"serum_m_protein": q(3.0, "g/dL"), "urine_m_protein": q(50.0, "mg/24h")});
    let one = assess(std::slice::from_ref(&base));
    assert!(missing_fields(&one).contains(&"response_assessments[1]".to_string()));
    let two = assess(&[base, json!({"serum_m_protein": q(1.0, "g/dL"), "urine_m_protein": q(40.0, "mg/24h")})]);
    assert!(!missing_fields(&two).contains(&"response_assessments[1]".to_string()), "{:?}", missing_fields(&two));
}

#[test]
fn a_positive_at_the_same_sensitivity_as_the_negative_carries_no_sensitivity_caveat() {
    // Mutation run of session 8 (response/mod.rs: positive more sensitive than the negative).
    let mut pos = neg("2024-07-01");
    pos["result"] = json!("positive");
    let m = mrd(json!([neg("2024-01-01"), pos.clone()]));
    assert_eq!(m.conversions.len(), 1);
    assert!(m.conversions[0].notes.iter().all(|n| !n.contains("more sensitive")), "{:?}", m.conversions[0].notes);
    pos["method"] = json!("ngs");
    pos["sensitivity_log10"] = json!(6);
    let m = mrd(json!([neg("2024-01-01"), pos]));
    assert!(m.conversions[0].notes.iter().any(|n| n.contains("more sensitive")));
}
