//! `run`: a step's commands in one shell session, for every front end (the terminal's
//! `labnote run` and `walk`, a Run button on the web page).
//!
//! The use case decides what runs (the runnable blocks of the step and of the steps under
//! it, the shell of each, what is refused before anything runs), binds each block's
//! placeholders to variables ([`crate::script`]) with their values looked up through
//! [`super::resolve`], masks every secret of the course in what the blocks print, runs the
//! blocks in the session ([`crate::session`]) one after the other, and writes the journal
//! record of the run (masked, each line cut at [`RECORDED_LINE`]), checking the step when
//! every block passed. What it must ask or report goes through a [`RunUi`].
//!
//! A run is three calls, so that a front end can do its own part between them: [`prepare`]
//! (refusals and values, nothing runs), [`Plan::execute`] (the blocks), [`record`] (the
//! journal; the front end passes the values it will note from the output, masked in the
//! record). [`run`] is the three in one, for a front end that notes nothing from the output.
//! The access-key step is not run from blocks ([`crate::app::step::offers_issue_key`]): it is issued through
//! [`super::keys`], and [`key_step_done`] checks it afterwards.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::progress::step_record;
use super::{AppError, Front, StepAt};
use crate::capture::RuleError;
use crate::config::CourseConfig;
use crate::course::{Course, CourseLab};
use crate::journal::{Event, Progress, Record, StepState};
use crate::lab::{CodeBlock, Lab};
use crate::resolve::Resolver;
use crate::runner::{self, BlockResult, OutputLog};
use crate::script;
use crate::shells::{FlagError, ShellProgram, Shells};
use crate::t;

/// The blocks of a step as classified (whether each runs, and why).
pub use crate::blocks::{Class, Classified};
pub use crate::capture::NoteRule;
pub use crate::runner::Masker;
pub use crate::session::{Sink, Stream};
pub use error::RunError;

mod error;

/// Longest output line the journal keeps (cut after masking, so no credential is cut out of
/// its shape first): 20 lines of a run stay small however long the lines printed.
pub const RECORDED_LINE: usize = 4096;

/// What a front end asks for.
#[derive(Debug, Clone)]
pub struct Request {
    /// The shell of `shell`, `console` and bare blocks: bash, sh or zsh (a name or a path).
    pub shell: String,
    /// The folder the session starts in (else `workdir` of course.yaml, else the current
    /// folder, or the folder the last run ended in when the student takes it).
    pub cwd: Option<PathBuf>,
    /// Run every block without asking (alternatives are still asked).
    pub yes: bool,
    /// Keep what the blocks print, unmasked and in memory, in [`Ran::output`] (to note a
    /// value from it).
    pub keep_output: bool,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            shell: "bash".into(),
            cwd: None,
            yes: false,
            keep_output: false,
        }
    }
}

/// The answer before a block runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Run,
    /// Not this block (the step then stays unchecked).
    Skip,
    /// No more blocks.
    Stop,
}

/// A block about to be asked for and run, as the student reads it.
#[derive(Debug)]
pub struct BlockShown<'a> {
    /// 1-based, of `of`.
    pub number: usize,
    pub of: usize,
    /// Its language (`commands` for a bare block).
    pub lang: &'a str,
    /// Its text with the values filled in, every secret masked.
    pub text: &'a str,
}

/// What the run use case asks of the student and tells them. The output of the blocks goes
/// to [`RunUi::output`]'s sink, from the session's reader threads.
pub trait RunUi {
    /// A message for the student (a block left alone because it is an example).
    fn note(&self, msg: &str);
    /// Whether the student can be asked (a terminal, an open page). Without it a run needs
    /// [`Request::yes`], and no alternative runs.
    fn can_ask(&self) -> bool;
    /// Whether to start in `dir`, the folder the course's last run ended in (asked only
    /// when the student can be asked and the run is not [`Request::yes`]).
    fn start_in(&self, _dir: &Path) -> bool {
        false
    }
    /// A block is about to be asked for (or run).
    fn block_start(&self, block: &BlockShown<'_>);
    /// Whether to run block `number` (not asked with [`Request::yes`]).
    fn confirm_block(&self, number: usize) -> Answer;
    /// Whether to run an alternative block too (`reason` says why it is one); asked even
    /// with [`Request::yes`], which does not choose alternatives. A front end that cannot
    /// ask says no.
    fn confirm_alternative(&self, reason: &str) -> bool;
    /// Where the blocks' output goes, masked, as it comes.
    fn output(&self) -> Sink;
    /// Block `number` ended (passed, failed or interrupted).
    fn block_end(&self, _number: usize, _result: &BlockResult) {}
}

/// How a run ended (the journal's `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Every block that ran passed, but the student skipped some.
    Partial {
        skipped: usize,
    },
    Stopped,
    Interrupted,
    Failed {
        code: i32,
    },
}

