//! Benchmarks (divan). Absolute times on shared machines are noise, so every figure is also
//! reported as a ratio to a baseline measured in the same run: parsing and validating the
//! patient record (`a_baseline::parse_record`).
//!
//! Run: `cargo run --release -p myeloma-pathway-benches` — divan's table, then the ratio
//! table (results in docs/performance.md). Arguments after `--` are divan's (a name filter,
//! `--sample-count`, `--max-time`, ...), e.g. `-- plan` or `-- batch`.
//! `-- --quick` runs every benchmark once with the batches cut to 1,000 rows (divan's test mode;
//! scripts/test uses it in the dev profile so they keep compiling and running);
//! `-- --only plan|plan2|kb|batch|cohort` runs one path alone, outside divan (for callgrind);
//! `-- --only parts` warms up, then runs each per-patient path once in its own `m_*` function
//! (`callgrind_annotate --inclusive=yes` gives each one's instructions in one run: the ratios of
//! docs/performance.md);
//! `-- --ratios FILE` prints the ratio table of a saved run's output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::missing_safety_doc)]

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::LazyLock;
use std::time::Duration;

use divan::counter::ItemsCount;
use divan::{Bencher, Divan};
use myeloma_pathway::columns::{assess_columns, stage_columns, AssessColumns, StagingColumns};
use myeloma_pathway::cytogenetics::Status;
use myeloma_pathway::{
    api, diagnosis, fitness, recommend_with, response, risk, staging, Guideline, KnowledgeBase, Patient,
};

/// Set in `--quick` mode: batches are cut to 1,000 rows.
static QUICK: AtomicBool = AtomicBool::new(false);

/// `n`, or 1,000 in quick mode.
fn rows(n: usize) -> usize {
    if QUICK.load(Ordering::Relaxed) {
        n.min(1_000)
    } else {
        n
    }
}

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{}/../{p}", env!("CARGO_MANIFEST_DIR"))).expect("example file")
}

fn golden_patient(name: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(&read(&format!("tests/golden/{name}.json"))).expect("json");
    v["patient"].to_string()
}

/// The baseline's record: a fit 60-year-old, newly diagnosed, standard risk.
static NEW: LazyLock<String> = LazyLock::new(|| read("examples/patients/fit-60-standard-risk.json"));
static P_NEW: LazyLock<Patient> = LazyLock::new(|| Patient::from_json(&NEW).expect("valid"));
/// Relapse, line 4, triple-class exposed (61 history events).
static P_REL: LazyLock<Patient> =
    LazyLock::new(|| Patient::from_json(&golden_patient("relapse-line-4-triple-class-exposed")).expect("valid"));
/// A synthetic 24-visit response series ([`response_series`]).
static RESP: LazyLock<String> = LazyLock::new(response_series);
static P_RESP: LazyLock<Patient> = LazyLock::new(|| Patient::from_json(&RESP).expect("valid 24-visit record"));
static G: LazyLock<Guideline> = LazyLock::new(Guideline::default);

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

/// A record with 24 response assessments: the golden case "CR sustained, MRD negative, on DR
/// maintenance" with its three assessments replaced by a monthly series — baseline M-protein
/// 2.8 g/dL and urine 150 mg/24 h, falling by a quarter a month, then negative serum and urine
/// immunofixation from visit 13 on.
fn response_series() -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&golden_patient("response-cr-sustained-mrd-negative-on-dr-maintenance")).expect("json");
    let visits: Vec<serde_json::Value> = (0..24)
        .map(|k: i32| {
            let (year, month) = (2024 + k / 12, 1 + k % 12);
            let date = format!("{year}-{month:02}-08");
            if k >= 12 {
                serde_json::json!({
                    "date": date,
                    "serum_m_protein": {"value": 0, "unit": "g/dL"},
                    "urine_m_protein": {"value": 0, "unit": "mg/24h"},
                    "serum_immunofixation": "negative",
                    "urine_immunofixation": "negative",
                })
            } else {
                let f = 0.75f64.powi(k);
                serde_json::json!({
                    "date": date,
                    "serum_m_protein": {"value": (2.8 * f * 100.0).round() / 100.0, "unit": "g/dL"},
                    "urine_m_protein": {"value": (150.0 * f).round(), "unit": "mg/24h"},
                })
            }
        })
        .collect();
    v["response_assessments"] = serde_json::Value::Array(visits);
    v.to_string()
}

