//! A regimen expanded into day-by-day administrations from a start date.
//!
//! Cycle `c` day `d` falls on `start + (c − 1) × cycle length + (d − 1)` (day −5 of a CAR-T
//! lymphodepletion is 6 days before day 1). Step-up dosing (bispecifics) takes the jurisdiction's
//! schedule from day 1; the regular schedule resumes one cycle length after the last step-up dose
//! (which is the first treatment dose), skipping the regimen's cycles the step-up occupies.
//! Doses are this patient's where computed ([`super::doses`]), else the regimen's as written.

use jiff::civil::Date;
use serde::Serialize;

use super::doses::{component_doses, ComponentDose};
use super::formulas::{num, round_dp, sci};
use crate::assess::fitness::Eligibility;
use crate::assess::missing::MissingInput;
use crate::error::{Error, Result};
use crate::guideline::Guideline;
use crate::kb::regimen::{Course, Duration, Regimen, Setting};
use crate::kb::KnowledgeBase;
use crate::patient::Patient;
use crate::record::{Drug, Phase, Route};

/// One administration.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Administration {
    /// Cycle (1-based).
    pub cycle: u16,
    /// Day within the cycle (negative for lymphodepletion before day 1).
    pub day: i16,
    /// Calendar date, `YYYY-MM-DD`.
    pub date: String,
    /// Drug.
    pub drug: Drug,
    /// Dose for this patient, e.g. `2.52 mg`, or the regimen's dose as written with why.
    pub dose: String,
    /// Route.
    pub route: Route,
    /// `step-up dose 1`, `hepatic starting dose`, …
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A calendar.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Calendar {
    /// Regimen id.
    pub regimen_id: String,
    /// Regimen name.
    pub name: String,
    /// Start (cycle 1 day 1).
    pub start: String,
    /// Cycles expanded.
    pub cycles: u16,
    /// How the number of cycles was set.
    pub cycles_basis: String,
    /// The setting whose course was expanded (`None`: the regimen's own course).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    /// Administrations in date order.
    pub administrations: Vec<Administration>,
    /// Per-component doses used.
    pub doses: Vec<ComponentDose>,
    /// What is missing for the patient's doses.
    pub missing_inputs: Vec<MissingInput>,
    /// For a CAR-T course: the step timings and rules the dates follow, with their sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Cycles in a fixed-duration course of `months`: calendar months of 365.25/12 days, the
/// engine's fixed-duration rule (24 months of 28-day cycles = 26 cycles; of 14-day cycles = 52).
pub fn fixed_duration_cycles(months: u16, cycle_length_days: u16) -> u16 {
    let c = u32::from(months) * 36525 / 1200 / u32::from(cycle_length_days.max(1));
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Cycles a regimen's course has, where it is fixed; `None` for until-progression.
pub fn planned_cycles(r: &Regimen) -> Option<u16> {
    match r.duration {
        Duration::Cycles { count } => Some(count),
        Duration::Months { count } => Some(fixed_duration_cycles(count, r.cycle_length_days)),
        Duration::Single => Some(1),
        Duration::UntilProgression => None,
    }
}

/// Administrations per cycle the regimen defines (step-up excluded): the property the calendar
/// keeps.
pub fn administrations_in_cycle(r: &Regimen, cycle: u16) -> usize {
    r.components.iter().filter(|c| c.cycles.contains(cycle)).map(|c| c.day_numbers().len()).sum()
}

fn dose_text(d: Option<&ComponentDose>, cycle: u16, day_of_regimen: i32, fallback: &str) -> (String, String) {
    let Some(d) = d else { return (fallback.to_string(), String::new()) };
    let Some(base) = d.amount else {
        return (format!("{} (not computed: see missing inputs)", d.prescribed), String::new());
    };
    let a = d.amount_for(cycle, day_of_regimen).unwrap_or(base);
    let f = |v: f64| if d.unit == "cells" { sci(v) } else { num(v) };
    let mut s = match d.amount_to {
        Some(t) => format!("{}–{} {}", f(base), f(t), d.unit),
        None => format!("{} {}", f(a), d.unit),
    };
    let mut note = String::new();
    #[allow(clippy::float_cmp)]
    if a != base {
        note = d
            .adjustments
            .iter()
            .filter(|x| x.amount_mg == Some(a))
            .map(|x| x.code.replace('_', " "))
            .collect::<Vec<_>>()
            .join(", ");
    }
    if d.adjustments.iter().any(|x| x.amount_mg.is_none()) {
        s.push_str(" (see adjustment)");
    }
    (s, note)
}

/// The setting whose course an option is offered with, as the engine chooses it: relapse is
/// the relapsed setting; before relapse the transplant-eligible course while eligibility is
/// eligible or undetermined (as the ranking is), else the transplant-ineligible one.
pub fn setting_of(phase: Phase, eligibility: Eligibility) -> Setting {
    match phase {
        Phase::Relapse => Setting::Relapsed,
        _ => match eligibility {
            Eligibility::Eligible | Eligibility::Undetermined => Setting::TransplantEligible,
            Eligibility::Ineligible => Setting::TransplantIneligible,
        },
    }
}

/// The regimen as given in `setting`: the setting's course (cycle length, duration and, where it
/// has them, its own components) replaces the regimen's own, as the plan's option shows it
/// (VRd before transplant: 3 cycles, DETERMINATION, not the 8 of SWOG S0777). No course for the
/// setting → the regimen as written.
pub fn regimen_in_setting(r: &Regimen, setting: Option<Setting>) -> (std::borrow::Cow<'_, Regimen>, Option<&Course>) {
    match setting.and_then(|s| r.course(s)) {
        Some(c) => {
            let mut r2 = r.clone();
            if !c.components.is_empty() {
                r2.components = c.components.clone();
            }
            r2.cycle_length_days = c.cycle_length_days;
            r2.duration = c.duration;
            (std::borrow::Cow::Owned(r2), Some(c))
        }
        None => (std::borrow::Cow::Borrowed(r), None),
    }
}

/// [`expand`] with the course of `setting` ([`regimen_in_setting`]); the course basis names the
/// setting's course and its citations.
///
/// # Errors
/// As [`expand`].
pub fn expand_in(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    setting: Option<Setting>,
    start: Date,
    cycles: Option<u16>,
) -> Result<Calendar> {
    let (rs, course) = regimen_in_setting(r, setting);
    let mut cal = expand(kb, p, g, &rs, start, cycles)?;
    if let (Some(c), None) = (course, cycles) {
        cal.cycles_basis = format!(
            "{} cycles: the {} course ({}) [{}]",
            cal.cycles,
            setting_name(c.setting),
            c.description,
            c.citations.join(", ")
        );
    }
    cal.setting = course.map(|c| c.setting);
    Ok(cal)
}

fn setting_name(s: Setting) -> &'static str {
    match s {
        Setting::TransplantEligible => "transplant-eligible",
        Setting::TransplantIneligible => "transplant-ineligible",
        Setting::Relapsed => "relapsed",
        Setting::Smouldering => "smouldering",
    }
}

/// Expand `r` for the patient from `start`. `cycles` overrides the course length (needed for
/// until-progression regimens; refused outside 1–200).
///
/// # Errors
/// [`Error`] when `cycles` is out of range or an until-progression regimen has no `cycles`.
pub fn expand(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    start: Date,
    cycles: Option<u16>,
) -> Result<Calendar> {
    if let Some(course) = &r.car_t_course {
        return expand_car_t(kb, p, g, r, course, start);
    }
    let single = matches!(r.duration, Duration::Single);
    let (n, basis) = match (cycles, planned_cycles(r)) {
        (_, Some(1)) if single => {
            (1, "one administration (the course is single; a cycles value is ignored)".to_string())
        }
        (Some(c), _) => {
            crate::error::check_range("cycles", f64::from(c), "cycles", 1.0, 200.0)?;
            (c, format!("{c} cycles as requested"))
        }
        (None, Some(c)) => (c, format!("{c} cycles: the regimen's course ({})", course(r))),
        (None, None) => {
            return Err(Error::invalid(
                "cycles",
                format!("{} runs until progression: give the number of cycles to show (1–200)", r.name),
            ))
        }
    };
    let (doses, missing) = component_doses(kb, p, g, r);
    let len = i32::from(r.cycle_length_days.max(1));
    let step = r.step_up.iter().find(|s| s.jurisdiction == g.jurisdiction);
    let mut out = Vec::new();
    let date_of = |offset: i32| -> Result<String> {
        start
            .checked_add(jiff::Span::new().days(i64::from(offset)))
            .map(|d| d.to_string())
            .map_err(|e| Error::invalid("start", format!("date out of range: {e}")))
    };
    // Step-up: the regular schedule resumes one cycle after the last step-up dose.
    let mut skip_cycles = 0u16;
    let mut regular_from: i32 = 0;
    if let Some(s) = step {
        let weight = p.weight_kg;
        for (i, sd) in s.doses.iter().enumerate() {
            let day = i32::from(sd.day);
            let dose = match sd.dose.unit {
                crate::kb::regimen::DoseUnit::MgPerKg => match weight {
                    Some(w) => format!(
                        "{} mg ({} mg/kg × {} kg)",
                        num(round_dp(sd.dose.amount * w, 2)),
                        num(sd.dose.amount),
                        num(w)
                    ),
                    None => format!("{} mg/kg (weight missing)", num(sd.dose.amount)),
                },
                u => format!("{} {}", num(sd.dose.amount), u.label()),
            };
            let cycle = cycle_number((day - 1) / len + 1, &r.id)?;
            out.push(Administration {
                cycle,
                day: day_number((day - 1) % len + 1, &r.id)?,
                date: date_of(day - 1)?,
                drug: r.components.first().map_or(Drug::Teclistamab, |c| c.drug),
                dose,
                route: r.components.first().map_or(Route::Sc, |c| c.route),
                note: format!("{} ({:?} label; {})", sd.label, s.jurisdiction, s.monitoring)
                    .replace("Us label", "US label")
                    .replace("Eu label", "EU label"),
            });
            if i + 1 == s.doses.len() {
                skip_cycles = u16::try_from((day + len - 1) / len).unwrap_or(0);
                regular_from = day - 1 + len;
            }
        }
    }
    for cycle in 1..=n {
        if cycle <= skip_cycles {
            continue;
        }
        let cycle_start = if step.is_some() {
            regular_from + (i32::from(cycle) - i32::from(skip_cycles) - 1) * len
        } else {
            (i32::from(cycle) - 1) * len
        };
        for (ci, c) in r.components.iter().enumerate() {
            if !c.cycles.contains(cycle) {
                continue;
            }
            let d = doses.get(ci);
            let mut days = c.day_numbers();
            if d.is_some_and(|d| d.every_other_day()) {
                let first = days.first().copied().unwrap_or(1);
                days.retain(|x| (x - first) % 2 == 0);
            }
            for day in days {
                let offset = cycle_start + i32::from(day) - 1;
                let (dose, note) =
                    dose_text(d, cycle, offset + 1, &d.map_or_else(String::new, |d| d.prescribed.clone()));
                out.push(Administration {
                    cycle,
                    day,
                    date: date_of(offset)?,
                    drug: c.drug,
                    dose,
                    route: c.route,
                    note,
                });
            }
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.cycle.cmp(&b.cycle)).then(a.day.cmp(&b.day)));
    Ok(Calendar {
        regimen_id: r.id.clone(),
        name: r.name.clone(),
        start: start.to_string(),
        cycles: n,
        cycles_basis: basis,
        setting: None,
        administrations: out,
        doses,
        missing_inputs: missing,
        notes: Vec::new(),
    })
}

/// A CAR-T course from `start`, the first lymphodepletion day: cyclophosphamide and
/// fludarabine on 3 consecutive days (days 1–3), then the infusion on the first day of the
/// window the jurisdiction's label gives (Carvykti US: 2–4 days after the last lymphodepletion
/// day; EU: 5–7 days after its start; Abecma US: 2 days after the last day), in plain calendar
/// days. Where no label read gives the window (Abecma EU) the infusion is not dated and a note
/// says so. Apheresis and bridging come before `start` and have no dated rule to place them.
fn expand_car_t(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    course: &crate::kb::regimen::CarTCourse,
    start: Date,
) -> Result<Calendar> {
    use crate::kb::regimen::{CarTRuleKind, CarTStepKind, LymphodepletionAnchor};
    const LYMPHODEPLETION_DAYS: i32 = 3;
    let (mut doses, missing) = component_doses(kb, p, g, r);
    // The course's own day numbers (day 1 = the first lymphodepletion day), not the trial's.
    for d in &mut doses {
        d.cycles = "course".into();
        d.days = if d.drug.class() == crate::record::DrugClass::BcmaCarT {
            "infusion day".into()
        } else {
            format!("D1–{LYMPHODEPLETION_DAYS}")
        };
    }
    let date_of = |offset: i32| -> Result<String> {
        start
            .checked_add(jiff::Span::new().days(i64::from(offset)))
            .map(|d| d.to_string())
            .map_err(|e| Error::invalid("start", format!("date out of range: {e}")))
    };
    let steps = course.steps_for(g.jurisdiction);
    let step = |k: CarTStepKind| steps.iter().find(|s| s.step == k);
    let mut out = Vec::new();
    let mut notes = Vec::new();
    if let Some(ld) = step(CarTStepKind::Lymphodepletion) {
        notes.push(format!("lymphodepletion: {} [{}]", ld.text.join("; "), ld.citations.join(", ")));
    }
    for (ci, c) in r.components.iter().enumerate() {
        if !matches!(c.drug, Drug::Fludarabine | Drug::Cyclophosphamide) {
            continue;
        }
        let d = doses.get(ci);
        for k in 0..LYMPHODEPLETION_DAYS {
            let (dose, _) = dose_text(d, 1, k + 1, &d.map_or_else(String::new, |d| d.prescribed.clone()));
            out.push(Administration {
                cycle: 1,
                day: day_number(k + 1, &r.id)?,
                date: date_of(k)?,
                drug: c.drug,
                dose,
                route: c.route,
                note: format!("lymphodepletion day {} of {LYMPHODEPLETION_DAYS}", k + 1),
            });
        }
    }
    let infusion = step(CarTStepKind::Infusion);
    match infusion.and_then(|s| s.window.map(|w| (s, w))) {
        Some((s, w)) => {
            let anchor = match w.after {
                LymphodepletionAnchor::Start => 0,
                LymphodepletionAnchor::End => LYMPHODEPLETION_DAYS - 1,
            };
            let (from, to) = (anchor + i32::from(w.from_days), anchor + i32::from(w.to_days));
            for (ci, c) in r.components.iter().enumerate() {
                if c.drug.class() != crate::record::DrugClass::BcmaCarT {
                    continue;
                }
                let d = doses.get(ci);
                let (dose, _) = dose_text(d, 1, from + 1, &d.map_or_else(String::new, |d| d.prescribed.clone()));
                let window = if from == to {
                    format!("infusion {}", s.timing)
                } else {
                    format!("infusion window {} to {}: {}", date_of(from)?, date_of(to)?, s.timing)
                };
                out.push(Administration {
                    cycle: 1,
                    day: day_number(from + 1, &r.id)?,
                    date: date_of(from)?,
                    drug: c.drug,
                    dose,
                    route: c.route,
                    note: format!("{window} [{}]", s.citations.join(", ")),
                });
            }
        }
        None => notes.push(format!(
            "infusion not dated: {} [{}]",
            infusion.map_or("no infusion step", |s| s.timing.as_str()),
            infusion.map(|s| s.citations.join(", ")).unwrap_or_default()
        )),
    }
    for rule in course.rules.iter().filter(|x| x.jurisdiction == g.jurisdiction) {
        let what = match rule.rule {
            CarTRuleKind::RepeatLymphodepletionAfter => "repeat lymphodepletion",
            CarTRuleKind::InfusionDelayUpTo => "infusion delay",
        };
        notes.push(format!("{what}: \"{}\" [{}]", rule.wording, rule.citations.join(", ")));
    }
    notes.push(
        "dates in plain calendar days (the infusion on the completion or start date plus the label's days); the labels do \
         not say how \"days after\" is counted, and the US and EU cilta-cel wordings differ by one day when counted so \
         (relapse-labels.md E3 [C]): check the day against the product's instructions"
            .into(),
    );
    if let Some(m) = step(CarTStepKind::Monitoring) {
        notes.push(format!("after the infusion: {} [{}]", m.timing, m.citations.join(", ")));
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.day.cmp(&b.day)).then(a.drug.cmp(&b.drug)));
    Ok(Calendar {
        regimen_id: r.id.clone(),
        name: r.name.clone(),
        start: start.to_string(),
        cycles: 1,
        cycles_basis: format!(
            "one CAR-T course from the first lymphodepletion day ({} label timing; apheresis and any bridging come before it)",
            g.jurisdiction.id().to_uppercase()
        ),
        setting: None,
        administrations: out,
        doses,
        missing_inputs: missing,
        notes,
    })
}

