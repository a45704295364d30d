//! Issue 22 in a real browser (headless Chromium through WebDriver, the harness of
//! `web_browser`): a value noted in the form at a prose note point of our own lab 8-1 fills
//! the placeholder of lab 8-2, open in another tab, without a reload (a secret stays masked
//! there); and under `Accept-Language: ko` the page's own words are Korean — no English
//! message of the page's is left in its text outside the lab's own text. Screenshots are
//! saved in `target/test-artifacts/`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use super::web_browser::{wait_until, Browser};
use super::web_http::{webnote_course, Server, NOTE_LAB1};
use crate::course::crate_path;

/// The WebDriver handle of a new tab (not switched to).
fn new_tab(b: &Browser) -> String {
    let v = b.call("POST", "/window/new", json!({"type": "tab"}));
    v["handle"]
        .as_str()
        .unwrap_or_else(|| panic!("no new tab: {v}"))
        .to_string()
}

fn switch_to(b: &Browser, handle: &str) {
    b.call("POST", "/window", json!({ "handle": handle }));
}

fn text_of(b: &Browser, css: &str) -> String {
    b.prop(css, "textContent")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_value_noted_at_a_prose_note_point_fills_the_later_lab_without_a_reload() {
    let c = webnote_course();
    let s = Server::start(&c, &[]);
    let b = Browser::start_lang("ko-KR");
    let arn = "arn:aws:s3:::archive-webnote-7";
    let token = "upl_M3kQ9xT2vLr8WcZ5pNd1";

    // Tab 1: the later lab, its placeholders not noted yet.
    b.go(&format!("http://{}/lab/8-2?token={}", s.addr, s.token));
    b.find("main[data-lab=\"8-2\"]");
    let later = b.call("GET", "/window", json!({}));
    let later = later.as_str().unwrap().to_string();
    let ph = "main li [data-placeholder=\"메모한 Bucket ARN\"]";
    assert_eq!(
        b.js(
            "return document.querySelector(arguments[0]).className;",
            json!([ph])
        ),
        "ph missing"
    );
    b.js("window.__marker = 'same page';", json!([]));

    // Tab 2: lab 8-1, where the course asks for the ARN in prose.
    let here = new_tab(&b);
    switch_to(&b, &here);
    b.go(&format!("http://{}/lab/8-1", s.addr));
    let form = "form[data-note-point][data-names=\"메모한 Bucket ARN\"]";
    b.find(form);
    let f = b.js(
        "var f = document.querySelector(arguments[0]); var s = f.querySelector('select[name=name]');
         return { lab: f.dataset.lab, step: f.dataset.step, chosen: s.value,
                  first: s.options[0].value, type: f.querySelector('input[name=value]').type,
                  offers: Array.from(s.options).map(function (o) { return o.value; }),
                  submit: !!f.querySelector('button[type=submit]') };",
        json!([form]),
    );
    assert_eq!(f["lab"], "8-1", "{f}");
    assert_eq!(f["step"], "1", "{f}");
    assert_eq!(f["chosen"], "Bucket ARN", "the first offer chosen: {f}");
    assert_eq!(f["first"], "Bucket ARN", "{f}");
    assert_eq!(f["type"], "text", "{f}");
    assert_eq!(f["submit"], true, "{f}");
    assert_eq!(
        f["offers"],
        json!(["Bucket ARN", "담당자 이메일", ""]),
        "the value asked, the lab's memo entry, a new name: {f}"
    );
    // The form sits in the list item of the sentence that asks.
    let li = b.js(
        "return document.querySelector(arguments[0]).closest('li').textContent;",
        json!([form]),
    );
    assert!(
        li.as_str().unwrap().contains("Bucket ARN을 메모📝 합니다"),
        "{li}"
    );
    b.js(
        "document.querySelector(arguments[0]).scrollIntoView(); window.scrollBy(0, -200);",
        json!([form]),
    );
    b.type_into(&format!("{form} input[name=value]"), arn);
    b.screenshot("web-note-point-form.png");
    b.click(&format!("{form} button[type=submit]"));
    wait_until("the ARN in lab 8-1", Duration::from_secs(5), || {
        c.lab_text(NOTE_LAB1).contains(arn)
    });

    // The secret: a password field; noted encrypted.
    let secret_form = "form[data-note-point][data-names=\"메모한 Upload token\"]";
    assert_eq!(
        b.prop(&format!("{secret_form} input[name=value]"), "type"),
        "password"
    );
    b.type_into(&format!("{secret_form} input[name=value]"), token);
    let before = refreshes(&b);
    b.click(&format!("{secret_form} button[type=submit]"));
    wait_until("the token in lab 8-1", Duration::from_secs(5), || {
        c.lab_text(NOTE_LAB1)
            .contains("**<< Upload token>>** : `age:")
    });
    // The page redraws itself on the change (SSE): let it settle before the next form, or
    // the redraw replaces the form the test is filling.
    settled(&b, before);
    assert!(!c.lab_text(NOTE_LAB1).contains(token));
    assert_eq!(c.memo_get("8-1", "Upload token"), token);

    // A new name: choosing "a new name" asks for it; the value becomes an entry of 8-1.
    let heading_form = "form[data-note-point][data-step=\"3\"]";
    assert_eq!(
        b.prop(&format!("{heading_form} input[name=new_name]"), "hidden"),
        true
    );
    b.js(
        "var s = document.querySelector(arguments[0] + ' select[name=name]'); s.value = '';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        json!([heading_form]),
    );
    assert_eq!(
        b.prop(&format!("{heading_form} input[name=new_name]"), "hidden"),
        false
    );
    b.type_into(&format!("{heading_form} input[name=new_name]"), "버킷 리전");
    b.type_into(
        &format!("{heading_form} input[name=value]"),
        "ap-northeast-2",
    );
    b.click(&format!("{heading_form} button[type=submit]"));
    wait_until("the new entry in lab 8-1", Duration::from_secs(5), || {
        c.lab_text(NOTE_LAB1)
            .contains("**<< 버킷 리전>>** : ap-northeast-2")
    });

    // Tab 1 shows both without a reload: the ARN as it is, the token masked.
    switch_to(&b, &later);
    wait_until("the ARN in lab 8-2", Duration::from_secs(5), || {
        text_of(&b, ph).contains(arn)
    });
    assert_eq!(
        b.js("return window.__marker;", json!([])),
        "same page",
        "no reload"
    );
    let code = text_of(&b, ".code pre");
    assert!(code.contains(arn), "{code}");
    let masked = ".code [data-placeholder=\"메모한 Upload token\"] .ph-val";
    wait_until("the token masked", Duration::from_secs(5), || {
        text_of(&b, masked) == "••••"
    });
    let html = b.js("return document.documentElement.outerHTML;", json!([]));
    assert!(
        !html.as_str().unwrap().contains(token),
        "no secret on the page"
    );
    let shot = b.screenshot("web-note-later-lab.png");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    drop(b);
    let log: Vec<String> = s.stderr.try_iter().collect();
    assert!(!log.concat().contains(token));
    assert!(!c.journal_text().contains(token));
}

/// `id = value` of the one-line messages of a Fluent file.
fn messages(rel: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(crate_path(rel)).unwrap();
    text.lines()
        .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" = "))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .collect()
}

