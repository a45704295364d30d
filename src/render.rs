//! Terminal rendering of a piece of a lab: lists, code blocks, tables, images as
//! `[image: path]`, `<details>` folded to its summary.
//!
//! Pure: markdown text in, a string out. Placeholders are filled through a callback so that
//! the renderer never learns where values come from (and never sees a secret unless the
//! caller chose to reveal it). Code blocks keep their exact text so they can be copied.
//!
//! Placeholders are the lab parser's (one scanner, [`crate::placeholder`]; the memo block's
//! own `<< key>>` is not one). Before markdown parsing each is replaced by an inert mark
//! (`U+E000 index U+E001`, private-use characters markdown gives no meaning), which comes
//! back filled (or as written) wherever its text lands: prose split into several text
//! events, a table cell, inline code, a code block, an image path. So `<<x>>` is never
//! taken for an HTML tag `<x>`, and a heredoc `<<EOF >>` is never filled.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

use crate::lab::extract_summary;

/// A placeholder filler: `Some(text)` substitutes `<<name>>`.
pub type Fill<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How to render.
pub struct Style<'a> {
    /// ANSI colours and bold (the caller decides: `cli::style`, from the colour variables).
    pub color: bool,
    /// Replace `<<name>>`: return `Some(text)` to substitute.
    pub fill: Option<Fill<'a>>,
    /// Terminal width: wide tables are cut to fit (`None`: never cut, e.g. into a pipe).
    pub width: Option<usize>,
}

/// The width of the terminal on stdout (`COLUMNS` first), or `None` when it is not one.
pub fn terminal_width() -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(c);
    }
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ fills the winsize we pass; fd 1 may be anything, errors are checked.
    let r = unsafe { libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

impl Style<'_> {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Display width of a string (Korean and emoji count 2), ignoring ANSI escapes.
pub fn width(s: &str) -> usize {
    let mut w = 0;
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        w += UnicodeWidthStr::width(&rest[..i]);
        rest = &rest[i..];
        match rest.find('m') {
            Some(j) => rest = &rest[j + 1..],
            None => return w,
        }
    }
    w + UnicodeWidthStr::width(rest)
}

/// Pad to a display width.
pub fn pad(s: &str, w: usize) -> String {
    let cur = width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(cur)));
    out
}

