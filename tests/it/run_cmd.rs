//! `labnote run LAB STEP`, end to end: the real binary on a temporary course holding
//! `tests/fixtures/run/run-steps.md` (lab `6-1`), whose steps are a passing block, a failing
//! block, heredocs next to blocks that never run, a secret placeholder, a sleeping block and
//! an unresolved placeholder.
//!
//! The binary runs with a cleared environment (PATH, and HOME / XDG_CONFIG_HOME /
//! LABNOTE_IDENTITY in the test's temporary folder), stdin not a terminal.

use crate::course;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use course::{processes, running_in, Course, Run};

const LAB: &str = "6-1";

/// The run tests' course: tests/fixtures/run/run-steps.md (lab 6-1), the test's PATH (for
/// the blocks), no AWS configuration.
trait RunCourse {
    fn new() -> Self;
    /// With an age identity, for secret memo values.
    fn with_identity() -> Self;
    /// [`Course::cmd`] with stdout and stderr piped, to spawn.
    fn piped(&self, args: &[&str]) -> Command;
    /// `labnote memo set 6-1 KEY -` with the value on stdin (never in an argument list).
    fn memo_set_stdin(&self, key: &str, value: &str);
    /// The one `run` record of the journal.
    fn run_record(&self) -> serde_yaml::Value;
    /// Ids of the done steps of lab 6-1, as `labnote steps --json` reports them.
    fn done_steps(&self) -> Vec<String>;
}

impl RunCourse for Course {
    fn new() -> Course {
        Course::empty()
            .with_path()
            .with_fixture_files(&["run/run-steps.md"])
    }

    fn with_identity() -> Course {
        let c = Course::new();
        c.init();
        c
    }

    fn piped(&self, args: &[&str]) -> Command {
        let mut c = self.cmd(args);
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        c
    }

    fn memo_set_stdin(&self, key: &str, value: &str) {
        set_on_stdin(self, LAB, key, value);
    }

    fn run_record(&self) -> serde_yaml::Value {
        let runs = self.events("run");
        assert_eq!(runs.len(), 1, "run records: {runs:?}");
        runs.into_iter().next().unwrap()
    }

