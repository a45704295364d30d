//! `labnote serve --class URL` in headless Chromium (issue 25): the instructor's grid at
//! `/class` shows each student's progress per lab, the current step, the stuck, failing
//! and invalid marks, and follows a student's push without a reload. Screenshots go to
//! `target/test-artifacts/web-class*.png`.

use std::time::Duration;

use serde_json::json;

use super::class::{bare, class_course, file_url, plant};
use super::web_browser::{wait_until, Browser};
use super::web_http::{raw, Server};

/// The steps a student checks, lab by lab.
type Plan = &'static [(&'static str, &'static [&'static str])];

#[test]
fn the_class_grid_in_a_real_browser() {
    let mut teacher = class_course();
    teacher.set_env("LABNOTE_TEST_CLASS_REFETCH_MS", "300");
    let remote = teacher.root.join("class.git");
    bare(&remote);
    let url = file_url(&remote);

    // Five students at different places; one run fails.
    let plans: [(&str, Plan); 4] = [
        (
            "kim-minsu",
            &[
                ("9-1", &["1-1", "1-2", "2-1", "2-2"]),
                ("9-2", &["1-1", "1-2", "2-1"]),
            ],
        ),
        ("lee-jiwoo", &[("9-1", &["1-1", "1-2"])]),
        ("park-seoyeon", &[("9-1", &["1-1"])]),
        ("choi-hana", &[]),
    ];
    let mut students = Vec::new();
    for (name, plan) in plans {
        let c = class_course();
        c.ok(&["class", "join", &url, "--as", name]);
        for (lab, steps) in plan {
            let mut args = vec!["done", lab];
            args.extend(steps.iter());
            c.ok(&args);
        }
        students.push((name, c));
    }
    let r = students[2].1.run(&["run", "9-1", "2-1", "--yes"]);
    assert_ne!(r.code, 0, "{}", r.text());
    for (name, c) in &students {
        let r = c.run(&["class", "push"]);
        assert_eq!(r.code, 0, "{name}: {}", r.text());
    }
    // A student who checked nothing for an hour: stuck (a report as labnote writes it,
    // with its times an hour back).
    let old = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(61))
        .round(jiff::Unit::Second)
        .unwrap()
        .to_string();
    let stale = students[1]
        .1
        .ok(&["class", "preview"])
        .stdout
        .replace("\"lee-jiwoo\"", "\"jung-away\"");
    let stale = regex::Regex::new(r#""at": "[^"]+""#)
        .unwrap()
        .replace_all(&stale, format!("\"at\": \"{old}\"").as_str())
        .into_owned();
    let work = teacher.root.join("plant");
    plant(
        &work,
        &url,
        "jung-away",
        &[("progress/jung-away.json", stale.into_bytes())],
    );
    // And a branch that is no report.
    plant(
        &work,
        &url,
        "hostile",
        &[(
            "progress/hostile.json",
            b"<img src=x onerror=alert(1)>".to_vec(),
        )],
    );

    std::fs::create_dir_all(&teacher.course).unwrap();
    let s = Server::start(&teacher, &["--class", &url]);

    // Same guard as the course page: no token, no grid.
    let bare_req = format!(
        "GET /class HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    assert_eq!(raw(&s.addr, bare_req.as_bytes()).status, 401);
    let grid = s.get("/class");
    assert_eq!(grid.status, 200);
    let csp = grid
        .header("content-security-policy")
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!grid.body.contains("<script>"), "no inline script");

    let b = Browser::start();
    b.go(&format!("http://{}/class?token={}", s.addr, s.token));
    b.find("tr[data-student=\"kim-minsu\"]");
    let cell = |student: &str, lab: &str| {
        b.js(
            "var e = document.querySelector('tr[data-student=\"' + arguments[0] + '\"] td[data-lab=\"' + arguments[1] + '\"]'); \
             return e ? [e.className, e.textContent] : null;",
            json!([student, lab]),
        )
    };
    assert_eq!(cell("kim-minsu", "9-1"), json!(["cell full", "4/4"]));
    assert_eq!(cell("kim-minsu", "9-2"), json!(["cell full", "3/3"]));
    assert_eq!(cell("lee-jiwoo", "9-1"), json!(["cell part", "2/4"]));
    assert_eq!(cell("choi-hana", "9-1"), json!(["cell none", "0/4"]));
    let row_class = |student: &str| {
        b.js(
            "var e = document.querySelector('tr[data-student=\"' + arguments[0] + '\"]'); return e ? e.className : null;",
            json!([student]),
        )
    };
    assert_eq!(row_class("park-seoyeon"), json!("failing"));
    assert_eq!(row_class("jung-away"), json!("stuck"));
    assert_eq!(row_class("hostile"), json!("invalid"));
    assert_eq!(
        b.js("return document.querySelectorAll('img').length;", json!([])),
        json!(0),
        "the invalid branch is never rendered raw"
    );
    let current = b.js(
        "return document.querySelector('tr[data-student=\"lee-jiwoo\"] td.current').textContent;",
        json!([]),
    );
    assert_eq!(current, json!("9-1 · 2-1"));
    let shot = b.screenshot("web-class.png");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);

    // A student goes on; the grid follows without a reload.
    b.js("document.body.dataset.mark = 'same-page';", json!([]));
    let (_, choi) = &students[3];
    choi.ok(&["done", "9-1", "1-1", "1-2", "2-1"]);
    choi.ok(&["class", "push"]);
    wait_until(
        "the grid shows choi's push",
        Duration::from_secs(30),
        || cell("choi-hana", "9-1") == json!(["cell part", "3/4"]),
    );
    assert_eq!(
        b.js("return document.body.dataset.mark;", json!([])),
        json!("same-page")
    );
    b.screenshot("web-class-updated.png");
}
