//! FHIR out: the plan as a CPG-on-FHIR `RequestGroup` with a `GuidanceResponse`, the knowledge
//! base as `PlanDefinition` / `ActivityDefinition` resources, and a patient record as a Bundle
//! (for tests and examples).
//!
//! Plans and knowledge bases are read as JSON values (their documented JSON contract), so a
//! change of the core's internal types does not reach this module.

use std::collections::BTreeMap;

use jiff::civil::Date;
use myeloma_pathway::{Error, PatientRecord};
use serde_json::{json, Map, Value};

use crate::mapping::{
    self, Mapping, Target, ABNORMALITY_SYSTEM, CANONICAL_BASE, FINDING_VALUES, HEAVY_CHAIN_SYSTEM, LIGHT_CHAIN_SYSTEM,
    LOINC, METHOD_SYSTEM, RECORD_FIELD_SYSTEM, RXNORM, RXNORM_CODES, UCUM,
};

/// Extension: the rank of an option (1 = first), as the engine ranked it.
pub const EXT_RANK: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/option-rank";
/// Extension: the test that would supply a missing input.
pub const EXT_DECIDING_TEST: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/deciding-test";
/// Extension: what a missing input is needed for.
pub const EXT_NEEDED_FOR: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/needed-for";
/// Identifier system of the knowledge-base version.
pub const ID_KB_VERSION: &str = "https://example.invalid/myeloma-pathway/fhir/NamingSystem/knowledge-base-version";
/// Identifier system of the knowledge-base SHA-256.
pub const ID_KB_SHA256: &str = "https://example.invalid/myeloma-pathway/fhir/NamingSystem/knowledge-base-sha256";
/// Identifier system of the library version.
pub const ID_LIBRARY_VERSION: &str = "https://example.invalid/myeloma-pathway/fhir/NamingSystem/library-version";
/// Code system of the plan's actions (`start`, `continue`, `transplant`, ...).
pub const ACTION_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/plan-action";
/// Code system of the plan's warning codes.
pub const WARNING_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/warning";

/// Set a key on a JSON object (a no-op on anything else, which never happens here).
fn set(target: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = target {
        m.insert(key.to_string(), value);
    }
}

fn bad_plan(field: &str, message: &str) -> Error {
    Error::InvalidJson { field: format!("plan.{field}"), message: message.to_string() }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    arr(v, key).iter().filter_map(Value::as_str).map(str::to_string).collect()
}

/// The canonical URL of a regimen's `PlanDefinition`.
pub fn plan_definition_url(regimen_id: &str) -> String {
    format!("{CANONICAL_BASE}/PlanDefinition/{regimen_id}")
}

/// A FHIR id: 1–64 of `A-Z a-z 0-9 - .`.
fn check_id(id: &str, field: &str) -> Result<(), Error> {
    let ok = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidJson { field: field.to_string(), message: format!("`{id}` is not a valid FHIR id") })
    }
}

fn citation_text(c: &Value) -> String {
    let mut t = format!("{}: {}", s(c, "key"), s(c, "source"));
    for k in ["version", "section"] {
        if !s(c, k).is_empty() {
            t.push_str(&format!("; {k} {}", s(c, k)));
        }
    }
    if !s(c, "evidence").is_empty() {
        t.push_str(&format!(" [{}]", s(c, "evidence")));
    }
    t
}

