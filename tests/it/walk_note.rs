//! `walk` at a note point (issue 11, item 5), on a real terminal (tmux, see `tmux.rs`): the
//! walk says what the step asks to note and where the course uses it, `m`emo offers those
//! values first, a typed value makes the later placeholder resolve, a secret is read
//! without echo and never lands anywhere in plaintext, and a secret noted before any age
//! identity exists gets one.
//!
//! The course: `tests/fixtures/walknote/` (labs 7-1 and 7-2; see the fixtures' README), and
//! `notes/day3/lab2-eks.md` for the issue's own example line.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::course::{copy_dir, fixture_path, Course};
use crate::tmux::Pane;

const PROMPT_END: &str = "[q]uit >";
const URL: &str = "https://7F3A.gr7.ap-northeast-2.eks.amazonaws.com";

/// A course of labs 7-1 (asks for an API server URL at 1-2 and a token at 2-1, no memo
/// block) and 7-2 (uses both, CRLF).
fn walknote_course() -> Course {
    let c = Course::empty();
    copy_dir(&fixture_path("walknote"), &c.course);
    c
}

fn walk(c: &Course, lab: &str) -> Pane {
    Pane::start(c, &format!("walk-{lab}"), &["walk", lab], "")
}

/// Wait for the `n`th walk prompt and check that it is step `id`'s.
fn prompt(p: &Pane, n: usize, id: &str) -> String {
    let t = p.nth(n, PROMPT_END);
    let line = t.lines().rev().find(|l| l.contains(PROMPT_END)).unwrap();
    assert!(
        line.starts_with(&format!("{id} ")),
        "prompt #{n} is not {id}'s:\n{t}"
    );
    assert_eq!(t.matches(PROMPT_END).count(), n, "extra prompts:\n{t}");
    t
}

/// `m`emo at the walk prompt: the pane once the `n`th menu is on it.
fn menu(p: &Pane, n: usize) -> String {
    p.send("m");
    p.nth(n, "which entry?")
}

/// Answer the menu with `entry`, then `value` at the `k`th value prompt `asks`.
fn answer(p: &Pane, entry: &str, (asks, k): (&str, usize), value: &str) {
    p.send(entry);
    p.nth(k, asks);
    p.send(value);
}

/// Every file under `dir` (any depth) whose bytes contain `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return found;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            found.extend(files_holding(&p, needle));
        } else if let Ok(b) = std::fs::read(&p) {
            if b.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(p.display().to_string());
            }
        }
    }
    found
}

fn placeholder<'a>(list: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no placeholder {name}: {list:?}"))
}

fn placeholders(c: &Course, lab: &str) -> Vec<serde_json::Value> {
    let r = c.ok(&["placeholders", lab, "--json"]);
    serde_json::from_str(&r.stdout).expect(&r.stdout)
}

#[test]
fn at_the_note_point_the_wanted_names_are_shown_and_noting_one_resolves_the_later_lab() {
    let c = walknote_course();
    assert_eq!(
        placeholder(&placeholders(&c, "7-2"), "메모한 API 서버 URL")["resolved"],
        false
    );
    let p = walk(&c, "7-1");
    let t = prompt(&p, 1, "1-1");
    assert!(
        !t.contains("asks you to note"),
        "1-1 asks for nothing:\n{t}"
    );
    p.send("d");
    let t = prompt(&p, 2, "1-2");
    assert!(
        t.contains("📝 7-1 1-2 asks you to note: API 서버 URL — used in 7-2 1"),
        "{t}"
    );
    // Under the step, before the prompt.
    let (step, announce) = (
        t.rfind("[1-2] API 서버 주소 확인").unwrap(),
        t.rfind("📝").unwrap(),
    );
    assert!(
        step < announce && announce < t.rfind(PROMPT_END).unwrap(),
        "{t}"
    );

    let t = menu(&p, 1);
    let shown = &t[t.rfind("this step asks for:").expect(&t)..];
    // The step's value first, then the rest of the course (this lab's first), then a new name.
    let a = shown.find("1. API 서버 URL (empty)").expect(shown);
    let b = shown.find("still needed by the course:").expect(shown);
    let tok = shown.find("2. 배포 token (empty) 🔒").expect(shown);
    let other = shown.find("3. pipeline_name (empty) — 7-2").expect(shown);
    let new = shown.find("4. a new name").expect(shown);
    assert!(a < b && b < tok && tok < other && other < new, "{shown}");
    answer(&p, "1", ("API 서버 URL: ", 1), URL);
    let t = prompt(&p, 3, "1-2");
    assert!(t.contains("noted 'API 서버 URL' in 7-1"), "{t}");
    // Noted: the announcement says so on the step shown again.
    assert!(t.contains("asks you to note: API 서버 URL ✔"), "{t}");

    // A new name (never a silent cancel), with a value of several lines kept byte for byte.
    menu(&p, 2);
    answer(&p, "aws_auth_roles", ("aws_auth_roles: ", 1), "\"\"\"");
    for line in [
        "- rolearn: arn:aws:iam::111122223333:role/a",
        "  groups:",
        "    - system:nodes",
    ] {
        // `--`: a line may start with `-` (tmux's `send` would read it as a flag).
        p.tmux(&["send-keys", "-t", "p", "-l", "--", line]);
        p.send("");
    }
    p.send("");
    let t = prompt(&p, 4, "1-2");
    assert!(t.contains("noted 'aws_auth_roles' in 7-1"), "{t}");
    p.send("q");
    assert_eq!(p.wait_exit(), "0");

    let list = placeholders(&c, "7-2");
    let url = placeholder(&list, "메모한 API 서버 URL");
    assert_eq!(url["resolved"], true, "{url}");
    assert_eq!(url["lab"], "7-1", "{url}");
    let shown = c.ok(&["show", "7-2", "--fill"]).stdout;
    assert!(shown.contains(&format!("--server \"{URL}\"")), "{shown}");
    assert!(!shown.contains("<<메모한 API 서버 URL>>"), "{shown}");
    assert_eq!(c.memo_get("7-1", "메모한 API 서버 URL"), URL);
    assert_eq!(
        c.memo_get("7-1", "aws_auth_roles"),
        "- rolearn: arn:aws:iam::111122223333:role/a\n  groups:\n    - system:nodes"
    );
    // The lab without a memo block got one, holding both.
    let lab = c.lab_text("day7/lab1-cluster.md");
    assert!(lab.contains("📌 [실습 중 메모사항]"), "{lab}");
    assert!(lab.contains(URL), "{lab}");
}

