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

// ---- issue 11: formulas, per-patient doses, adjustments, calendar --------------------------

use myeloma_pathway::dosing::calendar::{administrations_in_cycle, expand, fixed_duration_cycles, planned_cycles};
use myeloma_pathway::dosing::doses::Scope;
use myeloma_pathway::dosing::formulas::{
    body_surface_area, bsa_dubois, bsa_mosteller, ckd_epi_2021, corrected_calcium, egfr, kdigo_category, GfrCategory,
};
use myeloma_pathway::dosing::supportive::zoledronic_acid_mg;
use myeloma_pathway::dosing::{component_doses, lenalidomide_renal_for_dose, ComponentDose, LenalidomideRenal};
use myeloma_pathway::guideline::BsaMethod;

fn p(json: &str) -> Patient {
    Patient::from_json(json).unwrap()
}

fn doses_of(pt: &Patient, g: &Guideline, regimen: &str) -> Vec<ComponentDose> {
    component_doses(kb(), pt, g, kb().regimen(regimen).unwrap()).0
}

fn date(s: &str) -> jiff::civil::Date {
    s.parse().unwrap()
}

#[test]
fn mosteller_bsa_of_175_cm_and_70_kg_is_the_root_of_12250_over_3600() {
    // √(175 × 70 / 3600) = √3.40278 = 1.8447 m² (docs/evidence/dosing.md golden value 1.845).
    assert!((bsa_mosteller(175.0, 70.0) - 1.8447).abs() < 1e-4);
    let b = body_surface_area(kb(), &p(r#"{"height_cm":175,"weight_kg":70}"#), &Guideline::default()).unwrap();
    assert_eq!((b.value, b.unit), (1.84, "m²"));
    assert!(b.method.starts_with("Mosteller"));
    assert_eq!(b.citation.key, "bsa-mosteller-1987");
}

#[test]
fn dubois_bsa_of_175_cm_and_70_kg_is_1_848_and_the_method_is_recorded() {
    // 0.007184 × 175^0.725 × 70^0.425 = 0.007184 × 42.28 × 6.0835 = 1.848 m².
    assert!((bsa_dubois(175.0, 70.0) - 1.848).abs() < 1e-3);
    let g = Guideline::default().with_bsa_method(BsaMethod::DuBois);
    let b = body_surface_area(kb(), &p(r#"{"height_cm":175,"weight_kg":70}"#), &g).unwrap();
    assert_eq!(b.value, 1.85);
    assert!(b.method.starts_with("Du Bois"));
    assert_eq!(b.citation.key, "bsa-dubois-1916");
}

#[test]
fn a_bsa_without_height_is_reported_missing_never_defaulted() {
    let m = body_surface_area(kb(), &p(r#"{"weight_kg":70}"#), &Guideline::default()).unwrap_err();
    assert_eq!(m.iter().map(|x| x.field.as_str()).collect::<Vec<_>>(), ["height_cm"]);
    let d = doses_of(&p(r#"{"weight_kg":70}"#), &Guideline::default(), "vrd");
    assert_eq!(d[0].amount, None);
    assert!(d[0].missing_inputs.iter().any(|x| x.field == "height_cm"));
    // The flat lenalidomide dose is still given.
    assert_eq!(d[1].amount, Some(25.0));
}

#[test]
fn ckd_epi_2021_matches_the_worked_examples() {
    // 142 × (0.9/0.7)^−1.2 × 0.9938^55 × 1.012 = 142 × 0.7396 × 0.7103 × 1.012 = 75.5
    assert!((ckd_epi_2021(0.9, 55, Sex::Female) - 75.5).abs() < 0.05);
    // 142 × (1.2/0.9)^−1.2 × 0.9938^60 = 142 × 0.7081 × 0.6886 = 69.2
    assert!((ckd_epi_2021(1.2, 60, Sex::Male) - 69.2).abs() < 0.05);
    // 142 × (2.0/0.9)^−1.2 × 0.9938^70 = 142 × 0.3836 × 0.6470 = 35.2
    assert!((ckd_epi_2021(2.0, 70, Sex::Male) - 35.2).abs() < 0.05);
    // Below κ the α term applies: 142 × (0.5/0.7)^−0.241 × 0.9938^40 × 1.012 = 142 × 1.0845 × 0.7798 × 1.012 = 121.5
    assert!((ckd_epi_2021(0.5, 40, Sex::Female) - 121.5).abs() < 0.05);
    let e = egfr(kb(), &p(r#"{"age_years":70,"sex":"male","labs":{"creatinine":{"value":176.8,"unit":"µmol/L"}}}"#))
        .unwrap();
    assert_eq!((e.egfr.value, e.category), (35.2, GfrCategory::G3b));
    assert_eq!(e.egfr.unit, "mL/min/1.73 m²");
}

#[test]
fn kdigo_categories_change_at_90_60_45_30_and_15() {
    use GfrCategory::*;
    for (v, c) in [
        (90.0, G1),
        (89.9, G2),
        (60.0, G2),
        (59.9, G3a),
        (45.0, G3a),
        (44.9, G3b),
        (30.0, G3b),
        (29.9, G4),
        (15.0, G4),
        (14.9, G5),
    ] {
        assert_eq!(kdigo_category(v), c, "{v}");
    }
}

#[test]
fn corrected_calcium_is_payne_1973_calcium_minus_albumin_plus_4() {
    // 10.0 mg/dL − 3.0 g/dL + 4.0 = 11.0 mg/dL (slope 1.0, as the 1973 abstract gives it) = 2.74 mmol/L.
    let c = corrected_calcium(
        kb(),
        &p(r#"{"labs":{"calcium":{"value":10.0,"unit":"mg/dL"},"albumin":{"value":30,"unit":"g/L"}}}"#),
    )
    .unwrap();
    assert_eq!((c.mg_dl.value, c.mmol_l), (11.0, 2.74));
    assert_eq!(c.mg_dl.citation.key, "corrected-calcium-payne-1973");
    let m = corrected_calcium(kb(), &p(r#"{"labs":{"calcium":{"value":2.5,"unit":"mmol/L"}}}"#)).unwrap_err();
    assert_eq!(m[0].field, "labs.albumin");
}

#[test]
fn mg_per_m2_dose_is_bsa_times_dose_with_the_arithmetic_shown() {
    // Kyprolis HCP worked example: BSA 1.8 m² × 20 mg/m² = 36 mg. 162 cm × 72 kg: √(11664/3600) = 1.8.
    let d = doses_of(&p(r#"{"height_cm":162,"weight_kg":72}"#), &Guideline::default(), "dkd");
    assert_eq!(d[0].amount, Some(36.0));
    assert_eq!(d[0].arithmetic, "20 mg/m² × 1.8 m² = 36 mg");
    assert!(d[0].rounding.contains("no rounding to vial"));
    // mg/kg: daratumumab 8 mg/kg × 72 kg = 576 mg.
    assert_eq!(d[3].amount, Some(576.0));
    assert!(d[3].arithmetic.contains("8 mg/kg × 72 kg (actual body weight) = 576 mg"));
}

#[test]
fn carfilzomib_is_dosed_on_2_2_m2_above_a_bsa_of_2_2_in_the_us() {
    // 176 cm × 99 kg: √(17424/3600) = 2.2 exactly: actual BSA, no cap.
    let at = doses_of(&p(r#"{"height_cm":176,"weight_kg":99}"#), &Guideline::default(), "dkd");
    assert_eq!(at[1].amount, Some(123.2)); // 56 × 2.2
    assert!(at[1].adjustments.iter().all(|a| a.code != "carfilzomib_bsa_cap"));
    // 176 cm × 100 kg: √(17600/3600) = 2.211 → 2.21 m² > 2.2: dosed on 2.2 m².
    let past = doses_of(&p(r#"{"height_cm":176,"weight_kg":100}"#), &Guideline::default(), "dkd");
    assert_eq!(past[1].amount, Some(123.2));
    assert!(past[1].arithmetic.starts_with("BSA 2.21 m² > 2.2 m²"));
    // EU: the SmPC cap is NOT FOUND: actual BSA, with the gap named.
    let eu = Guideline::default().with_jurisdiction(Jurisdiction::Eu);
    let e = doses_of(&p(r#"{"height_cm":176,"weight_kg":100}"#), &eu, "dkd");
    assert_eq!(e[1].amount, Some(123.76)); // 56 × 2.21
    assert!(e[1].adjustments.iter().any(|a| a.rule.contains("NOT FOUND")));
}

#[test]
fn cilta_cel_cell_dose_is_a_range_per_kg_with_its_maximum() {
    // 0.5–1.0 × 10⁶/kg × 80 kg = 4 × 10⁷ – 8 × 10⁷ cells; max 1 × 10⁸.
    let d = doses_of(&p(r#"{"height_cm":180,"weight_kg":80}"#), &Guideline::default(), "cilta-cel");
    assert_eq!((d[2].amount, d[2].amount_to, d[2].unit), (Some(4e7), Some(8e7), "cells"));
    // 120 kg: the upper bound 1.2 × 10⁸ is limited to 1 × 10⁸.
    let h = doses_of(&p(r#"{"height_cm":180,"weight_kg":120}"#), &Guideline::default(), "cilta-cel");
    assert_eq!(h[2].amount_to, Some(1e8));
}

fn crcl_patient(cr: &str, dialysis: bool) -> Patient {
    // Male, 80 years, 72 kg: CrCl = 60 × 72 / (72 × SCr) = 60 / SCr.
    p(&format!(
        r#"{{"age_years":80,"sex":"male","weight_kg":72,"height_cm":175,"labs":{{"creatinine":{cr}}},
            "organ_function":{{"on_dialysis":{dialysis},"bilirubin_x_uln":1.0}}}}"#
    ))
}

fn len_amount(pt: &Patient, g: &Guideline, regimen: &str) -> (Option<f64>, bool) {
    let d = doses_of(pt, g, regimen);
    let l = d.iter().find(|d| d.drug == myeloma_pathway::drugs::Drug::Lenalidomide).unwrap();
    (l.amount_for(1, 1), l.every_other_day())
}

#[test]
fn lenalidomide_25_mg_band_edges_in_mg_dl_and_umol_l_for_each_label() {
    let us = Guideline::default();
    let eu = Guideline::default().with_jurisdiction(Jurisdiction::Eu);
    // (SCr mg/dL, the same in µmol/L, CrCl = 60/SCr rounded to 0.1, US dose, EU dose)
    let cases = [
        ("1.0", "88.4", (Some(25.0), false), (Some(25.0), false)), // 60.0
        ("1.002", "88.5768", (Some(10.0), false), (Some(25.0), false)), // 59.9
        ("1.2", "106.08", (Some(10.0), false), (Some(25.0), false)), // 50.0
        ("1.203", "106.3452", (Some(10.0), false), (Some(10.0), false)), // 49.9
        ("2.0", "176.8", (Some(10.0), false), (Some(10.0), false)), // 30.0
        ("2.004", "177.1536", (Some(15.0), true), (Some(15.0), true)), // 29.9
    ];
    for (mg, umol, u, e) in cases {
        for cr in [format!(r#"{{"value":{mg},"unit":"mg/dL"}}"#), format!(r#"{{"value":{umol},"unit":"µmol/L"}}"#)] {
            let pt = crcl_patient(&cr, false);
            assert_eq!(len_amount(&pt, &us, "rd"), u, "US {cr}");
            assert_eq!(len_amount(&pt, &eu, "rd"), e, "EU {cr}");
        }
    }
    // Dialysis: 5 mg daily under both.
    let d = crcl_patient(r#"{"value":8.0,"unit":"mg/dL"}"#, true);
    assert_eq!(len_amount(&d, &us, "rd"), (Some(5.0), false));
    assert_eq!(len_amount(&d, &eu, "rd"), (Some(5.0), false));
}

#[test]
fn lenalidomide_10_mg_maintenance_never_gets_the_25_mg_table() {
    for j in [Jurisdiction::Us, Jurisdiction::Eu] {
        assert_eq!(lenalidomide_renal_for_dose(10.0, 38.0, Some(false), j), LenalidomideRenal::TableNotFound);
        assert_eq!(lenalidomide_renal_for_dose(10.0, 90.0, Some(false), j), LenalidomideRenal::NoChange);
        assert_eq!(lenalidomide_renal_for_dose(10.0, 90.0, Some(true), j), LenalidomideRenal::TableNotFound);
    }
    // CrCl 38 (issue 11's example): no computed dose change, the label's maintenance table named.
    let pt = crcl_patient(r#"{"value":1.579,"unit":"mg/dL"}"#, false); // 60 / 1.579 = 38.0
    let d = doses_of(&pt, &Guideline::default(), "len-maintenance");
    assert_eq!(d[0].amount_for(1, 1), Some(10.0));
    let a = &d[0].adjustments[0];
    assert_eq!(a.amount_mg, None);
    assert!(a.rule.contains("consult the label's maintenance renal table") && a.rule.contains("NOT FOUND"));
}

#[test]
fn below_30_ml_min_the_lenalidomide_dose_waits_for_the_dialysis_status() {
    assert_eq!(lenalidomide_renal_for_dose(25.0, 29.9, None, Jurisdiction::Us), LenalidomideRenal::DialysisUnknown);
    assert_ne!(lenalidomide_renal_for_dose(25.0, 30.0, None, Jurisdiction::Us), LenalidomideRenal::DialysisUnknown);
    let pt = p(r#"{"weight_kg":70,"labs":{"creatinine_clearance_ml_min":25}}"#);
    let d = doses_of(&pt, &Guideline::default(), "rd");
    assert!(d[0].missing_inputs.iter().any(|m| m.field == "organ_function.on_dialysis"));
}

#[test]
fn lower_crcl_never_raises_a_dose() {
    for j in [Jurisdiction::Us, Jurisdiction::Eu] {
        for dialysis in [Some(false), Some(true)] {
            let mut last = f64::INFINITY;
            for tenth in (10..=1500).rev() {
                let c = f64::from(tenth) / 10.0;
                if let Some(v) = lenalidomide_renal_for_dose(25.0, c, dialysis, j).mg_per_day(25.0) {
                    assert!(v <= last, "{j:?} {dialysis:?} at {c}");
                    last = v;
                }
            }
        }
    }
    // Ixazomib and zoledronic acid by CrCl.
    let ixa = |c: f64| {
        let pt =
            p(&format!(r#"{{"labs":{{"creatinine_clearance_ml_min":{c}}},"organ_function":{{"bilirubin_x_uln":1}}}}"#));
        doses_of(&pt, &Guideline::default(), "ixazomib-maintenance")[1].amount_for(5, 113).unwrap()
    };
    let mut last = f64::INFINITY;
    for c in [120.0, 60.0, 30.0, 29.9, 15.0, 5.0] {
        let v = ixa(c);
        assert!(v <= last, "ixazomib at {c}");
        last = v;
    }
    let mut last = f64::INFINITY;
    for tenth in (300..=1200).rev() {
        let v = zoledronic_acid_mg(f64::from(tenth) / 10.0).unwrap();
        assert!(v <= last);
        last = v;
    }
}

#[test]
fn ixazomib_starts_at_3_mg_below_crcl_30_or_above_bilirubin_1_5_x_uln() {
    let at = |c: f64, b: f64| {
        let pt = p(&format!(
            r#"{{"labs":{{"creatinine_clearance_ml_min":{c}}},"organ_function":{{"bilirubin_x_uln":{b}}}}}"#
        ));
        doses_of(&pt, &Guideline::default(), "ixazomib-maintenance")[1].amount_for(5, 113)
    };
    assert_eq!(at(30.0, 1.0), Some(4.0));
    assert_eq!(at(29.9, 1.0), Some(3.0));
    assert_eq!(at(90.0, 1.5), Some(4.0));
    assert_eq!(at(90.0, 1.6), Some(3.0));
}

#[test]
fn bortezomib_starts_at_0_7_mg_m2_in_cycle_1_above_bilirubin_1_5_x_uln_us_label() {
    let d = |b: f64, g: &Guideline| {
        let pt = p(&format!(r#"{{"height_cm":162,"weight_kg":72,"organ_function":{{"bilirubin_x_uln":{b}}}}}"#));
        doses_of(&pt, g, "vrd").remove(0)
    };
    let us = Guideline::default();
    let at = d(1.5, &us);
    assert_eq!(at.amount_for(1, 1), Some(2.34)); // 1.3 × 1.8
    let past = d(1.51, &us);
    assert_eq!(past.amount_for(1, 1), Some(1.26)); // 0.7 × 1.8
    assert_eq!(past.amount_for(2, 22), Some(2.34)); // cycle 2: back to the regimen dose
    assert_eq!(past.adjustments[0].scope, Scope::CycleOne);
    assert_eq!(past.adjustments[0].arithmetic.as_deref(), Some("0.7 mg/m² × 1.8 m² = 1.26 mg"));
    // EU: the SmPC's hepatic text was NOT FOUND: not computed, named.
    let eu = d(1.51, &Guideline::default().with_jurisdiction(Jurisdiction::Eu));
    assert_eq!(eu.amount_for(1, 1), Some(2.34));
    assert!(eu.adjustments[0].rule.contains("NOT FOUND"));
}

#[test]
fn dexamethasone_age_cut_off_and_comparator_are_per_regimen() {
    let dex = |age: u16, regimen: &str| {
        let pt = p(&format!(r#"{{"age_years":{age},"height_cm":170,"weight_kg":70}}"#));
        let d = doses_of(&pt, &Guideline::default(), regimen);
        d.into_iter().find(|d| d.drug == myeloma_pathway::drugs::Drug::Dexamethasone).unwrap()
    };
    // Rd: "> 75" (Revlimid USPI).
    assert_eq!(dex(75, "rd").amount_for(1, 1), Some(40.0));
    assert_eq!(dex(76, "rd").amount_for(1, 1), Some(20.0));
    // DPd (APOLLO): "≥ 75".
    assert_eq!(dex(74, "dpd").amount_for(1, 1), Some(40.0));
    assert_eq!(dex(75, "dpd").amount_for(1, 1), Some(20.0));
    // DKd (CANDOR): ≥ 75, from week 2.
    let k = dex(75, "dkd");
    assert_eq!(k.amount_for(1, 1), Some(40.0));
    assert_eq!(k.amount_for(1, 8), Some(20.0));
    // DRd (MAIA trial-group abstract, V1, session 8): "> 75".
    assert_eq!(dex(75, "drd").amount_for(1, 1), Some(40.0));
    assert_eq!(dex(76, "drd").amount_for(1, 1), Some(20.0));
    // VRd: no age rule is verified: the dose stays as written, with the gap named.
    let m = dex(80, "vrd");
    assert_eq!(m.amount_for(1, 1), Some(20.0));
    assert!(m.adjustments.iter().any(|a| a.code == "age_reduction_not_verified"));
}

#[test]
fn zoledronic_acid_follows_the_zometa_crcl_table_with_60_in_the_50_to_60_row() {
    for (c, d) in [
        (60.1, Some(4.0)),
        (60.0, Some(3.5)),
        (50.0, Some(3.5)),
        (49.9, Some(3.3)),
        (40.0, Some(3.3)),
        (39.9, Some(3.0)),
        (30.0, Some(3.0)),
        (29.9, None),
    ] {
        assert_eq!(zoledronic_acid_mg(c), d, "{c}");
    }
}

fn fit60() -> Patient {
    Patient::from_json(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap()
}

#[test]
fn calendar_administrations_per_cycle_equal_the_regimen_definition() {
    let g = Guideline::default();
    for r in kb().regimens() {
        if !r.step_up.is_empty() {
            continue;
        }
        let n = planned_cycles(r).unwrap_or(8).min(30);
        let cal =
            expand(kb(), &fit60(), &g, r, date("2026-12-07"), Some(n).filter(|_| planned_cycles(r).is_none())).unwrap();
        let every_other = cal.doses.iter().any(|d| d.every_other_day());
        if every_other {
            continue;
        }
        for c in 1..=cal.cycles {
            let got = cal.administrations.iter().filter(|a| a.cycle == c).count();
            assert_eq!(got, administrations_in_cycle(r, c), "{} cycle {c}", r.id);
        }
    }
}

#[test]
fn twenty_four_months_of_28_day_ixazomib_is_26_cycles() {
    assert_eq!(fixed_duration_cycles(24, 28), 26);
    assert_eq!(fixed_duration_cycles(24, 14), 52);
    let r = kb().regimen("ixazomib-maintenance").unwrap();
    assert_eq!(planned_cycles(r), Some(26));
    let cal = expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), None).unwrap();
    assert_eq!(cal.cycles, 26);
    // Cycle 5 day 1 = start + 4 × 28 days; 4 mg from cycle 5.
    let c5 = cal.administrations.iter().find(|a| a.cycle == 5).unwrap();
    assert_eq!((c5.date.as_str(), c5.dose.as_str()), ("2027-03-29", "4 mg"));
}

#[test]
fn daratumumab_is_weekly_in_cycles_1_2_every_two_weeks_in_3_6_then_every_four_weeks() {
    let r = kb().regimen("drd").unwrap();
    let cal = expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), Some(8)).unwrap();
    let dara = |c: u16| {
        cal.administrations
            .iter()
            .filter(|a| a.cycle == c && a.drug == myeloma_pathway::drugs::Drug::DaratumumabIv)
            .map(|a| a.day)
            .collect::<Vec<_>>()
    };
    assert_eq!(dara(2), [1, 8, 15, 22]);
    assert_eq!(dara(3), [1, 15]);
    assert_eq!(dara(6), [1, 15]);
    assert_eq!(dara(7), [1]);
}

#[test]
fn teclistamab_step_up_follows_the_jurisdictions_days_then_weekly_one_week_after_the_first_treatment_dose() {
    let r = kb().regimen("teclistamab").unwrap();
    let days = |j: Jurisdiction| {
        let g = Guideline::default().with_jurisdiction(j);
        let cal = expand(kb(), &fit60(), &g, r, date("2026-12-07"), Some(3)).unwrap();
        cal.administrations.iter().map(|a| a.date.clone()).collect::<Vec<_>>()
    };
    // US: D1, D4, D7, then D14, D21.
    assert_eq!(days(Jurisdiction::Us), ["2026-12-07", "2026-12-10", "2026-12-13", "2026-12-20", "2026-12-27"]);
    // EU: D1, D3, D5, then D12, D19.
    assert_eq!(days(Jurisdiction::Eu), ["2026-12-07", "2026-12-09", "2026-12-11", "2026-12-18", "2026-12-25"]);
}

#[test]
fn calendar_ics_has_one_all_day_event_per_administration_with_crlf_lines() {
    let r = kb().regimen("vrd").unwrap();
    let cal = expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), None).unwrap();
    let ics = cal.to_ics();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), cal.administrations.len());
    assert!(ics.contains("DTSTART;VALUE=DATE:20261207\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'));
}

#[test]
fn an_until_progression_calendar_needs_a_number_of_cycles() {
    let r = kb().regimen("rd").unwrap();
    assert!(expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), None).is_err());
    assert!(expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), Some(0)).is_err());
    assert!(expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), Some(201)).is_err());
}

#[test]
fn every_offered_option_carries_a_dose_per_component() {
    for f in [
        include_str!("../../../../examples/patients/fit-60-standard-risk.json"),
        include_str!("../../../../examples/patients/78-year-old-transplant-ineligible.json"),
        include_str!("../../../../examples/patients/relapse-on-lenalidomide-maintenance.json"),
    ] {
        let plan = recommend(&Patient::from_json(f).unwrap(), &Guideline::default()).unwrap();
        for o in &plan.options {
            // One dose per schedule line (the setting's own components where its course has them).
            assert_eq!(o.doses.len(), o.schedule.len(), "{}", o.regimen_id);
            assert!(o.doses.iter().all(|d| !d.arithmetic.is_empty()));
        }
    }
}

#[test]
fn the_plan_does_not_apply_the_25_mg_table_to_lenalidomide_maintenance() {
    let mut r = myeloma_pathway::PatientRecord::from_json(include_str!(
        "../../../../examples/patients/fit-60-t414-after-transplant.json"
    ))
    .unwrap();
    r.labs.as_mut().unwrap().creatinine_clearance_ml_min = Some(38.0);
    let plan = recommend(&r.validate().unwrap(), &Guideline::default()).unwrap();
    for o in plan.options.iter().filter(|o| o.regimen_id == "len-maintenance" || o.regimen_id == "dr-maintenance") {
        assert!(o.schedule.iter().all(|s| !s.contains("renal dose")), "{}", o.regimen_id);
    }
    assert!(plan.warnings.iter().all(|w| w.code != "lenalidomide_renal_dose"));
}

#[test]
fn once_weekly_kd_steps_up_from_20_on_c1_d1_to_70_mg_m2_on_d8_d15_then_d1_8_15() {
    // A.R.R.O.W. (KB `arrow`) and the US PI §2 table "Kd … 20/70 mg/m2 once weekly"
    // (`kyprolis-kd-weekly-dosing`). fit-60: 178 cm × 80 kg, Mosteller √(14240/3600) = 1.9889 → 1.99 m²:
    // 20 mg/m² × 1.99 = 39.8 mg; 70 mg/m² × 1.99 = 139.3 mg. Dexamethasone 40 mg D1, 8, 15, 22 in
    // cycles 1–8, D1, 8, 15 from cycle 9 (registry arm text).
    use myeloma_pathway::drugs::Drug;
    let r = kb().regimen("kd-weekly").unwrap();
    let cal = expand(kb(), &fit60(), &Guideline::default(), r, date("2026-12-07"), Some(10)).unwrap();
    let k = |c: u16| {
        cal.administrations
            .iter()
            .filter(|a| a.cycle == c && a.drug == Drug::Carfilzomib)
            .map(|a| (a.day, a.date.as_str(), a.dose.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(k(1), [(1, "2026-12-07", "39.8 mg"), (8, "2026-12-14", "139.3 mg"), (15, "2026-12-21", "139.3 mg")]);
    // Cycle 2 day 1 = start + 28 days.
    assert_eq!(k(2), [(1, "2027-01-04", "139.3 mg"), (8, "2027-01-11", "139.3 mg"), (15, "2027-01-18", "139.3 mg")]);
    let d = cal.doses.iter().find(|d| d.drug == Drug::Carfilzomib && d.amount == Some(139.3)).unwrap();
    assert_eq!(d.arithmetic, "70 mg/m² × 1.99 m² = 139.3 mg");
    let dex = |c: u16| {
        cal.administrations
            .iter()
            .filter(|a| a.cycle == c && a.drug == Drug::Dexamethasone)
            .map(|a| a.day)
            .collect::<Vec<_>>()
    };
    assert_eq!(dex(8), [1, 8, 15, 22]);
    assert_eq!(dex(9), [1, 8, 15]);
    assert!(cal.administrations.iter().filter(|a| a.drug == Drug::Dexamethasone).all(|a| a.dose == "40 mg"));
}

#[test]
fn the_text_dose_line_shows_the_dose_in_force_after_an_adjustment_for_every_administration() {
    // Session 8: `amount` is the dose before adjustments; a pharmacist reading the text line saw
    // "flat dose: 25 mg" for a dialysis patient whose lenalidomide is 5 mg. The line now ends with
    // the dose in force when an adjustment lowers it for every administration.
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap();
    v["labs"]["creatinine"] = serde_json::json!({"value": 6.5, "unit": "mg/dL"});
    v["organ_function"]["on_dialysis"] = serde_json::json!(true);
    let p = recommend(&Patient::from_json(&v.to_string()).unwrap(), &Guideline::default()).unwrap();
    let text = p.to_text();
    assert!(
        text.contains(
            "dose: lenalidomide every cycle: flat dose: 25 mg → 5 mg once daily, after dialysis on dialysis days for this patient (after lenalidomide_renal)"
        ),
        "{text}"
    );
    // No adjustment, no tail.
    assert!(text.contains("dose: dexamethasone every cycle: flat dose: 20 mg\n"), "{text}");
}
