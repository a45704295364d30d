//! `labnote class` (issue 25): students report progress to a git remote, the instructor
//! reads it back. Remotes are real: a local bare repository (`file://`) and one served over
//! the smart HTTP protocol by `git http-backend` behind [`GitHttp`], a small CGI server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::course::Course;

/// A lab in the course's style with memo entries, steps to check and a block that prints a
/// token.
const LAB_A: &str = "# 9일차 - Lab 1. 클래스 실습

ⓘ 실습목표 : 진행 상황만 클래스에 보고되는지 확인한다.

---

> **📌 [실습 중 메모사항]**
>
> ➕ _<< GitHub Token>>_ :
>
> ➕ _<< repository 이름>>_ :
>
> ➕ _<< db_password>>_ :

<br>

## ✔ 1. 준비

### ✔ 1-1. 토큰 출력

```bash
echo \"token: ghp_PrintedByTheBlock1234567890abcdEF\"
```

### ✔ 1-2. 저장소 이름 메모

- repository 이름을 메모📝합니다.

## ✔ 2. 마무리

### ✔ 2-1. 실패하는 명령

```bash
echo \"about to fail: RUNOUTPUT-should-stay-home\"
false
```

### ✔ 2-2. 끝

- 끝입니다.
";

const LAB_B: &str = "# 9일차 - Lab 2. 두 번째 실습

ⓘ 실습목표 : 두 번째 실습.

---

## ✔ 1. 하나

### ✔ 1-1. 첫째

- 첫째 단계.

### ✔ 1-2. 둘째

- 둘째 단계.

## ✔ 2. 둘

### ✔ 2-1. 셋째

- 셋째 단계.
";

/// A course of the two labs, with PATH (git, bash) and its own cache folder.
pub(crate) fn class_course() -> Course {
    let mut c = Course::empty().with_path();
    std::fs::create_dir_all(c.course.join("day9")).unwrap();
    std::fs::write(c.course.join("day9/lab1-class.md"), LAB_A).unwrap();
    std::fs::write(c.course.join("day9/lab2-second.md"), LAB_B).unwrap();
    let cache = c.root.join("cache").display().to_string();
    c.set_env("XDG_CACHE_HOME", &cache);
    c
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A bare repository at `path` (pushable over HTTP).
pub(crate) fn bare(path: &Path) {
    let out = Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    git(path, &["config", "http.receivepack", "true"]);
}

pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The instructor's `class status URL --json`, run with `c`'s environment.
fn status(c: &Course, url: &str) -> Vec<serde_json::Value> {
    let r = c.ok(&["class", "status", url, "--json"]);
    serde_json::from_str::<serde_json::Value>(&r.stdout)
        .expect(&r.stdout)
        .as_array()
        .unwrap()
        .clone()
}

fn row<'a>(rows: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| r["student"] == name)
        .unwrap_or_else(|| panic!("no row of {name} in {rows:?}"))
}

