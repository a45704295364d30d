//! Later labs use values noted in earlier ones (issue 5): `placeholders`, `show --fill`,
//! `env`, `credential-process` and `aws-profile`, run as the student runs them — the
//! `labnote` binary in a temporary course folder with its own age identity — and checked with
//! real consumers: bash, zsh and fish (when installed) evaluate `env`; the AWS CLI and the
//! Rust SDK use the profile written by `aws-profile` against moto.
//!
//! Secrets reach `labnote` only through stdin (`memo set LAB KEY -`) or through `issue-key`;
//! they are never in the argv of a child. Every command's stderr is kept and checked for
//! every secret a test knows ([`Course::assert_no_secret_on_stderr`]).

use crate::course;
use crate::moto;

use std::cell::RefCell;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use course::{fixture_path, BIN, CREDENTIALS_BIN};
use moto::{block_on, unique_name, Moto};
use serde_json::Value;

/// Env var telling a child run of this test binary which scenario to check.
const CHILD_MODE: &str = "LABNOTE_LATER_TEST_CHILD";

const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const GIT_USER: &str = "octo-student";

/// A secret full of what shells, JSON and PowerShell treat specially: single and double
/// quotes, `$`, backticks, backslashes (one at the very end), runs of spaces, a typographic
/// quote (a single quote to PowerShell), `!`, `#`, `;`, `|`, `&`, `*`, `~`, `%`. `core` is a
/// distinctive plain part, so a partial or escaped leak on stderr is caught too.
fn nasty_secret(core: &str) -> String {
    format!(" {core}'q\"d$HOME`id`$(echo x)\\n  two  spaces ’smart‘ !#;|&*~%{{}} end\\")
}

