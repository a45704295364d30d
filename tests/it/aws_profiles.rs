//! `aws-profile`, `env`, `exec` and the credential-problem messages, run as a student runs
//! them: the AWS CLI v1 and boto3 of the test venv sign through the profile against moto.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::course::{crate_path, Course, Run};
use crate::moto::{block_on, unique_name, Moto};

const REGION: &str = "ap-northeast-2";

/// A course with lab 2-4 and `region` in course.yaml, an identity, the SDK on moto.
fn course() -> Course {
    let c = Course::empty()
        .with_path()
        .with_aws(Moto::get().sdk_env())
        .with_fixture_files(&["ref-2-4-access-key.md"]);
    std::fs::write(c.file("course.yaml"), format!("region: {REGION}\n")).unwrap();
    c.init();
    c
}

fn aws_file(c: &Course, name: &str) -> PathBuf {
    c.root.join("aws").join(name)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

fn new_user(prefix: &str) -> String {
    let u = unique_name(prefix);
    block_on(Moto::get().create_user(&u));
    u
}

/// `issue-key 2-4` for a new moto user: (user, key id, secret).
fn issue(c: &Course) -> (String, String, String) {
    let user = new_user("prof");
    let r = c.ok(&["issue-key", "2-4", "--user", &user, "--yes", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let id = v["access_key_id"].as_str().unwrap().to_owned();
    let secret = c.memo_get("2-4", "AWS Secret Access key");
    (user, id, secret)
}

/// The environment of an AWS tool started elsewhere: the same HOME and AWS files, another
/// XDG_CONFIG_HOME, no LABNOTE_IDENTITY, no region, no key in the environment.
fn foreign_env(c: &Course) -> Vec<(String, String)> {
    let other = c.root.join("other-xdg");
    std::fs::create_dir_all(&other).unwrap();
    let s = |p: PathBuf| p.display().to_string();
    vec![
        ("HOME".into(), s(c.root.join("home"))),
        ("XDG_CONFIG_HOME".into(), s(other)),
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("AWS_CONFIG_FILE".into(), s(aws_file(c, "config"))),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            s(aws_file(c, "credentials")),
        ),
        ("AWS_ENDPOINT_URL".into(), Moto::get().url().to_owned()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ]
}

fn run_in(env: &[(String, String)], program: &Path, args: &[&str]) -> Run {
    assert!(
        program.exists(),
        "{} is missing: run ./scripts/test.sh once",
        program.display()
    );
    Run::of(
        Command::new(program)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .args(args)
            .stdin(Stdio::null()),
    )
}

/// `aws sts get-caller-identity --profile lab`: the ARN.
fn aws_cli_arn(env: &[(String, String)]) -> Result<String, Run> {
    let r = run_in(
        env,
        &crate_path(".venv/bin/aws"),
        &[
            "sts",
            "get-caller-identity",
            "--profile",
            "lab",
            "--output",
            "json",
        ],
    );
    if r.code != 0 {
        return Err(r);
    }
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    Ok(v["Arn"].as_str().unwrap().to_owned())
}

const BOTO3: &str = r#"
import boto3
s = boto3.Session(profile_name="lab")
print(s.region_name)
print(s.get_credentials().access_key)
print(s.client("sts").get_caller_identity()["Arn"])
"#;

#[test]
fn aws_cli_and_boto3_sign_with_the_saved_key_after_replace_from_another_environment() {
    let c = course();
    let (user, id, secret) = issue(&c);
    // `aws configure --profile lab` was run before, with another user's key.
    let other = new_user("static");
    let (old_id, old_secret) = block_on(Moto::get().create_key(&other));
    let creds = format!(
        "[default]\naws_access_key_id = {old_id}\naws_secret_access_key = {old_secret}\n\n[lab]\naws_access_key_id = {old_id}\naws_secret_access_key = {old_secret}\n"
    );
    std::fs::write(aws_file(&c, "credentials"), &creds).unwrap();

    // Without --replace: a warning naming the lines; the old key still wins, as warned.
    let r = c.ok(&["aws-profile", "lab"]);
    let cred_path = aws_file(&c, "credentials").display().to_string();
    assert!(
        r.stderr.contains("static keys")
            && r.stderr.contains(&format!("{cred_path}:6"))
            && r.stderr.contains(&format!("{cred_path}:7"))
            && r.stderr.contains("--replace"),
        "{}",
        r.text()
    );
    assert_eq!(read(&aws_file(&c, "credentials")), creds);
    let env = foreign_env(&c);
    let arn = aws_cli_arn(&env).unwrap_or_else(|r| panic!("{}", r.text()));
    assert!(arn.ends_with(&format!(":user/{other}")), "{arn}");

    // --replace: commented out, backup kept (0600), [default] untouched.
    c.ok(&["aws-profile", "lab", "--replace"]);
    let now = read(&aws_file(&c, "credentials"));
    assert!(
        now.contains(&format!(
            "[lab]\n# aws_access_key_id = {old_id}\n# aws_secret_access_key = {old_secret}\n"
        )),
        "{now}"
    );
    assert!(
        now.starts_with(&format!("[default]\naws_access_key_id = {old_id}\n")),
        "{now}"
    );
    let backup = aws_file(&c, "credentials.labnote-backup");
    assert_eq!(read(&backup), creds);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let config = read(&aws_file(&c, "config"));
    assert!(config.contains(&format!("region = {REGION}\n")), "{config}");
    let identity = c
        .root
        .join("xdg/labnote/identity.txt")
        .display()
        .to_string();
    assert!(
        config.contains(&format!("--identity {identity} credential-process")),
        "{config}"
    );
    assert!(
        !config.contains(&secret) && !config.contains(&id),
        "{config}"
    );

    // The AWS CLI v1: no region but the profile's, another XDG_CONFIG_HOME, no identity env.
    let arn = aws_cli_arn(&env).unwrap_or_else(|r| panic!("{}", r.text()));
    assert!(arn.ends_with(&format!(":user/{user}")), "{arn}");
    // boto3 the same, and it signs with the issued key id.
    let r = run_in(&env, &crate_path(".venv/bin/python"), &["-c", BOTO3]);
    assert_eq!(r.code, 0, "{}", r.text());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], REGION);
    assert_eq!(lines[1], id);
    assert!(lines[2].ends_with(&format!(":user/{user}")), "{}", r.stdout);
    assert!(!r.stderr.contains(&secret));
}

#[test]
fn profile_names_the_aws_cli_cannot_use_are_refused_with_nothing_written() {
    let c = course_with_pair("nameTestSecret/1");
    for bad in ["my lab", "실습", "a'b", "-x", "lab]", "a#b"] {
        let r = c.run(&["aws-profile", "--", bad]);
        assert_eq!(r.code, 1, "{bad}: {}", r.text());
        assert!(r.stderr.contains(&format!("'{bad}'")), "{}", r.text());
        assert_eq!(read(&aws_file(&c, "config")), "", "{bad}");
    }
    let r = c.run(&["aws-profile", "my lab"]);
    assert!(r.stderr.contains("'my-lab'"), "{}", r.text());
}

/// A course with a pair noted by hand (no moto needed).
fn course_with_pair(secret: &str) -> Course {
    let c = Course::empty()
        .with_path()
        .with_aws(Vec::new())
        .with_fixture_files(&["ref-2-4-access-key.md"]);
    std::fs::write(c.file("course.yaml"), format!("region: {REGION}\n")).unwrap();
    c.init();
    c.ok(&[
        "memo",
        "set",
        "2-4",
        "AWS Access Key ID",
        "AKIAEXAMPLEPAIR00001",
    ]);
    let mut cmd = c.cmd(&["memo", "set", "2-4", "AWS Secret Access key", "-"]);
    let out = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut ch| {
            use std::io::Write;
            ch.stdin
                .take()
                .unwrap()
                .write_all(format!("{secret}\n").as_bytes())?;
            ch.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    c
}

#[test]
fn list_and_remove_touch_only_labnote_profiles() {
    let c = course_with_pair("listSecret/9");
    let mine = "# my settings\n[profile mine]\nregion = eu-west-1\n";
    std::fs::write(aws_file(&c, "config"), mine).unwrap();
    c.ok(&["aws-profile", "lab"]);
    c.ok(&[
        "aws-profile",
        "lab2",
        "--lab",
        "2-4",
        "--region",
        "us-west-2",
    ]);
    let r = c.ok(&["aws-profile", "--list"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text());
    assert!(
        lines[0].starts_with("lab\t")
            && lines[0].contains("lab (latest)")
            && lines[0].contains(REGION),
        "{}",
        r.stdout
    );
    assert!(
        lines[1].starts_with("lab2\t")
            && lines[1].contains("lab 2-4")
            && lines[1].contains("us-west-2"),
        "{}",
        r.stdout
    );
    assert!(
        lines[0].contains(&c.course.display().to_string()),
        "{}",
        r.stdout
    );

    let r = c.run(&["aws-profile", "--remove", "mine"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("not a labnote profile"), "{}", r.text());
    let r = c.run(&["aws-profile", "--remove", "nosuch"]);
    assert_eq!(r.code, 1, "{}", r.text());
    c.ok(&["aws-profile", "--remove", "lab"]);
    c.ok(&["aws-profile", "--remove", "lab2"]);
    assert_eq!(read(&aws_file(&c, "config")), mine);
    let r = c.ok(&["aws-profile", "--list"]);
    assert_eq!(r.stdout, "");
}

#[test]
fn no_region_anywhere_is_warned_about() {
    let c = course_with_pair("regionSecret/3");
    std::fs::remove_file(c.file("course.yaml")).unwrap();
    let r = c.ok(&["aws-profile", "lab"]);
    assert!(
        r.stderr.contains("no region") && r.stderr.contains("course.yaml"),
        "{}",
        r.text()
    );
    assert!(!read(&aws_file(&c, "config")).contains("region"));
}

fn shell_out(c: &Course, shell: &str, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(shell);
    cmd.env_clear()
        .envs(c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .envs(extra.iter().copied())
        .env("LABNOTE", crate::course::BIN)
        .env("COURSE", &c.course)
        .args(args)
        .stdin(Stdio::null());
    Run::of(&mut cmd)
}

const PRINT: &str = r#"printf '%s|%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_REGION" "$AWS_DEFAULT_REGION" "${AWS_SESSION_TOKEN-unset}${AWS_SECURITY_TOKEN-unset}""#;

#[test]
fn env_clears_stale_session_tokens_and_sets_both_region_variables() {
    let secret = "env'Secret $x\\y";
    let c = course_with_pair(secret);
    let want = format!("AKIAEXAMPLEPAIR00001|{secret}|{REGION}|{REGION}|unsetunset");
    let stale = [
        ("AWS_SESSION_TOKEN", "stale"),
        ("AWS_SECURITY_TOKEN", "old"),
    ];
    let bash = format!(r#"eval "$("$LABNOTE" --course "$COURSE" env --shell bash)" && {PRINT}"#);
    let r = shell_out(&c, "bash", &["--noprofile", "--norc", "-c", &bash], &stale);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(r.stdout, want);
    let zsh = format!(r#"eval "$("$LABNOTE" --course "$COURSE" env --shell zsh)" && {PRINT}"#);
    let r = shell_out(&c, "zsh", &["-f", "-c", &zsh], &stale);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(r.stdout, want);
    let fish_print = r#"printf '%s|%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_REGION" "$AWS_DEFAULT_REGION" (set -q AWS_SESSION_TOKEN; or echo unset)(set -q AWS_SECURITY_TOKEN; or echo unset)"#;
    let fish =
        format!(r#""$LABNOTE" --course "$COURSE" env --shell fish | source; and {fish_print}"#);
    // With and without the tokens set: `set -e` of an unset variable must not fail `source`.
    for extra in [&stale[..], &[]] {
        let r = shell_out(&c, "fish", &["--no-config", "-c", &fish], extra);
        assert_eq!(r.code, 0, "{}", r.text());
        assert_eq!(r.stdout, want);
        assert_eq!(r.stderr, "");
    }
    let r = c.ok(&["env", "--shell", "powershell"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "$env:AWS_SESSION_TOKEN = $null",
            "$env:AWS_SECURITY_TOKEN = $null",
            "$env:AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEPAIR00001'",
            &format!(
                "$env:AWS_SECRET_ACCESS_KEY = '{}'",
                secret.replace('\'', "''")
            ),
            &format!("$env:AWS_REGION = '{REGION}'"),
            &format!("$env:AWS_DEFAULT_REGION = '{REGION}'"),
        ]
    );
}

#[test]
fn exec_runs_one_command_with_the_key_and_passes_its_exit_code() {
    let secret = "execSecret/\"q'2";
    let c = course_with_pair(secret);
    let mut cmd = c.cmd(&["exec", "--", "sh", "-c", &format!("{PRINT}; exit 7")]);
    cmd.env("AWS_SESSION_TOKEN", "stale");
    let r = Run::of(&mut cmd);
    assert_eq!(r.code, 7, "{}", r.text());
    assert_eq!(
        r.stdout,
        format!("AKIAEXAMPLEPAIR00001|{secret}|{REGION}|{REGION}|unsetunset")
    );
    assert!(!r.stderr.contains(secret), "{}", r.text());
    // The key is in the child's environment, never in its arguments.
    let r = c.ok(&[
        "exec",
        "--lab",
        "2-4",
        "--",
        "sh",
        "-c",
        "tr '\\0' ' ' < /proc/$$/cmdline",
    ]);
    assert!(
        !r.stdout.contains(secret) && r.stdout.starts_with("sh -c"),
        "{}",
        r.text()
    );
    // A signal: 128 + N, as shells report it. A missing command: 127 and a message.
    let r = c.run(&["exec", "--", "sh", "-c", "kill -9 $$"]);
    assert_eq!(r.code, 137, "{}", r.text());
    let r = c.run(&["exec", "--", "no-such-command-xyz", "-v"]);
    assert_eq!(r.code, 127, "{}", r.text());
    assert!(r.stderr.contains("no-such-command-xyz"), "{}", r.text());
    // The command's own options are not labnote's.
    let r = c.ok(&["exec", "--", "sh", "-c", "echo \"$1\"", "sh", "--lab"]);
    assert_eq!(r.stdout, "--lab\n");
    let r = c.run(&["exec"]);
    assert_eq!(r.code, 1, "a usage error: {}", r.text());
}

/// `issue-key` with an AWS config of its own (no moto, no key in the environment).
fn issue_with(c: &Course, config: &str, args: &[&str], extra: &[(&str, &str)]) -> Run {
    std::fs::write(aws_file(c, "config"), config).unwrap();
    let mut all = vec!["issue-key", "2-4", "--user", "u", "--yes"];
    all.extend_from_slice(args);
    let mut cmd = c.cmd(&all);
    cmd.envs(extra.iter().copied());
    Run::of(&mut cmd)
}

const SSO_CONFIG: &str = "[profile sso]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = Lab\nregion = us-east-1\n[sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n";

#[test]
fn credential_problems_get_one_line_with_the_fixing_command() {
    let c = Course::empty()
        .with_aws(vec![("AWS_EC2_METADATA_DISABLED", "true".to_owned())])
        .with_fixture_files(&["ref-2-4-access-key.md"]);
    c.init();
    let one_line = |r: &Run| {
        assert_eq!(r.code, 2, "{}", r.text());
        let errs: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| l.starts_with("labnote: error:"))
            .collect();
        assert_eq!(errs.len(), 1, "{}", r.text());
        assert!(
            !r.stderr.contains("ProviderError"),
            "an SDK dump: {}",
            r.text()
        );
        errs[0].to_owned()
    };
    let r = issue_with(&c, SSO_CONFIG, &["--profile", "sso"], &[]);
    assert!(
        one_line(&r).ends_with("fix: `aws sso login --profile sso`"),
        "{}",
        r.text()
    );
    let r = issue_with(&c, SSO_CONFIG, &[], &[("AWS_PROFILE", "sso")]);
    assert!(
        one_line(&r).contains("aws sso login --profile sso"),
        "{}",
        r.text()
    );
    let r = issue_with(&c, SSO_CONFIG, &[], &[("AWS_PROFILE", "nosuch")]);
    let l = one_line(&r);
    assert!(
        l.contains("`nosuch` (AWS_PROFILE)")
            && l.contains("aws configure --profile nosuch")
            && l.contains("profiles there: sso"),
        "{l}"
    );
    // Issue 21: `aws login` first (it needs no key), then `import-csv`; `aws configure`
    // is still named, last, for a key the student already has.
    let r = issue_with(&c, "", &[], &[]);
    let l = one_line(&r);
    assert!(
        l.contains("fix: `aws login`")
            && l.contains("labnote import-csv")
            && l.contains("`aws configure`"),
        "{}",
        r.text()
    );
    // -v: profile, region and endpoint before the call.
    let r = issue_with(
        &c,
        SSO_CONFIG,
        &[
            "-v",
            "--profile",
            "sso",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &[],
    );
    assert!(
        r.stderr
            .contains("aws: profile sso (from --profile); region ")
            && r.stderr
                .contains("endpoint http://127.0.0.1:9 (from --endpoint-url)"),
        "{}",
        r.text()
    );
}
