//! Phases of care and their transitions.
//!
//! The pathway is work-up → induction → consolidation (autologous transplant, single or tandem,
//! or 4–6 further cycles of the induction regimen for the transplant-ineligible) → maintenance →
//! relapse line *n* → …, after the seed article's three-phase shape.
//!
//! [`transition`] is total: every (state, event) pair gives the next state or a typed
//! [`Refusal`], never a panic. A patient's `history` is replayed through it to place the patient
//! on the pathway. [`typed`] gives Rust users the same path checked at compile time.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::drugs::{Drug, DrugClass};
use crate::error::{Error, Result};
use crate::fitness::Eligibility;
use crate::kb::KnowledgeBase;
use crate::regimen::Use;
use crate::response::{MrdStatus, ResponseCategory};

/// Where a patient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Diagnosed, not yet treated.
    WorkUp,
    /// First-line induction.
    Induction,
    /// Consolidation by autologous stem-cell transplant (single or tandem).
    ConsolidationTransplant,
    /// Consolidation by 4–6 further cycles of induction (transplant-ineligible).
    ConsolidationExtendedInduction,
    /// Maintenance.
    Maintenance,
    /// Off therapy after a fixed-duration maintenance, under monitoring.
    Observation,
    /// Relapsed/refractory disease, line ≥ 2.
    Relapse,
}

impl Phase {
    /// Every phase.
    pub const ALL: [Phase; 7] = [
        Phase::WorkUp,
        Phase::Induction,
        Phase::ConsolidationTransplant,
        Phase::ConsolidationExtendedInduction,
        Phase::Maintenance,
        Phase::Observation,
        Phase::Relapse,
    ];

    /// Stable identifier.
    pub fn id(&self) -> &'static str {
        match self {
            Phase::WorkUp => "work_up",
            Phase::Induction => "induction",
            Phase::ConsolidationTransplant => "consolidation_transplant",
            Phase::ConsolidationExtendedInduction => "consolidation_extended_induction",
            Phase::Maintenance => "maintenance",
            Phase::Observation => "observation",
            Phase::Relapse => "relapse",
        }
    }
}

/// How consolidation is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsolidationRoute {
    /// Autologous stem-cell transplant.
    Transplant,
    /// 4–6 further cycles of the induction regimen.
    ExtendedInduction,
}

/// Something that happened on the pathway.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A regimen was started (induction from work-up, or a relapse line).
    TherapyStarted {
        /// Knowledge-base regimen id.
        regimen: String,
    },
    /// A treatment cycle was completed.
    CycleCompleted,
    /// A response was assessed (IMWG category). `pd` counts as progression.
    ResponseAssessed {
        /// The category.
        response: ResponseCategory,
    },
    /// Transplant eligibility was assessed by the team.
    TransplantEligibilityAssessed {
        /// The decision.
        eligible: bool,
    },
    /// Consolidation started.
    ConsolidationStarted {
        /// Transplant or extended induction.
        route: ConsolidationRoute,
    },
    /// An autologous transplant was given.
    TransplantDone,
    /// Maintenance started (or switched).
    MaintenanceStarted {
        /// Knowledge-base regimen id.
        regimen: String,
    },
    /// Maintenance stopped as planned (fixed duration reached).
    MaintenanceStopped,
    /// Progressive disease (IMWG).
    Progression,
    /// A drug was stopped for intolerance.
    Intolerance {
        /// The drug.
        drug: Drug,
    },
    /// An MRD result (details in the record's `mrd` list).
    MrdAssessed {
        /// Negative or positive.
        status: MrdStatus,
    },
}

impl Event {
    /// Stable identifier of the event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::TherapyStarted { .. } => "therapy_started",
            Event::CycleCompleted => "cycle_completed",
            Event::ResponseAssessed { .. } => "response_assessed",
            Event::TransplantEligibilityAssessed { .. } => "transplant_eligibility_assessed",
            Event::ConsolidationStarted { .. } => "consolidation_started",
            Event::TransplantDone => "transplant_done",
            Event::MaintenanceStarted { .. } => "maintenance_started",
            Event::MaintenanceStopped => "maintenance_stopped",
            Event::Progression => "progression",
            Event::Intolerance { .. } => "intolerance",
            Event::MrdAssessed { .. } => "mrd_assessed",
        }
    }
}

/// One entry of a patient's history: an event and, optionally, its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// Date, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

