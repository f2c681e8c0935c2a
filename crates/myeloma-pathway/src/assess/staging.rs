//! Staging: ISS (Greipp 2005), R-ISS (Palumbo 2015) and R2-ISS (D'Agostino 2022).
//!
//! Every stage is decided from explicit comparators, each stage's complement written out (no
//! gap between "β2M < 5.4" and "≥ 5.5", docs/clinical-basis.md, Pitfalls). A missing input never counts as
//! normal or as zero points: when it could change the stage the result is *not computable* and
//! the input is named; when it provably cannot (β2M ≥ 5.5 mg/L is ISS III whatever the albumin),
//! the stage is given.

use serde::Serialize;

use crate::assess::missing::{normalise, MissingInput};
use crate::kb::{Citation, CitationId, KnowledgeBase};
use crate::patient::Patient;
use crate::record::{Abnormality, Status};

/// ISS β2-microglobulin upper bound for stage I: < 3.5 mg/L (Greipp 2005, `iss-2005`).
pub const ISS_B2M_STAGE_I_BELOW_MG_L: f64 = 3.5;
/// ISS albumin lower bound for stage I: ≥ 3.5 g/dL (Greipp 2005, `iss-2005`).
pub const ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL: f64 = 3.5;
/// ISS β2-microglobulin bound for stage III: ≥ 5.5 mg/L (Greipp 2005, `iss-2005`).
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
#[schemars(rename = "Staging_{S}")]
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

/// What the ISS rule concludes from β2-microglobulin (mg/L) and albumin (g/dL): the one rule
/// both the per-patient [`iss`] and the batch [`crate::assess::columns`] path call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssRule {
    /// β2M ≥ 5.5 mg/L with albumin known: stage III.
    III,
    /// β2M ≥ 5.5 mg/L, albumin missing (cannot change it): stage III.
    IIIWhateverAlbumin,
    /// β2M < 3.5 mg/L and albumin ≥ 3.5 g/dL: stage I.
    I,
    /// Both known, neither I nor III: stage II.
    II,
    /// β2M 3.5–<5.5 mg/L, albumin missing (cannot change it): stage II.
    IIWhateverAlbumin,
    /// β2M < 3.5 mg/L and albumin missing: I or II, not computable.
    NeedAlbumin,
    /// β2M missing: not computable.
    NeedB2m,
}

impl IssRule {
    /// The stage, when the rule gives one.
    pub fn stage(self) -> Option<IssStage> {
        match self {
            IssRule::III | IssRule::IIIWhateverAlbumin => Some(IssStage::III),
            IssRule::I => Some(IssStage::I),
            IssRule::II | IssRule::IIWhateverAlbumin => Some(IssStage::II),
            IssRule::NeedAlbumin | IssRule::NeedB2m => None,
        }
    }
}

/// The ISS rule (Greipp 2005): β2M in mg/L, albumin in g/dL, each `None` when missing.
#[inline]
pub fn iss_rule(b2m: Option<f64>, alb: Option<f64>) -> IssRule {
    match (b2m, alb) {
        (Some(b), Some(_)) if b >= ISS_B2M_STAGE_III_AT_LEAST_MG_L => IssRule::III,
        (Some(b), None) if b >= ISS_B2M_STAGE_III_AT_LEAST_MG_L => IssRule::IIIWhateverAlbumin,
        (Some(b), Some(a)) if b < ISS_B2M_STAGE_I_BELOW_MG_L && a >= ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL => IssRule::I,
        (Some(_), Some(_)) => IssRule::II,
        (Some(b), None) if b >= ISS_B2M_STAGE_I_BELOW_MG_L => IssRule::IIWhateverAlbumin,
        (Some(_), None) => IssRule::NeedAlbumin,
        (None, _) => IssRule::NeedB2m,
    }
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
    let rule = iss_rule(b2m, alb);
    match rule {
        IssRule::III => breakdown.push(format!("β2M ≥ {ISS_B2M_STAGE_III_AT_LEAST_MG_L} mg/L → stage III")),
        IssRule::IIIWhateverAlbumin => breakdown.push(format!("β2M ≥ {ISS_B2M_STAGE_III_AT_LEAST_MG_L} mg/L → stage III whatever the albumin (albumin missing, cannot change it)")),
        IssRule::I => breakdown.push(format!("β2M < {ISS_B2M_STAGE_I_BELOW_MG_L} mg/L and albumin ≥ {ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL} g/dL → stage I")),
        IssRule::II => breakdown.push(format!(
            "β2M {} mg/L is < {ISS_B2M_STAGE_III_AT_LEAST_MG_L}, and stage I criteria are not both met → stage II",
            b2m.unwrap_or_default()
        )),
        IssRule::IIWhateverAlbumin => breakdown.push(format!("β2M {ISS_B2M_STAGE_I_BELOW_MG_L}–<{ISS_B2M_STAGE_III_AT_LEAST_MG_L} mg/L → stage II whatever the albumin (albumin missing, cannot change it)")),
        IssRule::NeedAlbumin => missing.push(missing_albumin("ISS (stage I vs II)")),
        IssRule::NeedB2m => {
            missing.push(missing_b2m("ISS"));
            if alb.is_none() {
                missing.push(missing_albumin("ISS"));
            }
        }
    }
    Staging { stage: rule.stage(), breakdown, missing_inputs: missing, citation: kb.cite(CitationId::Iss2005) }
}

