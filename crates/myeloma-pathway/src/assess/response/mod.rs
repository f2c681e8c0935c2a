//! IMWG response and minimal residual disease (MRD).
//!
//! The record types ([`ResponseAssessmentInput`], [`MrdResult`]) and the response algorithm over a
//! time series ([`assess_response`]): baseline, measurable disease, nadir tracking, the categories
//! sCR, CR, VGPR, PR, MR, SD and PD with their published thresholds and comparators, the
//! two-consecutive-assessments confirmation rule, and MRD ([`assess_mrd`]). Every rule, its source
//! and its evidence tag are listed in `docs/assessments-response.md` (`imwg-2016-response`, `imwg-2006-response`, `imwg-2016-mrd`).
//!
//! Conventions:
//! - The **baseline** is the first entry of `response_assessments`: the series is the one for the
//!   current line of therapy, oldest first, starting before that line began.
//! - Comparisons are exact: values are converted once to the canonical unit and compared as
//!   integers of 1e-6 of that unit, so a threshold entered in g/L or g/dL lands on the same side.
//! - **Progression wins** over any response category (docs/clinical-basis.md, Pitfalls).
//! - Unknown is not negative: a value a category needs and does not have downgrades the response
//!   and is named in `missing_inputs` with the test that would decide it.

use serde::{Deserialize, Serialize};

use crate::assess::logic::Truth;
use crate::assess::missing::{normalise, MissingInput};
use crate::error::Result;
use crate::kb::{Citation, CitationId, Evidence, KnowledgeBase};
use crate::patient::Patient;
use crate::record::Date;
use crate::record::{Event, HistoryEntry, LightChain};
pub use crate::record::{
    Immunofixation, MrdMethod, MrdResult, MrdSample, MrdStatus, ResponseAssessmentInput, ResponseCategory,
};

// ---------------------------------------------------------------------------------------------
// Response over a time series (IMWG 2016).
// ---------------------------------------------------------------------------------------------

/// The version of the response criteria a result reports by default.
pub const CRITERIA_VERSION: &str = "IMWG 2016";
pub use crate::guideline::ResponseCriteriaVersion;

/// Citation key of the IMWG 2016 response criteria (Kumar et al., Lancet Oncol 2016).
const IMWG_2016: &str = CitationId::Imwg2016Response.key();
/// Citation key of the IMWG 2006 uniform response criteria (Durie et al., Leukemia 2006).
const IMWG_2006: &str = CitationId::Imwg2006Response.key();
/// Citation key of the IMWG 2016 MRD definitions.
const IMWG_MRD: &str = CitationId::Imwg2016Mrd.key();
/// Citation key of the study of loss of MRD negativity (Blood Adv 2021, \[V1\] abstract).
const MRD_CONVERSION: &str = CitationId::MrdConversion2021.key();
/// Citation key of the serum FLC diagnostic interval (Katzmann et al., Clin Chem 2002).
const FLC_RATIO: &str = CitationId::FlcRatioKatzmann2002.key();

/// One unit of the canonical unit, in the integer micro-units used for exact comparison.
const MICRO: i64 = 1_000_000;

// Thresholds, in micro-units of the canonical unit. A threshold's comment is its citation.
/// Urine M-protein measurable: ≥200 mg/24 h (`imwg-2016-response`, \[M\]).
const URINE_MEASURABLE: i64 = 200 * MICRO;
/// Involved FLC measurable: ≥10 mg/dL = 100 mg/L, with an abnormal ratio (`imwg-2016-response`, \[M\]).
const FLC_MEASURABLE: i64 = 100 * MICRO;
/// Marrow route for PR: baseline BMPC ≥30% (\[V1\] `imwg-2006-response` / \[V2\] `imwg-2016-response`).
const BMPC_MEASURABLE: i64 = 30 * MICRO;
/// VGPR: urine M-protein <100 mg/24 h (\[V2\] `imwg-2016-response`).
const URINE_VGPR: i64 = 100 * MICRO;
/// PR: urine M-protein <200 mg/24 h (\[V1\] `imwg-2006-response`).
const URINE_PR: i64 = 200 * MICRO;
/// CR: <5% plasma cells in the marrow aspirate (\[V1\] `imwg-2006-response`; a secondary table's "≤5%" is wrong).
const BMPC_CR: i64 = 5 * MICRO;
/// PD: serum M-protein absolute increase ≥0.5 g/dL (\[V2\] `imwg-2016-response`).
const SERUM_PD_ABS: i64 = MICRO / 2;
/// PD: ≥1 g/dL when the lowest M component was ≥5 g/dL (\[V2\] `imwg-2016-response`).
const SERUM_PD_ABS_HIGH: i64 = MICRO;
/// The nadir from which the 1 g/dL rule applies: 5 g/dL (\[V2\] `imwg-2016-response`).
const SERUM_PD_HIGH_NADIR: i64 = 5 * MICRO;
/// PD: urine absolute increase ≥200 mg/24 h (\[V2\] `imwg-2016-response`).
const URINE_PD_ABS: i64 = 200 * MICRO;
/// PD: dFLC absolute increase >10 mg/dL = 100 mg/L (\[V2\] `imwg-2016-response`).
const DFLC_PD_ABS: i64 = 100 * MICRO;
/// PD: BMPC absolute increase ≥10% (\[V2\] `imwg-2016-response`).
const BMPC_PD_ABS: i64 = 10 * MICRO;
/// Normal κ/λ ratio, lower bound ×100: 0.26 (Katzmann 2002, `flc-ratio-katzmann-2002`, \[V1\]).
const FLC_RATIO_LOW_X100: i64 = 26;
/// Normal κ/λ ratio, upper bound ×100: 1.65 (Katzmann 2002, \[V1\]).
const FLC_RATIO_HIGH_X100: i64 = 165;

/// Parameters of the response and MRD assessment that sources leave to the caller.
///
/// The defaults are the IMWG 2016 values (`imwg-2016-response`, `imwg-2016-mrd`); docs/evidence/checks.md §11
/// asks that the MRD sensitivity and the "sustained" interval stay caller-supplied until the
/// primary text is read.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ResponseCriteria {
    /// Serum M-protein counts as measurable from this level, g/dL (`≥`). Default 1.0
    /// (`imwg-2016-response`); many recent trials use 0.5.
    pub serum_measurable_g_dl: f64,
    /// Lowest MRD sensitivity that counts as IMWG MRD-negative, as the negative power of ten
    /// (5 = 1 in 10⁵, the IMWG 2016 minimum).
    pub mrd_sensitivity_log10: u8,
    /// Months between two marrow MRD-negative results for *sustained* MRD negativity (`≥`).
    pub mrd_sustained_months: u32,
    /// Which IMWG text decides progression: `imwg2016` (the 25% increase from the lowest
    /// *confirmed* value, default) or `imwg2006` (from the lowest value).
    pub version: ResponseCriteriaVersion,
}

impl Default for ResponseCriteria {
    fn default() -> Self {
        Self {
            serum_measurable_g_dl: 1.0,
            mrd_sensitivity_log10: 5,
            mrd_sustained_months: 12,
            version: ResponseCriteriaVersion::Imwg2016,
        }
    }
}

/// A measure response is read from, in the order measurable disease is chosen (`imwg-2016-response`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Serum M-protein (electrophoresis).
    SerumMProtein,
    /// 24-hour urine M-protein.
    UrineMProtein,
    /// Serum free light chains: involved minus uninvolved (dFLC).
    FreeLightChains,
    /// Bone-marrow plasma cells.
    BoneMarrowPlasmaCells,
}

impl Measure {
    fn label(self) -> &'static str {
        match self {
            Measure::SerumMProtein => "serum M-protein",
            Measure::UrineMProtein => "urine M-protein",
            Measure::FreeLightChains => "dFLC (involved − uninvolved FLC)",
            Measure::BoneMarrowPlasmaCells => "bone-marrow plasma cells",
        }
    }
}

/// Whether a measure was measurable at baseline, and whether response is read from it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MeasurableDisease {
    /// The measure.
    pub measure: Measure,
    /// Its baseline value in the canonical unit, where measured.
    pub baseline_value: Option<String>,
    /// The threshold for measurable disease, with its comparator.
    pub threshold: String,
    /// Measurable at baseline; `None` when not measured (unknown, never "not measurable").
    pub measurable: Option<bool>,
    /// Response categories are read from this measure.
    pub used: bool,
    /// Citation key.
    pub citation: &'static str,
    /// Evidence level of the threshold.
    pub evidence: Evidence,
}

/// One criterion checked at one assessment: which value met (or failed) which threshold.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "ResponseCriterion")]
pub struct Criterion {
    /// Index of the assessment in `response_assessments`.
    pub assessment: usize,
    /// The category this criterion belongs to.
    pub category: ResponseCategory,
    /// What is measured.
    pub measure: String,
    /// The rule with its exact comparator.
    pub rule: String,
    /// The value(s) as understood, in canonical units.
    pub value: String,
    /// Met, not met, or unknown (`None`: a value was missing).
    pub met: Option<bool>,
    /// Citation key.
    pub citation: &'static str,
    /// Evidence level of the rule.
    pub evidence: Evidence,
}

