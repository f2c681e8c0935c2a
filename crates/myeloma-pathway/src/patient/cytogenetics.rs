//! The per-patient cytogenetic profile, built from the record's findings.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::{Abnormality, Finding, Status};

/// All findings of one patient, keyed by abnormality. Order of entry does not matter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct CytogeneticProfile {
    findings: BTreeMap<Abnormality, Finding>,
}

impl CytogeneticProfile {
    /// Build from a list of findings. Each abnormality may appear once.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] on a duplicate abnormality; range errors on a bad fraction.
    pub fn from_findings(field: &str, findings: &[Finding]) -> Result<Self> {
        let mut map = BTreeMap::new();
        for (i, f) in findings.iter().enumerate() {
            let path = format!("{field}[{i}]");
            validate_finding(f, &path)?;
            if map.insert(f.abnormality, f.clone()).is_some() {
                return Err(Error::invalid(
                    format!("{path}.abnormality"),
                    format!("{} is listed more than once", f.abnormality.notation()),
                ));
            }
        }
        Ok(Self { findings: map })
    }

    /// The status of an abnormality; absent means not tested.
    pub fn status(&self, a: Abnormality) -> Status {
        self.findings.get(&a).map_or(Status::NotTested, |f| f.status)
    }

    /// The finding for an abnormality, if recorded.
    pub fn get(&self, a: Abnormality) -> Option<&Finding> {
        self.findings.get(&a)
    }

    /// Recorded findings in a fixed order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.values()
    }

    /// A copy with one abnormality set to `status` (fraction and copy data cleared); used for
    /// counterfactuals.
    pub fn with_status(&self, a: Abnormality, status: Status) -> Self {
        let mut c = self.clone();
        if status == Status::NotTested {
            c.findings.remove(&a);
        } else {
            c.findings.insert(a, Finding::new(a, status));
        }
        c
    }
}

fn validate_finding(f: &Finding, field: &str) -> Result<()> {
    if let Some(p) = f.clonal_fraction_pct {
        super::check_number("cytogenetics[].clonal_fraction_pct", &format!("{field}.clonal_fraction_pct"), p)?;
        if f.status != Status::Detected && p > 0.0 {
            return Err(Error::invalid(
                format!("{field}.clonal_fraction_pct"),
                "a clonal fraction above 0% is only meaningful with status `detected`",
            ));
        }
    }
    match (f.abnormality, f.copies) {
        (Abnormality::Gain1q, Some(c)) => {
            super::check_number("cytogenetics[].copies", &format!("{field}.copies"), c.into())?;
            if f.status != Status::Detected {
                return Err(Error::invalid(
                    format!("{field}.copies"),
                    "copies of 1q are only given with status `detected`",
                ));
            }
        }
        (_, Some(_)) => {
            return Err(Error::invalid(format!("{field}.copies"), "`copies` applies to gain_1q only"));
        }
        _ => {}
    }
    match (f.abnormality, f.copies_lost) {
        (Abnormality::Del1p32, Some(c)) => {
            super::check_number("cytogenetics[].copies_lost", &format!("{field}.copies_lost"), c.into())?;
            if f.status != Status::Detected {
                return Err(Error::invalid(
                    format!("{field}.copies_lost"),
                    "copies lost are only given with status `detected`",
                ));
            }
        }
        (_, Some(_)) => {
            return Err(Error::invalid(format!("{field}.copies_lost"), "`copies_lost` applies to del_1p32 only"));
        }
        _ => {}
    }
    Ok(())
}
