//! Values from their source (`labnote fetch`, `walk`'s `m`, the page's note forms): which
//! source gives a wanted value, the selection rule, the note with its provenance.
//!
//! - **Which source:** `course.yaml`'s `sources:` names one for a value explicitly; else the
//!   value's words (its names, the phrases that ask for it) name its kind
//!   ([`crate::source_kind::kinds_of`]), and only a loose name ("server url") takes its step
//!   heading's words too. Two kinds named is no choice: the value is [`ReadOutcome::Unsure`] and
//!   both are listed, never one guessed.
//! - **The selection rule** (Terraform's data sources, friendlier): one match is noted;
//!   several are [`ReadOutcome::Choose`] with what tells them apart; values numbered `… 1`,
//!   `… 2` of one kind take the candidates in their stable order when there are exactly as
//!   many ([`ReadOutcome::Numbered`]); none says what to create first ([`ReadOutcome::Missing`]).
//! - **Provenance:** a value noted from a source gets a `fetched` journal record (source,
//!   region, resource id; the record's time) — never the value of a secret, and no source
//!   gives one.

use std::collections::BTreeMap;

use secrecy::SecretString;

use super::notes::{self, Noted};
pub use super::provenance::{provenance, said_from, Provenance};
use super::{AppError, Front};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::iam::AwsOptions;
use crate::journal::{Event, Record};
use crate::names;
use crate::source_kind;
pub use crate::source_kind::SourceKind;
use crate::sources::{Hint, Readers};
pub use crate::sources::{SourceOptions, SourceValue};
use crate::wanted::{self, NoteRef, Wanted};

/// How the source of a value was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceChoice {
    /// One kind: named by `course.yaml` (`explicit`) or by the value's words.
    Kind { kind: SourceKind, explicit: bool },
    /// The words name two kinds or more: the author names one in `course.yaml`.
    Unsure(Vec<SourceKind>),
    /// No source gives it (typed by the student, a secret, a name that says too little).
    None,
}

/// What a source gave for a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOutcome {
    /// Exactly one match: noted on confirmation.
    One(SourceValue),
    /// Value `index` of a numbered set with exactly as many candidates: the candidate in
    /// that place of the stable order.
    Numbered { index: u32, pick: SourceValue },
    /// Several matches: the student picks one.
    Choose(Vec<SourceValue>),
    /// Nothing found: what to create first, and where.
    Missing(String),
    /// The source could not be read: one line, with the fix.
    Failed(String),
    /// The words name several kinds (listed).
    Unsure(Vec<SourceKind>),
}

impl ReadOutcome {
    /// The candidate noted without asking (`--yes`): one match, or a place of a complete
    /// numbered set.
    pub fn sure(&self) -> Option<&SourceValue> {
        match self {
            ReadOutcome::One(c) | ReadOutcome::Numbered { pick: c, .. } => Some(c),
            _ => None,
        }
    }

    /// Every candidate shown.
    pub fn candidates(&self) -> &[SourceValue] {
        match self {
            ReadOutcome::One(c) | ReadOutcome::Numbered { pick: c, .. } => std::slice::from_ref(c),
            ReadOutcome::Choose(cs) => cs,
            _ => &[],
        }
    }
}

/// A wanted value and what its source gave.
#[derive(Debug, Clone)]
pub struct ValueFound {
    /// The memo key it is noted under, and the lab ([`notes::lab_of`]).
    pub key: String,
    pub lab: usize,
    /// Its first name as the course writes it (for display).
    pub name: String,
    pub kind: Option<SourceKind>,
    pub outcome: ReadOutcome,
    /// Whether a value is noted for it already.
    pub noted: bool,
}

/// The source of value `w` (see the module's rule).
pub fn choice_of(course: &Course, cfg: &CourseConfig, w: &Wanted) -> SourceChoice {
    if let Some(kind) = explicit(cfg, w) {
        return SourceChoice::Kind {
            kind,
            explicit: true,
        };
    }
    let words: Vec<&str> = w
        .names
        .iter()
        .chain(&w.said)
        .chain(std::iter::once(&w.key))
        .map(String::as_str)
        .collect();
    let mut kinds = source_kind::kinds_of(&words);
    if kinds.is_empty() {
        if let Some(title) = asked_step_title(course, w) {
            for n in &words {
                for k in source_kind::kinds_in_context(n, &title) {
                    if !kinds.contains(&k) {
                        kinds.push(k);
                    }
                }
            }
            kinds.sort();
        }
    }
    match kinds.len() {
        0 => SourceChoice::None,
        1 => SourceChoice::Kind {
            kind: kinds[0],
            explicit: false,
        },
        _ => SourceChoice::Unsure(kinds),
    }
}

