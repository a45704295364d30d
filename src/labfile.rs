//! Reading a lab file, and read-modify-write of one: under the course lock, from the bytes
//! on disk, replaced atomically, and never over an edit another program made meanwhile.
//!
//! A lab is course input: it must be a regular file (a FIFO or a link to `/dev/zero` is
//! refused, never read) of at most [`MAX_BYTES`]. A lab linked from outside the course is
//! read, but written only when the file the link points to is inside the course. A UTF-8
//! byte order mark and CR-only line endings survive a write byte for byte.

use std::path::{Path, PathBuf};

use crate::lab::{self, Lab};
use crate::t;
use crate::{memo, store};

#[derive(Debug, thiserror::Error)]
pub enum LabFileError {
    #[error("{}", t!("labfile-read", path = path, reason = source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: lab::ParseError,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("{}", t!("labfile-keeps-changing", path = path))]
    KeepsChanging { path: PathBuf },
    /// The edit refused to change the lab (nothing was written).
    #[error(transparent)]
    Rejected(EditError),
    #[error("{}", t!("labfile-outside-course", path = path, target = target, course = course))]
    OutsideCourse {
        path: PathBuf,
        target: PathBuf,
        course: PathBuf,
    },
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
    #[error("{}", t!("labfile-stale", path = path))]
    Stale { path: PathBuf },
}

/// Why an edit refused to change a lab. An edit decides from the lab's current text, so it
/// can fail on what it finds there; the variant says what, and the message names the lab
/// and the key.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// A secret of the lab does not open with the identity (re-encrypting needs every one).
    #[error("{}", t!("agecmd-cannot-decrypt", lab = lab, key = key, reason = source.to_string()))]
    Decrypt {
        lab: String,
        key: String,
        source: crate::secret::SecretError,
    },
    /// A value could not be encrypted to the recipients.
    #[error("{}", t!("agecmd-cannot-encrypt", lab = lab, key = key, reason = source.to_string()))]
    Encrypt {
        lab: String,
        key: String,
        source: crate::secret::SecretError,
    },
    /// A front end's own refusal (a rule checked against the entry it found), carried as the
    /// message it shows; `cli/memo` decides with its `Failure` and passes its message here.
    /// A memo edit the memo rules refuse (a line break in a value, a bad key).
    #[error(transparent)]
    Memo(#[from] memo::MemoError),
    #[error("{0}")]
    Refused(String),
}

impl From<String> for EditError {
    fn from(message: String) -> EditError {
        EditError::Refused(message)
    }
}

/// The message of a refusal, for a front end that reports edits as text.
impl From<EditError> for String {
    fn from(e: EditError) -> String {
        e.to_string()
    }
}

/// Largest lab read. The real labs are under 100 KiB; the parser is tested on 50 MB
/// (tests/it/parse_fixtures.rs), so every lab accepted here parses in well under a second.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The bytes of the lab at `path` (a link is followed): a regular file of at most
/// [`MAX_BYTES`], else an error naming it. Never blocks on a FIFO.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, store::StoreError> {
    store::read_bounded(path, MAX_BYTES, store::Links::Follow)?
        .ok_or_else(|| store::Op::Read.on(path)(std::io::Error::from(std::io::ErrorKind::NotFound)))
}

/// The text of the lab at `path` as the lab's spans index it: the file's text, with a CR-only
/// file read with LF (same length), so a step's body prints as lines.
pub fn read_text(path: &Path) -> Result<String, LabFileError> {
    let bytes = read_bytes(path)?;
    Ok(lab::source_text(utf8(path, &bytes)?).into_owned())
}

/// `bytes` as text, or the parser's error (with the offset and line) naming `path`.
fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, LabFileError> {
    std::str::from_utf8(bytes).map_err(|_| LabFileError::Parse {
        path: path.to_path_buf(),
        source: lab::parse(bytes, "")
            .err()
            .unwrap_or(lab::ParseError::InvalidUtf8 { offset: 0, line: 1 }),
    })
}

