//! Issue 20, "names the course does not use": `memo set` with a name that means no value of
//! the course lists the close ones and refuses (or asks, on a terminal) unless `--new`;
//! `memo rm` removes an entry labnote added and never the lab's own line; an entry labnote
//! added and then emptied is not wanted (CLI and the course page); the page's two routes.
//! On a small course of our own, written in the course's style.

use crate::course::Course;
use crate::tmux::Pane;
use crate::web_http::Server;

const REGISTRY: &str = "day5/lab1-registry.md";
const DEPLOY: &str = "day5/lab2-deploy.md";

/// Lab 5-1 (LF): a memo block of the lab's own (`Registry URI`, an empty `Build Number`),
/// a step that asks to note the URI. Lab 5-2 (CRLF): a memo block, and the placeholders that
/// use the values.
fn course() -> Course {
    let c = Course::empty();
    let day = c.course.join("day5");
    std::fs::create_dir_all(&day).unwrap();
    let registry = "\
# 5일차 - Lab 1. 이미지 저장소 만들기

---

- [5일차 - Lab 1. 이미지 저장소 만들기](#5일차---lab-1.-이미지-저장소-만들기)
  - [1. 저장소 생성](#✔-1.-저장소-생성)

---

> **📌 [실습 중 메모사항]**
>
> ➕ **<< Registry URI>>** :  
> ➕ **<< Build Number>>** :

<br>

## ✔ 1. 저장소 생성

- 콘솔에서 새 저장소를 만듭니다.
- 만들어진 저장소의 **Registry URI**를 메모📝합니다.
";
    let deploy = "\
# 5일차 - Lab 2. 이미지 배포

---

> **📌 [실습 중 메모사항]**
>
> ➕ _<< Deploy Region>>_ :

<br>

## ✔ 1. 이미지 올리기

```bash
docker push <<메모한 Registry URI>>:<<메모한 Build Number>>
helm upgrade web ./chart --set token=<<메모한 Pipeline Token>>
```
"
    .replace('\n', "\r\n");
    std::fs::write(day.join("lab1-registry.md"), registry).unwrap();
    std::fs::write(day.join("lab2-deploy.md"), deploy).unwrap();
    c
}

fn wanted_keys(c: &Course) -> Vec<String> {
    let v: Vec<serde_json::Value> =
        serde_json::from_str(&c.ok(&["wanted", "--json"]).stdout).unwrap();
    v.iter()
        .map(|w| w["key"].as_str().unwrap().to_string())
        .collect()
}

/// The bytes of `text` without its line that holds `needle` (and that line's end).
fn without_line(text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("the line");
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn an_unknown_name_is_refused_with_the_close_names_and_nothing_written() {
    let c = course();
    let (before1, before2) = (c.lab_bytes(REGISTRY), c.lab_bytes(DEPLOY));
    // A loose name close to two values, a near spelling of one, and a word of none.
    for (name, close, not) in [
        (
            "Build Number와 Registry URI",
            &["'Registry URI'", "'Build Number'"][..],
            "'Deploy Region'",
        ),
        ("Regstry URI", &["'Registry URI'"][..], "'Build Number'"),
        (
            "Pipline Tokken",
            &["'Pipeline Token'"][..],
            "'Registry URI'",
        ),
    ] {
        for extra in [&[][..], &["-q"][..]] {
            let mut args = vec!["memo", "set", "5-1", name, "v-1"];
            args.extend_from_slice(extra);
            let r = c.run(&args);
            assert_eq!(r.code, 1, "{name}: {}", r.text());
            for k in close {
                assert!(r.stderr.contains(k), "{name}: {k} listed: {}", r.text());
            }
            assert!(
                !r.stderr.contains(not),
                "{name}: {not} is not close: {}",
                r.text()
            );
            assert!(r.stderr.contains("--new"), "{}", r.text());
        }
    }
    // The value read from stdin: refused the same way (no question can be asked).
    let r = c.run_stdin(&["memo", "set", "5-2", "Regstry URI", "-"], b"v-2\n");
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("'Registry URI'"), "{}", r.text());
    // A name close to nothing: refused, saying nothing is close.
    let r = c.run(&["memo", "set", "5-1", "점심 메뉴", "김밥"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("--new"), "{}", r.text());
    assert!(!r.stderr.contains("close to it"), "{}", r.text());
    assert_eq!(
        c.lab_bytes(REGISTRY),
        before1,
        "5-1 unchanged, byte for byte"
    );
    assert_eq!(c.lab_bytes(DEPLOY), before2, "5-2 unchanged, byte for byte");
    assert!(c.events("memo-set").is_empty(), "nothing recorded");
    // Korean: the same refusal in Korean.
    let mut ko = course();
    ko.set_env("LANG", "ko_KR.UTF-8");
    let r = ko.run(&["memo", "set", "5-1", "Regstry URI", "v"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("이 과정의 값이 아닙니다"), "{}", r.text());
    assert!(r.stderr.contains("'Registry URI'"), "{}", r.text());
}

#[test]
fn new_notes_an_unknown_name_and_a_known_value_goes_to_its_key() {
    let c = course();
    c.init();
    // Any written form of a value of the course, and the note point's own words, are that
    // value: no question, stored under its key.
    c.ok(&[
        "memo",
        "set",
        "5-1",
        "<<메모한 Registry URI>>",
        "registry.example/web",
    ]);
    assert_eq!(
        c.ok(&["memo", "get", "Registry URI"]).stdout,
        "registry.example/web\n"
    );
    c.ok(&["memo", "set", "5-2", "메모한 Pipeline Token", "tok-1"]);
    // A token: stored encrypted, under the placeholder's key.
    assert!(c
        .lab_text(DEPLOY)
        .contains("> ➕ _<< Pipeline Token>>_ : `age:"));
    assert_eq!(c.memo_get("5-2", "Pipeline Token"), "tok-1");
    let known: Vec<_> = c.events("memo-set");
    assert_eq!(known.len(), 2);
    assert!(
        known[0]["details"].get("added").is_none(),
        "the lab's own entry: {known:?}"
    );
    // `--new`: a value of the student's own, appended in the block's style and marked added.
    let before = c.lab_text(REGISTRY);
    c.ok(&["memo", "set", "5-1", "점심 메뉴", "김밥", "--new"]);
    let after = c.lab_text(REGISTRY);
    assert!(
        after.contains("> ➕ **<< Build Number>>** :  \n> ➕ **<< 점심 메뉴>>** : 김밥\n"),
        "{after}"
    );
    assert_eq!(
        without_line(&after, "<< 점심 메뉴>>").replace(":  \n", ":\n"),
        before.replace(":  \n", ":\n")
    );
    let added = c.events("memo-set");
    assert_eq!(added.last().unwrap()["details"]["added"], true, "{added:?}");
    // Now an entry of the course: a second set needs no --new.
    c.ok(&["memo", "set", "5-1", "점심 메뉴", "라면"]);
    assert_eq!(c.ok(&["memo", "get", "점심 메뉴"]).stdout, "라면\n");
}

#[test]
fn memo_rm_removes_an_added_line_only_and_changes_no_other_byte() {
    let c = course();
    // The lab's own line (empty, or holding a value) is refused: the file stays.
    let own = c.lab_bytes(REGISTRY);
    for key in ["Build Number", "<<메모한 Registry URI>>"] {
        let r = c.run(&["memo", "rm", "5-1", key]);
        assert_eq!(r.code, 1, "{}", r.text());
        assert!(r.stderr.contains("memo unset"), "{}", r.text());
        assert_eq!(c.lab_bytes(REGISTRY), own);
    }
    c.ok(&["memo", "set", "5-1", "Registry URI", "registry.example/web"]);
    let noted = c.lab_bytes(REGISTRY);
    let r = c.run(&["memo", "rm", "5-1", "Registry URI"]);
    assert_eq!(
        r.code,
        1,
        "noted by labnote, still the lab's own line: {}",
        r.text()
    );
    assert_eq!(c.lab_bytes(REGISTRY), noted);

    // An entry labnote added to a CRLF lab: rm takes its line and nothing else.
    c.ok(&["memo", "set", "5-2", "빌드 서버 IP", "10.9.8.7", "--new"]);
    let with = c.lab_text(DEPLOY);
    assert!(with.contains("<< 빌드 서버 IP>>_ : 10.9.8.7\r\n"), "{with}");
    c.ok(&["memo", "rm", "5-2", "빌드 서버 IP"]);
    let after = c.lab_text(DEPLOY);
    assert_eq!(after, without_line(&with, "<< 빌드 서버 IP>>"));
    assert!(!after.contains('\n') || after.matches('\n').count() == after.matches("\r\n").count());
    // Removed: it is no entry any more, and rm again says so (exit 1, nothing changed).
    let r = c.run(&["memo", "rm", "5-2", "빌드 서버 IP"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert_eq!(c.lab_text(DEPLOY), after);
    let removed = c.events("memo-unset");
    assert_eq!(
        removed.last().unwrap()["details"]["removed"],
        true,
        "{removed:?}"
    );
}

#[test]
fn an_emptied_entry_labnote_added_is_not_wanted_on_the_cli_nor_the_page() {
    let c = course();
    // The lab's own empty entry is wanted.
    assert!(wanted_keys(&c).contains(&"Build Number".to_string()));
    c.ok(&["memo", "set", "5-1", "캐시 버킷", "web-cache", "--new"]);
    assert!(!wanted_keys(&c).contains(&"캐시 버킷".to_string()), "noted");
    c.ok(&["memo", "unset", "5-1", "캐시 버킷"]);
    assert!(
        c.lab_text(REGISTRY).contains("<< 캐시 버킷>>** :\n"),
        "still an entry"
    );
    let keys = wanted_keys(&c);
    assert!(!keys.contains(&"캐시 버킷".to_string()), "{keys:?}");
    // The lab's own entry, emptied too, stays wanted.
    c.ok(&["memo", "set", "5-1", "Build Number", "41"]);
    c.ok(&["memo", "unset", "5-1", "Build Number"]);
    assert!(wanted_keys(&c).contains(&"Build Number".to_string()));
    // The page's wanted list agrees.
    let s = Server::start(&c, &[]);
    let page = s.get("/").body;
    assert!(
        page.contains("Build Number"),
        "the lab's own entry is wanted"
    );
    assert!(
        !page.contains("캐시 버킷"),
        "the emptied addition is not: {page}"
    );
}

#[test]
fn the_page_routes_refuse_an_unknown_name_unless_new_and_remove_an_added_entry() {
    let c = course();
    let s = Server::start(&c, &[]);
    let before = c.lab_bytes(REGISTRY);
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "5-1", "key": "Regstry URI", "value": "v"}),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    let j = r.json();
    assert_eq!(j["unknown"], "Regstry URI");
    assert_eq!(j["close"], serde_json::json!(["Registry URI"]));
    assert!(j["error"].as_str().unwrap().contains("--new"), "{j}");
    assert_eq!(c.lab_bytes(REGISTRY), before, "nothing written");
    // A known value's name is noted as before.
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "5-1", "key": "메모한 Registry URI", "value": "r.example"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // `new`: added, then removed through the page; the lab's own entry is refused (400).
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "5-1", "key": "Regstry URI", "value": "v", "new": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let with = c.lab_text(REGISTRY);
    assert!(with.contains("<< Regstry URI>>** : v\n"), "{with}");
    let r = s.post(
        "/api/memo/rm",
        &serde_json::json!({"lab": "5-1", "key": "Build Number"}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("memo unset"), "{}", r.body);
    assert_eq!(c.lab_text(REGISTRY), with);
    let r = s.post(
        "/api/memo/rm",
        &serde_json::json!({"lab": "5-1", "key": "Regstry URI"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["key"], "Regstry URI");
    assert_eq!(
        c.lab_text(REGISTRY),
        without_line(&with, "<< Regstry URI>>")
    );
}

/// On a terminal `memo set` asks which close value was meant and notes the one chosen;
/// `n` notes a new value; Enter notes nothing.
#[test]
fn on_a_terminal_the_student_picks_a_close_value() {
    let c = course();
    let before = c.lab_bytes(REGISTRY);
    // Enter: nothing noted, exit 1.
    let p = Pane::start(
        &c,
        "enter",
        &["memo", "set", "5-1", "Build Number와 Registry URI", "v-0"],
        "",
    );
    let screen = p.nth(1, "Which one?");
    assert!(screen.contains("1) Registry URI"), "{screen}");
    assert!(screen.contains("2) Build Number"), "{screen}");
    assert!(
        screen.contains("n) a new value 'Build Number와 Registry URI'"),
        "{screen}"
    );
    p.send("");
    assert_eq!(p.wait_exit(), "1", "{}", p.text());
    assert_eq!(c.lab_bytes(REGISTRY), before);
    // A wrong answer asks again; `2` notes the second close value.
    let p = Pane::start(
        &c,
        "pick",
        &["memo", "set", "5-1", "Build Number와 Registry URI", "v-42"],
        "",
    );
    p.nth(1, "Which one?");
    p.send("9");
    p.nth(2, "Which one?");
    p.send("2");
    assert_eq!(p.wait_exit(), "0", "{}", p.text());
    assert_eq!(c.ok(&["memo", "get", "Build Number"]).stdout, "v-42\n");
    eprintln!("--- pane\n{}", p.text());
    // `n`: the name given, as a new value.
    let p = Pane::start(&c, "new", &["memo", "set", "5-1", "Regstry URI", "v-n"], "");
    p.nth(1, "Which one?");
    p.send("n");
    assert_eq!(p.wait_exit(), "0", "{}", p.text());
    assert_eq!(c.ok(&["memo", "get", "Regstry URI"]).stdout, "v-n\n");
}

/// Walk's `m` list (`app::notes::menu`, with the journal) offers no entry labnote added and
/// the student emptied; the lab's own empty entry it offers. Without the journal's word
/// (records from before labnote marked added entries) the entry counts as the lab's own.
#[test]
fn walks_memo_menu_leaves_out_an_emptied_addition() {
    use labnote::app::notes;
    let c = course();
    c.ok(&["memo", "set", "5-1", "캐시 버킷", "web-cache", "--new"]);
    c.ok(&["memo", "unset", "5-1", "캐시 버킷"]);
    let course = labnote::course::Course::open(&c.course).unwrap();
    let cfg = labnote::config::CourseConfig::load(&c.course).unwrap();
    let records = labnote::journal::Journal::for_course(&c.course)
        .load()
        .unwrap()
        .records;
    let k = course.resolve("5-1").unwrap();
    let at = labnote::app::StepAt {
        lab: k,
        step: course.labs[k].lab.step_index("1").unwrap(),
    };
    let offered = |records: &[labnote::app::Record]| -> Vec<String> {
        notes::menu(&course, &cfg, records, at)
            .offers
            .into_iter()
            .map(|o| o.key)
            .collect()
    };
    let with = offered(&records);
    assert!(!with.iter().any(|k| k == "캐시 버킷"), "{with:?}");
    assert!(with.iter().any(|k| k == "Build Number"), "{with:?}");
    let without = offered(&[]);
    assert!(without.iter().any(|k| k == "캐시 버킷"), "{without:?}");
}