/// The plan (its JSON, as `Plan::to_json` writes it) as a FHIR R4 `Bundle` of type
/// `collection`: a `RequestGroup` (intent `proposal`) with one action per ranked option, each
/// pointing at its regimen's `PlanDefinition` (a `derived-from` artifact: R4 has no
/// `action.definitionCanonical`), and a `GuidanceResponse` with the basis.
///
/// # Errors
/// [`Error::InvalidJson`] if the plan lacks its `basis` or `options`.
pub fn plan_to_fhir(plan: &Value) -> Result<Value, Error> {
    let basis = plan.get("basis").ok_or_else(|| bad_plan("basis", "missing"))?;
    let kb = basis.get("knowledge_base").ok_or_else(|| bad_plan("basis.knowledge_base", "missing"))?;
    let kb_version = s(kb, "version");
    let options = plan.get("options").and_then(Value::as_array).ok_or_else(|| bad_plan("options", "missing"))?;
    let position = plan.get("position").cloned().unwrap_or(Value::Null);

    let mut citations: BTreeMap<String, String> = BTreeMap::new();
    let mut actions = Vec::new();
    let mut instantiates: Vec<String> = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let rank =
            o.get("rank").and_then(Value::as_u64).ok_or_else(|| bad_plan(&format!("options[{i}].rank"), "missing"))?;
        let regimen = s(o, "regimen_id");
        let mut description = strings(o, "rationale").join("; ");
        if description.is_empty() {
            description = s(o, "course").to_string();
        }
        let mut text = vec![s(o, "course").to_string()];
        text.extend(strings(o, "schedule"));
        text.extend(strings(o, "notes"));
        let mut docs = Vec::new();
        // R4 RequestGroup.action has no definitionCanonical (R5 RequestOrchestration added it):
        // the regimen's PlanDefinition is the action's `derived-from` artifact, and the group
        // lists every one in `instantiatesCanonical`.
        if !regimen.is_empty() {
            let canonical = format!("{}|{kb_version}", plan_definition_url(regimen));
            docs.push(
                json!({"type": "derived-from", "label": "regimen", "display": s(o, "name"), "resource": canonical}),
            );
            if !instantiates.contains(&canonical) {
                instantiates.push(canonical);
            }
        }
        for c in arr(o, "citations") {
            citations.insert(s(c, "key").to_string(), citation_text(c));
            docs.push(json!({"type": "citation", "label": s(c, "key"), "citation": citation_text(c)}));
        }
        let mut a = json!({
            "extension": [{"url": EXT_RANK, "valueInteger": rank}],
            "prefix": rank.to_string(),
            "title": s(o, "name"),
            "description": description,
            "textEquivalent": text.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n"),
            // FHIR request priority is urgency, not preference: the engine ranks, it does not
            // triage, so every option is routine and the rank is in `prefix` and EXT_RANK.
            "priority": "routine",
            "code": [{"coding": [{"system": ACTION_SYSTEM, "code": s(o, "action")}]}],
        });
        if !docs.is_empty() {
            set(&mut a, "documentation", Value::Array(docs));
        }
        actions.push(a);
    }
    for c in plan.get("next_decision").map(|n| arr(n, "citations")).unwrap_or(&[]) {
        citations.insert(s(c, "key").to_string(), citation_text(c));
    }

    let mut note = vec![
        json!({"text": format!("Decision support, not a medical device: every option must be checked by a qualified clinician against the cited sources and current labels.")}),
    ];
    if let Some(n) = plan.get("next_decision") {
        note.push(json!({"text": format!("Next decision ({}): {}", s(n, "when"), s(n, "action"))}));
    }
    let mut request_group = json!({
        "resourceType": "RequestGroup",
        "id": "plan",
        "status": "draft",
        "intent": "proposal",
        "note": note,
    });
    if !instantiates.is_empty() {
        set(&mut request_group, "instantiatesCanonical", json!(instantiates));
    }
    if !actions.is_empty() {
        set(
            &mut request_group,
            "action",
            json!([{
                "title": "Options now",
                "description": s(&position, "description"),
                "selectionBehavior": "at-most-one",
                "action": actions,
            }]),
        );
    }

    let missing = arr(plan, "missing_inputs");
    let mut guidance = json!({
        "resourceType": "GuidanceResponse",
        "id": "plan-guidance",
        "identifier": [
            {"system": ID_KB_VERSION, "value": kb_version},
            {"system": ID_KB_SHA256, "value": s(kb, "sha256")},
            {"system": ID_LIBRARY_VERSION, "value": s(basis, "library_version")},
        ],
        "moduleUri": format!("{CANONICAL_BASE}/Library/myeloma-pathway"),
        "status": if missing.is_empty() { "success" } else { "data-required" },
        "reasonCode": [{
            "coding": [{"system": format!("{CANONICAL_BASE}/CodeSystem/phase"), "code": s(&position, "phase")}],
            "text": s(&position, "description"),
        }],
        "result": {"reference": "RequestGroup/plan"},
    });
    if !citations.is_empty() {
        set(&mut guidance, "note", citations.values().map(|t| json!({"text": t})).collect());
    }
    let warnings = arr(plan, "warnings");
    if !warnings.is_empty() {
        let issues: Vec<Value> = warnings
            .iter()
            .map(|w| {
                json!({
                    "severity": "warning",
                    "code": "informational",
                    "details": {"coding": [{"system": WARNING_SYSTEM, "code": s(w, "code")}], "text": s(w, "message")},
                })
            })
            .collect();
        set(
            &mut guidance,
            "contained",
            json!([{"resourceType": "OperationOutcome", "id": "warnings", "issue": issues}]),
        );
        set(&mut guidance, "evaluationMessage", json!([{"reference": "#warnings"}]));
    }
    if !missing.is_empty() {
        set(&mut guidance, "dataRequirement", Value::Array(data_requirements(missing)));
    }
    Ok(json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": format!("{CANONICAL_BASE}/RequestGroup/plan"), "resource": request_group},
            {"fullUrl": format!("{CANONICAL_BASE}/GuidanceResponse/plan-guidance"), "resource": guidance},
        ],
    }))
}

