//! Rendering a [`crate::Plan`]: JSON (serde, stable key order) and text for a clinician.

pub(crate) mod text;

impl crate::plan::Plan {
    /// The plan as JSON (stable key order; the same bytes from Rust, Python and C).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The plan as readable text for a clinician.
    pub fn to_text(&self) -> String {
        text::plan_text(self)
    }
}
