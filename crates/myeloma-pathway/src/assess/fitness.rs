//! Fitness: the IMWG frailty score, the simplified frailty score, creatinine clearance, and
//! transplant eligibility.

use serde::Serialize;

use crate::assess::missing::{normalise, MissingInput};
use crate::guideline::{Guideline, WeightBasis};
use crate::kb::{Citation, CitationId, KnowledgeBase};
use crate::patient::Patient;
use crate::record::Sex;

/// Frailty category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FrailtyCategory {
    /// IMWG score 0 (simplified: 0–1 non-frail).
    Fit,
    /// IMWG score 1.
    IntermediateFit,
    /// Simplified score 0–1.
    NonFrail,
    /// IMWG ≥2, simplified ≥2.
    Frail,
}

/// A frailty score with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FrailtyScore {
    /// Which score: `imwg` or `simplified`.
    pub score_name: &'static str,
    /// Points (IMWG 0–5, simplified 0–4), when computable.
    pub points: Option<u8>,
    /// Category, when computable.
    pub category: Option<FrailtyCategory>,
    /// Points per item.
    pub breakdown: Vec<String>,
    /// Missing items.
    pub missing_inputs: Vec<MissingInput>,
    /// Source.
    pub citation: Citation,
}

/// Age points shared by both scores: ≤75 → 0, 76–80 → 1, >80 → 2.
fn age_points(age: u16) -> u8 {
    match age {
        0..=75 => 0,
        76..=80 => 1,
        _ => 2,
    }
}

/// IMWG frailty item points (Palumbo 2015, `imwg-frailty-2015`): Charlson ≤1: 0, ≥2: 1.
fn charlson_points(c: u8) -> u8 {
    u8::from(c >= 2)
}

/// IMWG frailty item points: Katz ADL >4: 0, ≤4: 1.
fn katz_points(c: u8) -> u8 {
    u8::from(c <= 4)
}

/// IMWG frailty item points: Lawton IADL >5: 0, ≤5: 1.
fn lawton_points(c: u8) -> u8 {
    u8::from(c <= 5)
}

/// IMWG category from complete points: fit 0, intermediate 1, frail ≥2.
fn imwg_category(n: u8) -> FrailtyCategory {
    match n {
        0 => FrailtyCategory::Fit,
        1 => FrailtyCategory::IntermediateFit,
        _ => FrailtyCategory::Frail,
    }
}

/// The IMWG frailty score's result without its text: the rule the per-patient
/// [`imwg_frailty`] and the columnar path (`columns`) both call. `points` is given only when
/// every item is known; `category` also when the missing items cannot change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrailtyRule {
    /// Points of the known items.
    pub known: u8,
    /// The most the missing items could add.
    pub extra: u8,
    /// Total points, when every item is known.
    pub points: Option<u8>,
    /// Category, when computable.
    pub category: Option<FrailtyCategory>,
}

/// A score's points and category from its known points and the most its missing items could
/// add (`extra`, 0 when nothing is missing): the category is given when every possible total
/// falls in the same category (a result no missing value can change is given).
fn frailty_rule(known: u8, extra: u8, complete: bool, cat: impl Fn(u8) -> FrailtyCategory) -> FrailtyRule {
    if complete {
        return FrailtyRule { known, extra, points: Some(known), category: Some(cat(known)) };
    }
    let (lo, hi) = (cat(known), cat(known + extra));
    FrailtyRule { known, extra, points: None, category: (lo == hi).then_some(lo) }
}

/// The IMWG frailty rule over the four items (age years, Charlson, Katz ADL, Lawton IADL;
/// `None` = missing).
pub fn imwg_frailty_rule(age: Option<u16>, charlson: Option<u8>, katz: Option<u8>, lawton: Option<u8>) -> FrailtyRule {
    let mut known = 0u8;
    // The most the missing items could add: age up to 2, each other item 1.
    let mut extra = 0u8;
    match age {
        Some(a) => known += age_points(a),
        None => extra += 2,
    }
    for (v, f) in [(charlson, charlson_points as fn(u8) -> u8), (katz, katz_points), (lawton, lawton_points)] {
        match v {
            Some(v) => known += f(v),
            None => extra += 1,
        }
    }
    let complete = age.is_some() && charlson.is_some() && katz.is_some() && lawton.is_some();
    frailty_rule(known, extra, complete, imwg_category)
}

