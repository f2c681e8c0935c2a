//! FHIR in and out: every mapped code, unit conversions at threshold edges, latest-by-date,
//! ignored resources, refused units, and the golden round trip record → Bundle → record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use jiff::civil::Date;
use myeloma_pathway::{api, Error, Guideline, Patient, PatientRecord};
use myeloma_pathway_fhir::{mapping, read_bundle, record_to_bundle, FhirImport};
use serde_json::{json, Value};

fn date() -> Date {
    "2026-06-15".parse().unwrap()
}

fn bundle(resources: Vec<Value>) -> String {
    json!({"resourceType": "Bundle", "type": "collection",
           "entry": resources.into_iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
    .to_string()
}

fn obs(id: &str, code: &str, when: &str, value: Value) -> Value {
    let mut o = json!({"resourceType": "Observation", "id": id, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]}, "effectiveDateTime": when});
    for (k, v) in value.as_object().unwrap() {
        o[k] = v.clone();
    }
    o
}

fn qty(v: f64, ucum: &str) -> Value {
    json!({"valueQuantity": {"value": v, "system": "http://unitsofmeasure.org", "code": ucum}})
}

fn import(resources: Vec<Value>) -> Result<FhirImport, Error> {
    read_bundle(&bundle(resources), date())
}

fn record(resources: Vec<Value>) -> Value {
    serde_json::from_str(&import(resources).unwrap().record.to_json()).unwrap()
}

fn plan_json(record: &str) -> String {
    api::run_json(api::Assessment::Plan, record, None).unwrap()
}

#[test]
fn every_lab_code_maps_to_its_record_field_in_the_records_unit() {
    let cases = [
        ("2160-0", 1.2, "mg/dL", "creatinine", "mg/dL"),
        ("14682-9", 106.0, "umol/L", "creatinine", "µmol/L"),
        ("1751-7", 3.9, "g/dL", "albumin", "g/dL"),
        ("1952-1", 2.8, "mg/L", "beta2_microglobulin", "mg/L"),
        ("17861-6", 9.6, "mg/dL", "calcium", "mg/dL"),
        ("2000-8", 2.4, "mmol/L", "calcium", "mmol/L"),
        ("718-7", 10.5, "g/dL", "hemoglobin", "g/dL"),
        ("33358-3", 32.0, "g/L", "serum_m_protein", "g/L"),
        ("32730-5", 250.0, "mg/(24.h)", "urine_m_protein", "mg/24h"),
        ("36916-5", 45.0, "mg/L", "serum_flc_kappa", "mg/L"),
        ("33944-0", 1.2, "mg/dL", "serum_flc_lambda", "mg/dL"),
        ("11118-7", 35.0, "%", "bone_marrow_plasma_cells", "%"),
    ];
    for (code, v, ucum, field, unit) in cases {
        let r = record(vec![obs("o", code, "2026-05-01", qty(v, ucum))]);
        assert_eq!(r["labs"][field], json!({"value": v, "unit": unit}), "{code}");
    }
}

#[test]
fn ldh_reference_range_high_is_the_upper_limit_of_normal() {
    let mut o = obs("ldh", "2532-0", "2026-05-01", qty(300.0, "U/L"));
    o["referenceRange"] = json!([{"low": {"value": 120, "code": "U/L", "system": "http://unitsofmeasure.org"},
                                  "high": {"value": 250, "code": "U/L", "system": "http://unitsofmeasure.org"}}]);
    let r = record(vec![o]);
    assert_eq!(r["labs"]["ldh"], json!({"value": 300.0, "unit": "U/L"}));
    assert_eq!(r["labs"]["ldh_upper_limit_of_normal"], json!({"value": 250.0, "unit": "U/L"}));
}

#[test]
fn ldh_without_its_reference_range_is_refused_naming_the_observation() {
    let e = import(vec![obs("ldh-1", "2532-0", "2026-05-01", qty(300.0, "U/L"))]).unwrap_err();
    let Error::MissingField { field, .. } = e else { panic!("{e:?}") };
    assert!(field.contains("labs.ldh_upper_limit_of_normal"), "{field}");
}

