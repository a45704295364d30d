//! Shared test harness: a real moto server (IAM + STS) on loopback.
//!
//! Include it from an integration test file with
//!
//! ```ignore
//! use crate::moto;
//! ```
//!
//! and call [`Moto::get()`] in each test that needs the server.
//!
//! * If `LABNOTE_MOTO_URL` is set (e.g. `http://127.0.0.1:5000`), that server
//!   is used and nothing is started.
//! * Otherwise moto's server is started once per test binary on a free loopback
//!   port, through `scripts/moto_server.py` (stock `moto_server` plus a cheap
//!   secret lookup for [`moto_secret`]). It is killed when the test process dies (even on
//!   a crash) through `PR_SET_PDEATHSIG`.
//! * If moto cannot be started the test panics with instructions: a missing
//!   server must never look like a passing test.
//!
//! Tests in one binary run in parallel threads and share one server, so give
//! every test its own IAM user ([`unique_name`]) instead of resetting state;
//! [`Moto::reset`] wipes everything for every test and is only safe where no
//! other test can be running (or under a lock the tests agree on).
//!
//! Environment variables are process-global, so tests should pass
//! configuration explicitly ([`Moto::options`]); [`Moto::sdk_env`] is for
//! child processes (e.g. running the `labnote` binary).
//!
//! [`block_on`], [`moto_keys`], [`key_ids`] and [`moto_secret`] set up and
//! inspect moto's state from plain (non-async) tests, independently of the
//! code under test.
//!
//! For what moto cannot do (silence, throttling, 5xx, access denied), [`serve`]
//! and [`silent_server`] stand in for IAM on loopback ([`error_xml`] makes the
//! error bodies).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
use labnote::iam::AwsOptions;
use secrecy::SecretString;

/// Credentials moto accepts (it accepts any); the conventional dummy value.
pub const TEST_KEY: &str = "testing";
/// Region used by the harness's own clients.
pub const TEST_REGION: &str = "us-east-1";
/// How long to wait for a freshly started moto to answer.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

const HOW_TO_FIX: &str = "moto is needed for these tests. Run ./scripts/test.sh (it creates \
    the virtualenv), or create it by hand: python3 -m venv .venv && .venv/bin/pip install \
    'moto[server]==5.2.5'. Or point LABNOTE_MOTO_URL at a running moto server \
    (e.g. http://127.0.0.1:5000).";

/// A running moto server shared by the tests of one binary.
pub struct Moto {
    url: String,
    /// `host:port` for the raw HTTP helper.
    addr: String,
}

/// The outcome of the first start attempt, failure included: when moto cannot
/// start, every test reports it at once instead of each retrying for seconds.
static MOTO: OnceLock<Result<Moto, String>> = OnceLock::new();

impl Moto {
    /// The server for this test binary, started on first use. Panics (with
    /// instructions) when no server is available.
    pub fn get() -> &'static Moto {
        let moto = MOTO.get_or_init(|| match std::env::var("LABNOTE_MOTO_URL") {
            Ok(url) if !url.trim().is_empty() => Moto::external(url.trim()),
            _ => Moto::start(),
        });
        match moto {
            Ok(moto) => moto,
            Err(msg) => panic!("{msg}"),
        }
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Wipes all moto state (`POST /moto-api/reset`). Affects every test
    /// using this server: see the module docs.
    pub fn reset(&self) {
        let (status, body) = http_request(&self.addr, "POST", "/moto-api/reset", "")
            .unwrap_or_else(|e| panic!("moto reset at {} failed: {e}", self.url));
        assert_eq!(status, 200, "moto reset returned {status}: {body}");
    }

    /// [`AwsOptions`] that reach this server with dummy static credentials
    /// and no dependence on the process environment.
    pub fn options(&self) -> AwsOptions {
        self.options_with_key(TEST_KEY, TEST_KEY)
    }

    /// Like [`Moto::options`], signing with the given access key (moto
    /// accepts any secret, and records the key as used).
    pub fn options_with_key(&self, key_id: &str, secret: &str) -> AwsOptions {
        AwsOptions {
            region: Some(TEST_REGION.to_owned()),
            endpoint_url: Some(self.url.clone()),
            credentials: Some((key_id.to_owned(), SecretString::from(secret.to_owned()))),
            ..AwsOptions::default()
        }
    }