/// The R-ISS high-risk chromosomal abnormalities, in rule order.
pub const RISS_HIGH_RISK_CA: [Abnormality; 3] = [Abnormality::Del17p, Abnormality::T4_14, Abnormality::T14_16];

/// Three-valued R-ISS high-risk CA from the statuses of [`RISS_HIGH_RISK_CA`]: any detected →
/// `Some(true)`; all not detected → `Some(false)`; otherwise (one untested) `None`.
#[inline]
pub fn riss_high_risk_ca_rule(statuses: [Status; 3]) -> Option<bool> {
    crate::assess::logic::Truth::any(statuses.map(crate::assess::logic::Truth::from_status)).to_option()
}

/// The R-ISS rule (Palumbo 2015): I = ISS I and standard-risk CA and normal LDH; III = ISS III
/// and (high-risk CA or high LDH); II = neither. Each input `None` when unknown; the stage is
/// given when every value the unknown inputs allow gives the same stage.
#[inline]
pub fn r_iss_rule(
    b2m: Option<f64>,
    alb: Option<f64>,
    high_risk_ca: Option<bool>,
    ldh_high: Option<bool>,
) -> Option<RIssStage> {
    // The ISS stages still possible: ISS I needs β2M known (< 3.5 without albumin leaves I or
    // II); albumin < 3.5 g/dL rules out ISS I whatever the β2M.
    let (iss_lo, iss_hi) = match iss_rule(b2m, alb).stage() {
        Some(s) => (s, s),
        None if b2m.is_some() => (IssStage::I, IssStage::II),
        None if alb.is_some_and(|a| a < ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL) => (IssStage::II, IssStage::III),
        None => (IssStage::I, IssStage::III),
    };
    let adverse = match (high_risk_ca, ldh_high) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    };
    let (adv_lo, adv_hi) = match adverse {
        Some(a) => (a, a),
        None => (false, true),
    };
    let mut seen = [false; 3];
    for s in [IssStage::I, IssStage::II, IssStage::III] {
        if s < iss_lo || s > iss_hi {
            continue;
        }
        for adv in [false, true] {
            if (!adv && adv_lo) || (adv && !adv_hi) {
                continue;
            }
            let k = match (s, adv) {
                (IssStage::I, false) => 0,
                (IssStage::III, true) => 2,
                _ => 1,
            };
            if let Some(x) = seen.get_mut(k) {
                *x = true;
            }
        }
    }
    match seen {
        [true, false, false] => Some(RIssStage::I),
        [false, true, false] => Some(RIssStage::II),
        [false, false, true] => Some(RIssStage::III),
        _ => None,
    }
}

