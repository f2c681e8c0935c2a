//! The pathway history as recorded: phases, events, and why an event can be refused.
//!
//! These are the contract types of the record's `history`; the state machine that replays them
//! is [`crate::pathway`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Date, Drug, MrdStatus, ResponseCategory};

/// Where a patient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsolidationRoute {
    /// Autologous stem-cell transplant.
    Transplant,
    /// 4–6 further cycles of the induction regimen.
    ExtendedInduction,
}

/// Something that happened on the pathway.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
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

/// JSON: one object per entry, the event's `event` tag and fields with an optional `date` beside
/// them (serde's flatten, read by the hand-written `Deserialize` above): [`Event`]'s schema with
/// `date` added to every variant, unknown keys still refused.
impl schemars::JsonSchema for HistoryEntry {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HistoryEntry".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let date = serde_json::Value::from(generator.subschema_for::<Option<Date>>());
        let mut schema = Event::json_schema(generator);
        if let Some(serde_json::Value::Array(variants)) = schema.get_mut("oneOf") {
            for variant in variants {
                if let Some(serde_json::Value::Object(props)) = variant.get_mut("properties") {
                    props.insert("date".into(), date.clone());
                }
            }
        }
        schema.insert("description".into(), "A pathway event, with its date where known.".into());
        schema
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
