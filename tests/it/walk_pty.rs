//! `labnote walk` on a real terminal: the binary runs in a tmux pane (80×40, one tmux server
//! per pane on a socket in the test's temporary folder), the test types into it with
//! `send-keys` and reads it with `capture-pane`.
//!
//! tmux is required: without it every test here fails with instructions (CI installs it).
//! The access-key walk needs moto (tests/it/moto.rs).

use crate::course;
use crate::moto;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use course::{running_in, Course};
use moto::{block_on, key_ids, unique_name, Moto};

const PROMPT_END: &str = "[q]uit >";
const WAIT: Duration = Duration::from_secs(20);

fn require_tmux() {
    let ok = Command::new("tmux")
        .env_remove("TMUX")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "tmux is not installed: tests/walk_pty.rs drives `labnote walk` through a tmux \
         pseudo-terminal. Install it (apt-get install tmux; brew install tmux) and rerun."
    );
}

// ---------------------------------------------------------------------------------------
// a temporary course and its environment

/// The walk tests' courses: the test's PATH (for the blocks the walk runs), no AWS
/// configuration unless on moto.
trait WalkCourse {
    /// A copy of the bundled course (labs/).
    fn bundled() -> Self;
    /// A course holding tests/fixtures/run/run-steps.md (lab 6-1).
    fn run_steps() -> Self;
    /// The bundled course, with the SDK pointed at moto (and nothing of the machine's AWS
    /// configuration), and an identity.
    fn bundled_on_moto() -> Self;
    /// (event, step, details.by) of the journal's records of `lab`, in order.
    fn lab_events(&self, lab: &str) -> Vec<(String, String, String)>;
    fn done_steps(&self, lab: &str) -> Vec<String>;
    /// `labnote ARGS` in a new tmux pane, with the course's environment (plus `extra`).
    fn pane(&self, args: &[&str], extra: &[(&str, &str)]) -> Pane;
    /// `labnote memo set LAB KEY -` with the value on stdin.
    fn memo_set_stdin(&self, lab: &str, key: &str, value: &str);
}

impl WalkCourse for Course {
    fn bundled() -> Course {
        Course::empty().with_path().with_bundled_labs()
    }

    fn run_steps() -> Course {
        Course::empty()
            .with_path()
            .with_fixture_files(&["run/run-steps.md"])
    }

    fn bundled_on_moto() -> Course {
        let c = Course::bundled().with_aws(Moto::get().sdk_env());
        c.init();
        c
    }

    fn lab_events(&self, lab: &str) -> Vec<(String, String, String)> {
        self.journal()
            .iter()
            .filter(|r| r["lab"].as_str() == Some(lab))
            .map(|r| {
                let s = |v: &serde_yaml::Value| v.as_str().unwrap_or("").to_owned();
                (s(&r["event"]), s(&r["step"]), s(&r["details"]["by"]))
            })
            .collect()
    }

    fn done_steps(&self, lab: &str) -> Vec<String> {
        self.steps(lab)
            .iter()
            .filter(|s| s["done"] == true && s["checkable"] == true)
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    }

    fn memo_set_stdin(&self, lab: &str, key: &str, value: &str) {
        use std::io::Write;
        let mut child = self
            .cmd(&["memo", "set", lab, key, "-"])
            .stdin(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{value}").unwrap();
        assert!(child.wait().unwrap().success(), "memo set {lab} {key}");
    }

    fn pane(&self, args: &[&str], extra: &[(&str, &str)]) -> Pane {
        require_tmux();
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let q = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
        let env = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(extra.iter().copied());
        let (script, exit) = crate::tmux::pane_script(
            self,
            &format!("pane-{n}"),
            "env -i TERM=\"$TERM\"",
            env,
            args,
        );
        // Set before the pane starts: a pane that ends at once still stays readable.
        let conf = self.root.join("tmux.conf");
        std::fs::write(
            &conf,
            "set -g remain-on-exit on\nset -g history-limit 20000\n",
        )
        .unwrap();
        let pane = Pane {
            sock: self.root.join(format!("tmux-{n}.sock")),
            exit,
        };
        let st = Command::new("tmux")
            .env_remove("TMUX")
            .arg("-S")
            .arg(&pane.sock)
            .arg("-f")
            .arg(&conf)
            .args(["new-session", "-d", "-s", "w", "-x", "80", "-y", "40", "-c"])
            // labnote starts (and a walk's shell runs) in the course folder, never here.
            .arg(if self.course.is_dir() {
                &self.course
            } else {
                &self.root
            })
            .arg(format!("sh {}", q(&script.display().to_string())))
            .status()
            .expect("start tmux");
        assert!(st.success(), "tmux new-session failed: {st}");
        pane
    }
}

// ---------------------------------------------------------------------------------------
// the pane

struct Pane {
    sock: PathBuf,
    /// Where the pane's script writes labnote's exit status.
    exit: PathBuf,
}

impl Pane {
    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .env_remove("TMUX")
            .arg("-S")
            .arg(&self.sock)
            .args(args)
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The whole pane, history included, wrapped lines joined.
    fn text(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J", "-t", "w", "-S", "-", "-E", "-"])
    }

