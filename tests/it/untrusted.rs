//! A course folder is untrusted input (issue 9, the file half): links in `.labnote/`, labs
//! that are FIFOs, devices, huge or linked from outside, BOM and CR-only labs, errors that
//! must leave nothing changed, stale temporary files, a hostile `course.yaml` and hostile
//! journal records. Every test runs the real binary.

use std::os::unix::fs::symlink;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::course::{Course, Run};

/// The bold-memo LF lab `1-3` (entries `github_username` = octocat, `github_token`).
const LF_LAB: &str = "lf-bold-memo.md";
/// The italic-memo CRLF lab `1-4`.
const CRLF_LAB: &str = "crlf-italic-memo.md";
/// The lab `2-4` with five steps.
const FIVE_STEPS: &str = "ref-2-4-access-key.md";

fn course_with(files: &[&str]) -> Course {
    Course::empty().with_fixture_files(files)
}

/// Runs `cmd`, killing it after `limit`: a hang is a test failure, never a stuck suite.
fn run_within(cmd: &mut Command, limit: Duration) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn labnote");
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "labnote hung (killed after {limit:?}):\n{}",
                Run::new(out, start.elapsed()).text()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run::new(child.wait_with_output().expect("output"), start.elapsed())
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Makes `path` unwritable until dropped: `chattr +i` as root (who ignores modes), a
/// read-only mode otherwise.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn new(path: &Path) -> ReadOnly {
        if running_as_root() {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "as root this test makes {} immutable: it needs `chattr` and a filesystem that supports it (ext4)",
                path.display()
            );
        } else {
            use std::os::unix::fs::PermissionsExt;
            let mode = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        ReadOnly(path.to_path_buf())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        // No assertion: this also runs while unwinding from a failed one.
        if running_as_root() {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

fn assert_failed_naming(r: &Run, what: &str) {
    assert_ne!(r.code, 0, "must fail:\n{}", r.text());
    assert!(r.stderr.contains(what), "must name {what}:\n{}", r.text());
    assert!(!r.stderr.contains("panicked"), "{}", r.text());
}

// ---------------------------------------------------------------------------------------
// 1. no link is followed inside .labnote/

#[test]
fn a_symlinked_journal_pointing_outside_the_course_is_left_untouched() {
    let c = course_with(&[LF_LAB]);
    let victim = c.root.join("victim.txt");
    std::fs::write(&victim, "someone else's file\n").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&victim)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::fs::create_dir(c.file(".labnote")).unwrap();
    let link = c.file(".labnote/journal.yaml");
    symlink(&victim, &link).unwrap();

    for args in [
        &["done", "1-3", "1"][..],
        &["steps", "1-3"],
        &["memo", "set", "1-3", "github_username", "hubot"],
    ] {
        let r = c.run(args);
        assert_failed_naming(&r, &link.display().to_string());
        assert!(r.stderr.contains("symbolic link"), "{}", r.text());
        assert!(r.stderr.contains("rm "), "the fix: {}", r.text());
    }
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "someone else's file\n"
    );
    assert_eq!(mtime(&victim), old, "the target was not even touched");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        !c.lab_text(LF_LAB).contains("hubot"),
        "memo set failed before writing the lab"
    );
}

#[test]
fn a_symlinked_state_folder_or_pending_key_file_is_refused() {
    // `.labnote` itself a link to a folder outside the course.
    let c = course_with(&[LF_LAB]);
    let elsewhere = c.root.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    symlink(&elsewhere, c.file(".labnote")).unwrap();
    let r = c.run(&["done", "1-3", "1"]);
    assert_failed_naming(&r, &c.file(".labnote").display().to_string());
    assert!(r.stderr.contains("symbolic link"), "{}", r.text());
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing was created through the link"
    );

    // A planted pending-key.yaml that links to a file of the user's.
    let c = course_with(&[LF_LAB]);
    let victim = c.root.join("home/notes.yaml");
    std::fs::write(&victim, "stage: intent\n").unwrap();
    std::fs::create_dir(c.file(".labnote")).unwrap();
    let link = c.file(".labnote/pending-key.yaml");
    symlink(&victim, &link).unwrap();
    let r = c.run(&["memo", "list"]);
    assert_failed_naming(&r, &link.display().to_string());
    assert!(r.stderr.contains("symbolic link"), "{}", r.text());
    assert!(
        !r.stderr.contains("damaged"),
        "the pending file was not even read through the link:\n{}",
        r.text()
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "stage: intent\n");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

