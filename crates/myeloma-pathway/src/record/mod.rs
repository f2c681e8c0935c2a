//! The patient record: the one JSON contract shared by Rust, Python, C and FHIR.
//!
//! Pure data (serde only, a leaf: it imports nothing clinical). [`PatientRecord`] is the record
//! as written; it rejects unknown keys so that a misspelt field cannot silently send a patient
//! down the wrong path (docs/clinical-basis.md, Pitfalls). Validation into [`crate::Patient`] is the
//! `patient` module's job. The schema is `docs/patient.schema.json`.
//!
//! No names, record numbers or birth dates: the record carries age in years only.

use serde::{Deserialize, Serialize};

mod cytogenetics;
mod date;
mod drug;
mod history;
mod response;
mod therapy;

pub use cytogenetics::{Abnormality, Finding, Method, Status};
pub use date::Date;
pub use drug::{Drug, DrugClass, Route};
pub use history::{ConsolidationRoute, Event, HistoryEntry, Phase, Refusal};
pub use response::{
    Immunofixation, MrdMethod, MrdResult, MrdSample, MrdStatus, ResponseAssessmentInput, ResponseCategory,
};
pub use therapy::{
    CarTCourseRecord, StatedFact, StatedKind, StopReason, TherapyExposure, TherapyRole, TransplantRecord,
    TreatmentHistory,
};

/// Current schema version of the patient record.
pub const SCHEMA_VERSION: &str = "1";

/// Most entries accepted in any list of the record (history, findings, assessments).
pub const MAX_LIST_LEN: usize = 1000;

/// Sex, as needed by Cockcroft-Gault and ideal body weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Inputs of the IMWG frailty score (Palumbo 2015).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
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

/// What the pregnancy prevention programmes of lenalidomide and pomalidomide ask before they start
/// (US REMS, EU Pregnancy Prevention Programme; docs/dosing.md, "Pregnancy prevention").
/// `childbearing_potential` and `reliable_contraception` are about a patient who could become
/// pregnant (refused with `sex: male`); `partner_of_childbearing_potential` and
/// `condom_use_agreed` are about a male patient (refused unless `sex: male`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PregnancyPrevention {
    /// Of childbearing (reproductive) potential, as the label defines it (EU: unless at least one
    /// of: age ≥ 50 and naturally amenorrhoeic ≥ 1 year, premature ovarian failure confirmed by a
    /// gynaecologist, bilateral salpingo-oophorectomy or hysterectomy, XY genotype, Turner
    /// syndrome, uterine agenesis; amenorrhoea after cancer therapy does not rule it out).
    /// Unknown for a patient not recorded as male → reported missing with an IMiD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub childbearing_potential: Option<bool>,
    /// Contraception as the programme of the guideline's jurisdiction requires is in place (US:
    /// two reliable methods used simultaneously, or continuous abstinence from heterosexual
    /// contact; EU: effective contraception without interruption from 4 weeks before starting).
    /// `false` with childbearing potential excludes lenalidomide and pomalidomide; unknown with
    /// childbearing potential (or it unknown) is reported missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_contraception: Option<bool>,
    /// A male patient has a sexual partner who is pregnant or of childbearing (reproductive)
    /// potential (a female partner of a male patient is of childbearing potential unless she meets
    /// the label's criteria, as for `childbearing_potential`). `false`: no condom rule applies and
    /// nothing is asked. Only with `sex: male`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_of_childbearing_potential: Option<bool>,
    /// A male patient has agreed to the programme's condom use (US Revlimid and Pomalyst: a latex
    /// or synthetic condom during any sexual contact with a female of reproductive potential, even
    /// after a successful vasectomy; EU Imnovid: "the required contraceptive measures"). `false`
    /// with a partner of childbearing potential excludes pomalidomide (US, EU) and lenalidomide
    /// (US); unknown with such a partner (or the partner unknown) is reported missing. Only with
    /// `sex: male`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condom_use_agreed: Option<bool>,
    /// A male patient's partner who is pregnant or of childbearing potential uses effective
    /// contraception (`false` for a pregnant partner). Read only for lenalidomide under EU labels,
    /// whose condom rule applies when the partner "does not use effective methods of
    /// contraception" (EU Revlimid package leaflet, `len-ppp-eu-male`): `true` asks nothing more;
    /// `false` with condom use not agreed excludes lenalidomide; unknown where it decides is
    /// reported missing. Only with `sex: male`. Additive, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_uses_effective_contraception: Option<bool>,
}

/// Organ function and conditions that gate transplant or exclude drugs.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// Absolute neutrophil count (10^9/L, or /µL = /mcL = cells per microlitre), for the labels'
    /// start-of-treatment and new-cycle thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anc: Option<RawQuantity>,
    /// Platelet count (10^9/L, or /µL = /mcL), for the labels' start-of-treatment and new-cycle
    /// thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platelets: Option<RawQuantity>,
}

/// Clinical findings for the IMWG 2014 diagnosis that are not laboratory values.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// The heavy-chain isotype of the serum M-protein on immunofixation (`igg`, `iga`, `igm`,
    /// `igd`, `ige`): the Mayo 2005 MGUS risk strata count a non-IgG isotype as a risk factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heavy_chain: Option<HeavyChain>,
}

/// The heavy-chain isotype of the M-protein.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeavyChain {
    /// IgG.
    Igg,
    /// IgA.
    Iga,
    /// IgM.
    Igm,
    /// IgD.
    Igd,
    /// IgE.
    Ige,
}

impl HeavyChain {
    /// In words, as text output shows it.
    pub fn label(&self) -> &'static str {
        match self {
            HeavyChain::Igg => "IgG",
            HeavyChain::Iga => "IgA",
            HeavyChain::Igm => "IgM",
            HeavyChain::Igd => "IgD",
            HeavyChain::Ige => "IgE",
        }
    }
}

/// The involved light chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// Currently pregnant (a positive pregnancy test). Lenalidomide and pomalidomide are not
    /// offered in pregnancy (US REMS, EU Pregnancy Prevention Programme); for a patient who is
    /// not male, an unknown value is reported missing where it would exclude an option. `true`
    /// with `sex: male` is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregnant: Option<bool>,
    /// Childbearing potential and contraception, for the IMiD pregnancy prevention programmes
    /// (additive, optional). `pregnant: true` with `childbearing_potential: false` is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregnancy_prevention: Option<PregnancyPrevention>,
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
    /// Dated treatment history (drug exposures, progressions, transplants, stated facts): lines
    /// of therapy, exposure and refractoriness are derived from it (`crate::history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment_history: Option<TreatmentHistory>,
}

/// A value as it appears in the patient record: a number and its unit.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuantity {
    /// The number, in `unit`.
    pub value: f64,
    /// The unit, e.g. `mg/dL`, `µmol/L` (also `umol/L`), `g/L`.
    pub unit: String,
}
