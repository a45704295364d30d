//! `run`: a step's commands, in one shell session.

use std::io::IsTerminal;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::prompt::ask;
use super::{print_json, CmdResult, Ctx, Failure};
use crate::app::progress::step_record;
use crate::blocks::{Class, Classified};
use crate::capture::NoteRule;
use crate::config::CourseConfig;
use crate::course::Course;
use crate::resolve::Resolver;
use crate::runner::{self, Masker, OutputLog};
use crate::script;
use crate::shells::{FlagError, ShellProgram, Shells};
use crate::t;

/// Options of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[arg(help = super::LAB_HELP)]
    pub lab: String,
    /// The step whose commands to run: an id (`2-2`) or an unambiguous number.
    pub step: String,
    /// Run without asking (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The shell of `shell`, `console` and untagged blocks: bash, sh or zsh (a name or a
    /// path); `bash`, `sh` and `zsh` blocks run in their own.
    #[arg(long, default_value = "bash")]
    pub shell: String,
    /// Folder the shell starts in (default: `workdir` of course.yaml, else the current folder).
    #[arg(long)]
    pub cwd: Option<PathBuf>,
    /// List the step's blocks: whether each would run (run / example / not-shell /
    /// alternative) and why; runs nothing.
    #[arg(long, conflicts_with = "dry_run")]
    pub list: bool,
    /// With --list: JSON.
    #[arg(long, requires = "list")]
    pub json: bool,
    /// IAM user for the access-key step.
    #[arg(long)]
    pub user: Option<String>,
    /// Run nothing: print, as JSON, the blocks that would run and the placeholders each
    /// uses (whether noted, whether secret).
    #[arg(long)]
    pub dry_run: bool,
    /// Note a value from what the commands printed, without a terminal: NAME (any written
    /// form, as for `memo set`) gets the first match of REGEX, or its first capture group.
    /// Repeatable. No match: an error, and nothing is written.
    #[arg(long = "note", value_name = "NAME=REGEX", conflicts_with_all = ["list", "dry_run"])]
    pub note: Vec<String>,
}

/// Whether step `i` (or a step under it) is the lab's access-key step.
pub(super) fn has_key_action(course: &Course, k: usize, i: usize) -> bool {
    let lab = &course.labs[k].lab;
    let Some((_, secret_key)) = crate::memo::access_key_entries(lab) else {
        return false;
    };
    let (create, _) = crate::issue::key_steps(lab, &secret_key);
    create.is_some_and(|c| c >= i && lab.steps[c].span.start < lab.steps[i].section_span.end)
}

/// A placeholder that is not noted, with the closest memo key.
type Missing = (String, Option<String>);

/// A block ready to run.
struct Prepared {
    /// The block as shown: values filled in (mask it before printing).
    shown: SecretString,
    /// The script with variable references in place of placeholders (no value in it).
    script: SecretString,
    /// `LABNOTE_V_<n>` and its value.
    vars: Vec<(String, SecretString)>,
}

/// Bind a block's placeholders to variables and look their values up; secrets are added to
/// the masker. Unresolved names are returned instead.
fn prepare_block(
    text: &str,
    resolver: &Resolver,
    course: &Course,
    masker: &mut Masker,
    keyring: &mut Option<crate::secret::Keyring>,
) -> Result<Result<Prepared, Vec<Missing>>, Failure> {
    let bound = script::bind(text).map_err(|e| Failure::user(e.to_string()))?;
    let mut missing = Vec::new();
    let mut values = Vec::new();
    for name in &bound.names {
        let res = resolver.resolve(name);
        match crate::app::resolve::value_of(course, &res, keyring)? {
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

pub fn run(ctx: &Ctx, a: RunArgs) -> CmdResult {
    let course = ctx.open_course()?;
    let k = course.resolve(&a.lab)?;
    let cl = &course.labs[k];
    let i = super::step_lookup(cl, &a.step)?;
    if a.list {
        return super::blocks::list(ctx, cl, i, a.json);
    }
    run_step(ctx, &course, k, i, &a)
}

/// How a run ended (the journal's `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
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
    fn ran(self) -> bool {
        matches!(self, Outcome::Passed | Outcome::Partial { .. })
    }

    fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Partial { .. } => "partial",
            Outcome::Stopped => "stopped",
            Outcome::Interrupted => "interrupted",
            Outcome::Failed { .. } => "failed",
        }
    }
}

