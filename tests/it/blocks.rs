//! `labnote run --list`: the class of every block of a step and why, on the fixtures.

use crate::course;

use course::Course;

fn classes(c: &Course, lab: &str, step: &str) -> Vec<(String, String)> {
    let r = c.ok(&["run", lab, step, "--list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            assert!(!b["reason"].as_str().unwrap().is_empty(), "{b}");
            (
                b["class"].as_str().unwrap().to_owned(),
                b["first_line"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn only_classes(v: &[(String, String)]) -> Vec<&str> {
    v.iter().map(|(c, _)| c.as_str()).collect()
}

#[test]
fn list_classifies_every_block_of_the_session_fixture() {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["run/session-steps.md"]);
    assert_eq!(
        only_classes(&classes(&c, "8-1", "1")),
        ["run", "run", "run"]
    );
    assert_eq!(
        only_classes(&classes(&c, "8-1", "3")),
        ["run", "example", "example"]
    );
    assert_eq!(
        only_classes(&classes(&c, "8-1", "4")),
        [
            "example",
            "not-shell",
            "not-shell",
            "alternative",
            "alternative",
            "run"
        ]
    );
    // The text listing says the same, with the reasons; nothing ran, nothing recorded.
    let r = c.ok(&["run", "8-1", "3", "--list"]);
    assert!(r.stdout.contains("example"), "{}", r.stdout);
    assert!(
        r.stdout.contains("`student:~/environment $`"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("`- 결과 예시`"), "{}", r.stdout);
    assert!(!c.file("ran.txt").exists());
    assert!(c.events("run").is_empty());
}

#[test]
fn list_classifies_the_run_fixture() {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["run/run-steps.md"]);
    let v = classes(&c, "6-1", "3");
    assert_eq!(
        only_classes(&v),
        ["run", "not-shell", "run", "not-shell", "run", "not-shell"],
        "{v:?}"
    );
    assert_eq!(v[4].1, "cp f.yaml copy.yaml");
}

#[test]
fn list_needs_no_terminal_and_rejects_json_alone() {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["run/session-steps.md"]);
    let r = c.run(&["run", "8-1", "1", "--json"]);
    assert_eq!(r.code, 1, "a usage error: {}", r.text());
    assert!(r.stderr.contains("--list"), "{}", r.text());
}
