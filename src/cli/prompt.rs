//! Prompts on the terminal: one line of input from the student.
//!
//! On a terminal a line is read with rustyline: arrow keys, Home/End, Ctrl-A/E and the
//! other readline keys edit it, and Up recalls the earlier answers of this process (the
//! history lives in memory only: answers may be values of the lab). rustyline talks to the
//! terminal itself (`/dev/tty`), never to stdout, which may carry JSON. Without a terminal
//! (a pipe, a test) a plain line is read from stdin, as a shell's `read` would.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rustyline::config::{Behavior, Config};
use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;
use secrecy::SecretString;

/// The editor of this process: one, so that its history spans every prompt of a walk.
static EDITOR: Mutex<Option<DefaultEditor>> = Mutex::new(None);

/// The most answers Up can recall.
const HISTORY: usize = 200;

/// Ask for one line; `None` at end of input (Ctrl-D, a closed stdin). The prompt goes to
/// stderr or the terminal. Ctrl-C at an edited prompt interrupts labnote as it would at a
/// plain one.
pub fn ask(prompt: &str) -> Option<String> {
    drop_stale_enter();
    if !line_editing() {
        return ask_plain(prompt);
    }
    // rustyline lays out one line: what comes before the prompt's last line is printed.
    let (head, last) = match prompt.rfind('\n') {
        Some(i) => prompt.split_at(i + 1),
        None => ("", prompt),
    };
    eprint!("{head}");
    let _ = std::io::stderr().flush();
    let mut guard = EDITOR.lock().unwrap_or_else(|p| p.into_inner());
    if guard.is_none() {
        *guard = editor();
    }
    let Some(ed) = guard.as_mut() else {
        drop(guard);
        return ask_plain(last);
    };
    let prefill = take_prefill();
    let read = if prefill.is_empty() {
        ed.readline(last)
    } else {
        ed.readline_with_initial(last, (&prefill, ""))
    };
    match read {
        Ok(line) => {
            let line = line.trim().to_string();
            if !line.is_empty() {
                let _ = ed.add_history_entry(line.as_str());
            }
            Some(line)
        }
        Err(ReadlineError::Interrupted) => {
            drop(guard);
            interrupt();
            None
        }
        Err(_) => None,
    }
}

/// Ask a yes/no question; an empty answer is `default`, end of input is no.
pub fn confirm(prompt: &str, default: bool) -> bool {
    match ask(prompt) {
        None => false,
        Some(a) if a.is_empty() => default,
        Some(a) => matches!(
            a.to_lowercase().as_str(),
            "y" | "yes" | "예" | "네" | "응" | "ㅇ"
        ),
    }
}

/// Ask for a secret without echo (on the terminal, as `rpassword` does); never in the
/// history.
pub fn ask_secret(prompt: &str) -> std::io::Result<SecretString> {
    drop_stale_enter();
    rpassword::prompt_password(prompt).map(SecretString::from)
}

/// Whether prompts are edited: stdin is a terminal rustyline can drive.
fn line_editing() -> bool {
    // rustyline prints to stdout on terminals it cannot drive: those get the plain read.
    let dumb = std::env::var("TERM")
        .map(|t| matches!(t.as_str(), "" | "dumb" | "cons25" | "emacs"))
        .unwrap_or(true);
    std::io::stdin().is_terminal() && !dumb
}

fn editor() -> Option<DefaultEditor> {
    let config = Config::builder()
        .behavior(Behavior::PreferTerm)
        .auto_add_history(false)
        .max_history_size(HISTORY)
        .ok()?
        .build();
    DefaultEditor::with_config(config).ok()
}

/// Ctrl-C in raw mode is a key, not a signal: once the terminal is restored, the signal is
/// raised, so labnote ends as it would have at a plain prompt (or a handler takes it).
fn interrupt() {
    // SAFETY: raise only delivers a signal to this process.
    unsafe {
        libc::raise(libc::SIGINT);
    }
}

