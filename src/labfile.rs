//! Read-modify-write of a lab file: under the course lock, from the bytes on disk, replaced
//! atomically, and never over an edit another program made meanwhile.

use std::path::{Path, PathBuf};

use crate::lab::{self, Lab};
use crate::{memo, store};

#[derive(Debug, thiserror::Error)]
pub enum LabFileError {
    #[error("{path}: cannot read the lab: {source}")]
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
    #[error("{path}: the lab keeps changing on disk while labnote writes to it (an editor saving?); nothing was written — try again")]
    KeepsChanging { path: PathBuf },
    #[error("{0}")]
    Rejected(String),
}

/// The lock that serialises labnote's writes to the labs of a course.
pub fn lock_path(course_dir: &Path) -> PathBuf {
    crate::journal::state_dir(course_dir).join("labs.lock")
}

/// An edit of a lab's text: the new text, `None` for no change, or a message refusing it.
pub type Edit<'a> = &'a mut dyn FnMut(&str, &Lab) -> Result<Option<String>, String>;

/// Apply `edit` to the lab at `path`. `edit` gets the current text and its parse and returns
/// the new text, or `None` for "no change" (the file is then not touched at all). If the
/// file changes between our read and our write, we start over from the new version.
/// Returns whether the file was written.
pub fn rewrite(
    course_dir: &Path,
    path: &Path,
    stem: &str,
    edit: Edit,
) -> Result<bool, LabFileError> {
    let _guard = store::lock_exclusive(&lock_path(course_dir))?;
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| LabFileError::Read {
            path: p.to_path_buf(),
            source,
        })
    };
    for _attempt in 0..5 {
        let bytes = read(path)?;
        let lab = lab::parse(&bytes, stem).map_err(|source| LabFileError::Parse {
            path: path.to_path_buf(),
            source,
        })?;
        let text = std::str::from_utf8(&bytes).unwrap_or_default();
        let Some(new) = edit(text, &lab).map_err(LabFileError::Rejected)? else {
            return Ok(false);
        };
        if new == text {
            return Ok(false);
        }
        test_pause();
        if read(path)? != bytes {
            continue;
        }
        store::write_atomic(path, new.as_bytes())?;
        return Ok(true);
    }
    Err(LabFileError::KeepsChanging {
        path: path.to_path_buf(),
    })
}

/// Test hook: a pause between computing an edit and checking the file again, so a test can
/// change the lab in that window (`LABNOTE_TEST_WRITE_PAUSE_MS`).
fn test_pause() {
    if let Some(ms) = std::env::var("LABNOTE_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

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
