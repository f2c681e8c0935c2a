//! The treatment history read as a clinician reads it: lines of therapy by the IMWG 2015 rule,
//! exposure and refractoriness per drug and per class, triple-class and penta status, prior
//! BCMA- or GPRC5D-directed therapy, each with the reason it was derived.
//!
//! Sources: lines — Rajkumar, Richardson, San Miguel, Blood 2015;126(7):921 (`imwg-lot-2015`);
//! refractory = progression on therapy or within 60 days of the last dose — IMWG 2011 uniform
//! reporting (`imwg-2011-reporting`); penta-refractory — MAMMOTH, Gandhi et al. Leukemia 2019
//! (`mammoth-2019`). Calendar arithmetic is `jiff`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::record::{Date, Drug, DrugClass, StatedKind, StopReason, TherapyExposure, TherapyRole, TreatmentHistory};

/// How the history is read (the engine fills it from the guideline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Progression within this many days after the last dose (inclusive) is refractory.
    pub refractory_window_days: u16,
    /// A switch for toxicity starts a new line (IMWG 2015: yes).
    pub toxicity_switch_is_new_line: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Self { refractory_window_days: 60, toxicity_switch_is_new_line: true }
    }
}

/// One line of therapy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Line {
    /// 1-based.
    pub number: u8,
    /// Start date.
    pub start: Date,
    /// Drugs given in the line (names as recorded), in order of start.
    pub drugs: Vec<String>,
    /// Why a new line began here.
    pub reason: String,
}

/// Exposure and refractoriness of one drug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DrugStatus {
    /// The drug as recorded.
    pub drug: String,
    /// Its class, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<DrugClass>,
    /// Disease refractory to it.
    pub refractory: bool,
    /// Stopped for toxicity.
    pub intolerant: bool,
    /// How that was derived.
    pub reason: String,
}

/// What the history says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Derived {
    /// Lines of therapy, oldest first.
    pub lines: Vec<Line>,
    /// Per drug.
    pub drugs: Vec<DrugStatus>,
    /// Classes exposed to.
    pub exposed_classes: BTreeSet<DrugClass>,
    /// Classes the disease is refractory to.
    pub refractory_classes: BTreeSet<DrugClass>,
    /// PI, IMiD and anti-CD38 exposed.
    pub triple_class_exposed: bool,
    /// PI, IMiD and anti-CD38 refractory.
    pub triple_class_refractory: bool,
    /// Refractory to an anti-CD38, two PIs and two IMiDs (MAMMOTH).
    pub penta_refractory: bool,
    /// BCMA-directed therapies given (CAR-T, bispecific, conjugate).
    pub prior_bcma: Vec<String>,
    /// GPRC5D-directed therapies given.
    pub prior_gprc5d: Vec<String>,
    /// Days from the last anti-CD38 dose to `as_of`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_since_last_anti_cd38: Option<i64>,
    /// A progression is recorded on or after the start of the last line.
    pub progression_on_last_line: bool,
    /// No anti-myeloma drug is being given and the last line has progressed: a line is to be chosen.
    pub awaiting_next_line: bool,
    /// The date the history is read at (absent when it has no dates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// The derivation, in sentences, for the plan.
    pub derivation: Vec<String>,
}

impl Derived {
    /// Prior lines (completed or running).
    pub fn line_count(&self) -> u8 {
        u8::try_from(self.lines.len()).unwrap_or(u8::MAX)
    }
    /// Library drugs exposed to.
    pub fn exposed_drugs(&self) -> BTreeSet<Drug> {
        self.drugs.iter().filter_map(|d| Drug::from_id(&d.drug)).collect()
    }
    /// Library drugs the disease is refractory to.
    pub fn refractory_drugs(&self) -> BTreeSet<Drug> {
        self.drugs.iter().filter(|d| d.refractory).filter_map(|d| Drug::from_id(&d.drug)).collect()
    }
    /// Library drugs stopped for toxicity.
    pub fn intolerant_drugs(&self) -> BTreeSet<Drug> {
        self.drugs.iter().filter(|d| d.intolerant).filter_map(|d| Drug::from_id(&d.drug)).collect()
    }
}

fn jd(d: &Date) -> jiff::civil::Date {
    d.civil()
}

fn days(a: &Date, b: &Date) -> i64 {
    jd(a).until(jd(b)).map_or(0, |s| i64::from(s.get_days()))
}

fn class_of(name: &str, stated: Option<DrugClass>) -> Option<DrugClass> {
    Drug::from_id(name).map(|d| d.class()).or(stated)
}

/// A CAR-T product (by library id, or by the class recorded for another name).
fn is_car_t(name: &str, stated: Option<DrugClass>) -> bool {
    class_of(name, stated) == Some(DrugClass::BcmaCarT)
}

/// BCMA-directed classes.
pub fn is_bcma(c: DrugClass) -> bool {
    matches!(c, DrugClass::BcmaCarT | DrugClass::BispecificBcma | DrugClass::BcmaAntibodyDrugConjugate)
}

