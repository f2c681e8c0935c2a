//! What a clinician reads: which findings decided, what could not be assessed, and the logic
//! behind "not computable". Written after mutation testing showed these were unchecked.

use crate::kb;
use myeloma_pathway::labs::{Albumin, LabValue, SerumMProtein};
use myeloma_pathway::risk::{self, CriterionState, Del17pCutoff, RiskDefinition, RiskLevel};
use myeloma_pathway::staging::{self, IssStage, RIssStage};
use myeloma_pathway::Patient;
use serde_json::{json, Value};

fn patient(v: Value) -> Patient {
    Patient::from_json(&v.to_string()).unwrap()
}

fn finding(a: &str, status: &str) -> Value {
    json!({"abnormality": a, "status": status})
}

fn negative_panel_except(extra: Vec<Value>) -> Value {
    let mut all: Vec<Value> = ["del_17p", "t_4_14", "t_14_16", "t_14_20", "gain_1q", "del_1p32", "tp53_mutation"]
        .iter()
        .filter(|a| !extra.iter().any(|e| e["abnormality"] == **a))
        .map(|a| finding(a, "not_detected"))
        .collect();
    all.extend(extra);
    Value::Array(all)
}

fn ims(cyto: Value) -> risk::RiskAssessment {
    let p = patient(json!({"cytogenetics": cyto, "labs": {"beta2_microglobulin": {"value": 3.0, "unit": "mg/L"},
                                                              "creatinine": {"value": 1.0, "unit": "mg/dL"}}}));
    risk::assess(kb(), &p, RiskDefinition::Ims2025, Del17pCutoff::Above20)
}

#[test]
fn the_deciding_findings_name_the_abnormality_and_its_clonal_fraction() {
    let p = patient(json!({"cytogenetics": [
        {"abnormality": "t_4_14", "status": "detected", "clonal_fraction_pct": 30},
        finding("del_17p", "not_detected"), finding("gain_1q", "not_detected")]}));
    let a = risk::assess(kb(), &p, RiskDefinition::Article, Del17pCutoff::Above20);
    assert_eq!(a.level, RiskLevel::High);
    assert_eq!(a.deciding, ["t(4;14) detected (30% clonal fraction)"]);
    let met: Vec<&str> =
        a.criteria.iter().filter(|c| c.state == CriterionState::Met).map(|c| c.description.as_str()).collect();
    assert_eq!(met, ["t(4;14)"]);
    assert!(a.criteria.iter().filter(|c| c.state != CriterionState::Met).all(|c| c.evidence.is_empty()));
}

#[test]
fn a_standard_risk_call_has_no_deciding_findings() {
    let p = patient(json!({"cytogenetics": negative_panel_except(vec![])}));
    let a = risk::assess(kb(), &p, RiskDefinition::Article, Del17pCutoff::Above20);
    assert_eq!(a.level, RiskLevel::Standard);
    assert!(a.deciding.is_empty());
}

#[test]
fn msmart_lists_exactly_the_criteria_a_fish_panel_cannot_assess() {
    let p = patient(json!({"cytogenetics": negative_panel_except(vec![])}));
    let a = risk::assess(kb(), &p, RiskDefinition::Msmart3, Del17pCutoff::Above20);
    assert_eq!(a.not_assessable, ["high plasma-cell S-phase", "high-risk gene-expression profile"]);
}

#[test]
fn ims_2025_del17p_with_tp53_names_both_in_its_evidence() {
    let a = ims(negative_panel_except(vec![
        json!({"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": 55}),
        finding("tp53_mutation", "detected"),
    ]));
    assert_eq!(a.level, RiskLevel::High);
    assert_eq!(a.criteria[0].evidence, ["del(17p) detected (55% clonal fraction)", "TP53 mutation detected"]);
    assert!(a.criteria[1..].iter().all(|c| c.evidence.is_empty()));
}

#[test]
fn ims_2025_double_hit_evidence_lists_the_translocation_and_the_1q_gain_only() {
    let a = ims(negative_panel_except(vec![
        finding("t_4_14", "detected"),
        json!({"abnormality": "gain_1q", "status": "detected", "copies": 4}),
    ]));
    assert_eq!(a.level, RiskLevel::High);
    assert_eq!(a.criteria[1].state, CriterionState::Met);
    assert_eq!(a.criteria[1].evidence, ["t(4;14) detected", "gain(1q) detected (4 copies)"]);
}

