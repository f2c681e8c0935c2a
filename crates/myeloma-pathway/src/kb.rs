//! The embedded knowledge base: citations and regimens, with its version and SHA-256.
//!
//! The data is `kb/knowledge-base.json`, compiled into the library. Every result's basis carries
//! [`KnowledgeBase::version`] and [`KnowledgeBase::sha256`] so an answer can be reproduced later.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::citation::Citation;
use crate::error::{Error, Result};
use crate::regimen::Regimen;

/// The embedded knowledge-base text.
pub const EMBEDDED_JSON: &str = include_str!("../kb/knowledge-base.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KbFile {
    version: String,
    description: String,
    citations: Vec<Citation>,
    regimens: Vec<Regimen>,
}

/// Citations and regimens, indexed.
#[derive(Debug, Clone, Serialize)]
pub struct KnowledgeBase {
    version: String,
    description: String,
    sha256: String,
    citations: BTreeMap<String, Citation>,
    regimens: Vec<Regimen>,
}

impl KnowledgeBase {
    /// Parse a knowledge base from JSON and check its internal references.
    ///
    /// # Errors
    /// Parse errors; a duplicate id; a regimen citing an unknown key.
    pub fn from_json(json: &str) -> Result<Self> {
        let f: KbFile = serde_json::from_str(json)
            .map_err(|e| Error::InvalidJson { field: "knowledge-base".into(), message: e.to_string() })?;
        let mut citations = BTreeMap::new();
        for c in f.citations {
            let key = c.key.clone();
            if citations.insert(key.clone(), c).is_some() {
                return Err(Error::invalid("knowledge-base.citations", format!("duplicate key {key}")));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &f.regimens {
            if !seen.insert(r.id.clone()) {
                return Err(Error::invalid("knowledge-base.regimens", format!("duplicate id {}", r.id)));
            }
            for k in r.citation_keys() {
                if !citations.contains_key(&k) {
                    return Err(Error::UnknownIdentifier {
                        field: format!("knowledge-base.regimens.{}", r.id),
                        kind: "citation".into(),
                        id: k,
                    });
                }
            }
        }
        let digest = Sha256::digest(json.as_bytes());
        let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self { version: f.version, description: f.description, sha256, citations, regimens: f.regimens })
    }

    /// The knowledge base compiled into the library.
    pub fn embedded() -> &'static KnowledgeBase {
        static KB: OnceLock<KnowledgeBase> = OnceLock::new();
        KB.get_or_init(|| {
            // The embedded file is checked by the test suite; an empty base is the only fallback
            // that cannot panic, and every lookup then fails visibly.
            KnowledgeBase::from_json(EMBEDDED_JSON).unwrap_or_else(|e| KnowledgeBase {
                version: format!("INVALID: {e}"),
                description: String::new(),
                sha256: String::new(),
                citations: BTreeMap::new(),
                regimens: Vec::new(),
            })
        })
    }

    /// Version string, e.g. `2026.11.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Lower-case hex SHA-256 of the knowledge-base JSON.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// A citation by key.
    pub fn citation(&self, key: &str) -> Option<&Citation> {
        self.citations.get(key)
    }

    /// All citations, by key.
    pub fn citations(&self) -> impl Iterator<Item = &Citation> {
        self.citations.values()
    }

    /// A regimen by id.
    pub fn regimen(&self, id: &str) -> Option<&Regimen> {
        self.regimens.iter().find(|r| r.id == id)
    }

    /// All regimens, in file order.
    pub fn regimens(&self) -> &[Regimen] {
        &self.regimens
    }
}
