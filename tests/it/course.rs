//! Shared test harness: a temporary course folder and the `labnote` binary run in it.
//!
//! Include it from an integration test file with
//!
//! ```ignore
//! use crate::course;
//! ```
//!
//! * [`Course`] is a temporary folder holding the course (`ROOT/course`), a HOME and a
//!   config folder (`ROOT/xdg`, with the age identity at `ROOT/xdg/labnote/identity.txt`);
//!   `labnote` runs in it with a cleared environment: exactly [`Course::env`].
//! * The free functions build the same pieces for tests that arrange folders themselves
//!   ([`home_env`], [`aws_env`], [`labnote_cmd`]) or run `labnote` in the test's own
//!   environment ([`labnote_nocolor`]).
//!
//! The AWS part takes the SDK environment as an argument (`Moto::get().sdk_env()`), so this
//! module does not need tests/it/moto.rs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `labnote` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_labnote");

/// The `labnote-credentials` binary under test (`credential-process` alone).
pub const CREDENTIALS_BIN: &str = env!("CARGO_BIN_EXE_labnote-credentials");

/// A path inside this crate.
pub fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A file (or folder) of tests/fixtures.
pub fn fixture_path(rel: &str) -> PathBuf {
    crate_path("tests/fixtures").join(rel)
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// one run of labnote

/// A finished run: exit code (-1 when killed by a signal), output, and how long it took.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Runs `cmd` to completion.
    pub fn of(cmd: &mut Command) -> Run {
        let start = Instant::now();
        let out = cmd.output().expect("run labnote");
        Run::new(out, start.elapsed())
    }

    pub fn new(out: Output, elapsed: Duration) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed,
        }
    }

    /// Exit code, stdout and stderr, for assertion messages.
    pub fn text(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

// ---------------------------------------------------------------------------------------
// environments and commands

/// HOME (`ROOT/home`, created), XDG_CONFIG_HOME (`ROOT/xdg`) and LABNOTE_IDENTITY
/// (`ROOT/xdg/labnote/identity.txt`): nothing of the user's own home or configuration.
pub fn home_env(root: &Path) -> Vec<(String, String)> {
    std::fs::create_dir_all(root.join("home")).unwrap();
    let p = |rel: &str| root.join(rel).display().to_string();
    vec![
        ("HOME".to_owned(), p("home")),
        ("XDG_CONFIG_HOME".to_owned(), p("xdg")),
        ("LABNOTE_IDENTITY".to_owned(), p("xdg/labnote/identity.txt")),
    ]
}

/// `sdk` (e.g. `Moto::get().sdk_env()`) plus empty AWS config and credentials files
/// (`ROOT/aws/config`, `ROOT/aws/credentials`, created): nothing of the machine's AWS
/// configuration.
pub fn aws_env(root: &Path, sdk: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    let aws = root.join("aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(aws.join("config"), "").unwrap();
    std::fs::write(aws.join("credentials"), "").unwrap();
    let mut env: Vec<(String, String)> = sdk.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    env.extend([
        (
            "AWS_CONFIG_FILE".to_owned(),
            aws.join("config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            aws.join("credentials").display().to_string(),
        ),
    ]);
    env
}

/// `labnote --course COURSE ARGS` with exactly `env` (a cleared environment) and stdin
/// not a terminal.
pub fn labnote_cmd(env: &[(String, String)], course: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .arg("--course")
        .arg(course)
        .args(args)
        .stdin(Stdio::null());
    c
}

/// `labnote --course COURSE` in the test's own environment, without the user's course
/// setting (LABNOTE_COURSE) and without colours.
pub fn labnote_nocolor(course: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--course")
        .arg(course)
        .env_remove("LABNOTE_COURSE")
        .env("NO_COLOR", "1");
    c
}

// ---------------------------------------------------------------------------------------
// what labnote leaves in a course folder

/// The journal's text ("" before the first record).
pub fn journal_text(course: &Path) -> String {
    std::fs::read_to_string(course.join(".labnote/journal.yaml")).unwrap_or_default()
}

/// The journal's records, in order.
pub fn journal(course: &Path) -> Vec<serde_yaml::Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(&journal_text(course))
        .map(|d| serde_yaml::Value::deserialize(d).unwrap())
        .collect()
}

/// The access key id noted in the memo of the lab file `path` (read with the library, no
/// labnote run, so no recovery); `None` when empty.
pub fn noted_key_id(path: &Path) -> Option<String> {
    access_key_values(path).0.filter(|v| !v.is_empty())
}

/// The raw memo values of the lab at `path`'s access key id and secret entries.
fn access_key_values(path: &Path) -> (Option<String>, Option<String>) {
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let lab = labnote::lab::parse(&std::fs::read(path).unwrap(), &stem).unwrap();
    let (id_key, secret_key) = labnote::memo::access_key_entries(&lab).unwrap();
    let value = |key: &str| labnote::memo::find(&lab, key).map(|e| e.value.clone());
    (value(&id_key), value(&secret_key))
}

/// The noted secret access key of the lab at `path`, decrypted with the age identity at
/// `identity` (what `labnote memo get` prints, without a process): for the tests that check
/// it hundreds of times.
pub fn noted_secret(path: &Path, identity: &Path) -> Option<String> {
    use secrecy::ExposeSecret;
    let value = access_key_values(path).1?;
    let keyring = labnote::secret::Keyring::load_from(identity, None).expect("the identity");
    let secret = keyring.decrypt(&value).ok()?;
    Some(secret.expose_secret().to_owned())
}

// ---------------------------------------------------------------------------------------
// processes

/// Live processes running exactly `args` in `dir` (a zombie has an empty cmdline and no
/// cwd).
pub fn running_in(dir: &Path, args: &[&str]) -> Vec<u32> {
    let want: Vec<u8> = args
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    processes()
        .into_iter()
        .filter(|p| p.cmdline == want && p.cwd.as_deref() == Some(dir))
        .map(|p| p.pid)
        .collect()
}

pub struct Proc {
    pub pid: u32,
    /// Arguments, NUL-separated as in /proc/PID/cmdline.
    pub cmdline: Vec<u8>,
    pub cwd: Option<PathBuf>,
}

/// Every process whose cmdline can be read now.
pub fn processes() -> Vec<Proc> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let cwd = std::fs::read_link(e.path().join("cwd")).ok();
        v.push(Proc { pid, cmdline, cwd });
    }
    v
}

