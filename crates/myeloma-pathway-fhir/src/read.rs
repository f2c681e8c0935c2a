//! FHIR in: an R4 `Bundle` read into a patient record, with a report of what was used, what was
//! superseded by a later result, and what was ignored (never dropped silently).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Timestamp, Unit};
use myeloma_pathway::{Error, Patient, PatientRecord};
use serde_json::{json, Map, Value};

use crate::json::parse_json_value;
use crate::mapping::{
    self, FindingPart, Mapping, Target, ABNORMALITY_SYSTEM, DIAGNOSIS_CODES, FINDING_COMPONENTS, FINDING_VALUES,
    HEAVY_CHAIN_CODES, HEAVY_CHAIN_SYSTEM, LIGHT_CHAIN_SYSTEM, METHOD_SYSTEM, READ_STATUSES, RECORD_FIELD_SYSTEM, UCUM,
};
use crate::mapping::{
    DISEASE_STATUS_CODE, DISEASE_STATUS_OTHER, DISEASE_WORSENED, EXT_HISTORY_AS_OF, EXT_PATHWAY_EVENT, EXT_SEQUENCE,
    LOINC, MRD_CODE, MRD_SYSTEM, RESPONSE_ASSESSMENT_CODE, SNOMED,
};
use crate::treatment::{self, Outcome};

/// A resource (or part of one) that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// Resource type (or `Observation.component`, `Patient.gender`).
    pub resource_type: String,
    /// The resource id, where it has one.
    pub id: Option<String>,
    /// The first code, as `system|code`, where there is one.
    pub code: Option<String>,
    /// Why it was not read.
    pub reason: String,
}

/// A record field and the resource it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Used {
    /// Record path (`labs.creatinine`, `cytogenetics.del_17p`, `age_years`).
    pub field: String,
    /// `Type/id` of the resource.
    pub resource: String,
    /// The code read, as `system|code`.
    pub code: String,
    /// `effectiveDateTime` as given, where there was one.
    pub effective: Option<String>,
}

/// An observation passed over because a later one of the same field was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    /// Record path.
    pub field: String,
    /// `Type/id` of the observation not used.
    pub resource: String,
    /// `Type/id` of the observation used instead.
    pub used_instead: String,
}

/// A diagnosis code found on a `Condition`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosisCode {
    /// `Condition/id`.
    pub resource: String,
    /// Code system.
    pub system: String,
    /// Code.
    pub code: String,
    /// Its meaning.
    pub display: String,
}

/// What the import did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// The date age was computed at (`YYYY-MM-DD`).
    pub reference_date: String,
    /// Fields read, with their resource.
    pub used: Vec<Used>,
    /// Earlier observations of a field that a later one replaced.
    pub superseded: Vec<Superseded>,
    /// Resources and parts not read, with the reason.
    pub ignored: Vec<Ignored>,
    /// Myeloma diagnosis codes found on `Condition` resources.
    pub diagnosis_codes: Vec<DiagnosisCode>,
}

impl ImportReport {
    /// The report as JSON.
    pub fn to_json_value(&self) -> Value {
        json!({
            "reference_date": self.reference_date,
            "used": self.used.iter().map(|u| json!({
                "field": u.field, "resource": u.resource, "code": u.code, "effective": u.effective,
            })).collect::<Vec<_>>(),
            "superseded": self.superseded.iter().map(|s| json!({
                "field": s.field, "resource": s.resource, "used_instead": s.used_instead,
            })).collect::<Vec<_>>(),
            "ignored": self.ignored.iter().map(|i| json!({
                "resource_type": i.resource_type, "id": i.id, "code": i.code, "reason": i.reason,
            })).collect::<Vec<_>>(),
            "diagnosis_codes": self.diagnosis_codes.iter().map(|d| json!({
                "resource": d.resource, "system": d.system, "code": d.code, "display": d.display,
            })).collect::<Vec<_>>(),
        })
    }
}

/// A patient record read from FHIR, and the report of how.
#[derive(Debug, Clone)]
pub struct FhirImport {
    /// The record (validated: it parses into a [`Patient`]).
    pub record: PatientRecord,
    /// What was used, superseded and ignored.
    pub report: ImportReport,
}

/// Read a FHIR R4 `Bundle` (JSON text) into a patient record; `reference_date` is the date age
/// is computed at.
///
/// # Errors
/// Limits and syntax ([`parse_json_value`]); a known code with a unit the table does not accept
/// ([`Error::UnsupportedUnit`] naming the resource, the code and the unit); a known code with a
/// malformed value ([`Error::InvalidJson`] naming the resource); two results of one field that
/// cannot be ordered, or two `Patient` resources ([`Error::Inconsistent`]); any error of the
/// core's record validation, with the resource named in `field`.
///
/// # Example
/// ```
/// let bundle = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
///   {"resource": {"resourceType": "Patient", "id": "p", "birthDate": "1966-03-01", "gender": "male"}},
///   {"resource": {"resourceType": "Observation", "id": "cr", "status": "final",
///     "code": {"coding": [{"system": "http://loinc.org", "code": "14682-9"}]},
///     "effectiveDateTime": "2026-05-02",
///     "valueQuantity": {"value": 176.8, "system": "http://unitsofmeasure.org", "code": "umol/L"}}}
/// ]}"#;
/// let date = "2026-06-15".parse().unwrap();
/// let import = myeloma_pathway_fhir::read_bundle(bundle, date).unwrap();
/// assert_eq!(import.record.age_years, Some(60));
/// assert_eq!(import.report.used.len(), 3);
/// ```
pub fn read_bundle(bundle_json: &str, reference_date: Date) -> Result<FhirImport, Error> {
    let v = parse_json_value(bundle_json)?;
    read_bundle_value(&v, reference_date)
}