/// Truncate to a display width, adding `…` when cut.
pub fn truncate(s: &str, w: usize) -> String {
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

/// Start and end of a placeholder's mark.
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// A placeholder replaced by its mark: its name and its text as written.
struct Mark {
    name: String,
    raw: String,
}

/// `md` with every placeholder replaced by its mark (marks already in the text, which no
/// lab has reason to hold, become U+FFFD so they cannot pose as one).
fn mark_placeholders(md: &str) -> (String, Vec<Mark>) {
    let md = md.replace([MARK_OPEN, MARK_CLOSE], "\u{FFFD}");
    let lab = crate::lab::parse_str(&md, "");
    let found: Vec<&crate::lab::Placeholder> = lab
        .placeholders
        .iter()
        .filter(|p| p.context != crate::lab::PlaceholderContext::Memo)
        .collect();
    let marked = crate::placeholder::replace(&md, found.iter().map(|p| p.span.clone()), |i| {
        format!("{MARK_OPEN}{i}{MARK_CLOSE}")
    });
    let marks = found
        .iter()
        .map(|p| Mark {
            name: p.name.clone(),
            raw: md[p.span.clone()].to_string(),
        })
        .collect();
    (marked, marks)
}

/// Render markdown for the terminal.
pub fn render(md: &str, style: &Style) -> String {
    let (md, marks) = mark_placeholders(&md.replace("\r\n", "\n"));
    let mut r = Renderer {
        style,
        marks,
        out: String::new(),
        line: String::new(),
        lists: Vec::new(),
        quote: 0,
        table: None,
        in_code: None,
        details_depth: 0,
        pending_item: None,
        in_image: false,
        awaiting_summary: false,
    };
    let parser = Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for ev in parser {
        r.event(ev);
    }
    r.flush_line();
    // A mark in what is not text (an HTML attribute shown as summary, say) comes back too.
    r.out = r.restore(&r.out);
    // Collapse runs of blank lines.
    let mut out = String::new();
    let mut blank = 0;
    for l in r.out.lines() {
        if l.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(l.trim_end());
        out.push('\n');
    }
    out.trim_matches('\n').to_string() + "\n"
}

struct Table {
    rows: Vec<Vec<String>>,
    cell: String,
    head_rows: usize,
    in_head: bool,
}

struct Renderer<'a, 'b> {
    style: &'a Style<'b>,
    marks: Vec<Mark>,
    out: String,
    line: String,
    lists: Vec<Option<u64>>,
    quote: usize,
    table: Option<Table>,
    in_code: Option<(Option<String>, String)>,
    details_depth: usize,
    pending_item: Option<String>,
    in_image: bool,
    awaiting_summary: bool,
}

impl Renderer<'_, '_> {
    /// `s` with each mark replaced by its placeholder's value, or its text as written when
    /// there is no value (or no filler).
    fn restore(&self, s: &str) -> String {
        if !s.contains(MARK_OPEN) {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find(MARK_OPEN) {
            out.push_str(&rest[..i]);
            let after = &rest[i + MARK_OPEN.len_utf8()..];
            let mark = after.find(MARK_CLOSE).and_then(|j| {
                let m = self.marks.get(after[..j].parse::<usize>().ok()?)?;
                Some((m, j))
            });
            let Some((m, j)) = mark else {
                out.push(MARK_OPEN);
                rest = after;
                continue;
            };
            let filled = self.style.fill.and_then(|f| f(&m.name));
            out.push_str(filled.as_deref().unwrap_or(&m.raw));
            rest = &after[j + MARK_CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        out
    }

    fn prefix(&self) -> String {
        let mut p = "▌ ".repeat(self.quote);
        p.push_str(&"  ".repeat(self.lists.len().saturating_sub(1)));
        if !self.lists.is_empty() {
            p.push_str("  ");
        }
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
        self.out.push_str(&p);
        self.out.push_str(text.trim());
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.flush_line();
        if !self.out.ends_with("\n\n") && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn text(&mut self, t: &str) {
        let filled = self.restore(t);
        if let Some(tb) = self.table.as_mut() {
            tb.cell.push_str(&filled);
        } else {
            self.line.push_str(&filled);
        }
    }

    fn event(&mut self, ev: Event) {
        if self.details_depth == 0 && self.awaiting_summary {
            self.awaiting_summary = false;
            self.folded_line("details");
        }
        if self.details_depth > 0 {
            // Inside a folded <details>: show its summary, skip the rest until it closes.
            if let Event::Html(h) | Event::InlineHtml(h) = &ev {
                if self.awaiting_summary {
                    if let Some(sum) = extract_summary(h) {
                        self.awaiting_summary = false;
                        self.folded_line(&sum);
                    }
                }
                self.details_depth += h.matches("<details").count();
                self.details_depth = self
                    .details_depth
                    .saturating_sub(h.matches("</details>").count());
            }
            return;
        }
        if let Some((_, code)) = self.in_code.as_mut() {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = self.in_code.take().unwrap_or_default();
                    self.code_block(lang, &code);
                }
                _ => {}
            }
            return;
        }
        if self.block_event(&ev) || self.in_image {
            // An image's alt text is skipped: the image is shown by its path.
            return;
        }
        if !self.table_event(&ev) {
            self.inline_event(ev);
        }
    }

    /// Paragraphs, headings, quotes, lists, code block starts, emphasis and images; whether
    /// `ev` was one.
    fn block_event(&mut self, ev: &Event) -> bool {
        match ev {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => self.blank(),
            Event::Start(Tag::Heading { .. }) => self.blank(),
            Event::End(TagEnd::Heading(_)) => {
                let t = std::mem::take(&mut self.line);
                self.line = self.style.paint("1", t.trim());
                self.blank();
            }
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
            Event::Start(Tag::Item) => {
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
            Event::End(TagEnd::Item) => self.flush_line(),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.flush_line();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(str::to_string)
                        .filter(|s| !s.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                self.in_code = Some((lang, String::new()));
            }
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => {}
            Event::Start(Tag::Strong) if self.style.color && self.table.is_none() => {
                self.line.push_str("\x1b[1m");
            }
            Event::End(TagEnd::Strong) if self.style.color && self.table.is_none() => {
                self.line.push_str("\x1b[0m");
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let t = format!("[image: {}]", self.restore(dest_url));
                let t = self.style.paint("2", &t);
                self.line.push_str(&t);
                // Skip the alt text: the image is shown by its path.
                self.in_image = true;
            }
            Event::End(TagEnd::Image) => self.in_image = false,
            _ => return false,
        }
        true
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
                    in_head: false,
                });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.rows.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                    t.head_rows = t.rows.len();
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
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

    /// Text, inline code, breaks, HTML and rules.
    fn inline_event(&mut self, ev: Event) {
        match ev {
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let filled = self.restore(&t);
                let s = if self.style.color {
                    self.style.paint("36", &filled)
                } else {
                    format!("`{filled}`")
                };
                if let Some(tb) = self.table.as_mut() {
                    tb.cell.push_str(&filled);
                } else {
                    self.line.push_str(&s);
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush_line(),
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h),
            Event::Rule => {
                self.blank();
                self.out.push_str("────────\n\n");
            }
            _ => {}
        }
    }

    fn html(&mut self, h: &str) {
        if let Some(i) = h.find("<details") {
            let rest = &h[i..];
            let summary = extract_summary(rest);
            self.flush_line();
            match summary {
                Some(sum) => self.folded_line(&sum),
                None => self.awaiting_summary = true,
            }
            self.details_depth = 1 + h[i + 8..].matches("<details").count();
            self.details_depth = self
                .details_depth
                .saturating_sub(h.matches("</details>").count());
            return;
        }
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("<br") {
            self.flush_line();
        }
    }

    fn folded_line(&mut self, summary: &str) {
        let line = format!("▸ {summary} (folded)");
        self.out.push_str(&self.prefix());
        self.out.push_str(&self.style.paint("2", &line));
        self.out.push('\n');
    }

    fn code_block(&mut self, lang: Option<String>, code: &str) {
        let p = self.prefix();
        let label = format!("┌─ {}", lang.as_deref().unwrap_or("code"));
        self.out.push_str(&p);
        self.out.push_str(&self.style.paint("2", &label));
        self.out.push('\n');
        let filled = self.restore(code);
        for l in filled.trim_end_matches('\n').split('\n') {
            self.out.push_str(&p);
            self.out.push_str(&self.style.paint("2", "│ "));
            self.out.push_str(l);
            self.out.push('\n');
        }
        self.out.push_str(&p);
        self.out.push_str(&self.style.paint("2", "└─"));
        self.out.push_str("\n\n");
    }

    fn table(&mut self, t: Table) {
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; cols];
        for r in &t.rows {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(width(c));
            }
        }
        let p = self.prefix();
        // Fit the terminal: narrow the widest column (down to 8) until the row fits, the
        // value column (the second: what the student copies) last.
        if let Some(max) = self.style.width {
            let room = max.saturating_sub(width(&p) + 3 * cols.saturating_sub(1));
            while widths.iter().sum::<usize>() > room {
                let widest = |skip_value: bool| {
                    widths
                        .iter()
                        .enumerate()
                        .filter(|&(i, &w)| w > 8 && !(skip_value && i == 1))
                        .max_by_key(|&(_, &w)| w)
                        .map(|(i, _)| i)
                };
                match widest(true).or_else(|| widest(false)) {
                    Some(i) => widths[i] -= 1,
                    None => break,
                }
            }
        }
        for (k, r) in t.rows.iter().enumerate() {
            let cells: Vec<String> = (0..cols)
                .map(|i| {
                    pad(
                        &truncate(r.get(i).map_or("", String::as_str), widths[i]),
                        widths[i],
                    )
                })
                .collect();
            let line = cells.join(" │ ");
            self.out.push_str(&p);
            if k < t.head_rows {
                self.out.push_str(&self.style.paint("1", line.trim_end()));
            } else {
                self.out.push_str(line.trim_end());
            }
            self.out.push('\n');
            if k + 1 == t.head_rows {
                let sep: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.out.push_str(&p);
                self.out.push_str(&sep.join("─┼─"));
                self.out.push('\n');
            }
        }
        self.out.push('\n');
    }
}

/// `md` with every `<details>` open (walk's `e`xpand): the `<details>` and `</details>`
/// lines go, each `<summary>` becomes a line `▾ summary` followed by what it folded. Only
/// tags that start a line (after a quote's `>`) are HTML blocks to markdown; others are
/// text and stay.
pub fn open_details(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut summary: Option<(String, String)> = None;
    for line in md.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t', '>']);
        let prefix = &line[..line.len() - body.len()];
        if let Some((pre, text)) = summary.as_mut() {
            text.push_str(line);
            if line.contains("</summary>") {
                out.push_str(&format!("{pre}▾ {}\n\n", summary_text(text)));
                summary = None;
            }
            continue;
        }
        let lower = body.to_ascii_lowercase();
        let rest = if lower.starts_with("<details") {
            body.find('>').map_or("", |g| &body[g + 1..])
        } else if lower.starts_with("</details>") {
            &body["</details>".len()..]
        } else if lower.starts_with("<summary") {
            body
        } else {
            out.push_str(line);
            continue;
        };
        let rest_trim = rest.trim_start();
        if rest_trim.starts_with("<summary") {
            if rest_trim.contains("</summary>") {
                out.push_str(&format!("{prefix}▾ {}\n\n", summary_text(rest_trim)));
            } else {
                summary = Some((prefix.to_string(), rest_trim.to_string()));
            }
        } else if !rest.trim().is_empty() {
            out.push_str(prefix);
            out.push_str(rest);
        }
    }
    if let Some((pre, text)) = summary {
        out.push_str(&format!("{pre}▾ {}\n", summary_text(&text)));
    }
    out
}

