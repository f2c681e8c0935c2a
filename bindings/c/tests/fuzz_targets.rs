//! The quick mode of the fuzz targets: every target's body (fuzz/src/lib.rs, the same code the
//! libFuzzer binaries run) once over each of its generated seeds and regression inputs, as an
//! ordinary test on the dependencies the workspace's tests already built.
//!
//! Not instrumented and without AddressSanitizer (those are `scripts/fuzz SECONDS`): a panic, a
//! failed assertion of a target (unbounded error text, a FHIR record that does not validate, a C
//! getter that reads one past the end) or an abort fails it; an over-read that does not crash
//! does not.
//!
//! Ignored in a plain `cargo test`: the seeds are generated first by `scripts/fuzz --quick` (a
//! step of `scripts/test`), which runs it as
//! `MP_FUZZ_SEEDS=fuzz/seeds cargo test -p myeloma-pathway-c --test fuzz_targets -- --ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

extern crate myeloma_pathway as mp_c;

#[path = "../../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("directory entry").path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[test]
#[ignore = "needs the seeds scripts/fuzz --quick generates (MP_FUZZ_SEEDS)"]
fn every_fuzz_target_runs_each_of_its_seeds_and_regression_inputs() {
    let seeds = PathBuf::from(std::env::var_os("MP_FUZZ_SEEDS").expect("MP_FUZZ_SEEDS: the generated seed directory"));
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    for (name, body) in harness::TARGETS {
        let seed_files = inputs(&seeds.join(name));
        assert!(!seed_files.is_empty(), "fuzz target {name}: no seeds in {}", seeds.join(name).display());
        let regression_files = inputs(&regressions.join(name));
        for path in seed_files.iter().chain(&regression_files) {
            // An exact-size heap copy, as libFuzzer passes it.
            let data = std::fs::read(path).expect("read an input").into_boxed_slice();
            let run = std::panic::catch_unwind(|| body(&data));
            assert!(run.is_ok(), "fuzz target {name} fails on {}", path.display());
        }
        println!("ok - fuzz target {name}: {} seeds, {} regression inputs", seed_files.len(), regression_files.len());
    }
}
