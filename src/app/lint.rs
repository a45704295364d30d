//! `labnote lint`: the course checked for its authors.
//!
//! One diagnostic model ([`Diagnostic`]: a [`Rule`] with its code `LN001`…, a [`Severity`], a
//! message, a [`Location`] with file, line, column and byte span, an optional second location
//! with a label, an optional help line) and one function per rule. The rules read the course
//! through the functions labnote itself reads it with, so lint never disagrees with them:
//! the values and their note points are [`crate::wanted::values`] (what `wanted` and
//! `placeholders` list), a block runs when [`crate::blocks::classify_steps`] says so (what
//! `run --list` shows), images resolve through [`crate::app::files::LabFiles`] and
//! [`crate::view::resolve_image`] (what the terminal and the page show), memo keys compare by
//! [`crate::names::normalize_key`], step ids are the lab model's, and a credential is what
//! [`crate::capture::looks_like_credential`] calls one. The printers are the front end's
//! (`cli::lint`). `course.yaml`'s `lint: { allow: [...] }` silences a rule in a file or a line
//! range ([`crate::config::LintAllow`]).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{AppError, Front};
use crate::blocks::{self, Class};
use crate::course::{Course, CourseLab};
use crate::lab::{LinkRef, PlaceholderContext};
use crate::names;
use crate::t;
use crate::wanted::{self, NoteRef, Wanted};

/// How bad a finding is: an error fails `lint`; a warning fails it under `--deny warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The rules, in the order of their codes (`LN001` is [`Rule::NoSource`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A placeholder used with no note point, memo entry or source before its first use.
    NoSource,
    /// A note point whose value no later step uses.
    UnusedNotePoint,
    /// A placeholder spelled like no other name of the course but close to one.
    Typo,
    /// A block `run` runs that holds a terminal transcript (a prompt line and output).
    OutputRuns,
    /// A fence closed by a line of two backticks, or never closed.
    Fence,
    /// An image or a relative link to a file the course does not have.
    MissingFile,
    /// A table-of-contents entry that points to no heading.
    TocNowhere,
    /// One memo key written twice in a lab.
    DuplicateMemoKey,
    /// A plaintext credential in a lab.
    Credential,
    /// CRLF and LF lines in one file.
    MixedLineEndings,
    /// A step number written twice in a lab.
    RepeatedStepNumber,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::NoSource,
        Rule::UnusedNotePoint,
        Rule::Typo,
        Rule::OutputRuns,
        Rule::Fence,
        Rule::MissingFile,
        Rule::TocNowhere,
        Rule::DuplicateMemoKey,
        Rule::Credential,
        Rule::MixedLineEndings,
        Rule::RepeatedStepNumber,
    ];

    /// The rule's number (`LN001` is 1).
    pub fn number(self) -> u16 {
        Rule::ALL.iter().position(|&r| r == self).unwrap_or(0) as u16 + 1
    }

    /// `LN001`…
    pub fn code(self) -> &'static str {
        const CODES: [&str; Rule::ALL.len()] = [
            "LN001", "LN002", "LN003", "LN004", "LN005", "LN006", "LN007", "LN008", "LN009",
            "LN010", "LN011",
        ];
        CODES[usize::from(self.number()) - 1]
    }

    /// A stable name in words (SARIF's `name`, the JSON's `rule`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::NoSource => "placeholder-without-source",
            Rule::UnusedNotePoint => "note-point-unused",
            Rule::Typo => "placeholder-typo",
            Rule::OutputRuns => "output-in-command-block",
            Rule::Fence => "broken-fence",
            Rule::MissingFile => "missing-file",
            Rule::TocNowhere => "toc-entry-nowhere",
            Rule::DuplicateMemoKey => "duplicate-memo-key",
            Rule::Credential => "plaintext-credential",
            Rule::MixedLineEndings => "mixed-line-endings",
            Rule::RepeatedStepNumber => "repeated-step-number",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::NoSource
            | Rule::Fence
            | Rule::MissingFile
            | Rule::DuplicateMemoKey
            | Rule::Credential => Severity::Error,
            Rule::RepeatedStepNumber => Severity::Note,
            _ => Severity::Warning,
        }
    }

    /// One line on what the rule checks (SARIF's `shortDescription`).
    pub fn summary(self) -> String {
        match self {
            Rule::NoSource => t!("lint-rule-ln001"),
            Rule::UnusedNotePoint => t!("lint-rule-ln002"),
            Rule::Typo => t!("lint-rule-ln003"),
            Rule::OutputRuns => t!("lint-rule-ln004"),
            Rule::Fence => t!("lint-rule-ln005"),
            Rule::MissingFile => t!("lint-rule-ln006"),
            Rule::TocNowhere => t!("lint-rule-ln007"),
            Rule::DuplicateMemoKey => t!("lint-rule-ln008"),
            Rule::Credential => t!("lint-rule-ln009"),
            Rule::MixedLineEndings => t!("lint-rule-ln010"),
            Rule::RepeatedStepNumber => t!("lint-rule-ln011"),
        }
    }
}

/// A place in a lab file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Index of the lab in the course.
    pub lab: usize,
    /// The file's path relative to the course folder (`/` separators), shared by the
    /// findings of one lab.
    pub file: std::sync::Arc<str>,
    /// 1-based line and column (in characters) of the span's start.
    pub line: usize,
    pub column: usize,
    /// 1-based line and column just past the span's last character (on the span's last line).
    pub end_line: usize,
    pub end_column: usize,
    /// Byte span in the lab's text ([`crate::lab::Lab::source`]).
    pub span: Range<usize>,
}

/// A second place a finding points to ("first used here", "noted here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub at: Location,
    pub label: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub at: Location,
    /// Boxed: few findings have one, and every finding is moved when they are sorted.
    pub related: Option<Box<Related>>,
    pub help: Option<String>,
}

/// What `lint` found, and the course it read (the printers quote its labs).
pub struct Linted {
    pub course: Course,
    /// Ordered by file, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
}

impl Linted {
    /// (errors, warnings, notes).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.diagnostics.iter().filter(|d| d.severity == s).count();
        (n(Severity::Error), n(Severity::Warning), n(Severity::Note))
    }
}

