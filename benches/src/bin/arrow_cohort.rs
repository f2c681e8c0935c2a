//! The Arrow batch path (`myeloma_pathway_arrow::Assessor`) against the per-record JSON path
//! (`api::run_json`, one call per assessment per record) on the same synthetic rows, in one run;
//! and the peak memory of streaming an Arrow IPC file at two batch sizes (`assess_ipc`, measured
//! in a child process as VmHWM, so building the data does not count).
//!
//! Run: `cargo run --release -p myeloma-pathway-benches --bin arrow_cohort [-- --quick]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::{Guideline, KnowledgeBase};
use myeloma_pathway_arrow::arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use myeloma_pathway_arrow::{arrow_ipc, assess_ipc, Assessor, Options};
use serde_json::json;

/// A deterministic synthetic cohort (xorshift), ~10% of each cell missing.
fn rows(n: usize) -> (RecordBatch, Vec<String>) {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut cols: Vec<Vec<Option<f64>>> = (0..7).map(|_| Vec::with_capacity(n)).collect();
    let mut text: Vec<Vec<Option<&'static str>>> = (0..4).map(|_| Vec::with_capacity(n)).collect();
    let mut records = Vec::with_capacity(n);
    let ranges = [(40.0, 90.0), (50.0, 110.0), (150.0, 195.0), (0.6, 3.0), (2.0, 5.0), (1.0, 9.0), (100.0, 400.0)];
    for _ in 0..n {
        let mut vals = [None; 7];
        for (k, (lo, hi)) in ranges.iter().enumerate() {
            vals[k] = if next() < 0.1 { None } else { Some(((lo + (hi - lo) * next()) * 10.0).round() / 10.0) };
        }
        vals[0] = vals[0].map(f64::round);
        let sex = if next() < 0.5 { Some("male") } else { Some("female") };
        let mut cyto = [None; 3];
        for c in cyto.iter_mut() {
            let x = next();
            *c = if x < 0.15 {
                Some("detected")
            } else if x < 0.9 {
                Some("not_detected")
            } else {
                None
            };
        }
        let mut r = serde_json::Map::new();
        if let Some(a) = vals[0] {
            r.insert("age_years".into(), json!(a as i64));
        }
        r.insert("sex".into(), json!(sex));
        if let Some(w) = vals[1] {
            r.insert("weight_kg".into(), json!(w));
        }
        if let Some(h) = vals[2] {
            r.insert("height_cm".into(), json!(h));
        }
        let mut labs = serde_json::Map::new();
        for (k, name, unit) in
            [(3, "creatinine", "mg/dL"), (4, "albumin", "g/dL"), (5, "beta2_microglobulin", "mg/L"), (6, "ldh", "U/L")]
        {
            if let Some(v) = vals[k] {
                labs.insert(name.into(), json!({"value": v, "unit": unit}));
            }
        }
        if vals[6].is_some() {
            labs.insert("ldh_upper_limit_of_normal".into(), json!({"value": 250.0, "unit": "U/L"}));
        }
        r.insert("labs".into(), serde_json::Value::Object(labs));
        let ids = ["del_17p", "t_4_14", "gain_1q"];
        let list: Vec<_> =
            ids.iter().zip(cyto).filter_map(|(id, s)| s.map(|s| json!({"abnormality": id, "status": s}))).collect();
        if !list.is_empty() {
            r.insert("cytogenetics".into(), json!(list));
        }
        records.push(serde_json::Value::Object(r).to_string());
        for (k, v) in vals.iter().enumerate() {
            cols[k].push(*v);
        }
        text[0].push(sex);
        for k in 0..3 {
            text[k + 1].push(cyto[k]);
        }
    }
    let uln: Vec<Option<f64>> = cols[6].iter().map(|l| l.map(|_| 250.0)).collect();
    let f = |v: &Vec<Option<f64>>| Arc::new(Float64Array::from(v.clone())) as ArrayRef;
    let t = |v: &Vec<Option<&'static str>>| Arc::new(StringArray::from(v.clone())) as ArrayRef;
    let batch = RecordBatch::try_from_iter([
        ("age_years", f(&cols[0])),
        ("weight_kg", f(&cols[1])),
        ("height_cm", f(&cols[2])),
        ("creatinine_mg_dl", f(&cols[3])),
        ("albumin_g_dl", f(&cols[4])),
        ("beta2_microglobulin_mg_l", f(&cols[5])),
        ("ldh_u_l", f(&cols[6])),
        ("ldh_uln_u_l", Arc::new(Float64Array::from(uln)) as ArrayRef),
        ("sex", t(&text[0])),
        ("del_17p", t(&text[1])),
        ("t_4_14", t(&text[2])),
        ("gain_1q", t(&text[3])),
    ])
    .unwrap();
    (batch, records)
}

