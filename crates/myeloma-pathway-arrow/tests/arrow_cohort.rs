//! The Arrow path gives, row by row, the answer the per-patient path gives the same record (a
//! JSON record written here, independently of the core's column table), bad rows included;
//! schema problems fail before any row.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use myeloma_pathway::risk::{self, RiskDefinition};
use myeloma_pathway::{diagnosis, fitness, recommend_with, staging, Guideline, KnowledgeBase, Patient};
use myeloma_pathway_arrow::{assess_ipc, Assessor, Basis, Error, Options};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{json, Map, Value};

/// One synthetic row: each field empty, plausible, or (rarely) out of range / wrong.
#[derive(Debug, Clone)]
struct Row {
    age: Option<f64>,
    sex: Option<&'static str>,
    ecog: Option<i64>,
    weight: Option<f64>,
    height: Option<f64>,
    b2m: Option<f64>,
    albumin: Option<f64>,
    ldh: Option<f64>,
    ldh_uln: Option<f64>,
    creatinine: Option<f64>,
    bmpc: Option<f64>,
    lesions: Option<i64>,
    crab: Option<bool>,
    del17p: Option<&'static str>,
    t414: Option<&'static str>,
    gain1q: Option<&'static str>,
}

fn opt<T: std::fmt::Debug + Clone + 'static>(s: impl Strategy<Value = T> + 'static) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 4 => s.prop_map(Some)].boxed()
}

fn status() -> BoxedStrategy<Option<&'static str>> {
    opt(prop_oneof![Just("detected"), Just("not_detected"), Just("not_tested"), Just("maybe")])
}

fn row() -> impl Strategy<Value = Row> {
    (
        (
            opt(prop_oneof![9 => (18u8..95).prop_map(f64::from), 1 => Just(-3.0), 1 => Just(60.5)]),
            opt(prop_oneof![Just("male"), Just("female"), Just("Male")]),
            opt(prop_oneof![9 => 0i64..5, 1 => Just(7)]),
            opt(40.0f64..120.0),
            opt(140.0f64..200.0),
            opt(prop_oneof![9 => 0.5f64..12.0, 1 => Just(-1.0)]),
            opt(1.5f64..5.5),
            opt(100.0f64..600.0),
        ),
        (
            opt(Just(250.0)),
            opt(prop_oneof![9 => 0.5f64..4.0, 1 => Just(99.0)]),
            opt(0.0f64..90.0),
            opt(0i64..6),
            opt(any::<bool>()),
            status(),
            status(),
            status(),
        ),
    )
        .prop_map(
            |(
                (age, sex, ecog, weight, height, b2m, albumin, ldh),
                (ldh_uln, creatinine, bmpc, lesions, crab, del17p, t414, gain1q),
            )| Row {
                age,
                sex,
                ecog,
                weight,
                height,
                b2m,
                albumin,
                ldh,
                ldh_uln,
                creatinine,
                bmpc,
                lesions,
                crab,
                del17p,
                t414,
                gain1q,
            },
        )
}