/// Lint the course of `front`; with `paths`, report only on the labs they name (a lab as
/// `labnote` takes one: id, path or stem; or a folder of labs). The whole course is read
/// either way: a value noted in one lab is used in another.
pub fn lint(front: &dyn Front, paths: &[PathBuf]) -> Result<Linted, AppError> {
    let course = super::open_course(front)?;
    let only = selected_labs(&course, paths)?;
    let mut diagnostics = check(&course);
    diagnostics.retain(|d| {
        only.as_ref().is_none_or(|o| o.contains(&d.at.lab))
            && !course
                .config
                .lint
                .allow
                .iter()
                .any(|a| a.covers(d.rule.number(), &d.at.file, d.at.line))
    });
    Ok(Linted {
        course,
        diagnostics,
    })
}

/// Every finding of every rule on `course`, ordered by file, line, column and code
/// (`course.yaml`'s `allow` not applied).
pub fn check(course: &Course) -> Vec<Diagnostic> {
    let labs: Vec<usize> = (0..course.labs.len()).collect();
    // What the course-wide rules read of every lab (its placeholders and note points, found
    // when first read, and where each name is first used in it), found on every core at once.
    let firsts = in_parallel(&labs, |&k| {
        let lab = &course.labs[k].lab;
        let _ = lab.note_points.len();
        first_uses_in(&lab.placeholders)
    });
    let cx = Cx {
        course,
        first_use: first_uses(firsts),
        files_root: crate::app::files::files_root(&course.root),
        lines: course.labs.iter().map(|_| Lines::default()).collect(),
        folders: Folders::of(course),
        files: course
            .labs
            .iter()
            .map(|cl| cl.rel_path.as_str().into())
            .collect(),
        found: Mutex::default(),
    };
    // The rules of one lab, each lab on its own (in course order, as if one after another),
    // while this thread finds the course's values and checks the course-wide rules.
    let (mut out, per_lab) = std::thread::scope(|s| {
        let per_lab = s.spawn(|| {
            in_parallel(&labs, |&k| {
                let mut out = Vec::new();
                output_runs(&cx, k, &mut out);
                fence(&cx, k, &mut out);
                links(&cx, k, &mut out);
                duplicate_memo_key(&cx, k, &mut out);
                credential(&cx, k, &mut out);
                mixed_line_endings(&cx, k, &mut out);
                repeated_step_number(&cx, k, &mut out);
                // In the order of the findings of the whole course (see below).
                out.sort_by_key(|d| (d.at.line, d.at.column, d.rule));
                out
            })
        });
        let values = wanted::values(course, &course.config);
        let mut out = Vec::new();
        no_source_and_typo(&cx, &values, &mut out);
        unused_note_point(&cx, &values, &mut out);
        let per_lab = per_lab
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (out, per_lab)
    });
    // By file, line, column and code. A finding's file is its lab's path: the labs are put in
    // the order of their paths once (comparing tens of thousands of paths per finding cost
    // more than finding what they point at).
    let mut by_path: Vec<usize> = (0..course.labs.len()).collect();
    by_path.sort_by(|&a, &b| course.labs[a].rel_path.cmp(&course.labs[b].rel_path));
    let mut rank = vec![0usize; course.labs.len()];
    for (r, &k) in by_path.iter().enumerate() {
        rank[k] = r;
    }
    // Each lab's findings were sorted by line, column and code on its core; the course-wide
    // ones are sorted here, and each lab's two runs merged in the labs' order, a course-wide
    // finding before a lab's own of the same place (as one stable sort of the course-wide
    // findings followed by every lab's would put them).
    out.sort_by_key(|d| (rank[d.at.lab], d.at.line, d.at.column, d.rule));
    let mut per_lab = per_lab;
    let mut all = Vec::with_capacity(out.len() + per_lab.iter().map(Vec::len).sum::<usize>());
    let mut wide = out.into_iter().peekable();
    for &k in &by_path {
        for d in std::mem::take(&mut per_lab[k]) {
            let key = (d.at.line, d.at.column, d.rule);
            while let Some(w) = wide.next_if(|w| {
                rank[w.at.lab] < rank[k]
                    || (w.at.lab == k && (w.at.line, w.at.column, w.rule) <= key)
            }) {
                all.push(w);
            }
            all.push(d);
        }
    }
    all.extend(wide);
    all.dedup();
    all
}

/// `f` of each item, in order, on every core: each takes the next run of neighbouring items
/// (16 runs a core) until none is left, so a core slowed by other work (`wanted` beside the
/// per-lab rules, another process) leaves the rest of its share to the others instead of
/// finishing last.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 || items.len() < 16 {
        return items.iter().map(&f).collect();
    }
    let runs: Vec<&[T]> = items.chunks(items.len().div_ceil(threads * 16)).collect();
    let next = AtomicUsize::new(0);
    let (f, runs, next) = (&f, &runs, &next);
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(run) = runs.get(i) else {
                            break mine;
                        };
                        mine.push((i, run.iter().map(f).collect::<Vec<R>>()));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().flat_map(|(_, r)| r).collect()
}

