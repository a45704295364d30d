//! The view model of a lab: what a front end shows, decided once for every front end.
//!
//! Pure: the lab's text and its parse in, a list of [`Piece`]s out. The pieces are
//! pulldown-cmark's events of the lab, except where labnote knows more than markdown does:
//! a step heading knows its step, a `<<placeholder>>` knows its value and where it came from
//! (a secret stays masked unless the caller revealed it), an image knows the file it points
//! at and whether it exists, a code block knows its class — what `labnote run` does with it
//! ([`crate::blocks`]: run, example, not shell, alternative) —, a `<details>` is marked, the memo block is one piece, and a
//! table-of-contents link knows the step it means. The HTML renderer of `labnote serve`
//! (`labnote::web`) and the terminal renderer ([`crate::render`]) both consume these pieces, of
//! a whole lab ([`lab_view`]) or of a step or section ([`range_view`]).
//!
//! What is a placeholder is decided by the lab parser's scanner ([`crate::lab::Lab::placeholders`]):
//! a heredoc `<<EOF` is never one here because it is never one there.

use std::ops::Range;
use std::path::{Component, Path};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use secrecy::SecretString;

use crate::blocks::Class;
use crate::lab::Lab;

/// The value a placeholder shows.
pub enum FillValue {
    /// A value that is not secret (a memo value, or one labnote computes).
    Plain(String),
    /// A secret: `None` while masked, the value when the caller revealed it.
    Secret(Option<SecretString>),
    /// Not noted anywhere; `suggestion` is the closest memo key.
    Missing { suggestion: Option<String> },
}

/// One placeholder, resolved.
pub struct Fill {
    /// The name inside `<< >>`, trimmed.
    pub name: String,
    pub value: FillValue,
    /// Where the value came from, for people: `lab 2-4 · AWS Access Key ID`, `today`.
    pub source: Option<String>,
}

/// Resolves a placeholder name; the caller decides masking.
pub type Resolve<'a> = &'a dyn Fn(&str) -> Fill;

/// The file an image points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageFile {
    /// A file inside the allowed folder: its path relative to that folder (`/`
    /// separators) and whether it exists.
    Local { rel: String, exists: bool },
    /// A URL with a scheme (`https://…`): never fetched by labnote.
    Remote(String),
    /// A path that leaves the allowed folder, or is not an image type.
    Refused(String),
}

/// The words a front end puts on a code block: what `labnote run` does with it, for a block
/// of class `class` (`None`: outside every step, which `run` never sees). The terminal's
/// label and the web page's badge both say this, as `run --list` does.
pub fn class_label(class: Option<Class>) -> String {
    class_label_in(crate::i18n::lang(), class)
}

/// [`class_label`] in language `lang` (a web request's).
pub fn class_label_in(lang: crate::i18n::Lang, class: Option<Class>) -> String {
    match class {
        Some(Class::Run) => crate::t_in!(lang, "render-code-runs"),
        Some(Class::Example) => crate::t_in!(lang, "render-code-example"),
        Some(Class::NotShell) => crate::t_in!(lang, "render-code-not-shell"),
        Some(Class::Alternative) => crate::t_in!(lang, "render-code-alternative"),
        None => crate::t_in!(lang, "render-code-outside"),
    }
}

/// A piece of a code block's text.
pub enum Segment {
    Text(String),
    Placeholder(Fill),
}

/// A code block of the lab.
pub struct CodeView {
    /// Position among the lab's code blocks, in document order.
    pub ordinal: usize,
    pub lang: Option<String>,
    /// What `labnote run` does with it, as [`crate::blocks::classify`] decides (the one
    /// rule: `run --list` says the same); `None` for a block outside every step, which
    /// `run` never sees.
    pub class: Option<Class>,
    /// Why it has that class, in words for the student (`run --list`'s reason).
    pub reason: Option<String>,
    /// The step whose body holds it.
    pub step: Option<usize>,
    pub segments: Vec<Segment>,
}

/// `<details>` boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailsMark {
    Open { summary: String },
    Close,
}

