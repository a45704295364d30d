//! labnote's pure core: the lab model and its parser, placeholders, memo splices, names, note
//! points, blocks, scripts, the view model, the terminal renderer and the Fluent messages.
//!
//! No IO: nothing here reads a file, the environment, the terminal or the clock, or starts a
//! process (the standard library's modules for files, the environment and processes are not
//! used). What the core needs from the world — the terminal width, the language, `PATH`
//! lookups, whether a file exists — is passed in by the caller (the `labnote` crate). See
//! docs/ARCHITECTURE.md, "Crates".

pub mod blocks;
pub mod i18n;
pub mod lab;
pub mod labuser;
pub mod memo;
#[cfg(test)]
mod module_graph;
pub mod multiline;
pub mod names;
pub mod notepoint;
pub mod placeholder;
pub mod render;
pub mod script;
pub mod shells;
pub mod source_kind;
#[cfg(test)]
mod testutil;
pub mod textsafe;
pub mod view;
pub mod yamlguard;
