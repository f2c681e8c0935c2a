//! The validated patient: what every assessment and the engine read.
//!
//! [`Patient`] is built only by validating a [`PatientRecord`] ([`PatientRecord::validate`] or
//! [`Patient::from_json`]): every lab value typed with its unit and checked for plausibility,
//! cytogenetics as a tri-state profile, dated lists in order. Its fields are private, so an
//! invalid patient cannot be built from Rust either.

use serde::Serialize;

use crate::error::{check_range, Error, Result};
use crate::record::{
    Date, DiagnosisInputs, FrailtyInputs, HistoryEntry, MrdResult, OrganFunction, PatientRecord, PregnancyPrevention,
    RawQuantity, ResponseAssessmentInput, Sex, MAX_LIST_LEN, SCHEMA_VERSION,
};

pub mod cytogenetics;
pub mod labs;
mod response;

pub use cytogenetics::CytogeneticProfile;
use labs::{
    Albumin, Beta2Microglobulin, BoneMarrowPlasmaCells, Calcium, Creatinine, FreeLightChain, Hemoglobin, LabValue, Ldh,
    NeutrophilCount, PlateletCount, SerumMProtein, UrineMProtein,
};
pub use response::ResponseValues;

/// Validated laboratory values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
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
    /// Absolute neutrophil count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anc: Option<LabValue<NeutrophilCount>>,
    /// Platelet count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platelets: Option<LabValue<PlateletCount>>,
}

impl Labs {
    /// Whether LDH is above the laboratory's upper limit of normal: `None` when either is missing.
    /// The error for an LDH given without the laboratory's upper limit of normal (shared with the
    /// batch path).
    pub fn ldh_without_uln() -> Error {
        Error::MissingField {
            field: "labs.ldh_upper_limit_of_normal".into(),
            message: "LDH is read against the laboratory's own upper limit of normal; give it with the LDH value"
                .into(),
        }
    }

    /// "High LDH" = above the ULN (R-ISS, `r-iss-2015`).
    pub fn ldh_high(&self) -> Option<bool> {
        Some(ldh_above_uln(self.ldh?.canonical(), self.ldh_upper_limit_of_normal?.canonical()))
    }
}

/// The error for an LDH given without the laboratory's upper limit of normal (shared with the
/// batch path).
pub fn ldh_without_uln() -> Error {
    Error::MissingField {
        field: "labs.ldh_upper_limit_of_normal".into(),
        message: "LDH is read against the laboratory's own upper limit of normal; give it with the LDH value".into(),
    }
}

/// "High LDH" = above the laboratory's upper limit of normal (R-ISS, R2-ISS; `r-iss-2015`,
/// `r2-iss-2022`), both in U/L: the one comparison the per-patient and the batch paths share.
#[inline]
pub fn ldh_above_uln(ldh_u_l: f64, uln_u_l: f64) -> bool {
    ldh_u_l > uln_u_l
}

/// A validated patient: what every assessment and the engine read.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Patient {
    /// Age in years.
    pub(crate) age_years: Option<u16>,
    /// Sex.
    pub(crate) sex: Option<Sex>,
    /// Currently pregnant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pregnant: Option<bool>,
    /// Childbearing potential and contraception (IMiD pregnancy prevention programmes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pregnancy_prevention: Option<PregnancyPrevention>,
    /// Weight, kg.
    pub(crate) weight_kg: Option<f64>,
    /// Height, cm.
    pub(crate) height_cm: Option<f64>,
    /// ECOG 0–4.
    pub(crate) ecog: Option<u8>,
    /// Frailty inputs.
    pub(crate) frailty: FrailtyInputs,
    /// Organ function.
    pub(crate) organ_function: OrganFunction,
    /// Typed labs.
    pub(crate) labs: Labs,
    /// Cytogenetic profile.
    pub(crate) cytogenetics: CytogeneticProfile,
    /// Diagnostic findings.
    pub(crate) diagnosis: DiagnosisInputs,
    /// Pathway events so far, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) history: Vec<HistoryEntry>,
    /// Response assessments, oldest first (units checked).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<ResponseAssessmentInput>")]
    pub(crate) response_assessments: Vec<ResponseValues>,
    /// MRD results, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) mrd: Vec<MrdResult>,
    /// Dated treatment history (dates checked: start ≤ last dose ≤ stop).
    #[serde(skip)]
    pub(crate) treatment_history: Option<crate::record::TreatmentHistory>,
}