/// IMWG frailty score (Palumbo 2015): age (≤75: 0, 76–80: 1, >80: 2), Charlson (≤1: 0, ≥2: 1),
/// Katz ADL (>4: 0, ≤4: 1), Lawton IADL (>5: 0, ≤5: 1). Fit 0, intermediate 1, frail ≥2.
pub fn imwg_frailty(kb: &KnowledgeBase, p: &Patient) -> FrailtyScore {
    let purpose = "IMWG frailty score";
    let mut missing = Vec::new();
    let mut breakdown = Vec::new();
    match p.age_years {
        Some(a) => breakdown.push(format!("age {a}: {}", age_points(a))),
        None => missing.push(MissingInput::new("age_years", "age", purpose)),
    }
    type Item<'a> = (&'a str, Option<u8>, fn(u8) -> u8, &'a str);
    let items: [Item<'_>; 3] = [
        ("frailty.charlson", p.frailty.charlson, charlson_points, "Charlson Comorbidity Index"),
        ("frailty.katz_adl", p.frailty.katz_adl, katz_points, "Katz Activities of Daily Living"),
        ("frailty.lawton_iadl", p.frailty.lawton_iadl, lawton_points, "Lawton Instrumental ADL"),
    ];
    for (field, v, f, test) in items {
        match v {
            Some(v) => breakdown.push(format!("{test} {v}: {}", f(v))),
            None => missing.push(MissingInput::new(field, test, purpose)),
        }
    }
    let rule = imwg_frailty_rule(p.age_years, p.frailty.charlson, p.frailty.katz_adl, p.frailty.lawton_iadl);
    conclude(rule, &mut missing, &mut breakdown);
    FrailtyScore {
        score_name: "imwg",
        points: rule.points,
        category: rule.category,
        breakdown,
        missing_inputs: missing,
        citation: kb.cite(CitationId::ImwgFrailty2015),
    }
}

/// Simplified frailty score (Facon 2020, FIRST): age (≤75: 0, 76–80: 1, >80: 2), Charlson (≤1: 0,
/// >1: 1), ECOG (0: 0, 1: 1, ≥2: 2). 0–1 non-frail, ≥2 frail.
pub fn simplified_frailty(kb: &KnowledgeBase, p: &Patient) -> FrailtyScore {
    let purpose = "simplified frailty score";
    let mut missing = Vec::new();
    let mut breakdown = Vec::new();
    let mut pts: u8 = 0;
    match p.age_years {
        Some(a) => {
            pts += age_points(a);
            breakdown.push(format!("age {a}: {}", age_points(a)));
        }
        None => missing.push(MissingInput::new("age_years", "age", purpose)),
    }
    match p.frailty.charlson {
        Some(c) => {
            let x = u8::from(c > 1);
            pts += x;
            breakdown.push(format!("Charlson {c}: {x}"));
        }
        None => missing.push(MissingInput::new("frailty.charlson", "Charlson Comorbidity Index", purpose)),
    }
    match p.ecog {
        Some(e) => {
            let x = e.min(2);
            pts += x;
            breakdown.push(format!("ECOG {e}: {x}"));
        }
        None => missing.push(MissingInput::new("ecog", "ECOG performance status", purpose)),
    }
    let cat = |n: u8| if n >= 2 { FrailtyCategory::Frail } else { FrailtyCategory::NonFrail };
    // The most the missing items could add: age up to 2, Charlson 1, ECOG up to 2.
    let extra: u8 = missing.iter().map(|m| if m.field == "frailty.charlson" { 1 } else { 2 }).sum();
    let rule = frailty_rule(pts, extra, missing.is_empty(), cat);
    conclude(rule, &mut missing, &mut breakdown);
    FrailtyScore {
        score_name: "simplified",
        points: rule.points,
        category: rule.category,
        breakdown,
        missing_inputs: missing,
        citation: kb.cite(CitationId::SimplifiedFrailty2020),
    }
}

