//! Staging: ISS (Greipp 2005), R-ISS (Palumbo 2015) and R2-ISS (D'Agostino 2022).
//!
//! Every stage is decided from explicit comparators, each stage's complement written out (no
//! gap between "β2M < 5.4" and "≥ 5.5", clinical-reference §12). A missing input never counts as
//! normal or as zero points: when it could change the stage the result is *not computable* and
//! the input is named; when it provably cannot (β2M ≥ 5.5 mg/L is ISS III whatever the albumin),
//! the stage is given.

use serde::Serialize;

use crate::assess::missing::{normalise, MissingInput};
use crate::kb::{Citation, CitationId, KnowledgeBase};
use crate::patient::Patient;
use crate::record::{Abnormality, Status};

/// ISS β2-microglobulin upper bound for stage I: < 3.5 mg/L (Greipp 2005; clinical-reference §2.1).
pub const ISS_B2M_STAGE_I_BELOW_MG_L: f64 = 3.5;
/// ISS albumin lower bound for stage I: ≥ 3.5 g/dL (Greipp 2005; clinical-reference §2.1).
pub const ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL: f64 = 3.5;
/// ISS β2-microglobulin bound for stage III: ≥ 5.5 mg/L (Greipp 2005; clinical-reference §2.1).
pub const ISS_B2M_STAGE_III_AT_LEAST_MG_L: f64 = 5.5;

/// ISS stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum IssStage {
    /// Stage I.
    I,
    /// Stage II.
    II,
    /// Stage III.
    III,
}

/// R-ISS stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum RIssStage {
    /// Stage I.
    I,
    /// Stage II.
    II,
    /// Stage III.
    III,
}

/// R2-ISS group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum R2IssStage {
    /// Low (0 points).
    I,
    /// Low-intermediate (0.5–1).
    II,
    /// Intermediate-high (1.5–2.5).
    III,
    /// High (3–5).
    IV,
}

/// A staging result with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Staging<S> {
    /// The stage, or `None` when not computable.
    pub stage: Option<S>,
    /// Which value met which threshold.
    pub breakdown: Vec<String>,
    /// Inputs that were missing and could change the stage.
    pub missing_inputs: Vec<MissingInput>,
    /// Source.
    pub citation: Citation,
}

/// R2-ISS result: the group plus the additive score.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct R2Iss {
    /// The group and breakdown.
    #[serde(flatten)]
    pub staging: Staging<R2IssStage>,
    /// Total points (0–5) when computable.
    pub points: Option<f64>,
}

fn missing_b2m(purpose: &str) -> MissingInput {
    MissingInput::new("labs.beta2_microglobulin", "serum β2-microglobulin", purpose)
}
fn missing_albumin(purpose: &str) -> MissingInput {
    MissingInput::new("labs.albumin", "serum albumin", purpose)
}
fn missing_ldh(purpose: &str) -> MissingInput {
    MissingInput::new("labs.ldh", "serum LDH with the laboratory's upper limit of normal", purpose)
}

