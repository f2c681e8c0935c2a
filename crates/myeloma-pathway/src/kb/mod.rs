//! The knowledge base: citations, regimens and rankings, with its version and SHA-256.
//!
//! A [`KnowledgeBase`] is a value the caller passes in ([`crate::recommend_with`],
//! [`crate::pathway::transition_with`], every assessment): a centre can review and load its own
//! with [`KnowledgeBase::from_json`]. [`KnowledgeBase::embedded`] is the one compiled into the
//! library (`kb/knowledge-base.json`, checked when the library is built). Every result's basis
//! carries [`KnowledgeBase::version`] and [`KnowledgeBase::sha256`] so an answer can be
//! reproduced later.
//!
//! Loading checks every reference: a regimen or ranking naming a citation that does not exist, a
//! ranking naming a regimen that does not exist, and a knowledge base lacking a citation, regimen
//! or ranking that the code relies on are errors naming the entry, never an empty or partial base.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub mod citation;
pub mod ranking;
pub mod regimen;

pub use citation::{Citation, Evidence};
pub use ranking::{Jurisdiction, Profile, RankedPhase, Ranking, RankingSetting};
use regimen::Regimen;

include!(concat!(env!("OUT_DIR"), "/kb_ids.rs"));

/// The embedded knowledge-base text.
pub const EMBEDDED_JSON: &str = include_str!("../../kb/knowledge-base.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KbFile {
    version: String,
    description: String,
    citations: Vec<Citation>,
    regimens: Vec<Regimen>,
    rankings: Vec<Ranking>,
}

/// Citations, regimens and rankings, indexed and cross-checked.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct KnowledgeBase {
    version: String,
    description: String,
    sha256: String,
    citations: BTreeMap<String, Citation>,
    regimens: Vec<Regimen>,
    rankings: Vec<Ranking>,
}

fn unknown(field: String, kind: &str, id: &str) -> Error {
    Error::UnknownIdentifier { field, kind: kind.into(), id: id.to_string() }.bounded()
}

