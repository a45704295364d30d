//! The only module that writes files.
//!
//! Every write in labnote goes through here so that the crash-safety rules live in one
//! place:
//!
//! * a replaced file is written to a temporary file in the *same* folder (so the final
//!   `rename` cannot cross a filesystem), flushed with `fsync`, renamed over the target, and
//!   then the folder itself is `fsync`ed so the rename survives a power cut;
//! * a failed write leaves the original file byte-for-byte untouched and removes its
//!   temporary file;
//! * private files (identities) are `0600` from the moment they exist, never wider;
//! * read-modify-write cycles and journal appends are serialised by an advisory lock
//!   ([`CourseLock`]) so two `labnote` processes cannot interleave;
//! * a course folder is untrusted input: files are read only when they are regular files,
//!   up to a size cap ([`read_bounded`]), and nothing in a state folder (`.labnote/`) is
//!   followed as a link ([`check_state_dir`], `O_NOFOLLOW` on state files and locks);
//! * an append that fails is cut off again, and our temporary files that a killed process
//!   left behind are removed by the next write in their folder.
//!
//! Errors carry the path, the OS cause and, where one exists, the fix. The cause is part of
//! the message (not a `source()`), so a caller printing the error with `{}` shows everything
//! and a caller printing the chain with `{:#}` does not print the cause twice.

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::t;

/// Mode of files that only the owner may read: identities, journals, lock files.
const PRIVATE_FILE_MODE: u32 = 0o600;
/// Mode of folders that only the owner may enter: `~/.config/labnote`, `<course>/.labnote`.
const PRIVATE_DIR_MODE: u32 = 0o700;
/// Mode requested for a brand-new public file; the process umask narrows it (usually to 0644),
/// exactly as any other program creating a file would.
const NEW_FILE_MODE: u32 = 0o666;
/// Prefix of our temporary files, so a leftover from a killed process is recognisable.
const TEMP_PREFIX: &str = ".labnote-";
const TEMP_SUFFIX: &str = ".tmp";
/// Length of the random part tempfile puts between our prefix and suffix.
const TEMP_RANDOM_LEN: usize = 6;
/// A temporary file of ours older than this was left by a killed process: no live labnote
/// keeps one open for more than a few seconds.
const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// Why a file operation failed. Each variant names the path involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The target path has no file name or no parent folder (e.g. `/` or `..`).
    #[error("{}", t!("store-invalid-path", path = path, reason = reason))]
    InvalidPath { path: PathBuf, reason: String },

    /// `write_private` with `overwrite == false` found the file already there.
    #[error("{}", t!("store-exists", path = path))]
    Exists { path: PathBuf },

    /// A file operation failed (`op` says which) on `path`: the file the student knows
    /// about, or for [`Op::CreateTemp`] the folder the temporary file goes in.
    #[error("{}{}", op.message(path, cause), hint(cause, path))]
    Io {
        op: Op,
        path: PathBuf,
        cause: io::Error,
    },

    /// The rename succeeded but the folder could not be flushed: the new content is in place
    /// but might not survive a crash.
    #[error("{}", t!("store-sync-dir", path = path, dir = dir, cause = cause))]
    SyncDir {
        path: PathBuf,
        dir: PathBuf,
        cause: io::Error,
    },

    /// A state file or folder (`.labnote/` and what is in it) is a symbolic link. A course
    /// folder may come from someone else, so a link there could point at any file of the
    /// user's; labnote never follows one.
    #[error("{}", t!("store-link", path = path))]
    Link { path: PathBuf },

    /// A file to read is a FIFO, a device, a folder, ...: reading it could block forever or
    /// never end.
    #[error("{}", t!("store-not-regular", path = path, kind = kind))]
    NotRegular { path: PathBuf, kind: String },

    /// A file to read is larger than labnote reads for its kind.
    #[error("{}", t!("store-too-large", path = path, mib = limit / (1024 * 1024)))]
    TooLarge { path: PathBuf, limit: u64 },
}

