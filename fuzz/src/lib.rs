//! The bodies of the fuzz targets, shared by two callers:
//!
//! - the libFuzzer binaries in `fuzz_targets/` (one line each: `fuzz_target!(|data| ...)`), which
//!   `scripts/fuzz SECONDS` runs instrumented, with AddressSanitizer and overflow checks;
//! - the ordinary test `bindings/c/tests/fuzz_targets.rs` in the main workspace, which includes
//!   this file and runs every target once over its generated seeds and regression inputs
//!   (`scripts/fuzz --quick`, a step of `scripts/test`), on the dependencies the workspace's tests
//!   already built.
//!
//! Written against three crate names that both callers provide: `mp_core` (myeloma-pathway),
//! `mp_fhir` (myeloma-pathway-fhir) and `mp_c` (myeloma-pathway-c, linked as an rlib).
#![allow(clippy::missing_safety_doc)]

use std::ffi::{c_char, CStr};
use std::ptr;

use mp_c::*;
use mp_core::api::{self, Assessment};
use mp_core::{Guideline, KnowledgeBase};

/// A fuzz target: its name (the `[[bin]]` of fuzz/Cargo.toml and the seed directory) and body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target.
pub const TARGETS: [Target; 6] = [
    ("patient_json", patient_json),
    ("guideline_json", guideline_json),
    ("kb_json", kb_json),
    ("assessment_json", assessment_json),
    ("fhir_bundle", fhir_bundle),
    ("c_api", c_api),
];

/// The fixed valid patient of `guideline_json` and `kb_json`.
const PATIENT: &str = include_str!("../../examples/patients/fit-60-standard-risk.json");

// ---- patient_json ----

/// Any bytes as a patient record: parsing, validation, every assessment and the plan must return
/// a value or an error, never panic.
pub fn patient_json(data: &[u8]) {
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
}

// ---- guideline_json ----

/// Any bytes as a guideline profile with a fixed valid patient.
pub fn guideline_json(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = api::run_json(Assessment::Plan, PATIENT, Some(text));
    }
}

// ---- kb_json ----

/// Any bytes as a knowledge base (`KnowledgeBase::from_json`); one that loads must give a plan or
/// an error for a fixed valid patient, never a panic.
pub fn kb_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match KnowledgeBase::from_json(text) {
        Ok(kb) => {
            for (what, _) in Assessment::ALL {
                let _ = api::run_json_with(&kb, what, PATIENT, None);
            }
        }
        Err(e) => assert!(e.to_string().len() <= 4096, "unbounded error message: {} bytes", e.to_string().len()),
    }
}

// ---- assessment_json ----

/// One assessment per input: the first byte picks the assessment of `api::Assessment::ALL`; the
/// rest is the patient record, then (after the first NUL byte, if any) the guideline. Every
/// assessment must return JSON or an error, never panic, and its error text stays bounded.
pub fn assessment_json(data: &[u8]) {
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
}

// ---- fhir_bundle ----

/// Any bytes as a FHIR R4 Bundle (`myeloma_pathway_fhir::read_bundle`); a record that is read must
/// validate and give a plan or a typed refusal, never a panic.
pub fn fhir_bundle(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(date) = "2026-06-15".parse() else { return };
    if let Ok(import) = mp_fhir::read_bundle(text, date) {
        // read_bundle promises a record that validates.
        let patient = import.record.validate().expect("read_bundle returned a record that does not validate");
        let _ = api::run(Assessment::Plan, &patient, &Guideline::default());
    }
}

// ---- c_api ----

fn ptr_len(b: &[u8]) -> (*const c_char, usize) {
    (b.as_ptr().cast(), b.len())
}

unsafe fn read(s: *const c_char) {
    if !s.is_null() {
        let _ = unsafe { CStr::from_ptr(s) }.to_bytes().len();
    }
}