fn vm_hwm_kb() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kb = KnowledgeBase::embedded();
    let g = Guideline::default();
    // Child mode: stream a file to nowhere and report the peak resident set.
    if let Some(i) = args.iter().position(|a| a == "--stream") {
        let path = &args[i + 1];
        let f = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let s = assess_ipc(kb, &g, f, std::io::sink(), Options::default()).unwrap();
        println!("{} {} {}", s.rows, s.batches, vm_hwm_kb());
        return;
    }
    if args.iter().any(|a| a == "--baseline") {
        black_box(KnowledgeBase::embedded());
        println!("0 0 {}", vm_hwm_kb());
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let n = if quick { 2_000 } else { 100_000 };
    let n_plan = if quick { 50 } else { 2_000 };
    let (batch, records) = rows(n);

    // Assessments without the plan: Arrow batch vs per record JSON (the JSON API gives staging,
    // risk under every definition, eligibility/frailty/CrCl and diagnosis as four calls).
    let a = Assessor::new(kb, &g, &batch.schema(), Options::default()).unwrap();
    let t = Instant::now();
    let out = a.assess(&batch).unwrap();
    let arrow_s = t.elapsed().as_secs_f64();
    black_box(out);
    let t = Instant::now();
    for r in &records {
        for what in [Assessment::Stage, Assessment::RiskCompare, Assessment::Eligibility, Assessment::Diagnose] {
            black_box(api::run_json(what, black_box(r), None).ok());
        }
    }
    let json_s = t.elapsed().as_secs_f64();
    println!("| path (same {n} rows, one run) | time | rows/s | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| per-record JSON (`api::run_json` × 4 assessments) | {json_s:.2} s | {:.0} | 1.00× |",
        n as f64 / json_s
    );
    println!("| Arrow batch, `plan=false` | {arrow_s:.2} s | {:.0} | {:.2}× |", n as f64 / arrow_s, json_s / arrow_s);

    // With the plan: the first n_plan rows.
    let small = batch.slice(0, n_plan);
    let a = Assessor::new(kb, &g, &small.schema(), Options { plan: true, ..Options::default() }).unwrap();
    let t = Instant::now();
    black_box(a.assess(&small).unwrap());
    let arrow_p = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for r in records.iter().take(n_plan) {
        black_box(api::run_json(Assessment::Plan, black_box(r), None).ok());
    }
    let json_p = t.elapsed().as_secs_f64();
    println!(
        "| per-record JSON plan (`api::run_json(Plan)`), {n_plan} rows | {json_p:.2} s | {:.0} | 1.00× |",
        n_plan as f64 / json_p
    );
    println!(
        "| Arrow batch, `plan=true`, {n_plan} rows | {arrow_p:.2} s | {:.0} | {:.2}× |",
        n_plan as f64 / arrow_p,
        json_p / arrow_p
    );

    // Peak memory streaming the n rows from an IPC stream file, at two batch sizes.
    let me = std::env::current_exe().unwrap();
    let base = std::process::Command::new(&me).arg("--baseline").output().unwrap();
    let base: u64 =
        String::from_utf8_lossy(&base.stdout).split_whitespace().nth(2).and_then(|x| x.parse().ok()).unwrap_or(0);
    println!("\n| streaming {n} rows (`assess_ipc`, plan=false) | batches | peak RSS | over start-up ({base} kB) |");
    println!("|---|---|---|---|");
    for size in [1_000usize, 10_000] {
        let path = std::env::temp_dir().join(format!("arrow-cohort-bench-{size}.arrows"));
        {
            let mut w =
                arrow_ipc::writer::StreamWriter::try_new(std::fs::File::create(&path).unwrap(), &batch.schema())
                    .unwrap();
            let mut lo = 0;
            while lo < n {
                let len = size.min(n - lo);
                w.write(&batch.slice(lo, len)).unwrap();
                lo += len;
            }
            w.finish().unwrap();
        }
        let o = std::process::Command::new(&me).arg("--stream").arg(&path).output().unwrap();
        let s = String::from_utf8_lossy(&o.stdout).to_string();
        let v: Vec<u64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
        if let [rows, batches, hwm] = v[..] {
            println!(
                "| batch {size} rows | {batches} ({rows} rows) | {:.1} MB | {:.1} MB |",
                hwm as f64 / 1024.0,
                hwm.saturating_sub(base) as f64 / 1024.0
            );
        }
        let _ = std::fs::remove_file(&path);
    }
}
