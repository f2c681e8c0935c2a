//! Blood-count thresholds to start a drug or a new cycle, by label and jurisdiction
//! (docs/dosing.md, "Start thresholds"). Below a threshold the plan holds the drug with the
//! label's wording: no reduced dose is invented (the labels give none for a start). Only the
//! thresholds verified in docs/evidence/dosing.md (items 1, 2, 13) are here; the US lenalidomide
//! cycle-1 gate for the 25 mg regimens was NOT FOUND and is not encoded.

use super::doses::{DoseAdjustment, Scope};
use super::formulas::num;
use crate::assess::missing::MissingInput;
use crate::guideline::{Guideline, Jurisdiction};
use crate::kb::regimen::{Regimen, Use};
use crate::kb::{CitationId, KnowledgeBase};
use crate::patient::labs::Understood;
use crate::patient::Patient;
use crate::record::Drug;

/// When a threshold is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Before the drug is started (not for a course already under way).
    Start,
    /// Before every new cycle, including the first.
    NewCycle,
}

/// Which regimens a threshold is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// Every regimen with the drug.
    AnyRegimen,
    /// Maintenance regimens only (the US Revlimid maintenance start after auto-HSCT).
    Maintenance,
}

/// One label's start threshold: the drug is held when the ANC or the platelet count is below
/// its minimum (every label read writes "at least" / "≥" to start, or "must not be started if
/// <", so a count equal to the minimum starts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StartThreshold {
    /// Drug.
    pub drug: Drug,
    /// Jurisdiction of the label.
    pub jurisdiction: Jurisdiction,
    /// Regimens it is written for.
    pub applies: Applies,
    /// Start or new cycle.
    pub gate: Gate,
    /// Minimum ANC, 10⁹/L.
    pub anc_min: f64,
    /// Minimum platelet count, 10⁹/L.
    pub platelets_min: f64,
    /// The label's words.
    pub wording: &'static str,
    /// How the project reads an ambiguous wording, where it is.
    pub reading: Option<&'static str>,
    /// Citation.
    pub citation: CitationId,
}

/// The verified thresholds (docs/evidence/dosing.md items 1a, 1b, 2, 13).
pub const START_THRESHOLDS: [StartThreshold; 4] = [
    StartThreshold {
        drug: Drug::Lenalidomide,
        jurisdiction: Jurisdiction::Eu,
        applies: Applies::AnyRegimen,
        gate: Gate::Start,
        anc_min: 1.0,
        platelets_min: 50.0,
        wording: "lenalidomide treatment must not be started if the ANC is < 1.0 × 10⁹/L, and/or platelet counts \
                  are < 50 × 10⁹/L",
        reading: None,
        citation: CitationId::RevlimidSmpc2024,
    },
    StartThreshold {
        drug: Drug::Lenalidomide,
        jurisdiction: Jurisdiction::Us,
        applies: Applies::Maintenance,
        gate: Gate::Start,
        anc_min: 1.0,
        platelets_min: 75.0,
        wording: "initiate lenalidomide maintenance after adequate hematologic recovery (ANC ≥ 1000/mcL and/or \
                  platelet counts ≥ 75,000/mcL)",
        reading: Some("the label's \"and/or\" is read as both counts at or above their threshold"),
        citation: CitationId::RevlimidUspi,
    },
    StartThreshold {
        drug: Drug::Pomalidomide,
        jurisdiction: Jurisdiction::Us,
        applies: Applies::AnyRegimen,
        gate: Gate::NewCycle,
        anc_min: 0.5,
        platelets_min: 50.0,
        wording: "to initiate a new cycle, the neutrophil count must be at least 500 per mcL and the platelet \
                  count at least 50,000 per mcL",
        reading: None,
        citation: CitationId::PomalystUspiNewCycle,
    },
    StartThreshold {
        drug: Drug::Ixazomib,
        jurisdiction: Jurisdiction::Us,
        applies: Applies::AnyRegimen,
        gate: Gate::NewCycle,
        anc_min: 1.0,
        platelets_min: 75.0,
        wording: "prior to initiating a new cycle: ANC ≥ 1000/mm³ and platelet count ≥ 75,000/mm³",
        reading: None,
        citation: CitationId::NinlaroUspiNewCycle,
    },
];

