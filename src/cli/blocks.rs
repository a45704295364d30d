//! The blocks of a step as `run` sees them (`run --list`), the folder a session starts in,
//! and the question before an alternative.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{print_json, CmdResult, Ctx, Failure};
use crate::blocks::{Class, Classified};
use crate::config::CourseConfig;
use crate::course::CourseLab;
use crate::journal::{Event, Record};

/// The blocks of step `i` and of the steps under it, in document order, classified.
pub fn of_step(cl: &CourseLab, i: usize) -> Result<Vec<Classified>, Failure> {
    let lab = &cl.lab;
    let step = &lab.steps[i];
    // The text the snapshot's spans index (the screen's `view` classifies the same text).
    let text = lab.source();
    let steps: Vec<&crate::lab::Step> = lab
        .steps
        .iter()
        .filter(|s| s.span.start >= step.section_span.start && s.span.start < step.section_span.end)
        .collect();
    Ok(crate::blocks::classify_steps(text, &steps))
}

/// `run --list`: each block, whether it would run, and why.
pub fn list(ctx: &Ctx, cl: &CourseLab, i: usize, as_json: bool) -> CmdResult {
    let all = of_step(cl, i)?;
    let line_of = |at: usize| cl.lab.line_of(at);
    if as_json {
        let v: Vec<serde_json::Value> = all
            .iter()
            .enumerate()
            .map(|(n, c)| {
                json!({
                    "block": n + 1,
                    "step": c.step,
                    "line": line_of(c.block.span.start),
                    "lang": c.block.lang,
                    "class": c.class.as_str(),
                    "runs": c.class == Class::Run,
                    "reason": c.reason,
                    "first_line": c.block.text.lines().map(str::trim).find(|l| !l.is_empty()),
                })
            })
            .collect();
        print_json(&json!({ "lab": cl.lab.id, "step": cl.lab.steps[i].id, "blocks": v }));
        return Ok(());
    }
    if all.is_empty() {
        ctx.note(&format!("step {} has no code blocks", cl.lab.steps[i].id));
        return Ok(());
    }
    for (n, c) in all.iter().enumerate() {
        let first = c
            .block
            .text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        println!(
            "{:>2}. {:<11} step {} line {} ({}): {}",
            n + 1,
            c.class.as_str(),
            c.step,
            line_of(c.block.span.start),
            c.block.lang.as_deref().unwrap_or("no language"),
            crate::render::truncate(first, 50)
        );
        println!("    {}", c.reason);
    }
    Ok(())
}

/// Say which blocks `run` leaves alone because they show output (examples), so that a
/// student who sees them in the lab knows why they did not run.
pub fn note_not_run(ctx: &Ctx, all: &[Classified]) {
    for c in all.iter().filter(|c| c.class == Class::Example) {
        ctx.note(&format!("an example in step {}: {}", c.step, c.reason));
    }
}

/// Whether to run an alternative (`참고`) block: asked on a terminal (default no), never
/// run without one (`--yes` does not choose alternatives).
pub fn ask_alternative(reason: &str) -> bool {
    eprintln!("this block is an alternative: {reason}");
    if !std::io::stdin().is_terminal() {
        eprintln!("skipped (an alternative; run it on a terminal to choose it)");
        return false;
    }
    let yes = super::prompt::confirm(&crate::t!("blocks-alternative-ask"), false);
    if !yes {
        eprintln!("skipped (an alternative)");
    }
    yes
}

/// The folder a session starts in: `--cwd`, else `workdir` of course.yaml, else the folder
/// labnote was started in. On a terminal and when `offer` (not `--yes`), when the last run
/// of the course ended in another folder that still exists, the student is offered to start
/// there.
pub fn start_dir(
    flag: Option<&Path>,
    cfg: &CourseConfig,
    course_dir: &Path,
    records: &[Record],
    offer: bool,
) -> Result<PathBuf, Failure> {
    // A session of this invocation (an earlier step of `walk`) is where it is.
    if let Some(d) = crate::session::current_dir() {
        return Ok(d);
    }
    if let Some(d) = flag {
        return existing(d, &format!("--cwd {}", d.display()));
    }
    if let Some(w) = cfg.workdir.as_deref() {
        let d = expand(w, course_dir);
        return existing(
            &d,
            &format!(
                "{}: workdir {w}",
                course_dir.join(crate::config::FILE_NAME).display()
            ),
        );
    }
    let here = std::env::current_dir()
        .map_err(|e| Failure::data(format!("cannot read the current folder: {e}")))?;
    if let Some(last) = last_end_dir(records).filter(|d| d.is_dir() && *d != here) {
        if offer && std::io::stdin().is_terminal() {
            let q = crate::t!("blocks-start-there", dir = last.display().to_string());
            if super::prompt::confirm(&q, true) {
                return Ok(last);
            }
        }
    }
    Ok(here)
}

/// The folder the course's last run ended in (journal `run` records, `cwd_end`).
pub fn last_end_dir(records: &[Record]) -> Option<PathBuf> {
    records
        .iter()
        .rev()
        .filter(|r| r.event == Event::Run)
        .find_map(|r| r.details.get("cwd_end").and_then(|v| v.as_str()))
        .map(PathBuf::from)
}

/// `~`, `~/x` from HOME; a relative folder from the course folder.
pub(super) fn expand(w: &str, course_dir: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (w.strip_prefix('~'), home) {
        (Some(rest), Some(h)) if rest.is_empty() || rest.starts_with('/') => {
            h.join(rest.trim_start_matches('/'))
        }
        _ => course_dir.join(w),
    }
}

fn existing(d: &Path, what: &str) -> Result<PathBuf, Failure> {
    if d.is_dir() {
        Ok(d.to_path_buf())
    } else {
        Err(Failure::user(format!(
            "{what}: not a folder; create it (`mkdir -p {}`) or name another",
            d.display()
        )))
    }
}