impl Outcome {
    /// Whether every block that ran passed (values may be noted from the output).
    pub fn ran(self) -> bool {
        matches!(self, Outcome::Passed | Outcome::Partial { .. })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Partial { .. } => "partial",
            Outcome::Stopped => "stopped",
            Outcome::Interrupted => "interrupted",
            Outcome::Failed { .. } => "failed",
        }
    }
}

/// `--note` rules at the access-key step are refused: its values are noted by the issuance.
pub fn refuse_rules_at_key_step(
    course: &Course,
    at: StepAt,
    rules: &[NoteRule],
) -> Result<(), AppError> {
    if rules.is_empty() {
        return Ok(());
    }
    let step = course.labs[at.lab].lab.steps[at.step].id.clone();
    Err(RunError::NoteKeyStep { step }.into())
}

/// After the access-key step was issued (now or before): its leaves that are not checked
/// (after an `undo`, or a key noted by hand) are checked, `by: run`.
pub fn key_step_done(front: &dyn Front, course: &Course, at: StepAt) -> Result<(), AppError> {
    let lab = &course.labs[at.lab].lab;
    let p = Progress::from_records(&super::load_journal(front)?);
    let open: Vec<Record> = lab
        .leaves_of(at.step)
        .into_iter()
        .filter(|&l| {
            let s = &lab.steps[l];
            p.state(&lab.id, &s.id, &s.fingerprint) != StepState::Done
        })
        .map(|l| step_record(lab, l, "done").detail("by", "run"))
        .collect();
    if !open.is_empty() {
        super::append(front, &open)?;
    }
    Ok(())
}

/// The `--note NAME=REGEX` rules, or an error naming the argument that is not one. Checked
/// before anything runs: a rule that cannot match is no reason to run.
pub fn parse_rules(args: &[String]) -> Result<Vec<NoteRule>, AppError> {
    args.iter()
        .map(|arg| {
            NoteRule::parse(arg).map_err(|e| {
                let arg = arg.clone();
                match e {
                    RuleError::Shape => RunError::NoteShape { arg }.into(),
                    RuleError::Regex(reason) => RunError::NoteRegex { arg, reason }.into(),
                }
            })
        })
        .collect()
}

/// The blocks of step `i` and of the steps under it, in document order, classified (what
/// `run --list` shows and `walk` offers to run).
pub fn blocks_of_step(cl: &CourseLab, i: usize) -> Vec<Classified> {
    let lab = &cl.lab;
    let step = &lab.steps[i];
    // The text the snapshot's spans index (the screen's `view` classifies the same text).
    let text = lab.source();
    let steps: Vec<&crate::lab::Step> = lab
        .steps
        .iter()
        .filter(|s| s.span.start >= step.section_span.start && s.span.start < step.section_span.end)
        .collect();
    crate::blocks::classify_steps(text, &steps)
}

/// Whether step `at` has something to run: a block that may run, or the access key.
pub fn runs_something(course: &Course, at: StepAt) -> bool {
    crate::app::step::offers_issue_key(course, at)
        || blocks_of_step(&course.labs[at.lab], at.step)
            .iter()
            .any(|c| c.class.may_run())
}

/// What `--dry-run` shows: the blocks that would run and the placeholders each uses.
#[derive(Debug)]
pub struct DryRun {
    pub lab: String,
    pub step: String,
    /// `run`, or `issue-key` at the access-key step (then no blocks).
    pub action: &'static str,
    pub blocks: Vec<DryBlock>,
}

#[derive(Debug)]
pub struct DryBlock {
    /// 1-based.
    pub number: usize,
    pub lang: String,
    pub offset: usize,
    pub class: &'static str,
    /// Each name the block binds (found by the one scanner): (name, noted, secret).
    pub placeholders: Vec<(String, bool, bool)>,
}

