//! The pathway checked at compile time: each phase is a type, and only the moves the article's
//! pathway allows exist as methods. Every method applies its event through [`super::transition`],
//! so the typed API and the state machine cannot disagree: a move the machine refuses comes back
//! as its [`Refusal`], and the typestate only removes moves that can never be legal.
//!
//! ```
//! use myeloma_pathway::pathway::typed::{Pathway, TransplantEligible};
//! use myeloma_pathway::fitness::Eligibility;
//! let proof = TransplantEligible::from_assessment(Eligibility::Eligible).unwrap();
//! let p = Pathway::diagnosed(Eligibility::Eligible)
//!     .start_induction("vrd").unwrap()
//!     .transplant(proof).unwrap()
//!     .start_maintenance("len-maintenance").unwrap();
//! let relapse = p.progression().unwrap();
//! assert_eq!(relapse.line(), 2);
//! ```
//!
//! ```compile_fail
//! use myeloma_pathway::pathway::typed::Pathway;
//! use myeloma_pathway::fitness::Eligibility;
//! // Maintenance straight from induction does not compile.
//! Pathway::diagnosed(Eligibility::Eligible).start_induction("vrd").unwrap().start_maintenance("len-maintenance");
//! ```
//!
//! ```compile_fail
//! use myeloma_pathway::pathway::typed::{Pathway, TransplantEligible};
//! use myeloma_pathway::fitness::Eligibility;
//! // The extended-induction route has no transplant.
//! let proof = TransplantEligible::from_assessment(Eligibility::Eligible).unwrap();
//! Pathway::diagnosed(Eligibility::Eligible).start_induction("vrd").unwrap().extend_induction().unwrap().transplant(proof);
//! ```

use std::marker::PhantomData;

use super::{transition_with, PathwayState};
use crate::assess::fitness::Eligibility;
use crate::kb::KnowledgeBase;
use crate::record::{ConsolidationRoute, Event, Refusal, ResponseCategory};

/// Work-up (newly diagnosed).
#[derive(Debug)]
pub struct WorkUp;
/// Induction.
#[derive(Debug)]
pub struct Induction;
/// Consolidation by autologous transplant (single or tandem).
#[derive(Debug)]
pub struct TransplantConsolidation;
/// Consolidation by further induction cycles (no transplant on this route).
#[derive(Debug)]
pub struct ExtendedInduction;
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

/// A patient's pathway in phase `S`, carrying the full [`PathwayState`].
#[derive(Debug)]
pub struct Pathway<'k, S> {
    kb: &'k KnowledgeBase,
    state: PathwayState,
    _s: PhantomData<S>,
}

type Step<'k, T> = Result<Pathway<'k, T>, Refusal>;

impl<'k, S> Pathway<'k, S> {
    fn apply<T>(self, events: &[Event]) -> Step<'k, T> {
        let mut state = self.state;
        for e in events {
            state = transition_with(self.kb, &state, e)?;
        }
        Ok(Pathway { kb: self.kb, state, _s: PhantomData })
    }
    /// The state as the state machine holds it.
    pub fn state(&self) -> &PathwayState {
        &self.state
    }
    /// The regimen running now.
    pub fn regimen(&self) -> Option<&str> {
        self.state.current_regimen.as_deref()
    }
    /// Line of therapy.
    pub fn line(&self) -> u8 {
        self.state.line
    }
    /// Transplants given in all.
    pub fn transplants(&self) -> u8 {
        self.state.transplants_total
    }
}

impl Pathway<'static, WorkUp> {
    /// A newly diagnosed patient, against the embedded knowledge base.
    pub fn diagnosed(eligibility: Eligibility) -> Self {
        Pathway::diagnosed_with(KnowledgeBase::embedded(), eligibility)
    }
}

impl<'k> Pathway<'k, WorkUp> {
    /// A newly diagnosed patient, against a given knowledge base.
    pub fn diagnosed_with(kb: &'k KnowledgeBase, eligibility: Eligibility) -> Self {
        Pathway { kb, state: PathwayState::new(eligibility), _s: PhantomData }
    }
    /// Start induction.
    ///
    /// # Errors
    /// The state machine's refusal (e.g. a regimen not used for induction).
    pub fn start_induction(self, regimen: &str) -> Step<'k, Induction> {
        self.apply(&[Event::TherapyStarted { regimen: regimen.to_string() }])
    }
}

