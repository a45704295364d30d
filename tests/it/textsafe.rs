//! Control characters from a lab never drive the terminal (review findings 1 and 2): a lab
//! whose title, memo key, placeholder and note point hold an OSC 52 sequence (which would set
//! the clipboard) lists, and errs, with no ESC byte in labnote's output; a runnable block
//! whose CR or ESC hides a command is refused before anything runs.
//!
//! The labs are written by the tests (their bytes are the point), in the course's style.

use crate::course::{Course, Run};

/// `ESC ] 52 ; c ; base64("echo PWNED") BEL`: sets the terminal's clipboard.
const OSC52: &str = "\x1b]52;c;ZWNobyBQV05FRA==\x07";
/// The same, as labnote shows it.
const SHOWN: &str = "^[]52;c;ZWNobyBQV05FRA==^G";

/// A lab (1일차 - Lab 1) with OSC 52 in its title, a memo key, a placeholder and a note
/// point; step 1-2's block uses a placeholder named with a C1 CSI (not noted).
fn osc_lab() -> String {
    format!(
        "# 1일차 - Lab 1. 클립보드{OSC52} 실습\r\n\
         \r\n\
         > **📌 [실습 중 메모사항]**\r\n\
         >\r\n\
         > ➕ _<< 서버 주소{OSC52}>>_ :\r\n\
         \r\n\
         ---\r\n\
         \r\n\
         ## ✔ 1. 준비{OSC52}\r\n\
         \r\n\
         ### ✔ 1-1. 값 확인\r\n\
         \r\n\
         출력된 인스턴스{OSC52} ID를 메모합니다.\r\n\
         \r\n\
         접속 주소는 <<서버 주소{OSC52}>> 입니다.\r\n\
         \r\n\
         ### ✔ 1-2. 접속\r\n\
         \r\n\
         ```bash\r\n\
         echo <<대상\u{9b}31m 주소>>\r\n\
         ```\r\n"
    )
}

fn course_with(lab: &str) -> Course {
    let c = Course::empty().with_path();
    std::fs::create_dir_all(&c.course).unwrap();
    std::fs::write(c.course.join("lab1.md"), lab).unwrap();
    c
}

fn assert_no_esc(r: &Run, what: &str) {
    assert_no_esc_byte(r, what);
    // JSON (serde_json escapes C0 controls, not C1) is checked for ESC only.
    if what.contains("--json") {
        return;
    }
    assert!(
        !r.stdout.contains('\u{9b}') && !r.stderr.contains('\u{9b}'),
        "{what}: a C1 CSI reached the terminal:\n{:?}",
        r.text()
    );
}

fn assert_no_esc_byte(r: &Run, what: &str) {
    assert!(
        !r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'),
        "{what}: an ESC byte reached the terminal:\n{:?}",
        r.text()
    );
}

#[test]
fn a_lab_s_osc52_never_reaches_the_terminal() {
    let c = course_with(&osc_lab());
    let listings: [&[&str]; 9] = [
        &["labs"],
        &["steps", "1-1"],
        &["wanted"],
        &["wanted", "--points"],
        &["placeholders", "1-1"],
        &["memo", "list"],
        &["run", "1-1", "1-2", "--list"],
        &["run", "1-1", "1-2", "--list", "--json"],
        &["show", "1-1"],
    ];
    for args in listings {
        let r = c.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.text());
        assert_no_esc(&r, &format!("{args:?}"));
        // The warning names the file and the first line, once per command.
        assert_eq!(
            r.stderr.matches("lab1.md:1:").count(),
            1,
            "{args:?}: {}",
            r.text()
        );
    }
    // What the lab holds is shown as text, not dropped.
    let labs = c.ok(&["labs"]);
    assert!(labs.stdout.contains("클립보드^[]52"), "{}", labs.text());
    let steps = c.ok(&["steps", "1-1"]);
    assert!(
        steps.stdout.contains(&format!("준비{SHOWN}")),
        "{}",
        steps.text()
    );
    let memo = c.ok(&["memo", "list"]);
    assert!(
        memo.stdout.contains(&format!("서버 주소{SHOWN}")),
        "{}",
        memo.text()
    );
    let ph = c.ok(&["placeholders", "1-1"]);
    assert!(
        ph.stdout.contains(&format!("서버 주소{SHOWN}")),
        "{}",
        ph.text()
    );
    let points = c.ok(&["wanted", "--points"]);
    assert!(
        points.stdout.contains(&format!("인스턴스{SHOWN}")),
        "{}",
        points.text()
    );
    // The warning lists every line.
    assert!(
        labs.stderr.contains("lines 1, 5, 9, 13, 15"),
        "{}",
        labs.text()
    );
    // The lab file itself is never changed by reading it.
    assert_eq!(c.lab_text("lab1.md"), osc_lab());
}