/// The kind `course.yaml`'s `sources:` names for `w` (by any of its names or its key).
fn explicit(cfg: &CourseConfig, w: &Wanted) -> Option<SourceKind> {
    cfg.sources.iter().find_map(|(name, kind)| {
        let n = names::normalize_key(names::bare(name));
        let hit = std::iter::once(&w.key)
            .chain(&w.names)
            .any(|m| names::normalize_key(names::bare(m)) == n);
        hit.then_some(kind.0)
    })
}

/// The title of the step that asks for `w`.
fn asked_step_title(course: &Course, w: &Wanted) -> Option<String> {
    match w.asked.as_ref().or(w.note_point.as_ref())? {
        NoteRef::Prose { at, .. } => {
            let lab = &course.labs[at.lab].lab;
            at.step.map(|i| lab.steps[i].title.clone())
        }
        NoteRef::Memo { .. } => None,
    }
}

/// What the labs say around `w` that narrows a read: domains and repository names written
/// in code spans of the step that asks for it and of the first step that uses it.
fn hint_of(course: &Course, w: &Wanted) -> Hint {
    let mut steps = Vec::new();
    if let Some(NoteRef::Prose { at, .. }) = w.asked.as_ref().or(w.note_point.as_ref()) {
        if let Some(i) = at.step {
            steps.push((at.lab, i));
        }
    }
    if let Some(u) = w.used_in.first() {
        if let Some(i) = u.step {
            steps.push((u.lab, i));
        }
    }
    let mut hint = Hint::default();
    for (k, i) in steps {
        let body = super::step::step_body(&course.labs[k].lab, i);
        for code in code_spans(body) {
            if is_domain(code) && !hint.domains.iter().any(|d| d == code) {
                hint.domains.push(code.to_string());
            } else if crate::sources::is_repo_name(code)
                && (code.contains('_') || code.contains('-'))
                && !hint.repositories.iter().any(|r| r == code)
                && hint.repositories.len() < 10
            {
                hint.repositories.push(code.to_string());
            }
        }
    }
    hint
}

/// The text of the inline code spans of some markdown (single backticks).
fn code_spans(md: &str) -> impl Iterator<Item = &str> {
    md.split('`')
        .enumerate()
        .filter(|(i, s)| i % 2 == 1 && !s.is_empty() && !s.contains('\n'))
        .map(|(_, s)| s.trim())
}

/// `example.com`, `*.my-domain.co.kr`: labels of letters, digits and `-`, a last label of
/// letters that is no file extension.
fn is_domain(s: &str) -> bool {
    let s = s.strip_prefix("*.").unwrap_or(s);
    let labels: Vec<&str> = s.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && ![
            "md", "yaml", "yml", "json", "txt", "sh", "py", "png", "jpg", "csv", "pem", "key",
            "tf", "io",
        ]
        .contains(&tld.to_ascii_lowercase().as_str())
}

/// What [`AppError::NoSuchValue`] says: the close values, or that none is.
pub fn unknown_value_message(name: &str, close: &[String]) -> String {
    if close.is_empty() {
        crate::t!("fetch-unknown-name-none", name = name)
    } else {
        let close: Vec<String> = close.iter().map(|c| format!("'{c}'")).collect();
        crate::t!("fetch-unknown-name", name = name, close = close.join(", "))
    }
}

/// The values `fetch` reads: the values of lab `lab` (asked for or used there; the whole
/// course when `None`) that are still wanted, or the ones `names` name (noted or not).
pub fn selected(
    front: &dyn Front,
    course: &Course,
    cfg: &CourseConfig,
    lab: Option<usize>,
    wanted_names: &[String],
) -> Result<Vec<Wanted>, AppError> {
    let records = super::load_journal(front)?;
    let values = wanted::values(course, cfg);
    if !wanted_names.is_empty() {
        let mut out: Vec<Wanted> = Vec::new();
        for n in wanted_names {
            let key = wanted::lookup(course, cfg, n).map_err(|close| AppError::NoSuchValue {
                name: n.clone(),
                close,
            })?;
            let nk = names::normalize_key(&key);
            if let Some(w) = values.iter().find(|w| names::normalize_key(&w.key) == nk) {
                if !out.iter().any(|o| o.key == w.key) {
                    out.push(w.clone());
                }
            }
        }
        return Ok(out);
    }
    Ok(values
        .into_iter()
        .filter(|w| lab.is_none_or(|k| w.concerns(k)))
        .filter(|w| notes::still_wanted(course, &records, w))
        .collect())
}

