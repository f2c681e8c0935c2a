//! Dose rules at, just below and just above each threshold.

use crate::kb;
use myeloma_pathway::dosing::lenalidomide_renal_dose;
use myeloma_pathway::fitness::{creatinine_clearance, ideal_body_weight_kg};
use myeloma_pathway::guideline::{Jurisdiction, WeightBasis};
use myeloma_pathway::Sex;
use myeloma_pathway::{recommend, Guideline, Patient};

#[test]
fn us_label_gives_lenalidomide_25_mg_from_crcl_60_and_10_mg_from_30_to_below_60() {
    let us = Jurisdiction::Us;
    assert_eq!(lenalidomide_renal_dose(60.0, Some(false), us), None);
    assert_eq!(lenalidomide_renal_dose(59.9, Some(false), us), Some("10 mg once daily"));
    assert_eq!(lenalidomide_renal_dose(30.0, Some(false), us), Some("10 mg once daily"));
    assert_eq!(lenalidomide_renal_dose(29.9, Some(false), us), Some("15 mg every 48 hours"));
}

#[test]
fn eu_smpc_gives_no_adjustment_from_crcl_50_and_10_mg_from_30_to_below_50() {
    let eu = Jurisdiction::Eu;
    assert_eq!(lenalidomide_renal_dose(50.0, None, eu), None);
    assert_eq!(lenalidomide_renal_dose(49.9, None, eu), Some("10 mg once daily"));
    assert_eq!(lenalidomide_renal_dose(30.0, None, eu), Some("10 mg once daily"));
    assert_eq!(lenalidomide_renal_dose(29.9, Some(false), eu), Some("15 mg every other day"));
}

#[test]
fn dialysis_unknown_below_crcl_30_shows_both_lenalidomide_doses() {
    for (j, off) in [(Jurisdiction::Us, "15 mg every 48 hours"), (Jurisdiction::Eu, "15 mg every other day")] {
        let d = lenalidomide_renal_dose(29.9, None, j).unwrap();
        assert!(d.contains(off) && d.contains("5 mg once daily after dialysis"), "{d}");
        assert!(d.starts_with("dialysis status unknown"), "{d}");
        // From 30 mL/min dialysis does not change the dose.
        assert_eq!(lenalidomide_renal_dose(30.0, None, j), Some("10 mg once daily"));
    }
}

#[test]
fn dialysis_gives_lenalidomide_5_mg_daily_after_dialysis_whatever_the_crcl() {
    for j in [Jurisdiction::Us, Jurisdiction::Eu] {
        assert_eq!(
            lenalidomide_renal_dose(90.0, Some(true), j),
            Some("5 mg once daily, after dialysis on dialysis days")
        );
    }
}

#[test]
fn lower_crcl_never_raises_the_lenalidomide_dose() {
    let rank = |d: Option<&str>| match d {
        None => 3,
        Some("10 mg once daily") => 2,
        Some(_) => 1,
    };
    for j in [Jurisdiction::Us, Jurisdiction::Eu] {
        let mut last = 3;
        for tenth in (10..=1500).rev() {
            let r = rank(lenalidomide_renal_dose(f64::from(tenth) / 10.0, Some(false), j));
            assert!(r <= last, "{j:?} at {}", f64::from(tenth) / 10.0);
            last = r;
        }
    }
}

fn patient(age: u16, sex: &str, weight: f64, height: f64, cr: &str) -> Patient {
    Patient::from_json(&format!(
        r#"{{"age_years":{age},"sex":"{sex}","weight_kg":{weight},"height_cm":{height},"labs":{{"creatinine":{cr}}}}}"#
    ))
    .unwrap()
}

