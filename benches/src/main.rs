//! Benchmarks. Absolute times on shared machines are noise, so every figure is also reported as
//! a ratio to a baseline measured in the same run: parsing and validating the patient record.
//!
//! Run: `cargo run --release --manifest-path benches/Cargo.toml` (results in docs/performance.md).

use std::hint::black_box;
use std::time::{Duration, Instant};

use myeloma_pathway::{api, recommend, risk, staging, Guideline, Patient};

/// Median time per call over `rounds` rounds of `iters` calls each.
fn measure<F: FnMut()>(mut f: F, iters: u32, rounds: u32) -> Duration {
    for _ in 0..iters {
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

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).expect("example file");
    let new = read("examples/patients/fit-60-standard-risk.json");
    let relapse = read("tests/golden/relapse-line-4-triple-class-exposed.json");
    let relapse: serde_json::Value = serde_json::from_str(&relapse).expect("json");
    let relapse = relapse["patient"].to_string();
    let g = Guideline::default();
    let p_new = Patient::from_json(&new).expect("valid");
    let p_rel = Patient::from_json(&relapse).expect("valid");

    let (iters, rounds) = (200, 15);
    let base = measure(|| { black_box(Patient::from_json(black_box(&new)).ok()); }, iters, rounds);
    let rows: Vec<(&str, Duration)> = vec![
        ("parse + validate record (baseline)", base),
        ("ISS + R-ISS + R2-ISS", measure(|| { black_box(staging::stage_all(black_box(&p_new))); }, iters * 10, rounds)),
        ("risk under all 4 definitions", measure(|| { black_box(risk::compare(black_box(&p_new), risk::Del17pCutoff::Above20)); }, iters * 10, rounds)),
        ("recommend, newly diagnosed (with counterfactuals)", measure(|| { black_box(recommend(black_box(&p_new), &g).ok()); }, iters / 4, rounds)),
        ("recommend, relapse line 4 (61-event history)", measure(|| { black_box(recommend(black_box(&p_rel), &g).ok()); }, iters / 4, rounds)),
        ("JSON in → plan JSON out (api::run_json)", measure(|| { black_box(api::run_json(api::Assessment::Plan, black_box(&new), None).ok()); }, iters / 4, rounds)),
    ];
    let plan_bytes = recommend(&p_new, &g).expect("plan").to_json().len();
    println!("| measurement | median per call | ratio to baseline |");
    println!("|---|---|---|");
    for (name, d) in &rows {
        println!("| {name} | {:.1} µs | {:.2}× |", d.as_secs_f64() * 1e6, d.as_secs_f64() / base.as_secs_f64());
    }
    println!("\nplan JSON size (newly diagnosed): {plan_bytes} bytes");
    let per_plan = rows[3].1.as_secs_f64();
    println!("single-core throughput, newly diagnosed plans: {:.0} plans/s", 1.0 / per_plan);
}
