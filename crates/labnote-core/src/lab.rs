//! The lab document model and its parser.
//!
//! Pure: bytes in, model out. No IO, no printing. Every element keeps the byte range it came
//! from, so that later edits (the memo writer) can splice values into the original bytes and
//! leave every other byte alone — the same idea as `toml_edit`'s spans, at a smaller scale.
//!
//! One pass of pulldown-cmark's offset iterator finds headings (steps), code blocks, images,
//! HTML `<details>`, and table rows. Memo blocks are found by a scan of the raw lines, and
//! `<<placeholders>>` by the one scanner of [`crate::placeholder`] over the raw text (told
//! where code is), because both are defined by their raw text (`> ➕ _<< key>>_ :`), not by
//! how markdown renders them.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::notepoint::{self, NotePoint};

/// A parsed lab.
#[derive(Debug, Clone)]
pub struct Lab {
    /// Short id: `2-4` for `2일차 - Lab 4.`, else the file stem.
    pub id: String,
    /// Title without the `N일차 - Lab M.` prefix; the file stem when there is no H1.
    pub title: String,
    /// The whole H1 text, if any.
    pub heading: Option<String>,
    pub day: Option<u32>,
    pub lab: Option<u32>,
    /// Span of the H1 line.
    pub title_span: Option<Range<usize>>,
    /// The `ⓘ 실습목표 : …` line's text, if present.
    pub goal: Option<String>,
    /// Every step node in document order. `parent`/`children` are indices into this vector.
    pub steps: Vec<Step>,
    pub memo_blocks: Vec<MemoBlock>,
    /// Every `<<placeholder>>` (see [`Placeholders`]), found the first time they are read.
    pub placeholders: Placeholders,
    /// Line ending used by most lines of the file (LF when none).
    pub line_ending: LineEnding,
    /// End of the table of contents (the second `---` rule after the title, or the first
    /// list of anchor links), used to place a new memo block. `None` when the lab has none.
    pub toc_end: Option<usize>,
    /// Where the lab asks to note a value (see [`crate::notepoint`]), found the first time
    /// they are read.
    pub note_points: NotePoints,
    /// Lines (1-based, in order, each once) where a name the lab gives (its title, a step
    /// title, a memo key, a placeholder or note-point name) held control characters, now
    /// shown visibly (see [`crate::textsafe`]): the caller warns about them with the file.
    pub unsafe_lines: Vec<usize>,
    /// Every link and image of the lab, in document order, as the parser gave them (before
    /// the first step too): what `lint` checks the destinations of.
    pub links: Vec<LinkRef>,
    /// The text of every heading (its text and inline code, as the parser gave them, before
    /// any name was made visible): what a `#anchor` may point to.
    pub heading_texts: Vec<String>,
    /// The text this snapshot was parsed from, as its spans index it (see [`Lab::source`]).
    source: std::sync::Arc<str>,
    /// The version of that text (see [`Lab::version`]).
    version: Version,
}

/// The note points of a lab ([`crate::notepoint::find`]), found the first time they are read
/// (a slice through `Deref`): a command that lists labs or answers an AWS tool never pays for
/// them. The parser keeps what finding needs, taken before any name was made visible, so the
/// note points are the same whenever they are found; a lab holding control characters has
/// them found at once, so that [`Lab::unsafe_lines`] names their lines too.
#[derive(Clone, Default)]
pub struct NotePoints {
    found: std::sync::OnceLock<Vec<NotePoint>>,
    from: Option<std::sync::Arc<PointSource>>,
}

/// What [`crate::notepoint::find`] reads of a lab, owned (see [`NotePoints`]).
struct PointSource {
    /// The text as the parser read it (its spans).
    text: std::sync::Arc<str>,
    steps: Vec<(String, Range<usize>, Option<usize>)>,
    memo_entries: Vec<(String, Range<usize>)>,
    /// Code blocks and memo blocks, then the placeholders' spans, then the title: where a
    /// `메모` is no instruction.
    skip: Vec<Range<usize>>,
    placeholders: Placeholders,
    title: Option<Range<usize>>,
}

impl PointSource {
    fn find(&self) -> Vec<NotePoint> {
        let outline = notepoint::Outline {
            steps: self
                .steps
                .iter()
                .map(|(title, span, parent)| notepoint::OutlineStep {
                    title,
                    span: span.clone(),
                    parent: *parent,
                })
                .collect(),
            memo_entries: self
                .memo_entries
                .iter()
                .map(|(k, r)| (k.as_str(), r.clone()))
                .collect(),
            skip: self
                .skip
                .iter()
                .cloned()
                .chain(self.placeholders.iter().map(|p| p.span.clone()))
                .chain(self.title.clone())
                .collect(),
        };
        notepoint::find(&self.text, &outline)
    }
}

impl NotePoints {
    fn all(&self) -> &[NotePoint] {
        self.found
            .get_or_init(|| self.from.as_ref().map(|s| s.find()).unwrap_or_default())
    }

    /// The note points, owned.
    pub fn into_vec(self) -> Vec<NotePoint> {
        self.all();
        self.found.into_inner().unwrap_or_default()
    }

    /// Found now, to be edited in place.
    fn found_mut(&mut self) -> &mut Vec<NotePoint> {
        self.all();
        self.found.get_mut().expect("found just now")
    }
}

impl std::ops::Deref for NotePoints {
    type Target = [NotePoint];
    fn deref(&self) -> &[NotePoint] {
        self.all()
    }
}

impl<'a> IntoIterator for &'a NotePoints {
    type Item = &'a NotePoint;
    type IntoIter = std::slice::Iter<'a, NotePoint>;
    fn into_iter(self) -> Self::IntoIter {
        self.all().iter()
    }
}

impl std::fmt::Debug for NotePoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.all()).finish()
    }
}

/// The placeholders of a lab (see [`find_placeholders`]), found the first time they are read
/// (a slice through `Deref`), as [`NotePoints`] are: listing labs never pays for them. The
/// parser keeps where code, tables, headings, memo blocks and steps are, so they are the same
/// whenever they are found; a lab holding control characters has them found at once, so that
/// [`Lab::unsafe_lines`] names their lines too. Clones share what was found.
#[derive(Clone, Default)]
pub struct Placeholders {
    found: std::sync::Arc<std::sync::OnceLock<Vec<Placeholder>>>,
    from: Option<std::sync::Arc<PlaceholderSource>>,
}

/// What [`find_placeholders`] reads of a lab, owned (see [`Placeholders`]).
struct PlaceholderSource {
    /// The text as the parser read it (its spans).
    text: std::sync::Arc<str>,
    code: Vec<Range<usize>>,
    inline: Vec<Range<usize>>,
    tables: Vec<Range<usize>>,
    headings: Vec<Range<usize>>,
    memo_blocks: Vec<Range<usize>>,
    /// Where each step starts, in document order.
    step_starts: Vec<usize>,
}

