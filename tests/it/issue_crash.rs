//! Crash safety of `labnote issue-key`: SIGKILL it at many points (the test hook
//! `LABNOTE_TEST_ISSUE_PAUSE_MS` widens the windows between its stages), run one more labnote
//! command, and check that the user never holds an access key the memo does not have — and
//! that the memo's key comes with its secret.
//!
//! Real binary, real moto; one IAM user and one course folder per iteration, so iterations
//! run on a few threads at once.
//!
//! The pause hook exists only in a build with the `test-hooks` feature (`./scripts/test.sh`
//! builds one); without it these tests fail and say so instead of passing on nothing.

use crate::course;
use crate::moto;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use course::{copy_dir, crate_path};
use moto::{block_on, key_ids, moto_keys, moto_secret, unique_name, Moto};

const LAB: &str = "day2/lab4-aws-access-key.md";
/// The pause between stages (after the intent, the create, the pending secret, the memo).
const PAUSE_MS: u64 = 150;
/// Kill delays after the first pending file appears, spread over 0..MAX_DELAY_MS: past the
/// last stage of a run (4 pauses and the IAM calls between them).
const MAX_DELAY_MS: u64 = 650;
/// Every EARLY-th iteration is killed counting from its spawn instead, within
/// 0..EARLY_DELAY_MS: the instants before the first pending file.
const EARLY: usize = 8;
const EARLY_DELAY_MS: u64 = 150;
const ITERATIONS: usize = 270;
/// Most of an iteration is waiting (pauses, the kill delay): more threads than cores.
const THREADS: usize = 8;

/// The pause hook must be compiled in, or the kills would probe nothing.
pub fn require_test_hooks() {
    #[cfg(not(feature = "test-hooks"))]
    panic!(
        "these tests need labnote's test hooks: run with --features test-hooks (./scripts/test.sh does)"
    );
}

/// What the machine looked like right after the kill, before any recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Seen {
    /// No pending file, nothing in the memo: killed before the intent was written.
    NotStarted,
    /// Intent written, no key yet.
    Intent,
    /// Intent written and the key already created: its secret is lost, recovery deletes it.
    IntentWithKey,
    /// The encrypted secret is in the pending file; the memo not written yet.
    Created,
    /// Memo written, the pending file not yet removed.
    MemoWritten,
    /// The run had finished.
    Finished,
    /// `--rotate` with 2 keys (one the memo's), killed before its first pending file.
    RotateNotStarted,
    /// ... while retiring the other key to make room.
    RotateRetiring,
    /// ... with the create maybe sent.
    RotateIntent,
    /// ... with the new key's secret in the pending file.
    RotateCreated,
    /// ... with the new key in the memo, the old one not yet retired.
    RotateSaved,
    /// ... after it had finished.
    RotateFinished,
}

struct Env {
    root: PathBuf,
    env: Vec<(String, String)>,
}

impl Env {
    /// HOME, the config folder and the AWS files under `root`; the SDK pointed at moto.
    fn new(root: &Path) -> Env {
        let mut env = course::aws_env(root, Moto::get().sdk_env());
        env.extend(course::home_env(root));
        Env {
            root: root.to_path_buf(),
            env,
        }
    }

    /// [`Env::new`] with an age identity (`labnote init`).
    fn with_identity(root: &Path) -> Env {
        let env = Env::new(root);
        let (code, _, err) = env.run(root, &["init"]);
        assert_eq!(code, 0, "init: {err}");
        env
    }

    /// A copy of the bundled course in `ROOT/dir`, and a new IAM user on moto.
    fn course_and_user(&self, dir: &str, prefix: &str) -> (PathBuf, String) {
        let course = self.root.join(dir);
        copy_dir(&crate_path("labs"), &course);
        let user = unique_name(prefix);
        block_on(Moto::get().create_user(&user));
        (course, user)
    }

    fn cmd(&self, course: &Path, args: &[&str]) -> Command {
        course::labnote_cmd(&self.env, course, args)
    }

    /// The course's noted secret access key, decrypted with this environment's identity.
    fn noted_secret(&self, course: &Path) -> Option<String> {
        course::noted_secret(
            &course.join(LAB),
            &self.root.join("xdg/labnote/identity.txt"),
        )
    }

    /// Run to completion; (exit code, stdout, stderr).
    fn run(&self, course: &Path, args: &[&str]) -> (i32, String, String) {
        let r = course::Run::of(&mut self.cmd(course, args));
        (r.code, r.stdout, r.stderr)
    }
}

