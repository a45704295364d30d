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

use secrecy::{ExposeSecret, SecretString};

use super::AppError;
use crate::lab::MemoEntry;
use crate::resolve::{Resolver, Source};
use crate::secret::Keyring;
use crate::view::{CodeView, Fill, FillValue, Piece, Segment};

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

/// What a piece of a lab pastes as: a table cell, a line of a code block or a whole block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteKind {
    /// A table cell that holds a placeholder (`network-<<gitopsconsole_ID>>-<<YYMMDD>>`).
    Cell,
    /// A line of a code block that holds a placeholder; a value of several lines makes it
    /// as many lines.
    Line,
    /// A whole code block that holds a placeholder.
    Block,
}

/// Text a student copies to paste: the filled text of a cell, a line or a block, exactly as
/// it will be pasted (values in place, a value of several lines decoded line for line, a
/// value not noted as `<<name>>`). It may hold a revealed secret, hence a secret type.
pub struct Paste {
    pub kind: PasteKind,
    pub text: SecretString,
    /// For a cell: its position among the table cells of the pieces (header cells
    /// included), as the web page numbers them; for a line or block: the block's ordinal.
    pub at: usize,
}

/// The one rule of what a filled value pastes as (as [`crate::view::segments_text`]).
fn pasted(f: &Fill) -> String {
    match &f.value {
        FillValue::Plain(v) => v.clone(),
        FillValue::Secret(Some(v)) => v.expose_secret().to_string(),
        FillValue::Secret(None) => "••••".to_string(),
        FillValue::Missing { .. } => format!("<<{}>>", f.name),
    }
}

