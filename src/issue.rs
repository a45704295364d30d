//! The access-key step: issue an AWS access key for the lab's IAM user and save it in the
//! lab's memo, never losing the secret.
//!
//! AWS shows a Secret Access key exactly once. Between CreateAccessKey returning and the memo
//! holding the encrypted secret, the plaintext exists only in memory, and the work is ordered
//! so that a crash at any instant leaves one of:
//!
//! * (a) the memo holds the new key id and its encrypted secret; or
//! * (b) the pending file `<course>/.labnote/pending-key.yaml` (mode 0600) holds the key id
//!   and the *encrypted* secret, and the next labnote command finishes the memo write; or
//! * (c) no new key exists: the pending file records the intent (user, the keys that existed
//!   before, the time) *before* CreateAccessKey is sent, so the next labnote command deletes
//!   a key created after that moment whose secret was never saved.
//!
//! A CreateAccessKey that fails is checked at once the same way as (c): IAM may have made
//! the key though its answer was lost (a timeout, or a 5xx the SDK retried). And after a
//! successful one, a key that a retried request made besides ours is deleted.
//!
//! The pending file is written atomically (temp, fsync, rename), so it is either the intent or
//! the saved key, never half of one. An issuance holds `issue.lock` from start to end;
//! recovery only runs when it can take that lock, so it never races a live issuance.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::iam::{self, AwsOptions, Iam, IamError, KeyInfo};
use crate::journal::{self, Journal, Record};
use crate::lab::Lab;
use crate::secret::{self, Keyring};
use crate::{labfile, memo, store};

/// The pending-issuance file.
pub fn pending_path(course_dir: &Path) -> PathBuf {
    journal::state_dir(course_dir).join("pending-key.yaml")
}

fn issue_lock(course_dir: &Path) -> PathBuf {
    journal::state_dir(course_dir).join("issue.lock")
}

/// What is on disk while an issuance is under way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    /// `intent` (CreateAccessKey may have been sent) or `created` (key id and encrypted
    /// secret saved here).
    pub stage: String,
    pub lab: String,
    /// Lab file, relative to the course folder.
    pub path: String,
    pub id_key: String,
    pub secret_key: String,
    pub user: String,
    /// Access key ids the user had before the create.
    pub before: Vec<String>,
    /// When the intent was recorded (RFC 3339).
    pub since: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// `age:…` — never the plaintext.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// A key to retire once the new one is saved (`--rotate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retire_after: Option<String>,
    /// Keys already retired before the create (the user had 2), for the journal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Iam(#[from] IamError),
    #[error(transparent)]
    Secret(#[from] secret::SecretError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error("{0}")]
    User(String),
    #[error("{0}")]
    Data(String),
}

impl IssueError {
    pub fn exit_code(&self) -> i32 {
        match self {
            IssueError::User(_) => 1,
            _ => 2,
        }
    }
}

/// The interaction an issuance needs; the CLI implements it for a terminal.
pub trait Ui {
    /// Work in progress (a spinner on a terminal).
    fn progress(&self, msg: &str);
    /// A message for the student.
    fn note(&self, msg: &str);
    /// Ask to retire `retire` among `keys`. Return false to stop with nothing changed.
    fn confirm_retire(&self, user: &str, keys: &[KeyInfo], retire: &KeyInfo) -> bool;
}

/// What to do.
pub struct Request<'a> {
    pub course_dir: &'a Path,
    pub lab_path: &'a Path,
    pub lab_rel: &'a str,
    pub stem: &'a str,
    pub user: Option<String>,
    pub description: Option<String>,
    pub retire: Option<String>,
    pub rotate: bool,
    pub aws: AwsOptions,
    /// Access key ids noted anywhere in the course's memos (never retired automatically).
    pub protected: Vec<String>,
}

/// What was done.
#[derive(Debug, Default)]
pub struct Outcome {
    pub user: String,
    pub new_key: Option<String>,
    pub retired: Vec<String>,
    /// The memo already held an active key of the user: nothing was changed.
    pub unchanged_key: Option<String>,
    pub lab_written: bool,
}