fn lab<A: labs::Analyte>(field: &str, raw: &Option<RawQuantity>) -> Result<Option<LabValue<A>>> {
    raw.as_ref().map(|r| LabValue::<A>::from_raw(field, r)).transpose()
}

/// The integer fields of the patient record with their unit and accepted range: one table, read
/// by [`PatientRecord::validate`] and by [`check_integer`] (which front ends with wider integer
/// types, such as the C API, call before narrowing, so that 65 596 is refused and never wraps).
pub const INTEGER_FIELDS: [(&str, &str, i64, i64); 9] = [
    ("age_years", "years", 18, 120),
    ("ecog", "ECOG grade", 0, 4),
    ("frailty.charlson", "points", 0, 37),
    ("frailty.katz_adl", "points", 0, 6),
    ("frailty.lawton_iadl", "points", 0, 8),
    ("organ_function.nyha_class", "NYHA class", 0, 4),
    ("organ_function.peripheral_neuropathy_grade", "CTCAE grade", 0, 4),
    ("diagnosis.osteolytic_lesions", "lesions", 0, 1000),
    ("diagnosis.mri_focal_lesions", "lesions", 0, 1000),
];

/// The other numeric fields of the patient record with their unit and accepted (plausibility)
/// range: one table, read by [`PatientRecord::validate`] and by the JSON Schema
/// (`docs/patient.schema.json`). `[]` stands for every entry of a list
/// (`mrd[].sensitivity_log10` is checked as `mrd[3].sensitivity_log10`).
pub const NUMBER_FIELDS: [(&str, &str, f64, f64); 11] = [
    ("weight_kg", "kg", 25.0, 350.0),
    ("height_cm", "cm", 100.0, 250.0),
    ("organ_function.lvef_pct", "%", 5.0, 90.0),
    ("organ_function.dlco_pct", "% predicted", 5.0, 200.0),
    ("organ_function.bilirubin_x_uln", "x ULN", 0.0, 50.0),
    ("labs.creatinine_clearance_ml_min", "mL/min", 1.0, 250.0),
    ("cytogenetics[].clonal_fraction_pct", "%", 0.0, 100.0),
    ("cytogenetics[].copies", "copies", 3.0, 20.0),
    ("cytogenetics[].copies_lost", "copies", 1.0, 2.0),
    ("mrd[].sensitivity_log10", "log10", 4.0, 7.0),
    ("treatment_history.therapies[].toxicity_grade", "CTCAE grade", 1.0, 5.0),
];

/// Check `value` of the field `field` (its path with list indices) against the row `listed` of
/// [`NUMBER_FIELDS`].
pub(crate) fn check_number(listed: &str, field: &str, value: f64) -> Result<f64> {
    let Some((_, unit, lo, hi)) = NUMBER_FIELDS.iter().find(|(f, ..)| *f == listed) else {
        return Err(Error::UnknownIdentifier {
            field: "field".into(),
            kind: "number field".into(),
            id: listed.chars().take(64).collect(),
        });
    };
    check_range(field, value, unit, *lo, *hi)
}

fn opt_listed_number(field: &str, v: Option<f64>) -> Result<Option<f64>> {
    v.map(|x| check_number(field, field, x)).transpose()
}

/// Check one integer field of the record against its accepted range, as
/// [`PatientRecord::validate`] does, for a value of any width.
///
/// # Errors
/// [`Error::OutOfRange`] naming the field, unit and range (the same error `validate` gives);
/// [`Error::UnknownIdentifier`] for a field not in [`INTEGER_FIELDS`].
pub fn check_integer(field: &str, value: i64) -> Result<()> {
    let Some((_, unit, lo, hi)) = INTEGER_FIELDS.iter().find(|(f, ..)| *f == field) else {
        return Err(Error::UnknownIdentifier {
            field: "field".into(),
            kind: "integer field".into(),
            id: crate::error::echo(field),
        });
    };
    // i64 -> f64 is exact for every value inside the ranges; outside them it only needs to stay
    // outside, which rounding cannot undo.
    #[allow(clippy::cast_precision_loss)]
    check_range(field, value as f64, unit, *lo as f64, *hi as f64).map(|_| ())
}

/// An integer field listed in [`INTEGER_FIELDS`], checked against its row.
fn opt_listed_int(field: &str, v: Option<impl Into<i64> + Copy>) -> Result<()> {
    match v {
        Some(x) => check_integer(field, x.into()),
        None => Ok(()),
    }
}

