//! `walk`'s note points: at a step where the lab asks the student to note values, the walk
//! says which ones and where the course uses them; its `m`emo offers those values first,
//! then the lab's memo entries, then every value the course still needs, then a new name.
//!
//! Which values, in which order, is pure ([`offers`], [`asked_at`], [`parse_choice`],
//! [`read_block`]). The write is not ours: the value goes through [`crate::app::memo::set_value`]
//! as with `memo set` (the value rules, the secret policy, a memo block for a lab without
//! one), into the lab `wanted` names for it ([`super::wanted::home`]). A secret noted before
//! any age identity exists gets one made by `init`'s own code ([`super::memo::init`]), so the
//! value typed is encrypted instead of dropped.

use std::io::{BufRead, Write};

use secrecy::{ExposeSecret, SecretString};

use super::prompt::ask;
use super::wanted::step_label;
use super::{CmdResult, Ctx, Failure};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::lab::Lab;
use crate::memo;
use crate::secret::{Keyring, SecretError};
use crate::t;
use crate::wanted::{self, NoteRef, Wanted};

/// Typed alone at a value prompt: the value is the lines that follow, up to an empty line
/// (a block of command output, such as a generated YAML list).
pub const BLOCK: &str = "\"\"\"";

/// Where an offered value comes from, in the menu's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// The step on screen asks for it.
    Step,
    /// An entry of the lab's memo block.
    Lab,
    /// Any other value the course still needs.
    Course,
}

/// One value of the memo menu: the key it is noted under and the lab it is noted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub key: String,
    pub lab: usize,
    pub secret: bool,
    pub noted: bool,
    pub tier: Tier,
}

/// What the menu needs to know of one wanted value (see [`candidates`]).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub key: String,
    /// The lab it is noted in, when the course says.
    pub home: Option<usize>,
    /// The step on screen asks for it.
    pub asked_here: bool,
    /// Asked for or used in the lab being walked.
    pub concerns_lab: bool,
    pub noted: bool,
    pub secret: bool,
}

/// An entry of the walked lab's memo block.
#[derive(Debug, Clone)]
pub struct Slot {
    pub key: String,
    pub noted: bool,
    pub secret: bool,
}

/// The menu of lab `k`: the values the step asks for (noted or not), the lab's memo entries,
/// then the values of the course with no value yet — those the lab asks for or uses first,
/// each group in the course's reading order. A value is offered once (by its memo key).
pub fn offers(values: &[Candidate], memo_block: &[Slot], k: usize) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    let mut push = |o: Offer| {
        let n = memo::normalize_key(&o.key);
        if !out.iter().any(|x| memo::normalize_key(&x.key) == n) {
            out.push(o);
        }
    };
    let of = |c: &Candidate, tier| Offer {
        key: c.key.clone(),
        lab: c.home.unwrap_or(k),
        secret: c.secret,
        noted: c.noted,
        tier,
    };
    for c in values.iter().filter(|c| c.asked_here) {
        push(of(c, Tier::Step));
    }
    for s in memo_block {
        push(Offer {
            key: s.key.clone(),
            lab: k,
            secret: s.secret,
            noted: s.noted,
            tier: Tier::Lab,
        });
    }
    let mut rest: Vec<&Candidate> = values.iter().filter(|c| !c.noted).collect();
    // Stable: the reading order stays within each half.
    rest.sort_by_key(|c| !c.concerns_lab);
    for c in rest {
        push(of(c, Tier::Course));
    }
    out
}

/// Whether a note point on step `step` is announced at step `i`, a leaf: on its own step, or
/// on the first leaf under the section that holds it (the walk shows leaves only); one before
/// the first step, on the lab's first leaf.
pub fn asked_at(lab: &Lab, step: Option<usize>, i: usize) -> bool {
    match step {
        Some(s) if s == i => true,
        Some(s) => !lab.steps[s].checkable && lab.leaves_of(s).first() == Some(&i),
        None => lab.steps.iter().position(|s| s.checkable) == Some(i),
    }
}

/// Whether value `w` is asked for at step `i` of lab `k` (noted there already or not: once
/// noted, it is an entry of the lab's memo block and `asked` keeps the sentence).
fn asked_here(w: &Wanted, lab: &Lab, k: usize, i: usize) -> bool {
    matches!(&w.asked, Some(NoteRef::Prose { at, .. }) if at.lab == k && asked_at(lab, at.step, i))
}