/// Run nothing: what would run (nothing is decrypted, recorded or started).
pub fn dry_run(
    front: &dyn Front,
    course: &Course,
    at: StepAt,
    ui: &dyn RunUi,
) -> Result<DryRun, AppError> {
    let lab = &course.labs[at.lab].lab;
    let (lab_id, step_id) = (lab.id.clone(), lab.steps[at.step].id.clone());
    if crate::app::step::offers_issue_key(course, at) {
        return Ok(DryRun {
            lab: lab_id,
            step: step_id,
            action: "issue-key",
            blocks: Vec::new(),
        });
    }
    let (blocks, _) = runnable(&course.labs[at.lab], at.step, None, None, ui)?;
    let cfg = CourseConfig::load(front.course_dir())?;
    let records = super::load_journal(front)?;
    let resolver = super::resolve::resolver(course, &cfg, &records);
    let blocks = blocks
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let b = &c.block;
            let placeholders = script::names(&runner::script_text(b))
                .into_iter()
                .map(|name| {
                    let r = resolver.resolve(&name);
                    let (noted, secret) = (r.source.is_some(), r.secret);
                    (name, noted, secret)
                })
                .collect();
            DryBlock {
                number: n + 1,
                lang: b.lang.clone().unwrap_or_else(|| "commands".into()),
                offset: b.span.start,
                class: c.class.as_str(),
                placeholders,
            }
        })
        .collect();
    Ok(DryRun {
        lab: lab_id,
        step: step_id,
        action: "run",
        blocks,
    })
}

/// A block ready to run.
struct Prepared {
    /// The block as shown: values filled in (mask it before showing).
    shown: SecretString,
    /// The script with variable references in place of placeholders (no value in it).
    script: SecretString,
    /// `LABNOTE_V_<n>` and its value.
    vars: Vec<(String, SecretString)>,
}

/// A step's blocks, checked and with their values bound: ready to [`Plan::execute`].
pub struct Plan {
    at: StepAt,
    lab: String,
    step: String,
    blocks: Vec<Classified>,
    prepared: Vec<Prepared>,
    shells: Vec<ShellProgram>,
    masker: Masker,
    request: Request,
    workdir: Option<String>,
    last_end: Option<PathBuf>,
    /// The one block run (its number in `run --list`), for a front end that runs a block.
    only: Option<usize>,
    /// Whether a pass checks the step: always for the whole step; for one block, when every
    /// other block of the step that runs has passed in an earlier run.
    checks_step: bool,
}

/// Check step `at` and bind its blocks' values: refused before anything runs are a step
/// without a block that may run, a shell that cannot run a block, a block that hides what
/// it runs, a value that is not noted or cannot be read, and (when the student cannot be
/// asked) a run without [`Request::yes`]. Every secret of the course is masked.
pub fn prepare(
    front: &dyn Front,
    course: &Course,
    at: StepAt,
    request: &Request,
    ui: &dyn RunUi,
) -> Result<Plan, AppError> {
    prepare_with(front, course, at, None, request, ui)
}

/// [`prepare`] for one block of step `at`: block `number` as `run --list` counts the step's
/// blocks (from 1). Refused: a number the step does not have, a block `run` would not run
/// (an example, a block of another language), and what [`prepare`] refuses. The run passes
/// the step ([`record`] checks it) when this block passes and every other block of the step
/// that runs has passed in an earlier run of it.
pub fn prepare_one(
    front: &dyn Front,
    course: &Course,
    at: StepAt,
    number: usize,
    request: &Request,
    ui: &dyn RunUi,
) -> Result<Plan, AppError> {
    prepare_with(front, course, at, Some(number), request, ui)
}

fn prepare_with(
    front: &dyn Front,
    course: &Course,
    at: StepAt,
    only: Option<usize>,
    request: &Request,
    ui: &dyn RunUi,
) -> Result<Plan, AppError> {
    let cl = &course.labs[at.lab];
    let step = cl.lab.steps[at.step].id.clone();
    if crate::app::step::offers_issue_key(course, at) {
        return Err(RunError::KeyStep {
            lab: cl.lab.id.clone(),
            step,
        }
        .into());
    }
    let (blocks, shells) = runnable(cl, at.step, Some(&request.shell), only, ui)?;
    let cfg = CourseConfig::load(front.course_dir())?;
    let records = super::load_journal(front)?;
    let checks_step = only.is_none_or(|n| others_passed(cl, at.step, n, &records));
    let resolver = super::resolve::resolver(course, &cfg, &records);
    let mut masker = Masker::default();
    let mut keyring = None;
    mask_course_secrets(course, &cfg, &mut masker, &mut keyring);
    let prepared = prepare_all(&blocks, &step, &resolver, course, &mut masker, &mut keyring)?;
    if !request.yes && !ui.can_ask() {
        return Err(RunError::NeedsConfirmation { step }.into());
    }
    Ok(Plan {
        at,
        lab: cl.lab.id.clone(),
        step,
        blocks,
        prepared,
        shells,
        masker,
        request: request.clone(),
        workdir: cfg.workdir.clone(),
        last_end: last_end_dir(&records),
        only,
        checks_step,
    })
}

