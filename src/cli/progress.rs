//! `labs`, `steps`, `done`, `undo`, `next`, `log`: the progress use cases
//! ([`crate::app::progress`]) printed.

use serde_json::json;

use super::termview::mark_of;
use super::{print_json, CmdResult, Ctx};
use crate::app::Course;
use crate::app::{Progress, Record, StepState};
use crate::render::{self, pad, truncate, width};
use crate::t;

use crate::app::progress::{bar, step_state};
use crate::app::step::{course_totals, lab_totals, Totals};
use crate::app::StepAt;

pub fn labs(ctx: &Ctx, json: bool) -> CmdResult {
    // The whole course model is freed by the process exit: dropping thousands of labs one
    // allocation at a time would cost a third of the command's time.
    let course = std::mem::ManuallyDrop::new(ctx.open_course()?);
    let records = ctx.load_journal()?;
    let p = Progress::from_records(&records);
    if json {
        let v: Vec<_> = course
            .labs
            .iter()
            .map(|l| {
                let t = lab_totals(&p, &l.lab);
                json!({
                    "id": l.lab.id,
                    "title": l.lab.title,
                    "path": l.rel_path,
                    "day": l.lab.day,
                    "lab": l.lab.lab,
                    "steps": t.total,
                    "done": t.done,
                })
            })
            .collect();
        print_json(&json!(v));
        return Ok(());
    }
    if course.labs.is_empty() {
        ctx.note(&t!("progress-no-labs", path = course.root));
        return Ok(());
    }
    let id_w = course
        .labs
        .iter()
        .map(|l| width(&l.lab.id))
        .max()
        .unwrap_or(0);
    let title_w = course
        .labs
        .iter()
        .map(|l| width(&l.lab.title))
        .max()
        .unwrap_or(0)
        .min(40);
    let mut out = String::new();
    for l in &course.labs {
        let Totals { done, total } = lab_totals(&p, &l.lab);
        let title = pad(&truncate(&l.lab.title, title_w), title_w);
        let mark = if done == total && total > 0 {
            "✔"
        } else {
            " "
        };
        out.push_str(&format!(
            "{mark} {}  {title}  {} {done:>3}/{total:<3} {}\n",
            pad(&l.lab.id, id_w),
            bar(done, total, 10),
            l.rel_path
        ));
    }
    print!("{out}");
    let all = course_totals(&p, &course);
    ctx.note(&t!(
        "progress-labs-summary",
        labs = course.labs.len(),
        done = all.done,
        steps = all.total
    ));
    Ok(())
}

fn state_str(s: StepState) -> &'static str {
    match s {
        StepState::Done => "done",
        StepState::Open => "open",
        StepState::Stale => "stale",
    }
}

pub fn steps(ctx: &Ctx, arg: &str, json: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let cl = &course.labs[course.resolve(arg)?];
    let records = ctx.load_journal()?;
    let p = Progress::from_records(&records);
    let lab = &cl.lab;
    let orphans = p.orphans(&lab.id, |s| lab.step_index(s).is_some());
    if json {
        let steps: Vec<_> = (0..lab.steps.len())
            .map(|i| {
                let s = &lab.steps[i];
                let st = step_state(&p, lab, i);
                json!({
                    "id": s.id,
                    "number": s.number,
                    "title": s.title,
                    "marker": s.marker,
                    "depth": s.depth,
                    "checkable": s.checkable,
                    "done": st == StepState::Done,
                    "state": state_str(st),
                    "parent": s.parent.map(|k| lab.steps[k].id.clone()),
                    "code_blocks": s.code_blocks.len(),
                })
            })
            .collect();
        print_json(&json!({
            "id": lab.id,
            "title": lab.title,
            "path": cl.rel_path,
            "steps": steps,
            "stale_records": orphans,
        }));
        return Ok(());
    }
    let Totals { done, total } = lab_totals(&p, lab);
    let done = t!("progress-steps-done", done = done, steps = total);
    let mut out = format!("{}  {}  ({})  {done}\n", lab.id, lab.title, cl.rel_path);
    let id_w = lab.steps.iter().map(|s| width(&s.id)).max().unwrap_or(0);
    for (i, s) in lab.steps.iter().enumerate() {
        let st = step_state(&p, lab, i);
        let indent = "  ".repeat(usize::from(s.depth.saturating_sub(1)));
        let stale = if st == StepState::Stale {
            format!("  {}", t!("progress-edited-since-checked"))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{indent}{} {}  {}{stale}\n",
            mark_of(st),
            pad(&s.id, id_w),
            s.title
        ));
    }
    for o in orphans {
        out.push_str(&format!("[~] {o}: {}\n", t!("progress-orphan-step")));
    }
    print!("{out}");
    Ok(())
}

pub fn mark(ctx: &Ctx, lab_arg: &str, step_args: &[String], done: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let k = course.resolve(lab_arg)?;
    let marked = crate::app::progress::mark(ctx, &course, k, step_args, done)?;
    let lab = &course.labs[k].lab;
    for tw in &marked.twins {
        let title = &lab.steps[tw.step].title;
        let twins = &tw.others;
        ctx.note(&t!(
            "progress-twin-step",
            arg = tw.arg,
            title = title,
            twins = twins
        ));
    }
    // Printed after the append: a step is shown as marked only once it is recorded.
    let mark = if done { "[x]" } else { "[ ]" };
    for &(i, changed) in &marked.steps {
        let s = &lab.steps[i];
        let was = match (changed, done) {
            (true, _) => String::new(),
            (false, true) => format!(" {}", t!("progress-already-done")),
            (false, false) => format!(" {}", t!("progress-already-open")),
        };
        ctx.note(&format!("  {mark} {}  {}{was}", s.id, s.title));
    }
    Ok(())
}