fn runtime() -> Result<tokio::runtime::Runtime, IssueError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| IssueError::Data(format!("cannot start the async runtime: {e}")))
}

/// Test hook: pause between stages so a test can kill the process at each of them.
fn test_pause() {
    if let Some(ms) = std::env::var("LABNOTE_TEST_ISSUE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn write_pending(course_dir: &Path, p: &Pending) -> Result<(), IssueError> {
    let text = serde_yaml::to_string(p)
        .map_err(|e| IssueError::Data(format!("cannot encode the pending key: {e}")))?;
    store::create_dir_private(&journal::state_dir(course_dir))?;
    store::write_private(&pending_path(course_dir), text.as_bytes(), true)?;
    Ok(())
}

fn remove_pending(course_dir: &Path) -> Result<(), IssueError> {
    let p = pending_path(course_dir);
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(IssueError::Data(format!(
            "{}: cannot remove: {e}",
            p.display()
        ))),
    }
}

fn read_pending(course_dir: &Path) -> Result<Option<Pending>, IssueError> {
    let p = pending_path(course_dir);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(IssueError::Data(format!("{}: {e}", p.display()))),
    };
    serde_yaml::from_str(&text).map(Some).map_err(|e| {
        IssueError::Data(format!(
            "{}: damaged ({e}); check the IAM user's keys in the console and delete this file",
            p.display()
        ))
    })
}

/// Write the key id and the encrypted secret into the lab's memo.
fn save_to_lab(
    course_dir: &Path,
    lab_path: &Path,
    stem: &str,
    id_key: &str,
    secret_key: &str,
    key_id: &str,
    encrypted: &str,
) -> Result<bool, labfile::LabFileError> {
    let stored_secret = memo::render_value(encrypted, true);
    let mut edit = |text: &str, _lab: &Lab| -> Result<Option<String>, String> {
        labfile::set_entries(
            text,
            stem,
            &[(id_key, key_id), (secret_key, &stored_secret)],
        )
        .map_err(|e| e.to_string())
    };
    labfile::rewrite(course_dir, lab_path, stem, &mut edit)
}

/// Journal records for a saved key: `issued-key`, and `done` for the access-key step and
/// the saving step.
fn saved_records(lab: &Lab, p: &Pending) -> Vec<Record> {
    let mut out = Vec::new();
    let (create_step, save_step) = key_steps(lab, &p.secret_key);
    let mut r = Record::new(&lab.id, "issued-key")
        .detail("user", p.user.as_str())
        .detail("access_key_id", p.key_id.clone().unwrap_or_default())
        .detail("key", p.id_key.as_str());
    if let Some(c) = &p.created {
        r = r.detail("created", c.as_str());
    }
    let retired: Vec<&str> = p
        .retired
        .iter()
        .chain(p.retire_after.iter())
        .map(String::as_str)
        .collect();
    if !retired.is_empty() {
        r = r.detail("retired", retired.join(", "));
    }
    if let Some(i) = create_step {
        r.step = Some(lab.steps[i].id.clone());
        r.title = Some(lab.steps[i].title.clone());
        r.fingerprint = Some(lab.steps[i].fingerprint.clone());
    }
    out.push(r);
    for i in [create_step, save_step].into_iter().flatten() {
        for leaf in lab.leaves_of(i) {
            let s = &lab.steps[leaf];
            let mut d = Record::new(&lab.id, "done").detail("by", "issue-key");
            d.step = Some(s.id.clone());
            d.title = Some(s.title.clone());
            d.fingerprint = Some(s.fingerprint.clone());
            out.push(d);
        }
    }
    out
}