/// One `DataRequirement` per missing field (in first-seen order), with the tests that would
/// supply it and what it is needed for.
fn data_requirements(missing: &[Value]) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut by_field: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for m in missing {
        let field = s(m, "field").to_string();
        if !by_field.contains_key(&field) {
            order.push(field.clone());
        }
        let e = by_field.entry(field).or_default();
        for (list, key) in [(&mut e.0, "test"), (&mut e.1, "needed_for")] {
            let t = s(m, key).to_string();
            if !t.is_empty() && !list.contains(&t) {
                list.push(t);
            }
        }
    }
    order
        .into_iter()
        .map(|field| {
            let (tests, needed) = by_field.remove(&field).unwrap_or_default();
            let resource = if matches!(field.as_str(), "age_years" | "sex") { "Patient" } else { "Observation" };
            let mut ext: Vec<Value> =
                tests.iter().map(|t| json!({"url": EXT_DECIDING_TEST, "valueString": t})).collect();
            ext.extend(needed.iter().map(|t| json!({"url": EXT_NEEDED_FOR, "valueString": t})));
            let mut d = json!({"type": resource, "mustSupport": [field]});
            if !ext.is_empty() {
                set(&mut d, "extension", Value::Array(ext));
            }
            let codes: Vec<Value> = mapping::TABLE
                .iter()
                .filter(|m| m.tag != "local" && m.target.path() == field)
                .map(|m| json!({"system": m.system, "code": m.code, "display": m.display}))
                .collect();
            if !codes.is_empty() {
                set(&mut d, "codeFilter", json!([{"path": "code", "code": codes}]));
            }
            d
        })
        .collect()
}

fn computable_name(id: &str) -> String {
    let mut n = String::from("Regimen");
    let mut up = true;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            n.push(if up { c.to_ascii_uppercase() } else { c });
            up = false;
        } else {
            up = true;
        }
    }
    n
}

