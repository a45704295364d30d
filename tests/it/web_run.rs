//! Running a block from the page, over HTTP against the real binary: every refusal of the
//! run (CSRF, Origin, `Sec-Fetch-Site`, an example block, a server bound to `0.0.0.0`
//! without `--allow-run`), the request-level guards (two `Host` headers, a foreign
//! absolute-form URI, stalled headers and bodies), the stream of a run (no noted secret in
//! it, nothing of the output in the server's log), one block at a time, Stop, and noting a
//! value from the output by its place.
//!
//! The course is `tests/fixtures/webrun/page-run.md` (lab `8-1`): a block that `cd`s into a
//! new folder, one that prints `pwd`, an example transcript, a block printing a token at a
//! note point, a block that sleeps and one after it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::course::Course;
use crate::web_http::{raw, Resp, Server};

const LAB: &str = "8-1";
/// The token step 2-1 prints (the block assembles it: no file of the course holds it).
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3ZWJydW4tZGVtbyJ9.d2VicnVuLXNpZ25hdHVyZQ";
/// The read timeout the tests give the server (`LABNOTE_TEST_READ_TIMEOUT_MS`).
const READ_TIMEOUT: Duration = Duration::from_millis(1500);

pub fn course() -> Course {
    let mut c = Course::empty()
        .with_path()
        .with_fixture_files(&["webrun/page-run.md"]);
    c.init();
    c.set_env(
        "LABNOTE_TEST_READ_TIMEOUT_MS",
        &READ_TIMEOUT.as_millis().to_string(),
    );
    c
}

/// A POST as the page's run makes it: JSON, the CSRF token, our own Origin; `extra` more
/// header lines.
pub fn run_post(s: &Server, path: &str, body: &serde_json::Value, extra: &[&str]) -> Resp {
    let csrf = format!("X-CSRF-Token: {}", s.csrf());
    let origin = format!("Origin: http://{}", s.addr);
    let mut headers = vec![csrf.as_str(), "Content-Type: application/json", &origin];
    headers.extend_from_slice(extra);
    s.request("POST", path, &headers, &body.to_string())
}

fn block(step: &str, n: usize) -> serde_json::Value {
    serde_json::json!({ "lab": LAB, "step": step, "block": n })
}

/// A chunked body as sent (an event stream is chunked).
pub fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].strip_prefix("\r\n").unwrap_or(&after[n..]);
    }
    out
}

/// The `end` event of a run's stream (a chunked body, as received).
pub fn end_of(body: &str) -> serde_json::Value {
    let stream = dechunk(body);
    let at = stream.rfind("event: end").expect("an end event");
    let data = stream[at..]
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("its data");
    serde_json::from_str(data).unwrap()
}

/// The text of a run's `output` events, joined (a chunked body, as received).
pub fn output_of(body: &str) -> String {
    let stream = dechunk(body);
    let mut out = String::new();
    let mut lines = stream.lines();
    while let Some(l) = lines.next() {
        if l == "event: output" {
            let data = lines.next().and_then(|d| d.strip_prefix("data: ")).unwrap();
            let v: serde_json::Value = serde_json::from_str(data).unwrap();
            out.push_str(v["text"].as_str().unwrap());
        }
    }
    out
}

fn run_records(c: &Course) -> usize {
    c.journal_text().matches("event: run").count()
}

