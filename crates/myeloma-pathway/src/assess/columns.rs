//! Columnar (batch) assessments: the same rules as the per-patient path, over typed columns.
//!
//! Each input is a slice with one cell per patient (`None` = missing, [`Status::NotTested`] =
//! not tested), in the canonical unit of the analyte (β2-microglobulin mg/L, albumin g/dL, LDH
//! U/L). Every cell is checked with the per-patient path's range check
//! ([`LabValue::from_canonical`]), and every stage comes from the rule function the per-patient
//! path calls ([`iss_rule`], [`r_iss_rule`], [`r2_iss_rule`]): there is no second copy of a
//! threshold. A bad cell is an error in its row (the error the same record would get from
//! [`crate::Patient::from_json`]); "not computable" is `None` in its row. Only columns of
//! different lengths fail the call.
//!
//! [`assess_columns`] adds creatinine clearance (the measured value, else Cockcroft-Gault:
//! [`cockcroft_gault_rule`]), the IMWG frailty score ([`imwg_frailty_rule`]) and risk under
//! every definition: the article's ([`article_rule`]), IMWG 2016 ([`imwg2016_rule`]), MSmart 3.0
//! ([`msmart3_rule`], on the row's R-ISS) and IMS/IMWG 2025 ([`ims2025_rule`], with the del(17p)
//! clonal fraction and del(1p32) copies lost when given).
//!
//! Nothing here allocates per row except an error.

use crate::assess::fitness::{cockcroft_gault_rule, imwg_frailty_rule, FrailtyCategory};
use crate::assess::risk::{
    article_rule, ims2025_rule, imwg2016_rule, msmart3_rule, Ims2025Inputs, RiskLevel, ARTICLE_ABNORMALITIES,
    IMWG2016_ABNORMALITIES, MSMART3_ABNORMALITIES,
};
use crate::assess::staging::{
    iss_rule, r2_iss_rule, r_iss_rule, riss_high_risk_ca_rule, IssStage, R2IssStage, RIssStage, R2ISS_CYTO_HALVES,
    RISS_HIGH_RISK_CA,
};
use crate::error::{Error, Result};
use crate::guideline::Guideline;
use crate::patient::labs::{Albumin, Beta2Microglobulin, Creatinine, LabValue, Ldh};
use crate::patient::{check_integer, check_number, ldh_above_uln, ldh_without_uln};
use crate::record::{Abnormality, Sex, Status};

/// The input columns of the staging systems. Cells in the canonical unit; `None` = missing.
#[derive(Debug, Clone, Copy)]
pub struct StagingColumns<'a> {
    /// Serum β2-microglobulin, mg/L (`labs.beta2_microglobulin`).
    pub beta2_microglobulin_mg_l: &'a [Option<f64>],
    /// Serum albumin, g/dL (`labs.albumin`).
    pub albumin_g_dl: &'a [Option<f64>],
    /// Serum LDH, U/L (`labs.ldh`).
    pub ldh_u_l: &'a [Option<f64>],
    /// The laboratory's LDH upper limit of normal, U/L (`labs.ldh_upper_limit_of_normal`).
    pub ldh_uln_u_l: &'a [Option<f64>],
    /// del(17p) status.
    pub del_17p: &'a [Status],
    /// t(4;14) status.
    pub t_4_14: &'a [Status],
    /// t(14;16) status.
    pub t_14_16: &'a [Status],
    /// 1q+ status.
    pub gain_1q: &'a [Status],
}

