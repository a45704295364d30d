//! `run`: a step's commands, in one shell session.

//!
//! The use case is [`crate::app::run`]; here are its arguments, the terminal's side of it
//! (each block shown and asked for, its output printed as it comes) and how the run ended
//! told, with the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use super::prompt::ask;
use super::{print_json, CmdResult, Ctx, Failure};
use crate::app::run::{
    self as use_case, Answer, BlockShown, NoteRule, Outcome, Ran, RunUi, Sink, Stream,
};
use crate::app::Course;
use crate::app::StepAt;
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

pub fn run(ctx: &Ctx, a: RunArgs) -> CmdResult {
    let course = ctx.open_course()?;
    let k = course.resolve(&a.lab)?;
    let cl = &course.labs[k];
    let i = super::step_lookup(cl, &a.step)?;
    if a.list {
        return super::blocks::list(ctx, cl, i, a.json);
    }
    run_step(ctx, &course, StepAt { lab: k, step: i }, &a)
}

/// The terminal's side of a run: each block shown on stderr and asked for, its output
/// printed as it comes (stdout to stdout, stderr to stderr).
struct Terminal<'a> {
    ctx: &'a Ctx,
    /// Whether stdin is a terminal (the student can be asked).
    asks: bool,
}

impl RunUi for Terminal<'_> {
    fn note(&self, msg: &str) {
        self.ctx.note(msg);
    }

    fn can_ask(&self) -> bool {
        self.asks
    }

    fn start_in(&self, dir: &Path) -> bool {
        let q = t!("blocks-start-there", dir = dir.display().to_string());
        super::prompt::confirm(&q, true)
    }

    fn block_start(&self, b: &BlockShown<'_>) {
        // The block as the student reads it: a control character shows as `^[`, `^M`, ….
        let shown = crate::textsafe::visible(b.text);
        let lang = crate::textsafe::visible(b.lang);
        eprintln!(
            "{}",
            t!(
                "run-block-header",
                block = b.number,
                blocks = b.of,
                lang = lang.as_ref()
            )
        );
        eprint!("{shown}");
        if !shown.ends_with('\n') {
            eprintln!();
        }
    }

    fn confirm_block(&self, _number: usize) -> Answer {
        match ask(&t!("run-ask-block")).as_deref() {
            Some("" | "y" | "Y" | "yes" | "예") => Answer::Run,
            Some("q" | "Q") | None => Answer::Stop,
            _ => {
                eprintln!("{}", t!("run-skipped"));
                Answer::Skip
            }
        }
    }

    fn confirm_alternative(&self, reason: &str) -> bool {
        super::blocks::ask_alternative(reason)
    }

    fn output(&self) -> Sink {
        Arc::new(|stream, text| {
            let _ = match stream {
                Stream::Out => {
                    let mut o = std::io::stdout().lock();
                    o.write_all(text.as_bytes()).and_then(|()| o.flush())
                }
                Stream::Err => {
                    let mut e = std::io::stderr().lock();
                    e.write_all(text.as_bytes()).and_then(|()| e.flush())
                }
            };
        })
    }
}

pub(super) fn run_step(ctx: &Ctx, course: &Course, at: StepAt, a: &RunArgs) -> CmdResult {
    // `--note` is checked before anything runs: a rule that cannot match is no reason to run.
    let rules = use_case::parse_rules(&a.note)?;
    let terminal = std::io::stdin().is_terminal();
    let ui = Terminal {
        ctx,
        asks: terminal,
    };
    if a.dry_run {
        return print_dry_run(&use_case::dry_run(ctx, course, at, &ui)?, &rules);
    }
    if crate::app::step::offers_issue_key(course, at) {
        return run_key_step(ctx, course, at, a, &rules);
    }
    // The output is kept only when a value may be noted from it.
    let offer = rules.is_empty() && !a.yes && terminal;
    let request = use_case::Request {
        shell: a.shell.clone(),
        cwd: a.cwd.clone(),
        yes: a.yes,
        keep_output: offer || !rules.is_empty(),
    };
    let plan = use_case::prepare(ctx, course, at, &request, &ui)?;
    // A secret `--note` takes needs the keyring: loaded (or made) before anything runs.
    super::capture::ready_keyring(ctx, course, at, &rules)?;
    let ran = plan.execute(ctx, &ui)?;
    finish_run(ctx, course, ran, &rules, offer)
}

/// After the blocks: the noting the run decides ([`crate::app::notes::record_with_notes`]),
/// how the run went, and on a terminal the offer to note a value from the output.
fn finish_run(ctx: &Ctx, course: &Course, ran: Ran, rules: &[NoteRule], offer: bool) -> CmdResult {
    super::capture::record_with_notes(ctx, course, &ran, rules, offer)?;
    let said = report(ctx, &course.labs[ran.at.lab].lab, ran.at.step, ran.outcome);
    if let (Ok(()), true, true) = (&said, offer, ran.outcome.ran()) {
        // A value that cannot be noted is reported; the run itself went well.
        if let Err(f) = super::capture::offer(ctx, course, ran.at, &ran.output, &ran.masker) {
            ctx.warn(&f.message);
        }
    }
    said
}

/// The access-key step: labnote performs it through the IAM API (`--note` does not apply).
/// Once the lab holds an active key (issued now or before), the step is done: checked if it
/// was not (after an `undo`, or a key noted by hand), and said so.
fn run_key_step(
    ctx: &Ctx,
    course: &Course,
    at: StepAt,
    a: &RunArgs,
    rules: &[NoteRule],
) -> CmdResult {
    use_case::refuse_rules_at_key_step(course, at, rules)?;
    let lab = &course.labs[at.lab].lab;
    ctx.note(&t!("run-key-step", step = lab.steps[at.step].id));
    let opts = crate::app::keys::IssueOptions {
        user: a.user.clone(),
        ..Default::default()
    };
    let ui = super::keys::TermUi::new(a.yes, ctx.quiet);
    super::keys::issue_key_with(ctx, &lab.id, &opts, false, &ui)?;
    use_case::key_step_done(ctx, course, at)?;
    ctx.note(&t!("run-key-step-done", step = lab.steps[at.step].id));
    Ok(())
}

/// `--dry-run`: the blocks that would run and the placeholders each uses, as JSON.
fn print_dry_run(d: &use_case::DryRun, rules: &[NoteRule]) -> CmdResult {
    if d.action == "issue-key" && !rules.is_empty() {
        return Err(Failure::user(t!("run-note-key-step", step = d.step)));
    }
    let list: Vec<_> = d
        .blocks
        .iter()
        .map(|b| {
            let names: Vec<_> = b
                .placeholders
                .iter()
                .map(|(name, resolved, secret)| {
                    json!({ "name": name, "resolved": resolved, "secret": secret })
                })
                .collect();
            json!({
                "block": b.number,
                "lang": b.lang,
                "offset": b.offset,
                "class": b.class,
                "placeholders": names,
            })
        })
        .collect();
    print_json(&json!({ "lab": d.lab, "step": d.step, "action": d.action, "blocks": list }));
    Ok(())
}

/// Say how the run went; the exit code of a run that did not pass.
fn report(ctx: &Ctx, lab: &crate::app::Lab, i: usize, outcome: Outcome) -> CmdResult {
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