/// Read the sources of `values` and apply the selection rule. Nothing is written.
pub fn read(
    course: &Course,
    cfg: &CourseConfig,
    values: &[Wanted],
    opts: SourceOptions,
) -> Vec<ValueFound> {
    let mut readers = Readers::new(opts);
    let mut out: Vec<ValueFound> = Vec::new();
    let mut candidates: Vec<Option<Vec<SourceValue>>> = Vec::new();
    for w in values {
        let lab = notes::lab_of(course, w, None).unwrap_or(0);
        let name = w.names.first().cloned().unwrap_or_else(|| w.key.clone());
        let (kind, outcome, cands) = match choice_of(course, cfg, w) {
            SourceChoice::None => continue,
            SourceChoice::Unsure(kinds) => (None, ReadOutcome::Unsure(kinds), None),
            SourceChoice::Kind { kind, .. } => match readers.read(kind, &hint_of(course, w)) {
                Err(e) => (Some(kind), ReadOutcome::Failed(e.to_string()), None),
                Ok(cs) if cs.is_empty() => (
                    Some(kind),
                    ReadOutcome::Missing(crate::sources::missing_message(
                        kind,
                        readers.region().as_deref(),
                    )),
                    None,
                ),
                Ok(cs) if cs.len() == 1 => (Some(kind), ReadOutcome::One(cs[0].clone()), Some(cs)),
                Ok(cs) => (Some(kind), ReadOutcome::Choose(cs.clone()), Some(cs)),
            },
        };
        candidates.push(cands);
        out.push(ValueFound {
            key: w.key.clone(),
            lab,
            name,
            kind,
            outcome,
            noted: w.noted,
        });
    }
    number_sets(&mut out, values, &candidates);
    out
}

/// Values numbered `… 1`, `… 2` of one kind take the candidates in the stable order when
/// there are exactly as many candidates as numbers (1 to n, each once).
fn number_sets(
    found: &mut [ValueFound],
    values: &[Wanted],
    candidates: &[Option<Vec<SourceValue>>],
) {
    let index_of = |f: &ValueFound| {
        values.iter().find(|w| w.key == f.key).and_then(|w| {
            std::iter::once(&w.key)
                .chain(&w.names)
                .find_map(|n| source_kind::index_of(n))
        })
    };
    let mut sets: BTreeMap<SourceKind, Vec<(usize, u32)>> = BTreeMap::new();
    for (i, f) in found.iter().enumerate() {
        if let (Some(kind), Some(n)) = (f.kind, index_of(f)) {
            if candidates[i].is_some() {
                sets.entry(kind).or_default().push((i, n));
            }
        }
    }
    for (_, mut set) in sets {
        if set.len() < 2 {
            continue;
        }
        set.sort_by_key(|&(_, n)| n);
        let cands = candidates[set[0].0].clone().unwrap_or_default();
        let complete = set
            .iter()
            .enumerate()
            .all(|(p, &(_, n))| n as usize == p + 1);
        if complete && cands.len() == set.len() {
            for (p, &(i, n)) in set.iter().enumerate() {
                found[i].outcome = ReadOutcome::Numbered {
                    index: n,
                    pick: cands[p].clone(),
                };
            }
        } else if cands.len() > 1 {
            // One match alone is no proof of which number it is: the student picks.
            for &(i, _) in &set {
                found[i].outcome = ReadOutcome::Choose(cands.clone());
            }
        }
    }
}

/// Where the readers read for this course: the course's noted access key (as
/// `credential-process` gives it), else the environment's; the region from `course.yaml`,
/// else the profile's; the kubeconfig `kubectl` reads; the course's work folder; the GitHub
/// API of `GITHUB_API_URL` with the noted GitHub token, when a GitHub value is read.
pub fn options(
    front: &dyn Front,
    course: &Course,
    cfg: &CourseConfig,
    mut aws: AwsOptions,
    needs_github: bool,
) -> SourceOptions {
    if aws.credentials.is_none() && aws.profile.is_none() {
        match super::keys::key_pair(front, course, None) {
            Ok(pair) => aws.credentials = Some(pair),
            // No key noted in the course: the environment's credentials.
            Err(AppError::NoKeyInCourse | AppError::NoKeyNoted { .. }) => {}
            // A noted key that cannot be read (no identity, a refused one): said, then the
            // environment's credentials.
            Err(e) => front.warn(&e.to_string()),
        }
    }
    if aws.region.is_none() {
        aws.region = cfg.region.clone();
    }
    // The course's work folder, else Cloud9's `~/environment`, else the home folder.
    let workdir = cfg
        .workdir
        .as_deref()
        .map(|w| super::run::expand(w, front.course_dir()))
        .or_else(|| {
            let home = std::path::PathBuf::from(std::env::var_os("HOME")?);
            let env = home.join("environment");
            Some(if env.is_dir() { env } else { home })
        });
    let github_token = if needs_github {
        github_token(front, course, cfg)
    } else {
        None
    };
    SourceOptions {
        aws,
        kubeconfig: crate::sources::default_kubeconfig(),
        workdir,
        github_api: std::env::var("GITHUB_API_URL").unwrap_or_default(),
        github_token,
    }
}

