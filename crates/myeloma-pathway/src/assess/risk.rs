//! Cytogenetic risk under a selectable definition.
//!
//! Each definition is a list of criteria; a criterion is met, not met, unknown (an input that a
//! standard work-up provides is missing) or not assessable (it needs data a FISH-only laboratory
//! usually lacks: TP53 sequencing, biallelic 1p32 status). The risk is **high** when any
//! criterion is met, **standard** when every assessable criterion is not met, and
//! **undetermined** otherwise — an untested abnormality is never read as absent. Criteria that
//! are not assessable are listed with the result, so a standard-risk call is never silent about
//! what it could not see.

use serde::{Deserialize, Serialize};

use crate::assess::logic::Truth;
use crate::assess::missing::{normalise, MissingInput};
pub use crate::guideline::{Del17pCutoff, RiskDefinition};
use crate::kb::{Citation, CitationId, KnowledgeBase};
use crate::patient::Patient;
use crate::record::{Abnormality, Status};

/// Risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// No criterion met and every assessable criterion decided.
    Standard,
    /// A needed input is missing and nothing met decides it.
    Undetermined,
    /// At least one criterion met.
    High,
}

impl RiskLevel {
    /// In words, as text output shows it.
    pub fn label(&self) -> &'static str {
        match self {
            RiskLevel::Standard => "Standard",
            RiskLevel::Undetermined => "Undetermined",
            RiskLevel::High => "High",
        }
    }
}

/// State of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CriterionState {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// An input a standard work-up provides is missing.
    Unknown,
    /// Needs data outside a FISH panel (sequencing, copy-number arrays, GEP).
    NotAssessable,
}

/// One criterion of a definition, as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Criterion {
    /// What the criterion says.
    pub description: String,
    /// Its state for this patient.
    pub state: CriterionState,
    /// The findings or values that decided it.
    pub evidence: Vec<String>,
}

/// The result of a risk assessment.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RiskAssessment {
    /// The definition applied.
    pub definition: RiskDefinition,
    /// The risk.
    pub level: RiskLevel,
    /// Every criterion, with its state.
    pub criteria: Vec<Criterion>,
    /// The findings that decided a high-risk call (empty otherwise).
    pub deciding: Vec<String>,
    /// Inputs that were missing, with the test that would decide.
    pub missing_inputs: Vec<MissingInput>,
    /// Criteria that could not be assessed with the data given.
    pub not_assessable: Vec<String>,
    /// Values that sit exactly on a definition's cut-off (a del(17p) clonal fraction of 20%
    /// under IMS/IMWG 2025), with the comparator applied and what the other would give.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_cutoff: Vec<String>,
    /// Source.
    pub citation: Citation,
}

impl CriterionState {
    /// A decided or unknown criterion.
    fn from_truth(t: Truth) -> Self {
        match t {
            Truth::Met => CriterionState::Met,
            Truth::NotMet => CriterionState::NotMet,
            Truth::Unknown => CriterionState::Unknown,
        }
    }

    /// In the shared three-valued logic: not assessable is one kind of unknown.
    fn truth(self) -> Truth {
        match self {
            CriterionState::Met => Truth::Met,
            CriterionState::NotMet => Truth::NotMet,
            CriterionState::Unknown | CriterionState::NotAssessable => Truth::Unknown,
        }
    }

    /// `t` as computed from `parts`: an unknown result is `Unknown` when a part a standard
    /// work-up decides is unknown, else `NotAssessable`.
    fn combined(t: Truth, parts: &[CriterionState]) -> Self {
        match t {
            Truth::Unknown if !parts.contains(&CriterionState::Unknown) => CriterionState::NotAssessable,
            t => CriterionState::from_truth(t),
        }
    }
}

/// Kleene disjunction ([`Truth::any`]), keeping which kind of unknown.
fn any(states: &[CriterionState]) -> CriterionState {
    CriterionState::combined(Truth::any(states.iter().map(|s| s.truth())), states)
}

