//! The run use case called as a front end without a terminal calls it (the web page will):
//! a recording [`RunUi`], a temporary course, the journal read back.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use secrecy::SecretString;

use super::*;
use crate::app::{Front, StepAt};
use crate::journal::{Event, Record};

/// A temporary course of one lab, and a front end on it.
struct TestCourse {
    dir: tempfile::TempDir,
    /// Where the sessions start (`--cwd`).
    work: tempfile::TempDir,
    warnings: RefCell<Vec<String>>,
}

impl Front for TestCourse {
    fn course_dir(&self) -> &Path {
        self.dir.path()
    }
    fn warn(&self, msg: &str) {
        self.warnings.borrow_mut().push(msg.to_string());
    }
}

const LAB_MD: &str = "day1/lab1-run.md";

impl TestCourse {
    /// A course whose lab has step `1-1` with `blocks` (bash) and a memo block with a
    /// `github_token` entry.
    fn with_blocks(blocks: &[&str]) -> TestCourse {
        let mut md = String::from(
            "# 1일차 - Lab 1. 실행\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ **<< github_token>>** :\n\n## 🔴 1. 준비\n\n### ✔ 1-1. 명령 실행\n\n",
        );
        for b in blocks {
            md.push_str(&format!("```bash\n{b}\n```\n\n"));
        }
        md.push_str("### ✔ 1-2. 다음\n\n다음 단계.\n");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(LAB_MD);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, md).unwrap();
        TestCourse {
            dir,
            work: tempfile::tempdir().unwrap(),
            warnings: RefCell::new(Vec::new()),
        }
    }

    fn course(&self) -> Course {
        super::super::open_course(self).unwrap()
    }

    /// Step `1-1` of the lab.
    fn at(&self) -> StepAt {
        let course = self.course();
        let lab = course.resolve("1-1").unwrap();
        let step = course.labs[lab]
            .lab
            .steps
            .iter()
            .position(|s| s.id == "1-1")
            .unwrap();
        StepAt { lab, step }
    }

    fn work_dir(&self) -> PathBuf {
        self.work.path().canonicalize().unwrap()
    }

    fn request(&self, yes: bool) -> Request {
        Request {
            cwd: Some(self.work_dir()),
            yes,
            ..Request::default()
        }
    }

    fn records(&self) -> Vec<Record> {
        super::super::load_journal(self).unwrap()
    }

    /// The one `run` record of the journal.
    fn run_record(&self) -> Record {
        let runs: Vec<Record> = self
            .records()
            .into_iter()
            .filter(|r| r.event == Event::Run)
            .collect();
        assert_eq!(runs.len(), 1, "{runs:?}");
        runs.into_iter().next().unwrap()
    }

    fn done_count(&self) -> usize {
        let records = self.records();
        records.iter().filter(|r| r.event == Event::Done).count()
    }

    /// Every file the course holds besides its lab, as text (the journal and the rest).
    fn written(&self) -> String {
        fn walk(d: &Path, out: &mut String) {
            for e in std::fs::read_dir(d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if !p.ends_with(LAB_MD) {
                    out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
                }
            }
        }
        let mut out = String::new();
        walk(self.dir.path(), &mut out);
        out
    }
}

/// A front end's side of a run, recorded: no terminal, answers given in advance.
#[derive(Default)]
struct Recording {
    asks: bool,
    answers: RefCell<VecDeque<Answer>>,
    started: RefCell<Vec<(usize, usize, String)>>,
    ended: RefCell<Vec<(usize, Option<i32>)>>,
    notes: RefCell<Vec<String>>,
    chunks: Arc<Mutex<Vec<(Stream, String)>>>,
}

impl Recording {
    fn answering(answers: &[Answer]) -> Recording {
        Recording {
            asks: true,
            answers: RefCell::new(answers.iter().copied().collect()),
            ..Recording::default()
        }
    }