/// The English words of the page's own messages (the web's ids: `page-*`, `pagejs-*`, the
/// code badges, the CSV drop target): the text of each English value between its
/// placeables, where it differs from the Korean one and holds an English word.
fn english_words() -> Vec<String> {
    let en = messages("i18n/en/labnote.ftl");
    let ko = messages("i18n/ko/labnote.ftl");
    let ours = |id: &str| {
        id.starts_with("page-")
            || id.starts_with("pagejs-")
            || id.starts_with("render-code-")
            || id == "csv-drop"
    };
    let mut out: Vec<String> = Vec::new();
    for (id, value) in en.iter().filter(|(id, _)| ours(id)) {
        if ko.get(id) == Some(value) {
            continue;
        }
        let mut rest = value.as_str();
        let mut parts = Vec::new();
        while let Some(i) = rest.find('{') {
            parts.push(&rest[..i]);
            rest = rest[i..].split_once('}').map_or("", |x| x.1);
        }
        parts.push(rest);
        for p in parts {
            let p = p.trim_matches(|c: char| !c.is_alphanumeric());
            if p.chars().filter(char::is_ascii_alphabetic).count() >= 3
                && !out.iter().any(|o| o == p)
            {
                out.push(p.to_string());
            }
        }
    }
    assert!(out.len() > 40, "{out:?}");
    out
}