/// Kleene conjunction ([`Truth::all`]), keeping which kind of unknown.
fn all(states: &[CriterionState]) -> CriterionState {
    CriterionState::combined(Truth::all(states.iter().map(|s| s.truth())), states)
}

struct Builder<'a> {
    p: &'a Patient,
    criteria: Vec<Criterion>,
    missing: Vec<MissingInput>,
    purpose: String,
}

impl<'a> Builder<'a> {
    fn finding(&mut self, a: Abnormality) -> CriterionState {
        let s = finding_criterion(a, self.p.cytogenetics.status(a));
        if s == CriterionState::Unknown {
            self.missing.push(MissingInput::new(
                format!("cytogenetics.{}", a.id()),
                a.deciding_test(),
                self.purpose.clone(),
            ));
        }
        s
    }

    fn single(&mut self, a: Abnormality) {
        let state = self.finding(a);
        let evidence = if state == CriterionState::Met { vec![describe(self.p, a)] } else { vec![] };
        self.criteria.push(Criterion { description: a.notation().to_string(), state, evidence });
    }
}

fn describe(p: &Patient, a: Abnormality) -> String {
    match p.cytogenetics.get(a) {
        Some(f) => {
            let mut s = format!("{} detected", a.notation());
            if let Some(c) = f.clonal_fraction_pct {
                s.push_str(&format!(" ({c}% clonal fraction)"));
            }
            if let Some(c) = f.copies {
                s.push_str(&format!(" ({c} copies)"));
            }
            if let Some(c) = f.copies_lost {
                s.push_str(if c == 2 { " (biallelic)" } else { " (monoallelic)" });
            }
            s
        }
        None => format!("{} not tested", a.notation()),
    }
}

/// The abnormalities of the article's definition (`article-pathway`), each a criterion of its own.
pub const ARTICLE_ABNORMALITIES: [Abnormality; 3] = [Abnormality::Del17p, Abnormality::T4_14, Abnormality::Gain1q];

/// The abnormalities of the IMWG 2016 definition (`imwg-2016-risk`), each a criterion of its
/// own; non-hyperdiploidy is the last criterion ([`non_hyperdiploidy_state`]).
pub const IMWG2016_ABNORMALITIES: [Abnormality; 5] =
    [Abnormality::T4_14, Abnormality::T14_16, Abnormality::T14_20, Abnormality::Del17p, Abnormality::Gain1q];

/// A criterion that is one abnormality (not TP53): met when detected, not met when looked for
/// and not found, unknown when not tested.
pub fn finding_state(s: Status) -> CriterionState {
    CriterionState::from_truth(Truth::from_status(s))
}

/// The IMWG 2016 abstract also names non-hyperdiploidy (`imwg-2016-risk`; docs/evidence/checks.md §6):
/// met when hyperdiploidy was looked for and not found; unknown when not tested.
pub fn non_hyperdiploidy_state(hyperdiploidy: Status) -> CriterionState {
    match hyperdiploidy {
        Status::Detected => CriterionState::NotMet,
        Status::NotDetected => CriterionState::Met,
        Status::NotTested => CriterionState::Unknown,
    }
}

/// The level from the criteria's states: high when any is met, undetermined when none is met
/// and one a standard work-up decides is unknown, standard otherwise.
pub fn level_rule(states: &[CriterionState]) -> RiskLevel {
    if states.contains(&CriterionState::Met) {
        RiskLevel::High
    } else if states.contains(&CriterionState::Unknown) {
        RiskLevel::Undetermined
    } else {
        RiskLevel::Standard
    }
}

/// The article's risk level from the statuses of [`ARTICLE_ABNORMALITIES`], in that order: the
/// rule [`assess`] applies, without its text.
pub fn article_rule(statuses: [Status; 3]) -> RiskLevel {
    level_rule(&statuses.map(finding_state))
}

/// The IMWG 2016 risk level from the statuses of [`IMWG2016_ABNORMALITIES`], in that order, and
/// the hyperdiploidy status: the rule [`assess`] applies, without its text.
pub fn imwg2016_rule(statuses: [Status; 5], hyperdiploidy: Status) -> RiskLevel {
    let s = statuses.map(finding_state);
    level_rule(&[s[0], s[1], s[2], s[3], s[4], non_hyperdiploidy_state(hyperdiploidy)])
}

