//! Treatment history in: MedicationAdministration / MedicationStatement (RxNorm, ATC) and
//! Procedure (transplant, CAR-T infusion) into the record's dated `treatment_history`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use myeloma_pathway::{api, Error};
use myeloma_pathway_fhir::{mapping, read_bundle, read_bundle_at, FhirImport};
use serde_json::{json, Value};

const RX: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
const ATC: &str = "http://www.whocc.no/atc";

fn bundle(resources: Vec<Value>) -> String {
    json!({"resourceType": "Bundle", "type": "searchset",
           "entry": resources.into_iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
    .to_string()
}

fn import(resources: Vec<Value>) -> Result<FhirImport, Error> {
    read_bundle(&bundle(resources), "2026-06-15".parse().unwrap())
}

fn history(resources: Vec<Value>) -> Value {
    let rec: Value = serde_json::from_str(&import(resources).unwrap().record.to_json()).unwrap();
    rec["treatment_history"].clone()
}

fn admin(id: &str, system: &str, code: &str, when: &str) -> Value {
    json!({"resourceType": "MedicationAdministration", "id": id, "status": "completed",
           "medicationCodeableConcept": {"coding": [{"system": system, "code": code}]},
           "subject": {"reference": "Patient/p"}, "effectiveDateTime": when})
}

fn statement(id: &str, system: &str, code: &str, status: &str, period: Value) -> Value {
    json!({"resourceType": "MedicationStatement", "id": id, "status": status,
           "medicationCodeableConcept": {"coding": [{"system": system, "code": code}]}, "effectivePeriod": period})
}

fn procedure(id: &str, system: &str, code: &str, when: &str) -> Value {
    json!({"resourceType": "Procedure", "id": id, "status": "completed",
           "code": {"coding": [{"system": system, "code": code}]}, "performedDateTime": when})
}

#[test]
fn every_medication_code_of_the_table_gives_its_drug() {
    for m in mapping::MEDICATION_CODES {
        let th = history(vec![admin("a", m.system, m.code, "2025-01-10")]);
        assert_eq!(th["therapies"][0]["drug"], m.drug, "{} {}", m.system, m.code);
        assert_eq!(th["therapies"][0]["start"], "2025-01-10");
        assert_eq!(th["therapies"][0]["stop"], "2025-01-10");
    }
}

#[test]
fn atc_daratumumab_is_plain_daratumumab_of_the_anti_cd38_class_and_rxnorm_tells_iv_from_sc() {
    let th = history(vec![admin("d", ATC, "L01FC01", "2025-01-10")]);
    assert_eq!(th["therapies"][0]["drug"], "daratumumab");
    assert_eq!(th["therapies"][0]["class"], "anti_cd38");
    let both = json!({"resourceType": "MedicationAdministration", "id": "d2", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": "L01FC01"}, {"system": RX, "code": "2372199"}]},
        "effectiveDateTime": "2025-01-10"});
    assert_eq!(history(vec![both])["therapies"][0]["drug"], "daratumumab_sc");
}

#[test]
fn two_codings_naming_different_drugs_are_refused() {
    let r = json!({"resourceType": "MedicationAdministration", "id": "x", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": RX, "code": "342369"}, {"system": ATC, "code": "L01XG01"}]},
        "effectiveDateTime": "2025-01-10"});
    let e = import(vec![r]).unwrap_err();
    assert!(matches!(e, Error::Inconsistent { .. }), "{e}");
    assert!(e.to_string().contains("MedicationAdministration/x"), "{e}");
}

#[test]
fn unknown_drug_codes_and_unread_statuses_are_listed_as_ignored_never_dropped() {
    let i = import(vec![
        admin("aspirin", RX, "1191", "2025-01-10"),
        json!({"resourceType": "MedicationAdministration", "id": "nd", "status": "not-done",
               "medicationCodeableConcept": {"coding": [{"system": RX, "code": "358258"}]}, "effectiveDateTime": "2025-01-10"}),
        statement("int", RX, "342369", "intended", json!({"start": "2025-02-01"})),
        json!({"resourceType": "MedicationAdministration", "id": "ref", "status": "completed",
               "medicationReference": {"reference": "Medication/m1"}, "effectiveDateTime": "2025-01-10"}),
        procedure("hsct", "http://snomed.info/sct", "234336002", "2025-03-01"),
    ])
    .unwrap();
    let ig: Vec<&str> = i.report.ignored.iter().map(|x| x.id.as_deref().unwrap()).collect();
    assert_eq!(ig, ["aspirin", "nd", "int", "ref", "hsct"]);
    assert_eq!(i.report.ignored[0].code.as_deref(), Some("http://www.nlm.nih.gov/research/umls/rxnorm|1191"));
    assert!(i.record.treatment_history.is_none());
}

#[test]
fn a_known_drug_with_a_bad_date_is_an_error_naming_the_resource() {
    for bad in ["2025-01", "2025-02-30", "2025-01-10T10:00:00", "yesterday"] {
        let e = import(vec![admin("len-7", RX, "342369", bad)]).unwrap_err();
        assert!(matches!(e, Error::InvalidJson { .. }), "{bad}: {e}");
        assert_eq!(e.field(), Some("MedicationAdministration/len-7.effectiveDateTime"), "{bad}");
    }
    // An unknown drug with a bad date is only listed.
    assert!(import(vec![admin("asp", RX, "1191", "2025-01")]).is_ok());
    // An administration without a date: missing, naming the resource.
    let mut a = admin("len-8", RX, "342369", "2025-01-10");
    a.as_object_mut().unwrap().remove("effectiveDateTime");
    let e = import(vec![a]).unwrap_err();
    assert_eq!(e.field(), Some("MedicationAdministration/len-8.effective[x]"), "{e}");
}

#[test]
fn a_date_time_with_its_offset_gives_its_calendar_date_as_written() {
    let th = history(vec![admin("b", RX, "358258", "2025-01-10T23:30:00+01:00")]);
    assert_eq!(th["therapies"][0]["start"], "2025-01-10");
}

#[test]
fn statements_give_periods_ongoing_without_an_end_and_undated_as_a_stated_exposure() {
    let th = history(vec![
        statement("len-m", RX, "342369", "active", json!({"start": "2024-08-01"})),
        statement("vel", ATC, "L01XG01", "completed", json!({"start": "2022-01-10", "end": "2022-05-01"})),
        json!({"resourceType": "MedicationStatement", "id": "thal", "status": "completed",
               "medicationCodeableConcept": {"coding": [{"system": RX, "code": "10432"}]}}),
    ]);
    let t = &th["therapies"];
    assert_eq!(
        (&t[0]["drug"], &t[0]["start"], &t[0]["stop"]),
        (&json!("bortezomib"), &json!("2022-01-10"), &json!("2022-05-01"))
    );
    assert_eq!((&t[1]["drug"], &t[1]["start"], t[1].get("stop")), (&json!("lenalidomide"), &json!("2024-08-01"), None));
    assert_eq!(
        th["stated_facts"][0],
        json!({"fact": "exposed", "drug": "thalidomide", "source": "MedicationStatement/thal (undated)"})
    );
    // Completed without its end date: refused, not guessed.
    let e = import(vec![statement("s", RX, "342369", "completed", json!({"start": "2024-08-01"}))]).unwrap_err();
    assert_eq!(e.field(), Some("MedicationStatement/s.effectivePeriod.end"), "{e}");
    // Ongoing with an end date: inconsistent.
    let e = import(vec![statement("s", RX, "342369", "active", json!({"start": "2024-08-01", "end": "2024-09-01"}))])
        .unwrap_err();
    assert_eq!(e.field(), Some("MedicationStatement/s.status"), "{e}");
}

#[test]
fn a_stop_before_the_start_is_the_cores_error_naming_the_resource() {
    let e = import(vec![statement("s", RX, "342369", "stopped", json!({"start": "2024-08-01", "end": "2024-07-01"}))])
        .unwrap_err();
    assert!(e.to_string().contains("MedicationStatement/s"), "{e}");
}

#[test]
fn transplants_use_local_codes_and_car_t_reads_its_product_from_used_code() {
    let mut cart = procedure("cilta", "http://snomed.info/sct", "1156961008", "2025-08-06");
    cart["usedCode"] = json!([{"coding": [{"system": ATC, "code": "L01XL05"}]}]);
    let th = history(vec![
        procedure("asct", mapping::RECORD_FIELD_SYSTEM, "treatment_history.transplants.autologous", "2022-06-15"),
        procedure("allo", mapping::RECORD_FIELD_SYSTEM, "treatment_history.transplants.allogeneic", "2023-06-15"),
        cart,
    ]);
    let tx = &th["transplants"];
    assert_eq!((&tx[0]["date"], &tx[0]["allogeneic"]), (&json!("2022-06-15"), &json!(false)));
    assert_eq!((&tx[1]["date"], &tx[1]["allogeneic"]), (&json!("2023-06-15"), &json!(true)));
    let t = &th["therapies"];
    assert_eq!(t.as_array().unwrap().len(), 1);
    assert_eq!(
        (&t[0]["drug"], &t[0]["start"], &t[0]["stop"]),
        (&json!("ciltacabtagene_autoleucel"), &json!("2025-08-06"), &json!("2025-08-06"))
    );
    let no_product = import(vec![procedure("c", "http://snomed.info/sct", "1156961008", "2025-08-06")]).unwrap();
    assert_eq!(no_product.report.ignored[0].id.as_deref(), Some("c"));
    let e = import(vec![procedure(
        "asct",
        mapping::RECORD_FIELD_SYSTEM,
        "treatment_history.transplants.autologous",
        "2022",
    )])
    .unwrap_err();
    assert_eq!(e.field(), Some("Procedure/asct.performedDateTime"), "{e}");
}

#[test]
fn the_therapy_role_extension_sets_lymphodepletion_and_a_bad_role_is_refused() {
    let mut flu = admin("flu", RX, "24698", "2025-08-01");
    flu["extension"] = json!([{"url": mapping::EXT_THERAPY_ROLE, "valueCode": "lymphodepletion"}]);
    assert_eq!(history(vec![flu.clone()])["therapies"][0]["role"], "lymphodepletion");
    flu["extension"][0]["valueCode"] = json!("supportive");
    assert!(import(vec![flu]).is_err());
}

/// A typical EHR export: bortezomib given twice weekly, lenalidomide and dexamethasone over the
/// same weeks, a transplant, lenalidomide maintenance, then progression and a second line of
/// daratumumab SC + pomalidomide. Every administration is one dated exposure; the core counts
/// lines and refractoriness from them.
#[test]
fn an_ehr_export_with_many_administrations_of_one_drug_gives_the_dated_history_and_its_lines() {
    let mut r = vec![json!({"resourceType": "Patient", "id": "p", "birthDate": "1960-02-01", "gender": "female"})];
    let mut n = 0;
    for day in ["2022-01-10", "2022-01-13", "2022-01-17", "2022-01-20", "2022-01-31", "2022-02-03"] {
        n += 1;
        r.push(admin(&format!("bor-{n}"), RX, "358258", day));
        r.push(admin(&format!("dex-{n}"), ATC, "H02AB02", day));
    }
    r.push(statement("len-ind", RX, "342369", "completed", json!({"start": "2022-01-10", "end": "2022-04-20"})));
    r.push(procedure("asct", mapping::RECORD_FIELD_SYSTEM, "treatment_history.transplants.autologous", "2022-06-15"));
    r.push(statement("len-maint", RX, "342369", "stopped", json!({"start": "2022-08-01", "end": "2024-03-01"})));
    for day in ["2024-03-20", "2024-03-27", "2024-04-03"] {
        n += 1;
        r.push(admin(&format!("dara-{n}"), RX, "2372199", day));
    }
    r.push(statement("pom", RX, "1369713", "active", json!({"start": "2024-03-20"})));
    let i = import(r).unwrap();
    let th = i.record.treatment_history.as_ref().unwrap();
    assert_eq!(th.therapies.len(), 6 + 6 + 1 + 1 + 3 + 1);
    assert_eq!(th.transplants.len(), 1);
    // Deterministic order: by start date, then drug.
    let starts: Vec<String> = th.therapies.iter().map(|t| format!("{} {}", t.start, t.drug)).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    assert_eq!(i.report.used.iter().filter(|u| u.field == "treatment_history.therapies").count(), 18);
    assert!(i.report.ignored.is_empty(), "{:?}", i.report.ignored);
    // The core reads two lines (VRd + ASCT + planned... lenalidomide restarted without a
    // progression is the same line; the daratumumab line is a second one).
    let plan: Value =
        serde_json::from_str(&api::run_json(api::Assessment::Plan, &i.record.to_json(), None).unwrap()).unwrap();
    let text = plan["treatment_history"].to_string();
    assert!(text.contains("line 2 began on 2024-03-20"), "{text}");
    assert!(!text.contains("line 3"), "{text}");
}

#[test]
fn the_reference_date_as_text_is_a_full_date_or_refused() {
    let b = bundle(vec![json!({"resourceType": "Patient", "id": "p", "birthDate": "1960-06-15"})]);
    assert_eq!(read_bundle_at(&b, Some("2026-06-15")).unwrap().record.age_years, Some(66));
    assert_eq!(read_bundle_at(&b, Some("2026-06")).unwrap_err().field(), Some("reference_date"));
    assert!(read_bundle_at(&b, None).is_ok());
}

#[test]
fn docs_fhir_md_lists_every_medication_and_procedure_code() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/fhir.md")).unwrap();
    let codes = mapping::MEDICATION_CODES.iter().map(|m| m.code).chain(mapping::PROCEDURE_CODES.iter().map(|p| p.code));
    for code in codes {
        let row = format!("| `{code}` |");
        assert!(doc.contains(&row), "docs/fhir.md lacks {row}");
    }
}

fn disease_status(id: &str, answer: &str, when: Option<&str>) -> Value {
    let mut o = json!({"resourceType": "Observation", "id": id, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "97509-4"}]},
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": answer}]}});
    if let Some(w) = when {
        o["effectiveDateTime"] = json!(w);
    }
    o
}