#[test]
fn haemoglobin_reference_low_is_the_lower_limit_of_normal() {
    let mut o = obs("hb", "718-7", "2026-05-01", qty(11.0, "g/dL"));
    o["referenceRange"] = json!([{"low": {"value": 12.0, "code": "g/dL"}}]);
    let r = record(vec![o]);
    assert_eq!(r["labs"]["hemoglobin_lower_limit_of_normal"], json!({"value": 12.0, "unit": "g/dL"}));
}

#[test]
fn ecog_weight_and_height_map_to_the_record() {
    let r = record(vec![
        obs("e", "89247-1", "2026-05-01", json!({"valueInteger": 1})),
        obs("w", "29463-7", "2026-05-01", qty(80.0, "kg")),
        obs("h", "8302-2", "2026-05-01", qty(178.0, "cm")),
    ]);
    assert_eq!(
        (r["ecog"].clone(), r["weight_kg"].clone(), r["height_cm"].clone()),
        (json!(1), json!(80.0), json!(178.0))
    );
}

fn finding(id: &str, abnormality: &str, answer: &str, fraction: Option<f64>) -> Value {
    let mut comps = vec![
        json!({"code": {"coding": [{"system": mapping::RECORD_FIELD_SYSTEM, "code": "cytogenetics.abnormality"}]},
        "valueCodeableConcept": {"coding": [{"system": mapping::ABNORMALITY_SYSTEM, "code": abnormality}]}}),
    ];
    if let Some(f) = fraction {
        comps.push(json!({"code": {"coding": [{"system": mapping::RECORD_FIELD_SYSTEM, "code": "cytogenetics.clonal_fraction_pct"}]},
            "valueQuantity": {"value": f, "system": "http://unitsofmeasure.org", "code": "%"}}));
    }
    obs(
        id,
        "69548-6",
        "2026-05-01",
        json!({"valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": answer}]}, "component": comps}),
    )
}

#[test]
fn present_is_detected_with_its_clonal_fraction_and_absent_is_not_detected() {
    let r = record(vec![finding("f1", "del_17p", "LA9633-4", Some(35.0)), finding("f2", "t_4_14", "LA9634-2", None)]);
    let c = r["cytogenetics"].as_array().unwrap();
    assert!(c.contains(&json!({"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": 35.0})));
    assert!(c.contains(&json!({"abnormality": "t_4_14", "status": "not_detected"})));
}

#[test]
fn a_variant_observation_without_our_abnormality_is_listed_as_ignored() {
    let o = obs(
        "kras",
        "69548-6",
        "2026-05-01",
        json!({"valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": "LA9633-4"}]}}),
    );
    let i = import(vec![o]).unwrap();
    assert_eq!(i.report.ignored.len(), 1);
    assert_eq!(i.report.ignored[0].id.as_deref(), Some("kras"));
}

#[test]
fn an_unknown_finding_answer_is_refused() {
    let e = import(vec![finding("f", "del_17p", "LA4489-6", None)]).unwrap_err();
    assert!(matches!(&e, Error::InvalidJson { field, .. } if field.contains("Observation/f")), "{e:?}");
}

#[test]
fn creatinine_2_mg_dl_and_176_8_umol_l_give_the_same_plan() {
    let base = |o: Value| {
        let i = import(vec![
            json!({"resourceType": "Patient", "id": "p", "birthDate": "1956-01-01", "gender": "female"}),
            o,
        ])
        .unwrap();
        let mut p: Value = serde_json::from_str(&plan_json(&i.record.to_json())).unwrap();
        p["basis"]["inputs"]["labs"]["creatinine"]["entered_value"] = json!(0);
        p["basis"]["inputs"]["labs"]["creatinine"]["entered_unit"] = json!("");
        p
    };
    let a = base(obs("a", "2160-0", "2026-05-01", qty(2.0, "mg/dL")));
    let b = base(obs("b", "14682-9", "2026-05-01", qty(176.8, "umol/L")));
    assert_eq!(a["basis"]["inputs"]["labs"]["creatinine"]["value"], json!(2.0));
    assert_eq!(a, b);
}