/// As [`read_bundle`], from an already parsed value (which must have come through
/// [`parse_json_value`] or the same limits).
///
/// # Errors
/// As [`read_bundle`].
pub fn read_bundle_value(bundle: &Value, reference_date: Date) -> Result<FhirImport, Error> {
    let resources = bundle_resources(bundle)?;
    let mut reader = Reader {
        report: ImportReport::default(),
        candidates: BTreeMap::new(),
        patient: None,
        history: History::default(),
        series: Vec::new(),
    };
    reader.report.reference_date = reference_date.to_string();
    for (path, r) in &resources {
        reader.resource(path, r, reference_date)?;
    }
    reader.finish()
}

/// As [`read_bundle`], with the reference date as text (`YYYY-MM-DD`; `None` = today's UTC
/// date): the entry point of the Python and C bindings.
///
/// # Errors
/// A reference date that is not a full date ([`Error::InvalidJson`] naming `reference_date`);
/// otherwise as [`read_bundle`].
pub fn read_bundle_at(bundle_json: &str, reference_date: Option<&str>) -> Result<FhirImport, Error> {
    let date = match reference_date {
        Some(text) => text
            .parse::<Date>()
            .ok()
            .filter(|_| text.len() == 10)
            .ok_or_else(|| invalid("reference_date", format!("`{text}`: expected a full date YYYY-MM-DD")))?,
        None => Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date(),
    };
    read_bundle(bundle_json, date)
}

/// A bundle entry's resource with its JSON path.
pub(crate) type Entry<'a> = (String, &'a Map<String, Value>);

/// The resources of a bundle, each with its JSON path.
pub(crate) fn bundle_resources(bundle: &Value) -> Result<Vec<Entry<'_>>, Error> {
    let obj = bundle.as_object().ok_or_else(|| invalid(".", "a FHIR Bundle must be a JSON object"))?;
    if obj.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(invalid("resourceType", "expected \"Bundle\""));
    }
    let entries = match obj.get("entry") {
        None => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(invalid("Bundle.entry", "expected an array")),
    };
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let path = format!("Bundle.entry[{i}].resource");
        let r = e
            .get("resource")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid(&path, "every entry needs a resource object"))?;
        out.push((path, r));
    }
    Ok(out)
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::InvalidJson { field: field.to_string(), message: message.into() }
}

/// One observation that could fill a field, before the latest is chosen.
struct Candidate {
    resource: String,
    code: String,
    effective_text: Option<String>,
    effective: Option<Timestamp>,
    /// (record path, value) pairs this observation sets.
    values: Vec<(String, Value)>,
}

/// Treatment history read so far, each item with its resource.
#[derive(Default)]
struct History {
    therapies: Vec<(String, Value)>,
    progressions: Vec<(String, Value)>,
    transplants: Vec<(String, Value)>,
    stated: Vec<(String, Value)>,
    car_t_courses: Vec<(String, Value)>,
    /// `treatment_history.as_of`, from the Patient's extension.
    as_of: Option<String>,
}

/// One response assessment or MRD result: (record list, sequence, date, resource, entry).
type SeriesItem = (&'static str, Option<i64>, Option<String>, String, Value);

struct Reader {
    history: History,
    series: Vec<SeriesItem>,
    report: ImportReport,
    /// Keyed by record field (`labs.creatinine`, `cytogenetics.del_17p`).
    candidates: BTreeMap<String, Vec<Candidate>>,
    patient: Option<(String, Vec<(String, Value)>)>,
}

fn first_code(r: &Map<String, Value>, key: &str) -> Option<String> {
    codings(r.get(key)).next().map(|(s, c)| format!("{s}|{c}"))
}

fn codings(concept: Option<&Value>) -> impl Iterator<Item = (&str, &str)> {
    concept
        .and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.get("system")?.as_str()?, c.get("code")?.as_str()?)))
}

impl Reader {
    fn ignore(&mut self, resource_type: &str, id: Option<&str>, code: Option<String>, reason: impl Into<String>) {
        self.report.ignored.push(Ignored {
            resource_type: resource_type.to_string(),
            id: id.map(str::to_string),
            code,
            reason: reason.into(),
        });
    }

