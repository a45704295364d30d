//! `run` (a step's commands) and `walk` (follow a lab step by step on a terminal).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

use super::progress::{first_open, print_step, step_record};
use super::{CmdResult, Ctx, Failure};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::{Progress, StepState};
use crate::resolve::{Resolver, Source};
use crate::runner::{self, Masker};

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
    /// The shell that runs the blocks.
    #[arg(long, default_value = "bash")]
    pub shell: String,
    /// Folder the shell starts in (default: `workdir` of course.yaml, else the current folder).
    #[arg(long)]
    pub cwd: Option<PathBuf>,
    /// List the step's blocks: whether each would run (run / example / not-shell /
    /// alternative) and why; runs nothing.
    #[arg(long)]
    pub list: bool,
    /// With --list: JSON.
    #[arg(long, requires = "list")]
    pub json: bool,
    /// IAM user for the access-key step.
    #[arg(long)]
    pub user: Option<String>,
}

fn ask(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_string()),
    }
}

/// Whether step `i` (or a step under it) is the lab's access-key step.
fn has_key_action(course: &Course, k: usize, i: usize) -> bool {
    let lab = &course.labs[k].lab;
    let Some((_, secret_key)) = crate::memo::access_key_entries(lab) else {
        return false;
    };
    let (create, _) = crate::issue::key_steps(lab, &secret_key);
    create.is_some_and(|c| c >= i && lab.steps[c].span.start < lab.steps[i].section_span.end)
}

/// A placeholder that is not noted, with the closest memo key.
type Missing = (String, Option<String>);