/// A deterministic synthetic cohort (xorshift), canonical units, ~10% of each cell missing.
pub struct Cohort {
    pub b2m: Vec<Option<f64>>,
    pub alb: Vec<Option<f64>>,
    pub ldh: Vec<Option<f64>>,
    pub uln: Vec<Option<f64>>,
    pub cr: Vec<Option<f64>>,
    pub age: Vec<Option<i64>>,
    /// del(17p), t(4;14), t(14;16), 1q+.
    pub cyto: [Vec<Status>; 4],
}

fn cohort(n: usize) -> Cohort {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut c = Cohort {
        b2m: vec![],
        alb: vec![],
        ldh: vec![],
        uln: vec![],
        cr: vec![],
        age: vec![],
        cyto: Default::default(),
    };
    for _ in 0..n {
        let mut cell = |lo: f64, hi: f64| {
            if next() < 0.1 {
                None
            } else {
                Some(((lo + (hi - lo) * next()) * 10.0).round() / 10.0)
            }
        };
        c.b2m.push(cell(1.0, 9.0));
        c.alb.push(cell(2.0, 5.0));
        let l = cell(100.0, 400.0);
        c.ldh.push(l);
        c.uln.push(if l.is_some() { Some(250.0) } else { None });
        c.cr.push(cell(0.6, 3.0));
        c.age.push(cell(40.0, 90.0).map(|a| a as i64));
        for col in c.cyto.iter_mut() {
            let x = next();
            col.push(if x < 0.15 {
                Status::Detected
            } else if x < 0.9 {
                Status::NotDetected
            } else {
                Status::NotTested
            });
        }
    }
    c
}

fn staging_columns(c: &Cohort) -> StagingColumns<'_> {
    StagingColumns {
        beta2_microglobulin_mg_l: &c.b2m,
        albumin_g_dl: &c.alb,
        ldh_u_l: &c.ldh,
        ldh_uln_u_l: &c.uln,
        del_17p: &c.cyto[0],
        t_4_14: &c.cyto[1],
        t_14_16: &c.cyto[2],
        gain_1q: &c.cyto[3],
    }
}

fn assess_cols(c: &Cohort) -> AssessColumns<'_> {
    AssessColumns {
        staging: staging_columns(c),
        age_years: &c.age,
        sex: &[],
        weight_kg: &[],
        height_cm: &[],
        charlson: &[],
        katz_adl: &[],
        lawton_iadl: &[],
        creatinine_mg_dl: &c.cr,
        creatinine_clearance_ml_min: &[],
        t_14_20: &[],
        hyperdiploidy: &[],
        tp53_mutation: &[],
        del_1p32: &[],
        del_17p_clonal_fraction_pct: &[],
        del_1p32_copies_lost: &[],
    }
}

/// The same cohort as an Arrow record batch of the columnar path's input columns.
fn arrow_batch(c: &Cohort) -> myeloma_pathway_arrow::arrow_array::RecordBatch {
    use myeloma_pathway_arrow::arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let f = |v: &[Option<f64>]| Arc::new(Float64Array::from(v.to_vec())) as ArrayRef;
    let t = |v: &[Status]| {
        Arc::new(
            v.iter()
                .map(|s| match s {
                    Status::Detected => Some("detected"),
                    Status::NotDetected => Some("not_detected"),
                    Status::NotTested => None,
                })
                .collect::<StringArray>(),
        ) as ArrayRef
    };
    let age: Vec<Option<f64>> = c.age.iter().map(|a| a.map(|a| a as f64)).collect();
    RecordBatch::try_from_iter([
        ("age_years", f(&age)),
        ("creatinine_mg_dl", f(&c.cr)),
        ("beta2_microglobulin_mg_l", f(&c.b2m)),
        ("albumin_g_dl", f(&c.alb)),
        ("ldh_u_l", f(&c.ldh)),
        ("ldh_uln_u_l", f(&c.uln)),
        ("del_17p", t(&c.cyto[0])),
        ("t_4_14", t(&c.cyto[1])),
        ("t_14_16", t(&c.cyto[2])),
        ("gain_1q", t(&c.cyto[3])),
    ])
    .expect("batch")
}