#[test]
fn ims_2025_monoallelic_del1p32_alone_is_not_high_risk() {
    let a =
        ims(negative_panel_except(vec![json!({"abnormality": "del_1p32", "status": "detected", "copies_lost": 1})]));
    assert_eq!(a.criteria[2].state, CriterionState::NotMet);
    assert_eq!(a.level, RiskLevel::Standard);
}

#[test]
fn ims_2025_biallelic_del1p32_is_high_risk_and_says_biallelic() {
    let a =
        ims(negative_panel_except(vec![json!({"abnormality": "del_1p32", "status": "detected", "copies_lost": 2})]));
    assert_eq!(a.criteria[2].state, CriterionState::Met);
    assert_eq!(a.criteria[2].evidence, ["del(1p32) detected (biallelic)"]);
    assert_eq!(a.level, RiskLevel::High);
}

#[test]
fn ims_2025_monoallelic_del1p32_with_1q_gain_is_high_risk() {
    let a = ims(negative_panel_except(vec![
        json!({"abnormality": "del_1p32", "status": "detected", "copies_lost": 1}),
        finding("gain_1q", "detected"),
    ]));
    assert_eq!(a.criteria[2].state, CriterionState::Met);
    assert_eq!(a.criteria[2].evidence, ["del(1p32) detected (monoallelic)"]);
}

#[test]
fn ims_2025_del1p32_of_unknown_allelic_status_without_1q_gain_is_not_assessable_not_negative() {
    let a = ims(negative_panel_except(vec![finding("del_1p32", "detected")]));
    assert_eq!(a.criteria[2].state, CriterionState::NotAssessable);
    assert!(a.not_assessable.contains(&"monoallelic del(1p32) with 1q+, or biallelic del(1p32)".to_string()));
    let with_gain = ims(negative_panel_except(vec![finding("del_1p32", "detected"), finding("gain_1q", "detected")]));
    assert_eq!(with_gain.criteria[2].state, CriterionState::Met);
}

#[test]
fn ims_2025_beta2m_criterion_states_the_values_that_met_it() {
    let p = patient(json!({"cytogenetics": negative_panel_except(vec![]),
        "labs": {"beta2_microglobulin": {"value": 6.2, "unit": "mg/L"}, "creatinine": {"value": 0.9, "unit": "mg/dL"}}}));
    let a = risk::assess(kb(), &p, RiskDefinition::Ims2025, Del17pCutoff::Above20);
    assert_eq!(a.criteria[3].evidence, ["β2-microglobulin 6.2 mg/L with creatinine 0.9 mg/dL"]);
}

/// IMS/IMWG 2025 criterion 4 is β2-microglobulin ≥ 5.5 mg/L *with* creatinine < 1.2 mg/dL
/// (`ims-imwg-2025`): with creatinine at 1.2 no β2M value can meet it, so a missing β2M is not
/// asked and the criterion is not met; at 1.19 the missing β2M decides and is named.
#[test]
fn ims_2025_beta2m_criterion_is_not_met_at_creatinine_1_2_whatever_the_missing_beta2m() {
    let at = |cr: f64| {
        let p = patient(json!({"cytogenetics": negative_panel_except(vec![]),
            "labs": {"creatinine": {"value": cr, "unit": "mg/dL"}}}));
        risk::assess(kb(), &p, RiskDefinition::Ims2025, Del17pCutoff::Above20)
    };
    let high_creatinine = at(1.2);
    assert_eq!(high_creatinine.criteria[3].state, CriterionState::NotMet);
    assert!(!high_creatinine.missing_inputs.iter().any(|m| m.field == "labs.beta2_microglobulin"));
    assert_eq!(high_creatinine.level, RiskLevel::Standard);
    let normal_creatinine = at(1.19);
    assert_eq!(normal_creatinine.criteria[3].state, CriterionState::Unknown);
    assert!(normal_creatinine.missing_inputs.iter().any(|m| m.field == "labs.beta2_microglobulin"));
    assert_eq!(normal_creatinine.level, RiskLevel::Undetermined);
}

