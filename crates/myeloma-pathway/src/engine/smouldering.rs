//! Smouldering myeloma and MGUS at work-up (issue 9 item 2): what to do when IMWG 2014 says the
//! disease is not active myeloma.
//!
//! - Smouldering, high risk by 20/2/20 (≥ 2 of: serum M-protein > 2 g/dL, FLC ratio > 20,
//!   BMPC > 20%; `smm-20-2-20`): the smouldering ranking of the knowledge base — daratumumab SC
//!   monotherapy (AQUILA) with the label of the guideline's jurisdiction, active monitoring,
//!   lenalidomide (E3A06, trial evidence only).
//! - Smouldering, not high risk: active monitoring only; therapy "is not recommended"
//!   (`asco-oh-2026-smm` Rec 1.2).
//! - Smouldering, group undetermined: active monitoring (offered in every group), the treatments
//!   listed as not offered until the missing tests decide.
//! - The monitoring interval is IMWG 2010's (`imwg-2010-mgus-smm`), the same for every smouldering
//!   risk group: an interval by 20/2/20 group was NOT FOUND (docs/evidence/first-line.md §1d).
//! - MGUS: follow-up by the Mayo 2005 stratum (`mgus-mayo-2005`, IMWG 2010 intervals).

use super::*;
use crate::assess::diagnosis::{Diagnosis, DiagnosisClass, ItemState, MgusRisk, SmmRisk, SmmRiskGroup};
use crate::kb::ranking::OBSERVATION;

/// IMWG 2010 (`imwg-2010-mgus-smm`): first re-test after smouldering myeloma is recognised.
const SMM_FIRST_RETEST: &str = "2–3 months";
/// IMWG 2010: then, if stable, during the first year.
const SMM_FIRST_YEAR: &str = "every 4–6 months for 1 year";
/// IMWG 2010: then, if stable.
const SMM_AFTER: &str = "every 6–12 months";
/// IMWG 2010: first MGUS follow-up, every stratum.
const MGUS_FIRST: &str = "6 months";
/// IMWG 2010: low-risk MGUS after the first follow-up, if stable.
const MGUS_LOW_AFTER: &str = "every 2–3 years, or when symptoms suggestive of a plasma-cell malignancy arise";
/// IMWG 2010: intermediate- and high-risk MGUS after the first follow-up.
const MGUS_OTHER_AFTER: &str = "annually for life";

/// High risk by 20/2/20: `Some(true)` with ≥ 2 factors met, `Some(false)` when even every unknown
/// factor met would leave fewer than 2, `None` otherwise.
pub(super) fn smm_high(r: &SmmRisk) -> Option<bool> {
    if r.factors_met >= 2 {
        Some(true)
    } else if r.factors_met + r.factors_unknown < 2 {
        Some(false)
    } else {
        None
    }
}

fn group_words(r: &SmmRisk) -> String {
    let met: Vec<&str> = r.factors.iter().filter(|i| i.state == ItemState::Met).map(|i| i.label).collect();
    let group = match r.group {
        Some(SmmRiskGroup::High) => "high risk",
        Some(SmmRiskGroup::Intermediate) => "intermediate risk",
        Some(SmmRiskGroup::Low) => "low risk",
        None => "risk group undetermined",
    };
    format!(
        "20/2/20 {group}: {} of 3 factors met{}{}",
        r.factors_met,
        if met.is_empty() { String::new() } else { format!(" ({})", met.join("; ")) },
        if r.factors_unknown > 0 { format!(", {} unknown", r.factors_unknown) } else { String::new() }
    )
}

fn tests_of(m: &[MissingInput]) -> String {
    let mut t: Vec<&str> = m.iter().map(|x| x.test.as_str()).collect();
    t.sort_unstable();
    t.dedup();
    t.join("; ")
}

fn observation_option(cx: &Ctx<'_>, rank: u8, rationale: Vec<String>) -> RankedOption {
    let kb = cx.kb;
    RankedOption {
        rank,
        action: "observe",
        regimen_id: OBSERVATION.to_string(),
        name: "Active monitoring".into(),
        course: format!(
            "no treatment; re-test {SMM_FIRST_RETEST} after smouldering myeloma is recognised, then if stable \
             {SMM_FIRST_YEAR}, then if stable {SMM_AFTER} [{}]",
            CitationId::Imwg2010MgusSmm.key()
        ),
        schedule: vec![
            format!("first re-test: {SMM_FIRST_RETEST} after recognition"),
            format!("if stable: {SMM_FIRST_YEAR}"),
            format!("if stable: {SMM_AFTER}"),
        ],
        step_up: None,
        rationale,
        condition: None,
        notes: vec![
            "the IMWG 2010 interval applies to every smouldering risk group: an interval by 20/2/20 group was \
             NOT FOUND in the project's sources"
                .into(),
            "at each visit re-assess for myeloma-defining events (IMWG 2014): one makes it active myeloma".into(),
        ],
        evidence: vec![],
        schedule_evidence: Evidence::V1,
        label: None,
        citations: vec![kb.cite(CitationId::Imwg2010MgusSmm), kb.cite(CitationId::AscoOh2026Smm)],
        doses: vec![],
        supportive_care: vec![],
        car_t_course: None,
    }
}