/// The patient record of a row, written by hand from the record contract.
fn record(r: &Row) -> Value {
    let mut m = Map::new();
    let mut put = |path: &[&str], v: Value| {
        let mut node = &mut m;
        for (k, key) in path.iter().enumerate() {
            if k + 1 == path.len() {
                node.insert((*key).to_string(), v.clone());
            } else {
                node = node.entry((*key).to_string()).or_insert_with(|| json!({})).as_object_mut().unwrap();
            }
        }
    };
    let num = |x: f64| if x.fract() == 0.0 { json!(x as i64) } else { json!(x) };
    if let Some(x) = r.age {
        put(&["age_years"], num(x));
    }
    if let Some(x) = r.sex {
        put(&["sex"], json!(x));
    }
    if let Some(x) = r.ecog {
        put(&["ecog"], json!(x));
    }
    if let Some(x) = r.weight {
        put(&["weight_kg"], json!(x));
    }
    if let Some(x) = r.height {
        put(&["height_cm"], json!(x));
    }
    let lab = |x: f64, unit: &str| json!({"value": x, "unit": unit});
    if let Some(x) = r.b2m {
        put(&["labs", "beta2_microglobulin"], lab(x, "mg/L"));
    }
    if let Some(x) = r.albumin {
        put(&["labs", "albumin"], lab(x, "g/dL"));
    }
    if let Some(x) = r.ldh {
        put(&["labs", "ldh"], lab(x, "U/L"));
    }
    if let Some(x) = r.ldh_uln {
        put(&["labs", "ldh_upper_limit_of_normal"], lab(x, "U/L"));
    }
    if let Some(x) = r.creatinine {
        put(&["labs", "creatinine"], lab(x, "mg/dL"));
    }
    if let Some(x) = r.bmpc {
        put(&["labs", "bone_marrow_plasma_cells"], lab(x, "%"));
    }
    if let Some(x) = r.lesions {
        put(&["diagnosis", "osteolytic_lesions"], json!(x));
    }
    if let Some(x) = r.crab {
        put(&["diagnosis", "crab_attributable"], json!(x));
    }
    let mut cyto = Vec::new();
    // The record's list in the core's abnormality order.
    for (id, s) in [("del_17p", r.del17p), ("t_4_14", r.t414), ("gain_1q", r.gain1q)] {
        if let Some(s) = s {
            cyto.push((id, s));
        }
    }
    let order = |id: &str| myeloma_pathway::Abnormality::ALL.iter().position(|a| a.id() == id).unwrap();
    cyto.sort_by_key(|(id, _)| order(id));
    if !cyto.is_empty() {
        m.insert("cytogenetics".into(), cyto.iter().map(|(id, s)| json!({"abnormality": id, "status": s})).collect());
    }
    Value::Object(m)
}

fn batch(rows: &[Row]) -> RecordBatch {
    let f = |g: &dyn Fn(&Row) -> Option<f64>| Arc::new(rows.iter().map(g).collect::<Float64Array>()) as ArrayRef;
    let i = |g: &dyn Fn(&Row) -> Option<i64>| Arc::new(rows.iter().map(g).collect::<Int64Array>()) as ArrayRef;
    let s =
        |g: &dyn Fn(&Row) -> Option<&'static str>| Arc::new(rows.iter().map(g).collect::<StringArray>()) as ArrayRef;
    let ids: ArrayRef = Arc::new((0..rows.len() as i64).map(Some).collect::<Int64Array>());
    RecordBatch::try_from_iter([
        ("patient_id", ids),
        ("age_years", f(&|r| r.age)),
        ("sex", s(&|r| r.sex)),
        ("ecog", i(&|r| r.ecog)),
        ("weight_kg", f(&|r| r.weight)),
        ("height_cm", f(&|r| r.height)),
        ("beta2_microglobulin_mg_l", f(&|r| r.b2m)),
        ("albumin_g_dl", f(&|r| r.albumin)),
        ("ldh_u_l", f(&|r| r.ldh)),
        ("ldh_uln_u_l", f(&|r| r.ldh_uln)),
        ("creatinine_mg_dl", f(&|r| r.creatinine)),
        ("bone_marrow_plasma_cells_pct", f(&|r| r.bmpc)),
        ("osteolytic_lesions", i(&|r| r.lesions)),
        ("crab_attributable", Arc::new(rows.iter().map(|r| r.crab).collect::<BooleanArray>()) as ArrayRef),
        ("del_17p", s(&|r| r.del17p)),
        ("t_4_14", s(&|r| r.t414)),
        ("gain_1q", s(&|r| r.gain1q)),
    ])
    .unwrap()
}