// ---------------------------------------------------------------------------------------
// 2. labs that are not regular files, huge labs, labs linked from outside

#[test]
fn a_fifo_or_a_link_to_dev_zero_is_skipped_with_a_warning_and_nothing_hangs() {
    let c = course_with(&[LF_LAB]);
    mkfifo(&c.file("pipe.md"));
    symlink("/dev/zero", c.file("zero.md")).unwrap();

    for args in [
        &["labs"][..],
        &["steps", "1-3"],
        &["memo", "list"],
        &["done", "1-3", "1"],
        &["next", "1-3"],
    ] {
        let r = run_within(&mut c.cmd(args), Duration::from_secs(20));
        assert_eq!(r.code, 0, "labnote {args:?}:\n{}", r.text());
        assert!(
            r.stderr.contains("pipe.md") && r.stderr.contains("FIFO"),
            "labnote {args:?} warns about the FIFO:\n{}",
            r.text()
        );
        assert!(
            r.stderr.contains("zero.md") && r.stderr.contains("not a regular file"),
            "labnote {args:?} warns about the device:\n{}",
            r.text()
        );
    }
    assert!(c.ok(&["labs"]).stdout.contains("1-3"));
    // Named on its own, the FIFO is an error that says what it is, not a hang.
    let r = run_within(&mut c.cmd(&["steps", "pipe"]), Duration::from_secs(20));
    assert_failed_naming(&r, "FIFO");

    // A FIFO planted as a state file (the pending key, read at the start of every command).
    let c = course_with(&[LF_LAB]);
    std::fs::create_dir(c.file(".labnote")).unwrap();
    let pending = c.file(".labnote/pending-key.yaml");
    mkfifo(&pending);
    let r = run_within(&mut c.cmd(&["memo", "list"]), Duration::from_secs(20));
    assert_failed_naming(&r, &pending.display().to_string());
    assert!(r.stderr.contains("FIFO"), "{}", r.text());
}

#[test]
fn a_lab_over_the_size_cap_is_skipped_with_a_clear_message() {
    let c = course_with(&[LF_LAB]);
    let mut big = String::from("# 9일차 - Lab 9. 아주 큰 실습\n\n## ✔ 1. 하나\n\n");
    let line = "- 긴 설명 줄입니다 <<생성된 IP>> 😎\n";
    while big.len() <= 17 * 1024 * 1024 {
        big.push_str(line);
    }
    std::fs::write(c.file("huge.md"), &big).unwrap();
    let r = run_within(&mut c.cmd(&["labs"]), Duration::from_secs(30));
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stdout.contains("1-3") && !r.stdout.contains("9-9"),
        "{}",
        r.text()
    );
    assert!(
        r.stderr.contains("huge.md") && r.stderr.contains("larger than 16 MiB"),
        "{}",
        r.text()
    );
}

#[test]
fn a_lab_linked_from_outside_is_read_but_written_only_inside_the_course() {
    let c = course_with(&[CRLF_LAB]);
    let outside = c.root.join("outside");
    std::fs::create_dir(&outside).unwrap();
    let target = outside.join(LF_LAB);
    std::fs::copy(crate::course::fixture_path(LF_LAB), &target).unwrap();
    let link = c.file("linked.md");
    symlink(&target, &link).unwrap();
    let before = std::fs::read(&target).unwrap();

    let labs = c.ok(&["labs"]).stdout;
    assert!(labs.contains("1-3"), "a linked lab is read: {labs}");
    assert_eq!(c.memo_get("1-3", "github_username"), "octocat");

    let r = c.run(&["memo", "set", "1-3", "github_username", "hubot"]);
    assert_failed_naming(&r, "outside the course");
    assert!(
        r.stderr.contains(&link.display().to_string()),
        "{}",
        r.text()
    );
    assert_eq!(std::fs::read(&target).unwrap(), before, "nothing changed");
    assert!(c.events("memo-set").is_empty(), "nothing recorded");

    // A link to a file inside the course (in a hidden folder, which is not scanned) is
    // written through: the target changes, the link stays a link.
    let c = course_with(&[]);
    std::fs::create_dir(c.file(".src")).unwrap();
    let inside = c.file(".src/lab.md");
    std::fs::copy(crate::course::fixture_path(LF_LAB), &inside).unwrap();
    symlink(&inside, c.file("lab.md")).unwrap();
    c.ok(&["memo", "set", "1-3", "github_username", "hubot"]);
    assert!(std::fs::read_to_string(&inside).unwrap().contains("hubot"));
    assert!(std::fs::symlink_metadata(c.file("lab.md"))
        .unwrap()
        .file_type()
        .is_symlink());
}

