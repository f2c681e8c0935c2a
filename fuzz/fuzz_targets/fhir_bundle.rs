//! Any bytes as a FHIR R4 Bundle (`myeloma_pathway_fhir::read_bundle`); a record that is read must
//! validate and give a plan or a typed refusal, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::Guideline;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(date) = "2026-06-15".parse() else { return };
    if let Ok(import) = myeloma_pathway_fhir::read_bundle(text, date) {
        // read_bundle promises a record that validates.
        let patient = import.record.validate().expect("read_bundle returned a record that does not validate");
        let _ = api::run(Assessment::Plan, &patient, &Guideline::default());
    }
});