    fn resource(&mut self, path: &str, r: &Map<String, Value>, reference_date: Date) -> Result<(), Error> {
        let rtype = r.get("resourceType").and_then(Value::as_str).unwrap_or("");
        let id = r.get("id").and_then(Value::as_str);
        let name = match id {
            Some(id) => format!("{rtype}/{id}"),
            None => format!("{rtype} at {path}"),
        };
        match rtype {
            "Patient" => self.patient(&name, id, r, reference_date),
            "Observation" => self.observation(&name, id, r),
            "Condition" => {
                let found = codings(r.get("code"))
                    .find_map(|(s, c)| DIAGNOSIS_CODES.iter().find(|d| d.0 == s && d.1 == c))
                    .copied();
                match found {
                    Some((system, code, display, _, _)) => self.report.diagnosis_codes.push(DiagnosisCode {
                        resource: name,
                        system: system.into(),
                        code: code.into(),
                        display: display.into(),
                    }),
                    None => self.ignore(rtype, id, first_code(r, "code"), "condition code not in the mapping table"),
                }
                Ok(())
            }
            t @ ("MedicationAdministration" | "MedicationStatement" | "Procedure") => {
                let outcome = if t == "Procedure" {
                    treatment::procedure_resource(&name, r)?
                } else {
                    treatment::medication_resource(t, &name, r)?
                };
                self.treatment(&name, t, id, outcome);
                Ok(())
            }
            "" => Err(invalid(&format!("{path}.resourceType"), "every resource needs a resourceType")),
            t => {
                self.ignore(t, id, None, "resource type not read by the mapping");
                Ok(())
            }
        }
    }

    fn treatment(&mut self, name: &str, rtype: &str, id: Option<&str>, outcome: Outcome) {
        let (field, code, effective) = match outcome {
            Outcome::Ignored { code, reason } => return self.ignore(rtype, id, code, reason),
            Outcome::Therapy { exposure, code, effective, unread } => {
                for c in unread {
                    let why = "statusReason not in the project's stop-reason codes (no standard code verified): reason_stopped left unknown";
                    self.ignore(&format!("{rtype}.statusReason"), id, Some(c), why);
                }
                self.history.therapies.push((name.to_string(), exposure));
                ("treatment_history.therapies", code, Some(effective))
            }
            Outcome::Transplant { transplant, code, effective } => {
                self.history.transplants.push((name.to_string(), transplant));
                ("treatment_history.transplants", code, Some(effective))
            }
            Outcome::CarTCourse { course, code, effective } => {
                self.history.car_t_courses.push((name.to_string(), course));
                ("treatment_history.car_t_courses", code, effective)
            }
            Outcome::StatedExposure { fact, code } => {
                self.history.stated.push((name.to_string(), fact));
                ("treatment_history.stated_facts", code, None)
            }
        };
        self.report.used.push(Used { field: field.into(), resource: name.to_string(), code, effective });
    }

