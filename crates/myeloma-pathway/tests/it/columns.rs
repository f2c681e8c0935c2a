//! The columnar staging path gives, row by row, exactly what the per-patient path gives for the
//! same record: the same stages and points, `None` where the per-patient path says not
//! computable, and the same error (field) where the record is refused.

use crate::kb;
use myeloma_pathway::columns::{stage_columns, StagingColumns};
use myeloma_pathway::cytogenetics::Status;
use myeloma_pathway::{staging, Patient};
use proptest::prelude::*;

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![Just(Status::Detected), Just(Status::NotDetected), Just(Status::NotTested)]
}

/// Values around every threshold and range edge, plus missing and out of range.
fn lab(edges: &'static [f64]) -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        1 => Just(None),
        3 => proptest::sample::select(edges).prop_map(Some),
        2 => (edges[0]..edges[edges.len() - 1]).prop_map(|x| Some((x * 100.0).round() / 100.0)),
    ]
}

type Row = (Option<f64>, Option<f64>, Option<f64>, Option<f64>, [Status; 4]);

fn row() -> impl Strategy<Value = Row> {
    (
        lab(&[0.05, 0.1, 3.4, 3.499999, 3.5, 5.4, 5.499999, 5.5, 200.0, 200.1]),
        lab(&[0.4, 0.5, 3.4, 3.499999, 3.5, 7.0, 7.1]),
        lab(&[5.0, 10.0, 249.0, 250.0, 251.0, 20000.0, 20001.0]),
        lab(&[9.0, 10.0, 250.0, 20000.0]),
        [status(), status(), status(), status()],
    )
}

fn record((b2m, alb, ldh, uln, cyto): &Row) -> String {
    let mut labs = serde_json::Map::new();
    for (k, v, u) in [
        ("beta2_microglobulin", b2m, "mg/L"),
        ("albumin", alb, "g/dL"),
        ("ldh", ldh, "U/L"),
        ("ldh_upper_limit_of_normal", uln, "U/L"),
    ] {
        if let Some(v) = v {
            labs.insert(k.into(), serde_json::json!({"value": v, "unit": u}));
        }
    }
    let ids = ["del_17p", "t_4_14", "t_14_16", "gain_1q"];
    let cytogenetics: Vec<_> = ids
        .iter()
        .zip(cyto)
        .filter(|(_, s)| **s != Status::NotTested)
        .map(|(id, s)| serde_json::json!({"abnormality": id, "status": s}))
        .collect();
    serde_json::json!({"age_years": 60, "labs": labs, "cytogenetics": cytogenetics}).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn columnar_staging_equals_the_per_patient_staging_row_by_row(rows in proptest::collection::vec(row(), 1..64)) {
        let col = |k: usize| rows.iter().map(|r| [r.0, r.1, r.2, r.3][k]).collect::<Vec<_>>();
        let st = |k: usize| rows.iter().map(|r| r.4[k]).collect::<Vec<_>>();
        let (b2m, alb, ldh, uln) = (col(0), col(1), col(2), col(3));
        let (d17, t414, t1416, q1) = (st(0), st(1), st(2), st(3));
        let c = StagingColumns {
            beta2_microglobulin_mg_l: &b2m,
            albumin_g_dl: &alb,
            ldh_u_l: &ldh,
            ldh_uln_u_l: &uln,
            del_17p: &d17,
            t_4_14: &t414,
            t_14_16: &t1416,
            gain_1q: &q1,
        };
        let out = stage_columns(&c).expect("same lengths");
        prop_assert_eq!(out.iss.len(), rows.len());
        for (i, r) in rows.iter().enumerate() {
            match Patient::from_json(&record(r)) {
                Err(e) => {
                    let got = out.error[i].as_ref().map(|x| x.to_string());
                    prop_assert_eq!(got, Some(e.to_string()), "row {}", i);
                    prop_assert_eq!(out.iss[i], None);
                    prop_assert_eq!(out.r2_iss[i], None);
                }
                Ok(p) => {
                    let s = staging::stage_all(kb(), &p);
                    prop_assert!(out.error[i].is_none(), "row {}: {:?}", i, out.error[i]);
                    prop_assert_eq!(out.iss[i], s.iss.stage, "ISS row {}", i);
                    prop_assert_eq!(out.r_iss[i], s.r_iss.stage, "R-ISS row {}", i);
                    prop_assert_eq!(out.r2_iss[i], s.r2_iss.staging.stage, "R2-ISS row {}", i);
                    prop_assert_eq!(out.r2_iss_points[i], s.r2_iss.points, "R2-ISS points row {}", i);
                }
            }
        }
    }
}