/// What a failed file operation was doing (see [`StoreError::Io`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Creating the temporary file next to the target.
    CreateTemp,
    /// Writing or flushing bytes (disk full, I/O error, ...).
    Write,
    /// Reading a file's metadata, permissions or content.
    Read,
    /// Setting the mode of a file.
    Permissions,
    /// The final rename over the target; the target is unchanged.
    Rename,
    /// Creating a folder.
    CreateDir,
    /// Opening a file (lock file, journal).
    Open,
    /// Taking the advisory lock (not merely waiting: the OS refused).
    Lock,
}

impl Op {
    /// The error of this operation on `path`, for `map_err`.
    pub fn on(self, path: &Path) -> impl Fn(io::Error) -> StoreError + Copy + '_ {
        move |cause| StoreError::Io {
            op: self,
            path: path.to_path_buf(),
            cause,
        }
    }

    fn message(self, path: &Path, cause: &io::Error) -> String {
        match self {
            Op::CreateTemp => t!("store-create-temp", path = path, cause = cause),
            Op::Write => t!("store-write", path = path, cause = cause),
            Op::Read => t!("store-read", path = path, cause = cause),
            Op::Permissions => t!("store-permissions", path = path, cause = cause),
            Op::Rename => t!("store-rename", path = path, cause = cause),
            Op::CreateDir => t!("store-create-dir", path = path, cause = cause),
            Op::Open => t!("store-open", path = path, cause = cause),
            Op::Lock => t!("store-lock", path = path, cause = cause),
        }
    }
}

/// A suggestion for the error kinds where the fix is obvious.
fn hint(cause: &io::Error, path: &Path) -> String {
    match cause.kind() {
        io::ErrorKind::PermissionDenied => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            format!(" {}", t!("store-hint-permission", path = path, dir = dir))
        }
        // Matched by errno: the ErrorKind variants for these need Rust 1.83, above our MSRV.
        _ => match cause.raw_os_error() {
            Some(libc::EROFS) => format!(" {}", t!("store-hint-read-only")),
            Some(libc::ENOSPC) | Some(libc::EDQUOT) => format!(" {}", t!("store-hint-disk-full")),
            Some(libc::EFBIG) => format!(" {}", t!("store-hint-too-big")),
            _ => String::new(),
        },
    }
}

/// Splits `path` into (folder, file name), treating a bare file name as living in `.`.
fn split(path: &Path) -> Result<(PathBuf, &std::ffi::OsStr), StoreError> {
    let name = path.file_name().ok_or_else(|| StoreError::InvalidPath {
        path: path.to_path_buf(),
        reason: t!("store-no-file-name"),
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        Some(_) => PathBuf::from("."),
        None => {
            return Err(StoreError::InvalidPath {
                path: path.to_path_buf(),
                reason: t!("store-no-parent"),
            })
        }
    };
    Ok((dir, name))
}

/// Where the bytes should really go: a symlinked lab stays a symlink and its target is
/// replaced, instead of the link being silently turned into a regular file.
fn resolve_target(path: &Path) -> Result<PathBuf, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(Op::Read.on(path))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Flushes a folder so a rename inside it is durable. Filesystems that cannot fsync a
/// folder (`EINVAL`) are accepted: there is nothing more we can do there.
fn sync_dir(dir: &Path, path: &Path) -> Result<(), StoreError> {
    let result = File::open(dir).and_then(|d| d.sync_all());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok(()),
        Err(cause) => Err(StoreError::SyncDir {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            cause,
        }),
    }
}