    fn done_steps(&self) -> Vec<String> {
        self.steps(LAB)
            .iter()
            .filter(|s| s["done"] == true)
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// The journal's blocks of a run record as (block, lang, exit).
fn blocks_of(rec: &serde_yaml::Value) -> Vec<(u64, String, Option<i64>)> {
    rec["details"]["blocks"]
        .as_sequence()
        .expect("details.blocks")
        .iter()
        .map(|b| {
            (
                b["block"].as_u64().unwrap(),
                b["lang"].as_str().unwrap().to_owned(),
                b["exit"].as_i64(),
            )
        })
        .collect()
}

fn tail_of(rec: &serde_yaml::Value, block: usize) -> Vec<String> {
    rec["details"]["blocks"][block]["tail"]
        .as_sequence()
        .expect("tail")
        .iter()
        .map(|l| l.as_str().unwrap().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// /proc: the processes of a block

/// Collects a child's stdout and stderr on threads, so that it never blocks on a full pipe.
struct Collected {
    started: Instant,
    out: std::thread::JoinHandle<String>,
    err: std::thread::JoinHandle<String>,
}

fn collect(child: &mut Child) -> Collected {
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    Collected {
        started: Instant::now(),
        out: read(Box::new(child.stdout.take().unwrap())),
        err: read(Box::new(child.stderr.take().unwrap())),
    }
}

impl Collected {
    fn finish(self, code: i32) -> Run {
        Run {
            code,
            stdout: self.out.join().unwrap(),
            stderr: self.err.join().unwrap(),
            elapsed: self.started.elapsed(),
        }
    }
}

/// Kills a child that a failed assertion would otherwise leave running.
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        unsafe {
            libc::kill(self.0 as i32, libc::SIGKILL);
        }
    }
}

// ---------------------------------------------------------------------------------------

#[test]
fn a_passing_block_checks_the_step_and_is_journaled() {
    let c = Course::new();
    let r = c.run(&["run", LAB, "1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    // The block's output streams through; the block is shown before it runs.
    assert!(r.stdout.contains("step one ran"), "{}", r.text());
    assert!(r.stderr.contains("block 1/1 (bash)"), "{}", r.text());
    assert!(r.stderr.contains("echo \"step one ran\""), "{}", r.text());
    assert!(c.file("where.txt").is_file(), "the block did not run");

    let rec = c.run_record();
    assert_eq!(rec["lab"].as_str(), Some(LAB));
    assert_eq!(rec["step"].as_str(), Some("1"));
    assert_eq!(rec["details"]["outcome"].as_str(), Some("passed"));
    assert_eq!(rec["details"]["shell"].as_str(), Some("bash"));
    assert_eq!(blocks_of(&rec), [(1, "bash".to_owned(), Some(0))]);
    let b = &rec["details"]["blocks"][0];
    assert!(b["duration_ms"].as_u64().is_some(), "{b:?}");
    assert_eq!(tail_of(&rec, 0), ["step one ran"]);

    let done = c.events("done");
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0]["step"].as_str(), Some("1"));
    assert_eq!(done[0]["details"]["by"].as_str(), Some("run"));
    assert_eq!(c.done_steps(), ["1"]);
}

#[test]
fn a_failing_block_passes_its_exit_code_and_stops_the_step() {
    let c = Course::new();
    let r = c.run(&["run", LAB, "2", "--yes"]);
    assert_eq!(r.code, 3, "the block's `exit 3`:\n{}", r.text());
    assert!(r.stderr.contains("exit code 3"), "{}", r.text());
    assert!(r.stdout.contains("about to fail"), "{}", r.text());
    assert!(
        c.file("before.txt").is_file(),
        "the first block did not run"
    );
    assert!(
        !c.file("after-failure.txt").exists(),
        "the block after the failing one ran"
    );
    assert!(!r.stderr.contains("block 2/2"), "{}", r.text());

    let rec = c.run_record();
    assert_eq!(rec["details"]["outcome"].as_str(), Some("failed"));
    assert_eq!(blocks_of(&rec), [(1, "bash".to_owned(), Some(3))]);
    assert_eq!(tail_of(&rec, 0), ["about to fail"]);
    assert!(c.events("done").is_empty(), "{}", c.journal_text());
    assert!(c.done_steps().is_empty());
}

#[test]
fn heredocs_run_as_written_in_the_cwd() {
    let c = Course::new();
    let work = c.root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let r = c.run(&["run", LAB, "3", "--yes", "--cwd", work.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.text());
    let expected = "kind: ConfigMap\n\
                    metadata:\n  name: demo\n\
                    # heredoc 안의 주석\n\
                    data:\n  lab: \"6-1\"\n  literal: \"$HOME\"\n";
    assert_eq!(
        std::fs::read_to_string(work.join("f.yaml")).expect("f.yaml in --cwd"),
        expected
    );
    // The bare `cp` block ran after both heredocs, in document order.
    assert_eq!(
        std::fs::read_to_string(work.join("copy.yaml")).unwrap(),
        expected
    );
    assert!(!c.file("f.yaml").exists(), "written in the course folder");
    assert_eq!(c.done_steps(), ["3"]);
}

#[test]
fn yaml_json_and_output_blocks_never_run() {
    let c = Course::new();
    let r = c.run(&["run", LAB, "3", "--yes"]);
    // The bare block of command output (`NAME READY …`) would fail if it ran.
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(!c.file("yaml-was-run.txt").exists(), "the yaml block ran");
    assert!(!c.file("json-was-run.txt").exists(), "the json block ran");
    // Only the three shell blocks are shown and journaled.
    assert!(r.stderr.contains("block 3/3 (commands)"), "{}", r.text());
    for shown in ["touch yaml-was-run.txt", "json-was-run", "NAME   READY"] {
        assert!(!r.stderr.contains(shown), "{shown} shown:\n{}", r.text());
    }
    let rec = c.run_record();
    assert_eq!(
        blocks_of(&rec),
        [
            (1, "bash".to_owned(), Some(0)),
            (2, "bash".to_owned(), Some(0)),
            (3, "commands".to_owned(), Some(0)),
        ]
    );
}

#[test]
fn a_secret_reaches_the_block_through_the_environment_only() {
    let c = Course::with_identity();
    let secret = format!(
        "ghp_{}x{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    c.memo_set_stdin("some_token", &secret);
    c.ok(&["memo", "set", LAB, "greeting", "hello-there"]);
    let lab = std::fs::read_to_string(c.file("run-steps.md")).unwrap();
    assert!(!lab.contains(&secret), "noted in clear");

    let mut child = c.piped(&["run", LAB, "4", "--yes"]).spawn().unwrap();
    let _guard = KillOnDrop(child.id());
    let io = collect(&mut child);
    // Sample every process's argument list while the block sleeps.
    let mut samples = 0;
    let mut saw_block = false;
    let mut leaks = Vec::new();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        for p in processes() {
            if p.cmdline == b"sleep\x002\x00" && p.cwd.as_deref() == Some(c.course.as_path()) {
                saw_block = true;
            }
            if p.cmdline
                .windows(secret.len())
                .any(|w| w == secret.as_bytes())
            {
                leaks.push(format!(
                    "{}: {}",
                    p.pid,
                    String::from_utf8_lossy(&p.cmdline).replace('\0', " ")
                ));
            }
        }
        samples += 1;
        std::thread::sleep(Duration::from_millis(20));
    };
    let r = io.finish(status.code().unwrap_or(-1));
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        saw_block,
        "never saw the block's `sleep 2` ({samples} samples)"
    );
    assert!(
        leaks.is_empty(),
        "the secret in an argument list: {leaks:?}"
    );

    // The block got the value…
    assert_eq!(std::fs::read_to_string(c.file("out.txt")).unwrap(), secret);
    assert_eq!(
        std::fs::read_to_string(c.file("greeting.txt")).unwrap(),
        "hello-there"
    );
    // …and labnote shows it masked, in the block it shows and in the output it relays.
    assert!(
        !r.stdout.contains(&secret),
        "secret on stdout:\n{}",
        r.text()
    );
    assert!(
        !r.stderr.contains(&secret),
        "secret on stderr:\n{}",
        r.text()
    );
    assert!(
        r.stderr.contains("printf %s \"••••\" > out.txt"),
        "{}",
        r.text()
    );
    assert!(
        r.stdout
            .contains("the token is ••••, the greeting is hello-there"),
        "{}",
        r.text()
    );
    let journal = c.journal_text();
    assert!(!journal.contains(&secret), "secret in the journal");
    let rec = c.run_record();
    assert_eq!(
        tail_of(&rec, 0),
        ["the token is ••••, the greeting is hello-there"]
    );
    for e in std::fs::read_dir(c.file(".labnote")).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&secret),
            "secret in the course state"
        );
    }
    assert_eq!(c.done_steps(), ["4"]);
}

