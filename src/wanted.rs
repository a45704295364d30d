//! Wanted values: every value the course needs, the placeholder texts that mean it, where it
//! is used and where the course asks the student to note it.
//!
//! A value is a group of placeholders that mean the same thing (`<<나의도메인>>` and
//! `<<YOUR_DOMAIN>>`; `<<발급받은 Access Key>>` and the memo key `AWS Access Key ID`): the same
//! memo key, a `course.yaml` alias, a known concept of [`crate::resolve`], or equal
//! [`names::normalize`] forms. Each memo entry is a value of its own lab's memo block. A value
//! that is no memo entry is linked to the note point that asks for it: the earlier note point
//! whose phrase is most similar to the value's names (at least half of their tokens shared,
//! see [`names::similarity`]), ties to the one whose step title covers more of the name, then
//! to the nearest; a generic note point ("출력된 결과를 메모합니다") takes the first value the
//! course uses after it that has none yet. A note point naming a value no placeholder uses is
//! a value too, so that everything the course asks for is listed.
//!
//! Pure over the course model.

use crate::config::CourseConfig;
use crate::course::Course;
use crate::lab::PlaceholderContext;
use crate::memo;
use crate::names;
use crate::notepoint::{Kind, NotePoint};
use crate::resolve::{self, Resolver, Source};

/// A step of a lab of the course: lab index, step index (`None`: before the first step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub lab: usize,
    pub step: Option<usize>,
}

/// Where the course asks for a value.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteRef {
    /// A sentence or heading: the step and the text.
    Prose { at: At, text: String },
    /// An entry of the lab's memo block.
    Memo { lab: usize },
}

/// One value the course needs.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// Every placeholder text meaning it, as written (trimmed), in reading order; the memo key
    /// or the note point's name when no placeholder uses it.
    pub names: Vec<String>,
    /// The memo key it is or will be stored under.
    pub key: String,
    /// The steps that use it (distinct, in reading order).
    pub used_in: Vec<At>,
    pub note_point: Option<NoteRef>,
    pub secret: bool,
    /// Whether a value is noted already (some placeholder of it resolves to a memo value).
    pub noted: bool,
    /// Position of the first use or mention: (lab, byte), for order.
    first: (usize, usize),
    /// Position of the first placeholder meaning it: a note point must come before it.
    first_use: Option<(usize, usize)>,
    /// A memo entry of the course.
    memo: bool,
}

/// Every value of the course, in reading order of first use or mention.
pub fn values(course: &Course, cfg: &CourseConfig) -> Vec<Wanted> {
    let mut groups = memo_groups(course);
    add_placeholders(course, cfg, &mut groups);
    let points = prose_points(course);
    let consumed = link_note_points(&mut groups, &points);
    add_unused_note_points(&mut groups, &points, &consumed, cfg);
    link_generic(&mut groups, &points);
    let resolver = Resolver::new(course, cfg, &[], Resolver::local_today());
    for g in &mut groups {
        finish(g, &resolver, cfg);
    }
    groups.sort_by_key(|g| g.first);
    groups
}

/// The memo key a written name is (or will be) stored under: the key of the value it means
/// (`메모한 Cluster URL`, `Cluster URL` and `<<메모한 Cluster URL>>` all give one key), else
/// the name as a key ([`names::key_form`]).
pub fn key_for(course: &Course, cfg: &CourseConfig, name: &str) -> String {
    if let Some(target) = alias_of(cfg, name) {
        return target;
    }
    values(course, cfg)
        .into_iter()
        .find(|g| {
            std::iter::once(&g.key)
                .chain(&g.names)
                .any(|n| same_value(name, n))
        })
        .map_or_else(|| names::key_form(name), |g| g.key)
}

/// The memo keys of the course that name the same value as `name` by [`names::normalize`]
/// (`YOUR_DOMAIN` for `<<나의도메인>>`), for placeholder resolution after its exact rules.
pub fn keys_meaning(course: &Course, name: &str) -> Vec<String> {
    let want = names::normalize(name);
    let mut out: Vec<String> = Vec::new();
    for cl in &course.labs {
        for e in cl.lab.memo_entries() {
            if names::normalize(&e.key) == want && !out.contains(&e.key) {
                out.push(e.key.clone());
            }
        }
    }
    out
}

