//! Treatment history in: `MedicationAdministration` / `MedicationStatement` (RxNorm, ATC) and
//! `Procedure` (transplant, CAR-T infusion) read into the record's dated `treatment_history`.
//!
//! No clinical logic: every resource becomes one dated exposure (or transplant, or CAR-T course
//! where the project's `car-t-course` extension says so) as the EHR recorded it; the core derives
//! lines and refractoriness from them (`docs/relapse.md`). Several administrations of one drug
//! are several exposures: the core counts a restart without a progression in between as the same
//! line, so no gap between doses is guessed to be a "course".
//!
//! Out ([`history_to_fhir`], for `record_to_bundle`): every exposure as a `MedicationStatement`
//! (a one-day CAR-T infusion as a `Procedure`), every transplant as a `Procedure`, every CAR-T
//! course as a CAR-T `Procedure` with the `car-t-course` extension, every
//! progression as an mCODE CancerDiseaseStatus `Observation`, every stated fact as an undated
//! `MedicationStatement`; the fields FHIR has no element for in the project's extensions.

use myeloma_pathway::Error;
use serde_json::{json, Map, Value};

use myeloma_pathway::{Drug, DrugClass};

use crate::mapping::{
    self, ProcedureKind, ADMINISTRATION_STATUSES, CAR_T_COURSE_STEPS, DRUG_CLASS_SYSTEM, DRUG_SYSTEM, EXT_CAR_T_COURSE,
    EXT_DRUG_CLASS, EXT_LAST_DOSE, EXT_PLANNED_CONTINUATION, EXT_PLANNED_TANDEM, EXT_STATED_FACT, EXT_STATED_SOURCE,
    EXT_THERAPY_ROLE, EXT_TOXICITY_GRADE, PROCEDURE_STATUSES, STATEMENT_STATUSES, STOP_REASON_CODES,
    STOP_REASON_SYSTEM,
};

/// What one treatment resource gave.
pub(crate) enum Outcome {
    /// A drug exposure (`treatment_history.therapies[]`), its code, the date text read, and the
    /// parts not read (a `statusReason` in another code system: its code), listed as ignored.
    Therapy { exposure: Value, code: String, effective: String, unread: Vec<String> },
    /// A transplant (`treatment_history.transplants[]`).
    Transplant { transplant: Value, code: String, effective: String },
    /// A CAR-T course (`treatment_history.car_t_courses[]`), its code and the infusion date text
    /// read (none before the infusion).
    CarTCourse { course: Value, code: String, effective: Option<String> },
    /// An undated statement that the drug was taken: a stated fact "exposed".
    StatedExposure { fact: Value, code: String },
    /// Not read, with the first code and the reason.
    Ignored { code: Option<String>, reason: String },
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::InvalidJson { field: field.to_string(), message: message.into() }
}

fn codings(concept: Option<&Value>) -> impl Iterator<Item = (&str, &str)> {
    concept
        .and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.get("system")?.as_str()?, c.get("code")?.as_str()?)))
}

fn first(concept: Option<&Value>) -> Option<String> {
    codings(concept).next().map(|(s, c)| format!("{s}|{c}"))
}

/// A medication as read: the record's drug name (absent for a stated fact about a whole class)
/// and its class.
#[derive(Clone)]
struct Med {
    drug: Option<String>,
    class: Option<DrugClass>,
}

impl Med {
    fn same_as(&self, other: &Med) -> bool {
        let class_of = |m: &Med| m.class.or_else(|| m.drug.as_deref().and_then(Drug::from_id).map(|d| d.class()));
        self.drug == other.drug
            || (other.drug.is_some() && other.class.is_some() && class_of(self) == other.class)
            || (self.drug.is_some() && self.class.is_some() && class_of(other) == self.class)
    }
}

fn class_code(field: &str, code: &str) -> Result<DrugClass, Error> {
    serde_json::from_value(json!(code))
        .map_err(|_| invalid(field, format!("`{code}` is not a drug class of the record")))
}

/// The medication of a concept: RxNorm before ATC (RxNorm tells IV from SC daratumumab), then
/// the project's drug and drug-class code systems; two codings naming different drugs are
/// refused.
fn medication_of(name: &str, concept: Option<&Value>) -> Result<Option<(Med, String)>, Error> {
    let field = format!("{name}.medicationCodeableConcept");
    let mut found: Vec<(u8, Med, String)> = Vec::new();
    for (s, c) in codings(concept) {
        let code = format!("{s}|{c}");
        if let Some(m) = mapping::medication(s, c) {
            let rank = if m.system == mapping::RXNORM { 0 } else { 1 };
            found.push((rank, Med { drug: Some(m.drug.to_string()), class: m.class }, code));
        } else if s == DRUG_SYSTEM {
            found.push((2, Med { drug: Some(c.to_string()), class: None }, code));
        } else if s == DRUG_CLASS_SYSTEM {
            found.push((3, Med { drug: None, class: Some(class_code(&field, c)?) }, code));
        }
    }
    found.sort_by_key(|(rank, ..)| *rank);
    let Some((_, m, code)) = found.first().cloned() else { return Ok(None) };
    for (_, other, other_code) in found.iter().skip(1) {
        if !m.same_as(other) {
            let show = |m: &Med| m.drug.clone().unwrap_or_else(|| "a class".into());
            return Err(Error::Inconsistent {
                field,
                message: format!("{code} is {} but {other_code} is {}", show(&m), show(other)),
            });
        }
    }
    Ok(Some((m, code)))
}

