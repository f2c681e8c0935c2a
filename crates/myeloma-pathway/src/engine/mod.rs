//! The pathway engine: where the patient is, the options now, why, and what would change them.

use std::collections::BTreeSet;

use crate::assess::fitness::{self, Eligibility};
use crate::assess::missing::{normalise, MissingInput};
use crate::assess::risk::{self, RiskAssessment, RiskLevel};
use crate::assess::staging;
use crate::error::Result;
use crate::guideline::{Guideline, Jurisdiction};
use crate::kb::regimen::{Regimen, RiskFit, Setting, Use};
use crate::kb::{Citation, CitationId, Evidence, KnowledgeBase, RankedPhase, RankingSetting, RegimenId};
use crate::pathway::{PathwayState, Phase};
use crate::patient::Patient;
use crate::plan::*;
use crate::record::Status;
use crate::record::{Drug, DrugClass};

/// Library version.
pub const LIBRARY_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Recommend a plan for the patient's current phase.
///
/// # Errors
/// [`crate::Error::TransitionRefused`] when the history cannot be replayed.
///
/// # Example
/// ```
/// use myeloma_pathway::{recommend, Guideline, Patient};
/// let p = Patient::from_json(r#"{"age_years": 78, "ecog": 1, "frailty": {"charlson": 1}}"#).unwrap();
/// let plan = recommend(&p, &Guideline::default()).unwrap();
/// assert_eq!(plan.transplant_eligibility.eligibility, myeloma_pathway::fitness::Eligibility::Ineligible);
/// assert!(plan.options.iter().all(|o| !o.citations.is_empty()));
/// ```
pub fn recommend(p: &Patient, g: &Guideline) -> Result<Plan> {
    recommend_with(KnowledgeBase::embedded(), p, g)
}

/// [`recommend`] with a knowledge base the caller passes in (a centre's own, or a test fixture).
///
/// # Errors
/// As [`recommend`].
pub fn recommend_with(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Result<Plan> {
    let mut plan = recommend_core(kb, p, g)?;
    plan.counterfactuals = counterfactuals(kb, p, g, &plan);
    Ok(plan)
}

struct Ctx<'a> {
    p: &'a Patient,
    g: &'a Guideline,
    kb: &'a KnowledgeBase,
    state: &'a PathwayState,
    risk: &'a RiskAssessment,
    missing: Vec<MissingInput>,
    warnings: Vec<Warning>,
    excluded: Vec<Exclusion>,
}