// ---------------------------------------------------------------------------------------
// 3. BOM and CR-only labs

#[test]
fn a_lab_with_a_utf8_bom_is_a_lab_and_keeps_its_bom_byte_exact() {
    let c = course_with(&[]);
    let original = std::fs::read(crate::course::fixture_path(CRLF_LAB)).unwrap();
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(&original);
    std::fs::write(c.file("bom.md"), &bytes).unwrap();

    assert!(c.ok(&["labs"]).stdout.contains("1-4"));
    assert_eq!(c.steps("1-4").len(), 2);
    c.ok(&[
        "memo",
        "set",
        "1-4",
        "AWS Access Key ID",
        "AKIAI44QH8DHBEXAMPLE",
    ]);
    c.ok(&["done", "1-4", "1"]);

    let after = c.lab_bytes("bom.md");
    let want = String::from_utf8(bytes)
        .unwrap()
        .replace("AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE");
    assert_eq!(after, want.as_bytes(), "only the value changed, BOM kept");
    assert_eq!(
        c.memo_get("1-4", "AWS Access Key ID"),
        "AKIAI44QH8DHBEXAMPLE"
    );
    assert_eq!(c.steps("1-4")[0]["state"], "done");
}

#[test]
fn a_lab_with_cr_only_line_endings_is_a_lab_and_stays_cr_only() {
    let c = course_with(&[]);
    let lf = std::fs::read_to_string(crate::course::fixture_path(LF_LAB)).unwrap();
    std::fs::write(c.file("cr.md"), lf.replace('\n', "\r")).unwrap();

    assert!(c.ok(&["labs"]).stdout.contains("1-3"));
    let steps = c.steps("1-3");
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert_eq!(c.memo_get("1-3", "github_username"), "octocat");

    c.ok(&["memo", "set", "1-3", "github_username", "hubot"]);
    // A key the block does not have yet: a new entry line, ended like the others.
    c.ok(&["memo", "set", "1-3", "region", "ap-northeast-2", "--new"]);
    c.ok(&["done", "1-3", "1"]);

    let after = c.lab_bytes("cr.md");
    assert!(
        !after.contains(&b'\n'),
        "still CR-only: {:?}",
        String::from_utf8_lossy(&after)
    );
    let text = String::from_utf8(after).unwrap();
    assert!(
        text.contains("**<< github_username>>** : hubot") && !text.contains("octocat"),
        "{text:?}"
    );
    assert!(
        text.contains("<< region>>** : ap-northeast-2\r"),
        "{text:?}"
    );
    assert_eq!(c.memo_get("1-3", "github_username"), "hubot");
    assert_eq!(c.memo_get("1-3", "region"), "ap-northeast-2");
    assert_eq!(c.steps("1-3")[0]["state"], "done");
    // A step prints as lines, not as one line of carriage returns.
    let shown = c.ok(&["show", "1-3", "--step", "1"]).stdout;
    assert!(
        !shown.contains('\r') && shown.lines().count() > 2,
        "{shown:?}"
    );
}

// ---------------------------------------------------------------------------------------
// 4. an error leaves nothing changed