#[test]
fn columns_of_different_lengths_fail_the_call_naming_the_column() {
    let one = [Some(3.0)];
    let st = [Status::NotTested];
    let c = StagingColumns {
        beta2_microglobulin_mg_l: &one,
        albumin_g_dl: &[],
        ldh_u_l: &one,
        ldh_uln_u_l: &one,
        del_17p: &st,
        t_4_14: &st,
        t_14_16: &st,
        gain_1q: &st,
    };
    let e = stage_columns(&c).expect_err("albumin is shorter");
    assert!(e.to_string().contains("labs.albumin"), "{e}");
}

#[test]
fn a_bad_cell_is_an_error_in_its_row_and_the_other_rows_are_staged() {
    let b2m = [Some(6.0), Some(999.0), Some(2.0)];
    let alb = [Some(4.0), Some(4.0), Some(4.0)];
    let none = [None, None, None];
    let st = [Status::NotDetected; 3];
    let c = StagingColumns {
        beta2_microglobulin_mg_l: &b2m,
        albumin_g_dl: &alb,
        ldh_u_l: &none,
        ldh_uln_u_l: &none,
        del_17p: &st,
        t_4_14: &st,
        t_14_16: &st,
        gain_1q: &st,
    };
    let out = stage_columns(&c).expect("same lengths");
    assert_eq!(out.iss, [Some(staging::IssStage::III), None, Some(staging::IssStage::I)]);
    assert!(out.error[1].as_ref().is_some_and(|e| e.to_string().contains("labs.beta2_microglobulin")));
    assert!(out.error[0].is_none() && out.error[2].is_none());
}

#[test]
fn the_embedded_knowledge_base_hash_from_build_time_equals_the_hash_of_its_text() {
    let parsed = myeloma_pathway::KnowledgeBase::from_json(myeloma_pathway::kb::EMBEDDED_JSON).expect("embedded");
    assert_eq!(parsed.sha256(), myeloma_pathway::kb::EMBEDDED_SHA256);
    assert_eq!(myeloma_pathway::KnowledgeBase::embedded().sha256(), myeloma_pathway::kb::EMBEDDED_SHA256);
}

mod assessments {
    //! The columnar creatinine clearance, IMWG frailty and risk (article, IMWG 2016) give, row by
    //! row, what the per-patient path gives the same record, missing inputs and bad cells included.
    use super::{lab, status};
    use crate::kb;
    use myeloma_pathway::columns::{assess_columns, AssessColumns, StagingColumns};
    use myeloma_pathway::cytogenetics::Status;
    use myeloma_pathway::guideline::WeightBasis;
    use myeloma_pathway::risk::{self, Del17pCutoff, RiskDefinition};
    use myeloma_pathway::{fitness, staging, Guideline, Patient, Sex};
    use proptest::prelude::*;

    fn int(edges: &'static [i64]) -> impl Strategy<Value = Option<i64>> {
        prop_oneof![1 => Just(None), 4 => proptest::sample::select(edges).prop_map(Some)]
    }

    #[derive(Debug, Clone)]
    struct Row {
        age: Option<i64>,
        sex: Option<Sex>,
        weight: Option<f64>,
        height: Option<f64>,
        charlson: Option<i64>,
        katz: Option<i64>,
        lawton: Option<i64>,
        creatinine: Option<f64>,
        crcl: Option<f64>,
        labs: [Option<f64>; 4],
        /// del(17p), t(4;14), t(14;16), 1q+, t(14;20), hyperdiploidy, TP53 mutation, del(1p32).
        cyto: [Status; 8],
        /// del(17p) clonal fraction, %.
        ccf: Option<f64>,
        /// del(1p32) copies lost.
        lost: Option<u8>,
    }

