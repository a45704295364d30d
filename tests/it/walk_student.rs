//! `walk` as a student uses it, in a real tmux pane (tests/it/tmux.rs): prompts edited with
//! the arrow keys, the walk resuming the lab last worked on, the next lab offered in the same
//! shell, `c` copying a value into tmux's buffer without showing it, `e` opening `<details>`,
//! `o` opening an image (or saying it is missing), and the access-key step confirmed first
//! (on moto).
//!
//! The labs are `tests/fixtures/walk/walk-a.md` (9-1: a block that `cd`s and exports, a memo
//! with a host and a token) and `walk-b.md` (9-2, CRLF: a block that records where it runs;
//! a step with the two values in an input table, two images and a `<details>`), or the
//! bundled course.

use std::path::Path;

use crate::course::Course;
use crate::moto::{block_on, key_ids, unique_name, Moto};
use crate::tmux::Pane;
use crate::walk_pty::{lab_bar, last_line_with};

const PROMPT_END: &str = "[q]uit >";
const WALK_LABS: &[&str] = &["walk/walk-a.md", "walk/walk-b.md"];

/// The walk prompt line (the last one on the screen).
fn prompt_line(t: &str) -> &str {
    last_line_with(t, PROMPT_END)
}

/// The `n`th walk prompt; its line must be step `id`'s.
fn prompt(pane: &Pane, n: usize, id: &str) -> String {
    let t = pane.nth(n, PROMPT_END);
    assert_eq!(t.matches(PROMPT_END).count(), n, "extra prompts:\n{t}");
    assert!(
        prompt_line(&t).starts_with(&format!("{id} ")),
        "prompt #{n} is not step {id}'s: {:?}\n{t}",
        prompt_line(&t)
    );
    t
}

/// Keys as tmux names them (`Left`, `Up`, `C-u`).
fn keys(pane: &Pane, keys: &[&str]) {
    let mut args = vec!["send-keys", "-t", "p"];
    args.extend_from_slice(keys);
    pane.tmux(&args);
}

/// Text typed without Enter.
fn type_text(pane: &Pane, text: &str) {
    pane.tmux(&["send-keys", "-t", "p", "-l", text]);
}