fn name<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v).unwrap() {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn text(b: &RecordBatch, col: &str, i: usize) -> Option<String> {
    let a = b.column_by_name(col).unwrap_or_else(|| panic!("no column {col}")).as_string::<i32>();
    a.is_valid(i).then(|| a.value(i).to_string())
}

fn number(b: &RecordBatch, col: &str, i: usize) -> Option<f64> {
    let a = b.column_by_name(col).unwrap().as_primitive::<arrow_array::types::Float64Type>();
    a.is_valid(i).then(|| a.value(i))
}

fn list(b: &RecordBatch, col: &str, i: usize) -> Option<Vec<String>> {
    let a = b.column_by_name(col).unwrap().as_list::<i32>();
    a.is_valid(i).then(|| {
        let v = a.value(i);
        let s = v.as_string::<i32>();
        (0..s.len()).map(|k| s.value(k).to_string()).collect()
    })
}

/// Row `i` of the result equals the per-patient path on the same record.
fn check_row(kb: &KnowledgeBase, g: &Guideline, out: &RecordBatch, i: usize, r: &Row, plan: bool) {
    let rec = record(r).to_string();
    let p = match Patient::from_json(&rec) {
        Ok(p) => p,
        Err(e) => {
            assert_eq!(text(out, "error_kind", i).as_deref(), Some(e.kind()), "row {i}: {rec}");
            // The cohort names a cytogenetic finding by its abnormality (its column), not by its
            // index in the record's list: `cytogenetics[1].status` → `cytogenetics.t_4_14.status`.
            let v: Value = serde_json::from_str(&rec).unwrap();
            let field = e.field().map(|f| match f.strip_prefix("cytogenetics[").and_then(|r| r.split_once(']')) {
                Some((k, tail)) => {
                    let id = &v["cytogenetics"][k.parse::<usize>().unwrap()]["abnormality"];
                    format!("cytogenetics.{}{tail}", id.as_str().unwrap())
                }
                None => f.to_string(),
            });
            assert_eq!(text(out, "error_field", i), field, "row {i}: {rec}");
            assert_eq!(text(out, "iss", i), None);
            assert_eq!(text(out, "risk", i), None);
            return;
        }
    };
    assert_eq!(text(out, "error", i), None, "row {i}: {rec}");
    let st = staging::stage_all(kb, &p);
    assert_eq!(text(out, "iss", i), st.iss.stage.as_ref().and_then(name), "row {i}: {rec}");
    assert_eq!(text(out, "r_iss", i), st.r_iss.stage.as_ref().and_then(name), "row {i}");
    assert_eq!(text(out, "r2_iss", i), st.r2_iss.staging.stage.as_ref().and_then(name), "row {i}");
    assert_eq!(number(out, "r2_iss_points", i), st.r2_iss.points, "row {i}");
    for d in RiskDefinition::ALL {
        let want = name(&risk::assess(kb, &p, d, g.del17p_cutoff()).level);
        assert_eq!(text(out, &format!("risk_{}", d.id()), i), want, "row {i} {}", d.id());
    }
    let imwg = fitness::imwg_frailty(kb, &p);
    assert_eq!(text(out, "imwg_frailty", i), imwg.category.as_ref().and_then(name), "row {i}");
    assert_eq!(number(out, "imwg_frailty_points", i), imwg.points.map(f64::from), "row {i}");
    assert_eq!(
        text(out, "simplified_frailty", i),
        fitness::simplified_frailty(kb, &p).category.as_ref().and_then(name)
    );
    let crcl = fitness::creatinine_clearance(kb, &p, g).ok().map(|c| c.ml_min);
    assert_eq!(number(out, "creatinine_clearance_ml_min", i), crcl, "row {i}");
    assert_eq!(text(out, "transplant_eligibility", i), name(&fitness::transplant_eligibility(kb, &p, g).eligibility));
    assert_eq!(text(out, "diagnosis", i), name(&diagnosis::diagnose_with(kb, &p, g).class), "row {i}");
    if plan {
        let pl = recommend_with(kb, &p, g).unwrap();
        assert_eq!(text(out, "risk", i), name(&pl.risk.level));
        assert_eq!(text(out, "first_regimen", i), pl.options.first().map(|o| o.regimen_id.clone()), "row {i}");
        assert_eq!(text(out, "phase", i), name(&pl.position.phase));
        assert_eq!(number(out, "n_warnings", i), Some(pl.warnings.len() as f64));
        let mut missing: Vec<String> = pl.missing_inputs.iter().map(|m| m.field.clone()).collect();
        missing.dedup();
        assert_eq!(list(out, "missing_inputs", i), Some(missing));
        assert_eq!(text(out, "plan_json", i), Some(pl.to_json()), "row {i}");
    } else {
        assert_eq!(text(out, "risk", i), name(&risk::assess(kb, &p, g.risk_definition(), g.del17p_cutoff()).level));
        assert!(out.column_by_name("first_regimen").is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_row_of_an_arrow_batch_equals_the_per_patient_path(rows in proptest::collection::vec(row(), 1..40), plan in any::<bool>()) {
        let kb = KnowledgeBase::embedded();
        let g = Guideline::default();
        let b = batch(&rows);
        let o = Options { plan, plan_json: plan, keep: vec!["patient_id".into()], ..Options::default() };
        let a = Assessor::new(kb, &g, &b.schema(), o).unwrap();
        let out = a.assess(&b).unwrap();
        prop_assert_eq!(out.num_rows(), rows.len());
        prop_assert_eq!(out.column(0).as_ref(), b.column(0).as_ref());
        for (i, r) in rows.iter().enumerate() {
            check_row(kb, &g, &out, i, r, plan);
        }
    }
}

fn sample_rows(n: usize) -> Vec<Row> {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let s = row();
    (0..n).map(|_| s.new_tree(&mut runner).unwrap().current()).collect()
}

#[test]
fn slices_and_threads_do_not_change_the_answer() {
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    let b = batch(&sample_rows(300));
    let keep = vec!["patient_id".to_string()];
    let one = Assessor::new(kb, &g, &b.schema(), Options { keep: keep.clone(), ..Options::default() })
        .unwrap()
        .assess(&b)
        .unwrap();
    let o = Options { threads: 4, max_rows_per_batch: 64, keep, ..Options::default() };
    let parts = Assessor::new(kb, &g, &b.schema(), o).unwrap().assess_sliced(&b).unwrap();
    assert_eq!(parts.len(), 5);
    let mut off = 0;
    for p in &parts {
        assert_eq!(*p, one.slice(off, p.num_rows()));
        off += p.num_rows();
    }
    assert_eq!(off, 300);
}

#[test]
fn a_missing_required_column_fails_before_any_row_naming_it() {
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    let b = batch(&sample_rows(3)).project(&[1, 2]).unwrap(); // age_years, sex
    let o = Options { require: vec!["age_years".into(), "beta2_microglobulin_mg_l".into()], ..Options::default() };
    let e = Assessor::new(kb, &g, &b.schema(), o.clone()).unwrap_err();
    assert_eq!(e.column, "beta2_microglobulin_mg_l");
    assert!(e.message.contains("required column(s) missing: `beta2_microglobulin_mg_l`"), "{}", e.message);
    // Streaming: nothing is written.
    let mut input = Vec::new();
    {
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut input, &b.schema()).unwrap();
        w.write(&b).unwrap();
        w.finish().unwrap();
    }
    let mut output = Vec::new();
    match assess_ipc(kb, &g, input.as_slice(), &mut output, o) {
        Err(Error::Column(e)) => assert_eq!(e.column, "beta2_microglobulin_mg_l"),
        other => panic!("{other:?}"),
    }
    assert!(output.is_empty());
}

#[test]
fn an_unknown_column_or_an_impossible_type_is_refused_naming_it() {
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    let b = RecordBatch::try_from_iter([("Age_Years", Arc::new(Float64Array::from(vec![60.0])) as ArrayRef)]).unwrap();
    let e = Assessor::new(kb, &g, &b.schema(), Options::default()).unwrap_err();
    assert_eq!(e.column, "Age_Years");
    let b = RecordBatch::try_from_iter([("age_years", Arc::new(arrow_array::Date32Array::from(vec![1])) as ArrayRef)])
        .unwrap();
    let e = Assessor::new(kb, &g, &b.schema(), Options::default()).unwrap_err();
    assert_eq!(e.column, "age_years");
    assert!(e.message.contains("Date32"), "{}", e.message);
}

#[test]
fn a_bad_row_gets_its_error_in_its_row_and_the_others_are_assessed() {
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    let b = RecordBatch::try_from_iter([
        ("age_years", Arc::new(Float64Array::from(vec![Some(60.0), Some(200.0), None])) as ArrayRef),
        ("sex", Arc::new(StringArray::from(vec![Some("male"), Some("male"), Some("robot")])) as ArrayRef),
        ("beta2_microglobulin_mg_l", Arc::new(Float64Array::from(vec![Some(2.0), Some(2.0), Some(2.0)])) as ArrayRef),
        ("albumin_g_dl", Arc::new(Float64Array::from(vec![Some(4.0), Some(4.0), Some(4.0)])) as ArrayRef),
    ])
    .unwrap();
    let out = Assessor::new(kb, &g, &b.schema(), Options::default()).unwrap().assess(&b).unwrap();
    assert_eq!(text(&out, "error", 0), None);
    assert_eq!(text(&out, "iss", 0).as_deref(), Some("I"));
    assert_eq!(text(&out, "error_field", 1).as_deref(), Some("age_years"));
    assert_eq!(text(&out, "error_kind", 1).as_deref(), Some("out_of_range"));
    assert_eq!(text(&out, "iss", 1), None);
    assert_eq!(text(&out, "error_field", 2).as_deref(), Some("sex"));
    assert_eq!(list(&out, "error_fields", 2), Some(vec!["sex".to_string()]));
}

#[test]
fn the_basis_column_names_library_knowledge_base_and_guideline() {
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    let b = batch(&sample_rows(2));
    let basis = Basis::new(kb, "{}".into());
    let o = Options { basis: Some(basis), keep: vec!["patient_id".into()], ..Options::default() };
    let out = Assessor::new(kb, &g, &b.schema(), o).unwrap().assess(&b).unwrap();
    let s = out.column_by_name("basis").unwrap().as_struct();
    let sha = s.column_by_name("kb_sha256").unwrap().as_string::<i32>();
    assert_eq!(sha.value(1), kb.sha256());
    assert_eq!(s.column_by_name("guideline").unwrap().as_string::<i32>().value(0), "{}");
}

mod columnar {
    //! `assess_columnar` equals `Assessor::assess` (the full, per-record path) on the columns it
    //! covers, row by row, on the synthetic cohort above plus the frailty, measured-clearance and
    //! further cytogenetic columns (bad cells included).
    use super::*;
    use myeloma_pathway_arrow::{assess_columnar, COLUMNAR_INPUTS, COLUMNAR_OUTPUTS};

    /// charlson, katz_adl, lawton_iadl, measured CrCl, t(14;20), hyperdiploidy, TP53 mutation,
    /// del(1p32).
    type Extra = (
        Option<f64>,
        Option<i64>,
        Option<i64>,
        Option<f64>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    fn extra() -> impl Strategy<Value = Extra> {
        (
            opt(prop_oneof![8 => (0u8..6).prop_map(f64::from), 1 => Just(38.0), 1 => Just(1.5), 1 => Just(-1.0)]),
            opt(prop_oneof![9 => 0i64..7, 1 => Just(7)]),
            opt(prop_oneof![9 => 0i64..9, 1 => Just(300)]),
            prop_oneof![3 => Just(None), 1 => opt(prop_oneof![9 => 5.0f64..200.0, 1 => Just(0.5)])],
            status(),
            status(),
            status(),
            status(),
        )
    }

    fn cohort(rows: &[Row], extras: &[Extra]) -> RecordBatch {
        let b = batch(rows);
        let keep: Vec<usize> =
            (0..b.num_columns()).filter(|&k| COLUMNAR_INPUTS.contains(&b.schema().field(k).name().as_str())).collect();
        let b = b.project(&keep).unwrap();
        let mut cols: Vec<(String, ArrayRef)> =
            b.schema().fields().iter().map(|f| f.name().clone()).zip(b.columns().iter().cloned()).collect();
        let s = |g: &dyn Fn(&Extra) -> Option<&'static str>| {
            Arc::new(extras.iter().map(g).collect::<StringArray>()) as ArrayRef
        };
        cols.push(("charlson".into(), Arc::new(extras.iter().map(|e| e.0).collect::<Float64Array>())));
        cols.push(("katz_adl".into(), Arc::new(extras.iter().map(|e| e.1).collect::<Int64Array>())));
        cols.push(("lawton_iadl".into(), Arc::new(extras.iter().map(|e| e.2).collect::<Int64Array>())));
        cols.push((
            "creatinine_clearance_ml_min".into(),
            Arc::new(extras.iter().map(|e| e.3).collect::<Float64Array>()),
        ));
        cols.push(("t_14_20".into(), s(&|e| e.4)));
        cols.push(("hyperdiploidy".into(), s(&|e| e.5)));
        cols.push(("tp53_mutation".into(), s(&|e| e.6)));
        cols.push(("del_1p32".into(), s(&|e| e.7)));
        RecordBatch::try_from_iter(cols).unwrap()
    }

    /// A result cell as text: utf8, a dictionary of utf8, or float64.
    fn cell(b: &RecordBatch, col: &str, i: usize) -> Option<String> {
        let a = b.column_by_name(col).unwrap_or_else(|| panic!("no column {col}"));
        if a.is_null(i) {
            return None;
        }
        Some(match a.data_type() {
            arrow_schema::DataType::Float64 => {
                format!("{}", a.as_primitive::<arrow_array::types::Float64Type>().value(i))
            }
            arrow_schema::DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
            arrow_schema::DataType::Dictionary(..) => {
                let d = a.as_any_dictionary();
                let k = d.normalized_keys()[i];
                d.values().as_string::<i32>().value(k).to_string()
            }
            t => panic!("unexpected type {t}"),
        })
    }

    fn same(rows: &[Row], extras: &[Extra]) -> Result<(), TestCaseError> {
        let input = cohort(rows, extras);
        let g = Guideline::default();
        let full = Assessor::new(KnowledgeBase::embedded(), &g, &input.schema(), Options::default())
            .unwrap()
            .assess(&input)
            .unwrap();
        let fast = assess_columnar(&input, &g).unwrap();
        prop_assert_eq!(fast.num_rows(), rows.len());
        for i in 0..rows.len() {
            for col in COLUMNAR_OUTPUTS.iter().filter(|c| **c != "error") {
                let (a, b) = (cell(&fast, col, i), cell(&full, col, i));
                // A measured clearance is passed on as given; the full path reads it back from
                // its JSON text, whose float parsing may move the last bit.
                let close = match (a.as_deref().map(str::parse::<f64>), b.as_deref().map(str::parse::<f64>)) {
                    (Some(Ok(x)), Some(Ok(y))) => (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                    _ => false,
                };
                prop_assert!(a == b || close, "column {} row {}: {:?} != {:?}", col, i, a, b);
            }
            // `error` holds the first of the full path's errors.
            let (e_fast, e_full) = (cell(&fast, "error", i), cell(&full, "error", i));
            prop_assert_eq!(e_fast.is_some(), e_full.is_some(), "row {}", i);
            if let (Some(a), Some(b)) = (e_fast, e_full) {
                prop_assert!(b.starts_with(&a), "row {}: {} is not the first of {}", i, a, b);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_columnar_arrow_path_equals_assess_arrow_on_the_columns_it_covers(
            rows in proptest::collection::vec((row(), extra()), 1..40),
        ) {
            let (r, e): (Vec<Row>, Vec<Extra>) = rows.into_iter().unzip();
            same(&r, &e)?;
        }
    }

    #[test]
    fn a_column_the_columnar_path_does_not_read_is_refused_naming_it() {
        let b = batch(&sample_rows(3));
        let e = assess_columnar(&b, &Guideline::default()).unwrap_err();
        assert!(e.to_string().contains("`patient_id`"), "{e}");
    }

    #[test]
    fn enum_results_are_dictionary_columns_holding_every_value() {
        let rows = sample_rows(5);
        let extras = vec![(None, None, None, None, None, None, None, None); 5];
        let out = assess_columnar(&cohort(&rows, &extras), &Guideline::default()).unwrap();
        let d = out.column_by_name("r2_iss").unwrap().as_any_dictionary();
        assert_eq!(d.values().len(), 4);
        let d = out.column_by_name("imwg_frailty").unwrap().as_any_dictionary();
        assert_eq!(
            d.values().as_string::<i32>().iter().flatten().collect::<Vec<_>>(),
            ["fit", "intermediate_fit", "non_frail", "frail"]
        );
    }
}

/// `assess_columnar` over more rows than one chunk gives the same table on 1 and on 4 threads
/// (local rayon pools), and the same as the rows assessed chunk by chunk on their own.
#[test]
fn columnar_answers_do_not_depend_on_the_thread_count() {
    use myeloma_pathway_arrow::rayon::ThreadPoolBuilder;
    use myeloma_pathway_arrow::{assess_columnar, CHUNK_ROWS, COLUMNAR_INPUTS};
    let n = 2 * CHUNK_ROWS + 1_000;
    let b = batch(&sample_rows(n));
    let keep: Vec<usize> =
        (0..b.num_columns()).filter(|&k| COLUMNAR_INPUTS.contains(&b.schema().field(k).name().as_str())).collect();
    let b = b.project(&keep).unwrap();
    let g = Guideline::default();
    let on = |threads: usize| {
        let pool = ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| assess_columnar(&b, &g).unwrap())
    };
    let one = on(1);
    assert_eq!(one.num_rows(), n);
    assert_eq!(on(4), one);
    // The last, shorter chunk on its own gives the same rows.
    let lo = 2 * CHUNK_ROWS;
    let tail = assess_columnar(&b.slice(lo, n - lo), &g).unwrap();
    assert_eq!(tail, one.slice(lo, n - lo));
}
