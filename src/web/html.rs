//! The lab's body as HTML: the view model through pulldown-cmark's HTML writer, sanitized by
//! ammonia, with labnote's own widgets put in afterwards.
//!
//! Everything that comes from the lab file (text, raw HTML, link targets) passes the
//! sanitizer. Labnote's widgets (step checkboxes, filled placeholders, code blocks with their
//! buttons, images, the memo panel) stand in the markdown as marker characters from Unicode's
//! private use area, which the sanitizer keeps as text; they are replaced by the widgets'
//! HTML after sanitizing, so the lab can neither forge nor alter a widget (marker characters
//! in the lab's own text are dropped first).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use maud::{html, Markup, PreEscaped};
use pulldown_cmark::{CowStr, Event};

use crate::app::run::Class;
use crate::app::Lab;
use crate::app::StepState;
use crate::i18n::Lang;
use crate::t_in;
use crate::view::{self, CodeView, Fill, FillValue, ImageFile, Piece, Segment};

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Where an unresolved placeholder would be noted: (lab id, memo key, secret).
pub type FindNoteTarget<'a> = &'a dyn Fn(&str) -> Option<(String, String, bool)>;

/// What the body's widgets need to know about the lab and the student's progress.
pub struct LabCtx<'a> {
    /// The request's language: every word of ours on the page is in it.
    pub lang: Lang,
    pub lab: &'a Lab,
    /// How requests name the lab (its id, or its path when the id is not unique).
    pub key: &'a str,
    pub states: &'a [StepState],
    /// The next unchecked step.
    pub next: Option<usize>,
    /// The memo panel's HTML for memo block `n`.
    pub memo_panel: &'a dyn Fn(usize) -> String,
    /// Where an unresolved placeholder would be noted: (lab id, memo key, secret).
    pub note_target: FindNoteTarget<'a>,
    /// The note form of note point `n` (an index of the lab's note points), or "".
    pub note_form: &'a dyn Fn(usize) -> String,
    /// The note forms of the note points that are step `i`'s heading.
    pub heading_forms: &'a dyn Fn(usize) -> String,
    /// Whether step `i`'s section offers "Issue key" (`pages::shows_issue_key`).
    pub issue_key: &'a dyn Fn(usize) -> bool,
    /// Whether step `i`'s section takes the key's `.csv` (`pages::shows_csv_import`).
    pub csv_import: &'a dyn Fn(usize) -> bool,
    /// The lab file's folder and the folder images must stay in (for raw `<img>`).
    pub lab_dir: &'a Path,
    pub files_root: &'a Path,
}