#[test]
fn a_secret_typed_at_the_note_point_is_hidden_and_its_identity_is_made_when_missing() {
    let c = walknote_course();
    let identity = c.root.join("xdg/labnote/identity.txt");
    assert!(!identity.exists());
    let token = format!("eyJhbGciOiJSUzI1NiJ9.walk-note-{}", std::process::id());
    let p = walk(&c, "7-1");
    prompt(&p, 1, "1-1");
    p.send("s");
    prompt(&p, 2, "1-2");
    p.send("s");
    let t = prompt(&p, 3, "2-1");
    assert!(
        t.contains("📝 7-1 2-1 asks you to note: 배포 token — used in 7-2 1"),
        "{t}"
    );
    let t = menu(&p, 1);
    assert!(t.contains("1. 배포 token (empty) 🔒"), "{t}");
    answer(&p, "1", ("배포 token (hidden): ", 1), &token);
    let t = prompt(&p, 4, "2-1");
    assert!(
        t.contains("no age identity yet to encrypt '배포 token'"),
        "{t}"
    );
    assert!(
        t.contains(&format!("created {} (mode 0600)", identity.display())),
        "{t}"
    );
    assert!(t.contains("noted '배포 token' in 7-1"), "{t}");
    assert!(!t.contains(&token), "the secret on the terminal:\n{t}");
    assert!(
        !t.contains("walk-note-"),
        "part of the secret on the terminal:\n{t}"
    );
    p.send("q");
    assert_eq!(p.wait_exit(), "0");

    let mode = std::fs::metadata(&identity).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", identity.display());
    // Nowhere in plaintext: the labs, .labnote/ (the journal), the home and config folders.
    assert_eq!(files_holding(&c.root, &token), Vec::<String>::new());
    assert!(c.journal_text().contains("key: 배포 token"));
    let lab = c.lab_text("day7/lab1-cluster.md");
    assert!(lab.contains("_<< 배포 token>>_ : `age:"), "{lab}");
    // Stored encrypted, readable back, and the later lab's placeholder resolves to it.
    assert_eq!(c.memo_get("7-1", "배포 token"), token);
    let list = placeholders(&c, "7-2");
    let tok = placeholder(&list, "메모한 배포 token");
    assert_eq!(
        (tok["resolved"].clone(), tok["secret"].clone()),
        (true.into(), true.into()),
        "{tok}"
    );
    let shown = c.ok(&["show", "7-2", "--fill"]).stdout;
    assert!(!shown.contains(&token) && shown.contains("••••"), "{shown}");
}

#[test]
fn the_issues_example_and_answers_that_note_nothing_say_so() {
    let c = Course::empty().with_fixture_files(&["notes/day3/lab2-eks.md"]);
    let p = walk(&c, "3-2");
    let t = prompt(&p, 1, "4-1");
    assert!(
        t.contains(
            "3-2 4-1 asks you to note: Cluster URL, Certificate Authority Data — used in 3-2 6-4"
        ),
        "{t}"
    );
    let t = menu(&p, 1);
    assert!(t.contains("1. Cluster URL (empty)"), "{t}");
    assert!(t.contains("2. Certificate Authority Data (empty)"), "{t}");
    p.send("");
    let t = prompt(&p, 2, "4-1");
    assert_eq!(t.matches("nothing noted").count(), 1, "{t}");
    menu(&p, 2);
    p.send("42");
    let t = prompt(&p, 3, "4-1");
    assert!(t.contains("there is no entry 42"), "{t}");
    // The "a new name" line, then an empty name.
    let t = menu(&p, 3);
    let last = t
        .lines()
        .rev()
        .find(|l| l.contains(". a new name"))
        .expect(&t)
        .trim()
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    answer(&p, &last, ("name of the new value", 1), "");
    let t = prompt(&p, 4, "4-1");
    assert_eq!(t.matches("nothing noted").count(), 3, "{t}");
    // A blank value is refused by `memo set`'s own rule; nothing was written.
    menu(&p, 4);
    answer(&p, "1", ("Cluster URL: ", 1), "   ");
    let t = prompt(&p, 5, "4-1");
    assert!(
        t.contains("no value given for 'Cluster URL' (nothing was changed)"),
        "{t}"
    );
    p.send("q");
    assert_eq!(p.wait_exit(), "0");
    assert_eq!(
        c.lab_bytes("lab2-eks.md"),
        std::fs::read(fixture_path("notes/day3/lab2-eks.md")).unwrap()
    );
    assert!(
        !c.course.join(".labnote/journal.yaml").exists() || !c.journal_text().contains("memo-set")
    );
}