/// The baseline: parse and validate the record (every ratio is to this, same run).
mod a_baseline {
    use super::*;

    #[divan::bench]
    fn parse_record(b: Bencher) {
        b.bench(|| Patient::from_json(black_box(&NEW)).ok());
    }
}

/// Each assessment alone, on the baseline's patient (the response series on its own record).
mod assessments {
    use super::*;

    #[divan::bench]
    fn iss(b: Bencher) {
        b.bench(|| staging::iss(kb(), black_box(&P_NEW)));
    }
    #[divan::bench]
    fn r_iss(b: Bencher) {
        b.bench(|| staging::r_iss(kb(), black_box(&P_NEW)));
    }
    #[divan::bench]
    fn r2_iss(b: Bencher) {
        b.bench(|| staging::r2_iss(kb(), black_box(&P_NEW)));
    }
    #[divan::bench]
    fn stage_all(b: Bencher) {
        b.bench(|| staging::stage_all(kb(), black_box(&P_NEW)));
    }
    fn risk_under(b: Bencher, d: risk::RiskDefinition) {
        b.bench(|| risk::assess(kb(), black_box(&P_NEW), d, risk::Del17pCutoff::Above20));
    }
    #[divan::bench]
    fn risk_article(b: Bencher) {
        risk_under(b, risk::RiskDefinition::Article);
    }
    #[divan::bench]
    fn risk_imwg2016(b: Bencher) {
        risk_under(b, risk::RiskDefinition::Imwg2016);
    }
    #[divan::bench]
    fn risk_msmart3(b: Bencher) {
        risk_under(b, risk::RiskDefinition::Msmart3);
    }
    #[divan::bench]
    fn risk_ims2025(b: Bencher) {
        risk_under(b, risk::RiskDefinition::Ims2025);
    }
    #[divan::bench]
    fn risk_compare_all_4(b: Bencher) {
        b.bench(|| risk::compare(kb(), black_box(&P_NEW), risk::Del17pCutoff::Above20));
    }
    #[divan::bench]
    fn creatinine_clearance(b: Bencher) {
        b.bench(|| fitness::creatinine_clearance(kb(), black_box(&P_NEW), &G).ok());
    }
    #[divan::bench]
    fn imwg_frailty(b: Bencher) {
        b.bench(|| fitness::imwg_frailty(kb(), black_box(&P_NEW)));
    }
    #[divan::bench]
    fn transplant_eligibility(b: Bencher) {
        b.bench(|| fitness::transplant_eligibility(kb(), black_box(&P_NEW), &G));
    }
    #[divan::bench]
    fn diagnosis_imwg2014(b: Bencher) {
        b.bench(|| diagnosis::diagnose(kb(), black_box(&P_NEW)));
    }
    /// IMWG response over a 24-visit series (confirmation, best response, progression checks).
    #[divan::bench]
    fn response_24_visits(b: Bencher) {
        b.bench(|| response::assess_response(kb(), black_box(&P_RESP)).ok());
    }
    /// Parsing the 24-visit record (this row's own baseline).
    #[divan::bench]
    fn response_24_visits_parse(b: Bencher) {
        b.bench(|| Patient::from_json(black_box(&RESP)).ok());
    }
}

/// A whole plan (with counterfactuals), from a parsed patient.
mod plan {
    use super::*;

    #[divan::bench]
    fn newly_diagnosed(b: Bencher) {
        b.bench(|| recommend_with(kb(), black_box(&P_NEW), &G).ok());
    }
    #[divan::bench]
    fn relapse_line_4(b: Bencher) {
        b.bench(|| recommend_with(kb(), black_box(&P_REL), &G).ok());
    }
}

/// JSON round trip: record JSON in, plan JSON out, and the plan JSON read back.
mod json {
    use super::*;

    static PLAN_JSON: LazyLock<String> = LazyLock::new(|| recommend_with(kb(), &P_NEW, &G).expect("plan").to_json());

