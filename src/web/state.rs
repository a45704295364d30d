//! The server's picture of the course: the labs with their source text, the journal and
//! course.yaml, reloaded when a file's stamp changes (a CLI command in another terminal, an
//! editor), with a version number that pages and event streams follow.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;

use super::security::Security;
use super::{ServeError, ServeOptions};
use crate::app::resolve::Env;
use crate::config::CourseConfig;
use crate::course::Course;
use crate::journal::Journal;
use crate::store::{self, FileStamp};

/// How often the files' stamps are looked at.
const POLL: Duration = Duration::from_millis(200);

/// One consistent reading of the course.
pub struct Snapshot {
    /// The course, course.yaml and the journal, as the use cases read them.
    pub env: Env,
    /// How pages and requests name each lab: its id (`2-4`), or its path in the course when
    /// two labs share the id (both stay reachable; the CLI resolves either).
    pub keys: Vec<String>,
    /// What the course could not be read as (a bad course.yaml, a damaged journal).
    pub problems: Vec<String>,
    stamps: Vec<(PathBuf, Option<FileStamp>)>,
}

impl Snapshot {
    /// The lab whose key (see [`Snapshot::keys`]) is `key`.
    pub fn lab_index(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }
}

/// The running server's state.
pub struct App {
    pub course_dir: PathBuf,
    /// Where images may come from.
    pub files_root: PathBuf,
    pub security: Security,
    snapshot: RwLock<Arc<Snapshot>>,
    version: tokio::sync::watch::Sender<u64>,
    /// Rendered pages by path, with the version they were rendered at (a page is rendered
    /// once per change of the course, then served as shared bytes).
    cache: Mutex<HashMap<String, (u64, Bytes)>>,
}

impl App {
    pub fn new(opts: &ServeOptions, addr: SocketAddr) -> Result<App, ServeError> {
        let snap = load(&opts.course_dir).map_err(ServeError::Course)?;
        let (version, _) = tokio::sync::watch::channel(1);
        Ok(App {
            course_dir: opts.course_dir.clone(),
            files_root: crate::app::step::files_root(&opts.course_dir),
            security: Security::new(addr, &opts.allow_hosts).map_err(ServeError::Random)?,
            snapshot: RwLock::new(Arc::new(snap)),
            version,
            cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn version(&self) -> u64 {
        *self.version.borrow()
    }

    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// A page from the cache, or rendered by `render` at the current version.
    pub fn page(&self, key: &str, render: impl FnOnce(&Snapshot) -> String) -> Bytes {
        let v = self.version();
        if let Some((cv, page)) = self.lock_cache().get(key) {
            if *cv == v {
                return page.clone();
            }
        }
        let page = Bytes::from(render(&self.snapshot()));
        let mut cache = self.lock_cache();
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key.to_string(), (v, page.clone()));
        page
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, Bytes)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Re-read the course now (after a change made through the server).
    pub fn reload(&self) {
        match load(&self.course_dir) {
            Ok(s) => self.install(s),
            Err(e) => eprintln!("labnote serve: {e}"),
        }
    }

    fn install(&self, s: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(s);
        self.version.send_modify(|v| *v += 1);
    }

    fn changed(&self) -> bool {
        let snap = self.snapshot();
        snap.stamps
            .iter()
            .any(|(p, s)| store::file_fingerprint(p).ok() != *s)
    }
}

/// Poll the files' stamps; reload and bump the version on a change.
pub async fn watch(app: Arc<App>) {
    loop {
        tokio::time::sleep(POLL).await;
        let a = app.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if a.changed() {
                a.reload();
            }
        })
        .await;
    }
}

/// Read the course (each lab a snapshot of its text: the spans index [`Lab::source`]), the
/// journal and course.yaml.
///
/// [`Lab::source`]: crate::lab::Lab::source
pub fn load(dir: &Path) -> Result<Snapshot, String> {
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
    let mut problems: Vec<String> = course
        .problems
        .iter()
        .map(|(p, why)| crate::t!("cli-skipped", path = p, why = why))
        .collect();
    let records = match journal.load() {
        Ok(l) => {
            problems.extend(l.warnings);
            l.records
        }
        Err(e) => {
            problems.push(e.to_string());
            Vec::new()
        }
    };
    let cfg = CourseConfig::load(dir).unwrap_or_else(|e| {
        problems.push(e.to_string());
        CourseConfig::default()
    });
    let keys = course
        .labs
        .iter()
        .map(|l| {
            let twins = course.labs.iter().filter(|o| o.lab.id == l.lab.id).count();
            if twins == 1 {
                l.lab.id.clone()
            } else {
                l.rel_path.clone()
            }
        })
        .collect();
    Ok(Snapshot {
        keys,
        env: Env {
            course,
            cfg,
            records,
        },
        problems,
        stamps,
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
        dir.join(crate::config::FILE_NAME),
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
        let snap = load(dir.path()).unwrap();
        assert!(snap.env.course.labs[0].lab.source().contains("(고침)"));
    }
}