impl PatientRecord {
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
        opt_listed_int("age_years", self.age_years)?;
        let weight_kg = opt_listed_number("weight_kg", self.weight_kg)?;
        let height_cm = opt_listed_number("height_cm", self.height_cm)?;
        opt_listed_int("ecog", self.ecog)?;
        let frailty = self.frailty.clone().unwrap_or_default();
        opt_listed_int("frailty.charlson", frailty.charlson)?;
        opt_listed_int("frailty.katz_adl", frailty.katz_adl)?;
        opt_listed_int("frailty.lawton_iadl", frailty.lawton_iadl)?;
        let organ = self.organ_function.clone().unwrap_or_default();
        opt_listed_number("organ_function.lvef_pct", organ.lvef_pct)?;
        opt_listed_number("organ_function.dlco_pct", organ.dlco_pct)?;
        opt_listed_number("organ_function.bilirubin_x_uln", organ.bilirubin_x_uln)?;
        opt_listed_int("organ_function.nyha_class", organ.nyha_class)?;
        opt_listed_int("organ_function.peripheral_neuropathy_grade", organ.peripheral_neuropathy_grade)?;
        let l = self.labs.clone().unwrap_or_default();
        let labs = Labs {
            creatinine: lab("labs.creatinine", &l.creatinine)?,
            creatinine_clearance_ml_min: opt_listed_number(
                "labs.creatinine_clearance_ml_min",
                l.creatinine_clearance_ml_min,
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
            anc: lab("labs.anc", &l.anc)?,
            platelets: lab("labs.platelets", &l.platelets)?,
        };
        if self.pregnant == Some(true) && self.sex == Some(Sex::Male) {
            return Err(Error::invalid("pregnant", "`true` with `sex: male`: check the record"));
        }
        if let Some(pp) = &self.pregnancy_prevention {
            if self.sex == Some(Sex::Male) {
                let field = if pp.childbearing_potential.is_some() {
                    "pregnancy_prevention.childbearing_potential"
                } else {
                    "pregnancy_prevention.reliable_contraception"
                };
                if pp.childbearing_potential.is_some() || pp.reliable_contraception.is_some() {
                    return Err(Error::invalid(
                        field,
                        "given with `sex: male`: these fields are about a patient who could become pregnant (a male \
                         patient's are `partner_of_childbearing_potential`, `condom_use_agreed` and \
                         `partner_uses_effective_contraception`); check the \
                         record",
                    ));
                }
            }
            if self.sex != Some(Sex::Male) {
                let field = if pp.partner_of_childbearing_potential.is_some() {
                    "pregnancy_prevention.partner_of_childbearing_potential"
                } else if pp.condom_use_agreed.is_some() {
                    "pregnancy_prevention.condom_use_agreed"
                } else {
                    "pregnancy_prevention.partner_uses_effective_contraception"
                };
                if pp.partner_of_childbearing_potential.is_some()
                    || pp.condom_use_agreed.is_some()
                    || pp.partner_uses_effective_contraception.is_some()
                {
                    return Err(Error::invalid(
                        field,
                        "given without `sex: male`: these fields are about a male patient's condom use with a \
                         partner who could become pregnant; check the record",
                    ));
                }
            }
            if pp.partner_of_childbearing_potential == Some(false) && pp.partner_uses_effective_contraception.is_some()
            {
                return Err(Error::invalid(
                    "pregnancy_prevention.partner_uses_effective_contraception",
                    "given with `partner_of_childbearing_potential: false`: it is about a partner who is pregnant or \
                     of childbearing potential; check the record",
                ));
            }
            if pp.childbearing_potential == Some(false) && self.pregnant == Some(true) {
                return Err(Error::invalid(
                    "pregnancy_prevention.childbearing_potential",
                    "`false` with `pregnant: true`: check the record",
                ));
            }
        }
        if labs.ldh.is_some() && labs.ldh_upper_limit_of_normal.is_none() {
            return Err(ldh_without_uln());
        }
        let cytogenetics = CytogeneticProfile::from_findings("cytogenetics", &self.cytogenetics)?;
        let diagnosis = self.diagnosis.clone().unwrap_or_default();
        opt_listed_int("diagnosis.osteolytic_lesions", diagnosis.osteolytic_lesions)?;
        opt_listed_int("diagnosis.mri_focal_lesions", diagnosis.mri_focal_lesions)?;
        check_dates_ordered("response_assessments", self.response_assessments.iter().map(|a| a.date.as_ref()))?;
        check_dates_ordered("history", self.history.iter().map(|h| h.date.as_ref()))?;
        check_dates_ordered("mrd", self.mrd.iter().map(|m| Some(&m.date)))?;
        let response_assessments = self
            .response_assessments
            .iter()
            .enumerate()
            .map(|(i, a)| ResponseValues::validate(a, &format!("response_assessments[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        for (i, m) in self.mrd.iter().enumerate() {
            validate_mrd(m, &format!("mrd[{i}]"))?;
        }
        if let Some(th) = &self.treatment_history {
            validate_treatment_history(th)?;
        }
        Ok(Patient {
            treatment_history: self.treatment_history.clone(),
            history: self.history.clone(),
            response_assessments,
            mrd: self.mrd.clone(),
            age_years: self.age_years,
            sex: self.sex,
            pregnant: self.pregnant,
            pregnancy_prevention: self.pregnancy_prevention.clone(),
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
    /// assert_eq!(p.age_years(), Some(60));
    /// assert!(myeloma_pathway::Patient::from_json(r#"{"age": 60}"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        crate::json::parse::<PatientRecord>(json)?.validate()
    }

    /// Age in years.
    pub fn age_years(&self) -> Option<u16> {
        self.age_years
    }
    /// Sex.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }
    /// Currently pregnant, where the record says.
    pub fn pregnant(&self) -> Option<bool> {
        self.pregnant
    }
    /// Childbearing potential and contraception, where the record says.
    pub fn pregnancy_prevention(&self) -> Option<&PregnancyPrevention> {
        self.pregnancy_prevention.as_ref()
    }
    /// Actual body weight, kg.
    pub fn weight_kg(&self) -> Option<f64> {
        self.weight_kg
    }
    /// Height, cm.
    pub fn height_cm(&self) -> Option<f64> {
        self.height_cm
    }
    /// ECOG performance status.
    pub fn ecog(&self) -> Option<u8> {
        self.ecog
    }
    /// Frailty-score inputs.
    pub fn frailty(&self) -> &FrailtyInputs {
        &self.frailty
    }
    /// Organ function.
    pub fn organ_function(&self) -> &OrganFunction {
        &self.organ_function
    }
    /// Typed laboratory values.
    pub fn labs(&self) -> &Labs {
        &self.labs
    }
    /// Cytogenetic profile.
    pub fn cytogenetics(&self) -> &CytogeneticProfile {
        &self.cytogenetics
    }
    /// Non-laboratory diagnostic findings.
    pub fn diagnosis(&self) -> &DiagnosisInputs {
        &self.diagnosis
    }
    /// Dated treatment history, when the record gives one.
    pub fn treatment_history(&self) -> Option<&crate::record::TreatmentHistory> {
        self.treatment_history.as_ref()
    }
    /// Pathway history, oldest first.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }
    /// Response assessments, oldest first, with their values typed.
    pub fn response_assessments(&self) -> &[ResponseValues] {
        &self.response_assessments
    }
    /// MRD results, oldest first.
    pub fn mrd(&self) -> &[MrdResult] {
        &self.mrd
    }
    /// The same patient with another cytogenetic profile (for what-if questions).
    pub fn with_cytogenetics(&self, cytogenetics: CytogeneticProfile) -> Self {
        Self { cytogenetics, ..self.clone() }
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

fn validate_treatment_history(th: &crate::record::TreatmentHistory) -> Result<()> {
    for (what, n) in [
        ("treatment_history.therapies", th.therapies.len()),
        ("treatment_history.progressions", th.progressions.len()),
        ("treatment_history.transplants", th.transplants.len()),
        ("treatment_history.stated_facts", th.stated_facts.len()),
        ("treatment_history.car_t_courses", th.car_t_courses.len()),
    ] {
        if n > MAX_LIST_LEN {
            return Err(Error::LimitExceeded { what: format!("{what} (entries)"), limit: MAX_LIST_LEN, actual: n });
        }
    }
    for (i, t) in th.therapies.iter().enumerate() {
        let f = format!("treatment_history.therapies[{i}]");
        if t.drug.trim().is_empty() {
            return Err(Error::invalid(format!("{f}.drug"), "name the drug (a library id or any other name)"));
        }
        if t.class.is_none() {
            refuse_near_match(&t.drug, &format!("{f}.drug"), "or, for a different drug, give its `class`")?;
        }
        if let Some(stop) = &t.stop {
            if stop < &t.start {
                return Err(Error::invalid(format!("{f}.stop"), format!("{stop} is before the start {}", t.start)));
            }
        }
        if let Some(last) = &t.last_dose {
            if last < &t.start {
                return Err(Error::invalid(
                    format!("{f}.last_dose"),
                    format!("{last} is before the start {}", t.start),
                ));
            }
            if let Some(stop) = &t.stop {
                if last > stop {
                    return Err(Error::invalid(format!("{f}.last_dose"), format!("{last} is after the stop {stop}")));
                }
            }
        }
        if let Some(g) = t.toxicity_grade {
            check_number("treatment_history.therapies[].toxicity_grade", &format!("{f}.toxicity_grade"), g.into())?;
        }
        if t.reason_stopped.is_some() && t.stop.is_none() && t.last_dose.is_none() {
            return Err(Error::invalid(format!("{f}.stop"), "a reason stopped is given without a stop date"));
        }
    }
    for (i, s) in th.stated_facts.iter().enumerate() {
        if s.drug.is_none() == s.class.is_none() {
            return Err(Error::invalid(
                format!("treatment_history.stated_facts[{i}]"),
                "give exactly one of `drug` or `class`",
            ));
        }
        if s.source.trim().is_empty() {
            return Err(Error::invalid(format!("treatment_history.stated_facts[{i}].source"), "name the source"));
        }
        if let Some(d) = &s.drug {
            refuse_near_match(
                d,
                &format!("treatment_history.stated_facts[{i}].drug"),
                "or, for a different drug, state the fact about its `class` instead",
            )?;
        }
    }
    for (i, c) in th.car_t_courses.iter().enumerate() {
        validate_car_t_course(c, &format!("treatment_history.car_t_courses[{i}]"))?;
    }
    Ok(())
}

/// A drug name that is not a library id but names a library drug another way (case, spaces,
/// INN, brand, an FDA suffix, a near misspelling: `Drug::near_matches`) is refused with the id
/// to write. Read as a drug outside the library it would count towards no class, so a
/// lenalidomide written `Lenalidomide` would hide lenalidomide-refractoriness.
fn refuse_near_match(name: &str, field: &str, otherwise: &str) -> Result<()> {
    use crate::record::Drug;
    let m = Drug::near_matches(name);
    if m.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = m.iter().map(|d| format!("`{}` ({})", d.id(), d.name())).collect();
    Err(Error::invalid(
        field,
        format!(
            "`{name}` is not a library drug id but looks like {}; write the library id, {otherwise}",
            ids.join(" or ")
        ),
    ))
}

/// A CAR-T course names a library CAR-T product, and its dates run in the order of the steps
/// (apheresis, then lymphodepletion start and end, then infusion); refused otherwise.
fn validate_car_t_course(c: &crate::record::CarTCourseRecord, f: &str) -> Result<()> {
    use crate::record::{Drug, DrugClass};
    if Drug::from_id(&c.product).is_none_or(|d| d.class() != DrugClass::BcmaCarT) {
        let ids: Vec<&str> = Drug::ALL.iter().filter(|d| d.class() == DrugClass::BcmaCarT).map(|d| d.id()).collect();
        return Err(Error::invalid(
            format!("{f}.product"),
            format!("`{}` is not a CAR-T product the library knows; one of: {}", c.product, ids.join(", ")),
        ));
    }
    let steps = [
        ("apheresis", c.apheresis),
        ("lymphodepletion_start", c.lymphodepletion_start),
        ("lymphodepletion_end", c.lymphodepletion_end),
        ("infusion", c.infusion),
    ];
    let mut before: Option<(&str, crate::record::Date)> = None;
    for (name, date) in steps {
        let Some(d) = date else { continue };
        if let Some((prev, pd)) = before {
            if d < pd {
                return Err(Error::invalid(format!("{f}.{name}"), format!("{d} is before the {prev} date {pd}")));
            }
        }
        before = Some((name, d));
    }
    if c.lymphodepletion_end.is_some() && c.lymphodepletion_start.is_none() {
        return Err(Error::invalid(
            format!("{f}.lymphodepletion_start"),
            "a lymphodepletion end date is given without its start date",
        ));
    }
    Ok(())
}

fn validate_mrd(m: &MrdResult, field: &str) -> Result<()> {
    {
        check_number("mrd[].sensitivity_log10", &format!("{field}.sensitivity_log10"), m.sensitivity_log10.into())?;
        Ok(())
    }
}
