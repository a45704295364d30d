//! `run`: a step's commands, in one shell session.

use std::io::IsTerminal;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::progress::step_record;
use super::prompt::ask;
use super::{print_json, CmdResult, Ctx, Failure};
use crate::blocks::{Class, Classified};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::resolve::{Resolver, Source};
use crate::runner::{self, Masker};
use crate::script;
use crate::shells::{FlagError, Shell, Shells};

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
        let value = match &res.source {
            None => {
                missing.push((name.clone(), res.suggestion.clone()));
                continue;
            }
            Some(Source::Builtin { value }) => SecretString::from(value.clone()),
            Some(Source::Memo {
                lab_index,
                key,
                raw,
                ..
            }) => {
                let v = super::memo::reveal(raw, &course.labs[*lab_index].lab.id, key, keyring)?;
                if res.secret {
                    masker.add(&v);
                }
                v
            }
        };
        values.push(value);
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
    let cl = &course.labs[k];
    let lab = &cl.lab;
    let step = &lab.steps[i];
    if has_key_action(course, k, i) {
        if a.dry_run {
            print_json(
                &json!({ "lab": lab.id, "step": step.id, "action": "issue-key", "blocks": [] }),
            );
            return Ok(());
        }
        return run_key_step(ctx, lab, i, a);
    }
    // The blocks of the step and of the steps under it, in document order: examples and
    // other languages never run, alternatives are asked (see `blocks`).
    let classified = super::blocks::of_step(cl, i)?;
    super::blocks::note_not_run(ctx, &classified);
    // `--dry-run` shows what would run and checks no shell.
    let shells = if a.dry_run {
        Vec::new()
    } else {
        check_shell(&a.shell, cl, i, &classified)?
    };
    let blocks: Vec<&Classified> = classified.iter().filter(|c| c.class.may_run()).collect();
    if blocks.is_empty() {
        return Err(Failure::user(format!(
            "step {} ({}) of lab {} has no commands to run (only bash/sh/shell blocks, or bare blocks that start with a command, are run); mark it with `labnote done {} {}`",
            step.id, step.title, lab.id, lab.id, step.id
        )));
    }
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let records = ctx.load_journal()?;
    let resolver = Resolver::new(course, &cfg, &records, Resolver::local_today());
    if a.dry_run {
        return dry_run(lab, i, &blocks, &resolver);
    }
    let mut masker = Masker::default();
    let mut keyring = None;
    mask_course_secrets(course, &cfg, &mut masker, &mut keyring);
    let prepared = prepare_all(
        &blocks,
        &step.id,
        &resolver,
        course,
        &mut masker,
        &mut keyring,
    )?;
    if !a.yes && !std::io::stdin().is_terminal() {
        return Err(Failure::user(format!(
            "running step {} needs your confirmation for each block: run on a terminal, or pass --yes",
            step.id
        )));
    }
    let cwd = super::blocks::start_dir(a.cwd.as_deref(), &cfg, &ctx.course_dir, &records, !a.yes)?;
    let started_in = crate::session::dir_or(&cwd);
    let env = [
        ("LABNOTE_LAB", lab.id.as_str()),
        ("LABNOTE_STEP", step.id.as_str()),
    ];
    let run = (blocks.as_slice(), prepared.as_slice(), shells.as_slice());
    let (outcome, results) = run_blocks(a, run, &cwd, &env, &masker)?;
    let folders = (started_in, crate::session::dir_or(&cwd));
    record_run(ctx, lab, i, a, outcome, results, folders)
}

/// Prepare every block (see [`prepare_block`]); the first with a value that is not noted,
/// or that cannot be read, stops the run before anything runs.
fn prepare_all(
    blocks: &[&Classified],
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
                    message: format!("block {} of step {step}: {}", n + 1, f.message),
                })
            }
        }
    }
    Ok(prepared)
}

/// The access-key step: labnote performs it through the IAM API.
fn run_key_step(ctx: &Ctx, lab: &crate::lab::Lab, i: usize, a: &RunArgs) -> CmdResult {
    ctx.note(&format!(
        "step {} is the access-key step: labnote performs it through the IAM API",
        lab.steps[i].id
    ));
    super::keys::issue_key(
        ctx,
        super::keys::IssueArgs {
            lab: lab.id.clone(),
            user: a.user.clone(),
            description: None,
            retire: None,
            rotate: false,
            yes: a.yes,
            profile: None,
            region: None,
            endpoint_url: None,
            json: false,
        },
    )
}

/// `--dry-run`: the blocks that would run and the placeholders each uses (the names `run`
/// binds, found by the one scanner), as JSON. Nothing runs, nothing is decrypted or recorded.
fn dry_run(
    lab: &crate::lab::Lab,
    i: usize,
    blocks: &[&Classified],
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
            if e.value.is_empty() || !super::memo::is_secret(cfg, &e.key, &e.value) {
                continue;
            }
            if let Ok(v) = super::memo::reveal(&e.value, &cl.lab.id, &e.key, keyring) {
                masker.add(&v);
            }
        }
    }
}

