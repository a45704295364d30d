//! The Korean interface (issue 14): with a Korean locale the messages are Korean, with
//! `LANG=C` English; the POSIX variables decide in their order; `--json` does not change;
//! both Fluent files hold the same keys.

use std::collections::BTreeSet;

use crate::course::{crate_path, Course, Run};

/// The bundled course, run with exactly `locale` on top of the harness environment.
fn course_in(locale: &[(&str, &str)]) -> Course {
    let mut c = Course::empty().with_bundled_labs();
    for (k, v) in locale {
        c.set_env(k, v);
    }
    c
}

const KO: &[(&str, &str)] = &[("LANG", "ko_KR.UTF-8")];
const C: &[(&str, &str)] = &[("LANG", "C")];

fn unknown_lab(locale: &[(&str, &str)]) -> Run {
    let r = course_in(locale).run(&["steps", "9-9"]);
    assert_eq!(r.code, 1, "{}", r.text());
    r
}

#[test]
fn an_unknown_lab_is_reported_in_korean_under_a_korean_locale() {
    let r = unknown_lab(KO);
    assert!(
        r.stderr
            .contains("labnote: 오류: '9-9' 에 해당하는 실습이 없습니다. 실습 목록: 2-3, 2-4, 2-5"),
        "{}",
        r.text()
    );
    assert!(!r.stderr.contains("no lab matches"), "{}", r.text());
}

#[test]
fn an_unknown_lab_is_reported_in_english_under_lang_c() {
    let r = unknown_lab(C);
    assert!(
        r.stderr
            .contains("labnote: error: no lab matches '9-9'; the labs are: 2-3, 2-4, 2-5"),
        "{}",
        r.text()
    );
}

/// A secret noted with one identity, then read with `LABNOTE_IDENTITY` naming no file.
fn missing_identity(locale: &[(&str, &str)]) -> (Run, String) {
    let mut c = course_in(locale);
    c.ok(&["init"]);
    c.ok(&["memo", "set", "2-3", "github_token", "ghp_example"]);
    let gone = c.root.join("nowhere/identity.txt").display().to_string();
    c.set_env("LABNOTE_IDENTITY", &gone);
    let r = c.run(&["memo", "get", "github_token"]);
    assert_eq!(r.code, 2, "{}", r.text());
    assert!(r.stdout.is_empty(), "{}", r.text());
    (r, gone)
}

#[test]
fn a_missing_identity_is_reported_in_korean_under_a_korean_locale() {
    let (r, gone) = missing_identity(KO);
    let want = format!(
        "labnote: 오류: {gone} 에 age identity가 없습니다. `labnote init` 으로 만들거나, \
         LABNOTE_IDENTITY 를 기존 age identity 또는 암호 없는 SSH 개인 키로 설정하세요"
    );
    assert!(r.stderr.contains(&want), "{}", r.text());
}

#[test]
fn a_missing_identity_is_reported_in_english_under_lang_c() {
    let (r, gone) = missing_identity(C);
    let want = format!("labnote: error: no age identity at {gone}; run `labnote init`");
    assert!(r.stderr.contains(&want), "{}", r.text());
}

#[test]
fn labs_speaks_korean_under_a_korean_locale_and_english_under_lang_c() {
    let ko = course_in(KO).ok(&["labs"]);
    let en = course_in(C).ok(&["labs"]);
    assert_eq!(
        ko.stderr,
        "실습 4개, 단계 38개 중 0개 완료\n",
        "{}",
        ko.text()
    );
    assert_eq!(en.stderr, "4 labs, 0 of 38 steps done\n", "{}", en.text());
    // The table is data (ids, titles, counts, paths): the same in both languages.
    assert_eq!(ko.stdout, en.stdout);
    assert!(
        ko.stdout.contains("2-4  AWS 액세스 키 발급하기"),
        "{}",
        ko.text()
    );
}

#[test]
fn json_is_the_same_in_every_language() {
    for args in [&["labs", "--json"][..], &["steps", "2-4", "--json"][..]] {
        let ko = course_in(KO).ok(args);
        let en = course_in(C).ok(args);
        assert_eq!(ko.stdout, en.stdout, "{args:?}");
        assert!(ko.stdout.contains("\"path\""), "{}", ko.text());
    }
}

#[test]
fn the_first_posix_variable_that_is_set_decides_and_labnote_lang_comes_first() {
    let english = |r: &Run| r.stderr.contains("no lab matches '9-9'");
    let korean = |r: &Run| r.stderr.contains("에 해당하는 실습이 없습니다");
    let cases: &[(&[(&str, &str)], bool)] = &[
        (&[("LC_ALL", "C"), ("LANG", "ko_KR.UTF-8")], false),
        (
            &[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "ko_KR.UTF-8"),
                ("LANG", "C"),
            ],
            true,
        ),
        (
            &[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "ko_KR.UTF-8")],
            false,
        ),
        (&[("LABNOTE_LANG", "ko"), ("LC_ALL", "C")], true),
        (&[("LABNOTE_LANG", "en"), ("LANG", "ko_KR.UTF-8")], false),
        (&[], false),
    ];
    for (locale, want_korean) in cases {
        let r = unknown_lab(locale);
        let ok = if *want_korean {
            korean(&r)
        } else {
            english(&r)
        };
        assert!(ok, "{locale:?}: {}", r.text());
    }
}

