//! Noting values where the course asks for them, for every front end: which steps of a run
//! offer to note (`offered_steps`), what their note points ask for ([`asked`]), the key a
//! name is stored under there (`key_at`), the lab a value is noted in ([`home_lab`], the
//! one rule), the values "still wanted" ([`still_wanted`], the one rule), the note menu of
//! a step and its order ([`menu`], `offers`: `walk`'s `m`, and the web page's note forms in
//! the same order), the candidates in a run's output ([`OutputValues`]), the values
//! `run --note NAME=REGEX` takes ([`take`]), the identity made before a secret is noted
//! ([`keyring`], [`ready_keyring`]), and the write itself ([`note`], [`note_at`], through
//! [`super::memo::set_value`], as `memo set` does).
//!
//! A front end computes an offer here (plain data), asks the student in its own way, and
//! applies the choice here. Nothing here prints or prompts.

use std::collections::HashMap;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::{AppError, Front, StepAt};
use crate::capture;
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::Record;
use crate::lab::Lab;
use crate::memo;
use crate::notepoint::NotePoint;
use crate::runner::Masker;
use crate::secret::{self, Keyring, SecretError};
use crate::wanted;

/// A value still wanted, where it is used and where it is asked to be noted; the rules of
/// `run --note` and a value cut for showing.
pub use crate::capture::{preview, NoteRule};
/// Where a note point stands (a sentence, a heading, a memo entry).
pub use crate::notepoint::PointKind;
pub use crate::wanted::{At, NoteRef, Wanted};

// ---------------------------------------------------------------------------------------
// The lab a value is noted in (one rule), and "still wanted" (one rule).

/// The lab a value is noted in — the one rule of `memo` through `walk`, the offer after a
/// run, `run --note`, `wanted`'s "note it:" line and the web page's Note forms:
/// 1. the lab the student is in (`here`), when its memo block has the value's entry;
/// 2. else the first lab of the course whose memo block has it;
/// 3. else the lab the course asks for it in (its note point), else the first lab that
///    uses it (`asked_in`, see [`asked_in`]);
/// 4. else `here` (which gets the entry).
///
/// `None` only without any of these (no `here`, no entry, never asked for nor used).
pub fn home_lab(
    course: &Course,
    key: &str,
    here: Option<usize>,
    asked_in: impl FnOnce() -> Option<usize>,
) -> Option<usize> {
    Homes::of(course).lab(key, here, asked_in)
}

/// The lab a value asks to be noted in by the course's text: its note point's lab, else
/// the first lab that uses it.
fn asked_in(w: &Wanted) -> Option<usize> {
    match &w.note_point {
        Some(NoteRef::Prose { at, .. }) => Some(at.lab),
        Some(NoteRef::Memo { lab }) => Some(*lab),
        None => w.used_in.first().map(|u| u.lab),
    }
}

/// [`home_lab`] of value `w`.
pub fn lab_of(course: &Course, w: &Wanted, here: Option<usize>) -> Option<usize> {
    home_lab(course, &w.key, here, || asked_in(w))
}

/// [`home_lab`] of the value stored under `key`, the student being in lab `here`.
pub fn lab_for_key(course: &Course, cfg: &CourseConfig, key: &str, here: usize) -> usize {
    home_lab(course, key, Some(here), || {
        let n = crate::names::normalize_key(key);
        wanted::values(course, cfg)
            .iter()
            .find(|w| crate::names::normalize_key(&w.key) == n)
            .and_then(asked_in)
    })
    .unwrap_or(here)
}

/// The memo entries of a course by key, for [`home_lab`] over many values: the first lab
/// whose memo block has each.
struct Homes<'a> {
    course: &'a Course,
    first: HashMap<String, usize>,
}