    fn patient(
        &mut self,
        name: &str,
        id: Option<&str>,
        r: &Map<String, Value>,
        reference_date: Date,
    ) -> Result<(), Error> {
        if let Some((first, _)) = &self.patient {
            return Err(Error::Inconsistent {
                field: name.to_string(),
                message: format!("a second Patient resource (the first is {first}); send one patient per bundle"),
            });
        }
        let mut values = Vec::new();
        if let Some(b) = r.get("birthDate") {
            let text = b.as_str().ok_or_else(|| invalid(&format!("{name}.birthDate"), "expected a date string"))?;
            let birth: Date = text.parse().map_err(|_| {
                invalid(
                    &format!("{name}.birthDate"),
                    format!("`{text}`: age in whole years needs a full date YYYY-MM-DD"),
                )
            })?;
            if birth > reference_date {
                return Err(Error::Inconsistent {
                    field: format!("{name}.birthDate"),
                    message: format!("{birth} is after the reference date {reference_date}"),
                });
            }
            let span = birth
                .until((Unit::Year, reference_date))
                .map_err(|e| invalid(&format!("{name}.birthDate"), e.to_string()))?;
            values.push(("age_years".to_string(), json!(span.get_years())));
        }
        match r.get("gender").and_then(Value::as_str) {
            Some(g @ ("male" | "female")) => values.push(("sex".to_string(), json!(g))),
            Some(g) => self.ignore(
                "Patient.gender",
                id,
                Some(g.to_string()),
                "only male and female map to the record's sex (used by Cockcroft-Gault); sex left unknown",
            ),
            None => {}
        }
        let as_of = r
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|e| e.get("url").and_then(Value::as_str) == Some(EXT_HISTORY_AS_OF));
        if let Some(e) = as_of {
            let field = format!("{name}.extension({EXT_HISTORY_AS_OF}).valueDate");
            let v = e.get("valueDate").ok_or_else(|| invalid(&field, "expected valueDate"))?;
            self.history.as_of = Some(treatment::day(&field, v)?.0);
        }
        let events = r
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|e| e.get("url").and_then(Value::as_str) == Some(EXT_PATHWAY_EVENT));
        let mut history = Vec::new();
        for (i, e) in events.enumerate() {
            history.push(pathway_event(&format!("{name}.extension({EXT_PATHWAY_EVENT})[{i}]"), e)?);
        }
        if !history.is_empty() {
            values.push(("history".to_string(), Value::Array(history)));
        }
        // Names, identifiers, addresses and the rest are not read: the record keeps no identity.
        self.patient = Some((name.to_string(), values));
        Ok(())
    }

    fn observation(&mut self, name: &str, id: Option<&str>, r: &Map<String, Value>) -> Result<(), Error> {
        if codings(r.get("code")).any(|(s, c)| s == LOINC && c == DISEASE_STATUS_CODE) {
            return self.disease_status(name, id, r);
        }
        let series = codings(r.get("code")).find_map(|(s, c)| match (s, c) {
            (RECORD_FIELD_SYSTEM, RESPONSE_ASSESSMENT_CODE) => Some(RESPONSE_ASSESSMENT_CODE),
            (RECORD_FIELD_SYSTEM, MRD_CODE) => Some(MRD_CODE),
            _ => None,
        });
        if let Some(kind) = series {
            return self.series_item(kind, name, id, r);
        }
        let mut found: Option<(&'static Mapping, String)> = None;
        for (s, c) in codings(r.get("code")) {
            if let Some(m) = mapping::lookup(s, c) {
                if let Some((prev, _)) = found {
                    if prev.target.path() != m.target.path() {
                        return Err(Error::Inconsistent {
                            field: format!("{name}.code"),
                            message: format!(
                                "codes for two record fields ({} and {})",
                                prev.target.path(),
                                m.target.path()
                            ),
                        });
                    }
                } else {
                    found = Some((m, format!("{s}|{c}")));
                }
            }
        }
        let Some((m, code)) = found else {
            self.ignore("Observation", id, first_code(r, "code"), "code not in the mapping table");
            return Ok(());
        };
        let status = r.get("status").and_then(Value::as_str).unwrap_or("");
        if !READ_STATUSES.contains(&status) {
            self.ignore(
                "Observation",
                id,
                Some(code),
                format!("status `{status}`: only final, amended and corrected results are read"),
            );
            return Ok(());
        }
        let has_value = r.keys().any(|k| k.starts_with("value"));
        if !has_value && m.target != Target::Finding {
            let why = match r.get("dataAbsentReason") {
                Some(d) => format!(
                    "no value (dataAbsentReason {})",
                    first_code(r, "dataAbsentReason").unwrap_or_else(|| d.to_string())
                ),
                None => "no value".to_string(),
            };
            self.ignore("Observation", id, Some(code), why);
            return Ok(());
        }
        let (effective_text, effective) = effective(name, r)?;
        let field_of = |f: &str| format!("{name} ({code}).{f}");
        let (key, values) = match m.target {
            Target::Lab { path, range_high, range_low } => {
                let (v, unit) = quantity(m, r.get("valueQuantity"), &field_of("valueQuantity"))?;
                let mut values = vec![(path.to_string(), json!({"value": v, "unit": unit}))];
                let range = r.get("referenceRange").and_then(Value::as_array).and_then(|a| a.first());
                for (bound, target) in [("high", range_high), ("low", range_low)] {
                    if let (Some(target), Some(q)) = (target, range.and_then(|x| x.get(bound))) {
                        let (v, unit) = quantity(m, Some(q), &field_of(&format!("referenceRange[0].{bound}")))?;
                        values.push((target.to_string(), json!({"value": v, "unit": unit})));
                    }
                }
                (path.to_string(), values)
            }
            Target::Number(path) => {
                let (v, _) = quantity(m, r.get("valueQuantity"), &field_of("valueQuantity"))?;
                (path.to_string(), vec![(path.to_string(), json!(v))])
            }
            Target::Integer(path) => {
                let v = r
                    .get("valueInteger")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| invalid(&field_of("value[x]"), "expected valueInteger"))?;
                (path.to_string(), vec![(path.to_string(), json!(v))])
            }
            Target::Boolean(path) => {
                let v = r
                    .get("valueBoolean")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| invalid(&field_of("value[x]"), "expected valueBoolean"))?;
                (path.to_string(), vec![(path.to_string(), json!(v))])
            }
            Target::LightChain(path) => {
                let v = codings(r.get("valueCodeableConcept"))
                    .find(|(s, c)| *s == LIGHT_CHAIN_SYSTEM && matches!(*c, "kappa" | "lambda"))
                    .map(|(_, c)| c)
                    .ok_or_else(|| {
                        invalid(
                            &field_of("valueCodeableConcept"),
                            format!("expected kappa or lambda in {LIGHT_CHAIN_SYSTEM}"),
                        )
                    })?;
                (path.to_string(), vec![(path.to_string(), json!(v))])
            }
            Target::HeavyChain(path) => {
                let v = codings(r.get("valueCodeableConcept"))
                    .find(|(s, c)| *s == HEAVY_CHAIN_SYSTEM && HEAVY_CHAIN_CODES.contains(c))
                    .map(|(_, c)| c)
                    .ok_or_else(|| {
                        invalid(
                            &field_of("valueCodeableConcept"),
                            format!("expected one of {} in {HEAVY_CHAIN_SYSTEM}", HEAVY_CHAIN_CODES.join(", ")),
                        )
                    })?;
                (path.to_string(), vec![(path.to_string(), json!(v))])
            }
            Target::Finding => match self.finding(name, id, &code, r)? {
                Some(f) => f,
                None => return Ok(()),
            },
        };
        self.candidates.entry(key).or_default().push(Candidate {
            resource: name.to_string(),
            code,
            effective_text,
            effective,
            values,
        });
        Ok(())
    }

    /// A response assessment or an MRD result (the project's `response_assessments` / `mrd`
    /// codes): every such observation is one entry of the record's list, its components its
    /// values (never `labs`).
    fn series_item(
        &mut self,
        kind: &'static str,
        name: &str,
        id: Option<&str>,
        r: &Map<String, Value>,
    ) -> Result<(), Error> {
        let code = format!("{RECORD_FIELD_SYSTEM}|{kind}");
        let status = r.get("status").and_then(Value::as_str).unwrap_or("");
        if !READ_STATUSES.contains(&status) {
            let why = format!("status `{status}`: only final, amended and corrected results are read");
            self.ignore("Observation", id, Some(code), why);
            return Ok(());
        }
        let field_of = |f: &str| format!("{name} ({code}).{f}");
        let mut entry = Map::new();
        let date = match r.get("effectiveDateTime") {
            Some(d) => Some(treatment::day(&format!("{name}.effectiveDateTime"), d)?.0),
            None => None,
        };
        if let Some(d) = &date {
            entry.insert("date".into(), json!(d));
        }
        let seq = r
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|e| e.get("url").and_then(Value::as_str) == Some(EXT_SEQUENCE))
            .map(|e| {
                e.get("valueInteger")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| invalid(&field_of("extension(sequence)"), "expected valueInteger"))
            })
            .transpose()?;
        if kind == MRD_CODE {
            let result =
                codings(r.get("valueCodeableConcept")).find(|(s, _)| *s == MRD_SYSTEM).map(|(_, c)| c).ok_or_else(
                    || invalid(&field_of("valueCodeableConcept"), format!("expected the result in {MRD_SYSTEM}")),
                )?;
            entry.insert("result".into(), json!(result));
        }
        let components = r.get("component").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let prefix = format!("{kind}.");
        for (i, comp) in components.iter().enumerate() {
            let at = field_of(&format!("component[{i}]"));
            let lab = codings(comp.get("code"))
                .find_map(|(s, c)| mapping::lookup(s, c).filter(|m| m.system != RECORD_FIELD_SYSTEM));
            let ours = codings(comp.get("code"))
                .find_map(|(s, c)| c.strip_prefix(prefix.as_str()).filter(|_| s == RECORD_FIELD_SYSTEM));
            let (key, value) = match (lab, ours) {
                (Some(m), _) if kind == RESPONSE_ASSESSMENT_CODE => {
                    let Target::Lab { path, .. } = m.target else {
                        return Err(invalid(&at, format!("{} is not a response-assessment value", m.code)));
                    };
                    let (v, unit) = quantity(m, comp.get("valueQuantity"), &format!("{at}.valueQuantity"))?;
                    (path.trim_start_matches("labs.").to_string(), json!({"value": v, "unit": unit}))
                }
                (_, Some(k)) => {
                    let v = if let Some(b) = comp.get("valueBoolean").filter(|v| v.is_boolean()) {
                        b.clone()
                    } else if let Some(n) = comp.get("valueInteger").filter(|v| v.is_i64()) {
                        n.clone()
                    } else {
                        let c =
                            codings(comp.get("valueCodeableConcept")).find(|(s, _)| *s == MRD_SYSTEM).map(|(_, c)| c);
                        json!(c.ok_or_else(|| invalid(
                            &at,
                            format!("expected valueBoolean, valueInteger or a code in {MRD_SYSTEM}")
                        ))?)
                    };
                    (k.to_string(), v)
                }
                _ => {
                    self.ignore(
                        "Observation.component",
                        id,
                        codings(comp.get("code")).next().map(|(s, c)| format!("{s}|{c}")),
                        "component not in the mapping table",
                    );
                    continue;
                }
            };
            if entry.insert(key.clone(), value).is_some() {
                return Err(Error::Inconsistent { field: at, message: format!("`{key}` given twice") });
            }
        }
        self.report.used.push(Used { field: kind.into(), resource: name.to_string(), code, effective: date.clone() });
        self.series.push((kind, seq, date, name.to_string(), Value::Object(entry)));
        Ok(())
    }

    /// An mCODE CancerDiseaseStatus observation (LOINC 97509-4): *Patient's condition worsened*
    /// is a progression on its date; the other answers of ConditionStatusTrendVS are listed as
    /// ignored (the record has no field for them); any other answer is refused (the binding is
    /// required).
    fn disease_status(&mut self, name: &str, id: Option<&str>, r: &Map<String, Value>) -> Result<(), Error> {
        let code = format!("{LOINC}|{DISEASE_STATUS_CODE}");
        let status = r.get("status").and_then(Value::as_str).unwrap_or("");
        if !READ_STATUSES.contains(&status) {
            let why = format!("status `{status}`: only final, amended and corrected results are read");
            self.ignore("Observation", id, Some(code), why);
            return Ok(());
        }
        let Some(value) = r.get("valueCodeableConcept") else {
            self.ignore("Observation", id, Some(code), "no valueCodeableConcept (disease status not given)");
            return Ok(());
        };
        let answers: Vec<&str> = codings(Some(value)).filter(|(s, _)| *s == SNOMED).map(|(_, c)| c).collect();
        if !answers.contains(&DISEASE_WORSENED.0) {
            if let Some(other) = answers.iter().find_map(|c| DISEASE_STATUS_OTHER.iter().find(|o| o.0 == *c)) {
                let why = format!(
                    "disease status {} ({}): not a progression; the record has no field for it",
                    other.0, other.1
                );
                self.ignore("Observation", id, Some(code), why);
                return Ok(());
            }
            return Err(invalid(
                &format!("{name} ({code}).valueCodeableConcept"),
                format!(
                    "expected a SNOMED CT code of the mCODE ConditionStatusTrendVS ({} {} is a progression)",
                    DISEASE_WORSENED.0, DISEASE_WORSENED.1
                ),
            ));
        }
        let field = format!("{name}.effectiveDateTime");
        let when = r.get("effectiveDateTime").ok_or_else(|| Error::MissingField {
            field: field.clone(),
            message: format!("{code}: a progression needs its date"),
        })?;
        let (date, text) = treatment::day(&field, when)?;
        self.history.progressions.push((name.to_string(), json!(date)));
        self.report.used.push(Used {
            field: "treatment_history.progressions".into(),
            resource: name.to_string(),
            code: format!("{SNOMED}|{}", DISEASE_WORSENED.0),
            effective: Some(text),
        });
        Ok(())
    }

    /// A Genomics Reporting variant observation for one of the record's abnormalities; `None`
    /// (listed as ignored) when it names no abnormality of ours.
    #[allow(clippy::type_complexity)]
    fn finding(
        &mut self,
        name: &str,
        id: Option<&str>,
        code: &str,
        r: &Map<String, Value>,
    ) -> Result<Option<(String, Vec<(String, Value)>)>, Error> {
        let field_of = |f: &str| format!("{name} ({code}).{f}");
        let mut finding = Map::new();
        let mut abnormality = None;
        let components = r.get("component").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        for (i, comp) in components.iter().enumerate() {
            let part = codings(comp.get("code"))
                .find_map(|(s, c)| FINDING_COMPONENTS.iter().find(|(k, _)| s == RECORD_FIELD_SYSTEM && *k == c))
                .map(|(_, p)| *p);
            let at = field_of(&format!("component[{i}]"));
            match part {
                Some(FindingPart::Abnormality) => {
                    let a = codings(comp.get("valueCodeableConcept"))
                        .find(|(s, _)| *s == ABNORMALITY_SYSTEM)
                        .map(|(_, c)| c)
                        .ok_or_else(|| {
                            invalid(&at, format!("expected a valueCodeableConcept in {ABNORMALITY_SYSTEM}"))
                        })?;
                    abnormality = Some(a.to_string());
                    finding.insert("abnormality".into(), json!(a));
                }
                Some(FindingPart::ClonalFraction) => {
                    let q = comp.get("valueQuantity");
                    let unit = q.and_then(ucum_code);
                    if unit != Some("%") {
                        return Err(Error::UnsupportedUnit {
                            field: format!("{at}.valueQuantity"),
                            unit: unit.unwrap_or("(none)").to_string(),
                            accepted: "%".into(),
                        });
                    }
                    let v = q
                        .and_then(|q| q.get("value"))
                        .and_then(Value::as_f64)
                        .ok_or_else(|| invalid(&format!("{at}.valueQuantity.value"), "expected a number"))?;
                    finding.insert("clonal_fraction_pct".into(), json!(v));
                }
                Some(FindingPart::Method) => {
                    let m = codings(comp.get("valueCodeableConcept"))
                        .find(|(s, _)| *s == METHOD_SYSTEM)
                        .map(|(_, c)| c)
                        .ok_or_else(|| invalid(&at, format!("expected a valueCodeableConcept in {METHOD_SYSTEM}")))?;
                    finding.insert("method".into(), json!(m));
                }
                Some(p @ (FindingPart::Copies | FindingPart::CopiesLost)) => {
                    let n = comp
                        .get("valueInteger")
                        .and_then(Value::as_i64)
                        .ok_or_else(|| invalid(&at, "expected valueInteger"))?;
                    let k = if p == FindingPart::Copies { "copies" } else { "copies_lost" };
                    finding.insert(k.into(), json!(n));
                }
                None => self.ignore(
                    "Observation.component",
                    id,
                    codings(comp.get("code")).next().map(|(s, c)| format!("{s}|{c}")),
                    "component not in the mapping table",
                ),
            }
        }
        let Some(abnormality) = abnormality else {
            self.ignore(
                "Observation",
                id,
                Some(code.to_string()),
                "genetic variant assessment without a myeloma-pathway abnormality component",
            );
            return Ok(None);
        };
        let status = codings(r.get("valueCodeableConcept"))
            .find_map(|(s, c)| FINDING_VALUES.iter().find(|v| v.0 == s && v.1 == c))
            .map(|v| v.3)
            .ok_or_else(|| {
                invalid(&field_of("valueCodeableConcept"), "expected LOINC LA9633-4 (Present) or LA9634-2 (Absent)")
            })?;
        finding.insert("status".into(), json!(status));
        Ok(Some((format!("cytogenetics.{abnormality}"), vec![("cytogenetics".to_string(), Value::Object(finding))])))
    }

    fn finish(mut self) -> Result<FhirImport, Error> {
        let mut record = Map::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        if let Some((name, values)) = self.patient.take() {
            for (path, v) in values {
                self.report.used.push(Used {
                    field: path.clone(),
                    resource: name.clone(),
                    code: "Patient".into(),
                    effective: None,
                });
                sources.push((path.clone(), name.clone()));
                set_path(&mut record, &path, v);
            }
        }
        for (key, mut cands) in std::mem::take(&mut self.candidates) {
            // Latest by effective date-time; undated results never win over dated ones.
            cands.sort_by_key(|c| c.effective);
            let Some(latest) = cands.pop() else { continue };
            if let Some(prev) = cands.last() {
                if prev.effective == latest.effective {
                    return Err(Error::Inconsistent {
                        field: key,
                        message: format!(
                            "{} and {} have the same effective time ({}): cannot tell which is latest",
                            prev.resource,
                            latest.resource,
                            latest.effective_text.as_deref().unwrap_or("none given")
                        ),
                    });
                }
            }
            for c in &cands {
                self.report.superseded.push(Superseded {
                    field: key.clone(),
                    resource: c.resource.clone(),
                    used_instead: latest.resource.clone(),
                });
            }
            self.report.used.push(Used {
                field: key.clone(),
                resource: latest.resource.clone(),
                code: latest.code.clone(),
                effective: latest.effective_text.clone(),
            });
            for (path, v) in latest.values {
                if path == "cytogenetics" {
                    if let Value::Array(a) = record.entry("cytogenetics").or_insert_with(|| Value::Array(Vec::new())) {
                        sources.push((format!("cytogenetics[{}]", a.len()), latest.resource.clone()));
                        a.push(v);
                    }
                } else {
                    sources.push((path.clone(), latest.resource.clone()));
                    set_path(&mut record, &path, v);
                }
            }
        }
        let history = std::mem::take(&mut self.history);
        let empty = history.therapies.is_empty()
            && history.progressions.is_empty()
            && history.transplants.is_empty()
            && history.stated.is_empty()
            && history.car_t_courses.is_empty();
        if !empty || history.as_of.is_some() {
            let mut th = Map::new();
            for (key, mut items) in [
                ("therapies", history.therapies),
                ("progressions", history.progressions),
                ("transplants", history.transplants),
                ("stated_facts", history.stated),
                ("car_t_courses", history.car_t_courses),
            ] {
                if items.is_empty() {
                    continue;
                }
                // Bundle order is not meaningful: by date, then drug, then the whole entry (so
                // same-day entries are ordered by their content, never by the bundle), then
                // resource, for a deterministic record.
                items.sort_by(|a, b| history_order(&a.1, &b.1).then(a.0.cmp(&b.0)));
                for (i, (resource, _)) in items.iter().enumerate() {
                    sources.push((format!("treatment_history.{key}[{i}]"), resource.clone()));
                }
                th.insert(key.into(), Value::Array(items.into_iter().map(|(_, v)| v).collect()));
            }
            if let Some(d) = history.as_of {
                th.insert("as_of".into(), json!(d));
            }
            record.insert("treatment_history".into(), Value::Object(th));
        }
        for kind in [RESPONSE_ASSESSMENT_CODE, MRD_CODE] {
            let mut items: Vec<SeriesItem> = self.series.iter().filter(|x| x.0 == kind).cloned().collect();
            if items.is_empty() {
                continue;
            }
            // The record's order: by sequence where every entry has one, else by date (an
            // undated entry among several cannot be placed: refused, never guessed).
            if items.iter().all(|x| x.1.is_some()) {
                items.sort_by_key(|x| x.1);
            } else {
                if items.len() > 1 {
                    if let Some(x) = items.iter().find(|x| x.2.is_none()) {
                        return Err(Error::Inconsistent {
                            field: x.3.clone(),
                            message: format!("an undated {kind} entry without its sequence extension cannot be placed among the others"),
                        });
                    }
                }
                items.sort_by(|a, b| a.2.cmp(&b.2).then(a.4.to_string().cmp(&b.4.to_string())));
            }
            for (i, x) in items.iter().enumerate() {
                sources.push((format!("{kind}[{i}]"), x.3.clone()));
            }
            record.insert(kind.into(), Value::Array(items.into_iter().map(|x| x.4).collect()));
        }
        let text = Value::Object(record).to_string();
        let named = |e: Error| name_resource(e, &sources);
        let record = PatientRecord::from_json(&text).map_err(named)?;
        Patient::from_json(&record.to_json()).map_err(named)?;
        Ok(FhirImport { record, report: self.report })
    }
}