/// Wait until the screen satisfies `pred` (the prompt being edited, say).
fn screen_until(pane: &Pane, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        let t = pane.text();
        if pred(&t) {
            return t;
        }
        assert!(
            start.elapsed() < crate::tmux::WAIT,
            "waited for {what}; the pane:\n{t}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn walk_course() -> Course {
    Course::empty().with_path().with_fixture_files(WALK_LABS)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn arrow_keys_edit_a_prompt_and_up_recalls_an_earlier_answer() {
    let c = Course::empty().with_path().with_bundled_labs();
    c.init();
    let pane = Pane::start(&c, "edit", &["walk", "2-3"], "");
    prompt(&pane, 1, "1-1");
    pane.send("m");
    pane.nth(1, "which entry?");
    pane.send("1");
    pane.nth(1, "github_username:");
    // `abd`, Left, `c`: the cursor moved back one letter, the value is `abcd`.
    type_text(&pane, "abd");
    keys(&pane, &["Left"]);
    type_text(&pane, "c");
    screen_until(&pane, "the edited line", |t| {
        t.lines().any(|l| l.ends_with("github_username: abcd"))
    });
    pane.send("");
    let t = prompt(&pane, 2, "1-1");
    assert!(t.contains("noted 'github_username'"), "{t}");
    assert_eq!(c.memo_get("2-3", "github_username"), "abcd");
    assert!(!t.contains("^[["), "an escape sequence as text:\n{t}");

    // Up at the next line prompt brings back the last answer, Ctrl-U clears it again (the
    // step's menu takes single keys since issue 20: no line to edit there).
    pane.send("m");
    pane.nth(2, "which entry?");
    keys(&pane, &["Up"]);
    screen_until(&pane, "the recalled answer", |t| {
        last_line_with(t, "which entry?").ends_with("> abcd")
    });
    keys(&pane, &["C-u"]);
    pane.send("");
    prompt(&pane, 3, "1-1");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
}

#[test]
fn walk_and_next_without_a_lab_resume_the_lab_last_worked_on() {
    let c = Course::empty().with_path().with_bundled_labs();
    c.ok(&["done", "2-3", "1-1"]);
    c.ok(&["done", "2-5", "1-1"]);
    let pane = Pane::start(&c, "resume", &["walk"], "");
    let t = prompt(&pane, 1, "1-2");
    let bar = lab_bar(&t);
    assert!(bar.contains("2-5"), "not lab 2-5: {bar:?}\n{t}");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");

    let next = |want_lab: &str, want_step: &str| {
        let r = c.ok(&["next", "--json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
        assert_eq!(
            (v["lab"].as_str(), v["id"].as_str()),
            (Some(want_lab), Some(want_step)),
            "{}",
            r.text()
        );
    };
    next("2-5", "1-2");
    // Back to 2-3: that is now the lab last worked on.
    c.ok(&["done", "2-3", "1-2"]);
    next("2-3", "1-3");
    // A lab finished last gives the first lab with a step left.
    let steps: Vec<String> = c
        .steps("2-3")
        .iter()
        .filter(|s| s["checkable"] == true)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let mut args = vec!["done", "2-3"];
    args.extend(steps.iter().map(String::as_str));
    c.ok(&args);
    next("2-4", "1");
}

#[test]
fn after_the_last_step_the_next_lab_is_offered_and_goes_on_in_the_same_shell() {
    let c = walk_course();
    let home = c.root.join("home");
    let pane = Pane::start(&c, "nextlab", &["walk", "9-1"], "");
    prompt(&pane, 1, "1");
    pane.send("r");
    pane.confirm_block(1);
    let t = pane.nth(1, "Continue with 9-2 같은 셸에서 계속하기? [Y/n]");
    assert!(
        t.contains("🎉 lab 9-1 이어지는 셸 준비 is complete."),
        "{t}"
    );
    pane.send("");
    let t = prompt(&pane, 2, "1");
    let bar = lab_bar(&t);
    assert!(bar.contains("9-2"), "{bar:?}\n{t}");
    pane.send("r");
    pane.confirm_block(2);
    prompt(&pane, 3, "2");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());

    // Lab 9-2's block ran in the shell lab 9-1 left: in its folder, with its export.
    let dir = home.join("walkdir");
    assert_eq!(read(&dir.join("where.txt")), format!("{}\n", dir.display()));
    assert_eq!(read(&dir.join("mark.txt")), "carried\n");
    assert!(!c.course.join("where.txt").exists());
}

#[test]
fn the_last_lab_offers_no_next_and_skipping_past_the_end_is_not_complete() {
    let c = walk_course();
    c.ok(&["done", "9-1", "1"]);
    let pane = Pane::start(&c, "decline", &["walk", "9-2"], "");
    let t = prompt(&pane, 1, "1");
    // 9-2 has no memo block, yet a value can be noted at every step; no `<details>` and no
    // image in step 1: no [e] and no [o].
    let line = prompt_line(&t);
    assert!(line.contains("[m]emo"), "{line}");
    assert!(!line.contains("[e]") && !line.contains("[o]"), "{line}");
    pane.send("d");
    prompt(&pane, 2, "2");
    pane.send("d");
    // 9-2 is the last lab: nothing is offered, the walk ends.
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    let t = pane.text();
    assert!(
        t.contains("🎉 lab 9-2 같은 셸에서 계속하기 is complete."),
        "{t}"
    );
    assert!(!t.contains("Continue with"), "{t}");

    c.ok(&["undo", "9-1", "1"]);
    let pane = Pane::start(&c, "decline2", &["walk", "9-1"], "");
    prompt(&pane, 1, "1");
    pane.send("s");
    // Skipped past the end: 9-1 is not complete, and 9-2 has nothing left either.
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert!(pane.text().contains("1 of 1 steps still open"));
}

#[test]
fn c_copies_a_value_of_the_step_into_tmux_buffer_and_never_shows_it() {
    let c = walk_course();
    c.init();
    c.ok(&["memo", "set", "9-1", "walk_host", "10.1.2.3"]);
    let secret = format!("tok-{}-Zq9xW", std::process::id());
    c.memo_set_on_stdin("9-1", "walk_token", &secret);
    c.ok(&["done", "9-2", "1"]);
    let pane = Pane::start(&c, "copy", &["walk", "9-2"], "set -g set-clipboard on");
    let t = prompt(&pane, 1, "2");
    assert!(prompt_line(&t).contains("[c]opy"), "{t}");
    pane.send("c");
    let t = pane.nth(1, "copy which?");
    assert!(t.contains("1. walk_host  = 10.1.2.3"), "{t}");
    assert!(t.contains("2. 메모한 walk_token  •••• (secret)"), "{t}");
    pane.send("2");
    let t = pane.nth(1, "copied «메모한 walk_token» to: tmux buffer");
    prompt(&pane, 2, "2");
    assert_eq!(pane.tmux(&["show-buffer"]), secret, "tmux's buffer");
    // The plain one too.
    pane.send("c");
    pane.nth(2, "copy which?");
    pane.send("1");
    pane.nth(1, "copied «walk_host»");
    assert_eq!(pane.tmux(&["show-buffer"]), "10.1.2.3");
    prompt(&pane, 3, "2");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
    let t2 = pane.text();
    for screen in [&t, &t2] {
        assert!(
            !screen.contains(&secret[4..]),
            "the secret on screen:\n{screen}"
        );
    }
    assert!(!c.journal_text().contains(&secret[4..]));
}

#[test]
fn e_opens_the_details_and_o_opens_an_image_or_says_it_is_missing() {
    let mut c = walk_course();
    c.ok(&["done", "9-1", "1"]);
    c.ok(&["done", "9-2", "1"]);
    std::fs::create_dir_all(c.course.join("images")).unwrap();
    std::fs::write(c.course.join("images/walk-there.png"), b"\x89PNG\r\n").unwrap();
    // The system viewer: a stand-in that notes what it was asked to open.
    let bin = c.root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = c.root.join("opened.txt");
    let viewer = bin.join("xdg-open");
    std::fs::write(
        &viewer,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n",
            opened.display()
        ),
    )
    .unwrap();
    let mut perm = std::fs::metadata(&viewer).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&viewer, perm).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    c.set_env("PATH", &path);

    let pane = Pane::start(&c, "eo", &["walk", "9-2"], "");
    let t = prompt(&pane, 1, "2");
    let hidden = "접힌 설명 안에서만 보이는";
    assert!(!t.contains(hidden), "{t}");
    assert!(t.contains("토큰을 다시 확인하는 방법"), "no summary:\n{t}");
    let line = prompt_line(&t).to_owned();
    assert!(
        line.contains("[e]xpand") && line.contains("[o]pen image") && line.contains("[m]emo"),
        "{line}"
    );

    pane.send("e");
    let t = prompt(&pane, 2, "2");
    assert!(t.contains(hidden), "the details stay folded:\n{t}");
    assert!(
        t.contains("▾ 😎 [참고 - 펼치기👇] 토큰을 다시 확인하는 방법"),
        "{t}"
    );
    assert!(prompt_line(&t).contains("[e] fold"), "{t}");

    pane.send("o");
    let t = pane.nth(1, "open which?");
    assert!(t.contains("1. images/walk-there.png\n"), "{t}");
    assert!(t.contains("2. images/walk-none.png (missing)"), "{t}");
    pane.send("2");
    let missing = c.course.join("images/walk-none.png");
    let t = pane.nth(1, "is missing");
    assert!(
        t.contains(&format!(
            "image images/walk-none.png is missing: {} does not exist",
            missing.display()
        )),
        "{t}"
    );
    assert!(!opened.exists(), "the viewer ran for a missing image");
    prompt(&pane, 3, "2");

    pane.send("o");
    pane.nth(2, "open which?");
    pane.send("1");
    let there = c.course.join("images/walk-there.png");
    pane.nth(1, &format!("opened {} with xdg-open", there.display()));
    assert_eq!(read(&opened), format!("{}\n", there.display()));
    prompt(&pane, 4, "2");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
}

#[test]
fn the_access_key_step_asks_first_shows_the_user_and_a_rerun_says_it_is_done() {
    let c = Course::empty()
        .with_path()
        .with_bundled_labs()
        .with_aws(Moto::get().sdk_env());
    c.init();
    let user = unique_name("wk");
    block_on(Moto::get().create_user(&user));
    c.ok(&["done", "2-4", "1", "2", "3"]);
    let pane = Pane::start(&c, "key", &["walk", "2-4", "--user", &user], "");
    prompt(&pane, 1, "4");

    // No: nothing is created.
    pane.send("r");
    let t = pane.nth(1, "Create the key? [y/N]");
    assert!(t.contains("This creates a real access key in AWS:"), "{t}");
    assert!(t.contains(&format!("IAM user  {user}")), "{t}");
    assert!(t.contains("account   123456789012"), "{t}");
    assert!(t.contains("its keys  none"), "{t}");
    assert!(t.contains("retires   nothing"), "{t}");
    pane.send("n");
    let t = prompt(&pane, 2, "4");
    assert!(
        t.contains(&format!(
            "stopped: no access key was created for {user} and none was retired"
        )),
        "{t}"
    );
    assert!(key_ids(&user).is_empty());

    // Yes: the key is created and saved; the walk shows the `.csv` step next.
    pane.send("r");
    pane.nth(2, "Create the key? [y/N]");
    pane.send("y");
    let t = prompt(&pane, 3, "5 (done)");
    let ids = key_ids(&user);
    assert_eq!(ids.len(), 1, "{t}");
    assert!(
        t.contains("⬇ labnote can write this access key's .csv file for you: [x]"),
        "{t}"
    );
    assert!(prompt_line(&t).contains("[x] .csv"), "{t}");

    // `x`: export-csv at the path given.
    pane.send("x");
    let t = pane.nth(1, "write the .csv to [");
    assert!(t.contains(&format!("{user}_accessKeys.csv]")), "{t}");
    let csv = c.root.join("keys.csv");
    pane.send(&csv.display().to_string());
    pane.nth(1, "(mode 0600)");
    let text = read(&csv);
    assert!(
        text.starts_with(&format!("Access key ID,Secret access key\n{},", ids[0])),
        "{text}"
    );
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&csv).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    prompt(&pane, 4, "5 (done)");

    // Back to step 4: a rerun says it is done and creates nothing.
    pane.send("b");
    prompt(&pane, 5, "4 (done)");
    pane.send("r");
    let t = prompt(&pane, 6, "4 (done)");
    assert!(
        t.contains(&format!(
            "step 4 is done: lab 2-4 holds access key {}; `labnote issue-key 2-4 --rotate` issues a new one",
            ids[0]
        )),
        "{t}"
    );
    assert_eq!(t.matches("Create the key?").count(), 2, "asked again:\n{t}");
    assert_eq!(key_ids(&user), ids);
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
    let secret = c.memo_get("2-4", "AWS Secret Access key");
    assert!(!pane.text().contains(&secret), "the secret on screen");
}