impl<'de> Deserialize<'de> for HistoryEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let date = match map.remove("date") {
            Some(serde_json::Value::String(s)) => Some(
                Date::parse(&s)
                    .ok_or_else(|| D::Error::custom(format!("date: `{s}` is not a date of the form YYYY-MM-DD")))?,
            ),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => return Err(D::Error::custom(format!("date: expected a string YYYY-MM-DD, got {other}"))),
        };
        let event = Event::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(HistoryEntry { date, event })
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Refusal {
    /// The regimen id is not in the knowledge base.
    UnknownRegimen {
        /// The id.
        regimen: String,
    },
    /// The regimen does not serve this phase.
    RegimenNotForPhase {
        /// The id.
        regimen: String,
        /// The phase.
        phase: Phase,
    },
    /// No therapy is running.
    NoTherapyInProgress,
    /// A therapy is already running in this phase.
    TherapyAlreadyInProgress,
    /// Transplant for a patient assessed ineligible.
    TransplantIneligible,
    /// Consolidation needs an induction response assessment first.
    ResponseNotAssessed,
    /// Consolidation or transplant before induction.
    ConsolidationBeforeInduction,
    /// Maintenance before consolidation.
    MaintenanceBeforeConsolidation,
    /// Consolidation not complete yet.
    ConsolidationIncomplete {
        /// What is still needed.
        needed: String,
    },
    /// Already in consolidation.
    AlreadyInConsolidation,
    /// The patient is not on maintenance.
    NotInMaintenance,
    /// Going back to an earlier first-line phase without a relapse.
    NoReturnWithoutRelapse {
        /// The phase the patient is in.
        from: Phase,
    },
    /// At most two transplants (tandem) in consolidation.
    TandemLimitReached,
    /// Transplant on the extended-induction route.
    TransplantNotPlanned,
    /// The event does not apply in this phase.
    NotApplicable {
        /// Why.
        why: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnknownRegimen { regimen } => write!(f, "unknown regimen `{regimen}`"),
            Refusal::RegimenNotForPhase { regimen, phase } => {
                write!(f, "regimen `{regimen}` is not used in phase {}", phase.id())
            }
            Refusal::NoTherapyInProgress => f.write_str("no therapy is in progress"),
            Refusal::TherapyAlreadyInProgress => f.write_str("a therapy is already in progress in this phase"),
            Refusal::TransplantIneligible => f.write_str("the patient is assessed transplant-ineligible"),
            Refusal::ResponseNotAssessed => f.write_str("the induction response must be assessed before consolidation"),
            Refusal::ConsolidationBeforeInduction => f.write_str("consolidation cannot precede induction"),
            Refusal::MaintenanceBeforeConsolidation => f.write_str("maintenance cannot start before consolidation"),
            Refusal::ConsolidationIncomplete { needed } => write!(f, "consolidation is not complete: {needed}"),
            Refusal::AlreadyInConsolidation => f.write_str("consolidation has already started"),
            Refusal::NotInMaintenance => f.write_str("the patient is not on maintenance"),
            Refusal::NoReturnWithoutRelapse { from } => {
                write!(f, "cannot return to an earlier first-line phase from {} without a relapse", from.id())
            }
            Refusal::TandemLimitReached => {
                f.write_str("two transplants (tandem) have already been given in this consolidation")
            }
            Refusal::TransplantNotPlanned => f.write_str("consolidation is by extended induction, not transplant"),
            Refusal::NotApplicable { why } => f.write_str(why),
        }
    }
}

/// The full pathway state: the phase plus what the rules need to know about the past.
///
/// Deserializable (unknown keys refused) so that a front end can hand a state back to
/// [`transition`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayState {
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

    fn start(&mut self, kb: &KnowledgeBase, regimen: &str, need: Use, phase: Phase) -> Result<(), Refusal> {
        let Some(r) = kb.regimen(regimen) else {
            return Err(Refusal::UnknownRegimen { regimen: regimen.to_string() });
        };
        if !r.uses.contains(&need) {
            return Err(Refusal::RegimenNotForPhase { regimen: regimen.to_string(), phase });
        }
        self.exposed.extend(r.drugs().into_iter().filter(|d| d.class() != DrugClass::Corticosteroid));
        self.current_regimen = Some(regimen.to_string());
        Ok(())
    }

    fn progress(&mut self, kb: &KnowledgeBase) {
        if let Some(r) = self.current_regimen.as_deref().and_then(|id| kb.regimen(id)) {
            // Progression on therapy makes the disease refractory to that regimen's drugs
            // (corticosteroids are not counted).
            self.refractory.extend(r.drugs().into_iter().filter(|d| d.class() != DrugClass::Corticosteroid));
        }
        self.phase = Phase::Relapse;
        self.line = self.line.saturating_add(1);
        self.current_regimen = None;
        self.cycles_in_phase = 0;
        self.transplants_in_consolidation = 0;
        self.last_response = None;
    }
}

