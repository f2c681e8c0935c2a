//! Arbitrary and mutated input through the entry points: every call returns a documented status
//! (never `MP_STATUS_PANIC`), and a refused setter leaves the patient unchanged.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::ffi::{c_char, CStr};
use std::ptr;

use proptest::prelude::*;

use crate::*;

const TEMPLATE: &str = r#"{"age_years":60,"sex":"male","weight_kg":80,"height_cm":178,"ecog":0,"frailty":{"charlson":0,"katz_adl":6,"lawton_iadl":8},"labs":{"creatinine":{"value":1.0,"unit":"mg/dL"},"albumin":{"value":3.9,"unit":"g/dL"},"ldh":{"value":180,"unit":"U/L"},"ldh_upper_limit_of_normal":{"value":250,"unit":"U/L"}},"cytogenetics":[{"abnormality":"del_17p","status":"not_detected"},{"abnormality":"t_4_14","status":"detected","clonal_fraction_pct":30}],"history":[{"event":"therapy_started","regimen":"vrd"},{"event":"cycle_completed"}]}"#;

fn documented(s: mp_status) -> bool {
    !matches!(s, mp_status::Panic | mp_status::OtherCoreError)
}

fn c(bytes: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
    v.push(0);
    v
}

/// Every JSON entry point on one NUL-terminated input.
fn all_json_entry_points(input: &[u8]) -> Result<(), TestCaseError> {
    let p: *const c_char = input.as_ptr().cast();
    // SAFETY: `input` is NUL-terminated and outlives the calls; outputs are local.
    unsafe {
        let mut patient = ptr::null_mut();
        let s = mp_patient_from_json(p, &mut patient);
        prop_assert!(documented(s), "{s:?}");
        prop_assert_eq!(s == mp_status::Ok, !patient.is_null());
        if !patient.is_null() {
            let mut plan = ptr::null_mut();
            let s = mp_recommend(patient, ptr::null(), &mut plan);
            prop_assert!(documented(s), "{s:?}");
            mp_plan_free(plan);
        }
        mp_patient_free(patient);
        let mut g = ptr::null_mut();
        prop_assert!(documented(mp_guideline_from_json(p, &mut g)));
        mp_guideline_free(g);
        for kind in 0..=6u32 {
            let mut a = ptr::null_mut();
            let s = mp_assess_json(kind, p, ptr::null(), &mut a);
            prop_assert!(documented(s), "{s:?}");
            mp_assessment_free(a);
            let mut a = ptr::null_mut();
            let s = mp_assess_json(kind, c(TEMPLATE.as_bytes()).as_ptr().cast(), p, &mut a);
            prop_assert!(documented(s), "{s:?}");
            mp_assessment_free(a);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_get_a_documented_status(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        all_json_entry_points(&c(&bytes))?;
    }

    #[test]
    fn mutated_records_get_a_documented_status(edits in proptest::collection::vec((0..TEMPLATE.len(), any::<u8>()), 1..6)) {
        let mut bytes = TEMPLATE.as_bytes().to_vec();
        for (at, b) in edits {
            bytes[at] = b;
        }
        all_json_entry_points(&c(&bytes))?;
    }

    #[test]
    fn a_refused_setter_leaves_the_patient_unchanged(
        age in any::<i64>(),
        small in prop_oneof![any::<i64>(), -300..300i64],
        weight in any::<f64>(),
        value in prop_oneof![any::<f64>(), -10.0..1000.0f64],
        unit in "[a-zA-Zµ/%]{0,8}",
        sex in 0..5u32,
        status in 0..5u32,
        abnormality in prop_oneof![Just("del_17p".to_string()), Just("gain_1q".to_string()), "[a-z_0-9]{0,10}"],
    ) {
        let unit = c(unit.as_bytes());
        let abnormality = c(abnormality.as_bytes());
        // SAFETY: NUL-terminated inputs that outlive the calls; a live patient used by one thread.
        unsafe {
            let mut p = ptr::null_mut();
            let template = c(TEMPLATE.as_bytes());
            prop_assert_eq!(mp_patient_from_json(template.as_ptr().cast(), &mut p), mp_status::Ok);
            let calls: [&dyn Fn() -> mp_status; 11] = [
                &|| mp_patient_set_age(p, age),
                &|| mp_patient_set_ecog(p, small),
                &|| mp_patient_set_frailty(p, small, 6, 8),
                &|| mp_patient_set_frailty(p, 0, small, age),
                &|| mp_patient_set_weight_kg(p, weight),
                &|| mp_patient_set_sex(p, sex),
                &|| mp_patient_set_creatinine(p, value, unit.as_ptr().cast()),
                &|| mp_patient_set_albumin(p, value, unit.as_ptr().cast()),
                &|| mp_patient_set_ldh(p, value, 250.0, unit.as_ptr().cast()),
                &|| mp_patient_set_finding(p, abnormality.as_ptr().cast(), status),
                &|| mp_patient_set_finding_with_fraction(p, abnormality.as_ptr().cast(), status, value),
            ];
            for call in calls {
                let mut before = ptr::null();
                prop_assert_eq!(mp_patient_json(p, &mut before), mp_status::Ok);
                let before = CStr::from_ptr(before).to_owned();
                let s = call();
                prop_assert!(documented(s), "{s:?}");
                if s != mp_status::Ok {
                    let mut after = ptr::null();
                    prop_assert_eq!(mp_patient_json(p, &mut after), mp_status::Ok);
                    prop_assert_eq!(CStr::from_ptr(after), before.as_c_str());
                }
            }
            mp_patient_free(p);
        }
    }
}
