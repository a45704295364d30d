//! The course page and the lab page (maud templates compiled into the binary).
//!
//! A page never holds a secret: secret values are shown as `••••`, and their plaintext is
//! sent only in answer to a Reveal or Copy request (see `routes`).
//!
//! A page speaks the request's language ([`lang_of`](super::lang::lang_of): `Accept-Language`, then the server's
//! own rule): every word of ours comes from the Fluent files the CLI speaks from, the
//! script's words too (handed over in the body's `data-i18n`, never in an inline script);
//! only the lab's own text stays as written.

use std::path::Path;

use maud::{html, Markup, DOCTYPE};

use super::html::{self as lab_html, anchor, trusted, LabCtx};
use super::state::Snapshot;
use crate::app::fill::Filler;
use crate::app::memo::is_secret;
use crate::app::notes::{self, PointKind};
use crate::app::progress::{first_open, step_state};
use crate::app::step::{course_totals, lab_totals, offers_issue_key, Totals};
use crate::app::CourseLab;
use crate::app::StepAt;
use crate::app::{Progress, StepState};
use crate::i18n::Lang;
use crate::t_in;
use crate::view;

/// The script's own words in `lang`, as JSON (`{id: text}`, `{name}` where a value goes).
fn script_words(lang: Lang) -> String {
    let words = [
        ("pagejs-copied", t_in!(lang, "pagejs-copied")),
        ("pagejs-asking-iam", t_in!(lang, "pagejs-asking-iam")),
        ("pagejs-active", t_in!(lang, "pagejs-active")),
        ("pagejs-inactive", t_in!(lang, "pagejs-inactive")),
        (
            "pagejs-iam-keys",
            t_in!(lang, "pagejs-iam-keys", user = "{user}", count = "{count}"),
        ),
        ("pagejs-col-key", t_in!(lang, "pagejs-col-key")),
        ("pagejs-col-status", t_in!(lang, "pagejs-col-status")),
        ("pagejs-col-created", t_in!(lang, "pagejs-col-created")),
        ("pagejs-col-last-used", t_in!(lang, "pagejs-col-last-used")),
        (
            "pagejs-will-retire",
            t_in!(lang, "pagejs-will-retire", key = "{key}"),
        ),
        ("pagejs-no-retire", t_in!(lang, "pagejs-no-retire")),
        ("pagejs-issue-new", t_in!(lang, "pagejs-issue-new")),
        (
            "pagejs-issue-new-retire",
            t_in!(lang, "pagejs-issue-new-retire", key = "{key}"),
        ),
        (
            "pagejs-issued",
            t_in!(lang, "pagejs-issued", key = "{key}", user = "{user}"),
        ),
        (
            "pagejs-already-active",
            t_in!(lang, "pagejs-already-active", key = "{key}"),
        ),
        (
            "pagejs-emptied",
            t_in!(lang, "pagejs-emptied", key = "{key}"),
        ),
        ("pagejs-noted", t_in!(lang, "pagejs-noted", key = "{key}")),
        (
            "pagejs-same-value",
            t_in!(lang, "pagejs-same-value", key = "{key}"),
        ),
        (
            "pagejs-http-error",
            t_in!(lang, "pagejs-http-error", status = "{status}"),
        ),
        ("page-reveal", t_in!(lang, "page-reveal")),
        (
            "pagejs-source-reading",
            t_in!(lang, "pagejs-source-reading"),
        ),
        ("pagejs-source-note", t_in!(lang, "pagejs-source-note")),
        ("page-hide", t_in!(lang, "page-hide")),
    ];
    let map: serde_json::Map<String, serde_json::Value> = words
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The page frame: CSP-friendly (the script and style are files of the server).
fn frame(lang: Lang, title: &str, csrf: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="labnote-csrf" content=(csrf);
                title { (title) " · labnote" }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
                script src="/static/run.js" defer {}
            }
            body data-i18n=(script_words(lang)) {
                div #live { (body) }
                div #toast role="status" {}
            }
        }
    }
    .into_string()
}

fn bar(done: usize, total: usize) -> Markup {
    html! {
        span.progress {
            progress value=(done) max=(total.max(1)) {}
            " " span data-progress { (done) "/" (total) }
        }
    }
}

/// The course page in `lang`: every message made while it is rendered speaks `lang`
/// (those of the core and `app` too, through [`crate::i18n::in_lang`]).
pub fn course_page(snap: &Snapshot, csrf: &str, lang: Lang) -> String {
    crate::i18n::in_lang(lang, || course_page_in(snap, csrf, lang))
}