/// The access-key step (titled like `Create access key`) and the step that saves the key
/// (titled `저장`/`save`, or the first later step that names the secret's placeholder).
pub fn key_steps(lab: &Lab, secret_key: &str) -> (Option<usize>, Option<usize>) {
    let create = lab.steps.iter().position(|s| {
        let t = s.title.to_lowercase();
        (t.contains("access key") || t.contains("액세스 키") || t.contains("액세스키"))
            && (t.contains("create") || t.contains("생성") || t.contains("만들"))
    });
    let want = memo::normalize_key(secret_key);
    let start = create.map_or(0, |c| c + 1);
    let save = (start..lab.steps.len())
        .find(|&i| {
            let t = lab.steps[i].title.to_lowercase();
            t.contains("저장") || t.contains("save")
        })
        .or_else(|| {
            lab.placeholders
                .iter()
                .filter(|p| p.step.is_some_and(|s| s >= start))
                .find(|p| memo::normalize_key(&p.name) == want)
                .and_then(|p| p.step)
        });
    (create, save)
}

fn parse_lab(path: &Path, stem: &str) -> Result<Lab, IssueError> {
    let bytes =
        std::fs::read(path).map_err(|e| IssueError::Data(format!("{}: {e}", path.display())))?;
    crate::lab::parse(&bytes, stem)
        .map_err(|e| IssueError::Data(format!("{}: {e}", path.display())))
}