#[test]
fn mcode_disease_status_worsened_is_a_progression_on_its_date() {
    let i = import(vec![
        disease_status("pd-2", "271299001", Some("2025-06-01T10:00:00+02:00")),
        disease_status("pd-1", "271299001", Some("2024-03-01")),
    ])
    .unwrap();
    let th: Value = serde_json::from_str(&i.record.to_json()).unwrap();
    assert_eq!(th["treatment_history"]["progressions"], json!(["2024-03-01", "2025-06-01"]));
    let used: Vec<&str> = i
        .report
        .used
        .iter()
        .filter(|u| u.field == "treatment_history.progressions")
        .map(|u| u.resource.as_str())
        .collect();
    assert_eq!(used, ["Observation/pd-2", "Observation/pd-1"]);
}

#[test]
fn other_disease_status_answers_are_listed_as_ignored_and_an_answer_outside_the_value_set_is_refused() {
    // Improved, stable, undetermined, remission: not a progression; the record has no field.
    for code in ["268910001", "359746009", "709137006", "550991000124107", "551001000124108"] {
        let i = import(vec![disease_status("s", code, Some("2025-01-01"))]).unwrap();
        assert_eq!(i.report.ignored.len(), 1, "{code}");
        assert!(i.record.treatment_history.is_none(), "{code}");
    }
    let e = import(vec![disease_status("x", "260415000", Some("2025-01-01"))]).unwrap_err();
    assert!(matches!(e, Error::InvalidJson { .. }), "{e}");
    assert!(e.to_string().contains("Observation/x"), "{e}");
    // A progression without its date, or with a partial one, is refused naming the element.
    let e = import(vec![disease_status("nd", "271299001", None)]).unwrap_err();
    assert_eq!(e.field(), Some("Observation/nd.effectiveDateTime"), "{e}");
    let e = import(vec![disease_status("pd", "271299001", Some("2025-06"))]).unwrap_err();
    assert_eq!(e.field(), Some("Observation/pd.effectiveDateTime"), "{e}");
    // A preliminary status is only listed.
    let mut pre = disease_status("pre", "271299001", Some("2025-01-01"));
    pre["status"] = json!("preliminary");
    assert_eq!(import(vec![pre]).unwrap().report.ignored.len(), 1);
}

