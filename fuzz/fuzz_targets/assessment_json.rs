//! One assessment per input: the first byte picks the assessment of `api::Assessment::ALL`; the
//! rest is the patient record, then (after the first NUL byte, if any) the guideline. Every
//! assessment must return JSON or an error, never panic, and its error text stays bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myeloma_pathway::api::{self, Assessment};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let (what, _) = Assessment::ALL[usize::from(pick) % Assessment::ALL.len()];
    let (patient, guideline) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let Ok(patient) = std::str::from_utf8(patient) else { return };
    let guideline = match guideline.map(std::str::from_utf8) {
        Some(Ok(g)) => Some(g),
        Some(Err(_)) => return,
        None => None,
    };
    match api::run_json(what, patient, guideline) {
        Ok(out) => assert!(!out.is_empty()),
        Err(e) => {
            // An error never echoes more than a bounded part of the input.
            assert!(e.to_string().len() <= 4096, "unbounded error message: {} bytes", e.to_string().len());
            let _ = api::error_json(&e);
        }
    }
});
