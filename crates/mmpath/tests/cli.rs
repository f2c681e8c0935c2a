//! The command line: exit codes, standard input, JSON output, error messages, closed pipes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mmpath");

fn example(name: &str) -> String {
    format!("{}/../../examples/patients/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn plan_prints_a_readable_plan_for_a_fit_60_year_old_starting_with_d_vrd_under_the_default_profile() {
    let (code, out, _) = run(&["plan", &example("fit-60-standard-risk.json")], None);
    assert_eq!(code, 0);
    assert!(out.contains("not a medical device"));
    assert!(out.contains("1. start D-VRd (PERSEUS)"));
    let (code, out, _) = run(&["plan", &example("fit-60-standard-risk.json"), "--profile", "article"], None);
    assert_eq!(code, 0);
    assert!(out.contains("1. start VRd"));
}

#[test]
fn plan_reads_standard_input_and_prints_json_with_json() {
    let text = std::fs::read_to_string(example("fit-60-standard-risk.json")).unwrap();
    let (code, out, _) = run(&["plan", "-", "--json"], Some(&text));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["options"][0]["regimen_id"], "d-vrd-perseus");
    assert_eq!(v["basis"]["ranking"]["profile"], "guideline_2026");
    assert_eq!(v["basis"]["knowledge_base"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn bad_input_exits_2_naming_the_field_unit_and_range() {
    let (code, out, err) = run(&["plan", "-"], Some(r#"{"labs":{"creatinine":{"value":-1,"unit":"mg/dL"}}}"#));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("labs.creatinine.value"), "{err}");
    assert!(err.contains("0.1..=25 mg/dL"), "{err}");
    assert!(err.contains("\"code\":12"), "{err}");
}

#[test]
fn an_unknown_key_is_refused_with_exit_2() {
    let (code, _, err) = run(&["plan", "-"], Some(r#"{"age": 60}"#));
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `age`"), "{err}");
}

#[test]
fn usage_errors_exit_64_and_help_exits_0() {
    assert_eq!(run(&["frobnicate", "x.json"], None).0, 64);
    assert_eq!(run(&["plan"], None).0, 64);
    assert_eq!(run(&["plan", "x.json", "--bogus"], None).0, 64);
    let (code, out, _) = run(&["--help"], None);
    assert_eq!(code, 0);
    assert!(out.contains("USAGE"));
}

#[test]
fn guideline_flags_are_validated_by_the_core() {
    let (code, _, err) = run(&["plan", &example("fit-60-standard-risk.json"), "--risk-definition", "vibes"], None);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) =
        run(&["plan", &example("fit-60-standard-risk.json"), "--profile", "quadruplet_first", "--json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["options"][0]["regimen_id"], "d-vrd-perseus");
}

#[test]
fn every_assessment_subcommand_prints_json_with_its_basis() {
    for cmd in ["stage", "risk", "risk-compare", "eligibility", "diagnose", "response"] {
        let (code, out, err) = run(&[cmd, &example("fit-60-standard-risk.json"), "--json"], None);
        assert_eq!(code, 0, "{cmd}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v["basis"]["knowledge_base"]["sha256"].is_string(), "{cmd}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(BIN)
        .args(["plan", &example("fit-60-standard-risk.json")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the child writes: its write fails with EPIPE.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success() || out.status.code() == Some(0), "{:?}", out.status);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_knowledge_base_file_is_used_and_a_broken_one_is_refused_naming_the_entry() {
    let dir = std::env::temp_dir().join(format!("mmpath-kb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("kb.json");
    let kb = include_str!("../../myeloma-pathway/kb/knowledge-base.json").replace("\"2026.11.0\"", "\"centre-1\"");
    std::fs::write(&good, &kb).unwrap();
    let (code, out, _) = run(&["kb", "--kb", good.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(out.contains("\"version\":\"centre-1\""), "{out}");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, kb.replace("\"order\": [\"vrd\"", "\"order\": [\"vrd-typo\"")).unwrap();
    let (code, _, err) = run(&["plan", "--kb", bad.to_str().unwrap(), &example("fit-60-standard-risk.json")], None);
    assert_eq!(code, 2);
    assert!(err.contains("rankings") && err.contains("vrd-typo"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn kb_fhir_gives_the_loaded_knowledge_base_so_the_embedded_file_gives_the_embedded_bytes() {
    let (code, embedded, _) = run(&["kb", "--fhir"], None);
    assert_eq!(code, 0);
    assert!(embedded.contains("\"resourceType\":\"PlanDefinition\""), "{embedded}");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../myeloma-pathway/kb/knowledge-base.json");
    let (code, loaded, _) = run(&["kb", "--fhir", "--kb", file], None);
    assert_eq!(code, 0);
    assert_eq!(loaded, embedded);
    // A centre's copy under its own version: the PlanDefinitions carry that version.
    let dir = std::env::temp_dir().join(format!("mmpath-kb-fhir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let centre = dir.join("kb.json");
    let kb = include_str!("../../myeloma-pathway/kb/knowledge-base.json").replace("\"2026.11.0\"", "\"centre-1\"");
    std::fs::write(&centre, kb).unwrap();
    let (code, out, _) = run(&["kb", "--fhir", "--kb", centre.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(out.contains("\"version\":\"centre-1\"") && out != embedded, "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn calendar_prints_text_json_and_ics_from_a_start_date() {
    let f = example("fit-60-standard-risk.json");
    // The plan's first option under the default profile (guideline_2026) is D-VRd (PERSEUS).
    let (code, out, _) = run(&["calendar", &f, "--start", "2026-12-07"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("D-VRd (PERSEUS) (d-vrd-perseus) from 2026-12-07: 4 cycles"), "{out}");
    let (code, out, _) = run(&["calendar", &f, "--start", "2026-12-07", "--profile", "article"], None);
    assert_eq!(code, 0);
    // Transplant-eligible: VRd's course before the transplant is 3 cycles (DETERMINATION), not the
    // 8 of SWOG S0777 (transplant-ineligible).
    assert!(out.starts_with("VRd (vrd) from 2026-12-07: 3 cycles: the transplant-eligible course"), "{out}");
    assert!(out.contains("[determination-2022]"), "{out}");
    assert!(out.contains("2026-12-07  C1 D1  bortezomib"));
    assert!(out.contains("C3 D1") && !out.contains("C4 D1"), "{out}");
    assert!(out.contains("mg/m² × "));
    // DRd is offered to the transplant-ineligible 78-year-old (not to the fit 60-year-old: the
    // calendar lays out only a regimen the plan offers).
    let ineligible = example("78-year-old-transplant-ineligible.json");
    let (code, out, _) =
        run(&["calendar", &ineligible, "--start", "2026-12-07", "--regimen", "drd", "--cycles", "2", "--json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // DRd cycle 1: daratumumab 4 + lenalidomide 21 + dexamethasone 4 = 29 administrations; two cycles 58.
    assert_eq!(v["administrations"].as_array().unwrap().len(), 58);
    let (code, out, _) = run(&["calendar", &f, "--start", "2026-12-07", "--ics"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("BEGIN:VCALENDAR\r\n"));
    // Until progression without --cycles: refused (2), a bad date: usage error (64).
    let (code, _, err) = run(&["calendar", &ineligible, "--start", "2026-12-07", "--regimen", "rd"], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("runs until progression"), "{err}");
    // A regimen the plan does not offer this fit 60-year-old: refused (2), naming what it offers.
    let (code, _, err) = run(&["calendar", &f, "--start", "2026-12-07", "--regimen", "drd", "--cycles", "2"], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`drd` (DRd (MAIA)) is excluded for this patient [article-pathway]"), "{err}");
    let (code, _, _) = run(&["calendar", &f, "--start", "2026-13-07"], None);
    assert_eq!(code, 64);
}

#[test]
fn calendar_refuses_a_regimen_the_plan_excludes_naming_the_exclusion_and_its_citation() {
    // A US woman of childbearing potential without the REMS contraception: VRd is excluded.
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/../../tests/golden/pregnancy-prevention-no-contraception-excludes-lenalidomide-us.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let text = case["patient"].to_string();
    let args =
        ["calendar", "-", "--start", "2026-12-07", "--regimen", "vrd", "--profile", "article", "--jurisdiction", "us"];
    let (code, out, err) = run(&args, Some(&text));
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("`vrd` (VRd) is excluded for this patient [len-rems]"), "{err}");
    assert!(err.contains("Lenalidomide REMS (US)"), "{err}");
    // Just past it: the contraception in place, the calendar is printed.
    let mut ok = case["patient"].clone();
    ok["pregnancy_prevention"]["reliable_contraception"] = serde_json::json!(true);
    let (code, out, err) = run(&args, Some(&ok.to_string()));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("VRd (vrd) from 2026-12-07"), "{out}");
}

#[test]
fn calendar_follows_the_setting_course_vrd_3_cycles_before_transplant_8_without() {
    let eligible = example("fit-60-standard-risk.json");
    let (code, out, _) = run(&["calendar", &eligible, "--start", "2026-12-07", "--regimen", "vrd", "--json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cycles"], 3, "{out}");
    assert_eq!(v["setting"], "transplant_eligible");
    // 21-day cycles: cycle 3 day 1 is 42 days after the start.
    let adm = v["administrations"].as_array().unwrap();
    assert!(adm.iter().any(|a| a["cycle"] == 3 && a["day"] == 1 && a["date"] == "2027-01-18"), "{out}");
    assert!(adm.iter().all(|a| a["cycle"].as_u64().unwrap() <= 3));
    let ineligible = example("78-year-old-transplant-ineligible.json");
    let (code, out, _) = run(&["calendar", &ineligible, "--start", "2026-12-07", "--regimen", "vrd", "--json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cycles"], 8, "{out}");
    assert_eq!(v["setting"], "transplant_ineligible");
    // --cycles overrides the course and says so.
    let (code, out, _) =
        run(&["calendar", &eligible, "--start", "2026-12-07", "--regimen", "vrd", "--cycles", "2", "--json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cycles"], 2);
    assert_eq!(v["cycles_basis"], "2 cycles as requested");
}

mod cohort {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::sync::Arc;

    use myeloma_pathway::{Guideline, KnowledgeBase};
    use myeloma_pathway_arrow::arrow_array::cast::AsArray;
    use myeloma_pathway_arrow::arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
    use myeloma_pathway_arrow::arrow_ipc;
    use myeloma_pathway_arrow::{Assessor, Basis, Options};

    fn cohort_batch(ids: std::ops::Range<i64>) -> RecordBatch {
        let n = ids.end - ids.start;
        let age: Vec<Option<f64>> =
            ids.clone().map(|i| if i % 7 == 3 { Some(300.0) } else { Some(40.0 + (i % 45) as f64) }).collect();
        let b2m: Vec<Option<f64>> =
            ids.clone().map(|i| if i % 5 == 0 { None } else { Some(1.0 + (i % 9) as f64) }).collect();
        let alb: Vec<Option<f64>> = ids.clone().map(|i| Some(2.8 + (i % 3) as f64 * 0.5)).collect();
        let del: Vec<Option<&str>> =
            ids.clone().map(|i| [Some("detected"), Some("not_detected"), None][(i % 3) as usize]).collect();
        assert!(n > 0);
        RecordBatch::try_from_iter([
            ("patient_id", Arc::new(Int64Array::from_iter_values(ids)) as ArrayRef),
            ("age_years", Arc::new(Float64Array::from(age)) as ArrayRef),
            ("beta2_microglobulin_mg_l", Arc::new(Float64Array::from(b2m)) as ArrayRef),
            ("albumin_g_dl", Arc::new(Float64Array::from(alb)) as ArrayRef),
            ("del_17p", Arc::new(StringArray::from(del)) as ArrayRef),
        ])
        .unwrap()
    }

    fn stream(batches: &[RecordBatch]) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut buf, &batches[0].schema()).unwrap();
        for b in batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
        drop(w);
        buf
    }

    fn run_bytes(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
        let mut child = Command::new(super::BIN)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let data = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        (out.status.code().unwrap(), out.stdout, String::from_utf8(out.stderr).unwrap())
    }

    #[test]
    fn cohort_streams_an_arrow_ipc_stream_batch_by_batch_with_the_library_answers_and_bad_rows_in_their_row() {
        let batches = [cohort_batch(0..100), cohort_batch(100..250)];
        let (code, out, err) = run_bytes(&["cohort", "--keep", "patient_id", "--batch-size", "64"], &stream(&batches));
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("250 rows in 5 batches"), "{err}");
        let reader = arrow_ipc::reader::StreamReader::try_new(out.as_slice(), None).unwrap();
        let got: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
        assert_eq!(got.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(), vec![64, 36, 64, 64, 22]);
        // The same rows through the library directly (the basis is the default guideline's).
        let kb = KnowledgeBase::embedded();
        let g = Guideline::default();
        let basis = Basis::new(kb, serde_json::to_string(&g).unwrap());
        let o = Options { keep: vec!["patient_id".into()], basis: Some(basis), ..Options::default() };
        let mut rows = Vec::new();
        for b in &batches {
            let a = Assessor::new(kb, &g, &b.schema(), o.clone()).unwrap();
            rows.push(a.assess(b).unwrap());
        }
        let mut k = 0;
        for want in &rows {
            let mut off = 0;
            while off < want.num_rows() {
                let part = &got[k];
                assert_eq!(*part, want.slice(off, part.num_rows()));
                off += part.num_rows();
                k += 1;
            }
        }
        let errors = got[0].column_by_name("error_field").unwrap().as_string::<i32>();
        assert_eq!(errors.value(3), "age_years");
        assert!(errors.is_null(0));
    }

    #[test]
    fn cohort_with_a_missing_required_column_exits_2_naming_it_and_writes_no_row() {
        let batches = [cohort_batch(0..10)];
        let path = std::env::temp_dir().join(format!("mmpath-cohort-{}.arrows", std::process::id()));
        std::fs::write(&path, stream(&batches)).unwrap();
        let out_path = path.with_extension("out.arrows");
        let (code, out, err) = run_bytes(
            &[
                "cohort",
                path.to_str().unwrap(),
                "--out",
                out_path.to_str().unwrap(),
                "--keep",
                "patient_id",
                "--require",
                "ldh_u_l",
            ],
            b"",
        );
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert!(err.contains("required column(s) missing: `ldh_u_l`"), "{err}");
        assert_eq!(std::fs::metadata(&out_path).map(|m| m.len()).unwrap_or(0), 0);
        // An unknown column (here the identifier without --keep) also fails at once.
        let (code, _, err) = run_bytes(&["cohort", path.to_str().unwrap()], b"");
        assert_eq!(code, 2);
        assert!(err.contains("unknown column(s): `patient_id`"), "{err}");
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(&out_path);
    }
}
