//! What a placeholder or a memo entry shows where a front end shows a lab: the one lookup
//! behind the terminal (`show --fill`, `next`, `walk`) and the web page (its placeholders,
//! the text a Copy button copies).
//!
//! A value comes from [`crate::resolve`] (which memo entry, or a value labnote computes);
//! a secret stays masked unless the caller reveals it, and a value is shown as the student
//! noted it — a value of several lines decoded, a revealed secret decrypted (the keyring is
//! loaded on the first one). A value that cannot be read shows masked, and the first such
//! failure is kept for the caller to report ([`Filler::failure`]).

use std::cell::RefCell;

use secrecy::ExposeSecret;

use super::AppError;
use crate::lab::MemoEntry;
use crate::resolve::{Resolver, Source};
use crate::secret::Keyring;
use crate::view::{Fill, FillValue};

/// Fills placeholders and memo entries for one rendering of a lab.
pub struct Filler<'a> {
    resolver: Resolver<'a>,
    /// Show secrets (decrypted) instead of masking them.
    reveal: bool,
    /// Loaded on the first secret revealed.
    keyring: RefCell<Option<Keyring>>,
    /// The first value that could not be read (shown masked meanwhile).
    failure: RefCell<Option<AppError>>,
}

impl<'a> Filler<'a> {
    /// A filler over `resolver`'s course; secrets are revealed when `reveal`.
    pub fn new(resolver: Resolver<'a>, reveal: bool) -> Filler<'a> {
        Filler {
            resolver,
            reveal,
            keyring: RefCell::new(None),
            failure: RefCell::new(None),
        }
    }

    /// Placeholder `name` with its value and where it came from (`lab 2-4 · key`).
    pub fn fill(&self, name: &str) -> Fill {
        let r = self.resolver.resolve(name);
        let (value, source) = match r.source {
            None => (
                FillValue::Missing {
                    suggestion: r.suggestion,
                },
                None,
            ),
            Some(Source::Builtin { value }) => {
                (FillValue::Plain(value), Some("labnote (today)".into()))
            }
            Some(Source::Memo {
                lab_index,
                key,
                raw,
                ..
            }) => {
                let lab_id = &self.resolver.course().labs[lab_index].lab.id;
                let src = format!("lab {lab_id} · {key}");
                (self.value(lab_index, &key, &raw, r.secret), Some(src))
            }
        };
        Fill {
            name: r.name,
            value,
            source,
        }
    }

    /// What entry `e` of lab `k`'s memo block shows (an empty entry: nothing noted).
    pub fn memo_entry(&self, k: usize, e: &MemoEntry) -> FillValue {
        if e.value.is_empty() {
            return FillValue::Missing { suggestion: None };
        }
        let secret = super::memo::is_secret(self.resolver.cfg(), &e.key, &e.value);
        self.value(k, &e.key, &e.value, secret)
    }

    /// The first value that could not be read, if any (it was shown masked).
    pub fn failure(self) -> Option<AppError> {
        self.failure.into_inner()
    }

    /// The raw memo text `raw` of `key` in lab `k`: masked when it is a secret to keep,
    /// else decoded (and decrypted, for a secret to reveal).
    fn value(&self, k: usize, key: &str, raw: &str, secret: bool) -> FillValue {
        if secret && !self.reveal {
            return FillValue::Secret(None);
        }
        let lab_id = &self.resolver.course().labs[k].lab.id;
        let mut kr = self.keyring.borrow_mut();
        match super::memo::reveal(raw, lab_id, key, &mut kr) {
            Ok(v) if secret => FillValue::Secret(Some(v)),
            Ok(v) => FillValue::Plain(v.expose_secret().to_string()),
            Err(e) => {
                self.failure.borrow_mut().get_or_insert(e);
                FillValue::Secret(None)
            }
        }
    }
}
