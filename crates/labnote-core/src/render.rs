//! Terminal rendering of a lab (or a step of it) from the view model ([`crate::view`]).
//!
//! One walk over the pieces the view made: the view has already resolved placeholders
//! (masked unless the caller revealed them), images (against the lab file, with whether the
//! file exists), step headings, code block kinds and `<details>` boundaries, so HTML and the
//! terminal show the same lab. This module decides the layout — lists, quotes, tables that
//! fit the terminal by wrapping between words (or, when only cutting a word would make them
//! fit, told as `label: value` lines), code blocks with a border or, with `raw`, exactly
//! their lines — and hands every look to a [`Theme`] ([`theme`]), the one place with escape
//! sequences. Nothing breaks a value: every line is folded to the width at spaces only
//! ([`fold`]); a word longer than its line (an ARN, a URL, a certificate) stands alone on
//! one line, whole, and only such a line is wider than the terminal.
//!
//! What the student sees beyond markdown: a link's URL (`text (url)`, or an OSC 8 hyperlink);
//! an image as `[image: ../images/097.png]` with whether it is missing; a `<details>` folded
//! to one line naming its summary and how to open it (or open, when asked); a heading's
//! `✔`-like marker dropped, since done state is labnote's own mark.
//!
//! Pure: pieces in, a string out. Text from the lab passes [`clean`] (no control characters,
//! so a lab cannot send escape sequences to the terminal).

pub mod theme;

use pulldown_cmark::{Event, Tag, TagEnd};
use secrecy::ExposeSecret;

use crate::blocks::Class;
use crate::lab::{Lab, MemoEntry};
use crate::t;
use crate::view::{self, CodeView, DetailsMark, Fill, FillValue, ImageFile, Piece, Segment};

pub use theme::{pick, width, Ansi, Plain, TextRole, Theme};

/// Whose keys a hint names: `walk`'s (`e` opens a `<details>`, `o` an image) or the
/// commands' flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hints {
    Walk,
    Command,
}

/// How to render.
pub struct Options<'a> {
    pub theme: &'a dyn Theme,
    /// The lab the pieces are of (memo blocks, step markers).
    pub lab: &'a Lab,
    /// Terminal width: wide tables wrap to fit (`None`: never, e.g. into a pipe).
    pub width: Option<usize>,
    /// Code blocks without border or indentation, tables never fitted: for copying.
    pub raw: bool,
    /// Show `<details>` open instead of folded.
    pub details_open: bool,
    pub hints: Hints,
    /// The value a memo entry shows (the caller masks secrets).
    pub memo: &'a dyn Fn(&MemoEntry) -> FillValue,
    /// labnote's mark for step `i`'s heading (`[x]`), if any.
    pub step_mark: &'a dyn Fn(usize) -> Option<String>,
}

/// Pad to a display width.
pub fn pad(s: &str, w: usize) -> String {
    let cur = width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(cur)));
    out
}

/// Truncate to a display width, adding `…` when cut (for labnote's own one-line lists; a
/// lab's values are wrapped, never cut).
pub fn truncate(s: &str, w: usize) -> String {
    // A lab's text may be in the line: its control characters are shown, never sent.
    let s = crate::textsafe::visible(s);
    let s = s.as_ref();
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut cur = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if cur + cw + 1 > w {
            break;
        }
        out.push(c);
        cur += cw;
    }
    out.push('…');
    out
}

/// Lines of at most `w` columns: broken at spaces where it can, inside a word (a token, a
/// certificate) where it must, and at every newline. Nothing is dropped but the spaces
/// a line is broken at.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut cur = String::new();
        for word in para.split(' ') {
            let sep = usize::from(!cur.is_empty());
            if width(&cur) + sep + width(word) <= w {
                if sep == 1 {
                    cur.push(' ');
                }
                cur.push_str(word);
                continue;
            }
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            for c in word.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if !cur.is_empty() && width(&cur) + cw > w {
                    lines.push(std::mem::take(&mut cur));
                }
                cur.push(c);
            }
        }
        lines.push(cur);
    }
    lines
}