/// One pathway `history` entry from the complex extension `EXT_PATHWAY_EVENT`: its parts are the
/// entry's keys; the core checks the event (unknown kinds and keys are refused there).
fn pathway_event(field: &str, e: &Value) -> Result<Value, Error> {
    let parts =
        e.get("extension").and_then(Value::as_array).ok_or_else(|| invalid(field, "expected sub-extensions"))?;
    let mut entry = Map::new();
    for (i, p) in parts.iter().enumerate() {
        let at = format!("{field}.extension[{i}]");
        let key = p.get("url").and_then(Value::as_str).ok_or_else(|| invalid(&at, "expected a url"))?;
        let value = match key {
            "event" => p.get("valueCode").filter(|v| v.is_string()).cloned(),
            "date" => match p.get("valueDate") {
                Some(d) => Some(json!(treatment::day(&format!("{at}.valueDate"), d)?.0)),
                None => None,
            },
            _ => p
                .get("valueString")
                .filter(|v| v.is_string())
                .or_else(|| p.get("valueBoolean").filter(|v| v.is_boolean()))
                .cloned(),
        };
        let value = value.ok_or_else(|| {
            invalid(&at, format!("`{key}`: expected valueCode (event), valueDate (date), valueString or valueBoolean"))
        })?;
        if entry.insert(key.to_string(), value).is_some() {
            return Err(invalid(&at, format!("`{key}` given twice")));
        }
    }
    if !entry.contains_key("event") {
        return Err(invalid(field, "a pathway event needs its `event` sub-extension"));
    }
    Ok(Value::Object(entry))
}