impl PlaceholderSource {
    fn find(&self) -> Vec<Placeholder> {
        let mut found = find_placeholders(&self.text, &self.code, &self.inline, &self.tables);
        // The placeholders come in document order: each list is walked once.
        let (mut memo, mut headings) = (Walk::of(&self.memo_blocks), Walk::of(&self.headings));
        let mut steps = 0;
        for p in &mut found {
            let at = p.span.start;
            if memo.holds(at) {
                p.context = PlaceholderContext::Memo;
            } else if headings.holds(at) {
                p.context = PlaceholderContext::Heading;
            }
            // The last step starting before it holds it.
            while self.step_starts.get(steps).is_some_and(|&s| s <= at) {
                steps += 1;
            }
            p.step = steps.checked_sub(1);
        }
        found
    }
}

impl Placeholders {
    fn all(&self) -> &[Placeholder] {
        self.found
            .get_or_init(|| self.from.as_ref().map(|s| s.find()).unwrap_or_default())
    }
}

impl std::ops::Deref for Placeholders {
    type Target = [Placeholder];
    fn deref(&self) -> &[Placeholder] {
        self.all()
    }
}

impl<'a> IntoIterator for &'a Placeholders {
    type Item = &'a Placeholder;
    type IntoIter = std::slice::Iter<'a, Placeholder>;
    fn into_iter(self) -> Self::IntoIter {
        self.all().iter()
    }
}

impl std::fmt::Debug for Placeholders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.all()).finish()
    }
}

/// Which text of a lab a [`Lab`] was parsed from: a hash of the file's text. Two snapshots
/// with the same version have the same spans, so an edit computed on one applies to the
/// other; an edit that names the version it was made for can be refused when the file
/// moved on (see `labnote::labfile::rewrite_from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version(u64);

impl Version {
    /// The version of a lab file's text (or bytes).
    pub fn of(bytes: &[u8]) -> Version {
        Version(xxhash_rust::xxh3::xxh3_64(bytes))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// A step node: a heading of level 2 or deeper outside code.
#[derive(Debug, Clone)]
pub struct Step {
    /// Unique within the lab. See [`assign_ids`] for the scheme.
    pub id: String,
    /// The number as written, without a trailing dot: `1`, `2-3`, `3-1-1`.
    pub number: Option<String>,
    /// The marker before the number (`✔`, `🔴`, …), if any.
    pub marker: Option<String>,
    /// Heading text without marker and number; inline markup removed, code-span text kept.
    pub title: String,
    /// 1 for `##`, 2 for `###`, …
    pub depth: u8,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Leaves are checkable; sections are done when all their leaves are.
    pub checkable: bool,
    /// The heading itself.
    pub span: Range<usize>,
    /// From the end of the heading to the next heading (of any level) or the end of file.
    pub body_span: Range<usize>,
    /// From the heading to the next heading of the same or a shallower depth.
    pub section_span: Range<usize>,
    pub code_blocks: Vec<CodeBlock>,
    pub images: Vec<Image>,
    pub details: Vec<Details>,
    pub inputs: Vec<InputRow>,
    /// Hash of the heading text and body (line endings normalised): a recorded step whose
    /// fingerprint changed was edited since it was recorded.
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string's first word (`bash`, `yaml`), `None` for a bare fence.
    pub lang: Option<String>,
    /// The code as written (line endings as in the file).
    pub text: String,
    pub span: Range<usize>,
    /// False when the fence is left open at the end of the file.
    pub closed: bool,
    /// Indented (not fenced) code.
    pub indented: bool,
}

impl CodeBlock {
    /// A closed fenced block at no position (for the tests of the modules that judge blocks,
    /// in this crate and in `labnote`).
    pub fn fenced(lang: Option<&str>, text: &str) -> CodeBlock {
        CodeBlock {
            lang: lang.map(str::to_string),
            text: text.to_string(),
            span: 0..0,
            closed: true,
            indented: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub span: Range<usize>,
}

/// A link or an image: its destination as written (not trimmed) and the element's span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub image: bool,
    pub dest: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub summary: String,
    pub span: Range<usize>,
}

/// One row of an input table (`> | ➕ 항목 | 내용 | 액션 |`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRow {
    pub field: String,
    pub value: String,
    /// Further cells (the `액션` column).
    pub rest: Vec<String>,
    pub span: Range<usize>,
}

/// Emphasis around a memo key: `_<< key>>_` or `**<< key>>**`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Emphasis {
    Italic,
    Bold,
    Plain,
}

impl Emphasis {
    pub fn marks(self) -> &'static str {
        match self {
            Emphasis::Italic => "_",
            Emphasis::Bold => "**",
            Emphasis::Plain => "",
        }
    }
}

/// `> **📌 [실습 중 메모사항]**` and its entries.
#[derive(Debug, Clone)]
pub struct MemoBlock {
    /// The bracketed name, e.g. `실습 중 메모사항`.
    pub name: String,
    /// From the heading line's start to the end of the block's last `>` line (with its line
    /// ending).
    pub span: Range<usize>,
    pub heading_span: Range<usize>,
    pub entries: Vec<MemoEntry>,
}

/// One `➕ _<< key>>_ : value` line.
#[derive(Debug, Clone)]
pub struct MemoEntry {
    /// The key with the spaces inside `<< >>` trimmed.
    pub key: String,
    pub emphasis: Emphasis,
    /// The whole line without its line ending.
    pub line_span: Range<usize>,
    /// Just after the `:`, up to (not including) the trailing whitespace of the line. Empty
    /// value → an empty range at the colon.
    pub value_span: Range<usize>,
    /// The value text, trimmed (empty when not noted yet).
    pub value: String,
    /// False for an entry written without its `:` yet (`value_span` is then at the line's
    /// end, and a value is written as ` : value`).
    pub has_colon: bool,
}

/// Where a placeholder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceholderContext {
    Prose,
    InlineCode,
    CodeBlock,
    Table,
    Memo,
    Heading,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The name with surrounding spaces trimmed.
    pub name: String,
    /// `<<…>>` inclusive.
    pub span: Range<usize>,
    pub context: PlaceholderContext,
    /// Index of the step whose body holds it.
    pub step: Option<usize>,
}

/// Why a file is not a lab.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("not valid UTF-8 at byte {offset} (line {line}); save the file as UTF-8")]
    InvalidUtf8 { offset: usize, line: usize },
}

/// Parse a lab. `stem` names the lab when its title has no `N일차 - Lab M.` part.
pub fn parse(bytes: &[u8], stem: &str) -> Result<Lab, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        ParseError::InvalidUtf8 { offset, line }
    })?;
    Ok(parse_str(text, stem))
}

