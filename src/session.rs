//! One shell per kind for a whole `run` or `walk` invocation, so that the blocks of a lab
//! behave as they do in the student's own terminal: a `cd`, an `export` or a function of one
//! block holds for the next blocks and the next steps. A ```` ```sh ```` block runs in `sh`,
//! a ```` ```zsh ```` block in `zsh`, the others in the default shell (bash, or `run
//! --shell`; see [`crate::shells`]); each kind has its own process, folder and variables.
//!
//! The protocol. The shell starts once, in the starting folder, with a fixed bootstrap as
//! its `-c` script (no value of the lab in it). Its stdin is the terminal (a block may
//! prompt), its stdout and stderr are pipes labnote reads, masks and prints; two more pipes
//! are the protocol, on descriptors that a block will not use (61 and 62 in bash; 7 and 8 in
//! sh and zsh, which take one digit only):
//! * control, labnote → shell: one frame per block, one field a line: the number of
//!   variables, `name`, `value` pairs, then the script; in each field `\` is written `\\`
//!   and a newline `\n`. The bootstrap reads a field with `read -r` and decodes it with
//!   `printf %b` (which reads the escapes and nothing else: a value is data, never parsed
//!   as code, never in any argv), exports the variables, runs the script with `eval` (in
//!   this shell: `cd` persists) with the control descriptor closed, and unsets the
//!   variables again. A block that reads stdin reads the terminal, never the frames.
//! * status, shell → labnote: after each block `done␀CODE␀FOLDER␀`; on exit (a block's
//!   `exit`, or `set -e` of the block's own) an `EXIT` trap sends `exit␀CODE␀FOLDER␀`.
//!
//! After a block the shell prints a line with a random per-session marker and the block's
//! number on stdout and on stderr, so that labnote knows the block's output is all read
//! (output a block leaves in the background is still printed, after it).
//!
//! Failing. A failing command ends the block as `bash -e` would, without ending the shell:
//! * bash: an `ERR` trap returns from the block's function (`set -E` carries it into
//!   functions the block defines), honouring `-e`'s exceptions (`if`, `&&`, `||`);
//! * zsh: the block's function runs with `ERR_RETURN`, which zsh applies to each function
//!   on its own (so it holds when the function is an `if` condition) with the same
//!   exceptions;
//! * sh has neither, only `set -e`, which ends the shell. So each block runs in a subshell
//!   `( set -e; … )`: when the block fails the subshell ends and its parent, the session as
//!   it was before the block, reports the code and waits for the next block; when the block
//!   passes, the subshell reports and goes on as the session (the parent only waits). One
//!   process per passed sh block is left waiting, the price of keeping `cd`, variables and
//!   functions; a failing or interrupted block's own `cd` and variables are undone, and
//!   its `exit N` (N > 0) ends the block, not the session.
//!
//! Interrupting. The shell has its own process group, which is the terminal's foreground
//! group while a block runs: Ctrl-C reaches the block's commands and the shell, whose `INT`
//! trap ends the block (code 130) and waits for the next one (in sh the block's subshell
//! dies of it, its parent traps it). An interrupt sent to labnote is forwarded to the
//! group; if the block does not stop within 1.5 s the group is killed, and a later block
//! starts a new shell in the last folder the old one reported. What an interrupted block
//! started (its `… &` jobs, which ignore SIGINT) is killed; bash forgets its jobs
//! (`disown -a`) so that it does not report them as killed.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::runner::{self, BlockResult, Masker};
use crate::shells::{ShellKind, ShellProgram};
use crate::t;

const TAIL_LINES: usize = 20;

/// The stream a line of a block's output came on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Where a block's output goes, masked, a line at a time, as the shell prints it: called
/// from the session's reader threads (a terminal prints it, a web page streams it).
pub type Sink = Arc<dyn Fn(Stream, &str) + Send + Sync>;

/// The descriptors of the protocol in the shell: (control, status).
fn fds(kind: ShellKind) -> (RawFd, RawFd) {
    match kind {
        ShellKind::Bash => (61, 62),
        ShellKind::Sh | ShellKind::Zsh => (7, 8),
    }
}

/// What every bootstrap starts with: the marker, reading a field (`@C@` is the control
/// descriptor) and reporting (`@S@` the status descriptor).
const COMMON: &str = r#"__ln_m=$LABNOTE_SESSION_MARK; unset LABNOTE_SESSION_MARK
__ln_b=0; __ln_inb=; __ln_int=
__ln_get() { IFS= read -r __ln_l <&@C@ || exit 0; __ln_f=$(printf '%b_' "$__ln_l"); __ln_f=${__ln_f%_}; }
__ln_end() { printf '%s %s\n' "$__ln_m" "$__ln_b"; printf '%s %s\n' "$__ln_m" "$__ln_b" >&2; printf '%s\0%s\0%s\0' "$1" "$2" "$PWD" >&@S@; }
"#;

