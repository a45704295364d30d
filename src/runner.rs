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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::lab::CodeBlock;

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

/// Replaces every secret value with `••••`; when a log is attached ([`Masker::logging`]), it
/// also keeps what it was given to mask (a block's output, as the shell printed it) for
/// noting a value from it afterwards. The session masks each line of output through here,
/// so the log sees every line without a second reader.
#[derive(Default, Clone)]
pub struct Masker {
    secrets: Vec<SecretString>,
    log: Option<OutputLog>,
}

/// Shortest line of a secret of several lines that is masked on its own: output comes line
/// by line, so the whole value never stands on one line (shorter lines, such as `-----BEGIN`
/// armour or a YAML key, say nothing secret).
const MIN_SECRET_LINE: usize = 8;

impl Masker {
    pub fn add(&mut self, s: &SecretString) {
        let v = s.expose_secret();
        if v.is_empty() {
            return;
        }
        self.secrets.push(s.clone());
        if v.contains('\n') {
            for line in v.lines().map(|l| l.trim_end_matches('\r').trim()) {
                if line.len() >= MIN_SECRET_LINE {
                    self.secrets.push(SecretString::from(line.to_string()));
                }
            }
        }
    }

    /// The same masker, keeping what it masks in `log`.
    pub fn logging(&self, log: &OutputLog) -> Masker {
        Masker {
            secrets: self.secrets.clone(),
            log: Some(log.clone()),
        }
    }

    /// Whether it masks anything.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Replace every secret, the longest first, so that a secret containing another one is
    /// masked whole.
    pub fn mask(&self, text: &str) -> String {
        if let Some(log) = &self.log {
            log.push(text);
        }
        self.mask_unlogged(text)
    }

    /// [`Masker::mask`] without keeping the text in the log: a second form of a line already
    /// logged (its copy without escape sequences, for the journal).
    pub fn mask_unlogged(&self, text: &str) -> String {
        let mut order: Vec<&SecretString> = self.secrets.iter().collect();
        order.sort_by_key(|s| std::cmp::Reverse(s.expose_secret().len()));
        let mut out = text.to_string();
        for s in order {
            out = out.replace(s.expose_secret(), "••••");
        }
        out
    }
}

impl Masker {
    /// What the journal masks with when a secret is noted after a run printed it: a secret of
    /// [`MIN_SECRET_LINE`] characters or more wherever it stands, a shorter one only as a
    /// whole token (between spaces, quotes or punctuation), so that noting `1` as a
    /// password does not rewrite every digit 1 of the output kept.
    pub fn mask_recorded(&self, text: &str) -> String {
        let out = self.mask_bytes_from(text.as_bytes(), MIN_SECRET_LINE);
        // Only whole UTF-8 sequences were replaced by the mask: still UTF-8.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    /// [`Masker::mask_recorded`] on bytes that may not be UTF-8 (a damaged journal record).
    pub fn mask_recorded_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        self.mask_bytes_from(bytes, MIN_SECRET_LINE)
    }

    /// Replace the secrets, the longest first; one shorter than `whole_below` only where it
    /// stands as a whole token.
    fn mask_bytes_from(&self, bytes: &[u8], whole_below: usize) -> Vec<u8> {
        let mut order: Vec<&SecretString> = self.secrets.iter().collect();
        order.sort_by_key(|s| std::cmp::Reverse(s.expose_secret().len()));
        let mut out = bytes.to_vec();
        for s in order {
            let needle = s.expose_secret().as_bytes();
            let whole = needle.len() < whole_below;
            if memchr::memmem::find(&out, needle).is_none() {
                continue;
            }
            let mut next = Vec::with_capacity(out.len());
            let mut at = 0;
            for i in memchr::memmem::find_iter(&out, needle) {
                let end = i + needle.len();
                if i < at || (whole && !is_token(&out, i, end)) {
                    continue;
                }
                next.extend_from_slice(&out[at..i]);
                next.extend_from_slice("••••".as_bytes());
                at = end;
            }
            next.extend_from_slice(&out[at..]);
            out = next;
        }
        out
    }
}

/// Whether `hay[start..end]` stands as a whole token: what is on either side is the edge, a
/// space or punctuation that separates values (`:`, `=`, quotes, brackets, `,`, `;`).
fn is_token(hay: &[u8], start: usize, end: usize) -> bool {
    let apart = |b: u8| b.is_ascii_whitespace() || b"\"'`:=,;()[]{}<>|".contains(&b);
    (start == 0 || apart(hay[start - 1])) && hay.get(end).is_none_or(|&b| apart(b))
}

