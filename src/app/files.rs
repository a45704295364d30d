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
        LabFiles::with_dir(lab_dir_of(lab_path), root)
    }

    /// A lab in folder `lab_dir` as [`lab_dir_of`] gives it (labs of one folder share it).
    pub fn with_dir(lab_dir: PathBuf, root: &Path) -> LabFiles {
        LabFiles {
            lab_dir,
            root: root.to_path_buf(),
        }
    }

    /// Lab `cl` of the course in `course_dir`, its images confined to [`files_root`].
    pub fn in_course(cl: &crate::course::CourseLab, course_dir: &Path) -> LabFiles {
        LabFiles::new(&cl.path, &files_root(course_dir))
    }

    /// The folder images must stay inside.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The lab file's folder (canonical when it exists).
    pub fn lab_dir(&self) -> &Path {
        &self.lab_dir
    }

    /// What the view model reads: the folders, and an existence check on the disk.
    pub fn files(&self) -> view::Files<'_> {
        self.files_checked_by(&is_file)
    }

    /// [`LabFiles::files`] with the existence check `is_file` (`lint` remembers what it
    /// found: the labs of a folder show the same images).
    pub fn files_checked_by<'a>(&'a self, is_file: &'a dyn Fn(&Path) -> bool) -> view::Files<'a> {
        view::Files {
            lab_dir: &self.lab_dir,
            root: &self.root,
            exists: is_file,
        }
    }
}

/// The folder of the lab file at `lab_path`, canonical when it exists.
pub fn lab_dir_of(lab_path: &Path) -> PathBuf {
    let lab_dir = lab_path.parent().unwrap_or(Path::new(""));
    std::fs::canonicalize(lab_dir).unwrap_or_else(|_| lab_dir.to_path_buf())
}

/// The destinations of the images in a step's text `md`, in order, each once.
pub fn image_dests(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out: Vec<String> = Vec::new();
    for ev in Parser::new(md) {
        if let Event::Start(Tag::Image { dest_url, .. }) = ev {
            if !out.iter().any(|d| d == dest_url.as_ref()) {
                out.push(dest_url.to_string());
            }
        }
    }
    out
}

/// The real path of `path` when it stays inside `root` (a link planted in the course must
/// not open a file outside it); `None` when it leads out.
pub fn inside_root(path: &Path, root: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    real.starts_with(root).then_some(real)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{resolve_image, ImageFile};

    #[test]
    fn images_resolve_inside_the_git_work_tree_that_holds_the_course() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("course/day1/img")).unwrap();
        std::fs::create_dir_all(top.join("shared")).unwrap();
        std::fs::write(top.join("course/day1/img/a.png"), b"png").unwrap();
        std::fs::write(top.join("shared/b.png"), b"png").unwrap();
        let root = files_root(&top.join("course"));
        assert_eq!(root, top);
        let lab = LabFiles::new(&top.join("course/day1/lab.md"), &root);
        assert_eq!(lab.lab_dir(), top.join("course/day1"));
        let files = lab.files();
        let local = |rel: &str, exists: bool| ImageFile::Local {
            rel: rel.to_string(),
            exists,
        };
        assert_eq!(
            resolve_image("img/a.png", &files),
            local("course/day1/img/a.png", true)
        );
        assert_eq!(
            resolve_image("../../shared/b.png", &files),
            local("shared/b.png", true)
        );
        assert_eq!(
            resolve_image("img/none.png", &files),
            local("course/day1/img/none.png", false)
        );
        assert!(matches!(
            resolve_image("../../../x.png", &files),
            ImageFile::Refused(_)
        ));
        // Without a work tree around it, the course folder itself.
        let plain = tempfile::tempdir().unwrap();
        let plain_top = std::fs::canonicalize(plain.path()).unwrap();
        if !plain_top.ancestors().any(|d| d.join(".git").exists()) {
            assert_eq!(files_root(&plain_top), plain_top);
        }
    }
}