impl StagingColumns<'_> {
    /// The number of rows.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] naming the first column whose length differs from β2M's.
    pub fn rows(&self) -> Result<usize> {
        let n = self.beta2_microglobulin_mg_l.len();
        let lens = [
            ("labs.albumin", self.albumin_g_dl.len()),
            ("labs.ldh", self.ldh_u_l.len()),
            ("labs.ldh_upper_limit_of_normal", self.ldh_uln_u_l.len()),
            ("cytogenetics.del_17p", self.del_17p.len()),
            ("cytogenetics.t_4_14", self.t_4_14.len()),
            ("cytogenetics.t_14_16", self.t_14_16.len()),
            ("cytogenetics.gain_1q", self.gain_1q.len()),
        ];
        for (field, len) in lens {
            if len != n {
                return Err(Error::Inconsistent {
                    field: field.into(),
                    message: format!("column has {len} rows; labs.beta2_microglobulin has {n}"),
                });
            }
        }
        Ok(n)
    }

    fn status(&self, a: Abnormality, i: usize) -> Status {
        let col = match a {
            Abnormality::Del17p => self.del_17p,
            Abnormality::T4_14 => self.t_4_14,
            Abnormality::T14_16 => self.t_14_16,
            Abnormality::Gain1q => self.gain_1q,
            _ => &[],
        };
        col.get(i).copied().unwrap_or(Status::NotTested)
    }
}

/// One row's staging: every field `None` when not computable (or when the row has an error).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StagingRow {
    /// ISS.
    pub iss: Option<IssStage>,
    /// R-ISS.
    pub r_iss: Option<RIssStage>,
    /// R2-ISS group.
    pub r2_iss: Option<R2IssStage>,
    /// R2-ISS points (only when nothing that could add points is missing).
    pub r2_iss_points: Option<f64>,
}

/// The staging of every row, in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StagingBatch {
    /// ISS per row.
    pub iss: Vec<Option<IssStage>>,
    /// R-ISS per row.
    pub r_iss: Vec<Option<RIssStage>>,
    /// R2-ISS group per row.
    pub r2_iss: Vec<Option<R2IssStage>>,
    /// R2-ISS points per row.
    pub r2_iss_points: Vec<Option<f64>>,
    /// The row's error (its results are then `None`), or `None`.
    pub error: Vec<Option<Error>>,
}

fn cell<A: crate::patient::labs::Analyte>(field: &str, v: Option<f64>) -> Result<Option<f64>> {
    v.map(|x| LabValue::<A>::from_canonical(field, x).map(|l| l.canonical())).transpose()
}

/// Stage one row of the columns (the batch's per-row step, also usable on its own).
///
/// # Errors
/// The error the same record would get from [`crate::Patient::from_json`] for these fields.
#[inline]
pub fn stage_row(c: &StagingColumns<'_>, i: usize) -> Result<StagingRow> {
    let get = |col: &[Option<f64>]| col.get(i).copied().flatten();
    // The per-patient validation order: albumin, β2M, LDH, LDH ULN, then LDH needs its ULN.
    let alb = cell::<Albumin>("labs.albumin", get(c.albumin_g_dl))?;
    let b2m = cell::<Beta2Microglobulin>("labs.beta2_microglobulin", get(c.beta2_microglobulin_mg_l))?;
    let ldh = cell::<Ldh>("labs.ldh", get(c.ldh_u_l))?;
    let uln = cell::<Ldh>("labs.ldh_upper_limit_of_normal", get(c.ldh_uln_u_l))?;
    if ldh.is_some() && uln.is_none() {
        return Err(ldh_without_uln());
    }
    let ldh_high = match (ldh, uln) {
        (Some(l), Some(u)) => Some(ldh_above_uln(l, u)),
        _ => None,
    };
    let hr = riss_high_risk_ca_rule(RISS_HIGH_RISK_CA.map(|a| c.status(a, i)));
    let r2 = r2_iss_rule(b2m, alb, R2ISS_CYTO_HALVES.map(|(a, _)| c.status(a, i)), ldh_high);
    Ok(StagingRow {
        iss: iss_rule(b2m, alb).stage(),
        r_iss: r_iss_rule(b2m, alb, hr, ldh_high),
        r2_iss: r2.stage(),
        r2_iss_points: r2.points(),
    })
}