#[test]
fn stop_reason_toxicity_grade_dose_level_and_planned_continuation_are_read_from_their_elements() {
    let s = json!({"resourceType": "MedicationStatement", "id": "len", "status": "stopped",
        "medicationCodeableConcept": {"coding": [{"system": RX, "code": "342369"}]},
        "effectivePeriod": {"start": "2024-01-01", "end": "2024-06-01"},
        "statusReason": [{"coding": [{"system": mapping::STOP_REASON_SYSTEM, "code": "toxicity"}]}],
        "dosage": [{"text": "10 mg D1-21"}],
        "extension": [
            {"url": mapping::EXT_TOXICITY_GRADE, "valueInteger": 3},
            {"url": mapping::EXT_PLANNED_CONTINUATION, "valueBoolean": true},
            {"url": mapping::EXT_LAST_DOSE, "valueDate": "2024-05-20"}]});
    let th = history(vec![s.clone()]);
    assert_eq!(
        th["therapies"][0],
        json!({"drug": "lenalidomide", "start": "2024-01-01", "stop": "2024-06-01", "last_dose": "2024-05-20",
               "reason_stopped": "toxicity", "toxicity_grade": 3, "dose_level": "10 mg D1-21",
               "planned_continuation": true, "role": "anti_myeloma"})
    );
    // A stop reason outside the project's codes is refused; one in another system is not read.
    let mut bad = s.clone();
    bad["statusReason"][0]["coding"][0]["code"] = json!("relapse");
    assert_eq!(import(vec![bad]).unwrap_err().field(), Some("MedicationStatement/len.statusReason[0]"));
    let mut other = s;
    other["statusReason"][0]["coding"][0]["system"] = json!("http://snomed.info/sct");
    let i = import(vec![other]).unwrap();
    assert!(i.record.treatment_history.unwrap().therapies[0].reason_stopped.is_none());
    // ... and listed as ignored, never dropped.
    assert_eq!(i.report.ignored.len(), 1);
    assert_eq!(i.report.ignored[0].resource_type, "MedicationStatement.statusReason");
    assert_eq!(i.report.ignored[0].code.as_deref(), Some("http://snomed.info/sct|toxicity"));
}

#[test]
fn a_drug_without_a_verified_code_travels_in_the_projects_drug_code_system_with_its_class() {
    let s = json!({"resourceType": "MedicationStatement", "id": "elra", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": mapping::DRUG_SYSTEM, "code": "elranatamab"}]},
        "effectivePeriod": {"start": "2024-01-01", "end": "2024-06-01"},
        "extension": [{"url": mapping::EXT_DRUG_CLASS, "valueCode": "bispecific_bcma"}]});
    let th = history(vec![s.clone()]);
    assert_eq!(
        (&th["therapies"][0]["drug"], &th["therapies"][0]["class"]),
        (&json!("elranatamab"), &json!("bispecific_bcma"))
    );
    let mut bad = s;
    bad["extension"][0]["valueCode"] = json!("bcl2");
    assert!(import(vec![bad]).is_err(), "an unknown class is refused");
    // The class of the extension must agree with the class of the code (ATC daratumumab).
    let d = json!({"resourceType": "MedicationStatement", "id": "d", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": "L01FC01"}]},
        "effectivePeriod": {"start": "2024-01-01", "end": "2024-06-01"},
        "extension": [{"url": mapping::EXT_DRUG_CLASS, "valueCode": "proteasome_inhibitor"}]});
    assert!(matches!(import(vec![d]).unwrap_err(), Error::Inconsistent { .. }));
}

