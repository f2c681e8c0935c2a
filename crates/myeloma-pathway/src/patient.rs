//! The patient record: the one JSON contract shared by Rust, Python and C.
//!
//! [`PatientRecord`] is the record as written (JSON, or built in Rust); it rejects unknown keys so
//! that a misspelt field cannot silently send a patient down the wrong path (clinical-reference
//! §12). [`Patient`] is the validated form: every lab value typed with its unit and checked for
//! plausibility, cytogenetics as a tri-state profile. The schema is `docs/patient.schema.json`.
//!
//! No names, record numbers or birth dates: the record carries age in years only.

use serde::{Deserialize, Serialize};

use crate::cytogenetics::{CytogeneticProfile, Finding};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::labs::{
    check_range, Albumin, Beta2Microglobulin, BoneMarrowPlasmaCells, Calcium, Creatinine, FreeLightChain, Hemoglobin,
    LabValue, Ldh, RawQuantity, SerumMProtein, UrineMProtein,
};
use crate::pathway::HistoryEntry;
use crate::response::{MrdResult, ResponseAssessmentInput};

/// Current schema version of the patient record.
pub const SCHEMA_VERSION: &str = "1";

/// Largest accepted JSON document, in bytes.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// Deepest accepted JSON nesting.
pub const MAX_JSON_DEPTH: usize = 32;
/// Most entries accepted in any list of the record (history, findings, assessments).
pub const MAX_LIST_LEN: usize = 1000;

/// Sex, as needed by Cockcroft-Gault and ideal body weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Inputs of the IMWG frailty score (Palumbo 2015).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrailtyInputs {
    /// Charlson Comorbidity Index (0–37).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charlson: Option<u8>,
    /// Katz Activities of Daily Living, 0–6 (6 = independent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub katz_adl: Option<u8>,
    /// Lawton Instrumental Activities of Daily Living, 0–8 (8 = independent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lawton_iadl: Option<u8>,
}

/// Organ function and conditions that gate transplant or exclude drugs.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganFunction {
    /// Left-ventricular ejection fraction, %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lvef_pct: Option<f64>,
    /// Diffusing capacity (DLCO), % predicted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlco_pct: Option<f64>,
    /// Total bilirubin as a multiple of the upper limit of normal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bilirubin_x_uln: Option<f64>,
    /// NYHA heart-failure class 1–4, or 0 for no heart failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nyha_class: Option<u8>,
    /// On dialysis for end-stage renal disease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_dialysis: Option<bool>,
    /// Peripheral neuropathy grade (NCI-CTCAE 0–4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peripheral_neuropathy_grade: Option<u8>,
    /// Whether the neuropathy is painful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neuropathy_with_pain: Option<bool>,
    /// Active infection at the time of the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_infection: Option<bool>,
}

/// Laboratory values, each with its unit.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabsInput {
    /// Serum creatinine (mg/dL or µmol/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creatinine: Option<RawQuantity>,
    /// Measured or estimated creatinine clearance, mL/min (overrides Cockcroft-Gault when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creatinine_clearance_ml_min: Option<f64>,
    /// Serum albumin (g/dL or g/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub albumin: Option<RawQuantity>,
    /// Serum β2-microglobulin (mg/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta2_microglobulin: Option<RawQuantity>,
    /// Serum LDH (U/L); requires `ldh_upper_limit_of_normal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldh: Option<RawQuantity>,
    /// The laboratory's upper limit of normal for LDH (U/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldh_upper_limit_of_normal: Option<RawQuantity>,
    /// Serum calcium (mg/dL or mmol/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calcium: Option<RawQuantity>,
    /// The laboratory's upper limit of normal for calcium.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calcium_upper_limit_of_normal: Option<RawQuantity>,
    /// Haemoglobin (g/dL or g/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hemoglobin: Option<RawQuantity>,
    /// The laboratory's lower limit of normal for haemoglobin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hemoglobin_lower_limit_of_normal: Option<RawQuantity>,
    /// Serum M-protein (g/dL or g/L).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_m_protein: Option<RawQuantity>,
    /// 24-h urine M-protein (mg/24h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urine_m_protein: Option<RawQuantity>,
    /// Serum free κ light chain (mg/L or mg/dL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_flc_kappa: Option<RawQuantity>,
    /// Serum free λ light chain (mg/L or mg/dL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serum_flc_lambda: Option<RawQuantity>,
    /// Clonal bone-marrow plasma cells (%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bone_marrow_plasma_cells: Option<RawQuantity>,
}