/// The record fields FHIR has no element for, and `reason_stopped` from `statusReason`, read
/// from any treatment resource (see `mapping::EXT_*`).
#[derive(Default)]
struct Extras {
    role: Option<String>,
    class: Option<DrugClass>,
    reason_stopped: Option<String>,
    toxicity_grade: Option<i64>,
    planned_continuation: bool,
    last_dose: Option<String>,
    dose_level: Option<String>,
    stated_fact: Option<String>,
    stated_source: Option<String>,
    /// `statusReason` codings in other code systems (`system|code`), not read.
    unread_reasons: Vec<String>,
}

fn extension<'a>(r: &'a Map<String, Value>, url: &str) -> Option<&'a Value> {
    r.get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(url))
}

fn extras(name: &str, r: &Map<String, Value>) -> Result<Extras, Error> {
    let at = |url: &str| format!("{name}.extension({url})");
    let mut x = Extras { role: role(name, r)?, ..Extras::default() };
    if let Some(e) = extension(r, EXT_DRUG_CLASS) {
        let c = e
            .get("valueCode")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(&at(EXT_DRUG_CLASS), "expected valueCode"))?;
        x.class = Some(class_code(&at(EXT_DRUG_CLASS), c)?);
    }
    if let Some(e) = extension(r, EXT_TOXICITY_GRADE) {
        let g = e.get("valueInteger").and_then(Value::as_i64);
        x.toxicity_grade = Some(g.ok_or_else(|| invalid(&at(EXT_TOXICITY_GRADE), "expected valueInteger"))?);
    }
    if let Some(e) = extension(r, EXT_PLANNED_CONTINUATION) {
        let b = e.get("valueBoolean").and_then(Value::as_bool);
        x.planned_continuation = b.ok_or_else(|| invalid(&at(EXT_PLANNED_CONTINUATION), "expected valueBoolean"))?;
    }
    if let Some(e) = extension(r, EXT_LAST_DOSE) {
        let v = e.get("valueDate").ok_or_else(|| invalid(&at(EXT_LAST_DOSE), "expected valueDate"))?;
        x.last_dose = Some(day(&format!("{}.valueDate", at(EXT_LAST_DOSE)), v)?.0);
    }
    if let Some(e) = extension(r, EXT_STATED_FACT) {
        match e.get("valueCode").and_then(Value::as_str) {
            Some(c @ ("exposed" | "refractory")) => x.stated_fact = Some(c.to_string()),
            _ => return Err(invalid(&at(EXT_STATED_FACT), "expected valueCode exposed or refractory")),
        }
    }
    if let Some(e) = extension(r, EXT_STATED_SOURCE) {
        let v = e.get("valueString").and_then(Value::as_str);
        x.stated_source = Some(v.ok_or_else(|| invalid(&at(EXT_STATED_SOURCE), "expected valueString"))?.to_string());
    }
    // statusReason is 0..* on the medication resources and 0..1 on Procedure.
    let reasons: Vec<&Value> = match r.get("statusReason") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    for (i, reason) in reasons.into_iter().enumerate() {
        let ours = codings(Some(reason)).find(|(s, _)| *s == STOP_REASON_SYSTEM).map(|(_, c)| c);
        match ours {
            Some(c) if STOP_REASON_CODES.contains(&c) => x.reason_stopped = Some(c.to_string()),
            Some(c) => {
                return Err(invalid(
                    &format!("{name}.statusReason[{i}]"),
                    format!("`{c}`: expected one of {} in {STOP_REASON_SYSTEM}", STOP_REASON_CODES.join(", ")),
                ))
            }
            // A reason in another code system: not verified, so not read (the record's
            // reason_stopped stays unknown); listed as ignored, never dropped.
            None => x.unread_reasons.extend(codings(Some(reason)).map(|(s, c)| format!("{s}|{c}")).take(1)),
        }
    }
    // Dosage.text: MedicationStatement.dosage is a list, MedicationAdministration.dosage one.
    let dosage = match r.get("dosage") {
        Some(Value::Array(a)) => a.first(),
        other => other,
    };
    x.dose_level = dosage.and_then(|d| d.get("text")).and_then(Value::as_str).map(str::to_string);
    Ok(x)
}

/// Merge the class of the coding and of the extension (they must agree).
fn class_of(name: &str, m: &Med, x: &Extras) -> Result<Option<DrugClass>, Error> {
    match (m.class, x.class) {
        (Some(a), Some(b)) if a != b => Err(Error::Inconsistent {
            field: format!("{name}.extension({EXT_DRUG_CLASS})"),
            message: "the drug class of the extension differs from the class of the medication code".into(),
        }),
        (a, b) => Ok(a.or(b)),
    }
}

