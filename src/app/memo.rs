//! The memo's use cases: note a value (secrets encrypted), unset it, get and reveal it,
//! list the entries, seal plaintext secrets and re-encrypt every secret.
//!
//! The plaintext of a secret lives in a `SecretString` from the moment a front end reads it
//! until it is encrypted; the rules a value must pass ([`memo::validate`]) and the secret
//! policy ([`is_secret`]) are checked here for every front end.

use secrecy::{ExposeSecret, SecretString};

use super::{AppError, Front, SecretStep};
use crate::config::CourseConfig;
use crate::course::{Course, CourseLab};
use crate::journal::{Event, Journal, Record};
use crate::lab::{self, Lab, MemoEntry};
use crate::labfile::EditError;
use crate::memo;
use crate::resolve::{holders, Found};
use crate::secret::{self, Keyring};

/// Whether a value is a secret, and whether a value noted over an entry is stored encrypted:
/// the one rule, kept in [`crate::resolve`] (below the use cases, which resolution and
/// `wanted` need too) and asked through here by every use case and front end.
pub use crate::resolve::{is_secret, noted_secret};

/// What a memo write did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Changed,
    Unchanged,
}

/// Decides the stored text of an entry from its current state.
pub type Decide<'a> = &'a mut dyn FnMut(Option<&MemoEntry>) -> Result<Option<String>, AppError>;

/// Read-modify-write of one memo entry. `decide` sees the current entry (if any) and
/// returns the text to store (`Some("")` empties it) or `None` for "no change". A key
/// written twice in the lab is refused, naming the file and both lines.
fn write_entry(
    front: &dyn Front,
    cl: &CourseLab,
    key: &str,
    decide: Decide,
) -> Result<Written, AppError> {
    // The edit's own refusal, kept typed: the lab file layer sees only that it refused.
    let mut failure = None;
    let mut edit = |text: &str, lab: &Lab| -> Result<Option<String>, EditError> {
        let decided = memo::find_unique(text, lab, key)
            .map_err(|source| memo_file(cl, source))
            .and_then(&mut *decide)
            .and_then(|stored| match stored {
                Some(s) => memo::set(text, lab, key, &s).map_err(|source| memo_file(cl, source)),
                None => Ok(None),
            });
        match decided {
            Ok(new) => Ok(new.map(|t| crate::multiline::sync_previews(&t))),
            Err(e) => {
                let refusal = EditError::Refused(e.to_string());
                failure = Some(e);
                Err(refusal)
            }
        }
    };
    let r = crate::labfile::rewrite(front.course_dir(), &cl.path, &cl.stem, &mut edit);
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(if r? {
        Written::Changed
    } else {
        Written::Unchanged
    })
}

/// A memo edit of lab `cl` that the memo rules refuse (a key written twice).
fn memo_file(cl: &CourseLab, source: memo::MemoError) -> AppError {
    AppError::MemoFile {
        path: cl.rel_path.clone(),
        source,
    }
}

/// The memo rules for `raw` (see [`memo::validate`]), on the one-line form a value of
/// several lines is stored in (see `multiline`); a blank value stays blank so that the
/// empty-value rule sees it.
fn check_value(lab_id: &str, key: &str, raw: &str, secret: bool) -> Result<(), AppError> {
    let one_line = if raw.trim().is_empty() {
        std::borrow::Cow::Borrowed("")
    } else {
        crate::multiline::encode(raw)
    };
    let check = |encrypted| memo::validate(lab_id, key, &one_line, encrypted);
    check(false)
        .or_else(|e| if secret { check(true) } else { Err(e) })
        .map_err(|source| AppError::Memo {
            lab: lab_id.to_string(),
            source,
        })
}

/// The key a value is noted under: any written form of it (`<<메모한 Cluster URL>>`) names
/// the one key of the value it means (see [`crate::wanted::key_for`]).
pub fn key_of(front: &dyn Front, course: &Course, name: &str) -> Result<String, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    Ok(crate::wanted::key_for(course, &cfg, name))
}

