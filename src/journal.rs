//! The record of executed steps: `<course>/.labnote/journal.yaml`.
//!
//! One YAML document per event, appended under a lock and fsync'd, so that concurrent
//! `labnote done` processes never lose a record and a crash can only ever tear the last
//! document. One rule for every document that is not a record labnote could have written,
//! wherever it is: a torn tail, a damaged document, an implausible record. It is moved out of
//! the journal into `journal.torn` (its bytes kept for inspection), under the lock, reported
//! once by the command that found it (its number and line), and never read again; the other
//! records stay valid and keep their bytes.
//!
//! Never holds a secret: callers put ids, names and outcomes in `details`, never values.
//!
//! The journal comes with the course folder, which may be someone else's, so it is input:
//! `.labnote/` and the journal are never followed as links, the file is read up to
//! [`MAX_BYTES`], and a record that is not one labnote could have written (an unknown
//! event, a time that does not parse, a lab id that looks like a path, control characters,
//! nested details) is set aside by that rule. Records name labs by
//! id only; nothing reads a path from them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::runner::Masker;
use crate::store;
use crate::t;

/// The state folder of a course.
pub fn state_dir(course: &Path) -> PathBuf {
    course.join(store::STATE_DIR_NAME)
}

/// Checks the course's state folder before it is used: neither `.labnote` nor a file in it
/// may be a link (see [`store::check_state_dir`]).
pub fn check_state(course: &Path) -> Result<(), store::StoreError> {
    store::check_state_dir(&state_dir(course))
}

/// Largest journal read: about 400 000 records, far more than a course makes.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// One event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub lab: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// What happened; written as its name (`done`, `issued-key`, …).
    pub event: Event,
    /// RFC 3339, UTC.
    pub time: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_yaml::Value>,
}

impl Record {
    /// A record of `event` about `lab`, now. `event` is an [`Event`] or its journal name
    /// (`"done"`), so call sites may name it either way.
    pub fn new(lab: &str, event: impl Into<Event>) -> Record {
        Record {
            lab: lab.to_string(),
            step: None,
            title: None,
            fingerprint: None,
            event: event.into(),
            time: now_rfc3339(),
            details: BTreeMap::new(),
        }
    }

    /// This record about `step`: its id, title and fingerprint (which tells a later
    /// version of the step from this one).
    pub fn at_step(mut self, step: &crate::lab::Step) -> Record {
        self.step = Some(step.id.clone());
        self.title = Some(step.title.clone());
        self.fingerprint = Some(step.fingerprint.clone());
        self
    }

    pub fn detail(mut self, key: &str, value: impl Into<serde_yaml::Value>) -> Record {
        self.details.insert(key.to_string(), value.into());
        self
    }
}

/// What a record says happened. The journal stores the event's name, a kebab-case string,
/// so the file stays readable and old journals load unchanged; a name this version does not
/// know (a newer labnote's event) is kept as [`Event::Other`] and ignored by the readers
/// here rather than refused, so upgrading and downgrading never loses history.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    /// A step was checked (`done`, by hand, `run`, `walk` or `issue-key`).
    Done,
    /// A step was unchecked.
    Undone,
    /// A step's blocks were run (exit codes and last lines in `blocks`).
    Run,
    /// An access key was issued and saved in the lab's memo.
    IssuedKey,
    /// An older access key was deleted in IAM.
    RetiredKey,
    /// Keys were issued whose secret could not be saved (a crash), found in recovery.
    UnsavedKeys,
    /// A memo value was noted.
    MemoSet,
    /// A memo value was removed.
    MemoUnset,
    /// The lab's secrets were re-encrypted for the current keyring.
    MemoRekey,
    /// A value was noted from its source (`labnote fetch`): source, region, resource id.
    Fetched,
    /// A name this version does not know, kept as written.
    Other(String),
}