/// Reading one frame (the loop's head); `@RUN@` runs the block and sets `__ln_rc`. An
/// interrupt is ignored while a frame is read (a `read` it cut would lose the frame) and
/// trapped (`@INT@`) while the block runs.
const LOOP: &str = r#"trap '' INT
while IFS= read -r __ln_n <&@C@; do
  __ln_names=
  while [ "$__ln_n" -gt 0 ]; do
    __ln_get; __ln_k=$__ln_f
    __ln_get; export "$__ln_k=$__ln_f"
    __ln_names="$__ln_names $__ln_k"
    __ln_n=$((__ln_n - 1))
  done
  __ln_get; __ln_s=$__ln_f; unset __ln_f __ln_l
  __ln_b=$((__ln_b + 1)); __ln_int=
  trap '@INT@' INT
@RUN@
  trap '' INT
  eval "unset __ln_s $__ln_names"
  __ln_end done "$__ln_rc"
done
"#;

const BASH_PRELUDE: &str = r#"set -E
trap '__ln_rc=$?; if [ -n "$__ln_inb" ] && [ -n "${FUNCNAME[0]+x}" ]; then return $__ln_rc; fi' ERR
trap '__ln_end exit $?' EXIT
__ln_run() { eval "$__ln_s"; }
"#;

const BASH_INT: &str = r#"__ln_int=1; if [ -n "${FUNCNAME[0]+x}" ]; then return 130; fi"#;

const BASH_RUN: &str = r#"  __ln_inb=1
  __ln_run 61<&-
  __ln_rc=$?
  __ln_inb=
  if [ -n "$__ln_int" ]; then __ln_rc=130; disown -a; fi"#;

const ZSH_INT: &str = "__ln_int=1; if (( ${#funcstack} )); then return 130; fi";

const ZSH_PRELUDE: &str = r#"trap '__ln_end exit $?' EXIT
__ln_run() { setopt err_return; eval "$__ln_s"; }
"#;

const ZSH_RUN: &str = r#"  if __ln_run 7<&-; then __ln_rc=0; else __ln_rc=$?; fi
  unsetopt err_return
  if [ -n "$__ln_int" ]; then __ln_rc=130; fi"#;

/// sh: the loop is a function, which a passed block's subshell calls to go on as the
/// session (see the module doc).
const SH_INT: &str = "__ln_int=1";

const SH_PRELUDE: &str = "__ln_loop() {\n";

const SH_RUN: &str = r#"  (
    trap '__ln_rc=$?; if [ "$__ln_rc" -eq 0 ]; then __ln_end exit 0; fi' EXIT
    set -e
    { eval "$__ln_s"; } 7<&-
    set +e
    trap - EXIT
    # Ignored before the block is reported done: an interrupt between blocks must not kill
    # this subshell, which is the session from here on.
    trap '' INT
    eval "unset __ln_s $__ln_names"
    __ln_end done 0
    __ln_loop
    exit 0
  )
  __ln_rc=$?
  if [ "$__ln_rc" -eq 0 ]; then exit 0; fi
  if [ -n "$__ln_int" ]; then __ln_rc=130; fi"#;

const SH_END: &str = "}\n__ln_loop\n";

/// The bootstrap of a shell of `kind` (fixed text; the marker comes through the
/// environment).
fn bootstrap(kind: ShellKind) -> String {
    let (prelude, int, run, end) = match kind {
        ShellKind::Bash => (BASH_PRELUDE, BASH_INT, BASH_RUN, ""),
        ShellKind::Zsh => (ZSH_PRELUDE, ZSH_INT, ZSH_RUN, ""),
        ShellKind::Sh => (SH_PRELUDE, SH_INT, SH_RUN, SH_END),
    };
    let (c, s) = fds(kind);
    let body = LOOP.replace("@RUN@", run).replace("@INT@", int);
    format!("{COMMON}{prelude}{body}{end}")
        .replace("@C@", &c.to_string())
        .replace("@S@", &s.to_string())
}

/// What the reader threads report.
enum Event {
    /// A stream (0 stdout, 1 stderr) reached the end of block `n`.
    Marker(u8, u64),
    /// The shell's report: `exit` (it is ending) or not, the code, its folder.
    Status { exit: bool, code: i32, dir: PathBuf },
    /// The status pipe closed: the shell is gone.
    Closed,
}

/// A running shell.
struct Session {
    shell: ShellProgram,
    child: Child,
    pgid: i32,
    /// The control pipe's write end; `None` once closed (the shell then reads EOF and exits).
    ctl: Option<File>,
    events: Receiver<Event>,
    masker: Arc<Mutex<Masker>>,
    /// Where the output goes (the sink of the block running, or of the last one).
    sink: Arc<Mutex<Sink>>,
    tail: Arc<Mutex<VecDeque<String>>>,
    /// The folder the shell was last in.
    dir: PathBuf,
    blocks: u64,
    alive: bool,
}