fn memo_id(course: &Path) -> Option<String> {
    course::noted_key_id(&course.join(LAB))
}

fn pending_stage(course: &Path) -> Option<String> {
    let text = std::fs::read_to_string(course.join(".labnote/pending-key.yaml")).ok()?;
    let v: serde_yaml::Value = serde_yaml::from_str(&text).expect("pending file parses");
    Some(v["stage"].as_str().unwrap_or_default().to_owned())
}

fn issued_records(course: &Path, id: &str) -> usize {
    course::journal(course)
        .into_iter()
        .filter(|r| {
            r["event"].as_str() == Some("issued-key")
                && r["details"]["access_key_id"].as_str() == Some(id)
        })
        .count()
}

/// When an iteration's SIGKILL comes.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// This many ms after the spawn: the instants before the first pending file.
    FromSpawn(u64),
    /// This many ms after the first pending file appears, so that the windows between the
    /// stages are probed however long the machine takes to start a process.
    FromPending(u64),
}

impl Kill {
    fn scaled(self, num: u64, den: u64) -> Kill {
        match self {
            Kill::FromSpawn(ms) => Kill::FromSpawn(ms * num / den),
            Kill::FromPending(ms) => Kill::FromPending(ms * num / den),
        }
    }

    /// SIGKILLs `child` at this instant (or reaps it, when it ended first); whether it was
    /// still running.
    fn kill(self, child: &mut std::process::Child, course: &Path) -> bool {
        let ms = match self {
            Kill::FromSpawn(ms) => ms,
            Kill::FromPending(ms) => {
                let pending = course.join(".labnote/pending-key.yaml");
                let give_up = Instant::now() + Duration::from_secs(30);
                while !pending.exists()
                    && child.try_wait().unwrap().is_none()
                    && Instant::now() < give_up
                {
                    std::thread::sleep(Duration::from_millis(2));
                }
                ms
            }
        };
        std::thread::sleep(Duration::from_millis(ms));
        let running = child.try_wait().unwrap().is_none();
        let _ = child.kill(); // SIGKILL; an error means it had exited already
        child.wait().unwrap();
        running
    }
}

/// What one iteration found.
#[derive(Debug, Default)]
struct Found {
    seen: Option<Seen>,
    /// The process was still running when it was killed.
    killed: bool,
    /// Keys of the user not in the memo after the recovery (their secret is nowhere).
    orphans: usize,
    /// The memo's key without its secret (the memo's secret is not moto's).
    lost: usize,
}

