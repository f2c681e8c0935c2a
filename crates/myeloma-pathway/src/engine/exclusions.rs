//! Hard exclusions that apply to any regimen, each with its reason and citation ("why not").

use super::*;

/// Hard exclusions that apply to any regimen about to start (or to be given as a continuation):
/// intolerance, refractoriness, cardiac, neuropathy, active infection before T-cell redirection,
/// pregnancy and pregnancy prevention with an IMiD, and an unmet blood-count start or new-cycle
/// threshold. Returns `true` when the regimen is excluded.
pub(super) fn hard_exclusions(cx: &mut Ctx<'_>, r: &Regimen) -> bool {
    exclusions_for(cx, r, true)
}

/// [`hard_exclusions`] for a course already under way (action `continue`): a start threshold
/// no longer applies; a new-cycle threshold still does.
pub(super) fn continuing_exclusions(cx: &mut Ctx<'_>, r: &Regimen) -> bool {
    exclusions_for(cx, r, false)
}

fn exclusions_for(cx: &mut Ctx<'_>, r: &Regimen, starting: bool) -> bool {
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
    if imid_pregnancy_exclusions(cx, r, &drugs) {
        return true;
    }
    // Blood counts below a label's start (or new-cycle) threshold: not offered until they recover.
    let dosed = dosed_regimen(cx, r);
    let (unmet, _) = crate::dosing::thresholds::unmet_thresholds(cx.kb, cx.p, cx.g, &dosed, starting);
    if !unmet.is_empty() {
        let reason = unmet.iter().map(|u| u.reason.as_str()).collect::<Vec<_>>().join("; ");
        let mut keys: Vec<&str> = unmet.iter().map(|u| u.citation.key()).collect();
        keys.dedup();
        exclude(cx, r, reason, &keys);
        return true;
    }
    false
}

