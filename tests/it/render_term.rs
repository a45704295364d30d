//! The terminal renderer through the real binary (issues 10 and 12): `show` and `next` of
//! `tests/fixtures/render/screen-reading.md` — links with their URL (OSC 8 when forced),
//! `✔` headings without a done mark, `<details>` folded with a hint or open, images that
//! exist or not, `show --raw` blocks without border and long values never cut — and
//! `log` times in the local zone. One test looks at `show` in a tmux pane.

use crate::course::{fixture_path, Course};
use crate::tmux::Pane;

const LAB: &str = "day9/screen-reading.md";

/// A course with the fixture in `day9/` and `images/901.png` (902 is missing).
fn course() -> Course {
    let c = Course::empty();
    std::fs::create_dir_all(c.course.join("day9")).unwrap();
    std::fs::create_dir_all(c.course.join("images")).unwrap();
    std::fs::copy(fixture_path("render/screen-reading.md"), c.course.join(LAB)).unwrap();
    std::fs::write(c.course.join("images/901.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    c
}

/// A value of `n` characters that no line of the lab holds, and that shows where it was cut.
fn long_value(tag: &str, n: usize) -> String {
    let mut v = format!("{tag}-");
    let mut i = 0;
    while v.len() < n {
        v.push_str(&format!("{:03}.", i % 1000));
        i += 1;
    }
    v.truncate(n);
    v
}

#[test]
fn links_show_their_url_as_text_or_as_osc8_when_forced() {
    let mut c = course();
    let out = c.ok(&["show", "9-4", "--step", "1"]).stdout;
    let url = "https://ap-northeast-2.console.aws.amazon.com/ec2/home";
    assert!(
        out.contains(&format!("🔗EC2 서비스로 이동한다 ({url})")),
        "{out}"
    );
    assert!(
        out.contains("설명서는 https://docs.aws.amazon.com/ko_kr/ 에서"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "escape codes into a pipe: {out:?}");
    c.set_env("LABNOTE_HYPERLINKS", "1");
    let out = c.ok(&["show", "9-4", "--step", "1"]).stdout;
    assert!(
        out.contains(&format!(
            "\x1b]8;;{url}\x1b\\EC2 서비스로 이동한다\x1b]8;;\x1b\\"
        )),
        "{out:?}"
    );
    // Terminal support is decided by environment: a known terminal on a pipe gets text.
    c.unset_env("LABNOTE_HYPERLINKS");
    c.set_env("WT_SESSION", "x");
    let out = c.ok(&["show", "9-4", "--step", "1"]).stdout;
    assert!(!out.contains("\x1b]8;;"), "{out:?}");
}

#[test]
fn heading_markers_are_not_done_marks() {
    let c = course();
    let out = c.ok(&["show", "9-4"]).stdout;
    assert!(out.contains("[ ] 1. 콘솔로 이동\n"), "{out}");
    assert!(out.contains("[ ] 2. 참고 설명 읽기\n"), "{out}");
    assert!(!out.contains('✔') && !out.contains('✅'), "{out}");
    c.ok(&["done", "9-4", "1"]);
    let out = c.ok(&["show", "9-4"]).stdout;
    assert!(out.contains("[x] 1. 콘솔로 이동\n"), "{out}");
    assert!(out.contains("[ ] 2. 참고 설명 읽기\n"), "{out}");
    // The step line of `next` has no marker either.
    let next = c.ok(&["next", "9-4"]).stdout;
    assert!(next.contains("[2] 참고 설명 읽기"), "{next}");
    assert!(!next.contains('✅'), "{next}");
}

#[test]
fn details_are_folded_with_a_hint_and_open_on_request() {
    let c = course();
    let folded = c.ok(&["show", "9-4", "--step", "2"]).stdout;
    assert!(
        folded.contains(
            "▸ 😎 [참고 - 펼치기👇] 키가 이미 두 개일 때 (folded) · show --details opens it"
        ),
        "{folded}"
    );
    assert!(!folded.contains("접힌 안쪽 줄"), "{folded}");
    let open = c.ok(&["show", "9-4", "--step", "2", "--details"]).stdout;
    assert!(
        open.contains("▾ 😎 [참고 - 펼치기👇] 키가 이미 두 개일 때"),
        "{open}"
    );
    assert!(
        open.contains("• 접힌 안쪽 줄: 쓰지 않는 키를 먼저 지운다."),
        "{open}"
    );
    assert!(!open.contains("(folded)"), "{open}");
    // `next` folds the same way.
    c.ok(&["done", "9-4", "1"]);
    let next = c.ok(&["next", "9-4"]).stdout;
    assert!(next.contains("키가 이미 두 개일 때 (folded)"), "{next}");
}

#[test]
fn images_say_whether_the_file_exists() {
    let mut c = course();
    let out = c.ok(&["show", "9-4"]).stdout;
    assert!(out.contains("[image: ../images/901.png]\n"), "{out}");
    assert!(
        out.contains("[image: ../images/902.png] (missing)\n"),
        "{out}"
    );
    c.set_env("LABNOTE_LANG", "ko");
    let out = c.ok(&["show", "9-4", "--step", "2"]).stdout;
    assert!(
        out.contains("[이미지: ../images/902.png] (파일 없음)"),
        "{out}"
    );
    assert!(out.contains("(접힘) · show --details 로 펼치기"), "{out}");
}

#[test]
fn show_raw_prints_blocks_without_border_and_never_cuts_a_value() {
    let mut c = course();
    c.init();
    let ca = long_value("ca", 300);
    let token = long_value("tok", 300);
    c.memo_set_on_stdin("9-4", "cluster_ca", &ca);
    c.memo_set_on_stdin("9-4", "sa_token", &token);
    assert!(!c.lab_text(LAB).contains(&token), "the token is encrypted");
    c.set_env("COLUMNS", "80");
    let raw = c
        .ok(&["show", "9-4", "--step", "3", "--fill", "--reveal", "--raw"])
        .stdout;
    // The block is exactly its lines: copy-paste gives the commands.
    let block = format!("\necho \"{ca}\" > ca.txt\necho \"{token}\" > token.txt\n");
    assert!(raw.contains(&block), "{raw}");
    for c in ['┌', '└', '…'] {
        assert!(!raw.contains(c), "{c:?} in show --raw: {raw}");
    }
    assert!(!raw.contains("│ echo"), "{raw}");
    // The table is not fitted to the terminal: each value whole on its row, unpadded.
    assert!(raw.contains(&format!("▌ ➕ CA │ {ca} │ 🧲복사")), "{raw}");
    assert!(
        raw.contains(&format!("▌ ➕ Token │ {token} │ 🧲복사")),
        "{raw}"
    );
    // Without --raw, in 80 columns: the table wraps the values, nothing is cut.
    let fit = c
        .ok(&["show", "9-4", "--step", "3", "--fill", "--reveal"])
        .stdout;
    assert!(!fit.contains('…'), "{fit}");
    assert!(fit.contains(&format!("│ echo \"{ca}\" > ca.txt")), "{fit}");
    let cells: String = fit
        .lines()
        .filter(|l| l.starts_with("▌ ") && l.matches('│').count() == 2)
        .map(|l| l.split('│').nth(1).unwrap().trim())
        .collect();
    assert!(cells.contains(&ca), "{fit}");
    assert!(cells.contains(&token), "{fit}");
    for l in fit.lines().filter(|l| l.starts_with("▌ ")) {
        assert!(
            unicode_width::UnicodeWidthStr::width(l) <= 80,
            "{l:?} is wider than 80"
        );
    }
    // Not revealed: masked, never the value.
    let masked = c.ok(&["show", "9-4", "--step", "3", "--fill"]).stdout;
    assert!(
        !masked.contains(&token) && masked.contains("••••"),
        "{masked}"
    );
    assert!(masked.contains(&ca), "{masked}");
}

#[test]
fn log_times_are_local_with_their_offset() {
    let mut c = course();
    c.ok(&["done", "9-4", "1"]);
    let stored = c.journal()[0]["time"].as_str().unwrap().to_owned();
    assert!(stored.ends_with('Z'), "the journal keeps UTC: {stored}");
    c.set_env("TZ", "Asia/Seoul");
    let v: serde_json::Value = serde_json::from_str(&c.ok(&["log", "--json"]).stdout).unwrap();
    let local = v[0]["time"].as_str().unwrap().to_owned();
    assert!(local.ends_with("+09:00"), "{local}");
    let parse = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    assert_eq!(parse(&local), parse(&stored), "the same instant");
    let text = c.ok(&["log"]).stdout;
    assert!(text.starts_with(&local), "{text}");
    c.set_env("TZ", "UTC");
    let v: serde_json::Value = serde_json::from_str(&c.ok(&["log", "--json"]).stdout).unwrap();
    assert!(v[0]["time"].as_str().unwrap().ends_with("+00:00"), "{v}");
}

#[test]
fn show_reads_well_in_a_terminal() {
    let c = course();
    let pane = Pane::start(&c, "show", &["show", "9-4"], "");
    assert_eq!(pane.wait_exit(), "0");
    let screen = pane.text();
    for want in [
        "▌ 📌 [실습 중 메모사항]",
        "[ ] 1. 콘솔로 이동",
        "(https://ap-northeast-2.console.aws.amazon.com/ec2/home)",
        "[image: ../images/902.png] (missing)",
        "(folded) · show --details opens it",
        "┌─ bash",
        "│ echo \"<<cluster_ca>>\" > ca.txt",
        "➕ CA    │ <<cluster_ca>>",
    ] {
        assert!(screen.contains(want), "{want:?} not on screen:\n{screen}");
    }
    assert!(!screen.contains('✔'), "{screen}");
    // tmux drops what it cannot show: no escape residue such as `[0m` on the screen.
    assert!(
        !screen.contains("[0m") && !screen.contains("]8;;"),
        "{screen}"
    );
}
