//! The checked-in JSON Schemas are exactly what the core generates from its types and tables:
//! a change to a record or plan type without regenerating the schema fails here.
//!
//! Regenerate with `MP_BLESS_SCHEMAS=1 cargo test -p myeloma-pathway --test it schema`.

use std::path::PathBuf;

use myeloma_pathway::{patient_record_schema, plan_schema};
use serde_json::Value;

fn check_or_bless(file: &str, generated: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(file);
    let mut text = serde_json::to_string_pretty(generated).unwrap();
    text.push('\n');
    if std::env::var_os("MP_BLESS_SCHEMAS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != text {
        let first = checked_in.lines().zip(text.lines()).position(|(a, b)| a != b);
        let first = first.unwrap_or_else(|| checked_in.lines().count().min(text.lines().count()));
        panic!(
            "docs/{file} is out of date (first difference at line {}).\n\
             Regenerate it: MP_BLESS_SCHEMAS=1 cargo test -p myeloma-pathway --test it schema",
            first + 1
        );
    }
}

#[test]
fn the_checked_in_patient_schema_is_generated_from_the_record_types() {
    check_or_bless("patient.schema.json", &patient_record_schema());
}

#[test]
fn the_checked_in_plan_schema_is_generated_from_the_plan_types() {
    check_or_bless("plan.schema.json", &plan_schema());
}

fn all_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| all_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| all_refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_lab_value_of_the_record_schema_names_its_own_units() {
    // A lab field added to the record without a row in the schema generator's lab table would
    // keep the generic `{value, unit}` (any unit): it must name the units its analyte accepts.
    let s = patient_record_schema();
    let mut refs = Vec::new();
    all_refs(&s, &mut refs);
    assert!(!refs.is_empty());
    for r in &refs {
        assert!(s.pointer(r.trim_start_matches('#')).is_some(), "dangling {r}");
    }
    assert!(!s.to_string().contains("RawQuantity"), "a lab value without its units");
    let creat = s.pointer("/$defs/LabsInput/properties/creatinine/anyOf/0").unwrap();
    assert_eq!(creat["properties"]["unit"]["examples"], serde_json::json!(["mg/dL", "µmol/L"]));
}

#[test]
fn every_listed_range_of_the_record_reaches_the_schema() {
    // The ranges validation enforces, from the same tables; a row whose path the generator
    // cannot find (a renamed field) fails here.
    let text = serde_json::to_string(&patient_record_schema()).unwrap();
    let s: Value = serde_json::from_str(&text).unwrap();
    let mut n = 0;
    fn walk(v: &Value, n: &mut usize) {
        match v {
            Value::Object(m) => {
                if m.contains_key("minimum") && m.contains_key("maximum") {
                    *n += 1;
                }
                m.values().for_each(|x| walk(x, n));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, n)),
            _ => {}
        }
    }
    walk(&s, &mut n);
    assert_eq!(n, myeloma_pathway::INTEGER_FIELDS.len() + myeloma_pathway::NUMBER_FIELDS.len());
    let age = s.pointer("/properties/age_years").unwrap();
    assert_eq!((age["minimum"].as_i64(), age["maximum"].as_i64()), (Some(18), Some(120)));
    let mrd = s.pointer("/$defs/MrdResult/properties/sensitivity_log10").unwrap();
    assert_eq!((mrd["minimum"].as_f64(), mrd["maximum"].as_f64()), (Some(4.0), Some(7.0)));
}