/// Parse only what listing needs: title and step tree without bodies, memo and placeholders.
/// Same result for those fields as [`parse`].
pub fn parse_str(text: &str, stem: &str) -> Lab {
    let original = text;
    let view = parser_view(text);
    let text: &str = &view;
    let line_ending = detect_line_ending(text);
    let mut b = Builder::default();
    b.walk(text);

    let (heading, title_span) = match b.h1 {
        Some((t, s)) => (Some(t), Some(s)),
        None => (None, None),
    };
    let (id, title, day, lab) = match &heading {
        Some(h) => match split_lab_title(h) {
            Some((d, l, rest)) => (format!("{d}-{l}"), rest, Some(d), Some(l)),
            None => (stem.to_string(), h.clone(), None, None),
        },
        None => (stem.to_string(), stem.to_string(), None, None),
    };

    let mut steps = b.steps;
    finish_steps(&mut steps, text);
    // A course keeps every lab's model while a command runs: no spare capacity is kept
    // (a step's lists hold one or two items where growing gave room for four; a course of
    // 2,000 labs kept ~30 MB of such room, each page of it faulted in once).
    steps.shrink_to_fit();
    for s in &mut steps {
        s.children.shrink_to_fit();
        s.code_blocks.shrink_to_fit();
        s.images.shrink_to_fit();
        s.details.shrink_to_fit();
        s.inputs.shrink_to_fit();
    }
    b.links.shrink_to_fit();
    b.heading_texts.shrink_to_fit();
    let memo_blocks = find_memo_blocks(text, &b.code_ranges);
    let source: std::sync::Arc<str> = source_text(original).into();
    // The text the parser read, as the spans index it (the source unless a CR-only file).
    let read: std::sync::Arc<str> = if *source == *text {
        source.clone()
    } else {
        text.into()
    };
    let placeholder_source = PlaceholderSource {
        text: read.clone(),
        code: b.code_ranges,
        inline: b.inline_code,
        tables: b.table_ranges,
        headings: b.heading_ranges,
        memo_blocks: memo_blocks.iter().map(|m| m.span.clone()).collect(),
        step_starts: steps.iter().map(|s| s.span.start).collect(),
    };
    // A lab with characters to show has its placeholders' names shown visibly now (and their
    // lines in `unsafe_lines`); any other lab's are found when read.
    let needs_showing = crate::textsafe::needs_showing(text);
    let mut placeholder_lines: Vec<usize> = Vec::new();
    let placeholders = if needs_showing {
        let mut found = placeholder_source.find();
        for p in &mut found {
            if let std::borrow::Cow::Owned(v) = crate::textsafe::visible(&p.name) {
                p.name = v;
                placeholder_lines.push(p.span.start);
            }
        }
        Placeholders {
            found: std::sync::Arc::new(std::sync::OnceLock::from(found)),
            from: None,
        }
    } else {
        Placeholders {
            found: Default::default(),
            from: Some(std::sync::Arc::new(placeholder_source)),
        }
    };
    let goal = text.lines().take(20).find_map(|l| {
        let t = l.trim();
        t.strip_prefix('ⓘ').map(|rest| rest.trim().to_string())
    });
    let toc_end = b.toc_end;
    let (links, heading_texts) = (b.links, b.heading_texts);

    let mut parsed = Lab {
        source: source.clone(),
        version: Version::of(original.as_bytes()),
        id,
        title,
        heading,
        day,
        lab,
        title_span,
        goal,
        steps,
        memo_blocks,
        placeholders,
        line_ending,
        toc_end,
        note_points: NotePoints::default(),
        unsafe_lines: Vec::new(),
        links,
        heading_texts,
    };
    parsed.note_points.from = Some(std::sync::Arc::new(point_source(&parsed, read)));
    make_names_visible(&mut parsed, text, needs_showing, placeholder_lines);
    parsed
}

/// What the note point finder reads of a lab: its steps, memo entries and the spans where a
/// `메모` is no instruction.
fn point_source(lab: &Lab, text: std::sync::Arc<str>) -> PointSource {
    let mut skip: Vec<Range<usize>> = Vec::new();
    for s in &lab.steps {
        skip.extend(s.code_blocks.iter().map(|c| c.span.clone()));
    }
    skip.extend(lab.memo_blocks.iter().map(|b| b.span.clone()));
    PointSource {
        text,
        steps: lab
            .steps
            .iter()
            .map(|s| (s.title.clone(), s.span.clone(), s.parent))
            .collect(),
        memo_entries: lab
            .memo_entries()
            .map(|e| (e.key.clone(), e.line_span.clone()))
            .collect(),
        skip,
        placeholders: lab.placeholders.clone(),
        title: lab.title_span.clone(),
    }
}

/// Show the control characters of every name the lab gives visibly, once here, so that no
/// command that prints a title, a key or a placeholder can send a lab's escape sequence to
/// the terminal (see [`crate::textsafe`]). Spans and memo values are left as they are: the
/// memo writer splices into the original bytes. Records the lines it changed, with those of
/// the placeholders (shown when found: `placeholders_at`). `needs_showing`: whether `text`
/// holds a character to show.
fn make_names_visible(lab: &mut Lab, text: &str, needs_showing: bool, placeholders_at: Vec<usize>) {
    let mut at: Vec<usize> = placeholders_at;
    let mut fix = |s: &mut String, pos: usize| {
        if let std::borrow::Cow::Owned(v) = crate::textsafe::visible(s) {
            *s = v;
            at.push(pos);
        }
    };
    let title_at = lab.title_span.as_ref().map_or(0, |r| r.start);
    fix(&mut lab.title, title_at);
    if let Some(h) = lab.heading.as_mut() {
        fix(h, title_at);
    }
    if let Some(g) = lab.goal.as_mut() {
        fix(g, text.find('ⓘ').unwrap_or(0));
    }
    for s in &mut lab.steps {
        fix(&mut s.title, s.span.start);
        if let Some(m) = s.marker.as_mut() {
            fix(m, s.span.start);
        }
    }
    for b in &mut lab.memo_blocks {
        fix(&mut b.name, b.heading_span.start);
        for e in &mut b.entries {
            fix(&mut e.key, e.line_span.start);
        }
    }
    // A note point's text and names come from the lab's text: when it holds no character to
    // show, neither do they, and they are found only when read.
    let points = if !needs_showing {
        &mut [][..]
    } else {
        lab.note_points.found_mut().as_mut_slice()
    };
    for n in points {
        fix(&mut n.text, n.span.start);
        for name in &mut n.names {
            fix(name, n.span.start);
        }
    }
    let bytes = text.as_bytes();
    let mut lines: Vec<usize> = at
        .into_iter()
        .map(|pos| memchr::memchr_iter(b'\n', &bytes[..pos.min(bytes.len())]).count() + 1)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lab.unsafe_lines = lines;
}

/// The text a lab's spans index, for slicing by callers: `text` itself, or with LF for CR
/// in a CR-only file (same length), so a step's body prints as lines.
/// The 1-based line of byte offset `pos` in `text` (the line after the last one when `pos`
/// is past the end).
pub(crate) fn line_at(text: &str, pos: usize) -> usize {
    text.get(..pos).map_or(0, |t| t.matches('\n').count()) + 1
}

