//! The application layer: the use cases every front end calls — the commands, `walk` and
//! `labnote serve` alike.
//!
//! A use case takes a [`Front`] (where the course is, where warnings go), does its work
//! through the core and the edges, and returns a typed outcome or an [`AppError`]. It prints
//! nothing and knows no clap, HTTP or terminal: a front end parses its input, calls one use
//! case and presents the result. A rule of the domain that a front end needs lives here or
//! below, never in a front end, so two front ends cannot disagree about it.
//!
//! - [`aws_profile`]: the labnote profiles of the AWS config file (set, list, remove).
//! - [`memo`]: note, unset, get and reveal a value; list, seal and re-encrypt the memo.
//! - [`progress`]: step states, progress counts, marking steps done or open.
//! - [`keys`]: the access-key pair of a lab, and the issuance (request, preview).
//! - [`resolve`]: placeholder resolution for a lab (listing, filling, revealing).
//! - [`files`]: where a lab's images come from (the view model's [`crate::view::Files`]).
//! - [`fill`]: what a placeholder or memo entry shows in a front end (masked or revealed).
//! - [`run`]: a step's commands in one shell session: what runs, the outcome, the record.
//! - [`notes`]: what a step asks to note, the offer and its order, the candidates in a run's
//!   output, the key a name is stored under, the lab a value is noted in, noting it.
//! - [`watch`]: the course as `labnote serve` holds it (read tolerantly, reloaded on change).
//! - [`class`]: the instructor's view of the class through a git remote (progress only).
//! - [`nudge`]: the class's background push after a change of progress.
//! - [`step`]: what a step offers (the key step, the CSV step, the values it names), course
//!   and lab totals, the next lab.

use std::path::Path;

use crate::journal::Journal;
use crate::memo::MemoError;
use crate::t;

pub mod aws_profile;
pub mod class;
pub mod files;
pub mod fill;
pub mod keys;
pub mod lint;
pub mod memo;
pub mod notes;
pub mod nudge;
pub mod progress;
pub mod provenance;
pub mod resolve;
pub mod run;
pub mod sources;
pub mod step;
pub mod watch;

// The vocabulary of the use cases, as the front ends name it (they import `app`, the view
// model and presentation, nothing below: tests/it/layers.rs checks it).
/// The course's settings (`course.yaml`).
pub use crate::config::{ConfigError, CourseConfig};
/// The course and its labs.
pub use crate::course::{Course, CourseError, CourseLab};
/// Where AWS requests go (`--profile`, `--region`, `--endpoint-url`).
pub use crate::iam::AwsOptions;
/// The journal: a record, a step's state, a lab's progress.
pub use crate::journal::{JournalError, Progress, Record, StepState};
/// A lab of the core's model, and its memo entries.
pub use crate::lab::{Lab, MemoEntry};
/// The identity file a front end names for the whole process (`--identity`).
pub use crate::secret::set_identity_override;
/// How a moment is shown (local time zone): presentation both front ends share.
pub(crate) use crate::timefmt;
/// The errors of the edges a front end converts (through [`AppError`]).
pub use crate::{issue::IssueError, labfile::LabFileError, secret::SecretError, store::StoreError};

/// A step of a course: step `step` of lab `lab` (indexes into `Course::labs` and
/// `Lab::steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepAt {
    pub lab: usize,
    pub step: usize,
}

/// What a use case needs of the front end calling it: the course folder, and somewhere to
/// tell the student about a problem that does not stop the work (a skipped file, a repaired
/// journal). The CLI prints warnings on stderr; the server logs them.
pub trait Front {
    fn course_dir(&self) -> &Path;
    fn warn(&self, msg: &str);
    /// What a use case did, for the student (a file written, a backup kept). A front end
    /// with no place for it leaves it out.
    fn note(&self, msg: &str) {
        let _ = msg;
    }
}

/// Whose mistake an error is, which decides the exit code (and the HTTP status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A wrong argument or request: the student fixes it (exit 1).
    User,
    /// Unreadable or invalid data, a failed service call (exit 2).
    Data,
}

