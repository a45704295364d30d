//! `labnote issue-key` and `labnote export-csv`, end to end: the real binary against a real
//! moto server (IAM + STS), plus tiny loopback servers for what moto cannot do (silence,
//! refused connections, throttling, 5xx, access denied, a lost CreateAccessKey response).
//!
//! Every test has its own course folder, identity and IAM user(s), so the tests run in
//! parallel against one shared moto. The binary runs with a cleared environment: nothing of
//! the machine's AWS configuration (or HOME) can leak in.

use crate::course;
use crate::moto;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use course::{crate_path, Course, Run};
use labnote::iam::Iam;
use moto::{
    block_on, error_xml, key_ids, moto_keys, moto_secret, read_request, serve, silent_server,
    unique_name, Moto,
};

const LAB: &str = "day2/lab4-aws-access-key.md";
const SECRET_KEY: &str = "AWS Secret Access key";

// ---------------------------------------------------------------------------------------
// moto side: set up and inspect IAM state independently of the code under test

fn new_user(prefix: &str) -> String {
    let user = unique_name(prefix);
    block_on(Moto::get().create_user(&user));
    user
}

/// (id, secret) of a key created directly on moto.
fn moto_create_key(user: &str) -> (String, String) {
    block_on(Moto::get().create_key(user))
}

fn moto_deactivate(user: &str, id: &str) {
    block_on(
        Moto::get()
            .iam_client()
            .update_access_key()
            .user_name(user)
            .access_key_id(id)
            .status(aws_sdk_iam::types::StatusType::Inactive)
            .send(),
    )
    .expect("deactivate on moto");
}

/// One request signed with `id`: moto records it as the key's last use.
fn use_key(id: &str) {
    block_on(async {
        let iam = Iam::connect(&Moto::get().options_with_key(id, "any"))
            .await
            .unwrap();
        iam.caller().await.unwrap();
    });
}

/// The user name STS reports for requests signed with `id` (moto maps keys to users).
fn caller_user(id: &str, secret: &str) -> Option<String> {
    block_on(async {
        let iam = Iam::connect(&Moto::get().options_with_key(id, secret))
            .await
            .unwrap();
        iam.caller().await.unwrap().user_name
    })
}

fn user_tags(user: &str) -> Vec<(String, String)> {
    let out = block_on(
        Moto::get()
            .iam_client()
            .list_user_tags()
            .user_name(user)
            .send(),
    )
    .expect("list user tags");
    out.tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// the course side: a temporary course, identity and AWS configuration

/// The issue-key tests' courses: the SDK pointed at moto (and nothing of the machine's AWS
/// configuration), an identity.
trait IssueKeyCourse {
    /// A copy of the bundled course (`labs/`), with the bundled lab 2-4.
    fn bundled() -> Self;
    /// The bundled course with its lab 2-4 naming no student user (`(수강생 : mspuser )`),
    /// so that without --user the user is the caller.
    fn bundled_without_student_user() -> Self;
    /// A course holding only the given fixtures of tests/fixtures.
    fn with_fixtures(files: &[&str]) -> Self;
    /// `labnote issue-key 2-4 --user USER EXTRA…`
    fn issue(&self, user: &str, extra: &[&str]) -> Run;
    fn pending(&self) -> PathBuf;
    /// The memo's access key id, read from the lab file (no labnote run, no recovery).
    fn memo_id(&self, rel: &str) -> Option<String>;
    /// `labnote memo get "AWS Secret Access key" --lab LAB`.
    fn secret(&self, lab: &str) -> String;
}

impl IssueKeyCourse for Course {
    fn bundled() -> Course {
        let c = Course::empty()
            .with_aws(Moto::get().sdk_env())
            .with_bundled_labs();
        c.init();
        c
    }

    fn bundled_without_student_user() -> Course {
        let c = Course::bundled();
        let lab = c.file(LAB);
        let text = std::fs::read_to_string(&lab).unwrap();
        let unnamed = text.replace("(수강생 : mspuser )", "(수강생)");
        assert_ne!(text, unnamed, "lab 2-4 no longer names its student user");
        std::fs::write(&lab, &unnamed).unwrap();
        // What `assert_pristine` compares with.
        std::fs::write(c.root.join(ARRANGED), unnamed).unwrap();
        c
    }

    fn with_fixtures(files: &[&str]) -> Course {
        let c = Course::empty()
            .with_aws(Moto::get().sdk_env())
            .with_fixture_files(files);
        c.init();
        c
    }

    fn issue(&self, user: &str, extra: &[&str]) -> Run {
        let mut args = vec!["issue-key", "2-4", "--user", user];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn pending(&self) -> PathBuf {
        self.file(".labnote/pending-key.yaml")
    }

    fn memo_id(&self, rel: &str) -> Option<String> {
        course::noted_key_id(&self.file(rel))
    }

    fn secret(&self, lab: &str) -> String {
        self.memo_get(lab, SECRET_KEY)
    }
}

/// Issue a key for a fresh `user` and check the invariant: the user's only key (besides
/// `others`) is the memo's, active, and `memo get` returns exactly moto's secret for it.
fn assert_saved(c: &Course, user: &str, others: &[&str]) -> (String, String) {
    let id = c.memo_id(LAB).expect("memo holds the key id");
    let keys = moto_keys(user);
    assert!(
        keys.contains(&(id.clone(), true)),
        "memo key {id} is not an active key of {user}: {keys:?}"
    );
    let mut expected: Vec<String> = others.iter().map(|s| s.to_string()).collect();
    expected.push(id.clone());
    expected.sort();
    assert_eq!(key_ids(user), expected);
    let secret = c.secret("2-4");
    assert_eq!(secret.len(), 40, "{secret}");
    assert_eq!(moto_secret(&id).as_deref(), Some(secret.as_str()));
    assert!(!c.pending().exists());
    (id, secret)
}

/// The labs that the runs must never have touched are byte-identical to the bundled ones.
/// The lab 2-4 a test arranged, when it is not the bundled one (in the course's ROOT).
const ARRANGED: &str = "lab-2-4-arranged.md";

fn assert_pristine(c: &Course) {
    assert_eq!(
        c.lab_bytes(LAB),
        std::fs::read(c.root.join(ARRANGED))
            .or_else(|_| std::fs::read(crate_path(&format!("labs/{LAB}"))))
            .unwrap(),
        "the lab changed"
    );
    assert!(!c.pending().exists(), "a pending file was left");
    assert!(c.events("issued-key").is_empty());
}

// ---------------------------------------------------------------------------------------
// issuing

#[test]
fn fresh_user_key_is_saved_encrypted_and_works() {
    let c = Course::bundled();
    let user = new_user("fresh");
    let r = c.issue(&user, &[]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (id, secret) = assert_saved(&c, &user, &[]);
    assert!(
        r.stdout.contains(&format!("new key   {id}")),
        "{}",
        r.text()
    );
    assert!(r.stdout.contains(&user), "{}", r.text());

    // The lab holds the id in clear and the secret only encrypted.
    let text = String::from_utf8(c.lab_bytes(LAB)).unwrap();
    assert!(
        text.contains(&format!("_<< AWS Access Key ID>>_ : {id}  \n")),
        "{text}"
    );
    assert!(
        text.contains("_<< AWS Secret Access key>>_ : `age:"),
        "{text}"
    );
    assert!(!text.contains(&secret));

    // The secret works: requests signed with the key are the user's.
    assert_eq!(caller_user(&id, &secret).as_deref(), Some(user.as_str()));

    // The console's CSV, mode 0600, never overwritten without --force.
    let csv = c.root.join("key.csv");
    let out = csv.display().to_string();
    c.ok(&["export-csv", "--lab", "2-4", "--out", &out]);
    let expected = format!("Access key ID,Secret access key\n{id},{secret}\n");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), expected);
    let mode = std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    std::fs::write(&csv, "mine").unwrap();
    let r = c.run(&["export-csv", "--out", &out]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(
        r.stderr.contains(&out) || r.stderr.contains("exists"),
        "{}",
        r.text()
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "mine");
    // Without --lab: the latest key noted in the course.
    c.ok(&["export-csv", "--out", &out, "--force"]);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), expected);
    assert!(!c
        .ok(&["export-csv", "--out", &out, "--force"])
        .stdout
        .contains(&secret));
}