fn label_lines(cx: &Ctx<'_>, r: &Regimen) -> (Option<crate::kb::regimen::LabelIndication>, String, Option<String>) {
    let j = cx.g.jurisdiction;
    match r.labels.iter().find(|l| l.jurisdiction == j) {
        Some(l) => {
            let caveat = match j {
                Jurisdiction::Us => {
                    "the US label is not tied to a risk model (the FDA text describes the AQUILA \
                                     population by the 20/2/20 factors) and its verbatim §1 was not read: confirm \
                                     that this patient's high risk meets the label before prescribing"
                }
                Jurisdiction::Eu => {
                    "the EU label defines high risk in SmPC §5.1, which the project has not read: \
                                     confirm that this patient's 20/2/20 high risk meets the §5.1 definition \
                                     before prescribing"
                }
            };
            (
                Some(l.clone()),
                format!("label ({}, {}): \"{}\" — {} [{}]", j.label(), l.agency, l.text, l.version, l.citation),
                Some(caveat.to_string()),
            )
        }
        None => (
            None,
            format!(
                "no {} label for this indication in the knowledge base: in the {} the option rests on trial \
                 evidence only",
                j.label(),
                j.label()
            ),
            None,
        ),
    }
}

/// Work-up of smouldering myeloma (IMWG 2014).
pub(super) fn smouldering(cx: &mut Ctx<'_>, d: &Diagnosis) -> (Vec<RankedOption>, NextDecision) {
    // Induction is still listed as not offered, with the reason (item 1).
    let _ = not_active_myeloma(cx, DiagnosisClass::SmoulderingMyeloma);
    let kb = cx.kb;
    let Some(risk) = d.smm_risk.as_ref() else {
        // Unreachable in practice: the diagnosis attaches 20/2/20 to smouldering myeloma.
        return (vec![observation_option(cx, 1, vec![])], smm_next(cx, None, ""));
    };
    cx.missing.extend(risk.missing_inputs.iter().cloned());
    let words = group_words(risk);
    let high = smm_high(risk);
    let treatments: Vec<&Regimen> = ranked(kb, cx.g, RankedPhase::Smouldering, RankingSetting::Any);
    let mut options = Vec::new();
    match high {
        Some(true) => {
            let order_line = record_ranking(cx, RankedPhase::Smouldering, RankingSetting::Any);
            let order = kb
                .ranking(cx.g.profile, RankedPhase::Smouldering, RankingSetting::Any)
                .map(|r| r.order.clone())
                .unwrap_or_default();
            let mut rank = 0u8;
            for id in order {
                let mut why =
                    vec![format!("smouldering myeloma (IMWG 2014), {words} [{}]", CitationId::Smm20220.key())];
                if let Some(l) = &order_line {
                    why.push(l.clone());
                }
                if id == OBSERVATION {
                    rank += 1;
                    why.push(format!(
                        "ASCO-Ontario Health 2026 Rec 1.1: high-risk smouldering myeloma \"may be offered active \
                         monitoring or Daratumumab\" (conditional, moderate quality) [{}]",
                        CitationId::AscoOh2026Smm.key()
                    ));
                    options.push(observation_option(cx, rank, why));
                    continue;
                }
                let Some(r) = kb.regimen(&id) else { continue };
                if hard_exclusions(cx, r) {
                    continue;
                }
                rank += 1;
                let (label, label_line, caveat) = label_lines(cx, r);
                let mut o = if r.id == RegimenId::DaraScAquila.key() {
                    why.push(format!(
                        "EHA-EMN 2025: \"daratumumab monotherapy for 3 years can be considered in patients with \
                         high-risk SMM\" [I, A] [{}]; ASCO-Ontario Health 2026 Rec 1.1: may be offered, \
                         for up to 36 months (conditional, moderate quality) [{}]",
                        CitationId::EhaEmn2025.key(),
                        CitationId::AscoOh2026Smm.key()
                    ));
                    why.push(label_line);
                    make_option(cx, r, rank, "start", why, None)
                } else {
                    why.push(format!(
                        "ASCO-Ontario Health 2026 Rec 1.1: \"Lenalidomide is not routinely recommended\" \
                         [{}]; E3A06 studied it in intermediate- or high-risk smouldering myeloma by \
                         its own definition [{}]",
                        CitationId::AscoOh2026Smm.key(),
                        CitationId::E3a062020.key()
                    ));
                    why.push(label_line);
                    make_option(cx, r, rank, "start", why, None)
                };
                // Only the label of the guideline's jurisdiction is cited (the option rests on it).
                let other: Vec<&str> = r
                    .labels
                    .iter()
                    .filter(|l| l.jurisdiction != cx.g.jurisdiction)
                    .map(|l| l.citation.as_str())
                    .collect();
                o.citations.retain(|c| !other.contains(&c.key.as_str()));
                o.label = label;
                if let Some(c) = caveat {
                    o.notes.push(c);
                }
                options.push(o);
            }
            (options, smm_next(cx, Some(true), &words))
        }
        Some(false) => {
            for r in treatments {
                exclude(
                    cx,
                    r,
                    format!(
                        "not high risk ({words}): \"Therapy is not recommended for patients with smoldering multiple \
                         myeloma who are not at high risk\" (ASCO-Ontario Health 2026 Rec 1.2, strong)"
                    ),
                    &[CitationId::AscoOh2026Smm.key(), CitationId::Smm20220.key()],
                );
            }
            let why = vec![
                format!("smouldering myeloma (IMWG 2014), {words} [{}]", CitationId::Smm20220.key()),
                format!(
                    "ASCO-Ontario Health 2026 Rec 1.2: therapy is not recommended for smouldering myeloma that is \
                     not high risk (strong, low quality) [{}]",
                    CitationId::AscoOh2026Smm.key()
                ),
            ];
            options.push(observation_option(cx, 1, why));
            (options, smm_next(cx, Some(false), &words))
        }
        None => {
            let tests = tests_of(&risk.missing_inputs);
            for r in treatments {
                exclude(
                    cx,
                    r,
                    format!(
                        "offered only for high-risk smouldering myeloma (20/2/20: 2 or more factors); the group is \
                         undetermined ({words}): needs {tests}"
                    ),
                    &[CitationId::Smm20220.key(), CitationId::AscoOh2026Smm.key()],
                );
            }
            let why = vec![
                format!("smouldering myeloma (IMWG 2014), {words} [{}]", CitationId::Smm20220.key()),
                "active monitoring is an option in every 20/2/20 group (ASCO-Ontario Health 2026 Rec 1.1–1.2), so \
                 no missing value can remove it; treatment depends on the missing factor(s)"
                    .into(),
            ];
            options.push(observation_option(cx, 1, why));
            (options, smm_next(cx, None, &tests))
        }
    }
}

