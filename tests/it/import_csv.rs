//! `labnote import-csv`: the console's access-key `.csv` (both formats, BOM + CRLF) into the
//! access-key lab against moto; every bad file refused with the file, the line and exit 1,
//! the lab unchanged; the no-credentials advice; Cloud9's refusal; an `aws login` session.

use crate::course;
use crate::moto;

use std::path::{Path, PathBuf};
use std::process::Command;

use course::{crate_path, Course, Run, BIN};
use moto::{block_on, error_xml, serve, Moto};

const LAB: &str = "day2/lab4-aws-access-key.md";
const USER: &str = "mspuser";

fn aws_cli() -> PathBuf {
    let aws = crate_path(".venv/bin/aws");
    assert!(
        aws.exists(),
        "{} is missing: run ./scripts/test.sh once",
        aws.display()
    );
    aws
}

/// `mspuser` on moto with no access key, for the calling test alone: the tests that use
/// it (here and the browser's) hold this lock, since IAM allows 2 keys per user.
pub fn fresh_mspuser() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    block_on(Moto::get().create_user(USER));
    for id in moto::key_ids(USER) {
        block_on(
            Moto::get()
                .iam_client()
                .delete_access_key()
                .user_name(USER)
                .access_key_id(id)
                .send(),
        )
        .expect("delete a key on moto");
    }
    guard
}

/// A key of `mspuser` made with the AWS CLI on moto, as a student makes it in the console.
fn cli_key(c: &Course) -> (String, String) {
    let out = Command::new(aws_cli())
        .env_clear()
        .envs(c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .args([
            "iam",
            "create-access-key",
            "--user-name",
            USER,
            "--output",
            "json",
            "--region",
            "us-east-1",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = &v["AccessKey"];
    (
        k["AccessKeyId"].as_str().unwrap().to_string(),
        k["SecretAccessKey"].as_str().unwrap().to_string(),
    )
}

fn bundled() -> Course {
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    c
}

/// The current console's file and the older `credentials.csv`, UTF-8 with a BOM, CRLF.
fn csv_new(id: &str, secret: &str) -> String {
    format!("\u{feff}Access key ID,Secret access key\r\n{id},{secret}\r\n")
}
fn csv_old(id: &str, secret: &str) -> String {
    format!(
        "\u{feff}User name,Password,Access key ID,Secret access key,Console login link\r\n{USER},\"\",{id},\"{secret}\",https://123456789012.signin.aws.amazon.com/console\r\n"
    )
}

/// Every file under `dir` (recursively) that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_holding(&p, needle));
        } else if std::fs::read(&p)
            .map(|b| String::from_utf8_lossy(&b).contains(needle))
            .unwrap_or(false)
        {
            out.push(p);
        }
    }
    out
}