#[test]
fn stated_facts_keep_their_kind_and_source_and_a_class_is_read_only_on_an_undated_fact() {
    let fact = |id: &str, coding: Value, exts: Value| {
        json!({"resourceType": "MedicationStatement", "id": id, "status": "completed",
               "medicationCodeableConcept": {"coding": [coding]}, "extension": exts})
    };
    let th = history(vec![
        fact(
            "r",
            json!({"system": RX, "code": "342369"}),
            json!([{"url": mapping::EXT_STATED_FACT, "valueCode": "refractory"},
                   {"url": mapping::EXT_STATED_SOURCE, "valueString": "referral letter 2024-02"}]),
        ),
        fact("c", json!({"system": mapping::DRUG_CLASS_SYSTEM, "code": "anti_cd38"}), json!([])),
    ]);
    let facts = th["stated_facts"].as_array().unwrap();
    assert!(facts.contains(&json!({"fact": "refractory", "drug": "lenalidomide", "source": "referral letter 2024-02"})));
    assert!(
        facts.contains(&json!({"fact": "exposed", "class": "anti_cd38", "source": "MedicationStatement/c (undated)"}))
    );
    // A class alone cannot be a dated exposure; a stated-fact extension on a dated resource is refused.
    let mut dated = fact("cd", json!({"system": mapping::DRUG_CLASS_SYSTEM, "code": "anti_cd38"}), json!([]));
    dated["effectivePeriod"] = json!({"start": "2024-01-01", "end": "2024-02-01"});
    assert!(import(vec![dated]).is_err());
    let mut dated = fact(
        "rd",
        json!({"system": RX, "code": "342369"}),
        json!([{"url": mapping::EXT_STATED_FACT, "valueCode": "refractory"}]),
    );
    dated["effectivePeriod"] = json!({"start": "2024-01-01", "end": "2024-02-01"});
    assert!(matches!(import(vec![dated]).unwrap_err(), Error::Inconsistent { .. }));
}

#[test]
fn planned_tandem_and_as_of_are_read_from_their_extensions() {
    let mut tx =
        procedure("t2", mapping::RECORD_FIELD_SYSTEM, "treatment_history.transplants.autologous", "2022-09-01");
    tx["extension"] = json!([{"url": mapping::EXT_PLANNED_TANDEM, "valueBoolean": true}]);
    let p = json!({"resourceType": "Patient", "id": "p", "birthDate": "1960-01-01",
                   "extension": [{"url": mapping::EXT_HISTORY_AS_OF, "valueDate": "2024-03-10"}]});
    let th = history(vec![p.clone(), tx]);
    assert_eq!(th["transplants"][0]["planned_tandem"], json!(true));
    assert_eq!(th["as_of"], json!("2024-03-10"));
    let mut bad = p;
    bad["extension"][0]["valueDate"] = json!("2024-03");
    assert!(import(vec![bad]).is_err());
}

/// A small deterministic generator (no extra dependency): the same history in every order of
/// the bundle gives the same record, ordered by date; same-day entries are ordered by content.
#[test]
fn the_history_read_does_not_depend_on_the_bundle_order_and_same_day_events_keep_every_entry() {
    use myeloma_pathway::PatientRecord;
    use myeloma_pathway_fhir::record_to_bundle;
    // Same day: two drugs started and a progression and a transplant on one date; the same
    // drug twice on one day (two administrations) is kept twice, never merged.
    let rec = json!({"age_years": 64, "treatment_history": {
        "therapies": [
            {"drug": "lenalidomide", "start": "2024-03-01", "stop": "2024-03-01"},
            {"drug": "bortezomib", "start": "2024-03-01", "stop": "2024-03-01"},
            {"drug": "bortezomib", "start": "2024-03-01", "stop": "2024-03-01"},
            {"drug": "dexamethasone", "start": "2023-01-01", "stop": "2024-03-01", "reason_stopped": "progression"},
            {"drug": "ciltacabtagene_autoleucel", "start": "2024-09-01", "stop": "2024-09-01"},
            {"drug": "fludarabine", "start": "2024-08-28", "stop": "2024-08-30", "role": "lymphodepletion"}],
        "progressions": ["2024-03-01", "2023-06-01", "2024-03-01"],
        "transplants": [{"date": "2024-03-01"}, {"date": "2022-01-01", "allogeneic": true, "planned_tandem": true}],
        "stated_facts": [{"fact": "exposed", "drug": "thalidomide", "source": "letter"}],
        "as_of": "2025-01-01"}});
    let rec = PatientRecord::from_json(&rec.to_string()).unwrap();
    let bundle = record_to_bundle(&rec, "2026-06-15".parse().unwrap()).unwrap();
    let entries = bundle["entry"].as_array().unwrap().clone();
    let read = |entries: Vec<Value>| {
        let b = json!({"resourceType": "Bundle", "type": "collection", "entry": entries}).to_string();
        read_bundle(&b, "2026-06-15".parse().unwrap()).unwrap().record.to_json()
    };
    let first = read(entries.clone());
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..50 {
        let mut shuffled = entries.clone();
        for i in (1..shuffled.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            shuffled.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        assert_eq!(read(shuffled), first);
    }
    let back: Value = serde_json::from_str(&first).unwrap();
    let th = &back["treatment_history"];
    let starts: Vec<&str> = th["therapies"].as_array().unwrap().iter().map(|t| t["start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2023-01-01", "2024-03-01", "2024-03-01", "2024-03-01", "2024-08-28", "2024-09-01"]);
    let same_day: Vec<&str> =
        th["therapies"].as_array().unwrap()[1..4].iter().map(|t| t["drug"].as_str().unwrap()).collect();
    assert_eq!(same_day, ["bortezomib", "bortezomib", "lenalidomide"]);
    assert_eq!(th["progressions"], json!(["2023-06-01", "2024-03-01", "2024-03-01"]));
    assert_eq!(th["transplants"][0], json!({"date": "2022-01-01", "allogeneic": true, "planned_tandem": true}));
    assert_eq!(th["therapies"][4]["role"], "lymphodepletion");
    assert_eq!(th["as_of"], "2025-01-01");
    // The CAR-T infusion went out as a Procedure with its product.
    assert!(entries.iter().any(|e| e["resource"]["resourceType"] == "Procedure"
        && e["resource"]["usedCode"][0]["coding"][0]["code"] == "L01XL05"));
}

#[test]
fn docs_fhir_md_lists_the_disease_status_codes_and_every_history_extension() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/fhir.md")).unwrap();
    let codes = [mapping::DISEASE_STATUS_CODE, mapping::DISEASE_WORSENED.0]
        .into_iter()
        .chain(mapping::DISEASE_STATUS_OTHER.iter().map(|c| c.0));
    for code in codes {
        assert!(doc.contains(&format!("`{code}`")), "docs/fhir.md lacks {code}");
    }
    for url in [
        mapping::EXT_TOXICITY_GRADE,
        mapping::EXT_PLANNED_CONTINUATION,
        mapping::EXT_LAST_DOSE,
        mapping::EXT_DRUG_CLASS,
        mapping::EXT_PLANNED_TANDEM,
        mapping::EXT_STATED_SOURCE,
        mapping::EXT_STATED_FACT,
        mapping::EXT_HISTORY_AS_OF,
        mapping::EXT_PATHWAY_EVENT,
        mapping::EXT_SEQUENCE,
        mapping::EXT_CAR_T_COURSE,
        mapping::MRD_SYSTEM,
        mapping::STOP_REASON_SYSTEM,
        mapping::DRUG_SYSTEM,
        mapping::DRUG_CLASS_SYSTEM,
    ] {
        let tail = url.rsplit('/').next().unwrap();
        assert!(doc.contains(&format!("`{tail}`")), "docs/fhir.md lacks {tail}");
    }
}

