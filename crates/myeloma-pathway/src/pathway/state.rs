//! The pathway state: private fields, read through getters, built only through a validating
//! constructor ([`PathwayState::new`], or [`PathwayState::try_from`] a [`PathwayStateRecord`]),
//! so that a state the state machine could never reach (three transplants on the
//! extended-induction route, cycles counted where no therapy runs, maintenance without a
//! first-line induction) cannot be built from Rust or read from JSON.
//!
//! The checks are structural: each holds for every state [`super::transition`] produces (a test
//! replays event sequences and checks every state it meets) and for the engine's reading of a
//! dated treatment history. Checks that need the knowledge base (is this regimen the induction
//! regimen's continuation?) stay in [`super::transition_with`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::assess::fitness::Eligibility;
use crate::error::{Error, Result};
use crate::record::{Drug, DrugClass, MrdStatus, Phase, ResponseCategory};

/// Transplants in one first-line consolidation: single or tandem (the state machine's
/// `TandemLimitReached`).
const MAX_TRANSPLANTS_IN_CONSOLIDATION: u8 = 2;

/// The full pathway state: the phase plus what the rules need to know about the past.
///
/// Its fields are private: read them through the getters; build a state with [`Self::new`] or
/// from a [`PathwayStateRecord`] with [`PathwayState::try_from`], which refuses a state the state
/// machine could not have reached. JSON (de)serialises through the record, so a state a front end
/// hands back to [`super::transition`] is checked the same way (unknown keys refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PathwayStateRecord", into = "PathwayStateRecord")]
pub struct PathwayState {
    pub(super) phase: Phase,
    pub(super) line: u8,
    pub(super) transplant_eligibility: Eligibility,
    pub(super) current_regimen: Option<String>,
    pub(super) induction_regimen: Option<String>,
    pub(super) cycles_in_phase: u16,
    pub(super) transplants_in_consolidation: u8,
    pub(super) transplants_total: u8,
    pub(super) last_response: Option<ResponseCategory>,
    pub(super) last_mrd: Option<MrdStatus>,
    pub(super) exposed: BTreeSet<Drug>,
    pub(super) refractory: BTreeSet<Drug>,
    pub(super) intolerant: BTreeSet<Drug>,
}

/// A pathway state as plain data: the JSON shape of [`PathwayState`], unchecked. Convert it with
/// [`PathwayState::try_from`] to use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "PathwayState",
    description = "The full pathway state: the phase plus what the rules need to know about the past.\n\nDeserializable (unknown keys refused) so that a front end can hand a state back to\n[`transition`]."
)]
pub struct PathwayStateRecord {
    /// Current phase.
    pub phase: Phase,
    /// Line of therapy (1 = first line: induction to maintenance).
    pub line: u8,
    /// Transplant eligibility in force.
    pub transplant_eligibility: Eligibility,
    /// Regimen running now.
    pub current_regimen: Option<String>,
    /// The first-line induction regimen.
    pub induction_regimen: Option<String>,
    /// Cycles completed in the current phase.
    pub cycles_in_phase: u16,
    /// Transplants given in the current consolidation.
    pub transplants_in_consolidation: u8,
    /// Transplants given in all.
    pub transplants_total: u8,
    /// Most recent response assessed in the current phase or line.
    pub last_response: Option<ResponseCategory>,
    /// Most recent MRD status.
    pub last_mrd: Option<MrdStatus>,
    /// Drugs ever given.
    pub exposed: BTreeSet<Drug>,
    /// Drugs the disease progressed on.
    pub refractory: BTreeSet<Drug>,
    /// Drugs stopped for intolerance.
    pub intolerant: BTreeSet<Drug>,
}

/// JSON: the [`PathwayStateRecord`] shape (the schema the plan has always published).
impl schemars::JsonSchema for PathwayState {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PathwayState".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        PathwayStateRecord::json_schema(g)
    }
}