/// ISS, R-ISS and R2-ISS for every row.
///
/// # Errors
/// Only when the columns differ in length; a bad cell is an error in its row.
pub fn stage_columns(c: &StagingColumns<'_>) -> Result<StagingBatch> {
    let n = c.rows()?;
    let mut out = StagingBatch {
        iss: Vec::with_capacity(n),
        r_iss: Vec::with_capacity(n),
        r2_iss: Vec::with_capacity(n),
        r2_iss_points: Vec::with_capacity(n),
        error: Vec::with_capacity(n),
    };
    for i in 0..n {
        let (row, err) = match stage_row(c, i) {
            Ok(r) => (r, None),
            Err(e) => (StagingRow::default(), Some(e)),
        };
        out.iss.push(row.iss);
        out.r_iss.push(row.r_iss);
        out.r2_iss.push(row.r2_iss);
        out.r2_iss_points.push(row.r2_iss_points);
        out.error.push(err);
    }
    Ok(out)
}

/// The input columns of the columnar assessments ([`assess_columns`]): staging's, and those of
/// creatinine clearance, the IMWG frailty score and the risk definitions whose inputs are
/// cytogenetic statuses only (the article's and IMWG 2016). An empty slice is a column that is
/// absent (every cell missing / not tested); any other length must equal the staging columns'.
#[derive(Debug, Clone, Copy)]
pub struct AssessColumns<'a> {
    /// The staging columns (their lengths give the number of rows).
    pub staging: StagingColumns<'a>,
    /// Age, whole years (`age_years`).
    pub age_years: &'a [Option<i64>],
    /// Sex (`sex`).
    pub sex: &'a [Option<Sex>],
    /// Body weight, kg (`weight_kg`).
    pub weight_kg: &'a [Option<f64>],
    /// Height, cm (`height_cm`).
    pub height_cm: &'a [Option<f64>],
    /// Charlson Comorbidity Index (`frailty.charlson`).
    pub charlson: &'a [Option<i64>],
    /// Katz ADL (`frailty.katz_adl`).
    pub katz_adl: &'a [Option<i64>],
    /// Lawton IADL (`frailty.lawton_iadl`).
    pub lawton_iadl: &'a [Option<i64>],
    /// Serum creatinine, mg/dL (`labs.creatinine`).
    pub creatinine_mg_dl: &'a [Option<f64>],
    /// A measured creatinine clearance, mL/min (`labs.creatinine_clearance_ml_min`): used as
    /// given, as the per-patient path does.
    pub creatinine_clearance_ml_min: &'a [Option<f64>],
    /// t(14;20) status.
    pub t_14_20: &'a [Status],
    /// Hyperdiploidy status.
    pub hyperdiploidy: &'a [Status],
    /// TP53 mutation status.
    pub tp53_mutation: &'a [Status],
    /// del(1p32) status.
    pub del_1p32: &'a [Status],
    /// del(17p) clonal fraction, % (`cytogenetics[].clonal_fraction_pct` of del(17p)).
    pub del_17p_clonal_fraction_pct: &'a [Option<f64>],
    /// del(1p32) copies lost (`cytogenetics[].copies_lost` of del(1p32)).
    pub del_1p32_copies_lost: &'a [Option<u8>],
}

