//! The access key of a lab: the pair noted in its memo (for `env`, `exec`,
//! `credential-process`, `export-csv`, `aws-profile`), and the issuance — who the key is
//! for (chosen by [`crate::labuser::choose`] for every front end), the request, and a
//! preview that asks IAM what an issuance would do without changing anything.

pub mod csv;

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use super::{AppError, Front};
use crate::config::CourseConfig;
use crate::course::Course;
use crate::iam::Iam;
use crate::issue;
use crate::memo;

/// The vocabulary of an issuance a front end shows and answers: its UI, the keys of a
/// user, the plan it confirms, the AWS options.
pub use crate::iam::{AwsOptions, KeyInfo};
pub use crate::issue::{IssueOutcome, IssuePlan, Ui};
/// The memo keys (as written in the lab) of the access key id and its secret.
pub use crate::memo::access_key_entries;

/// The access key id, the raw (encrypted) secret and the secret's memo key noted in lab `k`.
pub fn pair_of(course: &Course, k: usize) -> Result<(String, String, String), AppError> {
    let lab = &course.labs[k].lab;
    let Some((id_key, secret_key)) = memo::access_key_entries(lab) else {
        return Err(AppError::NoKeyEntries {
            lab: lab.id.clone(),
        });
    };
    let value = |key: &str| {
        memo::find(lab, key)
            .map(|e| e.value.clone())
            .unwrap_or_default()
    };
    let (id, secret) = (value(&id_key), value(&secret_key));
    if id.is_empty() || secret.is_empty() {
        return Err(AppError::NoKeyNoted {
            lab: lab.id.clone(),
        });
    }
    Ok((id, secret, secret_key))
}

/// The lab whose access key pair was noted last: the pair noted last in the journal wins;
/// pairs noted by hand count as older, in course order.
pub fn latest_pair_lab(front: &dyn Front, course: &Course) -> Result<usize, AppError> {
    let labs: Vec<usize> = (0..course.labs.len())
        .filter(|&k| pair_of(course, k).is_ok())
        .collect();
    // One pair (the usual course): no journal to read, which `credential-process`, called by
    // every AWS command, would otherwise parse each time.
    if let [k] = labs[..] {
        return Ok(k);
    }
    let records = super::load_journal(front)?;
    labs.into_iter()
        .max_by_key(|&k| {
            let lab = &course.labs[k].lab;
            let (id_key, secret_key) = memo::access_key_entries(lab).unwrap_or_default();
            (
                crate::resolve::last_noted(&records, &lab.id, &[&id_key, &secret_key]),
                k,
            )
        })
        .ok_or(AppError::NoKeyInCourse)
}

/// The access key pair of lab `lab_arg`, or of the latest pair noted in the course, with
/// the secret decrypted.
pub fn key_pair(
    front: &dyn Front,
    course: &Course,
    lab_arg: Option<&str>,
) -> Result<(String, SecretString), AppError> {
    let k = match lab_arg {
        Some(a) => course.resolve(a)?,
        None => latest_pair_lab(front, course)?,
    };
    pair_in(course, k)
}

/// The access key pair noted in lab `k`, the secret decrypted.
fn pair_in(course: &Course, k: usize) -> Result<(String, SecretString), AppError> {
    let (id, raw, secret_key) = pair_of(course, k)?;
    let secret = super::memo::reveal(&raw, &course.labs[k].lab.id, &secret_key, &mut None)?;
    Ok((id, secret))
}

/// What a student may choose about an issuance (the rest comes from the course): whose
/// key, through which account and endpoint, and what becomes of the keys.
#[derive(Debug, Clone, Default)]
pub struct IssueOptions {
    /// The IAM user asked for (`--user`); see [`user_for`] for the default.
    pub user: Option<String>,
    /// Where IAM is and who signs (`--profile`, `--region`, `--endpoint-url`); see
    /// [`aws_options`] for the region's default.
    pub aws: AwsOptions,
    pub description: Option<String>,
    /// The key to retire when the user already has two.
    pub retire: Option<String>,
    pub rotate: bool,
}

