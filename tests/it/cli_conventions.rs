//! The conventions a command-line tool is expected to follow: shell completions and a manual
//! page that the shells and groff accept, help text on every argument, the colour variables,
//! exit codes of usage errors, `-q`, and the state folder kept out of git.
//!
//! zsh, fish and groff are required (CI installs them); the `-q` issue-key tests need moto
//! (tests/it/moto.rs) and `script` (util-linux) for a pseudo-terminal.

use crate::course;
use crate::moto;

use std::path::Path;
use std::process::{Command, Stdio};

use course::{Course, Run, BIN};
use moto::{block_on, key_ids, unique_name, Moto};

const ESC: char = '\x1b';

/// Runs `program args…` with `input` on stdin.
fn pipe_into(program: &str, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let start = std::time::Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} is required for this test (apt-get install it): {e}")
        });
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::new(child.wait_with_output().unwrap(), start.elapsed())
}

/// `labnote ARGS` with exactly `env`, outside any course.
fn labnote(env: &[(&str, &str)], args: &[&str]) -> Run {
    Run::of(
        Command::new(BIN)
            .env_clear()
            .envs(env.iter().copied())
            .args(args)
            .stdin(Stdio::null()),
    )
}

/// A shell-quoted word for `sh -c`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `labnote ARGS` with stdout and stderr on a pseudo-terminal (`script`), with exactly `env`;
/// returns what the terminal showed.
fn on_terminal(env: &[(String, String)], args: &[&str]) -> Run {
    let line: Vec<String> = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(sh_quote)
        .collect();
    Run::of(
        Command::new("script")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .args(["-qec", &line.join(" "), "/dev/null"])
            .stdin(Stdio::null()),
    )
}

// ---------------------------------------------------------------------------------------
// completions and the manual page

#[test]
fn completion_scripts_are_accepted_by_their_shells() {
    for shell in ["bash", "zsh", "fish"] {
        let r = labnote(&[], &["completions", shell]);
        assert_eq!(r.code, 0, "{}", r.text());
        for word in ["issue-key", "json", "completions"] {
            assert!(r.stdout.contains(word), "{shell} script lacks {word}");
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("labnote.{shell}"));
        std::fs::write(&file, &r.stdout).unwrap();
        let check = Run::of(Command::new(shell).arg("-n").arg(&file));
        assert!(
            check.code == 0 && check.stderr.is_empty(),
            "{shell} -n rejects the script:\n{}",
            check.text()
        );
    }
    let r = labnote(&[], &["completions", "powershell"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains("Register-ArgumentCompleter"));
}

#[test]
fn a_broken_completion_script_is_noticed() {
    // The check above would pass vacuously if `-n` accepted anything.
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let file = dir.path().join(format!("bad.{shell}"));
        std::fs::write(&file, "if then fi end ((\n").unwrap();
        let check = Run::of(Command::new(shell).arg("-n").arg(&file));
        assert_ne!(check.code, 0, "{shell} -n accepted garbage");
    }
}

#[test]
fn man_page_renders_without_warnings() {
    let page = labnote(&[], &["man"]);
    assert_eq!(page.code, 0, "{}", page.text());
    assert!(page.stdout.starts_with(".ie") || page.stdout.starts_with(".TH"));
    assert!(page.stdout.is_ascii(), "non-ASCII left in the roff source");
    let r = pipe_into("groff", &["-man", "-Tutf8", "-ww"], page.stdout.as_bytes());
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(r.stderr, "", "groff warned");
    let text = strip_overstrike(&r.stdout);
    for want in [
        "COMMANDS",
        "labnote memo set",
        "labnote issue-key",
        "EXIT STATUS",
        "1 user error",
        "(secrets shown as ••••)",
    ] {
        assert!(text.contains(want), "the page lacks {want:?}:\n{text}");
    }
    // The global options are listed once, not under every command.
    assert_eq!(text.matches("--course <DIR>").count(), 1, "{text}");
}