/// Derive lines, exposure and refractoriness from a dated history.
pub fn derive(th: &TreatmentHistory, rules: Rules) -> Derived {
    // A CAR-T is one infusion (Carvykti EU SmPC §4.2: "a single dose for infusion",
    // `carvykti-eu-smpc-4-2`): its last dose is its start, never "still being given"; an infusion
    // dated only in `car_t_courses` counts as that exposure.
    let single: Vec<TherapyExposure> = th
        .therapies
        .iter()
        .map(|t| {
            let mut t = t.clone();
            if t.role == TherapyRole::AntiMyeloma
                && is_car_t(&t.drug, t.class)
                && t.stop.is_none()
                && t.last_dose.is_none()
            {
                t.last_dose = Some(t.start);
            }
            t
        })
        .chain(th.car_t_courses.iter().filter_map(|c| {
            let day = c.infusion?;
            let recorded = th.therapies.iter().any(|t| t.drug == c.product && t.start == day);
            (!recorded).then(|| TherapyExposure {
                drug: c.product.clone(),
                class: None,
                start: day,
                stop: None,
                last_dose: Some(day),
                reason_stopped: None,
                toxicity_grade: None,
                dose_level: None,
                role: TherapyRole::AntiMyeloma,
                planned_continuation: false,
            })
        }))
        .collect();
    let th = &TreatmentHistory { therapies: single, ..th.clone() };
    let mut exps: Vec<_> = th.therapies.iter().filter(|t| t.role == TherapyRole::AntiMyeloma).collect();
    exps.sort_by(|a, b| a.start.cmp(&b.start).then(a.drug.cmp(&b.drug)));
    let mut progressions: Vec<Date> = th.progressions.clone();
    for t in &th.therapies {
        if t.role == TherapyRole::AntiMyeloma && t.reason_stopped == Some(StopReason::Progression) {
            if let Some(d) = t.stop.or(t.last_dose) {
                progressions.push(d);
            }
        }
    }
    progressions.sort();
    progressions.dedup();
    let latest = th
        .therapies
        .iter()
        .flat_map(|t| [Some(t.start), t.stop, t.last_dose])
        .flatten()
        .chain(progressions.iter().copied())
        .chain(th.transplants.iter().map(|t| t.date))
        .chain(
            th.car_t_courses
                .iter()
                .flat_map(|c| [c.apheresis, c.lymphodepletion_start, c.lymphodepletion_end, c.infusion])
                .flatten(),
        )
        .max();
    let as_of = th.as_of.or(latest);
    let mut derivation = Vec::new();

    // Lines (IMWG 2015). A line's regimen is the set of drugs started on its first day plus
    // planned continuations; a new line starts when (1) the regimen was discontinued (all its
    // drugs stopped) and a different one starts, (2) a drug is added or switched unplanned, for
    // any reason, or (3) a transplant other than the first or a planned tandem is given.
    //
    // (4) Bridging is not a line of its own: "a planned sequential therapy of various regimens" is
    // one line (IMWG 2015, `imwg-lot-2015`), and bridging is the treatment given "between
    // apheresis and the first dose of the conditioning/lymphodepletion regimen" (CARTITUDE-1
    // definition, `car-t-bridging-trials`). So a course's window runs from its apheresis day to
    // its infusion (inclusive; open while not infused): a line begun inside the window takes in
    // every therapy started inside it, the CAR-T infusion included. A course with no apheresis
    // date has no window (bridging cannot be told apart from a line): say the apheresis date, or
    // mark the CAR-T exposure `planned_continuation`.
    let windows: Vec<(&str, Date, Option<Date>)> =
        th.car_t_courses.iter().filter_map(|c| Some((c.product.as_str(), c.apheresis?, c.infusion))).collect();
    let window_of = |day: Date| -> Option<usize> {
        windows.iter().rposition(|(_, a, end)| day >= *a && end.is_none_or(|e| day <= e))
    };
    // (line start, infusion) of each line that is bridging + CAR-T: progression is read from the
    // infusion on (a progression during bridging is the one the CAR-T was planned for).
    let mut bridged: Vec<(Date, Date)> = Vec::new();
    let mut bridge_notes: Vec<String> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut line_drugs: Vec<(String, Option<Date>, Option<StopReason>)> = Vec::new();
    let push_line = |lines: &mut Vec<Line>, start: Date, reason: String| {
        let n = u8::try_from(lines.len() + 1).unwrap_or(u8::MAX);
        lines.push(Line { number: n, start, drugs: Vec::new(), reason });
    };
    for t in &exps {
        let stop = t.stop.or(t.last_dose);
        let Some(cur) = lines.last() else {
            push_line(&mut lines, t.start, format!("first anti-myeloma therapy ({})", t.drug));
            line_drugs.push((t.drug.clone(), stop, t.reason_stopped));
            if let Some(l) = lines.last_mut() {
                l.drugs.push(t.drug.clone());
            }
            continue;
        };
        let same_day = t.start == cur.start;
        let restart = line_drugs.iter().any(|(d, _, _)| d == &t.drug)
            && !progressions.iter().any(|p| *p >= cur.start && *p <= t.start);
        let bridge = window_of(cur.start).filter(|w| window_of(t.start) == Some(*w));
        let new_line = if same_day || t.planned_continuation || restart {
            None
        } else if let Some(w) = bridge {
            if let Some((product, apheresis, _)) = windows.get(w) {
                if is_car_t(&t.drug, t.class) {
                    bridged.push((cur.start, t.start));
                    bridge_notes.push(format!(
                        "{} infused on {} is part of the line begun on {} with bridging after apheresis on {} \
                         (IMWG 2015: a planned sequential therapy is one line)",
                        t.drug, t.start, cur.start, apheresis
                    ));
                } else {
                    bridge_notes.push(format!(
                        "{} started on {} is bridging before {} (apheresis on {}): the same line",
                        t.drug, t.start, product, apheresis
                    ));
                }
            }
            None
        } else {
            let all_stopped = line_drugs.iter().all(|(_, s, _)| s.is_some_and(|s| s <= t.start));
            let prog = progressions.iter().rev().find(|p| **p >= cur.start && **p <= t.start).copied();
            let for_toxicity =
                line_drugs.iter().any(|(_, s, r)| *r == Some(StopReason::Toxicity) && s.is_some_and(|s| s <= t.start));
            if !rules.toxicity_switch_is_new_line && for_toxicity && prog.is_none() {
                None
            } else if let Some(p) = prog {
                Some(match window_of(t.start).and_then(|w| windows.get(w)) {
                    Some((product, a, _)) if !is_car_t(&t.drug, t.class) => {
                        format!(
                            "progression on {p}, then {} started (bridging after apheresis on {a} before {product})",
                            t.drug
                        )
                    }
                    _ => format!("progression on {p}, then {} started", t.drug),
                })
            } else if all_stopped {
                Some(format!("previous regimen discontinued, then a different regimen started ({})", t.drug))
            } else {
                Some(format!("unplanned addition of {} (IMWG 2015: a new line for any reason)", t.drug))
            }
        };
        if let Some(reason) = new_line {
            push_line(&mut lines, t.start, reason);
            line_drugs.clear();
        }
        line_drugs.push((t.drug.clone(), stop, t.reason_stopped));
        if let Some(l) = lines.last_mut() {
            if !l.drugs.contains(&t.drug) {
                l.drugs.push(t.drug.clone());
            }
        }
    }
    // Transplants after the first (planned tandems excepted) are new lines.
    let mut tx: Vec<_> = th.transplants.iter().collect();
    tx.sort_by_key(|t| t.date);
    for (i, t) in tx.iter().enumerate() {
        if i == 0 || t.planned_tandem {
            continue;
        }
        let n = u8::try_from(lines.len() + 1).unwrap_or(u8::MAX);
        lines.push(Line {
            number: n,
            start: t.date,
            drugs: vec![if t.allogeneic { "allogeneic transplant" } else { "autologous transplant" }.to_string()],
            reason: "a further transplant, not a planned tandem (IMWG 2015: each is a new line)".into(),
        });
    }
    lines.sort_by_key(|l| l.start);
    for (i, l) in lines.iter_mut().enumerate() {
        l.number = u8::try_from(i + 1).unwrap_or(u8::MAX);
        derivation.push(format!("line {} began on {}: {} [{}]", l.number, l.start, l.reason, l.drugs.join(", ")));
    }
    derivation.extend(bridge_notes);

    // Per drug: refractory if a progression falls between the start and the last dose plus the
    // window (inclusive), or any time after the start while still being given.
    let w = i64::from(rules.refractory_window_days);
    let mut drugs: Vec<DrugStatus> = Vec::new();
    let mut names: Vec<&str> = exps.iter().map(|t| t.drug.as_str()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let mine: Vec<_> = exps.iter().filter(|t| t.drug == name).collect();
        let class = mine.iter().find_map(|t| class_of(name, t.class));
        let mut refractory = None;
        for t in &mine {
            let last = t.last_dose.or(t.stop);
            for p in &progressions {
                // A progression on the start day is the one the drug was started for, not one on
                // it (IMWG 2011: refractory is progression while on therapy).
                if *p <= t.start {
                    continue;
                }
                match last {
                    None => {
                        refractory = Some(format!("progression on {p} while on {name}"));
                    }
                    Some(l) => {
                        let after = days(&l, p);
                        if after <= 0 {
                            refractory = Some(format!("progression on {p} on {name} (last dose {l})"));
                        } else if after <= w {
                            refractory = Some(format!(
                                "progression on {p}, {after} days after the last {name} dose ({l}), within {w} days"
                            ));
                        }
                    }
                }
            }
        }
        let intolerant = mine.iter().any(|t| t.reason_stopped == Some(StopReason::Toxicity));
        let reason = match &refractory {
            Some(r) => format!("refractory: {r}"),
            None => {
                "exposed, not refractory (no progression on it or within the window after its last dose)".to_string()
            }
        };
        drugs.push(DrugStatus { drug: name.to_string(), class, refractory: refractory.is_some(), intolerant, reason });
    }
    // Stated facts.
    let mut stated_classes_exposed = BTreeSet::new();
    let mut stated_classes_refr = BTreeSet::new();
    for s in &th.stated_facts {
        match (&s.drug, s.class) {
            (Some(name), _) => {
                let refr = s.fact == StatedKind::Refractory;
                if let Some(d) = drugs.iter_mut().find(|d| &d.drug == name) {
                    if refr && !d.refractory {
                        d.refractory = true;
                        d.reason = format!("refractory: stated by {}", s.source);
                    }
                } else {
                    drugs.push(DrugStatus {
                        drug: name.clone(),
                        class: class_of(name, None),
                        refractory: refr,
                        intolerant: false,
                        reason: format!("{}: stated by {}", if refr { "refractory" } else { "exposed" }, s.source),
                    });
                }
            }
            (None, Some(c)) => {
                stated_classes_exposed.insert(c);
                if s.fact == StatedKind::Refractory {
                    stated_classes_refr.insert(c);
                }
                derivation.push(format!(
                    "{} {} class: stated by {}",
                    if s.fact == StatedKind::Refractory { "refractory to the" } else { "exposed to the" },
                    class_words(c),
                    s.source
                ));
            }
            (None, None) => {}
        }
    }
    drugs.sort_by(|a, b| a.drug.cmp(&b.drug));
    for d in &drugs {
        derivation.push(format!("{}: {}", d.drug, d.reason));
    }
    let mut exposed_classes: BTreeSet<DrugClass> = drugs.iter().filter_map(|d| d.class).collect();
    exposed_classes.extend(stated_classes_exposed);
    let mut refractory_classes: BTreeSet<DrugClass> =
        drugs.iter().filter(|d| d.refractory).filter_map(|d| d.class).collect();
    refractory_classes.extend(stated_classes_refr.iter().copied());
    let triple = |s: &BTreeSet<DrugClass>| {
        s.contains(&DrugClass::ProteasomeInhibitor)
            && s.contains(&DrugClass::ImmunomodulatoryDrug)
            && s.contains(&DrugClass::AntiCd38)
    };
    let refr_in = |c: DrugClass| drugs.iter().filter(|d| d.refractory && d.class == Some(c)).count();
    let penta = refractory_classes.contains(&DrugClass::AntiCd38)
        && refr_in(DrugClass::ProteasomeInhibitor) >= 2
        && refr_in(DrugClass::ImmunomodulatoryDrug) >= 2;
    let mut prior_bcma: Vec<String> =
        drugs.iter().filter(|d| d.class.is_some_and(is_bcma)).map(|d| d.drug.clone()).collect();
    for c in exposed_classes.iter().filter(|c| is_bcma(**c)) {
        if !drugs.iter().any(|d| d.class == Some(*c)) {
            prior_bcma.push(format!("{} (stated)", class_words(*c)));
        }
    }
    let prior_gprc5d: Vec<String> =
        drugs.iter().filter(|d| d.class == Some(DrugClass::BispecificGprc5d)).map(|d| d.drug.clone()).collect();
    let days_since_last_anti_cd38 = exps
        .iter()
        .filter(|t| class_of(&t.drug, t.class) == Some(DrugClass::AntiCd38))
        .filter_map(|t| t.last_dose.or(t.stop).or(as_of))
        .max()
        .and_then(|l| as_of.map(|a| days(&l, &a)));
    let last_start =
        lines.last().map(|l| bridged.iter().find(|(s, _)| *s == l.start).map_or(l.start, |(_, infusion)| *infusion));
    let progression_on_last_line = last_start.is_some_and(|s| progressions.iter().any(|p| *p >= s));
    let ongoing = exps.iter().any(|t| t.stop.is_none() && t.last_dose.is_none());
    let awaiting_next_line = !lines.is_empty() && progression_on_last_line && !ongoing;
    let triple_class_exposed = triple(&exposed_classes);
    let triple_class_refractory = triple(&refractory_classes);
    derivation.push(format!(
        "{} prior line(s); triple-class exposed: {}; triple-class refractory: {}; penta-refractory: {}",
        lines.len(),
        yes(triple_class_exposed),
        yes(triple_class_refractory),
        yes(penta)
    ));
    if !prior_bcma.is_empty() {
        derivation.push(format!("prior BCMA-directed therapy: {}", prior_bcma.join(", ")));
    }
    Derived {
        lines,
        drugs,
        exposed_classes,
        refractory_classes,
        triple_class_exposed,
        triple_class_refractory,
        penta_refractory: penta,
        prior_bcma,
        prior_gprc5d,
        days_since_last_anti_cd38,
        progression_on_last_line,
        awaiting_next_line,
        as_of,
        derivation,
    }
}

