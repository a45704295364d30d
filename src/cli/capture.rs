//! Noting a value from what a step's commands printed: `run --note NAME=REGEX` ([`take`]),
//! and on a terminal the offer after `run` (and `r` in `walk`) of a step that asks to note a
//! value, or of the step just before one ([`offer`]).
//!
//! Both store the value as `memo set` does ([`crate::app::memo::set_value`], under the key
//! [`crate::wanted::key_for`] gives the name), in the lab whose memo block holds that key,
//! else in the run's lab. A value is secret by the one rule of [`crate::app::memo::is_secret`]
//! (its name, course.yaml, a value that looks like a credential); a secret is
//! never shown: not in the list of candidates, not when typed, not when noted.

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::prompt::ask;
use super::{CmdResult, Ctx, Failure};
use crate::capture::{self, Candidate, NoteRule};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::memo;
use crate::runner::Masker;
use crate::t;
use crate::wanted::{self, NoteRef, Wanted};

/// A value `--note` found, ready to note.
pub(super) struct Taken {
    pub key: String,
    pub value: SecretString,
    pub secret: bool,
}

/// The value of each rule in the output; the first rule without a match is an error that
/// names it, and nothing is taken.
pub(super) fn take(
    ctx: &Ctx,
    course: &Course,
    (k, i): (usize, usize),
    rules: &[NoteRule],
    output: &[Zeroizing<String>],
) -> Result<Vec<Taken>, Failure> {
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let text = Zeroizing::new(capture::joined(output));
    let (_, asked) = asked(course, &cfg, k, i);
    let mut out = Vec::new();
    for r in rules {
        let Some(v) = r.value_in(&text) else {
            return Err(Failure::user(t!(
                "capture-no-match",
                name = r.name,
                regex = r.pattern.as_str(),
                lab = course.labs[k].lab.id
            )));
        };
        let key = key_at(course, &cfg, &asked, &r.name);
        let secret = crate::app::memo::noted_secret(&cfg, &key, "", &v);
        out.push(Taken {
            key,
            value: SecretString::from(v),
            secret,
        });
    }
    Ok(out)
}

/// The key a name given at a step is stored under: the value the step asks for that the
/// name means (by any of its written forms, or by the lab's own word for it there: "토큰" in
/// "출력되는 토큰 값을 메모합니다" is that step's `<<메모한 Service Account token >>`), else
/// the key `memo set` would use.
fn key_at(course: &Course, cfg: &CourseConfig, asked: &[Asked], name: &str) -> String {
    let norm = crate::names::normalize(name);
    let found = asked.iter().find(|a| {
        wanted::same_value(&a.name, name)
            || wanted::same_value(&a.key, name)
            || a.said.iter().any(|s| crate::names::normalize(s) == norm)
    });
    match found {
        Some(a) => a.key.clone(),
        None => wanted::key_for(course, cfg, name),
    }
}

/// Before a run with `--note` rules: when a rule's value will be secret by its key, the
/// keyring is loaded, or made as `init` makes it (saying where), so that a run never passes
/// and is journaled only to fail at noting for want of an identity.
pub(super) fn ready_keyring(
    ctx: &Ctx,
    course: &Course,
    (k, i): (usize, usize),
    rules: &[NoteRule],
) -> CmdResult {
    if rules.is_empty() {
        return Ok(());
    }
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let (_, asked) = asked(course, &cfg, k, i);
    for r in rules {
        let key = key_at(course, &cfg, &asked, &r.name);
        if crate::app::memo::is_secret(&cfg, &key, "") {
            super::walknote::keyring(ctx, &key)?;
            return Ok(());
        }
    }
    Ok(())
}

/// Before the offer is journaled: when a value it asks for is secret, every value it could
/// list from the output (see [`capture::candidates`]) is added to `secrets`, which masks the
/// run's journal lines, so that a skipped or interrupted offer leaves no plaintext.
pub(super) fn mask_offered(
    ctx: &Ctx,
    course: &Course,
    (k, i): (usize, usize),
    output: &[Zeroizing<String>],
    secrets: &mut Masker,
) -> CmdResult {
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let (_, asked) = asked(course, &cfg, k, i);
    if asked.iter().any(|a| a.secret) {
        for c in capture::candidates(output) {
            secrets.add(&SecretString::from(c.value));
        }
    }
    Ok(())
}

/// Note a value `--note` took, and say so (a secret's value never).
pub(super) fn note_taken(ctx: &Ctx, course: &Course, k: usize, t: &Taken) -> CmdResult {
    note(ctx, course, k, &t.key, &t.value, t.secret)
}

/// The lab that keeps `key`: the run's lab when its memo block has the entry, else the first
/// lab whose memo block has it, else the run's lab (which gets the entry).
fn lab_for(course: &Course, k: usize, key: &str) -> usize {
    let has = |i: usize| memo::find(&course.labs[i].lab, key).is_some();
    if has(k) {
        return k;
    }
    (0..course.labs.len()).find(|&i| has(i)).unwrap_or(k)
}

