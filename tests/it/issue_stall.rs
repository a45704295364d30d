//! IAM carries out a call and labnote never hears the answer: a proxy in front of moto
//! forwards the chosen mutating call and then stalls, and labnote is killed right then.
//! The next command and a plain rerun must leave the memo's key active with its right
//! secret, never touch a key of another course or one made by hand later, and delete or
//! name every key labnote itself made. The advice printed on the way is run as printed.

use crate::course;
use crate::moto;

use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use course::{crate_path, Course, Run, BIN};
use moto::{block_on, key_ids, moto_keys, moto_secret, stalling_proxy, unique_name, Moto, Stall};

const LAB: &str = "day2/lab4-aws-access-key.md";
const SECRET_KEY: &str = "AWS Secret Access key";

fn course() -> Course {
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    c
}

fn new_user(prefix: &str) -> String {
    let user = unique_name(prefix);
    block_on(Moto::get().create_user(&user));
    user
}

/// A key made outside labnote (the console): its id.
fn key_by_hand(user: &str) -> String {
    moto::create_key(user).0
}

/// One request signed with `id`: moto records it as the key's last use.
fn use_key(id: &str) {
    block_on(async {
        let iam = labnote::iam::Iam::connect(&Moto::get().options_with_key(id, "any"))
            .await
            .unwrap();
        iam.caller().await.unwrap();
    });
}

fn memo_id(c: &Course) -> Option<String> {
    course::noted_key_id(&c.file(LAB))
}

/// Start `labnote ARGS --endpoint-url PROXY`, the proxy stalling the `nth` call of
/// `action`; SIGKILL labnote as soon as IAM has carried that call out.
fn kill_at_stall(c: &Course, args: &[&str], action: &'static str, nth: usize) -> Arc<Stall> {
    let (url, stall) = stalling_proxy(action, nth);
    let mut all = args.to_vec();
    all.extend(["--endpoint-url", &url]);
    let mut child = c
        .cmd(&all)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !stall.stalled.load(Ordering::SeqCst) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("labnote {all:?} ended ({status}) before {action} #{nth} stalled");
        }
        assert!(Instant::now() < deadline, "{action} #{nth} never came");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    stall
}

