//! age chores of the memo: `memo rekey`, and `memo set K 'age:…'` taking a ciphertext as is.
//!
//! `rekey` is sops' `updatekeys`: after a recipient is added to (or removed from)
//! recipients.txt, every secret of the course is encrypted again to the identity and the
//! current recipients. Each lab file is rewritten once, atomically, through
//! [`crate::labfile::rewrite`]; every secret is decrypted before the first file is touched,
//! so a value we cannot read stops the command with nothing changed.

use secrecy::SecretString;

use super::{CmdResult, Ctx, Failure};
use crate::journal::{Event, Record};
use crate::labfile::EditError;
use crate::memo;
use crate::secret::{self, Keyring};
use crate::t;

/// The stored form of a value that is already an `age:` ciphertext this identity opens, so
/// `memo set` keeps it instead of encrypting the ciphertext again; `None` for any other
/// value. A ciphertext we cannot open is refused: labnote stores only what it can read back.
pub fn accept_ciphertext(kr: &Keyring, value: &SecretString) -> Result<Option<String>, Failure> {
    use secrecy::ExposeSecret;
    let v = value.expose_secret();
    if !secret::is_encrypted(v) {
        return Ok(None);
    }
    match kr.decrypt(v) {
        Ok(_) => Ok(Some(memo::render_value(v, true))),
        Err(secret::SecretError::WrongIdentity) => Err(Failure::user(t!(
            "agecmd-foreign-ciphertext",
            identity = kr.identity_path(),
            keys = kr.public_keys().join(", ")
        ))),
        Err(e) => Err(Failure::user(t!(
            "agecmd-bad-ciphertext",
            reason = e.to_string()
        ))),
    }
}

/// Every encrypted entry of a lab with its plaintext: (key, plaintext).
fn open_all(
    kr: &Keyring,
    lab: &crate::lab::Lab,
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
fn rekeyed(
    kr: &Keyring,
    text: &str,
    lab: &crate::lab::Lab,
    stem: &str,
) -> Result<Option<String>, EditError> {
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

pub fn rekey(ctx: &Ctx, lab_arg: Option<&str>) -> CmdResult {
    let course = ctx.open_course()?;
    let sel: Vec<usize> = match lab_arg {
        Some(a) => vec![course.resolve(a)?],
        None => (0..course.labs.len()).collect(),
    };
    let kr = Keyring::load()?;
    // Every value must open before any file changes.
    for &k in &sel {
        let lab = &course.labs[k].lab;
        open_all(&kr, lab).map_err(|(key, e)| {
            Failure::data(t!(
                "agecmd-rekey-stopped",
                lab = lab.id,
                key = key,
                reason = e.to_string()
            ))
        })?;
    }
    let mut total = 0;
    for &k in &sel {
        let cl = &course.labs[k];
        let n = cl
            .lab
            .memo_entries()
            .filter(|e| secret::is_encrypted(&e.value))
            .count();
        if n == 0 {
            continue;
        }
        let mut edit = |text: &str, lab: &crate::lab::Lab| rekeyed(&kr, text, lab, &cl.stem);
        crate::labfile::rewrite(&ctx.course_dir, &cl.path, &cl.stem, &mut edit)?;
        ctx.append(&[Record::new(&cl.lab.id, Event::MemoRekey).detail("secrets", n as u64)])?;
        ctx.note(&t!(
            "agecmd-rekeyed-lab",
            count = n,
            lab = cl.lab.id,
            path = cl.rel_path
        ));
        total += n;
    }
    ctx.note(&t!(
        "agecmd-rekeyed-total",
        count = total,
        recipients = kr.recipients().len(),
        keys = kr.recipients().join(", ")
    ));
    Ok(())
}
