//! The blocks of a step as `run` sees them (`run --list`), and the question before an
//! alternative. Which blocks a step has, and the folder a session starts in, are
//! [`crate::app::run`]'s.

use std::io::IsTerminal;

use serde_json::json;

use super::{print_json, CmdResult, Ctx, Failure};
use crate::app::run::{Class, Classified};
use crate::app::CourseLab;

pub(super) use crate::app::run::expand;

/// The blocks of step `i` and of the steps under it (see
/// [`crate::app::run::blocks_of_step`]).
pub fn of_step(cl: &CourseLab, i: usize) -> Result<Vec<Classified>, Failure> {
    Ok(crate::app::run::blocks_of_step(cl, i))
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
        ctx.note(&crate::t!("blocks-none", step = cl.lab.steps[i].id.clone()));
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
            "{:>2}. {:<11} {} ({}): {}",
            n + 1,
            c.class.as_str(),
            crate::t!(
                "blocks-at",
                step = c.step.clone(),
                line = line_of(c.block.span.start)
            ),
            c.block
                .lang
                .clone()
                .unwrap_or_else(|| crate::t!("blocks-no-language")),
            crate::render::truncate(first, 50)
        );
        println!("    {}", c.reason);
    }
    Ok(())
}

/// Whether to run an alternative (`참고`) block: asked on a terminal (default no), never
/// run without one (`--yes` does not choose alternatives).
pub fn ask_alternative(reason: &str) -> bool {
    eprintln!("{}", crate::t!("blocks-alternative", reason = reason));
    if !std::io::stdin().is_terminal() {
        eprintln!("{}", crate::t!("blocks-alternative-skipped-no-terminal"));
        return false;
    }
    let yes = super::prompt::confirm(&crate::t!("blocks-alternative-ask"), false);
    if !yes {
        eprintln!("{}", crate::t!("blocks-alternative-skipped"));
    }
    yes
}
