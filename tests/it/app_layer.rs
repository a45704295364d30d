//! One application layer for every front end (issue 10): the page and the commands reach
//! the same use case, so they choose the same IAM user and refuse the same values with the
//! same words.

use crate::course::Course;
use crate::moto::{self, Moto};
use crate::web_http::Server;

const LAB3: &str = "day2/lab3-github.md";
const LAB4: &str = "day2/lab4-aws-access-key.md";

/// The page's Issue-key preview and issuance use the student user the lab names, as
/// `issue-key` does (`labuser::choose`), not whoever is signed in.
#[test]
fn the_page_issues_for_the_user_the_lab_names_as_issue_key_does() {
    let user = moto::unique_name("named");
    moto::block_on(Moto::get().create_user(&user));
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    let named = c
        .lab_text(LAB4)
        .replace("(수강생 : mspuser )", &format!("(수강생 : {user} )"));
    assert!(named.contains(&user), "the fixture names the user");
    std::fs::write(c.file(LAB4), named).unwrap();
    let s = Server::start(&c, &[]);
    let p = s.post("/api/issue/preview", &serde_json::json!({"lab": "2-4"}));
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(p.json()["user"], user.as_str());
    assert!(
        moto::key_ids(&user).is_empty(),
        "the preview changes nothing"
    );
    let r = s.post("/api/issue", &serde_json::json!({"lab": "2-4"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["user"], user.as_str());
    let ids = moto::key_ids(&user);
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(c.lab_text(LAB4).contains(&ids[0]), "noted in the memo");
}

/// An empty value is refused by the one rule (`memo::validate` through the use case): the
/// page answers with the words of `memo set`, and the noted value stays.
#[test]
fn the_page_and_memo_set_refuse_an_empty_value_with_one_message() {
    let c = Course::empty().with_bundled_labs();
    c.init();
    c.ok(&["memo", "set", "2-3", "github_username", "octo-kept"]);
    let before = c.lab_text(LAB3);
    let cli = c.run(&["memo", "set", "2-3", "github_username", "  "]);
    assert_eq!(cli.code, 1, "{}", cli.text());
    let said = cli.stderr.trim().trim_start_matches("labnote: error: ");
    assert!(said.contains("labnote memo unset 2-3"), "{said}");
    let s = Server::start(&c, &[]);
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "2-3", "key": "github_username", "value": "  "}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["error"], said);
    assert_eq!(c.lab_text(LAB3), before);
    assert_eq!(c.memo_get("2-3", "github_username"), "octo-kept");
    assert_eq!(c.events("memo-set").len(), 1);
}
