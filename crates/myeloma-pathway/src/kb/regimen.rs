//! Regimens as data: components with typed doses, days, cycle scope, cycle length, duration,
//! phases served, settings, and the evidence behind them. Loaded from the embedded knowledge base.

use serde::{Deserialize, Serialize};

use crate::kb::Evidence;
use crate::kb::Jurisdiction;
use crate::record::{Drug, Route};

/// Dose unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
pub enum DoseUnit {
    /// Flat dose, mg.
    #[serde(rename = "mg")]
    Mg,
    /// Per body-surface area, mg/m².
    #[serde(rename = "mg/m2")]
    MgPerM2,
    /// Per body weight, mg/kg.
    #[serde(rename = "mg/kg")]
    MgPerKg,
    /// CAR-positive viable T cells per kg.
    #[serde(rename = "cells/kg")]
    CellsPerKg,
    /// CAR-positive T cells, flat.
    #[serde(rename = "cells")]
    Cells,
}

impl DoseUnit {
    /// Display form.
    pub fn label(&self) -> &'static str {
        match self {
            DoseUnit::Mg => "mg",
            DoseUnit::MgPerM2 => "mg/m²",
            DoseUnit::MgPerKg => "mg/kg",
            DoseUnit::CellsPerKg => "cells/kg",
            DoseUnit::Cells => "cells",
        }
    }
}

/// A dose: an amount, or a range, with an optional absolute cap.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dose {
    /// Amount (the lower bound of a range).
    pub amount: f64,
    /// Upper bound of a labelled dose range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_to: Option<f64>,
    /// Unit.
    pub unit: DoseUnit,
    /// Absolute maximum per dose, in the unit's flat form (e.g. 1e8 cells for cilta-cel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_total: Option<f64>,
}

/// A day, or an inclusive range of days, within a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum DayItem {
    /// One day.
    Day(i16),
    /// Inclusive range.
    Range([i16; 2]),
}

/// Which cycles a component applies to (`to: None` means "and every later cycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CycleScope {
    /// First cycle (1-based).
    pub from: u16,
    /// Last cycle, inclusive; absent = onwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<u16>,
}

impl CycleScope {
    /// Whether `cycle` (1-based) is in scope.
    pub fn contains(&self, cycle: u16) -> bool {
        cycle >= self.from && self.to.is_none_or(|t| cycle <= t)
    }
    /// `C1`, `C2–4`, `C5+`.
    pub fn label(&self) -> String {
        match self.to {
            Some(t) if t == self.from => format!("C{}", self.from),
            Some(t) => format!("C{}–{}", self.from, t),
            None if self.from == 1 => "every cycle".to_string(),
            None => format!("C{}+", self.from),
        }
    }
}

/// One drug of a regimen, for one cycle scope.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// The drug.
    pub drug: Drug,
    /// The dose.
    pub dose: Dose,
    /// Route.
    pub route: Route,
    /// Days within the cycle.
    pub days: Vec<DayItem>,
    /// Cycles it applies to.
    pub cycles: CycleScope,
    /// How this schedule line was checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
    /// Dose notes (age reductions and the like), each with its source in the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// An age-based starting-dose reduction as the regimen's own source writes it (the comparator
    /// differs by regimen: `>75` for Rd, `≥75` for CANDOR/APOLLO; docs/evidence/dosing.md item 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_reduction: Option<AgeReduction>,
}

/// How an age cut-off is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeComparator {
    /// Age > years.
    OlderThan,
    /// Age ≥ years.
    AtLeast,
}

/// An age-based dose reduction written in a regimen's source.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeReduction {
    /// Comparator of the cut-off.
    pub comparator: AgeComparator,
    /// The cut-off, years.
    pub years: u16,
    /// The reduced dose, in the component's unit.
    pub amount: f64,
    /// First week (from the start of the regimen) it applies, where the source says so
    /// (CANDOR: from week 2); absent = from the first dose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_week: Option<u16>,
    /// The source's wording, e.g. `may be reduced`.
    pub wording: String,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