fn inconsistent(field: &str, message: impl Into<String>) -> Error {
    Error::Inconsistent { field: field.to_string(), message: message.into() }
}

impl TryFrom<PathwayStateRecord> for PathwayState {
    type Error = Error;

    /// # Errors
    /// [`Error::OutOfRange`] or [`Error::Inconsistent`] naming the first field that makes the
    /// state one the state machine cannot reach.
    fn try_from(r: PathwayStateRecord) -> Result<Self> {
        let s = PathwayState {
            phase: r.phase,
            line: r.line,
            transplant_eligibility: r.transplant_eligibility,
            current_regimen: r.current_regimen,
            induction_regimen: r.induction_regimen,
            cycles_in_phase: r.cycles_in_phase,
            transplants_in_consolidation: r.transplants_in_consolidation,
            transplants_total: r.transplants_total,
            last_response: r.last_response,
            last_mrd: r.last_mrd,
            exposed: r.exposed,
            refractory: r.refractory,
            intolerant: r.intolerant,
        };
        s.validate()?;
        Ok(s)
    }
}

impl From<PathwayState> for PathwayStateRecord {
    fn from(s: PathwayState) -> Self {
        PathwayStateRecord {
            phase: s.phase,
            line: s.line,
            transplant_eligibility: s.transplant_eligibility,
            current_regimen: s.current_regimen,
            induction_regimen: s.induction_regimen,
            cycles_in_phase: s.cycles_in_phase,
            transplants_in_consolidation: s.transplants_in_consolidation,
            transplants_total: s.transplants_total,
            last_response: s.last_response,
            last_mrd: s.last_mrd,
            exposed: s.exposed,
            refractory: s.refractory,
            intolerant: s.intolerant,
        }
    }
}

impl PathwayState {
    /// A newly diagnosed patient in work-up.
    pub fn new(eligibility: Eligibility) -> Self {
        Self {
            phase: Phase::WorkUp,
            line: 1,
            transplant_eligibility: eligibility,
            current_regimen: None,
            induction_regimen: None,
            cycles_in_phase: 0,
            transplants_in_consolidation: 0,
            transplants_total: 0,
            last_response: None,
            last_mrd: None,
            exposed: BTreeSet::new(),
            refractory: BTreeSet::new(),
            intolerant: BTreeSet::new(),
        }
    }

    /// The state as plain data (the JSON shape).
    pub fn to_record(&self) -> PathwayStateRecord {
        self.clone().into()
    }

    /// Current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Line of therapy (1 = first line: induction to maintenance).
    pub fn line(&self) -> u8 {
        self.line
    }
    /// Transplant eligibility in force.
    pub fn transplant_eligibility(&self) -> Eligibility {
        self.transplant_eligibility
    }
    /// Regimen running now.
    pub fn current_regimen(&self) -> Option<&str> {
        self.current_regimen.as_deref()
    }
    /// The first-line induction regimen.
    pub fn induction_regimen(&self) -> Option<&str> {
        self.induction_regimen.as_deref()
    }
    /// Cycles completed in the current phase.
    pub fn cycles_in_phase(&self) -> u16 {
        self.cycles_in_phase
    }
    /// Transplants given in the current consolidation.
    pub fn transplants_in_consolidation(&self) -> u8 {
        self.transplants_in_consolidation
    }
    /// Transplants given in all.
    pub fn transplants_total(&self) -> u8 {
        self.transplants_total
    }
    /// Most recent response assessed in the current phase or line.
    pub fn last_response(&self) -> Option<ResponseCategory> {
        self.last_response
    }
    /// Most recent MRD status.
    pub fn last_mrd(&self) -> Option<MrdStatus> {
        self.last_mrd
    }
    /// Drugs ever given.
    pub fn exposed(&self) -> &BTreeSet<Drug> {
        &self.exposed
    }
    /// Drugs the disease progressed on.
    pub fn refractory(&self) -> &BTreeSet<Drug> {
        &self.refractory
    }
    /// Drugs stopped for intolerance.
    pub fn intolerant(&self) -> &BTreeSet<Drug> {
        &self.intolerant
    }

