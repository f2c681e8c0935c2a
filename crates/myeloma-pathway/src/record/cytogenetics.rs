//! Cytogenetic and genomic findings.
//!
//! A finding is never a bare bool: each abnormality is [`Status::Detected`],
//! [`Status::NotDetected`] or [`Status::NotTested`], with the clonal fraction (or % of positive
//! nuclei) and the method where known. An abnormality absent from the record is *not tested*,
//! never negative (docs/clinical-basis.md, Pitfalls: missing cytogenetics treated as negative).
//!
//! FISH positivity cut-offs are laboratory-defined (EMN 2012 guidance: 10% of nuclei for
//! fusion/break-apart probes, 20% for numerical/deletion probes; EMN 2012 guidance, unchecked \[M\]),
//! so the laboratory's call is taken as given and the fraction is stored alongside it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A recurrent cytogenetic or genomic abnormality of myeloma.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Abnormality {
    /// Deletion of 17p (TP53 locus).
    #[serde(rename = "del_17p")]
    Del17p,
    /// t(4;14) IgH–FGFR3/NSD2 translocation.
    #[serde(rename = "t_4_14")]
    T4_14,
    /// t(14;16) IgH–MAF translocation.
    #[serde(rename = "t_14_16")]
    T14_16,
    /// t(14;20) IgH–MAFB translocation.
    #[serde(rename = "t_14_20")]
    T14_20,
    /// Gain (3 copies) or amplification (≥4 copies) of 1q; record `copies` where known.
    #[serde(rename = "gain_1q")]
    Gain1q,
    /// Deletion of 1p32; record `copies_lost` (1 = monoallelic, 2 = biallelic) where known.
    #[serde(rename = "del_1p32")]
    Del1p32,
    /// TP53 mutation (sequencing).
    #[serde(rename = "tp53_mutation")]
    Tp53Mutation,
    /// t(11;14) IgH–CCND1 translocation (standard risk).
    #[serde(rename = "t_11_14")]
    T11_14,
    /// t(6;14) IgH–CCND3 translocation (standard risk).
    #[serde(rename = "t_6_14")]
    T6_14,
    /// Hyperdiploidy (trisomies of odd-numbered chromosomes; standard risk).
    #[serde(rename = "hyperdiploidy")]
    Hyperdiploidy,
}

impl Abnormality {
    /// Every abnormality, in a fixed order.
    pub const ALL: [Abnormality; 10] = [
        Abnormality::Del17p,
        Abnormality::T4_14,
        Abnormality::T14_16,
        Abnormality::T14_20,
        Abnormality::Gain1q,
        Abnormality::Del1p32,
        Abnormality::Tp53Mutation,
        Abnormality::T11_14,
        Abnormality::T6_14,
        Abnormality::Hyperdiploidy,
    ];

    /// Conventional notation, e.g. `del(17p)`, `t(4;14)`.
    pub fn notation(&self) -> &'static str {
        match self {
            Abnormality::Del17p => "del(17p)",
            Abnormality::T4_14 => "t(4;14)",
            Abnormality::T14_16 => "t(14;16)",
            Abnormality::T14_20 => "t(14;20)",
            Abnormality::Gain1q => "gain(1q)",
            Abnormality::Del1p32 => "del(1p32)",
            Abnormality::Tp53Mutation => "TP53 mutation",
            Abnormality::T11_14 => "t(11;14)",
            Abnormality::T6_14 => "t(6;14)",
            Abnormality::Hyperdiploidy => "hyperdiploidy",
        }
    }

    /// Stable identifier as used in JSON (`del_17p`, `t_4_14`, ...).
    pub fn id(&self) -> &'static str {
        match self {
            Abnormality::Del17p => "del_17p",
            Abnormality::T4_14 => "t_4_14",
            Abnormality::T14_16 => "t_14_16",
            Abnormality::T14_20 => "t_14_20",
            Abnormality::Gain1q => "gain_1q",
            Abnormality::Del1p32 => "del_1p32",
            Abnormality::Tp53Mutation => "tp53_mutation",
            Abnormality::T11_14 => "t_11_14",
            Abnormality::T6_14 => "t_6_14",
            Abnormality::Hyperdiploidy => "hyperdiploidy",
        }
    }

    /// The test that would decide this abnormality, for `missing_inputs`.
    pub fn deciding_test(&self) -> &'static str {
        match self {
            Abnormality::Tp53Mutation => "TP53 sequencing (NGS) of the myeloma clone",
            Abnormality::Del1p32 => {
                "FISH for 1p32 (CDKN2C) on CD138-purified marrow plasma cells; SNP array or NGS to tell biallelic loss"
            }
            Abnormality::Hyperdiploidy => {
                "FISH for trisomies (or karyotype/SNP array) on CD138-purified marrow plasma cells"
            }
            _ => "interphase FISH on CD138-purified bone-marrow plasma cells",
        }
    }
}

impl fmt::Display for Abnormality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.notation())
    }
}

/// Whether an abnormality was looked for, and found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Looked for and found (by the laboratory's cut-off).
    Detected,
    /// Looked for and not found.
    NotDetected,
    /// Not looked for, or no result. Never read as negative.
    NotTested,
}

/// How a finding was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Interphase FISH on CD138-purified plasma cells (the recommended method).
    FishCd138,
    /// Interphase FISH without plasma-cell enrichment.
    Fish,
    /// Conventional karyotype.
    Karyotype,
    /// SNP array / copy-number array.
    SnpArray,
    /// Next-generation sequencing.
    Ngs,
}

/// One cytogenetic finding as recorded in the patient record.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Which abnormality.
    pub abnormality: Abnormality,
    /// Detected, not detected, or not tested.
    pub status: Status,
    /// Clonal fraction, or % of positive nuclei, 0–100, where known (only with `detected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clonal_fraction_pct: Option<f64>,
    /// How it was obtained, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// For `gain_1q`: copies of 1q (3 = gain, ≥4 = amplification), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies: Option<u8>,
    /// For `del_1p32`: copies lost (1 = monoallelic, 2 = biallelic), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies_lost: Option<u8>,
}

impl Finding {
    /// A finding with only a status.
    pub fn new(abnormality: Abnormality, status: Status) -> Self {
        Self { abnormality, status, clonal_fraction_pct: None, method: None, copies: None, copies_lost: None }
    }

    /// Set the clonal fraction (%).
    pub fn with_fraction(mut self, pct: f64) -> Self {
        self.clonal_fraction_pct = Some(pct);
        self
    }
}