fn not_noted(n: usize, step: &str, missing: &[Missing]) -> Failure {
    let list: Vec<String> = missing
        .iter()
        .map(|(name, sug)| match sug {
            Some(s) => format!("<<{name}>> (closest memo key: «{s}»)"),
            None => format!("<<{name}>>"),
        })
        .collect();
    Failure::user(format!(
        "block {} of step {step} uses values that are not noted: {}; note them with `labnote memo set LAB KEY VALUE` first",
        n + 1,
        list.join(", ")
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
) -> Result<Vec<Shell>, Failure> {
    let shells = Shells::from_flag(flag).map_err(|e| {
        Failure::user(match e {
            FlagError::Unknown => crate::t!("run-shell-unknown", given = flag),
            FlagError::Refused => crate::t!("run-shell-fish", given = flag),
        })
    })?;
    let default = shells
        .for_lang(None)
        .expect("the default shell is never refused");
    if crate::shells::locate(&default.program).is_none() {
        return Err(Failure::user(crate::t!(
            "run-shell-missing",
            given = flag,
            program = default.program
        )));
    }
    let (lab, step) = (&cl.lab.id, &cl.lab.steps[i].id);
    let text = || std::fs::read_to_string(&cl.path).unwrap_or_default();
    let line = |at: usize| text().get(..at).map_or(0, |t| t.matches('\n').count() + 1);
    let mut out = Vec::new();
    for (n, c) in classified.iter().enumerate() {
        let lang = c.block.lang.as_deref();
        let (file, block) = (cl.path.display().to_string(), n + 1);
        let Some(shell) = shells.for_lang(lang) else {
            let line = line(c.block.span.start);
            return Err(Failure::user(crate::t!(
                "run-shell-block-fish",
                file = file,
                line = line,
                block = block,
                step = step,
                lab = lab
            )));
        };
        if !c.class.may_run() {
            continue;
        }
        if crate::shells::locate(&shell.program).is_none() {
            let line = line(c.block.span.start);
            return Err(Failure::user(crate::t!(
                "run-shell-block-missing",
                file = file,
                line = line,
                block = block,
                step = step,
                lang = lang.unwrap_or("commands"),
                program = shell.program,
                lab = lab
            )));
        }
        out.push(shell);
    }
    Ok(out)
}

/// Show, confirm and run each block in the session; stop at the first that fails. A block's
/// values reach the shell as its `LABNOTE_V_<n>` variables, exported for that block only.
fn run_blocks(
    a: &RunArgs,
    (blocks, prepared, shells): (&[&Classified], &[Prepared], &[Shell]),
    cwd: &std::path::Path,
    env: &[(&str, &str)],
    masker: &Masker,
) -> Result<(Outcome, Vec<serde_yaml::Value>), Failure> {
    let mut results = Vec::new();
    let mut skipped = 0;
    for (n, ((c, p), shell)) in blocks.iter().zip(prepared).zip(shells).enumerate() {
        let b = &c.block;
        let shown = masker.mask(p.shown.expose_secret());
        eprintln!(
            "── block {}/{} ({}) ─────────────",
            n + 1,
            blocks.len(),
            b.lang.as_deref().unwrap_or("commands")
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
            match ask("Run this block? [Y/n/q] ").as_deref() {
                Some("" | "y" | "Y" | "yes") => {}
                Some("q" | "Q") | None => return Ok((Outcome::Stopped, results)),
                _ => {
                    eprintln!("skipped");
                    skipped += 1;
                    results.push(block_yaml(n, b, None));
                    continue;
                }
            }
        }
        let mut block_env = env.to_vec();
        block_env.extend(p.vars.iter().map(|(k, v)| (k.as_str(), v.expose_secret())));
        let r =
            crate::session::run_block(shell, cwd, &p.script, &block_env, masker).map_err(|e| {
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

/// Journal the run (and the checked steps when it passed) and say how it went.
fn record_run(
    ctx: &Ctx,
    lab: &crate::lab::Lab,
    i: usize,
    a: &RunArgs,
    outcome: Outcome,
    results: Vec<serde_yaml::Value>,
    (cwd_start, cwd_end): (PathBuf, PathBuf),
) -> CmdResult {
    let step = &lab.steps[i];
    let mut rec = step_record(lab, i, "run")
        .detail("outcome", outcome.as_str())
        .detail("shell", a.shell.as_str())
        .detail("cwd_start", cwd_start.display().to_string())
        .detail("cwd_end", cwd_end.display().to_string());
    rec.details
        .insert("blocks".into(), serde_yaml::Value::Sequence(results));
    let mut recs = vec![rec];
    if outcome == Outcome::Passed {
        for leaf in lab.leaves_of(i) {
            recs.push(step_record(lab, leaf, "done").detail("by", "run"));
        }
    }
    ctx.append(&recs)?;
    match outcome {
        Outcome::Passed => {
            ctx.note(&format!("✔ step {} passed and is checked", step.id));
            Ok(())
        }
        Outcome::Partial { skipped } => {
            ctx.note(&format!(
                "{skipped} block(s) skipped; step {} stays unchecked (`labnote done {} {}` once you have done it yourself)",
                step.id, lab.id, step.id
            ));
            Ok(())
        }
        Outcome::Stopped => Err(Failure::user(format!(
            "stopped; step {} stays unchecked",
            step.id
        ))),
        Outcome::Interrupted => Err(Failure {
            code: 130,
            message: format!("interrupted; step {} stays unchecked", step.id),
        }),
        Outcome::Failed { code } => Err(Failure {
            code,
            message: format!(
                "a block of step {} failed with exit code {code}; the step stays unchecked",
                step.id
            ),
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
