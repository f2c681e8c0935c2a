//! Doses for this patient: formulas (BSA, eGFR, corrected calcium), per-component doses with
//! the arithmetic, label adjustments by jurisdiction and version, supportive care, and the
//! day-by-day calendar. Sources: docs/dosing.md.
//!
//! This module depends on record, patient, kb, guideline, error and assess only; the output
//! types it returns ([`doses::ComponentDose`], [`calendar::Calendar`], [`supportive::SupportiveCare`])
//! live here and the plan uses them.

use crate::kb::Jurisdiction;

pub mod calendar;
pub mod doses;
pub mod formulas;
pub mod supportive;
pub mod thresholds;

pub use doses::{component_doses, ComponentDose, DoseAdjustment};

/// Lenalidomide renal starting dose for the **25 mg** regimens by label (`len-renal-us`,
/// `len-renal-eu`). `None` = no adjustment.
///
/// US: CrCl ≥60 no change; 30–<60 10 mg daily; <30 not on dialysis 15 mg every 48 h; dialysis
/// 5 mg daily after dialysis. EU: ≥50 no change; 30–<50 10 mg daily; <30 15 mg every other day;
/// dialysis 5 mg daily after dialysis. For other regimen doses use [`lenalidomide_renal_for_dose`].
///
/// Below 30 mL/min the dose depends on dialysis: when `on_dialysis` is unknown (`None`) both
/// doses are returned in one line (unknown is not "not on dialysis"); the caller reports
/// `organ_function.on_dialysis` missing ([`dialysis_status_decides`]).
pub fn lenalidomide_renal_dose(crcl_ml_min: f64, on_dialysis: Option<bool>, j: Jurisdiction) -> Option<&'static str> {
    if on_dialysis.is_none() && dialysis_status_decides(crcl_ml_min) {
        return Some(match j {
            Jurisdiction::Us => {
                "dialysis status unknown: 15 mg every 48 hours if not on dialysis, or 5 mg once daily after dialysis on dialysis days if on dialysis"
            }
            Jurisdiction::Eu => {
                "dialysis status unknown: 15 mg every other day if not on dialysis, or 5 mg once daily after dialysis on dialysis days if on dialysis"
            }
        });
    }
    if on_dialysis == Some(true) {
        return Some("5 mg once daily, after dialysis on dialysis days");
    }
    if crcl_ml_min >= no_change_from(j) {
        None
    } else if crcl_ml_min >= 30.0 {
        Some("10 mg once daily")
    } else {
        Some(match j {
            Jurisdiction::Us => "15 mg every 48 hours",
            Jurisdiction::Eu => "15 mg every other day",
        })
    }
}

/// Whether dialysis status changes the lenalidomide renal dose: below 30 mL/min, where the labels
/// give a different dose on dialysis (`len-renal-us`, `len-renal-eu`).
pub fn dialysis_status_decides(crcl_ml_min: f64) -> bool {
    crcl_ml_min < 30.0
}

fn no_change_from(j: Jurisdiction) -> f64 {
    match j {
        Jurisdiction::Us => 60.0,
        Jurisdiction::Eu => 50.0,
    }
}

/// The lenalidomide renal rule for one regimen dose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LenalidomideRenal {
    /// No adjustment.
    NoChange,
    /// The 25 mg table's dose.
    Adjusted {
        /// mg per administration.
        amount_mg: f64,
        /// In words.
        text: &'static str,
        /// Every 48 hours / every other day.
        every_other_day: bool,
    },
    /// Below 30 mL/min the dose depends on dialysis, and the record does not say.
    DialysisUnknown,
    /// A dose other than 25 mg (the 10 mg maintenance dose) below the 25 mg table's threshold: the
    /// label's own (maintenance) table applies and its values were NOT FOUND in the project's
    /// sources; nothing is computed.
    TableNotFound,
}

impl LenalidomideRenal {
    /// Average mg per day (for the "lower CrCl never raises a dose" property): no change = the
    /// regimen dose.
    pub fn mg_per_day(&self, regimen_dose_mg: f64) -> Option<f64> {
        match self {
            LenalidomideRenal::NoChange => Some(regimen_dose_mg),
            LenalidomideRenal::Adjusted { amount_mg, every_other_day, .. } => {
                Some(if *every_other_day { amount_mg / 2.0 } else { *amount_mg })
            }
            _ => None,
        }
    }
}

/// Lenalidomide renal rule for a regimen dose: the 25 mg table only for 25 mg regimens.
pub fn lenalidomide_renal_for_dose(
    regimen_dose_mg: f64,
    crcl_ml_min: f64,
    on_dialysis: Option<bool>,
    j: Jurisdiction,
) -> LenalidomideRenal {
    let below = crcl_ml_min < no_change_from(j) || on_dialysis == Some(true);
    #[allow(clippy::float_cmp)]
    if regimen_dose_mg != 25.0 {
        return if below { LenalidomideRenal::TableNotFound } else { LenalidomideRenal::NoChange };
    }
    if crcl_ml_min < 30.0 && on_dialysis.is_none() {
        return LenalidomideRenal::DialysisUnknown;
    }
    match lenalidomide_renal_dose(crcl_ml_min, on_dialysis, j) {
        None => LenalidomideRenal::NoChange,
        Some(text) => {
            let (amount_mg, every_other_day) = if text.starts_with("15 mg") {
                (15.0, true)
            } else if text.starts_with("10 mg") {
                (10.0, false)
            } else {
                (5.0, false)
            };
            LenalidomideRenal::Adjusted { amount_mg, text, every_other_day }
        }
    }
}
