//! The command line's FHIR flags, completions and the exit codes they keep.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mmpath");

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that does not read standard input may exit before the write: ignore EPIPE.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

const BUNDLE: &str = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
  {"resource": {"resourceType": "Patient", "id": "p", "birthDate": "1966-01-01", "gender": "male"}},
  {"resource": {"resourceType": "Observation", "id": "cr", "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]}, "effectiveDateTime": "2026-05-01",
    "valueQuantity": {"value": 1.0, "system": "http://unitsofmeasure.org", "code": "mg/dL"}}},
  {"resource": {"resourceType": "MedicationStatement", "id": "len", "status": "active"}}
]}"#;

#[test]
fn plan_reads_a_fhir_bundle_and_lists_what_it_ignored_on_stderr() {
    let (code, out, err) = run(&["plan", "--fhir", "-", "--reference-date", "2026-06-15", "--json"], BUNDLE);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["basis"]["inputs"]["age_years"], 60);
    assert!(err.contains("fhir: ignored MedicationStatement/len"), "{err}");
    assert!(err.contains("medication code not in the mapping table"), "{err}");
}

#[test]
fn fhir_out_prints_a_bundle_with_a_request_group_and_guidance_response() {
    let (code, out, err) = run(&["plan", "--fhir", "-", "--reference-date", "2026-06-15", "--fhir-out"], BUNDLE);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["entry"][0]["resource"]["resourceType"], "RequestGroup");
    assert_eq!(v["entry"][1]["resource"]["resourceType"], "GuidanceResponse");
}

#[test]
fn a_known_code_with_an_unknown_unit_exits_2_naming_the_resource() {
    let bad = BUNDLE.replace(r#""code": "mg/dL""#, r#""code": "mmol/L""#);
    let (code, _, err) = run(&["plan", "--fhir", "-", "--reference-date", "2026-06-15"], &bad);
    assert_eq!(code, 2);
    assert!(err.contains("Observation/cr") && err.contains("2160-0") && err.contains("mmol/L"), "{err}");
}

#[test]
fn kb_fhir_prints_plan_definitions_and_a_bad_date_is_a_usage_error() {
    let (code, out, _) = run(&["kb", "--fhir"], "");
    assert_eq!(code, 0);
    assert!(out.contains("\"PlanDefinition\""));
    assert_eq!(run(&["plan", "--fhir", "-", "--reference-date", "15/06/2026"], BUNDLE).0, 64);
    assert_eq!(run(&["plan", "-", "--reference-date", "2026-06-15"], "{}").0, 64, "--reference-date needs --fhir");
}

#[test]
fn completions_are_generated_for_bash() {
    let (code, out, _) = run(&["completions", "bash"], "");
    assert_eq!(code, 0);
    assert!(out.contains("mmpath"));
}
