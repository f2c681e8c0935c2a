//! CAR-T as its own course (issue 10): apheresis → bridging if needed → lymphodepletion →
//! infusion → monitoring, each step with its timing and citation from the knowledge base
//! (`regimens[].car_t_course`, relapse-labels.md Deliverable E). A CAR-T is never "continued":
//! a course recorded under way names its next step, an infused course is followed by
//! monitoring and response assessment, and a progression after the infusion opens the next line.

use super::*;
use crate::history::{self, CarTCourseState};
use crate::kb::regimen::{CarTCourse, CarTRuleKind, CarTStep, CarTStepKind, LymphodepletionAnchor};
use crate::record::Date;

/// The latest dated CAR-T course of the record, read at the history's date.
pub(super) fn dated_course(p: &Patient, derived: Option<&history::Derived>) -> Option<CarTCourseState> {
    let th = p.treatment_history.as_ref()?;
    history::car_t_course(th, derived.and_then(|d| d.as_of))
}

/// The knowledge-base CAR-T regimen of a product.
fn regimen_of(kb: &KnowledgeBase, product: Drug) -> Option<&Regimen> {
    kb.regimens().iter().find(|r| r.car_t_course.is_some() && r.drugs().contains(&product))
}

/// A dated CAR-T course under way, or infused with no progression since, places a patient with
/// no line running in relapse with the CAR-T as the line running. A progression after the
/// infusion leaves the state as the history read it (the next line is to be chosen).
pub(super) fn place_dated_course(
    kb: &KnowledgeBase,
    p: &Patient,
    state: &mut PathwayState,
    derived: Option<&history::Derived>,
) {
    let Some(c) = dated_course(p, derived) else { return };
    if c.progression_after_infusion.is_some() {
        return;
    }
    if let Some(r) = regimen_of(kb, c.product) {
        state.enter_car_t_course(&r.id);
    }
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.civil().checked_add(jiff::Span::new().days(n)).ok().and_then(|x| Date::parse(&x.to_string()))
}

/// This patient's lymphodepletion doses, or why they are not computed.
fn lymphodepletion_doses(doses: &[crate::dosing::ComponentDose]) -> Vec<String> {
    doses
        .iter()
        .filter(|d| matches!(d.drug, Drug::Fludarabine | Drug::Cyclophosphamide))
        .map(|d| match d.amount {
            Some(a) => format!(
                "{} {} {} IV daily for 3 days ({})",
                d.drug.name(),
                crate::dosing::formulas::num(a),
                d.unit,
                d.arithmetic
            ),
            None => {
                let what: Vec<&str> = d.missing_inputs.iter().map(|m| m.field.as_str()).collect();
                format!("{} {}: not computed (missing: {})", d.drug.name(), d.prescribed, what.join(", "))
            }
        })
        .collect()
}

fn range(a: Date, b: Date) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a} to {b}")
    }
}

/// The infusion window from the recorded lymphodepletion dates (`None` when the label read
/// gives none, or the anchor date is not recorded).
fn infusion_window(step: &CarTStep, c: Option<&CarTCourseState>) -> Option<(Date, Date)> {
    let w = step.window?;
    let c = c?;
    let anchor = match w.after {
        LymphodepletionAnchor::Start => c.lymphodepletion_start?,
        LymphodepletionAnchor::End => c.lymphodepletion_end?,
    };
    Some((add_days(anchor, i64::from(w.from_days))?, add_days(anchor, i64::from(w.to_days))?))
}

/// What is known of a course under way from the pathway events alone (no dated course).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    /// A dated course.
    Dated,
    /// Events only: the CAR-T started, its steps undated.
    Undated,
    /// Events only, a cycle completed: the single infusion was given (date unknown).
    UndatedInfused,
}