unsafe fn last_error_is_bounded() {
    let e = mp_last_error();
    if !e.is_null() {
        let n = unsafe { CStr::from_ptr(e) }.to_bytes().len();
        assert!(n <= MP_MAX_ERROR_BYTES, "mp_last_error is {n} bytes");
    }
    unsafe { read(mp_last_error_json()) };
}

unsafe fn walk_plan(plan: *const mp_plan) {
    let mut s: *const c_char = ptr::null();
    let mut n: usize = 0;
    unsafe {
        if mp_plan_json(plan, &mut s) == mp_status::Ok {
            read(s)
        }
        if mp_plan_text(plan, &mut s) == mp_status::Ok {
            read(s)
        }
        if mp_plan_option_count(plan, &mut n) == mp_status::Ok {
            for i in 0..=n {
                // i == n is one past the end: must be refused, not read.
                let st = mp_plan_option_name(plan, i, &mut s);
                assert_eq!(st == mp_status::Ok, i < n);
                if st == mp_status::Ok {
                    read(s)
                }
                let _ = mp_plan_option_regimen_id(plan, i, &mut s);
                let mut k: usize = 0;
                if mp_plan_option_rationale_count(plan, i, &mut k) == mp_status::Ok {
                    for j in 0..=k {
                        if mp_plan_option_rationale(plan, i, j, &mut s) == mp_status::Ok {
                            read(s)
                        }
                    }
                }
                if mp_plan_option_note_count(plan, i, &mut k) == mp_status::Ok {
                    for j in 0..=k {
                        if mp_plan_option_note(plan, i, j, &mut s) == mp_status::Ok {
                            read(s)
                        }
                    }
                }
            }
        }
        if mp_plan_warning_count(plan, &mut n) == mp_status::Ok {
            for i in 0..=n {
                if mp_plan_warning_message(plan, i, &mut s) == mp_status::Ok {
                    read(s)
                }
            }
        }
        if mp_plan_exclusion_count(plan, &mut n) == mp_status::Ok {
            for i in 0..=n {
                if mp_plan_exclusion_reason(plan, i, &mut s) == mp_status::Ok {
                    read(s)
                }
            }
        }
        if mp_plan_missing_input_count(plan, &mut n) == mp_status::Ok {
            for i in 0..=n {
                if mp_plan_missing_input_field(plan, i, &mut s) == mp_status::Ok {
                    read(s)
                }
                let mut k: usize = 0;
                if mp_plan_missing_input_needed_for_count(plan, i, &mut k) == mp_status::Ok {
                    for j in 0..=k {
                        if mp_plan_missing_input_needed_for(plan, i, j, &mut s) == mp_status::Ok {
                            read(s)
                        }
                    }
                }
            }
        }
        if mp_plan_counterfactual_count(plan, &mut n) == mp_status::Ok {
            for i in 0..=n {
                if mp_plan_counterfactual_change(plan, i, &mut s) == mp_status::Ok {
                    read(s)
                }
            }
        }
        if mp_plan_basis_inputs_json(plan, &mut s) == mp_status::Ok {
            read(s)
        }
        if mp_plan_basis_guideline_json(plan, &mut s) == mp_status::Ok {
            read(s)
        }
    }
}

