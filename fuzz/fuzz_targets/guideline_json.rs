//! Any bytes as a guideline profile with a fixed valid patient.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myeloma_pathway::api::{self, Assessment};

const PATIENT: &str = include_str!("../../examples/patients/fit-60-standard-risk.json");

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = api::run_json(Assessment::Plan, PATIENT, Some(text));
    }
});
