//! The server's answers in the request's language (issue 22, "Language"): the errors a page
//! shows in a toast, the badges' hover text and the list of what the course could not be
//! read as speak the language of `Accept-Language`, not the server's, and the other way
//! round.

use serde_json::{json, Value};

use crate::course::Course;
use crate::web_http::{course, Resp, Server};

/// A POST as the page makes it (JSON, CSRF header), asking for `lang` ("" asks for none).
fn post_in(s: &Server, lang: &str, path: &str, body: &Value) -> Resp {
    let csrf = format!("X-CSRF-Token: {}", s.csrf());
    let al = format!("Accept-Language: {lang}");
    let mut extra = vec![csrf.as_str(), "Content-Type: application/json"];
    if !lang.is_empty() {
        extra.push(&al);
    }
    s.request("POST", path, &extra, &body.to_string())
}

/// The `error` of a refused request (a 4xx with a JSON body).
fn error_of(r: &Resp) -> String {
    assert!(
        (400..500).contains(&r.status),
        "refused: {} {}",
        r.status,
        r.body
    );
    r.json()["error"]
        .as_str()
        .unwrap_or_else(|| panic!("an error message: {}", r.body))
        .to_string()
}

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// The requests that fail, each with a piece of its English and of its Korean message.
fn failing_requests() -> Vec<(&'static str, Value, &'static str, &'static str)> {
    vec![
        // An empty value is refused (that is unset): the memo rule's message inside the
        // use case's.
        (
            "/api/memo",
            json!({"lab": "2-4", "key": "AWS Access Key ID", "value": "  "}),
            "no value given for 'AWS Access Key ID'",
            "'AWS Access Key ID' 의 값이 주어지지 않았습니다",
        ),
        // A lab the course does not have, named to a use case and to a request's own check.
        (
            "/api/memo",
            json!({"lab": "9-9", "key": "x", "value": "v"}),
            "no lab matches '9-9'",
            "'9-9' 에 해당하는 실습이 없습니다",
        ),
        (
            "/api/reveal",
            json!({"lab": "9-9", "name": "x"}),
            "no lab '9-9' in this course",
            "이 코스에 '9-9' 실습이 없습니다",
        ),
        // A step the lab does not have.
        (
            "/api/step",
            json!({"lab": "2-4", "step": "99", "done": true}),
            "has no step '99'",
            "'99' 단계가 없습니다",
        ),
        // A value the lab does not name; a request naming none; a block it lacks.
        (
            "/api/reveal",
            json!({"lab": "2-4", "name": "no_such_value"}),
            "has no placeholder <<no_such_value>>",
            "플레이스홀더 <<no_such_value>> 이(가) 없습니다",
        ),
        (
            "/api/reveal",
            json!({"lab": "2-4"}),
            "name the placeholder (name) or the memo key (key)",
            "플레이스홀더(name) 또는 메모 키(key)를 지정하세요",
        ),
        (
            "/api/copy",
            json!({"lab": "2-4"}),
            "name the code block (block)",
            "코드 블록(block)을 지정하세요",
        ),
        (
            "/api/copy",
            json!({"lab": "2-4", "block": 999}),
            "has no code block 999",
            "코드 블록 999 이(가) 없습니다",
        ),
        // An issuance preview for a lab the course lacks (answered before IAM is asked).
        (
            "/api/issue/preview",
            json!({"lab": "9-9"}),
            "no lab '9-9' in this course",
            "이 코스에 '9-9' 실습이 없습니다",
        ),
    ]
}

/// Each failing request answered in `want` (`"en"` or `"ko"`) when asking `asked`.
fn assert_errors_in(s: &Server, c: &Course, asked: &str, want: &str) {
    let before = c.lab_text("day2/lab4-aws-access-key.md");
    for (path, body, en, ko) in failing_requests() {
        let e = error_of(&post_in(s, asked, path, &body));
        let (said, not) = if want == "ko" { (ko, en) } else { (en, ko) };
        assert!(
            e.contains(said),
            "{path} {body} asking {asked:?}: {e:?} lacks {said:?}"
        );
        assert!(!e.contains(not), "{path} {body}: {e:?}");
        if want == "en" {
            assert!(!has_hangul(&e), "{path} {body}: Korean in {e:?}");
        }
    }
    assert_eq!(
        c.lab_text("day2/lab4-aws-access-key.md"),
        before,
        "nothing written"
    );
}

#[test]
fn errors_speak_the_requests_language_not_the_servers() {
    let mut c = course();
    c.set_env("LABNOTE_LANG", "en");
    let s = Server::start(&c, &[]);
    assert_errors_in(&s, &c, "ko", "ko");
    assert_errors_in(&s, &c, "ko-KR,ko;q=0.9,en;q=0.5", "ko");
    assert_errors_in(&s, &c, "", "en");
    assert_errors_in(&s, &c, "en-US", "en");
    // The process keeps its own language: the CLI still speaks English meanwhile.
    let r = c.run(&["memo", "set", "2-4", "AWS Access Key ID", " "]);
    assert!(r.text().contains("no value given"), "{}", r.text());
    drop(s);
    // A Korean server: Korean without a header, English when asked.
    c.set_env("LABNOTE_LANG", "ko");
    let s = Server::start(&c, &[]);
    assert_errors_in(&s, &c, "", "ko");
    assert_errors_in(&s, &c, "en", "en");
    assert_errors_in(&s, &c, "en-US,en;q=0.9,ko;q=0.1", "en");
}

