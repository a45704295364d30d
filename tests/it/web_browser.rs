//! `labnote serve` in a real browser: Debian's headless Chromium driven through
//! chromedriver's WebDriver protocol (a tiny JSON-over-HTTP client on `TcpStream`).
//!
//! Open the course, open lab 2-4, check a step (the CLI then shows it done), note a memo
//! value in the form (the lab file changes only in that value), reveal a secret, and see a
//! `labnote done` from the CLI appear on the page within 2 s. Screenshots are saved in
//! `target/test-artifacts/`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::web_http::{assert_only_key_id_noted, course, Server};
use crate::course::{crate_path, Course};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const LAB4: &str = "day2/lab4-aws-access-key.md";

/// One WebDriver call: `method path` with a JSON body; the answer's `value`.
fn wd(port: u16, method: &str, path: &str, body: &Value) -> Value {
    let body = if method == "GET" || method == "DELETE" {
        String::new()
    } else {
        body.to_string()
    };
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let text = read_response(&mut s);
    let (head, payload) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(payload)
    } else {
        payload.to_string()
    };
    let v: Value = serde_json::from_str(&payload)
        .unwrap_or_else(|_| panic!("WebDriver {method} {path}: {text:.300}"));
    v["value"].clone()
}

/// Read one response: chromedriver keeps the connection open, so read the head, then
/// `Content-Length` bytes (or chunks up to the last one).
fn read_response(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 8192];
    loop {
        let n = s.read(&mut byte).unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&byte[..n]);
        let text = String::from_utf8_lossy(&buf);
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            continue;
        };
        let head = head.to_ascii_lowercase();
        let len = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        match len {
            Some(len) if body.len() >= len => break,
            None if head.contains("chunked") && body.ends_with("0\r\n\r\n") => break,
            _ => {}
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

/// chromedriver and one Chromium session.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = wd(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            &json!({}),
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    pub(crate) fn start() -> Browser {
        Browser::start_lang("ko-KR")
    }

    /// A browser asking for pages in `lang` (`--lang` and its `Accept-Language`).
    pub(crate) fn start_lang(lang: &str) -> Browser {
        let port = crate::moto::free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver; scripts/test.sh installs it)");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = json!([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1200,1500",
            format!("--lang={lang}"),
            format!("--user-data-dir={}", profile.path().display()),
        ]);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args,
                "prefs": {"intl.accept_languages": lang}}
        }}});
        let v = wd(port, "POST", "/session", &caps);
        let session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Browser {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    pub(crate) fn call(&self, method: &str, path: &str, body: Value) -> Value {
        wd(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            &body,
        )
    }

    pub(crate) fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    /// Run a script in the page; its return value.
    pub(crate) fn js(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
    }

    /// The element for a CSS selector (waits up to 5 s for it).
    pub(crate) fn find(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            let v = self.call(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            );
            if let Some(id) = v
                .as_object()
                .and_then(|o| o.values().next())
                .and_then(Value::as_str)
            {
                return id.to_string();
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "no element {css}: {v}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Do `act` on the element for `css`, finding it again when the page's live update
    /// replaced it meanwhile (a stale element).
    pub(crate) fn on(&self, css: &str, what: &str, act: impl Fn(&str) -> Value) {
        let start = Instant::now();
        loop {
            let v = act(&self.find(css));
            if v.is_null() {
                return;
            }
            let stale = v["error"] == "stale element reference";
            assert!(
                stale && start.elapsed() < Duration::from_secs(5),
                "{what} {css}: {v}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn click(&self, css: &str) {
        self.on(css, "click", |id| {
            self.call("POST", &format!("/element/{id}/click"), json!({}))
        });
    }

    pub(crate) fn type_into(&self, css: &str, text: &str) {
        self.on(css, "type into", |id| {
            let v = self.call("POST", &format!("/element/{id}/clear"), json!({}));
            if !v.is_null() {
                return v;
            }
            self.call(
                "POST",
                &format!("/element/{id}/value"),
                json!({ "text": text }),
            )
        });
    }

    /// `document.querySelector(css)[prop]`.
    pub(crate) fn prop(&self, css: &str, prop: &str) -> Value {
        self.js(
            "var e = document.querySelector(arguments[0]); return e ? e[arguments[1]] : null;",
            json!([css, prop]),
        )
    }

    pub(crate) fn screenshot(&self, name: &str) -> std::path::PathBuf {
        use base64::Engine;
        let v = self.call("GET", "/screenshot", json!({}));
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("screenshot data"))
            .unwrap();
        let dir = crate_path("target/test-artifacts");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, png).unwrap();
        path
    }
}

pub(crate) fn wait_until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    start.elapsed()
}

fn step_state(c: &Course, id: &str) -> String {
    c.steps("2-4")
        .into_iter()
        .find(|s| s["id"] == id)
        .map(|s| s["state"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn the_course_in_a_real_browser() {
    let c = course();
    c.ok(&["memo", "set", "2-4", "AWS Secret Access key", SECRET]);
    let s = Server::start(&c, &[]);
    let b = Browser::start();

    // The course page, through the printed URL (the token becomes a cookie).
    b.go(&format!("http://{}/?token={}", s.addr, s.token));
    b.find("[data-lab-row=\"2-4\"]");
    assert_eq!(
        b.prop("[data-lab-row=\"2-4\"] [data-progress]", "textContent"),
        "0/5"
    );
    let url = b.call("GET", "/url", json!({}));
    assert!(
        !url.as_str().unwrap().contains("token"),
        "the token left the URL: {url}"
    );
    b.screenshot("web-course.png");

    // Lab 2-4.
    b.click("a[href=\"/lab/2-4\"]");
    b.find("main[data-lab=\"2-4\"]");

    // Check step 4: the CLI sees it.
    b.click("input[type=checkbox][data-step=\"4\"]");
    wait_until("step 4 done in the CLI", Duration::from_secs(5), || {
        step_state(&c, "4") == "done"
    });

    // Note a value in the memo form: only that value changes in the file.
    let before = c.lab_text(LAB4);
    b.type_into(
        "form[data-memo-key=\"AWS Access Key ID\"] input[name=value]",
        "AKIAIOSFODNN7EXAMPLE",
    );
    b.click("form[data-memo-key=\"AWS Access Key ID\"] button[type=submit]");
    wait_until("the value in the lab file", Duration::from_secs(5), || {
        c.lab_text(LAB4).contains("AKIAIOSFODNN7EXAMPLE")
    });
    let after = c.lab_text(LAB4);
    assert_only_key_id_noted(&before, &after);
    // The page shows it without a reload.
    wait_until(
        "the noted value on the page",
        Duration::from_secs(3),
        || {
            b.prop("[data-placeholder=\"AWS Access Key ID\"]", "textContent")
                .as_str()
                .is_some_and(|t| t.contains("AKIAIOSFODNN7EXAMPLE"))
        },
    );

    // Reveal a secret: masked until the click.
    let masked = "[data-placeholder=\"AWS Secret Access key\"] .ph-val";
    assert_eq!(b.prop(masked, "textContent"), "••••");
    let html = b.js("return document.documentElement.outerHTML;", json!([]));
    assert!(
        !html.as_str().unwrap().contains(SECRET),
        "no secret before a reveal"
    );
    b.click("[data-placeholder=\"AWS Secret Access key\"] [data-reveal]");
    wait_until("the revealed secret", Duration::from_secs(3), || {
        b.prop(masked, "textContent") == SECRET
    });
    b.js(
        "document.querySelector('#step-4').scrollIntoView();",
        json!([]),
    );
    let shot = b.screenshot("web-lab-2-4-revealed.png");
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot"
    );

    // A `labnote done` in another terminal appears within 2 s, without a reload.
    b.js("window.__marker = 'same page';", json!([]));
    let cb2 = "input[type=checkbox][data-step=\"2\"]";
    assert_eq!(b.prop(cb2, "checked"), false);
    c.ok(&["done", "2-4", "2"]);
    let took = wait_until("the CLI's done on the page", Duration::from_secs(2), || {
        b.prop(cb2, "checked") == true
    });
    eprintln!("the CLI's done reached the page in {took:?}");
    assert_eq!(
        b.js("return window.__marker;", json!([])),
        "same page",
        "no reload"
    );
    assert_eq!(b.prop("header [data-progress]", "textContent"), "2/5");
    b.js("window.scrollTo(0, 0);", json!([]));
    b.screenshot("web-lab-2-4.png");
}

/// `/api/copy` with `body`: the text the page's Copy button of that cell or block copies
/// (asked of the server as the page's script asks it).
fn copied(s: &Server, body: Value) -> String {
    let r = s.post("/api/copy", &body);
    r.json()["value"]
        .as_str()
        .unwrap_or_else(|| panic!("/api/copy {body}: {}", r.json()))
        .to_string()
}

/// Issue 20, items 7 and 9: lab 9-7 (`tests/fixtures/layout/long-values.md`: a table of an
/// ACM ARN, an EKS URL and 1,800 characters of CA data; a value of several lines) at 1,280 px
/// and at 390 px (a phone). No table is wider than the page and the page does not scroll
/// sideways; the value of several lines shows decoded, line for line, on the course page, in
/// a table cell and in a code block; a cell's Copy gives its whole filled text and a block's
/// Copy the whole filled block. Screenshots: `target/test-artifacts/web-long-values-*.png`.
#[test]
fn long_values_stay_inside_the_page_at_1280_and_390_px() {
    let c = crate::layout_term::course();
    c.init();
    let roles = "- rolearn: arn:aws:iam::123456789012:role/eks-node-role\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:nodes";
    c.memo_set_on_stdin("9-7", "aws_auth_roles", roles);
    assert!(
        c.lab_text("day9/long-values.md").contains("b64:"),
        "stored encoded"
    );
    let s = Server::start(&c, &[]);
    let b = Browser::start();
    b.go(&format!("http://{}/?token={}", s.addr, s.token));
    b.find("[data-lab-row=\"9-7\"]");
    for (w, h) in [(1280, 900), (390, 844)] {
        b.call(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setDeviceMetricsOverride",
                   "params": {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 500}}),
        );
        for (page, name) in [("/", "course"), ("/lab/9-7", "lab")] {
            b.go(&format!("http://{}{page}", s.addr));
            b.find("main");
            let m = b.js(
                "return { inner: window.innerWidth, doc: document.documentElement.scrollWidth,
                          tables: Array.from(document.querySelectorAll('table')).map(function (t) {
                            var r = t.getBoundingClientRect(); return [r.width, r.right]; }) };",
                json!([]),
            );
            eprintln!("{name} at {w} px: {m}");
            let inner = m["inner"].as_f64().unwrap();
            assert_eq!(inner, f64::from(w), "{m}");
            assert!(
                m["doc"].as_f64().unwrap() <= inner,
                "{name} scrolls sideways at {w} px: {m}"
            );
            let tables = m["tables"].as_array().unwrap();
            assert!(!tables.is_empty(), "{m}");
            for t in tables {
                assert!(
                    t[0].as_f64().unwrap() <= inner && t[1].as_f64().unwrap() <= inner + 0.5,
                    "a table wider than the page at {w} px: {m}"
                );
            }
            b.screenshot(&format!("web-long-values-{name}-{w}.png"));
            if name == "lab" {
                // The long table scrolled into view for the screenshot of its cells.
                b.js(
                    "document.querySelector('button[data-cell]').closest('table').scrollIntoView();",
                    json!([]),
                );
                b.screenshot(&format!("web-long-values-table-{w}.png"));
            }
        }
    }
    // The course page's values: decoded, line for line, never the stored `b64:`.
    b.go(&format!("http://{}/", s.addr));
    let values = b.prop("table.noted", "innerText");
    let values = values.as_str().unwrap();
    assert!(!values.contains("b64:"), "{values}");
    assert!(
        values.contains("- rolearn: arn:aws:iam::123456789012:role/eks-node-role\n  username: system:node:{{EC2PrivateDNSName}}"),
        "{values}"
    );
    // The lab page: in its table cell and in the code block, line for line.
    b.go(&format!("http://{}/lab/9-7", s.addr));
    let cell = b.js(
        "return Array.from(document.querySelectorAll('td')).map(function (t) { return t.innerText; })
           .filter(function (t) { return t.indexOf('rolearn') >= 0; })[0];",
        json!([]),
    );
    assert!(
        cell.as_str()
            .unwrap()
            .contains("eks-node-role\n  username: system:node"),
        "{cell}"
    );
    let code = b.js(
        "return Array.from(document.querySelectorAll('.code pre')).map(function (p) { return p.innerText; })
           .filter(function (t) { return t.indexOf('mapRoles') >= 0; })[0];",
        json!([]),
    );
    assert!(
        code.as_str().unwrap().contains("  mapRoles: |\n- rolearn: arn:aws:iam::123456789012:role/eks-node-role\n  username: system:node"),
        "{code}"
    );
    // The memo panel edits it decoded too, in a box of several lines.
    let edit = b.prop(
        "form[data-memo-key=\"aws_auth_roles\"] textarea[name=value]",
        "value",
    );
    assert_eq!(edit.as_str(), Some(roles), "{edit}");
    // Copy: the network cell as the student pastes it; the kubeconfig block whole.
    let n = b.js(
        "return Array.from(document.querySelectorAll('button[data-cell]')).filter(function (b) {
           return b.closest('td').querySelector('[data-placeholder=gitopsconsole_ID]'); })[0].dataset.cell;",
        json!([]),
    );
    let n: usize = n.as_str().unwrap().parse().unwrap();
    let cell = copied(&s, json!({ "lab": "9-7", "cell": n }));
    assert!(
        cell.starts_with("network-student07-") && cell.len() == "network-student07-".len() + 6,
        "{cell:?}"
    );
    let block = b.js(
        "return Array.from(document.querySelectorAll('.code')).filter(function (c) {
           return c.innerText.indexOf('mapRoles') >= 0; })[0].dataset.code;",
        json!([]),
    );
    let block: usize = block.as_str().unwrap().parse().unwrap();
    let text = copied(&s, json!({ "lab": "9-7", "block": block }));
    assert_eq!(text, format!("data:\n  mapRoles: |\n{roles}\n"));
}

