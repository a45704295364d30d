//! labnote: follow the labs of a cloud course — parse a lab into checkable steps, record
//! progress, keep the memo values (secrets age-encrypted) and use them in later labs.
//!
//! Pure modules (`lab`, `memo`, `placeholder`, `view`) sit at the core; `store` is the only
//! one that writes files; `app` holds the use cases, and the front ends (`cli`, `web`) parse,
//! call one use case and present its result (see docs/ARCHITECTURE.md).

pub mod app;
pub mod awsconfig;
pub mod awserr;
pub mod blocks;
pub mod capture;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod course;
pub mod i18n;
pub mod iam;
pub mod issue;
pub mod journal;
pub mod lab;
pub mod labfile;
pub mod labuser;
pub mod memo;
pub mod multiline;
pub mod names;
pub mod notepoint;
pub mod placeholder;
pub mod render;
pub mod resolve;
pub mod resume;
pub mod runner;
pub mod script;
pub mod secret;
pub mod session;
pub mod shells;
pub mod store;
#[cfg(test)]
mod testutil;
pub mod textsafe;
pub mod timefmt;
pub mod view;
pub mod wanted;
pub mod web;
pub mod yamlguard;
