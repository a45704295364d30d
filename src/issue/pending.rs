//! The pending-issuance file `<course>/.labnote/pending-key.yaml`: what an issuance records
//! before each step that cannot be taken back, and how it is read again.
//!
//! The file is input like any other file of a course folder: a clone or a zip may carry one
//! that labnote never wrote. So it is read without following links, only if it is a small
//! regular file of ours (owner and mode 0600, as labnote writes it), its stage is one of the
//! known ones, and every field is what it claims to be (the lab is a lab of this course, ids
//! are access key ids, times parse and the recorded window is no wider than an issuance
//! makes it). Anything else is refused before it is acted on.

use std::io::Read;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::iam;
use crate::{journal, memo, secret, store};

use super::IssueError;

/// The longest a pending file of labnote's own can be (a few hundred bytes in practice).
const MAX_LEN: u64 = 64 * 1024;

/// How long after IAM's time of the listing just before CreateAccessKey that request can
/// have been carried out: the request is given up by the client before
/// `CREATE_WINDOW - SERVER_SLACK` (see [`create_budget`]), and IAM finishes a request it
/// received within `SERVER_SLACK`. A key IAM made later was made by someone else.
pub const CREATE_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_secs(10);
const SERVER_SLACK: std::time::Duration = std::time::Duration::from_secs(3);

/// The time the create may take, all retries included, when it is sent `elapsed` after the
/// listing whose `Date` opens the window (that date is cut to the second: one more second).
pub fn create_budget(elapsed: std::time::Duration) -> Option<std::time::Duration> {
    let window = std::time::Duration::from_secs(CREATE_WINDOW.as_secs() as u64);
    window
        .checked_sub(SERVER_SLACK + std::time::Duration::from_secs(1))?
        .checked_sub(elapsed)
}

/// The pending-issuance file.
pub fn path(course_dir: &Path) -> PathBuf {
    journal::state_dir(course_dir).join("pending-key.yaml")
}

/// Where an issuance is. Each stage says what the next command does if it was interrupted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Retiring `retiring` (never the memo's working key) to make room; no key created yet.
    /// Undone: the key is made active again if it still exists.
    Retiring,
    /// CreateAccessKey may have been sent. Undone: a key IAM made inside the recorded window
    /// is deleted (its secret never reached labnote).
    #[default]
    Intent,
    /// The new key id and its encrypted secret are here. Finished: the memo is written.
    Created,
    /// The memo holds the new key; `retire_after` (the old memo key) is still to be retired.
    /// Finished: it is retired.
    Saved,
}

/// What is on disk while an issuance is under way.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    pub stage: Stage,
    pub lab: String,
    /// Lab file, relative to the course folder.
    pub path: String,
    pub user: String,
    /// `--rotate` (for the advice after an interruption).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rotate: bool,
    /// A key was retired on confirmation (the advice then says `--yes`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Stage `retiring`: the key being retired, and whether it was active before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retiring: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retiring_was_active: bool,
    /// Access key ids the user had just before the create (the listing at `iam_date`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    /// IAM's own time (its `Date` header) of that listing, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_date: Option<String>,
    /// By IAM's clock, the create cannot have been carried out after this (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// `age:…` — never the plaintext.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The old memo key, retired once the new one is saved (`--rotate`, or `--retire` with
    /// fewer than 2 keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retire_after: Option<String>,
    /// Keys retired before the create to make room, for the journal and the messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
}

/// Where the new key goes: the lab file and its two memo entries (taken from the lab, never
/// from the pending file).
#[derive(Debug, Clone)]
pub struct Target {
    pub lab_path: PathBuf,
    pub stem: String,
    pub id_key: String,
    pub secret_key: String,
}

/// A pending file that passed [`check`]: safe to act on.
#[derive(Debug)]
pub struct Checked {
    pub p: Pending,
    pub target: Target,
    /// Stage `intent`: the keys IAM made in `[from, to]` can be this issuance's.
    pub window: Option<(jiff::Timestamp, jiff::Timestamp)>,
    /// Access key ids noted in any memo of the course (never deleted by recovery).
    pub noted: Vec<String>,
}

pub fn write(course_dir: &Path, p: &Pending) -> Result<(), IssueError> {
    let text = serde_yaml::to_string(p)
        .map_err(|e| IssueError::Data(format!("cannot encode the pending key: {e}")))?;
    store::create_dir_private(&journal::state_dir(course_dir))?;
    store::write_private(&path(course_dir), text.as_bytes(), true)?;
    Ok(())
}

