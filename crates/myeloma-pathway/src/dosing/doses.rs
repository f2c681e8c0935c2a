//! Per-component doses for this patient, with the arithmetic, the rounding policy and every
//! label adjustment (label, jurisdiction, version, evidence). Only adjustments verified in the
//! project's research notes are computed; where a table's values were NOT FOUND the adjustment
//! says so and names the missing fact (docs/dosing.md).

use serde::Serialize;

use super::formulas::{body_surface_area, num, round_dp, sci, Measured};
use super::{lenalidomide_renal_for_dose, LenalidomideRenal};
use crate::assess::fitness;
use crate::assess::missing::{normalise, MissingInput};
use crate::guideline::{Guideline, Jurisdiction};
use crate::kb::regimen::{Component, DoseUnit, Regimen};
use crate::kb::{CitationId, Evidence, KnowledgeBase};
use crate::patient::Patient;
use crate::record::{Drug, Route};

/// The rounding policy, stated in every dose.
pub const ROUNDING_POLICY: &str = "BSA rounded to 0.01 m², weight as recorded; the dose is the product shown, \
     rounded to 0.01 mg; no rounding to vial or tablet strengths (no label strengths are encoded): round per the \
     pharmacy's policy";

/// Carfilzomib: a BSA above 2.2 m² is dosed on 2.2 m² (Kyprolis USPI §2, docs/evidence/dosing.md item 5).
pub const CARFILZOMIB_BSA_CAP_M2: f64 = 2.2;

/// Which administrations an adjustment applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Every administration of the component.
    All,
    /// Cycle 1 only (bortezomib hepatic starting dose).
    CycleOne,
    /// From this week of the regimen onwards (CANDOR dexamethasone from week 2).
    FromWeek {
        /// Week (1-based, from the regimen's start).
        week: u16,
    },
}

/// A label adjustment to one component.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DoseAdjustment {
    /// Stable code, e.g. `lenalidomide_renal`.
    pub code: &'static str,
    /// The rule in words, with the patient's value and the comparator.
    pub rule: String,
    /// The adjusted dose per administration for this patient, where the label gives one;
    /// `None` = not computed (the reason is in `rule`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_mg: Option<f64>,
    /// Dose in words, e.g. `15 mg every 48 hours`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose: Option<String>,
    /// Arithmetic, where the adjusted dose is per m² or per kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arithmetic: Option<String>,
    /// Administrations it applies to.
    pub scope: Scope,
    /// Administer every other day within the component's days (lenalidomide 15 mg every 48 h).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub every_other_day: bool,
    /// Jurisdiction of the label, where it is a label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Jurisdiction>,
    /// Label or source and its version/date, from the knowledge base.
    pub label: String,
    /// How checked.
    pub evidence: Evidence,
    /// Citation keys.
    pub citations: Vec<String>,
}

/// One component's dose for this patient.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ComponentDose {
    /// Index of the component in the regimen.
    pub component: usize,
    /// Drug.
    pub drug: Drug,
    /// Route.
    pub route: Route,
    /// Cycles (`C1`, `C2–4`, `every cycle`).
    pub cycles: String,
    /// Days (`D1, 8, 15`).
    pub days: String,
    /// The regimen's dose as written, e.g. `1.3 mg/m²`.
    pub prescribed: String,
    /// The computed dose per administration before adjustments (lower bound of a range).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Upper bound, for a labelled range (CAR-T cells).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_to: Option<f64>,
    /// Unit of `amount`: `mg` or `cells`.
    pub unit: &'static str,
    /// The arithmetic, e.g. `1.3 mg/m² × 1.94 m² = 2.52 mg`.
    pub arithmetic: String,
    /// BSA or weight used, with its method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Measured>,
    /// The rounding policy.
    pub rounding: &'static str,
    /// Label adjustments for this patient.
    pub adjustments: Vec<DoseAdjustment>,
    /// What is missing to compute or adjust it.
    pub missing_inputs: Vec<MissingInput>,
    /// Citation keys of the schedule line.
    pub citations: Vec<String>,
}