/// The `.csv` step offers `i` beside `x`: the console's `.csv` at the path given goes into
/// the lab's memo through `import-csv`'s use case (the key id and `••••` shown, STS's user).
#[test]
fn the_csv_step_imports_the_consoles_csv_with_i() {
    let c = Course::empty()
        .with_path()
        .with_bundled_labs()
        .with_aws(Moto::get().sdk_env());
    c.init();
    let user = unique_name("wki");
    block_on(Moto::get().create_user(&user));
    let (id, secret) = block_on(Moto::get().create_key(&user));
    let csv = c.root.join("console.csv");
    std::fs::write(
        &csv,
        format!("\u{feff}Access key ID,Secret access key\r\n{id},{secret}\r\n"),
    )
    .unwrap();
    c.ok(&["done", "2-4", "1", "2", "3", "4"]);
    let pane = Pane::start(&c, "csvi", &["walk", "2-4"], "");
    let t = prompt(&pane, 1, "5");
    assert!(prompt_line(&t).contains("[i] import .csv"), "{t}");
    pane.send("i");
    pane.nth(1, "read the .csv from [");
    pane.send(&csv.display().to_string());
    let t = prompt(&pane, 2, "5");
    assert!(t.contains(&format!("{id} ••••")), "{t}");
    assert!(t.contains(&format!("user      {user}")), "{t}");
    assert!(!t.contains(&secret), "the secret on screen");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
    assert_eq!(c.memo_get("2-4", "AWS Secret Access key"), secret);
    assert!(csv.exists(), "walk's import keeps the file");
}
