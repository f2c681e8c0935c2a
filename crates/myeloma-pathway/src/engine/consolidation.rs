//! Consolidation: autologous transplant (single or tandem) or further induction cycles.

use super::*;

pub(super) fn consolidation_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    let induction = s.induction_regimen();
    let mut options = Vec::new();
    match s.transplant_eligibility() {
        Eligibility::Ineligible => {
            if let Some(o) = studied_continuation(cx, None) {
                // Continuous first-line therapy (MAIA, CEPHEUS, IMROZ): no consolidation step.
                return (vec![o], continuous_next(cx));
            }
            if let Some(r) = induction.and_then(|i| cx.kb.regimen(i)) {
                if !hard_exclusions(cx, r) {
                    let opt = make_option(cx, r, 1, "extend_induction", vec!["transplant-ineligible: 4–6 further cycles of the induction regimen to sustain the response (article, Phase 2)".into()], None);
                    options.push(opt);
                }
            }
        }
        e => {
            let mut r1 = vec![
                "transplant-eligible: autologous stem-cell transplant consolidates the response (article, Phase 2)"
                    .to_string(),
            ];
            let condition = (e == Eligibility::Undetermined).then(|| "if transplant-eligible".to_string());
            if e == Eligibility::Undetermined {
                r1.push("eligibility undetermined: see missing inputs".into());
            }
            options.extend(transplant_options(cx, r1, condition));
            if e == Eligibility::Undetermined {
                // The hard exclusions apply to the conditional option too (found by the
                // exhaustive rule check: VRd was offered with grade 3 neuropathy).
                if let Some(o) = studied_continuation(cx, Some("if transplant-ineligible".into())) {
                    options.push(o);
                } else if let Some(r) = induction.and_then(|i| cx.kb.regimen(i)).filter(|r| !hard_exclusions(cx, r)) {
                    let opt = make_option(
                        cx,
                        r,
                        1,
                        "extend_induction",
                        vec!["4–6 further cycles of the induction regimen (article, Phase 2)".into()],
                        Some("if transplant-ineligible".into()),
                    );
                    options.push(opt);
                }
            }
        }
    }
    let next = NextDecision {
        when: "after consolidation".into(),
        action: "choose maintenance by cytogenetic risk: lenalidomide for standard risk, proteasome-inhibitor based for high risk (article, Phase 3)".into(),
        citations: vec![cx.kb.cite(CitationId::ArticlePathway)],
    };
    (options, next)
}

pub(super) fn transplant_options(
    cx: &mut Ctx<'_>,
    rationale: Vec<String>,
    condition: Option<String>,
) -> Vec<RankedOption> {
    let kb = cx.kb;
    let (Some(m200), Some(m140)) = (kb.regimen_by_id(RegimenId::Mel200Asct), kb.regimen_by_id(RegimenId::Mel140Asct))
    else {
        return vec![];
    };
    let mut out = Vec::new();
    match cx.g.melphalan_140_below_crcl_ml_min {
        Some(limit) => match fitness::creatinine_clearance(cx.kb, cx.p, cx.g) {
            Ok(c) => {
                let (r, why) = if c.ml_min < limit {
                    (m140, format!("creatinine clearance {} mL/min is below the centre's threshold of {limit}: melphalan 140 mg/m²", c.ml_min))
                } else {
                    (m200, format!("creatinine clearance {} mL/min: standard melphalan 200 mg/m²", c.ml_min))
                };
                let mut rat = rationale.clone();
                rat.push(why);
                out.push(make_option(cx, r, 1, "transplant", rat, condition.clone()));
            }
            Err(m) => {
                cx.missing.extend(m.into_iter().map(|mut x| {
                    x.needed_for = "melphalan conditioning dose (renal function)".into();
                    x
                }));
                let opt = make_option(cx, m200, 1, "transplant", rationale.clone(), condition.clone());
                out.push(opt);
                let mut rat = rationale.clone();
                rat.push("reduced dose if renal function is below the centre's threshold".into());
                out.push(make_option(cx, m140, 1, "transplant", rat, Some("if renal impairment".into())));
            }
        },
        None => {
            melphalan_renal_warning(cx);
            out.push(make_option(cx, m200, 1, "transplant", rationale.clone(), condition.clone()));
            let mut rat = rationale;
            rat.push("reduced dose used for older patients or renal impairment; no source fixes the threshold, so it is the clinician's choice (set guideline.melphalan_140_below_crcl_ml_min to decide it)".into());
            out.push(make_option(cx, m140, 2, "transplant", rat, condition));
        }
    }
    out
}

