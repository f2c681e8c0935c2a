//! The output model: a plan for the current phase, with its basis.
//!
//! Built by [`crate::engine`], rendered by [`crate::output`] (text) and serde (JSON).

use serde::Serialize;

use crate::assess::diagnosis::Diagnosis;
use crate::assess::fitness::EligibilityAssessment;
use crate::assess::missing::{self, MissingField, MissingInput};
use crate::assess::response::ResponseAssessment;
use crate::assess::risk::RiskAssessment;
use crate::assess::staging::StagingSummary;
use crate::dosing::supportive::SupportiveCare;
use crate::dosing::ComponentDose;
use crate::guideline::Guideline;
use crate::kb::regimen::{StepUp, TrialEvidence};
use crate::kb::{Citation, Evidence, Profile, RankedPhase, RankingSetting};
use crate::pathway::PathwayState;
use crate::patient::Patient;
use crate::record::{MrdResult, Phase};

/// Version of the plan output's shape. 2: `basis.inputs` carries the history, the response
/// series and the MRD results that decided the phase and line (they were left out in 1).
pub const PLAN_SCHEMA_VERSION: &str = "2";

/// A recommended option.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RankedOption {
    /// 1 = first choice. Options that depend on an undetermined input share a rank and carry a
    /// `condition`.
    pub rank: u8,
    /// What to do: `start`, `continue`, `continuation` (the regimen's own studied continuation),
    /// `consolidate` (its post-transplant cycles), `transplant`, `extend_induction`, `maintenance`.
    pub action: &'static str,
    /// Knowledge-base regimen id.
    pub regimen_id: String,
    /// Regimen name.
    pub name: String,
    /// Cycle length and course, e.g. `14-day cycles, for 24 months`.
    pub course: String,
    /// One line per schedule component, with any dose adjustment applied.
    pub schedule: Vec<String>,
    /// Step-up dosing for the guideline's jurisdiction, where the regimen has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_up: Option<StepUp>,
    /// Why it is offered.
    pub rationale: Vec<String>,
    /// The condition under which it applies, where an input is undetermined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Dose adjustments and cautions specific to this patient.
    pub notes: Vec<String>,
    /// Trials behind it.
    pub evidence: Vec<TrialEvidence>,
    /// The weakest evidence level among its schedule lines.
    pub schedule_evidence: Evidence,
    /// The label indication the option rests on (relapse options), with its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<crate::kb::regimen::LabelIndication>,
    /// Citations.
    pub citations: Vec<Citation>,
    /// Each component's dose for this patient: the arithmetic, the rounding policy, label
    /// adjustments (label, jurisdiction, version) and what is missing to compute it.
    pub doses: Vec<ComponentDose>,
    /// Supportive care the option needs, where a cited source gives the rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supportive_care: Vec<SupportiveCare>,
    /// A CAR-T option's course: its ordered steps (apheresis, bridging if needed,
    /// lymphodepletion with this patient's doses, infusion, monitoring), each with its timing
    /// and citation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub car_t_course: Option<CarTCoursePlan>,
}

/// Where a CAR-T course stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarTStage {
    /// Offered, not started.
    NotStarted,
    /// Started (apheresis or lymphodepletion recorded), not yet infused.
    UnderWay,
    /// Infused, no progression since: monitoring and response assessment (never "continued").
    Infused,
}

/// Where one step stands for this patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarTStepStatus {
    /// Still to come.
    Planned,
    /// The next step.
    Next,
    /// Recorded as done (with its dates), or passed without a record (bridging, if needed).
    Done,
    /// Under way now (lymphodepletion started, not completed; monitoring after the infusion).
    Current,
}

/// One step of a CAR-T course for this patient.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CarTStepPlan {
    /// The step.
    pub step: crate::kb::regimen::CarTStepKind,
    /// Where it stands.
    pub status: CarTStepStatus,
    /// Its dates as recorded, or as computed from them (the infusion window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<String>,
    /// Given only if needed (bridging).
    pub if_needed: bool,
    /// Timing as the source gives it, or that no source read gives it.
    pub timing: String,
    /// The source's sentences and rules.
    pub text: Vec<String>,
    /// This patient's doses (lymphodepletion), or why they are not computed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doses: Vec<String>,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// A CAR-T course: the steps in order for the guideline's jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CarTCoursePlan {
    /// Knowledge-base regimen id.
    pub regimen_id: String,
    /// The CAR-T product.
    pub product: crate::record::Drug,
    /// The jurisdiction whose label the steps follow.
    pub jurisdiction: crate::kb::Jurisdiction,
    /// Where the course stands.
    pub stage: CarTStage,
    /// In words: what is done and what comes next.
    pub summary: String,
    /// The steps, in course order.
    pub steps: Vec<CarTStepPlan>,
}

