//! `labnote serve` over HTTP: every route and every refusal, against the real binary.
//!
//! The client is a few lines over `TcpStream` (one request per connection), so raw paths
//! such as `/files/../x` reach the server exactly as written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::course::Course;
use crate::moto::{self, Moto};

/// A response: status, header lines (lower-cased names) and body.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

/// Send `req` (a whole HTTP/1.1 request) to `addr` and read the answer.
pub fn raw(addr: &str, req: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect to labnote serve");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(req).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse(&buf)
}

fn parse(buf: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {text:.200}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A running `labnote serve --port 0` for a course.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub token: String,
    pub stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(c: &Course, extra: &[&str]) -> Server {
        let mut args = vec!["serve"];
        if !extra.contains(&"--port") && !extra.contains(&"--default-port") {
            args.extend(["--port", "0"]);
        }
        args.extend(extra.iter().filter(|a| **a != "--default-port"));
        let mut child = c
            .cmd(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start labnote serve");
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let (etx, erx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = etx.send(l);
            }
        });
        let url: String = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("labnote serve printed its URL");
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("URL: {url}"));
        let (addr, token) = rest.split_once("/?token=").expect("token in the URL");
        Server {
            child,
            addr: addr.to_string(),
            token: token.to_string(),
            stderr: erx,
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// A request with the token cookie and the right Host; `extra` header lines.
    pub fn request(&self, method: &str, path: &str, extra: &[&str], body: &str) -> Resp {
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nCookie: labnote_token={}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            self.token,
            body.len()
        );
        for h in extra {
            req.push_str(h);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        req.push_str(body);
        raw(&self.addr, req.as_bytes())
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], "")
    }

    /// The CSRF token the pages carry.
    pub fn csrf(&self) -> String {
        let page = self.get("/").body;
        let at = page
            .find("name=\"labnote-csrf\" content=\"")
            .expect("csrf meta")
            + 29;
        page[at..at + 48].to_string()
    }

    /// A POST as the page makes it (JSON, CSRF header).
    pub fn post(&self, path: &str, body: &serde_json::Value) -> Resp {
        let csrf = format!("X-CSRF-Token: {}", self.csrf());
        self.request(
            "POST",
            path,
            &[&csrf, "Content-Type: application/json"],
            &body.to_string(),
        )
    }
}

/// The bundled course with an identity, and a real image where lab 2-4's first one points.
pub fn course() -> Course {
    let c = Course::empty().with_bundled_labs();
    c.init();
    std::fs::create_dir_all(c.file("images")).unwrap();
    std::fs::write(c.file("images/115.png"), png()).unwrap();
    c
}

/// A PNG for the lab's image (any PNG of the machine; the bytes matter only as bytes).
pub fn png() -> Vec<u8> {
    std::fs::read("/usr/share/icons/hicolor/128x128/apps/chromium.png")
        .unwrap_or_else(|_| b"\x89PNG\r\n\x1a\n not a real picture".to_vec())
}