impl AgeReduction {
    /// Whether a patient of `age` years is in the reduced group.
    pub fn applies_to(&self, age: u16) -> bool {
        match self.comparator {
            AgeComparator::OlderThan => age > self.years,
            AgeComparator::AtLeast => age >= self.years,
        }
    }
    /// `> 75` / `≥ 75`.
    pub fn cutoff_label(&self) -> String {
        match self.comparator {
            AgeComparator::OlderThan => format!("> {}", self.years),
            AgeComparator::AtLeast => format!("≥ {}", self.years),
        }
    }
}

impl Component {
    /// `D1, 4, 8, 11` / `D1–21`.
    pub fn days_label(&self) -> String {
        let parts: Vec<String> = self
            .days
            .iter()
            .map(|d| match d {
                DayItem::Day(x) => x.to_string(),
                DayItem::Range([a, b]) => format!("{a}–{b}"),
            })
            .collect();
        format!("D{}", parts.join(", "))
    }

    /// Expanded day numbers.
    pub fn day_numbers(&self) -> Vec<i16> {
        let mut v = Vec::new();
        for d in &self.days {
            match *d {
                DayItem::Day(x) => v.push(x),
                DayItem::Range([a, b]) => v.extend(a..=b),
            }
        }
        v
    }

    /// One line: `bortezomib 1.3 mg/m² SC D1, 4, 8, 11 (every cycle)`.
    pub fn summary(&self) -> String {
        let amount = match self.dose.amount_to {
            Some(t) => format!("{}–{}", fmt_amount(self.dose.amount), fmt_amount(t)),
            None => fmt_amount(self.dose.amount),
        };
        format!(
            "{} {} {} {} {} ({})",
            self.drug.name(),
            amount,
            self.dose.unit.label(),
            self.route.label(),
            self.days_label(),
            self.cycles.label()
        )
    }
}

fn fmt_amount(v: f64) -> String {
    if v >= 1e5 {
        format!("{v:e}")
    } else {
        let s = format!("{v}");
        s
    }
}

/// How long a regimen runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Duration {
    /// A fixed number of cycles.
    Cycles {
        /// How many.
        count: u16,
    },
    /// Until progression or unacceptable toxicity.
    UntilProgression,
    /// A fixed time.
    Months {
        /// How many months.
        count: u16,
    },
    /// One administration (transplant, CAR-T infusion).
    Single,
}

/// A phase a regimen serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    /// Induction of newly diagnosed myeloma.
    Induction,
    /// Consolidation (transplant).
    Consolidation,
    /// Maintenance.
    Maintenance,
    /// Relapsed/refractory line.
    Relapse,
    /// Treatment of high-risk smouldering myeloma (AQUILA, E3A06).
    Smouldering,
}

/// The transplant setting a regimen was studied in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Transplant-eligible.
    TransplantEligible,
    /// Transplant-ineligible (or transplant deferred).
    TransplantIneligible,
    /// Relapsed/refractory.
    Relapsed,
    /// Smouldering myeloma (no myeloma-defining event).
    Smouldering,
}

/// Which cytogenetic risk a maintenance regimen is chosen for (article, Phase 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskFit {
    /// Standard risk.
    Standard,
    /// High risk.
    High,
    /// Either.
    Any,
}

/// A trial or label result supporting a regimen.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialEvidence {
    /// Trial name.
    pub trial: String,
    /// Population.
    pub population: String,
    /// Headline result.
    pub result: String,
    /// Citation key.
    pub citation: String,
}

/// Step-up dosing for one jurisdiction.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepUp {
    /// Jurisdiction whose label this is.
    pub jurisdiction: Jurisdiction,
    /// Doses in order: day and dose.
    pub doses: Vec<StepDose>,
    /// Monitoring (hospitalisation) per the label.
    pub monitoring: String,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// One step-up dose.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDose {
    /// Day (from the first step-up dose = day 1).
    pub day: u16,
    /// Dose.
    pub dose: Dose,
    /// What the step is.
    pub label: String,
}

/// A step of a CAR-T course, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarTStepKind {
    /// Leukapheresis: the patient's T cells are collected for manufacture.
    Apheresis,
    /// Bridging therapy while the product is made, if needed.
    Bridging,
    /// Lymphodepleting chemotherapy (cyclophosphamide + fludarabine).
    Lymphodepletion,
    /// The CAR-T infusion.
    Infusion,
    /// Monitoring after the infusion, then response assessment.
    Monitoring,
}

