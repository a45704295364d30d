//! `labnote fetch`: values read from their sources, against moto (an EC2 instance, two tagged
//! Elastic IPs, imported ACM certificates, an EFS file system, an EKS cluster), a kubeconfig
//! file, a git repository with a remote, and a local stand-in for GitHub's two REST calls
//! (`GET /user`, `GET /repos/{owner}/{repo}`, in their documented shapes). Every request
//! goes to loopback: `AWS_ENDPOINT_URL` and `GITHUB_API_URL` are set in every run.
//!
//! The tests share one moto server; each uses its own region, so their resources never mix.

use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::course::{copy_dir, crate_path, fixture_path, Course};
use crate::moto::{read_request, Moto};

pub const TOKEN: &str = "ghp_SourcesTestToken0123456789abcdefABCD";
pub const LOGIN: &str = "octo-student";

/// What moto returned for the resources of `scripts/moto_sources.py`.
pub fn setup_moto(region: &str, certs: usize) -> Value {
    let out = std::process::Command::new(crate_path(".venv/bin/python"))
        .arg(crate_path("scripts/moto_sources.py"))
        .args([Moto::get().url(), region, &certs.to_string()])
        .output()
        .expect("run scripts/moto_sources.py (.venv: scripts/venv.sh)");
    assert!(
        out.status.success(),
        "moto_sources.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A local GitHub: `GET /user` and `GET /repos/{LOGIN}/service_repo` answer with the
/// documented fields when the `Authorization` header carries [`TOKEN`]; anything else is 404
/// (401 without the token). Returns its URL and every request line it got.
pub fn github_stand_in() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let base = url.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(Some((head, _))) = read_request(&stream) else {
                continue;
            };
            let line = head.lines().next().unwrap_or_default().to_string();
            log.lock().unwrap().push(head.clone());
            let authorized = head
                .lines()
                .any(|l| l.eq_ignore_ascii_case(&format!("authorization: Bearer {TOKEN}")));
            let (status, body) = if !authorized {
                (
                    "401 Unauthorized",
                    r#"{"message":"Bad credentials"}"#.to_string(),
                )
            } else if line.starts_with("GET /user ") {
                (
                    "200 OK",
                    format!(
                        r#"{{"login":"{LOGIN}","id":1,"type":"User","html_url":"https://github.com/{LOGIN}"}}"#
                    ),
                )
            } else if line.starts_with(&format!("GET /repos/{LOGIN}/service_repo ")) {
                (
                    "200 OK",
                    format!(
                        r#"{{"id":2,"name":"service_repo","full_name":"{LOGIN}/service_repo","html_url":"https://github.com/{LOGIN}/service_repo","clone_url":"https://github.com/{LOGIN}/service_repo.git","url":"{base}/repos/{LOGIN}/service_repo"}}"#
                    ),
                )
            } else {
                ("404 Not Found", r#"{"message":"Not Found"}"#.to_string())
            };
            let mut s = &stream;
            let _ = std::io::Write::write_all(
                &mut s,
                format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    (url, seen)
}

/// A kubeconfig whose current context is the cluster at `server` with `ca`; another context
/// (not current) names another cluster, which must not be read.
pub fn write_kubeconfig(path: &Path, server: &str, ca: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://other.example\n  name: other\n- cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: service\ncontexts:\n- context:\n    cluster: other\n    user: u\n  name: other\n- context:\n    cluster: service\n    user: u\n  name: service\ncurrent-context: service\nusers:\n- name: u\n  user:\n    exec:\n      command: /bin/false\n"
        ),
    )
    .unwrap();
}

/// The sources fixture course (region `region`), with a git repository `work/service_repo`
/// whose remote carries a user part, a kubeconfig, moto and the GitHub stand-in.
pub fn course_with_sources(region: &str, github: &str) -> Course {
    let mut c = Course::empty().with_path().with_aws(Moto::get().sdk_env());
    copy_dir(&fixture_path("sources"), &c.course);
    std::fs::write(
        c.course.join("course.yaml"),
        format!("region: {region}\nworkdir: work\n"),
    )
    .unwrap();
    let repo = c.course.join("work/service_repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let s = std::process::Command::new("git")
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(s.status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "remote",
        "add",
        "origin",
        &format!("https://{LOGIN}:{TOKEN}@github.com/{LOGIN}/service_repo.git"),
    ]);
    c.set_env("GITHUB_API_URL", github);
    c.set_env(
        "KUBECONFIG",
        &c.root.join("kube/config").display().to_string(),
    );
    c
}

/// The allocation id of the Elastic IP tagged `tag`, as moto returned it.
pub fn eip_allocation(m: &Value, tag: &str) -> String {
    m["eips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == tag)
        .unwrap()[1]
        .as_str()
        .unwrap()
        .to_string()
}

fn memo(c: &Course, key: &str) -> String {
    c.memo_get("4-1", key)
}

#[test]
fn fetch_yes_notes_every_value_with_one_match_and_later_labs_resolve_them() {
    let region = "sa-east-1";
    let m = setup_moto(region, 1);
    let (github, seen) = github_stand_in();
    let c = course_with_sources(region, &github);
    write_kubeconfig(
        &c.root.join("kube/config"),
        m["eks_endpoint"].as_str().unwrap(),
        m["eks_ca"].as_str().unwrap(),
    );
    c.init();
    c.memo_set_on_stdin("4-1", "GitHub Token", TOKEN);

    let r = c.ok(&["fetch", "--yes"]);
    let s = |k: &str| m[k].as_str().unwrap().to_string();
    let eip = |tag: &str| eip_allocation(&m, tag);
    assert_eq!(memo(&c, "메모한 Public IP"), s("public_ip"), "{}", r.text());
    // The numbered pair in the stable order (by Name tag), not moto's creation order.
    assert_eq!(
        memo(&c, "Elastic IP Allocation ID 1"),
        eip("eip-1"),
        "{}",
        r.text()
    );
    assert_eq!(memo(&c, "Elastic IP Allocation ID 2"), eip("eip-2"));
    assert_eq!(
        memo(&c, "메모한 인증서의 ARN"),
        m["arns"][0].as_str().unwrap()
    );
    assert_eq!(memo(&c, "메모한 EFS 파일 시스템 ID"), s("efs"));
    assert_eq!(memo(&c, "메모한 Cluster Server URL"), s("eks_endpoint"));
    assert_eq!(memo(&c, "메모한 certificate-authority-data"), s("eks_ca"));
    // The remote without its user part: the token in it is never noted.
    assert_eq!(
        memo(&c, "자신의 git repository 주소"),
        format!("https://github.com/{LOGIN}/service_repo.git")
    );
    assert_eq!(memo(&c, "자신의 GitHub username"), LOGIN);

    // Later labs: the placeholders resolve to exactly these values.
    let shown = c.ok(&["show", "4-2", "--fill"]).stdout;
    for v in [s("public_ip"), eip("eip-1"), eip("eip-2"), s("efs")] {
        assert!(shown.contains(&v), "{v} not in lab 4-2 filled:\n{shown}");
    }
    let unresolved = c.ok(&["placeholders", "4-2", "--json"]);
    let v: Value = serde_json::from_str(&unresolved.stdout).unwrap();
    let open: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resolved"] != true)
        .collect();
    assert!(open.is_empty(), "placeholders of 4-2 left open: {open:?}");

    // Provenance: a `fetched` record per value (source, region, resource), shown by
    // `memo list -v`; no secret in the journal, the lab or any argument.
    let fetched = c.events("fetched");
    let mut keys: Vec<&str> = fetched
        .iter()
        .map(|r| r["details"]["key"].as_str().unwrap())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "Cluster Server URL",
            "EFS 파일 시스템 ID",
            "Elastic IP Allocation ID 1",
            "Elastic IP Allocation ID 2",
            "Public IP",
            "certificate-authority-data",
            "인증서의 ARN",
            "자신의 GitHub username",
            "자신의 git repository 주소",
        ],
        "{fetched:?}"
    );
    let ec2 = fetched
        .iter()
        .find(|r| r["details"]["key"] == "Public IP")
        .unwrap();
    assert_eq!(ec2["details"]["source"], "ec2");
    assert_eq!(ec2["details"]["region"], region);
    assert!(ec2["details"]["resource"]
        .as_str()
        .unwrap()
        .starts_with("i-"));
    let list = c.ok(&["-v", "memo", "list", "4-1"]);
    assert!(
        list.stdout.contains(&format!("from AWS (ec2, {region})")),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("from kubeconfig") || list.stdout.contains("from eks"));
    assert!(!c.journal_text().contains(TOKEN));
    assert!(!c.lab_text("day4/lab1-resources.md").contains(TOKEN));
    // The token went only in the Authorization header, never in a request line.
    let heads = seen.lock().unwrap().clone();
    assert!(!heads.is_empty());
    for h in &heads {
        assert!(!h.lines().next().unwrap().contains(TOKEN), "{h}");
    }

    // Fetched again: nothing is still wanted.
    let again = c.ok(&["fetch", "--yes"]);
    assert!(
        again.stderr.contains("no value still wanted"),
        "{}",
        again.text()
    );
}

