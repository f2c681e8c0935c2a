//! Diagnosis: IMWG 2014 updated criteria (Rajkumar et al., Lancet Oncol 2014;15:e538–48) for
//! multiple myeloma, smouldering myeloma, non-IgM MGUS and solitary plasmacytoma, with the
//! 20/2/20 risk of smouldering myeloma (Lakshman 2018; cut-offs in Mateos 2020).
//!
//! Every item (clonal marrow plasma cells, each CRAB and SLiM myeloma-defining event, the
//! smouldering and MGUS bounds) is evaluated as **met**, **not met** or **unknown**, with the
//! value as understood, the published threshold and its comparator, the citation and its
//! evidence tag. Unknown is never read as negative: a class is given
//! only when no unknown item could change it; otherwise the result is *not classifiable* and
//! lists the classes still possible and the inputs (with the test) that would decide.
//!
//! Thresholds are compared in the canonical unit of each analyte (`labs`), in integer
//! millionths, so a value entered in any accepted unit lands on the same side and no floating
//! point difference (calcium − ULN) can move a boundary.
//!
//! Choices where the sources are not exact (each also in `docs/assessments.md`):
//! - **Renal (R)**: serum creatinine **> 2 mg/dL**, i.e. > 176.8 µmol/L by the exact factor 88.4.
//!   The paper prints "> 177 µmol/L (2 mg/dL)": 177 is the rounded conversion. One threshold in
//!   the canonical unit keeps the answer identical in both units; a value in the 176.8–177 µmol/L
//!   gap is flagged in the item's note.
//! - **Calcium (C)**: the SI figures, **> 2.75 mmol/L** or **> 0.25 mmol/L above the ULN**. The
//!   paper's "> 11 mg/dL" and "> 1 mg/dL" are rounded conversions (2.75 mmol/L = 11.022 mg/dL).
//! - Creatinine clearance: the reported value, else Cockcroft-Gault with the guideline's weight
//!   basis (IMWG accepts validated equations; unchecked, \[M\]).
//! - **Bone lesions with marrow plasma cells < 10%**: more than one lesion is needed to tell
//!   myeloma from a solitary plasmacytoma with minimal marrow involvement (\[M\]).
//! - Precedence when two classes are met: myeloma, then solitary plasmacytoma, then smouldering
//!   myeloma (urine M-protein ≥ 500 mg/24 h with a small serum spike), then MGUS.

use serde::Serialize;

use crate::assess::fitness;
use crate::assess::missing::{normalise, MissingInput};
use crate::guideline::Guideline;
use crate::kb::{Citation, CitationId, Evidence, KnowledgeBase};
use crate::patient::Patient;
use crate::record::LightChain;

mod mgus_risk;
pub use mgus_risk::{
    mgus_risk, MgusRisk, MgusStratum, MGUS_RISK_FLC_RATIO_ABOVE, MGUS_RISK_FLC_RATIO_BELOW,
    MGUS_RISK_M_PROTEIN_AT_LEAST_G_DL,
};

/// C: serum calcium more than this above the upper limit of normal, mmol/L (IMWG 2014, `imwg-2014-diagnosis`).
pub const CALCIUM_ABOVE_ULN_BY_MMOL_L: f64 = 0.25;
/// C: serum calcium above this, mmol/L (IMWG 2014, `imwg-2014-diagnosis`).
pub const CALCIUM_ABOVE_MMOL_L: f64 = 2.75;
/// R: creatinine clearance below this, mL/min (IMWG 2014, `imwg-2014-diagnosis`).
pub const CRCL_BELOW_ML_MIN: f64 = 40.0;
/// R: serum creatinine above this, mg/dL (= 176.8 µmol/L; IMWG 2014, `imwg-2014-diagnosis`).
pub const CREATININE_ABOVE_MG_DL: f64 = 2.0;
/// A: haemoglobin more than this below the lower limit of normal, g/L (IMWG 2014, `imwg-2014-diagnosis`).
pub const HEMOGLOBIN_BELOW_LLN_BY_G_L: f64 = 20.0;
/// A: haemoglobin below this, g/L (IMWG 2014, `imwg-2014-diagnosis`).
pub const HEMOGLOBIN_BELOW_G_L: f64 = 100.0;
/// B: at least this many osteolytic lesions (IMWG 2014, `imwg-2014-diagnosis`).
pub const OSTEOLYTIC_LESIONS_AT_LEAST: u16 = 1;
/// B when marrow plasma cells are < 10%: more than one lesion (`imwg-2014-diagnosis`; footnote item unchecked, \[M\]).
pub const OSTEOLYTIC_LESIONS_LOW_MARROW_AT_LEAST: u16 = 2;
/// S: clonal marrow plasma cells at least this, % (IMWG 2014, `imwg-2014-diagnosis`).
pub const BMPC_SIXTY_AT_LEAST_PCT: f64 = 60.0;
/// Li: involved/uninvolved serum FLC ratio at least this (IMWG 2014, `imwg-2014-diagnosis`).
pub const FLC_RATIO_AT_LEAST: f64 = 100.0;
/// Li: involved serum FLC at least this, mg/L (IMWG 2014, `imwg-2014-diagnosis`; \[V2\]).
pub const INVOLVED_FLC_AT_LEAST_MG_L: f64 = 100.0;
/// M: more than this many focal lesions on MRI, each ≥ 5 mm (IMWG 2014, `imwg-2014-diagnosis`).
pub const MRI_FOCAL_LESIONS_ABOVE: u16 = 1;
/// Myeloma criterion 1 and smouldering lower bound: clonal marrow plasma cells at least this, %.
pub const BMPC_AT_LEAST_PCT: f64 = 10.0;
/// Smouldering: serum M-protein at least this, g/dL (= 30 g/L; IMWG 2014, `imwg-2014-diagnosis`).
pub const SMM_SERUM_M_PROTEIN_AT_LEAST_G_DL: f64 = 3.0;
/// Smouldering: urine M-protein at least this, mg/24 h (IMWG 2014, `imwg-2014-diagnosis`).
pub const SMM_URINE_M_PROTEIN_AT_LEAST_MG_24H: f64 = 500.0;
/// MGUS: serum M-protein below this, g/dL (= 30 g/L; IMWG 2010/2014, `imwg-2014-diagnosis`).
pub const MGUS_SERUM_M_PROTEIN_BELOW_G_DL: f64 = 3.0;
/// MGUS and solitary plasmacytoma with minimal marrow involvement: marrow plasma cells below this, %.
pub const MGUS_BMPC_BELOW_PCT: f64 = 10.0;
/// 20/2/20: serum M-protein above this, g/dL.
pub const SMM_RISK_M_PROTEIN_ABOVE_G_DL: f64 = 2.0;
/// 20/2/20: involved/uninvolved FLC ratio above this.
pub const SMM_RISK_FLC_RATIO_ABOVE: f64 = 20.0;
/// 20/2/20: marrow plasma cells above this, %.
pub const SMM_RISK_BMPC_ABOVE_PCT: f64 = 20.0;