fn course_page_in(snap: &Snapshot, csrf: &str, lang: Lang) -> String {
    let p = Progress::from_records(&snap.env.records);
    let labs = &snap.env.course.labs;
    let Totals { done, total } = course_totals(&p, &snap.env.course);
    let mut days: Vec<Option<u32>> = labs.iter().map(|l| l.lab.day).collect();
    days.dedup();
    let body = html! {
        header.top {
            h1 { "labnote · " (snap.env.course.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()) }
            div.course-progress { (t_in!(lang, "page-course-progress")) " " (bar(done, total)) }
            (course_next(snap, lang))
        }
        (problems(snap, lang))
        main.course data-course {
            @for day in &days {
                section.day {
                    h2 { @match day { Some(d) => { (t_in!(lang, "page-day", day = d)) }, None => (t_in!(lang, "page-other-labs")) } }
                    ul.labs {
                        @for (cl, key) in labs.iter().zip(&snap.keys).filter(|(l, _)| l.lab.day == *day) { (lab_row(&p, cl, key, lang)) }
                    }
                }
            }
            (values_panel(snap, lang))
        }
    };
    frame(lang, &t_in!(lang, "page-title-course"), csrf, body)
}

/// The step to go on with in the course: the one `next` prints and `walk` starts at
/// ([`crate::app::step::resume`]).
fn course_next(snap: &Snapshot, lang: Lang) -> Markup {
    let course = &snap.env.course;
    let at = crate::app::step::resume(course, &snap.env.records, None);
    html! {
        @if let Some(StepAt { lab: k, step: i }) = at {
            @let lab = &course.labs[k].lab;
            div.course-next data-course-next=(format!("{} {}", lab.id, lab.steps[i].id)) {
                (t_in!(lang, "page-next")) " "
                a href=(format!("/lab/{}#{}", snap.keys[k], anchor(&lab.steps[i].id))) { (lab.id) " " (lab.steps[i].id) " " (lab.steps[i].title) }
            }
        }
    }
}

fn lab_row(p: &Progress, cl: &CourseLab, key: &str, lang: Lang) -> Markup {
    let lab = &cl.lab;
    let next = first_open(p, lab);
    html! {
        li.lab data-lab-row=(key) {
            a href=(format!("/lab/{key}")) { span.lab-id { (lab.id) } " " (lab.title) }
            @let t = lab_totals(p, lab);
            " " (bar(t.done, t.total))
            @if let Some(i) = next {
                span.lab-next { " " (t_in!(lang, "page-next")) " "
                    a href=(format!("/lab/{key}#{}", anchor(&lab.steps[i].id))) { (lab.steps[i].id) " " (lab.steps[i].title) }
                }
            } @else { span.lab-next.all-done { " " (t_in!(lang, "page-all-done")) } }
        }
    }
}

/// What the course could not be read as, in `lang`.
fn problems(snap: &Snapshot, lang: Lang) -> Markup {
    let problems = snap.problems_in(lang);
    html! {
        @if !problems.is_empty() {
            ul.problems { @for m in problems { li { (m) } } }
        }
    }
}

/// Values noted so far (secrets masked) and the values still wanted: the values `labnote
/// wanted` lists ([`notes::wanted_values`], the one rule), each once under its first name,
/// with the labs that use it, or the lab it is noted in when none does.
fn values_panel(snap: &Snapshot, lang: Lang) -> Markup {
    let labs = &snap.env.course.labs;
    let mut wanted: Vec<(String, Vec<String>)> = Vec::new();
    for w in notes::wanted_values(&snap.env.course, &snap.env.cfg, &snap.env.records, None) {
        let Some(name) = w.names.first() else {
            continue;
        };
        let mut ids: Vec<String> = w
            .used_in
            .iter()
            .map(|u| labs[u.lab].lab.id.clone())
            .collect();
        ids.dedup();
        if ids.is_empty() {
            ids.extend(notes::lab_of(&snap.env.course, &w, None).map(|k| labs[k].lab.id.clone()));
        }
        wanted.push((name.clone(), ids));
    }
    // Each value as the lab page shows it (the one rule of `Filler`): a secret masked, a
    // value of several lines decoded, line for line.
    let filler = Filler::new(snap.env.resolver(), false);
    html! {
        section.values {
            h2 { (t_in!(lang, "page-noted-values")) }
            table.noted {
                tr { th { (t_in!(lang, "page-col-lab")) } th { (t_in!(lang, "page-col-key")) } th { (t_in!(lang, "page-col-value")) } }
                @for (k, cl) in snap.env.course.labs.iter().enumerate() {
                    @for e in cl.lab.memo_entries().filter(|e| !e.value.is_empty()) {
                        tr {
                            td { (cl.lab.id) } td { (e.key) }
                            td.value { @match filler.memo_entry(k, e) {
                                view::FillValue::Plain(v) => span.multiline.long[v.chars().count() > 300] { (v) },
                                _ => span.masked { "••••" },
                            } }
                        }
                    }
                }
            }
            h2 { (t_in!(lang, "page-still-wanted")) }
            @if wanted.is_empty() { p { (t_in!(lang, "page-all-noted")) } }
            ul.wanted { @for (name, labs) in &wanted { li { code { "<<" (name) ">>" } " " (t_in!(lang, "page-wanted-in", labs = labs.join(", "))) } } }
        }
    }
}