pub fn source_text(text: &str) -> std::borrow::Cow<'_, str> {
    if is_cr_only(text) {
        std::borrow::Cow::Owned(text.replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A text whose lines all end in a lone CR (classic Mac editors): no LF at all.
pub fn is_cr_only(text: &str) -> bool {
    !text.contains('\n') && text.contains('\r')
}

/// The text as the parser reads it, of exactly the same length as `text` so that every span
/// indexes both: a UTF-8 byte order mark (Windows editors add one) reads as three spaces
/// (an H1 may be indented by three), and a CR-only file reads with LF line endings (its
/// [`Lab::line_ending`] is then LF; `labfile` writes such a lab back with CR).
fn parser_view(text: &str) -> std::borrow::Cow<'_, str> {
    let bom = text.starts_with('\u{feff}');
    if !bom && !is_cr_only(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut view = match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text.to_string(),
    };
    if is_cr_only(&view) {
        view = view.replace('\r', "\n");
    }
    std::borrow::Cow::Owned(view)
}

/// The file's line ending: the one most of its lines use (a lab edited on two systems can
/// mix them; new lines follow the majority).
fn detect_line_ending(text: &str) -> LineEnding {
    let b = text.as_bytes();
    let (mut lf, mut crlf) = (0usize, 0usize);
    for i in memchr::memchr_iter(b'\n', b) {
        if i > 0 && b[i - 1] == b'\r' {
            crlf += 1;
        } else {
            lf += 1;
        }
    }
    if crlf > lf {
        LineEnding::CrLf
    } else {
        LineEnding::Lf
    }
}

/// `2일차 - Lab 4. AWS 액세스 키 발급하기` → (2, 4, "AWS 액세스 키 발급하기").
fn split_lab_title(h: &str) -> Option<(u32, u32, String)> {
    let h = h.trim();
    let digits = h.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let day: u32 = h[..digits].parse().ok()?;
    let rest = h[digits..].trim_start().strip_prefix("일차")?.trim_start();
    let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    let rest = rest
        .strip_prefix("Lab")
        .or_else(|| rest.strip_prefix("lab"))
        .or_else(|| rest.strip_prefix("LAB"))?
        .trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let lab: u32 = rest[..digits].parse().ok()?;
    let rest = rest[digits..].strip_prefix('.').unwrap_or(&rest[digits..]);
    Some((day, lab, rest.trim().to_string()))
}

#[derive(Default)]
struct Builder {
    h1: Option<(String, Range<usize>)>,
    steps: Vec<Step>,
    code_ranges: Vec<Range<usize>>,
    inline_code: Vec<Range<usize>>,
    table_ranges: Vec<Range<usize>>,
    heading_ranges: Vec<Range<usize>>,
    toc_end: Option<usize>,
    links: Vec<LinkRef>,
    heading_texts: Vec<String>,
}

/// The elements [`Builder::walk`] is inside of while pulldown-cmark's events stream past:
/// an element's text arrives between its start and end events, so it is collected here and
/// handed to the builder when the element ends.
#[derive(Default)]
struct Open {
    /// Heading being collected: (level, start, text).
    heading: Option<(HeadingLevel, usize, String)>,
    /// The same heading's text and inline code, all of it (an image's alt text too).
    heading_text: Option<String>,
    /// Code block being collected: (language, indented, start, text).
    code: Option<(Option<String>, bool, usize, String)>,
    /// Image being collected: (src, start, alt text).
    image: Option<(String, usize, String)>,
    details_start: Option<(usize, String)>,
    /// Table row being collected: (start, cells).
    row: Option<(usize, Vec<String>)>,
    cell: Option<String>,
    in_table_head: bool,
    list_depth: usize,
    list_has_anchor: bool,
    rules_after_title: usize,
}

impl Open {
    /// Text goes to the innermost element that collects it.
    fn push_text(&mut self, t: &str) {
        if let Some((_, _, _, c)) = self.code.as_mut() {
            c.push_str(t);
        } else if let Some((_, _, a)) = self.image.as_mut() {
            a.push_str(t);
        } else {
            self.push_code(t);
        }
    }

    /// Inline code counts in a heading's or a cell's text (not in an image's alt).
    fn push_code(&mut self, t: &str) {
        if let Some((_, _, h)) = self.heading.as_mut() {
            h.push_str(t);
        } else if let Some(c) = self.cell.as_mut() {
            c.push_str(t);
        }
    }
}

impl Builder {
    /// One pass over the lab's events: each start or end of an element goes to the handler
    /// of its kind, so the model's spans all come from the same parse.
    fn walk(&mut self, text: &str) {
        let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
        let mut open = Open::default();
        for (ev, range) in parser {
            match ev {
                Event::Start(tag) => self.on_start(tag, range, &mut open),
                Event::End(tag) => self.on_end(text, tag, range, &mut open),
                Event::Rule if self.h1.is_some() && self.steps.is_empty() => {
                    open.rules_after_title += 1;
                    if open.rules_after_title == 2 {
                        // The rule that closes the table of contents.
                        self.toc_end = Some(range.end);
                    }
                }
                Event::Text(t) => {
                    if let Some(h) = open.heading_text.as_mut() {
                        h.push_str(&t);
                    }
                    open.push_text(&t);
                }
                Event::Code(t) => {
                    if let Some(h) = open.heading_text.as_mut() {
                        h.push_str(&t);
                    }
                    self.inline_code.push(range);
                    open.push_code(&t);
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some((_, _, h)) = open.heading.as_mut() {
                        h.push(' ');
                    }
                }
                Event::Html(h) | Event::InlineHtml(h) => {
                    self.on_html(text, &h, range, &mut open.details_start);
                }
                _ => {}
            }
        }
    }

    /// An element starts: open what collects its text, note the spans that only need the
    /// start (tables, headings).
    fn on_start(&mut self, tag: Tag<'_>, range: Range<usize>, open: &mut Open) {
        if let Tag::Image { dest_url, .. } | Tag::Link { dest_url, .. } = &tag {
            self.links.push(LinkRef {
                image: matches!(tag, Tag::Image { .. }),
                dest: dest_url.to_string(),
                span: range.clone(),
            });
        }
        match tag {
            Tag::Heading { level, .. } => {
                open.heading = Some((level, range.start, String::new()));
                open.heading_text = Some(String::new());
                self.heading_ranges.push(range);
            }
            Tag::CodeBlock(kind) => {
                let (lang, indented) = match kind {
                    CodeBlockKind::Fenced(info) => {
                        let w = info.split_whitespace().next().map(|s| s.to_string());
                        (w.filter(|s| !s.is_empty()), false)
                    }
                    CodeBlockKind::Indented => (None, true),
                };
                open.code = Some((lang, indented, range.start, String::new()));
            }
            Tag::Image { dest_url, .. } => {
                open.image = Some((dest_url.to_string(), range.start, String::new()));
            }
            Tag::Table(_) => self.table_ranges.push(range),
            Tag::TableHead => open.in_table_head = true,
            Tag::TableRow => open.row = Some((range.start, Vec::new())),
            Tag::TableCell if !open.in_table_head => open.cell = Some(String::new()),
            Tag::List(_) => {
                if open.list_depth == 0 {
                    open.list_has_anchor = false;
                }
                open.list_depth += 1;
            }
            // A list of `#anchor` links before the first step is a table of contents.
            Tag::Link { dest_url, .. } if dest_url.starts_with('#') && open.list_depth > 0 => {
                open.list_has_anchor = true;
            }
            _ => {}
        }
    }

    /// An element ends: hand what was collected to the builder.
    fn on_end(&mut self, text: &str, tag: TagEnd, range: Range<usize>, open: &mut Open) {
        match tag {
            TagEnd::Heading(_) => {
                self.heading_texts.extend(open.heading_text.take());
                if let Some((level, start, t)) = open.heading.take() {
                    self.on_heading(level, start..range.end, t.trim().to_string());
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, indented, start, t)) = open.code.take() {
                    let closed = indented || fence_closed(&text[start..range.end]);
                    self.code_ranges.push(start..range.end);
                    if let Some(s) = self.steps.last_mut() {
                        s.code_blocks.push(CodeBlock {
                            lang,
                            text: t,
                            span: start..range.end,
                            closed,
                            indented,
                        });
                    }
                }
            }
            TagEnd::Image => {
                if let (Some((src, start, alt)), Some(s)) =
                    (open.image.take(), self.steps.last_mut())
                {
                    s.images.push(Image {
                        src,
                        alt,
                        span: start..range.end,
                    });
                }
            }
            TagEnd::TableHead => open.in_table_head = false,
            TagEnd::TableRow => {
                if let Some((start, cells)) = open.row.take() {
                    self.on_row(start..range.end, cells);
                }
            }
            TagEnd::TableCell => {
                if let (Some(c), Some((_, cells))) = (open.cell.take(), open.row.as_mut()) {
                    cells.push(c.trim().to_string());
                }
            }
            TagEnd::List(_) => {
                open.list_depth = open.list_depth.saturating_sub(1);
                if open.list_depth == 0
                    && open.list_has_anchor
                    && self.steps.is_empty()
                    && self.toc_end.is_none()
                {
                    self.toc_end = Some(range.end);
                }
            }
            _ => {}
        }
    }

    fn on_heading(&mut self, level: HeadingLevel, span: Range<usize>, text: String) {
        let depth = match level {
            HeadingLevel::H1 => {
                if self.h1.is_none() {
                    self.h1 = Some((text, span));
                }
                return;
            }
            HeadingLevel::H2 => 1,
            HeadingLevel::H3 => 2,
            HeadingLevel::H4 => 3,
            HeadingLevel::H5 => 4,
            HeadingLevel::H6 => 5,
        };
        let (marker, number, title) = split_heading(&text);
        self.steps.push(Step {
            id: String::new(),
            number,
            marker,
            title,
            depth,
            parent: None,
            children: Vec::new(),
            checkable: true,
            span: span.clone(),
            body_span: span.end..span.end,
            section_span: span.clone(),
            code_blocks: Vec::new(),
            images: Vec::new(),
            details: Vec::new(),
            inputs: Vec::new(),
            fingerprint: String::new(),
        });
    }

    fn on_row(&mut self, span: Range<usize>, cells: Vec<String>) {
        let Some(step) = self.steps.last_mut() else {
            return;
        };
        let mut it = cells.into_iter();
        let Some(first) = it.next() else { return };
        let field = first.trim_start_matches('➕').trim().to_string();
        let value = it.next().unwrap_or_default();
        step.inputs.push(InputRow {
            field,
            value,
            rest: it.collect(),
            span,
        });
    }

    fn on_html(
        &mut self,
        text: &str,
        h: &str,
        range: Range<usize>,
        details_start: &mut Option<(usize, String)>,
    ) {
        // The span runs from `<details` to just after `</details>`: pulldown-cmark gives an
        // HTML line with its `\n` in LF files but without its `\r\n` in CRLF files, so the
        // event's range alone would make the span depend on the line ending.
        let raw = text.get(range.clone()).unwrap_or("");
        // Most HTML of a lab is no `<details>`/`<summary>`: one scan for the tags' common
        // start decides (a two-way searcher built per call cost more than the rest).
        if memchr::memmem::find(raw.as_bytes(), b"</details>").is_none()
            && memchr::memmem::find(h.as_bytes(), b"<details").is_none()
            && memchr::memmem::find(h.as_bytes(), b"<summary").is_none()
        {
            return;
        }
        if let Some(i) = h.find("<details") {
            let summary = extract_summary(&h[i..]).unwrap_or_default();
            let start = range.start + raw.find("<details").unwrap_or(0);
            *details_start = Some((start, summary));
        } else if let Some(summary) = extract_summary(h) {
            if let Some((_, s)) = details_start.as_mut() {
                if s.is_empty() {
                    *s = summary;
                }
            }
        }
        // Close only at a `</details>` after the opening tag: in `</details><details>` the
        // close belongs to an earlier block.
        if let Some((start, _)) = details_start.as_ref() {
            let from = start.saturating_sub(range.start);
            if let Some(k) = raw.get(from..).and_then(|r| r.find("</details>")) {
                let end = range.start + from + k + "</details>".len();
                if let Some((start, summary)) = details_start.take() {
                    if let Some(step) = self.steps.last_mut() {
                        step.details.push(Details {
                            summary,
                            span: start..end,
                        });
                    }
                }
            }
        }
    }
}