/// The key `memo set` notes `name` under: the key of the value it means (any written form,
/// the course's words for it: [`crate::wanted::lookup`]). A name that means no value
/// of the course is refused with the values close to it ([`AppError::UnknownName`]), so
/// that a front end asks which one was meant; `new` (`--new`, the page's `"new": true`)
/// notes it as a new value under its own name. The CLI and the server both call this.
pub fn key_to_set(
    front: &dyn Front,
    course: &Course,
    name: &str,
    new: bool,
) -> Result<String, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    match crate::wanted::lookup(course, &cfg, name) {
        Ok(key) => Ok(key),
        Err(_) if new => Ok(crate::wanted::key_for(course, &cfg, name)),
        Err(close) => Err(AppError::UnknownName {
            name: name.trim().to_string(),
            close,
        }),
    }
}

/// What [`AppError::UnknownName`] says: the close values, or that none is, and `--new`.
pub fn unknown_name_message(name: &str, close: &[String]) -> String {
    if close.is_empty() {
        crate::t!("memo20-unknown-name-none", name = name)
    } else {
        crate::t!(
            "memo20-unknown-name",
            name = name,
            close = quoted_list(close)
        )
    }
}

/// `'a', 'b'`: names as a message lists them.
fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a value noted under `key` in lab `k` is stored encrypted (before it is read, so
/// a front end can read it without echo).
pub fn will_be_secret(
    front: &dyn Front,
    course: &Course,
    k: usize,
    key: &str,
) -> Result<bool, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let current = memo::find(&course.labs[k].lab, key).map_or("", |e| e.value.as_str());
    Ok(is_secret(&cfg, key, current))
}

/// Note `value` under `key` in lab `k`, encrypting it when it is secret (`force_secret`, or
/// [`noted_secret`]: its key, course.yaml, an encrypted current value, an `age:` value
/// given, a value that looks like a credential).
/// An empty value is refused (that is [`unset`]), whatever front end it came from. Returns
/// whether the file changed; a change is recorded in the journal.
pub fn set_value(
    front: &dyn Front,
    course: &Course,
    k: usize,
    key: &str,
    value: &SecretString,
    force_secret: bool,
    keyring: Option<&Keyring>,
) -> Result<Written, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let cl = &course.labs[k];
    // The key as written in the lab, when it has one.
    let key_name =
        memo::find(&cl.lab, key).map_or(crate::names::bare_key(key).to_string(), |e| e.key.clone());
    let current = memo::find(&cl.lab, key).map_or("", |e| e.value.as_str());
    // An age ciphertext given as the value is kept as it is (see `accept_ciphertext`).
    let secret = force_secret || noted_secret(&cfg, &key_name, current, value.expose_secret());
    // The value's rules first: an empty value is refused before any key is loaded.
    check_value(&cl.lab.id, &key_name, value.expose_secret(), secret)?;
    if secret {
        // No earlier copy of a secret stays in the journal (a run that printed it).
        Journal::for_course(front.course_dir()).mask_secret(value)?;
    }
    let owned;
    let keyring = match (secret, keyring) {
        (false, _) => None,
        (true, Some(k)) => Some(k),
        (true, None) => {
            owned = Keyring::load()?;
            Some(&owned)
        }
    };
    let mut decide = |cur: Option<&MemoEntry>| stored_form(cl, &key_name, value, keyring, cur);
    // An entry labnote adds (the lab has none by that key) is recorded as added, so that
    // `memo rm` can tell it from the lab's own lines.
    let added = memo::find(&cl.lab, key).is_none();
    let w = write_entry(front, cl, &key_name, &mut decide)?;
    if w == Written::Changed {
        let mut r = Record::new(&cl.lab.id, Event::MemoSet)
            .detail("key", key_name.as_str())
            .detail("secret", secret);
        if added {
            r = r.detail("added", true);
        }
        super::append(front, &[r])?;
    }
    Ok(w)
}