#[test]
fn sigint_stops_the_block_and_leaves_no_process() {
    let c = Course::new();
    let mut child = c.piped(&["run", LAB, "5", "--yes"]).spawn().unwrap();
    let _guard = KillOnDrop(child.id());
    let io = collect(&mut child);
    // Wait for both sleeps (the background one and the foreground one) to run.
    let marker = ["sleep", "31.5"];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n = running_in(&c.course, &marker).len();
        if n == 2 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "labnote ended before the block slept"
        );
        assert!(
            Instant::now() < deadline,
            "the block's sleeps never showed ({n} found)"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let sent = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "labnote still runs 5 s after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let r = io.finish(status.code().unwrap_or(-1));
    assert_eq!(r.code, 130, "{}", r.text());
    assert!(r.stderr.contains("interrupted"), "{}", r.text());
    // Nothing of the block is left (SIGKILL is asynchronous: allow the kernel a moment).
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let left = running_in(&c.course, &marker);
        if left.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "processes of the block left: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let rec = c.run_record();
    assert_eq!(rec["details"]["outcome"].as_str(), Some("interrupted"));
    let b = &rec["details"]["blocks"][0];
    assert_eq!(b["interrupted"].as_bool(), Some(true), "{rec:?}");
    assert_eq!(tail_of(&rec, 0), ["sleeping"]);
    assert!(c.events("done").is_empty());
    assert!(c.done_steps().is_empty());
}