/// A criterion that is one abnormality, as every definition reads it: [`finding_state`], except
/// that an untested TP53 mutation is not assessable (sequencing is outside a FISH work-up), not
/// unknown.
pub fn finding_criterion(a: Abnormality, s: Status) -> CriterionState {
    match finding_state(s) {
        CriterionState::Unknown if a == Abnormality::Tp53Mutation => CriterionState::NotAssessable,
        state => state,
    }
}

/// The abnormalities of MSmart 3.0 (`msmart-3`), each a criterion of its own, in this order.
pub const MSMART3_ABNORMALITIES: [Abnormality; 6] = [
    Abnormality::T4_14,
    Abnormality::T14_16,
    Abnormality::T14_20,
    Abnormality::Del17p,
    Abnormality::Tp53Mutation,
    Abnormality::Gain1q,
];

/// MSmart 3.0's R-ISS III criterion: met at R-ISS III, not met at another stage, unknown when the
/// R-ISS is not computable.
pub fn msmart3_riss_state(r_iss: Option<crate::assess::staging::RIssStage>) -> CriterionState {
    match r_iss {
        Some(crate::assess::staging::RIssStage::III) => CriterionState::Met,
        Some(_) => CriterionState::NotMet,
        None => CriterionState::Unknown,
    }
}

/// The MSmart 3.0 risk level from the statuses of [`MSMART3_ABNORMALITIES`], in that order, and
/// the R-ISS stage: the rule [`assess`] applies, without its text (its S-phase and
/// gene-expression criteria are not assessable, so they never change the level).
pub fn msmart3_rule(statuses: [Status; 6], r_iss: Option<crate::assess::staging::RIssStage>) -> RiskLevel {
    let mut states = [CriterionState::NotAssessable; 7];
    for ((slot, a), s) in states.iter_mut().zip(MSMART3_ABNORMALITIES).zip(statuses) {
        *slot = finding_criterion(a, s);
    }
    if let Some(last) = states.last_mut() {
        *last = msmart3_riss_state(r_iss);
    }
    level_rule(&states)
}

/// IMS/IMWG 2025 β2-microglobulin criterion threshold, mg/L (met at or above it; `ims-imwg-2025`).
pub const IMS2025_B2M_MG_L: f64 = 5.5;

/// IMS/IMWG 2025 β2-microglobulin criterion: creatinine must be below this, mg/dL
/// (`ims-imwg-2025`).
pub const IMS2025_CREATININE_MG_DL: f64 = 1.2;

/// The inputs of the IMS/IMWG 2025 definition for one patient (canonical units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ims2025Inputs {
    /// del(17p) status.
    pub del_17p: Status,
    /// del(17p) clonal fraction, %.
    pub del_17p_clonal_fraction_pct: Option<f64>,
    /// TP53 mutation status.
    pub tp53_mutation: Status,
    /// t(4;14), t(14;16) and t(14;20) statuses.
    pub igh: [Status; 3],
    /// 1q+ status.
    pub gain_1q: Status,
    /// del(1p32) status.
    pub del_1p32: Status,
    /// del(1p32) copies lost (1 monoallelic, 2 biallelic).
    pub del_1p32_copies_lost: Option<u8>,
    /// β2-microglobulin, mg/L.
    pub beta2_microglobulin_mg_l: Option<f64>,
    /// Creatinine, mg/dL.
    pub creatinine_mg_dl: Option<f64>,
}