#[test]
fn help_lists_the_commands_and_common_options_in_korean() {
    let ko = course_in(KO).ok(&["--help"]);
    for want in [
        "사용법: labnote [OPTIONS] <COMMAND>",
        "명령:",
        "코스의 모든 실습과 진행 상황을 표시합니다.",
        "옵션:",
        "코스 폴더(그 아래의 마크다운 파일이 실습입니다).",
        "도움말을 표시합니다",
        "종료 코드: 0 성공",
    ] {
        assert!(ko.stdout.contains(want), "missing {want:?}:\n{}", ko.stdout);
    }
    let sub = course_in(KO).ok(&["memo", "get", "--help"]);
    assert!(sub.stdout.contains("메모 키, 예:"), "{}", sub.stdout);
    // The positionals keep their command-line order under the translated heading.
    let set = course_in(KO).ok(&["memo", "set", "--help"]).stdout;
    let at = |s: &str| set.find(s).unwrap_or_else(|| panic!("no {s:?} in:\n{set}"));
    assert!(
        at("인수:") < at("<LAB>  ") && at("<LAB>  ") < at("<KEY>  "),
        "{set}"
    );
    assert!(at("<KEY>  ") < at("[VALUE]  "), "{set}");
    let en = course_in(C).ok(&["--help"]);
    assert!(
        en.stdout.contains("Usage: labnote [OPTIONS] <COMMAND>"),
        "{}",
        en.stdout
    );
    assert!(en
        .stdout
        .contains("Every lab of the course with its progress"));
    assert!(!en.stdout.contains("실습"), "{}", en.stdout);
}

/// The message ids of one Fluent file (it must parse without an error).
fn keys(lang: &str) -> BTreeSet<String> {
    let path = crate_path(&format!("i18n/{lang}/labnote.ftl"));
    let text = std::fs::read_to_string(&path).unwrap();
    let resource = match fluent_syntax::parser::parse(text.as_str()) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
    };
    resource
        .body
        .iter()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_message_key_is_in_both_fluent_files() {
    let (en, ko) = (keys("en"), keys("ko"));
    assert!(en.len() > 50, "only {} keys in the English file", en.len());
    let only_en: Vec<_> = en.difference(&ko).collect();
    let only_ko: Vec<_> = ko.difference(&en).collect();
    assert!(
        only_en.is_empty(),
        "missing in i18n/ko/labnote.ftl: {only_en:?}"
    );
    assert!(
        only_ko.is_empty(),
        "missing in i18n/en/labnote.ftl: {only_ko:?}"
    );
}

// ---------------------------------------------------------------------------------------
// issue 20: every command under a Korean locale, and no English word of ours

/// Words of ours that stay as they are in a Korean message: programs, commands, formats and
/// the AWS and git vocabulary a student types (lab text is allowed separately).
const KEPT: &[&str] = &[
    "labnote",
    "memo",
    "set",
    "get",
    "list",
    "unset",
    "seal",
    "rekey",
    "run",
    "walk",
    "next",
    "steps",
    "labs",
    "done",
    "undo",
    "log",
    "show",
    "wanted",
    "placeholders",
    "env",
    "exec",
    "credential",
    "process",
    "aws",
    "profile",
    "issue",
    "key",
    "serve",
    "copy",
    "export",
    "csv",
    "init",
    "json",
    "yaml",
    "age",
    "identity",
    "url",
    "http",
    "token",
    "ctrl",
    "tmux",
    "osc",
    "xclip",
    "xsel",
    "copy",
    "iam",
    "ssh",
    "git",
    "bash",
    "stdin",
    "mode",
    "value",
    "lab",
    "step",
    "force",
    "rotate",
    "region",
    "course",
    "details",
    "sentence",
    "heading",
    "points",
    "sso",
    "configure",
    "login",
    "endpoint",
    "sts",
    "caller",
    "unset",
    "export",
    "session",
    "security",
    "secret",
    "access",
    "id",
    "config",
    "course.yaml",
    "yes",
    "out",
    // journal events and environment variables: data, as in `--json`
    "undone",
    "path",
];

/// Every ASCII word of 3 letters or more in the bundled labs, lowercased.
pub(crate) fn lab_words() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, words: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, words);
            } else if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).unwrap();
                words.extend(ascii_words(&text));
            }
        }
    }
    let mut words = BTreeSet::new();
    walk(&crate_path("labs"), &mut words);
    words
}