    /// What the blocks printed on stdout, as the front end received it.
    fn stdout(&self) -> String {
        let chunks = self.chunks.lock().unwrap();
        chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Out)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

impl RunUi for Recording {
    fn note(&self, msg: &str) {
        self.notes.borrow_mut().push(msg.to_string());
    }
    fn can_ask(&self) -> bool {
        self.asks
    }
    fn block_start(&self, b: &BlockShown<'_>) {
        self.started
            .borrow_mut()
            .push((b.number, b.of, b.text.to_string()));
    }
    fn confirm_block(&self, _number: usize) -> Answer {
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or(Answer::Stop)
    }
    fn confirm_alternative(&self, _reason: &str) -> bool {
        false
    }
    fn output(&self) -> Sink {
        let chunks = Arc::clone(&self.chunks);
        Arc::new(move |stream, text| chunks.lock().unwrap().push((stream, text.to_string())))
    }
    fn block_end(&self, number: usize, result: &BlockResult) {
        self.ended.borrow_mut().push((number, result.exit_code));
    }
}

/// One run at a time in this process (the sessions are the process's), each in a fresh one.
fn one_session() -> std::sync::MutexGuard<'static, ()> {
    let g = crate::session::test_lock();
    end_session();
    g
}

/// The tail lines the record keeps of block `n` (1-based).
fn tail(rec: &Record, n: usize) -> Vec<String> {
    let blocks = rec.details["blocks"].as_sequence().unwrap();
    blocks[n - 1]["tail"]
        .as_sequence()
        .map(|t| t.iter().map(|l| l.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn a_cd_holds_for_the_next_block_and_the_front_end_gets_the_output_and_the_record() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["mkdir -p made && cd made", "pwd"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    let ran = run(&c, &course, at, &c.request(true), &ui).unwrap();
    end_session();
    let made = c.work_dir().join("made");
    assert_eq!(ran.outcome, Outcome::Passed);
    assert!(
        ui.stdout().contains(&format!("{}\n", made.display())),
        "{:?}",
        ui.chunks.lock().unwrap()
    );
    let started = ui.started.borrow();
    assert_eq!(started.len(), 2);
    assert_eq!(
        (started[0].0, started[0].1),
        (1, 2),
        "block 1 of 2 first: {started:?}"
    );
    assert!(started[1].2.contains("pwd"), "{started:?}");
    assert_eq!(*ui.ended.borrow(), vec![(1, Some(0)), (2, Some(0))]);
    assert_eq!(ran.folders, (c.work_dir(), made.clone()));
    let rec = c.run_record();
    assert_eq!(rec.step.as_deref(), Some("1-1"));
    assert_eq!(rec.details["outcome"].as_str(), Some("passed"));
    assert_eq!(rec.details["shell"].as_str(), Some("bash"));
    let end = made.display().to_string();
    assert_eq!(rec.details["cwd_end"].as_str(), Some(end.as_str()));
    assert_eq!(tail(&rec, 2), vec![end]);
    // A passed run checks the step.
    assert_eq!(c.done_count(), 1);
    assert!(c.warnings.borrow().is_empty(), "{:?}", c.warnings.borrow());
}

/// The same identity as `app::tests` (one override per process).
fn identity() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/app-tests/identity.txt");
    crate::secret::init_identity(&path).unwrap();
    crate::secret::set_identity_override(path);
}

#[test]
fn a_noted_secret_is_masked_in_the_output_and_never_reaches_the_record() {
    identity();
    let _one = one_session();
    let token = "ghp_S3cretTokenValue0123456789";
    // The block prints the secret through its placeholder, and once more written out (as
    // `cat ~/.git-credentials` would print one another step noted).
    let c = TestCourse::with_blocks(&[&format!(
        "echo \"token: <<github_token>>\"\necho {token}\necho taken: plain-value-42"
    )]);
    let (course, at) = (c.course(), c.at());
    let v = SecretString::from(token.to_string());
    let written =
        super::super::memo::set_value(&c, &course, at.lab, "github_token", &v, false, None);
    written.unwrap();
    let course = c.course();
    let ui = Recording::default();
    let plan = prepare(&c, &course, at, &c.request(true), &ui).unwrap();
    let ran = plan.execute(&c, &ui).unwrap();
    end_session();
    assert_eq!(ran.outcome, Outcome::Passed);
    let out = ui.stdout();
    assert!(
        out.contains("token: ••••\n") && !out.contains(token),
        "{out}"
    );
    assert!(!ui.started.borrow()[0].2.contains(token));
    // A value the front end notes from the output as secret is masked in the record too.
    let mut secrets = Masker::default();
    secrets.add(&SecretString::from("plain-value-42".to_string()));
    record(&c, &course, &ran, &secrets).unwrap();
    let rec = c.run_record();
    assert_eq!(
        tail(&rec, 1),
        vec!["token: ••••", "••••", "taken: ••••"],
        "{rec:?}"
    );
    let files = c.written();
    assert!(!files.contains(token) && !files.contains("plain-value-42"));
}

#[test]
fn a_long_line_is_cut_at_4_kib_in_the_record() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["head -c 10000 /dev/zero | tr '\\0' a; echo; echo short"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    run(&c, &course, at, &c.request(true), &ui).unwrap();
    end_session();
    // The front end got the whole line; the journal keeps 4 KiB of it, said to be cut.
    assert!(ui.stdout().contains(&"a".repeat(10000)));
    let lines = tail(&c.run_record(), 1);
    assert_eq!(lines.len(), 2, "{}", lines.len());
    assert_eq!(lines[0], format!("{} …", "a".repeat(RECORDED_LINE)));
    assert_eq!(lines[1], "short");
}

#[test]
fn a_failing_block_ends_the_run_failed_and_the_step_stays_open() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["echo one; exit 3", "echo never"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    let ran = run(&c, &course, at, &c.request(true), &ui).unwrap();
    end_session();
    assert_eq!(ran.outcome, Outcome::Failed { code: 3 });
    assert!(!ran.outcome.ran());
    assert!(!ui.stdout().contains("never"));
    let rec = c.run_record();
    assert_eq!(rec.details["outcome"].as_str(), Some("failed"));
    let blocks = rec.details["blocks"].as_sequence().unwrap();
    assert_eq!(blocks.len(), 1, "the second block never ran");
    assert_eq!(blocks[0]["exit"].as_i64(), Some(3));
    assert_eq!(c.done_count(), 0);
}

#[test]
fn a_skipped_block_leaves_a_partial_run_and_a_stop_ends_it() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["echo first", "echo second"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::answering(&[Answer::Skip, Answer::Run]);
    let ran = run(&c, &course, at, &c.request(false), &ui).unwrap();
    assert_eq!(ran.outcome, Outcome::Partial { skipped: 1 });
    assert!(ran.outcome.ran());
    assert_eq!(ui.stdout(), "second\n");
    let rec = c.run_record();
    assert_eq!(rec.details["outcome"].as_str(), Some("partial"));
    let blocks = rec.details["blocks"].as_sequence().unwrap();
    assert_eq!(blocks[0]["skipped"].as_bool(), Some(true));
    assert_eq!(c.done_count(), 0, "a partial run checks nothing");

    let c = TestCourse::with_blocks(&["echo first", "echo second"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::answering(&[Answer::Run, Answer::Stop]);
    let ran = run(&c, &course, at, &c.request(false), &ui).unwrap();
    end_session();
    assert_eq!(ran.outcome, Outcome::Stopped);
    assert_eq!(ui.stdout(), "first\n");
    assert_eq!(c.run_record().details["outcome"].as_str(), Some("stopped"));
    assert_eq!(c.done_count(), 0);
}

#[test]
fn stop_interrupts_the_block_running() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["echo started; sleep 20; echo not-reached", "echo never"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    // The Stop button, pressed once the block has printed (so it is running).
    let chunks = Arc::clone(&ui.chunks);
    let stopper = std::thread::spawn(move || {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < until {
            let seen = chunks.lock().unwrap().iter().any(|(_, t)| t == "started\n");
            if seen {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        stop();
    });
    let t0 = std::time::Instant::now();
    let ran = run(&c, &course, at, &c.request(true), &ui).unwrap();
    stopper.join().unwrap();
    end_session();
    assert!(t0.elapsed().as_secs() < 10, "{:?}", t0.elapsed());
    assert_eq!(ran.outcome, Outcome::Interrupted);
    assert!(!ui.stdout().contains("not-reached") && !ui.stdout().contains("never"));
    assert_eq!(
        c.run_record().details["outcome"].as_str(),
        Some("interrupted")
    );
    assert_eq!(c.done_count(), 0);
}

/// A front end whose student presses Stop while block `at` is asked for, then says run.
struct StopsAt(Recording, usize);

impl RunUi for StopsAt {
    fn note(&self, msg: &str) {
        self.0.note(msg);
    }
    fn can_ask(&self) -> bool {
        true
    }
    fn block_start(&self, b: &BlockShown<'_>) {
        self.0.block_start(b);
    }
    fn confirm_block(&self, number: usize) -> Answer {
        if number == self.1 {
            stop();
        }
        Answer::Run
    }
    fn confirm_alternative(&self, _reason: &str) -> bool {
        false
    }
    fn output(&self) -> Sink {
        self.0.output()
    }
}

#[test]
fn stop_between_blocks_starts_no_further_block() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["echo first", "echo second"]);
    let (course, at) = (c.course(), c.at());
    let ui = StopsAt(Recording::default(), 2);
    let ran = run(&c, &course, at, &c.request(false), &ui).unwrap();
    end_session();
    assert_eq!(ran.outcome, Outcome::Interrupted);
    assert_eq!(ui.0.stdout(), "first\n");
    let rec = c.run_record();
    assert_eq!(rec.details["outcome"].as_str(), Some("interrupted"));
    assert_eq!(rec.details["blocks"].as_sequence().unwrap().len(), 1);
    assert_eq!(c.done_count(), 0);
}

#[test]
fn without_a_way_to_ask_a_run_needs_yes_and_nothing_runs() {
    let c = TestCourse::with_blocks(&["echo hi"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    let err = match prepare(&c, &course, at, &c.request(false), &ui) {
        Err(e) => e,
        Ok(_) => panic!("a run without --yes and nobody to ask"),
    };
    assert!(matches!(&err, AppError::Run(e) if matches!(**e, RunError::NeedsConfirmation { .. })));
    assert_eq!(err.kind(), crate::app::ErrorKind::User);
    assert!(c.records().is_empty());
}

#[test]
fn a_value_not_noted_and_a_step_without_commands_are_refused_by_name() {
    let c = TestCourse::with_blocks(&["echo <<github_token>>"]);
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    let err = prepare(&c, &course, at, &c.request(true), &ui)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("block 1 of step 1-1") && err.contains("github_token"),
        "{err}"
    );
    let next = StepAt {
        step: at.step + 1,
        ..at
    };
    let err = run(&c, &course, next, &c.request(true), &ui)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("step 1-2") && err.contains("no commands"),
        "{err}"
    );
    assert!(!runs_something(&course, next) && runs_something(&course, at));
    assert!(c.records().is_empty());
}

#[test]
fn rules_are_parsed_or_named() {
    assert_eq!(parse_rules(&["token=tok: (\\S+)".into()]).unwrap().len(), 1);
    let shape = parse_rules(&["token".into()]).err().unwrap().to_string();
    assert!(shape.contains("--note token"), "{shape}");
    let regex = parse_rules(&["t=(".into()]).err().unwrap().to_string();
    assert!(regex.contains("--note t=("), "{regex}");
}

#[test]
fn the_working_folder_rule() {
    let course_dir = Path::new("/course");
    assert_eq!(expand("work", course_dir), PathBuf::from("/course/work"));
    if let Some(home) = std::env::var_os("HOME") {
        assert_eq!(expand("~/w", course_dir), PathBuf::from(home).join("w"));
    }
    let rec = |end: &str| Record::new("1-1", Event::Run).detail("cwd_end", end.to_string());
    let records = vec![rec("/a"), Record::new("1-1", Event::Done), rec("/b")];
    assert_eq!(last_end_dir(&records), Some(PathBuf::from("/b")));
    let missing = Path::new("/no/such/folder/here");
    let _one = one_session();
    let err = start_dir(Some(missing), None, course_dir, None, None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("--cwd /no/such/folder/here: not a folder"),
        "{err}"
    );
}

#[test]
fn a_run_can_move_to_another_thread() {
    // A web front end runs the blocks on a worker thread and streams the output.
    fn send<T: Send>() {}
    send::<Plan>();
    send::<Ran>();
    send::<Request>();
    send::<Sink>();
}

/// One block of a step, as a page runs it: numbered as `run --list` numbers the step's
/// blocks, refused when `run` would not run it, the step checked only once every block that
/// runs has passed, and the journal naming the block.
#[test]
fn one_block_of_a_step_runs_alone_and_the_step_is_checked_when_every_block_passed() {
    let _one = one_session();
    let c = TestCourse::with_blocks(&["mkdir -p one && cd one", "pwd"]);
    // An example transcript after the commands: block 3 of the step, never run.
    let p = c.dir.path().join(LAB_MD);
    let md = std::fs::read_to_string(&p).unwrap().replace(
        "### ✔ 1-2. 다음",
        "- 출력 예시\n\n```\n$ pwd\n/home/ec2-user/environment/one\n```\n\n### ✔ 1-2. 다음",
    );
    std::fs::write(&p, md).unwrap();
    let (course, at) = (c.course(), c.at());
    let ui = Recording::default();
    let req = c.request(true);
    let refused = prepare_one(&c, &course, at, 3, &req, &ui).err().unwrap();
    assert!(
        refused.to_string().contains("is not run (example"),
        "{refused}"
    );
    let refused = prepare_one(&c, &course, at, 4, &req, &ui).err().unwrap();
    assert!(refused.to_string().contains("has no block 4"), "{refused}");
    assert!(prepare_one(&c, &course, at, 0, &req, &ui).is_err());
    // The confirmation's text: the block alone.
    let plan = prepare_one(&c, &course, at, 2, &req, &ui).unwrap();
    assert_eq!(plan.shown(), vec!["pwd\n".to_string()]);
    assert_eq!(plan.langs(), vec!["bash".to_string()]);
    // Block 2 first: it passes, but block 1 never did, so the step stays open.
    let ran = plan.execute(&c, &ui).unwrap();
    record(&c, &course, &ran, &Masker::default()).unwrap();
    assert_eq!(ran.outcome, Outcome::Passed);
    assert_eq!(c.done_count(), 0, "block 1 has not passed yet");
    // Block 1 (the cd), then block 2 again in the same session: the folder holds, and the
    // step is checked now.
    for n in [1, 2] {
        let course = c.course();
        let ran = prepare_one(&c, &course, at, n, &req, &ui)
            .unwrap()
            .execute(&c, &ui)
            .unwrap();
        record(&c, &course, &ran, &Masker::default()).unwrap();
        assert_eq!(ran.block, Some(n));
    }
    end_session();
    let one = c.work_dir().join("one");
    assert!(
        ui.stdout().ends_with(&format!("{}\n", one.display())),
        "{}",
        ui.stdout()
    );
    // Block 1's run checks it (block 2 had passed), and block 2's again, as `run` does.
    assert_eq!(c.done_count(), 2, "every block passed: the step is checked");
    let blocks: Vec<u64> = c
        .records()
        .iter()
        .filter(|r| r.event == Event::Run)
        .map(|r| r.details["block"].as_u64().unwrap())
        .collect();
    assert_eq!(blocks, vec![2, 1, 2]);
}

#[test]
fn one_run_at_a_time_and_a_page_line_has_no_escape_sequence() {
    // The claim is the process's: no other run of these tests meanwhile.
    let _one = one_session();
    let first = claim().expect("free");
    assert!(claim().is_none(), "a second run is refused while one runs");
    drop(first);
    assert!(claim().is_some(), "free again");
    assert_eq!(page_line("\x1b[32mok\x1b[0m\n"), "ok\n");
    assert_eq!(page_line("a\x07b\n"), "a^Gb\n");
}
