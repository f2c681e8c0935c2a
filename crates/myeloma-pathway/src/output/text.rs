//! Plain-text rendering of results for clinicians (the CLI's default output).

use std::fmt::Write as _;

use crate::plan::Plan;

/// Render a plan as readable text.
pub fn plan_text(p: &Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "myeloma-pathway plan (decision support, not a medical device)");
    let _ =
        writeln!(s, "Position: {} [phase {}, line {}]", p.position.description, p.position.phase.id(), p.position.line);
    let class = p.diagnosis.class.label();
    let _ = writeln!(s, "Diagnosis: {class} — {} [{}]", p.diagnosis.reason, p.diagnosis.criteria_version);
    if let Some(r) = &p.diagnosis.smm_risk {
        let group = r.group.map_or("undetermined", |g| match g {
            crate::assess::diagnosis::SmmRiskGroup::Low => "low",
            crate::assess::diagnosis::SmmRiskGroup::Intermediate => "intermediate",
            crate::assess::diagnosis::SmmRiskGroup::High => "high",
        });
        let _ = writeln!(
            s,
            "Smouldering risk (20/2/20): {group} ({} of 3 factors met, {} unknown) [{}]",
            r.factors_met, r.factors_unknown, r.citation.key
        );
    }
    if let Some(r) = &p.diagnosis.mgus_risk {
        let _ = writeln!(
            s,
            "MGUS risk (Mayo 2005): {} ({} of 3 factors met, {} unknown) [{}]",
            r.stratum.map_or("undetermined", |x| x.label()),
            r.factors_met,
            r.factors_unknown,
            r.citation.key
        );
    }
    let e = &p.transplant_eligibility;
    let _ = writeln!(s, "Transplant eligibility: {} ({})", e.eligibility.label(), e.reasons.join("; "));
    let r = &p.risk;
    let _ = writeln!(
        s,
        "Cytogenetic risk ({}): {}{}",
        r.definition.id(),
        r.level.label(),
        if r.deciding.is_empty() { String::new() } else { format!(" because {}", r.deciding.join("; ")) }
    );
    if !r.not_assessable.is_empty() {
        let _ = writeln!(s, "  not assessable with these data: {}", r.not_assessable.join("; "));
    }
    let st = &p.staging;
    let fmt_stage = |x: Option<String>| x.unwrap_or_else(|| "not computable".into());
    let _ = writeln!(
        s,
        "Staging: ISS {}, R-ISS {}, R2-ISS {}",
        fmt_stage(st.iss.stage.map(|x| format!("{x:?}"))),
        fmt_stage(st.r_iss.stage.map(|x| format!("{x:?}"))),
        fmt_stage(st.r2_iss.staging.stage.map(|x| format!("{x:?}")))
    );
    let _ = writeln!(s);
    if let Some(c) = &p.car_t_course {
        let _ = writeln!(s, "CAR-T course: {}", c.summary);
        car_t_steps(&mut s, c, "  ");
    }
    if p.options.is_empty() {
        let _ = writeln!(s, "Options now: none offered (see exclusions and next decision)");
    } else {
        let _ = writeln!(s, "Options now:");
    }
    for o in &p.options {
        let cond = o.condition.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default();
        let _ = writeln!(s, "  {}. {} {}{} ({})", o.rank, o.action, o.name, cond, o.course);
        for line in &o.schedule {
            let _ = writeln!(s, "       - {line}");
        }
        if let Some(su) = &o.step_up {
            let steps: Vec<String> =
                su.doses.iter().map(|d| format!("D{} {} {}", d.day, d.dose.amount, d.dose.unit.label())).collect();
            let _ =
                writeln!(s, "       step-up ({}): {}; {}", su.jurisdiction.label(), steps.join(" → "), su.monitoring);
        }
        for d in &o.doses {
            // The dose in force for every administration, when an adjustment lowers it (the
            // `amount` is the dose before adjustments; the calendar applies scoped ones by day).
            let adjusted = d
                .adjustments
                .iter()
                .filter(|a| matches!(a.scope, crate::dosing::doses::Scope::All))
                .filter_map(|a| a.amount_mg.map(|m| (m, a)))
                .filter(|(m, _)| d.amount.is_some_and(|x| *m < x))
                .min_by(|x, y| x.0.total_cmp(&y.0));
            let tail = adjusted.map_or_else(String::new, |(m, a)| {
                format!(
                    " → {} for this patient (after {})",
                    a.dose.clone().unwrap_or_else(|| format!("{m} mg")),
                    a.code
                )
            });
            let _ = writeln!(s, "       dose: {} {}: {}{tail}", d.drug.name(), d.cycles, d.arithmetic);
            for a in &d.adjustments {
                let _ = writeln!(s, "         adjust: {} [{}]", a.rule, a.citations.join(", "));
            }
        }
        for c in &o.supportive_care {
            let _ = writeln!(s, "       supportive: {} [{}]", c.text, c.citations.join(", "));
        }
        if let Some(c) = &o.car_t_course {
            car_t_steps(&mut s, c, "       ");
        }
        if let Some(l) = &o.label {
            let _ = writeln!(
                s,
                "       label: {} ({}), {}: {} [{}]",
                l.jurisdiction.label(),
                l.agency,
                l.version,
                l.text,
                l.citation
            );
        }
        for w in &o.rationale {
            let _ = writeln!(s, "       why: {w}");
        }
        for n in &o.notes {
            let _ = writeln!(s, "       note: {n}");
        }
        let cites: Vec<String> = o.citations.iter().map(|c| format!("{} ({})", c.source, c.version)).collect();
        let _ = writeln!(s, "       sources: {}", cites.join(" | "));
    }
    if !p.excluded.is_empty() {
        let _ = writeln!(s, "Not offered:");
        for x in &p.excluded {
            let _ = writeln!(s, "  - {}: {}", x.name, x.reason);
        }
    }
    if !p.warnings.is_empty() {
        let _ = writeln!(s, "Warnings:");
        for w in &p.warnings {
            let _ = writeln!(s, "  ! {}", w.message);
        }
    }
    if !p.missing_inputs.is_empty() {
        let _ = writeln!(s, "Missing inputs (never assumed normal):");
        // One line per field (the plan lists one entry per purpose, so a field several options
        // need would repeat once per option).
        for m in crate::missing::by_field(&p.missing_inputs) {
            let _ = writeln!(s, "  ? {} — test: {} — needed for: {}", m.field, m.test, m.needed_for.join("; "));
        }
    }
    let _ = writeln!(s, "Next decision: {} — {}", p.next_decision.when, p.next_decision.action);
    if !p.counterfactuals.is_empty() {
        let _ = writeln!(s, "What would change the answer:");
        for c in &p.counterfactuals {
            let _ = writeln!(s, "  * {}: {}", c.change, c.effect);
        }
    }
    let _ = writeln!(
        s,
        "Basis: myeloma-pathway {}, knowledge base {} (sha256 {})",
        p.basis.library_version, p.basis.knowledge_base.version, p.basis.knowledge_base.sha256
    );
    s
}

/// The steps of a CAR-T course, one line each with its status, dates, timing and sources.
fn car_t_steps(s: &mut String, c: &crate::plan::CarTCoursePlan, indent: &str) {
    use crate::plan::CarTStepStatus as St;
    for (i, st) in c.steps.iter().enumerate() {
        let status = match st.status {
            St::Planned => "planned",
            St::Next => "NEXT",
            St::Done => "done",
            St::Current => "now",
        };
        let dates = st.dates.as_ref().map(|d| format!(" {d}")).unwrap_or_default();
        let _ = writeln!(
            s,
            "{indent}step {} {}{} [{status}{dates}]: {} [{}]",
            i + 1,
            st.step.id(),
            if st.if_needed { " (if needed)" } else { "" },
            st.timing,
            st.citations.join(", ")
        );
        for d in &st.doses {
            let _ = writeln!(s, "{indent}    dose: {d}");
        }
        for t in &st.text {
            let _ = writeln!(s, "{indent}    - {t}");
        }
    }
}
