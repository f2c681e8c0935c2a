//! Clinical assessments of a validated patient: diagnosis (IMWG 2014), staging (ISS, R-ISS,
//! R2-ISS), cytogenetic risk under each definition, fitness and transplant eligibility, IMWG
//! response and MRD. Each result lists what was missing, with the test that would decide it.

pub mod columns;
pub mod diagnosis;
pub mod fitness;
pub mod logic;
pub mod missing;
pub mod response;
pub mod risk;
pub mod staging;