    /// Environment for a child process (e.g. the `labnote` binary) so that
    /// the AWS SDK talks to this server. AWS_REGION is deliberately absent:
    /// labnote must fall back to us-east-1 itself.
    ///
    /// The TLS roots come from the one bundle file, not also from every file of
    /// `/etc/ssl/certs` (a third of a debug labnote's CPU time per IAM command,
    /// some 1,500 times a run); moto is plain HTTP and needs none of them.
    pub fn sdk_env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("AWS_ACCESS_KEY_ID", TEST_KEY.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", TEST_KEY.to_owned()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ("AWS_ENDPOINT_URL", self.url.clone()),
        ];
        let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
        if bundle.is_file() {
            let no_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-cert-dir");
            std::fs::create_dir_all(&no_dir).unwrap();
            env.push(("SSL_CERT_FILE", bundle.display().to_string()));
            env.push(("SSL_CERT_DIR", no_dir.display().to_string()));
        }
        env
    }

    /// A plain SDK IAM client on this server, independent of the code under
    /// test, for setting up and checking state.
    pub fn iam_client(&self) -> aws_sdk_iam::Client {
        let conf = aws_sdk_iam::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(TEST_REGION))
            .credentials_provider(Credentials::new(TEST_KEY, TEST_KEY, None, None, "moto"))
            .endpoint_url(&self.url)
            .build();
        aws_sdk_iam::Client::from_conf(conf)
    }

    /// Creates an IAM user (no error if it already exists).
    pub async fn create_user(&self, name: &str) {
        match self.iam_client().create_user().user_name(name).send().await {
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_entity_already_exists_exception()) => {}
            Err(e) => panic!(
                "creating IAM user {name} on moto failed: {}",
                aws_sdk_iam::error::DisplayErrorContext(&e)
            ),
        }
    }

    /// Creates an access key of `user` directly on moto: (id, secret).
    pub async fn create_key(&self, user: &str) -> (String, String) {
        let out = self
            .iam_client()
            .create_access_key()
            .user_name(user)
            .send()
            .await
            .expect("create key on moto");
        let k = out.access_key().unwrap();
        (
            k.access_key_id().to_owned(),
            k.secret_access_key().to_owned(),
        )
    }

    fn external(url: &str) -> Result<Moto, String> {
        let addr = host_port(url);
        if let Err(e) = http_request(&addr, "GET", "/moto-api/", "") {
            return Err(format!(
                "LABNOTE_MOTO_URL={url} does not answer ({e}). {HOW_TO_FIX}"
            ));
        }
        Ok(Moto {
            url: url.trim_end_matches('/').to_owned(),
            addr,
        })
    }

    fn start() -> Result<Moto, String> {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
        if !bin.exists()
            || !Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(".venv/bin/moto_server")
                .exists()
        {
            return Err(format!("{} not found. {HOW_TO_FIX}", bin.display()));
        }
        let mut failures = Vec::new();
        // A free port can be taken between probing and moto binding it;
        // retry a couple of times on a new port.
        for _ in 0..3 {
            match try_start(&bin) {
                Ok(moto) => return Ok(moto),
                Err(e) => failures.push(e),
            }
        }
        Err(format!(
            "could not start {}:\n{}\n{HOW_TO_FIX}",
            bin.display(),
            failures.join("\n")
        ))
    }
}