/// The diagnostic class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisClass {
    /// Multiple myeloma (active): clonal BMPC ≥ 10% or biopsy-proven plasmacytoma, and ≥ 1
    /// myeloma-defining event.
    MultipleMyeloma,
    /// Solitary plasmacytoma (with or without minimal marrow involvement).
    SolitaryPlasmacytoma,
    /// Smouldering multiple myeloma.
    SmoulderingMyeloma,
    /// Non-IgM monoclonal gammopathy of undetermined significance.
    Mgus,
    /// The inputs do not decide a class (see `candidates` and `missing_inputs`), or no class
    /// is met.
    NotClassifiable,
}

/// The state of one criterion: the one three-valued logic of the assessments
/// ([`crate::assess::logic::Truth`], Kleene's `and`/`or`/`not`, `all`/`any`).
pub use crate::assess::logic::Truth as ItemState;

/// A comparator, exactly as the source publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub enum Comparator {
    /// Strictly less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "≤")]
    Le,
    /// Strictly greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = "≥")]
    Ge,
}

/// A value in integer millionths of its canonical unit (values are already rounded to 1e-6).
fn micro(v: f64) -> i64 {
    (v * 1e6).round() as i64
}

fn from_micro(m: i64) -> f64 {
    m as f64 / 1e6
}

/// `value <comparator> threshold`, compared in millionths so the boundary is exact.
pub fn compare(value: f64, comparator: Comparator, threshold: f64) -> bool {
    let (a, b) = (micro(value), micro(threshold));
    match comparator {
        Comparator::Lt => a < b,
        Comparator::Le => a <= b,
        Comparator::Gt => a > b,
        Comparator::Ge => a >= b,
    }
}

/// One comparison of a value with a published threshold.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    /// What is compared, e.g. `serum calcium`, `serum calcium above the ULN`.
    pub measure: String,
    /// The value in `unit` as understood (after unit conversion), `None` when unknown.
    pub value: Option<f64>,
    /// The unit of `value` and `threshold`.
    pub unit: &'static str,
    /// The comparator.
    pub comparator: Comparator,
    /// The published threshold.
    pub threshold: f64,
    /// Whether the comparison holds.
    pub state: ItemState,
}

impl Comparison {
    fn new(
        measure: impl Into<String>,
        value: Option<f64>,
        unit: &'static str,
        comparator: Comparator,
        threshold: f64,
    ) -> Self {
        let state = match value {
            Some(v) => ItemState::from_bool(compare(v, comparator, threshold)),
            None => ItemState::Unknown,
        };
        Self { measure: measure.into(), value, unit, comparator, threshold, state }
    }

    fn with_state(mut self, state: ItemState) -> Self {
        self.state = state;
        self
    }
}

/// One diagnostic item as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Item {
    /// Stable identifier, e.g. `mde_c_hypercalcaemia`.
    pub id: &'static str,
    /// The criterion in words.
    pub label: &'static str,
    /// Met, not met or unknown.
    pub state: ItemState,
    /// How the comparisons combine: `any`, `all` or `finding` (a yes/no clinical finding).
    pub rule: &'static str,
    /// The comparisons, each with its value, comparator and threshold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<Comparison>,
    /// For yes/no findings: the finding as recorded (`None` = not recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<bool>,
    /// For CRAB items: the clinician's judgement that the feature is attributable to the clone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributable: Option<bool>,
    /// Evidence tag of the threshold (as in its knowledge-base citation).
    pub evidence: Evidence,
    /// Source.
    pub citation: Citation,
    /// Anything the reader must know about this item's evaluation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What would decide the item when unknown.
    #[serde(skip)]
    missing: Vec<MissingInput>,
}

/// One class as checked against its criteria.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClassCheck {
    /// The class.
    pub class: DiagnosisClass,
    /// Whether its definition is met.
    pub state: ItemState,
    /// The definition in terms of item ids.
    pub definition: &'static str,
    /// Evidence tag of the definition.
    pub evidence: Evidence,
}

/// 20/2/20 risk group of smouldering myeloma.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmmRiskGroup {
    /// No risk factor.
    Low,
    /// One risk factor.
    Intermediate,
    /// Two or three risk factors.
    High,
}

/// Smouldering-myeloma risk by 20/2/20 (Lakshman 2018; cut-offs Mateos 2020).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SmmRisk {
    /// The group, `None` when unknown factors could change it.
    pub group: Option<SmmRiskGroup>,
    /// Factors met.
    pub factors_met: u8,
    /// Factors unknown.
    pub factors_unknown: u8,
    /// The three factors.
    pub factors: Vec<Item>,
    /// Inputs that would decide the group.
    pub missing_inputs: Vec<MissingInput>,
    /// Source.
    pub citation: Citation,
}

/// The diagnosis with its full basis.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Diagnosis {
    /// The criteria applied.
    pub criteria_version: &'static str,
    /// The class.
    pub class: DiagnosisClass,
    /// Refinement of the class (e.g. solitary plasmacytoma with minimal marrow involvement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Why this class (or why none).
    pub reason: String,
    /// When not classifiable: the classes the missing inputs leave possible.
    pub candidates: Vec<DiagnosisClass>,
    /// Every item, evaluated.
    pub items: Vec<Item>,
    /// Every class, checked.
    pub classes: Vec<ClassCheck>,
    /// 20/2/20 risk, for smouldering myeloma.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smm_risk: Option<SmmRisk>,
    /// Mayo 2005 risk strata, for MGUS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mgus_risk: Option<MgusRisk>,
    /// Inputs that could change the class (or the SMM risk group), with the deciding test.
    pub missing_inputs: Vec<MissingInput>,
    /// What the reader must know before relying on the result.
    pub caveats: Vec<String>,
    /// Sources.
    pub citations: Vec<Citation>,
}

impl Diagnosis {
    /// The item with `id`.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }
}

struct ItemSpec {
    id: &'static str,
    label: &'static str,
    rule: &'static str,
    evidence: Evidence,
    key: &'static str,
}

fn item(
    kb: &KnowledgeBase,
    spec: ItemSpec,
    state: ItemState,
    comparisons: Vec<Comparison>,
    missing: Vec<MissingInput>,
) -> Item {
    Item {
        id: spec.id,
        label: spec.label,
        state,
        rule: spec.rule,
        comparisons,
        finding: None,
        attributable: None,
        evidence: spec.evidence,
        citation: kb.cite_key(spec.key),
        notes: Vec::new(),
        missing: if state == ItemState::Unknown { missing } else { Vec::new() },
    }
}

fn any_of(comparisons: &[Comparison]) -> ItemState {
    ItemState::any(comparisons.iter().map(|c| c.state))
}

fn all_of(comparisons: &[Comparison]) -> ItemState {
    ItemState::all(comparisons.iter().map(|c| c.state))
}

const DIAG: &str = "diagnosis (IMWG 2014)";
const IMWG: &str = CitationId::Imwg2014Diagnosis.key();

fn need(field: &str, test: &str) -> MissingInput {
    MissingInput::new(field, test, DIAG)
}

fn bmpc_test() -> &'static str {
    "bone-marrow biopsy (core preferred) with clonal plasma-cell percentage"
}

