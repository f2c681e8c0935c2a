//! Body-surface area, eGFR (CKD-EPI 2021) with its KDIGO category, and corrected calcium.
//!
//! Each result carries its value, unit, method and citation. Creatinine clearance is
//! Cockcroft-Gault in [`crate::assess::fitness::creatinine_clearance`] (not duplicated here).
//! Sources and exact forms: docs/dosing.md.

use serde::Serialize;

use crate::assess::missing::{normalise, MissingInput};
use crate::guideline::{BsaMethod, Guideline};
use crate::kb::{Citation, CitationId, KnowledgeBase};
use crate::patient::labs::CALCIUM_MMOL_PER_MG_DL;
use crate::patient::Patient;
use crate::record::Sex;

/// A computed quantity with its unit, method and source.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Measured {
    /// Value, rounded as stated in `method`.
    pub value: f64,
    /// Unit, e.g. `m²`, `mL/min/1.73 m²`.
    pub unit: &'static str,
    /// Method and formula in words, e.g. `Mosteller: √(175 cm × 70 kg / 3600)`.
    pub method: String,
    /// Source.
    pub citation: Citation,
}

/// Mosteller BSA, m² (unrounded): √(height cm × weight kg / 3600).
pub fn bsa_mosteller(height_cm: f64, weight_kg: f64) -> f64 {
    (height_cm * weight_kg / 3600.0).sqrt()
}

/// Du Bois & Du Bois BSA, m² (unrounded): 0.007184 × height(cm)^0.725 × weight(kg)^0.425.
pub fn bsa_dubois(height_cm: f64, weight_kg: f64) -> f64 {
    0.007184 * height_cm.powf(0.725) * weight_kg.powf(0.425)
}

/// Round to `dp` decimals (half away from zero).
pub(crate) fn round_dp(v: f64, dp: i32) -> f64 {
    let f = 10f64.powi(dp);
    (v * f).round() / f
}

/// The patient's BSA by the guideline's method, rounded to 0.01 m² (the rounded value is the one
/// doses are multiplied by, so the arithmetic shown can be checked by hand).
///
/// # Errors
/// The missing height and/or weight: never a default.
pub fn body_surface_area(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Result<Measured, Vec<MissingInput>> {
    let purpose = "body-surface area (mg/m² doses)";
    let mut missing = Vec::new();
    if p.height_cm.is_none() {
        missing.push(MissingInput::new("height_cm", "height (cm)", purpose));
    }
    if p.weight_kg.is_none() {
        missing.push(MissingInput::new("weight_kg", "body weight (kg)", purpose));
    }
    let (Some(h), Some(w)) = (p.height_cm, p.weight_kg) else {
        normalise(&mut missing);
        return Err(missing);
    };
    let (v, method, id) = match g.bsa_method {
        BsaMethod::Mosteller => (
            bsa_mosteller(h, w),
            format!("Mosteller √(height × weight / 3600) = √({} cm × {} kg / 3600)", num(h), num(w)),
            CitationId::BsaMosteller1987,
        ),
        BsaMethod::DuBois => (
            bsa_dubois(h, w),
            format!(
                "Du Bois 0.007184 × height^0.725 × weight^0.425 = 0.007184 × {} cm^0.725 × {} kg^0.425",
                num(h),
                num(w)
            ),
            CitationId::BsaDubois1916,
        ),
    };
    Ok(Measured {
        value: round_dp(v, 2),
        unit: "m²",
        method: format!("{method}, rounded to 0.01 m²"),
        citation: kb.cite(id),
    })
}

/// CKD-EPI 2021 creatinine equation (race-free), mL/min/1.73 m², unrounded:
/// 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 if female;
/// κ 0.7 (F) / 0.9 (M), α −0.241 (F) / −0.302 (M); Scr in mg/dL (IDMS-traceable).
pub fn ckd_epi_2021(scr_mg_dl: f64, age_years: u16, sex: Sex) -> f64 {
    let (kappa, alpha, female) = match sex {
        Sex::Female => (0.7, -0.241, 1.012),
        Sex::Male => (0.9, -0.302, 1.0),
    };
    let r = scr_mg_dl / kappa;
    142.0 * r.min(1.0).powf(alpha) * r.max(1.0).powf(-1.200) * 0.9938f64.powi(i32::from(age_years)) * female
}

/// KDIGO 2012 GFR category (mL/min/1.73 m²).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
pub enum GfrCategory {
    /// ≥ 90, normal or high.
    G1,
    /// 60–89, mildly decreased.
    G2,
    /// 45–59, mildly to moderately decreased.
    G3a,
    /// 30–44, moderately to severely decreased.
    G3b,
    /// 15–29, severely decreased.
    G4,
    /// < 15, kidney failure.
    G5,
}

impl GfrCategory {
    /// KDIGO's words.
    pub fn description(self) -> &'static str {
        match self {
            GfrCategory::G1 => "normal or high",
            GfrCategory::G2 => "mildly decreased",
            GfrCategory::G3a => "mildly to moderately decreased",
            GfrCategory::G3b => "moderately to severely decreased",
            GfrCategory::G4 => "severely decreased",
            GfrCategory::G5 => "kidney failure",
        }
    }
}

