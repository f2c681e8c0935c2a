//! Benchmarks. Absolute times on shared machines are noise, so every figure is also reported as
//! a ratio to a baseline measured in the same run: parsing and validating the patient record.
//!
//! Run: `cargo run --release --manifest-path benches/Cargo.toml` (results in docs/performance.md).
//! `-- --quick` runs every benchmark once (scripts/test uses it so they keep compiling);
//! `-- --only plan|batch` runs one path alone (for callgrind).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use myeloma_pathway::columns::{stage_columns, StagingColumns};
use myeloma_pathway::cytogenetics::Status;
use myeloma_pathway::{api, diagnosis, fitness, recommend, risk, staging, Guideline, KnowledgeBase, Patient};

/// Median time per call over `rounds` rounds of `iters` calls each.
fn measure<F: FnMut()>(mut f: F, iters: u32, rounds: u32) -> Duration {
    for _ in 0..iters.min(10) {
        f();
    }
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed() / iters
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// A deterministic synthetic cohort (xorshift), canonical units, ~10% of each cell missing.
pub struct Cohort {
    pub b2m: Vec<Option<f64>>,
    pub alb: Vec<Option<f64>>,
    pub ldh: Vec<Option<f64>>,
    pub uln: Vec<Option<f64>>,
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
    let mut c = Cohort { b2m: vec![], alb: vec![], ldh: vec![], uln: vec![], cyto: Default::default() };
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

fn columns(c: &Cohort) -> StagingColumns<'_> {
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).expect("example file");
    let new = read("examples/patients/fit-60-standard-risk.json");
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    let p_new = Patient::from_json(&new).expect("valid");

    // Single paths for callgrind: one plan, or one batch of 100k rows.
    match only.as_deref() {
        Some("plan") => {
            black_box(recommend(black_box(&p_new), &g).ok());
            return;
        }
        Some("plan2") => {
            black_box(recommend(black_box(&p_new), &g).ok());
            black_box(recommend(black_box(&p_new), &g).ok());
            return;
        }
        Some("kb") => {
            black_box(KnowledgeBase::embedded());
            return;
        }
        Some("batch") => {
            let c = cohort(100_000);
            black_box(stage_columns(&columns(&c)).ok());
            return;
        }
        Some("cohort") => {
            black_box(cohort(100_000));
            return;
        }
        _ => {}
    }

    let relapse = read("tests/golden/relapse-line-4-triple-class-exposed.json");
    let relapse: serde_json::Value = serde_json::from_str(&relapse).expect("json");
    let relapse = relapse["patient"].to_string();
    let p_rel = Patient::from_json(&relapse).expect("valid");
    let (iters, rounds) = if quick { (1, 1) } else { (200, 15) };
    let base = measure(|| { black_box(Patient::from_json(black_box(&new)).ok()); }, iters, rounds);
    let mut rows: Vec<(String, Duration)> = vec![("parse + validate record (baseline)".into(), base)];
    let mut add = |name: &str, d: Duration| rows.push((name.to_string(), d));
    let p = &p_new;
    add("ISS alone", measure(|| { black_box(staging::iss(kb, black_box(p))); }, iters * 10, rounds));
    add("R-ISS alone", measure(|| { black_box(staging::r_iss(kb, black_box(p))); }, iters * 10, rounds));
    add("R2-ISS alone", measure(|| { black_box(staging::r2_iss(kb, black_box(p))); }, iters * 10, rounds));
    add("ISS + R-ISS + R2-ISS", measure(|| { black_box(staging::stage_all(kb, black_box(p))); }, iters * 10, rounds));
    for d in risk::RiskDefinition::ALL {
        add(&format!("risk, {} alone", d.id()), measure(|| { black_box(risk::assess(kb, black_box(p), d, risk::Del17pCutoff::Above20)); }, iters * 10, rounds));
    }
    add("risk under all 4 definitions", measure(|| { black_box(risk::compare(kb, black_box(p), risk::Del17pCutoff::Above20)); }, iters * 10, rounds));
    add("creatinine clearance", measure(|| { black_box(fitness::creatinine_clearance(kb, black_box(p), &g).ok()); }, iters * 10, rounds));
    add("IMWG frailty", measure(|| { black_box(fitness::imwg_frailty(kb, black_box(p))); }, iters * 10, rounds));
    add("transplant eligibility", measure(|| { black_box(fitness::transplant_eligibility(kb, black_box(p), &g)); }, iters * 10, rounds));
    add("diagnosis (IMWG 2014)", measure(|| { black_box(diagnosis::diagnose(kb, black_box(p))); }, iters * 10, rounds));
    add("recommend, newly diagnosed (with counterfactuals)", measure(|| { black_box(recommend(black_box(&p_new), &g).ok()); }, iters / 4 + 1, rounds));
    add("recommend, relapse line 4 (61-event history)", measure(|| { black_box(recommend(black_box(&p_rel), &g).ok()); }, iters / 4 + 1, rounds));
    add("JSON in → plan JSON out (api::run_json)", measure(|| { black_box(api::run_json(api::Assessment::Plan, black_box(&new), None).ok()); }, iters / 4 + 1, rounds));
    let plan_json = recommend(&p_new, &g).expect("plan").to_json();
    add("plan JSON parse (serde_json::Value)", measure(|| { black_box(serde_json::from_str::<serde_json::Value>(black_box(&plan_json)).ok()); }, iters, rounds));

    println!("| measurement | median per call | ratio to baseline |");
    println!("|---|---|---|");
    for (name, d) in &rows {
        println!("| {name} | {:.2} µs | {:.3}× |", d.as_secs_f64() * 1e6, d.as_secs_f64() / base.as_secs_f64());
    }
    println!("\nplan JSON size (newly diagnosed): {} bytes", plan_json.len());

    // Columnar staging: cost per row as the batch grows.
    println!("\n| columnar ISS + R-ISS + R2-ISS | per row | rows/s | ratio to per-patient stage_all |");
    println!("|---|---|---|---|");
    let per_patient = rows.iter().find(|r| r.0 == "ISS + R-ISS + R2-ISS").map(|r| r.1).unwrap_or(base);
    let sizes: &[usize] = if quick { &[1_000] } else { &[1_000, 100_000, 1_000_000] };
    for &n in sizes {
        let c = cohort(n);
        let cols = columns(&c);
        let reps = if quick { 1 } else { (2_000_000 / n).clamp(1, 200) as u32 };
        let d = measure(|| { black_box(stage_columns(black_box(&cols)).ok()); }, reps, if quick { 1 } else { 7 });
        let per_row = d.as_secs_f64() / n as f64;
        println!(
            "| {n} rows | {:.1} ns | {:.1} M | {:.4}× |",
            per_row * 1e9,
            1.0 / per_row / 1e6,
            per_row / per_patient.as_secs_f64()
        );
    }
}
