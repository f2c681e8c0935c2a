//! The pathway engine: where the patient is, the options now, why, and what would change them.

use crate::assess::diagnosis::Diagnosis;
use crate::assess::fitness::{self, Eligibility, EligibilityAssessment};
use crate::assess::missing::{normalise, MissingInput};
use crate::assess::response::ResponseAssessment;
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

mod car_t;
mod consolidation;
mod continuation;
mod counterfactuals;
mod exclusions;
mod induction;
mod labels;
mod maintenance;
mod notes;
mod relapse;
mod smouldering;

use car_t::*;
use consolidation::*;
use continuation::*;
use counterfactuals::*;
use exclusions::*;
use induction::*;
use labels::*;
use maintenance::*;
use notes::*;
use relapse::*;
use smouldering::*;

/// The golden and example records the engine's tests run (for the JSON writer's test).
#[cfg(test)]
pub(crate) fn counterfactuals_tests_records() -> Vec<(String, Patient, Guideline)> {
    counterfactuals::tests::records()
}

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
    let a = assess_all(kb, p, g)?;
    let elsewhere = risk::high_elsewhere(kb, p, &a.risk, g.del17p_cutoff);
    let (cx, options, next_decision) = decide(kb, p, g, &a.state, &a.risk, &a.diagnosis, &a.mrd, false);
    let risk_read = cx.risk_read.get();
    let counterfactuals = counterfactuals(kb, p, g, &a, &options, risk_read, &elsewhere);
    let mut plan = assemble(kb, p, g, &a, cx, options, next_decision, &elsewhere);
    plan.counterfactuals = counterfactuals;
    Ok(into_plan(plan, a))
}

/// The hard exclusions the plan's own rules (`hard_exclusions`, the list every
/// phase applies before it offers a regimen) give `r` for this patient now, as if it were about
/// to start, whether or not the patient's phase considers `r` (the calendar's refusal of a
/// regimen the plan would exclude: a regimen from another phase that contains an excluded drug).
/// Empty when none applies.
///
/// # Errors
/// As [`recommend`] (the history must replay to know the exposures and refractoriness).
pub(crate) fn hard_exclusions_of(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
) -> Result<Vec<Exclusion>> {
    let eligibility = fitness::transplant_eligibility(kb, p, g);
    let risk = risk::assess(kb, p, g.risk_definition, g.del17p_cutoff);
    let mut state = crate::pathway::replay_with(kb, &p.history, eligibility.eligibility)?;
    let _ = apply_treatment_history(p, g, &mut state);
    let mut cx = Ctx {
        p,
        g,
        kb,
        state: &state,
        risk_assessment: &risk,
        risk_read: std::cell::Cell::new(false),
        first_only: false,
        missing: Vec::new(),
        warnings: Vec::new(),
        excluded: Vec::new(),
        ranking: None,
        car_t_course: None,
    };
    hard_exclusions(&mut cx, r);
    Ok(cx.excluded)
}

pub(crate) struct Ctx<'a> {
    p: &'a Patient,
    g: &'a Guideline,
    kb: &'a KnowledgeBase,
    state: &'a PathwayState,
    /// Read it through [`Ctx::risk`] only: the counterfactuals know from `risk_read` whether the
    /// decision depended on the cytogenetic risk at all.
    risk_assessment: &'a RiskAssessment,
    risk_read: std::cell::Cell<bool>,
    /// Deciding for a counterfactual: only which regimens are offered at which rank matters, so
    /// [`make_option`] builds no schedule, doses, notes or citations.
    first_only: bool,
    missing: Vec<MissingInput>,
    warnings: Vec<Warning>,
    excluded: Vec<Exclusion>,
    ranking: Option<RankingApplied>,
    /// The CAR-T course under way or given (engine::car_t).
    car_t_course: Option<CarTCoursePlan>,
}

impl<'a> Ctx<'a> {
    /// The cytogenetic risk the decision follows (recording that the decision read it).
    pub(super) fn risk(&self) -> &'a RiskAssessment {
        self.risk_read.set(true);
        self.risk_assessment
    }
}

/// What a plan is decided from, assessed once per plan and shared by every counterfactual: the
/// flips of a cytogenetic finding or of a 20/2/20 factor change only the risk or the diagnosis,
/// never the eligibility, the replayed history, MRD or the response.
pub(super) struct Assessed {
    eligibility: EligibilityAssessment,
    risk: RiskAssessment,
    staging: staging::StagingSummary,
    state: PathwayState,
    derived: Option<crate::history::Derived>,
    mrd: MrdSummary,
    diagnosis: Diagnosis,
    response: Option<ResponseAssessment>,
}

