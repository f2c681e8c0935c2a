//! MGUS risk strata (Mayo model, Rajkumar et al., Blood 2005;106:812–817, `mgus-mayo-2005`):
//! three risk factors — serum M-protein ≥ 15 g/L, a non-IgG isotype, an abnormal serum FLC
//! ratio (κ/λ < 0.26 or > 1.65) — counted 0 low, 1 low-intermediate, 2 high-intermediate,
//! 3 high. Each factor is met, not met or unknown; a stratum is given only when no unknown
//! factor could change it.

use serde::Serialize;

use super::{item, ratio_state, Comparator, Comparison, Item, ItemSpec, ItemState};
use crate::assess::missing::{normalise, MissingInput};
use crate::kb::{Citation, CitationId, Evidence, KnowledgeBase};
use crate::patient::Patient;
use crate::record::HeavyChain;

/// MGUS risk factor: serum M-protein at least this, g/dL (= 15 g/L; `mgus-mayo-2005`).
pub const MGUS_RISK_M_PROTEIN_AT_LEAST_G_DL: f64 = 1.5;
/// MGUS risk factor: κ/λ serum FLC ratio below this is abnormal (`mgus-mayo-2005`).
pub const MGUS_RISK_FLC_RATIO_BELOW: f64 = 0.26;
/// MGUS risk factor: κ/λ serum FLC ratio above this is abnormal (`mgus-mayo-2005`).
pub const MGUS_RISK_FLC_RATIO_ABOVE: f64 = 1.65;

/// Mayo 2005 risk stratum of MGUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MgusStratum {
    /// No risk factor (20-year progression 5%).
    Low,
    /// One risk factor (21%).
    LowIntermediate,
    /// Two risk factors (37%).
    HighIntermediate,
    /// Three risk factors (58%).
    High,
}

impl MgusStratum {
    /// In words, as text output shows it.
    pub fn label(&self) -> &'static str {
        match self {
            MgusStratum::Low => "low risk",
            MgusStratum::LowIntermediate => "low-intermediate risk",
            MgusStratum::HighIntermediate => "high-intermediate risk",
            MgusStratum::High => "high risk",
        }
    }

    fn of(factors: u8) -> Self {
        match factors {
            0 => MgusStratum::Low,
            1 => MgusStratum::LowIntermediate,
            2 => MgusStratum::HighIntermediate,
            _ => MgusStratum::High,
        }
    }
}

/// MGUS risk by the Mayo 2005 model.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MgusRisk {
    /// The stratum, `None` when unknown factors could change it.
    pub stratum: Option<MgusStratum>,
    /// Factors met.
    pub factors_met: u8,
    /// Factors unknown.
    pub factors_unknown: u8,
    /// The three factors.
    pub factors: Vec<Item>,
    /// Inputs that would decide the stratum.
    pub missing_inputs: Vec<MissingInput>,
    /// Source.
    pub citation: Citation,
}

impl MgusRisk {
    /// Whether the stratum is low risk (`Some(false)` when a factor is met, `None` when unknown
    /// factors leave it open): low risk alone has the 2–3-yearly follow-up (IMWG 2010).
    pub fn low(&self) -> Option<bool> {
        if self.factors_met > 0 {
            Some(false)
        } else if self.factors_unknown == 0 {
            Some(true)
        } else {
            None
        }
    }
}

