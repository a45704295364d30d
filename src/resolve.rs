//! Placeholder → value: which memo entry of which lab a `<<placeholder>>` of a later lab
//! means.
//!
//! Later labs name a noted value differently from the memo key that holds it:
//! `<<발급받은 Access Key>>` is lab 2-4's `AWS Access Key ID`, `<<자신의 git name>>` is lab
//! 2-3's `github_username`. The rules, in order:
//! 1. `course.yaml` aliases (placeholder name → memo key);
//! 2. exact match against the course's memo keys (case, spacing and emphasis ignored);
//! 3. built-in values: `<<YYMMDD>>` (today, local time), `<<YYYYMMDD>>`;
//! 4. the Korean qualifiers stripped (발급받은, 발급 받은, 메모한, 메모해 놓은, 자신의, 나의,
//!    생성된, 생성한, …) and common names unified (`Access Key` → the access key id,
//!    `secret key` → the secret, `git name` → `github_username`, `git token` →
//!    `github_token`), then matched again.
//!
//! When several labs hold the key, the latest noted value wins. Pure: no IO.

use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::{Event, Record};
use crate::memo;
use crate::names::{compact, concept_of, normalize_key, strip_qualifiers, Concept};

/// Where a placeholder's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A memo entry: lab index in the course, the key as written, its raw value.
    Memo {
        lab_index: usize,
        key: String,
        raw: String,
        /// Other labs that also hold this key (older values).
        shadowed: Vec<usize>,
    },
    /// A value labnote computes (`<<YYMMDD>>`).
    Builtin { value: String },
}

/// The answer for one placeholder.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub name: String,
    pub source: Option<Source>,
    pub secret: bool,
    /// The closest memo key when unresolved.
    pub suggestion: Option<String>,
}

pub struct Resolver<'a> {
    course: &'a Course,
    cfg: &'a CourseConfig,
    records: &'a [Record],
    /// Today, for `<<YYMMDD>>`.
    today: jiff::civil::Date,
    /// The course's memo keys with their forms, found at the first lookup that needs them.
    keys: std::sync::OnceLock<Vec<KeyForms<'a>>>,
    /// Each lab's first memo entry under each normal form of a key ([`normalize_key`]), in
    /// course order, found at the first lookup: a lookup reads only the labs that hold its
    /// key (each read every entry of every lab, normalising each key).
    entries: std::sync::OnceLock<EntriesByKey<'a>>,
}

type EntriesByKey<'a> = std::collections::HashMap<String, Vec<(usize, &'a crate::lab::MemoEntry)>>;

/// A memo key of the course (each spelling once, in the order first written) with what a
/// lookup compares: its normal form and its concept.
struct KeyForms<'a> {
    key: &'a str,
    norm: String,
    concept: Option<Concept>,
}