/// The lines that differ between two versions of a file (which must have as many lines).
pub fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    assert_eq!(
        before.lines().count(),
        after.lines().count(),
        "lines added or removed"
    );
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The one line noting an access key id changes in lab 2-4, and only its value.
pub fn assert_only_key_id_noted(before: &str, after: &str) {
    assert_eq!(
        changed_lines(before, after),
        [(
            "> ➕ _<< AWS Access Key ID>>_ :  ".to_string(),
            "> ➕ _<< AWS Access Key ID>>_ : AKIAIOSFODNN7EXAMPLE  ".to_string()
        )],
        "only the value changed"
    );
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = concat!("ghp_", "exampleTOKENnotReal0123456789abcd");

/// A course holding two secrets (noted through the CLI) and a key id.
fn course_with_secrets() -> Course {
    let c = course();
    c.ok(&[
        "memo",
        "set",
        "2-4",
        "AWS Access Key ID",
        "AKIAIOSFODNN7EXAMPLE",
    ]);
    c.ok(&["memo", "set", "2-4", "AWS Secret Access key", SECRET]);
    c.ok(&["memo", "set", "2-3", "github_token", TOKEN]);
    c.ok(&["memo", "set", "2-3", "github_username", "octocat"]);
    c
}

const LAB4: &str = "day2/lab4-aws-access-key.md";

#[test]
fn token_sets_a_strict_cookie_and_is_required() {
    let c = course();
    let s = Server::start(&c, &[]);
    let host = format!("Host: {}", s.addr);
    let plain = |path: &str, extra: &str| {
        raw(
            &s.addr,
            format!("GET {path} HTTP/1.1\r\n{host}\r\n{extra}Connection: close\r\n\r\n").as_bytes(),
        )
    };
    let r = plain(&format!("/?token={}", s.token), "");
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r.header("set-cookie").expect("a cookie");
    assert!(
        cookie.starts_with(&format!("labnote_token={};", s.token)),
        "{cookie}"
    );
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(r.header("location"), Some("/"), "the token leaves the URL");

    for (what, path, extra) in [
        ("no token", "/", ""),
        ("no token", "/lab/2-4", ""),
        ("no token", "/static/app.js", ""),
        ("wrong cookie", "/", "Cookie: labnote_token=0123\r\n"),
        ("wrong query token", "/?token=00ff", ""),
    ] {
        let r = plain(path, extra);
        assert_eq!(r.status, 401, "{what} {path}: {}", r.body);
        assert!(!r.body.contains("data-lab"), "{what}: no page content");
    }
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn a_foreign_host_is_refused() {
    let c = course();
    let s = Server::start(&c, &[]);
    let port = s.port();
    for host in [
        format!("evil.example:{port}"),
        "127.0.0.1:1".into(),
        "localhost".into(),
    ] {
        let req = format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nCookie: labnote_token={}\r\nConnection: close\r\n\r\n",
            s.token
        );
        let r = raw(&s.addr, req.as_bytes());
        assert_eq!(r.status, 421, "Host {host}: {}", r.body);
    }
    let req = format!(
        "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nCookie: labnote_token={}\r\nConnection: close\r\n\r\n",
        s.token
    );
    assert_eq!(
        raw(&s.addr, req.as_bytes()).status,
        200,
        "localhost is ours"
    );
    // --allow-host adds a proxy's name.
    let s2 = Server::start(&c, &["--allow-host", "preview.example"]);
    let req = format!(
        "GET / HTTP/1.1\r\nHost: preview.example\r\nCookie: labnote_token={}\r\nConnection: close\r\n\r\n",
        s2.token
    );
    assert_eq!(raw(&s2.addr, req.as_bytes()).status, 200);
}

#[test]
fn pages_carry_a_strict_policy_and_no_inline_script() {
    let c = course();
    let s = Server::start(&c, &[]);
    for path in ["/", "/lab/2-4", "/lab/2-3", "/lab/2-5"] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        let csp = r.header("content-security-policy").expect("CSP");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        let scripts = r.body.matches("<script").count();
        let external = r.body.matches("<script src=\"/static/app.js\"").count();
        assert_eq!(scripts, external, "{path}: only the embedded script file");
        assert!(
            !r.body.contains(" onclick") && !r.body.contains(" onerror"),
            "{path}"
        );
    }
}