/// One iteration: issue, kill `when` said, recover with `labnote labs`, check.
fn iteration(env: &Env, i: usize, when: Kill) -> Found {
    let (course, user) = env.course_and_user(&format!("course-{i}"), "crash");

    let mut child = env
        .cmd(&course, &["issue-key", "2-4", "--user", &user])
        .env("LABNOTE_TEST_ISSUE_PAUSE_MS", PAUSE_MS.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn issue-key");
    let killed = when.kill(&mut child, &course);

    let stage = pending_stage(&course);
    let memo = memo_id(&course);
    let seen = match (stage.as_deref(), &memo) {
        (None, None) => Seen::NotStarted,
        (None, Some(_)) => Seen::Finished,
        (Some("intent"), _) if key_ids(&user).is_empty() => Seen::Intent,
        (Some("intent"), _) => Seen::IntentWithKey,
        (Some("created"), None) => Seen::Created,
        (Some("created"), Some(_)) => Seen::MemoWritten,
        (Some(other), _) => panic!("#{i}: unknown pending stage {other}"),
    };
    // (A run killed after removing its pending file, while exiting, counts as finished.)

    // A request the killed process had already sent is still processed by moto: give it
    // a moment, as any real next command comes seconds later.
    std::thread::sleep(Duration::from_millis(150));
    // The next command recovers: `labs` on even iterations, issue-key itself (which then
    // goes on: "nothing changed" when the memo got the key, else a new key) on odd ones.
    let next: &[&str] = if i % 2 == 0 {
        &["labs"]
    } else {
        &["issue-key", "2-4", "--user", &user]
    };
    let (code, stdout, stderr) = env.run(&course, next);
    assert_eq!(code, 0, "#{i} ({seen:?}): {next:?} failed:\n{stderr}");
    let ctx =
        format!("#{i} killed {when:?} ({seen:?}), user {user}, then {next:?}:\n{stdout}{stderr}");
    if i % 2 == 1 {
        let unchanged = stdout.contains("nothing changed");
        let finished = matches!(seen, Seen::Created | Seen::MemoWritten | Seen::Finished);
        assert_eq!(unchanged, finished, "{ctx}");
    }
    match seen {
        Seen::IntentWithKey => assert!(stderr.contains("was deleted"), "{ctx}"),
        Seen::Created | Seen::MemoWritten => {
            assert!(
                stderr.contains("finished an interrupted issue-key"),
                "{ctx}"
            )
        }
        Seen::Intent => assert!(stderr.contains("interrupted issue-key"), "{ctx}"),
        Seen::NotStarted | Seen::Finished => {
            assert!(!stderr.contains("interrupted"), "{ctx}")
        }
        _ => unreachable!("a plain issue has no rotation stages"),
    }

    // The invariant, counted (and reported) rather than asserted at once.
    assert!(
        !course.join(".labnote/pending-key.yaml").exists(),
        "{ctx}pending file left"
    );
    let mut found = Found {
        seen: Some(seen),
        killed,
        ..Found::default()
    };
    let keys = key_ids(&user);
    let memo = memo_id(&course);
    found.orphans = keys.iter().filter(|k| Some(*k) != memo.as_ref()).count();
    if let Some(id) = &memo {
        let secret = env.noted_secret(&course);
        if moto_secret(id) != secret || !keys.contains(id) {
            found.lost = 1;
        }
        assert_eq!(
            issued_records(&course, id),
            1,
            "{ctx}journal:\n{}",
            course::journal_text(&course)
        );
    }
    if found.orphans + found.lost > 0 {
        eprintln!("{ctx}keys {keys:?}, memo {memo:?}: orphan or lost secret");
        return found;
    }
    // Once recovered by `labs`, an issuance completes normally (nothing is stuck).
    if matches!(seen, Seen::NotStarted | Seen::Intent | Seen::IntentWithKey) && i % 4 == 0 {
        let (code, _, err) = env.run(&course, &["issue-key", "2-4", "--user", &user]);
        assert_eq!(code, 0, "{ctx}{err}");
        let id = memo_id(&course).expect("memo after a rerun");
        assert_eq!(key_ids(&user), [id], "{ctx}");
    }
    found
}

#[test]
fn sigkill_at_any_point_never_leaves_a_key_outside_the_memo() {
    require_test_hooks();
    let start = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::with_identity(tmp.path());

    let found = Mutex::new(Vec::<Found>::new());
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (env, found) = (&env, &found);
            s.spawn(move || {
                for i in (t..ITERATIONS).step_by(THREADS) {
                    // Spread over the window, interleaved between the threads, with a few
                    // ms of jitter so that reruns probe other instants.
                    let jitter = u64::from(start.elapsed().subsec_nanos() % 17);
                    let kill = if i % EARLY == 0 {
                        Kill::FromSpawn(i as u64 * EARLY_DELAY_MS / ITERATIONS as u64 + jitter)
                    } else {
                        Kill::FromPending(i as u64 * MAX_DELAY_MS / ITERATIONS as u64 + jitter)
                    };
                    let what = if i % 3 == 2 {
                        // A rotation runs longer: spread its kills wider.
                        rotate_iteration(env, i, kill.scaled(3, 2))
                    } else {
                        iteration(env, i, kill)
                    };
                    found.lock().unwrap().push(what);
                }
            });
        }
    });
    let found = found.into_inner().unwrap();
    let mut seen = BTreeMap::<Seen, usize>::new();
    for f in &found {
        *seen.entry(f.seen.unwrap()).or_default() += 1;
    }
    let kills = found.iter().filter(|f| f.killed).count();
    let orphans: usize = found.iter().map(|f| f.orphans).sum();
    let lost: usize = found.iter().map(|f| f.lost).sum();
    // The figures the closing note quotes: on stderr (shown with --nocapture) and in
    // target/tmp/issue_crash.txt.
    let figures = format!(
        "issue_crash: {ITERATIONS} iterations in {:.0?}, {kills} killed while running; kill points reached per stage {seen:?}; orphans {orphans}; lost secrets {lost}\n",
        start.elapsed()
    );
    eprint!("{figures}");
    let _ = std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("issue_crash.txt"),
        &figures,
    );
    assert_eq!((orphans, lost), (0, 0), "{seen:?}");
    assert!(kills >= 200, "only {kills} kills while running");
    // The kills hit every window that matters (else the test proves little).
    for w in [
        Seen::Intent,
        Seen::IntentWithKey,
        Seen::Created,
        Seen::MemoWritten,
    ] {
        assert!(
            seen.get(&w).copied().unwrap_or(0) >= 1,
            "never saw {w:?}: {seen:?}"
        );
    }
}

