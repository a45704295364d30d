//! The access-key step: issue an AWS access key for the lab's IAM user and save it in the
//! lab's memo, never losing the secret and never leaving the student without a working key.
//!
//! AWS shows a Secret Access key exactly once. Between CreateAccessKey returning and the memo
//! holding the encrypted secret, the plaintext exists only in memory, and the work is ordered
//! so that a kill at any instant is finished or undone by the next labnote command. Before
//! each step that cannot be taken back, the pending file `<course>/.labnote/pending-key.yaml`
//! (mode 0600, see [`pending`]) records it:
//!
//! 1. `retiring`: with 2 keys, one that is not the memo's working key is retired to make room
//!    (undone: made active again if it still exists);
//! 2. `intent`: IAM's own time (the `Date` of the listing just before the create), the keys
//!    the user had, and a deadline after which the create cannot have been carried out (the
//!    request is given up in time). Undone: a key IAM made in that window whose secret never
//!    reached labnote is deleted — only when exactly one key can be it ([`recover`]);
//! 3. `created`: the key id and the *encrypted* secret (finished: the memo is written);
//! 4. `saved`: for a rotation, the memo holds the new key; the old memo key is retired last
//!    (finished: it is retired).
//!
//! So the memo's key stays usable until the new key is saved, and labnote deletes only keys
//! the issuance made, decided by IAM's clock, never by this computer's. The pending file is
//! written atomically (temp, fsync, rename). An issuance holds `issue.lock` from start to
//! end; recovery only runs when it can take that lock, so it never races a live issuance.

mod pending;
mod recover;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::iam::{self, AwsOptions, Iam, IamError, KeyInfo, NewKey};
use crate::journal::{self, Event, Journal, Record};
use crate::lab::Lab;
use crate::secret::{self, Keyring};
use crate::{labfile, memo, store};

pub use pending::Target;
use pending::{Checked, Pending, Stage, CREATE_WINDOW};

/// Whether an interrupted issuance may be waiting in the course (no file is read).
pub fn pending_exists(course_dir: &Path) -> bool {
    pending::exists(course_dir)
}

fn issue_lock(course_dir: &Path) -> PathBuf {
    journal::state_dir(course_dir).join("issue.lock")
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
    /// A pending file that is not what labnote writes: refused, nothing done.
    #[error("{0}")]
    Refused(String),
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
    /// The work is over: clear what [`Ui::progress`] shows.
    fn finish(&self) {}
    /// Whether to ask before a key is created ([`Ui::confirm_create`]): `walk` does, since
    /// a keypress there creates a real key; `issue-key` does not (running it is the ask).
    fn asks_before_create(&self) -> bool {
        false
    }
    /// Ask to go on as `preview` says. Return false to stop with nothing changed.
    fn confirm_create(&self, _preview: &IssuePlan) -> bool {
        true
    }
}

/// What an issuance is about to do, shown before anything changes when the front end asks
/// ([`Ui::asks_before_create`]): the plan is the one the issuance then carries out.
pub struct IssuePlan<'a> {
    pub user: &'a str,
    /// The AWS account (STS caller identity) and who signs the requests.
    pub account: &'a str,
    pub caller_arn: &'a str,
    /// The user's keys now.
    pub keys: &'a [KeyInfo],
    /// The keys that would be retired (deactivated, then deleted).
    pub retire: Vec<&'a KeyInfo>,
}

/// What to do.
pub struct IssueRequest<'a> {
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
#[derive(Debug)]
pub enum IssueOutcome {
    /// The memo already held an active key of the user: nothing was changed.
    Unchanged { user: String, key: String },
    /// A new key is saved in the lab's memo.
    Issued {
        user: String,
        key: String,
        /// The keys retired to make room or rotated out (deleted from IAM).
        retired: Vec<String>,
        /// Whether the lab file was written (not when it already held the key).
        lab_written: bool,
    },
}

impl IssueOutcome {
    /// The IAM user whose key it is.
    pub fn user(&self) -> &str {
        match self {
            IssueOutcome::Unchanged { user, .. } | IssueOutcome::Issued { user, .. } => user,
        }
    }

