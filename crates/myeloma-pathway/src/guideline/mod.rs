//! The guideline profile: every choice the caller makes where sources disagree or leave it to
//! the centre (docs/clinical-basis.md: every rule carries its version or jurisdiction).
//!
//! The default ranks first-line induction by the current cited guidelines (`guideline_2026`:
//! NCCN V.1.2025 and ASCO–Ontario Health 2026, quadruplet first for the transplant-eligible, DRd
//! first for the transplant-ineligible); the seed article's triplet-first order stays available
//! as the `article` profile. Every other default follows the article (risk by del(17p),
//! t(4;14), gain(1q); transplant generally under 70). The guideline is echoed in every result's
//! basis, so no choice is hidden.

use serde::{Deserialize, Serialize};

use crate::error::Result;
pub use crate::kb::{Jurisdiction, Profile};
use crate::record::Abnormality;

/// Which definition of high-risk myeloma to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskDefinition {
    /// The seed article's: del(17p), t(4;14) or gain(1q). The default.
    #[default]
    Article,
    /// IMWG 2016 (Sonneveld et al., Blood 2016): t(4;14), t(14;16), t(14;20), del(17p), gain(1q) and
    /// non-hyperdiploidy.
    Imwg2016,
    /// mSMART 3.0 (Mayo 2018): the IMWG 2016 lesions plus TP53 mutation and R-ISS III.
    Msmart3,
    /// IMS/IMWG 2025 consensus genomic staging (Avet-Loiseau et al., JCO 2025).
    Ims2025,
}

impl RiskDefinition {
    /// All definitions, in a fixed order.
    pub const ALL: [RiskDefinition; 4] =
        [RiskDefinition::Article, RiskDefinition::Imwg2016, RiskDefinition::Msmart3, RiskDefinition::Ims2025];

    /// Stable identifier.
    pub fn id(&self) -> &'static str {
        match self {
            RiskDefinition::Article => "article",
            RiskDefinition::Imwg2016 => "imwg2016",
            RiskDefinition::Msmart3 => "msmart3",
            RiskDefinition::Ims2025 => "ims2025",
        }
    }

    /// Parse an identifier.
    pub fn from_id(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.id() == s)
    }

    /// Every cytogenetic abnormality this definition reads; flipping any other never changes its
    /// level (tested). Counterfactuals flip exactly these.
    pub fn abnormalities(&self) -> &'static [Abnormality] {
        use Abnormality::*;
        match self {
            RiskDefinition::Article => &[Del17p, T4_14, Gain1q],
            RiskDefinition::Imwg2016 => &[T4_14, T14_16, T14_20, Del17p, Gain1q, Hyperdiploidy],
            RiskDefinition::Msmart3 => &[T4_14, T14_16, T14_20, Del17p, Tp53Mutation, Gain1q],
            RiskDefinition::Ims2025 => &[Del17p, Tp53Mutation, T4_14, T14_16, T14_20, Gain1q, Del1p32],
        }
    }

    pub(crate) fn citation(&self) -> crate::kb::CitationId {
        use crate::kb::CitationId as C;
        match self {
            RiskDefinition::Article => C::ArticlePathway,
            RiskDefinition::Imwg2016 => C::Imwg2016Risk,
            RiskDefinition::Msmart3 => C::Msmart3,
            RiskDefinition::Ims2025 => C::ImsImwg2025,
        }
    }
}

/// The comparator for the IMS/IMWG 2025 del(17p) clonal-fraction cut-off, which secondary
/// sources give as both ">20%" and "20% or more" (`ims-imwg-2025`). The caller chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Del17pCutoff {
    /// CCF strictly above 20% (The Limbic; `ims-imwg-2025`). Default.
    #[default]
    Above20,
    /// CCF of 20% or more (HealthTree; `ims-imwg-2025`).
    AtLeast20,
}

/// Which IMWG response criteria decide progression: the 2006 and 2016 texts differ on the
/// baseline of the 25% increase (first-line.md §8, \[V2\]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseCriteriaVersion {
    /// IMWG 2006 (Durie et al., Leukemia 2006): "increase of 25% from lowest response value",
    /// any single nadir.
    Imwg2006,
    /// IMWG 2016 (Kumar et al., Lancet Oncol 2016): "increase of 25% from the lowest confirmed
    /// response value" (a nadir held at two consecutive assessments). The default.
    #[default]
    Imwg2016,
}

impl ResponseCriteriaVersion {
    /// The name reported in every response result.
    pub fn label(self) -> &'static str {
        match self {
            ResponseCriteriaVersion::Imwg2006 => "IMWG 2006",
            ResponseCriteriaVersion::Imwg2016 => "IMWG 2016",
        }
    }
}

/// Which body weight Cockcroft-Gault uses (sources differ, `cockcroft-gault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
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

/// Body-surface-area formula (a caller choice, recorded with every BSA-based dose; docs/dosing.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BsaMethod {
    /// Mosteller 1987: √(height cm × weight kg / 3600).
    #[default]
    Mosteller,
    /// Du Bois & Du Bois 1916: 0.007184 × height(cm)^0.725 × weight(kg)^0.425.
    DuBois,
}