pub(super) fn run_step(ctx: &Ctx, course: &Course, k: usize, i: usize, a: &RunArgs) -> CmdResult {
    // `--note` is checked before anything runs: a rule that cannot match is no reason to run.
    let rules = parse_rules(&a.note)?;
    if has_key_action(course, k, i) {
        return run_key_step(ctx, course, k, i, a, &rules);
    }
    let cl = &course.labs[k];
    let (blocks, shells) = runnable(ctx, cl, i, a)?;
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let records = ctx.load_journal()?;
    let resolver = crate::app::resolve::resolver(course, &cfg, &records);
    if a.dry_run {
        return dry_run(&cl.lab, i, &blocks, &resolver);
    }
    let mut masker = Masker::default();
    let mut keyring = None;
    mask_course_secrets(course, &cfg, &mut masker, &mut keyring);
    let step = &cl.lab.steps[i].id;
    let prepared = prepare_all(&blocks, step, &resolver, course, &mut masker, &mut keyring)?;
    let terminal = std::io::stdin().is_terminal();
    if !a.yes && !terminal {
        return Err(Failure::user(t!("run-needs-confirmation", step = step)));
    }
    // A secret `--note` takes needs the keyring: loaded (or made) before anything runs.
    super::capture::ready_keyring(ctx, course, (k, i), &rules)?;
    let cwd = super::blocks::start_dir(a.cwd.as_deref(), &cfg, &ctx.course_dir, &records, !a.yes)?;
    // The output is kept only when a value may be noted from it.
    let offer = rules.is_empty() && !a.yes && terminal;
    let keep = offer || !rules.is_empty();
    let session = (blocks.as_slice(), prepared.as_slice(), shells.as_slice());
    let run = execute(a, (&cl.lab, i), session, &cwd, &masker, keep)?;
    finish_run(ctx, course, k, a, run, &rules, offer.then_some(&masker))
}

/// The blocks of step `i` (and of the steps under it, in document order) that may run, and
/// the shell of each: examples and other languages never run, alternatives are asked (see
/// `blocks`). Refused before anything runs: a step without one, a block that hides what it
/// runs, a shell that cannot run a block (not checked for `--dry-run`, which runs nothing).
fn runnable(
    ctx: &Ctx,
    cl: &crate::course::CourseLab,
    i: usize,
    a: &RunArgs,
) -> Result<(Vec<Classified>, Vec<ShellProgram>), Failure> {
    let classified = super::blocks::of_step(cl, i)?;
    super::blocks::note_not_run(ctx, &classified);
    let shells = if a.dry_run {
        Vec::new()
    } else {
        check_shell(&a.shell, cl, i, &classified)?
    };
    let blocks: Vec<Classified> = classified
        .into_iter()
        .filter(|c| c.class.may_run())
        .collect();
    if blocks.is_empty() {
        let (lab, step) = (&cl.lab, &cl.lab.steps[i]);
        return Err(Failure::user(t!(
            "run-no-commands",
            step = step.id,
            title = step.title,
            lab = lab.id
        )));
    }
    refuse_hidden(cl, i, &blocks)?;
    Ok((blocks, shells))
}

/// Run the prepared blocks of step `i` in one session started in `cwd`, keeping what they
/// print (in memory) when `keep`.
fn execute(
    a: &RunArgs,
    (lab, i): (&crate::lab::Lab, usize),
    session: (&[Classified], &[Prepared], &[ShellProgram]),
    cwd: &std::path::Path,
    masker: &Masker,
    keep: bool,
) -> Result<Ran, Failure> {
    let started_in = crate::session::dir_or(cwd);
    let env = [
        ("LABNOTE_LAB", lab.id.as_str()),
        ("LABNOTE_STEP", lab.steps[i].id.as_str()),
    ];
    let log = OutputLog::default();
    let (outcome, results) = run_blocks(a, session, cwd, &env, masker, keep.then_some(&log))?;
    Ok(Ran {
        i,
        outcome,
        results,
        folders: (started_in, crate::session::dir_or(cwd)),
        output: log.lines(),
    })
}

