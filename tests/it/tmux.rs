//! A small tmux harness for the session and clipboard tests: `labnote ARGS` in a detached
//! pane (its own tmux server on a socket in the course's temporary ROOT, started in the
//! course folder), typed into with `send-keys`, read with `capture-pane`.
//!
//! labnote runs with exactly the course's environment plus TERM, PATH (the course's own, when
//! it sets one) and TMUX (so that a tmux-aware command finds this server).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::course::{self, Course};

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Pane {
    sock: PathBuf,
    exit: PathBuf,
}

/// Shell-quote for the pane's script.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Writes `ROOT/NAME.sh`, the script a pane runs: `HEAD K=V… labnote --course C ARGS`, then
/// labnote's exit status into `ROOT/NAME.exit`; returns both paths. The status is written by the
/// script because tmux's own view of it (#{pane_dead_status}) proved unreliable under load and
/// cannot name a signal before tmux 3.3. The trap keeps the script alive when Ctrl-C kills
/// labnote (which gets the default SIGINT: a trapped signal is reset on exec, unlike an ignored one).
pub fn pane_script<'a>(
    c: &Course,
    name: &str,
    head: &str,
    env: impl Iterator<Item = (&'a str, &'a str)>,
    args: &[&str],
) -> (PathBuf, PathBuf) {
    let mut line = String::from(head);
    for (k, v) in env {
        line.push_str(&format!(" {k}={}", q(v)));
    }
    line.push_str(&format!(
        " {} --course {}",
        q(course::BIN),
        q(&c.course.display().to_string())
    ));
    for a in args {
        line.push(' ');
        line.push_str(&q(a));
    }
    let exit = c.root.join(format!("{name}.exit"));
    let script = c.root.join(format!("{name}.sh"));
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntrap : INT\n{line}\necho \"$?\" > {}\n",
            q(&exit.display().to_string())
        ),
    )
    .unwrap();
    (script, exit)
}

impl Pane {
    /// Start `labnote --course C ARGS` in a 100×40 pane; `conf` is tmux configuration.
    pub fn start(c: &Course, name: &str, args: &[&str], conf: &str) -> Pane {
        Pane::start_sized(c, name, args, conf, 100)
    }

    /// [`Pane::start`] in a pane `cols` columns wide.
    pub fn start_sized(c: &Course, name: &str, args: &[&str], conf: &str, cols: usize) -> Pane {
        // A PATH of the course's environment comes after the head's, so it wins.
        let env = c.env.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let head = "env -i TERM=\"$TERM\" TMUX=\"$TMUX\" PATH=\"$PATH\"";
        let (script, exit) = pane_script(c, name, head, env, args);
        let conf_file = c.root.join(format!("{name}.tmux.conf"));
        std::fs::write(
            &conf_file,
            format!("set -g remain-on-exit on\nset -g history-limit 20000\n{conf}\n"),
        )
        .unwrap();
        let pane = Pane {
            sock: c.root.join(format!("{name}.sock")),
            exit,
        };
        let dir = if c.course.is_dir() {
            &c.course
        } else {
            &c.root
        };
        pane.tmux(&[
            "-f",
            conf_file.to_str().unwrap(),
            "new-session",
            "-d",
            "-s",
            "p",
            "-x",
            &cols.to_string(),
            "-y",
            "40",
            "-c",
            dir.to_str().unwrap(),
            &format!("sh {}", q(&script.display().to_string())),
        ]);
        pane
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .env_remove("TMUX")
            .arg("-S")
            .arg(&self.sock)
            .args(args)
            .output()
            .expect("tmux is needed for this test (apt-get install tmux)");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The whole pane, history included, wrapped lines joined.
    pub fn text(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J", "-t", "p", "-S", "-", "-E", "-"])
    }

    /// Type a line and Enter.
    pub fn send(&self, line: &str) {
        if !line.is_empty() {
            self.tmux(&["send-keys", "-t", "p", "-l", line]);
        }
        self.tmux(&["send-keys", "-t", "p", "Enter"]);
    }

    /// Wait for the `n`th occurrence of `needle`; the pane's text.
    pub fn nth(&self, n: usize, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let t = self.text();
            if t.matches(needle).count() >= n {
                return t;
            }
            let ended = self.exit_code().is_some();
            if ended || start.elapsed() > WAIT {
                // One last look: output may follow the exit by a moment.
                std::thread::sleep(Duration::from_millis(300));
                let t = self.text();
                if t.matches(needle).count() >= n {
                    return t;
                }
                panic!(
                    "waited for {needle:?} #{n}; labnote's exit status {:?}; the pane:\n{t}",
                    self.exit_code()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Enter at the `n`th `Run this block?` of the pane: the block confirmed as a student does.
    pub fn confirm_block(&self, n: usize) {
        self.nth(n, "Run this block? [Y/n/q]");
        self.send("");
    }

    /// `r` at the walk's `menu`th prompt, then the block confirmed at the `confirm`th
    /// `Run this block?`.
    pub fn run_block(&self, menu: usize, confirm: usize) {
        self.nth(menu, "[q]uit >");
        self.send("r");
        self.confirm_block(confirm);
    }

    /// labnote's exit status, once it has ended.
    pub fn exit_code(&self) -> Option<String> {
        std::fs::read_to_string(&self.exit)
            .ok()
            .filter(|s| s.ends_with('\n'))
            .map(|s| s.trim().to_owned())
    }

    /// Wait for labnote to end; its exit status.
    pub fn wait_exit(&self) -> String {
        let start = Instant::now();
        loop {
            if let Some(c) = self.exit_code() {
                return c;
            }
            assert!(
                start.elapsed() < WAIT,
                "labnote did not end; the pane:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .env_remove("TMUX")
            .arg("-S")
            .arg(&self.sock)
            .arg("kill-server")
            .output();
    }
}