fn ascii_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `text` without what is quoted from the command line, the lab or the file system:
/// `code`, «keys», <<placeholders>>, 'arguments', "values", paths, URLs and flags.
fn ours(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let pairs = [
        ("`", "`"),
        ("«", "»"),
        ("<<", ">>"),
        ("'", "'"),
        ("\"", "\""),
    ];
    'outer: while !rest.is_empty() {
        for (open, close) in pairs {
            if let Some(after) = rest.strip_prefix(open) {
                if let Some(end) = after.find(close) {
                    out.push(' ');
                    rest = &after[end + close.len()..];
                    continue 'outer;
                }
            }
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    // Paths, URLs, flags, assignments and ids (an age recipient, a key id: digits inside).
    out.split_whitespace()
        .filter(|w| {
            !w.contains('/')
                && !w.contains('.')
                && !w.starts_with('-')
                && !w.contains('=')
                && !w.chars().any(|c| c.is_ascii_digit())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The English words of ours in `text`: ASCII words of 3 letters or more that are neither
/// in the labs nor kept words.
pub(crate) fn english_in(text: &str, lab: &BTreeSet<String>) -> Vec<String> {
    let mut found: Vec<String> = ascii_words(&ours(text))
        .into_iter()
        .filter(|w| !lab.contains(w) && !KEPT.contains(&w.as_str()))
        .collect();
    found.dedup();
    found
}

#[test]
fn the_allowlist_finds_english_words_of_ours() {
    let lab = lab_words();
    assert_eq!(
        english_in(
            "    never asked to be noted (given by the instructor)",
            &lab
        ),
        ["never", "asked", "noted", "given", "the", "instructor"]
    );
    assert!(english_in("«github_token» `labnote memo set 2-3` 메모했습니다", &lab).is_empty());
}

#[test]
fn every_command_speaks_korean_under_a_korean_locale() {
    let mut c = course_in(KO);
    for (k, v) in [
        ("AWS_CONFIG_FILE", c.root.join("aws-config")),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            c.root.join("aws-credentials"),
        ),
    ] {
        std::fs::write(&v, "").unwrap();
        c.set_env(k, &v.display().to_string());
    }
    c.set_env("AWS_EC2_METADATA_DISABLED", "true");
    let lab = lab_words();
    let in_course = c.course.join("key.csv").display().to_string();
    let cmds: &[&[&str]] = &[
        &["init"],
        &["labs"],
        &["steps", "2-4"],
        &["next"],
        &["next", "3-1"],
        &["done", "2-3", "1-1"],
        &["undo", "2-3", "1-1"],
        &["done", "2-3", "99"],
        &["log"],
        &["show", "2-4"],
        &["show", "3-1"],
        &["wanted"],
        &["wanted", "--points"],
        &["placeholders", "2-5"],
        &["placeholders", "3-1"],
        &["memo", "list"],
        &["memo", "get", "github_token"],
        &["memo", "set", "2-3", "github_username", "octocat"],
        &["memo", "get", "github_username"],
        &["memo", "seal"],
        &["run", "--list", "2-3", "2-3"],
        &["run", "--list", "2-5", "4-1"],
        &["run", "--list", "3-1", "1-1"],
        &["run", "2-3", "2-3"],
        &["env"],
        &["credential-process"],
        &["export-csv"],
        &["copy", "nope"],
        &["copy", "github_username"],
        &["issue-key", "2-4"],
        &["walk"],
        &[
            "memo",
            "set",
            "2-4",
            "AWS Access Key ID",
            "AKIAIOSFODNN7EXAMPLE",
        ],
        &[
            "memo",
            "set",
            "2-4",
            "AWS Secret Access key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ],
        &["memo", "seal"],
        &["memo", "rekey"],
        &["export-csv"],
        &["export-csv"],
        &["export-csv", "--out", &in_course],
        &["aws-profile", "lab", "--region", "ap-northeast-2"],
        &["wanted"],
    ];
    // What the command lines give (a value, a name) comes back as given.
    let mut lab = lab;
    lab.extend(
        cmds.iter()
            .flat_map(|a| a.iter())
            .flat_map(|a| ascii_words(a)),
    );
    let mut english = Vec::new();
    for args in cmds {
        let r = c.run(args);
        assert!(r.code <= 2, "{args:?} {}", r.text());
        for line in r.stdout.lines().chain(r.stderr.lines()) {
            let words = english_in(line, &lab);
            if !words.is_empty() {
                english.push(format!("{args:?}: {words:?} in {line:?}"));
            }
        }
    }
    // serve's start line (its URL on stdout, then the line on stderr).
    let s = crate::web_http::Server::start(&c, &[]);
    let line = s
        .stderr
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("serve's start line");
    assert!(line.contains("Ctrl-C"), "{line}");
    let words = english_in(&line, &lab);
    if !words.is_empty() {
        english.push(format!("serve: {words:?} in {line:?}"));
    }
    drop(s);
    assert!(
        english.is_empty(),
        "English under LANG=ko_KR.UTF-8:\n{}",
        english.join("\n")
    );
}
