//! Response assessments as validated: each quantity of a row of the response time series typed
//! in its canonical unit, converted once, here (the response assessment reads these values and
//! never the record's).

use serde::Serialize;

use super::labs::{BoneMarrowPlasmaCells, FreeLightChain, LabValue, SerumMProtein, UrineMProtein};
use crate::error::Result;
use crate::record::{Date, Immunofixation, RawQuantity, ResponseAssessmentInput};

/// One response assessment (a row of `response_assessments`), validated: every quantity in a
/// unit its analyte accepts and within its plausible range, stored in the canonical unit.
///
/// In JSON (a plan's `basis.inputs`) it is the assessment as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValues {
    recorded: ResponseAssessmentInput,
    serum_m_protein: Option<LabValue<SerumMProtein>>,
    urine_m_protein: Option<LabValue<UrineMProtein>>,
    serum_flc_kappa: Option<LabValue<FreeLightChain>>,
    serum_flc_lambda: Option<LabValue<FreeLightChain>>,
    bone_marrow_plasma_cells: Option<LabValue<BoneMarrowPlasmaCells>>,
}

fn typed<A: super::labs::Analyte>(field: &str, name: &str, raw: &Option<RawQuantity>) -> Result<Option<LabValue<A>>> {
    raw.as_ref().map(|r| LabValue::<A>::from_raw(&format!("{field}.{name}"), r)).transpose()
}

impl ResponseValues {
    /// Validate the assessment at `field` (`response_assessments[i]`); errors name
    /// `field.<quantity>.value` or `.unit` with the unit and the accepted range.
    pub(crate) fn validate(a: &ResponseAssessmentInput, field: &str) -> Result<Self> {
        Ok(Self {
            serum_m_protein: typed(field, "serum_m_protein", &a.serum_m_protein)?,
            urine_m_protein: typed(field, "urine_m_protein", &a.urine_m_protein)?,
            serum_flc_kappa: typed(field, "serum_flc_kappa", &a.serum_flc_kappa)?,
            serum_flc_lambda: typed(field, "serum_flc_lambda", &a.serum_flc_lambda)?,
            bone_marrow_plasma_cells: typed(field, "bone_marrow_plasma_cells", &a.bone_marrow_plasma_cells)?,
            recorded: a.clone(),
        })
    }

    /// The assessment as recorded (units as written).
    pub fn recorded(&self) -> &ResponseAssessmentInput {
        &self.recorded
    }
    /// Date of the samples.
    pub fn date(&self) -> Option<Date> {
        self.recorded.date
    }
    /// Serum M-protein.
    pub fn serum_m_protein(&self) -> Option<LabValue<SerumMProtein>> {
        self.serum_m_protein
    }
    /// 24-hour urine M-protein.
    pub fn urine_m_protein(&self) -> Option<LabValue<UrineMProtein>> {
        self.urine_m_protein
    }
    /// Serum free κ.
    pub fn serum_flc_kappa(&self) -> Option<LabValue<FreeLightChain>> {
        self.serum_flc_kappa
    }
    /// Serum free λ.
    pub fn serum_flc_lambda(&self) -> Option<LabValue<FreeLightChain>> {
        self.serum_flc_lambda
    }
    /// Bone-marrow plasma cells.
    pub fn bone_marrow_plasma_cells(&self) -> Option<LabValue<BoneMarrowPlasmaCells>> {
        self.bone_marrow_plasma_cells
    }
    /// Serum immunofixation.
    pub fn serum_immunofixation(&self) -> Option<Immunofixation> {
        self.recorded.serum_immunofixation
    }
    /// Urine immunofixation.
    pub fn urine_immunofixation(&self) -> Option<Immunofixation> {
        self.recorded.urine_immunofixation
    }
    /// Clonal plasma cells in the marrow biopsy by immunohistochemistry.
    pub fn clonal_cells_by_ihc(&self) -> Option<bool> {
        self.recorded.clonal_cells_by_ihc
    }
    /// Soft-tissue plasmacytomas present at this assessment.
    pub fn soft_tissue_plasmacytoma(&self) -> Option<bool> {
        self.recorded.soft_tissue_plasmacytoma
    }
    /// New bone lesions or plasmacytomas, or a definite increase in existing ones.
    pub fn new_lesions(&self) -> Option<bool> {
        self.recorded.new_lesions
    }
}

/// JSON: the assessment as recorded, exactly as before the values were typed (the plan's basis
/// shows what was entered; the response result shows the values as understood).
impl Serialize for ResponseValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.recorded.serialize(s)
    }
}