/// Lab `k`'s page in `lang`: every message made while it is rendered speaks `lang` (the
/// badges' reasons, which [`view::lab_view`] words as `run --list` does, too).
pub fn lab_page(snap: &Snapshot, k: usize, csrf: &str, files_root: &Path, lang: Lang) -> String {
    crate::i18n::in_lang(lang, || lab_page_in(snap, k, csrf, files_root, lang))
}

fn lab_page_in(snap: &Snapshot, k: usize, csrf: &str, files_root: &Path, lang: Lang) -> String {
    let cl = &snap.env.course.labs[k];
    let lab = &cl.lab;
    let p = Progress::from_records(&snap.env.records);
    let states: Vec<StepState> = (0..lab.steps.len())
        .map(|i| step_state(&p, lab, i))
        .collect();
    let next = first_open(&p, lab);
    let filler = Filler::new(snap.env.resolver(), false);
    let fill = |name: &str| filler.fill(name);
    let lab_files = crate::app::files::LabFiles::new(&cl.path, files_root);
    let files = lab_files.files();
    let pieces = view::lab_view(lab, &fill, &files);
    let menus = notes::point_menus(&snap.env.course, &snap.env.cfg, &snap.env.records, k);
    let sourced = crate::app::sources::sourced(&snap.env.course, &snap.env.cfg);
    let form = |n: usize| {
        menus
            .get(n)
            .map(|m| note_form(snap, k, m, &sourced, lang).into_string())
            .unwrap_or_default()
    };
    let heading_forms = |i: usize| {
        lab.note_points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PointKind::Heading && p.step == Some(i))
            .map(|(n, _)| form(n))
            .collect::<String>()
    };
    let memo_panel = |b: usize| memo_panel(snap, k, b, &menus, &sourced, lang).into_string();
    let note_target = |name: &str| note_target(snap, k, name);
    let issue_key = |i: usize| shows_issue_key(snap, StepAt { lab: k, step: i });
    let csv_import = |i: usize| shows_csv_import(snap, k, i);
    let ctx = LabCtx {
        lang,
        note_form: &form,
        heading_forms: &heading_forms,
        lab,
        key: &snap.keys[k],
        states: &states,
        next,
        memo_panel: &memo_panel,
        note_target: &note_target,
        issue_key: &issue_key,
        csv_import: &csv_import,
        lab_dir: lab_files.lab_dir(),
        files_root,
    };
    let body_html = lab_html::render(pieces, &ctx);
    let body = html! {
        header.top #top {
            a.back href="/" { (t_in!(lang, "page-back")) }
            span.lab-head { (lab.id) " · " (lab.title) }
            @let t = lab_totals(&p, lab);
            (bar(t.done, t.total))
            @if let Some(i) = next { a.next-link href=(format!("#{}", anchor(&lab.steps[i].id))) { (t_in!(lang, "page-next")) " " (lab.steps[i].id) } }
        }
        (problems(snap, lang))
        main.lab data-lab=(snap.keys[k]) data-path=(cl.rel_path) { (trusted(body_html)) }
    };
    frame(lang, &lab.title, csrf, body)
}

