//! Why a run is refused before anything runs, or could not start (an [`AppError::Run`]).

use std::fmt;

use crate::app::AppError;
use crate::script;
use crate::t;

/// Why a run is refused before anything runs, or could not start.
#[derive(Debug)]
pub enum RunError {
    NoCommands {
        lab: String,
        step: String,
        title: String,
    },
    ShellUnknown {
        given: String,
    },
    ShellFish {
        given: String,
    },
    ShellMissing {
        given: String,
        program: String,
    },
    /// A block whose shell is refused (`fish`) or not installed (`missing`).
    BlockShell {
        why: &'static str,
        file: String,
        line: usize,
        block: usize,
        step: String,
        lang: String,
        program: String,
        lab: String,
    },
    /// A runnable block holding an ESC (`esc`) or a mid-line CR.
    Hidden {
        file: String,
        line: usize,
        block: usize,
        step: String,
        esc: bool,
    },
    /// Values of a block that are not noted, each with the closest memo key.
    NotNoted {
        block: usize,
        step: String,
        missing: Vec<(String, Option<String>)>,
    },
    /// A block whose placeholders cannot be bound.
    Script {
        block: usize,
        step: String,
        source: script::BindError,
    },
    /// A value of a block that cannot be read.
    Value {
        block: usize,
        step: String,
        source: Box<AppError>,
    },
    NeedsConfirmation {
        step: String,
    },
    SessionStart {
        program: String,
        reason: String,
    },
    NoteShape {
        arg: String,
    },
    NoteRegex {
        arg: String,
        reason: String,
    },
    NoteKeyStep {
        step: String,
    },
    /// The access-key step is issued, not run from blocks.
    KeyStep {
        lab: String,
        step: String,
    },
    /// `--cwd` or `workdir` that is not a folder (`what` names where it was given).
    NotAFolder {
        what: String,
        path: String,
    },
    CurrentDir {
        reason: String,
    },
    /// A block number the step does not have ([`super::prepare_one`]).
    NoSuchBlock {
        lab: String,
        step: String,
        block: usize,
        count: usize,
    },
    /// A block `run` does not run (an example, another language).
    NotRunBlock {
        lab: String,
        step: String,
        block: usize,
        class: String,
        reason: String,
    },
}

impl RunError {
    /// Whether it is the student's to fix (see [`crate::app::ErrorKind`]).
    pub fn is_user(&self) -> bool {
        match self {
            RunError::SessionStart { .. } | RunError::CurrentDir { .. } => false,
            RunError::Value { source, .. } => source.kind() == crate::app::ErrorKind::User,
            _ => true,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RunError as E;
        let s = match self {
            E::NoCommands { lab, step, title } => {
                t!("run-no-commands", step = step, title = title, lab = lab)
            }
            E::ShellUnknown { given } => t!("run-shell-unknown", given = given),
            E::ShellFish { given } => t!("run-shell-fish", given = given),
            E::ShellMissing { given, program } => {
                t!("run-shell-missing", given = given, program = program)
            }
            E::BlockShell {
                why,
                file,
                line,
                block,
                step,
                lang,
                program,
                lab,
            } => t!(
                "run-shell-block-refused",
                why = *why,
                file = file,
                line = *line,
                block = *block,
                step = step,
                lang = lang,
                program = program,
                lab = lab
            ),
            E::Hidden {
                file,
                line,
                block,
                step,
                esc,
            } => {
                let what = if *esc {
                    t!("textsafe-esc")
                } else {
                    t!("textsafe-cr")
                };
                t!(
                    "textsafe-run-hidden",
                    file = file,
                    line = *line,
                    block = *block,
                    step = step,
                    what = what
                )
            }
            E::NotNoted {
                block,
                step,
                missing,
            } => {
                let list: Vec<String> = missing
                    .iter()
                    .map(|(name, sug)| match sug {
                        Some(s) => t!("run-not-noted-closest", name = name, key = s),
                        None => format!("<<{name}>>"),
                    })
                    .collect();
                t!(
                    "run-not-noted",
                    block = *block,
                    step = step,
                    names = list.join(", ")
                )
            }
            E::Script {
                block,
                step,
                source,
            } => block_of_step(*block, step, source),
            E::Value {
                block,
                step,
                source,
            } => block_of_step(*block, step, source),
            E::NeedsConfirmation { step } => t!("run-needs-confirmation", step = step),
            E::SessionStart { program, reason } => {
                t!("session-cannot-start", program = program, reason = reason)
            }
            E::NoteShape { arg } => t!("run-note-shape", arg = arg),
            E::NoteRegex { arg, reason } => t!("run-note-regex", arg = arg, reason = reason),
            E::NoteKeyStep { step } => t!("run-note-key-step", step = step),
            E::KeyStep { lab, step } => t!("run-is-key-step", lab = lab, step = step),
            E::NotAFolder { what, path } => t!("run-not-a-folder", what = what, path = path),
            E::CurrentDir { reason } => t!("run-current-dir", reason = reason),
            E::NoSuchBlock {
                lab,
                step,
                block,
                count,
            } => t!(
                "webrun-no-such-block",
                lab = lab,
                step = step,
                block = block,
                count = count
            ),
            E::NotRunBlock {
                lab,
                step,
                block,
                class,
                reason,
            } => t!(
                "webrun-not-run-block",
                lab = lab,
                step = step,
                block = block,
                class = class,
                reason = reason
            ),
        };
        f.write_str(&s)
    }
}

impl std::error::Error for RunError {}

impl From<RunError> for AppError {
    fn from(e: RunError) -> AppError {
        AppError::Run(Box::new(e))
    }
}

/// What went wrong with block `block` of step `step`.
fn block_of_step(block: usize, step: &str, source: &dyn fmt::Display) -> String {
    t!(
        "run-block-of-step",
        block = block,
        step = step,
        msg = source.to_string()
    )
}