impl<'a> Resolver<'a> {
    pub fn new(
        course: &'a Course,
        cfg: &'a CourseConfig,
        records: &'a [Record],
        today: jiff::civil::Date,
    ) -> Resolver<'a> {
        Resolver {
            course,
            cfg,
            records,
            today,
            keys: std::sync::OnceLock::new(),
            entries: std::sync::OnceLock::new(),
        }
    }

    fn entries(&self) -> &EntriesByKey<'a> {
        self.entries.get_or_init(|| {
            let mut map: EntriesByKey<'a> = std::collections::HashMap::new();
            for (k, cl) in self.course.labs.iter().enumerate() {
                for e in cl.lab.memo_entries() {
                    let firsts = map.entry(normalize_key(&e.key)).or_default();
                    // A lab's first entry with the key is the one a lookup reads.
                    if firsts.last().is_none_or(|&(lab, _)| lab != k) {
                        firsts.push((k, e));
                    }
                }
            }
            map
        })
    }

    /// Each memo key of the course once, with its forms: found once per resolver (a course
    /// of 2,000 labs writes a few keys thousands of times, and each lookup asked them all).
    fn key_forms(&self) -> &[KeyForms<'a>] {
        self.keys.get_or_init(|| {
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            let mut out = Vec::new();
            for cl in &self.course.labs {
                for e in cl.lab.memo_entries() {
                    if seen.insert(e.key.as_str()) {
                        out.push(KeyForms {
                            key: &e.key,
                            norm: crate::names::normalize(&e.key),
                            concept: concept_of(&e.key),
                        });
                    }
                }
            }
            out
        })
    }

    /// The course the names are resolved in (a [`Source::Memo`]'s `lab_index` is its lab).
    pub fn course(&self) -> &'a Course {
        self.course
    }

    /// The course.yaml the names are resolved with (which keys it marks secret).
    pub fn cfg(&self) -> &'a CourseConfig {
        self.cfg
    }

    /// Today in local time.
    pub fn local_today() -> jiff::civil::Date {
        jiff::Zoned::now().date()
    }

    pub fn resolve(&self, name: &str) -> Resolution {
        self.resolve_with(name, true)
    }

    /// [`Resolver::resolve`] without looking for a suggestion when the name has no value
    /// (what reads only where a value comes from, not what to tell the student).
    pub fn resolve_source(&self, name: &str) -> Resolution {
        self.resolve_with(name, false)
    }

    fn resolve_with(&self, name: &str, suggest: bool) -> Resolution {
        let name = name.trim();
        let mut res = Resolution {
            name: name.to_string(),
            source: None,
            secret: false,
            suggestion: None,
        };
        // 1. Aliases from course.yaml (on the name as written, then without qualifiers).
        let stripped = strip_qualifiers(name);
        let alias = self
            .cfg
            .aliases
            .iter()
            .find(|(k, _)| {
                let k = normalize_key(k);
                k == normalize_key(name) || k == normalize_key(&stripped)
            })
            .map(|(_, v)| v.clone());
        let tries: Vec<String> = match &alias {
            Some(a) => vec![a.clone()],
            None => vec![name.to_string()],
        };
        for t in &tries {
            if let Some(src) = self.by_key(t) {
                return self.finish(res, src);
            }
        }
        // 3. Built-ins.
        if let Some(v) = self.builtin(name) {
            res.source = Some(Source::Builtin { value: v });
            return res;
        }
        // 4. Qualifiers stripped, then common names unified.
        if stripped != name {
            if let Some(src) = self.by_key(&stripped) {
                return self.finish(res, src);
            }
        }
        if let Some(c) = concept_of(&stripped) {
            if let Some(src) = self.by_concept(c) {
                return self.finish(res, src);
            }
        }
        // 5. Another spelling of the same value (`YOUR_DOMAIN` for `<<나의도메인>>`).
        let want = crate::names::normalize(name);
        for f in self.key_forms().iter().filter(|f| f.norm == want) {
            if let Some(src) = self.by_key(f.key) {
                return self.finish(res, src);
            }
        }
        if suggest {
            res.suggestion = self.closest(&stripped);
        }
        res
    }

    fn finish(&self, mut res: Resolution, src: Source) -> Resolution {
        if let Source::Memo { key, raw, .. } = &src {
            // The memo's one secret policy: a value that looks like a credential is a
            // secret here too, noted under any key.
            res.secret = is_secret(self.cfg, key, raw);
        }
        res.source = Some(src);
        res
    }

    fn builtin(&self, name: &str) -> Option<String> {
        let d = self.today;
        match name.to_ascii_uppercase().as_str() {
            "YYMMDD" => Some(d.strftime("%y%m%d").to_string()),
            "YYYYMMDD" => Some(d.strftime("%Y%m%d").to_string()),
            _ => None,
        }
    }

    /// The latest non-empty value of a memo key across the course.
    fn by_key(&self, key: &str) -> Option<Source> {
        let firsts = self
            .entries()
            .get(&normalize_key(key))
            .map_or(&[][..], |v| &v[..]);
        let mut found = holders_of(self.course, self.records, key, firsts.iter().copied());
        let last = found.pop()?;
        Some(Source::Memo {
            lab_index: last.lab_index,
            key: last.key,
            raw: last.raw,
            shadowed: found.into_iter().map(|f| f.lab_index).collect(),
        })
    }

    fn by_concept(&self, c: Concept) -> Option<Source> {
        // Every key of the course that means this concept; the latest noted value wins.
        let keys = self
            .key_forms()
            .iter()
            .filter(|f| f.concept == Some(c))
            .map(|f| f.key);
        let mut best: Option<Source> = None;
        for k in keys {
            if let Some(s) = self.by_key(k) {
                best = Some(s);
            }
        }
        best
    }

    /// The memo key closest to `name` (edit distance on compact forms, or containment).
    fn closest(&self, name: &str) -> Option<String> {
        let want = compact(name);
        // A name whose own key is still empty has nothing else to suggest (issue 11).
        let own_key = self
            .course
            .labs
            .iter()
            .any(|cl| memo::find(&cl.lab, name).is_some());
        if want.is_empty() || own_key {
            return None;
        }
        let mut best: Option<(usize, String)> = None;
        for cl in &self.course.labs {
            // A key with no value yet is no answer (issue 11).
            for e in cl.lab.memo_entries().filter(|e| !e.value.is_empty()) {
                let have = compact(&e.key);
                let d = if have.contains(&want) || want.contains(&have) {
                    0
                } else {
                    levenshtein(&want, &have)
                };
                let limit = want.chars().count().max(have.chars().count()) / 2;
                if d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, e.key.clone()));
                }
            }
        }
        best.map(|(_, k)| k)
    }
}