impl Ims2025Inputs {
    /// The inputs as the patient record gives them.
    pub fn of(p: &Patient) -> Self {
        let c = &p.cytogenetics;
        Self {
            del_17p: c.status(Abnormality::Del17p),
            del_17p_clonal_fraction_pct: c.get(Abnormality::Del17p).and_then(|f| f.clonal_fraction_pct),
            tp53_mutation: c.status(Abnormality::Tp53Mutation),
            igh: [Abnormality::T4_14, Abnormality::T14_16, Abnormality::T14_20].map(|a| c.status(a)),
            gain_1q: c.status(Abnormality::Gain1q),
            del_1p32: c.status(Abnormality::Del1p32),
            del_1p32_copies_lost: c.get(Abnormality::Del1p32).and_then(|f| f.copies_lost),
            beta2_microglobulin_mg_l: p.labs.beta2_microglobulin.map(|v| v.canonical()),
            creatinine_mg_dl: p.labs.creatinine.map(|v| v.canonical()),
        }
    }
}

/// The states of the four IMS/IMWG 2025 criteria (`ims-imwg-2025`), in the order [`assess`]
/// lists them: (1) del(17p) at a clonal fraction past the cut-off and/or TP53 mutation; (2) an
/// IgH translocation with 1q+ and/or del(1p32); (3) monoallelic del(1p32) with 1q+, or
/// biallelic del(1p32); (4) β2-microglobulin ≥ [`IMS2025_B2M_MG_L`] with creatinine below
/// [`IMS2025_CREATININE_MG_DL`].
pub fn ims2025_criteria(x: &Ims2025Inputs, cutoff: Del17pCutoff) -> [CriterionState; 4] {
    use CriterionState::*;
    let d17 = match (x.del_17p, x.del_17p_clonal_fraction_pct) {
        (Status::Detected, Some(c)) => {
            let passes = match cutoff {
                Del17pCutoff::Above20 => c > IMS2025_DEL17P_CCF_CUTOFF_PCT,
                Del17pCutoff::AtLeast20 => c >= IMS2025_DEL17P_CCF_CUTOFF_PCT,
            };
            if passes {
                Met
            } else {
                NotMet
            }
        }
        (Status::Detected, None) => Unknown,
        (s, _) => finding_criterion(Abnormality::Del17p, s),
    };
    let tp53 = finding_criterion(Abnormality::Tp53Mutation, x.tp53_mutation);
    let c1 = any(&[d17, tp53]);
    let igh = x.igh.map(finding_state);
    let q1 = finding_state(x.gain_1q);
    let p1 = finding_state(x.del_1p32);
    let c2 = all(&[any(&igh), any(&[q1, p1])]);
    let c3 = match (x.del_1p32, x.del_1p32_copies_lost) {
        (Status::Detected, Some(2)) => Met,
        (Status::Detected, Some(_)) => q1,
        (Status::Detected, None) => {
            if q1 == Met {
                Met
            } else {
                NotAssessable
            }
        }
        _ => p1,
    };
    let c4 = match (x.beta2_microglobulin_mg_l, x.creatinine_mg_dl) {
        (Some(b2), _) if b2 < IMS2025_B2M_MG_L => NotMet,
        // Creatinine at or above the limit: no β2M value can meet the criterion (unknown is not
        // asked where it cannot change the answer).
        (_, Some(c)) if c >= IMS2025_CREATININE_MG_DL => NotMet,
        (Some(_), Some(_)) => Met,
        _ => Unknown,
    };
    [c1, c2, c3, c4]
}

/// The IMS/IMWG 2025 risk level: the rule [`assess`] applies, without its text.
pub fn ims2025_rule(x: &Ims2025Inputs, cutoff: Del17pCutoff) -> RiskLevel {
    level_rule(&ims2025_criteria(x, cutoff))
}