#[test]
fn risk_definition_ids_round_trip_and_cite_their_own_source() {
    let mut keys = Vec::new();
    for d in RiskDefinition::ALL {
        assert_eq!(RiskDefinition::from_id(d.id()), Some(d));
        let p = patient(json!({}));
        keys.push(risk::assess(kb(), &p, d, Del17pCutoff::Above20).citation.key);
    }
    assert_eq!(RiskDefinition::from_id("vibes"), None);
    assert_eq!(keys, ["article-pathway", "imwg-2016-risk", "msmart-3", "ims-imwg-2025"]);
    let ids: Vec<&str> = RiskDefinition::ALL.iter().map(|d| d.id()).collect();
    assert_eq!(ids, ["article", "imwg2016", "msmart3", "ims2025"]);
}

#[test]
fn iss_is_ii_for_beta2m_from_3_5_to_below_5_5_whatever_the_albumin() {
    for b2m in [3.5, 4.4, 5.4] {
        let p = patient(json!({"labs": {"beta2_microglobulin": {"value": b2m, "unit": "mg/L"}}}));
        let s = staging::iss(kb(), &p);
        assert_eq!(s.stage, Some(IssStage::II), "β2M {b2m}");
        assert!(s.missing_inputs.is_empty(), "albumin cannot change ISS II here");
    }
    let low = patient(json!({"labs": {"beta2_microglobulin": {"value": 3.4, "unit": "mg/L"}}}));
    assert_eq!(staging::iss(kb(), &low).stage, None);
    assert_eq!(staging::iss(kb(), &low).missing_inputs[0].field, "labs.albumin");
}

fn riss(labs: Value, cyto: Value) -> staging::Staging<RIssStage> {
    staging::r_iss(kb(), &patient(json!({"labs": labs, "cytogenetics": cyto})))
}

#[test]
fn r_iss_without_beta2m_is_not_computable_even_with_high_risk_ca_and_high_ldh() {
    let s = riss(
        json!({"ldh": {"value": 400, "unit": "U/L"}, "ldh_upper_limit_of_normal": {"value": 250, "unit": "U/L"}}),
        negative_panel_except(vec![finding("del_17p", "detected")]),
    );
    assert_eq!(s.stage, None, "without β2M the ISS could be III, so R-ISS could be III");
    assert!(s
        .missing_inputs
        .iter()
        .any(|m| m.field == "labs.beta2_microglobulin" && m.needed_for.starts_with("R-ISS")));
}

#[test]
fn r_iss_is_ii_when_albumin_is_missing_but_beta2m_is_low_and_high_risk_ca_present() {
    // β2M 3.0 rules out ISS III; ISS I or II with a high-risk abnormality is R-ISS II either way.
    let s = riss(
        json!({"beta2_microglobulin": {"value": 3.0, "unit": "mg/L"}}),
        negative_panel_except(vec![finding("t_4_14", "detected")]),
    );
    assert_eq!(s.stage, Some(RIssStage::II));
    assert!(s.missing_inputs.is_empty());
}

#[test]
fn r2_iss_missing_inputs_say_they_are_for_r2_iss() {
    let s = staging::r2_iss(kb(), &patient(json!({})));
    assert!(!s.staging.missing_inputs.is_empty());
    assert!(s.staging.missing_inputs.iter().all(|m| m.needed_for == "R2-ISS"), "{:?}", s.staging.missing_inputs);
    let r = riss(json!({}), json!([]));
    assert!(r.missing_inputs.iter().all(|m| m.needed_for.starts_with("R-ISS")), "{:?}", r.missing_inputs);
}

#[test]
fn a_lab_value_keeps_what_was_entered_alongside_the_canonical_value() {
    let a = LabValue::<Albumin>::new("labs.albumin", 35.0, "g/l").unwrap();
    assert_eq!(a.entered(), (35.0, "g/L"));
    assert_eq!(a.canonical(), 3.5);
}

#[test]
fn a_range_starting_at_zero_is_written_as_zero() {
    let e = LabValue::<SerumMProtein>::new("labs.serum_m_protein", -0.5, "g/dL").unwrap_err();
    assert_eq!(e.accepted_range(), Some("0..=15 g/dL"));
}