/// Creates the temporary sibling of `name` in `dir` with `mode` applied at `open` time.
fn temp_in(
    dir: &Path,
    name: &std::ffi::OsStr,
    mode: u32,
) -> Result<tempfile::NamedTempFile, StoreError> {
    let mut prefix = std::ffi::OsString::from(TEMP_PREFIX);
    prefix.push(name);
    prefix.push(".");
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .permissions(Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(Op::CreateTemp.on(dir))
}

/// Gives the temp file `mode` (if any), writes all bytes and fsyncs them. Errors name
/// `target`, the file the user knows about, not the temporary name. On error the temp file is
/// removed by its destructor.
fn fill(
    tmp: &mut tempfile::NamedTempFile,
    mode: Option<u32>,
    bytes: &[u8],
    target: &Path,
) -> Result<(), StoreError> {
    if let Some(mode) = mode {
        tmp.as_file()
            .set_permissions(Permissions::from_mode(mode))
            .map_err(Op::Permissions.on(target))?;
    }
    ignore_file_size_signal();
    let file = tmp.as_file_mut();
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(Op::Write.on(target))
}

/// Replaces `path` with `bytes` atomically: readers see the old content or the new content,
/// never a mix, and a crash at any point leaves one of the two.
///
/// An existing file keeps its permission bits (a lab that is `0640` stays `0640`); a new file
/// gets `0666` narrowed by the umask, like any editor would create it. If `path` is a symlink,
/// the file it points to is replaced and the link is kept.
///
/// On error the original file is untouched and the temporary file has been removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let target = resolve_target(path)?;
    let (dir, name) = split(&target)?;

    let existing_mode = match fs::metadata(&target) {
        Ok(meta) => Some(meta.permissions().mode() & 0o7777),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(cause) => return Err(Op::Read.on(&target)(cause)),
    };

    clean_stale_temps(&dir);
    // For an existing file, start at 0600 and widen to its mode below: the temp file is never
    // readable by anyone the target was not readable by.
    let mut tmp = temp_in(
        &dir,
        name,
        existing_mode.map_or(NEW_FILE_MODE, |_| PRIVATE_FILE_MODE),
    )?;
    fill(&mut tmp, existing_mode, bytes, &target)?;
    tmp.persist(&target)
        .map_err(|e| Op::Rename.on(&target)(e.error))?;
    sync_dir(&dir, &target)
}

