//! Response assessments and MRD results as recorded: the rows of the response time series.

use serde::{Deserialize, Serialize};

use super::{Date, RawQuantity};

/// IMWG response category, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseCategory {
    /// Stringent complete response.
    Scr,
    /// Complete response.
    Cr,
    /// Very good partial response.
    Vgpr,
    /// Partial response.
    Pr,
    /// Minimal response.
    Mr,
    /// Stable disease.
    Sd,
    /// Progressive disease.
    Pd,
}

impl ResponseCategory {
    /// At least a partial response.
    pub fn is_at_least_pr(&self) -> bool {
        *self <= ResponseCategory::Pr
    }
    /// Label as published (`sCR`, `CR`, `VGPR`, ...).
    pub fn label(&self) -> &'static str {
        match self {
            ResponseCategory::Scr => "sCR",
            ResponseCategory::Cr => "CR",
            ResponseCategory::Vgpr => "VGPR",
            ResponseCategory::Pr => "PR",
            ResponseCategory::Mr => "MR",
            ResponseCategory::Sd => "SD",
            ResponseCategory::Pd => "PD",
        }
    }
}

/// Immunofixation result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Immunofixation {
    /// No monoclonal protein detected.
    Negative,
    /// Monoclonal protein detected.
    Positive,
}

/// One disease assessment (a row of the response time series).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseAssessmentInput {
    /// Date of the samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Serum M-protein (g/dL or g/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_m_protein: Option<RawQuantity>,
    /// 24-h urine M-protein (mg/24h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urine_m_protein: Option<RawQuantity>,
    /// Serum free κ (mg/L or mg/dL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_flc_kappa: Option<RawQuantity>,
    /// Serum free λ (mg/L or mg/dL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_flc_lambda: Option<RawQuantity>,
    /// Bone-marrow plasma cells (%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bone_marrow_plasma_cells: Option<RawQuantity>,
    /// Serum immunofixation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_immunofixation: Option<Immunofixation>,
    /// Urine immunofixation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urine_immunofixation: Option<Immunofixation>,
    /// Clonal plasma cells in the marrow biopsy by immunohistochemistry (for sCR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clonal_cells_by_ihc: Option<bool>,
    /// Soft-tissue plasmacytomas present at this assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_tissue_plasmacytoma: Option<bool>,
    /// New bone lesions or plasmacytomas, or a definite increase in existing ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_lesions: Option<bool>,
}

/// MRD method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MrdMethod {
    /// Next-generation flow (EuroFlow or validated equivalent).
    Ngf,
    /// Next-generation sequencing (clonoSEQ or validated equivalent).
    Ngs,
}

/// MRD result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MrdStatus {
    /// No clonal plasma cells at the stated sensitivity.
    Negative,
    /// Clonal plasma cells detected.
    Positive,
}

/// Sample an MRD test was run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MrdSample {
    /// Bone-marrow aspirate (the IMWG sample).
    BoneMarrow,
    /// Peripheral blood.
    PeripheralBlood,
}

/// One MRD result: method, sensitivity, sample and date are all part of it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MrdResult {
    /// Date of the sample.
    pub date: Date,
    /// Method.
    pub method: MrdMethod,
    /// Sensitivity as the negative power of ten: 5 means 1 in 10⁵, 6 means 1 in 10⁶.
    pub sensitivity_log10: u8,
    /// Sample.
    pub sample: MrdSample,
    /// Result.
    pub result: MrdStatus,
    /// PET/CT: every area of increased uptake resolved (imaging-plus MRD), where done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pet_ct_negative: Option<bool>,
}