/// The IAM user of lab `k`'s access-key step (see [`crate::labuser::choose`]): the one asked
/// for, else course.yaml's `iam_user`, else the student user the lab names; `None`: the
/// signed-in user.
pub fn user_for(
    cfg: &CourseConfig,
    course: &Course,
    k: usize,
    asked: Option<&str>,
) -> Option<String> {
    let cl = &course.labs[k];
    crate::labuser::choose(asked, cfg.iam_user(&cl.lab.id), cl.lab.source())
}

/// The AWS options of an issuance (course.yaml's region unless one is asked for).
fn aws_options(cfg: &CourseConfig, o: &IssueOptions) -> AwsOptions {
    AwsOptions {
        region: o.aws.region.clone().or_else(|| cfg.region.clone()),
        ..o.aws.clone()
    }
}

/// The issuance request for lab `k`: the keys noted anywhere in the course are protected
/// (never retired automatically).
pub fn request<'a>(
    front: &'a dyn Front,
    cfg: &CourseConfig,
    course: &'a Course,
    k: usize,
    o: &IssueOptions,
) -> issue::IssueRequest<'a> {
    let cl = &course.labs[k];
    issue::IssueRequest {
        course_dir: front.course_dir(),
        lab_path: &cl.path,
        lab_rel: &cl.rel_path,
        stem: &cl.stem,
        user: user_for(cfg, course, k, o.user.as_deref()),
        description: o.description.clone(),
        retire: o.retire.clone(),
        rotate: o.rotate,
        aws: aws_options(cfg, o),
        protected: issue::noted_key_ids(course),
    }
}

/// Issue a key for lab `k` and save it in its memo (see [`issue::issue`]); `ui` shows the
/// progress and confirms a retirement. Runs its own async runtime: call it off any other.
pub fn issue_key(
    front: &dyn Front,
    course: &Course,
    k: usize,
    o: &IssueOptions,
    ui: &dyn Ui,
) -> Result<IssueOutcome, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let req = request(front, &cfg, course, k, o);
    Ok(issue::issue(&req, ui)?)
}

/// What issuing a key for a lab would do: the IAM user, its keys, the one to retire.
#[derive(Debug)]
pub struct IssuePreview {
    pub user: String,
    pub keys: Vec<KeyInfo>,
    pub retire: Option<String>,
}

/// Ask IAM what an issuance for lab `k` with the course's defaults would do, changing
/// nothing: the user by the same rule as the issuance ([`user_for`]), the key to retire by
/// the same rule too ([`crate::iam::choose_key_to_retire`]).
pub async fn preview(
    cfg: &CourseConfig,
    course: &Course,
    k: usize,
) -> Result<IssuePreview, AppError> {
    let lab = &course.labs[k].lab;
    if memo::access_key_entries(lab).is_none() {
        return Err(AppError::NoKeyEntries {
            lab: lab.id.clone(),
        });
    }
    let iam = Iam::connect(&aws_options(cfg, &IssueOptions::default())).await?;
    let user = match user_for(cfg, course, k, None) {
        Some(u) => u,
        None => iam
            .caller()
            .await?
            .user_name
            .ok_or_else(|| AppError::NotAnIamUser {
                lab: lab.id.clone(),
            })?,
    };
    let mut keys = iam.list_keys_brief(&user).await?;
    let mut retire = None;
    if keys.len() >= 2 {
        iam.fill_last_used(&user, &mut keys).await?;
        let protected = issue::noted_key_ids(course);
        retire = crate::iam::choose_key_to_retire(&keys, iam.signing_key_id(), &protected, None)
            .map_err(AppError::CannotRetire)?
            .map(|k| k.id);
    }
    Ok(IssuePreview { user, keys, retire })
}