/// One rotation: a memo key and another key, `--rotate --yes` killed `when` said, the
/// next command (`labs`, or a plain issue-key), check: the memo's key is active (right after
/// the kill too) with its secret, and every key of the user is the memo's or the other one.
fn rotate_iteration(env: &Env, i: usize, when: Kill) -> Found {
    let (course, user) = env.course_and_user(&format!("course-{i}"), "crashrot");
    let (code, _, err) = env.run(&course, &["issue-key", "2-4", "--user", &user]);
    assert_eq!(code, 0, "{err}");
    let old = memo_id(&course).unwrap();
    let other = key_made_by_hand(&user);
    let mut child = env
        .cmd(
            &course,
            &["issue-key", "2-4", "--user", &user, "--rotate", "--yes"],
        )
        .env("LABNOTE_TEST_ISSUE_PAUSE_MS", PAUSE_MS.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn issue-key --rotate");
    let killed = when.kill(&mut child, &course);
    let memo_now = memo_id(&course).unwrap();
    let seen = match pending_stage(&course).as_deref() {
        None if memo_now == old => Seen::RotateNotStarted,
        None => Seen::RotateFinished,
        Some("retiring") => Seen::RotateRetiring,
        Some("intent") => Seen::RotateIntent,
        Some("created") => Seen::RotateCreated,
        Some("saved") => Seen::RotateSaved,
        Some(other) => panic!("#{i}: unknown pending stage {other}"),
    };
    let usable_now = moto_keys(&user).contains(&(memo_now.clone(), true));
    std::thread::sleep(Duration::from_millis(150));
    let next: &[&str] = if i % 2 == 0 {
        &["labs"]
    } else {
        &["issue-key", "2-4", "--user", &user, "--yes"]
    };
    let (code, stdout, stderr) = env.run(&course, next);
    let ctx = format!(
        "#{i} rotate killed {when:?} ({seen:?}), user {user}, then {next:?}:\n{stdout}{stderr}"
    );
    assert_eq!(code, 0, "{ctx}");
    assert!(
        !course.join(".labnote/pending-key.yaml").exists(),
        "{ctx}pending file left"
    );
    let memo = memo_id(&course).expect("a memo key");
    let keys = moto_keys(&user);
    let secret = env.noted_secret(&course);
    let found = Found {
        seen: Some(seen),
        killed,
        orphans: keys
            .iter()
            .filter(|(k, _)| *k != memo && *k != other)
            .count(),
        lost: usize::from(
            !usable_now || !keys.contains(&(memo.clone(), true)) || moto_secret(&memo) != secret,
        ),
    };
    if found.orphans + found.lost > 0 {
        eprintln!("{ctx}keys {keys:?}, memo {memo}, usable right after the kill: {usable_now}");
    }
    found
}

/// Poll until the pending file shows `stage` (panics after 10 s).
fn wait_for_stage(course: &Path, stage: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pending_stage(course).as_deref() != Some(stage) {
        assert!(
            Instant::now() < deadline,
            "pending stage {stage} never seen"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn other_commands_never_recover_a_live_issuance() {
    require_test_hooks();
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::with_identity(tmp.path());
    let (course, user) = env.course_and_user("course", "live");

    let child = env
        .cmd(&course, &["issue-key", "2-4", "--user", &user])
        .env("LABNOTE_TEST_ISSUE_PAUSE_MS", "600")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen_key = false;
    for stage in ["intent", "created"] {
        wait_for_stage(&course, stage);
        // Another command sees the pending file but must leave it to the live run.
        let (code, _, stderr) = env.run(&course, &["labs"]);
        assert_eq!(code, 0, "{stage}: {stderr}");
        assert!(!stderr.contains("interrupted"), "{stage}: {stderr}");
        assert_eq!(pending_stage(&course).as_deref(), Some(stage));
        // A second issuance is refused at once.
        let (code, _, stderr) = env.run(&course, &["issue-key", "2-4", "--user", &user]);
        assert_ne!(code, 0, "{stage}: {stderr}");
        assert!(
            stderr.contains("another `labnote issue-key` is running"),
            "{stderr}"
        );
        seen_key |= !key_ids(&user).is_empty();
    }
    assert!(seen_key, "the key exists while the run is live");
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = memo_id(&course).expect("memo holds the key");
    assert_eq!(key_ids(&user), std::slice::from_ref(&id));
    assert!(!course.join(".labnote/pending-key.yaml").exists());
    let (code, secret, _) = env.run(
        &course,
        &["memo", "get", "AWS Secret Access key", "--lab", "2-4"],
    );
    assert_eq!(code, 0);
    assert_eq!(moto_secret(&id).as_deref(), Some(secret.trim_end()));
    assert_eq!(issued_records(&course, &id), 1);
}

#[test]
fn a_secret_that_cannot_be_kept_takes_its_key_with_it() {
    require_test_hooks();
    // (c): the pending file cannot take the encrypted secret (its path became a folder
    // while the run paused after the intent), so the new key is deleted again at once.
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::with_identity(tmp.path());
    let (course, user) = env.course_and_user("course", "unkept");
    let lab = std::fs::read(course.join(LAB)).unwrap();

    let child = env
        .cmd(&course, &["issue-key", "2-4", "--user", &user])
        .env("LABNOTE_TEST_ISSUE_PAUSE_MS", "500")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_stage(&course, "intent");
    let pending = course.join(".labnote/pending-key.yaml");
    std::fs::remove_file(&pending).unwrap();
    std::fs::create_dir_all(pending.join("blocker")).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    assert!(
        stderr.contains("deleted again; nothing changed"),
        "{stderr}"
    );
    assert_eq!(key_ids(&user), Vec::<String>::new());
    assert_eq!(std::fs::read(course.join(LAB)).unwrap(), lab);
    std::fs::remove_dir_all(&pending).unwrap();
    let (code, _, stderr) = env.run(&course, &["labs"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("interrupted"), "{stderr}");
}

/// Start issue-key and SIGKILL it right after it recorded its intent, before any create.
fn interrupt_after_intent(env: &Env, course: &Path, user: &str) {
    require_test_hooks();
    let mut child = env
        .cmd(course, &["issue-key", "2-4", "--user", user])
        .env("LABNOTE_TEST_ISSUE_PAUSE_MS", "3000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_stage(course, "intent");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A key made outside labnote (the console): its id.
fn key_made_by_hand(user: &str) -> String {
    moto::create_key(user).0
}

#[test]
fn recovery_never_deletes_a_key_the_student_made_and_noted_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::with_identity(tmp.path());
    let (course, user) = env.course_and_user("course", "byhand");
    interrupt_after_intent(&env, &course, &user);
    assert!(key_ids(&user).is_empty());
    // The student comes back later: the intent is a quarter of an hour old.
    let pending = course.join(".labnote/pending-key.yaml");
    let mut p: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&pending).unwrap()).unwrap();
    for field in ["iam_date", "deadline"] {
        let t: jiff::Timestamp = p[field].as_str().unwrap().parse().unwrap();
        p[field] = (t - jiff::SignedDuration::from_secs(900))
            .to_string()
            .into();
    }
    std::fs::write(&pending, serde_yaml::to_string(&p).unwrap()).unwrap();
    // The student makes a key in the console, as the lab teaches, and notes it.
    let id = key_made_by_hand(&user);
    let (code, _, err) = env.run(&course, &["memo", "set", "2-4", "AWS Access Key ID", &id]);
    assert_eq!(code, 0, "{err}");
    // That command ran the recovery; one more to be sure.
    let (code, _, err) = env.run(&course, &["labs"]);
    assert_eq!(code, 0, "{err}");
    assert!(!course.join(".labnote/pending-key.yaml").exists());
    assert_eq!(key_ids(&user), [id]);
}

#[test]
fn recovery_never_deletes_a_key_noted_in_a_memo() {
    let tmp = tempfile::tempdir().unwrap();
    let env = Env::with_identity(tmp.path());
    let (course, user) = env.course_and_user("course", "noted");
    interrupt_after_intent(&env, &course, &user);
    // Right away, a key is made and typed into the memo with an editor (no labnote command).
    let id = key_made_by_hand(&user);
    let lab = course.join(LAB);
    let text = std::fs::read_to_string(&lab).unwrap();
    let edited = text.replacen(
        "<< AWS Access Key ID>>_ :",
        &format!("<< AWS Access Key ID>>_ : {id}"),
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&lab, edited).unwrap();
    let (code, _, err) = env.run(&course, &["labs"]);
    assert_eq!(code, 0, "{err}");
    assert!(!course.join(".labnote/pending-key.yaml").exists());
    assert_eq!(key_ids(&user), [id]);
}
