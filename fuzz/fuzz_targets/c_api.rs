//! libFuzzer target `c_api`: the body is `myeloma_pathway_fuzz::c_api` (fuzz/src/lib.rs), which the
//! quick mode (`scripts/fuzz --quick`, bindings/c/tests/fuzz_targets.rs) runs over the seeds too.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| myeloma_pathway_fuzz::c_api(data));