impl AssessColumns<'_> {
    /// The number of rows.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] naming the first column whose length is neither the staging
    /// columns' nor 0.
    pub fn rows(&self) -> Result<usize> {
        let n = self.staging.rows()?;
        let lens = [
            ("age_years", self.age_years.len()),
            ("sex", self.sex.len()),
            ("weight_kg", self.weight_kg.len()),
            ("height_cm", self.height_cm.len()),
            ("frailty.charlson", self.charlson.len()),
            ("frailty.katz_adl", self.katz_adl.len()),
            ("frailty.lawton_iadl", self.lawton_iadl.len()),
            ("labs.creatinine", self.creatinine_mg_dl.len()),
            ("labs.creatinine_clearance_ml_min", self.creatinine_clearance_ml_min.len()),
            ("cytogenetics.t_14_20", self.t_14_20.len()),
            ("cytogenetics.hyperdiploidy", self.hyperdiploidy.len()),
            ("cytogenetics.tp53_mutation", self.tp53_mutation.len()),
            ("cytogenetics.del_1p32", self.del_1p32.len()),
            ("cytogenetics.del_17p.clonal_fraction_pct", self.del_17p_clonal_fraction_pct.len()),
            ("cytogenetics.del_1p32.copies_lost", self.del_1p32_copies_lost.len()),
        ];
        for (field, len) in lens {
            if len != n && len != 0 {
                return Err(Error::Inconsistent {
                    field: field.into(),
                    message: format!("column has {len} rows; labs.beta2_microglobulin has {n}"),
                });
            }
        }
        Ok(n)
    }

    fn status(&self, a: Abnormality, i: usize) -> Status {
        match a {
            Abnormality::T14_20 => self.t_14_20.get(i).copied().unwrap_or(Status::NotTested),
            Abnormality::Hyperdiploidy => self.hyperdiploidy.get(i).copied().unwrap_or(Status::NotTested),
            Abnormality::Tp53Mutation => self.tp53_mutation.get(i).copied().unwrap_or(Status::NotTested),
            Abnormality::Del1p32 => self.del_1p32.get(i).copied().unwrap_or(Status::NotTested),
            a => self.staging.status(a, i),
        }
    }
}

/// One row's columnar assessments: every field `None` when not computable (or when the row has
/// an error).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AssessRow {
    /// ISS, R-ISS, R2-ISS.
    pub staging: StagingRow,
    /// Risk under the article's definition.
    pub risk_article: Option<RiskLevel>,
    /// Risk under IMWG 2016.
    pub risk_imwg2016: Option<RiskLevel>,
    /// Risk under MSmart 3.0.
    pub risk_msmart3: Option<RiskLevel>,
    /// Risk under IMS/IMWG 2025 (the guideline's del(17p) cut-off).
    pub risk_ims2025: Option<RiskLevel>,
    /// IMWG frailty category (also when missing items cannot change it).
    pub imwg_frailty: Option<FrailtyCategory>,
    /// IMWG frailty points (only when every item is known).
    pub imwg_frailty_points: Option<u8>,
    /// Creatinine clearance, mL/min: the measured value, else Cockcroft-Gault.
    pub creatinine_clearance_ml_min: Option<f64>,
}

/// The columnar assessments of every row, in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessBatch {
    /// ISS, R-ISS, R2-ISS and the row errors.
    pub staging: StagingBatch,
    /// Risk under the article's definition per row.
    pub risk_article: Vec<Option<RiskLevel>>,
    /// Risk under IMWG 2016 per row.
    pub risk_imwg2016: Vec<Option<RiskLevel>>,
    /// Risk under MSmart 3.0 per row.
    pub risk_msmart3: Vec<Option<RiskLevel>>,
    /// Risk under IMS/IMWG 2025 per row.
    pub risk_ims2025: Vec<Option<RiskLevel>>,
    /// IMWG frailty category per row.
    pub imwg_frailty: Vec<Option<FrailtyCategory>>,
    /// IMWG frailty points per row.
    pub imwg_frailty_points: Vec<Option<u8>>,
    /// Creatinine clearance per row, mL/min.
    pub creatinine_clearance_ml_min: Vec<Option<f64>>,
}

impl StagingBatch {
    /// Append `other`'s rows after this batch's (joining the chunks of a parallel run).
    pub fn append(&mut self, mut other: StagingBatch) {
        self.iss.append(&mut other.iss);
        self.r_iss.append(&mut other.r_iss);
        self.r2_iss.append(&mut other.r2_iss);
        self.r2_iss_points.append(&mut other.r2_iss_points);
        self.error.append(&mut other.error);
    }
}

