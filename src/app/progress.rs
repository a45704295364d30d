//! Progress: the state of a step, how many are done, the next open one, and marking steps
//! done or open (a section marks all its steps). The journal is the record; a step changed
//! since it was checked is stale, never matched to another step.

use super::{AppError, Front};
use crate::course::{Course, CourseLab};
use crate::journal::{Event, Progress, Record, StepState};
use crate::lab::Lab;

/// The state of step `i`: a section is done when all its leaves are.
pub fn step_state(p: &Progress, lab: &Lab, i: usize) -> StepState {
    let s = &lab.steps[i];
    if s.checkable {
        return p.state(&lab.id, &s.id, &s.fingerprint);
    }
    let states: Vec<StepState> = lab
        .leaves_of(i)
        .iter()
        .map(|&k| p.state(&lab.id, &lab.steps[k].id, &lab.steps[k].fingerprint))
        .collect();
    if states.iter().all(|s| *s == StepState::Done) {
        StepState::Done
    } else if states.contains(&StepState::Stale) {
        StepState::Stale
    } else {
        StepState::Open
    }
}

/// Checked leaves of a lab.
pub fn done_count(p: &Progress, lab: &Lab) -> usize {
    lab.steps
        .iter()
        .filter(|s| s.checkable && p.state(&lab.id, &s.id, &s.fingerprint) == StepState::Done)
        .count()
}

/// The first unchecked leaf of a lab.
pub fn first_open(p: &Progress, lab: &Lab) -> Option<usize> {
    (0..lab.steps.len()).find(|&i| {
        lab.steps[i].checkable
            && p.state(&lab.id, &lab.steps[i].id, &lab.steps[i].fingerprint) != StepState::Done
    })
}

/// The step to go on with after step `i`: the first open checkable step after it, else the
/// first open one of the lab (wrapping); `None` when every step is done.
pub fn next_open_after(p: &Progress, lab: &Lab, i: usize) -> Option<usize> {
    (i + 1..lab.steps.len())
        .find(|&l| {
            lab.steps[l].checkable
                && p.state(&lab.id, &lab.steps[l].id, &lab.steps[l].fingerprint) != StepState::Done
        })
        .or_else(|| first_open(p, lab))
}

/// A progress bar of `cells` cells (the one rounding of every front end): a lab with a
/// step done never shows an empty bar, an unfinished one never a full bar.
pub fn bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells + total / 2).checked_div(total).unwrap_or(0);
    let filled = if done > 0 && filled == 0 { 1 } else { filled };
    let filled = if done < total && filled == cells {
        cells - 1
    } else {
        filled
    };
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
}

/// A journal record about step `i` of `lab`.
pub fn step_record(lab: &Lab, i: usize, event: impl Into<Event>) -> Record {
    Record::new(&lab.id, event).at_step(&lab.steps[i])
}

/// Find a step by id, else by an unambiguous number (`2-2.`).
pub fn step_lookup(cl: &CourseLab, arg: &str) -> Result<usize, AppError> {
    let lab = &cl.lab;
    if let Some(i) = lab.step_index(arg) {
        return Ok(i);
    }
    let arg_n = arg.trim_end_matches('.');
    let by_num: Vec<usize> = (0..lab.steps.len())
        .filter(|&i| lab.steps[i].number.as_deref() == Some(arg_n))
        .collect();
    match by_num.len() {
        1 => Ok(by_num[0]),
        0 => Err(AppError::NoStep {
            lab: lab.id.clone(),
            path: cl.rel_path.clone(),
            arg: arg.to_string(),
            steps: lab
                .steps
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
        _ => Err(AppError::AmbiguousStep {
            lab: lab.id.clone(),
            arg: arg.to_string(),
            steps: titled(lab, &by_num),
        }),
    }
}

/// `ID (TITLE), …` of steps `steps`.
fn titled(lab: &Lab, steps: &[usize]) -> String {
    steps
        .iter()
        .map(|&i| format!("{} ({})", lab.steps[i].id, lab.steps[i].title))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A step argument that names the first of several steps with the same number (`2-2` of
/// two `2-2.` headings): which one it named, and the ids of the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Twin {
    pub arg: String,
    pub step: usize,
    /// `ID (TITLE), …` of the steps that share the number.
    pub others: String,
}

/// What marking did, step by step.
#[derive(Debug, Default)]
pub struct Marked {
    /// Arguments that named one of several steps with the same number.
    pub twins: Vec<Twin>,
    /// Each leaf marked: its index, and whether it changed (false: it was already so).
    pub steps: Vec<(usize, bool)>,
}

/// Mark the steps `args` of lab `k` done (or open); a section marks all its leaves. Every
/// argument is looked up before anything is recorded; a leaf already in that state is left
/// alone. The changes are one append to the journal.
pub fn mark(
    front: &dyn Front,
    course: &Course,
    k: usize,
    args: &[String],
    done: bool,
) -> Result<Marked, AppError> {
    let cl = &course.labs[k];
    let lab = &cl.lab;
    let mut marked = Marked::default();
    let mut targets = Vec::new();
    for a in args {
        let i = step_lookup(cl, a)?;
        let twins: Vec<usize> = (0..lab.steps.len())
            .filter(|&t| t != i && lab.steps[t].number.as_deref() == Some(a.as_str()))
            .collect();
        if !twins.is_empty() {
            marked.twins.push(Twin {
                arg: a.clone(),
                step: i,
                others: titled(lab, &twins),
            });
        }
        for leaf in lab.leaves_of(i) {
            if !targets.contains(&leaf) {
                targets.push(leaf);
            }
        }
    }
    let p = Progress::from_records(&super::load_journal(front)?);
    let (want, event) = match done {
        true => (StepState::Done, Event::Done),
        false => (StepState::Open, Event::Undone),
    };
    let mut new = Vec::new();
    for i in targets {
        let s = &lab.steps[i];
        let change = p.state(&lab.id, &s.id, &s.fingerprint) != want;
        if change {
            new.push(step_record(lab, i, event.clone()));
        }
        marked.steps.push((i, change));
    }
    if !new.is_empty() {
        super::append(front, &new)?;
        super::nudge::nudge(front);
    }
    Ok(marked)
}

/// `log`: the journal's records, of the lab `lab_arg` names when it names one (the course is
/// opened only then).
pub fn log(front: &dyn Front, lab_arg: Option<&str>) -> Result<Vec<Record>, AppError> {
    let records = super::load_journal(front)?;
    let Some(a) = lab_arg else {
        return Ok(records);
    };
    let course = super::open_course(front)?;
    let lab_id = &course.labs[course.resolve(a)?].lab.id;
    Ok(records.into_iter().filter(|r| &r.lab == lab_id).collect())
}
