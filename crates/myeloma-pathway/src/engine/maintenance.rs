//! Maintenance by cytogenetic risk, and its monitoring.

use super::*;

pub(super) fn maintenance_condition(level: RiskLevel, fit: RiskFit) -> (bool, Option<String>) {
    // Returns (rank-first?, condition).
    match (level, fit) {
        (_, RiskFit::Any) => (false, None),
        (RiskLevel::Standard, RiskFit::Standard) | (RiskLevel::High, RiskFit::High) => (true, None),
        (RiskLevel::Standard, RiskFit::High) | (RiskLevel::High, RiskFit::Standard) => (false, None),
        (RiskLevel::Undetermined, RiskFit::Standard) => (true, Some("if standard cytogenetic risk".into())),
        (RiskLevel::Undetermined, RiskFit::High) => (true, Some("if high cytogenetic risk".into())),
    }
}

pub(super) fn maintenance_options(cx: &mut Ctx<'_>, after_transplant: bool) -> Vec<RankedOption> {
    let kb = cx.kb;
    let level = cx.risk().level;
    let mut firsts = Vec::new();
    let mut seconds = Vec::new();
    let mut regimens = ranked(kb, cx.g, RankedPhase::Maintenance, RankingSetting::Any);
    let order_basis = record_ranking(cx, RankedPhase::Maintenance, RankingSetting::Any);
    if after_transplant && cx.state.induction_regimen() == Some(RegimenId::DVrdPerseus.key()) {
        // PERSEUS continues its own programme after transplant (D-R), ahead of the ranking.
        if let Some(dr) = kb.regimen_by_id(RegimenId::DrMaintenance) {
            regimens.insert(0, dr);
        }
    }
    let settings: &[Setting] =
        if after_transplant { &[Setting::TransplantEligible] } else { &[Setting::TransplantIneligible] };
    let mut readings = Vec::new();
    for r in regimens {
        // The label's limitation of use first: it decides whatever the counts.
        let reading = match first_line_label(r, cx.g.jurisdiction, settings) {
            FirstLineLabel::NotRecommended(l) => {
                exclude_not_recommended(cx, r, l);
                continue;
            }
            FirstLineLabel::Readings(x) => x,
        };
        if hard_exclusions(cx, r) {
            continue;
        }
        readings.push((r.id.clone(), reading));
        let fit = r.risk_fit.unwrap_or(RiskFit::Any);
        let (first, condition) = maintenance_condition(level, fit);
        let mut why = Vec::new();
        match fit {
            RiskFit::Standard => why.push("standard cytogenetic risk: long-term oral lenalidomide (article, Phase 3)".to_string()),
            RiskFit::High if r.drugs().len() > 1 => why.push(format!(
                "high cytogenetic risk: a proteasome inhibitor with lenalidomide (article, Phase 3: proteasome-inhibitor based); {}",
                r.evidence.iter().map(|e| format!("{}: {} [{}]", e.trial, e.result, e.citation)).collect::<Vec<_>>().join("; ")
            )),
            RiskFit::High => why.push("high cytogenetic risk: continuous proteasome-inhibitor based maintenance (article, Phase 3; schedule per the cited trial)".to_string()),
            RiskFit::Any => why.push("continues the PERSEUS D-VRd programme after transplant".to_string()),
        }
        match (level, fit) {
            (RiskLevel::High, RiskFit::Standard) => why.push(
                "this patient's cytogenetic risk is high: the standard-risk choice, ranked after the high-risk ones"
                    .to_string(),
            ),
            (RiskLevel::Standard, RiskFit::High) => why.push(
                "this patient's cytogenetic risk is standard: the high-risk choice, ranked after the standard-risk one"
                    .to_string(),
            ),
            _ => {}
        }
        if level == RiskLevel::High && fit == RiskFit::High && !cx.risk().deciding.is_empty() {
            why.push(format!("risk decided by: {} ({})", cx.risk().deciding.join("; "), cx.risk().definition.id()));
        }
        why.extend(order_basis.clone());
        let dr_first = fit == RiskFit::Any;
        let entry = (r, why, condition);
        if first || dr_first {
            firsts.push(entry);
        } else {
            seconds.push(entry);
        }
    }
    // Each risk's choices are ranked in the ranking's order, so an undetermined risk puts each
    // risk's first choice at rank 1, conditionally. For high risk the article names "bortezomib
    // or ixazomib" without an order and no cited guideline grade was verified (first-line.md §6):
    // bortezomib (HOVON-65) ranks first and single-agent ixazomib after it, with its evidence
    // (TOURMALINE-MM3: a PFS gain without an OS gain) as the reason.
    let undetermined = level == RiskLevel::Undetermined;
    let mut out = Vec::new();
    let mut seen: Vec<(RiskFit, String)> = Vec::new();
    for (r, mut why, cond) in firsts {
        let fit = r.risk_fit.unwrap_or(RiskFit::Any);
        let before: Vec<&String> =
            seen.iter().filter(|(f, _)| *f == fit && fit != RiskFit::Any).map(|(_, n)| n).collect();
        let rank = u8::try_from(before.len()).unwrap_or(u8::MAX).saturating_add(1);
        if let Some(prev) = before.last() {
            let ev: Vec<String> =
                r.evidence.iter().map(|e| format!("{}: {} [{}]", e.trial, e.result, e.citation)).collect();
            why.push(format!(
                "ranked after {prev}: no cited guideline grade orders them for this risk; its evidence: {}",
                ev.join("; ")
            ));
        }
        seen.push((fit, r.name.clone()));
        out.push(make_option(cx, r, rank, "maintenance", why, cond));
    }
    let next = out.iter().map(|o| o.rank).max().unwrap_or(0).saturating_add(1);
    for (r, why, cond) in seconds {
        out.push(make_option(cx, r, next, "maintenance", why, cond));
    }
    for o in &mut out {
        if let Some((_, x)) = readings.iter().find(|(id, _)| *id == o.regimen_id) {
            apply_first_line_label(cx, o, x);
        }
    }
    if undetermined {
        warn(
            cx,
            "risk_undetermined",
            format!(
                "cytogenetic risk is undetermined ({}): the maintenance choice depends on it; see missing inputs",
                cx.risk().definition.id()
            ),
            &[CitationId::ArticlePathway.key()],
        );
    }
    out
}