    /// The access key id the memo holds now.
    pub fn key_id(&self) -> &str {
        match self {
            IssueOutcome::Unchanged { key, .. } | IssueOutcome::Issued { key, .. } => key,
        }
    }

    /// Whether a new key was created.
    pub fn created(&self) -> bool {
        matches!(self, IssueOutcome::Issued { .. })
    }

    /// The keys retired (none when nothing changed).
    pub fn retired(&self) -> &[String] {
        match self {
            IssueOutcome::Unchanged { .. } => &[],
            IssueOutcome::Issued { retired, .. } => retired,
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, IssueError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| IssueError::Data(format!("cannot start the async runtime: {e}")))
}

/// Test hook: pause between stages so a test can kill the process at each of them. Only
/// with the `test-hooks` feature.
#[cfg(feature = "test-hooks")]
fn test_pause() {
    if let Some(ms) = std::env::var("LABNOTE_TEST_ISSUE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

#[cfg(not(feature = "test-hooks"))]
fn test_pause() {}

/// Write the key id and the encrypted secret into the lab's memo.
fn save_to_lab(
    course_dir: &Path,
    t: &Target,
    key_id: &str,
    encrypted: &str,
) -> Result<bool, labfile::LabFileError> {
    let stored_secret = memo::render_value(encrypted, true);
    let mut edit = |text: &str, _lab: &Lab| -> Result<Option<String>, labfile::EditError> {
        Ok(labfile::set_entries(
            text,
            &t.stem,
            &[(&t.id_key, key_id), (&t.secret_key, &stored_secret)],
        )?)
    };
    labfile::rewrite(course_dir, &t.lab_path, &t.stem, &mut edit)
}

/// Journal records for a saved key: `issued-key`, and `done` for the access-key step and
/// the saving step.
fn saved_records(lab: &Lab, t: &Target, p: &Pending) -> Vec<Record> {
    let mut out = Vec::new();
    let (create_step, save_step) = key_steps(lab, &t.secret_key);
    let mut r = Record::new(&lab.id, Event::IssuedKey)
        .detail("user", p.user.as_str())
        .detail("access_key_id", p.key_id.clone().unwrap_or_default())
        .detail("key", t.id_key.as_str());
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
        r = r.at_step(&lab.steps[i]);
    }
    out.push(r);
    for i in [create_step, save_step].into_iter().flatten() {
        for leaf in lab.leaves_of(i) {
            let done = Record::new(&lab.id, Event::Done).detail("by", "issue-key");
            out.push(done.at_step(&lab.steps[leaf]));
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
    let want = crate::names::normalize_key(secret_key);
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
                .find(|p| crate::names::normalize_key(&p.name) == want)
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

/// The least time the create is given; with less left, the listing is done again.
const MIN_CREATE_TIME: Duration = Duration::from_secs(2);

/// Issue a key. See the module documentation for the order of the work.
pub fn issue(req: &IssueRequest, ui: &dyn Ui) -> Result<IssueOutcome, IssueError> {
    let lock = store::try_lock_exclusive(&issue_lock(req.course_dir))?;
    let Some(_lock) = lock else {
        return Err(IssueError::User(
            "another `labnote issue-key` is running for this course; wait for it to finish".into(),
        ));
    };
    // Finish or undo an earlier interrupted issuance first.
    for m in recover_locked(req.course_dir, ui)? {
        ui.note(&m);
    }
    if pending::exists(req.course_dir) {
        return Err(IssueError::Data(
            "the interrupted issue-key above is not finished yet, so no new one starts; run this again once AWS IAM answers".into(),
        ));
    }
    issue_locked(req, ui)
}

fn issue_locked(req: &IssueRequest, ui: &dyn Ui) -> Result<IssueOutcome, IssueError> {
    let known = LabKey::read(req)?;
    // The secret must be encryptable before any key exists.
    let keyring = Keyring::load()?;
    let rt = runtime()?;
    ui.progress("connecting to AWS IAM…");
    let iam = rt.block_on(Iam::connect(&req.aws))?;
    let s = Issuer {
        rt: &rt,
        iam: &iam,
        course_dir: req.course_dir,
        ui,
    };
    let user = s.resolve_user(req, &known.lab)?;
    let plan = match s.decide(req, &known, &user)? {
        Decision::Keep(key) => return Ok(IssueOutcome::Unchanged { user, key }),
        Decision::Issue(plan) => plan,
    };
    let mut p = Pending {
        lab: known.lab.id.clone(),
        path: req.lab_rel.to_string(),
        user,
        rotate: req.rotate,
        confirmed: plan.before.is_some() || plan.after.is_some(),
        profile: req.aws.profile.clone(),
        region: req.aws.region.clone(),
        endpoint_url: req.aws.endpoint_url.clone(),
        retire_after: plan.after.as_ref().map(|k| k.id.clone()),
        ..Pending::default()
    };
    if let Some(k) = &plan.before {
        s.make_room(&mut p, k)?;
    }
    let new = s.create_recorded(&mut p)?;
    test_pause();
    s.keep_secret(&mut p, &keyring, &new)?;
    drop(new.secret);
    test_pause();
    s.save_and_retire(req, &known.target, &mut p, (&new.id, new.attempts))
}

/// What the lab holds about its key, read before anything is asked of IAM.
struct LabKey {
    lab: Lab,
    target: Target,
    /// The access key id the memo holds, if any.
    current_id: Option<String>,
    /// The memo holds no secret for its key.
    secret_missing: bool,
}

impl LabKey {
    /// The lab's access-key entries and what they hold. Refused before a key exists: a lab
    /// without those entries, and a description IAM would refuse (else a key would be left
    /// without its tag).
    fn read(req: &IssueRequest) -> Result<LabKey, IssueError> {
        let lab = parse_lab(req.lab_path, req.stem)?;
        let Some((id_key, secret_key)) = memo::access_key_entries(&lab) else {
            return Err(IssueError::User(format!(
                "lab {} ({}) has no memo entries for an access key: it needs an `Access Key ID` and a `Secret Access key` entry in its 📌 memo block",
                lab.id, req.lab_rel
            )));
        };
        if let Some(d) = &req.description {
            check_description(d).map_err(|e| IssueError::User(e.to_string()))?;
        }
        let current_id = memo::find(&lab, &id_key)
            .map(|e| e.value.clone())
            .filter(|v| !v.is_empty());
        let secret_missing = memo::find(&lab, &secret_key).is_none_or(|e| e.value.is_empty());
        let target = Target {
            lab_path: req.lab_path.to_path_buf(),
            stem: req.stem.to_string(),
            id_key,
            secret_key,
        };
        Ok(LabKey {
            lab,
            target,
            current_id,
            secret_missing,
        })
    }

    /// Whether the memo's key is replaced: on `--rotate`, and when the memo holds a key id
    /// without its secret (of no use to the student: replaced as `--rotate` would).
    fn rotate(&self, req: &IssueRequest) -> bool {
        req.rotate || (self.current_id.is_some() && self.secret_missing)
    }
}

/// Whether an issuance goes ahead.
enum Decision {
    /// The memo's key (this id) is active and stays: nothing changes.
    Keep(String),
    /// A new key is made, retiring keys as the plan says.
    Issue(Plan),
}

/// What the steps of one issuance share: the connection to IAM, the course whose pending
/// file records each stage, and the front end.
struct Issuer<'a> {
    rt: &'a tokio::runtime::Runtime,
    iam: &'a Iam,
    course_dir: &'a Path,
    ui: &'a dyn Ui,
}

impl Issuer<'_> {
    /// List the user's keys and decide: the memo's key stays when it is active and not to
    /// be replaced; else the retirement plan, shown (when the front end asks first) and
    /// confirmed.
    fn decide(
        &self,
        req: &IssueRequest,
        known: &LabKey,
        user: &str,
    ) -> Result<Decision, IssueError> {
        let rotate = known.rotate(req);
        self.ui
            .progress(&format!("listing the access keys of {user}…"));
        let mut keys = self.rt.block_on(self.iam.list_keys_brief(user))?;
        if let Some(cur) = &known.current_id {
            if !rotate && keys.iter().any(|k| &k.id == cur && k.active) {
                return Ok(Decision::Keep(cur.clone()));
            }
            if known.secret_missing && !req.rotate {
                self.ui.note(&format!(
                    "the memo holds access key {cur} but not its secret: issuing a new key and retiring that one"
                ));
            }
        }
        // Last use matters only when a key may be retired (choice and confirmation).
        if keys.len() >= 2 || rotate || req.retire.is_some() {
            self.rt.block_on(self.iam.fill_last_used(user, &mut keys))?;
        }
        let usable = !known.secret_missing;
        let current = known.current_id.as_deref();
        let plan = plan_retirement(req, self.iam, &keys, current, rotate, usable)?;
        if self.ui.asks_before_create() {
            self.preview(&plan, user, &keys)?;
        }
        confirm(&plan, self.iam, user, &keys, self.ui)?;
        Ok(Decision::Issue(plan))
    }

    /// Stages `created` and `saved`: the memo, then the old key.
    fn save_and_retire(
        &self,
        req: &IssueRequest,
        target: &Target,
        p: &mut Pending,
        (id, attempts): (&str, u32),
    ) -> Result<IssueOutcome, IssueError> {
        if let Some(d) = &req.description {
            if let Err(e) = self.rt.block_on(self.iam.tag_description(&p.user, id, d)) {
                self.ui
                    .note(&format!("warning: the description tag was not set: {e}"));
            }
        }
        let lab_written = finish_pending(self.course_dir, target, p)?;
        test_pause();
        if attempts > 1 {
            self.delete_duplicates(p, id);
        }
        let mut retired = p.retired.clone();
        if let Some(old) = p.retire_after.clone() {
            self.retire_after_save(p, &old)?;
            retired.push(old);
        }
        pending::remove(self.course_dir)?;
        Ok(IssueOutcome::Issued {
            user: p.user.clone(),
            key: id.to_string(),
            retired,
            lab_written,
        })
    }

    /// `--user`, else the calling IAM user.
    fn resolve_user(&self, req: &IssueRequest, lab: &Lab) -> Result<String, IssueError> {
        let user = match &req.user {
            Some(u) => u.clone(),
            None => {
                self.ui.progress("asking AWS who you are…");
                let caller = self.rt.block_on(self.iam.caller())?;
                caller.user_name.ok_or_else(|| {
                    IssueError::User(format!(
                        "you are signed in as {} (not an IAM user); name the user whose key to create with --user NAME (students: mspuser), or set iam_user for lab {} in course.yaml",
                        caller.arn, lab.id
                    ))
                })?
            }
        };
        if !iam::is_user_name(&user) {
            return Err(IssueError::User(format!(
                "{user:?} is not an IAM user name (1 to 64 letters, digits and + = , . @ _ -)"
            )));
        }
        Ok(user)
    }

    /// Show the plan with the account it acts in and ask; stop with nothing changed on a no.
    fn preview(&self, plan: &Plan, user: &str, keys: &[KeyInfo]) -> Result<(), IssueError> {
        self.ui.progress("asking AWS which account this is…");
        let caller = self.rt.block_on(self.iam.caller())?;
        let preview = IssuePlan {
            user,
            account: &caller.account,
            caller_arn: &caller.arn,
            keys,
            retire: plan.before.iter().chain(plan.after.iter()).collect(),
        };
        if self.ui.confirm_create(&preview) {
            return Ok(());
        }
        Err(IssueError::User(crate::t!(
            "issue-preview-declined",
            user = user
        )))
    }

    /// Stage `retiring`: retire `k` (not the memo's working key) to make room.
    fn make_room(&self, p: &mut Pending, k: &KeyInfo) -> Result<(), IssueError> {
        p.stage = Stage::Retiring;
        p.retiring = Some(k.id.clone());
        p.retiring_was_active = k.active;
        pending::write(self.course_dir, p)?;
        test_pause();
        self.ui
            .progress(&format!("retiring {} (deactivate, then delete)…", k.id));
        retire(self.rt, self.iam, &p.user, &k.id).map_err(|e| {
            IssueError::Data(format!(
                "retiring access key {} failed ({e}); no key was created. The next labnote command (e.g. `labnote labs`) puts that key back as it was if it still exists",
                k.id
            ))
        })?;
        p.retired.push(k.id.clone());
        p.retiring = None;
        p.retiring_was_active = false;
        // Said and recorded at once: whatever fails later, the student knows it is gone.
        self.ui
            .note(&format!("retired access key {} of {}", k.id, p.user));
        Journal::for_course(self.course_dir).append(&[Record::new(&p.lab, Event::RetiredKey)
            .detail("user", p.user.as_str())
            .detail("access_key_id", k.id.as_str())])?;
        Ok(())
    }

    /// Stage `intent`: list the keys (IAM's `Date` opens the window), record the intent, and
    /// send the create so that it is given up before the recorded deadline.
    fn create_recorded(&self, p: &mut Pending) -> Result<NewKey, IssueError> {
        for _ in 0..2 {
            let (keys, date) = self.rt.block_on(self.iam.list_keys_at(&p.user))?;
            let listed = Instant::now();
            let date = date.ok_or_else(|| {
                IssueError::Data(
                    "AWS IAM's answer carried no Date header, so labnote could not tell afterwards which key its request made; no key was created".into(),
                )
            })?;
            p.stage = Stage::Intent;
            p.before = keys.into_iter().map(|k| k.id).collect();
            p.iam_date = Some(date.to_string());
            p.deadline = Some((date + CREATE_WINDOW).to_string());
            pending::write(self.course_dir, p)?;
            test_pause();
            let Some(budget) =
                pending::create_budget(listed.elapsed()).filter(|b| *b >= MIN_CREATE_TIME)
            else {
                continue;
            };
            self.ui
                .progress(&format!("creating an access key for {}…", p.user));
            return self
                .rt
                .block_on(self.iam.create_key_within(&p.user, budget))
                .map_err(|e| self.clean_after_failed_create(p, e));
        }
        pending::remove(self.course_dir)?;
        Err(IssueError::Data(
            "this computer was too slow to send the create in time after listing the keys; no key was created — run the step again".into(),
        ))
    }

    /// A failed create may have made a key all the same: an answer lost to a timeout or a
    /// broken connection, or a 5xx after which the SDK retried into LimitExceeded. Such a key's
    /// secret never reached us, so it must not stay: check now, as recovery would.
    fn clean_after_failed_create(&self, p: &Pending, e: IamError) -> IssueError {
        let cleaned = pending::check(self.course_dir, p.clone())
            .and_then(|c| recover::clean_unsaved(self.rt, self.iam, &c, None));
        match cleaned {
            Ok((deleted, named)) => {
                if let Err(r) = pending::remove(self.course_dir) {
                    return r;
                }
                if !named.is_empty() {
                    IssueError::Data(format!("{e}. {}", recover::ambiguous(&p.user, &named)))
                } else if deleted.is_empty() {
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
        }
    }

    /// Stage `created`: the encrypted secret goes to the pending file. If it cannot, the key
    /// must not exist (its secret would be lost): it is deleted again.
    fn keep_secret(
        &self,
        p: &mut Pending,
        keyring: &Keyring,
        new: &NewKey,
    ) -> Result<(), IssueError> {
        let saved = keyring
            .encrypt(&new.secret)
            .map_err(IssueError::from)
            .and_then(|enc| {
                let mut next = p.clone();
                next.stage = Stage::Created;
                next.key_id = Some(new.id.clone());
                next.secret = Some(enc);
                next.created = new.created.map(|t| t.to_string());
                pending::write(self.course_dir, &next)?;
                *p = next;
                Ok(())
            });
        let Err(e) = saved else {
            return Ok(());
        };
        let deleted = self.rt.block_on(self.iam.delete_key(&p.user, &new.id));
        // Else the intent (written before the create) stays, if it can: the next command
        // tries the delete again.
        if deleted.is_ok() {
            let _ = pending::remove(self.course_dir);
        }
        let (id, user) = (&new.id, &p.user);
        Err(match deleted {
            Ok(()) => IssueError::Data(format!(
                "the new key {id} could not be saved ({e}), so it was deleted again; nothing changed — fix the cause and run the step again"
            )),
            Err(d) => IssueError::Data(format!(
                "the new key {id} could not be saved ({e}) and deleting it failed too ({d}); delete access key {id} of user {user} in the IAM console: its secret is lost"
            )),
        })
    }

    /// The SDK retried the create: an earlier attempt may have made a key besides ours, whose
    /// secret nobody has.
    fn delete_duplicates(&self, p: &Pending, ours: &str) {
        let mut intent = p.clone();
        intent.stage = Stage::Intent;
        let found = pending::check(self.course_dir, intent)
            .and_then(|c| recover::clean_unsaved(self.rt, self.iam, &c, Some(ours)));
        match found {
            Ok((deleted, named)) => {
                for id in deleted {
                    self.ui.note(&format!(
                        "deleted access key {id} of {}: IAM made it too, on a retried request, and its secret never reached labnote",
                        p.user
                    ));
                }
                if !named.is_empty() {
                    self.ui.note(&recover::ambiguous(&p.user, &named));
                }
            }
            Err(e) => self.ui.note(&format!(
                "warning: could not check {} for a duplicate key from a retried request ({e}); the user's keys should be {} and the new {ours}",
                p.user,
                if p.before.is_empty() { "none".to_string() } else { p.before.join(", ") },
            )),
        }
    }

    /// Stage `saved`: the new key is in the memo; now the old one can go.
    fn retire_after_save(&self, p: &mut Pending, old: &str) -> Result<(), IssueError> {
        p.stage = Stage::Saved;
        pending::write(self.course_dir, p)?;
        test_pause();
        self.ui.progress(&format!("retiring the old key {old}…"));
        retire(self.rt, self.iam, &p.user, old).map_err(|e| {
            IssueError::Data(format!(
                "the new key {} is saved in lab {}, but retiring the old key {old} failed ({e}); the next labnote command (e.g. `labnote labs`) retries",
                p.key_id.as_deref().unwrap_or_default(),
                p.lab
            ))
        })
    }
}

/// Which key to retire before the create (to make room when the user has 2), and which
/// only after the new key is saved (the memo's working key, on `--rotate`).
struct Plan {
    before: Option<KeyInfo>,
    after: Option<KeyInfo>,
}

fn plan_retirement(
    req: &IssueRequest,
    iam: &Iam,
    keys: &[KeyInfo],
    current: Option<&str>,
    rotate: bool,
    secret_kept: bool,
) -> Result<Plan, IssueError> {
    let mut protected = req.protected.clone();
    let mut explicit = req.retire.clone();
    let mut after = None;
    let cur = current.and_then(|c| keys.iter().find(|k| k.id == c));
    if let Some(k) = cur.filter(|_| rotate) {
        if k.active && secret_kept {
            // The working key goes last, once the new one is saved.
            after = Some(k.clone());
            protected.push(k.id.clone());
            if explicit.as_deref() == Some(k.id.as_str()) {
                explicit = None;
            }
        } else {
            // Unusable already (inactive, or its secret is lost): it may go first.
            protected.retain(|p| p != &k.id);
            explicit.get_or_insert_with(|| k.id.clone());
        }
    }
    let mut before = None;
    if keys.len() >= 2 {
        before =
            iam::choose_key_to_retire(keys, iam.signing_key_id(), &protected, explicit.as_deref())?;
    } else if let Some(e) = &explicit {
        let Some(k) = keys.iter().find(|k| &k.id == e) else {
            return Err(IamError::UnknownRetireKey {
                key_id: e.clone(),
                keys: keys.iter().map(|k| k.id.clone()).collect(),
            }
            .into());
        };
        after = Some(k.clone());
    }
    if let Some(k) = before
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
    Ok(Plan { before, after })
}

/// Ask before each retirement; stop with nothing changed on a no.
fn confirm(
    plan: &Plan,
    iam: &Iam,
    user: &str,
    keys: &[KeyInfo],
    ui: &dyn Ui,
) -> Result<(), IssueError> {
    for k in plan.before.iter().chain(plan.after.iter()) {
        if !ui.confirm_retire(user, keys, k) {
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
    Ok(())
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
            if (crate::names::access_field(&e.key) == Some(crate::names::AccessField::Id)
                || looks_like_id)
                && !e.value.is_empty()
                && !v.contains(&e.value)
            {
                v.push(e.value.clone());
            }
        }
    }
    v
}

/// Stage `created`: write the memo and the journal. On failure the pending file stays, so
/// the next command finishes the job.
fn finish_pending(course_dir: &Path, t: &Target, p: &Pending) -> Result<bool, IssueError> {
    let (Some(key_id), Some(enc)) = (&p.key_id, &p.secret) else {
        return Err(IssueError::Data("pending key without id or secret".into()));
    };
    let written = save_to_lab(course_dir, t, key_id, enc).map_err(|e| {
        IssueError::Data(format!(
            "access key {key_id} of {} was created and its secret is saved encrypted in {}, but the lab could not be written: {e}. Fix that (e.g. `chmod u+w {}`) and run any labnote command: it finishes the save",
            p.user,
            pending::path(course_dir).display(),
            t.lab_path.display()
        ))
    })?;
    let lab = parse_lab(&t.lab_path, &t.stem)?;
    // A crash after the journal append but before the pending file was removed brings us
    // here again: record the issuance once.
    let journal = Journal::for_course(course_dir);
    let recorded = journal.load()?.records.iter().any(|r| {
        r.event == Event::IssuedKey
            && r.details.get("access_key_id").and_then(|v| v.as_str()) == Some(key_id.as_str())
    });
    if !recorded {
        journal.append(&saved_records(&lab, t, p))?;
    }
    Ok(written)
}

/// Finish or undo an interrupted issuance. Runs at the start of every command (but
/// `credential-process`); does nothing when there is no pending file or an issuance is
/// running right now. A pending file that is not labnote's is refused, untouched. Returns
/// messages for the student.
pub fn recover(course_dir: &Path, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    if !pending::exists(course_dir) {
        return Ok(Vec::new());
    }
    let Some(_lock) = store::try_lock_exclusive(&issue_lock(course_dir))? else {
        return Ok(Vec::new());
    };
    recover_locked(course_dir, ui)
}

fn recover_locked(course_dir: &Path, ui: &dyn Ui) -> Result<Vec<String>, IssueError> {
    let Some(p) = pending::read(course_dir)? else {
        return Ok(Vec::new());
    };
    let checked: Checked = pending::check(course_dir, p)?;
    recover::run(course_dir, checked, ui)
}

/// What `credential-process` says while an interrupted issuance waits: it answers from the
/// memo and leaves the recovery (which needs IAM) to an interactive command.
pub fn waiting_note(course_dir: &Path) -> Option<String> {
    pending::exists(course_dir).then(|| {
        format!(
            "an interrupted labnote issue-key is waiting in {}; these are the memo's keys. Run `labnote --course {} labs` to finish it",
            course_dir.display(),
            crate::awsconfig::quote_arg(&course_dir.to_string_lossy())
        )
    })
}

/// Save a key made elsewhere (the console's `.csv`, see `app::keys::import_csv`) the way an
/// issuance saves its own: the memo block's own two entries spliced byte-exact, the secret
/// age-encrypted, the journal's `issued-key` record (without the secret) and the `done` of
/// the access-key and saving steps. Holds the issuance lock, so it never races `issue-key`.
/// Returns the encrypted value written.
pub fn save_imported(
    course_dir: &Path,
    t: &Target,
    user: &str,
    key_id: &str,
    secret: &secrecy::SecretString,
) -> Result<String, IssueError> {
    let lock = store::try_lock_exclusive(&issue_lock(course_dir))?;
    let Some(_lock) = lock else {
        return Err(IssueError::User(
            "a `labnote issue-key` is running for this course; wait for it to finish".into(),
        ));
    };
    let keyring = Keyring::load()?;
    let enc = keyring.encrypt(secret)?;
    let p = Pending {
        user: user.to_string(),
        key_id: Some(key_id.to_string()),
        secret: Some(enc.clone()),
        ..Pending::default()
    };
    finish_pending(course_dir, t, &p)?;
    Ok(enc)
}