/// Where a memo value was found.
pub struct Found {
    pub lab_index: usize,
    pub key: String,
    pub raw: String,
}

/// The labs that hold a non-empty value for `key`, latest noted last: by the position of
/// their last `memo-set` / `issued-key` record in the journal (which is appended in order;
/// its times have whole seconds, so two values noted in the same second would tie), then by
/// course order for values noted by hand.
/// Position in the journal of the last `memo-set` / `issued-key` record of `lab_id` for one
/// of `keys` (the journal is appended in order, so a later position is a later note).
pub fn last_noted(records: &[Record], lab_id: &str, keys: &[&str]) -> Option<usize> {
    let want: Vec<String> = keys.iter().map(|k| normalize_key(k)).collect();
    records.iter().rposition(|r| {
        r.lab == lab_id
            && matches!(r.event, Event::MemoSet | Event::IssuedKey)
            && r.details
                .get("key")
                .and_then(|v| v.as_str())
                .map(normalize_key)
                .is_some_and(|k| want.contains(&k))
    })
}

pub fn holders(course: &Course, records: &[Record], key: &str) -> Vec<Found> {
    let want = crate::names::normalize_key(key);
    let firsts = course
        .labs
        .iter()
        .enumerate()
        .filter_map(|(k, cl)| memo::find_normalized(&cl.lab, &want).map(|e| (k, e)));
    holders_of(course, records, key, firsts)
}

/// [`holders`] among `firsts`: each lab's first memo entry with `key`, in course order.
fn holders_of<'e>(
    course: &Course,
    records: &[Record],
    key: &str,
    firsts: impl Iterator<Item = (usize, &'e crate::lab::MemoEntry)>,
) -> Vec<Found> {
    let mut found: Vec<(Option<usize>, usize, Found)> = Vec::new();
    for (k, e) in firsts {
        if e.value.is_empty() {
            continue;
        }
        let when = last_noted(records, &course.labs[k].lab.id, &[key]);
        found.push((
            when,
            k,
            Found {
                lab_index: k,
                key: e.key.clone(),
                raw: e.value.clone(),
            },
        ));
    }
    // Values with no record (noted by hand) count as older than recorded ones.
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    found.into_iter().map(|(_, _, f)| f).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether the value noted under `key` is a secret: its key says so (see
/// [`crate::secret::is_secret_key`]), `course.yaml` says so, it is encrypted already, or its
/// value looks like a credential (a JWT, a GitHub token, an AWS secret key shape: see
/// [`crate::capture::looks_like_credential`]). The one home of the rule, below the use cases
/// so that resolution and `wanted` ask it too; `memo set`, walk, the offer, `--note`, the
/// web and the listings ask it through `app::memo::is_secret`.
pub fn is_secret(cfg: &CourseConfig, key: &str, raw_value: &str) -> bool {
    crate::secret::is_secret_key(key)
        || cfg.marks_secret(key)
        || crate::secret::is_encrypted(raw_value)
        || crate::capture::looks_like_credential(raw_value)
}

/// Whether `value`, noted under `key` over the entry's current raw value `current`, is
/// stored encrypted: [`is_secret`] of either.
pub fn noted_secret(cfg: &CourseConfig, key: &str, current: &str, value: &str) -> bool {
    is_secret(cfg, key, current) || is_secret(cfg, key, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
