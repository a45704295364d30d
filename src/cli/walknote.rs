//! `walk`'s note points on the terminal: at a step where the lab asks the student to note
//! values, the walk says which ones and where the course uses them; its `m`emo offers those
//! values first, then the lab's memo entries, then every value the course still needs, then
//! a new name.
//!
//! Which values, in which order, in which lab, and the write are [`crate::app::notes`]'s
//! ([`notes::announce`], [`notes::menu`], [`notes::named`], [`notes::note_offer`]: through
//! `memo set`'s own use case; a secret noted before any age identity exists gets one made
//! as `init` makes it). This module reads the answers ([`parse_choice`], [`read_block`]) and
//! prints ([`announce_line`]).

use std::io::{BufRead, Write};

use secrecy::SecretString;

use super::prompt::ask;
use super::{CmdResult, Ctx, Failure};
use crate::app::notes::{self, Menu, Offer, Tier};
use crate::app::Course;
use crate::app::CourseConfig;
use crate::app::StepAt;
use crate::t;

/// Typed alone at a value prompt: the value is the lines that follow, up to an empty line
/// (a block of command output, such as a generated YAML list).
const BLOCK: &str = "\"\"\"";

/// The student's answer to "which entry?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Nothing typed.
    Cancel,
    /// Offer number n (0-based).
    Pick(usize),
    /// The "a new name" line: ask for the name.
    AskName,
    /// A name typed instead of a number.
    Name(String),
    /// A number that is no line of the menu.
    Unknown(usize),
}

/// Read an answer to a menu of `n` offers (numbered from 1, then "a new name").
fn parse_choice(answer: &str, n: usize) -> Choice {
    let a = answer.trim();
    if a.is_empty() {
        return Choice::Cancel;
    }
    match a.parse::<usize>() {
        Ok(x) if (1..=n).contains(&x) => Choice::Pick(x - 1),
        Ok(x) if x == n + 1 => Choice::AskName,
        Ok(x) => Choice::Unknown(x),
        Err(_) => Choice::Name(a.to_string()),
    }
}

/// The value typed at a value prompt: the first line (trimmed), or, when it is [`BLOCK`], the
/// lines `next` gives up to an empty line (or `BLOCK` again, or the end of input), as typed,
/// joined by `\n`.
fn read_block(first: &str, mut next: impl FnMut() -> Option<String>) -> String {
    if first.trim() != BLOCK {
        return first.trim().to_string();
    }
    let mut lines: Vec<String> = Vec::new();
    while let Some(l) = next() {
        if l.trim().is_empty() || l.trim() == BLOCK {
            break;
        }
        lines.push(l);
    }
    lines.join("\n")
}

/// The line announcing what a step asks to note: `at` the step, the values' names (each
/// marked when noted already), the steps that use them.
fn announce_line(at: &str, names: &[(String, bool)], uses: &[String]) -> String {
    let names: Vec<String> = names
        .iter()
        .map(|(n, noted)| {
            if *noted {
                format!("{} ✔", n.trim())
            } else {
                n.trim().to_string()
            }
        })
        .collect();
    let names = names.join(", ");
    if uses.is_empty() {
        t!("walknote-asks", at = at, names = names)
    } else {
        t!(
            "walknote-asks-used",
            at = at,
            names = names,
            uses = uses.join(", ")
        )
    }
}

/// At step `i` of lab `k` (after the step is shown): what it asks to note, if anything
/// ([`notes::announce`]).
pub fn announce(ctx: &Ctx, course: &Course, at: StepAt) -> CmdResult {
    let cfg = crate::app::course_config(ctx)?;
    let Some(a) = notes::announce(course, &cfg, at) else {
        return Ok(());
    };
    let mut uses: Vec<String> = Vec::new();
    for u in &a.uses {
        let l = notes::step_label(course, u);
        if !uses.contains(&l) {
            uses.push(l);
        }
    }
    println!(
        "\n{}",
        announce_line(&notes::step_label(course, &a.at), &a.names, &uses)
    );
    Ok(())
}