fn smm_next(cx: &Ctx<'_>, high: Option<bool>, detail: &str) -> NextDecision {
    let kb = cx.kb;
    let monitor = format!(
        "if monitored: re-evaluate in {SMM_FIRST_RETEST} (first re-test after recognition), then if stable \
         {SMM_FIRST_YEAR}, then {SMM_AFTER}, re-assessing for myeloma-defining events at each visit (IMWG 2010 \
         interval, the same for every 20/2/20 group; an interval by group was NOT FOUND)"
    );
    let (when, action) = match high {
        Some(true) => (
            "now".to_string(),
            format!(
                "decide with the patient between daratumumab SC (AQUILA; see the label line of the option) and active \
                 monitoring; {monitor}"
            ),
        ),
        Some(false) => {
            (format!("in {SMM_FIRST_RETEST}"), format!("no treatment; {monitor}; re-stratify 20/2/20 with new values"))
        }
        None => (
            "now".to_string(),
            format!(
                "complete the 20/2/20 risk with: {detail} (high risk adds daratumumab SC as an option; otherwise \
                 monitoring only); {monitor}"
            ),
        ),
    };
    NextDecision {
        when,
        action,
        citations: vec![
            kb.cite(CitationId::Imwg2010MgusSmm),
            kb.cite(CitationId::Smm20220),
            kb.cite(CitationId::AscoOh2026Smm),
        ],
    }
}

