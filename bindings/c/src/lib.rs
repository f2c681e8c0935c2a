//! # myeloma-pathway C API
//!
//! A thin C ABI over the `myeloma-pathway` core: opaque handles, status codes, borrowed strings.
//! **No clinical logic lives here**; every decision, threshold, unit conversion and range check is
//! the core's. This crate converts types, maps errors to `mp_status` codes and guards the
//! boundary: every export runs inside [`boundary::ffi`] (one `catch_unwind`), checks pointers
//! for NULL, strings for UTF-8 and length, and writes its outputs only on success.
//!
//! The conventions (ownership, lifetimes, errors, threading, ABI policy) are in
//! `docs/c-api.md`; the generated header is `bindings/c/include/myeloma_pathway.h`.
//!
//! **Decision support for clinicians, not a medical device.**
#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// C names (`mp_patient`, `mp_status`) are the public contract.
#![allow(non_camel_case_types)]

mod assessment;
mod boundary;
mod guideline;
mod kb;
mod patient;
mod plan;
mod status;
mod version;

pub use assessment::*;
pub use boundary::{mp_last_error, mp_last_error_json, mp_log_callback, mp_log_level, mp_set_log_callback};
pub use guideline::*;
pub use kb::*;
pub use patient::*;
pub use plan::*;
pub use status::*;
pub use version::*;

#[cfg(test)]
mod arbitrary_input;