/// The order of the entries of one `treatment_history` list as read from FHIR: by date
/// (`start`, `date`, a CAR-T course's first dated step, or the progression date itself), then
/// drug (a course's product), then the entry's whole JSON. Total over the entries' content, so
/// the record does not depend on the bundle's order.
pub fn history_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    let key = |v: &Value| {
        let course_steps = ["apheresis", "lymphodepletion_start", "lymphodepletion_end", "infusion"];
        let date = v
            .get("start")
            .or_else(|| v.get("date"))
            .or_else(|| course_steps.iter().find_map(|k| v.get(*k)))
            .unwrap_or(v)
            .to_string();
        (date, v.get("drug").or_else(|| v.get("product")).map(Value::to_string), v.to_string())
    };
    key(a).cmp(&key(b))
}

/// Put the resource that supplied a field in front of the field of a core error, so the caller
/// sees which resource to correct.
fn name_resource(e: Error, sources: &[(String, String)]) -> Error {
    let who = |field: &str| {
        sources
            .iter()
            .filter(|(p, _)| field == p || field.starts_with(&format!("{p}.")) || field.starts_with(&format!("{p}[")))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, r)| format!("{r}: {field}"))
            .unwrap_or_else(|| field.to_string())
    };
    match e {
        Error::OutOfRange { field, value, unit, accepted_range } => {
            Error::OutOfRange { field: who(&field), value, unit, accepted_range }
        }
        Error::UnsupportedUnit { field, unit, accepted } => {
            Error::UnsupportedUnit { field: who(&field), unit, accepted }
        }
        Error::Inconsistent { field, message } => Error::Inconsistent { field: who(&field), message },
        Error::MissingField { field, message } => Error::MissingField { field: who(&field), message },
        Error::InvalidJson { field, message } => Error::InvalidJson { field: who(&field), message },
        other => other,
    }
}