fn try_start(bin: &Path) -> Result<Moto, String> {
    let port = free_port();
    let log = log_path();
    let stderr = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let (pid_tx, pid_rx) = mpsc::channel::<Result<u32, String>>();
    let (exit_tx, exit_rx) = mpsc::channel::<ExitStatus>();
    let bin = bin.to_owned();
    // PR_SET_PDEATHSIG fires when the *thread* that forked the child exits,
    // not the process. Test threads come and go, so the server is spawned
    // from a thread that lives as long as the process (it waits on the
    // child, then parks forever).
    std::thread::Builder::new()
        .name(format!("moto_server:{port}"))
        .spawn(move || {
            let parent = std::process::id();
            let mut cmd = Command::new(&bin);
            cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/moto_server.py"))
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr);
            // SAFETY: only async-signal-safe libc calls between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    // The parent may have died before prctl took effect.
                    if libc::getppid() as u32 != parent {
                        libc::_exit(1);
                    }
                    Ok(())
                });
            }
            match cmd.spawn() {
                Ok(mut child) => {
                    let _ = pid_tx.send(Ok(child.id()));
                    if let Ok(status) = child.wait() {
                        let _ = exit_tx.send(status);
                    }
                }
                Err(e) => {
                    let _ = pid_tx.send(Err(format!("spawn failed: {e}")));
                }
            }
            loop {
                std::thread::park();
            }
        })
        .map_err(|e| format!("thread spawn failed: {e}"))?;

    pid_rx
        .recv()
        .map_err(|_| "moto spawner thread died".to_owned())??;
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Ok(status) = exit_rx.try_recv() {
            return Err(format!(
                "moto_server exited early ({status}); its log ({}):\n{}",
                log.display(),
                tail(&log)
            ));
        }
        if http_request(&addr, "GET", "/moto-api/", "").is_ok() {
            return Ok(Moto {
                url: format!("http://{addr}"),
                addr,
            });
        }
        if Instant::now() > deadline {
            return Err(format!(
                "moto_server did not answer on {addr} within {STARTUP_TIMEOUT:?}; its log ({}):\n{}",
                log.display(),
                tail(&log)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A user/resource name unique within this test run (pid + counter), so that
/// parallel tests and reruns against a long-lived server never collide.
pub fn unique_name(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs `f` to completion on a new current-thread runtime: for the plain (non-async) tests
/// that set up and inspect moto.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The user's access keys on moto as (id, active), sorted by id.
pub fn moto_keys(user: &str) -> Vec<(String, bool)> {
    let out = block_on(
        Moto::get()
            .iam_client()
            .list_access_keys()
            .user_name(user)
            .send(),
    )
    .expect("list keys on moto");
    let mut v: Vec<(String, bool)> = out
        .access_key_metadata()
        .iter()
        .map(|m| {
            (
                m.access_key_id().unwrap_or_default().to_owned(),
                m.status() == Some(&aws_sdk_iam::types::StatusType::Active),
            )
        })
        .collect();
    v.sort();
    v
}

/// A key made on moto directly (as in the console): (id, secret).
pub fn create_key(user: &str) -> (String, String) {
    block_on(Moto::get().create_key(user))
}

/// The ids of the user's access keys on moto, sorted.
pub fn key_ids(user: &str) -> Vec<String> {
    moto_keys(user).into_iter().map(|(id, _)| id).collect()
}

/// The secret moto holds for the live access key `id` (None for no such key), from the
/// lookup `scripts/moto_server.py` adds. A stock moto_server (`LABNOTE_MOTO_URL` pointing at
/// one) lacks it: then from its state dump, which costs more as the run goes on.
pub fn moto_secret(id: &str) -> Option<String> {
    let addr = Moto::get().url().trim_start_matches("http://").to_owned();
    match http_request(
        &addr,
        "GET",
        &format!("/moto-api/labnote/secret?id={id}"),
        "",
    ) {
        Ok((200, secret)) => Some(secret),
        Ok((404, body)) if body.is_empty() => None,
        _ => moto_secret_from_dump(&addr, id),
    }
}

fn moto_secret_from_dump(addr: &str, id: &str) -> Option<String> {
    let mut last = String::new();
    for _ in 0..5 {
        match http_request(addr, "GET", "/moto-api/data.json", "") {
            Ok((200, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body).expect("moto data.json");
                return v["iam"]["AccessKey"].as_array().and_then(|keys| {
                    keys.iter()
                        .find(|k| k["access_key_id"] == id)
                        .and_then(|k| k["secret_access_key"].as_str())
                        .map(str::to_owned)
                });
            }
            // The dump can race a concurrent change; just ask again.
            other => last = format!("{other:?}"),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("moto data.json failed: {last}");
}

/// A port that was free a moment ago (the listener is dropped at once).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a loopback port")
        .port()
}

fn log_path() -> PathBuf {
    // One log per test binary, overwritten by the next run.
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_deref()
        .and_then(|e| e.file_stem())
        .map_or_else(|| "tests".into(), |s| s.to_string_lossy());
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("moto-{stem}.log"))
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// `http://host:port/...` → `host:port` (port 80 if absent).
fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    }
}

/// Minimal HTTP/1.1 client (one request per connection): enough for moto's
/// control API without pulling an HTTP client crate into dev-dependencies.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let sock = addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("no address"))?;
    let mut stream = TcpStream::connect_timeout(&sock, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {text:.80}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

// ---------------------------------------------------------------------------------------
// loopback stand-ins for what moto cannot do

/// A loopback server running `handler` on the body of each request (one request per
/// connection): `Some((status, reply))` is answered as text/xml, `None` never (the
/// connection is held until the client gives up). Returns its URL and the number of
/// requests it received.
pub fn serve(
    handler: impl Fn(&str) -> Option<(&'static str, String)> + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counter = counter.clone();
            let handler = handler.clone();
            std::thread::spawn(move || {
                let Ok(Some((_, body))) = read_request(&stream) else {
                    return;
                };
                counter.fetch_add(1, Ordering::SeqCst);
                match handler(&body) {
                    Some((status, reply)) => {
                        let mut s = &stream;
                        let _ = write!(
                            s,
                            "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nDate: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                            http_date(),
                            reply.len()
                        );
                        let _ = s.flush();
                    }
                    // Never answer: hold the connection until the client gives up.
                    None => {
                        let mut sink = [0u8; 64];
                        let _ = (&stream).read(&mut sink);
                        std::thread::sleep(Duration::from_secs(60));
                    }
                }
            });
        }
    });
    (url, hits)
}

/// Now as an HTTP `Date` header says it (IAM sends one with every answer).
pub fn http_date() -> String {
    jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&jiff::Timestamp::now())
        .unwrap()
}

/// A loopback server that accepts connections and holds them without ever answering; its
/// URL.
pub fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    url
}