/// Every table cell of `pieces` in order (header cells included): its filled text, trimmed,
/// and whether it holds a placeholder.
pub fn table_cells(pieces: &[Piece]) -> Vec<(String, bool)> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut cells = Vec::new();
    let mut cell: Option<(String, bool)> = None;
    for p in pieces {
        match p {
            Piece::Event(Event::Start(Tag::TableCell)) => cell = Some((String::new(), false)),
            Piece::Event(Event::End(TagEnd::TableCell)) => {
                if let Some((t, has)) = cell.take() {
                    cells.push((t.trim().to_string(), has));
                }
            }
            _ => {
                let Some((t, has)) = cell.as_mut() else {
                    continue;
                };
                match p {
                    Piece::Event(Event::Text(s) | Event::Code(s)) => t.push_str(s),
                    Piece::Event(Event::SoftBreak) => t.push(' '),
                    Piece::Event(Event::HardBreak) => t.push('\n'),
                    Piece::Event(Event::Html(h) | Event::InlineHtml(h))
                        if h.trim_start().to_ascii_lowercase().starts_with("<br") =>
                    {
                        t.push('\n')
                    }
                    Piece::Placeholder(f) => {
                        t.push_str(&pasted(f));
                        *has = true;
                    }
                    Piece::CodeSpan(segs) => {
                        for seg in segs {
                            match seg {
                                Segment::Text(s) => t.push_str(s),
                                Segment::Placeholder(f) => {
                                    t.push_str(&pasted(f));
                                    *has = true;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    cells
}

/// The lines of code block `c` as written, each filled, with whether it holds a
/// placeholder (a value of several lines stays inside its line, newlines and all).
fn block_lines(c: &CodeView) -> Vec<(String, bool)> {
    let mut lines = vec![(String::new(), false)];
    for seg in &c.segments {
        match seg {
            Segment::Text(t) => {
                for (n, part) in t.split('\n').enumerate() {
                    if n > 0 {
                        lines.push((String::new(), false));
                    }
                    if let Some(l) = lines.last_mut() {
                        l.0.push_str(part);
                    }
                }
            }
            Segment::Placeholder(f) => {
                if let Some(l) = lines.last_mut() {
                    l.0.push_str(&pasted(f));
                    l.1 = true;
                }
            }
        }
    }
    while lines.len() > 1 && lines.last().is_some_and(|l| l.0.is_empty() && !l.1) {
        lines.pop();
    }
    lines
}

/// The whole filled text of code block `c`, as its Copy button copies it.
pub fn block_text(c: &CodeView) -> SecretString {
    let text: String = c
        .segments
        .iter()
        .map(|seg| match seg {
            Segment::Text(t) => t.clone(),
            Segment::Placeholder(f) => pasted(f),
        })
        .collect();
    SecretString::from(text)
}

/// What `pieces` (a lab or a step) offers to paste, in the order they stand: each table cell
/// holding a placeholder, and for each code block holding one its filled lines, then the
/// whole block (when it has more than one line).
pub fn pastes(pieces: &[Piece]) -> Vec<Paste> {
    use pulldown_cmark::{Event, Tag};
    let cells = table_cells(pieces);
    let mut out = Vec::new();
    let mut n_cell = 0;
    for p in pieces {
        match p {
            Piece::Event(Event::Start(Tag::TableCell)) => {
                if let Some((text, true)) = cells.get(n_cell) {
                    out.push(Paste {
                        kind: PasteKind::Cell,
                        text: SecretString::from(text.clone()),
                        at: n_cell,
                    });
                }
                n_cell += 1;
            }
            Piece::Code(c) => {
                let lines = block_lines(c);
                if !lines.iter().any(|l| l.1) {
                    continue;
                }
                for (text, _) in lines.iter().filter(|l| l.1) {
                    out.push(Paste {
                        kind: PasteKind::Line,
                        text: SecretString::from(text.clone()),
                        at: c.ordinal,
                    });
                }
                if lines.len() > 1 {
                    out.push(Paste {
                        kind: PasteKind::Block,
                        text: block_text(c),
                        at: c.ordinal,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What step `i` of lab `k` offers to paste ([`pastes`] of its body), its values filled by
/// a [`Filler`] over `resolver` — secrets masked, or revealed (for the clipboard) when
/// `reveal`. Both calls give the same list in the same order, so a front end lists the
/// masked one and copies the revealed entry of the same number.
pub fn step_pastes(
    resolver: Resolver,
    k: usize,
    i: usize,
    reveal: bool,
) -> Result<Vec<Paste>, AppError> {
    let course = resolver.course();
    let lab = &course.labs[k].lab;
    let filler = Filler::new(resolver, reveal);
    let fill = |name: &str| filler.fill(name);
    let files = crate::view::Files {
        lab_dir: std::path::Path::new(""),
        root: std::path::Path::new("/"),
        exists: &|_| false,
    };
    let pieces = crate::view::range_view(lab, lab.steps[i].body_span.clone(), &fill, &files);
    let out = pastes(&pieces);
    match filler.failure() {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// A stored value as its lines: a value of several lines (`b64:…`) decoded, any other (or
/// a damaged one) as stored.
pub fn lines_of(raw: &str) -> std::borrow::Cow<'_, str> {
    match crate::multiline::decode(raw) {
        Some(Ok(v)) => std::borrow::Cow::Owned(v),
        _ => std::borrow::Cow::Borrowed(raw),
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

#[cfg(test)]
mod paste_tests {
    use super::*;

    /// A lab in the course's style: a table cell and code lines holding values, one of them
    /// of several lines, one not noted.
    const LAB: &str = "# 9일차 - Lab 8. 붙여넣기\n\n## 1. 값 넣기\n\n| 항목 | 값 |\n| --- | --- |\n| 네트워크 | network-<<gitopsconsole_ID>>-<<YYMMDD>> |\n| 설명 | 그대로 |\n\n```yaml\ndata:\n  mapRoles: |\n<<aws_auth_roles>>\n  name: <<gitopsconsole_ID>>\n  other: <<not noted>>\n```\n";

    fn pieces() -> Vec<Piece<'static>> {
        let lab = crate::lab::parse(LAB.as_bytes(), "x").unwrap();
        let fill = |name: &str| Fill {
            name: name.to_string(),
            value: match name {
                "gitopsconsole_ID" => FillValue::Plain("student07".into()),
                "YYMMDD" => FillValue::Plain("261207".into()),
                "aws_auth_roles" => FillValue::Plain(
                    "    - rolearn: arn:aws:iam::1:role/a\n      username: a".into(),
                ),
                _ => FillValue::Missing { suggestion: None },
            },
            source: None,
        };
        let files = crate::view::Files {
            lab_dir: std::path::Path::new(""),
            root: std::path::Path::new("/"),
            exists: &|_| false,
        };
        crate::view::lab_view(&lab, &fill, &files)
    }

    #[test]
    fn a_cell_a_line_and_a_block_paste_as_filled() {
        let pieces = pieces();
        let cells = table_cells(&pieces);
        assert_eq!(
            cells,
            [
                ("항목".to_string(), false),
                ("값".to_string(), false),
                ("네트워크".to_string(), false),
                ("network-student07-261207".to_string(), true),
                ("설명".to_string(), false),
                ("그대로".to_string(), false),
            ]
        );
        let got: Vec<(PasteKind, String, usize)> = pastes(&pieces)
            .into_iter()
            .map(|p| (p.kind, p.text.expose_secret().to_string(), p.at))
            .collect();
        let block = "data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::1:role/a\n      username: a\n  name: student07\n  other: <<not noted>>\n";
        assert_eq!(
            got,
            [
                (PasteKind::Cell, "network-student07-261207".to_string(), 3),
                (
                    PasteKind::Line,
                    "    - rolearn: arn:aws:iam::1:role/a\n      username: a".to_string(),
                    0
                ),
                (PasteKind::Line, "  name: student07".to_string(), 0),
                (PasteKind::Line, "  other: <<not noted>>".to_string(), 0),
                (PasteKind::Block, block.to_string(), 0),
            ]
        );
    }
}