/// Whether two written names mean the same value.
pub fn same_value(a: &str, b: &str) -> bool {
    let (ka, kb) = (memo::normalize_key(a), memo::normalize_key(b));
    ka == kb
        || memo::normalize_key(&names::display(a)) == memo::normalize_key(&names::display(b))
        || resolve::same_concept(a, b)
        || names::normalize(a) == names::normalize(b)
}

fn alias_of(cfg: &CourseConfig, name: &str) -> Option<String> {
    let n = memo::normalize_key(name);
    let d = memo::normalize_key(&names::display(name));
    cfg.aliases
        .iter()
        .find(|(k, _)| {
            let k = memo::normalize_key(k);
            k == n || k == d
        })
        .map(|(_, v)| v.clone())
}

fn memo_groups(course: &Course) -> Vec<Wanted> {
    let mut groups: Vec<Wanted> = Vec::new();
    for (li, cl) in course.labs.iter().enumerate() {
        for e in cl.lab.memo_entries() {
            let key = memo::normalize_key(&e.key);
            if groups.iter().any(|g| memo::normalize_key(&g.key) == key) {
                continue;
            }
            groups.push(Wanted {
                names: Vec::new(),
                key: e.key.clone(),
                used_in: Vec::new(),
                note_point: Some(NoteRef::Memo { lab: li }),
                secret: false,
                noted: false,
                first: (li, e.line_span.start),
                first_use: None,
                memo: true,
            });
        }
    }
    groups
}

/// Group every placeholder of the course (built-ins left out) with the value it means.
fn add_placeholders(course: &Course, cfg: &CourseConfig, groups: &mut Vec<Wanted>) {
    let builtin = Resolver::new(course, cfg, &[], Resolver::local_today());
    for (li, cl) in course.labs.iter().enumerate() {
        for p in &cl.lab.placeholders {
            if p.context == PlaceholderContext::Memo {
                continue;
            }
            if matches!(
                builtin.resolve(&p.name).source,
                Some(Source::Builtin { .. })
            ) {
                continue;
            }
            let target = alias_of(cfg, &p.name);
            let found = groups.iter().position(|g| {
                target.as_ref().is_some_and(|t| same_value(t, &g.key))
                    || std::iter::once(&g.key)
                        .chain(&g.names)
                        .any(|n| same_value(&p.name, n))
            });
            let i = found.unwrap_or_else(|| {
                groups.push(Wanted {
                    names: Vec::new(),
                    key: target.clone().unwrap_or_else(|| names::key_form(&p.name)),
                    used_in: Vec::new(),
                    note_point: None,
                    secret: false,
                    noted: false,
                    first: (li, p.span.start),
                    first_use: None,
                    memo: false,
                });
                groups.len() - 1
            });
            let g = &mut groups[i];
            let name = p.name.trim().to_string();
            if !g.names.contains(&name) {
                g.names.push(name);
            }
            if !g.memo {
                g.first = g.first.min((li, p.span.start));
            }
            let here = (li, p.span.start);
            g.first_use = Some(g.first_use.map_or(here, |f| f.min(here)));
            // A placeholder in the sentence that asks for the value names its slot; it is
            // no use of it.
            let in_note = cl
                .lab
                .note_points
                .iter()
                .any(|n| n.kind == Kind::Sentence && n.span.contains(&p.span.start));
            let at = At {
                lab: li,
                step: p.step,
            };
            if !in_note && !g.used_in.contains(&at) {
                g.used_in.push(at);
            }
        }
    }
}

/// The note points of the course in prose (sentences and headings), with their lab.
fn prose_points(course: &Course) -> Vec<(usize, &NotePoint)> {
    course
        .labs
        .iter()
        .enumerate()
        .flat_map(|(li, cl)| cl.lab.note_points.iter().map(move |n| (li, n)))
        .filter(|(_, n)| n.kind != Kind::Memo)
        .collect()
}

