//! The class's background push, started after a change of progress (`done`, `undo`, a
//! run, a walk step): only where the course joined a class (`labnote class join`, see
//! [`super::class`]), and without waiting for anything. Its own module so that the use
//! cases that change progress (`app::progress`, `app::run`) can call it while
//! `app::class` reads progress through them.

use std::path::{Path, PathBuf};

use super::Front;
use crate::store;

/// `<course>/.labnote/class.yaml`: the class joined.
pub(crate) fn settings_path(course: &Path) -> PathBuf {
    crate::journal::state_dir(course).join("class.yaml")
}

/// `<course>/.labnote/class/`: labnote's git repository of the class, the locks, the
/// report last sent.
pub(crate) fn work_dir(course: &Path) -> PathBuf {
    crate::journal::state_dir(course).join("class")
}

/// After a change of progress (`done`, `undo`, a run, a walk step): when the course joined
/// a class and no background push is running, start one (`labnote class push
/// --background`, detached) and return at once. Never fails and never waits on the
/// network: the student's command does not depend on the class.
pub fn nudge(front: &dyn Front) {
    let course = front.course_dir();
    if std::fs::symlink_metadata(settings_path(course)).is_err() {
        return;
    }
    let dir = work_dir(course);
    if store::create_dir_private(&dir).is_err() {
        return;
    }
    // A background push running now reads the journal again before it ends.
    match store::try_lock_exclusive(&dir.join("background.lock")) {
        Ok(Some(lock)) => drop(lock),
        _ => return,
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    // Only labnote itself is started again (a test binary calling a use case is not).
    let is_labnote = exe
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("labnote"));
    if !is_labnote {
        return;
    }
    let mut c = std::process::Command::new(exe);
    c.arg("--course")
        .arg(course)
        .args(["--quiet", "class", "push", "--background"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    {
        use std::os::unix::process::CommandExt;
        // Its own process group: the student's Ctrl-C in the terminal does not reach it.
        c.process_group(0);
    }
    if let Ok(mut child) = c.spawn() {
        // Reaped by a thread, so a long-running front end (the server) leaves no zombie;
        // a command that ends first simply leaves the child to init.
        std::thread::spawn(move || {
            let _ = child.wait();
        });
    }
}