pub fn remove(course_dir: &Path) -> Result<(), IssueError> {
    let p = path(course_dir);
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(IssueError::Data(format!(
            "{}: cannot remove: {e}",
            p.display()
        ))),
    }
}

/// Whether there is something at the pending file's place (a link counts: it is refused).
pub fn exists(course_dir: &Path) -> bool {
    std::fs::symlink_metadata(path(course_dir)).is_ok()
}

/// The refusal of a pending file: names the file and the fix, says nothing was done.
pub fn refused(course_dir: &Path, reason: &str, user: Option<&str>) -> IssueError {
    let file = path(course_dir);
    let user = user.filter(|u| iam::is_user_name(u)).unwrap_or("USER");
    IssueError::Refused(format!(
        "{}: {reason}. labnote did not act on it: nothing was deleted or written. If an \
         issue-key of yours was interrupted, check the user's keys with `aws iam \
         list-access-keys --user-name {user}` and delete a key whose secret you do not have \
         (`aws iam delete-access-key --user-name {user} --access-key-id ID`); then remove {}",
        file.display(),
        file.display()
    ))
}

/// Read the pending file; `None` when there is none. Never follows a link, never blocks on
/// a FIFO, never reads more than [`MAX_LEN`].
pub fn read(course_dir: &Path) -> Result<Option<Pending>, IssueError> {
    let p = path(course_dir);
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&p)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(refused(course_dir, "it is a symbolic link", None))
        }
        Err(e) => return Err(IssueError::Data(format!("{}: {e}", p.display()))),
    };
    let meta = file
        .metadata()
        .map_err(|e| IssueError::Data(format!("{}: {e}", p.display())))?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let reason = if !meta.is_file() {
        Some("it is not a regular file")
    } else if meta.len() > MAX_LEN {
        Some("it is far larger than labnote's own")
    } else if meta.uid() != me || meta.mode() & 0o077 != 0 {
        Some("labnote did not write it (labnote's is yours with mode 0600)")
    } else {
        None
    };
    if let Some(r) = reason {
        return Err(refused(course_dir, r, None));
    }
    let mut text = String::new();
    file.take(MAX_LEN)
        .read_to_string(&mut text)
        .map_err(|_| refused(course_dir, "it is not UTF-8 text", None))?;
    serde_yaml::from_str(&text).map(Some).map_err(|e| {
        let e = e.to_string().replace(['\n', '\r'], " ");
        refused(course_dir, &format!("it is not a pending key ({e})"), None)
    })
}

/// Check a pending file against the course before anything is done with it.
pub fn check(course_dir: &Path, p: Pending) -> Result<Checked, IssueError> {
    let user = p.user.clone();
    let fail = |reason: String| refused(course_dir, &reason, Some(&user));
    let course = Course::open(course_dir)
        .map_err(|e| fail(format!("the course cannot be read to check it ({e})")))?;
    let cl = course
        .labs
        .iter()
        .find(|cl| cl.rel_path == p.path)
        .ok_or_else(|| {
            fail(format!(
                "its lab path {:?} is not a lab of this course",
                p.path
            ))
        })?;
    if cl.lab.id != p.lab {
        return Err(fail(format!(
            "it names lab {:?} but {} is lab {}",
            p.lab, cl.rel_path, cl.lab.id
        )));
    }
    let (id_key, secret_key) = memo::access_key_entries(&cl.lab)
        .ok_or_else(|| fail(format!("lab {} has no access-key memo entries", cl.lab.id)))?;
    check_fields(&p).map_err(fail)?;
    let window = match p.stage {
        Stage::Intent => Some(intent_window(&p).map_err(fail)?),
        _ => None,
    };
    Ok(Checked {
        target: Target {
            lab_path: cl.path.clone(),
            stem: cl.stem.clone(),
            id_key,
            secret_key,
        },
        noted: super::noted_key_ids(&course),
        window,
        p,
    })
}

