//! The course as a long-running front end (`labnote serve`) holds it: read whole and
//! tolerantly (what cannot be read is listed as a problem, not fatal, so the page can say
//! it), with the stamps of the files whose change means a reload.

use std::path::{Path, PathBuf};

use super::resolve::Env;
use crate::config;
use crate::course::Course;
use crate::i18n::Lang;
use crate::journal::Journal;
use crate::store::{self, FileStamp, StoreError};

/// One reading of the course: the course, course.yaml and the journal, and what could not
/// be read.
pub struct CourseReading {
    pub env: Env,
    /// What the course could not be read as (a skipped file, a bad course.yaml, a damaged
    /// journal), in the process's language.
    pub problems: Vec<String>,
    /// The same in each language labnote speaks, for a page in its request's: the skipped
    /// files' reasons worded again in each, the journal's repairs as worded when made.
    pub problems_by_lang: Vec<(Lang, Vec<String>)>,
    pub stamps: Stamps,
}

/// The stamps of the files a reading depends on, taken before they were read.
pub struct Stamps(Vec<(PathBuf, Option<FileStamp>)>);

impl Stamps {
    /// Whether any of the files changed since the reading (a reload is due).
    pub fn changed(&self) -> bool {
        self.0
            .iter()
            .any(|(p, s)| store::file_fingerprint(p).ok() != *s)
    }
}

/// Read the course in `dir` (each lab a snapshot of its text: the spans index
/// [`crate::lab::Lab::source`]), the journal and course.yaml. Only a course that cannot be
/// opened at all is an error.
pub fn load(dir: &Path) -> Result<CourseReading, String> {
    let mut course = Course::open(dir).map_err(|e| e.to_string())?;
    let journal = Journal::for_course(dir);
    // Stamped before the journal and course.yaml are read and before the labs are checked
    // again: a change made after this is seen by the next poll, never lost between a read
    // and its stamp (a lab saved while the course was being opened).
    let stamps = watched(dir, &course, journal.path())
        .into_iter()
        .map(|p| {
            let s = store::file_fingerprint(&p).ok();
            (p, s)
        })
        .collect();
    for i in 0..course.labs.len() {
        refresh(&mut course, i);
    }
    // The language `Course::open` worded the reasons in.
    let here = crate::i18n::lang();
    let skipped = |lang: Lang| -> Vec<String> {
        crate::i18n::in_lang(lang, || {
            course
                .problems
                .iter()
                .map(|(p, why)| {
                    // Worded again in `lang` (only the files skipped are read again).
                    let why = if lang == here {
                        why.clone()
                    } else {
                        crate::course::skipped_reason(dir, p).unwrap_or_else(|| why.clone())
                    };
                    crate::t!("cli-skipped", path = p, why = why)
                })
                .collect()
        })
    };
    let mut problems: Vec<String> = skipped(here);
    let mut problems_by_lang: Vec<(Lang, Vec<String>)> =
        [Lang::En, Lang::Ko].map(|l| (l, skipped(l))).into();
    let records = match journal.load() {
        Ok(l) => {
            // The journal's repairs are worded once, when made (in the process's language).
            for (_, p) in problems_by_lang.iter_mut() {
                p.extend(l.warnings.iter().cloned());
            }
            problems.extend(l.warnings);
            l.records
        }
        Err(e) => {
            for (lang, p) in problems_by_lang.iter_mut() {
                p.push(crate::i18n::in_lang(*lang, || e.to_string()));
            }
            problems.push(e.to_string());
            Vec::new()
        }
    };
    // `Course::open` read and validated course.yaml: an invalid one stopped it above.
    let cfg = course.config.clone();
    Ok(CourseReading {
        env: Env {
            course,
            cfg,
            records,
        },
        problems,
        problems_by_lang,
        stamps: Stamps(stamps),
    })
}

/// Parse lab `i` again when its file is no longer the text it was parsed from (a file that
/// cannot be read now keeps its snapshot: its stamp differs, so the next poll reloads).
fn refresh(course: &mut Course, i: usize) {
    let cl = &course.labs[i];
    let same = crate::labfile::read_bytes(&cl.path)
        .is_ok_and(|b| crate::lab::Version::of(&b) == cl.lab.version());
    if !same {
        let _ = course.reload(i);
    }
}

/// The files whose change means a reload: the labs, their folders (a lab added), the
/// journal and course.yaml.
fn watched(dir: &Path, course: &Course, journal: &Path) -> Vec<PathBuf> {
    let mut v = vec![
        dir.to_path_buf(),
        journal.to_path_buf(),
        dir.join(config::FILE_NAME),
    ];
    for cl in &course.labs {
        v.push(cl.path.clone());
        if let Some(parent) = cl.path.parent() {
            if !v.iter().any(|p| p == parent) {
                v.push(parent.to_path_buf());
            }
        }
    }
    v
}

/// A private file (mode 0600) in the course's `.labnote/` folder, written whole: a page that
/// forwards a browser to the server's URL without the token in any argv.
pub fn write_private_state_file(
    course_dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<PathBuf, StoreError> {
    let dir = crate::journal::state_dir(course_dir);
    let file = dir.join(name);
    store::create_dir_private(&dir).and_then(|()| store::write_private(&file, bytes, true))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB: &str = "# 2일차 - Lab 3. 준비\n\n## 🔴 1. 계정\n\n### ✔ 1-1. 만들기\n\n본문\n";

    /// A lab saved after the course was opened but before its stamp was taken is parsed
    /// again, so the snapshot never holds older text than the stamp says.
    #[test]
    fn a_lab_changed_since_it_was_parsed_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lab3.md");
        std::fs::write(&path, LAB).unwrap();
        let mut course = Course::open(dir.path()).unwrap();
        let seen = course.labs[0].lab.version();
        refresh(&mut course, 0);
        assert_eq!(course.labs[0].lab.version(), seen, "unchanged: kept");
        std::fs::write(&path, LAB.replace("만들기", "만들기 (고침)")).unwrap();
        refresh(&mut course, 0);
        assert_ne!(course.labs[0].lab.version(), seen);
        assert_eq!(course.labs[0].lab.steps[1].title, "만들기 (고침)");
        let loaded = load(dir.path()).unwrap();
        assert!(loaded.env.course.labs[0].lab.source().contains("(고침)"));
    }
}
