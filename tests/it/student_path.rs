//! Issue 20, the student's path: one "next" for `next`, `walk` and the page (filled alike),
//! and the access-key CSV written outside the course and outside any git work tree.

use std::path::{Path, PathBuf};

use crate::course::Course;
use crate::tmux::Pane;
use crate::web_http::Server;

// ---------------------------------------------------------------------------------------
// one "next"

fn next_at(c: &Course) -> (String, String) {
    let r = c.ok(&["next", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    (
        v["lab"].as_str().unwrap_or_default().to_string(),
        v["id"].as_str().unwrap_or_default().to_string(),
    )
}

/// The bundled course where 2-3 is begun and 2-4, the lab last worked on, is finished: walk
/// offers 2-5 after 2-4; `next` used to show 2-3 (the first unfinished lab).
fn finished_2_4() -> Course {
    let c = Course::empty().with_path().with_bundled_labs();
    c.ok(&["done", "2-3", "1-1"]);
    c.ok(&["done", "2-4", "1", "2", "3", "4", "5"]);
    c
}

#[test]
fn next_walk_and_the_page_agree_after_a_finished_lab() {
    let c = finished_2_4();
    assert_eq!(next_at(&c), ("2-5".to_string(), "1-1".to_string()));
    // The page's next marker: the same step.
    let s = Server::start(&c, &[]);
    let page = s.get("/").body;
    assert!(
        page.contains("data-course-next=\"2-5 1-1\""),
        "the course page marks another step as next:\n{page}"
    );
    drop(s);
    // walk without a lab starts there too.
    let pane = Pane::start(&c, "next-agree", &["walk"], "");
    let t = pane.nth(1, "[q]uit >");
    let bar = crate::walk_pty::lab_bar(&t);
    assert!(bar.contains("2-5"), "walk starts elsewhere: {bar:?}\n{t}");
    assert!(
        crate::walk_pty::last_line_with(&t, "[q]uit >").starts_with("1-1 "),
        "{t}"
    );
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0");
    // walk 2-4 (all done) offers the lab `next` shows.
    let pane = Pane::start(&c, "next-offer", &["walk", "2-4"], "");
    let t = pane.nth(1, "[Y/n]");
    assert!(t.contains("Continue with 2-5 "), "{t}");
    pane.send("n");
    assert_eq!(pane.wait_exit(), "0");
}

const FILLED_LAB: &str = "# 9일차 - Lab 7. 채우기\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< github user>>_ : octocat  \n\n## ✔ 1. 확인\n\n- 아래를 실행한다.\n\n```bash\necho <<github user>> <<YYMMDD>>\n```\n";

#[test]
fn next_fills_placeholders_as_walk_does() {
    let c = Course::empty();
    std::fs::create_dir_all(&c.course).unwrap();
    std::fs::write(c.course.join("fill.md"), FILLED_LAB).unwrap();
    let out = c.ok(&["next"]).stdout;
    assert!(out.contains("echo octocat "), "{out}");
    assert!(!out.contains("<<github user>>"), "{out}");
    assert!(!out.contains("<<YYMMDD>>"), "{out}");
}

// ---------------------------------------------------------------------------------------
// the CSV

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// The bundled course with a key pair noted in 2-4.
fn keyed() -> Course {
    let c = Course::empty().with_bundled_labs();
    c.init();
    c.ok(&[
        "memo",
        "set",
        "2-4",
        "AWS Access key ID",
        "AKIAIOSFODNN7EXAMPLE",
    ]);
    c.memo_set_on_stdin("2-4", "AWS Secret Access key", SECRET);
    c
}

fn home(c: &Course) -> PathBuf {
    c.root.join("home")
}

fn is_csv(p: &Path) -> bool {
    std::fs::read_to_string(p)
        .is_ok_and(|t| t.starts_with("Access key ID,Secret access key\nAKIAIOSFODNN7EXAMPLE,"))
}

#[test]
fn the_csv_goes_to_the_xdg_download_folder() {
    let c = keyed();
    let dl = home(&c).join("내려받기");
    std::fs::create_dir_all(&dl).unwrap();
    std::fs::create_dir_all(home(&c).join("Downloads")).unwrap();
    std::fs::create_dir_all(c.root.join("xdg")).unwrap();
    std::fs::write(
        c.root.join("xdg/user-dirs.dirs"),
        "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOWNLOAD_DIR=\"$HOME/내려받기\"\n",
    )
    .unwrap();
    let r = c.ok(&["export-csv"]);
    assert!(is_csv(&dl.join("accessKeys.csv")), "{}", r.text());
    assert!(r.stderr.contains(&dl.display().to_string()), "{}", r.text());
    assert!(!r.stdout.contains(SECRET) && !r.stderr.contains(SECRET));
}

#[test]
fn the_csv_goes_to_downloads_else_home() {
    let c = keyed();
    // No Downloads folder: the home folder.
    c.ok(&["export-csv"]);
    assert!(is_csv(&home(&c).join("accessKeys.csv")));
    // ~/Downloads once there is one.
    std::fs::create_dir_all(home(&c).join("Downloads")).unwrap();
    c.ok(&["export-csv"]);
    assert!(is_csv(&home(&c).join("Downloads/accessKeys.csv")));
    // Nothing in the course.
    assert!(!c.course.join("accessKeys.csv").exists());
}

#[test]
fn the_csv_is_refused_inside_the_course_unless_forced() {
    let c = keyed();
    let inside = c.course.join("day2/key.csv");
    let out = inside.display().to_string();
    let r = c.run(&["export-csv", "--out", &out]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains(&out), "{}", r.text());
    assert!(
        r.stderr.contains("inside the course folder"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("--force"), "{}", r.text());
    assert!(!inside.exists());
    // A relative path from the course folder (where the command runs) is inside too.
    let r = c.run(&["export-csv", "--out", "key.csv"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(!c.course.join("key.csv").exists());
    // --force writes it anyway.
    c.ok(&["export-csv", "--out", &out, "--force"]);
    assert!(is_csv(&inside));
}

#[test]
fn the_csv_is_refused_inside_a_git_work_tree_unless_forced() {
    let c = keyed();
    let repo = c.root.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("sub/deeper")).unwrap();
    let inside = repo.join("sub/deeper/key.csv");
    let out = inside.display().to_string();
    let r = c.run(&["export-csv", "--out", &out]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains(&out), "{}", r.text());
    assert!(
        r.stderr
            .contains(&format!("inside the git work tree {}", repo.display())),
        "{}",
        r.text()
    );
    assert!(!inside.exists());
    c.ok(&["export-csv", "--out", &out, "--force"]);
    assert!(is_csv(&inside));
    // Outside any tree and the course: written.
    let free = c.root.join("free.csv");
    c.ok(&["export-csv", "--out", &free.display().to_string()]);
    assert!(is_csv(&free));
}

#[test]
fn the_csv_refusal_is_korean_under_a_korean_locale() {
    let mut c = keyed();
    c.set_env("LANG", "ko_KR.UTF-8");
    let out = c.course.join("key.csv").display().to_string();
    let r = c.run(&["export-csv", "--out", &out]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("코스 폴더"), "{}", r.text());
}

// ---------------------------------------------------------------------------------------
// walk's small items

/// Type `text` into the pane without Enter.
fn press(pane: &Pane, text: &str) {
    pane.tmux(&["send-keys", "-t", "p", "-l", text]);
}

/// Wait until `ok` holds for the pane's text; the text.
fn until(pane: &Pane, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        let t = pane.text();
        if ok(&t) {
            return t;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "never saw {what}:\n{t}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn walk_takes_single_keys_without_enter() {
    let c = Course::empty().with_path().with_bundled_labs();
    let pane = Pane::start(&c, "keys", &["walk", "2-3"], "");
    pane.nth(1, "[q]uit >");
    // `s` alone: on to 1-2.
    press(&pane, "s");
    let t = pane.nth(2, "[q]uit >");
    assert!(
        crate::walk_pty::last_line_with(&t, "[q]uit >").starts_with("1-2 "),
        "{t}"
    );
    // `d` alone: 1-2 is checked, on to 1-3.
    press(&pane, "d");
    let t = pane.nth(3, "[q]uit >");
    assert!(
        crate::walk_pty::last_line_with(&t, "[q]uit >").starts_with("1-3 "),
        "{t}"
    );
    let steps = c.ok(&["steps", "2-3", "--json"]).stdout;
    assert!(
        steps.contains("\"id\":\"1-2\"") || steps.contains("\"id\": \"1-2\""),
        "{steps}"
    );
    let log = c.ok(&["log", "--json"]).stdout;
    assert!(log.contains("\"1-2\""), "{log}");
    // An Enter alone is passed over; a key with Enter (the old way) still works.
    pane.send("");
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(
        pane.text().matches("[q]uit >").count(),
        3,
        "{}",
        pane.text()
    );
    pane.send("b");
    let t = pane.nth(4, "[q]uit >");
    assert!(
        crate::walk_pty::last_line_with(&t, "[q]uit >").starts_with("1-2 "),
        "{t}"
    );
    // `q` alone ends the walk.
    press(&pane, "q");
    assert_eq!(pane.wait_exit(), "0");
    println!("the screen:\n{}", pane.text());
}

#[test]
fn walk_shows_a_sections_intro_with_its_first_step() {
    let c = Course::empty().with_path().with_bundled_labs();
    let pane = Pane::start(&c, "intro", &["walk", "2-3"], "");
    let t = pane.nth(1, "[q]uit >");
    let intro = t
        .find("실습에서 사용할 값을 위의 메모사항에 적어 둔다")
        .unwrap_or_else(|| panic!("no intro of section 1:\n{t}"));
    let step = t.find("[1-1] GitHub 계정 만들기").expect("the step");
    assert!(intro < step, "{t}");
    // The second sub-step does not repeat it.
    press(&pane, "s");
    let t = pane.nth(2, "[q]uit >");
    let after = &t[t.rfind("[1-2]").expect("step 1-2")..];
    assert!(!after.contains("위의 메모사항에 적어 둔다"), "{t}");
    press(&pane, "q");
    assert_eq!(pane.wait_exit(), "0");
    // `next` shows it the same way.
    let next = c.ok(&["next", "2-3"]).stdout;
    assert!(next.contains("위의 메모사항에 적어 둔다"), "{next}");
}

#[test]
fn walk_says_r_creates_a_real_key_in_the_account_it_names() {
    let mut c = Course::empty().with_path().with_bundled_labs();
    c.set_env("AWS_PROFILE", "student-lab");
    c.ok(&["done", "2-4", "1", "2", "3"]);
    let pane = Pane::start(&c, "keystep", &["walk", "2-4"], "");
    let t = pane.nth(1, "[q]uit >");
    assert!(
        t.contains("`r` creates a real access key in AWS"),
        "no warning at the key step:\n{t}"
    );
    assert!(t.contains("student-lab"), "the profile is not named:\n{t}");
    press(&pane, "q");
    assert_eq!(pane.wait_exit(), "0");
}

#[test]
fn walks_first_screen_is_korean_under_a_korean_locale() {
    let mut c = Course::empty().with_path().with_bundled_labs();
    c.set_env("LANG", "ko_KR.UTF-8");
    c.ok(&["done", "2-4", "1", "2", "3"]);
    let lab = crate::i18n::lab_words();
    for (name, args) in [
        ("ko-first", &["walk"][..]),
        ("ko-key", &["walk", "2-4"][..]),
    ] {
        let pane = Pane::start(&c, name, args, "");
        let t = until(&pane, "the prompt", |t| t.contains(" > "));
        let english: Vec<String> = t
            .lines()
            .flat_map(|l| crate::i18n::english_in(l, &lab))
            .collect();
        assert!(english.is_empty(), "{english:?} on:\n{t}");
        press(&pane, "q");
        assert_eq!(pane.wait_exit(), "0");
    }
}