/// Pregnancy and pregnancy prevention with lenalidomide or pomalidomide (US REMS, EU Pregnancy
/// Prevention Programme), each with the programme named. Returns `true` when excluded; reports
/// the status that would decide when it is unknown.
fn imid_pregnancy_exclusions(cx: &mut Ctx<'_>, r: &Regimen, drugs: &[Drug]) -> bool {
    let Some(imid) = drugs.iter().copied().find(|d| matches!(d, Drug::Lenalidomide | Drug::Pomalidomide)) else {
        return false;
    };
    if cx.p.sex == Some(crate::record::Sex::Male) {
        return male_condom_exclusion(cx, r, imid);
    }
    let pp = cx.p.pregnancy_prevention.clone().unwrap_or_default();
    // Pregnancy: lenalidomide and pomalidomide need negative pregnancy tests before they start
    // (US REMS, EU Pregnancy Prevention Programme); a pregnant patient cannot meet them.
    match cx.p.pregnant {
        Some(true) => {
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
        // Not of childbearing potential: no pregnancy test is asked (the programmes test
        // females of reproductive potential).
        None if pp.childbearing_potential != Some(false) => cx.missing.push(MissingInput::new(
            "pregnant",
            "pregnancy status (pregnancy test, or a patient not of reproductive potential)",
            format!("{}: {} pregnancy exclusion", r.name, imid.name()),
        )),
        _ => {}
    }
    let (programme, rule, key) = match (imid, cx.g.jurisdiction) {
        (Drug::Lenalidomide, Jurisdiction::Us) => (
            "Lenalidomide REMS (US)",
            "\"Two reliable forms of contraception must be used simultaneously unless continuous abstinence from \
             heterosexual sexual contact is the chosen method\", from 4 weeks before therapy (Revlimid USPI)",
            CitationId::LenRems,
        ),
        (_, Jurisdiction::Us) => (
            "PS-Pomalidomide REMS (US)",
            "2 reliable contraceptive methods or continuous abstinence from 4 weeks before therapy (US label as \
             summarised)",
            CitationId::PomRems,
        ),
        (Drug::Lenalidomide, Jurisdiction::Eu) => (
            "Pregnancy Prevention Programme (EU)",
            "for women of childbearing potential lenalidomide is contraindicated unless all conditions are met, \
             among them \"effective contraception, without interruption, 4 weeks before starting treatment\" \
             (Revlimid SmPC §4.3-4.4)",
            CitationId::LenPppEu,
        ),
        (_, Jurisdiction::Eu) => (
            "Pregnancy Prevention Programme (EU)",
            "for women of childbearing potential pomalidomide is contraindicated unless all conditions of the \
             programme are met, among them effective contraception from 4 weeks before treatment (Imnovid SmPC \
             §4.3-4.4)",
            CitationId::PomPppEu,
        ),
    };
    match (pp.childbearing_potential, pp.reliable_contraception) {
        // No reproductive potential, or the programme's contraception in place: no exclusion.
        (Some(false), _) | (_, Some(true)) => {}
        (Some(true), Some(false)) => {
            exclude(
                cx,
                r,
                format!(
                    "pregnancy prevention: {} needs the {programme}'s contraception, not in place for a patient of \
                     childbearing potential: {rule}",
                    imid.name()
                ),
                &[key.key()],
            );
            return true;
        }
        (Some(true), None) => cx.missing.push(MissingInput::new(
            "pregnancy_prevention.reliable_contraception",
            format!("contraception as the {programme} requires (counselling and the prescriber's check)"),
            format!("{}: {} pregnancy prevention exclusion", r.name, imid.name()),
        )),
        // Unknown potential and contraception not confirmed: the potential decides first.
        (None, _) => cx.missing.push(MissingInput::new(
            "pregnancy_prevention.childbearing_potential",
            "childbearing potential by the label's criteria (menstrual and surgical history; EU: age ≥ 50 and \
             naturally amenorrhoeic ≥ 1 year, premature ovarian failure confirmed by a gynaecologist, bilateral \
             salpingo-oophorectomy or hysterectomy, XY genotype, Turner syndrome, uterine agenesis)",
            format!("{}: {} pregnancy prevention exclusion", r.name, imid.name()),
        )),
    }
    false
}

/// A male patient with lenalidomide (US) or pomalidomide (US, EU): the programme's condom rule as
/// each label words it (docs/dosing.md, "Pregnancy prevention"). Condom use explicitly not agreed
/// with a partner who is pregnant or of childbearing potential excludes the regimen, the programme
/// named; unknown where it decides is reported missing; no such partner, or condom use agreed,
/// asks nothing. EU lenalidomide adds the partner's own contraception (EU Revlimid package leaflet,
/// `len-ppp-eu-male`: condoms "if your female partner is pregnant or able to become pregnant, and
/// she does not use effective methods of contraception"): excluded only when all three are known
/// to hold; a partner on effective contraception asks nothing more. Returns `true` when excluded.
fn male_condom_exclusion(cx: &mut Ctx<'_>, r: &Regimen, imid: Drug) -> bool {
    let (programme, rule, key) = match (imid, cx.g.jurisdiction) {
        (Drug::Lenalidomide, Jurisdiction::Us) => (
            "Lenalidomide REMS (US)",
            "\"males receiving REVLIMID must always use a latex condom during any sexual contact with females of \
             childbearing potential even if they have undergone a successful vasectomy\" (Revlimid USPI §5.2; the \
             Medication Guide: a latex or synthetic condom with a pregnant female or one who can become pregnant, \
             during treatment, interruptions and for 4 weeks after stopping)",
            CitationId::LenRemsMale,
        ),
        (Drug::Pomalidomide, Jurisdiction::Us) => (
            "Pomalyst REMS (US)",
            "\"always use a latex or synthetic condom during any sexual contact with females of reproductive potential \
             while taking Pomalyst and for up to 28 days after discontinuing Pomalyst, even if they have undergone a \
             successful vasectomy\"; \"Males must comply with the contraception requirements\" (Pomalyst USPI §17)",
            CitationId::PomRemsMale,
        ),
        (Drug::Lenalidomide, Jurisdiction::Eu) => (
            "Pregnancy Prevention Programme (EU)",
            "\"If your female partner is pregnant or able to become pregnant, and she does not use effective methods \
             of contraception, you must use condoms during treatment and for at least 7 days after the end of \
             treatment, even if you have had a vasectomy\" (EU Revlimid package leaflet, section 2; the SmPC's own \
             wording for men was not read)",
            CitationId::LenPppEuMale,
        ),
        (Drug::Pomalidomide, Jurisdiction::Eu) => (
            "Pregnancy Prevention Programme (EU)",
            "contraindicated in \"Male patients unable to follow or comply with the required contraceptive measures\" \
             (Imnovid SmPC §4.3); condom use not agreed is read as not following them (the SmPC's own list of the \
             measures for men was not read)",
            CitationId::PomPppEu,
        ),
        _ => return false,
    };
    let pp = cx.p.pregnancy_prevention.clone().unwrap_or_default();
    // EU lenalidomide: the condom rule holds only for a partner without effective contraception.
    // `Some(true)` = the rule applies to this partner; `None` = unknown.
    let partner_unprotected =
        if key == CitationId::LenPppEuMale { pp.partner_uses_effective_contraception.map(|c| !c) } else { Some(true) };
    let partner_contraception = || {
        MissingInput::new(
            "pregnancy_prevention.partner_uses_effective_contraception",
            "whether the partner who is pregnant or of childbearing potential uses effective contraception (counselling)",
            format!("{}: {} pregnancy prevention exclusion (male patient)", r.name, imid.name()),
        )
    };
    if partner_unprotected == Some(false) {
        // The partner uses effective contraception: the EU leaflet asks for no condom use.
        return false;
    }
    match (pp.partner_of_childbearing_potential, pp.condom_use_agreed) {
        // No partner who could become pregnant, or the condom use agreed: nothing to decide.
        (Some(false), _) | (_, Some(true)) => {}
        (Some(true), Some(false)) if partner_unprotected.is_none() => cx.missing.push(partner_contraception()),
        (Some(true), Some(false)) => {
            exclude(
                cx,
                r,
                format!(
                    "pregnancy prevention: {} needs the {programme}'s contraception for male patients (condom use), not \
                     agreed by a male patient with a partner who is pregnant or of childbearing potential{}: {rule}",
                    imid.name(),
                    if key == CitationId::LenPppEuMale { " and does not use effective contraception" } else { "" }
                ),
                &[key.key()],
            );
            return true;
        }
        (Some(true), None) => {
            cx.missing.push(MissingInput::new(
                "pregnancy_prevention.condom_use_agreed",
                format!("condom use as the {programme} requires (counselling and the patient's agreement)"),
                format!("{}: {} pregnancy prevention exclusion (male patient)", r.name, imid.name()),
            ));
            if partner_unprotected.is_none() {
                // Either answer decides (EU lenalidomide): both are named.
                cx.missing.push(partner_contraception());
            }
        }
        // The partner unknown and condom use not agreed: the partner decides first.
        (None, _) => cx.missing.push(MissingInput::new(
            "pregnancy_prevention.partner_of_childbearing_potential",
            "whether the patient has a partner who is pregnant or of childbearing potential (counselling; a female \
             partner is of childbearing potential unless she meets the label's criteria)",
            format!("{}: {} pregnancy prevention exclusion (male patient)", r.name, imid.name()),
        )),
    }
    false
}