impl AssessBatch {
    /// Append `other`'s rows after this batch's (joining the chunks of a parallel run).
    pub fn append(&mut self, mut other: AssessBatch) {
        self.staging.append(other.staging);
        self.risk_article.append(&mut other.risk_article);
        self.risk_imwg2016.append(&mut other.risk_imwg2016);
        self.risk_msmart3.append(&mut other.risk_msmart3);
        self.risk_ims2025.append(&mut other.risk_ims2025);
        self.imwg_frailty.append(&mut other.imwg_frailty);
        self.imwg_frailty_points.append(&mut other.imwg_frailty_points);
        self.creatinine_clearance_ml_min.append(&mut other.creatinine_clearance_ml_min);
    }
}

fn int_cell(field: &str, v: Option<i64>) -> Result<Option<i64>> {
    v.map(|x| check_integer(field, x).map(|()| x)).transpose()
}

fn number_cell(field: &str, v: Option<f64>) -> Result<Option<f64>> {
    v.map(|x| check_number(field, field, x)).transpose()
}

/// Assess one row of the columns (the batch's per-row step).
///
/// # Errors
/// The first error the same record would get from [`crate::Patient::from_json`] for these
/// fields (the per-patient validation order).
#[inline]
pub fn assess_row(c: &AssessColumns<'_>, i: usize, g: &Guideline) -> Result<AssessRow> {
    fn at<T: Copy>(col: &[Option<T>], i: usize) -> Option<T> {
        col.get(i).copied().flatten()
    }
    // The per-patient validation order: age, weight, height, frailty items, creatinine, CrCl,
    // then the staging labs (albumin, β2M, LDH, LDH ULN).
    let age = int_cell("age_years", at(c.age_years, i))?;
    let weight = number_cell("weight_kg", at(c.weight_kg, i))?;
    let height = number_cell("height_cm", at(c.height_cm, i))?;
    let charlson = int_cell("frailty.charlson", at(c.charlson, i))?;
    let katz = int_cell("frailty.katz_adl", at(c.katz_adl, i))?;
    let lawton = int_cell("frailty.lawton_iadl", at(c.lawton_iadl, i))?;
    let cr = cell::<Creatinine>("labs.creatinine", at(c.creatinine_mg_dl, i))?;
    let measured = number_cell("labs.creatinine_clearance_ml_min", at(c.creatinine_clearance_ml_min, i))?;
    let staging = stage_row(&c.staging, i)?;
    // Then the cytogenetic findings, in the record's list order (del(17p) before del(1p32)).
    let ccf = at(c.del_17p_clonal_fraction_pct, i);
    if let Some(p) = ccf {
        let field = "cytogenetics.del_17p.clonal_fraction_pct";
        check_number("cytogenetics[].clonal_fraction_pct", field, p)?;
        if c.status(Abnormality::Del17p, i) != Status::Detected && p > 0.0 {
            return Err(Error::invalid(field, "a clonal fraction above 0% is only meaningful with status `detected`"));
        }
    }
    let lost = at(c.del_1p32_copies_lost, i);
    if let Some(l) = lost {
        let field = "cytogenetics.del_1p32.copies_lost";
        check_number("cytogenetics[].copies_lost", field, l.into())?;
        if c.status(Abnormality::Del1p32, i) != Status::Detected {
            return Err(Error::invalid(field, "copies lost are only given with status `detected`"));
        }
    }
    // In range, so they fit (age 18–120, items 0–37).
    let narrow_u16 = |x: Option<i64>| x.and_then(|v| u16::try_from(v).ok());
    let narrow_u8 = |x: Option<i64>| x.and_then(|v| u8::try_from(v).ok());
    let age = narrow_u16(age);
    let frailty = imwg_frailty_rule(age, narrow_u8(charlson), narrow_u8(katz), narrow_u8(lawton));
    let crcl = measured.or_else(|| {
        cockcroft_gault_rule(age, weight, height, at(c.sex, i), cr, g.crcl_weight()).map(|(ml_min, _)| ml_min)
    });
    let ims = Ims2025Inputs {
        del_17p: c.status(Abnormality::Del17p, i),
        del_17p_clonal_fraction_pct: ccf,
        tp53_mutation: c.status(Abnormality::Tp53Mutation, i),
        igh: [Abnormality::T4_14, Abnormality::T14_16, Abnormality::T14_20].map(|a| c.status(a, i)),
        gain_1q: c.status(Abnormality::Gain1q, i),
        del_1p32: c.status(Abnormality::Del1p32, i),
        del_1p32_copies_lost: lost,
        beta2_microglobulin_mg_l: cell::<Beta2Microglobulin>(
            "labs.beta2_microglobulin",
            at(c.staging.beta2_microglobulin_mg_l, i),
        )?,
        creatinine_mg_dl: cr,
    };
    Ok(AssessRow {
        staging,
        risk_article: Some(article_rule(ARTICLE_ABNORMALITIES.map(|a| c.status(a, i)))),
        risk_imwg2016: Some(imwg2016_rule(
            IMWG2016_ABNORMALITIES.map(|a| c.status(a, i)),
            c.status(Abnormality::Hyperdiploidy, i),
        )),
        risk_msmart3: Some(msmart3_rule(MSMART3_ABNORMALITIES.map(|a| c.status(a, i)), staging.r_iss)),
        risk_ims2025: Some(ims2025_rule(&ims, g.del17p_cutoff())),
        imwg_frailty: frailty.category,
        imwg_frailty_points: frailty.points,
        creatinine_clearance_ml_min: crcl,
    })
}