/// Which FLC is involved and which uninvolved, when the involved chain is known.
fn flc_pair(p: &Patient) -> Option<(Option<f64>, Option<f64>)> {
    let k = p.labs.serum_flc_kappa.map(|v| v.canonical());
    let l = p.labs.serum_flc_lambda.map(|v| v.canonical());
    match p.diagnosis.involved_light_chain? {
        LightChain::Kappa => Some((k, l)),
        LightChain::Lambda => Some((l, k)),
    }
}

/// involved / uninvolved `comparator` `threshold`, decided in integers: `inv ≥ t × uninv`.
fn ratio_state(
    inv: Option<f64>,
    uninv: Option<f64>,
    comparator: Comparator,
    threshold: f64,
) -> (ItemState, Option<f64>) {
    let (Some(i), Some(u)) = (inv, uninv) else { return (ItemState::Unknown, None) };
    let (im, um, tm) = (i128::from(micro(i)), i128::from(micro(u)), i128::from(micro(threshold)));
    // i/u ⋚ t  ⇔  i × 1e6 ⋚ t_micro × u   (u > 0)
    let lhs = im * 1_000_000;
    let rhs = tm * um;
    let holds = if um == 0 {
        // Uninvolved chain at 0: the ratio is unbounded when the involved chain is above 0.
        im > 0 && matches!(comparator, Comparator::Gt | Comparator::Ge)
    } else {
        match comparator {
            Comparator::Lt => lhs < rhs,
            Comparator::Le => lhs <= rhs,
            Comparator::Gt => lhs > rhs,
            Comparator::Ge => lhs >= rhs,
        }
    };
    let shown = if um == 0 { None } else { Some((i / u * 1e6).round() / 1e6) };
    (ItemState::from_bool(holds), shown)
}

/// An FLC-ratio item, handling an unrecorded involved chain: not met only if neither orientation
/// could meet it.
fn flc_ratio_item(
    kb: &KnowledgeBase,
    p: &Patient,
    spec: ItemSpec,
    ratio_cmp: Comparator,
    ratio_t: f64,
    involved_min: Option<(Comparator, f64)>,
    purpose: &str,
) -> Item {
    let k = p.labs.serum_flc_kappa.map(|v| v.canonical());
    let l = p.labs.serum_flc_lambda.map(|v| v.canonical());
    let eval = |inv: Option<f64>, uninv: Option<f64>| {
        let (rs, shown) = ratio_state(inv, uninv, ratio_cmp, ratio_t);
        let mut cs =
            vec![Comparison::new("involved/uninvolved serum FLC ratio", shown, "ratio", ratio_cmp, ratio_t)
                .with_state(rs)];
        if let Some((c, t)) = involved_min {
            cs.push(Comparison::new("involved serum FLC", inv, "mg/L", c, t));
        }
        cs
    };
    let mut missing = Vec::new();
    if k.is_none() {
        missing.push(MissingInput::new("labs.serum_flc_kappa", "serum free light chains (κ and λ)", purpose));
    }
    if l.is_none() {
        missing.push(MissingInput::new("labs.serum_flc_lambda", "serum free light chains (κ and λ)", purpose));
    }
    match flc_pair(p) {
        Some((inv, uninv)) => {
            let cs = eval(inv, uninv);
            let st = all_of(&cs);
            item(kb, spec, st, cs, missing)
        }
        None => {
            let ks = eval(k, l);
            let ls = eval(l, k);
            let sk = all_of(&ks);
            let sl = all_of(&ls);
            let st =
                if sk == ItemState::NotMet && sl == ItemState::NotMet { ItemState::NotMet } else { ItemState::Unknown };
            missing.push(MissingInput::new(
                "diagnosis.involved_light_chain",
                "serum/urine immunofixation (which light chain is monoclonal)",
                purpose,
            ));
            let mut cs = ks;
            cs.extend(ls);
            for (c, tag) in cs.iter_mut().zip(["if κ involved", "if κ involved", "if λ involved", "if λ involved"])
            {
                c.measure = format!("{} ({tag})", c.measure);
            }
            let mut it = item(kb, spec, st, cs, missing);
            it.notes.push("the involved light chain is not recorded: both orientations were evaluated".into());
            it
        }
    }
}

/// Combine a CRAB laboratory state with the clinician's attribution.
fn crab(mut it: Item, attributable: Option<bool>) -> Item {
    it.attributable = attributable;
    let lab = it.state;
    it.state = match (lab, attributable) {
        (ItemState::NotMet, _) => ItemState::NotMet,
        (_, Some(false)) => {
            if lab == ItemState::Met {
                it.notes.push("present but marked not attributable to the plasma-cell disorder: not counted".into());
            }
            ItemState::NotMet
        }
        (ItemState::Met, Some(true)) => ItemState::Met,
        (ItemState::Met, None) => {
            it.notes.push("present; whether it is attributable to the plasma-cell disorder is not recorded".into());
            it.missing.push(need(
                "diagnosis.crab_attributable",
                "clinician's judgement that the CRAB feature is attributable to the plasma-cell disorder",
            ));
            ItemState::Unknown
        }
        (ItemState::Unknown, _) => ItemState::Unknown,
    };
    if it.state != ItemState::Unknown {
        it.missing.clear();
    }
    it
}

fn finding_item(kb: &KnowledgeBase, spec: ItemSpec, finding: Option<bool>, field: &str, test: &str) -> Item {
    let st = ItemState::from_option(finding);
    let mut it = item(kb, spec, st, vec![], vec![need(field, test)]);
    it.finding = finding;
    it
}

fn spec(id: &'static str, label: &'static str, rule: &'static str, evidence: Evidence) -> ItemSpec {
    ItemSpec { id, label, rule, evidence, key: IMWG }
}

/// Classify with the default guideline (creatinine clearance: reported, else Cockcroft-Gault
/// with actual body weight).
///
/// # Example
/// ```
/// use myeloma_pathway::diagnosis::{diagnose, DiagnosisClass};
/// use myeloma_pathway::Patient;
/// // Clonal plasma cells 30% and haemoglobin 85 g/L attributed to the clone: anaemia is a
/// // myeloma-defining event, so this is myeloma whatever the items not recorded.
/// let p = Patient::from_json(r#"{
///   "labs": {"bone_marrow_plasma_cells": {"value": 30, "unit": "%"},
///            "hemoglobin": {"value": 8.5, "unit": "g/dL"}},
///   "diagnosis": {"crab_attributable": true}
/// }"#).unwrap();
/// let d = diagnose(myeloma_pathway::KnowledgeBase::embedded(), &p);
/// assert_eq!(d.class, DiagnosisClass::MultipleMyeloma);
///
/// // Without the clinician's attribution the anaemia cannot count, and nothing is assumed.
/// let p = Patient::from_json(r#"{
///   "labs": {"bone_marrow_plasma_cells": {"value": 30, "unit": "%"},
///            "hemoglobin": {"value": 85, "unit": "g/L"}}
/// }"#).unwrap();
/// let d = diagnose(myeloma_pathway::KnowledgeBase::embedded(), &p);
/// assert_eq!(d.class, DiagnosisClass::NotClassifiable);
/// assert!(d.missing_inputs.iter().any(|m| m.field == "diagnosis.crab_attributable"));
/// ```
pub fn diagnose(kb: &KnowledgeBase, p: &Patient) -> Diagnosis {
    diagnose_with(kb, p, &Guideline::default())
}