/// The sessions of this invocation (a `walk` runs many steps): one per kind of shell, and
/// the kind that ran the last block.
struct Sessions {
    open: Vec<Session>,
    last: Option<ShellKind>,
}

static SESSIONS: Mutex<Sessions> = Mutex::new(Sessions {
    open: Vec::new(),
    last: None,
});

/// The folder the session that ran the last block is in now, if one runs (or ran) in this
/// invocation.
pub fn current_dir() -> Option<PathBuf> {
    let g = lock();
    let kind = g.last?;
    g.open
        .iter()
        .find(|s| s.shell.kind == kind)
        .map(|s| s.dir.clone())
}

/// The folder the next block would start in: the session's, else `start`.
pub fn dir_or(start: &Path) -> PathBuf {
    current_dir().unwrap_or_else(|| start.to_path_buf())
}

/// End every session: close its control pipe, let the shell exit, kill it if it lingers.
/// Called once the command is over.
pub fn end() {
    let open = std::mem::take(&mut lock().open);
    for mut s in open {
        s.stop();
    }
}

fn lock() -> std::sync::MutexGuard<'static, Sessions> {
    SESSIONS.lock().unwrap_or_else(|p| p.into_inner())
}

/// The unit tests that run blocks share this process's sessions: they run one at a time.
#[cfg(test)]
pub(crate) fn test_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Run one block in the session of `shell`'s kind, starting the shell in `start` when none
/// runs (or the last one ended: then in the folder it ended in). `env` is exported for
/// this block only; `masker` masks its output, which goes to `sink`.
pub fn run_block(
    shell: &ShellProgram,
    start: &Path,
    script: &SecretString,
    env: &[(&str, &str)],
    masker: &Masker,
    sink: &Sink,
) -> std::io::Result<BlockResult> {
    let mut g = lock();
    let at = g.open.iter().position(|s| s.shell.kind == shell.kind);
    let reuse = at.is_some_and(|i| g.open[i].shell == *shell && g.open[i].is_alive());
    if !reuse {
        let dir = match at.map(|i| g.open.remove(i)) {
            Some(mut old) => {
                old.stop();
                if old.shell == *shell {
                    let said = t!(
                        "session-restarted",
                        shell = shell.kind.name(),
                        dir = old.dir
                    );
                    sink(Stream::Err, &format!("labnote: {said}\n"));
                }
                old.dir
            }
            None => start.to_path_buf(),
        };
        let s = Session::spawn(shell, &dir, sink)?;
        g.open.push(s);
    }
    g.last = Some(shell.kind);
    let s = g
        .open
        .iter_mut()
        .find(|s| s.shell.kind == shell.kind)
        .expect("session started above");
    s.run(script, env, masker, sink)
}

/// A name a variable may have (the bootstrap exports it).
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && !n.starts_with(|c: char| c.is_ascii_digit())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !n.starts_with("__ln_")
}

/// One field of a frame: `\` as `\\`, a newline as `\n`, then a newline (what
/// `printf %b` reads back).
fn field(f: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => f.extend_from_slice(b"\\\\"),
            b'\n' => f.extend_from_slice(b"\\n"),
            _ => f.push(b),
        }
    }
    f.push(b'\n');
}

/// A fresh random marker (the output of a block cannot guess it).
fn marker() -> String {
    let mut b = [0u8; 16];
    let ok = File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b));
    if ok.is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        b = (t ^ ((std::process::id() as u128) << 64)).to_le_bytes();
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("\u{1e}labnote-{hex}")
}

/// A pipe whose ends are closed on exec (the child gets its end through `dup2`).
fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