/// The text to store for `value` given the entry as it is now (`None`: leave it).
fn stored_form(
    cl: &CourseLab,
    key: &str,
    value: &SecretString,
    keyring: Option<&Keyring>,
    cur: Option<&MemoEntry>,
) -> Result<Option<String>, AppError> {
    let lab = &cl.lab.id;
    let Some(kr) = keyring else {
        if cur.is_some_and(|e| secret::is_encrypted(&e.value)) {
            // Encrypted by another labnote since we read the lab: never replace it with
            // plaintext.
            return Err(AppError::EncryptedMeanwhile {
                lab: lab.clone(),
                key: key.to_string(),
            });
        }
        return Ok(Some(crate::multiline::render(value.expose_secret())));
    };
    if let Some(e) = cur.filter(|e| secret::is_encrypted(&e.value)) {
        // Same secret again: leave the file as it is.
        if kr
            .decrypt(&e.value)
            .is_ok_and(|old| secret::secret_eq(&old, value))
        {
            return Ok(None);
        }
    }
    if let Some(stored) = accept_ciphertext(kr, value)? {
        return Ok(Some(stored));
    }
    let enc = kr.encrypt(value).map_err(|source| AppError::SecretFailed {
        step: SecretStep::Encrypt,
        lab: lab.clone(),
        key: key.to_string(),
        source,
    })?;
    Ok(Some(memo::render_value(&enc, true)))
}

/// The stored form of a value that is already an `age:` ciphertext this identity opens, so
/// noting it keeps it instead of encrypting the ciphertext again; `None` for any other
/// value. A ciphertext we cannot open is refused: labnote stores only what it can read back.
fn accept_ciphertext(kr: &Keyring, value: &SecretString) -> Result<Option<String>, AppError> {
    let v = value.expose_secret();
    if !secret::is_encrypted(v) {
        return Ok(None);
    }
    match kr.decrypt(v) {
        Ok(_) => Ok(Some(memo::render_value(v, true))),
        Err(secret::SecretError::WrongIdentity) => Err(AppError::ForeignCiphertext {
            identity: kr.identity_path().display().to_string(),
            keys: kr.public_keys().join(", "),
        }),
        Err(e) => Err(AppError::BadCiphertext {
            reason: e.to_string(),
        }),
    }
}

/// Empty the value of `key` in lab `k`, keeping the entry. Returns the key as the lab
/// writes it and whether anything changed (an entry already empty is left alone).
pub fn unset(
    front: &dyn Front,
    course: &Course,
    k: usize,
    key: &str,
) -> Result<(String, Written), AppError> {
    let cl = &course.labs[k];
    let key_name = entry_of(&cl.lab, key)?.key.clone();
    let mut decide = |cur: Option<&MemoEntry>| -> Result<Option<String>, AppError> {
        Ok(cur.filter(|e| !e.value.is_empty()).map(|_| String::new()))
    };
    let w = write_entry(front, cl, &key_name, &mut decide)?;
    if w == Written::Changed {
        super::append(
            front,
            &[Record::new(&cl.lab.id, Event::MemoUnset).detail("key", key_name.as_str())],
        )?;
    }
    Ok((key_name, w))
}

/// Whether labnote added the entry `key` of lab `lab_id` (a `memo-set` record marked
/// `added` in the journal): the lab's own memo lines never are.
pub fn added_by_labnote(front: &dyn Front, lab_id: &str, key: &str) -> Result<bool, AppError> {
    let records = Journal::for_course(front.course_dir()).load()?.records;
    Ok(added_in(&records, lab_id, key))
}