/// Whether every block of step `i` that runs (not an alternative), but block `number`, has
/// passed in a journaled run of that block alone, or the whole step passed in one run.
fn others_passed(cl: &CourseLab, i: usize, number: usize, records: &[Record]) -> bool {
    let (lab, step) = (&cl.lab.id, &cl.lab.steps[i].id);
    let passed = |block: Option<u64>| {
        records.iter().any(|r| {
            r.event == Event::Run
                && r.lab == *lab
                && r.step.as_deref() == Some(step.as_str())
                && r.details.get("outcome").and_then(|v| v.as_str()) == Some("passed")
                && r.details.get("block").and_then(|v| v.as_u64()) == block
        })
    };
    if passed(None) {
        return true;
    }
    blocks_of_step(cl, i)
        .iter()
        .enumerate()
        .filter(|(n, c)| n + 1 != number && c.class == Class::Run)
        .all(|(n, _)| passed(Some(n as u64 + 1)))
}

impl Plan {
    /// The text of each block of the plan as the student confirms it: the values filled in,
    /// every secret masked (what a page's confirmation shows).
    pub fn shown(&self) -> Vec<String> {
        self.prepared
            .iter()
            .map(|p| self.masker.mask(p.shown.expose_secret()))
            .collect()
    }

    /// Each block's language (`commands` for a bare block), in the order of [`Plan::shown`].
    pub fn langs(&self) -> Vec<String> {
        self.blocks
            .iter()
            .map(|c| c.block.lang.clone().unwrap_or_else(|| "commands".into()))
            .collect()
    }

    /// The step, as the journal names it: (lab id, step id).
    pub fn step_ids(&self) -> (&str, &str) {
        (&self.lab, &self.step)
    }
}

/// A line of a block's output as a page shows it: escape sequences taken out (colours,
/// cursor moves), any other control character shown as text ([`crate::textsafe::visible`]).
/// The line comes masked from the session already.
pub fn page_line(line: &str) -> String {
    crate::textsafe::visible(&crate::capture::strip_ansi(line)).into_owned()
}

/// Set while a front end runs a block of the session: one block at a time.
static BUSY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The right to run in this process's session, held until dropped ([`claim`]).
pub struct Claim(());