/// A schedule day as the calendar's day number. The knowledge base's schedules are a few weeks
/// long, so a day outside `i16` is a knowledge-base error: refused, never written as day 1.
fn day_number(day: i32, regimen: &str) -> Result<i16> {
    i16::try_from(day).map_err(|_| {
        Error::invalid("regimen", format!("schedule day {day} of {regimen} is outside the calendar's day numbers"))
    })
}

/// A cycle number, refused (never written as cycle 1) outside `u16`.
fn cycle_number(cycle: i32, regimen: &str) -> Result<u16> {
    u16::try_from(cycle).map_err(|_| {
        Error::invalid("regimen", format!("cycle {cycle} of {regimen} is outside the calendar's cycle numbers"))
    })
}

fn course(r: &Regimen) -> String {
    match r.duration {
        Duration::Cycles { count } => format!("{count} cycles"),
        Duration::Months { count } => {
            format!(
                "{count} months of {}-day cycles = {} cycles",
                r.cycle_length_days,
                fixed_duration_cycles(count, r.cycle_length_days)
            )
        }
        Duration::Single => "one administration".into(),
        Duration::UntilProgression => "until progression".into(),
    }
}

fn route(r: Route) -> &'static str {
    match r {
        Route::Iv => "IV",
        Route::Sc => "SC",
        Route::Po => "PO",
    }
}