/// Classify under the IMWG 2014 criteria. The guideline only chooses the Cockcroft-Gault weight
/// basis used when no creatinine clearance is reported.
pub fn diagnose_with(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Diagnosis {
    let items = DiagnosticItems::evaluate(kb, p, g);
    let classes = items.class_checks();
    let (decided, candidates) = precedence(&classes);
    let bm = p.labs.bone_marrow_plasma_cells.map(|v| v.canonical());
    let items = items.into_vec();
    let mut caveats = Vec::new();
    let mut missing = Vec::new();
    let (class, detail, reason) = match decided {
        Some(c) => {
            let (detail, reason) = decided_reason(c, &items, bm, &mut caveats);
            (c, detail, reason)
        }
        None if candidates.is_empty() => {
            for i in &items {
                missing.extend(i.missing.iter().cloned());
            }
            (
                DiagnosisClass::NotClassifiable,
                None,
                "no IMWG 2014 class is met by the inputs (see `classes`); AL amyloidosis, light-chain MGUS and IgM MGUS are outside the criteria encoded here".to_string(),
            )
        }
        None => {
            missing.extend(missing_for_candidates(&candidates, &items));
            let names: Vec<&str> = candidates.iter().map(|c| class_name(*c)).collect();
            (
                DiagnosisClass::NotClassifiable,
                None,
                format!("unknown items leave more than one class possible: {}", names.join(", ")),
            )
        }
    };
    let classified = Classified { class, detail, reason, candidates, missing, caveats };
    finish(kb, p, items, classes, classified)
}

/// The class as decided by precedence, before the class's risk model is attached.
struct Classified {
    class: DiagnosisClass,
    detail: Option<String>,
    reason: String,
    candidates: Vec<DiagnosisClass>,
    missing: Vec<MissingInput>,
    caveats: Vec<String>,
}

/// Every item of the IMWG 2014 criteria (`imwg-2014-diagnosis`), evaluated for one patient and
/// named, so the class definitions read like the paper.
struct DiagnosticItems {
    bmpc10: Item,
    plasmacytoma: Item,
    c: Item,
    r: Item,
    a: Item,
    b: Item,
    b_low_marrow: Item,
    s: Item,
    li: Item,
    m: Item,
    amyloid: Item,
    smm_serum: Item,
    smm_urine: Item,
    smm_bm: Item,
    mgus_serum: Item,
    bm_below10: Item,
    solitary: Item,
}

impl DiagnosticItems {
    fn evaluate(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Self {
        let (bmpc10, plasmacytoma) = criterion_one_items(kb, p);
        let (b, b_low_marrow) = bone_items(kb, p);
        let (s, li, m) = slim_items(kb, p);
        let (amyloid, smm_serum, smm_urine, smm_bm) = smouldering_items(kb, p);
        let (mgus_serum, bm_below10, solitary) = mgus_and_solitary_items(kb, p);
        Self {
            bmpc10,
            plasmacytoma,
            c: hypercalcaemia_item(kb, p),
            r: renal_item(kb, p, g),
            a: anaemia_item(kb, p),
            b,
            b_low_marrow,
            s,
            li,
            m,
            amyloid,
            smm_serum,
            smm_urine,
            smm_bm,
            mgus_serum,
            bm_below10,
            solitary,
        }
    }

    /// The class definitions of IMWG 2014 (`imwg-2014-diagnosis`) in Kleene three-valued logic:
    /// sound, so a class that is met or not met is certain whatever the unknown items turn out to
    /// be. Listed in precedence order: myeloma, solitary plasmacytoma, smouldering myeloma, MGUS.
    fn class_checks(&self) -> Vec<ClassCheck> {
        let st = |i: &Item| i.state;
        // B as read for myeloma when marrow plasma cells are < 10%: more than one lesion ([M]).
        let b_for_myeloma = st(&self.b_low_marrow).or(st(&self.bmpc10).and(st(&self.b)));
        let [c, r, a, s, li, m] = [&self.c, &self.r, &self.a, &self.s, &self.li, &self.m].map(st);
        let mde_myeloma = ItemState::any([c, r, a, b_for_myeloma, s, li, m]);
        let mde_any = ItemState::any([c, r, a, st(&self.b), s, li, m]);
        let mm = st(&self.bmpc10).or(st(&self.plasmacytoma)).and(mde_myeloma);
        let sp = ItemState::all([st(&self.plasmacytoma), st(&self.solitary), st(&self.bm_below10), !mde_myeloma]);
        let smm = ItemState::all([
            ItemState::any([st(&self.smm_serum), st(&self.smm_urine), st(&self.smm_bm)]),
            !mde_any,
            !st(&self.amyloid),
        ]);
        let mgus = ItemState::all([
            st(&self.mgus_serum),
            st(&self.bm_below10),
            !mde_any,
            !st(&self.amyloid),
            !st(&self.plasmacytoma),
        ]);
        vec![
            ClassCheck {
                class: DiagnosisClass::MultipleMyeloma,
                state: mm,
                definition: "(clonal_bmpc_at_least_10 or biopsy_proven_plasmacytoma) and any MDE (mde_c, mde_r, mde_a, mde_b [mde_b_bone_low_marrow when marrow < 10%], mde_s, mde_li, mde_m)",
                evidence: Evidence::V1,
            },
            ClassCheck {
                class: DiagnosisClass::SolitaryPlasmacytoma,
                state: sp,
                definition: "biopsy_proven_plasmacytoma and solitary_lesion_only and bmpc_below_10 and no MDE",
                evidence: Evidence::M,
            },
            ClassCheck {
                class: DiagnosisClass::SmoulderingMyeloma,
                state: smm,
                definition: "(smm_serum_m_protein_at_least_30_g_l or smm_urine_m_protein_at_least_500 or smm_bmpc_10_to_60) and no MDE and no amyloidosis",
                evidence: Evidence::V1,
            },
            ClassCheck {
                class: DiagnosisClass::Mgus,
                state: mgus,
                definition: "mgus_serum_m_protein_below_30_g_l and bmpc_below_10 and no MDE and no amyloidosis and no plasmacytoma (non-IgM criteria)",
                evidence: Evidence::V1,
            },
        ]
    }

    /// The items in the order the result lists them.
    fn into_vec(self) -> Vec<Item> {
        vec![
            self.bmpc10,
            self.plasmacytoma,
            self.c,
            self.r,
            self.a,
            self.b,
            self.b_low_marrow,
            self.s,
            self.li,
            self.m,
            self.amyloid,
            self.smm_serum,
            self.smm_urine,
            self.smm_bm,
            self.mgus_serum,
            self.bm_below10,
            self.solitary,
        ]
    }
}

/// Myeloma criterion 1 (`imwg-2014-diagnosis`): clonal bone-marrow plasma cells ≥ 10%, or a
/// biopsy-proven bony or extramedullary plasmacytoma.
fn criterion_one_items(kb: &KnowledgeBase, p: &Patient) -> (Item, Item) {
    let bm = p.labs.bone_marrow_plasma_cells.map(|v| v.canonical());
    let bmpc10 = {
        let c = Comparison::new("clonal bone-marrow plasma cells", bm, "%", Comparator::Ge, BMPC_AT_LEAST_PCT);
        let st = c.state;
        item(
            kb,
            spec("clonal_bmpc_at_least_10", "clonal bone-marrow plasma cells ≥ 10%", "all", Evidence::V1),
            st,
            vec![c],
            vec![need("labs.bone_marrow_plasma_cells", bmpc_test())],
        )
    };
    let plasmacytoma = finding_item(
        kb,
        spec(
            "biopsy_proven_plasmacytoma",
            "biopsy-proven bony or extramedullary plasmacytoma",
            "finding",
            Evidence::V1,
        ),
        p.diagnosis.biopsy_proven_plasmacytoma,
        "diagnosis.biopsy_proven_plasmacytoma",
        "biopsy of any bony or soft-tissue mass (or a record that none exists)",
    );
    (bmpc10, plasmacytoma)
}

/// CRAB C (`imwg-2014-diagnosis`): serum calcium > 0.25 mmol/L above the upper limit of normal
/// or > 2.75 mmol/L, attributable to the plasma-cell disorder.
fn hypercalcaemia_item(kb: &KnowledgeBase, p: &Patient) -> Item {
    let l = &p.labs;
    let ca = l.calcium.map(|v| v.canonical());
    let uln = l.calcium_upper_limit_of_normal.map(|v| v.canonical());
    let above = match (ca, uln) {
        (Some(c), Some(u)) => Some(from_micro(micro(c) - micro(u))),
        _ => None,
    };
    let cs = vec![
        Comparison::new(
            "serum calcium above the upper limit of normal",
            above,
            "mmol/L",
            Comparator::Gt,
            CALCIUM_ABOVE_ULN_BY_MMOL_L,
        ),
        Comparison::new("serum calcium", ca, "mmol/L", Comparator::Gt, CALCIUM_ABOVE_MMOL_L),
    ];
    let st = any_of(&cs);
    let mut m = Vec::new();
    if ca.is_none() {
        m.push(need("labs.calcium", "serum calcium (corrected or ionised as the laboratory reports)"));
    }
    if uln.is_none() {
        m.push(need("labs.calcium_upper_limit_of_normal", "the laboratory's upper limit of normal for calcium"));
    }
    crab(
        item(
            kb,
            spec(
                "mde_c_hypercalcaemia",
                "C: serum calcium > 0.25 mmol/L above the ULN or > 2.75 mmol/L",
                "any",
                Evidence::V1,
            ),
            st,
            cs,
            m,
        ),
        p.diagnosis.crab_attributable,
    )
}

/// CRAB R (`imwg-2014-diagnosis`): creatinine clearance < 40 mL/min (reported, else
/// Cockcroft-Gault with the guideline's weight basis) or serum creatinine > 2 mg/dL
/// (176.8 µmol/L), attributable to the plasma-cell disorder.
fn renal_item(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Item {
    let cr = p.labs.creatinine.map(|v| v.canonical());
    let crcl = fitness::creatinine_clearance(kb, p, g);
    let (crcl_v, crcl_note) = match &crcl {
        Ok(c) => (Some(c.ml_min), Some(format!("creatinine clearance {} mL/min ({})", c.ml_min, c.method))),
        Err(_) => (None, None),
    };
    let cs = vec![
        Comparison::new("creatinine clearance", crcl_v, "mL/min", Comparator::Lt, CRCL_BELOW_ML_MIN),
        Comparison::new("serum creatinine", cr, "mg/dL", Comparator::Gt, CREATININE_ABOVE_MG_DL),
    ];
    let st = any_of(&cs);
    let mut m = Vec::new();
    if crcl_v.is_none() {
        m.push(need(
            "labs.creatinine_clearance_ml_min",
            "measured creatinine clearance or eGFR (or age, sex, weight and creatinine for Cockcroft-Gault)",
        ));
    }
    if cr.is_none() {
        m.push(need("labs.creatinine", "serum creatinine"));
    }
    let mut it = item(
        kb,
        spec(
            "mde_r_renal",
            "R: creatinine clearance < 40 mL/min or serum creatinine > 2 mg/dL (176.8 µmol/L)",
            "any",
            Evidence::V1,
        ),
        st,
        cs,
        m,
    );
    if let Some(n) = crcl_note {
        if crcl.as_ref().is_ok_and(|c| c.method != "reported") {
            it.notes.push(format!("{n}: estimated by Cockcroft-Gault; IMWG accepts validated equations ([M])"));
        }
    }
    // 177 µmol/L (the paper's rounded figure) is 2.002262 mg/dL: values between the two
    // readings are flagged whatever unit they were entered in.
    if let Some(c) = cr {
        if compare(c, Comparator::Gt, CREATININE_ABOVE_MG_DL)
            && compare(c, Comparator::Le, 177.0 / crate::patient::labs::CREATININE_UMOL_PER_MG_DL)
        {
            it.notes.push(format!(
                "creatinine {c} mg/dL lies between 2 mg/dL (176.8 µmol/L) and the paper's rounded 177 µmol/L: counted as above 2 mg/dL"
            ));
        }
    }
    crab(it, p.diagnosis.crab_attributable)
}

/// CRAB A (`imwg-2014-diagnosis`): haemoglobin > 20 g/L below the lower limit of normal or
/// < 100 g/L, attributable to the plasma-cell disorder.
fn anaemia_item(kb: &KnowledgeBase, p: &Patient) -> Item {
    let l = &p.labs;
    let hb = l.hemoglobin.map(|v| v.canonical());
    let lln = l.hemoglobin_lower_limit_of_normal.map(|v| v.canonical());
    let below = match (hb, lln) {
        (Some(h), Some(n)) => Some(from_micro(micro(n) - micro(h))),
        _ => None,
    };
    let cs = vec![
        Comparison::new(
            "haemoglobin below the lower limit of normal",
            below,
            "g/L",
            Comparator::Gt,
            HEMOGLOBIN_BELOW_LLN_BY_G_L,
        ),
        Comparison::new("haemoglobin", hb, "g/L", Comparator::Lt, HEMOGLOBIN_BELOW_G_L),
    ];
    let st = any_of(&cs);
    let mut m = Vec::new();
    if hb.is_none() {
        m.push(need("labs.hemoglobin", "full blood count (haemoglobin)"));
    }
    if lln.is_none() {
        m.push(need("labs.hemoglobin_lower_limit_of_normal", "the laboratory's lower limit of normal for haemoglobin"));
    }
    crab(
        item(
            kb,
            spec("mde_a_anaemia", "A: haemoglobin > 20 g/L below the LLN or < 100 g/L", "any", Evidence::V1),
            st,
            cs,
            m,
        ),
        p.diagnosis.crab_attributable,
    )
}

/// CRAB B (`imwg-2014-diagnosis`): ≥ 1 osteolytic lesion on skeletal radiography, CT or PET-CT;
/// and B as read when clonal marrow plasma cells are < 10%: more than one lesion, to tell
/// myeloma from a solitary plasmacytoma (\[M\]). Both attributable to the plasma-cell disorder.
fn bone_items(kb: &KnowledgeBase, p: &Patient) -> (Item, Item) {
    let d = &p.diagnosis;
    let lesions = d.osteolytic_lesions.map(f64::from);
    let lesion_missing =
        || vec![need("diagnosis.osteolytic_lesions", "whole-body low-dose CT, PET-CT or skeletal survey")];
    let b_item = {
        let c = Comparison::new(
            "osteolytic lesions",
            lesions,
            "lesions",
            Comparator::Ge,
            f64::from(OSTEOLYTIC_LESIONS_AT_LEAST),
        );
        let st = c.state;
        crab(
            item(
                kb,
                spec(
                    "mde_b_bone",
                    "B: ≥ 1 osteolytic lesion on skeletal radiography, CT or PET-CT",
                    "all",
                    Evidence::V1,
                ),
                st,
                vec![c],
                lesion_missing(),
            ),
            d.crab_attributable,
        )
    };
    let b2_item = {
        let c = Comparison::new(
            "osteolytic lesions",
            lesions,
            "lesions",
            Comparator::Ge,
            f64::from(OSTEOLYTIC_LESIONS_LOW_MARROW_AT_LEAST),
        );
        let st = c.state;
        crab(
            item(
                kb,
                spec("mde_b_bone_low_marrow", "B with clonal marrow plasma cells < 10%: more than one osteolytic lesion (tells myeloma from solitary plasmacytoma)", "all", Evidence::M),
                st,
                vec![c],
                lesion_missing(),
            ),
            d.crab_attributable,
        )
    };
    (b_item, b2_item)
}

/// The SLiM biomarkers (`imwg-2014-diagnosis`): S, clonal marrow plasma cells ≥ 60%; Li,
/// involved/uninvolved serum FLC ratio ≥ 100 with the involved FLC ≥ 100 mg/L (\[V2\]); M, more
/// than one focal lesion on MRI, each ≥ 5 mm (\[V2\]).
fn slim_items(kb: &KnowledgeBase, p: &Patient) -> (Item, Item, Item) {
    let bm = p.labs.bone_marrow_plasma_cells.map(|v| v.canonical());
    let s_item = {
        let c = Comparison::new("clonal bone-marrow plasma cells", bm, "%", Comparator::Ge, BMPC_SIXTY_AT_LEAST_PCT);
        let st = c.state;
        item(
            kb,
            spec("mde_s_sixty", "S: clonal bone-marrow plasma cells ≥ 60%", "all", Evidence::V1),
            st,
            vec![c],
            vec![need("labs.bone_marrow_plasma_cells", bmpc_test())],
        )
    };
    let li_item = flc_ratio_item(
        kb,
        p,
        spec(
            "mde_li_light_chain",
            "Li: involved/uninvolved serum FLC ratio ≥ 100 and involved FLC ≥ 100 mg/L",
            "all",
            Evidence::V2,
        ),
        Comparator::Ge,
        FLC_RATIO_AT_LEAST,
        Some((Comparator::Ge, INVOLVED_FLC_AT_LEAST_MG_L)),
        DIAG,
    );
    let m_item = {
        let c = Comparison::new(
            "MRI focal lesions ≥ 5 mm",
            p.diagnosis.mri_focal_lesions.map(f64::from),
            "lesions",
            Comparator::Gt,
            f64::from(MRI_FOCAL_LESIONS_ABOVE),
        );
        let st = c.state;
        item(
            kb,
            spec("mde_m_mri", "M: > 1 focal lesion on MRI, each ≥ 5 mm", "all", Evidence::V2),
            st,
            vec![c],
            vec![need("diagnosis.mri_focal_lesions", "whole-body or spine-and-pelvis MRI")],
        )
    };
    (s_item, li_item, m_item)
}

fn serum_m_protein_missing() -> Vec<MissingInput> {
    vec![need("labs.serum_m_protein", "serum protein electrophoresis with immunofixation")]
}

/// Smouldering myeloma (`imwg-2014-diagnosis`): serum M-protein ≥ 30 g/L, or urine M-protein
/// ≥ 500 mg/24 h, or clonal marrow plasma cells 10–60%; and AL amyloidosis, which excludes it
/// (and MGUS).
fn smouldering_items(kb: &KnowledgeBase, p: &Patient) -> (Item, Item, Item, Item) {
    let l = &p.labs;
    let bm = l.bone_marrow_plasma_cells.map(|v| v.canonical());
    let amyloid = finding_item(
        kb,
        spec("amyloidosis", "AL amyloidosis", "finding", Evidence::V1),
        p.diagnosis.amyloidosis,
        "diagnosis.amyloidosis",
        "assessment for AL amyloidosis (clinical, and tissue biopsy with Congo red if suspected)",
    );
    let mprot = l.serum_m_protein.map(|v| v.canonical());
    let smm_serum = {
        let c = Comparison::new("serum M-protein", mprot, "g/dL", Comparator::Ge, SMM_SERUM_M_PROTEIN_AT_LEAST_G_DL);
        let st = c.state;
        item(
            kb,
            spec("smm_serum_m_protein_at_least_30_g_l", "serum M-protein ≥ 30 g/L (3 g/dL)", "all", Evidence::V1),
            st,
            vec![c],
            serum_m_protein_missing(),
        )
    };
    let smm_urine = {
        let c = Comparison::new(
            "urine M-protein",
            l.urine_m_protein.map(|v| v.canonical()),
            "mg/24h",
            Comparator::Ge,
            SMM_URINE_M_PROTEIN_AT_LEAST_MG_24H,
        );
        let st = c.state;
        item(
            kb,
            spec("smm_urine_m_protein_at_least_500", "urine M-protein ≥ 500 mg/24 h", "all", Evidence::V1),
            st,
            vec![c],
            vec![need("labs.urine_m_protein", "24-hour urine protein electrophoresis with immunofixation")],
        )
    };
    let smm_bm = {
        let cs = vec![
            Comparison::new("clonal bone-marrow plasma cells", bm, "%", Comparator::Ge, BMPC_AT_LEAST_PCT),
            Comparison::new("clonal bone-marrow plasma cells", bm, "%", Comparator::Lt, BMPC_SIXTY_AT_LEAST_PCT),
        ];
        let st = all_of(&cs);
        item(
            kb,
            spec("smm_bmpc_10_to_60", "clonal bone-marrow plasma cells 10–60% (≥ 10% and < 60%)", "all", Evidence::V1),
            st,
            cs,
            vec![need("labs.bone_marrow_plasma_cells", bmpc_test())],
        )
    };
    (amyloid, smm_serum, smm_urine, smm_bm)
}

/// Non-IgM MGUS (`imwg-2014-diagnosis`): serum M-protein present and < 30 g/L with clonal
/// marrow plasma cells < 10% (the marrow bound shared with solitary plasmacytoma); and the
/// solitary-plasmacytoma finding that the lesion is the only one (\[M\]).
fn mgus_and_solitary_items(kb: &KnowledgeBase, p: &Patient) -> (Item, Item, Item) {
    let mprot = p.labs.serum_m_protein.map(|v| v.canonical());
    let bm = p.labs.bone_marrow_plasma_cells.map(|v| v.canonical());
    let mgus_serum = {
        let cs = vec![
            Comparison::new("serum M-protein", mprot, "g/dL", Comparator::Gt, 0.0),
            Comparison::new("serum M-protein", mprot, "g/dL", Comparator::Lt, MGUS_SERUM_M_PROTEIN_BELOW_G_DL),
        ];
        let st = all_of(&cs);
        item(
            kb,
            spec(
                "mgus_serum_m_protein_below_30_g_l",
                "serum M-protein present and < 30 g/L (3 g/dL)",
                "all",
                Evidence::V1,
            ),
            st,
            cs,
            serum_m_protein_missing(),
        )
    };
    let bm_below10 = {
        let c = Comparison::new("clonal bone-marrow plasma cells", bm, "%", Comparator::Lt, MGUS_BMPC_BELOW_PCT);
        let st = c.state;
        item(
            kb,
            spec("bmpc_below_10", "clonal bone-marrow plasma cells < 10%", "all", Evidence::V1),
            st,
            vec![c],
            vec![need("labs.bone_marrow_plasma_cells", bmpc_test())],
        )
    };
    let solitary = finding_item(
        kb,
        spec(
            "solitary_lesion_only",
            "the plasmacytoma is the only lesion on skeletal survey and MRI/CT of spine and pelvis",
            "finding",
            Evidence::M,
        ),
        p.diagnosis.solitary_lesion_only,
        "diagnosis.solitary_lesion_only",
        "MRI or CT of spine and pelvis (and skeletal survey) to show the lesion is solitary",
    );
    (mgus_serum, bm_below10, solitary)
}

/// Precedence when two classes are met (a project choice, listed in the module docs): the first
/// class met wins when every class before it is not met. Returns the decided class, or none and
/// the classes still possible.
fn precedence(classes: &[ClassCheck]) -> (Option<DiagnosisClass>, Vec<DiagnosisClass>) {
    let mut candidates = Vec::new();
    let mut decided = None;
    for c in classes {
        match c.state {
            ItemState::NotMet => {}
            ItemState::Unknown => candidates.push(c.class),
            ItemState::Met => {
                if candidates.is_empty() {
                    decided = Some(c.class);
                } else {
                    candidates.push(c.class);
                }
                break;
            }
        }
    }
    (decided, candidates)
}

/// The items a class definition reads (`imwg-2014-diagnosis`): every myeloma-defining event, and
/// the class's own bounds.
fn class_dependencies(class: DiagnosisClass) -> Vec<&'static str> {
    let mde = [
        "mde_c_hypercalcaemia",
        "mde_r_renal",
        "mde_a_anaemia",
        "mde_b_bone",
        "mde_s_sixty",
        "mde_li_light_chain",
        "mde_m_mri",
    ];
    let mut v: Vec<&'static str> = match class {
        DiagnosisClass::MultipleMyeloma => {
            vec!["clonal_bmpc_at_least_10", "biopsy_proven_plasmacytoma", "mde_b_bone_low_marrow"]
        }
        DiagnosisClass::SolitaryPlasmacytoma => {
            vec![
                "biopsy_proven_plasmacytoma",
                "solitary_lesion_only",
                "bmpc_below_10",
                "mde_b_bone_low_marrow",
                "clonal_bmpc_at_least_10",
            ]
        }
        DiagnosisClass::SmoulderingMyeloma => {
            vec![
                "smm_serum_m_protein_at_least_30_g_l",
                "smm_urine_m_protein_at_least_500",
                "smm_bmpc_10_to_60",
                "amyloidosis",
            ]
        }
        DiagnosisClass::Mgus => {
            vec!["mgus_serum_m_protein_below_30_g_l", "bmpc_below_10", "amyloidosis", "biopsy_proven_plasmacytoma"]
        }
        DiagnosisClass::NotClassifiable => vec![],
    };
    v.extend(mde);
    v
}

/// Unknown is not negative: when more than one class is still possible, the inputs of every item
/// those classes read, each once.
fn missing_for_candidates(candidates: &[DiagnosisClass], items: &[Item]) -> Vec<MissingInput> {
    let mut ids: Vec<&str> = candidates.iter().flat_map(|c| class_dependencies(*c)).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut missing = Vec::new();
    for id in ids {
        if let Some(i) = items.iter().find(|i| i.id == id) {
            missing.extend(i.missing.iter().cloned());
        }
    }
    missing
}

/// Why the decided class (`imwg-2014-diagnosis`), and its refinement: for myeloma the deciding
/// events, for solitary plasmacytoma whether the marrow is minimally involved; for MGUS the
/// non-IgM caveat.
fn decided_reason(
    class: DiagnosisClass,
    items: &[Item],
    bm: Option<f64>,
    caveats: &mut Vec<String>,
) -> (Option<String>, String) {
    match class {
        DiagnosisClass::MultipleMyeloma => {
            let met: Vec<&str> = items
                .iter()
                .filter(|i| i.id.starts_with("mde_") && i.state == ItemState::Met)
                // With marrow plasma cells < 10%, one lesion is the plasmacytoma itself.
                .filter(|i| i.id != "mde_b_bone" || bm.is_some_and(|v| compare(v, Comparator::Ge, BMPC_AT_LEAST_PCT)))
                // ...and the low-marrow bone rule is only the deciding item below 10%.
                .filter(|i| {
                    i.id != "mde_b_bone_low_marrow" || !bm.is_some_and(|v| compare(v, Comparator::Ge, BMPC_AT_LEAST_PCT))
                })
                .map(|i| i.label.split(':').next().unwrap_or(i.label))
                .collect();
            let base = if items.iter().any(|i| i.id == "clonal_bmpc_at_least_10" && i.state == ItemState::Met) {
                "clonal bone-marrow plasma cells ≥ 10%"
            } else {
                "biopsy-proven plasmacytoma"
            };
            (None, format!("{base} with myeloma-defining event(s): {}", met.join(", ")))
        }
        DiagnosisClass::SolitaryPlasmacytoma => {
            let minimal = bm.is_some_and(|v| micro(v) > 0);
            (
                Some(if minimal { "with minimal marrow involvement (clonal BMPC > 0% and < 10%)" } else { "no clonal marrow plasma cells" }.to_string()),
                "biopsy-proven solitary plasmacytoma, marrow plasma cells < 10%, no myeloma-defining event".to_string(),
            )
        }
        DiagnosisClass::SmoulderingMyeloma => {
            (None, "M-protein or marrow plasma cells in the smouldering range with no myeloma-defining event and no amyloidosis".to_string())
        }
        DiagnosisClass::Mgus => {
            caveats.push("these are the non-IgM MGUS criteria: the heavy-chain isotype is not recorded, so confirm the M-protein is not IgM (IgM MGUS and light-chain MGUS are not encoded)".to_string());
            (None, "serum M-protein < 30 g/L, clonal marrow plasma cells < 10%, no myeloma-defining event or amyloidosis".to_string())
        }
        DiagnosisClass::NotClassifiable => (None, String::new()),
    }
}

/// The result with its basis: the risk model of the class (20/2/20 for smouldering myeloma,
/// `smm-20-2-20`; Mayo 2005 for MGUS, `mgus-mayo-2005`), the caveats and the citations.
fn finish(kb: &KnowledgeBase, p: &Patient, items: Vec<Item>, classes: Vec<ClassCheck>, c: Classified) -> Diagnosis {
    let Classified { class, detail, reason, candidates, mut missing, mut caveats } = c;
    if p.diagnosis.amyloidosis == Some(true) {
        caveats.push("AL amyloidosis is recorded: it excludes smouldering myeloma and MGUS; assess it under the amyloidosis criteria".to_string());
    }
    let smm_risk = if class == DiagnosisClass::SmoulderingMyeloma { Some(smm_20_2_20(kb, p)) } else { None };
    if let Some(r) = &smm_risk {
        missing.extend(r.missing_inputs.iter().cloned());
    }
    let mgus_risk = if class == DiagnosisClass::Mgus { Some(mgus_risk(kb, p)) } else { None };
    if let Some(r) = &mgus_risk {
        missing.extend(r.missing_inputs.iter().cloned());
    }
    normalise(&mut missing);
    if items.iter().any(|i| i.evidence == Evidence::M && i.state == ItemState::Met)
        || class == DiagnosisClass::SolitaryPlasmacytoma
    {
        caveats.push("an item tagged [M] decided or supported this result: confirm against the primary text (docs/clinical-basis.md, diagnosis items tagged M)".to_string());
    }
    if class != DiagnosisClass::NotClassifiable {
        caveats
            .push("BMPC: use the higher of the aspirate and core-biopsy values when they disagree ([M])".to_string());
    }
    let mut citations = vec![kb.cite_key(IMWG)];
    if smm_risk.is_some() {
        citations.push(kb.cite(CitationId::Smm20220));
    }
    if mgus_risk.is_some() {
        citations.push(kb.cite(CitationId::MgusMayo2005));
    }
    Diagnosis {
        criteria_version: "IMWG 2014 (Rajkumar, Lancet Oncol 2014)",
        class,
        detail,
        reason,
        candidates: if class == DiagnosisClass::NotClassifiable { candidates } else { vec![] },
        items,
        classes,
        smm_risk,
        mgus_risk,
        missing_inputs: missing,
        caveats,
        citations,
    }
}

impl DiagnosisClass {
    /// The class in words (`multiple myeloma`, `MGUS`, ...), as text output shows it.
    pub fn label(&self) -> &'static str {
        class_name(*self)
    }
}

