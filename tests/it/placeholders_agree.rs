//! `placeholders`, `show --fill` and `run` agree on what is a placeholder (issue 10): on the
//! issue's step, and on every lab of tests/fixtures and labs/.
//!
//! The three commands run on the real binary. For the agreement check each lab is copied
//! into a course of its own next to a generated lab (`9-9`) whose memo notes a distinct value
//! for every `<<…>>` a naive reader would take for a placeholder — heredoc operators such
//! as `<<EOF >>` included. Then:
//! * `placeholders --json` must list exactly the lab parser's placeholders;
//! * `show --fill --reveal` must fill exactly those (a value appears in the output iff its
//!   name is one), except inside a folded `<details>` that show does not display;
//! * `run --dry-run` must report, for each block `run` may run (`run --list`), exactly the
//!   placeholders the parser found in that block.

use crate::course;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use course::{crate_path, Course};

/// Every markdown file under `dir`, recursively.
fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

/// Every `<<…>>` on one line without `<` or `>` inside, trimmed: a superset of placeholders.
fn candidates(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(k) = text[i..].find("<<") {
        let start = i + k + 2;
        let rest = &text[start..];
        let end = rest.find(['\n', '<', '>']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        if rest[end..].starts_with(">>") && !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        i = i + k + 1;
    }
    out
}

/// The value the generated lab notes for candidate `n`.
fn value(n: usize) -> String {
    format!("ZQ{n}QZ")
}

/// A lab (day 9, lab 9: after every lab of the fixtures) noting `value(n)` for candidate `n`.
fn values_lab(names: &[String]) -> String {
    let mut md = String::from("# 9일차 - Lab 9. 값 모음\n\n> **📌 [실습 중 메모사항]**\n>\n");
    for (n, name) in names.iter().enumerate() {
        md.push_str(&format!("> ➕ _<< {name}>>_ : {}  \n", value(n)));
    }
    md.push_str("\n## ✔ 1. 끝\n");
    md
}

fn json(r: &course::Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.text()))
}

/// What one lab's check found.
#[derive(Default)]
struct Checked {
    /// What disagrees (empty when all three agree).
    bad: Vec<String>,
    /// Placeholders used (not the memo block's own keys).
    placeholders: usize,
    /// Candidates that are no placeholder (heredoc operators such as `<<EOF >>`).
    rejected: usize,
}

