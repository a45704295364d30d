//! `walk`: follow a lab step by step on a terminal.

use std::io::IsTerminal;

use super::progress::{first_open, print_step, step_record, StepView};
use super::prompt::ask;
use super::run::{has_key_action, run_step, RunArgs};
use super::{CmdResult, Ctx, Failure};
use crate::course::Course;
use crate::journal::{Progress, StepState};

/// The walk's progress bar: the one of `labs`, 20 cells.
fn bar(done: usize, total: usize) -> String {
    super::progress::bar(done, total, 20)
}

pub fn walk(ctx: &Ctx, lab_arg: Option<&str>, user: Option<String>) -> CmdResult {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::user(
            "walk needs a terminal; without one use `labnote next`, `labnote done LAB STEP` and `labnote run LAB STEP --yes`",
        ));
    }
    let mut course = ctx.open_course()?;
    let records = ctx.load_journal()?;
    let p = Progress::from_records(&records);
    let k = match lab_arg {
        Some(a) => course.resolve(a)?,
        None => (0..course.labs.len())
            .find(|&k| first_open(&p, &course.labs[k].lab).is_some())
            .ok_or_else(|| Failure::user("every lab of the course is done"))?,
    };
    let mut cur: Option<usize> = first_open(&p, &course.labs[k].lab);
    loop {
        course.reload(k)?;
        let records = ctx.load_journal()?;
        let p = Progress::from_records(&records);
        let lab = &course.labs[k].lab;
        let leaves: Vec<usize> = (0..lab.steps.len())
            .filter(|&i| lab.steps[i].checkable)
            .collect();
        let Some(i) = cur.filter(|i| *i < lab.steps.len()) else {
            print_end(&p, lab, &leaves);
            return Ok(());
        };
        print_bars(&course, &p, lab, &leaves);
        show_step(ctx, &course, k, i, &p)?;
        super::walknote::announce(ctx, &course, k, i)?;
        let at = WalkAt {
            course: &course,
            k,
            i,
            leaves: &leaves,
            runnable: has_key_action(&course, k, i)
                || super::blocks::of_step(&course.labs[k], i)
                    .is_ok_and(|v| v.iter().any(|c| c.class.may_run())),
        };
        let menu = at.menu();
        let mark = if is_done(&p, lab, i) { " (done)" } else { "" };
        let Some(choice) = ask(&format!("\n{}{mark}  {menu} > ", lab.steps[i].id)) else {
            return Ok(());
        };
        match at.choose(ctx, &choice, &p, user.as_ref())? {
            Some(next) => cur = next,
            None => return Ok(()),
        }
    }
}

fn is_done(p: &Progress, lab: &crate::lab::Lab, i: usize) -> bool {
    let s = &lab.steps[i];
    p.state(&lab.id, &s.id, &s.fingerprint) == StepState::Done
}

/// The end of the walk: complete only if every step is done (skipping past the last step
/// ends the walk too).
fn print_end(p: &Progress, lab: &crate::lab::Lab, leaves: &[usize]) {
    let open = leaves.iter().filter(|&&l| !is_done(p, lab, l)).count();
    if open == 0 {
        println!("\n🎉 lab {} {} is complete.", lab.id, lab.title);
    } else {
        println!(
            "\nend of lab {} {}: {open} of {} steps still open; `labnote walk {}` resumes at the first one.",
            lab.id,
            lab.title,
            leaves.len(),
            lab.id
        );
    }
}

/// The lab's and the course's progress bars.
fn print_bars(course: &Course, p: &Progress, lab: &crate::lab::Lab, leaves: &[usize]) {
    let done_lab = leaves.iter().filter(|&&l| is_done(p, lab, l)).count();
    let (done_all, total_all) = course.labs.iter().fold((0, 0), |(d, t), cl| {
        let l = &cl.lab;
        let dd = (0..l.steps.len())
            .filter(|&i| l.steps[i].checkable && is_done(p, l, i))
            .count();
        (d + dd, t + l.checkable_count())
    });
    println!();
    println!(
        "lab    {} {done_lab:>3}/{:<3} {}",
        bar(done_lab, leaves.len()),
        leaves.len(),
        crate::render::truncate(&format!("{} {}", lab.id, lab.title), 40)
    );
    println!(
        "course {} {done_all:>3}/{:<3}",
        bar(done_all, total_all),
        total_all
    );
    println!("{}", "─".repeat(60));
}