/// groff's terminal output without bold/underline overstrikes (`X\bX`, `_\bX`).
fn strip_overstrike(s: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\u{8}') {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// help text

#[test]
fn every_argument_and_command_has_help_text() {
    let mut root = labnote::cli::command();
    root.build();
    let mut missing = Vec::new();
    walk(&root, &mut missing);
    assert!(missing.is_empty(), "no help text: {missing:#?}");
}

fn walk(cmd: &clap::Command, missing: &mut Vec<String>) {
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_owned();
    if cmd.get_about().is_none() && cmd.get_long_about().is_none() {
        missing.push(format!("command `{name}`"));
    }
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let help = a.get_help().or(a.get_long_help()).map(|h| h.to_string());
        if help.is_none_or(|h| h.trim().is_empty()) {
            missing.push(format!("`{name}`: argument {}", a.get_id()));
        }
    }
    for sub in cmd.get_subcommands() {
        walk(sub, missing);
    }
}

#[test]
fn the_help_walk_finds_an_argument_without_help() {
    let cmd = clap::Command::new("x")
        .about("x")
        .arg(clap::Arg::new("json").long("json"));
    let mut missing = Vec::new();
    walk(&cmd, &mut missing);
    assert_eq!(missing, ["`x`: argument json"]);
}

// ---------------------------------------------------------------------------------------
// colour

fn colour_course() -> Course {
    Course::empty().with_fixture_files(&["ref-2-4-access-key.md"])
}