/// Every field of `treatment_history` (each optional one set somewhere) goes out as FHIR and
/// comes back the same, lists as sets; and the plan is the same byte for byte.
#[test]
fn every_treatment_history_field_round_trips_through_fhir() {
    use myeloma_pathway::PatientRecord;
    use myeloma_pathway_fhir::{history_order, record_to_bundle};
    let rec = json!({"age_years": 64, "treatment_history": {
        "therapies": [
            {"drug": "lenalidomide", "start": "2024-01-01", "stop": "2024-06-01", "last_dose": "2024-05-20",
             "reason_stopped": "toxicity", "toxicity_grade": 3, "dose_level": "10 mg D1-21", "planned_continuation": true},
            {"drug": "elranatamab", "class": "bispecific_bcma", "start": "2024-07-01"},
            {"drug": "daratumumab", "class": "anti_cd38", "start": "2024-07-01", "last_dose": "2024-08-01"},
            {"drug": "venetoclax", "start": "2023-01-01", "stop": "2023-02-01", "reason_stopped": "choice"},
            {"drug": "ciltacabtagene_autoleucel", "start": "2024-09-01", "stop": "2024-09-01", "reason_stopped": "completion"},
            {"drug": "idecabtagene_vicleucel", "start": "2025-01-01", "stop": "2025-01-02"},
            {"drug": "fludarabine", "start": "2024-08-28", "stop": "2024-08-30", "role": "lymphodepletion"},
            {"drug": "melphalan", "start": "2021-12-30", "stop": "2021-12-30", "role": "conditioning"}],
        "progressions": ["2024-06-01", "2023-02-01"],
        "transplants": [{"date": "2022-01-01"}, {"date": "2022-04-01", "planned_tandem": true}, {"date": "2023-05-01", "allogeneic": true}],
        "stated_facts": [
            {"fact": "refractory", "drug": "thalidomide", "source": "letter"},
            {"fact": "exposed", "class": "anti_cd38", "source": "registry"},
            {"fact": "refractory", "drug": "venetoclax", "source": "trial summary"}],
        "as_of": "2025-03-01"}});
    let text = rec.to_string();
    let rec = PatientRecord::from_json(&text).unwrap();
    let bundle = record_to_bundle(&rec, "2026-06-15".parse().unwrap()).unwrap();
    let back = read_bundle(&bundle.to_string(), "2026-06-15".parse().unwrap()).unwrap();
    assert!(back.report.ignored.is_empty(), "{:?}", back.report.ignored);
    let sorted = |r: &PatientRecord| {
        let mut v: Value = serde_json::from_str(&r.to_json()).unwrap();
        for (_, list) in v["treatment_history"].as_object_mut().unwrap().iter_mut() {
            if let Some(a) = list.as_array_mut() {
                a.sort_by(history_order);
            }
        }
        v
    };
    assert_eq!(sorted(&rec), sorted(&back.record));
    let plan = |r: &str| api::run_json(api::Assessment::Plan, r, None).unwrap();
    assert_eq!(plan(&rec.to_json()), plan(&back.record.to_json()));
    // The CAR-T infusion of one day is a Procedure; the two-day one stays a MedicationStatement.
    let kinds: Vec<(String, String)> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["resource"]["resourceType"].as_str().unwrap().into(), e["resource"]["id"].as_str().unwrap().into()))
        .collect();
    assert!(kinds.contains(&("Procedure".into(), "therapy-5".into())));
    assert!(kinds.contains(&("MedicationStatement".into(), "therapy-6".into())));
    // Plain daratumumab without a class is not written as ATC L01FC01 (which reads back with the
    // anti-CD38 class) but in the project's drug code system.
    let dara = bundle["entry"].as_array().unwrap().iter().find(|e| e["resource"]["id"] == "therapy-4").unwrap();
    assert_eq!(dara["resource"]["medicationCodeableConcept"]["coding"][0]["system"], mapping::DRUG_SYSTEM);
}

/// The pathway history (events replayed in order, some undated) travels as the ordered
/// `pathway-event` extension on the Patient: same order, same dates, same event fields.
#[test]
fn pathway_events_keep_their_order_dates_and_fields_and_a_malformed_event_is_refused() {
    use myeloma_pathway::PatientRecord;
    use myeloma_pathway_fhir::record_to_bundle;
    let rec = json!({"age_years": 60, "history": [
        {"event": "therapy_started", "regimen": "vrd", "date": "2025-01-10"},
        {"event": "cycle_completed"},
        {"event": "cycle_completed"},
        {"event": "transplant_eligibility_assessed", "eligible": true},
        {"event": "response_assessed", "response": "vgpr", "date": "2025-04-01"},
        {"event": "transplant_done", "date": "2025-06-15"}]});
    let rec = PatientRecord::from_json(&rec.to_string()).unwrap();
    let bundle = record_to_bundle(&rec, "2026-06-15".parse().unwrap()).unwrap();
    let back = read_bundle(&bundle.to_string(), "2026-06-15".parse().unwrap()).unwrap();
    assert_eq!(back.record.history, rec.history);
    assert!(back.report.ignored.is_empty());
    // A pathway event without its `event`, with a partial date, or an unknown event: refused.
    let mut patient = bundle["entry"][0]["resource"].clone();
    let read = |p: &Value| import(vec![p.clone()]);
    patient["extension"][0]["extension"][0]["url"] = json!("kind");
    assert!(read(&patient).is_err());
    patient["extension"][0]["extension"][0] = json!({"url": "event", "valueCode": "therapy_started"});
    patient["extension"][0]["extension"][1] = json!({"url": "date", "valueDate": "2025-01"});
    let e = read(&patient).unwrap_err();
    assert!(e.field().unwrap().contains("pathway-event"), "{e}");
    patient["extension"][0]["extension"][1] = json!({"url": "date", "valueDate": "2025-01-10"});
    patient["extension"][1]["extension"][0]["valueCode"] = json!("cycle_skipped");
    assert!(read(&patient).is_err());
}