impl<'a> Homes<'a> {
    fn of(course: &'a Course) -> Homes<'a> {
        let mut first = HashMap::new();
        for (i, cl) in course.labs.iter().enumerate() {
            for e in cl.lab.memo_entries() {
                first
                    .entry(crate::names::normalize_key(&e.key))
                    .or_insert(i);
            }
        }
        Homes { course, first }
    }

    fn lab(
        &self,
        key: &str,
        here: Option<usize>,
        asked_in: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        if let Some(k) = here.filter(|&k| memo::find(&self.course.labs[k].lab, key).is_some()) {
            return Some(k);
        }
        if let Some(&i) = self.first.get(&crate::names::normalize_key(key)) {
            return Some(i);
        }
        asked_in().or(here)
    }
}

/// Where a front end offers to note value `name` (a placeholder of lab `k` with nothing
/// noted): the lab ([`home_lab`]), the key as its entry writes it (or as `memo set` would
/// store it: [`crate::wanted::key_for`]), and whether it is a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteTarget {
    pub lab: usize,
    pub key: String,
    pub secret: bool,
}

/// The [`NoteTarget`] of placeholder `name` of lab `k`.
pub fn note_target(course: &Course, cfg: &CourseConfig, k: usize, name: &str) -> NoteTarget {
    let key = wanted::key_for(course, cfg, name);
    let lab = lab_for_key(course, cfg, &key, k);
    match memo::find(&course.labs[lab].lab, &key) {
        Some(e) => NoteTarget {
            lab,
            key: e.key.clone(),
            secret: super::memo::is_secret(cfg, &e.key, &e.value),
        },
        None => NoteTarget {
            lab,
            secret: super::memo::is_secret(cfg, &key, ""),
            key,
        },
    }
}

/// Whether value `w` is still wanted: nothing is noted for it. Every value the course asks
/// for or uses counts — one only a note point asks for (the student is told to note it),
/// one no sentence asks for (given by the instructor, or the student's own) — so that
/// `labnote wanted` and the course page list the same values; but not an entry labnote
/// added that was emptied since ([`emptied_addition`]): nothing of the course wants it.
pub fn still_wanted(course: &Course, records: &[Record], w: &Wanted) -> bool {
    !w.noted && !emptied_addition(course, records, w)
}

/// Whether `w` is only entries labnote added (`memo set` of a new name; the journal says
/// which: [`super::memo::added_in`]) that hold nothing now (`memo unset`), which no
/// placeholder uses and no sentence of the course asks for. `memo rm` removes them.
fn emptied_addition(course: &Course, records: &[Record], w: &Wanted) -> bool {
    if w.noted
        || !w.used_in.is_empty()
        || w.asked.is_some()
        || !w.said.is_empty()
        || matches!(w.note_point, Some(NoteRef::Prose { .. }))
    {
        return false;
    }
    let key = crate::names::normalize_key(&w.key);
    let mut entries = course.labs.iter().flat_map(|cl| {
        cl.lab
            .memo_entries()
            .filter(|e| crate::names::normalize_key(&e.key) == key)
            .map(move |e| (cl, e))
    });
    let mut any = false;
    let all = entries.all(|(cl, e)| {
        any = true;
        e.value.is_empty() && super::memo::added_in(records, &cl.lab.id, &e.key)
    });
    any && all
}

