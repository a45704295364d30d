//! age beyond one identity: `memo rekey` after a recipient is added (checked with the stock
//! `age` CLI), `memo set K 'age:…'` keeping a ciphertext, `--identity`, and identities
//! wrapped with a passphrase by `age -p` (asked on the terminal, refused without one).
//!
//! Needs `age`, `age-keygen`, `script` and `setsid` (util-linux); fails without them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::course::{Course, Run, BIN};

const GITHUB: &str = "ghp_rekeyTokenValue0001";
const AWS_SECRET: &str = "rekey/Secret+Value=02";

fn course() -> Course {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["ref-2-3-github.md", "ref-2-4-access-key.md"]);
    c.init();
    c
}

/// `memo set LAB KEY -` with the value on stdin.
fn set(c: &Course, lab: &str, key: &str, value: &str, extra: &[&str]) -> Run {
    let mut args = extra.to_vec();
    args.extend(["memo", "set", lab, key, "-"]);
    let mut child = c
        .cmd(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{value}\n").as_bytes())
        .unwrap();
    Run::new(child.wait_with_output().unwrap(), std::time::Duration::ZERO)
}

fn sh(script: &str, env: &[(&str, &str)]) -> std::process::Output {
    Command::new("sh")
        .args(["-c", script])
        .envs(env.iter().copied())
        .output()
        .expect("sh")
}

/// A new identity made by the stock `age-keygen`: (path, public key).
fn age_keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let p = dir.join(name);
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(&p)
        .output()
        .expect("age-keygen is required");
    assert!(out.status.success(), "{out:?}");
    let public = String::from_utf8_lossy(&out.stderr)
        .trim()
        .trim_start_matches("Public key: ")
        .to_owned();
    assert!(public.starts_with("age1"), "{public}");
    (p, public)
}

/// Every `age:` payload of a lab file.
fn payloads(text: &str) -> Vec<String> {
    text.split('`')
        .filter_map(|p| p.strip_prefix("age:"))
        .map(str::to_owned)
        .collect()
}