// ---------------------------------------------------------------------------------------
// the course

/// A temporary course folder with its own HOME and config folder; `labnote` runs in it with
/// exactly [`Course::env`].
pub struct Course {
    _tmp: tempfile::TempDir,
    /// The temporary folder, canonical (so that it compares equal to what `pwd` and
    /// /proc/PID/cwd say).
    pub root: PathBuf,
    /// `ROOT/course`: created by the `with_*` builders that put labs in it.
    pub course: PathBuf,
    pub env: Vec<(String, String)>,
}

impl Course {
    /// No course folder yet; the environment is [`home_env`] only.
    pub fn empty() -> Course {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        Course {
            course: root.join("course"),
            env: home_env(&root),
            root,
            _tmp: tmp,
        }
    }

    /// The test's PATH too (for the shells and tools a lab's blocks run).
    pub fn with_path(mut self) -> Course {
        self.env
            .push(("PATH".to_owned(), std::env::var("PATH").unwrap_or_default()));
        self
    }

    /// The AWS environment [`aws_env`] too.
    pub fn with_aws(mut self, sdk: Vec<(&'static str, String)>) -> Course {
        let env = aws_env(&self.root, sdk);
        self.env.extend(env);
        self
    }

    /// A copy of the bundled course (`labs/`) as the course folder.
    pub fn with_bundled_labs(self) -> Course {
        copy_dir(&crate_path("labs"), &self.course);
        self
    }

    /// Copies of the given files of tests/fixtures, each under its file name.
    pub fn with_fixture_files(self, files: &[&str]) -> Course {
        std::fs::create_dir_all(&self.course).unwrap();
        for f in files {
            let src = fixture_path(f);
            std::fs::copy(&src, self.course.join(src.file_name().unwrap())).unwrap();
        }
        self
    }

    /// Replace (or add) an environment variable of the runs.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
    }

    pub fn unset_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    /// `labnote --course COURSE ARGS` with the course's environment, stdin null.
    /// It runs where a student would: in the course folder (in ROOT before there is one),
    /// never in the test's own folder (a `run` starts its shell where labnote started).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = labnote_cmd(&self.env, &self.course, args);
        c.current_dir(if self.course.is_dir() {
            &self.course
        } else {
            &self.root
        });
        c
    }

    /// Run to completion.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(&mut self.cmd(args))
    }

    /// Run to completion; it must exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, 0, "labnote {args:?} failed:\n{}", r.text());
        r
    }

    /// Run to completion with `input` on stdin (a pipe).
    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let mut cmd = self.cmd(args);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let start = Instant::now();
        let mut child = cmd.spawn().expect("run labnote");
        let mut stdin = child.stdin.take().unwrap();
        // A command that exits before reading all of it closes the pipe; that is its answer.
        let _ = std::io::Write::write_all(&mut stdin, input);
        drop(stdin);
        Run::new(child.wait_with_output().unwrap(), start.elapsed())
    }

    /// `labnote init`: an age identity.
    pub fn init(&self) {
        self.ok(&["init"]);
    }

    /// `labnote memo get KEY --lab LAB`, without the newline.
    /// `labnote memo set LAB KEY -` with the value on stdin (never in an argument list).
    pub fn memo_set_on_stdin(&self, lab: &str, key: &str, value: &str) {
        use std::io::Write;
        let mut child = self
            .cmd(&["memo", "set", lab, key, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{value}").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "memo set {key}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn memo_get(&self, lab: &str, key: &str) -> String {
        let r = self.ok(&["memo", "get", key, "--lab", lab]);
        r.stdout.trim_end_matches('\n').to_owned()
    }

    /// The steps of lab `lab` as `labnote steps LAB --json` reports them.
    pub fn steps(&self, lab: &str) -> Vec<serde_json::Value> {
        let r = self.ok(&["steps", lab, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
        v["steps"].as_array().unwrap().clone()
    }

    /// A path in the course folder.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.course.join(rel)
    }

    pub fn lab_bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.file(rel)).unwrap()
    }

    pub fn lab_text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }

    pub fn journal_text(&self) -> String {
        journal_text(&self.course)
    }

    pub fn journal(&self) -> Vec<serde_yaml::Value> {
        journal(&self.course)
    }

    /// The journal's records of `event`, in order.
    pub fn events(&self, event: &str) -> Vec<serde_yaml::Value> {
        self.journal()
            .into_iter()
            .filter(|r| r["event"].as_str() == Some(event))
            .collect()
    }
}