/// Staging, risk (under every definition), IMWG frailty and creatinine clearance for every row.
/// From the guideline: the weight basis for Cockcroft-Gault ([`Guideline::crcl_weight`]) and
/// the IMS/IMWG 2025 del(17p) comparator ([`Guideline::del17p_cutoff`]).
///
/// # Errors
/// Only when the columns differ in length; a bad cell is an error in its row.
pub fn assess_columns(c: &AssessColumns<'_>, g: &Guideline) -> Result<AssessBatch> {
    let n = c.rows()?;
    let mut out = AssessBatch {
        staging: StagingBatch {
            iss: Vec::with_capacity(n),
            r_iss: Vec::with_capacity(n),
            r2_iss: Vec::with_capacity(n),
            r2_iss_points: Vec::with_capacity(n),
            error: Vec::with_capacity(n),
        },
        risk_article: Vec::with_capacity(n),
        risk_imwg2016: Vec::with_capacity(n),
        risk_msmart3: Vec::with_capacity(n),
        risk_ims2025: Vec::with_capacity(n),
        imwg_frailty: Vec::with_capacity(n),
        imwg_frailty_points: Vec::with_capacity(n),
        creatinine_clearance_ml_min: Vec::with_capacity(n),
    };
    for i in 0..n {
        let (row, err) = match assess_row(c, i, g) {
            Ok(r) => (r, None),
            Err(e) => (AssessRow::default(), Some(e)),
        };
        let s = &mut out.staging;
        s.iss.push(row.staging.iss);
        s.r_iss.push(row.staging.r_iss);
        s.r2_iss.push(row.staging.r2_iss);
        s.r2_iss_points.push(row.staging.r2_iss_points);
        s.error.push(err);
        out.risk_article.push(row.risk_article);
        out.risk_imwg2016.push(row.risk_imwg2016);
        out.risk_msmart3.push(row.risk_msmart3);
        out.risk_ims2025.push(row.risk_ims2025);
        out.imwg_frailty.push(row.imwg_frailty);
        out.imwg_frailty_points.push(row.imwg_frailty_points);
        out.creatinine_clearance_ml_min.push(row.creatinine_clearance_ml_min);
    }
    Ok(out)
}