/// The values still wanted ([`still_wanted`]), of lab `only` when given (asked for or used
/// there), in the course's reading order.
pub fn wanted_values(
    course: &Course,
    cfg: &CourseConfig,
    records: &[Record],
    only: Option<usize>,
) -> Vec<Wanted> {
    wanted::values(course, cfg)
        .into_iter()
        .filter(|w| still_wanted(course, records, w) && only.is_none_or(|k| w.concerns(k)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// What a run's steps ask to note (the offer after a run, `--note`).

/// A value the course asks to note at (or right after) the step that ran.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The first placeholder text of the value, or the lab's words.
    pub name: String,
    /// The key it is stored under (and shown as).
    pub key: String,
    pub secret: bool,
    pub noted: bool,
    /// `3-2 6-4`: the steps that use it.
    pub used_in: Vec<String>,
    /// What the note point calls it ("토큰").
    pub said: Vec<String>,
}

/// What a run of a step asks to note: the ids of the steps whose note points ask, and the
/// values, each once.
#[derive(Debug, Clone, Default)]
pub struct RunAsks {
    pub steps: Vec<String>,
    pub values: Vec<Asked>,
}

/// The steps whose note points a run of step `i` offers: `i` and the steps under it, and
/// the step right after them when it has nothing to run itself (`9-3. 메모` after the step
/// whose script printed the value). A next step with its own commands ("출력되는 토큰 값을
/// 메모" under `kubectl describe secret`, after the `kubectl apply` step) asks for what *its*
/// run prints: its offer comes when it runs (`runs(j)`: step `j` has a block to run).
fn offered_steps(lab: &Lab, i: usize, runs: impl Fn(usize) -> bool) -> Vec<usize> {
    let end = lab.steps[i].section_span.end;
    let mut v: Vec<usize> = (i..lab.steps.len())
        .take_while(|&j| j == i || lab.steps[j].span.start < end)
        .collect();
    if let Some(next) = (i + 1..lab.steps.len()).find(|&j| lab.steps[j].span.start >= end) {
        if !runs(next) {
            v.push(next);
        }
    }
    v
}

/// What the note points of a run of step `at` ask for, each value once: the values of the
/// course linked to them (see [`wanted`]), else their own names.
pub fn asked(course: &Course, cfg: &CourseConfig, at: StepAt) -> RunAsks {
    let k = at.lab;
    let lab = &course.labs[k].lab;
    let cl = &course.labs[k];
    let steps = offered_steps(lab, at.step, |j| {
        super::run::blocks_of_step(cl, j)
            .iter()
            .any(|c| c.class.may_run())
    });
    let points: Vec<&NotePoint> = lab
        .note_points
        .iter()
        .filter(|n| n.step.is_some_and(|s| steps.contains(&s)))
        .collect();
    if points.is_empty() {
        return RunAsks::default();
    }
    let values = wanted::values(course, cfg);
    let mut out = RunAsks::default();
    for np in points {
        let step_id = np.step.map(|s| lab.steps[s].id.clone()).unwrap_or_default();
        if !out.steps.contains(&step_id) {
            out.steps.push(step_id);
        }
        let found: Vec<&Wanted> = values
            .iter()
            .filter(|w| links(w, k, np) || np.names.iter().any(|n| names_it(w, n)))
            .collect();
        if found.is_empty() {
            for n in &np.names {
                push(&mut out.values, asked_by_name(course, cfg, n));
            }
        }
        for w in found {
            let mut a = asked_of(course, w);
            a.said = said_of(np, w);
            push(&mut out.values, a);
        }
    }
    out
}

/// The key a name given at a step is stored under: the value the step asks for that the
/// name means (by any of its written forms, or by the lab's own word for it there: "토큰" in
/// "출력되는 토큰 값을 메모합니다" is that step's `<<메모한 Service Account token >>`), else
/// the key `memo set` would use.
fn key_at(course: &Course, cfg: &CourseConfig, asked: &[Asked], name: &str) -> String {
    let norm = crate::names::normalize(name);
    let found = asked.iter().find(|a| {
        crate::names::same_value(&a.name, name)
            || crate::names::same_value(&a.key, name)
            || a.said.iter().any(|s| crate::names::normalize(s) == norm)
    });
    match found {
        Some(a) => a.key.clone(),
        None => wanted::key_for(course, cfg, name),
    }
}

/// The names note point `np` gives that are value `w`: its only one, or those sharing a
/// word with one of the value's names ("server url" for `<<메모한 Cluster URL>>`).
fn said_of(np: &NotePoint, w: &Wanted) -> Vec<String> {
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
        .any(|o| crate::names::normalize_key(&o.key) == crate::names::normalize_key(&a.key))
    {
        out.push(a);
    }
}

/// Whether value `w` is the one note point `np` of lab `k` asks for.
fn links(w: &Wanted, k: usize, np: &NotePoint) -> bool {
    // Once noted, a value's note point is its memo entry; `asked` keeps the sentence.
    [&w.note_point, &w.asked]
        .into_iter()
        .any(|r| links_ref(r, &w.key, k, np))
}

fn links_ref(r: &Option<NoteRef>, key: &str, k: usize, np: &NotePoint) -> bool {
    match (r, np.kind) {
        (Some(NoteRef::Prose { at, text }), _) => {
            at.lab == k && at.step == np.step && *text == np.text
        }
        (Some(NoteRef::Memo { lab }), crate::notepoint::PointKind::Memo) => {
            *lab == k && crate::names::normalize_key(key) == crate::names::normalize_key(&np.text)
        }
        _ => false,
    }
}

/// Whether value `w` is the value called `name` (a memo entry a sentence asks for).
fn names_it(w: &Wanted, name: &str) -> bool {
    std::iter::once(&w.key)
        .chain(&w.names)
        .any(|n| crate::names::same_value(n, name))
}

fn asked_of(course: &Course, w: &Wanted) -> Asked {
    Asked {
        name: w.names.first().cloned().unwrap_or_else(|| w.key.clone()),
        key: w.key.clone(),
        secret: w.secret,
        noted: w.noted,
        said: Vec::new(),
        used_in: w.used_in.iter().map(|u| step_label(course, u)).collect(),
    }
}

fn asked_by_name(course: &Course, cfg: &CourseConfig, name: &str) -> Asked {
    let key = wanted::key_for(course, cfg, name);
    Asked {
        name: name.to_string(),
        secret: super::memo::is_secret(cfg, &key, ""),
        key,
        noted: false,
        used_in: Vec::new(),
        said: vec![name.to_string()],
    }
}

/// `3-2 4-1` (lab id, step id), as `labs` and `steps` print them.
pub fn step_label(course: &Course, at: &At) -> String {
    let lab = &course.labs[at.lab].lab;
    match at.step {
        Some(s) => format!("{} {}", lab.id, lab.steps[s].id),
        None => lab.id.clone(),
    }
}

/// How many candidates of each kind an offer lists at most.
const MAX_CANDIDATES: usize = 9;

/// The values a run's output offers, found once for every value asked.
pub struct OutputValues {
    found: Vec<capture::Candidate>,
    blocks: Vec<capture::Block>,
}

/// What the output offers for one value: the candidates ranked for its key, the blocks of
/// lines (each at most [`MAX_CANDIDATES`]).
pub struct OutputChoices {
    pub ranked: Vec<capture::Candidate>,
    pub blocks: Vec<capture::Block>,
}

/// A choice among [`OutputChoices`]: a candidate or a block, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputPick {
    Candidate(usize),
    Block(usize),
}

impl OutputValues {
    pub fn of(output: &[Zeroizing<String>]) -> OutputValues {
        OutputValues {
            found: capture::candidates(output),
            blocks: capture::blocks(output),
        }
    }

    /// The choices for the value stored under `key`.
    pub fn for_key(&self, key: &str) -> OutputChoices {
        OutputChoices {
            ranked: capture::rank(self.found.clone(), key, MAX_CANDIDATES),
            blocks: self.blocks.iter().take(MAX_CANDIDATES).cloned().collect(),
        }
    }
}

impl OutputChoices {
    /// The value a pick stands for; `None` for no such line of the list.
    pub fn value(&self, output: &[Zeroizing<String>], pick: OutputPick) -> Option<SecretString> {
        match pick {
            OutputPick::Candidate(n) => self
                .ranked
                .get(n)
                .map(|c| SecretString::from(c.value.clone())),
            OutputPick::Block(n) => self
                .blocks
                .get(n)
                .map(|b| SecretString::from(capture::block_text(output, &b.lines))),
        }
    }
}

/// Before the offer is journaled: when a value it asks for is secret, every value it could
/// list from the output (see [`capture::candidates`]) is added to `secrets`, which masks the
/// run's journal lines, so that a skipped or interrupted offer leaves no plaintext.
fn mask_offered(asks: &RunAsks, output: &[Zeroizing<String>], secrets: &mut Masker) {
    if asks.values.iter().any(|a| a.secret) {
        for c in capture::candidates(output) {
            secrets.add(&SecretString::from(c.value));
        }
    }
}

/// A value `--note` found, ready to note.
pub struct Taken {
    pub key: String,
    pub value: SecretString,
    pub secret: bool,
}

/// The value of each `--note` rule in the output of a run of step `at`; the first rule
/// without a match is an error that names it, and nothing is taken.
pub fn take(
    course: &Course,
    cfg: &CourseConfig,
    at: StepAt,
    rules: &[NoteRule],
    output: &[Zeroizing<String>],
) -> Result<Vec<Taken>, AppError> {
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let text = Zeroizing::new(capture::joined(output));
    let asks = asked(course, cfg, at);
    let mut out = Vec::new();
    for r in rules {
        let Some(v) = r.value_in(&text) else {
            return Err(AppError::NoMatch {
                name: r.name.clone(),
                regex: r.pattern.as_str().to_string(),
                lab: course.labs[at.lab].lab.id.clone(),
            });
        };
        let key = key_at(course, cfg, &asks.values, &r.name);
        let secret = super::memo::noted_secret(cfg, &key, "", &v);
        out.push(Taken {
            key,
            value: SecretString::from(v),
            secret,
        });
    }
    Ok(out)
}

/// Before a run with `--note` rules: the key of the first rule whose value will be secret by
/// its key, whose keyring must exist before the run (see [`keyring`]), so that a run never
/// passes and is journaled only to fail at noting for want of an identity.
fn needs_keyring(
    course: &Course,
    cfg: &CourseConfig,
    at: StepAt,
    rules: &[NoteRule],
) -> Option<String> {
    if rules.is_empty() {
        return None;
    }
    let asks = asked(course, cfg, at);
    rules
        .iter()
        .map(|r| key_at(course, cfg, &asks.values, &r.name))
        .find(|key| super::memo::is_secret(cfg, key, ""))
}

/// `needs_keyring`, then [`keyring`] when one is needed.
pub fn ready_keyring(
    course: &Course,
    cfg: &CourseConfig,
    at: StepAt,
    rules: &[NoteRule],
) -> Result<Option<(String, MadeIdentity)>, AppError> {
    let Some(key) = needs_keyring(course, cfg, at, rules) else {
        return Ok(None);
    };
    Ok(keyring()?.1.map(|m| (key, m)))
}

/// An age identity made because a secret was noted before any existed.
#[derive(Debug, Clone)]
pub struct MadeIdentity {
    pub path: PathBuf,
    pub public_key: String,
    /// False when another process made it meanwhile.
    pub created: bool,
}

/// `init`: the age identity of this user, made when there is none (`created` false when
/// one existed).
pub fn make_identity() -> Result<MadeIdentity, AppError> {
    let path = secret::new_identity_path()?;
    Ok(match secret::init_identity(&path)? {
        secret::InitOutcome::Created { public_key } => MadeIdentity {
            path,
            public_key,
            created: true,
        },
        secret::InitOutcome::Existing { public_key } => MadeIdentity {
            path,
            public_key,
            created: false,
        },
    })
}

/// The keyring to encrypt a secret with; with no identity yet, one made as `init` makes it
/// (said in the second half, for the front end to tell).
pub fn keyring() -> Result<(Keyring, Option<MadeIdentity>), AppError> {
    match Keyring::load() {
        Err(SecretError::NoIdentity { .. }) => {
            let made = make_identity()?;
            Ok((Keyring::load()?, Some(made)))
        }
        r => Ok((r?, None)),
    }
}

/// After a run of step `ran.at`, the noting it decides, for every front end: the values of
/// the `--note` rules are taken (a rule without a match stops everything before anything is
/// written; a run that did not pass takes none, said to the front end), the run is journaled
/// with the secret ones masked — and, when the front end will `offer` to note a value from
/// the output, with whatever that offer could take masked too, so no plaintext stays
/// whichever it notes — and then each taken value is noted, told to `noted` as it is.
pub fn record_with_notes(
    front: &dyn Front,
    course: &Course,
    ran: &super::run::Ran,
    rules: &[NoteRule],
    offer: bool,
    noted: &mut dyn FnMut(&Taken, &Noted),
) -> Result<(), AppError> {
    let at = ran.at;
    let cfg = CourseConfig::load(front.course_dir())?;
    let taken = if ran.outcome.ran() {
        take(course, &cfg, at, rules, &ran.output)?
    } else {
        if !rules.is_empty() {
            let step = &course.labs[at.lab].lab.steps[at.step];
            front.note(&crate::t!("run-note-not-taken", step = step.id));
        }
        Vec::new()
    };
    let mut secrets = Masker::default();
    for t in taken.iter().filter(|t| t.secret) {
        secrets.add(&t.value);
    }
    if offer && ran.outcome.ran() {
        mask_offered(&asked(course, &cfg, at), &ran.output, &mut secrets);
    }
    super::run::record(front, course, ran, &secrets)?;
    for t in &taken {
        let n = note(front, course, at.lab, &t.key, &t.value, t.secret, false)?;
        noted(t, &n);
    }
    Ok(())
}

/// Before a run with `--note` rules: the keyring a secret rule needs, made when missing
/// ([`ready_keyring`] with the course's settings).
pub fn ready_keyring_for_rules(
    front: &dyn Front,
    course: &Course,
    at: StepAt,
    rules: &[NoteRule],
) -> Result<Option<(String, MadeIdentity)>, AppError> {
    if rules.is_empty() {
        return Ok(None);
    }
    let cfg = CourseConfig::load(front.course_dir())?;
    ready_keyring(course, &cfg, at, rules)
}

/// What noting a value did.
pub struct Noted {
    /// The lab it was noted in.
    pub lab: usize,
    pub secret: bool,
    pub written: super::memo::Written,
    /// The identity made to encrypt it, if one was.
    pub identity: Option<MadeIdentity>,
}

/// Note `value` under `key`, the student being in lab `here`: in the lab [`home_lab`]
/// gives, as `memo set` does. A secret (`secret`, or by the one rule on the key and the
/// value) is encrypted; with `make_identity`, an identity is made first when none exists.
pub fn note(
    front: &dyn Front,
    course: &Course,
    here: usize,
    key: &str,
    value: &SecretString,
    secret: bool,
    make_identity: bool,
) -> Result<Noted, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let lab = lab_for_key(course, &cfg, key, here);
    note_at(front, course, lab, key, value, secret, make_identity)
}

