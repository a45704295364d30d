//! `init` and `memo list|set|get|unset`.
//!
//! The plaintext of a secret lives in a `SecretString` from the moment it is read until it is
//! encrypted; it reaches stdout only through `memo get`.

use std::io::IsTerminal;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{print_json, CmdResult, Ctx, Failure};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::Record;
use crate::lab::{self, MemoEntry};
use crate::memo;
use crate::resolve::{holders, Found};
use crate::secret::{self, Keyring};

impl From<secret::SecretError> for Failure {
    fn from(e: secret::SecretError) -> Failure {
        Failure::data(e.to_string())
    }
}

impl From<crate::config::ConfigError> for Failure {
    fn from(e: crate::config::ConfigError) -> Failure {
        Failure::data(e.to_string())
    }
}

pub fn init(ctx: &Ctx) -> CmdResult {
    let path = secret::new_identity_path()?;
    match secret::init_identity(&path)? {
        secret::InitOutcome::Created { public_key } => {
            ctx.note(&format!("created {} (mode 0600)", path.display()));
            println!("{public_key}");
        }
        secret::InitOutcome::Existing { public_key } => {
            ctx.note(&format!(
                "{} already exists; it was left as it is",
                path.display()
            ));
            println!("{public_key}");
        }
    }
    Ok(())
}

/// Whether a memo entry holds (or is to hold) a secret.
pub fn is_secret(cfg: &CourseConfig, key: &str, raw_value: &str) -> bool {
    secret::is_secret_key(key) || cfg.marks_secret(key) || secret::is_encrypted(raw_value)
}

/// The labs a command works on: the one named, or every lab of the course.
fn selected(course: &Course, lab_arg: Option<&str>) -> Result<Vec<usize>, Failure> {
    Ok(match lab_arg {
        Some(a) => vec![course.resolve(a)?],
        None => (0..course.labs.len()).collect(),
    })
}

pub fn list(ctx: &Ctx, lab_arg: Option<&str>, json: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let sel = selected(&course, lab_arg)?;
    let mut rows = Vec::new();
    for k in sel {
        let cl = &course.labs[k];
        for e in cl.lab.memo_entries() {
            let secret = is_secret(&cfg, &e.key, &e.value);
            let encrypted = secret::is_encrypted(&e.value);
            let set = !e.value.is_empty();
            let shown = if !set {
                None
            } else if encrypted {
                Some("encrypted".to_string())
            } else if secret {
                Some("plaintext! run `labnote memo seal` to encrypt it".to_string())
            } else {
                Some(crate::multiline::listed(&e.value))
            };
            rows.push((
                cl.lab.id.clone(),
                e.key.clone(),
                secret,
                set,
                shown,
                encrypted,
            ));
        }
    }
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|(lab, key, secret, set, shown, encrypted)| {
                json!({
                    "lab": lab,
                    "key": key,
                    "secret": secret,
                    "set": set,
                    "encrypted": encrypted,
                    "value": if *secret { shown.as_ref().map(|_| if *encrypted { "encrypted" } else { "plaintext" }.to_string()) } else { shown.clone() },
                })
            })
            .collect();
        print_json(&json!(v));
        return Ok(());
    }
    if rows.is_empty() {
        ctx.note("no memo entries");
        return Ok(());
    }
    let kw = rows
        .iter()
        .map(|r| crate::render::width(&r.1))
        .max()
        .unwrap_or(0);
    for (lab, key, secret, _, shown, _) in &rows {
        let lock = if *secret { "🔒" } else { "  " };
        println!(
            "{lab:<5} {lock} {}  {}",
            crate::render::pad(key, kw),
            shown.as_deref().unwrap_or("—")
        );
    }
    Ok(())
}

/// Read the value to set: the argument, `-` for all of stdin (only a final newline dropped),
/// or a prompt without echo on a terminal.
fn read_value(key: &str, arg: Option<String>) -> Result<SecretString, Failure> {
    match arg.as_deref() {
        Some("-") => {
            let mut line = String::new();
            let n = std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut line)
                .map_err(|e| {
                    Failure::user(format!(
                        "cannot read the value from stdin (it must be UTF-8 text): {e}"
                    ))
                })?;
            if n == 0 {
                // Nothing at all (not even an empty line): a failed command before the pipe,
                // not a value. Emptying the entry would lose what it holds.
                return Err(Failure::user(format!(
                    "stdin is empty: no value for '{key}' was read; to empty it, use `labnote memo unset`"
                )));
            }
            // Every line is kept (a block of command output); only the final newline goes.
            let end = line.strip_suffix('\n').unwrap_or(&line);
            let trimmed = end.strip_suffix('\r').unwrap_or(end).to_string();
            zeroize::Zeroize::zeroize(&mut line);
            Ok(SecretString::from(trimmed))
        }
        Some(_) => Ok(SecretString::from(arg.unwrap_or_default())),
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(Failure::user(format!(
                    "no value given for '{key}'; pass VALUE, or `-` to read it from stdin"
                )));
            }
            let v = rpassword::prompt_password(format!("{key}: "))
                .map_err(|e| Failure::user(format!("cannot read the value: {e}")))?;
            Ok(SecretString::from(v))
        }
    }
}

