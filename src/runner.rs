//! Which blocks of a step are commands, and what running them shares: the masking of
//! secrets, a block's result, and the forwarding of interrupts.
//!
//! Which blocks run: fenced blocks whose language is a shell (`bash`, `sh`, `shell`, `zsh`,
//! `console`), and blocks without a language whose first command line starts with a known
//! command (`aws`, `kubectl`, `git`, `cat`, …) or a `$ ` prompt. `yaml`, `json` and every
//! other language never run; neither does a bare block of command output (`blocks` adds
//! examples and alternatives on top of this rule).
//!
//! How a block runs is [`crate::session`]'s: one bash for the whole `run` or `walk`, the
//! block's script with a reference to a variable `LABNOTE_V_<n>` in place of each
//! placeholder (see [`crate::script`]), the values exported for that block only; a value
//! reaches the shell as data, never as code and never through a child's argument list.
//! While a block runs, the handlers here forward an interrupt sent to labnote to the
//! shell's process group.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::lab::CodeBlock;

/// Languages that are shell commands.
const SHELL_LANGS: &[&str] = &["bash", "sh", "shell", "zsh", "console", "shell-session"];

/// First words that mark a bare block as commands.
const COMMANDS: &[&str] = &[
    "aws",
    "kubectl",
    "git",
    "cat",
    "echo",
    "cd",
    "ls",
    "mkdir",
    "export",
    "sudo",
    "curl",
    "wget",
    "helm",
    "terraform",
    "ssh",
    "scp",
    "chmod",
    "chown",
    "cp",
    "mv",
    "rm",
    "docker",
    "npm",
    "pip",
    "pip3",
    "python",
    "python3",
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "systemctl",
    "sed",
    "grep",
    "touch",
    "source",
    "eksctl",
    "tar",
    "unzip",
    "printf",
    "env",
    "set",
    "unset",
    "watch",
    "argocd",
    "k9s",
    "jq",
    "make",
    "go",
    "cargo",
    "node",
    "npx",
    "yarn",
    "brew",
    "code",
    "vi",
    "vim",
    "nano",
    "tee",
    "ln",
    "find",
    "head",
    "tail",
    "alias",
    "openssl",
    "base64",
    "age",
    "labnote",
    "sleep",
    "kubectx",
    "kubens",
    "minikube",
    "kind",
    "gcloud",
    "az",
];

/// Whether a block is run by `labnote run`.
pub fn is_runnable(b: &CodeBlock) -> bool {
    match b.lang.as_deref() {
        Some(l) => SHELL_LANGS.contains(&l.to_ascii_lowercase().as_str()),
        None => {
            let first = b
                .text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'));
            match first {
                Some(l) => {
                    let prompt = l.starts_with("$ ");
                    let l = l.strip_prefix("$ ").unwrap_or(l);
                    // Skip `NAME=value` prefixes: `AWS_REGION=x aws s3 ls`.
                    let w = l
                        .split_whitespace()
                        .find(|w| !is_assignment(w))
                        .unwrap_or("");
                    prompt || COMMANDS.contains(&w)
                }
                None => false,
            }
        }
    }
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The text a block runs: `$ ` prompts removed (a console transcript runs its commands).
pub fn script_text(b: &CodeBlock) -> String {
    let t = b.text.replace("\r\n", "\n");
    if t.lines().any(|l| l.starts_with("$ ")) {
        t.lines()
            .filter_map(|l| l.strip_prefix("$ "))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    } else {
        t
    }
}

/// Replaces every secret value with `••••`.
#[derive(Default, Clone)]
pub struct Masker {
    secrets: Vec<SecretString>,
}

impl Masker {
    pub fn add(&mut self, s: &SecretString) {
        if !s.expose_secret().is_empty() {
            self.secrets.push(s.clone());
        }
    }

    /// Replace every secret, the longest first, so that a secret containing another one is
    /// masked whole.
    pub fn mask(&self, text: &str) -> String {
        let mut order: Vec<&SecretString> = self.secrets.iter().collect();
        order.sort_by_key(|s| std::cmp::Reverse(s.expose_secret().len()));
        let mut out = text.to_string();
        for s in order {
            out = out.replace(s.expose_secret(), "••••");
        }
        out
    }
}

/// Outcome of one block.
#[derive(Debug, Clone)]
pub struct BlockResult {
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub duration: Duration,
    /// Last lines of output (stdout and stderr interleaved), masked.
    pub tail: Vec<String>,
    pub interrupted: bool,
}

impl BlockResult {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && !self.interrupted
    }
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CHILD_PGID: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let pg = CHILD_PGID.load(Ordering::SeqCst);
    if pg > 0 {
        // Forward to the block's process group (async-signal-safe).
        unsafe {
            libc::kill(-pg, sig);
        }
    }
}

const FORWARDED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The handlers that forward interrupts to the block, installed while a block runs; on drop,
/// the dispositions from before are back, so that Ctrl-C at a prompt after a block (`walk`)
/// ends labnote as usual instead of being swallowed.
pub(crate) struct Handlers([libc::sighandler_t; 3]);

pub(crate) fn install_handlers() -> Handlers {
    INTERRUPTED.store(false, Ordering::SeqCst);
    Handlers(
        FORWARDED.map(|s| unsafe { libc::signal(s, on_signal as *const () as libc::sighandler_t) }),
    )
}

impl Drop for Handlers {
    fn drop(&mut self) {
        for (s, h) in FORWARDED.iter().zip(self.0) {
            if h != libc::SIG_ERR {
                unsafe {
                    libc::signal(*s, h);
                }
            }
        }
    }
}

/// The process group interrupts are forwarded to (0: none); the session's shell uses it.
pub(crate) fn forward_to(pgid: i32) {
    CHILD_PGID.store(pgid, Ordering::SeqCst);
}

/// Whether an interrupt arrived (SIGINT/SIGTERM/SIGHUP) while the current block ran.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(lang: Option<&str>, text: &str) -> CodeBlock {
        CodeBlock::fenced(lang, text)
    }

    #[test]
    fn runnable_rule() {
        assert!(is_runnable(&block(Some("bash"), "echo hi\n")));
        assert!(is_runnable(&block(Some("SH"), "ls\n")));
        assert!(!is_runnable(&block(Some("yaml"), "a: 1\n")));
        assert!(!is_runnable(&block(Some("json"), "{}\n")));
        assert!(is_runnable(&block(None, "# note\nkubectl get pods\n")));
        assert!(is_runnable(&block(None, "$ aws s3 ls\noutput\n")));
        assert!(is_runnable(&block(None, "AWS_REGION=x aws s3 ls\n")));
        assert!(!is_runnable(&block(
            None,
            "NAME   READY   STATUS\nweb    1/1     Running\n"
        )));
        assert_eq!(
            script_text(&block(None, "$ echo a\na\n$ echo b\n")),
            "echo a\necho b\n"
        );
    }

    #[test]
    fn masks_secrets() {
        let mut m = Masker::default();
        m.add(&SecretString::from("s3cr3t".to_string()));
        assert_eq!(m.mask("x s3cr3t y s3cr3t"), "x •••• y ••••");
        // A secret that starts with another one is masked whole.
        m.add(&SecretString::from("s3cr3tAndMore".to_string()));
        assert_eq!(m.mask("a=s3cr3tAndMore b=s3cr3t"), "a=•••• b=••••");
    }
}
