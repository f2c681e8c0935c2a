//! First-line courses that decide their own next step: the cycles before the next decision
//! (the studied course in the patient's setting), and continuous therapy for the
//! transplant-ineligible (MAIA DRd until progression; CEPHEUS D-VRd → D-Rd; IMROZ Isa-VRd →
//! Isa-Rd), offered as studied rather than as a switch to generic maintenance.

use super::*;
use crate::kb::regimen::Duration;

/// The setting a first-line regimen is followed in for this patient: transplant-eligible or
/// -ineligible as assessed; while eligibility is undetermined, the setting the regimen was
/// studied in (transplant-eligible when it was studied in both, as the ranking is).
pub(super) fn first_line_setting(e: Eligibility, r: &Regimen) -> Setting {
    match e {
        Eligibility::Eligible => Setting::TransplantEligible,
        Eligibility::Ineligible => Setting::TransplantIneligible,
        Eligibility::Undetermined if r.settings.contains(&Setting::TransplantEligible) => Setting::TransplantEligible,
        Eligibility::Undetermined => Setting::TransplantIneligible,
    }
}

/// How many cycles of a first-line regimen come before the next decision, and why.
///
/// The studied course decides where it fixes the decision point: before a transplant, the
/// pre-transplant cycles of the course for that setting (VRd: 3, DETERMINATION; KRd: 4, IFM
/// KRd/FORTE), or of a regimen studied only before transplant (PERSEUS 4, GMMG-HD7 3); for the
/// transplant-ineligible, the fixed cycles before the regimen's own continuation (CEPHEUS 8,
/// IMROZ 4). Elsewhere the guideline's `induction_cycles_before_assessment` (article: 3–4).
pub(super) fn decision_cycles(cx: &Ctx<'_>, r: &Regimen) -> (u16, String) {
    let n = u16::from(cx.g.induction_cycles_before_assessment);
    let fallback = (n, format!("{n} cycles before the response assessment (article: 3–4)"));
    match first_line_setting(cx.state.transplant_eligibility(), r) {
        Setting::TransplantEligible => match r.course(Setting::TransplantEligible) {
            Some(c) => match c.duration {
                Duration::Cycles { count } => {
                    (count, format!("{count} cycles before transplant as studied [{}]", c.citations.join(", ")))
                }
                _ => fallback,
            },
            None if r.settings == [Setting::TransplantEligible] => match r.duration {
                Duration::Cycles { count } => {
                    (count, format!("{count} cycles before transplant as studied ({})", trials(r)))
                }
                _ => fallback,
            },
            None => fallback,
        },
        Setting::TransplantIneligible | Setting::Relapsed | Setting::Smouldering => {
            match (r.continuation.as_deref(), r.duration) {
                (Some(_), Duration::Cycles { count }) => {
                    (count, format!("{count} cycles as studied before its continuation ({})", trials(r)))
                }
                _ => fallback,
            }
        }
    }
}

fn trials(r: &Regimen) -> String {
    r.evidence.iter().map(|t| t.trial.as_str()).collect::<Vec<_>>().join(", ")
}

/// For the transplant-ineligible: the induction regimen's studied continuation, as rank 1 —
/// its KB `continuation` (CEPHEUS D-Rd, IMROZ Isa-Rd), or the regimen itself when it was
/// studied until progression (MAIA DRd). `None` when the regimen has neither, or the option is
/// excluded for this patient (then the caller falls back to the article's path).
pub(super) fn studied_continuation(cx: &mut Ctx<'_>, condition: Option<String>) -> Option<RankedOption> {
    let kb = cx.kb;
    let induction = cx.state.induction_regimen().and_then(|i| kb.regimen(i))?;
    if let Some(next) = induction.continuation.as_deref().and_then(|c| kb.regimen(c)) {
        if hard_exclusions(cx, next) {
            return None;
        }
        let why = vec![format!(
            "continue as studied until progression: {} continued with {} after its fixed cycles, not a switch to generic maintenance",
            trials(induction),
            next.name
        )];
        return Some(make_option(cx, next, 1, "continuation", why, condition));
    }
    if induction.duration == Duration::UntilProgression {
        if continuing_exclusions(cx, induction) {
            return None;
        }
        let why = vec![format!(
            "continue as studied until progression or unacceptable toxicity ({}), not a switch to generic maintenance",
            trials(induction)
        )];
        return Some(make_option(cx, induction, 1, "continue", why, condition));
    }
    None
}

/// The next decision while on continuous therapy.
pub(super) fn continuous_next(cx: &Ctx<'_>) -> NextDecision {
    NextDecision {
        when: "at each response assessment".into(),
        action: "monitor response (IMWG) and MRD; continue until progression or unacceptable toxicity; progression opens the next line".into(),
        citations: vec![cx.kb.cite(CitationId::Imwg2016Response)],
    }
}
