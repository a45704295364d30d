//! `labnote run` runs a step's blocks in one shell: `cd`, `export` carry over between blocks
//! and between the steps of one invocation; examples are never run; the journal records the
//! folders a run started and ended in. On tests/fixtures/run/session-steps.md (lab 8-1).

use crate::course;

use crate::tmux::Pane;
use course::Course;

const LAB: &str = "8-1";

fn course() -> Course {
    Course::empty()
        .with_path()
        .with_fixture_files(&["run/session-steps.md"])
}

/// Files directly in the course folder besides the lab and labnote's own state.
fn strays(c: &Course) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(&c.course)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "session-steps.md" && n != ".labnote")
        .collect();
    v.sort();
    v
}

fn run_records(c: &Course) -> Vec<serde_yaml::Value> {
    c.events("run")
}

#[test]
fn cd_in_one_block_holds_for_the_next() {
    let c = course();
    let home = c.root.join("home");
    let r = c.run(&["run", LAB, "1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(
        std::fs::read_to_string(home.join("x/made.txt"))
            .ok()
            .as_deref(),
        Some("hi\n"),
        "{}",
        r.text()
    );
    assert!(
        strays(&c).is_empty(),
        "in the course folder: {:?}",
        strays(&c)
    );
    let rec = &run_records(&c)[0];
    assert_eq!(rec["details"]["outcome"].as_str(), Some("passed"));
    assert_eq!(
        rec["details"]["cwd_start"].as_str(),
        Some(c.course.to_str().unwrap()),
        "the shell starts where labnote was started"
    );
    assert_eq!(
        rec["details"]["cwd_end"].as_str(),
        Some(home.join("x").to_str().unwrap())
    );
    // labnote reads its own run record back (blocks, tails) without skipping it.
    let log = c.ok(&["log", LAB]);
    assert!(!log.stderr.contains("skipped"), "{}", log.text());
}

#[test]
fn cd_and_export_hold_across_the_steps_of_one_run() {
    let c = course();
    let home = c.root.join("home");
    c.ok(&["run", LAB, "2", "--yes"]);
    assert_eq!(
        std::fs::read_to_string(home.join("y/here.txt")).unwrap(),
        format!("{}\nblue\n", home.join("y").display())
    );
    assert!(strays(&c).is_empty(), "{:?}", strays(&c));
    assert_eq!(c.steps(LAB).iter().filter(|s| s["done"] == true).count(), 3);
}

#[test]
fn examples_never_run_and_their_step_passes() {
    let c = course();
    let r = c.run(&["run", LAB, "3", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(c.file("ran.txt").exists());
    assert!(
        !r.stderr.contains("no-such-command-xyz: command not found"),
        "{}",
        r.text()
    );
    let blocks = run_records(&c)[0]["details"]["blocks"].clone();
    assert_eq!(
        blocks.as_sequence().map(Vec::len),
        Some(1),
        "only the command block runs: {blocks:?}"
    );
    assert!(c
        .steps(LAB)
        .iter()
        .any(|s| s["id"] == "3" && s["done"] == true));
}

#[test]
fn alternatives_are_not_run_without_a_terminal_and_the_step_passes() {
    let c = course();
    let r = c.run(&["run", LAB, "4", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(c.file("listing.txt").exists(), "{}", r.text());
    assert!(!c.file("alternative-was-run.txt").exists());
    assert!(!c.file("details-alternative-was-run.txt").exists());
    assert!(r.stderr.contains("alternative"), "{}", r.text());
}

#[test]
fn the_start_folder_is_cwd_then_workdir_then_where_labnote_started() {
    // workdir in course.yaml (`~/…`).
    let c = course();
    std::fs::create_dir_all(c.root.join("home/environment")).unwrap();
    std::fs::write(c.file("course.yaml"), "workdir: ~/environment\n").unwrap();
    c.ok(&["run", LAB, "3", "--yes"]);
    assert!(c.root.join("home/environment/ran.txt").exists());
    // --cwd wins.
    let other = c.root.join("other");
    std::fs::create_dir_all(&other).unwrap();
    c.ok(&["run", LAB, "3", "--yes", "--cwd", other.to_str().unwrap()]);
    assert!(other.join("ran.txt").exists());
    // A workdir that is not a folder: a clear error naming course.yaml, nothing run.
    std::fs::write(c.file("course.yaml"), "workdir: ~/missing\n").unwrap();
    std::fs::remove_file(other.join("ran.txt")).unwrap();
    let r = c.run(&["run", LAB, "3", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr
            .contains("course.yaml: workdir ~/missing: not a folder"),
        "{}",
        r.text()
    );
    assert_eq!(run_records(&c).len(), 2);
}

#[test]
fn a_failing_block_stops_the_step_with_its_code() {
    let c = course();
    let lab = c.file("session-steps.md");
    let text = std::fs::read_to_string(&lab).unwrap().replace(
        "mkdir -p ~/x\n",
        "mkdir -p ~/x\n(exit 7)\necho not-reached > ~/nr.txt\n",
    );
    std::fs::write(&lab, text).unwrap();
    let r = c.run(&["run", LAB, "1", "--yes"]);
    assert_eq!(r.code, 7, "{}", r.text());
    assert!(!c.root.join("home/nr.txt").exists());
    assert!(!c.root.join("home/x/made.txt").exists());
    assert_eq!(
        run_records(&c)[0]["details"]["outcome"].as_str(),
        Some("failed")
    );
}

#[test]
fn cd_holds_across_two_steps_of_one_walk_and_the_next_run_offers_the_last_folder() {
    let c = course();
    let home = c.root.join("home");
    c.ok(&["done", LAB, "1"]);
    let pane = Pane::start(&c, "walk", &["walk", LAB], "");
    // 2-1: `mkdir -p ~/y && cd ~/y`, `export LAB_COLOR=blue`.
    pane.run_block(1, 1);
    pane.nth(1, "✔ step 2-1 passed");
    // 2-2, in the same shell: `pwd > here.txt`, `echo "$LAB_COLOR" >> here.txt`.
    pane.run_block(2, 2);
    let t = pane.nth(1, "✔ step 2-2 passed");
    assert_eq!(
        std::fs::read_to_string(home.join("y/here.txt"))
            .ok()
            .as_deref(),
        Some(format!("{}\nblue\n", home.join("y").display()).as_str()),
        "{t}"
    );
    assert!(strays(&c).is_empty(), "{:?}", strays(&c));
    pane.nth(3, "[q]uit >");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    let recs = run_records(&c);
    assert_eq!(
        recs[1]["details"]["cwd_start"].as_str(),
        Some(home.join("y").to_str().unwrap()),
        "the second step starts where the first ended"
    );

    // A later `run` on a terminal offers the folder the last run ended in.
    let pane = Pane::start(&c, "run", &["run", LAB, "3"], "");
    pane.nth(
        1,
        &format!(
            "the last run ended in {}; start there? [Y/n]",
            home.join("y").display()
        ),
    );
    pane.send("");
    pane.confirm_block(1);
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert!(home.join("y/ran.txt").exists(), "{}", pane.text());
}

#[test]
fn on_a_terminal_an_alternative_is_asked_and_runs_only_when_chosen() {
    let c = course();
    let pane = Pane::start(&c, "alt", &["run", LAB, "4"], "");
    pane.nth(1, "Run this alternative too? [y/N]");
    pane.send("y");
    pane.nth(2, "Run this alternative too? [y/N]");
    pane.send("");
    pane.confirm_block(1);
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert!(
        c.file("alternative-was-run.txt").exists(),
        "{}",
        pane.text()
    );
    assert!(!c.file("details-alternative-was-run.txt").exists());
    assert!(c.file("listing.txt").exists());
    let t = pane.text();
    assert!(t.contains("an example in step 4"), "{t}");
}
