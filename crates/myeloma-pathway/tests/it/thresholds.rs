//! Every numeric threshold of the assessments (labs, ISS/R-ISS/R2-ISS, risk definitions, frailty,
//! eligibility, IMWG 2014 diagnosis, 20/2/20) at the threshold, one laboratory-precision step
//! below and one above, in every accepted unit; plus property tests for monotone staging, unit
//! invariance and "unknown is never negative".
//!
//! Expected values come from the primary sources cited in the knowledge base (the clinical
//! reference section is in each test's comment), never from the program's output.

use crate::kb;
use myeloma_pathway::diagnosis::{self, DiagnosisClass, ItemState, SmmRiskGroup};
use myeloma_pathway::fitness::{self, Eligibility, FrailtyCategory};
use myeloma_pathway::risk::{self, Del17pCutoff, RiskDefinition, RiskLevel};
use myeloma_pathway::staging::{self, IssStage, R2IssStage, RIssStage};
use myeloma_pathway::{api, Guideline, Patient};
use proptest::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn q(value: f64, unit: &str) -> Value {
    json!({"value": value, "unit": unit})
}

fn patient(v: &Value) -> Patient {
    Patient::from_json(&v.to_string()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

/// Set `path` (dotted) in a JSON object, creating objects on the way; `Value::Null` removes it.
fn set(mut v: Value, path: &str, x: Value) -> Value {
    let parts: Vec<&str> = path.split('.').collect();
    let mut cur = &mut v;
    for k in &parts[..parts.len() - 1] {
        cur = cur.as_object_mut().unwrap().entry(k.to_string()).or_insert_with(|| json!({}));
    }
    let last = parts[parts.len() - 1];
    if x.is_null() {
        cur.as_object_mut().unwrap().remove(last);
    } else {
        cur.as_object_mut().unwrap().insert(last.to_string(), x);
    }
    v
}

fn with(v: &Value, path: &str, x: Value) -> Patient {
    patient(&set(v.clone(), path, x))
}

fn fish(pairs: &[(&str, &str)]) -> Value {
    Value::Array(pairs.iter().map(|(a, s)| json!({"abnormality": a, "status": s})).collect())
}

/// A full FISH panel, everything not detected except `detected`.
fn panel(detected: &[&str]) -> Value {
    let all = ["del_17p", "t_4_14", "t_14_16", "t_14_20", "gain_1q", "del_1p32"];
    Value::Array(
        all.iter()
            .map(
                |a| json!({"abnormality": a, "status": if detected.contains(a) { "detected" } else { "not_detected" }}),
            )
            .collect(),
    )
}

fn staged(b2m: f64, alb: Value, ldh: f64, cyto: Value) -> Patient {
    patient(&json!({
        "labs": {
            "beta2_microglobulin": q(b2m, "mg/L"),
            "albumin": alb,
            "ldh": q(ldh, "U/L"),
            "ldh_upper_limit_of_normal": q(250.0, "U/L"),
        },
        "cytogenetics": cyto,
    }))
}

fn iss_of(b2m: f64, alb: Value) -> Option<IssStage> {
    staging::iss(kb(), &staged(b2m, alb, 200.0, panel(&[]))).stage
}

fn missing_fields(m: &[myeloma_pathway::missing::MissingInput]) -> Vec<String> {
    m.iter().map(|x| x.field.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// Laboratory units and plausibility (docs/clinical-basis.md, Units; issue 3 "Typed laboratory values")
// ---------------------------------------------------------------------------------------------

#[test]
fn two_mg_dl_creatinine_is_176_8_umol_l_not_177() {
    use myeloma_pathway::labs::{Creatinine, LabValue};
    let a = LabValue::<Creatinine>::new("c", 2.0, "mg/dL").unwrap();
    let b = LabValue::<Creatinine>::new("c", 176.8, "µmol/L").unwrap();
    let c = LabValue::<Creatinine>::new("c", 177.0, "µmol/L").unwrap();
    assert_eq!(a.canonical(), b.canonical());
    assert!(c.canonical() > a.canonical());
}

#[test]
fn albumin_3_5_g_dl_is_35_g_l_and_haemoglobin_10_g_dl_is_100_g_l() {
    use myeloma_pathway::labs::{Albumin, Hemoglobin, LabValue};
    assert_eq!(
        LabValue::<Albumin>::new("a", 3.5, "g/dL").unwrap().canonical(),
        LabValue::<Albumin>::new("a", 35.0, "g/L").unwrap().canonical()
    );
    assert_eq!(LabValue::<Hemoglobin>::new("h", 10.0, "g/dL").unwrap().canonical(), 100.0);
}

#[test]
fn calcium_2_75_mmol_l_is_11_022_mg_dl_and_11_mg_dl_is_below_it() {
    use myeloma_pathway::labs::{Calcium, LabValue};
    let a = LabValue::<Calcium>::new("c", 11.022, "mg/dL").unwrap();
    assert_eq!(a.canonical(), 2.75);
    assert!(LabValue::<Calcium>::new("c", 11.0, "mg/dL").unwrap().canonical() < 2.75);
}

#[test]
fn free_light_chain_100_mg_l_is_10_mg_dl_and_m_protein_30_g_l_is_3_g_dl() {
    use myeloma_pathway::labs::{FreeLightChain, LabValue, SerumMProtein};
    assert_eq!(LabValue::<FreeLightChain>::new("f", 10.0, "mg/dL").unwrap().canonical(), 100.0);
    assert_eq!(LabValue::<SerumMProtein>::new("m", 30.0, "g/L").unwrap().canonical(), 3.0);
}

#[test]
fn creatinine_plausibility_limits_are_refused_one_step_outside_in_both_units() {
    for (v, u, ok) in [
        (0.1, "mg/dL", true),
        (0.09, "mg/dL", false),
        (25.0, "mg/dL", true),
        (25.01, "mg/dL", false),
        (8.84, "µmol/L", true),
        (8.83, "µmol/L", false),
        (2210.0, "µmol/L", true),
        (2211.0, "µmol/L", false),
    ] {
        let r = Patient::from_json(&json!({"labs": {"creatinine": q(v, u)}}).to_string());
        assert_eq!(r.is_ok(), ok, "creatinine {v} {u}");
        if let Err(e) = r {
            assert_eq!(e.field(), Some("labs.creatinine.value"));
            assert_eq!(e.unit(), Some(u));
        }
    }
}

#[test]
fn age_18_and_120_are_accepted_and_17_121_and_250_are_refused() {
    for (age, ok) in [(18, true), (17, false), (120, true), (121, false), (250, false)] {
        let r = Patient::from_json(&json!({"age_years": age}).to_string());
        assert_eq!(r.is_ok(), ok, "age {age}");
        if let Err(e) = r {
            assert_eq!(e.field(), Some("age_years"));
        }
    }
}

#[test]
fn a_unit_the_analyte_does_not_accept_is_refused_naming_the_accepted_units() {
    let e = Patient::from_json(&json!({"labs": {"albumin": q(3.5, "mg/dL")}}).to_string()).unwrap_err();
    assert_eq!(e.kind(), "unsupported_unit");
    assert_eq!(e.field(), Some("labs.albumin.unit"));
    let e = Patient::from_json(&json!({"labs": {"beta2_microglobulin": q(3.0, "ug/mL")}}).to_string()).unwrap_err();
    assert_eq!(e.kind(), "unsupported_unit");
}

#[test]
fn a_misspelt_lab_key_is_refused_not_ignored() {
    let e = Patient::from_json(&json!({"labs": {"albumin_g_dL": q(3.5, "g/dL")}}).to_string()).unwrap_err();
    assert_eq!(e.kind(), "invalid_json");
    assert_eq!(e.field(), Some("labs.albumin_g_dL"));
}

// ---------------------------------------------------------------------------------------------
// ISS (`iss-2005`): I = β2M < 3.5 mg/L and albumin ≥ 3.5 g/dL; III = β2M ≥ 5.5 mg/L
// ---------------------------------------------------------------------------------------------

#[test]
fn iss_stage_i_needs_beta2m_strictly_below_3_5_mg_l() {
    let alb = q(4.0, "g/dL");
    assert_eq!(iss_of(3.4, alb.clone()), Some(IssStage::I));
    assert_eq!(iss_of(3.49, alb.clone()), Some(IssStage::I));
    assert_eq!(iss_of(3.5, alb.clone()), Some(IssStage::II));
    assert_eq!(iss_of(3.6, alb), Some(IssStage::II));
}

#[test]
fn iss_stage_iii_is_beta2m_at_least_5_5_mg_l_and_the_values_between_have_a_stage() {
    let alb = q(4.0, "g/dL");
    assert_eq!(iss_of(5.4, alb.clone()), Some(IssStage::II));
    assert_eq!(iss_of(5.45, alb.clone()), Some(IssStage::II));
    assert_eq!(iss_of(5.49, alb.clone()), Some(IssStage::II));
    assert_eq!(iss_of(5.5, alb.clone()), Some(IssStage::III));
    assert_eq!(iss_of(5.6, alb), Some(IssStage::III));
}

#[test]
fn iss_stage_i_needs_albumin_at_least_3_5_g_dl_equal_to_35_g_l() {
    for (alb, want) in [
        (q(3.5, "g/dL"), IssStage::I),
        (q(3.4, "g/dL"), IssStage::II),
        (q(3.6, "g/dL"), IssStage::I),
        (q(35.0, "g/L"), IssStage::I),
        (q(34.0, "g/L"), IssStage::II),
        (q(36.0, "g/L"), IssStage::I),
    ] {
        assert_eq!(iss_of(3.4, alb.clone()), Some(want), "albumin {alb}");
    }
}

#[test]
fn iss_stage_iii_does_not_depend_on_albumin() {
    for alb in [q(2.0, "g/dL"), q(3.5, "g/dL"), q(50.0, "g/L")] {
        assert_eq!(iss_of(5.5, alb), Some(IssStage::III));
    }
    let p = patient(&json!({"labs": {"beta2_microglobulin": q(5.5, "mg/L")}}));
    let s = staging::iss(kb(), &p);
    assert_eq!(s.stage, Some(IssStage::III));
    assert!(s.missing_inputs.is_empty(), "albumin cannot change stage III");
}

#[test]
fn iss_without_albumin_and_beta2m_below_3_5_is_not_computable_and_names_albumin() {
    let p = patient(&json!({"labs": {"beta2_microglobulin": q(3.4, "mg/L")}}));
    let s = staging::iss(kb(), &p);
    assert_eq!(s.stage, None);
    assert_eq!(missing_fields(&s.missing_inputs), vec!["labs.albumin"]);
}

#[test]
fn iss_without_beta2m_is_not_computable_and_names_it_never_zero() {
    let p = patient(&json!({"labs": {"albumin": q(4.0, "g/dL")}}));
    let s = staging::iss(kb(), &p);
    assert_eq!(s.stage, None);
    assert!(missing_fields(&s.missing_inputs).contains(&"labs.beta2_microglobulin".to_string()));
}

// ---------------------------------------------------------------------------------------------
// R-ISS (`r-iss-2015`): I = ISS I and standard-risk CA and normal LDH; III = ISS III and (high-risk CA
// or high LDH); high-risk CA = del(17p), t(4;14), t(14;16); high LDH = above the ULN.
// ---------------------------------------------------------------------------------------------

fn riss(b2m: f64, ldh: f64, detected: &[&str]) -> Option<RIssStage> {
    staging::r_iss(kb(), &staged(b2m, q(4.0, "g/dL"), ldh, panel(detected))).stage
}

#[test]
fn r_iss_iii_needs_iss_iii_and_either_high_risk_ca_or_high_ldh_not_both() {
    assert_eq!(riss(6.0, 200.0, &[]), Some(RIssStage::II), "ISS III alone is not R-ISS III");
    assert_eq!(riss(6.0, 200.0, &["del_17p"]), Some(RIssStage::III));
    assert_eq!(riss(6.0, 300.0, &[]), Some(RIssStage::III), "high LDH alone suffices");
    assert_eq!(riss(6.0, 300.0, &["t_4_14"]), Some(RIssStage::III));
    assert_eq!(riss(4.0, 300.0, &["t_14_16"]), Some(RIssStage::II), "ISS II is never R-ISS III");
}

#[test]
fn r_iss_i_needs_iss_i_standard_risk_ca_and_normal_ldh() {
    assert_eq!(riss(3.0, 200.0, &[]), Some(RIssStage::I));
    assert_eq!(riss(3.0, 300.0, &[]), Some(RIssStage::II));
    assert_eq!(riss(3.0, 200.0, &["t_4_14"]), Some(RIssStage::II));
    assert_eq!(riss(3.0, 200.0, &["t_14_16"]), Some(RIssStage::II));
}

#[test]
fn r_iss_high_ldh_means_strictly_above_the_upper_limit_of_normal() {
    assert_eq!(riss(6.0, 250.0, &[]), Some(RIssStage::II), "LDH at the ULN is normal");
    assert_eq!(riss(6.0, 251.0, &[]), Some(RIssStage::III));
    assert_eq!(riss(6.0, 249.0, &[]), Some(RIssStage::II));
    assert_eq!(riss(3.0, 250.0, &[]), Some(RIssStage::I));
    assert_eq!(riss(3.0, 251.0, &[]), Some(RIssStage::II));
}

#[test]
fn r_iss_high_risk_ca_is_del17p_t4_14_t14_16_and_not_t14_20_or_gain_1q() {
    assert_eq!(riss(6.0, 200.0, &["t_14_20"]), Some(RIssStage::II));
    assert_eq!(riss(6.0, 200.0, &["gain_1q"]), Some(RIssStage::II));
    assert_eq!(riss(3.0, 200.0, &["t_14_20", "gain_1q"]), Some(RIssStage::I));
}

#[test]
fn r_iss_without_ldh_at_iss_i_is_not_computable_and_names_ldh() {
    let p = patient(
        &json!({"labs": {"beta2_microglobulin": q(3.0, "mg/L"), "albumin": q(4.0, "g/dL")}, "cytogenetics": panel(&[])}),
    );
    let r = staging::r_iss(kb(), &p);
    assert_eq!(r.stage, None);
    assert!(missing_fields(&r.missing_inputs).contains(&"labs.ldh".to_string()));
}

#[test]
fn r_iss_iii_with_high_risk_ca_does_not_need_ldh() {
    let p = patient(&json!({"labs": {"beta2_microglobulin": q(6.0, "mg/L")}, "cytogenetics": panel(&["del_17p"])}));
    assert_eq!(staging::r_iss(kb(), &p).stage, Some(RIssStage::III));
}

#[test]
fn r_iss_untested_high_risk_probe_is_reported_by_name() {
    let cyto = fish(&[("del_17p", "not_detected"), ("t_4_14", "not_detected")]);
    let p = staged(3.0, q(4.0, "g/dL"), 200.0, cyto);
    let r = staging::r_iss(kb(), &p);
    assert_eq!(r.stage, None);
    assert!(missing_fields(&r.missing_inputs).contains(&"cytogenetics.t_14_16".to_string()));
}

// ---------------------------------------------------------------------------------------------
// R2-ISS (`r2-iss-2022`): ISS II 1, ISS III 1.5, del(17p) 1, high LDH 1, t(4;14) 1, 1q+ 0.5;
// I = 0, II = 0.5–1, III = 1.5–2.5, IV = 3–5.
// ---------------------------------------------------------------------------------------------

fn r2(b2m: f64, ldh: f64, detected: &[&str]) -> (Option<R2IssStage>, Option<f64>) {
    let r = staging::r2_iss(kb(), &staged(b2m, q(4.0, "g/dL"), ldh, panel(detected)));
    (r.staging.stage, r.points)
}

#[test]
fn r2_iss_gives_1q_gain_half_a_point() {
    assert_eq!(r2(3.0, 200.0, &["gain_1q"]), (Some(R2IssStage::II), Some(0.5)));
}

#[test]
fn r2_iss_with_no_risk_factor_is_group_i_at_zero_points() {
    assert_eq!(r2(3.0, 200.0, &[]), (Some(R2IssStage::I), Some(0.0)));
}

#[test]
fn r2_iss_gives_iss_ii_one_point_and_iss_iii_one_and_a_half() {
    assert_eq!(r2(4.0, 200.0, &[]), (Some(R2IssStage::II), Some(1.0)));
    assert_eq!(r2(6.0, 200.0, &[]), (Some(R2IssStage::III), Some(1.5)));
}

#[test]
fn r2_iss_gives_del17p_t4_14_and_high_ldh_one_point_each() {
    assert_eq!(r2(3.0, 200.0, &["del_17p"]).1, Some(1.0));
    assert_eq!(r2(3.0, 200.0, &["t_4_14"]).1, Some(1.0));
    assert_eq!(r2(3.0, 251.0, &[]).1, Some(1.0));
    assert_eq!(r2(3.0, 250.0, &[]).1, Some(0.0), "LDH at the ULN scores nothing");
}

#[test]
fn r2_iss_does_not_score_t14_16_or_t14_20() {
    assert_eq!(r2(3.0, 200.0, &["t_14_16", "t_14_20"]), (Some(R2IssStage::I), Some(0.0)));
}

#[test]
fn r2_iss_group_boundaries_are_1_point_2_5_points_and_3_points() {
    assert_eq!(r2(4.0, 200.0, &[]).0, Some(R2IssStage::II), "1 point");
    assert_eq!(r2(3.0, 200.0, &["del_17p", "gain_1q"]).0, Some(R2IssStage::III), "1.5 points");
    assert_eq!(r2(6.0, 200.0, &["del_17p"]), (Some(R2IssStage::III), Some(2.5)));
    assert_eq!(r2(4.0, 200.0, &["del_17p", "t_4_14"]), (Some(R2IssStage::IV), Some(3.0)));
    assert_eq!(r2(6.0, 251.0, &["del_17p", "t_4_14", "gain_1q"]), (Some(R2IssStage::IV), Some(5.0)));
}

#[test]
fn r2_iss_needs_every_input_and_names_the_missing_one_never_zero() {
    let cyto = fish(&[("del_17p", "not_detected"), ("t_4_14", "not_detected")]);
    let r = staging::r2_iss(kb(), &staged(3.0, q(4.0, "g/dL"), 200.0, cyto));
    assert_eq!(r.staging.stage, None);
    assert_eq!(r.points, None);
    assert_eq!(missing_fields(&r.staging.missing_inputs), vec!["cytogenetics.gain_1q"]);
}

/// β2-microglobulin missing, albumin `alb` g/dL, LDH `ldh` U/L (ULN 250), a full negative FISH panel.
fn without_beta2m(alb: f64, ldh: f64) -> Patient {
    patient(&json!({
        "labs": {"albumin": q(alb, "g/dL"), "ldh": q(ldh, "U/L"), "ldh_upper_limit_of_normal": q(250.0, "U/L")},
        "cytogenetics": panel(&[]),
    }))
}

// ISS I is β2M < 3.5 mg/L *and* albumin ≥ 3.5 g/dL (`iss-2005`): albumin of exactly 3.5 g/dL
// does not rule ISS I out, so without β2M the stage is still open from I to III; 3.4 g/dL rules
// it out. Found by mutation testing (docs/safety.md): `albumin < 3.5` read as `≤ 3.5` passed.

#[test]
fn r_iss_without_beta2m_at_albumin_3_5_g_dl_is_not_computable_and_at_3_4_is_ii() {
    // R-ISS I = ISS I + standard-risk CA + normal LDH; III needs ISS III and an adverse finding
    // (`r-iss-2015`): with neither adverse finding, ISS I would make it I, ISS II or III makes it II.
    let at = staging::r_iss(kb(), &without_beta2m(3.5, 200.0));
    assert_eq!(at.stage, None, "ISS I is still possible at albumin 3.5 g/dL");
    assert!(missing_fields(&at.missing_inputs).contains(&"labs.beta2_microglobulin".to_string()));
    assert_eq!(staging::r_iss(kb(), &without_beta2m(3.4, 200.0)).stage, Some(RIssStage::II));
}

#[test]
fn r2_iss_without_beta2m_at_albumin_3_5_g_dl_is_not_computable_and_at_3_4_is_iii_with_high_ldh() {
    // High LDH 1 point; the ISS part adds 0 (I) to 1.5 (III): 1 to 2.5 points spans groups II
    // and III. Below 3.5 g/dL it adds 1 (II) or 1.5 (III): 2 to 2.5 points, group III either way.
    let at = staging::r2_iss(kb(), &without_beta2m(3.5, 251.0));
    assert_eq!((at.staging.stage, at.points), (None, None), "ISS I is still possible at albumin 3.5 g/dL");
    assert!(at.staging.breakdown.iter().any(|b| b.contains("ISS not known: 0 to +1.5")), "{:?}", at.staging.breakdown);
    let below = staging::r2_iss(kb(), &without_beta2m(3.4, 251.0));
    assert_eq!(below.staging.stage, Some(R2IssStage::III));
    assert!(below.staging.breakdown.iter().any(|b| b.contains("ISS II or III")), "{:?}", below.staging.breakdown);
}

// ---------------------------------------------------------------------------------------------
// Risk definitions (`imwg-2016-risk`, `msmart-3`, `ims-imwg-2025`)
// ---------------------------------------------------------------------------------------------

fn level(def: RiskDefinition, v: &Value) -> RiskLevel {
    risk::assess(kb(), &patient(v), def, Del17pCutoff::Above20).level
}

fn cyto_only(detected: &[&str]) -> Value {
    json!({"cytogenetics": panel(detected), "labs": {"beta2_microglobulin": q(3.0, "mg/L"), "creatinine": q(1.0, "mg/dL")}})
}

#[test]
fn t4_14_alone_is_high_risk_under_the_article_imwg_2016_and_msmart_but_not_ims_2025() {
    let v = cyto_only(&["t_4_14"]);
    assert_eq!(level(RiskDefinition::Article, &v), RiskLevel::High);
    assert_eq!(level(RiskDefinition::Imwg2016, &v), RiskLevel::High);
    assert_eq!(level(RiskDefinition::Msmart3, &v), RiskLevel::High);
    assert_ne!(level(RiskDefinition::Ims2025, &v), RiskLevel::High);
}

#[test]
fn t4_14_with_gain_1q_is_high_risk_under_ims_2025() {
    assert_eq!(level(RiskDefinition::Ims2025, &cyto_only(&["t_4_14", "gain_1q"])), RiskLevel::High);
}

#[test]
fn t14_20_is_high_risk_under_imwg_2016_and_msmart_3() {
    let v = cyto_only(&["t_14_20"]);
    assert_eq!(level(RiskDefinition::Imwg2016, &v), RiskLevel::High);
    assert_eq!(level(RiskDefinition::Msmart3, &v), RiskLevel::High);
}

#[test]
fn t14_20_with_gain_1q_is_high_risk_under_ims_2025() {
    assert_eq!(level(RiskDefinition::Ims2025, &cyto_only(&["t_14_20", "gain_1q"])), RiskLevel::High);
    assert_eq!(level(RiskDefinition::Ims2025, &cyto_only(&["t_14_20", "del_1p32"])), RiskLevel::High);
}

#[test]
fn gain_1q_alone_is_high_risk_under_the_article_and_imwg_2016_but_not_ims_2025() {
    let v = cyto_only(&["gain_1q"]);
    assert_eq!(level(RiskDefinition::Article, &v), RiskLevel::High);
    assert_eq!(level(RiskDefinition::Imwg2016, &v), RiskLevel::High);
    assert_ne!(level(RiskDefinition::Ims2025, &v), RiskLevel::High);
}

#[test]
fn an_untested_probe_makes_risk_undetermined_never_standard() {
    let v = json!({"cytogenetics": fish(&[("del_17p", "not_detected"), ("gain_1q", "not_detected")])});
    assert_eq!(level(RiskDefinition::Article, &v), RiskLevel::Undetermined);
    let a = risk::assess(kb(), &patient(&v), RiskDefinition::Article, Del17pCutoff::Above20);
    assert!(missing_fields(&a.missing_inputs).contains(&"cytogenetics.t_4_14".to_string()));
}

#[test]
fn ims_2025_del17p_at_20_percent_depends_on_the_callers_comparator() {
    let v = |ccf: f64| {
        patient(&json!({"cytogenetics": [
            {"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": ccf},
            {"abnormality": "t_4_14", "status": "not_detected"}, {"abnormality": "t_14_16", "status": "not_detected"},
            {"abnormality": "t_14_20", "status": "not_detected"}, {"abnormality": "gain_1q", "status": "not_detected"},
            {"abnormality": "del_1p32", "status": "not_detected"}],
          "labs": {"beta2_microglobulin": q(3.0, "mg/L"), "creatinine": q(1.0, "mg/dL")}}))
    };
    let l = |ccf, c| risk::assess(kb(), &v(ccf), RiskDefinition::Ims2025, c).level;
    assert_eq!(l(20.0, Del17pCutoff::Above20), RiskLevel::Standard);
    assert_eq!(l(20.1, Del17pCutoff::Above20), RiskLevel::High);
    assert_eq!(l(19.9, Del17pCutoff::Above20), RiskLevel::Standard);
    assert_eq!(l(20.0, Del17pCutoff::AtLeast20), RiskLevel::High);
    assert_eq!(l(19.9, Del17pCutoff::AtLeast20), RiskLevel::Standard);
    assert_eq!(l(20.1, Del17pCutoff::AtLeast20), RiskLevel::High);
}

fn ims_b2m(b2m: f64, cr: Value) -> RiskLevel {
    let v = json!({"cytogenetics": panel(&[]), "labs": {"beta2_microglobulin": q(b2m, "mg/L"), "creatinine": cr}});
    level(RiskDefinition::Ims2025, &v)
}

#[test]
fn ims_2025_beta2m_at_least_5_5_with_creatinine_below_1_2_mg_dl_is_high_risk() {
    assert_eq!(ims_b2m(5.5, q(1.1, "mg/dL")), RiskLevel::High);
    assert_eq!(ims_b2m(5.4, q(1.1, "mg/dL")), RiskLevel::Standard);
    assert_eq!(ims_b2m(5.6, q(1.1, "mg/dL")), RiskLevel::High);
}

#[test]
fn ims_2025_beta2m_criterion_fails_at_creatinine_1_2_mg_dl_equal_to_106_08_umol_l() {
    assert_eq!(ims_b2m(5.5, q(1.2, "mg/dL")), RiskLevel::Standard);
    assert_eq!(ims_b2m(5.5, q(1.19, "mg/dL")), RiskLevel::High);
    assert_eq!(ims_b2m(5.5, q(1.21, "mg/dL")), RiskLevel::Standard);
    assert_eq!(ims_b2m(5.5, q(106.08, "µmol/L")), RiskLevel::Standard);
    assert_eq!(ims_b2m(5.5, q(106.0, "µmol/L")), RiskLevel::High);
    assert_eq!(ims_b2m(5.5, q(107.0, "µmol/L")), RiskLevel::Standard);
}

#[test]
fn ims_2025_reports_tp53_as_not_assessable_rather_than_negative() {
    let a = risk::assess(kb(), &patient(&cyto_only(&[])), RiskDefinition::Ims2025, Del17pCutoff::Above20);
    assert_eq!(a.level, RiskLevel::Standard);
    assert!(!a.not_assessable.is_empty());
}

#[test]
fn msmart_3_counts_r_iss_iii_as_high_risk() {
    let p = staged(6.0, q(4.0, "g/dL"), 300.0, panel(&[]));
    assert_eq!(risk::assess(kb(), &p, RiskDefinition::Msmart3, Del17pCutoff::Above20).level, RiskLevel::High);
    // Without a hyperdiploidy result, IMWG 2016 (which counts non-hyperdiploidy) is undetermined.
    let imwg = risk::assess(kb(), &p, RiskDefinition::Imwg2016, Del17pCutoff::Above20);
    assert_eq!(imwg.level, RiskLevel::Undetermined);
    assert!(imwg.missing_inputs.iter().any(|m| m.field == "cytogenetics.hyperdiploidy"));
}

fn with_hyperdiploidy(status: &str) -> Value {
    let mut v = cyto_only(&[]);
    v["cytogenetics"].as_array_mut().unwrap().push(json!({"abnormality": "hyperdiploidy", "status": status}));
    v
}

#[test]
fn imwg_2016_counts_non_hyperdiploidy_as_high_risk() {
    assert_eq!(level(RiskDefinition::Imwg2016, &with_hyperdiploidy("not_detected")), RiskLevel::High);
    // The article's definition does not look at ploidy.
    assert_eq!(level(RiskDefinition::Article, &with_hyperdiploidy("not_detected")), RiskLevel::Standard);
}

#[test]
fn imwg_2016_is_standard_risk_for_a_hyperdiploid_clone_without_the_five_lesions() {
    assert_eq!(level(RiskDefinition::Imwg2016, &with_hyperdiploidy("detected")), RiskLevel::Standard);
}

// ---------------------------------------------------------------------------------------------
// Frailty (`imwg-frailty-2015`, `simplified-frailty-2020`): age ≤75 0, 76–80 1, >80 2; Charlson ≤1 0, ≥2 1; ADL >4 0, ≤4 1;
// IADL >5 0, ≤5 1; fit 0, intermediate 1, frail ≥2. Simplified: CCI >1 1; ECOG 0/1/≥2 → 0/1/2.
// ---------------------------------------------------------------------------------------------

fn frail(age: u16, charlson: u8, adl: u8, iadl: u8) -> (Option<u8>, Option<FrailtyCategory>) {
    let p =
        patient(&json!({"age_years": age, "frailty": {"charlson": charlson, "katz_adl": adl, "lawton_iadl": iadl}}));
    let f = fitness::imwg_frailty(kb(), &p);
    (f.points, f.category)
}

#[test]
fn imwg_frailty_age_bands_are_75_or_less_76_to_80_and_over_80() {
    assert_eq!(frail(75, 0, 6, 8).0, Some(0));
    assert_eq!(frail(76, 0, 6, 8).0, Some(1));
    assert_eq!(frail(80, 0, 6, 8).0, Some(1));
    assert_eq!(frail(81, 0, 6, 8).0, Some(2));
    assert_eq!(frail(74, 0, 6, 8).0, Some(0));
}

#[test]
fn imwg_frailty_charlson_2_scores_a_point_and_1_does_not() {
    assert_eq!(frail(60, 1, 6, 8).0, Some(0));
    assert_eq!(frail(60, 2, 6, 8).0, Some(1));
    assert_eq!(frail(60, 0, 6, 8).0, Some(0));
    assert_eq!(frail(60, 3, 6, 8).0, Some(1));
}

#[test]
fn imwg_frailty_adl_4_or_less_scores_a_point_and_5_does_not() {
    assert_eq!(frail(60, 0, 5, 8).0, Some(0));
    assert_eq!(frail(60, 0, 4, 8).0, Some(1));
    assert_eq!(frail(60, 0, 3, 8).0, Some(1));
    assert_eq!(frail(60, 0, 6, 8).0, Some(0));
}

#[test]
fn imwg_frailty_iadl_5_or_less_scores_a_point_and_6_does_not() {
    assert_eq!(frail(60, 0, 6, 6).0, Some(0));
    assert_eq!(frail(60, 0, 6, 5).0, Some(1));
    assert_eq!(frail(60, 0, 6, 4).0, Some(1));
    assert_eq!(frail(60, 0, 6, 7).0, Some(0));
}

#[test]
fn imwg_frailty_is_fit_at_0_intermediate_at_1_and_frail_at_2_or_more() {
    assert_eq!(frail(60, 0, 6, 8), (Some(0), Some(FrailtyCategory::Fit)));
    assert_eq!(frail(60, 2, 6, 8), (Some(1), Some(FrailtyCategory::IntermediateFit)));
    assert_eq!(frail(60, 2, 4, 8), (Some(2), Some(FrailtyCategory::Frail)));
    assert_eq!(frail(81, 0, 6, 8), (Some(2), Some(FrailtyCategory::Frail)));
    assert_eq!(frail(81, 2, 4, 5), (Some(5), Some(FrailtyCategory::Frail)));
}

#[test]
fn imwg_frailty_with_a_missing_item_is_not_computed_and_names_it() {
    let p = patient(&json!({"age_years": 70, "frailty": {"charlson": 0, "katz_adl": 6}}));
    let f = fitness::imwg_frailty(kb(), &p);
    assert_eq!(f.points, None);
    assert_eq!(missing_fields(&f.missing_inputs), vec!["frailty.lawton_iadl"]);
}

fn simple(age: u16, charlson: u8, ecog: u8) -> (Option<u8>, Option<FrailtyCategory>) {
    let f = fitness::simplified_frailty(
        kb(),
        &patient(&json!({"age_years": age, "ecog": ecog, "frailty": {"charlson": charlson}})),
    );
    (f.points, f.category)
}

#[test]
fn simplified_frailty_scores_ecog_0_1_and_2_or_more_as_0_1_and_2() {
    assert_eq!(simple(60, 0, 0).0, Some(0));
    assert_eq!(simple(60, 0, 1).0, Some(1));
    assert_eq!(simple(60, 0, 2).0, Some(2));
    assert_eq!(simple(60, 0, 3).0, Some(2));
    assert_eq!(simple(60, 0, 4).0, Some(2));
}

#[test]
fn simplified_frailty_age_and_charlson_bands_match_the_imwg_score() {
    assert_eq!(simple(75, 1, 0).0, Some(0));
    assert_eq!(simple(76, 1, 0).0, Some(1));
    assert_eq!(simple(80, 1, 0).0, Some(1));
    assert_eq!(simple(81, 1, 0).0, Some(2));
    assert_eq!(simple(60, 2, 0).0, Some(1));
}

#[test]
fn simplified_frailty_is_non_frail_at_0_or_1_and_frail_at_2() {
    assert_eq!(simple(60, 0, 1).1, Some(FrailtyCategory::NonFrail));
    assert_eq!(simple(60, 0, 0).1, Some(FrailtyCategory::NonFrail));
    assert_eq!(simple(60, 2, 1).1, Some(FrailtyCategory::Frail));
}

// ---------------------------------------------------------------------------------------------
// Transplant eligibility (`asct-eligibility`, `organ-gates`; age limit and organ gates are caller choices, default 70 and
// ECOG ≤2, LVEF ≥40%, DLCO ≥50%, bilirubin <2× ULN)
// ---------------------------------------------------------------------------------------------

fn fit_patient() -> Value {
    json!({
        "age_years": 60, "ecog": 0,
        "frailty": {"charlson": 0, "katz_adl": 6, "lawton_iadl": 8},
        "organ_function": {"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6},
    })
}

fn elig(v: &Patient, g: &Guideline) -> Eligibility {
    fitness::transplant_eligibility(kb(), v, g).eligibility
}

#[test]
fn transplant_is_considered_under_the_age_limit_69_yes_70_and_71_no() {
    let g = Guideline::default();
    let base = fit_patient();
    assert_eq!(elig(&with(&base, "age_years", json!(69)), &g), Eligibility::Eligible);
    assert_eq!(elig(&with(&base, "age_years", json!(70)), &g), Eligibility::Ineligible);
    assert_eq!(elig(&with(&base, "age_years", json!(71)), &g), Eligibility::Ineligible);
}

#[test]
fn a_centre_age_limit_of_65_moves_the_boundary_to_64_65() {
    let g = Guideline::default().with_transplant_age_limit_years(65).unwrap();
    let base = fit_patient();
    assert_eq!(elig(&with(&base, "age_years", json!(64)), &g), Eligibility::Eligible);
    assert_eq!(elig(&with(&base, "age_years", json!(65)), &g), Eligibility::Ineligible);
}

#[test]
fn organ_gates_ecog_2_lvef_40_dlco_50_pass_and_one_step_worse_fails() {
    let g = Guideline::default();
    let base = fit_patient();
    for (path, pass, fail) in [
        ("ecog", json!(2), json!(3)),
        ("organ_function.lvef_pct", json!(40), json!(39)),
        ("organ_function.dlco_pct", json!(50), json!(49)),
        ("organ_function.bilirubin_x_uln", json!(1.9), json!(2.0)),
    ] {
        // ECOG 2 makes the simplified score irrelevant here: the IMWG score is complete.
        assert_eq!(elig(&with(&base, path, pass.clone()), &g), Eligibility::Eligible, "{path} {pass}");
        assert_eq!(elig(&with(&base, path, fail.clone()), &g), Eligibility::Ineligible, "{path} {fail}");
    }
}

#[test]
fn a_frail_patient_under_the_age_limit_is_not_transplant_eligible() {
    let v = set(fit_patient(), "frailty", json!({"charlson": 2, "katz_adl": 4, "lawton_iadl": 8}));
    assert_eq!(elig(&patient(&v), &Guideline::default()), Eligibility::Ineligible);
    let v = set(fit_patient(), "frailty", json!({"charlson": 2, "katz_adl": 6, "lawton_iadl": 8}));
    assert_eq!(elig(&patient(&v), &Guideline::default()), Eligibility::Eligible, "intermediate-fit is not frail");
}

#[test]
fn eligibility_with_a_missing_gate_is_undetermined_and_names_it() {
    let v = set(fit_patient(), "organ_function.dlco_pct", Value::Null);
    let a = fitness::transplant_eligibility(kb(), &patient(&v), &Guideline::default());
    assert_eq!(a.eligibility, Eligibility::Undetermined);
    assert_eq!(missing_fields(&a.missing_inputs), vec!["organ_function.dlco_pct"]);
}

// ---------------------------------------------------------------------------------------------
// Creatinine clearance (`cockcroft-gault`): Cockcroft-Gault [(140 − age) × weight] / [72 × SCr mg/dL], × 0.85
// female.
// ---------------------------------------------------------------------------------------------

#[test]
fn cockcroft_gault_is_80_ml_min_at_60_years_72_kg_creatinine_1_mg_dl_in_either_unit() {
    let g = Guideline::default();
    for cr in [q(1.0, "mg/dL"), q(88.4, "µmol/L")] {
        let p = patient(&json!({"age_years": 60, "sex": "male", "weight_kg": 72, "labs": {"creatinine": cr}}));
        assert_eq!(fitness::creatinine_clearance(kb(), &p, &g).unwrap().ml_min, 80.0);
        let p = patient(&json!({"age_years": 60, "sex": "female", "weight_kg": 72, "labs": {"creatinine": cr}}));
        assert_eq!(fitness::creatinine_clearance(kb(), &p, &g).unwrap().ml_min, 68.0);
    }
}

#[test]
fn cockcroft_gault_names_every_missing_input() {
    let p = patient(&json!({"labs": {"creatinine": q(1.0, "mg/dL")}}));
    let m = fitness::creatinine_clearance(kb(), &p, &Guideline::default()).unwrap_err();
    assert_eq!(missing_fields(&m), vec!["age_years", "sex", "weight_kg"]);
}

// ---------------------------------------------------------------------------------------------
// IMWG 2014 diagnosis (`imwg-2014-diagnosis`)
// ---------------------------------------------------------------------------------------------

/// Smouldering myeloma with every item decided: clonal BMPC 15%, M-protein 2 g/dL, no MDE.
fn smm_base() -> Value {
    json!({
        "age_years": 60, "sex": "male", "weight_kg": 80,
        "labs": {
            "calcium": q(2.3, "mmol/L"), "calcium_upper_limit_of_normal": q(2.6, "mmol/L"),
            "creatinine": q(0.9, "mg/dL"), "creatinine_clearance_ml_min": 90,
            "hemoglobin": q(135.0, "g/L"), "hemoglobin_lower_limit_of_normal": q(120.0, "g/L"),
            "bone_marrow_plasma_cells": q(15.0, "%"),
            "serum_m_protein": q(2.0, "g/dL"), "urine_m_protein": q(100.0, "mg/24h"),
            "serum_flc_kappa": q(50.0, "mg/L"), "serum_flc_lambda": q(10.0, "mg/L"),
        },
        "diagnosis": {
            "biopsy_proven_plasmacytoma": false, "osteolytic_lesions": 0, "mri_focal_lesions": 0,
            "crab_attributable": true, "amyloidosis": false, "involved_light_chain": "kappa",
        },
    })
}

fn dx(v: &Value) -> diagnosis::Diagnosis {
    diagnosis::diagnose(kb(), &patient(v))
}

fn item_state(v: &Value, id: &str) -> ItemState {
    dx(v).item(id).unwrap_or_else(|| panic!("no item {id}")).state
}

fn class(v: &Value) -> DiagnosisClass {
    dx(v).class
}

#[test]
fn the_smouldering_base_case_is_smouldering_myeloma_with_nothing_missing() {
    let d = dx(&smm_base());
    assert_eq!(d.class, DiagnosisClass::SmoulderingMyeloma, "{}", d.reason);
    assert!(d.missing_inputs.is_empty(), "{:?}", d.missing_inputs);
}

#[test]
fn hypercalcaemia_is_calcium_above_2_75_mmol_l_equal_to_11_022_mg_dl() {
    let b = set(smm_base(), "labs.calcium_upper_limit_of_normal", q(2.6, "mmol/L"));
    for (ca, want) in [
        (q(2.75, "mmol/L"), ItemState::NotMet),
        (q(2.74, "mmol/L"), ItemState::NotMet),
        (q(2.76, "mmol/L"), ItemState::Met),
        (q(11.022, "mg/dL"), ItemState::NotMet),
        (q(11.0, "mg/dL"), ItemState::NotMet),
        (q(11.1, "mg/dL"), ItemState::Met),
    ] {
        assert_eq!(
            item_state(&set(b.clone(), "labs.calcium", ca.clone()), "mde_c_hypercalcaemia"),
            want,
            "calcium {ca}"
        );
    }
}

#[test]
fn hypercalcaemia_is_calcium_more_than_0_25_mmol_l_above_the_uln() {
    let b = set(smm_base(), "labs.calcium_upper_limit_of_normal", q(2.4, "mmol/L"));
    for (ca, want) in [(2.65, ItemState::NotMet), (2.64, ItemState::NotMet), (2.66, ItemState::Met)] {
        assert_eq!(
            item_state(&set(b.clone(), "labs.calcium", q(ca, "mmol/L")), "mde_c_hypercalcaemia"),
            want,
            "calcium {ca}"
        );
    }
    // In mg/dL: ULN 10 mg/dL (2.495010 mmol/L); 11.0 mg/dL is 0.249501 mmol/L above it.
    let b = set(smm_base(), "labs.calcium_upper_limit_of_normal", q(10.0, "mg/dL"));
    for (ca, want) in [(11.0, ItemState::NotMet), (10.9, ItemState::NotMet), (11.01, ItemState::Met)] {
        assert_eq!(
            item_state(&set(b.clone(), "labs.calcium", q(ca, "mg/dL")), "mde_c_hypercalcaemia"),
            want,
            "calcium {ca} mg/dL"
        );
    }
}

#[test]
fn renal_insufficiency_is_creatinine_above_2_mg_dl_equal_to_176_8_umol_l() {
    let b = set(smm_base(), "labs.creatinine_clearance_ml_min", json!(60));
    for (cr, want) in [
        (q(2.0, "mg/dL"), ItemState::NotMet),
        (q(1.99, "mg/dL"), ItemState::NotMet),
        (q(2.01, "mg/dL"), ItemState::Met),
        (q(176.8, "µmol/L"), ItemState::NotMet),
        (q(176.7, "µmol/L"), ItemState::NotMet),
        (q(176.9, "µmol/L"), ItemState::Met),
        (q(176.0, "µmol/L"), ItemState::NotMet),
        (q(177.0, "µmol/L"), ItemState::Met),
    ] {
        assert_eq!(item_state(&set(b.clone(), "labs.creatinine", cr.clone()), "mde_r_renal"), want, "creatinine {cr}");
    }
}

#[test]
fn creatinine_between_176_8_and_177_umol_l_is_flagged_in_either_unit() {
    for cr in [q(177.0, "µmol/L"), q(2.002, "mg/dL")] {
        let d = dx(&set(smm_base(), "labs.creatinine", cr));
        assert!(!d.item("mde_r_renal").unwrap().notes.is_empty());
    }
}

#[test]
fn renal_insufficiency_is_creatinine_clearance_below_40_ml_min() {
    for (crcl, want) in
        [(40.0, ItemState::NotMet), (39.9, ItemState::Met), (40.1, ItemState::NotMet), (39.0, ItemState::Met)]
    {
        let v = set(smm_base(), "labs.creatinine_clearance_ml_min", json!(crcl));
        assert_eq!(item_state(&v, "mde_r_renal"), want, "CrCl {crcl}");
    }
}

#[test]
fn anaemia_is_haemoglobin_below_100_g_l_equal_to_10_g_dl() {
    let b = set(smm_base(), "labs.hemoglobin_lower_limit_of_normal", q(115.0, "g/L"));
    for (hb, want) in [
        (q(100.0, "g/L"), ItemState::NotMet),
        (q(99.0, "g/L"), ItemState::Met),
        (q(101.0, "g/L"), ItemState::NotMet),
        (q(10.0, "g/dL"), ItemState::NotMet),
        (q(9.9, "g/dL"), ItemState::Met),
        (q(10.1, "g/dL"), ItemState::NotMet),
    ] {
        assert_eq!(item_state(&set(b.clone(), "labs.hemoglobin", hb.clone()), "mde_a_anaemia"), want, "Hb {hb}");
    }
}

#[test]
fn anaemia_is_haemoglobin_more_than_20_g_l_below_the_lln() {
    let b = set(smm_base(), "labs.hemoglobin_lower_limit_of_normal", q(130.0, "g/L"));
    for (hb, want) in [
        (q(110.0, "g/L"), ItemState::NotMet),
        (q(109.0, "g/L"), ItemState::Met),
        (q(111.0, "g/L"), ItemState::NotMet),
        (q(11.0, "g/dL"), ItemState::NotMet),
        (q(10.9, "g/dL"), ItemState::Met),
        (q(11.1, "g/dL"), ItemState::NotMet),
    ] {
        assert_eq!(item_state(&set(b.clone(), "labs.hemoglobin", hb.clone()), "mde_a_anaemia"), want, "Hb {hb}");
    }
}

#[test]
fn bone_disease_is_one_or_more_osteolytic_lesions() {
    for (n, want) in [(0, ItemState::NotMet), (1, ItemState::Met), (2, ItemState::Met)] {
        assert_eq!(
            item_state(&set(smm_base(), "diagnosis.osteolytic_lesions", json!(n)), "mde_b_bone"),
            want,
            "{n} lesions"
        );
    }
}

#[test]
fn sixty_percent_clonal_plasma_cells_is_a_myeloma_defining_event() {
    for (bm, want) in
        [(60.0, ItemState::Met), (59.0, ItemState::NotMet), (59.9, ItemState::NotMet), (61.0, ItemState::Met)]
    {
        let v = set(smm_base(), "labs.bone_marrow_plasma_cells", q(bm, "%"));
        assert_eq!(item_state(&v, "mde_s_sixty"), want, "BMPC {bm}");
    }
    assert_eq!(class(&set(smm_base(), "labs.bone_marrow_plasma_cells", q(60.0, "%"))), DiagnosisClass::MultipleMyeloma);
    assert_eq!(
        class(&set(smm_base(), "labs.bone_marrow_plasma_cells", q(59.0, "%"))),
        DiagnosisClass::SmoulderingMyeloma
    );
}

fn flc(v: Value, k: Value, l: Value) -> Value {
    set(set(v, "labs.serum_flc_kappa", k), "labs.serum_flc_lambda", l)
}

#[test]
fn light_chain_event_needs_ratio_at_least_100_and_involved_flc_at_least_100_mg_l() {
    for (k, l, want) in [
        (q(100.0, "mg/L"), q(1.0, "mg/L"), ItemState::Met),
        (q(10.0, "mg/dL"), q(0.1, "mg/dL"), ItemState::Met),
        (q(99.0, "mg/L"), q(0.99, "mg/L"), ItemState::NotMet),
        (q(9.9, "mg/dL"), q(0.099, "mg/dL"), ItemState::NotMet),
        (q(1000.0, "mg/L"), q(10.0, "mg/L"), ItemState::Met),
        (q(999.0, "mg/L"), q(10.0, "mg/L"), ItemState::NotMet),
        (q(1001.0, "mg/L"), q(10.0, "mg/L"), ItemState::Met),
        (q(100.0, "mg/dL"), q(1.0, "mg/dL"), ItemState::Met),
    ] {
        let v = flc(smm_base(), k.clone(), l.clone());
        assert_eq!(item_state(&v, "mde_li_light_chain"), want, "κ {k} λ {l}");
    }
}

#[test]
fn light_chain_ratio_is_involved_over_uninvolved_for_a_lambda_clone() {
    let v = set(flc(smm_base(), q(5.0, "mg/L"), q(600.0, "mg/L")), "diagnosis.involved_light_chain", json!("lambda"));
    assert_eq!(item_state(&v, "mde_li_light_chain"), ItemState::Met);
    let v = set(v, "diagnosis.involved_light_chain", json!("kappa"));
    assert_eq!(item_state(&v, "mde_li_light_chain"), ItemState::NotMet);
}

#[test]
fn light_chain_event_with_the_involved_chain_unrecorded_is_unknown_unless_neither_way_meets_it() {
    let v = set(flc(smm_base(), q(5.0, "mg/L"), q(600.0, "mg/L")), "diagnosis.involved_light_chain", Value::Null);
    let d = dx(&v);
    assert_eq!(d.item("mde_li_light_chain").unwrap().state, ItemState::Unknown);
    assert_eq!(d.class, DiagnosisClass::NotClassifiable);
    assert!(missing_fields(&d.missing_inputs).contains(&"diagnosis.involved_light_chain".to_string()));
    let v = set(smm_base(), "diagnosis.involved_light_chain", Value::Null);
    assert_eq!(item_state(&v, "mde_li_light_chain"), ItemState::NotMet, "κ 50 / λ 10 cannot reach 100 either way");
}

#[test]
fn mri_event_is_more_than_one_focal_lesion() {
    for (n, want) in [(1, ItemState::NotMet), (2, ItemState::Met), (0, ItemState::NotMet), (3, ItemState::Met)] {
        assert_eq!(
            item_state(&set(smm_base(), "diagnosis.mri_focal_lesions", json!(n)), "mde_m_mri"),
            want,
            "{n} lesions"
        );
    }
}

#[test]
fn myeloma_needs_clonal_plasma_cells_at_least_10_percent_or_a_plasmacytoma() {
    let mde = set(smm_base(), "labs.hemoglobin", q(90.0, "g/L"));
    let with_bm = |bm: f64| set(mde.clone(), "labs.bone_marrow_plasma_cells", q(bm, "%"));
    assert_eq!(class(&with_bm(10.0)), DiagnosisClass::MultipleMyeloma);
    assert_eq!(class(&with_bm(11.0)), DiagnosisClass::MultipleMyeloma);
    assert_ne!(class(&with_bm(9.0)), DiagnosisClass::MultipleMyeloma);
    let v = set(with_bm(5.0), "diagnosis.biopsy_proven_plasmacytoma", json!(true));
    assert_eq!(class(&v), DiagnosisClass::MultipleMyeloma);
}

#[test]
fn crab_features_count_only_when_attributable_to_the_clone() {
    let anaemic = set(smm_base(), "labs.hemoglobin", q(90.0, "g/L"));
    assert_eq!(class(&anaemic), DiagnosisClass::MultipleMyeloma);
    let d = dx(&set(anaemic.clone(), "diagnosis.crab_attributable", Value::Null));
    assert_eq!(d.class, DiagnosisClass::NotClassifiable, "attribution unknown is not 'no'");
    assert!(missing_fields(&d.missing_inputs).contains(&"diagnosis.crab_attributable".to_string()));
    assert_eq!(class(&set(anaemic, "diagnosis.crab_attributable", json!(false))), DiagnosisClass::SmoulderingMyeloma);
}

#[test]
fn slim_events_do_not_need_attribution() {
    let v = set(set(smm_base(), "diagnosis.crab_attributable", Value::Null), "diagnosis.mri_focal_lesions", json!(2));
    assert_eq!(class(&v), DiagnosisClass::MultipleMyeloma);
}

#[test]
fn smouldering_is_m_protein_at_least_30_g_l_or_urine_at_least_500_mg_or_plasma_cells_10_to_60() {
    let low = set(smm_base(), "labs.bone_marrow_plasma_cells", q(5.0, "%"));
    assert_eq!(class(&low), DiagnosisClass::Mgus);
    for (m, want) in [
        (q(30.0, "g/L"), DiagnosisClass::SmoulderingMyeloma),
        (q(29.0, "g/L"), DiagnosisClass::Mgus),
        (q(31.0, "g/L"), DiagnosisClass::SmoulderingMyeloma),
        (q(3.0, "g/dL"), DiagnosisClass::SmoulderingMyeloma),
        (q(2.9, "g/dL"), DiagnosisClass::Mgus),
        (q(3.1, "g/dL"), DiagnosisClass::SmoulderingMyeloma),
    ] {
        assert_eq!(class(&set(low.clone(), "labs.serum_m_protein", m.clone())), want, "M-protein {m}");
    }
    for (u, want) in [
        (500.0, DiagnosisClass::SmoulderingMyeloma),
        (499.0, DiagnosisClass::Mgus),
        (501.0, DiagnosisClass::SmoulderingMyeloma),
    ] {
        assert_eq!(class(&set(low.clone(), "labs.urine_m_protein", q(u, "mg/24h"))), want, "urine {u}");
    }
}

#[test]
fn mgus_needs_m_protein_below_30_g_l_and_plasma_cells_below_10_percent() {
    let b = set(smm_base(), "labs.serum_m_protein", q(1.0, "g/dL"));
    for (bm, want) in [
        (10.0, DiagnosisClass::SmoulderingMyeloma),
        (9.0, DiagnosisClass::Mgus),
        (11.0, DiagnosisClass::SmoulderingMyeloma),
        (9.9, DiagnosisClass::Mgus),
    ] {
        assert_eq!(class(&set(b.clone(), "labs.bone_marrow_plasma_cells", q(bm, "%"))), want, "BMPC {bm}");
    }
}

#[test]
fn amyloidosis_excludes_smouldering_myeloma_and_mgus() {
    let v = set(smm_base(), "diagnosis.amyloidosis", json!(true));
    assert_eq!(class(&v), DiagnosisClass::NotClassifiable);
    let v = set(set(smm_base(), "labs.bone_marrow_plasma_cells", q(5.0, "%")), "diagnosis.amyloidosis", json!(true));
    assert_eq!(class(&v), DiagnosisClass::NotClassifiable);
}

#[test]
fn an_unknown_item_that_could_be_an_mde_makes_smouldering_not_classifiable() {
    let d = dx(&set(smm_base(), "diagnosis.mri_focal_lesions", Value::Null));
    assert_eq!(d.class, DiagnosisClass::NotClassifiable);
    assert!(d.candidates.contains(&DiagnosisClass::MultipleMyeloma));
    assert!(d.candidates.contains(&DiagnosisClass::SmoulderingMyeloma));
    assert_eq!(missing_fields(&d.missing_inputs), vec!["diagnosis.mri_focal_lesions"]);
}

#[test]
fn myeloma_with_one_met_event_is_given_even_when_other_items_are_unknown() {
    let v = json!({"labs": {"bone_marrow_plasma_cells": q(30.0, "%"), "hemoglobin": q(85.0, "g/L")}, "diagnosis": {"crab_attributable": true}});
    let d = dx(&v);
    assert_eq!(d.class, DiagnosisClass::MultipleMyeloma);
    assert!(d.missing_inputs.is_empty());
}

fn plasmacytoma(bm: f64, lesions: u16) -> Value {
    let v = set(smm_base(), "labs.bone_marrow_plasma_cells", q(bm, "%"));
    let v = set(v, "diagnosis.biopsy_proven_plasmacytoma", json!(true));
    let v = set(v, "diagnosis.solitary_lesion_only", json!(lesions <= 1));
    set(v, "diagnosis.osteolytic_lesions", json!(lesions))
}

#[test]
fn a_solitary_bone_plasmacytoma_with_no_marrow_involvement_is_solitary_plasmacytoma() {
    let d = dx(&plasmacytoma(0.0, 1));
    assert_eq!(d.class, DiagnosisClass::SolitaryPlasmacytoma, "{}", d.reason);
    assert!(d.detail.unwrap().contains("no clonal"));
}

#[test]
fn a_solitary_plasmacytoma_with_marrow_plasma_cells_below_10_percent_has_minimal_marrow_involvement() {
    let d = dx(&plasmacytoma(5.0, 1));
    assert_eq!(d.class, DiagnosisClass::SolitaryPlasmacytoma);
    assert!(d.detail.unwrap().contains("minimal marrow"));
    assert_eq!(class(&plasmacytoma(9.0, 1)), DiagnosisClass::SolitaryPlasmacytoma);
    assert_eq!(
        class(&plasmacytoma(10.0, 1)),
        DiagnosisClass::MultipleMyeloma,
        "BMPC 10% with a lytic lesion is myeloma"
    );
}

#[test]
fn with_marrow_plasma_cells_below_10_percent_more_than_one_bone_lesion_is_needed_for_myeloma() {
    assert_eq!(class(&plasmacytoma(5.0, 2)), DiagnosisClass::MultipleMyeloma);
    assert_eq!(class(&plasmacytoma(5.0, 1)), DiagnosisClass::SolitaryPlasmacytoma);
}

// ---------------------------------------------------------------------------------------------
// 20/2/20 (`smm-20-2-20`; docs/evidence/checks.md §13): M-protein > 2 g/dL, FLC ratio > 20, BMPC > 20%;
// 0 low, 1 intermediate, ≥ 2 high.
// ---------------------------------------------------------------------------------------------

fn smm_group(v: &Value) -> Option<SmmRiskGroup> {
    let d = dx(v);
    assert_eq!(d.class, DiagnosisClass::SmoulderingMyeloma, "{}", d.reason);
    d.smm_risk.unwrap().group
}

#[test]
fn smm_risk_m_protein_counts_above_2_g_dl_equal_to_20_g_l() {
    for (m, want) in [
        (q(2.0, "g/dL"), SmmRiskGroup::Low),
        (q(1.9, "g/dL"), SmmRiskGroup::Low),
        (q(2.1, "g/dL"), SmmRiskGroup::Intermediate),
        (q(20.0, "g/L"), SmmRiskGroup::Low),
        (q(19.0, "g/L"), SmmRiskGroup::Low),
        (q(21.0, "g/L"), SmmRiskGroup::Intermediate),
    ] {
        assert_eq!(smm_group(&set(smm_base(), "labs.serum_m_protein", m.clone())), Some(want), "M-protein {m}");
    }
}

#[test]
fn smm_risk_flc_ratio_counts_above_20() {
    for (k, want) in [
        (q(200.0, "mg/L"), SmmRiskGroup::Low),
        (q(199.0, "mg/L"), SmmRiskGroup::Low),
        (q(201.0, "mg/L"), SmmRiskGroup::Intermediate),
        (q(20.0, "mg/dL"), SmmRiskGroup::Low),
        (q(20.1, "mg/dL"), SmmRiskGroup::Intermediate),
    ] {
        assert_eq!(smm_group(&set(smm_base(), "labs.serum_flc_kappa", k.clone())), Some(want), "κ {k} / λ 10 mg/L");
    }
}

#[test]
fn smm_risk_plasma_cells_count_above_20_percent() {
    for (bm, want) in [(20.0, SmmRiskGroup::Low), (19.0, SmmRiskGroup::Low), (21.0, SmmRiskGroup::Intermediate)] {
        assert_eq!(smm_group(&set(smm_base(), "labs.bone_marrow_plasma_cells", q(bm, "%"))), Some(want), "BMPC {bm}");
    }
}

#[test]
fn smm_risk_is_high_with_two_or_three_factors() {
    let two =
        set(set(smm_base(), "labs.bone_marrow_plasma_cells", q(25.0, "%")), "labs.serum_m_protein", q(2.5, "g/dL"));
    assert_eq!(smm_group(&two), Some(SmmRiskGroup::High));
    let three = set(two, "labs.serum_flc_kappa", q(300.0, "mg/L"));
    assert_eq!(smm_group(&three), Some(SmmRiskGroup::High));
}

#[test]
fn smm_risk_with_an_unknown_factor_is_given_only_when_it_cannot_change_the_group() {
    // Unknown FLC with two factors met: high either way.
    let two =
        set(set(smm_base(), "labs.bone_marrow_plasma_cells", q(25.0, "%")), "labs.serum_m_protein", q(2.5, "g/dL"));
    let two = set(set(two, "labs.serum_flc_kappa", Value::Null), "labs.serum_flc_lambda", Value::Null);
    let two = set(two, "diagnosis.involved_light_chain", Value::Null);
    // FLC unknown also makes Li unknown; the class then needs it too.
    let d = dx(&two);
    assert_eq!(d.class, DiagnosisClass::NotClassifiable);
    // Direct: the risk function on its own.
    let r = diagnosis::smm_20_2_20(kb(), &patient(&two));
    assert_eq!(r.group, Some(SmmRiskGroup::High));
    let one = set(two.clone(), "labs.serum_m_protein", q(1.0, "g/dL"));
    let r = diagnosis::smm_20_2_20(kb(), &patient(&one));
    assert_eq!(r.group, None, "intermediate or high");
    assert!(missing_fields(&r.missing_inputs).contains(&"labs.serum_flc_kappa".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn status() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![Just(None), Just(Some("detected")), Just(Some("not_detected"))]
}

fn cyto_strategy() -> impl Strategy<Value = Value> {
    proptest::collection::vec(status(), 6).prop_map(|st| {
        let names = ["del_17p", "t_4_14", "t_14_16", "t_14_20", "gain_1q", "del_1p32"];
        Value::Array(
            names.iter().zip(st).filter_map(|(n, s)| s.map(|s| json!({"abnormality": n, "status": s}))).collect(),
        )
    })
}

fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

fn stage_rank(p: &Patient) -> (Option<IssStage>, Option<RIssStage>, Option<R2IssStage>) {
    let s = staging::stage_all(kb(), p);
    (s.iss.stage, s.r_iss.stage, s.r2_iss.staging.stage)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn worse_beta2m_ldh_or_albumin_never_gives_a_better_stage(
        b2m in 0.5f64..12.0, alb in 1.5f64..5.5, ldh in 100f64..600.0, cyto in cyto_strategy(),
        d_b2m in 0.0f64..6.0, d_alb in 0.0f64..2.0, d_ldh in 0.0f64..300.0, which in 0usize..3,
    ) {
        let (b2m, alb, ldh) = (round_to(b2m, 0.1), round_to(alb, 0.1), round_to(ldh, 1.0));
        let mk = |b: f64, a: f64, l: f64| staged(b, q(a, "g/dL"), l, cyto.clone());
        let base = mk(b2m, alb, ldh);
        let worse = match which {
            0 => mk(round_to(b2m + d_b2m, 0.1), alb, ldh),
            1 => mk(b2m, round_to((alb - d_alb).max(0.5), 0.1), ldh),
            _ => mk(b2m, alb, round_to(ldh + d_ldh, 1.0)),
        };
        let (i0, r0, q0) = stage_rank(&base);
        let (i1, r1, q1) = stage_rank(&worse);
        if let (Some(a), Some(b)) = (i0, i1) { prop_assert!(b >= a, "ISS {a:?} -> {b:?}"); }
        if let (Some(a), Some(b)) = (r0, r1) { prop_assert!(b >= a, "R-ISS {a:?} -> {b:?}"); }
        if let (Some(a), Some(b)) = (q0, q1) { prop_assert!(b >= a, "R2-ISS {a:?} -> {b:?}"); }
    }

    #[test]
    fn the_same_patient_in_any_accepted_units_gives_identical_assessments(
        cr in 0.3f64..8.0, alb in 1.5f64..5.5, ca in 1.8f64..3.8, ca_uln in 2.4f64..2.7, hb in 60f64..170.0, hb_lln in 110f64..135.0,
        m in 0.0f64..8.0, k in 1f64..3000.0, l in 1f64..300.0, b2m in 0.8f64..12.0, bm in 0f64..90.0,
        alt in proptest::collection::vec(any::<bool>(), 8), cyto in cyto_strategy(), age in 40u16..90,
    ) {
        // Canonical values at laboratory precision, then written in the canonical or the other unit.
        let cr = round_to(cr, 0.01);
        let alb = round_to(alb, 0.1);
        let ca = round_to(ca, 0.01);
        let ca_uln = round_to(ca_uln, 0.01);
        let hb = round_to(hb, 1.0);
        let hb_lln = round_to(hb_lln, 1.0);
        let m = round_to(m, 0.1);
        let (k, l) = (round_to(k, 0.1), round_to(l, 0.1));
        let (b2m, bm) = (round_to(b2m, 0.1), round_to(bm, 1.0));
        let record = |alt: &[bool]| {
            let pick = |i: usize, canon: Value, other: Value| if alt[i] { other } else { canon };
            json!({
                "age_years": age, "sex": "female", "weight_kg": 64, "height_cm": 165, "ecog": 1,
                "frailty": {"charlson": 1, "katz_adl": 6, "lawton_iadl": 7},
                "organ_function": {"lvef_pct": 55, "dlco_pct": 70, "bilirubin_x_uln": 0.8},
                "labs": {
                    "creatinine": pick(0, q(cr, "mg/dL"), q(cr * 88.4, "µmol/L")),
                    "albumin": pick(1, q(alb, "g/dL"), q(alb * 10.0, "g/L")),
                    "calcium": pick(2, q(ca, "mmol/L"), q(ca * 4.008, "mg/dL")),
                    "calcium_upper_limit_of_normal": pick(2, q(ca_uln, "mmol/L"), q(ca_uln * 4.008, "mg/dL")),
                    "hemoglobin": pick(3, q(hb, "g/L"), q(hb / 10.0, "g/dL")),
                    "hemoglobin_lower_limit_of_normal": pick(4, q(hb_lln, "g/L"), q(hb_lln / 10.0, "g/dL")),
                    "serum_m_protein": pick(5, q(m, "g/dL"), q(m * 10.0, "g/L")),
                    "serum_flc_kappa": pick(6, q(k, "mg/L"), q(k / 10.0, "mg/dL")),
                    "serum_flc_lambda": pick(7, q(l, "mg/L"), q(l / 10.0, "mg/dL")),
                    "beta2_microglobulin": q(b2m, "mg/L"),
                    "ldh": q(200.0, "U/L"), "ldh_upper_limit_of_normal": q(250.0, "U/L"),
                    "bone_marrow_plasma_cells": q(bm, "%"),
                    "urine_m_protein": q(100.0, "mg/24h"),
                },
                "diagnosis": {"osteolytic_lesions": 0, "mri_focal_lesions": 0, "crab_attributable": true,
                              "amyloidosis": false, "involved_light_chain": "kappa", "biopsy_proven_plasmacytoma": false},
                "cytogenetics": cyto.clone(),
            })
        };
        let canonical = record(&[false; 8]);
        let other = record(&alt);
        let g = Guideline::default();
        for name in ["stage", "risk-compare", "eligibility", "diagnose"] {
            let what = api::Assessment::from_name(name).unwrap();
            let a = api::run_json(what, &canonical.to_string(), None).unwrap();
            let b = api::run_json(what, &other.to_string(), None).unwrap();
            prop_assert_eq!(a, b, "{} differs between units", name);
        }
        let _ = g;
    }

    #[test]
    fn a_diagnosis_given_with_a_field_missing_is_the_same_once_the_field_is_known(
        ca in 2.0f64..3.2, cr in 0.6f64..3.0, crcl in 20f64..100.0, hb in 80f64..150.0, bm in 0f64..80.0, m in 0f64..5.0,
        urine in 0f64..900.0, k in 1f64..2000.0, lesions in 0u16..3, mri in 0u16..3, plasmacytoma in any::<bool>(),
        solitary in any::<bool>(), attributable in any::<bool>(), amyloid in prop::bool::weighted(0.1), drop in 0usize..17,
    ) {
        let full = json!({
            "labs": {
                "calcium": q(round_to(ca, 0.01), "mmol/L"), "calcium_upper_limit_of_normal": q(2.6, "mmol/L"),
                "creatinine": q(round_to(cr, 0.01), "mg/dL"), "creatinine_clearance_ml_min": round_to(crcl, 1.0),
                "hemoglobin": q(round_to(hb, 1.0), "g/L"), "hemoglobin_lower_limit_of_normal": q(120.0, "g/L"),
                "bone_marrow_plasma_cells": q(round_to(bm, 1.0), "%"), "serum_m_protein": q(round_to(m, 0.1), "g/dL"),
                "urine_m_protein": q(round_to(urine, 10.0), "mg/24h"),
                "serum_flc_kappa": q(round_to(k, 1.0), "mg/L"), "serum_flc_lambda": q(10.0, "mg/L"),
            },
            "diagnosis": {"osteolytic_lesions": lesions, "mri_focal_lesions": mri, "biopsy_proven_plasmacytoma": plasmacytoma,
                          "solitary_lesion_only": solitary, "crab_attributable": attributable, "amyloidosis": amyloid,
                          "involved_light_chain": "kappa"},
        });
        let fields = [
            "labs.calcium", "labs.calcium_upper_limit_of_normal", "labs.creatinine", "labs.creatinine_clearance_ml_min",
            "labs.hemoglobin", "labs.hemoglobin_lower_limit_of_normal", "labs.bone_marrow_plasma_cells", "labs.serum_m_protein",
            "labs.urine_m_protein", "labs.serum_flc_kappa", "diagnosis.osteolytic_lesions", "diagnosis.mri_focal_lesions",
            "diagnosis.biopsy_proven_plasmacytoma", "diagnosis.solitary_lesion_only", "diagnosis.crab_attributable",
            "diagnosis.amyloidosis", "diagnosis.involved_light_chain",
        ];
        let field = fields[drop];
        let partial = set(full.clone(), field, Value::Null);
        let dfull = dx(&full);
        let dpart = dx(&partial);
        if dpart.class == DiagnosisClass::NotClassifiable {
            // Either nothing is met even with everything known, or the missing field is named.
            if dfull.class != DiagnosisClass::NotClassifiable {
                prop_assert!(
                    dpart.missing_inputs.iter().any(|mi| mi.field == field),
                    "{} dropped: not classifiable without naming it ({:?})", field, dpart.missing_inputs
                );
            }
        } else {
            prop_assert_eq!(dpart.class, dfull.class, "{} dropped changed the class", field);
        }
    }
}

#[test]
fn ims_2025_names_del17p_as_deciding_only_above_the_cut_off_when_tp53_already_decides() {
    // Mutation run of session 8 (risk.rs `ims2025`, the evidence list): with TP53 mutated the
    // level is high either way; del(17p) at exactly 20% must not be listed under "above 20%".
    let v = |ccf: f64| {
        patient(&json!({"cytogenetics": [
            {"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": ccf},
            {"abnormality": "tp53_mutation", "status": "detected"},
            {"abnormality": "t_4_14", "status": "not_detected"}, {"abnormality": "t_14_16", "status": "not_detected"},
            {"abnormality": "t_14_20", "status": "not_detected"}, {"abnormality": "gain_1q", "status": "not_detected"},
            {"abnormality": "del_1p32", "status": "not_detected"}],
          "labs": {"beta2_microglobulin": q(3.0, "mg/L"), "creatinine": q(1.0, "mg/dL")}}))
    };
    let at = risk::assess(kb(), &v(20.0), RiskDefinition::Ims2025, Del17pCutoff::Above20);
    assert_eq!(at.level, RiskLevel::High);
    assert!(!at.deciding.iter().any(|d| d.contains("17p")), "{:?}", at.deciding);
    let above = risk::assess(kb(), &v(20.1), RiskDefinition::Ims2025, Del17pCutoff::Above20);
    assert!(above.deciding.iter().any(|d| d.contains("17p")), "{:?}", above.deciding);
}