#[test]
fn albumin_3_5_g_dl_is_35_g_l_at_the_iss_threshold() {
    for (v, ucum) in [(3.5, "g/dL"), (35.0, "g/L")] {
        let i = import(vec![obs("a", "1751-7", "2026-05-01", qty(v, ucum))]).unwrap();
        let p = Patient::from_json(&i.record.to_json()).unwrap();
        assert_eq!(p.labs().albumin.unwrap().canonical(), 3.5, "{ucum}");
    }
    // One step below the threshold in either unit stays below it.
    let i = import(vec![obs("a", "1751-7", "2026-05-01", qty(34.9, "g/L"))]).unwrap();
    assert!(Patient::from_json(&i.record.to_json()).unwrap().labs().albumin.unwrap().canonical() < 3.5);
}

#[test]
fn calcium_mmol_l_and_mg_dl_meet_at_the_same_canonical_value() {
    let a = import(vec![obs("a", "17861-6", "2026-05-01", qty(11.0, "mg/dL"))]).unwrap();
    let b = import(vec![obs("b", "2000-8", "2026-05-01", qty(2.744511, "mmol/L"))]).unwrap();
    let ca = |i: &FhirImport| Patient::from_json(&i.record.to_json()).unwrap().labs().calcium.unwrap().canonical();
    assert!((ca(&a) - ca(&b)).abs() < 1e-6);
}

#[test]
fn the_latest_observation_by_date_wins_and_the_report_names_it() {
    let i = import(vec![
        obs("cr-old", "2160-0", "2026-01-10", qty(3.0, "mg/dL")),
        obs("cr-new", "14682-9", "2026-05-02T08:30:00+02:00", qty(97.24, "umol/L")),
        obs("cr-mid", "2160-0", "2026-03-01", qty(2.1, "mg/dL")),
    ])
    .unwrap();
    let r: Value = serde_json::from_str(&i.record.to_json()).unwrap();
    assert_eq!(r["labs"]["creatinine"], json!({"value": 97.24, "unit": "µmol/L"}));
    let used = i.report.used.iter().find(|u| u.field == "labs.creatinine").unwrap();
    assert_eq!(used.resource, "Observation/cr-new");
    let mut passed: Vec<&str> = i.report.superseded.iter().map(|s| s.resource.as_str()).collect();
    passed.sort();
    assert_eq!(passed, ["Observation/cr-mid", "Observation/cr-old"]);
}

#[test]
fn two_results_at_the_same_time_are_refused_rather_than_guessed() {
    let e = import(vec![
        obs("a", "2160-0", "2026-05-01", qty(1.0, "mg/dL")),
        obs("b", "2160-0", "2026-05-01", qty(3.0, "mg/dL")),
    ])
    .unwrap_err();
    assert!(matches!(e, Error::Inconsistent { .. }), "{e:?}");
}

#[test]
fn an_undated_result_never_wins_over_a_dated_one() {
    let mut undated = obs("u", "2160-0", "", qty(4.0, "mg/dL"));
    undated.as_object_mut().unwrap().remove("effectiveDateTime");
    let i = import(vec![undated, obs("d", "2160-0", "2026-01-01", qty(1.0, "mg/dL"))]).unwrap();
    assert_eq!(i.report.used[0].resource, "Observation/d");
}