/// Work-up of MGUS (IMWG 2014): follow-up by the Mayo 2005 stratum (IMWG 2010 intervals).
pub(super) fn mgus(cx: &mut Ctx<'_>, d: &Diagnosis) -> (Vec<RankedOption>, NextDecision) {
    let _ = not_active_myeloma(cx, DiagnosisClass::Mgus);
    let kb = cx.kb;
    let risk: Option<&MgusRisk> = d.mgus_risk.as_ref();
    if let Some(r) = risk {
        cx.missing.extend(r.missing_inputs.iter().cloned());
    }
    let low = risk.and_then(MgusRisk::low);
    let stratum = risk.and_then(|r| r.stratum).map_or("stratum undetermined", |s| s.label());
    let met = risk.map_or(0, |r| r.factors_met);
    let unknown = risk.map_or(3, |r| r.factors_unknown);
    let words = format!(
        "MGUS {stratum} (Mayo 2005: {met} of 3 risk factors met{})",
        if unknown > 0 { format!(", {unknown} unknown") } else { String::new() }
    );
    let tests = risk.map_or(String::new(), |r| tests_of(&r.missing_inputs));
    let after = match low {
        Some(true) => MGUS_LOW_AFTER.to_string(),
        Some(false) => MGUS_OTHER_AFTER.to_string(),
        None => format!("{MGUS_LOW_AFTER} if low risk, {MGUS_OTHER_AFTER} otherwise (the stratum needs: {tests})"),
    };
    let mut why = vec![format!("{words} [{}]", CitationId::MgusMayo2005.key())];
    if low.is_none() {
        why.push(format!(
            "the first follow-up at {MGUS_FIRST} is the same for every stratum, so no missing value changes it"
        ));
    }
    let option = RankedOption {
        rank: 1,
        action: "observe",
        regimen_id: OBSERVATION.to_string(),
        name: "Follow-up (MGUS)".into(),
        course: format!(
            "no treatment; serum protein electrophoresis at {MGUS_FIRST}, then if stable {after} [{}]",
            CitationId::Imwg2010MgusSmm.key()
        ),
        schedule: vec![format!("serum protein electrophoresis at {MGUS_FIRST}"), format!("if stable: {after}")],
        step_up: None,
        rationale: why,
        condition: None,
        notes: vec!["the MGUS criteria encoded are the non-IgM ones (IMWG 2014)".into()],
        evidence: vec![],
        schedule_evidence: Evidence::V1,
        label: None,
        citations: vec![kb.cite(CitationId::Imwg2010MgusSmm), kb.cite(CitationId::MgusMayo2005)],
        doses: vec![],
        supportive_care: vec![],
        car_t_course: None,
    };
    (
        vec![option],
        NextDecision {
            when: format!("in {MGUS_FIRST}"),
            action: format!(
                "re-evaluate with serum protein electrophoresis; if stable, follow up {after} ({words}; IMWG 2010)"
            ),
            citations: vec![kb.cite(CitationId::Imwg2010MgusSmm), kb.cite(CitationId::MgusMayo2005)],
        },
    )
}

/// The position in words for smouldering myeloma and MGUS at work-up.
pub(super) fn describe_not_active(d: &Diagnosis) -> Option<String> {
    match d.class {
        DiagnosisClass::SmoulderingMyeloma => Some(match &d.smm_risk {
            Some(r) => format!("smouldering myeloma (IMWG 2014), not treated: {}", group_words(r)),
            None => "smouldering myeloma (IMWG 2014), not treated".into(),
        }),
        DiagnosisClass::Mgus => Some(match d.mgus_risk.as_ref().and_then(|r| r.stratum) {
            Some(s) => format!("MGUS (IMWG 2014), {} (Mayo 2005): follow-up, no treatment", s.label()),
            None => "MGUS (IMWG 2014), stratum undetermined (Mayo 2005): follow-up, no treatment".into(),
        }),
        _ => None,
    }
}

/// A what-if on the 20/2/20 risk: the factor `id` flipped (met ↔ not met), the group recounted.
pub(super) fn flip_smm_factor(d: &mut Diagnosis, id: &str) {
    let Some(r) = d.smm_risk.as_mut() else { return };
    for f in r.factors.iter_mut().filter(|f| f.id == id) {
        f.state = match f.state {
            ItemState::Met => ItemState::NotMet,
            ItemState::NotMet => ItemState::Met,
            ItemState::Unknown => ItemState::Unknown,
        };
    }
    r.factors_met = r.factors.iter().filter(|i| i.state == ItemState::Met).count() as u8;
    r.factors_unknown = r.factors.iter().filter(|i| i.state == ItemState::Unknown).count() as u8;
    let group_of = |n: u8| match n {
        0 => SmmRiskGroup::Low,
        1 => SmmRiskGroup::Intermediate,
        _ => SmmRiskGroup::High,
    };
    r.group = if group_of(r.factors_met) == group_of(r.factors_met + r.factors_unknown) {
        Some(group_of(r.factors_met))
    } else {
        None
    };
}
