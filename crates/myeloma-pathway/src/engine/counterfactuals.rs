//! What would change the answer: each finding the risk definition reads, flipped.
//!
//! A flip changes one input of the plan: a cytogenetic finding changes the cytogenetic risk
//! (and the staging, which no decision reads), a 20/2/20 factor changes the diagnosis, another
//! risk definition changes the risk. Everything else (eligibility, the replayed history, MRD,
//! the response) is assessed once per plan ([`Assessed`]) and shared; only the phase's decision
//! ([`decide`]) is re-run, and only when the flip can change it:
//!
//! - the decision reads the risk through [`Ctx::risk`], and reads nothing of the cytogenetics
//!   but the risk; when the plan's own decision never read it, no risk flip can change the
//!   first option;
//! - the first option's ids and names depend on the risk only through its level, so a flip that
//!   keeps the level keeps them, and each other level is decided once per plan (at most two);
//! - the diagnosis is read only at work-up.
//!
//! `counterfactuals_equal_those_of_a_full_re_run_for_every_golden_case` (below) checks this
//! against re-running the whole engine on each flipped record, for every golden case under every
//! risk definition, profile and jurisdiction.

use super::*;

fn first_ids(options: &[RankedOption]) -> Vec<String> {
    options.iter().filter(|o| o.rank == 1).map(|o| o.regimen_id.clone()).collect()
}

fn first_names(options: &[RankedOption]) -> Vec<String> {
    options.iter().filter(|o| o.rank == 1).map(|o| o.name.clone()).collect()
}

fn effect(names: &[String]) -> String {
    if names.is_empty() {
        "no option would be offered".into()
    } else {
        format!("first option: {}", names.join(" / "))
    }
}

/// The record with one cytogenetic finding set to `alt` (a what-if detected finding carries a
/// clearly clonal fraction, 50%, so criteria with a fraction cut-off, IMS 2025 del(17p) > 20%,
/// are decided by it).
fn flipped(p: &Patient, a: crate::record::Abnormality, alt: Status) -> crate::cytogenetics::CytogeneticProfile {
    let mut c = p.cytogenetics.with_status(a, alt);
    if alt == Status::Detected {
        let mut f = crate::cytogenetics::Finding::new(a, alt);
        f.clonal_fraction_pct = Some(50.0);
        let findings: Vec<_> = c.findings().filter(|x| x.abnormality != a).cloned().chain([f]).collect();
        if let Ok(with_fraction) = crate::cytogenetics::CytogeneticProfile::from_findings("cytogenetics", &findings) {
            c = with_fraction;
        }
    }
    c
}

/// The first option (ids, names) for each risk level, decided once per level.
struct ByLevel<'a> {
    kb: &'a KnowledgeBase,
    p: &'a Patient,
    g: &'a Guideline,
    a: &'a Assessed,
    decided: Vec<(RiskLevel, Vec<String>, Vec<String>)>,
}

impl ByLevel<'_> {
    fn first(&mut self, risk: &RiskAssessment) -> (Vec<String>, Vec<String>) {
        if let Some((_, ids, names)) = self.decided.iter().find(|(l, _, _)| *l == risk.level) {
            return (ids.clone(), names.clone());
        }
        let (_, options, _) =
            decide(self.kb, self.p, self.g, &self.a.state, risk, &self.a.diagnosis, &self.a.mrd, true);
        let (ids, names) = (first_ids(&options), first_names(&options));
        self.decided.push((risk.level, ids.clone(), names.clone()));
        (ids, names)
    }
}