#[test]
fn unknown_resources_and_codes_are_listed_as_ignored_never_dropped() {
    let i = import(vec![
        json!({"resourceType": "AllergyIntolerance", "id": "al"}),
        obs("glu", "2345-7", "2026-05-01", qty(5.0, "mmol/L")),
        json!({"resourceType": "MedicationStatement", "id": "len", "status": "active",
               "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361"}]}}),
        json!({"resourceType": "Procedure", "id": "asct", "status": "completed"}),
        json!({"resourceType": "MedicationAdministration", "id": "bor", "status": "completed"}),
        json!({"resourceType": "Condition", "id": "htn", "code": {"coding": [{"system": mapping::ICD10CM, "code": "I10"}]}}),
    ])
    .unwrap();
    let ig: Vec<(&str, Option<&str>)> =
        i.report.ignored.iter().map(|x| (x.resource_type.as_str(), x.id.as_deref())).collect();
    assert_eq!(
        ig,
        [
            ("AllergyIntolerance", Some("al")),
            ("Observation", Some("glu")),
            ("MedicationStatement", Some("len")),
            ("Procedure", Some("asct")),
            ("MedicationAdministration", Some("bor")),
            ("Condition", Some("htn"))
        ]
    );
    assert_eq!(i.report.ignored[1].code.as_deref(), Some("http://loinc.org|2345-7"));
    assert_eq!(i.report.ignored[2].reason, "medication code not in the mapping table");
    assert_eq!(i.report.ignored[3].reason, "procedure code not in the mapping table");
    assert_eq!(i.report.ignored[4].reason, "medication code not in the mapping table");
}

#[test]
fn a_known_code_with_an_unknown_unit_is_refused_naming_resource_code_and_unit() {
    let e = import(vec![obs("cr-7", "2160-0", "2026-05-01", qty(150.0, "umol/L"))]).unwrap_err();
    let Error::UnsupportedUnit { field, unit, accepted } = e else { panic!("{e:?}") };
    assert!(field.contains("Observation/cr-7"), "{field}");
    assert!(field.contains("2160-0"), "{field}");
    assert_eq!(unit, "umol/L");
    assert!(accepted.contains("mg/dL"), "{accepted}");
    // A unit of another system is not UCUM, even if it is spelt the same.
    let o = obs(
        "alb",
        "1751-7",
        "2026-05-01",
        json!({"valueQuantity": {"value": 35, "system": "http://example.org/units", "code": "g/L"}}),
    );
    assert!(matches!(import(vec![o]).unwrap_err(), Error::UnsupportedUnit { .. }));
}

#[test]
fn an_out_of_range_value_is_refused_naming_the_observation() {
    let e = import(vec![obs("cr-9", "2160-0", "2026-05-01", qty(-1.0, "mg/dL"))]).unwrap_err();
    let Error::OutOfRange { field, .. } = e else { panic!("{e:?}") };
    assert_eq!(field, "Observation/cr-9: labs.creatinine.value");
}

#[test]
fn preliminary_and_valueless_results_are_listed_not_read() {
    let mut pre = obs("p", "2160-0", "2026-05-01", qty(1.0, "mg/dL"));
    pre["status"] = json!("preliminary");
    let none = obs(
        "n",
        "1751-7",
        "2026-05-01",
        json!({"dataAbsentReason": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "not-performed"}]}}),
    );
    let i = import(vec![pre, none]).unwrap();
    assert_eq!(i.report.ignored.len(), 2);
    assert!(i.report.used.is_empty());
}

#[test]
fn age_is_whole_years_at_the_reference_date_and_no_identity_is_kept() {
    let p = |birth: &str| {
        json!({"resourceType": "Patient", "id": "p", "birthDate": birth, "gender": "male",
               "name": [{"family": "Doe"}], "identifier": [{"system": "urn:mrn", "value": "12345"}]})
    };
    let r = record(vec![p("1966-06-15")]);
    assert_eq!(r, json!({"age_years": 60, "sex": "male"}));
    assert_eq!(record(vec![p("1966-06-16")])["age_years"], json!(59));
    assert!(import(vec![p("1966")]).is_err(), "a partial birth date cannot give whole years");
    assert!(import(vec![p("2027-01-01")]).is_err());
    assert!(import(vec![p("1966-06-15"), p("1970-01-01")]).is_err(), "two patients");
}

#[test]
fn myeloma_condition_codes_are_recorded_in_the_report() {
    let i = import(vec![
        json!({"resourceType": "Condition", "id": "mm", "code": {"coding": [{"system": mapping::ICD10CM, "code": "C90.00"}]}}),
        json!({"resourceType": "Condition", "id": "histo", "code": {"coding": [{"system": mapping::ICDO3, "code": "9732/3"}]}}),
    ])
    .unwrap();
    let codes: Vec<&str> = i.report.diagnosis_codes.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["C90.00", "9732/3"]);
}

