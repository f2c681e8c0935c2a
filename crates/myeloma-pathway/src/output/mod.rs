//! Rendering a [`crate::Plan`]: JSON (serde, stable key order) and text for a clinician.

pub(crate) mod json;
pub(crate) mod text;

impl crate::plan::Plan {
    /// The plan as JSON (stable key order; the same bytes from Rust, Python and C).
    pub fn to_json(&self) -> String {
        // Byte for byte serde_json's compact output (output/json.rs), pre-sized for a plan
        // (47–72 KB for the examples and golden cases).
        json::to_string(self, 96 * 1024)
    }

    /// The plan as readable text for a clinician.
    pub fn to_text(&self) -> String {
        text::plan_text(self)
    }
}
