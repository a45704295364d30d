//! Put a value on the clipboard without printing it.
//!
//! Where the student is: often a browser terminal (Cloud9), SSH or tmux, where only the
//! terminal can reach the desktop's clipboard — through OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`),
//! which the terminal consumes without showing anything. So, in order:
//! * inside tmux (`$TMUX`): `tmux load-buffer -w -` — the value on stdin becomes a tmux
//!   buffer, and `-w` has tmux send it on to the outer terminal's clipboard (OSC 52, as
//!   `set-clipboard` allows). An older tmux without `-w`: the buffer, then OSC 52 on the
//!   terminal, which tmux takes with `set-clipboard on`;
//! * otherwise OSC 52 written to the controlling terminal (`/dev/tty`, never stdout, which
//!   may be a pipe or a log), wrapped for GNU screen's passthrough inside screen;
//! * and the desktop clipboard where one exists: `wl-copy` (Wayland), `xclip` or `xsel` (X).
//!
//! The value reaches each program on its stdin, never in an argument list.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// Copy `value`; the names of the places it reached (empty: nowhere).
pub fn copy(value: &SecretString) -> Vec<String> {
    let mut reached = Vec::new();
    let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    let mut need_osc52 = !in_tmux;
    if in_tmux {
        if feed(&["tmux", "load-buffer", "-w", "-"], value) {
            reached.push(crate::t!("clipboard-tmux-and-terminal"));
        } else if feed(&["tmux", "load-buffer", "-"], value) {
            reached.push(crate::t!("clipboard-tmux"));
            need_osc52 = true;
        } else {
            need_osc52 = true;
        }
    }
    if need_osc52 && osc52(value, in_tmux) {
        reached.push(crate::t!("clipboard-osc52"));
    }
    if let Some(tool) = desktop(value) {
        reached.push(crate::t!("clipboard-desktop", tool = tool));
    }
    reached
}

/// The OSC 52 sequence for `value` (inside GNU screen, in its passthrough wrapper).
fn osc52_sequence(value: &str, screen: bool) -> Zeroizing<String> {
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(value));
    let seq = format!("\x1b]52;c;{}\x07", b64.as_str());
    if screen {
        Zeroizing::new(format!("\x1bP{seq}\x1b\\"))
    } else {
        Zeroizing::new(seq)
    }
}

fn osc52(value: &SecretString, in_tmux: bool) -> bool {
    let screen = !in_tmux && std::env::var_os("STY").is_some();
    let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") else {
        return false;
    };
    let seq = osc52_sequence(value.expose_secret(), screen);
    tty.write_all(seq.as_bytes())
        .and_then(|()| tty.flush())
        .is_ok()
}

/// The desktop clipboard, when a display and a tool exist.
fn desktop(value: &SecretString) -> Option<&'static str> {
    let has = |v: &str| std::env::var_os(v).is_some_and(|v| !v.is_empty());
    if has("WAYLAND_DISPLAY") && feed(&["wl-copy"], value) {
        return Some("wl-copy");
    }
    if has("DISPLAY") {
        if feed(&["xclip", "-selection", "clipboard"], value) {
            return Some("xclip");
        }
        if feed(&["xsel", "--clipboard", "--input"], value) {
            return Some("xsel");
        }
    }
    None
}

/// Run `argv` with `value` on its stdin; whether it succeeded within a few seconds (a tool
/// that is missing fails at once; the clipboard tools fork a server and return).
fn feed(argv: &[&str], value: &SecretString) -> bool {
    let Ok(mut child) = Command::new(argv[0])
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let wrote = child
        .stdin
        .take()
        .is_some_and(|mut i| i.write_all(value.expose_secret().as_bytes()).is_ok());
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return wrote && st.success(),
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64_between_the_markers() {
        assert_eq!(
            osc52_sequence("a+b/c", false).as_str(),
            "\x1b]52;c;YStiL2M=\x07"
        );
        assert_eq!(
            osc52_sequence("x", true).as_str(),
            "\x1bP\x1b]52;c;eA==\x07\x1b\\"
        );
    }
}
