//! `labnote copy` in a real tmux pane with `set-clipboard on`: the secret lands in tmux's
//! buffer, and the pane shows nothing of it.

use crate::course;
use crate::tmux::Pane;

use base64::Engine;
use course::Course;

const LAB_FILE: &str = "ref-2-4-access-key.md";

#[test]
fn copy_in_tmux_fills_the_buffer_and_prints_nothing_of_the_secret() {
    let c = Course::empty().with_path().with_fixture_files(&[LAB_FILE]);
    c.init();
    let secret = format!("wJalrXUtnFEMI/K7MDENG+{}", std::process::id());
    c.memo_set_on_stdin("2-4", "AWS Secret Access key", &secret);

    let pane = Pane::start(
        &c,
        "copy",
        &["copy", "\"<<발급받은 AWS Secret Access key>>\""],
        "set -g set-clipboard on",
    );
    let code = pane.wait_exit();
    let text = pane.nth(1, "copied");
    let buffer = pane.tmux(&["show-buffer"]);

    assert_eq!(code, "0", "{text}");
    assert_eq!(buffer, secret, "tmux's buffer");
    assert!(
        text.contains("copied the secret value «AWS Secret Access key» of lab 2-4"),
        "{text}"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&secret);
    let tail = &secret[secret.len() - 8..];
    assert!(
        !text.contains(tail) && !text.contains(&b64[..12]),
        "the pane shows the secret:\n{text}"
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
