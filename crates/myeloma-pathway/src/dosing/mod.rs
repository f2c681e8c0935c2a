//! Doses for this patient: label adjustments by renal function and jurisdiction.

use crate::kb::Jurisdiction;

/// Lenalidomide renal starting dose by label (clinical-reference §7.1). `None` = no adjustment.
///
/// US: CrCl ≥60 no change; 30–<60 10 mg daily; <30 not on dialysis 15 mg every 48 h; dialysis
/// 5 mg daily after dialysis. EU: ≥50 no change; 30–<50 10 mg daily; <30 15 mg every other day;
/// dialysis 5 mg daily after dialysis.
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
    let no_change_from = match j {
        Jurisdiction::Us => 60.0,
        Jurisdiction::Eu => 50.0,
    };
    if crcl_ml_min >= no_change_from {
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
/// give a different dose on dialysis (clinical-reference §7.1).
pub fn dialysis_status_decides(crcl_ml_min: f64) -> bool {
    crcl_ml_min < 30.0
}