impl CarTStepKind {
    /// Every step, in course order.
    pub const ALL: [CarTStepKind; 5] = [
        CarTStepKind::Apheresis,
        CarTStepKind::Bridging,
        CarTStepKind::Lymphodepletion,
        CarTStepKind::Infusion,
        CarTStepKind::Monitoring,
    ];

    /// Stable identifier.
    pub fn id(&self) -> &'static str {
        match self {
            CarTStepKind::Apheresis => "apheresis",
            CarTStepKind::Bridging => "bridging",
            CarTStepKind::Lymphodepletion => "lymphodepletion",
            CarTStepKind::Infusion => "infusion",
            CarTStepKind::Monitoring => "monitoring",
        }
    }
}

/// The date an infusion window is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LymphodepletionAnchor {
    /// The first lymphodepletion day ("5 to 7 days after the start").
    Start,
    /// The last lymphodepletion day ("2 to 4 days after the completion").
    End,
}

/// The infusion window a label gives, in calendar days after a lymphodepletion date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfusionWindow {
    /// Counted from the first or the last lymphodepletion day.
    pub after: LymphodepletionAnchor,
    /// First day of the window (days after the anchor).
    pub from_days: u16,
    /// Last day of the window (days after the anchor).
    pub to_days: u16,
}

/// One step of a CAR-T course as the sources read give it, for one jurisdiction or both.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarTStep {
    /// Which step.
    pub step: CarTStepKind,
    /// The jurisdiction whose label the step's text is from; absent = both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Jurisdiction>,
    /// Given only if needed (bridging).
    #[serde(default)]
    pub if_needed: bool,
    /// Timing as the source gives it, or that no source read gives it.
    pub timing: String,
    /// The infusion window (infusion step), where a label read gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<InfusionWindow>,
    /// The source sentences and rules, each with its source in the text.
    pub text: Vec<String>,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// A timing rule of a CAR-T course with a number the engine checks against the dated history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarTRuleKind {
    /// Consider repeating lymphodepletion when the infusion has not followed within `days` of
    /// the last lymphodepletion day (Carvykti US §2.2: "delayed by more than 14 days").
    RepeatLymphodepletionAfter,
    /// The infusion may be delayed up to `days` beyond its window (Abecma US §2.2).
    InfusionDelayUpTo,
}

/// A checked timing rule, for one jurisdiction.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarTRule {
    /// Which rule.
    pub rule: CarTRuleKind,
    /// Jurisdiction whose label gives it.
    pub jurisdiction: Jurisdiction,
    /// The number of days.
    pub days: u16,
    /// The label's words.
    pub wording: String,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// A CAR-T course: ordered steps, each with its citation, and the timing rules read.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarTCourse {
    /// The steps, in course order; each step once per jurisdiction (a step without a
    /// jurisdiction serves both).
    pub steps: Vec<CarTStep>,
    /// Timing rules the dated history is checked against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CarTRule>,
}

impl CarTCourse {
    /// The steps for a jurisdiction, in course order.
    pub fn steps_for(&self, j: Jurisdiction) -> Vec<&CarTStep> {
        let mut v: Vec<&CarTStep> = self.steps.iter().filter(|s| s.jurisdiction.is_none_or(|x| x == j)).collect();
        v.sort_by_key(|s| s.step);
        v
    }

    /// A rule for a jurisdiction.
    pub fn rule(&self, kind: CarTRuleKind, j: Jurisdiction) -> Option<&CarTRule> {
        self.rules.iter().find(|r| r.rule == kind && r.jurisdiction == j)
    }

    /// Every step kind exactly once for each jurisdiction; `Err` names the first gap or
    /// duplicate.
    pub fn check(&self) -> std::result::Result<(), String> {
        for j in [Jurisdiction::Us, Jurisdiction::Eu] {
            for k in CarTStepKind::ALL {
                let n = self.steps_for(j).iter().filter(|s| s.step == k).count();
                if n != 1 {
                    return Err(format!("step `{}` appears {n} times for {}", k.id(), j.id()));
                }
            }
        }
        Ok(())
    }
}