impl Session {
    fn spawn(shell: &ShellProgram, dir: &Path, sink: &Sink) -> std::io::Result<Session> {
        let (ctl_r, ctl_w) = pipe()?;
        let (st_r, st_w) = pipe()?;
        let mark = marker();
        let (ctl_fd, status_fd) = fds(shell.kind);
        let mut cmd = Command::new(&shell.program);
        cmd.arg("-c")
            .arg(bootstrap(shell.kind))
            .current_dir(dir)
            .env("LABNOTE_SESSION_MARK", &mark)
            .stdin(Stdio::inherit())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (cr, sw) = (raw(&ctl_r), raw(&st_w));
        unsafe {
            cmd.pre_exec(move || {
                libc::setpgid(0, 0);
                place(&[(cr, ctl_fd), (sw, status_fd)])?;
                for s in [libc::SIGINT, libc::SIGTERM, libc::SIGQUIT, libc::SIGTTOU] {
                    libc::signal(s, libc::SIG_DFL);
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        drop((ctl_r, st_w));
        let pgid = child.id() as i32;
        unsafe {
            libc::setpgid(pgid, pgid);
        }
        let (tx, rx) = mpsc::channel();
        let masker = Arc::new(Mutex::new(Masker::default()));
        let sink = Arc::new(Mutex::new(Arc::clone(sink)));
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let out = child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn Read + Send>);
        let err = child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn Read + Send>);
        for (n, r) in [out, err].into_iter().enumerate() {
            if let Some(r) = r {
                let p = Pump {
                    stream: n as u8,
                    mark: mark.clone(),
                    masker: Arc::clone(&masker),
                    sink: Arc::clone(&sink),
                    tail: Arc::clone(&tail),
                    tx: tx.clone(),
                };
                std::thread::spawn(move || p.run(r));
            }
        }
        std::thread::spawn(move || read_status(File::from(st_r), tx));
        Ok(Session {
            shell: shell.clone(),
            child,
            pgid,
            ctl: Some(File::from(ctl_w)),
            events: rx,
            masker,
            sink,
            tail,
            dir: dir.to_path_buf(),
            blocks: 0,
            alive: true,
        })
    }

    fn is_alive(&mut self) -> bool {
        self.alive && matches!(self.child.try_wait(), Ok(None))
    }

    /// The frame of one block (see the module comment).
    fn frame(script: &SecretString, env: &[(&str, &str)]) -> std::io::Result<Vec<u8>> {
        let mut f = format!("{}\n", env.len()).into_bytes();
        for (k, v) in env {
            if !valid_name(k) || v.contains('\0') {
                return Err(std::io::Error::other(t!("session-bad-variable", name = k)));
            }
            field(&mut f, k);
            field(&mut f, v);
        }
        let s = script.expose_secret();
        if s.contains('\0') {
            return Err(std::io::Error::other(t!("session-nul-byte")));
        }
        field(&mut f, s);
        Ok(f)
    }

    fn run(
        &mut self,
        script: &SecretString,
        env: &[(&str, &str)],
        masker: &Masker,
        sink: &Sink,
    ) -> std::io::Result<BlockResult> {
        let frame = zeroize::Zeroizing::new(Self::frame(script, env)?);
        if let Ok(mut m) = self.masker.lock() {
            *m = masker.clone();
        }
        if let Ok(mut s) = self.sink.lock() {
            *s = Arc::clone(sink);
        }
        if let Ok(mut t) = self.tail.lock() {
            t.clear();
        }
        let before = group_members(self.pgid);
        let _handlers = runner::install_handlers();
        let tty = Foreground::take(self.pgid);
        runner::forward_to(self.pgid);
        let start = Instant::now();
        self.blocks += 1;
        let sent = match self.ctl.as_mut() {
            Some(c) => c.write_all(&frame).and_then(|()| c.flush()),
            None => Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
        };
        if let Err(e) = sent {
            self.alive = false;
            runner::forward_to(0);
            drop(tty);
            return Err(e);
        }
        let (code, signal) = self.wait_block();
        runner::forward_to(0);
        drop(tty);
        let tail = self
            .tail
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default();
        let interrupted = runner::interrupted() || code == Some(130) || signal.is_some();
        if interrupted {
            // Nothing the interrupted block started may outlive it (its `… &` jobs ignore
            // SIGINT); the shell and what earlier blocks left running stay.
            for p in group_members(self.pgid) {
                if p != self.pgid && !before.contains(&p) {
                    unsafe {
                        libc::kill(p, libc::SIGKILL);
                    }
                }
            }
        }
        Ok(BlockResult {
            exit_code: code,
            signal,
            duration: start.elapsed(),
            tail,
            interrupted,
        })
    }

    /// Wait for the block's status and its output; (exit code, signal that ended the shell).
    fn wait_block(&mut self) -> (Option<i32>, Option<i32>) {
        let mut killed_at: Option<Instant> = None;
        let mut markers = [false; 2];
        let mut status: Option<(bool, i32)> = None;
        let mut drain_until: Option<Instant> = None;
        loop {
            match self.events.recv_timeout(Duration::from_millis(20)) {
                Ok(Event::Marker(s, n)) if n == self.blocks => markers[s as usize & 1] = true,
                Ok(Event::Marker(..)) => {}
                Ok(Event::Status { exit, code, dir }) => {
                    self.dir = dir;
                    status = Some((exit, code));
                    if exit {
                        self.alive = false;
                    }
                    drain_until = Some(Instant::now() + Duration::from_millis(300));
                }
                Ok(Event::Closed) => {
                    self.alive = false;
                    drain_until.get_or_insert(Instant::now() + Duration::from_millis(300));
                }
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            if status.is_some() && markers == [true, true] {
                break;
            }
            if drain_until.is_some_and(|t| Instant::now() > t) {
                break;
            }
            if runner::interrupted() {
                let t = *killed_at.get_or_insert_with(|| {
                    unsafe {
                        libc::kill(-self.pgid, libc::SIGINT);
                    }
                    Instant::now()
                });
                if t.elapsed() > Duration::from_millis(1500) && status.is_none() {
                    // The block does not stop: nothing of it may outlive the interrupt.
                    unsafe {
                        libc::kill(-self.pgid, libc::SIGKILL);
                    }
                    self.alive = false;
                }
            }
        }
        match status {
            Some((_, code)) => (Some(code), None),
            None => {
                // The shell died without a report (killed): its status says how. One
                // whose status pipe is gone but that lives on can report nothing more.
                let until = Instant::now() + Duration::from_millis(500);
                while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(10));
                }
                if matches!(self.child.try_wait(), Ok(None)) {
                    unsafe {
                        libc::kill(-self.pgid, libc::SIGKILL);
                    }
                }
                let st = self.child.wait().ok();
                (
                    st.and_then(|s| s.code()),
                    st.and_then(|s| s.signal()).or(Some(libc::SIGKILL)),
                )
            }
        }
    }

    /// Close the control pipe: the shell reads EOF and exits. What blocks left running in
    /// the background (`… &`) stays, as it would after a terminal's shell exits; only a
    /// shell that does not end within 2 s is killed (the shell alone).
    fn stop(&mut self) {
        self.ctl = None;
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The processes of group `pgid` (from /proc; none where there is no /proc).
fn group_members(pgid: i32) -> Vec<i32> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses.
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|st| {
                st.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(2)?.parse::<i32>().ok())
                    == Some(pgid)
            })
        })
        .collect()
}