impl Event {
    /// Every event this version writes, with its journal name.
    const NAMES: [(Event, &'static str); 10] = [
        (Event::Done, "done"),
        (Event::Undone, "undone"),
        (Event::Run, "run"),
        (Event::IssuedKey, "issued-key"),
        (Event::RetiredKey, "retired-key"),
        (Event::UnsavedKeys, "unsaved-keys"),
        (Event::MemoSet, "memo-set"),
        (Event::MemoUnset, "memo-unset"),
        (Event::MemoRekey, "memo-rekey"),
        (Event::Fetched, "fetched"),
    ];

    /// The event's name in the journal.
    pub fn as_str(&self) -> &str {
        if let Event::Other(s) = self {
            return s;
        }
        Event::NAMES
            .iter()
            .find(|(e, _)| e == self)
            .map_or("", |(_, n)| n)
    }

    /// The event named `name`; an unknown name is [`Event::Other`].
    fn from_name(name: &str) -> Event {
        Event::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map_or_else(|| Event::Other(name.to_string()), |(e, _)| e.clone())
    }
}

impl From<&str> for Event {
    fn from(name: &str) -> Event {
        Event::from_name(name)
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<str> for Event {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Event {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Event, D::Error> {
        let name = String::deserialize(d)?;
        Ok(Event::from_name(&name))
    }
}

/// Current UTC time, RFC 3339 with second precision.
fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("{}", t!("journal-read", path = path, reason = source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", t!("journal-encode", reason = .0.to_string()))]
    Encode(#[from] serde_yaml::Error),
}

/// What loading found besides the records.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    /// Human-readable warnings (torn tail cut off, a damaged record skipped).
    pub warnings: Vec<String>,
}

pub struct Journal {
    dir: PathBuf,
    path: PathBuf,
    lock: PathBuf,
}

impl Journal {
    pub fn for_course(course: &Path) -> Journal {
        let dir = state_dir(course);
        Journal {
            path: dir.join("journal.yaml"),
            lock: dir.join("journal.lock"),
            dir,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append records atomically with respect to other labnote processes: all of them in one
    /// write, so either all are recorded or (on an error) none.
    pub fn append(&self, records: &[Record]) -> Result<Vec<String>, JournalError> {
        let mut text = String::new();
        for r in records {
            text.push_str("---\n");
            text.push_str(&serde_yaml::to_string(r)?);
        }
        store::check_state_dir(&self.dir)?;
        let _guard = store::lock_exclusive(&self.lock)?;
        let warnings = self.repair_locked()?;
        store::append_durable(&self.path, text.as_bytes())?;
        Ok(warnings)
    }

    /// Replace every copy of the masker's secrets in the journal's output lines by the mask: a
    /// value noted as secret after a run printed it (the run's last output lines are in the
    /// journal). Only output is rewritten, a short secret only as a whole token (see
    /// [`Masker::mask_recorded`]): the fields that say what happened are never touched. Under
    /// the journal lock, so no append is lost; the journal is replaced atomically and only
    /// when something changed, and a record that holds no secret keeps its bytes. Records
    /// that do not decode (skipped by [`Journal::load`]) and the torn tail kept aside are
    /// masked as text. Returns how many documents of the journal changed.
    fn mask_secrets(&self, masker: &Masker) -> Result<usize, JournalError> {
        if masker.is_empty() {
            return Ok(0);
        }
        store::check_state_dir(&self.dir)?;
        if !self.path.exists() {
            return Ok(0);
        }
        let _guard = store::lock_exclusive(&self.lock)?;
        self.set_aside_locked()?;
        let bytes = self.read()?;
        let (out, changed) = mask_docs(&bytes, masker)?;
        if changed > 0 {
            store::replace_state_file(&self.path, &out)?;
        }
        let aside = self.path.with_extension("torn");
        if aside.exists() {
            let torn =
                store::read_bounded(&aside, MAX_BYTES, store::Links::Refuse)?.unwrap_or_default();
            let masked = masker.mask_recorded_bytes(&torn);
            if masked != torn {
                store::replace_state_file(&aside, &masked)?;
            }
        }
        Ok(changed)
    }

    /// [`Journal::mask_secrets`] for one secret: what noting a secret calls, so that no
    /// earlier copy of it (the output of a run that printed it) stays in the journal.
    pub fn mask_secret(&self, secret: &secrecy::SecretString) -> Result<usize, JournalError> {
        let mut m = Masker::default();
        m.add(secret);
        self.mask_secrets(&m)
    }

    /// Checks, without writing anything, that [`Journal::append`] could record: a command
    /// that writes a lab and then records it calls this first, so that it fails before its
    /// first write rather than after it.
    pub fn check_writable(&self) -> Result<(), JournalError> {
        store::check_state_dir(&self.dir)?;
        for file in [&self.lock, &self.path] {
            store::check_appendable(file)?;
        }
        Ok(())
    }

    /// Read every record. A document that is not a record (see the module's rule) is moved
    /// to `journal.torn` under the lock and reported, once.
    pub fn load(&self) -> Result<Loaded, JournalError> {
        store::check_state_dir(&self.dir)?;
        if !self.path.exists() {
            return Ok(Loaded::default());
        }
        let bytes = self.read()?;
        let (records, bad) = decode(&bytes);
        if bad.is_empty() {
            return Ok(Loaded {
                records,
                warnings: Vec::new(),
            });
        }
        // Take the lock and set them aside; another process may have done it meanwhile.
        let _guard = store::lock_exclusive(&self.lock)?;
        let warnings = self.set_aside_locked()?;
        let bytes = self.read()?;
        let (records, _) = decode(&bytes);
        Ok(Loaded { records, warnings })
    }

    /// The journal's bytes (empty when missing), never through a link, at most [`MAX_BYTES`].
    fn read(&self) -> Result<Vec<u8>, JournalError> {
        let bytes = store::read_bounded(&self.path, MAX_BYTES, store::Links::Refuse)?;
        Ok(bytes.unwrap_or_default())
    }

    /// With the lock held, before an append: a torn tail would swallow the new record, so
    /// the tail is checked (cheaply: the last record alone, however long the journal grows)
    /// and, when it is not whole, every bad document is set aside.
    fn repair_locked(&self) -> Result<Vec<String>, JournalError> {
        if !self.path.exists() || tail_is_whole(&self.read()?) {
            return Ok(Vec::new());
        }
        self.set_aside_locked()
    }

    /// With the lock held: move every document that is not a record to `journal.torn`
    /// (appended, each ending with a newline), keep the rest byte for byte, and say what
    /// was moved, one line per document.
    fn set_aside_locked(&self) -> Result<Vec<String>, JournalError> {
        if !self.path.exists() {
            return Ok(Vec::new());
        }
        let bytes = self.read()?;
        let (_, bad) = decode(&bytes);
        if bad.is_empty() {
            return Ok(Vec::new());
        }
        let aside = self.path.with_extension("torn");
        let (mut keep, mut moved) = (Vec::with_capacity(bytes.len()), Vec::new());
        let mut from = 0;
        for b in &bad {
            keep.extend_from_slice(&bytes[from..b.start]);
            moved.extend_from_slice(&bytes[b.start..b.end]);
            if !moved.ends_with(b"\n") {
                moved.push(b'\n');
            }
            from = b.end;
        }
        keep.extend_from_slice(&bytes[from..]);
        store::append_durable(&aside, &moved)?;
        store::replace_state_file(&self.path, &keep)?;
        Ok(bad
            .iter()
            .map(|b| match &b.why {
                None => t!("journal-torn-tail", path = self.path, aside = aside),
                Some(why) => t!(
                    "journal-record-set-aside",
                    path = self.path,
                    line = b.line,
                    record = b.record,
                    why = why.as_str(),
                    aside = aside
                ),
            })
            .collect())
    }
}

/// The journal's bytes with the secrets masked (see [`Journal::mask_secrets`]), and how many
/// documents changed.
fn mask_docs(bytes: &[u8], masker: &Masker) -> Result<(Vec<u8>, usize), JournalError> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = 0;
    let mut at = 0;
    for (start, end) in split_docs(bytes) {
        out.extend_from_slice(&bytes[at..start]);
        at = end;
        let chunk = &bytes[start..end];
        // A record with a secret in its texts is written again; any other document keeps its
        // bytes but for a secret in plain text (in a record labnote cannot read).
        let masked = match parse_doc(chunk) {
            Some(mut r) => {
                if mask_record(&mut r, masker) {
                    let mut text = String::from("---\n");
                    text.push_str(&serde_yaml::to_string(&r)?);
                    text.into_bytes()
                } else {
                    chunk.to_vec()
                }
            }
            None => masker.mask_recorded_bytes(chunk),
        };
        if masked != chunk {
            changed += 1;
        }
        out.extend_from_slice(&masked);
    }
    out.extend_from_slice(&bytes[at..]);
    Ok((out, changed))
}

/// The detail fields that hold what a command printed: the only text the journal masks.
/// Everything else (lab, step, title, fingerprint, event, time, cwd, outcome, a memo key)
/// says what happened and is never rewritten, so noting a secret never loses progress.
const OUTPUT_FIELDS: &[&str] = &["tail"];

/// Mask the secrets in a record's output lines (see [`OUTPUT_FIELDS`]): the `tail` of each
/// of its `blocks`. Whether anything changed.
fn mask_record(r: &mut Record, masker: &Masker) -> bool {
    use serde_yaml::Value;
    let Some(Value::Sequence(blocks)) = r.details.get_mut("blocks") else {
        return false;
    };
    let mut changed = false;
    for block in blocks.iter_mut().filter_map(Value::as_mapping_mut) {
        for (k, v) in block.iter_mut() {
            if !k.as_str().is_some_and(|k| OUTPUT_FIELDS.contains(&k)) {
                continue;
            }
            let Value::Sequence(lines) = v else { continue };
            // Every line is masked (no short cut): each may hold a copy.
            for line in lines.iter_mut() {
                if let Value::String(s) = line {
                    let m = masker.mask_recorded(s);
                    changed |= m != *s;
                    *s = m;
                }
            }
        }
    }
    changed
}

/// Whether the journal ends with a complete, readable record (or is empty).
fn tail_is_whole(bytes: &[u8]) -> bool {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    if !bytes.ends_with(b"\n") {
        return false;
    }
    let start = memchr::memmem::rfind(bytes, b"\n---\n").map_or(0, |i| i + 1);
    parse_doc(&bytes[start..]).is_some()
}

/// One document as a record, if it is well-formed YAML of a record (whether or not its
/// values are plausible: see [`implausible`]). Nesting is bounded before the YAML parser
/// runs, so a hostile document cannot stall it.
fn parse_doc(chunk: &[u8]) -> Option<Record> {
    let text = std::str::from_utf8(chunk).ok()?;
    crate::yamlguard::check_depth(text).ok()?;
    serde_yaml::from_str::<Record>(text.trim_start_matches("---\n")).ok()
}

/// Longest lab id, step id or detail text labnote writes (titles: four times this).
const MAX_FIELD: usize = 1024;

/// Why a well-formed record cannot be one labnote wrote, or `None` when it could be.
fn implausible(r: &Record) -> Option<String> {
    let text_ok = |s: &str, max: usize| s.len() <= max && !s.chars().any(char::is_control);
    if r.lab.is_empty() || !text_ok(&r.lab, MAX_FIELD) {
        return Some(t!("journal-bad-lab-id"));
    }
    if r.lab.contains(['/', '\\']) || r.lab == "." || r.lab == ".." {
        return Some(t!("journal-lab-id-path", lab = format!("{:?}", r.lab)));
    }
    if !r.step.as_deref().is_none_or(|s| text_ok(s, MAX_FIELD))
        || !r.title.as_deref().is_none_or(|t| text_ok(t, 4 * MAX_FIELD))
    {
        return Some(t!("journal-bad-step"));
    }
    if !r
        .fingerprint
        .as_deref()
        .is_none_or(|f| f.len() <= 64 && f.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Some(t!("journal-bad-fingerprint"));
    }
    let name = r.event.as_str();
    let event_ok = (1..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !event_ok {
        return Some(t!("journal-bad-event", event = format!("{:?}", r.event)));
    }
    if r.time.parse::<jiff::Timestamp>().is_err() {
        return Some(t!("journal-bad-time", time = format!("{:?}", r.time)));
    }
    r.details.iter().find_map(|(k, v)| {
        let key_ok = (1..=64).contains(&k.len())
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let value_ok = match v {
            serde_yaml::Value::Null | serde_yaml::Value::Bool(_) | serde_yaml::Value::Number(_) => {
                true
            }
            serde_yaml::Value::String(s) => text_ok(s, MAX_FIELD),
            // A `run` record's blocks: exit code, duration, the last output lines.
            serde_yaml::Value::Sequence(_) if k == "blocks" => run_blocks_ok(v, 3),
            _ => false,
        };
        (!key_ok || !value_ok).then(|| t!("journal-bad-detail", key = format!("{k:?}")))
    })
}

/// The `blocks` detail of a `run` record as labnote writes it: a list of mappings of short
/// keys to scalars and to the block's last output lines (which may hold a terminal's
/// colours, so only length is bounded), nested `depth` levels at most.
fn run_blocks_ok(v: &serde_yaml::Value, depth: u8) -> bool {
    use serde_yaml::Value;
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) => true,
        Value::String(s) => s.len() <= 64 * MAX_FIELD && !s.contains('\0'),
        Value::Sequence(items) if depth > 0 => {
            items.len() <= 1000 && items.iter().all(|i| run_blocks_ok(i, depth - 1))
        }
        Value::Mapping(m) if depth > 0 => {
            m.len() <= 32
                && m.iter().all(|(k, v)| {
                    k.as_str().is_some_and(|k| k.len() <= 64) && run_blocks_ok(v, depth - 1)
                })
        }
        _ => false,
    }
}

/// A document of the journal that is not a record labnote could have written.
#[derive(Debug)]
struct BadDoc {
    /// Its bytes in the journal.
    start: usize,
    end: usize,
    /// Its number among the documents (from 1) and its first line.
    record: usize,
    line: usize,
    /// Why it is not a record; `None` for a torn tail (the last document, cut off).
    why: Option<String>,
}

/// Split the journal into documents and decode them: the records, and the documents that are
/// not records (see the module's rule). The last document is torn when it does not decode, or
/// decodes but lacks its final newline (a write cut off).
fn decode(bytes: &[u8]) -> (Vec<Record>, Vec<BadDoc>) {
    let mut records = Vec::new();
    let mut bad = Vec::new();
    let docs = split_docs(bytes);
    let n = docs.len();
    for (k, (start, end)) in docs.into_iter().enumerate() {
        let last = k + 1 == n;
        let chunk = &bytes[start..end];
        let complete = chunk.ends_with(b"\n");
        let why = match parse_doc(chunk) {
            Some(r) if complete || !last => match implausible(&r) {
                None => {
                    records.push(r);
                    continue;
                }
                Some(why) => Some(why),
            },
            _ if last => None,
            _ => Some(t!("journal-damaged-record")),
        };
        let line = bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1;
        bad.push(BadDoc {
            start,
            end,
            record: k + 1,
            line,
            why,
        });
    }
    (records, bad)
}

/// Documents start at lines that are exactly `---`. A last line without its newline that is
/// a start of `---` (`-`, `--`) is the start of a torn document: a write cut off one or two
/// bytes in; counting it as part of the previous record would throw that intact record away
/// with the tail.
fn split_docs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let line_end = bytes[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| pos + i + 1);
        let line = &bytes[pos..line_end];
        let torn_start = line_end == bytes.len() && !line.is_empty() && b"---".starts_with(line);
        if line == b"---\n" || torn_start {
            starts.push(pos);
        }
        pos = line_end;
    }
    if starts.first() != Some(&0) && !bytes.is_empty() {
        starts.insert(0, 0);
    }
    let mut out = Vec::new();
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(bytes.len());
        if bytes[s..e].iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        out.push((s, e));
    }
    out
}

/// State of one step derived from the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Open,
    Done,
    /// Recorded as done, but the step was edited since (fingerprint changed).
    Stale,
}

/// Done/undone state per (lab, step id): the last `done`/`undone` record wins, and a `done`
/// whose fingerprint no longer matches the step is stale rather than done.
#[derive(Debug, Default)]
pub struct Progress {
    last: std::collections::HashMap<(String, String), (bool, Option<String>)>,
}

impl Progress {
    pub fn from_records(records: &[Record]) -> Progress {
        let mut last = std::collections::HashMap::new();
        for r in records {
            let Some(step) = &r.step else { continue };
            let done = match r.event {
                Event::Done => true,
                Event::Undone => false,
                _ => continue,
            };
            last.insert((r.lab.clone(), step.clone()), (done, r.fingerprint.clone()));
        }
        Progress { last }
    }

