//! Noting values from what a step's commands printed, and secrets printed by commands: the
//! real binary on a temporary course holding `tests/fixtures/run/note-output.md` (lab `7-1`,
//! CRLF, no memo block), whose blocks print a service-account token (assembled by the shell,
//! so the whole token is in no file), a kubeconfig, a YAML list of five lines and
//! credential-looking output.
//!
//! `run --note NAME=REGEX` without a terminal; the offer after `run` (and `r` in `walk`)
//! through tmux; the journal and `log` after a secret is noted; `run 2-4 4` once a key is
//! issued (moto).

use crate::course::{self, Course};
use crate::moto::{block_on, unique_name, Moto};
use crate::tmux::Pane;

const LAB: &str = "7-1";
const FILE: &str = "note-output.md";

/// The token step 1-1 prints: header, payload (base64url of a JSON the block makes), a
/// fixed signature.
fn token() -> String {
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"iss":"kubernetes/serviceaccount","sub":"labnote-demo"}"#);
    format!("eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.{payload}.bm90LWEtcmVhbC1zaWduYXR1cmU")
}

/// The token's payload: only what the block printed can hold it (the lab has the command
/// that makes it, not the text).
fn payload() -> String {
    token().split('.').nth(1).unwrap().to_owned()
}

const SERVER: &str = "https://0A1B2C3D4E5F.gr7.ap-northeast-2.eks.amazonaws.com";
const ROLES: &str = "- rolearn: arn:aws:iam::111122223333:role/labnote-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes";

fn course() -> Course {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&[&format!("run/{FILE}")]);
    c.init();
    c
}