/// The C entry points, called exactly as a C host calls them: arbitrary bytes as pointer + length
/// through the `_len` functions (no NUL terminator; libFuzzer's buffer is an exact-size heap copy,
/// so AddressSanitizer catches any read past it), then every plan and assessment getter.
///
/// Input: byte 0 picks the operation and assessment kind; the rest is the patient JSON, then
/// (after the first NUL byte, if any) the guideline JSON, then (after a second NUL) a unit or
/// abnormality name given to the `_len` setters.
pub fn c_api(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let mut parts = rest.splitn(3, |&b| b == 0);
    let patient_json = parts.next().unwrap_or(&[]);
    let guideline_json = parts.next();
    let extra = parts.next().unwrap_or(&[]);
    // Exact-size copies, so a read one byte past any argument is a heap overflow ASan reports.
    let patient_json = patient_json.to_vec().into_boxed_slice();
    let guideline_json = guideline_json.map(|g| g.to_vec().into_boxed_slice());
    let extra = extra.to_vec().into_boxed_slice();
    unsafe {
        match pick % 4 {
            // The whole-document path: mp_assess_json_len for every kind (0 and past the end too).
            0 => {
                let kind = u32::from(pick >> 2) % 9;
                let (p, pl) = ptr_len(&patient_json);
                let (g, gl) = guideline_json.as_deref().map_or((ptr::null(), 0), ptr_len);
                let mut a: *mut mp_assessment = ptr::null_mut();
                let st = mp_assess_json_len(ptr::null(), kind, p, pl, g, gl, &mut a);
                if st == mp_status::Ok {
                    let mut s: *const c_char = ptr::null();
                    if mp_assessment_json(a, &mut s) == mp_status::Ok {
                        read(s)
                    }
                } else {
                    assert!(a.is_null());
                    last_error_is_bounded();
                }
                mp_assessment_free(a);
            }
            // Handles: patient and guideline from JSON, then the plan and all its getters.
            1 | 2 => {
                let (p, pl) = ptr_len(&patient_json);
                let mut patient: *mut mp_patient = ptr::null_mut();
                if mp_patient_from_json_len(p, pl, &mut patient) != mp_status::Ok {
                    last_error_is_bounded();
                    return;
                }
                let mut guideline: *mut mp_guideline = ptr::null_mut();
                if let Some(g) = guideline_json.as_deref() {
                    let (g, gl) = ptr_len(g);
                    if mp_guideline_from_json_len(g, gl, &mut guideline) != mp_status::Ok {
                        last_error_is_bounded();
                    }
                }
                if pick % 4 == 2 {
                    // Setters with arbitrary unit and abnormality bytes, then the plan again.
                    let (u, ul) = ptr_len(&extra);
                    let v = f64::from(pick) / 7.0;
                    let _ = mp_patient_set_creatinine_len(patient, v, u, ul);
                    let _ = mp_patient_set_albumin_len(patient, v, u, ul);
                    let _ = mp_patient_set_beta2_microglobulin_len(patient, v, u, ul);
                    let _ = mp_patient_set_ldh_len(patient, v * 100.0, 250.0, u, ul);
                    let _ = mp_patient_set_finding_len(patient, u, ul, u32::from(pick >> 4));
                    let _ = mp_patient_set_finding_with_fraction_len(patient, u, ul, 1, v);
                    last_error_is_bounded();
                    let mut s: *const c_char = ptr::null();
                    if mp_patient_json(patient, &mut s) == mp_status::Ok {
                        read(s)
                    }
                }
                let mut plan: *mut mp_plan = ptr::null_mut();
                if mp_recommend(patient, guideline, &mut plan) == mp_status::Ok {
                    walk_plan(plan);
                } else {
                    last_error_is_bounded();
                }
                mp_plan_free(plan);
                mp_guideline_free(guideline);
                mp_patient_free(patient);
            }
            // A knowledge base from bytes; if it loads, a plan with it for the embedded example.
            _ => {
                let (k, kl) = ptr_len(&patient_json);
                let mut kb: *mut mp_kb = ptr::null_mut();
                if mp_kb_from_json_len(k, kl, &mut kb) == mp_status::Ok {
                    let ex = include_bytes!("../../examples/patients/fit-60-standard-risk.json");
                    let mut patient: *mut mp_patient = ptr::null_mut();
                    if mp_patient_from_json_len(ex.as_ptr().cast(), ex.len(), &mut patient) == mp_status::Ok {
                        let mut plan: *mut mp_plan = ptr::null_mut();
                        if mp_recommend_with_kb(kb, patient, ptr::null(), &mut plan) == mp_status::Ok {
                            walk_plan(plan);
                        }
                        mp_plan_free(plan);
                    }
                    mp_patient_free(patient);
                } else {
                    last_error_is_bounded();
                }
                mp_kb_free(kb);
            }
        }
    }
}
