//! Every exported function runs inside the panic boundary: its body calls `ffi` or
//! `ffi_status` (in `src/boundary.rs`), directly or through one of the small helpers below,
//! each of which itself goes through `ffi_status`. A new export written without it fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

/// Helpers that wrap their whole work in `ffi_status`.
/// (`mp_plan_new` and `mp_assessment_new` delegate to exports that do.)
const WRAPPERS: [&str; 13] = [
    "ffi(",
    "ffi_status(",
    "get(",
    "set(",
    "set_lab(",
    "set_finding_impl(",
    "mp_recommend_with_kb(",
    "mp_assess_with_kb(",
    "from_json(",
    "from_fhir(",
    "assess_json(",
    "kb_get(",
    "get(",
];

fn body_of(src: &str, start: usize) -> &str {
    // Exported functions end at the first line that is exactly "}".
    let rest = &src[start..];
    let end = rest.find("\n}\n").expect("function end");
    &rest[..end]
}

#[test]
fn every_export_runs_inside_the_panic_boundary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut exports = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        // Unit tests (callbacks written in Rust) are not exports.
        let src = src.split("#[cfg(test)]").next().unwrap_or_default().to_string();
        for (at, _) in src.match_indices("extern \"C\" fn ") {
            let body = body_of(&src, at);
            let name: String = body["extern \"C\" fn ".len()..].chars().take_while(|c| *c != '(').collect();
            let after_signature = &body[body.find('{').expect("body")..];
            assert!(
                WRAPPERS.iter().any(|w| after_signature.contains(w)),
                "{}: `{name}` does not run inside ffi/ffi_status",
                path.display()
            );
            exports += 1;
        }
        // The helpers themselves must go through the boundary.
        for helper in [
            "fn get<",
            "fn set(",
            "fn set_lab(",
            "fn set_finding_impl(",
            "fn from_json(",
            "fn assess_json(",
            "fn kb_get(",
        ] {
            if let Some(at) = src.find(helper) {
                let body = body_of(&src, at);
                assert!(body.contains("ffi_status(") || body.contains("set("), "{helper} must use ffi_status");
            }
        }
    }
    assert_eq!(
        exports,
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap().matches("#[no_mangle]").count())
            .sum::<usize>(),
        "every #[no_mangle] function is an extern \"C\" fn that was checked"
    );
    assert!(exports >= 45, "found only {exports} exports");
}