/// Note `value` under `key` in lab `lab` (chosen by [`home_lab`] already: an [`Offer`]'s).
pub fn note_at(
    front: &dyn Front,
    course: &Course,
    lab: usize,
    key: &str,
    value: &SecretString,
    secret: bool,
    make_identity: bool,
) -> Result<Noted, AppError> {
    // A blank value is left to `set_value` to refuse, before any key is made for it.
    let blank = value.expose_secret().trim().is_empty();
    // The one secret rule, on the value given too (a JWT under a plain name is a secret).
    let cfg = CourseConfig::load(front.course_dir())?;
    let current = memo::find(&course.labs[lab].lab, key).map_or("", |e| e.value.as_str());
    let secret = secret || super::memo::noted_secret(&cfg, key, current, value.expose_secret());
    let (keyring, identity) = if secret && !blank && make_identity {
        let (kr, made) = keyring()?;
        (Some(kr), made)
    } else {
        (None, None)
    };
    let written = super::memo::set_value(front, course, lab, key, value, secret, keyring.as_ref())?;
    Ok(Noted {
        lab,
        secret,
        written,
        identity,
    })
}

// ---------------------------------------------------------------------------------------
// The note menu of a step (`walk`'s `m`; the web page's note forms, in the same order).

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

/// What the menu needs to know of one wanted value (see `menu_values`).
#[derive(Debug, Clone)]
pub struct MenuValue {
    pub key: String,
    /// The lab it is noted in ([`home_lab`]).
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
/// then the values of the course still wanted ([`still_wanted`]) — those the lab asks for
/// or uses first, each group in the course's reading order. A value is offered once (by its
/// memo key).
fn offers(values: &[MenuValue], memo_block: &[Slot], k: usize) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    let mut push = |o: Offer| {
        let n = crate::names::normalize_key(&o.key);
        if !out.iter().any(|x| crate::names::normalize_key(&x.key) == n) {
            out.push(o);
        }
    };
    let of = |c: &MenuValue, tier| Offer {
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
    let mut rest: Vec<&MenuValue> = values.iter().filter(|c| !c.noted).collect();
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
fn asked_at(lab: &Lab, step: Option<usize>, i: usize) -> bool {
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

/// The course's values as the menu of step `at` sees them.
fn menu_values(course: &Course, values: &[Wanted], at: StepAt) -> Vec<MenuValue> {
    let (k, i) = (at.lab, at.step);
    let lab = &course.labs[k].lab;
    let homes = Homes::of(course);
    values
        .iter()
        .map(|w| MenuValue {
            key: w.key.clone(),
            home: homes.lab(&w.key, Some(k), || asked_in(w)),
            asked_here: asked_here(w, lab, k, i),
            concerns_lab: w.concerns(k),
            noted: w.noted,
            secret: w.secret,
        })
        .collect()
}

/// The note menu of a step: the values as it sees them and the offers in order.
pub struct Menu {
    pub values: Vec<MenuValue>,
    pub offers: Vec<Offer>,
}

/// The note menu of step `at` (`offers` of `menu_values` and the lab's memo block).
pub fn menu(course: &Course, cfg: &CourseConfig, records: &[Record], at: StepAt) -> Menu {
    let values = wanted::values(course, cfg);
    let lab = &course.labs[at.lab].lab;
    let cands = menu_values(course, &values, at);
    // An entry labnote added and the student emptied is offered nowhere (see
    // `emptied_addition`); a name typed for it still finds it.
    let shown: Vec<MenuValue> = cands
        .iter()
        .zip(&values)
        .filter(|(_, w)| !emptied_addition(course, records, w))
        .map(|(c, _)| c.clone())
        .collect();
    let slots = memo_slots(cfg, lab, records);
    let offers = offers(&shown, &slots, at.lab);
    Menu {
        values: cands,
        offers,
    }
}

/// The value a typed name means (any written form: `<<메모한 Cluster URL>>`), else a new
/// entry of lab `k` under that name.
pub fn named(course: &Course, cfg: &CourseConfig, k: usize, m: &Menu, name: &str) -> Offer {
    let key = wanted::key_for(course, cfg, name);
    let n = crate::names::normalize_key(&key);
    if let Some(o) = m
        .offers
        .iter()
        .find(|o| crate::names::normalize_key(&o.key) == n)
    {
        return o.clone();
    }
    let known = m
        .values
        .iter()
        .find(|c| crate::names::normalize_key(&c.key) == n);
    Offer {
        lab: known
            .and_then(|c| c.home)
            .unwrap_or_else(|| lab_for_key(course, cfg, &key, k)),
        secret: known.is_some_and(|c| c.secret) || super::memo::is_secret(cfg, &key, ""),
        noted: known.is_some_and(|c| c.noted),
        tier: Tier::Course,
        key,
    }
}

/// What step `at` announces it asks to note: where the course asks, the values (each with
/// whether it is noted), and the steps that use them.
pub struct Announce {
    pub at: At,
    pub names: Vec<(String, bool)>,
    pub uses: Vec<At>,
}

/// The [`Announce`] of step `at`, if it asks to note anything.
pub fn announce(course: &Course, cfg: &CourseConfig, at: StepAt) -> Option<Announce> {
    let values = wanted::values(course, cfg);
    let (k, i) = (at.lab, at.step);
    let lab = &course.labs[k].lab;
    let here: Vec<&Wanted> = values.iter().filter(|w| asked_here(w, lab, k, i)).collect();
    let Some(Some(NoteRef::Prose { at, .. })) = here.first().map(|w| &w.asked) else {
        return None;
    };
    let names = here.iter().map(|w| (w.key.clone(), w.noted)).collect();
    let mut uses: Vec<At> = Vec::new();
    for u in here.iter().flat_map(|w| &w.used_in) {
        if !uses.contains(u) {
            uses.push(*u);
        }
    }
    Some(Announce {
        at: *at,
        names,
        uses,
    })
}

/// The entries of `lab`'s memo blocks as the menu offers them.
fn memo_slots(cfg: &CourseConfig, lab: &Lab, records: &[Record]) -> Vec<Slot> {
    lab.memo_entries()
        .filter(|e| !(e.value.is_empty() && super::memo::added_in(records, &lab.id, &e.key)))
        .map(|e| Slot {
            key: e.key.clone(),
            noted: !e.value.is_empty(),
            secret: super::memo::is_secret(cfg, &e.key, &e.value),
        })
        .collect()
}

/// Note `value` as offer `o` says (walk's `m` and the page's note forms): in `o`'s lab,
/// under its key, encrypted when secret, an identity made first for a secret when none
/// exists ([`note_at`]).
pub fn note_offer(
    front: &dyn Front,
    course: &Course,
    o: &Offer,
    value: &SecretString,
) -> Result<Noted, AppError> {
    note_at(front, course, o.lab, &o.key, value, o.secret, true)
}

// ---------------------------------------------------------------------------------------
// The note form at each note point of a lab (the web page's), in the menu's order.

/// One offer of a note point's form: the [`Offer`], the name later labs use for the value
/// (its first placeholder's text, else its key) and the steps that use it.
#[derive(Debug, Clone)]
pub struct PointOffer {
    pub offer: Offer,
    pub name: String,
    pub uses: Vec<At>,
}

/// What note point `point` of a lab offers, in the order of walk's `m` ([`offers`]): the
/// values that point asks for ([`Tier::Step`]: the values of the course linked to it, as
/// a run's offer finds them, else the names it gives), then the lab's memo entries
/// ([`Tier::Lab`]); a name typed instead is looked up by [`named`] on `menu`.
pub struct PointMenu {
    /// Its index in the lab's note points.
    pub point: usize,
    pub step: Option<usize>,
    /// The names of the values it asks for (of [`Tier::Step`]).
    pub names: Vec<String>,
    pub offers: Vec<PointOffer>,
    /// The menu a typed name is looked up in ([`named`]).
    pub menu: Menu,
}

/// The [`PointMenu`] of every note point of lab `k`, in the order of its note points (the
/// course's values read once).
pub fn point_menus(
    course: &Course,
    cfg: &CourseConfig,
    records: &[Record],
    k: usize,
) -> Vec<PointMenu> {
    let lab = &course.labs[k].lab;
    if lab.note_points.is_empty() {
        return Vec::new();
    }
    let values = wanted::values(course, cfg);
    let homes = Homes::of(course);
    let slots = memo_slots(cfg, lab, records);
    let by_key = |key: &str| {
        let n = crate::names::normalize_key(key);
        values
            .iter()
            .find(|w| crate::names::normalize_key(&w.key) == n)
    };
    lab.note_points
        .iter()
        .enumerate()
        .map(|(point, np)| {
            let asks = |w: &Wanted| links(w, k, np) || np.names.iter().any(|n| names_it(w, n));
            let mut cands: Vec<MenuValue> = values
                .iter()
                .filter(|w| !emptied_addition(course, records, w))
                .map(|w| MenuValue {
                    key: w.key.clone(),
                    home: homes.lab(&w.key, Some(k), || asked_in(w)),
                    asked_here: asks(w),
                    concerns_lab: w.concerns(k),
                    noted: w.noted,
                    secret: w.secret,
                })
                .collect();
            if !values.iter().any(asks) {
                // Names of no value of the course: each a value of its own, asked here.
                for name in &np.names {
                    let a = asked_by_name(course, cfg, name);
                    cands.push(MenuValue {
                        home: homes.lab(&a.key, Some(k), || None),
                        key: a.key,
                        asked_here: true,
                        concerns_lab: true,
                        noted: false,
                        secret: a.secret,
                    });
                }
            }
            let offers: Vec<PointOffer> = offers(&cands, &slots, k)
                .into_iter()
                .filter(|o| o.tier != Tier::Course)
                .map(|o| {
                    let w = by_key(&o.key);
                    PointOffer {
                        name: w
                            .and_then(|w| w.names.first().cloned())
                            .unwrap_or_else(|| o.key.trim().to_string()),
                        uses: w.map(|w| w.used_in.clone()).unwrap_or_default(),
                        offer: o,
                    }
                })
                .collect();
            let names = offers
                .iter()
                .filter(|o| o.offer.tier == Tier::Step)
                .map(|o| o.name.clone())
                .collect();
            PointMenu {
                point,
                step: np.step,
                names,
                menu: Menu {
                    values: cands,
                    offers: offers.iter().map(|o| o.offer.clone()).collect(),
                },
                offers,
            }
        })
        .collect()
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
        let none = |_: usize| false;
        assert_eq!(id(offered_steps(&lab, at("9-2"), none)), ["9-2", "9-3"]);
        assert_eq!(
            id(offered_steps(&lab, at("9"), none)),
            ["9", "9-1", "9-2", "9-3", "10"]
        );
        assert_eq!(id(offered_steps(&lab, at("10"), none)), ["10"]);
        // Issue 20, case 3: a next step with commands of its own asks when it runs.
        let nine_three = at("9-3");
        assert_eq!(
            id(offered_steps(&lab, at("9-2"), |j| j == nine_three)),
            ["9-2"]
        );
    }

    fn cand(key: &str, asked_here: bool, concerns: bool, noted: bool) -> MenuValue {
        MenuValue {
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
