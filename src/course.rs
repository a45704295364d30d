//! A course: a folder of labs.
//!
//! The labs are the markdown files under the folder (any depth, hidden folders and
//! `.labnote/` skipped) that have an H1 title and at least one step heading. A README or an
//! index page (no step headings) is therefore not a lab. A `.md` path that is not a regular
//! file (a FIFO, a device, a link to one) or is too large is skipped with a warning, never
//! read; a link to a folder is never followed (it could lead out of the course) and is
//! reported the same way, so its labs never vanish without a word. Opening a course also
//! checks that its `.labnote/` holds no link, and reads and validates `course.yaml`: an
//! invalid one is an error for every command, never silently ignored. Labs are ordered by
//! (day, lab number), labs without a `N일차 - Lab M.` title after them, then by path.

use std::path::{Path, PathBuf};

use crate::config::{ConfigError, CourseConfig};
use crate::lab::{self, Lab};
use crate::labfile::LabFileError;
use crate::t;

/// One lab of the course.
#[derive(Debug, Clone)]
pub struct CourseLab {
    /// Path relative to the course folder, with `/` separators.
    pub rel_path: String,
    pub path: PathBuf,
    pub stem: String,
    pub lab: Lab,
}

#[derive(Debug)]
pub struct Course {
    pub root: PathBuf,
    pub labs: Vec<CourseLab>,
    /// Files that could not be read as labs, and links to folders (path, reason); reported,
    /// not fatal.
    pub problems: Vec<(PathBuf, String)>,
    /// `course.yaml`, validated when the course was opened (the default when there is none).
    pub config: CourseConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum CourseError {
    #[error("{}", t!("course-no-folder", path = .0))]
    NoFolder(PathBuf),
    /// `course.yaml` is unreadable or invalid (the message names the line and column).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A lab or state file that must not be read as it is (a link in `.labnote/`, a FIFO).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A lab file named on its own that cannot be read as a lab (not UTF-8: the offset).
    #[error(transparent)]
    Lab(#[from] crate::labfile::LabFileError),
    /// The course folder (or one below it) cannot be listed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{}", t!("course-unknown-lab", arg = arg), candidates_hint(.candidates))]
    UnknownLab {
        arg: String,
        candidates: Vec<String>,
    },
    #[error("{}", t!("course-ambiguous-lab", arg = arg, labs = .candidates.join(", ")))]
    AmbiguousLab {
        arg: String,
        candidates: Vec<String>,
    },
}

fn candidates_hint(c: &[String]) -> String {
    if c.is_empty() {
        t!("course-no-labs")
    } else {
        t!("course-labs-are", labs = c.join(", "))
    }
}

impl CourseError {
    /// 1 for a wrong argument, 2 for unreadable data.
    pub fn exit_code(&self) -> i32 {
        match self {
            CourseError::Io { .. }
            | CourseError::Lab(_)
            | CourseError::Store(_)
            | CourseError::Config(_) => 2,
            _ => 1,
        }
    }
}

impl Course {
    /// Read every lab under `root`.
    pub fn open(root: &Path) -> Result<Course, CourseError> {
        if !root.is_dir() {
            return Err(CourseError::NoFolder(root.to_path_buf()));
        }
        crate::journal::check_state(root)?;
        let config = CourseConfig::load(root)?;
        let mut files = Vec::new();
        let mut problems = Vec::new();
        collect_markdown(root, &mut files, &mut problems)?;
        files.sort();
        problems.sort();
        let parsed = parse_all(root, &files);
        let mut labs = Vec::new();
        for r in parsed {
            match r {
                Ok(Some(l)) => labs.push(l),
                Ok(None) => {}
                Err((p, e)) => problems.push((p, e)),
            }
        }
        labs.sort_by(|a, b| {
            let ka = (a.lab.day.unwrap_or(u32::MAX), a.lab.lab.unwrap_or(u32::MAX));
            let kb = (b.lab.day.unwrap_or(u32::MAX), b.lab.lab.unwrap_or(u32::MAX));
            ka.cmp(&kb).then_with(|| a.rel_path.cmp(&b.rel_path))
        });
        Ok(Course {
            root: root.to_path_buf(),
            labs,
            problems,
            config,
        })
    }

    /// Find a lab by short id (`2-4`), path (relative to the course or the current folder)
    /// or file stem.
    pub fn resolve(&self, arg: &str) -> Result<usize, CourseError> {
        let by = |pred: &dyn Fn(&CourseLab) -> bool| -> Vec<usize> {
            (0..self.labs.len())
                .filter(|&i| pred(&self.labs[i]))
                .collect()
        };
        let as_path = Path::new(arg);
        let canon = std::fs::canonicalize(as_path)
            .ok()
            .or_else(|| std::fs::canonicalize(self.root.join(as_path)).ok());
        let tries: [Vec<usize>; 4] = [
            by(&|l| l.lab.id == arg),
            by(&|l| l.rel_path == arg),
            match &canon {
                Some(c) => by(&|l| std::fs::canonicalize(&l.path).ok().as_ref() == Some(c)),
                None => Vec::new(),
            },
            by(&|l| l.stem == arg),
        ];
        for found in tries {
            match found.len() {
                0 => continue,
                1 => return Ok(found[0]),
                _ => {
                    return Err(CourseError::AmbiguousLab {
                        arg: arg.to_string(),
                        candidates: found
                            .iter()
                            .map(|&i| self.labs[i].rel_path.clone())
                            .collect(),
                    })
                }
            }
        }
        // A file the course skipped (not UTF-8, unreadable) named explicitly: say why it is
        // not a lab (exit 2, with the file and the byte offset) instead of "no lab matches".
        if let Some(path) = self.problem_named(arg, canon.as_deref()) {
            let bytes = crate::labfile::read_bytes(path)?;
            if let Err(source) = lab::parse(&bytes, "") {
                return Err(LabFileError::Parse {
                    path: path.clone(),
                    source,
                }
                .into());
            }
        }
        Err(CourseError::UnknownLab {
            arg: arg.to_string(),
            candidates: self.labs.iter().map(|l| l.lab.id.clone()).collect(),
        })
    }

    /// The skipped file `arg` names (by path relative to the course, path, or file stem).
    fn problem_named(&self, arg: &str, canon: Option<&Path>) -> Option<&PathBuf> {
        self.problems.iter().map(|(p, _)| p).find(|p| {
            let rel = p.strip_prefix(&self.root).unwrap_or(p);
            rel.to_string_lossy().replace('\\', "/") == arg
                || p.file_stem().is_some_and(|s| s.to_string_lossy() == arg)
                || canon.is_some_and(|c| std::fs::canonicalize(p).ok().as_deref() == Some(c))
        })
    }

    /// Re-read one lab from disk (after an edit).
    pub fn reload(&mut self, i: usize) -> Result<(), CourseError> {
        let l = &self.labs[i];
        let bytes = crate::labfile::read_bytes(&l.path)?;
        let parsed = lab::parse(&bytes, &l.stem).map_err(|source| LabFileError::Parse {
            path: l.path.clone(),
            source,
        })?;
        self.labs[i].lab = parsed;
        Ok(())
    }
}

/// Read and parse a single lab file (used where a file outside a course is named).
/// Why `path`, one of [`Course::problems`] of the course in `root`, was skipped, worded
/// again now in the thread's language (a web page's, under [`crate::i18n::in_lang`]): the
/// file is looked at again. `None` when it reads as a lab now (it changed meanwhile).
pub fn skipped_reason(root: &Path, path: &Path) -> Option<String> {
    if path.is_symlink() && std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Some(t!("course-linked-folder"));
    }
    read_lab(root, path).err().map(|(_, why)| why)
}

fn read_lab(root: &Path, path: &Path) -> Result<Option<CourseLab>, (PathBuf, String)> {
    // The caller prints "PATH: skipped: REASON"; the store's message starts with the path.
    let bytes = crate::labfile::read_bytes(path).map_err(|e| {
        let msg = e.to_string();
        let why = msg
            .strip_prefix(&format!("{} ", path.display()))
            .map_or(msg.clone(), str::to_string);
        (path.to_path_buf(), why)
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = lab::parse(&bytes, &stem).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    // A lab has an H1 title and at least one step; README and index pages are not labs.
    if parsed.heading.is_none() || parsed.steps.is_empty() {
        return Ok(None);
    }
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Ok(Some(CourseLab {
        rel_path: rel,
        path: path.to_path_buf(),
        stem,
        lab: parsed,
    }))
}

type ParseResult = Result<Option<CourseLab>, (PathBuf, String)>;

/// Parse files on all cores: a course of thousands of labs is read in parallel.
fn parse_all(root: &Path, files: &[PathBuf]) -> Vec<ParseResult> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    if threads <= 1 || files.len() < 16 {
        return files.iter().map(|f| read_lab(root, f)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(|f| read_lab(root, f)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err((root.to_path_buf(), t!("course-parser-thread")))])
            })
            .collect()
    })
}

fn collect_markdown(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    links: &mut Vec<(PathBuf, String)>,
) -> Result<(), CourseError> {
    let rd = std::fs::read_dir(dir).map_err(|source| CourseError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in rd.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let ft = match entry.file_type() {
            Ok(t) => t,
            Err(_) => continue,
        };
        let path = entry.path();
        // Anything else named `*.md` (a FIFO, a device, a link) is listed too, so that reading
        // it refuses it with a warning instead of it vanishing silently.
        if ft.is_dir() {
            collect_markdown(&path, out, links)?;
        } else if ft.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            links.push((path, t!("course-linked-folder")));
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            out.push(path);
        }
    }
    Ok(())
}
