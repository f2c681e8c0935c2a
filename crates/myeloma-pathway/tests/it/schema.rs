//! The checked-in JSON Schemas are exactly what the core generates from its types and tables:
//! a change to a record or plan type without regenerating the schema fails here.
//!
//! Regenerate with `MP_BLESS_SCHEMAS=1 cargo test -p myeloma-pathway --test it schema`.

use std::path::PathBuf;

use myeloma_pathway::{outputs_schema, patient_record_schema, plan_schema};
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

#[test]
fn the_checked_in_outputs_schema_is_generated_from_the_output_types() {
    check_or_bless("outputs.schema.json", &outputs_schema());
}

#[test]
fn every_output_the_front_ends_read_has_its_branch_and_every_reference_resolves() {
    let s = outputs_schema();
    let branches = s["anyOf"].as_array().unwrap();
    let titles: Vec<&str> = branches.iter().map(|b| b["title"].as_str().unwrap()).collect();
    assert_eq!(titles, myeloma_pathway::OUTPUTS);
    // Every assessment a front end can run by name has its branch.
    for (_, name) in myeloma_pathway::api::Assessment::ALL {
        assert!(titles.contains(&name), "{name} has no schema");
    }
    let mut refs = Vec::new();
    all_refs(&s, &mut refs);
    for r in &refs {
        assert!(s.pointer(r.trim_start_matches('#')).is_some(), "dangling {r}");
    }
    // The plan's definition is the plan schema's shape (the same types, one pool).
    let plan = plan_schema();
    let mut in_pool = s["$defs"]["Plan"].clone();
    let mut root = plan.clone();
    for k in ["$defs", "$id", "$schema", "title", "description"] {
        root.as_object_mut().unwrap().remove(k);
        in_pool.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(in_pool, root);
    // No definition is a numbered duplicate name (two types with one name): each is one view class.
    for name in s["$defs"].as_object().unwrap().keys() {
        assert!(!name.ends_with(|c: char| c.is_ascii_digit()), "ambiguous definition name {name}");
    }
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