/// What would change the first option: each cytogenetic finding of the guideline's risk
/// definition flipped (and each untested one set both ways), one at a time; each decided
/// 20/2/20 factor flipped; each other risk definition that calls the patient high risk.
pub(super) fn counterfactuals(
    kb: &KnowledgeBase,
    p: &Patient,
    g: &Guideline,
    a: &Assessed,
    options: &[RankedOption],
    risk_read: bool,
    elsewhere: &[RiskAssessment],
) -> Vec<Counterfactual> {
    let base = first_ids(options);
    let mut by_level = ByLevel { kb, p, g, a, decided: vec![(a.risk.level, base.clone(), first_names(options))] };
    let mut out = Vec::new();
    if risk_read {
        let mut q = p.clone();
        for &ab in g.risk_definition.abnormalities() {
            let alternatives: &[Status] = match p.cytogenetics.status(ab) {
                Status::Detected => &[Status::NotDetected],
                Status::NotDetected => &[Status::Detected],
                Status::NotTested => &[Status::NotDetected, Status::Detected],
            };
            for &alt in alternatives {
                q.cytogenetics = flipped(p, ab, alt);
                let risk = risk::assess(kb, &q, g.risk_definition, g.del17p_cutoff);
                if risk.level == a.risk.level {
                    continue; // the same level decides the same first option
                }
                let (ids, names) = by_level.first(&risk);
                if ids != base {
                    let verb = match alt {
                        Status::Detected => "detected",
                        Status::NotDetected => "not detected",
                        Status::NotTested => "not tested",
                    };
                    out.push(Counterfactual {
                        change: format!("if {} were {verb}", ab.notation()),
                        effect: effect(&names),
                        first_options: ids,
                    });
                }
            }
        }
    }
    // Smouldering myeloma: each decided 20/2/20 factor flipped, where it changes the first option
    // (the diagnosis decides only at work-up).
    if let (Some(r), Phase::WorkUp) = (&a.diagnosis.smm_risk, a.state.phase()) {
        for f in r.factors.iter().filter(|f| f.state != crate::assess::diagnosis::ItemState::Unknown) {
            let mut d = a.diagnosis.clone();
            flip_smm_factor(&mut d, f.id);
            let (_, alt, _) = decide(kb, p, g, &a.state, &a.risk, &d, &a.mrd, true);
            let ids = first_ids(&alt);
            if ids != base {
                let verb = if f.state == crate::assess::diagnosis::ItemState::Met { "not met" } else { "met" };
                out.push(Counterfactual {
                    change: format!("if 20/2/20 factor \"{}\" were {verb}", f.label),
                    effect: effect(&first_names(&alt)),
                    first_options: ids,
                });
            }
        }
    }
    // Each other definition that calls the patient high risk while the chosen one does not (the
    // decision reads the definition only through the risk it assessed).
    for other in elsewhere {
        let (ids, names) = if risk_read { by_level.first(other) } else { (base.clone(), Vec::new()) };
        if ids != base {
            out.push(Counterfactual {
                change: format!(
                    "if the {} risk definition were applied (high risk: {})",
                    other.definition.id(),
                    other.deciding.join("; ")
                ),
                effect: effect(&names),
                first_options: ids,
            });
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::kb::{Jurisdiction, Profile};

    fn first_of(plan: &Plan) -> (Vec<String>, Vec<String>) {
        (first_ids(&plan.options), first_names(&plan.options))
    }

    /// The counterfactuals as the engine computed them before they shared the assessments: the
    /// whole engine re-run on each flipped record (the reference).
    fn by_full_re_run(kb: &KnowledgeBase, p: &Patient, g: &Guideline, plan: &Plan) -> Vec<Counterfactual> {
        let base = first_ids(&plan.options);
        let mut out = Vec::new();
        for &a in g.risk_definition.abnormalities() {
            let alternatives: Vec<Status> = match p.cytogenetics.status(a) {
                Status::Detected => vec![Status::NotDetected],
                Status::NotDetected => vec![Status::Detected],
                Status::NotTested => vec![Status::NotDetected, Status::Detected],
            };
            for alt in alternatives {
                let mut q = p.clone();
                q.cytogenetics = p.cytogenetics.with_status(a, alt);
                if alt == Status::Detected {
                    let mut f = crate::cytogenetics::Finding::new(a, alt);
                    f.clonal_fraction_pct = Some(50.0);
                    let findings: Vec<_> =
                        q.cytogenetics.findings().filter(|x| x.abnormality != a).cloned().chain([f]).collect();
                    if let Ok(c) = crate::cytogenetics::CytogeneticProfile::from_findings("cytogenetics", &findings) {
                        q.cytogenetics = c;
                    }
                }
                let Ok(alt_plan) = recommend_core_with(kb, &q, g, None) else { continue };
                let (ids, names) = first_of(&alt_plan);
                if ids != base {
                    let verb = match alt {
                        Status::Detected => "detected",
                        Status::NotDetected => "not detected",
                        Status::NotTested => "not tested",
                    };
                    out.push(Counterfactual {
                        change: format!("if {} were {verb}", a.notation()),
                        effect: effect(&names),
                        first_options: ids,
                    });
                }
            }
        }
        if let Some(r) = &plan.diagnosis.smm_risk {
            for f in r.factors.iter().filter(|f| f.state != crate::assess::diagnosis::ItemState::Unknown) {
                let Ok(alt_plan) = recommend_core_with(kb, p, g, Some(f.id)) else { continue };
                let (ids, names) = first_of(&alt_plan);
                if ids != base {
                    let verb = if f.state == crate::assess::diagnosis::ItemState::Met { "not met" } else { "met" };
                    out.push(Counterfactual {
                        change: format!("if 20/2/20 factor \"{}\" were {verb}", f.label),
                        effect: effect(&names),
                        first_options: ids,
                    });
                }
            }
        }
        for other in risk::high_elsewhere(kb, p, &plan.risk, g.del17p_cutoff) {
            let alt_g = g.clone().with_risk_definition(other.definition);
            let Ok(alt_plan) = recommend_core_with(kb, p, &alt_g, None) else { continue };
            let (ids, names) = first_of(&alt_plan);
            if ids != base {
                out.push(Counterfactual {
                    change: format!(
                        "if the {} risk definition were applied (high risk: {})",
                        other.definition.id(),
                        other.deciding.join("; ")
                    ),
                    effect: effect(&names),
                    first_options: ids,
                });
            }
        }
        out
    }

    /// Every golden case's and example's record with its guideline (bad-input cases left out).
    pub(crate) fn records() -> Vec<(String, Patient, Guideline)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut out = Vec::new();
        for dir in ["tests/golden", "examples/patients"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|f| f.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            for f in files {
                let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
                let (record, guideline) = match v.get("patient") {
                    Some(p) => (p.to_string(), v.get("guideline").map(|g| g.to_string())),
                    None => (v.to_string(), None),
                };
                let Ok(p) = Patient::from_json(&record) else { continue }; // bad-input cases
                let Ok(g) = crate::api::guideline_from(guideline.as_deref()) else { continue };
                out.push((f.display().to_string(), p, g));
            }
        }
        out
    }

    /// The counterfactuals (each flipped finding re-decided from the shared assessments, and a
    /// flip that keeps the risk level not re-decided at all) equal those of re-running the whole
    /// engine on each flipped record, for every golden case and example under every risk
    /// definition, profile and jurisdiction; the rest of the plan equals the re-run plan too.
    #[test]
    fn counterfactuals_equal_those_of_a_full_re_run_for_every_golden_case() {
        let kb = KnowledgeBase::embedded();
        let mut checked = 0;
        let mut with_counterfactuals = 0;
        for (name, p, g0) in records() {
            let mut guidelines = vec![g0.clone()];
            for d in crate::guideline::RiskDefinition::ALL {
                guidelines.push(g0.clone().with_risk_definition(d));
            }
            for pr in Profile::ALL {
                guidelines.push(g0.clone().with_profile(pr));
            }
            guidelines.push(g0.clone().with_jurisdiction(Jurisdiction::Eu));
            for g in guidelines {
                let Ok(plan) = recommend_with(kb, &p, &g) else { continue };
                let mut reference = recommend_core_with(kb, &p, &g, None).unwrap();
                reference.counterfactuals = by_full_re_run(kb, &p, &g, &reference);
                assert_eq!(plan, reference, "{name} under {}", serde_json::to_string(&g).unwrap());
                assert_eq!(plan.to_json(), reference.to_json(), "{name}");
                checked += 1;
                with_counterfactuals += usize::from(!plan.counterfactuals.is_empty());
            }
        }
        // The comparison must have something to compare: plans, and plans with counterfactuals.
        assert!(checked > 1000, "{checked} plans checked");
        assert!(with_counterfactuals > 100, "{with_counterfactuals} plans with counterfactuals");
    }
}