/// Three-valued "high-risk chromosomal abnormality" for R-ISS: del(17p), t(4;14), t(14;16).
fn riss_high_risk_ca(p: &Patient, missing: &mut Vec<MissingInput>, breakdown: &mut Vec<String>) -> Option<bool> {
    let probes = RISS_HIGH_RISK_CA;
    let rule = riss_high_risk_ca_rule(probes.map(|a| p.cytogenetics.status(a)));
    let detected: Vec<&str> =
        probes.iter().filter(|a| p.cytogenetics.status(**a) == Status::Detected).map(|a| a.notation()).collect();
    if rule == Some(true) {
        breakdown.push(format!("high-risk CA: {}", detected.join(", ")));
        return rule;
    }
    let untested: Vec<&Abnormality> =
        probes.iter().filter(|a| p.cytogenetics.status(**a) == Status::NotTested).collect();
    if rule == Some(false) {
        breakdown.push("no high-risk CA (del(17p), t(4;14), t(14;16) not detected)".into());
        rule
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
    if let Some(s) = iss_r.stage {
        breakdown.push(format!("ISS {s:?}"));
    }
    let hr = riss_high_risk_ca(p, &mut missing, &mut breakdown);
    let ldh = p.labs.ldh_high();
    match ldh {
        Some(true) => breakdown.push("LDH above the upper limit of normal".into()),
        Some(false) => breakdown.push("LDH within normal".into()),
        None => {}
    }
    let alb = p.labs.albumin.map(|v| v.canonical());
    let stage = r_iss_rule(b2m, alb, hr, ldh);
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
/// (`r2-iss-2022`).
fn r2_group(halves: u32) -> R2IssStage {
    match halves {
        0 => R2IssStage::I,
        1..=2 => R2IssStage::II,
        3..=5 => R2IssStage::III,
        _ => R2IssStage::IV,
    }
}

/// R2-ISS points, in half points, for ISS I, II and III (0, 1, 1.5; `r2-iss-2022`).
pub const R2ISS_ISS_HALVES: [u32; 3] = [0, 2, 3];
/// R2-ISS cytogenetic items with their points in halves: del(17p) 1, t(4;14) 1, 1q+ 0.5.
pub const R2ISS_CYTO_HALVES: [(Abnormality, u32); 3] =
    [(Abnormality::Del17p, 2), (Abnormality::T4_14, 2), (Abnormality::Gain1q, 1)];
/// R2-ISS points for LDH above the upper limit of normal, in halves (1 point).
pub const R2ISS_LDH_HIGH_HALVES: u32 = 2;

fn r2_iss_halves(s: IssStage) -> u32 {
    let k = match s {
        IssStage::I => 0,
        IssStage::II => 1,
        IssStage::III => 2,
    };
    R2ISS_ISS_HALVES.get(k).copied().unwrap_or_default()
}

/// The lowest and highest R2-ISS points (in halves) that the ISS part can add, with the ISS
/// stages still possible when it is not computable: β2M known (< 3.5 without albumin) leaves I or
/// II; albumin < 3.5 without β2M leaves II or III; nothing known leaves I to III.
fn r2_iss_iss_range(b2m: Option<f64>, alb: Option<f64>) -> (u32, u32) {
    match iss_rule(b2m, alb).stage() {
        Some(s) => (r2_iss_halves(s), r2_iss_halves(s)),
        None => match (b2m, alb) {
            (Some(_), None) => (r2_iss_halves(IssStage::I), r2_iss_halves(IssStage::II)),
            (None, Some(a)) if a < ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL => {
                (r2_iss_halves(IssStage::II), r2_iss_halves(IssStage::III))
            }
            _ => (r2_iss_halves(IssStage::I), r2_iss_halves(IssStage::III)),
        },
    }
}

/// What the R2-ISS rule concludes: the lowest and highest total (in half points) that the
/// missing inputs allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct R2IssRule {
    /// Lowest total, in half points (the total when nothing is missing).
    pub halves_min: u32,
    /// Highest total, in half points.
    pub halves_max: u32,
}

impl R2IssRule {
    /// The group, when every total the missing inputs allow falls in the same one.
    pub fn stage(self) -> Option<R2IssStage> {
        let lo = r2_group(self.halves_min);
        (lo == r2_group(self.halves_max)).then_some(lo)
    }
    /// The points, when nothing that could add points is missing.
    pub fn points(self) -> Option<f64> {
        (self.halves_min == self.halves_max).then(|| f64::from(self.halves_min) / 2.0)
    }
}

/// The R2-ISS rule (D'Agostino 2022): β2M mg/L, albumin g/dL, the statuses of
/// [`R2ISS_CYTO_HALVES`]'s abnormalities in order, and LDH above the ULN (`None` = unknown).
#[inline]
pub fn r2_iss_rule(b2m: Option<f64>, alb: Option<f64>, cyto: [Status; 3], ldh_high: Option<bool>) -> R2IssRule {
    let (mut lo, mut hi) = r2_iss_iss_range(b2m, alb);
    for (status, (_, h)) in cyto.into_iter().zip(R2ISS_CYTO_HALVES) {
        match status {
            Status::Detected => {
                lo += h;
                hi += h;
            }
            Status::NotDetected => {}
            Status::NotTested => hi += h,
        }
    }
    match ldh_high {
        Some(true) => {
            lo += R2ISS_LDH_HIGH_HALVES;
            hi += R2ISS_LDH_HIGH_HALVES;
        }
        Some(false) => {}
        None => hi += R2ISS_LDH_HIGH_HALVES,
    }
    R2IssRule { halves_min: lo, halves_max: hi }
}

fn half_label(h: u32) -> String {
    format!("+{}", f64::from(h) / 2.0)
}

/// R2-ISS: additive score, ISS II 1, ISS III 1.5, del(17p) 1, high LDH 1, t(4;14) 1, 1q+ 0.5.
/// A missing input counts neither as normal nor as zero: each can only add its points, so the
/// group is given when the lowest and the highest total the missing inputs allow fall in the same
/// group (3 points without LDH is IV whatever the LDH), and is not computable otherwise.
pub fn r2_iss(kb: &KnowledgeBase, p: &Patient) -> R2Iss {
    let mut breakdown = Vec::new();
    let mut missing = Vec::new();
    let b2m = p.labs.beta2_microglobulin.map(|v| v.canonical());
    let alb = p.labs.albumin.map(|v| v.canonical());
    let ldh = p.labs.ldh_high();
    let cyto = R2ISS_CYTO_HALVES.map(|(a, _)| p.cytogenetics.status(a));
    let rule = r2_iss_rule(b2m, alb, cyto, ldh);
    let iss_r = iss(kb, p);
    match iss_r.stage {
        Some(IssStage::I) => breakdown.push("ISS I: 0".into()),
        Some(s @ (IssStage::II | IssStage::III)) => {
            breakdown.push(format!("ISS {s:?}: {}", half_label(r2_iss_halves(s))));
        }
        None => {
            let label = match (b2m, alb) {
                (Some(_), None) => "ISS I or II (albumin missing): 0 to +1",
                (None, Some(a)) if a < ISS_ALBUMIN_STAGE_I_AT_LEAST_G_DL => {
                    "ISS II or III (β2-microglobulin missing, albumin < 3.5 g/dL): +1 to +1.5"
                }
                _ => "ISS not known: 0 to +1.5",
            };
            breakdown.push(label.into());
            missing.extend(iss_r.missing_inputs.iter().cloned());
        }
    }
    for (status, (a, h)) in cyto.into_iter().zip(R2ISS_CYTO_HALVES) {
        let label = half_label(h);
        match status {
            Status::Detected => breakdown.push(format!("{}: {label}", a.notation())),
            Status::NotDetected => breakdown.push(format!("{} not detected: 0", a.notation())),
            Status::NotTested => {
                breakdown.push(format!("{} not tested: 0 or {label}", a.notation()));
                missing.push(MissingInput::new(format!("cytogenetics.{}", a.id()), a.deciding_test(), "R2-ISS"))
            }
        }
    }
    match ldh {
        Some(true) => breakdown.push(format!("LDH above ULN: {}", half_label(R2ISS_LDH_HIGH_HALVES))),
        Some(false) => breakdown.push("LDH within normal: 0".into()),
        None => {
            breakdown.push(format!("LDH not known: 0 or {}", half_label(R2ISS_LDH_HIGH_HALVES)));
            missing.push(missing_ldh("R2-ISS"));
        }
    }
    for m in &mut missing {
        if !m.needed_for.starts_with("R2-ISS") {
            m.needed_for = "R2-ISS".into();
        }
    }
    normalise(&mut missing);
    let (lo, hi) = (r2_group(rule.halves_min), r2_group(rule.halves_max));
    let (from, to) = (f64::from(rule.halves_min) / 2.0, f64::from(rule.halves_max) / 2.0);
    let (stage, points) = (rule.stage(), rule.points());
    if let Some(pts) = points {
        breakdown.push(format!("total {pts} → R2-ISS {lo:?}"));
    } else if stage.is_some() {
        breakdown.push(format!(
            "total {from} to {to} whatever the missing inputs ({}) → R2-ISS {lo:?} in every case: the missing inputs cannot change the group",
            missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>().join(", ")
        ));
        // Inputs that cannot change the group are not reported as missing for it.
        missing.clear();
    } else {
        breakdown.push(format!(
            "total {from} to {to} depending on the missing inputs → R2-ISS {lo:?} to {hi:?}: not computable"
        ));
    }
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