/// `aws sts get-caller-identity` signed through `labnote credential-process 2-4`, with no
/// key in the environment: the ARN.
fn signed_through_credential_process(c: &Course) -> String {
    let config = c.root.join("aws/config");
    std::fs::write(
        &config,
        format!(
            "[profile lab]\nregion = us-east-1\ncredential_process = {BIN} --course {} credential-process --lab 2-4\n",
            c.course.display()
        ),
    )
    .unwrap();
    let out = Command::new(aws_cli())
        .env_clear()
        .envs(
            c.env
                .iter()
                .filter(|(k, _)| !k.starts_with("AWS_ACCESS_KEY") && !k.starts_with("AWS_SECRET"))
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .args([
            "sts",
            "get-caller-identity",
            "--profile",
            "lab",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["Arn"].as_str().unwrap().to_string()
}

fn import_and_check(csv: fn(&str, &str) -> String, file: &str) {
    let _user = fresh_mspuser();
    let c = bundled();
    let (id, secret) = cli_key(&c);
    let path = c.root.join(file);
    std::fs::write(&path, csv(&id, &secret)).unwrap();
    let p = path.display().to_string();
    let r = c.run(&["import-csv", &p, "2-4", "--remove"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stdout.contains(&id) && r.stdout.contains("••••"),
        "{}",
        r.text()
    );
    assert!(
        r.stdout.contains(&format!("user      {USER}")),
        "{}",
        r.text()
    );
    assert!(r.stdout.contains("account   "), "{}", r.text());
    assert!(!r.text().contains(&secret), "{}", r.text());
    assert!(!path.exists(), "--remove left the .csv");
    // The lab: the id in clear, the secret only encrypted; `memo get` gives it back.
    let text = c.lab_text(LAB);
    assert!(
        text.contains(&format!("_<< AWS Access Key ID>>_ : {id}  \n")),
        "{text}"
    );
    assert!(
        text.contains("_<< AWS Secret Access key>>_ : `age:"),
        "{text}"
    );
    assert_eq!(c.memo_get("2-4", "AWS Secret Access key"), secret);
    // The journal: the key id, never the secret.
    let issued = c.events("issued-key");
    assert_eq!(issued.len(), 1, "{}", c.journal_text());
    assert_eq!(
        issued[0]["details"]["access_key_id"].as_str(),
        Some(id.as_str())
    );
    // No file of the course (labs, journal, state), the home or the config holds it.
    assert_eq!(files_holding(&c.root, &secret), Vec::<PathBuf>::new());
    // credential-process signs as mspuser.
    let arn = signed_through_credential_process(&c);
    assert!(arn.ends_with(&format!(":user/{USER}")), "{arn}");
}

#[test]
fn the_current_console_csv_is_imported_checked_and_removed() {
    import_and_check(csv_new, "mspuser_accessKeys.csv");
}

#[test]
fn the_older_credentials_csv_is_imported_checked_and_removed() {
    import_and_check(csv_old, "credentials.csv");
}

#[test]
fn a_key_of_another_user_is_imported_with_a_warning() {
    let c = bundled();
    let other = moto::unique_name("other");
    block_on(Moto::get().create_user(&other));
    let (id, secret) = block_on(Moto::get().create_key(&other));
    let path = c.root.join("k.csv");
    std::fs::write(&path, csv_new(&id, &secret)).unwrap();
    let r = c.run(&["import-csv", &path.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stderr.contains(&format!("`{other}`")) && r.stderr.contains("`mspuser`"),
        "{}",
        r.text()
    );
    assert!(path.exists(), "no --remove: the file stays");
    assert!(!r.text().contains(&secret));
}

#[test]
fn bad_files_exit_1_name_file_and_line_and_change_nothing() {
    let c = bundled();
    let before = c.lab_bytes(LAB);
    let id = "AKIAIOSFODNN7EXAMPLE";
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let big = format!(
        "Access key ID,Secret access key\r\n{id},{secret}\r\n{}",
        "\r\n".repeat(40 * 1024)
    );
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "header.csv",
            format!("Name,Value\r\n{id},{secret}\r\n"),
            "line 1",
        ),
        (
            "norow.csv",
            "\u{feff}Access key ID,Secret access key\r\n".into(),
            "line 2",
        ),
        (
            "two.csv",
            format!("Access key ID,Secret access key\r\n{id},{secret}\r\n{id},{secret}\r\n"),
            "line 3",
        ),
        (
            "id.csv",
            format!("Access key ID,Secret access key\r\nnot-a-key,{secret}\r\n"),
            "line 2",
        ),
        (
            "secret.csv",
            format!(
                "Access key ID,Secret access key\r\n{id},{}\r\n",
                &secret[..30]
            ),
            "line 2",
        ),
        ("big.csv", big, "64 KiB"),
    ];
    let check = |file: &Path, want: &str| {
        let f = file.display().to_string();
        let r: Run = c.run(&["import-csv", &f, "2-4", "--remove"]);
        assert_eq!(r.code, 1, "{f}: {}", r.text());
        assert!(
            r.stderr.contains(&f) && r.stderr.contains(want),
            "{f}: {}",
            r.text()
        );
        assert!(r.stderr.contains("fix:"), "{f}: {}", r.text());
        assert!(!r.text().contains(&secret[..30]), "{}", r.text());
        assert_eq!(c.lab_bytes(LAB), before, "{f} changed the lab");
        assert!(c.events("issued-key").is_empty());
    };
    for (name, text, want) in &cases {
        let p = c.root.join(name);
        std::fs::write(&p, text).unwrap();
        check(&p, want);
        assert!(p.exists(), "a bad file is never removed");
    }
    let dir = c.root.join("a-folder.csv");
    std::fs::create_dir(&dir).unwrap();
    check(&dir, "directory");
    let fifo = c.root.join("fifo.csv");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    check(&fifo, "FIFO");
}

#[test]
fn no_credentials_recommend_aws_login_then_import_csv() {
    let mut c = Course::empty().with_aws(vec![("AWS_EC2_METADATA_DISABLED", "true".to_owned())]);
    c.unset_env("AWS_ACCESS_KEY_ID");
    copy_bundled(&c);
    c.init();
    let r = c.run(&["issue-key", "2-4", "--yes"]);
    assert_ne!(r.code, 0, "{}", r.text());
    let login = r
        .stderr
        .find("aws login")
        .unwrap_or_else(|| panic!("{}", r.text()));
    let import = r
        .stderr
        .find("labnote import-csv")
        .unwrap_or_else(|| panic!("{}", r.text()));
    assert!(login < import, "{}", r.text());
    if let Some(conf) = r.stderr.find("aws configure") {
        assert!(
            import < conf,
            "`aws configure` is never the first advice: {}",
            r.text()
        );
    }
}

fn copy_bundled(c: &Course) {
    course::copy_dir(&crate_path("labs"), &c.course);
}

/// IAM answering every request as it answers Cloud9's AWS managed temporary credentials.
fn refusing_iam() -> String {
    let (url, _) = serve(|_| {
        Some((
            "403 Forbidden",
            error_xml(
                "Sender",
                "InvalidClientTokenId",
                "The security token included in the request is invalid",
            ),
        ))
    });
    url
}

#[test]
fn cloud9_managed_credentials_are_told_with_both_ways_in() {
    let mut c = bundled();
    let url = refusing_iam();
    c.set_env("AWS_ENDPOINT_URL", &url);
    c.set_env("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLE");
    // Without Cloud9's environment: the plain invalid-credentials message.
    let r = c.run(&["issue-key", "2-4", "--yes"]);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(!r.stderr.contains("Cloud9"), "{}", r.text());
    // In Cloud9's terminal (C9_PID, C9_USER, C9_HOSTNAME are set in every shell it opens).
    c.set_env("C9_PID", "4242");
    c.set_env("C9_USER", "ec2-user");
    let r = c.run(&["issue-key", "2-4", "--yes"]);
    assert_ne!(r.code, 0, "{}", r.text());
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("Cloud9"))
        .unwrap_or_else(|| panic!("{}", r.text()));
    assert!(
        line.contains("aws login") && line.contains("labnote import-csv"),
        "{line}"
    );
    assert!(line.contains("AWS managed temporary credentials"), "{line}");
}

/// An `aws login` session (a `login_session` profile and the token the AWS CLI caches):
/// the SDK's login provider reads the cached, unexpired token with no network, so the
/// issuance signs with it against moto, and `-v` names the source.
#[test]
fn an_aws_login_session_signs_issue_key_and_v_names_it() {
    let mut c = bundled();
    let arn = "arn:aws:iam::123456789012:user/mspuser";
    let user = moto::unique_name("login");
    block_on(Moto::get().create_user(&user));
    let cache = c.root.join("login-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let name = sha256_hex(arn);
    std::fs::write(
        cache.join(format!("{name}.json")),
        r#"{"accessToken":{"accessKeyId":"ASIALOGINSESSION0001","secretAccessKey":"login-secret","sessionToken":"login-token","accountId":"123456789012","expiresAt":"2099-01-01T00:00:00Z"},"tokenType":"aws_sigv4","refreshToken":"r","idToken":"i","clientId":"arn:aws:signin:::devtools/same-device","dpopKey":"-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----\n"}"#,
    )
    .unwrap();
    std::fs::write(
        c.root.join("aws/config"),
        format!("[default]\nregion = us-east-1\nlogin_session = {arn}\n"),
    )
    .unwrap();
    c.unset_env("AWS_ACCESS_KEY_ID");
    c.unset_env("AWS_SECRET_ACCESS_KEY");
    c.set_env("AWS_LOGIN_CACHE_DIRECTORY", &cache.display().to_string());
    // A proxy in front of moto keeps each request's head: the key that signed it.
    let (url, heads) = recording_proxy();
    c.set_env("AWS_ENDPOINT_URL", &url);
    let r = c.run(&["-v", "issue-key", "2-4", "--yes", "--user", &user]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(
        r.stderr.contains("credentials login session"),
        "{}",
        r.text()
    );
    let heads = heads.lock().unwrap().clone();
    assert!(!heads.is_empty());
    for h in &heads {
        assert!(
            h.contains("Credential=ASIALOGINSESSION0001/") && h.contains("login-token"),
            "not signed with the login session: {h}"
        );
    }
    assert!(course::noted_key_id(&c.file(LAB)).is_some());
}

/// A proxy to moto that records the head of every request. Returns its URL.
fn recording_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = heads.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(Some((head, body))) = moto::read_request(&stream) else {
                continue;
            };
            seen.lock().unwrap().push(head.clone());
            if let Ok(answer) = moto::forward_to_moto(&head, &body) {
                let _ = (&stream).write_all(&answer);
            }
        }
    });
    (url, heads)
}

/// The SHA-256 of `s` in hex (the login cache names its file so), by `sha256sum`.
fn sha256_hex(s: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}