#[test]
fn memo_set_fails_before_writing_the_lab_when_the_journal_cannot_be_written() {
    // The journal itself read-only.
    let c = course_with(&[LF_LAB]);
    c.ok(&["done", "1-3", "1"]);
    let before = c.lab_bytes(LF_LAB);
    let journal = c.file(".labnote/journal.yaml");
    {
        let _ro = ReadOnly::new(&journal);
        let r = c.run(&["memo", "set", "1-3", "github_username", "hubot"]);
        assert_failed_naming(&r, &journal.display().to_string());
        assert_eq!(c.lab_bytes(LF_LAB), before, "the lab was not written");
    }

    // `.labnote` read-only, holding only the labs' lock (a memo set that changed nothing
    // leaves exactly that): the journal cannot be created.
    let c = course_with(&[LF_LAB]);
    c.ok(&["memo", "set", "1-3", "github_username", "octocat"]);
    let state = c.file(".labnote");
    let names: Vec<_> = std::fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".gitignore")
        .collect();
    assert_eq!(names, ["labs.lock"], "the setup is what the comment says");
    let before = c.lab_bytes(LF_LAB);
    {
        let _ro = ReadOnly::new(&state);
        let r = c.run(&["memo", "set", "1-3", "github_username", "hubot"]);
        assert_failed_naming(&r, &state.display().to_string());
        assert_eq!(c.lab_bytes(LF_LAB), before, "the lab was not written");
    }
    c.ok(&["memo", "set", "1-3", "github_username", "hubot"]);
    assert_eq!(c.events("memo-set").len(), 1);
}

#[test]
fn done_with_several_steps_records_all_or_none_at_the_file_size_limit() {
    let c = course_with(&[FIVE_STEPS]);
    c.ok(&["done", "2-4", "1"]);
    c.ok(&["undo", "2-4", "1"]);
    let journal = c.file(".labnote/journal.yaml");
    let before = std::fs::read(&journal).unwrap();
    // Room for about one record more: a process that wrote records one by one, or stopped
    // in the middle of its write, would leave the first step recorded.
    let limit = before.len() as u64 + 160;
    let mut cmd = c.cmd(&["done", "2-4", "1", "2", "3", "4", "5"]);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let r = run_within(&mut cmd, Duration::from_secs(20));
    assert_failed_naming(&r, &journal.display().to_string());
    assert!(
        r.code > 0,
        "an error exit, not a death by SIGXFSZ:\n{}",
        r.text()
    );
    assert!(
        !r.stdout.contains("[x]") && !r.stderr.contains("[x]"),
        "no step is shown as marked:\n{}",
        r.text()
    );
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "no record of the failed command is left"
    );
    let states: Vec<_> = c.steps("2-4").iter().map(|s| s["state"].clone()).collect();
    assert!(states.iter().all(|s| s == "open"), "{states:?}");
    assert!(!c.file(".labnote/journal.torn").exists());

    c.ok(&["done", "2-4", "1", "2", "3", "4", "5"]);
    assert!(c.steps("2-4").iter().all(|s| s["state"] == "done"));
}