/// A FHIR `date` / `dateTime` as the record's `YYYY-MM-DD`: the calendar date as written (a
/// date-time is checked in full, then its date part is used, in the EHR's own offset); a partial
/// date is refused, never guessed.
pub(crate) fn day(field: &str, v: &Value) -> Result<(String, String), Error> {
    let text = v.as_str().ok_or_else(|| invalid(field, "expected a date or date-time string"))?;
    let ok = match text.len() {
        10 => true,
        n if n > 10 => text.parse::<jiff::Timestamp>().is_ok(),
        _ => return Err(invalid(field, format!("`{text}`: a partial date cannot be placed; give YYYY-MM-DD"))),
    };
    let date = text.get(..10).filter(|_| ok).and_then(myeloma_pathway::Date::parse).ok_or_else(|| {
        invalid(field, format!("`{text}`: expected a FHIR date YYYY-MM-DD or a date-time with its offset"))
    })?;
    Ok((date.to_string(), text.to_string()))
}

/// `effective[x]` / `performed[x]`: (start, end, text read) or `None` when absent.
type Span = (String, Option<String>, String);

fn span(name: &str, r: &Map<String, Value>, prefix: &str) -> Result<Option<Span>, Error> {
    let dt = format!("{prefix}DateTime");
    if let Some(v) = r.get(&dt) {
        let (d, text) = day(&format!("{name}.{dt}"), v)?;
        return Ok(Some((d.clone(), Some(d), text)));
    }
    let p = format!("{prefix}Period");
    let Some(period) = r.get(&p) else { return Ok(None) };
    let start = period
        .get("start")
        .ok_or_else(|| invalid(&format!("{name}.{p}.start"), "a period needs its start (the first dose)"))?;
    let (start, text) = day(&format!("{name}.{p}.start"), start)?;
    let end = match period.get("end") {
        Some(e) => Some(day(&format!("{name}.{p}.end"), e)?.0),
        None => None,
    };
    let text = match &end {
        Some(e) => format!("{text}/{e}"),
        None => format!("{text}/"),
    };
    Ok(Some((start, end, text)))
}

fn role(name: &str, r: &Map<String, Value>) -> Result<Option<String>, Error> {
    let ext = r
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(EXT_THERAPY_ROLE));
    let Some(e) = ext else { return Ok(None) };
    match e.get("valueCode").and_then(Value::as_str) {
        Some(c @ ("anti_myeloma" | "lymphodepletion" | "conditioning")) => Ok(Some(c.to_string())),
        _ => Err(invalid(
            &format!("{name}.extension({EXT_THERAPY_ROLE})"),
            "expected valueCode anti_myeloma, lymphodepletion or conditioning",
        )),
    }
}

fn exposure(
    drug: &str,
    class: Option<DrugClass>,
    start: &str,
    stop: Option<&str>,
    last_dose: Option<&str>,
    x: Extras,
) -> Value {
    let mut e = Map::new();
    e.insert("drug".into(), json!(drug));
    if let Some(c) = class {
        e.insert("class".into(), json!(c));
    }
    e.insert("start".into(), json!(start));
    if let Some(s) = stop {
        e.insert("stop".into(), json!(s));
    }
    if let Some(l) = x.last_dose.as_deref().or(last_dose) {
        e.insert("last_dose".into(), json!(l));
    }
    if let Some(r) = x.reason_stopped {
        e.insert("reason_stopped".into(), json!(r));
    }
    if let Some(g) = x.toxicity_grade {
        e.insert("toxicity_grade".into(), json!(g));
    }
    if let Some(d) = x.dose_level {
        e.insert("dose_level".into(), json!(d));
    }
    if let Some(r) = x.role {
        e.insert("role".into(), json!(r));
    }
    if x.planned_continuation {
        e.insert("planned_continuation".into(), json!(true));
    }
    Value::Object(e)
}

/// A stated fact's extensions on a dated resource: refused (a stated fact has no date).
fn no_stated_fact_on_a_dated_resource(name: &str, x: &Extras) -> Result<(), Error> {
    if x.stated_fact.is_some() || x.stated_source.is_some() {
        return Err(Error::Inconsistent {
            field: format!("{name}.extension({EXT_STATED_FACT})"),
            message: "a stated fact is undated: send it without effective[x], or drop the stated-fact extensions"
                .into(),
        });
    }
    Ok(())
}