/// The `title`s of the code blocks' badges on a page.
fn badge_titles(page: &str) -> Vec<String> {
    page.match_indices("<span class=\"badge\"")
        .filter_map(|(i, _)| {
            let tag = &page[i..i + page[i..].find('>')?];
            let at = tag.find("title=\"")? + 7;
            Some(tag[at..at + tag[at..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn hover_text_and_the_problems_list_speak_the_requests_language() {
    let mut c = course();
    // A folder linked into the course: listed as a problem, its labs not read.
    std::os::unix::fs::symlink(c.file("day2"), c.file("linked-day2")).unwrap();
    c.set_env("LABNOTE_LANG", "en");
    let s = Server::start(&c, &[]);
    let get = |s: &Server, path: &str, lang: &str| {
        let h = format!("Accept-Language: {lang}");
        s.request("GET", path, &[&h], "").body
    };
    // Lab 3-1 has shell blocks to run and example output.
    let ko = get(&s, "/lab/3-1", "ko");
    let en = get(&s, "/lab/3-1", "en");
    let (ko_titles, en_titles) = (badge_titles(&ko), badge_titles(&en));
    assert!(!ko_titles.is_empty(), "badges with their reasons");
    assert_eq!(ko_titles.len(), en_titles.len());
    assert!(
        ko_titles.iter().any(|t| t.contains("실행할 명령")),
        "{ko_titles:?}"
    );
    assert!(
        en_titles.iter().any(|t| t.contains("commands to run")),
        "{en_titles:?}"
    );
    for (k, e) in ko_titles.iter().zip(&en_titles) {
        assert!(has_hangul(k), "a Korean reason: {k:?}");
        assert_ne!(k, e, "worded in each language");
        for word in [
            "commands to run",
            "example output",
            "shown, not run",
            "block",
        ] {
            assert!(!k.contains(word), "English in a Korean title: {k:?}");
        }
    }
    // The problems list: the linked folder, in each language, on every page.
    for path in ["/", "/lab/2-4"] {
        let ko = get(&s, path, "ko");
        let en = get(&s, path, "en");
        assert!(
            ko.contains("linked-day2: 건너뜀: 폴더를 가리키는 링크입니다"),
            "{path}: {}",
            problems_of(&ko)
        );
        assert!(!ko.contains("a link to a folder"), "{path}");
        assert!(
            en.contains("linked-day2: skipped: a link to a folder"),
            "{path}: {}",
            problems_of(&en)
        );
        assert!(!en.contains("폴더를 가리키는 링크"), "{path}");
    }
    drop(s);
    // The same from a Korean server asked for English, and without a header.
    c.set_env("LABNOTE_LANG", "ko");
    let s = Server::start(&c, &[]);
    let en = get(&s, "/", "en");
    assert!(
        en.contains("skipped: a link to a folder"),
        "{}",
        problems_of(&en)
    );
    let en_lab = get(&s, "/lab/3-1", "en");
    assert!(badge_titles(&en_lab)
        .iter()
        .all(|t| !has_hangul(t) || t.contains('`')));
    assert!(badge_titles(&en_lab)
        .iter()
        .any(|t| t.contains("commands to run")));
    let ko = s.get("/").body;
    assert!(
        ko.contains("건너뜀: 폴더를 가리키는 링크입니다"),
        "{}",
        problems_of(&ko)
    );
}

/// The page's problems list, for a failure's message.
fn problems_of(page: &str) -> &str {
    let at = page.find("<ul class=\"problems\">").unwrap_or(0);
    let end = page[at..].find("</ul>").map_or(page.len(), |e| at + e);
    &page[at..end]
}

/// In Chromium asking for Korean, from a server whose own language is English: a refused
/// note's toast is Korean, and so is a badge's hover text.
#[test]
fn a_korean_browser_gets_korean_toasts_and_hover_text_from_an_english_server() {
    use crate::web_browser::{wait_until, Browser};
    use std::time::Duration;
    let mut c = course();
    c.set_env("LABNOTE_LANG", "en");
    let s = Server::start(&c, &[]);
    let b = Browser::start_lang("ko-KR");
    b.go(&format!("http://{}/lab/2-4?token={}", s.addr, s.token));
    let form = "form[data-memo-key=\"AWS Access Key ID\"]";
    b.find(form);
    b.js(
        "document.querySelector(arguments[0]).scrollIntoView(); window.scrollBy(0, -200);",
        json!([form]),
    );
    b.type_into(&format!("{form} [name=value]"), "   ");
    b.click(&format!("{form} button[type=submit]"));
    let toast = || {
        b.js(
            "var t = document.getElementById('toast'); return t.className + '|' + t.textContent;",
            json!([]),
        )
        .as_str()
        .unwrap_or("")
        .to_string()
    };
    wait_until("the refusal's toast", Duration::from_secs(20), || {
        toast().starts_with("show bad|")
    });
    let shot = b.screenshot("web-lang-toast-ko.png");
    let t = toast();
    assert!(t.contains("값이 주어지지 않았습니다"), "{t}");
    assert!(!t.contains("no value given"), "{t}");
    eprintln!("screenshot: {}", shot.display());
    // A badge's hover text on a lab with commands.
    b.go(&format!("http://{}/lab/3-1", s.addr));
    b.find("span.badge[data-class=\"run\"]");
    let title = b.prop("span.badge[data-class=\"run\"]", "title");
    let title = title.as_str().unwrap_or("");
    assert!(title.contains("실행할 명령"), "{title}");
}