fn recommend_core(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Result<Plan> {
    let eligibility = fitness::transplant_eligibility(kb, p, g);
    let risk = risk::assess(kb, p, g.risk_definition, g.del17p_cutoff);
    let staging = staging::stage_all(kb, p);
    let state = crate::pathway::replay_with(kb, &p.history, eligibility.eligibility)?;
    let mrd = mrd_summary(kb, p);
    let diagnosis = crate::assess::diagnosis::diagnose_with(kb, p, g);
    let response =
        if p.response_assessments.is_empty() { None } else { Some(crate::assess::response::assess_response(kb, p)?) };
    let mut cx =
        Ctx { p, g, kb, state: &state, risk: &risk, missing: Vec::new(), warnings: Vec::new(), excluded: Vec::new() };

    let (options, next_decision) = match state.phase {
        Phase::WorkUp => {
            use crate::assess::diagnosis::DiagnosisClass as D;
            match diagnosis.class {
                D::MultipleMyeloma => induction_options(&mut cx),
                D::NotClassifiable => {
                    warn(
                        &mut cx,
                        "diagnosis_not_established",
                        "the IMWG 2014 diagnosis of active myeloma is not established from the record: confirm it before induction (see missing inputs)".into(),
                        &[CitationId::Imwg2014Diagnosis.key()],
                    );
                    cx.missing.extend(diagnosis.missing_inputs.iter().cloned());
                    induction_options(&mut cx)
                }
                class => not_active_myeloma(&mut cx, class),
            }
        }
        Phase::Induction => during_induction(&mut cx),
        Phase::ConsolidationTransplant => during_transplant_consolidation(&mut cx),
        Phase::ConsolidationExtendedInduction => during_extended_induction(&mut cx),
        Phase::Maintenance => during_maintenance(&mut cx, &mrd),
        Phase::Observation => (
            vec![],
            NextDecision {
                when: "at each monitoring visit".into(),
                action: "monitor for progression (IMWG criteria); progression opens the next line".into(),
                citations: vec![cx.kb.cite(CitationId::Imwg2016Response)],
            },
        ),
        Phase::Relapse => relapse_options(&mut cx),
    };

    if let Some(r) = &response {
        // The measurements say progression; the history must say it too before a line opens.
        let awaiting_next_line = state.phase == Phase::Relapse && state.current_regimen.is_none();
        if r.progression_confirmed && !awaiting_next_line {
            warn(
                &mut cx,
                "unrecorded_progression",
                "the response series shows confirmed progressive disease (IMWG) but the history records no progression: record it to open the next line".into(),
                &[CitationId::Imwg2016Response.key()],
            );
        }
    }

    // Missing inputs that matter for this phase. The eligibility inputs matter until
    // consolidation is decided; risk inputs until maintenance is chosen.
    let mut missing = cx.missing;
    if matches!(state.phase, Phase::WorkUp | Phase::Induction) {
        missing.extend(eligibility.missing_inputs.iter().cloned());
    }
    if state.phase == Phase::WorkUp {
        // Staging belongs to the diagnostic work-up (ISS, R-ISS, R2-ISS).
        missing.extend(staging.iss.missing_inputs.iter().cloned());
        missing.extend(staging.r_iss.missing_inputs.iter().cloned());
        missing.extend(staging.r2_iss.staging.missing_inputs.iter().cloned());
    }
    if matches!(
        state.phase,
        Phase::WorkUp | Phase::Induction | Phase::ConsolidationTransplant | Phase::ConsolidationExtendedInduction
    ) {
        missing.extend(risk.missing_inputs.iter().cloned());
    }
    normalise(&mut missing);
    let mut warnings = cx.warnings;
    warnings.sort();
    warnings.dedup();
    let mut excluded = cx.excluded;
    excluded.sort_by(|a, b| a.regimen_id.cmp(&b.regimen_id));
    excluded.dedup_by(|a, b| a.regimen_id == b.regimen_id);

    let position = Position {
        phase: state.phase,
        line: state.line,
        description: describe_position(&state, kb),
        state: state.clone(),
    };
    Ok(Plan {
        position,
        options,
        excluded,
        warnings,
        missing_inputs: missing,
        next_decision,
        diagnosis,
        transplant_eligibility: eligibility,
        risk,
        staging,
        response,
        mrd,
        counterfactuals: Vec::new(),
        basis: Basis {
            library_version: LIBRARY_VERSION,
            knowledge_base: KbIdentity { version: kb.version().to_string(), sha256: kb.sha256().to_string() },
            guideline: g.clone(),
            inputs: p.clone(),
        },
    })
}

fn regimen_name(kb: &KnowledgeBase, id: &Option<String>) -> String {
    id.as_deref().and_then(|i| kb.regimen(i)).map_or_else(|| "none".to_string(), |r| r.name.clone())
}

fn describe_position(s: &PathwayState, kb: &KnowledgeBase) -> String {
    let cur = regimen_name(kb, &s.current_regimen);
    match s.phase {
        Phase::WorkUp => "newly diagnosed, not yet treated: induction is next".into(),
        Phase::Induction => format!("first-line induction with {cur}, {} cycle(s) completed", s.cycles_in_phase),
        Phase::ConsolidationTransplant => {
            format!("consolidation by autologous transplant: {} transplant(s) given", s.transplants_in_consolidation)
        }
        Phase::ConsolidationExtendedInduction => format!(
            "consolidation by extended induction with {}: {} further cycle(s) completed of 4–6",
            regimen_name(kb, &s.induction_regimen),
            s.cycles_in_phase
        ),
        Phase::Maintenance => format!("maintenance with {cur}, {} cycle(s) completed", s.cycles_in_phase),
        Phase::Observation => "off therapy after fixed-duration maintenance, under monitoring".into(),
        Phase::Relapse => match &s.current_regimen {
            Some(_) => {
                format!("relapsed disease, line {} with {cur}, {} cycle(s) completed", s.line, s.cycles_in_phase)
            }
            None => format!("relapsed disease: line {} is to be chosen ({} prior line(s))", s.line, s.prior_lines()),
        },
    }
}

fn citations_for(kb: &KnowledgeBase, r: &Regimen) -> Vec<Citation> {
    r.citation_keys().iter().map(|k| kb.cite_key(k)).collect()
}

fn exclude(cx: &mut Ctx<'_>, r: &Regimen, reason: String, keys: &[&str]) {
    cx.excluded.push(Exclusion {
        regimen_id: r.id.clone(),
        name: r.name.clone(),
        reason,
        citations: keys.iter().map(|k| cx.kb.cite_key(k)).collect(),
    });
}

fn warn(cx: &mut Ctx<'_>, code: &'static str, message: String, keys: &[&str]) {
    cx.warnings.push(Warning { code, message, citations: keys.iter().map(|k| k.to_string()).collect() });
}

/// Hard exclusions that apply to any regimen: intolerance, refractoriness, cardiac, neuropathy,
/// active infection before T-cell redirection. Returns `true` when the regimen is excluded.
fn hard_exclusions(cx: &mut Ctx<'_>, r: &Regimen) -> bool {
    let drugs = r.drugs();
    for d in &drugs {
        if cx.state.intolerant.contains(d) {
            exclude(
                cx,
                r,
                format!("contains {}, stopped earlier for intolerance", d.name()),
                &[CitationId::ArticlePathway.key()],
            );
            return true;
        }
    }
    for d in &drugs {
        if d.class() != DrugClass::Corticosteroid && cx.state.refractory.contains(d) {
            exclude(
                cx,
                r,
                format!("disease is refractory to {} (progressed on it)", d.name()),
                &[CitationId::Imwg2016Response.key()],
            );
            return true;
        }
    }
    let cd38_refractory = cx.state.refractory.iter().any(|d| d.class() == DrugClass::AntiCd38);
    if cd38_refractory && drugs.iter().any(|d| d.class() == DrugClass::AntiCd38) {
        exclude(cx, r, "disease is refractory to an anti-CD38 antibody".into(), &[CitationId::Imwg2016Response.key()]);
        return true;
    }
    let of = &cx.p.organ_function;
    if drugs.contains(&Drug::Carfilzomib) {
        match of.nyha_class {
            Some(n) if n >= 3 => {
                exclude(
                    cx,
                    r,
                    format!(
                        "carfilzomib: NYHA class {n} heart failure (excluded from trials; cardiac failure reported)"
                    ),
                    &[CitationId::CarfilzomibCardiac.key()],
                );
                return true;
            }
            None => cx.missing.push(MissingInput::new(
                "organ_function.nyha_class",
                "cardiac history and NYHA class (echocardiogram if indicated)",
                format!("{}: carfilzomib cardiac risk", r.name),
            )),
            _ => {}
        }
    }
    if drugs.contains(&Drug::Bortezomib) {
        match (of.peripheral_neuropathy_grade, of.neuropathy_with_pain) {
            (Some(4), _) => {
                exclude(
                    cx,
                    r,
                    "bortezomib: grade 4 peripheral neuropathy (label: discontinue)".into(),
                    &[CitationId::BortezomibPn.key()],
                );
                return true;
            }
            (Some(3), _) | (Some(2), Some(true)) => {
                exclude(cx, r, "bortezomib: grade 3, or painful grade 2, peripheral neuropathy (label: withhold until it resolves, then 0.7 mg/m²)".into(), &[CitationId::BortezomibPn.key()]);
                return true;
            }
            (Some(2), None) => cx.missing.push(MissingInput::new(
                "organ_function.neuropathy_with_pain",
                "neuropathy assessment (pain)",
                "bortezomib dose (label algorithm)",
            )),
            (None, _) => cx.missing.push(MissingInput::new(
                "organ_function.peripheral_neuropathy_grade",
                "neurological examination (CTCAE neuropathy grade)",
                "bortezomib dose (label algorithm)",
            )),
            _ => {}
        }
    }
    let redirecting =
        drugs.iter().any(|d| matches!(d.class(), DrugClass::BispecificBcma | DrugClass::BispecificGprc5d));
    if redirecting {
        match of.active_infection {
            Some(true) => {
                exclude(
                    cx,
                    r,
                    "active infection: do not start step-up dosing".into(),
                    &[CitationId::TceInfection.key()],
                );
                return true;
            }
            None => cx.missing.push(MissingInput::new(
                "organ_function.active_infection",
                "clinical assessment for active infection",
                format!("{}: step-up dosing", r.name),
            )),
            Some(false) => {}
        }
    }
    false
}

/// Patient-specific notes and dose adjustments for an offered regimen.
fn option_notes(cx: &mut Ctx<'_>, r: &Regimen) -> (Vec<String>, Vec<String>) {
    let drugs = r.drugs();
    let mut notes: Vec<String> = r.notes.clone();
    let mut schedule: Vec<String> = r.components.iter().map(|c| c.summary()).collect();
    if drugs.contains(&Drug::Lenalidomide) {
        match fitness::creatinine_clearance(cx.kb, cx.p, cx.g) {
            Ok(c) => {
                if let Some(adj) =
                    crate::dosing::lenalidomide_renal_dose(c.ml_min, cx.p.organ_function.on_dialysis, cx.g.jurisdiction)
                {
                    let label = match cx.g.jurisdiction {
                        Jurisdiction::Us => CitationId::LenRenalUs.key(),
                        Jurisdiction::Eu => CitationId::LenRenalEu.key(),
                    };
                    notes.push(format!(
                        "lenalidomide starting dose for CrCl {} mL/min ({}): {adj} [{label}]",
                        c.ml_min, c.method
                    ));
                    for s in &mut schedule {
                        if s.starts_with("lenalidomide") {
                            s.push_str(&format!(" → renal dose: {adj}"));
                        }
                    }
                    warn(
                        cx,
                        "lenalidomide_renal_dose",
                        format!(
                            "creatinine clearance {} mL/min: lenalidomide starting dose reduced to {adj}",
                            c.ml_min
                        ),
                        &[label],
                    );
                }
            }
            Err(m) => {
                cx.missing.extend(m.into_iter().map(|mut x| {
                    x.needed_for = "lenalidomide starting dose (renal function)".into();
                    x
                }));
            }
        }
    }
    if drugs.contains(&Drug::Bortezomib) {
        let of = &cx.p.organ_function;
        if matches!(
            (of.peripheral_neuropathy_grade, of.neuropathy_with_pain),
            (Some(1), Some(true)) | (Some(2), Some(false))
        ) {
            notes.push("bortezomib: grade 1 painful or grade 2 neuropathy: reduce to 1.0 mg/m² [bortezomib-pn]".into());
            for s in &mut schedule {
                if s.starts_with("bortezomib") {
                    s.push_str(" → 1.0 mg/m² (neuropathy)");
                }
            }
        }
    }
    if let (Some([lo, hi]), Some(age)) = (r.trial_age_range, cx.p.age_years) {
        if age < lo || age > hi {
            notes.push(format!("age {age} is outside the trial population ({lo}–{hi} years)"));
        }
    }
    if drugs.contains(&Drug::Dexamethasone) {
        if let Some(age) = cx.p.age_years {
            if age > 75 {
                notes.push("older than 75: the regimens' protocols reduce dexamethasone (e.g. 20 mg weekly; see each schedule line)".into());
            }
        }
    }
    if let Some(note) = frailty_dose_note(cx.kb, cx.p) {
        notes.push(note);
    }
    if drugs.iter().any(|d| d.class() == DrugClass::ImmunomodulatoryDrug) {
        notes.push("IMiD: VTE thromboprophylaxis by risk factors (aspirin for 0–1, LMWH or warfarin for ≥2 or therapy-related) [imwg-vte-2008]".into());
    }
    if r.weakest_evidence() == Evidence::M {
        notes.push("some schedule lines are unchecked in the project's clinical reference ([M]): confirm days and doses against the protocol or label before prescribing".into());
    }
    (notes, schedule)
}

/// Frailty feeds the dose choice: the reference carries no frailty-specific dose rule, so the
/// plan states the IMWG cohort's toxicity and discontinuation by frailty group (Palumbo 2015,
/// clinical-reference §5.2, \[V1\]) for the clinician to weigh, without inventing a dose.
fn frailty_dose_note(kb: &KnowledgeBase, p: &Patient) -> Option<String> {
    let f = fitness::imwg_frailty(kb, p);
    let (category, points) = (f.category?, f.points?);
    let group = match category {
        fitness::FrailtyCategory::IntermediateFit => "intermediate-fit",
        fitness::FrailtyCategory::Frail => "frail",
        _ => return None,
    };
    Some(format!(
        "{group} by the IMWG frailty score ({points} points): in the IMWG cohort, grade ≥3 non-haematological adverse \
         events at 12 months were 22.2% (fit), 26.4% (intermediate-fit) and 34.0% (frail), and discontinuation 16.5%, \
         20.8% and 31.2%: weigh reduced-intensity dosing [imwg-frailty-2015]"
    ))
}

fn make_option(
    cx: &mut Ctx<'_>,
    r: &Regimen,
    rank: u8,
    action: &'static str,
    rationale: Vec<String>,
    condition: Option<String>,
) -> RankedOption {
    let (notes, schedule) = option_notes(cx, r);
    let step_up = r.step_up.iter().find(|s| s.jurisdiction == cx.g.jurisdiction).cloned();
    if !r.step_up.is_empty() && step_up.is_none() {
        warn(
            cx,
            "step_up_not_in_kb",
            format!(
                "{}: no step-up schedule for this jurisdiction in the knowledge base; follow the local label",
                r.name
            ),
            &[],
        );
    }
    RankedOption {
        rank,
        action,
        regimen_id: r.id.clone(),
        name: r.name.clone(),
        course: course_label(r),
        schedule,
        step_up,
        rationale,
        condition,
        notes,
        evidence: r.evidence.clone(),
        schedule_evidence: r.weakest_evidence(),
        citations: citations_for(cx.kb, r),
    }
}

fn course_label(r: &Regimen) -> String {
    use crate::kb::regimen::Duration;
    let cycle = format!("{}-day cycles", r.cycle_length_days);
    match r.duration {
        Duration::Cycles { count } => format!("{cycle}, {count} cycles as studied"),
        Duration::UntilProgression => format!("{cycle}, until progression or unacceptable toxicity"),
        Duration::Months { count } => format!("{cycle}, for {count} months"),
        Duration::Single => "single administration".to_string(),
    }
}

/// The knowledge base's ranking for a phase under the guideline's profile. Every ranking the
/// engine asks for is checked to exist when the knowledge base loads, and every id in it to name
/// a regimen, so an option can never vanish silently.
fn ranked<'k>(kb: &'k KnowledgeBase, g: &Guideline, phase: RankedPhase, setting: RankingSetting) -> Vec<&'k Regimen> {
    kb.ranking(g.profile, phase, setting)
        .map(|r| r.order.iter().filter_map(|id| kb.regimen(id)).collect())
        .unwrap_or_default()
}