#[test]
fn two_certificates_note_no_arn_and_list_both() {
    let region = "eu-west-3";
    let m = setup_moto(region, 2);
    let (github, _) = github_stand_in();
    let c = course_with_sources(region, &github);
    c.init();
    let r = c.ok(&["fetch", "4-1", "--yes", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let arn = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "acm.arn")
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert_eq!(arn["outcome"], "choose", "{arn}");
    assert_eq!(arn["noted"], Value::Null);
    let listed: Vec<&str> = arn["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    let mut want: Vec<&str> = m["arns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut got = listed.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let text = c.lab_text("day4/lab1-resources.md");
    for a in &want {
        assert!(!text.contains(a), "an ARN was noted though two matched");
    }
    // The one instance was noted all the same.
    assert_eq!(
        memo(&c, "메모한 Public IP"),
        m["public_ip"].as_str().unwrap()
    );
    // Without a kubeconfig, the cluster's values come from EKS alone.
    assert_eq!(
        memo(&c, "메모한 Cluster Server URL"),
        m["eks_endpoint"].as_str().unwrap()
    );
}

#[test]
fn a_region_with_nothing_says_what_to_create_and_notes_nothing() {
    let (github, _) = github_stand_in();
    let c = course_with_sources("ap-south-2", &github);
    let before = c.lab_bytes("day4/lab1-resources.md");
    let r = c.ok(&["fetch", "4-1", "--yes"]);
    assert!(
        r.stdout.contains("no running EC2 instance in ap-south-2"),
        "{}",
        r.text()
    );
    assert!(
        r.stdout.contains("Allocate Elastic IP address"),
        "{}",
        r.text()
    );
    // No GitHub token noted: said once per value, with the fix.
    assert!(
        r.stdout.contains("no GitHub token is noted"),
        "{}",
        r.text()
    );
    // Nothing from AWS is noted (the git repository under the work folder still gives its
    // remote, and only that).
    let after = c.lab_text("day4/lab1-resources.md");
    let before = String::from_utf8(before).unwrap();
    let changed: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b.trim_end() == l.trim_end()))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].contains("service_repo.git"), "{changed:?}");
    for r in c.events("fetched") {
        assert_eq!(r["details"]["source"], "git", "{r:?}");
    }
}

