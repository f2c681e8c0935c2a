//! The integration tests of the core, in one binary (house style, as jiff does): each module
//! states the clinical facts of one area; shared helpers live here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod bounded_errors;
mod car_t;
mod citations;
mod columns;
mod dosing;
mod drug_names;
mod engine;
mod engine_rules;
mod exhaustive;
mod explanations;
mod first_line;
mod first_line_assessments;
mod golden;
mod limits;
mod pathway;
mod properties;
mod relapse_properties;
mod response;
mod schema;
mod start_thresholds;
mod thresholds;

use myeloma_pathway::KnowledgeBase;

/// The embedded knowledge base, which every assessment takes.
pub fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}
