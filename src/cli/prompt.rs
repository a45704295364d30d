//! Prompts on the terminal: one line of input from the student.
//!
//! On a terminal a line is read with rustyline: arrow keys, Home/End, Ctrl-A/E and the
//! other readline keys edit it, and Up recalls the earlier answers of this process (the
//! history lives in memory only: answers may be values of the lab). rustyline talks to the
//! terminal itself (`/dev/tty`), never to stdout, which may carry JSON. Without a terminal
//! (a pipe, a test) a plain line is read from stdin, as a shell's `read` would.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;

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
    match ed.readline(last) {
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
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_string()),
    }
}