/// The course's values as the menu of step `i` of lab `k` sees them.
pub fn candidates(values: &[Wanted], lab: &Lab, k: usize, i: usize) -> Vec<Candidate> {
    values
        .iter()
        .map(|w| Candidate {
            key: w.key.clone(),
            home: super::wanted::home(w),
            asked_here: asked_here(w, lab, k, i),
            concerns_lab: w.concerns(k),
            noted: w.noted,
            secret: w.secret,
        })
        .collect()
}

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
pub fn parse_choice(answer: &str, n: usize) -> Choice {
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
pub fn read_block(first: &str, mut next: impl FnMut() -> Option<String>) -> String {
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
pub fn announce_line(at: &str, names: &[(String, bool)], uses: &[String]) -> String {
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

/// At step `i` of lab `k` (after the step is shown): what it asks to note, if anything.
pub fn announce(ctx: &Ctx, course: &Course, k: usize, i: usize) -> CmdResult {
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let values = wanted::values(course, &cfg);
    let lab = &course.labs[k].lab;
    let here: Vec<&Wanted> = values.iter().filter(|w| asked_here(w, lab, k, i)).collect();
    let Some(Some(NoteRef::Prose { at, .. })) = here.first().map(|w| &w.asked) else {
        return Ok(());
    };
    let names: Vec<(String, bool)> = here.iter().map(|w| (w.key.clone(), w.noted)).collect();
    let mut uses: Vec<String> = Vec::new();
    for u in here.iter().flat_map(|w| &w.used_in) {
        let l = step_label(course, u);
        if !uses.contains(&l) {
            uses.push(l);
        }
    }
    println!(
        "\n{}",
        announce_line(&step_label(course, at), &names, &uses)
    );
    Ok(())
}

/// `m`emo at step `i` of lab `k`: choose a value (or name a new one), type it, note it. An
/// empty choice cancels, saying so.
pub fn note_value(ctx: &Ctx, course: &Course, k: usize, i: usize) -> CmdResult {
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let values = wanted::values(course, &cfg);
    let lab = &course.labs[k].lab;
    let cands = candidates(&values, lab, k, i);
    let slots: Vec<Slot> = lab
        .memo_entries()
        .map(|e| Slot {
            key: e.key.clone(),
            noted: !e.value.is_empty(),
            secret: crate::app::memo::is_secret(&cfg, &e.key, &e.value),
        })
        .collect();
    let list = offers(&cands, &slots, k);
    print_menu(course, k, &list);
    let answer = ask(&t!("walknote-which")).unwrap_or_default();
    let Some(target) = target_of(course, &cfg, k, &cands, &list, &answer) else {
        return Ok(());
    };
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
    cands: &[Candidate],
    list: &[Offer],
    answer: &str,
) -> Option<Offer> {
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
    Some(named(course, cfg, k, cands, list, &name))
}

/// The value a typed name means (any written form: `<<메모한 Cluster URL>>`), else a new
/// entry of lab `k` under that name.
fn named(
    course: &Course,
    cfg: &CourseConfig,
    k: usize,
    cands: &[Candidate],
    list: &[Offer],
    name: &str,
) -> Offer {
    let key = wanted::key_for(course, cfg, name);
    let n = memo::normalize_key(&key);
    if let Some(o) = list.iter().find(|o| memo::normalize_key(&o.key) == n) {
        return o.clone();
    }
    let known = cands.iter().find(|c| memo::normalize_key(&c.key) == n);
    Offer {
        lab: known.and_then(|c| c.home).unwrap_or(k),
        secret: known.is_some_and(|c| c.secret) || crate::app::memo::is_secret(cfg, &key, ""),
        noted: known.is_some_and(|c| c.noted),
        tier: Tier::Course,
        key,
    }
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

/// Note `value` as offer `o` says, through `memo set`'s own use case.
fn write(ctx: &Ctx, course: &Course, o: &Offer, value: &SecretString) -> CmdResult {
    // A blank value is left to `set_value` to refuse, before any key is made for it.
    let blank = value.expose_secret().trim().is_empty();
    // The one secret rule, on the value typed too (a JWT under a plain name is a secret).
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let current = memo::find(&course.labs[o.lab].lab, &o.key).map_or("", |e| e.value.as_str());
    let secret =
        o.secret || crate::app::memo::noted_secret(&cfg, &o.key, current, value.expose_secret());
    let keyring = if secret && !blank {
        Some(keyring(ctx, &o.key)?)
    } else {
        None
    };
    let lab = &course.labs[o.lab].lab.id;
    let key = o.key.trim();
    match crate::app::memo::set_value(ctx, course, o.lab, &o.key, value, secret, keyring.as_ref())?
    {
        crate::app::memo::Written::Changed => ctx.note(&t!("walknote-noted", key = key, lab = lab)),
        crate::app::memo::Written::Unchanged => {
            ctx.note(&t!("walknote-unchanged", key = key, lab = lab))
        }
    }
    Ok(())
}

/// The keyring to encrypt a secret with; with no identity yet, one made as `init` makes it.
pub(super) fn keyring(ctx: &Ctx, key: &str) -> Result<Keyring, Failure> {
    match Keyring::load() {
        Err(SecretError::NoIdentity { .. }) => {
            ctx.note(&t!("walknote-new-identity", key = key.trim()));
            super::memo::init(ctx)?;
            Ok(Keyring::load()?)
        }
        r => Ok(r?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(key: &str, asked_here: bool, concerns: bool, noted: bool) -> Candidate {
        Candidate {
            key: key.into(),
            home: Some(if concerns { 1 } else { 0 }),
            asked_here,
            concerns_lab: concerns,
            noted,
            secret: key.contains("token"),
        }
    }

    fn slot(key: &str, noted: bool) -> Slot {
        Slot {
            key: key.into(),
            noted,
            secret: false,
        }
    }

    fn keys(o: &[Offer]) -> Vec<(&str, Tier)> {
        o.iter().map(|o| (o.key.as_str(), o.tier)).collect()
    }

    #[test]
    fn the_steps_values_first_then_the_memo_block_then_the_rest_lab_first() {
        let values = [
            cand("github_username", false, false, true),
            cand("earlier value", false, false, false),
            cand("Cluster URL", true, true, false),
            cand("Certificate Authority Data", true, true, true),
            cand("Service Account token", false, true, false),
            cand("pipeline_name", false, true, false),
        ];
        let memo_block = [slot("pipeline_name", false), slot("note_kept", true)];
        let o = offers(&values, &memo_block, 1);
        assert_eq!(
            keys(&o),
            [
                ("Cluster URL", Tier::Step),
                // Asked here and noted already: still offered (to correct it).
                ("Certificate Authority Data", Tier::Step),
                ("pipeline_name", Tier::Lab),
                // A memo entry with a value stays reachable.
                ("note_kept", Tier::Lab),
                // This lab's values before the rest of the course.
                ("Service Account token", Tier::Course),
                ("earlier value", Tier::Course),
            ]
        );
        // A noted value of another lab is not offered; each value once.
        assert!(!o.iter().any(|o| o.key == "github_username"));
        assert_eq!(o[4].lab, 1);
        assert_eq!(o[5].lab, 0, "noted in the lab the course asks it in");
        assert!(o[4].secret);
    }

    #[test]
    fn a_value_is_offered_once_by_its_memo_key() {
        let values = [cand("pipeline_name", true, true, false)];
        let o = offers(&values, &[slot("Pipeline_Name ", false)], 1);
        assert_eq!(keys(&o), [("pipeline_name", Tier::Step)]);
        assert!(offers(&[], &[], 0).is_empty());
    }

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

    const LAB: &str = "# 7일차 - Lab 1. 연습\n\n## 🔴 1. 접속\n\n- 서버 URL을 메모합니다.\n\n### ✔ 1-1. 확인\n\n본문\n\n### ✔ 1-2. 토큰\n\n- 토큰 값을 메모📝합니다\n\n## ✔ 2. 끝\n";

    #[test]
    fn a_note_point_of_a_section_is_announced_at_its_first_leaf() {
        let lab = crate::lab::parse_str(LAB, "lab1");
        let id = |s: &str| lab.step_index(s).unwrap();
        let (sec, l1, l2, end) = (id("1"), id("1-1"), id("1-2"), id("2"));
        assert!(asked_at(&lab, Some(sec), l1));
        assert!(!asked_at(&lab, Some(sec), l2));
        assert!(asked_at(&lab, Some(l2), l2));
        assert!(!asked_at(&lab, Some(l2), end));
        assert!(
            asked_at(&lab, None, l1),
            "before the first step: the first leaf"
        );
        assert!(!asked_at(&lab, None, l2));
    }
}