/// An option considered and not offered, with why not.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Exclusion {
    /// Regimen id.
    pub regimen_id: String,
    /// Regimen name.
    pub name: String,
    /// Why not.
    pub reason: String,
    /// Citations.
    pub citations: Vec<Citation>,
}

/// A warning tied to a hazard.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Warning {
    /// Stable code, e.g. `lenalidomide_renal_dose`.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// The next decision point.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NextDecision {
    /// When.
    pub when: String,
    /// What to decide or do.
    pub action: String,
    /// Citations.
    pub citations: Vec<Citation>,
}

/// What would change the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Counterfactual {
    /// The change, e.g. `if t(4;14) were not detected`.
    pub change: String,
    /// The first option(s) it would give.
    pub first_options: Vec<String>,
    /// In words.
    pub effect: String,
}

/// The current position on the pathway.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Position {
    /// Phase.
    pub phase: Phase,
    /// Line of therapy.
    pub line: u8,
    /// In words.
    pub description: String,
    /// The full state replayed from the history.
    pub state: PathwayState,
}

/// MRD summary.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MrdSummary {
    /// Latest result.
    pub latest: Option<MrdResult>,
    /// Sustained MRD negativity: two negative marrow results ≥ 12 months apart with no positive
    /// in between (IMWG 2016).
    pub sustained_negative: bool,
    /// Months between the first and the last negative of the current negative run.
    pub negative_span_months: Option<u32>,
    /// Citation.
    pub citation: Citation,
}

/// Knowledge-base identity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct KbIdentity {
    /// Version.
    pub version: String,
    /// SHA-256 of the embedded JSON.
    pub sha256: String,
}

/// The basis of a result: everything needed to reproduce and check it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Basis {
    /// Version of this output's shape ([`PLAN_SCHEMA_VERSION`]); see CHANGELOG.md.
    pub plan_schema_version: &'static str,
    /// Library version.
    pub library_version: &'static str,
    /// Knowledge base.
    pub knowledge_base: KbIdentity,
    /// The guideline profile applied (every caller choice).
    pub guideline: Guideline,
    /// The knowledge-base ranking that ordered the options (absent when no ranking applied:
    /// an option continued, a transplant, no options).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranking: Option<RankingApplied>,
    /// The inputs as understood, after unit conversion.
    pub inputs: Patient,
}

/// Which knowledge-base ranking produced the order of the options.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RankingApplied {
    /// The profile (`guideline.profile`).
    pub profile: Profile,
    /// The phase ranked.
    pub phase: RankedPhase,
    /// The setting ranked.
    pub setting: RankingSetting,
    /// What the order follows, in words (the guideline and its version).
    pub basis: String,
    /// Citation keys of the order's source.
    pub citations: Vec<String>,
}

/// A plan for the current phase.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Plan {
    /// Where the patient is.
    pub position: Position,
    /// Options, best first.
    pub options: Vec<RankedOption>,
    /// Options considered and not offered.
    pub excluded: Vec<Exclusion>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Inputs that were missing, each with the test that would supply it.
    pub missing_inputs: Vec<MissingInput>,
    /// The next decision point.
    pub next_decision: NextDecision,
    /// IMWG 2014 diagnosis from the record's diagnostic findings.
    pub diagnosis: Diagnosis,
    /// Transplant eligibility with its reasons.
    pub transplant_eligibility: EligibilityAssessment,
    /// Cytogenetic risk under the guideline's definition.
    pub risk: RiskAssessment,
    /// ISS, R-ISS, R2-ISS.
    pub staging: StagingSummary,
    /// IMWG response over the record's `response_assessments` (absent when there are none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseAssessment>,
    /// MRD.
    pub mrd: MrdSummary,
    /// What would change the first option.
    pub counterfactuals: Vec<Counterfactual>,
    /// Lines, exposure and refractoriness derived from the record's dated `treatment_history`
    /// (absent when it has none), with the derivation in sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treatment_history: Option<crate::history::Derived>,
    /// The CAR-T course under way or given (absent when none): its steps with their dates and
    /// what comes next. A CAR-T is a course, never "continued".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub car_t_course: Option<CarTCoursePlan>,
    /// Basis.
    pub basis: Basis,
}

impl Plan {
    /// The missing inputs grouped by field: each field once, with its test and the list of what
    /// it is needed for ([`Plan::missing_inputs`] has one entry per field and purpose). Additive:
    /// the plan JSON is unchanged.
    pub fn missing_inputs_by_field(&self) -> Vec<MissingField> {
        missing::by_field(&self.missing_inputs)
    }
}
