//! Wanted values: every value the course needs, the placeholder texts that mean it, where it
//! is used and where the course asks the student to note it.
//!
//! A value is a group of placeholders that mean the same thing (`<<나의도메인>>` and
//! `<<YOUR_DOMAIN>>`; `<<발급받은 Access Key>>` and the memo key `AWS Access Key ID`): the same
//! memo key, a `course.yaml` alias, a known concept of [`crate::resolve`], or equal
//! [`names::normalize`] forms. Each memo entry is a value of its own lab's memo block. A value
//! that is no memo entry is linked to the note point that asks for it: the earlier note point
//! whose phrase fits the value's names: at least half of their tokens shared (see
//! [`names::similarity`]), or a word shared and more than half of the value's words said by
//! the phrase with its owner and its step's title ("HTTPS 주소" in step "repository 정보 입력"
//! for `<<자신의 git repository 주소>>`). The best fit says most of the value's words itself,
//! then with its step's title (or the table row the value is later used in: "GIT for PaC"),
//! then is the more similar, then the nearest; a generic note point ("출력된 결과를 메모합니다") takes the first value the
//! course uses after it that has none yet. A note point naming a value no placeholder uses is
//! a value too, so that everything the course asks for is listed.
//!
//! Pure over the course model.

use std::collections::{HashMap, HashSet};

use crate::config::CourseConfig;
use crate::course::Course;
use crate::lab::PlaceholderContext;
/// Whether two written names mean the same value (its home is [`crate::names`]).
use crate::names::{self, NameForms as Forms};
use crate::notepoint::{NotePoint, PointKind};
use crate::resolve::{Resolver, Source};

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
    /// The sentence or heading that asks for it: the prose `note_point`, or for a memo entry
    /// (whose `note_point` is its memo block) the sentence that takes it, once the student
    /// noted it there (`walk` still announces it at that step).
    pub asked: Option<NoteRef>,
    pub secret: bool,
    /// The names the note points linked to it give it ("server url" for `<<메모한 Cluster
    /// URL>>`): the course's words for the same value, so a name given there finds it.
    pub said: Vec<String>,
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
    // One resolver for both passes: what it learns of the course's memo keys is learnt once.
    let resolver = Resolver::new(course, cfg, &[], Resolver::local_today());
    let mut groups = memo_groups(course);
    add_placeholders(course, cfg, &resolver, &mut groups);
    let points = Points::of(course);
    let fields = table_fields(course, &groups);
    let consumed = link_note_points(&mut groups, &points, &fields);
    add_unused_note_points(&mut groups, &points, &consumed, cfg);
    link_generic(&mut groups, &points);
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
    key_among(&values(course, cfg), name)
}

/// [`key_for`] among values already found (`values`'s result), without finding them again.
fn key_among(groups: &[Wanted], name: &str) -> String {
    match Index::of(groups).find(name) {
        Some(gi) => groups[gi].key.clone(),
        None => names::key_form(name),
    }
}

/// The value of `groups` (`values`'s result) that `name` means, by [`key_for`]'s rule.
pub fn value_named<'a>(groups: &'a [Wanted], cfg: &CourseConfig, name: &str) -> Option<&'a Wanted> {
    let key = alias_of(cfg, name).unwrap_or_else(|| key_among(groups, name));
    let nk = names::normalize_key(&key);
    groups.iter().find(|g| names::normalize_key(&g.key) == nk)
}

/// How close a name must be to a value of the course (see [`names::similarity`]) for
/// [`lookup`] to list it.
const CLOSE: f64 = 0.4;