impl ComponentDose {
    /// The dose in force for an administration in `cycle` (1-based) on regimen day `day_of_regimen`
    /// (1-based, counted from the first day of cycle 1), after adjustments: the lowest of the
    /// computed dose and every adjustment that applies there.
    pub fn amount_for(&self, cycle: u16, day_of_regimen: i32) -> Option<f64> {
        let mut a = self.amount?;
        for adj in &self.adjustments {
            let applies = match adj.scope {
                Scope::All => true,
                Scope::CycleOne => cycle == 1,
                Scope::FromWeek { week } => day_of_regimen > (i32::from(week) - 1) * 7,
            };
            if applies {
                if let Some(x) = adj.amount_mg {
                    a = a.min(x);
                }
            }
        }
        Some(a)
    }

    /// Whether an applying adjustment makes the drug every other day.
    pub fn every_other_day(&self) -> bool {
        self.adjustments.iter().any(|a| a.every_other_day)
    }
}

fn label_of(kb: &KnowledgeBase, id: CitationId) -> (String, Evidence) {
    let c = kb.cite(id);
    (format!("{} ({})", c.source, c.version), c.evidence)
}

#[allow(clippy::too_many_arguments)]
fn adj(
    kb: &KnowledgeBase,
    code: &'static str,
    rule: String,
    amount_mg: Option<f64>,
    dose: Option<String>,
    scope: Scope,
    jurisdiction: Option<Jurisdiction>,
    id: CitationId,
) -> DoseAdjustment {
    let (label, evidence) = label_of(kb, id);
    DoseAdjustment {
        code,
        rule,
        amount_mg,
        dose,
        arithmetic: None,
        scope,
        every_other_day: false,
        jurisdiction,
        label,
        evidence,
        citations: vec![id.key().to_string()],
    }
}

fn prescribed(c: &Component) -> String {
    let u = c.dose.unit.label();
    let f = |v: f64| if v >= 1e5 { sci(v) } else { num(v) };
    match c.dose.amount_to {
        Some(t) => format!("{}–{} {u}", f(c.dose.amount), f(t)),
        None => format!("{} {u}", f(c.dose.amount)),
    }
}

/// Doses of every component of `r` for the patient, with the missing inputs of all of them
/// (normalised).
pub fn component_doses(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
) -> (Vec<ComponentDose>, Vec<MissingInput>) {
    let bsa = body_surface_area(kb, p, g);
    let crcl = fitness::creatinine_clearance(kb, p, g);
    let mut all_missing = Vec::new();
    let doses: Vec<ComponentDose> = r
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let d = component_dose(kb, p, g, r, i, c, &bsa, &crcl);
            all_missing.extend(d.missing_inputs.iter().cloned());
            d
        })
        .collect();
    normalise(&mut all_missing);
    (doses, all_missing)
}

