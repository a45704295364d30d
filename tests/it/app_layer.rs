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

// Issue 19: the rules the two front ends disagreed on, each with one home in `app`. Every
// test below asks the one function, then each front end, and wants the same answer.

/// A course of two labs: the first asks to note the cluster's address and a password no
/// step uses, the second uses the address. No lab has a memo block.
fn two_labs() -> Course {
    let c = Course::empty();
    std::fs::create_dir_all(c.course.join("day1")).unwrap();
    std::fs::write(
        c.course.join("day1/lab1-a.md"),
        "# 1일차 - Lab 1. 클러스터\n\n## 🔴 1. 접속\n\n### ✔ 1-1. 주소 확인\n\n출력된 Cluster URL을 메모합니다.\n\n### ✔ 1-2. 비밀번호\n\nArgo 초기 비밀번호를 메모합니다.\n",
    )
    .unwrap();
    std::fs::write(
        c.course.join("day1/lab2-b.md"),
        "# 1일차 - Lab 2. 배포\n\n## 🔴 1. 사용\n\n### ✔ 1-1. 주소 쓰기\n\n주소 <<Cluster URL>> 로 접속한다.\n",
    )
    .unwrap();
    c.init();
    c
}

fn open(c: &Course) -> (labnote::course::Course, labnote::config::CourseConfig) {
    (
        labnote::course::Course::open(&c.course).unwrap(),
        labnote::config::CourseConfig::load(&c.course).unwrap(),
    )
}

/// The lab a value is noted in: one function (`app::notes::home_lab`). Before, the offer
/// after a run noted a value without a memo entry in the run's lab, `wanted` said the lab
/// that asks for it, and the page offered no Note form at all.
#[test]
fn the_lab_a_value_is_noted_in_is_one_answer() {
    use labnote::app::notes;
    let c = two_labs();
    let (course, cfg) = open(&c);
    let (a, b) = (
        course.resolve("1-1").unwrap(),
        course.resolve("1-2").unwrap(),
    );
    let key = labnote::wanted::key_for(&course, &cfg, "Cluster URL");
    // The run's offer and `--note` in lab B, walk's `m` in lab B, `wanted`: lab A asks.
    assert_eq!(notes::lab_for_key(&course, &cfg, &key, b), a);
    let values = labnote::wanted::values(&course, &cfg);
    let w = values
        .iter()
        .find(|w| w.key == key)
        .expect("a wanted value");
    assert_eq!(notes::lab_of(&course, w, None), Some(a));
    let at = labnote::app::StepAt {
        lab: b,
        step: course.labs[b].lab.step_index("1-1").unwrap(),
    };
    let menu = notes::menu(&course, &cfg, &[], at);
    let offered = menu.offers.iter().find(|o| o.key == key).expect("offered");
    assert_eq!(offered.lab, a, "walk's m");
    // The CLI says so.
    let out = c.ok(&["wanted"]).stdout;
    assert!(
        out.contains(&format!("labnote memo set 1-1 \"{key}\"")),
        "{out}"
    );
    // The page's Note form for the placeholder of lab B notes it in lab A.
    let s = Server::start(&c, &[]);
    let page = s.get("/lab/1-2").body;
    assert!(
        page.contains(&format!("data-note-key=\"{key}\" data-lab=\"1-1\"")),
        "{page}"
    );
}