/// ISS stage.
pub fn iss(kb: &KnowledgeBase, p: &Patient) -> Staging<IssStage> {
    let b2m = p.labs.beta2_microglobulin.map(|v| v.canonical());
    let alb = p.labs.albumin.map(|v| v.canonical());
    let mut breakdown = Vec::new();
    let mut missing = Vec::new();
    if let Some(b) = b2m {
        breakdown.push(format!("β2-microglobulin {b} mg/L"));
    }
    if let Some(a) = alb {
        breakdown.push(format!("albumin {a} g/dL"));
    }
    let stage = match (b2m, alb) {
        (Some(b), _) if b >= ISS_B2M_STAGE_III_AT_LEAST_MG_L => {
            breakdown.push(if alb.is_some() {
                format!("β2M ≥ {ISS_B2M_STAGE_III_AT_LEAST_MG_L} mg/L → stage III")
            } else {
                format!("β2M ≥ {ISS_B2M_STAGE_III_AT_LEAST_MG_L} mg/L → stage III whatever the albumin (albumin missing, cannot change it)")
            });
            Some(IssStage::III)
        }
        (Some(b), Some(a)) if b < ISS_B2M_STAGE_I_BELOW_MG_L && a >= ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL => {
            breakdown.push(format!("β2M < {ISS_B2M_STAGE_I_BELOW_MG_L} mg/L and albumin ≥ {ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL} g/dL → stage I"));
            Some(IssStage::I)
        }
        (Some(b), Some(_)) => {
            breakdown.push(format!(
                "β2M {b} mg/L is < {ISS_B2M_STAGE_III_AT_LEAST_MG_L}, and stage I criteria are not both met → stage II"
            ));
            Some(IssStage::II)
        }
        (Some(b), None) if b >= ISS_B2M_STAGE_I_BELOW_MG_L => {
            breakdown.push(format!("β2M {ISS_B2M_STAGE_I_BELOW_MG_L}–<{ISS_B2M_STAGE_III_AT_LEAST_MG_L} mg/L → stage II whatever the albumin (albumin missing, cannot change it)"));
            Some(IssStage::II)
        }
        (Some(_), None) => {
            missing.push(missing_albumin("ISS (stage I vs II)"));
            None
        }
        (None, _) => {
            missing.push(missing_b2m("ISS"));
            if alb.is_none() {
                missing.push(missing_albumin("ISS"));
            }
            None
        }
    };
    Staging { stage, breakdown, missing_inputs: missing, citation: kb.cite(CitationId::Iss2005) }
}

/// Three-valued "high-risk chromosomal abnormality" for R-ISS: del(17p), t(4;14), t(14;16).
fn riss_high_risk_ca(p: &Patient, missing: &mut Vec<MissingInput>, breakdown: &mut Vec<String>) -> Option<bool> {
    let probes = [Abnormality::Del17p, Abnormality::T4_14, Abnormality::T14_16];
    let detected: Vec<&str> =
        probes.iter().filter(|a| p.cytogenetics.status(**a) == Status::Detected).map(|a| a.notation()).collect();
    if !detected.is_empty() {
        breakdown.push(format!("high-risk CA: {}", detected.join(", ")));
        return Some(true);
    }
    let untested: Vec<&Abnormality> =
        probes.iter().filter(|a| p.cytogenetics.status(**a) == Status::NotTested).collect();
    if untested.is_empty() {
        breakdown.push("no high-risk CA (del(17p), t(4;14), t(14;16) not detected)".into());
        Some(false)
    } else {
        for a in untested {
            missing.push(MissingInput::new(
                format!("cytogenetics.{}", a.id()),
                a.deciding_test(),
                "R-ISS (high-risk CA)",
            ));
        }
        None
    }
}