/// Render the pieces of a lab to sanitized HTML.
pub fn render(pieces: Vec<Piece>, ctx: &LabCtx) -> String {
    let mut widgets: Vec<String> = Vec::new();
    let mut events: Vec<Event> = Vec::with_capacity(pieces.len());
    let mut mark = |events: &mut Vec<Event>, w: String| {
        events.push(Event::Text(CowStr::from(format!(
            "{OPEN}{}{CLOSE}",
            widgets.len()
        ))));
        widgets.push(w);
    };
    // Table cells holding a value get a Copy button: the cells counted as
    // `app::fill::table_cells` counts them, so `/api/copy {cell}` finds the same one.
    let cells = crate::app::fill::table_cells(&pieces);
    let mut cell = 0;
    for p in pieces {
        match p {
            Piece::Event(e @ Event::End(pulldown_cmark::TagEnd::TableCell)) => {
                if cells.get(cell).is_some_and(|c| c.1) {
                    mark(&mut events, copy_cell(ctx, cell).into_string());
                }
                cell += 1;
                events.push(e);
            }
            Piece::Event(e) => events.push(strip_markers(e)),
            Piece::StepStart { step, level } => mark(&mut events, heading_open(ctx, step, level)),
            Piece::StepEnd { step, level } => mark(&mut events, heading_close(ctx, step, level)),
            Piece::Placeholder(f) => mark(&mut events, placeholder(ctx, &f, true).into_string()),
            Piece::CodeSpan(segments) => {
                for seg in segments {
                    match seg {
                        Segment::Text(t) => events.push(strip_markers(Event::Code(t.into()))),
                        Segment::Placeholder(f) => {
                            mark(&mut events, placeholder(ctx, &f, true).into_string())
                        }
                    }
                }
            }
            Piece::Image { alt, file, .. } => {
                mark(&mut events, image(ctx.lang, &alt, &file).into_string())
            }
            Piece::Code(c) => mark(&mut events, code(ctx, &c).into_string()),
            Piece::Memo { block } => mark(&mut events, (ctx.memo_panel)(block)),
            Piece::StepLink { step } => {
                let href = match step {
                    Some(i) => format!("#{}", anchor(&ctx.lab.steps[i].id)),
                    None => "#top".to_string(),
                };
                mark(
                    &mut events,
                    format!("<a class=\"toc\" href=\"{}\">", esc(&href)),
                );
            }
            Piece::LinkEnd => mark(&mut events, "</a>".into()),
            Piece::NotePoint { point } => mark(&mut events, (ctx.note_form)(point)),
            Piece::Details(_) => {}
        }
    }
    let mut raw = String::with_capacity(events.len() * 16);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    let clean = sanitizer(ctx.lab_dir, ctx.files_root)
        .clean(&raw)
        .to_string();
    substitute(&clean, &widgets)
}

fn strip_markers(e: Event) -> Event {
    let has = |s: &str| s.contains([OPEN, CLOSE]);
    let strip = |s: &str| CowStr::from(s.replace([OPEN, CLOSE], ""));
    match e {
        Event::Text(t) if has(&t) => Event::Text(strip(&t)),
        Event::Code(t) if has(&t) => Event::Code(strip(&t)),
        Event::Html(t) if has(&t) => Event::Html(strip(&t)),
        Event::InlineHtml(t) if has(&t) => Event::InlineHtml(strip(&t)),
        other => other,
    }
}