/// Checks one lab.
fn check(path: &Path) -> Checked {
    let bytes = std::fs::read(path).unwrap();
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let lab = labnote::lab::parse(&bytes, &stem).unwrap();
    if lab.steps.is_empty() || lab.heading.is_none() {
        return Checked::default(); // not a lab of a course (a README, an empty file, no H1)
    }
    let text = String::from_utf8_lossy(&bytes);
    let used: Vec<&labnote::lab::Placeholder> = lab
        .placeholders
        .iter()
        .filter(|p| p.context != labnote::lab::PlaceholderContext::Memo)
        .collect();
    let parsed: BTreeSet<String> = used.iter().map(|p| p.name.clone()).collect();
    // One memo entry per candidate key (keys match with case and spacing ignored).
    let mut names: Vec<String> = Vec::new();
    for c in candidates(&text) {
        let k = labnote::names::normalize_key(&c);
        if !names.iter().any(|n| labnote::names::normalize_key(n) == k) {
            names.push(c);
        }
    }
    let value_of = |name: &str| {
        let k = labnote::names::normalize_key(name);
        value(
            names
                .iter()
                .position(|n| labnote::names::normalize_key(n) == k)
                .unwrap(),
        )
    };
    let c = Course::empty().with_path();
    std::fs::create_dir_all(&c.course).unwrap();
    std::fs::write(c.course.join(path.file_name().unwrap()), &bytes).unwrap();
    std::fs::write(c.course.join("zz-values.md"), values_lab(&names)).unwrap();
    let mut bad = Vec::new();
    let keys = |names: &BTreeSet<String>| -> BTreeSet<String> {
        names
            .iter()
            .map(|n| labnote::names::normalize_key(n))
            .collect()
    };
    let memo_keys: BTreeSet<String> = lab
        .memo_entries()
        .map(|e| labnote::names::normalize_key(&e.key))
        .collect();
    let rejected = names
        .iter()
        .map(|n| labnote::names::normalize_key(n))
        .filter(|k| !keys(&parsed).contains(k) && !memo_keys.contains(k))
        .count();

    // placeholders
    let listed: BTreeSet<String> = json(&c.ok(&["placeholders", &lab.id, "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    if listed != parsed {
        bad.push(format!(
            "placeholders lists {listed:?}, the parser finds {parsed:?}"
        ));
    }

    // show --fill
    let shown = c.ok(&["show", &lab.id, "--fill", "--reveal"]).stdout;
    let folded = |at: usize| {
        lab.steps
            .iter()
            .any(|s| s.details.iter().any(|d| d.span.contains(&at)))
    };
    let visible: BTreeSet<String> = used
        .iter()
        .filter(|p| !folded(p.span.start))
        .map(|p| labnote::names::normalize_key(&p.name))
        .collect();
    let filled: BTreeSet<String> = names
        .iter()
        .filter(|n| shown.contains(&value_of(n)))
        .map(|n| labnote::names::normalize_key(n))
        .collect();
    if filled != visible {
        bad.push(format!(
            "show --fill fills {filled:?}, the parser's (not folded) are {visible:?}"
        ));
    }

    // run --dry-run, per block, on every step that has a block `run` may run (`run --list`
    // says: examples and other languages never run)
    for s in &lab.steps {
        if !s.code_blocks.iter().any(labnote::blocks::is_runnable) {
            continue;
        }
        let classes = json(&c.ok(&["run", &lab.id, &s.id, "--list", "--json"]));
        let may_run = classes["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["class"] == "run" || b["class"] == "alternative");
        if !may_run {
            continue;
        }
        let plan = json(&c.ok(&["run", &lab.id, &s.id, "--dry-run"]));
        if plan["action"] == "issue-key" {
            continue;
        }
        for b in plan["blocks"].as_array().unwrap() {
            let at = b["offset"].as_u64().unwrap() as usize;
            let block = lab
                .steps
                .iter()
                .flat_map(|s| &s.code_blocks)
                .find(|cb| cb.span.start == at)
                .expect("a block of the lab");
            let want: Vec<&str> = used
                .iter()
                .filter(|p| block.span.contains(&p.span.start))
                .fold(Vec::new(), |mut v, p| {
                    if !v.contains(&p.name.as_str()) {
                        v.push(p.name.as_str());
                    }
                    v
                });
            let got: Vec<&str> = b["placeholders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            if got != want {
                bad.push(format!(
                    "run {} {} block at byte {at}: run binds {got:?}, the parser finds {want:?}",
                    lab.id, s.id
                ));
            }
        }
    }
    Checked {
        bad,
        placeholders: used.len(),
        rejected,
    }
}

#[test]
fn placeholders_show_and_run_agree_on_every_lab_of_the_fixtures_and_labs() {
    let mut files = Vec::new();
    markdown_files(&crate_path("tests/fixtures"), &mut files);
    markdown_files(&crate_path("labs"), &mut files);
    files.sort();
    let (mut labs, mut placeholders, mut rejected) = (0, 0, 0);
    let mut report = Vec::new();
    for f in &files {
        let c = check(f);
        labs += usize::from(c.placeholders > 0);
        placeholders += c.placeholders;
        rejected += c.rejected;
        for b in c.bad {
            report.push(format!("{}: {b}", f.display()));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    eprintln!("{labs} labs, {placeholders} placeholders, {rejected} look-alikes rejected");
    // Not vacuous: many placeholders in many labs, and heredoc operators that look like one.
    assert!(labs >= 8, "only {labs} labs with placeholders");
    assert!(placeholders >= 40, "only {placeholders} placeholders");
    assert!(rejected >= 2, "only {rejected} look-alikes rejected");
}

#[test]
fn the_issue_10_step_fills_its_prose_lists_no_heredoc_and_runs() {
    // Step 1 of tests/fixtures/run/values-as-data.md is the issue's step, byte for byte:
    // a prose and an inline-code placeholder, `echo ssh <<생성된 IP>> >> a.txt` and the heredoc
    // `cat <<EOF >> b.txt`.
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["run/values-as-data.md"]);
    c.ok(&["memo", "set", "6-2", "bucket_name", "my-bucket"]);
    c.ok(&["memo", "set", "6-2", "생성된 IP", "10.0.0.7"]);

    let shown = c.ok(&["show", "6-2", "--step", "1", "--fill"]).stdout;
    assert!(
        shown.contains("버킷 `my-bucket` 과 서버 10.0.0.7 를 쓴다."),
        "{shown}"
    );
    assert!(shown.contains("echo ssh 10.0.0.7 >> a.txt"), "{shown}");
    assert!(shown.contains("cat <<EOF >> b.txt"), "{shown}");

    let listed = json(&c.ok(&["placeholders", "6-2", "--json"]));
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"EOF"), "{names:?}");
    assert_eq!(
        names,
        ["bucket_name", "생성된 IP", "github_username", "db_password"]
    );

    let r = c.run(&["run", "6-2", "1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(!r.stderr.contains("EOF>>"), "{}", r.text());
    let read = |f: &str| std::fs::read_to_string(c.file(f)).unwrap();
    assert_eq!(read("a.txt"), "ssh 10.0.0.7\n");
    assert_eq!(read("b.txt"), "plain\n");
}