/// Whether `records` say labnote added the entry `key` of lab `lab_id` (see
/// [`added_by_labnote`]). Records written before labnote marked added entries mark none:
/// such an entry counts as the lab's own (never removed, still wanted when empty).
pub fn added_in(records: &[Record], lab_id: &str, key: &str) -> bool {
    let key = crate::names::normalize_key(key);
    let of_key = |r: &Record| {
        r.lab == lab_id
            && r.details
                .get("key")
                .and_then(|k| k.as_str())
                .is_some_and(|k| crate::names::normalize_key(k) == key)
    };
    let flag = |r: &Record, name: &str| r.details.get(name) == Some(&serde_yaml::Value::Bool(true));
    // The latest word: added (a `memo-set` that inserted the line), or removed (`memo rm`).
    records
        .iter()
        .rev()
        .filter(|r| of_key(r))
        .find_map(|r| match r.event {
            Event::MemoSet if flag(r, "added") => Some(true),
            Event::MemoUnset if flag(r, "removed") => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

/// Remove the entry `key` of lab `k` — only one labnote added ([`added_by_labnote`]);
/// the lab's own entry is refused (`unset` empties it). Returns the key as written.
pub fn remove(front: &dyn Front, course: &Course, k: usize, key: &str) -> Result<String, AppError> {
    let cl = &course.labs[k];
    let key_name = entry_of(&cl.lab, key)?.key.clone();
    if !added_by_labnote(front, &cl.lab.id, &key_name)? {
        return Err(AppError::EntryOfTheLab {
            lab: cl.lab.id.clone(),
            key: key_name,
        });
    }
    let mut failure = None;
    let mut edit = |text: &str, lab: &Lab| -> Result<Option<String>, EditError> {
        memo::remove(text, lab, &key_name).map_err(|source| {
            let e = memo_file(cl, source);
            let refusal = EditError::Refused(e.to_string());
            failure = Some(e);
            refusal
        })
    };
    let r = crate::labfile::rewrite(front.course_dir(), &cl.path, &cl.stem, &mut edit);
    if let Some(e) = failure {
        return Err(e);
    }
    if r? {
        super::append(
            front,
            &[Record::new(&cl.lab.id, Event::MemoUnset)
                .detail("key", key_name.as_str())
                .detail("removed", true)],
        )?;
    }
    Ok(key_name)
}

/// The entry of `lab` for `key`, or an error that lists the lab's entries.
fn entry_of<'a>(lab: &'a Lab, key: &str) -> Result<&'a MemoEntry, AppError> {
    memo::find(lab, key).ok_or_else(|| AppError::NoEntry {
        lab: lab.id.clone(),
        key: key.trim().to_string(),
        entries: entry_names(lab),
    })
}

fn entry_names(lab: &Lab) -> String {
    let v: Vec<&str> = lab.memo_entries().map(|e| e.key.as_str()).collect();
    if v.is_empty() {
        crate::t!("app-no-memo-block")
    } else {
        v.join(", ")
    }
}

/// The plaintext of a raw memo value (decrypting when it is encrypted, loading the keyring
/// into `keyring` the first time one is needed).
pub fn reveal(
    raw: &str,
    lab_id: &str,
    key: &str,
    keyring: &mut Option<Keyring>,
) -> Result<SecretString, AppError> {
    if let Some(v) = crate::multiline::decode(raw) {
        return v.map(SecretString::from).map_err(|e| AppError::BadValue {
            lab: lab_id.to_string(),
            key: key.to_string(),
            reason: e.to_string(),
        });
    }
    if !secret::is_encrypted(raw) {
        return Ok(SecretString::from(raw.to_string()));
    }
    let kr = match keyring.take() {
        Some(kr) => kr,
        None => Keyring::load()?,
    };
    let plain = kr.decrypt(raw).map_err(|source| AppError::SecretFailed {
        step: SecretStep::Decrypt,
        lab: lab_id.to_string(),
        key: key.to_string(),
        source,
    });
    *keyring = Some(kr);
    plain
}

/// The plaintext of entry `key` of lab `k`; an empty entry is an error naming how to note it.
pub fn reveal_entry(course: &Course, k: usize, key: &str) -> Result<SecretString, AppError> {
    let found = noted_in(course, k, key)?;
    reveal(&found.raw, &course.labs[k].lab.id, &found.key, &mut None)
}

/// Entry `key` of lab `k` with its value, or why there is none.
fn noted_in(course: &Course, k: usize, key: &str) -> Result<Found, AppError> {
    let lab = &course.labs[k].lab;
    let e = entry_of(lab, key)?;
    if e.value.is_empty() {
        return Err(AppError::EntryEmpty {
            lab: lab.id.clone(),
            key: e.key.clone(),
        });
    }
    Ok(Found {
        lab_index: k,
        key: e.key.clone(),
        raw: e.value.clone(),
    })
}

/// A value with where it came from.
pub struct Got {
    pub lab_index: usize,
    pub key: String,
    pub value: SecretString,
}

/// The value of `name` (any written form): in lab `lab` when given, else the latest one
/// noted anywhere in the course (the journal says which is latest).
pub fn get(
    front: &dyn Front,
    course: &Course,
    name: &str,
    lab: Option<usize>,
) -> Result<Got, AppError> {
    let key = key_of(front, course, name)?;
    let found = match lab {
        Some(k) => noted_in(course, k, &key)?,
        None => {
            let records = super::load_journal(front)?;
            holders(course, &records, &key)
                .pop()
                .ok_or_else(|| AppError::NotHeld {
                    key: key.trim().to_string(),
                })?
        }
    };
    let lab_id = &course.labs[found.lab_index].lab.id;
    let value = reveal(&found.raw, lab_id, &found.key, &mut None)?;
    Ok(Got {
        lab_index: found.lab_index,
        key: found.key,
        value,
    })
}

/// What a listing shows of an entry's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing noted.
    Empty,
    /// A secret, stored encrypted.
    Encrypted,
    /// A secret noted in plaintext by hand: `memo seal` encrypts it.
    Plaintext,
    /// A plain value, as a listing shows it (a value of several lines previewed).
    Value(String),
}