fn substitute(clean: &str, widgets: &[String]) -> String {
    let mut out =
        String::with_capacity(clean.len() + widgets.iter().map(String::len).sum::<usize>());
    let mut rest = clean;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len_utf8()..];
        let Some(j) = after.find(CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(w) = after[..j]
            .parse::<usize>()
            .ok()
            .and_then(|n| widgets.get(n))
        {
            out.push_str(w);
        }
        rest = &after[j + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The sanitizer for lab HTML: tables, details/summary, br, images from the course folder,
/// links only to http(s) and mailto, opening in a new tab without an opener.
fn sanitizer(lab_dir: &Path, root: &Path) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("a", "target", "_blank");
    let (lab_dir, root): (PathBuf, PathBuf) = (lab_dir.to_path_buf(), root.to_path_buf());
    b.attribute_filter(move |el, attr, value| match (el, attr) {
        ("a", "href") => {
            let v = value.trim().to_ascii_lowercase();
            let out =
                v.starts_with("http://") || v.starts_with("https://") || v.starts_with("mailto:");
            out.then_some(Cow::Borrowed(value))
        }
        ("img", "src") => {
            let files = view::Files {
                lab_dir: &lab_dir,
                root: &root,
                exists: &|_| true,
            };
            match view::resolve_image(value, &files) {
                ImageFile::Local { rel, .. } => Some(Cow::Owned(file_url(&rel))),
                _ => None,
            }
        }
        _ => Some(Cow::Borrowed(value)),
    });
    b
}

/// The element id of a step.
pub fn anchor(step_id: &str) -> String {
    format!("step-{step_id}")
}

/// `/files/…` with each path segment percent-encoded.
fn file_url(rel: &str) -> String {
    let mut out = String::from("/files");
    for seg in rel.split('/') {
        out.push('/');
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn heading_open(ctx: &LabCtx, i: usize, level: u8) -> String {
    let s = &ctx.lab.steps[i];
    let st = ctx.states.get(i).copied().unwrap_or(StepState::Open);
    let class = match st {
        StepState::Done => "step done",
        StepState::Open => "step open",
        StepState::Stale => "step stale",
    };
    let next = ctx.next == Some(i);
    let lang = ctx.lang;
    let title = match st {
        StepState::Stale => t_in!(lang, "page-step-stale"),
        _ if s.checkable => t_in!(lang, "page-step-done"),
        _ => t_in!(lang, "page-section-done"),
    };
    let level = level.clamp(1, 6);
    let checkbox = html! {
        input type="checkbox" data-step=(s.id) data-lab=(ctx.key) title=(title)
            checked[st == StepState::Done];
    };
    format!(
        "<h{level} id=\"{}\" class=\"{class}{}\">{}",
        esc(&anchor(&s.id)),
        if next { " next" } else { "" },
        checkbox.into_string()
    )
}

fn heading_close(ctx: &LabCtx, i: usize, level: u8) -> String {
    let st = ctx.states.get(i).copied().unwrap_or(StepState::Open);
    let lang = ctx.lang;
    let marks = html! {
        @if st == StepState::Stale { span.stale-mark title=(t_in!(lang, "page-edited-title")) { (t_in!(lang, "page-edited")) } }
        @if ctx.next == Some(i) { span.next-mark data-next { (t_in!(lang, "page-next-mark")) } }
    };
    let issue = html! {
        @if (ctx.issue_key)(i) {
            div.issue data-issue-lab=(ctx.key) {
                button type="button" data-issue-preview { (t_in!(lang, "page-issue-key")) }
                div.issue-confirm {}
            }
        }
    };
    let csv = html! {
        @if (ctx.csv_import)(i) {
            div.csv-import data-csv-lab=(ctx.key) {
                label {
                    span { (t_in!(lang, "csv-drop")) }
                    " "
                    input type="file" accept=".csv,text/csv" data-csv-file;
                }
                div.csv-result {}
            }
        }
    };
    format!(
        "{}</h{}>{}{}{}",
        marks.into_string(),
        level.clamp(1, 6),
        (ctx.heading_forms)(i),
        issue.into_string(),
        csv.into_string()
    )
}

/// A value longer than this (characters) shows in a box of a few lines that scrolls.
const LONG_VALUE: usize = 300;

/// A filled placeholder. In prose an unresolved one gets a field to note it.
fn placeholder(ctx: &LabCtx, f: &Fill, prose: bool) -> Markup {
    let lang = ctx.lang;
    let (source, short) = source_words(lang, f.source.as_deref().unwrap_or_default());
    match &f.value {
        FillValue::Plain(v) => html! {
            span.ph.filled.long[v.chars().count() > LONG_VALUE] data-placeholder=(f.name) title=(t_in!(lang, "page-from", name = f.name, source = source)) {
                (v) @if prose { sup.ph-src { (short) } }
            }
        },
        FillValue::Secret(_) => html! {
            span.ph.secret data-placeholder=(f.name) title=(t_in!(lang, "page-from-secret", name = f.name, source = source)) {
                span.ph-val { "••••" }
                button type="button" data-reveal data-lab=(ctx.key) data-name=(f.name) { (t_in!(lang, "page-reveal")) }
                button type="button" data-copy data-lab=(ctx.key) data-name=(f.name) { (t_in!(lang, "page-copy")) }
            }
        },
        FillValue::Missing { suggestion } => {
            let target = if prose {
                (ctx.note_target)(&f.name)
            } else {
                None
            };
            html! {
                span.ph.missing data-placeholder=(f.name) title=(match suggestion {
                    Some(s) => t_in!(lang, "page-missing-did-you-mean", key = s),
                    None => t_in!(lang, "page-missing"),
                }) {
                    "<<" (f.name) ">>"
                    @if let Some((lab, key, secret)) = target {
                        form.note data-note-key=(key) data-lab=(lab) {
                            input name="value" type=(if secret { "password" } else { "text" })
                                placeholder=(t_in!(lang, "page-note-placeholder", key = key)) autocomplete="off";
                            button type="submit" { (t_in!(lang, "page-note")) }
                        }
                    }
                }
            }
        }
    }
}

/// Where a value came from ([`crate::app::fill::Filler`]'s `lab 2-4 · key` or
/// `labnote (today)`) in `lang`: the whole, and the short form shown beside the value.
fn source_words(lang: Lang, source: &str) -> (String, String) {
    if source == "labnote (today)" {
        let w = t_in!(lang, "page-src-today");
        return (w.clone(), w);
    }
    match source
        .strip_prefix("lab ")
        .and_then(|r| r.split_once(" · "))
    {
        Some((lab, key)) => {
            let short = t_in!(lang, "page-src-lab", lab = lab);
            (format!("{short} · {key}"), short)
        }
        None => (
            source.to_string(),
            source.split(" · ").next().unwrap_or("").to_string(),
        ),
    }
}

/// The Copy button of table cell `n`: the cell's whole filled text, as it will be pasted.
fn copy_cell(ctx: &LabCtx, n: usize) -> Markup {
    let lang = ctx.lang;
    html! {
        button.copy-cell type="button" data-copy data-lab=(ctx.key) data-cell=(n) title=(t_in!(lang, "page-copy-cell")) { (t_in!(lang, "page-copy")) }
    }
}

fn image(lang: Lang, alt: &str, file: &ImageFile) -> Markup {
    match file {
        ImageFile::Local { rel, exists: true } => html! {
            img src=(file_url(rel)) alt=(alt) loading="lazy";
        },
        ImageFile::Local { rel, exists: false } => html! {
            span.img-missing data-missing-image=(rel) { (t_in!(lang, "page-image-missing")) " " code { (rel) } }
        },
        ImageFile::Remote(url) => html! {
            a.img-remote href=(url) target="_blank" rel="noopener noreferrer" { (t_in!(lang, "page-image-external", alt = alt)) }
        },
        ImageFile::Refused(p) => html! {
            span.img-missing data-refused-image=(p) { (t_in!(lang, "page-image-refused")) " " code { (p) } }
        },
    }
}

/// A code block, its badge saying what `labnote run` does with it: the class
/// [`crate::blocks::classify`] gives it, in the words of the terminal's label and
/// `run --list` ([`view::class_label`]), the reason as its title.
fn code(ctx: &LabCtx, c: &CodeView) -> Markup {
    let lang = ctx.lang;
    let class = c.class.map_or("outside", Class::as_str);
    let step = c.step.map(|i| ctx.lab.steps[i].id.clone());
    html! {
        div class=(format!("code {class}")) data-code=(c.ordinal) {
            div.code-bar {
                span.lang { (c.lang.as_deref().unwrap_or("")) }
                span.badge data-class=(class) title=[c.reason.as_deref()] { (view::class_label_in(lang, c.class)) }
                @if c.class.is_some_and(Class::may_run) {
                    @if let Some(s) = &step { code.run-cmd title=(t_in!(lang, "page-run-cmd-title")) { "labnote run " (ctx.key) " " (s) } }
                }
                button type="button" data-copy data-lab=(ctx.key) data-block=(c.ordinal) { (t_in!(lang, "page-copy")) }
            }
            pre { code {
                @for seg in &c.segments {
                    @match seg {
                        Segment::Text(t) => (t),
                        Segment::Placeholder(f) => (placeholder(ctx, f, false)),
                    }
                }
            } }
        }
    }
}

/// Trusted HTML from labnote's own templates.
pub fn trusted(s: String) -> PreEscaped<String> {
    PreEscaped(s)
}

/// Text escaped for HTML (text and attribute values).
pub fn esc(s: &str) -> String {
    html! { (s) }.into_string()
}