/// The transition function: total over (state, event).
///
/// # Errors
/// A typed [`Refusal`] when the event is not allowed in the state.
pub fn transition(state: &PathwayState, event: &Event) -> Result<PathwayState, Refusal> {
    transition_with(KnowledgeBase::embedded(), state, event)
}

/// [`transition`] against a given knowledge base.
///
/// # Errors
/// A typed [`Refusal`].
pub fn transition_with(kb: &KnowledgeBase, state: &PathwayState, event: &Event) -> Result<PathwayState, Refusal> {
    use Phase::*;
    let mut s = state.clone();
    match (state.phase, event) {
        // Events that apply everywhere.
        (_, Event::TransplantEligibilityAssessed { eligible }) => {
            s.transplant_eligibility = if *eligible { Eligibility::Eligible } else { Eligibility::Ineligible };
        }
        (_, Event::Intolerance { drug }) => {
            s.intolerant.insert(*drug);
        }
        (WorkUp, Event::MrdAssessed { .. }) => {
            return Err(Refusal::NotApplicable { why: "MRD is assessed after treatment has started".into() })
        }
        (_, Event::MrdAssessed { status }) => s.last_mrd = Some(*status),

        // Work-up.
        (WorkUp, Event::TherapyStarted { regimen }) => {
            s.start(kb, regimen, Use::Induction, Induction)?;
            s.phase = Induction;
            s.induction_regimen = Some(regimen.clone());
            s.cycles_in_phase = 0;
        }
        (WorkUp, Event::CycleCompleted | Event::ResponseAssessed { .. } | Event::Progression) => {
            return Err(Refusal::NoTherapyInProgress)
        }
        (WorkUp, Event::ConsolidationStarted { .. } | Event::TransplantDone) => {
            return Err(Refusal::ConsolidationBeforeInduction)
        }
        (WorkUp | Induction, Event::MaintenanceStarted { .. }) => return Err(Refusal::MaintenanceBeforeConsolidation),
        (
            WorkUp | Induction | ConsolidationTransplant | ConsolidationExtendedInduction | Observation | Relapse,
            Event::MaintenanceStopped,
        ) => return Err(Refusal::NotInMaintenance),

        // Induction.
        (Induction, Event::TherapyStarted { regimen }) => {
            // A switch of induction regimen (e.g. for intolerance); cycles keep counting.
            s.start(kb, regimen, Use::Induction, Induction)?;
            s.induction_regimen = Some(regimen.clone());
        }
        (Induction | ConsolidationTransplant | ConsolidationExtendedInduction | Maintenance, Event::CycleCompleted) => {
            s.cycles_in_phase = s.cycles_in_phase.saturating_add(1);
        }
        (Relapse, Event::CycleCompleted) => {
            if s.current_regimen.is_none() {
                return Err(Refusal::NoTherapyInProgress);
            }
            s.cycles_in_phase = s.cycles_in_phase.saturating_add(1);
        }
        (Observation, Event::CycleCompleted) => return Err(Refusal::NoTherapyInProgress),
        (_, Event::ResponseAssessed { response: ResponseCategory::Pd }) | (_, Event::Progression) => {
            if state.phase == Relapse && state.current_regimen.is_none() {
                return Err(Refusal::NoTherapyInProgress);
            }
            s.progress(kb);
        }
        (_, Event::ResponseAssessed { response }) => s.last_response = Some(*response),
        (Induction, Event::ConsolidationStarted { route }) => {
            if s.last_response.is_none() {
                return Err(Refusal::ResponseNotAssessed);
            }
            match route {
                ConsolidationRoute::Transplant => {
                    if s.transplant_eligibility == Eligibility::Ineligible {
                        return Err(Refusal::TransplantIneligible);
                    }
                    s.phase = ConsolidationTransplant;
                }
                ConsolidationRoute::ExtendedInduction => s.phase = ConsolidationExtendedInduction,
            }
            s.cycles_in_phase = 0;
            s.transplants_in_consolidation = 0;
        }
        (Induction, Event::TransplantDone) => {
            // Transplant straight after induction: consolidation starts with it.
            if s.transplant_eligibility == Eligibility::Ineligible {
                return Err(Refusal::TransplantIneligible);
            }
            if s.last_response.is_none() {
                return Err(Refusal::ResponseNotAssessed);
            }
            s.phase = ConsolidationTransplant;
            s.cycles_in_phase = 0;
            s.transplants_in_consolidation = 1;
            s.transplants_total = s.transplants_total.saturating_add(1);
            s.exposed.insert(Drug::Melphalan);
        }

        // Consolidation.
        (ConsolidationTransplant | ConsolidationExtendedInduction, Event::TherapyStarted { .. }) => {
            return Err(Refusal::TherapyAlreadyInProgress)
        }
        (ConsolidationTransplant | ConsolidationExtendedInduction, Event::ConsolidationStarted { .. }) => {
            return Err(Refusal::AlreadyInConsolidation)
        }
        (ConsolidationTransplant, Event::TransplantDone) => {
            if s.transplant_eligibility == Eligibility::Ineligible {
                return Err(Refusal::TransplantIneligible);
            }
            if s.transplants_in_consolidation >= 2 {
                return Err(Refusal::TandemLimitReached);
            }
            s.transplants_in_consolidation += 1;
            s.transplants_total = s.transplants_total.saturating_add(1);
            s.exposed.insert(Drug::Melphalan);
        }
        (ConsolidationExtendedInduction, Event::TransplantDone) => return Err(Refusal::TransplantNotPlanned),
        (ConsolidationTransplant, Event::MaintenanceStarted { regimen }) => {
            if s.transplants_in_consolidation == 0 {
                return Err(Refusal::ConsolidationIncomplete { needed: "the autologous transplant".into() });
            }
            s.start(kb, regimen, Use::Maintenance, Maintenance)?;
            s.phase = Maintenance;
            s.cycles_in_phase = 0;
        }
        (ConsolidationExtendedInduction, Event::MaintenanceStarted { regimen }) => {
            if s.cycles_in_phase < 4 {
                return Err(Refusal::ConsolidationIncomplete {
                    needed: format!("at least 4 further induction cycles (article: 4–6); {} done", s.cycles_in_phase),
                });
            }
            s.start(kb, regimen, Use::Maintenance, Maintenance)?;
            s.phase = Maintenance;
            s.cycles_in_phase = 0;
        }

        // Maintenance and observation.
        (Maintenance, Event::MaintenanceStarted { regimen }) => {
            s.start(kb, regimen, Use::Maintenance, Maintenance)?;
            s.cycles_in_phase = 0;
        }
        (Maintenance, Event::MaintenanceStopped) => {
            s.phase = Observation;
            s.current_regimen = None;
            s.cycles_in_phase = 0;
        }
        (
            Maintenance | Observation,
            Event::TherapyStarted { .. } | Event::ConsolidationStarted { .. } | Event::TransplantDone,
        ) => return Err(Refusal::NoReturnWithoutRelapse { from: state.phase }),
        (Observation, Event::MaintenanceStarted { .. }) => {
            return Err(Refusal::NoReturnWithoutRelapse { from: Observation })
        }

        // Relapse.
        (Relapse, Event::TherapyStarted { regimen }) => {
            s.start(kb, regimen, Use::Relapse, Relapse)?;
            s.cycles_in_phase = 0;
            s.last_response = None;
        }
        (Relapse, Event::TransplantDone) => {
            // Salvage transplant at relapse, for an eligible patient.
            if s.transplant_eligibility == Eligibility::Ineligible {
                return Err(Refusal::TransplantIneligible);
            }
            s.transplants_total = s.transplants_total.saturating_add(1);
            s.exposed.insert(Drug::Melphalan);
        }
        (Relapse, Event::ConsolidationStarted { .. }) => {
            return Err(Refusal::NotApplicable { why: "first-line consolidation does not apply at relapse".into() })
        }
        (Relapse, Event::MaintenanceStarted { .. }) => {
            return Err(Refusal::NotApplicable { why: "first-line maintenance does not apply at relapse".into() })
        }
    }
    Ok(s)
}