/// In the child, before exec: each `(from, to)` descriptor onto its number, open across
/// exec. The pipes' numbers are whatever was free (7 or 8 in a busy process), so each is
/// first copied above the targets: a `dup2` onto a number another pipe still holds would
/// close it, and a `dup2` onto itself would keep it close-on-exec.
/// Async-signal-safe (`fcntl`, `dup2`, `close`).
fn place(fds: &[(RawFd, RawFd)]) -> std::io::Result<()> {
    let mut high = [-1; 2];
    for (h, &(from, _)) in high.iter_mut().zip(fds) {
        *h = unsafe { libc::fcntl(from, libc::F_DUPFD_CLOEXEC, 100) };
        if *h < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    for (&h, &(_, to)) in high.iter().zip(fds) {
        if unsafe { libc::dup2(h, to) } < 0 {
            return Err(std::io::Error::last_os_error());
        }
        unsafe {
            libc::close(h);
        }
    }
    Ok(())
}

fn raw(fd: &OwnedFd) -> RawFd {
    use std::os::fd::AsRawFd;
    fd.as_raw_fd()
}

/// The terminal handed to the shell's group while a block runs (when labnote has it: not
/// when it runs with `&` or without a terminal); given back on drop.
struct Foreground(bool);

impl Foreground {
    fn take(pgid: i32) -> Foreground {
        let tty = unsafe { libc::isatty(0) == 1 && libc::tcgetpgrp(0) == libc::getpgrp() };
        if tty {
            unsafe {
                libc::signal(libc::SIGTTOU, libc::SIG_IGN);
                libc::tcsetpgrp(0, pgid);
            }
        }
        Foreground(tty)
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        if self.0 {
            unsafe {
                libc::tcsetpgrp(0, libc::getpgrp());
                libc::signal(libc::SIGTTOU, libc::SIG_DFL);
            }
        }
    }
}

/// Reads one output stream of the shell: masks each line and hands it to the sink, keeps the
/// last lines, and reports the end-of-block markers.
struct Pump {
    stream: u8,
    mark: String,
    masker: Arc<Mutex<Masker>>,
    sink: Arc<Mutex<Sink>>,
    tail: Arc<Mutex<VecDeque<String>>>,
    tx: Sender<Event>,
}

/// Longest line the pump keeps: the rest of a longer one is read and dropped (said so on
/// the line), so a block that prints one endless line cannot fill labnote's memory.
const MAX_LINE: usize = 1024 * 1024;

/// One line read by [`read_line_capped`].
struct Capped {
    /// The line's first [`MAX_LINE`] bytes (with its newline when it fits).
    head: Vec<u8>,
    /// How many bytes of it were dropped.
    dropped: usize,
    /// The line's last bytes (the end-of-block marker may end a long line).
    end: Vec<u8>,
}

/// Reads one line of at most `cap` bytes, the rest of it read and dropped but for its last
/// `keep` bytes; `None` at the end of the stream.
fn read_line_capped(rd: &mut impl BufRead, cap: usize, keep: usize) -> Option<Capped> {
    let mut line = Capped {
        head: Vec::new(),
        dropped: 0,
        end: Vec::new(),
    };
    let mut any = false;
    loop {
        let chunk = match rd.fill_buf() {
            Ok([]) | Err(_) => break,
            Ok(c) => c,
        };
        any = true;
        let (part, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..=i], true),
            None => (chunk, false),
        };
        let used = part.len();
        let room = cap.saturating_sub(line.head.len()).min(part.len());
        line.head.extend_from_slice(&part[..room]);
        if room < part.len() {
            line.dropped += part.len() - room;
            line.end.extend_from_slice(&part[room..]);
            let extra = line.end.len().saturating_sub(keep);
            line.end.drain(..extra);
        }
        rd.consume(used);
        if done {
            break;
        }
    }
    any.then_some(line)
}

