//! Any bytes as a patient record: parsing, validation, every assessment and the plan must return
//! a value or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myeloma_pathway::api::{self, Assessment};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for (what, _) in Assessment::ALL {
            match api::run_json(what, text, None) {
                Ok(out) => assert!(!out.is_empty()),
                Err(e) => {
                    let _ = api::error_json(&e);
                }
            }
        }
    }
});
