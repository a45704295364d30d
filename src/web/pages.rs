//! The course page and the lab page (maud templates compiled into the binary).
//!
//! A page never holds a secret: secret values are shown as `••••`, and their plaintext is
//! sent only in answer to a Reveal or Copy request (see `routes`).

use std::path::Path;

use maud::{html, Markup, DOCTYPE};

use super::html::{self as lab_html, anchor, trusted, LabCtx};
use super::state::Snapshot;
use crate::app::fill::Filler;
use crate::app::memo::is_secret;
use crate::app::notes;
use crate::app::progress::{first_open, step_state};
use crate::app::step::{course_totals, lab_totals, offers_issue_key, Totals};
use crate::app::CourseLab;
use crate::app::StepAt;
use crate::app::{Progress, StepState};
use crate::view;

/// The page frame: CSP-friendly (the script and style are files of the server).
fn frame(title: &str, csrf: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="ko" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="labnote-csrf" content=(csrf);
                title { (title) " · labnote" }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
                script src="/static/run.js" defer {}
            }
            body {
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

pub fn course_page(snap: &Snapshot, csrf: &str) -> String {
    let p = Progress::from_records(&snap.env.records);
    let labs = &snap.env.course.labs;
    let Totals { done, total } = course_totals(&p, &snap.env.course);
    let mut days: Vec<Option<u32>> = labs.iter().map(|l| l.lab.day).collect();
    days.dedup();
    let body = html! {
        header.top {
            h1 { "labnote · " (snap.env.course.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()) }
            div.course-progress { "Course progress " (bar(done, total)) }
            (course_next(snap))
        }
        (problems(snap))
        main.course data-course {
            @for day in &days {
                section.day {
                    h2 { @match day { Some(d) => { (d) "일차 · Day " (d) }, None => "Other labs" } }
                    ul.labs {
                        @for (cl, key) in labs.iter().zip(&snap.keys).filter(|(l, _)| l.lab.day == *day) { (lab_row(&p, cl, key)) }
                    }
                }
            }
            (values_panel(snap))
        }
    };
    frame("course", csrf, body)
}

/// The step to go on with in the course: the one `next` prints and `walk` starts at
/// ([`crate::app::step::resume`]).
fn course_next(snap: &Snapshot) -> Markup {
    let course = &snap.env.course;
    let at = crate::app::step::resume(course, &snap.env.records, None);
    html! {
        @if let Some(StepAt { lab: k, step: i }) = at {
            @let lab = &course.labs[k].lab;
            div.course-next data-course-next=(format!("{} {}", lab.id, lab.steps[i].id)) {
                "next: "
                a href=(format!("/lab/{}#{}", snap.keys[k], anchor(&lab.steps[i].id))) { (lab.id) " " (lab.steps[i].id) " " (lab.steps[i].title) }
            }
        }
    }
}

fn lab_row(p: &Progress, cl: &CourseLab, key: &str) -> Markup {
    let lab = &cl.lab;
    let next = first_open(p, lab);
    html! {
        li.lab data-lab-row=(key) {
            a href=(format!("/lab/{key}")) { span.lab-id { (lab.id) } " " (lab.title) }
            @let t = lab_totals(p, lab);
            " " (bar(t.done, t.total))
            @if let Some(i) = next {
                span.lab-next { " next: "
                    a href=(format!("/lab/{key}#{}", anchor(&lab.steps[i].id))) { (lab.steps[i].id) " " (lab.steps[i].title) }
                }
            } @else { span.lab-next.all-done { " ✔ all done" } }
        }
    }
}

fn problems(snap: &Snapshot) -> Markup {
    html! {
        @if !snap.problems.is_empty() {
            ul.problems { @for m in &snap.problems { li { (m) } } }
        }
    }
}

/// Values noted so far (secrets masked) and the values still wanted: the values `labnote
/// wanted` lists ([`notes::wanted_values`], the one rule), each once under its first name,
/// with the labs that use it, or the lab it is noted in when none does.
fn values_panel(snap: &Snapshot) -> Markup {
    let labs = &snap.env.course.labs;
    let mut wanted: Vec<(String, Vec<String>)> = Vec::new();
    for w in notes::wanted_values(&snap.env.course, &snap.env.cfg, None) {
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
            h2 { "Noted values" }
            table.noted {
                tr { th { "lab" } th { "key" } th { "value" } }
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
            h2 { "Values still wanted" }
            @if wanted.is_empty() { p { "Every value the course asks for is noted." } }
            ul.wanted { @for (name, labs) in &wanted { li { code { "<<" (name) ">>" } " — in " (labs.join(", ")) } } }
        }
    }
}

pub fn lab_page(snap: &Snapshot, k: usize, csrf: &str, files_root: &Path) -> String {
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
    let memo_panel = |b: usize| memo_panel(snap, k, b).into_string();
    let note_target = |name: &str| note_target(snap, k, name);
    let issue_key = |i: usize| shows_issue_key(snap, StepAt { lab: k, step: i });
    let csv_import = |i: usize| shows_csv_import(snap, k, i);
    let ctx = LabCtx {
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
            a.back href="/" { "← course" }
            span.lab-head { (lab.id) " · " (lab.title) }
            @let t = lab_totals(&p, lab);
            (bar(t.done, t.total))
            @if let Some(i) = next { a.next-link href=(format!("#{}", anchor(&lab.steps[i].id))) { "next: " (lab.steps[i].id) } }
        }
        (problems(snap))
        main.lab data-lab=(snap.keys[k]) data-path=(cl.rel_path) { (trusted(body_html)) }
    };
    frame(&lab.title, csrf, body)
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

/// The memo panel standing where memo block `b` of lab `k` is written.
fn memo_panel(snap: &Snapshot, k: usize, b: usize) -> Markup {
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
    html! {
        section.memo data-memo-block=(b) {
            h3 { "📌 " (block.name) }
            @for e in &block.entries {
                @let secret = is_secret(&snap.env.cfg, &e.key, &e.value);
                form.memo-entry data-memo-key=(e.key) data-lab=(key) data-secret[secret] {
                    label { span.key { (e.key) } @if secret { " 🔒" } }
                    @if secret {
                        input name="value" type="password" autocomplete="off"
                            placeholder=(if e.value.is_empty() { "not noted" } else { "•••• noted (type to replace)" });
                    } @else if let Some(v) = lines(e) {
                        textarea name="value" autocomplete="off" rows=(v.lines().count().min(12)) placeholder="not noted" { (v) }
                    } @else {
                        input name="value" type="text" autocomplete="off" value=(e.value) placeholder="not noted";
                    }
                    button type="submit" { "Note" }
                    @if !e.value.is_empty() {
                        button type="button" data-unset { "Unset" }
                        @if secret {
                            span.ph-val { "••••" }
                            button type="button" data-reveal data-lab=(key) data-key=(e.key) { "Reveal" }
                            button type="button" data-copy data-lab=(key) data-key=(e.key) { "Copy" }
                        }
                    }
                }
            }
        }
    }
}

/// A short page for an error (unknown lab, …).
pub fn error_page(csrf: &str, message: &str) -> String {
    frame(
        "error",
        csrf,
        html! { main.error { p { (message) } p { a href="/" { "← course" } } } },
    )
}
