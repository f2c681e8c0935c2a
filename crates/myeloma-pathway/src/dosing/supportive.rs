//! Supportive care an option needs, only where a cited source gives the rule, and the
//! zoledronic acid renal table. Items the research notes list as NOT FOUND (bortezomib,
//! ixazomib and isatuximab antiviral wording; EU texts; denosumab renal text) are not emitted.

use serde::Serialize;

use crate::kb::regimen::Regimen;
use crate::kb::{CitationId, Evidence, KnowledgeBase};
use crate::record::Drug;

/// One supportive-care item.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SupportiveCare {
    /// Stable code, e.g. `vzv_prophylaxis`.
    pub code: &'static str,
    /// What to do, in the source's terms.
    pub text: String,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

fn item(kb: &KnowledgeBase, code: &'static str, text: &str, id: CitationId) -> SupportiveCare {
    SupportiveCare { code, text: text.into(), evidence: kb.cite(id).evidence, citations: vec![id.key().into()] }
}

/// Supportive care for a regimen (the IMWG 2008 VTE rule for IMiDs is carried in the option notes,
/// `imwg-vte-2008`).
pub fn supportive_care(kb: &KnowledgeBase, r: &Regimen) -> Vec<SupportiveCare> {
    let drugs = r.drugs();
    let mut v = Vec::new();
    if drugs.iter().any(|d| matches!(d, Drug::DaratumumabIv | Drug::DaratumumabSc)) {
        v.push(item(
            kb,
            "vzv_prophylaxis",
            "daratumumab: initiate antiviral prophylaxis to prevent herpes zoster reactivation within 1 week after \
             starting, and continue for 3 months after the end of treatment",
            CitationId::DaratumumabVzv,
        ));
        v.push(item(
            kb,
            "hbv_screening",
            "daratumumab: HBV screening in all patients before initiation; with positive HBV serology monitor during \
             and for at least 6 months after treatment",
            CitationId::DaratumumabHbv,
        ));
    }
    if drugs.contains(&Drug::Carfilzomib) {
        v.push(item(
            kb,
            "vzv_prophylaxis",
            "carfilzomib: consider antiviral prophylaxis to decrease the risk of herpes zoster reactivation",
            CitationId::KyprolisUspi,
        ));
    }
    v
}

/// Zoledronic acid dose by baseline Cockcroft-Gault CrCl (Zometa US label Table 1 / EU SmPC).
///
/// Bands: > 60 → 4 mg; 50–60 → 3.5 mg (60 itself is in the "50–60" row); 40–49 → 3.3 mg;
/// 30–39 → 3.0 mg; < 30 → `None` (EU: not recommended; the US text for < 30 was not read).
/// The label's integer bands leave gaps (49.5): each band is read as half-open from its lower
/// edge ([40, 50) → 3.3 mg), a documented choice.
pub fn zoledronic_acid_mg(crcl_ml_min: f64) -> Option<f64> {
    if crcl_ml_min > 60.0 {
        Some(4.0)
    } else if crcl_ml_min >= 50.0 {
        Some(3.5)
    } else if crcl_ml_min >= 40.0 {
        Some(3.3)
    } else if crcl_ml_min >= 30.0 {
        Some(3.0)
    } else {
        None
    }
}