/// Replay a history from work-up.
///
/// # Errors
/// [`Error::TransitionRefused`] naming the refused entry (`history[i]`).
pub fn replay(history: &[HistoryEntry], eligibility: Eligibility) -> Result<PathwayState> {
    let mut s = PathwayState::new(eligibility);
    for (i, h) in history.iter().enumerate() {
        s = transition(&s, &h.event)
            .map_err(|refusal| Error::TransitionRefused { field: format!("history[{i}]"), refusal })?;
    }
    Ok(s)
}

/// The pathway checked at compile time: each phase is a type, and only legal moves exist as
/// methods. Maintenance cannot go back to induction; a transplant needs a [`typed::TransplantEligible`]
/// proof, which only an eligible assessment yields.
///
/// ```
/// use myeloma_pathway::pathway::typed::{Pathway, TransplantEligible};
/// use myeloma_pathway::fitness::Eligibility;
/// let proof = TransplantEligible::from_assessment(Eligibility::Eligible).unwrap();
/// let p = Pathway::diagnosed()
///     .start_induction("vrd")
///     .transplant(proof)
///     .start_maintenance("len-maintenance");
/// let relapse = p.progression();
/// assert_eq!(relapse.line(), 2);
/// ```
///
/// ```compile_fail
/// use myeloma_pathway::pathway::typed::Pathway;
/// // Maintenance straight from induction does not compile.
/// Pathway::diagnosed().start_induction("vrd").start_maintenance("len-maintenance");
/// ```
pub mod typed {
    use std::marker::PhantomData;