    /// Prior lines of therapy (for relapse-regimen eligibility): the line number minus one.
    pub fn prior_lines(&self) -> u8 {
        self.line.saturating_sub(1)
    }

    /// Exposed to a PI, an IMiD and an anti-CD38 antibody.
    pub fn triple_class_exposed(&self) -> bool {
        let classes: BTreeSet<DrugClass> = self.exposed.iter().map(|d| d.class()).collect();
        classes.contains(&DrugClass::ProteasomeInhibitor)
            && classes.contains(&DrugClass::ImmunomodulatoryDrug)
            && classes.contains(&DrugClass::AntiCd38)
    }

    // The engine's reading of a dated treatment history (engine::relapse) changes these only:
    // the drug sets, the line count, and "awaiting the next line" for a patient with no
    // pathway events. None of them can break a check below.

    /// Drugs ever given, to add to from a dated treatment history.
    pub(crate) fn exposed_mut(&mut self) -> &mut BTreeSet<Drug> {
        &mut self.exposed
    }
    /// Drugs the disease progressed on, to add to or filter from a dated treatment history.
    pub(crate) fn refractory_mut(&mut self) -> &mut BTreeSet<Drug> {
        &mut self.refractory
    }
    /// Drugs stopped for intolerance, to add to from a dated treatment history.
    pub(crate) fn intolerant_mut(&mut self) -> &mut BTreeSet<Drug> {
        &mut self.intolerant
    }
    /// The line of therapy counted from a dated treatment history (at least 1; at least 2 in
    /// relapse).
    pub(crate) fn set_line(&mut self, line: u8) {
        let floor = if self.phase == Phase::Relapse { 2 } else { 1 };
        self.line = line.max(floor);
    }
    /// A patient with no pathway events whose last dated line progressed: in relapse, no line
    /// running. Only a work-up state (nothing running, nothing counted) is moved.
    pub(crate) fn await_next_line(&mut self) {
        if self.phase == Phase::WorkUp {
            self.phase = Phase::Relapse;
            self.current_regimen = None;
            self.line = self.line.max(2);
        }
    }

    /// A patient whose dated history shows a CAR-T course under way, or infused with no later
    /// progression: in relapse, with the CAR-T regimen as the line running (a course, never a
    /// regimen "continued"; engine::car_t). Only a work-up state (no pathway events) or a relapse
    /// with no line running is moved.
    pub(crate) fn enter_car_t_course(&mut self, regimen: &str) {
        let idle = self.phase == Phase::WorkUp || (self.phase == Phase::Relapse && self.current_regimen.is_none());
        if idle {
            self.phase = Phase::Relapse;
            self.current_regimen = Some(regimen.to_string());
            self.cycles_in_phase = 0;
            self.line = self.line.max(2);
        }
    }

    /// The checks [`PathwayState::try_from`] makes, first failure first.
    fn validate(&self) -> Result<()> {
        if self.line == 0 {
            return Err(Error::OutOfRange {
                field: "line".into(),
                value: 0.0,
                unit: "line of therapy".into(),
                accepted_range: "1..=255".into(),
            });
        }
        if self.transplants_in_consolidation > MAX_TRANSPLANTS_IN_CONSOLIDATION {
            return Err(Error::OutOfRange {
                field: "transplants_in_consolidation".into(),
                value: f64::from(self.transplants_in_consolidation),
                unit: "transplants".into(),
                accepted_range: "0..=2 (single or tandem)".into(),
            });
        }
        if self.transplants_in_consolidation > self.transplants_total {
            return Err(inconsistent(
                "transplants_total",
                format!(
                    "{} transplants in all, fewer than the {} of the current consolidation",
                    self.transplants_total, self.transplants_in_consolidation
                ),
            ));
        }
        self.validate_phase()
    }

