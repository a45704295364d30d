//! labnote: follow the labs of a cloud course — parse a lab into checkable steps, record
//! progress, keep the memo values (secrets age-encrypted) and use them in later labs.
//!
//! Pure modules (`lab`, `memo`, `placeholder`, `view`) sit at the core; `store` is the only
//! one that writes files; `app` holds the use cases, and the front ends (`cli`, `web`) parse,
//! call one use case and present its result (see docs/ARCHITECTURE.md).

pub use labnote_core::{
    blocks, i18n, lab, labuser, memo, multiline, names, notepoint, placeholder, render, script,
    shells, source_kind, t, t_in, textsafe, view, yamlguard,
};

pub mod app;
pub(crate) mod awsconfig;
pub(crate) mod awserr;
pub(crate) mod capture;
pub(crate) mod class_git;
pub mod cli;
pub mod config;
pub mod course;
pub mod iam;
pub(crate) mod issue;
pub mod journal;
pub mod labfile;
pub mod locale;
pub(crate) mod resolve;
pub(crate) mod resume;
pub mod runner;
pub mod secret;
pub mod session;
pub(crate) mod sources;
pub mod store;
#[cfg(test)]
mod testutil;
pub(crate) mod timefmt;
pub mod wanted;
pub(crate) mod web;