/// The noted GitHub token (the value the course names as one), decrypted.
fn github_token(front: &dyn Front, course: &Course, cfg: &CourseConfig) -> Option<SecretString> {
    wanted::values(course, cfg)
        .iter()
        .filter(|w| w.noted)
        .find(|w| {
            std::iter::once(&w.key).chain(&w.names).any(|n| {
                names::concept_of(&names::strip_qualifiers(n)) == Some(names::Concept::GithubToken)
            })
        })
        .and_then(|w| super::memo::get(front, course, &w.key, None).ok())
        .map(|g| g.value)
}

/// Whether reading `found`'s kinds needs the GitHub token.
pub fn needs_github(course: &Course, cfg: &CourseConfig, values: &[Wanted]) -> bool {
    values.iter().any(|w| {
        matches!(
            choice_of(course, cfg, w),
            SourceChoice::Kind {
                kind: SourceKind::GithubLogin | SourceKind::GithubRepoUrl | SourceKind::GitRemote,
                ..
            }
        )
    })
}

/// Note `pick` for `found` (in its lab, as `memo set` would), with its provenance.
pub fn note(
    front: &dyn Front,
    course: &Course,
    found: &ValueFound,
    pick: &SourceValue,
) -> Result<Noted, AppError> {
    let value = SecretString::from(pick.value.clone());
    let noted = notes::note_at(front, course, found.lab, &found.key, &value, false, true)?;
    let mut r = Record::new(&course.labs[noted.lab].lab.id, Event::Fetched)
        .detail("key", found.key.as_str())
        .detail("source", pick.service)
        .detail("resource", pick.resource.as_str());
    if let Some(region) = &pick.region {
        r = r.detail("region", region.as_str());
    }
    super::append(front, &[r])?;
    Ok(noted)
}

/// What the source of the value stored under `key` gives now (`walk`'s `m` and the page's
/// note form offer it first); `None` when the value has no source. Reads with the course's
/// own settings ([`options`]).
pub fn found_for(
    front: &dyn Front,
    course: &Course,
    key: &str,
) -> Result<Option<ValueFound>, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    // Any name of the value finds it (`메모한 Public IP` is the value stored as `Public IP`).
    let values = wanted::values(course, &cfg);
    let Some(w) = wanted::value_named(&values, &cfg, key).cloned() else {
        return Ok(None);
    };
    if choice_of(course, &cfg, &w) == SourceChoice::None {
        return Ok(None);
    }
    let values = [w];
    let opts = options(
        front,
        course,
        &cfg,
        AwsOptions::default(),
        needs_github(course, &cfg, &values),
    );
    Ok(read(course, &cfg, &values, opts).pop())
}

/// The values of the course that have a source, by memo key (normalised), with the kind: one
/// pass over the course (a page marks every note form's offers with it; no source is read).
pub fn sourced(course: &Course, cfg: &CourseConfig) -> Sourced {
    Sourced(
        wanted::values(course, cfg)
            .iter()
            .filter_map(|w| match choice_of(course, cfg, w) {
                SourceChoice::Kind { kind, .. } => Some((names::normalize_key(&w.key), kind)),
                _ => None,
            })
            .collect(),
    )
}

/// The values of a course that have a source ([`sourced`]).
pub struct Sourced(Vec<(String, SourceKind)>);

impl Sourced {
    /// The kind of the value stored under `key` (any written form of the key).
    pub fn kind_of(&self, key: &str) -> Option<SourceKind> {
        let nk = names::normalize_key(key);
        self.0.iter().find(|(k, _)| *k == nk).map(|(_, kind)| *kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_code_spans() {
        assert!(is_domain("example.com"));
        assert!(is_domain("*.my-domain.co.kr"));
        assert!(!is_domain("lab1.md"));
        assert!(!is_domain("10.0.0.1"));
        assert!(!is_domain("gitops_pac"));
        let spans: Vec<&str> = code_spans("a `gitops_pac` b `x.com` c").collect();
        assert_eq!(spans, vec!["gitops_pac", "x.com"]);
    }
}
