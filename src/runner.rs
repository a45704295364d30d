//! Running a step's commands.
//!
//! Which blocks run: fenced blocks whose language is a shell (`bash`, `sh`, `shell`, `zsh`,
//! `console`), and blocks without a language whose first command line starts with a known
//! command (`aws`, `kubectl`, `git`, `cat`, …) or a `$ ` prompt. `yaml`, `json` and every
//! other language never run; neither does a bare block of command output.
//!
//! How a block runs: `bash -e -c WRAPPER` with the block's script in the environment
//! variable `LABNOTE_SCRIPT` and each memo value it uses in its own variable
//! `LABNOTE_V_<n>`, which the script references (see [`crate::script`]): a value reaches the
//! shell as data, through the environment, never as code and never through a child's
//! argument list. The wrapper moves each into an unexported shell variable (so the block's
//! commands do not inherit them) and `eval`s the script; heredocs run as written. The
//! shell gets its own
//! process group (the terminal's foreground group while it runs), so Ctrl-C reaches the block
//! and not labnote, and an interrupt sent to labnote is forwarded to the whole group; the
//! group is killed if it does not stop, so no child is left behind. Output streams live, with
//! every secret value masked, and its last lines are kept for the journal.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
struct Handlers([libc::sighandler_t; 3]);

fn install_handlers() -> Handlers {
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

/// Whether an interrupt arrived (SIGINT/SIGTERM/SIGHUP) while the current block ran.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

const TAIL_LINES: usize = 20;

/// The `-c` program: each `LABNOTE_V_<n>` of `vars` becomes an unexported shell variable
/// (`unset` drops the export attribute), then the script runs. Only variable names that
/// labnote made are in it, never a value.
fn wrapper<'a>(vars: impl Iterator<Item = &'a str>) -> String {
    let mut w = String::from("s=$LABNOTE_SCRIPT; unset LABNOTE_SCRIPT; ");
    for name in vars {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        w.push_str(&format!("v=${name}; unset {name}; {name}=$v; "));
    }
    w.push_str("unset v; eval \"$s\"");
    w
}

/// Run one script. `vars` are the values it references (see [`crate::script`]); `env` is
/// added to the student's environment.
pub fn run_script(
    shell: &str,
    script: &str,
    vars: &[(String, SecretString)],
    cwd: &Path,
    env: &[(&str, &str)],
    masker: &Masker,
) -> std::io::Result<BlockResult> {
    let _handlers = install_handlers();
    // Hand the terminal to the block only when labnote has it (not when run with `&`).
    let tty = unsafe { libc::isatty(0) == 1 && libc::tcgetpgrp(0) == libc::getpgrp() };
    let mut cmd = command(shell, script, vars, cwd, env, tty);
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id() as i32;
    unsafe {
        libc::setpgid(pid, pid);
    }
    CHILD_PGID.store(pid, Ordering::SeqCst);
    if tty {
        unsafe {
            libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::tcsetpgrp(0, pid);
        }
    }
    let tail: Arc<Mutex<VecDeque<String>>> = Arc::new(Mutex::new(VecDeque::new()));
    let out_t = child
        .stdout
        .take()
        .map(|s| pump(Box::new(s), false, &tail, masker));
    let err_t = child
        .stderr
        .take()
        .map(|s| pump(Box::new(s), true, &tail, masker));
    let status = wait_or_stop(&mut child, pid)?;
    let was_interrupted = interrupted() || status.signal() == Some(libc::SIGINT);
    if was_interrupted {
        // Nothing of the block may outlive it.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    CHILD_PGID.store(0, Ordering::SeqCst);
    if tty {
        unsafe {
            libc::tcsetpgrp(0, libc::getpgrp());
            libc::signal(libc::SIGTTOU, libc::SIG_DFL);
        }
    }
    drain([out_t, err_t].into_iter().flatten());
    let tail = tail
        .lock()
        .map(|t| t.iter().cloned().collect())
        .unwrap_or_default();
    Ok(BlockResult {
        exit_code: status.code(),
        signal: status.signal(),
        duration: start.elapsed(),
        tail,
        interrupted: was_interrupted,
    })
}

/// The shell command of a block: its own process group, the terminal's foreground group
/// when labnote has the terminal, default SIGINT/SIGTERM.
fn command(
    shell: &str,
    script: &str,
    vars: &[(String, SecretString)],
    cwd: &Path,
    env: &[(&str, &str)],
    tty: bool,
) -> Command {
    let mut cmd = Command::new(shell);
    cmd.arg("-e")
        .arg("-c")
        .arg(wrapper(vars.iter().map(|(k, _)| k.as_str())))
        .current_dir(cwd)
        .env("LABNOTE_SCRIPT", script)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    for (k, v) in vars {
        cmd.env(k, v.expose_secret());
    }
    unsafe {
        cmd.pre_exec(move || {
            libc::setpgid(0, 0);
            if tty {
                libc::signal(libc::SIGTTOU, libc::SIG_IGN);
                libc::tcsetpgrp(0, libc::getpid());
                libc::signal(libc::SIGTTOU, libc::SIG_DFL);
            }
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            Ok(())
        });
    }
    cmd
}

/// Relay one output stream of the block, masked, line by line, keeping its last lines.
fn pump(
    r: Box<dyn std::io::Read + Send>,
    to_err: bool,
    tail: &Arc<Mutex<VecDeque<String>>>,
    masker: &Masker,
) -> std::thread::JoinHandle<()> {
    let tail = Arc::clone(tail);
    let masker = masker.clone();
    std::thread::spawn(move || {
        let mut rd = BufReader::new(r);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match rd.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = masker.mask(&String::from_utf8_lossy(&buf));
            if to_err {
                let mut e = std::io::stderr().lock();
                let _ = e.write_all(line.as_bytes());
                let _ = e.flush();
            } else {
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(line.as_bytes());
                let _ = o.flush();
            }
            if let Ok(mut t) = tail.lock() {
                t.push_back(line.trim_end_matches(['\n', '\r']).to_string());
                while t.len() > TAIL_LINES {
                    t.pop_front();
                }
            }
        }
    })
}

/// Wait for the shell; on an interrupt, SIGINT its group, then SIGKILL it after 1.5 s.
fn wait_or_stop(
    child: &mut std::process::Child,
    pid: i32,
) -> std::io::Result<std::process::ExitStatus> {
    let mut killed_at: Option<Instant> = None;
    loop {
        if let Some(st) = child.try_wait()? {
            return Ok(st);
        }
        if interrupted() {
            match killed_at {
                None => {
                    unsafe {
                        libc::kill(-pid, libc::SIGINT);
                    }
                    killed_at = Some(Instant::now());
                }
                Some(t) if t.elapsed() > Duration::from_millis(1500) => unsafe {
                    libc::kill(-pid, libc::SIGKILL);
                },
                _ => {}
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Drain what the block wrote; a background process it started (`… &`) may keep the pipes
/// open for as long as it lives, so stop waiting shortly after the shell exited.
fn drain(threads: impl Iterator<Item = std::thread::JoinHandle<()>>) {
    let drain_until = Instant::now() + Duration::from_millis(300);
    for t in threads {
        while !t.is_finished() && Instant::now() < drain_until {
            std::thread::sleep(Duration::from_millis(5));
        }
        if t.is_finished() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(lang: Option<&str>, text: &str) -> CodeBlock {
        CodeBlock {
            lang: lang.map(str::to_string),
            text: text.to_string(),
            span: 0..0,
            closed: true,
            indented: false,
        }
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