/// What running a step's blocks gave.
struct Ran {
    i: usize,
    outcome: Outcome,
    results: Vec<serde_yaml::Value>,
    /// The folder the session started in and the one it ended in.
    folders: (PathBuf, PathBuf),
    /// What the blocks printed, unmasked (in memory only).
    output: Vec<zeroize::Zeroizing<String>>,
}

/// The `--note` rules, or an error naming the argument that is not one.
fn parse_rules(args: &[String]) -> Result<Vec<NoteRule>, Failure> {
    args.iter()
        .map(|arg| {
            NoteRule::parse(arg).map_err(|e| match e {
                crate::capture::RuleError::Shape => Failure::user(t!("run-note-shape", arg = arg)),
                crate::capture::RuleError::Regex(reason) => {
                    Failure::user(t!("run-note-regex", arg = arg, reason = reason))
                }
            })
        })
        .collect()
}

/// After the blocks: take the `--note` values (a rule without a match stops everything
/// before anything is written), journal the run with those that are secret masked, note
/// them, say how the run went, and on a terminal offer to note a value from the output.
fn finish_run(
    ctx: &Ctx,
    course: &Course,
    k: usize,
    a: &RunArgs,
    run: Ran,
    rules: &[NoteRule],
    offer: Option<&Masker>,
) -> CmdResult {
    let lab = &course.labs[k].lab;
    let taken = if run.outcome.ran() {
        super::capture::take(ctx, course, (k, run.i), rules, &run.output)?
    } else {
        if !rules.is_empty() {
            ctx.note(&t!("run-note-not-taken", step = lab.steps[run.i].id));
        }
        Vec::new()
    };
    let mut secrets = Masker::default();
    for t in taken.iter().filter(|t| t.secret) {
        secrets.add(&t.value);
    }
    // The offer may note a secret from the output, or be skipped or cut short: what it could
    // take is masked in the journal before it asks, so no plaintext stays either way.
    if offer.is_some() && run.outcome.ran() {
        super::capture::mask_offered(ctx, course, (k, run.i), &run.output, &mut secrets)?;
    }
    record_run(ctx, lab, a, &run, &secrets)?;
    for t in &taken {
        super::capture::note_taken(ctx, course, k, t)?;
    }
    let said = report(ctx, lab, run.i, run.outcome);
    if let (Ok(()), Some(masker), true) = (&said, offer, run.outcome.ran()) {
        // A value that cannot be noted is reported; the run itself went well.
        if let Err(f) = super::capture::offer(ctx, course, k, run.i, &run.output, masker) {
            ctx.warn(&f.message);
        }
    }
    said
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
) -> Result<Vec<Prepared>, Failure> {
    let mut prepared = Vec::new();
    for (n, c) in blocks.iter().enumerate() {
        let text = runner::script_text(&c.block);
        match prepare_block(&text, resolver, course, masker, keyring) {
            Ok(Ok(p)) => prepared.push(p),
            Ok(Err(missing)) => return Err(not_noted(n, step, &missing)),
            Err(f) => {
                return Err(Failure {
                    code: f.code,
                    message: t!(
                        "run-block-of-step",
                        block = n + 1,
                        step = step,
                        msg = f.message
                    ),
                })
            }
        }
    }
    Ok(prepared)
}

