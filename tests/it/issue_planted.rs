//! A course folder is untrusted input: a `pending-key.yaml` that labnote did not write (it
//! came with a clone or a zip) is refused before it is acted on — nothing deleted, nothing
//! written — with a message naming the file and the fix. The real binary against moto.

use crate::course;
use crate::moto;

use std::os::unix::fs::PermissionsExt;

use course::{Course, Run};
use moto::{block_on, moto_keys, unique_name, Moto};

const LAB: &str = "day2/lab4-aws-access-key.md";
const PENDING: &str = ".labnote/pending-key.yaml";

fn course() -> Course {
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    c
}

/// A user with two active keys made on moto just now (inside any window a planted intent
/// could name).
fn victim() -> (String, Vec<(String, bool)>) {
    let user = unique_name("victim");
    block_on(Moto::get().create_user(&user));
    for _ in 0..2 {
        moto::create_key(&user);
    }
    let keys = moto_keys(&user);
    assert_eq!(keys.len(), 2);
    (user, keys)
}

/// Put `yaml` at the pending file's place with `mode`.
fn plant(c: &Course, yaml: &str, mode: u32) {
    let p = c.file(PENDING);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, yaml).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The refusal: the command goes on (exit 0) but says the file was not acted on, names it
/// and the fix; the file is left as it was.
fn assert_refused(c: &Course, r: &Run, why: &str, planted: &[u8]) {
    let pending = c.file(PENDING);
    let t = r.text();
    assert!(t.contains(&pending.display().to_string()), "{t}");
    assert!(t.contains("labnote did not act on it"), "{t}");
    assert!(t.contains(why), "{why}: {t}");
    assert!(t.contains("aws iam list-access-keys --user-name"), "{t}");
    assert!(t.contains("then remove"), "{t}");
    assert!(
        std::fs::symlink_metadata(&pending).is_ok(),
        "the pending file was removed"
    );
    assert_eq!(
        std::fs::read(&pending).unwrap(),
        planted,
        "the pending file changed"
    );
    assert!(c.events("issued-key").is_empty(), "{t}");
}

fn now_plus(secs: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(secs)).to_string()
}

#[test]
fn a_lab_path_outside_the_course_is_never_written() {
    let c = course();
    // A file outside the course that looks like the lab (so a write would succeed).
    let outside = c.root.join("outside.md");
    std::fs::copy(c.file(LAB), &outside).unwrap();
    let before = std::fs::read(&outside).unwrap();
    let lab = c.lab_bytes(LAB);
    for path in [
        "../outside.md",
        outside.to_str().unwrap(),
        "day2/../../outside.md",
    ] {
        let yaml = format!(
            "stage: created\nlab: '2-4'\npath: '{path}'\nuser: mspuser\n\
             key_id: AKIA0000000000000001\nsecret: age:QUJD\n"
        );
        plant(&c, &yaml, 0o600);
        let r = c.run(&["labs"]);
        assert_eq!(r.code, 0, "{}", r.text());
        assert_refused(&c, &r, "is not a lab of this course", yaml.as_bytes());
        assert_eq!(std::fs::read(&outside).unwrap(), before, "{path}");
        assert_eq!(c.lab_bytes(LAB), lab, "{path}");
    }
}

