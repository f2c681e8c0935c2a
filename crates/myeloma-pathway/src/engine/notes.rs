//! Patient-specific notes and dose adjustments shown with an offered option.

use super::*;

/// Patient-specific notes and dose adjustments for an offered regimen.
pub(super) fn option_notes(cx: &mut Ctx<'_>, r: &Regimen) -> (Vec<String>, Vec<String>) {
    let drugs = r.drugs();
    let mut notes: Vec<String> = r.notes.clone();
    let mut schedule: Vec<String> = r.components.iter().map(|c| c.summary()).collect();
    if let Some(len_dose) = r.components.iter().find(|c| c.drug == Drug::Lenalidomide).map(|c| c.dose.amount) {
        let label = match cx.g.jurisdiction {
            Jurisdiction::Us => CitationId::LenRenalUs.key(),
            Jurisdiction::Eu => CitationId::LenRenalEu.key(),
        };
        match fitness::creatinine_clearance(cx.kb, cx.p, cx.g) {
            Ok(c) => match crate::dosing::lenalidomide_renal_for_dose(
                len_dose,
                c.ml_min,
                cx.p.organ_function.on_dialysis,
                cx.g.jurisdiction,
            ) {
                crate::dosing::LenalidomideRenal::Adjusted { text: adj, .. } => {
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
                crate::dosing::LenalidomideRenal::TableNotFound => {
                    notes.push(format!(
                        "lenalidomide {len_dose} mg with CrCl {} mL/min ({}): consult the label's maintenance renal \
                         table (its values were NOT FOUND in the project's sources; the 25 mg table does not apply) [{label}]",
                        c.ml_min, c.method
                    ));
                    warn(
                        cx,
                        "lenalidomide_renal_table_missing",
                        format!(
                            "creatinine clearance {} mL/min: the renal dose for lenalidomide {len_dose} mg is in the label's \
                             maintenance table, which the knowledge base does not hold: consult the label",
                            c.ml_min
                        ),
                        &[label],
                    );
                }
                crate::dosing::LenalidomideRenal::DialysisUnknown => {
                    // Unknown is not "not on dialysis": both label doses are shown.
                    cx.missing.push(MissingInput::new(
                        "organ_function.on_dialysis",
                        "dialysis status (is the patient on haemodialysis?)",
                        "lenalidomide starting dose (CrCl < 30 mL/min: the dose differs on dialysis)",
                    ));
                    if let Some(both) = crate::dosing::lenalidomide_renal_dose(c.ml_min, None, cx.g.jurisdiction) {
                        notes.push(format!(
                            "lenalidomide starting dose for CrCl {} mL/min ({}): {both} [{label}]",
                            c.ml_min, c.method
                        ));
                        for s in &mut schedule {
                            if s.starts_with("lenalidomide") {
                                s.push_str(&format!(" → renal dose: {both}"));
                            }
                        }
                    }
                }
                crate::dosing::LenalidomideRenal::NoChange => {}
            },
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
            let rule = r.components.iter().find_map(|c| c.age_reduction.as_ref());
            match rule {
                Some(a) if a.applies_to(age) => notes.push(format!(
                    "age {age} ({} years): dexamethasone {} mg — {} [{}]",
                    a.cutoff_label(),
                    a.amount,
                    a.wording,
                    a.citations.join(", ")
                )),
                Some(_) => {}
                None if age >= 75 => notes.push(format!(
                    "age {age}: no age-based dexamethasone rule for {} is verified in the knowledge base: check the protocol",
                    r.name,
                )),
                None => {}
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
        notes.push("some schedule lines are unchecked ([M] in the knowledge base): confirm days and doses against the protocol or label before prescribing".into());
    }
    (notes, schedule)
}

/// Frailty feeds the dose choice: no cited source has a frailty-specific dose rule, so the
/// plan states the IMWG cohort's toxicity and discontinuation by frailty group (Palumbo 2015,
/// `imwg-frailty-2015`, \[V1\]) for the clinician to weigh, without inventing a dose.
pub(super) fn frailty_dose_note(kb: &KnowledgeBase, p: &Patient) -> Option<String> {
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
