//! Citations: where each threshold, dose, schedule and rule comes from.
//!
//! Citations live in the embedded knowledge base (`kb/knowledge-base.json`) under stable keys;
//! rules in code refer to them by key through [`cite`], and a test checks that every key used
//! in code exists there. Every clinical output carries full [`Citation`] values, so a result is
//! checkable on its own.

use serde::{Deserialize, Serialize};

/// How a fact was checked, as tagged in the project's clinical reference (§0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Evidence {
    /// Verified in a primary or official text.
    V1,
    /// Verified in a secondary source only.
    V2,
    /// From general knowledge, unchecked: shown with a "confirm before use" note.
    M,
    /// Sources conflict; the caller's choice (jurisdiction, version) decides.
    C,
}

/// One citable source: publication or label, version or year, and section.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Stable key, e.g. `iss-2005`.
    pub key: String,
    /// The source: authors, title, journal or label.
    pub source: String,
    /// Year or label version.
    pub version: String,
    /// Section, table or item of the source (and of the project's clinical reference).
    pub section: String,
    /// How it was checked.
    pub evidence: Evidence,
    /// Source numbers in the project's clinical reference (§11), e.g. `S7, S8`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
}

/// The citation with `key` from the embedded knowledge base.
///
/// Unknown keys give a placeholder citation whose `source` says so; the test
/// `every_cited_key_exists` makes that unreachable for keys used in this crate.
pub fn cite(key: &str) -> Citation {
    crate::kb::KnowledgeBase::embedded().citation(key).cloned().unwrap_or_else(|| Citation {
        key: key.to_string(),
        source: "UNKNOWN CITATION KEY (a bug: report it)".to_string(),
        version: String::new(),
        section: String::new(),
        evidence: Evidence::M,
        reference: String::new(),
    })
}