/// The consensus threshold for salvage ASCT: the initial remission after the first-line ASCT
/// lasted **more than** 18 months (Giralt et al. 2015, `salvage-hct-2015`, V2).
pub const SALVAGE_ASCT_REMISSION_MONTHS: i64 = 18;

/// The first remission after a first-line autologous transplant, read from the dated history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsctRemission {
    /// No transplant in the dated history.
    NoTransplant,
    /// The transplant history is not one first-line ASCT (an allogeneic transplant, a further
    /// transplant that is not a planned tandem, or an ASCT after a progression): the consensus
    /// statement on a second ASCT does not cover it.
    NotFirstLineAsct(String),
    /// A first-line ASCT on this date, and no progression dated after it.
    ProgressionUnknown {
        /// Date of the (last, if a planned tandem) first-line ASCT.
        asct: Date,
    },
    /// The remission, dated.
    Known {
        /// Date of the (last, if a planned tandem) first-line ASCT.
        asct: Date,
        /// First progression after it.
        progression: Date,
        /// The ASCT date plus 18 months (calendar months).
        threshold: Date,
        /// Remission in whole months and days, for the rationale.
        months: i64,
        /// Days beyond the whole months.
        days: i64,
    },
}

impl AsctRemission {
    /// The remission lasted more than 18 months (`None` while unknown or not applicable).
    pub fn more_than_18_months(&self) -> Option<bool> {
        match self {
            AsctRemission::Known { progression, threshold, .. } => Some(progression > threshold),
            _ => None,
        }
    }
}

