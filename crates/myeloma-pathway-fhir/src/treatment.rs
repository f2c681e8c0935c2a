//! Treatment history in: `MedicationAdministration` / `MedicationStatement` (RxNorm, ATC) and
//! `Procedure` (transplant, CAR-T infusion) read into the record's dated `treatment_history`.
//!
//! No clinical logic: every resource becomes one dated exposure (or transplant) as the EHR
//! recorded it; the core derives lines and refractoriness from them (`docs/relapse.md`). Several
//! administrations of one drug are several exposures: the core counts a restart without a
//! progression in between as the same line, so no gap between doses is guessed to be a "course".

use myeloma_pathway::Error;
use serde_json::{json, Map, Value};

use crate::mapping::{
    self, MedicationCode, ProcedureKind, ADMINISTRATION_STATUSES, EXT_THERAPY_ROLE, PROCEDURE_STATUSES,
    STATEMENT_STATUSES,
};

/// What one treatment resource gave.
pub(crate) enum Outcome {
    /// A drug exposure (`treatment_history.therapies[]`), its code and the date text read.
    Therapy { exposure: Value, code: String, effective: String },
    /// A transplant (`treatment_history.transplants[]`).
    Transplant { transplant: Value, code: String, effective: String },
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

/// The medication row of a concept: RxNorm before ATC (RxNorm tells IV from SC daratumumab);
/// two codings naming different drugs are refused.
fn medication_of(name: &str, concept: Option<&Value>) -> Result<Option<(&'static MedicationCode, String)>, Error> {
    let mut found: Vec<(&'static MedicationCode, String)> =
        codings(concept).filter_map(|(s, c)| mapping::medication(s, c).map(|m| (m, format!("{s}|{c}")))).collect();
    found.sort_by_key(|(m, _)| m.system != mapping::RXNORM);
    let Some((m, code)) = found.first().cloned() else { return Ok(None) };
    for (other, other_code) in found.iter().skip(1) {
        let same = other.drug == m.drug
            || (other.class.is_some() && myeloma_pathway::Drug::from_id(m.drug).map(|d| d.class()) == other.class);
        if !same {
            return Err(Error::Inconsistent {
                field: format!("{name}.medicationCodeableConcept"),
                message: format!("{code} is {} but {other_code} is {}", m.drug, other.drug),
            });
        }
    }
    Ok(Some((m, code)))
}

/// A FHIR `date` / `dateTime` as the record's `YYYY-MM-DD`: the calendar date as written (a
/// date-time is checked in full, then its date part is used, in the EHR's own offset); a partial
/// date is refused, never guessed.
fn day(field: &str, v: &Value) -> Result<(String, String), Error> {
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
    m: &MedicationCode,
    start: &str,
    stop: Option<&str>,
    last_dose: Option<&str>,
    role: Option<String>,
) -> Value {
    let mut e = Map::new();
    e.insert("drug".into(), json!(m.drug));
    if let Some(c) = m.class {
        e.insert("class".into(), json!(c));
    }
    e.insert("start".into(), json!(start));
    if let Some(s) = stop {
        e.insert("stop".into(), json!(s));
    }
    if let Some(l) = last_dose {
        e.insert("last_dose".into(), json!(l));
    }
    if let Some(r) = role {
        e.insert("role".into(), json!(r));
    }
    Value::Object(e)
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
    let role = role(name, r)?;
    let Some((start, end, text)) = span(name, r, "effective")? else {
        if statement {
            // Unknown is not negative, and not a date either: the drug was taken, when is not said.
            let mut fact = Map::new();
            fact.insert("fact".into(), json!("exposed"));
            fact.insert("drug".into(), json!(m.drug));
            if let Some(c) = m.class {
                fact.insert("class".into(), json!(c));
            }
            fact.insert("source".into(), json!(format!("{name} (undated)")));
            let fact = Value::Object(fact);
            return Ok(Outcome::StatedExposure { fact, code });
        }
        return Err(Error::MissingField {
            field: format!("{name}.effective[x]"),
            message: format!("{code}: an administration needs its date (effectiveDateTime or effectivePeriod)"),
        });
    };
    let ongoing = matches!(status, "active" | "on-hold" | "in-progress");
    let e = match (end, ongoing) {
        // A single administration: given on that day (in progress: still being given).
        (Some(end), false) => exposure(m, &start, Some(&end), None, role),
        (Some(end), true) if !statement => exposure(m, &start, None, Some(&end), role),
        (Some(end), true) => {
            return Err(Error::Inconsistent {
                field: format!("{name}.status"),
                message: format!("status `{status}` but the period ends on {end}: is it still being given?"),
            })
        }
        (None, true) => exposure(m, &start, None, None, role),
        (None, false) if !statement => exposure(m, &start, Some(&start), None, role),
        (None, false) => {
            return Err(Error::MissingField {
                field: format!("{name}.effectivePeriod.end"),
                message: format!("status `{status}` needs the date it was stopped"),
            })
        }
    };
    Ok(Outcome::Therapy { exposure: e, code, effective: text })
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
            let t = Value::Object(t);
            Ok(Outcome::Transplant { transplant: t, code, effective: text })
        }
        ProcedureKind::CarTInfusion => {
            let used = r.get("usedCode").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let mut product = None;
            for (i, u) in used.iter().enumerate() {
                if let Some((m, _)) = medication_of(&format!("{name}.usedCode[{i}]"), Some(u))? {
                    let is_car_t = myeloma_pathway::Drug::from_id(m.drug)
                        .is_some_and(|d| d.class() == myeloma_pathway::DrugClass::BcmaCarT);
                    if is_car_t {
                        product = Some(m);
                    }
                }
            }
            match product {
                Some(m) => Ok(Outcome::Therapy { exposure: exposure(m, &date, Some(&date), None, None), code, effective: text }),
                None => Ok(Outcome::Ignored {
                    code: Some(code),
                    reason: "CAR-T infusion without a known product in usedCode (ATC L01XL05 cilta-cel, L01XL07 ide-cel): the record needs the product".into(),
                }),
            }
        }
    }
}
