//! The memo commands end to end (issue 3): `labnote init` and `memo list|set|get|unset|seal`
//! run as a student would, on copies of the fixtures in a temporary course folder.
//!
//! Every test has its own temporary folder holding the course, `XDG_CONFIG_HOME`, `HOME` and
//! `TMPDIR` of the processes it starts: the real home and configuration are never touched.
//! Secrets reach labnote through stdin (`memo set LAB KEY -`) and the stock tools through the
//! environment, never argv. The tests that use the stock `age` CLI FAIL (never skip) when it
//! is missing, saying how to install it.

use crate::course;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use base64::Engine as _;
use course::{fixture_path, BIN};
use labnote::journal::Journal;
use labnote::{lab, memo};

// ---------------------------------------------------------------------------------------
// Harness.

/// A temporary course with its own configuration, home and temporary folders.
struct Env {
    _dir: tempfile::TempDir,
    root: PathBuf,
    course: PathBuf,
    xdg: PathBuf,
    home: PathBuf,
    tmp: PathBuf,
    identity: PathBuf,
}

impl Env {
    /// A course holding copies of `fixtures` (file names under tests/fixtures).
    fn new(fixtures: &[&str]) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        let course = root.join("course");
        let xdg = root.join("xdg");
        let home = root.join("home");
        let tmp = root.join("tmp");
        for d in [&course, &xdg, &home, &tmp] {
            fs::create_dir_all(d).expect("mkdir");
        }
        for f in fixtures {
            fs::copy(fixture_path(f), course.join(f)).expect("copy fixture");
        }
        let identity = xdg.join("labnote").join("identity.txt");
        Env {
            _dir: dir,
            root,
            course,
            xdg,
            home,
            tmp,
            identity,
        }
    }

    /// Like [`Env::new`], with an identity created by `labnote init`; returns its public key.
    fn with_identity(fixtures: &[&str]) -> (Env, String) {
        let env = Env::new(fixtures);
        let out = env.ok(&["init"]);
        let pk = stdout(&out).trim().to_string();
        assert!(pk.starts_with("age1"), "init printed {pk:?}");
        (env, pk)
    }

    /// Adds a lab to the course: `bytes` under `name`.
    fn add_lab(&self, name: &str, bytes: &[u8]) {
        fs::write(self.course.join(name), bytes).expect("write lab");
    }

    fn lab_path(&self, name: &str) -> PathBuf {
        self.course.join(name)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        fs::read(self.lab_path(name)).expect("read lab")
    }

    /// The environment every labnote process of a test gets.
    fn envs(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("LABNOTE_COURSE", self.course.clone()),
            ("XDG_CONFIG_HOME", self.xdg.clone()),
            ("LABNOTE_IDENTITY", self.identity.clone()),
            ("HOME", self.home.clone()),
            ("TMPDIR", self.tmp.clone()),
        ]
    }

    fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    fn std_cmd(&self) -> StdCommand {
        let mut c = StdCommand::new(BIN);
        c.current_dir(&self.root)
            .env_remove("LABNOTE_RECIPIENTS")
            .env_remove("LABNOTE_TEST_WRITE_PAUSE_MS")
            .env("NO_COLOR", "1");
        for (k, v) in self.envs() {
            c.env(k, v);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run labnote")
    }

    /// Runs with `input` on stdin (how secrets are passed: `memo set LAB KEY -`).
    fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        self.cmd()
            .args(args)
            .write_stdin(input.as_bytes().to_vec())
            .output()
            .expect("run labnote")
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_success(&out, args);
        out
    }

    fn ok_stdin(&self, args: &[&str], input: &str) -> Output {
        let out = self.run_stdin(args, input);
        assert_success(&out, args);
        out
    }

    /// `memo get KEY --lab LAB` stdout.
    fn get(&self, lab: &str, key: &str) -> String {
        stdout(&self.ok(&["memo", "get", key, "--lab", lab]))
    }

    fn steps_json(&self, lab: &str) -> String {
        stdout(&self.ok(&["steps", lab, "--json"]))
    }

    fn memo_records(&self) -> Vec<labnote::journal::Record> {
        Journal::for_course(&self.course)
            .load()
            .expect("load journal")
            .records
            .into_iter()
            .filter(|r| r.event == "memo-set")
            .collect()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_success(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "labnote {args:?} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
}

fn assert_failure(out: &Output, args: &str) {
    assert!(
        !out.status.success(),
        "labnote {args} should have failed; stdout: {} stderr: {}",
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
}

/// Fails the test with installation advice when a stock tool is missing.
fn require(tool: &str) {
    if let Err(e) = StdCommand::new(tool).arg("--version").output() {
        panic!(
            "`{tool}` is required by this test but could not be run ({e}); install it with \
             `apt-get install age` (CI installs it). This test must not be skipped."
        );
    }
}

/// The offset just after the `:` of the one line of `text` that contains `needle` (the entry
/// text up to and including its colon).
fn after_colon(text: &[u8], needle: &str) -> usize {
    let n = needle.as_bytes();
    let hits: Vec<usize> = text
        .windows(n.len())
        .enumerate()
        .filter(|(_, w)| *w == n)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "expected exactly one {needle:?} in the lab");
    hits[0] + n.len()
}

fn splice(text: &[u8], at: usize, removed: usize, insert: &[u8]) -> Vec<u8> {
    let mut v = text[..at].to_vec();
    v.extend_from_slice(insert);
    v.extend_from_slice(&text[at + removed..]);
    v
}

fn lf_to_crlf(text: &[u8]) -> Vec<u8> {
    assert!(!text.contains(&b'\r'), "an LF fixture");
    let mut v = Vec::with_capacity(text.len() * 11 / 10);
    for &b in text {
        if b == b'\n' {
            v.push(b'\r');
        }
        v.push(b);
    }
    v
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(fixture_path(name)).expect("read fixture")
}

/// The raw stored value of `key` in a lab file, via the library parser.
fn stored(path: &Path, key: &str) -> String {
    let bytes = fs::read(path).expect("read lab");
    let l = lab::parse(&bytes, "x").expect("lab parses");
    memo::find(&l, key)
        .unwrap_or_else(|| panic!("no entry {key} in {}", path.display()))
        .value
        .clone()
}

/// The base64 payload of a stored `` `age:…` `` value.
fn payload(raw: &str) -> String {
    raw.strip_prefix("`age:")
        .and_then(|r| r.strip_suffix('`'))
        .unwrap_or_else(|| panic!("not an encrypted memo value: {raw:?}"))
        .to_string()
}

fn is_std_base64(s: &str) -> bool {
    !s.is_empty()
        && s.len() % 4 == 0
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && base64::engine::general_purpose::STANDARD.decode(s).is_ok()
}

fn stamp(path: &Path) -> (u64, i64, i64, u32) {
    let m = fs::metadata(path).expect("stat");
    (m.ino(), m.mtime(), m.mtime_nsec(), m.mode() & 0o7777)
}

/// Every regular file under `dir`, recursively (hidden folders included).
fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read_dir") {
        let e = e.expect("dir entry");
        let ft = e.file_type().expect("file type");
        if ft.is_dir() {
            all_files(&e.path(), out);
        } else if ft.is_file() {
            out.push(e.path());
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// 1. Round trip: set inserts exactly the value bytes, get returns it, unset restores.

struct Case {
    /// Fixture file name, and whether to convert it to CRLF (stored under `file`).
    fixture: &'static str,
    crlf: bool,
    file: &'static str,
    lab: &'static str,
    /// The entry text up to and including its colon.
    needle: &'static str,
    key: &'static str,
    secret: bool,
}

const VALUE: &str = "AKIA값 🚀 a|b `code` ~끝~";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+비밀🔑|`x`";

const CASES: &[Case] = &[
    // LF, italic, the first entry (two-space hard break after the colon).
    Case {
        fixture: "ref-2-4-access-key.md",
        crlf: false,
        file: "ref-2-4-access-key.md",
        lab: "2-4",
        needle: "> ➕ _<< AWS Access Key ID>>_ :",
        key: "AWS Access Key ID",
        secret: false,
    },
    // LF, italic, the second entry (`>  ` prefix, no hard break), a secret.
    Case {
        fixture: "ref-2-4-access-key.md",
        crlf: false,
        file: "ref-2-4-access-key.md",
        lab: "2-4",
        needle: ">  ➕ _<< AWS Secret Access key>>_ :",
        key: "AWS Secret Access key",
        secret: true,
    },
    // CRLF, italic (the LF lab converted), plain.
    Case {
        fixture: "ref-2-4-access-key.md",
        crlf: true,
        file: "ref-2-4-crlf.md",
        lab: "2-4",
        needle: "> ➕ _<< AWS Access Key ID>>_ :",
        key: "aws access key id",
        secret: false,
    },
    // CRLF, italic fixture, a secret.
    Case {
        fixture: "crlf-italic-memo.md",
        crlf: false,
        file: "crlf-italic-memo.md",
        lab: "1-4",
        needle: ">  ➕ _<< AWS Secret Access key>>_ :",
        key: "AWS Secret Access key",
        secret: true,
    },
    // LF, bold, plain with hard break.
    Case {
        fixture: "ref-2-3-github.md",
        crlf: false,
        file: "ref-2-3-github.md",
        lab: "2-3",
        needle: "> ➕ **<< github_username>>** :",
        key: "github_username",
        secret: false,
    },
    // CRLF, bold (converted), plain.
    Case {
        fixture: "ref-2-3-github.md",
        crlf: true,
        file: "ref-2-3-crlf.md",
        lab: "2-3",
        needle: "> ➕ **<< github_username>>** :",
        key: "<< GitHub_Username>>",
        secret: false,
    },
    // LF, bold fixture, a secret.
    Case {
        fixture: "lf-bold-memo.md",
        crlf: false,
        file: "lf-bold-memo.md",
        lab: "1-3",
        needle: ">  ➕ **<< github_token>>** :",
        key: "github_token",
        secret: true,
    },
    // CRLF, bold (converted), a secret.
    Case {
        fixture: "lf-bold-memo.md",
        crlf: true,
        file: "lf-bold-crlf.md",
        lab: "1-3",
        needle: ">  ➕ **<< github_token>>** :",
        key: "github_token",
        secret: true,
    },
];

#[test]
fn set_get_unset_round_trip_is_a_byte_splice() {
    for c in CASES {
        let what = format!("{} {} (crlf: {})", c.file, c.key, c.crlf);
        let (env, _) = Env::with_identity(&[]);
        let mut orig = fixture(c.fixture);
        if c.crlf {
            orig = lf_to_crlf(&orig);
        }
        env.add_lab(c.file, &orig);
        let pos = after_colon(&orig, c.needle);

        let value = if c.secret { SECRET } else { VALUE };
        let out = if c.secret {
            env.ok_stdin(&["memo", "set", c.lab, c.key, "-"], value)
        } else {
            env.ok(&["memo", "set", c.lab, c.key, value])
        };
        assert!(!stderr(&out).contains(SECRET), "{what}: secret on stderr");
        let after = env.read(c.file);
        if c.secret {
            // orig[..pos] + " `age:<base64>`" + orig[pos..], nothing else.
            assert!(after.len() > orig.len(), "{what}");
            assert_eq!(
                &after[..pos],
                &orig[..pos],
                "{what}: bytes before the value"
            );
            let tail = &orig[pos..];
            assert!(after.ends_with(tail), "{what}: bytes after the value");
            let inserted = std::str::from_utf8(&after[pos..after.len() - tail.len()]).unwrap();
            let raw = inserted
                .strip_prefix(' ')
                .unwrap_or_else(|| panic!("{what}: {inserted:?}"));
            assert!(is_std_base64(&payload(raw)), "{what}: {raw:?}");
            assert!(!contains(&after, SECRET.as_bytes()), "{what}: plaintext");
        } else {
            let expected = splice(&orig, pos, 0, format!(" {value}").as_bytes());
            assert_eq!(
                String::from_utf8_lossy(&after),
                String::from_utf8_lossy(&expected),
                "{what}"
            );
            assert_eq!(after, expected, "{what}");
        }

        assert_eq!(env.get(c.lab, c.key), format!("{value}\n"), "{what}");
        let latest = env.ok(&["memo", "get", c.key]);
        assert_eq!(stdout(&latest), format!("{value}\n"), "{what}");

        let out = env.ok(&["memo", "unset", c.lab, c.key]);
        assert!(!stderr(&out).contains(SECRET), "{what}");
        assert_eq!(
            env.read(c.file),
            orig,
            "{what}: unset restores the original"
        );
        let out = env.run(&["memo", "get", c.key, "--lab", c.lab]);
        assert_failure(&out, "memo get (emptied)");
        assert!(out.stdout.is_empty(), "{what}");
    }
}

#[test]
fn replacing_a_noted_value_keeps_its_spacing_and_unset_keeps_the_entry() {
    let env = Env::new(&["crlf-italic-memo.md"]);
    let orig = env.read("crlf-italic-memo.md");
    let old = " AKIAIOSFODNN7EXAMPLE";
    let pos = after_colon(&orig, "> ➕ _<< AWS Access Key ID>>_ :");
    assert_eq!(&orig[pos..pos + old.len()], old.as_bytes());

    // A lab that is not world-readable stays so: the atomic replace keeps the mode.
    let path = env.lab_path("crlf-italic-memo.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let before = stamp(&path);

    env.ok(&["memo", "set", "1-4", "AWS Access Key ID", "AKIANEWVALUE값"]);
    let after_stamp = stamp(&path);
    assert_eq!(after_stamp.3, 0o640, "mode kept");
    assert_ne!(
        after_stamp.0, before.0,
        "replaced by a rename, not written in place"
    );
    let after = env.read("crlf-italic-memo.md");
    assert_eq!(
        after,
        splice(&orig, pos, old.len(), b" AKIANEWVALUE\xea\xb0\x92")
    );
    assert_eq!(env.get("1-4", "AWS Access Key ID"), "AKIANEWVALUE값\n");

    env.ok(&["memo", "unset", "1-4", "AWS Access Key ID"]);
    let emptied = env.read("crlf-italic-memo.md");
    // Only the value goes; the hard break and CRLF stay.
    assert_eq!(emptied, splice(&orig, pos, old.len(), b""));
    assert!(contains(
        &emptied,
        "> ➕ _<< AWS Access Key ID>>_ :  \r\n".as_bytes()
    ));
    let l = lab::parse(&emptied, "x").unwrap();
    assert_eq!(memo::find(&l, "AWS Access Key ID").unwrap().value, "");
    let unset_records: Vec<_> = Journal::for_course(&env.course)
        .load()
        .unwrap()
        .records
        .into_iter()
        .filter(|r| r.event == "memo-unset")
        .collect();
    assert_eq!(unset_records.len(), 1);
    assert_eq!(unset_records[0].lab, "1-4");
    assert_eq!(
        unset_records[0].details["key"].as_str(),
        Some("AWS Access Key ID")
    );
    assert_eq!(stamp(&path).3, 0o640);
    let journal = fs::read_to_string(env.course.join(".labnote/journal.yaml")).unwrap();
    assert!(!journal.contains("AKIANEWVALUE"), "no value in the journal");
}

// ---------------------------------------------------------------------------------------
// 2. The same value again leaves the file alone.

#[test]
fn same_plain_value_again_does_not_rewrite_the_file() {
    let env = Env::new(&["ref-2-3-github.md"]);
    let path = env.lab_path("ref-2-3-github.md");
    env.ok(&["memo", "set", "2-3", "github_username", "octo-값"]);
    let bytes = env.read("ref-2-3-github.md");
    let before = stamp(&path);
    std::thread::sleep(Duration::from_millis(20));

    // Same value, also with surrounding spaces and a differently written key.
    env.ok(&["memo", "set", "2-3", "github_username", "octo-값"]);
    env.ok(&["memo", "set", "2-3", "<< GitHub_Username>>", "  octo-값 "]);
    assert_eq!(stamp(&path), before, "inode/mtime/mode changed");
    assert_eq!(env.read("ref-2-3-github.md"), bytes);
    assert_eq!(env.memo_records().len(), 1, "no record for a no-op");

    // A different value does rewrite it (the check above can fail).
    env.ok(&["memo", "set", "2-3", "github_username", "octo-2"]);
    assert_ne!(stamp(&path), before);
    assert_eq!(env.memo_records().len(), 2);
}

#[test]
fn same_secret_again_leaves_the_file_untouched() {
    let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
    let path = env.lab_path("lf-bold-memo.md");
    env.ok_stdin(&["memo", "set", "1-3", "github_token", "-"], SECRET);
    let bytes = env.read("lf-bold-memo.md");
    let before = stamp(&path);
    std::thread::sleep(Duration::from_millis(20));

    // A new encryption would produce different bytes; comparing the decrypted value avoids it.
    let out = env.ok_stdin(&["memo", "set", "1-3", "github_token", "-"], SECRET);
    assert!(stderr(&out).contains("already holds"), "{}", stderr(&out));
    assert_eq!(stamp(&path), before);
    assert_eq!(env.read("lf-bold-memo.md"), bytes);
    assert_eq!(env.memo_records().len(), 1);

    env.ok_stdin(
        &["memo", "set", "1-3", "github_token", "-"],
        "another-token",
    );
    assert_ne!(env.read("lf-bold-memo.md"), bytes);
    assert_eq!(env.get("1-3", "github_token"), "another-token\n");
}

// ---------------------------------------------------------------------------------------
// 3. A missing key is appended in the block's style; a lab without a block gets one.

#[test]
fn missing_key_is_appended_in_the_blocks_style() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "ref-2-4-access-key.md",
            "2-4",
            ">  ➕ _<< AWS Secret Access key>>_ :\n",
            ">  ➕ _<< AWS Secret Access key>>_ :  \n>  ➕ _<< region>>_ : ap-northeast-2 | 서울\n",
        ),
        (
            "crlf-italic-memo.md",
            "1-4",
            ">  ➕ _<< AWS Secret Access key>>_ :\r\n",
            ">  ➕ _<< AWS Secret Access key>>_ :  \r\n>  ➕ _<< region>>_ : ap-northeast-2 | 서울\r\n",
        ),
        (
            "lf-bold-memo.md",
            "1-3",
            ">  ➕ **<< github_token>>** :\n",
            ">  ➕ **<< github_token>>** :  \n>  ➕ **<< region>>** : ap-northeast-2 | 서울\n",
        ),
    ];
    for (file, id, old, new) in cases {
        let env = Env::new(&[file]);
        let orig = String::from_utf8(env.read(file)).unwrap();
        assert_eq!(orig.matches(old).count(), 1, "{file}");
        let steps = env.steps_json(id);
        env.ok(&[
            "memo",
            "set",
            id,
            "region",
            "ap-northeast-2 | 서울",
            "--new",
        ]);
        let after = String::from_utf8(env.read(file)).unwrap();
        assert_eq!(after, orig.replacen(old, new, 1), "{file}");
        assert_eq!(env.get(id, "region"), "ap-northeast-2 | 서울\n");
        assert_eq!(env.steps_json(id), steps, "{file}: steps changed");
        let list: serde_json::Value =
            serde_json::from_str(&stdout(&env.ok(&["memo", "list", id, "--json"]))).unwrap();
        let keys: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys.len(), 3, "{file}: {keys:?}");
        assert_eq!(keys[2], "region");
    }
}