impl KnowledgeBase {
    /// Parse a knowledge base from JSON (strict: unknown keys, duplicate keys and arrays for
    /// objects refused) and check every reference in it.
    ///
    /// # Errors
    /// [`Error::InvalidJson`] naming the key path; [`Error::Inconsistent`] for a duplicate id;
    /// [`Error::UnknownIdentifier`] for a reference to a citation or regimen that does not exist,
    /// or when a citation, regimen or ranking that the library's rules name is missing.
    ///
    /// # Example
    /// ```
    /// use myeloma_pathway::KnowledgeBase;
    /// let kb = KnowledgeBase::from_json(myeloma_pathway::kb::EMBEDDED_JSON).unwrap();
    /// assert_eq!(kb.sha256(), myeloma_pathway::kb::EMBEDDED_SHA256);
    /// let renamed = myeloma_pathway::kb::EMBEDDED_JSON.replace(r#""id": "vrd""#, r#""id": "vrd-renamed""#);
    /// assert!(KnowledgeBase::from_json(&renamed).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        Self::from_json_hashed(json, None)
    }

    /// As [`KnowledgeBase::from_json`], with the SHA-256 already known (the embedded file's,
    /// computed at build time: [`EMBEDDED_SHA256`]) so it is not computed again at run time.
    fn from_json_hashed(json: &str, sha256: Option<&str>) -> Result<Self> {
        let f: KbFile = crate::json::parse(json).map_err(|e| match e {
            Error::InvalidJson { field, message } => {
                Error::InvalidJson { field: format!("knowledge_base.{field}"), message }.bounded()
            }
            other => other,
        })?;
        Self::from_file(f, json, sha256)
    }

    /// The embedded file, read without the strict reader's duplicate-key and path tracking
    /// (which cost about three quarters of the start-up instructions): the text is fixed at build
    /// time, and the test `embedded_knowledge_base_fast_read_equals_the_strict_read` proves that
    /// the strict reader accepts it and gives the same knowledge base. Every check that follows
    /// the parse (keys, references, what the rules name) still runs.
    fn embedded_fast(json: &str, sha256: &str) -> Result<Self> {
        let f: KbFile = serde_json::from_str(json)
            .map_err(|e| Error::InvalidJson { field: "knowledge_base".into(), message: e.to_string() }.bounded())?;
        Self::from_file(f, json, Some(sha256))
    }

    /// The checks after parsing, shared by every reader.
    fn from_file(f: KbFile, json: &str, sha256: Option<&str>) -> Result<Self> {
        let mut citations = BTreeMap::new();
        for (i, c) in f.citations.into_iter().enumerate() {
            let key = c.key.clone();
            if citations.insert(key.clone(), c).is_some() {
                return Err(Error::invalid(
                    format!("knowledge_base.citations[{i}].key"),
                    format!("duplicate key `{key}`"),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for (i, r) in f.regimens.iter().enumerate() {
            if !seen.insert(r.id.as_str()) {
                return Err(Error::invalid(
                    format!("knowledge_base.regimens[{i}].id"),
                    format!("duplicate id `{}`", r.id),
                ));
            }
            for k in r.citation_key_refs() {
                if !citations.contains_key(k) {
                    return Err(unknown(format!("knowledge_base.regimens[{i}] ({})", r.id), "citation", k));
                }
            }
            // A CAR-T regimen is given as a course of steps (apheresis … monitoring), never as a
            // regimen "continued": every step must be there for both jurisdictions.
            let car_t = r.drugs().iter().any(|d| d.class() == crate::record::DrugClass::BcmaCarT);
            match (&r.car_t_course, car_t) {
                (Some(c), true) => c.check().map_err(|m| {
                    Error::invalid(format!("knowledge_base.regimens[{i}].car_t_course"), format!("{}: {m}", r.id))
                })?,
                (None, true) => {
                    return Err(Error::invalid(
                        format!("knowledge_base.regimens[{i}].car_t_course"),
                        format!("{}: a CAR-T regimen needs its course (apheresis to monitoring)", r.id),
                    ))
                }
                (Some(_), false) => {
                    return Err(Error::invalid(
                        format!("knowledge_base.regimens[{i}].car_t_course"),
                        format!("{}: only a CAR-T regimen has a CAR-T course", r.id),
                    ))
                }
                (None, false) => {}
            }
        }
        for (i, r) in f.regimens.iter().enumerate() {
            if let Some(c) = &r.continuation {
                if !seen.contains(c.as_str()) {
                    return Err(unknown(format!("knowledge_base.regimens[{i}].continuation"), "regimen", c));
                }
            }
        }
        for (i, rk) in f.rankings.iter().enumerate() {
            for id in &rk.order {
                if !seen.contains(id.as_str()) && id != ranking::OBSERVATION {
                    return Err(unknown(format!("knowledge_base.rankings[{i}].order"), "regimen", id));
                }
            }
            for k in &rk.citations {
                if !citations.contains_key(k) {
                    return Err(unknown(format!("knowledge_base.rankings[{i}].citations"), "citation", k));
                }
            }
        }
        // What the rules in code name must exist, whatever else a centre changes.
        for c in CitationId::ALL {
            if !citations.contains_key(c.key()) {
                return Err(unknown("knowledge_base.citations".into(), "citation the rules cite", c.key()));
            }
        }
        for r in RegimenId::ALL {
            if !seen.contains(r.key()) {
                return Err(unknown("knowledge_base.regimens".into(), "regimen the rules name", r.key()));
            }
        }
        for (profile, phase, setting) in ranking::REQUIRED {
            if !f.rankings.iter().any(|r| r.serves(profile, phase, setting)) {
                return Err(unknown(
                    "knowledge_base.rankings".into(),
                    "ranking",
                    &format!("{} / {} / {}", profile.id(), phase.id(), setting.id()),
                ));
            }
        }
        let sha256 = match sha256 {
            Some(h) => h.to_string(),
            None => Sha256::digest(json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect(),
        };
        Ok(Self {
            version: f.version,
            description: f.description,
            sha256,
            citations,
            regimens: f.regimens,
            rankings: f.rankings,
        })
    }

    /// The knowledge base compiled into the library.
    ///
    /// # Panics
    /// Never in a released build: `build.rs` checks the embedded file's structure when the
    /// library is compiled and the test `embedded_knowledge_base_fast_read_equals_the_strict_read` its full strict parse, so the
    /// `expect` below is unreachable unless the build was tampered with.
    pub fn embedded() -> &'static KnowledgeBase {
        static KB: OnceLock<KnowledgeBase> = OnceLock::new();
        #[allow(clippy::expect_used)]
        KB.get_or_init(|| {
            KnowledgeBase::embedded_fast(EMBEDDED_JSON, EMBEDDED_SHA256)
                .expect("the embedded knowledge base is checked at build time")
        })
    }

    /// The citation for a key the rules name (always present: checked at load).
    pub fn cite(&self, id: CitationId) -> Citation {
        self.cite_key(id.key())
    }

    /// The citation for a key; an unknown key (only possible for keys written in a
    /// caller-built value, never for those the knowledge base or the rules name, both checked at
    /// load) gives a citation whose source says so.
    pub fn cite_key(&self, key: &str) -> Citation {
        self.citations.get(key).cloned().unwrap_or_else(|| Citation {
            key: key.to_string(),
            source: "UNKNOWN CITATION KEY (not in this knowledge base)".to_string(),
            version: String::new(),
            section: String::new(),
            evidence: Evidence::M,
            reference: String::new(),
        })
    }

    /// The regimen the rules name (always present: checked at load).
    pub fn regimen_by_id(&self, id: RegimenId) -> Option<&Regimen> {
        self.regimen(id.key())
    }

    /// The ranking for a profile, phase and setting (always present for the settings the rules
    /// use: checked at load).
    pub fn ranking(&self, profile: Profile, phase: RankedPhase, setting: RankingSetting) -> Option<&Ranking> {
        self.rankings.iter().find(|r| r.serves(profile, phase, setting))
    }

    /// All rankings, in file order.
    pub fn rankings(&self) -> &[Ranking] {
        &self.rankings
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