/// Every object of a repository, as text (`git cat-file --batch-all-objects --batch`).
fn all_objects(repo: &Path) -> String {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(repo)
        .args(["cat-file", "--batch-all-objects", "--batch"])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Wait (up to `limit`) for `f` to hold.
fn eventually(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    f()
}

// ---------------------------------------------------------------------------------------
// A smart-HTTP git server: `git http-backend` behind a tiny CGI server.

struct GitHttp {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl GitHttp {
    /// Serve the repositories under `root` at `http://127.0.0.1:PORT/NAME.git`; with
    /// `token`, every request must carry Basic auth `x-access-token:TOKEN` (as GitHub's).
    fn start(root: &Path, token: Option<&str>) -> GitHttp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (root, token, halt) = (root.to_path_buf(), token.map(str::to_string), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (root, token) = (root.clone(), token.clone());
                std::thread::spawn(move || {
                    let _ = serve_cgi(conn, &root, token.as_deref());
                });
            }
        });
        GitHttp { port, stop }
    }

    fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for GitHttp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_cgi(conn: TcpStream, root: &Path, token: Option<&str>) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut out = conn;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end().to_string();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let header = |k: &str| headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if let Some(n) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(n, 0);
        reader.read_exact(&mut body)?;
    } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    if let Some(t) = token {
        use base64::Engine;
        let want = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{t}"))
        );
        if header("authorization").as_deref() != Some(want.as_str()) {
            out.write_all(
                b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"class\"\r\n\
                  Content-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            return Ok(());
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut cgi = Command::new("git");
    cgi.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("PATH_INFO", path)
        .env("REQUEST_METHOD", &method)
        .env("QUERY_STRING", query)
        .env("CONTENT_TYPE", header("content-type").unwrap_or_default())
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_USER", "student")
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(e) = header("content-encoding") {
        cgi.env("HTTP_CONTENT_ENCODING", e);
    }
    if let Some(p) = header("git-protocol") {
        cgi.env("GIT_PROTOCOL", p);
    }
    let mut child = cgi.spawn()?;
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let output = child.wait_with_output()?;
    let _ = writer.join();
    let raw = output.stdout;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, 4))
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2)));
    let (head, body) = match split {
        Some((p, n)) => (
            String::from_utf8_lossy(&raw[..p]).to_string(),
            &raw[p + n..],
        ),
        None => (String::new(), &raw[..]),
    };
    let mut status = "200 OK".to_string();
    let mut resp = Vec::new();
    for h in head.lines() {
        match h.split_once(':') {
            Some((k, v)) if k.eq_ignore_ascii_case("status") => status = v.trim().to_string(),
            Some(_) => resp.extend_from_slice(format!("{}\r\n", h.trim_end()).as_bytes()),
            None => {}
        }
    }
    out.write_all(format!("HTTP/1.1 {status}\r\n").as_bytes())?;
    out.write_all(&resp)?;
    out.write_all(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )?;
    out.write_all(body)?;
    out.flush()
}

// ---------------------------------------------------------------------------------------
// Tests