/// Clinical findings for the IMWG 2014 diagnosis that are not laboratory values.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisInputs {
    /// A biopsy-proven bony or extramedullary plasmacytoma.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biopsy_proven_plasmacytoma: Option<bool>,
    /// Number of osteolytic lesions on skeletal radiography, CT or PET-CT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osteolytic_lesions: Option<u16>,
    /// Number of focal lesions on MRI, each at least 5 mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mri_focal_lesions: Option<u16>,
    /// The clinician's judgement that the CRAB features are attributable to the plasma-cell
    /// disorder (IMWG 2014: not derivable from labs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crab_attributable: Option<bool>,
    /// AL amyloidosis present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amyloidosis: Option<bool>,
    /// The involved light chain (`kappa` or `lambda`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub involved_light_chain: Option<LightChain>,
    /// Whether a solitary plasmacytoma was the only lesion on MRI/CT of spine and pelvis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solitary_lesion_only: Option<bool>,
}

/// The involved light chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LightChain {
    /// κ.
    Kappa,
    /// λ.
    Lambda,
}

/// The patient record as written. Unknown keys are refused.
///
/// Absent values are unknown, never normal: every assessment that needs one reports it in its
/// `missing_inputs` with the test that would supply it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PatientRecord {
    /// Schema version; `"1"` when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// Age in whole years (18–120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<u16>,
    /// Sex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Actual body weight, kg (25–350).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<f64>,
    /// Height, cm (100–250).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<f64>,
    /// ECOG performance status (0–4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecog: Option<u8>,
    /// Frailty-score inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frailty: Option<FrailtyInputs>,
    /// Organ function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organ_function: Option<OrganFunction>,
    /// Laboratory values with units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labs: Option<LabsInput>,
    /// Cytogenetic findings; an abnormality not listed is *not tested*.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cytogenetics: Vec<Finding>,
    /// Non-laboratory diagnostic findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<DiagnosisInputs>,
    /// Pathway events so far, oldest first; replayed through the state machine to place the
    /// patient on the pathway. Empty: newly diagnosed, not yet treated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    /// Response assessments (disease measurements over time), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_assessments: Vec<ResponseAssessmentInput>,
    /// Minimal-residual-disease results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mrd: Vec<MrdResult>,
}

/// Validated laboratory values.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Labs {
    /// Serum creatinine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creatinine: Option<LabValue<Creatinine>>,
    /// Creatinine clearance given by the caller, mL/min.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creatinine_clearance_ml_min: Option<f64>,
    /// Serum albumin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub albumin: Option<LabValue<Albumin>>,
    /// Serum β2-microglobulin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta2_microglobulin: Option<LabValue<Beta2Microglobulin>>,
    /// Serum LDH.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldh: Option<LabValue<Ldh>>,
    /// LDH upper limit of normal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldh_upper_limit_of_normal: Option<LabValue<Ldh>>,
    /// Serum calcium.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calcium: Option<LabValue<Calcium>>,
    /// Calcium upper limit of normal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calcium_upper_limit_of_normal: Option<LabValue<Calcium>>,
    /// Haemoglobin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hemoglobin: Option<LabValue<Hemoglobin>>,
    /// Haemoglobin lower limit of normal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hemoglobin_lower_limit_of_normal: Option<LabValue<Hemoglobin>>,
    /// Serum M-protein.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serum_m_protein: Option<LabValue<SerumMProtein>>,
    /// Urine M-protein.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urine_m_protein: Option<LabValue<UrineMProtein>>,
    /// Serum free κ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serum_flc_kappa: Option<LabValue<FreeLightChain>>,
    /// Serum free λ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serum_flc_lambda: Option<LabValue<FreeLightChain>>,
    /// Bone-marrow plasma cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bone_marrow_plasma_cells: Option<LabValue<BoneMarrowPlasmaCells>>,
}

impl Labs {
    /// Whether LDH is above the laboratory's upper limit of normal: `None` when either is missing.
    /// "High LDH" = above the ULN (R-ISS, clinical-reference §2.2).
    pub fn ldh_high(&self) -> Option<bool> {
        Some(self.ldh?.canonical() > self.ldh_upper_limit_of_normal?.canonical())
    }
}

/// A validated patient: what every assessment and the engine read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patient {
    /// The record as given (kept whole: nothing is lost).
    #[serde(skip)]
    pub record: PatientRecord,
    /// Age in years.
    pub age_years: Option<u16>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Weight, kg.
    pub weight_kg: Option<f64>,
    /// Height, cm.
    pub height_cm: Option<f64>,
    /// ECOG 0–4.
    pub ecog: Option<u8>,
    /// Frailty inputs.
    pub frailty: FrailtyInputs,
    /// Organ function.
    pub organ_function: OrganFunction,
    /// Typed labs.
    pub labs: Labs,
    /// Cytogenetic profile.
    pub cytogenetics: CytogeneticProfile,
    /// Diagnostic findings.
    pub diagnosis: DiagnosisInputs,
}