/// `credential-process`: the pair the AWS tools get, read from the memo only. Never the
/// recovery of an interrupted issuance (it needs IAM and may take seconds): the front end is
/// warned which command finishes it.
pub fn credential_pair(
    front: &dyn Front,
    lab_arg: Option<&str>,
) -> Result<(String, SecretString), AppError> {
    if let Some(note) = issue::waiting_note(front.course_dir()) {
        front.warn(&note);
    }
    let course = Course::open(front.course_dir())?;
    key_pair(front, &course, lab_arg)
}

/// Whether an interrupted access-key issuance waits to be finished ([`recover`]). A link
/// planted in `.labnote/` is never followed: then none waits here, and the command itself
/// fails on the same check, naming the link and the fix.
pub fn recovery_waits(front: &dyn Front) -> bool {
    let dir = front.course_dir();
    issue::pending_exists(dir) && crate::journal::check_state(dir).is_ok()
}

/// Finish the interrupted issuance: the messages of what was done, for the front end to say.
pub fn recover(front: &dyn Front, ui: &dyn Ui) -> Result<Vec<String>, AppError> {
    Ok(issue::recover(front.course_dir(), ui)?)
}

/// `export-csv`: the access-key pair of lab `k` written to `out` (mode 0600) as the console's
/// "Download .csv file" writes it; without `out`, to [`default_csv_path`]. A plaintext secret
/// is never written inside the course or inside a git work tree unless `force` (which also
/// replaces an existing file): see [`csv_refusal`]. Returns the key id and the path written.
pub fn export_csv(
    course: &Course,
    records: &[crate::journal::Record],
    k: usize,
    out: Option<&Path>,
    force: bool,
) -> Result<(String, PathBuf), AppError> {
    use secrecy::ExposeSecret;
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => default_csv_path(records, &course.labs[k].lab.id),
    };
    if !force {
        if let Some(e) = csv_refusal(&course.root, &out) {
            return Err(e);
        }
    }
    let (id, secret) = pair_in(course, k)?;
    let csv = SecretString::from(format!(
        "Access key ID,Secret access key\n{id},{}\n",
        secret.expose_secret()
    ));
    crate::store::write_private(&out, csv.expose_secret().as_bytes(), force)?;
    Ok((id, out))
}

/// Where the access key's `.csv` goes without a path given (`export-csv`, walk's `x`): the
/// name the console gives it ([`super::step::csv_file_name`]) in [`csv_folder`] of this
/// user's HOME.
pub fn default_csv_path(records: &[crate::journal::Record], lab_id: &str) -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"));
    csv_folder(&home, &config).join(super::step::csv_file_name(records, lab_id))
}

/// The folder a downloaded `.csv` goes to, outside any course: the Downloads folder when there
/// is one (`XDG_DOWNLOAD_DIR` of `CONFIG/user-dirs.dirs`, else `HOME/Downloads`), else HOME.
pub fn csv_folder(home: &Path, config: &Path) -> PathBuf {
    let xdg = std::fs::read_to_string(config.join("user-dirs.dirs"))
        .ok()
        .and_then(|text| xdg_download_dir(&text, home));
    xdg.into_iter()
        .chain([home.join("Downloads")])
        .find(|d| d.is_dir())
        .unwrap_or_else(|| home.to_path_buf())
}

/// `XDG_DOWNLOAD_DIR="$HOME/Downloads"` of a `user-dirs.dirs` text, `$HOME` expanded (the
/// file's format: a quoted absolute path or one starting with `$HOME/`).
fn xdg_download_dir(text: &str, home: &Path) -> Option<PathBuf> {
    let line = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("XDG_DOWNLOAD_DIR="))
        .next_back()?;
    let v = line.trim().trim_matches('"');
    let p = match v.strip_prefix("$HOME") {
        Some(rest) => home.join(rest.trim_start_matches('/')),
        None => PathBuf::from(v),
    };
    (p.is_absolute() && p != home).then_some(p)
}