/// The Mayo 2005 MGUS risk strata. Only meaningful for MGUS ([`super::diagnose`] attaches it then).
pub fn mgus_risk(kb: &KnowledgeBase, p: &Patient) -> MgusRisk {
    const PURPOSE: &str = "MGUS risk stratum (Mayo 2005) and its follow-up interval";
    let sp =
        |id, label| ItemSpec { id, label, rule: "all", evidence: Evidence::V1, key: CitationId::MgusMayo2005.key() };
    let mprot = p.labs.serum_m_protein.map(|v| v.canonical());
    let m = {
        let c = Comparison::new("serum M-protein", mprot, "g/dL", Comparator::Ge, MGUS_RISK_M_PROTEIN_AT_LEAST_G_DL);
        let st = c.state;
        item(
            kb,
            sp("mgus_risk_m_protein_at_least_15_g_l", "serum M-protein ≥ 15 g/L (1.5 g/dL)"),
            st,
            vec![c],
            vec![MissingInput::new("labs.serum_m_protein", "serum protein electrophoresis", PURPOSE)],
        )
    };
    let isotype = {
        let heavy = p.diagnosis.heavy_chain;
        let st = match heavy {
            Some(h) => ItemState::from_bool(h != HeavyChain::Igg),
            None => ItemState::Unknown,
        };
        let mut i = item(
            kb,
            sp("mgus_risk_non_igg", "non-IgG M-protein"),
            st,
            vec![],
            vec![MissingInput::new(
                "diagnosis.heavy_chain",
                "serum immunofixation (heavy-chain isotype of the M-protein)",
                PURPOSE,
            )],
        );
        i.rule = "finding";
        i.finding = heavy.map(|h| h != HeavyChain::Igg);
        if let Some(h) = heavy {
            i.notes.push(format!("isotype recorded: {}", h.label()));
        }
        i
    };
    let flc = {
        let k = p.labs.serum_flc_kappa.map(|v| v.canonical());
        let l = p.labs.serum_flc_lambda.map(|v| v.canonical());
        let (low, shown) = ratio_state(k, l, Comparator::Lt, MGUS_RISK_FLC_RATIO_BELOW);
        let (high, _) = ratio_state(k, l, Comparator::Gt, MGUS_RISK_FLC_RATIO_ABOVE);
        let cs = vec![
            Comparison::new("serum κ/λ FLC ratio", shown, "ratio", Comparator::Lt, MGUS_RISK_FLC_RATIO_BELOW)
                .with_state(low),
            Comparison::new("serum κ/λ FLC ratio", shown, "ratio", Comparator::Gt, MGUS_RISK_FLC_RATIO_ABOVE)
                .with_state(high),
        ];
        let st = low.or(high);
        let mut missing = Vec::new();
        if k.is_none() {
            missing.push(MissingInput::new("labs.serum_flc_kappa", "serum free light chains (κ and λ)", PURPOSE));
        }
        if l.is_none() {
            missing.push(MissingInput::new("labs.serum_flc_lambda", "serum free light chains (κ and λ)", PURPOSE));
        }
        let mut i = item(
            kb,
            sp("mgus_risk_abnormal_flc_ratio", "abnormal serum κ/λ FLC ratio (< 0.26 or > 1.65)"),
            st,
            cs,
            missing,
        );
        i.rule = "any";
        i
    };
    let factors = vec![m, isotype, flc];
    let met = factors.iter().filter(|i| i.state == ItemState::Met).count() as u8;
    let unknown = factors.iter().filter(|i| i.state == ItemState::Unknown).count() as u8;
    let stratum = if unknown == 0 { Some(MgusStratum::of(met)) } else { None };
    let mut missing: Vec<MissingInput> =
        if stratum.is_none() { factors.iter().flat_map(|i| i.missing.iter().cloned()).collect() } else { vec![] };
    normalise(&mut missing);
    MgusRisk {
        stratum,
        factors_met: met,
        factors_unknown: unknown,
        factors,
        missing_inputs: missing,
        citation: kb.cite(CitationId::MgusMayo2005),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    #[test]
    fn mgus_flc_ratio_bounds_are_normal_at_0_26_and_1_65() {
        assert_eq!(ratio_state(Some(26.0), Some(100.0), Comparator::Lt, 0.26).0, ItemState::NotMet);
        assert_eq!(ratio_state(Some(25.9), Some(100.0), Comparator::Lt, 0.26).0, ItemState::Met);
        assert_eq!(ratio_state(Some(165.0), Some(100.0), Comparator::Gt, 1.65).0, ItemState::NotMet);
        assert_eq!(ratio_state(Some(165.1), Some(100.0), Comparator::Gt, 1.65).0, ItemState::Met);
    }

    #[test]
    fn mgus_strata_count_0_to_3_factors() {
        assert_eq!(MgusStratum::of(0), MgusStratum::Low);
        assert_eq!(MgusStratum::of(1), MgusStratum::LowIntermediate);
        assert_eq!(MgusStratum::of(2), MgusStratum::HighIntermediate);
        assert_eq!(MgusStratum::of(3), MgusStratum::High);
    }
}
