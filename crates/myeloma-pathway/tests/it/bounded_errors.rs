//! Error messages never echo more than a short, escaped prefix of an input value (issue 12):
//! at most `MAX_ECHO_CHARS` characters of a value, the field path and the message bounded too,
//! control characters escaped. And whitespace in a unit is ignored (docs/patient-record.md).

use myeloma_pathway::api::{self, Assessment};
use myeloma_pathway::error::{echo, MAX_ECHO_CHARS, MAX_FIELD_CHARS, MAX_MESSAGE_BYTES};
use myeloma_pathway::labs::{Creatinine, LabValue};
use myeloma_pathway::{Error, KnowledgeBase, Patient};

const EXAMPLE: &str = include_str!("../../../../examples/patients/fit-60-standard-risk.json");
const MB: usize = 1_000_000;

fn with(path: &[&str], value: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let (last, parents) = path.split_last().unwrap();
    let mut cur = &mut v;
    for p in parents {
        cur = cur.get_mut(*p).unwrap();
    }
    cur[*last] = value;
    v.to_string()
}

fn bounded(e: &Error) {
    let text = e.to_string();
    assert!(text.len() < 2 * MAX_MESSAGE_BYTES, "{} bytes: {}", text.len(), &text[..200.min(text.len())]);
    assert!(e.field().is_none_or(|f| f.chars().count() <= MAX_FIELD_CHARS + 1), "{:?}", e.field());
    let json = api::error_json(e);
    assert!(json.len() < 4 * MAX_MESSAGE_BYTES, "error JSON is {} bytes", json.len());
}

#[test]
fn a_value_of_exactly_the_echo_limit_is_echoed_whole_and_one_more_character_is_cut() {
    let at = "x".repeat(MAX_ECHO_CHARS);
    assert_eq!(echo(&at), at);
    let past = "x".repeat(MAX_ECHO_CHARS + 1);
    assert_eq!(echo(&past), format!("{at}…"));
    // Multi-byte characters count as characters, not bytes.
    assert_eq!(echo(&"µ".repeat(MAX_ECHO_CHARS)), "µ".repeat(MAX_ECHO_CHARS));
    assert_eq!(echo(&"µ".repeat(MAX_ECHO_CHARS + 1)), format!("{}…", "µ".repeat(MAX_ECHO_CHARS)));
}

#[test]
fn a_unit_of_the_echo_limit_is_named_whole_and_a_longer_unit_is_cut_in_the_error() {
    for (len, shown) in [(MAX_ECHO_CHARS, "u".repeat(MAX_ECHO_CHARS)), (MB, format!("{}…", "u".repeat(MAX_ECHO_CHARS)))]
    {
        let json = with(&["labs", "creatinine", "unit"], "u".repeat(len).into());
        let e = Patient::from_json(&json).unwrap_err();
        assert_eq!(e.kind(), "unsupported_unit");
        assert_eq!(e.field(), Some("labs.creatinine.unit"));
        assert_eq!(e.unit(), Some(shown.as_str()));
        bounded(&e);
    }
}

#[test]
fn a_one_megabyte_unknown_enum_value_gives_a_short_message_naming_the_accepted_values() {
    let json = with(&["sex"], "f".repeat(MB).into());
    let e = api::run_json(Assessment::Plan, &json, None).unwrap_err();
    assert_eq!(e.kind(), "invalid_json");
    assert_eq!(e.field(), Some("sex"));
    let text = e.to_string();
    assert!(text.contains(&format!("`{}…`", "f".repeat(MAX_ECHO_CHARS))), "{text}");
    assert!(text.contains("expected `female` or `male`"), "the accepted values are still named: {text}");
    bounded(&e);
}

#[test]
fn a_one_megabyte_string_where_a_number_belongs_is_cut_in_the_message() {
    let json = with(&["age_years"], "9".repeat(MB).into());
    let e = Patient::from_json(&json).unwrap_err();
    assert_eq!(e.field(), Some("age_years"));
    assert!(e.to_string().contains(&format!("\"{}…\"", "9".repeat(MAX_ECHO_CHARS))), "{e}");
    bounded(&e);
}

#[test]
fn a_one_megabyte_unknown_key_is_cut_in_the_field_and_the_message() {
    let key = "k".repeat(MB);
    let json = format!(r#"{{"age_years": 60, "{key}": 1}}"#);
    let e = Patient::from_json(&json).unwrap_err();
    assert_eq!(e.kind(), "invalid_json");
    bounded(&e);
    // Twice a 400 kB key stays inside the 1 MiB document limit.
    let key = "k".repeat(400_000);
    let dup = format!(r#"{{"{key}": 1, "{key}": 2}}"#);
    let e = Patient::from_json(&dup).unwrap_err();
    bounded(&e);
    assert!(e.field().unwrap().ends_with('…'), "{:?}", e.field());
}

#[test]
fn a_one_megabyte_guideline_value_and_knowledge_base_key_give_short_messages() {
    let g = format!(r#"{{"risk_definition": "{}"}}"#, "r".repeat(MB));
    let e = api::run_json(Assessment::Plan, EXAMPLE, Some(&g)).unwrap_err();
    bounded(&e);
    let kb = format!(r#"{{"{}": 1}}"#, "q".repeat(MB));
    let e = KnowledgeBase::from_json(&kb).err().unwrap();
    bounded(&e);
}

#[test]
fn control_characters_and_backticks_in_an_echoed_value_are_escaped() {
    let json = with(&["labs", "creatinine", "unit"], "mg\u{1b}[31m`\n".into());
    let e = Patient::from_json(&json).unwrap_err();
    let text = e.to_string();
    assert!(!text.contains('\u{1b}') && !text.contains('\n'), "{text:?}");
    assert_eq!(e.unit(), Some("mg\\u{1b}[31m\\u{60}\\u{a}"));
}

#[test]
fn whitespace_in_a_unit_is_ignored_leading_trailing_and_inside() {
    let plain = LabValue::<Creatinine>::new("labs.creatinine", 2.0, "mg/dL").unwrap();
    for spelling in [" mg/dL ", "mg / dL", "\tMG/DL\n", "mg/dL\u{a0}"] {
        let v = LabValue::<Creatinine>::new("labs.creatinine", 2.0, spelling).unwrap();
        assert_eq!(v.canonical(), plain.canonical(), "{spelling:?}");
        assert_eq!(v.entered().1, "mg/dL", "shown in the table's spelling");
    }
    // Only whitespace, or one other character more, is refused.
    for bad in ["", "   ", "mg/dL.", "mg/d"] {
        let e = LabValue::<Creatinine>::new("labs.creatinine", 2.0, bad).unwrap_err();
        assert_eq!(e.kind(), "unsupported_unit", "{bad:?}");
    }
}