fn lab<A: crate::labs::Analyte>(field: &str, raw: &Option<RawQuantity>) -> Result<Option<LabValue<A>>> {
    raw.as_ref().map(|r| LabValue::<A>::from_raw(field, r)).transpose()
}

fn opt_range(field: &str, v: Option<f64>, unit: &str, lo: f64, hi: f64) -> Result<Option<f64>> {
    v.map(|x| check_range(field, x, unit, lo, hi)).transpose()
}

fn opt_int(field: &str, v: Option<impl Into<f64> + Copy>, unit: &str, lo: f64, hi: f64) -> Result<()> {
    if let Some(x) = v {
        check_range(field, x.into(), unit, lo, hi)?;
    }
    Ok(())
}

fn json_depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(json_depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Parse JSON into `T` with the documented size and depth limits, unknown keys refused, and the
/// offending field named as a dotted path.
///
/// # Errors
/// [`Error::LimitExceeded`] past the limits; [`Error::InvalidJson`] for syntax, type and
/// unknown-key errors.
pub fn parse_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    if json.len() > MAX_JSON_BYTES {
        return Err(Error::LimitExceeded {
            what: "JSON document (bytes)".into(),
            limit: MAX_JSON_BYTES,
            actual: json.len(),
        });
    }
    // serde_json refuses nesting deeper than 128 itself; we check our lower limit on the tree.
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::InvalidJson { field: ".".into(), message: format!("{e}") })?;
    let depth = json_depth(&value);
    if depth > MAX_JSON_DEPTH {
        return Err(Error::LimitExceeded { what: "JSON nesting depth".into(), limit: MAX_JSON_DEPTH, actual: depth });
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::InvalidJson {
            field: if path.is_empty() { ".".into() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

impl PatientRecord {
    /// Parse a record from JSON (limits, unknown keys refused).
    ///
    /// # Errors
    /// See [`parse_json`].
    pub fn from_json(json: &str) -> Result<Self> {
        parse_json(json)
    }

    /// The record as JSON (canonical key order of the struct).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Validate into a [`Patient`].
    ///
    /// # Errors
    /// Range, unit and consistency errors naming the field.
    pub fn validate(&self) -> Result<Patient> {
        if let Some(v) = &self.schema_version {
            if v != SCHEMA_VERSION {
                return Err(Error::invalid(
                    "schema_version",
                    format!("`{v}` is not supported; this library reads schema version {SCHEMA_VERSION}"),
                ));
            }
        }
        for (what, n) in [
            ("cytogenetics", self.cytogenetics.len()),
            ("history", self.history.len()),
            ("response_assessments", self.response_assessments.len()),
            ("mrd", self.mrd.len()),
        ] {
            if n > MAX_LIST_LEN {
                return Err(Error::LimitExceeded { what: format!("{what} (entries)"), limit: MAX_LIST_LEN, actual: n });
            }
        }
        opt_int("age_years", self.age_years, "years", 18.0, 120.0)?;
        let weight_kg = opt_range("weight_kg", self.weight_kg, "kg", 25.0, 350.0)?;
        let height_cm = opt_range("height_cm", self.height_cm, "cm", 100.0, 250.0)?;
        opt_int("ecog", self.ecog, "ECOG grade", 0.0, 4.0)?;
        let frailty = self.frailty.clone().unwrap_or_default();
        opt_int("frailty.charlson", frailty.charlson, "points", 0.0, 37.0)?;
        opt_int("frailty.katz_adl", frailty.katz_adl, "points", 0.0, 6.0)?;
        opt_int("frailty.lawton_iadl", frailty.lawton_iadl, "points", 0.0, 8.0)?;
        let organ = self.organ_function.clone().unwrap_or_default();
        opt_range("organ_function.lvef_pct", organ.lvef_pct, "%", 5.0, 90.0)?;
        opt_range("organ_function.dlco_pct", organ.dlco_pct, "% predicted", 5.0, 200.0)?;
        opt_range("organ_function.bilirubin_x_uln", organ.bilirubin_x_uln, "x ULN", 0.0, 50.0)?;
        opt_int("organ_function.nyha_class", organ.nyha_class, "NYHA class", 0.0, 4.0)?;
        opt_int(
            "organ_function.peripheral_neuropathy_grade",
            organ.peripheral_neuropathy_grade,
            "CTCAE grade",
            0.0,
            4.0,
        )?;
        let l = self.labs.clone().unwrap_or_default();
        let labs = Labs {
            creatinine: lab("labs.creatinine", &l.creatinine)?,
            creatinine_clearance_ml_min: opt_range(
                "labs.creatinine_clearance_ml_min",
                l.creatinine_clearance_ml_min,
                "mL/min",
                1.0,
                250.0,
            )?,
            albumin: lab("labs.albumin", &l.albumin)?,
            beta2_microglobulin: lab("labs.beta2_microglobulin", &l.beta2_microglobulin)?,
            ldh: lab("labs.ldh", &l.ldh)?,
            ldh_upper_limit_of_normal: lab("labs.ldh_upper_limit_of_normal", &l.ldh_upper_limit_of_normal)?,
            calcium: lab("labs.calcium", &l.calcium)?,
            calcium_upper_limit_of_normal: lab("labs.calcium_upper_limit_of_normal", &l.calcium_upper_limit_of_normal)?,
            hemoglobin: lab("labs.hemoglobin", &l.hemoglobin)?,
            hemoglobin_lower_limit_of_normal: lab(
                "labs.hemoglobin_lower_limit_of_normal",
                &l.hemoglobin_lower_limit_of_normal,
            )?,
            serum_m_protein: lab("labs.serum_m_protein", &l.serum_m_protein)?,
            urine_m_protein: lab("labs.urine_m_protein", &l.urine_m_protein)?,
            serum_flc_kappa: lab("labs.serum_flc_kappa", &l.serum_flc_kappa)?,
            serum_flc_lambda: lab("labs.serum_flc_lambda", &l.serum_flc_lambda)?,
            bone_marrow_plasma_cells: lab("labs.bone_marrow_plasma_cells", &l.bone_marrow_plasma_cells)?,
        };
        if labs.ldh.is_some() && labs.ldh_upper_limit_of_normal.is_none() {
            return Err(Error::MissingField {
                field: "labs.ldh_upper_limit_of_normal".into(),
                message: "LDH is read against the laboratory's own upper limit of normal; give it with the LDH value"
                    .into(),
            });
        }
        let cytogenetics = CytogeneticProfile::from_findings("cytogenetics", &self.cytogenetics)?;
        let diagnosis = self.diagnosis.clone().unwrap_or_default();
        opt_int("diagnosis.osteolytic_lesions", diagnosis.osteolytic_lesions, "lesions", 0.0, 1000.0)?;
        opt_int("diagnosis.mri_focal_lesions", diagnosis.mri_focal_lesions, "lesions", 0.0, 1000.0)?;
        check_dates_ordered("response_assessments", self.response_assessments.iter().map(|a| a.date.as_ref()))?;
        check_dates_ordered("history", self.history.iter().map(|h| h.date.as_ref()))?;
        check_dates_ordered("mrd", self.mrd.iter().map(|m| Some(&m.date)))?;
        for (i, a) in self.response_assessments.iter().enumerate() {
            a.validate(&format!("response_assessments[{i}]"))?;
        }
        for (i, m) in self.mrd.iter().enumerate() {
            m.validate(&format!("mrd[{i}]"))?;
        }
        Ok(Patient {
            record: self.clone(),
            age_years: self.age_years,
            sex: self.sex,
            weight_kg,
            height_cm,
            ecog: self.ecog,
            frailty,
            organ_function: organ,
            labs,
            cytogenetics,
            diagnosis,
        })
    }
}

impl Patient {
    /// Parse and validate a record from JSON.
    ///
    /// # Errors
    /// Any parse or validation error, naming the field.
    ///
    /// # Example
    /// ```
    /// let p = myeloma_pathway::Patient::from_json(r#"{"age_years": 60}"#).unwrap();
    /// assert_eq!(p.age_years, Some(60));
    /// assert!(myeloma_pathway::Patient::from_json(r#"{"age": 60}"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        PatientRecord::from_json(json)?.validate()
    }

    /// The record the patient was validated from.
    pub fn record(&self) -> &PatientRecord {
        &self.record
    }
}

/// Whether a record has a date-ordered list; used to refuse unordered dated lists.
pub(crate) fn check_dates_ordered<'a>(field: &str, dates: impl Iterator<Item = Option<&'a Date>>) -> Result<()> {
    let mut last: Option<&Date> = None;
    for (i, d) in dates.enumerate() {
        if let (Some(prev), Some(d)) = (last, d) {
            if d < prev {
                return Err(Error::invalid(
                    format!("{field}[{i}].date"),
                    format!("{d} is earlier than the entry before it ({prev}); list entries oldest first"),
                ));
            }
        }
        if d.is_some() {
            last = d;
        }
    }
    Ok(())
}