/// A drug held by a start threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    /// Index of the component in the regimen.
    pub component: usize,
    /// The adjustment on that component's dose (`start_threshold_hold`, no amount).
    pub adjustment: DoseAdjustment,
    /// The warning text (names the drug, not the regimen, so one warning covers every option).
    pub warning: String,
    /// Citation.
    pub citation: CitationId,
}

/// The thresholds of `r` for the patient: the holds, and the counts that would decide a
/// threshold that no known count already breaks. `starting` is false for a course under way
/// (a start gate then does not apply; a new-cycle gate does).
pub fn start_holds(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    starting: bool,
) -> (Vec<Hold>, Vec<(usize, MissingInput)>) {
    let mut holds = Vec::new();
    let mut missing = Vec::new();
    let anc = p.labs.anc.map(|v| v.understood());
    let platelets = p.labs.platelets.map(|v| v.understood());
    for (i, c) in r.components.iter().enumerate() {
        for t in START_THRESHOLDS.iter().filter(|t| t.drug == c.drug && t.jurisdiction == g.jurisdiction) {
            if t.gate == Gate::Start && !starting {
                continue;
            }
            if t.applies == Applies::Maintenance && !r.uses.contains(&Use::Maintenance) {
                continue;
            }
            let mut below = Vec::new();
            if let Some(a) = anc.filter(|a| a.value < t.anc_min) {
                below.push(format!("ANC {} < {} × 10⁹/L", shown(&a), num(t.anc_min)));
            }
            if let Some(x) = platelets.filter(|x| x.value < t.platelets_min) {
                below.push(format!("platelets {} < {} × 10⁹/L", shown(&x), num(t.platelets_min)));
            }
            let cite = kb.cite(t.citation);
            let label = format!("{} ({})", cite.source, cite.version);
            let what = format!(
                "{} {} threshold ({} label)",
                c.drug.name(),
                if t.gate == Gate::Start { "start" } else { "new-cycle" },
                t.jurisdiction.id()
            );
            if below.is_empty() {
                if anc.is_none() {
                    missing.push((
                        i,
                        MissingInput::new("labs.anc", "complete blood count (absolute neutrophil count)", &what),
                    ));
                }
                if platelets.is_none() {
                    missing
                        .push((i, MissingInput::new("labs.platelets", "complete blood count (platelet count)", &what)));
                }
                continue;
            }
            let reading = t.reading.map_or_else(String::new, |x| format!("; {x}"));
            let rule = format!(
                "{}: the label says \"{}\"{reading}: hold {} until the counts recover (the label gives no reduced \
                 starting dose for this)",
                below.join(", "),
                t.wording,
                c.drug.name()
            );
            holds.push(Hold {
                component: i,
                adjustment: DoseAdjustment {
                    code: "start_threshold_hold",
                    rule: rule.clone(),
                    amount_mg: None,
                    dose: None,
                    arithmetic: None,
                    scope: if t.gate == Gate::Start { Scope::CycleOne } else { Scope::All },
                    every_other_day: false,
                    jurisdiction: Some(t.jurisdiction),
                    label,
                    evidence: cite.evidence,
                    citations: vec![t.citation.key().to_string()],
                },
                warning: format!("{}: {rule}", c.drug.name()),
                citation: t.citation,
            });
        }
    }
    (holds, missing)
}

/// `0.8 × 10⁹/L` or `0.8 × 10⁹/L (entered 800 /µL)`.
fn shown(u: &Understood) -> String {
    if u.entered_unit == u.unit {
        format!("{} × 10⁹/L", num(u.value))
    } else {
        format!("{} × 10⁹/L (entered {} {})", num(u.value), num(u.entered_value), u.entered_unit)
    }
}