/// The page's own text: everything but the lab's (the lab's body, but our widgets in it;
/// the lab and step titles, the course's value names and noted values), with the titles,
/// placeholders and labels of those elements, and the script's words (`data-i18n`). The
/// names of the lab's values (in our widgets too: a memo entry's key, an offer) are taken
/// out of the text.
const OUR_TEXT: &str = r#"
var widgets = 'form, button, select, sup.ph-src, span.badge, .stale-mark, .next-mark, .issue, .csv-import, .img-missing, .img-remote, code.run-cmd, .issue-confirm';
var content = 'main.lab, .lab-head, li.lab a, ul.wanted code, table.noted td, header.top h1, .course-next a, .lab-next a';
function lab(el) { return el.closest(content) && !el.closest(widgets); }
var out = [];
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
var n;
while ((n = walker.nextNode())) {
  if (!lab(n.parentElement)) { out.push(n.textContent); }
}
document.querySelectorAll('[title], [placeholder], optgroup[label]').forEach(function (e) {
  if (lab(e) && !e.matches('.ph')) { return; }
  ['title', 'placeholder', 'label'].forEach(function (a) { if (e.hasAttribute(a)) { out.push(e.getAttribute(a)); } });
});
var words = JSON.parse(document.body.dataset.i18n || '{}');
// `{key}`: where the script puts a value.
Object.keys(words).forEach(function (k) { out.push(words[k].replace(/\{[a-z]+\}/g, ' ')); });
if (!document.querySelector('main.lab')) { out.push(document.title); }
var names = [];
document.querySelectorAll('[data-placeholder], [data-memo-key], option[value], [data-names], .key').forEach(function (e) {
  [e.dataset.placeholder, e.dataset.memoKey, e.tagName === 'OPTION' ? e.value : null, e.matches('.key') ? e.textContent : null]
    .concat((e.dataset.names || '').split('|'))
    .forEach(function (v) { if (v && v.trim()) { names.push(v.trim()); } });
});
names.sort(function (a, b) { return b.length - a.length; });
var text = out.join('\n');
names.forEach(function (v) { text = text.split(v).join(' '); });
return { lang: document.documentElement.lang, text: text };
"#;

/// The words of `words` that `text` holds as whole words.
fn found_in<'a>(words: &'a [String], text: &str) -> Vec<&'a String> {
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    words
        .iter()
        .filter(|w| {
            text.match_indices(w.as_str()).any(|(i, _)| {
                !word_char(text[..i].chars().next_back())
                    && !word_char(text[i + w.len()..].chars().next())
            })
        })
        .collect()
}

#[test]
fn under_accept_language_ko_the_pages_own_words_are_korean() {
    // The bundled course (the access-key lab: Issue key, the .csv drop target, blocks of
    // every kind) with our day-8 labs.
    let c = super::web_http::course();
    crate::course::copy_dir(
        &crate::course::fixture_path("webnote/day8"),
        &c.course.join("day8"),
    );
    c.ok(&["done", "2-4", "2"]);
    let s = Server::start(&c, &[]);
    let words = english_words();
    let b = Browser::start_lang("ko");
    let langs = {
        b.go(&format!("http://{}/?token={}", s.addr, s.token));
        b.find("main[data-course]");
        b.js("return navigator.languages;", json!([]))
    };
    assert_eq!(langs[0], "ko", "{langs}");
    for (path, shot) in [
        ("/", "web-ko-course.png"),
        ("/lab/2-4", "web-ko-lab-2-4.png"),
        ("/lab/8-1", "web-ko-lab-8-1.png"),
        ("/lab/2-3", ""),
        ("/lab/9-9", ""),
    ] {
        b.go(&format!("http://{}{path}", s.addr));
        b.find("main");
        if path == "/lab/2-4" {
            // Ask IAM nothing: the preview's words are the script's, checked in data-i18n.
            b.js("window.scrollTo(0, 0);", json!([]));
        }
        let got = b.js(OUR_TEXT, json!([]));
        assert_eq!(got["lang"], "ko", "{path}");
        let text = got["text"].as_str().unwrap();
        let english = found_in(&words, text);
        assert!(
            english.is_empty(),
            "{path}: English words of ours on a Korean page: {english:?}\n{text}"
        );
        if !shot.is_empty() {
            if path == "/lab/8-1" {
                b.js(
                    "var f = document.querySelector('form[data-note-point][data-step=\"1\"]'); f.scrollIntoView(); window.scrollBy(0, -250);",
                    json!([]),
                );
            }
            let p = b.screenshot(shot);
            assert!(std::fs::metadata(&p).unwrap().len() > 10_000);
        }
    }
    // The check itself fails on an English page: the same words are found there.
    drop(b);
    let b = Browser::start_lang("en-US");
    b.go(&format!("http://{}/lab/2-4?token={}", s.addr, s.token));
    b.find("main");
    let got = b.js(OUR_TEXT, json!([]));
    assert_eq!(got["lang"], "en");
    let text = got["text"].as_str().unwrap();
    let english = found_in(&words, text);
    assert!(english.len() > 5, "{english:?}");
}

/// How many times the page has redrawn its live part (`app.js` counts them).
fn refreshes(b: &Browser) -> u64 {
    b.js(
        "return Number(document.body.dataset.refreshed || 0);",
        json!([]),
    )
    .as_u64()
    .unwrap_or(0)
}

/// Wait until the page has redrawn since `before` and then for a second not again.
fn settled(b: &Browser, before: u64) {
    wait_until("the page redrawn", Duration::from_secs(10), || {
        refreshes(b) > before
    });
    let mut last = refreshes(b);
    let mut quiet = std::time::Instant::now();
    while quiet.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(100));
        let n = refreshes(b);
        if n != last {
            last = n;
            quiet = std::time::Instant::now();
        }
    }
}