    #[divan::bench]
    fn record_json_to_plan_json(b: Bencher) {
        b.bench(|| api::run_json(api::Assessment::Plan, black_box(&NEW), None).ok());
    }
    #[divan::bench]
    fn plan_to_json(b: Bencher) {
        let plan = recommend_with(kb(), &P_NEW, &G).expect("plan");
        b.bench(|| black_box(&plan).to_json());
    }
    #[divan::bench]
    fn plan_json_parse(b: Bencher) {
        b.bench(|| serde_json::from_str::<serde_json::Value>(black_box(&PLAN_JSON)).ok());
    }
}

/// The C call path (the extern "C" functions of myeloma-pathway-c, called from Rust as a C
/// caller would: handles, status codes, NUL-terminated plan JSON) against the Rust call.
mod c_vs_rust {
    use super::*;
    use mp_c::{
        mp_patient, mp_patient_free, mp_patient_from_json_len, mp_plan, mp_plan_free, mp_plan_json, mp_recommend,
        mp_status,
    };
    use std::ffi::{c_char, CStr};
    use std::ptr::{null, null_mut};

    /// A patient handle shared by the benchmark's threads (it is only read).
    struct Handle(*const mp_patient);
    // SAFETY: the C API only reads a patient handle in mp_recommend; nothing frees it meanwhile.
    unsafe impl Sync for Handle {}
    impl Handle {
        fn get(&self) -> *const mp_patient {
            self.0
        }
    }

    /// Record JSON → patient handle → plan handle → plan JSON (borrowed), everything freed.
    fn c_json_to_plan_json(json: &str) -> usize {
        let mut p: *mut mp_patient = null_mut();
        assert_eq!(
            unsafe { mp_patient_from_json_len(json.as_ptr().cast::<c_char>(), json.len(), &mut p) },
            mp_status::Ok
        );
        let mut plan: *mut mp_plan = null_mut();
        assert_eq!(unsafe { mp_recommend(p, null(), &mut plan) }, mp_status::Ok);
        let mut out: *const c_char = null();
        assert_eq!(unsafe { mp_plan_json(plan, &mut out) }, mp_status::Ok);
        let len = unsafe { CStr::from_ptr(out) }.to_bytes().len();
        unsafe {
            mp_plan_free(plan);
            mp_patient_free(p);
        }
        len
    }

    #[divan::bench]
    fn rust_plan(b: Bencher) {
        b.bench(|| recommend_with(kb(), black_box(&P_NEW), &G).ok());
    }
    #[divan::bench]
    fn c_plan(b: Bencher) {
        let mut p: *mut mp_patient = null_mut();
        assert_eq!(
            unsafe { mp_patient_from_json_len(NEW.as_ptr().cast::<c_char>(), NEW.len(), &mut p) },
            mp_status::Ok
        );
        let h = Handle(p.cast_const());
        b.bench(|| {
            let mut plan: *mut mp_plan = null_mut();
            let st = unsafe { mp_recommend(black_box(h.get()), null(), &mut plan) };
            unsafe { mp_plan_free(plan) };
            st
        });
        unsafe { mp_patient_free(p) };
    }
    #[divan::bench]
    fn rust_json_to_plan_json(b: Bencher) {
        b.bench(|| {
            let p = Patient::from_json(black_box(&NEW)).expect("valid");
            recommend_with(kb(), &p, &G).expect("plan").to_json().len()
        });
    }
    #[divan::bench]
    fn c_json_to_plan_json_bench(b: Bencher) {
        b.bench(|| c_json_to_plan_json(black_box(&NEW)));
    }
}

/// Columnar batches: cost per row as the batch grows (1k, 100k, 1M synthetic patients).
mod batch {
    use super::*;

    /// ISS + R-ISS + R2-ISS per row (`columns::stage_columns`).
    #[divan::bench(args = [1_000, 100_000, 1_000_000], sample_count = 20, sample_size = 1)]
    fn stage_columns_rows(b: Bencher, n: usize) {
        let c = cohort(rows(n));
        let cols = staging_columns(&c);
        b.counter(ItemsCount::new(c.b2m.len())).bench(|| stage_columns(black_box(&cols)).ok());
    }

    /// Staging, risk under all four definitions, frailty, CrCl per row (`columns::assess_columns`).
    #[divan::bench(args = [1_000, 100_000, 1_000_000], sample_count = 20, sample_size = 1)]
    fn assess_columns_rows(b: Bencher, n: usize) {
        let c = cohort(rows(n));
        let cols = assess_cols(&c);
        b.counter(ItemsCount::new(c.b2m.len())).bench(|| assess_columns(black_box(&cols), &G).ok());
    }
}