/// Organ-function gates for autologous transplant. They are unchecked \[M\] (`organ-gates`: "check
/// the protocol in use"): they are the centre's choice, defaulting to the values it lists.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
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
///
/// Fields are private: a guideline comes from [`Guideline::default`], [`Guideline::from_json`]
/// or the validating `with_*` methods, so an out-of-range choice (200 induction cycles, a
/// transplant age limit of 10) cannot be built from Rust either.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Guideline {
    /// Ranking profile.
    pub(crate) profile: Profile,
    /// Definition of high-risk cytogenetics that drives maintenance.
    pub(crate) risk_definition: RiskDefinition,
    /// IMS/IMWG 2025 del(17p) comparator.
    pub(crate) del17p_cutoff: Del17pCutoff,
    /// Transplant is considered for patients *younger* than this (article: "typically under 70").
    pub(crate) transplant_age_limit_years: u16,
    /// Organ-function gates for transplant.
    pub(crate) organ_gates: OrganGates,
    /// Label jurisdiction.
    pub(crate) jurisdiction: Jurisdiction,
    /// Weight used in Cockcroft-Gault.
    pub(crate) crcl_weight: WeightBasis,
    /// Body-surface-area formula for mg/m² doses.
    pub(crate) bsa_method: BsaMethod,
    /// Creatinine clearance (mL/min) below which melphalan is reduced to 140 mg/m². No source
    /// fixes it (30, 50 and 60 are all in use: `mel-asct`, docs/evidence/checks.md §17); `None` lists both
    /// doses and leaves the choice to the clinician.
    pub(crate) melphalan_140_below_crcl_ml_min: Option<f64>,
    /// Induction cycles before the response assessment that decides consolidation
    /// (article: "after just 3–4 cycles"; 3 or 4).
    pub(crate) induction_cycles_before_assessment: u8,
    /// IMWG response criteria version that decides progression (default 2016).
    pub(crate) response_criteria_version: ResponseCriteriaVersion,
    /// Progression within this many days of the last dose (inclusive) makes the disease
    /// refractory to the drug (IMWG 2011 uniform reporting: "within 60 days of last therapy").
    pub(crate) refractory_window_days: u16,
    /// Whether switching regimens for toxicity starts a new line. IMWG 2015 (Rajkumar,
    /// Richardson, San Miguel): "switching to a different drug … due to any reason is considered a
    /// new line of therapy" (default `true`); `false` is issue 10's wording, not the source's.
    pub(crate) toxicity_switch_is_new_line: bool,
    /// The centre's minimum interval, in months, between the last anti-CD38 dose and an
    /// anti-CD38 regimen at relapse. No label sets one (relapse-labels.md §B5: NOT FOUND), so the
    /// default `None` applies no rule; when set, anti-CD38 regimens within the interval are
    /// excluded as the centre's choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) anti_cd38_retreatment_min_months: Option<u16>,
}

impl Default for Guideline {
    fn default() -> Self {
        Self {
            profile: Profile::Guideline2026,
            risk_definition: RiskDefinition::Article,
            del17p_cutoff: Del17pCutoff::Above20,
            transplant_age_limit_years: 70,
            organ_gates: OrganGates::default(),
            jurisdiction: Jurisdiction::Us,
            crcl_weight: WeightBasis::Actual,
            bsa_method: BsaMethod::Mosteller,
            melphalan_140_below_crcl_ml_min: None,
            induction_cycles_before_assessment: 4,
            response_criteria_version: ResponseCriteriaVersion::Imwg2016,
            refractory_window_days: 60,
            toxicity_switch_is_new_line: true,
            anti_cd38_retreatment_min_months: None,
        }
    }
}