/// The access-key lab's `.csv` step takes the console's file: chosen in the file picker
/// (WebDriver types its path into the `<input type=file>`), POSTed with the CSRF token; the
/// page then shows the key id and `••••`, and the lab holds the secret only encrypted.
#[test]
fn the_console_csv_uploaded_on_the_2_4_page() {
    use crate::moto::{block_on, Moto};
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    let _user = crate::import_csv::fresh_mspuser();
    let (id, secret) = block_on(Moto::get().create_key("mspuser"));
    let csv = c.root.join("mspuser_accessKeys.csv");
    std::fs::write(
        &csv,
        format!("\u{feff}Access key ID,Secret access key\r\n{id},{secret}\r\n"),
    )
    .unwrap();
    let s = Server::start(&c, &[]);
    let b = Browser::start();
    b.go(&format!("http://{}/lab/2-4?token={}", s.addr, s.token));
    b.find("main[data-lab=\"2-4\"]");
    // The picker sits in the step that downloads the .csv (5. 저장), once.
    let boxes = b.js(
        "return Array.from(document.querySelectorAll('[data-csv-lab]')).map(function (e) { var h = e.previousElementSibling; while (h && !/^H[1-6]$/.test(h.tagName)) { h = h.previousElementSibling; } return h ? h.id : ''; });",
        json!([]),
    );
    assert_eq!(boxes.as_array().map(Vec::len), Some(1), "{boxes}");
    let path = csv.display().to_string();
    b.on("input[type=file][data-csv-file]", "choose a file", |el| {
        b.call(
            "POST",
            &format!("/element/{el}/value"),
            json!({ "text": path }),
        )
    });
    wait_until("the key id on the page", Duration::from_secs(10), || {
        b.prop("[data-placeholder=\"AWS Access Key ID\"]", "textContent")
            .as_str()
            .is_some_and(|t| t.contains(&id))
    });
    assert_eq!(
        b.prop(
            "[data-placeholder=\"AWS Secret Access key\"] .ph-val",
            "textContent"
        ),
        "••••"
    );
    let html = b.js("return document.documentElement.outerHTML;", json!([]));
    assert!(
        !html.as_str().unwrap().contains(&secret),
        "no secret on the page"
    );
    let text = c.lab_text(LAB4);
    assert!(
        text.contains(&format!("_<< AWS Access Key ID>>_ : {id}  \n")),
        "{text}"
    );
    assert!(
        text.contains("_<< AWS Secret Access key>>_ : `age:"),
        "{text}"
    );
    assert!(!text.contains(&secret));
    assert!(!c.journal_text().contains(&secret));
    assert_eq!(c.memo_get("2-4", "AWS Secret Access key"), secret);
    b.js(
        "var e = document.querySelector('[data-csv-lab]'); e.scrollIntoView(); window.scrollBy(0, -300);",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    let shot = b.screenshot("web-lab-2-4-csv.png");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    // The server's log never held the secret.
    drop(b);
    let log: Vec<String> = s.stderr.try_iter().collect();
    assert!(!log.concat().contains(&secret));
}