/// Response assessments and MRD results: Observations of the project's codes whose components
/// are the values (the labs' own LOINC rows and UCUM units), never read as `labs`.
#[test]
fn response_assessments_and_mrd_round_trip_in_order_and_never_fill_labs() {
    use myeloma_pathway::PatientRecord;
    use myeloma_pathway_fhir::record_to_bundle;
    let rec = json!({"age_years": 60,
        "labs": {"serum_m_protein": {"value": 3.0, "unit": "g/dL"}},
        "response_assessments": [
            {"date": "2025-01-06", "serum_m_protein": {"value": 3.2, "unit": "g/dL"}, "urine_m_protein": {"value": 80, "unit": "mg/24h"},
             "bone_marrow_plasma_cells": {"value": 35, "unit": "%"}, "soft_tissue_plasmacytoma": false},
            {"serum_m_protein": {"value": 0.3, "unit": "g/dL"}, "serum_immunofixation": "positive"},
            {"date": "2025-02-17", "serum_m_protein": {"value": 0, "unit": "g/L"}, "serum_immunofixation": "negative",
             "urine_immunofixation": "negative", "clonal_cells_by_ihc": false, "new_lesions": false,
             "serum_flc_kappa": {"value": 1.2, "unit": "mg/dL"}, "serum_flc_lambda": {"value": 1.0, "unit": "mg/dL"}}],
        "mrd": [{"date": "2025-03-01", "method": "ngs", "sensitivity_log10": 6, "sample": "bone_marrow", "result": "negative", "pet_ct_negative": true}]});
    let rec = PatientRecord::from_json(&rec.to_string()).unwrap();
    let bundle = record_to_bundle(&rec, "2026-06-15".parse().unwrap()).unwrap();
    let back = read_bundle(&bundle.to_string(), "2026-06-15".parse().unwrap()).unwrap();
    assert!(back.report.ignored.is_empty(), "{:?}", back.report.ignored);
    // The undated second assessment keeps its place (sequence extension).
    assert_eq!(back.record.response_assessments, rec.response_assessments);
    assert_eq!(back.record.mrd, rec.mrd);
    // The baseline M-protein in labs is still the labs observation, not an assessment's.
    let labs: Value = serde_json::from_str(&back.record.to_json()).unwrap();
    assert_eq!(labs["labs"]["serum_m_protein"], json!({"value": 3.0, "unit": "g/dL"}));

    let entries: Vec<Value> = bundle["entry"].as_array().unwrap().iter().map(|e| e["resource"].clone()).collect();
    let assessments: Vec<Value> =
        entries.iter().filter(|r| r["id"].as_str().unwrap().starts_with("response-assessments")).cloned().collect();
    let read = |rs: Vec<Value>| import(rs);
    // Without the sequence, the undated assessment cannot be placed among the others: refused.
    let mut no_seq = assessments.clone();
    for r in &mut no_seq {
        r.as_object_mut().unwrap().remove("extension");
    }
    let e = read(no_seq.clone()).unwrap_err();
    assert!(matches!(e, Error::Inconsistent { .. }), "{e}");
    // Dated ones without the sequence are ordered by date.
    let dated: Vec<Value> = vec![no_seq[2].clone(), no_seq[0].clone()];
    let r = read(dated).unwrap().record;
    assert_eq!(r.response_assessments.len(), 2);
    assert_eq!(r.response_assessments[0], rec.response_assessments[0]);
    // A known LOINC code with an unknown unit in a component: refused naming the component.
    let mut bad = assessments[0].clone();
    bad["component"][0]["valueQuantity"]["code"] = json!("mmol/L");
    let e = read(vec![bad]).unwrap_err();
    assert!(matches!(e, Error::UnsupportedUnit { .. }), "{e}");
    assert!(e.field().unwrap().contains("component[0]"), "{e}");
    // An unknown component is listed as ignored.
    let mut extra = assessments[0].clone();
    extra["component"].as_array_mut().unwrap().push(json!({"code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]}, "valueQuantity": {"value": 5, "code": "mmol/L"}}));
    assert_eq!(read(vec![extra]).unwrap().report.ignored.len(), 1);
    // An MRD result without its result is refused.
    let mut mrd = entries.iter().find(|r| r["id"] == "mrd-1").unwrap().clone();
    mrd.as_object_mut().unwrap().remove("valueCodeableConcept");
    assert!(read(vec![mrd]).is_err());
}

const SNOMED: &str = "http://snomed.info/sct";

/// A CAR-T Procedure with the `car-t-course` extension: the steps before the infusion as
/// sub-extensions (url, valueDate), the infusion (when given) as performedDateTime.
fn course(id: &str, status: &str, infusion: Option<&str>, steps: &[(&str, &str)]) -> Value {
    let parts: Vec<Value> = steps.iter().map(|(u, d)| json!({"url": u, "valueDate": d})).collect();
    let mut p = json!({"resourceType": "Procedure", "id": id, "status": status,
        "code": {"coding": [{"system": SNOMED, "code": "1156961008"}]},
        "usedCode": [{"coding": [{"system": ATC, "code": "L01XL05"}]}],
        "extension": [{"url": mapping::EXT_CAR_T_COURSE, "extension": parts}]});
    if let Some(d) = infusion {
        p["performedDateTime"] = json!(d);
    }
    p
}

const ALL_STEPS: [(&str, &str); 3] =
    [("apheresis", "2024-04-01"), ("lymphodepletionStart", "2024-05-01"), ("lymphodepletionEnd", "2024-05-03")];

fn course_error(r: Value) -> Error {
    import(vec![r]).unwrap_err()
}

#[test]
fn a_car_t_procedure_with_the_course_extension_is_one_dated_car_t_course_not_an_exposure() {
    let i = import(vec![course("c", "completed", Some("2024-05-06"), &ALL_STEPS)]).unwrap();
    let rec: Value = serde_json::from_str(&i.record.to_json()).unwrap();
    let th = &rec["treatment_history"];
    assert_eq!(
        th["car_t_courses"],
        json!([{"product": "ciltacabtagene_autoleucel", "apheresis": "2024-04-01",
                "lymphodepletion_start": "2024-05-01", "lymphodepletion_end": "2024-05-03", "infusion": "2024-05-06"}])
    );
    assert!(th.get("therapies").is_none(), "{th}");
    let used = i.report.used.iter().find(|u| u.resource == "Procedure/c").unwrap();
    assert_eq!(used.field, "treatment_history.car_t_courses");
    assert_eq!(used.effective.as_deref(), Some("2024-05-06"));
}

#[test]
fn a_course_not_yet_infused_is_in_progress_and_a_course_without_dated_steps_says_so_with_value_boolean() {
    let th = history(vec![course("c", "in-progress", None, &ALL_STEPS[..1])]);
    assert_eq!(th["car_t_courses"], json!([{"product": "ciltacabtagene_autoleucel", "apheresis": "2024-04-01"}]));
    let mut bare = course("b", "in-progress", None, &[]);
    bare["extension"] = json!([{"url": mapping::EXT_CAR_T_COURSE, "valueBoolean": true}]);
    assert_eq!(history(vec![bare.clone()])["car_t_courses"], json!([{"product": "ciltacabtagene_autoleucel"}]));
    // Only `true` says "a course": false, an empty extension, or both forms at once are refused.
    bare["extension"][0]["valueBoolean"] = json!(false);
    assert_eq!(
        course_error(bare.clone()).field(),
        Some(format!("Procedure/b.extension({})", mapping::EXT_CAR_T_COURSE).as_str())
    );
    bare["extension"] = json!([{"url": mapping::EXT_CAR_T_COURSE}]);
    assert!(course_error(bare.clone()).field().unwrap().starts_with("Procedure/b.extension("));
    let mut both = course("d", "in-progress", None, &ALL_STEPS[..1]);
    both["extension"][0]["valueBoolean"] = json!(true);
    assert!(course_error(both).field().unwrap().starts_with("Procedure/d.extension("));
}

#[test]
fn without_the_course_extension_a_car_t_procedure_is_read_exactly_as_before() {
    // The bundles valid before the course mapping: a completed infusion is a one-day exposure, an
    // in-progress one is listed as ignored.
    let mut cart = procedure("cilta", SNOMED, "1156961008", "2025-08-06");
    cart["usedCode"] = json!([{"coding": [{"system": ATC, "code": "L01XL05"}]}]);
    let th = history(vec![cart.clone()]);
    assert_eq!(
        th,
        json!({"therapies": [{"drug": "ciltacabtagene_autoleucel", "start": "2025-08-06", "stop": "2025-08-06",
                              "role": "anti_myeloma", "planned_continuation": false}]})
    );
    let used = import(vec![cart.clone()]).unwrap().report.used;
    assert_eq!(used[0].field, "treatment_history.therapies");
    cart["status"] = json!("in-progress");
    let i = import(vec![cart]).unwrap();
    assert_eq!(i.report.ignored[0].id.as_deref(), Some("cilta"));
    assert!(i.record.treatment_history.is_none());
}

#[test]
fn an_unknown_or_duplicated_step_of_a_course_is_refused_naming_the_sub_extension() {
    let at = |i: usize| format!("Procedure/c.extension({}).extension[{i}]", mapping::EXT_CAR_T_COURSE);
    let e = course_error(course("c", "in-progress", None, &[("apheresis", "2024-04-01"), ("bridging", "2024-04-03")]));
    assert_eq!(e.field(), Some(at(1).as_str()), "{e}");
    assert!(e.to_string().contains("bridging"), "{e}");
    let e = course_error(course("c", "in-progress", None, &[("apheresis", "2024-04-01"), ("apheresis", "2024-04-02")]));
    assert_eq!(e.field(), Some(at(1).as_str()), "{e}");
    assert!(e.to_string().contains("twice"), "{e}");
    // Two course extensions on one Procedure: two courses cannot be one resource.
    let mut two = course("c", "in-progress", None, &ALL_STEPS[..1]);
    let again = two["extension"][0].clone();
    two["extension"].as_array_mut().unwrap().push(again);
    assert!(course_error(two).to_string().contains("twice"));
}

#[test]
fn a_step_of_a_course_must_be_a_full_value_date() {
    let at = format!("Procedure/c.extension({}).extension[0]", mapping::EXT_CAR_T_COURSE);
    let mut r = course("c", "in-progress", None, &ALL_STEPS[..1]);
    r["extension"][0]["extension"][0] = json!({"url": "apheresis", "valueString": "2024-04-01"});
    assert_eq!(course_error(r.clone()).field(), Some(at.as_str()));
    r["extension"][0]["extension"][0] = json!({"url": "apheresis", "valueDate": "2024-04"});
    let e = course_error(r.clone());
    assert_eq!(e.field(), Some(format!("{at}.valueDate").as_str()), "{e}");
    assert!(e.to_string().contains("partial"), "{e}");
    r["extension"][0]["extension"][0] = json!({"url": "apheresis", "valueDate": 20240401});
    assert_eq!(course_error(r).field(), Some(format!("{at}.valueDate").as_str()));
}

#[test]
fn a_completed_course_needs_its_infusion_date_and_an_infusion_date_needs_status_completed() {
    let e = course_error(course("c", "completed", None, &ALL_STEPS));
    assert!(matches!(e, Error::MissingField { .. }), "{e}");
    assert_eq!(e.field(), Some("Procedure/c.performedDateTime"));
    let e = course_error(course("c", "in-progress", Some("2024-05-06"), &ALL_STEPS));
    assert_eq!(e.field(), Some("Procedure/c.status"), "{e}");
    let e = course_error(course("c", "stopped", Some("2024-05-06"), &ALL_STEPS));
    assert_eq!(e.field(), Some("Procedure/c.status"), "{e}");
    let e = course_error(course("c", "stopped", None, &ALL_STEPS));
    assert_eq!(e.field(), Some("Procedure/c.status"), "{e}");
    let e = course_error(course("c", "completed", Some("2024-05"), &ALL_STEPS));
    assert_eq!(e.field(), Some("Procedure/c.performedDateTime"), "{e}");
    // The infusion is one day: a period is refused, never read as its start.
    let mut p = course("c", "completed", None, &ALL_STEPS);
    p["performedPeriod"] = json!({"start": "2024-05-06"});
    assert_eq!(course_error(p).field(), Some("Procedure/c.performedPeriod"));
    // Entered in error: not data, listed as ignored.
    let i = import(vec![course("c", "entered-in-error", None, &ALL_STEPS)]).unwrap();
    assert_eq!(i.report.ignored[0].id.as_deref(), Some("c"));
}

#[test]
fn a_course_product_that_is_not_a_library_car_t_is_the_cores_refusal_naming_the_resource() {
    let mut r = course("c", "completed", Some("2024-05-06"), &ALL_STEPS);
    r["usedCode"] = json!([{"coding": [{"system": RX, "code": "358258"}]}]);
    let e = course_error(r.clone());
    assert_eq!(e.field(), Some("Procedure/c: treatment_history.car_t_courses[0].product"), "{e}");
    r["usedCode"] = json!([{"coding": [{"system": mapping::DRUG_SYSTEM, "code": "some-cel"}]}]);
    assert_eq!(course_error(r.clone()).field(), Some("Procedure/c: treatment_history.car_t_courses[0].product"));
    r["usedCode"] = json!([{"coding": [{"system": ATC, "code": "L01XL07"}]}]);
    assert_eq!(history(vec![r.clone()])["car_t_courses"][0]["product"], "idecabtagene_vicleucel");
    r["usedCode"] =
        json!([{"coding": [{"system": ATC, "code": "L01XL07"}]}, {"coding": [{"system": ATC, "code": "L01XL05"}]}]);
    assert_eq!(course_error(r.clone()).field(), Some("Procedure/c.usedCode[1]"));
    r.as_object_mut().unwrap().remove("usedCode");
    let e = course_error(r);
    assert!(matches!(e, Error::MissingField { .. }), "{e}");
    assert_eq!(e.field(), Some("Procedure/c.usedCode"));
}

#[test]
fn course_steps_on_the_same_day_are_accepted_and_a_day_out_of_order_is_the_cores_refusal() {
    let same =
        [("apheresis", "2024-05-01"), ("lymphodepletionStart", "2024-05-01"), ("lymphodepletionEnd", "2024-05-03")];
    assert_eq!(
        history(vec![course("c", "completed", Some("2024-05-03"), &same)])["car_t_courses"][0]["infusion"],
        "2024-05-03"
    );
    let early = [("apheresis", "2024-05-02"), ("lymphodepletionStart", "2024-05-01")];
    let e = course_error(course("c", "in-progress", None, &early));
    assert_eq!(e.field(), Some("Procedure/c: treatment_history.car_t_courses[0].lymphodepletion_start"), "{e}");
    let e = course_error(course("c", "completed", Some("2024-05-02"), &ALL_STEPS));
    assert_eq!(e.field(), Some("Procedure/c: treatment_history.car_t_courses[0].infusion"), "{e}");
    let e = course_error(course("c", "in-progress", None, &[("lymphodepletionEnd", "2024-05-03")]));
    assert_eq!(e.field(), Some("Procedure/c: treatment_history.car_t_courses[0].lymphodepletion_start"), "{e}");
}

#[test]
fn a_course_carries_no_exposure_details_and_a_course_extension_on_a_transplant_is_refused() {
    let mut r = course("c", "completed", Some("2024-05-06"), &ALL_STEPS);
    r["extension"].as_array_mut().unwrap().push(json!({"url": mapping::EXT_TOXICITY_GRADE, "valueInteger": 3}));
    assert_eq!(
        course_error(r).field(),
        Some(format!("Procedure/c.extension({})", mapping::EXT_TOXICITY_GRADE).as_str())
    );
    let mut r = course("c", "completed", Some("2024-05-06"), &ALL_STEPS);
    r["statusReason"] = json!({"coding": [{"system": mapping::STOP_REASON_SYSTEM, "code": "completion"}]});
    assert_eq!(course_error(r).field(), Some("Procedure/c.statusReason"));
    let mut t =
        procedure("asct", mapping::RECORD_FIELD_SYSTEM, "treatment_history.transplants.autologous", "2022-06-15");
    t["extension"] = json!([{"url": mapping::EXT_CAR_T_COURSE, "valueBoolean": true}]);
    assert!(matches!(course_error(t), Error::Inconsistent { .. }));
}

/// Every shape of a course (infused, before lymphodepletion, product only, two courses) goes
/// out as one Procedure each and comes back the same; the bundle's order does not matter.
#[test]
fn every_car_t_course_round_trips_through_fhir_as_one_procedure_each() {
    use myeloma_pathway::PatientRecord;
    use myeloma_pathway_fhir::record_to_bundle;
    let rec = PatientRecord::from_json(
        &json!({"age_years": 64, "treatment_history": {"car_t_courses": [
            {"product": "idecabtagene_vicleucel", "apheresis": "2023-01-02", "lymphodepletion_start": "2023-02-01",
             "lymphodepletion_end": "2023-02-03", "infusion": "2023-02-06"},
            {"product": "ciltacabtagene_autoleucel", "apheresis": "2024-04-01"},
            {"product": "ciltacabtagene_autoleucel"}]}})
        .to_string(),
    )
    .unwrap();
    let bundle = record_to_bundle(&rec, "2026-06-15".parse().unwrap()).unwrap();
    let procs: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Procedure")
        .collect();
    let ids: Vec<(&str, &str)> =
        procs.iter().map(|p| (p["id"].as_str().unwrap(), p["status"].as_str().unwrap())).collect();
    assert_eq!(
        ids,
        [("car-t-course-1", "completed"), ("car-t-course-2", "in-progress"), ("car-t-course-3", "in-progress")]
    );
    assert_eq!(procs[0]["performedDateTime"], "2023-02-06");
    assert_eq!(procs[0]["code"]["coding"][0]["code"], "1156961008");
    assert_eq!(procs[0]["usedCode"][0]["coding"][0], json!({"system": ATC, "code": "L01XL07"}));
    assert!(procs[1].get("performedDateTime").is_none());
    assert_eq!(procs[2]["extension"][0], json!({"url": mapping::EXT_CAR_T_COURSE, "valueBoolean": true}));
    let back = read_bundle(&bundle.to_string(), "2026-06-15".parse().unwrap()).unwrap();
    assert!(back.report.ignored.is_empty(), "{:?}", back.report.ignored);
    assert_eq!(back.record, rec);
    // The same resources in the reverse order give the same record.
    let mut reversed = bundle.clone();
    reversed["entry"].as_array_mut().unwrap().reverse();
    assert_eq!(read_bundle(&reversed.to_string(), "2026-06-15".parse().unwrap()).unwrap().record, rec);
}

/// A course under way (apheresis done, bridging DPd being given, no lymphodepletion yet): the
/// plan read from the FHIR Bundle is the plan from the record JSON, byte for byte.
#[test]
fn a_plan_through_fhir_for_a_course_in_bridging_equals_the_plan_from_the_record() {
    use myeloma_pathway::PatientRecord;
    use myeloma_pathway_fhir::record_to_bundle;
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/car-t-bridging-and-cilta-cel-are-one-line-us.json");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut p = case["patient"].clone();
    let th = &mut p["treatment_history"];
    th["car_t_courses"] = json!([{"product": "ciltacabtagene_autoleucel", "apheresis": "2024-04-01"}]);
    th["progressions"] = json!(["2024-03-01"]);
    th["as_of"] = json!("2024-04-20");
    for t in th["therapies"].as_array_mut().unwrap() {
        if t["start"] == "2024-04-03" {
            let o = t.as_object_mut().unwrap();
            o.remove("stop");
            o.remove("reason_stopped");
        }
    }
    let rec = PatientRecord::from_json(&p.to_string()).unwrap();
    let bundle = record_to_bundle(&rec, "2026-06-15".parse().unwrap()).unwrap();
    let back = read_bundle(&bundle.to_string(), "2026-06-15".parse().unwrap()).unwrap();
    assert!(back.report.ignored.is_empty(), "{:?}", back.report.ignored);
    let g = case["guideline"].to_string();
    let plan = |r: &str| api::run_json(api::Assessment::Plan, r, Some(&g)).unwrap();
    let (from_json, from_fhir) = (plan(&rec.to_json()), plan(&back.record.to_json()));
    assert_eq!(from_json, from_fhir);
    // The course is under way in the plan, its bridging step current or done (so the comparison
    // is about a course in bridging).
    let v: Value = serde_json::from_str(&from_json).unwrap();
    assert_eq!(v["car_t_course"]["stage"], "under_way", "{}", v["car_t_course"]);
    let steps = v["car_t_course"]["steps"].as_array().unwrap();
    assert_eq!(steps.iter().find(|s| s["step"] == "apheresis").unwrap()["dates"], "2024-04-01");
    assert_eq!(steps.iter().find(|s| s["step"] == "bridging").unwrap()["status"], "next");
}
