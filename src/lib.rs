//! labnote library.
pub mod secret;
pub mod store;