fn set_path(record: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            record.insert(path.to_string(), v);
        }
        Some((head, rest)) => {
            let child = record.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = child {
                set_path(m, rest, v);
            }
        }
    }
}

fn ucum_code(q: &Value) -> Option<&str> {
    match q.get("system").and_then(Value::as_str) {
        // A unit from another system is not a UCUM code, whatever it looks like.
        Some(s) if s != UCUM => None,
        _ => q.get("code").or_else(|| q.get("unit")).and_then(Value::as_str),
    }
}

/// A `Quantity` under a row: its value and the record's spelling of its unit.
fn quantity(m: &Mapping, q: Option<&Value>, field: &str) -> Result<(f64, &'static str), Error> {
    let q = q.ok_or_else(|| invalid(field, "expected valueQuantity"))?;
    let given = ucum_code(q);
    let unit = given.and_then(|u| mapping::record_unit(m, u)).ok_or_else(|| Error::UnsupportedUnit {
        field: format!("{field}.code"),
        unit: given
            .map(str::to_string)
            .or_else(|| {
                q.get("code").or_else(|| q.get("unit")).and_then(Value::as_str).map(|u| format!("{u} (not UCUM)"))
            })
            .unwrap_or_else(|| "(none)".into()),
        accepted: format!("{} (UCUM)", mapping::accepted_units(m)),
    })?;
    let v = q
        .get("value")
        .and_then(Value::as_f64)
        .ok_or_else(|| invalid(&format!("{field}.value"), "expected a number"))?;
    Ok((v, unit))
}