    /// The same with the colour and attribute escapes the pane holds.
    fn text_with_escapes(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e", "-t", "w", "-S", "-", "-E", "-"])
    }

    /// Type a line.
    fn send(&self, line: &str) {
        if !line.is_empty() {
            self.tmux(&["send-keys", "-t", "w", "-l", line]);
        }
        self.tmux(&["send-keys", "-t", "w", "Enter"]);
    }

    fn key(&self, key: &str) {
        self.tmux(&["send-keys", "-t", "w", key]);
    }

    /// labnote's exit status (128 + N for signal N), once it has ended.
    fn exited(&self) -> Option<String> {
        std::fs::read_to_string(&self.exit)
            .ok()
            .filter(|s| s.ends_with('\n'))
            .map(|s| s.trim().to_owned())
    }

    /// Wait until the pane satisfies `pred`; the pane's text on timeout.
    fn wait_until(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut ended_at: Option<Instant> = None;
        loop {
            if ended_at.is_none() && self.exited().is_some() {
                ended_at = Some(Instant::now());
            }
            let t = self.text();
            if pred(&t) {
                return t;
            }
            // Once labnote has ended, only what tmux has not read yet can still come.
            let gone = ended_at.is_some_and(|e| e.elapsed() > Duration::from_secs(1));
            if gone || start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for {what}; labnote's exit status: {:?}; the pane:\n{t}",
                    self.exited()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait for the `n`th walk prompt (1-based) and check that it is step `id`'s.
    fn prompt(&self, n: usize, id: &str) -> String {
        let t = self.wait_until(&format!("walk prompt #{n}"), WAIT, |t| {
            t.matches(PROMPT_END).count() >= n
        });
        assert_eq!(t.matches(PROMPT_END).count(), n, "extra prompts:\n{t}");
        let line = last_line_with(&t, PROMPT_END);
        assert!(
            line.starts_with(&format!("{id} ")),
            "prompt #{n} is not step {id}'s: {line:?}\n{t}"
        );
        t
    }

    /// `m`emo at the walk prompt, entry `entry` (the `n`th "which entry?" of the pane), then
    /// `value` at the entry's prompt `asks` (its `k`th occurrence).
    fn note(&self, n: usize, entry: &str, asks: &str, k: usize, value: &str) {
        self.send("m");
        self.nth(n, "which entry?");
        self.send(entry);
        self.nth(k, asks);
        self.send(value);
    }

    /// Wait for the `n`th occurrence of `needle`.
    fn nth(&self, n: usize, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} #{n}"), WAIT, |t| {
            t.matches(needle).count() >= n
        })
    }

    /// Wait for labnote to end; its exit status.
    fn exit_status(&self, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Some(status) = self.exited() {
                return status;
            }
            if start.elapsed() > timeout {
                panic!("labnote still runs after {timeout:?}:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .env_remove("TMUX")
            .arg("-S")
            .arg(&self.sock)
            .arg("kill-server")
            .stderr(Stdio::null())
            .status();
    }
}

pub(crate) fn last_line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .rev()
        .find(|l| l.contains(needle))
        .unwrap_or("")
}

/// The walk's progress line of the lab (`lab    ███░░ 1/5 …`).
pub(crate) fn lab_bar(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|l| l.starts_with("lab "))
        .unwrap_or("")
}

// ---------------------------------------------------------------------------------------