fn days_text(days: &[Value]) -> String {
    days.iter()
        .map(|d| match d {
            Value::Array(r) => r.iter().map(Value::to_string).collect::<Vec<_>>().join("–"),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn dose_text(c: &Value) -> String {
    let dose = c.get("dose").cloned().unwrap_or(Value::Null);
    let amount = match (dose.get("amount"), dose.get("amount_to")) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => a.to_string(),
        _ => String::new(),
    };
    let mut t = format!("{} {amount} {} {}", s(c, "drug"), s(&dose, "unit"), s(c, "route").to_uppercase());
    let days = arr(c, "days");
    if !days.is_empty() {
        t.push_str(&format!(" D{}", days_text(days)));
    }
    if let Some(m) = dose.get("max_total") {
        t.push_str(&format!(" (max {m} {})", s(&dose, "unit")));
    }
    t
}

/// The knowledge base (its JSON: version, sha256, citations, regimens) as a FHIR R4 `Bundle`
/// of type `collection`: one `PlanDefinition` per regimen (type `clinical-protocol`, its
/// citations as `relatedArtifact`) and one `ActivityDefinition` per component.
///
/// # Errors
/// [`Error::InvalidJson`] if `regimens` is missing or a regimen id is not a valid FHIR id.
pub fn kb_to_fhir(kb: &Value) -> Result<Value, Error> {
    let version = s(kb, "version");
    let regimens = kb
        .get("regimens")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::InvalidJson { field: "knowledge-base.regimens".into(), message: "missing".into() })?;
    let citations = kb.get("citations").cloned().unwrap_or(Value::Null);
    let cite = |key: &str| -> Option<Value> {
        match &citations {
            Value::Object(m) => m.get(key).cloned(),
            Value::Array(a) => a.iter().find(|c| s(c, "key") == key).cloned(),
            _ => None,
        }
    };
    let mut entries = Vec::new();
    for (ri, r) in regimens.iter().enumerate() {
        let id = s(r, "id");
        check_id(id, &format!("knowledge-base.regimens[{ri}].id"))?;
        let mut keys: Vec<String> = Vec::new();
        let mut push_key = |k: &str| {
            if !k.is_empty() && !keys.iter().any(|x| x == k) {
                keys.push(k.to_string());
            }
        };
        let mut actions = Vec::new();
        for (ci, c) in arr(r, "components").iter().enumerate() {
            for k in strings(c, "citations") {
                push_key(&k);
            }
            let ad_id = format!("{id}-c{}", ci + 1);
            check_id(&ad_id, &format!("knowledge-base.regimens[{ri}].components[{ci}]"))?;
            let url = format!("{CANONICAL_BASE}/ActivityDefinition/{ad_id}");
            let drug = s(c, "drug");
            let mut product = json!({"text": drug});
            if let Some((_, code, _, _)) = RXNORM_CODES.iter().find(|(d, ..)| *d == drug) {
                set(&mut product, "coding", json!([{"system": RXNORM, "code": code}]));
            }
            let text = dose_text(c);
            let ad = json!({
                "resourceType": "ActivityDefinition",
                "id": ad_id,
                "url": url,
                "version": version,
                "name": format!("{}Component{}", computable_name(id), ci + 1),
                "title": format!("{drug} in {}", s(r, "name")),
                "status": "active",
                "kind": "MedicationRequest",
                "productCodeableConcept": product,
                "dosage": [{"text": text, "route": {"text": s(c, "route")}}],
            });
            actions
                .push(json!({"title": drug, "description": text, "definitionCanonical": format!("{url}|{version}")}));
            entries.push(json!({"fullUrl": url, "resource": ad}));
        }
        for e in arr(r, "evidence") {
            push_key(s(e, "citation"));
        }
        let related: Vec<Value> = keys
            .iter()
            .map(|k| match cite(k) {
                Some(c) => json!({"type": "citation", "label": k, "citation": citation_text(&c)}),
                None => json!({"type": "citation", "label": k}),
            })
            .collect();
        let mut usage = Vec::new();
        if let Some(n) = r.get("cycle_length_days") {
            usage.push(format!("{n}-day cycles"));
        }
        if let Some(d) = r.get("duration") {
            usage.push(format!("duration: {}", d));
        }
        usage.extend(strings(r, "notes"));
        let url = plan_definition_url(id);
        let mut pd = json!({
            "resourceType": "PlanDefinition",
            "id": id,
            "url": url,
            "version": version,
            "name": computable_name(id),
            "title": s(r, "name"),
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/plan-definition-type", "code": "clinical-protocol"}]},
            "status": "active",
            "description": s(r, "long_name"),
            "usage": usage.join("\n"),
            "action": actions,
        });
        if !related.is_empty() {
            set(&mut pd, "relatedArtifact", Value::Array(related));
        }
        entries.push(json!({"fullUrl": url, "resource": pd}));
    }
    Ok(json!({
        "resourceType": "Bundle",
        "type": "collection",
        "identifier": {"system": ID_KB_VERSION, "value": version},
        "entry": entries,
    }))
}

fn concept(m: &Mapping) -> Value {
    json!({"coding": [{"system": m.system, "code": m.code, "display": m.display}]})
}

fn no_mapping(field: &str) -> Error {
    Error::Inconsistent {
        field: field.to_string(),
        message: "record_to_bundle has no FHIR mapping for this field".into(),
    }
}

/// A patient record as a FHIR R4 `Bundle` that [`crate::read_bundle`] reads back into the same
/// record (for tests and examples): a `Patient` whose birth date gives the record's age at
/// `reference_date`, one `Observation` per field, dated `reference_date`, and the dated
/// `treatment_history` as `MedicationStatement`s, `Procedure`s (transplants, CAR-T infusions)
/// and mCODE CancerDiseaseStatus observations (progressions), with the project's extensions for
/// the fields FHIR has no element for (docs/fhir.md). Findings with status `not_tested` are
/// left out (absent is not tested). The history lists come back ordered by
/// [`crate::history_order`].
///
/// # Errors
/// [`Error::Inconsistent`] for a field without a mapping (a limit without its value). The
/// pathway `history` goes on the `Patient` as the ordered extension
/// `mapping::EXT_PATHWAY_EVENT`; response assessments and MRD results as Observations of the
/// project's `response_assessments` / `mrd` codes (docs/fhir.md).
pub fn record_to_bundle(record: &PatientRecord, reference_date: Date) -> Result<Value, Error> {
    let rec: Value = serde_json::from_str(&record.to_json())
        .map_err(|e| Error::InvalidJson { field: ".".into(), message: e.to_string() })?;
    let rec = rec.as_object().cloned().unwrap_or_default();
    let date = reference_date.to_string();
    let mut entries = Vec::new();
    let mut patient = json!({"resourceType": "Patient", "id": "patient"});
    let mut n = 0usize;
    let mut obs = |code: Value, value: Map<String, Value>| {
        n += 1;
        let mut o = json!({
            "resourceType": "Observation",
            "id": format!("obs-{n}"),
            "status": "final",
            "code": code,
            "subject": {"reference": "Patient/patient"},
            "effectiveDateTime": date,
        });
        if let Value::Object(m) = &mut o {
            m.extend(value);
        }
        o
    };
    let mut observations = Vec::new();
    let mut history = Vec::new();
    let mut patient_ext = Vec::new();
    for (key, v) in &rec {
        match key.as_str() {
            "schema_version" => {}
            "age_years" => {
                let age = v.as_i64().ok_or_else(|| no_mapping(key))?;
                let birth = reference_date
                    .checked_sub(jiff::Span::new().years(age))
                    .map_err(|e| Error::Inconsistent { field: key.clone(), message: e.to_string() })?;
                set(&mut patient, "birthDate", json!(birth.to_string()));
            }
            "sex" => set(&mut patient, "gender", v.clone()),
            "cytogenetics" => {
                for (i, f) in v.as_array().map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    if let Some(o) = finding_observation(f, &format!("cytogenetics[{i}]"))? {
                        observations.push(obs(concept(finding_row()?), o));
                    }
                }
            }
            "treatment_history" => {
                let (resources, as_of) = crate::treatment::history_to_fhir(v)?;
                history.extend(resources);
                if let Some(d) = as_of {
                    patient_ext.push(json!({"url": mapping::EXT_HISTORY_AS_OF, "valueDate": d}));
                }
            }
            "history" => {
                for (i, entry) in v.as_array().map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    patient_ext.push(pathway_event(entry, &format!("history[{i}]"))?);
                }
            }
            "response_assessments" => {
                for (i, a) in v.as_array().map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    history.push(response_observation(a, i)?);
                }
            }
            "mrd" => {
                for (i, a) in v.as_array().map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                    history.push(mrd_observation(a, i)?);
                }
            }
            _ => match v {
                Value::Object(children) => {
                    for (child, cv) in children {
                        let path = format!("{key}.{child}");
                        if let Some(o) = field_observation(&path, cv, children)? {
                            observations.push(obs(o.0, o.1));
                        }
                    }
                }
                _ => {
                    if let Some(o) = field_observation(key, v, &Map::new())? {
                        observations.push(obs(o.0, o.1));
                    }
                }
            },
        }
    }
    if !patient_ext.is_empty() {
        set(&mut patient, "extension", Value::Array(patient_ext));
    }
    entries.push(json!({"fullUrl": "urn:myeloma-pathway:Patient/patient", "resource": patient}));
    for o in observations.into_iter().chain(history) {
        let url = format!("urn:myeloma-pathway:{}/{}", s(&o, "resourceType"), s(&o, "id"));
        entries.push(json!({"fullUrl": url, "resource": o}));
    }
    Ok(json!({"resourceType": "Bundle", "type": "collection", "entry": entries}))
}