/// A student joins a `file://` class, checks steps (the background push delivers them),
/// and the instructor's status shows the progress per lab, the current step and the
/// version; `preview` prints what is sent; `leave` stops the reports.
#[test]
fn file_remote_status_preview_and_leave() {
    let mut c = class_course();
    c.set_env("LABNOTE_TEST_CLASS_INTERVAL_MS", "0");
    let remote = c.root.join("class.git");
    bare(&remote);
    let url = file_url(&remote);
    let joined = c.ok(&["class", "join", &url, "--as", "kim-minsu"]);
    assert!(joined.stderr.contains("kim-minsu"), "{}", joined.text());
    assert!(c.file(".labnote/class.yaml").is_file());

    c.ok(&["done", "9-1", "1-1", "1-2"]);
    // The background push delivers it, without `class push`.
    assert!(
        eventually(Duration::from_secs(60), || {
            Command::new("git")
                .arg("--git-dir")
                .arg(&remote)
                .args([
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    "refs/heads/labnote/kim-minsu",
                ])
                .output()
                .is_ok_and(|o| o.status.success())
        }),
        "the background push never arrived"
    );
    c.ok(&["done", "9-2", "1-1"]);
    c.ok(&["class", "push"]);

    let rows = status(&c, &url);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = row(&rows, "kim-minsu");
    assert_eq!(r["valid"], true);
    assert_eq!(r["labs"]["9-1"]["done"], 2);
    assert_eq!(r["labs"]["9-1"]["total"], 4);
    assert_eq!(r["labs"]["9-2"]["done"], 1);
    assert_eq!(r["labs"]["9-2"]["total"], 3);
    assert_eq!(r["current"]["lab"], "9-2");
    assert_eq!(r["current"]["step"], "1-2");
    assert_eq!(r["idle_minutes"], 0);
    assert_eq!(r["stuck"], false);
    assert_eq!(r["failing"], false);

    // The branch holds progress/NAME.json alone; preview printed exactly those bytes.
    let files = git(
        &remote,
        &["ls-tree", "-r", "--name-only", "labnote/kim-minsu"],
    );
    assert_eq!(files.trim(), "progress/kim-minsu.json");
    let sent = git(
        &remote,
        &["show", "labnote/kim-minsu:progress/kim-minsu.json"],
    );
    let preview = c.ok(&["class", "preview"]).stdout;
    assert_eq!(preview, sent);

    // The text view: a row with the count and the current step.
    let text = c.ok(&["class", "status", &url]).stdout;
    assert!(text.contains("kim-minsu"), "{text}");
    assert!(text.contains("3/7"), "{text}");
    assert!(text.contains("9-2 1-2"), "{text}");

    // After leave, a change is not pushed.
    c.ok(&["class", "leave"]);
    assert!(!c.file(".labnote/class.yaml").exists());
    let before = git(&remote, &["rev-parse", "labnote/kim-minsu"]);
    c.ok(&["done", "9-2", "1-2"]);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(git(&remote, &["rev-parse", "labnote/kim-minsu"]), before);
    let r = c.run(&["class", "push"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("class join"), "{}", r.text());
}

/// Names and URLs are validated before anything is written.
#[test]
fn join_validates_name_and_url() {
    let c = class_course();
    let remote = file_url(&c.root.join("class.git"));
    for bad in ["", "kim minsu", "../x", "kim/lee", "김민수", "-x"] {
        let r = c.run(&["class", "join", &remote, &format!("--as={bad}")]);
        assert_eq!(r.code, 1, "{bad:?}: {}", r.text());
    }
    for bad in [
        "https://kim:ghp_secret@github.com/o/r.git",
        "https://ghp_secret@github.com/o/r.git",
        "file://relative/path",
        "ftp://host/x",
        "--upload-pack=evil",
        "https://github.com/o/r.git extra",
    ] {
        let r = c.run(&["class", "join", bad, "--as", "kim"]);
        assert_eq!(r.code, 1, "{bad:?}: {}", r.text());
        assert!(
            !r.stderr.contains("ghp_secret") || r.stderr.contains("URL"),
            "{}",
            r.text()
        );
    }
    assert!(!c.file(".labnote/class.yaml").exists());
    let r = c.run(&["class", "status", "https://u:p@host/x.git"]);
    assert_eq!(r.code, 1, "{}", r.text());
}

/// 30 students, each in their own course folder, push concurrently to a class served over
/// smart HTTP by `git http-backend`: every student's last state is in the status.
#[test]
fn thirty_students_push_over_http() {
    let server_root = tempfile::tempdir().unwrap();
    bare(&server_root.path().join("class.git"));
    let server = GitHttp::start(server_root.path(), None);
    let url = server.url("class.git");
    let students: Vec<(String, Course, usize)> = (0..30)
        .map(|n| {
            let c = class_course();
            let name = format!("student-{n:02}");
            c.ok(&["class", "join", &url, "--as", &name]);
            (name, c, n % 4)
        })
        .collect();
    let steps = ["1-1", "1-2", "2-1", "2-2"];
    std::thread::scope(|s| {
        for (name, c, k) in &students {
            s.spawn(move || {
                // Two rounds each: the second must win.
                c.ok(&["done", "9-2", "1-1"]);
                let r = c.run(&["class", "push"]);
                assert_eq!(r.code, 0, "{name}: {}", r.text());
                let mut args = vec!["done", "9-1"];
                args.extend(&steps[..=*k]);
                c.ok(&args);
                let r = c.run(&["class", "push"]);
                assert_eq!(r.code, 0, "{name}: {}", r.text());
            });
        }
    });
    let rows = status(&students[0].1, &url);
    assert_eq!(rows.len(), 30, "{rows:?}");
    for (name, _, k) in &students {
        let r = row(&rows, name);
        assert_eq!(r["valid"], true, "{r}");
        assert_eq!(r["labs"]["9-1"]["done"], *k as u64 + 1, "{name}: {r}");
        assert_eq!(r["labs"]["9-2"]["done"], 1, "{name}: {r}");
    }
    drop(server);
}

/// The token noted in the memo reaches git through `labnote class credential` (a helper
/// reading it from the memo), never in argv, a URL or a file: a server that wants it
/// (GitHub's `x-access-token` form) accepts the push, and no file of the course's class
/// folder holds the token.
#[test]
fn token_from_the_memo_through_a_credential_helper() {
    let token = "ghp_ClassTokenFromTheMemo0123456789abc";
    let server_root = tempfile::tempdir().unwrap();
    bare(&server_root.path().join("class.git"));
    let server = GitHttp::start(server_root.path(), Some(token));
    let url = server.url("class.git");
    let c = class_course();
    c.init();
    c.memo_set_on_stdin("9-1", "GitHub Token", token);
    // Without the token, the server refuses.
    c.ok(&["class", "join", &url, "--as", "lee"]);
    let r = c.run(&["class", "push"]);
    assert_eq!(r.code, 1, "{}", r.text());
    // With it, the push goes through.
    c.ok(&[
        "class",
        "join",
        &url,
        "--as",
        "lee",
        "--token",
        "GitHub Token",
    ]);
    c.ok(&["done", "9-2", "1-1"]);
    let r = c.run(&["class", "push"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(!r.text().contains(token));
    let rows = status(&c, &file_url(&server_root.path().join("class.git")));
    assert_eq!(row(&rows, "lee")["labs"]["9-2"]["done"], 1);
    for f in walk_files(&c.file(".labnote")) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(token),
            "{} holds the token",
            f.display()
        );
    }
    drop(server);
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                v.push(p);
            }
        }
    }
    v
}