#[test]
fn walk_lab_2_4_to_the_end_with_the_access_key_step_on_moto() {
    let c = Course::bundled_on_moto();
    let user = unique_name("walk");
    block_on(Moto::get().create_user(&user));
    let pane = c.pane(&["walk", "2-4", "--user", &user], &[]);

    let t = pane.prompt(1, "1");
    assert!(t.contains("[1] 액세스 키가 필요한 이유"), "{t}");
    assert!(lab_bar(&t).contains("0/5"), "{}", lab_bar(&t));
    assert!(t.contains("course "), "no course bar:\n{t}");
    pane.send("d");
    let t = pane.prompt(2, "2");
    assert!(t.contains("[2] IAM 콘솔로 이동"), "{t}");
    assert!(lab_bar(&t).contains("1/5"), "{}", lab_bar(&t));
    pane.send("d");
    pane.prompt(3, "3");
    pane.send("d");
    let t = pane.prompt(4, "4");
    assert!(
        last_line_with(&t, PROMPT_END).contains("[r]un"),
        "the access-key step offers no run:\n{t}"
    );
    pane.send("r");
    // A real key only once the student has seen the user and the account and said yes.
    let t = pane.nth(1, "Create the key? [y/N]");
    assert!(t.contains(&format!("IAM user  {user}")), "{t}");
    assert!(t.contains("account   "), "{t}");
    assert!(key_ids(&user).is_empty(), "a key before the answer");
    pane.send("y");
    // issue-key creates the key, notes it, and checks steps 4 and 5; the walk shows 5 (the
    // `.csv` step), and past it the lab is complete and the next lab is offered.
    let t = pane.prompt(5, "5");
    assert!(
        last_line_with(&t, PROMPT_END).starts_with("5 (done)"),
        "{t}"
    );
    assert!(t.contains("[x] .csv"), "{t}");
    pane.send("d");
    pane.nth(1, "Continue with 2-5");
    pane.send("n");
    assert_eq!(pane.exit_status(Duration::from_secs(30)), "0");
    let t = pane.text();
    assert!(
        t.contains("🎉 lab 2-4 AWS 액세스 키 발급하기 is complete."),
        "{t}"
    );
    assert_eq!(t.matches(PROMPT_END).count(), 5, "{t}");

    // The memo: the id in clear, the secret encrypted, both readable with `memo get`.
    let id = c.memo_get("2-4", "AWS Access Key ID");
    let secret = c.memo_get("2-4", "AWS Secret Access key");
    assert!(id.starts_with("AKIA"), "{id}");
    assert_eq!(secret.len(), 40, "{secret}");
    let lab = c.lab_text("day2/lab4-aws-access-key.md");
    assert!(
        lab.contains(&format!("_<< AWS Access Key ID>>_ : {id}")),
        "{lab}"
    );
    assert!(
        lab.contains("_<< AWS Secret Access key>>_ : `age:"),
        "{lab}"
    );
    assert!(!lab.contains(&secret));
    assert!(!t.contains(&secret), "the secret on the terminal:\n{t}");
    assert_eq!(key_ids(&user), [id.as_str()], "the user's keys on moto");

    // The journal: 1..3 by the walk, then the issuance, which checks 4 and 5.
    let s = |e: &str, st: &str, by: &str| (e.to_owned(), st.to_owned(), by.to_owned());
    assert_eq!(
        c.lab_events("2-4"),
        [
            s("done", "1", "walk"),
            s("done", "2", "walk"),
            s("done", "3", "walk"),
            s("issued-key", "4", ""),
            s("done", "4", "issue-key"),
            s("done", "5", "issue-key"),
        ]
    );
    let issued = c
        .journal()
        .into_iter()
        .find(|r| r["event"].as_str() == Some("issued-key"))
        .unwrap();
    assert_eq!(issued["details"]["user"].as_str(), Some(user.as_str()));
    assert_eq!(
        issued["details"]["access_key_id"].as_str(),
        Some(id.as_str())
    );
    assert_eq!(c.done_steps("2-4"), ["1", "2", "3", "4", "5"]);
}