fn class_name(c: DiagnosisClass) -> &'static str {
    match c {
        DiagnosisClass::MultipleMyeloma => "multiple myeloma",
        DiagnosisClass::SolitaryPlasmacytoma => "solitary plasmacytoma",
        DiagnosisClass::SmoulderingMyeloma => "smouldering myeloma",
        DiagnosisClass::Mgus => "MGUS",
        DiagnosisClass::NotClassifiable => "not classifiable",
    }
}

/// Smouldering-myeloma risk by 20/2/20: serum M-protein above 2 g/dL, involved/uninvolved FLC
/// ratio above 20, marrow plasma cells above 20%; 0 factors low, 1 intermediate, ≥ 2 high. Only meaningful for
/// a patient with smouldering myeloma ([`diagnose`] attaches it then).
pub fn smm_20_2_20(kb: &KnowledgeBase, p: &Patient) -> SmmRisk {
    const PURPOSE: &str = "smouldering myeloma risk (20/2/20)";
    let sp = |id, label| ItemSpec { id, label, rule: "all", evidence: Evidence::V2, key: CitationId::Smm20220.key() };
    let mprot = p.labs.serum_m_protein.map(|v| v.canonical());
    let bm = p.labs.bone_marrow_plasma_cells.map(|v| v.canonical());
    let m = {
        let c = Comparison::new("serum M-protein", mprot, "g/dL", Comparator::Gt, SMM_RISK_M_PROTEIN_ABOVE_G_DL);
        let st = c.state;
        item(
            kb,
            sp("smm_risk_m_protein_above_2_g_dl", "serum M-protein > 2 g/dL (20 g/L)"),
            st,
            vec![c],
            vec![MissingInput::new("labs.serum_m_protein", "serum protein electrophoresis", PURPOSE)],
        )
    };
    let f = flc_ratio_item(
        kb,
        p,
        sp("smm_risk_flc_ratio_above_20", "involved/uninvolved serum FLC ratio > 20"),
        Comparator::Gt,
        SMM_RISK_FLC_RATIO_ABOVE,
        None,
        PURPOSE,
    );
    let b = {
        let c = Comparison::new("clonal bone-marrow plasma cells", bm, "%", Comparator::Gt, SMM_RISK_BMPC_ABOVE_PCT);
        let st = c.state;
        item(
            kb,
            sp("smm_risk_bmpc_above_20", "clonal bone-marrow plasma cells > 20%"),
            st,
            vec![c],
            vec![MissingInput::new("labs.bone_marrow_plasma_cells", bmpc_test(), PURPOSE)],
        )
    };
    let factors = vec![m, f, b];
    let met = factors.iter().filter(|i| i.state == ItemState::Met).count() as u8;
    let unknown = factors.iter().filter(|i| i.state == ItemState::Unknown).count() as u8;
    let group_of = |n: u8| match n {
        0 => SmmRiskGroup::Low,
        1 => SmmRiskGroup::Intermediate,
        _ => SmmRiskGroup::High,
    };
    let group = if group_of(met) == group_of(met + unknown) { Some(group_of(met)) } else { None };
    let mut missing: Vec<MissingInput> =
        if group.is_none() { factors.iter().flat_map(|i| i.missing.iter().cloned()).collect() } else { vec![] };
    normalise(&mut missing);
    SmmRisk {
        group,
        factors_met: met,
        factors_unknown: unknown,
        factors,
        missing_inputs: missing,
        citation: kb.cite(CitationId::Smm20220),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    #[test]
    fn comparator_is_exact_at_the_boundary() {
        assert!(!compare(2.75, Comparator::Gt, 2.75));
        assert!(compare(2.750001, Comparator::Gt, 2.75));
        assert!(compare(100.0, Comparator::Ge, 100.0));
        assert!(!compare(99.999999, Comparator::Ge, 100.0));
    }

    #[test]
    fn calcium_difference_from_uln_has_no_floating_point_drift() {
        // 2.85 − 2.6 is 0.25000000000000044 in binary floating point; exactly 0.25 here.
        assert_eq!(from_micro(micro(2.85) - micro(2.6)), 0.25);
    }

    #[test]
    fn ratio_of_exactly_100_is_at_least_100() {
        assert_eq!(ratio_state(Some(1000.0), Some(10.0), Comparator::Ge, 100.0).0, ItemState::Met);
        assert_eq!(ratio_state(Some(999.999), Some(10.0), Comparator::Ge, 100.0).0, ItemState::NotMet);
        assert_eq!(ratio_state(Some(0.0), Some(0.0), Comparator::Ge, 100.0).0, ItemState::NotMet);
    }

    #[test]
    fn kleene_logic_never_turns_unknown_into_an_answer() {
        use ItemState::*;
        assert_eq!(Unknown.and(Met), Unknown);
        assert_eq!(Unknown.and(NotMet), NotMet);
        assert_eq!(Unknown.or(Met), Met);
        assert_eq!(Unknown.or(NotMet), Unknown);
        assert_eq!(!Unknown, Unknown);
    }
}