#[allow(clippy::too_many_arguments)]
fn component_dose(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    index: usize,
    c: &Component,
    bsa: &Result<Measured, Vec<MissingInput>>,
    crcl: &Result<fitness::CreatinineClearance, Vec<MissingInput>>,
) -> ComponentDose {
    let mut missing = Vec::new();
    let mut adjustments = Vec::new();
    let name = c.drug.name();
    let (mut amount, mut amount_to, mut unit, mut basis) = (None, None, "mg", None);
    let arithmetic;
    match c.dose.unit {
        DoseUnit::Mg => {
            amount = Some(c.dose.amount);
            arithmetic = format!("flat dose: {} mg", num(c.dose.amount));
        }
        DoseUnit::Cells => {
            amount = Some(c.dose.amount);
            amount_to = c.dose.amount_to;
            unit = "cells";
            arithmetic = format!("flat dose: {} cells", prescribed(c).trim_end_matches(" cells"));
        }
        DoseUnit::MgPerM2 => match bsa {
            Ok(b) => {
                let mut used = b.value;
                let mut pre = String::new();
                if c.drug == Drug::Carfilzomib {
                    match g.jurisdiction {
                        Jurisdiction::Us if b.value > CARFILZOMIB_BSA_CAP_M2 => {
                            used = CARFILZOMIB_BSA_CAP_M2;
                            pre = format!("BSA {} m² > 2.2 m²: dosed on 2.2 m² (Kyprolis USPI); ", num(b.value));
                            adjustments.push(adj(
                                kb,
                                "carfilzomib_bsa_cap",
                                format!("BSA {} m² is above 2.2 m²: the dose is calculated on 2.2 m²", num(b.value)),
                                Some(round_dp(c.dose.amount * CARFILZOMIB_BSA_CAP_M2, 2)),
                                None,
                                Scope::All,
                                Some(Jurisdiction::Us),
                                CitationId::KyprolisUspi,
                            ));
                        }
                        Jurisdiction::Eu if b.value > CARFILZOMIB_BSA_CAP_M2 => adjustments.push(adj(
                            kb,
                            "carfilzomib_bsa_cap",
                            format!(
                                "BSA {} m² is above 2.2 m²: the EU SmPC's BSA cap was NOT FOUND in the project's sources \
                                 (the US label caps at 2.2 m²); dose computed on actual BSA: check the SmPC",
                                num(b.value)
                            ),
                            None,
                            None,
                            Scope::All,
                            Some(Jurisdiction::Eu),
                            CitationId::KyprolisUspi,
                        )),
                        _ => {}
                    }
                }
                let v = round_dp(c.dose.amount * used, 2);
                amount = Some(v);
                arithmetic = format!("{pre}{} mg/m² × {} m² = {} mg", num(c.dose.amount), num(used), num(v));
                basis = Some(b.clone());
            }
            Err(m) => {
                missing.extend(m.iter().cloned().map(|mut x| {
                    x.needed_for = format!("{name} dose ({})", prescribed(c));
                    x
                }));
                arithmetic = format!("{} × BSA: not computed (height and weight needed)", prescribed(c));
            }
        },
        DoseUnit::MgPerKg | DoseUnit::CellsPerKg => match p.weight_kg {
            Some(w) => {
                let per = if c.dose.unit == DoseUnit::MgPerKg { "mg" } else { "cells" };
                unit = per;
                let f = |v: f64| if v >= 1e5 { sci(v) } else { num(v) };
                let lo = round_dp(c.dose.amount * w, 2);
                amount = Some(lo);
                let mut a = format!("{} {per}/kg", f(c.dose.amount));
                let mut res = f(lo);
                if let Some(t) = c.dose.amount_to {
                    let hi = round_dp(t * w, 2);
                    amount_to = Some(hi);
                    a = format!("{}–{} {per}/kg", f(c.dose.amount), f(t));
                    res = format!("{}–{}", f(lo), f(hi));
                }
                let mut text = format!("{a} × {} kg (actual body weight) = {res} {per}", num(w));
                if let Some(max) = c.dose.max_total {
                    text.push_str(&format!("; at most {} {per} per administration", f(max)));
                    if amount_to.is_some_and(|h| h > max) {
                        amount_to = Some(max);
                        text.push_str(&format!(" (the upper bound is limited to {})", f(max)));
                    }
                    if lo > max {
                        amount = Some(max);
                        text.push_str(&format!(" (the lower bound exceeds it: {} applies)", f(max)));
                    }
                }
                if c.dose.unit == DoseUnit::CellsPerKg {
                    text.push_str("; a release check of the manufactured product, not a dose the pharmacy prepares");
                }
                arithmetic = text;
            }
            None => {
                missing.push(MissingInput::new(
                    "weight_kg",
                    "body weight (kg)",
                    format!("{name} dose ({})", prescribed(c)),
                ));
                arithmetic = format!("{} × weight: not computed (weight needed)", prescribed(c));
            }
        },
    }
    let bsa_used = basis.as_ref().map(|b| b.value);
    label_adjustments(kb, p, g, r, c, bsa_used, &mut adjustments, &mut missing, crcl);
    if let (DoseUnit::MgPerM2, Some(b)) = (c.dose.unit, &basis) {
        for a in &mut adjustments {
            if let (Some(v), Some(d)) = (a.amount_mg, &a.dose) {
                if let Some(per) = d.split(" mg/m²").next().and_then(|x| x.parse::<f64>().ok()) {
                    if d.contains("mg/m²") {
                        a.arithmetic = Some(format!("{} mg/m² × {} m² = {} mg", num(per), num(b.value), num(v)));
                    }
                }
            }
        }
    }
    normalise(&mut missing);
    ComponentDose {
        component: index,
        drug: c.drug,
        route: c.route,
        cycles: c.cycles.label(),
        days: c.days_label(),
        prescribed: prescribed(c),
        amount,
        amount_to,
        unit,
        arithmetic,
        basis,
        rounding: ROUNDING_POLICY,
        adjustments,
        missing_inputs: missing,
        citations: c.citations.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
fn label_adjustments(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    r: &Regimen,
    c: &Component,
    bsa_m2: Option<f64>,
    out: &mut Vec<DoseAdjustment>,
    missing: &mut Vec<MissingInput>,
    crcl: &Result<fitness::CreatinineClearance, Vec<MissingInput>>,
) {
    let j = g.jurisdiction;
    let of = &p.organ_function;
    let need = |missing: &mut Vec<MissingInput>, field: &str, test: &str, what: &str| {
        missing.push(MissingInput::new(field, test, what));
    };
    // Age-based reduction, as the regimen's own source writes it (comparator per regimen).
    if let Some(a) = &c.age_reduction {
        match p.age_years {
            Some(age) if a.applies_to(age) => {
                let id = a.citations.first().cloned().unwrap_or_default();
                let cite = kb.cite_key(&id);
                out.push(DoseAdjustment {
                    code: "age_reduction",
                    rule: format!("age {age} ({} years in {}): {}", a.cutoff_label(), r.name, a.wording),
                    amount_mg: Some(a.amount),
                    dose: Some(format!("{} {}", num(a.amount), c.dose.unit.label())),
                    arithmetic: None,
                    scope: a.from_week.map_or(Scope::All, |week| Scope::FromWeek { week }),
                    every_other_day: false,
                    jurisdiction: None,
                    label: format!("{} ({})", cite.source, cite.version),
                    evidence: a.evidence,
                    citations: a.citations.clone(),
                });
            }
            Some(_) => {}
            None => need(missing, "age_years", "age", &format!("{} age-based dose ({})", c.drug.name(), r.name)),
        }
    } else if c.drug == Drug::Dexamethasone && p.age_years.is_some_and(|a| a >= 75) {
        let key = c.citations.first().cloned().unwrap_or_default();
        let cite = kb.cite_key(&key);
        out.push(DoseAdjustment {
            code: "age_reduction_not_verified",
            rule: format!(
                "age {}: no age-based dexamethasone rule for {} is verified in the project's sources; the dose is \
                 shown as written: check the protocol{}",
                p.age_years.unwrap_or_default(),
                r.name,
                if c.notes.is_empty() { String::new() } else { format!(" (regimen note: {})", c.notes.join("; ")) }
            ),
            amount_mg: None,
            dose: None,
            arithmetic: None,
            scope: Scope::All,
            every_other_day: false,
            jurisdiction: None,
            label: format!("{} ({})", cite.source, cite.version),
            evidence: Evidence::M,
            citations: c.citations.clone(),
        });
    }
    match c.drug {
        Drug::Lenalidomide => match crcl {
            Ok(cl) => {
                let what = format!("lenalidomide {} mg renal dose", num(c.dose.amount));
                match lenalidomide_renal_for_dose(c.dose.amount, cl.ml_min, of.on_dialysis, j) {
                    LenalidomideRenal::NoChange => {}
                    LenalidomideRenal::Adjusted { amount_mg, text, every_other_day } => {
                        let id = match j {
                            Jurisdiction::Us => CitationId::LenRenalUs,
                            Jurisdiction::Eu => CitationId::LenRenalEu,
                        };
                        let mut a = adj(
                            kb,
                            "lenalidomide_renal",
                            format!(
                                "CrCl {} mL/min ({}){}: the 25 mg regimens' renal table gives {text}",
                                num(cl.ml_min),
                                cl.method,
                                if of.on_dialysis == Some(true) { ", on dialysis" } else { "" }
                            ),
                            Some(amount_mg),
                            Some(text.to_string()),
                            Scope::All,
                            Some(j),
                            id,
                        );
                        a.every_other_day = every_other_day;
                        out.push(a);
                    }
                    LenalidomideRenal::DialysisUnknown => {
                        need(missing, "organ_function.on_dialysis", "dialysis status", &what);
                    }
                    LenalidomideRenal::TableNotFound => out.push(adj(
                        kb,
                        "lenalidomide_renal",
                        format!(
                            "CrCl {} mL/min ({}): consult the label's maintenance renal table; the {} {} mg maintenance \
                             renal values were NOT FOUND in the project's sources (the 25 mg table does not apply)",
                            num(cl.ml_min),
                            cl.method,
                            match j {
                                Jurisdiction::Us => "US Revlimid",
                                Jurisdiction::Eu => "EU SmPC (2024)",
                            },
                            num(c.dose.amount)
                        ),
                        None,
                        None,
                        Scope::All,
                        Some(j),
                        match j {
                            Jurisdiction::Us => CitationId::LenRenalUs,
                            Jurisdiction::Eu => CitationId::LenRenalEu,
                        },
                    )),
                }
            }
            Err(m) => missing.extend(m.iter().cloned().map(|mut x| {
                x.needed_for = "lenalidomide renal dose".into();
                x
            })),
        },
        Drug::Bortezomib => {
            match (of.peripheral_neuropathy_grade, of.neuropathy_with_pain) {
                (Some(1), Some(true)) | (Some(2), Some(false)) => out.push(adj(
                    kb,
                    "bortezomib_neuropathy",
                    "grade 1 painful or grade 2 neuropathy: reduce to 1.0 mg/m²".into(),
                    per_m2(bsa_m2, 1.0),
                    Some("1.0 mg/m²".into()),
                    Scope::All,
                    None,
                    CitationId::BortezomibPn,
                )),
                _ => {}
            }
            match (of.bilirubin_x_uln, j) {
                (Some(b), Jurisdiction::Us) if b > 1.5 => out.push(adj(
                    kb,
                    "bortezomib_hepatic",
                    format!(
                        "bilirubin {} × ULN (> 1.5 × ULN, moderate or severe hepatic impairment): 0.7 mg/m² in cycle 1, \
                         then 1.0 mg/m² or 0.5 mg/m² by tolerance",
                        num(b)
                    ),
                    per_m2(bsa_m2, 0.7),
                    Some("0.7 mg/m² in cycle 1".into()),
                    Scope::CycleOne,
                    Some(Jurisdiction::Us),
                    CitationId::BortezomibUspi,
                )),
                (Some(b), Jurisdiction::Eu) if b > 1.5 => out.push(adj(
                    kb,
                    "bortezomib_hepatic",
                    format!(
                        "bilirubin {} × ULN: the EU SmPC hepatic starting-dose text was NOT FOUND in the project's \
                         sources (the US label gives 0.7 mg/m² in cycle 1): check the SmPC",
                        num(b)
                    ),
                    None,
                    None,
                    Scope::CycleOne,
                    Some(Jurisdiction::Eu),
                    CitationId::BortezomibUspi,
                )),
                (Some(_), _) => {}
                (None, _) => need(
                    missing,
                    "organ_function.bilirubin_x_uln",
                    "total bilirubin (× ULN)",
                    "bortezomib starting dose (hepatic)",
                ),
            }
        }
        Drug::Ixazomib => {
            match crcl {
                Ok(cl) if cl.ml_min < 30.0 || of.on_dialysis == Some(true) => out.push(adj(
                    kb,
                    "ixazomib_renal",
                    format!(
                        "CrCl {} mL/min{} (< 30 mL/min or ESRD on dialysis): starting dose 3 mg, without regard to the \
                         timing of dialysis; the US label's wording was not read",
                        num(cl.ml_min),
                        if of.on_dialysis == Some(true) { ", on dialysis" } else { "" }
                    ),
                    Some(3.0),
                    Some("3 mg".into()),
                    Scope::All,
                    Some(Jurisdiction::Eu),
                    CitationId::IxazomibSmpc,
                )),
                Ok(_) => {}
                Err(m) => missing.extend(m.iter().cloned().map(|mut x| {
                    x.needed_for = "ixazomib starting dose (renal)".into();
                    x
                })),
            }
            match of.bilirubin_x_uln {
                Some(b) if b > 1.5 => out.push(adj(
                    kb,
                    "ixazomib_hepatic",
                    format!(
                        "bilirubin {} × ULN (> 1.5 × ULN, moderate or severe hepatic impairment): starting dose 3 mg",
                        num(b)
                    ),
                    Some(3.0),
                    Some("3 mg".into()),
                    Scope::All,
                    Some(Jurisdiction::Eu),
                    CitationId::IxazomibSmpc,
                )),
                Some(_) => {}
                None => need(
                    missing,
                    "organ_function.bilirubin_x_uln",
                    "total bilirubin (× ULN)",
                    "ixazomib starting dose (hepatic)",
                ),
            }
        }
        Drug::Pomalidomide if of.on_dialysis == Some(true) => out.push(adj(
            kb,
            "pomalidomide_dialysis",
            match j {
                Jurisdiction::Us => "severe renal impairment requiring dialysis: 3 mg daily, after haemodialysis on \
                     dialysis days (US label as reproduced by secondary sources)"
                    .to_string(),
                Jurisdiction::Eu => {
                    "on dialysis: the EU SmPC renal text was NOT FOUND in the project's sources (the US \
                     label gives 3 mg daily after haemodialysis): check the SmPC"
                        .to_string()
                }
            },
            (j == Jurisdiction::Us).then_some(3.0),
            (j == Jurisdiction::Us).then(|| "3 mg daily, after haemodialysis".to_string()),
            Scope::All,
            Some(j),
            CitationId::PomalidomideUspi,
        )),
        Drug::Melphalan if c.route == Route::Po && of.on_dialysis == Some(true) => out.push(adj(
            kb,
            "melphalan_oral_renal",
            "on dialysis: the oral melphalan label gives no renal dose reduction (\"a recommendation … cannot be \
             made\"; not removed by haemodialysis): reduce per clinician or centre protocol"
                .into(),
            None,
            None,
            Scope::All,
            Some(Jurisdiction::Us),
            CitationId::MelphalanOralUspi,
        )),
        _ => {}
    }
}

/// A reduced per-m² dose for this patient: `new × BSA` (the rounded BSA shown), so that the
/// arithmetic printed beside it checks by hand (`0.7 mg/m² × 1.82 m² = 1.27 mg`; scaling the
/// already rounded 2.37 mg by 0.7/1.3 would give 1.28 mg).
fn per_m2(bsa_m2: Option<f64>, new: f64) -> Option<f64> {
    bsa_m2.map(|b| round_dp(new * b, 2))
}
