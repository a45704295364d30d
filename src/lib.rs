//! labnote library.