#[test]
fn the_run_error_naming_a_placeholder_is_printed_safe() {
    let c = course_with(&osc_lab());
    let r = c.run(&["run", "1-1", "1-2", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert_no_esc(&r, "run 1-1 1-2");
    assert!(
        r.stderr.contains("<<대상<U+009B>31m 주소>>"),
        "{}",
        r.text()
    );
    assert!(c.journal_text().is_empty() || !c.journal_text().contains("1-2"));
}

/// A lab whose step 1-1 block shows one command and runs another: `#` comments out what a
/// CR (or ESC [ 2K) then hides.
fn hidden_lab(hide: &str, target: &std::path::Path) -> String {
    format!(
        "# 1일차 - Lab 1. 숨은 명령\n\
         \n\
         ## ✔ 1. 실행\n\
         \n\
         ### ✔ 1-1. 버전 확인\n\
         \n\
         ```bash\n\
         echo 준비\n\
         touch {} #{hide}aws --version\n\
         ```\n",
        target.display()
    )
}

#[test]
fn a_block_that_hides_its_command_is_refused_and_nothing_runs() {
    for (hide, what) in [("\r", "^M"), ("\r\x1b[K", "^M"), ("\x1b[2K\r", "^[")] {
        let c = Course::empty().with_path();
        std::fs::create_dir_all(&c.course).unwrap();
        let target = c.root.join("PWNED");
        std::fs::write(c.course.join("lab1.md"), hidden_lab(hide, &target)).unwrap();
        let r = c.run(&["run", "1-1", "1-1", "--yes"]);
        assert_eq!(r.code, 1, "{hide:?}: {}", r.text());
        assert!(!target.exists(), "{hide:?}: the hidden command ran");
        assert_no_esc(&r, "run");
        // The error names the file and the line of the hiding character, and what it is.
        assert!(r.stderr.contains("lab1.md:9:"), "{hide:?}: {}", r.text());
        assert!(r.stderr.contains(what), "{hide:?}: {}", r.text());
        assert!(
            r.stderr.contains("nothing was run"),
            "{hide:?}: {}",
            r.text()
        );
        assert!(
            !c.journal_text().contains("outcome"),
            "{hide:?}: journaled {}",
            c.journal_text()
        );
        let steps = c.steps("1-1");
        assert!(
            steps.iter().all(|s| s["done"] != true),
            "{hide:?}: a step was checked: {steps:?}"
        );
    }
}

#[test]
fn a_crlf_block_runs_and_the_confirmation_shows_bidi_controls() {
    let c = Course::empty().with_path();
    std::fs::create_dir_all(&c.course).unwrap();
    let lab = "# 1일차 - Lab 1. 줄 끝\r\n\r\n## ✔ 1. 실행\r\n\r\n### ✔ 1-1. 출력\r\n\r\n```bash\r\necho \"abc\u{202e}fed\"\r\n```\r\n";
    std::fs::write(c.course.join("lab1.md"), lab).unwrap();
    let r = c.run(&["run", "1-1", "1-1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("echo \"abc<U+202E>fed\""), "{}", r.text());
    assert!(!r.stderr.contains('\u{202e}'), "{}", r.text());
}