/// Store `value` under `key` (as `memo set`) and say where; a secret is encrypted and its
/// value is not shown.
fn note(
    ctx: &Ctx,
    course: &Course,
    k: usize,
    key: &str,
    value: &SecretString,
    secret: bool,
) -> CmdResult {
    let at = lab_for(course, k, key);
    let w = crate::app::memo::set_value(ctx, course, at, key, value, secret, None)?;
    let cl = &course.labs[at];
    let shown = if secret {
        t!("capture-hidden")
    } else {
        capture::preview(value.expose_secret(), 60)
    };
    match w {
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
    Ok(())
}

/// A value the course asks to note at (or right after) the step that ran.
struct Asked {
    /// The first placeholder text of the value, or the lab's words.
    name: String,
    /// The key it is stored under (and shown as).
    key: String,
    secret: bool,
    noted: bool,
    /// `3-2 6-4`: the steps that use it.
    used_in: Vec<String>,
    /// What the note point calls it ("토큰").
    said: Vec<String>,
}

/// The steps whose note points a run of step `i` offers: `i` and the steps under it, and
/// the step right after them (`9-3. 메모` after the step whose script printed the value).
fn offered_steps(lab: &crate::lab::Lab, i: usize) -> Vec<usize> {
    let end = lab.steps[i].section_span.end;
    let mut v: Vec<usize> = (i..lab.steps.len())
        .take_while(|&j| j == i || lab.steps[j].span.start < end)
        .collect();
    if let Some(next) = (i + 1..lab.steps.len()).find(|&j| lab.steps[j].span.start >= end) {
        v.push(next);
    }
    v
}

/// What the note points of those steps ask for, each value once: the values of the course
/// linked to them (see [`wanted`]), else their own names.
fn asked(course: &Course, cfg: &CourseConfig, k: usize, i: usize) -> (Vec<String>, Vec<Asked>) {
    let lab = &course.labs[k].lab;
    let steps = offered_steps(lab, i);
    let points: Vec<&crate::notepoint::NotePoint> = lab
        .note_points
        .iter()
        .filter(|n| n.step.is_some_and(|s| steps.contains(&s)))
        .collect();
    if points.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let values = wanted::values(course, cfg);
    let mut out: Vec<Asked> = Vec::new();
    let mut at: Vec<String> = Vec::new();
    for np in points {
        let step_id = np.step.map(|s| lab.steps[s].id.clone()).unwrap_or_default();
        if !at.contains(&step_id) {
            at.push(step_id);
        }
        let found: Vec<&Wanted> = values
            .iter()
            .filter(|w| links(w, k, np) || np.names.iter().any(|n| names_it(w, n)))
            .collect();
        if found.is_empty() {
            for n in &np.names {
                push(&mut out, asked_by_name(course, cfg, n));
            }
        }
        for w in found {
            let mut a = asked_of(course, w);
            a.said = said_of(np, w);
            push(&mut out, a);
        }
    }
    (at, out)
}

/// The names note point `np` gives that are value `w`: its only one, or those sharing a
/// word with one of the value's names ("server url" for `<<메모한 Cluster URL>>`).
fn said_of(np: &crate::notepoint::NotePoint, w: &Wanted) -> Vec<String> {
    if np.names.len() == 1 {
        return np.names.clone();
    }
    np.names
        .iter()
        .filter(|n| {
            std::iter::once(&w.key)
                .chain(&w.names)
                .any(|m| crate::names::name_similarity(n, m) > 0.0)
        })
        .cloned()
        .collect()
}

fn push(out: &mut Vec<Asked>, a: Asked) {
    if !out
        .iter()
        .any(|o| memo::normalize_key(&o.key) == memo::normalize_key(&a.key))
    {
        out.push(a);
    }
}

/// Whether value `w` is the one note point `np` of lab `k` asks for.
fn links(w: &Wanted, k: usize, np: &crate::notepoint::NotePoint) -> bool {
    // Once noted, a value's note point is its memo entry; `asked` keeps the sentence.
    [&w.note_point, &w.asked]
        .into_iter()
        .any(|r| links_ref(r, &w.key, k, np))
}

fn links_ref(r: &Option<NoteRef>, key: &str, k: usize, np: &crate::notepoint::NotePoint) -> bool {
    match (r, np.kind) {
        (Some(NoteRef::Prose { at, text }), _) => {
            at.lab == k && at.step == np.step && *text == np.text
        }
        (Some(NoteRef::Memo { lab }), crate::notepoint::PointKind::Memo) => {
            *lab == k && memo::normalize_key(key) == memo::normalize_key(&np.text)
        }
        _ => false,
    }
}

/// Whether value `w` is the value called `name` (a memo entry a sentence asks for).
fn names_it(w: &Wanted, name: &str) -> bool {
    std::iter::once(&w.key)
        .chain(&w.names)
        .any(|n| wanted::same_value(n, name))
}

fn asked_of(course: &Course, w: &Wanted) -> Asked {
    Asked {
        name: w.names.first().cloned().unwrap_or_else(|| w.key.clone()),
        key: w.key.clone(),
        secret: w.secret,
        noted: w.noted,
        said: Vec::new(),
        used_in: w
            .used_in
            .iter()
            .map(|u| {
                let lab = &course.labs[u.lab].lab;
                match u.step {
                    Some(s) => format!("{} {}", lab.id, lab.steps[s].id),
                    None => lab.id.clone(),
                }
            })
            .collect(),
    }
}

fn asked_by_name(course: &Course, cfg: &CourseConfig, name: &str) -> Asked {
    let key = wanted::key_for(course, cfg, name);
    Asked {
        name: name.to_string(),
        secret: crate::app::memo::is_secret(cfg, &key, ""),
        key,
        noted: false,
        used_in: Vec::new(),
        said: vec![name.to_string()],
    }
}

/// How many candidates are listed at most.
const MAX_CANDIDATES: usize = 9;

/// On a terminal after a run: when the step (or the next one) asks to note values, say
/// which, and offer each: a value from the output, a block of its lines, or a typed value.
pub(super) fn offer(
    ctx: &Ctx,
    course: &Course,
    k: usize,
    i: usize,
    output: &[Zeroizing<String>],
    masker: &Masker,
) -> CmdResult {
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let (at, mut asked) = asked(course, &cfg, k, i);
    if asked.is_empty() {
        return Ok(());
    }
    let lab = &course.labs[k].lab;
    eprintln!();
    eprintln!(
        "{}",
        t!(
            "capture-asks",
            lab = lab.id,
            steps = at.join(", "),
            names = asked
                .iter()
                .map(|a| a.key.trim().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    let found = capture::candidates(output);
    let blocks = capture::blocks(output);
    while !asked.is_empty() {
        let Some(n) = choose_value(&asked) else {
            return Ok(());
        };
        let a = asked.remove(n);
        if !a.used_in.is_empty() {
            eprintln!("{}", t!("capture-used-in", steps = a.used_in.join(", ")));
        }
        let Some(value) = choose_output(&a, &found, &blocks, output, masker)? else {
            continue;
        };
        let secret =
            a.secret || crate::app::memo::noted_secret(&cfg, &a.key, "", value.expose_secret());
        note(ctx, course, k, &a.key, &value, secret)?;
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
    found: &[Candidate],
    blocks: &[capture::Block],
    output: &[Zeroizing<String>],
    masker: &Masker,
) -> Result<Option<SecretString>, Failure> {
    let ranked = capture::rank(found.to_vec(), &a.key, MAX_CANDIDATES);
    eprintln!("{}", t!("capture-values-for", name = a.key.trim()));
    for (n, c) in ranked.iter().enumerate() {
        let label = c
            .label
            .as_deref()
            .map(|l| format!("{l}, "))
            .unwrap_or_default();
        eprintln!(
            "  {}. {}   ({label}{})",
            n + 1,
            // Masked before it is cut: a cut secret would no longer be found whole.
            capture::preview(&masker.mask(&c.value), 64),
            t!("capture-line", line = c.line + 1)
        );
    }
    for (n, b) in blocks.iter().enumerate().take(MAX_CANDIDATES) {
        let first = output[b.lines.start].as_str();
        eprintln!(
            "  b{}. {}",
            n + 1,
            t!(
                "capture-block",
                from = b.lines.start + 1,
                to = b.lines.end,
                count = b.lines.len(),
                first = capture::preview(masker.mask(first).trim(), 50)
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
        if let Some(b) = c.strip_prefix(['b', 'B']) {
            if let Some(b) = b
                .parse::<usize>()
                .ok()
                .and_then(|n| blocks.get(n.wrapping_sub(1)))
            {
                let text = capture::block_text(output, &b.lines);
                return Ok(Some(SecretString::from(text)));
            }
        } else if let Some(c) = c
            .parse::<usize>()
            .ok()
            .and_then(|n| ranked.get(n.wrapping_sub(1)))
        {
            return Ok(Some(SecretString::from(c.value.clone())));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_offers_its_steps_and_the_next_one() {
        let md = "# 3일차 - Lab 2. x\n\n## 9. a\n\n### 9-1. b\n\n본문\n\n### 9-2. c\n\n```bash\necho x\n```\n\n### 9-3. 메모📝\n\n출력된 결과를 메모📝합니다.\n\n## 10. d\n\n본문\n";
        let lab = crate::lab::parse_str(md, "x");
        let id = |v: Vec<usize>| -> Vec<String> {
            v.into_iter().map(|i| lab.steps[i].id.clone()).collect()
        };
        let at = |sid: &str| lab.steps.iter().position(|s| s.id == sid).unwrap();
        assert_eq!(id(offered_steps(&lab, at("9-2"))), ["9-2", "9-3"]);
        assert_eq!(
            id(offered_steps(&lab, at("9"))),
            ["9", "9-1", "9-2", "9-3", "10"]
        );
        assert_eq!(id(offered_steps(&lab, at("10"))), ["10"]);
    }
}
