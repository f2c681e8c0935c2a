//! First-line label lines (session 8): which label reading, in the guideline's jurisdiction, a
//! first-line option rests on (docs/evidence/first-line-labels.md). Trial and guideline evidence
//! still rank the options; the label reading says whether the option is named by a label, within a
//! broad one, or off-label there, and a label's limitation of use ("not recommended") excludes it.

use super::*;
use crate::kb::regimen::{LabelIndication, LabelScope};

/// The reading that decides, for one regimen in the settings the patient may be in.
pub(super) enum FirstLineLabel<'k> {
    /// The label advises against it: excluded.
    NotRecommended(&'k LabelIndication),
    /// A reading per setting (one, or two when transplant eligibility is undetermined and the
    /// readings differ), each `None` when no reading for that setting is in the knowledge base.
    Readings(Vec<(Setting, Option<&'k LabelIndication>)>),
}

/// The reading for one setting. Relapse indications (at least one prior line) are not readings
/// of first-line use.
fn reading(r: &Regimen, j: Jurisdiction, setting: Setting) -> Option<&LabelIndication> {
    let here = || {
        r.labels
            .iter()
            .filter(move |l| l.jurisdiction == j && l.min_prior_lines == 0)
            .filter(move |l| l.settings.is_empty() || l.settings.contains(&setting))
    };
    // The most specific finding wins: a limitation of use, then a label naming it, then broad
    // wording, then "not within".
    [LabelScope::NotRecommended, LabelScope::Named, LabelScope::Broad, LabelScope::NotWithin]
        .into_iter()
        .find_map(|scope| here().find(|l| l.scope == scope))
}

/// The label reading(s) for `r` in `settings` (the patient's setting, or both while undetermined).
pub(super) fn first_line_label<'k>(r: &'k Regimen, j: Jurisdiction, settings: &[Setting]) -> FirstLineLabel<'k> {
    let mut out: Vec<(Setting, Option<&'k LabelIndication>)> =
        settings.iter().filter(|s| r.settings.contains(s)).map(|&s| (s, reading(r, j, s))).collect();
    // Excluded only when every setting the patient may be in has the limitation of use.
    let against = |x: &Option<&LabelIndication>| x.is_some_and(|l| l.scope == LabelScope::NotRecommended);
    if let Some((_, Some(l))) = out.first().filter(|_| out.iter().all(|(_, x)| against(x))) {
        return FirstLineLabel::NotRecommended(l);
    }
    if let [(_, a), (_, b)] = out.as_slice() {
        if a == b {
            out.truncate(1);
        }
    }
    FirstLineLabel::Readings(out)
}

fn setting_words(s: Setting) -> &'static str {
    match s {
        Setting::TransplantEligible => "transplant-eligible",
        Setting::TransplantIneligible => "transplant-ineligible",
        Setting::Relapsed => "relapsed",
        Setting::Smouldering => "smouldering",
    }
}

fn one_line(l: Option<&LabelIndication>, j: Jurisdiction) -> String {
    let jj = j.id().to_uppercase();
    match l {
        Some(l) => match l.scope {
            LabelScope::Named => format!("label ({}, {}): \"{}\"", l.agency, l.version, l.text),
            LabelScope::Broad => format!(
                "within the broad wording of the {jj} label ({}, {}): \"{}\", which names no line, setting or partner drug for this combination",
                l.agency, l.version, l.text
            ),
            LabelScope::NotWithin => format!(
                "not within {} {jj} label ({}, {}): {}; offered on trial and guideline evidence (off-label in this jurisdiction)",
                if j == Jurisdiction::Eu { "an" } else { "a" },
                l.agency,
                l.version,
                l.text
            ),
            LabelScope::NotRecommended => {
                format!("{jj} label ({}, {}) advises against it: \"{}\"", l.agency, l.version, l.text)
            }
        },
        None => format!(
            "no {jj} label reading for this regimen in this setting is in the knowledge base: whether it is within a label is not verified"
        ),
    }
}

/// Applies the reading to a built option: the rationale line(s), the label (a covering one) and
/// its citation.
pub(super) fn apply_first_line_label(
    cx: &mut Ctx<'_>,
    opt: &mut RankedOption,
    readings: &[(Setting, Option<&LabelIndication>)],
) {
    if cx.first_only {
        // A counterfactual reads no more of an option than its rank, action, id and name.
        return;
    }
    let j = cx.g.jurisdiction;
    match readings {
        [(_, l)] => opt.rationale.push(one_line(*l, j)),
        many => {
            for (s, l) in many {
                opt.rationale.push(format!("if {}: {}", setting_words(*s), one_line(*l, j)));
            }
        }
    }
    let covering: Vec<&LabelIndication> =
        readings.iter().filter_map(|(_, l)| *l).filter(|l| l.scope.covers()).collect();
    // The option's `label` is a covering reading only when every possible setting has one.
    if covering.len() == readings.len() {
        if let Some(l) = covering.first() {
            opt.label = Some((*l).clone());
        }
    }
    for l in readings.iter().filter_map(|(_, l)| *l) {
        if !opt.citations.iter().any(|c| c.key == l.citation) {
            opt.citations.push(cx.kb.cite_key(&l.citation));
        }
    }
}

/// Excludes a regimen whose label advises against it, with the label's words.
pub(super) fn exclude_not_recommended(cx: &mut Ctx<'_>, r: &Regimen, l: &LabelIndication) {
    let j = cx.g.jurisdiction;
    exclude(cx, r, one_line(Some(l), j), &[l.citation.as_str()]);
}