/// The text of a [`FrailtyRule`]: a category concluded with items missing says so, and then
/// the missing items are not asked for.
fn conclude(rule: FrailtyRule, missing: &mut Vec<MissingInput>, breakdown: &mut Vec<String>) {
    let Some(cat) = rule.category else { return };
    if missing.is_empty() || rule.points.is_some() {
        return;
    }
    breakdown.push(format!(
        "{} point(s) without {}, at most {}: {} whatever the missing items, which cannot change the category",
        rule.known,
        missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>().join(", "),
        rule.known + rule.extra,
        cat.label()
    ));
    missing.clear();
}

impl FrailtyCategory {
    /// Plain-language label.
    pub fn label(self) -> &'static str {
        match self {
            FrailtyCategory::Fit => "fit",
            FrailtyCategory::IntermediateFit => "intermediate-fit",
            FrailtyCategory::NonFrail => "non-frail",
            FrailtyCategory::Frail => "frail",
        }
    }
}

/// Creatinine clearance with how it was obtained.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CreatinineClearance {
    /// mL/min (not normalised to body-surface area).
    pub ml_min: f64,
    /// `reported` (given in the record) or `cockcroft_gault`.
    pub method: &'static str,
    /// For Cockcroft-Gault: the weight basis used, and the weight in kg.
    pub weight_basis: Option<WeightBasis>,
    /// Weight used, kg.
    pub weight_kg: Option<f64>,
    /// Source.
    pub citation: Citation,
}

/// Devine ideal body weight: male 50 kg, female 45.5 kg, + 2.3 kg per inch over 60 inches.
pub fn ideal_body_weight_kg(sex: Sex, height_cm: f64) -> f64 {
    let inches_over_60 = (height_cm / 2.54 - 60.0).max(0.0);
    let base = match sex {
        Sex::Male => 50.0,
        Sex::Female => 45.5,
    };
    base + 2.3 * inches_over_60
}

/// Creatinine clearance: the reported value if the record has one, else Cockcroft-Gault
/// `[(140 − age) × weight] / [72 × SCr mg/dL]`, × 0.85 if female.
///
/// # Errors
/// The list of missing inputs when it cannot be computed.
pub fn creatinine_clearance(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
) -> Result<CreatinineClearance, Vec<MissingInput>> {
    if let Some(c) = p.labs.creatinine_clearance_ml_min {
        return Ok(CreatinineClearance {
            ml_min: c,
            method: "reported",
            weight_basis: None,
            weight_kg: None,
            citation: kb.cite(CitationId::CockcroftGault),
        });
    }
    let purpose = "creatinine clearance (Cockcroft-Gault)";
    let mut missing = Vec::new();
    if p.age_years.is_none() {
        missing.push(MissingInput::new("age_years", "age", purpose));
    }
    if p.weight_kg.is_none() {
        missing.push(MissingInput::new("weight_kg", "body weight", purpose));
    }
    if p.sex.is_none() {
        missing.push(MissingInput::new("sex", "sex", purpose));
    }
    if p.labs.creatinine.is_none() {
        missing.push(MissingInput::new(
            "labs.creatinine",
            "serum creatinine (or a measured creatinine clearance)",
            purpose,
        ));
    }
    if g.crcl_weight != WeightBasis::Actual && p.height_cm.is_none() {
        missing.push(MissingInput::new("height_cm", "height (for ideal body weight)", purpose));
    }
    let cr = p.labs.creatinine.map(|c| c.canonical());
    let Some((c, weight)) = cockcroft_gault_rule(p.age_years, p.weight_kg, p.height_cm, p.sex, cr, g.crcl_weight)
    else {
        // Only the height missing (ideal or adjusted basis): the list as it stands.
        if p.age_years.is_none() || p.weight_kg.is_none() || p.sex.is_none() || cr.is_none() {
            normalise(&mut missing);
        }
        return Err(missing);
    };
    Ok(CreatinineClearance {
        ml_min: c,
        method: "cockcroft_gault",
        weight_basis: Some(g.crcl_weight),
        weight_kg: Some((weight * 10.0).round() / 10.0),
        citation: kb.cite(CitationId::CockcroftGault),
    })
}

