//! Relapsed/refractory lines: the options whose population fits, in the ranking's order.

use std::collections::BTreeSet;

use super::*;

pub(super) fn relapse_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    if let Some(cur) = s.current_regimen.clone() {
        let opts: Vec<RankedOption> =
            continue_option(cx, Some(&cur), format!("line {} therapy in progress", s.line)).into_iter().collect();
        return (
            opts,
            NextDecision {
                when: "at each response assessment".into(),
                action: "assess response (IMWG); progression opens the next line".into(),
                citations: vec![cx.kb.cite(CitationId::Imwg2016Response)],
            },
        );
    }
    let prior = s.prior_lines();
    let mut options = Vec::new();
    let mut rank = 0u8;
    let kb = cx.kb;
    for r in ranked(kb, cx.g, RankedPhase::Relapse, RankingSetting::Any) {
        if !r.uses.contains(&Use::Relapse) {
            continue;
        }
        if let Some(c) = &r.relapse_criteria {
            if prior < c.min_prior_lines {
                exclude(
                    cx,
                    r,
                    format!("studied after at least {} prior line(s); this patient has {prior}", c.min_prior_lines),
                    &[r.evidence.first().map_or(CitationId::ArticlePathway.key(), |e| e.citation.as_str())],
                );
                continue;
            }
            if let Some(max) = c.max_prior_lines {
                if prior > max {
                    exclude(
                        cx,
                        r,
                        format!("studied after 1–{max} prior lines; this patient has {prior}"),
                        &[r.evidence.first().map_or(CitationId::ArticlePathway.key(), |e| e.citation.as_str())],
                    );
                    continue;
                }
            }
            if c.triple_class_exposed && !s.triple_class_exposed() {
                exclude(cx, r, "needs prior exposure to a proteasome inhibitor, an IMiD and an anti-CD38 antibody (triple-class exposed)".into(), &[r.evidence.first().map_or(CitationId::ArticlePathway.key(), |e| e.citation.as_str())]);
                continue;
            }
            if let Some(d) = c.refractory_to.iter().find(|d| !s.refractory.contains(d)) {
                exclude(
                    cx,
                    r,
                    format!(
                        "studied in {}-refractory disease; this patient's disease is not recorded as refractory to it",
                        d.name()
                    ),
                    &[r.evidence.first().map_or(CitationId::ArticlePathway.key(), |e| e.citation.as_str())],
                );
                continue;
            }
            if let Some(d) = c.exposed_to.iter().find(|d| !s.exposed.contains(d)) {
                exclude(
                    cx,
                    r,
                    format!("studied after prior {}; no exposure recorded", d.name()),
                    &[r.evidence.first().map_or(CitationId::ArticlePathway.key(), |e| e.citation.as_str())],
                );
                continue;
            }
        }
        if hard_exclusions(cx, r) {
            continue;
        }
        rank = rank.saturating_add(1);
        let mut why = vec![format!(
            "relapse line {} ({prior} prior line(s)); trial population fits: {}",
            s.line,
            r.evidence.iter().map(|e| format!("{} ({})", e.trial, e.population)).collect::<Vec<_>>().join("; ")
        )];
        let classes: BTreeSet<DrugClass> = r.drugs().iter().map(|d| d.class()).collect();
        if classes.contains(&DrugClass::AntiCd38) {
            why.push("anti-CD38 antibody combination (article: CD38-targeting agents at relapse)".into());
        }
        if classes.contains(&DrugClass::BcmaCarT) {
            why.push("CAR-T cell therapy (article: relapsed/refractory disease)".into());
        }
        if classes.contains(&DrugClass::BispecificBcma) || classes.contains(&DrugClass::BispecificGprc5d) {
            why.push("bispecific antibody (article: relapsed/refractory disease)".into());
        }
        let opt = make_option(cx, r, rank, "start", why, None);
        options.push(opt);
    }
    (
        options,
        NextDecision {
            when: "before starting the next line".into(),
            action: "confirm progression (IMWG), refractoriness and prior exposures; then assess response each cycle"
                .into(),
            citations: vec![cx.kb.cite(CitationId::Imwg2016Response), cx.kb.cite(CitationId::ArticlePathway)],
        },
    )
}
