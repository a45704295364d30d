//! The progress commands of the `labnote` binary (`labs`, `steps`, `done`, `undo`, `next`,
//! `log`) on temporary copies of `labs/` and of `tests/fixtures/`.

use crate::course;

use std::path::Path;

use assert_cmd::Command;
use course::{copy_dir, crate_path, fixture_path};
use serde_json::Value;
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

/// A copy of the bundled course `labs/`.
fn bundled() -> TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&crate_path("labs"), t.path());
    t
}

/// A course of the named fixtures.
fn course_of(fixtures: &[&str]) -> TempDir {
    let t = tempfile::tempdir().unwrap();
    for f in fixtures {
        std::fs::copy(fixture_path(f), t.path().join(f)).unwrap();
    }
    t
}

/// `labnote --course DIR`, run from a scratch folder (so that nothing is written next to
/// the test), without colours and without the user's course setting.
fn labnote(course: &Path) -> Command {
    let mut c = Command::from_std(course::labnote_nocolor(course));
    c.current_dir(std::env::temp_dir());
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(course: &Path, args: &[&str]) -> Out {
    let o = labnote(course).args(args).output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
    }
}

fn ok(course: &Path, args: &[&str]) -> Out {
    let o = run(course, args);
    assert_eq!(o.code, 0, "labnote {args:?} failed: {}", o.stderr);
    o
}

fn json(course: &Path, args: &[&str]) -> Value {
    let o = ok(course, args);
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", o.stdout))
}

/// step id → (done, state) from `steps LAB --json`.
fn states(course: &Path, lab: &str) -> Vec<(String, bool, String)> {
    let v = json(course, &["steps", lab, "--json"]);
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["done"].as_bool().unwrap(),
                s["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn done_ids(course: &Path, lab: &str) -> Vec<String> {
    states(course, lab)
        .into_iter()
        .filter(|(_, d, _)| *d)
        .map(|(id, _, _)| id)
        .collect()
}

#[test]
fn labs_json_on_the_bundled_course() {
    let c = bundled();
    let v = json(c.path(), &["labs", "--json"]);
    let labs = v.as_array().expect("an array");
    let ids: Vec<_> = labs.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2-3", "2-4", "2-5", "3-1"]);
    for l in labs {
        let o = l.as_object().expect("an object");
        for k in ["id", "title", "path", "steps", "done"] {
            assert!(o.contains_key(k), "{k} missing in {l}");
        }
        let title = l["title"].as_str().unwrap();
        assert!(!title.is_empty() && !title.contains("일차"), "{title}");
        let path = l["path"].as_str().unwrap();
        assert!(path.ends_with(".md") && !path.contains('\\'), "{path}");
        assert_ne!(path, "README.md");
        assert!(c.path().join(path).is_file(), "{path}");
        assert!(l["steps"].as_u64().unwrap() > 0);
        assert_eq!(l["done"].as_u64(), Some(0));
        // `steps` counts the checkable steps.
        let s = json(c.path(), &["steps", l["id"].as_str().unwrap(), "--json"]);
        let checkable = s["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["checkable"] == Value::Bool(true))
            .count() as u64;
        assert_eq!(l["steps"].as_u64(), Some(checkable));
    }
    // Nothing is written by reading.
    assert!(!c.path().join(".labnote/journal.yaml").exists());
}

#[test]
fn steps_json_matches_the_parser() {
    let c = bundled();
    let v = json(c.path(), &["steps", "2-4", "--json"]);
    assert_eq!(v["id"], "2-4");
    assert_eq!(v["path"], "day2/lab4-aws-access-key.md");
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()));
    let bytes = std::fs::read(c.path().join("day2/lab4-aws-access-key.md")).unwrap();
    let lab = labnote::lab::parse(&bytes, "lab4-aws-access-key").unwrap();
    assert_eq!(v["title"], lab.title.as_str());
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), lab.steps.len());
    for (j, s) in steps.iter().zip(&lab.steps) {
        assert_eq!(j["id"], s.id.as_str());
        assert_eq!(j["number"].as_str(), s.number.as_deref());
        assert_eq!(j["title"], s.title.as_str());
        assert_eq!(j["depth"].as_u64(), Some(u64::from(s.depth)));
        assert_eq!(j["checkable"].as_bool(), Some(s.checkable));
        assert_eq!(j["done"].as_bool(), Some(false));
    }
    // A lab with sections: depth and checkable follow the tree.
    let v = json(c.path(), &["steps", "2-3", "--json"]);
    let s: Vec<_> = v["steps"].as_array().unwrap().iter().collect();
    assert_eq!(s[0]["depth"], 1);
    assert_eq!(s[0]["checkable"], false);
    assert_eq!(s[1]["depth"], 2);
    assert_eq!(s[1]["checkable"], true);
}