/// What a memo write did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Changed,
    Unchanged,
}

impl From<crate::labfile::LabFileError> for Failure {
    fn from(e: crate::labfile::LabFileError) -> Failure {
        match e {
            crate::labfile::LabFileError::Rejected(m) => Failure::user(m),
            other => Failure::data(other.to_string()),
        }
    }
}

/// Decides the stored text of an entry from its current state.
pub type Decide<'a> = &'a mut dyn FnMut(Option<&MemoEntry>) -> Result<Option<String>, Failure>;

/// Read-modify-write of one memo entry. `decide` sees the current entry (if any) and
/// returns the text to store (`Some("")` empties it) or `None` for "no change".
pub fn write_entry(
    course_dir: &std::path::Path,
    path: &std::path::Path,
    stem: &str,
    key: &str,
    decide: Decide,
) -> Result<Written, Failure> {
    let mut failure = None;
    let shown = path
        .strip_prefix(course_dir)
        .unwrap_or(path)
        .display()
        .to_string();
    let ambiguous = |e: memo::MemoError| format!("{shown}: {e}");
    let mut edit = |text: &str, lab: &lab::Lab| -> Result<Option<String>, String> {
        let cur = memo::find_unique(text, lab, key).map_err(ambiguous)?;
        match decide(cur) {
            Ok(Some(stored)) => memo::set(text, lab, key, &stored)
                .map(|t| t.map(|t| crate::multiline::sync_previews(&t)))
                .map_err(ambiguous),
            Ok(None) => Ok(None),
            Err(f) => {
                let m = f.message.clone();
                failure = Some(f);
                Err(m)
            }
        }
    };
    let r = crate::labfile::rewrite(course_dir, path, stem, &mut edit);
    if let Some(f) = failure {
        return Err(f);
    }
    Ok(if r? {
        Written::Changed
    } else {
        Written::Unchanged
    })
}

/// The memo rules for `raw` (see `memo::validate`), on the one-line form a value of several
/// lines is stored in (see `multiline`); a blank value stays blank so that the empty-value
/// rule sees it.
fn check_value(lab_id: &str, key: &str, raw: &str, secret: bool) -> Result<(), Failure> {
    let one_line = if raw.trim().is_empty() {
        std::borrow::Cow::Borrowed("")
    } else {
        crate::multiline::encode(raw)
    };
    let check = |encrypted| memo::validate(lab_id, key, &one_line, encrypted);
    check(false)
        .or_else(|e| if secret { check(true) } else { Err(e) })
        .map_err(|e| Failure::user(format!("lab {lab_id}: {e}")))
}

