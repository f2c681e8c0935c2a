//! JSON in, JSON out: the one entry point every front end (CLI, Python, C) calls, so the same
//! input gives the same bytes everywhere.
//!
//! Each function takes the patient record as JSON and an optional guideline as JSON (`None` or
//! an empty string = the default guideline), and returns the result as compact JSON.

use serde::Serialize;

use crate::assess::{diagnosis, fitness, risk, staging};
use crate::engine;
use crate::error::Result;
use crate::guideline::Guideline;
use crate::kb::KnowledgeBase;
use crate::patient::Patient;
use crate::plan::KbIdentity;

/// The assessments a front end can ask for by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assessment {
    /// The full plan ([`engine::recommend`]).
    Plan,
    /// ISS, R-ISS and R2-ISS.
    Stage,
    /// Cytogenetic risk under the guideline's definition.
    Risk,
    /// Cytogenetic risk under every definition, side by side.
    RiskCompare,
    /// Transplant eligibility, frailty and creatinine clearance.
    Eligibility,
    /// IMWG 2014 diagnosis (myeloma, smouldering, MGUS, solitary plasmacytoma) with 20/2/20 risk.
    Diagnose,
    /// IMWG 2016 response over the time series, with MRD.
    Response,
}

impl Assessment {
    /// Every assessment with its name.
    pub const ALL: [(Assessment, &'static str); 7] = [
        (Assessment::Plan, "plan"),
        (Assessment::Stage, "stage"),
        (Assessment::Risk, "risk"),
        (Assessment::RiskCompare, "risk-compare"),
        (Assessment::Eligibility, "eligibility"),
        (Assessment::Diagnose, "diagnose"),
        (Assessment::Response, "response"),
    ];

    /// Look up by name.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == s).map(|(a, _)| *a)
    }
}

/// An assessment's result with the basis it rests on (every assessment but the plan, whose
/// basis is richer: [`crate::plan::Basis`]).
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}WithBasis")]
pub(crate) struct WithBasis<T: Serialize> {
    #[serde(flatten)]
    pub(crate) result: T,
    /// What the result rests on.
    pub(crate) basis: MiniBasis,
}

/// What an assessment rests on: library and knowledge-base identity and the guideline applied.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct MiniBasis {
    /// Version of the Rust core.
    library_version: &'static str,
    /// The knowledge base decided with.
    knowledge_base: KbIdentity,
    /// The guideline profile applied, every key present.
    guideline: Guideline,
}

/// Transplant eligibility, both frailty scores and creatinine clearance.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "EligibilitySummary")]
pub(crate) struct EligibilityOut {
    /// Transplant eligibility with its reasons.
    transplant_eligibility: fitness::EligibilityAssessment,
    /// The IMWG frailty score.
    imwg_frailty: fitness::FrailtyScore,
    /// The simplified frailty score.
    simplified_frailty: fitness::FrailtyScore,
    /// Creatinine clearance, when it can be obtained.
    creatinine_clearance: Option<fitness::CreatinineClearance>,
    /// What is missing for creatinine clearance (empty when it was obtained).
    creatinine_clearance_missing: Vec<crate::assess::missing::MissingInput>,
}

/// The knowledge-base summary (`mmpath kb`): library version and the knowledge base's identity.
/// Keys in alphabetical order (the bytes every front end gives).
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct KbSummary<'a> {
    /// Version of the Rust core.
    library_version: &'static str,
    /// SHA-256 of the knowledge base's JSON.
    sha256: &'a str,
    /// Version of the knowledge base.
    version: &'a str,
}

/// Parse the guideline argument: `None`/empty = default.
///
/// # Errors
/// Guideline parse or range errors.
pub fn guideline_from(json: Option<&str>) -> Result<Guideline> {
    match json.map(str::trim) {
        None | Some("") => Ok(Guideline::default()),
        Some(j) => Guideline::from_json(j),
    }
}