fn with(c: &Course, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = c.env.clone();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

/// `labnote next 2-4` (a rendered step: bold and dim) through a pipe.
fn next_piped(c: &Course, extra: &[(&str, &str)]) -> Run {
    let r = Run::of(&mut course::labnote_cmd(
        &with(c, extra),
        &c.course,
        &["next", "2-4"],
    ));
    assert_eq!(r.code, 0, "{}", r.text());
    r
}

/// `labnote next 2-4` on a terminal.
fn next_on_terminal(c: &Course, extra: &[(&str, &str)]) -> Run {
    let course = c.course.display().to_string();
    let r = on_terminal(&with(c, extra), &["--course", &course, "next", "2-4"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains("2-4"), "{}", r.text());
    r
}

#[test]
fn a_terminal_gets_colour_and_a_pipe_does_not() {
    let c = colour_course();
    assert!(next_on_terminal(&c, &[("TERM", "xterm")])
        .stdout
        .contains(ESC));
    assert!(!next_piped(&c, &[]).stdout.contains(ESC));
}

#[test]
fn no_color_turns_colour_off_even_when_forced() {
    let c = colour_course();
    let r = next_on_terminal(&c, &[("TERM", "xterm"), ("NO_COLOR", "1")]);
    assert!(!r.stdout.contains(ESC), "{}", r.text());
    let r = next_piped(&c, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
    assert!(!r.stdout.contains(ESC), "{}", r.text());
}

#[test]
fn clicolor_zero_turns_colour_off_on_a_terminal() {
    let c = colour_course();
    let r = next_on_terminal(&c, &[("TERM", "xterm"), ("CLICOLOR", "0")]);
    assert!(!r.stdout.contains(ESC), "{}", r.text());
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let c = colour_course();
    let r = next_on_terminal(&c, &[("TERM", "dumb")]);
    assert!(!r.stdout.contains(ESC), "{}", r.text());
    // clap's own help follows the same decision.
    let r = on_terminal(&with(&c, &[("TERM", "dumb")]), &["--help"]);
    assert!(
        r.stdout.contains("Usage") && !r.stdout.contains(ESC),
        "{}",
        r.text()
    );
    let r = on_terminal(&with(&c, &[("TERM", "xterm")]), &["--help"]);
    assert!(r.stdout.contains(ESC), "{}", r.text());
}

#[test]
fn clicolor_force_colours_a_pipe() {
    let c = colour_course();
    let r = next_piped(&c, &[("CLICOLOR_FORCE", "1")]);
    assert!(r.stdout.contains(ESC), "{}", r.text());
    let r = next_piped(&c, &[("CLICOLOR_FORCE", "0")]);
    assert!(!r.stdout.contains(ESC), "{}", r.text());
    let help = labnote(&[("CLICOLOR_FORCE", "1")], &["--help"]);
    assert!(help.stdout.contains(ESC), "{}", help.text());
    let err = labnote(&[("CLICOLOR_FORCE", "1")], &["labs", "--bogus"]);
    assert!(err.stderr.contains(ESC), "{}", err.text());
}

// ---------------------------------------------------------------------------------------
// exit codes

#[test]
fn usage_errors_exit_1_like_other_user_errors() {
    let c = colour_course();
    for (args, says) in [
        (&["labs", "--bogus"][..], "unexpected argument '--bogus'"),
        (&["steps"][..], "<LAB>"),
        (&["frobnicate"][..], "unrecognized subcommand 'frobnicate'"),
        (&["completions", "tcsh"][..], "invalid value 'tcsh'"),
    ] {
        let r = c.run(args);
        assert_eq!(r.code, 1, "labnote {args:?}:\n{}", r.text());
        assert!(r.stderr.contains(says), "labnote {args:?}:\n{}", r.text());
        assert_eq!(r.stdout, "");
    }
    // An unknown lab is the same kind of error, with the same code.
    assert_eq!(c.run(&["steps", "9-9"]).code, 1);
    for args in [&["--help"][..], &["--version"], &["help", "memo"]] {
        let r = c.run(args);
        assert_eq!(r.code, 0, "labnote {args:?}:\n{}", r.text());
        assert!(!r.stdout.is_empty());
    }
    let help = c.ok(&["--help"]).stdout;
    assert!(
        help.contains("1 user error (a usage error"),
        "--help does not document the exit codes:\n{help}"
    );
}

// ---------------------------------------------------------------------------------------
// -q

/// The bundled course on moto with an identity, and a fresh IAM user.
fn issue_course() -> (Course, String) {
    let c = Course::empty()
        .with_aws(Moto::get().sdk_env())
        .with_bundled_labs();
    c.init();
    let user = unique_name("quiet");
    block_on(Moto::get().create_user(&user));
    (c, user)
}

fn noted_id(c: &Course) -> Option<String> {
    course::noted_key_id(&c.file("day2/lab4-aws-access-key.md"))
}

#[test]
fn issue_key_quiet_prints_nothing_on_success() {
    let (c, user) = issue_course();
    let r = c.run(&["-q", "issue-key", "2-4", "--user", &user]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
    let id = noted_id(&c).expect("a key id noted");
    assert_eq!(key_ids(&user), [id]);

    // Without -q the same command says what it did (so the silence above is -q's doing).
    let r = c.run(&["issue-key", "2-4", "--user", &user, "--rotate", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains("new key"), "{}", r.text());
}

#[test]
fn issue_key_quiet_retiring_a_key_with_yes_prints_nothing() {
    let (c, user) = issue_course();
    for _ in 0..2 {
        block_on(
            Moto::get()
                .iam_client()
                .create_access_key()
                .user_name(&user)
                .send(),
        )
        .unwrap();
    }
    let before = key_ids(&user);
    let r = c.run(&["-q", "issue-key", "2-4", "--user", &user, "--yes"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
    let after = key_ids(&user);
    assert_eq!(after.len(), 2);
    assert_ne!(after, before, "one key was retired and a new one made");
    assert!(after.contains(&noted_id(&c).unwrap()));
}

#[test]
fn issue_key_quiet_on_a_terminal_shows_no_spinner() {
    let (c, user) = issue_course();
    let course = c.course.display().to_string();
    let r = on_terminal(
        &with(&c, &[("TERM", "xterm")]),
        &[
            "-q",
            "--course",
            &course,
            "issue-key",
            "2-4",
            "--user",
            &user,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.text());
    assert_eq!(r.stdout, "", "the terminal showed something");
    assert!(noted_id(&c).is_some());
}

#[test]
fn issue_key_spins_on_a_terminal_but_not_on_a_dumb_one() {
    for (term, spins) in [("xterm", true), ("dumb", false)] {
        let (c, user) = issue_course();
        let course = c.course.display().to_string();
        let r = on_terminal(
            &with(&c, &[("TERM", term)]),
            &["--course", &course, "issue-key", "2-4", "--user", &user],
        );
        assert_eq!(r.code, 0, "{}", r.text());
        assert!(r.stdout.contains("new key"), "{}", r.text());
        assert_eq!(
            r.stdout.contains(ESC),
            spins,
            "TERM={term}:\n{:?}",
            r.stdout
        );
    }
}

#[test]
fn quiet_commands_keep_their_data_and_drop_their_notes() {
    let mut c = colour_course();
    let aws_config = c.root.join("aws-config");
    c.set_env("AWS_CONFIG_FILE", &aws_config.display().to_string());
    c.init();
    let csv = c.root.join("key.csv").display().to_string();
    let csv2 = c.root.join("key2.csv").display().to_string();
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    // Each says what it did without -q (run twice, the second says "nothing changed").
    let cmds: [&[&str]; 8] = [
        &["init"],
        &["done", "2-4", "1"],
        &["undo", "2-4", "1"],
        &[
            "memo",
            "set",
            "2-4",
            "AWS Access key ID",
            "AKIAIOSFODNN7EXAMPLE",
        ],
        &["memo", "set", "2-4", "AWS Secret Access key", secret],
        &["memo", "seal"],
        &["aws-profile", "lab", "--region", "ap-northeast-2"],
        &["export-csv", "--out", &csv],
    ];
    for args in cmds {
        let loud = c.ok(args);
        let quiet_args: Vec<&str> = std::iter::once("-q")
            .chain(
                args.iter()
                    .map(|a| if *a == csv { csv2.as_str() } else { a }),
            )
            .collect();
        let quiet = c.ok(&quiet_args);
        assert_eq!(
            quiet.stderr,
            "",
            "labnote {quiet_args:?}:\n{}",
            quiet.text()
        );
        if args[0] != "memo" || args[1] == "seal" {
            assert_ne!(loud.stderr, "", "labnote {args:?} said nothing without -q");
        }
    }
    // What was asked for is still printed.
    let r = c.ok(&["-q", "memo", "get", "AWS Access key ID"]);
    assert_eq!(r.stdout, "AKIAIOSFODNN7EXAMPLE\n", "{}", r.text());
    assert!(c.ok(&["-q", "labs"]).stdout.contains("2-4"));
    assert!(c.ok(&["-q", "env"]).stdout.contains("AWS_ACCESS_KEY_ID"));
    assert!(c.ok(&["-q", "init"]).stdout.starts_with("age1"));
}

// ---------------------------------------------------------------------------------------
// state

#[test]
fn the_state_folder_ignores_itself_in_git() {
    let c = colour_course();
    let git = |args: &[&str]| {
        let r = Run::of(Command::new("git").arg("-C").arg(&c.course).args(args));
        assert_eq!(r.code, 0, "git {args:?}:\n{}", r.text());
        r.stdout
    };
    git(&["init", "-q"]);
    c.ok(&["done", "2-4", "1"]);
    assert!(c.file(".labnote/journal.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(c.file(".labnote/.gitignore")).unwrap(),
        "*\n"
    );
    let status = git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(
        status, "?? ref-2-4-access-key.md\n",
        "labnote's state shows in git"
    );
}

#[test]
fn an_existing_state_folder_is_left_as_it_is() {
    let c = colour_course();
    std::fs::create_dir(c.file(".labnote")).unwrap();
    c.ok(&["done", "2-4", "1"]);
    assert!(c.file(".labnote/journal.yaml").exists());
    assert!(!c.file(".labnote/.gitignore").exists());
}

#[test]
fn init_without_home_refuses_and_says_why() {
    let c = colour_course();
    for env in [
        vec![],
        vec![("HOME", ""), ("XDG_CONFIG_HOME", "")],
        vec![("XDG_CONFIG_HOME", "relative")],
    ] {
        let r = Run::of(
            Command::new(BIN)
                .env_clear()
                .envs(env.iter().copied())
                .current_dir(&c.course)
                .args(["init"])
                .stdin(Stdio::null()),
        );
        assert_ne!(r.code, 0, "{env:?}:\n{}", r.text());
        for word in [
            "HOME",
            "XDG_CONFIG_HOME",
            "LABNOTE_IDENTITY",
            "current folder",
        ] {
            assert!(r.stderr.contains(word), "{env:?}: no {word}:\n{}", r.text());
        }
        assert_eq!(r.stdout, "");
        assert_eq!(entries(&c.course), ["ref-2-4-access-key.md"], "{env:?}");
    }
    // With an explicit file it works, without a home.
    let key = c.root.join("keys/me.txt");
    let r = Run::of(
        Command::new(BIN)
            .env_clear()
            .env("LABNOTE_IDENTITY", &key)
            .current_dir(&c.course)
            .arg("init"),
    );
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.starts_with("age1"), "{}", r.text());
    assert!(key.exists());
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}
