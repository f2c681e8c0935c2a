//! Missing inputs: what was not known, and the test that would decide it.

use serde::Serialize;

/// An input an assessment needed and did not have. Never filled in with a default.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
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

/// One missing field with the test that would supply it and everything it is needed for:
/// the list of [`MissingInput`] grouped by field (a plan names one entry per purpose, so an
/// empty record repeats a field once for each staging system, risk rule and eligibility rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MissingField {
    /// Dotted path of the field in the patient record, e.g. `labs.albumin`.
    pub field: String,
    /// The test or assessment that would supply it (distinct tests joined by `"; "`, in order).
    pub test: String,
    /// What it is needed for, each purpose once, in the order of the list.
    pub needed_for: Vec<String>,
}

/// Group missing inputs by field, in the order each field first appears; a purpose or test
/// repeated for the same field is listed once.
pub fn by_field(list: &[MissingInput]) -> Vec<MissingField> {
    // The distinct tests of each field are kept apart and joined at the end: a test's own text
    // may contain "; ", so splitting the joined string cannot tell whether a test is listed.
    let mut out: Vec<(MissingField, Vec<&str>)> = Vec::new();
    for m in list {
        match out.iter_mut().find(|(g, _)| g.field == m.field) {
            Some((g, tests)) => {
                if !tests.contains(&m.test.as_str()) {
                    tests.push(&m.test);
                }
                if !g.needed_for.contains(&m.needed_for) {
                    g.needed_for.push(m.needed_for.clone());
                }
            }
            None => out.push((
                MissingField { field: m.field.clone(), test: String::new(), needed_for: vec![m.needed_for.clone()] },
                vec![m.test.as_str()],
            )),
        }
    }
    out.into_iter()
        .map(|(mut g, tests)| {
            g.test = tests.join("; ");
            g
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn a_test_whose_text_holds_a_semicolon_is_listed_once() {
        let t = "partner's potential (counselling; by the label's criteria)";
        let list = vec![
            MissingInput::new("pregnancy_prevention.partner_of_childbearing_potential", t, "VRd"),
            MissingInput::new("pregnancy_prevention.partner_of_childbearing_potential", t, "KRd"),
            MissingInput::new("pregnancy_prevention.partner_of_childbearing_potential", "another test", "KRd"),
        ];
        let g = by_field(&list);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].test, format!("{t}; another test"));
        assert_eq!(g[0].needed_for, ["VRd", "KRd"]);
    }

    #[test]
    fn a_field_missing_for_three_purposes_is_listed_once_with_all_three() {
        let list = vec![
            MissingInput::new("labs.albumin", "serum albumin", "ISS"),
            MissingInput::new("labs.ldh", "serum LDH", "R-ISS"),
            MissingInput::new("labs.albumin", "serum albumin", "R-ISS"),
            MissingInput::new("labs.albumin", "serum albumin", "R2-ISS"),
            MissingInput::new("labs.albumin", "serum albumin", "ISS"),
        ];
        let g = by_field(&list);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].field, "labs.albumin");
        assert_eq!(g[0].test, "serum albumin");
        assert_eq!(g[0].needed_for, ["ISS", "R-ISS", "R2-ISS"]);
        assert_eq!(g[1].needed_for, ["R-ISS"]);
    }

    #[test]
    fn two_different_tests_for_one_field_are_both_named() {
        let list = vec![
            MissingInput::new("ecog", "ECOG", "eligibility"),
            MissingInput::new("ecog", "clinic review", "frailty"),
        ];
        assert_eq!(by_field(&list)[0].test, "ECOG; clinic review");
    }
}