/// Where the latest dated CAR-T course stands: its product and the dates of its steps, from
/// `car_t_courses` and from the exposures (a CAR-T product's start is its infusion;
/// lymphodepletion-role exposures before it are its lymphodepletion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarTCourseState {
    /// The product.
    pub product: Drug,
    /// Apheresis date.
    pub apheresis: Option<Date>,
    /// First lymphodepletion day.
    pub lymphodepletion_start: Option<Date>,
    /// Last lymphodepletion day.
    pub lymphodepletion_end: Option<Date>,
    /// Infusion date.
    pub infusion: Option<Date>,
    /// The first progression dated after the infusion (the course is over: the next line opens).
    pub progression_after_infusion: Option<Date>,
    /// The date the history is read at.
    pub as_of: Option<Date>,
}

impl CarTCourseState {
    /// Calendar days from `from` to the date the history is read at.
    pub fn days_since(&self, from: Option<Date>) -> Option<i64> {
        Some(days(&from?, &self.as_of?))
    }
}

/// Lymphodepletion-role exposures dated after `after` (exclusive) and on or before `until`:
/// their first start and last day given.
fn lymphodepletion_between(
    th: &TreatmentHistory,
    after: Option<Date>,
    until: Option<Date>,
) -> (Option<Date>, Option<Date>) {
    let ld: Vec<_> = th
        .therapies
        .iter()
        .filter(|t| t.role == TherapyRole::Lymphodepletion)
        .filter(|t| after.is_none_or(|a| t.start > a) && until.is_none_or(|u| t.start <= u))
        .collect();
    let start = ld.iter().map(|t| t.start).min();
    let end = ld.iter().map(|t| t.last_dose.or(t.stop).unwrap_or(t.start)).max();
    (start, end)
}