/// The course plan for a regimen: each step for the guideline's jurisdiction, with its status
/// from the dated course (`None`: offered, not started).
fn course_plan(
    cx: &Ctx<'_>,
    r: &Regimen,
    course: &CarTCourse,
    dated: Option<&CarTCourseState>,
    known: Known,
    doses: &[crate::dosing::ComponentDose],
) -> CarTCoursePlan {
    let j = cx.g.jurisdiction;
    let infused = dated.is_some_and(|c| c.infusion.is_some()) || known == Known::UndatedInfused;
    let ld_start = dated.and_then(|c| c.lymphodepletion_start);
    let ld_end = dated.and_then(|c| c.lymphodepletion_end);
    let apheresis = dated.and_then(|c| c.apheresis);
    let started = dated.is_some() || known != Known::Dated;
    let stage = match (started, infused) {
        (_, true) => CarTStage::Infused,
        (true, false) => CarTStage::UnderWay,
        (false, false) => CarTStage::NotStarted,
    };
    let mut steps = Vec::new();
    let mut next_named = false;
    for s in course.steps_for(j) {
        let (status, dates) = match s.step {
            CarTStepKind::Apheresis => match (apheresis, ld_start.is_some() || infused) {
                (Some(a), _) => (CarTStepStatus::Done, Some(a.to_string())),
                (None, true) => (CarTStepStatus::Done, Some("not dated".to_string())),
                (None, false) => (CarTStepStatus::Planned, None),
            },
            CarTStepKind::Bridging => match (ld_start.is_some() || infused, apheresis.is_some()) {
                (true, _) => (CarTStepStatus::Done, None),
                (false, true) => (CarTStepStatus::Next, None),
                (false, false) => (CarTStepStatus::Planned, None),
            },
            CarTStepKind::Lymphodepletion => match (ld_start, ld_end, infused) {
                (Some(a), Some(b), _) => (CarTStepStatus::Done, Some(range(a, b))),
                (Some(a), None, false) => (CarTStepStatus::Current, Some(format!("from {a}"))),
                (Some(a), None, true) => (CarTStepStatus::Done, Some(format!("from {a}"))),
                (None, _, true) => (CarTStepStatus::Done, Some("not dated".to_string())),
                (None, _, false) => (CarTStepStatus::Planned, None),
            },
            CarTStepKind::Infusion => match (dated.and_then(|c| c.infusion), infused) {
                (Some(i), _) => (CarTStepStatus::Done, Some(i.to_string())),
                (None, true) => (CarTStepStatus::Done, Some("not dated".to_string())),
                (None, false) => match infusion_window(s, dated) {
                    Some((a, b)) => (CarTStepStatus::Next, Some(format!("window {}", range(a, b)))),
                    None => (CarTStepStatus::Planned, None),
                },
            },
            CarTStepKind::Monitoring => match (dated.and_then(|c| c.infusion), infused) {
                (Some(i), _) => (CarTStepStatus::Current, Some(format!("from {i}"))),
                (None, true) => (CarTStepStatus::Current, None),
                (None, false) => (CarTStepStatus::Planned, None),
            },
        };
        // The first step not done is the next one while the course is under way.
        let status = match (status, stage) {
            (CarTStepStatus::Planned, CarTStage::UnderWay) if !next_named => CarTStepStatus::Next,
            (st, _) => st,
        };
        if matches!(status, CarTStepStatus::Next | CarTStepStatus::Current) {
            next_named = true;
        }
        steps.push(CarTStepPlan {
            step: s.step,
            status,
            dates,
            if_needed: s.if_needed,
            timing: s.timing.clone(),
            text: s.text.clone(),
            doses: if s.step == CarTStepKind::Lymphodepletion { lymphodepletion_doses(doses) } else { Vec::new() },
            evidence: s.evidence,
            citations: s.citations.clone(),
        });
    }
    let summary = summary(r, stage, &steps, dated);
    CarTCoursePlan { regimen_id: r.id.clone(), product: product_of(r), jurisdiction: j, stage, summary, steps }
}

fn product_of(r: &Regimen) -> Drug {
    r.drugs().into_iter().find(|d| d.class() == DrugClass::BcmaCarT).unwrap_or(Drug::CiltacabtageneAutoleucel)
}