impl Calendar {
    /// One line per administration: `2026-12-07  C1 D1  bortezomib 2.52 mg SC`.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{} ({}) from {}: {}\nDecision support, not a prescription: check every line against the protocol and label.\n",
            self.name, self.regimen_id, self.start, self.cycles_basis
        );
        for d in &self.doses {
            s.push_str(&format!(
                "  {} {} {} ({} {}): {}\n",
                d.drug.name(),
                d.prescribed,
                route(d.route),
                d.cycles,
                d.days,
                d.arithmetic
            ));
            for a in &d.adjustments {
                s.push_str(&format!("    adjustment: {} [{}]\n", a.rule, a.citations.join(", ")));
            }
        }
        for m in &self.missing_inputs {
            s.push_str(&format!("  missing: {} ({}) for {}\n", m.field, m.test, m.needed_for));
        }
        for n in &self.notes {
            s.push_str(&format!("  note: {n}\n"));
        }
        s.push_str(&format!("  rounding: {}\n\n", super::doses::ROUNDING_POLICY));
        for a in &self.administrations {
            s.push_str(&format!(
                "{}  C{} D{}  {} {} {}{}\n",
                a.date,
                a.cycle,
                a.day,
                a.drug.name(),
                a.dose,
                route(a.route),
                if a.note.is_empty() { String::new() } else { format!("  ({})", a.note) }
            ));
        }
        s
    }

    /// iCalendar (RFC 5545): one all-day VEVENT per administration, CRLF line ends, stable UIDs,
    /// DTSTAMP fixed to the start date so the output is deterministic.
    pub fn to_ics(&self) -> String {
        let stamp = self.start.replace('-', "");
        let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//myeloma-pathway//mmpath calendar//EN\r\nCALSCALE:GREGORIAN\r\n");
        for (i, a) in self.administrations.iter().enumerate() {
            let date = a.date.replace('-', "");
            let summary = format!("C{} D{} {} {} {}", a.cycle, a.day, a.drug.name(), a.dose, route(a.route));
            s.push_str("BEGIN:VEVENT\r\n");
            s.push_str(&format!(
                "UID:{}-{}-c{}-d{}-{}@mmpath\r\n",
                self.regimen_id,
                i,
                a.cycle,
                a.day,
                a.drug.name().replace(' ', "-")
            ));
            s.push_str(&format!("DTSTAMP:{stamp}T000000Z\r\n"));
            s.push_str(&format!("DTSTART;VALUE=DATE:{date}\r\n"));
            s.push_str(&format!("SUMMARY:{}\r\n", ics_escape(&summary)));
            if !a.note.is_empty() {
                s.push_str(&format!("DESCRIPTION:{}\r\n", ics_escape(&a.note)));
            }
            s.push_str("END:VEVENT\r\n");
        }
        s.push_str("END:VCALENDAR\r\n");
        s
    }

    /// JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn ics_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_or_cycle_past_the_calendar_numbers_is_refused_not_written_as_one() {
        assert_eq!(day_number(32_767, "cilta-cel").ok(), Some(32_767));
        assert!(day_number(32_768, "cilta-cel").is_err_and(|e| e.to_string().contains("cilta-cel")));
        assert_eq!(cycle_number(65_535, "dara-vrd").ok(), Some(65_535));
        assert!(cycle_number(65_536, "dara-vrd").is_err());
        assert!(cycle_number(-1, "dara-vrd").is_err());
    }
}
