//! CDS Hooks (2.0): the discovery document and the `patient-view` service, as pure functions
//! from request JSON to response JSON. The HTTP server lives in `mmpath serve`.
//!
//! The service reads the patient from the request's `prefetch` (each entry a `Bundle` or a
//! single resource); it does not call back to the EHR's FHIR server.

use jiff::civil::Date;
use myeloma_pathway::{Error, Guideline, Patient};
use serde_json::{json, Value};

use crate::read::{bundle_resources, read_bundle_value, ImportReport};

/// The id of the patient-view service (`POST /cds-services/<id>`).
pub const SERVICE_ID: &str = "myeloma-pathway-patient-view";
/// CDS Hooks limits a card summary to 140 characters.
pub const SUMMARY_MAX_CHARS: usize = 140;

/// The discovery document (`GET /cds-services`).
pub fn discovery() -> Value {
    json!({
        "services": [{
            "hook": "patient-view",
            "id": SERVICE_ID,
            "title": "Multiple myeloma treatment pathway",
            "description": "Where the patient is on the myeloma pathway, the first options with their basis, warnings and missing inputs (decision support, not a medical device).",
            "prefetch": {
                "patient": "Patient/{{context.patientId}}",
                "observations": "Observation?patient={{context.patientId}}",
                "conditions": "Condition?patient={{context.patientId}}",
            },
        }]
    })
}

/// A hook request's prefetch gathered into one `Bundle`; a `Bundle` given as the request is
/// returned as it is.
///
/// # Errors
/// [`Error::InvalidJson`] / [`Error::MissingField`] naming the request key that is wrong.
pub fn request_bundle(request: &Value) -> Result<Value, Error> {
    let obj = request.as_object().ok_or_else(|| invalid(".", "a CDS Hooks request must be a JSON object"))?;
    if obj.get("resourceType").and_then(Value::as_str) == Some("Bundle") {
        return Ok(request.clone());
    }
    match obj.get("hook").and_then(Value::as_str) {
        Some("patient-view") => {}
        Some(h) => return Err(invalid("hook", format!("`{h}`: this service answers patient-view"))),
        None => {
            return Err(Error::MissingField {
                field: "hook".into(),
                message: "the CDS Hooks request names its hook".into(),
            })
        }
    }
    if obj.get("hookInstance").and_then(Value::as_str).is_none() {
        return Err(Error::MissingField {
            field: "hookInstance".into(),
            message: "a CDS Hooks request carries a hookInstance".into(),
        });
    }
    if !obj.get("context").is_some_and(Value::is_object) {
        return Err(Error::MissingField {
            field: "context".into(),
            message: "a CDS Hooks request carries a context object".into(),
        });
    }
    let prefetch = obj.get("prefetch").and_then(Value::as_object).ok_or_else(|| Error::MissingField {
        field: "prefetch".into(),
        message: "this service reads the patient from prefetch (Patient, Observation and Condition resources or Bundles); it does not query the FHIR server".into(),
    })?;
    let mut entries = Vec::new();
    for (key, v) in prefetch {
        match v {
            Value::Null => {}
            Value::Object(r) if r.get("resourceType").and_then(Value::as_str) == Some("Bundle") => {
                for (_, res) in bundle_resources(v)? {
                    entries.push(json!({"resource": res}));
                }
            }
            Value::Object(r) if r.get("resourceType").is_some_and(Value::is_string) => {
                entries.push(json!({"resource": r}))
            }
            _ => return Err(invalid(&format!("prefetch.{key}"), "expected a FHIR resource, a Bundle or null")),
        }
    }
    Ok(json!({"resourceType": "Bundle", "type": "collection", "entry": entries}))
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::InvalidJson { field: field.to_string(), message: message.into() }
}

/// The plan (JSON value) for a hook request or a `Bundle`, with the import report.
///
/// # Errors
/// Request, FHIR import and record errors.
pub fn plan_for_request(
    request: &Value,
    reference_date: Date,
    guideline: &Guideline,
) -> Result<(Value, ImportReport), Error> {
    let bundle = request_bundle(request)?;
    let import = read_bundle_value(&bundle, reference_date)?;
    let patient = Patient::from_json(&import.record.to_json())?;
    let plan = myeloma_pathway::recommend(&patient, guideline)?.to_json();
    let plan: Value = serde_json::from_str(&plan).map_err(|e| invalid("plan", e.to_string()))?;
    Ok((plan, import.report))
}

