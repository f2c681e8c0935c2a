//! Phases of care and their transitions.
//!
//! The pathway is work-up → induction → consolidation (autologous transplant, single or tandem,
//! or 4–6 further cycles of the induction regimen for the transplant-ineligible) → maintenance →
//! relapse line *n* → …, after the seed article's three-phase shape.
//!
//! [`transition`] is total: every (state, event) pair gives the next state or a typed
//! [`Refusal`], never a panic. A patient's `history` is replayed through it to place the patient
//! on the pathway. [`typed`] gives Rust users the same path checked at compile time.

use crate::assess::fitness::Eligibility;
use crate::error::{Error, Result};
use crate::kb::regimen::Use;
use crate::kb::KnowledgeBase;
use crate::record::ResponseCategory;
pub use crate::record::{ConsolidationRoute, Event, HistoryEntry, Phase, Refusal};
use crate::record::{Drug, DrugClass};
pub use state::{PathwayState, PathwayStateRecord};

impl PathwayState {
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

    /// Whether `regimen` is the knowledge base's `continuation` of the first-line induction
    /// regimen.
    fn is_continuation_of_induction(&self, kb: &KnowledgeBase, regimen: &str) -> bool {
        self.induction_regimen
            .as_deref()
            .and_then(|i| kb.regimen(i))
            .and_then(|r| r.continuation.as_deref())
            .is_some_and(|c| c == regimen)
    }

    /// A continuation regimen (one that is some regimen's `continuation`) is the rest of that
    /// regimen's trial programme: it follows that induction regimen only.
    fn check_continuation_belongs(&self, kb: &KnowledgeBase, regimen: &str) -> Result<(), Refusal> {
        let parents: Vec<&str> = kb
            .regimens()
            .iter()
            .filter(|r| r.continuation.as_deref() == Some(regimen))
            .map(|r| r.name.as_str())
            .collect();
        if parents.is_empty() || self.is_continuation_of_induction(kb, regimen) {
            return Ok(());
        }
        Err(Refusal::NotApplicable {
            why: format!(
                "{} continues {} only, not the induction given",
                kb.regimen(regimen).map_or(regimen, |c| c.name.as_str()),
                parents.join(", ")
            ),
        })
    }

    /// The continuation starts once the induction regimen's fixed cycles are done.
    fn check_continuation_cycles(&self, kb: &KnowledgeBase, regimen: &str) -> Result<(), Refusal> {
        let Some(r) = self.induction_regimen.as_deref().and_then(|i| kb.regimen(i)) else {
            return Ok(());
        };
        if let crate::kb::regimen::Duration::Cycles { count } = r.duration {
            if self.cycles_in_phase < count {
                return Err(Refusal::NotApplicable {
                    why: format!(
                        "{} follows {count} cycles of {} as studied; {} done",
                        kb.regimen(regimen).map_or(regimen, |c| c.name.as_str()),
                        r.name,
                        self.cycles_in_phase
                    ),
                });
            }
        }
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
        (WorkUp, Event::MaintenanceStarted { .. }) => return Err(Refusal::MaintenanceBeforeConsolidation),
        (Induction, Event::MaintenanceStarted { regimen }) => {
            // Only the induction regimen's own continuation (CEPHEUS D-VRd → D-Rd, IMROZ Isa-VRd →
            // Isa-Rd) starts straight from induction, once the regimen's fixed cycles are done;
            // any other maintenance needs consolidation first.
            if !s.is_continuation_of_induction(kb, regimen) {
                return Err(Refusal::MaintenanceBeforeConsolidation);
            }
            s.check_continuation_cycles(kb, regimen)?;
            s.start(kb, regimen, Use::Maintenance, Maintenance)?;
            s.phase = Maintenance;
            s.cycles_in_phase = 0;
        }
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
            s.check_continuation_belongs(kb, regimen)?;
            if s.transplants_in_consolidation == 0 {
                return Err(Refusal::ConsolidationIncomplete { needed: "the autologous transplant".into() });
            }
            s.start(kb, regimen, Use::Maintenance, Maintenance)?;
            s.phase = Maintenance;
            s.cycles_in_phase = 0;
        }
        (ConsolidationExtendedInduction, Event::MaintenanceStarted { regimen }) => {
            s.check_continuation_belongs(kb, regimen)?;
            if s.cycles_in_phase < 4 && !s.is_continuation_of_induction(kb, regimen) {
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
            s.check_continuation_belongs(kb, regimen)?;
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
    replay_with(KnowledgeBase::embedded(), history, eligibility)
}

/// [`replay`] against a given knowledge base.
///
/// # Errors
/// [`Error::TransitionRefused`] naming the refused entry (`history[i]`).
pub fn replay_with(kb: &KnowledgeBase, history: &[HistoryEntry], eligibility: Eligibility) -> Result<PathwayState> {
    let mut s = PathwayState::new(eligibility);
    for (i, h) in history.iter().enumerate() {
        s = transition_with(kb, &s, &h.event)
            .map_err(|refusal| Error::TransitionRefused { field: format!("history[{i}]"), refusal })?;
    }
    Ok(s)
}

mod state;
pub mod typed;
