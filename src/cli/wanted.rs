//! `wanted [LAB] [--json]`: the values the course still needs, each once, with the
//! placeholders that mean it, where it is used and where the course asks for it.

use serde_json::{json, Value};

use super::{print_json, CmdResult, Ctx};
use crate::app::notes;
use crate::app::notes::{At, NoteRef, Wanted};
use crate::app::Course;

pub fn wanted(ctx: &Ctx, lab_arg: Option<&str>, as_json: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let cfg = crate::app::course_config(ctx)?;
    let only = lab_arg.map(|a| course.resolve(a)).transpose()?;
    let records = crate::app::load_journal(ctx)?;
    let list: Vec<Wanted> = notes::wanted_values(&course, &cfg, &records, only);
    if as_json {
        let v: Vec<Value> = list.iter().map(|w| to_json(&course, w)).collect();
        print_json(&json!(v));
        return Ok(());
    }
    if list.is_empty() {
        ctx.note(&crate::t!("wanted-all-noted"));
        return Ok(());
    }
    for w in &list {
        let lock = if w.secret { " 🔒" } else { "" };
        println!("«{}»{lock}", w.key);
        let others: Vec<String> = w
            .names
            .iter()
            .filter(|n| **n != w.key)
            .map(|n| format!("<<{n}>>"))
            .collect();
        if !others.is_empty() {
            println!(
                "    {}",
                crate::t!("wanted-also-written", names = others.join(", "))
            );
        }
        match &w.note_point {
            Some(NoteRef::Prose { at, text }) => {
                println!(
                    "    {}",
                    crate::t!(
                        "wanted-asked-in",
                        at = step_label(&course, at),
                        text = text.clone()
                    )
                )
            }
            Some(NoteRef::Memo { lab }) => {
                println!(
                    "    {}",
                    crate::t!(
                        "wanted-asked-in-memo",
                        lab = course.labs[*lab].lab.id.clone()
                    )
                )
            }
            None => println!("    {}", crate::t!("wanted-never-asked")),
        }
        if !w.used_in.is_empty() {
            let uses: Vec<String> = w.used_in.iter().map(|u| step_label(&course, u)).collect();
            println!(
                "    {}",
                crate::t!("wanted-used-in", uses = uses.join(", "))
            );
        }
        if let Some(lab) = notes::lab_of(&course, w, only) {
            let lab = &course.labs[lab].lab.id;
            let cmd = format!("labnote memo set {lab} \"{}\"", w.key);
            let line = if w.secret {
                crate::t!("wanted-note-it-secret", cmd = cmd)
            } else {
                crate::t!("wanted-note-it", cmd = cmd)
            };
            println!("    {line}");
        }
    }
    Ok(())
}

/// `wanted --points`: every note point of the course (or of one lab).
pub fn points(ctx: &Ctx, lab_arg: Option<&str>, as_json: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let only = lab_arg.map(|a| course.resolve(a)).transpose()?;
    let mut rows: Vec<Value> = Vec::new();
    for (li, cl) in course.labs.iter().enumerate() {
        if only.is_some_and(|k| k != li) {
            continue;
        }
        for n in &cl.lab.note_points {
            let mut v = at_json(
                &course,
                &At {
                    lab: li,
                    step: n.step,
                },
            );
            v["kind"] = json!(n.kind);
            v["names"] = json!(n.names);
            v["generic"] = json!(n.is_generic());
            v["text"] = json!(n.text);
            if !as_json {
                let what = if n.is_generic() {
                    crate::t!("wanted-points-generic")
                } else {
                    n.names.join(", ")
                };
                let at = step_label(
                    &course,
                    &At {
                        lab: li,
                        step: n.step,
                    },
                );
                println!(
                    "{at:<10} {:<8} {what}  — {}",
                    format!("{:?}", n.kind).to_lowercase(),
                    n.text
                );
            }
            rows.push(v);
        }
    }
    if as_json {
        print_json(&json!(rows));
    }
    Ok(())
}

/// `3-2 4-1` (lab id, step id), as `labs` and `steps` print them ([`notes::step_label`]).
fn step_label(course: &Course, at: &At) -> String {
    notes::step_label(course, at)
}

fn at_json(course: &Course, at: &At) -> Value {
    let lab = &course.labs[at.lab].lab;
    json!({
        "lab": lab.id,
        "step": at.step.map(|s| lab.steps[s].id.clone()),
    })
}

fn to_json(course: &Course, w: &Wanted) -> Value {
    let note_point = match &w.note_point {
        Some(NoteRef::Prose { at, text }) => {
            let mut v = at_json(course, at);
            v["text"] = json!(text);
            v
        }
        Some(NoteRef::Memo { lab }) => json!({ "lab": course.labs[*lab].lab.id, "memo": true }),
        None => Value::Null,
    };
    json!({
        "names": w.names,
        "key": w.key,
        "used_in": w.used_in.iter().map(|u| at_json(course, u)).collect::<Vec<_>>(),
        "note_point": note_point,
        "secret": w.secret,
    })
}