/// A `MedicationAdministration` or `MedicationStatement`.
pub(crate) fn medication_resource(rtype: &str, name: &str, r: &Map<String, Value>) -> Result<Outcome, Error> {
    let concept = r.get("medicationCodeableConcept");
    if concept.is_none() && r.contains_key("medicationReference") {
        return Ok(Outcome::Ignored {
            code: None,
            reason: "medicationReference is not read: give the drug as medicationCodeableConcept (RxNorm or ATC)"
                .into(),
        });
    }
    let Some((m, code)) = medication_of(name, concept)? else {
        return Ok(Outcome::Ignored {
            code: first(concept),
            reason: "medication code not in the mapping table".into(),
        });
    };
    let status = r.get("status").and_then(Value::as_str).unwrap_or("");
    let statement = rtype == "MedicationStatement";
    let read = if statement { STATEMENT_STATUSES } else { ADMINISTRATION_STATUSES };
    if !read.contains(&status) {
        return Ok(Outcome::Ignored {
            code: Some(code),
            reason: format!("status `{status}`: only {} are read", read.join(", ")),
        });
    }
    let mut x = extras(name, r)?;
    let class = class_of(name, &m, &x)?;
    let Some((start, end, text)) = span(name, r, "effective")? else {
        if statement {
            // Unknown is not negative, and not a date either: the drug was taken, when is not said.
            let mut fact = Map::new();
            fact.insert("fact".into(), json!(x.stated_fact.as_deref().unwrap_or("exposed")));
            if let Some(d) = &m.drug {
                fact.insert("drug".into(), json!(d));
            }
            if let Some(c) = class {
                fact.insert("class".into(), json!(c));
            }
            let source = x.stated_source.clone().unwrap_or_else(|| format!("{name} (undated)"));
            fact.insert("source".into(), json!(source));
            let fact = Value::Object(fact);
            return Ok(Outcome::StatedExposure { fact, code });
        }
        return Err(Error::MissingField {
            field: format!("{name}.effective[x]"),
            message: format!("{code}: an administration needs its date (effectiveDateTime or effectivePeriod)"),
        });
    };
    no_stated_fact_on_a_dated_resource(name, &x)?;
    let drug = m.drug.clone().ok_or_else(|| {
        invalid(
            &format!("{name}.medicationCodeableConcept"),
            format!(
                "{code}: a dated exposure needs a drug, not only its class (a class is read on an undated stated fact)"
            ),
        )
    })?;
    let unread = std::mem::take(&mut x.unread_reasons);
    let ongoing = matches!(status, "active" | "on-hold" | "in-progress");
    let e = match (end, ongoing) {
        // A single administration: given on that day (in progress: still being given).
        (Some(end), false) => exposure(&drug, class, &start, Some(&end), None, x),
        (Some(end), true) if !statement => exposure(&drug, class, &start, None, Some(&end), x),
        (Some(end), true) => {
            return Err(Error::Inconsistent {
                field: format!("{name}.status"),
                message: format!("status `{status}` but the period ends on {end}: is it still being given?"),
            })
        }
        (None, true) => exposure(&drug, class, &start, None, None, x),
        (None, false) if !statement => exposure(&drug, class, &start, Some(&start), None, x),
        (None, false) => {
            return Err(Error::MissingField {
                field: format!("{name}.effectivePeriod.end"),
                message: format!("status `{status}` needs the date it was stopped"),
            })
        }
    };
    Ok(Outcome::Therapy { exposure: e, code, effective: text, unread })
}

/// A `Procedure`.
pub(crate) fn procedure_resource(name: &str, r: &Map<String, Value>) -> Result<Outcome, Error> {
    let found = codings(r.get("code")).find_map(|(s, c)| mapping::procedure(s, c).map(|p| (p, format!("{s}|{c}"))));
    let Some((p, code)) = found else {
        return Ok(Outcome::Ignored {
            code: first(r.get("code")),
            reason: "procedure code not in the mapping table".into(),
        });
    };
    let courses = extensions(r, EXT_CAR_T_COURSE).count();
    if courses > 0 {
        if p.kind != ProcedureKind::CarTInfusion {
            return Err(Error::Inconsistent {
                field: format!("{name}.extension({EXT_CAR_T_COURSE})"),
                message: format!("{code}: a CAR-T course belongs on a CAR-T Procedure (SNOMED CT 1156961008)"),
            });
        }
        if courses > 1 {
            return Err(invalid(
                &format!("{name}.extension({EXT_CAR_T_COURSE})"),
                "given twice: one Procedure is one CAR-T course",
            ));
        }
        return car_t_course(name, r, code);
    }
    let status = r.get("status").and_then(Value::as_str).unwrap_or("");
    if !PROCEDURE_STATUSES.contains(&status) {
        return Ok(Outcome::Ignored {
            code: Some(code),
            reason: format!("status `{status}`: only {} procedures are read", PROCEDURE_STATUSES.join(", ")),
        });
    }
    // The infusion day: performedDateTime, or the start of performedPeriod.
    let (date, _, text) = span(name, r, "performed")?.ok_or_else(|| Error::MissingField {
        field: format!("{name}.performed[x]"),
        message: format!("{code}: a transplant or CAR-T infusion needs its date"),
    })?;
    match p.kind {
        ProcedureKind::Transplant { allogeneic } => {
            let mut t = Map::new();
            t.insert("date".into(), json!(date));
            if allogeneic {
                t.insert("allogeneic".into(), json!(true));
            }
            if let Some(e) = extension(r, EXT_PLANNED_TANDEM) {
                let b = e.get("valueBoolean").and_then(Value::as_bool).ok_or_else(|| {
                    invalid(&format!("{name}.extension({EXT_PLANNED_TANDEM})"), "expected valueBoolean")
                })?;
                if b {
                    t.insert("planned_tandem".into(), json!(true));
                }
            }
            let t = Value::Object(t);
            Ok(Outcome::Transplant { transplant: t, code, effective: text })
        }
        ProcedureKind::CarTInfusion => {
            let used = r.get("usedCode").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let mut product = None;
            for (i, u) in used.iter().enumerate() {
                if let Some((m, _)) = medication_of(&format!("{name}.usedCode[{i}]"), Some(u))? {
                    let is_car_t =
                        m.drug.as_deref().and_then(Drug::from_id).is_some_and(|d| d.class() == DrugClass::BcmaCarT);
                    if is_car_t {
                        product = Some(m);
                    }
                }
            }
            match product {
                Some(m) => {
                    let mut x = extras(name, r)?;
                    no_stated_fact_on_a_dated_resource(name, &x)?;
                    let unread = std::mem::take(&mut x.unread_reasons);
                    let class = class_of(name, &m, &x)?;
                    let drug = m.drug.clone().unwrap_or_default();
                    Ok(Outcome::Therapy { exposure: exposure(&drug, class, &date, Some(&date), None, x), code, effective: text, unread })
                }
                None => Ok(Outcome::Ignored {
                    code: Some(code),
                    reason: "CAR-T infusion without a known product in usedCode (ATC L01XL05 cilta-cel, L01XL07 ide-cel): the record needs the product".into(),
                }),
            }
        }
    }
}