/// The stock recovery: `printf %s PAYLOAD | base64 -d | age -d -i IDENTITY`.
fn stock_decrypt(payload: &str, identity: &Path) -> Result<String, String> {
    let id = identity.display().to_string();
    let out = sh(
        r#"printf %s "$P" | base64 -d | age -d -i "$ID""#,
        &[("P", payload), ("ID", &id)],
    );
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn without_payloads(text: &str) -> String {
    let mut out = text.to_owned();
    for p in payloads(text) {
        out = out.replace(&p, "P");
    }
    out
}

#[test]
fn rekey_after_adding_a_recipient_lets_stock_age_decrypt_every_secret() {
    let c = course();
    assert_eq!(set(&c, "2-3", "github_token", GITHUB, &[]).code, 0);
    assert_eq!(
        set(&c, "2-4", "AWS Secret Access key", AWS_SECRET, &[]).code,
        0
    );
    c.ok(&[
        "memo",
        "set",
        "2-4",
        "AWS Access Key ID",
        "AKIAREKEYEXAMPLE0001",
    ]);
    let (newkey, public) = age_keygen(&c.root, "second-machine.txt");
    let files = ["ref-2-3-github.md", "ref-2-4-access-key.md"];
    let before: Vec<String> = files.iter().map(|f| c.lab_text(f)).collect();
    // Not yet a recipient: the stock CLI cannot read the values.
    for t in &before {
        for p in payloads(t) {
            assert!(stock_decrypt(&p, &newkey).is_err());
        }
    }
    std::fs::write(
        c.root.join("xdg/labnote/recipients.txt"),
        format!("# second machine\n{public}\n"),
    )
    .unwrap();
    let r = c.ok(&["memo", "rekey"]);
    assert!(
        r.stderr
            .contains("2 secret(s) now encrypted to 2 recipient(s)"),
        "{}",
        r.text()
    );
    let mut got = Vec::new();
    for (f, old) in files.iter().zip(&before) {
        let t = c.lab_text(f);
        // Only the payloads changed.
        assert_eq!(without_payloads(&t), without_payloads(old), "{f}");
        assert_ne!(payloads(&t), payloads(old));
        for p in payloads(&t) {
            got.push(stock_decrypt(&p, &newkey).unwrap_or_else(|e| panic!("{f}: {e}")));
        }
    }
    got.sort();
    assert_eq!(got, [GITHUB, AWS_SECRET]);
    // The own identity still reads them, through labnote and the stock CLI.
    assert_eq!(c.memo_get("2-3", "github_token"), GITHUB);
    let own = c.root.join("xdg/labnote/identity.txt");
    for p in payloads(&c.lab_text("ref-2-4-access-key.md")) {
        assert_eq!(stock_decrypt(&p, &own).unwrap(), AWS_SECRET);
    }
    assert_eq!(c.events("memo-rekey").len(), 2);
    assert_eq!(
        c.memo_get("2-4", "AWS Access Key ID"),
        "AKIAREKEYEXAMPLE0001"
    );
}

#[test]
fn rekey_changes_nothing_when_one_value_cannot_be_decrypted() {
    let c = course();
    assert_eq!(
        set(&c, "2-4", "AWS Secret Access key", AWS_SECRET, &[]).code,
        0
    );
    // Noted on another machine, for another identity only.
    let other = c.root.join("other.txt");
    let o = other.display().to_string();
    c.ok(&["--identity", &o, "init"]);
    assert_eq!(
        set(&c, "2-3", "github_token", GITHUB, &["--identity", &o]).code,
        0
    );
    let before: Vec<Vec<u8>> = ["ref-2-3-github.md", "ref-2-4-access-key.md"]
        .iter()
        .map(|f| c.lab_bytes(f))
        .collect();
    let r = c.run(&["memo", "rekey"]);
    assert_eq!(r.code, 2, "{}", r.text());
    assert!(
        r.stderr.contains("lab 2-3, key 'github_token'")
            && r.stderr.contains("nothing was re-encrypted"),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("--identity"), "{}", r.text());
    let after: Vec<Vec<u8>> = ["ref-2-3-github.md", "ref-2-4-access-key.md"]
        .iter()
        .map(|f| c.lab_bytes(f))
        .collect();
    assert_eq!(before, after);
    assert!(c.events("memo-rekey").is_empty());
    // One lab at a time works.
    c.ok(&["memo", "rekey", "2-4"]);
}

/// `age:` + base64 of `plain` encrypted by the stock CLI to `recipient`.
fn stock_ciphertext(plain: &str, recipient: &str) -> String {
    let out = sh(
        r#"printf %s "$V" | age -r "$R" | base64 -w0"#,
        &[("V", plain), ("R", recipient)],
    );
    assert!(out.status.success(), "{out:?}");
    format!("age:{}", String::from_utf8(out.stdout).unwrap())
}

#[test]
fn memo_set_keeps_a_ciphertext_for_this_identity_as_it_is() {
    let c = course();
    let own = std::fs::read_to_string(c.root.join("xdg/labnote/identity.txt")).unwrap();
    let public = own
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_owned();
    let ct = stock_ciphertext("made-elsewhere-7", &public);
    c.ok(&["memo", "set", "2-4", "AWS Secret Access key", &ct]);
    let t = c.lab_text("ref-2-4-access-key.md");
    assert_eq!(payloads(&t), [ct.strip_prefix("age:").unwrap()]);
    assert_eq!(
        c.memo_get("2-4", "AWS Secret Access key"),
        "made-elsewhere-7"
    );
    // Under a key that is not secret by name too: still stored as is, never in plaintext.
    let ct2 = stock_ciphertext("second-value", &public);
    c.ok(&["memo", "set", "2-3", "GitHub ID", &ct2]);
    assert!(c
        .lab_text("ref-2-3-github.md")
        .contains(&format!("`{ct2}`")));

    // A ciphertext this identity cannot open: refused, file untouched.
    let (_, foreign) = age_keygen(&c.root, "foreign.txt");
    let bad = stock_ciphertext("not-for-us", &foreign);
    let r = c.run(&["memo", "set", "2-4", "AWS Secret Access key", &bad]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr.contains("cannot decrypt") && r.stderr.contains(&public),
        "{}",
        r.text()
    );
    assert_eq!(c.lab_text("ref-2-4-access-key.md"), t);
    // Damaged: refused too.
    let r = c.run(&[
        "memo",
        "set",
        "2-4",
        "AWS Secret Access key",
        &ct[..ct.len() / 2],
    ]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert_eq!(c.lab_text("ref-2-4-access-key.md"), t);
}

#[test]
fn identity_option_wins_over_the_environment() {
    let mut c = course();
    let other = c.root.join("elsewhere/id.txt");
    let o = other.display().to_string();
    let r = c.ok(&["--identity", &o, "init"]);
    assert!(
        r.stdout.starts_with("age1") && other.exists(),
        "{}",
        r.text()
    );
    assert_eq!(
        set(
            &c,
            "2-4",
            "AWS Secret Access key",
            AWS_SECRET,
            &["--identity", &o]
        )
        .code,
        0
    );
    let r = c.run(&["memo", "get", "AWS Secret Access key"]);
    assert_eq!(r.code, 2, "{}", r.text());
    assert!(r.stderr.contains("--identity"), "{}", r.text());
    // LABNOTE_IDENTITY names a missing file: --identity wins.
    c.set_env("LABNOTE_IDENTITY", "/nonexistent/identity.txt");
    let r = c.ok(&["memo", "get", "AWS Secret Access key", "--identity", &o]);
    assert_eq!(r.stdout, format!("{AWS_SECRET}\n"));
    let r = c.ok(&["--identity", &o, "show", "2-4", "--fill", "--reveal"]);
    assert!(r.stdout.contains(AWS_SECRET));
}

/// Runs `command` (a sh command line) on a new terminal made by `script`, typing `input`.
fn on_terminal(c: &Course, command: &str, input: &str, extra: &[(&str, &str)]) -> Run {
    let mut child = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .env_clear()
        .envs(c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("SHELL", "/bin/sh")
        .env("LABNOTE", BIN)
        .env("COURSE", &c.course)
        .envs(extra.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) is required");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    Run::new(child.wait_with_output().unwrap(), std::time::Duration::ZERO)
}

#[test]
fn passphrase_wrapped_identities_are_asked_for_on_the_terminal_only() {
    let c = course();
    assert_eq!(
        set(&c, "2-4", "AWS Secret Access key", AWS_SECRET, &[]).code,
        0
    );
    let plain = c
        .root
        .join("xdg/labnote/identity.txt")
        .display()
        .to_string();
    for (name, armor) in [("wrapped.age", ""), ("wrapped.asc", "-a")] {
        let wrapped = c.root.join(name);
        let w = wrapped.display().to_string();
        // Stock `age -p` asks for the passphrase twice on its terminal.
        let r = on_terminal(
            &c,
            &format!(r#"age -p {armor} -o "$W" "$PLAIN""#),
            "pass-phrase 1\npass-phrase 1\n",
            &[("W", &w), ("PLAIN", &plain)],
        );
        assert_eq!(r.code, 0, "{}", r.text());
        let head = std::fs::read(&wrapped).unwrap();
        assert!(
            head.starts_with(if armor.is_empty() {
                b"age-encryption.org/v1"
            } else {
                b"-----BEGIN AGE ENCRYPTED FILE-----"
            }),
            "{name}"
        );
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapped, std::fs::Permissions::from_mode(0o600)).unwrap();

        // No terminal at all (a new session): a clear error, no prompt, no hang.
        let mut cmd = Command::new("setsid");
        cmd.arg("-w")
            .arg(BIN)
            .env_clear()
            .envs(c.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .args([
                "--course",
                c.course.to_str().unwrap(),
                "--identity",
                &w,
                "memo",
                "get",
                "AWS Secret Access key",
            ])
            .stdin(Stdio::null());
        let r = Run::of(&mut cmd);
        assert_eq!(r.code, 2, "{}", r.text());
        assert!(
            r.stderr.contains(&format!(
                "identity {w} is protected by a passphrase and there is no terminal"
            )),
            "{}",
            r.text()
        );
        assert!(r.elapsed < std::time::Duration::from_secs(10));

        let get =
            r#""$LABNOTE" --course "$COURSE" --identity "$W" memo get "AWS Secret Access key""#;
        let r = on_terminal(&c, get, "pass-phrase 1\n", &[("W", &w)]);
        assert_eq!(r.code, 0, "{name}: {}", r.text());
        assert!(
            r.stdout.contains(&format!("passphrase for {w}:")),
            "{}",
            r.text()
        );
        assert!(r.stdout.contains(AWS_SECRET), "{}", r.text());
        let r = on_terminal(&c, get, "wrong one\n", &[("W", &w)]);
        assert_eq!(r.code, 2, "{}", r.text());
        assert!(
            r.stdout.contains("wrong passphrase") && !r.stdout.contains(AWS_SECRET),
            "{}",
            r.text()
        );
    }
}