/// Set `key` in lab `k` to `value`, encrypting when it is secret. Returns whether the file
/// changed.
pub fn set_value(
    ctx: &Ctx,
    course: &Course,
    k: usize,
    key: &str,
    value: &SecretString,
    force_secret: bool,
    keyring: Option<&Keyring>,
) -> Result<Written, Failure> {
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let cl = &course.labs[k];
    // The key as written in the lab, when it has one.
    let key_name =
        memo::find(&cl.lab, key).map_or(memo::bare_key(key).to_string(), |e| e.key.clone());
    // A value stored encrypted stays encrypted, even when only `--secret` made it a secret.
    let holds_encrypted = |e: Option<&MemoEntry>| e.is_some_and(|e| secret::is_encrypted(&e.value));
    let current = memo::find(&cl.lab, key).map_or("", |e| e.value.as_str());
    // An age ciphertext given as the value is kept as it is (see `agecmd::accept_ciphertext`).
    let secret = force_secret
        || is_secret(&cfg, &key_name, current)
        || secret::is_encrypted(value.expose_secret());
    // The value's rules first: an empty value is refused before any key is loaded.
    check_value(&cl.lab.id, &key_name, value.expose_secret(), secret)?;
    if secret {
        // No earlier copy of a secret stays in the journal (a run that printed it).
        ctx.journal().mask_secret(value)?;
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
    let lab_id = cl.lab.id.clone();
    let mut decide = |cur: Option<&MemoEntry>| -> Result<Option<String>, Failure> {
        let Some(kr) = keyring else {
            if holds_encrypted(cur) {
                // Encrypted by another labnote since we read the lab: never replace it with
                // plaintext.
                return Err(Failure::user(format!(
                    "'{key_name}' in lab {lab_id} was encrypted meanwhile; run the command again"
                )));
            }
            return Ok(Some(crate::multiline::render(value.expose_secret())));
        };
        if let Some(e) = cur {
            if secret::is_encrypted(&e.value) {
                // Same secret again: leave the file as it is.
                if let Ok(old) = kr.decrypt(&e.value) {
                    if secret::secret_eq(&old, value) {
                        return Ok(None);
                    }
                }
            }
        }
        if let Some(stored) = super::agecmd::accept_ciphertext(kr, value)? {
            return Ok(Some(stored));
        }
        let enc = kr.encrypt(value).map_err(|e| {
            Failure::data(format!(
                "lab {lab_id}, key '{key_name}': cannot encrypt: {e}"
            ))
        })?;
        Ok(Some(memo::render_value(&enc, true)))
    };
    let w = write_entry(&ctx.course_dir, &cl.path, &cl.stem, &key_name, &mut decide)?;
    if w == Written::Changed {
        ctx.append(&[Record::new(&cl.lab.id, "memo-set")
            .detail("key", key_name.as_str())
            .detail("secret", secret)])?;
    }
    Ok(w)
}

pub fn set(
    ctx: &Ctx,
    lab_arg: &str,
    key: &str,
    value: Option<String>,
    force_secret: bool,
) -> CmdResult {
    let course = ctx.open_course()?;
    let k = course.resolve(lab_arg)?;
    // Any written form of the value (`<<메모한 Cluster URL>>`) is stored under its one key.
    let key = &crate::wanted::key_for(&course, &CourseConfig::load(&ctx.course_dir)?, key);
    let on_command_line = value.as_deref().is_some_and(|v| v != "-");
    let value = read_value(key, value)?;
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    if on_command_line && (force_secret || is_secret(&cfg, key, "")) {
        ctx.note(
            "tip: a secret given on the command line stays in your shell history and is visible to other processes while labnote runs; omit VALUE to be prompted, or pass `-` to read it from stdin",
        );
    }
    let w = set_value(ctx, &course, k, key, &value, force_secret, None)?;
    let cl = &course.labs[k];
    match w {
        Written::Changed => ctx.note(&format!(
            "noted '{}' in {} ({})",
            key.trim(),
            cl.lab.id,
            cl.rel_path
        )),
        Written::Unchanged => ctx.note(&format!(
            "'{}' in {} already holds that value; the file was not touched",
            key.trim(),
            cl.lab.id
        )),
    }
    Ok(())
}

pub fn unset(ctx: &Ctx, lab_arg: &str, key: &str) -> CmdResult {
    let course = ctx.open_course()?;
    let key = &crate::wanted::key_for(&course, &CourseConfig::load(&ctx.course_dir)?, key);
    let k = course.resolve(lab_arg)?;
    let cl = &course.labs[k];
    let key_name = entry_of(&cl.lab, key)?.key.clone();
    let mut decide = |cur: Option<&MemoEntry>| -> Result<Option<String>, Failure> {
        Ok(cur.filter(|e| !e.value.is_empty()).map(|_| String::new()))
    };
    let w = write_entry(&ctx.course_dir, &cl.path, &cl.stem, &key_name, &mut decide)?;
    if w == Written::Changed {
        ctx.append(&[Record::new(&cl.lab.id, "memo-unset").detail("key", key_name.as_str())])?;
        ctx.note(&format!("emptied '{key_name}' in {}", cl.lab.id));
    } else {
        ctx.note(&format!("'{key_name}' in {} is already empty", cl.lab.id));
    }
    Ok(())
}

/// The entry of `lab` for `key`, or an error that lists the lab's entries.
fn entry_of<'a>(lab: &'a lab::Lab, key: &str) -> Result<&'a MemoEntry, Failure> {
    memo::find(lab, key).ok_or_else(|| {
        Failure::user(format!(
            "lab {} has no memo entry '{}'; its entries are: {}",
            lab.id,
            key.trim(),
            entry_names(lab)
        ))
    })
}