/// `m`emo at step `i` of lab `k`: choose a value (or name a new one), type it, note it. An
/// empty choice cancels, saying so. The menu and its order are [`notes::menu`]'s.
pub fn note_value(ctx: &Ctx, course: &Course, at: StepAt) -> CmdResult {
    let k = at.lab;
    let cfg = crate::app::course_config(ctx)?;
    let records = crate::app::load_journal(ctx)?;
    let menu = notes::menu(course, &cfg, &records, at);
    print_menu(course, k, &menu.offers);
    let answer = ask(&t!("walknote-which")).unwrap_or_default();
    let Some(target) = target_of(course, &cfg, k, &menu, &answer) else {
        return Ok(());
    };
    // A value its source can give: the source's candidates first.
    if !target.secret && from_source(ctx, course, &target)? {
        return Ok(());
    }
    let Some(value) = read_value(&target)? else {
        return Ok(());
    };
    write(ctx, course, &target, &value)
}

fn print_menu(course: &Course, k: usize, list: &[Offer]) {
    let mut tier = None;
    for (n, o) in list.iter().enumerate() {
        if tier != Some(o.tier) {
            tier = Some(o.tier);
            let head = match o.tier {
                Tier::Step => t!("walknote-tier-step"),
                Tier::Lab => t!("walknote-tier-lab", lab = course.labs[k].lab.id),
                Tier::Course => t!("walknote-tier-course"),
            };
            eprintln!("{head}");
        }
        let state = if o.noted {
            t!("walknote-state-noted")
        } else {
            t!("walknote-state-empty")
        };
        let lock = if o.secret { " 🔒" } else { "" };
        let elsewhere = if o.lab == k {
            String::new()
        } else {
            format!(" — {}", course.labs[o.lab].lab.id)
        };
        eprintln!("  {}. {} ({state}){lock}{elsewhere}", n + 1, o.key.trim());
    }
    eprintln!("  {}. {}", list.len() + 1, t!("walknote-new-name"));
}

/// The value the answer chooses; `None` (said why) when it chooses none.
fn target_of(
    course: &Course,
    cfg: &CourseConfig,
    k: usize,
    menu: &Menu,
    answer: &str,
) -> Option<Offer> {
    let list = &menu.offers;
    let name = match parse_choice(answer, list.len()) {
        Choice::Pick(n) => return Some(list[n].clone()),
        Choice::Name(name) => name,
        Choice::AskName => {
            let name = ask(&t!("walknote-name-prompt")).unwrap_or_default();
            if name.is_empty() {
                eprintln!("{}", t!("walknote-cancelled"));
                return None;
            }
            name
        }
        Choice::Cancel => {
            eprintln!("{}", t!("walknote-cancelled"));
            return None;
        }
        Choice::Unknown(x) => {
            eprintln!("{}", t!("walknote-no-such", n = x, last = list.len() + 1));
            return None;
        }
    };
    Some(notes::named(course, cfg, k, menu, &name))
}

/// Offer what the value's source gives (`app::sources`): a number notes that candidate;
/// Enter goes on to typing it. Whether a candidate was noted.
fn from_source(ctx: &Ctx, course: &Course, o: &Offer) -> Result<bool, Failure> {
    use crate::app::sources::{self, ReadOutcome};
    let Some(mut found) = sources::found_for(ctx, course, &o.key)? else {
        return Ok(false);
    };
    // Noted where the menu's offer says, under its key.
    found.lab = o.lab;
    found.key = o.key.clone();
    let cands = found.outcome.candidates();
    match &found.outcome {
        ReadOutcome::Missing(m) | ReadOutcome::Failed(m) => {
            eprintln!("  {}", m);
            return Ok(false);
        }
        _ if cands.is_empty() => return Ok(false),
        _ => {}
    }
    let place = sources::said_from(cands[0].service, cands[0].region.as_deref());
    eprintln!("{}", t!("walknote-source-head", place = place));
    for (i, c) in cands.iter().enumerate() {
        let label = if c.label.is_empty() {
            String::new()
        } else {
            format!(" ({})", c.label)
        };
        eprintln!("  {}) {}{label}", i + 1, c.value);
    }
    let answer = ask(&t!("walknote-source-pick", n = cands.len())).unwrap_or_default();
    let Some(pick) = answer
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|n| cands.get(n))
    else {
        return Ok(false);
    };
    let n = sources::note(ctx, course, &found, pick)?;
    let lab = &course.labs[n.lab].lab.id;
    ctx.note(&t!("walknote-noted", key = o.key.trim(), lab = lab));
    Ok(true)
}

