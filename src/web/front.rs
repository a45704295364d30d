//! The server as a front end of the use cases (`app::Front`): the course folder, and warnings
//! to its log (stderr) — never a line of a run's output (the use cases warn about files, not
//! about what a block printed). One type for every route (`actions`, `routes`, `run`).

use std::path::{Path, PathBuf};

use crate::app::Front;

/// The server as a front end of the use cases: warnings go to its log (stderr).
pub struct Server {
    pub course_dir: PathBuf,
}

impl Front for Server {
    fn course_dir(&self) -> &Path {
        &self.course_dir
    }
    fn warn(&self, msg: &str) {
        eprintln!("labnote serve: {msg}");
    }
}