fn coded(system: &str, code: &Value) -> Value {
    json!({"coding": [{"system": system, "code": code}]})
}

fn panel(code: &str, i: usize, date: Option<&Value>, components: Vec<Value>) -> Value {
    let mut o = json!({
        "resourceType": "Observation", "id": format!("{}-{}", code.replace('_', "-"), i + 1), "status": "final",
        "code": coded(RECORD_FIELD_SYSTEM, &json!(code)),
        "subject": {"reference": "Patient/patient"},
        "extension": [{"url": mapping::EXT_SEQUENCE, "valueInteger": i + 1}],
        "component": components,
    });
    if let Some(d) = date {
        set(&mut o, "effectiveDateTime", d.clone());
    }
    o
}

/// One response assessment as an Observation of the project's `response_assessments` code.
fn response_observation(a: &Value, i: usize) -> Result<Value, Error> {
    let field = format!("response_assessments[{i}]");
    let mut comps = Vec::new();
    for (k, v) in a.as_object().into_iter().flatten() {
        let path = format!("{field}.{k}");
        match (k.as_str(), v) {
            ("date", _) => {}
            (_, Value::Object(q)) => {
                let unit = q.get("unit").and_then(Value::as_str).unwrap_or("");
                let (m, ucum) = lab_row(&format!("labs.{k}"), unit).ok_or_else(|| no_mapping(&path))?;
                let mut c = json!({"code": concept(m)});
                set(&mut c, "valueQuantity", ucum_quantity(q.get("value").unwrap_or(&Value::Null), ucum));
                comps.push(c);
            }
            (_, Value::Bool(_)) => {
                comps.push(component(&format!("response_assessments.{k}"), "valueBoolean", v.clone()))
            }
            (_, Value::String(_)) => comps.push(component(
                &format!("response_assessments.{k}"),
                "valueCodeableConcept",
                coded(mapping::MRD_SYSTEM, v),
            )),
            _ => return Err(no_mapping(&path)),
        }
    }
    Ok(panel(mapping::RESPONSE_ASSESSMENT_CODE, i, a.get("date"), comps))
}