/// Run every literal command quoted in `text` (`labnote …` or `aws …`, without a
/// placeholder such as ID) as the student would: in a shell in the course folder, with
/// labnote and the AWS CLI on PATH. Each must succeed. Returns what they printed.
fn follow_advice(c: &Course, text: &str) -> String {
    let bin = c.root.join("bin");
    if !bin.join("labnote").exists() {
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(BIN, bin.join("labnote")).unwrap();
    }
    let path = format!(
        "{}:{}:/usr/bin:/bin",
        bin.display(),
        crate_path(".venv/bin").display()
    );
    let mut done: Vec<&str> = Vec::new();
    let mut out = String::new();
    for cmd in text.split('`').skip(1).step_by(2) {
        let literal = (cmd.starts_with("labnote ") || cmd.starts_with("aws "))
            && !cmd.split_whitespace().any(|w| w == "ID" || w == "USER");
        if !literal || done.contains(&cmd) {
            continue;
        }
        done.push(cmd);
        let r = Run::of(
            Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .current_dir(&c.course)
                .env_clear()
                .envs(c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .env("PATH", &path)
                .env("AWS_DEFAULT_REGION", moto::TEST_REGION)
                .stdin(Stdio::null()),
        );
        assert_eq!(r.code, 0, "the advice `{cmd}` failed:\n{}", r.text());
        out.push_str(&format!("$ {cmd}\n{}", r.text()));
    }
    out
}

/// The memo's key is an active key of `user` and `memo get` gives moto's secret for it.
fn assert_memo_key_works(c: &Course, user: &str, ctx: &str) -> String {
    let id = memo_id(c).unwrap_or_else(|| panic!("{ctx}: the memo holds no key"));
    assert!(
        moto_keys(user).contains(&(id.clone(), true)),
        "{ctx}: memo key {id} not active: {:?}",
        moto_keys(user)
    );
    let secret = c.memo_get("2-4", SECRET_KEY);
    assert_eq!(moto_secret(&id).as_deref(), Some(secret.as_str()), "{ctx}");
    id
}

#[derive(Clone, Copy, Debug)]
enum Scenario {
    /// A user without keys: a plain issue.
    Fresh,
    /// A user with 2 keys, none in the memo: one is retired to make room.
    TwoKeys,
    /// `--rotate` with 2 keys, one of them the memo's.
    Rotate,
}

/// One stall: kill at it, run the next command, follow its advice, rerun plainly, check.
fn stall_case(sc: Scenario, action: &'static str, nth: usize) {
    let ctx = format!("{sc:?}, stalled at {action} #{nth}");
    let c = course();
    let user = new_user("stall");
    let mut args = vec!["issue-key", "2-4", "--user", &user, "--yes"];
    // Keys that must stay as they are, active.
    let mut keep: Vec<String> = Vec::new();
    match sc {
        Scenario::Fresh => {}
        Scenario::TwoKeys => {
            let a = key_by_hand(&user);
            key_by_hand(&user);
            use_key(&a); // the other one is the least recently used: retired
            keep.push(a);
        }
        Scenario::Rotate => {
            c.ok(&["issue-key", "2-4", "--user", &user]);
            key_by_hand(&user);
            args.push("--rotate");
        }
    }
    let stall = kill_at_stall(&c, &args, action, nth);
    let pending = std::fs::read_to_string(c.file(".labnote/pending-key.yaml")).unwrap_or_default();
    let ctx = format!("{ctx} (pending file: {pending})");
    // Whatever the instant, the memo's key (if any yet) is active right now (read without
    // running labnote, which would recover).
    if let Some(id) = memo_id(&c) {
        assert!(
            moto_keys(&user).contains(&(id.clone(), true)),
            "{ctx}: right after the kill, the memo's key {id} is not active"
        );
    }
    let next = c.run(&["labs"]);
    assert_eq!(next.code, 0, "{ctx}: {}", next.text());
    assert!(
        next.stderr.contains("interrupted"),
        "{ctx}: {}",
        next.text()
    );
    let advice = follow_advice(&c, &next.stderr);
    let rerun = c.run(&["issue-key", "2-4", "--user", &user, "--yes"]);
    assert_eq!(rerun.code, 0, "{ctx}: {}", rerun.text());
    assert!(!c.file(".labnote/pending-key.yaml").exists(), "{ctx}");

    let said = format!("{}{advice}{}", next.text(), rerun.text());
    let ctx = format!("{ctx}:\n{said}");
    let id = assert_memo_key_works(&c, &user, &ctx);
    let keys = moto_keys(&user);
    for k in &keep {
        assert!(keys.contains(&(k.clone(), true)), "{ctx}: {k} was touched");
    }
    let made = stall.created.lock().unwrap().clone();
    assert!(!made.is_empty() || action != "CreateAccessKey", "{ctx}");
    for k in made.iter().chain(key_ids(&user).iter()) {
        assert!(
            *k == id || keep.contains(k) || !key_ids(&user).contains(k) || said.contains(k),
            "{ctx}: key {k} is left unnamed ({keys:?})"
        );
    }
}

#[test]
fn stalled_plain_issue_for_a_user_without_keys() {
    stall_case(Scenario::Fresh, "CreateAccessKey", 0);
}

#[test]
fn stalled_plain_issue_for_a_user_with_two_keys() {
    for (action, nth) in [
        ("UpdateAccessKey", 0),
        ("DeleteAccessKey", 0),
        ("CreateAccessKey", 0),
    ] {
        stall_case(Scenario::TwoKeys, action, nth);
    }
}

#[test]
fn stalled_rotation_with_two_keys() {
    for (action, nth) in [
        ("UpdateAccessKey", 0),
        ("DeleteAccessKey", 0),
        ("CreateAccessKey", 0),
        ("UpdateAccessKey", 1),
        ("DeleteAccessKey", 1),
    ] {
        stall_case(Scenario::Rotate, action, nth);
    }
}

/// A plain issue for `user` killed once IAM carried out its CreateAccessKey: the id of the
/// key whose secret never reached labnote.
fn interrupted_create(c: &Course, user: &str) -> String {
    let stall = kill_at_stall(
        c,
        &["issue-key", "2-4", "--user", user],
        "CreateAccessKey",
        0,
    );
    let ours = stall.created.lock().unwrap()[0].clone();
    ours
}

/// Sleep until IAM's deadline recorded in the pending file has passed.
fn wait_past_deadline(c: &Course) {
    let text = std::fs::read_to_string(c.file(".labnote/pending-key.yaml")).unwrap();
    let p: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let deadline: jiff::Timestamp = p["deadline"].as_str().unwrap().parse().unwrap();
    // moto's clock is this machine's.
    let left = deadline.duration_since(jiff::Timestamp::now()).as_millis() + 1500;
    std::thread::sleep(Duration::from_millis(left.max(0) as u64));
}

#[test]
fn a_key_made_by_hand_after_an_interrupted_issue_is_never_touched() {
    let c = course();
    let user = new_user("byhand");
    let ours = interrupted_create(&c, &user);
    // The student makes a key in the console 15 s later.
    std::thread::sleep(Duration::from_secs(15));
    let by_hand = key_by_hand(&user);
    let r = c.ok(&["labs"]);
    assert!(
        r.stderr.contains(&format!("created access key {ours}")),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("was deleted"), "{}", r.text());
    assert_eq!(moto_keys(&user), [(by_hand.clone(), true)], "{}", r.text());
    let r = c.ok(&["issue-key", "2-4", "--user", &user]);
    let id = assert_memo_key_works(&c, &user, &r.text());
    let mut want = vec![by_hand, id];
    want.sort();
    assert_eq!(key_ids(&user), want);
}

#[test]
fn a_key_another_course_saved_meanwhile_is_never_touched() {
    // Saved after the interrupted create's deadline: ours alone is deleted.
    let a = course();
    let b = course();
    let user = new_user("twocourses");
    let ours = interrupted_create(&a, &user);
    wait_past_deadline(&a);
    b.ok(&["issue-key", "2-4", "--user", &user]);
    let theirs = assert_memo_key_works(&b, &user, "course B");
    let r = a.ok(&["labs"]);
    assert!(r.stderr.contains(&ours), "{}", r.text());
    assert_eq!(moto_keys(&user), [(theirs.clone(), true)], "{}", r.text());
    assert_memo_key_works(&b, &user, "course B, after A's recovery");

    // Saved within the window, while ours exists too: either could be the lost one, so
    // neither is deleted and both are named, with a command to check them that works.
    let a = course();
    let b = course();
    let user = new_user("twocourses");
    let ours = interrupted_create(&a, &user);
    b.ok(&["issue-key", "2-4", "--user", &user]);
    let theirs = assert_memo_key_works(&b, &user, "course B");
    let r = a.ok(&["labs"]);
    assert!(
        r.stderr.contains(&ours) && r.stderr.contains(&theirs),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("deleted none"), "{}", r.text());
    let mut both = vec![(ours.clone(), true), (theirs.clone(), true)];
    both.sort();
    assert_eq!(moto_keys(&user), both, "{}", r.text());
    let listed = follow_advice(&a, &r.stderr);
    assert!(listed.contains("list-access-keys"), "{listed}");
    assert!(
        listed.contains(&ours) && listed.contains(&theirs),
        "{listed}"
    );
    assert_memo_key_works(&b, &user, "course B, after A's recovery");
    assert!(!a.file(".labnote/pending-key.yaml").exists());
}

#[test]
fn credential_process_answers_from_the_memo_while_an_issuance_waits() {
    let c = course();
    let user = new_user("credproc");
    c.ok(&["issue-key", "2-4", "--user", &user]);
    let key = memo_id(&c).unwrap();
    let stall = kill_at_stall(
        &c,
        &["issue-key", "2-4", "--user", &user, "--rotate", "--yes"],
        "CreateAccessKey",
        0,
    );
    let ours = stall.created.lock().unwrap()[0].clone();
    let asked = stall.requests.load(Ordering::SeqCst);
    let r = c.run(&["credential-process"]);
    assert_eq!(r.code, 0, "{}", r.text());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    assert_eq!(v["AccessKeyId"], key.as_str());
    assert_eq!(v["SecretAccessKey"].as_str(), moto_secret(&key).as_deref());
    assert!(r.stderr.contains("interrupted"), "{}", r.text());
    // No request to IAM, and the recovery is left for later.
    assert_eq!(stall.requests.load(Ordering::SeqCst), asked);
    assert!(c.file(".labnote/pending-key.yaml").exists());
    assert!(key_ids(&user).contains(&ours));
    // The command it names finishes the recovery.
    let done = follow_advice(&c, &r.stderr);
    assert!(done.contains("was deleted"), "{done}");
    assert!(!c.file(".labnote/pending-key.yaml").exists());
    assert_eq!(moto_keys(&user), [(key, true)]);
}