#[test]
fn done_on_a_section_marks_its_children_and_undo_reverts() {
    let c = course_of(&["ref-2-3-github.md"]);
    let o = ok(c.path(), &["done", "2-3", "1"]);
    for id in ["1-1", "1-2", "1-3", "1-4", "1-5"] {
        assert!(o.stderr.contains(id), "{id} not reported: {}", o.stderr);
    }
    assert!(c.path().join(".labnote/journal.yaml").is_file());
    assert_eq!(
        done_ids(c.path(), "2-3"),
        ["1", "1-1", "1-2", "1-3", "1-4", "1-5"]
    );
    let labs = json(c.path(), &["labs", "--json"]);
    assert_eq!(labs[0]["done"], 5);
    assert_eq!(labs[0]["steps"], 7);

    ok(c.path(), &["undo", "2-3", "1-2"]);
    assert_eq!(done_ids(c.path(), "2-3"), ["1-1", "1-3", "1-4", "1-5"]);
    // Marking done again what is done records nothing new.
    let before = json(c.path(), &["log", "--json"]).as_array().unwrap().len();
    let o = ok(c.path(), &["done", "2-3", "1-1"]);
    assert!(o.stderr.contains("already"), "{}", o.stderr);
    assert_eq!(
        json(c.path(), &["log", "--json"]).as_array().unwrap().len(),
        before
    );
    // Undo a section: all its leaves open.
    ok(c.path(), &["undo", "2-3", "1"]);
    assert!(done_ids(c.path(), "2-3").is_empty());
    // Several steps at once.
    ok(c.path(), &["done", "2-3", "2-1", "2-2"]);
    assert_eq!(done_ids(c.path(), "2-3"), ["2", "2-1", "2-2"]);
}