#[test]
fn user_with_one_key_gets_a_second_and_nothing_is_retired() {
    let c = Course::bundled();
    let user = new_user("one");
    let (old, _) = moto_create_key(&user);
    let r = c.issue(&user, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (id, _) = assert_saved(&c, &user, &[&old]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    assert_eq!(v["access_key_id"], id.as_str());
    assert_eq!(v["user"], user.as_str());
    assert_eq!(v["created"], true);
    assert_eq!(v["retired"], serde_json::json!([]));
    assert!(moto_keys(&user).iter().all(|(_, active)| *active));
}

#[test]
fn two_keys_the_inactive_one_is_retired() {
    let c = Course::bundled();
    let user = new_user("inactive");
    let (a, _) = moto_create_key(&user);
    let (b, _) = moto_create_key(&user);
    use_key(&a); // a is used, b never: only the inactive rule makes a the one.
    moto_deactivate(&user, &a);
    let r = c.issue(&user, &["--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (id, _) = assert_saved(&c, &user, &[&b]);
    assert!(r.stdout.contains(&format!("retired   {a}")), "{}", r.text());
    // The table shown before retiring marks the chosen key.
    assert!(r.stderr.contains(&format!("→ {a}")), "{}", r.text());
    let rec = &c.events("issued-key")[0];
    assert_eq!(rec["details"]["access_key_id"].as_str(), Some(id.as_str()));
    assert_eq!(
        rec["details"]["retired"].as_str(),
        Some(a.as_str()),
        "{rec:?}"
    );
}

#[test]
fn two_active_keys_the_least_recently_used_is_retired() {
    let c = Course::bundled();
    let user = new_user("lru");
    let (a, _) = moto_create_key(&user);
    let (b, _) = moto_create_key(&user);
    // b is used first, a later: b is the least recently used although a is older.
    use_key(&b);
    std::thread::sleep(Duration::from_millis(50));
    use_key(&a);
    let r = c.issue(&user, &["--yes", "--json"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_saved(&c, &user, &[&a]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    assert_eq!(v["retired"], serde_json::json!([b]));
}

#[test]
fn the_callers_own_signing_key_is_never_retired() {
    let mut c = Course::bundled_without_student_user();
    let user = new_user("signing");
    let (a, a_secret) = moto_create_key(&user);
    let (b, _) = moto_create_key(&user);
    // labnote signs with a, which the rules alone would retire (it is inactive; moto still
    // accepts it). No --user: the user is the caller, found through STS.
    moto_deactivate(&user, &a);
    c.set_env("AWS_ACCESS_KEY_ID", &a);
    c.set_env("AWS_SECRET_ACCESS_KEY", &a_secret);
    let r = c.run(&["issue-key", "2-4", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stdout.contains(&format!("user      {user}")),
        "{}",
        r.text()
    );
    assert!(r.stdout.contains(&format!("retired   {b}")), "{}", r.text());
    assert_saved(&c, &user, &[&a]);
}

#[test]
fn a_key_noted_in_a_memo_is_not_retired_automatically() {
    let c = Course::bundled();
    let user = new_user("noted");
    let (a, _) = moto_create_key(&user);
    let (b, _) = moto_create_key(&user);
    moto_deactivate(&user, &a);
    // Another lab's memo notes a (a value looking like an access key id): b goes instead,
    // though a is the inactive one.
    c.ok(&["memo", "set", "2-3", "github_username", &a]);
    let r = c.issue(&user, &["--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains(&format!("retired   {b}")), "{}", r.text());
    assert_saved(&c, &user, &[&a]);
}

#[test]
fn without_yes_and_without_a_terminal_nothing_changes() {
    let c = Course::bundled();
    let user = new_user("noyes");
    moto_create_key(&user);
    moto_create_key(&user);
    let before = moto_keys(&user);
    let r = c.issue(&user, &[]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("--yes"), "{}", r.text());
    assert!(r.stderr.contains("no key was created"), "{}", r.text());
    assert_eq!(moto_keys(&user), before);
    assert_pristine(&c);
}

#[test]
fn rerun_is_idempotent() {
    let c = Course::bundled();
    let user = new_user("rerun");
    c.issue(&user, &[]);
    let (id, secret) = assert_saved(&c, &user, &[]);
    let lab = c.lab_bytes(LAB);
    let journal = c.journal_text();
    let r = c.issue(&user, &[]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains("nothing changed"), "{}", r.text());
    assert!(r.stdout.contains(&id), "{}", r.text());
    assert_eq!(c.lab_bytes(LAB), lab);
    assert_eq!(c.journal_text(), journal);
    assert_eq!(key_ids(&user), [id]);
    assert_eq!(c.secret("2-4"), secret);
    assert!(!c.pending().exists());
}

#[test]
fn a_noted_key_without_its_secret_is_replaced() {
    let c = Course::bundled();
    let user = new_user("nosecret");
    c.issue(&user, &[]);
    let (old, _) = assert_saved(&c, &user, &[]);
    // The secret was lost (emptied): the noted key is useless, so a rerun replaces it.
    let r = c.run(&["memo", "unset", "2-4", "AWS Secret Access key"]);
    assert_eq!(r.code, 0, "{}", r.text());
    let r = c.issue(&user, &["--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("not its secret"), "{}", r.text());
    let (new, _) = assert_saved(&c, &user, &[]);
    assert_ne!(new, old);
    assert_eq!(key_ids(&user), std::slice::from_ref(&new));
}

#[test]
fn rotate_issues_a_new_key_and_retires_the_old_one() {
    let c = Course::bundled();
    let user = new_user("rotate");
    c.issue(&user, &[]);
    let (old, old_secret) = assert_saved(&c, &user, &[]);

    // Retiring needs a confirmation: without --yes and a terminal, nothing happens.
    let lab = c.lab_bytes(LAB);
    let r = c.issue(&user, &["--rotate"]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert_eq!(c.lab_bytes(LAB), lab);
    assert_eq!(key_ids(&user), std::slice::from_ref(&old));
    assert!(!c.pending().exists());

    let r = c.issue(&user, &["--rotate", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (new, new_secret) = assert_saved(&c, &user, &[]);
    assert_ne!(new, old);
    assert_ne!(new_secret, old_secret);
    assert!(
        r.stdout.contains(&format!("retired   {old}")),
        "{}",
        r.text()
    );
    let issued = c.events("issued-key");
    assert_eq!(issued.len(), 2);
    assert_eq!(
        issued[1]["details"]["access_key_id"].as_str(),
        Some(new.as_str())
    );
    assert_eq!(issued[1]["details"]["retired"].as_str(), Some(old.as_str()));
}

#[test]
fn rotate_with_two_keys_makes_room_first_and_retires_the_memo_key_last() {
    let c = Course::bundled();
    let user = new_user("rotate2");
    let (other, _) = moto_create_key(&user);
    c.issue(&user, &[]);
    let (old, _) = assert_saved(&c, &user, &[&other]);
    // The memo's key must work until the new one is saved: `other` makes room first, the
    // memo's key is retired last.
    let (url, _, log) = lossy_proxy(LostAnswer::Never);
    let r = c.issue(&user, &["--rotate", "--yes", "--endpoint-url", &url]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (new, _) = assert_saved(&c, &user, &[]);
    assert_ne!(new, old);
    assert!(
        r.stdout.contains(&format!("retired   {other}, {old}")),
        "{}",
        r.text()
    );
    let log = log.lock().unwrap();
    let at = |action: &str, id: &str| {
        log.iter()
            .position(|b| b.contains(&format!("Action={action}")) && b.contains(id))
            .unwrap_or_else(|| panic!("no {action} of {id}: {log:#?}"))
    };
    let create = log
        .iter()
        .position(|b| b.contains("Action=CreateAccessKey"))
        .unwrap();
    assert!(at("DeleteAccessKey", &other) < create, "{log:#?}");
    assert!(create < at("UpdateAccessKey", &old), "{log:#?}");
}

#[test]
fn description_becomes_a_user_tag_named_after_the_key() {
    let c = Course::bundled();
    let user = new_user("desc");
    let description = "labnote 실습 2일차";
    let r = c.issue(&user, &["--description", description]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (id, _) = assert_saved(&c, &user, &[]);
    assert_eq!(user_tags(&user), [(id, description.to_owned())]);
}

#[test]
fn the_user_comes_from_course_yaml() {
    let c = Course::bundled();
    let user = new_user("yaml");
    std::fs::write(
        c.course.join("course.yaml"),
        format!("labs:\n  \"2-4\": {{ iam_user: {user} }}\n"),
    )
    .unwrap();
    // No --user, and the caller (moto's default identity) is someone else.
    let r = c.run(&["issue-key", "2-4"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stdout.contains(&format!("user      {user}")),
        "{}",
        r.text()
    );
    assert_saved(&c, &user, &[]);
}

#[test]
fn unknown_user_is_reported_and_nothing_changes() {
    let c = Course::bundled();
    let ghost = unique_name("ghost");
    let r = c.issue(&ghost, &[]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains(&ghost), "{}", r.text());
    assert!(r.stderr.contains("does not exist"), "{}", r.text());
    assert_pristine(&c);
}

#[test]
fn the_course_lab_format_as_is() {
    let file = "ref-2-4-access-key.md";
    let c = Course::with_fixtures(&[file]);
    let user = new_user("ref");
    let before = c.lab_bytes(file);
    let r = c.issue(&user, &[]);
    assert_eq!(r.code, 0, "{}", r.text());
    let id = c.memo_id(file).expect("memo holds the id");
    assert_eq!(key_ids(&user), std::slice::from_ref(&id));
    let secret = c.secret("2-4");
    assert_eq!(moto_secret(&id).as_deref(), Some(secret.as_str()));

    // Only the two memo lines changed, each keeping its own prefix and hard break.
    let after = String::from_utf8(c.lab_bytes(file)).unwrap();
    let before = String::from_utf8(before).unwrap();
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(a.len(), b.len());
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert_eq!(changed.len(), 2, "{after}");
    let (i, j) = (changed[0], changed[1]);
    assert_eq!(a[i], format!("> ➕ _<< AWS Access Key ID>>_ : {id}  "));
    assert!(
        a[j].starts_with(" ➕ _<< AWS Secret Access key>>_ : `age:")
            || a[j].starts_with(">  ➕ _<< AWS Secret Access key>>_ : `age:"),
        "{}",
        a[j]
    );
    assert!(after.ends_with('\n') == before.ends_with('\n'));

    // Steps 4 (Create access key) and 5 (저장) are done.
    let done: Vec<String> = c
        .events("done")
        .iter()
        .map(|r| r["step"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(done, ["4", "5"]);
    let steps = c.ok(&["steps", "2-4", "--json"]);
    assert!(
        steps.stdout.contains("Create access key"),
        "{}",
        steps.stdout
    );
}

#[test]
fn a_lab_without_access_key_entries_is_a_clear_error() {
    let file = "ref-2-3-github.md";
    let c = Course::with_fixtures(&[file]);
    let user = new_user("nomemo");
    let before = c.lab_bytes(file);
    let r = c.run(&["issue-key", "2-3", "--user", &user]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(
        r.stderr.contains("no memo entries for an access key"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("Access Key ID"), "{}", r.text());
    assert_eq!(c.lab_bytes(file), before);
    assert!(key_ids(&user).is_empty());
    assert!(!c.pending().exists());
}

#[test]
fn journal_records_the_issuance_and_the_done_steps() {
    let c = Course::bundled();
    let user = new_user("journal");
    let r = c.issue(&user, &[]);
    assert_eq!(r.code, 0, "{}", r.text());
    let (id, _) = assert_saved(&c, &user, &[]);
    let issued = c.events("issued-key");
    assert_eq!(issued.len(), 1, "{issued:?}");
    let rec = &issued[0];
    assert_eq!(rec["lab"].as_str(), Some("2-4"));
    assert_eq!(rec["step"].as_str(), Some("4"));
    assert_eq!(rec["details"]["user"].as_str(), Some(user.as_str()));
    assert_eq!(rec["details"]["access_key_id"].as_str(), Some(id.as_str()));
    let created = rec["details"]["created"].as_str().expect("created");
    assert!(created.parse::<jiff::Timestamp>().is_ok(), "{created}");
    assert!(rec["details"].get("retired").is_none(), "{rec:?}");
    let done: Vec<(String, String)> = c
        .events("done")
        .iter()
        .map(|r| {
            (
                r["lab"].as_str().unwrap().to_owned(),
                r["step"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        done,
        [("2-4".into(), "4".into()), ("2-4".into(), "5".into())]
    );
    // The progress view agrees: exactly steps 4 and 5 are done.
    let steps = c.steps("2-4");
    let done: Vec<&str> = steps
        .iter()
        .filter(|s| s["done"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(done, ["4", "5"]);
}

#[test]
fn the_secret_never_reaches_the_journal_or_the_output() {
    let c = Course::bundled();
    let user = new_user("leak");
    let mut outputs = Vec::new();
    let r = c.issue(&user, &["-v", "--description", "leak test"]);
    assert_eq!(r.code, 0, "{}", r.text());
    outputs.push(r.text());
    let (_, first) = assert_saved(&c, &user, &[]);
    let r = c.issue(&user, &["--rotate", "--yes", "--json"]);
    assert_eq!(r.code, 0, "{}", r.text());
    outputs.push(r.text());
    let (_, second) = assert_saved(&c, &user, &[]);
    outputs.push(c.ok(&["memo", "list"]).text());
    outputs.push(c.ok(&["log"]).text());
    let journal = c.journal_text();
    assert!(journal.contains("issued-key"));
    let lab = String::from_utf8(c.lab_bytes(LAB)).unwrap();
    for secret in [&first, &second] {
        assert!(!journal.contains(secret.as_str()), "secret in the journal");
        assert!(!lab.contains(secret.as_str()), "secret in the lab");
        for o in &outputs {
            assert!(!o.contains(secret.as_str()), "secret in the output:\n{o}");
        }
    }
    // No file of the course state holds it either.
    for e in std::fs::read_dir(c.course.join(".labnote")).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(first.as_str()) && !text.contains(second.as_str()));
    }
}

// ---------------------------------------------------------------------------------------
// failures: each is a clear message, a non-zero exit, and nothing changed

/// Run issue-key against `url`; assert a failure with nothing changed; return the run.
fn failing_issue(c: &Course, url: &str, user: &str) -> Run {
    let r = c.issue(user, &["--endpoint-url", url]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("labnote: error:"), "{}", r.text());
    assert!(r.stdout.is_empty(), "{}", r.text());
    assert_pristine(c);
    r
}

#[test]
fn a_server_that_never_answers_times_out_in_seconds() {
    let url = silent_server();
    let c = Course::bundled();
    let r = failing_issue(&c, &url, "mspuser");
    assert!(r.stderr.contains("timed out"), "{}", r.text());
    assert!(r.stderr.contains("iam:ListAccessKeys"), "{}", r.text());
    assert!(r.elapsed < Duration::from_secs(15), "took {:?}", r.elapsed);
}

#[test]
fn throttling_is_retried_then_reported() {
    let (url, hits) = serve(|_| {
        Some((
            "400 Bad Request",
            error_xml("Sender", "Throttling", "Rate exceeded"),
        ))
    });
    let c = Course::bundled();
    let r = failing_issue(&c, &url, "mspuser");
    assert!(r.stderr.contains("throttling"), "{}", r.text());
    assert_eq!(hits.load(Ordering::SeqCst), 3, "three attempts");
}

#[test]
fn internal_failure_is_retried_then_reported() {
    let (url, hits) = serve(|_| {
        Some((
            "500 Internal Server Error",
            error_xml("Receiver", "InternalFailure", "Internal failure"),
        ))
    });
    let c = Course::bundled();
    let r = failing_issue(&c, &url, "mspuser");
    assert!(r.stderr.contains("InternalFailure"), "{}", r.text());
    assert!(r.stderr.contains("try again"), "{}", r.text());
    assert_eq!(hits.load(Ordering::SeqCst), 3, "three attempts");
}

#[test]
fn access_denied_names_the_actions() {
    let (url, _) = serve(|_| {
        Some((
            "403 Forbidden",
            error_xml("Sender", "AccessDenied", "not authorized"),
        ))
    });
    let c = Course::bundled();
    let r = failing_issue(&c, &url, "mspuser");
    assert!(r.stderr.contains("access denied"), "{}", r.text());
    for action in [
        "iam:ListAccessKeys",
        "iam:CreateAccessKey",
        "iam:DeleteAccessKey",
    ] {
        assert!(r.stderr.contains(action), "{action}: {}", r.text());
    }
}

const LIST_NO_KEYS: &str =
    "<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
    <ListAccessKeysResult><AccessKeyMetadata/><IsTruncated>false</IsTruncated>\
    </ListAccessKeysResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
    </ListAccessKeysResponse>";

#[test]
fn limit_exceeded_at_create_is_reported_and_leaves_nothing() {
    // The list shows no key, but the create hits the limit (a key made meanwhile).
    let (url, _) = serve(|body| {
        if body.contains("Action=ListAccessKeys") {
            Some(("200 OK", LIST_NO_KEYS.to_owned()))
        } else {
            Some((
                "409 Conflict",
                error_xml("Sender", "LimitExceeded", "Cannot exceed quota"),
            ))
        }
    });
    let c = Course::bundled();
    let r = failing_issue(&c, &url, "mspuser");
    assert!(
        r.stderr.contains("maximum of 2 access keys"),
        "{}",
        r.text()
    );
}

#[test]
fn refused_connection_is_reported() {
    let url = format!("http://127.0.0.1:{}", moto::free_port());
    let c = Course::bundled();
    let r = failing_issue(&c, &url, "mspuser");
    assert!(r.stderr.contains("could not connect"), "{}", r.text());
    assert!(r.stderr.contains(&url), "{}", r.text());
    assert!(r.elapsed < Duration::from_secs(15), "took {:?}", r.elapsed);
}

#[test]
fn invalid_endpoint_url_is_reported() {
    let c = Course::bundled();
    let r = failing_issue(&c, "not a url", "mspuser");
    assert!(r.stderr.contains("invalid endpoint URL"), "{}", r.text());
    assert!(r.stderr.contains("http://127.0.0.1:5000"), "{}", r.text());
}

#[test]
fn no_credentials_is_fast_and_clear() {
    let mut c = Course::bundled();
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ENDPOINT_URL",
    ] {
        c.unset_env(k);
    }
    for extra in [&[][..], &["--endpoint-url", "https://127.0.0.1:9"][..]] {
        let r = c.issue("mspuser", extra);
        assert_ne!(r.code, 0, "{}", r.text());
        assert!(
            r.stderr.contains("no AWS credentials found"),
            "{}",
            r.text()
        );
        assert!(r.stderr.contains("aws configure"), "{}", r.text());
        assert!(r.elapsed < Duration::from_secs(4), "took {:?}", r.elapsed);
        assert_pristine(&c);
    }
}

// ---------------------------------------------------------------------------------------
// (b): the key exists but the lab cannot be written

/// Ways to make the lab write fail, also as root (who ignores file modes): the course's
/// lab lock is a folder (always possible), and the lab is immutable (`chattr +i`, where the
/// filesystem and privileges allow it). Each returns how to undo it.
type Blocker = (&'static str, fn(&Course) -> bool, fn(&Course));

fn block_with_lock_dir(c: &Course) -> bool {
    std::fs::create_dir_all(c.course.join(".labnote/labs.lock")).unwrap();
    true
}

fn unblock_lock_dir(c: &Course) {
    std::fs::remove_dir(c.course.join(".labnote/labs.lock")).unwrap();
}

fn block_with_chattr(c: &Course) -> bool {
    Command::new("chattr")
        .arg("+i")
        .arg(c.file(LAB))
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn unblock_chattr(c: &Course) {
    // No assertion here: this also runs while unwinding from a failed assertion.
    let _ = Command::new("chattr").arg("-i").arg(c.file(LAB)).status();
}

#[test]
fn an_unwritable_lab_keeps_the_key_pending_until_the_next_command() {
    let blockers: [Blocker; 2] = [
        ("lock folder", block_with_lock_dir, unblock_lock_dir),
        ("immutable lab", block_with_chattr, unblock_chattr),
    ];
    let mut exercised = 0;
    for (what, block, unblock) in blockers {
        let c = Course::bundled();
        let user = new_user("pending");
        if !block(&c) {
            eprintln!("{what}: not possible here (chattr needs root and ext4/xfs)");
            continue;
        }
        exercised += 1;
        let lab = c.lab_bytes(LAB);
        let r = c.issue(&user, &[]);
        let unblock_guard = scopeguard(|| unblock(&c));
        assert_ne!(r.code, 0, "{what}: {}", r.text());
        // The key exists, and its secret is only in the pending file, encrypted.
        let ids = key_ids(&user);
        assert_eq!(ids.len(), 1, "{what}: {ids:?}");
        let id = &ids[0];
        let secret = moto_secret(id).unwrap();
        assert!(
            r.stderr.contains(&format!("access key {id}")),
            "{what}: {}",
            r.text()
        );
        assert!(r.stderr.contains("saved encrypted"), "{what}: {}", r.text());
        assert!(
            r.stderr.contains("run any labnote command"),
            "{what}: {}",
            r.text()
        );
        assert!(!r.text().contains(&secret));
        assert_eq!(c.lab_bytes(LAB), lab, "{what}");
        let pending = std::fs::read_to_string(c.pending()).expect("pending file");
        let mode = std::fs::metadata(c.pending()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{what}: {mode:o}");
        let p: serde_yaml::Value = serde_yaml::from_str(&pending).unwrap();
        assert_eq!(p["stage"].as_str(), Some("created"), "{pending}");
        assert_eq!(p["key_id"].as_str(), Some(id.as_str()), "{pending}");
        assert_eq!(p["user"].as_str(), Some(user.as_str()), "{pending}");
        assert!(
            p["secret"].as_str().unwrap().starts_with("age:"),
            "{pending}"
        );
        assert!(!pending.contains(&secret), "plaintext in the pending file");

        // While the cause remains, another command warns and keeps the pending key.
        let r = c.ok(&["labs"]);
        assert!(r.stderr.contains("warning"), "{what}: {}", r.text());
        assert!(c.pending().exists());

        // Fixed: the next command finishes the memo write and says so.
        drop(unblock_guard);
        let r = c.ok(&["labs"]);
        assert!(
            r.stderr.contains("finished an interrupted issue-key"),
            "{what}: {}",
            r.text()
        );
        assert!(r.stderr.contains(id.as_str()), "{what}: {}", r.text());
        assert!(!c.pending().exists(), "{what}");
        assert_saved(&c, &user, &[]);
        assert_eq!(c.secret("2-4"), secret);
        assert_eq!(c.events("issued-key").len(), 1, "{what}");
        // And it stays done: nothing more happens on the next command.
        let r = c.ok(&["labs"]);
        assert!(!r.stderr.contains("interrupted"), "{what}: {}", r.text());
    }
    assert!(exercised >= 1);
}

/// Runs `f` when dropped (also when an assertion fails, so no immutable file is left).
fn scopeguard<F: FnOnce()>(f: F) -> impl Drop {
    struct Guard<F: FnOnce()>(Option<F>);
    impl<F: FnOnce()> Drop for Guard<F> {
        fn drop(&mut self) {
            if let Some(f) = self.0.take() {
                f();
            }
        }
    }
    Guard(Some(f))
}

// ---------------------------------------------------------------------------------------
// a CreateAccessKey that IAM carried out but whose answer was lost

/// What the proxy does with the `n`-th CreateAccessKey (from 0) after moto carried it out.
#[derive(Clone, Copy)]
enum LostAnswer {
    /// Nothing: pass the answer on (the proxy only records the requests).
    Never,
    /// Never answer: the client times out.
    Hang,
    /// Answer the first one with a 500 (the SDK retries, creating another key).
    FailFirst,
}

/// The request bodies a proxy forwarded, in order.
type RequestLog = Arc<std::sync::Mutex<Vec<String>>>;

/// A proxy to moto that forwards every request, but answers CreateAccessKey per `mode`.
/// Returns its URL, the number of CreateAccessKey requests and the log of all requests.
fn lossy_proxy(mode: LostAnswer) -> (String, Arc<AtomicUsize>, RequestLog) {
    let creates = Arc::new(AtomicUsize::new(0));
    let counter = creates.clone();
    let log = RequestLog::default();
    let log2 = log.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = Moto::get().url().trim_start_matches("http://").to_owned();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (counter, upstream, log) = (counter.clone(), upstream.clone(), log2.clone());
            std::thread::spawn(move || {
                let Ok(Some((head, body))) = read_request(&stream) else {
                    return;
                };
                log.lock().unwrap().push(body.clone());
                let mut request: String = head
                    .split_inclusive('\n')
                    .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                    .collect();
                request.push_str("Connection: close\r\n\r\n");
                request.push_str(&body);
                let mut up = TcpStream::connect(&upstream).unwrap();
                up.write_all(request.as_bytes()).unwrap();
                let mut response = Vec::new();
                up.read_to_end(&mut response).unwrap();
                let mut s = &stream;
                if body.contains("Action=CreateAccessKey") {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    match mode {
                        LostAnswer::Hang => {
                            std::thread::sleep(Duration::from_secs(60));
                            return;
                        }
                        LostAnswer::FailFirst if n == 0 => {
                            let reply = error_xml("Receiver", "InternalFailure", "lost");
                            let _ = write!(
                                s,
                                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                                reply.len()
                            );
                            return;
                        }
                        LostAnswer::FailFirst | LostAnswer::Never => {}
                    }
                }
                let _ = s.write_all(&response);
            });
        }
    });
    (url, creates, log)
}

#[test]
fn a_create_that_times_out_after_iam_made_the_key_leaves_no_key_behind() {
    let c = Course::bundled();
    let user = new_user("lostcreate");
    let (url, creates, _) = lossy_proxy(LostAnswer::Hang);
    let r = c.issue(&user, &["--endpoint-url", &url]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("timed out"), "{}", r.text());
    assert!(r.stderr.contains("iam:CreateAccessKey"), "{}", r.text());
    assert_eq!(creates.load(Ordering::SeqCst), 1);
    // moto did create a key, whose secret nobody has: it must be gone again.
    assert_eq!(key_ids(&user), Vec::<String>::new());
    assert!(r.stderr.contains("deleted"), "{}", r.text());
    assert_pristine(&c);
    assert!(r.elapsed < Duration::from_secs(20), "took {:?}", r.elapsed);
}

#[test]
fn a_retried_create_leaves_only_the_saved_key() {
    let c = Course::bundled();
    let user = new_user("retried");
    let (url, creates, _) = lossy_proxy(LostAnswer::FailFirst);
    let r = c.issue(&user, &["--endpoint-url", &url]);
    assert_eq!(r.code, 0, "{}", r.text());
    // The SDK retried after the 500: moto made two keys, labnote got the second one.
    assert_eq!(creates.load(Ordering::SeqCst), 2);
    assert_saved(&c, &user, &[]);
}

// ---------------------------------------------------------------------------------------
// arguments and callers

#[test]
fn an_invalid_description_is_rejected_before_anything_changes() {
    let c = Course::bundled();
    let user = new_user("baddesc");
    let r = c.issue(&user, &["--description", "not allowed!"]);
    assert_eq!(r.code, 1, "a bad argument: {}", r.text());
    assert!(
        r.stderr.contains("invalid access key description"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("'!'"), "{}", r.text());
    assert!(key_ids(&user).is_empty());
    assert!(user_tags(&user).is_empty());
    assert_pristine(&c);
}

#[test]
fn retire_names_the_key_to_retire() {
    let c = Course::bundled();
    let user = new_user("retire");
    let (a, _) = moto_create_key(&user);
    let (b, _) = moto_create_key(&user);
    moto_deactivate(&user, &b); // the rules alone would retire b

    // Not one of the user's keys: an error naming the real ones, nothing changed.
    let before = moto_keys(&user);
    let r = c.issue(&user, &["--retire", "AKIANOTAKEYOFTHEUSER", "--yes"]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(
        r.stderr.contains("--retire AKIANOTAKEYOFTHEUSER"),
        "{}",
        r.text()
    );
    assert!(
        r.stderr.contains(&a) && r.stderr.contains(&b),
        "{}",
        r.text()
    );
    assert_eq!(moto_keys(&user), before);
    assert_pristine(&c);

    let r = c.issue(&user, &["--retire", &a, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains(&format!("retired   {a}")), "{}", r.text());
    assert_saved(&c, &user, &[&b]);
}

#[test]
fn a_role_caller_without_user_is_told_to_name_one() {
    let mut c = Course::bundled_without_student_user();
    let role = unique_name("role");
    let m = Moto::get();
    let creds = block_on(async {
        m.iam_client()
            .create_role()
            .role_name(&role)
            .assume_role_policy_document("{}")
            .send()
            .await
            .unwrap();
        let conf = aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new(moto::TEST_REGION))
            .credentials_provider(aws_sdk_sts::config::Credentials::new(
                moto::TEST_KEY,
                moto::TEST_KEY,
                None,
                None,
                "moto",
            ))
            .endpoint_url(m.url())
            .build();
        aws_sdk_sts::Client::from_conf(conf)
            .assume_role()
            .role_arn(format!("arn:aws:iam::123456789012:role/{role}"))
            .role_session_name("lab")
            .send()
            .await
            .unwrap()
            .credentials()
            .cloned()
            .unwrap()
    });
    c.set_env("AWS_ACCESS_KEY_ID", creds.access_key_id());
    c.set_env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key());
    c.set_env("AWS_SESSION_TOKEN", creds.session_token());
    let r = c.run(&["issue-key", "2-4"]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("not an IAM user"), "{}", r.text());
    assert!(r.stderr.contains("assumed-role"), "{}", r.text());
    assert!(r.stderr.contains("--user"), "{}", r.text());
    assert_pristine(&c);
}

#[test]
fn the_signing_key_is_deleted_after_the_create_without_deactivating_it() {
    // AWS refuses requests signed with an inactive key: deactivating the key labnote signs
    // with would make the DeleteAccessKey that follows fail.
    let mut c = Course::bundled_without_student_user();
    let user = new_user("ownrotate");
    let (a, a_secret) = moto_create_key(&user);
    c.ok(&["memo", "set", "2-4", "AWS Access Key ID", &a]);
    c.set_env("AWS_ACCESS_KEY_ID", &a);
    c.set_env("AWS_SECRET_ACCESS_KEY", &a_secret);
    let (url, _, log) = lossy_proxy(LostAnswer::Never);
    let r = c.run(&[
        "issue-key",
        "2-4",
        "--rotate",
        "--yes",
        "--endpoint-url",
        &url,
    ]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("signs with"), "{}", r.text());
    assert!(r.stdout.contains(&format!("retired   {a}")), "{}", r.text());
    assert_saved(&c, &user, &[]);
    let log = log.lock().unwrap();
    let about_a = |action: &str| {
        log.iter()
            .filter(|b| b.contains(&format!("Action={action}")) && b.contains(&a))
            .count()
    };
    assert_eq!(about_a("DeleteAccessKey"), 1, "{log:#?}");
    assert_eq!(about_a("UpdateAccessKey"), 0, "{log:#?}");
}

#[test]
fn the_signing_key_cannot_be_retired_before_the_create() {
    // With 2 keys the retired key goes first; if that is the key labnote signs with, the
    // CreateAccessKey after it would be refused and the user left with neither key.
    let mut c = Course::bundled_without_student_user();
    let user = new_user("ownfirst");
    let (a, a_secret) = moto_create_key(&user);
    let (b, _) = moto_create_key(&user);
    c.set_env("AWS_ACCESS_KEY_ID", &a);
    c.set_env("AWS_SECRET_ACCESS_KEY", &a_secret);
    let before = moto_keys(&user);
    let r = c.run(&["issue-key", "2-4", "--retire", &a, "--yes"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr.contains(&a) && r.stderr.contains("signs with"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains(&format!("--retire {b}")), "{}", r.text());
    assert_eq!(moto_keys(&user), before);
    assert_pristine(&c);
}

#[test]
fn a_failed_create_that_cannot_be_checked_leaves_the_intent_for_the_next_command() {
    use std::sync::atomic::AtomicBool;
    // The list works, the create is throttled, and then IAM fails altogether until `up`.
    let created_tried = Arc::new(AtomicBool::new(false));
    let up = Arc::new(AtomicBool::new(false));
    let (tried, up2) = (created_tried.clone(), up.clone());
    let (url, _) = serve(move |body| {
        if body.contains("Action=CreateAccessKey") {
            tried.store(true, Ordering::SeqCst);
            return Some((
                "400 Bad Request",
                error_xml("Sender", "Throttling", "Rate exceeded"),
            ));
        }
        if tried.load(Ordering::SeqCst) && !up2.load(Ordering::SeqCst) {
            return Some((
                "503 Service Unavailable",
                error_xml("Receiver", "ServiceUnavailable", "down"),
            ));
        }
        Some(("200 OK", LIST_NO_KEYS.to_owned()))
    });
    let c = Course::bundled();
    let lab = c.lab_bytes(LAB);
    let r = c.issue("mspuser", &["--endpoint-url", &url]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("throttling"), "{}", r.text());
    assert!(r.stderr.contains("could not be checked"), "{}", r.text());
    assert!(r.stderr.contains("next labnote command"), "{}", r.text());
    assert_eq!(c.lab_bytes(LAB), lab);
    let pending = std::fs::read_to_string(c.pending()).expect("the intent stays");
    assert!(pending.contains("stage: intent"), "{pending}");

    // Still down: the next command warns and keeps the intent.
    let r = c.ok(&["labs"]);
    assert!(r.stderr.contains("warning"), "{}", r.text());
    assert!(c.pending().exists());
    // Back up: the next command checks (no key was made) and clears it.
    up.store(true, Ordering::SeqCst);
    let r = c.ok(&["labs"]);
    assert!(r.stderr.contains("had not created a key"), "{}", r.text());
    assert_pristine(&c);
}

#[test]
fn a_retried_create_into_the_limit_leaves_the_user_as_before() {
    // One key already: the first create makes the second (answered 500), the SDK's retry
    // hits the limit. The key from the first attempt has no saved secret: deleted again.
    let c = Course::bundled();
    let user = new_user("retrylimit");
    let (old, _) = moto_create_key(&user);
    let (url, creates, _) = lossy_proxy(LostAnswer::FailFirst);
    let r = c.issue(&user, &["--endpoint-url", &url]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert_eq!(creates.load(Ordering::SeqCst), 2);
    assert!(
        r.stderr.contains("maximum of 2 access keys"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("deleted again"), "{}", r.text());
    assert_eq!(key_ids(&user), [old]);
    assert_pristine(&c);
}
