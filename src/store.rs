//! Temporary stand-in for the store module (replaced by the full implementation).
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub struct CourseLock {
    _file: File,
}

pub fn lock_exclusive(lock_path: &Path) -> Result<CourseLock, StoreError> {
    if let Some(p) = lock_path.parent() {
        std::fs::create_dir_all(p).map_err(io(p))?;
    }
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .map_err(io(lock_path))?;
    fs4::fs_std::FileExt::lock_exclusive(&f).map_err(io(lock_path))?;
    Ok(CourseLock { _file: f })
}

pub fn append_durable(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut t = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    t.write_all(bytes).map_err(io(path))?;
    t.as_file().sync_all().map_err(io(path))?;
    if let Ok(m) = std::fs::metadata(path) {
        std::fs::set_permissions(t.path(), m.permissions()).map_err(io(path))?;
    }
    t.persist(path).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}