    /// The abnormality ids of `Row::cyto`, in its order.
    const IDS: [&str; 8] =
        ["del_17p", "t_4_14", "t_14_16", "gain_1q", "t_14_20", "hyperdiploidy", "tp53_mutation", "del_1p32"];

    fn row() -> impl Strategy<Value = Row> {
        (
            (
                int(&[17, 18, 60, 75, 76, 80, 81, 120, 121]),
                prop_oneof![Just(None), Just(Some(Sex::Male)), Just(Some(Sex::Female))],
                lab(&[24.9, 25.0, 70.0, 350.0, 350.1]),
                lab(&[99.9, 100.0, 152.4, 170.0, 250.0, 250.1]),
                int(&[0, 1, 2, 37, 38]),
                int(&[0, 4, 5, 6, 7]),
                int(&[0, 5, 6, 8, 9]),
            ),
            (
                lab(&[0.09, 0.1, 1.0, 1.2, 25.0, 25.1]),
                prop_oneof![3 => Just(None), 1 => lab(&[0.9, 1.0, 60.0, 250.0, 250.1])],
                lab(&[0.05, 0.1, 3.5, 5.5, 200.1]),
                lab(&[0.4, 0.5, 3.5, 7.0, 7.1]),
                lab(&[5.0, 10.0, 250.0, 251.0, 20001.0]),
                lab(&[9.0, 10.0, 250.0, 20000.0]),
                [status(), status(), status(), status(), status(), status(), status(), status()],
            ),
            (
                // The IMS/IMWG 2025 cut-off (20%) and the range (0-100%) at and past their edges.
                prop_oneof![2 => Just(None), 1 => lab(&[0.0, 10.0, 20.0, 20.5, 60.0, 100.0, 100.1])],
                prop_oneof![2 => Just(None), 1 => proptest::sample::select(&[0u8, 1, 2, 3][..]).prop_map(Some)],
            ),
        )
            .prop_map(
                |(
                    (age, sex, weight, height, charlson, katz, lawton),
                    (creatinine, crcl, b2m, alb, ldh, uln, cyto),
                    (ccf, lost),
                )| {
                    Row {
                        age,
                        sex,
                        weight,
                        height,
                        charlson,
                        katz,
                        lawton,
                        creatinine,
                        crcl,
                        labs: [b2m, alb, ldh, uln],
                        cyto,
                        ccf,
                        lost,
                    }
                },
            )
    }

    fn record(r: &Row) -> String {
        let mut labs = serde_json::Map::new();
        for (k, v, u) in [
            ("beta2_microglobulin", r.labs[0], "mg/L"),
            ("albumin", r.labs[1], "g/dL"),
            ("ldh", r.labs[2], "U/L"),
            ("ldh_upper_limit_of_normal", r.labs[3], "U/L"),
            ("creatinine", r.creatinine, "mg/dL"),
        ] {
            if let Some(v) = v {
                labs.insert(k.into(), serde_json::json!({"value": v, "unit": u}));
            }
        }
        if let Some(c) = r.crcl {
            labs.insert("creatinine_clearance_ml_min".into(), serde_json::json!(c));
        }
        let cytogenetics: Vec<_> = record_order(r)
            .into_iter()
            .map(|id| {
                let k = IDS.iter().position(|x| *x == id).unwrap_or(0);
                let mut f = serde_json::json!({"abnormality": id, "status": r.cyto[k]});
                if let (Some(c), "del_17p") = (r.ccf, id) {
                    f["clonal_fraction_pct"] = serde_json::json!(c);
                }
                if let (Some(c), "del_1p32") = (r.lost, id) {
                    f["copies_lost"] = serde_json::json!(c);
                }
                f
            })
            .collect();
        let mut rec = serde_json::json!({"labs": labs, "cytogenetics": cytogenetics});
        let mut frailty = serde_json::Map::new();
        for (k, v) in [("charlson", r.charlson), ("katz_adl", r.katz), ("lawton_iadl", r.lawton)] {
            if let Some(v) = v {
                frailty.insert(k.into(), serde_json::json!(v));
            }
        }
        rec["frailty"] = serde_json::Value::Object(frailty);
        if let Some(a) = r.age {
            rec["age_years"] = serde_json::json!(a);
        }
        if let Some(s) = r.sex {
            rec["sex"] = serde_json::json!(s);
        }
        if let Some(w) = r.weight {
            rec["weight_kg"] = serde_json::json!(w);
        }
        if let Some(h) = r.height {
            rec["height_cm"] = serde_json::json!(h);
        }
        rec.to_string()
    }