/// One MRD result as an Observation of the project's `mrd` code.
fn mrd_observation(a: &Value, i: usize) -> Result<Value, Error> {
    let field = format!("mrd[{i}]");
    let mut comps = Vec::new();
    for (k, v) in a.as_object().into_iter().flatten() {
        match (k.as_str(), v) {
            ("date" | "result", _) => {}
            (_, Value::String(_)) => {
                comps.push(component(&format!("mrd.{k}"), "valueCodeableConcept", coded(mapping::MRD_SYSTEM, v)))
            }
            (_, Value::Bool(_)) => comps.push(component(&format!("mrd.{k}"), "valueBoolean", v.clone())),
            (_, Value::Number(_)) => comps.push(component(&format!("mrd.{k}"), "valueInteger", v.clone())),
            _ => return Err(no_mapping(&format!("{field}.{k}"))),
        }
    }
    let mut o = panel(mapping::MRD_CODE, i, a.get("date"), comps);
    let result = a.get("result").ok_or_else(|| no_mapping(&format!("{field}.result")))?;
    set(&mut o, "valueCodeableConcept", coded(mapping::MRD_SYSTEM, result));
    Ok(o)
}

/// One pathway `history` entry as the complex extension `mapping::EXT_PATHWAY_EVENT`.
fn pathway_event(entry: &Value, field: &str) -> Result<Value, Error> {
    let obj = entry.as_object().ok_or_else(|| no_mapping(field))?;
    let mut parts = Vec::new();
    // `event` first, then `date`, then the event's fields (sorted, as the record's JSON holds them).
    let event = obj.get("event").ok_or_else(|| no_mapping(&format!("{field}.event")))?;
    parts.push(json!({"url": "event", "valueCode": event}));
    if let Some(d) = obj.get("date") {
        parts.push(json!({"url": "date", "valueDate": d}));
    }
    for (k, v) in obj.iter().filter(|(k, _)| !matches!(k.as_str(), "event" | "date")) {
        let value_key = match v {
            Value::String(_) => "valueString",
            Value::Bool(_) => "valueBoolean",
            _ => return Err(no_mapping(&format!("{field}.{k}"))),
        };
        let mut part = json!({"url": k});
        set(&mut part, value_key, v.clone());
        parts.push(part);
    }
    Ok(json!({"url": mapping::EXT_PATHWAY_EVENT, "extension": parts}))
}