#[test]
fn memo_in_the_walk_notes_a_plain_and_a_hidden_value() {
    let c = Course::bundled();
    c.init();
    // Start at step 2-3, whose block uses both values.
    c.ok(&["done", "2-3", "1", "2-1", "2-2"]);
    let token = format!("ghp_walk{}", std::process::id());
    let pane = c.pane(&["walk", "2-3"], &[]);

    let t = pane.prompt(1, "2-3");
    assert!(
        t.contains("git config --global user.name \"<<github_username>>\""),
        "{t}"
    );
    assert!(last_line_with(&t, PROMPT_END).contains("[m]emo"), "{t}");
    pane.send("m");
    let t = pane.nth(1, "which entry?");
    assert!(t.contains("1. github_username (empty)"), "{t}");
    assert!(t.contains("2. github_token (empty)"), "{t}");
    pane.send("1");
    pane.nth(1, "github_username:");
    pane.send("octo-walker");
    let t = pane.prompt(2, "2-3");
    assert!(t.contains("noted 'github_username'"), "{t}");
    // The step is shown again, filled.
    assert!(
        t.contains("git config --global user.name \"octo-walker\""),
        "{t}"
    );

    pane.send("m");
    let t = pane.nth(2, "which entry?");
    assert!(t.contains("1. github_username (noted)"), "{t}");
    pane.send("2");
    pane.nth(1, "github_token (hidden):");
    pane.send(&token);
    let t = pane.prompt(3, "2-3");
    assert!(t.contains("noted 'github_token'"), "{t}");
    // Filled, the secret masked; never echoed.
    assert!(
        t.contains("https://octo-walker:••••@github.com/octo-walker/network_pipeline.git"),
        "{t}"
    );
    assert!(!t.contains(&token), "the token on the terminal:\n{t}");
    pane.send("q");
    assert_eq!(pane.exit_status(WAIT), "0");

    assert_eq!(c.memo_get("2-3", "github_username"), "octo-walker");
    assert_eq!(c.memo_get("2-3", "github_token"), token);
    let lab = c.lab_text("day2/lab3-github.md");
    assert!(
        lab.contains("**<< github_username>>** : octo-walker"),
        "{lab}"
    );
    assert!(lab.contains("**<< github_token>>** : `age:"), "{lab}");
    assert!(!lab.contains(&token));
    // Noting values checks nothing.
    assert_eq!(
        c.done_steps("2-3"),
        ["1-1", "1-2", "1-3", "1-4", "1-5", "2-1", "2-2"]
    );
}

#[test]
fn a_value_that_cannot_be_noted_is_reported_and_the_walk_goes_on() {
    // An identity others can read: a secret is not encrypted with it. (With no identity at
    // all, one is made: see walk_note.rs.)
    let c = Course::bundled();
    c.init();
    let identity = c.root.join("xdg/labnote/identity.txt");
    let mut perm = std::fs::metadata(&identity).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o644);
    std::fs::set_permissions(&identity, perm).unwrap();
    let before = c.lab_text("day2/lab3-github.md");
    let pane = c.pane(&["walk", "2-3"], &[]);
    pane.prompt(1, "1-1");
    pane.note(1, "2", "github_token (hidden):", 1, "ghp_not_noted");
    let t = pane.prompt(2, "1-1");
    assert!(t.contains("is accessible by other users"), "{t}");
    assert!(!t.contains("ghp_not_noted"), "{t}");
    pane.send("q");
    assert_eq!(pane.exit_status(WAIT), "0");
    assert_eq!(c.lab_text("day2/lab3-github.md"), before);
}

#[test]
fn quit_then_a_second_walk_resumes_at_the_first_unchecked_step() {
    let c = Course::bundled();
    let pane = c.pane(&["walk", "2-4"], &[]);
    pane.prompt(1, "1");
    pane.send("d");
    pane.prompt(2, "2");
    pane.send("q");
    assert_eq!(pane.exit_status(WAIT), "0");
    assert_eq!(c.done_steps("2-4"), ["1"]);

    let pane = c.pane(&["walk", "2-4"], &[]);
    let t = pane.prompt(1, "2");
    assert!(t.contains("[2] IAM 콘솔로 이동"), "{t}");
    assert!(lab_bar(&t).contains("1/5"), "{}", lab_bar(&t));
    // Back to the done step: marked so; `d` there records nothing new and goes on to 2.
    pane.send("b");
    let t = pane.prompt(2, "1");
    assert!(
        last_line_with(&t, PROMPT_END).starts_with("1 (done)"),
        "{t}"
    );
    pane.send("d");
    pane.prompt(3, "2");
    pane.send("q");
    assert_eq!(pane.exit_status(WAIT), "0");
    let s = |e: &str, st: &str, by: &str| (e.to_owned(), st.to_owned(), by.to_owned());
    assert_eq!(c.lab_events("2-4"), [s("done", "1", "walk")]);
}