/// Assess cytogenetic risk under `definition`.
///
/// `del17p_cutoff` only matters for [`RiskDefinition::Ims2025`].
pub fn assess(
    kb: &KnowledgeBase,
    p: &Patient,
    definition: RiskDefinition,
    del17p_cutoff: Del17pCutoff,
) -> RiskAssessment {
    let mut b = Builder {
        p,
        criteria: Vec::new(),
        missing: Vec::new(),
        purpose: format!("cytogenetic risk ({})", definition.id()),
    };
    match definition {
        RiskDefinition::Article => {
            for a in ARTICLE_ABNORMALITIES {
                b.single(a);
            }
        }
        RiskDefinition::Imwg2016 => {
            for a in IMWG2016_ABNORMALITIES {
                b.single(a);
            }
            let state = non_hyperdiploidy_state(p.cytogenetics.status(Abnormality::Hyperdiploidy));
            if state == CriterionState::Unknown {
                let purpose = b.purpose.clone();
                b.missing.push(MissingInput::new(
                    "cytogenetics.hyperdiploidy",
                    Abnormality::Hyperdiploidy.deciding_test(),
                    purpose,
                ));
            }
            let evidence = if state == CriterionState::Met {
                vec!["non-hyperdiploid (hyperdiploidy not detected)".to_string()]
            } else {
                vec![]
            };
            b.criteria.push(Criterion { description: "non-hyperdiploidy".into(), state, evidence });
        }
        RiskDefinition::Msmart3 => {
            for a in MSMART3_ABNORMALITIES {
                b.single(a);
            }
            let r = crate::assess::staging::r_iss(kb, p);
            let state = msmart3_riss_state(r.stage);
            let evidence = if state == CriterionState::Met { vec!["R-ISS III".to_string()] } else { vec![] };
            if state == CriterionState::Unknown {
                b.missing.extend(r.missing_inputs.iter().cloned().map(|mut m| {
                    m.needed_for = "cytogenetic risk (msmart3): R-ISS III".into();
                    m
                }));
            }
            b.criteria.push(Criterion { description: "R-ISS stage III".into(), state, evidence });
            for d in ["high plasma-cell S-phase", "high-risk gene-expression profile"] {
                b.criteria.push(Criterion {
                    description: d.into(),
                    state: CriterionState::NotAssessable,
                    evidence: vec![],
                });
            }
        }
        RiskDefinition::Ims2025 => ims2025(&mut b, del17p_cutoff),
    }
    let states: Vec<CriterionState> = b.criteria.iter().map(|c| c.state).collect();
    let level = level_rule(&states);
    let deciding =
        b.criteria.iter().filter(|c| c.state == CriterionState::Met).flat_map(|c| c.evidence.clone()).collect();
    let not_assessable =
        b.criteria.iter().filter(|c| c.state == CriterionState::NotAssessable).map(|c| c.description.clone()).collect();
    let mut missing = b.missing;
    normalise(&mut missing);
    let on_cutoff = del17p_on_cutoff(p, definition, del17p_cutoff).into_iter().collect();
    RiskAssessment {
        on_cutoff,
        definition,
        level,
        criteria: b.criteria,
        deciding,
        missing_inputs: missing,
        not_assessable,
        citation: kb.cite(definition.citation()),
    }
}