/// The file a write to `path` replaces: `path` itself, or the file a link at `path` points
/// to, which must be inside the course folder.
fn write_target(course_dir: &Path, path: &Path) -> Result<PathBuf, LabFileError> {
    let canon = |p: &Path| {
        std::fs::canonicalize(p).map_err(|source| LabFileError::Read {
            path: p.to_path_buf(),
            source,
        })
    };
    let target = canon(path)?;
    let course = canon(course_dir)?;
    if !target.starts_with(&course) {
        return Err(LabFileError::OutsideCourse {
            path: path.to_path_buf(),
            target,
            course,
        });
    }
    Ok(target)
}

/// The lock that serialises labnote's writes to the labs of a course.
pub fn lock_path(course_dir: &Path) -> PathBuf {
    crate::journal::state_dir(course_dir).join("labs.lock")
}

/// An edit of a lab's text: the new text, `None` for no change, or why it refuses (an
/// [`EditError`], or anything that converts to one).
pub type Edit<'a, E = EditError> = &'a mut dyn FnMut(&str, &Lab) -> Result<Option<String>, E>;

/// Apply `edit` to the lab at `path`. `edit` gets the current text and its parse and returns
/// the new text, or `None` for "no change" (the file is then not touched at all). If the
/// file changes between our read and our write, we start over from the new version.
/// Returns whether the file was written.
///
/// Every lab write is followed by a journal record, so before the first write this checks
/// that the journal can be appended to: a command fails with nothing changed rather than
/// after writing the lab. A CR-only lab is edited as LF text and written back with CR.
pub fn rewrite<E: Into<EditError>>(
    course_dir: &Path,
    path: &Path,
    stem: &str,
    edit: Edit<'_, E>,
) -> Result<bool, LabFileError> {
    rewrite_versioned(course_dir, path, stem, None, edit)
}

/// [`rewrite`] for an edit a person chose looking at one version of the lab (`base`, from
/// [`Lab::version`]): when the file on disk is no longer that version, nothing is written
/// and the error says so, instead of applying the choice to text the person has not seen.
/// A change between labnote's own read and write is still retried as in [`rewrite`].
pub fn rewrite_from<E: Into<EditError>>(
    course_dir: &Path,
    path: &Path,
    stem: &str,
    base: lab::Version,
    edit: Edit<'_, E>,
) -> Result<bool, LabFileError> {
    rewrite_versioned(course_dir, path, stem, Some(base), edit)
}

/// The loop of [`rewrite`], checking the first read against `base` when there is one.
fn rewrite_versioned<E: Into<EditError>>(
    course_dir: &Path,
    path: &Path,
    stem: &str,
    mut base: Option<lab::Version>,
    edit: Edit<'_, E>,
) -> Result<bool, LabFileError> {
    let target = write_target(course_dir, path)?;
    crate::journal::Journal::for_course(course_dir).check_writable()?;
    let _guard = store::lock_exclusive(&lock_path(course_dir))?;
    for _attempt in 0..5 {
        let bytes = read_bytes(&target)?;
        let text = utf8(path, &bytes)?;
        let cr_only = lab::is_cr_only(text);
        let view = lab::source_text(text);
        if let Some(base) = base.take() {
            if base != lab::Version::of(text.as_bytes()) {
                return Err(LabFileError::Stale {
                    path: path.to_path_buf(),
                });
            }
        }
        let lab = lab::parse_str(&view, stem);
        let Some(mut new) = edit(&view, &lab).map_err(|e| LabFileError::Rejected(e.into()))? else {
            return Ok(false);
        };
        if cr_only {
            new = new.replace('\n', "\r");
        }
        if new == text {
            return Ok(false);
        }
        test_pause();
        if read_bytes(&target)? != bytes {
            continue;
        }
        store::write_atomic(&target, new.as_bytes())?;
        return Ok(true);
    }
    Err(LabFileError::KeepsChanging {
        path: path.to_path_buf(),
    })
}