pub(super) fn during_transplant_consolidation(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    match s.transplants_in_consolidation() {
        0 => {
            let opts =
                transplant_options(cx, vec!["consolidation by autologous transplant (article, Phase 2)".into()], None);
            (
                opts,
                NextDecision {
                    when: "after the transplant".into(),
                    action:
                        "assess response; choose maintenance by cytogenetic risk (start after haematological recovery)"
                            .into(),
                    citations: vec![cx.kb.cite(CitationId::ArticlePathway), cx.kb.cite(CitationId::LenMaint)],
                },
            )
        }
        n => {
            if let Some(step) = post_transplant_step(cx) {
                return step;
            }
            let mut opts = maintenance_options(cx, true);
            if n == 1 {
                if let Some(opt) = tandem_option(cx, &opts) {
                    opts.push(opt);
                }
            }
            (
                opts,
                NextDecision {
                    when: "maintenance start (after haematological recovery from transplant)".into(),
                    action: "start maintenance; then monitor response and MRD".into(),
                    citations: vec![cx.kb.cite(CitationId::LenMaint), cx.kb.cite(CitationId::Imwg2016Response)],
                },
            )
        }
    }
}

pub(super) fn during_extended_induction(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    if s.transplant_eligibility() == Eligibility::Ineligible {
        // A regimen studied as continuous therapy continues as studied (MAIA, CEPHEUS, IMROZ).
        if let Some(o) = studied_continuation(cx, None) {
            return (vec![o], continuous_next(cx));
        }
    }
    if s.cycles_in_phase() < 4 {
        let opts: Vec<RankedOption> = continue_option(
            cx,
            s.induction_regimen(),
            format!("extended induction: {} of 4–6 further cycles done (article, Phase 2)", s.cycles_in_phase()),
        )
        .into_iter()
        .collect();
        return (
            opts,
            NextDecision {
                when: format!("after {} more cycle(s)", 4 - s.cycles_in_phase()),
                action: "assess response and start maintenance by cytogenetic risk".into(),
                citations: vec![cx.kb.cite(CitationId::ArticlePathway)],
            },
        );
    }
    let mut opts = maintenance_options(cx, false);
    if s.cycles_in_phase() < 6 {
        if let Some(mut c) = continue_option(
            cx,
            s.induction_regimen(),
            format!("up to {} more cycle(s) of the induction regimen (article: 4–6)", 6 - s.cycles_in_phase()),
        ) {
            c.rank = opts.iter().map(|o| o.rank).max().unwrap_or(0).saturating_add(1);
            opts.push(c);
        }
    }
    (
        opts,
        NextDecision {
            when: "now".into(),
            action: "start maintenance by cytogenetic risk (article, Phase 3)".into(),
            citations: vec![cx.kb.cite(CitationId::ArticlePathway)],
        },
    )
}

/// A second (tandem) transplant, offered only where the cited protocol advised it: GMMG-HD7
/// recommended tandem ASCT for less than CR or high-risk disease (`gmmg-hd7`, V1: a trial rule,
/// not a guideline grade); ASCO/CCO 2019: "Tandem ASCT should not be routinely recommended"
/// (`asco-cco-2019`, V2). Offered after the maintenance options when either holds, with a
/// condition when neither the risk nor the latest response is known, and listed as not offered
/// (with the reason) at standard risk with CR or better.
fn tandem_option(cx: &mut Ctx<'_>, opts: &[RankedOption]) -> Option<RankedOption> {
    use crate::record::ResponseCategory;
    let r = cx.kb.regimen_by_id(RegimenId::Mel200Asct)?;
    let high = cx.risk().level == RiskLevel::High;
    let below_cr = cx.state.last_response().map(|x| x > ResponseCategory::Cr);
    let keys = [CitationId::GmmgHd7.key(), CitationId::AscoCco2019.key()];
    let response = cx.state.last_response().map_or_else(|| "not assessed".to_string(), |x| x.label().to_string());
    let condition = match (high, below_cr, cx.risk().level) {
        (true, _, _) | (_, Some(true), _) => None,
        (false, Some(false), RiskLevel::Standard) => {
            exclude(
                cx,
                r,
                format!(
                    "second (tandem) transplant: standard risk and latest response {response} (CR or better); GMMG-HD7 advised tandem only for less than CR or high risk, and ASCO/CCO 2019: tandem ASCT should not be routinely recommended"
                ),
                &keys,
            );
            return None;
        }
        (false, Some(false), _) => Some("if high-risk disease".to_string()),
        (false, None, RiskLevel::Standard) => Some("if less than CR after the first transplant".to_string()),
        (false, None, _) => Some("if less than CR after the first transplant or high-risk disease".to_string()),
    };
    let reason = match (high, below_cr) {
        (true, Some(true)) => format!("high-risk disease and latest response {response} (less than CR)"),
        (true, _) => "high-risk disease".to_string(),
        (false, Some(true)) => format!("latest response {response} (less than CR)"),
        _ => "risk or response not yet known".to_string(),
    };
    let why = vec![
        format!("second (tandem) transplant: {reason}; GMMG-HD7 recommended tandem ASCT for less than CR or high-risk disease (a trial protocol rule, not a guideline grade)"),
        "ASCO/CCO 2019: tandem ASCT should not be routinely recommended (evidence quality intermediate); ranked after maintenance".to_string(),
    ];
    let rank = opts.iter().map(|o| o.rank).max().unwrap_or(0).saturating_add(1);
    let mut o = make_option(cx, r, rank, "transplant", why, condition);
    for k in keys {
        if !o.citations.iter().any(|c| c.key == k) {
            o.citations.push(cx.kb.cite_key(k));
        }
    }
    Some(o)
}