/// Why a use case failed. The message names the file, the lab, the key or the argument,
/// and the fix.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Course(#[from] CourseError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    LabFile(#[from] LabFileError),
    #[error(transparent)]
    Issue(#[from] IssueError),
    /// A value or key the memo rules refuse (empty, several lines, posing as encrypted).
    #[error("{}", t!("app-memo-refused", lab = lab, reason = source.to_string()))]
    Memo { lab: String, source: MemoError },
    /// A memo edit of a lab file the memo rules refuse (a key written twice, in one memo
    /// block or two: the message names both lines).
    #[error("{path}: {source}")]
    MemoFile { path: String, source: MemoError },
    /// The lab has no entry by that key.
    #[error("{}", t!("app-no-entry", lab = lab, key = key, entries = entries))]
    NoEntry {
        lab: String,
        key: String,
        entries: String,
    },
    /// `memo set` with a name that means no value of the course, without `--new`: the
    /// values close to it (by the one name rule), closest first; none when none is.
    #[error("{}", crate::app::memo::unknown_name_message(name, close))]
    UnknownName { name: String, close: Vec<String> },
    /// `fetch LAB NAME` with a name that means no value of the course: the close values.
    #[error("{}", crate::app::sources::unknown_value_message(name, close))]
    NoSuchValue { name: String, close: Vec<String> },
    /// `memo rm` of an entry labnote did not add (the lab's own line).
    #[error("{}", t!("app-entry-of-the-lab", lab = lab, key = key))]
    EntryOfTheLab { lab: String, key: String },
    /// The entry exists but holds no value.
    #[error("{}", t!("app-entry-empty", lab = lab, key = key))]
    EntryEmpty { lab: String, key: String },
    /// No lab of the course holds a value for the key.
    #[error("{}", t!("app-not-held", key = key))]
    NotHeld { key: String },
    /// The entry was encrypted by another labnote after this one read the lab.
    #[error("{}", t!("app-encrypted-meanwhile", lab = lab, key = key))]
    EncryptedMeanwhile { lab: String, key: String },
    /// A stored value that cannot be read back (a damaged multi-line value).
    #[error("{}", t!("app-bad-value", lab = lab, key = key, reason = reason))]
    BadValue {
        lab: String,
        key: String,
        reason: String,
    },
    /// age failed on the secret `key` of `lab` while labnote was at `step` (for a rekey,
    /// before any file changed).
    #[error("{}", step.message(lab, key, source))]
    SecretFailed {
        step: SecretStep,
        lab: String,
        key: String,
        source: SecretError,
    },
    /// An `age:` value given to note that this identity cannot open.
    #[error("{}", t!("agecmd-foreign-ciphertext", identity = identity, keys = keys))]
    ForeignCiphertext { identity: String, keys: String },
    #[error("{}", t!("agecmd-bad-ciphertext", reason = reason))]
    BadCiphertext { reason: String },
    /// A lab that cannot be read again to check it before a write.
    #[error("{}", t!("labfile-read", path = path, reason = reason))]
    Unreadable { path: String, reason: String },
    #[error("{}", t!("progress-no-step", lab = lab, path = path, arg = arg, steps = steps))]
    NoStep {
        lab: String,
        path: String,
        arg: String,
        steps: String,
    },
    #[error("{}", t!("progress-step-number-ambiguous", arg = arg, lab = lab, steps = steps))]
    AmbiguousStep {
        lab: String,
        arg: String,
        steps: String,
    },
    #[error("{}", t!("app-no-key-entries", lab = lab))]
    NoKeyEntries { lab: String },
    #[error("{}", t!("app-no-key-noted", lab = lab))]
    NoKeyNoted { lab: String },
    #[error("{}", t!("app-no-key-in-course"))]
    NoKeyInCourse,
    /// A console `.csv` that is not one: the file, the line and the fix.
    #[error("{}", t!("csv-bad-file", file = file, line = line, reason = reason))]
    BadCsv {
        file: String,
        line: usize,
        reason: String,
    },
    /// A `.csv` that cannot be read as a file (a directory, a FIFO, too big, missing).
    #[error("{}", t!("csv-file", file = file, reason = reason))]
    CsvFile { file: String, reason: String },
    /// The lab did not hold the imported key when read back.
    #[error("{}", t!("csv-read-back", lab = lab))]
    ReadBack { lab: String },
    /// A plaintext access-key CSV asked to go inside the course folder.
    #[error("{}", t!("app-csv-in-course", path = path, course = course))]
    CsvInCourse { path: String, course: String },
    /// A plaintext access-key CSV asked to go inside a git work tree.
    #[error("{}", t!("app-csv-in-git", path = path, tree = tree))]
    CsvInGitTree { path: String, tree: String },
    /// The signed-in identity is no IAM user, and the lab names none.
    #[error("{}", t!("app-not-an-iam-user", lab = lab))]
    NotAnIamUser { lab: String },
    /// IAM refused or failed while previewing an issuance.
    #[error(transparent)]
    Iam(#[from] crate::iam::IamError),
    /// No key can be retired to make room (every one is protected or in use).
    #[error(transparent)]
    CannotRetire(crate::iam::IamError),
    #[error("{}", t!("app-no-placeholder", lab = lab, name = name))]
    NoPlaceholder { lab: String, name: String },
    #[error("{}", t!("app-not-noted", name = name))]
    NotNoted { name: String },
    /// A run refused before anything ran, or a shell that could not start.
    #[error(transparent)]
    Run(Box<run::RunError>),
    /// An AWS config or credentials file that `aws-profile` cannot use as asked (`user`:
    /// the student's to fix, else unreadable or unwritable).
    #[error("{message}")]
    AwsFiles { message: String, user: bool },
    /// A `run --note NAME=REGEX` rule that matched nothing in the output.
    #[error("{}", t!("capture-no-match", name = name, regex = regex, lab = lab))]
    NoMatch {
        name: String,
        regex: String,
        lab: String,
    },
    /// `labnote class`: joining, pushing or reading the class repository.
    #[error(transparent)]
    Class(Box<class::ClassError>),
}

/// What labnote was doing with a secret when age failed ([`AppError::SecretFailed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretStep {
    /// Showing or using a noted secret.
    Decrypt,
    /// Noting a secret.
    Encrypt,
    /// `memo rekey` opening every secret before it re-encrypts any.
    Rekey,
}

