//! The dated treatment history (record field `treatment_history`): drug exposures with dates,
//! progressions, transplants, and facts stated by an outside record. Additive to the record: a
//! record without it reads as before. Derivation (lines, refractoriness) is `crate::history`'s job.

use serde::{Deserialize, Serialize};

use super::{Date, DrugClass};

/// Why a drug was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Progressive disease on the drug (the stop date is taken as a progression date).
    Progression,
    /// Toxicity (give `toxicity_grade`).
    Toxicity,
    /// The planned course was completed.
    Completion,
    /// Patient's or physician's choice.
    Choice,
}

/// What a drug was given for. Only anti-myeloma therapy counts towards lines, exposure and
/// refractoriness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TherapyRole {
    /// Anti-myeloma therapy (the default).
    #[default]
    AntiMyeloma,
    /// Lymphodepletion before CAR-T (fludarabine, cyclophosphamide): not a line, never refractory.
    Lymphodepletion,
    /// High-dose conditioning before a transplant (melphalan 200): part of the transplant.
    Conditioning,
}

/// One drug given over a period.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TherapyExposure {
    /// Drug: a library drug id (`lenalidomide`, `daratumumab_sc`…) or any other name
    /// (`venetoclax`, a trial drug); other names count by `class` when it is given. A library
    /// drug written another way (capitals, spaces, its INN, a brand, an FDA suffix, a near
    /// misspelling: `Lenalidomide`, `daratumumab`, `Revlimid`, `teclistamab-cqyv`) is refused
    /// with the id to write, unless `class` is given.
    pub drug: String,
    /// Class of a drug the library does not know (ignored for known drugs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<DrugClass>,
    /// First dose.
    pub start: Date,
    /// Date stopped; absent = still being given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Date>,
    /// Last dose given (defaults to `stop`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_dose: Option<Date>,
    /// Why it was stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_stopped: Option<StopReason>,
    /// CTCAE grade of the toxicity that stopped it (1–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toxicity_grade: Option<u8>,
    /// Dose level in words (e.g. "10 mg D1–21"), for the reader only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_level: Option<String>,
    /// What it was given for.
    #[serde(default)]
    pub role: TherapyRole,
    /// A planned part of the programme already running (consolidation, maintenance after a
    /// transplant): IMWG 2015 counts a planned sequence as one line.
    #[serde(default)]
    pub planned_continuation: bool,
}

/// A transplant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransplantRecord {
    /// Date of the stem-cell infusion.
    pub date: Date,
    /// Allogeneic (default autologous).
    #[serde(default)]
    pub allogeneic: bool,
    /// The second transplant of a planned tandem.
    #[serde(default)]
    pub planned_tandem: bool,
}

/// A fact stated by an outside record ("refractory to lenalidomide"), with its source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatedFact {
    /// What is stated.
    pub fact: StatedKind,
    /// The drug (library id or other name; a library drug written another way is refused, as
    /// in `therapies`), or absent when `class` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drug: Option<String>,
    /// The class, when the statement is about a class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<DrugClass>,
    /// Where the statement comes from (letter, registry, referral).
    pub source: String,
}

/// Kinds of stated fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatedKind {
    /// Exposed to the drug or class.
    Exposed,
    /// Disease refractory to the drug or class.
    Refractory,
}

/// A CAR-T course as its steps were dated (apheresis, lymphodepletion, infusion). Each date is
/// optional: a course recorded at apheresis has only that date. Bridging therapy is recorded as
/// ordinary `therapies`; the infusion may also be recorded as a `therapies` entry of the CAR-T
/// product (either is enough).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarTCourseRecord {
    /// The CAR-T product: a library drug id (`ciltacabtagene_autoleucel`,
    /// `idecabtagene_vicleucel`).
    pub product: String,
    /// Date of the leukapheresis (T-cell collection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apheresis: Option<Date>,
    /// First day of the lymphodepleting chemotherapy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lymphodepletion_start: Option<Date>,
    /// Last day of the lymphodepleting chemotherapy (its completion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lymphodepletion_end: Option<Date>,
    /// Date of the CAR-T infusion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infusion: Option<Date>,
}

/// The dated treatment history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatmentHistory {
    /// Drug exposures, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub therapies: Vec<TherapyExposure>,
    /// Dates of progressive disease (IMWG), in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progressions: Vec<Date>,
    /// Transplants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transplants: Vec<TransplantRecord>,
    /// Facts stated by outside records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stated_facts: Vec<StatedFact>,
    /// CAR-T courses with their dated steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub car_t_courses: Vec<CarTCourseRecord>,
    /// Date the history is read at (defaults to the latest date in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}