/// Cockcroft-Gault (`cockcroft-gault`): `[(140 − age) × weight] / [72 × SCr mg/dL]`, × 0.85 if
/// female, rounded to 0.1 mL/min, with the weight of `basis` (actual; Devine ideal; adjusted
/// IBW + 0.4 × (actual − IBW)). Returns (mL/min, weight used in kg), or `None` when an input is
/// missing (height only for the ideal and adjusted bases). The rule the per-patient
/// [`creatinine_clearance`] and the columnar path both call.
pub fn cockcroft_gault_rule(
    age_years: Option<u16>,
    weight_kg: Option<f64>,
    height_cm: Option<f64>,
    sex: Option<Sex>,
    creatinine_mg_dl: Option<f64>,
    basis: WeightBasis,
) -> Option<(f64, f64)> {
    let (Some(age), Some(w), Some(sex), Some(cr)) = (age_years, weight_kg, sex, creatinine_mg_dl) else {
        return None;
    };
    let weight = match (basis, height_cm) {
        (WeightBasis::Actual, _) => w,
        (WeightBasis::Ideal, Some(h)) => ideal_body_weight_kg(sex, h),
        (WeightBasis::Adjusted, Some(h)) => {
            let ibw = ideal_body_weight_kg(sex, h);
            ibw + 0.4 * (w - ibw)
        }
        _ => return None,
    };
    let mut c = (140.0 - f64::from(age)) * weight / (72.0 * cr);
    if sex == Sex::Female {
        c *= 0.85;
    }
    Some(((c * 10.0).round() / 10.0, weight))
}

/// Transplant eligibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Eligible for autologous stem-cell transplant.
    Eligible,
    /// Not eligible.
    Ineligible,
    /// Cannot be decided with the inputs given.
    Undetermined,
}

impl Eligibility {
    /// In words, as text output shows it.
    pub fn label(&self) -> &'static str {
        match self {
            Eligibility::Eligible => "Eligible",
            Eligibility::Ineligible => "Ineligible",
            Eligibility::Undetermined => "Undetermined",
        }
    }
}

/// Transplant eligibility with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EligibilityAssessment {
    /// The decision.
    pub eligibility: Eligibility,
    /// Why: each rule that decided, met or not.
    pub reasons: Vec<String>,
    /// Inputs that were missing.
    pub missing_inputs: Vec<MissingInput>,
    /// The frailty score used, if any.
    pub frailty: Option<FrailtyScore>,
    /// Set when age is the only reason for ineligibility and the frailty score says fit: what
    /// the age limit is, what the score says, and the setting that would change the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_only: Option<String>,
    /// Sources.
    pub citations: Vec<Citation>,
}

