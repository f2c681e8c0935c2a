//! What would change the answer: each finding the risk definition reads, flipped.

use super::*;

pub(super) fn first_ids(plan: &Plan) -> Vec<String> {
    plan.options.iter().filter(|o| o.rank == 1).map(|o| o.regimen_id.clone()).collect()
}

pub(super) fn first_names(plan: &Plan) -> Vec<String> {
    plan.options.iter().filter(|o| o.rank == 1).map(|o| o.name.clone()).collect()
}

/// What would change the first option: each cytogenetic finding of the guideline's risk
/// definition flipped (and each untested one set both ways), one at a time.
pub(super) fn counterfactuals(kb: &KnowledgeBase, p: &Patient, g: &Guideline, plan: &Plan) -> Vec<Counterfactual> {
    let base = first_ids(plan);
    let mut out = Vec::new();
    let relevant = g.risk_definition.abnormalities();
    for &a in relevant {
        let now = p.cytogenetics.status(a);
        let alternatives: Vec<Status> = match now {
            Status::Detected => vec![Status::NotDetected],
            Status::NotDetected => vec![Status::Detected],
            Status::NotTested => vec![Status::NotDetected, Status::Detected],
        };
        for alt in alternatives {
            let mut q = p.clone();
            q.cytogenetics = p.cytogenetics.with_status(a, alt);
            if alt == Status::Detected {
                // A what-if finding carries a clearly clonal fraction (50%), so criteria with a
                // fraction cut-off (IMS 2025 del(17p) > 20%) are decided by it.
                let mut f = crate::cytogenetics::Finding::new(a, alt);
                f.clonal_fraction_pct = Some(50.0);
                let findings: Vec<_> =
                    q.cytogenetics.findings().filter(|x| x.abnormality != a).cloned().chain([f]).collect();
                if let Ok(c) = crate::cytogenetics::CytogeneticProfile::from_findings("cytogenetics", &findings) {
                    q.cytogenetics = c;
                }
            }
            let Ok(alt_plan) = recommend_core(kb, &q, g) else { continue };
            let ids = first_ids(&alt_plan);
            if ids != base {
                let verb = match alt {
                    Status::Detected => "detected",
                    Status::NotDetected => "not detected",
                    Status::NotTested => "not tested",
                };
                let names = first_names(&alt_plan);
                out.push(Counterfactual {
                    change: format!("if {} were {verb}", a.notation()),
                    effect: if names.is_empty() {
                        "no option would be offered".into()
                    } else {
                        format!("first option: {}", names.join(" / "))
                    },
                    first_options: ids,
                });
            }
        }
    }
    // Smouldering myeloma: each decided 20/2/20 factor flipped, where it changes the first option.
    if let Some(r) = &plan.diagnosis.smm_risk {
        for f in r.factors.iter().filter(|f| f.state != crate::assess::diagnosis::ItemState::Unknown) {
            let Ok(alt_plan) = recommend_core_with(kb, p, g, Some(f.id)) else { continue };
            let ids = first_ids(&alt_plan);
            if ids != base {
                let verb = if f.state == crate::assess::diagnosis::ItemState::Met { "not met" } else { "met" };
                let names = first_names(&alt_plan);
                out.push(Counterfactual {
                    change: format!("if 20/2/20 factor \"{}\" were {verb}", f.label),
                    effect: if names.is_empty() {
                        "no option would be offered".into()
                    } else {
                        format!("first option: {}", names.join(" / "))
                    },
                    first_options: ids,
                });
            }
        }
    }
    // Each other definition that calls the patient high risk while the chosen one does not.
    for other in crate::assess::risk::high_elsewhere(kb, p, &plan.risk, g.del17p_cutoff) {
        let alt_g = g.clone().with_risk_definition(other.definition);
        let Ok(alt_plan) = recommend_core(kb, p, &alt_g) else { continue };
        let ids = first_ids(&alt_plan);
        if ids != base {
            let names = first_names(&alt_plan);
            out.push(Counterfactual {
                change: format!(
                    "if the {} risk definition were applied (high risk: {})",
                    other.definition.id(),
                    other.deciding.join("; ")
                ),
                effect: if names.is_empty() {
                    "no option would be offered".into()
                } else {
                    format!("first option: {}", names.join(" / "))
                },
                first_options: ids,
            });
        }
    }
    out
}
