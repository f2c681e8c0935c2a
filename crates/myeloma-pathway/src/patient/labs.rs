//! Laboratory values with explicit units.
//!
//! A creatinine is not an `f64`: each analyte is a marker type ([`Creatinine`], [`Albumin`], ...)
//! and a [`LabValue<A>`] can only be built through a unit the analyte accepts and within its
//! plausibility range. Values are converted once, to the analyte's canonical unit, with the
//! exact factors below, and rounded to 1e-6 of that unit so that a threshold entered in either
//! unit lands on the same side (2 mg/dL creatinine is 176.8 µmol/L, exactly).
//!
//! The plausibility ranges are input-sanity limits chosen by this project (wide enough for
//! dialysis and extreme but real values), not clinical thresholds; a value outside them is
//! refused with the field, the unit and the accepted range, never clamped.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;

use crate::error::{fmt_num, Error, Result};
use crate::record::RawQuantity;

/// What an analyte accepts: its canonical unit, other units with their factor to canonical,
/// and the plausible range in the canonical unit.
pub trait Analyte: Copy + fmt::Debug + 'static {
    /// Human name, e.g. `serum creatinine`.
    const NAME: &'static str;
    /// The canonical unit values are stored in.
    const CANONICAL_UNIT: &'static str;
    /// Accepted units (their spelling as documented) and the factor that converts a value in
    /// that unit to the canonical unit (`canonical = value × factor`).
    const UNITS: &'static [(&'static str, f64)];
    /// Inclusive plausibility range in the canonical unit.
    const RANGE: (f64, f64);
}

macro_rules! analyte {
    ($(#[$doc:meta])* $name:ident, $label:expr, $canon:expr, [$(($u:expr, $f:expr)),+ $(,)?], ($lo:expr, $hi:expr)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;
        impl Analyte for $name {
            const NAME: &'static str = $label;
            const CANONICAL_UNIT: &'static str = $canon;
            const UNITS: &'static [(&'static str, f64)] = &[$(($u, $f)),+];
            const RANGE: (f64, f64) = ($lo, $hi);
        }
    };
}

/// Molar-mass factor for creatinine: 1 mg/dL = 88.4 µmol/L (docs/clinical-basis.md, Units).
pub const CREATININE_UMOL_PER_MG_DL: f64 = 88.4;
/// Calcium: 1 mg/dL = 0.2495 mmol/L (docs/clinical-basis.md, Units; 1/4.008, molar mass 40.08 g/mol).
pub const CALCIUM_MMOL_PER_MG_DL: f64 = 1.0 / 4.008;

analyte!(
    /// Serum creatinine. Canonical mg/dL; µmol/L ÷ 88.4.
    Creatinine, "serum creatinine", "mg/dL",
    [("mg/dL", 1.0), ("µmol/L", 1.0 / CREATININE_UMOL_PER_MG_DL)], (0.1, 25.0));
analyte!(
    /// Serum albumin. Canonical g/dL; g/L × 0.1.
    Albumin, "serum albumin", "g/dL", [("g/dL", 1.0), ("g/L", 0.1)], (0.5, 7.0));
analyte!(
    /// Serum β2-microglobulin. mg/L only (µg/mL is numerically equal but is refused to avoid the
    /// factor-of-1,000 slips seen in other tools, docs/clinical-basis.md, Pitfalls).
    Beta2Microglobulin, "serum beta-2 microglobulin", "mg/L", [("mg/L", 1.0)], (0.1, 200.0));
analyte!(
    /// Serum calcium (total). Canonical mmol/L; mg/dL × 0.2495.
    Calcium, "serum calcium", "mmol/L",
    [("mmol/L", 1.0), ("mg/dL", CALCIUM_MMOL_PER_MG_DL)], (0.5, 6.0));
analyte!(
    /// Haemoglobin. Canonical g/L; g/dL × 10.
    Hemoglobin, "haemoglobin", "g/L", [("g/L", 1.0), ("g/dL", 10.0)], (20.0, 250.0));
analyte!(
    /// Lactate dehydrogenase activity, U/L (with the laboratory's upper limit of normal).
    Ldh, "serum LDH", "U/L", [("U/L", 1.0)], (10.0, 20000.0));
analyte!(
    /// Serum monoclonal protein (M-spike). Canonical g/dL; g/L × 0.1.
    SerumMProtein, "serum M-protein", "g/dL", [("g/dL", 1.0), ("g/L", 0.1)], (0.0, 15.0));