/// The text of a `<summary>…</summary>`, tags dropped.
fn summary_text(h: &str) -> String {
    extract_summary(h).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> String {
        render(
            md,
            &Style {
                color: false,
                fill: None,
                width: None,
            },
        )
    }

    #[test]
    fn lists_code_images_details_tables() {
        let md = "- 하나<br>\n  둘\n\n```bash\necho <<x>>\n```\n\n![](../images/1.png)\n\n<details>\n<summary> 참고 </summary>\n\n- hidden\n\n</details>\n\n> | 항목 | 내용 |\n> | --- | --- |\n> | ➕ 이름 | `값` |\n";
        let out = plain(md);
        assert!(out.contains("• 하나"), "{out}");
        assert!(out.contains("│ echo <<x>>"), "{out}");
        assert!(out.contains("[image: ../images/1.png]"), "{out}");
        assert!(out.contains("▸ 참고 (folded)"), "{out}");
        assert!(!out.contains("hidden"), "{out}");
        assert!(out.contains("➕ 이름 │ 값"), "{out}");
    }

    #[test]
    fn wide_tables_fit_the_terminal() {
        let md = "| 항목 | 내용 | 액션 |\n|---|---|---|\n| ➕ AWS Secret Access key | `<<발급받은 AWS Secret Access key>>` | ✏메모내용 🧲복사 & 📋붙여넣기 |\n";
        let out = render(
            md,
            &Style {
                color: false,
                fill: None,
                width: Some(60),
            },
        );
        for l in out.lines() {
            assert!(width(l) <= 60, "{l:?} is {} wide", width(l));
        }
        assert!(out.contains('…'), "{out}");
        // The value column is cut last.
        assert!(out.contains("<<발급받은 AWS Secret Access key>>"), "{out}");
        assert!(plain(md).contains("<<발급받은 AWS Secret Access key>>"));
    }

    fn filled(md: &str) -> String {
        let f = |n: &str| (n != "unknown").then(|| format!("[{n}]"));
        render(
            md,
            &Style {
                color: false,
                fill: Some(&f),
                width: None,
            },
        )
    }

    #[test]
    fn placeholders_are_filled_where_the_scanner_finds_them() {
        // The issue-10 step: prose and code filled, the heredoc operator left alone.
        let md = "- 버킷 `<<bucket_name>>` 과 서버 <<생성된 IP>> 를 쓴다.\n```bash\necho ssh <<생성된 IP>> >> a.txt\ncat <<EOF >> b.txt\nplain\nEOF\n```\n";
        let out = filled(md);
        assert!(
            out.contains("• 버킷 `[bucket_name]` 과 서버 [생성된 IP] 를 쓴다."),
            "{out}"
        );
        assert!(out.contains("│ echo ssh [생성된 IP] >> a.txt"), "{out}");
        assert!(out.contains("│ cat <<EOF >> b.txt"), "{out}");
        // `<<x>>` is not an HTML tag, filled or not; unknown ones stay as written.
        assert_eq!(plain("a <<x>> b <<unknown>>"), "a <<x>> b <<unknown>>\n");
        assert_eq!(filled("a <<x>> b << unknown >>"), "a [x] b << unknown >>\n");
        assert!(filled("| a | b |\n|---|---|\n| k | <<v>> |\n").contains("k │ [v]"));
        assert!(filled("![](img/<<v>>.png)").contains("[image: img/[v].png]"));
        // The memo block's own keys are labels, not uses.
        let memo = "> **📌 [메모사항]**\n>\n> ➕ _<< k>>_ : 1\n";
        assert!(filled(memo).contains("<< k>>"), "{}", filled(memo));
        // A mark planted in the lab is not one.
        assert!(!filled("\u{E000}0\u{E001} <<v>>").contains("[v] [v]"));
    }

    #[test]
    fn width_pad_truncate() {
        assert_eq!(width("한글ab"), 6);
        assert_eq!(pad("한", 4), "한  ");
        assert_eq!(truncate("한국어입니다", 7), "한국어…");
    }

    #[test]
    fn details_open_show_their_summary_and_body() {
        let md = "앞\n\n<details>\n<summary> 😎 [참고] 키 삭제 </summary>\n\n- hidden 1\n\n![](../images/1.png)\n\n</details>\n\n뒤\n";
        assert!(!plain(md).contains("hidden 1"));
        let out = plain(&open_details(md));
        assert!(out.contains("▾ 😎 [참고] 키 삭제"), "{out}");
        assert!(out.contains("• hidden 1"), "{out}");
        assert!(out.contains("../images/1.png"), "{out}");
        assert!(out.contains("뒤"), "{out}");
        assert!(!out.contains("folded"), "{out}");
    }

    #[test]
    fn summaries_on_the_details_line_or_over_lines_and_crlf() {
        let md = "<details><summary>one</summary>\r\n\r\nbody one\r\n</details>\r\n<details>\r\n<summary>\r\n two\r\n</summary>\r\n\r\nbody two\r\n</details>\r\n";
        let out = plain(&open_details(md));
        for want in ["▾ one", "body one", "▾ two", "body two"] {
            assert!(out.contains(want), "{want}: {out}");
        }
        // Text that only mentions a tag is kept.
        assert_eq!(open_details("a `<details>` tag\n"), "a `<details>` tag\n");
    }
}
