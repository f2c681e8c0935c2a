//! `myeloma_pathway.KnowledgeBase`: a knowledge base as a value (the embedded one, or a
//! centre's own loaded from JSON text or a file), passed as `kb=` to every assessment.
//!
//! Loading goes through the core's `KnowledgeBase::from_json` (strict parse, every reference
//! checked): a broken file raises the core's error naming the entry, never an empty base.

use std::sync::Arc;

use myeloma_pathway::kb::regimen::{Duration, Setting};
use myeloma_pathway::{api, KnowledgeBase};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

use crate::guarded;

/// The embedded knowledge base, or one the caller loaded.
#[derive(Clone)]
pub(crate) enum Kb {
    Embedded,
    Loaded(Arc<KnowledgeBase>),
}

impl Kb {
    pub(crate) fn get(&self) -> &KnowledgeBase {
        match self {
            Kb::Embedded => KnowledgeBase::embedded(),
            Kb::Loaded(kb) => kb,
        }
    }
}

/// The `kb=` argument of a native function: `None` is the embedded knowledge base.
pub(crate) fn kb_of(kb: Option<&Bound<'_, PyKnowledgeBase>>) -> Kb {
    kb.map_or(Kb::Embedded, |k| k.get().0.clone())
}

/// Cycles of a course. Fixed time: the engine's calendar (engine/maintenance.rs,
/// `fixed_duration_reached`): months of 365.25/12 days in whole cycles. It belongs on `Regimen`
/// in the core; until then tests/test_card_timeline.py pins this to the engine's warning.
fn cycles_of(duration: Duration, cycle_length_days: u16) -> Option<u32> {
    match duration {
        Duration::Cycles { count } => Some(u32::from(count)),
        Duration::Months { count } => Some(u32::from(count) * 36525 / 1200 / u32::from(cycle_length_days.max(1))),
        Duration::Single => Some(1),
        Duration::UntilProgression => None,
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// A knowledge base: citations, regimens and rankings (see `docs/python.md`).
#[pyclass(frozen, name = "KnowledgeBase", module = "myeloma_pathway._native")]
pub struct PyKnowledgeBase(pub(crate) Kb);

#[pymethods]
impl PyKnowledgeBase {
    /// The knowledge base compiled into the library (what every function uses without `kb=`).
    #[staticmethod]
    fn embedded() -> Self {
        PyKnowledgeBase(Kb::Embedded)
    }

    /// Load a knowledge base from JSON text; raises the core's error naming the entry.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let kb = guarded(py, || KnowledgeBase::from_json(text))?;
        Ok(PyKnowledgeBase(Kb::Loaded(Arc::new(kb))))
    }

    /// Load a knowledge base from a UTF-8 JSON file; `OSError` when the file cannot be read.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| PyOSError::new_err(format!("{}: cannot read the knowledge base: {e}", path.display())))?;
        Self::from_json(py, &text)
    }

    /// The knowledge base's version.
    #[getter]
    fn version(&self) -> String {
        self.0.get().version().to_string()
    }

    /// SHA-256 of the knowledge base's JSON text (hex), as every result's basis names it.
    #[getter]
    fn sha256(&self) -> String {
        self.0.get().sha256().to_string()
    }

    /// `{"library_version", "version", "sha256"}` as JSON.
    fn identity_json(&self) -> String {
        api::kb_identity_json_of(self.0.get())
    }

    /// The regimens as FHIR R4 `PlanDefinition` / `ActivityDefinition` resources (a `Bundle`,
    /// JSON text): the bytes `mmpath kb --fhir` and C's `mp_kb_fhir_json` give.
    fn to_fhir_json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || myeloma_pathway_fhir::knowledge_base_fhir_json(self.0.get()))
    }

    /// A regimen as JSON (cycle length, components, days, duration), or `None`.
    fn regimen_json(&self, id: &str) -> Option<String> {
        self.0.get().regimen(id).and_then(|r| serde_json::to_string(r).ok())
    }

    /// Every regimen id, in the knowledge base's order.
    fn regimen_ids(&self) -> Vec<String> {
        self.0.get().regimens().iter().map(|r| r.id.clone()).collect()
    }

    /// The number of cycles of a regimen's whole course: the fixed count, or for a fixed time
    /// the calendar months in cycles (24 months of 28-day cycles = 26); `None` for a course that
    /// runs until progression; `1` for a single administration. With `setting`
    /// (`transplant_eligible`, `transplant_ineligible`, `relapsed`), the course studied in that
    /// setting where the knowledge base has one. Raises for an unknown id or setting.
    #[pyo3(signature = (regimen_id, setting=None))]
    fn course_cycles(&self, py: Python<'_>, regimen_id: &str, setting: Option<&str>) -> PyResult<Option<u32>> {
        let kb = self.0.clone();
        guarded(py, || {
            let r = kb.get().regimen(regimen_id).ok_or_else(|| myeloma_pathway::Error::UnknownIdentifier {
                field: "regimen_id".into(),
                kind: "regimen".into(),
                id: regimen_id.to_string(),
            })?;
            let course = match setting {
                None => None,
                Some(s) => {
                    let s: Setting = myeloma_pathway::json::parse(&serde_json::Value::String(s.into()).to_string())
                        .map_err(|_| myeloma_pathway::Error::UnknownIdentifier {
                            field: "setting".into(),
                            kind: "setting".into(),
                            id: s.to_string(),
                        })?;
                    r.course(s)
                }
            };
            Ok(match course {
                Some(c) => cycles_of(c.duration, c.cycle_length_days),
                None => cycles_of(r.duration, r.cycle_length_days),
            })
        })
    }

    /// Every citation key, sorted.
    fn citation_keys(&self) -> Vec<String> {
        self.0.get().citations().map(|c| c.key.clone()).collect()
    }

    /// A citation as JSON (source, version, section, evidence), or `None`.
    fn citation_json(&self, key: &str) -> Option<String> {
        self.0.get().citation(key).and_then(|c| serde_json::to_string(c).ok())
    }

    fn __repr__(&self) -> String {
        let kb = self.0.get();
        let which = match self.0 {
            Kb::Embedded => "embedded",
            Kb::Loaded(_) => "loaded",
        };
        format!("KnowledgeBase({which}, version={:?}, sha256={:?})", kb.version(), kb.sha256())
    }
}
