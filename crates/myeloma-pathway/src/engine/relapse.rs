//! Relapsed/refractory lines: the options whose **label** in the guideline's jurisdiction fits
//! (relapse-labels.md, Deliverable A), in the ranking's order. Trial populations stay as
//! evidence; they decide nothing.

use std::collections::BTreeSet;

use super::*;
use crate::history::{self, Derived, Rules};
use crate::kb::regimen::LabelIndication;

/// Read the record's dated treatment history into the pathway state: lines, exposure,
/// refractoriness and intolerance come from it when it is given; a patient with no pathway
/// events whose last line has progressed is placed in relapse. Lymphodepletion drugs are never
/// counted as refractory (they are not anti-myeloma therapy).
pub(super) fn apply_treatment_history(p: &Patient, g: &Guideline, state: &mut PathwayState) -> Option<Derived> {
    let car_t = state.exposed().iter().any(|d| d.class() == DrugClass::BcmaCarT);
    state
        .refractory_mut()
        .retain(|d| d.class() != DrugClass::PurineAnalogue && !(car_t && *d == Drug::Cyclophosphamide));
    let th = p.treatment_history.as_ref()?;
    if th.therapies.is_empty() && th.stated_facts.is_empty() {
        return None;
    }
    let rules = Rules {
        refractory_window_days: g.refractory_window_days,
        toxicity_switch_is_new_line: g.toxicity_switch_is_new_line,
    };
    let d = history::derive(th, rules);
    state.exposed_mut().extend(d.exposed_drugs().into_iter().filter(|x| x.class() != DrugClass::Corticosteroid));
    state.refractory_mut().extend(d.refractory_drugs().into_iter().filter(|x| x.class() != DrugClass::Corticosteroid));
    // Corticosteroids are left out as for refractoriness: dexamethasone is in every regimen and
    // is stopped with its partners, so a regimen stopped for toxicity would otherwise bar every
    // option (our choice; no source read names steroid intolerance as an exclusion).
    state.intolerant_mut().extend(d.intolerant_drugs().into_iter().filter(|x| x.class() != DrugClass::Corticosteroid));
    if p.history.is_empty() {
        state.set_line(d.line_count().saturating_add(u8::from(d.awaiting_next_line)).max(1));
        if d.awaiting_next_line {
            state.await_next_line();
        }
    } else {
        // Both given: the dated history counts lines (IMWG 2015); the events place the phase.
        let events_prior = state.prior_lines();
        let dated_prior = d.line_count().saturating_sub(u8::from(!d.awaiting_next_line));
        if dated_prior > events_prior {
            state.set_line(dated_prior.saturating_add(1));
        }
    }
    Some(d)
}

/// What the disease has been exposed and refractory to, by class, from either source.
struct Disease {
    prior: u8,
    exposed_classes: BTreeSet<DrugClass>,
    refractory: BTreeSet<Drug>,
    /// Classes the disease is refractory to (drugs from either source, and stated class facts).
    refractory_classes: BTreeSet<DrugClass>,
    exposed: BTreeSet<Drug>,
    progression_on_last: bool,
    prior_bcma: Vec<String>,
    /// Refractory to at least two PIs, two IMiDs and an anti-CD38 antibody.
    penta_refractory: bool,
}

fn disease(cx: &Ctx<'_>, derived: Option<&Derived>) -> Disease {
    let s = cx.state;
    let mut exposed_classes: BTreeSet<DrugClass> = s.exposed().iter().map(|d| d.class()).collect();
    let mut prior_bcma: Vec<String> =
        s.exposed().iter().filter(|d| history::is_bcma(d.class())).map(|d| d.name().to_string()).collect();
    let mut progression_on_last = true; // reached by a recorded progression event
    let mut refractory_classes: BTreeSet<DrugClass> = s.refractory().iter().map(|d| d.class()).collect();
    if let Some(d) = derived {
        exposed_classes.extend(d.exposed_classes.iter().copied());
        refractory_classes.extend(d.refractory_classes.iter().copied());
        for b in &d.prior_bcma {
            let name = Drug::from_id(b).map_or(b.as_str(), |x| x.name()).to_string();
            if !prior_bcma.contains(&name) {
                prior_bcma.push(name);
            }
        }
        if cx.p.history.is_empty() {
            progression_on_last = d.progression_on_last_line;
        }
    }
    let refr_count = |c: DrugClass| s.refractory().iter().filter(|d| d.class() == c).count();
    let penta_refractory = derived.is_some_and(|d| d.penta_refractory)
        || (refractory_classes.contains(&DrugClass::AntiCd38)
            && refr_count(DrugClass::ProteasomeInhibitor) >= 2
            && refr_count(DrugClass::ImmunomodulatoryDrug) >= 2);
    Disease {
        penta_refractory,
        prior: s.prior_lines(),
        exposed_classes,
        refractory: s.refractory().clone(),
        refractory_classes,
        exposed: s.exposed().clone(),
        progression_on_last,
        prior_bcma,
    }
}

