//! The access-key step's IAM user comes from the lab (`(수강생 : mspuser )`) when neither
//! `--user` nor course.yaml names one — not from the caller. On moto.

use crate::course;
use crate::moto;

use course::Course;
use labnote::iam::Iam;
use moto::{block_on, key_ids, moto_secret, Moto};

/// The only test that uses the user name the fixture names.
const STUDENT: &str = "mspuser";

#[test]
fn issue_key_without_user_issues_for_the_student_user_the_lab_names() {
    let m = Moto::get();
    block_on(m.create_user(STUDENT));
    let caller =
        block_on(async { Iam::connect(&m.options()).await.unwrap().caller().await }).unwrap();
    assert_ne!(
        caller.user_name.as_deref(),
        Some(STUDENT),
        "the caller must be someone else"
    );
    let before = key_ids(STUDENT);

    let c = Course::empty()
        .with_aws(m.sdk_env())
        .with_fixture_files(&["ref-2-4-access-key.md"]);
    c.init();
    let r = c.run(&["issue-key", "2-4", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stdout.contains(&format!("user      {STUDENT}")),
        "{}",
        r.text()
    );
    let id = course::noted_key_id(&c.file("ref-2-4-access-key.md")).expect("the memo holds the id");
    let after = key_ids(STUDENT);
    assert!(after.contains(&id) && !before.contains(&id), "{after:?}");
    let secret = c.memo_get("2-4", "AWS Secret Access key");
    assert_eq!(moto_secret(&id).as_deref(), Some(secret.trim()));
}