/// Prompt for the value: a secret without echo, a plain value as a line (or a block of
/// lines, see [`BLOCK`]). `None` at the end of input. A blank answer is returned as it is:
/// `set_value` refuses it with the empty-value rule's own message.
fn read_value(o: &Offer) -> Result<Option<SecretString>, Failure> {
    let shown = o.key.trim();
    let value = if o.secret {
        super::prompt::ask_secret(&t!("walknote-hidden-prompt", key = shown))
            .map(|v| secrecy::ExposeSecret::expose_secret(&v).to_owned())
            .map_err(|e| Failure::user(t!("walknote-cannot-read", cause = e)))?
    } else {
        eprintln!("{}", t!("walknote-block-hint", marker = BLOCK));
        let Some(first) = ask(&format!("{shown}: ")) else {
            return Ok(None);
        };
        read_block(&first, raw_line)
    };
    Ok(Some(SecretString::from(value)))
}

/// One line of stdin as typed (only the line break removed: a block keeps its indentation).
fn raw_line() -> Option<String> {
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            let end = line.strip_suffix('\n').unwrap_or(&line);
            Some(end.strip_suffix('\r').unwrap_or(end).to_string())
        }
    }
}

/// Note `value` as offer `o` says, through [`notes::note_offer`] (`memo set`'s own use case;
/// an identity made first for a secret when none exists), and say so.
fn write(ctx: &Ctx, course: &Course, o: &Offer, value: &SecretString) -> CmdResult {
    let n = notes::note_offer(ctx, course, o, value)?;
    if let Some(made) = &n.identity {
        super::capture::say_identity(ctx, &o.key, made);
    }
    let lab = &course.labs[o.lab].lab.id;
    let key = o.key.trim();
    match n.written {
        crate::app::memo::Written::Changed => ctx.note(&t!("walknote-noted", key = key, lab = lab)),
        crate::app::memo::Written::Unchanged => {
            ctx.note(&t!("walknote-unchanged", key = key, lab = lab))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_to_the_menu() {
        assert_eq!(parse_choice("", 3), Choice::Cancel);
        assert_eq!(parse_choice("  ", 3), Choice::Cancel);
        assert_eq!(parse_choice("1", 3), Choice::Pick(0));
        assert_eq!(parse_choice(" 3 ", 3), Choice::Pick(2));
        assert_eq!(parse_choice("4", 3), Choice::AskName);
        assert_eq!(parse_choice("0", 3), Choice::Unknown(0));
        assert_eq!(parse_choice("9", 3), Choice::Unknown(9));
        assert_eq!(
            parse_choice("<<메모한 Cluster URL>>", 3),
            Choice::Name("<<메모한 Cluster URL>>".into())
        );
        assert_eq!(parse_choice("1 번", 3), Choice::Name("1 번".into()));
        assert_eq!(parse_choice("1", 0), Choice::AskName);
    }

    fn lines(v: &[&str]) -> impl FnMut() -> Option<String> {
        let mut it: Vec<String> = v.iter().rev().map(|s| s.to_string()).collect();
        move || it.pop()
    }

    #[test]
    fn a_value_is_a_line_or_a_block_up_to_an_empty_line() {
        assert_eq!(
            read_block("  https://a.example  ", lines(&["x"])),
            "https://a.example"
        );
        let block = [
            "- rolearn: arn:aws:iam::111122223333:role/a",
            "  groups:",
            "    - system:nodes",
            "",
            "after",
        ];
        assert_eq!(
            read_block(BLOCK, lines(&block)),
            "- rolearn: arn:aws:iam::111122223333:role/a\n  groups:\n    - system:nodes"
        );
        assert_eq!(read_block(BLOCK, lines(&["a", BLOCK, "b"])), "a");
        assert_eq!(
            read_block(BLOCK, lines(&["a", "b"])),
            "a\nb",
            "end of input ends it"
        );
        assert_eq!(read_block(BLOCK, lines(&[""])), "");
    }

    #[test]
    fn the_announcement_names_the_values_and_their_uses() {
        let names = [
            ("Cluster URL".to_string(), false),
            ("Certificate Authority Data ".to_string(), true),
        ];
        let l = announce_line("3-2 4-1", &names, &["3-2 6-4".into()]);
        assert!(l.contains("3-2 4-1"), "{l}");
        assert!(
            l.contains("Cluster URL, Certificate Authority Data ✔"),
            "{l}"
        );
        assert!(l.contains("3-2 6-4"), "{l}");
        let l = announce_line("3-2 4-1", &names[..1], &[]);
        assert!(l.contains("Cluster URL") && !l.contains("6-4"), "{l}");
    }
}