/// KDIGO category of an eGFR. KDIGO's bands are integers (G2 60–89, G1 ≥90): a value between
/// two bands (89.5) is placed by the lower edge of the next band (≥90 → G1, else G2), i.e. the
/// bands are read as half-open intervals [60, 90), [45, 60) … (documented choice).
pub fn kdigo_category(egfr: f64) -> GfrCategory {
    if egfr >= 90.0 {
        GfrCategory::G1
    } else if egfr >= 60.0 {
        GfrCategory::G2
    } else if egfr >= 45.0 {
        GfrCategory::G3a
    } else if egfr >= 30.0 {
        GfrCategory::G3b
    } else if egfr >= 15.0 {
        GfrCategory::G4
    } else {
        GfrCategory::G5
    }
}

/// An eGFR with its KDIGO category.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Egfr {
    /// eGFR, rounded to 0.1 mL/min/1.73 m².
    pub egfr: Measured,
    /// KDIGO 2012 category (of the rounded value).
    pub category: GfrCategory,
    /// The category's words.
    pub category_description: &'static str,
    /// KDIGO source.
    pub category_citation: Citation,
    /// None of the label renal tables the project encodes uses eGFR: they use Cockcroft-Gault CrCl.
    pub note: &'static str,
}

/// The patient's CKD-EPI 2021 eGFR and KDIGO category.
///
/// # Errors
/// The missing creatinine, age and/or sex.
pub fn egfr(kb: &KnowledgeBase, p: &Patient) -> Result<Egfr, Vec<MissingInput>> {
    let purpose = "eGFR (CKD-EPI 2021)";
    let mut missing = Vec::new();
    if p.labs.creatinine.is_none() {
        missing.push(MissingInput::new("labs.creatinine", "serum creatinine", purpose));
    }
    if p.age_years.is_none() {
        missing.push(MissingInput::new("age_years", "age", purpose));
    }
    if p.sex.is_none() {
        missing.push(MissingInput::new("sex", "sex", purpose));
    }
    let (Some(cr), Some(age), Some(sex)) = (p.labs.creatinine, p.age_years, p.sex) else {
        normalise(&mut missing);
        return Err(missing);
    };
    let scr = cr.canonical();
    let v = round_dp(ckd_epi_2021(scr, age, sex), 1);
    let category = kdigo_category(v);
    Ok(Egfr {
        egfr: Measured {
            value: v,
            unit: "mL/min/1.73 m²",
            method: format!(
                "CKD-EPI 2021 (race-free), creatinine {} mg/dL, age {age}, {}",
                num(scr),
                match sex {
                    Sex::Female => "female",
                    Sex::Male => "male",
                }
            ),
            citation: kb.cite(CitationId::CkdEpi2021),
        },
        category,
        category_description: category.description(),
        category_citation: kb.cite(CitationId::Kdigo2012),
        note: "label renal tables (lenalidomide, ixazomib, zoledronic acid) use Cockcroft-Gault creatinine clearance in mL/min, not eGFR",
    })
}

/// Corrected ("adjusted") calcium by Payne 1973 as its abstract gives it, in mg/dL:
/// calcium (mg/dL) − albumin (g/dL) + 4.0 (slope 1.0). The widely quoted 0.8 slope is not in
/// the 1973 abstract and is not encoded (docs/evidence/dosing.md item 11, conflict).
pub fn corrected_calcium_payne_1973_mg_dl(calcium_mg_dl: f64, albumin_g_dl: f64) -> f64 {
    calcium_mg_dl - albumin_g_dl + 4.0
}

/// Corrected calcium with both units.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CorrectedCalcium {
    /// mg/dL, rounded to 0.01.
    pub mg_dl: Measured,
    /// The same in mmol/L (÷ 4.008), rounded to 0.01.
    pub mmol_l: f64,
}

/// The patient's corrected calcium (Payne 1973, slope 1.0).
///
/// # Errors
/// The missing calcium and/or albumin.
pub fn corrected_calcium(kb: &KnowledgeBase, p: &Patient) -> Result<CorrectedCalcium, Vec<MissingInput>> {
    let purpose = "corrected calcium (Payne 1973)";
    let mut missing = Vec::new();
    if p.labs.calcium.is_none() {
        missing.push(MissingInput::new("labs.calcium", "serum calcium (total)", purpose));
    }
    if p.labs.albumin.is_none() {
        missing.push(MissingInput::new("labs.albumin", "serum albumin", purpose));
    }
    let (Some(ca), Some(alb)) = (p.labs.calcium, p.labs.albumin) else {
        normalise(&mut missing);
        return Err(missing);
    };
    let ca_mg = ca.canonical() / CALCIUM_MMOL_PER_MG_DL;
    let v = corrected_calcium_payne_1973_mg_dl(ca_mg, alb.canonical());
    Ok(CorrectedCalcium {
        mg_dl: Measured {
            value: round_dp(v, 2),
            unit: "mg/dL",
            method: format!(
                "Payne 1973: calcium − albumin + 4.0 = {} mg/dL − {} g/dL + 4.0",
                num(round_dp(ca_mg, 2)),
                num(alb.canonical())
            ),
            citation: kb.cite(CitationId::CorrectedCalciumPayne1973),
        },
        mmol_l: round_dp(v * CALCIUM_MMOL_PER_MG_DL, 2),
    })
}

/// A number as written: no trailing zeros, no exponent below 1e5.
pub(crate) fn num(v: f64) -> String {
    if v.abs() >= 1e5 {
        sci(v)
    } else {
        let s = format!("{:.2}", round_dp(v, 2));
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// `3.5 × 10⁷`.
pub(crate) fn sci(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let e = v.abs().log10().floor() as i32;
    let m = round_dp(v / 10f64.powi(e), 2);
    let sup: String = e
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect();
    let ms = format!("{m:.2}");
    let ms = ms.trim_end_matches('0').trim_end_matches('.');
    format!("{ms} × 10{sup}")
}