/// R-ISS stage: I = ISS I and standard-risk CA and normal LDH; III = ISS III and (high-risk CA or
/// high LDH); II = neither.
pub fn r_iss(kb: &KnowledgeBase, p: &Patient) -> Staging<RIssStage> {
    let iss_r = iss(kb, p);
    let mut breakdown = Vec::new();
    let mut missing = Vec::new();
    let b2m = p.labs.beta2_microglobulin.map(|v| v.canonical());
    // ISS I is still possible when the ISS is unknown only for lack of albumin with β2M < 3.5.
    let iss_candidates: Vec<IssStage> = match iss_r.stage {
        Some(s) => {
            breakdown.push(format!("ISS {s:?}"));
            vec![s]
        }
        None if b2m.is_some() => vec![IssStage::I, IssStage::II],
        // Albumin < 3.5 g/dL rules out ISS I whatever the β2M.
        None if p.labs.albumin.is_some_and(|a| a.canonical() < ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL) => {
            vec![IssStage::II, IssStage::III]
        }
        None => vec![IssStage::I, IssStage::II, IssStage::III],
    };
    let hr = riss_high_risk_ca(p, &mut missing, &mut breakdown);
    let ldh = p.labs.ldh_high();
    match ldh {
        Some(true) => breakdown.push("LDH above the upper limit of normal".into()),
        Some(false) => breakdown.push("LDH within normal".into()),
        None => {}
    }
    let adverse = match (hr, ldh) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    };
    let stage_for = |s: IssStage, adverse: bool| match (s, adverse) {
        (IssStage::I, false) => RIssStage::I,
        (IssStage::III, true) => RIssStage::III,
        _ => RIssStage::II,
    };
    let adverse_candidates: Vec<bool> = match adverse {
        Some(a) => vec![a],
        None => vec![false, true],
    };
    let mut outcomes: Vec<RIssStage> =
        iss_candidates.iter().flat_map(|s| adverse_candidates.iter().map(move |a| stage_for(*s, *a))).collect();
    outcomes.sort();
    outcomes.dedup();
    let stage = match outcomes.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    if stage.is_none() {
        missing.extend(iss_r.missing_inputs.iter().cloned());
        if ldh.is_none() {
            missing.push(missing_ldh("R-ISS"));
        }
    } else {
        // Inputs that were missing but could not change the stage are not reported as missing;
        // the breakdown says which they were and why.
        let mut unused: Vec<String> = iss_r.missing_inputs.iter().map(|m| m.field.clone()).collect();
        unused.extend(missing.iter().map(|m| m.field.clone()));
        if ldh.is_none() {
            unused.push("labs.ldh".into());
        }
        unused.sort();
        unused.dedup();
        if !unused.is_empty() {
            breakdown.push(format!(
                "{} missing: every value gives the same R-ISS stage, so the stage is given",
                unused.join(", ")
            ));
        }
        missing.clear();
    }
    for m in &mut missing {
        if !m.needed_for.starts_with("R-ISS") {
            m.needed_for = format!("R-ISS ({})", m.needed_for);
        }
    }
    normalise(&mut missing);
    if let Some(s) = stage {
        breakdown.push(format!("→ R-ISS {s:?}"));
    }
    Staging { stage, breakdown, missing_inputs: missing, citation: kb.cite(CitationId::RIss2015) }
}

/// R2-ISS group for a total in half points: 0 → I, 0.5–1 → II, 1.5–2.5 → III, 3–5 → IV
/// (clinical-reference §2.3).
fn r2_group(halves: u32) -> R2IssStage {
    match halves {
        0 => R2IssStage::I,
        1..=2 => R2IssStage::II,
        3..=5 => R2IssStage::III,
        _ => R2IssStage::IV,
    }
}

