//! `labnote copy` in a real tmux pane with `set-clipboard on`: the secret lands in tmux's
//! buffer, and the pane shows nothing of it.

use crate::course;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use course::Course;

const LAB_FILE: &str = "ref-2-4-access-key.md";

fn tmux(sock: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .env_remove("TMUX")
        .arg("-S")
        .arg(sock)
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

/// Note `value` as the lab's secret key through stdin.
fn note_secret(c: &Course, value: &str) {
    let mut child = c
        .cmd(&["memo", "set", "2-4", "AWS Secret Access key", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{value}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn copy_in_tmux_fills_the_buffer_and_prints_nothing_of_the_secret() {
    let c = Course::empty().with_path().with_fixture_files(&[LAB_FILE]);
    c.init();
    let secret = format!("wJalrXUtnFEMI/K7MDENG+{}", std::process::id());
    note_secret(&c, &secret);

    let sock = c.root.join("tmux.sock");
    let conf = c.root.join("tmux.conf");
    std::fs::write(&conf, "set -g set-clipboard on\nset -g remain-on-exit on\n").unwrap();
    let exit = c.root.join("copy-exit");
    let q = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = String::from("env -i TERM=\"$TERM\" TMUX=\"$TMUX\" PATH=\"$PATH\"");
    for (k, v) in &c.env {
        line.push_str(&format!(" {k}={}", q(v)));
    }
    line.push_str(&format!(
        " {} --course {} copy '\"<<발급받은 AWS Secret Access key>>\"'; echo \"$?\" > {}",
        q(course::BIN),
        q(&c.course.display().to_string()),
        q(&exit.display().to_string())
    ));
    let script = c.root.join("copy.sh");
    std::fs::write(&script, format!("#!/bin/sh\n{line}\n")).unwrap();
    tmux(
        &sock,
        &[
            "-f",
            conf.to_str().unwrap(),
            "new-session",
            "-d",
            "-s",
            "c",
            "-x",
            "100",
            "-y",
            "20",
            "-c",
            c.root.to_str().unwrap(),
            &format!("sh {}", q(&script.display().to_string())),
        ],
    );

    let start = Instant::now();
    while !std::fs::read_to_string(&exit).is_ok_and(|s| s.ends_with('\n')) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "copy did not end:\n{}",
            tmux(&sock, &["capture-pane", "-p", "-t", "c"])
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let pane = tmux(
        &sock,
        &["capture-pane", "-p", "-J", "-t", "c", "-S", "-", "-E", "-"],
    );
    let buffer = tmux(&sock, &["show-buffer"]);
    let _ = tmux(&sock, &["kill-server"]);

    assert_eq!(
        std::fs::read_to_string(&exit).unwrap().trim(),
        "0",
        "{pane}"
    );
    assert_eq!(buffer, secret, "tmux's buffer");
    assert!(
        pane.contains("copied the secret value «AWS Secret Access key» of lab 2-4"),
        "{pane}"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&secret);
    let tail = &secret[secret.len() - 8..];
    assert!(
        !pane.contains(tail) && !pane.contains(&b64[..12]),
        "the pane shows the secret:\n{pane}"
    );
}

#[test]
fn copy_of_an_unknown_name_names_the_closest_key_and_changes_nothing() {
    let c = Course::empty().with_path().with_fixture_files(&[LAB_FILE]);
    let r = c.run(&["copy", "<<AWS Secret Acess kee>>"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("no value is noted"), "{}", r.text());
    assert!(r.stdout.is_empty());
}