#[test]
fn walk_without_a_terminal_refuses() {
    let c = Course::bundled();
    let r = c.run(&["walk", "2-4"]);
    assert_eq!(r.code, 1, "{}", r.text());
    for hint in ["terminal", "labnote next", "labnote done", "labnote run"] {
        assert!(r.stderr.contains(hint), "{hint} missing:\n{}", r.text());
    }
    assert!(r.stdout.is_empty(), "{}", r.text());
    assert!(!c.course.join(".labnote/journal.yaml").exists());
}

#[test]
fn no_color_leaves_no_escape_sequences_on_the_terminal() {
    let c = Course::bundled();
    // The control: on a terminal, walk colours.
    let coloured = c.pane(&["walk", "2-3"], &[]);
    coloured.prompt(1, "1-1");
    let with = coloured.text_with_escapes();
    assert!(
        with.contains("\x1b["),
        "no colour without NO_COLOR:\n{with}"
    );

    let plain = c.pane(&["walk", "2-3"], &[("NO_COLOR", "1")]);
    let t = plain.prompt(1, "1-1");
    assert!(t.contains("[1-1] GitHub 계정 만들기"), "{t}");
    let without = plain.text_with_escapes();
    assert!(
        !without.contains("\x1b["),
        "escape sequences with NO_COLOR=1:\n{without:?}"
    );
    for p in [&coloured, &plain] {
        p.send("q");
        assert_eq!(p.exit_status(WAIT), "0");
    }
}