/// The latest CAR-T course in the dated history (`None` when there is none). Read at `as_of`
/// (the history's own, else its latest date).
pub fn car_t_course(th: &TreatmentHistory, as_of: Option<Date>) -> Option<CarTCourseState> {
    let mut courses: Vec<CarTCourseState> = Vec::new();
    let infusions: Vec<(Drug, Date)> = th
        .therapies
        .iter()
        .filter(|t| t.role == TherapyRole::AntiMyeloma && is_car_t(&t.drug, t.class))
        .filter_map(|t| Some((Drug::from_id(&t.drug)?, t.start)))
        .chain(th.car_t_courses.iter().filter_map(|c| Some((Drug::from_id(&c.product)?, c.infusion?))))
        .collect();
    let previous_infusion = |before: Date| infusions.iter().map(|(_, d)| *d).filter(|d| *d < before).max();
    for c in &th.car_t_courses {
        let Some(product) = Drug::from_id(&c.product) else { continue };
        let infusion = c.infusion.or_else(|| {
            // An infusion recorded as an exposure of the same product after the apheresis.
            infusions
                .iter()
                .filter(|(d, day)| *d == product && c.apheresis.is_none_or(|a| *day >= a))
                .map(|(_, day)| *day)
                .min()
        });
        let first = c.apheresis.or(c.lymphodepletion_start);
        let (ld_start, ld_end) = match (c.lymphodepletion_start, c.lymphodepletion_end) {
            (Some(s), e) => (Some(s), e),
            (None, _) => {
                lymphodepletion_between(th, first.and_then(previous_infusion).or(c.apheresis), infusion.or(as_of))
            }
        };
        courses.push(CarTCourseState {
            product,
            apheresis: c.apheresis,
            lymphodepletion_start: ld_start,
            lymphodepletion_end: ld_end,
            infusion,
            progression_after_infusion: None,
            as_of,
        });
    }
    for (product, day) in &infusions {
        if courses.iter().any(|c| c.product == *product && c.infusion == Some(*day)) {
            continue;
        }
        let (ld_start, ld_end) = lymphodepletion_between(th, previous_infusion(*day), Some(*day));
        courses.push(CarTCourseState {
            product: *product,
            apheresis: None,
            lymphodepletion_start: ld_start,
            lymphodepletion_end: ld_end,
            infusion: Some(*day),
            progression_after_infusion: None,
            as_of,
        });
    }
    let key = |c: &CarTCourseState| {
        [c.infusion, c.lymphodepletion_end, c.lymphodepletion_start, c.apheresis].into_iter().flatten().max()
    };
    let mut latest = courses.into_iter().max_by_key(key)?;
    if let Some(i) = latest.infusion {
        latest.progression_after_infusion = all_progressions(th).into_iter().find(|p| *p > i);
    }
    Some(latest)
}

fn all_progressions(th: &TreatmentHistory) -> Vec<Date> {
    let mut v: Vec<Date> = th.progressions.clone();
    for t in &th.therapies {
        if t.role == TherapyRole::AntiMyeloma && t.reason_stopped == Some(StopReason::Progression) {
            if let Some(d) = t.stop.or(t.last_dose) {
                v.push(d);
            }
        }
    }
    v.sort();
    v.dedup();
    v
}

/// The remission after the first-line ASCT: ASCT date → first progression after it, in calendar
/// months (`jiff`). A planned tandem counts from its second transplant.
pub fn remission_after_first_asct(th: &TreatmentHistory) -> AsctRemission {
    let mut tx: Vec<_> = th.transplants.iter().collect();
    tx.sort_by_key(|t| t.date);
    let Some(first) = tx.first() else {
        return AsctRemission::NoTransplant;
    };
    if tx.iter().any(|t| t.allogeneic) {
        return AsctRemission::NotFirstLineAsct("an allogeneic transplant is recorded".into());
    }
    let progressions = all_progressions(th);
    if let Some(p) = progressions.iter().find(|p| **p <= first.date) {
        return AsctRemission::NotFirstLineAsct(format!(
            "the first ASCT ({}) followed a progression ({p}), so it was not part of primary therapy",
            first.date
        ));
    }
    let Some(progression) = progressions.iter().copied().find(|p| *p > first.date) else {
        let last = tx.iter().filter(|t| t.planned_tandem).map(|t| t.date).max().unwrap_or(first.date);
        return AsctRemission::ProgressionUnknown { asct: last };
    };
    let before: Vec<_> = tx.iter().filter(|t| t.date < progression).collect();
    if tx.len() > before.len() {
        return AsctRemission::NotFirstLineAsct(format!(
            "a transplant after the first progression ({progression}) is already recorded"
        ));
    }
    if before.iter().skip(1).any(|t| !t.planned_tandem) {
        return AsctRemission::NotFirstLineAsct(
            "more than one first-line transplant that is not a planned tandem".into(),
        );
    }
    let asct = before.last().map_or(first.date, |t| t.date);
    let a = jd(&asct);
    let threshold = a
        .checked_add(jiff::Span::new().months(SALVAGE_ASCT_REMISSION_MONTHS))
        .ok()
        .and_then(|d| Date::parse(&d.to_string()))
        .unwrap_or(asct);
    let span = a.until((jiff::Unit::Month, jd(&progression))).unwrap_or_default();
    AsctRemission::Known {
        asct,
        progression,
        threshold,
        months: i64::from(span.get_months()),
        days: i64::from(span.get_days()),
    }
}