/// Entry conditions for a relapsed/refractory regimen (from its trial or label population).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RelapseCriteria {
    /// Fewest prior lines.
    pub min_prior_lines: u8,
    /// Most prior lines studied (trial population, evidence only: never an eligibility rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_prior_lines: Option<u8>,
    /// Exposure to PI, IMiD and anti-CD38 required.
    pub triple_class_exposed: bool,
    /// Drugs the patient must be refractory to (e.g. lenalidomide for CARTITUDE-4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refractory_to: Vec<Drug>,
    /// Drugs the patient must have been exposed to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exposed_to: Vec<Drug>,
}

/// The course of a regimen as studied in one setting (pre-transplant induction,
/// transplant-ineligible continuous therapy), where it differs from the regimen's own schedule
/// (which is then the one used elsewhere, e.g. at relapse). Cited separately.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// The setting this course applies to.
    pub setting: Setting,
    /// Cycle length in this setting, days.
    pub cycle_length_days: u16,
    /// Duration in this setting (for a pre-transplant course: the cycles before the transplant).
    pub duration: Duration,
    /// The course in words (e.g. "3 cycles before ASCT, 2 after (DETERMINATION)").
    pub description: String,
    /// Components in this setting, where they differ from the regimen's (empty = the regimen's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// How the course was checked.
    pub evidence: Evidence,
    /// Citation keys of the course.
    pub citations: Vec<String>,
}

/// One label indication: what a regulator approved the regimen for, in one jurisdiction, as
/// read (relapse-labels.md, Deliverable A). Eligibility rests on these, not on trial populations.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelIndication {
    /// Jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Agency (FDA, EMA/EC).
    pub agency: String,
    /// Product label and version/date read, with section.
    pub version: String,
    /// Indication wording (short quote).
    pub text: String,
    /// Fewest prior lines.
    pub min_prior_lines: u8,
    /// Most prior lines, only where the label's own wording bounds it (US "one to three").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_prior_lines: Option<u8>,
    /// Drug classes that must have been given before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed_to_classes: Vec<crate::record::DrugClass>,
    /// Drugs that must have been given before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed_to: Vec<Drug>,
    /// Drugs the disease must be refractory to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refractory_to: Vec<Drug>,
    /// "Demonstrated disease progression on (or after) the last therapy".
    #[serde(default)]
    pub progression_on_last_therapy: bool,
    /// Refractory to at least two proteasome inhibitors, two immunomodulatory agents and an
    /// anti-CD38 antibody (the Xpovio/Nexpovio Sd wording; "penta-refractory", MAMMOTH).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub penta_refractory: bool,
    /// What the reading found (first-line regimens, session 8): the label names the regimen
    /// (`named`, the default and every relapse indication), covers it only by broad wording
    /// (`broad`: "multiple myeloma", no line, setting or partner named), does not cover it
    /// (`not_within`), or advises against it (`not_recommended`, a limitation of use).
    #[serde(default, skip_serializing_if = "LabelScope::is_named")]
    pub scope: LabelScope,
    /// Transplant settings the reading is for; empty = every setting of the regimen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<Setting>,
    /// How the label was read.
    pub evidence: Evidence,
    /// Citation key.
    pub citation: String,
}

/// What a label reading found for a regimen in one jurisdiction (and setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelScope {
    /// The label's indication names this combination (and setting).
    #[default]
    Named,
    /// The label covers it only by broad wording (e.g. US bortezomib "multiple myeloma"),
    /// naming no line, setting or partner drug: within the label, not named by it.
    Broad,
    /// Read, and no indication of the label covers it (off-label in this jurisdiction).
    NotWithin,
    /// The label advises against it (a limitation of use): excluded under this label.
    NotRecommended,
}

impl LabelScope {
    /// The default, not serialized.
    pub fn is_named(&self) -> bool {
        *self == LabelScope::Named
    }
    /// The reading puts the regimen within the label.
    pub fn covers(self) -> bool {
        matches!(self, LabelScope::Named | LabelScope::Broad)
    }
}