analyte!(
    /// 24-hour urine monoclonal protein, mg/24 h.
    UrineMProtein, "urine M-protein", "mg/24h", [("mg/24h", 1.0)], (0.0, 50000.0));
analyte!(
    /// Serum free light chain (κ or λ). Canonical mg/L; mg/dL × 10.
    FreeLightChain, "serum free light chain", "mg/L", [("mg/L", 1.0), ("mg/dL", 10.0)], (0.0, 100000.0));
analyte!(
    /// Clonal bone-marrow plasma cells, % of nucleated cells.
    BoneMarrowPlasmaCells, "bone-marrow plasma cells", "%", [("%", 1.0)], (0.0, 100.0));

analyte!(
    /// Absolute neutrophil count. Canonical 10^9/L; per µL (= per mcL, per mm³) × 0.001.
    NeutrophilCount, "absolute neutrophil count", "10^9/L",
    [("10^9/L", 1.0), ("/µL", 0.001), ("/mcL", 0.001), ("/mm3", 0.001)], (0.0, 100.0));
analyte!(
    /// Platelet count. Canonical 10^9/L; per µL (= per mcL, per mm³) × 0.001.
    PlateletCount, "platelet count", "10^9/L",
    [("10^9/L", 1.0), ("/µL", 0.001), ("/mcL", 0.001), ("/mm3", 0.001)], (0.0, 3000.0));

/// Normalise a unit spelling for comparison: ASCII case folded, spaces removed, the micro sign
/// (U+00B5) and Greek mu (U+03BC) both read as `u`.
fn normalise_unit(unit: &str) -> String {
    unit.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'µ' | 'μ' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Round to 1e-6 of the canonical unit, so conversions that are exact on paper compare exactly.
fn round_canonical(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// A laboratory value of analyte `A`, stored in its canonical unit, with the entry kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabValue<A: Analyte> {
    canonical: f64,
    entered_value: f64,
    entered_unit: &'static str,
    _analyte: PhantomData<A>,
}

impl<A: Analyte> LabValue<A> {
    /// Build a value from a number and a unit.
    ///
    /// # Errors
    /// [`Error::UnsupportedUnit`] if `unit` is not one the analyte accepts;
    /// [`Error::OutOfRange`] if the value is not finite or outside the plausibility range.
    ///
    /// # Example
    /// ```
    /// use myeloma_pathway::labs::{Creatinine, LabValue};
    /// let a = LabValue::<Creatinine>::new("labs.creatinine", 2.0, "mg/dL").unwrap();
    /// let b = LabValue::<Creatinine>::new("labs.creatinine", 176.8, "µmol/L").unwrap();
    /// assert_eq!(a.canonical(), b.canonical());
    /// ```
    pub fn new(field: &str, value: f64, unit: &str) -> Result<Self> {
        let wanted = normalise_unit(unit);
        let Some(&(unit_name, factor)) = A::UNITS.iter().find(|(u, _)| normalise_unit(u) == wanted) else {
            return Err(Error::UnsupportedUnit {
                field: format!("{field}.unit"),
                unit: unit.to_string(),
                accepted: A::UNITS.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", "),
            }
            .bounded());
        };
        Self::checked(field, value, unit_name, factor)
    }

    /// Build a value given in the canonical unit ([`Analyte::CANONICAL_UNIT`]) without looking
    /// the unit up (the batch path's per-cell call; the same range check as [`LabValue::new`]).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] as [`LabValue::new`].
    #[inline]
    pub fn from_canonical(field: &str, value: f64) -> Result<Self> {
        Self::checked(field, value, A::CANONICAL_UNIT, 1.0)
    }

    #[inline]
    fn checked(field: &str, value: f64, unit_name: &'static str, factor: f64) -> Result<Self> {
        let (lo, hi) = A::RANGE;
        // `+ 0.0` turns a -0.0 into 0.0. A negative entry is refused before rounding, so a tiny
        // negative value cannot round to zero and pass.
        let canonical = round_canonical(value * factor) + 0.0;
        if !value.is_finite() || (value < 0.0 && lo >= 0.0) || canonical < lo || canonical > hi {
            return Err(Error::OutOfRange {
                field: format!("{field}.value"),
                value,
                unit: unit_name.to_string(),
                accepted_range: format!("{}..={} {}", fmt_num(lo / factor), fmt_num(hi / factor), unit_name),
            });
        }
        Ok(Self { canonical, entered_value: value, entered_unit: unit_name, _analyte: PhantomData })
    }

    /// Build from a [`RawQuantity`] read from JSON; `field` is its dotted path.
    ///
    /// # Errors
    /// As [`LabValue::new`].
    pub fn from_raw(field: &str, raw: &RawQuantity) -> Result<Self> {
        Self::new(field, raw.value, &raw.unit)
    }

    /// The value in the canonical unit ([`Analyte::CANONICAL_UNIT`]).
    pub fn canonical(&self) -> f64 {
        self.canonical
    }

    /// The value in `unit`, which must be one the analyte accepts.
    pub fn in_unit(&self, unit: &str) -> Option<f64> {
        let wanted = normalise_unit(unit);
        A::UNITS.iter().find(|(u, _)| normalise_unit(u) == wanted).map(|(_, f)| round_canonical(self.canonical / f))
    }

    /// The value as the caller entered it, with its unit.
    pub fn entered(&self) -> (f64, &'static str) {
        (self.entered_value, self.entered_unit)
    }

    /// The value as understood, for a result's basis.
    pub fn understood(&self) -> Understood {
        Understood {
            value: self.canonical,
            unit: A::CANONICAL_UNIT,
            entered_value: self.entered_value,
            entered_unit: self.entered_unit,
        }
    }
}

