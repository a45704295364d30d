//! Running blocks from the page in a real browser (headless Chromium through WebDriver, the
//! harness of `web_browser`), on `tests/fixtures/webrun/page-run.md` (lab `8-1`):
//!
//! * a block that `cd`s into a new folder, then one that prints `pwd`: the output shows the
//!   folder, the step is checked on the page, `labnote log` shows the run; a block that
//!   sleeps is stopped, and the next block still runs in the same session (its folder);
//! * a block printing a token at a note point: the candidate is offered masked, picked, and
//!   the value is noted encrypted (no file under the course or the home holds it).
//!
//! Screenshots: `target/test-artifacts/web-run-*.png`.

use std::time::Duration;

use serde_json::json;

use super::web_browser::{wait_until, Browser};
use super::web_http::Server;
use super::web_run::course;
use crate::course::Course;

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3ZWJydW4tZGVtbyJ9.d2VicnVuLXNpZ25hdHVyZQ";

fn status(b: &Browser) -> String {
    b.js(
        "var e = document.querySelector('[data-run-status]'); return e ? e.dataset.runStatus : '';",
        json!([]),
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn output(b: &Browser) -> String {
    b.prop("[data-run-output]", "textContent")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Press Run on step `step`'s block, see the confirmation, confirm; the command shown.
fn run(b: &Browser, step: &str) -> String {
    let button = format!("button[data-run][data-step=\"{step}\"]");
    // Above the run panel and below the sticky header.
    b.js(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); window.scrollBy(0, 200);",
        json!([button]),
    );
    b.click(&button);
    b.find("button[data-run-confirm]");
    let shown = b
        .prop("[data-run-command]", "textContent")
        .as_str()
        .unwrap_or_default()
        .to_string();
    b.click("button[data-run-confirm]");
    shown
}

fn ended(b: &Browser, want: &str) {
    wait_until(&format!("the run {want}"), Duration::from_secs(20), || {
        let s = status(b);
        assert!(s == "running" || s == want || s.is_empty(), "status {s}");
        s == want
    });
}

fn open_lab(s: &Server, b: &Browser) {
    b.go(&format!("http://{}/?token={}", s.addr, s.token));
    b.find("[data-lab-row=\"8-1\"]");
    b.go(&format!("http://{}/lab/8-1", s.addr));
    b.find("main[data-lab=\"8-1\"]");
}

#[test]
fn cd_then_pwd_from_the_page_checks_the_step_and_stop_keeps_the_session() {
    let c = course();
    let s = Server::start(&c, &[]);
    let b = Browser::start();
    open_lab(&s, &b);

    let shown = run(&b, "1-1");
    assert_eq!(shown, "mkdir -p webrun-work\ncd webrun-work\n");
    ended(&b, "passed");
    let shown = run(&b, "1-2");
    assert_eq!(shown, "pwd\n");
    ended(&b, "passed");
    let folder = c.file("webrun-work").canonicalize().unwrap();
    assert_eq!(output(&b).trim(), folder.display().to_string());
    // The step is checked on the page (its live update) and in the CLI's log.
    wait_until(
        "step 1-2 checked on the page",
        Duration::from_secs(5),
        || b.prop("input[type=checkbox][data-step=\"1-2\"]", "checked") == true,
    );
    let log = c.ok(&["log"]).stdout;
    let line = log
        .lines()
        .find(|l| l.contains(" 1-2 ") && l.contains(" run "))
        .unwrap_or_else(|| panic!("no run of 1-2 in the log:\n{log}"));
    assert!(line.contains("outcome=passed"), "{line}");
    b.screenshot("web-run-pwd.png");

    // A block that sleeps: Stop interrupts it, the session stays (its folder too).
    run(&b, "3-1");
    wait_until("the block's first line", Duration::from_secs(10), || {
        output(&b).contains("waiting")
    });
    assert_eq!(status(&b), "running");
    b.click("button[data-stop]");
    ended(&b, "stopped");
    b.screenshot("web-run-stopped.png");
    run(&b, "3-2");
    ended(&b, "passed");
    assert_eq!(output(&b).trim(), "still in webrun-work");
    let log = c.ok(&["log"]).stdout;
    assert!(
        log.lines()
            .any(|l| l.contains(" 3-1 ") && l.contains("outcome=interrupted")),
        "{log}"
    );
    b.screenshot("web-run-after-stop.png");
}

/// Every file under `dir` whose bytes hold `s`.
fn files_with(dir: &std::path::Path, s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if std::fs::read(&p).is_ok_and(|b| b.windows(s.len()).any(|w| w == s.as_bytes()))
            {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

fn page_html(b: &Browser) -> String {
    b.js("return document.documentElement.outerHTML;", json!([]))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_token_printed_at_a_note_point_is_picked_and_noted_encrypted() {
    let c: Course = course();
    let s = Server::start(&c, &[]);
    let b = Browser::start();
    open_lab(&s, &b);

    run(&b, "2-1");
    ended(&b, "passed");
    b.find("[data-candidate]");
    let first = b.prop("[data-candidate]", "textContent");
    let first = first.as_str().unwrap_or_default();
    assert!(first.contains("••••") && first.contains("token"), "{first}");
    // The offer names candidates by their place: no plaintext in a button.
    let offers = b.js(
        "return Array.from(document.querySelectorAll('[data-run-offers]')).map(e => e.outerHTML).join('');",
        json!([]),
    );
    assert!(!offers.as_str().unwrap().contains(TOKEN), "{offers}");
    b.click("[data-candidate=\"c0\"]");
    wait_until("the value noted", Duration::from_secs(10), || {
        b.prop("[data-run-noted]", "textContent")
            .as_str()
            .is_some_and(|t| t.contains("배포 토큰"))
    });
    b.screenshot("web-run-noted.png");
    // Noted as a secret, the token leaves the page's output too.
    assert!(!output(&b).contains(TOKEN), "{}", output(&b));
    assert_eq!(c.memo_get("8-1", "배포 토큰"), TOKEN);
    let lab = std::fs::read_to_string(c.file("page-run.md")).unwrap();
    assert!(
        lab.contains("➕ _<< 배포 토큰>>_ : `age:"),
        "encrypted in the memo"
    );
    assert_eq!(
        files_with(&c.root, TOKEN),
        Vec::<String>::new(),
        "no file under the course or the home holds the token"
    );

    // Noted, it is a secret the stream masks: the block that uses it shows it masked.
    let shown = run(&b, "4");
    assert!(!shown.contains(TOKEN) && shown.contains("••••"), "{shown}");
    ended(&b, "passed");
    assert!(
        output(&b).starts_with("deploying with ••••"),
        "{}",
        output(&b)
    );
    assert!(!page_html(&b).contains(TOKEN), "the page holds the token");
    b.screenshot("web-run-masked.png");
}