/// Writes a file only its owner can read (mode exactly `0600`), atomically.
///
/// The temporary file is created `0600` so the secret is never readable by others, not even
/// for an instant. With `overwrite == false` an existing `path` is an error
/// ([`StoreError::Exists`]); the check and the rename are one atomic step (`RENAME_NOREPLACE`),
/// so two concurrent writers cannot both win. A symlink at `path` is replaced, not followed:
/// a private file should not be written wherever a link happens to point.
pub fn write_private(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), StoreError> {
    let (dir, name) = split(path)?;
    if !overwrite && fs::symlink_metadata(path).is_ok() {
        return Err(StoreError::Exists {
            path: path.to_path_buf(),
        });
    }
    clean_stale_temps(&dir);
    let mut tmp = temp_in(&dir, name, PRIVATE_FILE_MODE)?;
    // The umask can only narrow 0600 (e.g. to 0400); make it exactly 0600.
    fill(&mut tmp, Some(PRIVATE_FILE_MODE), bytes, path)?;
    let persisted = if overwrite {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map_err(|e| {
        if !overwrite && e.error.kind() == io::ErrorKind::AlreadyExists {
            StoreError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            Op::Rename.on(path)(e.error)
        }
    })?;
    sync_dir(&dir, path)
}

/// The name of a course's state folder (`<course>/.labnote`).
pub const STATE_DIR_NAME: &str = ".labnote";

/// Creates `path` and any missing parents with mode `0700` (narrowed by the umask).
///
/// Folders that already exist are left as they are: the user may have chosen their mode, and
/// the files we keep inside are themselves private. A state folder ([`STATE_DIR_NAME`]) that
/// this call creates gets a `.gitignore` of `*`: a course is often a git repository, and its
/// journal, locks and pending key are this machine's, never something to commit.
pub fn create_dir_private(path: &Path) -> Result<(), StoreError> {
    let new_state_dir =
        path.file_name() == Some(STATE_DIR_NAME.as_ref()) && fs::symlink_metadata(path).is_err();
    fs::DirBuilder::new()
        .recursive(true)
        .mode(PRIVATE_DIR_MODE)
        .create(path)
        .map_err(Op::CreateDir.on(path))?;
    if new_state_dir {
        write_atomic(&path.join(".gitignore"), b"*\n")?;
    }
    Ok(())
}

/// An advisory lock on a course, released when dropped (or when the process dies, since the
/// OS drops `flock` locks with the file descriptor — a crash never leaves a stale lock).
///
/// Only labnote honours it; an editor saving a lab meanwhile is detected separately with
/// [`file_fingerprint`] or by comparing the bytes read with the bytes on disk.
#[derive(Debug)]
pub struct CourseLock {
    file: File,
    path: PathBuf,
}

impl CourseLock {
    /// The lock file this guard holds.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for CourseLock {
    fn drop(&mut self) {
        // Closing the descriptor releases the lock anyway; unlocking explicitly just makes the
        // release happen before any later code in the same drop order. Errors are moot here.
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}

/// Opens (creating if needed) the lock file and its parent folder (`0700`). Lock files live
/// in a state folder: neither the folder nor the file is followed if it is a link.
fn open_lock_file(lock_path: &Path) -> Result<File, StoreError> {
    if let Some(parent) = lock_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir_private(parent)?;
        refuse_link(parent)?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(PRIVATE_FILE_MODE)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(lock_path)
        .map_err(|cause| open_error(lock_path, cause))
}

fn lock_err(lock_path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    Op::Lock.on(lock_path)
}

/// Takes the exclusive lock at `lock_path`, waiting for any other holder to release it.
///
/// Use around every read-modify-write of a lab file and every journal append.
pub fn lock_exclusive(lock_path: &Path) -> Result<CourseLock, StoreError> {
    let file = open_lock_file(lock_path)?;
    // Fully qualified: std's inherent `File::lock*` (Rust 1.89+) would shadow the trait on
    // new compilers and be missing on our MSRV.
    fs4::fs_std::FileExt::lock_exclusive(&file).map_err(lock_err(lock_path))?;
    Ok(CourseLock {
        file,
        path: lock_path.to_path_buf(),
    })
}

/// Like [`lock_exclusive`] but returns `Ok(None)` at once if someone else holds the lock, so
/// the caller can say "waiting for another labnote…" before blocking.
pub fn try_lock_exclusive(lock_path: &Path) -> Result<Option<CourseLock>, StoreError> {
    let file = open_lock_file(lock_path)?;
    let got = fs4::fs_std::FileExt::try_lock_exclusive(&file).map_err(lock_err(lock_path))?;
    Ok(got.then(|| CourseLock {
        file,
        path: lock_path.to_path_buf(),
    }))
}

/// Appends `bytes` to `path` (created `0600` if missing) with one `write` call and fsyncs it:
/// all of `bytes` or none of them.
///
/// `O_APPEND` makes each write land at the current end even if another process appended
/// meanwhile; the caller still holds the [`CourseLock`] because a single `write` to a regular
/// file may be short on errors such as a full disk. Such a failed append is cut off again
/// (the file is truncated to its length before the write), so a batch of records is
/// recorded whole or not at all; only a crash in the middle can leave a torn record, which
/// the journal reader tolerates. An existing file keeps its mode. `path` is not followed if
/// it is a link (appends go to state files).
pub fn append_durable(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    ignore_file_size_signal();
    if let Some((dir, _)) = split(path).ok().filter(|(d, _)| d.exists()) {
        clean_stale_temps(&dir);
    }
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(PRIVATE_FILE_MODE)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|cause| open_error(path, cause))?;
    let write_err = Op::Write.on(path);
    let before = file.metadata().map_err(write_err)?.len();
    let written = file.write_all(bytes).and_then(|()| file.sync_data());
    if let Err(cause) = written {
        // Undo a short write; if even that fails the reader still cuts the torn tail.
        let _ = file.set_len(before).and_then(|()| file.sync_data());
        return Err(write_err(cause));
    }
    Ok(())
}

/// Checks, without changing anything, that [`append_durable`] could append to `path`: an
/// existing file must be a regular file (not a link) open for writing; a missing one must be
/// creatable in its folder. Lets a command that writes several files fail before its first
/// write instead of after it.
pub fn check_appendable(path: &Path) -> Result<(), StoreError> {
    match fs::symlink_metadata(path) {
        Ok(meta) => {
            check_regular(path, &meta, Links::Refuse)?;
            OpenOptions::new()
                .append(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(path)
                .map(drop)
                .map_err(|cause| open_error(path, cause))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let (dir, _) = split(path)?;
            check_dir_writable(&dir, path)
        }
        Err(cause) => Err(Op::Read.on(path)(cause)),
    }
}

/// Checks that a file could be created in `dir` (for `path`), with the kernel's own
/// permission check (`faccessat`): modes, a read-only mount and an immutable folder, for
/// root too. A folder that does not exist yet counts as its nearest existing parent.
fn check_dir_writable(dir: &Path, path: &Path) -> Result<(), StoreError> {
    use std::os::unix::ffi::OsStrExt;
    let existing = dir
        .ancestors()
        .find(|d| d.as_os_str().is_empty() || d.exists())
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let c = std::ffi::CString::new(existing.as_os_str().as_bytes()).map_err(|_| {
        StoreError::InvalidPath {
            path: path.to_path_buf(),
            reason: t!("store-nul-byte"),
        }
    })?;
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    let r = unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            c.as_ptr(),
            libc::W_OK | libc::X_OK,
            libc::AT_EACCESS,
        )
    };
    if r == 0 {
        return Ok(());
    }
    Err(Op::Open.on(path)(io::Error::last_os_error()))
}