/// The Arrow columnar path (`myeloma_pathway_arrow::assess_columnar`), 1M rows, on a local rayon
/// pool of 1 and of 2 threads.
mod arrow_columnar {
    use super::*;
    use myeloma_pathway_arrow::rayon::ThreadPoolBuilder;

    #[divan::bench(args = [1, 2], sample_count = 10, sample_size = 1)]
    fn threads_1m_rows(b: Bencher, threads: usize) {
        let batch = arrow_batch(&cohort(rows(1_000_000)));
        let pool = ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        b.counter(ItemsCount::new(batch.num_rows()))
            .bench(|| pool.install(|| myeloma_pathway_arrow::assess_columnar(black_box(&batch), &G).ok()));
    }
}

/// Seconds in a divan time cell (`12.5 µs`).
fn seconds(cell: &str) -> Option<f64> {
    let mut it = cell.split_whitespace();
    let v: f64 = it.next()?.parse().ok()?;
    // The prefix before `s`; divan writes micro as U+00B5 or U+03BC depending on the version.
    let scale = match it.next()?.strip_suffix('s')? {
        "p" => 1e-12,
        "n" => 1e-9,
        "\u{b5}" | "\u{3bc}" | "u" => 1e-6,
        "m" => 1e-3,
        "" => 1.0,
        _ => return None,
    };
    Some(v * scale)
}

/// (benchmark path, median seconds) from divan's table, in its order.
fn medians(table: &str) -> Vec<(String, f64)> {
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in table.lines() {
        // The tree drawing first (each level indents by 3 characters), then the cells.
        let start = line.chars().take_while(|c| matches!(c, '├' | '╰' | '─' | '│' | ' ')).count();
        let rest: String = line.chars().skip(start).collect();
        let cells: Vec<&str> = rest.split('│').collect();
        let Some(name) = cells.first().and_then(|c| c.split_whitespace().next()) else { continue };
        if start == 0 || cells.len() < 4 {
            continue;
        }
        let depth = start / 3;
        stack.truncate(depth.saturating_sub(1));
        stack.push(name.to_string());
        if let Some(m) = seconds(cells[2].trim()) {
            out.push((stack.join("::"), m));
        }
    }
    out
}

fn ratio_table(table: &str) {
    let rows = medians(table);
    let Some(&(_, base)) = rows.iter().find(|(n, _)| n == "a_baseline::parse_record") else {
        println!("(no baseline in this run: ratios need a_baseline::parse_record)");
        return;
    };
    println!("\n| benchmark | median | ratio to parse_record (same run) | per row |");
    println!("|---|---|---|---|");
    for (name, m) in &rows {
        let n_rows = if name.starts_with("batch::") {
            name.rsplit("::").next().and_then(|x| x.parse::<f64>().ok())
        } else if name.starts_with("arrow_columnar::") {
            Some(1e6)
        } else {
            None
        };
        let per_row = n_rows.map(|n| format!("{:.1} ns", m / n * 1e9)).unwrap_or_default();
        let shown = if *m >= 1e-3 { format!("{:.2} ms", m * 1e3) } else { format!("{:.2} µs", m * 1e6) };
        println!("| {name} | {shown} | {:.3}× | {per_row} |", m / base);
    }
    let get = |n: &str| rows.iter().find(|(k, _)| k == n).map(|x| x.1);
    let pairs = [
        ("C / Rust, plan", "c_vs_rust::c_plan", "c_vs_rust::rust_plan"),
        (
            "C / Rust, JSON in → plan JSON out",
            "c_vs_rust::c_json_to_plan_json_bench",
            "c_vs_rust::rust_json_to_plan_json",
        ),
        (
            "Arrow columnar, 1 thread / 2 threads",
            "arrow_columnar::threads_1m_rows::1",
            "arrow_columnar::threads_1m_rows::2",
        ),
        (
            "24-visit response / its record's parse",
            "assessments::response_24_visits",
            "assessments::response_24_visits_parse",
        ),
    ];
    println!();
    for (what, a, b) in pairs {
        if let (Some(x), Some(y)) = (get(a), get(b)) {
            println!("{what}: {:.3}×", x / y);
        }
    }
}

