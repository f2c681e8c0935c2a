//! Missing inputs: what was not known, and the test that would decide it.

use serde::Serialize;

/// An input an assessment needed and did not have. Never filled in with a default.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MissingInput {
    /// Dotted path of the field in the patient record, e.g. `labs.albumin`.
    pub field: String,
    /// The test or assessment that would supply it.
    pub test: String,
    /// What it is needed for.
    pub needed_for: String,
}

impl MissingInput {
    /// A missing input.
    pub fn new(field: impl Into<String>, test: impl Into<String>, needed_for: impl Into<String>) -> Self {
        Self { field: field.into(), test: test.into(), needed_for: needed_for.into() }
    }
}

/// Sort and de-duplicate a list of missing inputs (by field, then purpose).
pub fn normalise(list: &mut Vec<MissingInput>) {
    list.sort();
    list.dedup();
}