    pub fn state(&self, lab: &str, step: &str, fingerprint: &str) -> StepState {
        match self.last.get(&(lab.to_string(), step.to_string())) {
            Some((true, Some(fp))) if fp != fingerprint => StepState::Stale,
            Some((true, _)) => StepState::Done,
            _ => StepState::Open,
        }
    }

    /// Records of `lab` whose step is done but no longer exists in the lab.
    pub fn orphans<'a>(&'a self, lab: &'a str, exists: impl Fn(&str) -> bool + 'a) -> Vec<String> {
        let mut v: Vec<String> = self
            .last
            .iter()
            .filter(|((l, s), (done, _))| l == lab && *done && !exists(s))
            .map(|((_, s), _)| s.clone())
            .collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_course(dir.path());
        let r = Record::new("2-4", "done").detail("k", "v");
        j.append(std::slice::from_ref(&r)).unwrap();
        j.append(&[Record::new("2-4", "undone")]).unwrap();
        let l = j.load().unwrap();
        assert_eq!(l.records.len(), 2);
        assert_eq!(l.records[0], r);
        assert!(l.warnings.is_empty());
    }

    /// A secret noted after a run printed it leaves no copy in the journal: the run's output
    /// lines are masked (escaped as YAML writes them, too), the other records keep their
    /// bytes, a record labnote cannot read and the torn tail aside are masked as text.
    #[test]
    fn mask_secrets_replaces_every_copy() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_course(dir.path());
        let secret = "to'k\"en-s3cr3t";
        let tail = serde_yaml::Value::Sequence(vec![
            format!("token:   {secret}").into(),
            "other line".into(),
        ]);
        let mut block = serde_yaml::Mapping::new();
        block.insert("tail".into(), tail);
        let run = Record::new("3-2", "run").detail(
            "blocks",
            serde_yaml::Value::Sequence(vec![serde_yaml::Value::Mapping(block)]),
        );
        let done = Record::new("3-2", "done").detail("by", "run");
        j.append(&[done.clone(), run]).unwrap();
        let before = std::fs::read(j.path()).unwrap();
        let mut bytes = before.clone();
        // A damaged record in the middle: set aside into journal.torn, masked there.
        bytes.extend_from_slice(format!("---\nnot: [a record {secret}\n").as_bytes());
        bytes.extend_from_slice(b"---\n");
        bytes.extend_from_slice(serde_yaml::to_string(&done).unwrap().as_bytes());
        std::fs::write(j.path(), &bytes).unwrap();
        std::fs::write(
            j.path().with_extension("torn"),
            format!("---\nlab: x\n {secret}"),
        )
        .unwrap();
        let none = Masker::default();
        assert_eq!(j.mask_secrets(&none).unwrap(), 0);
        let mut m = Masker::default();
        m.add(&secrecy::SecretString::from(secret.to_string()));
        assert_eq!(j.mask_secrets(&m).unwrap(), 1);
        let after = std::fs::read_to_string(j.path()).unwrap();
        let plain = |t: &str| t.contains("s3cr3t");
        assert!(!plain(&after), "{after}");
        assert!(!plain(
            &std::fs::read_to_string(j.path().with_extension("torn")).unwrap()
        ));
        // The first record is byte for byte as it was.
        let first_end = before
            .windows(5)
            .skip(1)
            .position(|w| w == b"\n---\n")
            .unwrap()
            + 2;
        assert_eq!(after.as_bytes()[..first_end], before[..first_end]);
        let l = j.load().unwrap();
        assert_eq!(l.records[0], done);
        assert_eq!(
            l.records[1].details["blocks"][0]["tail"][0].as_str(),
            Some("token:   ••••")
        );
        // Nothing left to mask: the file is not written again.
        let stamp = store::file_fingerprint(j.path()).unwrap();
        assert_eq!(j.mask_secrets(&m).unwrap(), 0);
        assert_eq!(store::file_fingerprint(j.path()).unwrap(), stamp);
    }

    /// Noting a short secret (`1`) rewrites no step id, title, fingerprint, cwd or outcome:
    /// progress stays; only a whole `1` in the output lines is masked.
    #[test]
    fn masking_a_short_secret_keeps_progress() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_course(dir.path());
        let mut block = serde_yaml::Mapping::new();
        block.insert(
            "tail".into(),
            serde_yaml::Value::Sequence(vec!["password: 1".into(), "11 files".into()]),
        );
        block.insert("lang".into(), "bash 1".into());
        let mut run = Record::new("2-1", "run")
            .detail("outcome", "passed 1")
            .detail("cwd_start", "/tmp/1")
            .detail("blocks", serde_yaml::Value::Sequence(vec![block.into()]));
        run.step = Some("2-1".into());
        run.title = Some("1".into());
        run.fingerprint = Some("1".into());
        let mut done = Record::new("2-1", "done").detail("by", "1");
        done.step = Some("1".into());
        j.append(&[run.clone(), done.clone()]).unwrap();
        let mut m = Masker::default();
        m.add(&secrecy::SecretString::from("1".to_string()));
        assert_eq!(j.mask_secrets(&m).unwrap(), 1);
        let l = j.load().unwrap();
        assert_eq!(l.records[1], done);
        let (got, want) = (&l.records[0], &run);
        assert_eq!(
            (
                &got.step,
                &got.title,
                &got.fingerprint,
                &got.time,
                &got.event
            ),
            (
                &want.step,
                &want.title,
                &want.fingerprint,
                &want.time,
                &want.event
            )
        );
        for k in ["outcome", "cwd_start"] {
            assert_eq!(got.details[k], want.details[k]);
        }
        let b = &got.details["blocks"][0];
        assert_eq!(b["lang"].as_str(), Some("bash 1"));
        assert_eq!(b["tail"][0].as_str(), Some("password: ••••"));
        assert_eq!(b["tail"][1].as_str(), Some("11 files"));
    }

    #[test]
    fn torn_tail_is_cut_and_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_course(dir.path());
        j.append(&[Record::new("a", "done"), Record::new("b", "done")])
            .unwrap();
        let mut bytes = std::fs::read(j.path()).unwrap();
        bytes.extend_from_slice(b"---\nlab: c\nevent: do");
        std::fs::write(j.path(), &bytes).unwrap();
        let l = j.load().unwrap();
        assert_eq!(l.records.len(), 2);
        assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
        let l2 = j.load().unwrap();
        assert_eq!(l2.records.len(), 2);
        assert!(l2.warnings.is_empty());
        j.append(&[Record::new("d", "done")]).unwrap();
        assert_eq!(j.load().unwrap().records.len(), 3);
    }

    /// One rule wherever a bad document is: a damaged one in the middle, an implausible one,
    /// and a torn tail are all moved to `journal.torn` by the first load, each said once; the
    /// good records keep their bytes and later loads say nothing.
    #[test]
    fn every_bad_document_is_set_aside_once() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_course(dir.path());
        j.append(&[Record::new("a", "done")]).unwrap();
        let good = std::fs::read(j.path()).unwrap();
        let mut bytes = good.clone();
        bytes.extend_from_slice(b"---\n: : [damaged\n");
        bytes.extend_from_slice(&good);
        bytes.extend_from_slice(b"---\nlab: ../x\nevent: done\ntime: 2026-01-01T00:00:00Z\n");
        bytes.extend_from_slice(&good);
        bytes.extend_from_slice(b"---\nlab: c\nevent: do");
        std::fs::write(j.path(), &bytes).unwrap();
        let l = j.load().unwrap();
        assert_eq!(l.records.len(), 3);
        assert_eq!(l.warnings.len(), 3, "{:?}", l.warnings);
        assert!(
            l.warnings[0].contains("journal record 2 "),
            "{:?}",
            l.warnings
        );
        assert!(
            l.warnings[1].contains("journal record 4 "),
            "{:?}",
            l.warnings
        );
        assert!(l.warnings[2].contains("cut off"), "{:?}", l.warnings);
        assert_eq!(std::fs::read(j.path()).unwrap(), good.repeat(3));
        let aside = std::fs::read_to_string(j.path().with_extension("torn")).unwrap();
        assert!(aside.contains("[damaged") && aside.contains("../x") && aside.ends_with("do\n"));
        let again = j.load().unwrap();
        assert_eq!((again.records.len(), again.warnings.len()), (3, 0));
    }

    #[test]
    fn stale_when_fingerprint_changes() {
        let mut r = Record::new("l", "done");
        r.step = Some("1".into());
        r.fingerprint = Some("aaa".into());
        let p = Progress::from_records(&[r]);
        assert_eq!(p.state("l", "1", "aaa"), StepState::Done);
        assert_eq!(p.state("l", "1", "bbb"), StepState::Stale);
        assert_eq!(p.state("l", "2", "aaa"), StepState::Open);
    }

    #[test]
    fn implausible_records_are_skipped_with_their_number() {
        let ok = Record::new("1-3", "done");
        assert_eq!(implausible(&ok), None);
        let bad = |f: &dyn Fn(&mut Record)| {
            let mut r = ok.clone();
            f(&mut r);
            implausible(&r).expect("implausible")
        };
        assert!(bad(&|r| r.lab = "../x".into()).contains("path"));
        assert!(bad(&|r| r.time = "yesterday".into()).contains("RFC 3339"));
        assert!(bad(&|r| r.event = "Done!".into()).contains("event"));
        assert!(bad(&|r| r.title = Some("a\u{1b}[2J".into())).contains("control"));
        assert!(bad(&|r| {
            r.details
                .insert("k".into(), serde_yaml::Value::Sequence(Vec::new()));
        })
        .contains("detail"));

        let mut text = String::new();
        for r in [ok.clone(), Record::new("..", "done"), ok] {
            text.push_str("---\n");
            text.push_str(&serde_yaml::to_string(&r).unwrap());
        }
        let (records, bad) = decode(text.as_bytes());
        assert_eq!(records.len(), 2);
        assert_eq!(bad.len(), 1);
        let first = serde_yaml::to_string(&Record::new("1-3", "done")).unwrap();
        assert_eq!((bad[0].record, bad[0].line), (2, first.lines().count() + 2));
        assert!(bad[0].why.as_deref().unwrap().contains("path"), "{bad:?}");
    }

    /// A journal as an earlier labnote wrote it (events as plain names, one of them a name
    /// this version does not know) loads: every known name becomes its variant, the unknown
    /// one is kept as written, and writing the records again gives the same text.
    #[test]
    fn old_journal_with_an_unknown_event_loads_and_round_trips() {
        let names = [
            "done",
            "undone",
            "run",
            "issued-key",
            "retired-key",
            "unsaved-keys",
            "memo-set",
            "memo-unset",
            "memo-rekey",
            "memo-archive",
        ];
        let mut text = String::new();
        for (i, n) in names.iter().enumerate() {
            text.push_str(&format!(
                "---\nlab: 2-{i}\nstep: '1'\nevent: {n}\ntime: 2026-03-02T01:02:03Z\n"
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_course(dir.path());
        std::fs::create_dir_all(state_dir(dir.path())).unwrap();
        std::fs::write(j.path(), &text).unwrap();
        let l = j.load().unwrap();
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let events: Vec<&Event> = l.records.iter().map(|r| &r.event).collect();
        assert_eq!(events[0], &Event::Done);
        assert_eq!(events[3], &Event::IssuedKey);
        assert_eq!(events[8], &Event::MemoRekey);
        assert_eq!(events[9], &Event::Other("memo-archive".into()));
        for (r, n) in l.records.iter().zip(names) {
            assert_eq!(r.event.as_str(), n);
        }
        for r in &l.records[..9] {
            assert!(!matches!(r.event, Event::Other(_)), "{:?}", r.event);
        }
        let mut again = String::new();
        for r in &l.records {
            again.push_str("---\n");
            again.push_str(&serde_yaml::to_string(r).unwrap());
        }
        assert_eq!(again, text);
        // Only done/undone count for progress; the unknown event is ignored, not an error.
        let p = Progress::from_records(&l.records);
        assert_eq!(p.state("2-0", "1", "x"), StepState::Done);
        assert_eq!(p.state("2-9", "1", "x"), StepState::Open);
    }
}