/// The text of `<summary>…</summary>` in a piece of HTML, tags removed.
fn extract_summary(h: &str) -> Option<String> {
    let start = h.find("<summary")?;
    let after = &h[start..];
    let gt = after.find('>')?;
    let inner = &after[gt + 1..];
    let end = inner.find("</summary>").unwrap_or(inner.len());
    let s = strip_tags(&inner[..end]);
    Some(s.trim().to_string())
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn fence_closed(raw: &str) -> bool {
    let raw = raw.trim_end_matches(['\n', '\r']);
    let first = raw.trim_start();
    let fence_char = match first.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return true,
    };
    let open_len = first.chars().take_while(|&c| c == fence_char).count();
    if !raw.contains('\n') {
        return false;
    }
    let last = raw.rsplit('\n').next().unwrap_or("").trim();
    let n = last.chars().take_while(|&c| c == fence_char).count();
    n >= open_len && last[n..].trim().is_empty() && !last.is_empty()
}

/// Split a heading text into marker, number and title.
///
/// `✔ 2-2. \`Create environment\`` → (`✔`, `2-2`, `Create environment`);
/// `2.Pipeline 생성` → (None, `2`, `Pipeline 생성`); `설명` → (None, None, `설명`).
pub(crate) fn split_heading(text: &str) -> (Option<String>, Option<String>, String) {
    let text = text.trim();
    // Marker: leading symbols that are neither letters nor digits nor ASCII.
    let mut marker_end = 0;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric()) {
            marker_end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let marker = text[..marker_end].trim();
    let marker = (!marker.is_empty()).then(|| marker.to_string());
    let rest = &text[marker_end..];
    match split_number(rest) {
        Some((num, title)) => (marker, Some(num), title.trim().to_string()),
        None => (marker, None, rest.trim().to_string()),
    }
}

/// `3-1-1. title` → ("3-1-1", "title"). A number is digit groups joined by `-`, each at most
/// three digits, followed by `.`, whitespace or the end.
fn split_number(s: &str) -> Option<(String, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let len = i - start;
        if len == 0 || len > 3 {
            return None;
        }
        if i + 1 < b.len() && b[i] == b'-' && b[i + 1].is_ascii_digit() {
            i += 1;
            continue;
        }
        break;
    }
    let num = s[..i].to_string();
    let rest = &s[i..];
    if let Some(r) = rest.strip_prefix('.') {
        // `1.5GB` is not a number: a dot followed by a digit.
        if r.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        return Some((num, r));
    }
    if rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(')') {
        let r = rest.strip_prefix(')').unwrap_or(rest);
        return Some((num, r));
    }
    None
}

