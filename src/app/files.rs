//! Where a lab's images come from, for the view model: the one constructor of
//! [`view::Files`] for the terminal and the browser (the core takes the folders and the
//! existence check from here and touches no disk itself).

use std::path::{Path, PathBuf};

use crate::view;

/// The folders of one lab's images: its file's folder (canonical) and the folder images must
/// stay inside.
pub struct LabFiles {
    lab_dir: PathBuf,
    root: PathBuf,
}

impl LabFiles {
    /// The lab at `lab_path`, its images confined to `root` (see [`files_root`]).
    pub fn new(lab_path: &Path, root: &Path) -> LabFiles {
        let lab_dir = lab_path.parent().unwrap_or(Path::new(""));
        let lab_dir = std::fs::canonicalize(lab_dir).unwrap_or_else(|_| lab_dir.to_path_buf());
        LabFiles {
            lab_dir,
            root: root.to_path_buf(),
        }
    }

    /// The lab file's folder (canonical when it exists).
    pub fn lab_dir(&self) -> &Path {
        &self.lab_dir
    }

    /// What the view model reads: the folders, and an existence check on the disk.
    pub fn files(&self) -> view::Files<'_> {
        view::Files {
            lab_dir: &self.lab_dir,
            root: &self.root,
            exists: &is_file,
        }
    }
}

fn is_file(p: &Path) -> bool {
    p.is_file()
}

/// The folder images may come from: the git work tree that holds the course, else the
/// course folder itself.
pub fn files_root(course: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(course).unwrap_or_else(|_| course.to_path_buf());
    let mut cur = Some(abs.as_path());
    while let Some(dir) = cur {
        if dir.join(".git").exists() {
            return dir.to_path_buf();
        }
        cur = dir.parent();
    }
    abs
}