/// Every file under `dir` (the course folder with `.labnote/`, the home) that contains `s`.
fn files_with(dir: &std::path::Path, s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if std::fs::read(&p)
                .is_ok_and(|b| memchr::memmem::find(&b, s.as_bytes()).is_some())
            {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

/// `memo list 7-1 --json`: (key, secret, encrypted) of the entries that are set.
fn memo_list(c: &Course) -> Vec<(String, bool, bool)> {
    let r = c.ok(&["memo", "list", LAB, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["set"] == true)
        .map(|e| {
            (
                e["key"].as_str().unwrap().to_owned(),
                e["secret"] == true,
                e["encrypted"] == true,
            )
        })
        .collect()
}

fn run_tails(c: &Course) -> Vec<String> {
    c.events("run")
        .iter()
        .flat_map(|r| {
            r["details"]["blocks"]
                .as_sequence()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|b| b["tail"].as_sequence().cloned().unwrap_or_default())
        .map(|l| l.as_str().unwrap_or_default().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// run --note

#[test]
fn note_takes_a_printed_token_as_a_secret_and_leaves_no_plaintext() {
    let c = course();
    let r = c.run(&[
        "run",
        LAB,
        "1-1",
        "--yes",
        "--note",
        r"token=token:\s+(\S+)",
    ]);
    assert_eq!(r.code, 0, "{}", r.text());
    // "token" is what the step's note point calls its value: the value of
    // `<<메모한 Service Account token >>`, a secret, encrypted in a memo block made for it.
    assert_eq!(
        memo_list(&c),
        [("Service Account token".to_owned(), true, true)]
    );
    assert!(
        c.lab_text(FILE).contains("\r\n> ➕"),
        "the block keeps CRLF"
    );
    assert_eq!(
        c.ok(&["memo", "get", "<<메모한 Service Account token >>"])
            .stdout,
        format!("{}\n", token())
    );
    // Never echoed by labnote (the command's own output is the student's screen).
    assert!(r.stderr.contains("(secret, encrypted)"), "{}", r.text());
    assert!(!r.stderr.contains(&payload()), "{}", r.text());
    // No plaintext copy anywhere: the lab, `.labnote/`, the home; nor in `log`.
    assert!(
        c.journal_text().contains("token:      ••••"),
        "{}",
        c.journal_text()
    );
    assert_eq!(files_with(&c.root, &payload()), Vec::<String>::new());
    for args in [&["log"][..], &["log", LAB], &["log", "--json"]] {
        let log = c.ok(args);
        assert!(!log.stdout.contains(&payload()), "{args:?}: {}", log.stdout);
        assert!(log.stdout.contains("1-1"), "{args:?}: {}", log.stdout);
    }
    // The step passed and is checked; the placeholder resolves.
    let p = c.ok(&["placeholders", LAB, "--json"]).stdout;
    let v: serde_json::Value = serde_json::from_str(&p).unwrap();
    let token_row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["name"]
                .as_str()
                .unwrap()
                .contains("Service Account token")
        })
        .unwrap_or_else(|| panic!("{p}"))
        .clone();
    assert_eq!(token_row["resolved"], true, "{token_row}");
}

#[test]
fn note_takes_several_values_a_capture_group_and_a_block_of_lines() {
    let c = course();
    c.ok(&[
        "run",
        LAB,
        "2-1",
        "--yes",
        "--note",
        r"<<메모한 Cluster URL>>=server:\s+(\S+)",
        "--note",
        "Certificate Authority Data=certificate-authority-data: (\\S+)",
    ]);
    assert_eq!(c.memo_get(LAB, "Cluster URL"), SERVER);
    assert!(c
        .memo_get(LAB, "<<메모한 Certificate Authority Data >>")
        .starts_with("LS0tLS1CRUdJTiBD"));
    // Five lines, byte for byte, under the key of the placeholder the generic
    // "출력된 결과를 메모" of 2-3 asks for.
    c.ok(&[
        "run",
        LAB,
        "2-2",
        "--yes",
        "--note",
        r"스크립트로 생성한 aws_auth_roles=(?s)(- rolearn.*?system:nodes)",
    ]);
    assert_eq!(
        c.ok(&["memo", "get", "<<스크립트로 생성한 aws_auth_roles>>"])
            .stdout,
        format!("{ROLES}\n")
    );
    // What is left to note is the token of 1-1.
    let w: serde_json::Value =
        serde_json::from_str(&c.ok(&["wanted", LAB, "--json"]).stdout).unwrap();
    let keys: Vec<&str> = w
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["Service Account token"], "{w}");
    let p = c.ok(&["placeholders", LAB]).stdout;
    assert_eq!(p.matches("not noted").count(), 1, "{p}");
}

#[test]
fn no_match_names_the_name_and_the_regex_and_changes_nothing() {
    let c = course();
    c.ok(&["run", LAB, "3", "--yes"]);
    let (lab, journal) = (c.lab_bytes(FILE), c.journal_text());
    let r = c.run(&[
        "run",
        LAB,
        "2-2",
        "--yes",
        "--note",
        r"aws_auth_roles=^nothing (\d+)$",
    ]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(
        r.stderr.contains("no match for aws_auth_roles")
            && r.stderr.contains(r"regex ^nothing (\d+)$"),
        "{}",
        r.text()
    );
    assert_eq!(c.lab_bytes(FILE), lab, "the lab changed");
    assert_eq!(c.journal_text(), journal, "the journal changed");
    // A rule that is no rule stops before anything runs.
    for (arg, says) in [
        ("aws_auth_roles", "expected NAME=REGEX"),
        ("x=(unclosed", "the regex does not compile"),
    ] {
        let r = c.run(&["run", LAB, "2-2", "--yes", "--note", arg]);
        assert_eq!(r.code, 1, "{}", r.text());
        assert!(
            r.stderr.contains(says) && r.stderr.contains(arg),
            "{}",
            r.text()
        );
        assert!(
            !r.stdout.contains("system:nodes"),
            "a block ran: {}",
            r.text()
        );
    }
    assert_eq!(c.journal_text(), journal);
}

// ---------------------------------------------------------------------------------------
// secrets printed by commands

#[test]
fn a_secret_noted_after_the_run_that_printed_it_is_masked_in_the_journal() {
    let c = course();
    c.ok(&["run", LAB, "2-1", "--yes"]);
    c.ok(&["run", LAB, "3", "--yes"]);
    assert!(c.journal_text().contains(SERVER), "the run kept its output");
    let before = c.journal().len();
    // Noted as a secret by hand afterwards: the earlier copy goes.
    let r = c.run_stdin(
        &[
            "memo",
            "set",
            LAB,
            "<<메모한 Cluster URL>>",
            "-",
            "--secret",
        ],
        format!("{SERVER}\n").as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.text());
    let j = c.journal_text();
    assert!(!j.contains(SERVER) && !j.contains("0A1B2C3D4E5F"), "{j}");
    assert!(
        run_tails(&c).contains(&"    server: ••••".to_owned()),
        "{:?}",
        run_tails(&c)
    );
    // Every record is still there and readable (one memo-set more); the steps stay done.
    assert_eq!(c.journal().len(), before + 1);
    let done: Vec<String> = c
        .steps(LAB)
        .iter()
        .filter(|s| s["done"] == true)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(done, ["2-1", "3"]);
    // The lab's block prints it, as before; nothing else holds it.
    assert_eq!(
        files_with(&c.root, "0A1B2C3D4E5F"),
        [c.file(FILE).display().to_string()]
    );
    let in_lab = |b: &[u8]| memchr::memmem::find_iter(b, b"0A1B2C3D4E5F").count();
    assert_eq!(
        in_lab(&c.lab_bytes(FILE)),
        in_lab(&std::fs::read(course::fixture_path(&format!("run/{FILE}"))).unwrap())
    );
    let log = c.ok(&["log", "--json"]).stdout;
    assert!(!log.contains("0A1B2C3D4E5F"), "{log}");
    assert_eq!(c.memo_get(LAB, "Cluster URL"), SERVER);
}

#[test]
fn credential_looking_output_is_masked_before_it_is_recorded() {
    let c = course();
    let r = c.ok(&["run", LAB, "3", "--yes"]);
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let github = concat!("ghp_", "0123456789abcdefghijABCDEFGHIJklmnop");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsYWJub3RlIn0.c2lnbmF0dXJl";
    // The student's screen shows what the command printed.
    for s in [secret, github, jwt] {
        assert!(r.stdout.contains(s), "{s}: {}", r.text());
    }
    let j = c.journal_text();
    for s in [secret, github, jwt] {
        assert!(!j.contains(s), "{s} recorded:\n{j}");
    }
    let tails = run_tails(&c);
    for line in [
        "  \"SecretAccessKey\": \"••••\",",
        "remote: ••••",
        "Authorization: Bearer ••••",
        // An access key id is an identifier; plain output is kept.
        "  \"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\",",
        "plain output stays",
    ] {
        assert!(tails.contains(&line.to_owned()), "{line}: {tails:?}");
    }
    for s in [secret, github, jwt] {
        assert!(!c.ok(&["log", "--json"]).stdout.contains(s));
    }
}

// ---------------------------------------------------------------------------------------
// the offer on a terminal

/// `run 7-1 STEP` in a tmux pane, its one block confirmed.
fn run_on_terminal(c: &Course, step: &str) -> Pane {
    let pane = Pane::start(c, &format!("run-{step}"), &["run", LAB, step], "");
    pane.confirm_block(1);
    pane
}

#[test]
fn on_a_terminal_run_offers_the_values_the_step_asks_for() {
    let c = course();
    // 2-1 asks for two values: the URL is chosen from the numbered candidates.
    let pane = run_on_terminal(&c, "2-1");
    let t = pane.nth(1, "which value?");
    assert!(
        t.contains("lab 7-1 step 2-1 asks you to note: Cluster URL, Certificate Authority Data"),
        "{t}"
    );
    pane.send("1");
    let t = pane.nth(1, "note which?");
    assert!(t.contains("values for «Cluster URL» in the output:"), "{t}");
    assert!(
        t.contains(&format!("  1. {SERVER}   (server, line 5)")),
        "{t}"
    );
    assert!(t.contains("  t. type the value"), "{t}");
    pane.send("1");
    let t = pane.nth(2, "note which?");
    assert!(t.contains("noted 'Cluster URL' in 7-1"), "{t}");
    // The other value is offered next; empty skips it.
    pane.send("");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert_eq!(c.memo_get(LAB, "Cluster URL"), SERVER);
    assert_eq!(memo_list(&c).len(), 1);

    // 2-2 prints the roles; 2-3 (the next step) asks for "출력된 결과": a block of lines.
    let pane = run_on_terminal(&c, "2-2");
    let t = pane.nth(1, "note which?");
    assert!(
        t.contains("step 2-3 asks you to note: 스크립트로 생성한 aws_auth_roles"),
        "{t}"
    );
    assert!(
        t.contains("  b1. lines 3–7 (5 lines): - rolearn: arn:aws:iam::111122223333:role/lab"),
        "{t}"
    );
    assert!(
        t.contains("  1. arn:aws:iam::111122223333:role/labnote-node   (rolearn, line 3)"),
        "{t}"
    );
    pane.send("b1");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert_eq!(
        c.ok(&["memo", "get", "<<스크립트로 생성한 aws_auth_roles>>"])
            .stdout,
        format!("{ROLES}\n")
    );
}

#[test]
fn a_token_offered_on_a_terminal_is_never_shown_and_walk_offers_after_r() {
    let c = course();
    // `r` in walk takes the path of `run`: the offer comes after the block.
    let pane = Pane::start(&c, "walk", &["walk", LAB], "");
    pane.run_block(1, 1);
    let t = pane.nth(1, "note which?");
    assert!(t.contains("asks you to note: Service Account token"), "{t}");
    let shown = format!("  1. eyJh•••• ({} chars)   (token, line 8)", token().len());
    assert!(t.contains(&shown), "{shown}\n{t}");
    // The token is on screen once: the command's own output, not labnote's list.
    assert_eq!(t.matches(&payload()).count(), 1, "{t}");
    pane.send("1");
    let t = pane.nth(1, "noted 'Service Account token' in 7-1");
    assert!(t.contains("(secret, encrypted)"), "{t}");
    pane.nth(2, "[q]uit >");
    pane.send("q");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert_eq!(pane.text().matches(&payload()).count(), 1);
    assert_eq!(c.memo_get(LAB, "Service Account token"), token());
    assert_eq!(files_with(&c.root, &payload()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// the access-key step

#[test]
fn run_of_the_access_key_step_after_a_key_is_issued_says_it_is_done() {
    let c = Course::empty()
        .with_path()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    let user = unique_name("note11");
    block_on(Moto::get().create_user(&user));
    c.ok(&["issue-key", "2-4", "--user", &user, "--yes"]);
    let id = course::noted_key_id(&c.file("day2/lab4-aws-access-key.md")).unwrap();
    let journal = c.journal().len();
    // Again, with the step checked: done, nothing changed.
    let r = c.run(&["run", "2-4", "4", "--user", &user, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("✔ step 4 is done"), "{}", r.text());
    assert!(
        r.stdout.contains(&format!("already holds access key {id}")),
        "{}",
        r.text()
    );
    assert_eq!(c.journal().len(), journal, "nothing to record");
    // Unchecked meanwhile: checked again, no new key.
    c.ok(&["undo", "2-4", "4"]);
    let r = c.run(&["run", "2-4", "4", "--user", &user, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stderr.contains("✔ step 4 is done"), "{}", r.text());
    let step4 = c.steps("2-4").into_iter().find(|s| s["id"] == "4").unwrap();
    assert_eq!(step4["done"], true, "{step4}");
    assert_eq!(
        course::noted_key_id(&c.file("day2/lab4-aws-access-key.md")).as_deref(),
        Some(id.as_str())
    );
    assert_eq!(c.events("issued-key").len(), 1);
}

// ---------------------------------------------------------------------------------------
// the journal never keeps a secret, and never loses progress to a mask (review 3,4,5,7,9):
// `tests/fixtures/run/journal-safe.md`, lab `8-3`.

const SAFE: &str = "8-3";

fn safe_course(init: bool) -> Course {
    let c = Course::empty()
        .with_path()
        .with_fixture_files(&["run/journal-safe.md"]);
    if init {
        c.init();
    }
    c
}

/// Review 4: noting a one-character secret after steps were done keeps them done, and
/// rewrites no step id, title or outcome of the journal; only a whole `1` in the output.
#[test]
fn noting_a_short_secret_after_a_run_keeps_progress() {
    let c = safe_course(true);
    c.ok(&["run", SAFE, "1", "--yes"]);
    let before = c.ok(&["steps", SAFE, "--json"]).stdout;
    let records = c.journal();
    c.ok(&["memo", "set", SAFE, "db_password", "1"]);
    assert_eq!(c.ok(&["steps", SAFE, "--json"]).stdout, before);
    let after = c.journal();
    assert_eq!(after.len(), records.len() + 1, "one memo-set more");
    for (a, b) in records.iter().zip(&after) {
        for f in ["lab", "step", "title", "fingerprint", "event", "time"] {
            assert_eq!(a[f], b[f], "{f}");
        }
        for f in ["outcome", "cwd_start", "cwd_end", "by"] {
            assert_eq!(a["details"][f], b["details"][f], "{f}");
        }
    }
    let j = c.journal_text();
    assert!(!j.contains("••••-••••"), "{j}");
    let tails = run_tails(&c);
    assert!(
        tails.contains(&"step one: •••• file, 11 lines".to_owned()),
        "{tails:?}"
    );
    assert!(tails.contains(&"password: ••••".to_owned()), "{tails:?}");
}

/// Review 3 and 7: secret-labelled fields are masked before they are recorded, and a value
/// printed with an escape sequence inside is masked once noted.
#[test]
fn secret_fields_and_coloured_secrets_never_reach_the_journal() {
    let c = safe_course(true);
    let r = c.ok(&["run", SAFE, "3", "--yes"]);
    assert!(r.stdout.contains("bPxRfiCYZZAMPLEKEY"), "{}", r.text());
    let j = c.journal_text();
    assert!(!j.contains("bPxRfiCYZZAMPLEKEY"), "{j}");
    let tails = run_tails(&c);
    for line in [
        "AWS_SECRET_ACCESS_KEY=••••",
        "aws_session_token = ••••",
        "  \"SessionToken\": \"••••\",",
        "password: ••••",
        "region = ap-northeast-2",
    ] {
        assert!(tails.contains(&line.to_owned()), "{line}: {tails:?}");
    }
    // Stored without the escape sequences, so noting the value finds it whole.
    assert!(
        tails.contains(&"db: s3cr3t-value-42".to_owned()),
        "{tails:?}"
    );
    c.memo_set_on_stdin(SAFE, "db_password", "s3cr3t-value-42");
    let j = c.journal_text();
    assert!(!j.contains("value-42") && !j.contains('\x1b'), "{j}");
    assert!(run_tails(&c).contains(&"db: ••••".to_owned()));
}

/// Review 5: when the step asks for a secret, what the offer could take is masked before
/// the run is journaled, so skipping the offer leaves no plaintext.
#[test]
fn a_skipped_offer_of_a_secret_leaves_no_plaintext() {
    let c = safe_course(true);
    let pane = Pane::start(&c, "offer-skip", &["run", SAFE, "2-1"], "");
    pane.confirm_block(1);
    let t = pane.nth(1, "note which?");
    assert!(t.contains("asks you to note: 관리자 비밀번호"), "{t}");
    // While the offer waits, the journal already holds the run, masked.
    let tails = run_tails(&c);
    assert_eq!(tails, ["initial admin login: ••••"], "{tails:?}");
    pane.send("");
    assert_eq!(pane.wait_exit(), "0", "{}", pane.text());
    assert!(!c.journal_text().contains("Qm9yZWFsx"));
    assert_eq!(files_with(&c.root, "Qm9yZWFsx"), Vec::<String>::new());
    // The step is done all the same.
    assert!(c
        .steps(SAFE)
        .iter()
        .any(|s| s["id"] == "2-1" && s["done"] == true));
}

/// Review 9: `run --note` of a secret with no age identity yet makes one before anything
/// runs (saying where), and notes the value encrypted; when none can be made, nothing runs.
#[test]
fn run_note_of_a_secret_makes_the_identity_first() {
    let mut c = safe_course(false);
    let note = [
        "run",
        SAFE,
        "2-1",
        "--yes",
        "--note",
        "관리자 비밀번호=login: (\\S+)",
    ];
    let blocked = c.root.join("not-a-folder");
    std::fs::write(&blocked, "").unwrap();
    let home = c
        .env
        .iter()
        .find(|(k, _)| k == "LABNOTE_IDENTITY")
        .unwrap()
        .1
        .clone();
    c.set_env(
        "LABNOTE_IDENTITY",
        &blocked.join("identity.txt").display().to_string(),
    );
    let r = c.run(&note);
    assert_ne!(r.code, 0, "{}", r.text());
    assert!(!r.stdout.contains("initial admin login"), "{}", r.text());
    assert!(r.stderr.contains("not-a-folder"), "{}", r.text());
    assert!(c.events("run").is_empty() && c.events("done").is_empty());
    c.set_env("LABNOTE_IDENTITY", &home);
    let identity = c.root.join("xdg/labnote/identity.txt");
    assert!(!identity.exists());
    let r = c.run(&note);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(identity.exists());
    assert!(
        r.stderr.contains(&identity.display().to_string()),
        "{}",
        r.text()
    );
    assert!(r.stderr.contains("labnote init"), "{}", r.text());
    assert_eq!(c.memo_get(SAFE, "관리자 비밀번호"), "Qm9yZWFsxTm9ydGg5");
    assert!(!c.lab_text("journal-safe.md").contains("Qm9yZWFsx"));
    assert!(!c.journal_text().contains("Qm9yZWFsx"));
}

/// Review 10b: a line of 3 MB is cut on screen (said so) and in the journal, and the run
/// goes on to the next line.
#[test]
fn a_very_long_line_is_cut_on_screen_and_in_the_journal() {
    let c = safe_course(true);
    let r = c.ok(&["run", SAFE, "4", "--yes"]);
    assert!(r.stdout.len() < 1024 * 1024 + 200, "{}", r.stdout.len());
    assert!(r
        .stdout
        .contains("more bytes of this line not shown)\nafter\n"));
    let tails = run_tails(&c);
    assert_eq!(tails.len(), 2, "{tails:?}");
    assert!(
        tails[0].len() < 4200 && tails[0].ends_with(" …"),
        "{}",
        tails[0].len()
    );
    assert_eq!(tails[1], "after");
    assert!(c.journal_text().len() < 10_000);
}