#[test]
fn without_yes_and_without_a_terminal_nothing_runs() {
    let c = Course::new();
    let r = c.run(&["run", LAB, "1"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("--yes"), "{}", r.text());
    assert!(!c.file("where.txt").exists(), "the block ran");
    assert!(!r.stdout.contains("step one ran"), "{}", r.text());
    assert!(c.events("run").is_empty(), "{}", c.journal_text());
    assert!(c.done_steps().is_empty());
}

#[test]
fn an_unresolved_placeholder_is_named_and_nothing_runs() {
    let c = Course::new();
    let r = c.run(&["run", LAB, "6", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr.contains("<<never_noted_value>>"),
        "not named:\n{}",
        r.text()
    );
    // The first block needs nothing, but it is not run either: the step is checked first.
    assert!(!c.file("first-block-ran.txt").exists(), "a block ran");
    assert!(c.events("run").is_empty(), "{}", c.journal_text());
    assert!(c.done_steps().is_empty());
}

#[test]
fn lab_and_step_are_in_the_blocks_environment() {
    let c = Course::new();
    c.ok(&["run", LAB, "1", "--yes"]);
    assert_eq!(
        std::fs::read_to_string(c.file("env.txt")).unwrap(),
        "6-1|1\n"
    );
}

#[test]
fn the_cwd_is_the_course_folder_unless_given() {
    let c = Course::new();
    c.ok(&["run", LAB, "1", "--yes"]);
    assert_eq!(
        std::fs::read_to_string(c.file("where.txt")).unwrap(),
        format!("{}\n", c.course.display())
    );

    let c = Course::new();
    let work = c.root.join("elsewhere");
    std::fs::create_dir_all(&work).unwrap();
    c.ok(&["run", LAB, "1", "--yes", "--cwd", work.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(work.join("where.txt")).unwrap(),
        format!("{}\n", work.display())
    );
    assert!(!c.file("where.txt").exists());

    let missing = c.root.join("missing");
    let r = c.run(&["run", LAB, "2", "--yes", "--cwd", missing.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("not a folder"), "{}", r.text());
    assert!(!c.file("before.txt").exists() && !missing.exists());
}

#[test]
fn a_step_without_commands_is_a_clear_error() {
    let c = Course::new();
    let r = c.run(&["run", LAB, "7", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("no commands to run"), "{}", r.text());
    assert!(r.stderr.contains("labnote done 6-1 7"), "{}", r.text());
    assert!(c.journal_text().is_empty(), "{}", c.journal_text());
}

/// `labnote memo set LAB KEY -` with the value on stdin.
fn set_on_stdin(c: &Course, lab: &str, key: &str, value: &str) {
    c.memo_set_on_stdin(lab, key, value);
}

#[test]
fn every_noted_secret_is_masked_whole_even_when_the_block_does_not_name_it() {
    let c = Course::with_identity();
    std::fs::write(
        c.course.join("mask.md"),
        "# 6일차 - Lab 2. 가리기\n\n> **📌 [메모사항]**\n>\n> ➕ **<< api_token>>** :  \n>  ➕ **<< db_password>>** :\n\n## ✔ 1. 쓰기\n\n```bash\nprintf 'tok=%s\\n' \"<<api_token>>\" > t.txt\n```\n\n## ✔ 2. 읽기\n\n```bash\ncat t.txt\necho \"pw=<<db_password>>\"\n```\n",
    )
    .unwrap();
    // The password is a prefix of the token: masking must still hide the whole token.
    set_on_stdin(&c, "6-2", "api_token", "tokSECRETpart123456");
    set_on_stdin(&c, "6-2", "db_password", "tokSECRET");
    let one = c.run(&["run", "6-2", "1", "--yes"]);
    assert_eq!(one.code, 0, "{}", one.text());
    // Step 2 prints the token from a file without naming its placeholder.
    let two = c.run(&["run", "6-2", "2", "--yes"]);
    assert_eq!(two.code, 0, "{}", two.text());
    assert_eq!(
        std::fs::read_to_string(c.course.join("t.txt")).unwrap(),
        "tok=tokSECRETpart123456\n"
    );
    assert!(two.stdout.contains("tok=••••\n"), "{}", two.text());
    assert!(two.stdout.contains("pw=••••\n"), "{}", two.text());
    for text in [&one.stdout, &one.stderr, &two.stdout, &two.stderr] {
        assert!(!text.contains("tokSECRET"), "{text}");
        assert!(!text.contains("part123456"), "{text}");
    }
    let journal = std::fs::read_to_string(c.course.join(".labnote/journal.yaml")).unwrap();
    assert!(!journal.contains("tokSECRET"), "{journal}");
    assert!(!journal.contains("part123456"), "{journal}");
}

#[test]
fn a_background_process_does_not_hold_the_run_open() {
    let c = Course::new();
    std::fs::write(
        c.course.join("bg.md"),
        "# 6일차 - Lab 3. 백그라운드\n\n## ✔ 1. 띄우기\n\n```bash\nsleep 7.25 &\necho started\n```\n",
    )
    .unwrap();
    let r = c.run(&["run", "6-3", "1", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains("started"), "{}", r.text());
    // labnote returned while the background process still runs: it did not wait for it.
    // (Under load the forked shell may exec `sleep` a moment after labnote returned.)
    assert!(r.elapsed < Duration::from_secs(7), "{:?}", r.elapsed);
    let deadline = Instant::now() + Duration::from_secs(3);
    let bg: Vec<_> = loop {
        let bg: Vec<_> = processes()
            .into_iter()
            .filter(|p| p.cmdline == b"sleep\x007.25\x00")
            .collect();
        if !bg.is_empty() || Instant::now() > deadline {
            break bg;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        !bg.is_empty(),
        "the background sleep should still be running"
    );
    for p in bg {
        unsafe { libc::kill(p.pid as i32, libc::SIGKILL) };
    }
}

// ---------------------------------------------------------------------------------------
// memo values are data, never code (tests/fixtures/run/values-as-data.md, lab 6-2, next to
// the bundled lab 2-3 that holds github_username)

/// The bundled course plus lab 6-2, an identity, and lab 2-3's `github_username` set to a
/// value that would create `ROOT/P3` if the shell ran it as code. Returns the course and
/// the value.
fn values_course() -> (Course, String) {
    let c = Course::empty()
        .with_path()
        .with_bundled_labs()
        .with_fixture_files(&["run/values-as-data.md"]);
    c.init();
    let value = format!("octo$(touch {})cat", c.root.join("P3").display());
    c.ok(&["memo", "set", "2-3", "github_username", &value]);
    (c, value)
}

/// The blocks run in the session of their shell (see `session`). These are ```` ```bash ````
/// blocks, so `--shell` (the shell of untagged and `shell` blocks) does not move them; the
/// binding's quoting contexts in sh and zsh are checked in `session_shells`.
#[test]
fn a_noted_value_reaches_the_shell_as_data_in_every_quoting_context() {
    let (c, value) = values_course();
    // Step 2: `echo "<<github_username>>"`, the issue's reproduction.
    for shell in ["sh", "zsh", "/bin/sh", "bash"] {
        let r = c.run(&["run", "6-2", "2", "--yes", "--shell", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.text());
        assert!(
            r.stdout.lines().any(|l| l == value),
            "{shell}: not printed literally:\n{}",
            r.text()
        );
        assert!(
            !c.root.join("P3").exists(),
            "{shell}: the value ran as code"
        );
    }
    let read = |f: &str| std::fs::read_to_string(c.file(f)).unwrap();
    assert_eq!(read("user.txt"), format!("{value}\n"));

    // Step 3: unquoted, in single quotes, in a heredoc, in a quoted heredoc.
    let r = c.run(&["run", "6-2", "3", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(!c.root.join("P3").exists(), "the value ran as code");
    let home = c.root.join("home").display().to_string();
    assert_eq!(read("unquoted.txt"), format!("{value}\n"));
    assert_eq!(read("single.txt"), format!("user={value}\n"));
    assert_eq!(
        read("heredoc.txt"),
        format!("user={value} home={home}\n"),
        "the heredoc's own $HOME expands, the value does not"
    );
    assert_eq!(
        read("quoted-heredoc.txt"),
        format!("user={value} home=$HOME\n"),
        "the quoted heredoc stays literal"
    );
    // The block is shown with the value filled in, as the student reads it.
    assert!(
        r.stderr
            .contains(&format!("printf '%s\\n' 'user={value}' > single.txt")),
        "{}",
        r.text()
    );
}

#[test]
fn a_secret_with_dollars_arrives_intact_and_is_masked_everywhere() {
    let (c, _) = values_course();
    set_on_stdin(&c, "6-2", "db_password", "Pa$$w0rd");
    let r = c.run(&["run", "6-2", "4", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(
        std::fs::read_to_string(c.file("pw.txt")).unwrap(),
        "Pa$$w0rd"
    );
    assert!(r.stdout.contains("password is ••••\n"), "{}", r.text());
    assert!(
        r.stderr.contains("printf %s \"••••\" > pw.txt"),
        "{}",
        r.text()
    );
    // Neither the value nor an expansion of it (`$$` is the shell's pid) is printed.
    for text in [&r.stdout, &r.stderr, &c.journal_text()] {
        assert!(!text.contains("w0rd"), "{text}");
    }
    assert_eq!(tail_of(&c.run_record(), 0), ["password is ••••"]);
}

#[test]
fn dry_run_lists_the_placeholders_of_each_block_and_runs_nothing() {
    let (c, _) = values_course();
    let r = c.ok(&["run", "6-2", "1", "--dry-run"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    assert_eq!(v["action"], "run");
    let blocks = v["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 1, "{v}");
    // `<<EOF >>` of `cat <<EOF >> b.txt` is a heredoc, not a placeholder.
    assert_eq!(
        blocks[0]["placeholders"],
        serde_json::json!([{ "name": "생성된 IP", "resolved": false, "secret": false }])
    );
    assert!(!c.file("a.txt").exists() && !c.file("b.txt").exists());
    assert!(c.events("run").is_empty(), "{}", c.journal_text());
}