/// The response at one assessment (before confirmation).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TimepointResponse {
    /// Index in `response_assessments`.
    pub assessment: usize,
    /// Date, where given.
    pub date: Option<Date>,
    /// The category met at this assessment; `None` when it cannot be assessed.
    pub category: Option<ResponseCategory>,
    /// The criteria checked.
    pub criteria: Vec<Criterion>,
}

/// The IMWG response over the series, with its basis.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ResponseAssessment {
    /// `"IMWG 2016"` (default) or `"IMWG 2006"`: the caller's `criteria.version`.
    pub criteria_version: &'static str,
    /// The parameters used.
    pub criteria: ResponseCriteria,
    /// Index of the baseline assessment (the first), where there is one.
    pub baseline_assessment: Option<usize>,
    /// The involved light chain used for dFLC.
    pub involved_light_chain: Option<LightChain>,
    /// Where the involved light chain came from: `diagnosis`, `baseline_flc_ratio` or `unknown`.
    pub involved_light_chain_source: &'static str,
    /// Measurable disease at baseline, in the order IMWG chooses it.
    pub measurable_disease: Vec<MeasurableDisease>,
    /// The category met at the latest assessment (unconfirmed). Progression wins over any
    /// response. `None` when it cannot be assessed.
    pub category: Option<ResponseCategory>,
    /// The category met at both of the last two assessments: what counts (`imwg-2006-response`). `None` with
    /// fewer than two assessments after baseline, or while a progression awaits confirmation.
    pub confirmed_category: Option<ResponseCategory>,
    /// The best category ever confirmed by two consecutive assessments (before any confirmed
    /// progression).
    pub best_confirmed_category: Option<ResponseCategory>,
    /// Progression confirmed by two consecutive assessments.
    pub progression_confirmed: bool,
    /// The criteria checked at the latest assessment.
    pub breakdown: Vec<Criterion>,
    /// Every assessment after baseline, oldest first.
    pub timeline: Vec<TimepointResponse>,
    /// Inputs that would decide a better (or any) category, with the test that supplies each.
    pub missing_inputs: Vec<MissingInput>,
    /// Notes the clinician should read (limits of what the record can show).
    pub notes: Vec<String>,
    /// MRD, interpreted against the confirmed category.
    pub mrd: MrdAssessment,
    /// Citations of every rule used.
    pub citations: Vec<Citation>,
}

/// One assessment with typed values in integer micro-units of the canonical unit.
#[derive(Debug, Clone, Copy, Default)]
struct Tp {
    date: Option<Date>,
    serum: Option<i64>,
    urine: Option<i64>,
    kappa: Option<i64>,
    lambda: Option<i64>,
    bmpc: Option<i64>,
    sife: Option<Immunofixation>,
    uife: Option<Immunofixation>,
    ihc_clonal: Option<bool>,
    plasmacytoma: Option<bool>,
    new_lesions: Option<bool>,
}

#[allow(clippy::cast_possible_truncation)]
fn micro(canonical: f64) -> i64 {
    // Canonical values are already rounded to 1e-6 of the unit (labs.rs), so this is exact.
    (canonical * 1e6).round() as i64
}

fn show(v: i64, unit: &str) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let int = a / 1_000_000;
    let frac = a % 1_000_000;
    if frac == 0 {
        format!("{sign}{int} {unit}")
    } else {
        let f = format!("{frac:06}");
        format!("{sign}{int}.{} {unit}", f.trim_end_matches('0'))
    }
}

/// Percent change from `from` to `to`, for reading only (decisions use exact integer tests).
#[allow(clippy::cast_precision_loss)]
fn pct_change(from: i64, to: i64) -> String {
    if from == 0 {
        return "n/a (baseline 0)".into();
    }
    let p = (to - from) as f64 * 100.0 / from as f64;
    format!("{:+.1}%", (p * 10.0).round() / 10.0)
}

/// `cur` is at least `pct`% below `base`: (base − cur)·100 ≥ pct·base, exactly.
fn fell_at_least(base: i64, cur: i64, pct: i64) -> bool {
    i128::from(base - cur) * 100 >= i128::from(pct) * i128::from(base)
}

/// `cur` is more than `pct`% below `base`.
fn fell_more_than(base: i64, cur: i64, pct: i64) -> bool {
    i128::from(base - cur) * 100 > i128::from(pct) * i128::from(base)
}

/// `cur` is at least 25% above `nadir` (a nadir below 0, possible for dFLC, counts as 0).
fn rose_25pct(nadir: i64, cur: i64) -> bool {
    i128::from(cur - nadir) * 100 >= 25 * i128::from(nadir.max(0))
}

fn dflc(tp: &Tp, chain: Option<LightChain>) -> Option<i64> {
    match chain? {
        LightChain::Kappa => Some(tp.kappa? - tp.lambda?),
        LightChain::Lambda => Some(tp.lambda? - tp.kappa?),
    }
}

/// κ/λ within 0.26–1.65 (both bounds inclusive); `None` when either chain is missing or λ is 0.
fn flc_ratio_normal(tp: &Tp) -> Option<bool> {
    let (k, l) = (i128::from(tp.kappa?), i128::from(tp.lambda?));
    if l == 0 {
        // κ over a λ of 0 is an unbounded (abnormal) ratio; 0/0 is no ratio at all.
        return (k > 0).then_some(false);
    }
    Some(k * 100 >= FLC_RATIO_LOW_X100 as i128 * l && k * 100 <= FLC_RATIO_HIGH_X100 as i128 * l)
}

/// The ratio is abnormal in the direction of `chain` (κ: >1.65; λ: <0.26).
fn flc_ratio_abnormal_for(tp: &Tp, chain: LightChain) -> Option<bool> {
    let (k, l) = (i128::from(tp.kappa?), i128::from(tp.lambda?));
    Some(match chain {
        LightChain::Kappa => k * 100 > FLC_RATIO_HIGH_X100 as i128 * l,
        LightChain::Lambda => k * 100 < FLC_RATIO_LOW_X100 as i128 * l,
    })
}

#[allow(clippy::cast_precision_loss)]
fn ratio_text(tp: &Tp) -> String {
    match (tp.kappa, tp.lambda) {
        (Some(k), Some(l)) if l != 0 => {
            format!("κ/λ {:.3} (κ {}, λ {})", k as f64 / l as f64, show(k, "mg/L"), show(l, "mg/L"))
        }
        (Some(k), Some(l)) => format!("κ/λ undefined (κ {}, λ {})", show(k, "mg/L"), show(l, "mg/L")),
        _ => "κ or λ not measured".into(),
    }
}

/// The lowest confirmed value before assessment `i`: the baseline, or the lowest level held at
/// two consecutive assessments (the higher of the pair), whichever is lower.
fn nadir(series: &[Option<i64>], i: usize) -> Option<i64> {
    let before = series.get(..i)?;
    let mut best = before.first().copied().flatten();
    for w in before.windows(2) {
        if let [Some(a), Some(b)] = w {
            let held = (*a).max(*b);
            best = Some(best.map_or(held, |x| x.min(held)));
        }
    }
    best
}

/// The lowest value before assessment `i` (IMWG 2006, "lowest response value"): any single
/// value, the baseline included.
fn nadir_any(series: &[Option<i64>], i: usize) -> Option<i64> {
    series.get(..i)?.iter().flatten().copied().min()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Used {
    serum: bool,
    urine: bool,
    flc: bool,
    marrow: bool,
}

struct Ctx<'a> {
    tps: &'a [Tp],
    used: Used,
    chain: Option<LightChain>,
    version: ResponseCriteriaVersion,
}

impl Ctx<'_> {
    /// The progression baseline under the chosen criteria version.
    fn nadir(&self, series: &[Option<i64>], i: usize) -> Option<i64> {
        match self.version {
            ResponseCriteriaVersion::Imwg2016 => nadir(series, i),
            ResponseCriteriaVersion::Imwg2006 => nadir_any(series, i),
        }
    }
    /// "lowest confirmed value" (2016) or "lowest value" (2006), for the rule text.
    fn lowest(&self) -> &'static str {
        match self.version {
            ResponseCriteriaVersion::Imwg2016 => "the lowest confirmed value",
            ResponseCriteriaVersion::Imwg2006 => "the lowest value (IMWG 2006)",
        }
    }
    /// The citation of the progression rule.
    fn pd_citation(&self) -> &'static str {
        match self.version {
            ResponseCriteriaVersion::Imwg2016 => IMWG_2016,
            ResponseCriteriaVersion::Imwg2006 => IMWG_2006,
        }
    }
}

fn field(i: usize, name: &str) -> String {
    format!("response_assessments[{i}].{name}")
}

const TEST_SPEP: &str = "serum protein electrophoresis (M-protein)";
const TEST_UPEP: &str = "24-hour urine protein electrophoresis";
const TEST_FLC: &str = "serum free light-chain assay (κ and λ)";
const TEST_MARROW: &str = "bone-marrow aspirate (plasma-cell %)";
const TEST_SIFE: &str = "serum immunofixation";
const TEST_UIFE: &str = "urine immunofixation";
const TEST_IHC: &str = "bone-marrow biopsy immunohistochemistry (κ/λ clonality)";
const TEST_IMAGING: &str = "imaging of the baseline soft-tissue plasmacytoma(s) (CT/MRI or PET/CT)";

