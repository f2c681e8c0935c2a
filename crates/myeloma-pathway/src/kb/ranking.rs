//! Rankings as data: for each guideline profile, phase and setting, the order in which regimens
//! are offered, with the guideline or source it follows. The engine evaluates them; it holds no
//! order of its own.

use serde::{Deserialize, Serialize};

/// A ranking profile: which ordering of the options the caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// The current cited guidelines (the default): NCCN Multiple Myeloma V.1.2025 (D-VRd
    /// preferred for transplant candidates, DRd for non-transplant candidates, Category 1) and
    /// the ASCO–Ontario Health Living Guideline 2026 (a quadruplet "should be offered" to the
    /// transplant-eligible).
    #[default]
    #[serde(rename = "guideline_2026")]
    Guideline2026,
    /// The seed article's shape: PI + IMiD + dexamethasone triplet first, quadruplets listed with
    /// their trials after it.
    Article,
    /// Anti-CD38 quadruplets (D-VRd, Isa-VRd) first, per PERSEUS, GMMG-HD7, CEPHEUS and IMROZ.
    QuadrupletFirst,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Guideline2026, Profile::Article, Profile::QuadrupletFirst];

    /// Stable identifier (as in JSON).
    pub fn id(&self) -> &'static str {
        match self {
            Profile::Guideline2026 => "guideline_2026",
            Profile::Article => "article",
            Profile::QuadrupletFirst => "quadruplet_first",
        }
    }
}

/// Label jurisdiction where US and EU labels differ (lenalidomide renal bands, bispecific
/// step-up days, CAR-T dose ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// United States prescribing information.
    #[default]
    Us,
    /// European Union SmPC.
    Eu,
}

impl Jurisdiction {
    /// Stable identifier (as in JSON).
    pub fn id(&self) -> &'static str {
        match self {
            Jurisdiction::Us => "us",
            Jurisdiction::Eu => "eu",
        }
    }

    /// In words, as text output shows it.
    pub fn label(&self) -> &'static str {
        match self {
            Jurisdiction::Us => "US",
            Jurisdiction::Eu => "EU",
        }
    }
}

/// The phase a ranking orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankedPhase {
    /// First-line induction.
    Induction,
    /// Maintenance.
    Maintenance,
    /// A relapsed/refractory line.
    Relapse,
    /// Smouldering myeloma at work-up: treatment of high-risk disease or active monitoring.
    Smouldering,
}

/// The reserved id of active monitoring (observation without treatment) in a ranking's
/// `order`: not a regimen, but ranked among them where a guideline offers it as an alternative
/// (ASCO-Ontario Health 2026 Rec 1.1 for high-risk smouldering myeloma).
pub const OBSERVATION: &str = "observation";

impl RankedPhase {
    /// Stable identifier (as in JSON).
    pub fn id(&self) -> &'static str {
        match self {
            RankedPhase::Induction => "induction",
            RankedPhase::Maintenance => "maintenance",
            RankedPhase::Relapse => "relapse",
            RankedPhase::Smouldering => "smouldering",
        }
    }
}

/// The setting a ranking applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankingSetting {
    /// Transplant-eligible (also used while eligibility is undetermined).
    TransplantEligible,
    /// Transplant-ineligible.
    TransplantIneligible,
    /// Any setting.
    Any,
}

impl RankingSetting {
    /// Stable identifier (as in JSON).
    pub fn id(&self) -> &'static str {
        match self {
            RankingSetting::TransplantEligible => "transplant_eligible",
            RankingSetting::TransplantIneligible => "transplant_ineligible",
            RankingSetting::Any => "any",
        }
    }
}

/// One ranking: the regimens of a phase in the order offered.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ranking {
    /// The profiles this ranking serves.
    pub profiles: Vec<Profile>,
    /// The phase.
    pub phase: RankedPhase,
    /// The setting.
    pub setting: RankingSetting,
    /// Regimen ids, best first (each checked at load).
    pub order: Vec<String>,
    /// What the order follows, in words.
    pub basis: String,
    /// Citation keys of the order's source (each checked at load).
    pub citations: Vec<String>,
}

impl Ranking {
    /// Whether this ranking serves the profile, phase and setting.
    pub fn serves(&self, profile: Profile, phase: RankedPhase, setting: RankingSetting) -> bool {
        self.profiles.contains(&profile) && self.phase == phase && self.setting == setting
    }
}

/// The rankings the engine asks for: every profile needs each of these (checked at load).
pub const REQUIRED: [(Profile, RankedPhase, RankingSetting); 15] = [
    (Profile::Guideline2026, RankedPhase::Induction, RankingSetting::TransplantEligible),
    (Profile::Guideline2026, RankedPhase::Induction, RankingSetting::TransplantIneligible),
    (Profile::Guideline2026, RankedPhase::Maintenance, RankingSetting::Any),
    (Profile::Guideline2026, RankedPhase::Relapse, RankingSetting::Any),
    (Profile::Article, RankedPhase::Induction, RankingSetting::TransplantEligible),
    (Profile::Article, RankedPhase::Induction, RankingSetting::TransplantIneligible),
    (Profile::Article, RankedPhase::Maintenance, RankingSetting::Any),
    (Profile::Article, RankedPhase::Relapse, RankingSetting::Any),
    (Profile::QuadrupletFirst, RankedPhase::Induction, RankingSetting::TransplantEligible),
    (Profile::QuadrupletFirst, RankedPhase::Induction, RankingSetting::TransplantIneligible),
    (Profile::QuadrupletFirst, RankedPhase::Maintenance, RankingSetting::Any),
    (Profile::QuadrupletFirst, RankedPhase::Relapse, RankingSetting::Any),
    (Profile::Guideline2026, RankedPhase::Smouldering, RankingSetting::Any),
    (Profile::Article, RankedPhase::Smouldering, RankingSetting::Any),
    (Profile::QuadrupletFirst, RankedPhase::Smouldering, RankingSetting::Any),
];