/// The access-key step: labnote performs it through the IAM API (`--note` does not apply;
/// `--dry-run` says so and does nothing). Once the lab holds an active key (issued now or
/// before), the step is done: checked if it was not (after an `undo`, or a key noted by
/// hand), and said so.
fn run_key_step(
    ctx: &Ctx,
    course: &Course,
    k: usize,
    i: usize,
    a: &RunArgs,
    rules: &[NoteRule],
) -> CmdResult {
    let lab = &course.labs[k].lab;
    let step = &lab.steps[i];
    if !rules.is_empty() {
        return Err(Failure::user(t!("run-note-key-step", step = step.id)));
    }
    if a.dry_run {
        print_json(&json!({ "lab": lab.id, "step": step.id, "action": "issue-key", "blocks": [] }));
        return Ok(());
    }
    ctx.note(&t!("run-key-step", step = lab.steps[i].id));
    let opts = crate::app::keys::IssueOptions {
        user: a.user.clone(),
        ..Default::default()
    };
    let ui = super::keys::TermUi::new(a.yes, ctx.quiet);
    super::keys::issue_key_with(ctx, &lab.id, &opts, false, &ui)?;
    let p = crate::journal::Progress::from_records(&ctx.load_journal()?);
    let open: Vec<crate::journal::Record> = lab
        .leaves_of(i)
        .into_iter()
        .filter(|&l| {
            let s = &lab.steps[l];
            p.state(&lab.id, &s.id, &s.fingerprint) != crate::journal::StepState::Done
        })
        .map(|l| step_record(lab, l, "done").detail("by", "run"))
        .collect();
    if !open.is_empty() {
        ctx.append(&open)?;
    }
    ctx.note(&t!("run-key-step-done", step = lab.steps[i].id));
    Ok(())
}

/// `--dry-run`: the blocks that would run and the placeholders each uses (the names `run`
/// binds, found by the one scanner), as JSON. Nothing runs, nothing is decrypted or recorded.
fn dry_run(
    lab: &crate::lab::Lab,
    i: usize,
    blocks: &[Classified],
    resolver: &Resolver,
) -> CmdResult {
    let list: Vec<_> = blocks
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let b = &c.block;
            let names: Vec<_> = script::names(&runner::script_text(b))
                .into_iter()
                .map(|name| {
                    let r = resolver.resolve(&name);
                    json!({ "name": name, "resolved": r.source.is_some(), "secret": r.secret })
                })
                .collect();
            json!({
                "block": n + 1,
                "lang": b.lang.as_deref().unwrap_or("commands"),
                "offset": b.span.start,
                "class": c.class.as_str(),
                "placeholders": names,
            })
        })
        .collect();
    print_json(&json!({ "lab": lab.id, "step": lab.steps[i].id, "action": "run", "blocks": list }));
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
            if e.value.is_empty() || !crate::app::memo::is_secret(cfg, &e.key, &e.value) {
                continue;
            }
            if let Ok(v) = crate::app::memo::reveal(&e.value, &cl.lab.id, &e.key, keyring) {
                masker.add(&v);
            }
        }
    }
}

fn not_noted(n: usize, step: &str, missing: &[Missing]) -> Failure {
    let list: Vec<String> = missing
        .iter()
        .map(|(name, sug)| match sug {
            Some(s) => t!("run-not-noted-closest", name = name, key = s),
            None => format!("<<{name}>>"),
        })
        .collect();
    Failure::user(t!(
        "run-not-noted",
        block = n + 1,
        step = step,
        names = list.join(", ")
    ))
}

/// The shell of each block that may run (the order of `classified`'s runnable blocks):
/// `--shell` for `shell`, `console` and bare blocks, a `sh`/`zsh`/`bash` block's own (see
/// `shells`). Refused before anything runs: a `--shell` that is not bash, sh or zsh, or is
/// not installed; a `fish` block; a block whose shell is not installed.
fn check_shell(
    flag: &str,
    cl: &crate::course::CourseLab,
    i: usize,
    classified: &[Classified],
) -> Result<Vec<ShellProgram>, Failure> {
    let shells = Shells::from_flag(flag).map_err(|e| {
        Failure::user(match e {
            FlagError::Unknown => crate::t!("run-shell-unknown", given = flag),
            FlagError::Refused => crate::t!("run-shell-fish", given = flag),
        })
    })?;
    let default = shells
        .for_lang(None)
        .expect("the default shell is never refused");
    if crate::session::locate(&default.program).is_none() {
        return Err(Failure::user(crate::t!(
            "run-shell-missing",
            given = flag,
            program = default.program
        )));
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
        return Err(Failure::user(crate::t!(
            "run-shell-block-refused",
            why = why,
            file = cl.path.display().to_string(),
            line = cl.lab.line_of(c.block.span.start),
            block = n + 1,
            step = step,
            lang = lang.unwrap_or("commands"),
            program = shell.map(|s| s.program).unwrap_or_default(),
            lab = lab
        )));
    }
    Ok(out)
}