/// A candidate note point for a value: similarity, coverage by the step's words, position.
#[derive(Debug, Clone, Copy)]
struct Fit {
    group: usize,
    point: usize,
    name: usize,
    /// Share of the value's words the note point's name says.
    own: f64,
    sim: f64,
    /// The same with the step title's words.
    cover: f64,
}

/// Link each value that is no memo entry to its best earlier note point (a memo entry keeps
/// its memo block, but takes the sentences that ask for it, so they are no values of their
/// own). Each name of a note
/// point goes to the values it fits best: pairs are taken best first, and a name already
/// taken by a better-fitting value is not given to a worse one ("Bastion 아이피" is for
/// `<<Bastion IP>>`, not for `<<생성된 IP>>` too). Returns the (note point, name) pairs that
/// found their value.
fn link_note_points(groups: &mut [Wanted], points: &[(usize, &NotePoint)]) -> Vec<(usize, usize)> {
    let mut consumed: Vec<(usize, usize)> = Vec::new();
    let mut fits: Vec<Fit> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let mine: Vec<Vec<String>> = std::iter::once(&g.key)
            .chain(&g.names)
            .map(|n| names::tokens(n))
            .collect();
        for (pi, (li, np)) in points.iter().enumerate() {
            for (ni, n) in np.names.iter().enumerate() {
                if g.memo && same_value(&g.key, n) {
                    // A sentence asking for a memo entry (`<<github_token>>`에 메모한다).
                    consumed.push((pi, ni));
                    continue;
                }
                if g.first_use.is_none_or(|f| (*li, np.span.start) > f) {
                    continue;
                }
                if let Some(f) = fit(gi, &mine, (pi, np), ni) {
                    fits.push(f);
                }
            }
        }
    }
    fits.sort_by(|a, b| {
        if better(a, b) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
    // The best similarity each (note point, name) was given at.
    let mut taken: Vec<((usize, usize), f64)> = Vec::new();
    let mut linked = vec![false; groups.len()];
    for f in fits {
        if linked[f.group] {
            continue;
        }
        let key = (f.point, f.name);
        if taken.iter().any(|(k, s)| *k == key && *s > f.sim + 1e-9) {
            continue;
        }
        linked[f.group] = true;
        let (li, np) = points[f.point];
        let g = &mut groups[f.group];
        if !g.memo {
            g.note_point = Some(NoteRef::Prose {
                at: At {
                    lab: li,
                    step: np.step,
                },
                text: np.text.clone(),
            });
        }
        taken.push((key, f.sim));
        consumed.push(key);
    }
    consumed
}

/// How well name `ni` of note point `np` fits a value whose names have tokens `mine`.
fn fit(
    group: usize,
    mine: &[Vec<String>],
    (pi, np): (usize, &NotePoint),
    ni: usize,
) -> Option<Fit> {
    let theirs = names::tokens(&np.names[ni]);
    let sim = mine
        .iter()
        .map(|m| names::similarity(m, &theirs))
        .fold(0.0, f64::max);
    if sim < 0.5 {
        return None;
    }
    let own = mine
        .iter()
        .map(|m| coverage(m, &theirs))
        .fold(0.0, f64::max);
    let mut wide = theirs;
    wide.extend(np.context.iter().cloned());
    let cover = mine.iter().map(|m| coverage(m, &wide)).fold(0.0, f64::max);
    Some(Fit {
        group,
        point: pi,
        name: ni,
        own,
        sim,
        cover,
    })
}

/// More of the value's words said by the note point's name ("Argo CD 초기 admin 비밀번호"
/// says all of `admin password`, "Password" half), then the higher similarity (the more
/// specific name), then more of the value's words in the step's title too, then the later
/// (nearer) note point.
fn better(a: &Fit, b: &Fit) -> bool {
    const EPS: f64 = 1e-9;
    if (a.own - b.own).abs() > EPS {
        return a.own > b.own;
    }
    if (a.sim - b.sim).abs() > EPS {
        return a.sim > b.sim;
    }
    if (a.cover - b.cover).abs() > EPS {
        return a.cover > b.cover;
    }
    a.point >= b.point
}

/// Share of `name`'s tokens (index tokens left out) found in `words`.
fn coverage(name: &[String], words: &[String]) -> f64 {
    let n: Vec<&String> = name.iter().filter(|t| !names::is_index(t)).collect();
    if n.is_empty() {
        return 0.0;
    }
    n.iter().filter(|t| words.contains(t)).count() as f64 / n.len() as f64
}

/// A note point naming a value that no placeholder uses is a value of its own.
fn add_unused_note_points(
    groups: &mut Vec<Wanted>,
    points: &[(usize, &NotePoint)],
    consumed: &[(usize, usize)],
    cfg: &CourseConfig,
) {
    for (pi, (li, np)) in points.iter().enumerate() {
        for (ni, n) in np.names.iter().enumerate() {
            if consumed.contains(&(pi, ni)) || is_part_of_fuller(points, pi, n) {
                continue;
            }
            let target = alias_of(cfg, n);
            if groups.iter().any(|g| {
                same_value(n, &g.key)
                    || g.names.iter().any(|x| same_value(n, x))
                    || target.as_ref().is_some_and(|t| same_value(t, &g.key))
            }) {
                continue;
            }
            groups.push(Wanted {
                names: vec![n.clone()],
                key: names::key_form(n),
                used_in: Vec::new(),
                note_point: Some(NoteRef::Prose {
                    at: At {
                        lab: *li,
                        step: np.step,
                    },
                    text: np.text.clone(),
                }),
                secret: false,
                noted: false,
                first: (*li, np.span.start),
                first_use: None,
                memo: false,
            });
        }
    }
}

/// Whether name `n` of note point `pi` is part of a fuller name the same step asks for ("키를
/// 확인하고 메모한 뒤" next to "`<<AWS Access Key ID>>`에 메모한다"): it is the same value said
/// vaguely, not one of its own.
fn is_part_of_fuller(points: &[(usize, &NotePoint)], pi: usize, n: &str) -> bool {
    let (li, np) = points[pi];
    let mine = names::tokens(n);
    points.iter().enumerate().any(|(pj, (lj, other))| {
        pj != pi
            && *lj == li
            && other.step == np.step
            && other.names.iter().any(|m| {
                let theirs = names::tokens(m);
                mine.len() < theirs.len() && mine.iter().all(|t| theirs.contains(t))
            })
    })
}

/// A generic note point asks for the next value the course uses, when that value has no note
/// point yet.
fn link_generic(groups: &mut [Wanted], points: &[(usize, &NotePoint)]) {
    for (li, np) in points.iter().filter(|(_, n)| n.is_generic()) {
        let here = (*li, np.span.start);
        // The next value used after it; a memo entry or a value linked already keeps its own.
        let next = groups
            .iter_mut()
            .filter(|g| g.first_use.is_some_and(|f| f > here))
            .min_by_key(|g| g.first_use);
        if let Some(g) = next.filter(|g| !g.memo && g.note_point.is_none()) {
            g.note_point = Some(NoteRef::Prose {
                at: At {
                    lab: *li,
                    step: np.step,
                },
                text: np.text.clone(),
            });
        }
    }
}

/// Names of a memo entry nobody uses; whether a value is noted; whether it is secret.
fn finish(g: &mut Wanted, resolver: &Resolver, cfg: &CourseConfig) {
    if g.names.is_empty() {
        g.names.push(g.key.clone());
    }
    let mut secret = false;
    let mut noted = false;
    for n in std::iter::once(&g.key).chain(&g.names) {
        let r = resolver.resolve(n);
        noted |= matches!(r.source, Some(Source::Memo { .. }));
        secret |= r.secret || crate::secret::is_secret_key(n) || cfg.marks_secret(n);
    }
    g.noted = noted;
    g.secret = secret;
}

impl Wanted {
    /// Whether the value is asked for or used in lab `lab` (an index of the course).
    pub fn concerns(&self, lab: usize) -> bool {
        self.used_in.iter().any(|u| u.lab == lab)
            || match &self.note_point {
                Some(NoteRef::Prose { at, .. }) => at.lab == lab,
                Some(NoteRef::Memo { lab: l }) => *l == lab,
                None => false,
            }
    }
}