/// Assess transplant eligibility: age below the guideline's limit (article: "typically those
/// under 70 with adequate organ reserve"), not frail (IMWG frailty score, or the simplified score
/// when ADL/IADL are not recorded), and the centre's organ-function gates.
pub fn transplant_eligibility(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> EligibilityAssessment {
    let purpose = "transplant eligibility";
    let mut reasons = Vec::new();
    let mut ineligible = false;
    // Whether anything other than age makes the patient ineligible.
    let mut other_barrier = false;
    let mut age_barrier = false;
    let mut missing = Vec::new();
    match p.age_years {
        Some(a) if a >= g.transplant_age_limit_years => {
            ineligible = true;
            age_barrier = true;
            reasons.push(format!("age {a} is not under the transplant age limit of {}", g.transplant_age_limit_years));
        }
        Some(a) => {
            reasons.push(format!("age {a} is under the transplant age limit of {}", g.transplant_age_limit_years))
        }
        None => missing.push(MissingInput::new("age_years", "age", purpose)),
    }
    let imwg = imwg_frailty(kb, p);
    let frailty = if imwg.category.is_some() {
        Some(imwg.clone())
    } else {
        let s = simplified_frailty(kb, p);
        if s.category.is_some() {
            Some(s)
        } else {
            None
        }
    };
    let pts = |f: &FrailtyScore| match f.points {
        Some(n) => format!("{n} points"),
        None => "concluded with items missing that cannot change it".to_string(),
    };
    match &frailty {
        Some(f) if f.category == Some(FrailtyCategory::Frail) => {
            ineligible = true;
            other_barrier = true;
            reasons.push(format!("frail by the {} frailty score ({})", f.score_name, pts(f)));
        }
        Some(f) => reasons.push(format!(
            "not frail ({}) by the {} frailty score ({})",
            f.category.map_or("", FrailtyCategory::label),
            f.score_name,
            pts(f)
        )),
        None => {
            // Neither score is computable: report the items of the full IMWG score.
            missing.extend(imwg.missing_inputs.iter().cloned().map(|mut m| {
                m.needed_for = format!("{purpose} (frailty)");
                m
            }));
        }
    }
    let gates = g.organ_gates;
    let of = &p.organ_function;
    let mut gate = |field: &str, test: &str, value: Option<f64>, ok: &dyn Fn(f64) -> bool, label: String| match value {
        Some(v) if ok(v) => reasons.push(format!("{label}: {v} meets the centre's gate")),
        Some(v) => {
            ineligible = true;
            other_barrier = true;
            reasons.push(format!("{label}: {v} fails the centre's gate"));
        }
        None => missing.push(MissingInput::new(field, test, purpose)),
    };
    gate(
        "ecog",
        "ECOG performance status",
        p.ecog.map(f64::from),
        &|v| v <= f64::from(gates.ecog_max),
        format!("ECOG ≤ {}", gates.ecog_max),
    );
    gate(
        "organ_function.lvef_pct",
        "echocardiogram (LVEF)",
        of.lvef_pct,
        &|v| v >= gates.lvef_min_pct,
        format!("LVEF ≥ {}%", gates.lvef_min_pct),
    );
    gate(
        "organ_function.dlco_pct",
        "pulmonary function tests (DLCO)",
        of.dlco_pct,
        &|v| v >= gates.dlco_min_pct,
        format!("DLCO ≥ {}%", gates.dlco_min_pct),
    );
    gate(
        "organ_function.bilirubin_x_uln",
        "total bilirubin",
        of.bilirubin_x_uln,
        &|v| v < gates.bilirubin_below_x_uln,
        format!("bilirubin < {}× ULN", gates.bilirubin_below_x_uln),
    );
    normalise(&mut missing);
    // Age alone (ASCO/CCO 2019: "age alone should not be the deciding factor"; first-line.md §10,
    // [V2]): flagged when the age limit is the only barrier and the frailty score says fit.
    let fit = frailty
        .as_ref()
        .and_then(|f| f.category)
        .is_some_and(|c| matches!(c, FrailtyCategory::Fit | FrailtyCategory::NonFrail));
    let age_only = if age_barrier && !other_barrier && fit {
        let a = p.age_years.unwrap_or_default();
        let mut msg = format!(
            "age is the only reason for ineligibility: age {a} is not under the limit of {} while the {} frailty score says {}; \
             ASCO/CCO 2019: age alone should not be the deciding factor; the setting guideline.transplant_age_limit_years \
             (now {}) set to {} or more would make this patient eligible by age",
            g.transplant_age_limit_years,
            frailty.as_ref().map_or("", |f| f.score_name),
            frailty.as_ref().and_then(|f| f.category).map_or("", FrailtyCategory::label),
            g.transplant_age_limit_years,
            a + 1
        );
        if !missing.is_empty() {
            msg.push_str(&format!(
                " (still to be decided: {})",
                missing.iter().map(|m| m.field.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        reasons.push(msg.clone());
        Some(msg)
    } else {
        None
    };
    let eligibility = if ineligible {
        Eligibility::Ineligible
    } else if !missing.is_empty() {
        Eligibility::Undetermined
    } else {
        Eligibility::Eligible
    };
    // Once ineligible, what is missing cannot change the answer: do not ask for it.
    if ineligible {
        missing.clear();
    }
    let mut citations = vec![
        kb.cite(CitationId::ArticlePathway),
        kb.cite(CitationId::AsctEligibility),
        kb.cite(CitationId::OrganGates),
    ];
    if age_only.is_some() {
        citations.push(kb.cite(CitationId::AscoCco2019));
    }
    EligibilityAssessment { eligibility, reasons, missing_inputs: missing, frailty, age_only, citations }
}
