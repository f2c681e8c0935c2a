//! Write a patient record (or a golden case's `patient`) as a FHIR R4 Bundle:
//! `cargo run -p myeloma-pathway-fhir --example record-to-bundle -- FILE.json [YYYY-MM-DD]`.
//! Used by `scripts/test-fhir` to give the independent validator the input side too.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), date) = (args.first(), args.get(1).map(String::as_str).unwrap_or("2026-06-15")) else {
        eprintln!("usage: record-to-bundle FILE.json [YYYY-MM-DD]");
        return ExitCode::from(64);
    };
    let run = || -> Result<String, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        let record = v.get("patient").unwrap_or(&v).to_string();
        let record = myeloma_pathway::PatientRecord::from_json(&record).map_err(|e| e.to_string())?;
        let date = date.parse().map_err(|e| format!("{date}: {e}"))?;
        let b = myeloma_pathway_fhir::record_to_bundle(&record, date).map_err(|e| e.to_string())?;
        Ok(b.to_string())
    };
    match run() {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