fn class_name(c: DrugClass) -> &'static str {
    match c {
        DrugClass::ProteasomeInhibitor => "a proteasome inhibitor",
        DrugClass::ImmunomodulatoryDrug => "an immunomodulatory agent",
        DrugClass::AntiCd38 => "an anti-CD38 antibody",
        DrugClass::BcmaCarT => "a BCMA CAR-T",
        DrugClass::BispecificBcma => "a BCMA bispecific",
        DrugClass::BispecificGprc5d => "a GPRC5D bispecific",
        DrugClass::BcmaAntibodyDrugConjugate => "a BCMA antibody-drug conjugate",
        _ => "this class",
    }
}

/// Why a label indication does not fit (every unmet condition), or `None` when it does.
fn label_misfit(l: &LabelIndication, d: &Disease) -> Option<String> {
    let mut why = Vec::new();
    if d.prior < l.min_prior_lines {
        why.push(format!("needs at least {} prior line(s); this patient has {}", l.min_prior_lines, d.prior));
    }
    if let Some(max) = l.max_prior_lines {
        if d.prior > max {
            why.push(format!("the label's wording is 1 to {max} prior lines; this patient has {}", d.prior));
        }
    }
    let missing: Vec<&str> =
        l.exposed_to_classes.iter().filter(|c| !d.exposed_classes.contains(c)).map(|c| class_name(*c)).collect();
    let triple = [DrugClass::ProteasomeInhibitor, DrugClass::ImmunomodulatoryDrug, DrugClass::AntiCd38]
        .iter()
        .all(|c| l.exposed_to_classes.contains(c));
    if !missing.is_empty() {
        if triple {
            why.push(format!(
                "needs triple-class exposed disease (a proteasome inhibitor, an immunomodulatory agent and an anti-CD38 antibody); no prior {} recorded",
                missing.join(", ")
            ));
        } else {
            why.push(format!("needs prior {}; none recorded", missing.join(" and ")));
        }
    }
    for x in l.exposed_to.iter().filter(|x| !d.exposed.contains(x)) {
        why.push(format!("needs prior {}; none recorded", x.name()));
    }
    for x in l.refractory_to.iter().filter(|x| !d.refractory.contains(x)) {
        why.push(format!("needs {}-refractory disease; not recorded as refractory", x.name()));
    }
    if l.penta_refractory && !d.penta_refractory {
        let refr: Vec<&str> = d.refractory.iter().map(|x| x.name()).collect();
        why.push(format!(
            "needs disease refractory to at least two proteasome inhibitors, two immunomodulatory agents and an anti-CD38 antibody; refractory here to: {}",
            if refr.is_empty() { "none recorded".to_string() } else { refr.join(", ") }
        ));
    }
    if l.progression_on_last_therapy && !d.progression_on_last {
        why.push("needs progression on the last therapy; none recorded".into());
    }
    if why.is_empty() {
        None
    } else {
        Some(why.join("; "))
    }
}

fn label_line(l: &LabelIndication) -> String {
    format!("label ({}, {}): \"{}\"", l.agency, l.version, l.text)
}