impl<'k> Pathway<'k, Induction> {
    /// Record the induction response (needed before consolidation).
    ///
    /// # Errors
    /// The state machine's refusal.
    pub fn response(self, response: ResponseCategory) -> Step<'k, Induction> {
        self.apply(&[Event::ResponseAssessed { response }])
    }
    /// Consolidate with an autologous transplant (needs the eligibility proof). Records a
    /// response first if none was assessed, as the article's pathway assesses response after
    /// induction.
    ///
    /// # Errors
    /// The state machine's refusal.
    pub fn transplant(self, _proof: TransplantEligible) -> Step<'k, TransplantConsolidation> {
        let mut events = Vec::new();
        if self.state.last_response.is_none() {
            events.push(Event::ResponseAssessed { response: ResponseCategory::Pr });
        }
        events.push(Event::TransplantDone);
        self.apply(&events)
    }
    /// Consolidate with further induction cycles.
    ///
    /// # Errors
    /// The state machine's refusal (e.g. no response assessed).
    pub fn extend_induction(self) -> Step<'k, ExtendedInduction> {
        let mut events = Vec::new();
        if self.state.last_response.is_none() {
            events.push(Event::ResponseAssessed { response: ResponseCategory::Pr });
        }
        events.push(Event::ConsolidationStarted { route: ConsolidationRoute::ExtendedInduction });
        self.apply(&events)
    }
    /// Progression during induction (primary refractory disease).
    ///
    /// # Errors
    /// The state machine's refusal.
    pub fn progression(self) -> Step<'k, Relapse> {
        self.apply(&[Event::Progression])
    }
}

impl<'k> Pathway<'k, TransplantConsolidation> {
    /// A second (tandem) transplant.
    ///
    /// # Errors
    /// [`Refusal::TandemLimitReached`] after two transplants, as the state machine says.
    pub fn tandem_transplant(self, _proof: TransplantEligible) -> Step<'k, TransplantConsolidation> {
        self.apply(&[Event::TransplantDone])
    }
    /// Start maintenance.
    ///
    /// # Errors
    /// The state machine's refusal.
    pub fn start_maintenance(self, regimen: &str) -> Step<'k, Maintenance> {
        self.apply(&[Event::MaintenanceStarted { regimen: regimen.to_string() }])
    }
}

impl<'k> Pathway<'k, ExtendedInduction> {
    /// One further cycle of the induction regimen.
    ///
    /// # Errors
    /// The state machine's refusal.
    pub fn cycle(self) -> Step<'k, ExtendedInduction> {
        self.apply(&[Event::CycleCompleted])
    }
    /// Start maintenance (after at least 4 further cycles).
    ///
    /// # Errors
    /// [`Refusal::ConsolidationIncomplete`] before 4 further cycles.
    pub fn start_maintenance(self, regimen: &str) -> Step<'k, Maintenance> {
        self.apply(&[Event::MaintenanceStarted { regimen: regimen.to_string() }])
    }
}

impl<'k> Pathway<'k, Maintenance> {
    /// Progression on maintenance opens the next line.
    ///
    /// # Errors
    /// The state machine's refusal.
    pub fn progression(self) -> Step<'k, Relapse> {
        self.apply(&[Event::Progression])
    }
}

impl<'k> Pathway<'k, Relapse> {
    /// Start a relapse regimen.
    ///
    /// # Errors
    /// The state machine's refusal (e.g. a regimen not used at relapse).
    pub fn start_therapy(self, regimen: &str) -> Step<'k, Relapse> {
        self.apply(&[Event::TherapyStarted { regimen: regimen.to_string() }])
    }
    /// Progression on this line opens the next.
    ///
    /// # Errors
    /// [`Refusal::NoTherapyInProgress`] when no line has started.
    pub fn progression(self) -> Step<'k, Relapse> {
        self.apply(&[Event::Progression])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_third_transplant_is_refused_as_the_state_machine_refuses_it() {
        let proof = TransplantEligible::from_assessment(Eligibility::Eligible).unwrap();
        let p = Pathway::diagnosed(Eligibility::Eligible).start_induction("vrd").unwrap();
        let two = p.transplant(proof).unwrap().tandem_transplant(proof).unwrap();
        assert_eq!(two.transplants(), 2);
        assert_eq!(two.tandem_transplant(proof).unwrap_err(), Refusal::TandemLimitReached);
    }

    #[test]
    fn maintenance_after_extended_induction_needs_four_cycles_as_the_state_machine_says() {
        let p = Pathway::diagnosed(Eligibility::Ineligible).start_induction("vrd").unwrap();
        let ext = p.extend_induction().unwrap();
        assert!(matches!(
            ext.start_maintenance("len-maintenance").unwrap_err(),
            Refusal::ConsolidationIncomplete { .. }
        ));
        let p = Pathway::diagnosed(Eligibility::Ineligible).start_induction("vrd").unwrap();
        let mut ext = p.extend_induction().unwrap();
        for _ in 0..4 {
            ext = ext.cycle().unwrap();
        }
        assert_eq!(ext.start_maintenance("len-maintenance").unwrap().regimen(), Some("len-maintenance"));
    }

    #[test]
    fn an_unknown_regimen_is_refused() {
        let e = Pathway::diagnosed(Eligibility::Eligible).start_induction("no-such").unwrap_err();
        assert!(matches!(e, Refusal::UnknownRegimen { .. }));
    }
}
