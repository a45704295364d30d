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
use crate::app::watch::Stamps;

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
    /// The same in each language ([`Snapshot::problems_in`]).
    problems_by_lang: Vec<(crate::i18n::Lang, Vec<String>)>,
    stamps: Stamps,
}

impl Snapshot {
    /// What the course could not be read as, in `lang` (a page's).
    pub fn problems_in(&self, lang: crate::i18n::Lang) -> &[String] {
        self.problems_by_lang
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&self.problems[..], |(_, p)| &p[..])
    }

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
            files_root: crate::app::files::files_root(&opts.course_dir),
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
        self.snapshot().stamps.changed()
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

/// Read the course, the journal and course.yaml ([`crate::app::watch::load`]), and name
/// each lab for the pages.
pub fn load(dir: &Path) -> Result<Snapshot, String> {
    let loaded = crate::app::watch::load(dir)?;
    let course = &loaded.env.course;
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
        env: loaded.env,
        problems: loaded.problems,
        problems_by_lang: loaded.problems_by_lang,
        stamps: loaded.stamps,
    })
}