/// Test hook: a pause between computing an edit and checking the file again, so a test can
/// change the lab in that window (`LABNOTE_TEST_WRITE_PAUSE_MS`). Only with the `test-hooks`
/// feature.
#[cfg(feature = "test-hooks")]
fn test_pause() {
    if let Some(ms) = std::env::var("LABNOTE_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(not(feature = "test-hooks"))]
fn test_pause() {}

/// Set several entries in one edit (each `stored` already rendered, see
/// [`memo::render_value`]). Spans move after each splice, so the text is parsed again
/// between them.
pub fn set_entries(
    text: &str,
    stem: &str,
    entries: &[(&str, &str)],
) -> Result<Option<String>, memo::MemoError> {
    let mut cur = text.to_string();
    let mut changed = false;
    for (key, stored) in entries {
        let Ok(lab) = lab::parse(cur.as_bytes(), stem) else {
            return Ok(None);
        };
        if let Some(next) = memo::set(&cur, &lab, key, stored)? {
            cur = next;
            changed = true;
        }
    }
    Ok(changed.then_some(cur))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB: &str =
        "# 2. 실습\n\n### ✔ 2-1. 버킷 만들기\n\n> **📌 [실습 중 메모사항]**\n> - bucket_name: \n";

    /// An edit that refuses leaves the lab as it was and says why, typed.
    #[test]
    fn a_refused_edit_writes_nothing_and_keeps_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2-lab.md");
        std::fs::write(&path, LAB).unwrap();
        let mut edit = |_: &str, _: &Lab| -> Result<Option<String>, EditError> {
            Err(EditError::Refused("the value is empty".into()))
        };
        let err = rewrite(dir.path(), &path, "2-lab", &mut edit).unwrap_err();
        assert!(
            matches!(&err, LabFileError::Rejected(EditError::Refused(m)) if m == "the value is empty"),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "the value is empty");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), LAB);
    }

    /// A front end that refuses with a message (`String`) gets the same typed refusal.
    #[test]
    fn a_message_refusal_converts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2-lab.md");
        std::fs::write(&path, LAB).unwrap();
        let mut edit =
            |_: &str, _: &Lab| -> Result<Option<String>, String> { Err("no such key".into()) };
        let err = rewrite(dir.path(), &path, "2-lab", &mut edit).unwrap_err();
        assert!(matches!(err, LabFileError::Rejected(EditError::Refused(_))));
        assert_eq!(String::from(EditError::from("x".to_string())), "x");
    }

    /// An edit chosen on one version of the lab is refused once the file moved on, and goes
    /// through on the version it was made for; a snapshot keeps the text its spans index.
    #[test]
    fn an_edit_names_the_version_it_edits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2-lab.md");
        std::fs::write(&path, LAB.replace('\n', "\r")).unwrap();
        let seen = lab::parse(&std::fs::read(&path).unwrap(), "2-lab").unwrap();
        assert_eq!(seen.source(), LAB, "a CR-only lab is kept with LF");
        let title = &seen.steps[0].section_span;
        assert!(seen.source()[title.clone()].contains("버킷 만들기"));
        let mut edit = |t: &str, l: &Lab| -> Result<Option<String>, EditError> {
            Ok(memo::set(t, l, "bucket_name", "my-bucket")?)
        };
        let other = LAB.replacen("실습", "실습 (고침)", 1).replace('\n', "\r");
        std::fs::write(&path, &other).unwrap();
        let err = rewrite_from(dir.path(), &path, "2-lab", seen.version(), &mut edit).unwrap_err();
        assert!(matches!(err, LabFileError::Stale { .. }), "{err:?}");
        assert!(err.to_string().contains("2-lab.md"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), other);

        let now = lab::parse(other.as_bytes(), "2-lab").unwrap();
        assert_ne!(now.version(), seen.version());
        assert!(rewrite_from(dir.path(), &path, "2-lab", now.version(), &mut edit).unwrap());
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.contains("my-bucket\r"), "{written:?}");
        assert!(!written.contains('\n'));
    }
}