fn selected_labs(course: &Course, paths: &[PathBuf]) -> Result<Option<Vec<usize>>, AppError> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut only = Vec::new();
    for p in paths {
        let arg = p.to_string_lossy();
        if let Ok(k) = course.resolve(&arg) {
            only.push(k);
            continue;
        }
        let dir = std::fs::canonicalize(p)
            .or_else(|_| std::fs::canonicalize(course.root.join(p)))
            .ok()
            .filter(|d| d.is_dir());
        let under: Vec<usize> = dir
            .map(|d| {
                (0..course.labs.len())
                    .filter(|&k| {
                        std::fs::canonicalize(&course.labs[k].path).is_ok_and(|f| f.starts_with(&d))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if under.is_empty() {
            // The course's own words for a lab it does not have.
            course.resolve(&arg)?;
        }
        only.extend(under);
    }
    Ok(Some(only))
}

/// What the rules share: the course and where each placeholder name is first used.
struct Cx<'a> {
    course: &'a Course,
    /// Trimmed placeholder name → (lab, byte span) of its first use in reading order.
    first_use: ahash::HashMap<&'a str, (usize, Range<usize>)>,
    /// The folder images may come from ([`crate::app::files::files_root`]), found once.
    files_root: PathBuf,
    /// How each lab's lines are counted for its findings ([`Lines`]).
    lines: Vec<Lines>,
    /// The folder of each lab, and what was found of the images its labs show.
    folders: Folders,
    /// Each lab's path as a finding names it ([`Location::file`]).
    files: Vec<std::sync::Arc<str>>,
    /// Whether a path is a file (`true`) or exists at all (`false`), as found on the disk
    /// during this run: the labs of a folder show the same images.
    found: Mutex<HashMap<(PathBuf, bool), bool>>,
}

/// The folders of the labs, each as [`crate::app::files::lab_dir_of`] gives it (found once
/// per folder as given), and what was found of the images of each.
struct Folders {
    /// The distinct lab folders.
    dirs: Vec<PathBuf>,
    /// Lab index → index in `dirs`.
    of_lab: Vec<usize>,
    /// Per folder: LN006's message on an image by its destination (`None`: the image is
    /// shown). The labs of a folder show the same images.
    images: Vec<Mutex<HashMap<String, Option<String>>>>,
}

impl Folders {
    fn of(course: &Course) -> Folders {
        let mut ids: HashMap<&Path, usize> = HashMap::new();
        let mut dirs = Vec::new();
        let of_lab = course
            .labs
            .iter()
            .map(|cl| {
                let parent = cl.path.parent().unwrap_or(Path::new(""));
                *ids.entry(parent).or_insert_with(|| {
                    dirs.push(crate::app::files::lab_dir_of(&cl.path));
                    dirs.len() - 1
                })
            })
            .collect();
        let images = dirs.iter().map(|_| Mutex::default()).collect();
        Folders {
            dirs,
            of_lab,
            images,
        }
    }
}

/// A lock of `Cx`'s memories (one a thread panicked holding is still right: each entry is
/// inserted whole).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Trimmed placeholder name → (lab, byte span) of its first use in reading order (a memo
/// entry's key is no use), from [`first_uses_in`] of each lab in course order.
fn first_uses(
    per_lab: Vec<Vec<(&str, Range<usize>)>>,
) -> ahash::HashMap<&str, (usize, Range<usize>)> {
    let mut m = ahash::HashMap::default();
    for (k, firsts) in per_lab.into_iter().enumerate() {
        for (name, span) in firsts {
            m.entry(name).or_insert((k, span));
        }
    }
    m
}

/// Each trimmed name's first use among one lab's `placeholders`, in reading order.
fn first_uses_in(placeholders: &[crate::lab::Placeholder]) -> Vec<(&str, Range<usize>)> {
    let mut seen = ahash::HashSet::with_capacity_and_hasher(placeholders.len(), Default::default());
    placeholders
        .iter()
        .filter(|p| p.context != PlaceholderContext::Memo && seen.insert(p.name.trim()))
        .map(|p| (p.name.trim(), p.span.clone()))
        .collect()
}

impl Cx<'_> {
    /// Where lab `k`'s images and linked files come from.
    fn lab_files(&self, k: usize) -> crate::app::files::LabFiles {
        let dir = self.folders.dirs[self.folders.of_lab[k]].clone();
        crate::app::files::LabFiles::with_dir(dir, &self.files_root)
    }

    /// Whether `path` is a file (`file`) or exists, asked of the disk once per run.
    fn exists(&self, path: &Path, file: bool) -> bool {
        let key = (path.to_path_buf(), file);
        if let Some(&found) = lock(&self.found).get(&key) {
            return found;
        }
        let found = if file { path.is_file() } else { path.exists() };
        lock(&self.found).insert(key, found);
        found
    }

    fn loc(&self, k: usize, span: Range<usize>) -> Location {
        let cl = &self.course.labs[k];
        let file = self.files[k].clone();
        location_in(cl, k, file, span, |text, pos| {
            self.lines[k].line_col(text, pos)
        })
    }

    fn diag(&self, rule: Rule, k: usize, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity(),
            message,
            at: self.loc(k, span),
            related: None,
            help: None,
        }
    }
}

/// The location of byte span `span` of lab `k`.
pub fn location(cl: &CourseLab, k: usize, span: Range<usize>) -> Location {
    location_in(cl, k, cl.rel_path.as_str().into(), span, line_col)
}