#[test]
fn every_route_answers() {
    let c = course();
    let s = Server::start(&c, &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    for id in ["2-3", "2-4", "2-5"] {
        assert!(
            home.body.contains(&format!("href=\"/lab/{id}\"")),
            "{id} listed"
        );
    }
    assert!(
        home.body.contains("<span data-progress>0/5</span>"),
        "lab 2-4 progress"
    );
    assert!(home.body.contains("2일차"), "days");
    let lab = s.get("/lab/2-4");
    assert!(lab.body.contains("data-lab=\"2-4\""));
    assert!(lab.body.contains("type=\"checkbox\" data-step=\"4\""));
    assert!(lab.body.contains("data-memo-key=\"AWS Access Key ID\""));
    assert!(lab
        .body
        .contains("data-placeholder=\"AWS Secret Access key\""));
    assert!(
        lab.body.contains("data-issue-lab=\"2-4\""),
        "Issue key on the access-key lab"
    );
    assert!(
        lab.body.contains("href=\"#step-4\""),
        "TOC entries point at the steps"
    );
    assert!(lab.body.contains("id=\"step-4\""));
    let l3 = s.get("/lab/2-3").body;
    assert!(
        l3.contains("labnote run 2-3"),
        "shell blocks show the run command"
    );
    assert!(l3.contains("data-copy"), "code blocks have Copy");
    assert!(
        !l3.contains("data-issue-lab"),
        "Issue key only on the access-key lab"
    );
    let js = s.get("/static/app.js");
    assert_eq!(js.status, 200);
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(js.body.contains("EventSource"));
    let css = s.get("/static/app.css");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    let v = s.get("/api/version").json();
    assert!(v["version"].as_u64().unwrap() >= 1);
    assert_eq!(s.get("/static/nope.js").status, 404);
    assert_eq!(s.get("/nowhere").status, 404);
    assert_eq!(s.request("GET", "/api/step", &[], "").status, 405);
}

#[test]
fn an_unknown_lab_is_404_and_names_the_labs() {
    let c = course();
    let s = Server::start(&c, &[]);
    let r = s.get("/lab/9-9");
    assert_eq!(r.status, 404);
    assert!(
        r.body.contains("no lab '9-9'") && r.body.contains("2-4"),
        "{}",
        r.body
    );
    let r = s.post(
        "/api/step",
        &serde_json::json!({"lab": "9-9", "step": "1", "done": true}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("9-9"));
}

#[test]
fn steps_are_checked_like_done_and_undo() {
    let c = course();
    let s = Server::start(&c, &[]);
    let r = s.post(
        "/api/step",
        &serde_json::json!({"lab": "2-4", "step": "4", "done": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let step4 = |c: &Course| {
        c.steps("2-4")
            .into_iter()
            .find(|st| st["id"] == "4")
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(step4(&c), "done", "the CLI sees the page's check");
    let page = s.get("/lab/2-4").body;
    assert!(
        page.contains("data-step=\"4\" data-lab=\"2-4\" title=\"done\" checked"),
        "checked on the page"
    );
    assert_eq!(c.events("done").len(), 1);
    let r = s.post(
        "/api/step",
        &serde_json::json!({"lab": "2-4", "step": "4", "done": false}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(step4(&c), "open");
    assert_eq!(
        c.events("undone").len(),
        1,
        "the same journal events as undo"
    );
    // A step edited after it was checked shows as stale.
    c.ok(&["done", "2-4", "2"]);
    let text = c
        .lab_text(LAB4)
        .replace("IAM 콘솔로 이동", "IAM 콘솔로 이동하기");
    std::fs::write(c.file(LAB4), text).unwrap();
    wait_for(
        || s.get("/lab/2-4").body.contains("class=\"step stale"),
        "stale mark",
    );
}

fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn changes_need_a_post_with_the_csrf_token() {
    let c = course();
    let s = Server::start(&c, &[]);
    let body = r#"{"lab":"2-4","step":"4","done":true}"#;
    let json = "Content-Type: application/json";
    let good = format!("X-CSRF-Token: {}", s.csrf());
    let cases: [(&str, Vec<&str>, u16); 5] = [
        ("no CSRF token", vec![json], 403),
        (
            "wrong CSRF token",
            vec![json, "X-CSRF-Token: 00112233"],
            403,
        ),
        (
            "a form post",
            vec![&good, "Content-Type: application/x-www-form-urlencoded"],
            415,
        ),
        (
            "another origin",
            vec![&good, json, "Origin: http://evil.example"],
            403,
        ),
        ("no content type", vec![&good], 415),
    ];
    for (what, headers, code) in cases {
        let r = s.request("POST", "/api/step", &headers, body);
        assert_eq!(r.status, code, "{what}: {}", r.body);
    }
    assert!(c.journal_text().is_empty(), "nothing was recorded");
    let origin = format!("Origin: http://{}", s.addr);
    let r = s.request("POST", "/api/step", &[&good, json, &origin], body);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn request_bodies_are_capped() {
    let c = course();
    let s = Server::start(&c, &[]);
    let before = c.lab_bytes(LAB4);
    let big = "x".repeat(40 * 1024);
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "2-4", "key": "AWS Access Key ID", "value": big}),
    );
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(c.lab_bytes(LAB4), before, "the lab file is untouched");
}

#[test]
fn files_are_served_only_from_inside_the_course_and_only_images() {
    let c = course();
    std::fs::write(c.root.join("outside.png"), b"outside").unwrap();
    std::os::unix::fs::symlink(c.root.join("outside.png"), c.file("images/link.png")).unwrap();
    let s = Server::start(&c, &[]);
    let r = s.get("/files/images/115.png");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    for path in [
        "/files/../outside.png",
        "/files/images/../../outside.png",
        "/files/%2e%2e/outside.png",
        "/files/images/%2e%2e/%2e%2e/outside.png",
        "/files/images/link.png",
        "/files/day2/lab4-aws-access-key.md",
        "/files/images/none.png",
        "/files//etc/hostname",
    ] {
        let r = s.get(path);
        assert_ne!(r.status, 200, "{path} must be refused");
        assert!(!r.body.contains("outside"), "{path}");
    }
    let page = s.get("/lab/2-4").body;
    assert!(
        page.contains("<img src=\"/files/images/115.png\""),
        "the image that exists"
    );
    assert!(
        page.contains("data-missing-image=\"images/116.png\""),
        "a missing image is a placeholder with its path"
    );
}

#[test]
fn memo_values_are_noted_through_the_page() {
    let c = course();
    let s = Server::start(&c, &[]);
    let before = c.lab_text(LAB4);
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "2-4", "key": "AWS Access Key ID", "value": "AKIAIOSFODNN7EXAMPLE"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let after = c.lab_text(LAB4);
    assert_only_key_id_noted(&before, &after);
    // A secret is encrypted, as `memo set` does, and comes back only on a reveal.
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "2-4", "key": "AWS Secret Access key", "value": SECRET}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let text = c.lab_text(LAB4);
    assert!(
        !text.contains(SECRET) && text.contains("age:"),
        "encrypted in the file"
    );
    assert_eq!(c.memo_get("2-4", "AWS Secret Access key"), SECRET);
    assert_eq!(c.events("memo-set").len(), 2);
    // An empty value is refused (that is unset); the file stays.
    let r = s.post(
        "/api/memo",
        &serde_json::json!({"lab": "2-4", "key": "AWS Access Key ID", "value": "  "}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(c.lab_text(LAB4), text);
    let r = s.post(
        "/api/memo/unset",
        &serde_json::json!({"lab": "2-4", "key": "AWS Access Key ID"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.run(&["memo", "get", "AWS Access Key ID", "--lab", "2-4"]);
    assert_ne!(r.code, 0, "emptied: {}", r.text());
    assert_eq!(c.events("memo-unset").len(), 1);
}

#[test]
fn secrets_leave_the_server_only_on_reveal_or_copy() {
    let c = course_with_secrets();
    let s = Server::start(&c, &[]);
    let mut pages = vec![
        "/".to_string(),
        "/static/app.js".into(),
        "/api/version".into(),
    ];
    pages.extend(["2-3", "2-4", "2-5"].iter().map(|id| format!("/lab/{id}")));
    for p in &pages {
        let r = s.get(p);
        assert_eq!(r.status, 200, "{p}");
        for secret in [SECRET, TOKEN] {
            assert!(!r.body.contains(secret), "{p} holds a secret");
            assert!(
                !r.body.contains(&secret[..12]),
                "{p} holds part of a secret"
            );
        }
    }
    let course_page = s.get("/").body;
    assert!(
        course_page.contains("AKIAIOSFODNN7EXAMPLE"),
        "non-secret values are listed"
    );
    assert!(course_page.contains("••••"), "secrets are masked");
    let lab5 = s.get("/lab/2-5").body;
    assert!(lab5.contains("data-placeholder=\"발급받은 AWS Secret Access key\""));
    assert!(lab5.contains("data-reveal"));
    // Reveal: the value, not to be stored.
    let r = s.post(
        "/api/reveal",
        &serde_json::json!({"lab": "2-5", "name": "발급받은 AWS Secret Access key"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["value"], SECRET);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let r = s.post(
        "/api/reveal",
        &serde_json::json!({"lab": "2-4", "key": "AWS Secret Access key"}),
    );
    assert_eq!(r.json()["value"], SECRET);
    // Copy of a code block: placeholders filled, the secret included.
    let r = s.post("/api/copy", &serde_json::json!({"lab": "2-5", "block": 0}));
    assert_eq!(r.status, 200, "{}", r.body);
    let text = r.json()["value"].as_str().unwrap().to_string();
    assert!(
        text.contains(&format!("AWS_SECRET_ACCESS_KEY=\"{SECRET}\"")),
        "{text}"
    );
    assert!(
        text.contains("AWS_ACCESS_KEY_ID=\"AKIAIOSFODNN7EXAMPLE\""),
        "{text}"
    );
    // Nothing secret in what the server logged.
    std::thread::sleep(Duration::from_millis(200));
    let log: Vec<String> = s.stderr.try_iter().collect();
    assert!(!log.join("\n").contains(SECRET), "{log:?}");
}

#[test]
fn a_cli_change_is_announced_within_a_second() {
    let c = course();
    let s = Server::start(&c, &[]);
    let mut stream = TcpStream::connect(&s.addr).unwrap();
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: {}\r\nCookie: labnote_token={}\r\n\r\n",
        s.addr, s.token
    )
    .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut seen = String::new();
    let mut read_for = |d: Duration, seen: &mut String| {
        let end = Instant::now() + d;
        let mut buf = [0u8; 4096];
        while Instant::now() < end {
            if let Ok(n) = stream.read(&mut buf) {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    };
    read_for(Duration::from_millis(300), &mut seen);
    assert!(seen.contains("text/event-stream"), "{seen}");
    assert!(!seen.contains("event: change"));
    let start = Instant::now();
    c.ok(&["done", "2-4", "2"]);
    while !seen.contains("event: change") && start.elapsed() < Duration::from_secs(2) {
        read_for(Duration::from_millis(50), &mut seen);
    }
    let took = start.elapsed();
    assert!(seen.contains("event: change"), "no event: {seen}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    // The first poll may catch the journal just created and still empty (the next poll
    // announces the record again): the page shows the step done within a second of it.
    let shown = Instant::now();
    while !s
        .get("/lab/2-4")
        .body
        .contains("data-step=\"2\" data-lab=\"2-4\" title=\"done\" checked")
    {
        assert!(
            shown.elapsed() < Duration::from_secs(1),
            "the page never showed step 2 done"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn loopback_by_default_a_warning_otherwise_and_the_next_free_port() {
    let c = course();
    let s = Server::start(&c, &[]);
    assert!(s.addr.starts_with("127.0.0.1:"), "{}", s.addr);
    let s2 = Server::start(&c, &["--bind", "0.0.0.0"]);
    let warn = s2.stderr.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(
        warn.contains("warning") && warn.contains("not a loopback"),
        "{warn}"
    );
    drop(s2);
    // The default port, or the next free one when it is taken.
    let hold = std::net::TcpListener::bind("127.0.0.1:8080");
    let s3 = Server::start(&c, &["--default-port"]);
    let port = s3.port();
    assert!((8080..8100).contains(&port), "{port}");
    if hold.is_ok() {
        assert_ne!(port, 8080, "8080 was taken");
    }
    assert_eq!(s3.get("/").status, 200);
}

#[test]
fn issue_key_shows_what_it_will_do_and_retires_only_the_confirmed_key() {
    let user = moto::unique_name("web");
    moto::block_on(Moto::get().create_user(&user));
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    std::fs::write(
        c.file("course.yaml"),
        format!("labs:\n  \"2-4\":\n    iam_user: {user}\n"),
    )
    .unwrap();
    // Two keys that the course does not know: one must be retired.
    for _ in 0..2 {
        moto::block_on(
            Moto::get()
                .iam_client()
                .create_access_key()
                .user_name(&user)
                .send(),
        )
        .unwrap();
    }
    let before = moto::key_ids(&user);
    let s = Server::start(&c, &[]);
    let p = s.post("/api/issue/preview", &serde_json::json!({"lab": "2-4"}));
    assert_eq!(p.status, 200, "{}", p.body);
    let p = p.json();
    assert_eq!(p["user"], user.as_str());
    assert_eq!(p["keys"].as_array().unwrap().len(), 2);
    let retire = p["retire"].as_str().expect("a key to retire").to_string();
    assert!(before.contains(&retire));
    assert_eq!(moto::key_ids(&user), before, "the preview changes nothing");
    // Not confirmed (or another key confirmed): nothing changes.
    for confirm in [serde_json::Value::Null, serde_json::json!("AKIANOTTHEONE")] {
        let r = s.post(
            "/api/issue",
            &serde_json::json!({"lab": "2-4", "retire": confirm}),
        );
        assert_eq!(r.status, 400, "{}", r.body);
        assert_eq!(moto::key_ids(&user), before);
    }
    let r = s.post(
        "/api/issue",
        &serde_json::json!({"lab": "2-4", "retire": retire}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["created"], true);
    assert_eq!(j["retired"], serde_json::json!([retire]));
    let new_id = j["access_key_id"].as_str().unwrap().to_string();
    let now = moto::key_ids(&user);
    assert!(now.contains(&new_id) && !now.contains(&retire), "{now:?}");
    let text = c.lab_text(LAB4);
    assert!(text.contains(&new_id), "the memo holds the new key id");
    let page = s.get("/lab/2-4").body;
    assert!(page.contains(&new_id), "the page shows it");
    let secret = c.memo_get("2-4", "AWS Secret Access key");
    assert!(!page.contains(&secret), "but not its secret");
}

#[test]
fn ctrl_c_stops_the_server_and_a_taken_port_is_an_error() {
    let c = course();
    let mut s = Server::start(&c, &[]);
    let pid = s.child.id() as i32;
    // SAFETY: sends SIGINT to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let start = Instant::now();
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "still serving after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    // An explicit port that is taken: a clear error, exit 1.
    let hold = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = hold.local_addr().unwrap().port().to_string();
    let r = c.run(&["serve", "--port", &port]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr.contains(&port) && r.stderr.contains("--port"),
        "{}",
        r.stderr
    );
}

#[test]
fn lab_html_is_sanitized_and_cannot_forge_widgets() {
    let c = course();
    let hostile = "# 9일차 - Lab 9. 위험한 실습\n\n## ✔ 1. 스크립트\n\n<script>alert('x')</script>\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\n<a href=\"javascript:alert(1)\">링크</a> [밖으로](https://example.com/) [파일](../../../etc/passwd)\n\n<button data-reveal data-name=\"AWS Secret Access key\">가짜</button> \u{E000}0\u{E001}\n\n<details>\n<summary>참고</summary>\n\n| a | b |\n|---|---|\n| <<AWS Access Key ID>> | x<br>y |\n\n</details>\n\n<iframe src=\"https://example.com\"></iframe><form action=\"https://example.com\"><input name=q></form>\n";
    std::fs::write(c.file("day2/lab9.md"), hostile).unwrap();
    let s = Server::start(&c, &[]);
    let page = s.get("/lab/9-9").body;
    let main = &page[page.find("<main").unwrap()..];
    for bad in [
        "<script>",
        "onerror",
        "javascript:",
        "<iframe",
        "<button data-reveal data-name=\"AWS",
        "action=\"https://example.com",
        "etc/passwd\"",
        "\u{E000}",
    ] {
        assert!(!main.contains(bad), "the page holds {bad:?}");
    }
    assert!(
        main.contains("<details>") && main.contains("<summary>참고</summary>"),
        "details kept"
    );
    assert!(
        main.contains("<table>") && main.contains("<br>"),
        "tables and br kept"
    );
    assert!(
        main.contains(
            "<a href=\"https://example.com/\" target=\"_blank\" rel=\"noopener noreferrer\">"
        ),
        "links open in a new tab without an opener: {main}"
    );
    assert!(
        main.contains("data-placeholder=\"AWS Access Key ID\""),
        "placeholders in tables"
    );
}

#[test]
fn two_labs_with_one_id_are_both_reachable_by_path() {
    let c = course();
    std::fs::copy(
        crate::course::fixture_path("ref-2-4-access-key.md"),
        c.file("day2/ref-2-4-access-key.md"),
    )
    .unwrap();
    let s = Server::start(&c, &[]);
    let home = s.get("/").body;
    for path in [LAB4, "day2/ref-2-4-access-key.md"] {
        assert!(
            home.contains(&format!("href=\"/lab/{path}\"")),
            "{path} listed"
        );
        let r = s.get(&format!("/lab/{path}"));
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.contains(&format!("data-lab=\"{path}\"")));
    }
    let r = s.post(
        "/api/step",
        &serde_json::json!({"lab": "day2/ref-2-4-access-key.md", "step": "3", "done": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let steps = c
        .ok(&["steps", "day2/ref-2-4-access-key.md", "--json"])
        .stdout;
    assert!(steps.contains("\"state\": \"done\""), "{steps}");
}

#[test]
fn a_port_in_use_is_refused_with_the_fix_in_the_students_language() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut c = course();
    for (lang, fix) in [
        ("en", "pass another --port (0 for any free port)"),
        ("ko", "다른 --port를 주세요 (0이면 비어 있는 아무 포트)"),
    ] {
        c.set_env("LABNOTE_LANG", lang);
        let r = c.run(&["serve", "--port", &port]);
        assert_ne!(r.code, 0, "{}", r.text());
        assert!(
            r.stderr.contains(&format!("127.0.0.1:{port}")) && r.stderr.contains(fix),
            "{lang}: {}",
            r.text()
        );
    }
}

/// `POST /api/keys/csv`: refused without the CSRF token or from another origin, a bad file
/// is a 400 naming the line with the lab unchanged, and a good one answers the key id and
/// `••••`, never the secret (no AWS here: the STS check's failure is told, the key saved).
#[test]
fn the_csv_upload_is_a_guarded_change_and_answers_no_secret() {
    let mut c = course();
    // STS on a closed local port: the check fails at once, never reaching AWS.
    c.set_env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    c.set_env("AWS_EC2_METADATA_DISABLED", "true");
    let s = Server::start(&c, &[]);
    let before = c.lab_bytes(LAB4);
    let id = "AKIAIOSFODNN7EXAMPLE";
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let good_csv = format!("\u{feff}Access key ID,Secret access key\r\n{id},{secret}\r\n");
    let body = serde_json::json!({"lab": "2-4", "name": "k.csv", "csv": good_csv}).to_string();
    let json = "Content-Type: application/json";
    let csrf = format!("X-CSRF-Token: {}", s.csrf());
    for (what, headers) in [
        ("no CSRF token", vec![json]),
        (
            "another origin",
            vec![&csrf, json, "Origin: http://evil.example"],
        ),
    ] {
        let r = s.request("POST", "/api/keys/csv", &headers, &body);
        assert_eq!(r.status, 403, "{what}: {}", r.body);
    }
    assert_eq!(c.lab_bytes(LAB4), before);
    let bad = format!("Access key ID,Secret access key\r\n{id},{secret}\r\n{id},{secret}\r\n");
    let r = s.post(
        "/api/keys/csv",
        &serde_json::json!({"lab": "2-4", "name": "two.csv", "csv": bad}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("two.csv") && r.body.contains("3"),
        "{}",
        r.body
    );
    assert!(!r.body.contains(secret));
    assert_eq!(c.lab_bytes(LAB4), before, "a bad file changes nothing");
    let r = s.post(
        "/api/keys/csv",
        &serde_json::json!({"lab": "2-4", "name": "k.csv", "csv": good_csv}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(id) && r.body.contains("••••"), "{}", r.body);
    assert!(!r.body.contains(secret), "{}", r.body);
    assert!(
        !r.body.contains("\"check_error\":null"),
        "the failed check is told: {}",
        r.body
    );
    let text = c.lab_text(LAB4);
    assert!(text.contains("_<< AWS Secret Access key>>_ : `age:") && !text.contains(secret));
}

// ---------------------------------------------------------------------------------------
// webnote (issue 22): the note points' forms and the page's language.

/// Our own two labs of day 8 (`tests/fixtures/webnote`): lab 8-1 asks in prose for the
/// bucket's ARN and for an upload token (a secret), and has a memo block; lab 8-2 uses both
/// as `<<메모한 …>>` placeholders. With an identity.
pub fn webnote_course() -> Course {
    let c = Course::empty();
    crate::course::copy_dir(&crate::course::fixture_path("webnote"), &c.course);
    c.init();
    c
}

/// Where webnote's labs live in the course.
pub const NOTE_LAB1: &str = "day8/lab1-bucket.md";

/// The note form asking for `names` on page `page` (its opening tag).
fn note_form<'a>(page: &'a str, names: &str) -> &'a str {
    let at = page
        .find(&format!("data-names=\"{names}\""))
        .unwrap_or_else(|| panic!("no note form for {names}: {page}"));
    let start = page[..at].rfind("<form").unwrap();
    let end = at + page[at..].find("</form>").unwrap();
    &page[start..end]
}

#[test]
fn every_note_point_carries_a_note_form_in_walks_order() {
    let c = webnote_course();
    let s = Server::start(&c, &[]);
    let page = s.get("/lab/8-1").body;
    // The prose point of step 1: the value later labs use, where they use it, first and
    // chosen; then the lab's memo entries; then a new name.
    let arn = note_form(&page, "메모한 Bucket ARN");
    assert!(
        arn.contains("data-note-point=")
            && arn.contains("data-lab=\"8-1\"")
            && arn.contains("data-step=\"1\""),
        "{arn}"
    );
    let first = arn.find("<option").unwrap();
    assert!(
        arn[first..].starts_with("<option value=\"Bucket ARN\" selected>"),
        "{arn}"
    );
    assert!(arn.contains("8-2 1"), "where it is used: {arn}");
    let memo_entry = arn
        .find("value=\"담당자 이메일\"")
        .expect("the lab's memo entry");
    let new_name = arn.find("data-new-name").expect("a new name");
    assert!(first < memo_entry && memo_entry < new_name, "{arn}");
    assert!(arn.contains("<input name=\"value\" type=\"text\""), "{arn}");
    assert!(arn.contains("<button type=\"submit\">"), "{arn}");
    // The secret's form hides what is typed.
    let token = note_form(&page, "메모한 Upload token");
    assert!(token.contains("data-step=\"2\""), "{token}");
    assert!(
        token.contains("<input name=\"value\" type=\"password\""),
        "{token}"
    );
    // The memo entry is a note point too.
    let entry = note_form(&page, "담당자 이메일");
    assert!(entry.contains("data-memo-key=\"담당자 이메일\""), "{entry}");
    assert!(
        entry.contains("select class=\"memo-name\" name=\"name\""),
        "{entry}"
    );
    // A heading that asks: its form right after the heading.
    let heading = page.find("id=\"step-3\"").expect("the heading");
    let after = &page[heading..];
    let form_start = after.find("<form").unwrap();
    assert!(
        after[..form_start].contains("</h2>") && !after[..form_start].contains("<p>"),
        "{after}"
    );
    assert!(
        after[form_start..].starts_with("<form class=\"note-point\""),
        "{after}"
    );
    assert!(after[form_start..].contains("data-step=\"3\""), "{after}");
    // The form stands after the sentence that asks, inside its list item.
    let sentence = page
        .find("<strong>Bucket ARN</strong>을 메모📝 합니다.")
        .unwrap();
    let form_at = page.find(arn).unwrap();
    assert!(form_at > sentence && !page[sentence..form_at].contains("</li>"));
}

#[test]
fn a_note_is_noted_as_walks_m_notes_it_and_never_echoed() {
    let c = webnote_course();
    let s = Server::start(&c, &[]);
    let page = s.get("/lab/8-1").body;
    let point = |names: &str| -> usize {
        let f = note_form(&page, names);
        let at = f.find("data-note-point=\"").unwrap() + 17;
        f[at..at + f[at..].find('"').unwrap()].parse().unwrap()
    };
    let (arn_at, token_at) = (point("메모한 Bucket ARN"), point("메모한 Upload token"));
    let secret = "upl_Q7vXr2Lm9KdT4wPz8NsB";
    let json = "Content-Type: application/json";
    let body = serde_json::json!({"lab": "8-1", "step": "2", "point": token_at,
        "names": "메모한 Upload token", "name": "Upload token", "value": secret})
    .to_string();
    // CSRF required; another origin refused; nothing written.
    let before = c.lab_text(NOTE_LAB1);
    let r = s.request("POST", "/api/note", &[json], &body);
    assert_eq!(r.status, 403, "{}", r.body);
    let good = format!("X-CSRF-Token: {}", s.csrf());
    let r = s.request(
        "POST",
        "/api/note",
        &[&good, json, "Origin: http://evil.example"],
        &body,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(c.lab_text(NOTE_LAB1), before);
    // An unknown lab is 404.
    let r = s.post(
        "/api/note",
        &serde_json::json!({"lab": "9-9", "step": "1", "point": 0, "name": "x", "value": secret}),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains(secret));
    // Listen to the event stream while the secret is noted.
    let mut events = TcpStream::connect(&s.addr).unwrap();
    write!(
        events,
        "GET /events HTTP/1.1\r\nHost: {}\r\nCookie: labnote_token={}\r\n\r\n",
        s.addr, s.token
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    // The secret: encrypted in the lab, the answer names the key only.
    let r = s.request("POST", "/api/note", &[&good, json], &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains(secret), "{}", r.body);
    let j = r.json();
    assert_eq!(j["key"], "Upload token");
    assert_eq!(j["lab"], "8-1");
    assert_eq!(j["secret"], true);
    let text = c.lab_text(NOTE_LAB1);
    assert!(text.contains("**<< Upload token>>** : `age:"), "{text}");
    assert!(!text.contains(secret));
    assert_eq!(c.memo_get("8-1", "Upload token"), secret);
    // The ARN, by the point's index as the page saw it (the lab has one more memo entry
    // now: the point is found again by its step and names).
    let r = s.post(
        "/api/note",
        &serde_json::json!({"lab": "8-1", "step": "1", "point": arn_at,
            "names": "메모한 Bucket ARN", "name": "Bucket ARN", "value": "arn:aws:s3:::archive-261207"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(c
        .lab_text(NOTE_LAB1)
        .contains("arn:aws:s3:::archive-261207"));
    // A page whose point is on another step now: refused, nothing written.
    let before = c.lab_text(NOTE_LAB1);
    let r = s.post(
        "/api/note",
        &serde_json::json!({"lab": "8-1", "step": "2", "point": arn_at,
            "names": "메모한 Bucket ARN", "name": "Bucket ARN", "value": "arn:other"}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(c.lab_text(NOTE_LAB1), before);
    // A new name typed in the form becomes an entry of this lab.
    let r = s.post(
        "/api/note",
        &serde_json::json!({"lab": "8-1", "step": "1", "point": point("메모한 Bucket ARN"),
            "names": "메모한 Bucket ARN", "name": "버킷 리전", "value": "ap-northeast-2"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(c.memo_get("8-1", "버킷 리전"), "ap-northeast-2");
    // The later lab shows the ARN, and the token masked; no page, event or log holds it.
    let later = s.get("/lab/8-2").body;
    assert!(later.contains("arn:aws:s3:::archive-261207"), "{later}");
    assert!(later.contains("data-placeholder=\"메모한 Upload token\""));
    assert!(!later.contains(secret));
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let end = Instant::now() + Duration::from_millis(600);
    while Instant::now() < end {
        if let Ok(n) = events.read(&mut buf) {
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
    assert!(seen.contains("event: change"), "{seen}");
    assert!(!seen.contains(secret));
    assert!(!c.journal_text().contains(secret));
    drop(events);
    let log: Vec<String> = s.stderr.try_iter().collect();
    assert!(!log.concat().contains(secret));
}

/// The page's own words in the request's language: `Accept-Language` (q-values; `ko`,
/// `ko-KR` → Korean), else the server's rule (`LABNOTE_LANG`, the locale).
#[test]
fn the_page_speaks_the_requests_language() {
    let mut c = webnote_course();
    let s = Server::start(&c, &[]);
    let get = |s: &Server, path: &str, lang: &str| {
        let h = format!("Accept-Language: {lang}");
        let extra: Vec<&str> = if lang.is_empty() { vec![] } else { vec![&h] };
        s.request("GET", path, &extra, "").body
    };
    for lang in ["ko", "ko-KR", "en;q=0.5, ko-KR;q=0.8", "fr-FR, ko;q=0.3"] {
        let home = get(&s, "/", lang);
        assert!(home.contains("<html lang=\"ko\">"), "{lang}");
        assert!(
            home.contains("코스 진행") && home.contains("아직 필요한 값"),
            "{lang}"
        );
        assert!(!home.contains("Course progress") && !home.contains("Values still wanted"));
        let lab = get(&s, "/lab/8-1", lang);
        assert!(
            lab.contains("📝 여기서 메모:") && !lab.contains("Note here"),
            "{lang}"
        );
        // The script's words too, in the body's data-i18n.
        assert!(
            lab.contains("복사했습니다") && !lab.contains("\"copied\""),
            "{lang}"
        );
    }
    let missing = s.request("GET", "/lab/9-9", &["Accept-Language: ko"], "");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("'9-9' 실습이 없습니다"),
        "{}",
        missing.body
    );
    // No header, or English asked for: the server's rule (English in this environment).
    for lang in ["", "en-US,en;q=0.9,ko;q=0.8", "*"] {
        let home = get(&s, "/", lang);
        assert!(home.contains("<html lang=\"en\">"), "{lang:?}");
        assert!(home.contains("Course progress"), "{lang:?}");
    }
    drop(s);
    // A server whose own language is Korean: Korean without a header, English on request.
    c.set_env("LABNOTE_LANG", "ko");
    let s = Server::start(&c, &[]);
    assert!(get(&s, "/", "").contains("코스 진행"));
    assert!(get(&s, "/", "en").contains("Course progress"));
}