#[test]
fn imwg_2016_non_hyperdiploidy_evidence_appears_only_when_it_decides() {
    let with = |status: &str| {
        let mut cyto = negative_panel_except(vec![]);
        cyto.as_array_mut().unwrap().push(finding("hyperdiploidy", status));
        risk::assess(kb(), &patient(json!({"cytogenetics": cyto})), RiskDefinition::Imwg2016, Del17pCutoff::Above20)
    };
    let non = with("not_detected");
    let c = non.criteria.iter().find(|c| c.description == "non-hyperdiploidy").unwrap();
    assert_eq!(
        (c.state, c.evidence.clone()),
        (CriterionState::Met, vec!["non-hyperdiploid (hyperdiploidy not detected)".to_string()])
    );
    assert_eq!(non.deciding, ["non-hyperdiploid (hyperdiploidy not detected)"]);
    let hyper = with("detected");
    let c = hyper.criteria.iter().find(|c| c.description == "non-hyperdiploidy").unwrap();
    assert_eq!(c.state, CriterionState::NotMet);
    assert!(c.evidence.is_empty());
}

#[test]
fn negative_zero_and_tiny_bounds_are_written_as_zero() {
    let e = LabValue::<SerumMProtein>::new("m", -1e-9, "g/L").unwrap_err();
    assert_eq!(e.accepted_range(), Some("0..=150 g/L"));
}

/// The counterfactuals flip `RiskDefinition::abnormalities()`: that list must hold every
/// abnormality a definition reads, and none it ignores.
#[test]
fn each_risk_definition_reads_exactly_the_abnormalities_it_lists() {
    use myeloma_pathway::cytogenetics::{Abnormality, CytogeneticProfile, Finding, Status};
    let statuses = [Status::Detected, Status::NotDetected, Status::NotTested];
    // Bases: all negative; all untested; all negative but 1q+, or but t(4;14) (IMS 2025 reads each
    // only together with the other).
    let all_negative: Vec<Finding> = Abnormality::ALL.iter().map(|a| Finding::new(*a, Status::NotDetected)).collect();
    let bases: Vec<Vec<Finding>> = vec![
        all_negative.clone(),
        vec![],
        {
            let mut v = all_negative.clone();
            v[4] = Finding::new(Abnormality::Gain1q, Status::Detected);
            v
        },
        {
            let mut v = all_negative.clone();
            v[1] = Finding::new(Abnormality::T4_14, Status::Detected);
            v
        },
    ];
    let p0 = patient(
        json!({"labs": {"beta2_microglobulin": {"value": 3.0, "unit": "mg/L"}, "albumin": {"value": 4.0, "unit": "g/dL"},
        "ldh": {"value": 100, "unit": "U/L"}, "ldh_upper_limit_of_normal": {"value": 250, "unit": "U/L"},
        "creatinine": {"value": 1.0, "unit": "mg/dL"}}}),
    );
    let level = |findings: &[Finding], d: RiskDefinition| {
        let p = p0.with_cytogenetics(CytogeneticProfile::from_findings("c", findings).unwrap());
        risk::assess(kb(), &p, d, Del17pCutoff::Above20).level
    };
    let with = |base: &[Finding], a: Abnormality, s: Status| -> Vec<Finding> {
        let mut v: Vec<Finding> = base.iter().filter(|f| f.abnormality != a).cloned().collect();
        let mut f = Finding::new(a, s);
        if s == Status::Detected {
            f.clonal_fraction_pct = Some(50.0);
            if a == Abnormality::Del1p32 {
                f.copies_lost = Some(2);
            }
        }
        v.push(f);
        v
    };
    for d in RiskDefinition::ALL {
        for a in Abnormality::ALL {
            let mut reads = false;
            for base in &bases {
                let levels: Vec<RiskLevel> = statuses.iter().map(|s| level(&with(base, a, *s), d)).collect();
                reads |= levels.windows(2).any(|w| w[0] != w[1]);
            }
            assert_eq!(reads, d.abnormalities().contains(&a), "{d:?} and {a:?}");
        }
    }
}
