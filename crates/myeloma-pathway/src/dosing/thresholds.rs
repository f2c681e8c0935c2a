//! Blood-count thresholds to start a drug or a new cycle, by label and jurisdiction
//! (docs/dosing.md, "Start thresholds"). A known count below a threshold excludes the option
//! (a hard exclusion with the label's wording and version); no reduced dose is invented (the
//! labels give none for a start). Only the
//! thresholds verified in docs/evidence/dosing.md (items 1, 2, 13) are here; the US lenalidomide
//! cycle-1 gate for the 25 mg regimens was NOT FOUND and is not encoded.

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

/// One label's start threshold: the option is excluded when the ANC or the platelet count is below
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

/// A start threshold the patient's known counts do not meet: the option is excluded (a hard
/// exclusion, issue 11: "an unresolved start threshold"), with the counts, the label's minimum,
/// its words and version.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmet {
    /// Index of the component in the regimen.
    pub component: usize,
    /// The drug held back.
    pub drug: Drug,
    /// Why not: the lab, its value and unit, the threshold, the label and its version, its words.
    pub reason: String,
    /// Citation.
    pub citation: CitationId,
}

/// The thresholds of `r` for the patient: those its known counts do not meet, and the counts
/// that would decide a threshold that no known count already breaks. `starting` is false for a
/// course under way (a start gate then does not apply; a new-cycle gate does).
pub fn unmet_thresholds(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    starting: bool,
) -> (Vec<Unmet>, Vec<(usize, MissingInput)>) {
    let mut unmet = Vec::new();
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
            let gate = if t.gate == Gate::Start { "start" } else { "new-cycle" };
            let what = format!("{} {gate} threshold ({} label)", c.drug.name(), t.jurisdiction.id());
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
            let reason = format!(
                "{drug} {gate} threshold not met: {counts} ({j} label: {source}, {version}, {section}: \"{wording}\"\
                 {reading}); not offered until the counts recover (the label gives no reduced starting dose for this)",
                drug = c.drug.name(),
                counts = below.join(", "),
                j = t.jurisdiction.id(),
                source = short_source(&cite.source),
                version = cite.version,
                section = cite.section,
                wording = t.wording,
            );
            // A drug in two schedule lines (ixazomib 3 mg then 4 mg) meets the same gate once.
            if unmet.iter().any(|u: &Unmet| u.drug == c.drug && u.reason == reason) {
                continue;
            }
            unmet.push(Unmet { component: i, drug: c.drug, reason, citation: t.citation });
        }
    }
    (unmet, missing)
}

/// The label's name: the citation source up to its first quotation or colon.
fn short_source(source: &str) -> &str {
    source.split([':', '\'']).next().unwrap_or(source).trim()
}

/// `0.8 × 10⁹/L` or `0.999 × 10⁹/L (entered 999 /µL)`.
fn shown(u: &Understood) -> String {
    if u.entered_unit == u.unit {
        format!("{} × 10⁹/L", count(u.value))
    } else {
        format!("{} × 10⁹/L (entered {} {})", count(u.value), num(u.entered_value), u.entered_unit)
    }
}

/// A count in 10⁹/L to 0.001 (one cell per microlitre), so a count just below a threshold never
/// prints as the threshold itself (999 /µL is 0.999, not "1 < 1").
fn count(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
