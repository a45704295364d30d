//! labnote library.
pub mod iam;