/// Issue a key. See the module documentation for the order of the work.
pub fn issue(req: &Request, ui: &dyn Ui) -> Result<Outcome, IssueError> {
    let lock = store::try_lock_exclusive(&issue_lock(req.course_dir))?;
    let Some(_lock) = lock else {
        return Err(IssueError::User(
            "another `labnote issue-key` is running for this course; wait for it to finish".into(),
        ));
    };
    // Finish or clean up an earlier interrupted issuance first.
    for m in recover_locked(req.course_dir, ui)? {
        ui.note(&m);
    }
    let lab = parse_lab(req.lab_path, req.stem)?;
    let Some((id_key, secret_key)) = memo::access_key_entries(&lab) else {
        return Err(IssueError::User(format!(
            "lab {} ({}) has no memo entries for an access key: it needs an `Access Key ID` and a `Secret Access key` entry in its 📌 memo block",
            lab.id, req.lab_rel
        )));
    };
    // A description IAM would refuse must stop us before a key exists, not leave one
    // without its tag.
    if let Some(d) = &req.description {
        check_description(d).map_err(|e| IssueError::User(e.to_string()))?;
    }
    // The secret must be encryptable before any key exists.
    let keyring = Keyring::load()?;
    let current_id = memo::find(&lab, &id_key)
        .map(|e| e.value.clone())
        .filter(|v| !v.is_empty());
    // A noted key id without its secret is of no use to the student: replace that key as
    // `--rotate` would.
    let secret_missing = memo::find(&lab, &secret_key).is_none_or(|e| e.value.is_empty());
    let rotate = req.rotate || (current_id.is_some() && secret_missing);

    let rt = runtime()?;
    ui.progress("connecting to AWS IAM…");
    let iam = rt.block_on(Iam::connect(&req.aws))?;
    let user = match &req.user {
        Some(u) => u.clone(),
        None => {
            ui.progress("asking AWS who you are…");
            let caller = rt.block_on(iam.caller())?;
            caller.user_name.ok_or_else(|| {
                IssueError::User(format!(
                    "you are signed in as {} (not an IAM user); name the user whose key to create with --user NAME (students: mspuser), or set iam_user for lab {} in course.yaml",
                    caller.arn, lab.id
                ))
            })?
        }
    };
    ui.progress(&format!("listing the access keys of {user}…"));
    let mut keys = rt.block_on(iam.list_keys_brief(&user))?;

    if let Some(cur) = &current_id {
        if !rotate && keys.iter().any(|k| &k.id == cur && k.active) {
            return Ok(Outcome {
                user,
                unchanged_key: Some(cur.clone()),
                ..Outcome::default()
            });
        }
    }
    // Last use matters only when a key may be retired (choice and confirmation).
    if keys.len() >= 2 || rotate || req.retire.is_some() {
        rt.block_on(iam.fill_last_used(&user, &mut keys))?;
    }

    // Which key to retire, and when.
    let mut protected = req.protected.clone();
    let mut explicit = req.retire.clone();
    if rotate {
        if secret_missing && !req.rotate {
            ui.note(&format!(
                "the memo holds access key {} but not its secret: issuing a new key and retiring that one",
                current_id.as_deref().unwrap_or_default()
            ));
        }
        if let Some(cur) = &current_id {
            protected.retain(|p| p != cur);
            if explicit.is_none() && keys.iter().any(|k| &k.id == cur) {
                explicit = Some(cur.clone());
            }
        }
    }
    let mut retire_before = None;
    let mut retire_after = None;
    if keys.len() >= 2 {
        retire_before = iam::choose_key_to_retire(
            &keys,
            iam.signing_key_id(),
            &protected,
            explicit.as_deref(),
        )?;
    } else if let Some(e) = &explicit {
        retire_after = keys.iter().find(|k| &k.id == e).cloned();
        if retire_after.is_none() {
            return Err(IamError::UnknownRetireKey {
                key_id: e.clone(),
                keys: keys.iter().map(|k| k.id.clone()).collect(),
            }
            .into());
        }
    }
    if let Some(k) = retire_before
        .as_ref()
        .filter(|k| iam.signing_key_id() == Some(k.id.as_str()))
    {
        let others: Vec<&str> = keys
            .iter()
            .map(|o| o.id.as_str())
            .filter(|o| *o != k.id)
            .collect();
        return Err(IssueError::User(format!(
            "{} is the key labnote signs with (your current AWS credentials): with 2 keys it would have to be deleted before the new key is created, and AWS would then refuse the create. Retire the other key instead (--retire {}), or run with other credentials (--profile); nothing changed",
            k.id,
            others.join(" or --retire ")
        )));
    }
    for k in retire_before.iter().chain(retire_after.iter()) {
        if !ui.confirm_retire(&user, &keys, k) {
            return Err(IssueError::User(format!(
                "stopped: key {} was not retired and no key was created",
                k.id
            )));
        }
        if iam.signing_key_id() == Some(k.id.as_str()) {
            ui.note(&format!(
                "warning: {} is the key labnote itself signs with; after it is retired, use the new key",
                k.id
            ));
        }
    }
    let mut retired = Vec::new();
    if let Some(k) = &retire_before {
        ui.progress(&format!("retiring {} (deactivate, then delete)…", k.id));
        retire(&rt, &iam, &user, &k.id)?;
        retired.push(k.id.clone());
        // Said and recorded at once: whatever fails later, the student knows it is gone.
        ui.note(&format!("retired access key {} of {user}", k.id));
        Journal::for_course(req.course_dir).append(&[Record::new(&lab.id, "retired-key")
            .detail("user", user.as_str())
            .detail("access_key_id", k.id.as_str())])?;
    }

    // Record the intent before the key can exist.
    let before: Vec<String> = keys
        .iter()
        .map(|k| k.id.clone())
        .filter(|id| !retired.contains(id))
        .collect();
    let mut pending = Pending {
        stage: "intent".into(),
        lab: lab.id.clone(),
        path: req.lab_rel.to_string(),
        id_key: id_key.clone(),
        secret_key: secret_key.clone(),
        user: user.clone(),
        before,
        since: journal::now_rfc3339(),
        profile: req.aws.profile.clone(),
        region: req.aws.region.clone(),
        endpoint_url: req.aws.endpoint_url.clone(),
        key_id: None,
        secret: None,
        created: None,
        retire_after: retire_after.as_ref().map(|k| k.id.clone()),
        retired: retired.clone(),
    };
    write_pending(req.course_dir, &pending)?;
    test_pause();

    ui.progress(&format!("creating an access key for {user}…"));
    let new = match rt.block_on(iam.create_key(&user)) {
        Ok(k) => k,
        Err(e) => {
            // IAM may have made the key all the same: an answer lost to a timeout or a broken
            // connection, or a 5xx after which the SDK retried into LimitExceeded. Such a key's
            // secret never reached us, so it must not stay: check now, as recovery would.
            return Err(match delete_unsaved_keys(&rt, &iam, req.course_dir, &pending, None) {
                Ok(deleted) => {
                    remove_pending(req.course_dir)?;
                    if deleted.is_empty() {
                        e.into()
                    } else {
                        IssueError::Data(format!(
                            "{e}. IAM had created access key {} anyway, but its secret never reached labnote, so it was deleted again: nothing changed",
                            deleted.join(", ")
                        ))
                    }
                }
                // The pending intent stays: the next labnote command checks again.
                Err(c) => IssueError::Data(format!(
                    "{e}. Whether IAM created a key anyway could not be checked ({c}); the next labnote command checks again and deletes such a key (its secret never reached labnote)"
                )),
            });
        }
    };
    test_pause();
    let saved = keyring
        .encrypt(&new.secret)
        .map_err(IssueError::from)
        .and_then(|enc| {
            pending.stage = "created".into();
            pending.key_id = Some(new.id.clone());
            pending.secret = Some(enc);
            pending.created = new.created.map(|t| t.to_string());
            write_pending(req.course_dir, &pending)
        });
    if let Err(e) = saved {
        // (c): the secret cannot be kept, so the key must not exist.
        let deleted = rt.block_on(iam.delete_key(&user, &new.id));
        if deleted.is_ok() {
            let _ = remove_pending(req.course_dir);
        }
        // Else the intent (written before the create) stays, if it can: the next command
        // tries the delete again.
        return Err(match deleted {
            Ok(()) => IssueError::Data(format!(
                "the new key {} could not be saved ({e}), so it was deleted again; nothing changed — fix the cause and run the step again",
                new.id
            )),
            Err(d) => IssueError::Data(format!(
                "the new key {} could not be saved ({e}) and deleting it failed too ({d}); delete access key {} of user {user} in the IAM console: its secret is lost",
                new.id, new.id
            )),
        });
    }
    drop(new.secret);
    test_pause();

    if let Some(d) = &req.description {
        if let Err(e) = rt.block_on(iam.tag_description(&user, &new.id, d)) {
            ui.note(&format!("warning: the description tag was not set: {e}"));
        }
    }

    let lab_written = finish_pending(req.course_dir, &pending)?;
    test_pause();
    // A retried CreateAccessKey (the SDK retries a 5xx or a lost answer) may have made a key
    // besides ours, whose secret nobody has. Only when the user had no key: with one, such
    // a retry ends in LimitExceeded (handled above), never in a success.
    let extra = if pending.before.is_empty() {
        delete_unsaved_keys(&rt, &iam, req.course_dir, &pending, Some(&new.id))
    } else {
        Ok(Vec::new())
    };
    match extra {
        Ok(deleted) => {
            for id in deleted {
                ui.note(&format!(
                    "deleted access key {id} of {user}: IAM made it too, on a retried request, and its secret never reached labnote"
                ));
            }
        }
        Err(e) => ui.note(&format!(
            "warning: could not check {user} for a duplicate key from a retried request ({e}); the user's keys should be {} and the new {}",
            if pending.before.is_empty() { "none".to_string() } else { pending.before.join(", ") },
            new.id
        )),
    }
    if let Some(old) = &pending.retire_after {
        ui.progress(&format!("retiring the old key {old}…"));
        retire(&rt, &iam, &user, old)?;
        retired.push(old.clone());
    }
    remove_pending(req.course_dir)?;
    Ok(Outcome {
        user,
        new_key: Some(new.id),
        retired,
        unchanged_key: None,
        lab_written,
    })
}