/// Why a plaintext key may not be written at `out`: inside the course folder `root`, or inside
/// a git work tree (a folder with `.git`, the file's folder or above), one `git add .` away
/// from publishing it. `None`: the place is fine.
pub fn csv_refusal(root: &Path, out: &Path) -> Option<AppError> {
    let abs = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(out)
    };
    // The folder as it really is (the file may not exist yet).
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = dir.canonicalize().unwrap_or(dir);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let path = abs.display().to_string();
    if dir.starts_with(&root) {
        return Some(AppError::CsvInCourse {
            path,
            course: root.display().to_string(),
        });
    }
    let tree = dir.ancestors().find(|d| d.join(".git").exists())?;
    Some(AppError::CsvInGitTree {
        path,
        tree: tree.display().to_string(),
    })
}

/// The line `-v` shows before an issuance: which profile, region and credentials AWS uses.
pub fn aws_context(cfg: &CourseConfig, o: &IssueOptions) -> String {
    crate::awserr::context_line(&aws_options(cfg, o))
}

/// Where AWS requests go and who signs them, in one line (what `-v` says).
pub fn context_of(o: &crate::iam::AwsOptions) -> String {
    crate::awserr::context_line(o)
}

/// An IAM or STS error told plainly (what to run, or why it refused).
pub fn iam_message(e: &crate::iam::IamError) -> String {
    crate::awserr::message(e, None)
}

/// An issuance error told plainly: which profile, what to run.
pub fn issue_message(e: &crate::issue::IssueError, profile_arg: Option<&str>) -> String {
    crate::awserr::issue_message(e, profile_arg)
}

/// The lab a console `.csv` goes to: the one named, else the first lab with access-key
/// entries and a step that downloads the `.csv` ([`super::step::is_csv_step`]), else the
/// first with access-key entries.
pub fn csv_lab(course: &Course, lab_arg: Option<&str>) -> Result<usize, AppError> {
    if let Some(a) = lab_arg {
        return Ok(course.resolve(a)?);
    }
    let with_entries = |k: &usize| memo::access_key_entries(&course.labs[*k].lab).is_some();
    let labs = 0..course.labs.len();
    labs.clone()
        .filter(with_entries)
        .find(|&k| {
            let lab = &course.labs[k].lab;
            (0..lab.steps.len()).any(|i| super::step::is_csv_step(lab, i))
        })
        .or_else(|| labs.clone().find(with_entries))
        .ok_or(AppError::NoKeyInCourse)
}