fn entry_names(lab: &lab::Lab) -> String {
    let v: Vec<&str> = lab.memo_entries().map(|e| e.key.as_str()).collect();
    if v.is_empty() {
        "(none: the lab has no memo block)".into()
    } else {
        v.join(", ")
    }
}

/// The plaintext of a raw memo value (decrypting when it is encrypted).
pub fn reveal(
    raw: &str,
    lab_id: &str,
    key: &str,
    keyring: &mut Option<Keyring>,
) -> Result<SecretString, Failure> {
    if let Some(v) = crate::multiline::decode(raw) {
        return v
            .map(SecretString::from)
            .map_err(|e| Failure::data(format!("lab {lab_id}, key '{key}': {e}")));
    }
    if !secret::is_encrypted(raw) {
        return Ok(SecretString::from(raw.to_string()));
    }
    if keyring.is_none() {
        *keyring = Some(Keyring::load()?);
    }
    let kr = keyring.as_ref().expect("loaded above");
    kr.decrypt(raw).map_err(|e| {
        Failure::data(format!(
            "lab {lab_id}, key '{key}': cannot decrypt the value: {e}"
        ))
    })
}

pub fn get(ctx: &Ctx, key: &str, lab_arg: Option<&str>) -> CmdResult {
    let course = ctx.open_course()?;
    let key = &crate::wanted::key_for(&course, &CourseConfig::load(&ctx.course_dir)?, key);
    let found = match lab_arg {
        Some(a) => {
            let k = course.resolve(a)?;
            let cl = &course.labs[k];
            let e = entry_of(&cl.lab, key)?;
            if e.value.is_empty() {
                return Err(Failure::user(format!(
                    "'{}' in lab {} is empty; note it with `labnote memo set {} \"{}\" VALUE`",
                    e.key, cl.lab.id, cl.lab.id, e.key
                )));
            }
            Found {
                lab_index: k,
                key: e.key.clone(),
                raw: e.value.clone(),
            }
        }
        None => {
            let records = ctx.load_journal()?;
            match holders(&course, &records, key).pop() {
                Some(f) => f,
                None => {
                    return Err(Failure::user(format!(
                        "no lab of the course holds a value for '{}'",
                        key.trim()
                    )))
                }
            }
        }
    };
    let cl = &course.labs[found.lab_index];
    if ctx.verbose > 0 {
        eprintln!("'{}' from lab {} ({})", found.key, cl.lab.id, cl.rel_path);
    }
    let mut kr = None;
    let v = reveal(&found.raw, &cl.lab.id, &found.key, &mut kr)?;
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    let _ = out.write_all(v.expose_secret().as_bytes());
    let _ = out.write_all(b"\n");
    Ok(())
}

/// Refuse when one of `keys` is written twice in the lab (read again from disk, as a write
/// would see it).
fn check_unique<'a>(
    cl: &crate::course::CourseLab,
    keys: impl Iterator<Item = &'a str>,
) -> CmdResult {
    let bytes = std::fs::read(&cl.path)
        .map_err(|e| Failure::data(format!("{}: cannot read the lab: {e}", cl.rel_path)))?;
    let text = String::from_utf8_lossy(&bytes);
    let lab = lab::parse_str(&text, &cl.stem);
    for key in keys {
        memo::find_unique(&text, &lab, key)
            .map_err(|e| Failure::user(format!("{}: {e}", cl.rel_path)))?;
    }
    Ok(())
}

/// Encrypt secret values that were noted in plaintext (by hand).
pub fn seal(ctx: &Ctx, lab_arg: Option<&str>) -> CmdResult {
    let course = ctx.open_course()?;
    let cfg = CourseConfig::load(&ctx.course_dir)?;
    let sel = selected(&course, lab_arg)?;
    // Every lab is checked before the first write: a key written twice is refused with
    // nothing sealed, instead of sealing one entry and losing or leaving the other.
    let mut work = Vec::new();
    for &k in &sel {
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
        work.push((k, plain));
    }
    let mut keyring = None;
    let mut n = 0;
    for (k, plain) in work {
        let cl = &course.labs[k];
        for (key, value) in plain {
            if keyring.is_none() {
                keyring = Some(Keyring::load()?);
            }
            let v = SecretString::from(value);
            set_value(ctx, &course, k, &key, &v, true, keyring.as_ref())?;
            ctx.note(&format!("encrypted '{key}' in {}", cl.lab.id));
            n += 1;
        }
    }
    if n == 0 {
        ctx.note("no plaintext secrets found");
    }
    Ok(())
}