#[test]
fn run_in_the_walk_passes_fails_is_interrupted_and_ctrl_c_then_quits() {
    let c = Course::run_steps();
    let pane = c.pane(&["walk", "6-1"], &[]);
    pane.prompt(1, "1");

    // A passing block: confirmed, run, the step checked, on to step 2.
    pane.send("r");
    pane.nth(1, "Run this block? [Y/n/q]");
    pane.send("");
    let t = pane.prompt(2, "2");
    assert!(t.contains("step one ran"), "{t}");
    assert!(t.contains("✔ step 1 passed and is checked"), "{t}");

    // A failing block: reported, the walk stays on the step.
    pane.send("r");
    pane.nth(2, "Run this block? [Y/n/q]");
    pane.send("y");
    let t = pane.prompt(3, "2");
    assert!(t.contains("failed with exit code 3"), "{t}");
    assert!(!c.course.join("after-failure.txt").exists());

    // Ctrl-C while a block sleeps reaches the block (the terminal's foreground group), not
    // the walk: the block stops, nothing of it is left, the walk stays on the step.
    pane.send("s");
    pane.prompt(4, "3");
    pane.send("s");
    pane.prompt(5, "4");
    pane.send("s");
    let t = pane.prompt(6, "5");
    assert!(t.contains("[5] 오래 걸리는 블록"), "{t}");
    pane.send("r");
    pane.nth(3, "Run this block? [Y/n/q]");
    pane.send("");
    let marker = ["sleep", "31.5"];
    let start = Instant::now();
    while running_in(&c.course, &marker).len() < 2 {
        assert!(
            start.elapsed() < WAIT,
            "the block's sleeps never showed:\n{}",
            pane.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    pane.key("C-c");
    let t = pane.prompt(7, "5");
    assert!(t.contains("interrupted; step 5 stays unchecked"), "{t}");
    let start = Instant::now();
    loop {
        let left = running_in(&c.course, &marker);
        if left.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "processes of the block left: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // Ctrl-C at the prompt, after blocks ran, ends the walk at once.
    pane.key("C-c");
    let status = pane.exit_status(Duration::from_secs(3));
    // Ended by SIGINT's default action: 128 + 2.
    assert_eq!(status, "130", "{}", pane.text());

    let outcomes: Vec<(String, String)> = c
        .journal()
        .iter()
        .filter(|r| r["event"].as_str() == Some("run"))
        .map(|r| {
            (
                r["step"].as_str().unwrap().to_owned(),
                r["details"]["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let o = |s: &str, out: &str| (s.to_owned(), out.to_owned());
    assert_eq!(
        outcomes,
        [o("1", "passed"), o("2", "failed"), o("5", "interrupted")]
    );
    assert_eq!(c.done_steps("6-1"), ["1"]);
}

#[test]
fn skipping_past_the_last_step_does_not_claim_the_lab_complete() {
    let c = Course::run_steps();
    c.ok(&["done", "6-1", "1", "2", "3", "4", "5"]);
    let pane = c.pane(&["walk", "6-1"], &[]);
    pane.prompt(1, "6");
    pane.send("s");
    let t = pane.prompt(2, "7");
    assert!(
        !last_line_with(&t, PROMPT_END).contains("[r]un"),
        "step 7 has nothing to run:\n{t}"
    );
    pane.send("s");
    assert_eq!(pane.exit_status(WAIT), "0");
    let t = pane.text();
    assert!(!t.contains("is complete"), "{t}");
    assert!(t.contains("2 of 7 steps still open"), "{t}");

    // Resumed at step 6; with 6 and 7 done the lab is complete.
    let pane = c.pane(&["walk", "6-1"], &[]);
    pane.prompt(1, "6");
    pane.send("d");
    pane.prompt(2, "7");
    pane.send("d");
    assert_eq!(pane.exit_status(WAIT), "0");
    let t = pane.text();
    assert!(t.contains("🎉 lab 6-1 명령 실행 연습 is complete."), "{t}");
    assert_eq!(c.done_steps("6-1").len(), 7);
}

#[test]
fn memo_in_the_walk_with_an_empty_value_keeps_the_noted_one_and_says_so() {
    let c = Course::bundled();
    c.init();
    c.ok(&["memo", "set", "2-3", "github_username", "octo-kept"]);
    let token = format!("ghp_kept{}", std::process::id());
    c.memo_set_stdin("2-3", "github_token", &token);
    let before = c.lab_text("day2/lab3-github.md");
    let pane = c.pane(&["walk", "2-3"], &[]);
    pane.prompt(1, "1-1");

    // A plain entry: Enter on the value prompt.
    pane.send("m");
    let t = pane.nth(1, "which entry?");
    assert!(t.contains("1. github_username (noted)"), "{t}");
    pane.send("1");
    pane.nth(1, "github_username:");
    pane.send("");
    let t = pane.prompt(2, "1-1");
    assert!(t.contains("no value given for 'github_username'"), "{t}");
    assert!(t.contains("labnote memo unset 2-3"), "{t}");
    assert!(!t.contains("noted 'github_username'"), "{t}");

    // A hidden one: the same.
    pane.note(2, "2", "github_token (hidden):", 1, "");
    let t = pane.prompt(3, "1-1");
    assert!(t.contains("no value given for 'github_token'"), "{t}");
    assert!(!t.contains("noted 'github_token'"), "{t}");
    pane.send("q");
    assert_eq!(pane.exit_status(WAIT), "0");

    assert_eq!(c.lab_text("day2/lab3-github.md"), before);
    assert_eq!(c.memo_get("2-3", "github_username"), "octo-kept");
    assert_eq!(c.memo_get("2-3", "github_token"), token);
}

#[test]
fn run_in_the_walk_passes_values_as_data_and_masks_secrets() {
    let c = Course::bundled().with_fixture_files(&["run/values-as-data.md"]);
    c.init();
    let marker = c.root.join("P3");
    let value = format!("octo$(touch {})cat", marker.display());
    c.ok(&["memo", "set", "2-3", "github_username", &value]);
    c.memo_set_stdin("6-2", "db_password", "Pa$$w0rd");
    c.ok(&["done", "6-2", "1", "3"]);
    let pane = c.pane(&["walk", "6-2"], &[]);
    pane.prompt(1, "2");

    pane.send("r");
    pane.nth(1, "Run this block? [Y/n/q]");
    pane.send("");
    let t = pane.prompt(2, "4");
    assert!(t.lines().any(|l| l == value), "not printed literally:\n{t}");
    assert!(!marker.exists(), "the value ran as code");

    pane.send("r");
    pane.nth(2, "Run this block? [Y/n/q]");
    pane.send("");
    assert_eq!(pane.exit_status(WAIT), "0");
    let t = pane.text();
    assert!(t.contains("password is ••••"), "{t}");
    assert!(t.contains("printf %s \"••••\" > pw.txt"), "{t}");
    assert!(
        !t.contains("w0rd"),
        "the secret (or its expansion) on the terminal:\n{t}"
    );
    assert_eq!(
        std::fs::read_to_string(c.file("pw.txt")).unwrap(),
        "Pa$$w0rd"
    );
    assert!(!c.journal_text().contains("w0rd"));
    assert_eq!(c.done_steps("6-2"), ["1", "2", "3", "4"]);
}