/// The note form of note point `m` of lab `k`: its offers in the order of walk's `m`
/// ([`notes::point_menus`]: the values it asks for, with the steps that use them; the
/// lab's memo entries), then a new name; the first offer chosen, the value's field a
/// password field when that offer is a secret.
fn note_form(
    snap: &Snapshot,
    k: usize,
    m: &notes::PointMenu,
    sourced: &crate::app::sources::Sourced,
    lang: Lang,
) -> Markup {
    let course = &snap.env.course;
    // The service a value's source reads (the option's `data-source`): the form's "Read"
    // button reads the chosen value's candidates; no source is read to draw the page.
    let source_of = |key: &str| sourced.kind_of(key).map(|kind| source_label(kind, lang));
    let any_source = m.offers.iter().any(|o| source_of(&o.offer.key).is_some());
    let first_source = m.offers.first().and_then(|o| source_of(&o.offer.key));
    let lab = &course.labs[k].lab;
    let step = m.step.map(|s| lab.steps[s].id.clone()).unwrap_or_default();
    let secret = m.offers.first().is_some_and(|o| o.offer.secret);
    let label = |o: &notes::PointOffer| {
        let mut l = o.name.trim().to_string();
        if o.name.trim() != o.offer.key.trim() {
            l.push_str(&format!(" [{}]", o.offer.key.trim()));
        }
        let mut uses: Vec<String> = Vec::new();
        for u in &o.uses {
            let s = notes::step_label(course, u);
            if !uses.contains(&s) {
                uses.push(s);
            }
        }
        if !uses.is_empty() {
            l.push_str(&format!(
                " — {}",
                t_in!(lang, "page-note-used-in", uses = uses.join(", "))
            ));
        }
        if o.offer.lab != k {
            l.push_str(&format!(
                " — {}",
                t_in!(
                    lang,
                    "page-note-in-lab",
                    lab = course.labs[o.offer.lab].lab.id
                )
            ));
        }
        if o.offer.noted {
            l.push_str(&format!(" ✔ {}", t_in!(lang, "page-note-noted")));
        }
        if o.offer.secret {
            l.push_str(" 🔒");
        }
        l
    };
    let tiers = [
        (notes::Tier::Step, t_in!(lang, "page-note-asked")),
        (
            notes::Tier::Lab,
            t_in!(lang, "page-note-lab-memo", lab = lab.id),
        ),
    ];
    html! {
        form.note-point data-note-point=(m.point) data-lab=(snap.keys[k]) data-step=(step) data-names=(m.names.join("|")) {
            span.note-here { (t_in!(lang, "page-note-here")) }
            " "
            select name="name" {
                @for (tier, head) in &tiers {
                    @if m.offers.iter().any(|o| o.offer.tier == *tier) {
                        optgroup label=(head) {
                            @for (i, o) in m.offers.iter().enumerate().filter(|(_, o)| o.offer.tier == *tier) {
                                option value=(o.offer.key) selected[i == 0] data-secret[o.offer.secret] data-source=[source_of(&o.offer.key)] { (label(o)) }
                            }
                        }
                    }
                }
                option value="" data-new-name selected[m.offers.is_empty()] { (t_in!(lang, "page-note-new-name")) }
            }
            " "
            input name="new_name" type="text" autocomplete="off" hidden[!m.offers.is_empty()]
                placeholder=(t_in!(lang, "page-note-name"));
            input name="value" type=(if secret { "password" } else { "text" }) autocomplete="off"
                placeholder=(t_in!(lang, "page-note-value"));
            " "
            button type="submit" { (t_in!(lang, "page-note")) }
            @if any_source {
                " "
                button.source-read type="button" data-source-read hidden[first_source.is_none()] {
                    (first_source.clone().unwrap_or_default())
                }
                div.source-found {}
            }
        }
    }
}

/// The words of a source's button: "Read from AWS (ec2)", "Read from kubeconfig", ….
fn source_label(kind: crate::app::sources::SourceKind, lang: Lang) -> String {
    if kind.is_aws() {
        t_in!(lang, "page-source-read-aws", service = kind.service())
    } else {
        t_in!(lang, "page-source-read", source = kind.service())
    }
}

/// Where an unresolved placeholder of lab `k` is noted ([`notes::note_target`], the lab by
/// the one rule of [`notes::home_lab`]).
fn note_target(snap: &Snapshot, k: usize, name: &str) -> Option<(String, String, bool)> {
    let t = notes::note_target(&snap.env.course, &snap.env.cfg, k, name);
    Some((snap.keys[t.lab].clone(), t.key, t.secret))
}

/// Whether the section of step `at` shows "Issue key": the one rule of
/// [`offers_issue_key`], at the leaf that is the key step (the page shows every step; `walk`
/// stops at leaves only, and offers it at that one).
pub fn shows_issue_key(snap: &Snapshot, at: StepAt) -> bool {
    snap.env.course.labs[at.lab].lab.steps[at.step].checkable
        && offers_issue_key(&snap.env.course, at)
}

/// Whether the section of step `i` of lab `k` takes the key's `.csv` (a file picker and a
/// drop target): the step that downloads it ([`crate::app::step::is_csv_step`]), as `walk`'s
/// `i` and `x`.
pub fn shows_csv_import(snap: &Snapshot, k: usize, i: usize) -> bool {
    let lab = &snap.env.course.labs[k].lab;
    lab.steps[i].checkable && crate::app::step::is_csv_step(lab, i)
}

