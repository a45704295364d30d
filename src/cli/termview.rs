//! A part of a lab shown on the terminal: `show`, `next` and `walk` (through `print_step`)
//! all come here, so they show a lab alike.
//!
//! The part is the view model of the lab ([`crate::view::range_view`]: the whole lab parsed,
//! the step's or section's events kept) with placeholders and memo values as a terminal may
//! show them — a secret masked unless the student asked to reveal it, a value of several
//! lines decoded — rendered by [`crate::render`] in the look this terminal supports
//! ([`super::style`]: colour, hyperlinks).

use std::ops::Range;

use super::{Ctx, Failure};
use crate::app::fill::Filler;
use crate::app::resolve::resolver;
use crate::app::Course;
use crate::app::CourseConfig;
use crate::app::MemoEntry;
use crate::app::{Progress, Record};
use crate::render::{self, Hints};
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
    let resolver = resolver(part.course, part.cfg, part.records);
    let values = Filler::new(resolver, look.reveal);
    let fill = |name: &str| match look.fill {
        true => values.fill(name),
        false => as_written(name),
    };
    let files = crate::app::files::LabFiles::in_course(cl, &ctx.course_dir);
    let pieces = view::range_view(&cl.lab, part.range.clone(), &fill, &files.files());
    let progress = look.marks.then(|| Progress::from_records(part.records));
    let step_mark = |i: usize| {
        let p = progress.as_ref()?;
        let st = crate::app::progress::step_state(p, &cl.lab, i);
        Some(mark_of(st).to_string())
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
                super::term::width()
            },
            raw: look.raw,
            details_open: look.details_open,
            hints: look.hints,
            memo: &memo,
            step_mark: &step_mark,
        },
    );
    match values.failure() {
        Some(e) => Err(e.into()),
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

/// A step's state as `steps` and a shown part of a lab mark it: `[x]`, `[ ]`, `[~]`.
pub(crate) fn mark_of(s: crate::app::StepState) -> &'static str {
    use crate::app::StepState;
    match s {
        StepState::Done => "[x]",
        StepState::Open => "[ ]",
        StepState::Stale => "[~]",
    }
}