    /// What each phase implies about the rest of the state, as [`super::transition`] builds it.
    fn validate_phase(&self) -> Result<()> {
        let phase = self.phase.id();
        let running = |field: &str, v: &Option<String>, what: &str| match v {
            Some(_) => Ok(()),
            None => Err(inconsistent(field, format!("phase {phase} needs {what}"))),
        };
        let none = |field: &str, set: bool, why: &str| match set {
            false => Ok(()),
            true => Err(inconsistent(field, format!("must be empty in phase {phase}: {why}"))),
        };
        let no_cycles = |why: &str| match self.cycles_in_phase {
            0 => Ok(()),
            n => Err(inconsistent("cycles_in_phase", format!("{n} cycles counted in phase {phase}: {why}"))),
        };
        let assessed = || match self.last_response {
            Some(_) => Ok(()),
            None => Err(inconsistent("last_response", "consolidation follows an assessed induction response")),
        };
        // In first-line consolidation and after it (until a relapse), every transplant given
        // was given in this consolidation.
        let transplants_this_consolidation_only = || {
            if self.transplants_total == self.transplants_in_consolidation {
                return Ok(());
            }
            Err(inconsistent(
                "transplants_total",
                format!(
                    "{} transplants in all but {} in the first-line consolidation; phase {phase} is before any relapse",
                    self.transplants_total, self.transplants_in_consolidation
                ),
            ))
        };
        let no_transplant_in_consolidation = |why: &str| match self.transplants_in_consolidation {
            0 => Ok(()),
            n => Err(inconsistent("transplants_in_consolidation", format!("{n} in phase {phase}: {why}"))),
        };
        match self.phase {
            Phase::WorkUp => {
                none("current_regimen", self.current_regimen.is_some(), "no therapy has started")?;
                none("induction_regimen", self.induction_regimen.is_some(), "no therapy has started")?;
                no_cycles("no therapy has started")?;
                none("transplants_total", self.transplants_total > 0, "no therapy has started")?;
                none("last_response", self.last_response.is_some(), "response is assessed on therapy")?;
                none("last_mrd", self.last_mrd.is_some(), "MRD is assessed after treatment has started")
            }
            Phase::Induction => {
                running("current_regimen", &self.current_regimen, "the induction regimen running")?;
                running("induction_regimen", &self.induction_regimen, "the induction regimen")?;
                none("transplants_total", self.transplants_total > 0, "a transplant ends induction")
            }
            Phase::ConsolidationTransplant => {
                running("current_regimen", &self.current_regimen, "the induction regimen")?;
                running("induction_regimen", &self.induction_regimen, "a first-line induction before it")?;
                assessed()?;
                transplants_this_consolidation_only()
            }
            Phase::ConsolidationExtendedInduction => {
                no_transplant_in_consolidation("the extended-induction route has no transplant")?;
                none(
                    "transplants_total",
                    self.transplants_total > 0,
                    "the extended-induction route has no transplant",
                )?;
                running("current_regimen", &self.current_regimen, "the induction regimen")?;
                running("induction_regimen", &self.induction_regimen, "a first-line induction before it")?;
                assessed()
            }
            Phase::Maintenance | Phase::Observation => {
                running(
                    "induction_regimen",
                    &self.induction_regimen,
                    "a first-line induction and its consolidation before it",
                )?;
                if self.phase == Phase::Maintenance {
                    running("current_regimen", &self.current_regimen, "the maintenance regimen running")?;
                } else {
                    none("current_regimen", self.current_regimen.is_some(), "maintenance has stopped")?;
                    no_cycles("maintenance has stopped")?;
                }
                transplants_this_consolidation_only()
            }
            Phase::Relapse => {
                if self.line < 2 {
                    return Err(inconsistent("line", format!("relapse opens line 2 or later, not line {}", self.line)));
                }
                no_transplant_in_consolidation("first-line consolidation does not apply at relapse")?;
                if self.current_regimen.is_none() {
                    no_cycles("no line of therapy has started")?;
                }
                Ok(())
            }
        }
    }
}
