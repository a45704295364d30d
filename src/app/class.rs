//! `labnote class`: the instructor's view of the class, through a git remote.
//!
//! A student's course folder *joins* a class (`join URL --as NAME`, kept in
//! `.labnote/class.yaml`); from then on its [`Report`] — progress only — is committed as
//! `progress/NAME.json` on the branch `labnote/NAME` of the class repository and pushed with
//! the system `git` (the edge [`crate::class_git`]), in the background after `done`, `undo`,
//! a run and a walk step ([`nudge`]), at most every [`PUSH_INTERVAL`]. The instructor's
//! [`status`] fetches every `labnote/*` branch and reads each report back, strictly.
//!
//! What is shared is decided by the types: a [`Report`] holds per lab its id, title and
//! number of steps, the step ids done with their times, the run outcomes with their times,
//! the step worked on last and labnote's version. It has no field for a memo value, a
//! placeholder's value, a command's output, a path or an identity, so none can be sent.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::{AppError, Front};
use crate::class_git::{self, GitError, Remote, Repo};
use crate::course::Course;
use crate::journal::{Event, Progress, Record, StepState};
use crate::store;
use crate::t;

/// The branch of a student: `labnote/NAME`.
pub const BRANCH_PREFIX: &str = "labnote/";
/// The largest report read back (a larger file marks the student's branch invalid).
pub const MAX_REPORT: u64 = 256 * 1024;
/// The least time between two background pushes.
pub const PUSH_INTERVAL: Duration = Duration::from_secs(30);
/// Background retries when the remote cannot be reached, before waiting for the next
/// change (their waits double from [`RETRY_FIRST`]).
const RETRIES: u32 = 5;
const RETRY_FIRST: Duration = Duration::from_secs(10);
/// Runs kept per lab in a report (the last ones).
const RUNS_PER_LAB: usize = 20;
/// The report's format.
const FORMAT: u32 = 1;
/// The default of `--stuck-after`, in minutes.
pub const STUCK_AFTER: i64 = 15;

// ---------------------------------------------------------------------------------------
// What is shared