/// A process over its file-size limit (`ulimit -f`) is killed by `SIGXFSZ` in the middle of
/// a write; ignored, the write fails with `EFBIG` instead, which we report and undo.
fn ignore_file_size_signal() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: setting a signal's disposition to SIG_IGN has no preconditions.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        }
    });
}

/// Whether `name` is one of our temporary files: `.labnote-<target>.<6 random>.tmp`.
fn is_own_temp_name(name: &str) -> bool {
    let Some(inner) = name
        .strip_prefix(TEMP_PREFIX)
        .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
    else {
        return false;
    };
    inner.rsplit_once('.').is_some_and(|(target, random)| {
        !target.is_empty()
            && random.len() == TEMP_RANDOM_LEN
            && random.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Removes our temporary files in `dir` that a killed process left behind: regular files
/// (never a link) with our naming, owned by us, older than [`STALE_TEMP_AGE`]. Best effort:
/// a file that cannot be removed stays, and the write goes on.
fn clean_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(is_own_temp_name) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if meta.file_type().is_file() && meta.uid() == me && old {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Whether [`read_bounded`] follows a symbolic link at the path itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Read what the link points to (a lab linked from elsewhere).
    Follow,
    /// Refuse a link ([`StoreError::Link`]): state files.
    Refuse,
}

/// What kind of non-regular file `ft` is, for messages.
fn kind_of(ft: &fs::FileType) -> String {
    if ft.is_dir() {
        t!("store-kind-folder")
    } else if ft.is_fifo() {
        t!("store-kind-fifo")
    } else if ft.is_char_device() {
        t!("store-kind-char-device")
    } else if ft.is_block_device() {
        t!("store-kind-block-device")
    } else if ft.is_socket() {
        t!("store-kind-socket")
    } else if ft.is_symlink() {
        t!("store-kind-symlink")
    } else {
        t!("store-kind-special")
    }
}

fn check_regular(path: &Path, meta: &fs::Metadata, links: Links) -> Result<(), StoreError> {
    let ft = meta.file_type();
    if ft.is_symlink() && links == Links::Refuse {
        return Err(StoreError::Link {
            path: path.to_path_buf(),
        });
    }
    if !ft.is_file() {
        return Err(StoreError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(&ft),
        });
    }
    Ok(())
}

/// An `open` error; `ELOOP` from `O_NOFOLLOW` means the path is a link.
fn open_error(path: &Path, cause: io::Error) -> StoreError {
    if cause.raw_os_error() == Some(libc::ELOOP) {
        StoreError::Link {
            path: path.to_path_buf(),
        }
    } else {
        Op::Open.on(path)(cause)
    }
}

/// Reads a whole file that must be a regular file of at most `limit` bytes; `Ok(None)` when
/// it does not exist.
///
/// A course folder is untrusted: a "lab" may be a FIFO (a plain read blocks forever), a link
/// to `/dev/zero` (a plain read never ends) or simply huge. The kind is checked before the
/// open and again on the opened descriptor (the path may be swapped in between); the open is
/// non-blocking so even a FIFO slipped in between cannot hang; at most `limit + 1` bytes are
/// read.
pub fn read_bounded(path: &Path, limit: u64, links: Links) -> Result<Option<Vec<u8>>, StoreError> {
    let read_err = Op::Read.on(path);
    let meta = match links {
        Links::Follow => fs::metadata(path),
        Links::Refuse => fs::symlink_metadata(path),
    };
    match meta {
        Ok(meta) => check_regular(path, &meta, links)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(cause) => return Err(read_err(cause)),
    }
    let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|cause| open_error(path, cause))?;
    let meta = file.metadata().map_err(read_err)?;
    check_regular(path, &meta, links)?;
    let too_large = || StoreError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

/// Fails with [`StoreError::Link`] if `path` itself is a symbolic link (missing is fine).
fn refuse_link(path: &Path) -> Result<(), StoreError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(StoreError::Link {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Checks a state folder (`<course>/.labnote`) before it is used: neither the folder nor
/// anything directly in it may be a link, because state files are read, replaced and
/// appended to, and a planted link would send those writes anywhere; nor a FIFO, device or
/// socket, which a read could block on forever. A missing folder is fine (it is created on
/// the first write).
pub fn check_state_dir(dir: &Path) -> Result<(), StoreError> {
    refuse_link(dir)?;
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_symlink() {
            return Err(StoreError::Link { path: entry.path() });
        }
        if !ft.is_file() && !ft.is_dir() {
            return Err(StoreError::NotRegular {
                path: entry.path(),
                kind: kind_of(&ft),
            });
        }
    }
    Ok(())
}

/// Replaces the state file `path` atomically ([`write_atomic`]), refusing if it is a link.
pub fn replace_state_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    refuse_link(path)?;
    write_atomic(path, bytes)
}

/// Removes the state file `path` (missing is fine), refusing if it is a link; the folder is
/// synced so the removal survives a crash.
pub fn remove_state_file(path: &Path) -> Result<(), StoreError> {
    refuse_link(path)?;
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(cause) => return Err(Op::Write.on(path)(cause)),
    }
    let (dir, _) = split(path)?;
    sync_dir(&dir, path)
}

/// What a file looked like when it was read: enough to notice that it was replaced or edited
/// before we write it back. Cheap (one `stat`), but an edit that keeps size and mtime equal
/// within the filesystem's timestamp resolution goes unseen; compare the bytes (or a lab's
/// [`crate::lab::Version`]) when that matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    /// Length in bytes.
    pub len: u64,
    /// Modification time in nanoseconds since the Unix epoch (negative before 1970).
    pub mtime_nanos: i128,
    /// Inode number: changes when an editor saves by writing a new file and renaming it.
    pub inode: u64,
    /// Device number, so an inode is compared only within its filesystem.
    pub dev: u64,
}