/// The alphanumeric core of a test secret (see [`nasty_secret`]).
fn core_of(secret: &str) -> String {
    secret
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Whether `text` shows `secret`, or its core when that is long enough to be distinctive (a
/// key issued by moto may start with a `/` or a short run of letters).
fn leaks(text: &str, secret: &str) -> bool {
    let core = core_of(secret);
    text.contains(secret) || (core.len() >= 10 && text.contains(&core))
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary course folder with copies of some fixtures, its own HOME, config dir (the age
/// identity) and AWS files.
struct Course {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    dir: PathBuf,
    home: PathBuf,
    config_home: PathBuf,
    aws_config: PathBuf,
    aws_credentials: PathBuf,
    /// Secrets known to the test (checked against every stderr).
    secrets: RefCell<Vec<String>>,
    /// (command, stderr) of every run.
    stderrs: RefCell<Vec<(String, String)>>,
}

impl Course {
    fn new(fixtures: &[&str]) -> Course {
        Course::named("course", fixtures)
    }

    /// Like [`Course::new`], with the course folder called `name` (it may hold spaces, quotes…).
    fn named(name: &str, fixtures: &[&str]) -> Course {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let dir = root.join(name);
        let home = root.join("home");
        let config_home = root.join("xdg");
        let aws = root.join("aws");
        for d in [&dir, &home, &config_home, &aws] {
            std::fs::create_dir_all(d).unwrap();
        }
        for f in fixtures {
            let src = fixture_path(f);
            let name = src.file_name().unwrap();
            std::fs::copy(&src, dir.join(name)).unwrap();
        }
        let c = Course {
            _tmp: tmp,
            root,
            dir,
            home,
            config_home,
            aws_config: aws.join("config"),
            aws_credentials: aws.join("credentials"),
            secrets: RefCell::new(Vec::new()),
            stderrs: RefCell::new(Vec::new()),
        };
        std::fs::write(&c.aws_credentials, "").unwrap();
        let out = c.run(&["init"]);
        assert!(out.ok(), "init: {out:?}");
        assert!(out.stdout.starts_with("age1"), "{out:?}");
        c
    }

    /// The environment every child gets: nothing from the test's own environment but PATH
    /// (and TZ, so that "today" is the same day for the test and the child).
    fn base_env(&self) -> Vec<(String, String)> {
        let mut v = vec![
            (
                "PATH".to_string(),
                std::env::var("PATH").unwrap_or_default(),
            ),
            ("HOME".to_string(), self.home.display().to_string()),
            (
                "XDG_CONFIG_HOME".to_string(),
                self.config_home.display().to_string(),
            ),
            (
                "AWS_CONFIG_FILE".to_string(),
                self.aws_config.display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_string(),
                self.aws_credentials.display().to_string(),
            ),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
        ];
        for k in ["TZ", "LLVM_PROFILE_FILE"] {
            if let Ok(val) = std::env::var(k) {
                v.push((k.to_string(), val));
            }
        }
        v
    }

    /// Run any program with the course's environment plus `env`, feeding `stdin`.
    fn exec(&self, program: &str, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Out {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env_clear()
            .envs(self.base_env())
            .envs(env.iter().copied())
            .current_dir(&self.root)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = spawn_when_free(&mut cmd, program);
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        let o = child.wait_with_output().unwrap();
        let out = Out {
            code: o.status.code(),
            stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
        };
        self.stderrs
            .borrow_mut()
            .push((format!("{program} {}", args.join(" ")), out.stderr.clone()));
        out
    }

    /// `labnote --course DIR ARGS…`
    fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, None, &[])
    }

    fn run_with(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Out {
        self.run_bin(BIN, args, stdin, env)
    }

    /// `program --course DIR args…`.
    fn run_bin(
        &self,
        program: &str,
        args: &[&str],
        stdin: Option<&str>,
        env: &[(&str, &str)],
    ) -> Out {
        let dir = self.dir.display().to_string();
        let mut all = vec!["--course", dir.as_str()];
        all.extend_from_slice(args);
        self.exec(program, &all, stdin, env)
    }

    /// The same command line run by `labnote` and by `labnote-credentials`: both outputs,
    /// asserted to be the same (exit code, stdout, stderr).
    fn run_both(&self, args: &[&str]) -> Out {
        let big = self.run(args);
        let small = self.run_bin(CREDENTIALS_BIN, args, None, &[]);
        assert_eq!(
            (small.code, &small.stdout, &small.stderr),
            (big.code, &big.stdout, &big.stderr),
            "labnote-credentials {args:?} differs from labnote {args:?}"
        );
        big
    }

    /// Stdout of a command that must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.ok(), "labnote {args:?}: {out:?}");
        out.stdout
    }

    /// `memo set LAB KEY -` with the value on stdin (never on the command line).
    fn note(&self, lab: &str, key: &str, value: &str) {
        let out = self.run_with(
            &["memo", "set", lab, key, "-"],
            Some(&format!("{value}\n")),
            &[],
        );
        assert!(out.ok(), "memo set {lab} {key}: {out:?}");
    }

    /// Like [`Course::note`], and remember the value as a secret.
    fn note_secret(&self, lab: &str, key: &str, value: &str) {
        self.secrets.borrow_mut().push(value.to_string());
        self.note(lab, key, value);
    }

    fn placeholders(&self, lab: &str) -> Vec<Value> {
        let out = self.ok(&["placeholders", lab, "--json"]);
        for s in self.secrets.borrow().iter() {
            assert!(!leaks(&out, s), "placeholders --json shows a secret");
        }
        match serde_json::from_str(&out) {
            Ok(Value::Array(v)) => v,
            other => panic!("placeholders {lab} --json is not an array: {other:?}\n{out}"),
        }
    }

    fn lab_file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap()
    }

    fn write_course_yaml(&self, text: &str) {
        std::fs::write(self.dir.join("course.yaml"), text).unwrap();
    }

    /// No secret, not even its distinctive part, on the stderr of any command run so far.
    fn assert_no_secret_on_stderr(&self) {
        let secrets = self.secrets.borrow();
        assert!(!secrets.is_empty(), "the test knows no secret to look for");
        for (cmd, err) in self.stderrs.borrow().iter() {
            for s in secrets.iter() {
                assert!(!leaks(err, s), "`{cmd}` printed a secret on stderr:\n{err}");
            }
        }
    }
}

/// The entry of a placeholders JSON array named `name`.
fn entry<'a>(v: &'a [Value], name: &str) -> &'a Value {
    v.iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no placeholder {name:?} in {v:#?}"))
}

fn names(v: &[Value]) -> Vec<&str> {
    v.iter().map(|e| e["name"].as_str().unwrap()).collect()
}

/// Assert that placeholder `name` resolves to memo `key` of `lab`.
fn assert_memo(v: &[Value], name: &str, lab: &str, key: &str, secret: bool) {
    let e = entry(v, name);
    assert_eq!(e["resolved"], true, "{e:#}");
    assert_eq!(e["source"], "memo", "{e:#}");
    assert_eq!(e["lab"], lab, "{e:#}");
    assert_eq!(e["key"], key, "{e:#}");
    assert_eq!(e["secret"], secret, "{e:#}");
    assert_eq!(e["suggestion"], Value::Null, "{e:#}");
}

/// Assert that `name` is unresolved, its suggestion null or one of `keys`.
fn assert_unresolved(v: &[Value], name: &str, keys: &[&str]) {
    let e = entry(v, name);
    assert_eq!(e["resolved"], false, "{e:#}");
    assert_eq!(e["source"], "none", "{e:#}");
    assert_eq!(e["lab"], Value::Null, "{e:#}");
    assert_eq!(e["key"], Value::Null, "{e:#}");
    match &e["suggestion"] {
        Value::Null => {}
        Value::String(s) => assert!(keys.contains(&s.as_str()), "suggestion {s:?}: {e:#}"),
        other => panic!("suggestion {other:?}"),
    }
}

/// Today as `<<YYMMDD>>` means it; two readings so a test running over midnight still passes.
fn today_yymmdd() -> [String; 2] {
    let d = || jiff::Zoned::now().date().strftime("%y%m%d").to_string();
    let a = d();
    [a.clone(), d()]
}

/// A line of rendered output whose text is exactly `text` after the frame the renderer puts
/// before code lines (box-drawing characters and spaces only).
fn has_line(out: &str, text: &str) -> bool {
    out.lines().any(|l| {
        l.strip_suffix(text).is_some_and(|prefix| {
            prefix
                .chars()
                .all(|c| c == ' ' || ('\u{2500}'..='\u{259F}').contains(&c))
        })
    })
}

fn shell_available(name: &str) -> bool {
    Command::new(name)
        .args(["-c", "exit 0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

const GIT_2_5: [&str; 3] = [
    "ref-2-3-github.md",
    "ref-2-4-access-key.md",
    "ref-2-5-network.md",
];
const MEMO_KEYS: [&str; 4] = [
    "github_username",
    "github_token",
    "AWS Access Key ID",
    "AWS Secret Access key",
];

/// Lab 2-3 and 2-4 values noted; returns (token, secret access key).
fn note_2_3_and_2_4(c: &Course) -> (String, String) {
    let token = nasty_secret("ghpTokenCore7Q");
    let secret = nasty_secret("AwsSecretCore9Z");
    c.note("2-3", "github_username", GIT_USER);
    c.note_secret("2-3", "github_token", &token);
    c.note("2-4", "AWS Access Key ID", ACCESS_KEY_ID);
    c.note_secret("2-4", "AWS Secret Access key", &secret);
    (token, secret)
}

/// Assert that the placeholders of later labs for what [`note_2_3_and_2_4`] notes resolve
/// to those memo entries.
fn assert_2_3_and_2_4_resolved(v: &[Value]) {
    assert_memo(v, "자신의 git name", "2-3", "github_username", false);
    assert_memo(v, "발급 받은 git token", "2-3", "github_token", true);
    assert_memo(v, "발급받은 Access Key", "2-4", "AWS Access Key ID", false);
    assert_memo(
        v,
        "발급받은 AWS Secret Access key",
        "2-4",
        "AWS Secret Access key",
        true,
    );
}

// ---------------------------------------------------------------------------------------
// 1. placeholders of later labs name values noted in 2-3 and 2-4

#[test]
fn placeholders_of_2_5_resolve_to_the_values_noted_in_2_3_and_2_4() {
    let c = Course::new(&GIT_2_5);
    let all = [
        "gitopsconsole_ID",
        "YYMMDD",
        "발급받은 Access Key",
        "발급받은 AWS Secret Access key",
        "자신의 git repository 주소",
        "자신의 git name",
        "발급 받은 git token",
    ];
    // Nothing noted yet: only the built-in resolves.
    let v = c.placeholders("2-5");
    assert_eq!(names(&v), all);
    for n in all.iter().filter(|n| **n != "YYMMDD") {
        assert_unresolved(&v, n, &MEMO_KEYS);
    }

    let (token, secret) = note_2_3_and_2_4(&c);
    let v = c.placeholders("2-5");
    assert_eq!(names(&v), all, "one entry per distinct name, in order");
    assert_2_3_and_2_4_resolved(&v);
    // Not memo values of any lab of this course.
    assert_unresolved(&v, "gitopsconsole_ID", &MEMO_KEYS);
    assert_unresolved(&v, "자신의 git repository 주소", &MEMO_KEYS);
    let y = entry(&v, "YYMMDD");
    assert_eq!(y["resolved"], true);
    assert_eq!(y["source"], "builtin");
    assert_eq!(y["lab"], Value::Null);
    assert_eq!(y["secret"], false);
    for e in &v {
        assert_eq!(e["occurrences"], 1, "{e:#}");
    }

    // The human listing says the same, and never a secret.
    let human = c.ok(&["placeholders", "2-5"]);
    for (name, want) in [
        ("<<발급받은 Access Key>>", "2-4 «AWS Access Key ID»"),
        ("<<발급 받은 git token>>", "2-3 «github_token» 🔒"),
        ("<<자신의 git name>>", "2-3 «github_username»"),
        ("<<gitopsconsole_ID>>", "not noted"),
    ] {
        let line = human.lines().find(|l| l.starts_with(name)).unwrap();
        assert!(line.contains(want), "{line}");
    }
    let builtin = human.lines().find(|l| l.starts_with("<<YYMMDD>>")).unwrap();
    assert!(
        today_yymmdd()
            .iter()
            .any(|d| builtin.ends_with(&format!("built-in: {d}"))),
        "{builtin}"
    );
    for s in [&token, &secret] {
        assert!(!leaks(&human, s));
    }
    c.assert_no_secret_on_stderr();
}

#[test]
fn placeholders_of_3_1_resolve_to_lab_2_3_and_count_occurrences() {
    let c = Course::new(&["ref-2-3-github.md", "no-memo.md"]);
    let token = nasty_secret("ghpTokenCore3One");
    c.note("2-3", "github_username", GIT_USER);
    c.note_secret("2-3", "github_token", &token);
    let v = c.placeholders("3-1");
    assert_eq!(
        names(&v),
        ["생성된 IP", "자신의 git name", "발급 받은 git token"]
    );
    assert_memo(&v, "자신의 git name", "2-3", "github_username", false);
    assert_memo(&v, "발급 받은 git token", "2-3", "github_token", true);
    assert_unresolved(&v, "생성된 IP", &["github_username", "github_token"]);
    // In a table cell and in a bash fence.
    assert_eq!(entry(&v, "자신의 git name")["occurrences"], 2);
    assert_eq!(entry(&v, "생성된 IP")["occurrences"], 2);
    assert_eq!(entry(&v, "발급 받은 git token")["occurrences"], 1);

    // 3-1 has no memo block; noting the IP there adds one, and the placeholder resolves
    // to it. The memo entry's own `<< 생성된 IP>>` is not one more use of the placeholder.
    c.note("3-1", "생성된 IP", "10.0.3.21");
    let v = c.placeholders("3-1");
    assert_eq!(
        names(&v),
        ["생성된 IP", "자신의 git name", "발급 받은 git token"]
    );
    assert_memo(&v, "생성된 IP", "3-1", "생성된 IP", false);
    assert_eq!(entry(&v, "생성된 IP")["occurrences"], 2);
    let shown = c.ok(&["show", "3-1", "--fill"]);
    assert!(
        has_line(&shown, "ssh -i key.pem ec2-user@10.0.3.21"),
        "{shown}"
    );
    assert!(
        has_line(
            &shown,
            &format!("git config --global user.name \"{GIT_USER}\"")
        ),
        "{shown}"
    );
    c.assert_no_secret_on_stderr();
}

#[test]
fn placeholders_of_a_3_x_lab_with_code_and_its_own_memo_block() {
    let c = Course::new(&[
        "ref-2-3-github.md",
        "ref-2-4-access-key.md",
        "later/git-and-cli.md",
    ]);
    note_2_3_and_2_4(&c);
    c.note("3-3", "console_id", "stu07");
    let v = c.placeholders("3-3");
    assert_eq!(
        names(&v),
        [
            "자신의 git name",
            "발급 받은 git token",
            "gitopsconsole_ID",
            "YYMMDD",
            "메모한 console_id",
            "메모한 console_pw",
            "발급받은 Access Key",
            "발급받은 AWS Secret Access key",
        ]
    );
    assert_2_3_and_2_4_resolved(&v);
    assert_memo(&v, "메모한 console_id", "3-3", "console_id", false);
    // Noted nowhere yet; its own memo key is the obvious suggestion.
    assert_unresolved(&v, "메모한 console_pw", &["console_pw"]);
    assert_eq!(entry(&v, "YYMMDD")["source"], "builtin");
    // prose + heredoc line + clone line
    assert_eq!(entry(&v, "자신의 git name")["occurrences"], 3);
    assert_eq!(entry(&v, "발급 받은 git token")["occurrences"], 2);
    c.assert_no_secret_on_stderr();
}

// ---------------------------------------------------------------------------------------
// 2. the latest noted value wins

/// The line of `placeholders LAB` (the human form) that starts with `start`.
fn human_line(c: &Course, lab: &str, start: &str) -> String {
    let human = c.ok(&["placeholders", lab]);
    human
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap()
        .to_owned()
}

#[test]
fn the_latest_memo_set_wins_even_within_the_same_second() {
    // 1-3 already holds github_username = octocat, written by hand (no journal record).
    let c = Course::new(&["lf-bold-memo.md", "ref-2-3-github.md", "no-memo.md"]);
    let v = c.placeholders("3-1");
    assert_memo(&v, "자신의 git name", "1-3", "github_username", false);

    c.note("2-3", "github_username", "second-name");
    let v = c.placeholders("3-1");
    assert_memo(&v, "자신의 git name", "2-3", "github_username", false);
    let line = human_line(&c, "3-1", "<<자신의 git name>>");
    assert!(line.contains("2-3 «github_username»"), "{line}");
    assert!(line.contains("also noted in 1-3"), "{line}");

    // Noted again in the earlier lab, right away (the journal's clock has whole seconds):
    // the later `memo set` wins, not the later lab.
    c.note("1-3", "github_username", "third-name");
    let v = c.placeholders("3-1");
    assert_memo(&v, "자신의 git name", "1-3", "github_username", false);
    let line = human_line(&c, "3-1", "<<자신의 git name>>");
    assert!(line.contains("1-3 «github_username»"), "{line}");
    assert!(line.contains("also noted in 2-3"), "{line}");
    let shown = c.ok(&["show", "3-1", "--fill"]);
    assert!(
        has_line(&shown, "git config --global user.name \"third-name\""),
        "{shown}"
    );
    assert_eq!(c.ok(&["memo", "get", "github_username"]), "third-name\n");

    // The same for a secret, back and forth.
    let t1 = nasty_secret("firstTokenAaa1");
    let t2 = nasty_secret("secondTokenBbb2");
    c.note_secret("2-3", "github_token", &t1);
    c.note_secret("1-3", "github_token", &t2);
    assert_memo(
        &c.placeholders("3-1"),
        "발급 받은 git token",
        "1-3",
        "github_token",
        true,
    );
    let shown = c.ok(&["show", "3-1", "--fill", "--reveal"]);
    assert!(shown.contains(&t2) && !shown.contains(&t1), "{shown}");
    c.note_secret("2-3", "github_token", &nasty_secret("thirdTokenCcc3"));
    assert_memo(
        &c.placeholders("3-1"),
        "발급 받은 git token",
        "2-3",
        "github_token",
        true,
    );
    c.assert_no_secret_on_stderr();
}

// ---------------------------------------------------------------------------------------
// 3. course.yaml: aliases, secrets, errors with line:column

#[test]
fn course_yaml_aliases_and_secrets() {
    let c = Course::new(&["ref-2-5-network.md", "later/git-and-cli.md"]);
    c.note("3-3", "console_id", "stu07");
    c.note("3-3", "console_pw", "pw-Plain-4821");
    let v = c.placeholders("2-5");
    assert_unresolved(&v, "gitopsconsole_ID", &["console_id", "console_pw"]);
    let v = c.placeholders("3-3");
    assert_memo(&v, "메모한 console_pw", "3-3", "console_pw", false);

    c.write_course_yaml(
        "# settings of this course\nsecrets: [console_pw]\naliases:\n  \"gitopsconsole_ID\": console_id\n",
    );
    let v = c.placeholders("2-5");
    assert_memo(&v, "gitopsconsole_ID", "3-3", "console_id", false);
    let shown = c.ok(&["show", "2-5", "--fill"]);
    assert!(
        today_yymmdd()
            .iter()
            .any(|d| shown.contains(&format!("network-stu07-{d}"))),
        "{shown}"
    );
    // `secrets:` makes console_pw secret: flagged, and masked by show --fill.
    let v = c.placeholders("3-3");
    assert_memo(&v, "메모한 console_pw", "3-3", "console_pw", true);
    let shown = c.ok(&["show", "3-3", "--fill"]);
    assert!(!shown.contains("pw-Plain-4821"), "{shown}");
    assert!(shown.contains("••••"), "{shown}");
    let shown = c.ok(&["show", "3-3", "--fill", "--reveal"]);
    assert!(shown.contains("pw-Plain-4821"), "{shown}");
    // Noted now that it is secret: encrypted in the lab file.
    let pw = nasty_secret("consolePwCore5");
    c.note_secret("3-3", "console_pw", &pw);
    assert!(!c.lab_file("git-and-cli.md").contains(&core_of(&pw)));
    assert_memo(
        &c.placeholders("3-3"),
        "메모한 console_pw",
        "3-3",
        "console_pw",
        true,
    );
    c.assert_no_secret_on_stderr();
}

/// `course.yaml:LINE:COL:` somewhere in `s`.
fn yaml_position(s: &str) -> Option<(usize, usize)> {
    let i = s.find("course.yaml:")?;
    let mut parts = s[i + "course.yaml:".len()..].splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    Some((line, col))
}

#[test]
fn malformed_course_yaml_is_a_data_error_with_line_and_column() {
    let c = Course::new(&GIT_2_5);
    note_2_3_and_2_4(&c);
    // An unknown field on line 4.
    c.write_course_yaml(
        "secrets: [console_pw]\naliases:\n  gitopsconsole_ID: console_id\nlabz:\n  x: 1\n",
    );
    for args in [
        &["placeholders", "2-5", "--json"][..],
        &["placeholders", "2-5"],
        &["show", "2-5", "--fill"],
        &["env", "--shell", "bash"],
    ] {
        let out = c.run(args);
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        assert_eq!(
            yaml_position(&out.stderr),
            Some((4, 1)),
            "{args:?}: {out:?}"
        );
        assert!(out.stderr.contains("labz"), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
    }
    // A syntax error: an unclosed flow sequence.
    c.write_course_yaml("region: us-east-1\nsecrets: [console_pw, other\n");
    let out = c.run(&["placeholders", "2-5", "--json"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    let (line, col) = yaml_position(&out.stderr).unwrap_or_else(|| panic!("{out:?}"));
    assert!(line >= 2 && col >= 1, "{out:?}");
    c.assert_no_secret_on_stderr();
}

// ---------------------------------------------------------------------------------------
// 4. show

#[test]
fn show_fills_masks_reveals_and_keeps_code_exact() {
    let c = Course::new(&[
        "ref-2-3-github.md",
        "ref-2-4-access-key.md",
        "ref-2-5-network.md",
        "later/git-and-cli.md",
    ]);
    let (token, secret) = note_2_3_and_2_4(&c);

    // Without --fill: placeholders as written.
    let plain = c.ok(&["show", "3-3"]);
    assert!(
        has_line(
            &plain,
            "https://<<자신의 git name>>:<<발급 받은 git token>>@github.com"
        ),
        "{plain}"
    );
    assert!(has_line(
        &plain,
        "aws configure set aws_access_key_id <<발급받은 Access Key>>"
    ));
    assert!(!plain.contains(GIT_USER) && !plain.contains(ACCESS_KEY_ID));

    // --fill: values in, secrets as ••••, code lines otherwise exact.
    let filled = c.ok(&["show", "3-3", "--fill"]);
    for s in [&token, &secret] {
        assert!(!leaks(&filled, s), "{filled}");
    }
    for line in [
        "cat << EOF >> ~/.git-credentials".to_string(),
        format!("https://{GIT_USER}:••••@github.com"),
        "EOF".to_string(),
        "git config --global credential.helper store".to_string(),
        format!("aws configure set aws_access_key_id {ACCESS_KEY_ID}"),
        "aws configure set aws_secret_access_key '••••'".to_string(),
        "aws configure set region ap-northeast-2".to_string(),
    ] {
        assert!(
            has_line(&filled, &line),
            "missing line {line:?} in\n{filled}"
        );
    }
    // An unresolved placeholder stays; the built-in is filled.
    assert!(
        today_yymmdd().iter().any(|d| has_line(
            &filled,
            &format!("git clone https://github.com/{GIT_USER}/network_pipeline.git network-<<gitopsconsole_ID>>-{d}")
        )),
        "{filled}"
    );

    // --reveal: the secrets themselves, exactly.
    let revealed = c.ok(&["show", "3-3", "--fill", "--reveal"]);
    assert!(
        has_line(&revealed, &format!("https://{GIT_USER}:{token}@github.com")),
        "{revealed}"
    );
    assert!(has_line(
        &revealed,
        &format!("aws configure set aws_secret_access_key '{secret}'")
    ));
    assert!(!revealed.contains("••••"));

    // --step: only that step.
    let s1 = c.ok(&["show", "3-3", "--step", "1", "--fill"]);
    assert!(s1.contains("git 인증 설정") && has_line(&s1, "cat << EOF >> ~/.git-credentials"));
    assert!(
        !s1.contains("AWS CLI 설정") && !s1.contains("aws configure"),
        "{s1}"
    );
    let s2 = c.ok(&["show", "3-3", "--step", "2", "--fill"]);
    assert!(s2.contains("AWS CLI 설정") && s2.contains("aws configure set region"));
    assert!(
        !s2.contains("git 인증 설정") && !s2.contains("credential.helper"),
        "{s2}"
    );
    let out = c.run(&["show", "3-3", "--step", "9", "--fill", "--reveal"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.is_empty());

    // The CRLF lab 2-5: the table cells are filled the same way.
    let t = c.ok(&["show", "2-5", "--step", "2-2", "--fill"]);
    assert!(
        t.contains(ACCESS_KEY_ID) && t.contains(GIT_USER) && t.contains("••••"),
        "{t}"
    );
    assert!(!t.contains('\r'));
    assert!(!t.contains(&core_of(&secret)) && !t.contains(&core_of(&token)));
    c.assert_no_secret_on_stderr();
}

// ---------------------------------------------------------------------------------------
// 5. env, evaluated by real shells

/// A course holding an access key pair whose secret is `secret`, region in course.yaml.
fn course_with_pair(secret: &str) -> Course {
    let c = Course::new(&["ref-2-4-access-key.md"]);
    c.note("2-4", "AWS Access Key ID", ACCESS_KEY_ID);
    c.note_secret("2-4", "AWS Secret Access key", secret);
    c.write_course_yaml("region: ap-northeast-2\n");
    c
}

/// What the shells print: `id|region|secret`.
fn expected_env(secret: &str) -> String {
    format!("{ACCESS_KEY_ID}|ap-northeast-2|{secret}")
}

#[test]
fn env_is_read_back_exactly_by_bash_zsh_and_fish() {
    let secret = nasty_secret("envSecretCore8");
    let c = course_with_pair(&secret);
    let dir = c.dir.display().to_string();
    let env = [("LABNOTE", BIN), ("COURSE", dir.as_str())];
    let print =
        r#"printf '%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_DEFAULT_REGION" "$AWS_SECRET_ACCESS_KEY""#;

    let bash =
        format!(r#"eval "$("$LABNOTE" --course "$COURSE" env --lab 2-4 --shell bash)" && {print}"#);
    let out = c.exec("bash", &["--noprofile", "--norc", "-c", &bash], None, &env);
    assert!(out.ok(), "{out:?}");
    assert_eq!(out.stdout, expected_env(&secret));

    // Without --shell and without SHELL: bash syntax; the latest pair of the course.
    let bash = format!(r#"eval "$("$LABNOTE" --course "$COURSE" env)" && {print}"#);
    let out = c.exec("bash", &["--noprofile", "--norc", "-c", &bash], None, &env);
    assert!(out.ok(), "{out:?}");
    assert_eq!(out.stdout, expected_env(&secret));

    let mut ran = vec!["bash"];
    if shell_available("zsh") {
        let zsh = format!(
            r#"eval "$("$LABNOTE" --course "$COURSE" env --lab 2-4 --shell zsh)" && {print}"#
        );
        let out = c.exec("zsh", &["-f", "-c", &zsh], None, &env);
        assert!(out.ok(), "{out:?}");
        assert_eq!(out.stdout, expected_env(&secret));
        ran.push("zsh");
    } else {
        eprintln!("note: zsh is not installed; its `env` check was skipped");
    }
    if shell_available("fish") {
        let fish = format!(
            r#""$LABNOTE" --course "$COURSE" env --lab 2-4 --shell fish | source; and {print}"#
        );
        let out = c.exec("fish", &["--no-config", "-c", &fish], None, &env);
        assert!(out.ok(), "{out:?}");
        assert_eq!(out.stdout, expected_env(&secret));
        // SHELL=…/fish picks fish syntax by itself.
        let fish = format!(r#""$LABNOTE" --course "$COURSE" env | source; and {print}"#);
        let out = c.exec(
            "fish",
            &["--no-config", "-c", &fish],
            None,
            &[
                ("LABNOTE", BIN),
                ("COURSE", dir.as_str()),
                ("SHELL", "/usr/bin/fish"),
            ],
        );
        assert!(out.ok(), "{out:?}");
        assert_eq!(out.stdout, expected_env(&secret));
        ran.push("fish");
    } else {
        eprintln!("note: fish is not installed; its `env` check was skipped");
    }
    eprintln!("env checked with: {}", ran.join(", "));
    c.assert_no_secret_on_stderr();
}

/// PowerShell's single-quote characters: `'` and U+2018–U+201B. Inside a single-quoted string
/// any of them ends the string unless doubled.
fn is_ps_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// Read one PowerShell single-quoted literal at the start of `s`; returns (value, rest).
fn ps_unquote(s: &str) -> Option<(String, &str)> {
    let mut it = s.char_indices().peekable();
    let (_, first) = it.next()?;
    if !is_ps_quote(first) {
        return None;
    }
    let mut v = String::new();
    while let Some((i, c)) = it.next() {
        if is_ps_quote(c) {
            match it.peek() {
                Some(&(_, n)) if is_ps_quote(n) => {
                    v.push(n);
                    it.next();
                }
                _ => return Some((v, &s[i + c.len_utf8()..])),
            }
        } else {
            v.push(c);
        }
    }
    None
}

#[test]
fn env_for_powershell_quotes_every_single_quote_character() {
    let secret = nasty_secret("psSecretCore6");
    let c = course_with_pair(&secret);
    let out = c.ok(&["env", "--lab", "2-4", "--shell", "powershell"]);
    // The token unsets and AWS_REGION are checked in aws_profiles.
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| !l.ends_with("= $null") && !l.starts_with("$env:AWS_REGION "))
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    let mut got = Vec::new();
    for (line, name) in lines.iter().zip([
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    ]) {
        let rest = line
            .strip_prefix(&format!("$env:{name} = "))
            .unwrap_or_else(|| panic!("{line:?}"));
        let (v, tail) = ps_unquote(rest).unwrap_or_else(|| panic!("unterminated: {line:?}"));
        assert_eq!(tail, "", "text after the literal: {line:?}");
        got.push(v);
    }
    assert_eq!(got, [ACCESS_KEY_ID, secret.as_str(), "ap-northeast-2"]);
    // Exactly: every quote character doubled, nothing else touched (`$`, backticks and
    // backslashes are literal in single quotes).
    let mut want = String::from("'");
    for ch in secret.chars() {
        want.push(ch);
        if is_ps_quote(ch) {
            want.push(ch);
        }
    }
    want.push('\'');
    assert_eq!(lines[1], format!("$env:AWS_SECRET_ACCESS_KEY = {want}"));
    assert!(out.ends_with('\n'));
    c.assert_no_secret_on_stderr();
}

// ---------------------------------------------------------------------------------------
// 6. credential-process

#[test]
fn credential_process_prints_the_pair_as_json_and_nothing_on_stderr() {
    let secret = nasty_secret("credProcCore4");
    let c = course_with_pair(&secret);
    // Files that are not labs, and one that is not UTF-8: still nothing on stderr.
    std::fs::write(c.dir.join("broken.md"), b"# 9\xff\xfe\n").unwrap();
    for args in [
        &["credential-process"][..],
        &["credential-process", "--lab", "2-4"],
        &["-v", "credential-process"],
    ] {
        let out = c.run_both(args);
        assert_eq!(out.code, Some(0), "{args:?}: {out:?}");
        assert_eq!(out.stderr, "", "{args:?}");
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["Version"], 1);
        assert_eq!(v["AccessKeyId"], ACCESS_KEY_ID);
        assert_eq!(v["SecretAccessKey"], secret.as_str());
        assert_eq!(v.as_object().unwrap().len(), 3, "{v}");
    }
    c.assert_no_secret_on_stderr();
}

#[test]
fn credential_process_takes_the_pair_noted_last() {
    // Two labs with an access-key memo: ref-2-4 (2-4) and crlf-italic-memo (1-4, which
    // already holds an id noted by hand).
    let c = Course::new(&["ref-2-4-access-key.md", "crlf-italic-memo.md"]);
    let s1 = nasty_secret("pairOneSecret1");
    let s2 = nasty_secret("pairTwoSecret2");
    c.note("2-4", "AWS Access Key ID", "AKIAFIRSTPAIR0000001");
    c.note_secret("2-4", "AWS Secret Access key", &s1);
    c.note("1-4", "AWS Access Key ID", "AKIASECONDPAIR000002");
    c.note_secret("1-4", "AWS Secret Access key", &s2);
    // Noted within the same second as 2-4's: the journal order decides, not the lab order.
    let v: Value = serde_json::from_str(&c.ok(&["credential-process"])).unwrap();
    assert_eq!(v["AccessKeyId"], "AKIASECONDPAIR000002");
    assert_eq!(v["SecretAccessKey"], s2.as_str());
    c.note_secret(
        "2-4",
        "AWS Secret Access key",
        &nasty_secret("pairOneAgain3"),
    );
    let v: Value = serde_json::from_str(&c.ok(&["credential-process"])).unwrap();
    assert_eq!(v["AccessKeyId"], "AKIAFIRSTPAIR0000001");
}

#[test]
fn credential_process_without_a_key_fails_with_a_message() {
    let c = Course::new(&["ref-2-3-github.md", "ref-2-4-access-key.md"]);
    c.note_secret("2-3", "github_token", &nasty_secret("unrelatedTok1"));
    for args in [
        &["credential-process"][..],
        &["credential-process", "--lab", "2-4"],
        &["credential-process", "--lab", "2-3"],
    ] {
        let out = c.run_both(args);
        assert_ne!(out.code, Some(0), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        assert!(out.stderr.starts_with("labnote: error: "), "{out:?}");
    }
    let out = c.run(&["credential-process"]);
    assert!(out.stderr.contains("issue-key"), "{out:?}");
    // Only the id noted: still no pair.
    c.note("2-4", "AWS Access Key ID", ACCESS_KEY_ID);
    let out = c.run_both(&["credential-process", "--lab", "2-4"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("2-4"), "{out:?}");
    c.assert_no_secret_on_stderr();
}

#[test]
fn labnote_credentials_runs_credential_process_and_nothing_else() {
    let secret = nasty_secret("smallBinSecret5");
    let c = course_with_pair(&secret);
    // The forms aws-profile writes, and the environment's course.
    let dir = c.dir.display().to_string();
    let out = c.exec(
        CREDENTIALS_BIN,
        &["credential-process"],
        None,
        &[("LABNOTE_COURSE", &dir)],
    );
    assert!(out.ok(), "{out:?}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["SecretAccessKey"], secret.as_str());
    // Any other command line: a usage error naming `labnote`, nothing on stdout, nothing
    // read or written.
    let before = std::fs::read(c.dir.join(".labnote/journal.yaml")).ok();
    for args in [
        &["labs"][..],
        &["memo", "get", "AWS Secret Access key"],
        &["credential-process", "--lab"],
        &["credential-process", "extra"],
        &["--help"],
        &[],
    ] {
        let out = c.run_bin(CREDENTIALS_BIN, args, None, &[]);
        assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
        assert_eq!(out.stdout, "", "{args:?}");
        assert!(
            out.stderr
                .starts_with("labnote: labnote-credentials runs only `credential-process`")
                && out.stderr.contains("run `labnote`"),
            "{args:?}: {out:?}"
        );
    }
    assert_eq!(
        std::fs::read(c.dir.join(".labnote/journal.yaml")).ok(),
        before
    );
    c.assert_no_secret_on_stderr();
}

#[test]
fn aws_profile_names_labnote_itself_when_labnote_credentials_is_not_beside_it() {
    let c = course_with_pair(&nasty_secret("aloneSecret6"));
    // `labnote` installed alone (a copy, not a link: a link resolves to the build folder).
    let alone = c.root.join("bin-alone");
    std::fs::create_dir_all(&alone).unwrap();
    let copy = alone.join("labnote");
    std::fs::copy(BIN, &copy).unwrap();
    // The `credential_process` line the copy writes into the AWS config.
    let written = || {
        let out = c.run_bin(
            copy.to_str().unwrap(),
            &["aws-profile", "lab", "--region", "us-east-1"],
            None,
            &[],
        );
        assert!(out.ok(), "{out:?}");
        let config = std::fs::read_to_string(&c.aws_config).unwrap();
        let line = config
            .lines()
            .find(|l| l.starts_with("credential_process = "));
        line.unwrap_or_else(|| panic!("{config}")).to_string()
    };
    let exe = copy.canonicalize().unwrap();
    let line = written();
    assert!(
        line.starts_with(&format!("credential_process = {} --course ", exe.display())),
        "{line}"
    );
    // Beside it, the small one is written instead.
    std::fs::copy(CREDENTIALS_BIN, alone.join("labnote-credentials")).unwrap();
    let small = alone.join("labnote-credentials").canonicalize().unwrap();
    let line = written();
    assert!(
        line.starts_with(&format!(
            "credential_process = {} --course ",
            small.display()
        )),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------
// 7. a real client: the AWS CLI and the Rust SDK use the profile against moto

/// Issue a key for a new moto user, then `aws-profile lab`; returns (user, key id).
fn issue_and_profile(c: &Course) -> (String, String) {
    let m = Moto::get();
    let user = unique_name("later");
    block_on(m.create_user(&user));
    let sdk: Vec<(&str, String)> = m.sdk_env();
    let env: Vec<(&str, &str)> = sdk.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = c.run_with(
        &["issue-key", "2-4", "--user", &user, "--yes", "--json"],
        None,
        &env,
    );
    assert!(out.ok(), "issue-key: {out:?}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["user"], user.as_str());
    let key_id = v["access_key_id"].as_str().unwrap().to_string();
    // The secret, to look for on stderr and in files.
    let secret = c.ok(&["memo", "get", "AWS Secret Access key", "--lab", "2-4"]);
    c.secrets.borrow_mut().push(secret.trim_end().to_string());

    let out = c.run(&["aws-profile", "lab", "--region", "us-east-1"]);
    assert!(out.ok(), "aws-profile: {out:?}");
    let config = std::fs::read_to_string(&c.aws_config).unwrap();
    assert!(config.contains("[profile lab]") && config.contains("credential_process = "));
    // The AWS tools start the small executable, not `labnote`.
    let small = Path::new(CREDENTIALS_BIN).canonicalize().unwrap();
    assert!(
        config.contains(&format!("credential_process = {} ", small.display())),
        "{config}"
    );
    assert!(!config.contains(secret.trim_end()) && !config.contains(&key_id));
    (user, key_id)
}

/// `aws sts get-caller-identity --profile lab` with no key in the environment.
fn aws_cli_arn(c: &Course) -> String {
    let aws = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/aws");
    assert!(
        aws.exists(),
        "{} is missing: run ./scripts/test.sh once",
        aws.display()
    );
    let url = Moto::get().url().to_string();
    let out = c.exec(
        aws.to_str().unwrap(),
        &[
            "sts",
            "get-caller-identity",
            "--profile",
            "lab",
            "--output",
            "json",
        ],
        None,
        &[("AWS_ENDPOINT_URL", url.as_str())],
    );
    assert!(out.ok(), "aws sts get-caller-identity: {out:?}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["Arn"].as_str().unwrap().to_string()
}

/// The same through the Rust SDK, in a child run of this binary with the course's
/// environment (the credential process needs the course's age identity).
fn sdk_arn_check(c: &Course, test: &str, user: &str, key_id: &str) {
    let exe = std::env::current_exe().unwrap();
    let url = Moto::get().url().to_string();
    let config = c.aws_config.display().to_string();
    // `test` is the full name of the test in the one binary (`later_labs::NAME`).
    let out = c.exec(
        exe.to_str().unwrap(),
        &[test, "--exact", "--nocapture", "--test-threads=1"],
        None,
        &[
            (CHILD_MODE, "sdk"),
            ("LATER_CHILD_ENDPOINT", url.as_str()),
            ("LATER_CHILD_CONFIG", config.as_str()),
            ("LATER_CHILD_USER", user),
            ("LATER_CHILD_KEY_ID", key_id),
        ],
    );
    assert!(
        out.ok() && out.stdout.contains("1 passed"),
        "SDK child failed: {out:?}"
    );
}

/// In the child: load the profile `lab` from the config file named by AWS_CONFIG_FILE (set on
/// this process only), with no key in the environment, and call STS.
async fn sdk_child() {
    use aws_credential_types::provider::ProvideCredentials;
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} unset"));
    assert!(std::env::var_os("AWS_ACCESS_KEY_ID").is_none());
    assert_eq!(var("AWS_CONFIG_FILE"), var("LATER_CHILD_CONFIG"));
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .profile_name("lab")
        .endpoint_url(var("LATER_CHILD_ENDPOINT"))
        .load()
        .await;
    let creds = conf
        .credentials_provider()
        .expect("a credentials provider")
        .provide_credentials()
        .await
        .expect("credentials from labnote credential-process");
    assert_eq!(creds.access_key_id(), var("LATER_CHILD_KEY_ID"));
    let sts = aws_sdk_sts::Client::new(&conf);
    let id = sts
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    let arn = id.arn().unwrap();
    assert!(
        arn.ends_with(&format!(":user/{}", var("LATER_CHILD_USER"))),
        "{arn}"
    );
}

/// The body of test `test`: in the test, a key issued on moto through `aws-profile lab` of
/// the course `course` makes, works in the AWS CLI and (in a child run of `test`) in the Rust
/// SDK; in that child, the SDK side.
fn profile_works_in_the_aws_cli_and_the_sdk(test: &str, course: impl FnOnce() -> Course) {
    match std::env::var(CHILD_MODE).as_deref() {
        Ok("sdk") => block_on(sdk_child()),
        Ok(other) => panic!("unknown child mode {other}"),
        Err(_) => {
            let c = course();
            let (user, key_id) = issue_and_profile(&c);
            let arn = aws_cli_arn(&c);
            assert!(arn.ends_with(&format!(":user/{user}")), "{arn}");
            sdk_arn_check(&c, test, &user, &key_id);
            c.assert_no_secret_on_stderr();
        }
    }
}

#[test]
fn issued_key_works_through_aws_profile_in_the_aws_cli_and_the_rust_sdk() {
    profile_works_in_the_aws_cli_and_the_sdk(
        "later_labs::issued_key_works_through_aws_profile_in_the_aws_cli_and_the_rust_sdk",
        || Course::new(&["ref-2-4-access-key.md"]),
    );
}

#[test]
fn aws_profile_works_from_a_course_folder_with_spaces_quotes_and_dollars() {
    // Both readers of credential_process: the AWS CLI splits it like a POSIX shell (shlex),
    // the Rust SDK runs it with `sh -c`.
    profile_works_in_the_aws_cli_and_the_sdk(
        "later_labs::aws_profile_works_from_a_course_folder_with_spaces_quotes_and_dollars",
        || {
            Course::named(
                "클라우드 과정 #2; $HOME `x` it's",
                &["ref-2-4-access-key.md"],
            )
        },
    );
}

// ---------------------------------------------------------------------------------------
// 8. aws-profile keeps every other byte

/// The `credential_process` value labnote writes for course `c` (paths need no quoting in a
/// temporary directory): the small `labnote-credentials` installed beside `labnote`.
fn credential_command(c: &Course) -> String {
    let exe = Path::new(CREDENTIALS_BIN).canonicalize().unwrap();
    format!(
        "{} --course {} --identity {} credential-process",
        exe.display(),
        c.dir.display(),
        c.config_home.join("labnote/identity.txt").display()
    )
}

fn backup_of(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".labnote-backup");
    PathBuf::from(s)
}

#[test]
fn aws_profile_adds_a_section_to_a_crlf_config_and_keeps_every_other_byte() {
    let c = course_with_pair(&nasty_secret("profileSecretCore2"));
    let orig = "# AWS CLI config of a student\r\n[default]\r\nregion = ap-northeast-2\r\noutput = json\r\n\r\n; another course\r\n[profile other]\r\nregion = us-west-2\r\ns3 =\r\n  max_concurrent_requests = 20\r\n";
    std::fs::write(&c.aws_config, orig).unwrap();
    std::fs::set_permissions(&c.aws_config, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = c.run(&["aws-profile", "lab", "--region", "us-east-1"]);
    assert!(out.ok(), "{out:?}");
    let new = std::fs::read(&c.aws_config).unwrap();
    let want = format!(
        "{orig}\r\n[profile lab]\r\ncredential_process = {}\r\nregion = us-east-1\r\n",
        credential_command(&c)
    );
    assert_eq!(String::from_utf8(new).unwrap(), want);
    let mode = std::fs::metadata(&c.aws_config)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640, "the config file keeps its mode");
    let backup = backup_of(&c.aws_config);
    assert_eq!(std::fs::read(&backup).unwrap(), orig.as_bytes());
    let bmode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(bmode, 0o600);
    assert!(out.stderr.contains(".labnote-backup"), "{out:?}");

    // Again: nothing changes, and the note says so.
    let out = c.run(&["aws-profile", "lab", "--region", "us-east-1"]);
    assert!(out.ok(), "{out:?}");
    assert!(out.stderr.contains("nothing changed"), "{out:?}");
    assert_eq!(std::fs::read_to_string(&c.aws_config).unwrap(), want);
    assert_eq!(std::fs::read(&backup).unwrap(), orig.as_bytes());
    c.assert_no_secret_on_stderr();
}

#[test]
fn aws_profile_updates_an_existing_section_in_place_and_backs_up_once() {
    let secret = nasty_secret("profileSecretCore3");
    let c = course_with_pair(&secret);
    let orig = "# mine\n[profile lab]\ncredential_process = /old/tool --x\noutput = text\n\n# the next one is for work\n[profile work]\nregion = eu-west-1\n";
    std::fs::write(&c.aws_config, orig).unwrap();
    // `aws-profile lab --region REGION --lab 2-4`
    let profile = |region: &str| c.run(&["aws-profile", "lab", "--region", region, "--lab", "2-4"]);
    let out = profile("us-east-1");
    assert!(out.ok(), "{out:?}");
    let cmd = format!("{} --lab 2-4", credential_command(&c));
    // The value replaced in place; the new setting after the section's last setting, not
    // after the comment that introduces the next section.
    let want = orig
        .replace("/old/tool --x", &cmd)
        .replace("output = text\n", "output = text\nregion = us-east-1\n");
    let got = std::fs::read_to_string(&c.aws_config).unwrap();
    assert_eq!(got, want);
    let backup = backup_of(&c.aws_config);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), orig);

    // Second run: no change at all.
    let out = profile("us-east-1");
    assert!(
        out.ok() && out.stderr.contains("nothing changed"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_to_string(&c.aws_config).unwrap(), want);

    // A later change: the backup still holds the very first original.
    let out = profile("eu-central-1");
    assert!(out.ok(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&c.aws_config).unwrap(),
        want.replace("region = us-east-1", "region = eu-central-1")
    );
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), orig);
    for f in [&c.aws_config, &backup] {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.contains(&core_of(&secret)) && !text.contains(ACCESS_KEY_ID));
    }
    c.assert_no_secret_on_stderr();
}

#[test]
fn aws_profile_creates_a_missing_config_without_a_backup_and_refuses_bad_names() {
    let c = course_with_pair(&nasty_secret("profileSecretCore4"));
    let cfg = c.root.join("fresh/.aws/config");
    let cfg_s = cfg.display().to_string();
    let out = c.run_with(
        &["aws-profile", "lab"],
        None,
        &[("AWS_CONFIG_FILE", cfg_s.as_str())],
    );
    assert!(out.ok(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        format!(
            "[profile lab]\ncredential_process = {}\nregion = ap-northeast-2\n",
            credential_command(&c)
        )
    );
    assert!(!backup_of(&cfg).exists());
    let mode = std::fs::metadata(&cfg).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o077, 0, "a new config is private: {mode:o}");

    for bad in ["", "a]b", "with space ", "x\ny"] {
        let before = std::fs::read(&cfg).unwrap();
        let out = c.run_with(
            &["aws-profile", bad],
            None,
            &[("AWS_CONFIG_FILE", cfg_s.as_str())],
        );
        assert_eq!(out.code, Some(1), "{bad:?}: {out:?}");
        assert_eq!(std::fs::read(&cfg).unwrap(), before);
    }
    // No key noted anywhere: refused, file untouched.
    let empty = Course::new(&["ref-2-4-access-key.md"]);
    let out = empty.run(&["aws-profile", "lab"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(!empty.aws_config.exists());
    c.assert_no_secret_on_stderr();
}

// ---------------------------------------------------------------------------------------
// 9. no secret on stderr, whatever the command

#[test]
fn no_command_prints_a_secret_on_stderr() {
    let c = Course::new(&[
        "ref-2-3-github.md",
        "ref-2-4-access-key.md",
        "ref-2-5-network.md",
        "no-memo.md",
        "later/git-and-cli.md",
    ]);
    note_2_3_and_2_4(&c);
    c.write_course_yaml("secrets: [console_pw]\nregion: us-east-1\n");
    c.note_secret("3-3", "console_pw", &nasty_secret("consolePwCore7"));
    let runs: &[&[&str]] = &[
        &["-v", "placeholders", "2-5"],
        &["-vv", "placeholders", "3-3", "--json"],
        &["-v", "show", "2-5", "--fill"],
        &["-v", "show", "3-3", "--fill", "--reveal"],
        &["-v", "show", "3-1", "--step", "2", "--fill", "--reveal"],
        &["-v", "show", "3-3", "--step", "77", "--fill", "--reveal"],
        &["-v", "env"],
        &["-v", "env", "--shell", "fish"],
        &["-v", "env", "--shell", "powershell"],
        &["-v", "env", "--lab", "2-3"],
        &["-v", "credential-process"],
        &["-v", "credential-process", "--lab", "3-1"],
        &["-v", "aws-profile", "lab", "--region", "us-east-1"],
        &["-v", "aws-profile", "lab", "--region", "us-east-1"],
        &["-v", "memo", "get", "github_token"],
        &["-v", "memo", "list"],
    ];
    let mut failures = 0;
    for args in runs {
        let out = c.run(args);
        if !out.ok() {
            failures += 1;
            assert!(out.stderr.contains("labnote: error: "), "{args:?}: {out:?}");
        }
    }
    assert_eq!(failures, 3, "the error paths above were exercised");
    // A wrong identity: decryption fails, and the error still names no secret.
    let other = c.root.join("other-identity.txt");
    let other_s = other.display().to_string();
    let out = c.run_with(&["init"], None, &[("LABNOTE_IDENTITY", other_s.as_str())]);
    assert!(out.ok(), "{out:?}");
    for args in [
        &["show", "3-3", "--fill", "--reveal"][..],
        &["credential-process"],
        &["env"],
    ] {
        let out = c.run_with(args, None, &[("LABNOTE_IDENTITY", other_s.as_str())]);
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
    }
    c.assert_no_secret_on_stderr();
}

/// The `credential_process = …` value of `[profile NAME]` in `config`.
fn credential_process_of(config: &str, name: &str) -> String {
    let header = format!("[profile {name}]");
    let mut lines = config.lines().skip_while(|l| l.trim() != header).skip(1);
    lines
        .find_map(|l| l.strip_prefix("credential_process = "))
        .unwrap_or_else(|| panic!("no credential_process for {name} in\n{config}"))
        .to_string()
}

#[test]
fn aws_profile_pinned_to_a_lab_known_by_a_stem_with_spaces() {
    let secret = nasty_secret("stemLabSecret1");
    // A lab whose title has no `N일차 - Lab M.` part is known by its file stem.
    let c = Course::named("my course", &[]);
    let lab = std::fs::read_to_string(fixture_path("ref-2-4-access-key.md"))
        .unwrap()
        .replacen(
            "# 2일차 - Lab 4. AWS 액세스 키 발급하기",
            "# 액세스 키 (부록)",
            1,
        );
    std::fs::write(c.dir.join("부록 키 #1.md"), lab).unwrap();
    c.note("부록 키 #1", "AWS Access Key ID", ACCESS_KEY_ID);
    c.note_secret("부록 키 #1", "AWS Secret Access key", &secret);
    let out = c.run(&["aws-profile", "pinned", "--lab", "부록 키 #1"]);
    assert!(out.ok(), "{out:?}");
    let cmd = credential_process_of(&std::fs::read_to_string(&c.aws_config).unwrap(), "pinned");
    assert!(!cmd.contains(&core_of(&secret)));
    // Run it the way each reader of the config does: `sh -c` (Rust SDK) and a POSIX
    // split (`shlex`, AWS CLI).
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python3");
    let runs = [
        c.exec("sh", &["-c", &cmd], None, &[]),
        c.exec(
            python.to_str().unwrap(),
            &[
                "-c",
                "import shlex, subprocess, sys; sys.exit(subprocess.run(shlex.split(sys.argv[1])).returncode)",
                &cmd,
            ],
            None,
            &[],
        ),
    ];
    for out in runs {
        assert!(out.ok(), "{cmd}: {out:?}");
        assert_eq!(out.stderr, "");
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["AccessKeyId"], ACCESS_KEY_ID);
        assert_eq!(v["SecretAccessKey"], secret.as_str());
    }
    c.assert_no_secret_on_stderr();
}

/// `cmd` started. A program a test has just copied (an executable installed alone) can be
/// busy for a moment: another test's child, forked while the copy was open for writing, holds
/// that descriptor until it runs its own program (ETXTBSY). That is tried again, for 2 s.
fn spawn_when_free(cmd: &mut Command, program: &str) -> std::process::Child {
    for _ in 0..100 {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            started => return started.unwrap_or_else(|e| panic!("{program}: {e}")),
        }
    }
    panic!("{program}: still busy after 2 s")
}