fn extensions<'a>(r: &'a Map<String, Value>, url: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    r.get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |e| e.get("url").and_then(Value::as_str) == Some(url))
}

/// A CAR-T `Procedure` with the `car-t-course` extension: one `treatment_history.car_t_courses[]`
/// entry. The core checks the product and the order of the dates (`Patient` validation), so the
/// refusal is the record's own, named with this resource.
fn car_t_course(name: &str, r: &Map<String, Value>, code: String) -> Result<Outcome, Error> {
    let at = format!("{name}.extension({EXT_CAR_T_COURSE})");
    let status = r.get("status").and_then(Value::as_str).unwrap_or("");
    if status == "entered-in-error" {
        return Ok(Outcome::Ignored { code: Some(code), reason: "status `entered-in-error`: not read".into() });
    }
    // A course has no field for an exposure's details: refused, never dropped.
    for url in [
        EXT_THERAPY_ROLE,
        EXT_DRUG_CLASS,
        EXT_TOXICITY_GRADE,
        EXT_PLANNED_CONTINUATION,
        EXT_LAST_DOSE,
        EXT_STATED_FACT,
        EXT_STATED_SOURCE,
        EXT_PLANNED_TANDEM,
    ] {
        if extensions(r, url).next().is_some() {
            return Err(Error::Inconsistent {
                field: format!("{name}.extension({url})"),
                message: "a CAR-T course (extension car-t-course) has no field for it: send the infusion without \
                          the car-t-course extension to read it as an exposure"
                    .into(),
            });
        }
    }
    if r.contains_key("statusReason") {
        return Err(Error::Inconsistent {
            field: format!("{name}.statusReason"),
            message: "a CAR-T course (extension car-t-course) has no reason stopped".into(),
        });
    }
    for key in ["performedPeriod", "performedString", "performedAge", "performedRange"] {
        if r.contains_key(key) {
            return Err(invalid(
                &format!("{name}.{key}"),
                "a CAR-T course gives its infusion as performedDateTime (the day of the infusion)",
            ));
        }
    }
    let infusion = match r.get("performedDateTime") {
        Some(v) => Some(day(&format!("{name}.performedDateTime"), v)?),
        None => None,
    };
    match (status, &infusion) {
        ("completed", Some(_)) | ("in-progress", None) => {}
        ("completed", None) => {
            return Err(Error::MissingField {
                field: format!("{name}.performedDateTime"),
                message: "a completed CAR-T course needs the day of its infusion".into(),
            })
        }
        (s, Some((d, _))) => {
            return Err(Error::Inconsistent {
                field: format!("{name}.status"),
                message: format!("status `{s}` but performedDateTime {d}: a course with its infusion is `completed`"),
            })
        }
        (s, None) => {
            return Err(invalid(
                &format!("{name}.status"),
                format!("`{s}`: a CAR-T course is `completed` (infused, with performedDateTime) or `in-progress` (not yet infused)"),
            ))
        }
    }
    // The product: the one drug named in usedCode (the core checks it is a CAR-T product).
    let used = r.get("usedCode").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut product: Option<(String, String)> = None;
    for (i, u) in used.iter().enumerate() {
        let Some((m, c)) = medication_of(&format!("{name}.usedCode[{i}]"), Some(u))? else { continue };
        let Some(drug) = m.drug else { continue };
        match &product {
            Some((d, first)) if *d != drug => {
                return Err(Error::Inconsistent {
                    field: format!("{name}.usedCode[{i}]"),
                    message: format!("{first} is {d} but {c} is {drug}: one course has one product"),
                })
            }
            Some(_) => {}
            None => product = Some((drug, c)),
        }
    }
    let (product, _) = product.ok_or_else(|| Error::MissingField {
        field: format!("{name}.usedCode"),
        message: "a CAR-T course needs its product (ATC L01XL05 cilta-cel, L01XL07 ide-cel)".into(),
    })?;
    let mut course = Map::new();
    course.insert("product".into(), json!(product));
    let ext = extensions(r, EXT_CAR_T_COURSE).next().and_then(Value::as_object);
    let parts = ext.and_then(|e| e.get("extension")).and_then(Value::as_array).filter(|a| !a.is_empty());
    let value: Vec<&String> = ext.into_iter().flat_map(|e| e.keys()).filter(|k| k.starts_with("value")).collect();
    let steps = CAR_T_COURSE_STEPS.map(|(url, _)| url).join(", ");
    match (parts, value.as_slice()) {
        (Some(parts), []) => {
            for (i, part) in parts.iter().enumerate() {
                let at = format!("{at}.extension[{i}]");
                let url = part.get("url").and_then(Value::as_str).unwrap_or("");
                let Some((_, key)) = CAR_T_COURSE_STEPS.iter().find(|(u, _)| *u == url) else {
                    return Err(invalid(
                        &at,
                        format!("`{url}`: not a step of a CAR-T course; expected one of {steps}"),
                    ));
                };
                let v = part.get("valueDate").ok_or_else(|| invalid(&at, format!("`{url}`: expected valueDate")))?;
                let (d, _) = day(&format!("{at}.valueDate"), v)?;
                if course.insert((*key).to_string(), json!(d)).is_some() {
                    return Err(invalid(&at, format!("`{url}` given twice")));
                }
            }
        }
        (None, [v])
            if v.as_str() == "valueBoolean" && ext.and_then(|e| e.get("valueBoolean")) == Some(&json!(true)) => {}
        _ => {
            return Err(invalid(
                &at,
                format!(
                    "expected the sub-extensions {steps} (valueDate each), or valueBoolean true for a course \
                     without any of them dated"
                ),
            ))
        }
    }
    let effective = infusion.map(|(d, text)| {
        course.insert("infusion".into(), json!(d));
        text
    });
    Ok(Outcome::CarTCourse { course: Value::Object(course), code, effective })
}