/// Link the tree, compute spans, ids, checkability and fingerprints.
fn finish_steps(steps: &mut [Step], text: &str) {
    let n = steps.len();
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..n {
        while let Some(&top) = stack.last() {
            if steps[top].depth >= steps[i].depth {
                stack.pop();
            } else {
                break;
            }
        }
        steps[i].parent = stack.last().copied();
        if let Some(p) = steps[i].parent {
            steps[p].children.push(i);
        }
        stack.push(i);
    }
    for i in 0..n {
        let body_end = if i + 1 < n {
            steps[i + 1].span.start
        } else {
            text.len()
        };
        steps[i].body_span = steps[i].span.end..body_end;
        let section_end = steps[i + 1..]
            .iter()
            .find(|s| s.depth <= steps[i].depth)
            .map_or(text.len(), |s| s.span.start);
        steps[i].section_span = steps[i].span.start..section_end;
        steps[i].checkable = steps[i].children.is_empty();
        steps[i].fingerprint = fingerprint(
            &text[steps[i].span.clone()],
            &text[steps[i].body_span.clone()],
        );
    }
    assign_ids(steps);
}

/// Step ids: the number as written (`2-2`); a heading without a number gets a slug of its
/// title (`namespace-삭제`, `step` when empty). A repeated id gets `.N` for its N-th
/// occurrence: the second `2-2` is `2-2.2`, so both stay addressable and a record of one can
/// never match its twin.
fn assign_ids(steps: &mut [Step]) {
    for s in steps.iter_mut() {
        s.id = match &s.number {
            Some(n) => n.clone(),
            None => slug(&s.title),
        };
    }
    // Most labs number every step once: then the ids are the numbers, nothing to count.
    let mut sorted: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    sorted.sort_unstable();
    if sorted.windows(2).all(|w| w[0] != w[1]) {
        return;
    }
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for s in steps.iter_mut() {
        let base = match &s.number {
            Some(n) => n.clone(),
            None => slug(&s.title),
        };
        let count = seen.entry(base.clone()).or_insert(0);
        *count += 1;
        s.id = if *count == 1 {
            base
        } else {
            format!("{base}.{count}")
        };
    }
    // A generated `x.2` could equal a literal id elsewhere; make every id unique regardless.
    let mut all: std::collections::HashSet<String> = std::collections::HashSet::new();
    for s in steps.iter_mut() {
        let mut id = s.id.clone();
        let mut k = 2;
        while !all.insert(id.clone()) {
            id = format!("{}~{k}", s.id);
            k += 1;
        }
        s.id = id;
    }
}

fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !out.is_empty() && !dash {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() || out.as_bytes()[0].is_ascii_digit() {
        out.insert_str(0, "step-");
        if out.ends_with('-') {
            out.pop();
        }
    }
    out
}

/// XXH3-64 of the heading and body with CRLF read as LF: stable across versions and
/// platforms (it is stored in journals), and fast enough for thousands of labs.
fn fingerprint(heading: &str, body: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [heading, "\n", body] {
        let bytes = part.as_bytes();
        let mut from = 0;
        for at in memchr::memmem::find_iter(bytes, b"\r\n") {
            h.update(&bytes[from..at]);
            from = at + 1; // keep the `\n`
        }
        h.update(&bytes[from..]);
    }
    format!("{:016x}", h.digest())
}

/// Iterate lines with their byte ranges (without the line ending) and the end including it.
fn lines_with_spans(text: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let nl = text[start..].find('\n').map(|i| start + i);
        let (content_end, next) = match nl {
            Some(i) => {
                let ce = if i > start && text.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                (ce, i + 1)
            }
            None => (text.len(), text.len()),
        };
        pos = next;
        Some((start..content_end, next))
    })
}

/// Find `> **📌 [name]**` blocks and their entries. `code` holds the spans of code blocks
/// (sorted): a memo heading inside code is text, not a block. Only the lines around each
/// `📌` are looked at, so a long lab costs one memchr pass.
fn find_memo_blocks(text: &str, code: &[Range<usize>]) -> Vec<MemoBlock> {
    let mut blocks: Vec<MemoBlock> = Vec::new();
    for pos in memchr::memmem::find_iter(text.as_bytes(), "📌".as_bytes()) {
        if blocks.last().is_some_and(|b| b.span.contains(&pos)) || in_sorted(code, pos) {
            continue;
        }
        let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let mut lines = lines_with_spans(&text[start..])
            .map(|(r, next)| (r.start + start..r.end + start, next + start));
        let Some((line, next)) = lines.next() else {
            continue;
        };
        let Some(name) = memo_heading_name(text[line.clone()].trim_start()) else {
            continue;
        };
        let mut block = MemoBlock {
            name,
            span: line.start..next,
            heading_span: line,
            entries: Vec::new(),
        };
        for (line, next) in lines {
            if !text[line.clone()].trim_start().starts_with('>') {
                break;
            }
            block.span.end = next;
            if let Some(e) = parse_memo_entry(text, line) {
                block.entries.push(e);
            }
        }
        blocks.push(block);
    }
    blocks
}

/// `> **📌 [실습 중 메모사항]**` → `실습 중 메모사항`.
fn memo_heading_name(trimmed: &str) -> Option<String> {
    let rest = trimmed.strip_prefix('>')?.trim();
    let inner = rest.strip_prefix("**")?.strip_suffix("**")?.trim();
    let inner = inner.strip_prefix('📌')?.trim();
    let name = inner.strip_prefix('[')?.strip_suffix(']')?;
    Some(name.trim().to_string())
}

/// `>  ➕ _<< AWS Secret Access key>>_ : value  ` → entry.
fn parse_memo_entry(text: &str, line: Range<usize>) -> Option<MemoEntry> {
    let l = &text[line.clone()];
    let gt = l.find('>')?;
    let after = &l[gt + 1..];
    let plus_rel = after.find('➕')?;
    if !after[..plus_rel].trim().is_empty() {
        return None;
    }
    let mut pos = gt + 1 + plus_rel + '➕'.len_utf8();
    let rest = &l[pos..];
    let ws = rest.len() - rest.trim_start().len();
    pos += ws;
    let rest = &l[pos..];
    let (emphasis, mark) = if rest.starts_with("**") {
        (Emphasis::Bold, "**")
    } else if rest.starts_with('_') {
        (Emphasis::Italic, "_")
    } else if rest.starts_with('*') {
        (Emphasis::Italic, "*")
    } else {
        (Emphasis::Plain, "")
    };
    let rest = &rest[mark.len()..];
    let inner = rest.strip_prefix("<<")?;
    let close = inner.find(">>")?;
    let key = inner[..close].trim().to_string();
    if key.is_empty() {
        return None;
    }
    let after_key = &inner[close + 2..];
    let after_key = after_key.strip_prefix(mark).unwrap_or(after_key);
    // Only emphasis marks (even mismatched ones) and spaces may stand before the colon.
    let is_markup = |s: &str| s.trim().trim_matches(['*', '_']).trim().is_empty();
    let Some(colon_rel) = after_key.find(':') else {
        // `➕ _<< key>>_` without a colon yet: an empty entry; a value is written after it
        // with the colon (see `memo::set`).
        if !is_markup(after_key) {
            return None;
        }
        let end = line.start + l.trim_end().len();
        return Some(MemoEntry {
            key,
            emphasis,
            line_span: line,
            value_span: end..end,
            value: String::new(),
            has_colon: false,
        });
    };
    if !is_markup(&after_key[..colon_rel]) {
        return None;
    }
    let colon_abs = line.end - after_key.len() + colon_rel;
    let value_raw = &text[colon_abs + 1..line.end];
    let value_trimmed_end = value_raw.trim_end();
    let value_span = if value_trimmed_end.trim().is_empty() {
        colon_abs + 1..colon_abs + 1
    } else {
        colon_abs + 1..colon_abs + 1 + value_trimmed_end.len()
    };
    Some(MemoEntry {
        key,
        emphasis,
        line_span: line,
        value: value_trimmed_end.trim().to_string(),
        value_span,
        has_colon: true,
    })
}

