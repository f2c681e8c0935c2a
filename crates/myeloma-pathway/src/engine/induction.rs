//! Work-up and induction: the first-line options by transplant setting, and the diagnosis gate.

use std::collections::BTreeSet;

use super::*;

pub(super) fn induction_order<'k>(kb: &'k KnowledgeBase, g: &Guideline, e: Eligibility) -> Vec<&'k Regimen> {
    let setting = match e {
        Eligibility::Eligible | Eligibility::Undetermined => RankingSetting::TransplantEligible,
        Eligibility::Ineligible => RankingSetting::TransplantIneligible,
    };
    ranked(kb, g, RankedPhase::Induction, setting)
}

pub(super) fn is_pi_imid_dex_triplet(r: &Regimen) -> bool {
    let classes: BTreeSet<DrugClass> = r.drugs().iter().map(|d| d.class()).collect();
    classes.contains(&DrugClass::ProteasomeInhibitor)
        && classes.contains(&DrugClass::ImmunomodulatoryDrug)
        && classes.contains(&DrugClass::Corticosteroid)
}

pub(super) fn induction_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let e = cx.state.transplant_eligibility();
    let mut options = Vec::new();
    let mut rank = 0u8;
    let kb = cx.kb;
    let setting = match e {
        Eligibility::Eligible | Eligibility::Undetermined => RankingSetting::TransplantEligible,
        Eligibility::Ineligible => RankingSetting::TransplantIneligible,
    };
    let order_basis = record_ranking(cx, RankedPhase::Induction, setting);
    for r in induction_order(kb, cx.g, e) {
        let te = r.settings.contains(&Setting::TransplantEligible);
        let ti = r.settings.contains(&Setting::TransplantIneligible);
        match e {
            Eligibility::Ineligible if !ti => {
                exclude(cx, r, "studied in transplant-eligible patients (induction before transplant); this patient is transplant-ineligible".into(), &[CitationId::ArticlePathway.key()]);
                continue;
            }
            Eligibility::Eligible if !te => {
                exclude(
                    cx,
                    r,
                    "studied in transplant-ineligible patients; this patient is transplant-eligible".into(),
                    &[CitationId::ArticlePathway.key()],
                );
                continue;
            }
            _ => {}
        }
        let settings: &[Setting] = match e {
            Eligibility::Eligible => &[Setting::TransplantEligible],
            Eligibility::Ineligible => &[Setting::TransplantIneligible],
            Eligibility::Undetermined => &[Setting::TransplantEligible, Setting::TransplantIneligible],
        };
        let readings = match first_line_label(r, cx.g.jurisdiction, settings) {
            FirstLineLabel::NotRecommended(l) => {
                exclude_not_recommended(cx, r, l);
                continue;
            }
            FirstLineLabel::Readings(x) => x,
        };
        if hard_exclusions(cx, r) {
            continue;
        }
        rank = rank.saturating_add(1);
        let mut why = Vec::new();
        if is_pi_imid_dex_triplet(r) && r.components.iter().all(|c| c.drug.class() != DrugClass::AntiCd38) {
            why.push(
                "triplet induction: proteasome inhibitor + immunomodulatory drug + dexamethasone (article, Phase 1)"
                    .to_string(),
            );
        }
        if r.drugs().iter().any(|d| d.class() == DrugClass::AntiCd38) {
            why.push(format!(
                "anti-CD38 {} with trial evidence: {}",
                if is_pi_imid_dex_triplet(r) { "quadruplet" } else { "combination" },
                r.evidence.iter().map(|t| t.trial.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        match e {
            Eligibility::Eligible => why.push("transplant-eligible: induction before autologous transplant".into()),
            Eligibility::Ineligible => {
                why.push("transplant-ineligible: induction then 4–6 further cycles (article, Phase 2)".into())
            }
            Eligibility::Undetermined => {}
        }
        let condition = match (e, te, ti) {
            (Eligibility::Undetermined, true, false) => Some("if transplant-eligible".to_string()),
            (Eligibility::Undetermined, false, true) => Some("if transplant-ineligible".to_string()),
            _ => None,
        };
        why.extend(order_basis.clone());
        let mut opt = make_option(cx, r, rank, "start", why, condition);
        apply_first_line_label(cx, &mut opt, &readings);
        options.push(opt);
    }
    if e != Eligibility::Ineligible
        && options.iter().any(|o| kb.regimen(&o.regimen_id).is_some_and(|r| r.drugs().contains(&Drug::Lenalidomide)))
    {
        warn(
            cx,
            "stem_cell_collection",
            "lenalidomide-containing induction: collect stem cells within 4 cycles if transplant is planned (US label)"
                .into(),
            &[CitationId::LenMobilization.key()],
        );
    }
    let next_decision = induction_next_decision(cx, &options);
    (options, next_decision)
}

/// The next decision after induction starts, from the first-ranked option's own course (the
/// plan's recommendation), naming the other options whose course decides differently.
fn induction_next_decision(cx: &Ctx<'_>, options: &[RankedOption]) -> NextDecision {
    let kb = cx.kb;
    let regimens: Vec<&Regimen> = options.iter().filter_map(|o| kb.regimen(&o.regimen_id)).collect();
    let citations = vec![kb.cite(CitationId::ArticlePathway), kb.cite(CitationId::Imwg2016Response)];
    let Some(first) = regimens.first() else {
        let n = cx.g.induction_cycles_before_assessment;
        return NextDecision {
            when: format!("after cycle {n} of induction"),
            action: "assess response (IMWG) and decide consolidation: autologous transplant if eligible, else 4–6 further cycles".into(),
            citations,
        };
    };
    let (n, _) = decision_cycles(cx, first);
    let others: Vec<String> = regimens
        .get(1..)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            let (k, _) = decision_cycles(cx, r);
            (k != n).then(|| format!("{}: after cycle {k}", r.name))
        })
        .collect();
    let when = if others.is_empty() {
        format!("after cycle {n} of induction ({})", first.name)
    } else {
        format!("after cycle {n} of induction ({}; {})", first.name, others.join("; "))
    };
    NextDecision { when, action: next_action(kb, first), citations }
}

/// What the decision after a first-line regimen's cycles is.
pub(super) fn next_action(kb: &KnowledgeBase, r: &Regimen) -> String {
    if let Some(c) = r.continuation.as_deref().and_then(|c| kb.regimen(c)) {
        return format!("start {} as studied until progression; assess response (IMWG)", c.name);
    }
    if r.duration == crate::kb::regimen::Duration::UntilProgression {
        return "assess response (IMWG); continue as studied until progression".into();
    }
    "assess response (IMWG) and decide consolidation: autologous transplant if eligible, else 4–6 further cycles".into()
}

/// Work-up of a record that IMWG 2014 does not classify as active myeloma: induction is not
/// offered (each regimen is listed as not offered, with the reason), and the next decision is to
/// confirm the diagnosis.
pub(super) fn not_active_myeloma(
    cx: &mut Ctx<'_>,
    class: crate::assess::diagnosis::DiagnosisClass,
) -> (Vec<RankedOption>, NextDecision) {
    use crate::assess::diagnosis::DiagnosisClass as D;
    let label = match class {
        D::SmoulderingMyeloma => "smouldering myeloma",
        D::Mgus => "MGUS",
        D::SolitaryPlasmacytoma => "solitary plasmacytoma",
        D::MultipleMyeloma | D::NotClassifiable => "not active myeloma",
    };
    let kb = cx.kb;
    for r in induction_order(kb, cx.g, cx.state.transplant_eligibility()) {
        {
            exclude(
                cx,
                r,
                format!("the record meets the IMWG 2014 criteria for {label}, not active multiple myeloma"),
                &[CitationId::Imwg2014Diagnosis.key()],
            );
        }
    }
    warn(
        cx,
        "not_active_myeloma",
        format!("IMWG 2014 classifies this record as {label}: the myeloma treatment pathway applies to active multiple myeloma"),
        &[CitationId::Imwg2014Diagnosis.key()],
    );
    (
        vec![],
        NextDecision {
            when: "now".into(),
            action: format!(
                "confirm the diagnosis ({label}); monitor per the criteria, and re-assess for myeloma-defining events"
            ),
            citations: vec![cx.kb.cite(CitationId::Imwg2014Diagnosis)],
        },
    )
}

/// Work-up of a record whose IMWG 2014 class cannot be decided from the inputs: no treatment is
/// offered (only established active myeloma gets induction), each induction regimen is listed as
/// not offered with the reason, the diagnosis's missing inputs are reported with their tests, and
/// the next decision names those tests and what each possible class would mean.
pub(super) fn not_classifiable(
    cx: &mut Ctx<'_>,
    d: &crate::assess::diagnosis::Diagnosis,
) -> (Vec<RankedOption>, NextDecision) {
    use crate::assess::diagnosis::DiagnosisClass as D;
    let kb = cx.kb;
    for r in induction_order(kb, cx.g, cx.state.transplant_eligibility()) {
        exclude(
            cx,
            r,
            "the IMWG 2014 diagnosis of active multiple myeloma is not established from the record: induction is given only for active myeloma (see missing inputs)".into(),
            &[CitationId::Imwg2014Diagnosis.key()],
        );
    }
    cx.missing.extend(d.missing_inputs.iter().cloned());
    warn(
        cx,
        "diagnosis_not_established",
        "the IMWG 2014 diagnosis is not established from the record: no treatment is offered until the deciding tests are done (see missing inputs)".into(),
        &[CitationId::Imwg2014Diagnosis.key()],
    );
    let mut tests: Vec<String> = d.missing_inputs.iter().map(|m| m.test.clone()).collect();
    tests.sort();
    tests.dedup();
    // What each class still possible would mean; with no candidate listed, every class is open.
    let open: Vec<D> = if d.candidates.is_empty() {
        vec![D::MultipleMyeloma, D::SmoulderingMyeloma, D::Mgus]
    } else {
        d.candidates.clone()
    };
    let meaning: Vec<&str> = open
        .iter()
        .filter_map(|c| match c {
            D::MultipleMyeloma => Some("active multiple myeloma → induction by transplant eligibility"),
            D::SmoulderingMyeloma => {
                Some("smouldering myeloma → no induction; 20/2/20 high risk: daratumumab SC (AQUILA, where labelled) or active monitoring, otherwise active monitoring")
            }
            D::Mgus => Some("MGUS → follow-up by its risk stratum, no treatment"),
            D::SolitaryPlasmacytoma => Some("solitary plasmacytoma → not the myeloma induction pathway"),
            D::NotClassifiable => None,
        })
        .collect();
    (
        vec![],
        NextDecision {
            when: "now, before any treatment".into(),
            action: format!(
                "complete the diagnosis (IMWG 2014) with: {}; the result decides: {}",
                if tests.is_empty() { "the tests named in missing inputs".to_string() } else { tests.join("; ") },
                meaning.join("; ")
            ),
            citations: vec![kb.cite(CitationId::Imwg2014Diagnosis), kb.cite(CitationId::Smm20220)],
        },
    )
}

pub(super) fn during_induction(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    let kb = cx.kb;
    let cur = s.current_regimen();
    let reg = cur.and_then(|i| kb.regimen(i));
    let (n, course_words) = match reg {
        Some(r) => decision_cycles(cx, r),
        None => {
            let n = u16::from(cx.g.induction_cycles_before_assessment);
            (n, format!("{n} cycles before the response assessment (article: 3–4)"))
        }
    };
    let ineligible = s.transplant_eligibility() == Eligibility::Ineligible;
    let has_continuation = reg.is_some_and(|r| r.continuation.is_some());
    if ineligible && has_continuation && s.cycles_in_phase() >= n {
        // The fixed cycles are done: the regimen's own continuation follows (no consolidation).
        if let Some(o) = studied_continuation(cx, None) {
            return (vec![o], continuous_next(cx));
        }
    }
    let waits_for_response = !(ineligible && has_continuation);
    if s.cycles_in_phase() < n || (waits_for_response && s.last_response().is_none()) {
        let when = if s.cycles_in_phase() < n {
            format!("after cycle {n} ({} to go)", n - s.cycles_in_phase())
        } else {
            "now".to_string()
        };
        let opts: Vec<RankedOption> =
            continue_option(cx, cur, format!("induction in progress: {} of {course_words}", s.cycles_in_phase()))
                .into_iter()
                .collect();
        if opts.is_empty() {
            if let Some(r) = reg {
                warn(
                    cx,
                    "current_regimen_excluded",
                    format!(
                        "the current regimen {} is now excluded: see `excluded`; choose another induction regimen",
                        r.name
                    ),
                    &[],
                );
            }
        }
        let action = match reg {
            Some(r)
                if ineligible && (has_continuation || r.duration == crate::kb::regimen::Duration::UntilProgression) =>
            {
                next_action(kb, r)
            }
            _ => "assess response (IMWG) to decide consolidation".into(),
        };
        return (
            opts,
            NextDecision {
                when,
                action,
                citations: vec![cx.kb.cite(CitationId::ArticlePathway), cx.kb.cite(CitationId::Imwg2016Response)],
            },
        );
    }
    consolidation_options(cx)
}