/// The induction regimen's own post-transplant consolidation cycles (PERSEUS: 2 × 28-day D-VRd
/// after ASCT, then D-R), while they are not yet done. `None` when the regimen has none, they
/// are done, or the regimen is now excluded for the patient (then maintenance is chosen).
fn post_transplant_step(cx: &mut Ctx<'_>) -> Option<(Vec<RankedOption>, NextDecision)> {
    let kb = cx.kb;
    let r = cx.state.induction_regimen().and_then(|i| kb.regimen(i))?;
    let pt = r.post_transplant.as_ref()?;
    let done = cx.state.cycles_in_phase();
    if done >= pt.cycles || hard_exclusions(cx, r) {
        return None;
    }
    let why = vec![format!(
        "post-transplant consolidation as studied: {} of {} cycles done; {} [{}]",
        done,
        pt.cycles,
        pt.description,
        pt.citations.join(", ")
    )];
    let mut o = make_option(cx, r, 1, "consolidate", why, None);
    o.course = format!(
        "{}-day cycles, {} cycles after the transplant: {} [{}]",
        pt.cycle_length_days,
        pt.cycles,
        pt.description,
        pt.citations.join(", ")
    );
    let next = NextDecision {
        when: format!("after consolidation cycle {} ({} to go)", pt.cycles, pt.cycles - done),
        action: "start maintenance (the trial programme's own first, as in the option's course); then monitor response and MRD"
            .into(),
        citations: pt.citations.iter().map(|k| kb.cite_key(k)).collect(),
    };
    Some((vec![o], next))
}

/// Renal impairment with no centre threshold for melphalan 140 mg/m² (session 8,
/// docs/evidence/renal-melphalan-and-dexamethasone.md): the labels differ and no guideline
/// threshold was read, so the plan says so instead of staying silent. Shown below a creatinine
/// clearance of 60 mL/min (the moderate and severe groups of the CIBMTR analysis) or on dialysis.
fn melphalan_renal_warning(cx: &mut Ctx<'_>) {
    let dialysis = cx.p.organ_function.on_dialysis == Some(true);
    let crcl = fitness::creatinine_clearance(cx.kb, cx.p, cx.g).ok().map(|c| c.ml_min);
    if !dialysis && !crcl.is_some_and(|c| c < 60.0) {
        return;
    }
    let label = match cx.g.jurisdiction {
        Jurisdiction::Us => "US Evomela label (revised 9/2017): \"For Conditioning Treatment: No dose adjustment is necessary\" (the current label's renal wording was not read)",
        Jurisdiction::Eu => "EU Phelinun package leaflet: the dose \"must be reduced\" in kidney failure, with no amount (a test copy of the leaflet; the SmPC §4.2 was not read)",
    };
    let kidney = match (crcl, dialysis) {
        (Some(c), true) => format!("creatinine clearance {c:.1} mL/min, on dialysis"),
        (Some(c), false) => format!("creatinine clearance {c:.1} mL/min"),
        (None, _) => "on dialysis".to_string(),
    };
    warn(
        cx,
        "melphalan_renal",
        format!(
            "{kidney}: high-dose melphalan in renal impairment: {label}; US and EU labels differ [C] and no guideline threshold was read (IMWG renal 2016 text not reached); in a CIBMTR analysis melphalan 200 mg/m² was given in 75% of moderate (CrCl 30-59) and 33% of severe (<30) renal insufficiency, the rest 140 mg/m²: the clinician's choice (guideline.melphalan_140_below_crcl_ml_min)"
        ),
        &[CitationId::EvomelaUs2017.key(), CitationId::PhelinunEuLeaflet.key(), CitationId::CibmtrAsctRenal.key()],
    );
}