/// Every `<<name>>` of the lab, found by the one scanner ([`crate::placeholder::scan`]) with
/// the heredoc rules applied inside code blocks and inline code, and its context.
fn find_placeholders(
    text: &str,
    code: &[Range<usize>],
    inline: &[Range<usize>],
    tables: &[Range<usize>],
) -> Vec<Placeholder> {
    // Code blocks and inline code, each in document order, merged.
    let mut all_code: Vec<Range<usize>> = Vec::with_capacity(code.len() + inline.len());
    let (mut c, mut i) = (code.iter().peekable(), inline.iter().peekable());
    loop {
        let next = match (c.peek(), i.peek()) {
            (Some(a), Some(b)) if b.start < a.start => i.next(),
            (Some(_), _) => c.next(),
            (None, _) => i.next(),
        };
        let Some(r) = next else { break };
        all_code.push(r.clone());
    }
    // The placeholders come in document order: each list is walked once.
    let (mut code, mut tables, mut inline) = (Walk::of(code), Walk::of(tables), Walk::of(inline));
    crate::placeholder::scan(text, &all_code)
        .into_iter()
        .map(|f| {
            let at = f.span.start;
            let context = if code.holds(at) {
                PlaceholderContext::CodeBlock
            } else if tables.holds(at) {
                PlaceholderContext::Table
            } else if inline.holds(at) {
                PlaceholderContext::InlineCode
            } else {
                PlaceholderContext::Prose
            };
            Placeholder {
                name: f.name,
                span: f.span,
                context,
                step: None,
            }
        })
        .collect()
}

/// Whether `pos` lies in one of `ranges`, which are in document order and do not overlap
/// (code blocks, inline code spans, tables, headings): a binary search, so that finding the
/// context of every placeholder stays linear-logarithmic in big labs.
fn in_sorted(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= pos);
    i > 0 && ranges[i - 1].contains(&pos)
}

/// [`in_sorted`] asked of places in document order: the ranges passed are never read again.
struct Walk<'a> {
    ranges: &'a [Range<usize>],
    /// The ranges starting at or before the last place asked.
    started: usize,
}

impl<'a> Walk<'a> {
    fn of(ranges: &'a [Range<usize>]) -> Walk<'a> {
        Walk { ranges, started: 0 }
    }

    /// `in_sorted(ranges, pos)`, for `pos` not before the last asked.
    fn holds(&mut self, pos: usize) -> bool {
        while self
            .ranges
            .get(self.started)
            .is_some_and(|r| r.start <= pos)
        {
            self.started += 1;
        }
        self.started > 0 && self.ranges[self.started - 1].contains(&pos)
    }
}

impl Lab {
    /// The text this snapshot was parsed from, as its spans index it: the file's text (a
    /// CR-only file with LF). Slicing it with the snapshot's spans is always in bounds and
    /// always the text the spans were found in, unlike re-reading the file.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The version of the text this snapshot was parsed from.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The 1-based line of byte offset `pos` of [`Lab::source`] (what an error names).
    pub fn line_of(&self, pos: usize) -> usize {
        line_at(&self.source, pos)
    }

    /// Index of the step with this id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    /// Checkable leaves under (and including) step `i`.
    pub fn leaves_of(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(k) = stack.pop() {
            if self.steps[k].children.is_empty() {
                out.push(k);
            } else {
                stack.extend(self.steps[k].children.iter().rev());
            }
        }
        out.sort_unstable();
        out
    }

    /// Number of checkable steps.
    pub fn checkable_count(&self) -> usize {
        self.steps.iter().filter(|s| s.checkable).count()
    }

    /// All memo entries of all blocks.
    pub fn memo_entries(&self) -> impl Iterator<Item = &MemoEntry> {
        self.memo_blocks.iter().flat_map(|b| b.entries.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_answers_as_the_binary_search() {
        let ranges = [2..5, 5..6, 9..20, 20..21, 30..31];
        for step in 1..4 {
            let mut walk = Walk::of(&ranges);
            for pos in (0..40).step_by(step) {
                assert_eq!(walk.holds(pos), in_sorted(&ranges, pos), "{pos}");
                // Asked again at the same place: the same answer.
                assert_eq!(walk.holds(pos), in_sorted(&ranges, pos), "{pos}");
            }
        }
        assert!(!Walk::of(&[]).holds(3));
    }

    #[test]
    fn lab_title_parts() {
        assert_eq!(
            split_lab_title("2일차 - Lab 4. AWS 액세스 키 발급하기"),
            Some((2, 4, "AWS 액세스 키 발급하기".to_string()))
        );
        assert_eq!(split_lab_title("Introduction"), None);
        assert_eq!(
            split_lab_title("10일차 - Lab 12 Kubernetes"),
            Some((10, 12, "Kubernetes".into()))
        );
    }

    #[test]
    fn heading_variants() {
        let cases = [
            ("✔ 1. AWS 액세스 키", Some("✔"), Some("1"), "AWS 액세스 키"),
            ("🔴 2-3. Pipeline", Some("🔴"), Some("2-3"), "Pipeline"),
            ("3-3-1 kubectl 설치", None, Some("3-3-1"), "kubectl 설치"),
            ("2.Pipeline 생성", None, Some("2"), "Pipeline 생성"),
            ("✔ namespace 삭제", Some("✔"), None, "namespace 삭제"),
            ("설명", None, None, "설명"),
            (
                "✔ 2-2. Create environment",
                Some("✔"),
                Some("2-2"),
                "Create environment",
            ),
            ("1.5GB 설정", None, None, "1.5GB 설정"),
            ("✔️ 4.", Some("✔️"), Some("4"), ""),
        ];
        for (h, m, n, t) in cases {
            let (mm, nn, tt) = split_heading(h);
            assert_eq!(mm.as_deref(), m, "{h}");
            assert_eq!(nn.as_deref(), n, "{h}");
            assert_eq!(tt, t, "{h}");
        }
    }

    #[test]
    fn steps_tree_and_ids() {
        let md = "# 1일차 - Lab 2. 테스트\n\n## ✔ 1. 하나\n\n### ✔ 1-1. 가\n\n### ✔ 1-1. 나\n\n## 설명\n\n```bash\n## not a step\necho hi\n```\n";
        let lab = parse(md.as_bytes(), "x").unwrap();
        assert_eq!(lab.id, "1-2");
        let ids: Vec<_> = lab.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "1-1", "1-1.2", "설명"]);
        assert!(!lab.steps[0].checkable);
        assert!(lab.steps[1].checkable);
        assert_eq!(lab.steps[3].code_blocks.len(), 1);
        assert_eq!(lab.steps[3].code_blocks[0].lang.as_deref(), Some("bash"));
        assert!(lab.steps[3].code_blocks[0].closed);
    }