pub(super) fn during_maintenance(cx: &mut Ctx<'_>, mrd: &MrdSummary) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    let cur = s.current_regimen();
    let mut opts: Vec<RankedOption> =
        continue_option(cx, cur, "maintenance until progression or the regimen's fixed duration".into())
            .into_iter()
            .collect();
    if let Some(r) = cur.and_then(|i| cx.kb.regimen(i)) {
        // The article's maintenance is chosen by risk: say so if the running one does not fit.
        match (r.risk_fit, cx.risk().level) {
            (Some(RiskFit::Standard), RiskLevel::High) => warn(cx, "maintenance_risk_mismatch", format!("{} is the standard-risk choice but cytogenetic risk is high: consider proteasome-inhibitor based maintenance", r.name), &[CitationId::ArticlePathway.key()]),
            (Some(RiskFit::High), RiskLevel::Standard) => warn(cx, "maintenance_risk_mismatch", format!("{} is the high-risk choice but cytogenetic risk is standard: lenalidomide is the article's standard-risk maintenance", r.name), &[CitationId::ArticlePathway.key()]),
            _ => {}
        }
        if r.id == RegimenId::DrMaintenance.key() && mrd.sustained_negative && s.cycles_in_phase() >= 26 {
            warn(cx, "daratumumab_may_stop", "sustained MRD negativity (≥12 months) after ≥24 months of D-R: PERSEUS stopped daratumumab here; lenalidomide continues".into(), &[CitationId::Perseus.key()]);
        }
        if let crate::kb::regimen::Duration::Months { count } = r.duration {
            // Calendar months of 365.25/12 days: 24 months = 730 days = 26 × 28-day or 52 × 14-day cycles.
            let cycles_total = u32::from(count) * 36525 / 1200 / u32::from(r.cycle_length_days.max(1));
            if u32::from(s.cycles_in_phase()) >= cycles_total {
                warn(
                    cx,
                    "fixed_duration_reached",
                    format!("{} is given for {count} months; that duration is reached", r.name),
                    &r.evidence.iter().map(|e| e.citation.as_str()).collect::<Vec<_>>(),
                );
            }
        }
    }
    for o in &mut opts {
        o.rank = 1;
    }
    (
        opts,
        NextDecision {
            when: "at each response assessment".into(),
            action: "monitor response (IMWG) and MRD; progression opens the next line".into(),
            citations: vec![cx.kb.cite(CitationId::Imwg2016Response)],
        },
    )
}