fn assess_all(kb: &KnowledgeBase, p: &Patient, g: &Guideline) -> Result<Assessed> {
    let eligibility = fitness::transplant_eligibility(kb, p, g);
    let risk = risk::assess(kb, p, g.risk_definition, g.del17p_cutoff);
    let staging = staging::stage_all(kb, p);
    let mut state = crate::pathway::replay_with(kb, &p.history, eligibility.eligibility)?;
    let derived = apply_treatment_history(p, g, &mut state);
    place_dated_course(kb, p, &mut state, derived.as_ref());
    let mrd = mrd_summary(kb, p);
    let diagnosis = crate::assess::diagnosis::diagnose_with(kb, p, g);
    let response = if p.response_assessments.is_empty() {
        None
    } else {
        Some(crate::assess::response::assess_response_with(
            kb,
            p,
            &crate::assess::response::ResponseCriteria { version: g.response_criteria_version(), ..Default::default() },
        )?)
    };
    Ok(Assessed { eligibility, risk, staging, state, derived, mrd, diagnosis, response })
}

/// The options of the patient's phase and the next decision: the part of a plan that a
/// counterfactual re-decides (with the flipped risk or diagnosis, everything else shared).
#[allow(clippy::too_many_arguments)]
pub(super) fn decide<'a>(
    kb: &'a KnowledgeBase,
    p: &'a Patient,
    g: &'a Guideline,
    state: &'a PathwayState,
    risk: &'a RiskAssessment,
    diagnosis: &Diagnosis,
    mrd: &MrdSummary,
    first_only: bool,
) -> (Ctx<'a>, Vec<RankedOption>, NextDecision) {
    let mut cx = Ctx {
        p,
        g,
        kb,
        state,
        risk_assessment: risk,
        risk_read: std::cell::Cell::new(false),
        first_only,
        missing: Vec::new(),
        warnings: Vec::new(),
        excluded: Vec::new(),
        ranking: None,
        car_t_course: None,
    };
    let (options, next_decision) = match state.phase() {
        Phase::WorkUp => {
            use crate::assess::diagnosis::DiagnosisClass as D;
            match diagnosis.class {
                D::MultipleMyeloma => induction_options(&mut cx),
                D::NotClassifiable => not_classifiable(&mut cx, diagnosis),
                D::SmoulderingMyeloma => smouldering(&mut cx, diagnosis),
                D::Mgus => mgus(&mut cx, diagnosis),
                class => not_active_myeloma(&mut cx, class),
            }
        }
        Phase::Induction => during_induction(&mut cx),
        Phase::ConsolidationTransplant => during_transplant_consolidation(&mut cx),
        Phase::ConsolidationExtendedInduction => during_extended_induction(&mut cx),
        Phase::Maintenance => during_maintenance(&mut cx, mrd),
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
    (cx, options, next_decision)
}

/// The whole plan from the assessments and the decision (counterfactuals left empty).
#[allow(clippy::too_many_arguments)]
fn assemble(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    a: &Assessed,
    mut cx: Ctx<'_>,
    options: Vec<RankedOption>,
    next_decision: NextDecision,
    elsewhere: &[RiskAssessment],
) -> Assembled {
    let (state, risk, eligibility, staging) = (&a.state, &a.risk, &a.eligibility, &a.staging);
    if let Some(r) = &a.response {
        // The measurements say progression; the history must say it too before a line opens.
        let awaiting_next_line = state.phase() == Phase::Relapse && state.current_regimen().is_none();
        if r.progression_confirmed && !awaiting_next_line {
            warn(
                &mut cx,
                "unrecorded_progression",
                "the response series shows confirmed progressive disease (IMWG) but the history records no progression: record it to open the next line".into(),
                &[CitationId::Imwg2016Response.key()],
            );
        }
    }

    // Loss of MRD negativity is its own event (not progression): said once per conversion.
    let computed;
    let conversions = match &a.response {
        Some(r) => &r.mrd.conversions,
        None => {
            computed = crate::assess::response::assess_mrd(p, None).conversions;
            &computed
        }
    };
    for c in conversions {
        warn(
            &mut cx,
            "mrd_conversion",
            format!(
                "loss of MRD negativity: MRD-negative on {}, MRD-positive on {}{}: {}",
                c.negative_date,
                c.positive_date,
                if c.in_cr { " while in CR" } else { "" },
                c.meaning
            ),
            &[c.citation],
        );
    }

    // A finding that is high risk under another definition the project offers is never silent
    // (issue 9 item 7): the plan follows the chosen definition and says which one disagrees.
    for other in elsewhere {
        let level = match risk.level {
            RiskLevel::Standard => "standard",
            RiskLevel::Undetermined => "undetermined",
            RiskLevel::High => "high",
        };
        warn(
            &mut cx,
            "risk_definition_disagrees",
            format!(
                "HIGH RISK under the {} definition ({}), but {level} risk under the {} definition this plan follows: \
                 the options below are for {level} risk; set guideline.risk_definition to {} to plan for high risk",
                other.definition.id(),
                other.deciding.join("; "),
                g.risk_definition.id(),
                other.definition.id()
            ),
            &[g.risk_definition.citation().key(), other.definition.citation().key()],
        );
    }
    for flag in &risk.on_cutoff {
        warn(&mut cx, "del17p_on_cutoff", flag.clone(), &[CitationId::ImsImwg2025.key()]);
    }
    if let (Some(msg), Phase::WorkUp | Phase::Induction) = (&eligibility.age_only, state.phase()) {
        warn(&mut cx, "transplant_age_only", msg.clone(), &[CitationId::AscoCco2019.key()]);
    }

    if cx.ranking.is_none()
        && state.phase() == Phase::Relapse
        && state.current_regimen().is_none()
        && !options.is_empty()
    {
        // The relapse options are ordered by the relapse ranking (engine/relapse.rs).
        record_ranking(&mut cx, RankedPhase::Relapse, RankingSetting::Any);
    }
    let ranking = cx.ranking.take();
    let car_t_course = cx.car_t_course.take();

    // Missing inputs that matter for this phase. The eligibility inputs matter until
    // consolidation is decided; risk inputs until maintenance is chosen.
    let mut missing = cx.missing;
    if matches!(state.phase(), Phase::WorkUp | Phase::Induction) {
        missing.extend(eligibility.missing_inputs.iter().cloned());
    }
    if state.phase() == Phase::WorkUp {
        // Staging belongs to the diagnostic work-up (ISS, R-ISS, R2-ISS).
        missing.extend(staging.iss.missing_inputs.iter().cloned());
        missing.extend(staging.r_iss.missing_inputs.iter().cloned());
        missing.extend(staging.r2_iss.staging.missing_inputs.iter().cloned());
    }
    if matches!(
        state.phase(),
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

    let description = match (state.phase(), &car_t_course) {
        (Phase::WorkUp, _) => describe_not_active(&a.diagnosis).unwrap_or_else(|| describe_position(state, kb)),
        (_, Some(c)) => format!("relapsed disease, line {}: {}", state.line(), c.summary),
        _ => describe_position(state, kb),
    };
    Assembled {
        description,
        options,
        excluded,
        warnings,
        missing_inputs: missing,
        next_decision,
        counterfactuals: Vec::new(),
        car_t_course,
        basis: Basis {
            plan_schema_version: PLAN_SCHEMA_VERSION,
            library_version: LIBRARY_VERSION,
            knowledge_base: KbIdentity { version: kb.version().to_string(), sha256: kb.sha256().to_string() },
            guideline: g.clone(),
            ranking,
            inputs: p.clone(),
        },
    }
}

/// The parts of a plan [`assemble`] builds; [`into_plan`] moves the assessments in.
struct Assembled {
    description: String,
    options: Vec<RankedOption>,
    excluded: Vec<Exclusion>,
    warnings: Vec<Warning>,
    missing_inputs: Vec<MissingInput>,
    next_decision: NextDecision,
    counterfactuals: Vec<Counterfactual>,
    car_t_course: Option<CarTCoursePlan>,
    basis: Basis,
}

fn into_plan(x: Assembled, a: Assessed) -> Plan {
    Plan {
        position: Position { phase: a.state.phase(), line: a.state.line(), description: x.description, state: a.state },
        options: x.options,
        excluded: x.excluded,
        warnings: x.warnings,
        missing_inputs: x.missing_inputs,
        next_decision: x.next_decision,
        diagnosis: a.diagnosis,
        transplant_eligibility: a.eligibility,
        risk: a.risk,
        staging: a.staging,
        response: a.response,
        mrd: a.mrd,
        counterfactuals: x.counterfactuals,
        treatment_history: a.derived,
        car_t_course: x.car_t_course,
        basis: x.basis,
    }
}

/// The plan without counterfactuals, every step re-run from the record (with a 20/2/20 factor
/// flipped, for smouldering myeloma): the reference the counterfactuals are checked against.
#[cfg(test)]
fn recommend_core_with(kb: &KnowledgeBase, p: &Patient, g: &Guideline, smm_flip: Option<&str>) -> Result<Plan> {
    let mut a = assess_all(kb, p, g)?;
    if let Some(id) = smm_flip {
        flip_smm_factor(&mut a.diagnosis, id);
    }
    let elsewhere = risk::high_elsewhere(kb, p, &a.risk, g.del17p_cutoff);
    let (cx, options, next_decision) = decide(kb, p, g, &a.state, &a.risk, &a.diagnosis, &a.mrd, false);
    let plan = assemble(kb, p, g, &a, cx, options, next_decision, &elsewhere);
    Ok(into_plan(plan, a))
}

pub(super) fn regimen_name(kb: &KnowledgeBase, id: Option<&str>) -> String {
    id.and_then(|i| kb.regimen(i)).map_or_else(|| "none".to_string(), |r| r.name.clone())
}

pub(super) fn describe_position(s: &PathwayState, kb: &KnowledgeBase) -> String {
    let cur = regimen_name(kb, s.current_regimen());
    match s.phase() {
        Phase::WorkUp => "newly diagnosed, not yet treated: induction is next".into(),
        Phase::Induction => format!("first-line induction with {cur}, {} cycle(s) completed", s.cycles_in_phase()),
        Phase::ConsolidationTransplant => {
            format!("consolidation by autologous transplant: {} transplant(s) given", s.transplants_in_consolidation())
        }
        Phase::ConsolidationExtendedInduction => format!(
            "consolidation by extended induction with {}: {} further cycle(s) completed of 4–6",
            regimen_name(kb, s.induction_regimen()),
            s.cycles_in_phase()
        ),
        Phase::Maintenance => format!("maintenance with {cur}, {} cycle(s) completed", s.cycles_in_phase()),
        Phase::Observation => "off therapy after fixed-duration maintenance, under monitoring".into(),
        Phase::Relapse => match s.current_regimen() {
            Some(_) => {
                format!("relapsed disease, line {} with {cur}, {} cycle(s) completed", s.line(), s.cycles_in_phase())
            }
            None => format!("relapsed disease: line {} is to be chosen ({} prior line(s))", s.line(), s.prior_lines()),
        },
    }
}

pub(super) fn citations_for(kb: &KnowledgeBase, r: &Regimen) -> Vec<Citation> {
    r.citation_key_refs().into_iter().map(|k| kb.cite_key(k)).collect()
}

pub(super) fn exclude(cx: &mut Ctx<'_>, r: &Regimen, reason: String, keys: &[&str]) {
    cx.excluded.push(Exclusion {
        regimen_id: r.id.clone(),
        name: r.name.clone(),
        reason,
        citations: keys.iter().map(|k| cx.kb.cite_key(k)).collect(),
    });
}

pub(super) fn warn(cx: &mut Ctx<'_>, code: &'static str, message: String, keys: &[&str]) {
    cx.warnings.push(Warning { code, message, citations: keys.iter().map(|k| k.to_string()).collect() });
}

pub(super) fn make_option(
    cx: &mut Ctx<'_>,
    r: &Regimen,
    rank: u8,
    action: &'static str,
    rationale: Vec<String>,
    condition: Option<String>,
) -> RankedOption {
    if cx.first_only {
        // No decision reads more of an option than its rank, action, id and name.
        return RankedOption {
            rank,
            action,
            regimen_id: r.id.clone(),
            name: r.name.clone(),
            course: String::new(),
            schedule: Vec::new(),
            step_up: None,
            rationale,
            condition,
            notes: Vec::new(),
            evidence: Vec::new(),
            schedule_evidence: Evidence::M,
            label: None,
            citations: Vec::new(),
            doses: Vec::new(),
            supportive_care: Vec::new(),
            car_t_course: None,
        };
    }
    let course = option_course(cx, r);
    let (notes, mut schedule) = option_notes(cx, r);
    // Doses follow the schedule shown: the setting's own components where it has them.
    if let Some(c) = course.filter(|c| !c.components.is_empty()) {
        // The setting's own schedule replaces the regimen's (the renal and neuropathy notes stay).
        schedule = c.components.iter().map(|k| k.summary()).collect();
    }
    let dosed = dosed_regimen(cx, r);
    let (mut doses, dose_missing) = crate::dosing::component_doses(cx.kb, cx.p, cx.g, &dosed);
    cx.missing.extend(dose_missing);
    // Blood-count thresholds to start (not for a course under way) or to begin a new cycle: a
    // known count below one has already excluded the regimen (`hard_exclusions`); here only the
    // unknown counts that would decide are reported, on the plan and on the dose they gate.
    let (_, count_missing) =
        crate::dosing::thresholds::unmet_thresholds(cx.kb, cx.p, cx.g, &dosed, action != "continue");
    for (i, m) in count_missing {
        if let Some(d) = doses.get_mut(i) {
            d.missing_inputs.push(m.clone());
            normalise(&mut d.missing_inputs);
        }
        cx.missing.push(m);
    }
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
        course: course.map_or_else(|| course_label(r), course_label_for),
        schedule,
        step_up,
        rationale,
        condition,
        notes,
        evidence: r.evidence.clone(),
        schedule_evidence: r.weakest_evidence(),
        label: None,
        citations: citations_for(cx.kb, r),
        doses,
        supportive_care: crate::dosing::supportive::supportive_care(cx.kb, r),
        car_t_course: None,
    }
}

/// The regimen as it is dosed here: the setting's own components, cycle length and duration
/// where its course has them (what the option's schedule and doses show), else the regimen.
pub(super) fn dosed_regimen<'k>(cx: &Ctx<'k>, r: &'k Regimen) -> std::borrow::Cow<'k, Regimen> {
    match option_course(cx, r).filter(|c| !c.components.is_empty()) {
        Some(c) => {
            let mut r2 = r.clone();
            r2.components = c.components.clone();
            r2.cycle_length_days = c.cycle_length_days;
            r2.duration = c.duration;
            std::borrow::Cow::Owned(r2)
        }
        None => std::borrow::Cow::Borrowed(r),
    }
}

/// The course a regimen is offered with here: the studied course for the patient's setting in
/// first-line phases (transplant-eligible while eligibility is undetermined, as the ranking is),
/// none at relapse (the regimen's own schedule is the relapse one).
pub(super) fn option_course<'k>(cx: &Ctx<'k>, r: &'k Regimen) -> Option<&'k crate::kb::regimen::Course> {
    let setting = match cx.state.phase() {
        Phase::Relapse => Setting::Relapsed,
        _ => match cx.state.transplant_eligibility() {
            Eligibility::Eligible | Eligibility::Undetermined => Setting::TransplantEligible,
            Eligibility::Ineligible => Setting::TransplantIneligible,
        },
    };
    r.course(setting)
}

pub(super) fn course_label_for(c: &crate::kb::regimen::Course) -> String {
    use crate::kb::regimen::Duration;
    let cycle = format!("{}-day cycles", c.cycle_length_days);
    let length = match c.duration {
        Duration::Cycles { count } => format!("{count} cycles"),
        Duration::UntilProgression => "until progression or unacceptable toxicity".to_string(),
        Duration::Months { count } => format!("for {count} months"),
        Duration::Single => "single administration".to_string(),
    };
    format!("{cycle}, {length}: {} [{}]", c.description, c.citations.join(", "))
}

pub(super) fn course_label(r: &Regimen) -> String {
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
pub(super) fn ranked<'k>(
    kb: &'k KnowledgeBase,
    g: &Guideline,
    phase: RankedPhase,
    setting: RankingSetting,
) -> Vec<&'k Regimen> {
    kb.ranking(g.profile, phase, setting)
        .map(|r| r.order.iter().filter_map(|id| kb.regimen(id)).collect())
        .unwrap_or_default()
}

/// Record the ranking that orders this plan's options (in `basis.ranking`) and return the
/// rationale line that names its basis.
pub(super) fn record_ranking(cx: &mut Ctx<'_>, phase: RankedPhase, setting: RankingSetting) -> Option<String> {
    let r = cx.kb.ranking(cx.g.profile, phase, setting)?;
    cx.ranking = Some(RankingApplied {
        profile: cx.g.profile,
        phase,
        setting,
        basis: r.basis.clone(),
        citations: r.citations.clone(),
    });
    Some(format!(
        "order: {} profile, {} ranking: {} [{}]",
        cx.g.profile.id(),
        phase.id(),
        r.basis,
        r.citations.join(", ")
    ))
}

pub(super) fn continue_option(cx: &mut Ctx<'_>, regimen: Option<&str>, rationale: String) -> Option<RankedOption> {
    let r = cx.kb.regimen(regimen?)?;
    if continuing_exclusions(cx, r) {
        return None;
    }
    Some(make_option(cx, r, 1, "continue", vec![rationale], None))
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