/// One HTTP request: (request line and headers, body); `None` when the connection closes
/// before a request.
pub fn read_request(stream: &TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
        head.push_str(&line);
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    Ok(Some((head, String::from_utf8_lossy(&body).into_owned())))
}

/// The body of an IAM error response.
pub fn error_xml(kind: &str, code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code>\
         <Message>{message}</Message></Error><RequestId>z</RequestId></ErrorResponse>"
    )
}

/// Send one request (head and body as [`read_request`] returns them) to moto on a new
/// connection and read its whole answer (raw bytes, headers included).
pub fn forward_to_moto(head: &str, body: &str) -> std::io::Result<Vec<u8>> {
    let upstream = Moto::get().url().trim_start_matches("http://").to_owned();
    let mut request: String = head
        .split_inclusive('\n')
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    request.push_str("Connection: close\r\n\r\n");
    request.push_str(body);
    let mut up = TcpStream::connect(&upstream)?;
    up.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    Ok(response)
}

/// What a [`stalling_proxy`] saw.
#[derive(Debug, Default)]
pub struct Stall {
    /// The chosen call was carried out by moto, and its answer withheld.
    pub stalled: std::sync::atomic::AtomicBool,
    /// Access key ids in the answers to CreateAccessKey (withheld ones included).
    pub created: std::sync::Mutex<Vec<String>>,
    /// Requests received.
    pub requests: AtomicUsize,
}

/// A proxy in front of moto that forwards every request and answer, except that the `nth`
/// (from 0) request of IAM action `action` is forwarded and carried out by moto, but its
/// answer never reaches the client: IAM did the work, and the caller never hears of it.
/// Only that one request stalls; later ones pass. Returns its URL.
pub fn stalling_proxy(action: &'static str, nth: usize) -> (String, Arc<Stall>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stall = Arc::new(Stall::default());
    let seen = Arc::new(AtomicUsize::new(0));
    let state = stall.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (state, seen) = (state.clone(), seen.clone());
            std::thread::spawn(move || {
                let Ok(Some((head, body))) = read_request(&stream) else {
                    return;
                };
                state.requests.fetch_add(1, Ordering::SeqCst);
                let Ok(response) = forward_to_moto(&head, &body) else {
                    return;
                };
                if body.contains("Action=CreateAccessKey") {
                    let text = String::from_utf8_lossy(&response);
                    if let Some(id) = text
                        .split_once("<AccessKeyId>")
                        .and_then(|(_, rest)| rest.split_once("</AccessKeyId>"))
                    {
                        state.created.lock().unwrap().push(id.0.to_owned());
                    }
                }
                let chosen = body.contains(&format!("Action={action}&"))
                    && seen.fetch_add(1, Ordering::SeqCst) == nth;
                if chosen {
                    state.stalled.store(true, Ordering::SeqCst);
                    // Hold the connection, never answer.
                    std::thread::sleep(Duration::from_secs(120));
                    return;
                }
                let mut s = &stream;
                let _ = s.write_all(&response);
            });
        }
    });
    (url, stall)
}