#[test]
fn a_run_is_refused_without_each_guard_and_nothing_runs() {
    let c = course();
    let s = Server::start(&c, &[]);
    let body = block("1-1", 1).to_string();
    let json = "Content-Type: application/json";
    let csrf = format!("X-CSRF-Token: {}", s.csrf());
    let origin = format!("Origin: http://{}", s.addr);
    let cases: Vec<(&str, Vec<&str>, u16, &str)> = vec![
        ("no CSRF token", vec![json, &origin], 403, "CSRF"),
        (
            "a foreign Origin",
            vec![json, &csrf, "Origin: http://evil.example"],
            403,
            "origin",
        ),
        ("no Origin", vec![json, &csrf], 403, "Origin"),
        (
            "Sec-Fetch-Site: cross-site",
            vec![json, &csrf, &origin, "Sec-Fetch-Site: cross-site"],
            403,
            "cross-site",
        ),
    ];
    for path in ["/api/run", "/api/run/preview", "/api/run/stop"] {
        for (what, headers, code, says) in &cases {
            let r = s.request("POST", path, headers, &body);
            assert_eq!(r.status, *code, "{path}, {what}: {}", r.body);
            assert!(r.body.contains(says), "{path}, {what}: {}", r.body);
        }
    }
    // `Sec-Fetch-Site: cross-site` is refused on every POST, a valid CSRF token or not.
    let r = s.request(
        "POST",
        "/api/step",
        &[json, &csrf, "Sec-Fetch-Site: cross-site"],
        r#"{"lab":"8-1","step":"1-1","done":true}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // An example transcript, a block the step does not have.
    let r = run_post(&s, "/api/run", &block("1-2", 2), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("is not run (example"),
        "{}",
        r.body
    );
    let r = run_post(&s, "/api/run/preview", &block("1-2", 2), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    let r = run_post(&s, "/api/run", &block("1-2", 7), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("has no block 7"), "{}", r.body);
    assert_eq!(run_records(&c), 0, "nothing ran:\n{}", c.journal_text());
    assert!(!c.file("webrun-work").exists(), "nothing ran");
    // The same request with every guard passes.
    let r = run_post(&s, "/api/run", &block("1-1", 1), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(end_of(&r.body)["status"], "passed", "{}", r.body);
    assert!(c.file("webrun-work").is_dir());
}

#[test]
fn the_run_button_is_on_each_block_run_would_run_only() {
    let c = course();
    let s = Server::start(&c, &[]);
    let page = s.get(&format!("/lab/{LAB}")).body;
    let buttons: Vec<&str> = page
        .match_indices("<button type=\"button\" data-run ")
        .map(|(at, _)| &page[at..at + page[at..].find('>').unwrap()])
        .collect();
    let want = ["1-1", "1-2", "2-1", "3-1", "3-2", "4"].map(|s| {
        format!(
            "<button type=\"button\" data-run data-lab=\"8-1\" data-step=\"{s}\" data-block=\"1\""
        )
    });
    assert_eq!(
        buttons, want,
        "one per block `run` runs, none on the example"
    );
    assert!(page.contains("<script src=\"/static/run.js\" defer>"));
    let js = s.get("/static/run.js");
    assert_eq!(js.status, 200);
    assert!(js.body.contains("data-run-confirm") && js.body.contains("data-stop"));
    // `run --list` counts the same blocks.
    let list = c.ok(&["run", LAB, "1-2", "--list", "--json"]).stdout;
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(v["blocks"][0]["class"], "run");
    assert_eq!(v["blocks"][1]["class"], "example");
    // The confirmation shows the command with its values filled, a secret masked.
    c.memo_set_on_stdin(LAB, "배포 토큰", TOKEN);
    let r = run_post(&s, "/api/run/preview", &block("4", 1), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let text = r.json()["text"].as_str().unwrap().to_string();
    assert!(text.starts_with("echo \"deploying with "), "{text}");
    assert!(!text.contains(TOKEN) && !text.contains("<<"), "{text}");
}

#[test]
fn a_non_loopback_server_runs_nothing_without_allow_run() {
    let c = course();
    let s = Server::start(&c, &["--bind", "0.0.0.0"]);
    let r = run_post(&s, "/api/run", &block("1-1", 1), &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("--allow-run"), "{}", r.body);
    let r = run_post(&s, "/api/run/preview", &block("1-1", 1), &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(run_records(&c), 0);
    // Other changes still work there.
    let r = s.post(
        "/api/step",
        &serde_json::json!({"lab": LAB, "step": "3-2", "done": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    drop(s);
    let s = Server::start(&c, &["--bind", "0.0.0.0", "--allow-run"]);
    let r = run_post(&s, "/api/run", &block("1-1", 1), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(end_of(&r.body)["status"], "passed", "{}", r.body);
}

#[test]
fn two_host_headers_or_a_foreign_absolute_uri_get_400() {
    let c = course();
    let s = Server::start(&c, &[]);
    let cookie = format!("Cookie: labnote_token={}", s.token);
    let two = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nHost: evil.example\r\n{cookie}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    assert_eq!(raw(&s.addr, two.as_bytes()).status, 400);
    let two_same = format!(
        "GET / HTTP/1.1\r\nHost: {0}\r\nHost: {0}\r\n{cookie}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    assert_eq!(raw(&s.addr, two_same.as_bytes()).status, 400);
    let foreign = format!(
        "GET http://evil.example/ HTTP/1.1\r\nHost: {}\r\n{cookie}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    assert_eq!(raw(&s.addr, foreign.as_bytes()).status, 400);
    // The absolute form naming the server itself is still served.
    let own = format!(
        "GET http://{0}/ HTTP/1.1\r\nHost: {0}\r\n{cookie}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    assert_eq!(raw(&s.addr, own.as_bytes()).status, 200);
}

/// Write `head` and then nothing: how long until the server closes the connection, and
/// what it answered.
fn stall(addr: &str, head: &str) -> (Duration, String) {
    let mut t = TcpStream::connect(addr).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    t.write_all(head.as_bytes()).unwrap();
    let start = Instant::now();
    let mut buf = Vec::new();
    let _ = t.read_to_end(&mut buf);
    (start.elapsed(), String::from_utf8_lossy(&buf).into_owned())
}

#[test]
fn stalled_headers_and_bodies_are_cut_after_the_timeout() {
    let c = course();
    let s = Server::start(&c, &[]);
    // Headers that never end.
    let (took, _) = stall(&s.addr, &format!("GET / HTTP/1.1\r\nHost: {}\r\n", s.addr));
    assert!(
        took >= READ_TIMEOUT - Duration::from_millis(200) && took < Duration::from_secs(20),
        "stalled headers held {took:?}"
    );
    // Many of them at once: every one is closed.
    let many: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut t = TcpStream::connect(&s.addr).unwrap();
            t.write_all(b"GET / HTTP/1.1\r\nHost: x").unwrap();
            t
        })
        .collect();
    std::thread::sleep(READ_TIMEOUT * 3);
    for mut t in many {
        // Closed already: the end of the stream comes at once, not after a wait.
        t.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut b = Vec::new();
        assert!(
            t.read_to_end(&mut b).is_ok(),
            "a half-sent request is still held"
        );
    }
    // A POST announcing 10 MB and sending nothing.
    let csrf = s.csrf();
    let head = format!(
        "POST /api/step HTTP/1.1\r\nHost: {}\r\nCookie: labnote_token={}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n",
        s.addr, s.token
    );
    let (took, answer) = stall(&s.addr, &head);
    assert!(
        took >= READ_TIMEOUT - Duration::from_millis(200) && took < Duration::from_secs(20),
        "a stalled body held {took:?}: {answer}"
    );
    // The server still serves.
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn a_runs_stream_holds_no_noted_secret_and_nothing_reaches_the_log() {
    let c = course();
    c.memo_set_on_stdin(LAB, "배포 토큰", TOKEN);
    let s = Server::start(&c, &[]);
    let r = run_post(&s, "/api/run", &block("2-1", 1), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/event-stream"));
    let out = output_of(&r.body);
    assert!(out.contains("name:   webrun-deploy"), "{out}");
    assert!(out.contains("token:  "), "{out}");
    for part in TOKEN.split('.') {
        assert!(
            !r.body.contains(part),
            "the stream holds the token: {}",
            r.body
        );
    }
    assert!(!c.journal_text().contains(TOKEN));
    // The server's log has nothing of the output.
    std::thread::sleep(Duration::from_millis(300));
    let log: Vec<String> = s.stderr.try_iter().collect();
    assert!(
        !log.iter()
            .any(|l| l.contains("webrun-deploy") || l.contains("token")),
        "{log:?}"
    );
}

#[test]
fn one_block_at_a_time_stop_keeps_the_session_and_a_candidate_is_noted_by_its_place() {
    let c = course();
    let s = Server::start(&c, &[]);
    // cd in one block, pwd in the next: one session.
    let r = run_post(&s, "/api/run", &block("1-1", 1), &[]);
    assert_eq!(end_of(&r.body)["checked"], true, "{}", r.body);
    let r = run_post(&s, "/api/run", &block("1-2", 1), &[]);
    let folder = c.file("webrun-work").canonicalize().unwrap();
    assert_eq!(output_of(&r.body).trim(), folder.display().to_string());
    assert_eq!(end_of(&r.body)["checked"], true);
    let log = c.ok(&["log"]).stdout;
    assert!(
        log.contains("1-2") && log.contains("outcome=passed"),
        "{log}"
    );
    // A block that sleeps: a second run is refused while it runs; Stop ends it.
    let body = block("3-1", 1).to_string();
    let mut sleeping = TcpStream::connect(&s.addr).unwrap();
    sleeping
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        sleeping,
        "POST /api/run HTTP/1.1\r\nHost: {0}\r\nCookie: labnote_token={1}\r\nX-CSRF-Token: {2}\r\nContent-Type: application/json\r\nOrigin: http://{0}\r\nConnection: close\r\nContent-Length: {3}\r\n\r\n{body}",
        s.addr,
        s.token,
        s.csrf(),
        body.len()
    )
    .unwrap();
    // Its first line came: it runs.
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("waiting") {
        let n = sleeping.read(&mut buf).unwrap();
        assert!(n > 0, "{}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    let start = Instant::now();
    let r = run_post(&s, "/api/run", &block("3-2", 1), &[]);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("running already"), "{}", r.body);
    let r = run_post(&s, "/api/run/stop", &serde_json::json!({}), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    sleeping.read_to_end(&mut got).unwrap();
    let stopped = String::from_utf8_lossy(&got).into_owned();
    let body = stopped.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    assert_eq!(end_of(body)["status"], "stopped", "{stopped}");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "Stop ended the sleep"
    );
    let r = run_post(&s, "/api/run", &block("3-2", 1), &[]);
    assert_eq!(
        output_of(&r.body).trim(),
        "still in webrun-work",
        "{}",
        r.body
    );
    // The token at a note point: offered masked, noted by its place, encrypted.
    let r = run_post(&s, "/api/run", &block("2-1", 1), &[]);
    let end = end_of(&r.body);
    let offer = &end["offers"][0];
    assert_eq!(offer["key"], "배포 토큰", "{end}");
    let cand = &offer["candidates"][0];
    assert_eq!(cand["label"], "token", "{end}");
    assert!(!end.to_string().contains(TOKEN), "{end}");
    let note = serde_json::json!({ "run": end["run"], "value": 0, "pick": cand["pick"] });
    let r = run_post(&s, "/api/run/note", &note, &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains(TOKEN));
    assert_eq!(c.memo_get(LAB, "배포 토큰"), TOKEN);
    let lab = std::fs::read_to_string(c.file("page-run.md")).unwrap();
    assert!(lab.contains("➕ _<< 배포 토큰>>_ : `age:"), "encrypted");
    // A typed value instead, for the same run.
    let typed = serde_json::json!({ "run": end["run"], "value": 0, "typed": "typed-deploy-token" });
    let r = run_post(&s, "/api/run/note", &typed, &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(c.memo_get(LAB, "배포 토큰"), "typed-deploy-token");
    // A stale run id is refused.
    let stale = serde_json::json!({ "run": "00", "value": 0, "pick": "c0" });
    assert_eq!(run_post(&s, "/api/run/note", &stale, &[]).status, 400);
}

#[test]
fn an_allow_host_origin_may_run_another_may_not() {
    let c = course();
    let s = Server::start(&c, &["--allow-host", "c9.example"]);
    let body = block("1-1", 1).to_string();
    let csrf = format!("X-CSRF-Token: {}", s.csrf());
    let json = "Content-Type: application/json";
    // Cloud9's preview: the page is served under the proxy's name.
    let proxied = s.request(
        "POST",
        "/api/run/preview",
        &[json, &csrf, "Origin: https://c9.example"],
        &body,
    );
    assert_eq!(proxied.status, 200, "{}", proxied.body);
    let other = s.request(
        "POST",
        "/api/run/preview",
        &[json, &csrf, "Origin: https://c9.example.evil.example"],
        &body,
    );
    assert_eq!(other.status, 403, "{}", other.body);
}