pub fn next(ctx: &Ctx, lab_arg: Option<&str>, json: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let records = ctx.load_journal()?;
    let p = Progress::from_records(&records);
    let named = lab_arg.map(|a| course.resolve(a)).transpose()?;
    let Some(StepAt { lab: k, step: i }) = crate::app::step::resume(&course, &records, named)
    else {
        if json {
            print_json(&serde_json::Value::Null);
        } else {
            ctx.note(&t!("progress-all-done"));
        }
        return Ok(());
    };
    print_step(
        ctx,
        &course,
        StepAt { lab: k, step: i },
        &p,
        json,
        &StepView::NEXT,
    )
}

/// How `print_step` shows a step.
#[derive(Debug, Clone, Copy)]
pub struct StepView {
    /// Fill placeholders with the noted values (secrets masked).
    pub fill: bool,
    /// `<details>` open instead of folded.
    pub details_open: bool,
    /// Whose keys the hints name (`walk`'s `e`/`o`, or the commands' flags).
    pub hints: render::Hints,
}

impl StepView {
    /// As `next` shows a step: values filled as `walk` fills them (secrets masked), hints
    /// naming flags.
    const NEXT: StepView = StepView {
        fill: true,
        details_open: false,
        hints: render::Hints::Command,
    };

    /// As `walk` shows a step: values filled, hints naming walk's keys.
    pub fn walk(details_open: bool) -> StepView {
        StepView {
            fill: true,
            details_open,
            hints: render::Hints::Walk,
        }
    }
}

/// Print one step with its body rendered as `view` says.
pub fn print_step(
    ctx: &Ctx,
    course: &Course,
    at: StepAt,
    p: &Progress,
    json: bool,
    view: &StepView,
) -> CmdResult {
    let StepAt { lab: k, step: i } = at;
    let cl = &course.labs[k];
    let lab = &cl.lab;
    let s = &lab.steps[i];
    let cfg = crate::app::course_config(ctx)?;
    let records = if view.fill {
        ctx.load_journal()?
    } else {
        Vec::new()
    };
    let part = super::termview::Part {
        course,
        cfg: &cfg,
        records: &records,
        k,
        range: s.body_span.clone(),
    };
    let look = super::termview::Look {
        fill: view.fill,
        reveal: false,
        raw: false,
        details_open: view.details_open,
        hints: view.hints,
        marks: false,
        plain: json,
    };
    let rendered = super::termview::render_part(ctx, &part, &look)?;
    if json {
        print_json(&json!({
            "lab": lab.id,
            "path": cl.rel_path,
            "id": s.id,
            "number": s.number,
            "title": s.title,
            "depth": s.depth,
            "state": state_str(p.state(&lab.id, &s.id, &s.fingerprint)),
            "body": rendered,
        }));
        return Ok(());
    }
    let crumbs: Vec<String> = {
        let mut v = Vec::new();
        let mut cur = s.parent;
        while let Some(c) = cur {
            v.push(lab.steps[c].title.clone());
            cur = lab.steps[c].parent;
        }
        v.reverse();
        v
    };
    let head = format!(
        "{} {} · {}{}",
        lab.id,
        lab.title,
        if crumbs.is_empty() {
            String::new()
        } else {
            format!("{} › ", crumbs.join(" › "))
        },
        s.title
    );
    let step_line = format!("[{}] {}", s.id, s.title);
    let theme = super::termview::theme(ctx);
    let (head, step_line) = (render::clean(&head), render::clean(&step_line));
    println!("{}", theme.paint(render::TextRole::Border, &head));
    // The intro of a section this step begins (the text before its first sub-step).
    for a in crate::app::step::section_intros(lab, i) {
        let part = super::termview::Part {
            course,
            cfg: &cfg,
            records: &records,
            k,
            range: lab.steps[a].body_span.clone(),
        };
        let intro = super::termview::render_part(ctx, &part, &look)?;
        let title = render::clean(&format!("{}. {}", lab.steps[a].id, lab.steps[a].title));
        println!("{}\n", theme.paint(render::TextRole::Heading, &title));
        print!("{intro}");
    }
    println!("{}\n", theme.paint(render::TextRole::Heading, &step_line));
    print!("{rendered}");
    Ok(())
}

pub fn log(ctx: &Ctx, lab_arg: Option<&str>, json: bool) -> CmdResult {
    let records = crate::app::progress::log(ctx, lab_arg)?;
    let sel: Vec<&Record> = records.iter().collect();
    if json {
        let v = serde_json::to_value(crate::app::timefmt::records_local(sel)).unwrap_or_default();
        print_json(&v);
        return Ok(());
    }
    let mut out = String::new();
    for r in sel {
        let details = if r.details.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = r
                .details
                .iter()
                .map(|(k, v)| format!("{k}={}", yaml_scalar(v)))
                .collect();
            format!("  ({})", parts.join(", "))
        };
        out.push_str(&format!(
            "{}  {:<5} {:<8} {:<10} {}{details}\n",
            crate::app::timefmt::stored(&r.time),
            r.lab,
            r.step.as_deref().unwrap_or("-"),
            r.event,
            r.title.as_deref().unwrap_or("")
        ));
    }
    print!("{out}");
    Ok(())
}

fn yaml_scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".into(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .replace('\n', " "),
    }
}