/// One measured path each (never inlined, so callgrind's inclusive count isolates it).
mod parts {
    use super::*;
    #[inline(never)]
    pub fn m_parse_fit60(json: &str) -> Patient {
        Patient::from_json(black_box(json)).unwrap()
    }
    #[inline(never)]
    pub fn m_parse_relapse4(json: &str) -> Patient {
        Patient::from_json(black_box(json)).unwrap()
    }
    #[inline(never)]
    pub fn m_plan_fit60(p: &Patient) -> myeloma_pathway::Plan {
        recommend_with(kb(), black_box(p), &G).unwrap()
    }
    #[inline(never)]
    pub fn m_plan_relapse4(p: &Patient) -> myeloma_pathway::Plan {
        recommend_with(kb(), black_box(p), &G).unwrap()
    }
    #[inline(never)]
    pub fn m_to_json_fit60(plan: &myeloma_pathway::Plan) -> String {
        black_box(plan).to_json()
    }
    #[inline(never)]
    pub fn m_to_json_relapse4(plan: &myeloma_pathway::Plan) -> String {
        black_box(plan).to_json()
    }
    #[inline(never)]
    pub fn m_run_json_fit60(json: &str) -> String {
        api::run_json(api::Assessment::Plan, black_box(json), None).unwrap()
    }
    #[inline(never)]
    pub fn m_run_json_relapse4(json: &str) -> String {
        api::run_json(api::Assessment::Plan, black_box(json), None).unwrap()
    }

    pub fn run() {
        let rel = golden_patient("relapse-line-4-triple-class-exposed");
        // Warm-up: the knowledge base, lazy statics, the allocator's first pages.
        black_box(api::run_json(api::Assessment::Plan, &NEW, None).unwrap());
        black_box(api::run_json(api::Assessment::Plan, &rel, None).unwrap());
        let p = m_parse_fit60(&NEW);
        let pr = m_parse_relapse4(&rel);
        let plan = m_plan_fit60(&p);
        let plan_r = m_plan_relapse4(&pr);
        black_box(m_to_json_fit60(&plan));
        black_box(m_to_json_relapse4(&plan_r));
        black_box(m_run_json_fit60(&NEW));
        black_box(m_run_json_relapse4(&rel));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--quick") {
        QUICK.store(true, Ordering::Relaxed);
        Divan::default().test_benches();
        return;
    }
    if let Some(only) = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)) {
        // Single paths for callgrind: one plan, or one batch of 100k rows.
        match only.as_str() {
            "plan" => {
                black_box(recommend_with(kb(), black_box(&P_NEW), &G).ok());
            }
            "plan2" => {
                black_box(recommend_with(kb(), black_box(&P_NEW), &G).ok());
                black_box(recommend_with(kb(), black_box(&P_NEW), &G).ok());
            }
            "kb" => {
                black_box(kb());
                black_box(&*P_NEW);
            }
            "batch" => {
                black_box(&*P_NEW);
                let c = cohort(100_000);
                black_box(stage_columns(&staging_columns(&c)).ok());
            }
            "cohort" => {
                black_box(&*P_NEW);
                black_box(cohort(100_000));
            }
            "parts" => parts::run(),
            other => panic!("--only {other}: one of plan, plan2, kb, batch, cohort, parts"),
        }
        return;
    }
    if let Some(file) = args.iter().position(|a| a == "--ratios").and_then(|i| args.get(i + 1)) {
        // The ratio table of a saved divan table (the output of an earlier run).
        ratio_table(&std::fs::read_to_string(file).expect("a saved divan table"));
        return;
    }
    if std::env::var_os("MP_BENCH_CHILD").is_some() {
        Divan::default().color(false).max_time(Duration::from_secs(3)).config_with_args().run_benches();
        return;
    }
    // Run divan in a child process, show its table, then the ratios from that same run.
    let out = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args(&args[1..])
        .env("MP_BENCH_CHILD", "1")
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run the benchmarks");
    let table = String::from_utf8_lossy(&out.stdout);
    print!("{table}");
    ratio_table(&table);
    std::process::exit(out.status.code().unwrap_or(1));
}