/// The last anti-CD38 dose in the dated history (last dose, else stop; `None` when none or
/// still running without a date).
pub fn last_anti_cd38_dose(th: &TreatmentHistory) -> Option<Date> {
    last_dose_of_class(th, DrugClass::AntiCd38)
}

/// The last dose of a drug of `class` in the dated history (last dose, else stop; `None` when
/// none or still running without a date).
pub fn last_dose_of_class(th: &TreatmentHistory, class: DrugClass) -> Option<Date> {
    th.therapies
        .iter()
        .filter(|t| t.role == TherapyRole::AntiMyeloma && class_of(&t.drug, t.class) == Some(class))
        .filter_map(|t| t.last_dose.or(t.stop))
        .max()
}

/// `date` plus `months` calendar months (`jiff`), for interval rules.
pub fn add_months(date: &Date, months: i64) -> Option<Date> {
    jd(date).checked_add(jiff::Span::new().months(months)).ok().and_then(|d| Date::parse(&d.to_string()))
}

/// A class in words, for clinical text (never Debug formatting).
pub fn class_words(c: DrugClass) -> &'static str {
    match c {
        DrugClass::ProteasomeInhibitor => "proteasome inhibitor",
        DrugClass::ImmunomodulatoryDrug => "immunomodulatory drug",
        DrugClass::Corticosteroid => "corticosteroid",
        DrugClass::AlkylatingAgent => "alkylating agent",
        DrugClass::PurineAnalogue => "purine analogue",
        DrugClass::AntiCd38 => "anti-CD38 antibody",
        DrugClass::AntiSlamf7 => "anti-SLAMF7 antibody",
        DrugClass::Xpo1Inhibitor => "XPO1 inhibitor",
        DrugClass::BcmaAntibodyDrugConjugate => "BCMA antibody-drug conjugate",
        DrugClass::BispecificBcma => "BCMA bispecific antibody",
        DrugClass::BispecificGprc5d => "GPRC5D bispecific antibody",
        DrugClass::BcmaCarT => "BCMA CAR-T",
        DrugClass::Other => "class outside the library's list",
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use crate::record::{TherapyExposure, TransplantRecord};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn exp(drug: &str, start: &str, stop: Option<&str>, why: Option<StopReason>) -> TherapyExposure {
        TherapyExposure {
            drug: drug.into(),
            class: None,
            start: d(start),
            stop: stop.map(d),
            last_dose: None,
            reason_stopped: why,
            toxicity_grade: None,
            dose_level: None,
            role: TherapyRole::AntiMyeloma,
            planned_continuation: false,
        }
    }

    fn len_with_progression_after(days_after: i64) -> Derived {
        let stop = d("2024-01-01");
        let p = jd(&stop).checked_add(jiff::Span::new().days(days_after)).unwrap();
        let th = TreatmentHistory {
            therapies: vec![exp("lenalidomide", "2023-01-01", Some("2024-01-01"), Some(StopReason::Completion))],
            progressions: vec![d(&p.to_string())],
            ..Default::default()
        };
        derive(&th, Rules::default())
    }

    #[test]
    fn progression_59_and_60_days_after_the_last_dose_is_refractory_61_is_not() {
        assert!(len_with_progression_after(59).drugs[0].refractory);
        assert!(len_with_progression_after(60).drugs[0].refractory);
        assert!(!len_with_progression_after(61).drugs[0].refractory);
    }

    #[test]
    fn the_refractory_window_is_configurable() {
        let th = TreatmentHistory {
            therapies: vec![exp("lenalidomide", "2023-01-01", Some("2024-01-01"), Some(StopReason::Completion))],
            progressions: vec![d("2024-03-15")],
            ..Default::default()
        };
        assert!(!derive(&th, Rules::default()).drugs[0].refractory);
        assert!(derive(&th, Rules { refractory_window_days: 90, ..Rules::default() }).drugs[0].refractory);
    }

    #[test]
    fn induction_transplant_and_planned_maintenance_are_one_line() {
        let mut m = exp("lenalidomide", "2023-06-01", None, None);
        m.planned_continuation = true;
        let th = TreatmentHistory {
            therapies: vec![
                exp("bortezomib", "2023-01-01", Some("2023-04-01"), Some(StopReason::Completion)),
                exp("lenalidomide", "2023-01-01", Some("2023-04-01"), Some(StopReason::Completion)),
                exp("dexamethasone", "2023-01-01", Some("2023-04-01"), Some(StopReason::Completion)),
                m,
            ],
            transplants: vec![TransplantRecord { date: d("2023-05-01"), allogeneic: false, planned_tandem: false }],
            ..Default::default()
        };
        assert_eq!(derive(&th, Rules::default()).line_count(), 1);
    }

    #[test]
    fn a_switch_for_toxicity_is_a_new_line_under_imwg_2015_and_not_under_the_issue_wording() {
        let th = TreatmentHistory {
            therapies: vec![
                exp("lenalidomide", "2023-01-01", Some("2023-03-01"), Some(StopReason::Toxicity)),
                exp("dexamethasone", "2023-01-01", Some("2023-03-01"), Some(StopReason::Toxicity)),
                exp("bortezomib", "2023-03-10", None, None),
                exp("cyclophosphamide", "2023-03-10", None, None),
            ],
            ..Default::default()
        };
        assert_eq!(derive(&th, Rules::default()).line_count(), 2);
        assert_eq!(derive(&th, Rules { toxicity_switch_is_new_line: false, ..Rules::default() }).line_count(), 1);
    }

    #[test]
    fn dropping_some_drugs_of_a_regimen_is_not_a_new_line() {
        let th = TreatmentHistory {
            therapies: vec![
                exp("bortezomib", "2023-01-01", Some("2023-03-01"), Some(StopReason::Toxicity)),
                exp("lenalidomide", "2023-01-01", None, None),
                exp("dexamethasone", "2023-01-01", None, None),
            ],
            ..Default::default()
        };
        assert_eq!(derive(&th, Rules::default()).line_count(), 1);
    }

    #[test]
    fn lymphodepletion_is_neither_a_line_nor_refractory() {
        let mut flu = exp("fludarabine", "2024-01-01", Some("2024-01-03"), None);
        flu.role = TherapyRole::Lymphodepletion;
        let mut cy = exp("cyclophosphamide", "2024-01-01", Some("2024-01-03"), None);
        cy.role = TherapyRole::Lymphodepletion;
        let th = TreatmentHistory {
            therapies: vec![
                exp("lenalidomide", "2023-01-01", Some("2023-12-01"), Some(StopReason::Progression)),
                flu,
                cy,
                exp("ciltacabtagene_autoleucel", "2024-01-06", Some("2024-01-06"), None),
            ],
            progressions: vec![d("2024-02-01")],
            ..Default::default()
        };
        let h = derive(&th, Rules::default());
        assert_eq!(h.line_count(), 2);
        assert!(h.drugs.iter().all(|x| x.drug != "fludarabine" && x.drug != "cyclophosphamide"));
        assert_eq!(h.prior_bcma, vec!["ciltacabtagene_autoleucel".to_string()]);
    }

    fn cilta_cel_after_bridging_from(bridging_start: &str, switch_for_toxicity: bool) -> Derived {
        use crate::record::CarTCourseRecord;
        let mut therapies = vec![
            exp("bortezomib", "2022-01-10", Some("2022-05-01"), Some(StopReason::Completion)),
            exp("lenalidomide", "2022-01-10", Some("2024-03-01"), Some(StopReason::Progression)),
            exp("dexamethasone", "2022-01-10", Some("2022-05-01"), Some(StopReason::Completion)),
        ];
        let stop = if switch_for_toxicity { "2024-04-15" } else { "2024-04-28" };
        let why = if switch_for_toxicity { StopReason::Toxicity } else { StopReason::Completion };
        for drug in ["daratumumab_sc", "pomalidomide"] {
            therapies.push(exp(drug, bridging_start, Some(stop), Some(why)));
        }
        if switch_for_toxicity {
            therapies.push(exp("selinexor", "2024-04-18", Some("2024-04-28"), Some(StopReason::Completion)));
        }
        let th = TreatmentHistory {
            therapies,
            progressions: vec![d("2024-03-01")],
            car_t_courses: vec![CarTCourseRecord {
                product: "ciltacabtagene_autoleucel".into(),
                apheresis: Some(d("2024-04-01")),
                lymphodepletion_start: Some(d("2024-05-01")),
                lymphodepletion_end: Some(d("2024-05-03")),
                infusion: Some(d("2024-05-06")),
            }],
            ..Default::default()
        };
        derive(&th, Rules::default())
    }

    #[test]
    fn bridging_after_apheresis_and_the_car_t_are_one_line() {
        let h = cilta_cel_after_bridging_from("2024-04-01", false);
        assert_eq!(h.line_count(), 2, "{:#?}", h.lines);
        assert_eq!(h.lines[1].drugs, ["daratumumab_sc", "pomalidomide", "ciltacabtagene_autoleucel"]);
        assert!(h.derivation.iter().any(|l| l.contains("planned sequential therapy is one line")));
        // No progression after the infusion: no next line is awaited.
        assert!(!h.awaiting_next_line);
    }

    #[test]
    fn a_regimen_started_the_day_before_apheresis_is_its_own_line() {
        let h = cilta_cel_after_bridging_from("2024-03-31", false);
        assert_eq!(h.line_count(), 3, "{:#?}", h.lines);
    }

    #[test]
    fn a_bridging_switch_for_toxicity_stays_in_the_car_t_line() {
        let h = cilta_cel_after_bridging_from("2024-04-02", true);
        assert_eq!(h.line_count(), 2, "{:#?}", h.lines);
        assert!(h.lines[1].drugs.contains(&"selinexor".to_string()));
    }

    #[test]
    fn a_progression_during_bridging_is_not_a_progression_after_the_car_t() {
        use crate::record::CarTCourseRecord;
        let th = TreatmentHistory {
            therapies: vec![
                exp("lenalidomide", "2022-01-10", Some("2024-03-01"), Some(StopReason::Progression)),
                exp("carfilzomib", "2024-04-05", Some("2024-04-25"), Some(StopReason::Progression)),
            ],
            progressions: vec![d("2024-03-01"), d("2024-04-25")],
            car_t_courses: vec![CarTCourseRecord {
                product: "ciltacabtagene_autoleucel".into(),
                apheresis: Some(d("2024-04-01")),
                lymphodepletion_start: None,
                lymphodepletion_end: None,
                infusion: Some(d("2024-05-06")),
            }],
            ..Default::default()
        };
        let h = derive(&th, Rules::default());
        assert_eq!(h.line_count(), 2);
        assert!(!h.progression_on_last_line);
        assert!(!h.awaiting_next_line);
        let mut later = th.clone();
        later.progressions.push(d("2024-09-01"));
        let h = derive(&later, Rules::default());
        assert!(h.progression_on_last_line && h.awaiting_next_line);
    }

    #[test]
    fn any_drug_can_be_recorded() {
        let mut v = exp("venetoclax", "2024-01-01", None, None);
        v.class = None;
        let th = TreatmentHistory { therapies: vec![v], ..Default::default() };
        let h = derive(&th, Rules::default());
        assert_eq!(h.line_count(), 1);
        assert_eq!(h.drugs[0].class, None);
    }

    // Threshold edges found by mutation testing (docs/mutation-testing.md, session 7).

    fn asct_then_progression(progression: &str) -> AsctRemission {
        let th = TreatmentHistory {
            therapies: vec![exp("lenalidomide", "2022-08-01", Some(progression), Some(StopReason::Progression))],
            transplants: vec![TransplantRecord { date: d("2022-01-10"), allogeneic: false, planned_tandem: false }],
            progressions: vec![d(progression)],
            ..Default::default()
        };
        remission_after_first_asct(&th)
    }

    #[test]
    fn a_remission_of_exactly_18_months_after_asct_is_not_more_than_18_months() {
        // Giralt 2015: "an initial remission of more than 18 months".
        assert_eq!(asct_then_progression("2023-07-10").more_than_18_months(), Some(false));
        assert_eq!(asct_then_progression("2023-07-11").more_than_18_months(), Some(true));
        assert_eq!(asct_then_progression("2023-07-09").more_than_18_months(), Some(false));
    }

    fn infusion_only(ld_start: &str, infusion: &str, progression: Option<&str>) -> CarTCourseState {
        let mut fl = exp("fludarabine", ld_start, Some(ld_start), Some(StopReason::Completion));
        fl.role = TherapyRole::Lymphodepletion;
        let th = TreatmentHistory {
            therapies: vec![
                exp("lenalidomide", "2022-01-10", Some("2024-03-01"), Some(StopReason::Progression)),
                fl,
                exp("ciltacabtagene_autoleucel", infusion, Some(infusion), Some(StopReason::Completion)),
            ],
            progressions: progression.into_iter().map(d).collect(),
            ..Default::default()
        };
        car_t_course(&th, None).unwrap()
    }

    #[test]
    fn lymphodepletion_before_an_infusion_recorded_only_as_an_exposure_is_that_courses() {
        let c = infusion_only("2024-05-01", "2024-05-06", None);
        assert_eq!(c.lymphodepletion_start, Some(d("2024-05-01")));
        // On the infusion day itself it still belongs to it (until is inclusive).
        assert_eq!(infusion_only("2024-05-06", "2024-05-06", None).lymphodepletion_start, Some(d("2024-05-06")));
    }

    #[test]
    fn a_progression_on_the_infusion_day_is_not_a_progression_after_the_car_t() {
        assert_eq!(infusion_only("2024-05-01", "2024-05-06", Some("2024-05-06")).progression_after_infusion, None);
        assert_eq!(
            infusion_only("2024-05-01", "2024-05-06", Some("2024-05-07")).progression_after_infusion,
            Some(d("2024-05-07"))
        );
    }

    #[test]
    fn lymphodepletion_on_the_apheresis_day_is_not_read_as_the_courses() {
        use crate::record::CarTCourseRecord;
        let course = |ld: &str| {
            let mut fl = exp("fludarabine", ld, Some(ld), Some(StopReason::Completion));
            fl.role = TherapyRole::Lymphodepletion;
            let th = TreatmentHistory {
                therapies: vec![fl],
                car_t_courses: vec![CarTCourseRecord {
                    product: "ciltacabtagene_autoleucel".into(),
                    apheresis: Some(d("2024-04-01")),
                    lymphodepletion_start: None,
                    lymphodepletion_end: None,
                    infusion: None,
                }],
                as_of: Some(d("2024-05-10")),
                ..Default::default()
            };
            car_t_course(&th, th.as_of).unwrap().lymphodepletion_start
        };
        // The window is after the apheresis (exclusive): lymphodepletion follows manufacture.
        assert_eq!(course("2024-04-01"), None);
        assert_eq!(course("2024-04-02"), Some(d("2024-04-02")));
    }

    #[test]
    fn a_transplant_on_the_day_of_the_first_progression_is_after_it() {
        let th = TreatmentHistory {
            therapies: vec![exp("lenalidomide", "2022-08-01", Some("2023-08-01"), Some(StopReason::Progression))],
            transplants: vec![
                TransplantRecord { date: d("2022-01-10"), allogeneic: false, planned_tandem: false },
                TransplantRecord { date: d("2023-08-01"), allogeneic: false, planned_tandem: false },
            ],
            progressions: vec![d("2023-08-01")],
            ..Default::default()
        };
        match remission_after_first_asct(&th) {
            AsctRemission::NotFirstLineAsct(why) => assert!(why.contains("after the first progression"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