/// `s` (one line, with the theme's escape sequences) as lines of at most `first` columns
/// (the first) and `rest` (the others), broken at spaces only: a word — a code span, a URL,
/// an ARN, an id — is never broken; one longer than its line stands alone on it, whole
/// (and overflows). A look (SGR colour, OSC 8 link) open at a break is closed at the end of
/// the line and opened again at the start of the next, so no look spans the prefix between.
pub fn fold(s: &str, first: usize, rest: usize) -> Vec<String> {
    // Where the line may break: each space outside an escape sequence, with the columns
    // before it; and the columns of the whole line.
    let mut spaces: Vec<(usize, usize)> = Vec::new();
    let mut cols = 0;
    let mut i = 0;
    while i < s.len() {
        if s.as_bytes()[i] == 0x1b {
            i = s.len() - theme::skip_escape(&s[i..]).len();
            continue;
        }
        let end = s[i..].find('\x1b').map_or(s.len(), |j| i + j);
        let text = &s[i..end];
        let mut before = cols;
        let mut last = 0;
        for (j, c) in text.char_indices() {
            if c == ' ' {
                before += theme::text_width(&text[last..j]);
                last = j;
                spaces.push((i + j, before));
            }
        }
        cols += theme::text_width(text);
        i = end;
    }
    // The breaks, greedily: each line takes the words that fit; a word that does not fit
    // alone takes a line of its own.
    let mut breaks = Vec::new();
    let (mut at_cols, mut next) = (0, 0);
    loop {
        let room = if breaks.is_empty() { first } else { rest };
        if cols - at_cols <= room {
            break;
        }
        // Spaces at the very start of the line are no place to break.
        while next < spaces.len() && spaces[next].1 <= at_cols {
            next += 1;
        }
        let mut k = next;
        while k < spaces.len() && spaces[k].1 - at_cols <= room {
            k += 1;
        }
        let brk = if k > next { k - 1 } else { next };
        let Some(&(b, c)) = spaces.get(brk) else {
            break;
        };
        breaks.push(b);
        at_cols = c + 1;
        next = brk + 1;
    }
    // The lines, each with the looks open at its start opened again and those open at its
    // end closed.
    let mut out = Vec::with_capacity(breaks.len() + 1);
    let mut looks = Looks::default();
    let mut from = 0;
    for to in breaks.into_iter().chain(std::iter::once(s.len())) {
        let mut line = looks.open();
        looks.read(&s[from..to]);
        line.push_str(&s[from..to]);
        line.push_str(&looks.close());
        out.push(line);
        // Past the space broken at (the last line ends at the end of `s`).
        from = (to + 1).min(s.len());
    }
    out
}

/// The looks in effect at a point of a line: the SGR sequences since the last reset and the
/// OSC 8 link open there.
#[derive(Default)]
struct Looks<'s> {
    sgr: Vec<&'s str>,
    link: Option<&'s str>,
}

impl<'s> Looks<'s> {
    /// Take in the escape sequences of `part`, the text that follows.
    fn read(&mut self, part: &'s str) {
        let mut i = 0;
        while let Some(j) = part[i..].find('\x1b') {
            let start = i + j;
            let end = part.len() - theme::skip_escape(&part[start..]).len();
            let seq = &part[start..end];
            if seq == "\x1b[0m" || seq == "\x1b[m" {
                self.sgr.clear();
            } else if seq.starts_with("\x1b[") && seq.ends_with('m') {
                self.sgr.push(seq);
            } else if let Some(osc) = seq.strip_prefix("\x1b]8;") {
                let uri = osc.split_once(';').map_or("", |(_, u)| u);
                let uri = uri
                    .trim_end_matches(['\x07', '\\'])
                    .trim_end_matches('\x1b');
                self.link = (!uri.is_empty()).then_some(seq);
            }
            i = end;
        }
    }