impl Pump {
    fn run(self, r: Box<dyn Read + Send>) {
        let mut rd = BufReader::new(r);
        let keep = self.mark.len() + 32;
        while let Some(l) = read_line_capped(&mut rd, MAX_LINE, keep) {
            if l.dropped == 0 {
                self.line(&String::from_utf8_lossy(&l.head));
                continue;
            }
            // A cut line: its head, said to be cut, then the marker if it ends the line.
            let head = String::from_utf8_lossy(&l.head);
            let cut = t!("session-line-cut", bytes = l.dropped);
            self.emit(&format!("{head} {cut}\n"));
            let end = String::from_utf8_lossy(&l.end);
            if let Some(at) = end.find(&self.mark) {
                self.line(&end[at..]);
            }
        }
        let _ = self.tx.send(Event::Marker(self.stream, u64::MAX));
    }

    /// One whole line: printed, or the end-of-block marker (after what precedes it).
    fn line(&self, line: &str) {
        match line.find(&self.mark) {
            Some(at) => {
                if at > 0 {
                    self.emit(&format!("{}\n", &line[..at]));
                }
                let n = line[at + self.mark.len()..].trim().parse().unwrap_or(0);
                let _ = self.tx.send(Event::Marker(self.stream, n));
            }
            None => self.emit(line),
        }
    }

    /// Hand a line masked to the sink, and keep it for the journal without escape sequences (so that a
    /// secret with colour codes inside is found whole), masked.
    fn emit(&self, line: &str) {
        let (shown, kept) = match self.masker.lock() {
            Ok(m) => (
                m.mask(line),
                m.mask_unlogged(&crate::capture::strip_ansi(line)),
            ),
            Err(_) => ("••••\n".to_string(), "••••".to_string()),
        };
        let sink = self.sink.lock().map(|s| Arc::clone(&s));
        if let Ok(sink) = sink {
            let stream = if self.stream == 0 {
                Stream::Out
            } else {
                Stream::Err
            };
            sink(stream, &shown);
        }
        if let Ok(mut t) = self.tail.lock() {
            t.push_back(kept.trim_end_matches(['\n', '\r']).to_string());
            while t.len() > TAIL_LINES {
                t.pop_front();
            }
        }
    }
}

/// Reads the shell's reports (`kind␀code␀folder␀`) until the pipe closes.
fn read_status(f: File, tx: Sender<Event>) {
    let mut rd = BufReader::new(f);
    let mut field = || -> Option<String> {
        let mut b = Vec::new();
        match rd.read_until(0, &mut b) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                b.pop();
                Some(String::from_utf8_lossy(&b).into_owned())
            }
        }
    };
    while let (Some(kind), Some(code), Some(dir)) = (field(), field(), field()) {
        let ev = Event::Status {
            exit: kind == "exit",
            code: code.parse().unwrap_or(1),
            dir: PathBuf::from(dir),
        };
        if tx.send(ev).is_err() {
            return;
        }
    }
    let _ = tx.send(Event::Closed);
}