/// [`location`], lines and columns counted by `line_col`.
fn location_in(
    cl: &CourseLab,
    k: usize,
    file: std::sync::Arc<str>,
    span: Range<usize>,
    line_col: impl Fn(&str, usize) -> (usize, usize),
) -> Location {
    let text = cl.lab.source();
    let start = floor_char(text, span.start.min(text.len()));
    let end = floor_char(text, span.end.clamp(start, text.len()));
    let (line, column) = line_col(text, start);
    // The end is shown on the span's last line, before its line break.
    let end_at = text[..end].trim_end_matches(['\n', '\r']).len().max(start);
    let (end_line, end_column) = line_col(text, end_at);
    Location {
        lab: k,
        file,
        line,
        column,
        end_line,
        end_column: end_column.max(if end_line == line { column + 1 } else { 1 }),
        span: start..end,
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Where each line of `text` starts: 0, and after each `\n`.
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    // Room for lines of 32 bytes on average: most labs' lists never grow.
    let mut starts = Vec::with_capacity(b.len() / 32 + 1);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', b).map(|i| i + 1));
    starts
}

/// [`line_col`] by the line starts of `text` ([`line_starts`]): a binary search, not a count.
fn line_col_in(starts: &[usize], text: &str, pos: usize) -> (usize, usize) {
    let line = starts.partition_point(|&s| s <= pos);
    let start = starts[line - 1];
    (line, text[start..pos].chars().count() + 1)
}

/// How the lines of one lab are counted for its findings: from the last place asked (a
/// lab's findings come mostly in reading order, a rule after another), counting the line
/// breaks between; after [`Lines::COUNTED`] questions, by the start of every line, found once
/// (a lab of many findings in no order costs one pass, not one per finding).
struct Lines {
    /// The last place asked and its line, and the questions asked so far.
    last: Mutex<(usize, usize, usize)>,
    starts: OnceLock<Vec<usize>>,
}

impl Default for Lines {
    fn default() -> Lines {
        Lines {
            // The text's start is on line 1.
            last: Mutex::new((0, 1, 0)),
            starts: OnceLock::new(),
        }
    }
}

impl Lines {
    const COUNTED: usize = 64;

    /// [`line_col`] of `pos` in `text` (the lab's text).
    fn line_col(&self, text: &str, pos: usize) -> (usize, usize) {
        if let Some(starts) = self.starts.get() {
            return line_col_in(starts, text, pos);
        }
        let line = {
            let mut last = lock(&self.last);
            let (at, line, asked) = *last;
            if asked >= Self::COUNTED {
                drop(last);
                let starts = self.starts.get_or_init(|| line_starts(text));
                return line_col_in(starts, text, pos);
            }
            let b = text.as_bytes();
            let line = if pos >= at {
                line + count_newlines(&b[at..pos])
            } else {
                line - count_newlines(&b[pos..at])
            };
            *last = (pos, line, asked + 1);
            line
        };
        let start = memchr::memrchr(b'\n', &text.as_bytes()[..pos]).map_or(0, |i| i + 1);
        (line, text[start..pos].chars().count() + 1)
    }
}

/// The `\r\n` pairs of `b`, summed as [`count_newlines`] sums.
fn count_crlf(b: &[u8]) -> usize {
    let Some(last) = b.len().checked_sub(1) else {
        return 0;
    };
    let mut n = 0;
    for (cr, nl) in b[..last].chunks(255).zip(b[1..].chunks(255)) {
        let mut sum = 0u8;
        for (&p, &q) in cr.iter().zip(nl) {
            sum += u8::from(p == b'\r') & u8::from(q == b'\n');
        }
        n += usize::from(sum);
    }
    n
}

/// The `\n` bytes of `b`, summed 255 bytes at a time in a byte (a loop the compiler turns
/// into vector compares and adds: a tenth of the instructions of a search per line).
fn count_newlines(b: &[u8]) -> usize {
    let mut chunks = b.chunks_exact(255);
    let mut n = 0;
    for chunk in &mut chunks {
        let mut sum = 0u8;
        for &c in chunk {
            sum += u8::from(c == b'\n');
        }
        n += usize::from(sum);
    }
    n + chunks.remainder().iter().filter(|&&c| c == b'\n').count()
}

/// The span of line `line_start..` without its line break.
fn line_span(text: &str, start: usize) -> Range<usize> {
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}

// ---------------------------------------------------------------------------------------
// LN001, LN003: a placeholder nothing asks to note before it is used (or a typo of a name).

fn no_source_and_typo(cx: &Cx, values: &[Wanted], out: &mut Vec<Diagnostic>) {
    let course = cx.course;
    for (gi, g) in values.iter().enumerate() {
        // The first use of the value in reading order.
        let Some((name, (k, span))) = g
            .names
            .iter()
            .filter_map(|n| cx.first_use.get(n.as_str()).map(|u| (n, u.clone())))
            .min_by_key(|(_, (k, s))| (*k, s.start))
        else {
            continue;
        };
        match &g.note_point {
            Some(NoteRef::Prose { .. }) => {}
            Some(NoteRef::Memo { lab }) => {
                if *lab > k {
                    let mut d = cx.diag(
                        Rule::NoSource,
                        k,
                        span,
                        t!(
                            "lint-ln001-later",
                            name = name.as_str(),
                            lab = course.labs[*lab].lab.id.as_str()
                        ),
                    );
                    if let Some(e) = memo_entry_of(&course.labs[*lab], &g.key) {
                        d.related = Some(
                            Related {
                                at: cx.loc(*lab, e),
                                label: t!("lint-label-noted-here"),
                            }
                            .into(),
                        );
                    }
                    d.help = Some(t!("lint-ln001-later-help", name = name.as_str()));
                    out.push(d);
                }
            }
            // A value labnote reads from where the student created it (`labnote fetch`:
            // `app::sources::choice_of`) needs no sentence asking to note it.
            None if matches!(
                super::sources::choice_of(course, &course.config, g),
                super::sources::SourceChoice::Kind { .. }
            ) => {}
            None => {
                if let Some((near, near_at)) = near_name(cx, values, gi) {
                    let mut d = cx.diag(
                        Rule::Typo,
                        k,
                        span,
                        t!("lint-ln003", name = name.as_str(), near = near.as_str()),
                    );
                    d.help = Some(t!("lint-ln003-help", near = near.as_str()));
                    d.related = near_at.map(|(nk, ns)| {
                        Related {
                            at: cx.loc(nk, ns),
                            label: t!("lint-label-near"),
                        }
                        .into()
                    });
                    out.push(d);
                } else {
                    let mut d = cx.diag(
                        Rule::NoSource,
                        k,
                        span,
                        t!("lint-ln001", name = name.as_str()),
                    );
                    d.help = Some(t!("lint-ln001-help", name = name.as_str()));
                    out.push(d);
                }
            }
        }
    }
}

/// The line of the memo entry of `key` in lab `cl`.
fn memo_entry_of(cl: &CourseLab, key: &str) -> Option<Range<usize>> {
    let key = names::normalize_key(key);
    cl.lab
        .memo_entries()
        .find(|e| names::normalize_key(&e.key) == key)
        .map(|e| line_span(cl.lab.source(), e.line_span.start))
}

/// Folded spelling for comparing names letter by letter: lower case, no spaces, `_` or `-`.
fn fold(name: &str) -> Vec<char> {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect()
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The name of another value of the course that value `gi`'s only spelling is a near miss
/// of (one or two letters off, at most a fifth of the name), with where it is first written.
#[allow(clippy::type_complexity)]
fn near_name(
    cx: &Cx,
    values: &[Wanted],
    gi: usize,
) -> Option<(String, Option<(usize, Range<usize>)>)> {
    let g = &values[gi];
    if g.names.len() != 1 {
        return None;
    }
    let mine = fold(&g.names[0]);
    if mine.len() < 4 {
        return None;
    }
    let limit = (mine.len() / 5).clamp(1, 2);
    let mut best: Option<(usize, &str, usize)> = None;
    for (oi, o) in values.iter().enumerate() {
        if oi == gi {
            continue;
        }
        for n in std::iter::once(&o.key).chain(&o.names) {
            let theirs = fold(n);
            if theirs.len().abs_diff(mine.len()) > limit {
                continue;
            }
            let d = edit_distance(&mine, &theirs);
            if d >= 1 && d <= limit && best.is_none_or(|(bd, _, _)| d < bd) {
                best = Some((d, n.as_str(), oi));
            }
        }
    }
    let (_, near, oi) = best?;
    let o = &values[oi];
    let at = cx
        .first_use
        .get(near)
        .cloned()
        .or_else(|| match &o.note_point {
            Some(NoteRef::Memo { lab }) => {
                memo_entry_of(&cx.course.labs[*lab], &o.key).map(|s| (*lab, s))
            }
            _ => None,
        });
    Some((near.to_string(), at))
}

// ---------------------------------------------------------------------------------------
// LN002: the course asks to note a value no later step uses.

fn unused_note_point(cx: &Cx, values: &[Wanted], out: &mut Vec<Diagnostic>) {
    for g in values {
        let Some(NoteRef::Prose { at, text }) = &g.note_point else {
            continue;
        };
        if !g.used_in.is_empty() {
            continue;
        }
        let cl = &cx.course.labs[at.lab];
        let Some(np) = cl
            .lab
            .note_points
            .iter()
            .find(|n| n.step == at.step && &n.text == text)
        else {
            continue;
        };
        let name = g.names.first().unwrap_or(&g.key);
        let mut d = cx.diag(
            Rule::UnusedNotePoint,
            at.lab,
            np.span.clone(),
            t!("lint-ln002", name = name.as_str()),
        );
        d.help = Some(t!("lint-ln002-help", name = name.as_str()));
        out.push(d);
    }
}

// ---------------------------------------------------------------------------------------
// LN004: a block `run` runs that reads like example output.

fn output_runs(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let lab = &cx.course.labs[k].lab;
    let text = lab.source();
    let steps: Vec<&crate::lab::Step> = lab.steps.iter().collect();
    for b in blocks::blocks_of(text, &steps) {
        let block = b.block;
        // A block with a terminal's line inside, when `run` runs it: the line is looked for
        // first (few blocks have one), then the class alone (the reason is put in words
        // for a block found only).
        let Some(off) = blocks::transcript_inside(&block.text) else {
            continue;
        };
        if blocks::class_of(block, b.before, b.details) != Class::Run {
            continue;
        }
        let line_text = block.text[off..].lines().next().unwrap_or("").trim();
        // The line in the file: the block's text is the fence's content, found in its span.
        let region = block.span.clone();
        let Some(at) = text
            .get(region.clone())
            .and_then(|r| r.find(line_text))
            .map(|i| region.start + i)
        else {
            continue;
        };
        let mut d = cx.diag(
            Rule::OutputRuns,
            k,
            at..at + line_text.len(),
            t!(
                "lint-ln004",
                lang = block.lang.as_deref().unwrap_or("-"),
                line = lab.line_of(block.span.start)
            ),
        );
        d.help = Some(t!("lint-ln004-help"));
        let open = line_span(text, block.span.start);
        d.related = Some(
            Related {
                at: cx.loc(k, open),
                label: t!(
                    "lint-label-runs",
                    reason = blocks::classify(block, b.before, b.details).1
                ),
            }
            .into(),
        );
        out.push(d);
    }
}

// ---------------------------------------------------------------------------------------
// LN005: a fence closed by two backticks, or never closed.

fn fence(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let lab = &cx.course.labs[k].lab;
    let text = lab.source();
    for b in lab.steps.iter().flat_map(|s| &s.code_blocks) {
        if b.indented || b.closed {
            continue;
        }
        let open = line_span(text, b.span.start);
        let region = text.get(b.span.clone()).unwrap_or("");
        // A line of two backticks inside: the fence the author meant to close.
        let mut pos = b.span.start;
        let mut two = None;
        for l in region.split_inclusive('\n') {
            if pos > b.span.start && l.trim() == "``" {
                two = Some(pos);
                break;
            }
            pos += l.len();
        }
        let open_line = lab.line_of(b.span.start);
        let mut d = match two {
            Some(at) => {
                let s = line_span(text, at);
                cx.diag(Rule::Fence, k, s, t!("lint-ln005-two", line = open_line))
            }
            None => cx.diag(Rule::Fence, k, open.clone(), t!("lint-ln005-open")),
        };
        if two.is_some() {
            d.related = Some(
                Related {
                    at: cx.loc(k, open),
                    label: t!("lint-label-fence-open"),
                }
                .into(),
            );
        }
        d.help = Some(t!("lint-ln005-help"));
        out.push(d);
    }
}

// ---------------------------------------------------------------------------------------
// LN006, LN007: images and links to files the course lacks; anchors to no heading.

fn links(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let cl = &cx.course.labs[k];
    let text = cl.lab.source();
    // The links and headings the lab's parse found; a file that starts with a byte order
    // mark was parsed with spaces for it, so its own text is read again.
    let reparsed;
    let (refs, heading_texts) = if text.starts_with('\u{feff}') {
        reparsed = links_and_headings(text);
        (&reparsed.0[..], &reparsed.1[..])
    } else {
        (&cl.lab.links[..], &cl.lab.heading_texts[..])
    };
    if refs.is_empty() {
        return;
    }
    let files = cx.lab_files(k);
    let is_file = |p: &Path| cx.exists(p, true);
    let view_files = files.files_checked_by(&is_file);
    let mut anchors: Vec<(&str, Range<usize>)> = Vec::new();
    // The help of LN006 names the lab's folder: put in words once.
    let mut ln006_help: Option<String> = None;
    for r in refs {
        let range = r.span.clone();
        if r.image {
            let dest_url = r.dest.as_str();
            if dest_url.contains("<<") || dest_url.is_empty() {
                continue;
            }
            // What an image of this folder is, found once (the labs of a folder show the
            // same images).
            let images = &cx.folders.images[cx.folders.of_lab[k]];
            let known = lock(images).get(dest_url).cloned();
            let message = known.unwrap_or_else(|| {
                let message = match crate::view::resolve_image(dest_url, &view_files) {
                    crate::view::ImageFile::Local { exists: false, .. } => {
                        Some(t!("lint-ln006-image", dest = dest_url))
                    }
                    // Outside the folder images may come from (or no image type): no
                    // front end shows it.
                    crate::view::ImageFile::Refused(_) => {
                        Some(t!("lint-ln006-outside", dest = dest_url))
                    }
                    _ => None,
                };
                lock(images).insert(r.dest.clone(), message.clone());
                message
            });
            let Some(message) = message else {
                continue;
            };
            let mut d = cx.diag(Rule::MissingFile, k, range, message);
            d.help = Some(
                ln006_help
                    .get_or_insert_with(|| t!("lint-ln006-help", dir = dir_of(&cl.rel_path)))
                    .clone(),
            );
            out.push(d);
        } else {
            let dest = r.dest.trim();
            if let Some(anchor) = dest.strip_prefix('#') {
                anchors.push((anchor, range));
            } else if is_relative_file(dest)
                && !link_exists(files.lab_dir(), dest, |p| cx.exists(p, false))
            {
                let mut d = cx.diag(
                    Rule::MissingFile,
                    k,
                    range,
                    t!("lint-ln006-link", dest = dest),
                );
                d.help = Some(t!("lint-ln006-help", dir = dir_of(&cl.rel_path)));
                out.push(d);
            }
        }
    }
    if anchors.is_empty() {
        return;
    }
    let mut ln007_help: Option<String> = None;
    // Each heading's and HTML id's key made once (a lab's table of contents names most of
    // them; comparing letters as read costs more, headings starting alike).
    let mut known: Vec<String> = heading_texts.iter().map(|h| anchor_key(h)).collect();
    known.extend(html_ids(text).map(anchor_key));
    for (anchor, range) in anchors {
        if anchor.is_empty() || known.contains(&anchor_key(&crate::view::percent_decode(anchor))) {
            continue;
        }
        let mut d = cx.diag(
            Rule::TocNowhere,
            k,
            range,
            t!("lint-ln007", anchor = format!("#{anchor}")),
        );
        d.help = Some(
            ln007_help
                .get_or_insert_with(|| t!("lint-ln007-help"))
                .clone(),
        );
        out.push(d);
    }
}

/// The links and images of `text` and the texts of its headings, as the lab's parse records
/// them ([`crate::lab::Lab::links`], [`crate::lab::Lab::heading_texts`]).
fn links_and_headings(text: &str) -> (Vec<LinkRef>, Vec<String>) {
    let mut refs = Vec::new();
    let mut headings: Vec<String> = Vec::new();
    let mut heading: Option<String> = None;
    for (ev, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => refs.push(LinkRef {
                image: true,
                dest: dest_url.to_string(),
                span: range,
            }),
            Event::Start(Tag::Link { dest_url, .. }) => refs.push(LinkRef {
                image: false,
                dest: dest_url.to_string(),
                span: range,
            }),
            _ => {}
        }
    }
    (refs, headings)
}

fn dir_of(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((d, _)) => format!("{d}/"),
        None => "./".to_string(),
    }
}