fn induction_order<'k>(kb: &'k KnowledgeBase, g: &Guideline, e: Eligibility) -> Vec<&'k Regimen> {
    let setting = match e {
        Eligibility::Eligible | Eligibility::Undetermined => RankingSetting::TransplantEligible,
        Eligibility::Ineligible => RankingSetting::TransplantIneligible,
    };
    ranked(kb, g, RankedPhase::Induction, setting)
}

fn is_pi_imid_dex_triplet(r: &Regimen) -> bool {
    let classes: BTreeSet<DrugClass> = r.drugs().iter().map(|d| d.class()).collect();
    classes.contains(&DrugClass::ProteasomeInhibitor)
        && classes.contains(&DrugClass::ImmunomodulatoryDrug)
        && classes.contains(&DrugClass::Corticosteroid)
}

fn induction_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let e = cx.state.transplant_eligibility;
    let mut options = Vec::new();
    let mut rank = 0u8;
    let kb = cx.kb;
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
        let opt = make_option(cx, r, rank, "start", why, condition);
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
    let n = cx.g.induction_cycles_before_assessment;
    (
        options,
        NextDecision {
            when: format!("after cycle {n} of induction"),
            action: "assess response (IMWG) and decide consolidation: autologous transplant if eligible, else 4–6 further cycles".into(),
            citations: vec![cx.kb.cite(CitationId::ArticlePathway), cx.kb.cite(CitationId::Imwg2016Response)],
        },
    )
}