    /// The sequences that open these looks again.
    fn open(&self) -> String {
        let mut out = self.sgr.concat();
        out.push_str(self.link.unwrap_or(""));
        out
    }

    /// The sequences that close them.
    fn close(&self) -> String {
        let mut out = String::new();
        if !self.sgr.is_empty() {
            out.push_str("\x1b[0m");
        }
        if self.link.is_some() {
            out.push_str("\x1b]8;;\x1b\\");
        }
        out
    }
}

/// The looks open at the end of `s` (for tests).
#[cfg(test)]
fn looks_at(s: &str, at: usize) -> (Vec<&str>, Option<&str>) {
    let mut l = Looks::default();
    l.read(&s[..at]);
    (l.sgr, l.link)
}

/// `s` without control characters (a lab's ESC, CR, BEL…); newlines and tabs are kept.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}

/// Whether a heading marker reads as a done mark (`✔`, `✅`, `☑`…): such a marker is not
/// shown, since only labnote's own marks say a step is done.
fn is_done_marker(m: &str) -> bool {
    m.chars()
        .any(|c| matches!(c, '✔' | '✓' | '✅' | '☑' | '🗸' | '🗹' | '☒' | '✕' | '✗'))
}

/// Render the pieces of a lab for the terminal.
pub fn render(pieces: &[Piece], o: &Options) -> String {
    let mut r = Renderer {
        o,
        out: String::new(),
        line: String::new(),
        lists: Vec::new(),
        quote: 0,
        table: None,
        pending_item: None,
        strong: 0,
        emph: 0,
        heading: false,
        marker: None,
        link: None,
        folded: 0,
    };
    for p in pieces {
        r.piece(p);
    }
    r.flush_line();
    r.out.trim_matches('\n').to_string() + "\n"
}

struct Table {
    rows: Vec<Vec<String>>,
    cell: String,
    head_rows: usize,
}

/// A link being read: where it goes and its text so far.
struct LinkBuf {
    url: String,
    text: String,
}

struct Renderer<'o, 'a> {
    o: &'o Options<'a>,
    out: String,
    line: String,
    lists: Vec<Option<u64>>,
    quote: usize,
    table: Option<Table>,
    pending_item: Option<String>,
    strong: usize,
    emph: usize,
    heading: bool,
    /// A step heading's done-like marker, dropped from its first text.
    marker: Option<String>,
    link: Option<LinkBuf>,
    /// Depth inside a folded `<details>` (0: not folded).
    folded: usize,
}