/// A link to a file beside the lab: no scheme, no `mailto:`, no absolute path, no placeholder.
fn is_relative_file(dest: &str) -> bool {
    !(dest.is_empty()
        || dest.contains("://")
        || dest.contains("<<")
        || dest.starts_with('/')
        || dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(s, _)| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }))
}

fn link_exists(lab_dir: &Path, dest: &str, exists: impl Fn(&Path) -> bool) -> bool {
    let path = crate::view::percent_decode(dest.split(['?', '#']).next().unwrap_or(""));
    path.is_empty() || exists(&lab_dir.join(path))
}

/// A heading or anchor compared loosely: its letters and digits only, lower case. GitHub,
/// GitLab and the course's own tables of contents spell the anchor of one heading three ways
/// (`#2일차---lab-3.-github-준비하기`, `#2일차---lab-3-github-준비하기`, …).
fn anchor_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            // A Hangul syllable (most of a Korean heading): a letter without case. The
            // general path below gives the same, after two table searches per character.
            out.push(c);
        } else {
            out.extend(c.to_lowercase().filter(|c| c.is_alphanumeric()));
        }
    }
    out
}

/// `id="…"` and `name="…"` of HTML in the lab (`<a name="top"></a>`): found from the
/// quotes that open them (rarer in a lab than the letters of either word).
fn html_ids(text: &str) -> impl Iterator<Item = &str> + '_ {
    let b = text.as_bytes();
    memchr::memchr_iter(b'"', b).filter_map(move |q| {
        let before = &b[..q];
        if !(before.ends_with(b"id=") || before.ends_with(b"name=")) {
            return None;
        }
        let rest = &text[q + 1..];
        rest.find('"').map(|e| &rest[..e])
    })
}