/// A value as understood after unit conversion, with what was entered; part of every basis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Understood {
    /// Value in the canonical unit.
    pub value: f64,
    /// The canonical unit.
    pub unit: &'static str,
    /// The value as entered.
    pub entered_value: f64,
    /// The unit as entered (canonical spelling).
    pub entered_unit: &'static str,
}

impl<A: Analyte> Serialize for LabValue<A> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.understood().serialize(s)
    }
}

/// JSON: the [`Understood`] value it serialises as (canonical value and unit, and the entry).
impl<A: Analyte> schemars::JsonSchema for LabValue<A> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Understood".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Understood::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn two_mg_dl_creatinine_is_176_8_umol_l_exactly() {
        let a = LabValue::<Creatinine>::new("c", 2.0, "mg/dL").unwrap();
        let b = LabValue::<Creatinine>::new("c", 176.8, "µmol/L").unwrap();
        let c = LabValue::<Creatinine>::new("c", 176.8, "umol/L").unwrap();
        let d = LabValue::<Creatinine>::new("c", 176.8, "μmol/L").unwrap();
        assert_eq!(a.canonical(), 2.0);
        assert_eq!(b.canonical(), 2.0);
        assert_eq!(c.canonical(), 2.0);
        assert_eq!(d.canonical(), 2.0);
        assert_eq!(a.in_unit("µmol/L"), Some(176.8));
    }

    #[test]
    fn albumin_35_g_l_is_3_5_g_dl() {
        let a = LabValue::<Albumin>::new("a", 35.0, "g/L").unwrap();
        assert_eq!(a.canonical(), 3.5);
    }

    #[test]
    fn negative_creatinine_is_refused_with_field_unit_and_range() {
        let e = LabValue::<Creatinine>::new("labs.creatinine", -1.0, "mg/dL").unwrap_err();
        assert_eq!(e.field(), Some("labs.creatinine.value"));
        assert_eq!(e.unit(), Some("mg/dL"));
        assert_eq!(e.accepted_range(), Some("0.1..=25 mg/dL"));
    }

    #[test]
    fn range_is_reported_in_the_entered_unit() {
        let e = LabValue::<Creatinine>::new("labs.creatinine", 5000.0, "µmol/L").unwrap_err();
        assert_eq!(e.accepted_range(), Some("8.84..=2210 µmol/L"));
    }

    #[test]
    fn unknown_unit_is_refused_naming_accepted_units() {
        let e = LabValue::<Albumin>::new("labs.albumin", 3.5, "mg/dL").unwrap_err();
        assert_eq!(e.kind(), "unsupported_unit");
        assert_eq!(e.accepted_range(), Some("g/dL, g/L"));
    }

    #[test]
    fn nan_is_refused() {
        assert!(LabValue::<Hemoglobin>::new("h", f64::NAN, "g/L").is_err());
    }

    #[test]
    fn beta2m_in_ug_ml_is_refused() {
        assert!(LabValue::<Beta2Microglobulin>::new("b", 3.0, "ug/mL").is_err());
    }
}