fn step_words(s: &CarTStepPlan) -> String {
    let name = match s.step {
        CarTStepKind::Apheresis => "apheresis",
        CarTStepKind::Bridging => "bridging therapy if needed (the clinician's choice of regimen)",
        CarTStepKind::Lymphodepletion => "lymphodepletion",
        CarTStepKind::Infusion => "infusion",
        CarTStepKind::Monitoring => "monitoring and response assessment",
    };
    match &s.dates {
        Some(d) => format!("{name} ({d})"),
        None => name.to_string(),
    }
}

fn summary(r: &Regimen, stage: CarTStage, steps: &[CarTStepPlan], dated: Option<&CarTCourseState>) -> String {
    let done: Vec<String> =
        steps.iter().filter(|s| s.status == CarTStepStatus::Done && s.dates.is_some()).map(step_words).collect();
    let next: Vec<String> = steps
        .iter()
        .filter(|s| matches!(s.status, CarTStepStatus::Next | CarTStepStatus::Current))
        .map(step_words)
        .collect();
    match stage {
        CarTStage::NotStarted => {
            format!("{} as a course: {}", r.name, steps.iter().map(|s| s.step.id()).collect::<Vec<_>>().join(" → "))
        }
        CarTStage::UnderWay => format!(
            "CAR-T course with {} under way: {}; next: {}",
            r.name,
            if done.is_empty() { "no step dated".to_string() } else { format!("done {}", done.join(", ")) },
            next.join(", then ")
        ),
        CarTStage::Infused => {
            let when = match dated.and_then(|c| c.infusion.map(|i| (i, c.days_since(Some(i))))) {
                Some((i, Some(n))) => format!(
                    " on {i} ({n} days before {})",
                    dated.and_then(|c| c.as_of).map_or_else(String::new, |a| a.to_string())
                ),
                Some((i, None)) => format!(" on {i}"),
                None => " (date not recorded)".to_string(),
            };
            format!(
                "after the {} infusion{when}: post-CAR-T monitoring and response assessment, no progression recorded since; a CAR-T is a single course, not continued",
                r.name
            )
        }
    }
}

/// The course of an offered CAR-T option (not started), with this patient's lymphodepletion
/// doses.
pub(super) fn offered_course(
    cx: &Ctx<'_>,
    r: &Regimen,
    doses: &[crate::dosing::ComponentDose],
) -> Option<CarTCoursePlan> {
    let course = r.car_t_course.as_ref()?;
    Some(course_plan(cx, r, course, None, Known::Dated, doses))
}