/// Where the walk is: step `i` of lab `k`, among its checkable `leaves`.
struct WalkAt<'a> {
    course: &'a Course,
    k: usize,
    i: usize,
    leaves: &'a [usize],
    runnable: bool,
}

impl WalkAt<'_> {
    fn lab(&self) -> &crate::lab::Lab {
        &self.course.labs[self.k].lab
    }

    fn menu(&self) -> String {
        let mut menu = String::from("[d]one");
        if self.runnable {
            menu.push_str("  [r]un");
        }
        if self.lab().memo_entries().next().is_some() {
            menu.push_str("  [m]emo");
        }
        menu.push_str("  [s]kip  [b]ack  [q]uit");
        menu
    }

    /// The first unchecked leaf after this one (or before it, wrapping).
    fn next_open(&self, p: &Progress) -> Option<usize> {
        let lab = self.lab();
        let pos = self.pos();
        self.leaves[pos + 1..]
            .iter()
            .copied()
            .find(|&l| !is_done(p, lab, l))
            .or_else(|| first_open(p, lab))
    }

    fn pos(&self) -> usize {
        self.leaves.iter().position(|&l| l == self.i).unwrap_or(0)
    }

    /// Act on the student's choice: `Some(step to show next)`, or `None` to end the walk.
    fn choose(
        &self,
        ctx: &Ctx,
        choice: &str,
        p: &Progress,
        user: Option<&String>,
    ) -> Result<Option<Option<usize>>, Failure> {
        let (lab, i) = (self.lab(), self.i);
        let step = &lab.steps[i];
        let after = |ctx: &Ctx| -> Result<Progress, Failure> {
            Ok(Progress::from_records(&ctx.load_journal()?))
        };
        match choice {
            "d" | "D" | "done" => {
                if !is_done(p, lab, i) {
                    ctx.append(&[step_record(lab, i, "done").detail("by", "walk")])?;
                }
                return Ok(Some(self.next_open(&after(ctx)?)));
            }
            "r" | "R" | "run" if self.runnable => {
                let args = RunArgs {
                    lab: lab.id.clone(),
                    step: step.id.clone(),
                    yes: false,
                    shell: "bash".into(),
                    cwd: None,
                    list: false,
                    json: false,
                    user: user.cloned(),
                    dry_run: false,
                    note: Vec::new(),
                };
                match run_step(ctx, self.course, self.k, i, &args) {
                    Ok(()) => {
                        let p2 = after(ctx)?;
                        if is_done(&p2, lab, i) {
                            return Ok(Some(self.next_open(&p2)));
                        }
                    }
                    Err(f) => eprintln!("labnote: {}", f.message),
                }
            }
            "m" | "M" | "memo" => {
                // As with `r`: a value that cannot be noted is reported, and the walk goes on.
                if let Err(f) = super::walknote::note_value(ctx, self.course, self.k, i) {
                    eprintln!("labnote: {}", f.message);
                }
            }
            "s" | "S" | "skip" => return Ok(Some(self.leaves.get(self.pos() + 1).copied())),
            "b" | "B" | "back" => return Ok(Some(Some(self.leaves[self.pos().saturating_sub(1)]))),
            "q" | "Q" | "quit" => return Ok(None),
            _ => eprintln!("choose one of: {}", self.menu()),
        }
        Ok(Some(Some(i)))
    }
}

fn show_step(ctx: &Ctx, course: &Course, k: usize, i: usize, p: &Progress) -> CmdResult {
    print_step(ctx, course, k, i, p, false, &StepView::walk(false))
}