/// R2-ISS: additive score, ISS II 1, ISS III 1.5, del(17p) 1, high LDH 1, t(4;14) 1, 1q+ 0.5.
/// A missing input counts neither as normal nor as zero: each can only add its points, so the
/// group is given when the lowest and the highest total the missing inputs allow fall in the same
/// group (3 points without LDH is IV whatever the LDH), and is not computable otherwise.
pub fn r2_iss(kb: &KnowledgeBase, p: &Patient) -> R2Iss {
    // Points are counted in halves to keep the arithmetic exact. `extra` is the most the missing
    // inputs could add.
    let mut halves: u32 = 0;
    let mut extra: u32 = 0;
    let mut breakdown = Vec::new();
    let mut missing = Vec::new();
    let iss_r = iss(kb, p);
    match iss_r.stage {
        Some(IssStage::I) => breakdown.push("ISS I: 0".into()),
        Some(IssStage::II) => {
            halves += 2;
            breakdown.push("ISS II: +1".into());
        }
        Some(IssStage::III) => {
            halves += 3;
            breakdown.push("ISS III: +1.5".into());
        }
        None => {
            // The ISS stages still possible: β2M known (< 3.5 without albumin) leaves I or II;
            // albumin < 3.5 without β2M leaves II or III; nothing known leaves I to III.
            let b2m = p.labs.beta2_microglobulin.map(|v| v.canonical());
            let alb = p.labs.albumin.map(|v| v.canonical());
            let (lo, hi, label) = match (b2m, alb) {
                (Some(_), None) => (0, 2, "ISS I or II (albumin missing): 0 to +1"),
                (None, Some(a)) if a < ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL => {
                    (2, 3, "ISS II or III (β2-microglobulin missing, albumin < 3.5 g/dL): +1 to +1.5")
                }
                _ => (0, 3, "ISS not known: 0 to +1.5"),
            };
            halves += lo;
            extra += hi - lo;
            breakdown.push(label.into());
            missing.extend(iss_r.missing_inputs.iter().cloned());
        }
    }
    for (a, h, label) in
        [(Abnormality::Del17p, 2, "+1"), (Abnormality::T4_14, 2, "+1"), (Abnormality::Gain1q, 1, "+0.5")]
    {
        match p.cytogenetics.status(a) {
            Status::Detected => {
                halves += h;
                breakdown.push(format!("{}: {label}", a.notation()));
            }
            Status::NotDetected => breakdown.push(format!("{} not detected: 0", a.notation())),
            Status::NotTested => {
                extra += h;
                breakdown.push(format!("{} not tested: 0 or {label}", a.notation()));
                missing.push(MissingInput::new(format!("cytogenetics.{}", a.id()), a.deciding_test(), "R2-ISS"))
            }
        }
    }
    match p.labs.ldh_high() {
        Some(true) => {
            halves += 2;
            breakdown.push("LDH above ULN: +1".into());
        }
        Some(false) => breakdown.push("LDH within normal: 0".into()),
        None => {
            extra += 2;
            breakdown.push("LDH not known: 0 or +1".into());
            missing.push(missing_ldh("R2-ISS"));
        }
    }
    for m in &mut missing {
        if !m.needed_for.starts_with("R2-ISS") {
            m.needed_for = "R2-ISS".into();
        }
    }
    normalise(&mut missing);
    let (lo, hi) = (r2_group(halves), r2_group(halves + extra));
    let (stage, points) = if missing.is_empty() {
        let pts = f64::from(halves) / 2.0;
        breakdown.push(format!("total {pts} → R2-ISS {lo:?}"));
        (Some(lo), Some(pts))
    } else if lo == hi {
        breakdown.push(format!(
            "total {} to {} whatever the missing inputs ({}) → R2-ISS {lo:?} in every case: the missing inputs cannot change the group",
            f64::from(halves) / 2.0,
            f64::from(halves + extra) / 2.0,
            missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>().join(", ")
        ));
        // Inputs that cannot change the group are not reported as missing for it.
        missing.clear();
        (Some(lo), None)
    } else {
        breakdown.push(format!(
            "total {} to {} depending on the missing inputs → R2-ISS {lo:?} to {hi:?}: not computable",
            f64::from(halves) / 2.0,
            f64::from(halves + extra) / 2.0
        ));
        (None, None)
    };
    R2Iss {
        staging: Staging { stage, breakdown, missing_inputs: missing, citation: kb.cite(CitationId::R2Iss2022) },
        points,
    }
}

/// All three staging systems for one patient.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StagingSummary {
    /// ISS.
    pub iss: Staging<IssStage>,
    /// R-ISS.
    pub r_iss: Staging<RIssStage>,
    /// R2-ISS.
    pub r2_iss: R2Iss,
}

/// Stage a patient under ISS, R-ISS and R2-ISS.
pub fn stage_all(kb: &KnowledgeBase, p: &Patient) -> StagingSummary {
    StagingSummary { iss: iss(kb, p), r_iss: r_iss(kb, p), r2_iss: r2_iss(kb, p) }
}