/// What the blocks of one run printed, unmasked, in memory only (never written; wiped when
/// dropped): the last [`OutputLog::MAX_LINES`] lines, [`OutputLog::MAX_BYTES`] at most.
/// Kept only when a value may be noted from it (an offer or a `--note` rule).
#[derive(Default, Clone)]
pub struct OutputLog(Arc<Mutex<Kept>>);

/// The lines of an [`OutputLog`] and their total length.
#[derive(Default)]
struct Kept {
    lines: VecDeque<Zeroizing<String>>,
    bytes: usize,
}

impl OutputLog {
    const MAX_LINES: usize = 2000;
    /// Most bytes kept in all (the oldest lines go first).
    pub const MAX_BYTES: usize = 8 * 1024 * 1024;
    /// Longest line kept (a longer one is cut: it holds no value to note).
    const MAX_LINE: usize = 64 * 1024;

    fn push(&self, text: &str) {
        let Ok(mut k) = self.0.lock() else { return };
        let q = &mut *k;
        for line in text.split_inclusive('\n') {
            let mut l = line.trim_end_matches(['\n', '\r']);
            l = cut_at(l, Self::MAX_LINE);
            q.bytes += l.len();
            q.lines.push_back(Zeroizing::new(l.to_string()));
            while q.lines.len() > Self::MAX_LINES || q.bytes > Self::MAX_BYTES {
                match q.lines.pop_front() {
                    Some(old) => q.bytes -= old.len(),
                    None => break,
                }
            }
        }
    }

    /// The lines kept, oldest first.
    pub fn lines(&self) -> Vec<Zeroizing<String>> {
        self.0
            .lock()
            .map(|q| q.lines.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// The first `max` bytes of `s` at most, cut at a character boundary.
pub fn cut_at(s: &str, max: usize) -> &str {
    let mut cut = max.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
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

/// Stop the block running as Ctrl-C does (a front end without a terminal: a Stop button):
/// the session interrupts the shell's group, and kills it if the block does not stop.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether an interrupt arrived (SIGINT/SIGTERM/SIGHUP, or [`interrupt`]) while the current
/// block ran.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::is_runnable;

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
        // A secret of several lines is masked line by line too (output comes by lines).
        let mut m = Masker::default();
        m.add(&SecretString::from(
            "line-one-secret\nabc\nline-two-secret".to_string(),
        ));
        assert_eq!(
            m.mask("x line-two-secret abc\n"),
            "x •••• abc\n",
            "a short line of it is no secret of its own"
        );
    }

    #[test]
    fn a_logging_masker_keeps_the_unmasked_lines() {
        let mut m = Masker::default();
        m.add(&SecretString::from("s3cr3t".to_string()));
        let log = OutputLog::default();
        let lm = m.logging(&log);
        assert_eq!(lm.clone().mask("a s3cr3t\n"), "a ••••\n");
        lm.mask("b\r\nc\n");
        m.mask("not logged\n");
        let lines: Vec<String> = log.lines().iter().map(|l| l.to_string()).collect();
        assert_eq!(lines, ["a s3cr3t", "b", "c"]);
        for n in 0..OutputLog::MAX_LINES + 5 {
            lm.mask(&format!("{n}\n"));
        }
        assert_eq!(log.lines().len(), OutputLog::MAX_LINES);
        assert_eq!(log.lines()[0].as_str(), "5");
        // The total is capped too: long lines push the oldest out.
        let long = "x".repeat(OutputLog::MAX_LINE + 10);
        for _ in 0..OutputLog::MAX_BYTES / OutputLog::MAX_LINE + 3 {
            lm.mask(&long);
        }
        let kept = log.lines();
        let total: usize = kept.iter().map(|l| l.len()).sum();
        assert!(total <= OutputLog::MAX_BYTES, "{total}");
        assert_eq!(kept.len(), OutputLog::MAX_BYTES / OutputLog::MAX_LINE);
    }

    /// The journal masks a short secret only as a whole token, a long one anywhere.
    #[test]
    fn recorded_masking_takes_short_secrets_whole() {
        let mut m = Masker::default();
        m.add(&SecretString::from("1".to_string()));
        m.add(&SecretString::from("long-s3cr3t".to_string()));
        assert_eq!(
            m.mask_recorded("step 2-1: password: 1, 10 files, x=1"),
            "step 2-1: password: ••••, 10 files, x=••••"
        );
        assert_eq!(m.mask_recorded("axlong-s3cr3tz"), "ax••••z");
        assert_eq!(
            m.mask_recorded_bytes(b"\xff 1 21"),
            b"\xff \xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 21"
        );
        // The live output mask is unchanged: every copy.
        assert_eq!(m.mask("21"), "2••••");
    }
}