impl Drop for Claim {
    fn drop(&mut self) {
        BUSY.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The session's one run at a time: `None` while another runs (a front end that serves
/// many requests refuses the second, saying so).
pub fn claim() -> Option<Claim> {
    BUSY.compare_exchange(
        false,
        true,
        std::sync::atomic::Ordering::SeqCst,
        std::sync::atomic::Ordering::SeqCst,
    )
    .ok()
    .map(|_| {
        STOPPED.store(false, std::sync::atomic::Ordering::SeqCst);
        Claim(())
    })
}

/// [`prepare`], [`Plan::execute`] and [`record`] in one: the run of a front end that notes
/// no value from the output.
pub fn run(
    front: &dyn Front,
    course: &Course,
    at: StepAt,
    request: &Request,
    ui: &dyn RunUi,
) -> Result<Ran, AppError> {
    let ran = prepare(front, course, at, request, ui)?.execute(front, ui)?;
    record(front, course, &ran, &Masker::default())?;
    Ok(ran)
}

/// Set by [`stop`]: no further block of the run starts.
static STOPPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Stop the run, as Ctrl-C does on a terminal (a front end's Stop button): the block running
/// is interrupted, and no further block starts (the run ends `interrupted`).
pub fn stop() {
    use std::sync::atomic::Ordering::SeqCst;
    STOPPED.store(true, SeqCst);
    runner::interrupt();
    // A claimed run (a page's Stop) may be between its last check and its block's start,
    // which clears the interrupt: it is said again until the run ends (or a new one is
    // claimed, which clears the stop).
    if BUSY.load(SeqCst) {
        std::thread::spawn(|| {
            for _ in 0..30 {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if !BUSY.load(SeqCst) || !STOPPED.load(SeqCst) {
                    break;
                }
                runner::interrupt();
            }
        });
    }
}

/// The folder the session's shell is in, else `here`.
pub fn shell_dir(here: &Path) -> PathBuf {
    crate::session::dir_or(here)
}

/// End the shells of this process's session (once the front end's work is over).
pub fn end_session() {
    crate::session::end();
}

/// What running a step's blocks gave.
pub struct Ran {
    pub at: StepAt,
    pub outcome: Outcome,
    /// Each block's journal entry (its last lines of output, masked).
    results: Vec<serde_yaml::Value>,
    /// The folder the session started in and the one it ended in.
    pub folders: (PathBuf, PathBuf),
    /// What the blocks printed, unmasked (in memory only), when [`Request::keep_output`].
    pub output: Vec<Zeroizing<String>>,
    /// What masked the output: every secret of the course and of the blocks.
    pub masker: Masker,
    shell: String,
    /// The one block run ([`prepare_one`]).
    pub block: Option<usize>,
    checks_step: bool,
}

impl Plan {
    /// Run the blocks in the session of this process, started in the folder [`start_dir`]
    /// gives: each shown, asked (unless [`Request::yes`]) and run; the first that fails or
    /// is interrupted ends the run. A block's values reach the shell as its
    /// `LABNOTE_V_<n>` variables, exported for that block only.
    pub fn execute(self, front: &dyn Front, ui: &dyn RunUi) -> Result<Ran, AppError> {
        let cwd = start_dir(
            self.request.cwd.as_deref(),
            self.workdir.as_deref(),
            front.course_dir(),
            self.last_end.as_deref(),
            (!self.request.yes && ui.can_ask()).then_some(ui),
        )?;
        let started_in = crate::session::dir_or(&cwd);
        let env = [
            ("LABNOTE_LAB", self.lab.as_str()),
            ("LABNOTE_STEP", self.step.as_str()),
        ];
        let log = OutputLog::default();
        let kept = self.request.keep_output.then_some(&log);
        let (outcome, results) = self.run_blocks(&cwd, &env, kept, ui)?;
        Ok(Ran {
            at: self.at,
            outcome,
            results,
            folders: (started_in, crate::session::dir_or(&cwd)),
            output: log.lines(),
            masker: self.masker,
            shell: self.request.shell,
            block: self.only,
            checks_step: self.checks_step,
        })
    }

    fn run_blocks(
        &self,
        cwd: &Path,
        env: &[(&str, &str)],
        log: Option<&OutputLog>,
        ui: &dyn RunUi,
    ) -> Result<(Outcome, Vec<serde_yaml::Value>), AppError> {
        let mut results = Vec::new();
        let mut skipped = 0;
        // The session masks the output through this one, which keeps it for noting a value.
        let masker = &self.masker;
        let output_masker = log.map_or_else(|| masker.clone(), |log| masker.logging(log));
        let sink = ui.output();
        let all = self.blocks.iter().zip(&self.prepared).zip(&self.shells);
        // A claimed run (a page's) was cleared when claimed: a Stop that came while it was
        // prepared stops it before its block starts.
        if !BUSY.load(std::sync::atomic::Ordering::SeqCst) {
            STOPPED.store(false, std::sync::atomic::Ordering::SeqCst);
        }
        for (n, ((c, p), shell)) in all.enumerate() {
            if STOPPED.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok((Outcome::Interrupted, results));
            }
            let b = &c.block;
            let text = masker.mask(p.shown.expose_secret());
            ui.block_start(&BlockShown {
                number: n + 1,
                of: self.blocks.len(),
                lang: b.lang.as_deref().unwrap_or("commands"),
                text: &text,
            });
            if c.class == Class::Alternative {
                if !ui.confirm_alternative(&c.reason) {
                    results.push(block_yaml(n, b, None));
                    continue;
                }
            } else if !self.request.yes {
                match ui.confirm_block(n + 1) {
                    Answer::Run => {}
                    Answer::Stop => return Ok((Outcome::Stopped, results)),
                    Answer::Skip => {
                        skipped += 1;
                        results.push(block_yaml(n, b, None));
                        continue;
                    }
                }
            }
            // A stop while the student was asked: the block does not start.
            if STOPPED.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok((Outcome::Interrupted, results));
            }
            let mut block_env = env.to_vec();
            block_env.extend(p.vars.iter().map(|(k, v)| (k.as_str(), v.expose_secret())));
            let r =
                crate::session::run_block(shell, cwd, &p.script, &block_env, &output_masker, &sink)
                    .map_err(|e| RunError::SessionStart {
                        program: shell.program.clone(),
                        reason: e.to_string(),
                    })?;
            ui.block_end(n + 1, &r);
            results.push(block_yaml(n, b, Some(&r)));
            if r.interrupted {
                return Ok((Outcome::Interrupted, results));
            }
            if !r.success() {
                let code = r.exit_code.unwrap_or(1).max(1);
                return Ok((Outcome::Failed { code }, results));
            }
        }
        // Blocks the student chose not to run leave the step for them to check.
        let outcome = if skipped > 0 {
            Outcome::Partial { skipped }
        } else {
            Outcome::Passed
        };
        Ok((outcome, results))
    }
}

/// Journal the run, and check the step's leaves when it passed. The output lines it keeps
/// are masked once more: by `secrets` (the values the front end notes from the output as
/// secret, or could offer), and wherever something looks like a credential (see
/// [`crate::capture::mask_credentials`]); each is cut at [`RECORDED_LINE`] bytes.
pub fn record(
    front: &dyn Front,
    course: &Course,
    ran: &Ran,
    secrets: &Masker,
) -> Result<(), AppError> {
    let lab = &course.labs[ran.at.lab].lab;
    super::append(front, &run_records(lab, ran, secrets))?;
    super::nudge::nudge(front);
    Ok(())
}

/// The records of a run (see [`record`]).
fn run_records(lab: &Lab, ran: &Ran, secrets: &Masker) -> Vec<Record> {
    let (cwd_start, cwd_end) = &ran.folders;
    let mut rec = step_record(lab, ran.at.step, "run")
        .detail("outcome", ran.outcome.as_str())
        .detail("shell", ran.shell.as_str())
        .detail("cwd_start", cwd_start.display().to_string())
        .detail("cwd_end", cwd_end.display().to_string());
    if let Some(n) = ran.block {
        rec = rec.detail("block", n as u64);
    }
    let blocks = ran
        .results
        .iter()
        .map(|b| masked_block(b, secrets))
        .collect();
    rec.details
        .insert("blocks".into(), serde_yaml::Value::Sequence(blocks));
    let mut recs = vec![rec];
    if ran.outcome == Outcome::Passed && ran.checks_step {
        for leaf in lab.leaves_of(ran.at.step) {
            recs.push(step_record(lab, leaf, "done").detail("by", "run"));
        }
    }
    recs
}

/// A block's journal entry with its output lines masked (see [`record`]), each cut to
/// [`RECORDED_LINE`].
fn masked_block(b: &serde_yaml::Value, secrets: &Masker) -> serde_yaml::Value {
    let mut b = b.clone();
    if let Some(tail) = b.get_mut("tail").and_then(|t| t.as_sequence_mut()) {
        let lines: Vec<String> = tail
            .iter()
            .map(|l| secrets.mask_recorded(l.as_str().unwrap_or_default()))
            .collect();
        *tail = crate::capture::mask_credentials(&lines)
            .into_iter()
            .map(|l| match runner::cut_at(&l, RECORDED_LINE) {
                kept if kept.len() < l.len() => format!("{kept} …"),
                _ => l,
            })
            .map(serde_yaml::Value::from)
            .collect();
    }
    b
}

fn block_yaml(n: usize, b: &CodeBlock, r: Option<&BlockResult>) -> serde_yaml::Value {
    let mut m = serde_yaml::Mapping::new();
    m.insert("block".into(), (n as u64 + 1).into());
    m.insert(
        "lang".into(),
        b.lang.clone().unwrap_or_else(|| "commands".into()).into(),
    );
    match r {
        None => {
            m.insert("skipped".into(), true.into());
        }
        Some(r) => {
            m.insert(
                "exit".into(),
                r.exit_code
                    .map_or(serde_yaml::Value::Null, |c| (c as i64).into()),
            );
            if let Some(s) = r.signal {
                m.insert("signal".into(), (s as i64).into());
            }
            m.insert("duration_ms".into(), (r.duration.as_millis() as u64).into());
            if r.interrupted {
                m.insert("interrupted".into(), true.into());
            }
            m.insert(
                "tail".into(),
                serde_yaml::Value::Sequence(r.tail.iter().map(|l| l.clone().into()).collect()),
            );
        }
    }
    serde_yaml::Value::Mapping(m)
}

/// The blocks of step `i` (and of the steps under it, in document order) that may run, and
/// the shell of each: examples and other languages never run (the examples are noted, so
/// that a student who sees them knows why), alternatives are asked (see `blocks`). Refused
/// before anything runs: a step without one, a block that hides what it runs, a shell that
/// cannot run a block (not checked without `shell`: a dry run runs nothing).
fn runnable(
    cl: &CourseLab,
    i: usize,
    shell: Option<&str>,
    only: Option<usize>,
    ui: &dyn RunUi,
) -> Result<(Vec<Classified>, Vec<ShellProgram>), AppError> {
    let mut classified = blocks_of_step(cl, i);
    if let Some(n) = only {
        classified = vec![one_block(cl, i, classified, n)?];
    }
    for c in classified.iter().filter(|c| c.class == Class::Example) {
        ui.note(&t!("run-example-not-run", step = c.step, reason = c.reason));
    }
    let shells = match shell {
        None => Vec::new(),
        Some(flag) => check_shell(flag, cl, i, &classified)?,
    };
    let blocks: Vec<Classified> = classified
        .into_iter()
        .filter(|c| c.class.may_run())
        .collect();
    if blocks.is_empty() {
        let (lab, step) = (&cl.lab, &cl.lab.steps[i]);
        return Err(RunError::NoCommands {
            lab: lab.id.clone(),
            step: step.id.clone(),
            title: step.title.clone(),
        }
        .into());
    }
    refuse_hidden(cl, i, &blocks)?;
    Ok((blocks, shells))
}

/// The shell of each block that may run (the order of `classified`'s runnable blocks):
/// Block `n` (from 1) of the classified blocks of step `i`, when it may run.
fn one_block(
    cl: &CourseLab,
    i: usize,
    mut classified: Vec<Classified>,
    n: usize,
) -> Result<Classified, AppError> {
    let (lab, step) = (cl.lab.id.clone(), cl.lab.steps[i].id.clone());
    if n == 0 || n > classified.len() {
        return Err(RunError::NoSuchBlock {
            lab,
            step,
            block: n,
            count: classified.len(),
        }
        .into());
    }
    let c = classified.swap_remove(n - 1);
    if !c.class.may_run() {
        return Err(RunError::NotRunBlock {
            lab,
            step,
            block: n,
            class: c.class.as_str().to_string(),
            reason: c.reason,
        }
        .into());
    }
    Ok(c)
}

/// `flag` for `shell`, `console` and bare blocks, a `sh`/`zsh`/`bash` block's own (see
/// `shells`). Refused before anything runs: a `flag` that is not bash, sh or zsh, or is
/// not installed; a `fish` block; a block whose shell is not installed.
fn check_shell(
    flag: &str,
    cl: &CourseLab,
    i: usize,
    classified: &[Classified],
) -> Result<Vec<ShellProgram>, AppError> {
    let given = flag.to_string();
    let shells = Shells::from_flag(flag).map_err(|e| match e {
        FlagError::Unknown => RunError::ShellUnknown {
            given: given.clone(),
        },
        FlagError::Refused => RunError::ShellFish {
            given: given.clone(),
        },
    })?;
    let default = shells
        .for_lang(None)
        .expect("the default shell is never refused");
    if crate::session::locate(&default.program).is_none() {
        return Err(RunError::ShellMissing {
            given,
            program: default.program,
        }
        .into());
    }
    let (lab, step) = (&cl.lab.id, &cl.lab.steps[i].id);
    let mut out = Vec::new();
    for (n, c) in classified.iter().enumerate() {
        let lang = c.block.lang.as_deref();
        let shell = shells.for_lang(lang);
        // Why the block cannot run: the `why` of `run-shell-block-refused`.
        let why = match shell {
            None => "fish",
            Some(_) if !c.class.may_run() => continue,
            Some(ref s) if crate::session::locate(&s.program).is_none() => "missing",
            Some(s) => {
                out.push(s);
                continue;
            }
        };
        return Err(RunError::BlockShell {
            why,
            file: cl.path.display().to_string(),
            line: cl.lab.line_of(c.block.span.start),
            block: n + 1,
            step: step.clone(),
            lang: lang.unwrap_or("commands").to_string(),
            program: shell.map(|s| s.program).unwrap_or_default(),
            lab: lab.clone(),
        }
        .into());
    }
    Ok(out)
}

/// Refuse, before anything runs, a runnable block holding an ESC or a mid-line CR (see
/// [`crate::textsafe::hiding_char`]): on a terminal such a block can show one command and
/// run another. The error names the file and the line.
fn refuse_hidden(cl: &CourseLab, i: usize, blocks: &[Classified]) -> Result<(), AppError> {
    for (n, c) in blocks.iter().enumerate() {
        let b = &c.block;
        let Some(at) = crate::textsafe::hiding_char(&b.text) else {
            continue;
        };
        let src = cl.lab.source();
        let start = b.span.start.min(src.len());
        // A fenced block's text starts on the line after its fence.
        let fence = usize::from(!b.indented);
        let line = cl.lab.line_of(start) + fence + b.text[..at].matches('\n').count();
        return Err(RunError::Hidden {
            file: cl.path.display().to_string(),
            line,
            block: n + 1,
            step: cl.lab.steps[i].id.clone(),
            esc: b.text.as_bytes()[at] == 0x1b,
        }
        .into());
    }
    Ok(())
}

/// Every secret noted in the course is masked, not only those the blocks name: a block may
/// print one another step stored (`cat ~/.git-credentials`, `labnote memo get`).
fn mask_course_secrets(
    course: &Course,
    cfg: &CourseConfig,
    masker: &mut Masker,
    keyring: &mut Option<crate::secret::Keyring>,
) {
    for cl in &course.labs {
        for e in cl.lab.memo_entries() {
            if e.value.is_empty() || !super::memo::is_secret(cfg, &e.key, &e.value) {
                continue;
            }
            if let Ok(v) = super::memo::reveal(&e.value, &cl.lab.id, &e.key, keyring) {
                masker.add(&v);
            }
        }
    }
}

/// Prepare every block (see [`prepare_block`]); the first with a value that is not noted,
/// or that cannot be read, stops the run before anything runs.
fn prepare_all(
    blocks: &[Classified],
    step: &str,
    resolver: &Resolver,
    course: &Course,
    masker: &mut Masker,
    keyring: &mut Option<crate::secret::Keyring>,
) -> Result<Vec<Prepared>, AppError> {
    let mut prepared = Vec::new();
    for (n, c) in blocks.iter().enumerate() {
        let text = runner::script_text(&c.block);
        let (block, step) = (n + 1, step.to_string());
        let bound = script::bind(&text).map_err(|source| RunError::Script {
            block,
            step: step.clone(),
            source,
        })?;
        match prepare_block(&text, bound, resolver, course, masker, keyring) {
            Ok(Ok(p)) => prepared.push(p),
            Ok(Err(missing)) => {
                return Err(RunError::NotNoted {
                    block,
                    step,
                    missing,
                }
                .into())
            }
            Err(e) => {
                return Err(RunError::Value {
                    block,
                    step,
                    source: Box::new(e),
                }
                .into())
            }
        }
    }
    Ok(prepared)
}

/// A placeholder that is not noted, with the closest memo key.
type Missing = (String, Option<String>);

/// Look the values of a block's bound placeholders up; secrets are added to the masker.
/// Unresolved names are returned instead.
fn prepare_block(
    text: &str,
    bound: script::Bound,
    resolver: &Resolver,
    course: &Course,
    masker: &mut Masker,
    keyring: &mut Option<crate::secret::Keyring>,
) -> Result<Result<Prepared, Vec<Missing>>, AppError> {
    let mut missing = Vec::new();
    let mut values = Vec::new();
    for name in &bound.names {
        let res = resolver.resolve(name);
        match super::resolve::value_of(course, &res, keyring)? {
            None => missing.push((name.clone(), res.suggestion.clone())),
            Some(v) => {
                if res.secret {
                    masker.add(&v);
                }
                values.push(v);
            }
        }
    }
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    let shown =
        crate::placeholder::replace(text, bound.uses.iter().map(|(span, _)| span.clone()), |i| {
            values[bound.uses[i].1].expose_secret().to_string()
        });
    let vars = values
        .into_iter()
        .enumerate()
        .map(|(i, v)| (script::var_name(i), v))
        .collect();
    Ok(Ok(Prepared {
        shown: SecretString::from(shown),
        script: SecretString::from(bound.script),
        vars,
    }))
}

/// The folder a session starts in: the folder of the session this process already runs
/// (an earlier step of `walk`), else `flag` (`--cwd`), else `workdir` of course.yaml, else
/// the folder labnote was started in. When `ask` is given and the last run of the course
/// ended in another folder that still exists, the student is offered to start there.
pub fn start_dir(
    flag: Option<&Path>,
    workdir: Option<&str>,
    course_dir: &Path,
    last_end: Option<&Path>,
    ask: Option<&dyn RunUi>,
) -> Result<PathBuf, AppError> {
    if let Some(d) = crate::session::current_dir() {
        return Ok(d);
    }
    if let Some(d) = flag {
        return existing(d, &format!("--cwd {}", d.display()));
    }
    if let Some(w) = workdir {
        let d = expand(w, course_dir);
        let what = format!(
            "{}: workdir {w}",
            course_dir.join(crate::config::FILE_NAME).display()
        );
        return existing(&d, &what);
    }
    let here = std::env::current_dir().map_err(|e| RunError::CurrentDir {
        reason: e.to_string(),
    })?;
    if let (Some(last), Some(ui)) = (last_end, ask) {
        if last.is_dir() && last != here && ui.start_in(last) {
            return Ok(last.to_path_buf());
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
pub fn expand(w: &str, course_dir: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (w.strip_prefix('~'), home) {
        (Some(rest), Some(h)) if rest.is_empty() || rest.starts_with('/') => {
            h.join(rest.trim_start_matches('/'))
        }
        _ => course_dir.join(w),
    }
}

/// `d` when it is a folder; else an error naming `what` gave it.
fn existing(d: &Path, what: &str) -> Result<PathBuf, AppError> {
    if d.is_dir() {
        Ok(d.to_path_buf())
    } else {
        Err(RunError::NotAFolder {
            what: what.to_string(),
            path: d.display().to_string(),
        }
        .into())
    }
}

#[cfg(test)]
mod tests;