fn finding_row() -> Result<&'static Mapping, Error> {
    mapping::TABLE.iter().find(|m| m.target == Target::Finding).ok_or_else(|| no_mapping("cytogenetics"))
}

fn ucum_quantity(value: &Value, ucum: &str) -> Value {
    json!({"value": value, "unit": ucum, "system": UCUM, "code": ucum})
}

/// A lab row and UCUM unit for a record unit spelling.
fn lab_row(path: &str, unit: &str) -> Option<(&'static Mapping, &'static str)> {
    let wanted = mapping::normalise_unit(unit);
    mapping::TABLE.iter().find_map(|m| match m.target {
        Target::Lab { path: p, .. } if p == path => {
            m.units.iter().find(|(_, r)| mapping::normalise_unit(r) == wanted).map(|(u, _)| (m, *u))
        }
        _ => None,
    })
}

/// An observation's code and its value elements.
type CodedValue = (Value, Map<String, Value>);

/// The observation for one record field (`None` for a limit written with its value).
fn field_observation(path: &str, v: &Value, siblings: &Map<String, Value>) -> Result<Option<CodedValue>, Error> {
    let mut out = Map::new();
    // A reference limit travels with its value's observation.
    let limit_of = mapping::TABLE.iter().find_map(|m| match m.target {
        Target::Lab { path: p, range_high, range_low } if range_high == Some(path) || range_low == Some(path) => {
            Some(p)
        }
        _ => None,
    });
    if let Some(value_path) = limit_of {
        let short = value_path.rsplit('.').next().unwrap_or(value_path);
        return if siblings.contains_key(short) { Ok(None) } else { Err(no_mapping(path)) };
    }
    if let (Some(value), Some(unit)) = (v.get("value"), v.get("unit").and_then(Value::as_str)) {
        let (m, ucum) = lab_row(path, unit).ok_or_else(|| no_mapping(path))?;
        out.insert("valueQuantity".into(), ucum_quantity(value, ucum));
        if let Target::Lab { range_high, range_low, .. } = m.target {
            let mut range = Map::new();
            for (bound, p) in [("low", range_low), ("high", range_high)] {
                let short = p.and_then(|p| p.rsplit('.').next());
                if let Some(q) = short.and_then(|k| siblings.get(k)) {
                    let qunit = q.get("unit").and_then(Value::as_str).unwrap_or("");
                    let (_, qucum) = lab_row(path, qunit).ok_or_else(|| no_mapping(p.unwrap_or(path)))?;
                    range.insert(bound.into(), ucum_quantity(q.get("value").unwrap_or(&Value::Null), qucum));
                }
            }
            if !range.is_empty() {
                out.insert("referenceRange".into(), json!([range]));
            }
        }
        return Ok(Some((concept(m), out)));
    }
    let m = mapping::TABLE.iter().find(|m| m.target.path() == path).ok_or_else(|| no_mapping(path))?;
    match m.target {
        Target::Number(_) => {
            let ucum = m.units.first().map(|(u, _)| *u).ok_or_else(|| no_mapping(path))?;
            out.insert("valueQuantity".into(), ucum_quantity(v, ucum));
        }
        Target::Integer(_) => {
            out.insert("valueInteger".into(), v.clone());
        }
        Target::Boolean(_) => {
            out.insert("valueBoolean".into(), v.clone());
        }
        Target::LightChain(_) => {
            out.insert("valueCodeableConcept".into(), json!({"coding": [{"system": LIGHT_CHAIN_SYSTEM, "code": v}]}));
        }
        Target::HeavyChain(_) => {
            out.insert("valueCodeableConcept".into(), json!({"coding": [{"system": HEAVY_CHAIN_SYSTEM, "code": v}]}));
        }
        Target::Lab { .. } | Target::Finding => return Err(no_mapping(path)),
    }
    Ok(Some((concept(m), out)))
}