fn summary(text: &str) -> String {
    if text.chars().count() <= SUMMARY_MAX_CHARS {
        return text.to_string();
    }
    let mut t: String = text.chars().take(SUMMARY_MAX_CHARS - 1).collect();
    t.push('…');
    t
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The cards of the patient-view service for a request: the position and first options (with
/// a link to the full plan at `plan_url`), the warnings, the missing inputs and the resources
/// not read.
///
/// # Errors
/// As [`plan_for_request`].
pub fn patient_view(
    request: &Value,
    reference_date: Date,
    guideline: &Guideline,
    plan_url: &str,
) -> Result<Value, Error> {
    let (plan, report) = plan_for_request(request, reference_date, guideline)?;
    Ok(cards(&plan, &report, plan_url))
}

/// The cards for a plan and its import report.
pub fn cards(plan: &Value, report: &ImportReport, plan_url: &str) -> Value {
    let basis = plan.get("basis").cloned().unwrap_or(Value::Null);
    let kb = basis.get("knowledge_base").cloned().unwrap_or(Value::Null);
    let source = json!({
        "label": format!(
            "myeloma-pathway {} (knowledge base {}, sha256 {})",
            s(&basis, "library_version"),
            s(&kb, "version"),
            s(&kb, "sha256").get(..12).unwrap_or("")
        ),
    });
    let position = plan.get("position").cloned().unwrap_or(Value::Null);
    let options = arr(plan, "options");
    let first: Vec<&Value> = options.iter().filter(|o| o.get("rank").and_then(Value::as_u64) == Some(1)).collect();
    let mut detail = String::new();
    if first.is_empty() {
        detail.push_str("No option is offered now.\n");
    }
    for o in &first {
        detail.push_str(&format!(
            "- **{}** ({}): {}\n",
            s(o, "name"),
            s(o, "action"),
            arr(o, "rationale").iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; ")
        ));
    }
    let others = options.len() - first.len();
    if others > 0 {
        detail.push_str(&format!("\n{others} further option(s) in the full plan.\n"));
    }
    if let Some(n) = plan.get("next_decision") {
        detail.push_str(&format!("\nNext decision ({}): {}\n", s(n, "when"), s(n, "action")));
    }
    detail.push_str(
        "\nDecision support, not a medical device: check every option against the cited sources and current labels.",
    );
    let names: Vec<&str> = first.iter().map(|o| s(o, "name")).collect();
    let mut cards = vec![json!({
        "summary": summary(&format!("Myeloma pathway: {}; first option: {}", s(&position, "description"), if names.is_empty() { "none".to_string() } else { names.join(" or ") })),
        "indicator": "info",
        "detail": detail,
        "source": source,
        "links": [{"label": "Full plan (POST the same request body)", "url": plan_url, "type": "absolute"}],
    })];
    let warnings = arr(plan, "warnings");
    if !warnings.is_empty() {
        let lines: Vec<String> =
            warnings.iter().map(|w| format!("- {} (`{}`)", s(w, "message"), s(w, "code"))).collect();
        cards.push(json!({
            "summary": summary(&format!("{} warning(s): {}", warnings.len(), warnings.first().map(|w| s(w, "message")).unwrap_or(""))),
            "indicator": "warning",
            "detail": lines.join("\n"),
            "source": source,
        }));
    }
    let missing = arr(plan, "missing_inputs");
    if !missing.is_empty() {
        let mut fields: Vec<&str> = Vec::new();
        for m in missing {
            if !fields.contains(&s(m, "field")) {
                fields.push(s(m, "field"));
            }
        }
        let lines: Vec<String> = missing
            .iter()
            .map(|m| format!("- `{}`: {} (needed for {})", s(m, "field"), s(m, "test"), s(m, "needed_for")))
            .collect();
        cards.push(json!({
            "summary": summary(&format!("Missing inputs: {}", fields.join(", "))),
            "indicator": "info",
            "detail": lines.join("\n"),
            "source": source,
        }));
    }
    if !report.ignored.is_empty() {
        let lines: Vec<String> = report
            .ignored
            .iter()
            .map(|i| {
                format!(
                    "- {}/{} {}: {}",
                    i.resource_type,
                    i.id.as_deref().unwrap_or("-"),
                    i.code.as_deref().unwrap_or(""),
                    i.reason
                )
            })
            .collect();
        cards.push(json!({
            "summary": summary(&format!("{} FHIR resource(s) or part(s) not read", report.ignored.len())),
            "indicator": "info",
            "detail": lines.join("\n"),
            "source": source,
        }));
    }
    json!({"cards": cards})
}
