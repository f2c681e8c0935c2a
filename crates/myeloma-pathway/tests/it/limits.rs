//! Size, depth and count limits: accepted at the limit, refused one past it (safety.md).

use myeloma_pathway::json::{MAX_JSON_BYTES, MAX_JSON_DEPTH};
use myeloma_pathway::MAX_LIST_LEN;
use myeloma_pathway::{Patient, PatientRecord};

fn padded(json: &str, total: usize) -> String {
    let mut s = json.to_string();
    s.push_str(&" ".repeat(total - json.len()));
    s
}

#[test]
fn a_document_of_exactly_the_size_limit_is_read_and_one_byte_more_is_refused() {
    let json = r#"{"age_years": 60}"#;
    assert!(Patient::from_json(&padded(json, MAX_JSON_BYTES)).is_ok());
    let e = Patient::from_json(&padded(json, MAX_JSON_BYTES + 1)).unwrap_err();
    assert_eq!(e.kind(), "limit_exceeded");
    assert_eq!(
        e.to_string(),
        format!("JSON document (bytes): {} exceeds the limit of {MAX_JSON_BYTES}", MAX_JSON_BYTES + 1)
    );
}

fn nested(depth: usize) -> String {
    // The record object holding `depth - 1` nested empty arrays: `depth` levels in all. It is not
    // a valid record, but the depth limit is checked before the shape.
    let mut s = String::from("{\"cytogenetics\":");
    for _ in 0..depth.saturating_sub(1) {
        s.push('[');
    }
    for _ in 0..depth.saturating_sub(1) {
        s.push(']');
    }
    s.push('}');
    s
}

#[test]
fn nesting_at_the_depth_limit_passes_the_depth_check_and_one_deeper_is_refused() {
    let at = PatientRecord::from_json(&nested(MAX_JSON_DEPTH)).unwrap_err();
    assert_ne!(at.kind(), "limit_exceeded", "depth {MAX_JSON_DEPTH} is allowed (refused for its shape instead)");
    let past = PatientRecord::from_json(&nested(MAX_JSON_DEPTH + 1)).unwrap_err();
    assert_eq!(past.kind(), "limit_exceeded");
    assert!(past.to_string().starts_with("JSON nesting depth"), "{past}");
}

fn with_history(n: usize) -> String {
    let events: Vec<&str> = std::iter::once(r#"{"event":"therapy_started","regimen":"rd"}"#)
        .chain(std::iter::repeat_n(r#"{"event":"cycle_completed"}"#, n - 1))
        .collect();
    format!(r#"{{"age_years":78,"history":[{}]}}"#, events.join(","))
}

#[test]
fn a_list_of_exactly_the_entry_limit_is_read_and_one_more_is_refused() {
    let p = Patient::from_json(&with_history(MAX_LIST_LEN)).unwrap();
    assert_eq!(p.history().len(), MAX_LIST_LEN);
    let e = Patient::from_json(&with_history(MAX_LIST_LEN + 1)).unwrap_err();
    assert_eq!(e.kind(), "limit_exceeded");
    assert_eq!(e.to_string(), format!("history (entries): {} exceeds the limit of {MAX_LIST_LEN}", MAX_LIST_LEN + 1));
}