fn ims2025(b: &mut Builder<'_>, cutoff: Del17pCutoff) {
    use Abnormality::*;
    use CriterionState::*;
    let p = b.p;
    let x = Ims2025Inputs::of(p);
    let [c1, c2, c3, c4] = ims2025_criteria(&x, cutoff);
    // The inputs that would decide, in the order of the criteria.
    if x.del_17p == Status::Detected {
        if x.del_17p_clonal_fraction_pct.is_none() {
            b.missing.push(MissingInput::new(
                "cytogenetics.del_17p.clonal_fraction_pct",
                "clonal fraction of del(17p) from the FISH report",
                "cytogenetic risk (ims2025): del(17p) cut-off 20%",
            ));
        }
    } else {
        b.finding(Del17p);
    }
    for a in [Tp53Mutation, T4_14, T14_16, T14_20, Gain1q, Del1p32] {
        b.finding(a);
    }

    // 1. del(17p) at CCF >20% (or ≥20%, caller's choice) and/or TP53 mutation.
    let mut ev = Vec::new();
    if c1 == Met {
        let d17_met = x.del_17p == Status::Detected
            && x.del_17p_clonal_fraction_pct.is_some_and(|c| match cutoff {
                Del17pCutoff::Above20 => c > IMS2025_DEL17P_CCF_CUTOFF_PCT,
                Del17pCutoff::AtLeast20 => c >= IMS2025_DEL17P_CCF_CUTOFF_PCT,
            });
        if d17_met {
            ev.push(describe(p, Del17p));
        }
        if x.tp53_mutation == Status::Detected {
            ev.push(describe(p, Tp53Mutation));
        }
    }
    b.criteria.push(Criterion {
        description: "del(17p) at CCF above 20% and/or TP53 mutation".into(),
        state: c1,
        evidence: ev,
    });

    // 2. IgH translocation t(4;14), t(14;16) or t(14;20) together with 1q+ and/or del(1p32).
    let mut ev = Vec::new();
    if c2 == Met {
        for a in [T4_14, T14_16, T14_20, Gain1q, Del1p32] {
            if p.cytogenetics.status(a) == Status::Detected {
                ev.push(describe(p, a));
            }
        }
    }
    b.criteria.push(Criterion {
        description: "IgH translocation t(4;14), t(14;16) or t(14;20) with 1q+ and/or del(1p32)".into(),
        state: c2,
        evidence: ev,
    });

    // 3. Monoallelic del(1p32) with 1q+, or biallelic del(1p32).
    let ev = if c3 == Met { vec![describe(p, Del1p32)] } else { vec![] };
    b.criteria.push(Criterion {
        description: "monoallelic del(1p32) with 1q+, or biallelic del(1p32)".into(),
        state: c3,
        evidence: ev,
    });

    // 4. β2-microglobulin ≥5.5 mg/L with normal creatinine (<1.2 mg/dL).
    let (b2m, cr) = (x.beta2_microglobulin_mg_l, x.creatinine_mg_dl);
    if c4 == Unknown {
        if b2m.is_none() {
            b.missing.push(MissingInput::new(
                "labs.beta2_microglobulin",
                "serum β2-microglobulin",
                "cytogenetic risk (ims2025): β2M criterion",
            ));
        }
        if cr.is_none() {
            b.missing.push(MissingInput::new(
                "labs.creatinine",
                "serum creatinine",
                "cytogenetic risk (ims2025): β2M criterion",
            ));
        }
    }
    let ev = if c4 == Met {
        vec![format!(
            "β2-microglobulin {} mg/L with creatinine {} mg/dL",
            b2m.unwrap_or_default(),
            cr.unwrap_or_default()
        )]
    } else {
        vec![]
    };
    b.criteria.push(Criterion {
        description: "β2-microglobulin ≥5.5 mg/L with creatinine <1.2 mg/dL".into(),
        state: c4,
        evidence: ev,
    });
}

/// IMS/IMWG 2025 del(17p) clonal-fraction cut-off, % (`ims-imwg-2025`; the comparator
/// is the caller's [`Del17pCutoff`]).
pub const IMS2025_DEL17P_CCF_CUTOFF_PCT: f64 = 20.0;

/// A del(17p) clonal fraction exactly on the IMS/IMWG 2025 cut-off, flagged under every
/// definition (under the others it says that they have no clonal-fraction cut-off).
fn del17p_on_cutoff(p: &Patient, definition: RiskDefinition, cutoff: Del17pCutoff) -> Option<String> {
    let f = p.cytogenetics.get(Abnormality::Del17p)?;
    let c = f.clonal_fraction_pct?;
    #[allow(clippy::float_cmp)]
    let exactly = f.status == Status::Detected && c == IMS2025_DEL17P_CCF_CUTOFF_PCT;
    if !exactly {
        return None;
    }
    let (applied, reading, other) = match cutoff {
        Del17pCutoff::Above20 => ("above20 (>20%)", "not met", "at_least20 (≥20%) would meet it"),
        Del17pCutoff::AtLeast20 => ("at_least20 (≥20%)", "met", "above20 (>20%) would not meet it"),
    };
    Some(match definition {
        RiskDefinition::Ims2025 => format!(
            "del(17p) clonal fraction {c}% is exactly on the IMS/IMWG 2025 cut-off of 20%: with guideline.del17p_cutoff \
             {applied} the criterion is {reading}; {other} (sources give both comparators, {key})",
            key = CitationId::ImsImwg2025.key()
        ),
        _ => format!(
            "del(17p) clonal fraction {c}% is exactly on the IMS/IMWG 2025 cut-off of 20% (guideline.del17p_cutoff \
             {applied}: {reading} there; {other}); the {} definition has no clonal-fraction cut-off",
            definition.id()
        ),
    })
}