/// One element of the view.
pub enum Piece<'a> {
    /// A markdown event passed on as it is.
    Event(Event<'a>),
    /// The start of step `step`'s heading (replaces its `Start(Heading)`).
    StepStart {
        step: usize,
        level: u8,
    },
    /// The end of step `step`'s heading.
    StepEnd {
        step: usize,
        level: u8,
    },
    Placeholder(Fill),
    /// Inline code that holds placeholders (inline code without one is an
    /// [`Event::Code`]).
    CodeSpan(Vec<Segment>),
    Image {
        alt: String,
        file: ImageFile,
        /// The destination as written, its plain values (and revealed secrets) filled.
        dest: String,
    },
    Code(CodeView),
    /// Marks a `<details>` boundary; the raw HTML event follows as an [`Piece::Event`].
    Details(DetailsMark),
    /// The memo block `n` of the lab stands here (its markdown is not in the view).
    Memo {
        block: usize,
    },
    /// A table-of-contents link to a step (`None`: to the top of the lab); the link's text
    /// follows, then [`Piece::LinkEnd`].
    StepLink {
        step: Option<usize>,
    },
    LinkEnd,
    /// The end of the text of sentence note point `point` (an index of
    /// [`Lab::note_points`]): after the paragraph that holds it, or at the end of its list
    /// item or table cell. A front end puts its note form here; the terminal shows nothing.
    NotePoint {
        point: usize,
    },
}

/// Where the lab file lives, for images.
pub struct Files<'a> {
    /// The lab file's folder (absolute or relative to the same base as `root`).
    pub lab_dir: &'a Path,
    /// The folder images must stay inside.
    pub root: &'a Path,
    /// Whether a file exists (the caller's IO).
    pub exists: &'a dyn Fn(&Path) -> bool,
}

/// Image types that are served.
const IMAGE_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
];

/// The content type of an image path, by its extension; `None` for any other file.
pub fn image_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    IMAGE_TYPES.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Stand-ins for a placeholder's `<<` and `>>` while markdown is parsed: two bytes each
/// (unassigned code points of the Greek block, which no lab has reason to hold), so every
/// offset of the parse stays valid, and plain letters to markdown — an `<<a b>>` is not read
/// as an HTML tag `<a b>`, and a link or image target may hold one (CommonMark refuses
/// control characters there).
const PH_OPEN: char = '\u{0378}';
const PH_CLOSE: char = '\u{0379}';