/// A CAR-T course recorded under way or infused: no option is "continued"; the plan carries the
/// course with its dates, the next decision names the next step, and the label's timing rules
/// are checked against the dates (a warning past them).
pub(super) fn course_in_progress(cx: &mut Ctx<'_>, r: &Regimen) -> (Vec<RankedOption>, NextDecision, CarTCoursePlan) {
    let kb = cx.kb;
    let course = r.car_t_course.as_ref().cloned().unwrap_or(CarTCourse { steps: Vec::new(), rules: Vec::new() });
    let derived = cx.p.treatment_history.as_ref().map(|t| {
        history::derive(
            t,
            history::Rules {
                refractory_window_days: cx.g.refractory_window_days,
                toxicity_switch_is_new_line: cx.g.toxicity_switch_is_new_line,
            },
        )
    });
    let product = product_of(r);
    let dated =
        dated_course(cx.p, derived.as_ref()).filter(|c| c.product == product && c.progression_after_infusion.is_none());
    let known = match (&dated, cx.state.cycles_in_phase()) {
        (Some(_), _) => Known::Dated,
        (None, 0) => Known::Undated,
        (None, _) => Known::UndatedInfused,
    };
    if known != Known::Dated {
        cx.missing.push(MissingInput::new(
            "treatment_history.car_t_courses",
            "dates of the CAR-T course steps (apheresis, lymphodepletion start and end, infusion)",
            format!("{}: where the CAR-T course stands and its timing rules", r.name),
        ));
    }
    let (doses, _) = crate::dosing::component_doses(kb, cx.p, cx.g, r);
    let plan = course_plan(cx, r, &course, dated.as_ref(), known, &doses);
    let j = cx.g.jurisdiction;
    let mut extra = Vec::new();
    if let Some(c) = dated.as_ref().filter(|c| c.infusion.is_none()) {
        let since_end = c.days_since(c.lymphodepletion_end);
        if let (Some(rule), Some(n), Some(end)) =
            (course.rule(CarTRuleKind::RepeatLymphodepletionAfter, j), since_end, c.lymphodepletion_end)
        {
            if n > i64::from(rule.days) {
                let msg = format!(
                    "{}: lymphodepletion completed on {end}, {n} days before {} with no infusion recorded (more than {} days): the label says \"{}\"; counted from the last lymphodepletion day",
                    r.name,
                    c.as_of.map_or_else(String::new, |a| a.to_string()),
                    rule.days,
                    rule.wording
                );
                let keys: Vec<&str> = rule.citations.iter().map(String::as_str).collect();
                warn(cx, "car_t_repeat_lymphodepletion", msg.clone(), &keys);
                extra.push(msg);
            }
        }
        let infusion = course.steps_for(j).into_iter().find(|s| s.step == CarTStepKind::Infusion).cloned();
        if let (Some(rule), Some(step)) = (course.rule(CarTRuleKind::InfusionDelayUpTo, j), infusion) {
            if let Some((_, last)) = infusion_window(&step, Some(c)) {
                if let (Some(limit), Some(n)) = (add_days(last, i64::from(rule.days)), c.days_since(Some(last))) {
                    if n > i64::from(rule.days) {
                        let msg = format!(
                            "{}: no infusion recorded {n} days after the planned day {last} (past {limit}): the label allows \"{}\"; no label text read says what follows a longer delay — decide with the treatment centre",
                            r.name, rule.wording
                        );
                        let keys: Vec<&str> = rule.citations.iter().map(String::as_str).collect();
                        warn(cx, "car_t_infusion_delay", msg.clone(), &keys);
                        extra.push(msg);
                    }
                }
            }
        }
    }
    let next = match plan.stage {
        CarTStage::Infused => {
            let mon = plan.steps.iter().find(|s| s.step == CarTStepKind::Monitoring);
            let mut citations: Vec<Citation> =
                mon.map(|m| m.citations.iter().map(|k| kb.cite_key(k)).collect()).unwrap_or_default();
            if !citations.iter().any(|c| c.key == CitationId::Imwg2016Response.key()) {
                citations.push(kb.cite(CitationId::Imwg2016Response));
            }
            NextDecision {
                when: "after the CAR-T infusion".into(),
                action: format!(
                    "monitor ({}), then assess response (IMWG); progression opens the next line — the CAR-T is not continued",
                    mon.map_or("per the label", |m| m.timing.as_str())
                ),
                citations,
            }
        }
        _ => {
            let step = plan.steps.iter().find(|s| matches!(s.status, CarTStepStatus::Next | CarTStepStatus::Current));
            let mut action = match step {
                Some(s) => format!("{}: {}", step_words(s), s.timing),
                None => "record the course dates".to_string(),
            };
            if step.is_some_and(|s| s.step == CarTStepKind::Bridging) {
                if let Some(ld) = plan.steps.iter().find(|s| s.step == CarTStepKind::Lymphodepletion) {
                    action.push_str(&format!("; then lymphodepletion: {}", ld.text.join("; ")));
                }
            }
            for e in &extra {
                action.push_str(&format!("; {e}"));
            }
            let mut citations: Vec<Citation> =
                step.map(|s| s.citations.iter().map(|k| kb.cite_key(k)).collect()).unwrap_or_default();
            citations.sort_by(|a, b| a.key.cmp(&b.key));
            citations.dedup_by(|a, b| a.key == b.key);
            NextDecision { when: "the next step of the CAR-T course".into(), action, citations }
        }
    };
    (Vec::new(), next, plan)
}