#[test]
fn lab_without_memo_block_gets_one_after_the_toc() {
    for (file, id, crlf) in [
        ("no-memo.md", "3-1", false),
        ("ref-2-5-network.md", "2-5", true),
    ] {
        let env = Env::new(&[file]);
        let orig = String::from_utf8(env.read(file)).unwrap();
        let steps = env.steps_json(id);
        env.ok(&["memo", "set", id, "생성된 IP", "10.0.0.7", "--new"]);
        let after = String::from_utf8(env.read(file)).unwrap();
        let nl = if crlf { "\r\n" } else { "\n" };
        let block =
            format!("> **📌 [실습 중 메모사항]**{nl}>{nl}> ➕ _<< 생성된 IP>>_ : 10.0.0.7{nl}");
        let at = after
            .find(&block)
            .unwrap_or_else(|| panic!("{file}: no block in\n{after}"));
        // After the table of contents (its closing `---`) and before the first step.
        let first_step = after.find(&format!("{nl}## ")).unwrap();
        let toc_rule = after[..first_step].rfind(&format!("{nl}---{nl}")).unwrap();
        assert!(toc_rule < at && at < first_step, "{file}: block at {at}");
        assert!(
            after[..toc_rule].contains("](#"),
            "{file}: the TOC precedes the rule"
        );
        // Nothing else changed: only lines were inserted, in the file's line ending.
        let removed_lines: Vec<&str> = after.split(nl).collect();
        let orig_lines: Vec<&str> = orig.split(nl).collect();
        let mut it = removed_lines.iter();
        for l in &orig_lines {
            assert!(it.any(|x| x == l), "{file}: line {l:?} lost or moved");
        }
        if crlf {
            assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
        } else {
            assert!(!after.contains('\r'));
        }
        assert_eq!(env.get(id, "생성된 IP"), "10.0.0.7\n");
        assert_eq!(env.steps_json(id), steps, "{file}: steps changed");
        // A second key goes into the new block, in its style.
        env.ok(&["memo", "set", id, "admin_user", "ec2-user", "--new"]);
        let again = String::from_utf8(env.read(file)).unwrap();
        assert!(
            again.contains(&format!(
                "> ➕ _<< 생성된 IP>>_ : 10.0.0.7  {nl}> ➕ _<< admin_user>>_ : ec2-user{nl}"
            )),
            "{file}:\n{again}"
        );
        assert_eq!(
            again.matches("> **📌 [").count(),
            1,
            "{file}: one block only"
        );
        assert_eq!(env.steps_json(id), steps);
    }
}