    /// The findings the record lists (tested, or carrying a detail), in the core's abnormality
    /// order (the order the record validates them in).
    fn record_order(r: &Row) -> Vec<&'static str> {
        myeloma_pathway::cytogenetics::Abnormality::ALL
            .iter()
            .map(|a| a.id())
            .filter(|id| {
                let k = IDS.iter().position(|x| x == id);
                let tested = k.is_some_and(|k| r.cyto[k] != Status::NotTested);
                tested || (*id == "del_17p" && r.ccf.is_some()) || (*id == "del_1p32" && r.lost.is_some())
            })
            .collect()
    }

    /// The record's error as the columns name it: `cytogenetics[k]` is `cytogenetics.<id>`.
    fn named(e: &myeloma_pathway::Error, r: &Row) -> String {
        let mut s = e.to_string();
        for (k, id) in record_order(r).iter().enumerate() {
            s = s.replace(&format!("cytogenetics[{k}]"), &format!("cytogenetics.{id}"));
        }
        s
    }

    fn basis() -> impl Strategy<Value = WeightBasis> {
        prop_oneof![Just(WeightBasis::Actual), Just(WeightBasis::Ideal), Just(WeightBasis::Adjusted)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn columnar_crcl_frailty_and_risk_equal_the_per_patient_path_row_by_row(
            rows in proptest::collection::vec(row(), 1..48),
            basis in basis(),
            at_least in any::<bool>(),
        ) {
            let f = |k: usize| rows.iter().map(|r| r.labs[k]).collect::<Vec<_>>();
            let st = |k: usize| rows.iter().map(|r| r.cyto[k]).collect::<Vec<_>>();
            let (b2m, alb, ldh, uln) = (f(0), f(1), f(2), f(3));
            let (d17, t414, t1416, q1, t1420, hd, tp53, p1) = (st(0), st(1), st(2), st(3), st(4), st(5), st(6), st(7));
            let ccf: Vec<_> = rows.iter().map(|r| r.ccf).collect();
            let lost: Vec<_> = rows.iter().map(|r| r.lost).collect();
            let ints = |g: fn(&Row) -> Option<i64>| rows.iter().map(g).collect::<Vec<_>>();
            let nums = |g: fn(&Row) -> Option<f64>| rows.iter().map(g).collect::<Vec<_>>();
            let (age, charlson, katz, lawton) =
                (ints(|r| r.age), ints(|r| r.charlson), ints(|r| r.katz), ints(|r| r.lawton));
            let (weight, height, cr, crcl) =
                (nums(|r| r.weight), nums(|r| r.height), nums(|r| r.creatinine), nums(|r| r.crcl));
            let sex: Vec<_> = rows.iter().map(|r| r.sex).collect();
            let c = AssessColumns {
                staging: StagingColumns {
                    beta2_microglobulin_mg_l: &b2m,
                    albumin_g_dl: &alb,
                    ldh_u_l: &ldh,
                    ldh_uln_u_l: &uln,
                    del_17p: &d17,
                    t_4_14: &t414,
                    t_14_16: &t1416,
                    gain_1q: &q1,
                },
                age_years: &age,
                sex: &sex,
                weight_kg: &weight,
                height_cm: &height,
                charlson: &charlson,
                katz_adl: &katz,
                lawton_iadl: &lawton,
                creatinine_mg_dl: &cr,
                creatinine_clearance_ml_min: &crcl,
                t_14_20: &t1420,
                hyperdiploidy: &hd,
                tp53_mutation: &tp53,
                del_1p32: &p1,
                del_17p_clonal_fraction_pct: &ccf,
                del_1p32_copies_lost: &lost,
            };
            let cutoff = if at_least { Del17pCutoff::AtLeast20 } else { Del17pCutoff::Above20 };
            let g = Guideline::default().with_crcl_weight(basis).with_del17p_cutoff(cutoff);
            let out = assess_columns(&c, &g).expect("same lengths");
            prop_assert_eq!(out.risk_article.len(), rows.len());
            for (i, r) in rows.iter().enumerate() {
                match Patient::from_json(&record(r)) {
                    Err(e) => {
                        let got = out.staging.error[i].as_ref().map(|x| x.to_string());
                        prop_assert_eq!(got, Some(named(&e, r)), "row {}", i);
                        prop_assert_eq!(out.risk_article[i], None);
                        prop_assert_eq!(out.risk_ims2025[i], None);
                        prop_assert_eq!(out.imwg_frailty[i], None);
                        prop_assert_eq!(out.creatinine_clearance_ml_min[i], None);
                    }
                    Ok(p) => {
                        prop_assert!(out.staging.error[i].is_none(), "row {}: {:?}", i, out.staging.error[i]);
                        let s = staging::stage_all(kb(), &p);
                        prop_assert_eq!(out.staging.iss[i], s.iss.stage, "ISS row {}", i);
                        prop_assert_eq!(out.staging.r2_iss[i], s.r2_iss.staging.stage, "R2-ISS row {}", i);
                        let fr = fitness::imwg_frailty(kb(), &p);
                        prop_assert_eq!(out.imwg_frailty[i], fr.category, "frailty row {}", i);
                        prop_assert_eq!(out.imwg_frailty_points[i], fr.points, "frailty points row {}", i);
                        let cc = fitness::creatinine_clearance(kb(), &p, &g).ok().map(|c| c.ml_min);
                        prop_assert_eq!(out.creatinine_clearance_ml_min[i], cc, "CrCl row {}", i);
                        let lv = |d| Some(risk::assess(kb(), &p, d, g.del17p_cutoff()).level);
                        prop_assert_eq!(out.risk_article[i], lv(RiskDefinition::Article), "article row {}", i);
                        prop_assert_eq!(out.risk_imwg2016[i], lv(RiskDefinition::Imwg2016), "imwg2016 row {}", i);
                        prop_assert_eq!(out.risk_msmart3[i], lv(RiskDefinition::Msmart3), "msmart3 row {}", i);
                        prop_assert_eq!(out.risk_ims2025[i], lv(RiskDefinition::Ims2025), "ims2025 row {}", i);
                    }
                }
            }
        }
    }

    /// Absent columns are empty slices: every cell missing, and a result no missing value can
    /// change is still given (IMWG frailty: age 81 alone makes two points, frail).
    #[test]
    fn an_absent_column_is_missing_in_every_row_and_a_decided_frailty_is_still_given() {
        let none = [None];
        let st = [Status::NotTested];
        let c = AssessColumns {
            staging: StagingColumns {
                beta2_microglobulin_mg_l: &none,
                albumin_g_dl: &none,
                ldh_u_l: &none,
                ldh_uln_u_l: &none,
                del_17p: &st,
                t_4_14: &st,
                t_14_16: &st,
                gain_1q: &st,
            },
            age_years: &[Some(81)],
            sex: &[],
            weight_kg: &[],
            height_cm: &[],
            charlson: &[],
            katz_adl: &[],
            lawton_iadl: &[],
            creatinine_mg_dl: &[],
            creatinine_clearance_ml_min: &[],
            t_14_20: &[],
            hyperdiploidy: &[],
            tp53_mutation: &[],
            del_1p32: &[],
            del_17p_clonal_fraction_pct: &[],
            del_1p32_copies_lost: &[],
        };
        let g = Guideline::default();
        let out = assess_columns(&c, &g).expect("absent columns are empty");
        assert_eq!(out.imwg_frailty, [Some(fitness::FrailtyCategory::Frail)]);
        assert_eq!(out.imwg_frailty_points, [None]);
        assert_eq!(out.creatinine_clearance_ml_min, [None]);
        assert_eq!(out.risk_article, [Some(risk::RiskLevel::Undetermined)]);
        assert_eq!(out.risk_msmart3, [Some(risk::RiskLevel::Undetermined)]);
        assert_eq!(out.risk_ims2025, [Some(risk::RiskLevel::Undetermined)]);
        let short = AssessColumns { weight_kg: &[Some(70.0), Some(71.0)], ..c };
        let e = assess_columns(&short, &g).expect_err("weight has two rows");
        assert!(e.to_string().contains("weight_kg"), "{e}");
    }
}
