//! The terminal renderer through the real binary (issues 10 and 12): `show` and `next` of
//! `tests/fixtures/render/screen-reading.md` — links with their URL (OSC 8 when forced),
//! `✔` headings without a done mark, `<details>` folded with a hint or open, images that
//! exist or not, `show --raw` blocks without border and long values never cut — and
//! `log` times in the local zone. One test looks at `show` in a tmux pane.
//!
//! Issue 12: each code block's label says what `run` does with it (`runs`, `example output
//! (not run)`, `참고: asked before it runs`, `not a shell block`), on `show`, `next` and in a
//! tmux pane (examples dim), and agrees with `run --list --json` for every block of every lab
//! of `tests/fixtures` and `labs/`.

use std::path::{Path, PathBuf};

use crate::course::{crate_path, fixture_path, Course};
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
    // Without --raw, in 80 columns: nothing is cut — each value, wider than the terminal,
    // stands whole on a line of its own (the code line goes on under its dotted bar, the
    // table is told as label: value lines); every other line fits.
    let fit = c
        .ok(&["show", "9-4", "--step", "3", "--fill", "--reveal"])
        .stdout;
    assert!(!fit.contains('…'), "{fit}");
    assert!(fit.contains(&format!("│ echo\n┆   \"{ca}\"\n")), "{fit}");
    let alone = |v: &str| fit.lines().any(|l| l.trim_start_matches(['▌', ' ']) == v);
    assert!(alone(&ca), "{fit}");
    assert!(alone(&token), "{fit}");
    for l in fit.lines().filter(|l| l.starts_with("▌ ")) {
        assert!(
            unicode_width::UnicodeWidthStr::width(l) <= 80
                || [&ca, &token].iter().any(|v| l.ends_with(v.as_str())),
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

// ---------------------------------------------------------------------------------------
// issue 12: the label of each code block

/// `run/session-steps.md` (lab 8-1): prompt+output examples (step 3), a block after
/// `(수행코드/결과 예시)`, `yaml` and `json` blocks, a `[참고]` alternative and one in a
/// `<details>` 참고, and blocks to run (step 4).
fn blocks_course() -> Course {
    Course::empty().with_fixture_files(&["run/session-steps.md"])
}

/// The `(language, label)` of every code block frame on a screen, in order.
fn labels(screen: &str) -> Vec<(String, String)> {
    screen
        .lines()
        .filter_map(|l| {
            let l = l.trim_start_matches([' ', '▌', '•']);
            let rest = l.strip_prefix("┌─ ")?;
            let (lang, label) = rest.split_once(" · ").expect(rest);
            Some((lang.to_owned(), label.trim_end().to_owned()))
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn show_and_next_label_each_block_with_what_run_does_with_it() {
    let mut c = blocks_course();
    let step3 = c.ok(&["show", "8-1", "--step", "3"]).stdout;
    assert_eq!(
        labels(&step3),
        pairs(&[
            ("bash", "runs"),
            ("bash", "example output (not run)"),
            ("bash", "example output (not run)"),
        ]),
        "{step3}"
    );
    assert!(
        step3.contains(
            "┌─ bash · example output (not run)\n│ student:~/environment $ no-such-command-xyz get ns\n"
        ),
        "{step3}"
    );
    let step4 = c.ok(&["show", "8-1", "--step", "4", "--details"]).stdout;
    let want4 = pairs(&[
        ("bash", "example output (not run)"),
        ("yaml", "not a shell block"),
        ("json", "not a shell block"),
        ("bash", "참고: asked before it runs"),
        ("bash", "참고: asked before it runs"),
        ("bash", "runs"),
    ]);
    assert_eq!(labels(&step4), want4, "{step4}");
    // Folded, the <details> alternative is not on screen; the others are.
    let folded = c.ok(&["show", "8-1", "--step", "4"]).stdout;
    let mut without_details = want4.clone();
    without_details.remove(4);
    assert_eq!(labels(&folded), without_details, "{folded}");
    // `next` shows the step the same way.
    c.ok(&["done", "8-1", "1", "2"]);
    let next = c.ok(&["next", "8-1"]).stdout;
    assert!(
        next.contains("┌─ bash · runs\n│ echo ran > ran.txt"),
        "{next}"
    );
    assert!(
        next.contains("┌─ bash · example output (not run)\n│ ubuntu@ip-10-0-1-23:~/work$"),
        "{next}"
    );
    // In Korean.
    c.set_env("LABNOTE_LANG", "ko");
    let ko = c.ok(&["show", "8-1", "--step", "4", "--details"]).stdout;
    assert_eq!(
        labels(&ko),
        pairs(&[
            ("bash", "결과 예시 (실행 안 함)"),
            ("yaml", "셸 블록 아님"),
            ("json", "셸 블록 아님"),
            ("bash", "참고: 실행 전에 물어봄"),
            ("bash", "참고: 실행 전에 물어봄"),
            ("bash", "실행함"),
        ]),
        "{ko}"
    );
}

#[test]
fn show_raw_labels_a_block_with_a_shell_comment_that_runs_nothing() {
    let c = blocks_course();
    let raw = c
        .ok(&["show", "8-1", "--step", "4", "--details", "--raw"])
        .stdout;
    for want in [
        "\n# bash · example output (not run)\nno-such-command-xyz describe node\nName: node-1\n\n",
        "\n# yaml · not a shell block\napiVersion: v1\nkind: Namespace\n\n",
        "\n# bash · 참고: asked before it runs\ntouch alternative-was-run.txt\n\n",
        "\n# bash · runs\nls > listing.txt\n",
    ] {
        assert!(raw.contains(want), "{want:?} not in:\n{raw}");
    }
    assert!(!raw.contains('┌') && !raw.contains("│ "), "{raw}");
    // Pasted into bash, a label line and its block run only the block: the label is a comment.
    let dir = tempfile::tempdir().unwrap();
    let paste = raw
        .split("\n\n")
        .find(|p| p.starts_with("# bash · runs"))
        .unwrap();
    let out = std::process::Command::new("bash")
        .args(["-c", paste])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let listing = std::fs::read_to_string(dir.path().join("listing.txt")).unwrap();
    assert_eq!(listing, "listing.txt\n", "only `ls > listing.txt` ran");
}

/// Every lab file under `dir` (`README.md` is none).
fn lab_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            lab_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md")
            && p.file_name().is_some_and(|n| n != "README.md")
        {
            out.push(p);
        }
    }
}

/// The label `show` gives a class of `run --list --json`.
pub(crate) fn label_of_class(class: &str) -> &'static str {
    match class {
        "run" => "runs",
        "example" => "example output (not run)",
        "not-shell" => "not a shell block",
        "alternative" => "참고: asked before it runs",
        other => panic!("unknown class {other}"),
    }
}

/// `(language, label)` of every block of lab `id`, from `run --list --json` of each top
/// step (a step lists the steps under it too), in document order.
pub(crate) fn listed(c: &Course, id: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(u64, String, String)> = Vec::new();
    for s in c.steps(id).iter().filter(|s| s["parent"].is_null()) {
        let step = s["id"].as_str().unwrap();
        let r = c.ok(&["run", id, step, "--list", "--json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
        for b in v["blocks"].as_array().unwrap() {
            let line = b["line"].as_u64().unwrap();
            let lang = b["lang"].as_str().unwrap_or("code").to_owned();
            let label = label_of_class(b["class"].as_str().unwrap()).to_owned();
            if !blocks.iter().any(|(l, _, _)| *l == line) {
                blocks.push((line, lang, label));
            }
        }
    }
    blocks.sort_by_key(|(l, _, _)| *l);
    blocks.into_iter().map(|(_, a, b)| (a, b)).collect()
}

/// Calls `check(file, course, id)` for every lab of `tests/fixtures` and `labs/`, each in a
/// course of its own (some fixtures share an id), and returns how many labs there were.
pub(crate) fn each_lab(mut check: impl FnMut(&Path, &Course, &str)) -> usize {
    let mut files = Vec::new();
    lab_files(&crate_path("tests/fixtures"), &mut files);
    lab_files(&crate_path("labs"), &mut files);
    assert!(files.len() >= 20, "{files:?}");
    let mut labs = 0;
    for f in &files {
        let c = Course::empty();
        std::fs::create_dir_all(&c.course).unwrap();
        std::fs::copy(f, c.course.join(f.file_name().unwrap())).unwrap();
        let v: serde_json::Value = serde_json::from_str(&c.ok(&["labs", "--json"]).stdout).unwrap();
        for lab in v.as_array().unwrap() {
            check(f, &c, lab["id"].as_str().unwrap());
            labs += 1;
        }
    }
    labs
}

/// The label of a block outside every step, which `run --list` never lists.
pub(crate) const OUTSIDE: &str = "outside every step (not run)";

#[test]
fn the_labels_on_screen_agree_with_run_list_for_every_block_of_every_lab() {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let labs = each_lab(|f, c, id| {
        let shown = c.ok(&["show", id, "--details"]).stdout;
        let on_screen: Vec<(String, String)> = labels(&shown)
            .into_iter()
            .filter(|(_, l)| l != OUTSIDE)
            .collect();
        let want = listed(c, id);
        assert_eq!(
            on_screen,
            want,
            "{}: show vs run --list\n{shown}",
            f.display()
        );
        for (_, l) in want {
            *seen.entry(l).or_default() += 1;
        }
    });
    assert!(labs >= 20, "{labs} labs");
    // Every class occurs, so the comparison covered each label.
    assert_eq!(seen.len(), 4, "{seen:?}");
    eprintln!("{labs} labs, blocks by label: {seen:?}");
}

#[test]
fn the_labels_read_well_in_a_terminal_and_examples_are_dim() {
    let c = blocks_course();
    let pane = Pane::start(
        &c,
        "labels",
        &["show", "8-1", "--step", "4", "--details"],
        "",
    );
    assert_eq!(pane.wait_exit(), "0");
    let screen = pane.text();
    for want in [
        "┌─ bash · example output (not run)",
        "│ no-such-command-xyz describe node",
        "┌─ yaml · not a shell block",
        "┌─ bash · 참고: asked before it runs",
        "┌─ bash · runs",
        "│ ls > listing.txt",
    ] {
        assert!(screen.contains(want), "{want:?} not on screen:\n{screen}");
    }
    // With its attributes (tmux writes only the changes): the example's text is dim (SGR 2),
    // a command's is not, the word `runs` green.
    let attrs = pane.tmux(&[
        "capture-pane",
        "-p",
        "-e",
        "-J",
        "-t",
        "p",
        "-S",
        "-",
        "-E",
        "-",
    ]);
    assert_eq!(
        sgr_at(&attrs, "no-such-command-xyz describe node"),
        (true, None)
    );
    assert_eq!(sgr_at(&attrs, "Name: node-1"), (true, None));
    assert_eq!(sgr_at(&attrs, "ls > listing.txt"), (false, None));
    assert_eq!(sgr_at(&attrs, "apiVersion: v1"), (false, None));
    // The last `runs` is the command's label (the alternatives' say `… before it runs`).
    assert_eq!(sgr_at(&attrs, "runs\n"), (false, Some(32)));
    assert_eq!(sgr_at(&attrs, "asked before it runs"), (false, Some(33)));
}

/// Whether the text at the last `needle` of a `capture-pane -e` screen is dim, and its
/// foreground colour (30–37), following the SGR sequences before it.
fn sgr_at(screen: &str, needle: &str) -> (bool, Option<u8>) {
    let at = screen
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {screen:?}"));
    let (mut dim, mut fg) = (false, None);
    let mut rest = &screen[..at];
    while let Some(k) = rest.find("\x1b[") {
        rest = &rest[k + 2..];
        let Some(end) = rest.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            break;
        };
        if rest[end..].starts_with('m') {
            let params = if end == 0 { "0" } else { &rest[..end] };
            for p in params.split(';') {
                match p.parse::<u8>().unwrap_or(0) {
                    0 => (dim, fg) = (false, None),
                    2 => dim = true,
                    22 => dim = false,
                    39 => fg = None,
                    c @ 30..=37 => fg = Some(c),
                    _ => {}
                }
            }
        }
        rest = &rest[end..];
    }
    (dim, fg)
}