#[test]
fn not_a_bundle_is_refused() {
    assert!(read_bundle(r#"{"resourceType": "Patient"}"#, date()).is_err());
    assert!(read_bundle("[]", date()).is_err());
}

/// The record with each `treatment_history` list in the order the reader gives (the record's
/// lists are "in any order"; the reader orders them by date, so equality is as sets), the
/// findings by abnormality (a set too), without empty groups, and without `schema_version` (the version of the JSON
/// document, not a fact about the patient: a Bundle is not that document).
fn normalised(record: &PatientRecord) -> Value {
    let mut v: Value = serde_json::from_str(&record.to_json()).unwrap();
    v.as_object_mut().unwrap().remove("schema_version");
    // An empty group (`"frailty": {}`) says nothing: the same record as without it.
    v.as_object_mut().unwrap().retain(|_, g| g.as_object().is_none_or(|m| !m.is_empty()));
    if let Some(c) = v.get_mut("cytogenetics").and_then(Value::as_array_mut) {
        c.sort_by_key(|f| f["abnormality"].to_string());
    }
    if let Some(th) = v.get_mut("treatment_history").and_then(Value::as_object_mut) {
        for (_, list) in th.iter_mut() {
            if let Some(a) = list.as_array_mut() {
                a.sort_by(myeloma_pathway_fhir::history_order);
            }
        }
    }
    v
}

/// Every golden case whose input is a valid patient record (with its dated treatment history,
/// pathway `history`, response assessments and MRD results): record →
/// Bundle → record gives the same record (as parsed, history lists as sets) and the same plan
/// JSON, byte for byte, with nothing ignored.
#[test]
fn every_golden_record_round_trips_through_fhir_to_the_same_record_and_plan() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
    let (mut n, mut with_history, mut with_events, mut with_response, mut with_car_t) = (0, 0, 0, 0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Some(text) = case.get("patient").map(Value::to_string) else { continue };
        let Ok(rec) = PatientRecord::from_json(&text) else { continue };
        let guideline = case.get("guideline").map(Value::to_string);
        let Ok(before) = api::run_json(api::Assessment::Plan, &text, guideline.as_deref()) else { continue };
        let b = record_to_bundle(&rec, date()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let back = read_bundle(&b.to_string(), date()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(normalised(&rec), normalised(&back.record), "{}", path.display());
        let after = api::run_json(api::Assessment::Plan, &back.record.to_json(), guideline.as_deref()).unwrap();
        assert_eq!(before, after, "{}", path.display());
        assert!(back.report.ignored.is_empty(), "{}: {:?}", path.display(), back.report.ignored);
        n += 1;
        with_history += usize::from(rec.treatment_history.is_some());
        with_events += usize::from(!rec.history.is_empty());
        with_response += usize::from(!rec.response_assessments.is_empty() || !rec.mrd.is_empty());
        with_car_t += usize::from(rec.treatment_history.as_ref().is_some_and(|t| !t.car_t_courses.is_empty()));
    }
    eprintln!(
        "{n} golden records round-tripped: {with_history} with a treatment history, {with_events} with pathway events, {with_response} with response assessments or MRD, {with_car_t} with a dated CAR-T course"
    );
    assert!(n >= 217, "only {n} golden cases round-tripped");
    assert!(with_response >= 5, "only {with_response} golden cases with response assessments round-tripped");
    assert!(with_events >= 43, "only {with_events} golden cases with pathway events round-tripped");
    assert!(with_history >= 70, "only {with_history} golden cases with a dated treatment history round-tripped");
    // Every golden record with a dated CAR-T course (grep car_t_courses tests/golden: 8), none skipped.
    assert!(with_car_t >= 8, "only {with_car_t} golden cases with a dated CAR-T course round-tripped");
}

#[test]
fn the_plan_as_fhir_has_one_action_per_option_and_the_basis() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/patients/fit-60-standard-risk.json"
    ))
    .unwrap();
    let p = Patient::from_json(&text).unwrap();
    let plan: Value =
        serde_json::from_str(&myeloma_pathway::recommend(&p, &Guideline::default()).unwrap().to_json()).unwrap();
    let b = myeloma_pathway_fhir::plan_to_fhir(&plan).unwrap();
    let rg = &b["entry"][0]["resource"];
    let gr = &b["entry"][1]["resource"];
    let actions = rg["action"][0]["action"].as_array().unwrap();
    assert_eq!(actions.len(), plan["options"].as_array().unwrap().len());
    let regimen = &actions[0]["documentation"][0];
    assert_eq!(regimen["type"], "derived-from");
    // The first option's own regimen (the ranking is the core's and moves with the guideline).
    let first = plan["options"][0]["regimen_id"].as_str().unwrap();
    assert!(regimen["resource"].as_str().unwrap().contains(&format!("/PlanDefinition/{first}|")));
    assert!(rg["instantiatesCanonical"].as_array().unwrap().contains(&regimen["resource"]));
    assert_eq!(actions[0]["prefix"], "1");
    // A plan that still asks for an input is "data-required" (the example is a man, so the US
    // Lenalidomide REMS asks about a partner of childbearing potential).
    let expected = if plan["missing_inputs"].as_array().unwrap().is_empty() { "success" } else { "data-required" };
    assert_eq!(gr["status"], expected);
    let ids: Vec<&str> = gr["identifier"].as_array().unwrap().iter().map(|i| i["value"].as_str().unwrap()).collect();
    assert!(ids.contains(&plan["basis"]["knowledge_base"]["sha256"].as_str().unwrap()));
}