/// Students note secrets and plain values and run blocks that print tokens; no object of
/// the class repository holds any of them, nor a path of their machine.
#[test]
fn privacy_no_value_output_or_path_reaches_the_remote() {
    let remote_dir = tempfile::tempdir().unwrap();
    let remote = remote_dir.path().join("class.git");
    bare(&remote);
    let url = file_url(&remote);
    let secrets = [
        "ghp_NotedSecretToken9876543210zyxw",
        "Plain-Repo-Name-ABCDEF",
        "db-pass-Secret-777",
    ];
    let mut courses = Vec::new();
    for n in 0..3 {
        let c = class_course();
        c.init();
        c.memo_set_on_stdin("9-1", "GitHub Token", secrets[0]);
        c.memo_set_on_stdin("9-1", "repository 이름", secrets[1]);
        c.memo_set_on_stdin("9-1", "db_password", secrets[2]);
        c.ok(&["class", "join", &url, "--as", &format!("p{n}")]);
        let r = c.run(&["run", "9-1", "1-1", "--yes"]);
        assert_eq!(r.code, 0, "{}", r.text());
        assert!(r.stdout.contains("ghp_PrintedByTheBlock"), "{}", r.text());
        let r = c.run(&["run", "9-1", "2-1", "--yes"]);
        assert_ne!(r.code, 0, "{}", r.text());
        c.ok(&["class", "push"]);
        courses.push(c);
    }
    let objects = all_objects(&remote);
    assert!(objects.contains("\"p2\""), "the reports arrived");
    assert!(objects.contains("\"failed\""), "run outcomes are shared");
    let mut forbidden: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
    forbidden.extend([
        "ghp_PrintedByTheBlock".to_string(),
        "RUNOUTPUT-should-stay-home".to_string(),
        "about to fail".to_string(),
    ]);
    for c in &courses {
        forbidden.push(c.root.display().to_string());
        forbidden.push(c.course.display().to_string());
    }
    for f in &forbidden {
        assert!(!objects.contains(f.as_str()), "the remote holds {f:?}");
    }
    // The instructor sees the failing run.
    let rows = status(&courses[0], &url);
    assert_eq!(row(&rows, "p0")["failing"], true, "{rows:?}");
}