/// Every field is what it claims to be, and each stage has what it needs.
fn check_fields(p: &Pending) -> Result<(), String> {
    if !iam::is_user_name(&p.user) {
        return Err(format!("{:?} is not an IAM user name", p.user));
    }
    let ids = p
        .before
        .iter()
        .chain(&p.retired)
        .chain(&p.retiring)
        .chain(&p.key_id)
        .chain(&p.retire_after);
    if let Some(bad) = ids.into_iter().find(|id| !iam::is_access_key_id(id)) {
        return Err(format!("{bad:?} is not an access key id"));
    }
    let word = |s: &str, extra: &[u8]| {
        (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    };
    if let Some(pr) = p.profile.as_deref().filter(|pr| !word(pr, b"-_.+@")) {
        return Err(format!("{pr:?} is not a profile name"));
    }
    if let Some(r) = p.region.as_deref().filter(|r| !word(r, b"-")) {
        return Err(format!("{r:?} is not a region"));
    }
    if let Some(u) = &p.endpoint_url {
        iam::validate_endpoint(u).map_err(|e| e.to_string())?;
    }
    if let Some(c) = &p.created {
        c.parse::<jiff::Timestamp>()
            .map_err(|_| format!("created {c:?} is not a time"))?;
    }
    if let Some(s) = &p.secret {
        let payload = s.strip_prefix(secret::PREFIX).unwrap_or_default();
        if payload.is_empty()
            || !payload
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        {
            return Err("its secret is not an age-encrypted value".into());
        }
    }
    let missing = match p.stage {
        Stage::Retiring => p.retiring.is_none().then_some("the key being retired"),
        Stage::Intent => None,
        Stage::Created => (p.key_id.is_none() || p.secret.is_none())
            .then_some("the key id and its encrypted secret"),
        Stage::Saved => (p.key_id.is_none() || p.retire_after.is_none())
            .then_some("the new key id and the key to retire"),
    };
    match missing {
        Some(what) => Err(format!("it lacks {what}")),
        None => Ok(()),
    }
}

/// Stage `intent`: IAM's time of the listing and the deadline, at most [`CREATE_WINDOW`]
/// apart (a planted file cannot widen it).
fn intent_window(p: &Pending) -> Result<(jiff::Timestamp, jiff::Timestamp), String> {
    let time = |name: &str, v: &Option<String>| -> Result<jiff::Timestamp, String> {
        let v = v.as_deref().ok_or_else(|| format!("it lacks {name}"))?;
        v.parse().map_err(|_| format!("{name} {v:?} is not a time"))
    };
    let from = time("iam_date", &p.iam_date)?;
    let to = time("deadline", &p.deadline)?;
    if to < from || to.duration_since(from) > CREATE_WINDOW {
        return Err(format!(
            "its window {from} .. {to} is not one labnote records (at most {}s)",
            CREATE_WINDOW.as_secs()
        ));
    }
    // CreateDate and Date are cut to the second, each its own way.
    Ok((from - jiff::SignedDuration::from_secs(1), to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent() -> Pending {
        serde_yaml::from_str(
            "stage: intent\nlab: '2-4'\npath: a.md\nuser: mspuser\n\
             iam_date: 2026-01-01T00:00:00Z\ndeadline: 2026-01-01T00:00:10Z\n",
        )
        .unwrap()
    }

    #[test]
    fn an_unknown_stage_is_not_a_pending_key() {
        let r: Result<Pending, _> =
            serde_yaml::from_str("stage: whatever\nlab: x\npath: a.md\nuser: u\n");
        assert!(r.is_err());
    }

    #[test]
    fn fields_are_checked() {
        assert!(check_fields(&intent()).is_ok());
        let mut p = intent();
        p.key_id = Some("AKIAIOSFODNN7EXAMPLE\nimport os".into());
        assert!(check_fields(&p)
            .unwrap_err()
            .contains("not an access key id"));
        let mut p = intent();
        p.user = "../../etc".into();
        assert!(check_fields(&p)
            .unwrap_err()
            .contains("not an IAM user name"));
        let mut p = intent();
        p.stage = Stage::Created;
        assert!(check_fields(&p).unwrap_err().contains("lacks"));
        p.key_id = Some("AKIAIOSFODNN7EXAMPLE".into());
        p.secret = Some("age:`rm -rf`".into());
        assert!(check_fields(&p).unwrap_err().contains("age-encrypted"));
        p.secret = Some("age:QUJD".into());
        assert!(check_fields(&p).is_ok());
    }

    #[test]
    fn the_window_is_bounded_and_parsed() {
        assert!(intent_window(&intent()).is_ok());
        let mut p = intent();
        p.iam_date = Some("not-a-time".into());
        assert!(intent_window(&p).unwrap_err().contains("not a time"));
        let mut p = intent();
        p.deadline = Some("2126-01-01T00:00:00Z".into());
        assert!(intent_window(&p).unwrap_err().contains("window"));
    }

    #[test]
    fn the_create_budget_leaves_the_slack() {
        assert_eq!(
            create_budget(std::time::Duration::ZERO),
            Some(std::time::Duration::from_secs(6))
        );
        assert_eq!(create_budget(std::time::Duration::from_secs(7)), None);
    }
}