impl SecretStep {
    fn message(self, lab: &str, key: &str, source: &SecretError) -> String {
        let reason = source.to_string();
        match self {
            SecretStep::Decrypt => t!(
                "agecmd-cannot-decrypt",
                lab = lab,
                key = key,
                reason = reason
            ),
            SecretStep::Encrypt => t!(
                "agecmd-cannot-encrypt",
                lab = lab,
                key = key,
                reason = reason
            ),
            SecretStep::Rekey => t!(
                "agecmd-rekey-stopped",
                lab = lab,
                key = key,
                reason = reason
            ),
        }
    }
}

impl AppError {
    /// Whose mistake it is (see [`ErrorKind`]): the one rule behind every exit code.
    pub fn kind(&self) -> ErrorKind {
        use AppError as E;
        let user = match self {
            E::Course(e) => e.exit_code() == 1,
            E::Issue(e) => e.exit_code() == 1,
            E::LabFile(e) => matches!(e, LabFileError::Rejected(_)),
            E::Config(_) | E::Journal(_) | E::Store(_) | E::Secret(_) | E::Iam(_) => false,
            E::BadValue { .. } | E::SecretFailed { .. } | E::Unreadable { .. } => false,
            E::ReadBack { .. } => false,
            E::Run(e) => e.is_user(),
            E::AwsFiles { user, .. } => *user,
            E::Class(e) => e.is_user(),
            _ => true,
        };
        if user {
            ErrorKind::User
        } else {
            ErrorKind::Data
        }
    }

    /// The message in `lang` rather than the process's language (a web request's): every
    /// message of this error and of the errors inside it is formatted when shown, so
    /// showing it under [`crate::i18n::in_lang`] speaks `lang` throughout.
    pub fn render_in(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::in_lang(lang, || self.to_string())
    }

    /// The exit code of a command that fails with this error: 1 user error, 2 data error.
    pub fn exit_code(&self) -> i32 {
        match self.kind() {
            ErrorKind::User => 1,
            ErrorKind::Data => 2,
        }
    }
}

/// Open the course of `front`, warning about the files it skipped.
pub fn open_course(front: &dyn Front) -> Result<Course, AppError> {
    let c = Course::open(front.course_dir())?;
    for (p, why) in &c.problems {
        front.warn(&t!("cli-skipped", path = p, why = why));
    }
    for l in c.labs.iter().filter(|l| !l.lab.unsafe_lines.is_empty()) {
        let lines: Vec<String> = l.lab.unsafe_lines.iter().map(|n| n.to_string()).collect();
        front.warn(&t!(
            "textsafe-lab-names",
            path = l.path.display().to_string(),
            line = l.lab.unsafe_lines[0],
            lines = lines.join(", ")
        ));
    }
    Ok(c)
}

/// The journal of the course, its repairs reported as warnings. Like opening the course,
/// it first checks `course.yaml`: an invalid one is the same error for every command, even
/// one that reads only the journal (`log`).
pub fn load_journal(front: &dyn Front) -> Result<Vec<Record>, AppError> {
    crate::config::CourseConfig::load(front.course_dir())?;
    let loaded = Journal::for_course(front.course_dir()).load()?;
    for w in &loaded.warnings {
        front.warn(w);
    }
    Ok(loaded.records)
}

/// The course's `course.yaml` (its defaults when there is none).
pub fn course_config(front: &dyn Front) -> Result<CourseConfig, AppError> {
    Ok(CourseConfig::load(front.course_dir())?)
}

/// Append records to the journal, reporting what it had to repair first.
pub fn append(front: &dyn Front, records: &[Record]) -> Result<(), AppError> {
    for w in Journal::for_course(front.course_dir()).append(records)? {
        front.warn(&w);
    }
    Ok(())
}

/// The labs a course-wide use case works on: the one named, or every lab of the course.
pub fn selected(course: &Course, lab_arg: Option<&str>) -> Result<Vec<usize>, AppError> {
    Ok(match lab_arg {
        Some(a) => vec![course.resolve(a)?],
        None => (0..course.labs.len()).collect(),
    })
}

#[cfg(test)]
mod tests;