/// The executable of a shell's program (see [`crate::shells`]): itself when it holds a `/`,
/// else the first match on `PATH`. `None` when there is none (the shell is not installed).
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
    fn locate_finds_programs_on_path_or_by_path() {
        assert!(locate("sh").is_some());
        assert!(locate("/bin/sh").is_some());
        assert!(locate("labnote-no-such-shell").is_none());
        assert!(locate("/nonexistent/zsh").is_none());
    }

    fn shell(kind: ShellKind) -> ShellProgram {
        ShellProgram {
            kind,
            program: kind.name().to_string(),
        }
    }

    /// Output printed as a terminal shows it.
    fn printed() -> Sink {
        Arc::new(|stream, text| {
            if stream == Stream::Out {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
        })
    }

    fn run_with(kind: ShellKind, script: &str, env: &[(&str, &str)]) -> BlockResult {
        run_block(
            &shell(kind),
            Path::new("/"),
            &SecretString::from(script.to_string()),
            env,
            &Masker::default(),
            &printed(),
        )
        .unwrap()
    }

    fn run(kind: ShellKind, script: &str) -> BlockResult {
        run_with(kind, script, &[])
    }

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// What every kind keeps: folder, variables and functions; a failing command stops the
    /// block (with `-e`'s exceptions); values are data, exported for one block.
    fn state_and_failures(kind: ShellKind) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().canonicalize().unwrap();
        let r = run(
            kind,
            &format!(
                "cd '{}'\nexport LN_T=1\nf() {{ echo in-f; }}\n",
                d.display()
            ),
        );
        assert_eq!(r.exit_code, Some(0), "{kind:?} {r:?}");
        assert_eq!(current_dir(), Some(d.clone()), "{kind:?}");
        let r = run(kind, "echo \"$LN_T\" > made.txt; f\n");
        assert_eq!(
            (r.exit_code, r.tail),
            (Some(0), lines(&["in-f"])),
            "{kind:?}"
        );
        assert_eq!(std::fs::read_to_string(d.join("made.txt")).unwrap(), "1\n");
        let r = run(kind, "echo a; false; echo not-reached\n");
        assert_eq!((r.exit_code, r.tail), (Some(1), lines(&["a"])), "{kind:?}");
        let r = run(kind, "if false; then :; fi; false || echo or; echo still\n");
        assert_eq!(
            (r.exit_code, r.tail),
            (Some(0), lines(&["or", "still"])),
            "{kind:?}"
        );
        // A failure inside a function the block defines stops the block too.
        let r = run(kind, "g() { echo in-g; false; echo nr-g; }\ng\necho nr\n");
        assert_eq!(
            (r.exit_code, r.tail),
            (Some(1), lines(&["in-g"])),
            "{kind:?}"
        );
        let v = "$(touch pwned) ' \" `x` \\n \\c %s\nsecond line\n\n";
        let r = run_with(kind, "printf '%s|' \"$LN_V\"\n", &[("LN_V", v)]);
        assert_eq!(r.tail.join("\n"), format!("{v}|"), "{kind:?}");
        assert!(!d.join("pwned").exists());
        let r = run(kind, "echo \"[${LN_V-unset}]\"; pwd\n");
        let want = lines(&["[unset]", d.to_str().unwrap()]);
        assert_eq!(r.tail, want, "{kind:?}");
        // The control descriptor is closed in the block; the block reading stdin cannot
        // read the frames.
        let (ctl, status) = fds(kind);
        let r = run(
            kind,
            &format!("[ -e /dev/fd/{ctl} ] && echo open || echo closed\n"),
        );
        assert_eq!(r.tail, lines(&["closed"]), "{kind:?}");
        let r = run(
            kind,
            &format!("[ -e /dev/fd/{status} ] && echo open || echo closed\n"),
        );
        assert_eq!(r.tail, lines(&["open"]), "{kind:?}");
        let r = run(kind, "printf 'no-newline'\n");
        assert_eq!(r.tail, lines(&["no-newline"]), "{kind:?}");
    }

    /// SIGINT to the shell's group (what Ctrl-C sends) stops the block, not the shell.
    fn interrupt(kind: ShellKind) {
        let r = run(kind, "export KEEP=1; cd /; f() { echo kept; }\n");
        assert_eq!(r.exit_code, Some(0));
        let r = run(kind, "sleep 30 & kill -INT 0; sleep 5; echo not-reached\n");
        assert!(r.interrupted && r.exit_code == Some(130), "{kind:?} {r:?}");
        assert!(r.tail.is_empty(), "{:?}", r.tail);
        let r = run(kind, "echo \"$KEEP\"; pwd; f\n");
        assert_eq!(r.tail, lines(&["1", "/", "kept"]), "{kind:?}");
        // Between blocks (the shell reading the next frame) an interrupt is ignored.
        let pgid = lock()
            .open
            .iter()
            .find(|s| s.shell.kind == kind)
            .unwrap()
            .pgid;
        unsafe {
            libc::kill(-pgid, libc::SIGINT);
        }
        std::thread::sleep(Duration::from_millis(100));
        let r = run(kind, "echo \"$KEEP\"; f\n");
        assert_eq!(
            (r.exit_code, r.tail),
            (Some(0), lines(&["1", "kept"])),
            "{kind:?}"
        );
        assert_eq!(
            lock()
                .open
                .iter()
                .find(|s| s.shell.kind == kind)
                .unwrap()
                .pgid,
            pgid
        );
    }

    fn bash_and_zsh_exit(kind: ShellKind) {
        // `exit` ends the shell; the next block starts a new one in the same folder.
        let r = run(kind, "cd /tmp; exit 3\n");
        assert_eq!(r.exit_code, Some(3), "{kind:?}");
        let r = run(kind, "pwd\n");
        assert_eq!(r.tail, lines(&["/tmp"]), "{kind:?}");
        // A block's own `set -e` breaks nothing.
        let r = run(kind, "set -e; cd /tmp\n");
        assert_eq!(r.exit_code, Some(0));
        let r = run(kind, "false; echo not-reached\n");
        assert_eq!((r.exit_code, r.tail), (Some(1), vec![]), "{kind:?}");
        let r = run(kind, "pwd\n");
        assert_eq!(r.tail, lines(&["/tmp"]), "{kind:?}");
    }

    /// Review 10b and 7: a line longer than [`MAX_LINE`] is cut (said so), and the block
    /// still ends when the marker follows it on the same line; a secret with colour codes
    /// inside is kept in the tail stripped and masked.
    fn long_lines_and_escapes() {
        let r = run(
            ShellKind::Bash,
            "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo after\n",
        );
        assert_eq!(r.exit_code, Some(0));
        assert_eq!(r.tail.len(), 2, "{:?}", r.tail.len());
        assert!(r.tail[0].len() < MAX_LINE + 200, "{}", r.tail[0].len());
        let said = &r.tail[0][MAX_LINE..];
        assert!(
            said.contains("1951425") || said.contains("1,951,425"),
            "{said}"
        );
        assert_eq!(r.tail[1], "after");
        // No newline at all: the marker ends the cut line, and the block still ends.
        let r = run(ShellKind::Bash, "head -c 2000000 /dev/zero | tr '\\0' y\n");
        assert_eq!(r.exit_code, Some(0));
        assert_eq!(r.tail.len(), 1);
        assert!(r.tail[0].starts_with("yyyy") && r.tail[0].len() < MAX_LINE + 200);
        let mut m = Masker::default();
        m.add(&SecretString::from("passw0rd-x".to_string()));
        let r = run_block(
            &shell(ShellKind::Bash),
            Path::new("/"),
            &SecretString::from(
                "printf 'pw: pass\\033[1mw0rd-x\\033[m \\033]8;;u\\033\\\\ok\\n'\n".to_string(),
            ),
            &[],
            &m,
            &printed(),
        )
        .unwrap();
        assert_eq!(r.tail, lines(&["pw: •••• ok"]));
    }

    #[test]
    fn a_line_is_read_capped() {
        let mut data = vec![b'a'; 100];
        data.extend_from_slice(b"MARK 3\nnext\n");
        let mut rd = std::io::BufReader::with_capacity(7, &data[..]);
        let l = read_line_capped(&mut rd, 10, 8).unwrap();
        assert_eq!(l.head, b"aaaaaaaaaa");
        assert_eq!(l.dropped, 97);
        assert_eq!(l.end, b"aMARK 3\n");
        let l = read_line_capped(&mut rd, 10, 8).unwrap();
        assert_eq!((l.head.as_slice(), l.dropped), (&b"next\n"[..], 0));
        assert!(read_line_capped(&mut rd, 10, 8).is_none());
    }

    /// One test, since the sessions are one per kind and process.
    #[test]
    fn each_kind_keeps_its_state_and_failures_stop_the_block() {
        let _one = test_lock();
        for kind in ShellKind::ALL {
            if locate(kind.name()).is_none() {
                panic!("{} is needed for this test", kind.name());
            }
            state_and_failures(kind);
            interrupt(kind);
        }
        bash_and_zsh_exit(ShellKind::Bash);
        bash_and_zsh_exit(ShellKind::Zsh);
        // bash: the jobs of an interrupted block are forgotten.
        let r = run(ShellKind::Bash, "jobs -p | wc -l\n");
        assert_eq!(r.tail, lines(&["0"]));
        // zsh runs zsh, sh runs a POSIX sh (not bash).
        let r = run(ShellKind::Zsh, "x=abc; print -r -- ${(U)x} ${#${x}}\n");
        assert_eq!(r.tail, lines(&["ABC 3"]));
        let r = run(
            ShellKind::Sh,
            "echo \"${BASH_VERSION:-no-bash} ${ZSH_VERSION:-no-zsh}\"\n",
        );
        assert_eq!(r.tail, lines(&["no-bash no-zsh"]));
        // sh: a failing block's own `cd` is undone, its `exit 4` ends the block only.
        run(ShellKind::Sh, "cd /tmp\n");
        let r = run(ShellKind::Sh, "cd /; exit 4\n");
        assert_eq!(r.exit_code, Some(4));
        let r = run(ShellKind::Sh, "pwd\n");
        assert_eq!(r.tail, lines(&["/tmp"]));
        // Each kind keeps its own folder.
        run(ShellKind::Bash, "cd /usr\n");
        run(ShellKind::Zsh, "cd /var\n");
        assert_eq!(current_dir(), Some(PathBuf::from("/var")));
        for (k, want) in [
            (ShellKind::Sh, "/tmp"),
            (ShellKind::Bash, "/usr"),
            (ShellKind::Zsh, "/var"),
        ] {
            assert_eq!(run(k, "pwd\n").tail, lines(&[want]), "{k:?}");
        }
        long_lines_and_escapes();
        end();
        assert!(current_dir().is_none());
        assert!(valid_name("LABNOTE_V_1") && !valid_name("1A") && !valid_name("A-B"));
    }
}