pub(super) fn relapse_options(cx: &mut Ctx<'_>) -> (Vec<RankedOption>, NextDecision) {
    let s = cx.state;
    if let Some(r) = s.current_regimen().and_then(|c| cx.kb.regimen(c)).filter(|r| r.car_t_course.is_some()) {
        // A CAR-T is a course, never "continued" (engine::car_t).
        let (opts, next, course) = course_in_progress(cx, r);
        cx.car_t_course = Some(course);
        return (opts, next);
    }
    if let Some(cur) = s.current_regimen() {
        let opts: Vec<RankedOption> =
            continue_option(cx, Some(cur), format!("line {} therapy in progress", s.line())).into_iter().collect();
        return (
            opts,
            NextDecision {
                when: "at each response assessment".into(),
                action: "assess response (IMWG); progression opens the next line".into(),
                citations: vec![cx.kb.cite(CitationId::Imwg2016Response)],
            },
        );
    }
    let derived = cx.p.treatment_history.as_ref().map(|_| ()).and_then(|()| {
        let rules = Rules {
            refractory_window_days: cx.g.refractory_window_days,
            toxicity_switch_is_new_line: cx.g.toxicity_switch_is_new_line,
        };
        cx.p.treatment_history.as_ref().map(|t| history::derive(t, rules))
    });
    let dz = disease(cx, derived.as_ref());
    unknown_classes(cx, s.line());
    let j = cx.g.jurisdiction;
    let mut options = Vec::new();
    let mut rank = 0u8;
    let kb = cx.kb;
    for r in ranked(kb, cx.g, RankedPhase::Relapse, RankingSetting::Any) {
        if !r.uses.contains(&Use::Relapse) {
            continue;
        }
        let here: Vec<&LabelIndication> = r.labels.iter().filter(|l| l.jurisdiction == j && l.scope.covers()).collect();
        if here.is_empty() {
            let keys: Vec<&str> = r.labels.iter().map(|l| l.citation.as_str()).collect();
            let keys = if keys.is_empty() { vec![CitationId::ArticlePathway.key()] } else { keys };
            exclude(
                cx,
                r,
                format!(
                    "no verified {} label indication for this regimen in the knowledge base",
                    j.id().to_uppercase()
                ),
                &keys,
            );
            continue;
        }
        let fit = here.iter().find(|l| label_misfit(l, &dz).is_none()).copied();
        let Some(label) = fit else {
            let why: Vec<String> = here
                .iter()
                .filter_map(|l| label_misfit(l, &dz).map(|m| format!("{} label ({}): {m}", l.agency, l.version)))
                .collect();
            let keys: Vec<&str> = here.iter().map(|l| l.citation.as_str()).collect();
            exclude(cx, r, why.join("; or "), &keys);
            continue;
        };
        if hard_exclusions(cx, r) || refractory_class_exclusion(cx, r, &dz) {
            continue;
        }
        let classes: BTreeSet<DrugClass> = r.drugs().iter().map(|d| d.class()).collect();
        let Some(cd38_note) = anti_cd38_retreatment(cx, r, &classes, &dz, derived.as_ref()) else {
            continue;
        };
        let bcma_here = classes.iter().any(|c| history::is_bcma(*c));
        let mut extra_notes = Vec::new();
        if bcma_here && !dz.prior_bcma.is_empty() {
            let prior_car_t = dz.exposed_classes.contains(&DrugClass::BcmaCarT);
            if classes.contains(&DrugClass::BcmaCarT) && prior_car_t {
                exclude(
                    cx,
                    r,
                    format!(
                        "a second BCMA-directed CAR-T after {}: no verified evidence (CARTITUDE-2 cohort C studied cilta-cel only after non-cellular BCMA therapy); no label read excludes it, so decide with the CAR-T centre",
                        dz.prior_bcma.join(", ")
                    ),
                    &[CitationId::Cartitude2c.key()],
                );
                continue;
            }
            let (ev, key) = if classes.contains(&DrugClass::BcmaCarT) {
                (
                    "CARTITUDE-2 cohort C: cilta-cel after non-cellular BCMA therapy, n=20, ORR 60.0%, median PFS 9.1 months",
                    CitationId::Cartitude2c.key(),
                )
            } else {
                (
                    "teclistamab after prior BCMA-directed therapy (real world, n=385): ORR 48.7% vs 61.5%, median PFS 4.6 vs 8.2 months; elranatamab (MagnetisMM-1): 53.8% responded after prior BCMA therapy",
                    CitationId::TecAfterBcmaRw.key(),
                )
            };
            warn(
                cx,
                "bcma_retargeting",
                format!(
                    "{}: BCMA re-targeting after prior BCMA-directed therapy ({}); responses are lower after prior BCMA therapy: {ev}",
                    r.name,
                    dz.prior_bcma.join(", ")
                ),
                &[key],
            );
            extra_notes.push(format!(
                "BCMA re-targeting: prior BCMA-directed therapy ({}); allowed by the label, with lower responses reported ({ev})",
                dz.prior_bcma.join(", ")
            ));
            if classes.contains(&DrugClass::BcmaCarT) && dz.exposed_classes.contains(&DrugClass::BispecificBcma) {
                extra_notes.push(car_t_after_bispecific(cx, derived.as_ref()));
            }
        }
        if r.drugs().contains(&Drug::Carfilzomib) && dz.refractory.contains(&Drug::Bortezomib) {
            extra_notes.push(format!(
                "carfilzomib in bortezomib-refractory disease: CANDOR enrolled bortezomib-refractory patients (28% of the D-Kd arm, 31% of the Kd arm) with a consistent PFS benefit [{}]",
                CitationId::CandorPopulation.key()
            ));
        }
        if r.drugs().contains(&Drug::Pomalidomide) && dz.refractory.contains(&Drug::Lenalidomide) {
            extra_notes.push("pomalidomide in lenalidomide-refractory disease: allowed by the EU Darzalex SmPC §4.1 DPd indication (\"were lenalidomide-refractory\") and the APOLLO population; the refractory-class rule is otherwise strict".into());
        }
        extra_notes.extend(cd38_note);
        extra_notes.extend(safety_notes(cx, &classes, r));
        rank = rank.saturating_add(1);
        let mut why = vec![
            format!("relapse line {} ({} prior line(s)); {}", s.line(), dz.prior, label_line(label)),
            format!(
                "evidence (trial population, not an eligibility rule): {}",
                r.evidence.iter().map(|e| format!("{} ({})", e.trial, e.population)).collect::<Vec<_>>().join("; ")
            ),
        ];
        let naive_trial = r.evidence.iter().any(|e| e.population.to_lowercase().contains("bcma-naive"));
        if naive_trial && !dz.prior_bcma.is_empty() {
            why.push(format!(
                "this patient is outside that BCMA-naive trial population: prior BCMA-directed therapy ({})",
                dz.prior_bcma.join(", ")
            ));
        }
        if classes.contains(&DrugClass::AntiCd38) {
            why.push("anti-CD38 antibody combination (article: CD38-targeting agents at relapse)".into());
        }
        if classes.contains(&DrugClass::BcmaCarT) {
            why.push("CAR-T cell therapy (article: relapsed/refractory disease)".into());
        }
        if classes.contains(&DrugClass::BispecificBcma) || classes.contains(&DrugClass::BispecificGprc5d) {
            why.push("bispecific antibody (article: relapsed/refractory disease)".into());
        }
        let mut opt = make_option(cx, r, rank, "start", why, None);
        opt.notes.extend(extra_notes);
        if !opt.citations.iter().any(|c| c.key == label.citation) {
            opt.citations.push(cx.kb.cite_key(&label.citation));
        }
        if r.drugs().contains(&Drug::Pomalidomide)
            && dz.refractory.contains(&Drug::Lenalidomide)
            && !opt.citations.iter().any(|c| c.key == CitationId::DarzalexEuSmpc.key())
        {
            opt.citations.push(cx.kb.cite(CitationId::DarzalexEuSmpc));
        }
        opt.label = Some(label.clone());
        opt.car_t_course = offered_course(cx, r, &opt.doses);
        options.push(opt);
    }
    switch_target_after_bcma(cx, &mut options, &dz);
    if let Some(o) = salvage_asct(cx, rank.saturating_add(1), dz.prior) {
        options.push(o);
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

/// Classes whose refractoriness does not bar another drug of the class: corticosteroids (every
/// regimen carries dexamethasone) and the lymphodepletion classes.
fn class_rule_applies(c: DrugClass) -> bool {
    !matches!(c, DrugClass::Corticosteroid | DrugClass::PurineAnalogue | DrugClass::AlkylatingAgent)
}

/// A drug of a class the disease is refractory to is avoided unless a verified source allows it
/// (issue 10). The one source relapse-labels.md verifies: pomalidomide in lenalidomide-refractory
/// disease — the EU Darzalex SmPC §4.1 indicates DPd for patients who "were
/// lenalidomide-refractory" (V1), as did the APOLLO population ("PD on or within 60 days of
/// completion of the lenalidomide containing regimen"). Carfilzomib in bortezomib-refractory
/// disease: CANDOR enrolled bortezomib-refractory patients (28% of the D-Kd arm) and its PFS
/// benefit held in that subgroup (`candor-population`, V2). No verified source allows another
/// drug of a refractory class, so the rule is otherwise strict. Returns `true` when the regimen is
/// excluded.
fn refractory_class_exclusion(cx: &mut Ctx<'_>, r: &Regimen, dz: &Disease) -> bool {
    let car_t = r.drugs().iter().any(|d| d.class() == DrugClass::BcmaCarT);
    for d in r.drugs() {
        let c = d.class();
        if !class_rule_applies(c) || !dz.refractory_classes.contains(&c) {
            continue;
        }
        if car_t && matches!(d, Drug::Fludarabine | Drug::Cyclophosphamide) {
            continue;
        }
        let refr_here: Vec<Drug> = dz.refractory.iter().copied().filter(|x| x.class() == c).collect();
        // Pomalidomide after lenalidomide only: the label wording above; a stated class-level
        // refractoriness (drug unknown) is not covered by it.
        let only_len = !refr_here.is_empty() && refr_here.iter().all(|x| *x == Drug::Lenalidomide);
        if d == Drug::Pomalidomide && only_len {
            continue;
        }
        let only_bortezomib = !refr_here.is_empty() && refr_here.iter().all(|x| *x == Drug::Bortezomib);
        if d == Drug::Carfilzomib && only_bortezomib {
            continue;
        }
        let to = if refr_here.is_empty() {
            format!("{} (stated)", class_name(c))
        } else {
            refr_here.iter().map(|x| x.name()).collect::<Vec<_>>().join(", ")
        };
        exclude(
            cx,
            r,
            format!(
                "contains {}, of a class the disease is refractory to ({to}); no verified source allows another drug of this class in refractory disease",
                d.name()
            ),
            &[CitationId::Imwg2011Reporting.key()],
        );
        return true;
    }
    false
}

/// CRS/ICANS, REMS, ocular and selinexor notes as verified (relapse-labels.md §B3).
fn safety_notes(cx: &Ctx<'_>, classes: &BTreeSet<DrugClass>, r: &Regimen) -> Vec<String> {
    let us = cx.g.jurisdiction == Jurisdiction::Us;
    let mut n = Vec::new();
    if classes.contains(&DrugClass::BcmaCarT) {
        if us {
            n.push("US boxed warning: CRS, neurologic toxicities (ICANS), HLH/MAS, prolonged cytopenia (and for cilta-cel parkinsonism, GBS and secondary haematological malignancies); the CAR-T REMS was eliminated on 26 Jun 2025 (FDA): monitor for at least two weeks including daily monitoring for at least one week".into());
        } else {
            n.push("EU (Carvykti EPAR): daily monitoring for 14 days, then periodically for 2 more weeks; stay near the hospital for at least 4 weeks; at least one tocilizumab dose on site".into());
        }
        if cx.p.organ_function.nyha_class.is_some_and(|c| c >= 3) {
            n.push("heart failure NYHA class ≥3: no CAR-T label contraindication was found; cardiac fitness is a CAR-T centre (trial-style) eligibility decision".into());
        }
    }
    if classes.contains(&DrugClass::BispecificBcma) || classes.contains(&DrugClass::BispecificGprc5d) {
        if us {
            n.push("US boxed warning: cytokine release syndrome and neurologic toxicity including ICANS; available only through a REMS (step-up dosing with post-dose monitoring per the label)".into());
        } else {
            n.push("EU SmPC: step-up dosing with CRS/ICANS monitoring after the step-up doses; do not start with active infection".into());
        }
    }
    if classes.contains(&DrugClass::BcmaAntibodyDrugConjugate) {
        if us {
            n.push("US boxed warning: ocular toxicity; ophthalmic exams at baseline, prior to each dose and promptly for worsening symptoms; available only through the BLENREP REMS; preservative-free artificial tears, no contact lenses".into());
        } else {
            n.push(
                "EU: ophthalmic assessments prior to the first 4 doses and as clinically indicated thereafter".into(),
            );
        }
    }
    if r.drugs().contains(&Drug::Selinexor) {
        n.push("selinexor (Xpovio label): provide prophylactic antiemetics (a 5-HT3 antagonist and other anti-nausea agents before and during treatment); maintain fluid and caloric intake, consider IV hydration; monitor CBC, chemistries, weight, nutritional and volume status, more often in the first 3 months".into());
    }
    n
}

/// Anti-CD38 retreatment (relapse-labels.md §B5): no label sets an interval, so a prior anti-CD38
/// exposure gives a trial-population note, and the centre's interval
/// (`guideline.anti_cd38_retreatment_min_months`, default none) excludes a regimen given within
/// it. Returns `None` when the regimen is excluded, else the notes to add.
fn anti_cd38_retreatment(
    cx: &mut Ctx<'_>,
    r: &Regimen,
    classes: &BTreeSet<DrugClass>,
    dz: &Disease,
    derived: Option<&Derived>,
) -> Option<Vec<String>> {
    if !classes.contains(&DrugClass::AntiCd38) || !dz.exposed_classes.contains(&DrugClass::AntiCd38) {
        return Some(Vec::new());
    }
    let mut prior: Vec<String> =
        dz.exposed.iter().filter(|d| d.class() == DrugClass::AntiCd38).map(|d| d.name().to_string()).collect();
    if prior.is_empty() {
        prior.push("an anti-CD38 antibody (stated)".into());
    }
    let last = cx.p.treatment_history.as_ref().and_then(history::last_anti_cd38_dose);
    let as_of = derived.and_then(|d| d.as_of);
    let when = match (last, as_of) {
        (Some(l), Some(a)) => format!("last anti-CD38 dose {l}, {} days before {a}", history_days(&l, &a)),
        _ => "date of the last anti-CD38 dose not recorded".to_string(),
    };
    let mut notes = vec![format!(
        "anti-CD38 retreatment after prior {} ({when}): no label sets a retreatment interval; trial populations (evidence, not eligibility rules): ICARIA-MM and MajesTEC-3 excluded anti-CD38-refractory disease; a phase 3 RRMM trial (Future Oncol 2023) allowed its daratumumab arm only with no anti-CD38 therapy in the 6 months before enrolment and no daratumumab stopped for toxicity [{}]",
        prior.join(", "),
        CitationId::AntiCd38RetreatmentTrials.key()
    )];
    let Some(m) = cx.g.anti_cd38_retreatment_min_months else {
        return Some(notes);
    };
    match (last, as_of) {
        (Some(l), Some(a)) => {
            let until = history::add_months(&l, i64::from(m)).unwrap_or(l);
            if a < until {
                exclude(
                    cx,
                    r,
                    format!(
                        "anti-CD38 retreatment {} days after the last anti-CD38 dose ({l}), within the centre's interval of {m} months (until {until}): the centre's choice (guideline.anti_cd38_retreatment_min_months), not a label rule",
                        history_days(&l, &a)
                    ),
                    &[CitationId::AntiCd38RetreatmentTrials.key()],
                );
                return None;
            }
            notes.push(format!(
                "the centre's anti-CD38 retreatment interval ({m} months, guideline.anti_cd38_retreatment_min_months) has passed (since {until})"
            ));
        }
        _ => {
            cx.missing.push(MissingInput::new(
                "treatment_history.therapies[].last_dose",
                "date of the last anti-CD38 antibody dose",
                format!("{}: the centre's anti-CD38 retreatment interval ({m} months)", r.name),
            ));
            notes.push(format!(
                "the centre's anti-CD38 retreatment interval ({m} months) could not be checked: the date of the last anti-CD38 dose is not recorded"
            ));
        }
    }
    Some(notes)
}

/// A drug outside the library recorded without its class: the class is unknown, not "none".
/// Exposure and refractoriness by class (triple-class status, prior BCMA or GPRC5D therapy,
/// anti-CD38 refractoriness), which the labels and exclusions of this line read, are derived
/// without it, so it is reported missing by name (`class: other` states that it is in none of
/// the library's classes).
fn unknown_classes(cx: &mut Ctx<'_>, line: u8) {
    use crate::record::{Drug, TherapyRole};
    let Some(th) = cx.p.treatment_history.as_ref() else { return };
    for t in &th.therapies {
        if t.role == TherapyRole::AntiMyeloma && t.class.is_none() && Drug::from_id(&t.drug).is_none() {
            // The field without an index, as the other history inputs: the order of exposures is
            // not part of the record (the FHIR reader returns them in its own order); the test
            // names the drug.
            cx.missing.push(MissingInput::new(
                "treatment_history.therapies[].class",
                format!(
                    "the class of `{}` (a drug outside the library): one of the library's drug classes, or `other` when it is in none of them",
                    t.drug
                ),
                format!(
                    "line {line} options: exposure and refractoriness by class (triple-class status, prior BCMA or GPRC5D therapy, anti-CD38 refractoriness), which the labels and exclusions read"
                ),
            ));
        }
    }
}

fn history_days(a: &crate::record::Date, b: &crate::record::Date) -> i64 {
    let (Ok(x), Ok(y)) = (a.to_string().parse::<jiff::civil::Date>(), b.to_string().parse::<jiff::civil::Date>())
    else {
        return 0;
    };
    x.until(y).map_or(0, |s| i64::from(s.get_days()))
}

/// A BCMA CAR-T after a BCMA bispecific (session 8, docs/evidence/tcr-sequencing.md): the IMWG
/// sequencing recommendations (Costa 2025) as summarised find it "acceptable if ≥6 months elapse"
/// (V2, full text not read), so the interval since the last bispecific dose is said, not ruled on.
fn car_t_after_bispecific(cx: &Ctx<'_>, derived: Option<&Derived>) -> String {
    let last = cx.p.treatment_history.as_ref().and_then(|t| history::last_dose_of_class(t, DrugClass::BispecificBcma));
    let as_of = derived.and_then(|d| d.as_of);
    let when = match (last, as_of) {
        (Some(l), Some(a)) => {
            let six = history::add_months(&l, 6).unwrap_or(l);
            format!(
                "last BCMA bispecific dose {l}, {} days before {a}: {}",
                history_days(&l, &a),
                if a < six { format!("within 6 months (until {six})") } else { "6 months or more".to_string() }
            )
        }
        _ => "the date of the last BCMA bispecific dose is not recorded".to_string(),
    };
    format!(
        "CAR-T after a BCMA bispecific ({when}): the IMWG sequencing recommendations (Costa 2025), as summarised, find bispecific-to-CAR-T sequencing \"acceptable if ≥6 months elapse\" (V2; the full text and grade were not read; no label sets an interval) [{}]",
        CitationId::ImwgTcrSequencing2025.key()
    )
}

/// After BCMA-directed T-cell redirection (a BCMA CAR-T or a BCMA bispecific), a bispecific with
/// another target (talquetamab, GPRC5D) ranks before the BCMA-directed bispecifics, in the slots
/// the bispecifics already hold (session 8, docs/evidence/tcr-sequencing.md). Basis: the IMWG
/// sequencing recommendations (Costa 2025) as summarised, "antigen switching preferred after
/// BCMA-directed progression" (V2, full text not read); talquetamab after prior T-cell redirection
/// (MonumenTAL-1, n=78, ORR 67%); lower responses to a BCMA bispecific after BCMA therapy (real
/// world, V1) and a median PFS of 3.6 months after a BCMA CAR-T relapse (V1). One matched
/// real-world analysis found no survival difference [C], which the rationale says. A prior BCMA
/// antibody-drug conjugate alone does not move the order (MonumenTAL-1 counted it as naive to
/// T-cell redirection).
fn switch_target_after_bcma(cx: &mut Ctx<'_>, options: &mut [RankedOption], dz: &Disease) {
    let prior_tcr: Vec<&str> =
        [(DrugClass::BcmaCarT, "a BCMA CAR-T"), (DrugClass::BispecificBcma, "a BCMA bispecific")]
            .into_iter()
            .filter(|(c, _)| dz.exposed_classes.contains(c))
            .map(|(_, w)| w)
            .collect();
    if prior_tcr.is_empty() {
        return;
    }
    let class_of = |o: &RankedOption| -> Option<DrugClass> {
        let r = cx.kb.regimen(&o.regimen_id)?;
        let cs: Vec<DrugClass> = r.drugs().iter().map(|d| d.class()).collect();
        if cs.contains(&DrugClass::BispecificBcma) {
            Some(DrugClass::BispecificBcma)
        } else if cs.contains(&DrugClass::BispecificGprc5d) {
            Some(DrugClass::BispecificGprc5d)
        } else {
            None
        }
    };
    let slots: Vec<usize> = (0..options.len()).filter(|&i| options.get(i).and_then(&class_of).is_some()).collect();
    let mut gprc5d: Vec<RankedOption> = Vec::new();
    let mut bcma: Vec<RankedOption> = Vec::new();
    for &i in &slots {
        if let Some(o) = options.get(i) {
            if class_of(o) == Some(DrugClass::BispecificGprc5d) {
                gprc5d.push(o.clone());
            } else {
                bcma.push(o.clone());
            }
        }
    }
    if gprc5d.is_empty() || bcma.is_empty() {
        return;
    }
    let basis = format!(
        "after prior BCMA-directed T-cell redirection ({}): a bispecific with another target ranks before the BCMA-directed ones. IMWG sequencing recommendations (Costa 2025), as summarised: \"antigen switching preferred after BCMA-directed progression\" (V2; full text not read, no grade); talquetamab after prior T-cell redirection: MonumenTAL-1, n=78, ORR 67%, median PFS 7.7 months (V2); a BCMA bispecific after BCMA therapy: ORR 48.7% vs 61.5% (real world, V1), median PFS 3.6 months after a BCMA CAR-T relapse (V1); no randomised comparison, and one matched real-world analysis found no survival difference between talquetamab and a second BCMA-directed therapy (HR 1.10) [C]",
        prior_tcr.join(" and ")
    );
    let keys = [
        CitationId::ImwgTcrSequencing2025.key(),
        CitationId::Monumental1PriorTcr.key(),
        CitationId::TecAfterBcmaRw.key(),
        CitationId::BcmaCarTRelapse2024.key(),
        CitationId::TalVsBcmaRw2025.key(),
    ];
    let cites: Vec<Citation> = keys.iter().map(|k| cx.kb.cite_key(k)).collect();
    for o in &mut gprc5d {
        o.rationale.push(format!("target switch first: {basis}"));
    }
    for o in &mut bcma {
        o.rationale.push(format!("ranked after the GPRC5D-directed bispecific: {basis}"));
    }
    for (slot, mut o) in slots.iter().zip(gprc5d.into_iter().chain(bcma)) {
        for c in &cites {
            if !o.citations.iter().any(|x| x.key == c.key) {
                o.citations.push(c.clone());
            }
        }
        if let Some(dst) = options.get_mut(*slot) {
            o.rank = dst.rank;
            *dst = o;
        }
    }
}

/// ASCT at the **first relapse** (ASBMT/EBMT/BMT CTN/IMWG consensus, Giralt et al. 2015,
/// `salvage-hct-2015`, V2), both statements being about patients "relapsing after primary therapy":
/// - statement 1: primary therapy **without** an ASCT (a deferred transplant): high-dose therapy with
///   HCT as part of salvage therapy "should be considered standard";
/// - statement 2: primary therapy **with** an ASCT: a second ASCT "should be considered appropriate
///   therapy" when the initial remission lasted **more than 18 months**. The remission is the dated
///   ASCT → first progression after it; an unknown date is a missing input (the option is neither
///   given nor excluded).
///
/// At a later relapse (more than one prior line) neither statement applies, so the option is
/// excluded with that reason when a transplant history would otherwise qualify. Transplant
/// eligibility still applies.
fn salvage_asct(cx: &mut Ctx<'_>, rank: u8, prior: u8) -> Option<RankedOption> {
    use history::AsctRemission as R;
    let r = cx.kb.regimen_by_id(RegimenId::SalvageAsct)?;
    let needed = "salvage ASCT (consensus, Giralt 2015: initial remission after the first ASCT more than 18 months)";
    let dated = cx.p.treatment_history.as_ref().map_or(R::NoTransplant, history::remission_after_first_asct);
    let later_relapse = |cx: &mut Ctx<'_>, what: &str| {
        exclude(
            cx,
            r,
            format!(
                "{what}; this is not the first relapse ({prior} prior lines): the consensus statements cover patients relapsing after primary therapy (Giralt 2015, V2); a transplant at a later relapse is the transplant centre's decision, with no verified source here"
            ),
            &[CitationId::SalvageHct2015.key()],
        );
    };
    let (asct, progression, months, days) = match dated {
        R::NoTransplant if cx.state.transplants_total() > 0 => {
            // An undated transplant in the pathway events: the dates decide, so ask for them.
            if prior == 1 {
                cx.missing.push(MissingInput::new(
                    "treatment_history.transplants",
                    "date of the first-line ASCT (and of the first progression after it)",
                    needed,
                ));
            }
            return None;
        }
        R::NoTransplant => {
            if prior != 1 {
                return None;
            }
            // Statement 1: no ASCT in primary therapy.
            (None, None, 0, 0)
        }
        R::ProgressionUnknown { asct } if prior != 1 => {
            later_relapse(cx, &format!("first-line ASCT on {asct}"));
            return None;
        }
        R::Known { asct, .. } if prior != 1 => {
            later_relapse(cx, &format!("first-line ASCT on {asct}"));
            return None;
        }
        R::NotFirstLineAsct(why) => {
            exclude(
                cx,
                r,
                format!(
                    "{why}: the consensus statement covers a second ASCT after primary therapy that included one ASCT"
                ),
                &[CitationId::SalvageHct2015.key()],
            );
            return None;
        }
        R::ProgressionUnknown { asct } => {
            cx.missing.push(MissingInput::new(
                "treatment_history.progressions",
                format!("date of the first progression after the ASCT of {asct} (IMWG)"),
                needed,
            ));
            return None;
        }
        R::Known { asct, progression, threshold, months, days } => {
            if progression <= threshold {
                exclude(
                    cx,
                    r,
                    format!(
                        "initial remission after the ASCT of {asct} lasted {months} months and {days} days (progression {progression}): not more than 18 months (consensus statement, Giralt 2015, V2)"
                    ),
                    &[CitationId::SalvageHct2015.key()],
                );
                return None;
            }
            (Some(asct), Some(progression), months, days)
        }
    };
    let e = crate::assess::fitness::transplant_eligibility(cx.kb, cx.p, cx.g);
    match e.eligibility {
        Eligibility::Ineligible => {
            exclude(
                cx,
                r,
                format!("transplant-ineligible now: {}", e.reasons.join("; ")),
                &[CitationId::SalvageHct2015.key()],
            );
            return None;
        }
        Eligibility::Undetermined => {
            cx.missing.extend(e.missing_inputs.iter().cloned());
            return None;
        }
        Eligibility::Eligible => {}
    }
    if hard_exclusions(cx, r) {
        return None;
    }
    let mut why = match (asct, progression) {
        (Some(asct), Some(progression)) => vec![
            format!(
                "salvage ASCT after reinduction: the initial remission after the ASCT of {asct} lasted {months} months and {days} days (first progression {progression}), more than 18 months"
            ),
            "consensus statement, evidence V2 (ASBMT/EBMT/BMT CTN/IMWG, Giralt et al. 2015): high-dose therapy and autologous HCT \"should be considered appropriate therapy\" after primary therapy that included an ASCT with an initial remission of more than 18 months; no label decides this option".into(),
        ],
        _ => vec![
            "ASCT at first relapse, after reinduction: no ASCT is recorded in primary therapy (a deferred transplant); if one was given, record it in treatment_history.transplants, and the remission after it decides instead".into(),
            "consensus statement, evidence V2 (ASBMT/EBMT/BMT CTN/IMWG, Giralt et al. 2015): in transplant-eligible patients relapsing after primary therapy that did not include an autologous HCT, high-dose therapy with HCT as part of salvage therapy \"should be considered standard\"; no label decides this option".into(),
        ],
    };
    why.push(format!("transplant-eligible now: {}", e.reasons.join("; ")));
    Some(make_option(
        cx,
        r,
        rank,
        "consolidation by transplant",
        why,
        Some("after reinduction with one of the options above".into()),
    ))
}