/// One entry of a memo listing. Never holds a secret's value.
#[derive(Debug, Clone)]
pub struct Row {
    pub lab: String,
    pub key: String,
    pub secret: bool,
    pub shown: Shown,
    /// Where a value noted from its source came from (`labnote fetch`).
    pub from: Option<super::provenance::Provenance>,
}

/// The entries of the labs `sel`, in course order.
pub fn list(front: &dyn Front, course: &Course, sel: &[usize]) -> Result<Vec<Row>, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let records = super::load_journal(front)?;
    let mut rows = Vec::new();
    for &k in sel {
        let cl = &course.labs[k];
        for e in cl.lab.memo_entries() {
            let secret = is_secret(&cfg, &e.key, &e.value);
            let shown = if e.value.is_empty() {
                Shown::Empty
            } else if secret::is_encrypted(&e.value) {
                Shown::Encrypted
            } else if secret {
                Shown::Plaintext
            } else {
                Shown::Value(crate::multiline::listed(&e.value))
            };
            let from = (!e.value.is_empty())
                .then(|| super::provenance::provenance(&records, &cl.lab.id, &e.key))
                .flatten();
            rows.push(Row {
                lab: cl.lab.id.clone(),
                key: e.key.clone(),
                secret,
                shown,
                from,
            });
        }
    }
    Ok(rows)
}

/// Refuse when one of `keys` is written twice in the lab (read again from disk, as a write
/// would see it).
fn check_unique<'a>(cl: &CourseLab, keys: impl Iterator<Item = &'a str>) -> Result<(), AppError> {
    let text = crate::labfile::read_text(&cl.path).map_err(|e| AppError::Unreadable {
        path: cl.rel_path.clone(),
        reason: e.to_string(),
    })?;
    let lab = lab::parse_str(&text, &cl.stem);
    for key in keys {
        memo::find_unique(&text, &lab, key).map_err(|source| memo_file(cl, source))?;
    }
    Ok(())
}

/// Encrypt the secret values of the labs `sel` that were noted in plaintext (by hand).
/// Every lab is checked before the first write: a key written twice is refused with nothing
/// sealed. Returns the entries sealed: (lab index, key).
pub fn seal(
    front: &dyn Front,
    course: &Course,
    sel: &[usize],
) -> Result<Vec<(usize, String)>, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let mut work = Vec::new();
    for &k in sel {
        let cl = &course.labs[k];
        let plain: Vec<(String, String)> = cl
            .lab
            .memo_entries()
            .filter(|e| !e.value.is_empty() && !secret::is_encrypted(&e.value))
            .filter(|e| is_secret(&cfg, &e.key, &e.value))
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        if !plain.is_empty() {
            check_unique(cl, plain.iter().map(|(key, _)| key.as_str()))?;
        }
        work.extend(plain.into_iter().map(|(key, value)| (k, key, value)));
    }
    let keyring = if work.is_empty() {
        None
    } else {
        Some(Keyring::load()?)
    };
    let mut sealed = Vec::new();
    for (k, key, value) in work {
        let v = SecretString::from(value);
        set_value(front, course, k, &key, &v, true, keyring.as_ref())?;
        sealed.push((k, key));
    }
    Ok(sealed)
}