/// The key of the value `name` means ([`key_for`]'s rule), or, when it means none, the
/// keys of the values whose names are close to it, closest first (at most five; empty when
/// none is): "Identifier와 ARN" is no value of a course that asks for "Identifier" and uses
/// `<<메모한 인증서의 ARN>>`, but close to both.
pub fn lookup(course: &Course, cfg: &CourseConfig, name: &str) -> Result<String, Vec<String>> {
    if let Some(target) = alias_of(cfg, name) {
        return Ok(target);
    }
    let groups = values(course, cfg);
    if let Some(gi) = Index::of(&groups).find(name) {
        return Ok(groups[gi].key.clone());
    }
    let mine = names::tokens(name);
    let mut close: Vec<(f64, &str)> = groups
        .iter()
        .filter_map(|g| {
            let best = std::iter::once(&g.key)
                .chain(&g.names)
                .chain(&g.said)
                .map(|n| names::loose_similarity(&mine, &names::tokens(n)))
                .fold(0.0, f64::max);
            (best >= CLOSE).then_some((best, g.key.as_str()))
        })
        .collect();
    close.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    Err(close
        .into_iter()
        .take(5)
        .map(|(_, k)| k.to_string())
        .collect())
}

/// The values by the forms of their names, for finding the value a name means without
/// comparing it with every name of the course. The earliest value wins.
#[derive(Default)]
struct Index {
    key: HashMap<String, usize>,
    display: HashMap<String, usize>,
    norm: HashMap<String, usize>,
    concepts: Vec<(String, usize)>,
}

impl Index {
    fn of(groups: &[Wanted]) -> Index {
        let mut ix = Index::default();
        for (gi, g) in groups.iter().enumerate() {
            for n in std::iter::once(&g.key).chain(&g.names) {
                ix.add(n, gi);
            }
        }
        // The note points' words last: a placeholder's or a memo key's own form wins. A word
        // said for two values ("Allocation ID" for `Allocation ID 1` and `2`) means neither.
        let mut said: HashMap<String, Vec<usize>> = HashMap::new();
        for (gi, g) in groups.iter().enumerate() {
            for n in &g.said {
                said.entry(names::normalize(n)).or_default().push(gi);
            }
        }
        for (gi, g) in groups.iter().enumerate() {
            for n in &g.said {
                if said[&names::normalize(n)].len() == 1 {
                    ix.add(n, gi);
                }
            }
        }
        ix
    }

    fn add(&mut self, name: &str, gi: usize) {
        let f = Forms::of(name);
        self.key.entry(f.key).or_insert(gi);
        self.display.entry(f.display).or_insert(gi);
        self.norm.entry(f.norm).or_insert(gi);
        if f.concept {
            self.concepts.push((f.raw, gi));
        }
    }