/// Work-up of a record that IMWG 2014 does not classify as active myeloma: induction is not
/// offered (each regimen is listed as not offered, with the reason), and the next decision is to
/// confirm the diagnosis.
fn not_active_myeloma(
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
    for r in induction_order(kb, cx.g, cx.state.transplant_eligibility) {
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

fn continue_option(cx: &mut Ctx<'_>, regimen: Option<&str>, rationale: String) -> Option<RankedOption> {
    let r = cx.kb.regimen(regimen?)?;
    if hard_exclusions(cx, r) {
        return None;
    }
    Some(make_option(cx, r, 1, "continue", vec![rationale], None))
}

fn during_induction(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let n = u16::from(cx.g.induction_cycles_before_assessment);
    let s = cx.state;
    let cur = s.current_regimen.clone();
    if s.cycles_in_phase < n || s.last_response.is_none() {
        let when = if s.cycles_in_phase < n {
            format!("after cycle {n} ({} to go)", n - s.cycles_in_phase)
        } else {
            "now".to_string()
        };
        let opts: Vec<RankedOption> = continue_option(
            cx,
            cur.as_deref(),
            format!(
                "induction in progress: {} of {n} cycles before the response assessment (article: 3–4 cycles)",
                s.cycles_in_phase
            ),
        )
        .into_iter()
        .collect();
        if opts.is_empty() {
            if let Some(r) = cur.as_deref().and_then(|i| cx.kb.regimen(i)) {
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
        return (
            opts,
            NextDecision {
                when,
                action: "assess response (IMWG) to decide consolidation".into(),
                citations: vec![cx.kb.cite(CitationId::ArticlePathway), cx.kb.cite(CitationId::Imwg2016Response)],
            },
        );
    }
    consolidation_options(cx)
}

fn maintenance_condition(level: RiskLevel, fit: RiskFit) -> (bool, Option<String>) {
    // Returns (rank-first?, condition).
    match (level, fit) {
        (_, RiskFit::Any) => (false, None),
        (RiskLevel::Standard, RiskFit::Standard) | (RiskLevel::High, RiskFit::High) => (true, None),
        (RiskLevel::Standard, RiskFit::High) | (RiskLevel::High, RiskFit::Standard) => (false, None),
        (RiskLevel::Undetermined, RiskFit::Standard) => (true, Some("if standard cytogenetic risk".into())),
        (RiskLevel::Undetermined, RiskFit::High) => (true, Some("if high cytogenetic risk".into())),
    }
}

fn consolidation_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    let induction = s.induction_regimen.clone();
    let mut options = Vec::new();
    match s.transplant_eligibility {
        Eligibility::Ineligible => {
            if let Some(r) = induction.as_deref().and_then(|i| cx.kb.regimen(i)) {
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
                if let Some(r) = induction.as_deref().and_then(|i| cx.kb.regimen(i)) {
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

fn transplant_options(cx: &mut Ctx<'_>, rationale: Vec<String>, condition: Option<String>) -> Vec<RankedOption> {
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
            out.push(make_option(cx, m200, 1, "transplant", rationale.clone(), condition.clone()));
            let mut rat = rationale;
            rat.push("reduced dose used for older patients or renal impairment; no source fixes the threshold, so it is the clinician's choice (set guideline.melphalan_140_below_crcl_ml_min to decide it)".into());
            out.push(make_option(cx, m140, 2, "transplant", rat, condition));
        }
    }
    out
}

fn maintenance_options(cx: &mut Ctx<'_>, after_transplant: bool) -> Vec<RankedOption> {
    let kb = cx.kb;
    let level = cx.risk.level;
    let mut firsts = Vec::new();
    let mut seconds = Vec::new();
    let mut regimens = ranked(kb, cx.g, RankedPhase::Maintenance, RankingSetting::Any);
    if after_transplant && cx.state.induction_regimen.as_deref() == Some(RegimenId::DVrdPerseus.key()) {
        // PERSEUS continues its own programme after transplant (D-R), ahead of the ranking.
        if let Some(dr) = kb.regimen_by_id(RegimenId::DrMaintenance) {
            regimens.insert(0, dr);
        }
    }
    for r in regimens {
        if hard_exclusions(cx, r) {
            continue;
        }
        let fit = r.risk_fit.unwrap_or(RiskFit::Any);
        let (first, condition) = maintenance_condition(level, fit);
        let mut why = Vec::new();
        match fit {
            RiskFit::Standard => why.push("standard cytogenetic risk: long-term oral lenalidomide (article, Phase 3)".to_string()),
            RiskFit::High => why.push("high cytogenetic risk: continuous proteasome-inhibitor based maintenance (article, Phase 3; schedule per the cited trial)".to_string()),
            RiskFit::Any => why.push("continues the PERSEUS D-VRd programme after transplant".to_string()),
        }
        if level == RiskLevel::High && fit == RiskFit::High && !cx.risk.deciding.is_empty() {
            why.push(format!("risk decided by: {} ({})", cx.risk.deciding.join("; "), cx.risk.definition.id()));
        }
        let dr_first = fit == RiskFit::Any;
        let entry = (r, why, condition);
        if first || dr_first {
            firsts.push(entry);
        } else {
            seconds.push(entry);
        }
    }
    // Equal alternatives share a rank: the article names "bortezomib or ixazomib" for high risk
    // without an order, and an undetermined risk puts each risk's choice first, conditionally.
    let undetermined = level == RiskLevel::Undetermined;
    let mut out = Vec::new();
    for (r, why, cond) in firsts {
        out.push(make_option(cx, r, 1, "maintenance", why, cond));
    }
    for (r, why, cond) in seconds {
        out.push(make_option(cx, r, 2, "maintenance", why, cond));
    }
    if undetermined {
        warn(
            cx,
            "risk_undetermined",
            format!(
                "cytogenetic risk is undetermined ({}): the maintenance choice depends on it; see missing inputs",
                cx.risk.definition.id()
            ),
            &[CitationId::ArticlePathway.key()],
        );
    }
    out
}

fn during_transplant_consolidation(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    match s.transplants_in_consolidation {
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
            let mut opts = maintenance_options(cx, true);
            if n == 1 {
                if let Some(r) = cx.kb.regimen_by_id(RegimenId::Mel200Asct) {
                    let rank = opts.iter().map(|o| o.rank).max().unwrap_or(0).saturating_add(1);
                    let opt = make_option(cx, r, rank, "transplant", vec!["second (tandem) transplant: offered by many centres (article, Phase 2); GMMG-HD7 used single or tandem ASCT".into()], None);
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

fn during_extended_induction(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    if s.cycles_in_phase < 4 {
        let opts: Vec<RankedOption> = continue_option(
            cx,
            s.induction_regimen.as_deref(),
            format!("extended induction: {} of 4–6 further cycles done (article, Phase 2)", s.cycles_in_phase),
        )
        .into_iter()
        .collect();
        return (
            opts,
            NextDecision {
                when: format!("after {} more cycle(s)", 4 - s.cycles_in_phase),
                action: "assess response and start maintenance by cytogenetic risk".into(),
                citations: vec![cx.kb.cite(CitationId::ArticlePathway)],
            },
        );
    }
    let mut opts = maintenance_options(cx, false);
    if s.cycles_in_phase < 6 {
        if let Some(mut c) = continue_option(
            cx,
            s.induction_regimen.as_deref(),
            format!("up to {} more cycle(s) of the induction regimen (article: 4–6)", 6 - s.cycles_in_phase),
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

fn during_maintenance(cx: &mut Ctx<'_>, mrd: &MrdSummary) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    let cur = s.current_regimen.clone();
    let mut opts: Vec<RankedOption> =
        continue_option(cx, cur.as_deref(), "maintenance until progression or the regimen's fixed duration".into())
            .into_iter()
            .collect();
    if let Some(r) = cur.as_deref().and_then(|i| cx.kb.regimen(i)) {
        // The article's maintenance is chosen by risk: say so if the running one does not fit.
        match (r.risk_fit, cx.risk.level) {
            (Some(RiskFit::Standard), RiskLevel::High) => warn(cx, "maintenance_risk_mismatch", format!("{} is the standard-risk choice but cytogenetic risk is high: consider proteasome-inhibitor based maintenance", r.name), &[CitationId::ArticlePathway.key()]),
            (Some(RiskFit::High), RiskLevel::Standard) => warn(cx, "maintenance_risk_mismatch", format!("{} is the high-risk choice but cytogenetic risk is standard: lenalidomide is the article's standard-risk maintenance", r.name), &[CitationId::ArticlePathway.key()]),
            _ => {}
        }
        if r.id == RegimenId::DrMaintenance.key() && mrd.sustained_negative && s.cycles_in_phase >= 26 {
            warn(cx, "daratumumab_may_stop", "sustained MRD negativity (≥12 months) after ≥24 months of D-R: PERSEUS stopped daratumumab here; lenalidomide continues".into(), &[CitationId::Perseus.key()]);
        }
        if let crate::kb::regimen::Duration::Months { count } = r.duration {
            // Calendar months of 365.25/12 days: 24 months = 730 days = 26 × 28-day or 52 × 14-day cycles.
            let cycles_total = u32::from(count) * 36525 / 1200 / u32::from(r.cycle_length_days.max(1));
            if u32::from(s.cycles_in_phase) >= cycles_total {
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

fn relapse_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
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

/// MRD summary from the record's MRD results (derived by [`crate::assess::response::assess_mrd`]).
pub fn mrd_summary(kb: &KnowledgeBase, p: &Patient) -> MrdSummary {
    let m = crate::assess::response::assess_mrd(p, None);
    MrdSummary {
        latest: m.latest,
        sustained_negative: m.sustained_negative,
        negative_span_months: m.negative_span_months,
        citation: kb.cite(CitationId::Imwg2016Response),
    }
}

fn first_ids(plan: &Plan) -> Vec<String> {
    plan.options.iter().filter(|o| o.rank == 1).map(|o| o.regimen_id.clone()).collect()
}

fn first_names(plan: &Plan) -> Vec<String> {
    plan.options.iter().filter(|o| o.rank == 1).map(|o| o.name.clone()).collect()
}

/// What would change the first option: each cytogenetic finding of the guideline's risk
/// definition flipped (and each untested one set both ways), one at a time.
fn counterfactuals(kb: &KnowledgeBase, p: &Patient, g: &Guideline, plan: &Plan) -> Vec<Counterfactual> {
    let base = first_ids(plan);
    let mut out = Vec::new();
    let relevant = g.risk_definition.abnormalities();
    for &a in relevant {
        let now = p.cytogenetics.status(a);
        let alternatives: Vec<Status> = match now {
            Status::Detected => vec![Status::NotDetected],
            Status::NotDetected => vec![Status::Detected],
            Status::NotTested => vec![Status::NotDetected, Status::Detected],
        };
        for alt in alternatives {
            let mut q = p.clone();
            q.cytogenetics = p.cytogenetics.with_status(a, alt);
            if alt == Status::Detected {
                // A what-if finding carries a clearly clonal fraction (50%), so criteria with a
                // fraction cut-off (IMS 2025 del(17p) > 20%) are decided by it.
                let mut f = crate::cytogenetics::Finding::new(a, alt);
                f.clonal_fraction_pct = Some(50.0);
                let findings: Vec<_> =
                    q.cytogenetics.findings().filter(|x| x.abnormality != a).cloned().chain([f]).collect();
                if let Ok(c) = crate::cytogenetics::CytogeneticProfile::from_findings("cytogenetics", &findings) {
                    q.cytogenetics = c;
                }
            }
            let Ok(alt_plan) = recommend_core(kb, &q, g) else { continue };
            let ids = first_ids(&alt_plan);
            if ids != base {
                let verb = match alt {
                    Status::Detected => "detected",
                    Status::NotDetected => "not detected",
                    Status::NotTested => "not tested",
                };
                let names = first_names(&alt_plan);
                out.push(Counterfactual {
                    change: format!("if {} were {verb}", a.notation()),
                    effect: if names.is_empty() {
                        "no option would be offered".into()
                    } else {
                        format!("first option: {}", names.join(" / "))
                    },
                    first_options: ids,
                });
            }
        }
    }
    out
}