#[test]
fn a_denied_read_names_the_missing_permission() {
    // An EC2 endpoint that refuses every call as AWS does without the permission.
    let (url, _) = crate::moto::serve(|_| {
        Some((
            "403 Forbidden",
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>1</RequestID></Response>".to_string(),
        ))
    });
    let (github, _) = github_stand_in();
    let mut c = course_with_sources("sa-east-1", &github);
    c.set_env("AWS_ENDPOINT_URL", &url);
    let r = c.ok(&["fetch", "4-1", "메모한 Public IP", "--yes"]);
    assert!(r.stdout.contains("ec2:DescribeInstances"), "{}", r.text());
    assert!(c.events("fetched").is_empty());
}

#[test]
fn an_unknown_source_in_course_yaml_is_an_error_naming_the_line() {
    let (github, _) = github_stand_in();
    let c = course_with_sources("sa-east-1", &github);
    std::fs::write(
        c.course.join("course.yaml"),
        "region: sa-east-1\nsources:\n  \"<<메모한 Public IP>>\": ec2.public_ipv6\n",
    )
    .unwrap();
    let r = c.run(&["fetch", "4-1"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("course.yaml:3"), "{}", r.text());
    assert!(r.stderr.contains("ec2.public_ip"), "{}", r.text());
}

#[test]
fn course_yaml_names_a_source_the_words_do_not() {
    let region = "ca-central-1";
    let m = setup_moto(region, 1);
    let (github, _) = github_stand_in();
    let c = course_with_sources(region, &github);
    // `<<YYMMDD>>`-like names say nothing; the author names the source instead.
    let lab = c.course.join("day4/lab2-use.md");
    let text = std::fs::read_to_string(&lab).unwrap();
    std::fs::write(
        &lab,
        format!("{text}\n### ✔ 3-2. 서버 주소\n\n`<<server_addr>>`\n"),
    )
    .unwrap();
    std::fs::write(
        c.course.join("course.yaml"),
        format!(
            "region: {region}\nworkdir: work\nsources:\n  \"<<server_addr>>\": ec2.private_ip\n"
        ),
    )
    .unwrap();
    c.init();
    let r = c.ok(&["fetch", "4-2", "server_addr", "--yes"]);
    let got = c.ok(&["memo", "get", "server_addr"]);
    assert_eq!(
        got.stdout.trim(),
        m["private_ip"].as_str().unwrap(),
        "{}",
        r.text()
    );
}

#[test]
fn a_repository_not_cloned_yet_is_read_from_github_by_the_name_the_lab_gives() {
    let (github, seen) = github_stand_in();
    let c = course_with_sources("sa-east-1", &github);
    std::fs::remove_dir_all(c.course.join("work/service_repo")).unwrap();
    c.init();
    c.memo_set_on_stdin("4-1", "GitHub Token", TOKEN);
    let r = c.ok(&["fetch", "4-1", "자신의 git repository 주소", "--yes"]);
    assert_eq!(
        memo(&c, "자신의 git repository 주소"),
        format!("https://github.com/{LOGIN}/service_repo.git"),
        "{}",
        r.text()
    );
    // The name came from the lab (`service_repo` in the step that asks for it).
    let heads = seen.lock().unwrap().clone();
    assert!(
        heads
            .iter()
            .any(|h| h.starts_with(&format!("GET /repos/{LOGIN}/service_repo "))),
        "{heads:?}"
    );
    let fetched = c.events("fetched");
    assert_eq!(fetched[0]["details"]["source"], "github", "{fetched:?}");
}

#[test]
fn throttling_after_the_sdks_retries_is_one_line_and_nothing_is_noted() {
    // An EC2 endpoint that throttles every call, as AWS answers when the rate is exceeded.
    let (url, hits) = crate::moto::serve(|_| {
        Some((
            "503 Service Unavailable",
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>1</RequestID></Response>".to_string(),
        ))
    });
    let (github, _) = github_stand_in();
    let mut c = course_with_sources("sa-east-1", &github);
    c.set_env("AWS_ENDPOINT_URL", &url);
    let r = c.ok(&["fetch", "4-1", "메모한 Public IP", "--yes"]);
    assert!(r.stdout.contains("still throttled"), "{}", r.text());
    // The SDK retried (standard mode) before giving up.
    assert!(
        hits.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "{}",
        r.text()
    );
    assert!(c.events("fetched").is_empty());
}

#[test]
fn no_credentials_is_one_line_with_the_fix_and_no_request_leaves() {
    let (github, _) = github_stand_in();
    let mut c = course_with_sources("sa-east-1", &github);
    // No key in the environment, none noted, no endpoint of a local server: the credentials
    // fail before any request is made (instance metadata is off in tests).
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ENDPOINT_URL",
    ] {
        c.unset_env(k);
    }
    c.set_env("AWS_EC2_METADATA_DISABLED", "true");
    let r = c.ok(&["fetch", "4-1", "메모한 Public IP", "--yes"]);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("not read"))
        .unwrap_or_else(|| panic!("{}", r.text()));
    assert!(
        line.contains("aws configure") || line.contains("credentials"),
        "{line}"
    );
    assert!(c.events("fetched").is_empty());
}

#[test]
fn a_name_that_means_no_value_is_an_error_with_the_close_ones() {
    let (github, _) = github_stand_in();
    let c = course_with_sources("sa-east-1", &github);
    let r = c.run(&["fetch", "4-1", "Public IPP"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr.contains("close to it: 'Public IP'"),
        "{}",
        r.text()
    );
    // `fetch` has no --new: its message offers none.
    assert!(!r.stderr.contains("--new"), "{}", r.text());
}
