//! The journal under concurrent `labnote done` processes, and a journal whose last record
//! was cut off (a crash in the middle of a write).

use crate::course;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

const LAB: &str = "ref-2-5-network.md";
const STEPS: [&str; 8] = ["2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "3-4", "4-1"];

fn course() -> TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::copy(course::fixture_path(LAB), t.path().join(LAB)).unwrap();
    t
}

fn labnote(course: &Path) -> Command {
    let mut c = course::labnote_nocolor(course);
    c.current_dir(course).stdin(Stdio::null());
    c
}

fn run(course: &Path, args: &[&str]) -> Output {
    let o = labnote(course).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "labnote {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn journal(course: &Path) -> PathBuf {
    course.join(".labnote/journal.yaml")
}

/// (records, stderr) of `log --json`.
fn log(course: &Path) -> (Vec<Value>, String) {
    let o = run(course, &["log", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    (
        v.as_array().unwrap().clone(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn done_steps(course: &Path) -> Vec<String> {
    let o = run(course, &["steps", "2-5", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["checkable"] == Value::Bool(true) && s["done"] == Value::Bool(true))
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// Start one `labnote <verb> 2-5 STEP` per step at once and wait for all of them; returns
/// the stderr of each.
fn all_at_once(course: &Path, verb: &str) -> Vec<String> {
    let children: Vec<_> = STEPS
        .iter()
        .map(|s| {
            labnote(course)
                .args([verb, "2-5", s])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .zip(STEPS)
        .map(|(c, s)| {
            let o = c.wait_with_output().unwrap();
            let err = String::from_utf8(o.stderr).unwrap();
            assert!(o.status.success(), "{verb} {s}: {err}");
            err
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn eight_concurrent_done_processes_lose_nothing() {
    let c = course();
    let p = c.path();
    let errs = all_at_once(p, "done");
    assert!(
        errs.iter().all(|e| !e.contains("warning")),
        "warnings: {errs:?}"
    );
    let (records, warn) = log(p);
    assert!(warn.is_empty(), "{warn}");
    assert_eq!(records.len(), 8, "{records:?}");
    let steps: Vec<String> = records
        .iter()
        .map(|r| {
            assert_eq!(r["event"], "done");
            assert_eq!(r["lab"], "2-5");
            r["step"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(sorted(steps), sorted(STEPS.map(String::from).to_vec()));
    assert_eq!(
        sorted(done_steps(p)),
        sorted(STEPS.map(String::from).to_vec())
    );

    // Two more rounds (undo all, done all): 24 records, every document intact.
    all_at_once(p, "undo");
    assert!(done_steps(p).is_empty());
    all_at_once(p, "done");
    let (records, warn) = log(p);
    assert!(warn.is_empty(), "{warn}");
    assert_eq!(records.len(), 24);
    assert_eq!(done_steps(p).len(), 8);
    let text = std::fs::read_to_string(journal(p)).unwrap();
    assert_eq!(text.matches("---\n").count(), 24, "{text}");
    assert!(!journal(p).with_extension("torn").exists());
}

/// Three records, then the last one cut at `cut(last_record_text)` bytes into it.
fn torn_journal(cut: impl Fn(&str) -> usize) -> (TempDir, Vec<Value>) {
    let c = course();
    let p = c.path();
    run(p, &["done", "2-5", "1-1"]);
    run(p, &["done", "2-5", "2-1"]);
    run(p, &["done", "2-5", "4-3"]);
    let (before, _) = log(p);
    assert_eq!(before.len(), 3);
    let bytes = std::fs::read(journal(p)).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let last = text.rfind("---\n").unwrap();
    let at = last + cut(&text[last..]);
    assert!(at > last && at < bytes.len());
    std::fs::write(journal(p), &bytes[..at]).unwrap();
    (c, before)
}

fn check_torn(c: &TempDir, before: &[Value]) {
    let p = c.path();
    let (records, warn) = log(p);
    assert_eq!(records, before[..2], "the earlier records are intact");
    assert_eq!(
        warn.matches("warning").count(),
        1,
        "one warning expected: {warn}"
    );
    assert!(warn.contains("journal.yaml"), "{warn}");
    // Reported once: the tail was cut off and kept aside.
    let (records, warn) = log(p);
    assert_eq!(records.len(), 2);
    assert!(warn.is_empty(), "reported twice: {warn}");
    assert!(journal(p).with_extension("torn").is_file());
    // The step of the lost record is open again; the journal takes new records.
    assert!(!done_steps(p).contains(&"4-3".to_string()));
    run(p, &["done", "2-5", "4-4"]);
    let (records, warn) = log(p);
    assert!(warn.is_empty(), "{warn}");
    assert_eq!(records.len(), 3);
    assert_eq!(records[2]["step"], "4-4");
}

#[test]
fn truncated_journal_keeps_the_earlier_records_and_warns_once() {
    // Cut in the middle of the Korean title (inside a UTF-8 sequence).
    let (c, before) = torn_journal(|rec| {
        let at = rec.find("title: 생성된 VPC 확인").expect("the title")
            + "title: 생성된 VPC 확".len()
            - 1;
        assert!(!rec.is_char_boundary(at));
        at
    });
    check_torn(&c, &before);
    // Cut one, two, three bytes into the record (`-`, `--`, `---`): the record before it
    // is complete and must survive.
    for k in 1..=3 {
        let (c, before) = torn_journal(|_| k);
        check_torn(&c, &before);
    }
    // Cut after the first line of the record.
    let (c, before) = torn_journal(|_| "---\nlab: 2-5\n".len());
    check_torn(&c, &before);
    // Cut in the middle of the last line (no final newline).
    let (c, before) = torn_journal(|rec| rec.trim_end().len() - 3);
    check_torn(&c, &before);
}

#[test]
fn truncated_journal_under_concurrent_writers_is_repaired_once() {
    let (c, before) = torn_journal(|rec| rec.len() / 2);
    let p = c.path();
    let errs = all_at_once(p, "done");
    let warnings: usize = errs.iter().map(|e| e.matches("warning").count()).sum();
    assert_eq!(
        warnings, 1,
        "the torn tail is reported by one process: {errs:?}"
    );
    let (records, warn) = log(p);
    assert!(warn.is_empty(), "{warn}");
    assert_eq!(records[..2], before[..2]);
    // 2-1 was already done: 7 new records.
    assert_eq!(records.len(), 2 + 7, "{records:?}");
    let mut want: Vec<String> = STEPS.map(String::from).to_vec();
    want.push("1-1".into());
    assert_eq!(sorted(done_steps(p)), sorted(want));
}