#[test]
fn a_key_id_with_a_newline_is_never_spliced() {
    let c = course();
    let lab = c.lab_bytes(LAB);
    let yaml = format!(
        "stage: created\nlab: '2-4'\npath: {LAB}\nuser: mspuser\n\
         key_id: \"AKIA0000000000000001\\nimport os; os.system('touch /tmp/P1')\"\n\
         secret: age:QUJD\n"
    );
    plant(&c, &yaml, 0o600);
    let r = c.run(&["memo", "list"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_refused(&c, &r, "is not an access key id", yaml.as_bytes());
    assert_eq!(c.lab_bytes(LAB), lab);
    // issue-key itself stops before anything: no key for anybody.
    let user = unique_name("planted");
    block_on(Moto::get().create_user(&user));
    let r = c.run(&["issue-key", "2-4", "--user", &user]);
    assert_eq!(r.code, 2, "{}", r.text());
    assert!(
        r.stderr.contains("labnote did not act on it"),
        "{}",
        r.text()
    );
    assert!(moto_keys(&user).is_empty());
    assert_eq!(c.lab_bytes(LAB), lab);
}

#[test]
fn a_planted_intent_naming_another_user_deletes_nothing() {
    let c = course();
    let (user, keys) = victim();
    let good =
        |extra: &str| format!("stage: intent\nlab: '2-4'\npath: {LAB}\nuser: {user}\n{extra}");
    let window = format!("iam_date: {}\ndeadline: {}\n", now_plus(-5), now_plus(5));
    let cases: Vec<(String, u32, &str)> = vec![
        // The reproduction of the issue: the old format with a time that is none.
        (
            good("since: not-a-time\nbefore: []\n"),
            0o600,
            "not a pending key",
        ),
        (
            good("iam_date: not-a-time\ndeadline: not-a-time\n"),
            0o600,
            "is not a time",
        ),
        // A window no issuance records.
        (
            good(&format!(
                "iam_date: 2000-01-01T00:00:00Z\ndeadline: {}\n",
                now_plus(3600)
            )),
            0o600,
            "is not one labnote records",
        ),
        (
            good(&window).replace("stage: intent", "stage: whatever"),
            0o600,
            "not a pending key",
        ),
        // Well formed, but not written by labnote (a checkout makes files 0644).
        (good(&window), 0o644, "labnote did not write it"),
    ];
    for (yaml, mode, why) in cases {
        plant(&c, &yaml, mode);
        let r = c.run(&["memo", "list"]);
        assert_eq!(r.code, 0, "{}", r.text());
        assert_refused(&c, &r, why, yaml.as_bytes());
        assert_eq!(moto_keys(&user), keys, "{why}: {}", r.text());
    }
}

#[test]
fn a_pending_file_that_is_a_link_is_not_followed() {
    let c = course();
    let (user, keys) = victim();
    let target = c.root.join("elsewhere.yaml");
    let yaml = format!(
        "stage: intent\nlab: '2-4'\npath: {LAB}\nuser: {user}\niam_date: {}\ndeadline: {}\n",
        now_plus(-5),
        now_plus(5)
    );
    std::fs::write(&target, &yaml).unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::create_dir_all(c.file(".labnote")).unwrap();
    std::os::unix::fs::symlink(&target, c.file(PENDING)).unwrap();
    let r = c.run(&["labs"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_refused(&c, &r, "symbolic link", yaml.as_bytes());
    assert!(std::fs::symlink_metadata(c.file(PENDING))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), yaml);
    assert_eq!(moto_keys(&user), keys);
}

#[test]
fn the_lab_and_its_memo_entries_come_from_the_course_not_the_file() {
    // A pending file naming a lab that is not where it says.
    let c = course();
    let lab = c.lab_bytes(LAB);
    let yaml = format!(
        "stage: created\nlab: '2-3'\npath: {LAB}\nuser: mspuser\n\
         key_id: AKIA0000000000000001\nsecret: age:QUJD\n"
    );
    plant(&c, &yaml, 0o600);
    let r = c.run(&["labs"]);
    assert_refused(&c, &r, "is lab 2-4", yaml.as_bytes());
    assert_eq!(c.lab_bytes(LAB), lab);
    // Fields labnote does not write are not taken either (e.g. the old memo key names).
    let yaml = format!(
        "stage: created\nlab: '2-4'\npath: {LAB}\nuser: mspuser\nid_key: \"x\\n# injected\"\n\
         key_id: AKIA0000000000000001\nsecret: age:QUJD\n"
    );
    plant(&c, &yaml, 0o600);
    let r = c.run(&["labs"]);
    assert_refused(&c, &r, "unknown field", yaml.as_bytes());
    assert_eq!(c.lab_bytes(LAB), lab);
}