/// The lab's text with the placeholders the parser found (and only those) marked.
fn mark_placeholders(lab: &Lab, text: &str) -> String {
    // Stand-ins already in the text become two spaces: same length, never a mark.
    let mut bytes = text.replace([PH_OPEN, PH_CLOSE], "  ").into_bytes();
    let (mut open, mut close) = ([0u8; 2], [0u8; 2]);
    PH_OPEN.encode_utf8(&mut open);
    PH_CLOSE.encode_utf8(&mut close);
    for p in &lab.placeholders {
        let r = &p.span;
        let ok = r.end <= bytes.len() && r.end - r.start >= 4;
        if ok && bytes[r.start..r.start + 2] == *b"<<" && bytes[r.end - 2..r.end] == *b">>" {
            bytes[r.start..r.start + 2].copy_from_slice(&open);
            bytes[r.end - 2..r.end].copy_from_slice(&close);
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// Marked placeholders back as written.
fn unmark(s: &str) -> String {
    s.replace(PH_OPEN, "<<").replace(PH_CLOSE, ">>")
}

/// The view of a whole lab ([`Lab::source`] is the text it shows).
pub fn lab_view(lab: &Lab, resolve: Resolve, files: &Files) -> Vec<Piece<'static>> {
    range_view(lab, 0..lab.source().len(), resolve, files)
}

/// The view of the part `range` of a lab (a step's body, a section): the whole lab is
/// parsed, so every placeholder, block and `<details>` is what it is in the lab, and only
/// the events inside `range` are kept. Code block ordinals stay those of the whole lab, and
/// each block's class is the one [`crate::blocks::classify`] gives it in its step (the
/// runner's rule: `run --list` says the same).
pub fn range_view(
    lab: &Lab,
    range: Range<usize>,
    resolve: Resolve,
    files: &Files,
) -> Vec<Piece<'static>> {
    let text = lab.source();
    let steps: Vec<&crate::lab::Step> = lab.steps.iter().collect();
    let classes = crate::blocks::classify_steps(text, &steps);
    let marked = mark_placeholders(lab, text);
    let mut before = 0;
    let events: Vec<(Event<'static>, Range<usize>)> = Parser::new_ext(
        &marked,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .into_offset_iter()
    .filter(|(e, r)| {
        let inside = range.start <= r.start && r.end <= range.end;
        if !inside && r.start < range.start && matches!(e, Event::Start(Tag::CodeBlock(_))) {
            before += 1;
        }
        inside
    })
    .map(|(e, r)| (e.into_static(), r))
    .collect();
    let mut b = ViewBuilder {
        lab,
        text: &marked,
        resolve,
        files,
        classes,
        out: Vec::with_capacity(events.len()),
        ordinal: before,
        memo_done: Vec::new(),
    };
    let places = point_places(lab, &events);
    let mut i = 0;
    while i < events.len() {
        let at = |i: usize, after: bool| {
            places
                .iter()
                .filter(move |p| p.0 == i && p.1 == after)
                .map(|p| Piece::NotePoint { point: p.2 })
        };
        b.out.extend(at(i, false));
        let j = b.piece(&events, i);
        for k in i..j {
            b.out.extend(at(k, true));
        }
        i = j;
    }
    b.out
}

/// Where the sentence note points of `lab` stand among `events`: `(event, after, point)`,
/// the form going before the end of the list item or table cell that holds the sentence's
/// last byte, or after the end of the paragraph (a paragraph of a list item counts as the
/// item); after the event itself outside any of them.
fn point_places(lab: &Lab, events: &[(Event<'static>, Range<usize>)]) -> Vec<(usize, bool, usize)> {
    #[derive(PartialEq)]
    enum Kind {
        Para,
        Item,
        Cell,
    }
    let mut todo: Vec<(usize, usize)> = lab
        .note_points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == crate::notepoint::PointKind::Sentence && p.span.end > 0)
        .map(|(n, p)| (n, p.span.end - 1))
        .collect();
    let mut out = Vec::new();
    if todo.is_empty() {
        return out;
    }
    let mut stack: Vec<(Kind, Vec<usize>)> = Vec::new();
    for (i, (ev, r)) in events.iter().enumerate() {
        match ev {
            Event::Start(Tag::Paragraph) => stack.push((Kind::Para, Vec::new())),
            Event::Start(Tag::Item) => stack.push((Kind::Item, Vec::new())),
            Event::Start(Tag::TableCell) => stack.push((Kind::Cell, Vec::new())),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                if let Some((kind, waiting)) = stack.pop() {
                    let after = kind == Kind::Para;
                    out.extend(waiting.into_iter().map(|n| (i, after, n)));
                }
            }
            // A container's range spans its content: only leaves say where a byte is.
            Event::Start(_) | Event::End(_) => {}
            _ => {
                let here: Vec<usize> = todo
                    .iter()
                    .filter(|(_, pos)| r.start <= *pos && *pos < r.end)
                    .map(|(n, _)| *n)
                    .collect();
                if here.is_empty() {
                    continue;
                }
                todo.retain(|(n, _)| !here.contains(n));
                let len = stack.len();
                let frame = match len {
                    0 => None,
                    _ if len >= 2
                        && stack[len - 1].0 == Kind::Para
                        && stack[len - 2].0 == Kind::Item =>
                    {
                        Some(len - 2)
                    }
                    _ => Some(len - 1),
                };
                match frame {
                    Some(f) => stack[f].1.extend(here),
                    None => out.extend(here.into_iter().map(|n| (i, true, n))),
                }
            }
        }
    }
    out
}

struct ViewBuilder<'l, 'a, 'r> {
    lab: &'l Lab,
    text: &'a str,
    resolve: Resolve<'r>,
    files: &'r Files<'r>,
    /// Every block of every step with its class, in document order.
    classes: Vec<crate::blocks::Classified>,
    out: Vec<Piece<'static>>,
    ordinal: usize,
    memo_done: Vec<usize>,
}

impl<'a> ViewBuilder<'_, 'a, '_> {
    /// Consume the event at `i` (and what belongs to it); returns the next index.
    fn piece(&mut self, events: &[(Event<'static>, Range<usize>)], i: usize) -> usize {
        let (ev, range) = &events[i];
        if let Some(m) = self.memo_at(range.start) {
            if !self.memo_done.contains(&m) {
                self.memo_done.push(m);
                self.out.push(Piece::Memo { block: m });
            }
            return i + 1;
        }
        match ev {
            Event::Start(Tag::CodeBlock(_)) => self.code(events, i),
            Event::Start(Tag::Image { dest_url, .. }) => self.image(events, i, dest_url),
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('#') => {
                self.link(events, i, dest_url)
            }
            _ => {
                self.event(ev, range.start);
                i + 1
            }
        }
    }

    /// One event that stands alone (not the start of a block, image or TOC link) at `pos`.
    fn event(&mut self, ev: &Event<'static>, pos: usize) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => self.heading(ev, pos, *level, true),
            Event::End(TagEnd::Heading(level)) => self.heading(ev, pos, *level, false),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // Where a link goes is shown (terminal) or followed (HTML): its placeholders
                // filled, as written when they have no value to show.
                self.out.push(Piece::Event(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(fill_text(dest_url, self.resolve)),
                    title: CowStr::from(unmark(title)),
                    id: id.clone(),
                })));
            }
            Event::Text(t) => self.text_with_placeholders(t, false),
            Event::Code(t) => self.text_with_placeholders(t, true),
            Event::Html(h) | Event::InlineHtml(h) => {
                self.details(h);
                // A placeholder inside raw HTML is shown as written, as text.
                let h = CowStr::from(h.replace(PH_OPEN, "&lt;&lt;").replace(PH_CLOSE, "&gt;&gt;"));
                self.out.push(Piece::Event(match ev {
                    Event::Html(_) => Event::Html(h),
                    _ => Event::InlineHtml(h),
                }));
            }
            _ => self.out.push(Piece::Event(ev.clone())),
        }
    }

    /// A heading's start (`start`) or end at `pos`: a step's when it is one, else as it is.
    fn heading(&mut self, ev: &Event<'static>, pos: usize, level: HeadingLevel, start: bool) {
        let Some(step) = self.step_at_heading(pos) else {
            self.out.push(Piece::Event(ev.clone()));
            return;
        };
        let level = level as u8;
        self.out.push(match start {
            true => Piece::StepStart { step, level },
            false => Piece::StepEnd { step, level },
        });
    }

    fn memo_at(&self, pos: usize) -> Option<usize> {
        self.lab
            .memo_blocks
            .iter()
            .position(|b| b.span.contains(&pos))
    }

    fn step_at_heading(&self, pos: usize) -> Option<usize> {
        self.lab.steps.iter().position(|s| s.span.start == pos)
    }

    /// Mark `<details>`; its `<summary>` may come in a later HTML event.
    fn details(&mut self, h: &str) {
        let h = unmark(h);
        if let Some(k) = h.find("<details") {
            let summary = summary_text(&h[k..]).unwrap_or_default();
            self.out.push(Piece::Details(DetailsMark::Open { summary }));
        } else if let Some(summary) = summary_text(&h) {
            let last_open = self.out.iter_mut().rev().find_map(|p| match p {
                Piece::Details(DetailsMark::Open { summary }) => Some(summary),
                _ => None,
            });
            if let Some(s) = last_open.filter(|s| s.is_empty()) {
                *s = summary;
            }
        }
        if h.contains("</details>") {
            self.out.push(Piece::Details(DetailsMark::Close));
        }
    }

    fn text_with_placeholders(&mut self, t: &CowStr<'static>, code: bool) {
        if !t.contains(PH_OPEN) {
            let t = CowStr::from(unmark(t));
            self.out.push(Piece::Event(match code {
                true => Event::Code(t),
                false => Event::Text(t),
            }));
            return;
        }
        let segments = split_placeholders(t, self.resolve);
        if code {
            self.out.push(Piece::CodeSpan(segments));
            return;
        }
        for seg in segments {
            match seg {
                Segment::Text(s) => self.out.push(Piece::Event(Event::Text(CowStr::from(s)))),
                Segment::Placeholder(f) => self.out.push(Piece::Placeholder(f)),
            }
        }
    }

    fn code(&mut self, events: &[(Event<'static>, Range<usize>)], i: usize) -> usize {
        let start = events[i].1.clone();
        let (text, j) = text_until(events, i, TagEnd::CodeBlock);
        let classified = self
            .classes
            .iter()
            .find(|c| c.block.span.start == start.start);
        let class = classified.map(|c| c.class);
        let lang = classified
            .map(|c| c.block.lang.clone())
            .unwrap_or_else(|| fence_lang(&events[i].0));
        let step = self
            .lab
            .steps
            .iter()
            .rposition(|s| s.span.start <= start.start);
        self.out.push(Piece::Code(CodeView {
            ordinal: self.ordinal,
            lang,
            class,
            reason: classified.map(|c| c.reason.clone()),
            step,
            segments: split_placeholders(&text, self.resolve),
        }));
        self.ordinal += 1;
        j + 1
    }

    fn image(&mut self, events: &[(Event<'static>, Range<usize>)], i: usize, dest: &str) -> usize {
        let (alt, j) = text_until(events, i, TagEnd::Image);
        let alt = unmark(&alt);
        let dest = fill_text(dest, self.resolve);
        let file = resolve_image(&dest, self.files);
        self.out.push(Piece::Image { alt, file, dest });
        j + 1
    }

    fn link(&mut self, events: &[(Event<'static>, Range<usize>)], i: usize, dest: &str) -> usize {
        let (label, j) = text_until(events, i, TagEnd::Link);
        let Some(target) = toc_target(self.lab, self.text, dest, &label) else {
            self.out.push(Piece::Event(events[i].0.clone()));
            return i + 1;
        };
        self.out.push(Piece::StepLink { step: target });
        for k in i + 1..j {
            self.piece(events, k);
        }
        self.out.push(Piece::LinkEnd);
        j + 1
    }
}

/// The text from the event after `i` up to the `end` tag, and the index of that tag.
fn text_until(events: &[(Event, Range<usize>)], i: usize, end: TagEnd) -> (String, usize) {
    let mut text = String::new();
    let mut j = i + 1;
    while j < events.len() {
        match &events[j].0 {
            Event::End(e) if *e == end => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
        j += 1;
    }
    (text, j)
}

/// The language of a fence outside every step (its info string's first word).
fn fence_lang(ev: &Event) -> Option<String> {
    match ev {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            info.split_whitespace().next().map(unmark)
        }
        _ => None,
    }
}

/// Split `text` at each marked placeholder.
fn split_placeholders(text: &str, resolve: Resolve) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(PH_OPEN) {
        let after = &rest[i + PH_OPEN.len_utf8()..];
        let Some(j) = after.find(PH_CLOSE) else { break };
        if i > 0 {
            out.push(Segment::Text(unmark(&rest[..i])));
        }
        out.push(Segment::Placeholder(resolve(after[..j].trim())));
        rest = &after[j + PH_CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(unmark(rest)));
    }
    out
}

/// `text` with its marked placeholders replaced by the values a reader may see (see
/// [`segments_text`]). For link and image targets, where a value has no widget of its own.
fn fill_text(text: &str, resolve: Resolve) -> String {
    segments_text(split_placeholders(text, resolve))
}

/// The text of `segments` with each placeholder's value where a reader may see it (a plain
/// value, a revealed secret); a masked or missing one stays as written, `<<name>>`. What a
/// link's target, an image's path and a copied code block hold.
pub fn segments_text(segments: Vec<Segment>) -> String {
    use secrecy::ExposeSecret;
    segments
        .into_iter()
        .map(|seg| match seg {
            Segment::Text(t) => t,
            Segment::Placeholder(f) => match f.value {
                FillValue::Plain(v) => v,
                FillValue::Secret(Some(v)) => v.expose_secret().to_string(),
                FillValue::Secret(None) | FillValue::Missing { .. } => format!("<<{}>>", f.name),
            },
        })
        .collect()
}

/// Resolve an image's destination against the lab file, confined to `files.root`.
pub fn resolve_image(dest: &str, files: &Files) -> ImageFile {
    let dest = dest.trim();
    if dest.contains("://") || dest.starts_with("data:") || dest.starts_with("//") {
        return ImageFile::Remote(dest.to_string());
    }
    let path = percent_decode(dest.split(['?', '#']).next().unwrap_or(""));
    let Some(rel) = confine(files.lab_dir, files.root, &path) else {
        return ImageFile::Refused(dest.to_string());
    };
    if image_type(&rel).is_none() {
        return ImageFile::Refused(dest.to_string());
    }
    let exists = (files.exists)(&files.root.join(&rel));
    ImageFile::Local { rel, exists }
}

/// `rel` taken from `base` and normalised without touching the disk; the result relative to
/// `root` (with `/`), or `None` when it leaves `root` or is absolute.
fn confine(base: &Path, root: &Path, rel: &str) -> Option<String> {
    if rel.is_empty() || rel.starts_with('/') || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let parts = normalise(&base.join(rel))?;
    let root_parts = normalise(root)?;
    if parts.len() <= root_parts.len() || parts[..root_parts.len()] != root_parts[..] {
        return None;
    }
    Some(parts[root_parts.len()..].join("/"))
}

/// The path's components after `.` and `..` are applied (`None` when `..` climbs above the
/// start, or a component is not UTF-8).
fn normalise(p: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(s) => parts.push(s.to_str()?.to_string()),
            _ => {}
        }
    }
    Some(parts)
}

/// Decode `%XX` escapes (UTF-8); anything malformed is kept as written (image paths and
/// table-of-contents anchors, for the view and for `lint`).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Letters and digits only, lower case: how a TOC fragment and a heading are compared
/// (the course's anchors keep `✔` and `.` where GitHub's slugs drop them).
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The step a table-of-contents link means: `Some(None)` for the lab's title, `Some(Some(i))`
/// for step `i`, `None` when it names no step. Matched on the fragment (letters and digits),
/// else on the number at the start of the link's text.
fn toc_target(lab: &Lab, text: &str, dest: &str, label: &str) -> Option<Option<usize>> {
    let want = compact(&percent_decode(dest.trim_start_matches('#')));
    if want.is_empty() {
        return None;
    }
    if lab.heading.as_deref().is_some_and(|h| compact(h) == want) {
        return Some(None);
    }
    let heading_text = |i: usize| {
        let s = &lab.steps[i];
        let raw = text.get(s.span.clone()).unwrap_or("");
        compact(raw.trim_start_matches('#'))
    };
    if let Some(i) = (0..lab.steps.len()).find(|&i| heading_text(i) == want) {
        return Some(Some(i));
    }
    let (_, number, _) = crate::lab::split_heading(label);
    let number = number?;
    lab.steps
        .iter()
        .position(|s| s.number.as_deref() == Some(number.as_str()))
        .map(Some)
}

/// The text of `<summary>…</summary>`, tags removed.
fn summary_text(h: &str) -> Option<String> {
    let s = h.find("<summary")?;
    let a = &h[s..];
    let inner = &a[a.find('>')? + 1..];
    let end = inner.find("</summary>").unwrap_or(inner.len());
    let mut out = String::new();
    let mut in_tag = false;
    for c in inner[..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    Some(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(name: &str) -> Fill {
        let value = match name {
            "secret key" => FillValue::Secret(None),
            "user" => FillValue::Plain("octocat".into()),
            _ => FillValue::Missing { suggestion: None },
        };
        Fill {
            name: name.into(),
            value,
            source: Some("lab 1-1".into()),
        }
    }

    /// Images of a lab in `lab_dir` of the course `/c`, where only `images/1.png` exists.
    fn files(lab_dir: &'static str) -> Files<'static> {
        Files {
            lab_dir: Path::new(lab_dir),
            root: Path::new("/c"),
            exists: &|p: &Path| p.ends_with("images/1.png"),
        }
    }

    fn view(md: &str) -> Vec<String> {
        let lab = crate::lab::parse(md.as_bytes(), "x").unwrap();
        let pieces = lab_view(&lab, &fill, &files("/c/day2"));
        pieces.iter().filter_map(describe).collect()
    }

    fn describe(p: &Piece) -> Option<String> {
        Some(match p {
            Piece::StepStart { step, .. } => format!("step {step}"),
            Piece::Placeholder(f) => format!(
                "ph {} {}",
                f.name,
                match &f.value {
                    FillValue::Plain(v) => v.clone(),
                    FillValue::Secret(None) => "masked".into(),
                    FillValue::Secret(Some(_)) => "revealed".into(),
                    FillValue::Missing { .. } => "missing".into(),
                }
            ),
            Piece::CodeSpan(segs) => format!("span {}", segs.len()),
            Piece::Image { file, dest, .. } => format!("img {file:?} {dest}"),
            Piece::Code(c) => format!("code {} {:?} {}", c.ordinal, c.class, c.segments.len()),
            Piece::Details(d) => format!("details {d:?}"),
            Piece::Memo { block } => format!("memo {block}"),
            Piece::StepLink { step } => format!("link {step:?}"),
            _ => return None,
        })
    }

    #[test]
    fn a_note_form_stands_after_the_sentence_that_asks() {
        let md = "# 1일차 - Lab 1. t\n\n## ✔ 1. 하나\n\n생성된 버킷의 ARN을 메모합니다. 그리고 다음으로 갑니다.\n\n- 첫째\n- 서버 주소를 메모📝합니다\n\n끝\n";
        let lab = crate::lab::parse(md.as_bytes(), "x").unwrap();
        let pieces = lab_view(&lab, &fill, &files("/c/day2"));
        let shown: Vec<String> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::NotePoint { point } => Some(format!("point {point}")),
                Piece::Event(Event::End(TagEnd::Paragraph)) => Some("/p".into()),
                Piece::Event(Event::End(TagEnd::Item)) => Some("/li".into()),
                _ => None,
            })
            .collect();
        assert_eq!(lab.note_points.len(), 2, "{:?}", lab.note_points);
        assert_eq!(shown, ["/p", "point 0", "/li", "point 1", "/li", "/p"]);
    }

    #[test]
    fn pieces_of_a_lab() {
        let md = "# 1일차 - Lab 1. t\n\n- [1. 하나](#✔-1.-하나)\n\n> **📌 [메모]**\n>\n> ➕ _<< user>>_ : octocat\n\n## ✔ 1. 하나\n\n값 `<<user>>` 와 <<secret key>> 와 <<nope>>\n\n```bash\ncat <<EOF > f\n<<user>>\nEOF\n```\n\n```\nHello\n```\n\n![a](../images/1.png) ![b](../images/2.png) ![c](../../etc/x.png) ![d](https://x/y.png)\n\n<details>\n<summary> 참고 </summary>\n\nx\n\n</details>\n";
        let got = view(md);
        let want = [
            "link Some(0)",
            "memo 0",
            "step 0",
            "span 1",
            "ph secret key masked",
            "ph nope missing",
            "code 0 Some(Run) 3",
            "code 1 Some(NotShell) 1",
            "img Local { rel: \"images/1.png\", exists: true } ../images/1.png",
            "img Local { rel: \"images/2.png\", exists: false } ../images/2.png",
            "img Refused(\"../../etc/x.png\") ../../etc/x.png",
            "img Remote(\"https://x/y.png\") https://x/y.png",
            "details Open { summary: \"참고\" }",
            "details Close",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_range_keeps_its_events_and_the_lab_s_ordinals() {
        let md = "# 1일차 - Lab 1. t\n\n## 1. 하나\n\n```bash\necho 1\n```\n\n## 2. 둘\n\n[문서](https://x.io/<<user>>) ![i](img/<<user>>.png)\n\n```bash\necho <<user>>\n```\n";
        let lab = crate::lab::parse(md.as_bytes(), "x").unwrap();
        let files = files("/c");
        let body = lab.steps[1].body_span.clone();
        let pieces = range_view(&lab, body, &fill, &files);
        let got: Vec<String> = pieces.iter().filter_map(describe).collect();
        // The second step's block is the lab's block 1; nothing of step 1 is in the range.
        assert_eq!(
            got,
            [
                "img Local { rel: \"img/octocat.png\", exists: false } img/octocat.png",
                "code 1 Some(Run) 3"
            ]
        );
        let link = pieces.iter().find_map(|p| match p {
            Piece::Event(Event::Start(Tag::Link { dest_url, .. })) => Some(dest_url.to_string()),
            _ => None,
        });
        assert_eq!(link.as_deref(), Some("https://x.io/octocat"));
        assert!(!pieces
            .iter()
            .any(|p| matches!(p, Piece::StepStart { .. } | Piece::StepEnd { .. })));
    }

    #[test]
    fn a_block_s_class_is_the_one_blocks_gives_it_in_its_step() {
        let md = "# 1일차 - Lab 1. t\n\n```bash\necho before\n```\n\n## 1. 하나\n\n- 결과 예시\n\n```bash\nstudent:~/environment $ kubectl get ns\nNAME STATUS\n```\n\n```yaml\na: 1\n```\n\n- [참고] 이렇게도 된다.\n\n```bash\nls -al\n```\n\n```bash\nkubectl get ns\n```\n";
        let lab = crate::lab::parse(md.as_bytes(), "x").unwrap();
        let files = files("/c");
        let codes = |pieces: Vec<Piece>| -> Vec<(Option<Class>, Option<String>)> {
            pieces
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Code(c) => Some((c.class, c.lang)),
                    _ => None,
                })
                .collect()
        };
        let got = codes(lab_view(&lab, &fill, &files));
        let bash = Some("bash".to_string());
        assert_eq!(
            got,
            [
                (None, bash.clone()),
                (Some(Class::Example), bash.clone()),
                (Some(Class::NotShell), Some("yaml".into())),
                (Some(Class::Alternative), bash.clone()),
                (Some(Class::Run), bash.clone()),
            ]
        );
        // The classes agree with `blocks`, reasons included, and a range keeps them.
        let all = crate::blocks::classify_steps(md, &[&lab.steps[0]]);
        let body = lab.steps[0].body_span.clone();
        let ranged: Vec<(Class, String)> = range_view(&lab, body, &fill, &files)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Code(c) => Some((c.class?, c.reason?)),
                _ => None,
            })
            .collect();
        let want: Vec<(Class, String)> = all.into_iter().map(|c| (c.class, c.reason)).collect();
        assert_eq!(ranged, want);
    }

    #[test]
    fn confinement() {
        let root = Path::new("/c");
        assert_eq!(
            confine(Path::new("/c/d"), root, "a.png").as_deref(),
            Some("d/a.png")
        );
        assert_eq!(
            confine(Path::new("/c/d"), root, "../a.png").as_deref(),
            Some("a.png")
        );
        assert_eq!(confine(Path::new("/c/d"), root, "../../a.png"), None);
        assert_eq!(confine(Path::new("/c"), root, "/etc/passwd"), None);
        assert_eq!(confine(Path::new("/c"), root, ".."), None);
        assert_eq!(image_type("a/B.PNG"), Some("image/png"));
        assert_eq!(image_type("a/b.md"), None);
        assert_eq!(percent_decode("%EC%95%A1"), "액");
    }
}