/// Set a key on a JSON object (a no-op on anything else, which never happens here).
fn put(target: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = target {
        m.insert(key.to_string(), value);
    }
}

fn ext(url: &str, key: &str, value: Value) -> Value {
    let mut e = json!({"url": url});
    if let Value::Object(m) = &mut e {
        m.insert(key.into(), value);
    }
    e
}

fn subject() -> Value {
    json!({"reference": "Patient/patient"})
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn no_mapping(field: &str, message: impl Into<String>) -> Error {
    Error::Inconsistent { field: field.to_string(), message: message.into() }
}

/// The coding of a drug (and whether the code already carries the record's class): the first
/// RxNorm row for the drug, else its ATC row, else the project's drug code system.
fn drug_coding(drug: &str, class: Option<DrugClass>) -> Value {
    let row = |system: &str| {
        mapping::MEDICATION_CODES
            .iter()
            .find(|m| m.system == system && m.drug == drug && (m.class.is_none() || m.class == class))
    };
    match row(mapping::RXNORM).or_else(|| row(mapping::ATC)) {
        Some(m) => json!({"system": m.system, "code": m.code}),
        None => json!({"system": DRUG_SYSTEM, "code": drug}),
    }
}

/// The extensions and statusReason of an exposure (the fields FHIR has no element for).
fn exposure_extras(t: &Value, field: &str) -> Result<(Vec<Value>, Option<Value>), Error> {
    let mut exts = Vec::new();
    if let Some(c) = str_of(t, "class") {
        exts.push(ext(EXT_DRUG_CLASS, "valueCode", json!(c)));
    }
    match str_of(t, "role") {
        None | Some("anti_myeloma") => {}
        Some(r) => exts.push(ext(EXT_THERAPY_ROLE, "valueCode", json!(r))),
    }
    if let Some(g) = t.get("toxicity_grade") {
        exts.push(ext(EXT_TOXICITY_GRADE, "valueInteger", g.clone()));
    }
    if t.get("planned_continuation").and_then(Value::as_bool) == Some(true) {
        exts.push(ext(EXT_PLANNED_CONTINUATION, "valueBoolean", json!(true)));
    }
    if let Some(l) = str_of(t, "last_dose") {
        if str_of(t, "stop") != Some(l) {
            exts.push(ext(EXT_LAST_DOSE, "valueDate", json!(l)));
        }
    }
    let reason = match str_of(t, "reason_stopped") {
        Some(r) if STOP_REASON_CODES.contains(&r) => {
            Some(json!({"coding": [{"system": STOP_REASON_SYSTEM, "code": r}]}))
        }
        Some(r) => return Err(no_mapping(&format!("{field}.reason_stopped"), format!("`{r}` has no code"))),
        None => None,
    };
    Ok((exts, reason))
}

/// One `car_t_courses[]` entry as the CAR-T `Procedure` with the `car-t-course` extension
/// (`mapping::EXT_CAR_T_COURSE`), which [`procedure_resource`] reads back.
fn car_t_course_to_fhir(c: &Value, i: usize) -> Result<Value, Error> {
    let field = format!("treatment_history.car_t_courses[{i}]");
    if let Some(m) = c.as_object() {
        for key in m.keys() {
            let known = key == "product" || key == "infusion" || CAR_T_COURSE_STEPS.iter().any(|(_, k)| k == key);
            if !known {
                return Err(no_mapping(&format!("{field}.{key}"), "no FHIR mapping"));
            }
        }
    }
    let product = str_of(c, "product").ok_or_else(|| no_mapping(&field, "a CAR-T course without its product"))?;
    let row = mapping::PROCEDURE_CODES
        .iter()
        .find(|p| p.kind == ProcedureKind::CarTInfusion)
        .ok_or_else(|| no_mapping(&field, "no CAR-T procedure code"))?;
    let parts: Vec<Value> = CAR_T_COURSE_STEPS
        .iter()
        .filter_map(|(url, key)| str_of(c, key).map(|d| json!({"url": url, "valueDate": d})))
        .collect();
    // FHIR ext-1: an extension has sub-extensions or a value; a course with no dated step
    // before the infusion says so with `valueBoolean` true.
    let course = if parts.is_empty() {
        json!({"url": EXT_CAR_T_COURSE, "valueBoolean": true})
    } else {
        json!({"url": EXT_CAR_T_COURSE, "extension": parts})
    };
    let infusion = str_of(c, "infusion");
    let mut p = json!({
        "resourceType": "Procedure", "id": format!("car-t-course-{}", i + 1),
        "extension": [course],
        "status": if infusion.is_some() { "completed" } else { "in-progress" },
        "code": {"coding": [{"system": row.system, "code": row.code, "display": row.display}]},
        "subject": subject(),
        "usedCode": [{"coding": [drug_coding(product, None)]}],
    });
    if let Some(d) = infusion {
        put(&mut p, "performedDateTime", json!(d));
    }
    Ok(p)
}

/// A record's `treatment_history` (its JSON) as FHIR resources that [`medication_resource`],
/// [`procedure_resource`] and the disease-status reader read back into the same history; and
/// `as_of`, which goes on the `Patient` (extension `mapping::EXT_HISTORY_AS_OF`).
///
/// # Errors
/// [`Error::Inconsistent`] naming the record field for a value without a mapping.
pub(crate) fn history_to_fhir(th: &Value) -> Result<(Vec<Value>, Option<String>), Error> {
    let list = |k: &str| th.get(k).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    // Every key is written below or refused here: a history field the Bundle cannot carry is an
    // error naming it, never dropped.
    if let Some(m) = th.as_object() {
        for key in m.keys() {
            match key.as_str() {
                "therapies" | "progressions" | "transplants" | "stated_facts" | "car_t_courses" | "as_of" => {}
                other => return Err(no_mapping(&format!("treatment_history.{other}"), "no FHIR mapping")),
            }
        }
    }
    let mut out = Vec::new();
    for (i, t) in list("therapies").iter().enumerate() {
        let field = format!("treatment_history.therapies[{i}]");
        let drug = str_of(t, "drug").ok_or_else(|| no_mapping(&field, "an exposure without its drug"))?;
        let start = str_of(t, "start").ok_or_else(|| no_mapping(&field, "an exposure without its start"))?;
        let stop = str_of(t, "stop");
        let class = match str_of(t, "class") {
            Some(c) => Some(class_code(&format!("{field}.class"), c)?),
            None => None,
        };
        let (mut exts, reason) = exposure_extras(t, &field)?;
        let car_t = Drug::from_id(drug).is_some_and(|d| d.class() == DrugClass::BcmaCarT);
        let one_day = stop == Some(start);
        let no_last_dose = t.get("last_dose").is_none() || str_of(t, "last_dose") == Some(start);
        let id = format!("therapy-{}", i + 1);
        let coding = drug_coding(drug, class);
        if car_t && one_day && no_last_dose && t.get("dose_level").is_none() {
            // A CAR-T infusion: the Procedure of the mapping, the product in usedCode.
            let car_t_row = mapping::PROCEDURE_CODES.iter().find(|p| p.kind == ProcedureKind::CarTInfusion);
            let row = car_t_row.ok_or_else(|| no_mapping(&field, "no CAR-T procedure code"))?;
            let mut p = json!({
                "resourceType": "Procedure", "id": id, "status": "completed",
                "code": {"coding": [{"system": row.system, "code": row.code, "display": row.display}]},
                "subject": subject(), "performedDateTime": start,
                "usedCode": [{"coding": [coding]}],
            });
            if let Some(r) = reason {
                put(&mut p, "statusReason", r);
            }
            if !exts.is_empty() {
                put(&mut p, "extension", Value::Array(exts));
            }
            out.push(p);
            continue;
        }
        // A period: completed with its end, or active (still being given) without one.
        let mut period = json!({"start": start});
        if let Some(s) = stop {
            put(&mut period, "end", json!(s));
        }
        if stop.is_none() {
            // The reader reads an ongoing statement's last dose from the extension only.
            if let Some(l) = str_of(t, "last_dose") {
                if !exts.iter().any(|e| e["url"] == EXT_LAST_DOSE) {
                    exts.push(ext(EXT_LAST_DOSE, "valueDate", json!(l)));
                }
            }
        }
        let mut s = json!({
            "resourceType": "MedicationStatement", "id": id,
            "status": if stop.is_some() { "completed" } else { "active" },
            "medicationCodeableConcept": {"coding": [coding], "text": drug},
            "subject": subject(), "effectivePeriod": period,
        });
        if let Some(r) = reason {
            put(&mut s, "statusReason", json!([r]));
        }
        if let Some(d) = str_of(t, "dose_level") {
            put(&mut s, "dosage", json!([{"text": d}]));
        }
        if !exts.is_empty() {
            put(&mut s, "extension", Value::Array(exts));
        }
        out.push(s);
    }
    for (i, p) in list("progressions").iter().enumerate() {
        let date =
            p.as_str().ok_or_else(|| no_mapping(&format!("treatment_history.progressions[{i}]"), "not a date"))?;
        out.push(json!({
            "resourceType": "Observation", "id": format!("progression-{}", i + 1), "status": "final",
            "code": {"coding": [{"system": mapping::LOINC, "code": mapping::DISEASE_STATUS_CODE}]},
            "subject": subject(), "effectiveDateTime": date,
            "valueCodeableConcept": {"coding": [{"system": mapping::SNOMED, "code": mapping::DISEASE_WORSENED.0, "display": mapping::DISEASE_WORSENED.1}]},
        }));
    }
    for (i, t) in list("transplants").iter().enumerate() {
        let field = format!("treatment_history.transplants[{i}]");
        let date = str_of(t, "date").ok_or_else(|| no_mapping(&field, "a transplant without its date"))?;
        let allogeneic = t.get("allogeneic").and_then(Value::as_bool).unwrap_or(false);
        let row = mapping::PROCEDURE_CODES
            .iter()
            .find(|p| p.kind == ProcedureKind::Transplant { allogeneic })
            .ok_or_else(|| no_mapping(&field, "no transplant procedure code"))?;
        let mut p = json!({
            "resourceType": "Procedure", "id": format!("transplant-{}", i + 1), "status": "completed",
            "code": {"coding": [{"system": row.system, "code": row.code, "display": row.display}]},
            "subject": subject(), "performedDateTime": date,
        });
        if t.get("planned_tandem").and_then(Value::as_bool) == Some(true) {
            put(&mut p, "extension", json!([ext(EXT_PLANNED_TANDEM, "valueBoolean", json!(true))]));
        }
        out.push(p);
    }
    for (i, c) in list("car_t_courses").iter().enumerate() {
        out.push(car_t_course_to_fhir(c, i)?);
    }
    for (i, f) in list("stated_facts").iter().enumerate() {
        let field = format!("treatment_history.stated_facts[{i}]");
        let class = match str_of(f, "class") {
            Some(c) => Some(class_code(&format!("{field}.class"), c)?),
            None => None,
        };
        let (coding, mut exts) = match (str_of(f, "drug"), str_of(f, "class")) {
            (Some(d), c) => {
                let exts = c.map(|c| vec![ext(EXT_DRUG_CLASS, "valueCode", json!(c))]).unwrap_or_default();
                (drug_coding(d, class), exts)
            }
            (None, Some(c)) => (json!({"system": DRUG_CLASS_SYSTEM, "code": c}), Vec::new()),
            (None, None) => return Err(no_mapping(&field, "a stated fact needs its drug or class")),
        };
        if str_of(f, "fact") == Some("refractory") {
            exts.push(ext(EXT_STATED_FACT, "valueCode", json!("refractory")));
        }
        exts.push(ext(EXT_STATED_SOURCE, "valueString", f.get("source").cloned().unwrap_or(Value::Null)));
        // Undated: the reader makes an undated statement a stated fact.
        out.push(json!({
            "resourceType": "MedicationStatement", "id": format!("stated-{}", i + 1), "status": "completed",
            "medicationCodeableConcept": {"coding": [coding]},
            "subject": subject(), "extension": exts,
        }));
    }
    Ok((out, str_of(th, "as_of").map(str::to_string)))
}
