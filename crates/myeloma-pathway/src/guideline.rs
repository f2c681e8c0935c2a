//! The guideline profile: every choice the caller makes where sources disagree or leave it to
//! the centre (clinical-reference §0: "encode the version/jurisdiction of every rule").
//!
//! The default profile follows the seed article's pathway (triplet induction first; risk by
//! del(17p), t(4;14), gain(1q); transplant generally under 70) and is echoed in every result's
//! basis, so no choice is hidden.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::risk::{Del17pCutoff, RiskDefinition};

/// How induction options are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// The seed article's shape: PI + IMiD + dexamethasone triplet first, quadruplets listed with
    /// their trials after it.
    #[default]
    Article,
    /// Anti-CD38 quadruplets (D-VRd, Isa-VRd) first, per PERSEUS, GMMG-HD7, CEPHEUS and IMROZ.
    QuadrupletFirst,
}

/// Label jurisdiction where US and EU labels differ (lenalidomide renal bands, bispecific
/// step-up days, CAR-T dose ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// United States prescribing information.
    #[default]
    Us,
    /// European Union SmPC.
    Eu,
}

/// Which body weight Cockcroft-Gault uses (sources differ, clinical-reference §7.6, §10.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightBasis {
    /// Actual body weight.
    #[default]
    Actual,
    /// Ideal body weight (Devine).
    Ideal,
    /// Adjusted: IBW + 0.4 × (actual − IBW).
    Adjusted,
}

/// Organ-function gates for autologous transplant. The reference tags these \[M\] ("check the
/// protocol in use", §5.1): they are the centre's choice, defaulting to the values it lists.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganGates {
    /// Highest ECOG accepted (default 2).
    pub ecog_max: u8,
    /// Lowest LVEF accepted, % (default 40).
    pub lvef_min_pct: f64,
    /// Lowest DLCO accepted, % predicted (default 50).
    pub dlco_min_pct: f64,
    /// Bilirubin must be below this multiple of ULN (default 2).
    pub bilirubin_below_x_uln: f64,
}

impl Default for OrganGates {
    fn default() -> Self {
        Self { ecog_max: 2, lvef_min_pct: 40.0, dlco_min_pct: 50.0, bilirubin_below_x_uln: 2.0 }
    }
}

/// Every caller choice, in one value.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Guideline {
    /// Ranking profile.
    pub profile: Profile,
    /// Definition of high-risk cytogenetics that drives maintenance.
    pub risk_definition: RiskDefinition,
    /// IMS/IMWG 2025 del(17p) comparator.
    pub del17p_cutoff: Del17pCutoff,
    /// Transplant is considered for patients *younger* than this (article: "typically under 70").
    pub transplant_age_limit_years: u16,
    /// Organ-function gates for transplant.
    pub organ_gates: OrganGates,
    /// Label jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Weight used in Cockcroft-Gault.
    pub crcl_weight: WeightBasis,
    /// Creatinine clearance (mL/min) below which melphalan is reduced to 140 mg/m². No source
    /// fixes it (30, 50 and 60 are all in use: docs/evidence-checks.md #17); `None` lists both
    /// doses and leaves the choice to the clinician.
    pub melphalan_140_below_crcl_ml_min: Option<f64>,
    /// Induction cycles before the response assessment that decides consolidation
    /// (article: "after just 3–4 cycles"; 3 or 4).
    pub induction_cycles_before_assessment: u8,
}

impl Default for Guideline {
    fn default() -> Self {
        Self {
            profile: Profile::Article,
            risk_definition: RiskDefinition::Article,
            del17p_cutoff: Del17pCutoff::Above20,
            transplant_age_limit_years: 70,
            organ_gates: OrganGates::default(),
            jurisdiction: Jurisdiction::Us,
            crcl_weight: WeightBasis::Actual,
            melphalan_140_below_crcl_ml_min: None,
            induction_cycles_before_assessment: 4,
        }
    }
}

impl Guideline {
    /// Parse a guideline from JSON (absent keys take the defaults above; unknown keys refused).
    ///
    /// # Errors
    /// Parse errors naming the key; range errors for the numbers.
    pub fn from_json(json: &str) -> Result<Self> {
        let g: Guideline = crate::patient::parse_json(json)?;
        g.validate()?;
        Ok(g)
    }

    /// Check the numbers are in their accepted ranges.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] naming the key.
    pub fn validate(&self) -> Result<()> {
        use crate::labs::check_range;
        check_range(
            "guideline.transplant_age_limit_years",
            f64::from(self.transplant_age_limit_years),
            "years",
            50.0,
            90.0,
        )?;
        check_range(
            "guideline.induction_cycles_before_assessment",
            f64::from(self.induction_cycles_before_assessment),
            "cycles",
            3.0,
            4.0,
        )?;
        check_range("guideline.organ_gates.ecog_max", f64::from(self.organ_gates.ecog_max), "ECOG grade", 0.0, 4.0)?;
        check_range("guideline.organ_gates.lvef_min_pct", self.organ_gates.lvef_min_pct, "%", 20.0, 70.0)?;
        check_range("guideline.organ_gates.dlco_min_pct", self.organ_gates.dlco_min_pct, "% predicted", 20.0, 100.0)?;
        check_range(
            "guideline.organ_gates.bilirubin_below_x_uln",
            self.organ_gates.bilirubin_below_x_uln,
            "x ULN",
            1.0,
            10.0,
        )?;
        if let Some(c) = self.melphalan_140_below_crcl_ml_min {
            check_range("guideline.melphalan_140_below_crcl_ml_min", c, "mL/min", 10.0, 90.0)?;
        }
        Ok(())
    }
}