/// One line from stdin, the prompt on stderr.
fn ask_plain(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = take_prefill();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// single keys (walk's menu)

/// How long after a key the rest of a word typed with it, or its Enter, may follow.
const FOLLOW: Duration = Duration::from_millis(150);
/// How long after a key an Enter pressed with it still belongs to it (and is not the answer
/// to the next prompt).
const STALE_ENTER: Duration = Duration::from_millis(600);

/// When the last key was read without its Enter (which may still come).
static KEY_WITHOUT_ENTER: Mutex<Option<Instant>> = Mutex::new(None);

/// Typed for the next prompt while [`drop_stale_enter`] waited for an Enter.
static PREFILL: Mutex<String> = Mutex::new(String::new());

fn take_prefill() -> String {
    std::mem::take(&mut *PREFILL.lock().unwrap_or_else(|p| p.into_inner()))
}

/// What one key prompt read.
enum Key {
    Text(String),
    Eof,
    Interrupt,
}

/// One key of a menu. On a terminal it is taken without Enter (the terminal in
/// non-canonical mode, without echo, for that key; the key is echoed after the prompt): a
/// word typed or pasted with its Enter at once (`done⏎`) is read whole, an Enter alone is
/// passed over, and an Enter that follows the key is the key's, never the answer to the
/// next prompt. Ctrl-C interrupts as at a line prompt, Ctrl-D ends the input. Without a
/// terminal (or on one rustyline cannot drive), a line, as [`ask`] reads it.
pub fn ask_key(prompt: &str) -> Option<String> {
    use std::os::fd::AsRawFd;
    drop_stale_enter();
    if !line_editing() {
        return ask_plain(prompt);
    }
    let fd = std::io::stdin().as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr fills it or fails.
    let mut old: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut old) } != 0 {
        return ask(prompt);
    }
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut raw = old;
    raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
    raw.c_cc[libc::VMIN] = 1;
    raw.c_cc[libc::VTIME] = 0;
    // SAFETY: sets the attributes of stdin's terminal; restored below on every path.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw) };
    let (key, entered) = read_key(fd);
    // SAFETY: as above.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &old) };
    match key {
        Key::Text(s) => {
            eprintln!("{s}");
            if !entered {
                *KEY_WITHOUT_ENTER.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
            }
            Some(s)
        }
        Key::Eof => {
            eprintln!();
            None
        }
        Key::Interrupt => {
            eprintln!();
            interrupt();
            None
        }
    }
}

/// One byte of `fd` within `wait` (`None`: forever); `None` when none came or it is closed.
fn read_byte(fd: i32, wait: Option<Duration>) -> Option<u8> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = wait.map_or(-1, |d| d.as_millis().min(i32::MAX as u128) as i32);
    // SAFETY: one pollfd of ours.
    if unsafe { libc::poll(&mut p, 1, ms) } <= 0 {
        return None;
    }
    let mut b = 0u8;
    // SAFETY: reads one byte into `b`.
    let n = unsafe { libc::read(fd, (&mut b as *mut u8).cast(), 1) };
    (n == 1).then_some(b)
}

/// A key (or a word typed at once), and whether its Enter came with it.
fn read_key(fd: i32) -> (Key, bool) {
    let mut bytes: Vec<u8> = take_prefill().into_bytes();
    while bytes.is_empty() {
        let Some(b) = read_byte(fd, None) else {
            return (Key::Eof, false);
        };
        match b {
            b'\r' | b'\n' => continue,
            0x03 => return (Key::Interrupt, false),
            0x04 => return (Key::Eof, false),
            // An escape sequence (an arrow key): passed over.
            0x1b => {
                while read_byte(fd, Some(Duration::from_millis(20))).is_some() {}
                continue;
            }
            b' ' | b'\t' | 0x7f | 0x08 => continue,
            _ => bytes.push(b),
        }
    }
    let mut entered = false;
    while let Some(b) = read_byte(fd, Some(FOLLOW)) {
        match b {
            b'\r' | b'\n' => {
                entered = true;
                break;
            }
            0x03 => return (Key::Interrupt, false),
            0x7f | 0x08 => {
                bytes.pop();
            }
            _ => bytes.push(b),
        }
    }
    let text = String::from_utf8_lossy(&bytes).trim().to_string();
    (Key::Text(text), entered)
}

/// After a key read without its Enter: wait (briefly) for that Enter and drop it, so that it
/// does not answer the prompt that follows the key.
fn drop_stale_enter() {
    use std::os::fd::AsRawFd;
    let Some(at) = KEY_WITHOUT_ENTER
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
    else {
        return;
    };
    let Some(left) = STALE_ENTER.checked_sub(at.elapsed()) else {
        return;
    };
    let fd = std::io::stdin().as_raw_fd();
    // SAFETY: as in `ask_key`.
    let mut old: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut old) } != 0 {
        return;
    }
    let mut raw = old;
    raw.c_lflag &= !(libc::ICANON | libc::ECHO);
    raw.c_cc[libc::VMIN] = 1;
    raw.c_cc[libc::VTIME] = 0;
    // SAFETY: restored below.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw) };
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = left.as_millis() as i32;
    // SAFETY: one pollfd of ours; FIONREAD tells how many bytes wait, without reading them.
    if unsafe { libc::poll(&mut p, 1, ms) } > 0 {
        let mut waiting: libc::c_int = 0;
        unsafe { libc::ioctl(fd, libc::FIONREAD, &mut waiting) };
        // Only a lone Enter is the key's. A byte that is not one was typed for the prompt
        // that follows: it is kept for it (PREFILL).
        if waiting == 1 {
            let mut b = 0u8;
            // SAFETY: reads one byte into `b`.
            let n = unsafe { libc::read(fd, (&mut b as *mut u8).cast(), 1) };
            if n == 1 && b != b'\r' && b != b'\n' && b.is_ascii() {
                PREFILL
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(b as char);
            }
        }
    }
    // SAFETY: as above.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &old) };
}