    #[test]
    fn memo_entries_both_styles_and_crlf() {
        let md = "# t\r\n\r\n> **📌 [실습 중 메모사항]**\r\n>\r\n> ➕ _<< AWS Access Key ID>>_ :  \r\n>  ➕ _<< AWS Secret Access key>>_ : abc\r\n\r\n## 1. x\r\n";
        let lab = parse(md.as_bytes(), "x").unwrap();
        assert_eq!(lab.line_ending, LineEnding::CrLf);
        let b = &lab.memo_blocks[0];
        assert_eq!(b.name, "실습 중 메모사항");
        assert_eq!(b.entries.len(), 2);
        assert_eq!(b.entries[0].key, "AWS Access Key ID");
        assert_eq!(b.entries[0].value, "");
        assert_eq!(b.entries[0].emphasis, Emphasis::Italic);
        assert_eq!(b.entries[1].value, "abc");
        assert_eq!(&md[b.entries[1].value_span.clone()], " abc");
        let bold = "> **📌 [메모사항]**\n>\n> ➕ **<< github_username>>** :  \n";
        let lab = parse(bold.as_bytes(), "x").unwrap();
        assert_eq!(lab.memo_blocks[0].entries[0].emphasis, Emphasis::Bold);
        assert_eq!(lab.memo_blocks[0].entries[0].key, "github_username");
        // Placeholders in the memo block are tagged as such.
        assert_eq!(lab.placeholders[0].context, PlaceholderContext::Memo);
    }

    #[test]
    fn placeholders_contexts() {
        let md = "## 1. a\n\n값 <<x>> 와 `<<y>>`\n\n| a | b |\n|---|---|\n| ➕ k | `network-<<id>>-<<YYMMDD>>` |\n\n```bash\ncat << EOF >> f\nssh <<생성된 IP>>\nEOF\n```\n";
        let lab = parse(md.as_bytes(), "x").unwrap();
        let got: Vec<_> = lab
            .placeholders
            .iter()
            .map(|p| (p.name.as_str(), p.context))
            .collect();
        assert_eq!(
            got,
            [
                ("x", PlaceholderContext::Prose),
                ("y", PlaceholderContext::InlineCode),
                ("id", PlaceholderContext::Table),
                ("YYMMDD", PlaceholderContext::Table),
                ("생성된 IP", PlaceholderContext::CodeBlock),
            ]
        );
        assert_eq!(lab.steps[0].inputs[0].field, "k");
        assert_eq!(lab.steps[0].inputs[0].value, "network-<<id>>-<<YYMMDD>>");
    }

    #[test]
    fn unclosed_fence_and_invalid_utf8() {
        let md = "## 1. a\n\n```bash\necho\n## inside\n";
        let lab = parse(md.as_bytes(), "x").unwrap();
        assert_eq!(lab.steps.len(), 1);
        assert!(!lab.steps[0].code_blocks[0].closed);
        let bad = b"# t\n\n## 1. a\xff\n";
        assert_eq!(
            parse(bad, "x").unwrap_err(),
            ParseError::InvalidUtf8 {
                offset: 12,
                line: 3
            }
        );
    }

    #[test]
    fn names_with_control_characters_are_shown_visibly_and_values_kept() {
        let osc = "\x1b]52;c;ZWNobyBQV05FRA==\x07";
        let md = format!(
            "# 1일차 - Lab 1. 제목{osc}\r\n\r\n> **📌 [실습 중 메모사항]**\r\n>\r\n> ➕ _<< 키{osc}>>_ : 값{osc}\r\n\r\n## ✔ 1. 단계{osc}\r\n\r\n값은 <<이름{osc}>> 입니다.\r\n\r\n서버{osc} IP를 메모합니다.\r\n"
        );
        let lab = parse(md.as_bytes(), "x").unwrap();
        let shown = "^[]52;c;ZWNobyBQV05FRA==^G";
        assert_eq!(lab.title, format!("제목{shown}"));
        assert_eq!(lab.steps[0].title, format!("단계{shown}"));
        let e = &lab.memo_blocks[0].entries[0];
        assert_eq!(e.key, format!("키{shown}"));
        // The value is the lab's bytes: the memo writer splices there.
        assert_eq!(e.value, format!("값{osc}"));
        assert_eq!(&md[e.value_span.clone()], format!(" 값{osc}"));
        assert!(lab
            .placeholders
            .iter()
            .any(|p| p.name == format!("이름{shown}")));
        assert!(lab.placeholders.iter().all(|p| !p.name.contains('\x1b')));
        for n in &lab.note_points {
            assert!(!n.text.contains('\x1b'), "{n:?}");
            assert!(n.names.iter().all(|x| !x.contains('\x1b')), "{n:?}");
        }
        assert!(lab.note_points.iter().any(|n| n.text.contains(shown)));
        assert_eq!(lab.unsafe_lines, [1, 5, 7, 9, 11]);
        // A lab without control characters has nothing to say.
        let clean = parse("# t\n\n## 1. a\r\n".as_bytes(), "x").unwrap();
        assert!(clean.unsafe_lines.is_empty());
    }

    /// Note points are found when first read, the same in every copy of the lab, and the
    /// same as the finder gives on the parsed outline (a BOM lab too: the parser's text).
    #[test]
    fn note_points_are_found_when_read_and_the_same_in_every_copy() {
        for md in [
            "# 1일차 - Lab 1. t\n\n## 1. 생성\n\n생성된 서버의 IP를 메모합니다.\n",
            "\u{feff}# 1일차 - Lab 1. t\n\n## 1. 생성\n\n생성된 서버의 IP를 메모합니다.\n",
        ] {
            let lab = parse(md.as_bytes(), "x").unwrap();
            let copy = lab.clone();
            assert!(
                lab.note_points.found.get().is_none(),
                "not found before read"
            );
            let a: Vec<_> = lab
                .note_points
                .iter()
                .map(|n| (n.span.clone(), n.names.clone()))
                .collect();
            let b: Vec<_> = copy
                .note_points
                .iter()
                .map(|n| (n.span.clone(), n.names.clone()))
                .collect();
            assert_eq!(a, b);
            assert_eq!(a.len(), 1, "{a:?}");
            assert_eq!(&md[a[0].0.clone()], "생성된 서버의 IP를 메모합니다.");
        }
    }

    #[test]
    fn details_and_images() {
        let md = "## 1. a\n\n<details>\n<summary> 😎 [참고] 삭제 방법 </summary>\n\n- x\n\n![](../images/117.png)\n\n</details>\n";
        let lab = parse(md.as_bytes(), "x").unwrap();
        let s = &lab.steps[0];
        assert_eq!(s.details.len(), 1);
        assert_eq!(s.details[0].summary, "😎 [참고] 삭제 방법");
        assert_eq!(s.images[0].src, "../images/117.png");
    }
}
