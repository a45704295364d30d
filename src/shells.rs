//! Which shell runs a block: the block's own language when it names one (`sh`, `zsh`,
//! `bash`), else the default of the invocation (`run --shell`, bash unless told).
//!
//! The session ([`crate::session`]) keeps one process per kind, so that a lab that mixes
//! ```` ```sh ```` and ```` ```bash ```` blocks runs each where it was written for, and each
//! shell keeps its own folder, variables and functions.
//!
//! fish is refused, not run: it has no `set -e`, no `ERR` trap and no subshell, so a block
//! could not be stopped at its first failing command (a failing `kubectl apply` would let
//! the step pass), and the session's protocol (`read`, `printf %b`, `eval`) is POSIX.
//!
//! Pure but for [`locate`], which reads `PATH` and the file system.

use std::path::{Path, PathBuf};

/// A shell the session drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bash,
    /// POSIX `sh` (dash on Debian and Ubuntu).
    Sh,
    Zsh,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Bash, Kind::Sh, Kind::Zsh];

    /// The name of the kind, which is also the program started for it by default.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bash => "bash",
            Kind::Sh => "sh",
            Kind::Zsh => "zsh",
        }
    }

    /// The kind a program is, by its file name (`/usr/bin/zsh`, `dash`, `sh`).
    pub fn of_program(program: &str) -> Option<Kind> {
        let name = Path::new(program).file_name()?.to_str()?;
        match name {
            "bash" => Some(Kind::Bash),
            "sh" | "dash" => Some(Kind::Sh),
            "zsh" => Some(Kind::Zsh),
            _ => None,
        }
    }
}

/// What a block's language asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// `shell`, `console`, no language, …: the invocation's default shell.
    Default,
    /// A shell of its own (` ```sh `, ` ```zsh `, ` ```bash `).
    Kind(Kind),
    /// A shell labnote does not drive (`fish`): the block is not run and its step does not
    /// pass.
    Refused,
}

/// Shells named by a language tag that labnote refuses to run (see the module doc).
const REFUSED: &[&str] = &["fish"];

/// What language tag `lang` asks for.
pub fn wanted_by(lang: Option<&str>) -> Wanted {
    let Some(l) = lang.map(str::to_ascii_lowercase) else {
        return Wanted::Default;
    };
    match l.as_str() {
        "bash" => Wanted::Kind(Kind::Bash),
        "sh" => Wanted::Kind(Kind::Sh),
        "zsh" => Wanted::Kind(Kind::Zsh),
        l if REFUSED.contains(&l) => Wanted::Refused,
        _ => Wanted::Default,
    }
}

/// A shell to start: its kind and the program (as given: a name looked up on `PATH`, or a
/// path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shell {
    pub kind: Kind,
    pub program: String,
}

/// Why `--shell` names no shell labnote can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    /// Not bash, sh or zsh.
    Unknown,
    /// fish (see the module doc).
    Refused,
}

/// The shells of one invocation: the default (from `--shell`) and the program of each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shells {
    default: Kind,
    /// A path given with `--shell` is used for its kind; other kinds use their name.
    program: Option<Shell>,
}

impl Shells {
    /// From `--shell` (a name or a path of bash, sh, dash or zsh).
    pub fn from_flag(flag: &str) -> Result<Shells, FlagError> {
        match Kind::of_program(flag) {
            Some(kind) => Ok(Shells {
                default: kind,
                program: Some(Shell {
                    kind,
                    program: flag.to_string(),
                }),
            }),
            None => {
                let name = Path::new(flag)
                    .file_name()
                    .map(|n| n.to_string_lossy().to_ascii_lowercase());
                if name.is_some_and(|n| REFUSED.contains(&n.as_str())) {
                    Err(FlagError::Refused)
                } else {
                    Err(FlagError::Unknown)
                }
            }
        }
    }

    /// The shell of kind `kind`.
    pub fn of_kind(&self, kind: Kind) -> Shell {
        match &self.program {
            Some(s) if s.kind == kind => s.clone(),
            _ => Shell {
                kind,
                program: kind.name().to_string(),
            },
        }
    }

    /// The shell a block with language `lang` runs in; `None` for a refused language.
    pub fn for_lang(&self, lang: Option<&str>) -> Option<Shell> {
        match wanted_by(lang) {
            Wanted::Default => Some(self.of_kind(self.default)),
            Wanted::Kind(k) => Some(self.of_kind(k)),
            Wanted::Refused => None,
        }
    }
}

/// The executable `program` names: itself when it holds a `/`, else the first match on
/// `PATH`. `None` when there is none (the shell is not installed).
pub fn locate(program: &str) -> Option<PathBuf> {
    let exe = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        p.is_file() && std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        let p = PathBuf::from(program);
        return exe(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(program))
        .find(|p| exe(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_pick_their_shell() {
        assert_eq!(wanted_by(Some("zsh")), Wanted::Kind(Kind::Zsh));
        assert_eq!(wanted_by(Some("SH")), Wanted::Kind(Kind::Sh));
        assert_eq!(wanted_by(Some("bash")), Wanted::Kind(Kind::Bash));
        for l in [Some("shell"), Some("console"), Some("shell-session"), None] {
            assert_eq!(wanted_by(l), Wanted::Default, "{l:?}");
        }
        assert_eq!(wanted_by(Some("fish")), Wanted::Refused);
    }

    #[test]
    fn the_flag_sets_the_default_and_the_program_of_its_kind() {
        let s = Shells::from_flag("/usr/bin/zsh").unwrap();
        assert_eq!(s.for_lang(None).unwrap().program, "/usr/bin/zsh");
        assert_eq!(s.for_lang(Some("zsh")).unwrap().program, "/usr/bin/zsh");
        assert_eq!(s.for_lang(Some("bash")).unwrap().kind, Kind::Bash);
        assert_eq!(s.for_lang(Some("sh")).unwrap().program, "sh");
        assert_eq!(s.for_lang(Some("fish")), None);
        let d = Shells::from_flag("dash").unwrap();
        assert_eq!(d.for_lang(Some("console")).unwrap().kind, Kind::Sh);
        assert_eq!(d.for_lang(Some("console")).unwrap().program, "dash");
        assert_eq!(Shells::from_flag("nosuch"), Err(FlagError::Unknown));
        assert_eq!(Shells::from_flag("/usr/bin/fish"), Err(FlagError::Refused));
        assert_eq!(Shells::from_flag(""), Err(FlagError::Unknown));
    }

    #[test]
    fn locate_finds_programs_on_path_or_by_path() {
        assert!(locate("sh").is_some());
        assert!(locate("/bin/sh").is_some());
        assert!(locate("labnote-no-such-shell").is_none());
        assert!(locate("/nonexistent/zsh").is_none());
    }
}