    use crate::fitness::Eligibility;

    /// Work-up (newly diagnosed).
    #[derive(Debug)]
    pub struct WorkUp;
    /// Induction.
    #[derive(Debug)]
    pub struct Induction;
    /// Consolidation.
    #[derive(Debug)]
    pub struct Consolidation;
    /// Maintenance.
    #[derive(Debug)]
    pub struct Maintenance;
    /// Relapse.
    #[derive(Debug)]
    pub struct Relapse;

    /// Proof that the patient was assessed transplant-eligible.
    #[derive(Debug, Clone, Copy)]
    pub struct TransplantEligible(());

    impl TransplantEligible {
        /// The proof, only for [`Eligibility::Eligible`].
        pub fn from_assessment(e: Eligibility) -> Option<Self> {
            (e == Eligibility::Eligible).then_some(TransplantEligible(()))
        }
    }

    /// A patient's pathway in phase `S`.
    #[derive(Debug)]
    pub struct Pathway<S> {
        regimen: Option<String>,
        line: u8,
        transplants: u8,
        _s: PhantomData<S>,
    }

    impl<S> Pathway<S> {
        fn to<T>(self, regimen: Option<String>) -> Pathway<T> {
            Pathway { regimen, line: self.line, transplants: self.transplants, _s: PhantomData }
        }
        /// The regimen running now.
        pub fn regimen(&self) -> Option<&str> {
            self.regimen.as_deref()
        }
        /// Line of therapy.
        pub fn line(&self) -> u8 {
            self.line
        }
        /// Transplants given.
        pub fn transplants(&self) -> u8 {
            self.transplants
        }
    }

    impl Pathway<WorkUp> {
        /// A newly diagnosed patient.
        pub fn diagnosed() -> Self {
            Pathway { regimen: None, line: 1, transplants: 0, _s: PhantomData }
        }
        /// Start induction.
        pub fn start_induction(self, regimen: &str) -> Pathway<Induction> {
            self.to(Some(regimen.to_string()))
        }
    }

    impl Pathway<Induction> {
        /// Consolidate with an autologous transplant (needs the eligibility proof).
        pub fn transplant(self, _proof: TransplantEligible) -> Pathway<Consolidation> {
            let mut p: Pathway<Consolidation> = self.to(None);
            p.transplants += 1;
            p
        }
        /// Consolidate with further induction cycles.
        pub fn extend_induction(self) -> Pathway<Consolidation> {
            let r = self.regimen.clone();
            self.to(r)
        }
        /// Progression during induction (primary refractory disease).
        pub fn progression(self) -> Pathway<Relapse> {
            let mut p: Pathway<Relapse> = self.to(None);
            p.line += 1;
            p
        }
    }

    impl Pathway<Consolidation> {
        /// A second (tandem) transplant.
        pub fn tandem_transplant(mut self, _proof: TransplantEligible) -> Self {
            self.transplants += 1;
            self
        }
        /// Start maintenance.
        pub fn start_maintenance(self, regimen: &str) -> Pathway<Maintenance> {
            self.to(Some(regimen.to_string()))
        }
    }

    impl Pathway<Maintenance> {
        /// Progression on maintenance opens the next line.
        pub fn progression(self) -> Pathway<Relapse> {
            let mut p: Pathway<Relapse> = self.to(None);
            p.line += 1;
            p
        }
    }

    impl Pathway<Relapse> {
        /// Start a relapse regimen.
        pub fn start_therapy(self, regimen: &str) -> Self {
            let line = self.line;
            let mut p: Pathway<Relapse> = self.to(Some(regimen.to_string()));
            p.line = line;
            p
        }
        /// Progression on this line opens the next.
        pub fn progression(self) -> Self {
            let mut p: Pathway<Relapse> = self.to(None);
            p.line += 1;
            p
        }
    }
}