/// "Still wanted": one rule (`app::notes::still_wanted`): nothing noted. The password only a
/// note point asks for is wanted too; before, the course page left it out (it kept only
/// values some placeholder uses) while `labnote wanted` listed it.
#[test]
fn the_values_still_wanted_are_the_same_on_the_page_and_in_wanted() {
    let c = two_labs();
    let (course, cfg) = open(&c);
    let want: Vec<String> = labnote::app::notes::wanted_values(&course, &cfg, &[], None)
        .into_iter()
        .map(|w| w.names[0].clone())
        .collect();
    assert!(want.len() >= 2, "{want:?}");
    let cli: Vec<serde_json::Value> =
        serde_json::from_str(&c.ok(&["wanted", "--json"]).stdout).unwrap();
    let cli: Vec<String> = cli
        .iter()
        .map(|v| v["names"][0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(cli, want);
    let s = Server::start(&c, &[]);
    let home = s.get("/").body;
    let listed = home
        .split("<ul class=\"wanted\">")
        .nth(1)
        .unwrap_or_default();
    let listed = listed.split("</ul>").next().unwrap_or_default();
    let page: Vec<String> = listed
        .split("<code>&lt;&lt;")
        .skip(1)
        .map(|s| s.split("&gt;&gt;</code>").next().unwrap().to_string())
        .collect();
    assert_eq!(page, want, "{listed}");
    assert!(
        page.iter().any(|n| n.contains("비밀번호")),
        "the password no step uses is wanted: {page:?}"
    );
    // Noted, it is wanted no more, in both.
    c.ok(&["memo", "set", "1-1", &want[0], "https://k8s.example"]);
    let cli = c.ok(&["wanted", "--json"]).stdout;
    assert!(!cli.contains(&format!("\"{}\"", want[0])), "{cli}");
    let s = Server::start(&c, &[]);
    let home = s.get("/").body;
    let listed = home
        .split("<ul class=\"wanted\">")
        .nth(1)
        .unwrap_or_default();
    assert!(!listed.contains(&want[0]), "{listed}");
}

/// Course and lab totals: one function (`app::step::course_totals`, `lab_totals`) for
/// `labs`, `labs --json`, `walk`'s bars and the pages.
#[test]
fn course_totals_are_one_count() {
    let c = two_labs();
    c.ok(&["done", "1-1", "1-1"]);
    let (course, _) = open(&c);
    let records = labnote::journal::Journal::for_course(&c.course)
        .load()
        .unwrap()
        .records;
    let p = labnote::journal::Progress::from_records(&records);
    let t = labnote::app::step::course_totals(&p, &course);
    assert_eq!((t.done, t.total), (1, 3));
    let labs: Vec<serde_json::Value> =
        serde_json::from_str(&c.ok(&["labs", "--json"]).stdout).unwrap();
    let sum = |f: &str| labs.iter().map(|l| l[f].as_u64().unwrap()).sum::<u64>() as usize;
    assert_eq!((sum("done"), sum("steps")), (t.done, t.total));
    let said = c.ok(&["labs"]).stderr;
    assert!(said.contains(&format!("{}", t.total)), "{said}");
    let s = Server::start(&c, &[]);
    let home = s.get("/").body;
    let course_bar = home.split("Course progress").nth(1).unwrap_or_default();
    assert!(
        course_bar.contains(&format!(
            "<span data-progress>{}/{}</span>",
            t.done, t.total
        )),
        "{course_bar}"
    );
    let lab = labnote::app::step::lab_totals(&p, &course.labs[0].lab);
    let page = s.get("/lab/1-1").body;
    assert!(
        page.contains(&format!(
            "<span data-progress>{}/{}</span>",
            lab.done, lab.total
        )),
        "{page}"
    );
}

/// Where "Issue key" is offered: one rule (`app::step::offers_issue_key`). `walk` and `run`
/// offer it at the access-key step only; the page showed it in the memo panel of any lab
/// with key entries, and now shows it once, in that step's section.
#[test]
fn issue_key_is_offered_at_the_key_step_on_the_page_as_in_walk() {
    use labnote::app::{step::offers_issue_key, StepAt};
    let c = Course::empty().with_bundled_labs();
    c.init();
    let (course, _) = open(&c);
    let k = course.resolve("2-4").unwrap();
    let lab = &course.labs[k].lab;
    let at: Vec<usize> = (0..lab.steps.len())
        .filter(|&i| {
            lab.steps[i].checkable && offers_issue_key(&course, StepAt { lab: k, step: i })
        })
        .collect();
    assert_eq!(at.len(), 1, "one key step");
    let key_step = &lab.steps[at[0]];
    let s = Server::start(&c, &[]);
    let page = s.get("/lab/2-4").body;
    assert_eq!(page.matches("data-issue-lab=").count(), 1, "shown once");
    let anchor = format!("step-{}", key_step.id);
    let from = page
        .find(&format!("id=\"{anchor}\""))
        .expect("the key step's heading");
    let button = page.find("data-issue-lab=").unwrap();
    assert!(button > from, "after the key step's heading");
    let next = lab
        .steps
        .iter()
        .skip(at[0] + 1)
        .find_map(|s| page.find(&format!("id=\"step-{}\"", s.id)));
    if let Some(next) = next {
        assert!(button < next, "inside the key step's section");
    }
    // A lab without a key step offers none, in walk as on the page.
    let k3 = course.resolve("2-3").unwrap();
    assert!((0..course.labs[k3].lab.steps.len())
        .all(|i| !offers_issue_key(&course, StepAt { lab: k3, step: i })));
    assert!(!s.get("/lab/2-3").body.contains("data-issue-lab"));
}