/// A JWT-shaped value (three base64url parts): a credential whatever its name.
fn jwt(tag: &str) -> String {
    format!(
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YWxr{tag}{}In0.c2lnbmF0dXJlLXdmaXgtdGVzdA",
        std::process::id()
    )
}

/// Review finding 6: from the walk of 7-2, values noted into 7-1 (the lab the course asks
/// them in) are filled into the step on screen at once, and a secret is masked there.
#[test]
fn a_value_noted_into_another_lab_is_filled_and_masked_on_the_next_screen() {
    let c = walknote_course();
    c.init();
    let token = format!("deploy-token-wfix-{}", std::process::id());
    let p = walk(&c, "7-2");
    let t = prompt(&p, 1, "1");
    assert!(t.contains("<<메모한 API 서버 URL>>"), "{t}");
    let t = menu(&p, 1);
    assert!(t.contains("API 서버 URL (empty) — 7-1"), "{t}");
    let n = |t: &str, what: &str| -> String {
        let line = t.lines().rev().find(|l| l.contains(what)).expect(t);
        line.trim().split('.').next().unwrap().to_owned()
    };
    answer(
        &p,
        &n(&t, "API 서버 URL (empty)"),
        ("API 서버 URL: ", 1),
        URL,
    );
    let t = prompt(&p, 2, "1");
    assert!(t.contains("noted 'API 서버 URL' in 7-1"), "{t}");
    let after = &t[t.rfind("noted 'API 서버 URL'").unwrap()..];
    assert!(
        after.contains(&format!("--server \"{URL}\"")),
        "not filled on the next screen:\n{after}"
    );
    assert!(!after.contains("<<메모한 API 서버 URL>>"), "{after}");

    let t = menu(&p, 2);
    answer(
        &p,
        &n(&t, "배포 token (empty)"),
        ("배포 token (hidden): ", 1),
        &token,
    );
    let t = prompt(&p, 3, "1");
    let after = &t[t.rfind("noted '배포 token'").expect(&t)..];
    assert!(!t.contains(&token), "the secret on the terminal:\n{t}");
    assert!(!after.contains("<<메모한 배포 token >>"), "{after}");
    assert!(after.contains("••••"), "not masked:\n{after}");
    p.send("q");
    assert_eq!(p.wait_exit(), "0");
    assert_eq!(c.memo_get("7-1", "배포 token"), token);
    assert_eq!(files_holding(&c.root, &token), Vec::<String>::new());
}

/// Review finding 8: a credential-shaped value under a plain name is a secret for `m` as
/// for `memo set` (and the offer): stored encrypted, in no file in plaintext.
#[test]
fn a_jwt_under_a_plain_name_is_stored_encrypted_by_walk_m_and_memo_set() {
    let c = walknote_course();
    let by_walk = jwt("bWVtbw");
    let p = walk(&c, "7-1");
    prompt(&p, 1, "1-1");
    menu(&p, 1);
    answer(&p, "session_value", ("session_value: ", 1), &by_walk);
    let t = prompt(&p, 2, "1-1");
    assert!(t.contains("no age identity yet to encrypt"), "{t}");
    assert!(t.contains("noted 'session_value' in 7-1"), "{t}");
    p.send("q");
    assert_eq!(p.wait_exit(), "0");
    let lab = c.lab_text("day7/lab1-cluster.md");
    assert!(lab.contains("session_value>>_ : `age:"), "{lab}");
    assert_eq!(files_holding(&c.root, &by_walk), Vec::<String>::new());
    assert_eq!(c.memo_get("7-1", "session_value"), by_walk);

    let by_set = jwt("c2V0");
    c.ok(&["memo", "set", "7-2", "pipeline_name", &by_set]);
    let lab = c.lab_text("day7/lab2-pipeline.md");
    assert!(lab.contains("pipeline_name>>** : `age:"), "{lab}");
    assert_eq!(files_holding(&c.root, &by_set), Vec::<String>::new());
    assert_eq!(c.memo_get("7-2", "pipeline_name"), by_set);
    let set = c.events("memo-set");
    assert!(
        set.iter().all(|r| r["details"]["secret"] == true),
        "{set:?}"
    );
}