#[test]
fn cockcroft_gault_is_140_minus_age_times_weight_over_72_times_creatinine_and_085_for_women() {
    let g = Guideline::default();
    let m = patient(60, "male", 72.0, 175.0, r#"{"value":1.0,"unit":"mg/dL"}"#);
    assert_eq!(creatinine_clearance(kb(), &m, &g).unwrap().ml_min, 80.0);
    let f = patient(60, "female", 72.0, 175.0, r#"{"value":1.0,"unit":"mg/dL"}"#);
    assert_eq!(creatinine_clearance(kb(), &f, &g).unwrap().ml_min, 68.0);
    // The same creatinine in µmol/L gives the same clearance.
    let u = patient(60, "male", 72.0, 175.0, r#"{"value":88.4,"unit":"µmol/L"}"#);
    assert_eq!(creatinine_clearance(kb(), &u, &g).unwrap().ml_min, 80.0);
}

#[test]
fn cockcroft_gault_records_the_weight_basis_chosen() {
    let g = Guideline::default().with_crcl_weight(WeightBasis::Ideal);
    let m = patient(60, "male", 100.0, 152.4, r#"{"value":1.0,"unit":"mg/dL"}"#);
    let c = creatinine_clearance(kb(), &m, &g).unwrap();
    assert_eq!(c.weight_basis, Some(WeightBasis::Ideal));
    assert_eq!(c.weight_kg, Some(50.0)); // Devine: 50 kg at 60 inches
    assert!((ideal_body_weight_kg(Sex::Female, 152.4) - 45.5).abs() < 1e-9);
}

#[test]
fn a_reported_creatinine_clearance_is_used_as_given() {
    let p = Patient::from_json(r#"{"labs":{"creatinine_clearance_ml_min":42}}"#).unwrap();
    let c = creatinine_clearance(kb(), &p, &Guideline::default()).unwrap();
    assert_eq!((c.ml_min, c.method), (42.0, "reported"));
}

fn after_induction(crcl: f64) -> Patient {
    let mut r = myeloma_pathway::PatientRecord::from_json(include_str!(
        "../../../../examples/patients/fit-60-standard-risk.json"
    ))
    .unwrap();
    r.labs.as_mut().unwrap().creatinine_clearance_ml_min = Some(crcl);
    r.history = serde_json::from_str(
        r#"[{"event":"therapy_started","regimen":"vrd"},{"event":"cycle_completed"},{"event":"cycle_completed"},
            {"event":"cycle_completed"},{"event":"cycle_completed"},{"event":"response_assessed","response":"vgpr"}]"#,
    )
    .unwrap();
    r.validate().unwrap()
}

#[test]
fn melphalan_140_is_chosen_below_the_centres_crcl_threshold_and_200_at_or_above_it() {
    let g = Guideline::default().with_melphalan_140_below_crcl_ml_min(Some(40.0)).unwrap();
    let first = |crcl: f64| recommend(&after_induction(crcl), &g).unwrap().options[0].regimen_id.clone();
    assert_eq!(first(39.9), "mel140-asct");
    assert_eq!(first(40.0), "mel200-asct");
    assert_eq!(first(40.1), "mel200-asct");
}

#[test]
fn without_a_centre_threshold_both_melphalan_doses_are_listed() {
    let plan = recommend(&after_induction(35.0), &Guideline::default()).unwrap();
    let ids: Vec<&str> = plan.options.iter().map(|o| o.regimen_id.as_str()).collect();
    assert_eq!(ids, ["mel200-asct", "mel140-asct"]);
}

#[test]
fn devine_ideal_body_weight_adds_2_3_kg_per_inch_over_60_inches() {
    // 177.8 cm = 70 inches: male 50 + 23 = 73 kg, female 45.5 + 23 = 68.5 kg.
    assert!((ideal_body_weight_kg(Sex::Male, 177.8) - 73.0).abs() < 1e-9);
    assert!((ideal_body_weight_kg(Sex::Female, 177.8) - 68.5).abs() < 1e-9);
    // 165.1 cm = 65 inches: male 61.5 kg.
    assert!((ideal_body_weight_kg(Sex::Male, 165.1) - 61.5).abs() < 1e-9);
}

#[test]
fn cockcroft_gault_divides_by_72_times_the_creatinine() {
    let g = Guideline::default();
    // (140 − 60) × 72 / (72 × 2.0) = 40 mL/min; × 0.85 = 34 for a woman.
    assert_eq!(
        creatinine_clearance(kb(), &patient(60, "male", 72.0, 175.0, r#"{"value":2.0,"unit":"mg/dL"}"#), &g)
            .unwrap()
            .ml_min,
        40.0
    );
    assert_eq!(
        creatinine_clearance(kb(), &patient(60, "female", 72.0, 175.0, r#"{"value":2.0,"unit":"mg/dL"}"#), &g)
            .unwrap()
            .ml_min,
        34.0
    );
    // Age enters as (140 − age): 80-year-old, 60 kg, 1.5 mg/dL → 60 × 60 / 108 = 33.3.
    assert_eq!(
        creatinine_clearance(kb(), &patient(80, "male", 60.0, 175.0, r#"{"value":1.5,"unit":"mg/dL"}"#), &g)
            .unwrap()
            .ml_min,
        33.3
    );
}

#[test]
fn adjusted_body_weight_is_ideal_plus_0_4_of_the_excess() {
    let g = Guideline::default().with_crcl_weight(WeightBasis::Adjusted);
    // Male, 70 inches: IBW 73 kg; actual 100 kg → 73 + 0.4 × 27 = 83.8 kg.
    let c =
        creatinine_clearance(kb(), &patient(60, "male", 100.0, 177.8, r#"{"value":2.0,"unit":"mg/dL"}"#), &g).unwrap();
    assert_eq!(c.weight_kg, Some(83.8));
    assert_eq!(c.weight_basis, Some(WeightBasis::Adjusted));
    // (80 × 83.8) / 144 = 46.6 mL/min.
    assert_eq!(c.ml_min, 46.6);
}

#[test]
fn ideal_or_adjusted_weight_without_height_is_reported_missing() {
    for basis in [WeightBasis::Ideal, WeightBasis::Adjusted] {
        let g = Guideline::default().with_crcl_weight(basis);
        let p = Patient::from_json(
            r#"{"age_years":60,"sex":"male","weight_kg":80,"labs":{"creatinine":{"value":1,"unit":"mg/dL"}}}"#,
        )
        .unwrap();
        let missing = creatinine_clearance(kb(), &p, &g).unwrap_err();
        assert!(missing.iter().any(|m| m.field == "height_cm"), "{basis:?}: {missing:?}");
    }
}