/// The other definitions that call the patient high risk while `chosen` does not: a finding that
/// is high risk under any definition the project offers never yields a silent standard-risk plan.
pub fn high_elsewhere(
    kb: &KnowledgeBase,
    p: &Patient,
    chosen: &RiskAssessment,
    del17p_cutoff: Del17pCutoff,
) -> Vec<RiskAssessment> {
    if chosen.level == RiskLevel::High {
        return Vec::new();
    }
    RiskDefinition::ALL
        .iter()
        .filter(|d| **d != chosen.definition)
        .map(|d| assess(kb, p, *d, del17p_cutoff))
        .filter(|a| a.level == RiskLevel::High)
        .collect()
}

/// One row of a side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RiskComparison {
    /// Every definition's assessment, in [`RiskDefinition::ALL`] order.
    pub assessments: Vec<RiskAssessment>,
    /// Whether the definitions disagree on the level.
    pub disagree: bool,
    /// Plain-language explanation of each disagreement.
    pub explanation: Vec<String>,
}

/// Assess the patient under every definition and explain where they disagree.
pub fn compare(kb: &KnowledgeBase, p: &Patient, del17p_cutoff: Del17pCutoff) -> RiskComparison {
    let assessments: Vec<RiskAssessment> =
        RiskDefinition::ALL.iter().map(|d| assess(kb, p, *d, del17p_cutoff)).collect();
    let levels: Vec<RiskLevel> = assessments.iter().map(|a| a.level).collect();
    let disagree = levels.windows(2).any(|w| matches!(w, [a, b] if a != b));
    let mut explanation = Vec::new();
    if disagree {
        for a in &assessments {
            let why = match a.level {
                RiskLevel::High => format!("high because {}", a.deciding.join("; ")),
                RiskLevel::Standard => "standard: no criterion met".to_string(),
                RiskLevel::Undetermined => format!(
                    "undetermined: missing {}",
                    a.missing_inputs.iter().map(|m| m.field.as_str()).collect::<Vec<_>>().join(", ")
                ),
            };
            explanation.push(format!("{}: {}", a.definition.id(), why));
        }
    }
    RiskComparison { assessments, disagree, explanation }
}

#[cfg(test)]
mod tests {
    use super::CriterionState::{self, Met, NotAssessable, NotMet, Unknown};
    use super::{all, any};

    const ALL: [CriterionState; 4] = [Met, NotMet, Unknown, NotAssessable];

    fn sequences(n: usize) -> Vec<Vec<CriterionState>> {
        let mut out = vec![vec![]];
        let mut last = vec![vec![]];
        for _ in 0..n {
            last = last.iter().flat_map(|s: &Vec<CriterionState>| ALL.map(|t| [s.clone(), vec![t]].concat())).collect();
            out.extend(last.iter().cloned());
        }
        out
    }

    /// A criterion is met when any part is (and/or), unknown when a part a standard work-up
    /// decides is unknown, not assessable when only parts outside a FISH panel are, and not met
    /// otherwise; a conjunction the same way round.
    #[test]
    fn risk_criteria_combine_by_kleene_s_logic_keeping_which_kind_of_unknown() {
        for s in sequences(4) {
            let rank = |first: CriterionState, last: CriterionState| {
                if s.contains(&first) {
                    first
                } else if s.contains(&Unknown) {
                    Unknown
                } else if s.contains(&NotAssessable) {
                    NotAssessable
                } else {
                    last
                }
            };
            assert_eq!(any(&s), rank(Met, NotMet), "any {s:?}");
            assert_eq!(all(&s), rank(NotMet, Met), "all {s:?}");
        }
    }
}