#[test]
fn stale_temp_files_of_labnote_are_cleaned_on_the_next_write_in_their_folder() {
    let c = course_with(&[LF_LAB]);
    c.ok(&["done", "1-3", "1"]);
    let old = SystemTime::now() - Duration::from_secs(3600);
    let make = |rel: &str, stale: bool| {
        let p = c.file(rel);
        std::fs::write(&p, "leftover").unwrap();
        if stale {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        p
    };
    let stale_lab = make(".labnote-lf-bold-memo.md.Ab3xYz.tmp", true);
    let stale_state = make(".labnote/.labnote-journal.yaml.Q1w2E3.tmp", true);
    let fresh = make(".labnote-lf-bold-memo.md.Zz9Zz9.tmp", false);
    let not_ours = [
        make(".labnote-notes.txt", true),
        make("draft.tmp", true),
        make(".labnote-x.toolong.tmp", true),
    ];

    c.ok(&["memo", "set", "1-3", "github_username", "hubot"]);
    assert!(
        !stale_lab.exists(),
        "stale temp in the lab's folder removed"
    );
    assert!(!stale_state.exists(), "stale temp in .labnote removed");
    assert!(
        fresh.exists(),
        "a fresh temp may belong to a running labnote"
    );
    for p in &not_ours {
        assert!(p.exists(), "{} is not labnote's", p.display());
    }
}

// ---------------------------------------------------------------------------------------
// 5. course.yaml bounded in depth, time and size

#[test]
fn a_deeply_nested_course_yaml_fails_fast_naming_the_file() {
    let c = course_with(&[LF_LAB]);
    let cfg = c.file("course.yaml");
    std::fs::write(&cfg, format!("secrets: {}", "[".repeat(100_000))).unwrap();
    let r = run_within(&mut c.cmd(&["memo", "list"]), Duration::from_secs(20));
    assert_failed_naming(&r, &cfg.display().to_string());
    assert!(r.stderr.contains("nested"), "{}", r.text());
    assert!(r.elapsed < Duration::from_secs(1), "took {:?}", r.elapsed);

    let mut huge = String::from("secrets: [pw]\n");
    while huge.len() <= 2 * 1024 * 1024 {
        huge.push_str("# a comment line to make the file large\n");
    }
    std::fs::write(&cfg, huge).unwrap();
    let r = run_within(&mut c.cmd(&["memo", "list"]), Duration::from_secs(20));
    assert_failed_naming(&r, &cfg.display().to_string());
    assert!(r.stderr.contains("larger than 1 MiB"), "{}", r.text());
}

// ---------------------------------------------------------------------------------------
// 6. journal records are input

#[test]
fn hostile_journal_records_are_reported_once_and_set_aside() {
    let c = course_with(&[LF_LAB]);
    c.ok(&["done", "1-3", "1"]);
    let journal = c.file(".labnote/journal.yaml");
    let good = std::fs::read_to_string(&journal).unwrap();
    // Without a fingerprint a `done` record counts whatever the step's text.
    let step2 =
        |lab: &str, time: &str| format!("---\nlab: {lab}\nstep: '2'\nevent: done\ntime: {time}\n");
    let hostile = [
        step2("../../../etc/passwd", "2026-01-01T00:00:00Z"),
        step2("1-3", "not-a-time"),
        format!(
            "---\nlab: 1-3\nstep: '2'\nevent: done\ntime: 2026-01-01T00:00:00Z\ndetails:\n  x: {}\n",
            "[".repeat(50_000)
        ),
        "---\nlab: 1-3\nstep: \"2\\e[31m\"\nevent: done\ntime: 2026-01-01T00:00:00Z\n".to_string(),
        "---\n: : : [not a record\n".to_string(),
    ];
    let mut text = good.clone();
    for h in &hostile {
        text.push_str(h);
    }
    text.push_str(&good); // a whole record last: nothing is a torn tail
    std::fs::write(&journal, &text).unwrap();

    let r = run_within(
        &mut c.cmd(&["steps", "1-3", "--json"]),
        Duration::from_secs(5),
    );
    assert_eq!(r.code, 0, "{}", r.text());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["steps"][0]["state"], "done");
    assert_eq!(v["steps"][1]["state"], "open", "no hostile record counted");
    for n in 2..=6 {
        assert!(
            r.stderr
                .contains(&format!("journal record {n} is not a record labnote wrote")),
            "record {n} reported:\n{}",
            r.text()
        );
    }
    assert!(
        r.stderr.contains(&journal.display().to_string()),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("looks like a path"), "{}", r.text());
    assert!(r.stderr.contains("not an RFC 3339 time"), "{}", r.text());
    assert!(!r.stderr.contains('\x1b'), "no escape reaches the terminal");
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap(),
        format!("{good}{good}"),
        "the good records keep their bytes; the hostile ones are gone from the journal"
    );
    let aside = std::fs::read_to_string(c.file(".labnote/journal.torn")).unwrap();
    assert_eq!(aside, hostile.concat(), "kept aside, byte for byte");
    // Said once: the next command reads a clean journal and says nothing of it.
    let again = run_within(
        &mut c.cmd(&["steps", "1-3", "--json"]),
        Duration::from_secs(5),
    );
    assert_eq!(again.code, 0, "{}", again.text());
    assert!(!again.stderr.contains("journal"), "{}", again.text());
}
