//! What a step offers, for every front end: whether it is the access-key step (the one rule
//! of where "Issue key" is offered: `walk`'s `r`, `run`, and the web page's button), whether
//! it is the step that downloads the key's `.csv` (and the file's name), the values it names
//! (to copy); the course's and a lab's totals; the lab to go on with.

use super::progress::{done_count, first_open};
use super::StepAt;
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::{Event, Progress, Record};
use crate::lab::Lab;
use crate::resolve::{Resolution, Resolver};

/// Whether step `at` (or a step under it) is its lab's access-key step, where a key is
/// issued through IAM instead of running the step's commands: the lab has an access-key memo
/// entry pair, and the step that creates the key ([`crate::issue::key_steps`]) is `at` or
/// lies in its section. The one rule of where "Issue key" is offered: `walk` and `run` on a
/// terminal, and the web page, which shows the button in that step's section only.
pub fn offers_issue_key(course: &Course, at: StepAt) -> bool {
    let lab = &course.labs[at.lab].lab;
    let Some((_, secret_key)) = crate::memo::access_key_entries(lab) else {
        return false;
    };
    let i = at.step;
    let (create, _) = crate::issue::key_steps(lab, &secret_key);
    create.is_some_and(|c| c >= i && lab.steps[c].span.start < lab.steps[i].section_span.end)
}

/// The markdown of step `i`'s own body (what a front end shows of it).
pub fn step_body(lab: &Lab, i: usize) -> &str {
    lab.source()
        .get(lab.steps[i].body_span.clone())
        .unwrap_or("")
}

/// The sections whose intro (the text between a section's heading and its first sub-step)
/// is shown with step `i`: each section above `i` whose first sub-step leads down to `i`
/// and that has text of its own, outermost first. `walk` and `next` show them alike.
pub fn section_intros(lab: &Lab, i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut cur = i;
    while let Some(p) = lab.steps[cur].parent {
        if lab.steps[p].children.first() != Some(&cur) {
            break;
        }
        if !step_body(lab, p).trim().is_empty() {
            out.push(p);
        }
        cur = p;
    }
    out.reverse();
    out
}

/// Whether step `i` is the one that downloads the access key's `.csv`: its text mentions a
/// `.csv`, in a lab with an access-key memo.
pub fn is_csv_step(lab: &Lab, i: usize) -> bool {
    crate::memo::access_key_entries(lab).is_some()
        && step_body(lab, i).to_ascii_lowercase().contains(".csv")
}

/// The name the console gives the key's `.csv`: `USER_accessKeys.csv` for the user of the
/// lab's last issuance in the journal, else `accessKeys.csv`.
pub fn csv_file_name(records: &[Record], lab_id: &str) -> String {
    let user = records
        .iter()
        .rev()
        .filter(|r| r.lab == lab_id && r.event == Event::IssuedKey)
        .find_map(|r| {
            r.details
                .get("user")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        });
    match user {
        Some(u) => format!("{u}_accessKeys.csv"),
        None => "accessKeys.csv".to_string(),
    }
}

/// The names of the values step `i` uses (its placeholders) and asks to note (its note
/// points, as the lab holds them), distinct by memo key, in reading order.
pub fn step_names(lab: &Lab, i: usize) -> Vec<String> {
    let span = &lab.steps[i].body_span;
    let mut names: Vec<String> = Vec::new();
    let mut add = |n: &str| {
        let key = crate::names::normalize_key(n);
        if !names.iter().any(|m| crate::names::normalize_key(m) == key) {
            names.push(n.to_string());
        }
    };
    for p in lab
        .placeholders
        .iter()
        .filter(|p| span.contains(&p.span.start))
    {
        add(&p.name);
    }
    for np in lab.note_points.iter().filter(|np| np.step == Some(i)) {
        for n in &np.names {
            add(n);
        }
    }
    names
}

/// The values of step `i` (see [`step_names`]) as a front end offers them to copy: each
/// name with its resolution (a note point's name resolved by the memo key of the value it
/// asks for), one line per value noted (two names of one noted value are listed once).
pub fn step_values(
    r: &Resolver,
    cfg: &CourseConfig,
    lab: &Lab,
    i: usize,
) -> Vec<(String, Resolution)> {
    let mut values: Vec<(String, Resolution)> = Vec::new();
    for name in step_names(lab, i) {
        let mut res = r.resolve(&name);
        if res.source.is_none() {
            // A note point's name: the value it asks for lives under its memo key.
            res = r.resolve(&crate::wanted::key_for(r.course(), cfg, &name));
        }
        let dup = values
            .iter()
            .any(|(_, o)| res.source.is_some() && o.source == res.source);
        if !dup {
            values.push((name, res));
        }
    }
    values
}

/// How many checkable steps are done, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub done: usize,
    pub total: usize,
}

impl Totals {
    /// Every step is done (and there is one).
    pub fn complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }
}

/// A lab's totals: its checked leaves, of its checkable ones.
pub fn lab_totals(p: &Progress, lab: &Lab) -> Totals {
    Totals {
        done: done_count(p, lab),
        total: lab.checkable_count(),
    }
}

/// The course's totals: the sum of its labs' (the one count of `labs`, `walk`'s course bar
/// and the course page).
pub fn course_totals(p: &Progress, course: &Course) -> Totals {
    course.labs.iter().fold(Totals::default(), |t, cl| {
        let l = lab_totals(p, &cl.lab);
        Totals {
            done: t.done + l.done,
            total: t.total + l.total,
        }
    })
}

/// After lab `k`: the next lab of the course that has a step left, to offer going on with.
pub fn next_lab(course: &Course, p: &Progress, k: usize) -> Option<usize> {
    crate::resume::after(k, course.labs.len(), |n| {
        first_open(p, &course.labs[n].lab).is_some()
    })
}

/// The lab `walk` and `next` resume without a lab named: the last worked on while it has a
/// step left, else the first with one (see [`crate::resume`]).
fn resume_lab(course: &Course, records: &[Record]) -> Option<usize> {
    let p = Progress::from_records(records);
    crate::resume::lab_of_course(course, records, |k| {
        first_open(&p, &course.labs[k].lab).is_some()
    })
}

/// The lab `walk` starts in: the one `lab_arg` names, else the lab to resume ([`resume_lab`]);
/// `None` when every lab is done.
pub fn start_lab(
    front: &dyn super::Front,
    course: &Course,
    lab_arg: Option<&str>,
) -> Result<Option<usize>, super::AppError> {
    if let Some(a) = lab_arg {
        return Ok(Some(course.resolve(a)?));
    }
    let records = super::load_journal(front)?;
    Ok(resume_lab(course, &records))
}

/// The step to go on with: the first open step of lab `lab` when given, else of the lab to
/// resume; `None` when everything is done.
pub fn resume(course: &Course, records: &[Record], lab: Option<usize>) -> Option<StepAt> {
    let p = Progress::from_records(records);
    let k = match lab {
        Some(k) => k,
        None => resume_lab(course, records)?,
    };
    first_open(&p, &course.labs[k].lab).map(|step| StepAt { lab: k, step })
}