// ---------------------------------------------------------------------------------------
// LN008: a memo key written twice in one lab.

fn duplicate_memo_key(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let lab = &cx.course.labs[k].lab;
    let text = lab.source();
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    for e in lab.memo_entries() {
        let key = names::normalize_key(&e.key);
        let here = line_span(text, e.line_span.start);
        match seen.get(&key) {
            Some(first) => {
                let mut d = cx.diag(
                    Rule::DuplicateMemoKey,
                    k,
                    here,
                    t!("lint-ln008", key = e.key.trim()),
                );
                d.related = Some(
                    Related {
                        at: cx.loc(k, first.clone()),
                        label: t!("lint-label-first-entry"),
                    }
                    .into(),
                );
                d.help = Some(t!("lint-ln008-help"));
                out.push(d);
            }
            None => {
                seen.insert(key, here);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// LN009: a plaintext credential.

fn credential(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let text = cx.course.labs[k].lab.source();
    // The lines (start, text with its `\n`), made only when a word needs its neighbours.
    let lines: OnceLock<Vec<(usize, &str)>> = OnceLock::new();
    let lines = || {
        lines.get_or_init(|| {
            text.split_inclusive('\n')
                .scan(0, |pos, l| {
                    let at = *pos;
                    *pos += l.len();
                    Some((at, l))
                })
                .collect()
        })
    };
    let key_id_near = |i: usize| {
        let lines = lines();
        lines[i.saturating_sub(3)..(i + 4).min(lines.len())]
            .iter()
            .any(|(_, l)| words(l).any(is_key_id))
    };
    // A line break is a word break: the words of the text are those of its lines.
    // Every credential the rule knows is 20 characters or more: most words are rejected
    // before any pattern runs.
    for span in long_words(text, 20) {
        let start = span.start;
        let w = &text[span];
        let line = || {
            let lines = lines();
            let i = lines.partition_point(|(at, _)| *at <= start) - 1;
            (i, lines[i].1)
        };
        let what = if w.starts_with("AGE-SECRET-KEY-1") && w.len() >= 60 {
            Some("age secret key")
        } else if (w.starts_with("gh") || w.starts_with("github_pat_"))
            && crate::capture::looks_like_credential(w)
        {
            Some("GitHub token")
        } else if w.len() == 40 && crate::capture::looks_like_credential(w) && {
            let (i, l) = line();
            key_id_near(i) || l.to_ascii_lowercase().contains("secret")
        } {
            Some("AWS secret access key")
        } else {
            None
        };
        if let Some(what) = what {
            let mut d = cx.diag(
                Rule::Credential,
                k,
                start..start + w.len(),
                t!("lint-ln009", what = what),
            );
            d.help = Some(t!("lint-ln009-help"));
            out.push(d);
        }
    }
}

/// The byte spans of the words of `text` split at [`is_word_break`] (as `str::split` with
/// it gives them) that are `min` bytes long or longer.
///
/// A word that long holds no break in its first `min` bytes, so each window of `min` bytes
/// after a break is read from its end backwards: at the first break met, no word starting in
/// the window reaches `min` bytes, and the search goes on after that break (most of a text's
/// bytes are never read). A window with no break is a long word, followed to its end.
fn long_words(text: &str, min: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let class = byte_classes();
    let mut out = Vec::new();
    // Always a character's start: 0 or just after a break.
    let mut start = 0;
    'windows: while start + min <= b.len() {
        // Every character starting in the window is read (its first byte), from the last.
        let mut j = start + min;
        while j > start {
            j -= 1;
            match class[usize::from(b[j])] {
                WORD => {}
                BREAK => {
                    start = j + 1;
                    continue 'windows;
                }
                _ => {
                    let (is_break, width) = special_break(text, j);
                    if is_break {
                        start = j + width;
                        continue 'windows;
                    }
                }
            }
        }
        // No break in the window: the word runs to the next break, or to the end.
        let mut i = start + min;
        while i < b.len() {
            match class[usize::from(b[i])] {
                WORD => i += 1,
                BREAK => {
                    out.push(start..i);
                    start = i + 1;
                    continue 'windows;
                }
                _ => {
                    let (is_break, width) = special_break(text, i);
                    if is_break {
                        out.push(start..i);
                        start = i + width;
                        continue 'windows;
                    }
                    i += 1;
                }
            }
        }
        out.push(start..b.len());
        return out;
    }
    out
}

/// A byte of a text as [`long_words`] reads it: of a character that is no break (an ASCII one,
/// any byte after a character's first, the first byte of a character beyond ASCII that is
/// never a break), an ASCII break, or the first byte of a character that may be one.
const WORD: u8 = 0;
const BREAK: u8 = 1;
const SPECIAL: u8 = 2;

/// The class of each byte ([`WORD`], [`BREAK`], [`SPECIAL`]), found once: only the lead bytes
/// 0xC2 and 0xE1–0xE3 start breaks beyond ASCII (U+0085, U+00A0, U+1680, U+2000–U+205F,
/// U+3000; a test reads every character).
fn byte_classes() -> &'static [u8; 256] {
    static TABLE: OnceLock<[u8; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| match i {
            0..0x80 if is_word_break_slow(char::from(i as u8)) => BREAK,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => SPECIAL,
            _ => WORD,
        })
    })
}