fn basis(kb: &KnowledgeBase, g: &Guideline) -> MiniBasis {
    MiniBasis {
        library_version: crate::LIBRARY_VERSION,
        knowledge_base: KbIdentity { version: kb.version().into(), sha256: kb.sha256().into() },
        guideline: g.clone(),
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    crate::output::json::to_string(v, 8 * 1024)
}

/// Run an assessment on a patient given as JSON.
///
/// # Errors
/// Any input error, naming the field.
pub fn run_json(what: Assessment, patient_json: &str, guideline_json: Option<&str>) -> Result<String> {
    run_json_with(KnowledgeBase::embedded(), what, patient_json, guideline_json)
}

/// [`run_json`] with a knowledge base the caller passes in.
///
/// # Errors
/// Any input error, naming the field.
pub fn run_json_with(
    kb: &KnowledgeBase,
    what: Assessment,
    patient_json: &str,
    guideline_json: Option<&str>,
) -> Result<String> {
    let run = || {
        let g = guideline_from(guideline_json)?;
        let p = Patient::from_json(patient_json)?;
        run_with(kb, what, &p, &g)
    };
    // Every front end reads errors from here: none echoes more than a short prefix of the input.
    run().map_err(crate::Error::bounded)
}

/// Run an assessment on a validated patient.
///
/// # Errors
/// History-replay refusals (for the plan); invalid values in a hand-built [`Patient`] (response).
pub fn run(what: Assessment, p: &Patient, g: &Guideline) -> Result<String> {
    run_with(KnowledgeBase::embedded(), what, p, g)
}

/// [`run`] with a knowledge base the caller passes in.
///
/// # Errors
/// As [`run`].
pub fn run_with(kb: &KnowledgeBase, what: Assessment, p: &Patient, g: &Guideline) -> Result<String> {
    Ok(match what {
        Assessment::Plan => engine::recommend_with(kb, p, g)?.to_json(),
        Assessment::Stage => to_json(&WithBasis { result: staging::stage_all(kb, p), basis: basis(kb, g) }),
        Assessment::Diagnose => to_json(&WithBasis { result: diagnosis::diagnose_with(kb, p, g), basis: basis(kb, g) }),
        Assessment::Response => {
            let criteria = crate::assess::response::ResponseCriteria {
                version: g.response_criteria_version(),
                ..Default::default()
            };
            let result = crate::assess::response::assess_response_with(kb, p, &criteria)?;
            to_json(&WithBasis { result, basis: basis(kb, g) })
        }
        Assessment::Risk => {
            to_json(&WithBasis { result: risk::assess(kb, p, g.risk_definition, g.del17p_cutoff), basis: basis(kb, g) })
        }
        Assessment::RiskCompare => {
            to_json(&WithBasis { result: risk::compare(kb, p, g.del17p_cutoff), basis: basis(kb, g) })
        }
        Assessment::Eligibility => {
            let (cc, missing) = match fitness::creatinine_clearance(kb, p, g) {
                Ok(c) => (Some(c), vec![]),
                Err(m) => (None, m),
            };
            to_json(&WithBasis {
                result: EligibilityOut {
                    transplant_eligibility: fitness::transplant_eligibility(kb, p, g),
                    imwg_frailty: fitness::imwg_frailty(kb, p),
                    simplified_frailty: fitness::simplified_frailty(kb, p),
                    creatinine_clearance: cc,
                    creatinine_clearance_missing: missing,
                },
                basis: basis(kb, g),
            })
        }
    })
}

/// The error as JSON: `{"error": {"kind", "code", "field", "unit", "accepted_range", "message"}}`.
pub fn error_json(e: &crate::Error) -> String {
    serde_json::json!({
        "error": {
            "kind": e.kind(),
            "code": e.code(),
            "field": e.field(),
            "unit": e.unit(),
            "accepted_range": e.accepted_range(),
            "message": e.to_string(),
        }
    })
    .to_string()
}

/// Knowledge-base identity as JSON.
pub fn kb_identity_json() -> String {
    kb_identity_json_of(KnowledgeBase::embedded())
}

/// The identity of a given knowledge base as JSON.
pub fn kb_identity_json_of(kb: &KnowledgeBase) -> String {
    to_json(&KbSummary { library_version: crate::LIBRARY_VERSION, sha256: kb.sha256(), version: kb.version() })
}

/// The treatment calendar for a patient (docs/dosing.md): `regimen` (default: the plan's first
/// option) expanded day by day from `start` (`YYYY-MM-DD`, cycle 1 day 1) with this patient's
/// doses, in the course of the patient's setting as the plan offers it (VRd before transplant:
/// 3 cycles). `cycles` overrides the course length (needed for until-progression regimens;
/// 1–200). Every front end (CLI, Python, C) calls this.
///
/// # Errors
/// Invalid patient or history, no option and no regimen, unknown regimen, bad date or cycles;
/// a regimen the plan does not offer (`regimen`, [`crate::Error::Inconsistent`]): excluded for
/// this patient (the message names the exclusion's reason and citations) or not an option in
/// this phase.
pub fn calendar(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    regimen: Option<&str>,
    start: &str,
    cycles: Option<u16>,
) -> Result<crate::dosing::calendar::Calendar> {
    use crate::error::Error;
    let start: jiff::civil::Date =
        start.parse().map_err(|e| Error::invalid("start", format!("expected a date YYYY-MM-DD: {e}")))?;
    let plan = engine::recommend_with(kb, p, g)?;
    let id =
        match regimen {
            Some(id) => id.to_string(),
            None => plan.options.first().map(|o| o.regimen_id.clone()).ok_or_else(|| {
                Error::invalid("regimen", "the plan offers no regimen: give the regimen id to expand")
            })?,
        };
    let r = kb
        .regimen(&id)
        .ok_or_else(|| Error::invalid("regimen", format!("unknown regimen `{}`", crate::error::echo(&id))))?;
    if !plan.options.iter().any(|o| o.regimen_id == id) {
        return Err(not_offered(kb, p, g, &plan, r)?);
    }
    let setting =
        crate::dosing::calendar::setting_of(plan.position.phase, plan.position.state.transplant_eligibility());
    crate::dosing::calendar::expand_in(kb, p, g, r, Some(setting), start, cycles)
}

/// Why the calendar refuses a regimen the plan does not offer (docs/dosing.md, "Calendar"): the
/// plan's own exclusion of it, with its reason and citations; else the exclusion the plan's
/// rules give it for this patient now (a regimen of another phase containing a drug this patient
/// may not have: the same rules, `engine::hard_exclusions_of`); else "not an option for this
/// patient in this phase", with the options the plan offers. A pharmacist is never given a
/// calendar for a regimen the plan does not offer.
fn not_offered(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    plan: &crate::plan::Plan,
    r: &crate::kb::regimen::Regimen,
) -> Result<crate::error::Error> {
    use crate::error::Error;
    let mut excluded: Vec<crate::plan::Exclusion> =
        plan.excluded.iter().filter(|e| e.regimen_id == r.id).cloned().collect();
    if excluded.is_empty() {
        excluded = engine::hard_exclusions_of(kb, p, g, r)?;
    }
    let message = if excluded.is_empty() {
        let offered: Vec<&str> = plan.options.iter().map(|o| o.regimen_id.as_str()).collect();
        format!(
            "`{}` ({}) is not an option for this patient in this phase ({}): no calendar is laid out for a regimen \
             the plan does not offer; the plan offers {}",
            r.id,
            r.name,
            plan.position.phase.id(),
            if offered.is_empty() { "no regimen".to_string() } else { offered.join(", ") }
        )
    } else {
        // The citation keys first (a front end may cut a long message), their versions last.
        let mut cites: Vec<&crate::kb::Citation> = excluded.iter().flat_map(|e| &e.citations).collect();
        cites.dedup_by(|a, b| a.key == b.key);
        let keys: Vec<&str> = cites.iter().map(|c| c.key.as_str()).collect();
        let why: Vec<&str> = excluded.iter().map(|e| e.reason.as_str()).collect();
        let versions: Vec<String> = cites.iter().map(|c| format!("{} ({}, {})", c.key, c.version, c.section)).collect();
        format!(
            "`{}` ({}) is excluded for this patient [{}], so no calendar is laid out: {}; citations: {}",
            r.id,
            r.name,
            keys.join(", "),
            why.join("; "),
            versions.join("; ")
        )
    };
    Ok(Error::invalid("regimen", message))
}

/// [`calendar`] from JSON to JSON (the Python and C entry point).
///
/// # Errors
/// As [`calendar`], and guideline or patient parse errors.
pub fn calendar_json(
    kb: &KnowledgeBase,
    patient_json: &str,
    guideline_json: Option<&str>,
    regimen: Option<&str>,
    start: &str,
    cycles: Option<u16>,
) -> Result<String> {
    let g = guideline_from(guideline_json)?;
    let p = Patient::from_json(patient_json)?;
    Ok(calendar(kb, &p, &g, regimen, start, cycles)?.to_json())
}
