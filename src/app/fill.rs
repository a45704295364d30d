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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CourseConfig;
    use crate::course::Course;

    /// A course of one lab whose memo holds a plain value, a value of two lines, a secret
    /// written by hand and a credential-shaped value under a plain key.
    fn course() -> (tempfile::TempDir, Course) {
        let dir = tempfile::tempdir().unwrap();
        let token = concat!("ghp_", "abcdefghijklmnopqrstuvwxyz0123456789");
        let lines = crate::multiline::render("1\n2");
        let md = format!(
            "# 1일차 - Lab 1. 값\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< user>>_ : octocat  \n> ➕ _<< two lines>>_ : {lines}  \n> ➕ _<< db password>>_ : hunter2  \n> ➕ _<< note>>_ : {token}  \n> ➕ _<< empty>>_ :\n\n## 1. 단계\n\n`<<user>>` `<<two lines>>` `<<db password>>` `<<note>>` `<<YYMMDD>>` `<<nope>>`\n"
        );
        std::fs::write(dir.path().join("lab1.md"), md).unwrap();
        let course = Course::open(dir.path()).unwrap();
        (dir, course)
    }

    /// What each placeholder and memo entry of the lab shows, as `Plain(..)`, `masked`,
    /// `revealed(..)` or `missing`, with its source.
    fn shown(course: &Course, reveal: bool) -> (Vec<String>, Vec<String>) {
        let cfg = CourseConfig::default();
        let today = jiff::civil::date(2026, 3, 9);
        let filler = Filler::new(Resolver::new(course, &cfg, &[], today), reveal);
        let word = |v: FillValue| match v {
            FillValue::Plain(v) => format!("Plain({v})"),
            FillValue::Secret(None) => "masked".to_string(),
            FillValue::Secret(Some(v)) => format!("revealed({})", v.expose_secret()),
            FillValue::Missing { .. } => "missing".to_string(),
        };
        let names = ["user", "two lines", "db password", "note", "YYMMDD", "nope"];
        let fills = names
            .iter()
            .map(|n| {
                let f = filler.fill(n);
                format!("{} {} {:?}", f.name, word(f.value), f.source)
            })
            .collect();
        let lab = &course.labs[0].lab;
        let entries = lab
            .memo_entries()
            .map(|e| format!("{} {}", e.key, word(filler.memo_entry(0, e))))
            .collect();
        assert!(filler.failure().is_none());
        (fills, entries)
    }

    #[test]
    fn values_show_decoded_and_secrets_masked_unless_revealed() {
        let (_dir, course) = course();
        let (fills, entries) = shown(&course, false);
        let src = |k: &str| format!("Some(\"lab 1-1 · {k}\")");
        assert_eq!(
            fills,
            [
                format!("user Plain(octocat) {}", src("user")),
                format!("two lines Plain(1\n2) {}", src("two lines")),
                format!("db password masked {}", src("db password")),
                // A credential-shaped value is a secret under any key (the memo's rule).
                format!("note masked {}", src("note")),
                "YYMMDD Plain(260309) Some(\"labnote (today)\")".to_string(),
                "nope missing None".to_string(),
            ]
        );
        assert_eq!(
            entries,
            [
                "user Plain(octocat)",
                "two lines Plain(1\n2)",
                "db password masked",
                "note masked",
                "empty missing",
            ]
        );
        let (fills, entries) = shown(&course, true);
        assert_eq!(
            fills[2],
            format!("db password revealed(hunter2) {}", src("db password"))
        );
        assert!(fills[3].starts_with("note revealed(ghp_"), "{fills:?}");
        assert_eq!(entries[2], "db password revealed(hunter2)");
    }
}