impl Guideline {
    /// Ranking profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }
    /// Definition of high-risk cytogenetics that drives maintenance.
    pub fn risk_definition(&self) -> RiskDefinition {
        self.risk_definition
    }
    /// IMS/IMWG 2025 del(17p) comparator.
    pub fn del17p_cutoff(&self) -> Del17pCutoff {
        self.del17p_cutoff
    }
    /// Transplant is considered for patients younger than this, years.
    pub fn transplant_age_limit_years(&self) -> u16 {
        self.transplant_age_limit_years
    }
    /// Organ-function gates for transplant.
    pub fn organ_gates(&self) -> OrganGates {
        self.organ_gates
    }
    /// Label jurisdiction.
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction
    }
    /// Weight used in Cockcroft-Gault.
    pub fn crcl_weight(&self) -> WeightBasis {
        self.crcl_weight
    }
    /// Creatinine clearance below which melphalan is reduced to 140 mg/m², if the centre set one.
    pub fn melphalan_140_below_crcl_ml_min(&self) -> Option<f64> {
        self.melphalan_140_below_crcl_ml_min
    }
    /// Induction cycles before the response assessment that decides consolidation.
    pub fn induction_cycles_before_assessment(&self) -> u8 {
        self.induction_cycles_before_assessment
    }

    /// IMWG response criteria version that decides progression.
    pub fn response_criteria_version(&self) -> ResponseCriteriaVersion {
        self.response_criteria_version
    }
    /// With another IMWG response criteria version.
    pub fn with_response_criteria_version(mut self, v: ResponseCriteriaVersion) -> Self {
        self.response_criteria_version = v;
        self
    }

    /// Days after the last dose within which progression makes the disease refractory (60).
    pub fn refractory_window_days(&self) -> u16 {
        self.refractory_window_days
    }
    /// Whether a switch for toxicity starts a new line (IMWG 2015: yes).
    pub fn toxicity_switch_is_new_line(&self) -> bool {
        self.toxicity_switch_is_new_line
    }
    /// With another refractoriness window.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] outside 0–180 days.
    pub fn with_refractory_window_days(mut self, v: u16) -> Result<Self> {
        self.refractory_window_days = v;
        self.validate().map(|()| self)
    }
    /// The centre's minimum months between the last anti-CD38 dose and anti-CD38 retreatment
    /// (`None`: no rule; no label sets one).
    pub fn anti_cd38_retreatment_min_months(&self) -> Option<u16> {
        self.anti_cd38_retreatment_min_months
    }
    /// With a centre's anti-CD38 retreatment interval (or none).
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] outside 1–60 months.
    pub fn with_anti_cd38_retreatment_min_months(mut self, v: Option<u16>) -> Result<Self> {
        self.anti_cd38_retreatment_min_months = v;
        self.validate().map(|()| self)
    }
    /// With the toxicity-switch rule set.
    pub fn with_toxicity_switch_is_new_line(mut self, v: bool) -> Self {
        self.toxicity_switch_is_new_line = v;
        self
    }
    /// With another ranking profile.
    pub fn with_profile(mut self, v: Profile) -> Self {
        self.profile = v;
        self
    }
    /// With another risk definition.
    pub fn with_risk_definition(mut self, v: RiskDefinition) -> Self {
        self.risk_definition = v;
        self
    }
    /// With another del(17p) comparator.
    pub fn with_del17p_cutoff(mut self, v: Del17pCutoff) -> Self {
        self.del17p_cutoff = v;
        self
    }
    /// With another jurisdiction.
    pub fn with_jurisdiction(mut self, v: Jurisdiction) -> Self {
        self.jurisdiction = v;
        self
    }
    /// With another Cockcroft-Gault weight.
    pub fn with_crcl_weight(mut self, v: WeightBasis) -> Self {
        self.crcl_weight = v;
        self
    }
    /// Body-surface-area formula for mg/m² doses.
    pub fn bsa_method(&self) -> BsaMethod {
        self.bsa_method
    }
    /// With another body-surface-area formula.
    pub fn with_bsa_method(mut self, v: BsaMethod) -> Self {
        self.bsa_method = v;
        self
    }
    /// With another transplant age limit.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] outside 50–90 years.
    pub fn with_transplant_age_limit_years(mut self, v: u16) -> Result<Self> {
        self.transplant_age_limit_years = v;
        self.validate().map(|()| self)
    }
    /// With other organ-function gates.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] naming the gate.
    pub fn with_organ_gates(mut self, v: OrganGates) -> Result<Self> {
        self.organ_gates = v;
        self.validate().map(|()| self)
    }
    /// With a renal threshold for melphalan 140 mg/m² (or none).
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] outside 10–90 mL/min.
    pub fn with_melphalan_140_below_crcl_ml_min(mut self, v: Option<f64>) -> Result<Self> {
        self.melphalan_140_below_crcl_ml_min = v;
        self.validate().map(|()| self)
    }
    /// With another number of induction cycles before the response assessment.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] outside 3–4 cycles.
    pub fn with_induction_cycles_before_assessment(mut self, v: u8) -> Result<Self> {
        self.induction_cycles_before_assessment = v;
        self.validate().map(|()| self)
    }

    /// Parse a guideline from JSON (absent keys take the defaults above; unknown keys refused).
    ///
    /// # Errors
    /// Parse errors naming the key; range errors for the numbers.
    pub fn from_json(json: &str) -> Result<Self> {
        let g: Guideline = crate::json::parse(json)?;
        g.validate()?;
        Ok(g)
    }

    /// Check the numbers are in their accepted ranges.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] naming the key.
    fn validate(&self) -> Result<()> {
        use crate::error::check_range;
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
        check_range("guideline.refractory_window_days", f64::from(self.refractory_window_days), "days", 0.0, 180.0)?;
        if let Some(m) = self.anti_cd38_retreatment_min_months {
            check_range("guideline.anti_cd38_retreatment_min_months", f64::from(m), "months", 1.0, 60.0)?;
        }
        if let Some(c) = self.melphalan_140_below_crcl_ml_min {
            check_range("guideline.melphalan_140_below_crcl_ml_min", c, "mL/min", 10.0, 90.0)?;
        }
        Ok(())
    }
}