/// Read a console `.csv` from disk: a regular file of at most [`csv::MAX_CSV_BYTES`]
/// (a directory, a FIFO or a device is refused before it is opened).
pub fn read_csv_file(path: &Path) -> Result<Vec<u8>, AppError> {
    let file = path.display().to_string();
    let bad = |reason: String| AppError::CsvFile {
        file: file.clone(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
    if meta.is_dir() {
        return Err(bad(crate::t!("csv-is-dir")));
    }
    if !meta.is_file() {
        return Err(bad(crate::t!("csv-not-regular")));
    }
    if meta.len() > csv::MAX_CSV_BYTES {
        return Err(bad(crate::t!("csv-too-big", size = meta.len())));
    }
    match crate::store::read_bounded(path, csv::MAX_CSV_BYTES, crate::store::Links::Follow) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(bad(crate::t!("csv-too-big", size = meta.len()))),
        Err(e) => Err(bad(e.to_string())),
    }
}

/// A key taken from a console `.csv` into a lab's memo.
pub struct Imported {
    pub lab: String,
    pub rel_path: String,
    pub key_id: String,
    pub id_key: String,
    pub secret_key: String,
    /// The user the older format names (`User name`), if any.
    pub csv_user: Option<String>,
    secret: SecretString,
}

/// Import the key of a console `.csv` (`name`: how the front end calls the file, for its
/// errors; `bytes`: its content) into lab `k`'s memo, as an issuance saves its key
/// ([`issue::save_imported`]), then read the lab back and check that the secret decrypts
/// to the one in the file. A bad file changes nothing.
pub fn import_csv(
    front: &dyn Front,
    course: &Course,
    k: usize,
    name: &str,
    bytes: &[u8],
) -> Result<Imported, AppError> {
    let cl = &course.labs[k];
    let Some((id_key, secret_key)) = memo::access_key_entries(&cl.lab) else {
        return Err(AppError::NoKeyEntries {
            lab: cl.lab.id.clone(),
        });
    };
    let key = csv::parse(bytes).map_err(|p| AppError::BadCsv {
        file: name.to_string(),
        line: p.line,
        reason: p.reason,
    })?;
    let cfg = CourseConfig::load(front.course_dir())?;
    let user = key
        .user
        .clone()
        .or_else(|| user_for(&cfg, course, k, None))
        .unwrap_or_default();
    let target = issue::Target {
        lab_path: cl.path.clone(),
        stem: cl.stem.clone(),
        id_key: id_key.clone(),
        secret_key: secret_key.clone(),
    };
    issue::save_imported(front.course_dir(), &target, &user, &key.key_id, &key.secret)?;
    // Read back what the lab now holds: the id, and the secret decrypted.
    let again = Course::open(front.course_dir())?;
    let kk = again
        .labs
        .iter()
        .position(|l| l.path == cl.path)
        .ok_or_else(|| AppError::ReadBack {
            lab: cl.lab.id.clone(),
        })?;
    let (id, secret) = pair_in(&again, kk)?;
    if id != key.key_id || secret.expose_secret() != key.secret.expose_secret() {
        return Err(AppError::ReadBack {
            lab: cl.lab.id.clone(),
        });
    }
    Ok(Imported {
        lab: cl.lab.id.clone(),
        rel_path: cl.rel_path.clone(),
        key_id: key.key_id,
        id_key,
        secret_key,
        csv_user: key.user,
        secret: key.secret,
    })
}

/// [`import_csv`] of a file on disk ([`read_csv_file`]); `remove`: delete the file once
/// the encrypted value is written and read back.
pub fn import_csv_file(
    front: &dyn Front,
    course: &Course,
    k: usize,
    path: &Path,
    remove: bool,
) -> Result<Imported, AppError> {
    let bytes = read_csv_file(path)?;
    let imported = import_csv(front, course, k, &path.display().to_string(), &bytes)?;
    if remove {
        std::fs::remove_file(path).map_err(|e| AppError::CsvFile {
            file: path.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    Ok(imported)
}

/// Who an imported key signs as (STS GetCallerIdentity with that key), and the user the
/// lab names for its student.
#[derive(Debug)]
pub struct KeyCheck {
    pub account: String,
    pub arn: String,
    pub user: Option<String>,
    pub expected: Option<String>,
}

impl KeyCheck {
    /// The key is not the lab's student's (both known and different).
    pub fn other_user(&self) -> bool {
        matches!((&self.user, &self.expected), (Some(u), Some(e)) if u != e)
    }
}

/// Ask STS who the imported key of lab `k` is (the course's region; `AWS_ENDPOINT_URL` and
/// `aws` honoured as for an issuance). Runs its own async runtime.
pub fn check_imported(
    front: &dyn Front,
    course: &Course,
    k: usize,
    imported: &Imported,
    aws: &AwsOptions,
) -> Result<KeyCheck, AppError> {
    let cfg = CourseConfig::load(front.course_dir())?;
    let mut opts = aws_options(
        &cfg,
        &IssueOptions {
            aws: aws.clone(),
            ..IssueOptions::default()
        },
    );
    opts.profile = None;
    opts.credentials = Some((imported.key_id.clone(), imported.secret.clone()));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::CsvFile {
            file: imported.rel_path.clone(),
            reason: e.to_string(),
        })?;
    let caller = rt.block_on(async {
        let iam = Iam::connect(&opts).await?;
        iam.caller().await
    })?;
    Ok(KeyCheck {
        account: caller.account,
        arn: caller.arn,
        user: caller.user_name,
        expected: user_for(&cfg, course, k, None),
    })
}
