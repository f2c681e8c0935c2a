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
//! Nothing here allocates per row except an error.

use crate::assess::staging::{
    iss_rule, r2_iss_rule, r_iss_rule, riss_high_risk_ca_rule, IssStage, R2IssStage, RIssStage, R2ISS_CYTO_HALVES,
    RISS_HIGH_RISK_CA,
};
use crate::error::{Error, Result};
use crate::patient::labs::{Albumin, Beta2Microglobulin, LabValue, Ldh};
use crate::patient::{ldh_above_uln, ldh_without_uln};
use crate::record::{Abnormality, Status};

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