impl<'a> Renderer<'_, 'a> {
    fn theme(&self) -> &'a dyn Theme {
        self.o.theme
    }

    fn piece(&mut self, p: &Piece) {
        if self.folded > 0 {
            match p {
                Piece::Details(DetailsMark::Open { .. }) => self.folded += 1,
                Piece::Details(DetailsMark::Close) => self.folded -= 1,
                _ => {}
            }
            return;
        }
        match p {
            Piece::Event(e) => self.event(e),
            Piece::StepStart { step, .. } => self.step_start(*step),
            Piece::StepEnd { .. } => self.heading_end(),
            Piece::Placeholder(f) => {
                let (s, kind) = fill_shown(f);
                self.push(&s, kind);
            }
            Piece::CodeSpan(segments) => self.code_span(segments),
            Piece::Image { dest, file, .. } => self.image(dest, file),
            Piece::Code(c) => self.code_block(c),
            Piece::Details(m) => self.details(m),
            Piece::Memo { block } => self.memo(*block),
            Piece::StepLink { .. } | Piece::LinkEnd | Piece::NotePoint { .. } => {}
        }
    }

    /// Inline text into the open table cell, link, or line, with its look.
    fn push(&mut self, s: &str, kind: TextRole) {
        let mut s = clean(s);
        if let Some(m) = self.marker.take() {
            let rest = s.trim_start();
            s = rest
                .strip_prefix(m.as_str())
                .unwrap_or(rest)
                .trim_start()
                .to_string();
            if s.is_empty() {
                self.marker = Some(m);
                return;
            }
        }
        if let Some(l) = self.link.as_mut() {
            l.text.push_str(&s);
            return;
        }
        if let Some(t) = self.table.as_mut() {
            t.cell.push_str(&s);
            return;
        }
        let th = self.theme();
        let looked = th.paint(kind, &s);
        let looked = if self.heading {
            th.paint(TextRole::Heading, &looked)
        } else if self.strong > 0 {
            th.paint(TextRole::Strong, &looked)
        } else if self.emph > 0 {
            th.paint(TextRole::Emphasis, &looked)
        } else {
            looked
        };
        self.line.push_str(&looked);
    }

    fn prefix(&self) -> String {
        let mut p = self
            .theme()
            .paint(TextRole::Border, &"▌ ".repeat(self.quote));
        p.push_str(&"  ".repeat(self.lists.len()));
        p
    }

    fn flush_line(&mut self) {
        if self.line.trim().is_empty() && self.pending_item.is_none() {
            self.line.clear();
            return;
        }
        let mut p = self.prefix();
        if let Some(bullet) = self.pending_item.take() {
            // Replace the last indentation step with the bullet.
            let cut = p.len().saturating_sub(2);
            p.truncate(cut);
            p.push_str(&bullet);
        }
        let text = std::mem::take(&mut self.line);
        let rest = self.prefix();
        self.push_folded(text.trim(), &p, &rest);
    }

    /// `text` after `first` (the prefix of its first line), folded to the width
    /// ([`fold`]: at spaces, never inside a word) with `rest` before each further line.
    fn push_folded(&mut self, text: &str, first: &str, rest: &str) {
        let lines = match self.o.width {
            Some(max) if !self.o.raw => fold(
                text,
                max.saturating_sub(width(first)),
                max.saturating_sub(width(rest)),
            ),
            _ => vec![text.to_string()],
        };
        for (n, l) in lines.iter().enumerate() {
            self.out.push_str(if n == 0 { first } else { rest });
            self.out.push_str(l);
            self.out.push('\n');
        }
    }

    fn blank(&mut self) {
        self.flush_line();
        if !self.out.ends_with("\n\n") && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// A line of labnote's own (a hint, a border) at the current indentation.
    fn own_line(&mut self, s: &str) {
        let p = self.prefix();
        let line = self.theme().paint(TextRole::Border, s);
        self.push_folded(&line, &p, &p);
    }

    fn step_start(&mut self, step: usize) {
        self.blank();
        self.heading = true;
        let s = &self.o.lab.steps[step];
        self.marker = s.marker.clone().filter(|m| is_done_marker(m));
        if let Some(mark) = (self.o.step_mark)(step) {
            self.line.push_str(&mark);
            self.line.push(' ');
        }
    }

    fn heading_end(&mut self) {
        self.marker = None;
        self.flush_line();
        self.heading = false;
        self.blank();
    }

    fn event(&mut self, ev: &Event) {
        if self.block_event(ev) || self.table_event(ev) {
            return;
        }
        match ev {
            Event::Text(t) => self.push(t, TextRole::Text),
            Event::Code(t) => self.push(t, TextRole::Code),
            Event::SoftBreak => self.push(" ", TextRole::Text),
            Event::HardBreak => self.flush_line(),
            Event::Html(h) | Event::InlineHtml(h)
                if h.trim_start().to_ascii_lowercase().starts_with("<br") =>
            {
                self.flush_line()
            }
            Event::Rule => {
                self.blank();
                self.own_line("────────");
                self.blank();
            }
            _ => {}
        }
    }

    /// Paragraphs, headings, quotes, lists, emphasis and links; whether `ev` was one.
    fn block_event(&mut self, ev: &Event) -> bool {
        match ev {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => self.blank(),
            Event::Start(Tag::Heading { .. }) => {
                self.blank();
                self.heading = true;
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush_line();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush_line();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            Event::Start(Tag::List(start)) => {
                self.flush_line();
                self.lists.push(*start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush_line();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            Event::Start(Tag::Item) => self.item(),
            Event::End(TagEnd::Item) => self.flush_line(),
            Event::Start(Tag::Emphasis) => self.emph += 1,
            Event::End(TagEnd::Emphasis) => self.emph = self.emph.saturating_sub(1),
            Event::Start(Tag::Strong) => self.strong += 1,
            Event::End(TagEnd::Strong) => self.strong = self.strong.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link = Some(LinkBuf {
                    url: clean(dest_url),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Link) => self.link_end(),
            _ => return false,
        }
        true
    }

    fn item(&mut self) {
        self.flush_line();
        let bullet = match self.lists.last_mut() {
            Some(Some(n)) => {
                let b = format!("{n}. ");
                *n += 1;
                b
            }
            _ => "• ".to_string(),
        };
        self.pending_item = Some(bullet);
    }

    /// A link's text with where it goes: nothing for an anchor inside the lab.
    fn link_end(&mut self) {
        let Some(LinkBuf { url, text }) = self.link.take() else {
            return;
        };
        if url.is_empty() || url.starts_with('#') {
            self.push(&text, TextRole::Text);
            return;
        }
        if let Some(t) = self.table.as_mut() {
            t.cell.push_str(&theme::text_link(&text, &url));
            return;
        }
        let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        let clickable = matches!(scheme.as_deref(), Some("http" | "https" | "mailto" | "ftp"));
        let shown = self.theme().link(&text, &url, clickable);
        self.line.push_str(&shown);
    }

    /// A table's structure; whether `ev` was part of it.
    fn table_event(&mut self, ev: &Event) -> bool {
        match ev {
            Event::Start(Tag::Table(_)) => {
                self.flush_line();
                self.table = Some(Table {
                    rows: Vec::new(),
                    cell: String::new(),
                    head_rows: 0,
                });
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.head_rows = t.rows.len();
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = self.table.as_mut() {
                    let c = std::mem::take(&mut t.cell).trim().to_string();
                    if let Some(r) = t.rows.last_mut() {
                        r.push(c);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.table(t);
                }
            }
            _ => return false,
        }
        true
    }

    /// Inline code holding placeholders: one code span, values filled inside.
    fn code_span(&mut self, segments: &[Segment]) {
        let th = self.theme();
        let mut plain = String::new();
        let mut looked = String::new();
        for seg in segments {
            let (s, kind) = match seg {
                Segment::Text(t) => (clean(t), TextRole::Text),
                Segment::Placeholder(f) => fill_shown(f),
            };
            plain.push_str(&s);
            looked.push_str(&th.paint(kind, &clean(&s)));
        }
        if self.link.is_some() || self.table.is_some() {
            self.push(&plain, TextRole::Text);
            return;
        }
        // The code look around values that keep their own look.
        self.line.push_str(&th.paint(TextRole::Code, &looked));
    }

    fn image(&mut self, dest: &str, file: &ImageFile) {
        let path = clean(dest);
        let shown = t!("render-image", path = path);
        let status = match file {
            ImageFile::Local { exists: false, .. } => Some(t!("render-image-missing")),
            ImageFile::Local { exists: true, .. } if self.o.hints == Hints::Walk => {
                Some(t!("render-image-open-key"))
            }
            ImageFile::Refused(_) => Some(t!("render-image-outside")),
            _ => None,
        };
        match status {
            Some(s) => self.push(&format!("{shown} ({s})"), TextRole::Border),
            None => self.push(&shown, TextRole::Border),
        }
    }

    fn details(&mut self, m: &DetailsMark) {
        let DetailsMark::Open { summary } = m else {
            // The end of an open <details>.
            self.blank();
            return;
        };
        self.flush_line();
        let summary = match clean(summary).trim() {
            "" => t!("render-details-no-summary"),
            s => s.to_string(),
        };
        if self.o.details_open {
            self.own_line(&format!("▾ {summary}"));
            return;
        }
        let how = match self.o.hints {
            Hints::Walk => t!("render-details-open-key"),
            Hints::Command => t!("render-details-open-flag"),
        };
        let line = t!("render-details-folded", summary = summary, how = how);
        self.own_line(&line);
        self.blank();
        self.folded = 1;
    }

    /// The memo block `b`: its name and entries, values as the caller shows them.
    fn memo(&mut self, b: usize) {
        let Some(block) = self.o.lab.memo_blocks.get(b) else {
            return;
        };
        self.blank();
        let bar = self.theme().paint(TextRole::Border, "▌ ");
        let head = self
            .theme()
            .paint(TextRole::Strong, &clean(&format!("📌 [{}]", block.name)));
        let mut out = format!("{}{bar}{head}\n", self.prefix());
        for e in &block.entries {
            let (v, kind) = entry_shown(&(self.o.memo)(e));
            let th = self.theme();
            let v = clean(&v);
            let mut lines = v.split('\n');
            let first = lines.next().unwrap_or("");
            let first = th.paint(kind, first);
            let key = clean(&e.key);
            let head = format!("{}{bar}", self.prefix());
            let more = format!("{}{bar}    ", self.prefix());
            self.out.push_str(&out);
            out.clear();
            let line = format!("➕ {key} : {first}");
            self.push_folded(line.trim_end(), &head, &more);
            for l in lines {
                self.push_folded(&th.paint(kind, l), &more, &more);
            }
        }
        self.out.push_str(&out);
        self.blank();
    }

    /// A code block under a label that says what `run` does with it ([`view::class_label`]):
    /// framed, or (`raw`) exactly its lines under a comment line.
    fn code_block(&mut self, c: &CodeView) {
        self.flush_line();
        let th = self.theme();
        let lines = code_lines(th, c);
        let lang = clean(c.lang.as_deref().unwrap_or("code"));
        let what = th.paint(TextRole::Class(c.class), &view::class_label(c.class));
        if self.o.raw {
            // Exactly the block's lines: no border, no indentation, nothing cut. The label is
            // a shell comment of one line (no newline can be in it), so pasted with the block
            // it runs nothing.
            self.blank();
            let label = format!(
                "{}{what}",
                th.paint(TextRole::Border, &format!("# {lang} · "))
            );
            self.out.push_str(&label);
            self.out.push('\n');
            for l in lines {
                self.out.push_str(&l);
                self.out.push('\n');
            }
            self.blank();
            return;
        }
        let p = self.prefix();
        let label = format!(
            "{p}{}{what}\n",
            th.paint(TextRole::Border, &format!("┌─ {lang} · "))
        );
        self.out.push_str(&label);
        let bar = format!("{p}{}", th.paint(TextRole::Border, "│ "));
        // A line longer than the frame goes on under a dotted bar, broken at a space: a
        // value in it stays whole on one line (and overflows when it alone is wider).
        let more = format!("{p}{}  ", th.paint(TextRole::Border, "┆ "));
        for l in lines {
            self.push_folded(&l, &bar, &more);
        }
        self.own_line("└─");
        self.blank();
    }

    /// A table too wide for the terminal: each row a list of `label: value` lines (the
    /// label its header cell), folded at spaces so that no value is cut.
    fn table_as_list(&mut self, t: Table) {
        let p = self.prefix();
        let th = self.theme();
        let head: &[String] = match t.head_rows {
            0 => &[],
            n => &t.rows[n - 1],
        };
        let more = format!("{p}    ");
        for r in &t.rows[t.head_rows..] {
            let mut bullet = true;
            for (i, cell) in r.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let lead = format!("{p}{}", if bullet { "• " } else { "  " });
                bullet = false;
                let text = match head.get(i).filter(|h| !h.is_empty()) {
                    Some(h) => format!("{}: {cell}", th.paint(TextRole::TableHead, h)),
                    None => cell.clone(),
                };
                for (n, line) in text.split('\n').enumerate() {
                    let first = if n == 0 { &lead } else { &more };
                    self.push_folded(line, first, &more);
                }
            }
        }
        self.out.push('\n');
    }

    /// A table for copying (`raw`): each row's cells as they are, unpadded, nothing wrapped.
    fn raw_table(&mut self, t: Table) {
        let p = self.prefix();
        let th = self.theme();
        for (k, r) in t.rows.iter().enumerate() {
            let line = r.join(" │ ");
            let line = if k < t.head_rows {
                th.paint(TextRole::TableHead, &line)
            } else {
                line
            };
            self.out.push_str(&format!("{p}{line}\n"));
        }
        self.out.push('\n');
    }

    fn table(&mut self, t: Table) {
        if self.o.raw {
            return self.raw_table(t);
        }
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; cols];
        for r in &t.rows {
            for (i, c) in r.iter().enumerate() {
                let w = c.split('\n').map(width).max().unwrap_or(0);
                widths[i] = widths[i].max(w);
            }
        }
        let p = self.prefix();
        if let Some(max) = self.o.width {
            let room = max.saturating_sub(width(&p) + 3 * cols.saturating_sub(1));
            let mut words = vec![0; cols];
            for r in &t.rows {
                for (i, c) in r.iter().enumerate() {
                    let w = c.split([' ', '\n']).map(width).max().unwrap_or(0);
                    words[i] = words[i].max(w);
                }
            }
            fit(&mut widths, &words, room);
            // A row that fits only by cutting a word (a value) or not at all: the table
            // is told as a list instead.
            let cut = words.iter().zip(&widths).any(|(w, c)| w > c);
            if (cut || widths.iter().sum::<usize>() > room) && t.rows.len() > t.head_rows {
                return self.table_as_list(t);
            }
        }
        let th = self.theme();
        let mut out = String::new();
        for (k, r) in t.rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = (0..cols)
                .map(|i| wrap(r.get(i).map_or("", String::as_str), widths[i].max(1)))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for n in 0..height {
                let line: Vec<String> = (0..cols)
                    .map(|i| pad(cells[i].get(n).map_or("", String::as_str), widths[i]))
                    .collect();
                let line = line.join(" │ ");
                let line = line.trim_end();
                let line = if k < t.head_rows {
                    th.paint(TextRole::TableHead, line)
                } else {
                    line.to_string()
                };
                out.push_str(&format!("{p}{line}\n"));
            }
            if k + 1 == t.head_rows {
                let sep: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                out.push_str(&format!(
                    "{p}{}\n",
                    th.paint(TextRole::Border, &sep.join("─┼─"))
                ));
            }
        }
        self.out.push_str(&out);
        self.out.push('\n');
    }
}

/// Narrow columns until the row fits `room`, in this order: the other columns down to their
/// longest word (so `🧲복사 & 📋붙여넣기` breaks between words), the value column (the second:
/// what the student copies), then any column down to 8. Narrowed cells wrap.
fn fit(widths: &mut [usize], words: &[usize], room: usize) {
    for floors in fit_floors(words) {
        cap_to(widths, &floors, room);
    }
}

/// The rounds of [`fit`] for columns whose longest words are `words` wide: in each, the
/// width each column may narrow to (`None`: it keeps its width in that round).
fn fit_floors(words: &[usize]) -> [Vec<Option<usize>>; 3] {
    let n = words.len();
    [
        (0..n).map(|i| (i != 1).then(|| words[i].max(8))).collect(),
        (0..n).map(|i| (i == 1).then_some(8)).collect(),
        vec![Some(8); n],
    ]
}

/// One round of [`fit`] in one go: the columns that have a floor are cut to a common level
/// (never below their floor) so that the row takes `room`, exactly as narrowing the widest
/// column one column at a time would, ties cut from the right; a binary search finds the
/// level, so a table of a thousand columns fits at once.
fn cap_to(widths: &mut [usize], floors: &[Option<usize>], room: usize) {
    let capped = |i: usize, level: usize| match floors[i] {
        Some(f) if widths[i] > f => widths[i].min(level).max(f),
        _ => widths[i],
    };
    let total = |level: usize| (0..widths.len()).map(|i| capped(i, level)).sum::<usize>();
    let top = widths.iter().copied().max().unwrap_or(0);
    if total(top) <= room {
        return;
    }
    if total(0) > room {
        // Every column at its floor, and still too wide: the next round narrows further.
        let all: Vec<usize> = (0..widths.len()).map(|i| capped(i, 0)).collect();
        widths.copy_from_slice(&all);
        return;
    }
    // The highest level at which the row fits (`total` grows with the level); one level
    // higher it does not, and the columns at that level lose one more, from the right.
    let (mut lo, mut hi) = (0, top);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if total(mid) <= room {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let level = lo + 1;
    let mut next: Vec<usize> = (0..widths.len()).map(|i| capped(i, level)).collect();
    let mut over = next.iter().sum::<usize>().saturating_sub(room);
    for i in (0..next.len()).rev() {
        if over == 0 {
            break;
        }
        if next[i] == level && floors[i].is_some_and(|f| f < level) {
            next[i] -= 1;
            over -= 1;
        }
    }
    widths.copy_from_slice(&next);
}

/// A code block's lines, placeholders filled with their look; an example's text in the
/// theme's example look, line by line (so no look spans a line break and its border).
fn code_lines(th: &dyn Theme, c: &CodeView) -> Vec<String> {
    let example = c.class == Some(Class::Example);
    let mut lines = vec![String::new()];
    for seg in &c.segments {
        let (s, kind) = match seg {
            Segment::Text(t) => (clean(t), None),
            Segment::Placeholder(f) => {
                let (s, kind) = fill_shown(f);
                (clean(&s), Some(kind))
            }
        };
        for (k, part) in s.split('\n').enumerate() {
            if k > 0 {
                lines.push(String::new());
            }
            let part = match kind {
                Some(kind) => th.paint(kind, part),
                None if example => th.paint(TextRole::Example, part),
                None => part.to_string(),
            };
            if let Some(l) = lines.last_mut() {
                l.push_str(&part);
            }
        }
    }
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// What a placeholder shows: its value, `••••` for a masked secret, `<<name>>` as written.
fn fill_shown(f: &Fill) -> (String, TextRole) {
    let missing = (format!("<<{}>>", f.name), TextRole::Missing);
    value_shown(&f.value, TextRole::Filled, missing)
}

/// What a memo entry shows: its value, `••••` for a masked secret, nothing when empty.
fn entry_shown(v: &FillValue) -> (String, TextRole) {
    value_shown(v, TextRole::Text, (String::new(), TextRole::Text))
}

/// A value in the look `look`, `••••` for a masked secret, `missing` when there is none.
fn value_shown(v: &FillValue, look: TextRole, missing: (String, TextRole)) -> (String, TextRole) {
    match v {
        FillValue::Plain(v) => (v.clone(), look),
        FillValue::Secret(Some(v)) => (v.expose_secret().to_string(), look),
        FillValue::Secret(None) => ("••••".to_string(), TextRole::Masked),
        FillValue::Missing { .. } => missing,
    }
}

#[cfg(test)]
mod tests;
