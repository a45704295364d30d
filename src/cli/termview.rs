//! A part of a lab shown on the terminal: `show`, `next` and `walk` (through `print_step`)
//! all come here, so they show a lab alike.
//!
//! The part is the view model of the lab ([`crate::view::range_view`]: the whole lab parsed,
//! the step's or section's events kept) with placeholders and memo values as a terminal may
//! show them — a secret masked unless the student asked to reveal it, a value of several
//! lines decoded — rendered by [`crate::render`] in the look this terminal supports
//! ([`super::style`]: colour, hyperlinks).

use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;

use super::{Ctx, Failure};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::{Progress, Record};
use crate::lab::MemoEntry;
use crate::render::{self, Hints};
use crate::resolve::{Resolver, Source};
use crate::secret::Keyring;
use crate::view::{self, Fill, FillValue};

/// How a part is shown.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Fill placeholders with the noted values (secrets masked unless `reveal`).
    pub fill: bool,
    /// Show secrets (in placeholders and memo entries).
    pub reveal: bool,
    /// Code blocks without border, nothing fitted to the terminal: for copying.
    pub raw: bool,
    pub details_open: bool,
    pub hints: Hints,
    /// labnote's done marks on step headings.
    pub marks: bool,
    /// No escape sequences, no terminal width (for `--json`).
    pub plain: bool,
}

/// The lab part: lab `k` of `course`, the bytes `range` of its text.
pub struct Part<'a> {
    pub course: &'a Course,
    pub cfg: &'a CourseConfig,
    pub records: &'a [Record],
    pub k: usize,
    pub range: Range<usize>,
}

/// The part rendered; a secret that had to be revealed and could not be is an error.
pub fn render_part(ctx: &Ctx, part: &Part, look: &Look) -> Result<String, Failure> {
    let cl = &part.course.labs[part.k];
    let resolver = Resolver::new(part.course, part.cfg, part.records, Resolver::local_today());
    let values = Values {
        course: part.course,
        cfg: part.cfg,
        resolver,
        reveal: look.reveal,
        keyring: RefCell::new(None),
        failure: RefCell::new(None),
    };
    let fill = |name: &str| match look.fill {
        true => values.placeholder(name),
        false => as_written(name),
    };
    let lab_dir = cl.path.parent().unwrap_or(Path::new(""));
    let lab_dir = std::fs::canonicalize(lab_dir).unwrap_or_else(|_| lab_dir.to_path_buf());
    let root = view::files_root(&ctx.course_dir);
    let files = view::Files {
        lab_dir: &lab_dir,
        root: &root,
        exists: &|p: &Path| p.is_file(),
    };
    let text = cl.lab.source();
    let pieces = view::range_view(
        &cl.lab,
        text,
        part.range.clone(),
        &fill,
        &files,
        &crate::runner::is_runnable,
    );
    let progress = look.marks.then(|| Progress::from_records(part.records));
    let step_mark = |i: usize| {
        let p = progress.as_ref()?;
        let st = crate::app::progress::step_state(p, &cl.lab, i);
        Some(super::progress::mark_of(st).to_string())
    };
    let memo = |e: &MemoEntry| values.memo_entry(part.k, e);
    let theme = match look.plain {
        true => render::pick(false, false),
        false => theme(ctx),
    };
    let out = render::render(
        &pieces,
        &render::Options {
            theme: theme.as_ref(),
            lab: &cl.lab,
            width: if look.plain || look.raw {
                None
            } else {
                render::terminal_width()
            },
            raw: look.raw,
            details_open: look.details_open,
            hints: look.hints,
            memo: &memo,
            step_mark: &step_mark,
        },
    );
    match values.failure.into_inner() {
        Some(f) => Err(f),
        None => Ok(out),
    }
}

/// The look of this process's stdout: colours and hyperlinks as `cli::style` decides.
pub fn theme(ctx: &Ctx) -> Box<dyn render::Theme> {
    render::pick(ctx.color, super::style::hyperlinks_stdout())
}

/// A placeholder left as written (`show` without `--fill`).
fn as_written(name: &str) -> Fill {
    Fill {
        name: name.trim().to_string(),
        value: FillValue::Missing { suggestion: None },
        source: None,
    }
}

/// Noted values as the terminal shows them.
struct Values<'a> {
    course: &'a Course,
    cfg: &'a CourseConfig,
    resolver: Resolver<'a>,
    reveal: bool,
    /// Loaded on the first secret revealed.
    keyring: RefCell<Option<Keyring>>,
    /// The first value that could not be read (shown as masked meanwhile).
    failure: RefCell<Option<Failure>>,
}

impl Values<'_> {
    fn placeholder(&self, name: &str) -> Fill {
        let r = self.resolver.resolve(name);
        let (value, source) = match r.source {
            None => (
                FillValue::Missing {
                    suggestion: r.suggestion,
                },
                None,
            ),
            Some(Source::Builtin { value }) => (FillValue::Plain(value), None),
            Some(Source::Memo {
                lab_index,
                key,
                raw,
                ..
            }) => {
                let src = format!("lab {} · {key}", self.course.labs[lab_index].lab.id);
                (self.value(lab_index, &key, &raw, r.secret), Some(src))
            }
        };
        Fill {
            name: r.name,
            value,
            source,
        }
    }

    fn memo_entry(&self, k: usize, e: &MemoEntry) -> FillValue {
        if e.value.is_empty() {
            return FillValue::Missing { suggestion: None };
        }
        let secret = crate::app::memo::is_secret(self.cfg, &e.key, &e.value);
        self.value(k, &e.key, &e.value, secret)
    }

    /// The raw memo text `raw` of `key` in lab `k`: decoded, decrypted when it is a secret to
    /// reveal, masked when it is a secret to keep.
    fn value(&self, k: usize, key: &str, raw: &str, secret: bool) -> FillValue {
        if secret && !self.reveal {
            return FillValue::Secret(None);
        }
        let lab_id = &self.course.labs[k].lab.id;
        let mut kr = self.keyring.borrow_mut();
        match crate::app::memo::reveal(raw, lab_id, key, &mut kr) {
            Ok(v) if secret => FillValue::Secret(Some(v)),
            Ok(v) => {
                use secrecy::ExposeSecret;
                FillValue::Plain(v.expose_secret().to_string())
            }
            Err(f) => {
                self.failure.borrow_mut().get_or_insert(f.into());
                FillValue::Secret(None)
            }
        }
    }
}
