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