/// Cycles of the regimen given after the transplant, before maintenance, in its trial programme
/// (PERSEUS: 2 × 28-day D-VRd consolidation cycles, then D-R).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostTransplant {
    /// Cycles after the transplant.
    pub cycles: u16,
    /// Cycle length, days.
    pub cycle_length_days: u16,
    /// The step in words.
    pub description: String,
    /// How it was checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// A regimen.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Regimen {
    /// Stable identifier, e.g. `vrd`.
    pub id: String,
    /// Short name, e.g. `VRd`.
    pub name: String,
    /// Drugs in words.
    pub long_name: String,
    /// Cycle length, days.
    pub cycle_length_days: u16,
    /// Full course as studied.
    pub duration: Duration,
    /// Phases served.
    pub uses: Vec<Use>,
    /// Settings studied in.
    pub settings: Vec<Setting>,
    /// For maintenance: which risk it is chosen for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_fit: Option<RiskFit>,
    /// Components.
    pub components: Vec<Component>,
    /// Step-up schedules by jurisdiction (bispecifics).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub step_up: Vec<StepUp>,
    /// Relapse entry conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapse_criteria: Option<RelapseCriteria>,
    /// Label indications by jurisdiction. Relapse regimens: an option is offered only where one in
    /// the guideline's jurisdiction fits. First-line regimens: each option says which label reading
    /// it rests on (named, broad wording, or not within a label), and `not_recommended` excludes it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelIndication>,
    /// Age range of the trial population, where it bounds use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_age_range: Option<[u16; 2]>,
    /// Supporting evidence.
    pub evidence: Vec<TrialEvidence>,
    /// Notes (each with its source in the text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Courses by setting where the studied schedule differs from the regimen's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<Course>,
    /// The regimen that continues this one until progression in its trial (e.g. D-Rd after
    /// CEPHEUS D-VRd), offered first once the fixed cycles are done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation: Option<String>,
    /// Consolidation cycles of this induction regimen after the transplant, where its trial
    /// programme gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_transplant: Option<PostTransplant>,
    /// The CAR-T course (CAR-T regimens): ordered steps with their citations and timing rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub car_t_course: Option<CarTCourse>,
}

impl Regimen {
    /// The course studied in a setting, if the knowledge base gives one.
    pub fn course(&self, setting: Setting) -> Option<&Course> {
        self.courses.iter().find(|c| c.setting == setting)
    }

    /// Distinct drugs of the regimen, in order.
    pub fn drugs(&self) -> Vec<Drug> {
        let mut v: Vec<Drug> = self.components.iter().map(|c| c.drug).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Every citation key the regimen uses, sorted, each once.
    pub fn citation_keys(&self) -> Vec<String> {
        self.citation_key_refs().into_iter().map(str::to_string).collect()
    }

    /// [`Regimen::citation_keys`] borrowed from the regimen (no string copied).
    pub fn citation_key_refs(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::with_capacity(16);
        v.extend(self.evidence.iter().map(|e| e.citation.as_str()));
        for c in &self.components {
            v.extend(c.citations.iter().map(String::as_str));
            if let Some(a) = &c.age_reduction {
                v.extend(a.citations.iter().map(String::as_str));
            }
        }
        for s in &self.step_up {
            v.extend(s.citations.iter().map(String::as_str));
        }
        if let Some(p) = &self.post_transplant {
            v.extend(p.citations.iter().map(String::as_str));
        }
        if let Some(c) = &self.car_t_course {
            for s in &c.steps {
                v.extend(s.citations.iter().map(String::as_str));
            }
            for r in &c.rules {
                v.extend(r.citations.iter().map(String::as_str));
            }
        }
        for c in &self.courses {
            v.extend(c.citations.iter().map(String::as_str));
            for k in &c.components {
                v.extend(k.citations.iter().map(String::as_str));
            }
        }
        v.extend(self.labels.iter().map(|l| l.citation.as_str()));
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The weakest evidence among its schedule lines.
    pub fn weakest_evidence(&self) -> Evidence {
        self.components.iter().map(|c| c.evidence).max().unwrap_or(Evidence::V1)
    }
}