/// The memo panel standing where memo block `b` of lab `k` is written. Each entry is a note
/// point: its form carries the note form's offers too (`menus`), its own key first.
fn memo_panel(
    snap: &Snapshot,
    k: usize,
    b: usize,
    menus: &[notes::PointMenu],
    sourced: &crate::app::sources::Sourced,
    lang: Lang,
) -> Markup {
    let lab = &snap.env.course.labs[k].lab;
    let key = &snap.keys[k];
    let Some(block) = lab.memo_blocks.get(b) else {
        return html! {};
    };
    let filler = Filler::new(snap.env.resolver(), false);
    // A value of several lines is edited decoded, line for line.
    let lines = |e: &crate::app::MemoEntry| match filler.memo_entry(k, e) {
        view::FillValue::Plain(v) if v.contains('\n') => Some(v),
        _ => None,
    };
    let not_noted = t_in!(lang, "page-not-noted");
    // Values from their source: the button that reads one, and where a noted one came from.
    let source_of = |key: &str| sourced.kind_of(key).map(|kind| source_label(kind, lang));
    let from_of = |e: &crate::app::MemoEntry| {
        if e.value.is_empty() {
            return None;
        }
        let p = crate::app::sources::provenance(&snap.env.records, &lab.id, &e.key)?;
        Some(crate::i18n::in_lang(lang, || p.said()))
    };
    // The entry's note point: a memo-kind point whose text is the entry's key.
    let point_of = |e: &crate::app::MemoEntry| {
        lab.note_points
            .iter()
            .position(|p| p.kind == PointKind::Memo && p.text.trim() == e.key.trim())
            .and_then(|n| menus.get(n))
    };
    html! {
        section.memo data-memo-block=(b) {
            h3 { "📌 " (block.name) }
            @for e in &block.entries {
                @let secret = is_secret(&snap.env.cfg, &e.key, &e.value);
                @let point = point_of(e);
                form.memo-entry data-memo-key=(e.key) data-lab=(key) data-secret[secret]
                    data-note-point=[point.map(|m| m.point)]
                    data-step=[point.map(|m| m.step.map(|s| lab.steps[s].id.clone()).unwrap_or_default())]
                    data-names=[point.map(|m| m.names.join("|"))] {
                    label { span.key { (e.key) } @if secret { " 🔒" } }
                    @if let Some(m) = point {
                        // The entry's own key first; the lab's other entries and a new
                        // name, as the note forms offer them.
                        select.memo-name name="name" {
                            option value=(e.key) selected data-secret[secret] { (e.key.trim()) }
                            @for o in m.offers.iter().filter(|o| o.offer.key.trim() != e.key.trim()) {
                                option value=(o.offer.key) data-secret[o.offer.secret] { (o.offer.key.trim()) }
                            }
                            option value="" data-new-name { (t_in!(lang, "page-note-new-name")) }
                        }
                        input name="new_name" type="text" autocomplete="off" hidden
                            placeholder=(t_in!(lang, "page-note-name"));
                    }
                    @if secret {
                        input name="value" type="password" autocomplete="off"
                            placeholder=(if e.value.is_empty() { not_noted.clone() } else { t_in!(lang, "page-secret-noted") });
                    } @else if let Some(v) = lines(e) {
                        textarea name="value" autocomplete="off" rows=(v.lines().count().min(12)) placeholder=(not_noted) { (v) }
                    } @else {
                        input name="value" type="text" autocomplete="off" value=(e.value) placeholder=(not_noted);
                    }
                    button type="submit" { (t_in!(lang, "page-note")) }
                    @if let Some(from) = from_of(e) {
                        " " span.source-from { (from) }
                    }
                    @if let Some(read) = source_of(&e.key) {
                        " "
                        button.source-read type="button" data-source-read { (read) }
                        div.source-found {}
                    }
                    @if !e.value.is_empty() {
                        button type="button" data-unset { (t_in!(lang, "page-unset")) }
                        @if secret {
                            span.ph-val { "••••" }
                            button type="button" data-reveal data-lab=(key) data-key=(e.key) { (t_in!(lang, "page-reveal")) }
                            button type="button" data-copy data-lab=(key) data-key=(e.key) { (t_in!(lang, "page-copy")) }
                        }
                    }
                }
            }
        }
    }
}

/// A short page for an error (unknown lab, …).
pub fn error_page(csrf: &str, message: &str, lang: Lang) -> String {
    frame(
        lang,
        &t_in!(lang, "page-title-error"),
        csrf,
        html! { main.error { p { (message) } p { a href="/" { (t_in!(lang, "page-back")) } } } },
    )
}
