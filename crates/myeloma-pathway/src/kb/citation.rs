//! Citations: where each threshold, dose, schedule and rule comes from.
//!
//! Citations live in the embedded knowledge base (`kb/knowledge-base.json`) under stable keys;
//! rules in code refer to them by typed id ([`crate::kb::CitationId`], generated from the
//! knowledge base at build time) through [`crate::KnowledgeBase::cite`]. Every clinical output carries full [`Citation`] values, so a result is
//! checkable on its own.

use serde::{Deserialize, Serialize};

/// How a fact was checked (the tags of `docs/clinical-basis.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Stable key, e.g. `iss-2005`.
    pub key: String,
    /// The source: authors, title, journal or label.
    pub source: String,
    /// Year or label version.
    pub version: String,
    /// The source's own section, table or item (e.g. `Panel 1`, `section 2.8, Table 6`), or, where
    /// the source names none, what the rule comes from in it (e.g. `staging definition (abstract)`).
    pub section: String,
    /// How it was checked.
    pub evidence: Evidence,
    /// Identifiers of the documents read to check it, so a reader can open them: DOI, PMID, PMC id,
    /// label set id or URL, e.g. `doi:10.1056/NEJMoa2204925; PMID 35660812`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
}