fn component(code: &str, value_key: &str, value: Value) -> Value {
    let mut c = json!({"code": {"coding": [{"system": RECORD_FIELD_SYSTEM, "code": code}]}});
    set(&mut c, value_key, value);
    c
}

fn finding_observation(f: &Value, field: &str) -> Result<Option<Map<String, Value>>, Error> {
    let status = s(f, "status");
    if status == "not_tested" {
        return Ok(None);
    }
    let answer = FINDING_VALUES.iter().find(|v| v.3 == status).ok_or_else(|| no_mapping(&format!("{field}.status")))?;
    let mut comps = vec![component(
        "cytogenetics.abnormality",
        "valueCodeableConcept",
        json!({"coding": [{"system": ABNORMALITY_SYSTEM, "code": s(f, "abnormality")}]}),
    )];
    if let Some(p) = f.get("clonal_fraction_pct") {
        comps.push(component("cytogenetics.clonal_fraction_pct", "valueQuantity", ucum_quantity(p, "%")));
    }
    if let Some(m) = f.get("method") {
        comps.push(component(
            "cytogenetics.method",
            "valueCodeableConcept",
            json!({"coding": [{"system": METHOD_SYSTEM, "code": m}]}),
        ));
    }
    for k in ["copies", "copies_lost"] {
        if let Some(n) = f.get(k) {
            comps.push(component(&format!("cytogenetics.{k}"), "valueInteger", n.clone()));
        }
    }
    let mut out = Map::new();
    out.insert(
        "valueCodeableConcept".into(),
        json!({"coding": [{"system": LOINC, "code": answer.1, "display": answer.2}]}),
    );
    out.insert("component".into(), Value::Array(comps));
    Ok(Some(out))
}