/// Returns the current [`FileStamp`] of `path` (following symlinks).
pub fn file_fingerprint(path: &Path) -> Result<FileStamp, StoreError> {
    let meta = fs::metadata(path).map_err(Op::Read.on(path))?;
    Ok(FileStamp {
        len: meta.len(),
        mtime_nanos: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        inode: meta.ino(),
        dev: meta.dev(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).expect("stat").permissions().mode() & 0o7777
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Root ignores folder permissions, so "read-only folder" tests cannot fail for it.
    fn running_as_root() -> bool {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }

    #[test]
    fn atomic_replace_writes_new_bytes_and_keeps_permissions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lab.md");
        fs::write(&path, b"old\r\n").expect("seed");
        fs::set_permissions(&path, Permissions::from_mode(0o640)).expect("chmod");

        write_atomic(&path, b"new\r\n").expect("write_atomic");

        assert_eq!(fs::read(&path).expect("read"), b"new\r\n");
        assert_eq!(mode_of(&path), 0o640);
        assert_eq!(entries(dir.path()), ["lab.md"], "no temp file left behind");
    }

    #[test]
    fn atomic_write_creates_a_missing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new.md");
        write_atomic(&path, b"hello").expect("write_atomic");
        assert_eq!(fs::read(&path).expect("read"), b"hello");
        // Umask-dependent, but never wider than 0666 and never executable.
        assert_eq!(mode_of(&path) & !0o666, 0);
    }

    #[test]
    fn atomic_write_through_a_symlink_keeps_the_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, b"old").expect("seed");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");

        write_atomic(&link, b"new").expect("write_atomic");

        assert!(fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).expect("read"), b"new");
    }

    #[test]
    fn atomic_failure_in_read_only_folder_leaves_original_and_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("ro");
        fs::create_dir(&sub).expect("mkdir");
        let path = sub.join("lab.md");
        fs::write(&path, b"original").expect("seed");
        // Root bypasses folder permissions; an immutable folder stops root too.
        let chattr = |flag: &str| {
            let ok = std::process::Command::new("chattr")
                .arg(flag)
                .arg(&sub)
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "as root this test makes the folder immutable: it needs `chattr` (e2fsprogs) and a file system that supports it (ext4)"
            );
        };
        if running_as_root() {
            chattr("+i");
        } else {
            fs::set_permissions(&sub, Permissions::from_mode(0o555)).expect("chmod ro");
        }

        let err = write_atomic(&path, b"replacement").expect_err("must fail");

        if running_as_root() {
            chattr("-i");
        } else {
            fs::set_permissions(&sub, Permissions::from_mode(0o755)).expect("chmod back");
        }
        assert!(
            matches!(
                err,
                StoreError::Io {
                    op: Op::CreateTemp,
                    ..
                }
            ),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains(&sub.display().to_string()), "{msg}");
        assert!(msg.contains("check that you own"), "{msg}");
        assert_eq!(fs::read(&path).expect("read"), b"original");
        assert_eq!(entries(&sub), ["lab.md"]);
    }

    #[test]
    fn atomic_failure_on_rename_leaves_original_and_no_temp() {
        // The target is a non-empty folder: rename(2) must fail after the temp file was
        // written, exercising the cleanup of a fully written temp file.
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("lab.md");
        fs::create_dir(&target).expect("mkdir");
        fs::write(target.join("keep"), b"x").expect("seed");

        let err = write_atomic(&target, b"data").expect_err("must fail");

        assert!(
            matches!(err, StoreError::Io { op: Op::Rename, .. }),
            "{err:?}"
        );
        assert_eq!(entries(dir.path()), ["lab.md"]);
        assert_eq!(fs::read(target.join("keep")).expect("read"), b"x");
    }

    #[test]
    fn private_write_is_0600_and_refuses_overwrite() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("identity.txt");

        write_private(&path, b"secret one", false).expect("first write");
        assert_eq!(mode_of(&path), 0o600);

        let err = write_private(&path, b"secret two", false).expect_err("must refuse");
        assert!(matches!(err, StoreError::Exists { .. }), "{err:?}");
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(fs::read(&path).expect("read"), b"secret one");

        fs::set_permissions(&path, Permissions::from_mode(0o644)).expect("chmod");
        write_private(&path, b"secret two", true).expect("overwrite");
        assert_eq!(fs::read(&path).expect("read"), b"secret two");
        assert_eq!(mode_of(&path), 0o600, "overwrite narrows to 0600");
        assert_eq!(entries(dir.path()), ["identity.txt"]);
    }

    #[test]
    fn create_dir_private_is_0700() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a/b/c");
        create_dir_private(&path).expect("create");
        assert_eq!(mode_of(&path), 0o700);
        create_dir_private(&path).expect("idempotent");
    }

    #[test]
    fn invalid_paths_are_errors_not_panics() {
        assert!(matches!(
            write_atomic(Path::new("/"), b"x"),
            Err(StoreError::InvalidPath { .. })
        ));
        assert!(matches!(
            write_private(Path::new(".."), b"x", true),
            Err(StoreError::InvalidPath { .. })
        ));
    }

    #[test]
    fn append_under_lock_from_many_threads_loses_nothing() {
        const THREADS: usize = 8;
        const PER_THREAD: usize = 50;
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = Arc::new(dir.path().join(".labnote/lock"));
        let journal = Arc::new(dir.path().join(".labnote/journal"));

        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let lock = Arc::clone(&lock);
                let journal = Arc::clone(&journal);
                std::thread::spawn(move || {
                    for i in 0..PER_THREAD {
                        // Each thread opens its own descriptor, as separate processes would.
                        let _guard = lock_exclusive(&lock).expect("lock");
                        let line = format!("thread {t} record {i}\n");
                        append_durable(&journal, line.as_bytes()).expect("append");
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("thread");
        }

        let text = fs::read_to_string(&*journal).expect("read journal");
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), THREADS * PER_THREAD);
        lines.sort_unstable();
        lines.dedup();
        assert_eq!(
            lines.len(),
            THREADS * PER_THREAD,
            "no duplicate or torn line"
        );
        assert_eq!(mode_of(&journal), 0o600);
        assert_eq!(mode_of(journal.parent().expect("parent")), 0o700);
    }

    #[test]
    fn exclusive_lock_excludes_and_is_released_on_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = dir.path().join("lock");
        let held = lock_exclusive(&lock).expect("lock");
        assert!(try_lock_exclusive(&lock).expect("try").is_none());
        drop(held);
        let again = try_lock_exclusive(&lock).expect("try").expect("free now");
        assert_eq!(again.path(), lock);
        drop(again);
    }

    #[test]
    fn fingerprint_detects_an_edit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lab.md");
        fs::write(&path, b"v1").expect("seed");
        let before = file_fingerprint(&path).expect("stamp");
        assert_eq!(before, file_fingerprint(&path).expect("stamp"));

        // An editor saving by rename changes the inode even if length and mtime collide.
        write_atomic(&path, b"v2").expect("write");
        assert_ne!(before, file_fingerprint(&path).expect("stamp"));
        assert!(matches!(
            file_fingerprint(&dir.path().join("missing")),
            Err(StoreError::Io { op: Op::Read, .. })
        ));
    }

    #[test]
    fn bounded_read_refuses_fifos_devices_links_and_large_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe.md");
        let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("cstr");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_bounded(&fifo, 100, Links::Follow).expect_err("a FIFO");
        assert!(err.to_string().contains("FIFO"), "{err}");

        let zero = dir.path().join("zero.md");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
        let err = read_bounded(&zero, 100, Links::Follow).expect_err("a device");
        assert!(matches!(err, StoreError::NotRegular { .. }), "{err:?}");

        let file = dir.path().join("lab.md");
        fs::write(&file, b"0123456789").expect("seed");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert_eq!(
            read_bounded(&link, 10, Links::Follow).expect("read"),
            Some(b"0123456789".to_vec())
        );
        let err = read_bounded(&link, 10, Links::Refuse).expect_err("a link");
        assert!(matches!(err, StoreError::Link { .. }), "{err:?}");
        let err = read_bounded(&file, 9, Links::Follow).expect_err("too large");
        assert!(matches!(err, StoreError::TooLarge { .. }), "{err:?}");
        assert_eq!(
            read_bounded(&dir.path().join("missing"), 9, Links::Follow).expect("ok"),
            None
        );
    }

    #[test]
    fn own_temp_names_are_recognised_and_nothing_else() {
        assert!(is_own_temp_name(".labnote-lab.md.aB3dE9.tmp"));
        assert!(is_own_temp_name(".labnote-journal.yaml.000000.tmp"));
        for other in [
            ".labnote-lab.md.tmp",
            ".labnote-.aB3dE9.tmp",
            ".labnote-lab.md.aB3dE.tmp",
            ".labnote-lab.md.aB-dE9.tmp",
            "lab.md.aB3dE9.tmp",
            "config.labnote-backup",
        ] {
            assert!(!is_own_temp_name(other), "{other}");
        }
    }

    #[test]
    fn a_state_folder_with_a_link_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = dir.path().join(".labnote");
        check_state_dir(&state).expect("a missing folder is fine");
        fs::create_dir(&state).expect("mkdir");
        fs::write(state.join("journal.yaml"), b"").expect("seed");
        check_state_dir(&state).expect("plain files are fine");
        std::os::unix::fs::symlink("/etc/hostname", state.join("pending-key.yaml"))
            .expect("symlink");
        let err = check_state_dir(&state).expect_err("a link");
        assert!(err.to_string().contains("pending-key.yaml"), "{err}");
        let err = lock_exclusive(&state.join("pending-key.yaml")).expect_err("no follow");
        assert!(matches!(err, StoreError::Link { .. }), "{err:?}");
    }
}