/// A requirement of a category: met, not met, or unknown with the input that would decide it.
struct Req {
    met: Truth,
    missing: Option<(String, &'static str)>,
}

impl Req {
    fn known(met: bool) -> Self {
        Self { met: Truth::from_bool(met), missing: None }
    }
    fn unknown(field: String, test: &'static str) -> Self {
        Self { met: Truth::Unknown, missing: Some((field, test)) }
    }
}

/// The latest marrow result at or before `i` and after baseline (marrow results need not be
/// confirmed, Durie 2006 \[M\]): (assessment index, value).
fn carried<T: Copy>(tps: &[Tp], i: usize, get: impl Fn(&Tp) -> Option<T>) -> Option<(usize, T)> {
    (1..=i).rev().find_map(|j| tps.get(j).and_then(|t| get(t).map(|v| (j, v))))
}

struct Eval {
    category: Option<ResponseCategory>,
    criteria: Vec<Criterion>,
    missing: Vec<MissingInput>,
}

// One row of the breakdown table: one argument per column.
#[allow(clippy::too_many_arguments)]
fn crit(
    i: usize,
    category: ResponseCategory,
    measure: &str,
    rule: &str,
    value: String,
    met: Option<bool>,
    citation: &'static str,
    evidence: Evidence,
) -> Criterion {
    Criterion {
        assessment: i,
        category,
        measure: measure.to_string(),
        rule: rule.to_string(),
        value,
        met,
        citation,
        evidence,
    }
}

/// Progression at assessment `i`, measured from the nadir. Returns whether any criterion is met.
fn progression(cx: &Ctx<'_>, i: usize, out: &mut Vec<Criterion>) -> bool {
    use ResponseCategory::Pd;
    let Some(tp) = cx.tps.get(i) else { return false };
    let mut pd = false;
    let serum: Vec<Option<i64>> = cx.tps.iter().map(|t| t.serum).collect();
    let urine: Vec<Option<i64>> = cx.tps.iter().map(|t| t.urine).collect();
    if let (Some(n), Some(c)) = (cx.nadir(&serum, i), tp.serum) {
        let (met, rule, ev) = if n >= SERUM_PD_HIGH_NADIR {
            // IMWG footnote: "serum M component increases of ≥1 gm/dL are sufficient to define
            // relapse if starting M component is ≥5 g/dL" — the 25% is not also required (it
            // would make this rule redundant). `imwg-2016-response` [V2]; footnote [V2].
            (
                c - n >= SERUM_PD_ABS_HIGH,
                format!("increase ≥1 g/dL from {}, which was ≥5 g/dL", cx.lowest()),
                Evidence::V2,
            )
        } else {
            (
                rose_25pct(n, c) && c - n >= SERUM_PD_ABS,
                format!("increase ≥25% from {} and absolute increase ≥0.5 g/dL", cx.lowest()),
                Evidence::V2,
            )
        };
        pd |= met;
        out.push(crit(
            i,
            Pd,
            Measure::SerumMProtein.label(),
            &rule,
            format!("{} (nadir {}, {})", show(c, "g/dL"), show(n, "g/dL"), pct_change(n, c)),
            Some(met),
            cx.pd_citation(),
            ev,
        ));
    }
    if let (Some(n), Some(c)) = (cx.nadir(&urine, i), tp.urine) {
        let met = rose_25pct(n, c) && c - n >= URINE_PD_ABS;
        pd |= met;
        out.push(crit(
            i,
            Pd,
            Measure::UrineMProtein.label(),
            &format!("increase ≥25% from {} and absolute increase ≥200 mg/24h", cx.lowest()),
            format!("{} (nadir {}, {})", show(c, "mg/24h"), show(n, "mg/24h"), pct_change(n, c)),
            Some(met),
            cx.pd_citation(),
            Evidence::V2,
        ));
    }
    // dFLC counts for progression whenever serum and urine are not measurable; marrow whenever
    // serum, urine and FLC are not (irrespective of the baseline marrow, IMWG 2016).
    if !cx.used.serum && !cx.used.urine {
        let d: Vec<Option<i64>> = cx.tps.iter().map(|t| dflc(t, cx.chain)).collect();
        if let (Some(n), Some(c)) = (cx.nadir(&d, i), d.get(i).copied().flatten()) {
            let met = rose_25pct(n, c) && c - n > DFLC_PD_ABS;
            pd |= met;
            out.push(crit(i, Pd, Measure::FreeLightChains.label(), &format!("serum and urine not measurable: increase ≥25% from {} of dFLC and absolute increase >10 mg/dL (100 mg/L)", cx.lowest()), format!("{} (nadir {}, {})", show(c, "mg/L"), show(n, "mg/L"), pct_change(n, c)), Some(met), cx.pd_citation(), Evidence::V2));
        }
    }
    if !cx.used.serum && !cx.used.urine && !cx.used.flc {
        let b: Vec<Option<i64>> = cx.tps.iter().map(|t| t.bmpc).collect();
        if let (Some(n), Some(c)) = (cx.nadir(&b, i), tp.bmpc) {
            let met = rose_25pct(n, c) && c - n >= BMPC_PD_ABS;
            pd |= met;
            out.push(crit(
                i,
                Pd,
                Measure::BoneMarrowPlasmaCells.label(),
                &format!(
                    "nothing else measurable: increase ≥25% from {} and absolute increase ≥10 percentage points",
                    cx.lowest()
                ),
                format!("{} (nadir {})", show(c, "%"), show(n, "%")),
                Some(met),
                cx.pd_citation(),
                Evidence::V2,
            ));
        }
    }
    if let Some(nl) = tp.new_lesions {
        pd |= nl;
        out.push(crit(
            i,
            Pd,
            "bone lesions / plasmacytomas",
            "new lesion(s), or a definite increase in existing ones",
            if nl { "reported".into() } else { "none reported".into() },
            Some(nl),
            cx.pd_citation(),
            Evidence::V2,
        ));
    }
    pd
}

/// The category each used measure supports on its own at assessment `i`: the worst of them,
/// never better than VGPR (CR and sCR need more than a measure level). `None` when a used
/// measure is missing at baseline or at `i` (named in `missing`).
fn measure_levels(
    cx: &Ctx<'_>,
    i: usize,
    out: &mut Vec<Criterion>,
    missing: &mut Vec<(String, &'static str)>,
) -> Option<ResponseCategory> {
    let tp = cx.tps.get(i)?;
    let base = cx.tps.first()?;
    // Every used measure is checked (so the breakdown and the missing inputs are complete)
    // before the levels are combined.
    let mut levels = Vec::new();
    if cx.used.serum {
        levels.push(serum_level(i, base, tp, out, missing));
    }
    if cx.used.urine {
        levels.push(urine_level(i, base, tp, out, missing));
    }
    if cx.used.flc {
        levels.push(flc_level(cx, i, base, tp, out, missing));
    }
    if cx.used.marrow {
        levels.push(marrow_level(cx, i, base, out, missing));
    }
    levels.into_iter().try_fold(ResponseCategory::Vgpr, |worst, l| l.map(|l| worst.max(l)))
}

/// Serum M-protein route (`imwg-2016-response`): VGPR ≥ 90% reduction from baseline \[V2\], PR
/// ≥ 50% \[V1\], MR 25–49% \[C\], otherwise SD.
fn serum_level(
    i: usize,
    base: &Tp,
    tp: &Tp,
    out: &mut Vec<Criterion>,
    missing: &mut Vec<(String, &'static str)>,
) -> Option<ResponseCategory> {
    use ResponseCategory::*;
    let (Some(b), Some(c)) = (base.serum, tp.serum) else {
        missing.push((field(i, "serum_m_protein"), TEST_SPEP));
        return None;
    };
    let v = format!("{} (baseline {}, {})", show(c, "g/dL"), show(b, "g/dL"), pct_change(b, c));
    let vgpr = fell_at_least(b, c, 90);
    let pr = fell_at_least(b, c, 50);
    let mr = fell_at_least(b, c, 25);
    let m = Measure::SerumMProtein.label();
    out.push(crit(i, Vgpr, m, "≥90% reduction from baseline", v.clone(), Some(vgpr), IMWG_2016, Evidence::V2));
    out.push(crit(i, Pr, m, "≥50% reduction from baseline", v.clone(), Some(pr), IMWG_2016, Evidence::V1));
    out.push(crit(i, Mr, m, "≥25% but ≤49% reduction from baseline", v, Some(mr && !pr), IMWG_2016, Evidence::C));
    Some(if vgpr {
        Vgpr
    } else if pr {
        Pr
    } else if mr {
        Mr
    } else {
        Sd
    })
}

/// Urine M-protein route (`imwg-2016-response`): VGPR < 100 mg/24 h \[V2\], PR ≥ 90% reduction
/// or < 200 mg/24 h \[V1\], MR 50–89% \[V2\], otherwise SD.
fn urine_level(
    i: usize,
    base: &Tp,
    tp: &Tp,
    out: &mut Vec<Criterion>,
    missing: &mut Vec<(String, &'static str)>,
) -> Option<ResponseCategory> {
    use ResponseCategory::*;
    let (Some(b), Some(c)) = (base.urine, tp.urine) else {
        missing.push((field(i, "urine_m_protein"), TEST_UPEP));
        return None;
    };
    let v = format!("{} (baseline {}, {})", show(c, "mg/24h"), show(b, "mg/24h"), pct_change(b, c));
    let vgpr = c < URINE_VGPR;
    let pr = fell_at_least(b, c, 90) || c < URINE_PR;
    let mr = fell_at_least(b, c, 50);
    let m = Measure::UrineMProtein.label();
    out.push(crit(i, Vgpr, m, "<100 mg/24h", v.clone(), Some(vgpr), IMWG_2016, Evidence::V2));
    out.push(crit(
        i,
        Pr,
        m,
        "≥90% reduction from baseline or <200 mg/24h",
        v.clone(),
        Some(pr),
        IMWG_2016,
        Evidence::V1,
    ));
    out.push(crit(i, Mr, m, "50–89% reduction from baseline", v, Some(mr && !pr), IMWG_2016, Evidence::V2));
    Some(if vgpr {
        Vgpr
    } else if pr {
        Pr
    } else if mr {
        Mr
    } else {
        Sd
    })
}

/// Free-light-chain route, when only FLC is measurable (`imwg-2016-response`, \[V2\]): VGPR
/// > 90% reduction of dFLC, PR ≥ 50%, otherwise SD (MR has no FLC route).
fn flc_level(
    cx: &Ctx<'_>,
    i: usize,
    base: &Tp,
    tp: &Tp,
    out: &mut Vec<Criterion>,
    missing: &mut Vec<(String, &'static str)>,
) -> Option<ResponseCategory> {
    use ResponseCategory::*;
    let (Some(b), Some(c)) = (dflc(base, cx.chain), dflc(tp, cx.chain)) else {
        if tp.kappa.is_none() {
            missing.push((field(i, "serum_flc_kappa"), TEST_FLC));
        }
        if tp.lambda.is_none() {
            missing.push((field(i, "serum_flc_lambda"), TEST_FLC));
        }
        return None;
    };
    let v = format!("{} (baseline {}, {})", show(c, "mg/L"), show(b, "mg/L"), pct_change(b, c));
    let vgpr = fell_more_than(b, c, 90);
    let pr = fell_at_least(b, c, 50);
    let m = Measure::FreeLightChains.label();
    out.push(crit(
        i,
        Vgpr,
        m,
        "only FLC measurable: >90% reduction of dFLC from baseline",
        v.clone(),
        Some(vgpr),
        IMWG_2016,
        Evidence::V2,
    ));
    out.push(crit(
        i,
        Pr,
        m,
        "only FLC measurable: ≥50% reduction of dFLC from baseline",
        v,
        Some(pr),
        IMWG_2016,
        Evidence::V2,
    ));
    // MR has no FLC route (IMWG 2016): an FLC-only fall short of PR is SD.
    Some(if vgpr {
        Vgpr
    } else if pr {
        Pr
    } else {
        Sd
    })
}

/// Marrow route, when serum, urine and FLC are not measurable and baseline marrow plasma cells
/// were ≥ 30% (\[V1\] `imwg-2006-response` / \[V2\] `imwg-2016-response`): PR ≥ 50% reduction,
/// otherwise SD. The latest marrow after baseline counts (marrow results need no confirmation).
fn marrow_level(
    cx: &Ctx<'_>,
    i: usize,
    base: &Tp,
    out: &mut Vec<Criterion>,
    missing: &mut Vec<(String, &'static str)>,
) -> Option<ResponseCategory> {
    use ResponseCategory::*;
    let (Some(b), Some((j, c))) = (base.bmpc, carried(cx.tps, i, |t| t.bmpc)) else {
        missing.push((field(i, "bone_marrow_plasma_cells"), TEST_MARROW));
        return None;
    };
    let v = format!("{} (assessment {j}; baseline {}, {})", show(c, "%"), show(b, "%"), pct_change(b, c));
    let pr = fell_at_least(b, c, 50);
    out.push(crit(
        i,
        Pr,
        Measure::BoneMarrowPlasmaCells.label(),
        "serum, urine and FLC not measurable, baseline ≥30%: ≥50% reduction",
        v,
        Some(pr),
        IMWG_2016,
        Evidence::V1,
    ));
    // The marrow route has only PR (and CR by its own criteria); VGPR and MR are not defined
    // for it.
    Some(if pr { Pr } else { Sd })
}

/// The response at assessment `i` (before confirmation): progression first, then the measure
/// levels, then the ladder sCR → CR → VGPR → PR → MR, each category with its requirements
/// beyond the measure level; the first category whose requirements are all met is given.
fn evaluate(cx: &Ctx<'_>, i: usize) -> Eval {
    let mut criteria = Vec::new();
    let Some(tp) = cx.tps.get(i) else { return Eval { category: None, criteria, missing: vec![] } };
    let base = cx.tps.first().copied().unwrap_or_default();

    // Progression first: it wins over any response category (docs/clinical-basis.md, Pitfalls).
    if progression(cx, i, &mut criteria) {
        return Eval { category: Some(ResponseCategory::Pd), criteria, missing: vec![] };
    }

    let mut level_missing = Vec::new();
    let level = measure_levels(cx, i, &mut criteria, &mut level_missing);
    let Some(level) = level else {
        let missing = level_missing
            .into_iter()
            .map(|(f, t)| MissingInput::new(f, t, "any response category: the measure the response is read from"))
            .collect();
        return Eval { category: None, criteria, missing };
    };

    let reqs = Requirements::at(cx, i, tp, &base, level);
    reqs.push_criteria(cx, i, tp, &base, level, &mut criteria);
    let (category, missing) = climb(reqs.ladder(cx, level));
    Eval { category: Some(category), criteria, missing }
}

/// What each category needs beyond the measure level at one assessment, each met, not met or
/// unknown with the input that would decide it.
struct Requirements {
    /// The measure level is consistent with negative immunofixation: at least VGPR, or PR on the
    /// marrow route (\[M\] `imwg-2016-response`).
    cr_level_ok: bool,
    /// CR: negative serum immunofixation (\[V1\] `imwg-2006-response`).
    sife: Req,
    /// CR: negative urine immunofixation (\[V1\] `imwg-2006-response`).
    uife: Req,
    /// CR: disappearance of any soft-tissue plasmacytoma (\[V1\] `imwg-2006-response`).
    plasmacytoma_gone: Req,
    /// CR: < 5% plasma cells in the marrow aspirate (\[V1\] `imwg-2006-response`).
    bmpc_cr: Req,
    /// sCR (and CR when only FLC is measurable): normal κ/λ ratio (`flc-ratio-katzmann-2002`).
    ratio: Req,
    /// sCR: no clonal plasma cells by immunohistochemistry (\[V1\] `imwg-2006-response`).
    ihc: Req,
    /// PR, VGPR, MR with a baseline soft-tissue plasmacytoma: the ≥ 50% (MR 25–49%) reduction in
    /// size (\[V1\] `imwg-2006-response`), which the record cannot show.
    plasmacytoma_size: Req,
    /// VGPR by serum: urine M-protein < 100 mg/24 h as well (\[V2\] `imwg-2016-response`).
    urine_lt_100: Req,
}

impl Requirements {
    fn at(cx: &Ctx<'_>, i: usize, tp: &Tp, base: &Tp, level: ResponseCategory) -> Self {
        use ResponseCategory::*;
        let cr_level_ok = if cx.used.marrow { level <= Pr } else { level <= Vgpr };
        let sife = match tp.sife {
            Some(x) => Req::known(x == Immunofixation::Negative),
            None => Req::unknown(field(i, "serum_immunofixation"), TEST_SIFE),
        };
        let uife = match tp.uife {
            Some(x) => Req::known(x == Immunofixation::Negative),
            None => Req::unknown(field(i, "urine_immunofixation"), TEST_UIFE),
        };
        let plasmacytoma_gone = match (tp.plasmacytoma, base.plasmacytoma) {
            (Some(p), _) => Req::known(!p),
            // None at baseline: nothing to disappear (a new one is a new lesion: PD).
            (None, Some(false)) => Req::known(true),
            (None, _) => Req::unknown(field(i, "soft_tissue_plasmacytoma"), TEST_IMAGING),
        };
        let bmpc_cr = match carried(cx.tps, i, |t| t.bmpc) {
            Some((_, v)) => Req::known(v < BMPC_CR),
            None => Req::unknown(field(i, "bone_marrow_plasma_cells"), TEST_MARROW),
        };
        let ratio = match flc_ratio_normal(tp) {
            Some(x) => Req::known(x),
            None => Req::unknown(
                field(i, if tp.kappa.is_none() { "serum_flc_kappa" } else { "serum_flc_lambda" }),
                TEST_FLC,
            ),
        };
        let ihc = match carried(cx.tps, i, |t| t.ihc_clonal) {
            Some((_, clonal)) => Req::known(!clonal),
            None => Req::unknown(field(i, "clonal_cells_by_ihc"), TEST_IHC),
        };
        // A soft-tissue plasmacytoma present at baseline and still present: its size (SPD) is not
        // in the record, so the ≥50% (MR 25–49%) reduction PR, VGPR and MR need cannot be shown.
        let plasmacytoma_size = if base.plasmacytoma == Some(true) && tp.plasmacytoma != Some(false) {
            Req::unknown(field(i, "soft_tissue_plasmacytoma"), TEST_IMAGING)
        } else {
            Req::known(true)
        };
        let urine_lt_100 = if cx.used.serum && !cx.used.urine {
            match tp.urine {
                Some(u) => Req::known(u < URINE_VGPR),
                None => Req::unknown(field(i, "urine_m_protein"), TEST_UPEP),
            }
        } else {
            Req::known(true)
        };
        Self { cr_level_ok, sife, uife, plasmacytoma_gone, bmpc_cr, ratio, ihc, plasmacytoma_size, urine_lt_100 }
    }

    /// The breakdown rows of the requirements, with the values as understood.
    fn push_criteria(
        &self,
        cx: &Ctx<'_>,
        i: usize,
        tp: &Tp,
        base: &Tp,
        level: ResponseCategory,
        criteria: &mut Vec<Criterion>,
    ) {
        use ResponseCategory::*;
        let mut push = |cat: ResponseCategory,
                        measure: &str,
                        rule: &str,
                        value: String,
                        r: &Req,
                        ev: Evidence,
                        key: &'static str| {
            criteria.push(crit(i, cat, measure, rule, value, r.met.to_option(), key, ev));
        };
        let imm = |x: Option<Immunofixation>| x.map_or("not done", immunofixation_text).to_string();
        let not_done = || "not done after baseline".to_string();
        let marrow = carried(cx.tps, i, |t| t.bmpc);
        let ihc = carried(cx.tps, i, |t| t.ihc_clonal);
        push(Cr, "serum immunofixation", "negative", imm(tp.sife), &self.sife, Evidence::V1, IMWG_2006);
        push(Cr, "urine immunofixation", "negative", imm(tp.uife), &self.uife, Evidence::V1, IMWG_2006);
        push(
            Cr,
            "soft-tissue plasmacytoma",
            "disappearance of any soft-tissue plasmacytoma",
            format!("now {}, baseline {}", yes_no(tp.plasmacytoma), yes_no(base.plasmacytoma)),
            &self.plasmacytoma_gone,
            Evidence::V1,
            IMWG_2006,
        );
        push(
            Cr,
            Measure::BoneMarrowPlasmaCells.label(),
            "<5% plasma cells in the marrow aspirate",
            marrow.map_or_else(not_done, |(j, v)| format!("{} (assessment {j})", show(v, "%"))),
            &self.bmpc_cr,
            Evidence::V1,
            IMWG_2006,
        );
        push(
            Cr,
            "response level",
            if cx.used.marrow {
                "measure level at least PR (consistency with negative immunofixation)"
            } else {
                "measure level at least VGPR (consistency with negative immunofixation)"
            },
            level.label().to_string(),
            &Req::known(self.cr_level_ok),
            Evidence::M,
            IMWG_2016,
        );
        if cx.used.flc {
            push(
                Cr,
                "serum FLC ratio",
                "only FLC measurable: normal κ/λ ratio 0.26–1.65 in addition to CR",
                ratio_text(tp),
                &self.ratio,
                Evidence::M,
                IMWG_2016,
            );
        }
        push(
            Scr,
            "serum FLC ratio",
            "normal κ/λ ratio 0.26–1.65 (inclusive)",
            ratio_text(tp),
            &self.ratio,
            Evidence::V1,
            FLC_RATIO,
        );
        push(
            Scr,
            "marrow immunohistochemistry",
            "no clonal plasma cells",
            ihc.map_or_else(not_done, |(j, c)| {
                format!("{} (assessment {j})", if c { "clonal cells" } else { "no clonal cells" })
            }),
            &self.ihc,
            Evidence::V1,
            IMWG_2006,
        );
        if cx.used.serum && !cx.used.urine {
            push(
                Vgpr,
                Measure::UrineMProtein.label(),
                "with ≥90% serum reduction: urine M-protein <100 mg/24h",
                tp.urine.map_or("not measured".into(), |u| show(u, "mg/24h")),
                &self.urine_lt_100,
                Evidence::V2,
                IMWG_2016,
            );
        }
        if base.plasmacytoma == Some(true) {
            push(
                Pr,
                "soft-tissue plasmacytoma",
                "≥50% reduction (SPD) of baseline plasmacytoma (MR: 25–49%)",
                "size not in the record".into(),
                &self.plasmacytoma_size,
                Evidence::V1,
                IMWG_2006,
            );
        }
    }

    /// The categories from best to worst with everything each needs (IMWG 2016,
    /// `imwg-2016-response`; CR and sCR as defined in `imwg-2006-response`).
    fn ladder(&self, cx: &Ctx<'_>, level: ResponseCategory) -> Vec<(ResponseCategory, Vec<Req>)> {
        use ResponseCategory::*;
        let level_req = |c: ResponseCategory| Req::known(level <= c);
        let mut cr = vec![
            Req::known(self.cr_level_ok),
            req_clone(&self.sife),
            req_clone(&self.uife),
            req_clone(&self.plasmacytoma_gone),
            req_clone(&self.bmpc_cr),
        ];
        let mut scr = vec![
            Req::known(self.cr_level_ok),
            req_clone(&self.sife),
            req_clone(&self.uife),
            req_clone(&self.plasmacytoma_gone),
            req_clone(&self.bmpc_cr),
            req_clone(&self.ratio),
            req_clone(&self.ihc),
        ];
        if cx.used.flc {
            // Only FLC measurable: CR also needs a normal ratio.
            scr.push(req_clone(&self.ratio));
            cr.push(req_clone(&self.ratio));
        }
        vec![
            (Scr, scr),
            (Cr, cr),
            (Vgpr, vec![level_req(Vgpr), req_clone(&self.urine_lt_100), req_clone(&self.plasmacytoma_size)]),
            (Pr, vec![level_req(Pr), req_clone(&self.plasmacytoma_size)]),
            (Mr, vec![level_req(Mr), req_clone(&self.plasmacytoma_size)]),
        ]
    }
}

/// The best category of the ladder whose requirements are all met (SD when none is), and the
/// inputs that would decide a better one: for each category not excluded, the unknown
/// requirements, each field once with the best category it would decide.
fn climb(ladder: Vec<(ResponseCategory, Vec<Req>)>) -> (ResponseCategory, Vec<MissingInput>) {
    let mut missing_raw: Vec<(String, &'static str, String)> = Vec::new();
    let mut category = ResponseCategory::Sd;
    for (cat, reqs) in ladder {
        if Truth::all(reqs.iter().map(|r| r.met)).is_met() {
            category = cat;
            break;
        }
        if Truth::all(reqs.iter().map(|r| r.met)) != Truth::NotMet {
            for r in &reqs {
                if let (Truth::Unknown, Some((f, t))) = (r.met, &r.missing) {
                    missing_raw.push((f.clone(), t, format!("response category {} (IMWG 2016)", cat.label())));
                }
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let missing = missing_raw
        .into_iter()
        .filter(|(f, _, _)| seen.insert(f.clone()))
        .map(|(f, t, n)| MissingInput::new(f, t, n))
        .collect();
    (category, missing)
}

/// An immunofixation result in words, as the breakdown shows it.
fn immunofixation_text(x: Immunofixation) -> &'static str {
    match x {
        Immunofixation::Negative => "negative",
        Immunofixation::Positive => "positive",
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "present",
        Some(false) => "absent",
        None => "not reported",
    }
}

fn req_clone(r: &Req) -> Req {
    Req { met: r.met, missing: r.missing.clone() }
}

/// The category met at two consecutive assessments: both PD gives PD; one PD alone confirms
/// nothing yet; otherwise the worse of the two (the level both reached).
fn confirm(a: Option<ResponseCategory>, b: Option<ResponseCategory>) -> Option<ResponseCategory> {
    use ResponseCategory::Pd;
    match (a?, b?) {
        (Pd, Pd) => Some(Pd),
        (Pd, _) | (_, Pd) => None,
        (x, y) => Some(x.max(y)),
    }
}

/// The series in integer micro-units of each canonical unit, from the values the validated
/// patient carries (converted and range-checked once, in `patient/`).
fn to_tps(p: &Patient) -> Vec<Tp> {
    let m = |v: Option<f64>| v.map(micro);
    p.response_assessments
        .iter()
        .map(|a| Tp {
            date: a.date(),
            serum: m(a.serum_m_protein().map(|v| v.canonical())),
            urine: m(a.urine_m_protein().map(|v| v.canonical())),
            kappa: m(a.serum_flc_kappa().map(|v| v.canonical())),
            lambda: m(a.serum_flc_lambda().map(|v| v.canonical())),
            bmpc: m(a.bone_marrow_plasma_cells().map(|v| v.canonical())),
            sife: a.serum_immunofixation(),
            uife: a.urine_immunofixation(),
            ihc_clonal: a.clonal_cells_by_ihc(),
            plasmacytoma: a.soft_tissue_plasmacytoma(),
            new_lesions: a.new_lesions(),
        })
        .collect()
}

/// IMWG response over the patient's `response_assessments`, with the default [`ResponseCriteria`].
///
/// # Errors
/// None with the default criteria: the patient's values were converted and range-checked once,
/// when it was validated ([`crate::PatientRecord::validate`]); the `Result` is the one
/// [`assess_response_with`] returns.
///
/// # Example
/// ```
/// use myeloma_pathway::{response::{assess_response, ResponseCategory}, Patient};
/// let p = Patient::from_json(r#"{"response_assessments": [
///   {"serum_m_protein": {"value": 30, "unit": "g/L"}, "urine_m_protein": {"value": 50, "unit": "mg/24h"}},
///   {"serum_m_protein": {"value": 1.2, "unit": "g/dL"}, "urine_m_protein": {"value": 40, "unit": "mg/24h"}},
///   {"serum_m_protein": {"value": 1.1, "unit": "g/dL"}, "urine_m_protein": {"value": 30, "unit": "mg/24h"}}
/// ]}"#).unwrap();
/// let kb = myeloma_pathway::KnowledgeBase::embedded();
/// let r = assess_response(kb, &p).unwrap();
/// assert_eq!(r.confirmed_category, Some(ResponseCategory::Pr));
/// ```
pub fn assess_response(kb: &KnowledgeBase, p: &Patient) -> Result<ResponseAssessment> {
    assess_response_with(kb, p, &ResponseCriteria::default())
}

/// [`assess_response`] with caller-chosen parameters.
///
/// # Errors
/// An out-of-range `serum_measurable_g_dl` (0.1–5 g/dL), naming `criteria.serum_measurable_g_dl`.
pub fn assess_response_with(
    kb: &KnowledgeBase,
    p: &Patient,
    criteria: &ResponseCriteria,
) -> Result<ResponseAssessment> {
    let serum_threshold = micro(crate::error::check_range(
        "criteria.serum_measurable_g_dl",
        criteria.serum_measurable_g_dl,
        "g/dL",
        0.1,
        5.0,
    )?);
    let tps = to_tps(p);
    let mut notes = Vec::new();
    let citations = [IMWG_2016, IMWG_2006, FLC_RATIO].iter().map(|k| kb.cite_key(k)).collect::<Vec<_>>();
    let unassessable = Unassessable { p, criteria, citations: &citations };
    let Some(base) = tps.first().copied() else {
        let missing = vec![MissingInput::new("response_assessments", "disease measurements (SPEP, 24-h UPEP, serum FLC) before the line of therapy (baseline) and at each response assessment", "IMWG response")];
        return Ok(unassessable.result(None, p.diagnosis.involved_light_chain, "diagnosis", vec![], missing, notes));
    };

    let (chain, source) = involved_light_chain(p, &base);
    let (used, measurable) = measurable_disease(&base, chain, serum_threshold);
    let mut missing = baseline_missing(&base, used, chain);
    if !(used.serum || used.urine || used.flc || used.marrow) {
        notes.push("no measurable disease at baseline (serum ≥ threshold, urine ≥200 mg/24h, involved FLC ≥100 mg/L with abnormal ratio, or marrow ≥30%): IMWG response cannot be assessed".into());
        normalise(&mut missing);
        return Ok(unassessable.result(Some(0), chain, source, measurable, missing, notes));
    }
    if chain.is_some() && source == "baseline_flc_ratio" && used.flc {
        notes.push("involved light chain taken from the direction of the abnormal baseline κ/λ ratio (diagnosis.involved_light_chain not given)".into());
    }
    if tps.len() < 2 {
        missing.push(MissingInput::new(
            "response_assessments[1]",
            "a disease assessment after the start of therapy",
            "IMWG response",
        ));
    }

    let cx = Ctx { tps: &tps, used, chain, version: criteria.version };
    let timeline: Vec<TimepointResponse> = (1..tps.len())
        .map(|i| {
            let e = evaluate(&cx, i);
            // The inputs that would decide the last two assessments: the ones confirmation reads.
            if i + 2 >= tps.len() {
                missing.extend(e.missing);
            }
            TimepointResponse {
                assessment: i,
                date: tps.get(i).and_then(|t| t.date),
                category: e.category,
                criteria: e.criteria,
            }
        })
        .collect();
    let cats: Vec<Option<ResponseCategory>> = timeline.iter().map(|t| t.category).collect();
    let c = Confirmation::of(&cats);
    notes.extend(c.notes(base.plasmacytoma == Some(true)));
    normalise(&mut missing);
    let breakdown = timeline.last().map(|t| t.criteria.clone()).unwrap_or_default();
    Ok(ResponseAssessment {
        criteria_version: criteria.version.label(),
        criteria: criteria.clone(),
        baseline_assessment: Some(0),
        involved_light_chain: chain,
        involved_light_chain_source: source,
        measurable_disease: measurable,
        category: c.latest,
        confirmed_category: c.confirmed,
        best_confirmed_category: c.best,
        progression_confirmed: c.progression_confirmed,
        breakdown,
        timeline,
        missing_inputs: missing,
        notes,
        mrd: assess_mrd_with(p, criteria, c.confirmed),
        citations,
    })
}

/// The result when no response can be assessed (no series, or no measurable disease at
/// baseline): the baseline as read, what is missing, and MRD listed without a confirmed response.
struct Unassessable<'a> {
    p: &'a Patient,
    criteria: &'a ResponseCriteria,
    citations: &'a [Citation],
}

impl Unassessable<'_> {
    fn result(
        &self,
        base: Option<usize>,
        chain: Option<LightChain>,
        source: &'static str,
        measurable: Vec<MeasurableDisease>,
        missing: Vec<MissingInput>,
        notes: Vec<String>,
    ) -> ResponseAssessment {
        ResponseAssessment {
            criteria_version: self.criteria.version.label(),
            criteria: self.criteria.clone(),
            baseline_assessment: base,
            involved_light_chain: chain,
            involved_light_chain_source: source,
            measurable_disease: measurable,
            category: None,
            confirmed_category: None,
            best_confirmed_category: None,
            progression_confirmed: false,
            breakdown: vec![],
            timeline: vec![],
            missing_inputs: missing,
            notes,
            mrd: assess_mrd_with(self.p, self.criteria, None),
            citations: self.citations.to_vec(),
        }
    }
}

/// The involved light chain for dFLC: as diagnosed, or from the direction of the abnormal
/// baseline κ/λ ratio (outside 0.26–1.65, `flc-ratio-katzmann-2002`); with where it came from.
fn involved_light_chain(p: &Patient, base: &Tp) -> (Option<LightChain>, &'static str) {
    match p.diagnosis.involved_light_chain {
        Some(c) => (Some(c), "diagnosis"),
        None => {
            match (flc_ratio_abnormal_for(base, LightChain::Kappa), flc_ratio_abnormal_for(base, LightChain::Lambda)) {
                (Some(true), _) => (Some(LightChain::Kappa), "baseline_flc_ratio"),
                (_, Some(true)) => (Some(LightChain::Lambda), "baseline_flc_ratio"),
                _ => (None, "unknown"),
            }
        }
    }
}

/// Measurable disease at baseline, in IMWG order (`imwg-2016-response`): serum M-protein ≥ the
/// caller's threshold and urine ≥ 200 mg/24 h (read together); involved FLC ≥ 100 mg/L with an
/// abnormal ratio only when neither is measurable; marrow ≥ 30% only when nothing else is.
fn measurable_disease(base: &Tp, chain: Option<LightChain>, serum_threshold: i64) -> (Used, Vec<MeasurableDisease>) {
    let serum_meas = base.serum.map(|v| v >= serum_threshold);
    let urine_meas = base.urine.map(|v| v >= URINE_MEASURABLE);
    let involved = chain.and_then(|c| match c {
        LightChain::Kappa => base.kappa,
        LightChain::Lambda => base.lambda,
    });
    let flc_meas = match (chain, involved) {
        (Some(c), Some(inv)) => flc_ratio_abnormal_for(base, c).map(|abn| abn && inv >= FLC_MEASURABLE),
        _ => None,
    };
    let marrow_meas = base.bmpc.map(|v| v >= BMPC_MEASURABLE);
    let serum_used = serum_meas == Some(true);
    let urine_used = urine_meas == Some(true);
    let flc_used = !serum_used && !urine_used && flc_meas == Some(true);
    let marrow_used = !serum_used && !urine_used && !flc_used && marrow_meas == Some(true);
    let used = Used { serum: serum_used, urine: urine_used, flc: flc_used, marrow: marrow_used };
    let row = |measure, baseline_value, threshold: String, measurable, used, evidence| MeasurableDisease {
        measure,
        baseline_value,
        threshold,
        measurable,
        used,
        citation: IMWG_2016,
        evidence,
    };
    let measurable = vec![
        row(
            Measure::SerumMProtein,
            base.serum.map(|v| show(v, "g/dL")),
            format!("≥{}", show(serum_threshold, "g/dL")),
            serum_meas,
            serum_used,
            Evidence::M,
        ),
        row(
            Measure::UrineMProtein,
            base.urine.map(|v| show(v, "mg/24h")),
            "≥200 mg/24h".into(),
            urine_meas,
            urine_used,
            Evidence::M,
        ),
        row(
            Measure::FreeLightChains,
            involved.map(|v| format!("involved {}; {}", show(v, "mg/L"), ratio_text(base))),
            "involved FLC ≥10 mg/dL (100 mg/L) with an abnormal κ/λ ratio (outside 0.26–1.65)".into(),
            flc_meas,
            flc_used,
            Evidence::M,
        ),
        row(
            Measure::BoneMarrowPlasmaCells,
            base.bmpc.map(|v| show(v, "%")),
            "≥30% (PR by marrow only when nothing else is measurable)".into(),
            marrow_meas,
            marrow_used,
            Evidence::V1,
        ),
    ];
    (used, measurable)
}

/// Unknown baseline measures (`imwg-2016-response`): IMWG reads serum and urine together, FLC
/// only if neither is measurable, marrow only if nothing else is.
fn baseline_missing(base: &Tp, used: Used, chain: Option<LightChain>) -> Vec<MissingInput> {
    let mut missing = Vec::new();
    if base.serum.is_none() {
        missing.push(MissingInput::new(field(0, "serum_m_protein"), TEST_SPEP, "baseline measurable disease (serum)"));
    }
    if base.urine.is_none() {
        missing.push(MissingInput::new(
            field(0, "urine_m_protein"),
            TEST_UPEP,
            "baseline measurable disease (urine): PR, VGPR and MR use it when it is measurable",
        ));
    }
    if !used.serum && !used.urine {
        if base.kappa.is_none() || base.lambda.is_none() {
            missing.push(MissingInput::new(
                field(0, if base.kappa.is_none() { "serum_flc_kappa" } else { "serum_flc_lambda" }),
                TEST_FLC,
                "baseline measurable disease (FLC), when serum and urine are not measurable",
            ));
        } else if chain.is_none() {
            missing.push(MissingInput::new(
                "diagnosis.involved_light_chain",
                "immunofixation typing of the monoclonal light chain",
                "dFLC (involved − uninvolved) when serum and urine are not measurable",
            ));
        }
        if !used.flc && base.bmpc.is_none() {
            missing.push(MissingInput::new(
                field(0, "bone_marrow_plasma_cells"),
                TEST_MARROW,
                "baseline measurable disease (marrow), when serum, urine and FLC are not measurable",
            ));
        }
    }
    missing
}

/// The two-consecutive-assessments rule (`imwg-2006-response`) over the timeline's categories.
struct Confirmation {
    /// The category at the latest assessment (unconfirmed).
    latest: Option<ResponseCategory>,
    /// The category both of the last two assessments reached.
    confirmed: Option<ResponseCategory>,
    /// The best category confirmed by any two consecutive assessments before a confirmed
    /// progression.
    best: Option<ResponseCategory>,
    /// Progression confirmed by two consecutive assessments.
    progression_confirmed: bool,
}

impl Confirmation {
    fn of(cats: &[Option<ResponseCategory>]) -> Self {
        let latest = cats.last().copied().flatten();
        let confirmed = match cats {
            [.., a, b] => confirm(*a, *b),
            _ => None,
        };
        let mut best: Option<ResponseCategory> = None;
        let mut progression_confirmed = false;
        for w in cats.windows(2) {
            if let [a, b] = w {
                match confirm(*a, *b) {
                    Some(ResponseCategory::Pd) => {
                        progression_confirmed = true;
                        break;
                    }
                    Some(c) => best = Some(best.map_or(c, |x| x.min(c))),
                    None => {}
                }
            }
        }
        Self { latest, confirmed, best, progression_confirmed }
    }

    /// What the clinician must read about the series: a progression awaiting confirmation, a
    /// series that runs past a confirmed progression, a baseline plasmacytoma the record cannot
    /// size.
    fn notes(&self, baseline_plasmacytoma: bool) -> Vec<String> {
        let mut notes = Vec::new();
        if self.latest == Some(ResponseCategory::Pd) && self.confirmed.is_none() {
            notes.push("progression at the latest assessment awaits confirmation by the next assessment (IMWG: two consecutive assessments)".into());
        }
        if self.progression_confirmed && self.confirmed != Some(ResponseCategory::Pd) {
            notes.push("progression was confirmed earlier in the series: the assessments after it belong to the next line of therapy, whose baseline should start a new series".into());
        }
        if baseline_plasmacytoma {
            notes.push("a soft-tissue plasmacytoma was present at baseline: its size (SPD) is not part of the record, so PR, VGPR and MR need it resolved (or the clinician's own measurement)".into());
        }
        notes
    }
}

/// The pathway events the response series implies, dated where the assessments are: a
/// [`Event::ResponseAssessed`] each time the confirmed category changes, and
/// [`Event::Progression`] when progression is confirmed (then the series ends: what follows
/// belongs to the next line).
///
/// The events are not merged into the patient's `history` by the engine: the history stays the
/// record of what the team decided. Applied through [`crate::pathway::transition`], a confirmed
/// response after induction satisfies the rule that consolidation needs an assessed response,
/// and a confirmed progression in maintenance opens the next line.
///
/// # Errors
/// As [`assess_response`].
pub fn response_events(kb: &KnowledgeBase, p: &Patient) -> Result<Vec<HistoryEntry>> {
    let r = assess_response(kb, p)?;
    let mut out = Vec::new();
    let mut last: Option<ResponseCategory> = None;
    for w in r.timeline.windows(2) {
        let [a, b] = w else { continue };
        match confirm(a.category, b.category) {
            Some(ResponseCategory::Pd) => {
                out.push(HistoryEntry { date: b.date, event: Event::Progression });
                break;
            }
            Some(c) if last != Some(c) => {
                out.push(HistoryEntry { date: b.date, event: Event::ResponseAssessed { response: c } });
                last = Some(c);
            }
            _ => {}
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// MRD (IMWG 2016, `imwg-2016-mrd`: category names [V2], definitions [M]).
// ---------------------------------------------------------------------------------------------

/// IMWG 2016 MRD category of one result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MrdCategory {
    /// Negative by next-generation flow on marrow at ≥ the required sensitivity.
    FlowMrdNegative,
    /// Negative by next-generation sequencing on marrow at ≥ the required sensitivity.
    SequencingMrdNegative,
    /// Flow or sequencing MRD-negative plus a negative PET/CT.
    ImagingPlusMrdNegative,
    /// Clonal plasma cells detected.
    Positive,
    /// Negative, but not an IMWG MRD-negative result (blood sample, or sensitivity too low).
    NegativeNotQualifying,
}

/// One MRD result with its IMWG reading.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MrdReading {
    /// The result as given.
    #[serde(flatten)]
    pub result: MrdResult,
    /// Its categories (imaging-plus results are also flow or sequencing negative).
    pub categories: Vec<MrdCategory>,
    /// Why a negative does not count, where it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not_qualifying: Option<String>,
}

/// Loss of MRD negativity: a positive result after a qualifying negative one. Its own event, not
/// progression (the IMWG 2016 "relapse from MRD negative" wording was not read: first-line.md §9).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MrdConversion {
    /// The last qualifying negative before the positive.
    pub negative_date: Date,
    /// The positive result.
    pub positive_date: Date,
    /// Whether the confirmed response is CR or sCR (the setting the meaning was observed in);
    /// `false` also when no response is confirmed.
    pub in_cr: bool,
    /// What it means, as the cited study observed it.
    pub meaning: String,
    /// Caveats (a positive read at a more sensitive threshold than the negative).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Citation key of the meaning.
    pub citation: &'static str,
    /// Evidence for the meaning (\[V1\], abstract).
    pub evidence: Evidence,
}

/// MRD over the record's results.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MrdAssessment {
    /// Every result, oldest first, with its reading.
    pub results: Vec<MrdReading>,
    /// The latest result.
    pub latest: Option<MrdResult>,
    /// Sustained MRD negativity: ≥2 qualifying negative marrow results ≥`sustained_months`
    /// apart with no positive result between them.
    pub sustained_negative: bool,
    /// First and last qualifying negative of the current negative run.
    pub negative_run: Option<(Date, Date)>,
    /// Months between the first and last negative of the current run (whole months, as the
    /// engine has always reported them).
    pub negative_span_months: Option<u32>,
    /// Both ends of the sustained span were also PET/CT-negative (the IMWG category table's
    /// "and by imaging"); `None` when PET/CT was not reported at both.
    pub sustained_with_imaging: Option<bool>,
    /// Each loss of MRD negativity (a positive after a qualifying negative), oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conversions: Vec<MrdConversion>,
    /// MRD is interpreted only in CR or sCR (IMWG 2016).
    pub interpretable: bool,
    /// Why MRD is or is not interpreted, and other notes.
    pub notes: Vec<String>,
    /// Required sensitivity (negative power of ten).
    pub required_sensitivity_log10: u8,
    /// Required interval for "sustained", months.
    pub sustained_months: u32,
    /// Citation key of the definitions.
    pub citation: &'static str,
    /// Evidence for the definitions (\[M\]; the category names are \[V2\]).
    pub evidence: Evidence,
}

/// MRD with the default parameters, interpreted against `confirmed` (the confirmed response).
pub fn assess_mrd(p: &Patient, confirmed: Option<ResponseCategory>) -> MrdAssessment {
    assess_mrd_with(p, &ResponseCriteria::default(), confirmed)
}

/// [`assess_mrd`] with caller-chosen parameters.
pub fn assess_mrd_with(p: &Patient, criteria: &ResponseCriteria, confirmed: Option<ResponseCategory>) -> MrdAssessment {
    let need = criteria.mrd_sensitivity_log10;
    let mut results: Vec<MrdResult> = p.mrd.clone();
    results.sort_by_key(|m| m.date);
    let qualifies = |m: &MrdResult| {
        m.result == MrdStatus::Negative && m.sample == MrdSample::BoneMarrow && m.sensitivity_log10 >= need
    };
    let readings: Vec<MrdReading> = results
        .iter()
        .map(|m| {
            let mut categories = Vec::new();
            let mut why = None;
            match m.result {
                MrdStatus::Positive => categories.push(MrdCategory::Positive),
                MrdStatus::Negative if qualifies(m) => {
                    categories.push(match m.method {
                        MrdMethod::Ngf => MrdCategory::FlowMrdNegative,
                        MrdMethod::Ngs => MrdCategory::SequencingMrdNegative,
                    });
                    if m.pet_ct_negative == Some(true) {
                        categories.push(MrdCategory::ImagingPlusMrdNegative);
                    }
                }
                MrdStatus::Negative => {
                    categories.push(MrdCategory::NegativeNotQualifying);
                    why = Some(if m.sample != MrdSample::BoneMarrow {
                        "IMWG MRD negativity is read on bone-marrow aspirate".to_string()
                    } else {
                        format!("sensitivity 1 in 10^{} is below the required 1 in 10^{need}", m.sensitivity_log10)
                    });
                }
            }
            MrdReading { result: m.clone(), categories, why_not_qualifying: why }
        })
        .collect();
    // The current run of qualifying negatives since the last positive (any sample).
    let mut run: Vec<&MrdResult> = Vec::new();
    for m in &results {
        if m.result == MrdStatus::Positive {
            run.clear();
        } else if qualifies(m) {
            run.push(m);
        }
    }
    let ends = match (run.first(), run.last()) {
        (Some(a), Some(b)) if run.len() >= 2 => Some((*a, *b)),
        _ => None,
    };
    let sustained = ends.is_some_and(|(a, b)| a.date.add_months(criteria.mrd_sustained_months) <= b.date);
    let span = ends.map(|(a, b)| u32::try_from(a.date.days_until(&b.date) * 12 / 365).unwrap_or(0));
    let with_imaging = if sustained {
        // Both ends imaging-negative: Kleene conjunction (one positive decides).
        ends.and_then(|(a, b)| {
            Truth::from_option(a.pet_ct_negative).and(Truth::from_option(b.pet_ct_negative)).to_option()
        })
    } else {
        None
    };
    let mut notes = Vec::new();
    let interpretable = matches!(confirmed, Some(ResponseCategory::Cr | ResponseCategory::Scr));
    // Loss of MRD negativity: each positive (any sample) after a qualifying negative.
    let mut conversions = Vec::new();
    let mut last_negative: Option<&MrdResult> = None;
    for m in &results {
        if qualifies(m) {
            last_negative = Some(m);
        } else if m.result == MrdStatus::Positive {
            if let Some(n) = last_negative.take() {
                let mut cnotes = Vec::new();
                if m.sensitivity_log10 > n.sensitivity_log10 {
                    cnotes.push(format!(
                        "the positive was read at 1 in 10^{}, more sensitive than the negative (1 in 10^{}): it may show disease below the earlier test's limit rather than a rise",
                        m.sensitivity_log10, n.sensitivity_log10
                    ));
                }
                if m.sample != MrdSample::BoneMarrow {
                    cnotes.push("the positive was not on bone-marrow aspirate".into());
                }
                if !interpretable {
                    cnotes.push("the confirmed response is not CR or sCR: the study observed conversion in patients MRD-negative in CR".into());
                }
                conversions.push(MrdConversion {
                    negative_date: n.date,
                    positive_date: m.date,
                    in_cr: interpretable,
                    meaning: "loss of MRD negativity (MRD conversion): in the cited study it occurred in 39% of MRD-negative patients, was associated with a high risk of relapse and preceded relapse by a median of 1.0 year; it is not progression by itself (IMWG 2016 wording for this category not verified)".into(),
                    notes: cnotes,
                    citation: MRD_CONVERSION,
                    evidence: Evidence::V1,
                });
            }
        }
    }
    if !results.is_empty() {
        notes.push(match confirmed {
            Some(ResponseCategory::Cr | ResponseCategory::Scr) => format!("MRD interpreted: the confirmed response is {}", confirmed.map_or("", |c| c.label())),
            Some(c) => format!("MRD is only interpreted in CR or sCR (IMWG 2016); the confirmed response is {}: the results are listed, not interpreted", c.label()),
            None => "MRD is only interpreted in CR or sCR (IMWG 2016); no confirmed response: the results are listed, not interpreted".to_string(),
        });
    }
    MrdAssessment {
        results: readings,
        latest: results.last().cloned(),
        sustained_negative: sustained,
        negative_run: ends.map(|(a, b)| (a.date, b.date)),
        negative_span_months: span,
        sustained_with_imaging: with_imaging,
        conversions,
        interpretable,
        notes,
        required_sensitivity_log10: need,
        sustained_months: criteria.mrd_sustained_months,
        citation: IMWG_MRD,
        evidence: Evidence::M,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use ResponseCategory::*;

    #[test]
    fn the_nadir_is_the_baseline_or_the_lowest_level_held_twice() {
        let s = [Some(40), Some(10), Some(20), Some(20), Some(30)];
        assert_eq!(nadir(&s, 1), Some(40));
        assert_eq!(nadir(&s, 3), Some(20), "10 was seen once: the pair (10, 20) holds 20");
        assert_eq!(nadir(&s, 5), Some(20));
        assert_eq!(nadir(&[None, Some(5), Some(6)], 3), Some(6));
        assert_eq!(nadir(&[None, Some(5)], 2), None);
    }

    #[test]
    fn confirmation_takes_the_level_both_assessments_reached() {
        assert_eq!(confirm(Some(Cr), Some(Vgpr)), Some(Vgpr));
        assert_eq!(confirm(Some(Sd), Some(Pr)), Some(Sd));
        assert_eq!(confirm(Some(Pd), Some(Pd)), Some(Pd));
        assert_eq!(confirm(Some(Pr), Some(Pd)), None);
        assert_eq!(confirm(Some(Pd), Some(Cr)), None);
        assert_eq!(confirm(None, Some(Cr)), None);
    }

    #[test]
    fn percentage_tests_are_exact_at_their_bounds() {
        assert!(fell_at_least(400, 200, 50));
        assert!(!fell_at_least(400, 201, 50));
        assert!(!fell_more_than(490, 49, 90));
        assert!(fell_more_than(490, 48, 90));
        assert!(rose_25pct(100, 125));
        assert!(!rose_25pct(100, 124));
        assert!(rose_25pct(-5, 0), "a negative dFLC nadir counts as 0");
    }

    #[test]
    fn the_flc_ratio_bounds_are_inclusive() {
        let tp = |k: i64, l: i64| Tp { kappa: Some(k), lambda: Some(l), ..Tp::default() };
        assert_eq!(flc_ratio_normal(&tp(26, 100)), Some(true));
        assert_eq!(flc_ratio_normal(&tp(25, 100)), Some(false));
        assert_eq!(flc_ratio_normal(&tp(165, 100)), Some(true));
        assert_eq!(flc_ratio_normal(&tp(166, 100)), Some(false));
        assert_eq!(flc_ratio_normal(&tp(5, 0)), Some(false));
        assert_eq!(flc_ratio_normal(&tp(0, 0)), None);
        assert_eq!(flc_ratio_abnormal_for(&tp(166, 100), LightChain::Kappa), Some(true));
        assert_eq!(flc_ratio_abnormal_for(&tp(25, 100), LightChain::Lambda), Some(true));
        assert_eq!(flc_ratio_abnormal_for(&tp(26, 100), LightChain::Lambda), Some(false));
    }

    #[test]
    fn values_are_shown_in_canonical_units_without_float_noise() {
        assert_eq!(show(2_500_000, "g/dL"), "2.5 g/dL");
        assert_eq!(show(-1_000_000, "mg/L"), "-1 mg/L");
        assert_eq!(show(0, "%"), "0 %");
    }
}
