//! Which shell runs a block: the block's own language when it names one (`sh`, `zsh`,
//! `bash`), else the default of the invocation (`run --shell`, bash unless told).
//!
//! The session (`labnote::session`) keeps one process per kind, so that a lab that mixes
//! ```` ```sh ```` and ```` ```bash ```` blocks runs each where it was written for, and each
//! shell keeps its own folder, variables and functions.
//!
//! fish is refused, not run: it has no `set -e`, no `ERR` trap and no subshell, so a block
//! could not be stopped at its first failing command (a failing `kubectl apply` would let
//! the step pass), and the session's protocol (`read`, `printf %b`, `eval`) is POSIX.
//!
//! Pure: finding a shell's program on `PATH` is the session's (`labnote::session::locate`).

use std::path::Path;

/// A shell the session drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellKind {
    Bash,
    /// POSIX `sh` (dash on Debian and Ubuntu).
    Sh,
    Zsh,
}

impl ShellKind {
    pub const ALL: [ShellKind; 3] = [ShellKind::Bash, ShellKind::Sh, ShellKind::Zsh];

    /// The name of the kind, which is also the program started for it by default.
    pub fn name(self) -> &'static str {
        match self {
            ShellKind::Bash => "bash",
            ShellKind::Sh => "sh",
            ShellKind::Zsh => "zsh",
        }
    }

    /// The kind a program is, by its file name (`/usr/bin/zsh`, `dash`, `sh`).
    fn of_program(program: &str) -> Option<ShellKind> {
        let name = Path::new(program).file_name()?.to_str()?;
        match name {
            "bash" => Some(ShellKind::Bash),
            "sh" | "dash" => Some(ShellKind::Sh),
            "zsh" => Some(ShellKind::Zsh),
            _ => None,
        }
    }
}

/// What a block's language asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LangShell {
    /// `shell`, `console`, no language, …: the invocation's default shell.
    Default,
    /// A shell of its own (` ```sh `, ` ```zsh `, ` ```bash `).
    Kind(ShellKind),
    /// A shell labnote does not drive (`fish`): the block is not run and its step does not
    /// pass.
    Refused,
}

/// Shells named by a language tag that labnote refuses to run (see the module doc).
const REFUSED: &[&str] = &["fish"];

/// What language tag `lang` asks for.
fn wanted_by(lang: Option<&str>) -> LangShell {
    let Some(l) = lang.map(str::to_ascii_lowercase) else {
        return LangShell::Default;
    };
    match l.as_str() {
        "bash" => LangShell::Kind(ShellKind::Bash),
        "sh" => LangShell::Kind(ShellKind::Sh),
        "zsh" => LangShell::Kind(ShellKind::Zsh),
        l if REFUSED.contains(&l) => LangShell::Refused,
        _ => LangShell::Default,
    }
}

/// A shell to start: its kind and the program (as given: a name looked up on `PATH`, or a
/// path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellProgram {
    pub kind: ShellKind,
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
    default: ShellKind,
    /// A path given with `--shell` is used for its kind; other kinds use their name.
    program: Option<ShellProgram>,
}

impl Shells {
    /// From `--shell` (a name or a path of bash, sh, dash or zsh).
    pub fn from_flag(flag: &str) -> Result<Shells, FlagError> {
        match ShellKind::of_program(flag) {
            Some(kind) => Ok(Shells {
                default: kind,
                program: Some(ShellProgram {
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
    pub fn of_kind(&self, kind: ShellKind) -> ShellProgram {
        match &self.program {
            Some(s) if s.kind == kind => s.clone(),
            _ => ShellProgram {
                kind,
                program: kind.name().to_string(),
            },
        }
    }

    /// The shell a block with language `lang` runs in; `None` for a refused language.
    pub fn for_lang(&self, lang: Option<&str>) -> Option<ShellProgram> {
        match wanted_by(lang) {
            LangShell::Default => Some(self.of_kind(self.default)),
            LangShell::Kind(k) => Some(self.of_kind(k)),
            LangShell::Refused => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_pick_their_shell() {
        assert_eq!(wanted_by(Some("zsh")), LangShell::Kind(ShellKind::Zsh));
        assert_eq!(wanted_by(Some("SH")), LangShell::Kind(ShellKind::Sh));
        assert_eq!(wanted_by(Some("bash")), LangShell::Kind(ShellKind::Bash));
        for l in [Some("shell"), Some("console"), Some("shell-session"), None] {
            assert_eq!(wanted_by(l), LangShell::Default, "{l:?}");
        }
        assert_eq!(wanted_by(Some("fish")), LangShell::Refused);
    }

    #[test]
    fn the_flag_sets_the_default_and_the_program_of_its_kind() {
        let s = Shells::from_flag("/usr/bin/zsh").unwrap();
        assert_eq!(s.for_lang(None).unwrap().program, "/usr/bin/zsh");
        assert_eq!(s.for_lang(Some("zsh")).unwrap().program, "/usr/bin/zsh");
        assert_eq!(s.for_lang(Some("bash")).unwrap().kind, ShellKind::Bash);
        assert_eq!(s.for_lang(Some("sh")).unwrap().program, "sh");
        assert_eq!(s.for_lang(Some("fish")), None);
        let d = Shells::from_flag("dash").unwrap();
        assert_eq!(d.for_lang(Some("console")).unwrap().kind, ShellKind::Sh);
        assert_eq!(d.for_lang(Some("console")).unwrap().program, "dash");
        assert_eq!(Shells::from_flag("nosuch"), Err(FlagError::Unknown));
        assert_eq!(Shells::from_flag("/usr/bin/fish"), Err(FlagError::Refused));
        assert_eq!(Shells::from_flag(""), Err(FlagError::Unknown));
    }
}