// ---------------------------------------------------------------------------------------
// 5. Interop with the stock age CLI.

/// The documented recovery line, payload through the environment.
fn stock_decrypt(payload: &str, identity: &Path) -> Output {
    StdCommand::new("sh")
        .args(["-c", r#"printf %s "$P" | base64 -d | age -d -i "$ID""#])
        .env("P", payload)
        .env("ID", identity)
        .output()
        .expect("run sh")
}

#[test]
fn secrets_written_by_labnote_decrypt_with_the_stock_cli() {
    require("age");
    let (env, _) = Env::with_identity(&["lf-bold-memo.md", "crlf-italic-memo.md"]);
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // Not secret by name: --secret makes it so.
        (
            "1-3",
            "vpn_note",
            "한글 값 🚀 with spaces | `tick`",
            &["--secret", "--new"],
        ),
        ("1-4", "AWS Secret Access key", SECRET, &[]),
        (
            "1-3",
            "github_token",
            concat!("ghp_", "0123456789abcdefABCDEF"),
            &[],
        ),
    ];
    for (id, key, value, extra) in cases {
        let mut args = vec!["memo", "set", id, key, "-"];
        args.extend_from_slice(extra);
        env.ok_stdin(&args, value);
        let file = if *id == "1-3" {
            "lf-bold-memo.md"
        } else {
            "crlf-italic-memo.md"
        };
        let raw = stored(&env.lab_path(file), key);
        let p = payload(&raw);
        assert!(is_std_base64(&p), "{key}: {raw}");
        let out = stock_decrypt(&p, &env.identity);
        assert!(
            out.status.success(),
            "{key}: stock age failed: {}",
            stderr(&out)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap(), *value, "{key}");
    }
}

#[test]
fn payload_made_by_stock_age_is_read_by_memo_get() {
    require("age");
    let (env, pubkey) = Env::with_identity(&["crlf-italic-memo.md"]);
    let value = "stock-age 비밀 🔑 a|b";
    let mut child = StdCommand::new("age")
        .args(["-r", &pubkey])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn age");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(value.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "age -r: {}", stderr(&out));
    let b64 = base64::engine::general_purpose::STANDARD.encode(&out.stdout);

    let orig = env.read("crlf-italic-memo.md");
    let pos = after_colon(&orig, ">  ➕ _<< AWS Secret Access key>>_ :");
    env.add_lab(
        "crlf-italic-memo.md",
        &splice(&orig, pos, 0, format!(" `age:{b64}`").as_bytes()),
    );
    assert_eq!(
        env.get("1-4", "AWS Secret Access key"),
        format!("{value}\n")
    );
    assert_eq!(
        stdout(&env.ok(&["memo", "get", "aws secret access key"])),
        format!("{value}\n")
    );
    // `memo list` knows it is encrypted and does not show it.
    let list = stdout(&env.ok(&["memo", "list", "1-4", "--json"]));
    assert!(list.contains("\"encrypted\": true"), "{list}");
    assert!(!list.contains(value) && !list.contains(&b64));
}

// ---------------------------------------------------------------------------------------
// 6. No plaintext secret anywhere on disk or on stderr.

#[test]
fn secrets_never_reach_disk_or_stderr_in_plaintext() {
    let env = Env::new(&[
        "lf-bold-memo.md",
        "crlf-italic-memo.md",
        "ref-2-4-access-key.md",
    ]);
    let token = concat!("ghp_", "CanaryTokenZ9x8Y7w6V5u4T3s2R1q0");
    let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCanarySecretKey";
    let by_hand = "HandNotedCanary-비밀-42";
    let secrets = [token, aws, by_hand];
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut record = |what: &str, o: Output| {
        assert_success(&o, &[what]);
        outputs.push((what.to_string(), o));
    };

    record("init", env.run(&["init"]));
    record(
        "set token",
        env.run_stdin(&["memo", "set", "1-3", "github_token", "-"], token),
    );
    record(
        "set aws",
        env.run_stdin(&["memo", "set", "1-4", "AWS Secret Access key", "-"], aws),
    );
    record(
        "set aws again",
        env.run_stdin(&["memo", "set", "1-4", "AWS Secret Access key", "-"], aws),
    );
    // A secret noted by hand in plaintext, then sealed.
    let orig = env.read("ref-2-4-access-key.md");
    let pos = after_colon(&orig, ">  ➕ _<< AWS Secret Access key>>_ :");
    env.add_lab(
        "ref-2-4-access-key.md",
        &splice(&orig, pos, 0, format!(" {by_hand}").as_bytes()),
    );
    record("list (plaintext noted)", env.run(&["memo", "list"]));
    record(
        "list json (plaintext noted)",
        env.run(&["memo", "list", "--json"]),
    );
    record("seal", env.run(&["-v", "memo", "seal"]));
    record("list", env.run(&["memo", "list"]));
    record("list json", env.run(&["memo", "list", "--json"]));
    record("get token", env.run(&["-v", "memo", "get", "github_token"]));
    record(
        "get aws",
        env.run(&["-v", "memo", "get", "AWS Secret Access key", "--lab", "1-4"]),
    );
    record(
        "get sealed",
        env.run(&["memo", "get", "AWS Secret Access key", "--lab", "2-4"]),
    );
    record("unset", env.run(&["memo", "unset", "1-3", "github_token"]));

    for (what, o) in &outputs {
        for s in secrets {
            assert!(!stderr(o).contains(s), "{what}: secret on stderr");
        }
        if what.starts_with("list") || what.starts_with("set") || what == "seal" {
            for s in secrets {
                assert!(!stdout(o).contains(s), "{what}: secret on stdout");
            }
        }
    }
    // `memo get` is the one sink (the checks above could fail: here they are printed).
    let got = |what: &str| {
        let o = &outputs.iter().find(|(w, _)| w == what).unwrap().1;
        stdout(o)
    };
    assert_eq!(got("get token"), format!("{token}\n"));
    assert_eq!(got("get aws"), format!("{aws}\n"));
    assert_eq!(got("get sealed"), format!("{by_hand}\n"));
    assert!(stored(
        &env.lab_path("ref-2-4-access-key.md"),
        "AWS Secret Access key"
    )
    .starts_with("`age:"));

    let mut files = Vec::new();
    for d in [&env.course, &env.xdg, &env.tmp, &env.home] {
        all_files(d, &mut files);
    }
    assert!(
        files.iter().any(|f| f.ends_with(".labnote/journal.yaml")),
        "the journal was written: {files:?}"
    );
    for f in &files {
        let bytes = fs::read(f).expect("read");
        for s in secrets {
            assert!(
                !contains(&bytes, s.as_bytes()),
                "{} holds a secret in plaintext",
                f.display()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// 7. Concurrent writers.

#[test]
fn eight_concurrent_sets_of_one_lab_all_land() {
    let env = Env::new(&["ref-2-4-access-key.md"]);
    let orig = env.read("ref-2-4-access-key.md");
    let steps_before: Vec<(Option<String>, String)> = lab::parse(&orig, "x")
        .unwrap()
        .steps
        .iter()
        .map(|s| (s.number.clone(), s.title.clone()))
        .collect();
    let keys: Vec<String> = (1..=8).map(|i| format!("note_{i}")).collect();
    let children: Vec<_> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            env.std_cmd()
                .args([
                    "memo",
                    "set",
                    "2-4",
                    k,
                    &format!("값-{i} | `v{i}`"),
                    "--new",
                ])
                // Hold the lock a little longer, so the writers really queue on it.
                .env("LABNOTE_TEST_WRITE_PAUSE_MS", "25")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let after = env.read("ref-2-4-access-key.md");
    let l = lab::parse(&after, "ref-2-4-access-key").expect("parses");
    for (i, k) in keys.iter().enumerate() {
        let e = memo::find(&l, k).unwrap_or_else(|| panic!("{k} lost"));
        assert_eq!(e.value, format!("값-{i} | `v{i}`"));
    }
    assert_eq!(l.memo_entries().count(), 10);
    assert_eq!(l.memo_blocks.len(), 1);
    let steps_after: Vec<_> = l
        .steps
        .iter()
        .map(|s| (s.number.clone(), s.title.clone()))
        .collect();
    assert_eq!(steps_after, steps_before);
    let records = env.memo_records();
    assert_eq!(records.len(), 8);
    let recorded: BTreeSet<String> = records
        .iter()
        .map(|r| {
            assert_eq!(r.lab, "2-4");
            r.details["key"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(recorded, keys.iter().cloned().collect());
    let journal = fs::read_to_string(env.course.join(".labnote/journal.yaml")).unwrap();
    assert!(!journal.contains("값-"), "the journal holds no values");
}

// ---------------------------------------------------------------------------------------
// 8. A lab edited meanwhile; identity problems; init.

#[test]
fn lab_changed_between_read_and_write_is_redone_not_overwritten() {
    let env = Env::new(&["ref-2-4-access-key.md"]);
    let path = env.lab_path("ref-2-4-access-key.md");
    let orig = env.read("ref-2-4-access-key.md");
    let lock = labnote::labfile::lock_path(&env.course);
    let pause = Duration::from_millis(2000);
    let started = Instant::now();
    let child = env
        .std_cmd()
        .args(["memo", "set", "2-4", "AWS Access Key ID", "AKIASTALETEST"])
        .env("LABNOTE_TEST_WRITE_PAUSE_MS", pause.as_millis().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until the child holds the course lock (it is then reading or pausing).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(Instant::now() < deadline, "labnote never took the lock");
        if lock.exists() && labnote::store::try_lock_exclusive(&lock).unwrap().is_none() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(500));
    // An editor appends a line meanwhile (without labnote's lock).
    let edit = "\n편집기에서 추가한 줄 (editor)\n";
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(edit.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Two pauses: the first edit was dropped when the file was found changed, then redone.
    assert!(
        started.elapsed() >= pause * 2,
        "the stale edit was not detected (took {:?})",
        started.elapsed()
    );
    let pos = after_colon(&orig, "> ➕ _<< AWS Access Key ID>>_ :");
    let mut expected = splice(&orig, pos, 0, b" AKIASTALETEST");
    expected.extend_from_slice(edit.as_bytes());
    assert_eq!(
        String::from_utf8(env.read("ref-2-4-access-key.md")).unwrap(),
        String::from_utf8(expected).unwrap()
    );
}

#[test]
fn identity_readable_by_others_is_refused_with_the_fix() {
    let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
    let orig = env.read("lf-bold-memo.md");
    fs::set_permissions(&env.identity, fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run_stdin(&["memo", "set", "1-3", "github_token", "-"], SECRET);
    assert_failure(&out, "memo set with a 0644 identity");
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(env.read("lf-bold-memo.md"), orig, "lab changed");
    assert!(env.memo_records().is_empty());
    // After the fix it works.
    fs::set_permissions(&env.identity, fs::Permissions::from_mode(0o600)).unwrap();
    env.ok_stdin(&["memo", "set", "1-3", "github_token", "-"], SECRET);
    assert_ne!(env.read("lf-bold-memo.md"), orig);
}

#[test]
fn missing_identity_says_run_labnote_init() {
    let env = Env::new(&["lf-bold-memo.md"]);
    let orig = env.read("lf-bold-memo.md");
    assert!(!env.identity.exists());
    let out = env.run_stdin(&["memo", "set", "1-3", "github_token", "-"], SECRET);
    assert_failure(&out, "memo set without identity");
    assert!(stderr(&out).contains("labnote init"), "{}", stderr(&out));
    assert_eq!(env.read("lf-bold-memo.md"), orig);
    // Plain values need no identity.
    env.ok(&["memo", "set", "1-3", "github_username", "octo"]);
}

#[test]
fn init_twice_keeps_the_identity() {
    require("age-keygen");
    let env = Env::new(&[]);
    // The default place: $XDG_CONFIG_HOME/labnote/identity.txt.
    let first = env
        .cmd()
        .env_remove("LABNOTE_IDENTITY")
        .arg("init")
        .output()
        .unwrap();
    assert_success(&first, &["init"]);
    let pk = stdout(&first).trim().to_string();
    assert!(pk.starts_with("age1"), "{pk}");
    let path = env.xdg.join("labnote/identity.txt");
    let bytes = fs::read(&path).unwrap();
    let st = stamp(&path);
    assert_eq!(st.3, 0o600);
    std::thread::sleep(Duration::from_millis(20));

    let second = env
        .cmd()
        .env_remove("LABNOTE_IDENTITY")
        .arg("init")
        .output()
        .unwrap();
    assert_success(&second, &["init"]);
    assert_eq!(stdout(&second).trim(), pk);
    assert_eq!(fs::read(&path).unwrap(), bytes);
    assert_eq!(stamp(&path), st);
    // The stock tool agrees on the public key.
    let y = StdCommand::new("age-keygen")
        .arg("-y")
        .arg(&path)
        .output()
        .unwrap();
    assert!(y.status.success(), "{}", stderr(&y));
    assert_eq!(String::from_utf8(y.stdout).unwrap().trim(), pk);
}

// ---------------------------------------------------------------------------------------
// 9. Payloads that cannot be decrypted.

#[test]
fn bad_payloads_fail_naming_lab_key_and_cause() {
    let (env, _) = Env::with_identity(&["crlf-italic-memo.md"]);
    env.ok_stdin(
        &["memo", "set", "1-4", "AWS Secret Access key", "-"],
        SECRET,
    );
    let good = payload(&stored(
        &env.lab_path("crlf-italic-memo.md"),
        "AWS Secret Access key",
    ));
    let with_value = env.read("crlf-italic-memo.md");
    let pos = after_colon(&with_value, ">  ➕ _<< AWS Secret Access key>>_ :");
    let old_len = format!(" `age:{good}`").len();

    // A payload for another identity.
    let other_id = env.root.join("other-identity.txt");
    let other = env
        .cmd()
        .env("LABNOTE_IDENTITY", &other_id)
        .arg("init")
        .output()
        .unwrap();
    assert_success(&other, &["init (other)"]);
    let foreign_env_out = env
        .cmd()
        .env("LABNOTE_IDENTITY", &other_id)
        .args(["memo", "set", "1-4", "AWS Secret Access key", "-"])
        .write_stdin("for-someone-else")
        .output()
        .unwrap();
    assert_success(&foreign_env_out, &["set (other identity)"]);
    let foreign = payload(&stored(
        &env.lab_path("crlf-italic-memo.md"),
        "AWS Secret Access key",
    ));

    // Corrupt one character of the body (not the header), keeping valid base64.
    let mut corrupt: Vec<u8> = good.clone().into_bytes();
    let i = corrupt.len() - 12;
    corrupt[i] = if corrupt[i] == b'A' { b'B' } else { b'A' };
    let corrupt = String::from_utf8(corrupt).unwrap();
    // Altered header: not an age file any more.
    let bad_header = format!("QUFB{}", &good[4..]);
    // Cut on a quad boundary (valid base64, the age file ends early) and mid-quad.
    let cut_quad = good[..good.trim_end_matches('=').len() / 4 * 4 - 8].to_string();
    let cut_char = good[..good.len() - 1].to_string();

    let cases: Vec<(&str, String, &[&str])> = vec![
        ("wrong identity", foreign, &["identities", "recipients"]),
        ("truncated mid-quad", cut_char, &["truncated"]),
        ("truncated", cut_quad, &["cut"]),
        ("non-base64", "!!!".to_string(), &["base64"]),
        ("corrupted body", corrupt, &["damaged"]),
        ("corrupted header", bad_header, &["damaged"]),
    ];
    for (what, p, causes) in cases {
        env.add_lab(
            "crlf-italic-memo.md",
            &splice(&with_value, pos, old_len, format!(" `age:{p}`").as_bytes()),
        );
        for args in [
            &["memo", "get", "AWS Secret Access key", "--lab", "1-4"][..],
            &["memo", "get", "AWS Secret Access key"][..],
        ] {
            let out = env.run(args);
            assert_failure(&out, what);
            assert!(out.stdout.is_empty(), "{what}: stdout {:?}", out.stdout);
            let err = stderr(&out);
            assert!(err.contains("1-4"), "{what}: no lab id in {err}");
            assert!(
                err.contains("AWS Secret Access key"),
                "{what}: no key in {err}"
            );
            assert!(
                causes.iter().all(|c| err.contains(c)),
                "{what}: expected {causes:?} in {err}"
            );
            assert!(!err.contains(&p) || p.len() < 8, "{what}: payload echoed");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 10. course.yaml.

#[test]
fn course_yaml_secrets_are_encrypted() {
    let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
    fs::write(
        env.course.join("course.yaml"),
        "secrets: [gitopsconsole_PW]\n",
    )
    .unwrap();
    let pw = "Gitops-PW-값-9!";
    env.ok(&["memo", "set", "1-3", "GitopsConsole_pw", pw, "--new"]);
    let bytes = env.read("lf-bold-memo.md");
    assert!(!contains(&bytes, pw.as_bytes()), "stored in plaintext");
    let raw = stored(&env.lab_path("lf-bold-memo.md"), "gitopsconsole_PW");
    assert!(is_std_base64(&payload(&raw)), "{raw}");
    assert_eq!(env.get("1-3", "gitopsconsole_PW"), format!("{pw}\n"));
    let recs = env.memo_records();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].details["secret"].as_bool(), Some(true));
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&env.ok(&["memo", "list", "1-3", "--json"]))).unwrap();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| {
            o["key"]
                .as_str()
                .is_some_and(|k| k.eq_ignore_ascii_case("gitopsconsole_PW"))
        })
        .expect("listed");
    assert_eq!(row["secret"], true);
    assert_eq!(row["value"], "encrypted");

    // Without course.yaml the same key is a plain value (the check above can fail).
    let plain = Env::new(&["lf-bold-memo.md"]);
    plain.ok(&["memo", "set", "1-3", "gitopsconsole_PW", pw, "--new"]);
    assert!(contains(&plain.read("lf-bold-memo.md"), pw.as_bytes()));
}

#[test]
fn malformed_course_yaml_is_reported_with_line_and_column() {
    for (text, line_col) in [
        ("secrets: [gitopsconsole_PW\n", None),
        (
            "region: ap-northeast-2\nsecret: [gitopsconsole_PW]\n",
            Some("2:1"),
        ),
    ] {
        let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
        fs::write(env.course.join("course.yaml"), text).unwrap();
        let orig = env.read("lf-bold-memo.md");
        let out = env.run(&["memo", "set", "1-3", "gitopsconsole_PW", "pw"]);
        assert_failure(&out, "memo set with a bad course.yaml");
        let err = stderr(&out);
        let at = err.find("course.yaml:").expect("names course.yaml") + "course.yaml:".len();
        let mut parts = err[at..].splitn(3, ':');
        let l = parts.next().unwrap();
        let c = parts.next().unwrap_or("");
        assert!(
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_digit())
                && !c.is_empty()
                && c.bytes().all(|b| b.is_ascii_digit()),
            "no line:column in {err}"
        );
        if let Some(lc) = line_col {
            assert!(err.contains(&format!("course.yaml:{lc}:")), "{err}");
        }
        assert_eq!(env.read("lf-bold-memo.md"), orig);
    }
}

// ---------------------------------------------------------------------------------------
// 11. `memo get` without --lab: the latest value noted anywhere.

#[test]
fn get_without_lab_returns_the_value_noted_last() {
    // Course order: 1-4 (crlf-italic-memo) before 2-4 (ref-2-4-access-key).
    let env = Env::new(&["crlf-italic-memo.md", "ref-2-4-access-key.md"]);
    let key = "AWS Access Key ID";
    let latest = |expect_value: &str, expect_lab: &str| {
        let out = env.ok(&["-v", "memo", "get", key]);
        assert_eq!(stdout(&out), format!("{expect_value}\n"));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("lab {expect_lab} ")),
            "-v should name lab {expect_lab}: {err}"
        );
    };
    // Only the value noted by hand in 1-4.
    latest("AKIAIOSFODNN7EXAMPLE", "1-4");
    // A value set with labnote is newer than one noted by hand.
    env.ok(&["memo", "set", "2-4", key, "AKIASECOND24"]);
    latest("AKIASECOND24", "2-4");
    // Set last in 1-4, which comes first in the course (and, likely, within the same second).
    env.ok(&["memo", "set", "1-4", key, "AKIATHIRD14"]);
    latest("AKIATHIRD14", "1-4");
    env.ok(&["memo", "set", "2-4", key, "AKIAFOURTH24"]);
    latest("AKIAFOURTH24", "2-4");
    // The one in the other lab is still there with --lab.
    assert_eq!(env.get("1-4", key), "AKIATHIRD14\n");
    // Emptying the latest falls back to the other.
    env.ok(&["memo", "unset", "2-4", key]);
    latest("AKIATHIRD14", "1-4");
}

#[test]
fn key_given_in_brackets_is_written_bare() {
    // `<< key>>` is accepted wherever a key is matched; a new entry must not nest it.
    let env = Env::new(&["ref-2-4-access-key.md", "no-memo.md"]);
    env.ok(&[
        "memo",
        "set",
        "2-4",
        "<< region>>",
        "ap-northeast-2",
        "--new",
    ]);
    env.ok(&["memo", "set", "3-1", "<<생성된 IP>>", "10.0.0.9"]);
    let a = String::from_utf8(env.read("ref-2-4-access-key.md")).unwrap();
    assert!(a.contains(">  ➕ _<< region>>_ : ap-northeast-2\n"), "{a}");
    let b = String::from_utf8(env.read("no-memo.md")).unwrap();
    assert!(b.contains("> ➕ _<< 생성된 IP>>_ : 10.0.0.9\n"), "{b}");
    assert!(!a.contains("<< <<") && !b.contains("<< <<"));
    assert_eq!(env.get("2-4", "region"), "ap-northeast-2\n");
    assert_eq!(env.get("3-1", "<< 생성된 IP>>"), "10.0.0.9\n");
    let recs = env.memo_records();
    let keys: Vec<_> = recs
        .iter()
        .map(|r| r.details["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys, ["region", "생성된 IP"]);
}

#[test]
fn a_value_stored_encrypted_stays_encrypted_without_the_flag() {
    let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
    env.ok_stdin(
        &["memo", "set", "1-3", "vpn_note", "-", "--secret", "--new"],
        "first-비밀",
    );
    assert!(stored(&env.lab_path("lf-bold-memo.md"), "vpn_note").starts_with("`age:"));
    // Updated later without --secret: the key name does not say secret, its value does.
    env.ok_stdin(&["memo", "set", "1-3", "vpn_note", "-"], "second-비밀");
    let bytes = env.read("lf-bold-memo.md");
    assert!(
        !contains(&bytes, "second-비밀".as_bytes()),
        "now in plaintext"
    );
    assert!(stored(&env.lab_path("lf-bold-memo.md"), "vpn_note").starts_with("`age:"));
    assert_eq!(env.get("1-3", "vpn_note"), "second-비밀\n");
    let recs = env.memo_records();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1].details["secret"].as_bool(), Some(true));
}

#[test]
fn empty_stdin_is_refused_and_keeps_the_value() {
    let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
    env.ok_stdin(&["memo", "set", "1-3", "github_token", "-"], SECRET);
    let bytes = env.read("lf-bold-memo.md");
    // `failing-command | labnote memo set … -` must not wipe the secret.
    let out = env.run_stdin(&["memo", "set", "1-3", "github_token", "-"], "");
    assert_failure(&out, "memo set - with empty stdin");
    assert!(stderr(&out).contains("stdin is empty"), "{}", stderr(&out));
    assert_eq!(env.read("lf-bold-memo.md"), bytes);
    assert_eq!(env.get("1-3", "github_token"), format!("{SECRET}\n"));
    // One line without its newline is a value.
    env.ok_stdin(
        &["memo", "set", "1-3", "github_username", "-"],
        "octo-stdin",
    );
    assert_eq!(env.get("1-3", "github_username"), "octo-stdin\n");
    // An empty value is refused (emptying is `memo unset`), on stdin and as an argument.
    let bytes = env.read("lf-bold-memo.md");
    let out = env.run_stdin(&["memo", "set", "1-3", "github_username", "-"], "\n");
    assert_failure(&out, "memo set - with an empty line");
    assert!(stderr(&out).contains("memo unset"), "{}", stderr(&out));
    let out = env.run_stdin(&["memo", "set", "1-3", "github_username", ""], "");
    assert_failure(&out, "memo set with an empty argument");
    assert_eq!(env.read("lf-bold-memo.md"), bytes);
    let l = lab::parse(&env.read("lf-bold-memo.md"), "x").unwrap();
    assert_eq!(
        memo::find(&l, "github_username").unwrap().value,
        "octo-stdin"
    );
}

/// Every file under the course's `.labnote/` with its bytes (the lock file is empty).
fn state_files(env: &Env) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let state = env.course.join(".labnote");
    if state.exists() {
        all_files(&state, &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let b = fs::read(&p).unwrap_or_default();
            (p, b)
        })
        .collect()
}

#[test]
fn a_key_written_twice_is_refused_by_seal_and_every_write_and_nothing_changes() {
    // Lab 1-5: `github_token` in two memo blocks, each noted by hand in plaintext (the
    // issue-9 reproduction); lab 1-6: `server_ip` twice in one block. Lab 1-3 holds a
    // plaintext secret that seal could encrypt: it must stay as it is too, since seal
    // checks every lab before its first write.
    let two_blocks = "# 1일차 - Lab 5. 토큰 두 번\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< github_token>>_ : ghp_first_value  \n>  ➕ _<< github_username>>_ : octo\n\n## ✔ 1. 토큰 발급\n\n- 발급한 토큰을 메모합니다.\n\n> **📌 [메모사항]**\n>\n> ➕ **<< Github_Token >>** : ghp_second_value\n";
    let one_block = "# 1일차 - Lab 6. 서버 두 번\r\n\r\n> **📌 [메모사항]**\r\n>\r\n> ➕ **<< server_ip>>** : 10.0.0.1  \r\n>  ➕ **<< server_ip>>** :\r\n\r\n## ✔ 1. 접속\r\n";
    let (env, _) = Env::with_identity(&["lf-bold-memo.md"]);
    env.add_lab("two-blocks.md", two_blocks.as_bytes());
    env.add_lab("one-block.md", one_block.as_bytes());
    let plain = ">  ➕ **<< github_token>>** : ghp_plain_in_1_3";
    let lf = String::from_utf8(env.read("lf-bold-memo.md")).unwrap();
    let lf = lf.replacen(">  ➕ **<< github_token>>** :", plain, 1);
    assert!(lf.contains(plain), "{lf}");
    env.add_lab("lf-bold-memo.md", lf.as_bytes());
    let labs = || ["two-blocks.md", "one-block.md", "lf-bold-memo.md"].map(|f| env.read(f));
    let before = (labs(), state_files(&env));

    let out = env.run(&["memo", "seal"]);
    assert_failure(&out, "memo seal");
    let err = stderr(&out);
    assert!(err.contains("two-blocks.md"), "{err}");
    assert!(err.contains("github_token"), "{err}");
    assert!(err.contains("lines 5 and 14"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        (labs(), state_files(&env)),
        before,
        "seal changed something"
    );

    for (args, lines) in [
        (
            &["memo", "set", "1-5", "github_token", "ghp_new"][..],
            "lines 5 and 14",
        ),
        (
            &["memo", "unset", "1-5", "github_token"][..],
            "lines 5 and 14",
        ),
        (
            &["memo", "set", "1-6", "server_ip", "10.0.0.2"][..],
            "lines 5 and 6",
        ),
        (&["memo", "seal", "1-6"][..], ""),
    ] {
        let out = env.run_stdin(args, "");
        if lines.is_empty() {
            // Nothing secret in 1-6: nothing to seal, nothing refused.
            assert_success(&out, args);
        } else {
            assert_failure(&out, &args.join(" "));
            let err = stderr(&out);
            assert!(err.contains(lines), "{args:?}: {err}");
            assert!(err.contains("nothing was changed"), "{args:?}: {err}");
        }
        assert_eq!(labs(), before.0, "{args:?} changed a lab");
    }
    // A key of the same lab that is written once is still noted.
    env.ok(&["memo", "set", "1-5", "github_username", "octo2"]);
    assert_eq!(env.get("1-5", "github_username"), "octo2\n");
}
