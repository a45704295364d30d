//! Noting a value from what a step's commands printed, on the terminal: `run --note
//! NAME=REGEX` ([`take`]), and the offer after `run` (and `r` in `walk`) of a step that asks
//! to note a value, or of the step just before one ([`offer`]).
//!
//! What is asked, the candidates in the output, the key, the lab and the write are
//! [`crate::app::notes`]'s; this module prompts and prints. A secret is never shown: not in
//! the list of candidates, not when typed, not when noted.

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::prompt::ask;
use super::{CmdResult, Ctx, Failure};
use crate::app::notes::{
    self, preview, Asked, MadeIdentity, Noted, OutputChoices, OutputPick, OutputValues, Taken,
};
use crate::app::run::{Masker, NoteRule, Ran};
use crate::app::Course;
use crate::app::StepAt;
use crate::t;

/// Before a run with `--note` rules: the keyring a secret rule needs, made when missing
/// ([`notes::ready_keyring_for_rules`]), saying so.
pub(super) fn ready_keyring(
    ctx: &Ctx,
    course: &Course,
    at: StepAt,
    rules: &[NoteRule],
) -> CmdResult {
    if let Some((key, made)) = notes::ready_keyring_for_rules(ctx, course, at, rules)? {
        say_identity(ctx, &key, &made);
    }
    Ok(())
}

/// Tell the student an identity was made to encrypt `key`'s value, as `init` does.
pub(super) fn say_identity(ctx: &Ctx, key: &str, made: &MadeIdentity) {
    ctx.note(&t!("walknote-new-identity", key = key.trim()));
    if made.created {
        ctx.note(&t!("memo-identity-created", path = made.path));
    } else {
        ctx.note(&t!("memo-identity-exists", path = made.path));
    }
    println!("{}", made.public_key);
}

/// After a run: the `--note` values taken, the run journaled and the values noted
/// ([`notes::record_with_notes`]), each said as it is noted.
pub(super) fn record_with_notes(
    ctx: &Ctx,
    course: &Course,
    ran: &Ran,
    rules: &[NoteRule],
    offer: bool,
) -> CmdResult {
    let mut said = |t: &Taken, n: &Noted| say_noted(ctx, course, &t.key, &t.value, n);
    Ok(notes::record_with_notes(
        ctx, course, ran, rules, offer, &mut said,
    )?)
}

/// Store `value` under `key` (as `memo set`, in the lab [`notes::home_lab`] gives) and say
/// where; a secret is encrypted and its value is not shown.
fn note(
    ctx: &Ctx,
    course: &Course,
    k: usize,
    key: &str,
    value: &SecretString,
    secret: bool,
) -> CmdResult {
    let n = notes::note(ctx, course, k, key, value, secret, false)?;
    say_noted(ctx, course, key, value, &n);
    Ok(())
}

/// Say where a value was noted (a secret's value never).
fn say_noted(ctx: &Ctx, course: &Course, key: &str, value: &SecretString, n: &Noted) {
    let cl = &course.labs[n.lab];
    let shown = if n.secret {
        t!("capture-hidden")
    } else {
        preview(value.expose_secret(), 60)
    };
    match n.written {
        crate::app::memo::Written::Changed => ctx.note(&t!(
            "capture-noted",
            key = key.trim(),
            lab = cl.lab.id,
            path = cl.rel_path,
            value = shown
        )),
        crate::app::memo::Written::Unchanged => {
            ctx.note(&t!("capture-unchanged", key = key.trim(), lab = cl.lab.id))
        }
    }
}