/// `effectiveDateTime` (or `effectiveInstant`) as a timestamp: a full date is read as its
/// midnight UTC, a date-time needs its offset (as FHIR requires), and a partial date (year or
/// year-month) is refused because it cannot be ordered against the others.
fn effective(name: &str, r: &Map<String, Value>) -> Result<(Option<String>, Option<Timestamp>), Error> {
    let Some((key, v)) = ["effectiveDateTime", "effectiveInstant"].iter().find_map(|k| r.get(*k).map(|v| (*k, v)))
    else {
        return Ok((None, None));
    };
    let field = format!("{name}.{key}");
    let text = v.as_str().ok_or_else(|| invalid(&field, "expected a date-time string"))?;
    let ts = if text.len() == 10 {
        let d: Date = text.parse().map_err(|e: jiff::Error| invalid(&field, format!("`{text}`: {e}")))?;
        d.to_zoned(jiff::tz::TimeZone::UTC).map_err(|e| invalid(&field, e.to_string()))?.timestamp()
    } else if text.len() < 10 {
        return Err(invalid(&field, format!("`{text}`: a partial date cannot be ordered; give YYYY-MM-DD at least")));
    } else {
        text.parse::<Timestamp>().map_err(|e| invalid(&field, format!("`{text}`: {e}")))?
    };
    Ok((Some(text.to_string()), Some(ts)))
}