/// Whether the character starting at byte `i` of `text` (a [`SPECIAL`] byte) is a break,
/// and its length.
fn special_break(text: &str, i: usize) -> (bool, usize) {
    let ch = text[i..].chars().next().unwrap_or(' ');
    (is_word_break(ch), ch.len_utf8())
}

fn is_word_break(c: char) -> bool {
    if c.is_ascii() {
        return ascii_breaks()[c as usize];
    }
    is_word_break_slow(c)
}

/// [`is_word_break_slow`] of each ASCII character, found once: the credential rule asks it of
/// every byte of the course.
fn ascii_breaks() -> &'static [bool; 128] {
    static TABLE: OnceLock<[bool; 128]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| is_word_break_slow(char::from(i as u8))))
}

fn is_word_break_slow(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\''
                | '`'
                | '='
                | ':'
                | ','
                | ';'
                | '('
                | ')'
                | '<'
                | '>'
                | '['
                | ']'
                | '{'
                | '}'
                | '|'
                | '*'
        )
}

fn words(l: &str) -> impl Iterator<Item = &str> {
    l.split(is_word_break)
}

fn is_key_id(w: &str) -> bool {
    w.len() == 20
        && (w.starts_with("AKIA") || w.starts_with("ASIA"))
        && w[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------
// LN010: CRLF and LF in one file.

fn mixed_line_endings(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let text = cx.course.labs[k].lab.source();
    let b = text.as_bytes();
    // No carriage return: every line ends alike.
    if memchr::memchr(b'\r', b).is_none() {
        return;
    }
    // Lines of one kind only (a file written on Windows): told by counting, in vector adds;
    // each line is read only when both kinds are there.
    let crlf = count_crlf(b);
    if crlf == 0 || crlf == count_newlines(b) {
        return;
    }
    let mut crlf = 0usize;
    let mut lf = 0usize;
    let mut first_crlf = None;
    let mut first_lf = None;
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', b) {
        // The `\r` before the `\n` of a line (a line that is only `\n` has none).
        if nl > start && b[nl - 1] == b'\r' {
            crlf += 1;
            first_crlf.get_or_insert(start);
        } else {
            lf += 1;
            first_lf.get_or_insert(start);
        }
        start = nl + 1;
    }
    if crlf == 0 || lf == 0 {
        return;
    }
    // The first line of the fewer kind.
    let at = if lf <= crlf { first_lf } else { first_crlf }.unwrap_or(0);
    let mut d = cx.diag(
        Rule::MixedLineEndings,
        k,
        line_span(text, at),
        t!("lint-ln010", crlf = crlf, lf = lf),
    );
    d.help = Some(t!("lint-ln010-help"));
    out.push(d);
}

// ---------------------------------------------------------------------------------------
// LN011: a step number written twice in one lab.

fn repeated_step_number(cx: &Cx, k: usize, out: &mut Vec<Diagnostic>) {
    let lab = &cx.course.labs[k].lab;
    let text = lab.source();
    let mut first: ahash::HashMap<&str, usize> =
        ahash::HashMap::with_capacity_and_hasher(lab.steps.len(), Default::default());
    for (i, s) in lab.steps.iter().enumerate() {
        let Some(n) = s.number.as_deref() else {
            continue;
        };
        match first.get(n) {
            Some(&f) => {
                let mut d = cx.diag(
                    Rule::RepeatedStepNumber,
                    k,
                    line_span(text, s.span.start),
                    t!("lint-ln011", number = n, id = s.id.as_str()),
                );
                d.related = Some(
                    Related {
                        at: cx.loc(k, line_span(text, lab.steps[f].span.start)),
                        label: t!("lint-label-first-step"),
                    }
                    .into(),
                );
                d.help = Some(t!("lint-ln011-help", id = s.id.as_str()));
                out.push(d);
            }
            None => {
                first.insert(n, i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn anchor_key_and_word_breaks_agree_with_their_general_rules() {
        let general = |s: &str| -> String {
            s.chars()
                .flat_map(char::to_lowercase)
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        for s in [
            "2일차 - Lab 3. GitHub 준비하기",
            "✔ 1-2. 세부 단계 `step-2`",
            "ÀÉÎ Straße İstanbul ǅ Σσς ①②",
            "한글ㄱㅏ 힣 가 \u{D7A4}\u{ABFF}",
            "",
        ] {
            assert_eq!(super::anchor_key(s), general(s), "{s}");
        }
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            assert_eq!(
                super::is_word_break(c),
                super::is_word_break_slow(c),
                "{c:?}"
            );
        }
        // Every break beyond ASCII starts with a byte `long_words` decodes.
        let mut utf8 = [0u8; 4];
        for c in (0x80u32..=0x10FFFF).filter_map(char::from_u32) {
            if super::is_word_break_slow(c) {
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert_eq!(
                    super::byte_classes()[usize::from(lead)],
                    super::SPECIAL,
                    "{c:?}"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn rule_codes_are_stable_and_course_yaml_knows_them_all() {
        assert_eq!(Rule::NoSource.code(), "LN001");
        assert_eq!(Rule::RepeatedStepNumber.code(), "LN011");
        assert_eq!(Rule::ALL.len(), usize::from(crate::config::LINT_RULES));
    }

    #[test]
    fn near_names_by_letters() {
        assert_eq!(edit_distance(&fold("Cluster URL"), &fold("Clustr URL")), 1);
        assert_eq!(
            edit_distance(&fold("github_token"), &fold("github token")),
            0
        );
    }

    #[test]
    fn anchors_compare_by_letters() {
        assert_eq!(
            anchor_key("2일차---lab-3.-github-준비하기"),
            anchor_key("2일차 - Lab 3. GitHub 준비하기")
        );
    }

    #[test]
    fn line_starts_count_as_line_col() {
        let long = "첫 줄\n".repeat(300) + &"x".repeat(600) + "\n\n끝";
        for text in ["", "a", "a\nb", "가나\n\n다라마\r\nx\n", "\n\n", &long] {
            // Counted from the last place asked, forwards and backwards, then (after
            // `Lines::COUNTED` questions) by the lines' starts.
            let lines = Lines::default();
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&p| text.is_char_boundary(p))
                .collect();
            for (i, &pos) in boundaries.iter().enumerate() {
                let pos = if i % 3 == 1 {
                    boundaries[boundaries.len() - 1 - i]
                } else {
                    pos
                };
                assert_eq!(lines.line_col(text, pos), line_col(text, pos), "{pos}");
            }
            let starts = line_starts(text);
            for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                assert_eq!(
                    line_col_in(&starts, text, pos),
                    line_col(text, pos),
                    "{text:?} {pos}"
                );
            }
        }
        for c in "\"'`=:,;()<>[]{}|* \t\u{3000}".chars() {
            assert!(is_word_break(c), "{c:?}");
        }
        assert!(!"aZ9_-./+가".chars().any(is_word_break));
    }

    #[test]
    fn long_words_split_as_str_split() {
        for text in [
            "",
            "a",
            " ",
            "AKIA0123 x=\"y\"\n",
            "가나\u{3000}다\u{a0}라\u{85}마\u{2003}바\u{205f}사\u{1680}아\u{2028}",
            "é€😀 `k`:v,\r\n[t]{u}|*<w>(z);'q'",
            "long_word_of_many_letters_0123 가나다라마바사아자차카타파하가나다라\u{3000}x",
            "another/long+word/with-marks_and_digits42😀é€ÿ\u{2028}UPPER-CASE-WORD-THAT-RUNS-ON-AND-ON",
        ] {
            for min in [0, 1, 3, 4, 5, 20] {
                let spans: Vec<&str> = long_words(text, min).into_iter().map(|r| &text[r]).collect();
                let split: Vec<&str> = text.split(is_word_break).filter(|w| w.len() >= min).collect();
                assert_eq!(spans, split, "{text:?} {min}");
            }
        }
        // Texts of breaks and letters of every width, from a fixed pseudo-random sequence.
        let pieces = [
            " ", "\n", "`", ":", "\u{a0}", "\u{3000}", "\u{2028}", "a", "Z", "-", "é", "가", "😀",
            "ÿ", "\u{1680}", "\u{85}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Letters more often than breaks, so that long words occur.
                let k = (seed % 48) as usize;
                text.push_str(pieces[if k < 16 { k } else { 7 + k % 7 }]);
            }
            for min in [0, 1, 2, 3, 4, 5, 8, 13, 20] {
                let spans: Vec<&str> = long_words(&text, min)
                    .into_iter()
                    .map(|r| &text[r])
                    .collect();
                let split: Vec<&str> = text
                    .split(is_word_break)
                    .filter(|w| w.len() >= min)
                    .collect();
                assert_eq!(spans, split, "{text:?} {min}");
            }
        }
    }

    #[test]
    fn in_parallel_keeps_the_order() {
        for n in [0, 1, 15, 16, 17, 100, 1001] {
            let items: Vec<usize> = (0..n).collect();
            let doubled = in_parallel(&items, |&i| i * 2);
            assert_eq!(
                doubled,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{n}"
            );
        }
    }

    #[test]
    fn line_ends_counted_as_read() {
        let long = "a\r\n".repeat(200) + "b\n\r\r\n\n" + &"\r".repeat(300) + "\n";
        for text in ["", "\r", "\n", "\r\n", "\n\r", "a\r\nb\nc\r\n", &long] {
            let b = text.as_bytes();
            let pairs = b.windows(2).filter(|w| w == b"\r\n").count();
            assert_eq!(count_crlf(b), pairs, "{text:?}");
            assert_eq!(count_newlines(b), text.matches('\n').count(), "{text:?}");
        }
    }

    #[test]
    fn locations_count_characters() {
        let t = "# 제목\r\n둘째 줄 <<x>>\r\n";
        let at = t.find("<<").unwrap();
        assert_eq!(line_col(t, at), (2, 6));
        assert_eq!(line_span(t, 0), 0..t.find('\r').unwrap());
    }
}