/// What a student shares with the class: progress only (see the module's docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub format: u32,
    /// labnote's version.
    pub labnote: String,
    /// The name the student joined as.
    pub student: String,
    /// The step worked on last (the next open one after a step checked).
    pub current: Option<Current>,
    pub labs: Vec<LabReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Current {
    pub lab: String,
    pub step: String,
    /// When the student last did something there (RFC 3339, UTC).
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabReport {
    pub id: String,
    pub title: String,
    /// Its checkable steps.
    pub steps: usize,
    pub done: Vec<DoneStep>,
    pub runs: Vec<RunReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoneStep {
    pub step: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    pub step: String,
    pub outcome: RunOutcome,
    pub at: String,
}

/// How a run ended, as the journal says (never its output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOutcome {
    Passed,
    Partial,
    Stopped,
    Interrupted,
    Failed,
}

impl RunOutcome {
    fn of(name: &str) -> Option<RunOutcome> {
        Some(match name {
            "passed" => RunOutcome::Passed,
            "partial" => RunOutcome::Partial,
            "stopped" => RunOutcome::Stopped,
            "interrupted" => RunOutcome::Interrupted,
            "failed" => RunOutcome::Failed,
            _ => return None,
        })
    }

    fn is_failure(self) -> bool {
        matches!(self, RunOutcome::Failed | RunOutcome::Partial)
    }
}

/// The report of a course and its journal, for `student`.
pub fn build_report(course: &Course, records: &[Record], student: &str) -> Report {
    let p = Progress::from_records(records);
    // The time of the last `done` of each (lab, step).
    let mut done_at: HashMap<(&str, &str), &str> = HashMap::new();
    let mut runs: HashMap<&str, Vec<RunReport>> = HashMap::new();
    for r in records {
        let Some(step) = r.step.as_deref() else {
            continue;
        };
        match r.event {
            Event::Done => {
                done_at.insert((r.lab.as_str(), step), r.time.as_str());
            }
            Event::Run => {
                let outcome = r
                    .details
                    .get("outcome")
                    .and_then(|v| v.as_str())
                    .and_then(RunOutcome::of);
                if let Some(outcome) = outcome {
                    runs.entry(r.lab.as_str()).or_default().push(RunReport {
                        step: step.to_string(),
                        outcome,
                        at: r.time.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    let labs = course
        .labs
        .iter()
        .map(|cl| {
            let lab = &cl.lab;
            let done = lab
                .steps
                .iter()
                .filter(|s| {
                    s.checkable && p.state(&lab.id, &s.id, &s.fingerprint) == StepState::Done
                })
                .map(|s| DoneStep {
                    step: s.id.clone(),
                    at: done_at
                        .get(&(lab.id.as_str(), s.id.as_str()))
                        .map_or_else(String::new, |t| t.to_string()),
                })
                .collect();
            let mut lab_runs = runs.remove(lab.id.as_str()).unwrap_or_default();
            let cut = lab_runs.len().saturating_sub(RUNS_PER_LAB);
            lab_runs.drain(..cut);
            LabReport {
                id: lab.id.clone(),
                title: lab.title.clone(),
                steps: lab.checkable_count(),
                done,
                runs: lab_runs,
            }
        })
        .collect();
    Report {
        format: FORMAT,
        labnote: env!("CARGO_PKG_VERSION").to_string(),
        student: student.to_string(),
        current: current_step(course, records, &p),
        labs,
    }
}

/// The step worked on last: the step of the last step record, or after a `done` the next
/// open step (of that lab, else of the next lab with one); `None` when all is done.
fn current_step(course: &Course, records: &[Record], p: &Progress) -> Option<Current> {
    let r = records.iter().rev().find(|r| {
        r.step.is_some() && matches!(r.event, Event::Done | Event::Undone | Event::Run)
    })?;
    let k = course.labs.iter().position(|cl| cl.lab.id == r.lab)?;
    let lab = &course.labs[k].lab;
    let i = lab.step_index(r.step.as_deref()?)?;
    let at = |k: usize, i: usize| Current {
        lab: course.labs[k].lab.id.clone(),
        step: course.labs[k].lab.steps[i].id.clone(),
        at: r.time.clone(),
    };
    if r.event != Event::Done {
        return Some(at(k, i));
    }
    if let Some(n) = super::progress::next_open_after(p, lab, i) {
        return Some(at(k, n));
    }
    let next = super::step::next_lab(course, p, k)?;
    super::progress::first_open(p, &course.labs[next].lab).map(|n| at(next, n))
}

/// The report as it is sent: pretty JSON, one trailing newline.
pub fn report_bytes(report: &Report) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(report).unwrap_or_default();
    v.push(b'\n');
    v
}

// ---------------------------------------------------------------------------------------
// Joining

/// Why a class command failed.
#[derive(Debug, thiserror::Error)]
pub enum ClassError {
    #[error("{}", t!("class-bad-name", name = .0.as_str()))]
    BadName(String),
    #[error("{}", t!("class-bad-url", url = .0.as_str(), reason = .1.as_str()))]
    BadUrl(String, String),
    #[error("{}", t!("class-not-joined", course = .0.as_str()))]
    NotJoined(String),
    #[error("{}", t!("class-bad-settings", path = .0.as_str(), reason = .1.as_str()))]
    BadSettings(String, String),
    #[error("{}", t!("class-no-git"))]
    NoGit,
    #[error("{}", t!("class-git-failed", reason = .0.to_string()))]
    Git(GitError),
}

impl ClassError {
    /// The student's to fix (exit 1), else a failed service (exit 2)? A push that cannot
    /// reach the remote is exit 1, as the issue asks: the student can retry.
    pub fn is_user(&self) -> bool {
        !matches!(self, ClassError::BadSettings(..))
    }
}

impl From<ClassError> for AppError {
    fn from(e: ClassError) -> AppError {
        AppError::Class(Box::new(e))
    }
}

impl From<GitError> for AppError {
    fn from(e: GitError) -> AppError {
        ClassError::Git(e).into()
    }
}

/// A class name: letters, digits, `-`, `_`; 1 to 64 of them, starting with a letter or digit.
pub fn check_name(name: &str) -> Result<(), ClassError> {
    let ok = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ClassError::BadName(name.to_string()))
    }
}

/// A class repository's URL: `https://`, `http://` (loopback only), `file://`, `ssh://`
/// or `user@host:path`; never with a password in it, never an option (`-…`), no control
/// characters or spaces.
pub fn check_url(url: &str) -> Result<(), ClassError> {
    let bad = |why: &str| Err(ClassError::BadUrl(url.to_string(), why.to_string()));
    if url.is_empty() || url.len() > 1024 {
        return bad("empty or too long");
    }
    if url.starts_with('-') || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return bad("it starts with '-' or holds spaces or control characters");
    }
    let authority = |rest: &str| rest.split('/').next().unwrap_or("").to_string();
    if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        let auth = authority(rest);
        if auth.contains('@') {
            return bad("a user name or token in the URL; git asks for them, or use --token");
        }
        if auth.is_empty() {
            return bad("no host");
        }
        return Ok(());
    }
    if let Some(rest) = url.strip_prefix("ssh://") {
        if authority(rest).contains(':') && authority(rest).contains('@') {
            let user = authority(rest);
            if user.split('@').next().is_some_and(|u| u.contains(':')) {
                return bad("a password in the URL");
            }
        }
        return Ok(());
    }
    if let Some(rest) = url.strip_prefix("file://") {
        if !rest.starts_with('/') {
            return bad("a file:// URL needs an absolute path");
        }
        return Ok(());
    }
    if url.contains("://") {
        return bad("only https://, ssh://, file:// and user@host:path are supported");
    }
    // scp-like: [user@]host:path, the user without a password.
    match url.split_once(':') {
        Some((host, path)) if !host.is_empty() && !path.is_empty() && !host.contains('/') => {
            if host.split('@').count() > 2 {
                return bad("more than one '@' before the ':'");
            }
            Ok(())
        }
        _ => bad("not a URL git can push to"),
    }
}

/// What `.labnote/class.yaml` holds: the class and the name, and the memo key of a token
/// for git (a name, never the value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub url: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

use super::nudge::{settings_path, work_dir};

/// The course's class settings, when it joined one. A file that does not validate is an
/// error naming it.
pub fn settings(front: &dyn Front) -> Result<Option<Settings>, AppError> {
    let path = settings_path(front.course_dir());
    let bytes = match store::read_bounded(&path, 16 * 1024, store::Links::Refuse)? {
        Some(b) => b,
        None => return Ok(None),
    };
    let shown = path.display().to_string();
    let s: Settings = serde_yaml::from_slice(&bytes)
        .map_err(|e| ClassError::BadSettings(shown.clone(), e.to_string()))?;
    check_url(&s.url).map_err(|e| ClassError::BadSettings(shown.clone(), e.to_string()))?;
    check_name(&s.name).map_err(|e| ClassError::BadSettings(shown, e.to_string()))?;
    Ok(Some(s))
}

/// `class join URL --as NAME [--token KEY]`: report to the class at `url` as `name`.
pub fn join(
    front: &dyn Front,
    url: &str,
    name: &str,
    token: Option<&str>,
) -> Result<Settings, AppError> {
    check_url(url)?;
    check_name(name)?;
    let course = super::open_course(front)?;
    if let Some(key) = token {
        // The key must name a value of the course (its value is read only when git asks).
        super::memo::key_of(front, &course, key)?;
    }
    if !class_git::available() {
        return Err(ClassError::NoGit.into());
    }
    let s = Settings {
        url: url.to_string(),
        name: name.to_string(),
        token: token.map(str::to_string),
    };
    let dir = crate::journal::state_dir(front.course_dir());
    crate::journal::check_state(front.course_dir())?;
    store::create_dir_private(&dir)?;
    let yaml = serde_yaml::to_string(&s).map_err(|e| {
        ClassError::BadSettings(
            settings_path(front.course_dir()).display().to_string(),
            e.to_string(),
        )
    })?;
    store::replace_state_file(&settings_path(front.course_dir()), yaml.as_bytes())?;
    Ok(s)
}

/// `class leave`: stop reporting. What was pushed stays in the class repository (the
/// instructor's). `Ok(None)` when the course had joined no class.
pub fn leave(front: &dyn Front) -> Result<Option<Settings>, AppError> {
    let Some(s) = settings(front)? else {
        return Ok(None);
    };
    store::remove_state_file(&settings_path(front.course_dir()))?;
    Ok(Some(s))
}

/// `class preview`: exactly the bytes a push would send (joined or not: `NAME` then).
pub fn preview(front: &dyn Front) -> Result<Vec<u8>, AppError> {
    let name = settings(front)?.map_or_else(|| "NAME".to_string(), |s| s.name);
    let course = super::open_course(front)?;
    let records = super::load_journal(front)?;
    Ok(report_bytes(&build_report(&course, &records, &name)))
}

// ---------------------------------------------------------------------------------------
// Pushing

/// What a push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// A new report was pushed.
    Sent,
    /// The class already has this report.
    Unchanged,
}

/// The least time between background pushes (tests may shorten it).
fn interval() -> Duration {
    #[cfg(feature = "test-hooks")]
    if let Some(ms) = std::env::var("LABNOTE_TEST_CLASS_INTERVAL_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    PUSH_INTERVAL
}

fn retry_first() -> Duration {
    #[cfg(feature = "test-hooks")]
    if std::env::var_os("LABNOTE_TEST_CLASS_INTERVAL_MS").is_some() {
        return Duration::from_millis(300);
    }
    RETRY_FIRST
}

/// The remote as git is to reach it: the student's own credentials, and when `--token`
/// named a memo key, `labnote class credential` as a helper that reads it from the memo.
fn remote_of(front: &dyn Front, s: &Settings, batch: bool) -> Remote {
    let mut r = Remote {
        url: s.url.clone(),
        helper: None,
        env: Vec::new(),
        batch,
    };
    if s.token.is_some() {
        if let Ok(exe) = std::env::current_exe() {
            let quoted = shlex::try_quote(&exe.to_string_lossy())
                .map(|q| q.into_owned())
                .unwrap_or_default();
            if !quoted.is_empty() {
                r.helper = Some(format!("!{quoted} class credential"));
                let course = std::fs::canonicalize(front.course_dir())
                    .unwrap_or_else(|_| front.course_dir().to_path_buf());
                r.env.push(("LABNOTE_COURSE".into(), course));
            }
        }
    }
    r
}

/// Push the report now (`class push`; the background push calls it too). The course's
/// class lock keeps two pushes of one course apart.
pub fn push(front: &dyn Front, batch: bool) -> Result<Pushed, AppError> {
    let s = settings(front)?
        .ok_or_else(|| ClassError::NotJoined(front.course_dir().display().to_string()))?;
    let dir = work_dir(front.course_dir());
    crate::journal::check_state(front.course_dir())?;
    store::create_dir_private(&dir)?;
    let _lock = store::lock_exclusive(&dir.join("push.lock"))?;
    push_locked(front, &s, batch)
}

fn push_locked(front: &dyn Front, s: &Settings, batch: bool) -> Result<Pushed, AppError> {
    let dir = work_dir(front.course_dir());
    let course = super::open_course(front)?;
    let records = super::load_journal(front)?;
    let bytes = report_bytes(&build_report(&course, &records, &s.name));
    let sent_path = dir.join("sent.json");
    let sent = store::read_bounded(&sent_path, MAX_REPORT, store::Links::Refuse)
        .ok()
        .flatten();
    let branch = format!("{BRANCH_PREFIX}{}", s.name);
    let refname = format!("refs/heads/{branch}");
    let repo = Repo::open(&dir.join("git"))?;
    let pushed_ref = format!("refs/labnote/pushed/{}", s.name);
    let remote = remote_of(front, s, batch);
    if let Some(last) = repo.resolve(&pushed_ref) {
        if sent.as_deref() == Some(bytes.as_slice()) {
            // Nothing new. A push asked for sends the last commit again (a no-op when the
            // class has it; it delivers it again to a class repository made anew).
            if !batch {
                repo.push(&remote, &last, &branch)?;
            }
            return Ok(Pushed::Unchanged);
        }
    }
    let message = format!("labnote: progress of {}", s.name);
    let parent = repo.resolve(&refname);
    let mut commit = repo.commit_file(
        "progress",
        &format!("{}.json", s.name),
        &bytes,
        parent.as_deref(),
        &s.name,
        &message,
    )?;
    if let Err(e) = repo.push(&remote, &commit, &branch) {
        if !e.rejected {
            return Err(e.into());
        }
        // The branch moved on the remote (the same name pushed from another copy of the
        // course): this report goes on top of it.
        repo.fetch(&remote, &branch)?;
        let parent = repo.resolve(&refname);
        commit = repo.commit_file(
            "progress",
            &format!("{}.json", s.name),
            &bytes,
            parent.as_deref(),
            &s.name,
            &message,
        )?;
        repo.push(&remote, &commit, &branch)?;
    }
    repo.set_ref(&refname, &commit)?;
    repo.set_ref(&pushed_ref, &commit)?;
    store::replace_state_file(&sent_path, &bytes)?;
    Ok(Pushed::Sent)
}

/// When the last push was (the stamp of the report last sent).
fn last_sent(dir: &Path) -> Option<SystemTime> {
    std::fs::metadata(dir.join("sent.json"))
        .and_then(|m| m.modified())
        .ok()
}

/// `class push --background`: push the report, waiting for [`PUSH_INTERVAL`] since the
/// last push first, and again while the journal keeps changing; when the remote cannot be
/// reached, retry a few times with growing waits, then leave it to the next change. Only
/// one runs per course (`background.lock`); a second ends at once.
pub fn background(front: &dyn Front) -> Result<(), AppError> {
    if settings(front)?.is_none() {
        return Ok(());
    }
    let dir = work_dir(front.course_dir());
    store::create_dir_private(&dir)?;
    loop {
        let Some(alive) = store::try_lock_exclusive(&dir.join("background.lock"))? else {
            return Ok(());
        };
        let mut tries = 0;
        let mut wait = retry_first();
        loop {
            if let Some(t) = last_sent(&dir) {
                let since = SystemTime::now().duration_since(t).unwrap_or_default();
                if since < interval() {
                    std::thread::sleep(interval() - since);
                }
            }
            // The push itself under the push lock (a `class push` waits for it, never
            // for this one's sleep).
            let pushed = {
                let _push = store::lock_exclusive(&dir.join("push.lock"))?;
                // The course may have left the class (or joined another) meanwhile.
                match settings(front)? {
                    Some(now) => push_locked(front, &now, true),
                    None => return Ok(()),
                }
            };
            match pushed {
                Ok(Pushed::Unchanged) => break,
                Ok(Pushed::Sent) => {
                    tries = 0;
                }
                Err(_) if tries < RETRIES => {
                    tries += 1;
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(e) => return Err(e),
            }
        }
        drop(alive);
        // A change made while the lock was held was not pushed by its own nudge: look once
        // more now that the lock is free.
        let Some(s) = settings(front)? else {
            return Ok(());
        };
        let course = super::open_course(front)?;
        let records = super::load_journal(front)?;
        let bytes = report_bytes(&build_report(&course, &records, &s.name));
        let sent = store::read_bounded(&dir.join("sent.json"), MAX_REPORT, store::Links::Refuse)
            .ok()
            .flatten();
        if sent.as_deref() == Some(bytes.as_slice()) {
            return Ok(());
        }
    }
}

/// Git's credential request, read from `input` (`key=value` lines up to an empty line).
pub fn read_credential_request(input: &mut dyn std::io::Read) -> Vec<(String, String)> {
    class_git::read_request(input)
}

/// `class credential get`: git's credential request on `input`; the token noted under the
/// joined class's `--token` key as `username=x-access-token` / `password=…`, only for the
/// class's own https host. `None`: nothing to say (git goes on to the next helper).
pub fn credential(front: &dyn Front, request: &[(String, String)]) -> Option<String> {
    let s = settings(front).ok()??;
    let key = s.token.as_deref()?;
    let get = |k: &str| {
        request
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    let rest = s
        .url
        .strip_prefix("https://")
        .or_else(|| s.url.strip_prefix("http://"))?;
    let host = rest.split('/').next()?;
    let protocol = if s.url.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    if get("protocol") != Some(protocol) || get("host") != Some(host) {
        return None;
    }
    let course = super::open_course(front).ok()?;
    let got = super::memo::get(front, &course, key, None).ok()?;
    let value = got.value.expose_secret();
    if value.is_empty() || value.contains(['\n', '\r', '\0']) {
        return None;
    }
    Some(format!("username=x-access-token\npassword={value}\n"))
}

// ---------------------------------------------------------------------------------------
// The instructor

/// A lab's progress in a student's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LabCount {
    pub done: usize,
    pub total: usize,
}

/// One student, as the instructor sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassRow {
    pub student: String,
    /// Per lab id.
    pub labs: BTreeMap<String, LabCount>,
    pub current: Option<CurrentStep>,
    pub idle_minutes: Option<i64>,
    pub stuck: bool,
    pub failing: bool,
    pub valid: bool,
    /// Why the branch is invalid (not for JSON: the row says `valid: false`).
    #[serde(skip)]
    pub problem: Option<String>,
    /// Lab titles by id, as the student's course has them.
    #[serde(skip)]
    pub titles: BTreeMap<String, String>,
    /// The student's labnote version.
    #[serde(skip)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentStep {
    pub lab: String,
    pub step: String,
}

/// The class as `class status` shows it: a row per student branch, by name.
#[derive(Debug, Clone, Default)]
pub struct ClassView {
    pub rows: Vec<ClassRow>,
    /// Every lab id seen, in course order (`2-4` before `2-10`), with a title.
    pub labs: Vec<(String, String)>,
}

fn parse_time(s: &str) -> Option<jiff::Timestamp> {
    s.parse().ok()
}

/// A lab id's sort key: its numbers in order, then the text (`2-4` < `2-10` < `3-1`).
fn lab_key(id: &str) -> (Vec<u64>, String) {
    let nums = id
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    (nums, id.to_string())
}

/// The row of a report read back, as of `now`.
pub fn row_of(report: &Report, now: jiff::Timestamp, stuck_after: i64) -> ClassRow {
    let mut labs = BTreeMap::new();
    let mut titles = BTreeMap::new();
    let mut last_done: Option<jiff::Timestamp> = None;
    let mut last_any: Option<jiff::Timestamp> = None;
    let mut last_run: Option<(jiff::Timestamp, &RunReport, &str)> = None;
    let later = |a: Option<jiff::Timestamp>, b: Option<jiff::Timestamp>| match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    for l in &report.labs {
        labs.insert(
            l.id.clone(),
            LabCount {
                done: l.done.len().min(l.steps),
                total: l.steps,
            },
        );
        titles.insert(l.id.clone(), l.title.clone());
        for d in &l.done {
            last_done = later(last_done, parse_time(&d.at));
        }
        for r in &l.runs {
            if let Some(t) = parse_time(&r.at) {
                last_any = later(last_any, Some(t));
                if last_run.is_none_or(|(u, _, _)| t >= u) {
                    last_run = Some((t, r, l.id.as_str()));
                }
            }
        }
    }
    let current_at = report.current.as_ref().and_then(|c| parse_time(&c.at));
    last_any = later(later(last_any, last_done), current_at);
    let minutes = |t: jiff::Timestamp| now.duration_since(t).as_secs().max(0) / 60;
    let idle_minutes = last_any.map(minutes);
    // Stuck: on a step (the course not finished) with no step checked for too long.
    let since_progress = last_done.or(current_at).map(minutes);
    let stuck = report.current.is_some() && since_progress.is_some_and(|m| m > stuck_after);
    // Failing: the last run failed, and its step is not done since.
    let failing = last_run.is_some_and(|(t, r, lab)| {
        r.outcome.is_failure()
            && !report.labs.iter().any(|l| {
                l.id == lab
                    && l.done
                        .iter()
                        .any(|d| d.step == r.step && parse_time(&d.at).is_some_and(|dt| dt > t))
            })
    });
    ClassRow {
        student: report.student.clone(),
        labs,
        current: report.current.as_ref().map(|c| CurrentStep {
            lab: c.lab.clone(),
            step: c.step.clone(),
        }),
        idle_minutes,
        stuck,
        failing,
        valid: true,
        problem: None,
        titles,
        version: Some(report.labnote.clone()),
    }
}

fn invalid_row(student: &str, problem: String) -> ClassRow {
    ClassRow {
        student: student.to_string(),
        labs: BTreeMap::new(),
        current: None,
        idle_minutes: None,
        stuck: false,
        failing: false,
        valid: false,
        problem: Some(problem),
        titles: BTreeMap::new(),
        version: None,
    }
}

/// A student's branch read strictly: it holds `progress/NAME.json` and nothing else, at
/// most [`MAX_REPORT`] bytes, a report of this format for that name.
pub fn parse_report(name: &str, bytes: &[u8]) -> Result<Report, String> {
    if bytes.len() as u64 > MAX_REPORT {
        return Err(format!(
            "progress/{name}.json is over {} KiB",
            MAX_REPORT / 1024
        ));
    }
    let report: Report =
        serde_json::from_slice(bytes).map_err(|e| format!("progress/{name}.json: {e}"))?;
    if report.format != FORMAT {
        return Err(format!(
            "format {} (this labnote reads {FORMAT})",
            report.format
        ));
    }
    if report.student != name {
        return Err("the report names another student".into());
    }
    Ok(report)
}

/// The instructor's cache of a class repository: `$XDG_CACHE_HOME/labnote/class/<hash>`.
fn cache_dir(url: &str) -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let hash = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
    base.join("labnote")
        .join("class")
        .join(format!("{hash:016x}"))
}

/// `class status URL`: fetch every `labnote/*` branch of the class and read each student's
/// report, strictly. A branch that is not a valid report is a row marked invalid.
pub fn status(url: &str, stuck_after: i64) -> Result<ClassView, AppError> {
    check_url(url)?;
    if !class_git::available() {
        return Err(ClassError::NoGit.into());
    }
    let dir = cache_dir(url);
    store::create_dir_private(&dir)?;
    let _lock = store::lock_exclusive(&dir.join("fetch.lock"))?;
    let repo = Repo::open(&dir.join("git"))?;
    let remote = Remote {
        url: url.to_string(),
        helper: None,
        env: Vec::new(),
        batch: false,
    };
    repo.fetch(&remote, &format!("{BRANCH_PREFIX}*"))?;
    read_class(&repo, jiff::Timestamp::now(), stuck_after)
}

fn read_class(repo: &Repo, now: jiff::Timestamp, stuck_after: i64) -> Result<ClassView, AppError> {
    let prefix = format!("refs/heads/{BRANCH_PREFIX}");
    let mut rows = Vec::new();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for (refname, commit) in repo.refs(&prefix)? {
        let name = refname
            .strip_prefix(&prefix)
            .unwrap_or(&refname)
            .to_string();
        if check_name(&name).is_err() {
            rows.push(invalid_row(
                &crate::textsafe::visible(&name),
                "not a valid student name".into(),
            ));
            continue;
        }
        let files = repo.files(&commit)?;
        let expected = format!("progress/{name}.json");
        match files.as_slice() {
            [(path, Some(size), id)] if *path == expected => {
                if *size > MAX_REPORT {
                    rows.push(invalid_row(
                        &name,
                        format!("{expected} is over {} KiB", MAX_REPORT / 1024),
                    ));
                } else {
                    wanted.push((name, id.clone()));
                }
            }
            [(path, None, _)] if *path == expected => {
                rows.push(invalid_row(
                    &name,
                    format!("{expected} is not a plain file"),
                ));
            }
            _ => rows.push(invalid_row(
                &name,
                format!(
                    "the branch holds {} files, not {expected} alone",
                    files.len()
                ),
            )),
        }
    }
    let ids: Vec<String> = wanted.iter().map(|(_, id)| id.clone()).collect();
    let blobs = repo.blobs(&ids)?;
    for ((name, _), bytes) in wanted.iter().zip(blobs) {
        rows.push(match parse_report(name, &bytes) {
            Ok(r) => row_of(&r, now, stuck_after),
            Err(why) => invalid_row(name, why),
        });
    }
    rows.sort_by(|a, b| a.student.cmp(&b.student));
    let mut labs: BTreeMap<String, String> = BTreeMap::new();
    for r in &rows {
        for (id, title) in &r.titles {
            labs.entry(id.clone()).or_insert_with(|| title.clone());
        }
    }
    let mut labs: Vec<(String, String)> = labs.into_iter().collect();
    labs.sort_by_key(|(id, _)| lab_key(id));
    Ok(ClassView { rows, labs })
}

/// The class as `--json` gives it: an array of rows.
pub fn status_json(view: &ClassView) -> serde_json::Value {
    serde_json::to_value(&view.rows).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str) -> Report {
        Report {
            format: FORMAT,
            labnote: "0.1.0".into(),
            student: name.into(),
            current: Some(Current {
                lab: "2-4".into(),
                step: "1-2".into(),
                at: "2026-01-01T10:20:00Z".into(),
            }),
            labs: vec![LabReport {
                id: "2-4".into(),
                title: "AWS 액세스 키 발급하기".into(),
                steps: 5,
                done: vec![DoneStep {
                    step: "1-1".into(),
                    at: "2026-01-01T10:00:00Z".into(),
                }],
                runs: vec![RunReport {
                    step: "1-2".into(),
                    outcome: RunOutcome::Failed,
                    at: "2026-01-01T10:20:00Z".into(),
                }],
            }],
        }
    }

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn urls_git_can_push_to_without_credentials_in_them() {
        for ok in [
            "https://github.com/org/class.git",
            "http://127.0.0.1:8000/class.git",
            "ssh://git@github.com/org/class.git",
            "git@github.com:org/class.git",
            "file:///srv/class.git",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "https://user:pass@github.com/o/r.git",
            "https://ghp_token@github.com/o/r.git",
            "ssh://git:pw@host/x",
            "file://relative",
            "ftp://host/x",
            "-oProxyCommand=x",
            "https://host/a b",
            "https://host/a\nb",
            "/just/a/path",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_are_letters_digits_dash_underscore() {
        for ok in ["kim", "kim-minsu", "student_01", "A1"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-kim",
            "_kim",
            "kim minsu",
            "kim/lee",
            "김민수",
            "a.b",
            &"x".repeat(65),
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_report_is_read_back_strictly() {
        let good = report_bytes(&report("kim"));
        assert_eq!(parse_report("kim", &good).unwrap(), report("kim"));
        assert!(
            parse_report("lee", &good).is_err(),
            "another student's name"
        );
        let extra = String::from_utf8(good.clone()).unwrap().replacen(
            "\"format\"",
            "\"memo\": \"x\", \"format\"",
            1,
        );
        assert!(
            parse_report("kim", extra.as_bytes()).is_err(),
            "an unknown field"
        );
        let mut big = good.clone();
        big.extend(std::iter::repeat_n(b' ', MAX_REPORT as usize));
        assert!(parse_report("kim", &big).is_err(), "over 256 KiB");
        let newer = String::from_utf8(good)
            .unwrap()
            .replace("\"format\": 1", "\"format\": 2");
        assert!(
            parse_report("kim", newer.as_bytes()).is_err(),
            "another format"
        );
    }

    #[test]
    fn a_row_counts_idle_stuck_and_failing() {
        let r = report("kim");
        let row = row_of(&r, at("2026-01-01T10:25:00Z"), 15);
        assert_eq!(row.labs["2-4"], LabCount { done: 1, total: 5 });
        assert_eq!(row.idle_minutes, Some(5));
        assert!(row.failing, "the last run failed");
        assert!(row.stuck, "25 minutes since the last step done is over 15");
        let row = row_of(&r, at("2026-01-01T10:25:00Z"), 30);
        assert!(!row.stuck);
        let row = row_of(&r, at("2026-01-01T10:31:00Z"), 30);
        assert!(row.stuck, "31 minutes without a step done");
        // A step done after the failed run: no longer failing.
        let mut fixed = report("kim");
        fixed.labs[0].done.push(DoneStep {
            step: "1-2".into(),
            at: "2026-01-01T10:21:00Z".into(),
        });
        assert!(!row_of(&fixed, at("2026-01-01T10:25:00Z"), 15).failing);
        // Finished: no current step, never stuck.
        fixed.current = None;
        assert!(!row_of(&fixed, at("2026-01-02T10:25:00Z"), 15).stuck);
    }

    #[test]
    fn lab_ids_sort_as_numbers() {
        let mut ids = vec!["3-1", "2-10", "2-4", "10-1"];
        ids.sort_by_key(|id| lab_key(id));
        assert_eq!(ids, ["2-4", "2-10", "3-1", "10-1"]);
    }
}
