//! Any bytes as a knowledge base (`KnowledgeBase::from_json`); one that loads must give a plan or
//! an error for a fixed valid patient, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::KnowledgeBase;

const PATIENT: &str = include_str!("../../examples/patients/fit-60-standard-risk.json");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match KnowledgeBase::from_json(text) {
        Ok(kb) => {
            for (what, _) in Assessment::ALL {
                let _ = api::run_json_with(&kb, what, PATIENT, None);
            }
        }
        Err(e) => assert!(e.to_string().len() <= 4096, "unbounded error message: {} bytes", e.to_string().len()),
    }
});