/// Every encrypted entry of a lab with its plaintext: (key, plaintext), or the key that
/// does not open and why.
fn open_all(
    kr: &Keyring,
    lab: &Lab,
) -> Result<Vec<(String, SecretString)>, (String, secret::SecretError)> {
    lab.memo_entries()
        .filter(|e| secret::is_encrypted(&e.value))
        .map(|e| {
            kr.decrypt(&e.value)
                .map(|p| (e.key.clone(), p))
                .map_err(|err| (e.key.clone(), err))
        })
        .collect()
}

/// The lab's text with every encrypted value encrypted again to the keyring's recipients.
fn rekeyed(kr: &Keyring, text: &str, lab: &Lab, stem: &str) -> Result<Option<String>, EditError> {
    let opened = open_all(kr, lab).map_err(|(key, source)| EditError::Decrypt {
        lab: lab.id.clone(),
        key,
        source,
    })?;
    let mut stored = Vec::with_capacity(opened.len());
    for (key, plain) in &opened {
        let enc = kr.encrypt(plain).map_err(|source| EditError::Encrypt {
            lab: lab.id.clone(),
            key: key.clone(),
            source,
        })?;
        stored.push((key.as_str(), memo::render_value(&enc, true)));
    }
    let pairs: Vec<(&str, &str)> = stored.iter().map(|(k, v)| (*k, v.as_str())).collect();
    crate::labfile::set_entries(text, stem, &pairs)
        .map_err(|e| EditError::Refused(format!("lab {}: {e}", lab.id)))
}

/// What `memo rekey` did: secrets re-encrypted per lab (lab index, count), and the
/// recipients they are encrypted to now.
pub struct Rekeyed {
    pub labs: Vec<(usize, usize)>,
    pub recipients: Vec<String>,
}

/// Re-encrypt every secret of the labs `sel` to the identity and the current recipients,
/// one lab file at a time. Every value must open before any file changes.
pub fn rekey(front: &dyn Front, course: &Course, sel: &[usize]) -> Result<Rekeyed, AppError> {
    let kr = Keyring::load()?;
    for &k in sel {
        let lab = &course.labs[k].lab;
        open_all(&kr, lab).map_err(|(key, source)| AppError::SecretFailed {
            step: SecretStep::Rekey,
            lab: lab.id.clone(),
            key,
            source,
        })?;
    }
    let mut labs = Vec::new();
    for &k in sel {
        let cl = &course.labs[k];
        let n = cl
            .lab
            .memo_entries()
            .filter(|e| secret::is_encrypted(&e.value))
            .count();
        if n == 0 {
            continue;
        }
        let mut edit = |text: &str, lab: &Lab| rekeyed(&kr, text, lab, &cl.stem);
        crate::labfile::rewrite(front.course_dir(), &cl.path, &cl.stem, &mut edit)?;
        super::append(
            front,
            &[Record::new(&cl.lab.id, Event::MemoRekey).detail("secrets", n as u64)],
        )?;
        labs.push((k, n));
    }
    Ok(Rekeyed {
        labs,
        recipients: kr.recipients().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3Zml4In0.c2lnbmF0dXJlLXdmaXg";

    /// One rule for every front end: the key, an encrypted current value, or a value that
    /// looks like a credential; a plain value under a plain name is not a secret.
    #[test]
    fn the_one_secret_rule() {
        let cfg = CourseConfig::default();
        assert!(is_secret(&cfg, "db_password", ""));
        assert!(is_secret(&cfg, "pipeline_name", JWT));
        assert!(noted_secret(&cfg, "pipeline_name", "", JWT));
        assert!(noted_secret(&cfg, "pipeline_name", "age:YWJj", "plain"));
        assert!(!noted_secret(&cfg, "pipeline_name", "", "demo-pipeline"));
        assert!(!is_secret(&cfg, "pipeline_name", &format!("x {JWT}")));
    }
}