/// Fill a block's placeholders; secrets are added to the masker. Unresolved names are
/// returned instead.
fn fill_block(
    text: &str,
    resolver: &Resolver,
    course: &Course,
    masker: &mut Masker,
    keyring: &mut Option<crate::secret::Keyring>,
) -> Result<Result<SecretString, Vec<Missing>>, Failure> {
    // Parse the text as the code block it is, so that the rules for code apply (`<< EOF >>`
    // is a heredoc there, not a placeholder): inside a fence longer than any backtick run
    // of the text, whose spans are then shifted back.
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let head = format!("{fence}\n");
    let wrapped = format!("{head}{text}\n{fence}\n");
    let lab = crate::lab::parse_str(&wrapped, "block");
    let mut missing = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for p in &lab.placeholders {
        let span = p.span.start - head.len()..p.span.end - head.len();
        let res = resolver.resolve(&p.name);
        let value = match &res.source {
            None => {
                if !missing.iter().any(|(n, _)| n == &p.name) {
                    missing.push((p.name.clone(), res.suggestion.clone()));
                }
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
        out.push_str(&text[pos..span.start]);
        out.push_str(value.expose_secret());
        pos = span.end;
    }
    out.push_str(&text[pos..]);
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    Ok(Ok(SecretString::from(out)))
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

fn run_step(ctx: &Ctx, course: &Course, k: usize, i: usize, a: &RunArgs) -> CmdResult {
    let cl = &course.labs[k];
    let lab = &cl.lab;
    let step = &lab.steps[i];
    if has_key_action(course, k, i) {
        ctx.note(&format!(
            "step {} is the access-key step: labnote performs it through the IAM API",
            step.id
        ));
        return super::keys::issue_key(
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
        );
    }
    // The blocks of the step and of the steps under it, in document order: examples and
    // other languages never run, alternatives are asked (see `blocks`).
    let classified = super::blocks::of_step(cl, i)?;
    super::blocks::note_not_run(ctx, &classified);
    let (blocks, alternative): (Vec<&crate::lab::CodeBlock>, Vec<Option<&str>>) = classified
        .iter()
        .filter(|c| c.class.may_run())
        .map(|c| {
            (
                &c.block,
                (c.class == crate::blocks::Class::Alternative).then_some(c.reason.as_str()),
            )
        })
        .unzip();
    if blocks.is_empty() {
        return Err(Failure::user(format!(
            "step {} ({}) of lab {} has no commands to run (only bash/sh/shell blocks, or bare blocks that start with a command, are run); mark it with `labnote done {} {}`",
            step.id, step.title, lab.id, lab.id, step.id
        )));
    }
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let records = ctx.load_journal()?;
    let resolver = Resolver::new(course, &cfg, &records, Resolver::local_today());
    let mut masker = Masker::default();
    let mut keyring = None;
    // Every secret noted in the course is masked, not only those the blocks name: a block
    // may print one another step stored (`cat ~/.git-credentials`, `labnote memo get`).
    for cl in &course.labs {
        for e in cl.lab.memo_entries() {
            if e.value.is_empty() || !super::memo::is_secret(&cfg, &e.key, &e.value) {
                continue;
            }
            if let Ok(v) = super::memo::reveal(&e.value, &cl.lab.id, &e.key, &mut keyring) {
                masker.add(&v);
            }
        }
    }
    let mut scripts = Vec::new();
    for (n, b) in blocks.iter().enumerate() {
        match fill_block(
            &runner::script_text(b),
            &resolver,
            course,
            &mut masker,
            &mut keyring,
        )? {
            Ok(s) => scripts.push(s),
            Err(missing) => {
                let list: Vec<String> = missing
                    .iter()
                    .map(|(name, sug)| match sug {
                        Some(s) => format!("<<{name}>> (closest memo key: «{s}»)"),
                        None => format!("<<{name}>>"),
                    })
                    .collect();
                return Err(Failure::user(format!(
                    "block {} of step {} uses values that are not noted: {}; note them with `labnote memo set LAB KEY VALUE` first",
                    n + 1,
                    step.id,
                    list.join(", ")
                )));
            }
        }
    }
    // The block runs as `SHELL -e -c 's=$LABNOTE_SCRIPT; …; eval "$s"'`: a POSIX shell.
    let shell_name = std::path::Path::new(&a.shell)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::session::SHELLS.contains(&shell_name.as_str()) {
        return Err(Failure::user(format!(
            "--shell {}: labnote runs a step's blocks in one session of {}",
            a.shell,
            crate::session::SHELLS.join(", ")
        )));
    }
    let interactive = std::io::stdin().is_terminal();
    if !a.yes && !interactive {
        return Err(Failure::user(format!(
            "running step {} needs your confirmation for each block: run on a terminal, or pass --yes",
            step.id
        )));
    }
    let cwd = super::blocks::start_dir(a.cwd.as_deref(), &cfg, &ctx.course_dir, &records, !a.yes)?;
    let started_in = crate::session::dir_or(&cwd);
    let mut results: Vec<serde_yaml::Value> = Vec::new();
    let mut outcome = "passed";
    let mut fail_code = 0;
    let mut skipped = 0;
    for (n, (b, script)) in blocks.iter().zip(&scripts).enumerate() {
        let shown = masker.mask(script.expose_secret());
        eprintln!(
            "── block {}/{} ({}) ─────────────",
            n + 1,
            blocks.len(),
            b.lang.as_deref().unwrap_or("commands")
        );
        eprint!("{}", shown);
        if !shown.ends_with('\n') {
            eprintln!();
        }
        if let Some(why) = alternative[n] {
            if !super::blocks::ask_alternative(why) {
                results.push(block_yaml(n, b, None));
                continue;
            }
        } else if !a.yes {
            match ask("Run this block? [Y/n/q] ").as_deref() {
                Some("" | "y" | "Y" | "yes") => {}
                Some("q" | "Q") | None => {
                    outcome = "stopped";
                    break;
                }
                _ => {
                    eprintln!("skipped");
                    skipped += 1;
                    results.push(block_yaml(n, b, None));
                    continue;
                }
            }
        }
        let lab_env = [
            ("LABNOTE_LAB", lab.id.as_str()),
            ("LABNOTE_STEP", step.id.as_str()),
        ];
        let r = crate::session::run_block(&a.shell, &cwd, script, &lab_env, &masker)
            .map_err(|e| Failure::data(format!("cannot start {}: {e}", a.shell)))?;
        results.push(block_yaml(n, b, Some(&r)));
        if r.interrupted {
            outcome = "interrupted";
            fail_code = 130;
            break;
        }
        if !r.success() {
            outcome = "failed";
            fail_code = r.exit_code.unwrap_or(1).max(1);
            break;
        }
    }
    // Blocks the student chose not to run leave the step for them to check.
    if outcome == "passed" && skipped > 0 {
        outcome = "partial";
    }
    let mut rec = step_record(lab, i, "run")
        .detail("outcome", outcome)
        .detail("shell", a.shell.as_str())
        .detail("cwd_start", started_in.display().to_string())
        .detail(
            "cwd_end",
            crate::session::dir_or(&cwd).display().to_string(),
        );
    rec.details
        .insert("blocks".into(), serde_yaml::Value::Sequence(results));
    let mut recs = vec![rec];
    if outcome == "passed" {
        for leaf in lab.leaves_of(i) {
            recs.push(step_record(lab, leaf, "done").detail("by", "run"));
        }
    }
    ctx.append(&recs)?;
    match outcome {
        "passed" => {
            ctx.note(&format!("✔ step {} passed and is checked", step.id));
            Ok(())
        }
        "partial" => {
            ctx.note(&format!(
                "{skipped} block(s) skipped; step {} stays unchecked (`labnote done {} {}` once you have done it yourself)",
                step.id, lab.id, step.id
            ));
            Ok(())
        }
        "stopped" => Err(Failure::user(format!(
            "stopped; step {} stays unchecked",
            step.id
        ))),
        "interrupted" => Err(Failure {
            code: fail_code,
            message: format!("interrupted; step {} stays unchecked", step.id),
        }),
        _ => Err(Failure {
            code: fail_code,
            message: format!(
                "a block of step {} failed with exit code {fail_code}; the step stays unchecked",
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

/// Display-width progress bar.
fn bar(done: usize, total: usize) -> String {
    let cells = 20;
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(cells - filled))
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
            // Skipping past the last step ends the walk too: complete only if all is done.
            let open = leaves
                .iter()
                .filter(|&&l| {
                    p.state(&lab.id, &lab.steps[l].id, &lab.steps[l].fingerprint) != StepState::Done
                })
                .count();
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
            return Ok(());
        };
        let done_lab = leaves
            .iter()
            .filter(|&&l| {
                p.state(&lab.id, &lab.steps[l].id, &lab.steps[l].fingerprint) == StepState::Done
            })
            .count();
        let (done_all, total_all) = course.labs.iter().fold((0, 0), |(d, t), cl| {
            let l = &cl.lab;
            let dd = l
                .steps
                .iter()
                .filter(|s| s.checkable && p.state(&l.id, &s.id, &s.fingerprint) == StepState::Done)
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
        show_step(ctx, &course, k, i, &p)?;
        let step = &lab.steps[i];
        let state = p.state(&lab.id, &step.id, &step.fingerprint);
        let runnable = has_key_action(&course, k, i)
            || super::blocks::of_step(&course.labs[k], i)
                .is_ok_and(|v| v.iter().any(|c| c.class.may_run()));
        let mut menu = String::from("[d]one");
        if runnable {
            menu.push_str("  [r]un");
        }
        if lab.memo_entries().next().is_some() {
            menu.push_str("  [m]emo");
        }
        menu.push_str("  [s]kip  [b]ack  [q]uit");
        let mark = if state == StepState::Done {
            " (done)"
        } else {
            ""
        };
        let Some(choice) = ask(&format!("\n{}{mark}  {menu} > ", step.id)) else {
            return Ok(());
        };
        let pos = leaves.iter().position(|&l| l == i).unwrap_or(0);
        let next_open = |p: &Progress| {
            leaves[pos + 1..]
                .iter()
                .copied()
                .find(|&l| {
                    p.state(&lab.id, &lab.steps[l].id, &lab.steps[l].fingerprint) != StepState::Done
                })
                .or_else(|| first_open(p, lab))
        };
        match choice.as_str() {
            "d" | "D" | "done" => {
                if state != StepState::Done {
                    ctx.append(&[step_record(lab, i, "done").detail("by", "walk")])?;
                }
                let recs = ctx.load_journal()?;
                cur = next_open(&Progress::from_records(&recs));
            }
            "r" | "R" | "run" if runnable => {
                let args = RunArgs {
                    lab: lab.id.clone(),
                    step: step.id.clone(),
                    yes: false,
                    shell: "bash".into(),
                    cwd: None,
                    list: false,
                    json: false,
                    user: user.clone(),
                };
                match run_step(ctx, &course, k, i, &args) {
                    Ok(()) => {
                        let recs = ctx.load_journal()?;
                        let p2 = Progress::from_records(&recs);
                        if p2.state(&lab.id, &step.id, &step.fingerprint) == StepState::Done {
                            cur = next_open(&p2);
                        }
                    }
                    Err(f) => eprintln!("labnote: {}", f.message),
                }
            }
            "m" | "M" | "memo" => {
                // As with `r`: a value that cannot be noted is reported, and the walk goes on.
                if let Err(f) = note_value(ctx, &course, k) {
                    eprintln!("labnote: {}", f.message);
                }
            }
            "s" | "S" | "skip" => cur = leaves.get(pos + 1).copied(),
            "b" | "B" | "back" => cur = Some(leaves[pos.saturating_sub(1)]),
            "q" | "Q" | "quit" => return Ok(()),
            _ => eprintln!("choose one of: {menu}"),
        }
    }
}

fn show_step(ctx: &Ctx, course: &Course, k: usize, i: usize, p: &Progress) -> CmdResult {
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let records = ctx.load_journal()?;
    let r = Resolver::new(course, &cfg, &records, Resolver::local_today());
    let fill = |name: &str| -> Option<String> {
        let res = r.resolve(name);
        match res.source {
            None => None,
            Some(Source::Builtin { value }) => Some(value),
            Some(Source::Memo { .. }) if res.secret => Some("••••".into()),
            Some(Source::Memo { raw, .. }) => Some(raw),
        }
    };
    print_step(ctx, course, k, i, p, false, Some(&fill))
}

/// Prompt for a memo value of the lab (secrets without echo).
fn note_value(ctx: &Ctx, course: &Course, k: usize) -> CmdResult {
    let lab = &course.labs[k].lab;
    let entries: Vec<&crate::lab::MemoEntry> = lab.memo_entries().collect();
    for (n, e) in entries.iter().enumerate() {
        let state = if e.value.is_empty() { "empty" } else { "noted" };
        eprintln!("  {}. {} ({state})", n + 1, e.key);
    }
    let Some(c) = ask("which entry? (number, empty to cancel) > ") else {
        return Ok(());
    };
    let Some(e) = c
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|n| entries.get(n))
    else {
        return Ok(());
    };
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let secret = super::memo::is_secret(&cfg, &e.key, "");
    let value = if secret {
        rpassword::prompt_password(format!("{} (hidden): ", e.key))
            .map_err(|er| Failure::user(format!("cannot read the value: {er}")))?
    } else {
        ask(&format!("{}: ", e.key)).unwrap_or_default()
    };
    let v = SecretString::from(value);
    super::memo::set_value(ctx, course, k, &e.key, &v, false, None)?;
    ctx.note(&format!("noted '{}'", e.key));
    Ok(())
}
