//! `run` and `walk` run each block in a session of its own shell: ```` ```zsh ```` in zsh,
//! ```` ```sh ```` in sh, the rest in the default shell (bash, or `--shell`); each shell keeps
//! its folder, variables and functions; a failing block stops the step with its code; a
//! secret reaches zsh as data; Ctrl-C in a zsh block stops the block, not the session; a
//! ```` ```fish ```` block is refused. On tests/fixtures/run/session-shells.md (lab 8-2).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::course::{processes, Course, Run};
use crate::tmux::Pane;

const LAB: &str = "8-2";

fn course() -> Course {
    Course::empty()
        .with_path()
        .with_fixture_files(&["run/session-shells.md"])
}

fn home(c: &Course) -> PathBuf {
    c.root.join("home")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| format!("<{}: {e}>", p.display()))
}

/// The program `name` on the test's PATH.
fn which(name: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is needed for this test"))
}

fn done(c: &Course, step: &str) -> bool {
    c.steps(LAB)
        .iter()
        .any(|s| s["id"] == step && s["done"] == true)
}

fn last_run(c: &Course) -> serde_yaml::Value {
    c.events("run").pop().expect("a run record")
}

#[test]
fn cd_in_a_zsh_block_holds_for_the_next_and_zsh_syntax_works() {
    let c = course();
    let r = c.run(&["run", LAB, "2", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    // `typeset -A`, `${PWD:t}` and `print -r` are zsh's: bash would fail on them.
    assert_eq!(read(&home(&c).join("zdir/zsh-only.txt")), "blue:zdir\n");
    let rec = last_run(&c);
    assert_eq!(
        rec["details"]["cwd_end"].as_str(),
        home(&c).join("zdir").to_str()
    );
    assert!(done(&c, "2"));
}

#[test]
fn an_sh_block_runs_in_sh_and_keeps_its_folder() {
    let c = course();
    let r = c.run(&["run", LAB, "3", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(read(&home(&c).join("sdir/which.txt")), "no-bash|no-zsh\n");
}

#[test]
fn bash_and_zsh_blocks_of_one_step_each_keep_their_own_folder() {
    let c = course();
    let r = c.run(&["run", LAB, "4", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    let h = home(&c);
    assert_eq!(
        read(&h.join("b4/bash-pwd.txt")),
        format!("{}\n", h.join("b4").display())
    );
    assert_eq!(
        read(&h.join("z4/zsh-pwd.txt")),
        format!("{}\n", h.join("z4").display())
    );
    // The journal: where the run started, and where the shell of its last block ended.
    let rec = last_run(&c);
    assert_eq!(rec["details"]["cwd_start"].as_str(), c.course.to_str());
    assert_eq!(rec["details"]["cwd_end"].as_str(), h.join("z4").to_str());
}

#[test]
fn shell_sets_the_default_shell_of_untagged_and_shell_blocks() {
    let c = course();
    c.ok(&["run", LAB, "5", "--yes"]);
    assert_eq!(read(&c.file("default-shell.txt")), "bash\nbash\n");
    c.ok(&["run", LAB, "5", "--yes", "--shell", "zsh"]);
    assert_eq!(read(&c.file("default-shell.txt")), "zsh\nzsh\n");
    // A path names its kind too.
    let zsh = which("zsh");
    c.ok(&["run", LAB, "5", "--yes", "--shell", zsh.to_str().unwrap()]);
    assert_eq!(read(&c.file("default-shell.txt")), "zsh\nzsh\n");
    // Tagged blocks keep their own shell whatever --shell says.
    c.ok(&["run", LAB, "4", "--yes", "--shell", "sh"]);
    assert!(home(&c).join("z4/zsh-pwd.txt").exists());
}

#[test]
fn an_unknown_or_missing_shell_is_a_clear_error_and_nothing_runs() {
    let c = course();
    for (flag, says) in [
        (
            "nosuch",
            "--shell nosuch: not a shell labnote runs blocks in; pass --shell bash",
        ),
        ("fish", "--shell fish: fish is not supported"),
        (
            "/nonexistent/zsh",
            "--shell /nonexistent/zsh: no executable /nonexistent/zsh found",
        ),
    ] {
        let r = c.run(&["run", LAB, "5", "--yes", "--shell", flag]);
        assert_eq!(r.code, 1, "{flag}: {}", r.text());
        assert!(r.stderr.contains(says), "{flag}: {}", r.text());
        assert!(!c.file("default-shell.txt").exists(), "{flag}: a block ran");
    }
    assert!(c.events("run").is_empty(), "{}", c.journal_text());
}

#[test]
fn a_block_whose_shell_is_not_installed_stops_the_step_before_anything_runs() {
    let mut c = course();
    // A PATH with bash and the tools of step 4, but no zsh.
    let bin = c.root.join("bin-without-zsh");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["bash", "sh", "mkdir"] {
        std::os::unix::fs::symlink(which(tool), bin.join(tool)).unwrap();
    }
    c.set_env("PATH", bin.to_str().unwrap());
    let r = c.run(&["run", LAB, "4", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    let file = c.file("session-shells.md");
    assert!(
        r.stderr.contains(&format!(
            "{}:93: block 2 of step 4 is a `zsh` block, but zsh is not installed",
            file.display()
        )),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("labnote done 8-2 4"), "{}", r.text());
    assert!(!home(&c).join("b4").exists(), "the bash block ran");
    assert!(!done(&c, "4"));
}

#[test]
fn a_fish_block_is_refused_and_its_step_does_not_pass() {
    let c = course();
    let r = c.run(&["run", LAB, "7", "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr
            .contains("block 2 of step 7 is a `fish` block, which labnote does not run"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("labnote done 8-2 7"), "{}", r.text());
    assert!(!c.file("before-fish.txt").exists(), "a block ran");
    assert!(!c.file("fish-ran.txt").exists());
    assert!(!done(&c, "7"));
}

#[test]
fn blocks_that_read_stdin_do_not_eat_the_session() {
    let c = course();
    let r = c.run_stdin(&["run", LAB, "8", "--yes"], b"typed-by-the-student\n");
    assert_eq!(r.code, 0, "{}", r.text());
    // zsh's `cat` read what was typed, sh's `read` found the end of it; the next zsh block
    // still ran in its session.
    assert_eq!(read(&c.file("zsh-stdin.txt")), "typed-by-the-student\n");
    assert_eq!(read(&c.file("sh-stdin.txt")), "eof\n");
    assert_eq!(read(&c.file("zsh-after-stdin.txt")), "still-here\n");
}

#[test]
fn a_failing_zsh_or_sh_block_stops_the_step_with_its_code() {
    let c = course();
    for (step, code, started, not_reached, never) in [
        ("9", 5, "zsh-start", "zsh-nr.txt", "sh-never.txt"),
        ("10", 6, "sh-start", "sh-nr.txt", "zsh-never.txt"),
    ] {
        let r = c.run(&["run", LAB, step, "--yes"]);
        assert_eq!(r.code, code, "{}", r.text());
        assert!(r.stdout.contains(started), "{}", r.text());
        assert!(!c.file(not_reached).exists(), "step {step} went on");
        assert!(!c.file(never).exists(), "step {step}: the next block ran");
        assert_eq!(last_run(&c)["details"]["outcome"].as_str(), Some("failed"));
        assert!(!done(&c, step));
    }
}

#[test]
fn a_secret_reaches_a_zsh_block_as_data_only() {
    let c = course();
    c.init();
    let secret = format!("Pw-{}-$(touch pwned)-'q'", std::process::id());
    c.memo_set_on_stdin(LAB, "db_password", &secret);
    let (out, err) = (c.root.join("run.out"), c.root.join("run.err"));
    let mut child = c
        .cmd(&["run", LAB, "6", "--yes"])
        .stdout(Stdio::from(std::fs::File::create(&out).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err).unwrap()))
        .spawn()
        .unwrap();
    // Every process's argument list, while the block sleeps.
    let (mut saw_sleep, mut leaks) = (false, Vec::new());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        for p in processes() {
            saw_sleep |= p.cmdline == b"sleep\x002\x00";
            if p.cmdline
                .windows(secret.len())
                .any(|w| w == secret.as_bytes())
            {
                leaks.push(String::from_utf8_lossy(&p.cmdline).replace('\0', " "));
            }
        }
        assert!(Instant::now() < deadline, "labnote did not end");
        std::thread::sleep(Duration::from_millis(20));
    };
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout: read(&out),
        stderr: read(&err),
        elapsed: Duration::ZERO,
    };
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(saw_sleep, "never saw the block's `sleep 2`");
    assert!(
        leaks.is_empty(),
        "the secret in an argument list: {leaks:?}"
    );
    assert_eq!(
        read(&c.file("pw.txt")),
        secret,
        "zsh got the value as it is"
    );
    assert!(!c.file("pwned").exists(), "the value ran as code");
    assert!(r.stdout.contains("the password is ••••"), "{}", r.text());
    assert!(!r.stdout.contains(&secret) && !r.stderr.contains(&secret));
    assert!(!c.journal_text().contains(&secret), "secret in the journal");
}

#[test]
fn ctrl_c_in_a_zsh_block_stops_the_block_and_the_session_goes_on() {
    let c = course();
    let h = home(&c);
    let pane = Pane::start(&c, "zsh-int", &["walk", LAB], "");
    // 1-1: `cd ~/z1`, `export Z1_COLOR=green`, a function `zf`.
    pane.run_block(1, 1);
    pane.nth(1, "✔ step 1-1 passed");
    // 1-2 sleeps 30 s: Ctrl-C once it prints.
    pane.run_block(2, 2);
    pane.nth(1, "zsh-42-sleeping");
    let sent = Instant::now();
    pane.tmux(&["send-keys", "-t", "p", "C-c"]);
    let t = pane.nth(1, "interrupted; step 1-2 stays unchecked");
    assert!(sent.elapsed() < Duration::from_secs(5), "{t}");
    assert!(!h.join("not-reached.txt").exists(), "{t}");
    // The walk goes on; 1-3 runs in the same zsh: its folder, variable and function.
    pane.nth(3, "[q]uit >");
    pane.send("s");
    pane.run_block(4, 3);
    let t = pane.nth(1, "✔ step 1-3 passed");
    assert_eq!(
        read(&h.join("z1/after.txt")),
        format!("zf:green\n{}\n", h.join("z1").display()),
        "{t}"
    );
    assert!(
        !t.contains("a new one starts"),
        "the shell was restarted:\n{t}"
    );
    pane.nth(5, "[q]uit >");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    let runs = c.events("run");
    let outcomes: Vec<_> = runs
        .iter()
        .map(|r| r["details"]["outcome"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert_eq!(outcomes, ["passed", "interrupted", "passed"]);
    assert!(!done(&c, "1-2") && done(&c, "1-3"));
}

/// The placeholder contexts of `script_props::SCRIPT` that sh and zsh share with bash
/// (all but `$'…'`, which is not POSIX).
fn posix_script() -> String {
    crate::script_props::SCRIPT
        .lines()
        .filter(|l| !l.contains("$'"))
        .map(|l| format!("{l}\n"))
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// A bound value of any shape passes through the sh and zsh sessions as data: printed
    /// back exactly in every context, never run, gone for the next block (bash: see
    /// `script_props`).
    #[test]
    fn a_bound_value_passes_through_the_sh_and_zsh_sessions_as_data(
        v in crate::script_props::value()
    ) {
        use secrecy::SecretString;
        let bound = labnote::script::bind(&posix_script()).unwrap();
        let var = labnote::script::var_name(0);
        let masker = labnote::runner::Masker::default();
        // The block's output goes to a file; what the session hands on is dropped.
        let sink: labnote::session::Sink = std::sync::Arc::new(|_, _| {});
        for kind in [labnote::shells::ShellKind::Sh, labnote::shells::ShellKind::Zsh] {
            let shell = labnote::shells::Shells::from_flag(kind.name()).unwrap().of_kind(kind);
            let (work, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
            let (w, o) = (work.path().to_str().unwrap(), out.path().to_str().unwrap());
            let run = |block: String, env: &[(&str, &str)]| {
                labnote::session::run_block(&shell, work.path(), &SecretString::from(block), env, &masker, &sink)
                    .unwrap()
            };
            let block = format!("{{\n{}\n}} > \"$OUT/printed\" 2>&1\n", bound.script);
            let r = run(block, &[("WORK", w), ("OUT", o), (var.as_str(), v.as_str())]);
            let printed = read(&out.path().join("printed"));
            proptest::prop_assert_eq!(r.exit_code, Some(0), "{:?}: {}", kind, printed);
            let want = format!("{v}\na{v}b\na{v}b\na{v}b {w}\na{v}b $WORK\n{v}\n");
            proptest::prop_assert_eq!(printed, want, "{:?}", kind);
            let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
            proptest::prop_assert!(left.is_empty(), "{:?}: the value ran: {:?}", kind, left);
            let r = run(format!("echo \"[${{{var}-unset}}|${{OUT-unset}}]\" > '{o}/after'\n"), &[]);
            proptest::prop_assert_eq!(r.exit_code, Some(0));
            proptest::prop_assert_eq!(read(&out.path().join("after")), "[unset|unset]\n");
        }
    }
}