/// Refuse, before anything runs, a runnable block holding an ESC or a mid-line CR (see
/// [`crate::textsafe::hiding_char`]): on a terminal such a block can show one command and
/// run another. The error names the file and the line.
fn refuse_hidden(
    cl: &crate::course::CourseLab,
    i: usize,
    blocks: &[Classified],
) -> Result<(), Failure> {
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
        let what = if b.text.as_bytes()[at] == 0x1b {
            t!("textsafe-esc")
        } else {
            t!("textsafe-cr")
        };
        return Err(Failure::user(t!(
            "textsafe-run-hidden",
            file = cl.path.display().to_string(),
            line = line,
            block = n + 1,
            step = cl.lab.steps[i].id.as_str(),
            what = what
        )));
    }
    Ok(())
}

/// Show, confirm and run each block in the session; stop at the first that fails. A block's
/// values reach the shell as its `LABNOTE_V_<n>` variables, exported for that block only.
fn run_blocks(
    a: &RunArgs,
    (blocks, prepared, shells): (&[Classified], &[Prepared], &[ShellProgram]),
    cwd: &std::path::Path,
    env: &[(&str, &str)],
    masker: &Masker,
    log: Option<&OutputLog>,
) -> Result<(Outcome, Vec<serde_yaml::Value>), Failure> {
    let mut results = Vec::new();
    let mut skipped = 0;
    // The session masks the output through this one, which keeps it for noting a value.
    let output_masker = log.map_or_else(|| masker.clone(), |log| masker.logging(log));
    for (n, ((c, p), shell)) in blocks.iter().zip(prepared).zip(shells).enumerate() {
        let b = &c.block;
        // The block as the student reads it: a control character shows as `^[`, `^M`, ….
        let masked = masker.mask(p.shown.expose_secret());
        let shown = crate::textsafe::visible(&masked);
        let lang = crate::textsafe::visible(b.lang.as_deref().unwrap_or("commands"));
        eprintln!(
            "{}",
            t!(
                "run-block-header",
                block = n + 1,
                blocks = blocks.len(),
                lang = lang.as_ref()
            )
        );
        eprint!("{shown}");
        if !shown.ends_with('\n') {
            eprintln!();
        }
        if c.class == Class::Alternative {
            if !super::blocks::ask_alternative(&c.reason) {
                results.push(block_yaml(n, b, None));
                continue;
            }
        } else if !a.yes {
            match ask(&t!("run-ask-block")).as_deref() {
                Some("" | "y" | "Y" | "yes" | "예") => {}
                Some("q" | "Q") | None => return Ok((Outcome::Stopped, results)),
                _ => {
                    eprintln!("{}", t!("run-skipped"));
                    skipped += 1;
                    results.push(block_yaml(n, b, None));
                    continue;
                }
            }
        }
        let mut block_env = env.to_vec();
        block_env.extend(p.vars.iter().map(|(k, v)| (k.as_str(), v.expose_secret())));
        let r = crate::session::run_block(shell, cwd, &p.script, &block_env, &output_masker)
            .map_err(|e| {
                Failure::data(crate::t!(
                    "session-cannot-start",
                    program = shell.program,
                    reason = e
                ))
            })?;
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

/// Journal the run (and the checked steps when it passed). The output lines it keeps are
/// masked once more: the values `--note` takes as secret, and whatever looks like a
/// credential (see [`crate::capture::mask_credentials`]).
fn record_run(
    ctx: &Ctx,
    lab: &crate::lab::Lab,
    a: &RunArgs,
    run: &Ran,
    secrets: &Masker,
) -> CmdResult {
    let (cwd_start, cwd_end) = &run.folders;
    let mut rec = step_record(lab, run.i, "run")
        .detail("outcome", run.outcome.as_str())
        .detail("shell", a.shell.as_str())
        .detail("cwd_start", cwd_start.display().to_string())
        .detail("cwd_end", cwd_end.display().to_string());
    let blocks = run
        .results
        .iter()
        .map(|b| masked_block(b, secrets))
        .collect();
    rec.details
        .insert("blocks".into(), serde_yaml::Value::Sequence(blocks));
    let mut recs = vec![rec];
    if run.outcome == Outcome::Passed {
        for leaf in lab.leaves_of(run.i) {
            recs.push(step_record(lab, leaf, "done").detail("by", "run"));
        }
    }
    ctx.append(&recs)
}

/// Longest output line the journal keeps (cut after masking, so no credential is cut out of
/// its shape first): 20 lines of a run stay small however long the lines printed.
const RECORDED_LINE: usize = 4096;

/// A block's journal entry with its output lines masked (see [`record_run`]), each cut to
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

/// Say how the run went; the exit code of a run that did not pass.
fn report(ctx: &Ctx, lab: &crate::lab::Lab, i: usize, outcome: Outcome) -> CmdResult {
    let step = &lab.steps[i];
    match outcome {
        Outcome::Passed => {
            ctx.note(&t!("run-passed", step = step.id));
            Ok(())
        }
        Outcome::Partial { skipped } => {
            ctx.note(&t!(
                "run-partial",
                skipped = skipped,
                step = step.id,
                lab = lab.id
            ));
            Ok(())
        }
        Outcome::Stopped => Err(Failure::user(t!("run-stopped", step = step.id))),
        Outcome::Interrupted => Err(Failure {
            code: 130,
            message: t!("run-interrupted", step = step.id),
        }),
        Outcome::Failed { code } => Err(Failure {
            code,
            message: t!("run-failed", step = step.id, code = code),
        }),
    }
}

fn block_yaml(
    n: usize,
    b: &crate::lab::CodeBlock,
    r: Option<&runner::BlockResult>,
) -> serde_yaml::Value {
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

#[cfg(test)]
mod tests {
    use crate::i18n::{message_in, Arg, Lang};

    /// `run-shell-block-refused` in `lang`, for a block `why` refuses.
    fn refused(lang: Lang, why: &str) -> String {
        let args: [(&str, &dyn Arg); 8] = [
            ("why", &why),
            ("file", &"lab.md"),
            ("line", &12usize),
            ("block", &2usize),
            ("step", &"3-1"),
            ("lang", &"zsh"),
            ("program", &"zsh"),
            ("lab", &"8-2"),
        ];
        message_in(lang, "run-shell-block-refused", &args)
    }

    #[test]
    fn a_refused_block_is_named_with_what_stops_it() {
        let fish = refused(Lang::En, "fish");
        assert!(
            fish.starts_with(
                "lab.md:12: block 2 of step 3-1 is a `fish` block, which labnote does not run"
            ),
            "{fish}"
        );
        assert!(
            fish.ends_with("mark it with `labnote done 8-2 3-1`"),
            "{fish}"
        );
        let missing = refused(Lang::En, "missing");
        assert!(
            missing.starts_with("lab.md:12: block 2 of step 3-1 is a `zsh` block, but zsh is not installed (not found on PATH); nothing was run"),
            "{missing}"
        );
        for lang in [Lang::En, Lang::Ko] {
            let (fish, missing) = (refused(lang, "fish"), refused(lang, "missing"));
            assert_ne!(fish, missing);
            assert!(fish.contains("`fish`") && !fish.contains("{"), "{fish}");
            assert!(
                missing.contains("`zsh`") && !missing.contains("{"),
                "{missing}"
            );
        }
    }
}
