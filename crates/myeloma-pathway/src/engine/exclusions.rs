//! Hard exclusions that apply to any regimen, each with its reason and citation ("why not").

use super::*;

/// Hard exclusions that apply to any regimen: intolerance, refractoriness, cardiac, neuropathy,
/// active infection before T-cell redirection. Returns `true` when the regimen is excluded.
pub(super) fn hard_exclusions(cx: &mut Ctx<'_>, r: &Regimen) -> bool {
    let drugs = r.drugs();
    for d in &drugs {
        if cx.state.intolerant().contains(d) {
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
        let lymphodepletion = r.drugs().iter().any(|x| x.class() == DrugClass::BcmaCarT)
            && matches!(d, Drug::Fludarabine | Drug::Cyclophosphamide);
        if d.class() != DrugClass::Corticosteroid && !lymphodepletion && cx.state.refractory().contains(d) {
            exclude(
                cx,
                r,
                format!("disease is refractory to {} (progressed on it)", d.name()),
                &[CitationId::Imwg2016Response.key()],
            );
            return true;
        }
    }
    let cd38_refractory = cx.state.refractory().iter().any(|d| d.class() == DrugClass::AntiCd38);
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
    let car_t = drugs.iter().any(|d| d.class() == DrugClass::BcmaCarT);
    if redirecting || car_t {
        match of.active_infection {
            Some(true) => {
                let (why, key) = if car_t {
                    (
                        "active infection: \"Do not administer [CARVYKTI / ABECMA] to patients with active infection or inflammatory disorders\" (US boxed warning; the EU SmPC wording was not read)",
                        if drugs.contains(&Drug::IdecabtageneVicleucel) {
                            CitationId::AbecmaLabel.key()
                        } else {
                            CitationId::CarvyktiLabel.key()
                        },
                    )
                } else {
                    (
                        "active infection: \"should not be administered in patients with active infection\" (Tecvayli SmPC); do not start step-up dosing",
                        CitationId::TceInfection.key(),
                    )
                };
                exclude(cx, r, why.into(), &[key]);
                return true;
            }
            None => cx.missing.push(MissingInput::new(
                "organ_function.active_infection",
                "clinical assessment for active infection",
                format!("{}: {}", r.name, if car_t { "CAR-T infusion" } else { "step-up dosing" }),
            )),
            Some(false) => {}
        }
    }
    // Pregnancy: lenalidomide and pomalidomide need negative pregnancy tests before they start
    // (US REMS, EU Pregnancy Prevention Programme); a pregnant patient cannot meet them.
    if let Some(imid) = drugs.iter().find(|d| matches!(d, Drug::Lenalidomide | Drug::Pomalidomide)) {
        match (cx.p.pregnant, cx.p.sex) {
            (Some(true), _) => {
                let (why, key) = match (imid, cx.g.jurisdiction) {
                    (Drug::Lenalidomide, Jurisdiction::Us) => (
                        "\"Females of reproductive potential must have 2 negative pregnancy tests before initiating\" \
                         and must avoid pregnancy during therapy (Revlimid USPI §8.3, Lenalidomide REMS)",
                        CitationId::LenRems,
                    ),
                    (_, Jurisdiction::Us) => (
                        "2 negative pregnancy tests before starting and pregnancy avoided during therapy \
                         (PS-Pomalidomide REMS, US label as summarised)",
                        CitationId::PomRems,
                    ),
                    (Drug::Lenalidomide, Jurisdiction::Eu) => (
                        "contraindicated in women of childbearing potential unless all conditions of the Pregnancy \
                         Prevention Programme (negative pregnancy tests) are met (Revlimid SmPC §4.3-4.4)",
                        CitationId::LenPppEu,
                    ),
                    (_, Jurisdiction::Eu) => (
                        "contraindicated unless all conditions of the Pregnancy Prevention Programme (negative \
                         pregnancy tests) are met (Imnovid SmPC §4.3-4.4)",
                        CitationId::PomPppEu,
                    ),
                };
                exclude(cx, r, format!("pregnancy: {} is not given in pregnancy: {why}", imid.name()), &[key.key()]);
                return true;
            }
            (None, sex) if sex != Some(crate::record::Sex::Male) => cx.missing.push(MissingInput::new(
                "pregnant",
                "pregnancy status (pregnancy test, or a patient not of reproductive potential)",
                format!("{}: {} pregnancy exclusion", r.name, imid.name()),
            )),
            _ => {}
        }
    }
    false
}