#[test]
fn done_by_number_and_the_twins_of_a_repeated_number() {
    let c = course_of(&["repeated-numbers.md"]);
    // The number as written in the heading (with its dot), unambiguous.
    ok(c.path(), &["done", "3-2", "2-4."]);
    assert_eq!(done_ids(c.path(), "3-2"), ["2-4"]);
    // The twin by its id.
    ok(c.path(), &["done", "3-2", "2-2.2"]);
    assert_eq!(done_ids(c.path(), "3-2"), ["2-2.2", "2-4"]);
    let st = states(c.path(), "3-2");
    assert!(st.iter().any(|(id, d, _)| id == "2-2" && !d), "{st:?}");
    // `2-2.` is the number of two steps: exit 1, naming both ids.
    let o = run(c.path(), &["done", "3-2", "2-2."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("2-2 (") && o.stderr.contains("2-2.2 ("),
        "{}",
        o.stderr
    );
    let o = run(c.path(), &["done", "3-2", "3-1."]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("3-1.2"), "{}", o.stderr);
    // Nothing was recorded by the failures.
    assert_eq!(done_ids(c.path(), "3-2"), ["2-2.2", "2-4"]);
    // `2-2` is the id of the first twin: marked, with a note naming the other one.
    let o = ok(c.path(), &["done", "3-2", "2-2"]);
    assert!(
        o.stderr.contains("2-2.2 (노드 라벨 추가)"),
        "no note about the twin: {}",
        o.stderr
    );
    assert_eq!(done_ids(c.path(), "3-2"), ["2-2", "2-2.2", "2-4"]);
    ok(c.path(), &["undo", "3-2", "2-2"]);
    // An unknown step: exit 1 listing the steps.
    let o = run(c.path(), &["done", "3-2", "7-7"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("2-2.2") && o.stderr.contains("5-1"),
        "{}",
        o.stderr
    );
    // The journal keeps the twins apart.
    let log = json(c.path(), &["log", "--json"]);
    let steps: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["2-4", "2-2.2", "2-2", "2-2"]);
}

#[test]
fn unknown_lab_lists_the_candidates() {
    let c = bundled();
    for args in [
        &["steps", "9-9"][..],
        &["done", "lab99", "1"],
        &["next", "nope"],
        &["log", "nope"],
    ] {
        let o = run(c.path(), args);
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains("2-3") && o.stderr.contains("2-4") && o.stderr.contains("2-5"),
            "{args:?}: {}",
            o.stderr
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn lab_argument_as_id_path_or_stem() {
    let c = bundled();
    let abs = c.path().join("day2/lab4-aws-access-key.md");
    for arg in [
        "2-4",
        "day2/lab4-aws-access-key.md",
        abs.to_str().unwrap(),
        "lab4-aws-access-key",
    ] {
        let v = json(c.path(), &["steps", arg, "--json"]);
        assert_eq!(v["id"], "2-4", "{arg}");
    }
    // A path relative to the current folder.
    let o = labnote(c.path())
        .current_dir(c.path().join("day2"))
        .args(["steps", "lab5-network.md", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["id"], "2-5");
    // A lab without the `N일차 - Lab M.` title is known by its stem.
    let c = course_of(&["code-and-heredoc.md", "no-h1.md"]);
    assert_eq!(
        json(c.path(), &["steps", "code-and-heredoc", "--json"])["id"],
        "code-and-heredoc"
    );
    // A file without an H1 title is not a lab of the course (the README rule), even with steps.
    let labs = json(c.path(), &["labs", "--json"]);
    let ids: Vec<&str> = labs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["code-and-heredoc"]);
    let o = labnote(c.path()).args(["steps", "no-h1"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("code-and-heredoc"));
}

const RENDER_LAB: &str = "# 7일차 - Lab 1. 렌더 확인\n\n## ✔ 1. 첫 단계\n\n- 준비한다.\n\n## ✔ 2. 그림과 코드\n\n- 아래를 실행한다.\n\n![](../images/201.png)\n\n```bash\necho 안녕 <<YYMMDD>>\n```\n\n<details>\n<summary> 😎 [참고 - 펼치기👇] 숨긴 설명 </summary>\n\n- 숨김 내용\n\n</details>\n\n## ✔ 3. 끝\n\n- 끝.\n";

#[test]
fn next_renders_the_first_open_step() {
    let c = tempfile::tempdir().unwrap();
    std::fs::write(c.path().join("render.md"), RENDER_LAB).unwrap();
    let o = ok(c.path(), &["next"]);
    assert!(o.stdout.contains("[1] 첫 단계"), "{}", o.stdout);
    assert!(o.stdout.contains("준비한다."), "{}", o.stdout);
    ok(c.path(), &["done", "7-1", "1"]);
    let o = ok(c.path(), &["next", "7-1"]);
    let out = &o.stdout;
    assert!(out.contains("[2] 그림과 코드"), "{out}");
    assert!(out.contains("[image: ../images/201.png]"), "{out}");
    // Filled as walk fills it (issue 20: one "next"): today's date, not the placeholder.
    assert!(!out.contains("<<YYMMDD>>"), "{out}");
    assert!(
        out.lines().any(|l| l
            .strip_prefix("│ echo 안녕 ")
            .is_some_and(|d| d.len() == 6 && d.bytes().all(|b| b.is_ascii_digit()))),
        "{out}"
    );
    assert!(out.contains("┌─ bash"), "{out}");
    assert!(
        out.contains("▸ 😎 [참고 - 펼치기👇] 숨긴 설명 (folded)"),
        "{out}"
    );
    assert!(!out.contains("숨김 내용"), "folded text shown: {out}");
    assert!(!out.contains("끝."), "the next step leaked in: {out}");
    assert!(!out.contains('\x1b'));
    // JSON form.
    let v = json(c.path(), &["next", "--json"]);
    assert_eq!(v["id"], "2");
    assert_eq!(v["lab"], "7-1");
    assert_eq!(v["state"], "open");
    assert!(v["body"]
        .as_str()
        .unwrap()
        .contains("[image: ../images/201.png]"));
    // All done.
    ok(c.path(), &["done", "7-1", "2", "3"]);
    let o = ok(c.path(), &["next"]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert!(o.stderr.contains("every step is done"), "{}", o.stderr);
    assert_eq!(json(c.path(), &["next", "--json"]), Value::Null);
}

#[test]
fn next_across_the_course_in_lab_order() {
    let c = bundled();
    let v = json(c.path(), &["next", "--json"]);
    assert_eq!(
        (v["lab"].as_str(), v["id"].as_str()),
        (Some("2-3"), Some("1-1"))
    );
    // The folded summary of a fixture step.
    let c = course_of(&["ref-2-4-access-key.md"]);
    ok(c.path(), &["done", "2-4", "1", "2", "3"]);
    let o = ok(c.path(), &["next"]);
    assert!(
        o.stdout
            .contains("▸ 😎 [참고 - 펼치기👇] 액세스 키 삭제 (folded)"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("117.png"), "{}", o.stdout);
}

#[test]
fn log_json_is_newest_last() {
    let c = course_of(&["ref-2-4-access-key.md", "lf-bold-memo.md"]);
    assert_eq!(json(c.path(), &["log", "--json"]), Value::Array(vec![]));
    ok(c.path(), &["done", "2-4", "3"]);
    ok(c.path(), &["done", "1-3", "1"]);
    ok(c.path(), &["done", "2-4", "1"]);
    ok(c.path(), &["undo", "2-4", "3"]);
    let v = json(c.path(), &["log", "--json"]);
    let got: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["lab"].as_str().unwrap(),
                r["step"].as_str().unwrap(),
                r["event"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2-4", "3", "done"),
            ("1-3", "1", "done"),
            ("2-4", "1", "done"),
            ("2-4", "3", "undone"),
        ]
    );
    let times: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["time"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "times not ascending");
    assert!(v[0]["fingerprint"].as_str().is_some_and(|f| !f.is_empty()));
    assert_eq!(v[0]["title"], "User 클릭");
    // One lab only.
    let v = json(c.path(), &["log", "1-3", "--json"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    // Human form, same order.
    let o = ok(c.path(), &["log"]);
    let lines: Vec<_> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[3].contains("undone"), "{}", o.stdout);
}

#[test]
fn edited_step_is_stale_and_removed_step_is_a_stale_record() {
    let c = course_of(&["ref-2-4-access-key.md"]);
    let file = c.path().join("ref-2-4-access-key.md");
    ok(c.path(), &["done", "2-4", "3", "4", "5"]);
    assert_eq!(done_ids(c.path(), "2-4"), ["3", "4", "5"]);

    // Edit the body of step 3.
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace("사용자를 누른다.", "사용자를 두 번 누른다.");
    assert_ne!(edited, text);
    std::fs::write(&file, &edited).unwrap();
    let st = states(c.path(), "2-4");
    let s3 = st.iter().find(|(id, _, _)| id == "3").unwrap();
    assert_eq!((s3.1, s3.2.as_str()), (false, "stale"), "{st:?}");
    let s4 = st.iter().find(|(id, _, _)| id == "4").unwrap();
    assert_eq!((s4.1, s4.2.as_str()), (true, "done"));
    let labs = json(c.path(), &["labs", "--json"]);
    assert_eq!(labs[0]["done"], 2);
    let o = ok(c.path(), &["steps", "2-4"]);
    assert!(o.stdout.contains("[~] 3"), "{}", o.stdout);
    // `next` offers the stale step again.
    assert_eq!(json(c.path(), &["next", "--json"])["id"], "1");
    ok(c.path(), &["done", "2-4", "1", "2"]);
    assert_eq!(json(c.path(), &["next", "--json"])["id"], "3");
    // Marking it done again records the new fingerprint.
    ok(c.path(), &["done", "2-4", "3"]);
    assert!(states(c.path(), "2-4").iter().all(|(_, d, _)| *d));

    // Remove step 5: its record is reported.
    let cut = edited.find("## ✔ 5. 저장").unwrap();
    std::fs::write(&file, &edited[..cut]).unwrap();
    let v = json(c.path(), &["steps", "2-4", "--json"]);
    assert_eq!(v["stale_records"], serde_json::json!(["5"]));
    assert_eq!(v["steps"].as_array().unwrap().len(), 4);
    let o = ok(c.path(), &["steps", "2-4"]);
    assert!(
        o.stdout
            .contains("5: recorded as done, but the lab no longer has this step"),
        "{}",
        o.stdout
    );
}

#[test]
fn invalid_utf8_lab_named_explicitly_is_exit_2_with_file_and_offset() {
    let c = course_of(&["ref-2-4-access-key.md"]);
    let mut bytes = "# 9일차 - Lab 9. 깨진 파일\n\n## 1. 단계 "
        .as_bytes()
        .to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe\n\n## 2. \xed\xa0\x80\n");
    std::fs::create_dir(c.path().join("broken")).unwrap();
    let file = c.path().join("broken/invalid-utf8.bin.md");
    std::fs::write(&file, &bytes).unwrap();
    // The course still lists its other labs, with a warning.
    let o = ok(c.path(), &["labs", "--json"]);
    assert!(o.stderr.contains("invalid-utf8.bin.md"), "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    for arg in [
        "invalid-utf8.bin",
        "broken/invalid-utf8.bin.md",
        file.to_str().unwrap(),
    ] {
        for cmd in [&["steps", arg][..], &["done", arg, "1"], &["next", arg]] {
            let o = run(c.path(), cmd);
            assert_eq!(o.code, 2, "{cmd:?}: {}", o.stderr);
            let err = o
                .stderr
                .lines()
                .find(|l| l.starts_with("labnote: error:"))
                .unwrap_or_else(|| panic!("{cmd:?}: no error line: {}", o.stderr));
            assert!(err.contains("invalid-utf8.bin.md"), "{err}");
            assert!(err.contains(&format!("byte {offset}")), "{err}");
            assert!(err.contains("line 3"), "{err}");
        }
    }
    assert!(!c.path().join(".labnote/journal.yaml").exists());
    // An unknown name is still exit 1.
    assert_eq!(run(c.path(), &["steps", "invalid"]).code, 1);
}

/// Run `labnote` under a pseudo-terminal (util-linux `script`), so that colours would be on.
fn under_tty(course: &Path, args: &str, no_color: bool) -> Option<Vec<u8>> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let cmd = format!(
        "{} --course '{}' {args}",
        env!("CARGO_BIN_EXE_labnote"),
        course.display()
    );
    let mut c = std::process::Command::new(script);
    c.args(["-qec", &cmd, "/dev/null"])
        .env_remove("LABNOTE_COURSE")
        .env("TERM", "xterm")
        .current_dir(std::env::temp_dir());
    if no_color {
        c.env("NO_COLOR", "1");
    } else {
        c.env_remove("NO_COLOR");
    }
    let o = c.output().ok()?;
    o.status.success().then_some(o.stdout)
}

#[test]
fn no_color_means_no_escape_bytes() {
    let c = course_of(&["ref-2-3-github.md", "ref-2-4-access-key.md"]);
    ok(c.path(), &["done", "2-3", "1-1"]);
    for args in [
        &["labs"][..],
        &["steps", "2-3"],
        &["next"],
        &["next", "2-4"],
        &["log"],
        &["done", "2-3", "1-2"],
        &["steps", "nope"],
    ] {
        let o = labnote(c.path()).args(args).output().unwrap();
        assert!(!o.stdout.contains(&0x1b), "{args:?}: ESC on stdout");
        assert!(!o.stderr.contains(&0x1b), "{args:?}: ESC on stderr");
    }
    // On a terminal: colours without NO_COLOR (so the check above means something), none
    // with it.
    if let Some(with) = under_tty(c.path(), "next", false) {
        assert!(with.contains(&0x1b), "no colours on a terminal: {with:?}");
        let without = under_tty(c.path(), "next", true).expect("runs under script");
        assert!(
            !without.contains(&0x1b),
            "{}",
            String::from_utf8_lossy(&without)
        );
        assert!(String::from_utf8_lossy(&without).contains("[1-3] github username 확인"));
        for args in ["labs", "steps 2-3", "log"] {
            let out = under_tty(c.path(), args, true).expect("runs under script");
            assert!(
                !out.contains(&0x1b),
                "{args}: {}",
                String::from_utf8_lossy(&out)
            );
        }
    } else {
        eprintln!("no /usr/bin/script: the terminal half of this test was skipped");
    }
}

#[test]
fn labs_columns_align_by_display_width() {
    let c = course_of(&[
        "ref-2-3-github.md",
        "ref-2-4-access-key.md",
        "ref-2-5-network.md",
        "repeated-numbers.md",
        "no-memo.md",
        "placeholders.md",
        "code-and-heredoc.md",
        "no-h1.md",
    ]);
    // A title wider than the title column (truncated) and one with emoji.
    std::fs::write(
        c.path().join("long.md"),
        "# 6일차 - Lab 1. 아주 아주 긴 제목의 실습으로 표시 폭을 넘기는 경우를 확인한다\n\n## 1. a\n",
    )
    .unwrap();
    std::fs::write(
        c.path().join("emoji.md"),
        "# 6일차 - Lab 2. 😎 이모지 🔥 제목\n\n## 1. a\n",
    )
    .unwrap();
    ok(c.path(), &["done", "3-2", "1"]);
    let o = ok(c.path(), &["labs"]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 9, "{}", o.stdout);
    let bar_cols: Vec<usize> = lines
        .iter()
        .map(|l| {
            let at = l
                .find(['█', '░'])
                .unwrap_or_else(|| panic!("no progress bar in {l:?}"));
            UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert!(
        bar_cols.iter().all(|&w| w == bar_cols[0]),
        "bars start at display columns {bar_cols:?}:\n{}",
        o.stdout
    );
    // The counts and the paths line up too.
    let slash_cols: Vec<usize> = lines
        .iter()
        .map(|l| UnicodeWidthStr::width(&l[..l.find('/').unwrap()]))
        .collect();
    assert!(
        slash_cols.iter().all(|&w| w == slash_cols[0]),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains('…'),
        "the long title is cut: {}",
        o.stdout
    );
    let order: Vec<&str> = lines
        .iter()
        .map(|l| {
            l.trim_start_matches(['✔', ' '])
                .split_whitespace()
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        order,
        [
            "2-3",
            "2-4",
            "2-5",
            "3-1",
            "3-2",
            "5-2",
            "6-1",
            "6-2",
            "code-and-heredoc",
        ],
        "{}",
        o.stdout
    );
}