    fn find(&self, name: &str) -> Option<usize> {
        let f = Forms::of(name);
        let concept = f.concept.then(|| {
            self.concepts
                .iter()
                .filter(|(n, _)| names::same_concept(name, n))
                .map(|(_, g)| *g)
                .min()
        });
        [
            self.key.get(&f.key).copied(),
            self.display.get(&f.display).copied(),
            self.norm.get(&f.norm).copied(),
            concept.flatten(),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

fn alias_of(cfg: &CourseConfig, name: &str) -> Option<String> {
    let n = crate::names::normalize_key(name);
    let d = crate::names::normalize_key(&names::display(name));
    cfg.aliases
        .iter()
        .find(|(k, _)| {
            let k = crate::names::normalize_key(k);
            k == n || k == d
        })
        .map(|(_, v)| v.clone())
}

fn memo_groups(course: &Course) -> Vec<Wanted> {
    let mut groups: Vec<Wanted> = Vec::new();
    for (li, cl) in course.labs.iter().enumerate() {
        for e in cl.lab.memo_entries() {
            let key = crate::names::normalize_key(&e.key);
            if groups
                .iter()
                .any(|g| crate::names::normalize_key(&g.key) == key)
            {
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
                asked: None,
                said: Vec::new(),
            });
        }
    }
    groups
}

/// Group every placeholder of the course (built-ins left out) with the value it means. Each
/// distinct name is looked up once.
fn add_placeholders(
    course: &Course,
    cfg: &CourseConfig,
    builtin: &Resolver,
    groups: &mut Vec<Wanted>,
) {
    let mut index = Index::of(groups);
    // Looked up for every placeholder of the course: a fast keyed hash.
    let mut by_name: ahash::HashMap<&str, Option<usize>> = ahash::HashMap::default();
    // The (value, step) pairs used in the lab being read (a use is counted once per step).
    let mut uses: ahash::HashSet<(usize, Option<usize>)> = ahash::HashSet::default();
    for (li, cl) in course.labs.iter().enumerate() {
        uses.clear();
        for p in &cl.lab.placeholders {
            if p.context == PlaceholderContext::Memo {
                continue;
            }
            let here = (li, p.span.start);
            let gi = *by_name.entry(p.name.as_str()).or_insert_with(|| {
                let is_builtin = matches!(
                    builtin.resolve_source(&p.name).source,
                    Some(Source::Builtin { .. })
                );
                (!is_builtin).then(|| group_of(&p.name, here, cfg, groups, &mut index))
            });
            let Some(gi) = gi else { continue };
            let g = &mut groups[gi];
            let name = p.name.trim();
            if !g.names.iter().any(|n| n == name) {
                g.names.push(name.to_string());
            }
            if !g.memo {
                g.first = g.first.min(here);
            }
            g.first_use = Some(g.first_use.map_or(here, |f| f.min(here)));
            let at = At {
                lab: li,
                step: p.step,
            };
            // A placeholder in the sentence that asks for the value names its slot; it is
            // no use of it.
            if !in_note_sentence(&cl.lab.note_points, p.span.start) && uses.insert((gi, p.step)) {
                g.used_in.push(at);
            }
        }
    }
}

/// The value `name` means (by alias, then by its forms), a new one when none does.
fn group_of(
    name: &str,
    here: (usize, usize),
    cfg: &CourseConfig,
    groups: &mut Vec<Wanted>,
    index: &mut Index,
) -> usize {
    let target = alias_of(cfg, name);
    let found = target
        .as_deref()
        .and_then(|t| index.find(t))
        .or_else(|| index.find(name));
    let gi = found.unwrap_or_else(|| {
        let key = target.unwrap_or_else(|| names::key_form(name));
        groups.push(Wanted {
            names: Vec::new(),
            key: key.clone(),
            used_in: Vec::new(),
            note_point: None,
            secret: false,
            noted: false,
            first: here,
            first_use: None,
            memo: false,
            asked: None,
            said: Vec::new(),
        });
        index.add(&key, groups.len() - 1);
        groups.len() - 1
    });
    index.add(name, gi);
    gi
}

/// Whether `pos` lies in a sentence note point (`note_points` are in document order).
fn in_note_sentence(note_points: &[NotePoint], pos: usize) -> bool {
    let i = note_points.partition_point(|n| n.span.start <= pos);
    note_points[..i]
        .iter()
        .rev()
        .take(8)
        .any(|n| n.kind == PointKind::Sentence && n.span.contains(&pos))
}

/// The note points of the course in prose (sentences and headings), with their lab, and what
/// linking needs of their names, computed once.
struct Points<'a> {
    list: Vec<(usize, &'a NotePoint)>,
    /// Tokens of each name of each point.
    tokens: Vec<Vec<Vec<String>>>,
    forms: Vec<Vec<Forms>>,
    /// (point, name) by token, so a value is compared only with names sharing a word.
    by_token: HashMap<String, Vec<(usize, usize)>>,
    /// Points by (lab, step).
    by_step: HashMap<(usize, Option<usize>), Vec<usize>>,
}

impl<'a> Points<'a> {
    fn of(course: &'a Course) -> Points<'a> {
        let list: Vec<(usize, &NotePoint)> = course
            .labs
            .iter()
            .enumerate()
            .flat_map(|(li, cl)| cl.lab.note_points.iter().map(move |n| (li, n)))
            .filter(|(_, n)| n.kind != PointKind::Memo)
            .collect();
        let tokens: Vec<Vec<Vec<String>>> = list
            .iter()
            .map(|(_, n)| n.names.iter().map(|x| names::tokens(x)).collect())
            .collect();
        let forms = list
            .iter()
            .map(|(_, n)| n.names.iter().map(|x| Forms::of(x)).collect())
            .collect();
        let mut by_token: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut by_step: HashMap<(usize, Option<usize>), Vec<usize>> = HashMap::new();
        for (pi, ts) in tokens.iter().enumerate() {
            for (ni, t) in ts.iter().enumerate() {
                for w in t {
                    by_token.entry(w.clone()).or_default().push((pi, ni));
                }
            }
            let (li, n) = list[pi];
            by_step.entry((li, n.step)).or_default().push(pi);
        }
        Points {
            list,
            tokens,
            forms,
            by_token,
            by_step,
        }
    }

    /// The (point, name) pairs sharing a word with one of `mine`.
    fn sharing(&self, mine: &[Vec<String>]) -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = mine
            .iter()
            .flatten()
            .filter(|t| !names::is_index(t))
            .filter_map(|t| self.by_token.get(t))
            .flatten()
            .copied()
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn note_ref(&self, pi: usize) -> NoteRef {
        let (li, np) = self.list[pi];
        NoteRef::Prose {
            at: At {
                lab: li,
                step: np.step,
            },
            text: np.text.clone(),
        }
    }
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
/// own). Each name of a note point goes to the values it fits best: pairs are taken best
/// first, and a name already taken by a better-fitting value is not given to a worse one
/// ("Bastion 아이피" is for `<<Bastion IP>>`, not for `<<생성된 IP>>` too; "인증서의 ARN" is for
/// `<<발급받은 인증서 ARN>>`, not for `<<ALB ARN>>`, whose other word the sentence does not
/// say). Values that fit it equally well share it (`<<Allocation ID 1>>`, `<<Allocation ID
/// 2>>`). Returns the (note point, name) pairs that found their value.
fn link_note_points(
    groups: &mut [Wanted],
    points: &Points,
    fields: &[Vec<Vec<String>>],
) -> HashSet<(usize, usize)> {
    let mut consumed: HashSet<(usize, usize)> = HashSet::new();
    let mut fits: Vec<Fit> = Vec::new();
    // (memo value, note point) naming it exactly.
    let mut exact: Vec<(usize, usize, usize)> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        if g.memo {
            // A sentence asking for a memo entry (`<<github_token>>`에 메모한다).
            let key = Forms::of(&g.key);
            for (pi, fs) in points.forms.iter().enumerate() {
                for (ni, f) in fs.iter().enumerate() {
                    if key.same(f) {
                        consumed.insert((pi, ni));
                        exact.push((gi, pi, ni));
                    }
                }
            }
        }
        let mut mine: Vec<Vec<String>> = std::iter::once(&g.key)
            .chain(&g.names)
            .map(|n| names::tokens(n))
            .collect();
        mine.sort();
        mine.dedup();
        for (pi, ni) in points.sharing(&mine) {
            let (li, np) = points.list[pi];
            if consumed.contains(&(pi, ni)) || g.first_use.is_none_or(|f| (li, np.span.start) > f) {
                continue;
            }
            if let Some(f) = fit(gi, &mine, &fields[gi], points, (pi, ni)) {
                fits.push(f);
            }
        }
    }
    for (gi, pi, ni) in exact {
        groups[gi].asked.get_or_insert_with(|| points.note_ref(pi));
        add_said(&mut groups[gi], &points.list[pi].1.names[ni]);
    }
    fits.sort_by(|a, b| {
        if better(a, b) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
    // The fit each (note point, name) was first given at: the best, as fits are sorted.
    let mut taken: HashMap<(usize, usize), Fit> = HashMap::new();
    let mut linked = vec![false; groups.len()];
    for f in fits {
        let key = (f.point, f.name);
        if linked[f.group] || taken.get(&key).is_some_and(|t| fits_better(t, &f)) {
            continue;
        }
        linked[f.group] = true;
        let g = &mut groups[f.group];
        if !g.memo {
            g.note_point = Some(points.note_ref(f.point));
        }
        g.asked.get_or_insert_with(|| points.note_ref(f.point));
        add_said(g, &points.list[f.point].1.names[f.name]);
        taken.entry(key).or_insert(f);
        consumed.insert(key);
    }
    consumed
}

fn add_said(g: &mut Wanted, name: &str) {
    if !g.said.iter().any(|s| s == name) {
        g.said.push(name.to_string());
    }
}

/// How well name `ni` of note point `pi` fits a value whose names have tokens `mine`, and
/// whose placeholders stand in table rows named `fields` (the fuller names the course gives
/// the value where it is used: "GIT for PaC").
fn fit(
    group: usize,
    mine: &[Vec<String>],
    fields: &[Vec<String>],
    points: &Points,
    (pi, ni): (usize, usize),
) -> Option<Fit> {
    let theirs = &points.tokens[pi][ni];
    let sim = mine
        .iter()
        .map(|m| names::similarity(m, theirs))
        .fold(0.0, f64::max);
    let own = mine.iter().map(|m| coverage(m, theirs)).fold(0.0, f64::max);
    if sim < 0.5 && own == 0.0 {
        return None;
    }
    let mut wide = theirs.clone();
    wide.extend(points.list[pi].1.context.iter().cloned());
    // A note point about another thing's value ("생성된 Repository의 URL" for `<<Cluster
    // URL>>`): its name, its owner words and its step's title name another owner.
    if names::other_object(&mine.concat(), &wide) {
        return None;
    }
    let cover = mine
        .iter()
        .chain(fields)
        .map(|m| coverage(m, &wide))
        .fold(0.0, f64::max);
    // A loose name ("HTTPS 주소" for `<<자신의 git repository 주소>>`) fits when it shares a
    // word with the value and, with its owner and its step's title ("repository의", "2-2.
    // repository 정보 입력"), says more than half of the value's words.
    if sim < 0.5 && cover <= 0.5 {
        return None;
    }
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
/// says all of `admin password`, "Password" half), then more of the value's words (or of
/// the table row naming it where it is used) said by the name and the step's title together
/// (a note point names its value loosely: "server url" in step "클러스터 Url 확인" is for
/// `<<메모한 클러스터 Url>>`, not "Repository의 URL" in step "GIT for PaC 저장소 생성"), then
/// the higher similarity (the more specific name), then the later (nearer) note point.
fn better(a: &Fit, b: &Fit) -> bool {
    fits_better(a, b) || !fits_better(b, a) && a.point >= b.point
}

/// Whether `a` fits strictly better than `b` by own words, step coverage and similarity (the
/// order of [`better`], position aside).
fn fits_better(a: &Fit, b: &Fit) -> bool {
    const EPS: f64 = 1e-9;
    for (x, y) in [(a.own, b.own), (a.cover, b.cover), (a.sim, b.sim)] {
        if (x - y).abs() > EPS {
            return x > y;
        }
    }
    false
}

/// For each value, the tokens of the fields of the input-table rows its placeholders stand
/// in (`> | ➕ GIT for PaC | <<자신의 git 주소>> |`).
fn table_fields(course: &Course, groups: &[Wanted]) -> Vec<Vec<Vec<String>>> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (gi, g) in groups.iter().enumerate() {
        for n in &g.names {
            by_name.entry(n.as_str()).or_default().push(gi);
        }
    }
    let mut out = vec![Vec::new(); groups.len()];
    // A course's tables repeat their fields (`Name`, `Repository URL`) and values: each
    // field is put in tokens once, and only when its value uses one of the values.
    let mut field_tokens: HashMap<&str, Vec<String>> = HashMap::new();
    // The values each written value uses, found once per distinct value.
    let mut value_groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for cl in &course.labs {
        for row in cl.lab.steps.iter().flat_map(|s| &s.inputs) {
            if !row.value.contains("<<") {
                continue;
            }
            let gis = value_groups.entry(row.value.as_str()).or_insert_with(|| {
                let mut gis: Vec<usize> = Vec::new();
                for p in crate::placeholder::scan(&row.value, &[]) {
                    for &gi in by_name.get(p.name.trim()).into_iter().flatten() {
                        if !gis.contains(&gi) {
                            gis.push(gi);
                        }
                    }
                }
                gis
            });
            if gis.is_empty() {
                continue;
            }
            let field = field_tokens
                .entry(row.field.as_str())
                .or_insert_with(|| names::tokens(&row.field));
            if field.is_empty() {
                continue;
            }
            for &gi in gis.iter() {
                if !out[gi].contains(field) {
                    out[gi].push(field.clone());
                }
            }
        }
    }
    out
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
    points: &Points,
    consumed: &HashSet<(usize, usize)>,
    cfg: &CourseConfig,
) {
    let mut index = Index::of(groups);
    for (pi, (li, np)) in points.list.iter().enumerate() {
        for (ni, n) in np.names.iter().enumerate() {
            if consumed.contains(&(pi, ni)) || is_part_of_fuller(points, pi, ni) {
                continue;
            }
            let target = alias_of(cfg, n);
            if index.find(n).is_some() || target.is_some_and(|t| index.find(&t).is_some()) {
                continue;
            }
            groups.push(Wanted {
                names: vec![n.clone()],
                key: names::key_form(n),
                used_in: Vec::new(),
                note_point: Some(points.note_ref(pi)),
                asked: Some(points.note_ref(pi)),
                secret: false,
                noted: false,
                first: (*li, np.span.start),
                first_use: None,
                memo: false,
                said: Vec::new(),
            });
            index.add(n, groups.len() - 1);
        }
    }
}

/// Whether name `ni` of note point `pi` is part of a fuller name the same step asks for ("키를
/// 확인하고 메모한 뒤" next to "`<<AWS Access Key ID>>`에 메모한다"): it is the same value said
/// vaguely, not one of its own.
fn is_part_of_fuller(points: &Points, pi: usize, ni: usize) -> bool {
    let (li, np) = points.list[pi];
    let mine = &points.tokens[pi][ni];
    points.by_step[&(li, np.step)].iter().any(|&pj| {
        pj != pi
            && points.tokens[pj]
                .iter()
                .any(|theirs| mine.len() < theirs.len() && mine.iter().all(|t| theirs.contains(t)))
    })
}

/// A generic note point asks for the next value the course uses, when that value has no note
/// point yet.
fn link_generic(groups: &mut [Wanted], points: &Points) {
    let mut order: Vec<usize> = (0..groups.len())
        .filter(|&g| groups[g].first_use.is_some())
        .collect();
    order.sort_by_key(|&g| groups[g].first_use);
    for (pi, (li, np)) in points.list.iter().enumerate() {
        if !np.is_generic() {
            continue;
        }
        let here = Some((*li, np.span.start));
        // The next value used after it; a memo entry or a value linked already keeps its own.
        // When the step that uses it first uses others first too (a table of values), the
        // first of those without a note point.
        let k = order.partition_point(|&g| groups[g].first_use <= here);
        let Some(&next) = order.get(k) else { continue };
        let place = groups[next].used_in.first().copied();
        let free = order[k..]
            .iter()
            .copied()
            .take_while(|&g| groups[g].used_in.first().copied() == place)
            .find(|&g| !groups[g].memo && groups[g].note_point.is_none());
        if let Some(gi) = free {
            groups[gi].note_point = Some(points.note_ref(pi));
            groups[gi].asked = groups[gi].note_point.clone();
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
        let r = resolver.resolve_source(n);
        noted |= matches!(r.source, Some(Source::Memo { .. }));
        secret |= r.secret || crate::resolve::is_secret(cfg, n, "");
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