/// On a terminal after a run: when the step (or the next one) asks to note values, say
/// which, and offer each: a value from the output, a block of its lines, or a typed value.
pub(super) fn offer(
    ctx: &Ctx,
    course: &Course,
    at: StepAt,
    output: &[Zeroizing<String>],
    masker: &Masker,
) -> CmdResult {
    let k = at.lab;
    let cfg = crate::app::course_config(ctx)?;
    let notes::RunAsks { steps, mut values } = notes::asked(course, &cfg, at);
    if values.is_empty() {
        return Ok(());
    }
    let lab = &course.labs[k].lab;
    eprintln!();
    eprintln!(
        "{}",
        t!(
            "capture-asks",
            lab = lab.id,
            steps = steps.join(", "),
            names = values
                .iter()
                .map(|a| a.key.trim().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    let found = OutputValues::of(output);
    while !values.is_empty() {
        let Some(n) = choose_value(&values) else {
            return Ok(());
        };
        let a = values.remove(n);
        if !a.used_in.is_empty() {
            eprintln!("{}", t!("capture-used-in", steps = a.used_in.join(", ")));
        }
        let choices = found.for_key(&a.key);
        let Some(value) = choose_output(&a, &choices, output, masker)? else {
            continue;
        };
        note(ctx, course, k, &a.key, &value, a.secret)?;
    }
    Ok(())
}

/// Which value to note now: the only one, or one chosen by number; `None` to stop.
fn choose_value(asked: &[Asked]) -> Option<usize> {
    if asked.len() == 1 {
        return Some(0);
    }
    for (n, a) in asked.iter().enumerate() {
        let mark = if a.noted {
            format!(" ({})", t!("capture-already-noted"))
        } else {
            String::new()
        };
        eprintln!("  {}. {}{mark}", n + 1, a.key.trim());
    }
    loop {
        let c = ask(&t!("capture-which-value"))?;
        if c.is_empty() {
            return None;
        }
        match c.parse::<usize>().ok().and_then(|n| n.checked_sub(1)) {
            Some(n) if n < asked.len() => return Some(n),
            _ => eprintln!("{}", t!("capture-choose-number", max = asked.len())),
        }
    }
}

/// The value for `a`: a candidate of the output, a block of lines, or typed; `None` to skip.
fn choose_output(
    a: &Asked,
    choices: &OutputChoices,
    output: &[Zeroizing<String>],
    masker: &Masker,
) -> Result<Option<SecretString>, Failure> {
    eprintln!("{}", t!("capture-values-for", name = a.key.trim()));
    for (n, c) in choices.ranked.iter().enumerate() {
        let label = c
            .label
            .as_deref()
            .map(|l| format!("{l}, "))
            .unwrap_or_default();
        eprintln!(
            "  {}. {}   ({label}{})",
            n + 1,
            // Masked before it is cut: a cut secret would no longer be found whole.
            preview(&masker.mask(&c.value), 64),
            t!("capture-line", line = c.line + 1)
        );
    }
    for (n, b) in choices.blocks.iter().enumerate() {
        let first = output[b.lines.start].as_str();
        eprintln!(
            "  b{}. {}",
            n + 1,
            t!(
                "capture-block",
                from = b.lines.start + 1,
                to = b.lines.end,
                count = b.lines.len(),
                first = preview(masker.mask(first).trim(), 50)
            )
        );
    }
    eprintln!("  t. {}", t!("capture-type"));
    loop {
        let Some(c) = ask(&t!("capture-choose")) else {
            return Ok(None);
        };
        if c.is_empty() {
            return Ok(None);
        }
        if c == "t" || c == "T" {
            return typed(a).map(Some);
        }
        let pick = match c.strip_prefix(['b', 'B']) {
            Some(b) => b
                .parse::<usize>()
                .ok()
                .map(|n| OutputPick::Block(n.wrapping_sub(1))),
            None => c
                .parse::<usize>()
                .ok()
                .map(|n| OutputPick::Candidate(n.wrapping_sub(1))),
        };
        if let Some(v) = pick.and_then(|p| choices.value(output, p)) {
            return Ok(Some(v));
        }
        eprintln!("{}", t!("capture-choose-again"));
    }
}

/// A value typed by the student; a secret without echo.
fn typed(a: &Asked) -> Result<SecretString, Failure> {
    let prompt = format!("{}: ", a.key.trim());
    let v = if a.secret {
        super::prompt::ask_secret(&t!("capture-hidden-prompt", name = a.key.trim()))
            .map(|v| secrecy::ExposeSecret::expose_secret(&v).to_owned())
            .map_err(|e| Failure::user(t!("capture-cannot-read", reason = e)))?
    } else {
        ask(&prompt).unwrap_or_default()
    };
    Ok(SecretString::from(v))
}
