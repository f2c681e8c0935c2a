//! One three-valued logic for every criterion the assessments check: met, not met, or unknown
//! (an input is missing and the criterion could go either way). Unknown is not negative (safety
//! principle 2): it combines by Kleene's strong logic, so a conjunction with one unmet part is
//! not met and a disjunction with one met part is met whatever the missing inputs are, and
//! otherwise an unknown part leaves the whole unknown.
//!
//! Diagnosis items (`diagnosis::ItemState` is this type), response requirements, risk criteria
//! (`risk::CriterionState` adds "not assessable" on top of it) and the R-ISS high-risk-CA rule
//! all compute with it.

use serde::Serialize;

use crate::record::Status;

/// The state of one criterion.
///
/// JSON: `"met"`, `"not_met"`, `"unknown"` (the schema keeps the name `ItemState` that
/// diagnosis has always published).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ItemState", description = "The state of one criterion.")]
pub enum Truth {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// An input is missing and the item could go either way.
    Unknown,
}

impl Truth {
    /// A decided value.
    pub fn from_bool(b: bool) -> Self {
        if b {
            Truth::Met
        } else {
            Truth::NotMet
        }
    }

    /// `None` (a value was missing) is unknown.
    pub fn from_option(b: Option<bool>) -> Self {
        b.map_or(Truth::Unknown, Truth::from_bool)
    }

    /// A cytogenetic finding: detected is met, not detected is not met, not tested is unknown.
    pub fn from_status(s: Status) -> Self {
        match s {
            Status::Detected => Truth::Met,
            Status::NotDetected => Truth::NotMet,
            Status::NotTested => Truth::Unknown,
        }
    }

    /// `Some(true)`, `Some(false)`, or `None` when unknown (the JSON of response criteria).
    pub fn to_option(self) -> Option<bool> {
        match self {
            Truth::Met => Some(true),
            Truth::NotMet => Some(false),
            Truth::Unknown => None,
        }
    }

    /// Kleene conjunction: not met if either is; met if both are; otherwise unknown.
    #[must_use]
    pub fn and(self, o: Self) -> Self {
        match (self, o) {
            (Truth::NotMet, _) | (_, Truth::NotMet) => Truth::NotMet,
            (Truth::Met, Truth::Met) => Truth::Met,
            _ => Truth::Unknown,
        }
    }

    /// Kleene disjunction: met if either is; not met if both are not; otherwise unknown.
    #[must_use]
    pub fn or(self, o: Self) -> Self {
        match (self, o) {
            (Truth::Met, _) | (_, Truth::Met) => Truth::Met,
            (Truth::NotMet, Truth::NotMet) => Truth::NotMet,
            _ => Truth::Unknown,
        }
    }

    /// Conjunction of all (met for none).
    pub fn all(states: impl IntoIterator<Item = Self>) -> Self {
        states.into_iter().fold(Truth::Met, Self::and)
    }

    /// Disjunction of any (not met for none).
    pub fn any(states: impl IntoIterator<Item = Self>) -> Self {
        states.into_iter().fold(Truth::NotMet, Self::or)
    }

    /// Met.
    pub fn is_met(self) -> bool {
        self == Truth::Met
    }
}

/// Kleene negation (`!t`): unknown stays unknown.
impl std::ops::Not for Truth {
    type Output = Truth;
    fn not(self) -> Truth {
        match self {
            Truth::Met => Truth::NotMet,
            Truth::NotMet => Truth::Met,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, Met, NotMet, Unknown};

    const ALL: [Truth; 3] = [Met, NotMet, Unknown];

    /// Kleene's strong three-valued truth tables, written out (T, F, U).
    fn table_and(a: Truth, b: Truth) -> Truth {
        match (a, b) {
            (Met, Met) => Met,
            (Met, NotMet) | (NotMet, Met) | (NotMet, NotMet) | (NotMet, Unknown) | (Unknown, NotMet) => NotMet,
            (Met, Unknown) | (Unknown, Met) | (Unknown, Unknown) => Unknown,
        }
    }
    fn table_or(a: Truth, b: Truth) -> Truth {
        match (a, b) {
            (NotMet, NotMet) => NotMet,
            (Met, _) | (_, Met) => Met,
            (NotMet, Unknown) | (Unknown, NotMet) | (Unknown, Unknown) => Unknown,
        }
    }

    /// The three values as the sets of truth values they allow: Kleene's logic is the one that
    /// gives exactly what every completion of the unknowns agrees on.
    fn completions(t: Truth) -> Vec<bool> {
        match t {
            Met => vec![true],
            NotMet => vec![false],
            Unknown => vec![true, false],
        }
    }
    fn agreed(values: &[bool]) -> Truth {
        if values.iter().all(|v| *v) {
            Met
        } else if values.iter().all(|v| !*v) {
            NotMet
        } else {
            Unknown
        }
    }

    #[test]
    fn and_or_not_agree_with_kleene_s_truth_tables_exhaustively() {
        for a in ALL {
            assert_eq!(
                !a,
                match a {
                    Met => NotMet,
                    NotMet => Met,
                    Unknown => Unknown,
                }
            );
            for b in ALL {
                assert_eq!(a.and(b), table_and(a, b), "{a:?} and {b:?}");
                assert_eq!(a.or(b), table_or(a, b), "{a:?} or {b:?}");
                // De Morgan, and commutativity.
                assert_eq!(!a.and(b), (!a).or(!b));
                assert_eq!((a.and(b), a.or(b)), (b.and(a), b.or(a)));
                let ands: Vec<bool> =
                    completions(a).iter().flat_map(|x| completions(b).into_iter().map(move |y| *x && y)).collect();
                let ors: Vec<bool> =
                    completions(a).iter().flat_map(|x| completions(b).into_iter().map(move |y| *x || y)).collect();
                assert_eq!((a.and(b), a.or(b)), (agreed(&ands), agreed(&ors)));
            }
        }
    }

    /// Every sequence of up to `n` values.
    fn sequences(n: usize) -> Vec<Vec<Truth>> {
        let mut out = vec![vec![]];
        let mut last = vec![vec![]];
        for _ in 0..n {
            last = last.iter().flat_map(|s: &Vec<Truth>| ALL.map(|t| [s.clone(), vec![t]].concat())).collect();
            out.extend(last.iter().cloned());
        }
        out
    }

    #[test]
    fn all_and_any_are_the_folds_of_and_and_or_over_every_sequence_up_to_five() {
        for s in sequences(5) {
            let every = if s.contains(&NotMet) {
                NotMet
            } else if s.contains(&Unknown) {
                Unknown
            } else {
                Met
            };
            let some = if s.contains(&Met) {
                Met
            } else if s.contains(&Unknown) {
                Unknown
            } else {
                NotMet
            };
            assert_eq!((Truth::all(s.clone()), Truth::any(s.clone())), (every, some), "{s:?}");
        }
        assert_eq!((Truth::all([]), Truth::any([])), (Met, NotMet));
    }

    #[test]
    fn a_missing_value_is_unknown_and_round_trips() {
        assert_eq!(Truth::from_option(None), Unknown);
        for b in [true, false] {
            assert_eq!(Truth::from_option(Some(b)), Truth::from_bool(b));
            assert_eq!(Truth::from_bool(b).to_option(), Some(b));
        }
        assert_eq!(Unknown.to_option(), None);
    }
}