#[test]
fn missing_inputs_become_data_requirements_with_the_field_and_the_test() {
    let plan: Value = serde_json::from_str(&plan_json("{}")).unwrap();
    let b = myeloma_pathway_fhir::plan_to_fhir(&plan).unwrap();
    let gr = &b["entry"][1]["resource"];
    assert_eq!(gr["status"], "data-required");
    let reqs = gr["dataRequirement"].as_array().unwrap();
    let cr = reqs.iter().find(|d| d["mustSupport"][0] == "labs.creatinine").unwrap();
    assert_eq!(cr["type"], "Observation");
    assert!(cr["codeFilter"][0]["code"].as_array().unwrap().iter().any(|c| c["code"] == "2160-0"));
    assert!(cr["extension"].as_array().unwrap().iter().any(|e| e["url"] == myeloma_pathway_fhir::EXT_DECIDING_TEST));
}

#[test]
fn every_regimen_becomes_a_plan_definition_with_its_components() {
    let b = myeloma_pathway_fhir::embedded_kb_to_fhir().unwrap();
    let kb: Value = serde_json::to_value(myeloma_pathway::KnowledgeBase::embedded()).unwrap();
    let entries = b["entry"].as_array().unwrap();
    let pds = entries.iter().filter(|e| e["resource"]["resourceType"] == "PlanDefinition").count();
    let ads = entries.iter().filter(|e| e["resource"]["resourceType"] == "ActivityDefinition").count();
    let regimens = kb["regimens"].as_array().unwrap();
    assert_eq!(pds, regimens.len());
    assert_eq!(ads, regimens.iter().map(|r| r["components"].as_array().unwrap().len()).sum::<usize>());
}

#[test]
fn docs_fhir_md_lists_every_row_of_the_mapping_table() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/fhir.md")).unwrap();
    for m in mapping::TABLE {
        let row = format!("| `{}` |", m.code);
        assert!(doc.contains(&row), "docs/fhir.md lacks {row}");
    }
}

#[test]
fn a_bundle_with_a_duplicate_key_is_refused_naming_the_key() {
    let e =
        myeloma_pathway_fhir::parse_json_value(r#"{"resourceType": "Bundle", "resourceType": "Patient"}"#).unwrap_err();
    assert_eq!(e.field(), Some("resourceType"), "{e}");
}