/// The rule of an IAM tag value (what [`Iam::tag_description`] checks too, but only once the
/// key exists): at most 256 letters, digits, spaces and `_ . : / = + - @`.
fn check_description(description: &str) -> Result<(), IamError> {
    let count = description.chars().count();
    let reason = if count > 256 {
        format!("it is {count} characters long, the limit is 256")
    } else if let Some(c) = description.chars().find(|&c| {
        !(c.is_alphanumeric()
            || c == ' '
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@'))
    }) {
        format!("the character {c:?} is not allowed")
    } else {
        return Ok(());
    };
    Err(IamError::InvalidDescription { reason })
}

/// Deactivate, then delete (as the console does). The key we sign with is deleted directly:
/// AWS refuses requests signed with an inactive key, so the delete would fail.
fn retire(rt: &tokio::runtime::Runtime, iam: &Iam, user: &str, id: &str) -> Result<(), IssueError> {
    if iam.signing_key_id() != Some(id) {
        match rt.block_on(iam.deactivate_key(user, id)) {
            Ok(()) | Err(IamError::NoSuchKey { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    match rt.block_on(iam.delete_key(user, id)) {
        Ok(()) | Err(IamError::NoSuchKey { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Access key ids noted in any memo of the course.
pub fn noted_key_ids(course: &crate::course::Course) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for cl in &course.labs {
        for e in cl.lab.memo_entries() {
            let looks_like_id = e.value.len() >= 16
                && (e.value.starts_with("AKIA") || e.value.starts_with("ASIA"))
                && e.value.chars().all(|c| c.is_ascii_alphanumeric());
            if (memo::access_field(&e.key) == Some(memo::AccessField::Id) || looks_like_id)
                && !e.value.is_empty()
                && !v.contains(&e.value)
            {
                v.push(e.value.clone());
            }
        }
    }
    v
}

/// How long before the recorded intent (by this computer's clock) a key's creation time (by
/// AWS's clock) may be and still count as made by that issuance: clock skew.
const INTENT_BEFORE: jiff::SignedDuration = jiff::SignedDuration::from_secs(600);
/// How long after the intent: the create request's lifetime (connect and operation timeouts,
/// retries) plus a little skew. A key made later was made by someone else — typically the
/// student in the console after the interruption — and is left alone.
const INTENT_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_secs(120);

/// Delete the keys of `p.user` made around the intent `p` was recorded, except `keep`: their
/// secret never reached labnote. A key that existed before, one created outside the window
/// around the intent, or one noted in any memo of the course (the student made and saved
/// it by hand) is never touched. Returns the deleted key ids.
fn delete_unsaved_keys(
    rt: &tokio::runtime::Runtime,
    iam: &Iam,
    course_dir: &Path,
    p: &Pending,
    keep: Option<&str>,
) -> Result<Vec<String>, IssueError> {
    let noted = crate::course::Course::open(course_dir)
        .map(|c| noted_key_ids(&c))
        .unwrap_or_default();
    let keys = match rt.block_on(iam.list_keys_brief(&p.user)) {
        Ok(k) => k,
        // No user, no key.
        Err(IamError::NoSuchUser { .. }) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let since: Option<jiff::Timestamp> = p.since.parse().ok();
    let mut deleted = Vec::new();
    for k in &keys {
        if p.before.contains(&k.id) || keep == Some(k.id.as_str()) || noted.contains(&k.id) {
            continue;
        }
        // A key made long before or after the intent was made by someone else: leave it.
        let in_window = match (k.created, since) {
            (Some(c), Some(s)) => c >= s - INTENT_BEFORE && c <= s + INTENT_AFTER,
            _ => true,
        };
        if !in_window {
            continue;
        }
        retire(rt, iam, &p.user, &k.id)?;
        deleted.push(k.id.clone());
    }
    Ok(deleted)
}

/// Stage `created`: write the memo and the journal. On failure the pending file stays, so
/// the next command finishes the job (b).
fn finish_pending(course_dir: &Path, p: &Pending) -> Result<bool, IssueError> {
    let (Some(key_id), Some(enc)) = (&p.key_id, &p.secret) else {
        return Err(IssueError::Data("pending key without id or secret".into()));
    };
    let lab_path = course_dir.join(&p.path);
    let stem = lab_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let written = save_to_lab(
        course_dir,
        &lab_path,
        &stem,
        &p.id_key,
        &p.secret_key,
        key_id,
        enc,
    )
    .map_err(|e| {
        IssueError::Data(format!(
            "access key {key_id} of {} was created and its secret is saved encrypted in {}, but the lab could not be written: {e}. Fix that (e.g. `chmod u+w {}`) and run any labnote command: it finishes the save",
            p.user,
            pending_path(course_dir).display(),
            lab_path.display()
        ))
    })?;
    let lab = parse_lab(&lab_path, &stem)?;
    // A crash after the journal append but before the pending file was removed brings us
    // here again: record the issuance once.
    let journal = Journal::for_course(course_dir);
    let recorded = journal.load()?.records.iter().any(|r| {
        r.event == "issued-key"
            && r.details.get("access_key_id").and_then(|v| v.as_str()) == Some(key_id.as_str())
    });
    if !recorded {
        journal.append(&saved_records(&lab, p))?;
    }
    Ok(written)
}

/// Finish or clean up an interrupted issuance. Runs at the start of every command; does
/// nothing when there is no pending file or an issuance is running right now. Returns
/// messages for the student.
pub fn recover(course_dir: &Path, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    if !pending_path(course_dir).exists() {
        return Ok(Vec::new());
    }
    let Some(_lock) = store::try_lock_exclusive(&issue_lock(course_dir))? else {
        return Ok(Vec::new());
    };
    recover_locked(course_dir, ui)
}

fn recover_locked(course_dir: &Path, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    let Some(p) = read_pending(course_dir)? else {
        return Ok(Vec::new());
    };
    match p.stage.as_str() {
        "created" => {
            let key_id = p.key_id.clone().unwrap_or_default();
            finish_pending(course_dir, &p)?;
            let mut msgs = vec![format!(
                "finished an interrupted issue-key: access key {key_id} of {} is now saved in lab {} ({}), its secret encrypted",
                p.user, p.lab, p.path
            )];
            if let Some(old) = &p.retire_after {
                msgs.push(format!(
                    "the old key {old} was not retired yet; run `labnote issue-key {} --retire {old}` later or delete it in the console",
                    p.lab
                ));
            }
            remove_pending(course_dir)?;
            Ok(msgs)
        }
        _ => {
            // The create may have happened: delete any key created since the intent, whose
            // secret was never saved.
            let opts = AwsOptions {
                profile: p.profile.clone(),
                region: p.region.clone(),
                endpoint_url: p.endpoint_url.clone(),
                ..AwsOptions::default()
            };
            ui.progress("checking an interrupted issue-key with AWS IAM…");
            let rt = runtime()?;
            let iam = rt.block_on(Iam::connect(&opts)).map_err(|e| {
                IssueError::Data(format!(
                    "an interrupted issue-key for user {} needs checking, but AWS is not reachable: {e}. It will be checked again by the next labnote command",
                    p.user
                ))
            })?;
            let mut msgs = Vec::new();
            for id in delete_unsaved_keys(&rt, &iam, course_dir, &p, None)? {
                msgs.push(format!(
                    "an interrupted issue-key had created access key {id} for {} before its secret could be saved; that key was deleted (nothing else changed) — run `labnote issue-key {}` again",
                    p.user, p.lab
                ));
            }
            if msgs.is_empty() {
                msgs.push(format!(
                    "an interrupted issue-key for {} had not created a key; nothing to clean up",
                    p.user
                ));
            }
            if !p.retired.is_empty() {
                msgs.push(format!(
                    "note: before it was interrupted it had retired (deleted) access key {} of {}",
                    p.retired.join(", "),
                    p.user
                ));
            }
            remove_pending(course_dir)?;
            Ok(msgs)
        }
    }
}