/// With the remote unreachable, `done` still exits 0 (its speed is measured by
/// benches/class_done.sh) and `class push` says why it cannot; once the remote exists, the
/// next change's background push delivers the report.
#[test]
fn offline_then_back() {
    let mut c = class_course();
    c.set_env("LABNOTE_TEST_CLASS_INTERVAL_MS", "0");
    let remote = c.root.join("later/class.git");
    let url = file_url(&remote);
    c.ok(&["class", "join", &url, "--as", "park"]);
    let r = c.run(&["done", "9-1", "1-1"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stderr.is_empty() || !r.stderr.contains("class"),
        "{}",
        r.text()
    );
    let r = c.run(&["class", "push"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("class repository"), "{}", r.text());

    std::fs::create_dir_all(remote.parent().unwrap()).unwrap();
    bare(&remote);
    c.ok(&["done", "9-1", "1-2"]);
    let arrived = eventually(Duration::from_secs(90), || {
        Command::new("git")
            .arg("--git-dir")
            .arg(&remote)
            .args(["show", "labnote/park:progress/park.json"])
            .output()
            .ok()
            .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
            .is_some_and(|v| {
                v["labs"][0]["done"]
                    .as_array()
                    .is_some_and(|d| d.len() == 2)
            })
    });
    assert!(
        arrived,
        "the report did not arrive after the remote came back"
    );
    let rows = status(&c, &url);
    assert_eq!(row(&rows, "park")["labs"]["9-1"]["done"], 2);
}

/// Push a branch `labnote/BRANCH` holding `files` (path, bytes) alone, from a work tree
/// at `work` (made when missing), as a hand-made or hostile branch would be.
pub(crate) fn plant(work: &Path, url: &str, branch: &str, files: &[(&str, Vec<u8>)]) {
    let run = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(work)
            .args(args)
            .env("GIT_AUTHOR_NAME", "x")
            .env("GIT_AUTHOR_EMAIL", "x@x")
            .env("GIT_COMMITTER_NAME", "x")
            .env("GIT_COMMITTER_EMAIL", "x@x")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    if !work.join(".git").exists() {
        std::fs::create_dir_all(work).unwrap();
        run(&["init", "--quiet"]);
    }
    run(&["checkout", "--quiet", "--orphan", &format!("b-{branch}")]);
    let _ = Command::new("git")
        .arg("-C")
        .arg(work)
        .args(["rm", "-rq", "--cached", "."])
        .output();
    let _ = std::fs::remove_dir_all(work.join("progress"));
    std::fs::create_dir_all(work.join("progress")).unwrap();
    for (path, bytes) in files {
        std::fs::write(work.join(path), bytes).unwrap();
        run(&["add", path]);
    }
    run(&["commit", "--quiet", "-m", "x"]);
    run(&[
        "push",
        "--quiet",
        "--force",
        url,
        &format!("HEAD:refs/heads/labnote/{branch}"),
    ]);
}

/// A branch that is anything but a valid `progress/NAME.json` is a row marked invalid,
/// never rendered raw.
#[test]
fn invalid_branches_are_marked() {
    let c = class_course();
    let remote = c.root.join("class.git");
    bare(&remote);
    let url = file_url(&remote);
    c.ok(&["class", "join", &url, "--as", "good"]);
    c.ok(&["done", "9-1", "1-1"]);
    c.ok(&["class", "push"]);
    let valid = c.ok(&["class", "preview"]).stdout;

    let plant =
        |branch: &str, files: &[(&str, Vec<u8>)]| plant(&c.root.join("plant"), &url, branch, files);
    let as_name = |name: &str| {
        valid
            .replace("\"good\"", &format!("\"{name}\""))
            .into_bytes()
    };
    plant(
        "extra",
        &[
            ("progress/extra.json", as_name("extra")),
            ("progress/notes.txt", b"hi".to_vec()),
        ],
    );
    let mut big = as_name("big");
    big.extend(std::iter::repeat_n(b' ', 300 * 1024));
    plant("big", &[("progress/big.json", big)]);
    plant(
        "badjson",
        &[(
            "progress/badjson.json",
            b"{\"format\": 1, <script>alert(1)</script>".to_vec(),
        )],
    );
    plant(
        "unknown",
        &[(
            "progress/unknown.json",
            valid
                .replace("\"good\"", "\"unknown\"")
                .replacen("\"format\"", "\"memo\": \"ghp_x\", \"format\"", 1)
                .into_bytes(),
        )],
    );
    plant("other", &[("progress/other.json", as_name("someone-else"))]);

    let rows = status(&c, &url);
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(row(&rows, "good")["valid"], true);
    for name in ["extra", "big", "badjson", "unknown", "other"] {
        let r = row(&rows, name);
        assert_eq!(r["valid"], false, "{name}: {r}");
        assert_eq!(r["labs"], serde_json::json!({}), "{name}: {r}");
    }
    let text = c.ok(&["class", "status", &url]).stdout;
    assert!(text.contains("INVALID"), "{text}");
    assert!(!text.contains("<script>"), "{text}");
    assert!(!text.contains("ghp_x"), "{text}");
}
