//! Property tests of the engine: determinism, order independence, monotone risk, citations on
//! every option, untested findings either reported or provably irrelevant, no excluded drug
//! recommended.

use crate::kb;
use myeloma_pathway::cytogenetics::{Abnormality, Finding, Status};
use myeloma_pathway::risk::{self, Del17pCutoff, RiskDefinition, RiskLevel};
use myeloma_pathway::{recommend, Guideline, Patient, PatientRecord};
use proptest::prelude::*;

const ABN: [Abnormality; 7] = [
    Abnormality::Del17p,
    Abnormality::T4_14,
    Abnormality::T14_16,
    Abnormality::T14_20,
    Abnormality::Gain1q,
    Abnormality::Del1p32,
    Abnormality::Tp53Mutation,
];

fn status() -> impl Strategy<Value = Option<Status>> {
    prop_oneof![
        Just(None),
        Just(Some(Status::Detected)),
        Just(Some(Status::NotDetected)),
        Just(Some(Status::NotTested))
    ]
}

fn base() -> PatientRecord {
    PatientRecord::from_json(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap()
}

prop_compose! {
    fn record()(
        age in 18u16..=95,
        ecog in 0u8..=4,
        charlson in 0u8..=6,
        adl in 0u8..=6,
        iadl in 0u8..=8,
        b2m in 0.5f64..20.0,
        alb in 2.0f64..5.0,
        ldh in 100.0f64..600.0,
        cr in 0.5f64..6.0,
        statuses in proptest::collection::vec(status(), 7),
        fractions in proptest::collection::vec(0.0f64..100.0, 7),
        hist in 0usize..6,
    ) -> PatientRecord {
        let mut r = base();
        r.age_years = Some(age);
        r.ecog = Some(ecog);
        r.frailty = Some(myeloma_pathway::FrailtyInputs { charlson: Some(charlson), katz_adl: Some(adl), lawton_iadl: Some(iadl) });
        let labs = r.labs.as_mut().unwrap();
        labs.beta2_microglobulin = Some(myeloma_pathway::RawQuantity { value: (b2m * 10.0).round() / 10.0, unit: "mg/L".into() });
        labs.albumin = Some(myeloma_pathway::RawQuantity { value: (alb * 10.0).round() / 10.0, unit: "g/dL".into() });
        labs.ldh = Some(myeloma_pathway::RawQuantity { value: ldh.round(), unit: "U/L".into() });
        labs.creatinine = Some(myeloma_pathway::RawQuantity { value: (cr * 10.0).round() / 10.0, unit: "mg/dL".into() });
        r.cytogenetics = ABN.iter().zip(statuses.iter().zip(fractions.iter())).filter_map(|(a, (s, f))| {
            s.map(|s| {
                let mut x = Finding::new(*a, s);
                if s == Status::Detected { x.clonal_fraction_pct = Some((f * 10.0).round() / 10.0); }
                x
            })
        }).collect();
        let steps: Vec<&str> = vec![
            r#"{"event":"therapy_started","regimen":"vrd"}"#,
            r#"{"event":"cycle_completed"}"#,
            r#"{"event":"cycle_completed"}"#,
            r#"{"event":"cycle_completed"}"#,
            r#"{"event":"cycle_completed"}"#,
            r#"{"event":"response_assessed","response":"pr"}"#,
        ];
        r.history = steps[..hist].iter().map(|s| serde_json::from_str(s).unwrap()).collect();
        r
    }
}

fn plan_json(r: &PatientRecord, g: &Guideline) -> String {
    let p = r.validate().unwrap();
    recommend(&p, g).unwrap().to_json()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn the_same_record_gives_the_same_bytes(r in record()) {
        let g = Guideline::default();
        prop_assert_eq!(plan_json(&r, &g), plan_json(&r, &g));
    }

    #[test]
    fn cytogenetic_findings_in_any_order_give_the_same_plan(r in record(), seed in any::<u64>()) {
        let g = Guideline::default();
        let mut shuffled = r.clone();
        let n = shuffled.cytogenetics.len();
        if n > 1 {
            let k = (seed as usize) % n;
            shuffled.cytogenetics.rotate_left(k);
            shuffled.cytogenetics.reverse();
        }
        let a = plan_json(&r, &g);
        // The basis echoes the record as entered, so compare everything but the record order.
        let strip = |s: String| { let mut v: serde_json::Value = serde_json::from_str(&s).unwrap(); v["basis"]["inputs"] = serde_json::Value::Null; v };
        prop_assert_eq!(strip(a), strip(plan_json(&shuffled, &g)));
    }

    #[test]
    fn adding_a_high_risk_finding_never_lowers_risk(r in record(), which in 0usize..7, def in 0usize..4) {
        let d = RiskDefinition::ALL[def];
        let p = r.validate().unwrap();
        let before = risk::assess(kb(), &p, d, Del17pCutoff::Above20).level;
        let a = ABN[which];
        let mut f = Finding::new(a, Status::Detected);
        f.clonal_fraction_pct = Some(80.0);
        if a == Abnormality::Del1p32 { f.copies_lost = Some(2); }
        let findings: Vec<Finding> = p.cytogenetics().findings().filter(|x| x.abnormality != a).cloned().chain([f]).collect();
        let q = p.with_cytogenetics(myeloma_pathway::cytogenetics::CytogeneticProfile::from_findings("c", &findings).unwrap());
        let after = risk::assess(kb(), &q, d, Del17pCutoff::Above20).level;
        let order = |l: RiskLevel| match l { RiskLevel::Standard => 0, RiskLevel::Undetermined => 1, RiskLevel::High => 2 };
        // Detected can only move risk up (standard → undetermined is impossible: nothing became unknown).
        prop_assert!(order(after) >= order(before) || (before == RiskLevel::Undetermined && after == RiskLevel::High),
            "{:?}: {:?} -> {:?} after adding {:?}", d, before, after, a);
        prop_assert!(!(before == RiskLevel::High && after != RiskLevel::High));
    }

    #[test]
    fn every_offered_option_carries_a_citation_and_no_excluded_regimen_is_offered(r in record()) {
        let p = r.validate().unwrap();
        for profile in ["article", "quadruplet_first"] {
            let g = Guideline::from_json(&format!(r#"{{"profile":"{profile}"}}"#)).unwrap();
            let plan = recommend(&p, &g).unwrap();
            for o in &plan.options {
                prop_assert!(!o.citations.is_empty(), "{} has no citation", o.regimen_id);
                prop_assert!(!plan.excluded.iter().any(|x| x.regimen_id == o.regimen_id), "{} both offered and excluded", o.regimen_id);
            }
        }
    }

    #[test]
    fn an_untested_finding_is_reported_missing_or_does_not_change_the_first_option(r in record(), which in 0usize..7) {
        let g = Guideline::default();
        let p = r.validate().unwrap();
        let a = ABN[which];
        prop_assume!(p.cytogenetics().status(a) == Status::NotTested);
        let plan = recommend(&p, &g).unwrap();
        let field = format!("cytogenetics.{}", a.id());
        let reported = plan.missing_inputs.iter().any(|m| m.field == field);
        if !reported {
            let first = |pl: &myeloma_pathway::Plan| pl.options.iter().filter(|o| o.rank == 1).map(|o| o.regimen_id.clone()).collect::<Vec<_>>();
            for s in [Status::Detected, Status::NotDetected] {
                let q = p.with_cytogenetics(p.cytogenetics().with_status(a, s));
                let alt = recommend(&q, &g).unwrap();
                prop_assert_eq!(first(&plan), first(&alt), "{} untested, not reported, yet {:?} changes the plan", a.id(), s);
            }
        }
    }
}

#[test]
fn the_knowledge_base_hash_is_the_sha256_of_the_embedded_file() {
    use sha2::Digest;
    let kb = myeloma_pathway::KnowledgeBase::embedded();
    let want: String = sha2::Sha256::digest(myeloma_pathway::kb::EMBEDDED_JSON.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(kb.sha256(), want);
    assert!(!kb.version().starts_with("INVALID"), "embedded knowledge base failed to load: {}", kb.version());
    let plan = recommend(&Patient::from_json("{}").unwrap(), &Guideline::default()).unwrap();
    assert_eq!(plan.basis.knowledge_base.sha256, want);
}

/// `KnowledgeBase::embedded()` reads its fixed text without the strict reader's duplicate-key
/// and path tracking (start-up cost); the strict reader must accept the same text and give the
/// same knowledge base, byte for byte once serialised.
#[test]
fn embedded_knowledge_base_fast_read_equals_the_strict_read() {
    let strict = myeloma_pathway::KnowledgeBase::from_json(myeloma_pathway::kb::EMBEDDED_JSON)
        .expect("the strict reader accepts the embedded knowledge base");
    let fast = myeloma_pathway::KnowledgeBase::embedded();
    assert_eq!(serde_json::to_string(&strict).unwrap(), serde_json::to_string(fast).unwrap());
}

#[test]
fn the_rules_name_citations_and_regimens_only_by_typed_id() {
    // Rules cite by `CitationId` (generated from the knowledge base at build time, so a rename is
    // a compile error); a citation key written as a string literal in the core would escape that.
    let kb = myeloma_pathway::KnowledgeBase::embedded();
    let keys: std::collections::BTreeSet<&str> = kb.citations().map(|c| c.key.as_str()).collect();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut literal = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for part in code.split('"').skip(1).step_by(2) {
                if keys.contains(part) {
                    literal.push(format!("{}: \"{part}\"", path.display()));
                }
            }
        }
    }
    assert!(literal.is_empty(), "citation keys written as string literals in the core: {literal:?}");
    for id in myeloma_pathway::kb::CitationId::ALL {
        assert!(kb.citation(id.key()).is_some(), "{id:?}");
    }
}

#[test]
fn every_regimen_component_has_a_citation_and_a_known_evidence_tag() {
    let kb = myeloma_pathway::KnowledgeBase::embedded();
    assert!(kb.regimens().len() >= 25);
    for r in kb.regimens() {
        assert!(!r.evidence.is_empty(), "{} has no trial evidence", r.id);
        for c in &r.components {
            assert!(!c.citations.is_empty(), "{} {:?} has no citation", r.id, c.drug);
        }
    }
}
